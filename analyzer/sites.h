/*
 * sites: allocation sites as the roots of access paths, so that objects of
 * one struct type that come from different allocations are told apart --
 *
 *     struct node *pool = pool_new(), *job = job_new();   (two constructors)
 *     pthread_mutex_lock(&pool->lock);                    {pool_new()}struct node.lock
 *     pthread_mutex_lock(&job->lock);                     {job_new()}struct node.lock
 *
 * -- as Infer's RacerD names abstract addresses.  An allocation site is a
 * call of a C library allocator (`malloc@file.c:12`) or of a constructor, a
 * function each of whose returns gives NULL or a block from an allocation
 * (named by the constructor: `conn_new()` wherever it is called).
 *
 * The frontend records, for each path through a pointer, where that
 * pointer is read from (ll_path.site: a local set once to an allocation,
 * a struct field by type and field, a global, a parameter), and every
 * store of a block pointer into such a slot (ll_tu_facts.ptrflows: an
 * assignment, a struct initialiser, a call's argument into the callee's
 * parameter, a start argument into the start routine's, a returned value
 * into the function's @ret).  Over the whole run, flow-insensitively, a
 * slot has a site when everything stored into it comes from that one
 * site; anything else -- a value of unknown origin (a list, an unseen
 * caller: parameters of functions whose address is taken, of main, of a
 * library's exported functions), two sites, nothing stored, its address
 * taken or the pointer stepped -- leaves it without one.  A path whose
 * pointer has a site gets it in front of its class with embedding path
 * (ll_path.emb "{pool_new()}struct node.lock"); ll_class_may_alias()
 * (summary.h) tells two classes apart only when both have sites and they
 * differ, so an object of unknown origin may still be any of them (prefer
 * merging, which may keep a false finding, over splitting, which may hide
 * a real deadlock).  ll_path_rebase() gives a callee's path through its
 * parameter the site of the argument.
 *
 * Not followed: stores through a pointer to a pointer (`*pp = x`), memcpy()
 * of structs holding pointers, file-scope initialisers, calls through
 * function pointers (their targets' parameters have no site), locals set
 * more than once.
 */
#ifndef LL_SITES_H
#define LL_SITES_H

#include "arena.h"
#include "ir.h"

#include <stdbool.h>
#include <stddef.h>

/* Resolves every path's site in place, run-wide (new strings in `a`, which
 * must outlive the facts' use): ll_path.site becomes "{SITE}" or NULL, and
 * a path through a pointer with a site gets it in front of its emb.
 * `library`: exported functions are called from outside the run (entry
 * points configured), as when the run has no main().  Idempotent.  Returns the number of
 * constructors found, or -1 when out of memory. */
long ll_resolve_sites(struct ll_tu_facts *tus, size_t ntus, bool library, struct ll_arena *a);

/* The site of class-with-embedding `emb` ("{pool_new()}struct node.lock"):
 * its length with the braces, 0 when it has none. */
size_t ll_site_prefix(const char *emb);

#endif
