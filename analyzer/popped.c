/*
 * popped: elements a thread unlinks from a shared container under its
 * lock (see popped.h).
 */
#include "popped.h"

#include "dataflow.h"
#include "view_internal.h"

#include <string.h>

#define MAX_PATH 512

/* Lock l of f is held exclusively on every path at event e. */
static bool held_at(const struct ll_fn_view *f, uint32_t e, uint32_t l)
{
    uint8_t st = ll_df_state(&f->df, e, l);
    return (st & LL_LS_HELD) && !(st & (LL_LS_FREE | LL_LS_ENTRY | LL_LS_NEVER | LL_LS_SHARED));
}

/* Whether `key` names `slot` or a part of what it names (`slot`,
 * `slot->f`, `slot.f`, `slot^m`, `slot^m->f`). */
static bool part_of(const char *key, const char *slot)
{
    if (!key || !slot)
        return false;
    size_t n = strlen(slot);
    return strncmp(key, slot, n) == 0 && (key[n] == '\0' || key[n] == '.' || key[n] == '^' ||
                                          (key[n] == '-' && key[n + 1] == '>'));
}

/* Callees one question may look into: each is scanned once, so crafted
 * call chains (A calls B a thousand times, B calls A) cost a bounded
 * amount.  Past it the answer is "no": not a pop, the race stays. */
#define WRITES_BUDGET 64

/* Whether g writes through its parameter k (`e->prev->next = ...`),
 * itself or in a callee it hands the parameter (or what it points to) to
 * (`list_del_init(e)` calling `__list_del(e->prev, e->next)`), at most
 * four calls deep and WRITES_BUDGET callees in all (*budget). */
static bool writes_through(const struct ll_view *v, const struct ll_fn_view *g, uint32_t k,
                           unsigned depth, unsigned *budget)
{
    const struct ll_function *fn = g->fn;
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind == LL_EV_ACCESS && (ev->flags & LL_EVF_WRITE) &&
            ev->obj.root == LL_ROOT_PARAM && ev->obj.param == (int16_t)k &&
            (ev->obj.flags & LL_PATH_DEREF))
            return true;
        if (ev->kind != LL_EV_CALL || depth >= 4 || ll_event_through_slot(ev))
            continue;
        const struct ll_fn_view *h = ll_view_callee(v, g, e);
        for (uint32_t j = 0; h && h != g && j < ev->nargs; j++) {
            if (ev->args[j].root != LL_ROOT_PARAM || ev->args[j].param != (int16_t)k)
                continue;
            if (*budget == 0)
                return false;
            --*budget;
            if (writes_through(v, h, j, depth + 1, budget))
                return true;
        }
    }
    return false;
}

/* One element popped: the slot it is loaded from, and the local it is
 * loaded into (NULL when the frontend names it by the slot's path). */
struct pop {
    const char *slot, *var;
};

/* Event x of f unlinks the element: it writes the slot, or hands the
 * element (or a part), or the container the slot is part of
 * (`pop_front(&q->head)` for the slot `q->head.next`), to a function
 * that writes through it. */
static bool unlinks(const struct ll_view *v, const struct ll_fn_view *f, uint32_t x,
                    const struct pop *p)
{
    const struct ll_event *ev = &f->fn->events[x];
    if (ev->kind == LL_EV_ACCESS)
        return (ev->flags & LL_EVF_WRITE) && ev->obj.key && strcmp(ev->obj.key, p->slot) == 0;
    if (ev->kind != LL_EV_CALL || ll_event_through_slot(ev))
        return false;
    const struct ll_fn_view *g = ll_view_callee(v, f, x);
    for (uint32_t k = 0; g && k < ev->nargs; k++)
        if ((part_of(ev->args[k].key, p->slot) || part_of(p->slot, ev->args[k].key) ||
             (p->var && part_of(ev->args[k].key, p->var)))) {
            unsigned budget = WRITES_BUDGET;
            if (writes_through(v, g, k, 0, &budget))
                return true;
        }
    return false;
}

/* Events one function's pop search may step over in all: a block of
 * thousands of slot reads under many locks costs a bounded amount.  Past
 * it the function pops nothing more (its races stay). */
#define STEPS_BUDGET (1u << 14)

/* Read event r of f pops its slot: a lock is held there and, later in
 * r's block with that lock still held, the element is unlinked.  *steps
 * counts down the events looked at. */
static bool pops(const struct ll_view *v, const struct ll_fn_view *f, uint32_t r, uint32_t end,
                 const struct pop *p, unsigned *steps)
{
    for (uint32_t l = 0; l < f->df.nlocks; l++) {
        if (!held_at(f, r, l))
            continue;
        for (uint32_t x = r + 1; x < end && held_at(f, x, l) && *steps > 0; x++, --*steps)
            if (unlinks(v, f, x, p))
                return true;
    }
    return false;
}

/* The local that event x loads the slot read just before into (`it =
 * q->head`: an access of the local whose aux is the slot), or NULL. */
