/* Host-backed WASI files: a host fd per file object.  Directory
 * operations resolve their paths with path.c so they stay beneath the
 * directory. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "path.h"

typedef struct {
    char *name;
    uint64_t ino;
    uint8_t type;
} host_entry;

typedef struct {
    wasi_file file;
    host_entry *ents;      /* the listing readdir serves cookies from */
    size_t nents;
    bool listed;
} host_file;

#define HOST_ERR(call) ((call) < 0 ? wasi_errno_from_host(errno) : 0)

static const wasi_file_ops host_ops;

static uint8_t host_filetype(mode_t mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
    case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFSOCK: return WASI_FILETYPE_SOCKET_STREAM;
    default: return WASI_FILETYPE_UNKNOWN;
    }
}

static uint64_t host_ns(struct timespec ts)
{
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void host_filestat(const struct stat *st, wasi_filestat *out)
{
    out->dev = st->st_dev;
    out->ino = st->st_ino;
    out->filetype = host_filetype(st->st_mode);
    out->nlink = st->st_nlink;
    out->size = (uint64_t)st->st_size;
    out->atim = host_ns(st->st_atim);
    out->mtim = host_ns(st->st_mtim);
    out->ctim = host_ns(st->st_ctim);
}

static int host_fd(wasi_file *f)
{
    return f->host_fd;
}

static void host_clear_listing(host_file *h)
{
    for (size_t i = 0; i < h->nents; i++)
        free(h->ents[i].name);
    free(h->ents);
    h->ents = NULL;
    h->nents = 0;
    h->listed = false;
}

wasi_file *wasi_hostfs_wrap(int fd, uint16_t *err)
{
    struct stat st;
    if (fstat(fd, &st) < 0) {
        *err = wasi_errno_from_host(errno);
        close(fd);
        return NULL;
    }
    host_file *h = calloc(1, sizeof *h);
    if (!h) {
        *err = WASI_ENOMEM;
        close(fd);
        return NULL;
    }
    h->file.ops = &host_ops;
    h->file.type = host_filetype(st.st_mode);
    h->file.host_fd = fd;
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) {
        h->file.fdflags = (fl & O_APPEND ? WASI_FDFLAG_APPEND : 0) |
                          (fl & O_NONBLOCK ? WASI_FDFLAG_NONBLOCK : 0);
        if ((fl & O_SYNC) == O_SYNC)
            h->file.fdflags |= WASI_FDFLAG_SYNC;
        else if (fl & O_DSYNC)
            h->file.fdflags |= WASI_FDFLAG_DSYNC;
    }
    return &h->file;
}

wasi_file *wasi_hostfs_open_dir(const char *path, uint16_t *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *err = wasi_errno_from_host(errno);
        return NULL;
    }
    return wasi_hostfs_wrap(fd, err);
}

/* ---- stream and file operations ---- */

static uint16_t host_synced(wasi_file *f)
{
    if (f->fdflags & WASI_FDFLAG_SYNC)
        return HOST_ERR(fsync(host_fd(f)));
    if (f->fdflags & WASI_FDFLAG_DSYNC)
        return HOST_ERR(fdatasync(host_fd(f)));
    return 0;
}

static uint16_t host_read(wasi_file *f, const struct iovec *iov, int n, size_t *done)
{
    ssize_t r = readv(host_fd(f), iov, n);
    if (r < 0)
        return wasi_errno_from_host(errno);
    *done = (size_t)r;
    return 0;
}

static uint16_t host_write(wasi_file *f, const struct iovec *iov, int n, size_t *done)
{
    ssize_t r = writev(host_fd(f), iov, n);
    if (r < 0)
        return wasi_errno_from_host(errno);
    *done = (size_t)r;
    return host_synced(f);
}

static uint16_t host_pread(wasi_file *f, const struct iovec *iov, int n,
                           uint64_t off, size_t *done)
{
    if (off > INT64_MAX)
        return WASI_EINVAL;
    ssize_t r = preadv(host_fd(f), iov, n, (off_t)off);
    if (r < 0)
        return wasi_errno_from_host(errno);
    *done = (size_t)r;
    return 0;
}

