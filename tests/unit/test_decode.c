/* The binary decoder and the instruction decoder, on hand-built bytes:
 * each section's contents, each error class with its message and offset,
 * truncation and corruption of a valid module, and huge declared counts. */
#include "internal.h"
#include "unit.h"
#include "binbuild.h"

#include <ctype.h>
#include <unistd.h>

/* ---- building binaries ------------------------------------------------ */

static void b_header(bin *b)
{
    b_hex(b, "00 61 73 6d 01 00 00 00");
}

/* A section from hex contents; its size is computed. */
static void b_sec(bin *b, uint8_t id, const char *hex)
{
    bin c = {{0}, 0};
    b_hex(&c, hex);
    b_byte(b, id);
    b_u32(b, (uint32_t)c.n);
    b_raw(b, c.d, c.n);
}

/* A module made of a header and hex (sections written out in full). */
static bin mod_hex(const char *hex)
{
    bin b = {{0}, 0};
    b_header(&b);
    b_hex(&b, hex);
    return b;
}

static lw_module *decode_ok(const bin *b)
{
    lw_error err;
    lw_error_clear(&err);
    lw_module *m = lw_module_decode(b->d, b->n, lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL, "decode failed: %s at 0x%llx", err.message,
                  (unsigned long long)err.offset);
    return m;
}

/* Fails with a message containing msg, at offset (when offset >= 0). */
static void expect_fail_f(const bin *b, lw_features f, const char *msg, long offset)
{
    lw_error err;
    lw_error_clear(&err);
    lw_module *m = lw_module_decode(b->d, b->n, f, &err);
    ck_assert_msg(m == NULL, "decoded, expected \"%s\"", msg);
    ck_assert_int_eq(err.kind, LW_ERR_MALFORMED);
    ck_assert_msg(strstr(err.message, msg) != NULL, "got \"%s\", expected \"%s\"",
                  err.message, msg);
    ck_assert(err.has_offset);
    if (offset >= 0)
        ck_assert_msg(err.offset == (uint64_t)offset, "\"%s\" at 0x%llx, expected 0x%lx",
                      msg, (unsigned long long)err.offset, offset);
    /* lw_module_load, which leaves bodies to the validator, reports the
     * same error. */
    lw_error e2;
    lw_error_clear(&e2);
    ck_assert_ptr_null(lw_module_load(b->d, b->n, f, &e2));
    ck_assert_int_eq(e2.kind, LW_ERR_MALFORMED);
    ck_assert_str_eq(e2.message, err.message);
    ck_assert_uint_eq(e2.offset, err.offset);
}

static void expect_fail(const bin *b, const char *msg, long offset)
{
    expect_fail_f(b, lw_features_wasm2(), msg, offset);
}

/* One function () -> () with the given body (locals and code), in
 * type, function and code sections. */
static bin mod_func(const char *body)
{
    bin b = {{0}, 0}, c = {{0}, 0};
    b_header(&b);
    b_sec(&b, 1, "01 60 00 00");
    b_sec(&b, 3, "01 00");
    b_hex(&c, body);
    b_byte(&b, 10);
    bin code = {{0}, 0};
    b_byte(&code, 1);
    b_u32(&code, (uint32_t)c.n);
    b_raw(&code, c.d, c.n);
    b_u32(&b, (uint32_t)code.n);
    b_raw(&b, code.d, code.n);
    return b;
}

/* Offset of a function body's first byte (after its size) in mod_func. */
#define FUNC_BODY_AT 22

/* ---- header ------------------------------------------------------------ */

START_TEST(test_header)
{
    bin b = {{0}, 0};
    expect_fail(&b, "unexpected end", 0);
    b_hex(&b, "00 61 73");
    expect_fail(&b, "unexpected end", 3);
    b = (bin){{0}, 0};
    b_hex(&b, "00 61 73 6e 01 00 00 00");
    expect_fail(&b, "magic header not detected", 0);
    b = (bin){{0}, 0};
    b_hex(&b, "00 61 73 6d 01 00 00");
    expect_fail(&b, "unexpected end", 7);
    b = (bin){{0}, 0};
    b_hex(&b, "00 61 73 6d 02 00 00 00");
    expect_fail(&b, "unknown binary version", 4);
    b = mod_hex("");
    lw_module *m = decode_ok(&b);
    ck_assert_uint_eq(m->nsections, 0);
    ck_assert_uint_eq(m->nfuncs, 0);
    ck_assert_ptr_nonnull(m->declared_funcs);
    lw_module_free(m);
}
END_TEST

/* ---- each section ------------------------------------------------------ */

START_TEST(test_types)
{
    bin b = mod_hex("");
    b_sec(&b, 1, "03 60 02 7f 7e 01 7d  60 00 00  60 01 7b 02 70 6f");
    lw_module *m = decode_ok(&b);
    ck_assert_uint_eq(m->ntypes, 3);
    ck_assert_uint_eq(m->types[0].nparams, 2);
    ck_assert_uint_eq(m->types[0].params[0], LW_I32);
    ck_assert_uint_eq(m->types[0].params[1], LW_I64);
    ck_assert_uint_eq(m->types[0].nresults, 1);
    ck_assert_uint_eq(m->types[0].results[0], LW_F32);
    ck_assert_uint_eq(m->types[1].nparams + m->types[1].nresults, 0);
    ck_assert_uint_eq(m->types[2].params[0], LW_V128);
    ck_assert_uint_eq(m->types[2].results[1], LW_EXTERNREF);
    /* Each Wasm 2.0 type is a final function type, alone in its rec group. */
    for (uint32_t i = 0; i < 3; i++) {
        ck_assert_uint_eq(m->typedefs[i].kind, LW_COMP_FUNC);
        ck_assert(m->typedefs[i].final);
        ck_assert_uint_eq(m->typedefs[i].super, LW_NO_SUPER);
        ck_assert_uint_eq(m->typedefs[i].rec_start, i);
        ck_assert_uint_eq(m->typedefs[i].rec_size, 1);
    }
    ck_assert_uint_eq(m->nsections, 1);
    ck_assert_uint_eq(m->sections[0].id, 1);
    ck_assert_uint_eq(m->sections[0].offset, 10);
    ck_assert_uint_eq(m->sections[0].count, 3);
    lw_module_free(m);
}
END_TEST