static const char *loaded_into(const struct ll_function *fn, uint32_t x, const char *slot)
{
    const struct ll_event *ev = x < fn->nevents ? &fn->events[x] : NULL;
    return ev && ev->kind == LL_EV_ACCESS && ev->obj.root == LL_ROOT_LOCAL &&
                   !(ev->obj.flags & LL_PATH_DEREF) && ev->aux.key && strcmp(ev->aux.key, slot) == 0
               ? ev->obj.key
               : NULL;
}

/* A slot in memory: a field (`q->head`, `md->list.next`), not a variable. */
static bool memory_slot(const struct ll_path *p)
{
    return p->key && (strstr(p->key, "->") || strchr(p->key, '.')) && !(p->flags & LL_PATH_ADDR);
}

#define MAX_POPS 8

static int fn_pops(const struct ll_view *v, const struct ll_fn_view *f, struct ll_arena *a,
                   struct pop **out)
{
    const struct ll_function *fn = f->fn;
    struct pop found[MAX_POPS];
    uint32_t n = 0;
    unsigned steps = STEPS_BUDGET;
    *out = NULL;
    for (uint32_t b = 0; b < fn->nblocks && n < MAX_POPS && f->df.nlocks; b++) {
        const struct ll_block *bl = &fn->blocks[b];
        uint32_t end = bl->first_event + bl->nevents;
        for (uint32_t r = bl->first_event; r < end && n < MAX_POPS; r++) {
            const struct ll_event *ev = &fn->events[r];
            if (ev->kind != LL_EV_ACCESS || (ev->flags & LL_EVF_WRITE) || !f->df.reached[r] ||
                !memory_slot(&ev->obj))
                continue;
            struct pop p = {ev->obj.key, loaded_into(fn, r + 1, ev->obj.key)};
            if (pops(v, f, r, end, &p, &steps))
                found[n++] = p;
        }
    }
    if (n == 0)
        return 0;
    struct pop *all = ll_arena_alloc(a, (n + 1) * sizeof(*all));
    if (!all)
        return -1;
    memcpy(all, found, n * sizeof(*all));
    all[n].slot = NULL;
    *out = all;
    return 0;
}

/* Every value the function gives local `var` is an element it pops. */
static bool only_popped(const struct ll_function *fn, const struct pop *all, const char *var)
{
    for (uint32_t e = 0; e < fn->nevents; e++) {
        const struct ll_event *ev = &fn->events[e];
        if (ev->kind != LL_EV_ACCESS || ev->obj.root != LL_ROOT_LOCAL || !ev->obj.key ||
            (ev->obj.flags & LL_PATH_DEREF) || strcmp(ev->obj.key, var) != 0 ||
            (!(ev->flags & LL_EVF_WRITE) && !ev->aux.key))
            continue;
        bool popped = false;
        for (const struct pop *p = all; p->slot && !popped; p++)
            popped = p->var && strcmp(p->var, var) == 0 && ev->aux.key &&
                     strcmp(ev->aux.key, p->slot) == 0;
        if (!popped)
            return false;
    }
    return true;
}

int ll_popped_build(const struct ll_view *v, struct ll_arena *a, struct ll_popped *out)
{
    out->pops = ll_arena_alloc(a, (v->nfns + 1) * sizeof(*out->pops));
    if (!out->pops)
        return -1;
    for (size_t i = 0; i < v->nfns; i++)
        if (fn_pops(v, &v->fns[i], a, &out->pops[i]) != 0)
            return -1;
    return 0;
}

const char *ll_popped_site(const struct ll_popped *p, const struct ll_view *v, uint32_t fn,
                           uint32_t e, struct ll_arena *a)
{
    const struct ll_fn_view *f = &v->fns[fn];
    const struct ll_event *ev = &f->fn->events[e];
    const char *key = ev->obj.key;
    if (!p->pops || !p->pops[fn] || !(ev->obj.flags & LL_PATH_DEREF) || !key ||
        strlen(key) >= MAX_PATH)
        return NULL;
    /* the element: the path less its last field, less a trailing
     * container_of step: the slot's path, or the local it was loaded into */
    char elem[MAX_PATH];
    const char *arrow = NULL;
    for (const char *q = strstr(key, "->"); q; q = strstr(q + 2, "->"))
        arrow = q;
    if (!arrow || arrow == key)
        return NULL;
    size_t n = (size_t)(arrow - key);
    memcpy(elem, key, n);
    elem[n] = '\0';
    char *caret = strrchr(elem, '^');
    if (caret && !strstr(caret, "->") && !strchr(caret, '.'))
        *caret = '\0';
    bool local = ev->obj.root == LL_ROOT_LOCAL && !strstr(elem, "->") && !strchr(elem, '.');
    for (const struct pop *q = p->pops[fn]; q->slot; q++)
        if (local ? q->var && strcmp(q->var, elem) == 0 && only_popped(f->fn, p->pops[fn], elem)
                  : strcmp(q->slot, elem) == 0)
            return ll_arena_printf(a, "%s|%s", f->fn->usr ? f->fn->usr : "?", q->slot);
    return NULL;
}
