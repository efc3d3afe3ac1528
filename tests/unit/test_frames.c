/* Safepoints: a host function walks the wasm frames below it (function,
 * instruction, slots), across a host function that called back into wasm;
 * a store that runs nothing has no frames. */
#include "interp.h"
#include "unit.h"

#include <string.h>

/* Imports: walk = 0, reenter = 1; then a = 2, b = 3, c = 4, d = 5.
 * a(x) calls b(x + 1), which calls c(x + 2), which calls walk; d(x)
 * calls reenter, which calls a(x) again from the host. */
static const char wat[] =
    "(module"
    " (import \"host\" \"walk\" (func $walk (param i32)))"
    " (import \"host\" \"reenter\" (func $reenter (param i32)))"
    " (func $a (export \"a\") (param i32)"
    "   (call $b (i32.add (local.get 0) (i32.const 1))))"
    " (func $b (param i32) (call $c (i32.add (local.get 0) (i32.const 1))))"
    " (func $c (param i32) (call $walk (local.get 0)))"
    " (func $d (export \"d\") (param i32) (call $reenter (local.get 0))))";

#define MAX_SEEN 16

typedef struct {
    lw_func *a;
    uint32_t n;
    uint32_t func[MAX_SEEN];
    int32_t arg[MAX_SEEN];    /* each frame's slot 0: its parameter */
    bool ip_inside[MAX_SEEN]; /* its instruction lies in its code */
} walk_log;

static int walk(lw_host_call *call, const lw_val *args, lw_val *results)
{
    walk_log *log = lw_host_user(call);
    wasm_frame_iter it;
    wasm_frames_begin(&it, call->store);
    while (wasm_frames_next(&it) && log->n < MAX_SEEN) {
        log->func[log->n] = it.func->index;
        log->arg[log->n] = it.fp[0].i32;
        log->ip_inside[log->n] = it.ip && it.ip >= it.func->code;
        log->n++;
    }
    return 0;
}

static int reenter(lw_host_call *call, const lw_val *args, lw_val *results)
{
    walk_log *log = lw_host_user(call);
    lw_error err;
    return lw_func_call(call->store, log->a, args, 1, NULL, 0, &err);
}

typedef struct {
    lw_module *m;
    lw_store *s;
    lw_instance *inst;
    walk_log log;
} fixture;

static lw_func *export_func(fixture *f, const char *name)
{
    lw_extern ext;
    ck_assert(lw_instance_export(f->inst, name, &ext));
    return ext.of.func;
}

static void setup(fixture *f)
{
    lw_error err;
    memset(f, 0, sizeof *f);
    f->m = lw_module_parse_text(wat, strlen(wat), lw_features_wasm2(), &err);
    ck_assert_msg(f->m != NULL, "parse: %s", err.message);
    ck_assert_msg(lw_module_validate(f->m, &err) == 0, "validate: %s", err.message);
    f->s = lw_store_new(NULL);
    lw_extern imp[2];
    imp[0].kind = imp[1].kind = LW_EXTERN_FUNC;
    imp[0].of.func = lw_func_new_host(f->s, lw_module_func_type(f->m, 0), walk, &f->log);
    imp[1].of.func = lw_func_new_host(f->s, lw_module_func_type(f->m, 1), reenter, &f->log);
    f->inst = lw_instantiate(f->s, f->m, imp, 2, &err);
    ck_assert_msg(f->inst != NULL, "instantiate: %s", err.message);
    f->log.a = export_func(f, "a");
}

static void teardown(fixture *f)
{
    lw_store_free(f->s);
    lw_module_free(f->m);
}

static void call(fixture *f, const char *name, int32_t x)
{
    lw_val arg;
    lw_error err;
    memset(&arg, 0, sizeof arg);
    arg.type = LW_I32;
    arg.of.i32 = x;
    ck_assert_msg(lw_func_call(f->s, export_func(f, name), &arg, 1, NULL, 0, &err) == 0,
                  "%s: %s", name, err.message);
}

static void expect_frame(const walk_log *log, uint32_t i, uint32_t func, int32_t arg)
{
    ck_assert_uint_eq(log->func[i], func);
    ck_assert_int_eq(log->arg[i], arg);
    ck_assert(log->ip_inside[i]);
}

START_TEST(test_walk_from_host)
{
    fixture f;
    setup(&f);
    call(&f, "a", 10);
    ck_assert_uint_eq(f.log.n, 3);
    expect_frame(&f.log, 0, 4, 12);
    expect_frame(&f.log, 1, 3, 11);
    expect_frame(&f.log, 2, 2, 10);
    teardown(&f);
}
END_TEST

/* The frames of the outer call continue below those of the inner one. */
START_TEST(test_walk_nested)
{
    fixture f;
    setup(&f);
    call(&f, "d", 20);
    ck_assert_uint_eq(f.log.n, 4);
    expect_frame(&f.log, 0, 4, 22);
    expect_frame(&f.log, 1, 3, 21);
    expect_frame(&f.log, 2, 2, 20);
    expect_frame(&f.log, 3, 5, 20);
    teardown(&f);
}
END_TEST

START_TEST(test_idle_store)
{
    fixture f;
    setup(&f);
    call(&f, "a", 1);
    wasm_frame_iter it;
    wasm_frames_begin(&it, f.s);
    ck_assert(!wasm_frames_next(&it));
    teardown(&f);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("frames");
    TCase *tc = tcase_create("frames");
    tcase_add_test(tc, test_walk_from_host);
    tcase_add_test(tc, test_walk_nested);
    tcase_add_test(tc, test_idle_store);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
