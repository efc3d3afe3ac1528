/* The SIMD instructions, lane by lane.  Plain loops over the lane arrays:
 * the compiler turns most of them into vector code.  Integer lanes are
 * computed in unsigned or wider types so wrap-around is defined C. */
#include "simd.h"
#include "numeric.h"

/* Run stmt for each lane index i < n. */
#define LANES(n, stmt)                      \
    for (int i = 0; i < (n); i++) {         \
        stmt;                               \
    }

/* All ones when cond holds, else zero; truncated to the lane width. */
#define MASK(cond) ((uint64_t)0 - (uint64_t)!!(cond))

static int8_t sat_s8(int32_t v)
{
    return (int8_t)(v < INT8_MIN ? INT8_MIN : v > INT8_MAX ? INT8_MAX : v);
}

static uint8_t sat_u8(int32_t v)
{
    return (uint8_t)(v < 0 ? 0 : v > UINT8_MAX ? UINT8_MAX : v);
}

static int16_t sat_s16(int32_t v)
{
    return (int16_t)(v < INT16_MIN ? INT16_MIN : v > INT16_MAX ? INT16_MAX : v);
}

static uint16_t sat_u16(int32_t v)
{
    return (uint16_t)(v < 0 ? 0 : v > UINT16_MAX ? UINT16_MAX : v);
}

/* pmin/pmax return one operand unchanged, NaNs included, so they select
 * bits rather than float values. */
#define PMIN(fa, fb, ba, bb) ((fb) < (fa) ? (bb) : (ba))
#define PMAX(fa, fb, ba, bb) ((fa) < (fb) ? (bb) : (ba))

