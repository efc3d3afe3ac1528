/* wasm-run: run a WebAssembly module (or a bundle) with WASI.
 *
 * Options follow wasmtime's spelling (and `wasm-run run FILE`, --mapdir,
 * and a pointer to ours for its -S and -W).  Exit status: the guest's own for
 * proc_exit, 134 on a trap or an uncaught exception, 130 when interrupted
 * by Ctrl-C, 1 when the
 * module does not load or link, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "libwasm-tools.h"
#include "bundle.h"
#include "bundlefs.h"
#include "wasi.h"

#define EXIT_LOAD 1
#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130
#define EXIT_TRAP 134
#define THREAD_ID_MAX 0x1FFFFFFFu   /* wasi-threads' largest thread id */

typedef struct {
    lw_features features;
    lw_features disabled;    /* by a --disable flag: target_features cannot add them */
    wasi_preopen *dirs;
    uint32_t ndirs;
    const char **env;
    uint32_t nenv;
    const char *invoke;
    const char *argv0;
    const char *tcplisten;
    uint64_t fuel;
    bool has_fuel;
    double timeout;
    uint64_t max_memory, max_stack, max_heap;
    uint32_t max_call_depth;
    uint32_t max_threads;    /* wasi-threads: threads at once besides main */
    const char *file;
    int nargs;               /* after FILE: guest arguments or invoke args */
    char **args;
} run_opts;

static const char *prog = "wasm-run";
static lw_store *g_store;
static volatile sig_atomic_t g_sigint;
static bool g_backtrace;   /* of an interrupted guest: -v or LIBWASM_BACKTRACE */

static void usage(FILE *out)
{
    fprintf(out,
        "usage: %s [run] [OPTIONS] FILE [ARGS...]\n"
        "Run a WebAssembly module (.wasm or .wat) or bundle with WASI.\n"
        "\n"
        "  --dir HOST[::GUEST]     grant a host directory (HOST::/ is the guest root)\n"
        "  --dir-ro HOST[::GUEST]  grant it read-only\n"
        "  --mapdir GUEST::HOST    the same as --dir HOST::GUEST\n"
        "  --env NAME=VAL          set a guest environment variable\n"
        "  --env NAME              pass the host's NAME through\n"
        "  --invoke NAME           call export NAME with ARGS (typed by its signature)\n"
        "  --argv0 NAME            the guest's argv[0] (default: FILE)\n"
        "  --fuel N                trap after N units of fuel\n"
        "  --timeout SECONDS       interrupt the guest after SECONDS\n"
        "  --max-memory BYTES      largest linear memory\n"
        "  --max-stack BYTES       largest call stack (default 8 MiB)\n"
        "  --max-heap BYTES        largest GC heap (default unlimited)\n"
        "  --max-call-depth N      most calls at once (default: what the stack holds)\n"
        "  --tcplisten HOST:PORT   listen there; the socket is the fd after the preopens\n"
        "  --max-threads N         most threads wasi thread-spawn runs at once (default 64)\n"
        "  -v, --verbose           the backtrace of an interrupted guest too\n",
        prog);
    lw_features_help(out);
    fprintf(out,
        "  -h, --help              this help\n"
        "  -V, --version           print the version\n"
        "\n"
        "Exit status: the guest's proc_exit code; 134 on a trap or an uncaught\n"
        "exception; 130 when interrupted; 1 when the module fails to load or\n"
        "link; 2 on bad usage.\n");
}

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
    exit(EXIT_USAGE);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        fprintf(stderr, "%s: out of memory\n", prog);
        exit(EXIT_LOAD);
    }
    return p;
}

/* ---- options ---- */

static uint64_t parse_u64(const char *s, const char *what)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || *s == '-')
        usage_error(what, s);
    return v;
}

/* host is malloc'ed (freed by main); guest points into argv. */
static void add_preopen(run_opts *o, char *host, const char *guest, bool readonly,
                        const char *spec)
{
    if (!host || !*host || !*guest)
        usage_error("bad directory '%s' (want HOST[::GUEST])", spec);
    o->dirs = xrealloc(o->dirs, (o->ndirs + 1) * sizeof *o->dirs);
    o->dirs[o->ndirs++] = (wasi_preopen){host, guest, readonly};
}

static void add_dir(run_opts *o, const char *spec, bool readonly)
{
    const char *sep = strstr(spec, "::");
    char *host = sep ? strndup(spec, (size_t)(sep - spec)) : strdup(spec);
    add_preopen(o, host, sep ? sep + 2 : spec, readonly, spec);
}

