/* The text format: every syntax feature, literals rounded exactly, and
 * each error with the suite's message and its line:column. */
#include "unit.h"
#include "lex.h"

#include <string.h>

static lw_module *parse(const char *src)
{
    lw_error err;
    lw_module *m = lw_module_parse_text(src, strlen(src), lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL, "%.80s: %u:%u: %s", src, err.line, err.column, err.message);
    return m;
}

static void parse_fails(const char *src, const char *msg, uint32_t line, uint32_t col)
{
    lw_error err;
    lw_module *m = lw_module_parse_text(src, strlen(src), lw_features_wasm2(), &err);
    ck_assert_msg(m == NULL, "%.80s: parsed", src);
    ck_assert_int_eq(err.kind, LW_ERR_MALFORMED);
    ck_assert_msg(strstr(err.message, msg) != NULL, "%.80s: got \"%s\", want \"%s\"", src,
                  err.message, msg);
    if (line) {
        ck_assert_msg(err.line == line && err.column == col, "%.80s: at %u:%u, want %u:%u", src,
                      err.line, err.column, line, col);
    }
}

/* The body of the only (or first) function equals the given bytes. */
static void body_is(const char *src, const uint8_t *want, size_t n)
{
    lw_module *m = parse(src);
    ck_assert_uint_ge(m->ncodes, 1);
    ck_assert_msg(m->codes[0].body.len == n && memcmp(m->codes[0].body.code, want, n) == 0,
                  "%s: body differs (len %u, want %zu)", src, m->codes[0].body.len, n);
    lw_module_free(m);
}

#define BODY(src, ...)                                     \
    do {                                                   \
        static const uint8_t want_[] = {__VA_ARGS__};      \
        body_is(src, want_, sizeof want_);                 \
    } while (0)

/* ---- numbers ------------------------------------------------------- */

static uint32_t f32_of(const char *s)
{
    uint32_t v = 0;
    ck_assert_msg(wasm_parse_f32(s, strlen(s), &v) == NUM_OK, "%s", s);
    return v;
}

static uint64_t f64_of(const char *s)
{
    uint64_t v = 0;
    ck_assert_msg(wasm_parse_f64(s, strlen(s), &v) == NUM_OK, "%s", s);
    return v;
}

START_TEST(f32_literals)
{
    ck_assert_uint_eq(f32_of("0x1.fffffep127"), 0x7f7fffff);
    ck_assert_uint_eq(f32_of("0x1p-149"), 1);
    ck_assert_uint_eq(f32_of("0x1p-150"), 0);            /* tie, to even (zero) */
    ck_assert_uint_eq(f32_of("0x1.8p-149"), 2);          /* tie, to even (two) */
    ck_assert_uint_eq(f32_of("0x1.000001p-149"), 1);
    ck_assert_uint_eq(f32_of("0x1.fffffep-127"), 0x00800000); /* rounds up to normal */
    ck_assert_uint_eq(f32_of("0x1.000001p0"), 0x3f800000); /* tie, even */
    ck_assert_uint_eq(f32_of("0x1.000003p0"), 0x3f800002); /* tie, odd: up */
    ck_assert_uint_eq(f32_of("0x1.00000100000000000000001p0"), 0x3f800001); /* sticky */
    ck_assert_uint_eq(f32_of("0x1000001000000000000000000000000"), 0x7b800000); /* tie */
    ck_assert_uint_eq(f32_of("0x1000001000000000000000001"), 0x6f800001);    /* above tie */
    ck_assert_uint_eq(f32_of("1.000000059604644775390625"), 0x3f800000);
    ck_assert_uint_eq(f32_of("1.000000059604644775390626"), 0x3f800001);
    ck_assert_uint_eq(f32_of("1e-45"), 1);
    ck_assert_uint_eq(f32_of("-0"), 0x80000000);
    ck_assert_uint_eq(f32_of("1_000.5"), 0x447a2000);
    ck_assert_uint_eq(f32_of("inf"), 0x7f800000);
    ck_assert_uint_eq(f32_of("-inf"), 0xff800000);
    ck_assert_uint_eq(f32_of("nan"), 0x7fc00000);
    ck_assert_uint_eq(f32_of("-nan"), 0xffc00000);
    ck_assert_uint_eq(f32_of("nan:0x200000"), 0x7fa00000);
    ck_assert_uint_eq(f32_of("+nan:0x7fffff"), 0x7fffffff);
    uint32_t v;
    ck_assert_int_eq(wasm_parse_f32("0x1p128", 7, &v), NUM_RANGE);
    ck_assert_int_eq(wasm_parse_f32("1e39", 4, &v), NUM_RANGE);
    ck_assert_int_eq(wasm_parse_f32("0x1.ffffffp127", 14, &v), NUM_RANGE);
    ck_assert_int_eq(wasm_parse_f32("nan:0x0", 7, &v), NUM_RANGE);
    ck_assert_int_eq(wasm_parse_f32("nan:0x800000", 12, &v), NUM_RANGE);
    ck_assert_int_eq(wasm_parse_f32(".5", 2, &v), NUM_MALFORMED);
    ck_assert_int_eq(wasm_parse_f32("1e", 2, &v), NUM_MALFORMED);
    ck_assert_int_eq(wasm_parse_f32("0x", 2, &v), NUM_MALFORMED);
    ck_assert_int_eq(wasm_parse_f32("1__0", 4, &v), NUM_MALFORMED);
    ck_assert_int_eq(wasm_parse_f32("0x1p_1", 6, &v), NUM_MALFORMED);
    ck_assert_int_eq(wasm_parse_f32("nan:1", 5, &v), NUM_MALFORMED);
}
END_TEST

