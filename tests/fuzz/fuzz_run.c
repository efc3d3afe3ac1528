/* Execution: a module that loads (every implemented feature on, so with
 * several memories, memory64 and typed references too) and imports nothing
 * is instantiated in a small store, and each exported function that takes
 * no non-nullable reference is called with zero (null) arguments
 * under a fuel bound.  Any outcome is fine except a crash, a hang, or an
 * error kind that a well-formed call cannot give.  The whole run is done
 * twice in fresh stores and must give the same outcomes, bit for bit
 * (the interpreter is deterministic; a difference means it read memory
 * it never wrote).
 *
 * Atomic instructions run single-threaded on unshared memories (a wait
 * there traps, notify wakes nobody).  A module with a shared memory is
 * not run: a wait on it without a timeout would block for good, as no
 * other thread exists to notify it. */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "libwasm.h"

#define FUZZ_FUEL 20000

/* What the calls of one run gave, as text: results or error messages. */
typedef struct {
    char *text;
    size_t len, cap;
} fuzz_log;

static void fuzz_log_add(fuzz_log *l, const void *bytes, size_t n)
{
    if (l->len + n > l->cap) {
        size_t cap = (l->len + n) * 2 + 64;
        char *t = realloc(l->text, cap);
        FUZZ_CHECK(t, "out of memory");
        l->text = t;
        l->cap = cap;
    }
    memcpy(l->text + l->len, bytes, n);
    l->len += n;
}

/* The type and the bytes that hold the value (not the union's rest). */
static void fuzz_log_val(fuzz_log *l, const lw_val *v)
{
    fuzz_log_add(l, &v->type, 1);
    switch (v->type) {
    case LW_I32: case LW_F32: fuzz_log_add(l, &v->of.i32, 4); break;
    case LW_I64: case LW_F64: fuzz_log_add(l, &v->of.i64, 8); break;
    case LW_V128: fuzz_log_add(l, v->of.v128, 16); break;
    default: {
        /* A reference's pointer differs between stores; only null-ness counts. */
        uint8_t null = v->of.ref == NULL;
        fuzz_log_add(l, &null, 1);
    }
    }
}

static bool fuzz_run_error_ok(lw_errkind k)
{
    return k == LW_ERR_TRAP || k == LW_ERR_EXHAUSTION || k == LW_ERR_LIMIT ||
           k == LW_ERR_NOMEM || k == LW_ERR_EXCEPTION;
}

static void fuzz_call(lw_store *s, lw_func *f, fuzz_log *log)
{
    const lw_functype *t = lw_func_type(f);
    /* Arguments are zeros and nulls: a non-nullable reference has none. */
    for (uint32_t i = 0; i < t->nparams; i++)
        if (lw_valtype_is_ref(t->params[i]) && !lw_valtype_nullable(t->params[i]))
            return;
    lw_val args[t->nparams ? t->nparams : 1];
    lw_val results[t->nresults ? t->nresults : 1];
    memset(args, 0, sizeof args);
    for (uint32_t i = 0; i < t->nparams; i++)
        args[i].type = t->params[i];
    lw_error err;
    lw_store_set_fuel(s, FUZZ_FUEL);
    if (lw_func_call(s, f, args, t->nparams, results, t->nresults, &err) != 0) {
        FUZZ_CHECK(fuzz_run_error_ok(err.kind), "call failed as %s: %s",
                   lw_errkind_name(err.kind), err.message);
        fuzz_log_add(log, err.message, strlen(err.message) + 1);
        return;
    }
    for (uint32_t i = 0; i < t->nresults; i++) {
        FUZZ_CHECK(results[i].type == t->results[i], "result %u has type 0x%x, not 0x%x",
                   i, results[i].type, t->results[i]);
        fuzz_log_val(log, &results[i]);
    }
}

static void fuzz_run(const lw_module *m, fuzz_log *log)
{
    lw_error err;
    lw_store_limits lim = {
        .max_memory_pages = 64,
        .max_table_elems = 10000,
        .max_stack_bytes = 256 * 1024,
        .max_call_depth = 300,
    };
    lw_store *s = lw_store_new(&lim);
    FUZZ_CHECK(s, "no store");
    lw_store_set_fuel(s, FUZZ_FUEL);
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    if (!inst) {
        FUZZ_CHECK(fuzz_run_error_ok(err.kind) || err.kind == LW_ERR_UNLINKABLE,
                   "instantiate failed as %s: %s", lw_errkind_name(err.kind),
                   err.message);
        fuzz_log_add(log, err.message, strlen(err.message) + 1);
    } else {
        for (uint32_t i = 0; i < m->nexports; i++) {
            lw_extern ext;
            if (m->exports[i].kind != LW_EXTERN_FUNC)
                continue;
            FUZZ_CHECK(lw_instance_export_n(inst, m->exports[i].name,
                                            m->exports[i].name_len, &ext),
                       "export %s missing", m->exports[i].name);
            fuzz_call(s, ext.of.func, log);
        }
    }
    lw_store_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lw_error err;
    lw_module *m = lw_module_load(data, size, lw_features_all(), &err);
    if (!m)
        return 0;
    bool shared = false;
    for (uint32_t i = 0; i < m->nmems; i++)
        shared |= m->mems[i].shared;
    if (m->nimports == 0 && !shared) {
        fuzz_log a = {0}, b = {0};
        fuzz_run(m, &a);
        fuzz_run(m, &b);
        FUZZ_CHECK(a.len == b.len && (a.len == 0 || memcmp(a.text, b.text, a.len) == 0),
                   "two runs of the same module differ");
        free(a.text);
        free(b.text);
    }
    lw_module_free(m);
    return 0;
}