static uint16_t host_pwrite(wasi_file *f, const struct iovec *iov, int n,
                            uint64_t off, size_t *done)
{
    if (off > INT64_MAX)
        return WASI_EINVAL;
    ssize_t r = pwritev(host_fd(f), iov, n, (off_t)off);
    if (r < 0)
        return wasi_errno_from_host(errno);
    *done = (size_t)r;
    return host_synced(f);
}

static uint16_t host_seek(wasi_file *f, int64_t off, uint8_t whence, uint64_t *pos)
{
    static const int whences[] = {SEEK_SET, SEEK_CUR, SEEK_END};
    if (whence > WASI_WHENCE_END)
        return WASI_EINVAL;
    off_t r = lseek(host_fd(f), off, whences[whence]);
    if (r < 0)
        return wasi_errno_from_host(errno);
    *pos = (uint64_t)r;
    return 0;
}

static uint16_t host_stat(wasi_file *f, wasi_filestat *out)
{
    struct stat st;
    if (fstat(host_fd(f), &st) < 0)
        return wasi_errno_from_host(errno);
    host_filestat(&st, out);
    return 0;
}

static uint16_t host_set_size(wasi_file *f, uint64_t size)
{
    if (size > INT64_MAX)
        return WASI_EINVAL;
    return HOST_ERR(ftruncate(host_fd(f), (off_t)size));
}

/* fstflags to utimensat's pair; EINVAL when a time is both given and "now". */
static uint16_t host_times(uint64_t atim, uint64_t mtim, uint16_t fst,
                           struct timespec ts[2])
{
    if (((fst & WASI_FST_ATIM) && (fst & WASI_FST_ATIM_NOW)) ||
        ((fst & WASI_FST_MTIM) && (fst & WASI_FST_MTIM_NOW)) || fst > 0xf)
        return WASI_EINVAL;
    const uint64_t t[2] = {atim, mtim};
    for (int i = 0; i < 2; i++) {
        uint16_t set = i ? WASI_FST_MTIM : WASI_FST_ATIM;
        uint16_t now = i ? WASI_FST_MTIM_NOW : WASI_FST_ATIM_NOW;
        ts[i].tv_sec = (time_t)(t[i] / 1000000000u);
        ts[i].tv_nsec = (long)(t[i] % 1000000000u);
        if (fst & now)
            ts[i].tv_nsec = UTIME_NOW;
        else if (!(fst & set))
            ts[i].tv_nsec = UTIME_OMIT;
    }
    return 0;
}

static uint16_t host_set_times(wasi_file *f, uint64_t atim, uint64_t mtim, uint16_t fst)
{
    struct timespec ts[2];
    uint16_t e = host_times(atim, mtim, fst, ts);
    return e ? e : HOST_ERR(futimens(host_fd(f), ts));
}

static uint16_t host_sync(wasi_file *f, bool data_only)
{
    return HOST_ERR(data_only ? fdatasync(host_fd(f)) : fsync(host_fd(f)));
}