START_TEST(f64_literals)
{
    ck_assert_uint_eq(f64_of("0x1.fffffffffffffp1023"), 0x7fefffffffffffff);
    ck_assert_uint_eq(f64_of("0x1p-1074"), 1);
    ck_assert_uint_eq(f64_of("0x1p-1075"), 0);
    ck_assert_uint_eq(f64_of("0x1.00000000000008p0"), 0x3ff0000000000000);
    ck_assert_uint_eq(f64_of("0x1.00000000000018p0"), 0x3ff0000000000002);
    ck_assert_uint_eq(f64_of("0x1.000000000000080000000001p0"), 0x3ff0000000000001);
    ck_assert_uint_eq(f64_of("0.1"), 0x3fb999999999999a);
    ck_assert_uint_eq(f64_of("nan:0x4000000000000"), 0x7ff4000000000000);
    ck_assert_uint_eq(f64_of("-0x0.0p0"), 0x8000000000000000);
    uint64_t v;
    ck_assert_int_eq(wasm_parse_f64("0x1p1024", 8, &v), NUM_RANGE);
    ck_assert_int_eq(wasm_parse_f64("nan:0x10000000000000", 20, &v), NUM_RANGE);
}
END_TEST

START_TEST(int_literals)
{
    uint64_t v;
    ck_assert_int_eq(wasm_parse_int("0xffffffff", 10, 32, &v), NUM_OK);
    ck_assert_uint_eq(v, 0xffffffff);
    ck_assert_int_eq(wasm_parse_int("-0x8000_0000", 12, 32, &v), NUM_OK);
    ck_assert_uint_eq(v, 0x80000000);
    ck_assert_int_eq(wasm_parse_int("-1", 2, 64, &v), NUM_OK);
    ck_assert_uint_eq(v, UINT64_MAX);
    ck_assert_int_eq(wasm_parse_int("+0x80000000", 11, 32, &v), NUM_RANGE);
    ck_assert_int_eq(wasm_parse_int("4294967296", 10, 32, &v), NUM_RANGE);
    ck_assert_int_eq(wasm_parse_int("18446744073709551616", 20, 64, &v), NUM_RANGE);
    ck_assert_int_eq(wasm_parse_int("-129", 4, 8, &v), NUM_RANGE);
    ck_assert_int_eq(wasm_parse_int("255", 3, 8, &v), NUM_OK);
    ck_assert_int_eq(wasm_parse_int("_1", 2, 32, &v), NUM_MALFORMED);
    ck_assert_int_eq(wasm_parse_int("1_", 2, 32, &v), NUM_MALFORMED);
    ck_assert_int_eq(wasm_parse_int("0x_1", 4, 32, &v), NUM_MALFORMED);
    ck_assert_int_eq(wasm_parse_int("1.0", 3, 32, &v), NUM_MALFORMED);
}
END_TEST

START_TEST(const_instructions)
{
    BODY("(func i32.const -0x8000_0000 drop)", 0x41, 0x80, 0x80, 0x80, 0x80, 0x78, 0x1a, 0x0b);
    BODY("(func i32.const 0xffffffff drop)", 0x41, 0x7f, 0x1a, 0x0b);
    BODY("(func i64.const -1 drop)", 0x42, 0x7f, 0x1a, 0x0b);
    BODY("(func f32.const -0x1p-1 drop)", 0x43, 0x00, 0x00, 0x00, 0xbf, 0x1a, 0x0b);
    BODY("(func f64.const nan:0x1 drop)", 0x44, 1, 0, 0, 0, 0, 0, 0xf0, 0x7f, 0x1a, 0x0b);
    BODY("(func v128.const i16x8 1 2 3 4 5 6 7 -1 drop)", 0xfd, 0x0c, 1, 0, 2, 0, 3, 0, 4, 0,
         5, 0, 6, 0, 7, 0, 0xff, 0xff, 0x1a, 0x0b);
    BODY("(func v128.const f32x4 1 -0 inf nan drop)", 0xfd, 0x0c, 0, 0, 0x80, 0x3f, 0, 0, 0,
         0x80, 0, 0, 0x80, 0x7f, 0, 0, 0xc0, 0x7f, 0x1a, 0x0b);
    BODY("(func v128.const i64x2 -1 0x0102030405060708 drop)", 0xfd, 0x0c, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff, 0xff, 8, 7, 6, 5, 4, 3, 2, 1, 0x1a, 0x0b);
}
END_TEST

