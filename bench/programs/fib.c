/* Recursive Fibonacci: calls and returns. */
#include <stdio.h>

static unsigned fib(unsigned n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
    unsigned sum = 0;
    for (unsigned i = 0; i < 3; i++)
        sum += fib(38 + i % 2);
    printf("fib checksum %u\n", sum);
    return 0;
}