START_TEST(test_imports)
{
    bin b = mod_hex("");
    b_sec(&b, 1, "01 60 00 00");
    b_sec(&b, 2, "04"
                 " 01 61 01 66 00 00"          /* a.f func type 0 */
                 " 01 61 01 74 01 70 01 01 05" /* a.t table funcref 1..5 */
                 " 01 61 01 6d 02 00 02"       /* a.m memory 2 */
                 " 01 61 01 67 03 7e 01");     /* a.g global mut i64 */
    b_sec(&b, 3, "01 00");
    b_sec(&b, 10, "01 02 00 0b");
    lw_module *m = decode_ok(&b);
    ck_assert_uint_eq(m->nimports, 4);
    ck_assert_str_eq(m->imports[0].module, "a");
    ck_assert_str_eq(m->imports[1].name, "t");
    ck_assert_uint_eq(m->imports[0].offset, 17);
    ck_assert_uint_eq(m->nfuncs, 2);
    ck_assert_uint_eq(m->nfunc_imports, 1);
    ck_assert_uint_eq(m->ntables, 1);
    ck_assert_uint_eq(m->ntable_imports, 1);
    ck_assert_uint_eq(m->tables[0].reftype, LW_FUNCREF);
    ck_assert(m->tables[0].limits.has_max);
    ck_assert_uint_eq(m->tables[0].limits.max, 5);
    ck_assert_uint_eq(m->nmems, 1);
    ck_assert_uint_eq(m->mems[0].min, 2);
    ck_assert(!m->mems[0].has_max);
    ck_assert_uint_eq(m->nglobals, 1);
    ck_assert_uint_eq(m->globals[0].type, LW_I64);
    ck_assert(m->globals[0].mut);
    ck_assert_uint_eq(m->func_types[0], 0);
    ck_assert_uint_eq(m->func_types[1], 0);
    ck_assert_str_eq(lw_module_func_name(m, 0), "a.f");
    ck_assert_ptr_null(lw_module_func_name(m, 1));
    ck_assert_ptr_nonnull(lw_module_func_type(m, 1));
    ck_assert_ptr_null(lw_module_func_type(m, 2));
    lw_module_free(m);
}
END_TEST

START_TEST(test_code)
{
    bin b = mod_func("02 03 7f 01 7e  41 05 21 00 0b");
    lw_module *m = decode_ok(&b);
    ck_assert_uint_eq(m->ncodes, 1);
    const lw_code *c = &m->codes[0];
    ck_assert_uint_eq(c->type, 0);
    ck_assert_uint_eq(c->nlocalgroups, 2);
    ck_assert_uint_eq(c->localgroups[0].count, 3);
    ck_assert_uint_eq(c->localgroups[1].type, LW_I64);
    ck_assert_uint_eq(c->nlocals, 4);
    ck_assert_uint_eq(c->size_offset, FUNC_BODY_AT - 1);
    ck_assert_uint_eq(c->locals_offset, FUNC_BODY_AT);
    ck_assert_uint_eq(c->body.offset, FUNC_BODY_AT + 5);
    ck_assert_uint_eq(c->body.len, 5);
    ck_assert_uint_eq(c->body.code[0], 0x41);
    ck_assert_uint_eq(c->body.code[c->body.len - 1], 0x0b);
    lw_module_free(m);
}
END_TEST

START_TEST(test_tables_memories_globals)
{
    bin b = mod_hex("");
    b_sec(&b, 4, "02 70 00 03  6f 01 00 10");
    b_sec(&b, 5, "01 01 01 02");
    b_sec(&b, 6, "02 7f 00 41 2a 0b  7c 01 44 00 00 00 00 00 00 f0 3f 0b");
    lw_module *m = decode_ok(&b);
    ck_assert_uint_eq(m->ntables, 2);
    ck_assert_uint_eq(m->tables[1].reftype, LW_EXTERNREF);
    ck_assert_uint_eq(m->tables[1].limits.max, 16);
    ck_assert_uint_eq(m->mems[0].min, 1);
    ck_assert_uint_eq(m->mems[0].max, 2);
    ck_assert_uint_eq(m->nglobaldefs, 2);
    ck_assert_uint_eq(m->nglobals, 2);
    ck_assert_uint_eq(m->globals[1].type, LW_F64);
    ck_assert(m->globaldefs[1].type.mut);
    ck_assert_uint_eq(m->globaldefs[0].init.len, 3);
    ck_assert_uint_eq(m->globaldefs[1].init.len, 10);
    ck_assert_uint_eq(m->globaldefs[0].init.code[1], 0x2a);
    lw_module_free(m);
}
END_TEST

START_TEST(test_exports_start)
{
    bin b = mod_hex("");
    b_sec(&b, 1, "01 60 00 00");
    b_sec(&b, 3, "02 00 00");
    b_sec(&b, 7, "02 03 72 75 6e 00 01  01 6d 02 00");
    b_sec(&b, 8, "01");
    b_sec(&b, 10, "02 02 00 0b 02 00 0b");
    lw_module *m = decode_ok(&b);
    ck_assert_uint_eq(m->nexports, 2);
    ck_assert_str_eq(m->exports[0].name, "run");
    ck_assert_uint_eq(m->exports[0].index, 1);
    ck_assert_uint_eq(m->exports[1].kind, LW_EXTERN_MEMORY);
    ck_assert(m->has_start);
    ck_assert_uint_eq(m->start, 1);
    ck_assert_ptr_eq(lw_module_find_export(m, "run"), &m->exports[0]);
    ck_assert_ptr_null(lw_module_find_export(m, "ru"));
    ck_assert_str_eq(lw_module_func_name(m, 1), "run");
    ck_assert_ptr_null(lw_module_func_name(m, 0));
    /* Exported functions are declared for ref.func. */
    ck_assert_uint_eq(m->declared_funcs[0], 0x02);
    lw_module_free(m);
}
END_TEST

/* All eight element segment encodings. */
START_TEST(test_elems)
{
    bin b = mod_hex("");
    b_sec(&b, 1, "01 60 00 00");
    b_sec(&b, 3, "04 00 00 00 00");
    b_sec(&b, 4, "01 70 00 10");
    b_sec(&b, 9, "08"
                 " 00 41 00 0b 01 00"             /* active, table 0, funcs */
                 " 01 00 01 01"                   /* passive funcs */
                 " 02 00 41 01 0b 00 01 02"       /* active, table 0 explicit */
                 " 03 00 00"                      /* declarative, none */
                 " 04 41 02 0b 01 d2 03 0b"       /* active, exprs */
                 " 05 70 02 d0 70 0b d2 00 0b"    /* passive exprs */
                 " 06 00 41 03 0b 70 00"          /* active exprs, table 0 */
                 " 07 6f 01 d0 6f 0b");           /* declarative exprs */
    b_sec(&b, 10, "04 02 00 0b 02 00 0b 02 00 0b 02 00 0b");
    lw_module *m = decode_ok(&b);
    ck_assert_uint_eq(m->nelems, 8);
    static const uint8_t modes[8] = {
        LW_SEG_ACTIVE, LW_SEG_PASSIVE, LW_SEG_ACTIVE, LW_SEG_DECLARATIVE,
        LW_SEG_ACTIVE, LW_SEG_PASSIVE, LW_SEG_ACTIVE, LW_SEG_DECLARATIVE,
    };
    for (int i = 0; i < 8; i++) {
        ck_assert_uint_eq(m->elems[i].flags, i);
        ck_assert_uint_eq(m->elems[i].mode, modes[i]);
        ck_assert((m->elems[i].funcs != NULL) == (i < 4) || m->elems[i].count == 0);
    }
    ck_assert_uint_eq(m->elems[0].offset.len, 3);
    ck_assert_uint_eq(m->elems[1].funcs[0], 1);
    ck_assert_uint_eq(m->elems[2].funcs[0], 2);
    ck_assert_uint_eq(m->elems[4].exprs[0].len, 3);
    ck_assert_uint_eq(m->elems[5].count, 2);
    ck_assert_uint_eq(m->elems[7].reftype, LW_EXTERNREF);
    ck_assert_uint_eq(m->elems[4].reftype, LW_FUNCREF);
    ck_assert_uint_eq(m->elems[0].entry_offset, 30);
    /* C.refs: functions 0..3 all appear in segments. */
    ck_assert_uint_eq(m->declared_funcs[0], 0x0f);
    lw_module_free(m);
}
END_TEST

