/* wasm-opt: optimize a module with binaryen's library, behind libwasm's
 * validation.
 *
 * libbinaryen aborts the process on input it cannot read, so every input is
 * decoded and validated by libwasm first; the optimized output is validated
 * again before it is written, and files are replaced atomically.  Some valid
 * input still kills it (DWARF it cannot follow, mostly), so binaryen runs in
 * a child process: a child that dies or exits early is reported with the step
 * it was in and what binaryen said, in this tool's message format.
 *
 * Flags follow binaryen's wasm-opt.  One deliberate difference: with no
 * feature flags the Wasm 2.0 features are enabled (binaryen's CLI starts
 * from the MVP; the other libwasm tools enable Wasm 3.0, much of which
 * libbinaryen 108 cannot read); --mvp-features gives binaryen's default.  Another: with -g, DWARF sections pass through unchanged, since
 * the library (unlike binaryen's command line) does not read DWARF; use
 * --strip-dwarf when optimized code must not carry stale DWARF.  Code
 * metadata (metadata.code.*: branch hints) is dropped before binaryen
 * sees the module: libbinaryen 108 would keep it at stale offsets. */
#include "libwasm-tools.h"

#include <binaryen-c.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOOL "wasm-opt"

/* The passes of the linked libbinaryen (version 108) that may be named on
 * the command line.  Names outside this list never reach binaryen, which
 * would abort on them. */
static const char *const pass_names[] = {
    "alignment-lowering", "asyncify", "avoid-reinterprets", "cfp",
    "coalesce-locals", "coalesce-locals-learning", "code-folding",
    "code-pushing", "const-hoisting", "dae", "dae-optimizing", "dce",
    "dealign", "denan", "dfo", "directize", "duplicate-function-elimination",
    "duplicate-import-elimination", "dwarfdump", "emit-target-features",
    "extract-function", "extract-function-index", "flatten", "fpcast-emu",
    "func-metrics", "generate-dyncalls", "generate-i64-dyncalls",
    "generate-stack-ir", "global-refining", "gto", "heap2local",
    "i64-to-i32-lowering", "inline-main", "inlining", "inlining-optimizing",
    "instrument-locals", "instrument-memory", "intrinsic-lowering",
    "legalize-js-interface", "legalize-js-interface-minimally", "licm",
    "limit-segments", "local-cse", "local-subtyping", "log-execution",
    "memory-packing", "memory64-lowering", "merge-blocks", "merge-locals",
    "merge-similar-functions", "metrics", "minify-imports",
    "minify-imports-and-exports", "minify-imports-and-exports-and-modules",
    "mod-asyncify-always-and-only-unwind", "mod-asyncify-never-unwind",
    "name-types", "nm", "once-reduction", "optimize-added-constants",
    "optimize-added-constants-propagate", "optimize-for-js",
    "optimize-instructions", "optimize-stack-ir", "pick-load-signs",
    "poppify", "post-emscripten", "precompute", "precompute-propagate",
    "print", "print-call-graph", "print-features", "print-full",
    "print-function-map", "print-minified", "print-stack-ir",
    "remove-imports", "remove-memory", "remove-non-js-ops",
    "remove-unused-brs", "remove-unused-module-elements",
    "remove-unused-names", "remove-unused-nonfunction-module-elements",
    "reorder-functions", "reorder-locals", "rereloop", "roundtrip", "rse",
    "safe-heap", "set-globals", "signature-pruning", "signature-refining",
    "simplify-globals", "simplify-globals-optimizing", "simplify-locals",
    "simplify-locals-nonesting", "simplify-locals-nostructure",
    "simplify-locals-notee", "simplify-locals-notee-nostructure",
    "souperify", "souperify-single-use", "ssa", "ssa-nomerge", "stack-check",
    "strip", "strip-debug", "strip-dwarf", "strip-producers",
    "strip-target-features", "stub-unsupported-js", "symbolmap",
    "trap-mode-clamp", "trap-mode-js", "type-refining", "untee", "vacuum",
};

/* libwasm feature names (wabt spelling) and binaryen's, where they differ. */
static const struct {
    const char *binaryen;
    const char *ours;
} feature_aliases[] = {
    {"sign-ext", "sign-extension"},
    {"nontrapping-float-to-int", "saturating-float-to-int"},
    {"multivalue", "multi-value"},
    {"exception-handling", "exceptions"},
    {"typed-function-references", "function-references"},
};

/* One step of the pipeline, in command-line order: a named pass, or the
 * default optimization pipeline of an -O level. */
typedef struct {
    const char *pass;   /* NULL: default passes */
} step;

