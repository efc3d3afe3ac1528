/* The binary encoder: exact bytes, every section, names, custom sections,
 * and encode -> decode -> encode reaching a fixed point. */
#include "unit.h"
#include "libwasm.h"

#include <string.h>

static lw_module *parse(const char *src)
{
    lw_error err;
    lw_module *m = lw_module_parse_text(src, strlen(src), lw_features_default(), &err);
    ck_assert_msg(m != NULL, "%u:%u: %s", err.line, err.column, err.message);
    return m;
}

static uint8_t *encode(const lw_module *m, size_t *len)
{
    uint8_t *out;
    lw_error err;
    ck_assert_int_eq(lw_module_encode(m, &out, len, &err), 0);
    return out;
}

static lw_module *decode(const uint8_t *b, size_t n)
{
    lw_error err;
    lw_module *m = lw_module_decode(b, n, lw_features_default(), &err);
    ck_assert_msg(m != NULL, "decode: %s", err.message);
    return m;
}

/* Index of the first section with this id, or -1. */
static int section_at(const lw_module *m, uint8_t id)
{
    for (uint32_t i = 0; i < m->nsections; i++)
        if (m->sections[i].id == id)
            return (int)i;
    return -1;
}

START_TEST(exact_bytes)
{
    static const uint8_t want[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01,
        0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06,
        0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,
    };
    lw_module *m = parse("(module (func (export \"f\") (result i32) i32.const 42))");
    size_t n;
    uint8_t *b = encode(m, &n);
    ck_assert_uint_eq(n, sizeof want);
    ck_assert(memcmp(b, want, n) == 0);
    free(b);
    lw_module_free(m);
}
END_TEST

START_TEST(empty_module)
{
    lw_module *m = parse("(module)");
    size_t n;
    uint8_t *b = encode(m, &n);
    ck_assert_uint_eq(n, 8);
    ck_assert(memcmp(b, "\0asm\1\0\0\0", 8) == 0);
    free(b);
    lw_module_free(m);
}
END_TEST

static const char *everything =
    "(module $all\n"
    "  (type $v (func))\n"
    "  (import \"env\" \"f\" (func $imp (param i32) (result i64)))\n"
    "  (import \"env\" \"t\" (table $it 1 2 funcref))\n"
    "  (import \"env\" \"m\" (memory $im 1))\n"
    "  (import \"env\" \"g\" (global $ig (mut f32)))\n"
    "  (table $t 3 funcref)\n"
    "  (table $x 1 externref)\n"
    "  (global $g i32 (i32.const 7))\n"
    "  (global $h funcref (ref.func $f))\n"
    "  (export \"f\" (func $f)) (export \"g\" (global $g))\n"
    "  (start $f)\n"
    "  (elem $e0 (i32.const 0) $f)\n"
    "  (elem $e1 func $f)\n"
    "  (elem $e2 (table $t) (i32.const 1) func $f)\n"
    "  (elem $e3 declare func $f)\n"
    "  (elem $e4 (i32.const 2) funcref (ref.null func))\n"
    "  (elem $e5 externref (ref.null extern))\n"
    "  (elem $e6 (table $x) (i32.const 0) externref (ref.null extern))\n"
    "  (elem $e7 declare funcref (ref.func $f))\n"
    "  (func $f (local $x i32) (local f64 f64)\n"
    "    (block $blk (memory.init $d1 (i32.const 0) (i32.const 0) (i32.const 0))))\n"
    "  (data $d0 (i32.const 0) \"abc\")\n"
    "  (data $d1 \"\\00\\ff\"))";

