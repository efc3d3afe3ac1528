/* wasm-pack: make, inspect, check and unpack bundles (docs/BUNDLE.md). */
#include "libwasm-tools.h"
#include "bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TOOL "wasm-pack"

static void usage(FILE *f)
{
    fprintf(f,
"Usage: " TOOL " COMMAND [OPTIONS] ...\n"
"Bundle a WebAssembly module with its assets and run configuration into one\n"
"zstd-compressed file that wasm-run runs directly.\n"
"\n"
"Commands:\n"
"  create -o OUT --entry MOD.wasm [OPTIONS]   make a bundle\n"
"      --entry FILE        the module wasm-run starts (.wasm or .wat)\n"
"      --module FILE       another module to carry (repeatable)\n"
"      --asset DIR[::GUEST]  files under DIR, mounted read-only at GUEST\n"
"                          (default: DIR's name) (repeatable)\n"
"      --arg ARG           a default argument (repeatable)\n"
"      --env NAME=VALUE    a default environment variable (repeatable)\n"
"      --name NAME, --version VERSION   recorded in the manifest\n"
"      --level N           zstd level 1-22 (default 19)\n"
"      --long              long-distance matching (128 MiB window)\n"
"      --enable-FEATURE, --disable-FEATURE   features the modules need\n"
"  list FILE               the entries: kind, size, block, path\n"
"  info FILE               the manifest, sizes and compression ratio\n"
"  extract [-C DIR] FILE [PATH...]   write entries (all by default) under DIR\n"
"  verify FILE             check every hash and every frame\n"
"\n"
"  -h, --help              this help\n"
"  --version               version\n"
"\n"
"Exit status: 0 success, 1 a bad or corrupt bundle or input, 2 usage error.\n");
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, TOOL ": %s%s%s\nTry '" TOOL " --help'.\n", msg, arg ? ": " : "",
            arg ? arg : "");
    return 2;
}

static int report(const char *file, const lw_error *err)
{
    char msg[400];
    lw_error_format(err, msg, sizeof msg);
    fprintf(stderr, TOOL ": %s: %s\n", file, msg);
    return 1;
}

/* ---- create -------------------------------------------------------- */

typedef struct {
    const char **items;
    uint32_t n;
} strlist;

