/* Exact WebAssembly semantics of the scalar numeric instructions.
 *
 * Floats travel as C float/double.  On the hosts we support (x86-64 SSE,
 * AArch64) passing and copying them never touches the bits, so NaN
 * payloads survive; only arithmetic quiets a signalling NaN, which is what
 * the spec allows.  abs/neg/copysign work on the bits and keep payloads.
 * wasm_f32_bits / wasm_f32_from_bits (and f64) convert to and from the
 * raw IEEE bits the module and the value cells hold.
 *
 * Operations that can trap return a wasm_numstatus and write the result
 * through a pointer; the caller turns the status into the trap message
 * with wasm_num_message.  Everything else returns its result.
 *
 * Plain C is already exact for: add, sub, mul, div, sqrt (IEEE, round to
 * nearest even, NaN results quiet), comparisons (NaN compares unequal),
 * signed int -> float casts, reinterpretations, wrap and extend.  The
 * functions below cover the rest. */
#ifndef LIBWASM_NUMERIC_H
#define LIBWASM_NUMERIC_H

#include <stdint.h>
#include <string.h>

typedef enum {
    WASM_NUM_OK = 0,
    WASM_NUM_DIV_ZERO,     /* "integer divide by zero" */
    WASM_NUM_OVERFLOW,     /* "integer overflow" */
    WASM_NUM_INVALID,      /* "invalid conversion to integer" (NaN) */
} wasm_numstatus;

static inline const char *wasm_num_message(wasm_numstatus s)
{
    switch (s) {
    case WASM_NUM_DIV_ZERO: return "integer divide by zero";
    case WASM_NUM_OVERFLOW: return "integer overflow";
    case WASM_NUM_INVALID: return "invalid conversion to integer";
    default: return "ok";
    }
}

/* ---- bits <-> floats ------------------------------------------------ */

static inline uint32_t wasm_f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static inline float wasm_f32_from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline uint64_t wasm_f64_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static inline double wasm_f64_from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, 8);
    return d;
}

/* ---- sign operations: bit-exact, NaN payloads untouched -------------- */

static inline float wasm_f32_abs(float x)
{
    return wasm_f32_from_bits(wasm_f32_bits(x) & 0x7fffffffu);
}

static inline float wasm_f32_neg(float x)
{
    return wasm_f32_from_bits(wasm_f32_bits(x) ^ 0x80000000u);
}

static inline float wasm_f32_copysign(float x, float y)
{
    return wasm_f32_from_bits((wasm_f32_bits(x) & 0x7fffffffu) |
                              (wasm_f32_bits(y) & 0x80000000u));
}

static inline double wasm_f64_abs(double x)
{
    return wasm_f64_from_bits(wasm_f64_bits(x) & 0x7fffffffffffffffull);
}

static inline double wasm_f64_neg(double x)
{
    return wasm_f64_from_bits(wasm_f64_bits(x) ^ 0x8000000000000000ull);
}

static inline double wasm_f64_copysign(double x, double y)
{
    return wasm_f64_from_bits((wasm_f64_bits(x) & 0x7fffffffffffffffull) |
                              (wasm_f64_bits(y) & 0x8000000000000000ull));
}

/* ---- min / max ------------------------------------------------------- */

/* A NaN operand gives a quiet NaN: the hardware sum of the operands is the
 * (quieted) NaN operand, so canonical inputs stay canonical.  Equal
 * operands may be zeros of opposite sign: OR of the bits picks -0 for min,
 * AND picks +0 for max. */

static inline float wasm_f32_min(float a, float b)
{
    if (a != a || b != b)
        return a + b;
    if (a == b)
        return wasm_f32_from_bits(wasm_f32_bits(a) | wasm_f32_bits(b));
    return a < b ? a : b;
}

static inline float wasm_f32_max(float a, float b)
{
    if (a != a || b != b)
        return a + b;
    if (a == b)
        return wasm_f32_from_bits(wasm_f32_bits(a) & wasm_f32_bits(b));
    return a > b ? a : b;
}

static inline double wasm_f64_min(double a, double b)
{
    if (a != a || b != b)
        return a + b;
    if (a == b)
        return wasm_f64_from_bits(wasm_f64_bits(a) | wasm_f64_bits(b));
    return a < b ? a : b;
}

