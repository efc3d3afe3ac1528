/* treehash SRC DST: copy the tree SRC into DST (which must exist), hash
 * every file (FNV-1a, 64 bits), list what was done, then hash stdin.
 * Plain POSIX, so it builds natively and for wasm32-wasi alike; the WASI
 * tests compare the two. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FNV_INIT 0xcbf29ce484222325ull

static uint64_t nfiles, nbytes;

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a directory, sorted, without "." and "..". */
static char **names_of(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    size_t cap = 16;
    char **v = malloc(cap * sizeof *v);
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (*n == cap) {
            cap *= 2;
            v = realloc(v, cap * sizeof *v);
        }
        v[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(v, *n, sizeof *v, cmp_names);
    return v;
}

static int copy_file(const char *from, const char *to, const char *rel)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out) {
        fprintf(stderr, "treehash: %s: %s\n", rel, strerror(errno));
        if (in) fclose(in);
        if (out) fclose(out);
        return -1;
    }
    unsigned char buf[8192];
    uint64_t h = FNV_INIT, size = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        h = fnv(h, buf, n);
        size += n;
        fwrite(buf, 1, n, out);
    }
    fclose(in);
    int bad = fclose(out) != 0;
    printf("f %8" PRIu64 " %016" PRIx64 " %s\n", size, h, rel);
    nfiles++;
    nbytes += size;
    return bad ? -1 : 0;
}

static int walk(const char *src, const char *dst, const char *rel)
{
    size_t n;
    char **names = names_of(src, &n);
    if (!names) {
        fprintf(stderr, "treehash: %s: %s\n", src, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char s[1024], d[1024], r[1024];
        snprintf(s, sizeof s, "%s/%s", src, names[i]);
        snprintf(d, sizeof d, "%s/%s", dst, names[i]);
        snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        struct stat st;
        if (lstat(s, &st) < 0) {
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            printf("d %s\n", r);
            if (mkdir(d, 0755) < 0 || walk(s, d, r) < 0)
                rc = -1;
        } else if (S_ISLNK(st.st_mode)) {
            char target[512];
            ssize_t len = readlink(s, target, sizeof target - 1);
            target[len < 0 ? 0 : len] = 0;
            printf("l %s -> %s\n", r, target);
            if (symlink(target, d) < 0)
                rc = -1;
        } else if (S_ISREG(st.st_mode) && copy_file(s, d, r) < 0) {
            rc = -1;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: treehash SRC DST\n");
        return 2;
    }
    int rc = walk(argv[1], argv[2], "");
    unsigned char buf[4096];
    uint64_t h = FNV_INIT, size = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        h = fnv(h, buf, n);
        size += n;
    }
    printf("stdin %" PRIu64 " %016" PRIx64 "\n", size, h);
    printf("files %" PRIu64 " bytes %" PRIu64 "\n", nfiles, nbytes);
    return rc < 0 ? 1 : 0;
}
