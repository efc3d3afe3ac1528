/*
 * wasm-spec: executing the commands of one .wast script.
 *
 * Each script gets a fresh store and a linker holding "spectest" and
 * every registered instance.  Module commands bind the new instance as
 * the current one (and under its $name); a module that fails to load is
 * bound too, as a failure, so later actions on it fail with its cause.
 * Every command is one check, register and bare actions included: their
 * failures would otherwise go unseen.
 *
 * How each assertion is judged.  The reference interpreter checks that
 * the expected text is a prefix of its own message; we are more lenient:
 * our message must contain the expected text.
 *   assert_return      results bit for bit; nan:canonical/arithmetic per
 *                      value or per float lane; ref.func is any non-null
 *                      funcref; ref.extern N is the host pointer N + 1.
 *   assert_trap, assert_exhaustion
 *                      the action fails with a trap (exhaustion) whose
 *                      message contains the text.
 *   assert_malformed   the text parse or binary decode fails; validation
 *                      is not run.  Messages of text modules are compared
 *                      too unless --no-text-messages: they are the
 *                      reference parser's wording and wabt ignores them,
 *                      but our parser follows that wording, so checking
 *                      keeps it honest.
 *   assert_invalid     parse, decode or validation rejects the module; a
 *                      parse or decode failure counts only when its kind is
 *                      "invalid", not "malformed".
 *   assert_unlinkable  the module loads and validates; linking fails.
 *   assert_uninstantiable, assert_trap on a module
 *                      the module links; instantiation traps.  What it
 *                      wrote to imported tables and memories stays.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "run.h"

typedef struct {
    const char *name;         /* "$id" or NULL */
    lw_instance *inst;      /* NULL when the module failed or is a definition */
    lw_module *def;         /* a valid module definition, else NULL */
    uint32_t line;
    char *cause;              /* why it failed (malloc'ed), or NULL */
} run_binding;

typedef struct {
    const spec_options *opt;
    lw_store *store;
    lw_linker *linker;
    lw_module **modules;    /* every module given to the linker */
    size_t nmodules, capmodules;
    run_binding *bindings;    /* every module command, in script order */
    size_t nbindings, capbindings;
    char cause[256];
    char detail[1024];
    char backtrace[4096];     /* of the failing action's trap, or "" */
} run_state;

typedef enum {
    STAGE_PARSE,              /* text parse or binary decode */
    STAGE_VALIDATE,
    STAGE_LINK,
    STAGE_RUN,                /* instantiation: segments, start function */
    STAGE_DONE,
} run_stage;

/* What an action did. */
typedef struct {
    bool returned;            /* else err says why */
    lw_error err;
    uint32_t nresults;
    lw_val *results;        /* malloc'ed, types set */
} run_outcome;

/* ---- watchdog: interrupt a command that runs too long ---- */

static lw_store *volatile watch_store;
static volatile sig_atomic_t watch_idle;
static unsigned watch_limit;
static bool watch_exit;

/* Once a second.  Interrupt the guest when the command has run too long;
 * if that does not end it, exit when allowed (an isolated child). */
static void watch_tick(int sig)
{
    (void)sig;
    watch_idle++;
    if (!watch_limit || (unsigned)watch_idle < watch_limit)
        return;
    if (watch_store)
        lw_store_interrupt(watch_store);
    if (watch_exit && (unsigned)watch_idle >= watch_limit + 5)
        _exit(SPEC_EXIT_TIMEOUT);
}

void spec_watch_hard(void)
{
    watch_exit = true;
}

static void watch_setup(unsigned seconds)
{
    struct sigaction sa;
    struct itimerval it = {{1, 0}, {1, 0}};

    if (!seconds || watch_limit)
        return;
    watch_limit = seconds;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = watch_tick;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
}

static void watch_start(lw_store *s)
{
    watch_store = s;
}

static void watch_stop(void)
{
    watch_store = NULL;
}

/* ---- reporting ---- */

static const char *run_command_name(uint8_t kind)
{
    static const char *const names[] = {
        "module", "register", "action", "assert_return", "assert_trap",
        "assert_exhaustion", "assert_invalid", "assert_malformed",
        "assert_unlinkable", "assert_uninstantiable", "assert_exception",
        "module instance",
    };
    return kind < sizeof names / sizeof names[0] ? names[kind] : "command";
}

static void run_report(run_state *r, const lw_command *c, bool ok)
{
    spec_result res = {c->line, run_command_name(c->kind), ok,
                       ok ? NULL : r->cause, ok ? NULL : r->detail,
                       ok || !r->backtrace[0] ? NULL : r->backtrace};

    r->opt->report(r->opt->user, &res);
}