/* --mapdir GUEST::HOST, older wasmtime's spelling of --dir HOST::GUEST. */
static void add_mapdir(run_opts *o, char *spec)
{
    char *sep = strstr(spec, "::");
    if (!sep || sep == spec || !sep[2])
        usage_error("bad --mapdir '%s' (want GUEST::HOST)", spec);
    char *host = strdup(sep + 2);
    *sep = 0;   /* the guest name stays in argv, as --dir's does */
    add_preopen(o, host, spec, false, spec);
}

/* wasmtime's -W (engine) and -S (WASI) options: name ours where there is
 * one, else say that it is not supported; either way a usage error. */
static _Noreturn void wasmtime_option(char flag, const char *arg)
{
    /* value: what follows "KEY=" in the message, else the placeholder */
    static const struct { char flag; const char *key, *ours, *placeholder; } map[] = {
        {'W', "fuel", "--fuel ", "N"},
        {'W', "timeout", "--timeout ", "SECONDS"},
        {'W', "max-memory-size", "--max-memory ", "BYTES"},
        {'W', "max-wasm-stack", "--max-stack ", "BYTES"},
        {'W', "all-proposals", "--enable-all", ""},
        {'S', "inherit-env", "--env NAME for each variable to pass through", ""},
        {'S', "tcplisten", "--tcplisten ", "HOST:PORT"},
    };
    size_t n = strcspn(arg, "=");
    const char *value = arg[n] == '=' ? arg + n + 1 : NULL;
    int found = -1;
    for (size_t i = 0; i < sizeof map / sizeof map[0] && found < 0; i++)
        if (map[i].flag == flag && strlen(map[i].key) == n && !strncmp(arg, map[i].key, n))
            found = (int)i;
    char *key = strndup(arg, n);
    if (found < 0 && flag == 'W' && key && lw_feature_by_name(key))
        fprintf(stderr, "%s: -W %s is wasmtime's spelling: use --enable-%s\n", prog, arg, key);
    else if (found >= 0)
        fprintf(stderr, "%s: -%c %s is wasmtime's spelling: use %s%s\n", prog, flag, arg,
                map[found].ours, *map[found].placeholder && value ? value : map[found].placeholder);
    else
        fprintf(stderr, "%s: -%c %s: wasmtime's option, not supported\n", prog, flag, arg);
    free(key);
    fprintf(stderr, "Try '%s --help' for more information.\n", prog);
    exit(EXIT_USAGE);
}

static void add_env(run_opts *o, const char *spec)
{
    const char *v = spec;
    if (!strchr(spec, '=')) {
        const char *host = getenv(spec);
        if (!host)
            return;
        char *s = xrealloc(NULL, strlen(spec) + strlen(host) + 2);
        sprintf(s, "%s=%s", spec, host);
        v = s;
    } else if (spec[0] == '=') {
        usage_error("bad environment variable '%s'", spec);
    }
    o->env = xrealloc(o->env, (o->nenv + 1) * sizeof *o->env);
    o->env[o->nenv++] = v;
}

enum { OPT_DIR = 256, OPT_DIR_RO, OPT_ENV, OPT_INVOKE, OPT_ARGV0, OPT_FUEL,
       OPT_TIMEOUT, OPT_MAX_MEMORY, OPT_MAX_STACK, OPT_MAX_CALL_DEPTH, OPT_TCPLISTEN,
       OPT_MAPDIR, OPT_MAX_THREADS, OPT_MAX_HEAP };

static const struct option long_options[] = {
    {"dir", required_argument, 0, OPT_DIR},
    {"dir-ro", required_argument, 0, OPT_DIR_RO},
    {"env", required_argument, 0, OPT_ENV},
    {"invoke", required_argument, 0, OPT_INVOKE},
    {"argv0", required_argument, 0, OPT_ARGV0},
    {"fuel", required_argument, 0, OPT_FUEL},
    {"timeout", required_argument, 0, OPT_TIMEOUT},
    {"max-memory", required_argument, 0, OPT_MAX_MEMORY},
    {"max-stack", required_argument, 0, OPT_MAX_STACK},
    {"max-heap", required_argument, 0, OPT_MAX_HEAP},
    {"max-call-depth", required_argument, 0, OPT_MAX_CALL_DEPTH},
    {"tcplisten", required_argument, 0, OPT_TCPLISTEN},
    {"mapdir", required_argument, 0, OPT_MAPDIR},
    {"max-threads", required_argument, 0, OPT_MAX_THREADS},
    {"verbose", no_argument, 0, 'v'},
    {"help", no_argument, 0, 'h'},
    {"version", no_argument, 0, 'V'},
    {0, 0, 0, 0},
};

