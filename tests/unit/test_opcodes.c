/* The instruction table: complete for Wasm 2.0, consistent, and both
 * lookups (by encoding, by name) round-trip for every entry. */
#include "internal.h"
#include "unit.h"

#include <pthread.h>

/* 0xFD opcodes of Wasm 2.0 left unassigned (the rest of 0..255 are used). */
static const uint8_t simd_gaps[] = {
    154, 162, 165, 166, 175, 176, 178, 179, 180, 187,
    194, 197, 198, 207, 208, 210, 211, 212, 226, 238,
};

static bool is_simd_gap(uint32_t code)
{
    for (size_t i = 0; i < COUNTOF(simd_gaps); i++)
        if (simd_gaps[i] == code)
            return true;
    return false;
}

/* One-byte opcodes of Wasm 2.0, as ranges. */
/* The op a name looks up: the nullable forms of ref.test and ref.cast,
 * and typed select, share their names with the first form. */
static uint32_t named_op(uint32_t i)
{
    return i == OP_SELECT_T ? OP_SELECT : i == OP_REF_TEST_NULL ? OP_REF_TEST
         : i == OP_REF_CAST_NULL ? OP_REF_CAST : i;
}

static bool is_single_byte_op(uint32_t b)
{
    return b <= 0x15 || (b >= 0x18 && b <= 0x1C) || b == 0x1F ||
           (b >= 0x20 && b <= 0x26) || (b >= 0x28 && b <= 0xC4) ||
           (b >= 0xD0 && b <= 0xD6);
}

START_TEST(test_lookup_round_trip)
{
    for (uint32_t i = 0; i < OP_COUNT; i++) {
        const wasm_opinfo *o = &wasm_opinfo_table[i];
        ck_assert_msg(wasm_op_lookup(o->prefix, o->code) == i, "%s", o->name);
        uint16_t by_name = wasm_op_by_name(o->name, strlen(o->name));
        ck_assert_msg(by_name == named_op(i), "%s", o->name);
    }
}
END_TEST

START_TEST(test_names_unique)
{
    for (uint32_t i = 0; i < OP_COUNT; i++)
        for (uint32_t j = i + 1; j < OP_COUNT; j++) {
            if (named_op(j) == i)
                continue;
            ck_assert_msg(strcmp(wasm_opinfo_table[i].name, wasm_opinfo_table[j].name),
                          "duplicate %s", wasm_opinfo_table[i].name);
        }
    ck_assert_str_eq(wasm_opinfo_table[OP_SELECT_T].name, "select");
}
END_TEST

START_TEST(test_simd_complete)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < OP_COUNT; i++)
        n += wasm_opinfo_table[i].prefix == 0xFD;
    ck_assert_uint_eq(n, 236 + 20);
    for (uint32_t code = 0; code < 256; code++) {
        bool present = wasm_op_lookup(0xFD, code) != OP_COUNT;
        ck_assert_msg(present == !is_simd_gap(code), "0xFD %u", code);
    }
    /* relaxed SIMD: 0x100 to 0x113 */
    for (uint32_t code = 256; code < 300; code++) {
        uint16_t op = wasm_op_lookup(0xFD, code);
        ck_assert_msg((op != OP_COUNT) == (code <= 0x113), "0xFD %u", code);
        if (op != OP_COUNT)
            ck_assert(wasm_opinfo_table[op].feature == LW_FEATURE(RELAXED_SIMD));
    }
}
END_TEST

START_TEST(test_fc_and_single_complete)
{
    for (uint32_t code = 0; code < 32; code++)
        ck_assert_msg((wasm_op_lookup(0xFC, code) != OP_COUNT) == (code <= 17), "0xFC %u", code);
    uint32_t n = 0;
    for (uint32_t b = 0; b < 256; b++) {
        bool present = wasm_op_lookup(0, b) != OP_COUNT;
        ck_assert_msg(present == is_single_byte_op(b), "0x%02x", b);
        n += present;
    }
    ck_assert_uint_eq(n, 473 - 256 - 18);
    ck_assert_uint_eq(OP_COUNT, 473 + 67 + 31);
}
END_TEST

/* The set of 0xFD codes in the spec's binary grammar equals ours. */
START_TEST(test_simd_matches_spec)
{
    const char *path = "../shared/spec-docs/2.0/document/core/binary/instructions.rst";
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("SKIP: %s not found, SIMD opcodes not compared with the spec\n", path);
        return;
    }
    bool seen[256] = {false};
    char line[512];
    uint32_t n = 0;
    while (fgets(line, sizeof line, f)) {
        const char *s = strstr(line, "\\hex{FD}~~");
        unsigned code;
        if (s && sscanf(s + 10, "%u{:}", &code) == 1 && code < 256 && !seen[code]) {
            seen[code] = true;
            n++;
            ck_assert_msg(wasm_op_lookup(0xFD, code) != OP_COUNT, "0xFD %u missing", code);
        }
    }
    fclose(f);
    ck_assert_uint_eq(n, 236);
}
END_TEST

