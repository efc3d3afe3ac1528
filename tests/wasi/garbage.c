/* Every WASI function called with random arguments, many times: wild
 * pointers, lengths, fds, flags and rights.  Each call must come back with
 * an errno (or success); nothing may crash or stop the runtime.  Run with
 * one scratch preopen (fd 3) and stdin from /dev/null; stdout and stderr
 * are kept out of reach so the final line can be checked.
 *   garbage SEED ROUNDS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static uint64_t state;

static uint32_t rnd(void)
{
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(state >> 33);
}

static uint64_t rnd64(void)
{
    return (uint64_t)rnd() << 32 | rnd();
}

static uint8_t arena[65536];

/* A pointer: mostly into our arena, sometimes anywhere in (or past) memory. */
static uint32_t ptr(void)
{
    switch (rnd() % 4) {
    case 0: return rnd();
    case 1: return 0xffffffffu - rnd() % 64;
    default: return (uint32_t)(uintptr_t)arena + rnd() % sizeof arena;
    }
}

static uint32_t len(void)
{
    return rnd() % 3 ? rnd() % 64 : rnd();
}

/* An fd that is never stdout or stderr. */
static uint32_t fd(void)
{
    uint32_t f = rnd() % 4 ? rnd() % 12 : rnd();
    return f == 1 || f == 2 ? 3 : f;
}

/* An fd to close or renumber over: never the scratch preopen either, so
 * the path functions keep something to work on. */
static uint32_t victim(void)
{
    uint32_t f = fd();
    return f == 3 ? 4 : f;
}

/* A path in the arena: random bytes, sometimes made of path-like pieces. */
static const char *path(void)
{
    static const char *parts[] = {"a", "b", "..", ".", "/", "x/", "a/b", "\xff"};
    char *p = (char *)arena + 60000;
    if (rnd() % 2) {
        p[0] = 0;
        for (uint32_t n = rnd() % 6; n; n--)
            strcat(p, parts[rnd() % 8]);
    } else {
        uint32_t n = rnd() % 40;
        for (uint32_t i = 0; i < n; i++)
            p[i] = (char)(rnd() % 255 + 1);
        p[n] = 0;
    }
    return p;
}

/* Subscriptions that never wait: every clock timeout is zero. */
static uint32_t subscriptions(uint32_t n)
{
    __wasi_subscription_t *s = (__wasi_subscription_t *)(arena + 1024);
    for (uint32_t i = 0; i < n; i++) {
        memset(&s[i], 0, sizeof s[i]);
        s[i].userdata = rnd64();
        s[i].u.tag = (uint8_t)(rnd() % 4);
        if (s[i].u.tag == __WASI_EVENTTYPE_CLOCK) {
            s[i].u.u.clock.id = rnd() % 5;
            s[i].u.u.clock.flags = (uint16_t)(rnd() % 2);
        } else {
            s[i].u.u.fd_read.file_descriptor = fd();
        }
    }
    return (uint32_t)(uintptr_t)s;
}

