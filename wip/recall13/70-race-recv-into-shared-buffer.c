/* Modelled on: bsc-performance-tools/extrae#6 and ocaml/ocaml#12755 (a shared
 * buffer filled outside the lock that its readers hold) -- here the
 * buffer is filled by read() and memcpy(), C library calls writing
 * through their pointer argument.
 * Bug: the reader thread read()s into the global line buffer without
 * msg_lock while the parser copies out of it under msg_lock.
 * Expected rule: unprotected-write
 * locklint: MISSED: silent (read() into line and memcpy() from it are no accesses for a char array)
 * Since gap 1 landed (analyzer/memapi.c): found, unprotected-write warning.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

static char line[256];
static char parsed[256];
static pthread_mutex_t msg_lock = PTHREAD_MUTEX_INITIALIZER;

static void *reader(void *arg)
{
    for (;;) {
        ssize_t n = read(0, line, sizeof line - 1);
        if (n <= 0)
            break;
    }
    return arg;
}

static void *parser(void *arg)
{
    pthread_mutex_lock(&msg_lock);
    memcpy(parsed, line, sizeof parsed);
    pthread_mutex_unlock(&msg_lock);
    return arg;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, reader, NULL);
    pthread_create(&b, NULL, parser, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
