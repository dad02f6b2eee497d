/*
 * ir: lifecycle of one TU's facts and the names of the IR's enumerations.
 *
 * The facts themselves are plain data filled in by the frontend or by
 * ir_blob.c; this file only owns their arena, the spelling of event and
 * lock kinds used in dumps and messages, and one predicate on paths.  It
 * does not print anything (see ir_dump.c) and does not validate the
 * structures it is given.
 */
#include "ir.h"

#include <string.h>

void ll_tu_facts_init(struct ll_tu_facts *f)
{
    memset(f, 0, sizeof(*f));
    ll_arena_init(&f->arena);
}

void ll_tu_facts_release(struct ll_tu_facts *f)
{
    ll_arena_release(&f->arena);
    memset(f, 0, sizeof(*f));
    ll_arena_init(&f->arena);
}

const char *ll_event_kind_name(enum ll_event_kind k)
{
    static const char *const names[LL_EV_KIND_COUNT] = {
        [LL_EV_ACQUIRE] = "acquire",
        [LL_EV_TRYACQUIRE] = "tryacquire",
        [LL_EV_RELEASE] = "release",
        [LL_EV_ACCESS] = "access",
        [LL_EV_CALL] = "call",
        [LL_EV_THREAD_CREATE] = "thread_create",
        [LL_EV_JOIN] = "join",
        [LL_EV_DETACH] = "detach",
        [LL_EV_COND_WAIT] = "cond_wait",
        [LL_EV_COND_SIGNAL] = "cond_signal",
        [LL_EV_SEM_WAIT] = "sem_wait",
        [LL_EV_SEM_POST] = "sem_post",
        [LL_EV_BLOCKING] = "blocking",
        [LL_EV_LOCK_INIT] = "lock_init",
        [LL_EV_RETURN] = "return",
        [LL_EV_LOCK_DESTROY] = "lock_destroy",
        [LL_EV_BARRIER_INIT] = "barrier_init",
        [LL_EV_BARRIER_WAIT] = "barrier_wait",
        [LL_EV_ATTR_RECURSIVE] = "attr_recursive",
        [LL_EV_LOCK_COPY] = "lock_copy",
    };
    if ((unsigned)k >= LL_EV_KIND_COUNT)
        return "?";
    return names[k];
}

const char *ll_lock_kind_name(enum ll_lock_kind k)
{
    static const char *const names[] = {
        [LL_LK_NONE] = "none",     [LL_LK_MUTEX] = "mutex",   [LL_LK_RECURSIVE] = "recursive mutex",
        [LL_LK_RWLOCK] = "rwlock", [LL_LK_SPIN] = "spinlock", [LL_LK_C11_MTX] = "mtx",
        [LL_LK_SEM] = "semaphore", [LL_LK_OTHER] = "other",
    };
    if ((unsigned)k >= sizeof(names) / sizeof(names[0]))
        return "?";
    return names[k];
}

/* Whether `k`, the rest of a key after its root, names a part of the
 * object the root points to: fields (`->lock`, `->in.lock`) and constant
 * indices (`->locks[0]`), through no other pointer. */
static bool part_steps(const char *k)
{
    if (strncmp(k, "->", 2) != 0)
        return false;
    for (k += 2; *k; k++) {
        if (*k == '-' || *k == '^' || *k == '*' || *k == '(' || *k == ')')
            return false;
        if (*k == '[') {
            const char *d = k + 1;
            while (*d >= '0' && *d <= '9')
                d++;
            if (d == k + 1 || *d != ']')
                return false;
            k = d;
        }
    }
    return true;
}

bool ll_path_param_part(const struct ll_path *p, const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (p->root != LL_ROOT_PARAM || !p->key || n == 0 || strncmp(p->key, name, n) != 0)
        return false;
    if (!(p->flags & (LL_PATH_ADDR | LL_PATH_DEREF)))
        return p->key[n] == '\0';
    return (p->flags & LL_PATH_ADDR) && part_steps(p->key + n);
}
