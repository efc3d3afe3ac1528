/* A small WASI program for the optimizer tests: several functions, a loop,
 * recursion, memory and output, so the passes have work to do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static unsigned checksum(const char *s)
{
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static void sort(int *a, int n)
{
    for (int i = 1; i < n; i++) {
        int v = a[i], j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

int main(int argc, char **argv)
{
    int a[32];
    for (int i = 0; i < 32; i++)
        a[i] = (i * 7919) % 101;
    sort(a, 32);
    char buf[256] = "";
    for (int i = 0; i < 32; i += 4) {
        char tmp[16];
        snprintf(tmp, sizeof tmp, "%d ", a[i]);
        strcat(buf, tmp);
    }
    printf("sorted: %s\n", buf);
    printf("fib(20) = %u\n", fib(20));
    printf("checksum = %08x\n", checksum(buf));
    printf("args = %d\n", argc);
    return argc > 1 ? atoi(argv[1]) : 0;
}
