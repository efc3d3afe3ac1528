/* The WASI context: the fd table, what the guest was given, and the
 * definition of the host functions in a linker. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path.h"
#include "wasi_impl.h"

#define WASI_MODULE "wasi_snapshot_preview1"

struct wasi_binding {
    wasi_ctx *ctx;
    const wasi_def *def;
};

/* The bindings of one wasi_define call; each call gets its own, so
 * linkers defined earlier stay valid. */
struct wasi_bindings {
    struct wasi_bindings *next;
    struct wasi_binding b[];
};

uint64_t wasi_rights_for(const wasi_file *f)
{
    switch (f->type) {
    case WASI_FILETYPE_DIRECTORY: return WASI_RIGHTS_DIR;
    case WASI_FILETYPE_REGULAR_FILE: return WASI_RIGHTS_FILE;
    case WASI_FILETYPE_SOCKET_STREAM:
    case WASI_FILETYPE_SOCKET_DGRAM: return WASI_RIGHTS_SOCKET;
    case WASI_FILETYPE_CHARACTER_DEVICE:
        /* wasi-libc's isatty: a character device that cannot seek or tell */
        if (f->host_fd >= 0 && !isatty(f->host_fd))
            return WASI_RIGHTS_FILE;
        return WASI_RIGHTS_STREAM;
    default: return WASI_RIGHTS_STREAM;
    }
}

void wasi_file_close(wasi_file *f)
{
    if (f)
        f->ops->close(f);
}

uint16_t wasi_fd_get(wasi_ctx *ctx, uint32_t fd, uint64_t rights, wasi_fdent **out)
{
    if (fd >= ctx->nfds || !ctx->fds[fd].file)
        return WASI_EBADF;
    wasi_fdent *ent = &ctx->fds[fd];
    if ((ent->base & rights) != rights)
        return WASI_ENOTCAPABLE;
    *out = ent;
    return 0;
}

uint16_t wasi_fd_add(wasi_ctx *ctx, wasi_file *file, uint64_t base,
                     uint64_t inheriting, uint32_t *fd)
{
    uint32_t i = 0;
    while (i < ctx->nfds && ctx->fds[i].file)
        i++;
    if (i == ctx->nfds) {
        if (ctx->nfds >= WASI_MAX_FDS)
            return WASI_EMFILE;
        uint32_t n = ctx->nfds ? ctx->nfds * 2 : 8;
        wasi_fdent *fds = realloc(ctx->fds, n * sizeof *fds);
        if (!fds)
            return WASI_ENOMEM;
        memset(fds + ctx->nfds, 0, (n - ctx->nfds) * sizeof *fds);
        ctx->fds = fds;
        ctx->nfds = n;
    }
    ctx->fds[i] = (wasi_fdent){file, base, inheriting, NULL};
    *fd = i;
    return 0;
}

void wasi_fd_close(wasi_ctx *ctx, uint32_t fd)
{
    wasi_fdent *ent = &ctx->fds[fd];
    wasi_file_close(ent->file);
    free(ent->preopen);
    memset(ent, 0, sizeof *ent);
}

uint16_t wasi_iovs(const wasi_call *c, uint32_t ptr, uint32_t n,
                   struct iovec *out, int *nout)
{
    if (!wasi_mem_ok(c, ptr, (uint64_t)n * 8))
        return WASI_EFAULT;
    if (n > WASI_MAX_IOVS)
        n = WASI_MAX_IOVS;   /* a short transfer, as readv allows */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t buf = wasi_ld32(c->mem + ptr + 8 * i);
        uint32_t len = wasi_ld32(c->mem + ptr + 8 * i + 4);
        if (!wasi_mem_ok(c, buf, len))
            return WASI_EFAULT;
        out[i].iov_base = c->mem + buf;
        out[i].iov_len = len;
    }
    *nout = (int)n;
    return 0;
}

/* ---- creating the context ---- */