static void parse_options(int argc, char **argv, run_opts *o)
{
    lw_error err;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:hvVS:W:", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_DIR: add_dir(o, optarg, false); break;
        case OPT_MAPDIR: add_mapdir(o, optarg); break;
        case 'S': case 'W': wasmtime_option((char)c, optarg);
        case 'v': g_backtrace = true; break;
        case OPT_DIR_RO: add_dir(o, optarg, true); break;
        case OPT_ENV: add_env(o, optarg); break;
        case OPT_INVOKE: o->invoke = optarg; break;
        case OPT_ARGV0: o->argv0 = optarg; break;
        case OPT_FUEL: o->fuel = parse_u64(optarg, "bad fuel '%s'"); o->has_fuel = true; break;
        case OPT_TIMEOUT: {
            char *end;
            o->timeout = strtod(optarg, &end);
            if (end == optarg || *end || !(o->timeout > 0) || o->timeout > 1e9)
                usage_error("bad timeout '%s'", optarg);
            break;
        }
        case OPT_MAX_MEMORY:
            o->max_memory = parse_u64(optarg, "bad size '%s'");
            if (o->max_memory < 65536)
                usage_error("--max-memory %s: less than one page (65536 bytes)", optarg);
            break;
        case OPT_MAX_STACK: o->max_stack = parse_u64(optarg, "bad size '%s'"); break;
        case OPT_MAX_HEAP: o->max_heap = parse_u64(optarg, "bad size '%s'"); break;
        case OPT_MAX_THREADS: {
            uint64_t n = parse_u64(optarg, "bad thread count '%s'");
            if (n > THREAD_ID_MAX)
                usage_error("bad thread count '%s' (want 0 to 536870911)", optarg);
            o->max_threads = (uint32_t)n;
            break;
        }
        case OPT_MAX_CALL_DEPTH: {
            uint64_t d = parse_u64(optarg, "bad depth '%s'");
            if (d == 0 || d > UINT32_MAX)
                usage_error("bad depth '%s' (want 1 to 4294967295)", optarg);
            o->max_call_depth = (uint32_t)d;
            break;
        }
        case OPT_TCPLISTEN: o->tcplisten = optarg; break;
        case 'h': usage(stdout); exit(0);
        case 'V': printf("%s %s\n", prog, LIBWASM_VERSION); exit(0);
        case ':': usage_error("option '%s' needs an argument", argv[optind - 1]);
        default: {
            /* Not in the table: a feature flag, or an error. */
            char letter[3] = {'-', (char)optopt, 0};
            const char *arg = optopt ? letter : argv[optind - 1];
            lw_features on = 0, off = ~(lw_features)0;
            if (lw_features_option(arg, &o->features, &err) <= 0)
                usage_error("%s", err.message);
            lw_features_option(arg, &on, &err);
            lw_features_option(arg, &off, &err);
            o->disabled = (o->disabled | ~off) & ~on;
            break;
        }
        }
    }
    if (optind >= argc)
        usage_error("%s", "no FILE given");
    o->file = argv[optind];
    o->args = argv + optind + 1;
    o->nargs = argc - optind - 1;
}

/* ---- --tcplisten ---- */

static int listen_on(const char *spec)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1])
        usage_error("bad address '%s' (want HOST:PORT)", spec);
    char *host = strndup(spec, (size_t)(colon - spec));
    if (host && host[0] == '[' && host[strlen(host) - 1] == ']') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = 0;
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res = NULL;
    int rc = host ? getaddrinfo(host, colon + 1, &hints, &res) : EAI_MEMORY;
    free(host);
    if (rc) {
        fprintf(stderr, "%s: %s: %s\n", prog, spec, gai_strerror(rc));
        return -1;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 128) < 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

/* ---- interrupts: Ctrl-C and --timeout ---- */

static void on_signal(int sig)
{
    if (sig == SIGINT) {
        g_sigint = 1;
        signal(SIGINT, SIG_DFL);   /* a second Ctrl-C kills */
    }
    if (g_store)
        lw_store_interrupt(g_store);
}

static void setup_signals(double timeout)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);   /* no SA_RESTART: blocked reads return */
    signal(SIGPIPE, SIG_IGN);       /* writes to a closed pipe give EPIPE */
    if (timeout > 0) {
        sigaction(SIGALRM, &sa, NULL);
        struct itimerval it = {{0, 0}, {(time_t)timeout,
                                        (suseconds_t)((timeout - (time_t)timeout) * 1e6)}};
        if (!it.it_value.tv_sec && !it.it_value.tv_usec)
            it.it_value.tv_usec = 1;
        setitimer(ITIMER_REAL, &it, NULL);
    }
}

/* ---- --invoke arguments and results ---- */

