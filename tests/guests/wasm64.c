/* A freestanding wasm64 guest (clang --target=wasm64-unknown-unknown):
 * pointers and sizes are 64-bit, so every load and store takes an i64
 * address.  tests/tools/guest-wasm64.sh calls its exports. */
typedef unsigned long long u64;

static unsigned char buf[3 * 65536 / 2];
static const char greeting[] = "hello from wasm64";

/* Fill buf[0..n) with a pattern, then sum it back through a pointer. */
u64 checksum(u64 n)
{
    if (n > sizeof buf)
        n = sizeof buf;
    for (u64 i = 0; i < n; i++)
        buf[i] = (unsigned char)(i * 7 + 3);
    u64 s = 0;
    for (const unsigned char *p = buf; p < buf + n; p++)
        s += *p;
    return s;
}

u64 greeting_length(void)
{
    const char *p = greeting;
    while (*p)
        p++;
    return (u64)(p - greeting);
}

long long fib(int n)
{
    long long a = 0, b = 1;
    while (n-- > 0) {
        long long t = a + b;
        a = b;
        b = t;
    }
    return a;
}

u64 pages(void)
{
    return __builtin_wasm_memory_size(0);
}

long long grow(long long delta)
{
    return __builtin_wasm_memory_grow(0, delta);
}

void poke(u64 addr, unsigned v)
{
    *(volatile unsigned *)addr = v;
}

unsigned peek(u64 addr)
{
    return *(volatile unsigned *)addr;
}
