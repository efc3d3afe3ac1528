/* args, environ, clocks, randomness, poll_oneoff, proc, sched and sock
 * functions of wasi_snapshot_preview1. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasi_impl.h"

/* ---- args and environ: a vector of pointers and a buffer of strings ---- */

static uint16_t strings_get(wasi_call *c, char **v, uint32_t n, uint32_t ptrs,
                            uint32_t buf)
{
    if (!wasi_mem_ok(c, ptrs, (uint64_t)n * 4))
        return WASI_EFAULT;
    uint64_t at = buf;
    for (uint32_t i = 0; i < n; i++) {
        size_t len = strlen(v[i]) + 1;
        if (!wasi_mem_ok(c, at, len))
            return WASI_EFAULT;
        memcpy(c->mem + at, v[i], len);
        wasi_st32(c->mem + ptrs + 4 * i, (uint32_t)at);
        at += len;
    }
    return 0;
}

static uint16_t strings_sizes(wasi_call *c, char **v, uint32_t n, uint32_t count_ptr,
                              uint32_t size_ptr)
{
    uint64_t size = 0;
    for (uint32_t i = 0; i < n; i++)
        size += strlen(v[i]) + 1;
    if (size > UINT32_MAX)
        return WASI_EOVERFLOW;
    uint16_t e = wasi_put32(c, count_ptr, n);
    return e ? e : wasi_put32(c, size_ptr, (uint32_t)size);
}

static uint16_t args_get(wasi_call *c, const lw_val *args)
{
    return strings_get(c, c->ctx->argv, c->ctx->argc, ARG32(0), ARG32(1));
}

static uint16_t args_sizes_get(wasi_call *c, const lw_val *args)
{
    return strings_sizes(c, c->ctx->argv, c->ctx->argc, ARG32(0), ARG32(1));
}

static uint16_t environ_get(wasi_call *c, const lw_val *args)
{
    return strings_get(c, c->ctx->env, c->ctx->envc, ARG32(0), ARG32(1));
}

static uint16_t environ_sizes_get(wasi_call *c, const lw_val *args)
{
    return strings_sizes(c, c->ctx->env, c->ctx->envc, ARG32(0), ARG32(1));
}

/* ---- clocks ---- */

static bool host_clock(uint32_t id, clockid_t *out)
{
    static const clockid_t ids[] = {CLOCK_REALTIME, CLOCK_MONOTONIC,
                                    CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID};
    if (id > WASI_CLOCK_THREAD_CPUTIME)
        return false;
    *out = ids[id];
    return true;
}

static uint64_t ts_ns(struct timespec ts)
{
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint16_t clock_now(uint32_t id, uint64_t *ns)
{
    clockid_t hc;
    struct timespec ts;
    if (!host_clock(id, &hc))
        return WASI_EINVAL;
    if (clock_gettime(hc, &ts) < 0)
        return wasi_errno_from_host(errno);
    *ns = ts_ns(ts);
    return 0;
}

static uint16_t clock_res_get(wasi_call *c, const lw_val *args)
{
    clockid_t hc;
    struct timespec ts;
    if (!host_clock(ARG32(0), &hc))
        return WASI_EINVAL;
    if (clock_getres(hc, &ts) < 0)
        return wasi_errno_from_host(errno);
    return wasi_put64(c, ARG32(1), ts_ns(ts));
}

static uint16_t clock_time_get(wasi_call *c, const lw_val *args)
{
    uint64_t ns = 0;
    uint16_t e = clock_now(ARG32(0), &ns);
    return e ? e : wasi_put64(c, ARG32(2), ns);
}

static uint16_t random_get(wasi_call *c, const lw_val *args)
{
    uint8_t *p = wasi_mem_at(c, ARG32(0), ARG32(1));
    if (!p)
        return WASI_EFAULT;
    size_t len = ARG32(1);
    while (len) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0 && errno != EINTR)
            return wasi_errno_from_host(errno);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
        }
    }
    return 0;
}

/* ---- poll_oneoff ---- */

