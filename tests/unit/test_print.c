/* The instruction printer: text, offsets, lengths and depths of each
 * instruction, names from the caller, hex floats, and errors with offsets. */
#include <string.h>

#include "libwasm-tools.h"
#include "unit.h"

/* Every line of code as "depth|offset|len|text\n" (file offset 0x100). */
static const char *lines(const uint8_t *code, size_t len, lw_print_namefn fn)
{
    static char buf[1024];
    lw_instr_iter it;
    lw_instr_line line;
    lw_error err;
    size_t n = 0;
    int rc;
    lw_instr_iter_init(&it, code, len, 0x100);
    it.name = fn;
    buf[0] = 0;
    while ((rc = lw_instr_iter_next(&it, &line, &err)) == 1)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%u|%x|%u|%s\n", line.depth,
                              line.offset, line.len, line.text);
    lw_instr_iter_free(&it);
    ck_assert_int_eq(rc, 0);
    return buf;
}

static const char *names(void *user, int kind, uint32_t index)
{
    (void)user;
    if (kind == LW_PRINT_FUNC && index == 3)
        return "f3";
    if (kind == LW_PRINT_GLOBAL && index == 0)
        return "sp";
    if (kind == LW_PRINT_TYPE && index == 1)
        return "t1";
    return NULL;
}

START_TEST(blocks_and_depth)
{
    static const uint8_t code[] = {
        0x02, 0x40,             /* block */
        0x04, 0x7f,             /* if i32 */
        0x41, 0x01,             /* i32.const 1 */
        0x05,                   /* else */
        0x41, 0x7f,             /* i32.const -1 */
        0x0b,                   /* end */
        0x0e, 0x02, 0x00, 0x01, 0x00, /* br_table 0 1 0 */
        0x0b,                   /* end */
        0x0b,                   /* end */
    };
    ck_assert_str_eq(lines(code, sizeof code, NULL),
                     "0|100|2|block\n"
                     "1|102|2|if i32\n"
                     "2|104|2|i32.const 1\n"
                     "1|106|1|else\n"
                     "2|107|2|i32.const 4294967295\n"
                     "1|109|1|end\n"
                     "1|10a|5|br_table 0 1 0\n"
                     "0|10f|1|end\n"
                     "0|110|1|end\n");
}
END_TEST

START_TEST(immediates_and_names)
{
    static const uint8_t code[] = {
        0x10, 0x03,             /* call 3 */
        0x10, 0x04,             /* call 4 */
        0x23, 0x00,             /* global.get 0 */
        0x11, 0x01, 0x00,       /* call_indirect (type 1) table 0 */
        0x28, 0x02, 0x10,       /* i32.load align=2 offset=16 */
        0x42, 0x7f,             /* i64.const -1 */
        0xd0, 0x70,             /* ref.null func */
        0xfc, 0x0c, 0x01, 0x00, /* table.init 1 0 */
        0xfd, 0x54, 0x00, 0x08, 0x03, /* v128.load8_lane 0 8 3 */
        0x0b,
    };
    ck_assert_str_eq(lines(code, sizeof code, names),
                     "0|100|2|call 3 <f3>\n"
                     "0|102|2|call 4\n"
                     "0|104|2|global.get 0 <sp>\n"
                     "0|106|3|call_indirect 0 (type 1 <t1>)\n"
                     "0|109|3|i32.load 2 16\n"
                     "0|10c|2|i64.const -1\n"
                     "0|10e|2|ref.null func\n"
                     "0|110|4|table.init 1 0\n"
                     "0|114|5|v128.load8_lane 0 8 3\n"
                     "0|119|1|end\n");
}
END_TEST

/* A memory index other than 0 sits between alignment and offset, as in
 * wabt's wasm-objdump. */
START_TEST(memory_index)
{
    static const uint8_t code[] = {
        0x28, 0x42, 0x01, 0x10, /* i32.load of memory 1, align=2 offset=16 */
        0x0b,
    };
    ck_assert_str_eq(lines(code, sizeof code, NULL),
                     "0|100|4|i32.load 2 1 16\n"
                     "0|104|1|end\n");
}
END_TEST