int wasm_simd_apply(uint16_t op, const wasm_instr *ins, const wasm_v128 *a,
                    const wasm_v128 *b, const wasm_v128 *c, wasm_v128 *out)
{
    wasm_v128 r;
    uint32_t n;

    memset(&r, 0, sizeof r);
    switch (op) {
    /* constants, shuffles, splats, lanes */
    case OP_V128_CONST: memcpy(r.u8, ins->imm.bytes, 16); break;
    case OP_I8X16_SHUFFLE:
        LANES(16, { uint8_t k = ins->imm.bytes[i] & 31;
                    r.u8[i] = k < 16 ? a->u8[k] : b->u8[k - 16]; });
        break;
    case OP_I8X16_SWIZZLE:
    case OP_I8X16_RELAXED_SWIZZLE: LANES(16, r.u8[i] = b->u8[i] < 16 ? a->u8[b->u8[i]] : 0); break;
    case OP_I8X16_SPLAT: LANES(16, r.u8[i] = (uint8_t)a->u32[0]); break;
    case OP_I16X8_SPLAT: LANES(8, r.u16[i] = (uint16_t)a->u32[0]); break;
    case OP_I32X4_SPLAT: LANES(4, r.u32[i] = a->u32[0]); break;
    case OP_I64X2_SPLAT: LANES(2, r.u64[i] = a->u64[0]); break;
    case OP_F32X4_SPLAT: LANES(4, r.u32[i] = a->u32[0]); break;
    case OP_F64X2_SPLAT: LANES(2, r.u64[i] = a->u64[0]); break;
    case OP_I8X16_EXTRACT_LANE_S: r.u32[0] = (uint32_t)(int32_t)a->i8[ins->imm.lane & 15]; break;
    case OP_I8X16_EXTRACT_LANE_U: r.u32[0] = a->u8[ins->imm.lane & 15]; break;
    case OP_I16X8_EXTRACT_LANE_S: r.u32[0] = (uint32_t)(int32_t)a->i16[ins->imm.lane & 7]; break;
    case OP_I16X8_EXTRACT_LANE_U: r.u32[0] = a->u16[ins->imm.lane & 7]; break;
    case OP_I32X4_EXTRACT_LANE:
    case OP_F32X4_EXTRACT_LANE: r.u32[0] = a->u32[ins->imm.lane & 3]; break;
    case OP_I64X2_EXTRACT_LANE:
    case OP_F64X2_EXTRACT_LANE: r.u64[0] = a->u64[ins->imm.lane & 1]; break;
    case OP_I8X16_REPLACE_LANE: r = *a; r.u8[ins->imm.lane & 15] = (uint8_t)b->u32[0]; break;
    case OP_I16X8_REPLACE_LANE: r = *a; r.u16[ins->imm.lane & 7] = (uint16_t)b->u32[0]; break;
    case OP_I32X4_REPLACE_LANE:
    case OP_F32X4_REPLACE_LANE: r = *a; r.u32[ins->imm.lane & 3] = b->u32[0]; break;
    case OP_I64X2_REPLACE_LANE:
    case OP_F64X2_REPLACE_LANE: r = *a; r.u64[ins->imm.lane & 1] = b->u64[0]; break;

    /* integer comparisons */
    case OP_I8X16_EQ: LANES(16, r.u8[i] = MASK(a->u8[i] == b->u8[i])); break;
    case OP_I8X16_NE: LANES(16, r.u8[i] = MASK(a->u8[i] != b->u8[i])); break;
    case OP_I8X16_LT_S: LANES(16, r.u8[i] = MASK(a->i8[i] < b->i8[i])); break;
    case OP_I8X16_LT_U: LANES(16, r.u8[i] = MASK(a->u8[i] < b->u8[i])); break;
    case OP_I8X16_GT_S: LANES(16, r.u8[i] = MASK(a->i8[i] > b->i8[i])); break;
    case OP_I8X16_GT_U: LANES(16, r.u8[i] = MASK(a->u8[i] > b->u8[i])); break;
    case OP_I8X16_LE_S: LANES(16, r.u8[i] = MASK(a->i8[i] <= b->i8[i])); break;
    case OP_I8X16_LE_U: LANES(16, r.u8[i] = MASK(a->u8[i] <= b->u8[i])); break;
    case OP_I8X16_GE_S: LANES(16, r.u8[i] = MASK(a->i8[i] >= b->i8[i])); break;
    case OP_I8X16_GE_U: LANES(16, r.u8[i] = MASK(a->u8[i] >= b->u8[i])); break;
    case OP_I16X8_EQ: LANES(8, r.u16[i] = MASK(a->u16[i] == b->u16[i])); break;
    case OP_I16X8_NE: LANES(8, r.u16[i] = MASK(a->u16[i] != b->u16[i])); break;
    case OP_I16X8_LT_S: LANES(8, r.u16[i] = MASK(a->i16[i] < b->i16[i])); break;
    case OP_I16X8_LT_U: LANES(8, r.u16[i] = MASK(a->u16[i] < b->u16[i])); break;
    case OP_I16X8_GT_S: LANES(8, r.u16[i] = MASK(a->i16[i] > b->i16[i])); break;
    case OP_I16X8_GT_U: LANES(8, r.u16[i] = MASK(a->u16[i] > b->u16[i])); break;
    case OP_I16X8_LE_S: LANES(8, r.u16[i] = MASK(a->i16[i] <= b->i16[i])); break;
    case OP_I16X8_LE_U: LANES(8, r.u16[i] = MASK(a->u16[i] <= b->u16[i])); break;
    case OP_I16X8_GE_S: LANES(8, r.u16[i] = MASK(a->i16[i] >= b->i16[i])); break;
    case OP_I16X8_GE_U: LANES(8, r.u16[i] = MASK(a->u16[i] >= b->u16[i])); break;
    case OP_I32X4_EQ: LANES(4, r.u32[i] = MASK(a->u32[i] == b->u32[i])); break;
    case OP_I32X4_NE: LANES(4, r.u32[i] = MASK(a->u32[i] != b->u32[i])); break;
    case OP_I32X4_LT_S: LANES(4, r.u32[i] = MASK(a->i32[i] < b->i32[i])); break;
    case OP_I32X4_LT_U: LANES(4, r.u32[i] = MASK(a->u32[i] < b->u32[i])); break;
    case OP_I32X4_GT_S: LANES(4, r.u32[i] = MASK(a->i32[i] > b->i32[i])); break;
    case OP_I32X4_GT_U: LANES(4, r.u32[i] = MASK(a->u32[i] > b->u32[i])); break;
    case OP_I32X4_LE_S: LANES(4, r.u32[i] = MASK(a->i32[i] <= b->i32[i])); break;
    case OP_I32X4_LE_U: LANES(4, r.u32[i] = MASK(a->u32[i] <= b->u32[i])); break;
    case OP_I32X4_GE_S: LANES(4, r.u32[i] = MASK(a->i32[i] >= b->i32[i])); break;
    case OP_I32X4_GE_U: LANES(4, r.u32[i] = MASK(a->u32[i] >= b->u32[i])); break;
    case OP_I64X2_EQ: LANES(2, r.u64[i] = MASK(a->u64[i] == b->u64[i])); break;
    case OP_I64X2_NE: LANES(2, r.u64[i] = MASK(a->u64[i] != b->u64[i])); break;
    case OP_I64X2_LT_S: LANES(2, r.u64[i] = MASK(a->i64[i] < b->i64[i])); break;
    case OP_I64X2_GT_S: LANES(2, r.u64[i] = MASK(a->i64[i] > b->i64[i])); break;
    case OP_I64X2_LE_S: LANES(2, r.u64[i] = MASK(a->i64[i] <= b->i64[i])); break;
    case OP_I64X2_GE_S: LANES(2, r.u64[i] = MASK(a->i64[i] >= b->i64[i])); break;

    /* float comparisons: false (ne: true) when a lane is NaN */
    case OP_F32X4_EQ: LANES(4, r.u32[i] = MASK(a->f32[i] == b->f32[i])); break;
    case OP_F32X4_NE: LANES(4, r.u32[i] = MASK(a->f32[i] != b->f32[i])); break;
    case OP_F32X4_LT: LANES(4, r.u32[i] = MASK(a->f32[i] < b->f32[i])); break;
    case OP_F32X4_GT: LANES(4, r.u32[i] = MASK(a->f32[i] > b->f32[i])); break;
    case OP_F32X4_LE: LANES(4, r.u32[i] = MASK(a->f32[i] <= b->f32[i])); break;
    case OP_F32X4_GE: LANES(4, r.u32[i] = MASK(a->f32[i] >= b->f32[i])); break;
    case OP_F64X2_EQ: LANES(2, r.u64[i] = MASK(a->f64[i] == b->f64[i])); break;
    case OP_F64X2_NE: LANES(2, r.u64[i] = MASK(a->f64[i] != b->f64[i])); break;
    case OP_F64X2_LT: LANES(2, r.u64[i] = MASK(a->f64[i] < b->f64[i])); break;
    case OP_F64X2_GT: LANES(2, r.u64[i] = MASK(a->f64[i] > b->f64[i])); break;
    case OP_F64X2_LE: LANES(2, r.u64[i] = MASK(a->f64[i] <= b->f64[i])); break;
    case OP_F64X2_GE: LANES(2, r.u64[i] = MASK(a->f64[i] >= b->f64[i])); break;

    /* bitwise */
    case OP_V128_NOT: LANES(2, r.u64[i] = ~a->u64[i]); break;
    case OP_V128_AND: LANES(2, r.u64[i] = a->u64[i] & b->u64[i]); break;
    case OP_V128_ANDNOT: LANES(2, r.u64[i] = a->u64[i] & ~b->u64[i]); break;
    case OP_V128_OR: LANES(2, r.u64[i] = a->u64[i] | b->u64[i]); break;
    case OP_V128_XOR: LANES(2, r.u64[i] = a->u64[i] ^ b->u64[i]); break;
    case OP_V128_BITSELECT:
    case OP_I8X16_RELAXED_LANESELECT:
    case OP_I16X8_RELAXED_LANESELECT:
    case OP_I32X4_RELAXED_LANESELECT:
    case OP_I64X2_RELAXED_LANESELECT:
        LANES(2, r.u64[i] = (a->u64[i] & c->u64[i]) | (b->u64[i] & ~c->u64[i]));
        break;
    case OP_V128_ANY_TRUE: r.u32[0] = (a->u64[0] | a->u64[1]) != 0; break;

    /* all_true, bitmask */
    case OP_I8X16_ALL_TRUE: r.u32[0] = 1; LANES(16, r.u32[0] &= a->u8[i] != 0); break;
    case OP_I16X8_ALL_TRUE: r.u32[0] = 1; LANES(8, r.u32[0] &= a->u16[i] != 0); break;
    case OP_I32X4_ALL_TRUE: r.u32[0] = 1; LANES(4, r.u32[0] &= a->u32[i] != 0); break;
    case OP_I64X2_ALL_TRUE: r.u32[0] = 1; LANES(2, r.u32[0] &= a->u64[i] != 0); break;
    case OP_I8X16_BITMASK: LANES(16, r.u32[0] |= (uint32_t)(a->u8[i] >> 7) << i); break;
    case OP_I16X8_BITMASK: LANES(8, r.u32[0] |= (uint32_t)(a->u16[i] >> 15) << i); break;
    case OP_I32X4_BITMASK: LANES(4, r.u32[0] |= (a->u32[i] >> 31) << i); break;
    case OP_I64X2_BITMASK: LANES(2, r.u32[0] |= (uint32_t)(a->u64[i] >> 63) << i); break;

    /* integer unary */
    case OP_I8X16_ABS: LANES(16, r.u8[i] = (uint8_t)(a->i8[i] < 0 ? -a->u8[i] : a->u8[i])); break;
    case OP_I16X8_ABS: LANES(8, r.u16[i] = (uint16_t)(a->i16[i] < 0 ? -a->u16[i] : a->u16[i])); break;
    case OP_I32X4_ABS: LANES(4, r.u32[i] = a->i32[i] < 0 ? 0u - a->u32[i] : a->u32[i]); break;
    case OP_I64X2_ABS: LANES(2, r.u64[i] = a->i64[i] < 0 ? 0u - a->u64[i] : a->u64[i]); break;
    case OP_I8X16_NEG: LANES(16, r.u8[i] = (uint8_t)-a->u8[i]); break;
    case OP_I16X8_NEG: LANES(8, r.u16[i] = (uint16_t)-a->u16[i]); break;
    case OP_I32X4_NEG: LANES(4, r.u32[i] = 0u - a->u32[i]); break;
    case OP_I64X2_NEG: LANES(2, r.u64[i] = 0u - a->u64[i]); break;
    case OP_I8X16_POPCNT: LANES(16, r.u8[i] = (uint8_t)__builtin_popcount(a->u8[i])); break;

    /* shifts: the count is taken modulo the lane width */
    case OP_I8X16_SHL: n = b->u32[0] & 7; LANES(16, r.u8[i] = (uint8_t)(a->u8[i] << n)); break;
    case OP_I8X16_SHR_S: n = b->u32[0] & 7; LANES(16, r.i8[i] = (int8_t)(a->i8[i] >> n)); break;
    case OP_I8X16_SHR_U: n = b->u32[0] & 7; LANES(16, r.u8[i] = (uint8_t)(a->u8[i] >> n)); break;
    case OP_I16X8_SHL: n = b->u32[0] & 15; LANES(8, r.u16[i] = (uint16_t)(a->u16[i] << n)); break;
    case OP_I16X8_SHR_S: n = b->u32[0] & 15; LANES(8, r.i16[i] = (int16_t)(a->i16[i] >> n)); break;
    case OP_I16X8_SHR_U: n = b->u32[0] & 15; LANES(8, r.u16[i] = (uint16_t)(a->u16[i] >> n)); break;
    case OP_I32X4_SHL: n = b->u32[0] & 31; LANES(4, r.u32[i] = a->u32[i] << n); break;
    case OP_I32X4_SHR_S: n = b->u32[0] & 31; LANES(4, r.i32[i] = a->i32[i] >> n); break;
    case OP_I32X4_SHR_U: n = b->u32[0] & 31; LANES(4, r.u32[i] = a->u32[i] >> n); break;
    case OP_I64X2_SHL: n = b->u32[0] & 63; LANES(2, r.u64[i] = a->u64[i] << n); break;
    case OP_I64X2_SHR_S: n = b->u32[0] & 63; LANES(2, r.i64[i] = a->i64[i] >> n); break;
    case OP_I64X2_SHR_U: n = b->u32[0] & 63; LANES(2, r.u64[i] = a->u64[i] >> n); break;

    /* integer arithmetic */
    case OP_I8X16_ADD: LANES(16, r.u8[i] = (uint8_t)(a->u8[i] + b->u8[i])); break;
    case OP_I8X16_SUB: LANES(16, r.u8[i] = (uint8_t)(a->u8[i] - b->u8[i])); break;
    case OP_I8X16_ADD_SAT_S: LANES(16, r.i8[i] = sat_s8(a->i8[i] + b->i8[i])); break;
    case OP_I8X16_ADD_SAT_U: LANES(16, r.u8[i] = sat_u8(a->u8[i] + b->u8[i])); break;
    case OP_I8X16_SUB_SAT_S: LANES(16, r.i8[i] = sat_s8(a->i8[i] - b->i8[i])); break;
    case OP_I8X16_SUB_SAT_U: LANES(16, r.u8[i] = sat_u8(a->u8[i] - b->u8[i])); break;
    case OP_I8X16_MIN_S: LANES(16, r.i8[i] = a->i8[i] < b->i8[i] ? a->i8[i] : b->i8[i]); break;
    case OP_I8X16_MIN_U: LANES(16, r.u8[i] = a->u8[i] < b->u8[i] ? a->u8[i] : b->u8[i]); break;
    case OP_I8X16_MAX_S: LANES(16, r.i8[i] = a->i8[i] > b->i8[i] ? a->i8[i] : b->i8[i]); break;
    case OP_I8X16_MAX_U: LANES(16, r.u8[i] = a->u8[i] > b->u8[i] ? a->u8[i] : b->u8[i]); break;
    case OP_I8X16_AVGR_U: LANES(16, r.u8[i] = (uint8_t)((a->u8[i] + b->u8[i] + 1) >> 1)); break;
    case OP_I16X8_ADD: LANES(8, r.u16[i] = (uint16_t)(a->u16[i] + b->u16[i])); break;
    case OP_I16X8_SUB: LANES(8, r.u16[i] = (uint16_t)(a->u16[i] - b->u16[i])); break;
    case OP_I16X8_MUL: LANES(8, r.u16[i] = (uint16_t)((uint32_t)a->u16[i] * b->u16[i])); break;
    case OP_I16X8_ADD_SAT_S: LANES(8, r.i16[i] = sat_s16(a->i16[i] + b->i16[i])); break;
    case OP_I16X8_ADD_SAT_U: LANES(8, r.u16[i] = sat_u16(a->u16[i] + b->u16[i])); break;
    case OP_I16X8_SUB_SAT_S: LANES(8, r.i16[i] = sat_s16(a->i16[i] - b->i16[i])); break;
    case OP_I16X8_SUB_SAT_U: LANES(8, r.u16[i] = sat_u16(a->u16[i] - b->u16[i])); break;
    case OP_I16X8_MIN_S: LANES(8, r.i16[i] = a->i16[i] < b->i16[i] ? a->i16[i] : b->i16[i]); break;
    case OP_I16X8_MIN_U: LANES(8, r.u16[i] = a->u16[i] < b->u16[i] ? a->u16[i] : b->u16[i]); break;
    case OP_I16X8_MAX_S: LANES(8, r.i16[i] = a->i16[i] > b->i16[i] ? a->i16[i] : b->i16[i]); break;
    case OP_I16X8_MAX_U: LANES(8, r.u16[i] = a->u16[i] > b->u16[i] ? a->u16[i] : b->u16[i]); break;
    case OP_I16X8_AVGR_U: LANES(8, r.u16[i] = (uint16_t)((a->u16[i] + b->u16[i] + 1) >> 1)); break;
    case OP_I16X8_Q15MULR_SAT_S:
    case OP_I16X8_RELAXED_Q15MULR_S:
        /* the one overflow, -32768 * -32768, saturates to 32767 */
        LANES(8, r.i16[i] = sat_s16((a->i16[i] * b->i16[i] + 0x4000) >> 15));
        break;
    case OP_I32X4_ADD: LANES(4, r.u32[i] = a->u32[i] + b->u32[i]); break;
    case OP_I32X4_SUB: LANES(4, r.u32[i] = a->u32[i] - b->u32[i]); break;
    case OP_I32X4_MUL: LANES(4, r.u32[i] = a->u32[i] * b->u32[i]); break;
    case OP_I32X4_MIN_S: LANES(4, r.i32[i] = a->i32[i] < b->i32[i] ? a->i32[i] : b->i32[i]); break;
    case OP_I32X4_MIN_U: LANES(4, r.u32[i] = a->u32[i] < b->u32[i] ? a->u32[i] : b->u32[i]); break;
    case OP_I32X4_MAX_S: LANES(4, r.i32[i] = a->i32[i] > b->i32[i] ? a->i32[i] : b->i32[i]); break;
    case OP_I32X4_MAX_U: LANES(4, r.u32[i] = a->u32[i] > b->u32[i] ? a->u32[i] : b->u32[i]); break;
    case OP_I32X4_DOT_I16X8_S:
        /* two products of -32768 * -32768 sum to 2^31, which wraps */
        LANES(4, r.u32[i] = (uint32_t)((int64_t)a->i16[2 * i] * b->i16[2 * i] +
                                       (int64_t)a->i16[2 * i + 1] * b->i16[2 * i + 1]));
        break;
    case OP_I64X2_ADD: LANES(2, r.u64[i] = a->u64[i] + b->u64[i]); break;
    case OP_I64X2_SUB: LANES(2, r.u64[i] = a->u64[i] - b->u64[i]); break;
    case OP_I64X2_MUL: LANES(2, r.u64[i] = a->u64[i] * b->u64[i]); break;

    /* widening: extend, extadd_pairwise, extmul */
    case OP_I16X8_EXTEND_LOW_I8X16_S: LANES(8, r.i16[i] = a->i8[i]); break;
    case OP_I16X8_EXTEND_HIGH_I8X16_S: LANES(8, r.i16[i] = a->i8[i + 8]); break;
    case OP_I16X8_EXTEND_LOW_I8X16_U: LANES(8, r.u16[i] = a->u8[i]); break;
    case OP_I16X8_EXTEND_HIGH_I8X16_U: LANES(8, r.u16[i] = a->u8[i + 8]); break;
    case OP_I32X4_EXTEND_LOW_I16X8_S: LANES(4, r.i32[i] = a->i16[i]); break;
    case OP_I32X4_EXTEND_HIGH_I16X8_S: LANES(4, r.i32[i] = a->i16[i + 4]); break;
    case OP_I32X4_EXTEND_LOW_I16X8_U: LANES(4, r.u32[i] = a->u16[i]); break;
    case OP_I32X4_EXTEND_HIGH_I16X8_U: LANES(4, r.u32[i] = a->u16[i + 4]); break;
    case OP_I64X2_EXTEND_LOW_I32X4_S: LANES(2, r.i64[i] = a->i32[i]); break;
    case OP_I64X2_EXTEND_HIGH_I32X4_S: LANES(2, r.i64[i] = a->i32[i + 2]); break;
    case OP_I64X2_EXTEND_LOW_I32X4_U: LANES(2, r.u64[i] = a->u32[i]); break;
    case OP_I64X2_EXTEND_HIGH_I32X4_U: LANES(2, r.u64[i] = a->u32[i + 2]); break;
    case OP_I16X8_EXTADD_PAIRWISE_I8X16_S:
        LANES(8, r.i16[i] = (int16_t)(a->i8[2 * i] + a->i8[2 * i + 1]));
        break;
    case OP_I16X8_EXTADD_PAIRWISE_I8X16_U:
        LANES(8, r.u16[i] = (uint16_t)(a->u8[2 * i] + a->u8[2 * i + 1]));
        break;
    case OP_I32X4_EXTADD_PAIRWISE_I16X8_S:
        LANES(4, r.i32[i] = a->i16[2 * i] + a->i16[2 * i + 1]);
        break;
    case OP_I32X4_EXTADD_PAIRWISE_I16X8_U:
        LANES(4, r.u32[i] = (uint32_t)a->u16[2 * i] + a->u16[2 * i + 1]);
        break;
    case OP_I16X8_EXTMUL_LOW_I8X16_S: LANES(8, r.i16[i] = (int16_t)(a->i8[i] * b->i8[i])); break;
    case OP_I16X8_EXTMUL_HIGH_I8X16_S:
        LANES(8, r.i16[i] = (int16_t)(a->i8[i + 8] * b->i8[i + 8]));
        break;
    case OP_I16X8_EXTMUL_LOW_I8X16_U: LANES(8, r.u16[i] = (uint16_t)(a->u8[i] * b->u8[i])); break;
    case OP_I16X8_EXTMUL_HIGH_I8X16_U:
        LANES(8, r.u16[i] = (uint16_t)(a->u8[i + 8] * b->u8[i + 8]));
        break;
    case OP_I32X4_EXTMUL_LOW_I16X8_S: LANES(4, r.i32[i] = a->i16[i] * b->i16[i]); break;
    case OP_I32X4_EXTMUL_HIGH_I16X8_S: LANES(4, r.i32[i] = a->i16[i + 4] * b->i16[i + 4]); break;
    case OP_I32X4_EXTMUL_LOW_I16X8_U:
        LANES(4, r.u32[i] = (uint32_t)a->u16[i] * b->u16[i]);
        break;
    case OP_I32X4_EXTMUL_HIGH_I16X8_U:
        LANES(4, r.u32[i] = (uint32_t)a->u16[i + 4] * b->u16[i + 4]);
        break;
    case OP_I64X2_EXTMUL_LOW_I32X4_S: LANES(2, r.i64[i] = (int64_t)a->i32[i] * b->i32[i]); break;
    case OP_I64X2_EXTMUL_HIGH_I32X4_S:
        LANES(2, r.i64[i] = (int64_t)a->i32[i + 2] * b->i32[i + 2]);
        break;
    case OP_I64X2_EXTMUL_LOW_I32X4_U: LANES(2, r.u64[i] = (uint64_t)a->u32[i] * b->u32[i]); break;
    case OP_I64X2_EXTMUL_HIGH_I32X4_U:
        LANES(2, r.u64[i] = (uint64_t)a->u32[i + 2] * b->u32[i + 2]);
        break;

    /* narrowing: signed inputs, saturated; a fills the low half */
    case OP_I8X16_NARROW_I16X8_S:
        LANES(8, { r.i8[i] = sat_s8(a->i16[i]); r.i8[i + 8] = sat_s8(b->i16[i]); });
        break;
    case OP_I8X16_NARROW_I16X8_U:
        LANES(8, { r.u8[i] = sat_u8(a->i16[i]); r.u8[i + 8] = sat_u8(b->i16[i]); });
        break;
    case OP_I16X8_NARROW_I32X4_S:
        LANES(4, { r.i16[i] = sat_s16(a->i32[i]); r.i16[i + 4] = sat_s16(b->i32[i]); });
        break;
    case OP_I16X8_NARROW_I32X4_U:
        LANES(4, { r.u16[i] = sat_u16(a->i32[i]); r.u16[i + 4] = sat_u16(b->i32[i]); });
        break;

    /* float arithmetic */
    case OP_F32X4_ABS: LANES(4, r.u32[i] = a->u32[i] & 0x7fffffffu); break;
    case OP_F32X4_NEG: LANES(4, r.u32[i] = a->u32[i] ^ 0x80000000u); break;
    case OP_F32X4_SQRT: LANES(4, r.f32[i] = wasm_f32_sqrt(a->f32[i])); break;
    case OP_F32X4_CEIL: LANES(4, r.f32[i] = wasm_f32_ceil(a->f32[i])); break;
    case OP_F32X4_FLOOR: LANES(4, r.f32[i] = wasm_f32_floor(a->f32[i])); break;
    case OP_F32X4_TRUNC: LANES(4, r.f32[i] = wasm_f32_trunc(a->f32[i])); break;
    case OP_F32X4_NEAREST: LANES(4, r.f32[i] = wasm_f32_nearest(a->f32[i])); break;
    case OP_F32X4_ADD: LANES(4, r.f32[i] = a->f32[i] + b->f32[i]); break;
    case OP_F32X4_SUB: LANES(4, r.f32[i] = a->f32[i] - b->f32[i]); break;
    case OP_F32X4_MUL: LANES(4, r.f32[i] = a->f32[i] * b->f32[i]); break;
    case OP_F32X4_DIV: LANES(4, r.f32[i] = a->f32[i] / b->f32[i]); break;
    case OP_F32X4_MIN:
    case OP_F32X4_RELAXED_MIN: LANES(4, r.f32[i] = wasm_f32_min(a->f32[i], b->f32[i])); break;
    case OP_F32X4_MAX:
    case OP_F32X4_RELAXED_MAX: LANES(4, r.f32[i] = wasm_f32_max(a->f32[i], b->f32[i])); break;
    case OP_F32X4_PMIN:
        LANES(4, r.u32[i] = PMIN(a->f32[i], b->f32[i], a->u32[i], b->u32[i]));
        break;
    case OP_F32X4_PMAX:
        LANES(4, r.u32[i] = PMAX(a->f32[i], b->f32[i], a->u32[i], b->u32[i]));
        break;
    case OP_F64X2_ABS: LANES(2, r.u64[i] = a->u64[i] & 0x7fffffffffffffffull); break;
    case OP_F64X2_NEG: LANES(2, r.u64[i] = a->u64[i] ^ 0x8000000000000000ull); break;
    case OP_F64X2_SQRT: LANES(2, r.f64[i] = wasm_f64_sqrt(a->f64[i])); break;
    case OP_F64X2_CEIL: LANES(2, r.f64[i] = wasm_f64_ceil(a->f64[i])); break;
    case OP_F64X2_FLOOR: LANES(2, r.f64[i] = wasm_f64_floor(a->f64[i])); break;
    case OP_F64X2_TRUNC: LANES(2, r.f64[i] = wasm_f64_trunc(a->f64[i])); break;
    case OP_F64X2_NEAREST: LANES(2, r.f64[i] = wasm_f64_nearest(a->f64[i])); break;
    case OP_F64X2_ADD: LANES(2, r.f64[i] = a->f64[i] + b->f64[i]); break;
    case OP_F64X2_SUB: LANES(2, r.f64[i] = a->f64[i] - b->f64[i]); break;
    case OP_F64X2_MUL: LANES(2, r.f64[i] = a->f64[i] * b->f64[i]); break;
    case OP_F64X2_DIV: LANES(2, r.f64[i] = a->f64[i] / b->f64[i]); break;
    case OP_F64X2_MIN:
    case OP_F64X2_RELAXED_MIN: LANES(2, r.f64[i] = wasm_f64_min(a->f64[i], b->f64[i])); break;
    case OP_F64X2_MAX:
    case OP_F64X2_RELAXED_MAX: LANES(2, r.f64[i] = wasm_f64_max(a->f64[i], b->f64[i])); break;
    case OP_F64X2_PMIN:
        LANES(2, r.u64[i] = PMIN(a->f64[i], b->f64[i], a->u64[i], b->u64[i]));
        break;
    case OP_F64X2_PMAX:
        LANES(2, r.u64[i] = PMAX(a->f64[i], b->f64[i], a->u64[i], b->u64[i]));
        break;

    /* relaxed SIMD with more than one allowed result takes the first, as
     * the deterministic profile prescribes: the labels above share the
     * exact instruction (swizzle, saturating truncation, min/max, q15mulr
     * with saturation, laneselect as bitselect); here madd is a multiply
     * then an add, each rounded (never fused; the build disables
     * contraction), and the dot product takes both operands as signed. */
    case OP_F32X4_RELAXED_MADD: LANES(4, r.f32[i] = a->f32[i] * b->f32[i] + c->f32[i]); break;
    case OP_F32X4_RELAXED_NMADD: LANES(4, r.f32[i] = -a->f32[i] * b->f32[i] + c->f32[i]); break;
    case OP_F64X2_RELAXED_MADD: LANES(2, r.f64[i] = a->f64[i] * b->f64[i] + c->f64[i]); break;
    case OP_F64X2_RELAXED_NMADD: LANES(2, r.f64[i] = -a->f64[i] * b->f64[i] + c->f64[i]); break;
    case OP_I16X8_RELAXED_DOT_I8X16_I7X16_S:
        /* the pair sum saturates: (-128 * -128) * 2 is 32768 */
        LANES(8, r.i16[i] = sat_s16(a->i8[2 * i] * b->i8[2 * i] + a->i8[2 * i + 1] * b->i8[2 * i + 1]));
        break;
    case OP_I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S:
        LANES(4, {
            int32_t lo = sat_s16(a->i8[4 * i] * b->i8[4 * i] + a->i8[4 * i + 1] * b->i8[4 * i + 1]);
            int32_t hi = sat_s16(a->i8[4 * i + 2] * b->i8[4 * i + 2] + a->i8[4 * i + 3] * b->i8[4 * i + 3]);
            r.u32[i] = (uint32_t)(lo + hi) + c->u32[i];
        });
        break;

    /* conversions; the _zero forms leave the high lanes zero */
    case OP_F32X4_CONVERT_I32X4_S: LANES(4, r.f32[i] = wasm_f32_convert_s32(a->i32[i])); break;
    case OP_F32X4_CONVERT_I32X4_U: LANES(4, r.f32[i] = wasm_f32_convert_u32(a->u32[i])); break;
    case OP_F64X2_CONVERT_LOW_I32X4_S: LANES(2, r.f64[i] = a->i32[i]); break;
    case OP_F64X2_CONVERT_LOW_I32X4_U: LANES(2, r.f64[i] = a->u32[i]); break;
    case OP_I32X4_TRUNC_SAT_F32X4_S:
    case OP_I32X4_RELAXED_TRUNC_F32X4_S: LANES(4, r.i32[i] = wasm_i32_trunc_sat_f32_s(a->f32[i])); break;
    case OP_I32X4_TRUNC_SAT_F32X4_U:
    case OP_I32X4_RELAXED_TRUNC_F32X4_U: LANES(4, r.u32[i] = wasm_i32_trunc_sat_f32_u(a->f32[i])); break;
    case OP_I32X4_TRUNC_SAT_F64X2_S_ZERO:
    case OP_I32X4_RELAXED_TRUNC_F64X2_S_ZERO:
        LANES(2, r.i32[i] = wasm_i32_trunc_sat_f64_s(a->f64[i]));
        break;
    case OP_I32X4_TRUNC_SAT_F64X2_U_ZERO:
    case OP_I32X4_RELAXED_TRUNC_F64X2_U_ZERO:
        LANES(2, r.u32[i] = wasm_i32_trunc_sat_f64_u(a->f64[i]));
        break;
    case OP_F32X4_DEMOTE_F64X2_ZERO: LANES(2, r.f32[i] = wasm_f32_demote_f64(a->f64[i])); break;
    case OP_F64X2_PROMOTE_LOW_F32X4: LANES(2, r.f64[i] = wasm_f64_promote_f32(a->f32[i])); break;

    default:
        return -1;
    }
    *out = r;
    return 0;
}