static void push(strlist *l, const char *s)
{
    const char **p = realloc(l->items, (l->n + 1) * sizeof *p);
    if (!p) {
        fprintf(stderr, TOOL ": out of memory\n");
        exit(1);
    }
    l->items = p;
    l->items[l->n++] = s;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Validate a module with libwasm and add it under its file name (a .wat
 * file is stored as its binary encoding, named .wasm). */
static int add_module(wpk_writer *w, const char *file, lw_features f, const char **stored)
{
    lw_error err;
    uint8_t *data;
    size_t len;
    lw_format format;
    if (lw_module_read_file(file, &data, &len, &format, &err) < 0)
        return report(file, &err);
    bool binary = format == LW_FORMAT_BINARY;
    lw_module *m = binary ? lw_module_decode(data, len, f, &err)
                            : lw_module_parse_text((const char *)data, len, f, &err);
    int rc = m && lw_module_validate(m, &err) == 0 ? 0 : -1;
    if (rc == 0 && !binary) {
        free(data);
        data = NULL;
        rc = lw_module_encode(m, &data, &len, &err);
    }
    lw_module_free(m);
    if (rc < 0) {
        free(data);
        return report(file, &err);
    }
    char name[4096];
    const char *b = base_name(file);
    if (binary)
        snprintf(name, sizeof name, "%s", b);
    else {
        const char *dot = strrchr(b, '.');
        snprintf(name, sizeof name, "%.*s.wasm", dot ? (int)(dot - b) : (int)strlen(b), b);
    }
    rc = wpk_writer_add(w, name, WPK_MODULE, data, len, &err);
    free(data);
    if (rc < 0)
        return report(file, &err);
    *stored = strdup(name);
    return 0;
}

/* Add the regular files under dir (sorted, so bundles are reproducible);
 * symlinks and special files are refused rather than followed. */
static int add_tree(wpk_writer *w, const char *dir, const char *prefix)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, TOOL ": %s: %s\n", dir, strerror(errno));
        return 1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        if (rc || strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0) {
            free(names[i]);
            continue;
        }
        char host[8192], path[8192];
        snprintf(host, sizeof host, "%s/%s", dir, nm);
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "/" : "", nm);
        struct stat st;
        if (lstat(host, &st) < 0) {
            fprintf(stderr, TOOL ": %s: %s\n", host, strerror(errno));
            rc = 1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = add_tree(w, host, path);
        } else if (S_ISREG(st.st_mode)) {
            lw_error err;
            uint8_t *data;
            size_t len;
            if (lw_read_file(host, &data, &len, &err) < 0) {
                rc = report(host, &err);
            } else {
                if (wpk_writer_add(w, path, WPK_ASSET, data, len, &err) < 0)
                    rc = report(host, &err);
                free(data);
            }
        } else {
            fprintf(stderr, TOOL ": %s: not a regular file or directory (symlinks are not followed)\n", host);
            rc = 1;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

/* "DIR[::GUEST]" -> the bundle prefix (the guest path without leading
 * slashes) and the guest path. */
static int add_asset(wpk_writer *w, const char *spec, strlist *mounts)
{
    char *dir = strdup(spec);
    char *sep = strstr(dir, "::");
    const char *guest;
    if (sep) {
        *sep = 0;
        guest = sep + 2;
    } else {
        size_t n = strlen(dir);
        while (n > 1 && dir[n - 1] == '/')
            dir[--n] = 0;
        guest = base_name(dir);
    }
    const char *prefix = guest;
    while (*prefix == '/')
        prefix++;
    char *pfx = strdup(prefix);
    size_t n = strlen(pfx);
    while (n && pfx[n - 1] == '/')
        pfx[--n] = 0;
    if (!*guest || (*pfx && !wpk_path_ok(pfx))) {
        fprintf(stderr, TOOL ": --asset %s: bad guest path '%s'\n", spec, guest);
        return 2;
    }
    int rc = add_tree(w, dir, pfx);
    push(mounts, pfx);
    push(mounts, strdup(guest));
    free(dir);
    return rc;
}

static int cmd_create(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"entry", required_argument, 0, 'e'},
        {"module", required_argument, 0, 'm'}, {"asset", required_argument, 0, 'a'},
        {"arg", required_argument, 0, 'A'},    {"env", required_argument, 0, 'E'},
        {"name", required_argument, 0, 'n'},   {"version", required_argument, 0, 'V'},
        {"level", required_argument, 0, 'l'},  {"long", no_argument, 0, 'L'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0},
    };
    const char *out = NULL, *entry = NULL, *name = NULL, *version = "";
    strlist modules = {0}, assets = {0}, args = {0}, env = {0}, mounts = {0};
    int level = 19;
    bool long_mode = false;
    lw_features features = lw_features_default();
    optind = 1;
    for (;;) {
        /* --enable-X / --disable-X are read before getopt sees them. */
        lw_error err;
        int rc = optind < argc ? lw_features_option(argv[optind], &features, &err) : 0;
        if (rc < 0)
            return usage_error(err.message, NULL);
        if (rc > 0) {
            optind++;
            continue;
        }
        int c = getopt_long(argc, argv, "o:h", opts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 'o': out = optarg; break;
        case 'e': entry = optarg; break;
        case 'm': push(&modules, optarg); break;
        case 'a': push(&assets, optarg); break;
        case 'A': push(&args, optarg); break;
        case 'E':
            if (!strchr(optarg, '=') || optarg[0] == '=')
                return usage_error("--env needs NAME=VALUE", optarg);
            push(&env, optarg);
            break;
        case 'n': name = optarg; break;
        case 'V': version = optarg; break;
        case 'l': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 22)
                return usage_error("--level must be 1 to 22", optarg);
            level = (int)v;
            break;
        }
        case 'L': long_mode = true; break;
        case 'h': usage(stdout); return 0;
        default: return usage_error("bad option for create", NULL);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    if (!out || !entry)
        return usage_error("create needs -o OUT and --entry MODULE", NULL);

    wpk_writer *w = wpk_writer_new(level, long_mode);
    const char *entry_path = NULL, *ignored;
    int rc = add_module(w, entry, features, &entry_path);
    for (uint32_t i = 0; i < modules.n && !rc; i++) {
        rc = add_module(w, modules.items[i], features, &ignored);
        free((void *)ignored);
    }
    for (uint32_t i = 0; i < assets.n && !rc; i++)
        rc = add_asset(w, assets.items[i], &mounts);
    if (!rc) {
        strlist feats = {0};
        for (unsigned b = 0; b < LW_FEATURE_COUNT; b++)
            if (features & (1u << b))
                push(&feats, lw_feature_name(b));
        wpk_mount *mt = calloc(mounts.n / 2 + 1, sizeof *mt);
        for (uint32_t i = 0; i + 1 < mounts.n; i += 2) {
            mt[i / 2].prefix = mounts.items[i];
            mt[i / 2].guest = mounts.items[i + 1];
        }
        const char *epoch = getenv("SOURCE_DATE_EPOCH");
        char stem[256];
        snprintf(stem, sizeof stem, "%.*s", (int)strcspn(entry_path, "."), entry_path);
        wpk_manifest m = {
            .name = name ? name : stem, .version = version, .entry = entry_path,
            .nargs = args.n, .args = args.items, .nenv = env.n, .env = env.items,
            .nmounts = mounts.n / 2, .mounts = mt, .nfeatures = feats.n,
            .features = feats.items,
            .created = epoch ? strtoull(epoch, NULL, 10) : (uint64_t)time(NULL),
        };
        lw_error err;
        if (wpk_writer_finish(w, &m, out, &err) < 0)
            rc = report(out, &err);
        free(mt);
        free(feats.items);
    }
    for (uint32_t i = 0; i < mounts.n; i++)
        free((void *)mounts.items[i]);
    free((void *)entry_path);
    wpk_writer_free(w);
    free(modules.items);
    free(assets.items);
    free(args.items);
    free(env.items);
    free(mounts.items);
    return rc;
}

