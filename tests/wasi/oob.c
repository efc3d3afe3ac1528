/* Out-of-bounds accesses from C: `oob OP ADDRESS` reads or writes at
 * ADDRESS, which traps when it is outside the memory.  OP: peek (an int
 * load), poke (an int store), vpeek (a 16-byte vector load). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasm_simd128.h>

__attribute__((noinline)) int peek(volatile int *p)
{
    return *p;
}

__attribute__((noinline)) void poke(volatile int *p, int v)
{
    *p = v;
}

__attribute__((noinline)) int vpeek(volatile v128_t *p)
{
    v128_t v = *p;
    return wasm_i32x4_extract_lane(v, 0) + wasm_i32x4_extract_lane(v, 3);
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    uintptr_t a = (uintptr_t)strtoul(argv[2], NULL, 0);
    if (strcmp(argv[1], "peek") == 0)
        printf("%d\n", peek((volatile int *)a));
    else if (strcmp(argv[1], "poke") == 0)
        poke((volatile int *)a, 1);
    else if (strcmp(argv[1], "vpeek") == 0)
        printf("%d\n", vpeek((volatile v128_t *)a));
    else
        return 2;
    return 0;
}
