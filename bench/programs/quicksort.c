/* Quicksort of pseudo-random integers: compares, swaps, recursion. */
#include <stdint.h>
#include <stdio.h>

#define N 600000
static int32_t v[N];

static void sort(int32_t *a, int lo, int hi)
{
    while (lo < hi) {
        int32_t p = a[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i <= j) {
                int32_t t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        if (j - lo < hi - i) {
            sort(a, lo, j);
            lo = i;
        } else {
            sort(a, i, hi);
            hi = j;
        }
    }
}

int main(void)
{
    uint32_t x = 42;
    uint64_t sum = 0;
    for (int r = 0; r < 3; r++) {
        for (int i = 0; i < N; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            v[i] = (int32_t)x;
        }
        sort(v, 0, N - 1);
        for (int i = 1; i < N; i++)
            if (v[i - 1] > v[i]) {
                printf("quicksort: not sorted\n");
                return 1;
            }
        for (int i = 0; i < N; i += 1000)
            sum += (uint32_t)v[i];
    }
    printf("quicksort checksum %llu\n", (unsigned long long)sum);
    return 0;
}