static uint16_t host_advise(wasi_file *f, uint64_t off, uint64_t len, uint8_t advice)
{
    static const int advices[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL,
                                  POSIX_FADV_RANDOM, POSIX_FADV_WILLNEED,
                                  POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
    if (advice > 5 || off > INT64_MAX || len > INT64_MAX)
        return WASI_EINVAL;
    if (f->type == WASI_FILETYPE_DIRECTORY)
        return 0;
    return wasi_errno_from_host(posix_fadvise(host_fd(f), (off_t)off, (off_t)len,
                                              advices[advice]));
}

static uint16_t host_allocate(wasi_file *f, uint64_t off, uint64_t len)
{
    if (off > INT64_MAX || len > INT64_MAX || off + len > INT64_MAX)
        return WASI_EINVAL;
    if (len == 0)
        return WASI_EINVAL;
    return wasi_errno_from_host(posix_fallocate(host_fd(f), (off_t)off, (off_t)len));
}

static uint16_t host_set_flags(wasi_file *f, uint16_t fdflags)
{
    if (fdflags & ~WASI_FDFLAGS_ALL)
        return WASI_EINVAL;
    int fl = fcntl(host_fd(f), F_GETFL);
    if (fl < 0)
        return wasi_errno_from_host(errno);
    fl &= ~(O_APPEND | O_NONBLOCK);
    fl |= (fdflags & WASI_FDFLAG_APPEND ? O_APPEND : 0) |
          (fdflags & WASI_FDFLAG_NONBLOCK ? O_NONBLOCK : 0);
    if (fcntl(host_fd(f), F_SETFL, fl) < 0)
        return wasi_errno_from_host(errno);
    f->fdflags = fdflags;
    return 0;
}

/* ---- directory listing: a snapshot taken when cookie 0 is asked ---- */

static uint8_t host_dtype(int dirfd, const struct dirent *d)
{
    switch (d->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case DT_UNKNOWN: {
        struct stat st;
        if (fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
            return host_filetype(st.st_mode);
        return WASI_FILETYPE_UNKNOWN;
    }
    default: return WASI_FILETYPE_UNKNOWN;
    }
}

static uint16_t host_list(host_file *h)
{
    host_clear_listing(h);
    int fd = openat(host_fd(&h->file), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return wasi_errno_from_host(errno);
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return wasi_errno_from_host(errno);
    }
    size_t cap = 0;
    uint16_t e = 0;
    for (;;) {
        errno = 0;   /* readdir says "error" only through errno */
        struct dirent *ent = readdir(d);
        if (!ent) {
            e = errno ? wasi_errno_from_host(errno) : 0;
            break;
        }
        if (h->nents == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            host_entry *n = realloc(h->ents, ncap * sizeof *n);
            if (!n) {
                e = WASI_ENOMEM;
                break;
            }
            h->ents = n;
            cap = ncap;
        }
        host_entry *he = &h->ents[h->nents];
        he->name = strdup(ent->d_name);
        if (!he->name) {
            e = WASI_ENOMEM;
            break;
        }
        he->ino = ent->d_ino;
        he->type = host_dtype(dirfd(d), ent);
        h->nents++;
    }
    closedir(d);
    h->listed = !e;
    return e;
}

static uint16_t host_readdir(wasi_file *f, uint64_t cookie, wasi_dirent *out)
{
    host_file *h = (host_file *)f;
    if (cookie == 0 || !h->listed) {
        uint16_t e = host_list(h);
        if (e)
            return e;
    }
    if (cookie >= h->nents)
        return WASI_ENOENT;
    const host_entry *he = &h->ents[cookie];
    out->ino = he->ino;
    out->type = he->type;
    out->name = he->name;
    out->namelen = strlen(he->name);
    return 0;
}

/* ---- path operations ---- */

/* The last component as the kernel should see it: with the trailing
 * slash kept for calls that never follow a final symlink. */
static const char *host_last(const wasi_path_res *r, char buf[260])
{
    snprintf(buf, 260, "%s%s", r->name, r->slash ? "/" : "");
    return buf;
}

static unsigned host_follow(uint32_t lookup)
{
    return lookup & WASI_LOOKUP_SYMLINK_FOLLOW ? WASI_PATH_FOLLOW : 0;
}

static int host_open_flags(const wasi_open_how *how)
{
    int fl = how->read && how->write ? O_RDWR : how->write ? O_WRONLY : O_RDONLY;
    if (how->oflags & WASI_O_CREAT) fl |= O_CREAT;
    if (how->oflags & WASI_O_DIRECTORY) fl |= O_DIRECTORY;
    if (how->oflags & WASI_O_EXCL) fl |= O_EXCL;
    if (how->oflags & WASI_O_TRUNC) fl |= O_TRUNC;
    if (how->fdflags & WASI_FDFLAG_APPEND) fl |= O_APPEND;
    if (how->fdflags & WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
    if (how->fdflags & WASI_FDFLAG_DSYNC) fl |= O_DSYNC;
    if (how->fdflags & (WASI_FDFLAG_SYNC | WASI_FDFLAG_RSYNC)) fl |= O_SYNC;
    return fl;
}

static uint16_t host_open_at(wasi_file *dir, const char *path, size_t len,
                             const wasi_open_how *how, wasi_file **out)
{
    int fd;
    uint16_t e = wasi_path_open(host_fd(dir), path, len, host_follow(how->lookup),
                                host_open_flags(how), 0666, &fd);
    if (e)
        return e;
    *out = wasi_hostfs_wrap(fd, &e);
    if (*out)
        (*out)->fdflags = how->fdflags;
    return e;
}

static uint16_t host_stat_at(wasi_file *dir, const char *path, size_t len,
                             uint32_t lookup, wasi_filestat *out)
{
    wasi_path_res r;
    uint16_t e = wasi_path_resolve(host_fd(dir), path, len, host_follow(lookup), &r);
    if (e)
        return e;
    struct stat st;
    e = HOST_ERR(fstatat(r.dirfd, r.name, &st, AT_SYMLINK_NOFOLLOW));
    if (!e && r.slash && !S_ISDIR(st.st_mode))
        e = WASI_ENOTDIR;
    if (!e)
        host_filestat(&st, out);
    wasi_path_release(&r);
    return e;
}

static uint16_t host_set_times_at(wasi_file *dir, const char *path, size_t len,
                                  uint32_t lookup, uint64_t atim, uint64_t mtim,
                                  uint16_t fst)
{
    struct timespec ts[2];
    uint16_t e = host_times(atim, mtim, fst, ts);
    if (e)
        return e;
    wasi_path_res r;
    e = wasi_path_resolve(host_fd(dir), path, len, host_follow(lookup), &r);
    if (e)
        return e;
    e = HOST_ERR(utimensat(r.dirfd, r.name, ts, AT_SYMLINK_NOFOLLOW));
    wasi_path_release(&r);
    return e;
}

/* Resolve without following the last component even with a trailing
 * slash, then run one of the calls that never follow it either. */
typedef enum { HOST_MKDIR, HOST_RMDIR, HOST_UNLINK } host_nofollow_op;

static uint16_t host_nofollow(wasi_file *dir, const char *path, size_t len,
                              host_nofollow_op op)
{
    wasi_path_res r;
    uint16_t e = wasi_path_resolve(host_fd(dir), path, len, WASI_PATH_KEEP_SLASH, &r);
    if (e)
        return e;
    char buf[260];
    const char *last = host_last(&r, buf);
    switch (op) {
    case HOST_MKDIR: e = HOST_ERR(mkdirat(r.dirfd, last, 0777)); break;
    case HOST_RMDIR: e = HOST_ERR(unlinkat(r.dirfd, last, AT_REMOVEDIR)); break;
    case HOST_UNLINK: e = HOST_ERR(unlinkat(r.dirfd, last, 0)); break;
    }
    wasi_path_release(&r);
    return e;
}

static uint16_t host_mkdir_at(wasi_file *dir, const char *path, size_t len)
{
    return host_nofollow(dir, path, len, HOST_MKDIR);
}

static uint16_t host_rmdir_at(wasi_file *dir, const char *path, size_t len)
{
    return host_nofollow(dir, path, len, HOST_RMDIR);
}

static uint16_t host_unlink_at(wasi_file *dir, const char *path, size_t len)
{
    return host_nofollow(dir, path, len, HOST_UNLINK);
}

static uint16_t host_readlink_at(wasi_file *dir, const char *path, size_t len,
                                 char *buf, size_t cap, size_t *n)
{
    wasi_path_res r;
    uint16_t e = wasi_path_resolve(host_fd(dir), path, len, 0, &r);
    if (e)
        return e;
    ssize_t got = readlinkat(r.dirfd, r.name, buf, cap);
    e = got < 0 ? wasi_errno_from_host(errno) : 0;
    if (!e)
        *n = (size_t)got;
    wasi_path_release(&r);
    return e;
}

static uint16_t host_symlink_at(const char *target, size_t tlen, wasi_file *dir,
                                const char *path, size_t len)
{
    if (tlen && target[0] == '/')
        return WASI_EPERM;
    uint16_t e = wasi_path_check(target, tlen);
    if (e)
        return e;
    char *t = strndup(target, tlen);
    if (!t)
        return WASI_ENOMEM;
    wasi_path_res r;
    e = wasi_path_resolve(host_fd(dir), path, len, WASI_PATH_KEEP_SLASH, &r);
    if (!e) {
        char buf[260];
        e = HOST_ERR(symlinkat(t, r.dirfd, host_last(&r, buf)));
        wasi_path_release(&r);
    }
    free(t);
    return e;
}

static uint16_t host_link_at(wasi_file *odir, uint32_t lookup, const char *opath,
                             size_t olen, wasi_file *ndir, const char *npath, size_t nlen)
{
    wasi_path_res o, n;
    uint16_t e = wasi_path_resolve(host_fd(odir), opath, olen, host_follow(lookup), &o);
    if (e)
        return e;
    if (o.slash) {
        /* linkat would follow "name/"; a directory cannot be linked anyway */
        struct stat st;
        e = HOST_ERR(fstatat(o.dirfd, o.name, &st, AT_SYMLINK_NOFOLLOW));
        wasi_path_release(&o);
        return e ? e : S_ISDIR(st.st_mode) ? WASI_EPERM : WASI_ENOTDIR;
    }
    e = wasi_path_resolve(host_fd(ndir), npath, nlen, WASI_PATH_KEEP_SLASH, &n);
    if (!e) {
        char buf[260];
        e = HOST_ERR(linkat(o.dirfd, o.name, n.dirfd, host_last(&n, buf), 0));
        wasi_path_release(&n);
    }
    wasi_path_release(&o);
    return e;
}

static uint16_t host_rename_at(wasi_file *odir, const char *opath, size_t olen,
                               wasi_file *ndir, const char *npath, size_t nlen)
{
    wasi_path_res o, n;
    uint16_t e = wasi_path_resolve(host_fd(odir), opath, olen, WASI_PATH_KEEP_SLASH, &o);
    if (e)
        return e;
    e = wasi_path_resolve(host_fd(ndir), npath, nlen, WASI_PATH_KEEP_SLASH, &n);
    if (!e) {
        char ob[260], nb[260];
        e = HOST_ERR(renameat(o.dirfd, host_last(&o, ob), n.dirfd, host_last(&n, nb)));
        wasi_path_release(&n);
    }
    wasi_path_release(&o);
    return e;
}

static void host_close(wasi_file *f)
{
    host_file *h = (host_file *)f;
    host_clear_listing(h);
    if (f->host_fd >= 0)
        close(f->host_fd);
    free(h);
}

static const wasi_file_ops host_ops = {
    .read = host_read,
    .write = host_write,
    .pread = host_pread,
    .pwrite = host_pwrite,
    .seek = host_seek,
    .stat = host_stat,
    .set_size = host_set_size,
    .set_times = host_set_times,
    .sync = host_sync,
    .advise = host_advise,
    .allocate = host_allocate,
    .set_flags = host_set_flags,
    .readdir = host_readdir,
    .open_at = host_open_at,
    .stat_at = host_stat_at,
    .set_times_at = host_set_times_at,
    .mkdir_at = host_mkdir_at,
    .rmdir_at = host_rmdir_at,
    .unlink_at = host_unlink_at,
    .readlink_at = host_readlink_at,
    .symlink_at = host_symlink_at,
    .link_at = host_link_at,
    .rename_at = host_rename_at,
    .close = host_close,
};
