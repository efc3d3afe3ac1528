/* WASI path resolution: fuzzed paths resolved beneath a temporary tree
 * that holds files, directories and symlinks (some pointing out of it).
 * Whatever resolves must stay beneath the base; whatever opens must be a
 * file beneath it.  Byte 0 picks the flags, the rest is the path. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "path.h"
#include "wasi_types.h"

static char fuzz_root[PATH_MAX];   /* the tree's parent: holds "outside" too */
static char fuzz_base_path[PATH_MAX];
static int fuzz_base = -1;

static void fuzz_mk(const char *rel, const char *link)
{
    char p[PATH_MAX * 2];
    snprintf(p, sizeof p, "%s/%s", fuzz_root, rel);
    int r;
    if (link)
        r = symlink(link, p);
    else if (rel[strlen(rel) - 1] == '/')
        r = mkdir(p, 0755);
    else
        r = close(open(p, O_CREAT | O_WRONLY, 0644));
    FUZZ_CHECK(r == 0, "cannot make %s", p);
}

static void fuzz_cleanup(void)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", fuzz_root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(fuzz_root, sizeof fuzz_root, "%s/fuzzpath.XXXXXX", tmp ? tmp : "/tmp");
    FUZZ_CHECK(mkdtemp(fuzz_root), "mkdtemp");
    atexit(fuzz_cleanup);
    static const char *tree[][2] = {
        {"outside/", NULL}, {"outside/secret", NULL}, {"base/", NULL},
        {"base/a/", NULL}, {"base/a/b/", NULL}, {"base/a/f", NULL},
        {"base/a/b/g", NULL}, {"base/f", NULL}, {"base/up", ".."},
        {"base/a/up", ".."}, {"base/a/top", "../f"}, {"base/a/b/deep", "../../a"},
        {"base/abs", "/etc"}, {"base/out", "../outside"},
        {"base/a/out2", "../../outside/secret"}, {"base/loop", "loop"},
        {"base/l1", "l2"}, {"base/l2", "l1"}, {"base/dirlink", "a/b"},
        {"base/dot", "."}, {"base/empty", "a/b/../../f"}, {"base/self", "./a/../a"},
        {"base/a/b/esc", "../../../outside"}, {"base/dangling", "nothing/here"},
    };
    for (size_t i = 0; i < sizeof tree / sizeof tree[0]; i++)
        fuzz_mk(tree[i][0], tree[i][1]);
    char base[PATH_MAX + 8];
    snprintf(base, sizeof base, "%s/base", fuzz_root);
    FUZZ_CHECK(realpath(base, fuzz_base_path), "realpath");
    fuzz_base = open(fuzz_base_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    FUZZ_CHECK(fuzz_base >= 0, "cannot open the base");
    return 0;
}

/* The host path an fd refers to must be the base or beneath it. */
static void fuzz_check_beneath(int fd, const char *what)
{
    char link[64], p[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, p, sizeof p - 1);
    FUZZ_CHECK(n > 0, "readlink %s", link);
    p[n] = 0;
    size_t blen = strlen(fuzz_base_path);
    FUZZ_CHECK(strncmp(p, fuzz_base_path, blen) == 0 && (p[blen] == 0 || p[blen] == '/'),
               "%s escaped the sandbox: %s", what, p);
}

static void fuzz_resolve(const char *path, size_t len, unsigned flags)
{
    wasi_path_res res;
    if (wasi_path_resolve(fuzz_base, path, len, flags, &res) != 0)
        return;
    fuzz_check_beneath(res.dirfd, "the directory of a resolved path");
    FUZZ_CHECK(strchr(res.name, '/') == NULL && strcmp(res.name, "..") != 0 &&
                   res.name[0] != 0,
               "resolved to a bad last component '%s'", res.name);
    struct stat st;
    if ((flags & WASI_PATH_FOLLOW) &&
        fstatat(res.dirfd, res.name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        FUZZ_CHECK(!S_ISLNK(st.st_mode), "a followed path ends at the symlink '%s'",
                   res.name);
    wasi_path_release(&res);
}

static void fuzz_open(const char *path, size_t len, unsigned flags, bool openat2)
{
    int fd = -1;
    wasi_path_openat2 = openat2;
    if (wasi_path_open(fuzz_base, path, len, flags, O_RDONLY, 0, &fd) == 0) {
        fuzz_check_beneath(fd, openat2 ? "a file opened by openat2" : "a file opened by the walk");
        close(fd);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    unsigned flags = data[0] & (WASI_PATH_FOLLOW | WASI_PATH_KEEP_SLASH);
    const char *path = (const char *)data + 1;
    size_t len = size - 1;
    fuzz_resolve(path, len, flags);
    fuzz_open(path, len, flags, true);
    fuzz_open(path, len, flags, false);
    return 0;
}