START_TEST(test_datas)
{
    bin b = mod_hex("");
    b_sec(&b, 5, "01 00 01");
    b_sec(&b, 12, "03");
    b_sec(&b, 11, "03  00 41 00 0b 02 61 62  01 01 63  02 00 41 04 0b 00");
    lw_module *m = decode_ok(&b);
    ck_assert(m->has_datacount);
    ck_assert_uint_eq(m->datacount, 3);
    ck_assert_uint_eq(m->ndatas, 3);
    ck_assert_uint_eq(m->datas[0].mode, LW_SEG_ACTIVE);
    ck_assert_uint_eq(m->datas[0].len, 2);
    ck_assert_int_eq(memcmp(m->datas[0].bytes, "ab", 2), 0);
    ck_assert_uint_eq(m->datas[1].mode, LW_SEG_PASSIVE);
    ck_assert_uint_eq(m->datas[1].bytes[0], 'c');
    ck_assert_uint_eq(m->datas[2].flags, 2);
    ck_assert_uint_eq(m->datas[2].len, 0);
    ck_assert_uint_eq(m->datas[0].data_offset, 24);
    ck_assert_uint_eq(m->datas[0].entry_offset, 19);
    ck_assert_uint_eq(m->nsections, 3);
    ck_assert_uint_eq(m->sections[1].id, 12);
    ck_assert_uint_eq(m->sections[2].count, 3);
    lw_module_free(m);
}
END_TEST

START_TEST(test_customs)
{
    bin b = mod_hex("");
    b_sec(&b, 0, "03 61 62 63 01 02");
    b_sec(&b, 1, "00");
    b_sec(&b, 0, "01 7a");
    lw_module *m = decode_ok(&b);
    ck_assert_uint_eq(m->ncustoms, 2);
    ck_assert_str_eq(m->customs[0].name, "abc");
    ck_assert_uint_eq(m->customs[0].len, 2);
    ck_assert_uint_eq(m->customs[0].data[1], 2);
    ck_assert_uint_eq(m->customs[0].offset, 14);
    ck_assert_uint_eq(m->customs[0].after, 0);
    ck_assert_uint_eq(m->customs[1].after, 1);
    ck_assert_uint_eq(m->customs[1].len, 0);
    ck_assert_uint_eq(m->nsections, 3);
    ck_assert_str_eq(m->sections[2].name, "z");
    ck_assert_ptr_null(m->sections[1].name);
    lw_module_free(m);
}
END_TEST

/* ---- the name section ---------------------------------------------------- */

static bin mod_names(const char *names)
{
    bin b = mod_hex("");
    b_sec(&b, 1, "01 60 01 7f 00");
    b_sec(&b, 2, "01 01 61 01 62 00 00");
    b_sec(&b, 3, "02 00 00");
    b_sec(&b, 7, "01 01 65 00 02");
    b_sec(&b, 10, "02 02 00 0b 02 00 0b");
    bin c = {{0}, 0};
    b_hex(&c, "04 6e 61 6d 65");
    b_hex(&c, names);
    b_byte(&b, 0);
    b_u32(&b, (uint32_t)c.n);
    b_raw(&b, c.d, c.n);
    return b;
}

START_TEST(test_names)
{
    bin b = mod_names("00 04 03 6d 6f 64"                 /* module "mod" */
                      " 01 07 02 02 01 78 01 01 79"       /* funcs 2 "x", 1 "y" */
                      " 02 09 01 01 02 00 01 70 01 01 71" /* locals of 1 */
                      " 04 04 01 00 01 74"                /* type 0 "t" */
                      " 07 04 01 05 01 67");              /* global 5 "g" */
    lw_module *m = decode_ok(&b);
    ck_assert_str_eq(m->names.module, "mod");
    ck_assert_uint_eq(m->names.funcs.count, 2);
    ck_assert_uint_eq(m->names.funcs.names[0].index, 1);
    ck_assert_str_eq(lw_namemap_get(&m->names.funcs, 2), "x");
    ck_assert_ptr_null(lw_namemap_get(&m->names.funcs, 0));
    const lw_namemap *l = lw_module_local_names(m, 1);
    ck_assert_ptr_nonnull(l);
    ck_assert_str_eq(lw_namemap_get(l, 1), "q");
    ck_assert_ptr_null(lw_module_local_names(m, 0));
    ck_assert_str_eq(lw_namemap_get(&m->names.types, 0), "t");
    ck_assert_str_eq(lw_namemap_get(&m->names.globals, 5), "g");
    /* Display names: name section, else export, else "module.field". */
    ck_assert_str_eq(lw_module_func_name(m, 0), "a.b");
    ck_assert_str_eq(lw_module_func_name(m, 1), "y");
    ck_assert_str_eq(lw_module_func_name(m, 2), "x");
    lw_module_free(m);
}
END_TEST

/* A broken subsection is dropped; the rest and the module survive. */
START_TEST(test_names_broken)
{
    bin b = mod_names("01 05 01 02 02 ff fe"         /* bad UTF-8 */
                      " 00 02 01 6d"                 /* module "m" */
                      " 07 09 05 00 01 61");         /* count beyond its size */
    lw_module *m = decode_ok(&b);
    ck_assert_uint_eq(m->names.funcs.count, 0);
    ck_assert_str_eq(m->names.module, "m");
    ck_assert_uint_eq(m->names.globals.count, 0);
    ck_assert_str_eq(lw_module_func_name(m, 2), "e");
    lw_module_free(m);
    b = mod_names("01 ff ff ff ff 0f 00");
    m = decode_ok(&b);
    ck_assert_uint_eq(m->names.funcs.count, 0);
    lw_module_free(m);
}
END_TEST

/* ---- errors -------------------------------------------------------------- */

START_TEST(test_section_errors)
{
    bin b = mod_hex("0d 00");
    expect_fail(&b, "malformed section id", 8);
    b = mod_hex("08 01 00 08 01 00");
    expect_fail(&b, "unexpected content after last section", 11);
    b = mod_hex("0a 01 00 03 01 00");
    expect_fail(&b, "unexpected content after last section", 11);
    b = mod_hex("01 06 01 60 00 00");
    expect_fail(&b, "length out of bounds", 9);
    /* A size may overshoot by its own length (the reference's rule). */
    b = mod_hex("01 05 01 60 00 00");
    expect_fail(&b, "section size mismatch", 14);
    b = mod_hex("00 03 01 61");
    expect_fail(&b, "unexpected end", 12);
    b = mod_hex("01 07 01 60 00 00 60 00 00");
    expect_fail(&b, "section size mismatch", 14);
    b = mod_hex("01 04 02 60 00 00");
    expect_fail(&b, "unexpected end of section or function", 14);
    b = mod_hex("01 85 80 80 80 80 00");
    expect_fail(&b, "integer representation too long", 9);
    b = mod_hex("01");
    expect_fail(&b, "unexpected end", 9);
    b = mod_hex("00 00");
    expect_fail(&b, "unexpected end", 10);
    /* The data count section is bulk memory's. */
    b = mod_hex("0c 01 00");
    expect_fail_f(&b, lw_features_wasm2() & ~LW_FEATURE(BULK_MEMORY),
                  "malformed section id", 8);
}
END_TEST

