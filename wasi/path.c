/* The sandbox: resolve guest paths beneath a preopened directory.
 *
 * The walk keeps a stack of the directories it has entered below the
 * base, so ".." pops the stack and can never climb above the base.  Each
 * component is opened with O_PATH | O_NOFOLLOW; a symlink is read with
 * readlinkat and its target spliced in front of the components still to
 * walk, so the kernel never follows a link on our behalf.
 */
#define _GNU_SOURCE
#include "path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi_types.h"

bool wasi_path_openat2 = true;

typedef struct {
    int base;
    int *fds;           /* directories entered below base, innermost last */
    size_t n, cap;
    char *buf;          /* the components still to walk */
    unsigned links;     /* symlinks expanded so far */
} path_walk;

static bool path_utf8_ok(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i], n;
        uint32_t cp, min;
        if (c < 0x80) { i++; continue; }
        if ((c & 0xe0) == 0xc0) { n = 1; cp = c & 0x1f; min = 0x80; }
        else if ((c & 0xf0) == 0xe0) { n = 2; cp = c & 0x0f; min = 0x800; }
        else if ((c & 0xf8) == 0xf0) { n = 3; cp = c & 0x07; min = 0x10000; }
        else return false;
        if (len - i <= n)
            return false;
        for (unsigned k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n + 1;
    }
    return true;
}

uint16_t wasi_path_check(const char *path, size_t len)
{
    if (len == 0)
        return WASI_ENOENT;
    if (len >= PATH_MAX)
        return WASI_ENAMETOOLONG;
    if (memchr(path, 0, len))
        return WASI_EINVAL;
    if (!path_utf8_ok((const unsigned char *)path, len))
        return WASI_EILSEQ;
    if (path[0] == '/')
        return WASI_ENOTCAPABLE;
    return 0;
}

static int walk_cur(const path_walk *w)
{
    return w->n ? w->fds[w->n - 1] : w->base;
}

static void walk_free(path_walk *w)
{
    for (size_t i = 0; i < w->n; i++)
        close(w->fds[i]);
    free(w->fds);
    free(w->buf);
}

static uint16_t walk_push(path_walk *w, int fd)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        int *fds = realloc(w->fds, cap * sizeof *fds);
        if (!fds) {
            close(fd);
            return WASI_ENOMEM;
        }
        w->fds = fds;
        w->cap = cap;
    }
    w->fds[w->n++] = fd;
    return 0;
}

/* If `name` in the current directory is a symlink, replace the walk's
 * buffer by its target followed by `rest` and set *expanded.  A name that
 * is not a symlink (or does not exist) leaves the walk as it is. */
static uint16_t walk_expand(path_walk *w, const char *name, const char *rest,
                            bool trailing, bool *expanded)
{
    char target[PATH_MAX];
    *expanded = false;
    ssize_t n = readlinkat(walk_cur(w), name, target, sizeof target);
    if (n < 0)
        return errno == EINVAL || errno == ENOENT ? 0 : wasi_errno_from_host(errno);
    if ((size_t)n >= sizeof target)
        return WASI_ENAMETOOLONG;
    if (++w->links > WASI_PATH_MAX_LINKS)
        return WASI_ELOOP;
    if (n == 0)
        return WASI_ENOENT;
    if (target[0] == '/')
        return WASI_ENOTCAPABLE;
    size_t rlen = strlen(rest);
    if (n + 2 + rlen > PATH_MAX)
        return WASI_ENAMETOOLONG;
    char *buf = malloc(n + 2 + rlen);
    if (!buf)
        return WASI_ENOMEM;
    memcpy(buf, target, n);
    size_t len = n;
    if (rlen || trailing)
        buf[len++] = '/';
    memcpy(buf + len, rest, rlen + 1);
    free(w->buf);
    w->buf = buf;
    *expanded = true;
    return 0;
}

static void walk_finish(path_walk *w, const char *name, bool slash,
                        wasi_path_res *out)
{
    out->dirfd = walk_cur(w);
    out->owned = w->n > 0;
    out->slash = slash;
    strcpy(out->name, name);
    if (w->n)
        w->n--;   /* keep the innermost fd: it now belongs to out */
    walk_free(w);
}

/* Enter directory `name`, expanding it first when it is a symlink. */
static uint16_t walk_enter(path_walk *w, const char *name, const char *rest,
                           bool *expanded)
{
    *expanded = false;
    int fd = openat(walk_cur(w), name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0)
        return walk_push(w, fd);
    int e = errno;
    if (e == ENOTDIR || e == ELOOP) {
        uint16_t r = walk_expand(w, name, rest, true, expanded);
        if (r || *expanded)
            return r;
    }
    return wasi_errno_from_host(e);
}

