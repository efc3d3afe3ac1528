/* Tail calls in the interpreter: return_call and return_call_indirect
 * run in constant stack space (within the instance, to host functions,
 * to another instance's functions), trap as calls do, stay interruptible,
 * and backtraces show the tail-called function in its caller's place. */
#include "libwasm.h"
#include "unit.h"

#include <string.h>

static const lw_features tail = LW_FEATURE(TAIL_CALL);

static lw_module *load(const char *wat)
{
    lw_error err;
    lw_module *m = lw_module_parse_text(wat, strlen(wat), lw_features_wasm2() | tail, &err);
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
    return ext.of.func;
}

/* Call export name with one i32; returns the status, the result in *out. */
static int call1(lw_store *s, lw_instance *inst, const char *name, int32_t arg,
                 int32_t *out, lw_error *err)
{
    lw_val a = i32(arg), r;
    int rc = lw_func_call(s, export_func(inst, name), &a, 1, &r, 1, err);
    if (rc == 0)
        *out = r.of.i32;
    return rc;
}

static int32_t expect1(lw_store *s, lw_instance *inst, const char *name, int32_t arg)
{
    lw_error err;
    int32_t r = 0;
    ck_assert_msg(call1(s, inst, name, arg, &r, &err) == 0, "%s(%d): %s", name, arg,
                  err.message);
    return r;
}

static void expect_trap(lw_store *s, lw_instance *inst, const char *name, int32_t arg,
                        const char *msg)
{
    lw_error err;
    int32_t r;
    ck_assert_int_ne(call1(s, inst, name, arg, &r, &err), 0);
    ck_assert_int_eq(err.kind, LW_ERR_TRAP);
    ck_assert_msg(strcmp(err.message, msg) == 0, "%s: expected \"%s\", got \"%s\"", name, msg,
                  err.message);
}

static const char *mutual_wat =
    "(module"
    " (type $t (func (param i32) (result i32)))"
    " (import \"env\" \"twice\" (func $twice (param i32) (result i32)))"
    " (import \"env\" \"far\" (func $far (param i32) (result i32)))"
    " (table 4 funcref)"
    " (elem (i32.const 0) $even $odd $wide)"
    " (func $even (export \"even\") (param i32) (result i32)"
    "  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))"
    "   (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))"
    " (func $odd (export \"odd\") (param i32) (result i32)"
    "  (local i64 i64 i64)"
    "  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))"
    "   (else (return_call_indirect (type $t)"
    "          (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))))"
    " (func $wide (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))"
    " (func (export \"host\") (param i32) (result i32)"
    "  (return_call $twice (i32.add (local.get 0) (i32.const 1))))"
    " (func (export \"far\") (param i32) (result i32)"
    "  (return_call $far (local.get 0)))"
    " (func (export \"slot\") (param i32) (result i32)"
    "  (return_call_indirect (type $t) (i32.const 7) (local.get 0)))"
    " (func $spin (export \"spin\") (param i32) (result i32)"
    "  (return_call $spin (local.get 0)))"
    ")";

/* far: a function of another instance, counting down by tail calls. */
static const char *far_wat =
    "(module"
    " (func $down (export \"down\") (param i32) (result i32)"
    "  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 42))"
    "   (else (return_call $down (i32.sub (local.get 0) (i32.const 1)))))))";

static int twice(lw_host_call *call, const lw_val *args, lw_val *results)
{
    results[0] = i32(2 * args[0].of.i32);
    return 0;
}

typedef struct {
    lw_store *s;
    lw_module *m, *fm;
    lw_instance *inst;
} fixture;

static void setup(fixture *f, const lw_store_limits *lim)
{
    lw_error err;
    f->s = lw_store_new(lim);
    ck_assert_ptr_nonnull(f->s);
    f->m = load(mutual_wat);
    f->fm = load(far_wat);
    lw_instance *other = lw_instantiate(f->s, f->fm, NULL, 0, &err);
    ck_assert_msg(other != NULL, "%s", err.message);
    lw_valtype i = LW_I32;
    lw_functype t = {1, 1, &i, &i};
    lw_extern imps[2];
    imps[0].kind = LW_EXTERN_FUNC;
    imps[0].of.func = lw_func_new_host(f->s, &t, twice, NULL);
    imps[1].kind = LW_EXTERN_FUNC;
    imps[1].of.func = export_func(other, "down");
    f->inst = lw_instantiate(f->s, f->m, imps, 2, &err);
    ck_assert_msg(f->inst != NULL, "%s", err.message);
}

static void teardown(fixture *f)
{
    lw_store_free(f->s);
    lw_module_free(f->m);
    lw_module_free(f->fm);
}

/* A million tail calls with room for 20 frames and a small value stack:
 * neither stack grows. */
START_TEST(test_constant_space)
{
    lw_store_limits lim = {0};
    lim.max_call_depth = 20;
    lim.max_stack_bytes = 4096;
    fixture f;
    setup(&f, &lim);
    ck_assert_int_eq(expect1(f.s, f.inst, "even", 1000000), 1);
    ck_assert_int_eq(expect1(f.s, f.inst, "even", 1000001), 0);
    ck_assert_int_eq(expect1(f.s, f.inst, "odd", 777777), 1);
    ck_assert_int_eq(expect1(f.s, f.inst, "far", 1000000), 42);
    teardown(&f);
}
END_TEST

