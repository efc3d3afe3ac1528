/* The binary encoder: exact bytes, every section, names, custom sections,
 * and encode -> decode -> encode reaching a fixed point. */
#define _GNU_SOURCE
#include "unit.h"
#include "libwasm.h"

#include <string.h>

static lw_module *parse(const char *src)
{
    lw_error err;
    lw_module *m = lw_module_parse_text(src, strlen(src), lw_features_wasm2(), &err);
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
    lw_module *m = lw_module_decode(b, n, lw_features_wasm2(), &err);
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

static lw_module *parse_annot(const char *src)
{
    lw_error err;
    lw_features f = lw_features_wasm2() | LW_FEATURE(ANNOTATIONS);
    lw_module *m = lw_module_parse_text(src, strlen(src), f, &err);
    ck_assert_msg(m != NULL, "%u:%u: %s", err.line, err.column, err.message);
    return m;
}

/* The bytes wat2wasm 1.0.32 writes (--enable-annotations
 * --enable-code-metadata) for the module below.  (For folded
 * instructions it gives the offset of their first operand, not of the
 * branch: hinted_folded is checked against the plain form instead.) */
static const uint8_t hinted_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60, 0x01, 0x7f,
    0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x03, 0x03, 0x02, 0x00, 0x01, 0x00, 0x28, 0x19,
    'm', 'e', 't', 'a', 'd', 'a', 't', 'a', '.', 'c', 'o', 'd', 'e', '.', 'b', 'r',
    'a', 'n', 'c', 'h', '_', 'h', 'i', 'n', 't', 0x02, 0x00, 0x02, 0x05, 0x01, 0x01,
    0x0b, 0x01, 0x00, 0x01, 0x01, 0x03, 0x01, 0x00, 0x0a, 0x1b, 0x02, 0x12, 0x01, 0x01,
    0x7e, 0x20, 0x00, 0x04, 0x7f, 0x41, 0x01, 0x20, 0x00, 0x0d, 0x00, 0x05, 0x41, 0x03,
    0x0b, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x0d, 0x00, 0x0b,
};
static const char hinted_wat[] =
    "(module\n"
    "  (func (param i32) (result i32) (local i64)\n"
    "    local.get 0\n"
    "    (@metadata.code.branch_hint \"\\01\") if (result i32)\n"
    "      i32.const 1 local.get 0 (@metadata.code.branch_hint \"\\00\") br_if 0\n"
    "    else i32.const 3 end)\n"
    "  (func (param i32) local.get 0 (@metadata.code.branch_hint \"\\00\") br_if 0))";
static const char hinted_folded[] =
    "(module\n"
    "  (func (param i32) (result i32) (local i64)\n"
    "    (@metadata.code.branch_hint \"\\01\")\n"
    "    (if (result i32) (local.get 0)\n"
    "      (then (i32.const 1) (@metadata.code.branch_hint \"\\00\") (br_if 0 (local.get 0)))\n"
    "      (else (i32.const 3))))\n"
    "  (func (param i32) (@metadata.code.branch_hint \"\\00\") (br_if 0 (local.get 0))))";

START_TEST(branch_hints_encoded_as_wabt_does)
{
    lw_module *m = parse_annot(hinted_wat);
    ck_assert_uint_eq(m->codes[0].nhints, 2);
    ck_assert_uint_eq(m->codes[0].hints[0].offset, 2);   /* if, after local.get 0 */
    ck_assert_uint_eq(m->codes[0].hints[0].likely, 1);
    ck_assert_uint_eq(m->codes[0].hints[1].offset, 8);   /* br_if */
    ck_assert_uint_eq(m->codes[0].hints[1].likely, 0);
    size_t n;
    uint8_t *b = encode(m, &n);
    ck_assert_uint_eq(n, sizeof hinted_wasm);
    ck_assert(memcmp(b, hinted_wasm, n) == 0);
    free(b);
    lw_module_free(m);
    m = parse_annot(hinted_folded);
    b = encode(m, &n);
    ck_assert_uint_eq(n, sizeof hinted_wasm);
    ck_assert(memcmp(b, hinted_wasm, n) == 0);
    free(b);
    lw_module_free(m);
}
END_TEST

START_TEST(branch_hints_decoded_and_kept)
{
    lw_module *m = decode(hinted_wasm, sizeof hinted_wasm);
    ck_assert_uint_eq(m->codes[0].nhints, 2);
    ck_assert_uint_eq(m->codes[0].hints[1].offset, 8);
    ck_assert_uint_eq(m->codes[1].nhints, 1);
    ck_assert_uint_eq(m->codes[1].hints[0].offset, 2);
    ck_assert_uint_eq(m->codes[1].hints[0].likely, 0);
    size_t n;
    uint8_t *b = encode(m, &n);
    ck_assert_uint_eq(n, sizeof hinted_wasm);   /* written once, not twice */
    ck_assert(memcmp(b, hinted_wasm, n) == 0);
    free(b);
    lw_module_free(m);
}
END_TEST