/* ---- list, info, verify ---------------------------------------------- */

static const char *kind_name(uint8_t k)
{
    return k == WPK_MODULE ? "module" : "asset";
}

static wpk_bundle *open_arg(int argc, char **argv, int at)
{
    if (at >= argc) {
        usage_error("missing bundle file", NULL);
        return NULL;
    }
    lw_error err;
    wpk_bundle *b = wpk_open_file(argv[at], &err);
    if (!b)
        report(argv[at], &err);
    return b;
}

static int cmd_list(int argc, char **argv)
{
    if (argc != 2)
        return usage_error("usage: list FILE", NULL);
    wpk_bundle *b = open_arg(argc, argv, 1);
    if (!b)
        return 1;
    for (uint32_t i = 0; i < b->nentries; i++) {
        const wpk_entry *e = &b->entries[i];
        printf("%-6s %10llu  block %-4u %s\n", kind_name(e->kind), (unsigned long long)e->size,
               e->block, e->path);
    }
    wpk_close(b);
    return 0;
}

static void print_list(const char *label, const char **items, uint32_t n)
{
    printf("%-10s", label);
    for (uint32_t i = 0; i < n; i++)
        printf(" %s", items[i]);
    printf("\n");
}

static int cmd_info(int argc, char **argv)
{
    if (argc != 2)
        return usage_error("usage: info FILE", NULL);
    wpk_bundle *b = open_arg(argc, argv, 1);
    if (!b)
        return 1;
    const wpk_manifest *m = &b->manifest;
    uint64_t size = 0, csize = 0, counts[2] = {0};
    for (uint32_t i = 0; i < b->nentries; i++) {
        size += b->entries[i].size;
        counts[b->entries[i].kind]++;
    }
    for (uint32_t i = 0; i < b->nblocks; i++)
        csize += b->blocks[i].csize;
    time_t t = (time_t)m->created;
    char when[64];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
    printf("name       %s\n", m->name);
    printf("version    %s\n", *m->version ? m->version : "-");
    printf("entry      %s\n", m->entry);
    print_list("args", m->args, m->nargs);
    print_list("env", m->env, m->nenv);
    for (uint32_t i = 0; i < m->nmounts; i++)
        printf("mount      %s -> %s (read-only)\n", *m->mounts[i].prefix ? m->mounts[i].prefix : ".",
               m->mounts[i].guest);
    print_list("features", m->features, m->nfeatures);
    printf("created    %s\n", when);
    printf("entries    %llu modules, %llu assets in %u blocks\n",
           (unsigned long long)counts[WPK_MODULE], (unsigned long long)counts[WPK_ASSET],
           b->nblocks);
    printf("content    %llu bytes\n", (unsigned long long)size);
    printf("file       %zu bytes (blocks %llu, index and header %llu)\n", b->size,
           (unsigned long long)csize, (unsigned long long)(b->size - csize));
    printf("ratio      %.2f\n", b->size ? (double)size / (double)b->size : 0.0);
    wpk_close(b);
    return 0;
}

static int cmd_verify(int argc, char **argv)
{
    if (argc != 2)
        return usage_error("usage: verify FILE", NULL);
    wpk_bundle *b = open_arg(argc, argv, 1);
    if (!b)
        return 1;
    lw_error err;
    int bad = wpk_verify(b, &err);
    int rc = 0;
    if (bad != 0) {
        report(argv[1], &err);
        if (bad > 1)
            fprintf(stderr, TOOL ": %s: %d entries are bad\n", argv[1], bad);
        rc = 1;
    } else {
        printf("%s: ok (%u entries)\n", argv[1], b->nentries);
    }
    wpk_close(b);
    return rc;
}

