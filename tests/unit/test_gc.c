/* The GC heap and its collector: a collection keeps every object a root
 * reaches (frames of a deep call chain, globals, tables, exception
 * payloads, host handles) and frees the rest, counted by the heap's
 * statistics; the heap limit traps. */
#include "interp.h"
#include "unit.h"

#include <string.h>

static const char gc_wat[] =
    "(module\n"
    "  (type $s (struct (field i32) (field (ref null $s))))\n"
    "  (type $bytes (array (mut i8)))\n"
    "  (import \"host\" \"collect\" (func $collect))\n"
    "  (tag $t (param (ref null $s)))\n"
    "  (global $g (export \"g\") (mut (ref null $s)) (ref.null $s))\n"
    "  (table $tab (export \"tab\") 4 anyref)\n"
    "  ;; depth levels, each keeping a struct in a local across the call below\n"
    "  (func $deep (export \"deep\") (param $n i32) (result i32)\n"
    "    (local $mine (ref null $s))\n"
    "    (local.set $mine (struct.new $s (local.get $n) (ref.null $s)))\n"
    "    (if (i32.eqz (local.get $n)) (then (call $collect) (return (i32.const 0))))\n"
    "    (i32.add (call $deep (i32.sub (local.get $n) (i32.const 1)))\n"
    "             (struct.get $s 0 (local.get $mine))))\n"
    "  (func (export \"garbage\") (param $n i32)\n"
    "    (loop $l (drop (struct.new $s (local.get $n) (ref.null $s)))\n"
    "      (local.set $n (i32.sub (local.get $n) (i32.const 1)))\n"
    "      (br_if $l (local.get $n))))\n"
    "  (func (export \"keep\") (param $n i32)\n"
    "    (global.set $g (struct.new $s (local.get $n)\n"
    "      (struct.new $s (i32.add (local.get $n) (i32.const 1)) (ref.null $s))))\n"
    "    (table.set $tab (i32.const 1) (struct.new $s (local.get $n) (ref.null $s))))\n"
    "  (func (export \"drop_all\")\n"
    "    (global.set $g (ref.null $s)) (table.set $tab (i32.const 1) (ref.null any)))\n"
    "  (func (export \"throw\") (param $n i32)\n"
    "    (throw $t (struct.new $s (local.get $n) (ref.null $s))))\n"
    "  (func (export \"make\") (param $n i32) (result (ref $s))\n"
    "    (struct.new $s (local.get $n) (ref.null $s)))\n"
    "  (func (export \"big\") (param $n i32) (result (ref $bytes))\n"
    "    (array.new_default $bytes (local.get $n)))\n"
    "  (func (export \"field\") (param (ref $s)) (result i32)\n"
    "    (struct.get $s 0 (local.get 0)))\n"
    "  (func (export \"is_s\") (param anyref) (result i32)\n"
    "    (ref.test (ref $s) (local.get 0))))\n";

typedef struct {
    lw_store *store;
    lw_module *m;
    lw_instance *inst;
    size_t objects_in_collect;
} gc_env;

static int host_collect(lw_host_call *call, const lw_val *args, lw_val *results)
{
    gc_env *e = lw_host_user(call);
    wasm_gc_stat st;
    lw_gc_collect(e->store);
    wasm_gc_stats(e->store, &st);
    e->objects_in_collect = st.objects;
    return 0;
}

static void env_init(gc_env *e, const lw_store_limits *lim)
{
    lw_error err;
    memset(e, 0, sizeof *e);
    e->store = lw_store_new(lim);
    e->m = lw_module_parse_text(gc_wat, strlen(gc_wat), lw_features_all(), &err);
    ck_assert_msg(e->m != NULL, "parse: %s", err.message);
    ck_assert_msg(lw_module_validate(e->m, &err) == 0, "validate: %s", err.message);
    lw_linker *l = lw_linker_new(e->store);
    lw_functype ft = {0, 0, NULL, NULL};
    ck_assert_int_eq(lw_linker_define_host(l, "host", "collect", &ft, host_collect, e), 0);
    e->inst = lw_linker_instantiate(l, e->m, &err);
    ck_assert_msg(e->inst != NULL, "instantiate: %s", err.message);
    lw_linker_free(l);
}

