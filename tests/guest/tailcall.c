/* Mutual recursion by guaranteed tail calls (clang's musttail): with
 * -mtail-call each call is a return_call, so any count runs in constant
 * stack.  Prints a checksum of the walk for N (argv[1]) steps. */
#include <stdio.h>
#include <stdlib.h>

typedef unsigned long long u64;

static u64 odd_step(u64 n, u64 acc);

__attribute__((noinline)) static u64 even_step(u64 n, u64 acc)
{
    if (n == 0)
        return acc;
    __attribute__((musttail)) return odd_step(n - 1, acc + (n & 3));
}

__attribute__((noinline)) static u64 odd_step(u64 n, u64 acc)
{
    if (n == 0)
        return acc ^ 1;
    __attribute__((musttail)) return even_step(n - 1, acc * 3 + 1);
}

int main(int argc, char **argv)
{
    u64 n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000;
    printf("%llu\n", even_step(n, 0));
    return 0;
}
