/* Execution: a module that loads (every implemented feature on, so with
 * several memories, memory64, typed references and GC too) and imports
 * nothing is instantiated in a small store (64 pages a memory, 4 MiB of
 * GC heap, so that allocations run out), and each exported function is
 * called twice over, in export order, under a fuel bound.  Arguments are
 * the values earlier calls returned, newest first, where they fit (so
 * an object one export made reaches another export that takes it),
 * else zeros and nulls; a function with a non-nullable reference
 * parameter that nothing returned yet is skipped.  Any outcome is fine
 * except a crash, a hang, or an error kind that a well-formed call
 * cannot give.  The whole run is done twice in fresh stores and must
 * give the same outcomes, bit for bit (the interpreter is deterministic;
 * a difference means it read memory it never wrote).
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
static void fuzz_log_val(lw_store *s, fuzz_log *l, const lw_val *v)
{
    fuzz_log_add(l, &v->type, 4);
    switch (v->type) {
    case LW_I32: case LW_F32: fuzz_log_add(l, &v->of.i32, 4); break;
    case LW_I64: case LW_F64: fuzz_log_add(l, &v->of.i64, 8); break;
    case LW_V128: fuzz_log_add(l, v->of.v128, 16); break;
    default: {
        /* A reference's pointer differs between stores; its kind does not,
         * nor an i31's value or an object's length. */
        uint8_t kind = (uint8_t)lw_ref_kind(s, v);
        uint32_t more = kind == LW_REFKIND_I31 ? (uint32_t)lw_ref_i31(v, false)
                                               : lw_ref_len(s, v);
        fuzz_log_add(l, &kind, 1);
        fuzz_log_add(l, &more, 4);
    }
    }
}

static bool fuzz_run_error_ok(lw_errkind k)
{
    return k == LW_ERR_TRAP || k == LW_ERR_EXHAUSTION || k == LW_ERR_LIMIT ||
           k == LW_ERR_NOMEM || k == LW_ERR_EXCEPTION;
}

/* The values calls returned, newest last; references are held, so that
 * a collection in a later call keeps their objects. */
#define FUZZ_POOL 64
typedef struct {
    lw_val vals[FUZZ_POOL];
    uint32_t n, next;
} fuzz_pool;

static void fuzz_pool_add(lw_store *s, fuzz_pool *p, const lw_val *v)
{
    if (lw_valtype_is_ref(v->type) && v->of.ref)
        FUZZ_CHECK(lw_gc_hold(s, v), "no handle");
    p->vals[p->next] = *v;
    p->next = (p->next + 1) % FUZZ_POOL;
    if (p->n < FUZZ_POOL)
        p->n++;
}

/* Arguments for f from the pool: for each parameter, the newest value
 * that fits, else a zero or a null.  Returns -1 when f takes a
 * non-nullable reference that nothing fits. */
static int fuzz_args(lw_store *s, lw_func *f, const fuzz_pool *p, lw_val *args)
{
    const lw_functype *t = lw_func_type(f);
    memset(args, 0, t->nparams * sizeof *args);
    for (uint32_t i = 0; i < t->nparams; i++) {
        args[i].type = t->params[i];
        for (uint32_t k = 1; k <= p->n; k++) {
            const lw_val *v = &p->vals[(p->next + FUZZ_POOL - k) % FUZZ_POOL];
            if (lw_val_matches(s, v, t->params[i])) {
                args[i] = *v;
                break;
            }
        }
        if (!lw_val_matches(s, &args[i], t->params[i]))
            return -1;
    }
    return 0;
}

static void fuzz_call(lw_store *s, lw_func *f, fuzz_pool *pool, fuzz_log *log)
{
    const lw_functype *t = lw_func_type(f);
    lw_val args[t->nparams ? t->nparams : 1];
    lw_val results[t->nresults ? t->nresults : 1];
    if (fuzz_args(s, f, pool, args) < 0)
        return;
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
        fuzz_log_val(s, log, &results[i]);
        fuzz_pool_add(s, pool, &results[i]);
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
        .max_heap_bytes = 4 << 20,
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
        fuzz_pool pool = {.n = 0};
        for (uint32_t i = 0; i < 2 * m->nexports; i++) {
            const lw_export *ex = &m->exports[i % m->nexports];
            lw_extern ext;
            if (ex->kind != LW_EXTERN_FUNC)
                continue;
            FUZZ_CHECK(lw_instance_export_n(inst, ex->name, ex->name_len, &ext),
                       "export %s missing", ex->name);
            fuzz_call(s, ext.of.func, &pool, log);
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
