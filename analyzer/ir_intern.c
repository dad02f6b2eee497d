/*
 * ir_intern: one walk over every string field of a TU's facts (the fields
 * ir_blob.c writes), each replaced through an open-addressing table of the
 * strings seen so far.
 */
#include "ir_intern.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct table {
    const char **slots; /* NULL = empty */
    uint64_t *hashes;
    size_t nslots, n;
    bool oom;
};

static uint64_t str_hash(const char *s)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

static int rehash(struct table *t, size_t nslots)
{
    const char **slots = calloc(nslots, sizeof(*slots));
    uint64_t *hashes = calloc(nslots, sizeof(*hashes));
    if (!slots || !hashes) {
        free(slots);
        free(hashes);
        return -1;
    }
    for (size_t i = 0; i < t->nslots; i++) {
        if (!t->slots[i])
            continue;
        size_t j = t->hashes[i] & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = t->slots[i];
        hashes[j] = t->hashes[i];
    }
    free(t->slots);
    free(t->hashes);
    t->slots = slots;
    t->hashes = hashes;
    t->nslots = nslots;
    return 0;
}

/* *s becomes the first string equal to it that the table has seen. */
static void intern(struct table *t, const char **s)
{
    if (!*s || t->oom)
        return;
    if ((t->n + 1) * 2 > t->nslots && rehash(t, t->nslots ? t->nslots * 2 : 1024) != 0) {
        t->oom = true;
        return;
    }
    uint64_t h = str_hash(*s);
    size_t j = h & (t->nslots - 1);
    for (; t->slots[j]; j = (j + 1) & (t->nslots - 1))
        if (t->hashes[j] == h && (t->slots[j] == *s || strcmp(t->slots[j], *s) == 0)) {
            *s = t->slots[j];
            return;
        }
    t->slots[j] = *s;
    t->hashes[j] = h;
    t->n++;
}

static void intern_path(struct table *t, struct ll_path *p)
{
    intern(t, &p->text);
    intern(t, &p->key);
    intern(t, &p->cls);
    intern(t, &p->emb);
    intern(t, &p->root_usr);
    intern(t, &p->site);
}

static void intern_function(struct table *t, struct ll_function *fn)
{
    intern(t, &fn->usr);
    intern(t, &fn->name);
    for (uint32_t i = 0; i < fn->nparams; i++)
        intern(t, &fn->params[i]);
    for (uint32_t i = 0; i < fn->nevents; i++) {
        struct ll_event *e = &fn->events[i];
        intern_path(t, &e->obj);
        intern_path(t, &e->aux);
        intern(t, &e->api);
        intern(t, &e->callee);
        intern(t, &e->result_var);
        for (uint32_t k = 0; k < e->nargs; k++)
            intern_path(t, &e->args[k]);
    }
    for (uint32_t i = 0; i < fn->nblocks; i++) {
        struct ll_cond *c = &fn->blocks[i].cond;
        intern(t, &c->var);
        intern(t, &c->text);
        intern(t, &c->tested);
        for (uint32_t k = 0; k < c->nvars; k++)
            intern(t, &c->vars[k]);
    }
}

int ll_facts_intern(struct ll_tu_facts *f)
{
    struct table t = {0};
    intern(&t, &f->main_file);
    for (uint32_t i = 0; i < f->nfiles; i++)
        intern(&t, &f->files[i]);
    for (uint32_t i = 0; i < f->nfunctions; i++)
        intern_function(&t, &f->functions[i]);
    for (uint32_t i = 0; i < f->nglobals; i++) {
        intern(&t, &f->globals[i].usr);
        intern(&t, &f->globals[i].name);
        intern(&t, &f->globals[i].type);
        intern(&t, &f->globals[i].recursive_fields);
    }
    for (uint32_t i = 0; i < f->nfnrefs; i++) {
        intern(&t, &f->fnrefs[i].usr);
        intern(&t, &f->fnrefs[i].context);
    }
    for (uint32_t i = 0; i < f->nptrflows; i++) {
        intern(&t, &f->ptrflows[i].usr);
        intern(&t, &f->ptrflows[i].context);
    }
    intern(&t, &f->first_error);
    for (uint32_t i = 0; i < f->ndeps; i++)
        intern(&t, &f->deps[i]);
    free(t.slots);
    free(t.hashes);
    return t.oom ? -1 : 0;
}