static char **ctx_strings(const char *const *src, uint32_t n)
{
    char **v = calloc((size_t)n + 1, sizeof *v);
    for (uint32_t i = 0; v && i < n; i++) {
        v[i] = strdup(src[i]);
        if (!v[i]) {
            for (uint32_t k = 0; k < i; k++)
                free(v[k]);
            free(v);
            return NULL;
        }
    }
    return v;
}

static void ctx_free_strings(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

int wasi_ctx_preopen_file(wasi_ctx *ctx, wasi_file *dir, const char *guest,
                          bool readonly)
{
    uint64_t rights = WASI_RIGHTS_DIR;
    uint64_t inheriting = WASI_RIGHTS_DIR | WASI_RIGHTS_FILE;
    if (readonly) {
        rights &= ~WASI_RIGHTS_WRITE;
        inheriting &= ~WASI_RIGHTS_WRITE;
    }
    char *name = strdup(guest);
    uint32_t fd;
    if (!name || wasi_fd_add(ctx, dir, rights, inheriting, &fd)) {
        free(name);
        wasi_file_close(dir);
        return -1;
    }
    ctx->fds[fd].preopen = name;
    return (int)fd;
}

static int ctx_stdio(wasi_ctx *ctx, const int stdio[3])
{
    for (int i = 0; i < 3; i++) {
        uint16_t e;
        int fd = fcntl(stdio[i], F_DUPFD_CLOEXEC, 0);
        if (fd < 0 && errno == EBADF)   /* closed on the host: read EOF, write nowhere */
            fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        wasi_file *f = fd < 0 ? NULL : wasi_hostfs_wrap(fd, &e);
        uint32_t got;
        if (!f || wasi_fd_add(ctx, f, wasi_rights_for(f), 0, &got)) {
            wasi_file_close(f);
            return -1;
        }
    }
    return 0;
}

wasi_ctx *wasi_ctx_new(const wasi_config *cfg, char *errbuf, size_t errsize)
{
    wasi_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx) {
        snprintf(errbuf, errsize, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&ctx->lock, NULL);
    /* Tests run the sandbox through the component walk too. */
    if (getenv("LIBWASM_WASI_NO_OPENAT2"))
        wasi_path_openat2 = false;
    ctx->listen_fd = cfg->listen_fd;
    ctx->argc = cfg->argc;
    ctx->envc = cfg->envc;
    ctx->argv = ctx_strings(cfg->argv, cfg->argc);
    ctx->env = ctx_strings(cfg->env, cfg->envc);
    if (!ctx->argv || !ctx->env || ctx_stdio(ctx, cfg->stdio) < 0) {
        snprintf(errbuf, errsize, "cannot set up stdio: %s", strerror(errno));
        wasi_ctx_free(ctx);
        return NULL;
    }
    for (uint32_t i = 0; i < cfg->npreopens; i++) {
        const wasi_preopen *p = &cfg->preopens[i];
        uint16_t e = 0;
        wasi_file *dir = wasi_hostfs_open_dir(p->host, &e);
        if (!dir || wasi_ctx_preopen_file(ctx, dir, p->guest, p->readonly) < 0) {
            snprintf(errbuf, errsize, "%s: cannot open directory: %s", p->host,
                     dir ? "out of memory" : strerror(errno));
            wasi_ctx_free(ctx);
            return NULL;
        }
    }
    return ctx;
}

void wasi_ctx_free(wasi_ctx *ctx)
{
    if (!ctx)
        return;
    for (uint32_t i = 0; i < ctx->nfds; i++)
        if (ctx->fds[i].file)
            wasi_fd_close(ctx, i);
    free(ctx->fds);
    ctx_free_strings(ctx->argv);
    ctx_free_strings(ctx->env);
    while (ctx->bindings) {
        struct wasi_bindings *next = ctx->bindings->next;
        free(ctx->bindings);
        ctx->bindings = next;
    }
    pthread_mutex_destroy(&ctx->lock);
    free(ctx);
}

/* ---- the host functions ---- */

static int wasi_trampoline(lw_host_call *call, const lw_val *args,
                           lw_val *results)
{
    const struct wasi_binding *b = lw_host_user(call);
    wasi_call c = {.ctx = b->ctx, .call = call};
    lw_memory *mem = lw_host_memory(call);
    if (mem) {
        c.mem = lw_memory_data(mem);
        c.memsize = lw_memory_size(mem);
    }
    pthread_mutex_lock(&b->ctx->lock);
    uint16_t e = b->def->fn(&c, args);
    pthread_mutex_unlock(&b->ctx->lock);
    /* Only an interrupt request (Ctrl-C, a timeout) makes a host call
     * return EINTR: stop the guest rather than let it retry. */
    if (e == WASI_EINTR)
        return lw_host_trap(call, "interrupted");
    results[0].type = LW_I32;
    results[0].of.i32 = e;
    return 0;
}

static int wasi_proc_exit(lw_host_call *call, const lw_val *args,
                          lw_val *results)
{
    return lw_host_exit(call, args[0].of.i32);
}

static size_t defs_count(const wasi_def *defs)
{
    size_t n = 0;
    while (defs[n].name)
        n++;
    return n;
}

static int define_one(lw_linker *l, const struct wasi_binding *b)
{
    static const lw_valtype i32 = LW_I32;
    lw_valtype params[16];
    size_t n = strlen(b->def->params);
    for (size_t i = 0; i < n; i++)
        params[i] = b->def->params[i] == 'I' ? LW_I64 : LW_I32;
    lw_functype type = {(uint32_t)n, 1, params, &i32};
    return lw_linker_define_host(l, WASI_MODULE, b->def->name, &type,
                                 wasi_trampoline, (void *)b);
}

/* The listening socket goes after every preopen (see wasi.h). */
static int place_socket(wasi_ctx *ctx)
{
    if (ctx->listen_fd < 0)
        return 0;
    uint16_t e;
    int fd = fcntl(ctx->listen_fd, F_DUPFD_CLOEXEC, 0);
    wasi_file *f = fd < 0 ? NULL : wasi_hostfs_wrap(fd, &e);
    uint32_t got;
    if (!f || wasi_fd_add(ctx, f, WASI_RIGHTS_SOCKET, 0, &got)) {
        wasi_file_close(f);
        return -1;
    }
    ctx->listen_fd = -1;
    return 0;
}

int wasi_define(wasi_ctx *ctx, lw_linker *l)
{
    const wasi_def *tables[] = {wasi_defs_fd, wasi_defs_path, wasi_defs_misc};
    size_t total = 0;
    for (size_t t = 0; t < 3; t++)
        total += defs_count(tables[t]);
    pthread_mutex_lock(&ctx->lock);
    int rc = place_socket(ctx);
    struct wasi_bindings *bs = rc ? NULL : calloc(1, sizeof *bs + total * sizeof bs->b[0]);
    if (bs) {
        bs->next = ctx->bindings;
        ctx->bindings = bs;
    }
    pthread_mutex_unlock(&ctx->lock);
    if (!bs)
        return -1;
    size_t k = 0;
    for (size_t t = 0; t < 3; t++)
        for (const wasi_def *d = tables[t]; d->name; d++, k++) {
            bs->b[k] = (struct wasi_binding){ctx, d};
            if (define_one(l, &bs->b[k]) < 0)
                return -1;
        }
    static const lw_valtype i32 = LW_I32;
    lw_functype exit_type = {1, 0, &i32, NULL};
    return lw_linker_define_host(l, WASI_MODULE, "proc_exit", &exit_type,
                                 wasi_proc_exit, ctx);
}

bool wasi_module_uses(const lw_module *m)
{
    for (uint32_t i = 0; i < m->nimports; i++)
        if (strcmp(m->imports[i].module, WASI_MODULE) == 0)
            return true;
    return false;
}
