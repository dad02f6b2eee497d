#!/usr/bin/env python3
"""gen_tu.py N OUT.c: one generated translation unit of N functions.

N/2 mutex pairs; for each pair a locked update (both locks, nested in
order, a guarded counter, a condition over locals) and a start routine
that calls it, plus a main() that starts every tenth routine.  One
function is declared noreturn near the top of the file, as real code
does (a die() helper), so that attribute lookups see it.  The shape is
what makes a per-lock or per-call scan quadratic: many locks, many
calls, many functions in one TU.
"""
import sys


def main():
    n = int(sys.argv[1])
    pairs = max(1, n // 2)
    out = ["#include <pthread.h>", "#include <stdlib.h>", "",
           "static void die(const char *why) __attribute__((noreturn));",
           "static void die(const char *why) { (void)why; abort(); }", "",
           "#define LOCK(m) pthread_mutex_lock(&(m))",
           "#define UNLOCK(m) pthread_mutex_unlock(&(m))", ""]
    for i in range(pairs):
        out.append(f"static pthread_mutex_t a{i} = PTHREAD_MUTEX_INITIALIZER;")
        out.append(f"static pthread_mutex_t b{i} = PTHREAD_MUTEX_INITIALIZER;")
        out.append(f"static long count{i};")
    out.append("")
    for i in range(pairs):
        out.append(f"""static void update{i}(long d)
{{
    long v = d * 2;
    if (v < 0 && d != -1)
        die("negative");
    LOCK(a{i});
    pthread_mutex_lock(&b{i});
    count{i} += v;
    pthread_mutex_unlock(&b{i});
    UNLOCK(a{i});
}}

static void *worker{i}(void *arg)
{{
    for (long k = 0; k < 4; k++)
        update{i}(k + (arg != NULL));
    return NULL;
}}
""")
    out.append("int main(void)\n{\n    pthread_t t;")
    for i in range(0, pairs, 10):
        out.append(f"    if (pthread_create(&t, NULL, worker{i}, NULL) == 0)")
        out.append("        pthread_join(t, NULL);")
    out.append("    return 0;\n}")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