/* ---- instructions ----------------------------------------------------- */

START_TEST(folded_equals_flat)
{
    BODY("(func (result i32) (i32.add (i32.const 1) (i32.const 2)))", 0x41, 1, 0x41, 2, 0x6a, 0x0b);
    BODY("(func (result i32) i32.const 1 i32.const 2 i32.add)", 0x41, 1, 0x41, 2, 0x6a, 0x0b);
    BODY("(func (param i32) (if (local.get 0) (then (nop)) (else (unreachable))))",
         0x20, 0, 0x04, 0x40, 0x01, 0x05, 0x00, 0x0b, 0x0b);
    BODY("(func (param i32) local.get 0 if nop else unreachable end)",
         0x20, 0, 0x04, 0x40, 0x01, 0x05, 0x00, 0x0b, 0x0b);
    BODY("(func (result i32) (block (result i32) (i32.const 7)))", 0x02, 0x7f, 0x41, 7, 0x0b, 0x0b);
    BODY("(func (loop $l (br $l)))", 0x03, 0x40, 0x0c, 0, 0x0b, 0x0b);
}
END_TEST

START_TEST(labels)
{
    BODY("(func block $a block $b br $a br $b br 0 end $b end $a)", 0x02, 0x40, 0x02, 0x40,
         0x0c, 1, 0x0c, 0, 0x0c, 0, 0x0b, 0x0b, 0x0b);
    BODY("(func (block $a (block $a (br $a))))", 0x02, 0x40, 0x02, 0x40, 0x0c, 0, 0x0b, 0x0b, 0x0b);
    BODY("(func (param i32) (block $x (br_table $x 0 $x (local.get 0))))", 0x02, 0x40, 0x20, 0,
         0x0e, 2, 0, 0, 0, 0x0b, 0x0b);
    BODY("(func i32.const 0 if $l else $l end $l)", 0x41, 0, 0x04, 0x40, 0x0b, 0x0b);
    lw_module *m = parse("(func) (func block $a loop block $c end end end (if $d (i32.const 0) (then)))");
    ck_assert_uint_eq(m->names.labels.count, 1);
    ck_assert_uint_eq(m->names.labels.entries[0].index, 1);
    const lw_namemap *ln = &m->names.labels.entries[0].map;
    ck_assert_uint_eq(ln->count, 3);
    ck_assert_str_eq(lw_namemap_get(ln, 0), "a");
    ck_assert_str_eq(lw_namemap_get(ln, 2), "c");
    ck_assert_str_eq(lw_namemap_get(ln, 3), "d");
    lw_module_free(m);
    parse_fails("(func block end $l)", "mismatching label", 1, 17);
    parse_fails("(func block $a end $b)", "mismatching label", 1, 20);
    parse_fails("(func i32.const 0 if $a else $b end)", "mismatching label", 1, 30);
    parse_fails("(func (block $l (br $m)))", "unknown label", 1, 21);
}
END_TEST

START_TEST(memory_instructions)
{
    BODY("(memory 1) (func (drop (i32.load offset=0x10 align=2 (i32.const 0))))",
         0x41, 0, 0x28, 1, 0x10, 0x1a, 0x0b);
    BODY("(memory 1) (func (drop (i64.load8_u (i32.const 0))))", 0x41, 0, 0x31, 0, 0, 0x1a, 0x0b);
    BODY("(memory 1) (func (drop (memory.grow (i32.const 1))))", 0x41, 1, 0x40, 0, 0x1a, 0x0b);
    BODY("(memory 1) (func (memory.copy (i32.const 0) (i32.const 0) (i32.const 0)))",
         0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 10, 0, 0, 0x0b);
    BODY("(memory 1) (func (param v128) (result v128) (v128.load8_lane offset=1 15 (i32.const 0) (local.get 0)))",
         0x41, 0, 0x20, 0, 0xfd, 84, 0, 1, 15, 0x0b);
    parse_fails("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))", "alignment", 1, 34);
    parse_fails("(memory 1)\n(func (drop (i32.load offset=4294967296 (i32.const 0))))",
                "i32 constant", 2, 23);
}
END_TEST

