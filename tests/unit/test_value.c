/* lw_val_parse and lw_val_format: literals by the text format's rules,
 * and every formatted value reads back to the same bits. */
#include <math.h>
#include <string.h>

#include "libwasm-tools.h"
#include "unit.h"

static lw_val parse_ok(const char *text, lw_valtype type)
{
    lw_val v;
    lw_error err;
    lw_error_clear(&err);
    ck_assert_msg(lw_val_parse(text, type, &v, &err) == 0, "'%s' as %s: %s", text,
                  lw_valtype_name(type), err.message);
    ck_assert_int_eq(v.type, type);
    return v;
}

static void parse_bad(const char *text, lw_valtype type, const char *message)
{
    lw_val v;
    lw_error err;
    lw_error_clear(&err);
    ck_assert_int_eq(lw_val_parse(text, type, &v, &err), -1);
    ck_assert_int_eq(err.kind, LW_ERR_USAGE);
    ck_assert_str_eq(err.message, message);
}

static const char *format(lw_val v)
{
    static char buf[128];
    size_t n = lw_val_format(&v, buf, sizeof buf);
    ck_assert_uint_eq(n, strlen(buf));
    return buf;
}

START_TEST(integers)
{
    ck_assert_int_eq(parse_ok("42", LW_I32).of.i32, 42);
    ck_assert_int_eq(parse_ok("-1", LW_I32).of.i32, -1);
    ck_assert_int_eq(parse_ok("0xffffffff", LW_I32).of.i32, -1);
    ck_assert_int_eq(parse_ok("4294967295", LW_I32).of.i32, -1);
    ck_assert_int_eq(parse_ok("-2147483648", LW_I32).of.i32, INT32_MIN);
    ck_assert_int_eq(parse_ok("1_000", LW_I32).of.i32, 1000);
    ck_assert(parse_ok("-9223372036854775808", LW_I64).of.i64 == INT64_MIN);
    ck_assert(parse_ok("0xffffffffffffffff", LW_I64).of.i64 == -1);
    parse_bad("4294967296", LW_I32, "'4294967296' is out of range for i32");
    parse_bad("-2147483649", LW_I32, "'-2147483649' is out of range for i32");
    parse_bad("1.5", LW_I32, "'1.5' is not a valid i32");
    parse_bad("", LW_I64, "'' is not a valid i64");
    parse_bad("1__0", LW_I64, "'1__0' is not a valid i64");
    ck_assert_str_eq(format(parse_ok("0x80000000", LW_I32)), "-2147483648");
    ck_assert_str_eq(format(parse_ok("18446744073709551615", LW_I64)), "-1");
}
END_TEST

START_TEST(floats)
{
    ck_assert_uint_eq(parse_ok("1.5", LW_F32).of.f32, 0x3fc00000);
    ck_assert_uint_eq(parse_ok("-0x1.8p1", LW_F32).of.f32, 0xc0400000);
    ck_assert_uint_eq(parse_ok("inf", LW_F32).of.f32, 0x7f800000);
    ck_assert_uint_eq(parse_ok("-nan", LW_F32).of.f32, 0xffc00000);
    ck_assert_uint_eq(parse_ok("nan:0x1", LW_F32).of.f32, 0x7f800001);
    ck_assert(parse_ok("nan:0x4", LW_F64).of.f64 == 0x7ff0000000000004ull);
    ck_assert(parse_ok("0.1", LW_F64).of.f64 == 0x3fb999999999999aull);
    parse_bad("1e39", LW_F32, "'1e39' is out of range for f32");
    parse_bad("nan:0", LW_F32, "'nan:0' is not a valid f32");
    parse_bad("one", LW_F64, "'one' is not a valid f64");
    ck_assert_str_eq(format(parse_ok("0.1", LW_F64)), "0.1");
    ck_assert_str_eq(format(parse_ok("0.1", LW_F32)), "0.1");
    ck_assert_str_eq(format(parse_ok("-0", LW_F32)), "-0");
    ck_assert_str_eq(format(parse_ok("-inf", LW_F64)), "-inf");
    ck_assert_str_eq(format(parse_ok("nan", LW_F64)), "nan");
    ck_assert_str_eq(format(parse_ok("-nan:0x200000", LW_F32)), "-nan:0x200000");
}
END_TEST

/* Formatting then parsing gives back the bits, over many patterns. */
START_TEST(float_round_trip)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        lw_val v32 = {.type = LW_F32, .of.f32 = (uint32_t)x};
        lw_val v64 = {.type = LW_F64, .of.f64 = x};
        char text[128];
        lw_val_format(&v32, text, sizeof text);
        ck_assert_msg(parse_ok(text, LW_F32).of.f32 == v32.of.f32, "f32 %s", text);
        lw_val_format(&v64, text, sizeof text);
        ck_assert_msg(parse_ok(text, LW_F64).of.f64 == v64.of.f64, "f64 %s", text);
    }
}
END_TEST

START_TEST(vectors)
{
    lw_val v = parse_ok("i32x4 1 2 3 -1", LW_V128);
    static const uint8_t want[16] = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};
    ck_assert(memcmp(v.of.v128, want, 16) == 0);
    ck_assert_str_eq(format(v), "i32x4 0x00000001 0x00000002 0x00000003 0xffffffff");
    lw_val back = parse_ok(format(v), LW_V128);
    ck_assert(memcmp(back.of.v128, want, 16) == 0);
    v = parse_ok("  f64x2\t1.5   -inf ", LW_V128);
    ck_assert_str_eq(format(v), "i32x4 0x00000000 0x3ff80000 0x00000000 0xfff00000");
    v = parse_ok("i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 255", LW_V128);
    ck_assert_uint_eq(v.of.v128[15], 255);
    v = parse_ok("i16x8 -1 0 0 0 0 0 0 0x8000", LW_V128);
    ck_assert_uint_eq(v.of.v128[0], 0xff);
    ck_assert_uint_eq(v.of.v128[15], 0x80);
    parse_bad("1 2 3 4", LW_V128, "a v128 is a shape and its lanes, e.g. 'i32x4 1 2 3 4'");
    parse_bad("i32x4 1 2 3", LW_V128, "i32x4 takes 4 lanes, got 3");
    parse_bad("i64x2 1 2 3", LW_V128, "i64x2 takes 2 lanes, got more");
    parse_bad("i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", LW_V128,
              "lane 0: '256' is out of range");
    parse_bad("f32x4 1 2 x 4", LW_V128, "lane 2: 'x' is not a number");
}
END_TEST

START_TEST(references)
{
    ck_assert_ptr_null(parse_ok("null", LW_FUNCREF).of.func);
    ck_assert_ptr_null(parse_ok("null", LW_EXTERNREF).of.ref);
    lw_val v = parse_ok("7", LW_EXTERNREF);
    ck_assert_ptr_eq(v.of.ref, (void *)(uintptr_t)8);
    ck_assert_str_eq(format(v), "7");
    ck_assert_str_eq(format(parse_ok("null", LW_EXTERNREF)), "null");
    ck_assert_str_eq(format(parse_ok("null", LW_FUNCREF)), "null");
    parse_bad("7", LW_FUNCREF, "'7' is not a valid funcref (null)");
    parse_bad("-1", LW_EXTERNREF, "'-1' is not a valid externref (null or a number)");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("value");
    TCase *tc = tcase_create("value");
    tcase_add_test(tc, integers);
    tcase_add_test(tc, floats);
    tcase_add_test(tc, float_round_trip);
    tcase_add_test(tc, vectors);
    tcase_add_test(tc, references);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