typedef struct {
    const char *input, *output;
    step *steps;
    int nsteps;
    int opt_level, shrink_level;
    bool converge, debuginfo, emit_text, stats, quiet, validate;
    lw_features features_on, features_off;
    bool mvp, all;
    bool fast_math, low_memory_unused, zero_filled_memory;
    bool ignore_implicit_traps, traps_never_happen;
    const char **pass_args;  /* KEY, VALUE pairs */
    int npass_args;
    int always_inline, flexible_inline, one_caller_inline; /* -1: unset */
    bool inline_loops;
} options;

static void usage(FILE *f)
{
    fprintf(f,
"Usage: " TOOL " [OPTIONS] INPUT [-o OUTPUT]\n"
"Optimize a WebAssembly module (.wasm or .wat) with binaryen, after libwasm\n"
"has decoded and validated it.  The result is validated again before it is\n"
"written; a failure writes nothing.\n"
"\n"
"  -o, --output FILE            write the result here (default: no output)\n"
"  -O, -Os                      default passes, focusing on size (-O is -Os)\n"
"  -O0 -O1 -O2 -O3 -O4          default passes at that optimization level\n"
"  -Oz                          default passes, focusing hard on size\n"
"  -ol, --optimize-level N      optimization level for the passes (0-4)\n"
"  -s, --shrink-level N         shrink level for the passes (0-2)\n"
"  -c, --converge               repeat the passes while the binary shrinks\n"
"  --pass NAME, --NAME          run one pass (see the list below)\n"
"  -pa, --pass-arg KEY@VALUE    an argument for the passes\n"
"  -g, --debuginfo              keep the name section in the output\n"
"  --strip-debug                drop debug information and names\n"
"  --strip-producers            drop the producers section\n"
"  -S, --emit-text              write the text format instead of binary\n"
"  --print                      print the module as text to stdout\n"
"  --stats                      sizes per section and code before and after\n"
"  -ffm, --fast-math            optimize floats ignoring NaN and rounding corners\n"
"  -lmu, --low-memory-unused    assume the low 1 KiB of memory is unused\n"
"  -uim, --zero-filled-memory   assume an imported memory starts zeroed\n"
"  -iit, --ignore-implicit-traps  assume loads, divisions ... do not trap\n"
"  -tnh, --traps-never-happen   assume no trap is ever reached\n"
"  -aimfs, --always-inline-max-function-size N\n"
"  -fimfs, --flexible-inline-max-function-size N\n"
"  -ocimfs, --one-caller-inline-max-function-size N\n"
"  -ifwl, --inline-functions-with-loops\n"
"  -n, --no-validation          do not validate binaryen's output with libwasm\n");
    fprintf(f,
"  --enable-FEATURE, --disable-FEATURE  turn one feature on or off (see below)\n"
"  -all, --all-features         every feature binaryen and libwasm share\n"
"  -mvp, --mvp-features         MVP only (binaryen's default)\n"
"  -q, --quiet                  no warnings\n"
"  -h, --help                   this help\n"
"  --version                    versions of wasm-opt and of libbinaryen\n"
"\n"
"Features (wabt or binaryen spelling): mutable-globals, sign-extension\n"
"(sign-ext), saturating-float-to-int (nontrapping-float-to-int), multi-value\n"
"(multivalue), bulk-memory, reference-types, simd.  Default: all of these.\n"
"Off by default: tail-call, extended-const, memory64, exceptions\n"
"(exception-handling: the legacy try, catch, delegate and rethrow).  Modules\n"
"with several memories, a 64-bit table, relaxed SIMD instructions, typed\n"
"function references, GC types, try_table, throw_ref or exnref are refused:\n"
"libbinaryen 108 cannot read them.\n"
"\n"
"Passes:\n");
    int col = 0;
    for (size_t i = 0; i < sizeof pass_names / sizeof pass_names[0]; i++) {
        int w = (int)strlen(pass_names[i]) + 2;
        if (col + w > 78) {
            fputc('\n', f);
            col = 0;
        }
        col += fprintf(f, "  %s", pass_names[i]);
    }
    fputc('\n', f);
}

static bool is_pass(const char *name)
{
    for (size_t i = 0; i < sizeof pass_names / sizeof pass_names[0]; i++)
        if (strcmp(pass_names[i], name) == 0)
            return true;
    return false;
}

/* --enable-X / --disable-X, binaryen's spelling of X read as ours: on
 * the features turned on and, the other way round, on those turned off.
 * Returns what lw_features_option does. */
static int feature_option(options *o, const char *arg, lw_error *err)
{
    char ours[80];
    bool on = strncmp(arg, "--enable-", 9) == 0;
    const char *name = arg + (on ? 9 : 10);
    for (size_t i = 0; i < sizeof feature_aliases / sizeof feature_aliases[0]; i++)
        if (strcmp(name, feature_aliases[i].binaryen) == 0) {
            snprintf(ours, sizeof ours, "--%s-%s", on ? "enable" : "disable",
                     feature_aliases[i].ours);
            arg = ours;
        }
    lw_features not_off = ~o->features_off;
    int rc = lw_features_option(arg, &o->features_on, err);
    if (rc > 0) {
        lw_features_option(arg, &not_off, err);
        o->features_off = ~not_off;
    }
    return rc;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, TOOL ": ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '" TOOL " --help'.\n");
    return 2;
}