START_TEST(table_and_ref_instructions)
{
    BODY("(table $t 1 funcref) (table $u 1 externref) (func (drop (table.get $u (i32.const 0))))",
         0x41, 0, 0x25, 1, 0x1a, 0x0b);
    BODY("(table 1 funcref) (elem $e func) (func (table.init $e (i32.const 0) (i32.const 0) (i32.const 0)))",
         0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 12, 0, 0, 0x0b);
    BODY("(table $a 1 funcref) (table $b 1 funcref) (func (table.copy $b $a (i32.const 0) (i32.const 0) (i32.const 0)))",
         0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 14, 1, 0, 0x0b);
    BODY("(func (result externref) ref.null extern)", 0xd0, 0x6f, 0x0b);
    BODY("(func $f (result funcref) ref.func $f)", 0xd2, 0, 0x0b);
    BODY("(func (result i32) (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))",
         0x41, 1, 0x41, 2, 0x41, 0, 0x1c, 1, 0x7f, 0x0b);
    BODY("(func (param v128) (result v128) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get 0) (local.get 0)))",
         0x20, 0, 0x20, 0, 0xfd, 13, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31, 0x0b);
    BODY("(type $t (func (param i32))) (table 1 funcref) (func (call_indirect (type $t) (i32.const 1) (i32.const 0)))",
         0x41, 1, 0x41, 0, 0x11, 0, 0, 0x0b);
}
END_TEST

/* ---- module fields ------------------------------------------------------- */

START_TEST(implicit_types)
{
    lw_module *m = parse("(func $f (result f64) (f64.const 0))"
                         "(func $g (param i32))"
                         "(type $t (func (param i32)))"
                         "(func $h (type 1) (f64.const 1))"
                         "(func (block (param i32 i32) (result i64) (unreachable)))");
    ck_assert_uint_eq(m->ntypes, 4);
    ck_assert_uint_eq(m->types[0].nparams, 1);   /* the explicit one comes first */
    ck_assert_uint_eq(m->types[1].nresults, 1);  /* then (result f64), implicit */
    ck_assert_uint_eq(m->types[2].nparams, 0);   /* the last function's [] -> [] */
    ck_assert_uint_eq(m->types[3].nparams, 2);   /* its block's */
    ck_assert_uint_eq(m->func_types[0], 1);
    ck_assert_uint_eq(m->func_types[1], 0);
    ck_assert_uint_eq(m->func_types[2], 1);
    ck_assert_uint_eq(m->func_types[3], 2);
    ck_assert_uint_eq(m->codes[3].body.code[1], 3);
    lw_module_free(m);
}
END_TEST

START_TEST(imports_and_exports)
{
    lw_module *m = parse("(module $M\n"
                         "  (import \"m\" \"f\" (func $imp (param i32)))\n"
                         "  (func $g (import \"m\" \"g\") (result i32))\n"
                         "  (global $gl (import \"m\" \"gl\") (mut i64))\n"
                         "  (memory (export \"mem\") (import \"m\" \"mem\") 1 2)\n"
                         "  (table $t (export \"t1\") (export \"t2\") 0 externref)\n"
                         "  (func $h (export \"h\") (call $imp (i32.const 0)))\n"
                         "  (export \"g\" (func $g))\n"
                         "  (start $h))");
    ck_assert_uint_eq(m->nimports, 4);
    ck_assert_uint_eq(m->nfuncs, 3);
    ck_assert_uint_eq(m->nfunc_imports, 2);
    ck_assert_uint_eq(m->nglobal_imports, 1);
    ck_assert(m->globals[0].mut && m->globals[0].type == LW_I64);
    ck_assert_uint_eq(m->nmem_imports, 1);
    ck_assert(m->mems[0].has_max && m->mems[0].max == 2);
    ck_assert_uint_eq(m->imports[3].kind, LW_EXTERN_MEMORY);
    ck_assert_uint_eq(m->nexports, 5);
    ck_assert_str_eq(m->exports[0].name, "mem");
    ck_assert_str_eq(m->exports[2].name, "t2");
    ck_assert_uint_eq(m->exports[3].index, 2);
    ck_assert(m->has_start && m->start == 2);
    ck_assert_str_eq(m->names.module, "M");
    ck_assert_uint_eq(m->names.funcs.count, 3);
    ck_assert_str_eq(m->names.funcs.names[2].name, "h");
    ck_assert_uint_eq(m->declared_funcs[0], 0x6);  /* exported: g and h */
    lw_module_free(m);
}
END_TEST

