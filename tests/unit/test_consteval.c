/* Constant expressions: the one evaluator behind instantiation and
 * lw_const_eval, at any stack depth, with errors as values. */
#include "libwasm-tools.h"
#include "unit.h"

#include <string.h>

static const lw_features extended = LW_FEATURE(EXTENDED_CONST);

static lw_module *load(const char *wat, lw_features extra)
{
    lw_error err;
    lw_features f = lw_features_wasm2() | extra;
    lw_module *m = lw_module_parse_text(wat, strlen(wat), f, &err);
    ck_assert_msg(m != NULL, "parse: %s", err.message);
    ck_assert_msg(lw_module_validate(m, &err) == 0, "validate: %s", err.message);
    return m;
}

/* 1 + 2 + ... + 40 pushed first and added last: 40 values deep. */
START_TEST(test_deep_initializer)
{
    char wat[2048] = "(module (global (export \"g\") i32";
    for (int i = 1; i <= 40; i++)
        snprintf(wat + strlen(wat), sizeof wat - strlen(wat), " (i32.const %d)", i);
    for (int i = 1; i < 40; i++)
        strcat(wat, " (i32.add)");
    strcat(wat, "))");
    lw_module *m = load(wat, extended);
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    ck_assert_msg(inst != NULL, "instantiate: %s", err.message);
    lw_extern g;
    ck_assert(lw_instance_export(inst, "g", &g));
    ck_assert_int_eq(lw_global_get(g.of.global).of.i32, 820);
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

static int global_seven(void *user, uint32_t index, lw_val *out)
{
    (void)user;
    if (index != 0)
        return -1;
    memset(out, 0, sizeof *out);
    out->type = LW_I64;
    out->of.i64 = 7;
    return 0;
}

static int func_marker(void *user, uint32_t index, lw_val *out)
{
    memset(out, 0, sizeof *out);
    out->type = LW_FUNCREF;
    out->of.ref = (char *)user + index;
    return 0;
}

/* Evaluates hex bytes as an expression of m. */
static int eval(const lw_module *m, const char *hex, const lw_const_env *env, lw_val *out,
                lw_error *err)
{
    static uint8_t code[64];
    uint32_t n = 0;
    unsigned v;
    int k;
    while (sscanf(hex, " %2x%n", &v, &k) == 1) {
        code[n++] = (uint8_t)v;
        hex += k;
    }
    lw_expr e = {code, n, 0};
    lw_error_clear(err);
    return lw_const_eval(m, &e, env, out, err);
}

START_TEST(test_values_and_callbacks)
{
    lw_module *m = load("(module)", extended);
    static char base[8];
    lw_const_env env = {global_seven, func_marker, base};
    lw_val v;
    lw_error err;
    ck_assert_int_eq(eval(m, "23 00 42 03 7e 0b", &env, &v, &err), 0);
    ck_assert_int_eq(v.type, LW_I64);
    ck_assert_int_eq(v.of.i64, 21);
    ck_assert_int_eq(eval(m, "41 7f 41 01 6b 0b", &env, &v, &err), 0);
    ck_assert_int_eq(v.of.i32, -2);
    ck_assert_int_eq(eval(m, "d2 03 0b", &env, &v, &err), 0);
    ck_assert_ptr_eq(v.of.ref, base + 3);
    ck_assert_int_eq(eval(m, "d0 6f 0b", NULL, &v, &err), 0);
    ck_assert_int_eq(v.type, LW_EXTERNREF);
    ck_assert_ptr_null(v.of.ref);
    ck_assert_int_eq(eval(m, "43 00 00 c0 7f 0b", NULL, &v, &err), 0);
    ck_assert_uint_eq(v.of.f32, 0x7fc00000);
    lw_module_free(m);
}
END_TEST

static const lw_const_env globals_only = {global_seven, NULL, NULL};

static const struct {
    bool extended;              /* the module has extended-const */
    const char *hex;
    const lw_const_env *env;
    const char *message;
} bad_cases[] = {
    {false, "41 01 41 02 6a 0b", NULL, "constant expression required"},
    {true, "41 01 6a 0b", NULL, "type mismatch"},
    {true, "41 01 42 01 6a 0b", NULL, "type mismatch"},
    {false, "41 01 41 02 0b", NULL, "type mismatch"},
    {false, "0b", NULL, "type mismatch"},
    {false, "41 01", NULL, "constant expression required"},
    {false, "41 01 0b 0b", NULL, "type mismatch"},
    {false, "23 00 0b", NULL, "unknown global 0"},
    {false, "23 01 0b", &globals_only, "unknown global 1"},
    {false, "d2 00 0b", &globals_only, "unknown function 0"},
    {false, "42", NULL, "unexpected end"},
};

/* Without a module (a program reading a binary it has not decoded),
 * every feature's instructions are in: extended-const's i32.mul here. */
START_TEST(test_no_module)
{
    lw_val v;
    lw_error err;
    ck_assert_msg(eval(NULL, "41 06 41 07 6c 0b", NULL, &v, &err) == 0, "%s", err.message);
    ck_assert_int_eq(v.type, LW_I32);
    ck_assert_int_eq(v.of.i32, 42);
}
END_TEST

START_TEST(test_errors_are_values)
{
    lw_module *m = load("(module)", bad_cases[_i].extended ? extended : 0);
    lw_val v;
    lw_error err;
    ck_assert_int_eq(eval(m, bad_cases[_i].hex, bad_cases[_i].env, &v, &err), -1);
    ck_assert_msg(strstr(err.message, bad_cases[_i].message), "%s: got \"%s\"",
                  bad_cases[_i].hex, err.message);
    lw_module_free(m);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("consteval");
    TCase *tc = tcase_create("consteval");
    tcase_add_test(tc, test_deep_initializer);
    tcase_add_test(tc, test_values_and_callbacks);
    tcase_add_test(tc, test_no_module);
    tcase_add_loop_test(tc, test_errors_are_values, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