/* ---- memory forms ------------------------------------------------------ */

unsigned wasm_simd_mem_size(uint16_t op)
{
    switch (op) {
    case OP_V128_LOAD:
    case OP_V128_STORE:
        return 16;
    case OP_V128_LOAD8X8_S: case OP_V128_LOAD8X8_U:
    case OP_V128_LOAD16X4_S: case OP_V128_LOAD16X4_U:
    case OP_V128_LOAD32X2_S: case OP_V128_LOAD32X2_U:
    case OP_V128_LOAD64_SPLAT: case OP_V128_LOAD64_ZERO:
    case OP_V128_LOAD64_LANE: case OP_V128_STORE64_LANE:
        return 8;
    case OP_V128_LOAD32_SPLAT: case OP_V128_LOAD32_ZERO:
    case OP_V128_LOAD32_LANE: case OP_V128_STORE32_LANE:
        return 4;
    case OP_V128_LOAD16_SPLAT:
    case OP_V128_LOAD16_LANE: case OP_V128_STORE16_LANE:
        return 2;
    case OP_V128_LOAD8_SPLAT:
    case OP_V128_LOAD8_LANE: case OP_V128_STORE8_LANE:
        return 1;
    default:
        return 0;
    }
}

int wasm_simd_load(uint16_t op, uint8_t lane, const uint8_t *mem,
                   const wasm_v128 *vec, wasm_v128 *out)
{
    wasm_v128 r, t;

    memset(&r, 0, sizeof r);
    memset(&t, 0, sizeof t);
    switch (op) {
    case OP_V128_LOAD: memcpy(r.u8, mem, 16); break;
    case OP_V128_LOAD8X8_S: memcpy(t.u8, mem, 8); LANES(8, r.i16[i] = t.i8[i]); break;
    case OP_V128_LOAD8X8_U: memcpy(t.u8, mem, 8); LANES(8, r.u16[i] = t.u8[i]); break;
    case OP_V128_LOAD16X4_S: memcpy(t.u8, mem, 8); LANES(4, r.i32[i] = t.i16[i]); break;
    case OP_V128_LOAD16X4_U: memcpy(t.u8, mem, 8); LANES(4, r.u32[i] = t.u16[i]); break;
    case OP_V128_LOAD32X2_S: memcpy(t.u8, mem, 8); LANES(2, r.i64[i] = t.i32[i]); break;
    case OP_V128_LOAD32X2_U: memcpy(t.u8, mem, 8); LANES(2, r.u64[i] = t.u32[i]); break;
    case OP_V128_LOAD8_SPLAT: LANES(16, r.u8[i] = mem[0]); break;
    case OP_V128_LOAD16_SPLAT: memcpy(t.u8, mem, 2); LANES(8, r.u16[i] = t.u16[0]); break;
    case OP_V128_LOAD32_SPLAT: memcpy(t.u8, mem, 4); LANES(4, r.u32[i] = t.u32[0]); break;
    case OP_V128_LOAD64_SPLAT: memcpy(t.u8, mem, 8); LANES(2, r.u64[i] = t.u64[0]); break;
    case OP_V128_LOAD32_ZERO: memcpy(r.u8, mem, 4); break;
    case OP_V128_LOAD64_ZERO: memcpy(r.u8, mem, 8); break;
    case OP_V128_LOAD8_LANE: r = *vec; r.u8[lane & 15] = mem[0]; break;
    case OP_V128_LOAD16_LANE: r = *vec; memcpy(&r.u16[lane & 7], mem, 2); break;
    case OP_V128_LOAD32_LANE: r = *vec; memcpy(&r.u32[lane & 3], mem, 4); break;
    case OP_V128_LOAD64_LANE: r = *vec; memcpy(&r.u64[lane & 1], mem, 8); break;
    default:
        return -1;
    }
    *out = r;
    return 0;
}

int wasm_simd_store(uint16_t op, uint8_t lane, const wasm_v128 *vec,
                    uint8_t *mem)
{
    switch (op) {
    case OP_V128_STORE: memcpy(mem, vec->u8, 16); return 0;
    case OP_V128_STORE8_LANE: mem[0] = vec->u8[lane & 15]; return 0;
    case OP_V128_STORE16_LANE: memcpy(mem, &vec->u16[lane & 7], 2); return 0;
    case OP_V128_STORE32_LANE: memcpy(mem, &vec->u32[lane & 3], 4); return 0;
    case OP_V128_STORE64_LANE: memcpy(mem, &vec->u64[lane & 1], 8); return 0;
    default:
        return -1;
    }
}
