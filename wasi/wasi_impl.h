/* Private to wasi/: the context, the fd table, guest memory access and
 * the tables of host functions. */
#ifndef WASI_IMPL_H
#define WASI_IMPL_H

#include <pthread.h>
#include <string.h>

#include "fs.h"
#include "wasi.h"
#include "wasi_types.h"

#define WASI_MAX_FDS 16384
#define WASI_MAX_IOVS 1024

typedef struct {
    wasi_file *file;      /* NULL: a free slot */
    uint64_t base;        /* rights of this fd */
    uint64_t inheriting;  /* rights of what is opened through it */
    char *preopen;        /* guest name of a preopened directory, else NULL */
} wasi_fdent;

struct wasi_ctx {
    wasi_fdent *fds;
    uint32_t nfds;
    char **argv, **env;
    uint32_t argc, envc;
    int listen_fd;        /* placed in the table by wasi_define */
    struct wasi_bindings *bindings;
    /* Held by every call (wasi-threads: several threads share the
     * context), except while poll_oneoff sleeps. */
    pthread_mutex_t lock;
};

/* One host call in progress: the context and the caller's memory. */
typedef struct {
    wasi_ctx *ctx;
    lw_host_call *call;
    uint8_t *mem;
    uint64_t memsize;
} wasi_call;

typedef uint16_t (*wasi_fn)(wasi_call *c, const lw_val *args);

typedef struct {
    const char *name;
    const char *params;   /* 'i' i32, 'I' i64; the result is one i32 */
    wasi_fn fn;
} wasi_def;

extern const wasi_def wasi_defs_fd[], wasi_defs_path[], wasi_defs_misc[];

#define ARG32(i) ((uint32_t)args[i].of.i32)
#define ARG64(i) ((uint64_t)args[i].of.i64)

/* Call an operation, or say it is not supported for this file. */
#define WASI_OP(f, op, ...) \
    ((f)->ops->op ? (f)->ops->op((f), __VA_ARGS__) : WASI_ENOTSUP)

/* ---- guest memory: every access checked against its current size ---- */

static inline bool wasi_mem_ok(const wasi_call *c, uint64_t ptr, uint64_t len)
{
    return ptr <= c->memsize && len <= c->memsize - ptr;
}

static inline uint8_t *wasi_mem_at(const wasi_call *c, uint64_t ptr, uint64_t len)
{
    return wasi_mem_ok(c, ptr, len) ? c->mem + ptr : NULL;
}

static inline uint16_t wasi_put32(const wasi_call *c, uint32_t ptr, uint32_t v)
{
    uint8_t *p = wasi_mem_at(c, ptr, 4);
    if (!p)
        return WASI_EFAULT;
    memcpy(p, &v, 4);
    return 0;
}

static inline uint16_t wasi_put64(const wasi_call *c, uint32_t ptr, uint64_t v)
{
    uint8_t *p = wasi_mem_at(c, ptr, 8);
    if (!p)
        return WASI_EFAULT;
    memcpy(p, &v, 8);
    return 0;
}

static inline uint32_t wasi_ld32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint64_t wasi_ld64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline void wasi_st16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static inline void wasi_st32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void wasi_st64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* Gather a guest iovec array into host iovecs (at most WASI_MAX_IOVS). */
uint16_t wasi_iovs(const wasi_call *c, uint32_t ptr, uint32_t n,
                   struct iovec *out, int *nout);

uint16_t wasi_put_filestat(const wasi_call *c, uint32_t ptr, const wasi_filestat *st);

/* ---- the fd table ---- */

/* The entry for fd holding all of `rights`: EBADF when fd is not open,
 * ENOTCAPABLE when a right is missing. */
uint16_t wasi_fd_get(wasi_ctx *ctx, uint32_t fd, uint64_t rights, wasi_fdent **out);
/* Put file in the lowest free slot. */
uint16_t wasi_fd_add(wasi_ctx *ctx, wasi_file *file, uint64_t base,
                     uint64_t inheriting, uint32_t *fd);
void wasi_fd_close(wasi_ctx *ctx, uint32_t fd);
/* The rights that can apply to a file of this type. */
uint64_t wasi_rights_for(const wasi_file *f);

void wasi_file_close(wasi_file *f);

#endif
