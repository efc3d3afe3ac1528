/* Exceptions, generated: the input chooses four functions whose bodies
 * nest try_table (catch, catch_all, and catch_ref followed by throw_ref),
 * the legacy try (catch, catch_all, rethrow), throws of three tags and
 * calls to later functions, around additions to an accumulator.  The
 * module is written as text, must parse, validate, encode and load again
 * from its binary; function 0 runs, and a model of the same program in C
 * must agree on the result, or on the tag and value of the exception
 * that nothing caught. */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "libwasm-tools.h"

#define EXC_FUNCS 4
#define EXC_TAGS 3
#define EXC_MAX_NODES 96
#define EXC_MAX_DEPTH 5

/* A statement of the generated program. */
enum { N_ADD, N_THROW, N_CALL, N_TRY_TABLE, N_TRY };
/* A handler: catch TAG (adds value + k), catch_all (adds k), catch_ref
 * TAG (adds value + k, then throw_ref), and in the legacy try catch TAG
 * and catch_all with rethrow after the addition. */
enum { H_CATCH, H_CATCH_ALL, H_CATCH_REF, H_RETHROW };

typedef struct exc_node {
    uint8_t kind;
    int32_t k;                      /* N_ADD, N_THROW: constant; N_CALL: callee */
    uint8_t tag;                    /* N_THROW */
    struct exc_node *body;          /* try bodies */
    uint8_t nh;                     /* handlers */
    struct { uint8_t kind, tag; int32_t k; } h[3];
    struct exc_node *next;
} exc_node;

typedef struct {
    const uint8_t *p, *end;
    exc_node nodes[EXC_MAX_NODES];
    uint32_t nnodes;
    exc_node *funcs[EXC_FUNCS];
    fuzz_text wat;
    uint32_t label;
} exc_gen;

/* Text onto the module g writes. */
#define put(g, ...) fuzz_put(&(g)->wat, __VA_ARGS__)

static uint8_t gbyte(exc_gen *g)
{
    return g->p < g->end ? *g->p++ : 0;
}

/* A list of statements for function f at nesting depth d. */
static exc_node *gen_list(exc_gen *g, uint32_t f, uint32_t d)
{
    exc_node *first = NULL, **link = &first;
    uint32_t n = gbyte(g) % 4 + 1;
    for (uint32_t i = 0; i < n && g->nnodes < EXC_MAX_NODES && g->p < g->end; i++) {
        exc_node *x = &g->nodes[g->nnodes++];
        memset(x, 0, sizeof *x);
        uint8_t b = gbyte(g);
        x->kind = b % 5;
        x->k = (int8_t)gbyte(g);
        if (x->kind == N_CALL && f + 1 >= EXC_FUNCS)
            x->kind = N_ADD;
        if ((x->kind == N_TRY_TABLE || x->kind == N_TRY) && d >= EXC_MAX_DEPTH)
            x->kind = N_THROW;
        switch (x->kind) {
        case N_THROW:
            x->tag = gbyte(g) % EXC_TAGS;
            break;
        case N_CALL:
            x->k = (int32_t)(f + 1 + gbyte(g) % (EXC_FUNCS - 1 - f));
            break;
        case N_TRY_TABLE: case N_TRY:
            x->nh = gbyte(g) % 3 + (x->kind == N_TRY_TABLE);
            for (uint8_t j = 0; j < x->nh; j++) {
                uint8_t c = gbyte(g);
                x->h[j].kind = x->kind == N_TRY_TABLE ? c % 3 : (c % 2 ? H_CATCH : H_CATCH_ALL);
                if (x->kind == N_TRY && (c & 4))
                    x->h[j].kind = H_RETHROW;
                x->h[j].tag = gbyte(g) % EXC_TAGS;
                x->h[j].k = (int8_t)gbyte(g);
            }
            /* A legacy catch_all must come last; a rethrow catches a tag. */
            if (x->kind == N_TRY)
                for (uint8_t j = 0; j + 1 < x->nh; j++)
                    if (x->h[j].kind == H_CATCH_ALL)
                        x->h[j].kind = H_CATCH;
            x->body = gen_list(g, f, d + 1);
            break;
        default:
            break;
        }
        *link = x;
        link = &x->next;
    }
    return first;
}