static int add_step(options *o, const char *pass)
{
    step *s = realloc(o->steps, (size_t)(o->nsteps + 1) * sizeof *s);
    if (!s)
        return -1;
    o->steps = s;
    o->steps[o->nsteps++].pass = pass;
    return 0;
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

/* The -O family: returns 1 when arg is one, 0 when not, -1 when malformed. */
static int parse_level(options *o, const char *arg)
{
    if (strncmp(arg, "-O", 2) != 0)
        return 0;
    const char *l = arg + 2;
    if (!*l || strcmp(l, "s") == 0) {
        o->opt_level = 2;
        o->shrink_level = 1;
    } else if (strcmp(l, "z") == 0) {
        o->opt_level = 2;
        o->shrink_level = 2;
    } else if (l[0] >= '0' && l[0] <= '4' && !l[1]) {
        o->opt_level = l[0] - '0';
        o->shrink_level = 0;
    } else {
        return -1;
    }
    /* -O0 runs no passes but still sets the levels. */
    if (strcmp(l, "0") != 0 && add_step(o, NULL) < 0)
        return -1;
    return 1;
}

/* Options that take a value: "--name VALUE", "-x VALUE" or "--name=VALUE". */
static const char *option_value(int argc, char **argv, int *i, const char *arg,
                                const char *lng, const char *shrt)
{
    size_t n = strlen(lng);
    if (strncmp(arg, lng, n) == 0 && arg[n] == '=')
        return arg + n + 1;
    if (strcmp(arg, lng) == 0 || (shrt && strcmp(arg, shrt) == 0))
        return *i + 1 < argc ? argv[++*i] : NULL;
    return NULL;
}

static bool option_is(const char *arg, const char *lng, const char *shrt)
{
    size_t n = strlen(lng);
    return strcmp(arg, lng) == 0 || (shrt && strcmp(arg, shrt) == 0) ||
           (strncmp(arg, lng, n) == 0 && arg[n] == '=');
}

static int parse_args(int argc, char **argv, options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        lw_error err;
        int rc, r = parse_level(o, a);
        if (r < 0)
            return usage_error("unknown optimization level '%s'", a);
        if (r > 0)
            continue;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--version") == 0) {
            printf(TOOL " (libwasm) %s, binaryen library version %d\n",
                   LIBWASM_VERSION, 108);
            exit(0);
        } else if (option_is(a, "--output", "-o")) {
            if (!(v = option_value(argc, argv, &i, a, "--output", "-o")))
                return usage_error("%s needs a file name", a);
            o->output = v;
        } else if (option_is(a, "--optimize-level", "-ol")) {
            v = option_value(argc, argv, &i, a, "--optimize-level", "-ol");
            if (!v || !parse_int(v, 0, 4, &o->opt_level))
                return usage_error("%s needs a level from 0 to 4", a);
        } else if (option_is(a, "--shrink-level", "-s")) {
            v = option_value(argc, argv, &i, a, "--shrink-level", "-s");
            if (!v || !parse_int(v, 0, 2, &o->shrink_level))
                return usage_error("%s needs a level from 0 to 2", a);
        } else if (option_is(a, "--pass-arg", "-pa")) {
            v = option_value(argc, argv, &i, a, "--pass-arg", "-pa");
            const char *at = v ? strchr(v, '@') : NULL;
            if (!at)
                return usage_error("%s needs KEY@VALUE", a);
            const char **pa = realloc(o->pass_args, (size_t)(o->npass_args + 2) * sizeof *pa);
            if (!pa)
                return usage_error("%s", "out of memory");
            o->pass_args = pa;
            pa[o->npass_args++] = strndup(v, (size_t)(at - v));
            pa[o->npass_args++] = at + 1;
        } else if (option_is(a, "--pass", NULL)) {
            if (!(v = option_value(argc, argv, &i, a, "--pass", NULL)) || !is_pass(v))
                return usage_error("unknown pass '%s'", v ? v : "");
            add_step(o, v);
        } else if (option_is(a, "--always-inline-max-function-size", "-aimfs")) {
            v = option_value(argc, argv, &i, a, "--always-inline-max-function-size", "-aimfs");
            if (!v || !parse_int(v, 0, 1 << 30, &o->always_inline))
                return usage_error("%s needs a size", a);
        } else if (option_is(a, "--flexible-inline-max-function-size", "-fimfs")) {
            v = option_value(argc, argv, &i, a, "--flexible-inline-max-function-size", "-fimfs");
            if (!v || !parse_int(v, 0, 1 << 30, &o->flexible_inline))
                return usage_error("%s needs a size", a);
        } else if (option_is(a, "--one-caller-inline-max-function-size", "-ocimfs")) {
            v = option_value(argc, argv, &i, a, "--one-caller-inline-max-function-size", "-ocimfs");
            if (!v || !parse_int(v, -1, 1 << 30, &o->one_caller_inline))
                return usage_error("%s needs a size", a);
        } else if (option_is(a, "--inline-functions-with-loops", "-ifwl")) {
            o->inline_loops = true;
        } else if (option_is(a, "--converge", "-c")) {
            o->converge = true;
        } else if (option_is(a, "--debuginfo", "-g")) {
            o->debuginfo = true;
        } else if (option_is(a, "--emit-text", "-S")) {
            o->emit_text = true;
        } else if (strcmp(a, "--stats") == 0) {
            o->stats = true;
        } else if (option_is(a, "--quiet", "-q")) {
            o->quiet = true;
        } else if (option_is(a, "--no-validation", "-n")) {
            o->validate = false;
        } else if (option_is(a, "--fast-math", "-ffm")) {
            o->fast_math = true;
        } else if (option_is(a, "--low-memory-unused", "-lmu")) {
            o->low_memory_unused = true;
        } else if (option_is(a, "--zero-filled-memory", "-uim")) {
            o->zero_filled_memory = true;
        } else if (option_is(a, "--ignore-implicit-traps", "-iit")) {
            o->ignore_implicit_traps = true;
        } else if (option_is(a, "--traps-never-happen", "-tnh")) {
            o->traps_never_happen = true;
        } else if (option_is(a, "--all-features", "-all") || strcmp(a, "--enable-all") == 0) {
            o->all = true;
            o->mvp = false;
        } else if (option_is(a, "--mvp-features", "-mvp")) {
            o->mvp = true;
            o->all = false;
            o->features_on = 0;
        } else if (strcmp(a, "--detect-features") == 0) {
            continue;
        } else if ((rc = feature_option(o, a, &err)) != 0) {
            if (rc < 0)
                return usage_error("%s", err.message);
        } else if (strncmp(a, "--", 2) == 0 && is_pass(a + 2)) {
            add_step(o, a + 2);
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (o->input) {
            return usage_error("more than one input file ('%s')", a);
        } else {
            o->input = a;
        }
    }
    if (!o->input)
        return usage_error("%s", "no input file");
    return 0;
}