/* A host function tail-called: its result is the caller's. */
START_TEST(test_host)
{
    fixture f;
    setup(&f, NULL);
    ck_assert_int_eq(expect1(f.s, f.inst, "host", 20), 42);
    ck_assert_int_eq(expect1(f.s, f.inst, "host", -1), 0);
    teardown(&f);
}
END_TEST

/* return_call_indirect traps as call_indirect does, before the frame is
 * given up. */
START_TEST(test_indirect_traps)
{
    fixture f;
    setup(&f, NULL);
    ck_assert_int_eq(expect1(f.s, f.inst, "slot", 0), 0);     /* even(7) */
    ck_assert_int_eq(expect1(f.s, f.inst, "slot", 1), 1);     /* odd(7) */
    expect_trap(f.s, f.inst, "slot", 2, "indirect call type mismatch");
    expect_trap(f.s, f.inst, "slot", 3, "uninitialized element 3");
    expect_trap(f.s, f.inst, "slot", 4, "undefined element");
    expect_trap(f.s, f.inst, "slot", -1, "undefined element");
    teardown(&f);
}
END_TEST

/* A loop of tail calls polls like a loop of branches: fuel runs out, an
 * interrupt stops it. */
START_TEST(test_interruptible)
{
    fixture f;
    setup(&f, NULL);
    lw_store_set_fuel(f.s, 1000);
    expect_trap(f.s, f.inst, "spin", 0, "fuel exhausted");
    lw_store_set_fuel(f.s, 10);
    expect_trap(f.s, f.inst, "even", 100, "fuel exhausted");
    /* Entry costs 1, each of the 8 tail calls 1. */
    lw_store_set_fuel(f.s, 9);
    ck_assert_int_eq(expect1(f.s, f.inst, "even", 8), 1);
    ck_assert_uint_eq(lw_store_get_fuel(f.s), 0);
    lw_store_set_fuel(f.s, UINT64_MAX);
    lw_store_interrupt(f.s);
    expect_trap(f.s, f.inst, "spin", 0, "interrupted");
    ck_assert_int_eq(expect1(f.s, f.inst, "even", 10), 1);
    teardown(&f);
}
END_TEST

static const char *bt_wat =
    "(module"
    " (func $inner (param i32) (result i32) local.get 0 i32.const 0 i32.div_u)"
    " (func $middle (param i32) (result i32) local.get 0 return_call $inner)"
    " (func (export \"outer\") (param i32) (result i32) local.get 0 call $middle)"
    " (func $deep (param i32) (result i32)"
    "  (if (result i32) (i32.eqz (local.get 0)) (then (unreachable))"
    "   (else (return_call $deep (i32.sub (local.get 0) (i32.const 1))))))"
    " (func (export \"deep\") (param i32) (result i32) (call $deep (local.get 0)))"
    ")";

/* outer calls middle, which tail-calls inner: the trap in inner shows
 * inner called from outer, middle's frame being gone. */
START_TEST(test_backtrace)
{
    lw_error err;
    lw_store *s = lw_store_new(NULL);
    lw_module *m = load(bt_wat);
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    ck_assert_ptr_nonnull(inst);
    int32_t r;
    ck_assert_int_ne(call1(s, inst, "outer", 5, &r, &err), 0);
    ck_assert_str_eq(err.message, "integer divide by zero");
    ck_assert_uint_eq(err.nframes, 2);
    ck_assert_str_eq(err.frames[0].name, "inner");
    ck_assert_str_eq(err.frames[1].name, "outer");
    ck_assert_int_ne(call1(s, inst, "deep", 100000, &r, &err), 0);
    ck_assert_str_eq(err.message, "unreachable");
    ck_assert_uint_eq(err.nframes, 2);
    ck_assert_str_eq(err.frames[0].name, "deep");
    ck_assert_uint_eq(err.frames[1].func_index, 4);
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

/* The callee's results must be the function's. */
START_TEST(test_validation)
{
    static const char *bad[] = {
        "(module (func $f (result i64) i64.const 0)"
        " (func (result i32) return_call $f))",
        "(module (type $t (func (result i32))) (table 1 funcref)"
        " (func (result i64) i32.const 0 return_call_indirect (type $t)))",
        "(module (func $f (param i32)) (func return_call $f))",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lw_error err;
        lw_module *m = lw_module_parse_text(bad[i], strlen(bad[i]),
                                            lw_features_wasm2() | tail, &err);
        ck_assert_ptr_nonnull(m);
        ck_assert_int_ne(lw_module_validate(m, &err), 0);
        ck_assert_msg(strncmp(err.message, "type mismatch", 13) == 0, "%zu: %s", i,
                      err.message);
        lw_module_free(m);
    }
    /* After a tail call the stack is polymorphic, as after return. */
    lw_module_free(load("(module (func $f (result i32) i32.const 1)"
                        " (func (result i32) return_call $f i64.add drop f32.const 0 drop))"));
    /* Without the feature the instruction is unknown. */
    static const char src[] = "(module (func $f) (func return_call $f))";
    lw_error err;
    ck_assert_ptr_null(lw_module_parse_text(src, strlen(src), lw_features_wasm2(), &err));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("tailcall");
    TCase *tc = tcase_create("tailcall");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_constant_space);
    tcase_add_test(tc, test_host);
    tcase_add_test(tc, test_indirect_traps);
    tcase_add_test(tc, test_interruptible);
    tcase_add_test(tc, test_backtrace);
    tcase_add_test(tc, test_validation);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
