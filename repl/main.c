/* wasm-repl: load WebAssembly modules and call their exports interactively.
 *
 * On a terminal it reads lines with GNU readline (editing, history, tab
 * completion); otherwise it reads commands line by line without prompts or
 * colour and exits 1 when a command failed, 130 when stopped by Ctrl-C.
 * Usage errors exit 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "repl.h"

#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130
#define HISTORY_MAX 1000

typedef struct {
    const char *history;     /* NULL: none */
    bool no_history, quiet;
    lw_features features;
    lw_store_limits limits;
    char **files;
    int nfiles;
} repl_opts;

static volatile sig_atomic_t g_sigint;
static lw_store *volatile g_running;

/* A Ctrl-C that came after the last call returned, but before it was
 * marked done, must not stop the next one. */
void repl_set_running(lw_store *s)
{
    if (s)
        lw_store_clear_interrupt(s);
    g_running = s;
}

/* Ctrl-C: stop the guest when one runs; readline's hook clears the line. */
static void on_sigint(int sig)
{
    g_sigint = 1;
    if (g_running)
        lw_store_interrupt(g_running);
}

/* Readline's reader, except that Ctrl-C ends the line: it shows "^C" and
 * is accepted, and the loop, seeing g_sigint, drops it.  (Readline's own
 * reader would wait for one more key first.) */
static int read_key(FILE *in)
{
    for (;;) {
        unsigned char c;
        ssize_t n = read(fileno(in), &c, 1);
        if (n == 1)
            return c;
        if (n == 0 || errno != EINTR)
            return EOF;
        if (g_sigint) {
            rl_point = rl_end;
            rl_insert_text("^C");
            rl_redisplay();
            return '\n';
        }
    }
}

static void setup_signals(void)
{
    struct sigaction sa = {.sa_handler = on_sigint};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);   /* no SA_RESTART: reads return EINTR */
    signal(SIGPIPE, SIG_IGN);
}

/* ---- options ---- */

static void usage(FILE *out)
{
    fprintf(out,
        "usage: %s [OPTIONS] [FILE...]\n"
        "Load WebAssembly modules (.wasm or .wat) and call their exports.\n"
        "\n"
        "  --history FILE          keep the line history in FILE\n"
        "                          (default $WASM_REPL_HISTORY, else ~/.wasm_repl_history)\n"
        "  --no-history            keep no history\n"
        "  -q, --quiet             no banner\n"
        "  --max-stack BYTES       largest call stack (default 8 MiB)\n"
        "  --max-heap BYTES        largest GC heap (default unlimited)\n"
        "  --max-call-depth N      most calls at once (default: what the stack holds)\n",
        REPL_PROG);
    lw_features_help(out);
    fprintf(out,
        "  -h, --help              this help\n"
        "  --version               print the version\n"
        "\n"
        "Type :help at the prompt for the commands.  When standard input is not a\n"
        "terminal, commands are read line by line and the exit status is 1 if any\n"
        "failed.\n");
}

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", REPL_PROG);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", REPL_PROG);
    exit(EXIT_USAGE);
}

/* A number for --max-stack, --max-heap (at least 1) or --max-call-depth
 * (up to max). */
static uint64_t parse_limit(const char *s, uint64_t max, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-' || v == 0 || v > max)
        usage_error(what, s);
    return v;
}

enum { OPT_HISTORY = 256, OPT_NO_HISTORY, OPT_VERSION, OPT_MAX_STACK, OPT_MAX_CALL_DEPTH,
       OPT_MAX_HEAP };

static const struct option long_options[] = {
    {"history", required_argument, 0, OPT_HISTORY},
    {"no-history", no_argument, 0, OPT_NO_HISTORY},
    {"quiet", no_argument, 0, 'q'},
    {"max-stack", required_argument, 0, OPT_MAX_STACK},
    {"max-heap", required_argument, 0, OPT_MAX_HEAP},
    {"max-call-depth", required_argument, 0, OPT_MAX_CALL_DEPTH},
    {"help", no_argument, 0, 'h'},
    {"version", no_argument, 0, OPT_VERSION},
    {0, 0, 0, 0},
};

