/* The section reader: one entry at a time, with the decoder's rules
 * (strict) or wabt's wasm-objdump's (lenient); where they part, both
 * sides are checked. */
#include <string.h>

#include "libwasm-tools.h"
#include "unit.h"

/* Entries' arrays come from here; reset for each reader. */
static unsigned char pool[4096];
static size_t pool_used;
static bool pool_refuse;

static void *pool_alloc(void *user, size_t size)
{
    (void)user;
    size = (size + 15) & ~(size_t)15;
    if (pool_refuse || sizeof pool - pool_used < size)
        return NULL;
    pool_used += size;
    return pool + pool_used - size;
}

/* A constant expression: everything through the first 0x0b. */
static int skip_expr(lw_secreader *sr, lw_expr *e)
{
    e->code = sr->in.p;
    e->offset = (uint32_t)(sr->in.p - sr->in.base);
    while (sr->in.p < sr->in.end && *sr->in.p != 0x0b)
        sr->in.p++;
    if (sr->in.p == sr->in.end)
        return lw_reader_fail(&sr->in, sr->in.p, sr->in.eof);
    sr->in.p++;
    e->len = (uint32_t)(sr->in.p - e->code);
    return 0;
}

static lw_error err;

static lw_secreader reader(const uint8_t *b, size_t len, bool lenient)
{
    lw_reader in;
    lw_secreader sr;
    lw_reader_init(&in, b, len, &err);
    lw_secreader_init(&sr, &in, lw_features_wasm2(), lenient);
    sr.alloc = pool_alloc;
    sr.expr = skip_expr;
    pool_used = 0;
    pool_refuse = false;
    return sr;
}

static void fails_at(uint64_t offset, const char *message)
{
    ck_assert_int_eq(err.kind, LW_ERR_MALFORMED);
    ck_assert_uint_eq(err.offset, offset);
    ck_assert_str_eq(err.message, message);
}

/* The decoder counts a length from its own LEB, wabt from after it. */
START_TEST(length_rules)
{
    static const uint8_t b[] = {0x02, 0x7f};
    uint32_t n;
    lw_secreader sr = reader(b, sizeof b, false);
    ck_assert_int_eq(lw_read_vec(&sr, &n), 0);
    ck_assert_uint_eq(n, 2);
    sr = reader(b, sizeof b, true);
    ck_assert_int_eq(lw_read_vec(&sr, &n), -1);
    fails_at(0, "length out of bounds");
}
END_TEST

START_TEST(function_types)
{
    /* func (param i32 f64) (result i64) */
    static const uint8_t b[] = {0x60, 0x02, 0x7f, 0x7c, 0x01, 0x7e};
    /* the form as a two-byte signed LEB, which only wabt reads */
    static const uint8_t wide[] = {0xe0, 0x7f, 0x00, 0x00};
    lw_functype ft;
    lw_secreader sr = reader(b, sizeof b, false);
    ck_assert_int_eq(lw_read_functype(&sr, &ft), 0);
    ck_assert_uint_eq(ft.nparams, 2);
    ck_assert_uint_eq(ft.params[1], LW_F64);
    ck_assert_uint_eq(ft.nresults, 1);
    ck_assert_uint_eq(ft.results[0], LW_I64);
    ck_assert(sr.in.p == sr.in.end);
    sr = reader(wide, sizeof wide, true);
    ck_assert_int_eq(lw_read_functype(&sr, &ft), 0);
    ck_assert_uint_eq(ft.nparams, 0);
    sr = reader(wide, sizeof wide, false);
    ck_assert_int_eq(lw_read_functype(&sr, &ft), -1);
    fails_at(0, "integer representation too long");
}
END_TEST

/* Memories may be shared and 64-bit for wabt; the decoder takes 64-bit
 * ones with memory64 only.  Tables may be 64-bit (wabt 1.0.32 refuses
 * them; table64 is 3.0) but not shared, which wabt says after the flags. */
