/* wasi-threads guests for tests/tools/guest-threads.sh and make bench:
 * freestanding C (Debian's wasi-libc has no pthreads) with -matomics
 * -mbulk-memory, linked with a shared, imported memory.  Each export is
 * one test, run with wasm-run --invoke; the spawned threads enter
 * wasi_thread_start(tid, arg), where arg says what to do.
 *
 * Every instance (thread) starts with the same __stack_pointer, so the
 * code that threads run keeps its data in globals and wasm locals and
 * never takes the address of a local (nothing goes on the shadow
 * stack). */
#include <stdint.h>

#define IMPORT(m, n) __attribute__((import_module(m), import_name(n)))
#define EXPORT(n) __attribute__((export_name(n)))
#define SC __ATOMIC_SEQ_CST

IMPORT("wasi", "thread-spawn") int32_t thread_spawn(int32_t arg);
IMPORT("wasi_snapshot_preview1", "proc_exit") _Noreturn void proc_exit(int32_t code);

enum { T_COUNT, T_WAIT, T_TRAP, T_EXIT, T_PRIMES, T_IDLE };

#define MAX_THREADS 16

static int32_t counter, adds_each;
static int32_t done;                  /* threads finished */
static int32_t go;                    /* T_WAIT threads wait for 1 */
static int32_t woke_by_notify;
static int32_t nthreads_run, primes_limit;
static int32_t primes_found[MAX_THREADS];

static int is_prime(int32_t n)
{
    if (n < 2)
        return 0;
    for (int32_t d = 2; d * d <= n; d++)
        if (n % d == 0)
            return 0;
    return 1;
}

/* Primes below limit in the blocks of 1024 numbers that are this part's,
 * dealt round-robin: every part gets as many small and large numbers and
 * as many odd ones (a split by residue would give one part all the even
 * numbers, leaving it nothing to do with two threads). */
#define PRIME_BLOCK 1024

static int32_t count_primes(int32_t part, int32_t parts, int32_t limit)
{
    int32_t n = 0;
    for (int32_t b = part * PRIME_BLOCK; b < limit; b += parts * PRIME_BLOCK)
        for (int32_t i = b; i < b + PRIME_BLOCK && i < limit; i++)
            n += is_prime(i);
    return n;
}

static void finish(void)
{
    __atomic_fetch_add(&done, 1, SC);
    __builtin_wasm_memory_atomic_notify(&done, 1);
}

EXPORT("wasi_thread_start")
void wasi_thread_start(int32_t tid, int32_t arg)
{
    int32_t kind = arg & 0xff, index = arg >> 8;
    switch (kind) {
    case T_COUNT:
        for (int32_t i = 0; i < adds_each; i++)
            __atomic_fetch_add(&counter, 1, SC);
        break;
    case T_WAIT:
        /* 0: woken by notify; 1: go was already set. */
        while (__atomic_load_n(&go, SC) == 0)
            if (__builtin_wasm_memory_atomic_wait32(&go, 0, -1) == 0)
                __atomic_fetch_add(&woke_by_notify, 1, SC);
        break;
    case T_TRAP:
        __builtin_trap();
    case T_EXIT:
        proc_exit(7);
    case T_PRIMES:
        primes_found[index] = count_primes(index, nthreads_run, primes_limit);
        break;
    default:
        /* T_IDLE: stay until the process ends. */
        for (;;)
            __builtin_wasm_memory_atomic_wait32(&go, 0, -1);
    }
    finish();
}

/* Wait until n threads have finished. */
static void join(int32_t n)
{
    int32_t d;
    while ((d = __atomic_load_n(&done, SC)) < n)
        __builtin_wasm_memory_atomic_wait32(&done, d, -1);
}

static int32_t spawn_all(int32_t n, int32_t kind)
{
    __atomic_store_n(&done, 0, SC);
    for (int32_t i = 0; i < n; i++)
        if (thread_spawn(kind | i << 8) <= 0)
            return -1;
    return 0;
}

/* n threads add `each` to one counter: n * each. */
EXPORT("count")
int32_t count(int32_t n, int32_t each)
{
    counter = 0;
    adds_each = each;
    if (spawn_all(n, T_COUNT) < 0)
        return -1;
    join(n);
    return __atomic_load_n(&counter, SC);
}

/* Waits that see another value (1) and time out (2), then n threads
 * waiting for `go`, released by one notify: returns 1000 * (1 + 2) +
 * threads finished, and notify's count of woken threads must not exceed
 * the threads woken by it. */
EXPORT("wait_notify")
int32_t wait_notify(int32_t n)
{
    int32_t zero = 0;
    int32_t other = __builtin_wasm_memory_atomic_wait32(&go, 1, 1000000000);
    int32_t timed_out = __builtin_wasm_memory_atomic_wait32(&zero, 0, 20 * 1000000);
    if (spawn_all(n, T_WAIT) < 0)
        return -1;
    /* Let them start waiting (not required: a late one sees go == 1). */
    __builtin_wasm_memory_atomic_wait32(&zero, 0, 50 * 1000000);
    __atomic_store_n(&go, 1, SC);
    int32_t woken = __builtin_wasm_memory_atomic_notify(&go, (uint32_t)n);
    join(n);
    if (woken > __atomic_load_n(&woke_by_notify, SC))
        return -2;
    return 1000 * (other + timed_out) + __atomic_load_n(&done, SC);
}

/* A thread that traps ends the process (status 134). */
EXPORT("trap_in_thread")
int32_t trap_in_thread(void)
{
    if (spawn_all(1, T_TRAP) < 0)
        return -1;
    join(1);
    return 0;
}

/* A thread that calls proc_exit(7) ends the process with 7. */
EXPORT("exit_in_thread")
int32_t exit_in_thread(void)
{
    if (spawn_all(1, T_EXIT) < 0)
        return -1;
    join(1);
    return 0;
}

/* Spawn threads that never end until a spawn fails (at wasm-run's
 * --max-threads) or `most` run: 1000 * spawned - the failed result. */
EXPORT("spawn_until_refused")
int32_t spawn_until_refused(int32_t most)
{
    int32_t n = 0, r = 0;
    while (n < most && (r = thread_spawn(T_IDLE)) > 0)
        n++;
    return 1000 * n - (r > 0 ? 0 : r);
}

/* Primes below limit, counted by n threads; the caller compares with
 * the count a single thread finds (or a known one). */
EXPORT("primes")
int32_t primes(int32_t n, int32_t limit)
{
    if (n < 1 || n > MAX_THREADS)
        return -1;
    nthreads_run = n;
    primes_limit = limit;
    if (spawn_all(n, T_PRIMES) < 0)
        return -1;
    join(n);
    int32_t total = 0;
    for (int32_t i = 0; i < n; i++)
        total += primes_found[i];
    return total;
}