/* The libwasm features the run uses: 2.0 by default (the other tools'
 * default, 3.0, has much that libbinaryen 108 cannot read). */
static lw_features our_features(const options *o)
{
    lw_features f = o->mvp ? 0 : o->all ? lw_features_all() : lw_features_wasm2();
    return (f | o->features_on) & ~o->features_off;
}

static BinaryenFeatures binaryen_features(lw_features f)
{
    static const struct {
        lw_features ours;
        BinaryenFeatures (*theirs)(void);
    } map[] = {
        {LW_FEATURE(MUTABLE_GLOBALS), BinaryenFeatureMutableGlobals},
        {LW_FEATURE(SIGN_EXT), BinaryenFeatureSignExt},
        {LW_FEATURE(SAT_FLOAT_TO_INT), BinaryenFeatureNontrappingFPToInt},
        {LW_FEATURE(MULTI_VALUE), BinaryenFeatureMultivalue},
        {LW_FEATURE(BULK_MEMORY), BinaryenFeatureBulkMemory},
        {LW_FEATURE(REFERENCE_TYPES), BinaryenFeatureReferenceTypes},
        {LW_FEATURE(SIMD), BinaryenFeatureSIMD128},
        {LW_FEATURE(TAIL_CALL), BinaryenFeatureTailCall},
        {LW_FEATURE(EXTENDED_CONST), BinaryenFeatureExtendedConst},
        {LW_FEATURE(MEMORY64), BinaryenFeatureMemory64},
        {LW_FEATURE(THREADS), BinaryenFeatureAtomics},
        {LW_FEATURE(EXCEPTIONS), BinaryenFeatureExceptionHandling},
        {LW_FEATURE(RELAXED_SIMD), BinaryenFeatureRelaxedSIMD},
        {LW_FEATURE(GC), BinaryenFeatureGC},
    };
    BinaryenFeatures b = BinaryenFeatureMVP();
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (f & map[i].ours)
            b |= map[i].theirs();
    return b;
}

static void report(const char *file, const lw_error *err)
{
    char msg[400];
    lw_error_format(err, msg, sizeof msg);
    fprintf(stderr, TOOL ": %s: %s\n", file, msg);
}

/* Does the module (valid under `features`) use something of `feature`:
 * is it no longer valid without it? */