static bool parse_val(const char *s, lw_valtype type, lw_val *v)
{
    char *end;
    errno = 0;
    v->type = type;
    switch (type) {
    case LW_I32: {
        long long x = *s == '-' ? strtoll(s, &end, 0) : (long long)strtoull(s, &end, 0);
        if (errno || *end || end == s || x < INT32_MIN || x > (long long)UINT32_MAX)
            return false;
        v->of.i32 = (int32_t)(uint32_t)x;
        return true;
    }
    case LW_I64: {
        uint64_t x = *s == '-' ? (uint64_t)strtoll(s, &end, 0) : strtoull(s, &end, 0);
        if (errno || *end || end == s)
            return false;
        v->of.i64 = (int64_t)x;
        return true;
    }
    case LW_F32: {
        float f = strtof(s, &end);
        if (*end || end == s)
            return false;
        memcpy(&v->of.f32, &f, 4);
        return true;
    }
    case LW_F64: {
        double d = strtod(s, &end);
        if (*end || end == s)
            return false;
        memcpy(&v->of.f64, &d, 8);
        return true;
    }
    default: {
        /* v128 ("i32x4 1 2 3 4") and references ("null"), as the REPL reads them */
        lw_error err;
        lw_error_clear(&err);
        return lw_val_parse(s, type, v, &err) == 0;
    }
    }
}

static void print_float(double d, int digits)
{
    if (isnan(d))
        printf("%snan\n", signbit(d) ? "-" : "");
    else if (isinf(d))
        printf("%sinf\n", d < 0 ? "-" : "");
    else
        printf("%.*g\n", digits, d);
}

static void print_val(const lw_val *v)
{
    switch (v->type) {
    case LW_I32: printf("%d\n", v->of.i32); break;
    case LW_I64: printf("%lld\n", (long long)v->of.i64); break;
    case LW_F32: {
        float f;
        memcpy(&f, &v->of.f32, 4);
        print_float(f, 9);
        break;
    }
    case LW_F64: {
        double d;
        memcpy(&d, &v->of.f64, 8);
        print_float(d, 17);
        break;
    }
    case LW_V128:
        for (int i = 15; i >= 0; i--)
            printf("%02x", v->of.v128[i]);
        printf("\n");
        break;
    default: {
        char buf[512];
        lw_ref_format(g_store, v, buf, sizeof buf);
        printf("%s\n", buf);
        break;
    }
    }
}

/* ---- running ---- */

/* A frame: "0xOFFSET - NAME at FILE:LINE:COLUMN".  The name is the name
 * section's, else the one DWARF gives, else an export's or an import's,
 * else func[N]; the location is DWARF's, when the module has it. */
static void print_frame(const lw_frame *f)
{
    lw_source_loc loc;
    bool known;
    const char *name = lw_frame_name(f, &loc, &known);
    if (f->code_offset)   /* none for modules parsed from text */
        fprintf(stderr, "0x%06x - ", f->code_offset);
    if (name)
        fprintf(stderr, "%s", name);
    else
        fprintf(stderr, "func[%u]", f->func_index);
    if (known && loc.file) {
        fprintf(stderr, " at %s:%u", loc.file, loc.line);
        if (loc.column)
            fprintf(stderr, ":%u", loc.column);
    }
    fputc('\n', stderr);
}

static void print_backtrace(const lw_error *err)
{
    if (!err->nframes)
        return;
    fprintf(stderr, "wasm backtrace:\n");
    for (uint32_t i = 0; i < err->nframes; i++) {
        uint32_t depth = i;   /* counted from the innermost frame */
        if (err->frames_omitted && i >= LW_MAX_FRAMES / 2) {
            if (i == LW_MAX_FRAMES / 2)
                fprintf(stderr, "  ... %u frames omitted ...\n", err->frames_omitted);
            depth += err->frames_omitted;
        }
        fprintf(stderr, "  %2u: ", depth);
        print_frame(&err->frames[i]);
    }
}

/* Ctrl-C is one line, as in wasmtime: the backtrace only when asked for. */
static int print_trap(const lw_error *err)
{
    if (g_sigint) {
        fprintf(stderr, "%s: interrupted\n", prog);
        if (g_backtrace)
            print_backtrace(err);
        return EXIT_INTERRUPTED;
    }
    fprintf(stderr, "%s: trap: %s\n", prog, err->message);
    print_backtrace(err);
    return EXIT_TRAP;
}

/* An exception nothing caught ends the guest as a trap does. */
static int print_uncaught(const lw_error *err)
{
    char what[512] = "";
    if (err->exn)
        lw_exn_format(err->exn, what, sizeof what);
    fprintf(stderr, "%s: uncaught exception%s%s\n", prog, *what ? ": " : "", what);
    print_backtrace(err);
    return EXIT_TRAP;
}