/* ---- the module's text ---- */

static void emit_list(exc_gen *g, const exc_node *x);

static void emit_acc_add(exc_gen *g, int32_t k)
{
    put(g, "i32.const %d i32.add local.get $acc i32.add local.set $acc\n", k);
}

static void emit_try_table(exc_gen *g, const exc_node *x)
{
    uint32_t id = g->label++;
    put(g, "block $done%u\n", id);
    for (int j = x->nh - 1; j >= 0; j--) {
        const char *rt = x->h[j].kind == H_CATCH ? " (result i32)"
                       : x->h[j].kind == H_CATCH_REF ? " (result i32 exnref)" : "";
        put(g, "block $h%u_%d%s\n", id, j, rt);
    }
    put(g, "try_table");
    for (int j = 0; j < x->nh; j++) {
        if (x->h[j].kind == H_CATCH_ALL)
            put(g, " (catch_all $h%u_%d)", id, j);
        else
            put(g, " (%s $t%u $h%u_%d)", x->h[j].kind == H_CATCH ? "catch" : "catch_ref",
                x->h[j].tag, id, j);
    }
    put(g, "\n");
    emit_list(g, x->body);
    put(g, "end\nbr $done%u\n", id);
    for (int j = 0; j < x->nh; j++) {
        put(g, "end\n");
        switch (x->h[j].kind) {
        case H_CATCH:
            emit_acc_add(g, x->h[j].k);
            break;
        case H_CATCH_ALL:
            put(g, "i32.const %d local.get $acc i32.add local.set $acc\n", x->h[j].k);
            break;
        default:
            put(g, "local.set $e\n");
            emit_acc_add(g, x->h[j].k);
            put(g, "local.get $e throw_ref\n");
            break;
        }
        put(g, "br $done%u\n", id);
    }
    put(g, "end\n");
}

static void emit_try(exc_gen *g, const exc_node *x)
{
    put(g, "try\n");
    emit_list(g, x->body);
    for (int j = 0; j < x->nh; j++) {
        if (x->h[j].kind == H_CATCH_ALL) {
            put(g, "catch_all\ni32.const %d local.get $acc i32.add local.set $acc\n",
                x->h[j].k);
            continue;
        }
        put(g, "catch $t%u\n", x->h[j].tag);
        emit_acc_add(g, x->h[j].k);
        if (x->h[j].kind == H_RETHROW)
            put(g, "rethrow 0\n");
    }
    put(g, "end\n");
}

static void emit_list(exc_gen *g, const exc_node *x)
{
    for (; x; x = x->next) {
        switch (x->kind) {
        case N_ADD:
            put(g, "i32.const %d local.get $acc i32.add local.set $acc\n", x->k);
            break;
        case N_THROW:
            put(g, "i32.const %d throw $t%u\n", x->k, x->tag);
            /* The rest of the list is unreachable; leave it out. */
            return;
        case N_CALL:
            put(g, "local.get $acc call $f%d local.get $acc i32.add local.set $acc\n", x->k);
            break;
        case N_TRY_TABLE:
            emit_try_table(g, x);
            break;
        default:
            emit_try(g, x);
            break;
        }
    }
}

static void emit_module(exc_gen *g)
{
    put(g, "(module\n");
    for (int t = 0; t < EXC_TAGS; t++)
        put(g, "(tag $t%d (export \"t%d\") (param i32))\n", t, t);
    for (uint32_t f = 0; f < EXC_FUNCS; f++) {
        put(g, "(func $f%u (export \"f%u\") (param $acc i32) (result i32) (local $e exnref)\n",
            f, f);
        emit_list(g, g->funcs[f]);
        put(g, "local.get $acc)\n");
    }
    put(g, ")\n");
}

/* ---- the model ---- */

typedef struct {
    bool thrown;
    uint8_t tag;
    int32_t val;
} exc_flow;

static exc_flow model_call(exc_gen *g, uint32_t f, int32_t arg);

static exc_flow model_list(exc_gen *g, const exc_node *x, int32_t *acc);

