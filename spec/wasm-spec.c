/*
 * wasm-spec: run .wast scripts (the official spec suite and our own).
 *
 * Every command of a script is one check.  Prints "FILE: N passed, M
 * failed" per file and "N passed, M failed" at the end.  An expected-
 * failure list (FILE:LINE REASON per line) turns known failures into
 * "expected"; a listed check that passes, or a listed line that is not
 * a command, counts as a failure so the list only ever shrinks.  Line 0
 * stands for the file itself (a crash outside any command).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

typedef struct {
    char *file;               /* base name of the script */
    uint32_t line;
    char *reason;
    bool hit;
} xfail_entry;

typedef struct {
    xfail_entry *v;
    size_t n, cap;
} xfail_list;

/* A failing check, kept for --write-expected. */
typedef struct {
    char *file;
    uint32_t line;
    char *cause;
    char *reason;             /* the cause, or a listed reason extending it */
} failure;

typedef struct {
    unsigned passed, failed, expected;
} counts;

typedef struct {
    char name[32];
    counts c;
} kind_counts;

typedef struct {
    bool verbose;
    bool show_unexpected;     /* print unlisted failures even without -v */
    bool summary;
    bool isolate;             /* each file in a child process */
    const char *path, *base;  /* the script being run */
    counts file, total;
    xfail_list xf;
    failure *fails;
    size_t nfails, capfails;
    kind_counts kinds[16];
    size_t nkinds;
} spec_main;

enum {
    OPT_FILTER = 0x100,
    OPT_XFAIL,
    OPT_WRITE,
    OPT_NO_TEXT_MESSAGES,
    OPT_TIMEOUT,
    OPT_SUMMARY,
    OPT_ISOLATE,
    OPT_VERSION,
};

static const struct option spec_long_options[] = {
    {"verbose", no_argument, NULL, 'v'},
    {"filter", required_argument, NULL, OPT_FILTER},
    {"expected-failures", required_argument, NULL, OPT_XFAIL},
    {"write-expected", required_argument, NULL, OPT_WRITE},
    {"no-text-messages", no_argument, NULL, OPT_NO_TEXT_MESSAGES},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"isolate", no_argument, NULL, OPT_ISOLATE},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

static void spec_usage(FILE *f)
{
    fprintf(f,
            "usage: wasm-spec [OPTIONS] FILE.wast...\n"
            "Run WebAssembly script files (.wast) and count passing checks.\n"
            "\n"
            "  -v, --verbose                print every failure as FILE:LINE: message,\n"
            "                               and what spectest's print functions get\n"
            "      --filter SUBSTR          only run files whose name contains SUBSTR\n"
            "      --expected-failures LIST failures listed in LIST (FILE:LINE REASON\n"
            "                               per line) do not count; listed checks that\n"
            "                               pass do\n"
            "      --write-expected LIST    write every failing check to LIST, grouped\n"
            "                               by cause\n"
            "      --no-text-messages       do not compare the messages of malformed\n"
            "                               text modules (only that they are rejected)\n"
            "      --timeout SECONDS        interrupt a command after SECONDS (default 10,\n"
            "                               0: never)\n"
            "      --summary                totals per command kind at the end\n"
            "      --isolate                run each file in a child process, so that a\n"
            "                               crash or a hang fails one file, not the run\n"
            "  -h, --help                   this help\n"
            "      --version                print the version\n");
    lw_features_help(f);
    fprintf(f, "\n"
               "Every command is one check.  Messages match when ours contains the\n"
               "expected text.  Files are named by their path under the first\n"
               "script's directory (legacy/throw.wast), else by their base name.\n"
               "With an expected-failure list, unlisted failures and unexpected\n"
               "passes are printed even without -v.\n"
               "Exit status: 0 when no check failed unexpectedly, 1 otherwise, 2 on a\n"
               "usage error.\n");
}

/* ---- expected-failure list ---- */

static const char *spec_basename(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* A script's name in reports and lists: its path under the directory of
 * the run's first script (so the suite's legacy/throw.wast is not its
 * throw.wast), else its base name. */
static const char *spec_name(const char *path, const char *first)
{
    size_t dir = (size_t)(spec_basename(first) - first);

    if (dir && strncmp(path, first, dir) == 0 && path[dir] != '\0')
        return path + dir;
    return spec_basename(path);
}

