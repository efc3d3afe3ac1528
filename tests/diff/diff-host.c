/* Run a module the way binaryen's --fuzz-exec does, printing what happens
 * in the same shape, so tests/diff/run-diff can set the two side by side.
 *
 *   diff-host [--binaryen-125] FILE.wasm
 *
 * Imports from "fuzzing-support" are logging functions: each call prints
 * "[LoggingExternalInterface logging ARGS]", an i64 as two i32 halves (low
 * first) as binaryen 108 does.  Every exported function is then called in
 * export order with zero arguments, after "hangLimitInitializer" when the
 * module exports one.  Values carry their type ("i32:5", "f64:0x...",
 * "v128:0x...,0x...,0x...,0x...", "ref:null", "ref:function",
 * "ref:i31ref(-3)", "ref:object") since binaryen's text does not.
 *
 * --binaryen-125 adds the imports of binaryen 125's fuzzing support.
 * What JavaScript would throw is an exception of the tag "jstag" (an
 * externref), which a catch_all takes; "wasmtag" (an i32) is the tag of
 * wasm exceptions the host throws.  throw (v) throws a JavaScript one
 * when v is 0, else a wasm one with v.  call-export (index, flags) calls
 * the module's export of that index (any kind counted) with zero
 * arguments, as JavaScript would: no such function, one with an i64,
 * v128, exnref or non-nullable reference parameter, or a v128 or exnref
 * result, throws; an
 * exception of the callee goes on to the
 * caller.  call-export-catch does the same but returns 1 when the callee
 * threw, else 0 (binaryen's interpreter lets a trap through); call-ref
 * and call-ref-catch do the same with a funcref.  table-get
 * and table-set read and write the table exported as "table" (no such
 * table, or an index past its end, throws).  sleep (ms, id) returns id.
 * A trap prints "[trap ...]" once, where it happens; an exception that
 * leaves the export "[exception thrown ...]".
 *
 * Exit status: 0 ran, 3 the module needs an import we do not provide,
 * 4 it has an instruction libwasm does not implement, 5 it reads a
 * non-nullable local before setting it (in code after a branch, which
 * binaryen accepts and the spec does not), 1 it does not load or link
 * otherwise. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libwasm.h"

/* A reference as binaryen 125's --fuzz-exec writes it (what JavaScript
 * would see): "null", "function", "i31ref(N)" (N signed, also for an
 * externalized i31), else "object". */
static const char *dh_ref(lw_store *s, const lw_val *v, char *buf, size_t size)
{
    lw_val inner;
    lw_error err;
    switch (lw_ref_kind(s, v)) {
    case LW_REFKIND_NULL: return "null";
    case LW_REFKIND_FUNC: return "function";
    case LW_REFKIND_I31:
        snprintf(buf, size, "i31ref(%" PRId32 ")", lw_ref_i31(v, true));
        return buf;
    case LW_REFKIND_EXTERNAL:
        /* An externalized object comes back as it was, without allocating. */
        if (lw_ref_internalize(s, v->of.ref, &inner, &err) == 0)
            return dh_ref(s, &inner, buf, size);
        return "object";
    default: return "object";
    }
}

static void dh_value(lw_store *s, const lw_val *v, char *buf, size_t size)
{
    char ref[48];
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
    default: snprintf(buf, size, "ref:%s", dh_ref(s, v, ref, sizeof ref)); break;
    }
}

/* The run: what the host functions need. */
typedef struct {
    lw_store *s;
    const lw_module *m;
    lw_instance *inst;
    bool v125;          /* binaryen 125's fuzzing support */
    bool trap_printed;  /* the failing call's trap was printed already */
    lw_tag *js_tag, *wasm_tag;
} dh_run;

/* What JavaScript throws: an exception of jstag. */
static int dh_throw_js(lw_host_call *call, dh_run *r)
{
    lw_val v = {.type = LW_EXTERNREF, .of.ref = (void *)(uintptr_t)0xbad};
    lw_exn *e = lw_exn_new(r->s, r->js_tag, &v, 1, NULL);
    return e ? lw_host_throw(call, e) : lw_host_trap(call, "out of memory");
}