START_TEST(locals_and_names)
{
    lw_module *m = parse("(func $f (param $a i32) (param f32 f64) (local $x i64) (local i32 i32)"
                         "  (local.set $x (i64.const 1)) (local.get $a) (drop))");
    ck_assert_uint_eq(m->codes[0].nlocals, 3);
    ck_assert_uint_eq(m->codes[0].nlocalgroups, 2);
    ck_assert_uint_eq(m->codes[0].localgroups[1].count, 2);
    ck_assert_uint_eq(m->codes[0].body.code[3], 3);  /* local.set 3 */
    const lw_namemap *ln = lw_module_local_names(m, 0);
    ck_assert_ptr_nonnull(ln);
    ck_assert_uint_eq(ln->count, 2);
    ck_assert_str_eq(lw_namemap_get(ln, 3), "x");
    ck_assert_str_eq(lw_namemap_get(ln, 0), "a");
    lw_module_free(m);
    parse_fails("(func (param $foo i32) (local $foo i32))", "duplicate local", 1, 31);
    parse_fails("(func (local.get $nope))", "unknown local", 1, 18);
}
END_TEST

START_TEST(segments)
{
    lw_module *m = parse("(table $t 10 funcref) (memory $m 1)\n"
                         "(func $f) (func $g)\n"
                         "(elem (i32.const 0) $f $g)\n"
                         "(elem $p funcref (ref.func $f) (item ref.null func))\n"
                         "(elem (table $t) (offset (i32.const 2)) func $g)\n"
                         "(elem declare func $g)\n"
                         "(data (i32.const 8) \"ab\" \"\\63\")\n"
                         "(data $d \"xyz\")\n"
                         "(func (data.drop $d))");
    ck_assert_uint_eq(m->nelems, 4);
    ck_assert_uint_eq(m->elems[0].flags, 0);
    ck_assert_uint_eq(m->elems[0].count, 2);
    ck_assert_uint_eq(m->elems[0].funcs[1], 1);
    ck_assert_uint_eq(m->elems[1].flags, 5);
    ck_assert_uint_eq(m->elems[1].mode, LW_SEG_PASSIVE);
    ck_assert_uint_eq(m->elems[1].exprs[1].code[0], 0xd0);
    ck_assert_uint_eq(m->elems[2].mode, LW_SEG_ACTIVE);
    ck_assert_uint_eq(m->elems[3].mode, LW_SEG_DECLARATIVE);
    ck_assert_uint_eq(m->ndatas, 2);
    ck_assert_uint_eq(m->datas[0].len, 3);
    ck_assert(memcmp(m->datas[0].bytes, "abc", 3) == 0);
    ck_assert_uint_eq(m->datas[1].mode, LW_SEG_PASSIVE);
    ck_assert(m->has_datacount && m->datacount == 2);
    ck_assert_uint_eq(m->declared_funcs[0], 0x3);
    ck_assert_str_eq(m->names.elems.names[0].name, "p");
    ck_assert_uint_eq(m->names.elems.names[0].index, 1);
    lw_module_free(m);
}
END_TEST

START_TEST(inline_segments)
{
    lw_module *m = parse("(func $f) (table funcref (elem $f $f $f)) (memory (data \"hello\"))");
    ck_assert_uint_eq(m->tables[0].limits.min, 3);
    ck_assert_uint_eq(m->tables[0].limits.max, 3);
    ck_assert_uint_eq(m->elems[0].count, 3);
    ck_assert_uint_eq(m->mems[0].min, 1);
    ck_assert_uint_eq(m->datas[0].len, 5);
    ck_assert(!m->has_datacount);
    lw_module_free(m);
}
END_TEST

START_TEST(strings_and_names)
{
    lw_module *m = parse("(memory 1) (data (i32.const 0) \"\\n\\t\\\\\\'\\\"\\41\\u{1F600}\\u{e9}\")"
                         "(func (export \"\\u{48}i \xc3\xa9\"))");
    static const uint8_t want[] = {'\n', '\t', '\\', '\'', '"', 'A', 0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9};
    ck_assert_uint_eq(m->datas[0].len, sizeof want);
    ck_assert(memcmp(m->datas[0].bytes, want, sizeof want) == 0);
    ck_assert_str_eq(m->exports[0].name, "Hi \xc3\xa9");
    lw_module_free(m);
    parse_fails("(func (export \"\\ff\"))", "malformed UTF-8 encoding", 1, 15);
    parse_fails("(data \"\\u{d800}\")", "malformed UTF-8 encoding", 1, 7);
    parse_fails("(data \"\\q\")", "illegal escape", 1, 7);
    parse_fails("(data \"abc", "unclosed string", 1, 7);
}
END_TEST

/* $"..." names the same identifier as $... with those bytes. */
START_TEST(quoted_identifiers)
{
    lw_module *m = parse("(func $\"f\\67\") (func (call $fg) (call $\"fg\"))"
                         "(func (block $\"a b\" (br $\"a\\u{20}b\")))");
    ck_assert_uint_eq(m->ncodes, 3);
    lw_module_free(m);
    parse_fails("(func $)", "empty identifier", 1, 7);
    parse_fails("(func $\"\")", "empty identifier", 1, 7);
    parse_fails("(func $\"\\ef\")", "malformed UTF-8 encoding", 1, 7);
    parse_fails("(func $\"a\"$b)", "unknown operator", 1, 7);
    parse_fails("(func (call $\"nope\"))", "unknown function $nope", 1, 13);
    parse_fails("(func get_local 0)", "unknown operator get_local", 1, 7);
    parse_fails("(global anyfunc (ref.null func))", "unknown operator anyfunc", 1, 9);
}
END_TEST

