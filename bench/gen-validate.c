/*
 * Writes a large, deterministic C program to stdout: the input of
 * bench/validate.sh, which compiles it to a multi-megabyte module.
 *
 * usage: gen-validate NFUNCS [PART NPARTS]
 *
 * With PART and NPARTS it writes only every NPARTS-th function starting at
 * PART (and declarations of all), so the parts compile in parallel and
 * link into the same module.  Each function draws from its own seed.
 *
 * The functions mix what compiled code is made of: integer and float
 * loops over arrays, switches (br_table), direct and indirect calls,
 * 64-bit arithmetic and nested conditionals.
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned long gen_state;

static unsigned gen_rand(unsigned n)
{
    gen_state = gen_state * 6364136223846793005ul + 1442695040888963407ul;
    return (unsigned)(gen_state >> 33) % n;
}

/* Shared data: defined by part 0, declared by the others. */
static void gen_prelude(int part)
{
    const char *ext = part ? "extern " : "";
    puts("typedef unsigned long long u64;\n"
         "typedef int (*fn_t)(int, int);\n"
         "extern fn_t gtab[64];");
    printf("%sint ga[4096];\n%sfloat gf[4096];\n%sdouble gd[1024];\n%su64 gq[1024];\n\n",
           ext, ext, ext, ext);
}

static void gen_int_loop(int i)
{
    printf("    for (int k = 0; k < n; k++) {\n"
           "        int v = ga[(k * %u + a) & 4095];\n"
           "        if (v > %u) acc += v * %u - (acc >> %u);\n"
           "        else acc ^= v + %u;\n"
           "        ga[(k + %d) & 4095] = acc;\n"
           "    }\n",
           gen_rand(97) + 1, gen_rand(1000), gen_rand(50) + 1, gen_rand(7) + 1,
           gen_rand(10000), i);
}

static void gen_float_loop(void)
{
    printf("    {\n"
           "        float s = 0;\n"
           "        for (int k = 0; k < n; k++)\n"
           "            s += gf[(k + a) & 4095] * %u.5f - gf[(k * 3) & 4095] / %u.0f;\n"
           "        acc += (int)s;\n"
           "        gd[a & 1023] = gd[b & 1023] * %u.25 + (double)s;\n"
           "    }\n",
           gen_rand(9), gen_rand(9) + 1, gen_rand(5));
}

static void gen_switch(void)
{
    unsigned cases = 4 + gen_rand(10);
    printf("    switch ((acc + b) & 15) {\n");
    for (unsigned c = 0; c < cases; c++)
        printf("    case %u: acc = acc * %u + %u; break;\n", c, gen_rand(13) + 2,
               gen_rand(1000));
    printf("    default: acc -= b; break;\n    }\n");
}

static void gen_calls(int i)
{
    if (i > 0)
        printf("    if (acc & %u) acc += f%u(acc & 255, b - 1);\n", 1u << gen_rand(8),
               gen_rand((unsigned)i));
    printf("    if (b > 0) acc += gtab[(acc + %u) & 63](a, b - 1);\n", gen_rand(64));
}

static void gen_u64(void)
{
    printf("    {\n"
           "        u64 q = gq[a & 1023] * %lluull + (u64)acc;\n"
           "        q ^= q >> %u;\n"
           "        q = (q << %u) | (q >> %u);\n"
           "        gq[(a + b) & 1023] = q;\n"
           "        acc += (int)(q %% %uu);\n"
           "    }\n",
           (unsigned long long)gen_rand(100000) * 7919, gen_rand(31) + 1, gen_rand(20) + 1,
           gen_rand(20) + 1, gen_rand(1000) + 7);
}

static void gen_func(int i)
{
    gen_state = 12345u + (unsigned long)i * 2654435761u;
    printf("int f%d(int a, int b)\n{\n    int acc = a * %u + b;\n    int n = (b & 63) + %u;\n",
           i, gen_rand(100) + 1, gen_rand(16));
    for (unsigned part = 0, parts = 4 + gen_rand(4); part < parts; part++) {
        switch (gen_rand(5)) {
        case 0: gen_int_loop(i); break;
        case 1: gen_float_loop(); break;
        case 2: gen_switch(); break;
        case 3: gen_calls(i); break;
        default: gen_u64(); break;
        }
    }
    printf("    return acc;\n}\n\n");
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 3000;
    int part = argc > 3 ? atoi(argv[2]) : 0;
    int nparts = argc > 3 ? atoi(argv[3]) : 1;
    if (n < 1 || nparts < 1 || part < 0 || part >= nparts) {
        fprintf(stderr, "usage: gen-validate NFUNCS [PART NPARTS]\n");
        return 2;
    }
    gen_prelude(part);
    for (int i = 0; i < n; i++)
        printf("int f%d(int a, int b);\n", i);
    for (int i = part; i < n; i += nparts)
        gen_func(i);
    if (part != 0)
        return 0;
    gen_state = 1;
    printf("fn_t gtab[64] = {");
    for (int i = 0; i < 64; i++)
        printf("%sf%u", i ? ", " : "", gen_rand((unsigned)n));
    printf("};\n");
    return 0;
}
