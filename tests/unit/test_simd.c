/* SIMD lane semantics (simd.c) against values worked out from the spec's
 * definitions (exec/instructions.rst, exec/numerics.rst); several cases
 * mirror the boundary cases of the official simd_*.wast scripts. */
#include "unit.h"
#include "internal.h"
#include "numeric.h"
#include "simd.h"

/* ---- building vectors ----------------------------------------------------- */

#define VU8(...) ((wasm_v128){ .u8 = { __VA_ARGS__ } })
#define VI8(...) ((wasm_v128){ .i8 = { __VA_ARGS__ } })
#define VU16(...) ((wasm_v128){ .u16 = { __VA_ARGS__ } })
#define VI16(...) ((wasm_v128){ .i16 = { __VA_ARGS__ } })
#define VU32(...) ((wasm_v128){ .u32 = { __VA_ARGS__ } })
#define VI32(...) ((wasm_v128){ .i32 = { __VA_ARGS__ } })
#define VU64(...) ((wasm_v128){ .u64 = { __VA_ARGS__ } })
#define VI64(...) ((wasm_v128){ .i64 = { __VA_ARGS__ } })
#define VF32(...) ((wasm_v128){ .f32 = { __VA_ARGS__ } })
#define VF64(...) ((wasm_v128){ .f64 = { __VA_ARGS__ } })

#define QNAN32 0x7fc00000u
#define SNAN32 0x7fa00000u
#define QNAN64 0x7ff8000000000000ull
#define SNAN64 0x7ff4000000000000ull
#define INF32 0x7f800000u
#define NINF32 0xff800000u

static wasm_instr no_imm;

static wasm_v128 run3(uint16_t op, const wasm_instr *ins, wasm_v128 a, wasm_v128 b,
                      wasm_v128 c)
{
    wasm_v128 out;

    memset(&out, 0xcd, sizeof out);
    ck_assert_int_eq(wasm_simd_apply(op, ins, &a, &b, &c, &out), 0);
    return out;
}

static wasm_v128 run1(uint16_t op, wasm_v128 a)
{
    wasm_v128 z = VU64(0, 0);
    return run3(op, &no_imm, a, z, z);
}

static wasm_v128 run2(uint16_t op, wasm_v128 a, wasm_v128 b)
{
    wasm_v128 z = VU64(0, 0);
    return run3(op, &no_imm, a, b, z);
}

static wasm_v128 lane_op(uint16_t op, uint8_t lane, wasm_v128 a, wasm_v128 b)
{
    wasm_instr ins = { .op = op };
    wasm_v128 z = VU64(0, 0);

    ins.imm.lane = lane;
    return run3(op, &ins, a, b, z);
}

static wasm_v128 scalar32(uint32_t v) { return VU32(v, 0, 0, 0); }
static wasm_v128 scalar64(uint64_t v) { return VU64(v, 0); }

/* Byte-exact comparison with a readable message. */
#define CK_V128(got, want) ck_v128(got, want, __LINE__)
static void ck_v128(wasm_v128 got, wasm_v128 want, int line)
{
    char g[40], w[40];

    for (int i = 0; i < 16; i++) {
        sprintf(g + 2 * i, "%02x", got.u8[i]);
        sprintf(w + 2 * i, "%02x", want.u8[i]);
    }
    ck_assert_msg(memcmp(&got, &want, 16) == 0, "line %d: got %s want %s", line, g, w);
}

static int f32_canonical(uint32_t b) { return (b & 0x7fffffffu) == QNAN32; }
static int f32_arithmetic(uint32_t b) { return (b & QNAN32) == QNAN32; }
static int f64_canonical(uint64_t b) { return (b & 0x7fffffffffffffffull) == QNAN64; }
static int f64_arithmetic(uint64_t b) { return (b & QNAN64) == QNAN64; }

/* ---- every table entry is handled by exactly one entry point ------------- */

START_TEST(test_table_coverage)
{
    wasm_v128 z = VU64(0, 0), out;
    uint8_t mem[16] = { 0 };
    wasm_instr ins = { 0 };
    int nsimd = 0;

    for (uint16_t op = 0; op < OP_COUNT; op++) {
        const wasm_opinfo *oi = &wasm_opinfo_table[op];
        int memop = oi->imm == IMM_MEMARG || oi->imm == IMM_MEMARG_LANE;
        int r = wasm_simd_apply(op, &ins, &z, &z, &z, &out);

        if (oi->prefix != 0xFD) {
            ck_assert_msg(r == -1 && wasm_simd_mem_size(op) == 0, "%s", oi->name);
            continue;
        }
        nsimd++;
        ck_assert_msg(r == (memop ? -1 : 0), "%s", oi->name);
        if (!memop)
            continue;
        /* the access size is the natural alignment */
        ck_assert_msg(wasm_simd_mem_size(op) == 1u << oi->align, "%s", oi->name);
        ck_assert_msg(wasm_simd_load(op, 0, mem, &z, &out) == 0 ||
                      wasm_simd_store(op, 0, &z, mem) == 0, "%s", oi->name);
    }
    ck_assert_int_eq(nsimd, 236 + 20);
    ck_assert_int_eq(wasm_simd_load(OP_I32_ADD, 0, mem, &z, &out), -1);
    ck_assert_int_eq(wasm_simd_store(OP_V128_LOAD, 0, &z, mem), -1);
}
END_TEST

/* ---- constants, shuffles, lanes ------------------------------------------- */

START_TEST(test_const_shuffle_swizzle)
{
    wasm_instr ins = { .op = OP_V128_CONST };
    wasm_v128 a = VU8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    wasm_v128 b = VU8(0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
                      0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f);
    static const uint8_t lanes[16] = { 0, 31, 16, 15, 1, 30, 17, 14,
                                       2, 29, 18, 13, 3, 28, 19, 12 };

    memcpy(ins.imm.bytes, b.u8, 16);
    CK_V128(run3(OP_V128_CONST, &ins, a, a, a), b);

    /* indexes 16..31 pick from the second operand */
    ins.op = OP_I8X16_SHUFFLE;
    memcpy(ins.imm.bytes, lanes, 16);
    CK_V128(run3(OP_I8X16_SHUFFLE, &ins, a, b, a),
            VU8(0x00, 0x8f, 0x80, 0x0f, 0x01, 0x8e, 0x81, 0x0e,
                0x02, 0x8d, 0x82, 0x0d, 0x03, 0x8c, 0x83, 0x0c));

    /* swizzle: an index >= 16 (255, 0x80 and 32 too) selects 0 */
    CK_V128(run2(OP_I8X16_SWIZZLE, b,
                 VU8(0, 15, 16, 255, 0x80, 1, 17, 14, 3, 3, 32, 2, 100, 5, 6, 7)),
            VU8(0x80, 0x8f, 0, 0, 0, 0x81, 0, 0x8e, 0x83, 0x83, 0, 0x82, 0, 0x85, 0x86, 0x87));
}
END_TEST