START_TEST(test_entry_errors)
{
    bin b = mod_hex("02 07 01 01 61 02 ff fe 00");
    expect_fail(&b, "malformed UTF-8 encoding", 14);
    b = mod_hex("02 05 01 00 00 04 00");
    expect_fail(&b, "malformed import kind", 13);
    b = mod_hex("02 06 01 00 00 03 7f 02");
    expect_fail(&b, "malformed mutability", 15);
    b = mod_hex("04 04 01 7f 00 00");
    expect_fail(&b, "malformed reference type", 11);
    b = mod_hex("01 05 01 60 01 7a 00");
    expect_fail(&b, "malformed value type", 13);
    b = mod_hex("01 04 01 61 00 00");
    expect_fail(&b, "malformed function type", 11);
    b = mod_hex("05 03 01 02 00");
    expect_fail(&b, "integer too large", 11);
    b = mod_hex("05 04 01 81 00 00");
    expect_fail(&b, "integer representation too long", 11);
    b = mod_hex("07 05 01 01 65 04 00");
    expect_fail(&b, "malformed export kind", 13);
    b = mod_hex("09 02 01 08");
    expect_fail(&b, "malformed elements segment kind", 11);
    b = mod_hex("09 04 01 01 01 00");
    expect_fail(&b, "malformed element kind", 12);
    b = mod_hex("0b 02 01 03");
    expect_fail(&b, "malformed data segment kind", 11);
    b = mod_hex("0b 07 01 01 05 61 62 63 64");
    expect_fail(&b, "unexpected end of section or function", 13);
    b = mod_hex("0b 07 01 01 08 61 62 63 64");
    expect_fail(&b, "length out of bounds", 12);
    /* v128 needs SIMD. */
    b = mod_hex("01 05 01 60 01 7b 00");
    expect_fail_f(&b, lw_features_wasm2() & ~LW_FEATURE(SIMD),
                  "malformed value type", 13);
}
END_TEST

START_TEST(test_count_errors)
{
    bin b = mod_hex("");
    b_sec(&b, 1, "01 60 00 00");
    b_sec(&b, 3, "02 00 00");
    b_sec(&b, 10, "01 02 00 0b");
    expect_fail(&b, "function and code section have inconsistent lengths", -1);
    b = mod_hex("");
    b_sec(&b, 10, "01 02 00 0b");
    expect_fail(&b, "function and code section have inconsistent lengths", -1);
    b = mod_hex("");
    b_sec(&b, 12, "01");
    expect_fail(&b, "data count and data section have inconsistent lengths", -1);
    b = mod_hex("");
    b_sec(&b, 12, "00");
    b_sec(&b, 11, "01 01 00");
    expect_fail(&b, "data count and data section have inconsistent lengths", -1);
}
END_TEST

START_TEST(test_body_errors)
{
    bin b = mod_func("00 02 40 41 00 05 0b 0b");   /* else inside block */
    expect_fail(&b, "END opcode expected", FUNC_BODY_AT + 5);
    b = mod_func("00 05 0b");                       /* else at function level */
    expect_fail(&b, "END opcode expected", FUNC_BODY_AT + 1);
    b = mod_func("00 04 40 05 05 0b 0b");           /* two elses */
    expect_fail(&b, "END opcode expected", FUNC_BODY_AT + 4);
    b = mod_func("00 0b 0b");                       /* bytes after the end */
    expect_fail(&b, "section size mismatch", FUNC_BODY_AT + 2);
    b = mod_func("00 41 01");                       /* no end at all */
    expect_fail(&b, "unexpected end", FUNC_BODY_AT + 3);
    b = mod_func("00 06 0b");
    expect_fail(&b, "illegal opcode", FUNC_BODY_AT + 1);
    b = mod_func("00 fc 12 0b");
    expect_fail(&b, "illegal opcode", FUNC_BODY_AT + 1);
    b = mod_func("00 fd 9a 01 0b");
    expect_fail(&b, "illegal opcode", FUNC_BODY_AT + 1);
    b = mod_func("00 fc 80 80 80 80 80 00 0b");
    expect_fail(&b, "integer representation too long", FUNC_BODY_AT + 2);
    b = mod_func("00 3f 01 1a 0b");
    expect_fail(&b, "zero byte expected", FUNC_BODY_AT + 2);
    b = mod_func("00 3f 80 00 1a 0b");
    expect_fail(&b, "zero byte expected", FUNC_BODY_AT + 2);
    b = mod_func("00 41 80 80 80 80 70 1a 0b");
    expect_fail(&b, "integer too large", FUNC_BODY_AT + 2);
    b = mod_func("00 42 80 80 80 80 80 80 80 80 80 80 00 1a 0b");
    expect_fail(&b, "integer representation too long", FUNC_BODY_AT + 2);
    b = mod_func("00 41 00 41 00 41 00 fc 08 00 00 0b");
    expect_fail(&b, "data count section required", FUNC_BODY_AT + 7);
    b = mod_func("00 fc 09 00 0b");
    expect_fail(&b, "data count section required", FUNC_BODY_AT + 1);
    b = mod_func("00 d0 7e 1a 0b");
    expect_fail(&b, "malformed reference type", FUNC_BODY_AT + 2);
    b = mod_func("00 02 7a 0b 0b");
    expect_fail(&b, "malformed value type", FUNC_BODY_AT + 2);
    b = mod_func("02 ff ff ff ff 0f 7f 02 7e 0b");
    expect_fail(&b, "too many locals", FUNC_BODY_AT);
    b = mod_func("01 80 80 80 80 10 7f 0b");
    expect_fail(&b, "integer too large", FUNC_BODY_AT + 1);
}
END_TEST

/* Instructions of a disabled feature are not in the language. */
START_TEST(test_feature_gates)
{
    lw_features all = lw_features_wasm2();
    struct { const char *body; lw_features off; long at; } cases[] = {
        {"00 fd 0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 1a 0b",
         LW_FEATURE(SIMD), 1},
        {"00 41 00 c0 1a 0b", LW_FEATURE(SIGN_EXT), 3},
        {"00 43 00 00 00 00 fc 00 1a 0b", LW_FEATURE(SAT_FLOAT_TO_INT), 6},
        {"00 41 00 41 00 41 00 fc 0b 00 0b", LW_FEATURE(BULK_MEMORY), 7},
        {"00 d0 70 1a 0b", LW_FEATURE(REFERENCE_TYPES), 1},
    };
    for (size_t i = 0; i < COUNTOF(cases); i++) {
        bin b = mod_func(cases[i].body);
        lw_module *m = decode_ok(&b);
        lw_module_free(m);
        expect_fail_f(&b, all & ~cases[i].off, "illegal opcode", FUNC_BODY_AT + cases[i].at);
    }
    /* One wording, from the table's feature column. */
    bin b = mod_func("00 41 00 c0 1a 0b");
    expect_fail_f(&b, all & ~LW_FEATURE(SIGN_EXT),
                  "illegal opcode i32.extend8_s (feature sign-extension is disabled)",
                  FUNC_BODY_AT + 3);
}
END_TEST

