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
    lw_functype type;
} spectest_func;

static const lw_valtype st_i32[] = {LW_I32};
static const lw_valtype st_i64[] = {LW_I64};
static const lw_valtype st_f32[] = {LW_F32};
static const lw_valtype st_f64[] = {LW_F64};
static const lw_valtype st_i32_f32[] = {LW_I32, LW_F32};
static const lw_valtype st_f64_f64[] = {LW_F64, LW_F64};

static const spectest_func spectest_funcs[] = {
    {"print", {0, 0, NULL, NULL}},
    {"print_i32", {1, 0, st_i32, NULL}},
    {"print_i64", {1, 0, st_i64, NULL}},
    {"print_f32", {1, 0, st_f32, NULL}},
    {"print_f64", {1, 0, st_f64, NULL}},
    {"print_i32_f32", {2, 0, st_i32_f32, NULL}},
    {"print_f64_f64", {2, 0, st_f64_f64, NULL}},
};

static void spectest_print_val(const lw_val *v)
{
    float f;
    double d;

    switch (v->type) {
    case LW_I32:
        printf(" %" PRId32 " : i32", v->of.i32);
        break;
    case LW_I64:
        printf(" %" PRId64 " : i64", v->of.i64);
        break;
    case LW_F32:
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
static int spectest_print(lw_host_call *call, const lw_val *args, lw_val *results)
{
    const spectest_func *f = lw_host_user(call);
    lw_val v;

    printf("%s:", f->name);
    for (uint32_t i = 0; i < f->type.nparams; i++) {
        v = args[i];
        v.type = f->type.params[i];
        spectest_print_val(&v);
    }
    printf("\n");
    return 0;
}

static int spectest_quiet(lw_host_call *call, const lw_val *args, lw_val *results)
{
    return 0;
}

static int spectest_fail(lw_error *err, const char *name)
{
    err->kind = LW_ERR_NOMEM;
    snprintf(err->message, sizeof err->message, "cannot define spectest.%s", name);
    return -1;
}

/* Define ext unless creating it failed (err is filled then). */
static int spectest_put(lw_linker *l, const char *name, lw_extern ext,
                        bool made, lw_error *err)
{
    if (!made)
        return -1;
    if (lw_linker_define(l, "spectest", name, ext))
        return spectest_fail(err, name);
    return 0;
}

static int spectest_global(lw_linker *l, lw_store *s, const char *name,
                           lw_val val, lw_error *err)
{
    lw_globaltype type = {val.type, false};
    lw_extern ext = {.kind = LW_EXTERN_GLOBAL};

    ext.of.global = lw_global_new(s, &type, val, err);
    return spectest_put(l, name, ext, ext.of.global != NULL, err);
}

static int spectest_globals(lw_linker *l, lw_store *s, lw_error *err)
{
    lw_val v;
    float f = 666.6f;
    double d = 666.6;

    v = (lw_val){.type = LW_I32, .of.i32 = 666};
    if (spectest_global(l, s, "global_i32", v, err))
        return -1;
    v = (lw_val){.type = LW_I64, .of.i64 = 666};
    if (spectest_global(l, s, "global_i64", v, err))
        return -1;
    v = (lw_val){.type = LW_F32};
    memcpy(&v.of.f32, &f, sizeof f);
    if (spectest_global(l, s, "global_f32", v, err))
        return -1;
    v = (lw_val){.type = LW_F64};
    memcpy(&v.of.f64, &d, sizeof d);
    return spectest_global(l, s, "global_f64", v, err);
}

static int spectest_table_memory(lw_linker *l, lw_store *s, lw_error *err)
{
    lw_tabletype tt = {LW_FUNCREF, {10, 20, true, false, false}};
    lw_limits ml = {1, 2, true, false, false};
    lw_val null = {.type = LW_FUNCREF, .of.func = NULL};
    lw_extern ext = {.kind = LW_EXTERN_TABLE};

    ext.of.table = lw_table_new(s, &tt, null, err);
    if (spectest_put(l, "table", ext, ext.of.table != NULL, err))
        return -1;
    tt.limits.is64 = true;
    ext.of.table = lw_table_new(s, &tt, null, err);
    if (spectest_put(l, "table64", ext, ext.of.table != NULL, err))
        return -1;
    ext = (lw_extern){.kind = LW_EXTERN_MEMORY};
    ext.of.memory = lw_memory_new(s, &ml, err);
    if (spectest_put(l, "memory", ext, ext.of.memory != NULL, err))
        return -1;
    ml.shared = true;
    ext.of.memory = lw_memory_new(s, &ml, err);
    return spectest_put(l, "shared_memory", ext, ext.of.memory != NULL, err);
}

int spectest_define(lw_linker *l, lw_store *s, bool verbose, lw_error *err)
{
    size_t n = sizeof spectest_funcs / sizeof spectest_funcs[0];

    for (size_t i = 0; i < n; i++) {
        const spectest_func *f = &spectest_funcs[i];
        if (lw_linker_define_host(l, "spectest", f->name, &f->type,
                                  verbose ? spectest_print : spectest_quiet,
                                  (void *)f))
            return spectest_fail(err, f->name);
    }
    if (spectest_globals(l, s, err))
        return -1;
    return spectest_table_memory(l, s, err);
}