START_TEST(vectors)
{
    uint8_t code[18 + 18 + 1] = {0xfd, 0x0c};
    for (int i = 0; i < 16; i++)
        code[2 + i] = (uint8_t)i;
    code[18] = 0xfd;
    code[19] = 0x0d;
    for (int i = 0; i < 16; i++)
        code[20 + i] = (uint8_t)(31 - i);
    code[36] = 0x0b;
    ck_assert_str_eq(lines(code, sizeof code, NULL),
                     "0|100|18|v128.const 0x03020100 0x07060504 0x0b0a0908 0x0f0e0d0c\n"
                     "0|112|18|i8x16.shuffle 0x1c1d1e1f 0x18191a1b 0x14151617 0x10111213\n"
                     "0|124|1|end\n");
}
END_TEST

static const char *f32(uint32_t bits)
{
    static char buf[64];
    ck_assert_uint_eq(lw_format_f32(bits, buf, sizeof buf), strlen(buf));
    return buf;
}

static const char *f64(uint64_t bits)
{
    static char buf[64];
    ck_assert_uint_eq(lw_format_f64(bits, buf, sizeof buf), strlen(buf));
    return buf;
}

START_TEST(hex_floats)
{
    ck_assert_str_eq(f32(0x00000000), "0x0p+0");
    ck_assert_str_eq(f32(0x80000000), "-0x0p+0");
    ck_assert_str_eq(f32(0x3f800000), "0x1p+0");
    ck_assert_str_eq(f32(0x3fc00000), "0x1.8p+0");
    ck_assert_str_eq(f32(0x4572c000), "0x1.e58p+11");
    ck_assert_str_eq(f32(0x00000001), "0x1.p-149");
    ck_assert_str_eq(f32(0x00000003), "0x1.8p-148");
    ck_assert_str_eq(f32(0x007fffff), "0x1.fffffcp-127");
    ck_assert_str_eq(f32(0x00800000), "0x1p-126");
    ck_assert_str_eq(f32(0x7f800000), "inf");
    ck_assert_str_eq(f32(0xff800000), "-inf");
    ck_assert_str_eq(f32(0x7fc00000), "nan");
    ck_assert_str_eq(f32(0xffc00000), "-nan");
    ck_assert_str_eq(f32(0x7fa00000), "nan:0x200000");
    ck_assert_str_eq(f64(0x0000000000000000ull), "0x0p+0");
    ck_assert_str_eq(f64(0xc008000000000000ull), "-0x1.8p+1");
    ck_assert_str_eq(f64(0x0000000000000001ull), "0x1.p-1074");
    ck_assert_str_eq(f64(0x000fffffffffffffull), "0x1.ffffffffffffep-1023");
    ck_assert_str_eq(f64(0x7ff8000000000000ull), "nan");
    ck_assert_str_eq(f64(0x7ff0000000000001ull), "nan:0x1");
}
END_TEST

START_TEST(errors_have_offsets)
{
    static const uint8_t code[] = {0x41, 0x01, 0xff, 0x0b};
    lw_instr_iter it;
    lw_instr_line line;
    lw_error err;
    lw_error_clear(&err);
    lw_instr_iter_init(&it, code, sizeof code, 0x40);
    ck_assert_int_eq(lw_instr_iter_next(&it, &line, &err), 1);
    ck_assert_int_eq(lw_instr_iter_next(&it, &line, &err), -1);
    ck_assert_int_eq(err.kind, LW_ERR_MALFORMED);
    ck_assert(err.has_offset);
    ck_assert_uint_eq(err.offset, 0x42);
    lw_instr_iter_free(&it);

    static const uint8_t cut[] = {0x41};
    lw_instr_iter_init(&it, cut, sizeof cut, 0);
    ck_assert_int_eq(lw_instr_iter_next(&it, &line, &err), -1);
    ck_assert_int_eq(err.kind, LW_ERR_MALFORMED);
    lw_instr_iter_free(&it);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("print");
    TCase *tc = tcase_create("print");
    tcase_add_test(tc, blocks_and_depth);
    tcase_add_test(tc, immediates_and_names);
    tcase_add_test(tc, memory_index);
    tcase_add_test(tc, vectors);
    tcase_add_test(tc, hex_floats);
    tcase_add_test(tc, errors_have_offsets);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