static void env_free(gc_env *e)
{
    lw_store_free(e->store);
    lw_module_free(e->m);
}

static int call(gc_env *e, const char *name, int32_t arg, lw_val *result, lw_error *err)
{
    lw_extern ext;
    ck_assert(lw_instance_export(e->inst, name, &ext));
    lw_val a = {.type = LW_I32, .of.i32 = arg};
    const lw_functype *ft = lw_func_type(ext.of.func);
    return lw_func_call(e->store, ext.of.func, &a, ft->nparams, result, ft->nresults, err);
}

static size_t live(gc_env *e)
{
    wasm_gc_stat st;
    lw_gc_collect(e->store);
    wasm_gc_stats(e->store, &st);
    return st.objects;
}

START_TEST(test_frames_keep_objects)
{
    gc_env e;
    env_init(&e, NULL);
    lw_val r;
    lw_error err;
    ck_assert_msg(call(&e, "deep", 200, &r, &err) == 0, "%s", err.message);
    /* 201 levels, each holding its struct while the innermost collects. */
    ck_assert_uint_ge(e.objects_in_collect, 201);
    ck_assert_int_eq(r.of.i32, 200 * 201 / 2);
    ck_assert_uint_eq(live(&e), 0);
    env_free(&e);
}
END_TEST

