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

static void dh_value(const wasm_val *v, char *buf, size_t size)
{
    switch (v->type) {
    case WASM_I32: snprintf(buf, size, "i32:%" PRId32, v->of.i32); break;
    case WASM_I64: snprintf(buf, size, "i64:%" PRId64, v->of.i64); break;
    case WASM_F32: snprintf(buf, size, "f32:0x%08" PRIx32, v->of.f32); break;
    case WASM_F64: snprintf(buf, size, "f64:0x%016" PRIx64, v->of.f64); break;
    case WASM_V128: {
        uint32_t l[4];
        memcpy(l, v->of.v128, 16);
        snprintf(buf, size, "v128:0x%08" PRIx32 ",0x%08" PRIx32 ",0x%08" PRIx32
                 ",0x%08" PRIx32, l[0], l[1], l[2], l[3]);
        break;
    }
    default: snprintf(buf, size, "ref"); break;
    }
}

static int dh_log(wasm_host_call *call, const wasm_val *args, wasm_val *results)
{
    const wasm_functype *t = wasm_host_user(call);
    char buf[128];
    printf("[LoggingExternalInterface logging");
    for (uint32_t i = 0; i < t->nparams; i++) {
        if (args[i].type == WASM_I64) {
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

static int dh_call(wasm_store *s, wasm_func *f, wasm_val *results, wasm_error *err)
{
    const wasm_functype *t = wasm_func_type(f);
    wasm_val args[t->nparams ? t->nparams : 1];
    memset(args, 0, sizeof args);
    for (uint32_t i = 0; i < t->nparams; i++)
        args[i].type = t->params[i];
    return wasm_func_call(s, f, args, t->nparams, results, t->nresults, err);
}

static void dh_export(wasm_store *s, wasm_instance *inst, const char *name)
{
    wasm_extern ext, hang;
    wasm_error err;
    wasm_val results[64];
    if (!wasm_instance_export(inst, name, &ext) || ext.kind != WASM_EXTERN_FUNC)
        return;
    printf("[fuzz-exec] calling %s\n", name);
    const wasm_functype *t = wasm_func_type(ext.of.func);
    if (t->nresults > 64) {
        printf("[skip too many results]\n");
        return;
    }
    if (wasm_instance_export(inst, "hangLimitInitializer", &hang) &&
        hang.kind == WASM_EXTERN_FUNC && dh_call(s, hang.of.func, results, &err) != 0) {
        printf("[trap %s]\n", err.message);
        return;
    }
    if (dh_call(s, ext.of.func, results, &err) != 0) {
        printf("[%s %s]\n", err.kind == WASM_ERR_TRAP ? "trap" : "host limit", err.message);
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
    wasm_error err;
    char msg[512];
    wasm_module *m = wasm_module_load_file(argv[1], wasm_features_all(), &err);
    if (!m || wasm_module_validate(m, &err) != 0) {
        wasm_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s: %s\n", argv[1], msg);
        wasm_module_free(m);
        return 1;
    }
    wasm_store *s = wasm_store_new(NULL);
    wasm_linker *l = wasm_linker_new(s);
    int rc = 0;
    for (uint32_t i = 0; i < m->nimports && rc == 0; i++) {
        const wasm_import *im = &m->imports[i];
        if (im->kind != WASM_EXTERN_FUNC || strcmp(im->module, "fuzzing-support") != 0 ||
            strncmp(im->name, "log-", 4) != 0) {
            fprintf(stderr, "%s: unsupported import %s.%s\n", argv[1], im->module, im->name);
            rc = 3;
            break;
        }
        const wasm_functype *t = &m->types[im->desc.func];
        wasm_linker_define_host(l, im->module, im->name, t, dh_log, (void *)t);
    }
    wasm_instance *inst = NULL;
    if (rc == 0) {
        inst = wasm_linker_instantiate(l, m, &err);
        if (!inst && err.kind != WASM_ERR_TRAP) {
            wasm_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "%s: %s\n", argv[1], msg);
            rc = 1;
        } else if (!inst) {
            printf("[trap %s]\n", err.message);
        }
    }
    for (uint32_t i = 0; inst && i < m->nexports; i++)
        dh_export(s, inst, m->exports[i].name);
    fflush(stdout);
    wasm_linker_free(l);
    wasm_store_free(s);
    wasm_module_free(m);
    return rc;
}
