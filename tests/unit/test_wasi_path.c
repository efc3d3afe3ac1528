/* The WASI sandbox's path resolution against a real directory tree.
 * Needs no interpreter: the resolver works on host directory fds.  Opens
 * run twice, through openat2 and through the component walk. */
#define _GNU_SOURCE
#include "unit.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <errno.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "path.h"
#include "wasi_types.h"

#define COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

static char tmp[PATH_MAX];
static int root = -1;

static void mk(const char *rel, const char *text)
{
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    if (!text) {
        ck_assert_int_eq(mkdir(p, 0755), 0);
        return;
    }
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void ln(const char *target, const char *rel)
{
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    ck_assert_int_eq(symlink(target, p), 0);
}

static bool exists(const char *rel)
{
    char p[PATH_MAX * 2];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", tmp, rel);
    return lstat(p, &st) == 0;
}

static bool secret_intact(void)
{
    char p[PATH_MAX * 2], buf[16] = {0};
    snprintf(p, sizeof p, "%s/outside/secret", tmp);
    FILE *f = fopen(p, "r");
    if (!f)
        return false;
    bool ok = fgets(buf, sizeof buf, f) && strcmp(buf, "secret") == 0;
    fclose(f);
    return ok;
}

static void setup(void)
{
    strcpy(tmp, "/tmp/wasi-path-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp));
    mk("outside", NULL);
    mk("outside/secret", "secret");
    mk("root", NULL);
    mk("root/file", "hello");
    mk("root/dir", NULL);
    mk("root/dir/sub", NULL);
    mk("root/dir/sub/deep", "deep");
    mk("root/dir/f2", "f2");
    ln("file", "root/link_file");
    ln("dir", "root/link_dir");
    ln("..", "root/link_up");
    ln("/etc/passwd", "root/link_abs");
    ln("/tmp", "root/link_absdir");
    ln("../outside/secret", "root/link_out");
    ln("../outside", "root/link_outdir");
    ln("nonexist", "root/dangling");
    ln("../outside/new", "root/dangling_out");
    ln("loop2", "root/loop1");
    ln("loop1", "root/loop2");
    ln("self", "root/self");
    ln("../file", "root/dir/link_back");
    ln("../../outside", "root/dir/link_up2");
    ln(".", "root/link_dot");
    ln("link_dir/sub", "root/chain");
    ln("dir/sub/..", "root/link_dotdot");
    ln("sub/../../../outside", "root/dir/link_tricky");
    char name[32], target[32];
    for (int i = 0; i <= 40; i++) {
        snprintf(name, sizeof name, "root/c%d", i);
        if (i == 40)
            strcpy(target, "file");
        else
            snprintf(target, sizeof target, "c%d", i + 1);
        ln(target, name);
    }
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/root", tmp);
    root = open(p, O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(root, 0);
}

static void teardown(void)
{
    close(root);
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    ck_assert_int_eq(system(cmd), 0);
}

/* ---- resolve: path -> (directory, last name) or an errno ---------- */

typedef struct {
    const char *path;
    unsigned flags;
    uint16_t err;
    const char *name;     /* expected last component */
    const char *in;       /* a file expected in the resulting directory */
} resolve_case;

#define F WASI_PATH_FOLLOW
static const resolve_case resolve_cases[] = {
    {"file", 0, 0, "file", "file"},
    {"dir/sub/deep", 0, 0, "deep", "deep"},
    {"dir/../file", 0, 0, "file", "file"},
    {"./dir/./f2", 0, 0, "f2", "f2"},
    {"dir//sub///deep", 0, 0, "deep", "deep"},
    {".", 0, 0, ".", "file"},
    {"dir/sub/../..", 0, 0, ".", "file"},
    {"dir/", 0, 0, "dir", "file"},
    {"..", 0, WASI_ENOTCAPABLE, NULL, NULL},
    {"../root/file", 0, WASI_ENOTCAPABLE, NULL, NULL},
    {"dir/../../root/file", 0, WASI_ENOTCAPABLE, NULL, NULL},
    {"/etc/passwd", 0, WASI_ENOTCAPABLE, NULL, NULL},
    {"/", 0, WASI_ENOTCAPABLE, NULL, NULL},
    {"", 0, WASI_ENOENT, NULL, NULL},
    {"link_up/outside/secret", 0, WASI_ENOTCAPABLE, NULL, NULL},
    {"link_up", F, WASI_ENOTCAPABLE, NULL, NULL},
    {"link_up", 0, 0, "link_up", "file"},
    {"link_abs", F, WASI_ENOTCAPABLE, NULL, NULL},
    {"link_abs", 0, 0, "link_abs", "file"},
    {"link_absdir/x", 0, WASI_ENOTCAPABLE, NULL, NULL},
    {"link_out", F, WASI_ENOTCAPABLE, NULL, NULL},
    {"link_outdir/secret", 0, WASI_ENOTCAPABLE, NULL, NULL},
    {"link_outdir/", 0, WASI_ENOTCAPABLE, NULL, NULL},
    {"dir/link_up2/secret", 0, WASI_ENOTCAPABLE, NULL, NULL},
    {"dir/link_tricky/secret", 0, WASI_ENOTCAPABLE, NULL, NULL},
    {"dangling_out", F, WASI_ENOTCAPABLE, NULL, NULL},
    {"dangling", F, 0, "nonexist", "file"},
    {"dangling", 0, 0, "dangling", "file"},
    {"loop1", F, WASI_ELOOP, NULL, NULL},
    {"loop1/x", 0, WASI_ELOOP, NULL, NULL},
    {"self", F, WASI_ELOOP, NULL, NULL},
    {"link_file", F, 0, "file", "file"},
    {"link_dir/f2", 0, 0, "f2", "f2"},
    {"link_dir/", 0, 0, "dir", "file"},
    {"dir/link_back", F, 0, "file", "file"},
    {"link_dot/link_dot/file", 0, 0, "file", "file"},
    {"chain/deep", 0, 0, "deep", "deep"},
    {"link_dotdot/f2", 0, 0, "f2", "f2"},
    {"link_dotdot", F, 0, ".", "f2"},
    {"file/x", 0, WASI_ENOTDIR, NULL, NULL},
    {"nonexist/x", 0, WASI_ENOENT, NULL, NULL},
    {"nonexist", 0, 0, "nonexist", "file"},
    {"c1", F, 0, "file", "file"},
    {"c0", F, WASI_ELOOP, NULL, NULL},
    {"a\0b", 0, WASI_EINVAL, NULL, NULL},
    {"bad\xff", 0, WASI_EILSEQ, NULL, NULL},
    {"\xc0\xaf", 0, WASI_EILSEQ, NULL, NULL},
};

static size_t case_len(const char *p)
{
    /* "a\0b" is the one path with an embedded NUL. */
    return strcmp(p, "a") == 0 ? 3 : strlen(p);
}

START_TEST(test_resolve)
{
    const resolve_case *c = &resolve_cases[_i];
    wasi_path_res res;
    uint16_t e = wasi_path_resolve(root, c->path, case_len(c->path), c->flags, &res);
    ck_assert_msg(e == c->err, "%s: errno %u, want %u", c->path, e, c->err);
    if (e)
        return;
    ck_assert_str_eq(res.name, c->name);
    struct stat st;
    ck_assert_msg(fstatat(res.dirfd, c->in, &st, AT_SYMLINK_NOFOLLOW) == 0,
                  "%s: %s not in the resolved directory", c->path, c->in);
    wasi_path_release(&res);
}
END_TEST

/* ---- open: the same answers through openat2 and the walk ---------- */

typedef struct {
    const char *path;
    unsigned flags;
    int host_flags;
    uint16_t err;
    const char *content;   /* expected first bytes when reading */
    const char *created;   /* a path (from tmp) that must exist after */
    const char *absent;    /* a path (from tmp) that must not exist after */
} open_case;

static const open_case open_cases[] = {
    {"file", 0, O_RDONLY, 0, "hello", NULL, NULL},
    {"link_file", F, O_RDONLY, 0, "hello", NULL, NULL},
    {"link_file", 0, O_RDONLY, WASI_ELOOP, NULL, NULL, NULL},
    {"dir/link_back", F, O_RDONLY, 0, "hello", NULL, NULL},
    {"link_dir/sub/deep", 0, O_RDONLY, 0, "deep", NULL, NULL},
    {"link_out", F, O_RDONLY, WASI_ENOTCAPABLE, NULL, NULL, NULL},
    {"link_abs", F, O_RDONLY, WASI_ENOTCAPABLE, NULL, NULL, NULL},
    {"link_outdir/secret", F, O_RDONLY, WASI_ENOTCAPABLE, NULL, NULL, NULL},
    {"../outside/secret", F, O_RDONLY, WASI_ENOTCAPABLE, NULL, NULL, NULL},
    {"dir/../../outside/secret", F, O_RDONLY, WASI_ENOTCAPABLE, NULL, NULL, NULL},
    {"/etc/passwd", F, O_RDONLY, WASI_ENOTCAPABLE, NULL, NULL, NULL},
    {"loop1", F, O_RDONLY, WASI_ELOOP, NULL, NULL, NULL},
    {"c0", F, O_RDONLY, WASI_ELOOP, NULL, NULL, NULL},
    {"c1", F, O_RDONLY, 0, "hello", NULL, NULL},
    {"file/", F, O_RDONLY, WASI_ENOTDIR, NULL, NULL, NULL},
    {"dir/", F, O_RDONLY | O_DIRECTORY, 0, NULL, NULL, NULL},
    {"nonexist", F, O_RDONLY, WASI_ENOENT, NULL, NULL, NULL},
    {"new", F, O_WRONLY | O_CREAT, 0, NULL, "root/new", NULL},
    {"dangling", F, O_WRONLY | O_CREAT, 0, NULL, "root/nonexist", NULL},
    {"dangling", F, O_WRONLY | O_CREAT | O_EXCL, WASI_EEXIST, NULL, NULL, "root/nonexist"},
    {"dangling_out", F, O_WRONLY | O_CREAT, WASI_ENOTCAPABLE, NULL, NULL, "outside/new"},
    {"link_outdir/new", F, O_WRONLY | O_CREAT, WASI_ENOTCAPABLE, NULL, NULL, "outside/new"},
    {"link_out", F, O_WRONLY | O_TRUNC, WASI_ENOTCAPABLE, NULL, NULL, NULL},
    {"file", F, O_WRONLY | O_CREAT | O_EXCL, WASI_EEXIST, NULL, NULL, NULL},
    {"newdir/", F, O_WRONLY | O_CREAT, WASI_EISDIR, NULL, NULL, "root/newdir"},
};

static void check_open(const open_case *c, bool use_openat2)
{
    wasi_path_openat2 = use_openat2;
    int fd = -1;
    uint16_t e = wasi_path_open(root, c->path, strlen(c->path), c->flags,
                                c->host_flags, 0644, &fd);
    ck_assert_msg(e == c->err, "%s (%s): errno %u, want %u", c->path,
                  use_openat2 ? "openat2" : "walk", e, c->err);
    if (!e && c->content) {
        char buf[16] = {0};
        ck_assert_int_eq(read(fd, buf, strlen(c->content)), (int)strlen(c->content));
        ck_assert_str_eq(buf, c->content);
    }
    if (!e)
        close(fd);
    if (c->created)
        ck_assert_msg(exists(c->created), "%s missing", c->created);
    if (c->absent)
        ck_assert_msg(!exists(c->absent), "%s exists", c->absent);
    ck_assert_msg(secret_intact(), "outside/secret changed");
}

START_TEST(test_open_walk)
{
    check_open(&open_cases[_i], false);
}
END_TEST

START_TEST(test_open_openat2)
{
    int fd = (int)syscall(SYS_openat2, AT_FDCWD, ".",
                          &(struct open_how){.flags = O_RDONLY}, sizeof(struct open_how));
    if (fd < 0) {
        printf("SKIP: openat2 cases: kernel has no openat2\n");
        return;
    }
    close(fd);
    check_open(&open_cases[_i], true);
    ck_assert(wasi_path_openat2);
}
END_TEST

START_TEST(test_long_name)
{
    char p[300];
    memset(p, 'a', 299);
    p[299] = 0;
    wasi_path_res res;
    ck_assert_int_eq(wasi_path_resolve(root, p, 299, 0, &res), WASI_ENAMETOOLONG);
}
END_TEST

START_TEST(test_errno_map)
{
    ck_assert_int_eq(wasi_errno_from_host(ENOENT), 44);
    ck_assert_int_eq(wasi_errno_from_host(EBADF), 8);
    ck_assert_int_eq(wasi_errno_from_host(EXDEV), 75);
    ck_assert_int_eq(wasi_errno_from_host(ELOOP), 32);
    ck_assert_int_eq(wasi_errno_from_host(EFAULT), 21);
    ck_assert_int_eq(wasi_errno_from_host(ENOTEMPTY), 55);
    ck_assert_int_eq(wasi_errno_from_host(0), 0);
    ck_assert_int_eq(WASI_ENOTCAPABLE, 76);
    ck_assert_int_eq(WASI_RIGHT_COUNT, 30);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("wasi_path");
    TCase *tc = tcase_create("resolve");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_resolve, 0, COUNTOF(resolve_cases));
    tcase_add_loop_test(tc, test_open_walk, 0, COUNTOF(open_cases));
    tcase_add_loop_test(tc, test_open_openat2, 0, COUNTOF(open_cases));
    tcase_add_test(tc, test_long_name);
    tcase_add_test(tc, test_errno_map);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