/* ---- robustness --------------------------------------------------------- */

/* Every body of a decoded module re-decodes, instruction by instruction,
 * to exactly its last byte, which is an end. */
static void rescan_bodies(const lw_module *m)
{
    for (uint32_t i = 0; i < m->ncodes; i++) {
        const lw_expr *e = &m->codes[i].body;
        const uint8_t *p = e->code, *end = e->code + e->len;
        wasm_instr in = {0};
        lw_error err;
        while (p < end)
            ck_assert_int_eq(wasm_instr_decode(&p, end, e->code, e->offset, m->features,
                                               &in, &err), 0);
        ck_assert_ptr_eq(p, end);
        ck_assert_uint_eq(in.op, OP_END);
    }
}

/* A valid module with a bit of everything. */
static bin mod_rich(void)
{
    bin b = mod_hex("");
    b_sec(&b, 1, "02 60 01 7f 01 7f 60 00 00");
    b_sec(&b, 2, "01 01 65 01 66 00 01");
    b_sec(&b, 3, "02 00 01");
    b_sec(&b, 4, "01 70 00 02");
    b_sec(&b, 5, "01 01 01 02");
    b_sec(&b, 6, "01 7f 01 41 07 0b");
    b_sec(&b, 7, "01 01 66 00 01");
    b_sec(&b, 9, "01 00 41 00 0b 02 00 01");
    b_sec(&b, 12, "01");
    b_sec(&b, 10, "02"
                  " 18 01 01 7f 20 00 04 7f 41 01 05 20 00 0e 01 00 00 0b 10 00 21 01 20 01 0b"
                  " 1b 00 02 40 fc 09 00 0b fd 0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
                  " 1a 0b");
    b_sec(&b, 11, "01 01 02 68 69");
    b_sec(&b, 0, "04 6e 61 6d 65 01 04 01 01 01 67");
    return b;
}

START_TEST(test_rich_module)
{
    bin b = mod_rich();
    lw_module *m = decode_ok(&b);
    ck_assert_uint_eq(m->nsections, 12);
    ck_assert_uint_eq(m->nfuncs, 3);
    ck_assert_uint_eq(m->ncodes, 2);
    ck_assert_uint_eq(m->codes[1].type, 1);
    ck_assert_uint_eq(m->codes[1].body.len, 26);
    ck_assert_str_eq(lw_module_func_name(m, 1), "g");
    ck_assert_str_eq(lw_module_func_name(m, 0), "e.f");
    /* Declared: 0 and 1 (elem), 1 (export); not 2. */
    ck_assert_uint_eq(m->declared_funcs[0], 0x03);
    rescan_bodies(m);
    lw_module_free(m);
}
END_TEST

/* Every proper prefix that ends inside a section fails cleanly. */
START_TEST(test_truncation)
{
    bin full = mod_rich();
    lw_module *m = decode_ok(&full);
    bool boundary[sizeof full.d] = {false};
    boundary[8] = true;
    for (uint32_t i = 0; i < m->nsections; i++)
        boundary[m->sections[i].offset + m->sections[i].size] = true;
    ck_assert_uint_eq(m->nsections, 12);
    lw_module_free(m);
    int failed = 0;
    for (size_t n = 0; n < full.n; n++) {
        lw_error err;
        m = lw_module_decode(full.d, n, lw_features_wasm2(), &err);
        if (!boundary[n]) {
            ck_assert_msg(m == NULL, "prefix of %zu bytes decoded", n);
            ck_assert_int_eq(err.kind, LW_ERR_MALFORMED);
            ck_assert(err.has_offset && err.offset <= n);
            failed++;
        }
        lw_module_free(m);
    }
    ck_assert_int_gt(failed, 100);
}
END_TEST

/* Byte flips never crash; decoded modules are self-consistent. */
START_TEST(test_corruption)
{
    bin full = mod_rich();
    uint64_t seed = 12345;
    for (int round = 0; round < 5000; round++) {
        bin b = full;
        for (int k = 0; k < 1 + round % 3; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            size_t at = 8 + (size_t)((seed >> 33) % (b.n - 8));
            b.d[at] = (uint8_t)(seed >> 13);
        }
        lw_error err;
        lw_module *m = lw_module_decode(b.d, b.n, lw_features_wasm2(), &err);
        if (m) {
            ck_assert_uint_eq(m->nfuncs, m->nfunc_imports + m->ncodes);
            rescan_bodies(m);
            for (uint32_t i = 0; i < m->nfuncs; i++)
                (void)lw_module_func_name(m, i);
        } else {
            ck_assert_int_ne(err.kind, LW_OK);
        }
        lw_module_free(m);
    }
}
END_TEST

/* Counts far beyond the bytes present fail before any allocation. */
START_TEST(test_huge_counts)
{
    bin b = mod_hex("01 06 ff ff ff ff 0f 60");
    expect_fail(&b, "length out of bounds", 10);
    b = mod_hex("03 05 ff ff ff ff 0f");
    expect_fail(&b, "length out of bounds", 10);
    b = mod_hex("09 07 01 01 00 ff ff ff 7f");
    expect_fail(&b, "length out of bounds", 13);
    b = mod_func("ff ff ff ff 0f 7f 0b");
    expect_fail(&b, "length out of bounds", FUNC_BODY_AT);
    b = mod_func("00 41 00 0e ff ff ff ff 0f 00 0b");
    expect_fail(&b, "unexpected end", -1);
    b = mod_func("00 1c ff ff ff ff 0f 7f 0b");
    expect_fail(&b, "unexpected end", -1);
    b = mod_hex("01 09 01 60 ff ff ff ff 0f 7f 00");
    expect_fail(&b, "length out of bounds", 12);
}
END_TEST

/* ---- the instruction decoder ------------------------------------------- */

/* Decodes hex under features; the instruction's pointers stay valid until
 * the next call. */
static wasm_instr instr_f(const char *hex, lw_features f, size_t *used)
{
    static bin b;
    b.n = 0;
    b_hex(&b, hex);
    const uint8_t *p = b.d;
    wasm_instr in;
    lw_error err;
    ck_assert_msg(wasm_instr_decode(&p, b.d + b.n, b.d, 0, f, &in, &err) == 0,
                  "%s: %s", hex, err.message);
    *used = (size_t)(p - b.d);
    return in;
}

static wasm_instr instr(const char *hex, size_t *used)
{
    return instr_f(hex, lw_features_wasm2(), used);
}

