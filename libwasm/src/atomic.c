/* Atomic instructions (threads): loads, stores, read-modify-write,
 * compare-exchange, wait, notify and the fence, all sequentially
 * consistent machine operations (GCC's __atomic builtins).
 *
 * Every atomic instruction compiles to one handler (IOP_ATOMIC) that calls
 * wasm_atomic_run, so the handlers of the other loads and stores stay as
 * they were.  An atomic access checks its bounds and its alignment itself
 * (it never relies on guard pages).
 *
 * Waiters sit in a table of buckets keyed by the host address they wait
 * on: a shared memory never moves, so the address names the location in
 * every thread.  Each waiter has its own condition variable; notify wakes
 * the oldest waiters first.  A wait sleeps in slices of at most
 * AT_SLICE_NS, so that lw_store_interrupt stops it too. */
#include "interp.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

#define AT_BUCKETS 64
#define AT_SLICE_NS 50000000ll

typedef struct at_waiter {
    const void *addr;
    pthread_cond_t cond;
    bool woken;
    struct at_waiter *next;
} at_waiter;

static struct {
    pthread_mutex_t lock;
    at_waiter *head;
} at_buckets[AT_BUCKETS] = {
    [0 ... AT_BUCKETS - 1] = {PTHREAD_MUTEX_INITIALIZER, NULL},
};

/* What an opcode after 0xFE does: codes 0x10.. are loads, 0x17.. the
 * stores, then seven of each read-modify-write operation in the order
 * below (opcodes.def). */
enum { AT_ADD, AT_SUB, AT_AND, AT_OR, AT_XOR, AT_XCHG, AT_CMPXCHG };
#define AT_FIRST_STORE 0x17
#define AT_FIRST_RMW 0x1E

static unsigned at_bucket(const void *addr)
{
    uintptr_t a = (uintptr_t)addr;
    return (unsigned)((a >> 2) ^ (a >> 12)) % AT_BUCKETS;
}

/* The host address of n bytes at a + offset, or a trap message. */
static const char *at_addr(const wasm_atomic_rec *r, uint64_t a, uint32_t n, uint8_t **at)
{
    const struct lw_memory *m = r->mem;
    uint64_t ea;
    if (m->type.is64) {
        if (__builtin_add_overflow(a, r->offset, &ea))
            return "out of bounds memory access";
    } else {
        ea = (uint64_t)(uint32_t)a + r->offset;
    }
    if (ea & (n - 1))
        return "unaligned atomic";
    uint64_t size = __atomic_load_n(&m->size, __ATOMIC_ACQUIRE);
    if (ea > size || n > size - ea)
        return "out of bounds memory access";
    *at = m->base + ea;
    return NULL;
}

#define AT_SC __ATOMIC_SEQ_CST

#define AT_RMW(T)                                                        \
    do {                                                                 \
        T *q = (T *)p, v = (T)b;                                         \
        switch (kind) {                                                  \
        case AT_ADD: return __atomic_fetch_add(q, v, AT_SC);             \
        case AT_SUB: return __atomic_fetch_sub(q, v, AT_SC);             \
        case AT_AND: return __atomic_fetch_and(q, v, AT_SC);             \
        case AT_OR: return __atomic_fetch_or(q, v, AT_SC);               \
        case AT_XOR: return __atomic_fetch_xor(q, v, AT_SC);             \
        case AT_XCHG: return __atomic_exchange_n(q, v, AT_SC);           \
        default:                                                         \
            __atomic_compare_exchange_n(q, &v, (T)c, false, AT_SC, AT_SC); \
            return v;                                                    \
        }                                                                \
    } while (0)

/* Read-modify-write of n bytes at p with operand b (and c, the
 * replacement of a compare-exchange that expects b); the old value. */
static uint64_t at_rmw(unsigned kind, uint32_t n, uint8_t *p, uint64_t b, uint64_t c)
{
    switch (n) {
    case 1: AT_RMW(uint8_t);
    case 2: AT_RMW(uint16_t);
    case 4: AT_RMW(uint32_t);
    default: AT_RMW(uint64_t);
    }
}

static uint64_t at_load(uint32_t n, const uint8_t *p)
{
    switch (n) {
    case 1: return __atomic_load_n(p, AT_SC);
    case 2: return __atomic_load_n((const uint16_t *)p, AT_SC);
    case 4: return __atomic_load_n((const uint32_t *)p, AT_SC);
    default: return __atomic_load_n((const uint64_t *)p, AT_SC);
    }
}

static void at_store(uint32_t n, uint8_t *p, uint64_t v)
{
    switch (n) {
    case 1: __atomic_store_n(p, (uint8_t)v, AT_SC); break;
    case 2: __atomic_store_n((uint16_t *)p, (uint16_t)v, AT_SC); break;
    case 4: __atomic_store_n((uint32_t *)p, (uint32_t)v, AT_SC); break;
    default: __atomic_store_n((uint64_t *)p, v, AT_SC); break;
    }
}