static bool handles(uint8_t kind, uint8_t htag, const exc_flow *fl)
{
    return kind == H_CATCH_ALL || htag == fl->tag;
}

static exc_flow model_try(exc_gen *g, const exc_node *x, int32_t *acc)
{
    exc_flow fl = model_list(g, x->body, acc);
    if (!fl.thrown)
        return fl;
    for (int j = 0; j < x->nh; j++) {
        if (!handles(x->h[j].kind, x->h[j].tag, &fl))
            continue;
        if (x->h[j].kind == H_CATCH_ALL) {
            *acc = (int32_t)((uint32_t)*acc + (uint32_t)x->h[j].k);
            return (exc_flow){0};
        }
        *acc = (int32_t)((uint32_t)*acc + (uint32_t)fl.val + (uint32_t)x->h[j].k);
        if (x->h[j].kind == H_CATCH_REF || x->h[j].kind == H_RETHROW)
            return fl;
        return (exc_flow){0};
    }
    return fl;
}

static exc_flow model_list(exc_gen *g, const exc_node *x, int32_t *acc)
{
    for (; x; x = x->next) {
        exc_flow fl = {0};
        switch (x->kind) {
        case N_ADD:
            *acc = (int32_t)((uint32_t)*acc + (uint32_t)x->k);
            break;
        case N_THROW:
            return (exc_flow){true, x->tag, x->k};
        case N_CALL:
            fl = model_call(g, (uint32_t)x->k, *acc);
            if (!fl.thrown)
                *acc = (int32_t)((uint32_t)*acc + (uint32_t)fl.val);
            break;
        default:
            fl = model_try(g, x, acc);
            break;
        }
        if (fl.thrown)
            return fl;
    }
    return (exc_flow){0};
}

static exc_flow model_call(exc_gen *g, uint32_t f, int32_t arg)
{
    int32_t acc = arg;
    exc_flow fl = model_list(g, g->funcs[f], &acc);
    if (!fl.thrown)
        fl.val = acc;
    return fl;
}

/* ---- the run ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static exc_gen g;
    memset(&g, 0, sizeof g);
    g.p = data;
    g.end = data + size;
    for (uint32_t f = 0; f < EXC_FUNCS; f++)
        g.funcs[f] = gen_list(&g, f, 0);
    emit_module(&g);
    lw_module *m = fuzz_load_text(&g.wat, lw_features_default() | LW_FEATURE(EXCEPTIONS));
    int32_t arg = (int8_t)(size ? data[0] : 0);
    exc_flow want = model_call(&g, 0, arg);

    lw_error err;
    lw_store *s = lw_store_new(NULL);
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    FUZZ_CHECK(inst, "instantiate: %s", err.message);
    lw_extern f0, tag;
    FUZZ_CHECK(lw_instance_export(inst, "f0", &f0), "no f0");
    lw_val a = {.type = LW_I32, .of.i32 = arg}, r;
    int rc = lw_func_call(s, f0.of.func, &a, 1, &r, 1, &err);
    if (!want.thrown) {
        FUZZ_CHECK(rc == 0, "expected %d, got %s: %s\n%s", want.val,
                   lw_errkind_name(err.kind), err.message, g.wat.s);
        FUZZ_CHECK(r.of.i32 == want.val, "expected %d, got %d\n%s", want.val, r.of.i32,
                   g.wat.s);
    } else {
        FUZZ_CHECK(rc != 0 && err.kind == LW_ERR_EXCEPTION,
                   "expected exception t%u %d, got %s\n%s", want.tag, want.val,
                   rc ? lw_errkind_name(err.kind) : "a return", g.wat.s);
        char name[8];
        snprintf(name, sizeof name, "t%u", want.tag);
        FUZZ_CHECK(lw_instance_export(inst, name, &tag), "no tag export");
        lw_val v;
        lw_exn_values(err.exn, &v);
        FUZZ_CHECK(lw_exn_tag(err.exn) == tag.of.tag && v.of.i32 == want.val,
                   "expected exception t%u %d, got another (value %d)\n%s", want.tag,
                   want.val, v.of.i32, g.wat.s);
    }
    lw_store_free(s);
    lw_module_free(m);
    return 0;
}