typedef struct {
    uint64_t userdata;
    uint8_t type;
    uint16_t error;
    uint32_t clock;       /* clock subscriptions: clock id and deadline */
    uint64_t deadline;
    int pfd;              /* fd subscriptions: index in the pollfd array, or -1 */
    wasi_file *file;
    bool ready;
} poll_sub;

static void poll_event(uint8_t *out, const poll_sub *s, uint64_t nbytes, uint16_t flags)
{
    memset(out, 0, WASI_EVENT_SIZE);
    wasi_st64(out, s->userdata);
    wasi_st16(out + 8, s->error);
    out[10] = s->type;
    wasi_st64(out + 16, nbytes);
    wasi_st16(out + 24, flags);
}

/* Bytes ready to read on a file, or 0 when unknown. */
static uint64_t poll_nbytes(wasi_file *f)
{
    struct stat st;
    if (f->host_fd < 0 || fstat(f->host_fd, &st) < 0)
        return 0;
    if (S_ISREG(st.st_mode)) {
        off_t pos = lseek(f->host_fd, 0, SEEK_CUR);
        return pos >= 0 && st.st_size > pos ? (uint64_t)(st.st_size - pos) : 0;
    }
    int n = 0;
    return ioctl(f->host_fd, FIONREAD, &n) == 0 && n > 0 ? (uint64_t)n : 0;
}

/* Read one subscription; set up its deadline or pollfd. */
static void poll_setup(wasi_call *c, const uint8_t *in, poll_sub *s,
                       struct pollfd *pfds, int *npfds, uint64_t *wait)
{
    s->userdata = wasi_ld64(in);
    s->type = in[8];
    s->pfd = -1;
    if (s->type == WASI_EVENT_CLOCK) {
        s->clock = wasi_ld32(in + 16);
        uint64_t timeout = wasi_ld64(in + 24), now = 0;
        uint16_t flags = in[40] | in[41] << 8;
        if (s->clock > WASI_CLOCK_MONOTONIC)
            s->error = WASI_EINVAL;
        else
            s->error = clock_now(s->clock, &now);
        if (s->error) {
            s->ready = true;
            return;
        }
        bool abs = flags & WASI_SUBCLOCK_ABSTIME;
        s->deadline = abs ? timeout : (now + timeout < now ? UINT64_MAX : now + timeout);
        uint64_t left = s->deadline > now ? s->deadline - now : 0;
        if (left < *wait)
            *wait = left;
        return;
    }
    if (s->type != WASI_EVENT_FD_READ && s->type != WASI_EVENT_FD_WRITE) {
        s->error = WASI_EINVAL;
        s->ready = true;
        return;
    }
    wasi_fdent *ent;
    s->error = wasi_fd_get(c->ctx, wasi_ld32(in + 16), WASI_R(POLL_FD_READWRITE), &ent);
    if (!s->error) {
        s->file = ent->file;
        if (ent->file->host_fd < 0 || ent->file->type == WASI_FILETYPE_REGULAR_FILE)
            s->ready = true;   /* files are always ready, as poll(2) says */
        else {
            s->pfd = (*npfds)++;
            pfds[s->pfd].fd = ent->file->host_fd;
            pfds[s->pfd].events = s->type == WASI_EVENT_FD_READ ? POLLIN : POLLOUT;
        }
    }
    if (s->error)
        s->ready = true;
}

/* After waiting: which subscriptions fired; write their events. */
static uint32_t poll_collect(poll_sub *subs, uint32_t n, const struct pollfd *pfds,
                             uint8_t *out)
{
    uint32_t nev = 0;
    for (uint32_t i = 0; i < n; i++) {
        poll_sub *s = &subs[i];
        uint16_t flags = 0;
        uint64_t nbytes = 0;
        if (!s->ready && s->type == WASI_EVENT_CLOCK) {
            uint64_t now = 0;
            s->ready = clock_now(s->clock, &now) == 0 && now >= s->deadline;
        } else if (!s->ready && s->pfd >= 0) {
            short rev = pfds[s->pfd].revents;
            s->ready = rev != 0;
            if (rev & POLLNVAL)
                s->error = WASI_EBADF;
            if (rev & POLLHUP)
                flags |= WASI_EVENT_HANGUP;
        }
        if (!s->ready)
            continue;
        if (!s->error && s->type == WASI_EVENT_FD_READ)
            nbytes = poll_nbytes(s->file);
        poll_event(out + (size_t)nev * WASI_EVENT_SIZE, s, nbytes, flags);
        nev++;
    }
    return nev;
}