static bool uses_feature(const uint8_t *data, size_t n, bool binary, lw_features features,
                         lw_features feature)
{
    if (!(features & feature))
        return false;
    lw_features without = features & ~feature;
    lw_error err;
    lw_error_clear(&err);
    lw_module *plain = binary ? lw_module_decode(data, n, without, &err)
                              : lw_module_parse_text((const char *)data, n, without, &err);
    bool uses = !plain || lw_module_validate(plain, &err) != 0;
    lw_module_free(plain);
    return uses;
}

static bool is_exn_type(lw_valtype t)
{
    return lw_valtype_is_ref(t) &&
           (lw_valtype_heap(t) == LW_HEAP_EXN || lw_valtype_heap(t) == LW_HEAP_NOEXN);
}

/* Exception handling as 3.0 has it, which libbinaryen 108 predates (it
 * reads the legacy try, catch, delegate and rethrow): try_table,
 * throw_ref, and exnref anywhere, in a type or an instruction. */
static bool uses_new_exceptions(const lw_module *m)
{
    for (uint32_t i = 0; i < m->ntypes; i++) {
        const lw_functype *t = &m->types[i];
        for (uint32_t j = 0; j < t->nparams; j++)
            if (is_exn_type(t->params[j]))
                return true;
        for (uint32_t j = 0; j < t->nresults; j++)
            if (is_exn_type(t->results[j]))
                return true;
    }
    for (uint32_t i = 0; i < m->nglobals; i++)
        if (is_exn_type(m->globals[i].type))
            return true;
    for (uint32_t i = 0; i < m->ntables; i++)
        if (is_exn_type(m->tables[i].reftype))
            return true;
    bool found = false;
    for (uint32_t i = 0; i < m->ncodes && !found; i++) {
        const lw_code *c = &m->codes[i];
        for (uint32_t j = 0; j < c->nlocalgroups; j++)
            found |= is_exn_type(c->localgroups[j].type);
        lw_instr_iter it;
        lw_instr_line line;
        lw_error err;
        lw_instr_iter_init(&it, c->body.code, c->body.len, c->body.offset);
        while (!found && lw_instr_iter_next(&it, &line, &err) == 1)
            found = line.bytes[0] == 0x1f || line.bytes[0] == 0x0a ||
                    strstr(line.text, "exn") != NULL;
        lw_instr_iter_free(&it);
    }
    return found;
}

/* Drop the custom sections metadata.code.* from a binary in place:
 * their offsets point into code that binaryen rewrites. */
static void drop_code_metadata(uint8_t *data, size_t *n)
{
    lw_error err;
    lw_reader r;
    lw_reader_init(&r, data, *n, &err);
    const uint8_t *head;
    if (lw_read_bytes(&r, 8, &head) < 0)
        return;
    uint8_t *out = data + 8;
    while (r.p < r.end) {
        const uint8_t *start = r.p, *body, *name;
        uint8_t id;
        uint32_t size, len;
        if (lw_read_u8(&r, &id) < 0 || lw_read_u32(&r, &size) < 0 ||
            lw_read_bytes(&r, size, &body) < 0)
            return;   /* validated already: cannot happen */
        lw_reader sub = lw_reader_sub(&r, body, size);
        if (id == 0 && lw_read_name(&sub, &name, &len) == 0 && len > 14 &&
            memcmp(name, "metadata.code.", 14) == 0)
            continue;
        memmove(out, start, (size_t)(r.p - start));
        out += r.p - start;
    }
    *n = (size_t)(out - data);
}

/* What libwasm accepts and libbinaryen 108 cannot read (it aborts on
 * a second memory and on 64-bit tables, and knows only older encodings
 * of relaxed SIMD, typed function references and GC): NULL, or
 * the feature to name when refusing the module.  memory64's memories it
 * reads. */
static const char *binaryen_lacks(const lw_module *m, const uint8_t *data, size_t n,
                                  bool binary, lw_features features)
{
    if (uses_feature(data, n, binary, features, LW_FEATURE(RELAXED_SIMD)))
        return "relaxed-simd (relaxed SIMD instructions)";
    if (uses_feature(data, n, binary, features, LW_FEATURE(GC)))
        return "gc (recursion groups, subtypes, struct and array types, GC instructions)";
    if (uses_feature(data, n, binary, features,
                     LW_FEATURE(FUNCTION_REFERENCES) | LW_FEATURE(GC)))
        return "function-references (typed function references)";
    if ((features & LW_FEATURE(EXCEPTIONS)) && uses_new_exceptions(m))
        return "exceptions (try_table, throw_ref or exnref)";
    if (m->nmems > 1)
        return "multi-memory (more than one memory)";
    for (uint32_t i = 0; i < m->ntables; i++)
        if (m->tables[i].limits.is64)
            return "table64 (a 64-bit table)";
    return NULL;
}

/* Input bytes for binaryen: the file itself when binary, else our encoding
 * of the parsed text.  The module has been validated by libwasm. */