START_TEST(limits)
{
    /* flags 5 (maximum, 64-bit), min 2^32, max 2^32 + 1 */
    static const uint8_t mem64[] = {0x05, 0x80, 0x80, 0x80, 0x80, 0x10,
                                    0x81, 0x80, 0x80, 0x80, 0x10};
    static const uint8_t table64[] = {0x70, 0x04, 0x01};
    static const uint8_t shared[] = {0x6f, 0x03, 0x01, 0x02};
    lw_limits l;
    lw_tabletype t;
    lw_secreader sr = reader(mem64, sizeof mem64, true);
    ck_assert_int_eq(lw_read_memtype(&sr, &l), 0);
    ck_assert(l.is64 && l.has_max && !l.shared);
    ck_assert(l.min == (uint64_t)1 << 32);
    ck_assert(l.max == ((uint64_t)1 << 32) + 1);
    sr = reader(mem64, sizeof mem64, false);
    ck_assert_int_eq(lw_read_memtype(&sr, &l), -1);
    fails_at(0, "integer too large");
    sr = reader(table64, sizeof table64, true);
    ck_assert_int_eq(lw_read_tabletype(&sr, &t), 0);
    ck_assert(t.limits.is64 && !t.limits.has_max && t.limits.min == 1);
    sr = reader(shared, sizeof shared, true);
    ck_assert_int_eq(lw_read_tabletype(&sr, &t), -1);
    fails_at(2, "tables may not be shared");
}
END_TEST

/* Names are copied with a NUL after them; only the decoder wants UTF-8. */
START_TEST(imports)
{
    /* "m" "\xff" tag (attribute 0, type 3) */
    static const uint8_t tag[] = {0x01, 'm', 0x01, 0xff, 0x04, 0x00, 0x03};
    /* "env" "mem" memory, min 1 */
    static const uint8_t mem[] = {0x03, 'e', 'n', 'v', 0x03, 'm', 'e', 'm', 0x02, 0x00, 0x01};
    lw_import im;
    lw_secreader sr = reader(tag, sizeof tag, true);
    ck_assert_int_eq(lw_read_import(&sr, &im), 0);
    ck_assert_uint_eq(im.kind, LW_EXTERN_TAG);
    ck_assert_uint_eq(im.desc.tag, 3);
    ck_assert_str_eq(im.module, "m");
    ck_assert_uint_eq(im.name_len, 1);
    sr = reader(tag, sizeof tag, false);
    ck_assert_int_eq(lw_read_import(&sr, &im), -1);
    fails_at(3, "malformed UTF-8 encoding");
    sr = reader(mem, sizeof mem, false);
    ck_assert_int_eq(lw_read_import(&sr, &im), 0);
    ck_assert_str_eq(im.name, "mem");
    ck_assert_uint_eq(im.kind, LW_EXTERN_MEMORY);
    ck_assert(im.desc.memory.min == 1 && !im.desc.memory.has_max);
}
END_TEST

START_TEST(exports)
{
    static const uint8_t b[] = {0x01, 'f', 0x00, 0x07};
    static const uint8_t bad[] = {0x01, 'f', 0x05, 0x07};
    lw_export ex;
    lw_secreader sr = reader(b, sizeof b, false);
    ck_assert_int_eq(lw_read_export(&sr, &ex), 0);
    ck_assert_str_eq(ex.name, "f");
    ck_assert_uint_eq(ex.index, 7);
    sr = reader(bad, sizeof bad, true);
    ck_assert_int_eq(lw_read_export(&sr, &ex), -1);
    fails_at(2, "malformed export kind");
}
END_TEST

/* Expressions go through the caller's scan; element kinds are 0 for the
 * decoder, anything for wabt. */