START_TEST(test_instr_immediates)
{
    size_t n;
    wasm_instr in = instr("02 40", &n);
    ck_assert_uint_eq(in.op, OP_BLOCK);
    ck_assert_int_eq(in.imm.block, -64);
    in = instr("04 7f", &n);
    ck_assert_int_eq(in.imm.block, -1);
    in = instr("03 6f", &n);
    ck_assert_int_eq(in.imm.block, -17);
    in = instr("02 85 01", &n);
    ck_assert_int_eq(in.imm.block, 133);
    ck_assert_uint_eq(n, 3);
    in = instr("28 02 90 4e", &n);
    ck_assert_uint_eq(in.op, OP_I32_LOAD);
    ck_assert_uint_eq(in.imm.mem.align, 2);
    ck_assert_uint_eq(in.imm.mem.offset, 10000);
    in = instr("41 7f", &n);
    ck_assert_int_eq(in.imm.i32, -1);
    in = instr("42 80 80 80 80 80 80 80 80 80 7f", &n);
    ck_assert_int_eq(in.imm.i64, INT64_MIN);
    in = instr("43 00 00 80 3f", &n);
    ck_assert_uint_eq(in.imm.f32, 0x3f800000);
    in = instr("44 00 00 00 00 00 00 f0 3f", &n);
    ck_assert_uint_eq(in.imm.f64, 0x3ff0000000000000ull);
    in = instr("11 03 01", &n);
    ck_assert_uint_eq(in.imm.pair.a, 3);
    ck_assert_uint_eq(in.imm.pair.b, 1);
    in = instr("1c 02 7f 7b", &n);
    ck_assert_uint_eq(in.op, OP_SELECT_T);
    ck_assert_uint_eq(in.imm.select.count, 2);
    ck_assert_uint_eq(in.imm.select.type, LW_I32);
    in = instr("d0 6f", &n);
    ck_assert_uint_eq(in.imm.reftype, LW_EXTERNREF);
    in = instr("fc 08 07 00", &n);
    ck_assert_uint_eq(in.op, OP_MEMORY_INIT);
    ck_assert_uint_eq(in.imm.pair.a, 7);
    in = instr("fc 0e 01 02", &n);
    ck_assert_uint_eq(in.op, OP_TABLE_COPY);
    ck_assert_uint_eq(in.imm.pair.b, 2);
    in = instr("fc 0a 00 00", &n);
    ck_assert_uint_eq(in.op, OP_MEMORY_COPY);
    in = instr("fd 0d 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 1f", &n);
    ck_assert_uint_eq(in.op, OP_I8X16_SHUFFLE);
    ck_assert_uint_eq(in.imm.bytes[15], 31);
    in = instr("fd 15 0f", &n);
    ck_assert_uint_eq(in.op, OP_I8X16_EXTRACT_LANE_S);
    ck_assert_uint_eq(in.imm.lane, 15);
    in = instr("fd 57 03 08 01", &n);
    ck_assert_uint_eq(in.op, OP_V128_LOAD64_LANE);
    ck_assert_uint_eq(in.imm.mem.offset, 8);
    ck_assert_uint_eq(in.imm.mem.lane, 1);
    in = instr("fd 80 01", &n);
    ck_assert_uint_eq(in.op, OP_I16X8_ABS);
    ck_assert_uint_eq(n, 3);
}
END_TEST

START_TEST(test_br_table)
{
    size_t n;
    wasm_instr in = instr("0e 03 00 81 01 02 05", &n);
    ck_assert_uint_eq(in.imm.br_table.count, 3);
    ck_assert_uint_eq(n, 7);
    const uint8_t *p = in.imm.br_table.targets;
    ck_assert_uint_eq(wasm_br_table_next(&p), 0);
    ck_assert_uint_eq(wasm_br_table_next(&p), 129);
    ck_assert_uint_eq(wasm_br_table_next(&p), 2);
    ck_assert_uint_eq(wasm_br_table_next(&p), 5);
}
END_TEST

static void instr_fails_f(const char *hex, lw_features f, const char *msg, uint64_t offset)
{
    bin b = {{0}, 0};
    b_hex(&b, hex);
    const uint8_t *p = b.d;
    wasm_instr in;
    lw_error err;
    lw_error_clear(&err);
    ck_assert_int_eq(wasm_instr_decode(&p, b.d + b.n, b.d, 100, f, &in, &err), -1);
    ck_assert_ptr_eq(p, b.d);
    ck_assert_int_eq(err.kind, LW_ERR_MALFORMED);
    ck_assert_msg(strstr(err.message, msg), "%s: got %s", hex, err.message);
    ck_assert_uint_eq(err.offset, 100 + offset);
}

static void instr_fails(const char *hex, const char *msg, uint64_t offset)
{
    instr_fails_f(hex, lw_features_wasm2(), msg, offset);
}

START_TEST(test_instr_errors)
{
    instr_fails("", "unexpected end", 0);
    instr_fails("ff", "illegal opcode ff", 0);
    instr_fails("fc ff 01", "illegal opcode", 0);
    instr_fails("fd", "unexpected end", 1);
    instr_fails("41", "unexpected end", 1);
    instr_fails("44 00 00 00", "unexpected end", 1);
    instr_fails("fd 0c 00 00", "unexpected end", 2);
    instr_fails("0e 02 00", "unexpected end", 3);
    instr_fails("0e 01 00 80 80 80 80 80 00", "integer representation too long", 3);
    instr_fails("28 02", "unexpected end", 2);
    instr_fails("40 01", "zero byte expected", 1);
    instr_fails("fc 0a 00 01", "zero byte expected", 3);
    instr_fails("fc 08 00 01", "zero byte expected", 3);
    instr_fails("1c 01 7a", "malformed value type", 2);
    instr_fails("02 ff 7f", "malformed value type", 1);
    instr_fails("d0 40", "malformed reference type", 1);
}
END_TEST

/* Prefixes 0xFB..0xFE take a u32 code of any size; none of these exist. */
START_TEST(test_instr_unknown_prefixed)
{
    instr_fails("fb 1f", "illegal opcode 0xfb 0x1f", 0);
    /* br_on_cast's flags take two bits. */
    instr_fails_f("fb 18 04 00 6e 6e", lw_features_all(), "malformed br_on_cast flags", 2);
    instr_fails("fe 80 80 04", "illegal opcode 0xfe 0x10000", 0);
    instr_fails("fd 94 02", "illegal opcode 0xfd 0x114", 0);
    instr_fails("fc ff ff ff ff 0f", "illegal opcode 0xfc 0xffffffff", 0);
    instr_fails("fb", "unexpected end", 1);
}
END_TEST

static const lw_features multi_memory = LW_FEATURE(MULTI_MEMORY);

/* Flag bit 6 brings a memory index with multi-memory; without it the
 * flags are all alignment, as in Wasm 2.0. */
START_TEST(test_memarg_multi_memory)
{
    size_t n;
    wasm_instr in = instr_f("28 42 03 08", multi_memory, &n);
    ck_assert_uint_eq(in.imm.mem.align, 2);
    ck_assert_uint_eq(in.imm.mem.mem, 3);
    ck_assert_uint_eq(in.imm.mem.offset, 8);
    ck_assert_uint_eq(n, 4);
    in = instr_f("fd 54 40 01 00 0f", multi_memory, &n);
    ck_assert_uint_eq(in.op, OP_V128_LOAD8_LANE);
    ck_assert_uint_eq(in.imm.mem.mem, 1);
    ck_assert_uint_eq(in.imm.mem.lane, 15);
    in = instr_f("28 02 08", multi_memory, &n);
    ck_assert_uint_eq(in.imm.mem.mem, 0);
    instr_fails_f("28 80 01 00", multi_memory, "malformed memop flags", 1);
    instr_fails_f("28 c2 81 00 00", multi_memory, "malformed memop flags", 1);
    instr_fails_f("28 42", multi_memory, "unexpected end", 2);
    in = instr("28 42 03", &n);
    ck_assert_uint_eq(in.imm.mem.align, 66);
    ck_assert_uint_eq(in.imm.mem.mem, 0);
    ck_assert_uint_eq(in.imm.mem.offset, 3);
    in = instr("28 80 01 00", &n);
    ck_assert_uint_eq(in.imm.mem.align, 128);
    /* The other memory instructions take a u32 index instead of a 0x00. */
    in = instr_f("3f 81 01", multi_memory, &n);
    ck_assert_uint_eq(in.imm.index, 129);
    in = instr_f("fc 0a 01 02", multi_memory, &n);
    ck_assert_uint_eq(in.imm.pair.a, 1);
    ck_assert_uint_eq(in.imm.pair.b, 2);
    in = instr_f("fc 08 05 03", multi_memory, &n);
    ck_assert_uint_eq(in.imm.pair.b, 3);
    instr_fails("3f 81 01", "zero byte expected", 1);
}
END_TEST