typedef struct {
    dh_run *run;
    const lw_functype *type;
} dh_import;

static int dh_log(lw_host_call *call, const lw_val *args, lw_val *results)
{
    const dh_import *im = lw_host_user(call);
    const lw_functype *t = im->type;
    char buf[128];
    printf("[LoggingExternalInterface logging");
    for (uint32_t i = 0; i < t->nparams; i++) {
        if (args[i].type == LW_I64) {
            printf(" i32:%" PRId32 " i32:%" PRId32, (int32_t)args[i].of.i64,
                   (int32_t)(args[i].of.i64 >> 32));
            continue;
        }
        dh_value(im->run->s, &args[i], buf, sizeof buf);
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

/* call-export's callee: export number index with zero arguments.
 * Returns 0, 1 when JavaScript would throw before the call (no such
 * function, a parameter it cannot pass), 2 when the callee threw
 * (err->exn), -1 when it trapped (the trap is printed). */
static int dh_call_js(dh_run *r, lw_func *f, lw_error *err);

/* A type JavaScript cannot pass or take: v128, and exception references. */
static bool dh_not_js(lw_valtype t)
{
    lw_heaptype h = lw_valtype_heap(t);
    return t == LW_V128 || (lw_valtype_is_ref(t) && (h == LW_HEAP_EXN || h == LW_HEAP_NOEXN));
}

static int dh_call_export(dh_run *r, int32_t index, lw_error *err)
{
    lw_extern ext;
    if (!r->inst || index < 0 || (uint32_t)index >= r->m->nexports ||
        r->m->exports[index].kind != LW_EXTERN_FUNC ||
        !lw_instance_export_n(r->inst, r->m->exports[index].name,
                              r->m->exports[index].name_len, &ext))
        return 1;
    return dh_call_js(r, ext.of.func, err);
}

/* f called as JavaScript calls it, with dh_call_export's results. */
static int dh_call_js(dh_run *r, lw_func *f, lw_error *err)
{
    lw_extern ext = {.kind = LW_EXTERN_FUNC, .of.func = f};
    const lw_functype *t = lw_func_type(ext.of.func);
    /* JavaScript's undefined, what it passes for every argument, fits no
     * non-nullable reference. */
    for (uint32_t i = 0; i < t->nparams; i++)
        if (t->params[i] == LW_I64 || dh_not_js(t->params[i]) ||
            (lw_valtype_is_ref(t->params[i]) && !lw_valtype_nullable(t->params[i])))
            return 1;
    for (uint32_t i = 0; i < t->nresults; i++)
        if (dh_not_js(t->results[i]))
            return 1;
    lw_val results[t->nresults ? t->nresults : 1];
    if (dh_call(r->s, ext.of.func, results, err) == 0)
        return 0;
    if (err->kind == LW_ERR_EXCEPTION)
        return 2;
    if (err->kind == LW_ERR_TRAP && !r->trap_printed)
        printf("[trap %s]\n", err->message);
    r->trap_printed = err->kind == LW_ERR_TRAP;
    return -1;
}

static int dh_export_call(lw_host_call *call, const lw_val *args, lw_val *results)
{
    const dh_import *im = lw_host_user(call);
    lw_error err;
    bool catch = im->type->nresults == 1;   /* call-export-catch, call-ref-catch */
    int rc = lw_valtype_is_ref(im->type->params[0])
                 ? (args[0].of.func ? dh_call_js(im->run, args[0].of.func, &err) : 1)
                 : dh_call_export(im->run, args[0].of.i32, &err);
    if (catch && rc >= 0) {
        results[0].of.i32 = rc != 0;
        return 0;
    }
    if (rc == 0)
        return 0;
    if (rc == 1)
        return dh_throw_js(call, im->run);
    if (rc == 2)
        return lw_host_throw(call, err.exn);
    return lw_host_trap(call, err.message);
}

static int dh_throw(lw_host_call *call, const lw_val *args, lw_val *results)
{
    const dh_import *im = lw_host_user(call);
    if (args[0].of.i32 == 0)
        return dh_throw_js(call, im->run);
    lw_exn *e = lw_exn_new(im->run->s, im->run->wasm_tag, args, 1, NULL);
    return e ? lw_host_throw(call, e) : lw_host_trap(call, "out of memory");
}

/* The table exported as "table", or NULL (JavaScript would throw). */
static lw_table *dh_table(const dh_run *r)
{
    lw_extern ext;
    if (!r->inst || !lw_instance_export(r->inst, "table", &ext) ||
        ext.kind != LW_EXTERN_TABLE)
        return NULL;
    return ext.of.table;
}

static int dh_table_get(lw_host_call *call, const lw_val *args, lw_val *results)
{
    const dh_import *im = lw_host_user(call);
    lw_table *t = dh_table(im->run);
    lw_val v;
    if (!t || lw_table_get(t, (uint32_t)args[0].of.i32, &v))
        return dh_throw_js(call, im->run);
    results[0].of.ref = v.of.ref;
    return 0;
}

static int dh_table_set(lw_host_call *call, const lw_val *args, lw_val *results)
{
    const dh_import *im = lw_host_user(call);
    lw_table *t = dh_table(im->run);
    if (!t || (uint64_t)(uint32_t)args[0].of.i32 >= lw_table_size(t))
        return dh_throw_js(call, im->run);
    lw_val v = args[1];
    v.type = lw_table_type(t).reftype;
    if (lw_table_set(t, (uint32_t)args[0].of.i32, v))
        return dh_throw_js(call, im->run);
    return 0;
}

static int dh_sleep(lw_host_call *call, const lw_val *args, lw_val *results)
{
    results[0].of.i32 = args[1].of.i32;
    return 0;
}

static void dh_export(dh_run *r, const char *name)
{
    lw_store *s = r->s;
    lw_instance *inst = r->inst;
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
    r->trap_printed = false;
    if (dh_call(s, ext.of.func, results, &err) != 0) {
        if (err.kind == LW_ERR_EXCEPTION)
            printf("[exception thrown: %s]\n",
                   err.exn && lw_exn_tag(err.exn) == r->js_tag ? "jstag" : "tag");
        else if (!r->trap_printed)
            printf("[%s %s]\n", err.kind == LW_ERR_TRAP ? "trap" : "host limit", err.message);
        r->trap_printed = false;
        return;
    }
    if (t->nresults == 0)
        return;
    printf("[fuzz-exec] note result: %s => ", name);
    if (t->nresults > 1)
        printf("(");
    for (uint32_t i = 0; i < t->nresults; i++) {
        char buf[128];
        dh_value(s, &results[i], buf, sizeof buf);
        printf("%s%s", i ? ", " : "", buf);
    }
    printf(t->nresults > 1 ? ")\n" : "\n");
}

/* The host function for import im, NULL when we do not provide it. */
static lw_host_fn dh_import_fn(const dh_run *r, const lw_import *im, const lw_functype *t)
{
    if (im->kind != LW_EXTERN_FUNC || strcmp(im->module, "fuzzing-support") != 0)
        return NULL;
    if (strncmp(im->name, "log-", 4) == 0)
        return dh_log;
    if (r->v125 && t->nparams >= 1 && t->params[0] == LW_FUNCREF &&
        ((strcmp(im->name, "call-ref") == 0 && t->nresults == 0) ||
         (strcmp(im->name, "call-ref-catch") == 0 && t->nresults == 1 &&
          t->results[0] == LW_I32)))
        return dh_export_call;
    if (!r->v125 || t->nparams < 1 || t->params[0] != LW_I32)
        return NULL;
    if (strcmp(im->name, "throw") == 0 && t->nparams == 1 && t->nresults == 0)
        return dh_throw;
    if (strcmp(im->name, "table-get") == 0 && t->nparams == 1 && t->nresults == 1 &&
        lw_valtype_is_ref(t->results[0]))
        return dh_table_get;
    if (strcmp(im->name, "table-set") == 0 && t->nparams == 2 && t->nresults == 0 &&
        lw_valtype_is_ref(t->params[1]))
        return dh_table_set;
    if (strcmp(im->name, "call-export") == 0 && t->nresults == 0)
        return dh_export_call;
    if (strcmp(im->name, "call-export-catch") == 0 && t->nresults == 1 &&
        t->results[0] == LW_I32)
        return dh_export_call;
    if (strcmp(im->name, "sleep") == 0 && t->nparams == 2 && t->params[1] == LW_I32 &&
        t->nresults == 1 && t->results[0] == LW_I32)
        return dh_sleep;
    return NULL;
}

int main(int argc, char **argv)
{
    dh_run r = {0};
    if (argc == 3 && strcmp(argv[1], "--binaryen-125") == 0) {
        r.v125 = true;
        argv++;
        argc--;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: diff-host [--binaryen-125] FILE.wasm\n");
        return 2;
    }
    lw_error err;
    char msg[512];
    lw_module *m = lw_module_load_file(argv[1], lw_features_all(), &err);
    if (!m || lw_module_validate(m, &err) != 0) {
        lw_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s: %s\n", argv[1], msg);
        lw_module_free(m);
        if (strncmp(err.message, "illegal opcode", 14) == 0)
            return 4;
        /* binaryen writes the code after a branch as it is, and there a
         * non-nullable local may be read that no local.set before it
         * initialized, which the spec's validation refuses. */
        return err.kind == LW_ERR_INVALID && strncmp(err.message, "uninitialized local", 19) == 0
                   ? 5 : 1;
    }
    lw_store *s = lw_store_new(NULL);
    lw_linker *l = lw_linker_new(s);
    dh_import *ims = calloc(m->nimports ? m->nimports : 1, sizeof *ims);
    r.s = s;
    r.m = m;
    int rc = ims ? 0 : 1;
    static const lw_valtype i32[] = {LW_I32}, ext[] = {LW_EXTERNREF};
    r.wasm_tag = lw_tag_new(s, &(lw_functype){1, 0, i32, NULL}, &err);
    r.js_tag = lw_tag_new(s, &(lw_functype){1, 0, ext, NULL}, &err);
    if (!r.wasm_tag || !r.js_tag)
        rc = 1;
    for (uint32_t i = 0; i < m->nimports && rc == 0; i++) {
        const lw_import *im = &m->imports[i];
        if (im->kind == LW_EXTERN_TAG && r.v125 && strcmp(im->module, "fuzzing-support") == 0 &&
            (strcmp(im->name, "wasmtag") == 0 || strcmp(im->name, "jstag") == 0)) {
            lw_tag *tag = strcmp(im->name, "jstag") == 0 ? r.js_tag : r.wasm_tag;
            lw_linker_define(l, im->module, im->name,
                             (lw_extern){.kind = LW_EXTERN_TAG, .of.tag = tag});
            continue;
        }
        const lw_functype *t = im->kind == LW_EXTERN_FUNC ? &m->types[im->desc.func] : NULL;
        lw_host_fn fn = dh_import_fn(&r, im, t);
        if (!fn) {
            fprintf(stderr, "%s: unsupported import %s.%s\n", argv[1], im->module, im->name);
            rc = 3;
            break;
        }
        ims[i].run = &r;
        ims[i].type = t;
        lw_linker_define_host(l, im->module, im->name, t, fn, &ims[i]);
    }
    if (rc == 0) {
        r.inst = lw_linker_instantiate(l, m, &err);
        if (!r.inst && err.kind == LW_ERR_EXCEPTION) {
            printf("[exception thrown: failed to instantiate module]\n");
        } else if (!r.inst && err.kind != LW_ERR_TRAP) {
            lw_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "%s: %s\n", argv[1], msg);
            rc = 1;
        } else if (!r.inst) {
            printf("[trap %s]\n", err.message);
        }
    }
    for (uint32_t i = 0; r.inst && i < m->nexports; i++)
        dh_export(&r, m->exports[i].name);
    fflush(stdout);
    free(ims);
    lw_linker_free(l);
    lw_store_free(s);
    lw_module_free(m);
    return rc;
}
