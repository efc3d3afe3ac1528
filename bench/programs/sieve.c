/* Sieve of Eratosthenes: byte stores and tight loops. */
#include <stdio.h>
#include <string.h>

#define N 4000000
static unsigned char composite[N + 1];

int main(void)
{
    unsigned long long sum = 0;
    unsigned count = 0;
    for (int round = 0; round < 15; round++) {
        memset(composite, 0, sizeof composite);
        count = 0;
        for (unsigned i = 2; i <= N; i++) {
            if (composite[i])
                continue;
            count++;
            sum += i;
            for (unsigned j = i + i; j <= N; j += i)
                composite[j] = 1;
        }
    }
    printf("sieve primes %u checksum %llu\n", count, sum);
    return 0;
}
