/* Four threads, each with its own store, instantiate one module and make
 * their first calls at the same time: the engine's shared state (handler
 * table, compile maps, the fault handler) must be safe to reach from
 * several threads.  Run under ThreadSanitizer by tests/tools/tsan.sh. */
#include "libwasm.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define NTHREADS 4

static const char wat[] =
    "(module\n"
    "  (import \"host\" \"twice\" (func $twice (param i32) (result i32)))\n"
    "  (memory 1)\n"
    "  (table 2 funcref)\n"
    "  (elem (i32.const 0) $sum $twice)\n"
    "  (type $un (func (param i32) (result i32)))\n"
    "  (func $sum (export \"sum\") (param $n i32) (result i32)\n"
    "    (local $i i32) (local $acc i32)\n"
    "    (block $done (loop $next\n"
    "      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))\n"
    "      (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $i))\n"
    "      (local.set $acc (i32.add (local.get $acc)\n"
    "        (i32.load (i32.shl (local.get $i) (i32.const 2)))))\n"
    "      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
    "      (br $next)))\n"
    "    (local.get $acc))\n"
    "  (func (export \"indirect\") (param i32 i32) (result i32)\n"
    "    (call_indirect (type $un) (local.get 0) (local.get 1)))\n"
    "  (func (export \"grow\") (result i32) (memory.grow (i32.const 1)))\n"
    "  (func (export \"div\") (param i32) (result i32)\n"
    "    (i32.div_s (i32.const 7) (local.get 0)))\n"
    "  (func (export \"oob\") (result i32) (i32.load (i32.const -4)))\n"
    "  (func (export \"crash\") unreachable))\n";

static lw_module *module;

static int twice(lw_host_call *call, const lw_val *args, lw_val *results)
{
    results[0].of.i32 = args[0].of.i32 * 2;
    return 0;
}

static lw_val i32(int32_t v)
{
    lw_val x;
    memset(&x, 0, sizeof x);
    x.type = LW_I32;
    x.of.i32 = v;
    return x;
}

/* Call an export; returns its i32 result, or -1000 - error kind on a trap. */
static int32_t call(lw_store *s, lw_instance *inst, const char *name,
                    const lw_val *args, uint32_t nargs)
{
    lw_extern ext;
    lw_val res[1];
    lw_error err;
    if (!lw_instance_export(inst, name, &ext))
        return -2000;
    if (lw_func_call(s, ext.of.func, args, nargs, res, 1, &err))
        return -1000 - (int32_t)err.kind;
    return res[0].of.i32;
}

static void *run(void *arg)
{
    lw_error err;
    lw_store *s = lw_store_new(NULL);
    lw_extern imp;
    imp.kind = LW_EXTERN_FUNC;
    imp.of.func = lw_func_new_host(s, lw_module_func_type(module, 0), twice, NULL);
    lw_instance *inst = lw_instantiate(s, module, &imp, 1, &err);
    int ok = inst != NULL;
    lw_val zero = i32(0), n = i32(100), args[2] = {i32(21), i32(1)};
    ok = ok && call(s, inst, "sum", &n, 1) == 4950;
    ok = ok && call(s, inst, "indirect", args, 2) == 42;
    ok = ok && call(s, inst, "grow", NULL, 0) == 1;
    ok = ok && call(s, inst, "div", &zero, 1) == -1000 - LW_ERR_TRAP;
    ok = ok && call(s, inst, "oob", NULL, 0) == -1000 - LW_ERR_TRAP;
    ok = ok && call(s, inst, "crash", NULL, 0) == -1000 - LW_ERR_TRAP;
    lw_store_free(s);
    *(int *)arg = ok;
    return NULL;
}

int main(void)
{
    lw_error err;
    module = lw_module_parse_text(wat, strlen(wat), lw_features_default(), &err);
    if (!module || lw_module_validate(module, &err)) {
        printf("FAIL: module: %s\n0 passed, 1 failed\n", err.message);
        return 1;
    }
    pthread_t th[NTHREADS];
    int ok[NTHREADS];
    for (int i = 0; i < NTHREADS; i++)
        pthread_create(&th[i], NULL, run, &ok[i]);
    int passed = 0;
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(th[i], NULL);
        if (ok[i])
            passed++;
        else
            printf("FAIL: thread %d got a wrong result\n", i);
    }
    lw_module_free(module);
    printf("%d passed, %d failed\n", passed, NTHREADS - passed);
    return passed == NTHREADS ? 0 : 1;
}
