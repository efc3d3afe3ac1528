/* args, environ, clocks, random, sched_yield, proc_raise, poll_oneoff and
 * stdio through the raw WASI API.  The host runs it as
 *   basic ARG1 "arg two"  with env A=1 and B=two words, stdin a pipe
 * holding "ping", and expects exit status 7 (proc_exit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

/* Newer wasi-libc headers no longer declare proc_raise. */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise")))
uint16_t raw_proc_raise(uint32_t sig);
#define WASI_SIGUSR1 10

static int failures;

static void check(const char *name, long long got, long long want)
{
    if (got == want)
        printf("ok %s\n", name);
    else {
        printf("FAIL %s: got %lld, want %lld\n", name, got, want);
        failures++;
    }
}

static void check_true(const char *name, int cond)
{
    check(name, cond ? 1 : 0, 1);
}

static void test_args_env(void)
{
    size_t n, size;
    check("args_sizes_get", __wasi_args_sizes_get(&n, &size), 0);
    check("args_count", n, 3);
    char *buf = malloc(size);
    char **argv = malloc(n * sizeof *argv);
    check("args_get", __wasi_args_get((uint8_t **)argv, (uint8_t *)buf), 0);
    check_true("args_1", strcmp(argv[1], "ARG1") == 0);
    check_true("args_2", strcmp(argv[2], "arg two") == 0);
    check("args_size", size, strlen(argv[0]) + 1 + 5 + 8);
    free(buf);
    free(argv);
    check("environ_sizes_get", __wasi_environ_sizes_get(&n, &size), 0);
    check("environ_count", n, 2);
    check("environ_size", size, 4 + 12);
    buf = malloc(size);
    char **env = malloc(n * sizeof *env);
    check("environ_get", __wasi_environ_get((uint8_t **)env, (uint8_t *)buf), 0);
    check_true("environ_values", strcmp(env[0], "A=1") == 0 && strcmp(env[1], "B=two words") == 0);
    free(buf);
    free(env);
    check("args_get_fault", __wasi_args_get((uint8_t **)0xfffffff0u, (uint8_t *)0), __WASI_ERRNO_FAULT);
}

static void test_clocks(void)
{
    __wasi_timestamp_t t, t2, res;
    for (int id = 0; id < 4; id++) {
        check("clock_res_get", __wasi_clock_res_get(id, &res), 0);
        check_true("clock_res_positive", res > 0 && res <= 1000000000ull);
        check("clock_time_get", __wasi_clock_time_get(id, 1, &t), 0);
    }
    check("clock_res_bad", __wasi_clock_res_get(9, &res), __WASI_ERRNO_INVAL);
    check("clock_time_bad", __wasi_clock_time_get(9, 1, &t), __WASI_ERRNO_INVAL);
    __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t);
    check_true("realtime_after_2020", t > 1577836800ull * 1000000000ull);
    __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
    __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2);
    check_true("monotonic", t2 >= t);
    volatile unsigned x = 0;
    for (unsigned i = 0; i < 3000000; i++)
        x += i;
    __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &t);
    check_true("process_cputime", t > 0 && x != 1);
}

static void test_random(void)
{
    uint8_t a[32] = {0}, b[32] = {0};
    check("random_get", __wasi_random_get(a, sizeof a), 0);
    check("random_get_2", __wasi_random_get(b, sizeof b), 0);
    check_true("random_differs", memcmp(a, b, sizeof a) != 0);
    check("random_get_empty", __wasi_random_get(a, 0), 0);
}

static void test_proc(void)
{
    check("sched_yield", __wasi_sched_yield(), 0);
    check("proc_raise", raw_proc_raise(WASI_SIGUSR1), __WASI_ERRNO_NOSYS);
}

static __wasi_subscription_t clock_sub(uint64_t user, __wasi_clockid_t id,
                                       uint64_t timeout, uint16_t flags)
{
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = user;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.flags = flags;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t user, uint8_t type, __wasi_fd_t fd)
{
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = user;
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = fd;
    return s;
}

static uint64_t now(__wasi_clockid_t id)
{
    __wasi_timestamp_t t = 0;
    if (__wasi_clock_time_get(id, 1, &t))
        return 0;
    return t;
}

