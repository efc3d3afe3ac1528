/* The POSIX layer of wasi-libc on top of our WASI: open flags, stdio,
 * directories, stat, times, sleeping, randomness, isatty.  Run with one
 * writable preopen named by argv[1] (relative paths resolve inside it);
 * with argv[2] = "ro" it checks that the preopen refuses writes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(const char *name, long got, long want)
{
    if (got == want)
        printf("ok %s\n", name);
    else {
        printf("FAIL %s: got %ld, want %ld\n", name, got, want);
        failures++;
    }
}

static void check_true(const char *name, int cond)
{
    check(name, cond ? 1 : 0, 1);
}

/* errno right after a call that must fail (printf may change errno). */
#define FAILS_WITH(call) ((call) == -1 ? errno : 0)

static char path[256];

static const char *at(const char *name)
{
    snprintf(path, sizeof path, "%s/%s", getenv("DIR") ? getenv("DIR") : ".", name);
    return path;
}

static void test_files(void)
{
    FILE *f = fopen(at("a.txt"), "w");
    check_true("fopen_w", f != NULL);
    fprintf(f, "line %d\n", 1);
    check("fclose", fclose(f), 0);
    f = fopen(at("a.txt"), "a");
    fputs("line 2\n", f);
    fclose(f);
    char buf[64] = {0};
    f = fopen(at("a.txt"), "r");
    check("fread", (long)fread(buf, 1, sizeof buf - 1, f), 14);
    fclose(f);
    check_true("append_content", strcmp(buf, "line 1\nline 2\n") == 0);
    int fd = open(at("a.txt"), O_RDWR);
    check_true("open_rdwr", fd >= 0);
    check("lseek_end", lseek(fd, 0, SEEK_END), 14);
    check("ftruncate", ftruncate(fd, 5), 0);
    struct stat st;
    check("fstat", fstat(fd, &st), 0);
    check("fstat_size", (long)st.st_size, 5);
    check_true("fstat_regular", S_ISREG(st.st_mode));
    check("pwrite", pwrite(fd, "XY", 2, 1), 2);
    check("pread", pread(fd, buf, 5, 0), 5);
    check_true("pread_content", memcmp(buf, "lXYe ", 5) == 0);
    close(fd);
    check("open_excl", FAILS_WITH(open(at("a.txt"), O_WRONLY | O_CREAT | O_EXCL, 0644)), EEXIST);
    check("open_missing", FAILS_WITH(open(at("missing"), O_RDONLY)), ENOENT);
}

static void test_dirs(void)
{
    check("mkdir", mkdir(at("sub"), 0755), 0);
    check("mkdir_exists", FAILS_WITH(mkdir(at("sub"), 0755)), EEXIST);
    char to[256];
    snprintf(to, sizeof to, "%s", at("sub/b.txt"));
    check("rename", rename(at("a.txt"), to), 0);
    check("symlink", symlink("b.txt", at("sub/link")), 0);
    char buf[64] = {0};
    check("readlink", readlink(at("sub/link"), buf, sizeof buf), 5);
    struct stat st;
    check("stat_through_link", stat(at("sub/link"), &st), 0);
    check_true("stat_is_regular", S_ISREG(st.st_mode));
    check("lstat_link", lstat(at("sub/link"), &st), 0);
    check_true("lstat_is_link", S_ISLNK(st.st_mode));
    DIR *d = opendir(at("sub"));
    check_true("opendir", d != NULL);
    int n = 0, saw_b = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        n++;
        saw_b |= strcmp(e->d_name, "b.txt") == 0 && e->d_type == DT_REG;
    }
    check("readdir_count", n, 4);
    check_true("readdir_b", saw_b);
    rewinddir(d);
    n = 0;
    while (readdir(d))
        n++;
    check("rewinddir_count", n, 4);
    closedir(d);
    struct timespec ts[2] = {{1000, 0}, {2000, 500}};
    check("utimensat", utimensat(AT_FDCWD, at("sub/b.txt"), ts, 0), 0);
    stat(at("sub/b.txt"), &st);
    check("utimensat_mtime", (long)st.st_mtim.tv_sec, 2000);
    check("unlink_link", unlink(at("sub/link")), 0);
    check("rmdir_notempty", FAILS_WITH(rmdir(at("sub"))), ENOTEMPTY);
    check("unlink", unlink(at("sub/b.txt")), 0);
    check("rmdir", rmdir(at("sub")), 0);
    check("escape", FAILS_WITH(open(at("../outside"), O_RDONLY)), ENOTCAPABLE);
}

static void test_misc(void)
{
    struct timespec a, b, req = {0, 10000000};
    clock_gettime(CLOCK_MONOTONIC, &a);
    check("nanosleep", nanosleep(&req, NULL), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
    check_true("nanosleep_waited", ns >= 10000000);
    check_true("time", time(NULL) > 1577836800);
    unsigned char r[16] = {0}, zero[16] = {0};
    check("getentropy", getentropy(r, sizeof r), 0);
    check_true("getentropy_filled", memcmp(r, zero, sizeof r) != 0);
    check("isatty_not_a_terminal", isatty(0), 0);
    struct pollfd p = {.fd = 1, .events = POLLOUT};
    check("poll_stdout", poll(&p, 1, 100), 1);
    check_true("poll_stdout_out", (p.revents & POLLOUT) != 0);
}

static void test_readonly(void)
{
    /* a read-only mount refuses to open for writing: EROFS, at open time */
    check("ro_create", FAILS_WITH(open(at("new"), O_WRONLY | O_CREAT, 0644)), EROFS);
    check_true("ro_fopen_w", fopen(at("keep"), "w") == NULL && errno == EROFS);
    check_true("ro_fopen_a", fopen(at("keep"), "a") == NULL && errno == EROFS);
    check("ro_open_for_write", FAILS_WITH(open(at("keep"), O_WRONLY)), EROFS);
    int fd = open(at("keep"), O_RDONLY);
    check_true("ro_read_open", fd >= 0);
    char buf[8] = {0};
    check("ro_read", read(fd, buf, 4), 4);
    /* opened to read and write, it writes nothing: wasi-libc's write()
     * reports the missing right as EBADF, as POSIX does */
    check_true("ro_write", write(fd, "x", 1) < 0 && errno == EBADF);
    close(fd);
    check("ro_trunc", FAILS_WITH(open(at("keep"), O_RDONLY | O_TRUNC)), EROFS);
    check("ro_mkdir", FAILS_WITH(mkdir(at("d"), 0755)), ENOTCAPABLE);
    check("ro_unlink", FAILS_WITH(unlink(at("keep"))), ENOTCAPABLE);
    char to[256];
    snprintf(to, sizeof to, "%s", at("k2"));
    check("ro_rename", FAILS_WITH(rename(at("keep"), to)), ENOTCAPABLE);
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[2], "ro") == 0) {
        test_readonly();
    } else {
        test_files();
        test_dirs();
        test_misc();
    }
    printf("%s\n", failures ? "FAILED" : "ALL OK");
    return failures != 0;
}
