/* Linear memories.
 *
 * A 32-bit memory reserves 8 GiB + 64 KiB of address space with no access
 * and opens pages with mprotect as it grows, so base + addr + offset +
 * width (addr and offset both u32, width <= 16) always lands inside the
 * reservation: the interpreter's loads and stores need no bounds check,
 * and a fault inside a reservation becomes the trap "out of bounds memory
 * access" (the handler siglongjmps to the lw_func_call that is running).
 * Growing never moves a guarded memory.
 *
 * When the reservation fails (ulimit -v) the memory is a plain allocation
 * and the compiler emits the bounds-checked load/store handlers instead.
 * Sanitizer builds always take that path (AddressSanitizer owns SIGSEGV),
 * and so does a process running under valgrind, which would report every
 * guard-page trap as an invalid read. */
#define _GNU_SOURCE   /* REG_ERR */
#include "interp.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define MEM_PAGE 65536ull
#define MEM_RESERVE ((8ull << 30) + MEM_PAGE)

#define MEM_NO_GUARD WASM_ASAN

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define MEM_UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef MEM_UNDER_VALGRIND
#define MEM_UNDER_VALGRIND() 0
#endif

__thread wasm_exec *wasm_cur_exec;

static struct sigaction mem_old_segv, mem_old_bus;
static pthread_once_t mem_once = PTHREAD_ONCE_INIT;

/* Shared memories grow under this lock (growth is rare). */
static pthread_mutex_t mem_grow_lock = PTHREAD_MUTEX_INITIALIZER;

static bool mem_holds(const struct lw_memory *m, uintptr_t addr)
{
    uintptr_t b = (uintptr_t)m->base;
    return m->guarded && addr >= b && addr - b < m->reserved;
}

/* The guarded memory of s whose reservation holds addr, or NULL: one of
 * its own, or another store's shared memory that it imports. */
static struct lw_memory *mem_in_store(lw_store *s, uintptr_t addr)
{
    for (struct lw_memory *m = s->mems; m; m = m->next)
        if (mem_holds(m, addr))
            return m;
    for (size_t i = 0; i < s->shared_mems.n; i++)
        if (mem_holds(s->shared_mems.items[i], addr))
            return s->shared_mems.items[i];
    return NULL;
}

/* What the interpreter needs to find the faulting instruction
 * (wasm_interp_invoke): the registers, and on x86-64 whether the access
 * wrote (bit 1 of the page fault's error code). */
static void mem_fault_state(wasm_exec *ex, const ucontext_t *uc)
{
    ex->fault_write = -1;
    ex->nfault_regs = 0;
#if defined(__x86_64__)
    ex->fault_write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
    for (int i = 0; i < NGREG && ex->nfault_regs < WASM_FAULT_REGS; i++)
        ex->fault_regs[ex->nfault_regs++] = (uintptr_t)uc->uc_mcontext.gregs[i];
#elif defined(__aarch64__)
    for (int i = 0; i < 31 && ex->nfault_regs < WASM_FAULT_REGS; i++)
        ex->fault_regs[ex->nfault_regs++] = (uintptr_t)uc->uc_mcontext.regs[i];
#else
    (void)uc;
#endif
}

/* Hand a fault that is not ours to whoever handled it before us. */
static void mem_chain(int sig, siginfo_t *si, void *uc)
{
    struct sigaction *old = sig == SIGBUS ? &mem_old_bus : &mem_old_segv;
    if (old->sa_flags & SA_SIGINFO) {
        old->sa_sigaction(sig, si, uc);
        return;
    }
    if (old->sa_handler == SIG_DFL || old->sa_handler == SIG_IGN) {
        /* Returning re-runs the faulting instruction under the default action. */
        sigaction(sig, old, NULL);
        return;
    }
    old->sa_handler(sig);
}

static void mem_fault(int sig, siginfo_t *si, void *uc)
{
    wasm_exec *ex = wasm_cur_exec;
    struct lw_memory *m = ex && ex->store ? mem_in_store(ex->store, (uintptr_t)si->si_addr)
                                          : NULL;
    if (m) {
        ex->fault_mem = m;
        ex->fault_off = (uint64_t)((uintptr_t)si->si_addr - (uintptr_t)m->base);
        mem_fault_state(ex, uc);
        siglongjmp(ex->jb, 1);
    }
    mem_chain(sig, si, uc);
}

