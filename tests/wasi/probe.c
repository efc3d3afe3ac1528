/* One file-system operation on the first preopen (fd 3), through the raw
 * WASI API, for the sandbox tests:
 *   probe OP PATH [ARG]
 * Prints "ok" plus what was read, or "errno N". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define DIR 3
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static int printed;   /* the op printed its own "ok" line */

static const __wasi_rights_t READ = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR |
    __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_GET;
static const __wasi_rights_t WRITE = __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE;

static int op_read(const char *path, __wasi_lookupflags_t look)
{
    __wasi_fd_t fd;
    int e = __wasi_path_open(DIR, look, path, 0, READ, 0, 0, &fd);
    if (e)
        return e;
    char buf[256];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    size_t n = 0;
    e = __wasi_fd_read(fd, &iov, 1, &n);
    buf[n] = 0;
    if (!e)
        printed = printf("ok %s\n", buf);
    __wasi_fd_close(fd);
    return e;
}

static int op_write(const char *path, __wasi_oflags_t of, __wasi_lookupflags_t look)
{
    __wasi_fd_t fd;
    int e = __wasi_path_open(DIR, look, path, of, WRITE, 0, 0, &fd);
    if (e)
        return e;
    __wasi_ciovec_t iov = {(const uint8_t *)"pwned\n", 6};
    size_t n;
    e = __wasi_fd_write(fd, &iov, 1, &n);
    __wasi_fd_close(fd);
    if (!e)
        printed = printf("ok\n");
    return e;
}

static int op_list(const char *path)
{
    __wasi_fd_t fd;
    int e = __wasi_path_open(DIR, FOLLOW, path, __WASI_OFLAGS_DIRECTORY,
                             __WASI_RIGHTS_FD_READDIR, 0, 0, &fd);
    if (e)
        return e;
    static uint8_t buf[8192];
    size_t used;
    e = __wasi_fd_readdir(fd, buf, sizeof buf, 0, &used);
    __wasi_fd_close(fd);
    if (e)
        return e;
    static char names[64][256];
    int n = 0;
    for (size_t at = 0; at + sizeof(__wasi_dirent_t) <= used && n < 64; n++) {
        __wasi_dirent_t d;
        memcpy(&d, buf + at, sizeof d);
        at += sizeof d;
        snprintf(names[n], sizeof names[n], "%.*s", (int)d.d_namlen, (char *)buf + at);
        at += d.d_namlen;
    }
    qsort(names, n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    printed = printf("ok");
    for (int i = 0; i < n; i++)
        printf(" %s", names[i]);
    printf("\n");
    return 0;
}

static int op_stat(const char *path, __wasi_lookupflags_t look)
{
    __wasi_filestat_t st;
    int e = __wasi_path_filestat_get(DIR, look, path, &st);
    if (!e)
        printed = printf("ok type %d\n", st.filetype);
    return e;
}

static int op_readlink(const char *path)
{
    char buf[256];
    size_t n;
    int e = __wasi_path_readlink(DIR, path, (uint8_t *)buf, sizeof buf, &n);
    if (!e)
        printed = printf("ok %.*s\n", (int)n, buf);
    return e;
}

/* The rights of the preopen that would let anything be written. */
static int op_write_rights(void)
{
    const __wasi_rights_t w = __WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_WRITE |
        __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_PATH_CREATE_DIRECTORY |
        __WASI_RIGHTS_PATH_CREATE_FILE | __WASI_RIGHTS_PATH_LINK_SOURCE |
        __WASI_RIGHTS_PATH_LINK_TARGET | __WASI_RIGHTS_PATH_RENAME_SOURCE |
        __WASI_RIGHTS_PATH_RENAME_TARGET | __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE |
        __WASI_RIGHTS_PATH_FILESTAT_SET_TIMES | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE |
        __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_PATH_SYMLINK |
        __WASI_RIGHTS_PATH_REMOVE_DIRECTORY | __WASI_RIGHTS_PATH_UNLINK_FILE;
    __wasi_fdstat_t st;
    int e = __wasi_fd_fdstat_get(DIR, &st);
    if (!e)
        printed = printf("ok %d %d\n", (st.fs_rights_base & w) != 0,
                         (st.fs_rights_inheriting & w) != 0);
    return e;
}

static int run(const char *op, const char *path, const char *arg)
{
    if (!strcmp(op, "read")) return op_read(path, FOLLOW);
    if (!strcmp(op, "read-nofollow")) return op_read(path, 0);
    if (!strcmp(op, "write")) return op_write(path, 0, FOLLOW);
    if (!strcmp(op, "create")) return op_write(path, __WASI_OFLAGS_CREAT, FOLLOW);
    if (!strcmp(op, "create-excl"))
        return op_write(path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, FOLLOW);
    if (!strcmp(op, "trunc")) return op_write(path, __WASI_OFLAGS_TRUNC, FOLLOW);
    if (!strcmp(op, "list")) return op_list(path);
    if (!strcmp(op, "stat")) return op_stat(path, FOLLOW);
    if (!strcmp(op, "lstat")) return op_stat(path, 0);
    if (!strcmp(op, "readlink")) return op_readlink(path);
    if (!strcmp(op, "write-rights")) return op_write_rights();
    if (!strcmp(op, "mkdir")) return __wasi_path_create_directory(DIR, path);
    if (!strcmp(op, "rmdir")) return __wasi_path_remove_directory(DIR, path);
    if (!strcmp(op, "unlink")) return __wasi_path_unlink_file(DIR, path);
    if (!strcmp(op, "rename")) return __wasi_path_rename(DIR, path, DIR, arg);
    if (!strcmp(op, "link")) return __wasi_path_link(DIR, FOLLOW, path, DIR, arg);
    if (!strcmp(op, "symlink")) return __wasi_path_symlink(arg, DIR, path);
    if (!strcmp(op, "utimes"))
        return __wasi_path_filestat_set_times(DIR, FOLLOW, path, 0, 0,
                                              __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM);
    return -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: probe OP PATH [ARG]\n");
        return 2;
    }
    int e = run(argv[1], argv[2], argc > 3 ? argv[3] : "");
    if (e < 0) {
        fprintf(stderr, "probe: unknown op %s\n", argv[1]);
        return 2;
    }
    if (e)
        printf("errno %d\n", e);
    else if (!printed)
        printf("ok\n");
    return 0;
}