START_TEST(segments)
{
    /* active, table 0, offset (i32.const 1), funcs 4 5 */
    static const uint8_t active[] = {0x00, 0x41, 0x01, 0x0b, 0x02, 0x04, 0x05};
    /* passive, element kind 7, no funcs */
    static const uint8_t kind[] = {0x01, 0x07, 0x00};
    /* passive, funcref, expressions (ref.func 2) */
    static const uint8_t exprs[] = {0x05, 0x70, 0x01, 0xd2, 0x02, 0x0b};
    /* memory 1, offset (i32.const 0), bytes "hi" */
    static const uint8_t data[] = {0x02, 0x01, 0x41, 0x00, 0x0b, 0x02, 'h', 'i'};
    lw_elem e;
    lw_data d;
    lw_secreader sr = reader(active, sizeof active, false);
    ck_assert_int_eq(lw_read_elem(&sr, &e), 0);
    ck_assert_uint_eq(e.mode, LW_SEG_ACTIVE);
    ck_assert_uint_eq(e.offset.offset, 1);
    ck_assert_uint_eq(e.offset.len, 3);
    ck_assert_uint_eq(e.count, 2);
    ck_assert_uint_eq(e.funcs[1], 5);
    sr = reader(kind, sizeof kind, true);
    ck_assert_int_eq(lw_read_elem(&sr, &e), 0);
    ck_assert_uint_eq(e.mode, LW_SEG_PASSIVE);
    sr = reader(kind, sizeof kind, false);
    ck_assert_int_eq(lw_read_elem(&sr, &e), -1);
    fails_at(1, "malformed element kind");
    sr = reader(exprs, sizeof exprs, false);
    ck_assert_int_eq(lw_read_elem(&sr, &e), 0);
    ck_assert_uint_eq(e.count, 1);
    ck_assert(e.funcs == NULL);
    ck_assert_uint_eq(e.exprs[0].offset, 3);
    ck_assert_uint_eq(e.exprs[0].len, 3);
    sr = reader(data, sizeof data, true);
    ck_assert_int_eq(lw_read_data(&sr, &d), 0);
    ck_assert_uint_eq(d.memory, 1);
    ck_assert_uint_eq(d.len, 2);
    ck_assert_uint_eq(d.data_offset, 6);
}
END_TEST

/* A body's locals; wabt's rules keep them inside the body's size. */
START_TEST(code)
{
    /* size 4: one group of 2 i64, then `end` */
    static const uint8_t b[] = {0x04, 0x01, 0x02, 0x7e, 0x0b};
    /* size 1, but its locals run on */
    static const uint8_t over[] = {0x01, 0x01, 0x02, 0x7e, 0x0b};
    lw_code c;
    const uint8_t *end;
    lw_secreader sr = reader(b, sizeof b, true);
    ck_assert_int_eq(lw_read_code(&sr, &c, &end), 0);
    ck_assert_uint_eq(c.nlocals, 2);
    ck_assert_uint_eq(c.localgroups[0].type, LW_I64);
    ck_assert_uint_eq(c.body.offset, 4);
    ck_assert(end == b + sizeof b);
    sr = reader(over, sizeof over, true);
    ck_assert_int_eq(lw_read_code(&sr, &c, &end), -1);
    fails_at(1, "length out of bounds");
    sr = reader(over, sizeof over, false);
    ck_assert_int_eq(lw_read_code(&sr, &c, &end), 0);
    ck_assert(end == over + 2);
}
END_TEST

START_TEST(out_of_memory)
{
    static const uint8_t b[] = {0x60, 0x01, 0x7f, 0x00};
    lw_functype ft;
    lw_secreader sr = reader(b, sizeof b, false);
    pool_refuse = true;
    ck_assert_int_eq(lw_read_functype(&sr, &ft), -1);
    ck_assert_int_eq(err.kind, LW_ERR_NOMEM);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("sections");
    TCase *tc = tcase_create("sections");
    tcase_add_test(tc, length_rules);
    tcase_add_test(tc, function_types);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, imports);
    tcase_add_test(tc, exports);
    tcase_add_test(tc, segments);
    tcase_add_test(tc, code);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