/* ---- extract --------------------------------------------------------- */

/* Write data at rel (a checked bundle path) beneath the directory dirfd:
 * directories are opened without following symlinks, so nothing can lead
 * outside it, and an existing symlink at the file itself is refused. */
static int write_beneath(int dirfd, const char *rel, const uint8_t *data, size_t len)
{
    char *path = strdup(rel);
    int fd = dup(dirfd);
    char *comp = path;
    int rc = 0;
    for (char *slash; rc == 0 && (slash = strchr(comp, '/')); comp = slash + 1) {
        *slash = 0;
        if (mkdirat(fd, comp, 0755) < 0 && errno != EEXIST)
            rc = -1;
        int next = rc ? -1 : openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(fd);
        fd = next;
        if (fd < 0)
            rc = -1;
    }
    if (rc == 0) {
        int out = openat(fd, comp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (out < 0) {
            rc = -1;
        } else {
            size_t done = 0;
            while (rc == 0 && done < len) {
                ssize_t r = write(out, data + done, len - done);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r <= 0)
                    rc = -1;
                else
                    done += (size_t)r;
            }
            if (close(out) < 0)
                rc = -1;
        }
    }
    int e = errno;
    if (fd >= 0)
        close(fd);
    free(path);
    errno = e;
    return rc;
}

/* mkdir -p: DIR and its missing parents, as `unzip -d` makes them. */
static int make_dirs(const char *dir)
{
    char *path = strdup(dir);
    int rc = 0;
    for (char *p = path; rc == 0 && p; ) {
        p = *p ? strchr(p + 1, '/') : NULL;
        if (p)
            *p = 0;
        if (*path && mkdir(path, 0755) < 0 && errno != EEXIST)
            rc = -1;
        if (p)
            *p = '/';
    }
    int e = errno;
    free(path);
    errno = e;
    return rc;
}

static int cmd_extract(int argc, char **argv)
{
    const char *dir = ".";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-C") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (strncmp(argv[i], "-C", 2) == 0 && argv[i][2])
            dir = argv[i] + 2;
        else
            return usage_error("bad option for extract", argv[i]);
    }
    wpk_bundle *b = open_arg(argc, argv, i);
    if (!b)
        return 1;
    const char *file = argv[i++];
    int dirfd = make_dirs(dir) < 0 ? -1 : open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        fprintf(stderr, TOOL ": %s: %s\n", dir, strerror(errno));
        wpk_close(b);
        return 1;
    }
    int rc = 0;
    for (int k = i; k < argc; k++)
        if (!wpk_find(b, argv[k])) {
            fprintf(stderr, TOOL ": %s: no entry '%s'\n", file, argv[k]);
            rc = 1;
        }
    for (uint32_t n = 0; n < b->nentries && !rc; n++) {
        const wpk_entry *e = &b->entries[n];
        bool wanted = i == argc;
        for (int k = i; k < argc; k++)
            wanted |= strcmp(argv[k], e->path) == 0;
        if (!wanted)
            continue;
        uint8_t *data;
        lw_error err;
        if (wpk_read(b, e, &data, &err) < 0) {
            rc = report(file, &err);
            break;
        }
        if (write_beneath(dirfd, e->path, data, e->size) < 0) {
            fprintf(stderr, TOOL ": %s/%s: cannot write: %s\n", dir, e->path,
                    errno == ELOOP ? "refusing to follow a symlink" : strerror(errno));
            rc = 1;
        }
        free(data);
    }
    close(dirfd);
    wpk_close(b);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("missing command", NULL);
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf(TOOL " (libwasm) %s, bundle format %d.%d\n", LIBWASM_VERSION, WPK_VERSION_MAJOR,
               WPK_VERSION_MINOR);
        return 0;
    }
    if (strcmp(cmd, "create") == 0)
        return cmd_create(argc - 1, argv + 1);
    if (strcmp(cmd, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(cmd, "info") == 0)
        return cmd_info(argc - 1, argv + 1);
    if (strcmp(cmd, "extract") == 0)
        return cmd_extract(argc - 1, argv + 1);
    if (strcmp(cmd, "verify") == 0)
        return cmd_verify(argc - 1, argv + 1);
    return usage_error("unknown command", cmd);
}