__attribute__((format(printf, 2, 3)))
static void run_cause(run_state *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(r->cause, sizeof r->cause, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void run_detail(run_state *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(r->detail, sizeof r->detail, fmt, ap);
    va_end(ap);
}

/* A trap's frames, innermost first, as lines in r->backtrace; the
 * frames a deep stack left out are one line between its two halves. */
static void run_backtrace(run_state *r, const lw_error *err)
{
    char *p = r->backtrace, *end = r->backtrace + sizeof r->backtrace;

    *p = '\0';
    for (uint32_t i = 0; i < err->nframes && end - p > 1; i++) {
        const lw_frame *f = &err->frames[i];
        if (err->frames_omitted && i == LW_MAX_FRAMES / 2)
            p += snprintf(p, (size_t)(end - p), "  ... %u frames omitted ...\n",
                          err->frames_omitted);
        if (end - p <= 1)
            break;
        p += snprintf(p, (size_t)(end - p), "  at %s (func[%u])", f->name ? f->name : "?",
                      f->func_index);
        if (f->code_offset && end - p > 1)
            p += snprintf(p, (size_t)(end - p), " @ 0x%x", f->code_offset);
        if (end - p > 1)
            p += snprintf(p, (size_t)(end - p), "\n");
    }
}

static const char *run_text(const lw_command *c)
{
    return c->text ? c->text : "";
}

static bool run_message_has(const lw_error *err, const char *want)
{
    return strstr(err->message, want) != NULL;
}

static const char *run_errword(lw_errkind kind)
{
    switch (kind) {
    case LW_ERR_TRAP:
        return "trap";
    case LW_ERR_EXHAUSTION:
        return "exhaustion";
    case LW_ERR_EXCEPTION:
        return "exception";
    default:
        return lw_errkind_name(kind);
    }
}

/* ---- values ---- */

static uint64_t run_lane(const uint8_t *bytes, unsigned width)
{
    uint64_t v = 0;

    for (unsigned i = width; i-- > 0;)
        v = v << 8 | bytes[i];
    return v;
}

static bool run_nan_ok(uint8_t kind, uint64_t bits, unsigned width)
{
    uint64_t quiet = width == 4 ? 0x7fc00000u : 0x7ff8000000000000u;
    uint64_t mag = width == 4 ? 0x7fffffffu : 0x7fffffffffffffffu;

    if (kind == LW_EXPECT_NAN_CANONICAL)
        return (bits & mag) == quiet;
    return (bits & quiet) == quiet;
}

static bool run_v128_ok(const lw_expect *e, const uint8_t *got)
{
    unsigned width = e->lane_float / 8;

    if (!e->nlanes || (width != 4 && width != 8))
        return memcmp(e->val.of.v128, got, 16) == 0;
    for (unsigned i = 0; i < e->nlanes && (i + 1) * width <= 16; i++) {
        const uint8_t *g = got + i * width;
        if (e->lanes[i] == LW_EXPECT_VALUE) {
            if (memcmp(e->val.of.v128 + i * width, g, width))
                return false;
        } else if (!run_nan_ok(e->lanes[i], run_lane(g, width), width)) {
            return false;
        }
    }
    return true;
}

static bool run_value_ok(const lw_expect *e, const lw_val *v)
{
    switch (v->type) {
    case LW_I32:
        return v->of.i32 == e->val.of.i32;
    case LW_I64:
        return v->of.i64 == e->val.of.i64;
    case LW_F32:
        return v->of.f32 == e->val.of.f32;
    case LW_F64:
        return v->of.f64 == e->val.of.f64;
    case LW_V128:
        return run_v128_ok(e, v->of.v128);
    default:
        return v->of.ref == e->val.of.ref;
    }
}

/* The store whose results are being judged: concrete types are its
 * canonical ids, and GC references its objects. */
static lw_store *run_store;

/* The top of a reference type's hierarchy: func, extern, exn or any.  A
 * script's own types are abstract; a result's may be concrete. */
static lw_heaptype run_ref_top(lw_valtype t)
{
    lw_heaptype h = lw_valtype_heap(t);
    if (lw_heaptype_is_concrete(h))
        return run_store ? lw_ref_top(run_store, t) : LW_HEAP_FUNC;
    if (h == LW_HEAP_FUNC || h == LW_HEAP_NOFUNC)
        return LW_HEAP_FUNC;
    if (h == LW_HEAP_EXTERN || h == LW_HEAP_NOEXTERN)
        return LW_HEAP_EXTERN;
    return h == LW_HEAP_EXN || h == LW_HEAP_NOEXN ? LW_HEAP_EXN : LW_HEAP_ANY;
}

/* ref.struct, ref.array, ref.i31, ref.eq, ref.any: a reference of that kind. */
static bool run_ref_kind_is(const lw_expect *e, const lw_val *v)
{
    if (!lw_valtype_is_ref(v->type) || !run_store)
        return false;
    lw_refkind k = lw_ref_kind(run_store, v);
    switch (lw_valtype_heap(e->val.type)) {
    case LW_HEAP_STRUCT: return k == LW_REFKIND_STRUCT;
    case LW_HEAP_ARRAY: return k == LW_REFKIND_ARRAY;
    case LW_HEAP_I31: return k == LW_REFKIND_I31;
    case LW_HEAP_EQ:
        return k == LW_REFKIND_STRUCT || k == LW_REFKIND_ARRAY || k == LW_REFKIND_I31;
    default:
        return run_ref_top(v->type) == LW_HEAP_ANY && k != LW_REFKIND_NULL;
    }
}

/* A reference result fits an expected reference of the same hierarchy
 * (the result's static type may be any type there). */
static bool run_ref_kind_ok(const lw_expect *e, const lw_val *v)
{
    return lw_valtype_is_ref(v->type) && lw_valtype_is_ref(e->val.type) &&
           run_ref_top(v->type) == run_ref_top(e->val.type);
}

static bool run_expect_ok(const lw_expect *e, const lw_val *v)
{
    if (e->kind == LW_EXPECT_EITHER) {
        for (uint32_t i = 0; i < e->nalts; i++)
            if (run_expect_ok(&e->alts[i], v))
                return true;
        return false;
    }
    if (e->kind == LW_EXPECT_REF_FUNC)
        return lw_valtype_is_ref(v->type) && run_ref_top(v->type) == LW_HEAP_FUNC &&
               v->of.func != NULL;
    if (e->kind == LW_EXPECT_REF_KIND)
        return run_ref_kind_is(e, v);
    if (e->kind == LW_EXPECT_REF_HOST)
        return lw_valtype_is_ref(v->type) && run_store &&
               lw_ref_kind(run_store, v) == LW_REFKIND_HOST &&
               lw_ref_host(run_store, v) == e->val.of.ref;
    if (e->kind == LW_EXPECT_REF_EXTERN && !e->val.of.ref)
        return lw_valtype_is_ref(v->type) && run_ref_top(v->type) == LW_HEAP_EXTERN &&
               v->of.ref != NULL;
    if (e->kind == LW_EXPECT_REF_NULL && e->val.type == 0)
        return lw_valtype_is_ref(v->type) && v->of.ref == LW_REF_NULL;
    if ((e->kind == LW_EXPECT_REF_NULL || e->kind == LW_EXPECT_REF_EXTERN) &&
        !run_ref_kind_ok(e, v))
        return false;
    if (!lw_valtype_is_ref(v->type) && v->type != e->val.type)
        return false;
    switch (e->kind) {
    case LW_EXPECT_VALUE:
        return run_value_ok(e, v);
    case LW_EXPECT_NAN_CANONICAL:
    case LW_EXPECT_NAN_ARITHMETIC:
        if (v->type == LW_F32)
            return run_nan_ok(e->kind, v->of.f32, 4);
        return v->type == LW_F64 && run_nan_ok(e->kind, v->of.f64, 8);
    case LW_EXPECT_REF_NULL:
        return v->of.ref == LW_REF_NULL;
    case LW_EXPECT_REF_EXTERN:
        return v->of.ref == e->val.of.ref;
    default:
        return false;
    }
}

static void run_format_ref(char *buf, size_t size, const lw_val *v)
{
    uintptr_t p = (uintptr_t)v->of.ref;
    lw_heaptype top = run_ref_top(v->type);

    if (top == LW_HEAP_FUNC)
        snprintf(buf, size, v->of.func ? "ref.func" : "ref.null func");
    else if (top == LW_HEAP_ANY)
        snprintf(buf, size, p ? "ref.any" : "ref.null any");
    else if (!p)
        snprintf(buf, size, "ref.null extern");
    else
        snprintf(buf, size, "ref.extern %lu", (unsigned long)(p - 1));
}

static void run_format_v128(char *buf, size_t size, const uint8_t *b)
{
    snprintf(buf, size, "v128:0x%08lx 0x%08lx 0x%08lx 0x%08lx",
             (unsigned long)run_lane(b, 4), (unsigned long)run_lane(b + 4, 4),
             (unsigned long)run_lane(b + 8, 4), (unsigned long)run_lane(b + 12, 4));
}

static void run_format_val(char *buf, size_t size, const lw_val *v)
{
    float f;
    double d;

    switch (v->type) {
    case LW_I32:
        snprintf(buf, size, "i32:%ld (0x%08lx)", (long)v->of.i32,
                 (unsigned long)(uint32_t)v->of.i32);
        break;
    case LW_I64:
        snprintf(buf, size, "i64:%lld (0x%016llx)", (long long)v->of.i64,
                 (unsigned long long)v->of.i64);
        break;
    case LW_F32:
        memcpy(&f, &v->of.f32, sizeof f);
        snprintf(buf, size, "f32:%.9g (0x%08lx)", f, (unsigned long)v->of.f32);
        break;
    case LW_F64:
        memcpy(&d, &v->of.f64, sizeof d);
        snprintf(buf, size, "f64:%.17g (0x%016llx)", d, (unsigned long long)v->of.f64);
        break;
    case LW_V128:
        run_format_v128(buf, size, v->of.v128);
        break;
    default:
        run_format_ref(buf, size, v);
        break;
    }
}

static const char *run_nan_name(uint8_t kind)
{
    return kind == LW_EXPECT_NAN_CANONICAL ? "nan:canonical" : "nan:arithmetic";
}

static void run_format_lanes(char *buf, size_t size, const lw_expect *e)
{
    unsigned width = e->lane_float / 8;
    size_t n = (size_t)snprintf(buf, size, "f%ux%u:", e->lane_float, e->nlanes);

    for (unsigned i = 0; i < e->nlanes && n < size && (i + 1) * width <= 16; i++) {
        if (e->lanes[i] == LW_EXPECT_VALUE)
            n += (size_t)snprintf(buf + n, size - n, " 0x%llx",
                                  (unsigned long long)run_lane(e->val.of.v128 + i * width, width));
        else
            n += (size_t)snprintf(buf + n, size - n, " %s", run_nan_name(e->lanes[i]));
    }
}

static void run_format_expect(char *buf, size_t size, const lw_expect *e)
{
    switch (e->kind) {
    case LW_EXPECT_EITHER: {
        size_t n = (size_t)snprintf(buf, size, "either");
        for (uint32_t i = 0; i < e->nalts && n < size; i++) {
            n += (size_t)snprintf(buf + n, size - n, i ? " | " : " ");
            if (n < size)
                run_format_expect(buf + n, size - n, &e->alts[i]);
            n += strlen(buf + n);
        }
        break;
    }
    case LW_EXPECT_NAN_CANONICAL:
    case LW_EXPECT_NAN_ARITHMETIC:
        snprintf(buf, size, "%s:%s", lw_valtype_name(e->val.type), run_nan_name(e->kind));
        break;
    case LW_EXPECT_REF_NULL:
        snprintf(buf, size, "ref.null%s", e->val.type == 0 ? ""
                 : run_ref_top(e->val.type) == LW_HEAP_FUNC ? " func"
                 : run_ref_top(e->val.type) == LW_HEAP_EXTERN ? " extern" : " any");
        break;
    case LW_EXPECT_REF_FUNC:
        snprintf(buf, size, "ref.func");
        break;
    default:
        if (e->val.type == LW_V128 && e->nlanes && e->lane_float)
            run_format_lanes(buf, size, e);
        else
            run_format_val(buf, size, &e->val);
        break;
    }
}

/* ---- modules ---- */

static const char *run_owner(run_stage st, const lw_script_module *sm)
{
    switch (st) {
    case STAGE_PARSE:
        return sm->kind == LW_MODSRC_BINARY ? "decoder" : "text parser";
    case STAGE_VALIDATE:
        return "validator";
    case STAGE_LINK:
        return "linker";
    default:
        return "interpreter";
    }
}

/* The error with its position; text positions become script lines. */
static void run_format_error(char *buf, size_t size, const lw_script_module *sm,
                             const lw_error *err)
{
    if (sm->kind == LW_MODSRC_TEXT && err->line > 1 && err->column)
        snprintf(buf, size, "line %u:%u: %s", sm->line + err->line - 1, err->column,
                 err->message);
    else if (sm->kind == LW_MODSRC_TEXT && err->line)
        snprintf(buf, size, "line %u: %s", sm->line + err->line - 1, err->message);
    else
        lw_error_format(err, buf, size);
}

/* Parse or decode the module, then validate it when asked. */
static run_stage run_load(run_state *r, const lw_script_module *sm, bool validate,
                          lw_module **out, lw_error *err)
{
    lw_error_clear(err);
    if (sm->kind == LW_MODSRC_BINARY)
        *out = lw_module_decode((const uint8_t *)sm->src, sm->len, r->opt->features, err);
    else
        *out = lw_module_parse_text(sm->src, sm->len, r->opt->features, err);
    if (!*out)
        return STAGE_PARSE;
    if (validate && lw_module_validate(*out, err))
        return STAGE_VALIDATE;
    return STAGE_DONE;
}

static bool run_grow(void **v, size_t *cap, size_t n, size_t size)
{
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p;

    if (n < *cap)
        return true;
    p = realloc(*v, ncap * size);
    if (!p)
        return false;
    *v = p;
    *cap = ncap;
    return true;
}

/* Instantiate m; the module is kept until the script ends since the
 * store may refer to it even when instantiation fails half way. */
/* Keep m to the end of the script (its instances use it); false, with m
 * freed, when out of memory. */
static bool run_keep(run_state *r, lw_module *m)
{
    if (!run_grow((void **)&r->modules, &r->capmodules, r->nmodules, sizeof *r->modules)) {
        lw_module_free(m);
        return false;
    }
    r->modules[r->nmodules++] = m;
    return true;
}

/* Instantiate m, which run_keep has kept. */
static run_stage run_instantiate_kept(run_state *r, lw_module *m, lw_instance **out,
                                      lw_error *err)
{
    lw_error_clear(err);
    watch_start(r->store);
    *out = lw_linker_instantiate(r->linker, m, err);
    watch_stop();
    if (*out)
        return STAGE_DONE;
    return err->kind == LW_ERR_UNLINKABLE ? STAGE_LINK : STAGE_RUN;
}

static run_stage run_instantiate(run_state *r, lw_module *m, lw_instance **out,
                                 lw_error *err)
{
    *out = NULL;
    if (!run_keep(r, m)) {
        err->kind = LW_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
        return STAGE_RUN;
    }
    return run_instantiate_kept(r, m, out, err);
}

static void run_instantiate_failure(run_state *r, run_stage st, const lw_error *err)
{
    if (st == STAGE_LINK)
        run_cause(r, "linker: %s", err->message);
    else
        run_cause(r, "interpreter: instantiation fails: %s", err->message);
    run_detail(r, "instantiation failed (%s): %s", run_errword(err->kind), err->message);
}

static void run_bind(run_state *r, const lw_command *c, const char *name,
                     lw_instance *inst, lw_module *def)
{
    run_binding *b;

    if (!run_grow((void **)&r->bindings, &r->capbindings, r->nbindings, sizeof *r->bindings))
        return;
    b = &r->bindings[r->nbindings++];
    b->name = name;
    b->inst = inst;
    b->def = def;
    b->line = c->line;
    b->cause = inst ? NULL : strdup(def ? "script: module definition, not an instance"
                                        : r->cause);
}

/* ---- actions ---- */

static const run_binding *run_binding_find(const run_state *r, const char *name)
{
    for (size_t i = r->nbindings; i-- > 0;) {
        const run_binding *b = &r->bindings[i];
        if (!name || (b->name && strcmp(b->name, name) == 0))
            return b;
    }
    return NULL;
}

static lw_instance *run_instance(run_state *r, const char *name)
{
    const run_binding *b = run_binding_find(r, name);

    if (!b) {
        run_cause(r, "script: unknown module");
        if (name)
            run_detail(r, "no module named %s", name);
        else
            run_detail(r, "no module defined");
        return NULL;
    }
    if (!b->inst) {
        run_cause(r, "%s", b->cause ? b->cause : "module failed");
        run_detail(r, "the module at line %u did not load", b->line);
    }
    return b->inst;
}

static bool run_get(run_state *r, const lw_action *a, const lw_extern *ext,
                    run_outcome *o)
{
    if (ext->kind != LW_EXTERN_GLOBAL) {
        run_cause(r, "script: export is not a global");
        run_detail(r, "export \"%s\" is a %s", a->name, lw_externkind_name(ext->kind));
        return false;
    }
    o->results = malloc(sizeof *o->results);
    if (!o->results)
        return false;
    o->results[0] = lw_global_get(ext->of.global);
    o->results[0].type = lw_global_type(ext->of.global).type;
    o->nresults = 1;
    o->returned = true;
    return true;
}

/* A script's reference argument (ref.null ht, ref.extern N) fits a
 * parameter of its hierarchy when it is not null or the parameter is
 * nullable; it is then passed as a value of the parameter's type. */
static bool run_ref_arg_fits(const lw_val *arg, lw_valtype param)
{
    return lw_valtype_is_ref(arg->type) && lw_valtype_is_ref(param) &&
           run_ref_top(arg->type) == run_ref_top(param) &&
           (arg->of.ref != LW_REF_NULL || lw_valtype_nullable(param));
}

static bool run_args_ok(run_state *r, const lw_action *a, const lw_functype *ft)
{
    run_cause(r, "script: arguments do not match the function type");
    if (ft->nparams != a->nargs) {
        run_detail(r, "\"%s\" takes %u parameters; %u arguments given", a->name,
                   ft->nparams, a->nargs);
        return false;
    }
    for (uint32_t i = 0; i < a->nargs; i++) {
        if (run_ref_arg_fits(&a->args[i], ft->params[i]))
            continue;
        if (a->args[i].type != ft->params[i]) {
            run_detail(r, "\"%s\": argument %u is %s, the parameter is %s", a->name, i,
                       lw_valtype_name(a->args[i].type), lw_valtype_name(ft->params[i]));
            return false;
        }
    }
    return true;
}

static bool run_invoke(run_state *r, const lw_action *a, const lw_extern *ext,
                       run_outcome *o)
{
    const lw_functype *ft;
    int rc;

    if (ext->kind != LW_EXTERN_FUNC) {
        run_cause(r, "script: export is not a function");
        run_detail(r, "export \"%s\" is a %s", a->name, lw_externkind_name(ext->kind));
        return false;
    }
    ft = lw_func_type(ext->of.func);
    if (!run_args_ok(r, a, ft))
        return false;
    o->results = calloc(ft->nresults + 1, sizeof *o->results);
    if (!o->results)
        return false;
    o->nresults = ft->nresults;
    lw_val *args = malloc((a->nargs + 1) * sizeof *args);
    if (!args)
        return false;
    for (uint32_t i = 0; i < a->nargs; i++) {
        args[i] = a->args[i];
        if (args[i].type == LW_REF(0, LW_HEAP_ANY) &&
            lw_ref_internalize(r->store, a->args[i].of.ref, &args[i], &o->err) < 0) {
            free(args);
            return false;
        }
        if (run_ref_arg_fits(&args[i], ft->params[i]))
            args[i].type = ft->params[i];
    }
    run_store = r->store;
    watch_start(r->store);
    rc = lw_func_call(r->store, ext->of.func, args, a->nargs, o->results,
                      ft->nresults, &o->err);
    watch_stop();
    free(args);
    for (uint32_t i = 0; i < ft->nresults; i++)
        o->results[i].type = ft->results[i];
    o->returned = rc == 0;
    return true;
}

/* Run the action; false (cause and detail set) when it could not start. */
static bool run_action(run_state *r, const lw_command *c, run_outcome *o)
{
    const lw_action *a = &c->action;
    lw_instance *inst;
    lw_extern ext;

    memset(o, 0, sizeof *o);
    if (!c->has_action) {
        run_cause(r, "script: command has no action");
        run_detail(r, "%s without an action", run_command_name(c->kind));
        return false;
    }
    inst = run_instance(r, a->module);
    if (!inst)
        return false;
    if (!lw_instance_export_n(inst, a->name, a->name_len, &ext)) {
        run_cause(r, "script: unknown export");
        run_detail(r, "the module has no export \"%s\"", a->name);
        return false;
    }
    if (a->kind == LW_ACTION_GET)
        return run_get(r, a, &ext, o);
    return run_invoke(r, a, &ext, o);
}

static bool run_returned(run_state *r, const run_outcome *o)
{
    if (o->returned)
        return true;
    run_cause(r, "interpreter: unexpected %s: %s", run_errword(o->err.kind), o->err.message);
    run_detail(r, "expected a return, got %s \"%s\"", run_errword(o->err.kind),
               o->err.message);
    return false;
}

static bool run_results_ok(run_state *r, const lw_command *c, const run_outcome *o)
{
    char want[512], got[200];

    if (o->nresults != c->nexpect) {
        run_cause(r, "script: result count does not match the function type");
        run_detail(r, "expected %u results, the function returns %u", c->nexpect, o->nresults);
        return false;
    }
    for (uint32_t i = 0; i < o->nresults; i++) {
        if (run_expect_ok(&c->expect[i], &o->results[i]))
            continue;
        run_format_expect(want, sizeof want, &c->expect[i]);
        run_format_val(got, sizeof got, &o->results[i]);
        run_cause(r, "interpreter: wrong result");
        run_detail(r, "result %u: expected %s, got %s", i, want, got);
        return false;
    }
    return true;
}

/* The action must fail with an error of kind want whose message has the text. */
static bool run_failed_as(run_state *r, const lw_command *c, const run_outcome *o,
                          lw_errkind want)
{
    const char *word = run_errword(want);

    if (o->returned) {
        run_cause(r, "interpreter: no %s", word);
        run_detail(r, "expected %s \"%s\", got a return", word, run_text(c));
        return false;
    }
    if (o->err.kind != want || !run_message_has(&o->err, run_text(c))) {
        run_cause(r, "interpreter: wrong %s, expected \"%s\"", word, run_text(c));
        run_detail(r, "expected %s \"%s\", got %s \"%s\"", word, run_text(c),
                   run_errword(o->err.kind), o->err.message);
        return false;
    }
    return true;
}

static void run_action_cmd(run_state *r, const lw_command *c)
{
    run_outcome o;
    bool ok = run_action(r, c, &o);

    switch (c->kind) {
    case LW_CMD_ASSERT_RETURN:
        ok = ok && run_returned(r, &o) && run_results_ok(r, c, &o);
        break;
    case LW_CMD_ASSERT_TRAP:
        ok = ok && run_failed_as(r, c, &o, LW_ERR_TRAP);
        break;
    case LW_CMD_ASSERT_EXHAUSTION:
        ok = ok && run_failed_as(r, c, &o, LW_ERR_EXHAUSTION);
        break;
    case LW_CMD_ASSERT_EXCEPTION:
        ok = ok && run_failed_as(r, c, &o, LW_ERR_EXCEPTION);
        break;
    default:
        ok = ok && run_returned(r, &o);
        break;
    }
    free(o.results);
    if (!ok && !o.returned)
        run_backtrace(r, &o.err);
    run_report(r, c, ok);
    r->backtrace[0] = '\0';
}

static void run_register(run_state *r, const lw_command *c)
{
    lw_instance *inst = run_instance(r, c->register_module);
    bool ok = inst != NULL;

    if (ok && lw_linker_define_instance_n(r->linker, c->register_name,
                                          c->register_name_len, inst)) {
        run_cause(r, "linker: register fails");
        run_detail(r, "cannot register the module as \"%s\"", c->register_name);
        ok = false;
    }
    run_report(r, c, ok);
}

/* ---- assertions on modules ---- */

static bool run_rejected_ok(run_state *r, const lw_command *c, run_stage st,
                            const lw_error *err, bool compare)
{
    const lw_script_module *sm = &c->module;
    char msg[400];

    if (!compare || run_message_has(err, run_text(c)))
        return true;
    run_format_error(msg, sizeof msg, sm, err);
    run_cause(r, "%s: wrong message, expected \"%s\"", run_owner(st, sm), run_text(c));
    run_detail(r, "expected \"%s\", got %s", run_text(c), msg);
    return false;
}

static bool run_malformed(run_state *r, const lw_command *c)
{
    const lw_script_module *sm = &c->module;
    lw_module *m = NULL;
    lw_error err;
    run_stage st = run_load(r, sm, false, &m, &err);
    bool compare = sm->kind == LW_MODSRC_BINARY || r->opt->text_messages;

    lw_module_free(m);
    if (st == STAGE_PARSE)
        return run_rejected_ok(r, c, st, &err, compare);
    run_cause(r, "%s: accepts malformed module: %s", run_owner(STAGE_PARSE, sm), run_text(c));
    run_detail(r, "expected malformed \"%s\", the module %s", run_text(c),
               sm->kind == LW_MODSRC_BINARY ? "decodes" : "parses");
    return false;
}

static bool run_invalid(run_state *r, const lw_command *c)
{
    const lw_script_module *sm = &c->module;
    lw_module *m = NULL;
    lw_error err;
    char msg[400];
    run_stage st = run_load(r, sm, true, &m, &err);

    lw_module_free(m);
    if (st == STAGE_DONE) {
        run_cause(r, "validator: accepts invalid module: %s", run_text(c));
        run_detail(r, "expected invalid \"%s\", the module validates", run_text(c));
        return false;
    }
    if (st == STAGE_PARSE && err.kind != LW_ERR_INVALID) {
        run_format_error(msg, sizeof msg, sm, &err);
        run_cause(r, "%s: malformed instead of invalid: %s", run_owner(st, sm), err.message);
        run_detail(r, "expected invalid \"%s\", the module does not load: %s", run_text(c), msg);
        return false;
    }
    return run_rejected_ok(r, c, st, &err, true);
}

/* Load and validate a module that must then fail to instantiate. */
static bool run_load_valid(run_state *r, const lw_command *c, lw_module **m)
{
    lw_error err;
    char msg[400];
    run_stage st = run_load(r, &c->module, true, m, &err);

    if (st == STAGE_DONE)
        return true;
    lw_module_free(*m);
    run_format_error(msg, sizeof msg, &c->module, &err);
    run_cause(r, "%s: rejects valid module: %s", run_owner(st, &c->module), err.message);
    run_detail(r, "module does not %s: %s", st == STAGE_PARSE ? "load" : "validate", msg);
    return false;
}

static void run_module(run_state *r, const lw_command *c)
{
    lw_instance *inst = NULL;
    lw_module *m = NULL;
    lw_error err;
    bool ok = run_load_valid(r, c, &m);

    /* A definition is decoded and validated, and kept for `module instance`. */
    if (ok && c->module.definition) {
        ok = run_keep(r, m);
        if (!ok)
            run_cause(r, "script: out of memory");
        run_bind(r, c, c->module.name, NULL, ok ? m : NULL);
        run_report(r, c, ok);
        return;
    }
    if (ok) {
        run_stage st = run_instantiate(r, m, &inst, &err);
        if (st != STAGE_DONE)
            run_instantiate_failure(r, st, &err);
        ok = st == STAGE_DONE;
    }
    run_bind(r, c, c->module.name, inst, NULL);
    run_report(r, c, ok);
}

/* (module instance $id? $definition?): a new instance of a definition
 * (each one has its own state). */
static void run_module_instance(run_state *r, const lw_command *c)
{
    lw_instance *inst = NULL;
    lw_module *def = NULL;
    lw_error err;
    bool ok = false;

    for (size_t i = r->nbindings; i-- > 0 && !def;) {
        const run_binding *b = &r->bindings[i];
        if (!c->instance_of || (b->name && strcmp(b->name, c->instance_of) == 0))
            def = b->def;
        if (c->instance_of && b->name && strcmp(b->name, c->instance_of) == 0)
            break;
    }
    if (!def) {
        run_cause(r, "script: unknown module definition");
        run_detail(r, "no valid module definition %s", c->instance_of ? c->instance_of : "");
    } else {
        run_stage st = run_instantiate_kept(r, def, &inst, &err);
        if (st != STAGE_DONE)
            run_instantiate_failure(r, st, &err);
        ok = st == STAGE_DONE;
    }
    run_bind(r, c, c->instance_name, inst, NULL);
    run_report(r, c, ok);
}

static bool run_unlinkable(run_state *r, const lw_command *c)
{
    lw_module *m = NULL;
    lw_instance *inst;
    lw_error err;
    run_stage st;

    if (!run_load_valid(r, c, &m))
        return false;
    st = run_instantiate(r, m, &inst, &err);
    if (st == STAGE_LINK && run_message_has(&err, run_text(c)))
        return true;
    if (st == STAGE_DONE) {
        run_cause(r, "linker: links unlinkable module: %s", run_text(c));
        run_detail(r, "expected unlinkable \"%s\", the module instantiates", run_text(c));
    } else {
        run_cause(r, "linker: wrong error, expected \"%s\"", run_text(c));
        run_detail(r, "expected unlinkable \"%s\", got %s \"%s\"", run_text(c),
                   run_errword(err.kind), err.message);
    }
    return false;
}

/* assert_trap on a module, and assert_uninstantiable: instantiation
 * (segments or the start function) must trap. */
static bool run_uninstantiable(run_state *r, const lw_command *c)
{
    lw_module *m = NULL;
    lw_instance *inst;
    lw_error err;
    run_stage st;

    if (!run_load_valid(r, c, &m))
        return false;
    st = run_instantiate(r, m, &inst, &err);
    if (st == STAGE_RUN && run_message_has(&err, run_text(c)))
        return true;
    if (st == STAGE_DONE) {
        run_cause(r, "interpreter: instantiation does not trap: %s", run_text(c));
        run_detail(r, "expected trap \"%s\", the module instantiates", run_text(c));
    } else {
        run_cause(r, "%s: wrong error, expected \"%s\"", run_owner(st, &c->module), run_text(c));
        run_detail(r, "expected trap \"%s\", got %s \"%s\"", run_text(c),
                   run_errword(err.kind), err.message);
    }
    return false;
}

static void run_command(run_state *r, const lw_command *c)
{
    switch (c->kind) {
    case LW_CMD_MODULE:
        run_module(r, c);
        return;
    case LW_CMD_INSTANCE:
        run_module_instance(r, c);
        return;
    case LW_CMD_REGISTER:
        run_register(r, c);
        return;
    case LW_CMD_ASSERT_MALFORMED:
        run_report(r, c, run_malformed(r, c));
        return;
    case LW_CMD_ASSERT_INVALID:
        run_report(r, c, run_invalid(r, c));
        return;
    case LW_CMD_ASSERT_UNLINKABLE:
        run_report(r, c, run_unlinkable(r, c));
        return;
    case LW_CMD_ASSERT_UNINSTANTIABLE:
        run_report(r, c, run_uninstantiable(r, c));
        return;
    case LW_CMD_ASSERT_TRAP:
        if (c->has_module) {
            run_report(r, c, run_uninstantiable(r, c));
            return;
        }
        break;
    default:
        break;
    }
    run_action_cmd(r, c);
}

/* ---- a whole script ---- */

static void run_fail_script(const spec_options *opt, uint32_t line, const char *cause,
                            const lw_error *err)
{
    char c[300], detail[400];
    spec_result res = {line, "script", false, c, detail, NULL};

    snprintf(c, sizeof c, "%s: %s", cause, err->message);
    lw_error_format(err, detail, sizeof detail);
    opt->report(opt->user, &res);
}

static bool run_setup(run_state *r, lw_error *err)
{
    r->store = lw_store_new(NULL);
    run_store = r->store;
    r->linker = r->store ? lw_linker_new(r->store) : NULL;
    if (!r->linker) {
        err->kind = LW_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "cannot create a store");
        return false;
    }
    return spectest_define(r->linker, r->store, r->opt->verbose, err) == 0;
}

static void run_cleanup(run_state *r)
{
    if (r->linker)
        lw_linker_free(r->linker);
    if (r->store)
        lw_store_free(r->store);
    for (size_t i = 0; i < r->nmodules; i++)
        lw_module_free(r->modules[i]);
    free(r->modules);
    for (size_t i = 0; i < r->nbindings; i++)
        free(r->bindings[i].cause);
    free(r->bindings);
}

void spec_run_script(const spec_options *opt, const char *text, size_t len)
{
    run_state r = {.opt = opt};
    lw_error err;
    lw_script *s;

    lw_error_clear(&err);
    s = lw_script_parse(text, len, &err);
    if (!s) {
        run_fail_script(opt, err.line, "script parser", &err);
        return;
    }
    watch_setup(opt->timeout);
    if (run_setup(&r, &err)) {
        for (uint32_t i = 0; i < s->ncommands; i++) {
            if (opt->current_line)
                *opt->current_line = s->commands[i].line;
            watch_idle = 0;
            run_command(&r, &s->commands[i]);
        }
        if (opt->current_line)
            *opt->current_line = 0;
    } else {
        run_fail_script(opt, 1, "interpreter: spectest setup", &err);
    }
    run_cleanup(&r);
    lw_script_free(s);
}
