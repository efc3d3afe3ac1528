/* What a WASI file descriptor points at: a file object with a table of
 * operations.  Host files and directories (hostfs.c) are one
 * implementation; an in-memory read-only tree (the files of a bundle) can
 * be another, mounted as a preopen with wasi_ctx_preopen_file.
 *
 * Every operation returns a WASI errno.  A NULL operation means "not
 * supported by this kind of file" and the caller answers WASI_ENOTSUP.
 * Path arguments are the guest's bytes (len, not NUL-terminated); the
 * implementation must keep every path beneath the directory it is given.
 */
#ifndef WASI_FS_H
#define WASI_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "wasi_types.h"

typedef struct wasi_file wasi_file;

typedef struct {
    uint64_t ino;
    uint8_t type;         /* WASI_FILETYPE_* */
    const char *name;     /* valid until the next readdir on the file */
    size_t namelen;
} wasi_dirent;

/* How path_open wants a file opened. */
typedef struct {
    uint32_t lookup;      /* WASI_LOOKUP_* */
    uint16_t oflags;      /* WASI_O_* */
    uint16_t fdflags;     /* WASI_FDFLAG_* */
    bool read, write;     /* access the new fd needs */
} wasi_open_how;

typedef struct wasi_file_ops {
    uint16_t (*read)(wasi_file *f, const struct iovec *iov, int n, size_t *done);
    uint16_t (*write)(wasi_file *f, const struct iovec *iov, int n, size_t *done);
    uint16_t (*pread)(wasi_file *f, const struct iovec *iov, int n, uint64_t off, size_t *done);
    uint16_t (*pwrite)(wasi_file *f, const struct iovec *iov, int n, uint64_t off, size_t *done);
    uint16_t (*seek)(wasi_file *f, int64_t off, uint8_t whence, uint64_t *pos);
    uint16_t (*stat)(wasi_file *f, wasi_filestat *st);
    uint16_t (*set_size)(wasi_file *f, uint64_t size);
    uint16_t (*set_times)(wasi_file *f, uint64_t atim, uint64_t mtim, uint16_t fst);
    uint16_t (*sync)(wasi_file *f, bool data_only);
    uint16_t (*advise)(wasi_file *f, uint64_t off, uint64_t len, uint8_t advice);
    uint16_t (*allocate)(wasi_file *f, uint64_t off, uint64_t len);
    uint16_t (*set_flags)(wasi_file *f, uint16_t fdflags);
    /* Entry number `cookie` (0 is the first); WASI_ENOENT past the end.
     * Cookies stay valid across calls until the listing restarts at 0. */
    uint16_t (*readdir)(wasi_file *f, uint64_t cookie, wasi_dirent *ent);

    /* Path operations relative to directory `dir`. */
    uint16_t (*open_at)(wasi_file *dir, const char *path, size_t len,
                        const wasi_open_how *how, wasi_file **out);
    uint16_t (*stat_at)(wasi_file *dir, const char *path, size_t len,
                        uint32_t lookup, wasi_filestat *st);
    uint16_t (*set_times_at)(wasi_file *dir, const char *path, size_t len,
                             uint32_t lookup, uint64_t atim, uint64_t mtim,
                             uint16_t fst);
    uint16_t (*mkdir_at)(wasi_file *dir, const char *path, size_t len);
    uint16_t (*rmdir_at)(wasi_file *dir, const char *path, size_t len);
    uint16_t (*unlink_at)(wasi_file *dir, const char *path, size_t len);
    uint16_t (*readlink_at)(wasi_file *dir, const char *path, size_t len,
                            char *buf, size_t cap, size_t *n);
    uint16_t (*symlink_at)(const char *target, size_t tlen, wasi_file *dir,
                           const char *path, size_t len);
    /* Two directories with the same ops (else the caller says EXDEV). */
    uint16_t (*link_at)(wasi_file *odir, uint32_t lookup, const char *opath,
                        size_t olen, wasi_file *ndir, const char *npath, size_t nlen);
    uint16_t (*rename_at)(wasi_file *odir, const char *opath, size_t olen,
                          wasi_file *ndir, const char *npath, size_t nlen);

    void (*close)(wasi_file *f);
} wasi_file_ops;

struct wasi_file {
    const wasi_file_ops *ops;
    uint8_t type;         /* WASI_FILETYPE_* */
    uint16_t fdflags;     /* as last set; WASI_FDFLAG_* */
    int host_fd;          /* for poll(2) and sockets; -1 when none */
};

/* Host-backed files (hostfs.c).  Takes ownership of fd. */
wasi_file *wasi_hostfs_wrap(int fd, uint16_t *err);
/* Open a host directory to serve as a preopen. */
wasi_file *wasi_hostfs_open_dir(const char *path, uint16_t *err);

#endif