static int xfail_cmp(const void *a, const void *b)
{
    const xfail_entry *x = a, *y = b;
    int c = strcmp(x->file, y->file);

    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

static int xfail_add(xfail_list *xf, const char *file, size_t flen, uint32_t line,
                     const char *reason)
{
    xfail_entry *e;

    if (xf->n == xf->cap) {
        size_t cap = xf->cap ? xf->cap * 2 : 256;
        e = realloc(xf->v, cap * sizeof *e);
        if (!e)
            return -1;
        xf->v = e;
        xf->cap = cap;
    }
    e = &xf->v[xf->n];
    e->file = strndup(file, flen);
    e->reason = strdup(reason);
    e->line = line;
    e->hit = false;
    if (!e->file || !e->reason)
        return -1;
    xf->n++;
    return 0;
}

/* One "FILE:LINE REASON" line; returns -1 when it is not one. */
static int xfail_parse_line(xfail_list *xf, char *s)
{
    char *end, *colon, *reason;
    unsigned long line;

    s += strspn(s, " \t");
    s[strcspn(s, "\r\n")] = '\0';
    if (*s == '\0' || *s == '#')
        return 0;
    end = s + strcspn(s, " \t");
    reason = end + strspn(end, " \t");
    *end = '\0';
    colon = strrchr(s, ':');
    if (!colon || colon == s || *reason == '\0')
        return -1;
    line = strtoul(colon + 1, &end, 10);
    if (*end != '\0' || end == colon + 1 || line > UINT32_MAX)
        return -1;
    return xfail_add(xf, s, (size_t)(colon - s), (uint32_t)line, reason);
}

static int xfail_load(xfail_list *xf, const char *path)
{
    FILE *f = fopen(path, "r");
    char buf[1024];
    unsigned lineno = 0;

    if (!f) {
        fprintf(stderr, "wasm-spec: %s: cannot open\n", path);
        return -1;
    }
    while (fgets(buf, sizeof buf, f)) {
        lineno++;
        if (xfail_parse_line(xf, buf)) {
            fprintf(stderr, "wasm-spec: %s:%u: expected FILE:LINE REASON\n", path, lineno);
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    if (xf->n) /* an empty list may have no array at all */
        qsort(xf->v, xf->n, sizeof *xf->v, xfail_cmp);
    return 0;
}

static xfail_entry *xfail_find(xfail_list *xf, const char *base, uint32_t line)
{
    xfail_entry key = {(char *)base, line, NULL, false};

    if (!xf->n)
        return NULL;
    return xf->n ? bsearch(&key, xf->v, xf->n, sizeof *xf->v, xfail_cmp) : NULL;
}

static void xfail_free(xfail_list *xf)
{
    for (size_t i = 0; i < xf->n; i++) {
        free(xf->v[i].file);
        free(xf->v[i].reason);
    }
    free(xf->v);
}

/* Listed lines of this file that no command reported on. */
static void xfail_stale(spec_main *m)
{
    for (size_t i = 0; i < m->xf.n; i++) {
        xfail_entry *e = &m->xf.v[i];
        if (e->hit || strcmp(e->file, m->base) != 0)
            continue;
        e->hit = true;
        m->file.failed++;
        printf("%s:%u: listed as an expected failure, but no command starts on this line\n",
               m->path, e->line);
    }
}

/* ---- counting ---- */

static counts *spec_kind(spec_main *m, const char *name)
{
    size_t n = sizeof m->kinds / sizeof m->kinds[0];

    for (size_t i = 0; i < m->nkinds; i++) {
        if (strcmp(m->kinds[i].name, name) == 0)
            return &m->kinds[i].c;
    }
    if (m->nkinds == n)
        return &m->kinds[n - 1].c;
    snprintf(m->kinds[m->nkinds].name, sizeof m->kinds[m->nkinds].name, "%s", name);
    return &m->kinds[m->nkinds++].c;
}

/* A listed reason that starts with the cause (and may explain it further)
 * is kept when the list is written again; else the cause is the reason. */
static char *spec_reason(const char *cause, const xfail_entry *e)
{
    if (e && strncmp(e->reason, cause, strlen(cause)) == 0)
        return strdup(e->reason);
    return strdup(cause);
}

static void spec_keep_failure(spec_main *m, const spec_result *r, const xfail_entry *e)
{
    failure *f;

    if (m->nfails == m->capfails) {
        size_t cap = m->capfails ? m->capfails * 2 : 256;
        f = realloc(m->fails, cap * sizeof *f);
        if (!f)
            return;
        m->fails = f;
        m->capfails = cap;
    }
    f = &m->fails[m->nfails];
    f->file = strdup(m->base);
    f->cause = strdup(r->cause ? r->cause : "unknown");
    f->line = r->line;
    f->reason = NULL;
    if (!f->file || !f->cause) {
        free(f->file);
        free(f->cause);
        return;
    }
    /* One entry per line in the list, whatever the messages hold. */
    for (char *p = f->cause; *p; p++) {
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    }
    f->reason = spec_reason(f->cause, e);
    if (!f->reason) {
        free(f->file);
        free(f->cause);
        return;
    }
    m->nfails++;
}

static void spec_on_result(void *user, const spec_result *r)
{
    spec_main *m = user;
    xfail_entry *e = xfail_find(&m->xf, m->base, r->line);
    counts *k = spec_kind(m, r->command);

    if (e)
        e->hit = true;
    if (r->ok && !e) {
        m->file.passed++;
        k->passed++;
        return;
    }
    if (r->ok) {
        m->file.failed++;
        k->failed++;
        printf("%s:%u: %s: unexpected pass (listed as: %s)\n", m->path, r->line,
               r->command, e->reason);
        return;
    }
    spec_keep_failure(m, r, e);
    if (e) {
        m->file.expected++;
        k->expected++;
        if (m->verbose) {
            printf("%s:%u: %s: expected failure: %s [%s]\n", m->path, r->line,
                   r->command, r->detail, r->cause);
            if (r->backtrace)
                fputs(r->backtrace, stdout);
        }
        return;
    }
    m->file.failed++;
    k->failed++;
    if (m->verbose || m->show_unexpected)
        printf("%s:%u: %s: %s [%s]\n", m->path, r->line, r->command, r->detail, r->cause);
    if (m->verbose && r->backtrace)
        fputs(r->backtrace, stdout);
}

static void spec_print_counts(const char *prefix, const counts *c)
{
    printf("%s%u passed, %u failed", prefix, c->passed, c->failed);
    if (c->expected)
        printf(", %u expected failures", c->expected);
    printf("\n");
}

/* ---- a file in a child process (--isolate) ---- */

/* A result on the pipe: line, ok, three lengths, then the strings.  One
 * write each, below PIPE_BUF, so a record arrives whole or not at all. */
typedef struct {
    uint32_t line;
    uint32_t ok;
    uint16_t len[4];
} child_record;

static size_t child_put(char *buf, size_t at, const char *s, uint16_t *len, size_t max)
{
    size_t n = s ? strnlen(s, max) : 0;

    memcpy(buf + at, s ? s : "", n);
    *len = (uint16_t)n;
    return at + n;
}

static void child_report(void *user, const spec_result *r)
{
    int fd = *(const int *)user;
    char buf[8192];
    child_record rec = {r->line, r->ok, {0, 0, 0, 0}};
    size_t n = sizeof rec;

    n = child_put(buf, n, r->command, &rec.len[0], 64);
    n = child_put(buf, n, r->cause, &rec.len[1], 500);
    n = child_put(buf, n, r->detail, &rec.len[2], 1200);
    n = child_put(buf, n, r->backtrace, &rec.len[3], 4096);
    memcpy(buf, &rec, sizeof rec);
    if (write(fd, buf, n) != (ssize_t)n)
        _exit(1);
}

static void child_run(const spec_options *opt, const char *data, size_t len, int fd,
                      volatile uint32_t *line)
{
    spec_options o = *opt;

    o.report = child_report;
    o.user = &fd;
    o.current_line = line;
    spec_watch_hard();
    spec_run_script(&o, data, len);
    fflush(stdout);
    _exit(0);
}

static bool child_string(FILE *f, char *buf, size_t size, uint16_t len)
{
    if (len >= size || fread(buf, 1, len, f) != len)
        return false;
    buf[len] = '\0';
    return true;
}

static bool child_read(FILE *f, spec_main *m)
{
    child_record rec;
    char cmd[80], cause[512], detail[1280], backtrace[4100];

    if (fread(&rec, sizeof rec, 1, f) != 1 ||
        !child_string(f, cmd, sizeof cmd, rec.len[0]) ||
        !child_string(f, cause, sizeof cause, rec.len[1]) ||
        !child_string(f, detail, sizeof detail, rec.len[2]) ||
        !child_string(f, backtrace, sizeof backtrace, rec.len[3]))
        return false;
    spec_on_result(m, &(spec_result){rec.line, cmd, rec.ok != 0, cause, detail,
                                     backtrace[0] ? backtrace : NULL});
    return true;
}

/* The child died: one failure at the command it was running. */
static void child_died(spec_main *m, int status, uint32_t line)
{
    char cause[128], detail[256];

    if (WIFSIGNALED(status)) {
        snprintf(cause, sizeof cause, "crash: %s", strsignal(WTERMSIG(status)));
        snprintf(detail, sizeof detail, "died of signal %d (%s); the rest of the file did not run",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    } else if (WEXITSTATUS(status) == SPEC_EXIT_TIMEOUT) {
        snprintf(cause, sizeof cause, "timeout: command cannot be interrupted");
        snprintf(detail, sizeof detail, "still running after the timeout; the rest of the file did not run");
    } else {
        snprintf(cause, sizeof cause, "crash: exit status %d", WEXITSTATUS(status));
        snprintf(detail, sizeof detail, "exited with status %d; the rest of the file did not run",
                 WEXITSTATUS(status));
    }
    spec_on_result(m, &(spec_result){line, "crash", false, cause, detail, NULL});
}

static bool spec_run_isolated(spec_main *m, const spec_options *opt, const char *data,
                              size_t len)
{
    volatile uint32_t *line;
    int fds[2], status = 0;
    pid_t pid;
    FILE *f;

    line = mmap(NULL, sizeof *line, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (line == MAP_FAILED)
        return false;
    *line = 0;
    fflush(stdout);
    if (pipe(fds)) {
        munmap((void *)line, sizeof *line);
        return false;
    }
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child_run(opt, data, len, fds[1], line);
    }
    close(fds[1]);
    f = fdopen(fds[0], "r");
    while (f && child_read(f, m))
        ;
    if (f)
        fclose(f);
    else
        close(fds[0]);
    if (pid > 0 && waitpid(pid, &status, 0) == pid &&
        !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        child_died(m, status, *line);
    munmap((void *)line, sizeof *line);
    return pid > 0;
}

/* ---- files ---- */

static void spec_run_file(spec_main *m, const spec_options *opt, const char *path,
                          const char *first)
{
    uint8_t *data = NULL;
    size_t len = 0;
    lw_error err;
    char prefix[1100];

    m->path = path;
    m->base = spec_name(path, first);
    m->file = (counts){0, 0, 0};
    lw_error_clear(&err);
    if (lw_read_file(path, &data, &len, &err)) {
        printf("%s: cannot read: %s\n", path, err.message);
        m->file.failed++;
    } else {
        if (!m->isolate || !spec_run_isolated(m, opt, (const char *)data, len))
            spec_run_script(opt, (const char *)data, len);
        free(data);
    }
    xfail_stale(m);
    snprintf(prefix, sizeof prefix, "%s: ", path);
    spec_print_counts(prefix, &m->file);
    fflush(stdout);
    m->total.passed += m->file.passed;
    m->total.failed += m->file.failed;
    m->total.expected += m->file.expected;
}

static int failure_cmp(const void *a, const void *b)
{
    const failure *x = a, *y = b;
    int c = strcmp(x->cause, y->cause);

    if (!c)
        c = strcmp(x->file, y->file);
    if (!c)
        c = (x->line > y->line) - (x->line < y->line);
    return c;
}

/* Every failing check, grouped by cause, as an expected-failure list. */
static int spec_write_expected(spec_main *m, const char *path)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        fprintf(stderr, "wasm-spec: %s: cannot write\n", path);
        return -1;
    }
    if (m->nfails)
        qsort(m->fails, m->nfails, sizeof *m->fails, failure_cmp);
    fprintf(f, "# Checks of the spec suite that fail today, grouped by cause.\n"
               "# Format: FILE:LINE REASON.  Written by wasm-spec --write-expected\n"
               "# (tests/tools/spec.sh --write); regenerate it rather than edit it.\n"
               "# A reason is the cause wasm-spec found, optionally followed by an\n"
               "# explanation (\"CAUSE -- why\"), kept while the cause stays the same.\n");
    for (size_t i = 0; i < m->nfails; i++) {
        const failure *x = &m->fails[i];
        if (i == 0 || strcmp(x->cause, m->fails[i - 1].cause) != 0) {
            size_t n = 1;
            while (i + n < m->nfails && strcmp(m->fails[i + n].cause, x->cause) == 0)
                n++;
            fprintf(f, "\n# %s (%zu)\n", x->cause, n);
        }
        fprintf(f, "%s:%u %s\n", x->file, x->line, x->reason);
    }
    return fclose(f) == 0 ? 0 : -1;
}

static void spec_print_summary(const spec_main *m)
{
    for (size_t i = 0; i < m->nkinds; i++) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "  %-22s ", m->kinds[i].name);
        spec_print_counts(prefix, &m->kinds[i].c);
    }
}

static void spec_free(spec_main *m)
{
    for (size_t i = 0; i < m->nfails; i++) {
        free(m->fails[i].file);
        free(m->fails[i].cause);
        free(m->fails[i].reason);
    }
    free(m->fails);
    xfail_free(&m->xf);
}

/* ---- options ---- */

typedef struct {
    const char *filter;
    const char *xfail;
    const char *write;
} spec_args;

static int spec_timeout(const char *s, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v > 86400) {
        fprintf(stderr, "wasm-spec: --timeout: expected seconds, got \"%s\"\n", s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

/* Returns -1 to exit 0 (help, version), 2 on a usage error, else 0. */
static int spec_parse_args(int argc, char **argv, spec_options *opt, spec_main *m,
                           spec_args *a)
{
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":vh", spec_long_options, NULL)) != -1) {
        switch (c) {
        case 'v':
            m->verbose = opt->verbose = true;
            break;
        case OPT_FILTER:
            a->filter = optarg;
            break;
        case OPT_XFAIL:
            a->xfail = optarg;
            break;
        case OPT_WRITE:
            a->write = optarg;
            break;
        case OPT_NO_TEXT_MESSAGES:
            opt->text_messages = false;
            break;
        case OPT_TIMEOUT:
            if (spec_timeout(optarg, &opt->timeout))
                return 2;
            break;
        case OPT_SUMMARY:
            m->summary = true;
            break;
        case OPT_ISOLATE:
            m->isolate = true;
            break;
        case 'h':
            spec_usage(stdout);
            return -1;
        case OPT_VERSION:
            printf("wasm-spec %s\n", LIBWASM_VERSION);
            return -1;
        case ':':
            fprintf(stderr, "wasm-spec: option '%s' needs an argument\n", argv[optind - 1]);
            spec_usage(stderr);
            return 2;
        default: {
            /* Not in the table: a feature flag, or an error. */
            char letter[3] = {'-', (char)optopt, 0};
            lw_error err;

            if (lw_features_option(optopt ? letter : argv[optind - 1], &opt->features,
                                   &err) > 0)
                break;
            fprintf(stderr, "wasm-spec: %s\n", err.message);
            spec_usage(stderr);
            return 2;
        }
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "wasm-spec: no script given\n");
        spec_usage(stderr);
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    spec_main m = {0};
    spec_options opt = {.features = lw_features_default(), .text_messages = true,
                        .timeout = 10, .report = spec_on_result, .user = &m};
    spec_args a = {NULL, NULL, NULL};
    int rc = spec_parse_args(argc, argv, &opt, &m, &a);

    if (rc)
        return rc < 0 ? 0 : rc;
    if (a.xfail && xfail_load(&m.xf, a.xfail)) {
        spec_free(&m);
        return 2;
    }
    m.show_unexpected = a.xfail != NULL;
    for (int i = optind; i < argc; i++) {
        if (a.filter && !strstr(spec_basename(argv[i]), a.filter))
            continue;
        spec_run_file(&m, &opt, argv[i], argv[optind]);
    }
    if (m.summary)
        spec_print_summary(&m);
    if (a.write && spec_write_expected(&m, a.write))
        m.total.failed++;
    spec_print_counts("", &m.total);
    rc = m.total.failed ? 1 : 0;
    spec_free(&m);
    return rc;
}