/* ThreadSanitizer does not model fences: there, a sequentially consistent
 * read-modify-write (a full barrier on the machine as well). */
#if defined(__SANITIZE_THREAD__)
static uint32_t at_fence_word;
static void at_fence(void)
{
    __atomic_fetch_add(&at_fence_word, 0, AT_SC);
}
#else
static void at_fence(void)
{
    __atomic_thread_fence(AT_SC);
}
#endif

static int64_t at_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void at_unlink(at_waiter **head, at_waiter *w)
{
    for (at_waiter **pp = head; *pp; pp = &(*pp)->next)
        if (*pp == w) {
            *pp = w->next;
            return;
        }
}

/* memory.atomic.wait32/64: 0 woken, 1 the value was not `expected`, 2
 * timed out (timeout in nanoseconds, negative: never). */
static const char *at_wait(lw_store *s, uint32_t n, uint8_t *p, uint64_t expected,
                           int64_t timeout, uint64_t *out)
{
    unsigned bi = at_bucket(p);
    pthread_mutex_lock(&at_buckets[bi].lock);
    if (at_load(n, p) != expected) {
        pthread_mutex_unlock(&at_buckets[bi].lock);
        *out = 1;
        return NULL;
    }
    at_waiter w = {p, PTHREAD_COND_INITIALIZER, false, NULL};
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&w.cond, &ca);
    pthread_condattr_destroy(&ca);
    at_waiter **tail = &at_buckets[bi].head;
    while (*tail)
        tail = &(*tail)->next;
    *tail = &w;
    int64_t now = at_now();
    int64_t deadline = timeout < 0 || timeout > INT64_MAX - now ? INT64_MAX : now + timeout;
    const char *msg = NULL;
    *out = 0;
    while (!w.woken) {
        if (s->interrupt) {
            s->interrupt = 0;
            s->poll = s->fuel != UINT64_MAX;
            msg = "interrupted";
            break;
        }
        if (now >= deadline) {
            *out = 2;
            break;
        }
        int64_t until = deadline - now > AT_SLICE_NS ? now + AT_SLICE_NS : deadline;
        struct timespec ts = {(time_t)(until / 1000000000ll), (long)(until % 1000000000ll)};
        pthread_cond_timedwait(&w.cond, &at_buckets[bi].lock, &ts);
        now = at_now();
    }
    if (!w.woken)
        at_unlink(&at_buckets[bi].head, &w);
    pthread_mutex_unlock(&at_buckets[bi].lock);
    pthread_cond_destroy(&w.cond);
    return msg;
}

/* memory.atomic.notify: wake up to count waiters on p; how many woke. */
static uint64_t at_notify(const uint8_t *p, uint32_t count)
{
    unsigned bi = at_bucket(p);
    uint32_t woken = 0;
    pthread_mutex_lock(&at_buckets[bi].lock);
    at_waiter **pp = &at_buckets[bi].head;
    while (*pp && woken < count) {
        at_waiter *w = *pp;
        if (w->addr != p) {
            pp = &w->next;
            continue;
        }
        *pp = w->next;
        w->woken = true;
        pthread_cond_signal(&w->cond);
        woken++;
    }
    pthread_mutex_unlock(&at_buckets[bi].lock);
    return woken;
}

const char *wasm_atomic_run(lw_store *s, const wasm_atomic_rec *r, uint64_t a,
                            uint64_t b, uint64_t c, uint64_t *out)
{
    const wasm_opinfo *oi = &wasm_opinfo_table[r->op];
    uint32_t code = oi->code, n = 1u << oi->align;
    uint8_t *p;
    const char *msg;
    if (r->op == OP_ATOMIC_FENCE) {
        at_fence();
        return NULL;
    }
    if ((msg = at_addr(r, a, n, &p)) != NULL)
        return msg;
    switch (r->op) {
    case OP_MEMORY_ATOMIC_NOTIFY:
        /* Nobody can wait on an unshared memory. */
        *out = r->mem->type.shared ? at_notify(p, (uint32_t)b) : 0;
        return NULL;
    case OP_MEMORY_ATOMIC_WAIT32:
    case OP_MEMORY_ATOMIC_WAIT64:
        if (!r->mem->type.shared)
            return "expected shared memory";
        return at_wait(s, n, p, n == 4 ? (uint32_t)b : b, (int64_t)c, out);
    default:
        break;
    }
    if (code < AT_FIRST_STORE) {
        *out = at_load(n, p);
    } else if (code < AT_FIRST_RMW) {
        at_store(n, p, b);
    } else {
        *out = at_rmw((code - AT_FIRST_RMW) / 7, n, p, b, c);
    }
    return NULL;
}