static int load_input(const options *o, uint8_t **bytes, size_t *len)
{
    lw_error err;
    uint8_t *data;
    size_t n;
    lw_format format;
    if (lw_module_read_file(o->input, &data, &n, &format, &err) < 0) {
        report(o->input, &err);
        return -1;
    }
    bool binary = format == LW_FORMAT_BINARY;
    lw_module *m = binary ? lw_module_decode(data, n, our_features(o), &err)
                            : lw_module_parse_text((const char *)data, n, our_features(o), &err);
    int rc = m && lw_module_validate(m, &err) == 0 ? 0 : -1;
    const char *lacks = rc == 0 ? binaryen_lacks(m, data, n, binary, our_features(o)) : NULL;
    if (lacks) {
        fprintf(stderr, TOOL ": %s: %s is not supported by libbinaryen 108\n",
                o->input, lacks);
        free(data);
        lw_module_free(m);
        return -1;
    }
    if (rc == 0 && !binary) {
        free(data);
        data = NULL;
        rc = lw_module_encode(m, &data, &n, &err);
    }
    if (rc < 0) {
        report(o->input, &err);
        free(data);
    } else {
        drop_code_metadata(data, &n);
        *bytes = data;
        *len = n;
    }
    lw_module_free(m);
    return rc;
}

static void set_global_options(const options *o)
{
    BinaryenSetOptimizeLevel(o->opt_level);
    BinaryenSetShrinkLevel(o->shrink_level);
    BinaryenSetDebugInfo(o->debuginfo);
    BinaryenSetFastMath(o->fast_math);
    BinaryenSetLowMemoryUnused(o->low_memory_unused);
    BinaryenSetZeroFilledMemory(o->zero_filled_memory);
    BinaryenClearPassArguments();
    for (int i = 0; i + 1 < o->npass_args; i += 2)
        BinaryenSetPassArgument(o->pass_args[i], o->pass_args[i + 1]);
    if (o->always_inline >= 0)
        BinaryenSetAlwaysInlineMaxSize((BinaryenIndex)o->always_inline);
    if (o->flexible_inline >= 0)
        BinaryenSetFlexibleInlineMaxSize((BinaryenIndex)o->flexible_inline);
    if (o->one_caller_inline != -2)
        BinaryenSetOneCallerInlineMaxSize((BinaryenIndex)o->one_caller_inline);
    BinaryenSetAllowInliningFunctionsWithLoops(o->inline_loops);
}

/* Run the steps in order; consecutive named passes go to binaryen together,
 * as its command line does. */
static void run_steps(BinaryenModuleRef mod, const options *o)
{
    const char **batch = malloc((size_t)(o->nsteps + 1) * sizeof *batch);
    int n = 0;
    for (int i = 0; i <= o->nsteps; i++) {
        bool flush = i == o->nsteps || !o->steps[i].pass;
        if (flush && n) {
            BinaryenModuleRunPasses(mod, batch, (BinaryenIndex)n);
            n = 0;
        }
        if (i == o->nsteps)
            break;
        if (o->steps[i].pass)
            batch[n++] = o->steps[i].pass;
        else
            BinaryenModuleOptimize(mod);
    }
    free(batch);
}

static size_t binary_size(BinaryenModuleRef mod)
{
    BinaryenModuleAllocateAndWriteResult r = BinaryenModuleAllocateAndWrite(mod, NULL);
    free(r.binary);
    free(r.sourceMap);
    return r.binaryBytes;
}

static const char *steps_text(const options *o, char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < o->nsteps && k < size; i++) {
        const char *s = o->steps[i].pass;
        char lvl[16];
        if (!s) {
            if (o->shrink_level)
                snprintf(lvl, sizeof lvl, "-O%s", o->shrink_level == 2 ? "z" : "s");
            else
                snprintf(lvl, sizeof lvl, "-O%d", o->opt_level);
            s = lvl;
        }
        k += (size_t)snprintf(buf + k, size - k, "%s%s%s", k ? " " : "",
                              o->steps[i].pass ? "--" : "", s);
    }
    return k ? buf : "(no passes)";
}

/* Write atomically: a temporary file beside the target, then rename. */
static int write_output(const char *path, const void *data, size_t len)
{
    if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0)
        return fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : -1;
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return -1;
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    int rc = -1;
    if (f) {
        bool ok = fwrite(data, 1, len, f) == len;
        ok = (fclose(f) == 0) && ok;
        if (ok && rename(tmp, path) == 0)
            rc = 0;
        else
            unlink(tmp);
    }
    if (rc < 0)
        fprintf(stderr, TOOL ": %s: cannot write: %s\n", path, strerror(errno));
    free(tmp);
    return rc;
}

