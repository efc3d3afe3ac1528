/* The GC heap and its collector: a collection keeps every object a root
 * reaches (frames of a deep call chain, globals, tables, exception
 * payloads, host handles) and frees the rest, counted by the heap's
 * statistics; the heap limit traps.  Frame roots are precise: a
 * reference in a local, a temporary (block and select results, pending
 * call arguments, caught exception values) or a host function's
 * arguments survives, while an integer equal to an object's address and
 * the locals of a frame a tail call replaced keep nothing alive. */
#include "interp.h"
#include "unit.h"

#include <string.h>

static const char gc_wat[] =
    "(module\n"
    "  (type $s (struct (field i32) (field (ref null $s))))\n"
    "  (type $bytes (array (mut i8)))\n"
    "  (type $cell (struct (field i32) (field (mut (ref null $cell)))))\n"
    "  (import \"host\" \"collect\" (func $collect))\n"
    "  (import \"host\" \"field\" (func $field (param structref) (result i32)))\n"
    "  (import \"host\" \"count\" (func $count (param i32) (result i32)))\n"
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
    "  (func $garbage (export \"garbage\") (param $n i32)\n"
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
    "  (func $make (export \"make\") (param $n i32) (result (ref $s))\n"
    "    (struct.new $s (local.get $n) (ref.null $s)))\n"
    "  (func (export \"big\") (param $n i32) (result (ref $bytes))\n"
    "    (array.new_default $bytes (local.get $n)))\n"
    "  (func (export \"field\") (param (ref $s)) (result i32)\n"
    "    (struct.get $s 0 (local.get 0)))\n"
    "  (func (export \"is_s\") (param anyref) (result i32)\n"
    "    (ref.test (ref $s) (local.get 0)))\n"
    "  ;; the address in a parameter and a temporary across a collection\n"
    "  (func (export \"int_not_root\") (param $addr i64) (result i64)\n"
    "    (i64.add (local.get $addr) (i64.const 0))\n"
    "    (call $collect))\n"
    "  ;; a chain of two only in a local while garbage fills the heap\n"
    "  (func (export \"local_across_alloc\") (param $n i32) (result i32)\n"
    "    (local $keep (ref null $s))\n"
    "    (local.set $keep (struct.new $s (i32.const 42)\n"
    "      (struct.new $s (i32.const 43) (ref.null $s))))\n"
    "    (call $garbage (local.get $n))\n"
    "    (i32.add (struct.get $s 0 (local.get $keep))\n"
    "             (struct.get $s 0 (struct.get $s 1 (local.get $keep)))))\n"
    "  (func (export \"block_result\") (result i32)\n"
    "    block $b (result (ref null $s))\n"
    "      (br $b (struct.new $s (i32.const 11) (ref.null $s)))\n"
    "    end\n"
    "    call $collect\n"
    "    struct.get $s 0)\n"
    "  (func (export \"call_result\") (result i32)\n"
    "    (call $make (i32.const 12))\n"
    "    call $collect\n"
    "    struct.get $s 0)\n"
    "  ;; the one not chosen is garbage\n"
    "  (func (export \"select_result\") (param $c i32) (result i32)\n"
    "    (select (result (ref null $s)) (struct.new $s (i32.const 21) (ref.null $s))\n"
    "      (struct.new $s (i32.const 22) (ref.null $s)) (local.get $c))\n"
    "    call $collect\n"
    "    struct.get $s 0)\n"
    "  (func $collect_then (result i32) (call $collect) (i32.const 1))\n"
    "  (func $take (param $r (ref null $s)) (param $k i32) (result i32)\n"
    "    (call $collect)\n"
    "    (i32.add (struct.get $s 0 (local.get $r)) (local.get $k)))\n"
    "  ;; the first argument waits on the stack while the second collects,\n"
    "  ;; then is the callee's parameter while it collects again\n"
    "  (func (export \"call_args\") (result i32)\n"
    "    (call $take (struct.new $s (i32.const 5) (ref.null $s)) (call $collect_then)))\n"
    "  (func (export \"host_args\") (result i32)\n"
    "    (call $field (struct.new $s (i32.const 77) (ref.null $s))))\n"
    "  (func (export \"host_tail_args\") (param $n i32) (result i32)\n"
    "    (return_call $field (struct.new $s (local.get $n) (ref.null $s))))\n"
    "  ;; the frame a tail call replaces holds nothing any more\n"
    "  (func (export \"tail_drops_frame\") (param $n i32) (result i32)\n"
    "    (local $mine (ref null $s))\n"
    "    (local.set $mine (struct.new $s (local.get $n) (ref.null $s)))\n"
    "    (return_call $count (struct.get $s 0 (local.get $mine))))\n"
    "  (func (export \"caught\") (result i32)\n"
    "    block $h (result (ref null $s))\n"
    "      (try_table (catch $t $h) (throw $t (struct.new $s (i32.const 31) (ref.null $s))))\n"
    "      (ref.null $s)\n"
    "    end\n"
    "    call $collect\n"
    "    struct.get $s 0)\n"
    "  (func (export \"caught_ref\") (result i32)\n"
    "    (local $e exnref)\n"
    "    block $h (result (ref null $s) exnref)\n"
    "      (try_table (catch_ref $t $h) (throw $t (struct.new $s (i32.const 33) (ref.null $s))))\n"
    "      unreachable\n"
    "    end\n"
    "    local.set $e\n"
    "    drop\n"
    "    ;; the value is only in the exception now\n"
    "    call $collect\n"
    "    block $h2 (result (ref null $s))\n"
    "      (try_table (catch $t $h2) (throw_ref (local.get $e)))\n"
    "      unreachable\n"
    "    end\n"
    "    struct.get $s 0)\n"
    "  (func (export \"caught_legacy\") (result i32)\n"
    "    try (result i32)\n"
    "      (throw $t (struct.new $s (i32.const 35) (ref.null $s)))\n"
    "    catch $t\n"
    "      call $collect\n"
    "      struct.get $s 0\n"
    "    end)\n"
    "  ;; binary trees: each node's first child waits on the stack while\n"
    "  ;; the second is made\n"
    "  (func $tree (param $d i32) (result (ref $s))\n"
    "    (if (result (ref $s)) (i32.eqz (local.get $d))\n"
    "      (then (struct.new $s (i32.const 1) (ref.null $s)))\n"
    "      (else (call $join (call $tree (i32.sub (local.get $d) (i32.const 1)))\n"
    "                        (call $tree (i32.sub (local.get $d) (i32.const 1)))))))\n"
    "  (func $join (param $a (ref $s)) (param $b (ref $s)) (result (ref $s))\n"
    "    (struct.new $s (i32.add (struct.get $s 0 (local.get $a))\n"
    "                            (struct.get $s 0 (local.get $b)))\n"
    "      (struct.new $s (i32.const 0) (local.get $b))))\n"
    "  (func (export \"trees\") (param $d i32) (result i32)\n"
    "    (struct.get $s 0 (call $tree (local.get $d))))\n"
    "  ;; a list of 1000 cells: each step drops the head, appends a cell\n"
    "  (func (export \"churn\") (param $n i32) (result i32)\n"
    "    (local $head (ref null $cell)) (local $tail (ref null $cell)) (local $c (ref null $cell))\n"
    "    (local $i i32) (local $sum i32)\n"
    "    (local.set $head (struct.new $cell (i32.const 0) (ref.null $cell)))\n"
    "    (local.set $tail (local.get $head))\n"
    "    (loop $l\n"
    "      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
    "      (local.set $c (struct.new $cell (local.get $i) (ref.null $cell)))\n"
    "      (struct.set $cell 1 (local.get $tail) (local.get $c))\n"
    "      (local.set $tail (local.get $c))\n"
    "      (if (i32.gt_u (local.get $i) (i32.const 999))\n"
    "        (then (local.set $head (struct.get $cell 1 (local.get $head)))))\n"
    "      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))\n"
    "    (loop $sum\n"
    "      (local.set $sum (i32.add (local.get $sum) (struct.get $cell 0 (local.get $head))))\n"
    "      (local.set $head (struct.get $cell 1 (local.get $head)))\n"
    "      (br_if $sum (i32.eqz (ref.is_null (local.get $head)))))\n"
    "    (local.get $sum)))\n";

