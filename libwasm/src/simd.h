/* The 0xFD (SIMD) instructions: exact lane semantics of Wasm 2.0.
 *
 * The host is little-endian (x86-64, AArch64), so lane i of every shape is
 * element i of the matching array below, as in linear memory.  A v128 is
 * 8-byte aligned and fits two 64-bit value cells. */
#ifndef LIBWASM_SIMD_H
#define LIBWASM_SIMD_H

#include "internal.h"

typedef union {
    uint8_t u8[16];
    int8_t i8[16];
    uint16_t u16[8];
    int16_t i16[8];
    uint32_t u32[4];
    int32_t i32[4];
    uint64_t u64[2];
    int64_t i64[2];
    float f32[4];
    double f64[2];
} wasm_v128;

/* Execute one SIMD instruction that does not touch memory.
 *
 * a, b, c are the operands in push order (a pushed first); unused ones may
 * be NULL.  A scalar operand (i32, i64, f32, f64: the splats, replace_lane's
 * value, a shift count) sits in the low bytes of its wasm_v128 (lane 0 of
 * u32/u64/f32/f64).  A scalar result (extract_lane, any_true, all_true,
 * bitmask) is written the same way with every other byte of *out zeroed,
 * so an i32 result is also zero-extended in out->u64[0].
 *
 * Only ins->imm is read: imm.lane for extract/replace_lane, imm.bytes for
 * v128.const and i8x16.shuffle; ins may be NULL for the other
 * instructions.  out may alias an operand.
 *
 * Returns 0 (no SIMD instruction traps), or -1 when op is not one of these
 * instructions (memory forms included). */
int wasm_simd_apply(uint16_t op, const wasm_instr *ins, const wasm_v128 *a,
                    const wasm_v128 *b, const wasm_v128 *c, wasm_v128 *out);

/* ---- memory forms ------------------------------------------------------ */

/* How many bytes of linear memory a SIMD load or store touches (16 for
 * v128.load/store, 8 for load8x8_s and the other extending loads, the lane
 * or element size for the splat, zero and lane forms); 0 for any other op.
 * The caller checks effective address + this size against the memory. */
unsigned wasm_simd_mem_size(uint16_t op);

/* v128.load, v128.loadNxM_s/u, v128.loadN_splat, v128.loadN_zero and
 * v128.loadN_lane.  mem points at the effective address (any alignment)
 * with wasm_simd_mem_size(op) readable bytes.  For loadN_lane, vec is the
 * vector operand and lane its immediate (ins->imm.mem.lane); both are
 * ignored otherwise (vec may be NULL).  out may alias vec.
 * Returns 0, or -1 when op is not a SIMD load. */
int wasm_simd_load(uint16_t op, uint8_t lane, const uint8_t *mem,
                   const wasm_v128 *vec, wasm_v128 *out);

/* v128.store and v128.storeN_lane: write vec (or its lane `lane`) at mem,
 * which has wasm_simd_mem_size(op) writable bytes.
 * Returns 0, or -1 when op is not a SIMD store. */
int wasm_simd_store(uint16_t op, uint8_t lane, const wasm_v128 *vec,
                    uint8_t *mem);

#endif
