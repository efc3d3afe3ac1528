/*
 * The "spectest" host module that the official suite imports from:
 * print functions, four constant globals, a table and a memory, with
 * the types of the reference interpreter's spectest module.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

typedef struct {
    const char *name;
    wasm_functype type;
} spectest_func;

static const uint8_t st_i32[] = {WASM_I32};
static const uint8_t st_i64[] = {WASM_I64};
static const uint8_t st_f32[] = {WASM_F32};
static const uint8_t st_f64[] = {WASM_F64};
static const uint8_t st_i32_f32[] = {WASM_I32, WASM_F32};
static const uint8_t st_f64_f64[] = {WASM_F64, WASM_F64};

static const spectest_func spectest_funcs[] = {
    {"print", {0, 0, NULL, NULL}},
    {"print_i32", {1, 0, st_i32, NULL}},
    {"print_i64", {1, 0, st_i64, NULL}},
    {"print_f32", {1, 0, st_f32, NULL}},
    {"print_f64", {1, 0, st_f64, NULL}},
    {"print_i32_f32", {2, 0, st_i32_f32, NULL}},
    {"print_f64_f64", {2, 0, st_f64_f64, NULL}},
};

static void spectest_print_val(const wasm_val *v)
{
    float f;
    double d;

    switch (v->type) {
    case WASM_I32:
        printf(" %" PRId32 " : i32", v->of.i32);
        break;
    case WASM_I64:
        printf(" %" PRId64 " : i64", v->of.i64);
        break;
    case WASM_F32:
        memcpy(&f, &v->of.f32, sizeof f);
        printf(" %.9g : f32", f);
        break;
    default:
        memcpy(&d, &v->of.f64, sizeof d);
        printf(" %.17g : f64", d);
        break;
    }
}

/* Quiet unless -v: the suite calls these only for their side effects. */
static int spectest_print(wasm_host_call *call, const wasm_val *args, wasm_val *results)
{
    const spectest_func *f = wasm_host_user(call);
    wasm_val v;

    printf("%s:", f->name);
    for (uint32_t i = 0; i < f->type.nparams; i++) {
        v = args[i];
        v.type = f->type.params[i];
        spectest_print_val(&v);
    }
    printf("\n");
    return 0;
}

static int spectest_quiet(wasm_host_call *call, const wasm_val *args, wasm_val *results)
{
    return 0;
}

static int spectest_fail(wasm_error *err, const char *name)
{
    err->kind = WASM_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "cannot define spectest.%s", name);
    return -1;
}

/* Define ext unless creating it failed (err is filled then). */
static int spectest_put(wasm_linker *l, const char *name, wasm_extern ext,
                        bool made, wasm_error *err)
{
    if (!made)
        return -1;
    if (wasm_linker_define(l, "spectest", name, ext))
        return spectest_fail(err, name);
    return 0;
}

static int spectest_global(wasm_linker *l, wasm_store *s, const char *name,
                           wasm_val val, wasm_error *err)
{
    wasm_globaltype type = {val.type, false};
    wasm_extern ext = {.kind = WASM_EXTERN_GLOBAL};

    ext.of.global = wasm_global_new(s, &type, val, err);
    return spectest_put(l, name, ext, ext.of.global != NULL, err);
}

static int spectest_globals(wasm_linker *l, wasm_store *s, wasm_error *err)
{
    wasm_val v;
    float f = 666.6f;
    double d = 666.6;

    v = (wasm_val){.type = WASM_I32, .of.i32 = 666};
    if (spectest_global(l, s, "global_i32", v, err))
        return -1;
    v = (wasm_val){.type = WASM_I64, .of.i64 = 666};
    if (spectest_global(l, s, "global_i64", v, err))
        return -1;
    v = (wasm_val){.type = WASM_F32};
    memcpy(&v.of.f32, &f, sizeof f);
    if (spectest_global(l, s, "global_f32", v, err))
        return -1;
    v = (wasm_val){.type = WASM_F64};
    memcpy(&v.of.f64, &d, sizeof d);
    return spectest_global(l, s, "global_f64", v, err);
}

static int spectest_table_memory(wasm_linker *l, wasm_store *s, wasm_error *err)
{
    wasm_tabletype tt = {WASM_FUNCREF, {10, 20, true, false, false}};
    wasm_limits ml = {1, 2, true, false, false};
    wasm_val null = {.type = WASM_FUNCREF, .of.func = NULL};
    wasm_extern ext = {.kind = WASM_EXTERN_TABLE};

    ext.of.table = wasm_table_new(s, &tt, null, err);
    if (spectest_put(l, "table", ext, ext.of.table != NULL, err))
        return -1;
    ext = (wasm_extern){.kind = WASM_EXTERN_MEMORY};
    ext.of.memory = wasm_memory_new(s, &ml, err);
    return spectest_put(l, "memory", ext, ext.of.memory != NULL, err);
}

int spectest_define(wasm_linker *l, wasm_store *s, bool verbose, wasm_error *err)
{
    size_t n = sizeof spectest_funcs / sizeof spectest_funcs[0];

    for (size_t i = 0; i < n; i++) {
        const spectest_func *f = &spectest_funcs[i];
        if (wasm_linker_define_host(l, "spectest", f->name, &f->type,
                                    verbose ? spectest_print : spectest_quiet,
                                    (void *)f))
            return spectest_fail(err, f->name);
    }
    if (spectest_globals(l, s, err))
        return -1;
    return spectest_table_memory(l, s, err);
}
