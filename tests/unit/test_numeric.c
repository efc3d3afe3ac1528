/* Scalar numeric semantics (numeric.h) against values worked out from the
 * spec's definitions in exec/numerics.rst. */
#include "unit.h"
#include "internal.h"
#include "numeric.h"

#define F32(bits) wasm_f32_from_bits(bits)
#define F64(bits) wasm_f64_from_bits(bits)

#define CK_F32_BITS(val, bits) ck_assert_uint_eq(wasm_f32_bits(val), (bits))
#define CK_F64_BITS(val, bits) ck_assert_uint_eq(wasm_f64_bits(val), (bits))

/* Canonical NaN: quiet bit only, either sign.  Arithmetic: quiet bit set. */
static int f32_canonical(float f) { return (wasm_f32_bits(f) & 0x7fffffffu) == 0x7fc00000u; }
static int f32_arithmetic(float f) { return (wasm_f32_bits(f) & 0x7fc00000u) == 0x7fc00000u; }
static int f64_canonical(double d)
{
    return (wasm_f64_bits(d) & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
}
static int f64_arithmetic(double d)
{
    return (wasm_f64_bits(d) & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
}

#define QNAN32 0x7fc00000u          /* canonical */
#define SNAN32 0x7fa00000u          /* signalling, payload 0x200000 */
#define QNAN64 0x7ff8000000000000ull
#define SNAN64 0x7ff4000000000000ull

START_TEST(test_div_rem_i32)
{
    int32_t s;
    uint32_t u;

    ck_assert_int_eq(wasm_i32_div_s(INT32_MIN, -1, &s), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i32_div_s(1, 0, &s), WASM_NUM_DIV_ZERO);
    ck_assert_int_eq(wasm_i32_div_s(-7, 2, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, -3);                    /* truncates toward zero */
    ck_assert_int_eq(wasm_i32_div_u(0xffffffffu, 2, &u), WASM_NUM_OK);
    ck_assert_uint_eq(u, 0x7fffffffu);          /* -1 read as unsigned */
    ck_assert_int_eq(wasm_i32_div_u(5, 0, &u), WASM_NUM_DIV_ZERO);
    /* INT_MIN rem -1 is defined as 0, not a trap */
    ck_assert_int_eq(wasm_i32_rem_s(INT32_MIN, -1, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, 0);
    ck_assert_int_eq(wasm_i32_rem_s(-7, 2, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, -1);                    /* sign of the dividend */
    ck_assert_int_eq(wasm_i32_rem_s(7, -2, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, 1);
    ck_assert_int_eq(wasm_i32_rem_s(7, 0, &s), WASM_NUM_DIV_ZERO);
    ck_assert_int_eq(wasm_i32_rem_u(0x80000000u, 3, &u), WASM_NUM_OK);
    ck_assert_uint_eq(u, 2);                    /* 2147483648 = 3 * 715827882 + 2 */
    ck_assert_int_eq(wasm_i32_rem_u(1, 0, &u), WASM_NUM_DIV_ZERO);
}
END_TEST

START_TEST(test_div_rem_i64)
{
    int64_t s;
    uint64_t u;

    ck_assert_int_eq(wasm_i64_div_s(INT64_MIN, -1, &s), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i64_div_s(INT64_MIN, 0, &s), WASM_NUM_DIV_ZERO);
    ck_assert_int_eq(wasm_i64_div_s(INT64_MIN, 2, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, -4611686018427387904LL);
    ck_assert_int_eq(wasm_i64_rem_s(INT64_MIN, -1, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, 0);
    ck_assert_int_eq(wasm_i64_rem_s(-11, 5, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, -1);
    ck_assert_int_eq(wasm_i64_div_u(0x8000000000000000ull, 3, &u), WASM_NUM_OK);
    ck_assert_uint_eq(u, 0x2aaaaaaaaaaaaaaaull);
    ck_assert_int_eq(wasm_i64_rem_u(0x8000000000000000ull, 3, &u), WASM_NUM_OK);
    ck_assert_uint_eq(u, 2);
    ck_assert_int_eq(wasm_i64_rem_u(0, 0, &u), WASM_NUM_DIV_ZERO);
    ck_assert_int_eq(wasm_i64_div_u(0, 0, &u), WASM_NUM_DIV_ZERO);
}
END_TEST

START_TEST(test_trunc_trapping_i32)
{
    int32_t s = 0;
    uint32_t u = 0;

    ck_assert_int_eq(wasm_i32_trunc_f32_s(F32(QNAN32), &s), WASM_NUM_INVALID);
    ck_assert_int_eq(wasm_i32_trunc_f32_s(2147483648.0f, &s), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i32_trunc_f32_s(-2147483648.0f, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, INT32_MIN);
    /* the f32 just below -2^31 is -2^31 - 256 */
    ck_assert_int_eq(wasm_i32_trunc_f32_s(-2147483904.0f, &s), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i32_trunc_f32_s(-1.9f, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, -1);
    ck_assert_int_eq(wasm_i32_trunc_f32_s(__builtin_inff(), &s), WASM_NUM_OVERFLOW);

    ck_assert_int_eq(wasm_i32_trunc_f32_u(-0.9f, &u), WASM_NUM_OK);
    ck_assert_uint_eq(u, 0);                    /* truncates to -0, which is 0 */
    ck_assert_int_eq(wasm_i32_trunc_f32_u(-1.0f, &u), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i32_trunc_f32_u(4294967040.0f, &u), WASM_NUM_OK);
    ck_assert_uint_eq(u, 4294967040u);
    ck_assert_int_eq(wasm_i32_trunc_f32_u(4294967296.0f, &u), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i32_trunc_f32_u(F32(SNAN32 | 0x80000000u), &u), WASM_NUM_INVALID);

    ck_assert_int_eq(wasm_i32_trunc_f64_s(-2147483648.9, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, INT32_MIN);
    ck_assert_int_eq(wasm_i32_trunc_f64_s(-2147483649.0, &s), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i32_trunc_f64_s(2147483647.9, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, INT32_MAX);
    ck_assert_int_eq(wasm_i32_trunc_f64_s(2147483648.0, &s), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i32_trunc_f64_u(4294967295.9, &u), WASM_NUM_OK);
    ck_assert_uint_eq(u, 0xffffffffu);
    ck_assert_int_eq(wasm_i32_trunc_f64_u(4294967296.0, &u), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i32_trunc_f64_u(-0.99999, &u), WASM_NUM_OK);
    ck_assert_uint_eq(u, 0);
    ck_assert_int_eq(wasm_i32_trunc_f64_u(F64(QNAN64), &u), WASM_NUM_INVALID);
}
END_TEST

START_TEST(test_trunc_trapping_i64)
{
    int64_t s = 0;
    uint64_t u = 0;

    ck_assert_int_eq(wasm_i64_trunc_f32_s(9223372036854775808.0f, &s), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i64_trunc_f32_s(-9223372036854775808.0f, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, INT64_MIN);
    ck_assert_int_eq(wasm_i64_trunc_f32_s(F32(QNAN32), &s), WASM_NUM_INVALID);
    ck_assert_int_eq(wasm_i64_trunc_f32_u(18446742974197923840.0f, &u), WASM_NUM_OK);
    ck_assert_uint_eq(u, 0xffffff0000000000ull);     /* largest f32 below 2^64 */
    ck_assert_int_eq(wasm_i64_trunc_f32_u(18446744073709551616.0f, &u), WASM_NUM_OVERFLOW);

    ck_assert_int_eq(wasm_i64_trunc_f64_s(9223372036854774784.0, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, 0x7ffffffffffffc00LL);       /* largest f64 below 2^63 */
    ck_assert_int_eq(wasm_i64_trunc_f64_s(9223372036854775808.0, &s), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i64_trunc_f64_s(-9223372036854775808.0, &s), WASM_NUM_OK);
    ck_assert_int_eq(s, INT64_MIN);
    ck_assert_int_eq(wasm_i64_trunc_f64_s(-9223372036854777856.0, &s), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i64_trunc_f64_u(18446744073709549568.0, &u), WASM_NUM_OK);
    ck_assert_uint_eq(u, 0xfffffffffffff800ull);
    ck_assert_int_eq(wasm_i64_trunc_f64_u(18446744073709551616.0, &u), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i64_trunc_f64_u(-0.9, &u), WASM_NUM_OK);
    ck_assert_uint_eq(u, 0);
    ck_assert_int_eq(wasm_i64_trunc_f64_u(-1.0, &u), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i64_trunc_f64_u(-__builtin_inf(), &u), WASM_NUM_OVERFLOW);
    ck_assert_int_eq(wasm_i64_trunc_f64_u(F64(SNAN64), &u), WASM_NUM_INVALID);
}
END_TEST

START_TEST(test_trunc_sat)
{
    ck_assert_int_eq(wasm_i32_trunc_sat_f32_s(F32(QNAN32)), 0);
    ck_assert_int_eq(wasm_i32_trunc_sat_f32_s(-__builtin_inff()), INT32_MIN);
    ck_assert_int_eq(wasm_i32_trunc_sat_f32_s(2147483648.0f), INT32_MAX);
    ck_assert_int_eq(wasm_i32_trunc_sat_f32_s(-2147483904.0f), INT32_MIN);
    ck_assert_int_eq(wasm_i32_trunc_sat_f32_s(-1.5f), -1);
    ck_assert_uint_eq(wasm_i32_trunc_sat_f32_u(F32(SNAN32)), 0);
    ck_assert_uint_eq(wasm_i32_trunc_sat_f32_u(-1.0f), 0);
    ck_assert_uint_eq(wasm_i32_trunc_sat_f32_u(4294967296.0f), UINT32_MAX);
    ck_assert_uint_eq(wasm_i32_trunc_sat_f32_u(4294967040.0f), 4294967040u);
    ck_assert_int_eq(wasm_i32_trunc_sat_f64_s(-2147483648.9), INT32_MIN);
    ck_assert_int_eq(wasm_i32_trunc_sat_f64_s(-2147483649.0), INT32_MIN);
    ck_assert_int_eq(wasm_i32_trunc_sat_f64_s(2147483647.9), INT32_MAX);
    ck_assert_int_eq(wasm_i32_trunc_sat_f64_s(1e300), INT32_MAX);
    ck_assert_int_eq(wasm_i32_trunc_sat_f64_s(F64(QNAN64 | 0x8000000000000000ull)), 0);
    ck_assert_uint_eq(wasm_i32_trunc_sat_f64_u(4294967295.9), UINT32_MAX);
    ck_assert_uint_eq(wasm_i32_trunc_sat_f64_u(4294967296.0), UINT32_MAX);
    ck_assert_uint_eq(wasm_i32_trunc_sat_f64_u(-1e300), 0);
    ck_assert_int_eq(wasm_i64_trunc_sat_f32_s(9223372036854775808.0f), INT64_MAX);
    ck_assert_int_eq(wasm_i64_trunc_sat_f32_s(-__builtin_inff()), INT64_MIN);
    ck_assert_int_eq(wasm_i64_trunc_sat_f32_s(F32(QNAN32)), 0);
    ck_assert_uint_eq(wasm_i64_trunc_sat_f32_u(18446744073709551616.0f), UINT64_MAX);
    ck_assert_uint_eq(wasm_i64_trunc_sat_f32_u(-0.5f), 0);
    ck_assert_int_eq(wasm_i64_trunc_sat_f64_s(9223372036854774784.0), 0x7ffffffffffffc00LL);
    ck_assert_int_eq(wasm_i64_trunc_sat_f64_s(9223372036854775808.0), INT64_MAX);
    ck_assert_int_eq(wasm_i64_trunc_sat_f64_s(-9223372036854777856.0), INT64_MIN);
    ck_assert_uint_eq(wasm_i64_trunc_sat_f64_u(18446744073709549568.0), 0xfffffffffffff800ull);
    ck_assert_uint_eq(wasm_i64_trunc_sat_f64_u(__builtin_inf()), UINT64_MAX);
    ck_assert_uint_eq(wasm_i64_trunc_sat_f64_u(F64(QNAN64)), 0);
}
END_TEST

START_TEST(test_min_max_zeros)
{
    /* -0 is smaller than +0 whatever the operand order */
    CK_F32_BITS(wasm_f32_min(0.0f, -0.0f), 0x80000000u);
    CK_F32_BITS(wasm_f32_min(-0.0f, 0.0f), 0x80000000u);
    CK_F32_BITS(wasm_f32_max(0.0f, -0.0f), 0x00000000u);
    CK_F32_BITS(wasm_f32_max(-0.0f, 0.0f), 0x00000000u);
    CK_F64_BITS(wasm_f64_min(0.0, -0.0), 0x8000000000000000ull);
    CK_F64_BITS(wasm_f64_min(-0.0, 0.0), 0x8000000000000000ull);
    CK_F64_BITS(wasm_f64_max(0.0, -0.0), 0);
    CK_F64_BITS(wasm_f64_max(-0.0, 0.0), 0);
    ck_assert(wasm_f32_min(-__builtin_inff(), 1.0f) == -__builtin_inff());
    ck_assert(wasm_f32_max(-1.0f, -2.0f) == -1.0f);
    ck_assert(wasm_f64_min(3.5, -7.25) == -7.25);
    ck_assert(wasm_f64_max(__builtin_inf(), 1e308) == __builtin_inf());
}
END_TEST

START_TEST(test_min_max_nan)
{
    /* any NaN operand wins; canonical in, canonical out */
    ck_assert(f32_canonical(wasm_f32_min(F32(QNAN32), 1.0f)));
    ck_assert(f32_canonical(wasm_f32_min(-__builtin_inff(), F32(QNAN32))));
    ck_assert(f32_canonical(wasm_f32_max(F32(QNAN32 | 0x80000000u), 0.0f)));
    ck_assert(f32_canonical(wasm_f32_max(F32(QNAN32), F32(QNAN32))));
    /* a signalling NaN comes out quiet */
    ck_assert(f32_arithmetic(wasm_f32_min(1.0f, F32(SNAN32))));
    ck_assert(f32_arithmetic(wasm_f32_max(F32(SNAN32), __builtin_inff())));
    ck_assert(f64_canonical(wasm_f64_min(F64(QNAN64), -0.0)));
    ck_assert(f64_canonical(wasm_f64_max(1.0, F64(QNAN64))));
    ck_assert(f64_arithmetic(wasm_f64_min(F64(SNAN64), 2.0)));
    ck_assert(f64_arithmetic(wasm_f64_max(0.0, F64(SNAN64 | 0x8000000000000000ull))));
}
END_TEST

START_TEST(test_nearest)
{
    /* ties go to the even neighbour; the sign of zero is kept */
    CK_F32_BITS(wasm_f32_nearest(0.5f), 0x00000000u);
    CK_F32_BITS(wasm_f32_nearest(-0.5f), 0x80000000u);
    CK_F32_BITS(wasm_f32_nearest(-0.0f), 0x80000000u);
    ck_assert(wasm_f32_nearest(1.5f) == 2.0f);
    ck_assert(wasm_f32_nearest(2.5f) == 2.0f);
    ck_assert(wasm_f32_nearest(-3.5f) == -4.0f);
    ck_assert(wasm_f32_nearest(-2.5f) == -2.0f);
    ck_assert(wasm_f32_nearest(0x1.fffffep22f) == 8388608.0f);   /* 8388607.5 */
    ck_assert(wasm_f32_nearest(-0x1.fffffcp22f) == -8388607.0f); /* -8388607, exact */
    ck_assert(wasm_f32_nearest(__builtin_inff()) == __builtin_inff());
    CK_F64_BITS(wasm_f64_nearest(-0.5), 0x8000000000000000ull);
    ck_assert(wasm_f64_nearest(4503599627370495.5) == 4503599627370496.0);
    ck_assert(wasm_f64_nearest(-4503599627370497.0) == -4503599627370497.0);
    ck_assert(wasm_f64_nearest(2.5) == 2.0);
    ck_assert(wasm_f64_nearest(3.5) == 4.0);
    ck_assert(f32_arithmetic(wasm_f32_nearest(F32(SNAN32))));
    ck_assert(f64_canonical(wasm_f64_nearest(F64(QNAN64))));
}
END_TEST

START_TEST(test_ceil_floor_trunc)
{
    CK_F32_BITS(wasm_f32_ceil(-0.5f), 0x80000000u);   /* rounds up to -0 */
    ck_assert(wasm_f32_ceil(1.0001f) == 2.0f);
    ck_assert(wasm_f32_floor(-0.5f) == -1.0f);
    CK_F32_BITS(wasm_f32_floor(-0.0f), 0x80000000u);
    CK_F32_BITS(wasm_f32_trunc(-0.9f), 0x80000000u);
    ck_assert(wasm_f32_trunc(-1.5f) == -1.0f);
    CK_F64_BITS(wasm_f64_ceil(-0.9), 0x8000000000000000ull);
    ck_assert(wasm_f64_floor(-4503599627370495.5) == -4503599627370496.0);
    ck_assert(wasm_f64_trunc(1e300) == 1e300);
    ck_assert(wasm_f64_trunc(-2.75) == -2.0);
    ck_assert(f32_arithmetic(wasm_f32_ceil(F32(SNAN32))));
    ck_assert(f32_canonical(wasm_f32_floor(F32(QNAN32))));
    ck_assert(f64_arithmetic(wasm_f64_trunc(F64(SNAN64))));
    ck_assert(f64_arithmetic(wasm_f64_floor(F64(SNAN64))));
}
END_TEST

START_TEST(test_sign_bits)
{
    /* bit operations: payloads, signalling ones too, survive */
    CK_F32_BITS(wasm_f32_neg(F32(0x7fc00001u)), 0xffc00001u);
    CK_F32_BITS(wasm_f32_abs(F32(0xff800001u)), 0x7f800001u);
    CK_F32_BITS(wasm_f32_copysign(F32(0x7fc00123u), -1.0f), 0xffc00123u);
    CK_F32_BITS(wasm_f32_copysign(-2.0f, F32(0x7f800001u)), 0x40000000u);
    CK_F32_BITS(wasm_f32_neg(0.0f), 0x80000000u);
    CK_F64_BITS(wasm_f64_neg(F64(SNAN64)), 0xfff4000000000000ull);
    CK_F64_BITS(wasm_f64_abs(F64(0xfff0000000000001ull)), 0x7ff0000000000001ull);
    CK_F64_BITS(wasm_f64_copysign(1.0, -0.0), 0xbff0000000000000ull);
    CK_F64_BITS(wasm_f64_copysign(F64(0xfff8000000000abcull), 1.0), 0x7ff8000000000abcull);
}
END_TEST

START_TEST(test_demote_promote)
{
    ck_assert(f32_canonical(wasm_f32_demote_f64(F64(QNAN64))));
    ck_assert(f32_arithmetic(wasm_f32_demote_f64(F64(SNAN64))));
    ck_assert(wasm_f32_demote_f64(1e300) == __builtin_inff());
    /* 1 + 2^-24 is halfway between 1 and 1 + 2^-23: even wins */
    CK_F32_BITS(wasm_f32_demote_f64(1.0 + 0x1p-24), 0x3f800000u);
    CK_F32_BITS(wasm_f32_demote_f64(1.0 + 0x1p-24 + 0x1p-52), 0x3f800001u);
    /* 2^-150 is halfway between 0 and the least subnormal */
    CK_F32_BITS(wasm_f32_demote_f64(0x1p-150), 0);
    CK_F32_BITS(wasm_f32_demote_f64(0x1.0000000000001p-150), 1);
    CK_F32_BITS(wasm_f32_demote_f64(-0.0), 0x80000000u);
    ck_assert(f64_canonical(wasm_f64_promote_f32(F32(QNAN32))));
    ck_assert(f64_arithmetic(wasm_f64_promote_f32(F32(SNAN32))));
    CK_F64_BITS(wasm_f64_promote_f32(F32(1)), 0x36a0000000000000ull);  /* 2^-149 */
    CK_F64_BITS(wasm_f64_promote_f32(-0.0f), 0x8000000000000000ull);
}
END_TEST

START_TEST(test_convert_unsigned)
{
    /* 2^63 + 2^39 + 1 lies just above the midpoint of 2^63 and 2^63 + 2^40;
     * rounding through f64 first would land on the midpoint and then on 2^63 */
    CK_F32_BITS(wasm_f32_convert_u64(0x8000008000000001ull), 0x5f000001u);
    CK_F32_BITS(wasm_f32_convert_u64(0xffffffffffffffffull), 0x5f800000u);   /* 2^64 */
    CK_F32_BITS(wasm_f32_convert_u64(0xfffffe8000000001ull), 0x5f7fffffu);
    CK_F32_BITS(wasm_f32_convert_u64(0x7fffffbfffffffffull), 0x5effffffu);
    /* 2^32 - 128 is a tie between 2^32 - 256 (odd) and 2^32 (even) */
    CK_F32_BITS(wasm_f32_convert_u32(0xffffff80u), 0x4f800000u);
    CK_F32_BITS(wasm_f32_convert_u32(0x80000001u), 0x4f000000u);
    ck_assert(wasm_f32_convert_u32(16777217) == 16777216.0f);
    /* 2^63 + 2^10 + 1 rounds up to 2^63 + 2^11 */
    CK_F64_BITS(wasm_f64_convert_u64(0x8000000000000401ull), 0x43e0000000000001ull);
    CK_F64_BITS(wasm_f64_convert_u64(0xffffffffffffffffull), 0x43f0000000000000ull);
    ck_assert(wasm_f64_convert_u32(0xffffffffu) == 4294967295.0);
    CK_F32_BITS(wasm_f32_convert_s64(0x7fffff4000000001LL), 0x5effffffu);
    CK_F32_BITS(wasm_f32_convert_s64((int64_t)0x8000004000000001ull), 0xdeffffffu);
    ck_assert(wasm_f64_convert_s64(9007199254740993LL) == 9007199254740992.0);
    ck_assert(wasm_f64_convert_s64(-9007199254740995LL) == -9007199254740996.0);
}
END_TEST

START_TEST(test_bits)
{
    ck_assert_uint_eq(wasm_i32_rotl(0x80000001u, 1), 3);
    ck_assert_uint_eq(wasm_i32_rotl(0x80000001u, 33), 3);     /* count mod 32 */
    ck_assert_uint_eq(wasm_i32_rotl(0x12345678u, 0), 0x12345678u);
    ck_assert_uint_eq(wasm_i32_rotr(1, 1), 0x80000000u);
    ck_assert_uint_eq(wasm_i32_rotr(0xabcd1234u, 0xfffffff0u), 0x1234abcdu);
    ck_assert_uint_eq(wasm_i64_rotl(0x8000000000000001ull, 65), 3);
    ck_assert_uint_eq(wasm_i64_rotr(0x8000000000000001ull, 64), 0x8000000000000001ull);
    ck_assert_uint_eq(wasm_i64_rotr(0xf, 4), 0xf000000000000000ull);
    ck_assert_uint_eq(wasm_i32_shl(1, 32), 1);
    ck_assert_uint_eq(wasm_i32_shl(1, 31), 0x80000000u);
    ck_assert_int_eq(wasm_i32_shr_s(-8, 33), -4);
    ck_assert_uint_eq(wasm_i32_shr_u(0x80000000u, 63), 1);
    ck_assert_int_eq(wasm_i64_shr_s(INT64_MIN, 63), -1);
    ck_assert_uint_eq(wasm_i64_shr_u(0x8000000000000000ull, 127), 1);
    ck_assert_uint_eq(wasm_i64_shl(3, 64), 3);
    ck_assert_uint_eq(wasm_i32_clz(0), 32);
    ck_assert_uint_eq(wasm_i32_clz(1), 31);
    ck_assert_uint_eq(wasm_i32_ctz(0), 32);
    ck_assert_uint_eq(wasm_i32_ctz(0x80000000u), 31);
    ck_assert_uint_eq(wasm_i32_popcnt(0xffffffffu), 32);
    ck_assert_uint_eq(wasm_i32_popcnt(0x80008000u), 2);
    ck_assert_uint_eq(wasm_i64_clz(0), 64);
    ck_assert_uint_eq(wasm_i64_clz(0x0000800000000000ull), 16);
    ck_assert_uint_eq(wasm_i64_ctz(0), 64);
    ck_assert_uint_eq(wasm_i64_ctz(0x0000800000000000ull), 47);
    ck_assert_uint_eq(wasm_i64_popcnt(0xab00000000000001ull), 6);
}
END_TEST

START_TEST(test_sign_extension)
{
    ck_assert_int_eq(wasm_i32_extend8_s(0x80), -128);
    ck_assert_int_eq(wasm_i32_extend8_s(0x17f), 127);         /* high bits ignored */
    ck_assert_int_eq(wasm_i32_extend16_s(0x8000), -32768);
    ck_assert_int_eq(wasm_i32_extend16_s(0xffff7fff), 32767);
    ck_assert_int_eq(wasm_i64_extend8_s(0xfe), -2);
    ck_assert_int_eq(wasm_i64_extend16_s(0x12345678ffffull), -1);
    ck_assert_int_eq(wasm_i64_extend32_s(0x80000000ull), -2147483648LL);
    ck_assert_int_eq(wasm_i64_extend32_s(0xffffffff7fffffffull), 0x7fffffff);
}
END_TEST

START_TEST(test_messages)
{
    ck_assert_str_eq(wasm_num_message(WASM_NUM_DIV_ZERO), "integer divide by zero");
    ck_assert_str_eq(wasm_num_message(WASM_NUM_OVERFLOW), "integer overflow");
    ck_assert_str_eq(wasm_num_message(WASM_NUM_INVALID), "invalid conversion to integer");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("numeric");
    TCase *tc = tcase_create("scalar");

    tcase_add_test(tc, test_div_rem_i32);
    tcase_add_test(tc, test_div_rem_i64);
    tcase_add_test(tc, test_trunc_trapping_i32);
    tcase_add_test(tc, test_trunc_trapping_i64);
    tcase_add_test(tc, test_trunc_sat);
    tcase_add_test(tc, test_min_max_zeros);
    tcase_add_test(tc, test_min_max_nan);
    tcase_add_test(tc, test_nearest);
    tcase_add_test(tc, test_ceil_floor_trunc);
    tcase_add_test(tc, test_sign_bits);
    tcase_add_test(tc, test_demote_promote);
    tcase_add_test(tc, test_convert_unsigned);
    tcase_add_test(tc, test_bits);
    tcase_add_test(tc, test_sign_extension);
    tcase_add_test(tc, test_messages);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
