/* Modelled on: davidmoreno/onion#158 ("localtime call isn't reentrant ...
 * changed the call to localtime_r"), clicon/clixon#205.
 * Bug: two threads call localtime(), which returns a pointer to one static
 * struct tm that each call overwrites.
 * Expected rule: unprotected-write (a race inside the C library's static data)
 * locklint: MISSED: silent (no model of localtime()'s static result)
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static void *logger(void *arg)
{
    time_t now = time(NULL);
    struct tm *tm = localtime(&now);
    printf("%02d:%02d %s\n", tm->tm_hour, tm->tm_min, (const char *)arg);
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, logger, "a");
    pthread_create(&b, NULL, logger, "b");
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return 0;
}
