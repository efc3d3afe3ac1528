/* The fd_* functions of wasi_snapshot_preview1. */
#include <stdlib.h>
#include <string.h>

#include "wasi_impl.h"

#define GET(fd, rights)                                          \
    wasi_fdent *ent;                                             \
    uint16_t e_ = wasi_fd_get(c->ctx, (fd), (rights), &ent);     \
    if (e_)                                                      \
        return e_

uint16_t wasi_put_filestat(const wasi_call *c, uint32_t ptr, const wasi_filestat *st)
{
    uint8_t *p = wasi_mem_at(c, ptr, WASI_FILESTAT_SIZE);
    if (!p)
        return WASI_EFAULT;
    memset(p, 0, WASI_FILESTAT_SIZE);
    wasi_st64(p, st->dev);
    wasi_st64(p + 8, st->ino);
    p[16] = st->filetype;
    wasi_st64(p + 24, st->nlink);
    wasi_st64(p + 32, st->size);
    wasi_st64(p + 40, st->atim);
    wasi_st64(p + 48, st->mtim);
    wasi_st64(p + 56, st->ctim);
    return 0;
}

static uint16_t fd_advise(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(FD_ADVISE));
    uint32_t advice = ARG32(3);
    if (advice > 5)
        return WASI_EINVAL;
    return WASI_OP(ent->file, advise, ARG64(1), ARG64(2), (uint8_t)advice);
}

static uint16_t fd_allocate(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(FD_ALLOCATE));
    return WASI_OP(ent->file, allocate, ARG64(1), ARG64(2));
}

static uint16_t fd_close(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), 0);
    (void)ent;
    wasi_fd_close(c->ctx, ARG32(0));
    return 0;
}

static uint16_t fd_datasync(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(FD_DATASYNC));
    return WASI_OP(ent->file, sync, true);
}

static uint16_t fd_sync(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(FD_SYNC));
    return WASI_OP(ent->file, sync, false);
}

static uint16_t fd_fdstat_get(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), 0);
    uint8_t *p = wasi_mem_at(c, ARG32(1), WASI_FDSTAT_SIZE);
    if (!p)
        return WASI_EFAULT;
    memset(p, 0, WASI_FDSTAT_SIZE);
    p[0] = ent->file->type;
    wasi_st16(p + 2, ent->file->fdflags);
    wasi_st64(p + 8, ent->base);
    wasi_st64(p + 16, ent->inheriting);
    return 0;
}

static uint16_t fd_fdstat_set_flags(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(FD_FDSTAT_SET_FLAGS));
    uint32_t flags = ARG32(1);
    if (flags & ~WASI_FDFLAGS_ALL)
        return WASI_EINVAL;
    return WASI_OP(ent->file, set_flags, (uint16_t)flags);
}

static uint16_t fd_fdstat_set_rights(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), 0);
    uint64_t base = ARG64(1), inheriting = ARG64(2);
    if ((base & ~ent->base) || (inheriting & ~ent->inheriting))
        return WASI_ENOTCAPABLE;
    ent->base = base;
    ent->inheriting = inheriting;
    return 0;
}

static uint16_t fd_filestat_get(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(FD_FILESTAT_GET));
    if (!wasi_mem_ok(c, ARG32(1), WASI_FILESTAT_SIZE))
        return WASI_EFAULT;
    wasi_filestat st;
    uint16_t e = WASI_OP(ent->file, stat, &st);
    return e ? e : wasi_put_filestat(c, ARG32(1), &st);
}

static uint16_t fd_filestat_set_size(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(FD_FILESTAT_SET_SIZE));
    return WASI_OP(ent->file, set_size, ARG64(1));
}

static uint16_t fd_filestat_set_times(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(FD_FILESTAT_SET_TIMES));
    return WASI_OP(ent->file, set_times, ARG64(1), ARG64(2), (uint16_t)ARG32(3));
}

/* read, write, pread, pwrite share their shape. */
typedef enum { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE } io_kind;

static uint16_t fd_io(wasi_call *c, uint32_t fd, uint32_t iovs, uint32_t niovs,
                      uint64_t off, uint32_t retptr, io_kind kind)
{
    static const uint64_t need[] = {
        WASI_R(FD_READ), WASI_R(FD_WRITE),
        WASI_R(FD_READ) | WASI_R(FD_SEEK), WASI_R(FD_WRITE) | WASI_R(FD_SEEK)};
    GET(fd, need[kind]);
    struct iovec iov[WASI_MAX_IOVS];
    int n = 0;
    uint16_t e = wasi_iovs(c, iovs, niovs, iov, &n);
    if (e)
        return e;
    if (!wasi_mem_ok(c, retptr, 4))
        return WASI_EFAULT;
    size_t done = 0;
    wasi_file *f = ent->file;
    switch (kind) {
    case IO_READ: e = WASI_OP(f, read, iov, n, &done); break;
    case IO_WRITE: e = WASI_OP(f, write, iov, n, &done); break;
    case IO_PREAD: e = WASI_OP(f, pread, iov, n, off, &done); break;
    case IO_PWRITE: e = WASI_OP(f, pwrite, iov, n, off, &done); break;
    }
    return e ? e : wasi_put32(c, retptr, (uint32_t)done);
}

static uint16_t fd_read(wasi_call *c, const lw_val *args)
{
    return fd_io(c, ARG32(0), ARG32(1), ARG32(2), 0, ARG32(3), IO_READ);
}

static uint16_t fd_write(wasi_call *c, const lw_val *args)
{
    return fd_io(c, ARG32(0), ARG32(1), ARG32(2), 0, ARG32(3), IO_WRITE);
}

