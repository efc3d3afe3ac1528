/* Resolving guest paths beneath a host directory (the sandbox).
 *
 * Every path is relative to a directory fd and may not leave it: an
 * absolute path, a ".." above the base, or a symlink whose target is
 * absolute or climbs above the base gives WASI_ENOTCAPABLE.  Symlink
 * chains longer than WASI_PATH_MAX_LINKS give WASI_ELOOP.  The walk opens
 * one component at a time with O_NOFOLLOW and expands symlinks itself, so
 * a concurrent rename outside cannot make it escape.  Opening files uses
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) when the kernel has it.
 */
#ifndef WASI_PATH_H
#define WASI_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define WASI_PATH_MAX_LINKS 40
#define WASI_PATH_FOLLOW 0x1u   /* follow a symlink in the last component */
/* Do not follow a final symlink because of a trailing slash either: the
 * caller hands "name/" to a call that never follows (mkdirat, unlinkat,
 * renameat, symlinkat, linkat's new name). */
#define WASI_PATH_KEEP_SLASH 0x2u

typedef struct {
    int dirfd;          /* the directory holding `name` */
    bool owned;         /* dirfd was opened by the walk; release closes it */
    bool slash;         /* the path ended in '/': must name a directory */
    char name[256];     /* the last component, or "." for dirfd itself */
} wasi_path_res;

/* Resolve path (len bytes, not NUL-terminated) beneath base.  Returns a
 * WASI errno; on success release *out with wasi_path_release. */
uint16_t wasi_path_resolve(int base, const char *path, size_t len,
                           unsigned flags, wasi_path_res *out);
void wasi_path_release(wasi_path_res *res);

/* openat() beneath base.  host_flags are open(2) flags (O_CREAT, ...);
 * O_NOFOLLOW is added unless flags has WASI_PATH_FOLLOW. */
uint16_t wasi_path_open(int base, const char *path, size_t len,
                        unsigned flags, int host_flags, mode_t mode, int *fd);

/* Checks shared by every path argument: not empty, no NUL, valid UTF-8,
 * not too long, not absolute. */
uint16_t wasi_path_check(const char *path, size_t len);

/* Tests set this to false to exercise the component walk instead of
 * openat2; it also turns false by itself when the kernel lacks openat2. */
extern bool wasi_path_openat2;

#endif