static void parse_options(int argc, char **argv, repl_opts *o)
{
    lw_error err;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hq", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_HISTORY: o->history = optarg; break;
        case OPT_NO_HISTORY: o->no_history = true; break;
        case 'q': o->quiet = true; break;
        case OPT_MAX_STACK:
            o->limits.max_stack_bytes = parse_limit(optarg, UINT64_MAX, "bad size '%s'");
            break;
        case OPT_MAX_HEAP:
            o->limits.max_heap_bytes = parse_limit(optarg, UINT64_MAX, "bad size '%s'");
            break;
        case OPT_MAX_CALL_DEPTH:
            o->limits.max_call_depth = (uint32_t)parse_limit(
                optarg, UINT32_MAX, "bad depth '%s' (want 1 to 4294967295)");
            break;
        case 'h': usage(stdout); exit(0);
        case OPT_VERSION: printf("%s %s\n", REPL_PROG, LIBWASM_VERSION); exit(0);
        case ':': usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: {
            /* Not in the table: a feature flag, or an error. */
            char letter[3] = {'-', (char)optopt, 0};
            if (lw_features_option(optopt ? letter : argv[optind - 1], &o->features, &err) <= 0)
                usage_error("%s", err.message);
            break;
        }
        }
    }
    o->files = argv + optind;
    o->nfiles = argc - optind;
}

/* ---- history ---- */

/* --no-history, --history FILE, $WASM_REPL_HISTORY, ~/.wasm_repl_history. */
static char *history_path(const repl_opts *o)
{
    if (o->no_history)
        return NULL;
    if (o->history)
        return strdup(o->history);
    const char *env = getenv("WASM_REPL_HISTORY");
    if (env)
        return *env ? strdup(env) : NULL;
    const char *home = getenv("HOME");
    char *path = NULL;
    if (home && *home && asprintf(&path, "%s/.wasm_repl_history", home) < 0)
        path = NULL;
    return path;
}

static void history_open(const char *path)
{
    stifle_history(HISTORY_MAX);
    if (path && read_history(path) == ENOENT)
        write_history(path);
}

static void history_add(const char *path, const char *line)
{
    if (!*line)
        return;
    HIST_ENTRY *last = history_get(history_base + history_length - 1);
    if (last && strcmp(last->line, line) == 0)
        return;
    add_history(line);
    if (path)
        append_history(1, path);
}

/* ---- the loop ---- */

/* Parenthesis depth of inline module text, across lines: strings and
 * comments do not count. */
typedef struct {
    int depth, block;
    bool in_string;
} paren_scan;

static void scan_line(paren_scan *s, const char *p)
{
    for (; *p; p++) {
        if (s->in_string) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                s->in_string = false;
        } else if (s->block) {
            if ((p[0] == ';' && p[1] == ')') || (p[0] == '(' && p[1] == ';')) {
                s->block += p[0] == '(' ? 1 : -1;
                p++;
            }
        } else if (p[0] == ';' && p[1] == ';') {
            return;
        } else if (p[0] == '(' && p[1] == ';') {
            s->block++;
            p++;
        } else if (*p == '"') {
            s->in_string = true;
        } else if (*p == '(') {
            s->depth++;
        } else if (*p == ')') {
            s->depth--;
        }
    }
}

static char *read_line(repl *r, const char *prompt)
{
    if (r->interactive)
        return readline(prompt);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n && line[n - 1] == '\n')
        line[--n] = 0;
    if (n && line[n - 1] == '\r')
        line[--n] = 0;
    return line;
}

typedef struct {
    char *text;              /* an inline module being typed, or NULL */
    size_t len;
    paren_scan scan;
    uint32_t start_line;
} pending;

static void pending_clear(pending *p)
{
    free(p->text);
    *p = (pending){0};
}