/* Exit status for a failed call or instantiation. */
static int failure_status(const lw_error *err, const char *file)
{
    char buf[512];
    switch (err->kind) {
    case LW_ERR_EXIT:
        return err->exit_code;
    case LW_ERR_EXCEPTION:
        return print_uncaught(err);
    case LW_ERR_TRAP:
    case LW_ERR_EXHAUSTION:
    case LW_ERR_LIMIT:
        return print_trap(err);
    default:
        lw_error_format(err, buf, sizeof buf);
        fprintf(stderr, "%s: %s: %s\n", prog, file, buf);
        return EXIT_LOAD;
    }
}

/* A limit hit while creating the instance (a declared memory or table
 * larger than allowed) is a failure to load, not a trap: no code ran. */
static int instantiate_status(const lw_error *err, const char *file)
{
    if (err->kind != LW_ERR_LIMIT || err->nframes)
        return failure_status(err, file);
    fprintf(stderr, "%s: %s: cannot instantiate: %s\n", prog, file, err->message);
    return EXIT_LOAD;
}

static bool export_func(lw_instance *inst, const char *name, lw_func **f)
{
    lw_extern ext;
    if (!lw_instance_export(inst, name, &ext) || ext.kind != LW_EXTERN_FUNC)
        return false;
    *f = ext.of.func;
    return true;
}

static int call_export(const run_opts *o, lw_func *f, int nargs, char **args)
{
    const lw_functype *t = lw_func_type(f);
    if ((uint32_t)nargs != t->nparams) {
        fprintf(stderr, "%s: %s: export '%s' takes %u arguments, got %d\n", prog,
                o->file, o->invoke, t->nparams, nargs);
        return EXIT_USAGE;
    }
    lw_val *params = xrealloc(NULL, (t->nparams + 1) * sizeof *params);
    lw_val *results = xrealloc(NULL, (t->nresults + 1) * sizeof *results);
    for (uint32_t i = 0; i < t->nparams; i++)
        if (!parse_val(args[i], t->params[i], &params[i])) {
            char type[LW_VALTYPE_BUFSIZE];
            lw_valtype_format(t->params[i], type, sizeof type);
            fprintf(stderr, "%s: argument %u: '%s' is not a valid %s\n", prog, i + 1,
                    args[i], type);
            free(params);
            free(results);
            return EXIT_USAGE;
        }
    lw_error err;
    lw_error_clear(&err);
    int status = 0;
    if (lw_func_call(g_store, f, params, t->nparams, results, t->nresults, &err) < 0)
        status = failure_status(&err, o->file);
    else
        for (uint32_t i = 0; i < t->nresults; i++)
            print_val(&results[i]);
    free(params);
    free(results);
    return status;
}

/* Command: _start.  Reactor: _initialize, then --invoke if given. */
static int run_instance(const run_opts *o, lw_instance *inst)
{
    lw_func *f;
    lw_error err;
    lw_error_clear(&err);
    if (!o->invoke) {
        if (export_func(inst, "_start", &f) || export_func(inst, "_initialize", &f))
            return lw_func_call(g_store, f, NULL, 0, NULL, 0, &err) < 0
                       ? failure_status(&err, o->file) : 0;
        return 0;
    }
    if (export_func(inst, "_initialize", &f) &&
        lw_func_call(g_store, f, NULL, 0, NULL, 0, &err) < 0)
        return failure_status(&err, o->file);
    if (!export_func(inst, o->invoke, &f)) {
        fprintf(stderr, "%s: %s: no exported function '%s'\n", prog, o->file, o->invoke);
        return EXIT_LOAD;
    }
    return call_export(o, f, o->nargs, o->args);
}

/* ---- wasi-threads ----
 *
 * The import `wasi` `thread-spawn` (param i32) (result i32) runs the
 * module again in a new OS thread: a store, linker and instance of its
 * own (the store is the thread's execution context), the same WASI
 * context (whose calls take its lock) and the same shared memory, which
 * the module imports and wasm-run makes from the import's type.  The
 * thread enters the export wasi_thread_start(tid, arg).  Thread ids count
 * up from 1; a spawn past --max-threads threads at once, or one that
 * cannot start, returns -EAGAIN.  proc_exit in any thread ends the
 * process with its code, a trap in any thread ends it with 134 and the
 * trap's message; when the main thread's _start returns, the process
 * ends with every thread. */

#define WASI_EAGAIN 6

static struct {
    const run_opts *o;
    const lw_module *m;
    wasi_ctx *ctx;
    lw_store_limits lim;
    const lw_import *mem_import;   /* the shared memory the module imports */
    lw_memory *mem;
    uint32_t next_tid, running;    /* atomic */
    bool spawned;                  /* atomic */
} g_threads;

static int thread_spawn(lw_host_call *call, const lw_val *args, lw_val *results);

static _Noreturn void end_process(int status)
{
    fflush(stdout);
    fflush(stderr);
    _exit(status);
}