/* --stats: sizes by section, functions and code, before and after. */
static void section_sizes(const uint8_t *bytes, size_t len, lw_features f,
                          uint64_t sizes[14], uint32_t *nfuncs)
{
    memset(sizes, 0, 14 * sizeof sizes[0]);
    *nfuncs = 0;
    lw_error err;
    lw_module *m = lw_module_decode(bytes, len, f, &err);
    if (!m)
        return;
    for (uint32_t i = 0; i < m->nsections; i++)
        sizes[m->sections[i].id < 13 ? m->sections[i].id : 0] += m->sections[i].size;
    *nfuncs = m->nfuncs - m->nfunc_imports;
    lw_module_free(m);
}

static void print_stats(const options *o, const uint8_t *before, size_t nbefore,
                        const uint8_t *after, size_t nafter)
{
    static const char *const names[] = {
        "custom", "type", "import", "function", "table", "memory", "global",
        "export", "start", "elem", "code", "data", "datacount",
    };
    uint64_t a[14], b[14];
    uint32_t fa, fb;
    section_sizes(before, nbefore, our_features(o), a, &fa);
    section_sizes(after, nafter, our_features(o), b, &fb);
    fprintf(stderr, "%-12s %10s %10s %8s\n", "section", "before", "after", "change");
    for (int i = 1; i <= 13; i++) {
        int id = i % 13; /* custom sections last */
        if (!a[id] && !b[id])
            continue;
        if (!a[id] || !b[id]) {
            fprintf(stderr, "%-12s %10llu %10llu %8s\n", names[id], (unsigned long long)a[id],
                    (unsigned long long)b[id], a[id] ? "gone" : "new");
            continue;
        }
        fprintf(stderr, "%-12s %10llu %10llu %+7.1f%%\n", names[id],
                (unsigned long long)a[id], (unsigned long long)b[id],
                100.0 * ((double)b[id] - (double)a[id]) / (double)a[id]);
    }
    fprintf(stderr, "%-12s %10zu %10zu %+7.1f%%\n", "total", nbefore, nafter,
            100.0 * ((double)nafter - (double)nbefore) / (double)nbefore);
    fprintf(stderr, "%-12s %10u %10u %+8d\n", "functions", fa, fb, (int)fb - (int)fa);
}

/* ---- binaryen in a child process ---------------------------------------- */

/* The step the child is in, kept in memory shared with the parent. */
enum { STEP_READ, STEP_PASSES, STEP_WRITE };
static const char *const step_names[] = {
    "reading the module", "running the passes", "writing the module",
};

/* What the child hands back: the binary, and the text with -S. */
typedef struct {
    uint8_t *binary;
    size_t nbinary;
    char *text;
    size_t ntext;
} bn_output;

static bool write_all(int fd, const void *p, size_t n)
{
    for (const char *c = p; n;) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

static bool send_block(int fd, const void *p, size_t n)
{
    uint64_t len = n;
    return write_all(fd, &len, sizeof len) && write_all(fd, p, n);
}

static _Noreturn void child_run(const options *o, const uint8_t *in, size_t nin,
                                volatile int *step, int out)
{
    set_global_options(o);
    *step = STEP_READ;
    BinaryenModuleRef mod = BinaryenModuleRead((char *)in, nin);
    BinaryenModuleSetFeatures(mod, (BinaryenModuleGetFeatures(mod) | binaryen_features(our_features(o))) &
                                       ~binaryen_features(o->features_off));
    *step = STEP_PASSES;
    run_steps(mod, o);
    if (o->converge && o->nsteps) {
        size_t last = binary_size(mod);
        for (;;) {
            run_steps(mod, o);
            size_t now = binary_size(mod);
            if (now >= last)
                break;
            last = now;
        }
    }
    *step = STEP_WRITE;
    BinaryenModuleAllocateAndWriteResult r = BinaryenModuleAllocateAndWrite(mod, NULL);
    char *text = o->emit_text ? BinaryenModuleAllocateAndWriteText(mod) : NULL;
    bool ok = send_block(out, r.binary, r.binaryBytes) &&
              send_block(out, text, text ? strlen(text) : 0);
    fflush(stdout);   /* what passes such as --print wrote */
    _exit(ok ? 0 : 1);
}

static bool take_block(const uint8_t **p, const uint8_t *end, uint8_t **out, size_t *n)
{
    uint64_t len;
    if ((size_t)(end - *p) < sizeof len)
        return false;
    memcpy(&len, *p, sizeof len);
    *p += sizeof len;
    if (len > (uint64_t)(end - *p) || !(*out = malloc(len + 1)))
        return false;
    memcpy(*out, *p, len);
    (*out)[len] = 0;
    *p += len;
    *n = len;
    return true;
}

/* Everything the child sends, then its two blocks. */
static bool receive(int fd, bn_output *r)
{
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            uint8_t *b = realloc(buf, cap = cap ? 2 * cap : 65536);
            if (!b)
                break;
            buf = b;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    const uint8_t *p = buf, *end = buf + n;
    bool ok = buf && take_block(&p, end, &r->binary, &r->nbinary) &&
              take_block(&p, end, (uint8_t **)&r->text, &r->ntext) && p == end;
    free(buf);
    return ok;
}

/* binaryen's own words, on one line: "[parse exception: X]Fatal: Y" gives
 * "parse exception: X; Fatal: Y". */
static void binaryen_said(FILE *f, char *out, size_t size)
{
    size_t n = 0;
    rewind(f);
    for (int c; n + 1 < size && (c = getc(f)) != EOF;) {
        if (c == '[' && n == 0)
            continue;
        if (c == ']' || c == '\n') {
            if (n && out[n - 1] != ' ' && n + 3 < size) {
                out[n++] = ';';
                out[n++] = ' ';
            }
            continue;
        }
        if (c != ' ' || (n && out[n - 1] != ' '))
            out[n++] = (char)c;
    }
    while (n && (out[n - 1] == ' ' || out[n - 1] == ';'))
        n--;
    out[n] = 0;
}

static void copy_to_stderr(FILE *f)
{
    rewind(f);
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;)
        fwrite(buf, 1, n, stderr);
}