START_TEST(every_section_fixed_point)
{
    lw_module *m = parse(everything);
    size_t n1, n2;
    uint8_t *b1 = encode(m, &n1);
    lw_module *d = decode(b1, n1);
    uint8_t *b2 = encode(d, &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert(memcmp(b1, b2, n1) == 0);
    /* Sections in the binary's order, data count before code. */
    static const uint8_t order[] = {1, 2, 3, 4, 6, 7, 8, 9, 12, 10, 11, 0};
    ck_assert_uint_eq(d->nsections, sizeof order);
    for (uint32_t i = 0; i < d->nsections; i++)
        ck_assert_uint_eq(d->sections[i].id, order[i]);
    ck_assert(d->has_datacount && d->datacount == 2);
    for (uint32_t i = 0; i < 8; i++)
        ck_assert_uint_eq(d->elems[i].flags, i);
    ck_assert_str_eq(d->names.module, "all");
    ck_assert_str_eq(lw_module_func_name(d, 1), "f");
    ck_assert_str_eq(lw_namemap_get(lw_module_local_names(d, 1), 0), "x");
    ck_assert_str_eq(lw_namemap_get(&d->names.globals, 2), "h");
    ck_assert_str_eq(lw_namemap_get(&d->names.tables, 1), "t");
    ck_assert_str_eq(lw_namemap_get(&d->names.memories, 0), "im");
    ck_assert_str_eq(lw_namemap_get(&d->names.types, 0), "v");
    ck_assert_str_eq(lw_namemap_get(&d->names.elems, 7), "e7");
    ck_assert_str_eq(lw_namemap_get(&d->names.datas, 1), "d1");
    ck_assert_uint_eq(d->names.labels.count, 1);
    ck_assert_str_eq(lw_namemap_get(&d->names.labels.entries[0].map, 0), "blk");
    ck_assert_int_eq(lw_module_validate(d, NULL), 0);
    free(b1);
    free(b2);
    lw_module_free(d);
    lw_module_free(m);
}
END_TEST

START_TEST(no_data_count_unless_needed)
{
    lw_module *m = parse("(memory 1) (data (i32.const 0) \"x\") (func)");
    size_t n;
    uint8_t *b = encode(m, &n);
    lw_module *d = decode(b, n);
    ck_assert_int_eq(section_at(d, 12), -1);
    ck_assert_int_eq(section_at(d, 0), -1);  /* no names, no name section */
    free(b);
    lw_module_free(d);
    lw_module_free(m);
}
END_TEST

START_TEST(custom_sections_kept_in_place)
{
    /* type section, custom "a" after it, function + code, custom "b" at the end. */
    static const uint8_t bin[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x03, 0x01, 'z', 0x07,                     /* custom "z" first */
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
        0x00, 0x04, 0x01, 'a', 0x01, 0x02,
        0x03, 0x02, 0x01, 0x00,
        0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
        0x00, 0x02, 0x01, 'b',
    };
    lw_module *m = decode(bin, sizeof bin);
    ck_assert_uint_eq(m->ncustoms, 3);
    size_t n;
    uint8_t *b = encode(m, &n);
    ck_assert_uint_eq(n, sizeof bin);
    ck_assert(memcmp(b, bin, n) == 0);
    free(b);
    lw_module_free(m);
}
END_TEST

START_TEST(text_and_binary_agree)
{
    /* The same module written flat, folded and with abbreviations. */
    lw_module *a = parse("(module (type (func (param i32) (result i32)))"
                         " (func (type 0) local.get 0 i32.const 1 i32.add) (export \"inc\" (func 0)))");
    lw_module *b = parse("(module (func $inc (export \"inc\") (param $n i32) (result i32)"
                         " (i32.add (local.get $n) (i32.const 1))))");
    size_t na, nb;
    uint8_t *ba = encode(a, &na), *bb = encode(b, &nb);
    /* Same up to the name section that only b has. */
    ck_assert_uint_lt(na, nb);
    ck_assert(memcmp(ba, bb, na) == 0);
    ck_assert_uint_eq(bb[na], 0);
    free(ba);
    free(bb);
    lw_module_free(a);
    lw_module_free(b);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("encode");
    TCase *tc = tcase_create("encode");
    tcase_add_test(tc, exact_bytes);
    tcase_add_test(tc, empty_module);
    tcase_add_test(tc, every_section_fixed_point);
    tcase_add_test(tc, no_data_count_unless_needed);
    tcase_add_test(tc, custom_sections_kept_in_place);
    tcase_add_test(tc, text_and_binary_agree);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
