/* Modelled on: ros2/rcutils#477 ("rcutils_get_zero_initialized_string_array
 * has (potential) data race": a function-static struct written by every
 * caller and returned by value).
 * Bug: every call writes the static local's field; two threads call it.
 * Expected rule: unprotected-write
 * locklint: FOUND: warning unprotected-write (arr.allocator)
 */
#include <pthread.h>

struct alloc {
    void *state;
    int kind;
};
struct array {
    int size;
    struct alloc allocator;
};

static struct alloc default_alloc(void)
{
    struct alloc a = {0, 1};
    return a;
}

static struct array zero_array(void)
{
    static struct array arr = {0};
    arr.allocator = default_alloc();
    return arr;
}

static void *user(void *arg)
{
    struct array a = zero_array();
    return (void *)(long)a.allocator.kind;
}

int main(void)
{
    pthread_t x, y;
    pthread_create(&x, NULL, user, NULL);
    pthread_create(&y, NULL, user, NULL);
    pthread_join(x, NULL);
    pthread_join(y, NULL);
    return 0;
}