/* What a thread's linker holds beside WASI: the shared memory, thread-spawn. */
static int threads_define(lw_linker *l)
{
    static const lw_valtype i32 = LW_I32;
    lw_functype type = {1, 1, &i32, &i32};
    if (g_threads.mem) {
        lw_extern ext = {.kind = LW_EXTERN_MEMORY, .of.memory = g_threads.mem};
        if (lw_linker_define(l, g_threads.mem_import->module, g_threads.mem_import->name, ext) < 0)
            return -1;
    }
    return lw_linker_define_host(l, "wasi", "thread-spawn", &type, thread_spawn, NULL);
}

/* Before the main instance: the shared memory, if the module imports
 * one, made in the main store. */
static int threads_setup(const run_opts *o, const lw_module *m, wasi_ctx *ctx,
                         const lw_store_limits *lim, lw_linker *l, lw_error *err)
{
    g_threads.o = o;
    g_threads.m = m;
    g_threads.ctx = ctx;
    g_threads.lim = *lim;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const lw_import *im = &m->imports[i];
        if (im->kind == LW_EXTERN_MEMORY && im->desc.memory.shared) {
            g_threads.mem_import = im;
            g_threads.mem = lw_memory_new(g_store, &im->desc.memory, err);
            if (!g_threads.mem)
                return -1;
            break;
        }
    }
    return threads_define(l);
}

