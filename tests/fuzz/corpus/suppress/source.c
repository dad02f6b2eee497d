#include <pthread.h>
pthread_mutex_t m; // locklint-ignore: double-lock the caller never holds it
/* locklint-ignore-begin: lock-leak,unlock-not-held generated code */
const char *s = "// locklint-ignore: all not a directive";
/* locklint-ignore-end */
// locklint-ignore-begin
// locklint-ignore: nosuchrule