START_TEST(comments_and_annotations)
{
    lw_module *m = parse(";; line\n(module (; block (; nested ;) ;) (func (@name \"x\" (@inner)) nop) ;; end\n)");
    ck_assert_uint_eq(m->ncodes, 1);
    ck_assert_uint_eq(m->codes[0].body.code[0], 0x01);
    lw_module_free(m);
    parse_fails("(module (; unclosed", "unclosed comment", 1, 9);
}
END_TEST

START_TEST(numeric_indices_left_to_validation)
{
    lw_module *m = parse("(func (call 7) (global.get 3) (br 9))");
    ck_assert_uint_eq(m->codes[0].body.code[1], 7);
    lw_module_free(m);
    parse_fails("(func (call $nope))", "unknown function", 1, 13);
    parse_fails("(func (call_indirect (type $nope)))", "unknown type", 1, 28);
}
END_TEST

START_TEST(field_order_and_duplicates)
{
    parse_fails("(func) (import \"\" \"\" (func))", "import after function", 1, 8);
    parse_fails("(memory 0) (import \"\" \"\" (global i32))", "import after memory", 1, 12);
    parse_fails("(global i64 (i64.const 0)) (table (import \"\" \"\") 0 funcref)", "import after global", 1, 28);
    parse_fails("(func $foo) (func $foo)", "duplicate func", 1, 19);
    parse_fails("(import \"\" \"\" (global $g i32)) (global $g i32 (i32.const 0))", "duplicate global", 1, 40);
    parse_fails("(table $t 1 funcref) (table $t 1 funcref)", "duplicate table", 1, 29);
    parse_fails("(memory $m 1) (memory $m 1)", "duplicate memory", 1, 23);
    parse_fails("(func $a) (start $a) (start $a)", "multiple start sections", 1, 29);
}
END_TEST

START_TEST(type_use_errors)
{
    parse_fails("(type $sig (func (param i32)))\n(func (type $sig) (param i64))",
                "inline function type", 2, 13);
    parse_fails("(func (type 2) (param i32))", "unknown type", 1, 13);
    parse_fails("(func (local i32) (param i32))", "unexpected token", 1, 20);
    parse_fails("(func (result i32) (param i32))", "unexpected token", 1, 21);
    parse_fails("(func (nop) (local i32))", "unexpected token", 1, 14);
    parse_fails("(func (call_indirect (param $x i32)))", "unexpected token", 1, 29);
}
END_TEST

START_TEST(instruction_errors)
{
    parse_fails("(func (i32.frob))", "unknown operator", 1, 8);
    parse_fails("(func\n  (i32.const 0x))", "unknown operator", 2, 14);
    parse_fails("(func (i32.const 4294967296) drop)", "constant out of range", 1, 18);
    parse_fails("(func (f32.const 1e39) drop)", "constant out of range", 1, 18);
    parse_fails("(func (i32.const) drop)", "unexpected token", 1, 17);
    parse_fails("(func (i32.const nan:canonical) drop)", "unexpected token", 1, 18);
    parse_fails("(func (v128.const i32x4 1 2 3) drop)", "wrong number of lane literals", 1, 30);
    parse_fails("(func (v128.const i32x4 1 2 3 4 5) drop)", "wrong number of lane literals", 1, 33);
    parse_fails("(func (v128.const i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0) drop)",
                "constant out of range", 1, 25);
    parse_fails("(func (result i32) (i8x16.extract_lane_s 256 (v128.const i64x2 0 0)))",
                "malformed lane index: i8 constant out of range", 1, 42);
    parse_fails("(func (result i32) (i8x16.extract_lane_s -1 (v128.const i64x2 0 0)))",
                "unexpected token", 1, 42);
    parse_fails("(func (i8x16.shuffle 0 1 2))", "invalid lane length", 1, 27);
    parse_fails("(func block", "unexpected end", 1, 12);
    parse_fails("(func 0$x)", "unknown operator", 1, 7);
    parse_fails("(func) )", "unexpected token", 1, 8);
    parse_fails("(module (func) (frob))", "unexpected token", 1, 17);
}
END_TEST

START_TEST(deep_nesting_is_an_error)
{
    size_t n = 200000;
    char *src = malloc(n * 9 + 64);
    strcpy(src, "(func ");
    size_t len = strlen(src);
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(src + len, "(block ");
    for (size_t i = 0; i <= n; i++)
        src[len++] = ')';
    src[len] = 0;
    parse_fails(src, "nesting too deep", 0, 0);
    free(src);
}
END_TEST