START_TEST(test_splat)
{
    CK_V128(run1(OP_I8X16_SPLAT, scalar32(0x1ff)),
            VU8(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
    CK_V128(run1(OP_I16X8_SPLAT, scalar32(0x12345)),
            VU16(0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345));
    CK_V128(run1(OP_I32X4_SPLAT, scalar32(0x80000001u)),
            VU32(0x80000001u, 0x80000001u, 0x80000001u, 0x80000001u));
    CK_V128(run1(OP_I64X2_SPLAT, scalar64(0x0123456789abcdefull)),
            VU64(0x0123456789abcdefull, 0x0123456789abcdefull));
    /* splat moves bits: a signalling NaN stays signalling */
    CK_V128(run1(OP_F32X4_SPLAT, scalar32(SNAN32 | 1)),
            VU32(SNAN32 | 1, SNAN32 | 1, SNAN32 | 1, SNAN32 | 1));
    CK_V128(run1(OP_F64X2_SPLAT, scalar64(SNAN64)), VU64(SNAN64, SNAN64));
}
END_TEST

START_TEST(test_extract_replace)
{
    wasm_v128 v = VU8(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x34, 0x12, 0xff, 0x80);
    wasm_v128 z = VU64(0, 0);

    /* scalar results are zero-extended to the whole vector */
    CK_V128(lane_op(OP_I8X16_EXTRACT_LANE_S, 15, v, z), scalar32(0xffffff80u));
    CK_V128(lane_op(OP_I8X16_EXTRACT_LANE_U, 15, v, z), scalar32(0x80));
    CK_V128(lane_op(OP_I8X16_EXTRACT_LANE_S, 0, v, z), scalar32(1));
    CK_V128(lane_op(OP_I16X8_EXTRACT_LANE_S, 7, v, z), scalar32(0xffff80ffu));
    CK_V128(lane_op(OP_I16X8_EXTRACT_LANE_U, 7, v, z), scalar32(0x80ff));
    CK_V128(lane_op(OP_I16X8_EXTRACT_LANE_S, 6, v, z), scalar32(0x1234));
    CK_V128(lane_op(OP_I32X4_EXTRACT_LANE, 1, v, z), scalar32(0x08070605));
    CK_V128(lane_op(OP_I64X2_EXTRACT_LANE, 1, v, z), scalar64(0x80ff12340c0b0a09ull));
    CK_V128(lane_op(OP_F32X4_EXTRACT_LANE, 2, VU32(0, 0, SNAN32, 0), z), scalar32(SNAN32));
    CK_V128(lane_op(OP_F64X2_EXTRACT_LANE, 0, VU64(SNAN64 | 5, 1), z), scalar64(SNAN64 | 5));

    /* replace keeps the other lanes and truncates the scalar */
    CK_V128(lane_op(OP_I8X16_REPLACE_LANE, 3, v, scalar32(0x1ab)),
            VU8(1, 2, 3, 0xab, 5, 6, 7, 8, 9, 10, 11, 12, 0x34, 0x12, 0xff, 0x80));
    CK_V128(lane_op(OP_I16X8_REPLACE_LANE, 7, VU16(1, 2, 3, 4, 5, 6, 7, 8), scalar32(0xfffe8000u)),
            VU16(1, 2, 3, 4, 5, 6, 7, 0x8000));
    CK_V128(lane_op(OP_I32X4_REPLACE_LANE, 0, VU32(1, 2, 3, 4), scalar32(9)), VU32(9, 2, 3, 4));
    CK_V128(lane_op(OP_F32X4_REPLACE_LANE, 3, VU32(1, 2, 3, 4), scalar32(SNAN32)),
            VU32(1, 2, 3, SNAN32));
    CK_V128(lane_op(OP_I64X2_REPLACE_LANE, 1, VU64(1, 2), scalar64(~0ull)), VU64(1, ~0ull));
    CK_V128(lane_op(OP_F64X2_REPLACE_LANE, 0, VU64(1, 2), scalar64(QNAN64)), VU64(QNAN64, 2));
}
END_TEST

START_TEST(test_out_aliases_operand)
{
    wasm_v128 a = VI32(1, 2, 3, 4), b = VI32(10, 20, 30, 40);
    wasm_instr ins = { .op = OP_I8X16_SHUFFLE };

    ck_assert_int_eq(wasm_simd_apply(OP_I32X4_SUB, &no_imm, &a, &b, NULL, &b), 0);
    CK_V128(b, VI32(-9, -18, -27, -36));
    /* shuffle reads both operands after writing lane 0 would be wrong */
    for (int i = 0; i < 16; i++)
        ins.imm.bytes[i] = (uint8_t)(15 - i);
    a = VU8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    ck_assert_int_eq(wasm_simd_apply(OP_I8X16_SHUFFLE, &ins, &a, &a, NULL, &a), 0);
    CK_V128(a, VU8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
}
END_TEST

/* ---- comparisons ------------------------------------------------------------- */

START_TEST(test_int_compare)
{
    wasm_v128 a8 = VI8(-128, 1, 0, -1, 5, 5, 127, -128, 0, 0, 0, 0, 0, 0, 0, 0);
    wasm_v128 b8 = VI8(1, -128, 0, 0, 5, 6, -128, 127, 0, 0, 0, 0, 0, 0, 0, 1);

    /* 0x80 is -128 signed but 128 unsigned */
    CK_V128(run2(OP_I8X16_LT_S, a8, b8),
            VI8(-1, 0, 0, -1, 0, -1, 0, -1, 0, 0, 0, 0, 0, 0, 0, -1));
    CK_V128(run2(OP_I8X16_LT_U, a8, b8),
            VI8(0, -1, 0, 0, 0, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, -1));
    CK_V128(run2(OP_I8X16_GE_U, a8, b8),
            VI8(-1, 0, -1, -1, -1, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1, 0));
    CK_V128(run2(OP_I8X16_EQ, a8, b8),
            VI8(0, 0, -1, 0, -1, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, 0));
    CK_V128(run2(OP_I16X8_GT_U, VU16(0x8000, 1, 2, 3, 0xffff, 0, 7, 7), VU16(1, 0x8000, 2, 4, 0, 0xffff, 6, 8)),
            VI16(-1, 0, 0, 0, -1, 0, -1, 0));
    CK_V128(run2(OP_I16X8_LE_S, VU16(0x8000, 1, 2, 3, 0xffff, 0, 7, 7), VU16(1, 0x8000, 2, 4, 0, 0xffff, 6, 8)),
            VI16(-1, 0, -1, -1, -1, 0, 0, -1));
    CK_V128(run2(OP_I32X4_GT_S, VI32(INT32_MIN, 0, -1, 2), VI32(INT32_MAX, -1, -1, 1)),
            VI32(0, -1, 0, -1));
    CK_V128(run2(OP_I32X4_LT_U, VI32(INT32_MIN, 0, -1, 2), VI32(INT32_MAX, -1, -1, 1)),
            VI32(0, -1, 0, 0));
    CK_V128(run2(OP_I32X4_NE, VI32(INT32_MIN, 0, -1, 2), VI32(INT32_MAX, -1, -1, 1)),
            VI32(-1, -1, 0, -1));
    CK_V128(run2(OP_I64X2_LT_S, VI64(INT64_MIN, 1), VI64(0, -1)), VI64(-1, 0));
    CK_V128(run2(OP_I64X2_GE_S, VI64(INT64_MIN, 1), VI64(INT64_MIN, -1)), VI64(-1, -1));
    CK_V128(run2(OP_I64X2_EQ, VI64(INT64_MIN, 1), VI64(INT64_MIN, -1)), VI64(-1, 0));
}
END_TEST

START_TEST(test_float_compare)
{
    wasm_v128 a = VU32(QNAN32, 0x80000000u, NINF32, 0x3f800000u);   /* NaN, -0, -inf, 1 */
    wasm_v128 b = VU32(QNAN32, 0x00000000u, 0xff7fffffu, 0x3f800000u); /* NaN, +0, -max, 1 */

    /* NaN is unordered: every comparison but ne is false; -0 == +0 */
    CK_V128(run2(OP_F32X4_EQ, a, b), VI32(0, -1, 0, -1));
    CK_V128(run2(OP_F32X4_NE, a, b), VI32(-1, 0, -1, 0));
    CK_V128(run2(OP_F32X4_LT, a, b), VI32(0, 0, -1, 0));
    CK_V128(run2(OP_F32X4_GE, a, b), VI32(0, -1, 0, -1));
    CK_V128(run2(OP_F32X4_GT, b, a), VI32(0, 0, -1, 0));
    CK_V128(run2(OP_F32X4_LE, b, a), VI32(0, -1, 0, -1));
    CK_V128(run2(OP_F64X2_EQ, VU64(SNAN64, 0x8000000000000000ull), VU64(SNAN64, 0)), VI64(0, -1));
    CK_V128(run2(OP_F64X2_NE, VU64(SNAN64, 0x8000000000000000ull), VU64(SNAN64, 0)), VI64(-1, 0));
    CK_V128(run2(OP_F64X2_LT, VF64(-1.0, 2.0), VF64(1.0, 2.0)), VI64(-1, 0));
    CK_V128(run2(OP_F64X2_LE, VF64(-1.0, 2.0), VF64(1.0, 2.0)), VI64(-1, -1));
    CK_V128(run2(OP_F64X2_GT, VF64(-1.0, 2.0), VF64(1.0, 2.0)), VI64(0, 0));
    CK_V128(run2(OP_F64X2_GE, VF64(-1.0, 2.0), VU64(QNAN64, 0x4000000000000000ull)), VI64(0, -1));
}
END_TEST

/* ---- bitwise and boolean -------------------------------------------------------- */

START_TEST(test_bitwise)
{
    wasm_v128 a = VU64(0xff00ff00ff00ff00ull, 0x0123456789abcdefull);
    wasm_v128 b = VU64(0xf0f0f0f0f0f0f0f0ull, 0xffffffff00000000ull);

    CK_V128(run1(OP_V128_NOT, a), VU64(0x00ff00ff00ff00ffull, 0xfedcba9876543210ull));
    CK_V128(run2(OP_V128_AND, a, b), VU64(0xf000f000f000f000ull, 0x0123456700000000ull));
    CK_V128(run2(OP_V128_ANDNOT, a, b), VU64(0x0f000f000f000f00ull, 0x0000000089abcdefull));
    CK_V128(run2(OP_V128_OR, a, b), VU64(0xfff0fff0fff0fff0ull, 0xffffffff89abcdefull));
    CK_V128(run2(OP_V128_XOR, a, b), VU64(0x0ff00ff00ff00ff0ull, 0xfedcba9889abcdefull));
    /* bitselect takes a's bit where the mask c is 1, b's where it is 0 */
    CK_V128(run3(OP_V128_BITSELECT, &no_imm, VU64(~0ull, 0x1111111111111111ull),
                 VU64(0, 0x2222222222222222ull), VU64(0x00ff00ff00ff00ffull, 0xf0f0f0f00f0f0f0full)),
            VU64(0x00ff00ff00ff00ffull, 0x1212121221212121ull));
}
END_TEST

START_TEST(test_any_all_true_bitmask)
{
    wasm_v128 wide = VU16(0x0100, 1, 0x8000, 2, 3, 4, 5, 6);   /* no zero lane, zero bytes */

    CK_V128(run1(OP_V128_ANY_TRUE, VU64(0, 0)), scalar32(0));
    CK_V128(run1(OP_V128_ANY_TRUE, VU64(0, 1ull << 63)), scalar32(1));
    CK_V128(run1(OP_I8X16_ALL_TRUE, wide), scalar32(0));
    CK_V128(run1(OP_I16X8_ALL_TRUE, wide), scalar32(1));
    CK_V128(run1(OP_I32X4_ALL_TRUE, VU32(1, 0x80000000u, 0x10000, 0)), scalar32(0));
    CK_V128(run1(OP_I32X4_ALL_TRUE, VU32(1, 0x80000000u, 0x10000, 5)), scalar32(1));
    CK_V128(run1(OP_I64X2_ALL_TRUE, VU64(1ull << 63, 1)), scalar32(1));
    CK_V128(run1(OP_I64X2_ALL_TRUE, VU64(1ull << 63, 0)), scalar32(0));
    CK_V128(run1(OP_I8X16_ALL_TRUE, VI8(1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2)),
            scalar32(1));
    /* bitmask gathers the top bit of each lane, lane 0 in bit 0 */
    CK_V128(run1(OP_I8X16_BITMASK, VU8(0x80, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff)),
            scalar32(0x8001));
    CK_V128(run1(OP_I16X8_BITMASK, VU16(0x0080, 0, 0, 0, 0, 0, 0xffff, 0x8000)), scalar32(0xc0));
    CK_V128(run1(OP_I32X4_BITMASK, VI32(-1, 0, INT32_MIN, 1)), scalar32(5));
    CK_V128(run1(OP_I64X2_BITMASK, VI64(0x7fffffffffffffffLL, -1)), scalar32(2));
}
END_TEST

/* ---- integer arithmetic ------------------------------------------------------------ */

START_TEST(test_int_unary)
{
    /* abs and neg of the most negative value wrap to itself */
    CK_V128(run1(OP_I8X16_ABS, VI8(-128, -1, 1, 127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -5)),
            VI8(-128, 1, 1, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5));
    CK_V128(run1(OP_I16X8_ABS, VI16(-32768, -1, 32767, 0, -300, 300, 1, -2)),
            VI16(-32768, 1, 32767, 0, 300, 300, 1, 2));
    CK_V128(run1(OP_I32X4_ABS, VI32(INT32_MIN, -7, 7, 0)), VI32(INT32_MIN, 7, 7, 0));
    CK_V128(run1(OP_I64X2_ABS, VI64(INT64_MIN, -42)), VI64(INT64_MIN, 42));
    CK_V128(run1(OP_I8X16_NEG, VI8(-128, -1, 1, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VI8(-128, 1, -1, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run1(OP_I16X8_NEG, VI16(-32768, 5, 0, 0, 0, 0, 0, 0)), VI16(-32768, -5, 0, 0, 0, 0, 0, 0));
    CK_V128(run1(OP_I32X4_NEG, VI32(INT32_MIN, INT32_MAX, 0, 1)),
            VI32(INT32_MIN, -INT32_MAX, 0, -1));
    CK_V128(run1(OP_I64X2_NEG, VI64(INT64_MIN, 1)), VI64(INT64_MIN, -1));
    CK_V128(run1(OP_I8X16_POPCNT, VU8(0xff, 0x55, 0, 0x80, 1, 3, 7, 0xf, 0x1f, 0x3f, 0x7f, 0xfe, 0xaa, 0x11, 0x22, 0x44)),
            VU8(8, 4, 0, 1, 1, 2, 3, 4, 5, 6, 7, 7, 4, 2, 2, 2));
}
END_TEST

START_TEST(test_shifts)
{
    wasm_v128 v8 = VU8(0x81, 0x80, 0x7f, 1, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40);

    /* counts are taken modulo the lane width: 9 -> 1, 15 -> 7, 8 -> 0 */
    CK_V128(run2(OP_I8X16_SHL, v8, scalar32(9)),
            VU8(0x02, 0x00, 0xfe, 2, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80));
    CK_V128(run2(OP_I8X16_SHR_S, v8, scalar32(15)),
            VU8(0xff, 0xff, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I8X16_SHR_S, v8, scalar32(9)),
            VU8(0xc0, 0xc0, 0x3f, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20));
    CK_V128(run2(OP_I8X16_SHR_U, v8, scalar32(7)),
            VU8(1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I8X16_SHR_U, v8, scalar32(8)), v8);
    CK_V128(run2(OP_I16X8_SHR_S, VI16(-32768, 4, -1, 0x4000, 0, 0, 0, 0), scalar32(16)),
            VI16(-32768, 4, -1, 0x4000, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_SHR_S, VI16(-32768, 4, -1, 0x4000, 0, 0, 0, 0), scalar32(17)),
            VI16(-16384, 2, -1, 0x2000, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_SHL, VU16(0x8001, 0xffff, 0, 0, 0, 0, 0, 1), scalar32(15)),
            VU16(0x8000, 0x8000, 0, 0, 0, 0, 0, 0x8000));
    CK_V128(run2(OP_I16X8_SHR_U, VU16(0x8001, 0xffff, 0, 0, 0, 0, 0, 1), scalar32(31)),
            VU16(1, 1, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I32X4_SHL, VU32(1, 0x80000001u, 3, 0xffffffffu), scalar32(32)),
            VU32(1, 0x80000001u, 3, 0xffffffffu));
    CK_V128(run2(OP_I32X4_SHL, VU32(1, 0x80000001u, 3, 0xffffffffu), scalar32(33)),
            VU32(2, 2, 6, 0xfffffffeu));
    /* a count of -1 is 31 */
    CK_V128(run2(OP_I32X4_SHR_S, VI32(INT32_MIN, INT32_MAX, -1, 1), scalar32(0xffffffffu)),
            VI32(-1, 0, -1, 0));
    CK_V128(run2(OP_I32X4_SHR_U, VI32(INT32_MIN, INT32_MAX, -1, 1), scalar32(0xffffffffu)),
            VI32(1, 0, 1, 0));
    CK_V128(run2(OP_I64X2_SHR_U, VU64(0xf000000000000000ull, 0xff), scalar32(68)),
            VU64(0x0f00000000000000ull, 0xf));
    CK_V128(run2(OP_I64X2_SHR_S, VU64(0xf000000000000000ull, 0xff), scalar32(63)), VI64(-1, 0));
    CK_V128(run2(OP_I64X2_SHL, VU64(1, 3), scalar32(127)), VU64(1ull << 63, 1ull << 63));
}
END_TEST

START_TEST(test_wrapping_arith)
{
    CK_V128(run2(OP_I8X16_ADD, VU8(255, 128, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200),
                 VU8(1, 128, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100)),
            VU8(0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 44));
    CK_V128(run2(OP_I8X16_SUB, VU8(0, 128, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                 VU8(1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VU8(255, 127, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    /* 300 * 300 = 90000 = 65536 + 24464 */
    CK_V128(run2(OP_I16X8_MUL, VU16(0x8000, 300, 0xffff, 7, 0, 0, 0, 0xffff),
                 VU16(2, 300, 0xffff, 6, 0, 0, 0, 2)),
            VU16(0, 24464, 1, 42, 0, 0, 0, 0xfffe));
    CK_V128(run2(OP_I16X8_ADD, VI16(32767, -32768, 1, 0, 0, 0, 0, 0), VI16(1, -1, 2, 0, 0, 0, 0, 0)),
            VI16(-32768, 32767, 3, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_SUB, VI16(-32768, 0, 0, 0, 0, 0, 0, 0), VI16(1, 1, 0, 0, 0, 0, 0, 0)),
            VI16(32767, -1, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I32X4_MUL, VU32(0x10000, 0xffffffffu, 3, 0x80000000u), VU32(0x10000, 0xffffffffu, 5, 2)),
            VU32(0, 1, 15, 0));
    CK_V128(run2(OP_I32X4_ADD, VI32(INT32_MAX, -1, 0, 0), VI32(1, 1, 0, 0)), VI32(INT32_MIN, 0, 0, 0));
    CK_V128(run2(OP_I32X4_SUB, VI32(INT32_MIN, 0, 0, 0), VI32(1, 1, 0, 0)), VI32(INT32_MAX, -1, 0, 0));
    CK_V128(run2(OP_I64X2_MUL, VU64(0x100000000ull, 0x8000000000000001ull), VU64(0x100000000ull, 3)),
            VU64(0, 0x8000000000000003ull));
    CK_V128(run2(OP_I64X2_ADD, VI64(INT64_MAX, -1), VI64(1, 1)), VI64(INT64_MIN, 0));
    CK_V128(run2(OP_I64X2_SUB, VI64(0, INT64_MIN), VI64(1, 1)), VI64(-1, INT64_MAX));
}
END_TEST

START_TEST(test_saturating_arith)
{
    CK_V128(run2(OP_I8X16_ADD_SAT_S, VI8(127, -128, 100, -100, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                 VI8(1, -1, -50, -100, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VI8(127, -128, 50, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I8X16_ADD_SAT_U, VU8(255, 128, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                 VU8(1, 128, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VU8(255, 255, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I8X16_SUB_SAT_S, VI8(-128, 127, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                 VI8(1, -128, 127, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VI8(-128, 127, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I8X16_SUB_SAT_U, VU8(0, 128, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                 VU8(1, 255, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VU8(0, 0, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_ADD_SAT_S, VI16(32767, -32768, -32768, 1, 0, 0, 0, 0),
                 VI16(1, -1, 32767, 2, 0, 0, 0, 0)),
            VI16(32767, -32768, -1, 3, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_ADD_SAT_U, VU16(65535, 32768, 1, 0, 0, 0, 0, 0), VU16(65535, 32768, 2, 0, 0, 0, 0, 0)),
            VU16(65535, 65535, 3, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_SUB_SAT_S, VI16(-32768, 32767, 0, 0, 0, 0, 0, 0), VI16(32767, -32768, -32768, 0, 0, 0, 0, 0)),
            VI16(-32768, 32767, 32767, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_SUB_SAT_U, VU16(1, 65535, 0, 0, 0, 0, 0, 0), VU16(2, 1, 65535, 0, 0, 0, 0, 0)),
            VU16(0, 65534, 0, 0, 0, 0, 0, 0));
}
END_TEST

START_TEST(test_min_max_avgr)
{
    CK_V128(run2(OP_I8X16_MIN_S, VI8(-1, 127, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                 VI8(1, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VI8(-1, -128, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I8X16_MIN_U, VU8(255, 127, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                 VU8(1, 128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VU8(1, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I8X16_MAX_S, VI8(-1, 127, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                 VI8(1, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VI8(1, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I8X16_MAX_U, VU8(255, 127, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                 VU8(1, 128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VU8(255, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_MIN_U, VU16(0x8000, 1, 0, 0, 0, 0, 0, 0), VU16(0x7fff, 2, 0, 0, 0, 0, 0, 0)),
            VU16(0x7fff, 1, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_MAX_S, VU16(0x8000, 1, 0, 0, 0, 0, 0, 0), VU16(0x7fff, 2, 0, 0, 0, 0, 0, 0)),
            VU16(0x7fff, 2, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_MIN_S, VU16(0x8000, 1, 0, 0, 0, 0, 0, 0), VU16(0x7fff, 2, 0, 0, 0, 0, 0, 0)),
            VU16(0x8000, 1, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_MAX_U, VU16(0x8000, 1, 0, 0, 0, 0, 0, 0), VU16(0x7fff, 2, 0, 0, 0, 0, 0, 0)),
            VU16(0x8000, 2, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I32X4_MAX_U, VU32(0x80000000u, 5, 0, 0), VU32(1, 6, 0, 0)), VU32(0x80000000u, 6, 0, 0));
    CK_V128(run2(OP_I32X4_MAX_S, VU32(0x80000000u, 5, 0, 0), VU32(1, 6, 0, 0)), VU32(1, 6, 0, 0));
    CK_V128(run2(OP_I32X4_MIN_U, VU32(0x80000000u, 5, 0, 0), VU32(1, 6, 0, 0)), VU32(1, 5, 0, 0));
    CK_V128(run2(OP_I32X4_MIN_S, VU32(0x80000000u, 5, 0, 0), VU32(1, 6, 0, 0)), VU32(0x80000000u, 5, 0, 0));
    /* avgr_u rounds up: (a + b + 1) / 2 computed without wrapping */
    CK_V128(run2(OP_I8X16_AVGR_U, VU8(255, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                 VU8(255, 1, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VU8(255, 1, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_AVGR_U, VU16(65535, 65535, 0, 0, 0, 0, 0, 0), VU16(65535, 0, 0, 0, 0, 0, 0, 0)),
            VU16(65535, 32768, 0, 0, 0, 0, 0, 0));
}
END_TEST

START_TEST(test_q15mulr_dot)
{
    /* (a * b + 2^14) >> 15, saturated: -32768 * -32768 is the only overflow;
     * 32767^2 + 2^14 = 32766 * 2^15 + 16385, so 32766; -2^28 + 2^14 >> 15
     * floors -8191.5 to -8192; -1 * 1 + 2^14 >> 15 is 0 */
    CK_V128(run2(OP_I16X8_Q15MULR_SAT_S,
                 VI16(-32768, 16384, 32767, -16384, -1, 32767, -32768, 0),
                 VI16(-32768, 16384, 32767, 16384, 1, -32768, 32767, 5)),
            VI16(32767, 8192, 32766, -8192, 0, -32767, -32767, 0));
    /* pairs of products summed; two of -32768^2 make 2^31, which wraps */
    CK_V128(run2(OP_I32X4_DOT_I16X8_S, VI16(-32768, -32768, 1, 2, -1, 32767, 32767, 32767),
                 VI16(-32768, -32768, 3, 4, 32767, 1, 32767, 32767)),
            VI32(INT32_MIN, 11, 0, 2147352578));
}
END_TEST

START_TEST(test_extend_extmul_extadd)
{
    wasm_v128 v8 = VI8(1, -1, 127, -128, 0, 2, 3, 4, -128, 127, -1, 5, 6, 7, 8, 9);
    wasm_v128 v16 = VI16(-32768, 32767, -1, 1, 100, -100, 0, -2);
    wasm_v128 v32 = VI32(-1, INT32_MIN, 7, -7);

    CK_V128(run1(OP_I16X8_EXTEND_LOW_I8X16_S, v8), VI16(1, -1, 127, -128, 0, 2, 3, 4));
    CK_V128(run1(OP_I16X8_EXTEND_HIGH_I8X16_S, v8), VI16(-128, 127, -1, 5, 6, 7, 8, 9));
    CK_V128(run1(OP_I16X8_EXTEND_LOW_I8X16_U, v8), VI16(1, 255, 127, 128, 0, 2, 3, 4));
    CK_V128(run1(OP_I16X8_EXTEND_HIGH_I8X16_U, v8), VI16(128, 127, 255, 5, 6, 7, 8, 9));
    CK_V128(run1(OP_I32X4_EXTEND_LOW_I16X8_S, v16), VI32(-32768, 32767, -1, 1));
    CK_V128(run1(OP_I32X4_EXTEND_HIGH_I16X8_U, v16), VI32(100, 65436, 0, 65534));
    CK_V128(run1(OP_I32X4_EXTEND_HIGH_I16X8_S, v16), VI32(100, -100, 0, -2));
    CK_V128(run1(OP_I32X4_EXTEND_LOW_I16X8_U, v16), VI32(32768, 32767, 65535, 1));
    CK_V128(run1(OP_I64X2_EXTEND_LOW_I32X4_S, v32), VI64(-1, INT32_MIN));
    CK_V128(run1(OP_I64X2_EXTEND_LOW_I32X4_U, v32), VI64(0xffffffffLL, 0x80000000LL));
    CK_V128(run1(OP_I64X2_EXTEND_HIGH_I32X4_S, v32), VI64(7, -7));
    CK_V128(run1(OP_I64X2_EXTEND_HIGH_I32X4_U, v32), VI64(7, 0xfffffff9LL));

    CK_V128(run1(OP_I16X8_EXTADD_PAIRWISE_I8X16_S, VI8(-128, -128, 127, 127, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6)),
            VI16(-256, 254, 0, 0, 0, 0, 0, 11));
    CK_V128(run1(OP_I16X8_EXTADD_PAIRWISE_I8X16_U, VI8(-1, -1, 127, 127, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 6)),
            VI16(510, 254, 256, 0, 0, 0, 0, 11));
    CK_V128(run1(OP_I32X4_EXTADD_PAIRWISE_I16X8_S, VI16(-32768, -32768, 32767, 32767, 1, -1, 0, 3)),
            VI32(-65536, 65534, 0, 3));
    CK_V128(run1(OP_I32X4_EXTADD_PAIRWISE_I16X8_U, VI16(-1, -1, 32767, 32767, 1, -1, 0, 3)),
            VI32(131070, 65534, 65536, 3));

    CK_V128(run2(OP_I16X8_EXTMUL_LOW_I8X16_S, v8, VI8(1, 1, 127, -128, 0, 0, 0, 0, -128, -128, 1, 1, 0, 0, 0, 0)),
            VI16(1, -1, 16129, 16384, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_EXTMUL_HIGH_I8X16_S, v8, VI8(1, 1, 127, -128, 0, 0, 0, 0, -128, -128, 1, 1, 0, 0, 0, 0)),
            VI16(16384, -16256, -1, 5, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_EXTMUL_LOW_I8X16_U, VI8(-1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                 VI8(-1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            VU16(65025, 510, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I16X8_EXTMUL_HIGH_I8X16_U, VI8(0, 0, 0, 0, 0, 0, 0, 0, -1, 3, 0, 0, 0, 0, 0, 0),
                 VI8(0, 0, 0, 0, 0, 0, 0, 0, -128, 4, 0, 0, 0, 0, 0, 0)),
            VU16(32640, 12, 0, 0, 0, 0, 0, 0));
    CK_V128(run2(OP_I32X4_EXTMUL_LOW_I16X8_S, v16, v16), VI32(1073741824, 1073676289, 1, 1));
    CK_V128(run2(OP_I32X4_EXTMUL_HIGH_I16X8_S, v16, VI16(0, 0, 0, 0, -1, 3, 0, 32767)),
            VI32(-100, -300, 0, -65534));
    CK_V128(run2(OP_I32X4_EXTMUL_LOW_I16X8_U, VI16(-1, 2, 0, 0, 0, 0, 0, 0), VI16(-1, -1, 0, 0, 0, 0, 0, 0)),
            VU32(0xfffe0001u, 131070, 0, 0));
    CK_V128(run2(OP_I32X4_EXTMUL_HIGH_I16X8_U, VI16(0, 0, 0, 0, -1, 2, 0, 0), VI16(0, 0, 0, 0, -1, -1, 0, 0)),
            VU32(0xfffe0001u, 131070, 0, 0));
    CK_V128(run2(OP_I64X2_EXTMUL_LOW_I32X4_S, v32, VI32(INT32_MIN, INT32_MIN, 0, 0)),
            VI64(0x80000000LL, 0x4000000000000000LL));
    CK_V128(run2(OP_I64X2_EXTMUL_HIGH_I32X4_S, v32, VI32(0, 0, -7, -7)), VI64(-49, 49));
    CK_V128(run2(OP_I64X2_EXTMUL_LOW_I32X4_U, v32, v32),
            VU64(0xfffffffe00000001ull, 0x4000000000000000ull));
    CK_V128(run2(OP_I64X2_EXTMUL_HIGH_I32X4_U, v32, VI32(0, 0, -1, -1)),
            VU64(0x6fffffff9ull, 0xfffffff800000007ull));
}
END_TEST

START_TEST(test_narrow)
{
    /* inputs are signed; a fills the low half, b the high half */
    CK_V128(run2(OP_I8X16_NARROW_I16X8_S, VI16(-32768, -129, -128, 127, 128, 32767, 0, -1),
                 VI16(1, 2, 3, 4, 5, 6, 7, 200)),
            VI8(-128, -128, -128, 127, 127, 127, 0, -1, 1, 2, 3, 4, 5, 6, 7, 127));
    CK_V128(run2(OP_I8X16_NARROW_I16X8_U, VI16(-1, 0, 255, 256, -32768, 32767, 128, 1),
                 VI16(1, 2, 3, 4, 5, 6, 7, -200)),
            VU8(0, 0, 255, 255, 0, 255, 128, 1, 1, 2, 3, 4, 5, 6, 7, 0));
    CK_V128(run2(OP_I16X8_NARROW_I32X4_S, VI32(INT32_MIN, -32769, 32768, 5), VI32(-32768, 32767, INT32_MAX, -5)),
            VI16(-32768, -32768, 32767, 5, -32768, 32767, 32767, -5));
    CK_V128(run2(OP_I16X8_NARROW_I32X4_U, VI32(-1, 65535, 65536, 32768), VI32(INT32_MIN, 0, INT32_MAX, 7)),
            VU16(0, 65535, 65535, 32768, 0, 0, 65535, 7));
}
END_TEST

/* ---- float arithmetic -------------------------------------------------------------- */

START_TEST(test_float_arith)
{
    wasm_v128 r;

    CK_V128(run2(OP_F32X4_ADD, VF32(1.0f, 0x1p127f, -0.0f, 0.1f), VF32(2.0f, 0x1p127f, -0.0f, 0.2f)),
            VF32(3.0f, __builtin_inff(), -0.0f, 0.3f));
    CK_V128(run2(OP_F32X4_DIV, VF32(1.0f, -1.0f, 1.0f, 6.0f), VF32(0.0f, 0.0f, -0.0f, 3.0f)),
            VF32(__builtin_inff(), -__builtin_inff(), -__builtin_inff(), 2.0f));
    CK_V128(run2(OP_F32X4_SUB, VF32(1.0f, 0.0f, 0, 0), VF32(1.0f, 0.0f, 0, 0)), VF32(0.0f, 0.0f, 0, 0));
    CK_V128(run2(OP_F32X4_MUL, VF32(-0.0f, 3.0f, 0x1p-126f, 0), VF32(5.0f, -2.0f, 0x1p-1f, 0)),
            VF32(-0.0f, -6.0f, 0x1p-127f, 0));
    /* 0.1 + 0.2 in f64 is 0x3FD3333333333334, one ulp above 0.3 */
    CK_V128(run2(OP_F64X2_ADD, VF64(0.1, 1.0), VF64(0.2, 0x1p-53)),
            VU64(0x3fd3333333333334ull, 0x3ff0000000000000ull));
    CK_V128(run2(OP_F64X2_MUL, VF64(1e200, -3.0), VF64(1e200, 0.5)), VF64(__builtin_inf(), -1.5));
    CK_V128(run2(OP_F64X2_SUB, VF64(1.0, -0.0), VF64(0x1p-53, 0.0)), VF64(1.0 - 0x1p-53, -0.0));
    CK_V128(run2(OP_F64X2_DIV, VF64(1.0, -8.0), VF64(3.0, 0.0)), VF64(1.0 / 3.0, -__builtin_inf()));
    CK_V128(run1(OP_F32X4_SQRT, VF32(4.0f, 2.0f, -0.0f, __builtin_inff())),
            VF32(2.0f, 1.41421353816986083984375f, -0.0f, __builtin_inff()));
    CK_V128(run1(OP_F64X2_SQRT, VF64(0x1p-1074, 9.0)), VF64(0x1p-537, 3.0));

    /* invalid operations and NaN operands give NaNs: canonical from
     * canonical or ordinary inputs, quiet in every case */
    r = run2(OP_F32X4_ADD, VU32(INF32, QNAN32, SNAN32, 0), VU32(NINF32, 0x3f800000u, 0, 0));
    ck_assert(f32_canonical(r.u32[0]));
    ck_assert(f32_canonical(r.u32[1]));
    ck_assert(f32_arithmetic(r.u32[2]));
    r = run2(OP_F32X4_DIV, VF32(0.0f, 0, 0, 0), VF32(0.0f, 1, 1, 1));
    ck_assert(f32_canonical(r.u32[0]));
    r = run1(OP_F32X4_SQRT, VF32(-1.0f, 1, 1, 1));
    ck_assert(f32_canonical(r.u32[0]));
    r = run2(OP_F64X2_MUL, VF64(0.0, 1.0), VU64(0x7ff0000000000000ull, SNAN64));
    ck_assert(f64_canonical(r.u64[0]));
    ck_assert(f64_arithmetic(r.u64[1]));
    r = run1(OP_F64X2_SQRT, VU64(0xbff0000000000000ull, QNAN64));
    ck_assert(f64_canonical(r.u64[0]));
    ck_assert(f64_canonical(r.u64[1]));
}
END_TEST

START_TEST(test_float_sign_ops)
{
    /* abs and neg are bit operations: NaN payloads stay */
    CK_V128(run1(OP_F32X4_NEG, VU32(0x7fc00001u, SNAN32, 0, 0xbf800000u)),
            VU32(0xffc00001u, SNAN32 | 0x80000000u, 0x80000000u, 0x3f800000u));
    CK_V128(run1(OP_F32X4_ABS, VU32(0xffa00001u, NINF32, 0x80000000u, 0x3f800000u)),
            VU32(0x7fa00001u, INF32, 0, 0x3f800000u));
    CK_V128(run1(OP_F64X2_NEG, VU64(SNAN64 | 3, 0)), VU64(SNAN64 | 0x8000000000000003ull, 0x8000000000000000ull));
    CK_V128(run1(OP_F64X2_ABS, VU64(0xfff8000000000001ull, 0xbff0000000000000ull)),
            VU64(0x7ff8000000000001ull, 0x3ff0000000000000ull));
}
END_TEST

START_TEST(test_float_min_max)
{
    wasm_v128 r;

    /* -0 < +0 for min and max, in either operand order */
    CK_V128(run2(OP_F32X4_MIN, VF32(0.0f, -0.0f, 1.0f, -__builtin_inff()), VF32(-0.0f, 0.0f, 2.0f, 5.0f)),
            VF32(-0.0f, -0.0f, 1.0f, -__builtin_inff()));
    CK_V128(run2(OP_F32X4_MAX, VF32(0.0f, -0.0f, 1.0f, -__builtin_inff()), VF32(-0.0f, 0.0f, 2.0f, 5.0f)),
            VF32(0.0f, 0.0f, 2.0f, 5.0f));
    CK_V128(run2(OP_F64X2_MIN, VF64(0.0, -0.0), VF64(-0.0, 0.0)), VF64(-0.0, -0.0));
    CK_V128(run2(OP_F64X2_MAX, VF64(0.0, -0.0), VF64(-0.0, 0.0)), VF64(0.0, 0.0));
    /* a NaN operand, in either position, gives a NaN */
    r = run2(OP_F32X4_MIN, VU32(QNAN32, 0x3f800000u, SNAN32, 0), VU32(0x3f800000u, QNAN32 | 0x80000000u, 0, SNAN32));
    ck_assert(f32_canonical(r.u32[0]) && f32_canonical(r.u32[1]));
    ck_assert(f32_arithmetic(r.u32[2]) && f32_arithmetic(r.u32[3]));
    r = run2(OP_F32X4_MAX, VU32(QNAN32, INF32, SNAN32, 0), VU32(INF32, QNAN32, 0, SNAN32));
    ck_assert(f32_canonical(r.u32[0]) && f32_canonical(r.u32[1]));
    ck_assert(f32_arithmetic(r.u32[2]) && f32_arithmetic(r.u32[3]));
    r = run2(OP_F64X2_MIN, VU64(QNAN64, 0), VU64(0, SNAN64));
    ck_assert(f64_canonical(r.u64[0]) && f64_arithmetic(r.u64[1]));
    r = run2(OP_F64X2_MAX, VU64(SNAN64, 0x7ff0000000000000ull), VU64(0, QNAN64));
    ck_assert(f64_arithmetic(r.u64[0]) && f64_canonical(r.u64[1]));
}
END_TEST

START_TEST(test_pmin_pmax)
{
    /* pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a.  NaN compares
     * false, so the first operand comes back unchanged, payload and all;
     * -0 and +0 compare equal, so again the first operand */
    wasm_v128 a = VU32(SNAN32 | 7, 0x3f800000u, 0x80000000u, 0x00000000u);  /* sNaN, 1, -0, +0 */
    wasm_v128 b = VU32(0x3f800000u, QNAN32 | 9, 0x00000000u, 0x80000000u);  /* 1, NaN, +0, -0 */

    CK_V128(run2(OP_F32X4_PMIN, a, b), a);
    CK_V128(run2(OP_F32X4_PMAX, a, b), a);
    CK_V128(run2(OP_F32X4_PMIN, b, a), b);
    CK_V128(run2(OP_F32X4_PMIN, VF32(1.0f, 2.0f, -3.0f, 0), VF32(2.0f, 1.0f, -4.0f, 0)),
            VF32(1.0f, 1.0f, -4.0f, 0));
    CK_V128(run2(OP_F32X4_PMAX, VF32(1.0f, 2.0f, -3.0f, 0), VF32(2.0f, 1.0f, -4.0f, 0)),
            VF32(2.0f, 2.0f, -3.0f, 0));
    CK_V128(run2(OP_F64X2_PMIN, VU64(SNAN64, 0x8000000000000000ull), VU64(0, 0)),
            VU64(SNAN64, 0x8000000000000000ull));
    CK_V128(run2(OP_F64X2_PMAX, VU64(0, 0), VU64(QNAN64 | 1, 0x8000000000000000ull)), VU64(0, 0));
    CK_V128(run2(OP_F64X2_PMIN, VF64(5.0, -1.0), VF64(-5.0, 1.0)), VF64(-5.0, -1.0));
    CK_V128(run2(OP_F64X2_PMAX, VF64(5.0, -1.0), VF64(-5.0, 1.0)), VF64(5.0, 1.0));
}
END_TEST

START_TEST(test_rounding)
{
    wasm_v128 r;

    /* nearest: ties to even, sign of zero kept; 0x1.fffffep22 is 8388607.5 */
    CK_V128(run1(OP_F32X4_NEAREST, VF32(0.5f, -0.5f, 2.5f, 0x1.fffffep22f)),
            VF32(0.0f, -0.0f, 2.0f, 8388608.0f));
    CK_V128(run1(OP_F32X4_NEAREST, VF32(1.5f, -3.5f, 0x1p30f, -0.49999997f)),
            VF32(2.0f, -4.0f, 0x1p30f, -0.0f));
    CK_V128(run1(OP_F64X2_NEAREST, VF64(4503599627370495.5, -0.5)), VF64(4503599627370496.0, -0.0));
    CK_V128(run1(OP_F32X4_CEIL, VF32(-0.5f, 1.0001f, -1.5f, 0x1p-149f)), VF32(-0.0f, 2.0f, -1.0f, 1.0f));
    CK_V128(run1(OP_F32X4_FLOOR, VF32(-0.5f, 1.9999f, -0.0f, -0x1p-149f)), VF32(-1.0f, 1.0f, -0.0f, -1.0f));
    CK_V128(run1(OP_F32X4_TRUNC, VF32(-0.9f, 1.9f, -1.5f, 0x1p23f)), VF32(-0.0f, 1.0f, -1.0f, 0x1p23f));
    CK_V128(run1(OP_F64X2_CEIL, VF64(-0.9, 4503599627370495.5)), VF64(-0.0, 4503599627370496.0));
    CK_V128(run1(OP_F64X2_FLOOR, VF64(-4503599627370495.5, 0.9)), VF64(-4503599627370496.0, 0.0));
    CK_V128(run1(OP_F64X2_TRUNC, VF64(-2.75, 1e300)), VF64(-2.0, 1e300));
    r = run1(OP_F32X4_NEAREST, VU32(SNAN32, QNAN32, INF32, NINF32));
    ck_assert(f32_arithmetic(r.u32[0]) && f32_canonical(r.u32[1]));
    ck_assert_uint_eq(r.u32[2], INF32);
    ck_assert_uint_eq(r.u32[3], NINF32);
    r = run1(OP_F64X2_CEIL, VU64(SNAN64, QNAN64));
    ck_assert(f64_arithmetic(r.u64[0]) && f64_canonical(r.u64[1]));
}
END_TEST

/* ---- conversions ------------------------------------------------------------------ */

START_TEST(test_int_to_float)
{
    /* 16777217 is a tie, to even 16777216; 2^31 + 128 a tie to even 2^31;
     * 2^31 + 384 a tie between 2^31 + 256 (odd) and 2^31 + 512 (even) */
    CK_V128(run1(OP_F32X4_CONVERT_I32X4_U, VU32(0xffffffffu, 16777217, 0x80000080u, 0x80000180u)),
            VF32(4294967296.0f, 16777216.0f, 2147483648.0f, 2147484160.0f));
    CK_V128(run1(OP_F32X4_CONVERT_I32X4_S, VI32(INT32_MIN, -16777219, -1, INT32_MAX)),
            VF32(-2147483648.0f, -16777220.0f, -1.0f, 2147483648.0f));
    CK_V128(run1(OP_F64X2_CONVERT_LOW_I32X4_S, VI32(INT32_MIN, -1, 99, 99)), VF64(-2147483648.0, -1.0));
    CK_V128(run1(OP_F64X2_CONVERT_LOW_I32X4_U, VI32(-1, INT32_MIN, 99, 99)),
            VF64(4294967295.0, 2147483648.0));
}
END_TEST

START_TEST(test_float_to_int_sat)
{
    /* NaN -> 0, out of range clamps, in range truncates */
    CK_V128(run1(OP_I32X4_TRUNC_SAT_F32X4_S, VU32(QNAN32, NINF32, 0x4f000000u /* 2^31 */, 0xcf000001u)),
            VI32(0, INT32_MIN, INT32_MAX, INT32_MIN));
    CK_V128(run1(OP_I32X4_TRUNC_SAT_F32X4_S, VF32(1.9f, -1.9f, -2147483648.0f, 2147483520.0f)),
            VI32(1, -1, INT32_MIN, 2147483520));
    CK_V128(run1(OP_I32X4_TRUNC_SAT_F32X4_U, VF32(-1.0f, -0.9f, 4294967296.0f, 4294967040.0f)),
            VU32(0, 0, 0xffffffffu, 4294967040u));
    CK_V128(run1(OP_I32X4_TRUNC_SAT_F32X4_U, VU32(SNAN32, INF32, 0x3fffffffu, 0x80000000u)),
            VU32(0, 0xffffffffu, 1, 0));
    /* the _zero forms convert two lanes and zero the upper two */
    CK_V128(run1(OP_I32X4_TRUNC_SAT_F64X2_S_ZERO, VU64(QNAN64, wasm_f64_bits(-2147483648.9))),
            VI32(0, INT32_MIN, 0, 0));
    CK_V128(run1(OP_I32X4_TRUNC_SAT_F64X2_S_ZERO, VF64(2147483647.9, 1e10)), VI32(INT32_MAX, INT32_MAX, 0, 0));
    CK_V128(run1(OP_I32X4_TRUNC_SAT_F64X2_S_ZERO, VF64(-2147483649.0, -7.5)), VI32(INT32_MIN, -7, 0, 0));
    CK_V128(run1(OP_I32X4_TRUNC_SAT_F64X2_U_ZERO, VF64(4294967295.9, -0.9)), VU32(0xffffffffu, 0, 0, 0));
    CK_V128(run1(OP_I32X4_TRUNC_SAT_F64X2_U_ZERO, VU64(SNAN64 | 0x8000000000000000ull, 0x41f0000000000000ull)),
            VU32(0, 0xffffffffu, 0, 0));
}
END_TEST

START_TEST(test_demote_promote)
{
    wasm_v128 r;

    /* 1 + 2^-24 is a tie between 1 and 1 + 2^-23: even 1 wins */
    CK_V128(run1(OP_F32X4_DEMOTE_F64X2_ZERO, VF64(1.0 + 0x1p-24, 1e300)),
            VU32(0x3f800000u, INF32, 0, 0));
    CK_V128(run1(OP_F32X4_DEMOTE_F64X2_ZERO, VF64(-0.0, 0x1.0000000000001p-150)),
            VU32(0x80000000u, 1, 0, 0));
    r = run1(OP_F32X4_DEMOTE_F64X2_ZERO, VU64(QNAN64, SNAN64));
    ck_assert(f32_canonical(r.u32[0]) && f32_arithmetic(r.u32[1]));
    ck_assert(r.u32[2] == 0 && r.u32[3] == 0);
    CK_V128(run1(OP_F64X2_PROMOTE_LOW_F32X4, VF32(1.5f, 0x1p-149f, 7.0f, 7.0f)), VF64(1.5, 0x1p-149));
    r = run1(OP_F64X2_PROMOTE_LOW_F32X4, VU32(QNAN32 | 0x80000000u, SNAN32, 0, 0));
    ck_assert(f64_canonical(r.u64[0]) && f64_arithmetic(r.u64[1]));
}
END_TEST

/* ---- memory forms ------------------------------------------------------------------ */

START_TEST(test_loads)
{
    /* one byte of padding so every access below is unaligned */
    uint8_t buf[17] = { 0xee, 0x80, 0x7f, 0xff, 0x01, 0x02, 0x03, 0x04, 0x85,
                        9, 10, 11, 12, 13, 14, 15, 16 };
    const uint8_t *m = buf + 1;
    wasm_v128 out, vec = VU64(0x1111111111111111ull, 0x2222222222222222ull);

    ck_assert_int_eq(wasm_simd_load(OP_V128_LOAD, 0, m, NULL, &out), 0);
    ck_assert(memcmp(out.u8, m, 16) == 0);
    wasm_simd_load(OP_V128_LOAD8X8_S, 0, m, NULL, &out);
    CK_V128(out, VI16(-128, 127, -1, 1, 2, 3, 4, -123));
    wasm_simd_load(OP_V128_LOAD8X8_U, 0, m, NULL, &out);
    CK_V128(out, VI16(128, 127, 255, 1, 2, 3, 4, 133));
    wasm_simd_load(OP_V128_LOAD16X4_S, 0, m, NULL, &out);
    CK_V128(out, VI32(0x7f80, 0x01ff, 0x0302, (int16_t)0x8504));
    wasm_simd_load(OP_V128_LOAD16X4_U, 0, m, NULL, &out);
    CK_V128(out, VU32(0x7f80, 0x01ff, 0x0302, 0x8504));
    wasm_simd_load(OP_V128_LOAD32X2_S, 0, m, NULL, &out);
    CK_V128(out, VI64(0x01ff7f80, (int32_t)0x85040302));
    wasm_simd_load(OP_V128_LOAD32X2_U, 0, m, NULL, &out);
    CK_V128(out, VU64(0x01ff7f80, 0x85040302));
    wasm_simd_load(OP_V128_LOAD8_SPLAT, 0, m + 2, NULL, &out);
    CK_V128(out, VU64(~0ull, ~0ull));
    wasm_simd_load(OP_V128_LOAD16_SPLAT, 0, m, NULL, &out);
    CK_V128(out, VU16(0x7f80, 0x7f80, 0x7f80, 0x7f80, 0x7f80, 0x7f80, 0x7f80, 0x7f80));
    wasm_simd_load(OP_V128_LOAD32_SPLAT, 0, m, NULL, &out);
    CK_V128(out, VU32(0x01ff7f80, 0x01ff7f80, 0x01ff7f80, 0x01ff7f80));
    wasm_simd_load(OP_V128_LOAD64_SPLAT, 0, m, NULL, &out);
    CK_V128(out, VU64(0x8504030201ff7f80ull, 0x8504030201ff7f80ull));
    wasm_simd_load(OP_V128_LOAD32_ZERO, 0, m, NULL, &out);
    CK_V128(out, VU64(0x01ff7f80, 0));
    wasm_simd_load(OP_V128_LOAD64_ZERO, 0, m, NULL, &out);
    CK_V128(out, VU64(0x8504030201ff7f80ull, 0));
    /* lane loads replace one lane of the vector operand */
    wasm_simd_load(OP_V128_LOAD8_LANE, 15, m, &vec, &out);
    CK_V128(out, VU64(0x1111111111111111ull, 0x8022222222222222ull));
    wasm_simd_load(OP_V128_LOAD16_LANE, 1, m, &vec, &out);
    CK_V128(out, VU64(0x111111117f801111ull, 0x2222222222222222ull));
    wasm_simd_load(OP_V128_LOAD32_LANE, 2, m, &vec, &out);
    CK_V128(out, VU64(0x1111111111111111ull, 0x2222222201ff7f80ull));
    ck_assert_int_eq(wasm_simd_load(OP_V128_LOAD64_LANE, 1, m, &vec, &vec), 0);
    CK_V128(vec, VU64(0x1111111111111111ull, 0x8504030201ff7f80ull));
}
END_TEST

START_TEST(test_stores)
{
    uint8_t buf[18];
    wasm_v128 v = VU8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    static const uint8_t lane16[4] = { 0xaa, 14, 15, 0xaa };
    static const uint8_t lane32[6] = { 0xaa, 4, 5, 6, 7, 0xaa };
    static const uint8_t lane64[10] = { 0xaa, 8, 9, 10, 11, 12, 13, 14, 15, 0xaa };

    memset(buf, 0xaa, sizeof buf);
    ck_assert_int_eq(wasm_simd_store(OP_V128_STORE, 0, &v, buf + 1), 0);
    ck_assert(memcmp(buf + 1, v.u8, 16) == 0 && buf[0] == 0xaa && buf[17] == 0xaa);
    memset(buf, 0xaa, sizeof buf);
    wasm_simd_store(OP_V128_STORE8_LANE, 9, &v, buf + 1);
    ck_assert(buf[0] == 0xaa && buf[1] == 9 && buf[2] == 0xaa);
    memset(buf, 0xaa, sizeof buf);
    wasm_simd_store(OP_V128_STORE16_LANE, 7, &v, buf + 1);
    ck_assert(memcmp(buf, lane16, sizeof lane16) == 0);
    memset(buf, 0xaa, sizeof buf);
    wasm_simd_store(OP_V128_STORE32_LANE, 1, &v, buf + 1);
    ck_assert(memcmp(buf, lane32, sizeof lane32) == 0);
    memset(buf, 0xaa, sizeof buf);
    wasm_simd_store(OP_V128_STORE64_LANE, 1, &v, buf + 1);
    ck_assert(memcmp(buf, lane64, sizeof lane64) == 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("simd");
    TCase *tc = tcase_create("lanes");

    tcase_add_test(tc, test_table_coverage);
    tcase_add_test(tc, test_const_shuffle_swizzle);
    tcase_add_test(tc, test_splat);
    tcase_add_test(tc, test_extract_replace);
    tcase_add_test(tc, test_out_aliases_operand);
    tcase_add_test(tc, test_int_compare);
    tcase_add_test(tc, test_float_compare);
    tcase_add_test(tc, test_bitwise);
    tcase_add_test(tc, test_any_all_true_bitmask);
    tcase_add_test(tc, test_int_unary);
    tcase_add_test(tc, test_shifts);
    tcase_add_test(tc, test_wrapping_arith);
    tcase_add_test(tc, test_saturating_arith);
    tcase_add_test(tc, test_min_max_avgr);
    tcase_add_test(tc, test_q15mulr_dot);
    tcase_add_test(tc, test_extend_extmul_extadd);
    tcase_add_test(tc, test_narrow);
    tcase_add_test(tc, test_float_arith);
    tcase_add_test(tc, test_float_sign_ops);
    tcase_add_test(tc, test_float_min_max);
    tcase_add_test(tc, test_pmin_pmax);
    tcase_add_test(tc, test_rounding);
    tcase_add_test(tc, test_int_to_float);
    tcase_add_test(tc, test_float_to_int_sat);
    tcase_add_test(tc, test_demote_promote);
    tcase_add_test(tc, test_loads);
    tcase_add_test(tc, test_stores);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
