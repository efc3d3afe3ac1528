/* Exceptions through the public API: tags as objects (created by the
 * host, imported, exported, linked), host functions that throw and
 * rethrow, lw_func_call's LW_ERR_EXCEPTION with the tag and the values,
 * exceptions across instances, and a throw-and-catch loop that keeps no
 * object alive. */
#include "interp.h"
#include "unit.h"

#include <sys/resource.h>

static const lw_features exc = LW_FEATURE(EXCEPTIONS) | LW_FEATURE(TAIL_CALL);

static lw_module *load(const char *wat)
{
    lw_error err;
    lw_module *m = lw_module_parse_text(wat, strlen(wat), lw_features_wasm2() | exc, &err);
    ck_assert_msg(m != NULL, "parse: %s", err.message);
    ck_assert_msg(lw_module_validate(m, &err) == 0, "validate: %s", err.message);
    return m;
}

static lw_val i32(int32_t v)
{
    lw_val x;
    memset(&x, 0, sizeof x);
    x.type = LW_I32;
    x.of.i32 = v;
    return x;
}

static lw_func *export_func(lw_instance *inst, const char *name)
{
    lw_extern ext;
    ck_assert_msg(lw_instance_export(inst, name, &ext), "no export %s", name);
    ck_assert_int_eq(ext.kind, LW_EXTERN_FUNC);
    return ext.of.func;
}

static const lw_valtype i32_i64[] = {LW_I32, LW_I64};
static const lw_functype tag_type = {2, 0, i32_i64, NULL};

