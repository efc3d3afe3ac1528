/* Run a module the way binaryen's --fuzz-exec does, printing what happens
 * in the same shape, so tests/diff/compare.py can set the two side by side.
 *
 *   diff-host FILE.wasm
 *
 * Imports from "fuzzing-support" are logging functions: each call prints
 * "[LoggingExternalInterface logging ARGS]", an i64 as two i32 halves (low
 * first) as binaryen does.  Every exported function is then called in
 * export order with zero arguments, after "hangLimitInitializer" when the
 * module exports one.  Values carry their type ("i32:5", "f64:0x...",
 * "v128:0x...,0x...,0x...,0x...", "ref") since binaryen's text does not.
 * Exit status: 0 ran, 3 the module needs an import we do not provide,
 * 1 it does not load or link. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libwasm.h"

static void dh_value(const lw_val *v, char *buf, size_t size)
{
    switch (v->type) {
    case LW_I32: snprintf(buf, size, "i32:%" PRId32, v->of.i32); break;
    case LW_I64: snprintf(buf, size, "i64:%" PRId64, v->of.i64); break;
    case LW_F32: snprintf(buf, size, "f32:0x%08" PRIx32, v->of.f32); break;
    case LW_F64: snprintf(buf, size, "f64:0x%016" PRIx64, v->of.f64); break;
    case LW_V128: {
        uint32_t l[4];
        memcpy(l, v->of.v128, 16);
        snprintf(buf, size, "v128:0x%08" PRIx32 ",0x%08" PRIx32 ",0x%08" PRIx32
                 ",0x%08" PRIx32, l[0], l[1], l[2], l[3]);
        break;
    }
    default: snprintf(buf, size, "ref"); break;
    }
}

static int dh_log(lw_host_call *call, const lw_val *args, lw_val *results)
{
    const lw_functype *t = lw_host_user(call);
    char buf[128];
    printf("[LoggingExternalInterface logging");
    for (uint32_t i = 0; i < t->nparams; i++) {
        if (args[i].type == LW_I64) {
            printf(" i32:%" PRId32 " i32:%" PRId32, (int32_t)args[i].of.i64,
                   (int32_t)(args[i].of.i64 >> 32));
            continue;
        }
        dh_value(&args[i], buf, sizeof buf);
        printf(" %s", buf);
    }
    printf("]\n");
    return 0;
}

static int dh_call(lw_store *s, lw_func *f, lw_val *results, lw_error *err)
{
    const lw_functype *t = lw_func_type(f);
    lw_val args[t->nparams ? t->nparams : 1];
    memset(args, 0, sizeof args);
    for (uint32_t i = 0; i < t->nparams; i++)
        args[i].type = t->params[i];
    return lw_func_call(s, f, args, t->nparams, results, t->nresults, err);
}

static void dh_export(lw_store *s, lw_instance *inst, const char *name)
{
    lw_extern ext, hang;
    lw_error err;
    lw_val results[64];
    if (!lw_instance_export(inst, name, &ext) || ext.kind != LW_EXTERN_FUNC)
        return;
    printf("[fuzz-exec] calling %s\n", name);
    const lw_functype *t = lw_func_type(ext.of.func);
    if (t->nresults > 64) {
        printf("[skip too many results]\n");
        return;
    }
    if (lw_instance_export(inst, "hangLimitInitializer", &hang) &&
        hang.kind == LW_EXTERN_FUNC && dh_call(s, hang.of.func, results, &err) != 0) {
        printf("[trap %s]\n", err.message);
        return;
    }
    if (dh_call(s, ext.of.func, results, &err) != 0) {
        printf("[%s %s]\n", err.kind == LW_ERR_TRAP ? "trap" : "host limit", err.message);
        return;
    }
    if (t->nresults == 0)
        return;
    printf("[fuzz-exec] note result: %s => ", name);
    if (t->nresults > 1)
        printf("(");
    for (uint32_t i = 0; i < t->nresults; i++) {
        char buf[128];
        dh_value(&results[i], buf, sizeof buf);
        printf("%s%s", i ? ", " : "", buf);
    }
    printf(t->nresults > 1 ? ")\n" : "\n");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: diff-host FILE.wasm\n");
        return 2;
    }
    lw_error err;
    char msg[512];
    lw_module *m = lw_module_load_file(argv[1], lw_features_all(), &err);
    if (!m || lw_module_validate(m, &err) != 0) {
        lw_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s: %s\n", argv[1], msg);
        lw_module_free(m);
        return 1;
    }
    lw_store *s = lw_store_new(NULL);
    lw_linker *l = lw_linker_new(s);
    int rc = 0;
    for (uint32_t i = 0; i < m->nimports && rc == 0; i++) {
        const lw_import *im = &m->imports[i];
        if (im->kind != LW_EXTERN_FUNC || strcmp(im->module, "fuzzing-support") != 0 ||
            strncmp(im->name, "log-", 4) != 0) {
            fprintf(stderr, "%s: unsupported import %s.%s\n", argv[1], im->module, im->name);
            rc = 3;
            break;
        }
        const lw_functype *t = &m->types[im->desc.func];
        lw_linker_define_host(l, im->module, im->name, t, dh_log, (void *)t);
    }
    lw_instance *inst = NULL;
    if (rc == 0) {
        inst = lw_linker_instantiate(l, m, &err);
        if (!inst && err.kind != LW_ERR_TRAP) {
            lw_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "%s: %s\n", argv[1], msg);
            rc = 1;
        } else if (!inst) {
            printf("[trap %s]\n", err.message);
        }
    }
    for (uint32_t i = 0; inst && i < m->nexports; i++)
        dh_export(s, inst, m->exports[i].name);
    fflush(stdout);
    lw_linker_free(l);
    lw_store_free(s);
    lw_module_free(m);
    return rc;
}