static inline double wasm_f64_max(double a, double b)
{
    if (a != a || b != b)
        return a + b;
    if (a == b)
        return wasm_f64_from_bits(wasm_f64_bits(a) & wasm_f64_bits(b));
    return a > b ? a : b;
}

/* ---- rounding to integral values -------------------------------------- */

/* The NaN test first guarantees a quiet result whatever the libm does with
 * a signalling NaN.  rint in the default rounding mode rounds half to even
 * and keeps the sign of zero (nearest(-0.5) = -0). */

static inline float wasm_f32_ceil(float x)
{
    return x != x ? x + x : __builtin_ceilf(x);
}

static inline float wasm_f32_floor(float x)
{
    return x != x ? x + x : __builtin_floorf(x);
}

static inline float wasm_f32_trunc(float x)
{
    return x != x ? x + x : __builtin_truncf(x);
}

static inline float wasm_f32_nearest(float x)
{
    return x != x ? x + x : __builtin_rintf(x);
}

static inline double wasm_f64_ceil(double x)
{
    return x != x ? x + x : __builtin_ceil(x);
}

static inline double wasm_f64_floor(double x)
{
    return x != x ? x + x : __builtin_floor(x);
}

static inline double wasm_f64_trunc(double x)
{
    return x != x ? x + x : __builtin_trunc(x);
}

static inline double wasm_f64_nearest(double x)
{
    return x != x ? x + x : __builtin_rint(x);
}

static inline float wasm_f32_sqrt(float x)
{
    return __builtin_sqrtf(x);
}

static inline double wasm_f64_sqrt(double x)
{
    return __builtin_sqrt(x);
}

/* ---- float <-> float ---------------------------------------------------- */

/* The conversion instructions quiet a NaN and keep its high payload bits,
 * so a canonical NaN stays canonical and any other NaN becomes an
 * arithmetic NaN, as the spec requires. */

static inline float wasm_f32_demote_f64(double x)
{
    return (float)x;
}

static inline double wasm_f64_promote_f32(float x)
{
    return (double)x;
}

/* ---- int -> float -------------------------------------------------------- */

/* C's casts from unsigned types round once, to nearest even (GCC and Clang
 * emit the halve-and-keep-sticky-bit sequence on x86-64 and a native
 * instruction on AArch64). */

static inline float wasm_f32_convert_u32(uint32_t x) { return (float)x; }
static inline float wasm_f32_convert_u64(uint64_t x) { return (float)x; }
static inline double wasm_f64_convert_u32(uint32_t x) { return (double)x; }
static inline double wasm_f64_convert_u64(uint64_t x) { return (double)x; }
static inline float wasm_f32_convert_s32(int32_t x) { return (float)x; }
static inline float wasm_f32_convert_s64(int64_t x) { return (float)x; }
static inline double wasm_f64_convert_s32(int32_t x) { return (double)x; }
static inline double wasm_f64_convert_s64(int64_t x) { return (double)x; }

/* ---- float -> int, trapping ------------------------------------------------ */

/* Each bound is exact in the source type: the value is in range when it
 * lies strictly between the two integers just outside the target range
 * (or at the inclusive lower bound where that is representable). */

