/* WASI preview1 for a libwasm store: a context holds what the guest is
 * granted (arguments, environment, preopened directories, stdio, a
 * listening socket) and wasi_define puts every wasi_snapshot_preview1
 * function into a linker.
 *
 * File descriptors: 0-2 are stdio, then the preopens in the order given
 * (3, 4, ...), then the listening socket.  (wasi-libc stops looking for
 * preopens at the first fd that is not one, so the socket comes last.)
 *
 * Choices where preview1 leaves room:
 *   - a path leaving its preopen (absolute, ".." above the root, a symlink
 *     to an absolute path or above the root) fails with ENOTCAPABLE;
 *     symlink chains longer than 40 with ELOOP;
 *   - path_symlink with an absolute target fails with EPERM ("not
 *     permitted", as path-resolution.md says);
 *   - a read-only preopen and everything opened through it lack every
 *     right that writes (WASI_RIGHTS_WRITE); path_open there to write,
 *     create or truncate fails with EROFS ("Read-only file system"), at
 *     open time; other writes (unlink, mkdir, ...) fail with ENOTCAPABLE,
 *     as every missing right does;
 *   - path_open with O_DIRECTORY and a right that writes (fd_write,
 *     fd_allocate, fd_filestat_set_size) fails with EISDIR on a directory;
 *   - sock_* on an fd that is not a socket fail with ENOTSOCK before any
 *     check of rights;
 *   - proc_raise is not supported and returns ENOSYS;
 *   - a host call cut short by a signal (EINTR: Ctrl-C or a timeout in
 *     wasm-run) traps with "interrupted" instead of returning EINTR;
 *   - guest pointers out of bounds of memory give EFAULT;
 *   - poll_oneoff waits on the realtime and monotonic clocks; a
 *     subscription to a CPU-time clock fires at once with EINVAL, one to a
 *     bad fd at once with its errno; regular files are always ready;
 *   - new fds take the lowest free number;
 *   - fd_read and friends on an fd without the right give ENOTCAPABLE
 *     (wasi-libc turns that into EBADF for read and write).
 *
 * The environment variable LIBWASM_WASI_NO_OPENAT2 makes path_open use
 * the component walk even where the kernel has openat2 (for tests).
 */
#ifndef WASI_H
#define WASI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libwasm.h"

typedef struct wasi_ctx wasi_ctx;
struct wasi_file;

typedef struct {
    const char *host;     /* host directory */
    const char *guest;    /* the name the guest sees it by */
    bool readonly;
} wasi_preopen;

typedef struct {
    uint32_t argc;
    const char *const *argv;    /* argv[0] is the program name */
    uint32_t envc;
    const char *const *env;     /* "NAME=VALUE" each */
    uint32_t npreopens;
    const wasi_preopen *preopens;
    int stdio[3];               /* host fds for the guest's 0, 1, 2 */
    int listen_fd;              /* a listening socket, or -1 */
} wasi_config;

/* Returns NULL and a message in errbuf when a preopen cannot be opened. */
wasi_ctx *wasi_ctx_new(const wasi_config *cfg, char *errbuf, size_t errsize);
void wasi_ctx_free(wasi_ctx *ctx);

/* Mount a directory object (see fs.h) as the next preopen.  The context
 * takes ownership of dir.  Returns the fd or -1. */
int wasi_ctx_preopen_file(wasi_ctx *ctx, struct wasi_file *dir,
                          const char *guest, bool readonly);

/* Define the wasi_snapshot_preview1 functions in l.  Returns 0 or -1. */
int wasi_define(wasi_ctx *ctx, lw_linker *l);

/* True when the module imports anything from wasi_snapshot_preview1. */
bool wasi_module_uses(const lw_module *m);

#endif