START_TEST(tag_objects)
{
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    static const lw_valtype r[] = {LW_I32};
    lw_functype with_result = {0, 1, NULL, r};
    ck_assert_ptr_null(lw_tag_new(s, &with_result, &err));
    ck_assert_int_eq(err.kind, LW_ERR_USAGE);
    ck_assert_str_eq(err.message, "non-empty tag result type");
    lw_tag *t = lw_tag_new(s, &tag_type, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert(lw_functype_equal(lw_tag_type(t), &tag_type));
    /* An exception's values are checked against its tag. */
    lw_val v[2] = {i32(1), i32(2)};
    ck_assert_ptr_null(lw_exn_new(s, t, v, 2, &err));
    ck_assert_int_eq(err.kind, LW_ERR_USAGE);
    ck_assert_ptr_null(lw_exn_new(s, t, v, 1, &err));
    v[1].type = LW_I64;
    v[1].of.i64 = -5;
    lw_exn *e = lw_exn_new(s, t, v, 2, &err);
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_eq(lw_exn_tag(e), t);
    lw_val out[2];
    lw_exn_values(e, out);
    ck_assert_int_eq(out[0].of.i32, 1);
    ck_assert_int_eq(out[1].type, LW_I64);
    ck_assert_int_eq(out[1].of.i64, -5);
    lw_store_free(s);
}
END_TEST

/* A host tag imported by a module: what the module throws reaches the
 * host as LW_ERR_EXCEPTION with that tag and the values, and the module
 * exports the same tag object. */
START_TEST(uncaught_reaches_host)
{
    lw_module *m = load("(module (import \"h\" \"t\" (tag $t (param i32 i64)))"
                        "  (export \"t\" (tag $t))"
                        "  (func (export \"f\") (param i32)"
                        "    (throw $t (local.get 0) (i64.const 77))))");
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    lw_tag *t = lw_tag_new(s, &tag_type, &err);
    lw_extern imp = {.kind = LW_EXTERN_TAG, .of.tag = t};
    lw_instance *inst = lw_instantiate(s, m, &imp, 1, &err);
    ck_assert_msg(inst != NULL, "%s", err.message);
    lw_extern ex;
    ck_assert(lw_instance_export(inst, "t", &ex));
    ck_assert_int_eq(ex.kind, LW_EXTERN_TAG);
    ck_assert_ptr_eq(ex.of.tag, t);
    lw_val a = i32(42);
    ck_assert_int_eq(lw_func_call(s, export_func(inst, "f"), &a, 1, NULL, 0, &err), -1);
    ck_assert_int_eq(err.kind, LW_ERR_EXCEPTION);
    ck_assert_str_eq(err.message, "uncaught exception");
    ck_assert_ptr_nonnull(err.exn);
    ck_assert_ptr_eq(lw_exn_tag(err.exn), t);
    lw_val out[2];
    lw_exn_values(err.exn, out);
    ck_assert_int_eq(out[0].of.i32, 42);
    ck_assert_int_eq(out[1].of.i64, 77);
    /* The backtrace is the throw's. */
    ck_assert_uint_ge(err.nframes, 1);
    ck_assert_uint_eq(err.frames[0].func_index, 0);
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

/* A host function throws (a fresh exception, or one a nested call
 * reported); wasm catches it with its values. */
static lw_store *host_store;

static int host_throw(lw_host_call *call, const lw_val *args, lw_val *results)
{
    lw_tag *t = lw_host_user(call);
    lw_val v[2] = {args[0], {.type = LW_I64, .of.i64 = 9}};
    lw_exn *e = lw_exn_new(host_store, t, v, 2, NULL);
    return e ? lw_host_throw(call, e) : lw_host_trap(call, "no exception");
}

static lw_func *inner;

/* Calls wasm that throws, and passes the exception on. */
static int host_rethrow(lw_host_call *call, const lw_val *args, lw_val *results)
{
    lw_error err;
    if (lw_func_call(host_store, inner, args, 1, NULL, 0, &err) == 0)
        return lw_host_trap(call, "no exception");
    if (err.kind != LW_ERR_EXCEPTION)
        return lw_host_trap(call, err.message);
    return lw_host_throw(call, err.exn);
}

static const char *catcher =
    "(module (import \"h\" \"t\" (tag $t (param i32 i64)))"
    "  (import \"h\" \"throw\" (func $throw (param i32)))"
    "  (func (export \"f\") (param i32) (result i32)"
    "    (block $h (result i32 i64)"
    "      (try_table (catch $t $h) (call $throw (local.get 0)))"
    "      (return (i32.const -1)))"
    "    (drop))"
    "  (func (export \"thrower\") (param i32)"
    "    (throw $t (local.get 0) (i64.const 0)))"
    /* the host function tail-called: it throws from its caller's frame,
     * and the catcher goes on calling and returning */
    "  (func $tail (param i32) (return_call $throw (local.get 0)))"
    "  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))"
    "  (func $g (param i32) (result i32)"
    "    (block $h (result i32 i64)"
    "      (try_table (catch $t $h) (call $tail (local.get 0)))"
    "      (return (i32.const -1)))"
    "    (drop) (call $inc))"
    "  (func (export \"g\") (param i32) (result i32)"
    "    (i32.add (call $g (local.get 0)) (call $inc (i32.const 100)))))";

START_TEST(host_throws)
{
    lw_module *m = load(catcher);
    lw_store *s = host_store = lw_store_new(NULL);
    lw_error err;
    lw_tag *t = lw_tag_new(s, &tag_type, &err);
    static const lw_valtype p[] = {LW_I32};
    lw_functype ft = {1, 0, p, NULL};
    lw_linker *l = lw_linker_new(s);
    ck_assert_int_eq(lw_linker_define(l, "h", "t", (lw_extern){.kind = LW_EXTERN_TAG,
                                                              .of.tag = t}), 0);
    ck_assert_int_eq(lw_linker_define_host(l, "h", "throw", &ft, host_throw, t), 0);
    lw_instance *inst = lw_linker_instantiate(l, m, &err);
    ck_assert_msg(inst != NULL, "%s", err.message);
    lw_val a = i32(31), r;
    ck_assert_int_eq(lw_func_call(s, export_func(inst, "f"), &a, 1, &r, 1, &err), 0);
    ck_assert_int_eq(r.of.i32, 31);
    ck_assert_int_eq(lw_func_call(s, export_func(inst, "g"), &a, 1, &r, 1, &err), 0);
    ck_assert_int_eq(r.of.i32, 31 + 1 + 101);
    lw_linker_free(l);
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

START_TEST(host_rethrows)
{
    lw_module *m = load(catcher);
    lw_store *s = host_store = lw_store_new(NULL);
    lw_error err;
    lw_tag *t = lw_tag_new(s, &tag_type, &err);
    static const lw_valtype p[] = {LW_I32};
    lw_functype ft = {1, 0, p, NULL};
    lw_linker *l = lw_linker_new(s);
    lw_linker_define(l, "h", "t", (lw_extern){.kind = LW_EXTERN_TAG, .of.tag = t});
    lw_linker_define_host(l, "h", "throw", &ft, host_rethrow, NULL);
    lw_instance *inst = lw_linker_instantiate(l, m, &err);
    ck_assert_msg(inst != NULL, "%s", err.message);
    inner = export_func(inst, "thrower");
    lw_val a = i32(-8), r;
    ck_assert_int_eq(lw_func_call(s, export_func(inst, "f"), &a, 1, &r, 1, &err), 0);
    ck_assert_int_eq(r.of.i32, -8);
    lw_linker_free(l);
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

/* One instance throws its own tag, another imports the tag and the
 * function through the linker and catches; a tag of the same type but
 * another identity is not caught by it. */
START_TEST(across_instances)
{
    lw_module *a = load("(module (tag $e (export \"e\") (param i32))"
                        "  (tag $other (export \"other\") (param i32))"
                        "  (func (export \"throw\") (param i32 i32)"
                        "    (if (local.get 1) (then (throw $other (local.get 0))))"
                        "    (throw $e (local.get 0))))");
    lw_module *b = load("(module (import \"a\" \"e\" (tag $e (param i32)))"
                        "  (import \"a\" \"throw\" (func $throw (param i32 i32)))"
                        "  (func (export \"f\") (param i32 i32) (result i32)"
                        "    (block $h (result i32)"
                        "      (try_table (catch $e $h) (call $throw (local.get 0) (local.get 1)))"
                        "      (i32.const 0))"
                        "    (i32.const 1000) (i32.add)))");
    lw_store *s = lw_store_new(NULL);
    lw_linker *l = lw_linker_new(s);
    lw_error err;
    lw_instance *ia = lw_linker_instantiate(l, a, &err);
    ck_assert_msg(ia != NULL, "%s", err.message);
    ck_assert_int_eq(lw_linker_define_instance(l, "a", ia), 0);
    lw_instance *ib = lw_linker_instantiate(l, b, &err);
    ck_assert_msg(ib != NULL, "%s", err.message);
    lw_val args[2] = {i32(5), i32(0)}, r;
    ck_assert_int_eq(lw_func_call(s, export_func(ib, "f"), args, 2, &r, 1, &err), 0);
    ck_assert_int_eq(r.of.i32, 1005);
    args[1] = i32(1);
    ck_assert_int_eq(lw_func_call(s, export_func(ib, "f"), args, 2, &r, 1, &err), -1);
    ck_assert_int_eq(err.kind, LW_ERR_EXCEPTION);
    lw_extern other;
    ck_assert(lw_linker_lookup(l, "a", "other", &other));
    ck_assert_ptr_eq(lw_exn_tag(err.exn), other.of.tag);
    lw_linker_free(l);
    lw_store_free(s);
    lw_module_free(b);
    lw_module_free(a);
}
END_TEST

START_TEST(incompatible_tag_import)
{
    lw_module *m = load("(module (import \"h\" \"t\" (tag (param i32))))");
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    lw_tag *t = lw_tag_new(s, &tag_type, &err);
    lw_extern imp = {.kind = LW_EXTERN_TAG, .of.tag = t};
    ck_assert_ptr_null(lw_instantiate(s, m, &imp, 1, &err));
    ck_assert_int_eq(err.kind, LW_ERR_UNLINKABLE);
    ck_assert_str_eq(err.message, "incompatible import type");
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* 10^7 throws caught by catch (and by the legacy catch) without _ref:
 * every exception is freed by its catch, none is left to the store, and
 * the process does not grow. */
START_TEST(throw_catch_loop_is_flat)
{
#if defined(__SANITIZE_ADDRESS__)
    const int32_t n = 1000000;   /* the same check, in the sanitizer's time */
#else
    const int32_t n = 10000000;
#endif
    lw_module *m = load(
        "(module (tag $e (param i32))"
        "  (func $thrower (param i32) (throw $e (local.get 0)))"
        "  (func (export \"loop\") (param $n i32) (result i32)"
        "    (local $i i32) (local $sum i32)"
        "    (block $done (loop $next"
        "      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))"
        "      (block $h (result i32)"
        "        (try_table (catch $e $h) (call $thrower (i32.const 1)))"
        "        (i32.const 0))"
        "      (local.set $sum (i32.add (local.get $sum)))"
        "      (try (do (throw $e (i32.const 2)))"
        "        (catch $e (local.set $sum (i32.add (local.get $sum)))))"
        "      (local.set $i (i32.add (local.get $i) (i32.const 1)))"
        "      (br $next)))"
        "    (local.get $sum)))");
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    ck_assert_msg(inst != NULL, "%s", err.message);
    size_t objects = s->objects.n;
    lw_val a = i32(1000), r;
    ck_assert_int_eq(lw_func_call(s, export_func(inst, "loop"), &a, 1, &r, 1, &err), 0);
    long before = max_rss_kb();
    a = i32(n);
    ck_assert_msg(lw_func_call(s, export_func(inst, "loop"), &a, 1, &r, 1, &err) == 0, "%s",
                  err.message);
    ck_assert_int_eq(r.of.i32, 3 * n);
    ck_assert_uint_eq(s->objects.n, objects);
#if !defined(__SANITIZE_ADDRESS__)
    ck_assert_int_lt(max_rss_kb() - before, 4096);
#else
    (void)before;
#endif
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

/* catch_ref hands the object to the code: the store keeps it, and
 * throw_ref rethrows the same object. */
START_TEST(catch_ref_keeps_object)
{
    lw_module *m = load(
        "(module (tag $e (param i32))"
        "  (func (export \"f\") (param i32)"
        "    (block $h (result i32 exnref)"
        "      (try_table (catch_ref $e $h) (throw $e (local.get 0)))"
        "      (unreachable))"
        "    (throw_ref)"
        "    (drop)))");
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    size_t objects = s->objects.n;
    lw_val a = i32(12);
    ck_assert_int_eq(lw_func_call(s, export_func(inst, "f"), &a, 1, NULL, 0, &err), -1);
    ck_assert_int_eq(err.kind, LW_ERR_EXCEPTION);
    ck_assert_uint_eq(s->objects.n, objects + 1);
    lw_val v;
    lw_exn_values(err.exn, &v);
    ck_assert_int_eq(v.of.i32, 12);
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("exceptions");
    TCase *tc = tcase_create("exceptions");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, tag_objects);
    tcase_add_test(tc, uncaught_reaches_host);
    tcase_add_test(tc, host_throws);
    tcase_add_test(tc, host_rethrows);
    tcase_add_test(tc, across_instances);
    tcase_add_test(tc, incompatible_tag_import);
    tcase_add_test(tc, throw_catch_loop_is_flat);
    tcase_add_test(tc, catch_ref_keeps_object);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