typedef struct {
    lw_store *store;
    lw_module *m;
    lw_instance *inst;
    size_t objects_in_collect;
    int32_t field;            /* what host "field" read after collecting */
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

/* Collect, then read field 0 of the struct argument. */
static int host_field(lw_host_call *call, const lw_val *args, lw_val *results)
{
    gc_env *e = lw_host_user(call);
    lw_val f;
    host_collect(call, args, results);
    ck_assert_int_eq(lw_ref_get(e->store, &args[0], 0, &f), 0);
    e->field = f.of.i32;
    results[0] = f;
    return 0;
}

/* Collect; the objects left. */
static int host_count(lw_host_call *call, const lw_val *args, lw_val *results)
{
    gc_env *e = lw_host_user(call);
    host_collect(call, args, results);
    results[0] = (lw_val){.type = LW_I32, .of.i32 = (int32_t)e->objects_in_collect};
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
    static const lw_valtype structref = LW_REF(1, LW_HEAP_STRUCT), i32 = LW_I32;
    lw_functype field_t = {1, 1, &structref, &i32}, count_t = {1, 1, &i32, &i32};
    ck_assert_int_eq(lw_linker_define_host(l, "host", "field", &field_t, host_field, e), 0);
    ck_assert_int_eq(lw_linker_define_host(l, "host", "count", &count_t, host_count, e), 0);
    e->inst = lw_linker_instantiate(l, e->m, &err);
    ck_assert_msg(e->inst != NULL, "instantiate: %s", err.message);
    lw_linker_free(l);
}

static void env_free(gc_env *e)
{
    lw_store_free(e->store);
    lw_module_free(e->m);
}

static int call_val(gc_env *e, const char *name, lw_val a, lw_val *result, lw_error *err)
{
    lw_extern ext;
    ck_assert(lw_instance_export(e->inst, name, &ext));
    const lw_functype *ft = lw_func_type(ext.of.func);
    return lw_func_call(e->store, ext.of.func, &a, ft->nparams, result, ft->nresults, err);
}

static int call(gc_env *e, const char *name, int32_t arg, lw_val *result, lw_error *err)
{
    return call_val(e, name, (lw_val){.type = LW_I32, .of.i32 = arg}, result, err);
}

/* Call name (an i32 result) and return that result; fails the test on
 * any error. */
static int32_t call_i32(gc_env *e, const char *name, int32_t arg)
{
    lw_val r;
    lw_error err;
    ck_assert_msg(call(e, name, arg, &r, &err) == 0, "%s: %s", name, err.message);
    return r.of.i32;
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

START_TEST(test_integer_equal_to_address_is_no_root)
{
    gc_env e;
    env_init(&e, NULL);
    lw_val r, out;
    lw_error err;
    ck_assert_msg(call(&e, "make", 3, &r, &err) == 0, "%s", err.message);
    int64_t addr = (int64_t)(uintptr_t)r.of.ref;
    lw_val a = {.type = LW_I64, .of.i64 = addr};
    ck_assert_msg(call_val(&e, "int_not_root", a, &out, &err) == 0, "%s", err.message);
    ck_assert_int_eq(out.of.i64, addr);
    /* The struct's address was in an i64 parameter and temporary only. */
    ck_assert_uint_eq(e.objects_in_collect, 0);
    env_free(&e);
}
END_TEST

START_TEST(test_ref_local_survives_collection)
{
    gc_env e;
    env_init(&e, NULL);
    wasm_gc_stat before, after;
    wasm_gc_stats(e.store, &before);
    /* 300,000 structs of 32 bytes: past the 4 MiB that starts a collection. */
    ck_assert_int_eq(call_i32(&e, "local_across_alloc", 300000), 42 + 43);
    wasm_gc_stats(e.store, &after);
    ck_assert_uint_gt(after.collections, before.collections);
    env_free(&e);
}
END_TEST

/* Functions that keep one struct, made before a collection inside them,
 * and read it after: the field they return, and whether a host function
 * read it too. */
static const struct {
    const char *name;
    int32_t arg, want;
    bool host;
} survivors[] = {
    {"block_result", 0, 11, false},
    {"call_result", 0, 12, false},
    /* The value select did not choose is garbage already. */
    {"select_result", 1, 21, false},
    {"select_result", 0, 22, false},
    {"call_args", 0, 6, false},
    {"host_args", 0, 77, true},
    {"host_tail_args", 78, 78, true},
    {"caught", 0, 31, false},
    {"caught_legacy", 0, 35, false},
    {"caught_ref", 0, 33, false},
};

START_TEST(test_reference_survives_collection)
{
    gc_env e;
    env_init(&e, NULL);
    e.field = -1;
    ck_assert_int_eq(call_i32(&e, survivors[_i].name, survivors[_i].arg), survivors[_i].want);
    ck_assert_msg(e.objects_in_collect == 1, "%s: %zu objects alive", survivors[_i].name,
                  e.objects_in_collect);
    if (survivors[_i].host)
        ck_assert_int_eq(e.field, survivors[_i].want);
    env_free(&e);
}
END_TEST

START_TEST(test_tail_call_drops_frame)
{
    gc_env e;
    env_init(&e, NULL);
    /* The frame of a tail call's caller is gone, its locals with it. */
    ck_assert_int_eq(call_i32(&e, "tail_drops_frame", 79), 0);
    /* An exception caught with catch_ref belongs to the store, and its
     * value stays with it. */
    ck_assert_int_eq(call_i32(&e, "caught_ref", 0), 33);
    ck_assert_uint_eq(live(&e), 1);
    env_free(&e);
}
END_TEST

/* Collecting at every allocation changes no result. */
START_TEST(test_stress_every_allocation)
{
    gc_env e;
    env_init(&e, NULL);
    int32_t trees = call_i32(&e, "trees", 8), churn = call_i32(&e, "churn", 3000);
    wasm_gc_stat before, after;
    wasm_gc_stress(e.store, true);
    wasm_gc_stats(e.store, &before);
    ck_assert_int_eq(call_i32(&e, "trees", 8), trees);
    ck_assert_int_eq(trees, 1 << 8);
    ck_assert_int_eq(call_i32(&e, "churn", 3000), churn);
    ck_assert_int_eq(churn, (2001 + 3000) * 1000 / 2);
    ck_assert_int_eq(call_i32(&e, "local_across_alloc", 1000), 42 + 43);
    wasm_gc_stats(e.store, &after);
    /* A collection per allocation: the trees' 2^9 - 1 + 2^8 - 1 and the
     * list's 3001 at least. */
    ck_assert_uint_ge(after.collections - before.collections, 511 + 255 + 3001);
    env_free(&e);
}
END_TEST

/* 10^6 allocations with 1000 objects alive run in a heap of 256 KiB. */
START_TEST(test_churn_in_bounded_heap)
{
    gc_env e;
    lw_store_limits lim = {.max_heap_bytes = 256 << 10};
    env_init(&e, &lim);
    ck_assert_int_eq(call_i32(&e, "churn", 1000000), (999001 + 1000000) * 1000 / 2);
    wasm_gc_stat st;
    wasm_gc_stats(e.store, &st);
    ck_assert_uint_le(st.bytes, 256 << 10);
    ck_assert_uint_gt(st.collections, 100);
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
    tcase_add_test(tc, test_integer_equal_to_address_is_no_root);
    tcase_add_test(tc, test_ref_local_survives_collection);
    tcase_add_loop_test(tc, test_reference_survives_collection, 0, COUNTOF(survivors));
    tcase_add_test(tc, test_tail_call_drops_frame);
    tcase_add_test(tc, test_stress_every_allocation);
    tcase_add_test(tc, test_churn_in_bounded_heap);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(gc_suite)