static void report_child(const options *o, int status, int step, FILE *errs)
{
    char said[600], how[64] = "";
    binaryen_said(errs, said, sizeof said);
    if (WIFSIGNALED(status))
        snprintf(how, sizeof how, WTERMSIG(status) == SIGABRT ? " (aborted)" : " (%s)",
                 strsignal(WTERMSIG(status)));
    fprintf(stderr, TOOL ": %s: binaryen failed while %s%s%s%s; nothing written\n", o->input,
            step_names[step], how, *said ? ": " : "", said);
}

/* Binaryen's part of the run: read, passes, write.  0, or -1 reported. */
static int run_binaryen(const options *o, const uint8_t *in, size_t nin, bn_output *r)
{
    int *step = mmap(NULL, sizeof *step, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    FILE *errs = tmpfile();
    int fds[2] = {-1, -1};
    if (step == MAP_FAILED || !errs || pipe(fds) < 0) {
        fprintf(stderr, TOOL ": cannot start binaryen: %s\n", strerror(errno));
        if (errs)
            fclose(errs);
        if (step != MAP_FAILED)
            munmap(step, sizeof *step);
        return -1;
    }
    *step = STEP_READ;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        dup2(fileno(errs), 2);
        child_run(o, in, nin, step, fds[1]);
    }
    close(fds[1]);
    bool got = pid > 0 && receive(fds[0], r);
    close(fds[0]);
    int status = 0;
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        continue;
    int rc = 0;
    if (pid < 0 || !got || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        report_child(o, pid < 0 ? 0 : status, *step, errs);
        rc = -1;
    } else {
        copy_to_stderr(errs);   /* binaryen's warnings */
    }
    fclose(errs);
    munmap(step, sizeof *step);
    return rc;
}

/* Validate binaryen's output, then print stats and write it. */
static int finish(const options *o, const uint8_t *in, size_t nin, const bn_output *out)
{
    if (o->validate) {
        lw_error err;
        lw_module *check = lw_module_load(out->binary, out->nbinary, lw_features_all(), &err);
        if (!check) {
            char what[512], msg[400];
            lw_error_format(&err, msg, sizeof msg);
            fprintf(stderr, TOOL ": %s: binaryen's output after %s is not valid: %s; nothing written\n",
                    o->input, steps_text(o, what, sizeof what), msg);
            return 1;
        }
        lw_module_free(check);
    }
    if (o->stats)
        print_stats(o, in, nin, out->binary, out->nbinary);
    if (!o->output)
        return 0;
    if (o->emit_text)
        return write_output(o->output, out->text, out->ntext) < 0;
    return write_output(o->output, out->binary, out->nbinary) < 0;
}

static int optimize(const options *o)
{
    uint8_t *in;
    size_t nin;
    if (load_input(o, &in, &nin) < 0)
        return 1;
    bn_output out = {0};
    int rc = run_binaryen(o, in, nin, &out) < 0 ? 1 : finish(o, in, nin, &out);
    free(out.binary);
    free(out.text);
    free(in);
    return rc;
}

int main(int argc, char **argv)
{
    options o = {0};
    o.validate = true;
    o.opt_level = 0;
    o.shrink_level = 0;
    o.always_inline = o.flexible_inline = -1;
    o.one_caller_inline = -2;
    int rc = parse_args(argc, argv, &o);
    if (rc == 0)
        rc = optimize(&o);
    for (int i = 0; i < o.npass_args; i += 2)
        free((void *)o.pass_args[i]);
    free(o.pass_args);
    free(o.steps);
    return rc;
}