START_TEST(test_lookup_misses)
{
    ck_assert_uint_eq(wasm_op_lookup(0xFC, 18), OP_COUNT);
    ck_assert_uint_eq(wasm_op_lookup(0xFD, 154), OP_COUNT);
    ck_assert_uint_eq(wasm_op_lookup(0xFD, 0x114), OP_COUNT);
    ck_assert_uint_eq(wasm_op_lookup(0xFD, UINT32_MAX), OP_COUNT);
    ck_assert_uint_eq(wasm_op_lookup(0x12, 0), OP_COUNT);
    /* Codes past a byte (but relaxed SIMD's) have no instructions: every
     * lookup misses, none reads out of bounds. */
    for (uint32_t prefix = 0xFB; prefix <= 0xFE; prefix++) {
        ck_assert_uint_eq(wasm_op_lookup((uint8_t)prefix, prefix == 0xFD ? 0x114 : 0x100), OP_COUNT);
        ck_assert_uint_eq(wasm_op_lookup((uint8_t)prefix, 0x10000), OP_COUNT);
        ck_assert_uint_eq(wasm_op_lookup((uint8_t)prefix, UINT32_MAX), OP_COUNT);
    }
    for (uint32_t code = 0; code < 256; code++) {
        /* GC: 0..30. */
        ck_assert_msg((wasm_op_lookup(0xFB, code) != OP_COUNT) == (code <= 30), "0xFB %u", code);
        /* Threads: 0..3 (notify, the waits, the fence), 0x10..0x4E. */
        bool atomic = code <= 3 || (code >= 0x10 && code <= 0x4E);
        ck_assert_msg((wasm_op_lookup(0xFE, code) != OP_COUNT) == atomic, "0xFE %u", code);
    }
    ck_assert_uint_eq(wasm_op_lookup(0xFF, 0), OP_COUNT);
    ck_assert_uint_eq(wasm_op_lookup(0xFA, 0), OP_COUNT);
    ck_assert_uint_eq(wasm_op_lookup(0, 0xFC), OP_COUNT);
    ck_assert_uint_eq(wasm_op_lookup(0, 0xFF), OP_COUNT);
    ck_assert_uint_eq(wasm_op_by_name("i32.ad", 6), OP_COUNT);
    ck_assert_uint_eq(wasm_op_by_name("i32.addd", 8), OP_COUNT);
    ck_assert_uint_eq(wasm_op_by_name("", 0), OP_COUNT);
    ck_assert_uint_eq(wasm_op_by_name("nop\0x", 5), OP_COUNT);
    /* Only len bytes count. */
    ck_assert_uint_eq(wasm_op_by_name("i32.add)", 7), OP_I32_ADD);
    ck_assert_uint_eq(wasm_op_by_name("i8x16.shuffle", 13), OP_I8X16_SHUFFLE);
}
END_TEST

START_TEST(test_encodings)
{
    ck_assert_uint_eq(wasm_op_lookup(0, 0x6A), OP_I32_ADD);
    ck_assert_uint_eq(wasm_op_lookup(0xFD, 1), OP_V128_LOAD8X8_S);
    ck_assert_uint_eq(wasm_op_lookup(0xFD, 12), OP_V128_CONST);
    ck_assert_uint_eq(wasm_op_lookup(0xFD, 255), OP_F64X2_CONVERT_LOW_I32X4_U);
    ck_assert_uint_eq(wasm_op_lookup(0xFC, 7), OP_I64_TRUNC_SAT_F64_U);
    ck_assert_uint_eq(wasm_op_lookup(0xFC, 17), OP_TABLE_FILL);
    ck_assert_uint_eq(wasm_op_lookup(0, 0xC4), OP_I64_EXTEND32_S);
    ck_assert_str_eq(wasm_opinfo_table[OP_I64_TRUNC_SAT_F32_U].name, "i64.trunc_sat_f32_u");
    ck_assert_str_eq(wasm_opinfo_table[OP_V128_LOAD64_LANE].name, "v128.load64_lane");
}
END_TEST

static bool is_type_code(uint8_t t)
{
    return t == T____ || t == T_I32 || t == T_I64 || t == T_F32 || t == T_F64 || t == T_V128;
}

START_TEST(test_columns_consistent)
{
    for (uint32_t i = 0; i < OP_COUNT; i++) {
        const wasm_opinfo *o = &wasm_opinfo_table[i];
        ck_assert(o->prefix == 0 || wasm_op_is_prefix(o->prefix));
        ck_assert_uint_le(o->imm, IMM_BR_ON_CAST);
        bool spec = o->operands[0] == T_SPEC;
        bool mem = o->imm == IMM_MEMARG || o->imm == IMM_MEMARG_LANE;
        ck_assert_msg(spec || is_type_code(o->operands[0]) || (mem && o->operands[0] == T_ADDR),
                      "%s", o->name);
        for (int k = 1; k < 3; k++) {
            ck_assert_msg(is_type_code(o->operands[k]), "%s", o->name);
            /* Operands are packed from the first column. */
            if (!spec && o->operands[k] != T____)
                ck_assert_msg(o->operands[k - 1] != T____, "%s", o->name);
        }
        ck_assert_msg(is_type_code(o->result), "%s", o->name);
        ck_assert_msg(mem ? o->align <= 4 : o->align == 0, "%s", o->name);
        if (mem)
            ck_assert_msg(o->operands[0] == T_ADDR, "%s: address first", o->name);
    }
    ck_assert_uint_eq(wasm_opinfo_table[OP_I64_LOAD32_U].align, 2);
    ck_assert_uint_eq(wasm_opinfo_table[OP_V128_LOAD].align, 4);
    ck_assert_uint_eq(wasm_opinfo_table[OP_V128_LOAD16_SPLAT].align, 1);
    ck_assert_uint_eq(wasm_opinfo_table[OP_V128_STORE64_LANE].align, 3);
    ck_assert_uint_eq(wasm_opinfo_table[OP_F64_STORE].operands[1], T_F64);
    ck_assert_uint_eq(wasm_opinfo_table[OP_V128_BITSELECT].operands[2], T_V128);
    ck_assert_uint_eq(wasm_opinfo_table[OP_I64X2_EXTRACT_LANE].result, T_I64);
}
END_TEST