static void mem_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = mem_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &mem_old_segv);
    sigaction(SIGBUS, &sa, &mem_old_bus);
}

void wasm_mem_install_handler(void)
{
    if (!MEM_NO_GUARD)
        pthread_once(&mem_once, mem_install);
}

static int mem_create_plain(struct lw_memory *m, uint64_t pages,
                            lw_error *err)
{
    if (m->type.shared) {
        /* A shared memory never moves: all of its maximum, up front. */
        size_t max = (size_t)(m->max_pages * MEM_PAGE);
        void *p = mmap(NULL, max ? max : 1, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        m->base = p;
        m->reserved = max ? max : 1;
        m->guarded = false;
        return 0;
    }
    size_t bytes = (size_t)(pages * MEM_PAGE);
    m->base = calloc(1, bytes ? bytes : 1);
    if (!m->base)
        return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    m->reserved = bytes;
    m->guarded = false;
    return 0;
}

int wasm_mem_create(lw_store *s, struct lw_memory *m, uint64_t pages,
                    uint64_t max_pages, lw_error *err)
{
    m->pages = pages;
    m->size = pages * MEM_PAGE;
    m->max_pages = max_pages;
    void *p = MAP_FAILED;
    if (!MEM_NO_GUARD && !m->type.is64 && !MEM_UNDER_VALGRIND())
        p = mmap(NULL, MEM_RESERVE, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        if (mem_create_plain(m, pages, err))
            return -1;
    } else {
        m->base = p;
        m->reserved = MEM_RESERVE;
        m->guarded = true;
        if (m->size && mprotect(p, m->size, PROT_READ | PROT_WRITE)) {
            munmap(p, MEM_RESERVE);
            if (mem_create_plain(m, pages, err))
                return -1;
        }
    }
    if (m->guarded)
        wasm_mem_install_handler();
    m->refs = 1;
    m->next = s->mems;
    s->mems = m;
    return 0;
}

void wasm_mem_release(struct lw_memory *m)
{
    if (!m->base)
        return;
    if (m->guarded || m->type.shared)
        munmap(m->base, m->reserved);
    else
        free(m->base);
    m->base = NULL;
}

void wasm_mem_unref(struct lw_memory *m)
{
    if (__atomic_sub_fetch(&m->refs, 1, __ATOMIC_ACQ_REL))
        return;
    wasm_mem_release(m);
    free(m);
}

static int mem_grow_plain(struct lw_memory *m, uint64_t new_size)
{
    uint8_t *p = realloc(m->base, new_size ? new_size : 1);
    if (!p)
        return -1;
    memset(p + m->size, 0, new_size - m->size);
    m->base = p;
    m->reserved = new_size;
    return 0;
}

static int64_t mem_grow(lw_memory *m, uint64_t delta)
{
    uint64_t old = m->pages;
    if (delta > m->max_pages || old + delta > m->max_pages)
        return -1;
    if (delta == 0)
        return (int64_t)old;
    uint64_t new_size = (old + delta) * MEM_PAGE;
    if (m->guarded) {
        if (mprotect(m->base + m->size, new_size - m->size,
                     PROT_READ | PROT_WRITE))
            return -1;
    } else if (!m->type.shared && mem_grow_plain(m, new_size)) {
        return -1;
    }
    __atomic_store_n(&m->pages, old + delta, __ATOMIC_RELEASE);
    __atomic_store_n(&m->size, new_size, __ATOMIC_RELEASE);
    return (int64_t)old;
}

/* Several threads may grow a shared memory at once: one at a time. */
int64_t lw_memory_grow(lw_memory *m, uint64_t delta)
{
    if (!m->type.shared)
        return mem_grow(m, delta);
    pthread_mutex_lock(&mem_grow_lock);
    int64_t r = mem_grow(m, delta);
    pthread_mutex_unlock(&mem_grow_lock);
    return r;
}

uint8_t *lw_memory_data(lw_memory *m)
{
    return m->base;
}

uint64_t lw_memory_size(const lw_memory *m)
{
    return m->size;
}

uint64_t lw_memory_pages(const lw_memory *m)
{
    return m->pages;
}

lw_limits lw_memory_type(const lw_memory *m)
{
    lw_limits l = m->type;
    l.min = m->pages;
    return l;
}