/* memory64 widens the offset to a u64. */
START_TEST(test_memarg_memory64)
{
    size_t n;
    wasm_instr in = instr_f("29 03 80 80 80 80 10", LW_FEATURE(MEMORY64), &n);
    ck_assert_uint_eq(in.imm.mem.offset, UINT64_C(1) << 32);
    in = instr_f("29 03 ff ff ff ff ff ff ff ff ff 01", LW_FEATURE(MEMORY64), &n);
    ck_assert_uint_eq(in.imm.mem.offset, UINT64_MAX);
    instr_fails("29 03 80 80 80 80 10", "integer too large", 2);
    instr_fails_f("29 03 80 80 80 80 80 80 80 80 80 02", LW_FEATURE(MEMORY64),
                  "integer too large", 2);
}
END_TEST

/* Limits of the 3.0 binary format (memory64 on): a flags byte, bit 2
 * bringing u64 bounds; any other bit but 0 is malformed (shared waits for
 * threads).  Without memory64 the flag stays Wasm 2.0's one-bit LEB. */
START_TEST(test_limits_memory64)
{
    lw_features f = lw_features_wasm2() | LW_FEATURE(MEMORY64);
    lw_error err;
    bin b = mod_hex("");
    b_sec(&b, 4, "01 70 05 00 80 80 80 80 10");
    b_sec(&b, 5, "02 05 01 80 80 80 80 80 80 40  04 00");
    lw_error_clear(&err);
    lw_module *m = lw_module_decode(b.d, b.n, f, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert(m->mems[0].is64 && m->mems[0].has_max);
    ck_assert_uint_eq(m->mems[0].min, 1);
    ck_assert_uint_eq(m->mems[0].max, UINT64_C(1) << 48);
    ck_assert(m->mems[1].is64 && !m->mems[1].has_max);
    ck_assert(m->tables[0].limits.is64);
    ck_assert_uint_eq(m->tables[0].limits.max, UINT64_C(1) << 32);
    lw_module_free(m);
    expect_fail_f(&b, lw_features_wasm2(), "integer too large", 12);

    static const char *bad[] = {"01 08 00", "01 10 00", "01 02 00 00", "01 81 00 00 00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b = mod_hex("");
        b_sec(&b, 5, bad[i]);
        expect_fail_f(&b, f, "malformed limits flags", 11);
    }
    b = mod_hex("");
    b_sec(&b, 5, "01 81 00 00 00");
    expect_fail(&b, "integer representation too long", 11);
    b = mod_hex("");
    b_sec(&b, 5, "01 04 80 80 80 80 80 80 80 80 80 02");
    expect_fail_f(&b, f, "integer too large", 12);
}
END_TEST

/* Several memories, imported and defined, and data segments naming one. */
START_TEST(test_multi_memory)
{
    lw_features f = lw_features_wasm2() | LW_FEATURE(MULTI_MEMORY);
    lw_error err;
    bin b = mod_hex("");
    b_sec(&b, 2, "01 01 6d 01 6d 02 00 01");
    b_sec(&b, 5, "02 00 01 00 02");
    b_sec(&b, 11, "01 02 02 41 00 0b 01 61");
    lw_error_clear(&err);
    lw_module *m = lw_module_load(b.d, b.n, f, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_uint_eq(m->nmems, 3);
    ck_assert_uint_eq(m->nmem_imports, 1);
    ck_assert_uint_eq(m->mems[2].min, 2);
    ck_assert_uint_eq(m->datas[0].memory, 2);
    lw_module_free(m);
    lw_error_clear(&err);
    ck_assert_ptr_null(lw_module_load(b.d, b.n, lw_features_wasm2(), &err));
    ck_assert_str_eq(err.message, "multiple memories");
}
END_TEST

/* ---- loading -------------------------------------------------------------- */

START_TEST(test_load)
{
    bin b = mod_func("00 0b");
    lw_error err;
    lw_module *m = lw_module_load(b.d, b.n, lw_features_wasm2(), &err);
    ck_assert_ptr_nonnull(m);
    lw_module_free(m);
    /* Decodes, but does not validate: the body leaves an i32 behind. */
    b = mod_func("00 41 00 0b");
    ck_assert_ptr_nonnull(m = lw_module_decode(b.d, b.n, lw_features_wasm2(), &err));
    lw_module_free(m);
    ck_assert_ptr_null(lw_module_load(b.d, b.n, lw_features_wasm2(), &err));
    ck_assert_int_eq(err.kind, LW_ERR_INVALID);

    char path[] = "/tmp/test_decode_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    b = mod_func("00 0b");
    FILE *f = fdopen(fd, "wb");
    ck_assert_uint_eq(fwrite(b.d, 1, b.n, f), b.n);
    fclose(f);
    m = lw_module_load_file(path, lw_features_wasm2(), &err);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->ncodes, 1);
    lw_module_free(m);
    f = fopen(path, "w");
    fputs("(module (func (export \"f\")))", f);
    fclose(f);
    m = lw_module_load_file(path, lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_uint_eq(m->nexports, 1);
    lw_module_free(m);
    unlink(path);
    ck_assert_ptr_null(lw_module_load_file(path, lw_features_wasm2(), &err));
    ck_assert_int_eq(err.kind, LW_ERR_IO);
}
END_TEST

/* One decision, binary or text, for every program that loads modules. */
START_TEST(test_format)
{
#define FMT(s) lw_module_format((const uint8_t *)(s), sizeof(s) - 1)
    ck_assert_int_eq(FMT("\0asm\1\0\0\0"), LW_FORMAT_BINARY);
    ck_assert_int_eq(FMT("\0asm"), LW_FORMAT_BINARY);
    ck_assert_int_eq(FMT("(module)"), LW_FORMAT_TEXT);
    ck_assert_int_eq(FMT(" \n;; note\n(; (; nested ;) ;)\t(func)"), LW_FORMAT_TEXT);
    ck_assert_int_eq(FMT("("), LW_FORMAT_TEXT);
    ck_assert_int_eq(FMT(""), LW_FORMAT_NONE);
    ck_assert_int_eq(FMT(" \n;; only a comment"), LW_FORMAT_NONE);
    ck_assert_int_eq(FMT("(; never closed"), LW_FORMAT_NONE);
    ck_assert_int_eq(FMT("\0as"), LW_FORMAT_NONE);
    ck_assert_int_eq(FMT("\0\0\0\0"), LW_FORMAT_NONE);
    ck_assert_int_eq(FMT("\177ELF\2\1\1"), LW_FORMAT_NONE);
    ck_assert_int_eq(FMT("module"), LW_FORMAT_NONE);
#undef FMT
}
END_TEST

/* Neither format: refused from the first bytes, also for endless input. */
START_TEST(test_read_not_a_module)
{
    lw_error err;
    uint8_t *data = NULL;
    size_t len;
    lw_format format;
    ck_assert_int_lt(lw_module_read_file("/dev/zero", &data, &len, &format, &err), 0);
    ck_assert_str_eq(err.message,
                     "not a WebAssembly module (binary or text): magic header not detected");
    ck_assert_ptr_null(data);
    char path[] = "/tmp/test_decode_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);   /* empty */
    ck_assert_ptr_null(lw_module_load_file(path, lw_features_wasm2(), &err));
    ck_assert_str_eq(err.message, "not a WebAssembly module (binary or text): unexpected end");
    unlink(path);
}
END_TEST

/* The size limit holds while reading: an endless input stops one byte past
 * it (a small limit here; lw_read_file's is 4 GiB). */
START_TEST(test_read_limit)
{
    lw_error err;
    uint8_t *data = NULL;
    size_t len;
    ck_assert_int_lt(wasm_read_file_limited("/dev/zero", 100000, NULL, &data, &len, &err), 0);
    ck_assert_int_eq(err.kind, LW_ERR_LIMIT);
    ck_assert_str_eq(err.message, "module too large");
    ck_assert_int_eq(wasm_read_file_limited("/dev/null", 100000, NULL, &data, &len, &err), 0);
    ck_assert_uint_eq(len, 0);
    free(data);
}
END_TEST

/* lw_module_load reads function bodies once, while validating: a
 * malformed body must still win over any validation error, as it does
 * when the whole module is decoded first. */
static bin mod_two_funcs(const char *body0, const char *body1, const char *after)
{
    bin b = {{0}, 0}, c0 = {{0}, 0}, c1 = {{0}, 0}, code = {{0}, 0};
    b_header(&b);
    b_sec(&b, 1, "01 60 00 00");
    b_sec(&b, 3, "02 00 00");
    b_sec(&b, 5, "01 00 01");
    b_hex(&c0, body0);
    b_hex(&c1, body1);
    b_byte(&code, 2);
    b_u32(&code, (uint32_t)c0.n);
    b_raw(&code, c0.d, c0.n);
    b_u32(&code, (uint32_t)c1.n);
    b_raw(&code, c1.d, c1.n);
    b_byte(&b, 10);
    b_u32(&b, (uint32_t)code.n);
    b_raw(&b, code.d, code.n);
    b_hex(&b, after);
    return b;
}

static void load_fails(const bin *b, lw_errkind kind, const char *msg)
{
    lw_error err;
    lw_error_clear(&err);
    ck_assert_ptr_null(lw_module_load(b->d, b->n, lw_features_wasm2(), &err));
    ck_assert_msg(err.kind == kind && strstr(err.message, msg),
                  "got %s \"%s\", expected %s \"%s\"", lw_errkind_name(err.kind),
                  err.message, lw_errkind_name(kind), msg);
}

START_TEST(test_load_one_pass)
{
    /* Invalid first body (leaves an i32), malformed second. */
    bin b = mod_two_funcs("00 41 00 0b", "00 ff 0b", "");
    load_fails(&b, LW_ERR_MALFORMED, "illegal opcode");
    /* Invalid body, then a malformed data section after the code. */
    b = mod_two_funcs("00 41 00 0b", "00 0b", "0b 03 01 07 00");
    load_fails(&b, LW_ERR_MALFORMED, "data segment kind");
    /* memory.init without a data count section: malformed, not invalid. */
    b = mod_two_funcs("00 0b", "00 41 00 41 00 41 00 fc 08 00 00 0b",
                      "0b 04 01 01 01 61");
    load_fails(&b, LW_ERR_MALFORMED, "data count section required");
    /* A body that ends early, then bytes: the decoder's wording. */
    b = mod_two_funcs("00 0b 01", "00 0b", "");
    load_fails(&b, LW_ERR_MALFORMED, "section size mismatch");
    /* else without if. */
    b = mod_two_funcs("00 05 0b", "00 0b", "");
    load_fails(&b, LW_ERR_MALFORMED, "END opcode expected");
    /* Well-formed and invalid: the validation error stands. */
    b = mod_two_funcs("00 0b", "00 41 00 0b", "");
    load_fails(&b, LW_ERR_INVALID, "type mismatch");
    /* Valid: both bodies usable afterwards. */
    b = mod_two_funcs("00 0b", "01 01 7f 20 00 1a 0b", "");
    lw_error err;
    lw_module *m = lw_module_load(b.d, b.n, lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_uint_eq(m->ncodes, 2);
    ck_assert_uint_eq(m->codes[1].nlocals, 1);
    ck_assert_uint_eq(m->codes[1].body.len, 4);
    ck_assert_int_eq(lw_module_validate(m, &err), 0);
    lw_module_free(m);
    /* Borrowed bytes: the module reads them in place. */
    m = lw_module_load_borrowed(b.d, b.n, lw_features_wasm2(), &err);
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_eq(m->codes[1].body.code, b.d + b.n - 4);
    lw_module_free(m);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("sections");
    tcase_add_test(tc, test_header);
    tcase_add_test(tc, test_types);
    tcase_add_test(tc, test_imports);
    tcase_add_test(tc, test_code);
    tcase_add_test(tc, test_tables_memories_globals);
    tcase_add_test(tc, test_exports_start);
    tcase_add_test(tc, test_elems);
    tcase_add_test(tc, test_datas);
    tcase_add_test(tc, test_customs);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_names_broken);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, test_section_errors);
    tcase_add_test(tc, test_entry_errors);
    tcase_add_test(tc, test_count_errors);
    tcase_add_test(tc, test_body_errors);
    tcase_add_test(tc, test_feature_gates);
    suite_add_tcase(s, tc);
    tc = tcase_create("robustness");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_rich_module);
    tcase_add_test(tc, test_truncation);
    tcase_add_test(tc, test_corruption);
    tcase_add_test(tc, test_huge_counts);
    suite_add_tcase(s, tc);
    tc = tcase_create("instructions");
    tcase_add_test(tc, test_instr_immediates);
    tcase_add_test(tc, test_br_table);
    tcase_add_test(tc, test_instr_errors);
    tcase_add_test(tc, test_instr_unknown_prefixed);
    tcase_add_test(tc, test_memarg_multi_memory);
    tcase_add_test(tc, test_memarg_memory64);
    tcase_add_test(tc, test_limits_memory64);
    tcase_add_test(tc, test_multi_memory);
    tcase_add_test(tc, test_load);
    tcase_add_test(tc, test_load_one_pass);
    tcase_add_test(tc, test_format);
    tcase_add_test(tc, test_read_not_a_module);
    tcase_add_test(tc, test_read_limit);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
