/* Modelled on: goblint/analyzer tests/regression/15-deadlock/27-self_deadlock.c
 * and Infer starvation/self_deadlock.c, in a recursive tree walk.
 * Bug: tree_sum() takes tree_lock and recurses into itself for the
 * children with the lock still held.
 * Expected rule: double-lock
 * locklint: NOTE: two remarks "may be acquired again by calling tree_sum ... on some of its paths"
 * (not a warning)
 */
#include <pthread.h>
#include <stddef.h>

struct tnode {
    struct tnode *left, *right;
    int v;
};
static pthread_mutex_t tree_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tnode leaf1 = {NULL, NULL, 1}, leaf2 = {NULL, NULL, 2};
static struct tnode root = {&leaf1, &leaf2, 3};

static int tree_sum(struct tnode *n)
{
    int s;
    if (!n)
        return 0;
    pthread_mutex_lock(&tree_lock);
    s = n->v + tree_sum(n->left) + tree_sum(n->right);
    pthread_mutex_unlock(&tree_lock);
    return s;
}

static void *reader(void *arg)
{
    return (void *)(long)tree_sum(&root);
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    pthread_join(t, NULL);
    return 0;
}