static void test_poll(void)
{
    __wasi_subscription_t in[3];
    __wasi_event_t out[3];
    size_t n = 0;
    uint64_t t0 = now(__WASI_CLOCKID_MONOTONIC);
    in[0] = clock_sub(11, __WASI_CLOCKID_MONOTONIC, 20000000, 0);
    check("poll_relative", __wasi_poll_oneoff(in, out, 1, &n), 0);
    check("poll_relative_n", n, 1);
    check("poll_relative_user", out[0].userdata, 11);
    check("poll_relative_type", out[0].type, __WASI_EVENTTYPE_CLOCK);
    check_true("poll_relative_waited", now(__WASI_CLOCKID_MONOTONIC) - t0 >= 20000000);
    t0 = now(__WASI_CLOCKID_REALTIME);
    in[0] = clock_sub(12, __WASI_CLOCKID_REALTIME, t0 + 15000000, __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    check("poll_absolute", __wasi_poll_oneoff(in, out, 1, &n), 0);
    check("poll_absolute_user", out[0].userdata, 12);
    check_true("poll_absolute_waited", now(__WASI_CLOCKID_REALTIME) >= t0 + 15000000);
    in[0] = clock_sub(13, __WASI_CLOCKID_MONOTONIC, 5000000000ull, 0);
    in[1] = clock_sub(14, __WASI_CLOCKID_MONOTONIC, 1000000, 0);
    check("poll_two_clocks", __wasi_poll_oneoff(in, out, 2, &n), 0);
    check("poll_two_clocks_n", n, 1);
    check("poll_two_clocks_first", out[0].userdata, 14);
    check("poll_none", __wasi_poll_oneoff(in, out, 0, &n), __WASI_ERRNO_INVAL);
    in[0] = fd_sub(21, __WASI_EVENTTYPE_FD_READ, 0);
    in[1] = clock_sub(22, __WASI_CLOCKID_MONOTONIC, 5000000000ull, 0);
    check("poll_stdin", __wasi_poll_oneoff(in, out, 2, &n), 0);
    check("poll_stdin_n", n, 1);
    check("poll_stdin_user", out[0].userdata, 21);
    check("poll_stdin_type", out[0].type, __WASI_EVENTTYPE_FD_READ);
    check("poll_stdin_error", out[0].error, 0);
    check("poll_stdin_nbytes", out[0].fd_readwrite.nbytes, 4);
    in[0] = fd_sub(31, __WASI_EVENTTYPE_FD_WRITE, 1);
    check("poll_stdout", __wasi_poll_oneoff(in, out, 1, &n), 0);
    check("poll_stdout_type", out[0].type, __WASI_EVENTTYPE_FD_WRITE);
    in[0] = fd_sub(41, __WASI_EVENTTYPE_FD_READ, 99);
    check("poll_badf", __wasi_poll_oneoff(in, out, 1, &n), 0);
    check("poll_badf_n", n, 1);
    check("poll_badf_error", out[0].error, __WASI_ERRNO_BADF);
    check("poll_fault", __wasi_poll_oneoff((const __wasi_subscription_t *)0xfffffff0u, out, 1, &n),
          __WASI_ERRNO_FAULT);
}

static void test_stdio(void)
{
    __wasi_fdstat_t st, st0;
    check("fdstat_stdin", __wasi_fd_fdstat_get(0, &st0), 0);
    check_true("stdin_readable", (st0.fs_rights_base & __WASI_RIGHTS_FD_READ) != 0);
    check("fdstat_stdout", __wasi_fd_fdstat_get(1, &st), 0);
    check_true("stdout_writable", (st.fs_rights_base & __WASI_RIGHTS_FD_WRITE) != 0);
    char buf[16];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    size_t n = 0;
    check("read_stdin", __wasi_fd_read(0, &iov, 1, &n), 0);
    check_true("read_stdin_value", n == 4 && memcmp(buf, "ping", 4) == 0);
    check("read_stdin_eof", __wasi_fd_read(0, &iov, 1, &n), 0);
    check("read_stdin_eof_n", n, 0);
    __wasi_ciovec_t ciov = {(const uint8_t *)"to stderr\n", 10};
    check("write_stderr", __wasi_fd_write(2, &ciov, 1, &n), 0);
    check("seek_pipe", __wasi_fd_seek(0, 1, __WASI_WHENCE_SET, &(__wasi_filesize_t){0}),
          (st0.fs_rights_base & __WASI_RIGHTS_FD_SEEK) ? __WASI_ERRNO_SPIPE : __WASI_ERRNO_NOTCAPABLE);
}

int main(void)
{
    test_args_env();
    test_clocks();
    test_random();
    test_proc();
    test_poll();
    test_stdio();
    printf("%s\n", failures ? "FAILED" : "ALL OK");
    fflush(stdout);
    __wasi_proc_exit(failures ? 1 : 7);
}