/* Raw imports, so any value can be passed where the headers want types. */
#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
IMPORT(args_get) int32_t g_args_get(uint32_t, uint32_t);
IMPORT(args_sizes_get) int32_t g_args_sizes_get(uint32_t, uint32_t);
IMPORT(environ_get) int32_t g_environ_get(uint32_t, uint32_t);
IMPORT(environ_sizes_get) int32_t g_environ_sizes_get(uint32_t, uint32_t);
IMPORT(clock_res_get) int32_t g_clock_res_get(uint32_t, uint32_t);
IMPORT(clock_time_get) int32_t g_clock_time_get(uint32_t, uint64_t, uint32_t);
IMPORT(fd_advise) int32_t g_fd_advise(uint32_t, uint64_t, uint64_t, uint32_t);
IMPORT(fd_allocate) int32_t g_fd_allocate(uint32_t, uint64_t, uint64_t);
IMPORT(fd_close) int32_t g_fd_close(uint32_t);
IMPORT(fd_datasync) int32_t g_fd_datasync(uint32_t);
IMPORT(fd_fdstat_get) int32_t g_fd_fdstat_get(uint32_t, uint32_t);
IMPORT(fd_fdstat_set_flags) int32_t g_fd_fdstat_set_flags(uint32_t, uint32_t);
IMPORT(fd_fdstat_set_rights) int32_t g_fd_fdstat_set_rights(uint32_t, uint64_t, uint64_t);
IMPORT(fd_filestat_get) int32_t g_fd_filestat_get(uint32_t, uint32_t);
IMPORT(fd_filestat_set_size) int32_t g_fd_filestat_set_size(uint32_t, uint64_t);
IMPORT(fd_filestat_set_times) int32_t g_fd_filestat_set_times(uint32_t, uint64_t, uint64_t, uint32_t);
IMPORT(fd_pread) int32_t g_fd_pread(uint32_t, uint32_t, uint32_t, uint64_t, uint32_t);
IMPORT(fd_prestat_get) int32_t g_fd_prestat_get(uint32_t, uint32_t);
IMPORT(fd_prestat_dir_name) int32_t g_fd_prestat_dir_name(uint32_t, uint32_t, uint32_t);
IMPORT(fd_pwrite) int32_t g_fd_pwrite(uint32_t, uint32_t, uint32_t, uint64_t, uint32_t);
IMPORT(fd_read) int32_t g_fd_read(uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT(fd_readdir) int32_t g_fd_readdir(uint32_t, uint32_t, uint32_t, uint64_t, uint32_t);
IMPORT(fd_renumber) int32_t g_fd_renumber(uint32_t, uint32_t);
IMPORT(fd_seek) int32_t g_fd_seek(uint32_t, uint64_t, uint32_t, uint32_t);
IMPORT(fd_sync) int32_t g_fd_sync(uint32_t);
IMPORT(fd_tell) int32_t g_fd_tell(uint32_t, uint32_t);
IMPORT(fd_write) int32_t g_fd_write(uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT(path_create_directory) int32_t g_path_create_directory(uint32_t, uint32_t, uint32_t);
IMPORT(path_filestat_get) int32_t g_path_filestat_get(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT(path_filestat_set_times) int32_t g_path_filestat_set_times(uint32_t, uint32_t, uint32_t, uint32_t, uint64_t, uint64_t, uint32_t);
IMPORT(path_link) int32_t g_path_link(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT(path_open) int32_t g_path_open(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint64_t, uint64_t, uint32_t, uint32_t);
IMPORT(path_readlink) int32_t g_path_readlink(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT(path_remove_directory) int32_t g_path_remove_directory(uint32_t, uint32_t, uint32_t);
IMPORT(path_rename) int32_t g_path_rename(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT(path_symlink) int32_t g_path_symlink(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT(path_unlink_file) int32_t g_path_unlink_file(uint32_t, uint32_t, uint32_t);
IMPORT(poll_oneoff) int32_t g_poll_oneoff(uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT(proc_raise) int32_t g_proc_raise(uint32_t);
IMPORT(sched_yield) int32_t g_sched_yield(void);
IMPORT(random_get) int32_t g_random_get(uint32_t, uint32_t);
IMPORT(sock_accept) int32_t g_sock_accept(uint32_t, uint32_t, uint32_t);
IMPORT(sock_recv) int32_t g_sock_recv(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT(sock_send) int32_t g_sock_send(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT(sock_shutdown) int32_t g_sock_shutdown(uint32_t, uint32_t);

#define P(s) ((uint32_t)(uintptr_t)(s))

/* An iovec array in the arena whose entries point anywhere. */
static uint32_t iovs(uint32_t n)
{
    uint32_t *v = (uint32_t *)(arena + 4096);
    for (uint32_t i = 0; i < n && i < 64; i++) {
        v[2 * i] = ptr();
        v[2 * i + 1] = len();
    }
    return P(v);
}

static int32_t one_call(uint32_t which)
{
    const char *p;
    switch (which) {
    case 0: return g_args_get(ptr(), ptr());
    case 1: return g_args_sizes_get(ptr(), ptr());
    case 2: return g_environ_get(ptr(), ptr());
    case 3: return g_environ_sizes_get(ptr(), ptr());
    case 4: return g_clock_res_get(rnd() % 6, ptr());
    case 5: return g_clock_time_get(rnd() % 6, rnd64(), ptr());
    case 6: return g_fd_advise(fd(), rnd64(), rnd64(), rnd() % 8);
    case 7: return g_fd_allocate(fd(), rnd() % 100000, rnd() % 100000);
    case 8: return g_fd_close(victim());
    case 9: return g_fd_datasync(fd());
    case 10: return g_fd_fdstat_get(fd(), ptr());
    case 11: return g_fd_fdstat_set_flags(fd(), rnd() % 64);
    case 12: return g_fd_fdstat_set_rights(fd(), rnd64(), rnd64());
    case 13: return g_fd_filestat_get(fd(), ptr());
    case 14: return g_fd_filestat_set_size(fd(), rnd() % 100000);
    case 15: return g_fd_filestat_set_times(fd(), rnd64(), rnd64(), rnd() % 32);
    case 16: return g_fd_pread(fd(), iovs(4), rnd() % 6, rnd64() % 100000, ptr());
    case 17: return g_fd_prestat_get(fd(), ptr());
    case 18: return g_fd_prestat_dir_name(fd(), ptr(), len());
    case 19: return g_fd_pwrite(fd(), iovs(4), rnd() % 6, rnd() % 100000, ptr());
    case 20: return g_fd_read(fd(), iovs(4), rnd() % 6, ptr());
    case 21: return g_fd_readdir(fd(), ptr(), len(), rnd() % 8, ptr());
    case 22: return g_fd_renumber(victim(), victim());
    case 23: return g_fd_seek(fd(), rnd64() % 1000 - 500, rnd() % 4, ptr());
    case 24: return g_fd_sync(fd());
    case 25: return g_fd_tell(fd(), ptr());
    case 26: return g_fd_write(fd(), iovs(4), rnd() % 6, ptr());
    case 27: p = path(); return g_path_create_directory(fd(), P(p), strlen(p));
    case 28: p = path(); return g_path_filestat_get(fd(), rnd() % 3, P(p), strlen(p), ptr());
    case 29: p = path(); return g_path_filestat_set_times(fd(), rnd() % 3, P(p), strlen(p), rnd64(), rnd64(), rnd() % 32);
    case 30: p = path(); return g_path_link(fd(), rnd() % 2, P(p), strlen(p), fd(), P(p), rnd() % 8);
    case 31: p = path(); return g_path_open(fd(), rnd() % 2, P(p), rnd() % 3 ? strlen(p) : len(), rnd() % 32, rnd64(), rnd64(), rnd() % 64, ptr());
    case 32: p = path(); return g_path_readlink(fd(), P(p), strlen(p), ptr(), len(), ptr());
    case 33: p = path(); return g_path_remove_directory(fd(), P(p), strlen(p));
    case 34: p = path(); return g_path_rename(fd(), P(p), strlen(p), fd(), P(p), rnd() % 8);
    case 35: p = path(); return g_path_symlink(P(p), strlen(p), fd(), P(p), rnd() % 8);
    case 36: p = path(); return g_path_unlink_file(fd(), P(p), strlen(p));
    case 37: return g_poll_oneoff(rnd() % 4 ? subscriptions(4) : ptr(), ptr(), rnd() % 5, ptr());
    case 38: return g_proc_raise(rnd() % 40);
    case 39: return g_sched_yield();
    case 40: return g_random_get(ptr(), len());
    case 41: return g_sock_accept(fd(), rnd() % 8, ptr());
    case 42: return g_sock_recv(fd(), iovs(4), rnd() % 6, rnd() % 4, ptr(), ptr());
    case 43: return g_sock_send(fd(), iovs(4), rnd() % 6, 0, ptr());
    default: return g_sock_shutdown(fd(), rnd() % 5);
    }
}

int main(int argc, char **argv)
{
    state = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    uint32_t rounds = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 20000;
    uint32_t bad = 0;
    for (uint32_t i = 0; i < rounds; i++) {
        int32_t e = one_call(rnd() % 45);
        bad += e < 0 || e > __WASI_ERRNO_NOTCAPABLE;
    }
    printf("survived %u calls, %u answers out of the errno range\n", rounds, bad);
    return bad != 0;
}