static inline wasm_numstatus wasm_i32_trunc_f32_s(float x, int32_t *out)
{
    if (x != x)
        return WASM_NUM_INVALID;
    if (!(x >= -2147483648.0f && x < 2147483648.0f))
        return WASM_NUM_OVERFLOW;
    *out = (int32_t)x;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i32_trunc_f32_u(float x, uint32_t *out)
{
    if (x != x)
        return WASM_NUM_INVALID;
    if (!(x > -1.0f && x < 4294967296.0f))
        return WASM_NUM_OVERFLOW;
    *out = (uint32_t)x;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i32_trunc_f64_s(double x, int32_t *out)
{
    if (x != x)
        return WASM_NUM_INVALID;
    if (!(x > -2147483649.0 && x < 2147483648.0))
        return WASM_NUM_OVERFLOW;
    *out = (int32_t)x;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i32_trunc_f64_u(double x, uint32_t *out)
{
    if (x != x)
        return WASM_NUM_INVALID;
    if (!(x > -1.0 && x < 4294967296.0))
        return WASM_NUM_OVERFLOW;
    *out = (uint32_t)x;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i64_trunc_f32_s(float x, int64_t *out)
{
    if (x != x)
        return WASM_NUM_INVALID;
    if (!(x >= -9223372036854775808.0f && x < 9223372036854775808.0f))
        return WASM_NUM_OVERFLOW;
    *out = (int64_t)x;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i64_trunc_f32_u(float x, uint64_t *out)
{
    if (x != x)
        return WASM_NUM_INVALID;
    if (!(x > -1.0f && x < 18446744073709551616.0f))
        return WASM_NUM_OVERFLOW;
    *out = (uint64_t)x;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i64_trunc_f64_s(double x, int64_t *out)
{
    if (x != x)
        return WASM_NUM_INVALID;
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0))
        return WASM_NUM_OVERFLOW;
    *out = (int64_t)x;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i64_trunc_f64_u(double x, uint64_t *out)
{
    if (x != x)
        return WASM_NUM_INVALID;
    if (!(x > -1.0 && x < 18446744073709551616.0))
        return WASM_NUM_OVERFLOW;
    *out = (uint64_t)x;
    return WASM_NUM_OK;
}

/* ---- float -> int, saturating: NaN gives 0, out of range clamps ------------ */

static inline int32_t wasm_i32_trunc_sat_f32_s(float x)
{
    if (x != x)
        return 0;
    if (x < -2147483648.0f)
        return INT32_MIN;
    if (x >= 2147483648.0f)
        return INT32_MAX;
    return (int32_t)x;
}

static inline uint32_t wasm_i32_trunc_sat_f32_u(float x)
{
    if (!(x > -1.0f))          /* NaN too */
        return 0;
    if (x >= 4294967296.0f)
        return UINT32_MAX;
    return (uint32_t)x;
}

static inline int32_t wasm_i32_trunc_sat_f64_s(double x)
{
    if (x != x)
        return 0;
    if (x <= -2147483649.0)
        return INT32_MIN;
    if (x >= 2147483648.0)
        return INT32_MAX;
    return (int32_t)x;
}

static inline uint32_t wasm_i32_trunc_sat_f64_u(double x)
{
    if (!(x > -1.0))
        return 0;
    if (x >= 4294967296.0)
        return UINT32_MAX;
    return (uint32_t)x;
}

static inline int64_t wasm_i64_trunc_sat_f32_s(float x)
{
    if (x != x)
        return 0;
    if (x < -9223372036854775808.0f)
        return INT64_MIN;
    if (x >= 9223372036854775808.0f)
        return INT64_MAX;
    return (int64_t)x;
}

static inline uint64_t wasm_i64_trunc_sat_f32_u(float x)
{
    if (!(x > -1.0f))
        return 0;
    if (x >= 18446744073709551616.0f)
        return UINT64_MAX;
    return (uint64_t)x;
}

static inline int64_t wasm_i64_trunc_sat_f64_s(double x)
{
    if (x != x)
        return 0;
    if (x < -9223372036854775808.0)
        return INT64_MIN;
    if (x >= 9223372036854775808.0)
        return INT64_MAX;
    return (int64_t)x;
}

static inline uint64_t wasm_i64_trunc_sat_f64_u(double x)
{
    if (!(x > -1.0))
        return 0;
    if (x >= 18446744073709551616.0)
        return UINT64_MAX;
    return (uint64_t)x;
}

/* ---- integer division ----------------------------------------------------- */

static inline wasm_numstatus wasm_i32_div_s(int32_t a, int32_t b, int32_t *out)
{
    if (b == 0)
        return WASM_NUM_DIV_ZERO;
    if (a == INT32_MIN && b == -1)
        return WASM_NUM_OVERFLOW;
    *out = a / b;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i32_div_u(uint32_t a, uint32_t b, uint32_t *out)
{
    if (b == 0)
        return WASM_NUM_DIV_ZERO;
    *out = a / b;
    return WASM_NUM_OK;
}

/* INT_MIN % -1 is 0 in Wasm but undefined (and a hardware trap) in C. */
static inline wasm_numstatus wasm_i32_rem_s(int32_t a, int32_t b, int32_t *out)
{
    if (b == 0)
        return WASM_NUM_DIV_ZERO;
    *out = b == -1 ? 0 : a % b;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i32_rem_u(uint32_t a, uint32_t b, uint32_t *out)
{
    if (b == 0)
        return WASM_NUM_DIV_ZERO;
    *out = a % b;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i64_div_s(int64_t a, int64_t b, int64_t *out)
{
    if (b == 0)
        return WASM_NUM_DIV_ZERO;
    if (a == INT64_MIN && b == -1)
        return WASM_NUM_OVERFLOW;
    *out = a / b;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i64_div_u(uint64_t a, uint64_t b, uint64_t *out)
{
    if (b == 0)
        return WASM_NUM_DIV_ZERO;
    *out = a / b;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i64_rem_s(int64_t a, int64_t b, int64_t *out)
{
    if (b == 0)
        return WASM_NUM_DIV_ZERO;
    *out = b == -1 ? 0 : a % b;
    return WASM_NUM_OK;
}

static inline wasm_numstatus wasm_i64_rem_u(uint64_t a, uint64_t b, uint64_t *out)
{
    if (b == 0)
        return WASM_NUM_DIV_ZERO;
    *out = a % b;
    return WASM_NUM_OK;
}

/* ---- bit operations ---------------------------------------------------------- */

/* Shift and rotate counts are taken modulo the width, as Wasm defines
 * them (a plain C shift by >= the width is undefined). */

static inline uint32_t wasm_i32_rotl(uint32_t x, uint32_t n)
{
    n &= 31;
    return (x << n) | (x >> ((32 - n) & 31));
}

static inline uint32_t wasm_i32_rotr(uint32_t x, uint32_t n)
{
    n &= 31;
    return (x >> n) | (x << ((32 - n) & 31));
}

static inline uint64_t wasm_i64_rotl(uint64_t x, uint64_t n)
{
    n &= 63;
    return (x << n) | (x >> ((64 - n) & 63));
}

static inline uint64_t wasm_i64_rotr(uint64_t x, uint64_t n)
{
    n &= 63;
    return (x >> n) | (x << ((64 - n) & 63));
}

static inline uint32_t wasm_i32_shl(uint32_t x, uint32_t n) { return x << (n & 31); }
static inline uint32_t wasm_i32_shr_u(uint32_t x, uint32_t n) { return x >> (n & 31); }
/* GCC and Clang define >> of a negative value as arithmetic. */
static inline int32_t wasm_i32_shr_s(int32_t x, uint32_t n) { return x >> (n & 31); }
static inline uint64_t wasm_i64_shl(uint64_t x, uint64_t n) { return x << (n & 63); }
static inline uint64_t wasm_i64_shr_u(uint64_t x, uint64_t n) { return x >> (n & 63); }
static inline int64_t wasm_i64_shr_s(int64_t x, uint64_t n) { return x >> (n & 63); }

/* The builtins are undefined at 0. */
static inline uint32_t wasm_i32_clz(uint32_t x) { return x ? (uint32_t)__builtin_clz(x) : 32; }
static inline uint32_t wasm_i32_ctz(uint32_t x) { return x ? (uint32_t)__builtin_ctz(x) : 32; }
static inline uint32_t wasm_i32_popcnt(uint32_t x) { return (uint32_t)__builtin_popcount(x); }
static inline uint64_t wasm_i64_clz(uint64_t x) { return x ? (uint64_t)__builtin_clzll(x) : 64; }
static inline uint64_t wasm_i64_ctz(uint64_t x) { return x ? (uint64_t)__builtin_ctzll(x) : 64; }
static inline uint64_t wasm_i64_popcnt(uint64_t x) { return (uint64_t)__builtin_popcountll(x); }

/* ---- sign extension ------------------------------------------------------------ */

static inline int32_t wasm_i32_extend8_s(uint32_t x) { return (int8_t)x; }
static inline int32_t wasm_i32_extend16_s(uint32_t x) { return (int16_t)x; }
static inline int64_t wasm_i64_extend8_s(uint64_t x) { return (int8_t)x; }
static inline int64_t wasm_i64_extend16_s(uint64_t x) { return (int16_t)x; }
static inline int64_t wasm_i64_extend32_s(uint64_t x) { return (int32_t)x; }

#endif