static void *thread_main(void *arg)
{
    uint32_t tid_arg[2];
    memcpy(tid_arg, arg, sizeof tid_arg);
    free(arg);
    /* Ctrl-C and the timeout are the main thread's to handle. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    const run_opts *o = g_threads.o;
    lw_error err;
    lw_error_clear(&err);
    lw_store *s = lw_store_new(&g_threads.lim);
    lw_linker *l = s ? lw_linker_new(s) : NULL;
    lw_instance *inst = NULL;
    lw_func *f;
    if (!l || wasi_define(g_threads.ctx, l) < 0 || threads_define(l) < 0) {
        fprintf(stderr, "%s: thread %u: out of memory\n", prog, tid_arg[0]);
        end_process(EXIT_LOAD);
    }
    if (o->has_fuel)
        lw_store_set_fuel(s, o->fuel);
    if (!(inst = lw_linker_instantiate(l, g_threads.m, &err)))
        end_process(instantiate_status(&err, o->file));
    if (!export_func(inst, "wasi_thread_start", &f)) {
        fprintf(stderr, "%s: %s: thread-spawn needs an exported function "
                "'wasi_thread_start'\n", prog, o->file);
        end_process(EXIT_LOAD);
    }
    lw_val a[2] = {{.type = LW_I32, .of.i32 = (int32_t)tid_arg[0]},
                   {.type = LW_I32, .of.i32 = (int32_t)tid_arg[1]}};
    if (lw_func_call(s, f, a, 2, NULL, 0, &err) < 0)
        end_process(failure_status(&err, o->file));
    lw_linker_free(l);
    lw_store_free(s);
    __atomic_sub_fetch(&g_threads.running, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static int thread_spawn(lw_host_call *call, const lw_val *args, lw_val *results)
{
    results[0].type = LW_I32;
    results[0].of.i32 = -WASI_EAGAIN;
    uint32_t n = __atomic_add_fetch(&g_threads.running, 1, __ATOMIC_SEQ_CST);
    uint32_t tid = n > g_threads.o->max_threads
                       ? 0 : __atomic_add_fetch(&g_threads.next_tid, 1, __ATOMIC_SEQ_CST);
    uint32_t *st = tid && tid <= THREAD_ID_MAX ? malloc(2 * sizeof *st) : NULL;
    pthread_attr_t attr;
    pthread_t th;
    bool ok = false;
    if (st && pthread_attr_init(&attr) == 0) {
        st[0] = tid;
        st[1] = (uint32_t)args[0].of.i32;
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        ok = pthread_create(&th, &attr, thread_main, st) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!ok) {
        free(st);
        __atomic_sub_fetch(&g_threads.running, 1, __ATOMIC_SEQ_CST);
        return 0;
    }
    __atomic_store_n(&g_threads.spawned, true, __ATOMIC_SEQ_CST);
    results[0].of.i32 = (int32_t)tid;
    return 0;
}

/* A binary module's bytes; what a bundle adds: its entry module,
 * arguments, environment, mounts. */
typedef struct {
    wpk_bundle *bundle;
    uint8_t *module_bytes;   /* a binary module's, borrowed by the module */
    const char **argv;
    uint32_t argc;
} bundle_run;

static void bundle_run_free(bundle_run *br)
{
    wpk_close(br->bundle);
    free(br->module_bytes);
}

/* The features to load a binary with: the options', and those its
 * target_features section says it uses (clang and wasm-ld write it), but
 * the ones a --disable flag turned off. */
static lw_features module_features(const run_opts *o, const uint8_t *bytes, size_t len)
{
    return o->features | (lw_target_features(bytes, len) & lw_features_all() & ~o->disabled);
}

static lw_module *load_bundle(run_opts *o, bundle_run *br, lw_error *err)
{
    br->bundle = wpk_open_file(o->file, err);
    if (!br->bundle)
        return NULL;
    const wpk_manifest *m = &br->bundle->manifest;
    for (uint32_t i = 0; i < m->nfeatures; i++)
        o->features |= lw_feature_by_name(m->features[i]);
    const wpk_entry *e = m->entry ? wpk_find(br->bundle, m->entry) : NULL;
    if (!e || e->kind != WPK_MODULE) {
        snprintf(err->message, sizeof err->message, "bundle has no entry module");
        err->kind = LW_ERR_MALFORMED;
        return NULL;
    }
    if (wpk_read(br->bundle, e, &br->module_bytes, err) < 0)
        return NULL;
    lw_module *mod = lw_module_load_borrowed(br->module_bytes, e->size,
                                             module_features(o, br->module_bytes, e->size), err);
    br->argv = m->args;
    br->argc = m->nargs;
    for (uint32_t i = 0; i < m->nenv; i++) {
        o->env = xrealloc(o->env, (o->nenv + 1) * sizeof *o->env);
        o->env[o->nenv++] = m->env[i];
    }
    return mod;
}

/* A --dir naming a guest directory the bundle mounts would give the guest
 * two preopens of that name (and it would write into the read-only one):
 * refused. */
static bool mount_clash(const run_opts *o, const bundle_run *br)
{
    const wpk_manifest *m = &br->bundle->manifest;
    for (uint32_t i = 0; i < m->nmounts; i++)
        for (uint32_t k = 0; k < o->ndirs; k++)
            if (strcmp(m->mounts[i].guest, o->dirs[k].guest) == 0) {
                fprintf(stderr, "%s: %s: --dir %s::%s clashes with the bundle's mount "
                        "'%s'; choose another guest name\n", prog, o->file,
                        o->dirs[k].host, o->dirs[k].guest, m->mounts[i].guest);
                return true;
            }
    return false;
}

static int mount_bundle(wasi_ctx *ctx, const bundle_run *br)
{
    const wpk_manifest *m = &br->bundle->manifest;
    for (uint32_t i = 0; i < m->nmounts; i++) {
        uint16_t e = 0;
        wasi_file *dir = wasi_bundlefs_open(br->bundle, m->mounts[i].prefix, &e);
        if (!dir || wasi_ctx_preopen_file(ctx, dir, m->mounts[i].guest, true) < 0) {
            fprintf(stderr, "%s: %s: cannot mount '%s' (WASI errno %u)\n", prog,
                    "bundle", m->mounts[i].guest, e);
            return -1;
        }
    }
    return 0;
}

/* Say which import failed to link ("unknown import: env.f"): the first
 * one missing, of another kind, or a function of another type. */
static void name_missing_import(const lw_linker *l, const lw_module *m, lw_error *err)
{
    for (uint32_t i = 0; i < m->nimports; i++) {
        const lw_import *im = &m->imports[i];
        lw_extern ext;
        bool found = lw_linker_lookup(l, im->module, im->name, &ext);
        if (!found || ext.kind != im->kind ||
            (im->kind == LW_EXTERN_FUNC && im->desc.func < m->ntypes &&
             !lw_functype_equal(lw_func_type(ext.of.func), &m->types[im->desc.func]))) {
            size_t n = strlen(err->message);
            snprintf(err->message + n, sizeof err->message - n, ": %s.%s",
                     im->module, im->name);
            return;
        }
    }
}

/* A bundle is opened as a bundle (its entries are read one by one), not
 * read whole as a module would be. */
static bool is_bundle_file(const char *path)
{
    uint8_t head[8];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool bundle = read(fd, head, sizeof head) == (ssize_t)sizeof head &&
                  wpk_is_bundle(head, sizeof head);
    close(fd);
    return bundle;
}

/* A binary module is read into private memory, which the module borrows
 * until it is freed.  Not mapped: each function is compiled from these
 * bytes at its first call, and a mapping of the file (even MAP_PRIVATE)
 * would show another process's writes to it, so code that was never
 * validated would reach the compiler. */
static lw_module *load_module(run_opts *o, bundle_run *br, lw_error *err)
{
    if (is_bundle_file(o->file))
        return load_bundle(o, br, err);
    uint8_t *data;
    size_t len;
    lw_format format;
    if (lw_module_read_file(o->file, &data, &len, &format, err) < 0)
        return NULL;
    if (format == LW_FORMAT_BINARY) {
        br->module_bytes = data;
        return lw_module_load_borrowed(data, len, module_features(o, data, len), err);
    }
    lw_module *m = lw_module_parse_text((const char *)data, len, o->features, err);
    free(data);
    if (m && lw_module_validate(m, err) < 0) {
        lw_module_free(m);
        return NULL;
    }
    return m;
}

/* argv: argv0, the bundle's own arguments, then ours (without --invoke). */
static const char **guest_argv(const run_opts *o, const bundle_run *br, uint32_t *argc)
{
    uint32_t extra = o->invoke ? 0 : (uint32_t)o->nargs;
    const char **v = xrealloc(NULL, (1 + br->argc + extra) * sizeof *v);
    uint32_t n = 0;
    v[n++] = o->argv0 ? o->argv0 : o->file;
    for (uint32_t i = 0; i < br->argc; i++)
        v[n++] = br->argv[i];
    for (uint32_t i = 0; i < extra; i++)
        v[n++] = o->args[i];
    *argc = n;
    return v;
}

/* The module, then the bytes it borrows. */
static void release_module(lw_module *m, bundle_run *br)
{
    lw_module_free(m);
    bundle_run_free(br);
}

static int run(run_opts *o)
{
    lw_error err;
    lw_error_clear(&err);
    bundle_run br = {0};
    lw_module *m = load_module(o, &br, &err);
    if (!m) {
        char buf[512];
        lw_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "%s: %s: %s\n", prog, o->file, buf);
        release_module(NULL, &br);
        return EXIT_LOAD;
    }
    if (br.bundle && mount_clash(o, &br)) {
        release_module(m, &br);
        return EXIT_USAGE;
    }
    int listen_fd = o->tcplisten ? listen_on(o->tcplisten) : -1;
    if (o->tcplisten && listen_fd < 0) {
        release_module(m, &br);
        return EXIT_LOAD;
    }
    uint32_t argc;
    const char **argv = guest_argv(o, &br, &argc);
    wasi_config cfg = {argc, argv, o->nenv, o->env, o->ndirs, o->dirs,
                       {0, 1, 2}, listen_fd};
    char msg[512];
    wasi_ctx *ctx = wasi_ctx_new(&cfg, msg, sizeof msg);
    int status = EXIT_LOAD;
    if (!ctx)
        fprintf(stderr, "%s: %s\n", prog, msg);
    else if (!br.bundle || mount_bundle(ctx, &br) == 0) {
        lw_store_limits lim = {0};
        lim.max_memory_pages = o->max_memory / 65536;
        lim.max_stack_bytes = o->max_stack;
        lim.max_heap_bytes = o->max_heap;
        lim.max_call_depth = o->max_call_depth;
        g_store = lw_store_new(&lim);
        lw_linker *l = g_store ? lw_linker_new(g_store) : NULL;
        if (!g_store && o->max_stack) {
            fprintf(stderr, "%s: --max-stack %llu: cannot reserve a call stack that large\n",
                    prog, (unsigned long long)o->max_stack);
        } else if (!l || wasi_define(ctx, l) < 0) {
            fprintf(stderr, "%s: out of memory\n", prog);
        } else if (threads_setup(o, m, ctx, &lim, l, &err) < 0) {
            status = instantiate_status(&err, o->file);
        } else {
            if (o->has_fuel)
                lw_store_set_fuel(g_store, o->fuel);
            setup_signals(o->timeout);
            lw_instance *inst = lw_linker_instantiate(l, m, &err);
            if (!inst && err.kind == LW_ERR_UNLINKABLE)
                name_missing_import(l, m, &err);
            status = inst ? run_instance(o, inst) : instantiate_status(&err, o->file);
            /* Other threads may still use the store, the memory, WASI. */
            if (__atomic_load_n(&g_threads.spawned, __ATOMIC_SEQ_CST))
                end_process(status);
        }
        fflush(stdout);
        lw_linker_free(l);
        lw_store_free(g_store);
        g_store = NULL;
    }
    wasi_ctx_free(ctx);
    if (listen_fd >= 0)
        close(listen_fd);
    free(argv);
    release_module(m, &br);
    return status;
}

int main(int argc, char **argv)
{
    run_opts o = {.features = lw_features_default(), .max_threads = 64};
    if (argc > 2 && strcmp(argv[1], "run") == 0) {   /* wasmtime's subcommand */
        argv[1] = argv[0];
        argc--;
        argv++;
    }
    const char *bt = getenv("LIBWASM_BACKTRACE");
    g_backtrace = bt && *bt && strcmp(bt, "0") != 0;
    parse_options(argc, argv, &o);
    int status = run(&o);
    for (uint32_t i = 0; i < o.ndirs; i++)
        free((char *)o.dirs[i].host);
    free(o.dirs);
    free(o.env);
    return status;
}