static uint16_t poll_oneoff(wasi_call *c, const lw_val *args)
{
    uint32_t in = ARG32(0), out = ARG32(1), n = ARG32(2), retptr = ARG32(3);
    if (n == 0)
        return WASI_EINVAL;
    if (!wasi_mem_ok(c, in, (uint64_t)n * WASI_SUBSCRIPTION_SIZE) ||
        !wasi_mem_ok(c, out, (uint64_t)n * WASI_EVENT_SIZE) || !wasi_mem_ok(c, retptr, 4))
        return WASI_EFAULT;
    poll_sub *subs = calloc(n, sizeof *subs);
    struct pollfd *pfds = calloc(n, sizeof *pfds);
    if (!subs || !pfds) {
        free(subs);
        free(pfds);
        return WASI_ENOMEM;
    }
    uint64_t wait = UINT64_MAX;
    int npfds = 0;
    bool any_ready = false;
    for (uint32_t i = 0; i < n; i++) {
        poll_setup(c, c->mem + in + (size_t)i * WASI_SUBSCRIPTION_SIZE, &subs[i],
                   pfds, &npfds, &wait);
        any_ready |= subs[i].ready;
    }
    if (any_ready)
        wait = 0;
    struct timespec ts = {(time_t)(wait / 1000000000u), (long)(wait % 1000000000u)};
    uint16_t e = 0;
    /* Other threads' calls go on while this one sleeps. */
    pthread_mutex_unlock(&c->ctx->lock);
    if (ppoll(pfds, (nfds_t)npfds, wait == UINT64_MAX ? NULL : &ts, NULL) < 0)
        e = wasi_errno_from_host(errno);
    pthread_mutex_lock(&c->ctx->lock);
    uint32_t nev = e ? 0 : poll_collect(subs, n, pfds, c->mem + out);
    free(subs);
    free(pfds);
    return e ? e : wasi_put32(c, retptr, nev);
}

/* ---- proc and sched ---- */

/* Raising a signal in the guest is not supported: nothing in the sandbox
 * could catch it, and killing the runtime is not the guest's call. */
static uint16_t proc_raise(wasi_call *c, const lw_val *args)
{
    return WASI_ENOSYS;
}

static uint16_t sched_yield_(wasi_call *c, const lw_val *args)
{
    sched_yield();
    return 0;
}

/* ---- sockets ---- */

/* The type before the rights: anything but a socket is ENOTSOCK, whatever
 * rights it holds (stdio has none of the socket ones). */
static uint16_t sock_host(wasi_call *c, uint32_t fd, uint64_t rights, int *hfd)
{
    wasi_fdent *ent;
    uint16_t e = wasi_fd_get(c->ctx, fd, 0, &ent);
    if (e)
        return e;
    uint8_t type = ent->file->type;
    if (ent->file->host_fd < 0 ||
        (type != WASI_FILETYPE_SOCKET_STREAM && type != WASI_FILETYPE_SOCKET_DGRAM))
        return WASI_ENOTSOCK;
    if ((ent->base & rights) != rights)
        return WASI_ENOTCAPABLE;
    *hfd = ent->file->host_fd;
    return 0;
}

