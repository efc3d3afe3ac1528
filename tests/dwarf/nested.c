/* A trap three calls deep, for backtraces with DWARF locations: the
 * tests look for the lines marked TRAP, CALL-INNER and CALL-MIDDLE.
 * Built as a WASI command, or with -DNO_MAIN as a library exporting run. */
__attribute__((noinline)) static int inner(volatile int *p, int n)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s += p[i];
    if (s > 10)
        __builtin_trap(); /* TRAP */
    return s;
}

__attribute__((noinline)) int middle(int n)
{
    volatile int a[8];
    for (int i = 0; i < 8; i++)
        a[i] = i + 1;
    return inner(a, n) + 1; /* CALL-INNER */
}

__attribute__((noinline)) int run(int n)
{
    return middle(n + 6); /* CALL-MIDDLE */
}

#ifndef NO_MAIN
int main(int argc, char **argv)
{
    (void)argv;
    return run(argc);
}
#endif