START_TEST(binary_and_quote_modules)
{
    lw_module *m = parse("(module $b binary \"\\00asm\" \"\\01\\00\\00\\00\"\n"
                         "  \"\\01\\04\\01\\60\\00\\00\")");
    ck_assert_uint_eq(m->ntypes, 1);
    lw_module_free(m);
    m = parse("(module quote \"(func $q\" \" (nop))\")");
    ck_assert_uint_eq(m->ncodes, 1);
    ck_assert_str_eq(m->names.funcs.names[0].name, "q");
    lw_module_free(m);
    parse_fails("(module quote \"(func\")", "unexpected end", 1, 6);
    parse_fails("(module binary \"\\00asm\" 1)", "unexpected token", 1, 25);
    lw_error err;
    const char *bad = "(module binary \"\\00asm\")";
    ck_assert_ptr_null(lw_module_parse_text(bad, strlen(bad), lw_features_wasm2(), &err));
    ck_assert_int_eq(err.kind, LW_ERR_MALFORMED);
}
END_TEST

/* ---- features -------------------------------------------------------- */

/* The body of the first function, parsed under features, equals want. */
static void body_is_f(const char *src, lw_features f, const char *want_hex)
{
    lw_error err;
    lw_module *m = lw_module_parse_text(src, strlen(src), f, &err);
    ck_assert_msg(m != NULL, "%.80s: %s", src, err.message);
    char got[256];
    size_t n = 0;
    got[0] = 0;
    for (uint32_t i = 0; i < m->codes[0].body.len && n < sizeof got - 4; i++)
        n += (size_t)snprintf(got + n, sizeof got - n, "%s%02x", i ? " " : "",
                              m->codes[0].body.code[i]);
    ck_assert_msg(strcmp(got, want_hex) == 0, "%s: got %s, want %s", src, got, want_hex);
    lw_module_free(m);
}

static lw_features with(lw_features f)
{
    return lw_features_wasm2() | f;
}

/* A memory index right after the name, with multi-memory: flag bit 6 and
 * the index.  Before a lane it is the first of two numbers. */
START_TEST(memarg_memory_index)
{
    lw_features mm = with(LW_FEATURE(MULTI_MEMORY));
    body_is_f("(memory 1) (func (drop (i32.load 1 offset=4 (i32.const 0))))", mm,
              "41 00 28 42 01 04 1a 0b");
    body_is_f("(memory $m 1) (func (drop (i32.load $m (i32.const 0))))", mm,
              "41 00 28 02 00 1a 0b");
    body_is_f("(memory 1) (func (param v128) (drop (v128.load8_lane 1 2 (i32.const 0) "
              "(local.get 0))))", mm, "41 00 20 00 fd 54 40 01 00 02 1a 0b");
    body_is_f("(memory 1) (func (param v128) (drop (v128.load8_lane 2 (i32.const 0) "
              "(local.get 0))))", mm, "41 00 20 00 fd 54 00 00 02 1a 0b");
    body_is_f("(memory 1) (func (param v128) (drop (v128.load8_lane 1 offset=3 2 "
              "(i32.const 0) (local.get 0))))", mm, "41 00 20 00 fd 54 40 01 03 02 1a 0b");
    parse_fails("(memory 1) (func (drop (i32.load 1 (i32.const 0))))", "unexpected token", 0, 0);
}
END_TEST

/* memory.size, grow, fill, copy and init name their memories the same way. */
START_TEST(memory_instruction_indices)
{
    lw_features mm = with(LW_FEATURE(MULTI_MEMORY));
    body_is_f("(memory 1) (func (drop (memory.size 2)))", mm, "3f 02 1a 0b");
    body_is_f("(memory 1) (func (drop (memory.size)))", mm, "3f 00 1a 0b");
    body_is_f("(memory 1) (func (memory.copy 1 2 (i32.const 0) (i32.const 0) (i32.const 0)))",
              mm, "41 00 41 00 41 00 fc 0a 01 02 0b");
    body_is_f("(memory 1) (data \"x\") (func (memory.init 3 0 (i32.const 0) (i32.const 0) "
              "(i32.const 0)))", mm, "41 00 41 00 41 00 fc 08 00 03 0b");
    body_is_f("(memory 1) (data \"x\") (func (memory.init 0 (i32.const 0) (i32.const 0) "
              "(i32.const 0)))", mm, "41 00 41 00 41 00 fc 08 00 00 0b");
    parse_fails("(memory 1) (func (drop (memory.size 2)))", "unexpected token", 0, 0);
}
END_TEST

/* memory64 reads 64-bit offsets and alignments; the validator bounds
 * them. */