START_TEST(test_unreachable_freed)
{
    gc_env e;
    env_init(&e, NULL);
    lw_error err;
    ck_assert_msg(call(&e, "garbage", 100000, NULL, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(live(&e), 0);
    env_free(&e);
}
END_TEST

START_TEST(test_globals_tables_keep_objects)
{
    gc_env e;
    env_init(&e, NULL);
    lw_error err;
    ck_assert_msg(call(&e, "keep", 7, NULL, &err) == 0, "%s", err.message);
    ck_assert_msg(call(&e, "garbage", 50000, NULL, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(live(&e), 3);
    lw_extern ext;
    ck_assert(lw_instance_export(e.inst, "g", &ext));
    lw_val g = lw_global_get(ext.of.global), f, next;
    ck_assert_int_eq(lw_ref_kind(e.store, &g), LW_REFKIND_STRUCT);
    ck_assert_int_eq(lw_ref_get(e.store, &g, 0, &f), 0);
    ck_assert_int_eq(f.of.i32, 7);
    ck_assert_int_eq(lw_ref_get(e.store, &g, 1, &next), 0);
    ck_assert_int_eq(lw_ref_get(e.store, &next, 0, &f), 0);
    ck_assert_int_eq(f.of.i32, 8);
    ck_assert_msg(call(&e, "drop_all", 0, NULL, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(live(&e), 0);
    env_free(&e);
}
END_TEST

START_TEST(test_exception_payload_kept)
{
    gc_env e;
    env_init(&e, NULL);
    lw_error err;
    ck_assert_int_eq(call(&e, "throw", 42, NULL, &err), -1);
    ck_assert_int_eq(err.kind, LW_ERR_EXCEPTION);
    ck_assert_uint_eq(live(&e), 1);
    lw_val v, f;
    lw_exn_values(err.exn, &v);
    ck_assert_int_eq(lw_ref_get(e.store, &v, 0, &f), 0);
    ck_assert_int_eq(f.of.i32, 42);
    env_free(&e);
}
END_TEST

START_TEST(test_host_handles)
{
    gc_env e;
    env_init(&e, NULL);
    lw_val r, f;
    lw_error err;
    ck_assert_msg(call(&e, "make", 5, &r, &err) == 0, "%s", err.message);
    lw_gc_handle *h = lw_gc_hold(e.store, &r);
    ck_assert_ptr_nonnull(h);
    ck_assert_msg(call(&e, "garbage", 100000, NULL, &err) == 0, "%s", err.message);
    ck_assert_uint_eq(live(&e), 1);
    ck_assert_int_eq(lw_ref_get(e.store, &r, 0, &f), 0);
    ck_assert_int_eq(f.of.i32, 5);
    lw_gc_release(e.store, h);
    ck_assert_uint_eq(live(&e), 0);
    /* A host pointer internalized comes back as a host reference. */
    int x;
    lw_val any;
    ck_assert_int_eq(lw_ref_internalize(e.store, &x, &any, &err), 0);
    ck_assert_int_eq(lw_ref_kind(e.store, &any), LW_REFKIND_HOST);
    ck_assert_ptr_eq(lw_ref_host(e.store, &any), &x);
    env_free(&e);
}
END_TEST

/* An object one export returned goes into another as an argument: its
 * type is its object's, so a struct fits (ref $s) and anyref, and an
 * array or an i31 does not fit (ref $s) whatever type the host claims. */
START_TEST(test_host_passes_objects_back)
{
    gc_env e;
    env_init(&e, NULL);
    lw_val made, bytes, r;
    lw_error err;
    lw_extern field, is_s;
    ck_assert(lw_instance_export(e.inst, "field", &field));
    ck_assert(lw_instance_export(e.inst, "is_s", &is_s));
    ck_assert_msg(call(&e, "make", 17, &made, &err) == 0, "%s", err.message);
    ck_assert_msg(lw_func_call(e.store, field.of.func, &made, 1, &r, 1, &err) == 0, "%s",
                  err.message);
    ck_assert_int_eq(r.of.i32, 17);
    lw_val any = made;
    any.type = LW_REF(1, LW_HEAP_ANY);
    ck_assert_msg(lw_func_call(e.store, is_s.of.func, &any, 1, &r, 1, &err) == 0, "%s",
                  err.message);
    ck_assert_int_eq(r.of.i32, 1);
    ck_assert_msg(lw_func_call(e.store, field.of.func, &any, 1, &r, 1, &err) == 0, "%s",
                  err.message);
    ck_assert_int_eq(r.of.i32, 17);
    ck_assert_msg(call(&e, "big", 4, &bytes, &err) == 0, "%s", err.message);
    lw_valtype want = lw_func_type(field.of.func)->params[0];
    ck_assert(lw_val_matches(e.store, &made, want));
    ck_assert(lw_val_matches(e.store, &any, want));
    ck_assert(!lw_val_matches(e.store, &bytes, want));
    ck_assert(lw_val_matches(e.store, &bytes, LW_REF(0, LW_HEAP_ARRAY)));
    ck_assert(!lw_val_matches(e.store, &bytes, LW_REF(0, LW_HEAP_STRUCT)));
    lw_val lie = bytes;
    lie.type = want;
    ck_assert_int_eq(lw_func_call(e.store, field.of.func, &lie, 1, &r, 1, &err), -1);
    ck_assert_int_eq(err.kind, LW_ERR_USAGE);
    lw_val i31 = {.type = lie.type, .of.ref = (void *)(uintptr_t)((5 << 1) | 1)};
    ck_assert_int_eq(lw_func_call(e.store, field.of.func, &i31, 1, &r, 1, &err), -1);
    ck_assert_int_eq(err.kind, LW_ERR_USAGE);
    ck_assert_msg(lw_func_call(e.store, is_s.of.func, &bytes, 1, &r, 1, &err) == 0, "%s",
                  err.message);
    ck_assert_int_eq(r.of.i32, 0);
    env_free(&e);
}
END_TEST

START_TEST(test_heap_limit)
{
    gc_env e;
    lw_store_limits lim = {.max_heap_bytes = 1 << 20};
    env_init(&e, &lim);
    lw_val r;
    lw_error err;
    ck_assert_msg(call(&e, "big", 100000, &r, &err) == 0, "%s", err.message);
    ck_assert_int_eq(call(&e, "big", 2 << 20, &r, &err), -1);
    ck_assert_int_eq(err.kind, LW_ERR_TRAP);
    ck_assert_str_eq(err.message, "out of memory");
    /* Garbage is collected to make room under the limit. */
    for (int i = 0; i < 50; i++)
        ck_assert_msg(call(&e, "big", 200000, &r, &err) == 0, "%d: %s", i, err.message);
    env_free(&e);
}
END_TEST

static Suite *gc_suite(void)
{
    Suite *s = suite_create("gc");
    TCase *tc = tcase_create("collector");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_frames_keep_objects);
    tcase_add_test(tc, test_unreachable_freed);
    tcase_add_test(tc, test_globals_tables_keep_objects);
    tcase_add_test(tc, test_exception_payload_kept);
    tcase_add_test(tc, test_host_handles);
    tcase_add_test(tc, test_host_passes_objects_back);
    tcase_add_test(tc, test_heap_limit);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(gc_suite)