static uint16_t sock_accept(wasi_call *c, const lw_val *args)
{
    int hfd;
    uint16_t e = sock_host(c, ARG32(0), WASI_R(SOCK_ACCEPT), &hfd);
    if (e)
        return e;
    uint32_t flags = ARG32(1);
    if (flags & ~(uint32_t)WASI_FDFLAG_NONBLOCK)
        return WASI_EINVAL;
    if (!wasi_mem_ok(c, ARG32(2), 4))
        return WASI_EFAULT;
    int s = accept4(hfd, NULL, NULL,
                    SOCK_CLOEXEC | (flags & WASI_FDFLAG_NONBLOCK ? SOCK_NONBLOCK : 0));
    if (s < 0)
        return wasi_errno_from_host(errno);
    wasi_file *f = wasi_hostfs_wrap(s, &e);
    if (!f)
        return e;
    uint32_t fd;
    e = wasi_fd_add(c->ctx, f, WASI_RIGHTS_SOCKET & ~WASI_R(SOCK_ACCEPT), 0, &fd);
    if (e) {
        wasi_file_close(f);
        return e;
    }
    return wasi_put32(c, ARG32(2), fd);
}

static uint16_t sock_recv(wasi_call *c, const lw_val *args)
{
    int hfd;
    uint16_t e = sock_host(c, ARG32(0), WASI_R(FD_READ), &hfd);
    if (e)
        return e;
    uint32_t riflags = ARG32(3);
    if (riflags & ~(uint32_t)(WASI_RIFLAG_PEEK | WASI_RIFLAG_WAITALL))
        return WASI_EINVAL;
    struct iovec iov[WASI_MAX_IOVS];
    int n;
    e = wasi_iovs(c, ARG32(1), ARG32(2), iov, &n);
    if (e)
        return e;
    if (!wasi_mem_ok(c, ARG32(4), 4) || !wasi_mem_ok(c, ARG32(5), 2))
        return WASI_EFAULT;
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
    int fl = (riflags & WASI_RIFLAG_PEEK ? MSG_PEEK : 0) |
             (riflags & WASI_RIFLAG_WAITALL ? MSG_WAITALL : 0);
    ssize_t got = recvmsg(hfd, &msg, fl);
    if (got < 0)
        return wasi_errno_from_host(errno);
    wasi_st16(c->mem + ARG32(5), msg.msg_flags & MSG_TRUNC ? WASI_ROFLAG_TRUNCATED : 0);
    return wasi_put32(c, ARG32(4), (uint32_t)got);
}

static uint16_t sock_send(wasi_call *c, const lw_val *args)
{
    int hfd;
    uint16_t e = sock_host(c, ARG32(0), WASI_R(FD_WRITE), &hfd);
    if (e)
        return e;
    struct iovec iov[WASI_MAX_IOVS];
    int n;
    e = wasi_iovs(c, ARG32(1), ARG32(2), iov, &n);
    if (e)
        return e;
    if (!wasi_mem_ok(c, ARG32(4), 4))
        return WASI_EFAULT;
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
    ssize_t got = sendmsg(hfd, &msg, MSG_NOSIGNAL);
    if (got < 0)
        return wasi_errno_from_host(errno);
    return wasi_put32(c, ARG32(4), (uint32_t)got);
}

static uint16_t sock_shutdown(wasi_call *c, const lw_val *args)
{
    static const int hows[] = {0, SHUT_RD, SHUT_WR, SHUT_RDWR};
    int hfd;
    uint16_t e = sock_host(c, ARG32(0), WASI_R(SOCK_SHUTDOWN), &hfd);
    if (e)
        return e;
    uint32_t how = ARG32(1);
    if (how == 0 || how > 3)
        return WASI_EINVAL;
    return shutdown(hfd, hows[how]) < 0 ? wasi_errno_from_host(errno) : 0;
}

const wasi_def wasi_defs_misc[] = {
    {"args_get", "ii", args_get},
    {"args_sizes_get", "ii", args_sizes_get},
    {"environ_get", "ii", environ_get},
    {"environ_sizes_get", "ii", environ_sizes_get},
    {"clock_res_get", "ii", clock_res_get},
    {"clock_time_get", "iIi", clock_time_get},
    {"poll_oneoff", "iiii", poll_oneoff},
    {"proc_raise", "i", proc_raise},
    {"sched_yield", "", sched_yield_},
    {"random_get", "ii", random_get},
    {"sock_accept", "iii", sock_accept},
    {"sock_recv", "iiiiii", sock_recv},
    {"sock_send", "iiiii", sock_send},
    {"sock_shutdown", "ii", sock_shutdown},
    {NULL, NULL, NULL},
};
