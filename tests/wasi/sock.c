/* Serve one connection on the listening socket (fd 3, from --tcplisten):
 * read a line, answer "ECHO:" and the line upper-cased, shut down. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define LISTEN 3

static int failures;

static void check(const char *name, int got, int want)
{
    printf(got == want ? "ok %s\n" : "FAIL %s: got %d, want %d\n", name, got, want);
    failures += got != want;
}

int main(void)
{
    __wasi_fdstat_t st;
    check("fdstat", __wasi_fd_fdstat_get(LISTEN, &st), 0);
    check("fdstat_type", st.fs_filetype, __WASI_FILETYPE_SOCKET_STREAM);
    __wasi_fd_t conn = 0;
    /* not a socket: ENOTSOCK, before any check of rights (stdio has none) */
    check("accept_stdin", __wasi_sock_accept(0, 0, &conn), __WASI_ERRNO_NOTSOCK);
    check("shutdown_stdin", __wasi_sock_shutdown(0, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
    check("accept_bad_flags", __wasi_sock_accept(LISTEN, __WASI_FDFLAGS_APPEND, &conn),
          __WASI_ERRNO_INVAL);
    check("accept", __wasi_sock_accept(LISTEN, 0, &conn), 0);
    char buf[64];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    size_t n = 0, got = 0;
    __wasi_roflags_t ro = 1;
    check("recv_peek", __wasi_sock_recv(conn, &iov, 1, __WASI_RIFLAGS_RECV_PEEK, &n, &ro), 0);
    while (got == 0 || buf[got - 1] != '\n') {
        iov.buf = (uint8_t *)buf + got;
        iov.buf_len = sizeof buf - 1 - got;
        if (__wasi_sock_recv(conn, &iov, 1, 0, &n, &ro) || n == 0)
            break;
        got += n;
    }
    check("recv_peek_saw", n > 0 || got > 0, 1);
    check("recv_roflags", ro, 0);
    char out[80] = "ECHO:";
    for (size_t i = 0; i < got; i++)
        out[5 + i] = (char)toupper((unsigned char)buf[i]);
    __wasi_ciovec_t ciov = {(const uint8_t *)out, 5 + got};
    check("send", __wasi_sock_send(conn, &ciov, 1, 0, &n), 0);
    check("send_len", (int)n, (int)(5 + got));
    check("shutdown_bad", __wasi_sock_shutdown(conn, 0), __WASI_ERRNO_INVAL);
    check("shutdown", __wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR), 0);
    check("recv_not_socket", __wasi_sock_recv(1, &iov, 1, 0, &n, &ro), __WASI_ERRNO_NOTSOCK);
    check("close", __wasi_fd_close(conn), 0);
    printf("%s\n", failures ? "FAILED" : "ALL OK");
    return failures != 0;
}