static uint16_t fd_pread(wasi_call *c, const lw_val *args)
{
    return fd_io(c, ARG32(0), ARG32(1), ARG32(2), ARG64(3), ARG32(4), IO_PREAD);
}

static uint16_t fd_pwrite(wasi_call *c, const lw_val *args)
{
    return fd_io(c, ARG32(0), ARG32(1), ARG32(2), ARG64(3), ARG32(4), IO_PWRITE);
}

static uint16_t fd_prestat_get(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), 0);
    if (!ent->preopen)
        return WASI_EBADF;
    uint8_t *p = wasi_mem_at(c, ARG32(1), WASI_PRESTAT_SIZE);
    if (!p)
        return WASI_EFAULT;
    memset(p, 0, WASI_PRESTAT_SIZE);
    wasi_st32(p + 4, (uint32_t)strlen(ent->preopen));
    return 0;
}

static uint16_t fd_prestat_dir_name(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), 0);
    if (!ent->preopen)
        return WASI_EBADF;
    size_t len = strlen(ent->preopen);
    if (ARG32(2) < len)
        return WASI_ENAMETOOLONG;
    uint8_t *p = wasi_mem_at(c, ARG32(1), len);
    if (!p)
        return WASI_EFAULT;
    memcpy(p, ent->preopen, len);
    return 0;
}

/* Entries from `cookie` on, each a 24-byte dirent and its name; the last
 * one is cut off where the buffer ends, as the spec asks. */
static uint16_t fd_readdir(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(FD_READDIR));
    uint32_t buf = ARG32(1), len = ARG32(2), retptr = ARG32(4);
    uint64_t cookie = ARG64(3);
    uint8_t *out = wasi_mem_at(c, buf, len);
    if (!out || !wasi_mem_ok(c, retptr, 4))
        return WASI_EFAULT;
    uint32_t used = 0;
    while (used < len) {
        wasi_dirent d;
        uint16_t e = WASI_OP(ent->file, readdir, cookie, &d);
        if (e == WASI_ENOENT)
            break;
        if (e)
            return e;
        uint8_t head[WASI_DIRENT_SIZE] = {0};
        wasi_st64(head, cookie + 1);
        wasi_st64(head + 8, d.ino);
        wasi_st32(head + 16, (uint32_t)d.namelen);
        head[20] = d.type;
        uint32_t n = len - used < WASI_DIRENT_SIZE ? len - used : WASI_DIRENT_SIZE;
        memcpy(out + used, head, n);
        used += n;
        n = len - used < d.namelen ? len - used : (uint32_t)d.namelen;
        memcpy(out + used, d.name, n);
        used += n;
        cookie++;
    }
    return wasi_put32(c, retptr, used);
}

static uint16_t fd_renumber(wasi_call *c, const lw_val *args)
{
    uint32_t from = ARG32(0), to = ARG32(1);
    wasi_fdent *a, *b;
    uint16_t e = wasi_fd_get(c->ctx, from, 0, &a);
    if (!e)
        e = wasi_fd_get(c->ctx, to, 0, &b);
    if (e || from == to)
        return e;
    wasi_fd_close(c->ctx, to);
    c->ctx->fds[to] = *a;
    memset(a, 0, sizeof *a);
    return 0;
}

static uint16_t fd_seek(wasi_call *c, const lw_val *args)
{
    int64_t off = (int64_t)ARG64(1);
    uint32_t whence = ARG32(2);
    uint64_t need = whence == WASI_WHENCE_CUR && off == 0 ? WASI_R(FD_TELL)
                                                          : WASI_R(FD_SEEK);
    GET(ARG32(0), need);
    if (whence > WASI_WHENCE_END)
        return WASI_EINVAL;
    if (!wasi_mem_ok(c, ARG32(3), 8))
        return WASI_EFAULT;
    uint64_t pos;
    uint16_t e = WASI_OP(ent->file, seek, off, (uint8_t)whence, &pos);
    return e ? e : wasi_put64(c, ARG32(3), pos);
}

static uint16_t fd_tell(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(FD_TELL));
    if (!wasi_mem_ok(c, ARG32(1), 8))
        return WASI_EFAULT;
    uint64_t pos;
    uint16_t e = WASI_OP(ent->file, seek, 0, WASI_WHENCE_CUR, &pos);
    return e ? e : wasi_put64(c, ARG32(1), pos);
}

const wasi_def wasi_defs_fd[] = {
    {"fd_advise", "iIIi", fd_advise},
    {"fd_allocate", "iII", fd_allocate},
    {"fd_close", "i", fd_close},
    {"fd_datasync", "i", fd_datasync},
    {"fd_fdstat_get", "ii", fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii", fd_fdstat_set_flags},
    {"fd_fdstat_set_rights", "iII", fd_fdstat_set_rights},
    {"fd_filestat_get", "ii", fd_filestat_get},
    {"fd_filestat_set_size", "iI", fd_filestat_set_size},
    {"fd_filestat_set_times", "iIIi", fd_filestat_set_times},
    {"fd_pread", "iiiIi", fd_pread},
    {"fd_prestat_get", "ii", fd_prestat_get},
    {"fd_prestat_dir_name", "iii", fd_prestat_dir_name},
    {"fd_pwrite", "iiiIi", fd_pwrite},
    {"fd_read", "iiii", fd_read},
    {"fd_readdir", "iiiIi", fd_readdir},
    {"fd_renumber", "ii", fd_renumber},
    {"fd_seek", "iIii", fd_seek},
    {"fd_sync", "i", fd_sync},
    {"fd_tell", "ii", fd_tell},
    {"fd_write", "iiii", fd_write},
    {NULL, NULL, NULL},
};