static uint16_t walk_run(path_walk *w, unsigned flags, wasi_path_res *out)
{
    const char *p = w->buf;
    for (;;) {
        while (*p == '/')
            p++;
        const char *start = p;
        while (*p && *p != '/')
            p++;
        size_t clen = p - start;
        bool trailing = *p == '/';
        const char *rest = p;
        while (*rest == '/')
            rest++;
        bool last = !*rest;
        char name[256];
        if (clen == 0)
            return WASI_ENOENT;
        if (clen >= sizeof name)
            return WASI_ENAMETOOLONG;
        memcpy(name, start, clen);
        name[clen] = 0;
        bool expanded = false;
        uint16_t r = 0;
        if (strcmp(name, ".") == 0) {
            /* nothing to do */
        } else if (strcmp(name, "..") == 0) {
            if (w->n == 0)
                return WASI_ENOTCAPABLE;
            close(w->fds[--w->n]);
        } else if (!last) {
            r = walk_enter(w, name, rest, &expanded);
        } else {
            if ((flags & WASI_PATH_FOLLOW) ||
                (trailing && !(flags & WASI_PATH_KEEP_SLASH)))
                r = walk_expand(w, name, rest, trailing, &expanded);
            if (!r && !expanded) {
                walk_finish(w, name, trailing, out);
                return 0;
            }
        }
        if (r)
            return r;
        if (expanded) {
            p = w->buf;
            continue;
        }
        if (last) {
            walk_finish(w, ".", false, out);
            return 0;
        }
        p = rest;
    }
}

uint16_t wasi_path_resolve(int base, const char *path, size_t len,
                           unsigned flags, wasi_path_res *out)
{
    uint16_t r = wasi_path_check(path, len);
    if (r)
        return r;
    path_walk w = {.base = base};
    w.buf = strndup(path, len);
    if (!w.buf)
        return WASI_ENOMEM;
    r = walk_run(&w, flags, out);
    if (r)
        walk_free(&w);
    return r;
}

void wasi_path_release(wasi_path_res *res)
{
    if (res->owned)
        close(res->dirfd);
    res->owned = false;
}

/* One openat2 call; returns -1 when the kernel cannot do it (then the
 * caller walks by hand), else a WASI errno with *fd set on success. */
static int path_open2(int base, const char *path, size_t len, unsigned flags,
                      int host_flags, mode_t mode, int *fd)
{
    char *s = strndup(path, len);
    if (!s)
        return WASI_ENOMEM;
    struct open_how how = {
        .flags = (uint64_t)(host_flags | O_CLOEXEC |
                            ((flags & WASI_PATH_FOLLOW) ? 0 : O_NOFOLLOW)),
        .mode = (host_flags & O_CREAT) ? mode : 0,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
    };
    int r = -1;
    for (int tries = 0; tries < 4 && r < 0; tries++) {
        long got = syscall(SYS_openat2, base, s, &how, sizeof how);
        if (got >= 0) {
            *fd = (int)got;
            r = 0;
        } else if (errno == ENOSYS || errno == E2BIG) {
            wasi_path_openat2 = false;
            break;
        } else if (errno == EXDEV) {
            r = WASI_ENOTCAPABLE;
        } else if (errno != EAGAIN) {
            r = wasi_errno_from_host(errno);
        }
    }
    free(s);
    return r;
}

uint16_t wasi_path_open(int base, const char *path, size_t len,
                        unsigned flags, int host_flags, mode_t mode, int *fd)
{
    uint16_t e = wasi_path_check(path, len);
    if (e)
        return e;
    if (wasi_path_openat2) {
        int r = path_open2(base, path, len, flags, host_flags, mode, fd);
        if (r >= 0)
            return (uint16_t)r;
    }
    /* O_CREAT | O_EXCL never follows a symlink in the last component. */
    if ((host_flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
        flags &= ~WASI_PATH_FOLLOW;
    wasi_path_res res;
    e = wasi_path_resolve(base, path, len, flags, &res);
    if (e)
        return e;
    if (res.slash) {
        if (host_flags & O_CREAT) {
            wasi_path_release(&res);
            return WASI_EISDIR;
        }
        host_flags |= O_DIRECTORY;
    }
    int got = openat(res.dirfd, res.name, host_flags | O_NOFOLLOW | O_CLOEXEC, mode);
    e = got < 0 ? wasi_errno_from_host(errno) : 0;
    wasi_path_release(&res);
    if (!e)
        *fd = got;
    return e;
}