/* Bits accessed, from the name: "i64.load32_s" 32, "v128.load8x8_s" 64,
 * "f64.store" 64, "v128.load" 128; atomics: "i32.atomic.rmw8.add_u" 8,
 * "i64.atomic.rmw.add" 64, "memory.atomic.wait64" 64, notify 32. */
static unsigned access_bits(const char *name)
{
    if (strncmp(name, "memory.atomic.", 14) == 0)
        return strcmp(name + 14, "notify") == 0 ? 32 : (unsigned)atoi(name + 18);
    const char *op = strchr(name, '.') + 1;
    if (strncmp(op, "atomic.rmw", 10) == 0)
        return op[10] == '.' ? (unsigned)atoi(name + 1) : (unsigned)atoi(op + 10);
    if (strncmp(op, "atomic.", 7) == 0)
        op += 7;
    op += strncmp(op, "load", 4) == 0 ? 4 : 5;
    unsigned n = 0, m = 0;
    int k = sscanf(op, "%ux%u", &n, &m);
    if (k == 2)
        return n * m;
    if (k == 1)
        return n;
    return name[0] == 'v' ? 128 : (unsigned)atoi(name + 1);
}

START_TEST(test_align_matches_name)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < OP_COUNT; i++) {
        const wasm_opinfo *o = &wasm_opinfo_table[i];
        if (o->imm != IMM_MEMARG && o->imm != IMM_MEMARG_LANE)
            continue;
        unsigned bits = access_bits(o->name), log2 = 0;
        while ((8u << log2) < bits)
            log2++;
        ck_assert_msg(o->align == log2, "%s: align %u, want %u", o->name, o->align, log2);
        n++;
    }
    ck_assert_uint_eq(n, 23 + 14 + 8 + 66);
}
END_TEST

static void *by_name_thread(void *arg)
{
    (void)arg;
    uintptr_t bad = 0;
    for (uint32_t i = 0; i < OP_COUNT; i++) {
        const char *n = wasm_opinfo_table[i].name;
        uint16_t got = wasm_op_by_name(n, strlen(n));
        bad += got != named_op(i);
    }
    return (void *)bad;
}

/* The name index is built once, whichever thread asks first. */
START_TEST(test_by_name_threads)
{
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, by_name_thread, NULL), 0);
    for (int i = 0; i < 8; i++) {
        void *bad;
        ck_assert_int_eq(pthread_join(t[i], &bad), 0);
        ck_assert_ptr_null(bad);
    }
}
END_TEST

/* The public view of the table: an encoding's immediate kind, or -1. */
START_TEST(test_public_immkind)
{
    ck_assert_int_eq(lw_instr_immkind(0, 0x6A), LW_IMM_NONE);
    ck_assert_int_eq(lw_instr_immkind(0, 0x41), LW_IMM_I32);
    ck_assert_int_eq(lw_instr_immkind(0, 0x0E), LW_IMM_BR_TABLE);
    ck_assert_int_eq(lw_instr_immkind(0xFC, 8), LW_IMM_DATA_MEMORY);
    ck_assert_int_eq(lw_instr_immkind(0xFD, 13), LW_IMM_SHUFFLE);
    ck_assert_int_eq(lw_instr_immkind(0, 0xFC), -1);
    ck_assert_int_eq(lw_instr_immkind(0xFD, UINT32_MAX), -1);
    ck_assert_int_eq(lw_instr_immkind(0x12, 0), -1);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("opcodes");
    TCase *tc = tcase_create("opcodes");
    tcase_add_test(tc, test_lookup_round_trip);
    tcase_add_test(tc, test_names_unique);
    tcase_add_test(tc, test_simd_complete);
    tcase_add_test(tc, test_fc_and_single_complete);
    tcase_add_test(tc, test_simd_matches_spec);
    tcase_add_test(tc, test_lookup_misses);
    tcase_add_test(tc, test_encodings);
    tcase_add_test(tc, test_columns_consistent);
    tcase_add_test(tc, test_align_matches_name);
    tcase_add_test(tc, test_by_name_threads);
    tcase_add_test(tc, test_public_immkind);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
