/* A small program for the differential wasm-objdump test: calls, indirect
 * calls, a switch (br_table), floats, 64-bit math, strings and data. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef double (*op_fn)(double, double);

static double add(double a, double b) { return a + b; }
static double mul(double a, double b) { return a * b; }
static const op_fn ops[] = {add, mul};

int counter = 7;
static char buffer[64];
__attribute__((used)) static const char banner[] = "objdump test";

__attribute__((noinline)) static int classify(int x)
{
    switch (x & 7) {
    case 0: return 10;
    case 1: return 21;
    case 2: return 32;
    case 3: return 43;
    case 5: return 65;
    default: return -1;
    }
}

__attribute__((export_name("mix")))
uint64_t mix(uint64_t h, uint32_t v)
{
    h ^= v;
    h *= 0x100000001b3ull;
    return (h << 13) | (h >> 51);
}

int main(int argc, char **argv)
{
    float f = 1.5f;
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < argc; i++) {
        h = mix(h, (uint32_t)strlen(argv[i]));
        counter += classify(i);
        f *= 1.25f;
    }
    snprintf(buffer, sizeof buffer, "%s %d", banner, counter);
    memset(buffer + 40, 'x', 8);
    printf("%s %g %llu\n", buffer, ops[argc & 1](f, 2.0), (unsigned long long)h);
    return 0;
}