START_TEST(memarg_offset64)
{
    const char *src = "(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))";
    lw_features m64 = with(LW_FEATURE(MEMORY64));
    body_is_f(src, m64, "41 00 28 02 80 80 80 80 10 1a 0b");
    lw_error err;
    lw_module *m = lw_module_parse_text(src, strlen(src), m64, &err);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_lt(lw_module_validate(m, &err), 0);
    ck_assert_str_eq(err.message, "offset out of range");
    lw_module_free(m);
    parse_fails(src, "i32 constant out of range", 1, 34);
    src = "(memory 1) (func (drop (i32.load align=0x8000_0000_0000_0000 (i32.const 0))))";
    m = lw_module_parse_text(src, strlen(src), m64, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_int_lt(lw_module_validate(m, &err), 0);
    ck_assert_str_eq(err.message, "alignment must not be larger than natural");
    lw_module_free(m);
    parse_fails(src, "alignment too large", 1, 34);
    /* A power of two past the field is too large, not "not a power of two". */
    parse_fails("(memory 1) (func (drop (i32.load align=4294967296 (i32.const 0))))",
                "alignment too large", 1, 34);
    src = "(memory 1) (func (drop (i32.load align=18446744073709551616 (i32.const 0))))";
    ck_assert_ptr_null(lw_module_parse_text(src, strlen(src), m64, &err));
    ck_assert_str_eq(err.message, "alignment too large");
    parse_fails("(memory 1) (func (drop (i32.load align=4294967295 (i32.const 0))))",
                "alignment must be a power of two", 1, 34);
}
END_TEST

/* memory64's address type on memories and tables, with u64 bounds; an
 * inline segment's offset follows the type.  Without memory64 a bound
 * stays a u32. */
START_TEST(limits_memory64)
{
    const char *src = "(memory $m i64 (data \"ab\")) (table i64 0 0x1_0000_0000 funcref)"
                      " (table $t i64 funcref (elem))";
    lw_error err;
    lw_module *m = lw_module_parse_text(src, strlen(src), with(LW_FEATURE(MEMORY64)), &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert(m->mems[0].is64);
    ck_assert_uint_eq(m->mems[0].min, 1);
    ck_assert_uint_eq(m->datas[0].offset.code[0], 0x42);
    ck_assert(m->tables[0].limits.is64);
    ck_assert_uint_eq(m->tables[0].limits.max, UINT64_C(1) << 32);
    ck_assert(m->tables[1].limits.is64);
    ck_assert_uint_eq(m->elems[0].offset.code[0], 0x42);
    ck_assert_int_eq(lw_module_validate(m, &err), 0);
    lw_module_free(m);
    parse_fails("(memory 0x1_0000_0000)", "i32 constant out of range", 1, 9);
    src = "(memory i32 1 2)";
    m = lw_module_parse_text(src, strlen(src), lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert(!m->mems[0].is64 && m->mems[0].max == 2);
    lw_module_free(m);
}
END_TEST

/* An instruction of a disabled feature gets the decoder's message. */
START_TEST(disabled_instructions)
{
    const char *src = "(func (drop (i32.extend8_s (i32.const 0))))";
    lw_error err;
    lw_features f = lw_features_wasm2() & ~LW_FEATURE(SIGN_EXT);
    ck_assert_ptr_null(lw_module_parse_text(src, strlen(src), f, &err));
    ck_assert_int_eq(err.kind, LW_ERR_MALFORMED);
    ck_assert_str_eq(err.message, "illegal opcode i32.extend8_s (feature sign-extension is disabled)");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("text");
    tcase_add_test(tc, f32_literals);
    tcase_add_test(tc, f64_literals);
    tcase_add_test(tc, int_literals);
    tcase_add_test(tc, const_instructions);
    tcase_add_test(tc, folded_equals_flat);
    tcase_add_test(tc, labels);
    tcase_add_test(tc, memory_instructions);
    tcase_add_test(tc, table_and_ref_instructions);
    tcase_add_test(tc, implicit_types);
    tcase_add_test(tc, imports_and_exports);
    tcase_add_test(tc, locals_and_names);
    tcase_add_test(tc, segments);
    tcase_add_test(tc, inline_segments);
    tcase_add_test(tc, strings_and_names);
    tcase_add_test(tc, quoted_identifiers);
    tcase_add_test(tc, comments_and_annotations);
    tcase_add_test(tc, numeric_indices_left_to_validation);
    tcase_add_test(tc, field_order_and_duplicates);
    tcase_add_test(tc, type_use_errors);
    tcase_add_test(tc, instruction_errors);
    tcase_add_test(tc, deep_nesting_is_an_error);
    tcase_add_test(tc, binary_and_quote_modules);
    tcase_add_test(tc, memarg_memory_index);
    tcase_add_test(tc, memory_instruction_indices);
    tcase_add_test(tc, memarg_offset64);
    tcase_add_test(tc, limits_memory64);
    tcase_add_test(tc, disabled_instructions);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