/* Add a line to the module being typed; evaluate it once closed. */
static void pending_add(repl *r, pending *p, const char *line)
{
    size_t n = strlen(line);
    char *t = realloc(p->text, p->len + n + 2);
    if (!t) {
        repl_error(r, NULL, "out of memory");
        pending_clear(p);
        return;
    }
    if (!p->text)
        p->start_line = r->line;
    p->text = t;
    memcpy(t + p->len, line, n);
    p->len += n;
    t[p->len++] = '\n';
    t[p->len] = 0;
    scan_line(&p->scan, line);
    if (p->scan.depth <= 0 && !p->scan.block && !p->scan.in_string) {
        /* Messages point at the line where the module begins. */
        uint32_t last = r->line;
        r->line = p->start_line;
        repl_eval(r, p->text);
        r->line = last;
        pending_clear(p);
    }
}

static void make_prompt(repl *r, const pending *p, char *buf, size_t size)
{
    repl_inst *it = repl_current(r, false);
    if (p->text)
        snprintf(buf, size, "%*s> ", it ? (int)strlen(it->name) : 4, "...");
    else
        snprintf(buf, size, "%s> ", it ? it->name : "wasm");
}

static void take_line(repl *r, pending *p, char *line)
{
    r->line++;
    const char *s = line + strspn(line, " \t");
    if (p->text || *s == '(')
        pending_add(r, p, line);
    else
        repl_eval(r, line);
    fflush(stdout);
}

static void loop(repl *r, const char *hist)
{
    pending p = {0};
    char prompt[300];
    while (!r->quit) {
        make_prompt(r, &p, prompt, sizeof prompt);
        if (r->interactive)
            g_sigint = 0;
        char *line = g_sigint ? NULL : read_line(r, prompt);
        if (g_sigint && !r->interactive) {
            free(line);
            r->interrupted = true;   /* a script stops at Ctrl-C */
            break;
        }
        if (g_sigint) {
            free(line);
            pending_clear(&p);
            continue;
        }
        if (!line)
            break;
        if (r->interactive)
            history_add(hist, line);
        /* A paste arrives as one line with newlines in it. */
        for (char *s = line, *nl; s && !r->quit; s = nl ? nl + 1 : NULL) {
            nl = strchr(s, '\n');
            if (nl)
                *nl = 0;
            take_line(r, &p, s);
        }
        free(line);
    }
    if (p.text && !r->interrupted)
        repl_error(r, "close every '('", "unexpected end of input in the module begun on line %u",
                   p.start_line);
    if (r->interactive && !r->quit)
        putchar('\n');
    pending_clear(&p);
}

static bool use_color(void)
{
    const char *term = getenv("TERM");
    return isatty(1) && !getenv("NO_COLOR") && !(term && strcmp(term, "dumb") == 0);
}

int main(int argc, char **argv)
{
    repl_opts o = {.features = lw_features_default()};
    parse_options(argc, argv, &o);
    repl r = {.features = o.features, .limits = o.limits};
    if (repl_init(&r) < 0) {
        fprintf(stderr, "%s: cannot create the store (out of memory, or --max-stack too large)\n",
                REPL_PROG);
        return 1;
    }
    r.interactive = isatty(0);
    r.color = r.interactive && use_color();
    setup_signals();
    char *hist = r.interactive ? history_path(&o) : NULL;
    if (r.interactive) {
        rl_readline_name = REPL_PROG;
        rl_catch_signals = 0;
        rl_getc_function = read_key;
        history_open(hist);
        repl_complete_init(&r);
        if (!o.quiet)
            printf("%s %s: type :help for the commands, Ctrl-D to leave\n", REPL_PROG,
                   LIBWASM_VERSION);
    }
    for (int i = 0; i < o.nfiles; i++)
        repl_load_file(&r, o.files[i], NULL);
    loop(&r, hist);
    if (hist)
        history_truncate_file(hist, HISTORY_MAX);
    free(hist);
    fflush(stdout);
    repl_free(&r);
    if (r.interrupted)
        return EXIT_INTERRUPTED;
    return r.failed && !r.interactive ? 1 : 0;
}