START_TEST(branch_hints_damaged_mean_nothing)
{
    uint8_t bad[sizeof hinted_wasm];
    memcpy(bad, hinted_wasm, sizeof bad);
    bad[57] = 0x02;   /* the first hint's size */
    lw_module *m = decode(bad, sizeof bad);
    ck_assert_uint_eq(m->codes[0].nhints, 0);
    ck_assert_uint_eq(m->codes[1].nhints, 0);
    size_t n;
    uint8_t *b = encode(m, &n);   /* the section stays as it was */
    ck_assert_uint_eq(n, sizeof bad);
    ck_assert(memcmp(b, bad, n) == 0);
    free(b);
    lw_module_free(m);
}
END_TEST

START_TEST(custom_annotations_placed)
{
    lw_module *m = parse_annot("(module (@custom \"c\" \"3\") (func)"
                               " (@custom \"a\" (before first) \"1\")"
                               " (@custom \"b\" (after func) \"2\" \"2\")"
                               " (@custom \"d\" (before global) \"\"))");
    size_t n;
    uint8_t *b = encode(m, &n);
    lw_module_free(m);
    m = decode(b, n);
    static const char *const want[] = {"a", "b", "d", "c"};
    static const uint8_t after[] = {0, 3, 13, 11};
    ck_assert_uint_eq(m->ncustoms, 4);
    for (int i = 0; i < 4; i++) {
        ck_assert_str_eq(m->customs[i].name, want[i]);
        ck_assert_uint_eq(m->customs[i].after, after[i] == 13 ? 3 : after[i] == 11 ? 10 : after[i]);
    }
    ck_assert_uint_eq(m->customs[1].len, 2);
    ck_assert(memcmp(m->customs[1].data, "22", 2) == 0);
    free(b);
    lw_module_free(m);
}
END_TEST

START_TEST(name_annotations)
{
    lw_module *m = parse_annot("(module $m (@name \"Mod\\u{fc}l\") (func $f (@name \"\\u{3bb}\")) (func $g))");
    ck_assert_str_eq(m->names.module, "Mod\xc3\xbcl");
    ck_assert_uint_eq(m->names.funcs.count, 2);
    ck_assert_str_eq(m->names.funcs.names[0].name, "\xce\xbb");
    ck_assert_str_eq(m->names.funcs.names[1].name, "g");
    lw_module_free(m);
    m = parse_annot("(func (param $a (@name \"first\") i32) (param i32)"
                    " (local (@name \"tmp\") i64) (local $b i32))");
    ck_assert_uint_eq(m->names.locals.count, 1);
    const lw_namemap *l = &m->names.locals.entries[0].map;
    ck_assert_uint_eq(l->count, 3);
    ck_assert_uint_eq(l->names[0].index, 0);
    ck_assert_str_eq(l->names[0].name, "first");
    ck_assert_uint_eq(l->names[1].index, 2);
    ck_assert_str_eq(l->names[1].name, "tmp");
    ck_assert_uint_eq(l->names[2].index, 3);
    ck_assert_str_eq(l->names[2].name, "b");
    lw_module_free(m);
}
END_TEST

/* Every nullable abstract reference type is written as its one-byte
 * short form (a type, a local, a block type), and reads back as itself. */
START_TEST(nullable_abstract_refs_short)
{
    static const char src[] =
        "(module (type (func (param funcref externref anyref eqref i31ref structref arrayref"
        " exnref nullref nullexternref nullfuncref nullexnref)))"
        " (func (local nullexnref) (block (result nullexnref) (ref.null noexn)) drop))";
    static const uint8_t types[] = {0x60, 0x0c, 0x70, 0x6f, 0x6e, 0x6d, 0x6c, 0x6b, 0x6a,
                                    0x69, 0x71, 0x72, 0x73, 0x74, 0x00};
    static const uint8_t body[] = {0x01, 0x01, 0x74, 0x02, 0x74, 0xd0, 0x74, 0x0b, 0x1a,
                                   0x0b};
    lw_error err;
    lw_module *m = lw_module_parse_text(src, strlen(src), lw_features_all(), &err);
    ck_assert_msg(m != NULL, "%u:%u: %s", err.line, err.column, err.message);
    size_t n;
    uint8_t *b = encode(m, &n);
    ck_assert_ptr_nonnull(memmem(b, n, types, sizeof types));
    ck_assert_ptr_nonnull(memmem(b, n, body, sizeof body));
    lw_module *back = lw_module_decode(b, n, lw_features_all(), &err);
    ck_assert_msg(back != NULL, "decode: %s", err.message);
    ck_assert_msg(lw_module_validate(back, &err) == 0, "validate: %s", err.message);
    ck_assert_uint_eq(back->types[0].nparams, 12);
    for (uint32_t i = 0; i < 12; i++) {
        ck_assert(lw_valtype_nullable(back->types[0].params[i]));
        ck_assert_uint_eq(lw_valtype_heap(back->types[0].params[i]), types[2 + i]);
        ck_assert_uint_eq(back->types[0].params[i], m->types[0].params[i]);
    }
    lw_module_free(back);
    free(b);
    lw_module_free(m);
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
    tcase_add_test(tc, branch_hints_encoded_as_wabt_does);
    tcase_add_test(tc, branch_hints_decoded_and_kept);
    tcase_add_test(tc, branch_hints_damaged_mean_nothing);
    tcase_add_test(tc, custom_annotations_placed);
    tcase_add_test(tc, name_annotations);
    tcase_add_test(tc, nullable_abstract_refs_short);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
