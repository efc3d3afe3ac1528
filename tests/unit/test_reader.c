/* The binary cursor: reads advance, failures carry the offset from the
 * start of the binary, sub-readers share the error, and the first failure
 * is the one kept. */
#include <string.h>

#include "libwasm-tools.h"
#include "unit.h"

START_TEST(reads_advance)
{
    /* u8 7, u32 624485, s32 -1, s64 -2^40, name "ab" */
    static const uint8_t b[] = {0x07, 0xe5, 0x8e, 0x26, 0x7f, 0x80, 0x80, 0x80,
                                0x80, 0x80, 0x60, 0x02, 'a', 'b'};
    lw_error err;
    lw_reader r;
    uint8_t u8;
    uint32_t u32, n;
    int32_t s32;
    int64_t s64;
    const uint8_t *s;
    lw_reader_init(&r, b, sizeof b, &err);
    ck_assert_int_eq(lw_read_u8(&r, &u8), 0);
    ck_assert_int_eq(u8, 7);
    ck_assert_int_eq(lw_read_u32(&r, &u32), 0);
    ck_assert_uint_eq(u32, 624485);
    ck_assert_int_eq(lw_read_s32(&r, &s32), 0);
    ck_assert_int_eq(s32, -1);
    ck_assert_int_eq(lw_read_s64(&r, &s64), 0);
    ck_assert(s64 == -((int64_t)1 << 40));
    ck_assert_int_eq(lw_read_name(&r, &s, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert(memcmp(s, "ab", 2) == 0);
    ck_assert(r.p == r.end);
    ck_assert_int_eq(err.kind, LW_OK);
}
END_TEST

/* Read b[from..) as a sub-reader of the whole; the error's offset. */
static lw_error fail_in(const uint8_t *b, size_t len, size_t from,
                        int (*read)(lw_reader *))
{
    lw_error err;
    lw_reader whole;
    lw_reader_init(&whole, b, len, &err);
    lw_reader r = lw_reader_sub(&whole, b + from, len - from);
    ck_assert_int_eq(read(&r), -1);
    ck_assert_int_eq(err.kind, LW_ERR_MALFORMED);
    ck_assert(err.has_offset);
    return err;
}

static int read_u32(lw_reader *r)
{
    uint32_t v;
    return lw_read_u32(r, &v);
}

static int read_name(lw_reader *r)
{
    const uint8_t *s;
    uint32_t n;
    return lw_read_name(r, &s, &n);
}

static int read_count(lw_reader *r)
{
    uint32_t n;
    return lw_read_count(r, &n);
}

static int read_bytes(lw_reader *r)
{
    const uint8_t *s;
    return lw_read_bytes(r, 3, &s);
}

START_TEST(failures_are_located)
{
    static const uint8_t cut[] = {0, 0, 0x80, 0x80};
    static const uint8_t toolong[] = {0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    static const uint8_t toolarge[] = {0, 0x80, 0x80, 0x80, 0x80, 0x10};
    static const uint8_t name[] = {0, 0, 0x05, 'a', 'b'};
    static const uint8_t count[] = {0, 0x03, 0x00, 0x00};
    lw_error err = fail_in(cut, sizeof cut, 2, read_u32);
    ck_assert_str_eq(err.message, "unexpected end");
    ck_assert_uint_eq(err.offset, 2);
    err = fail_in(toolong, sizeof toolong, 1, read_u32);
    ck_assert_str_eq(err.message, "integer representation too long");
    ck_assert_uint_eq(err.offset, 1);
    err = fail_in(toolarge, sizeof toolarge, 1, read_u32);
    ck_assert_str_eq(err.message, "integer too large");
    err = fail_in(name, sizeof name, 2, read_name);
    ck_assert_str_eq(err.message, "length out of bounds");
    ck_assert_uint_eq(err.offset, 2);
    /* A count of 3 with 2 bytes after it: each entry needs one. */
    err = fail_in(count, sizeof count, 1, read_count);
    ck_assert_str_eq(err.message, "length out of bounds");
    ck_assert_uint_eq(err.offset, 1);
    err = fail_in(name, sizeof name, 3, read_bytes);
    ck_assert_str_eq(err.message, "unexpected end");
    ck_assert_uint_eq(err.offset, 3);
}
END_TEST

START_TEST(first_failure_stays)
{
    static const uint8_t b[] = {0x80};
    lw_error err;
    lw_reader r;
    uint8_t u8;
    uint32_t u32;
    lw_reader_init(&r, b, sizeof b, &err);
    ck_assert_int_eq(lw_read_u32(&r, &u32), -1);
    ck_assert_int_eq(lw_reader_fail(&r, b + 1, "later"), -1);
    r.p = r.end;
    ck_assert_int_eq(lw_read_u8(&r, &u8), -1);
    ck_assert_str_eq(err.message, "unexpected end");
    ck_assert_uint_eq(err.offset, 0);
}
END_TEST

/* Heap types: s33, so -16 (funcref's 0x70) and indices past 2^31 fit. */
START_TEST(reads_s33)
{
    static const uint8_t b[] = {0x70, 0x80, 0x80, 0x80, 0x80, 0x0f, 0x80};
    lw_error err;
    lw_reader r;
    int64_t v;
    lw_reader_init(&r, b, sizeof b, &err);
    ck_assert_int_eq(lw_read_s33(&r, &v), 0);
    ck_assert_int_eq(v, -16);
    ck_assert_int_eq(lw_read_s33(&r, &v), 0);
    ck_assert_int_eq(v, INT64_C(0xf0000000));
    ck_assert_int_eq(lw_read_s33(&r, &v), -1);
    ck_assert_str_eq(err.message, "unexpected end");
}
END_TEST

/* A reader names running out of bytes as its owner asks (the decoder
 * speaks the reference interpreter's words). */
START_TEST(eof_message_is_the_readers)
{
    static const uint8_t b[] = {0x80};
    lw_error err;
    lw_reader r;
    uint32_t u32;
    uint8_t u8;
    const uint8_t *s;
    lw_reader_init(&r, b, sizeof b, &err);
    r.eof = "out of bytes";
    ck_assert_int_eq(lw_read_u32(&r, &u32), -1);
    ck_assert_str_eq(err.message, "out of bytes");
    lw_reader_init(&r, b, 0, &err);
    r.eof = "out of bytes";
    ck_assert_int_eq(lw_read_u8(&r, &u8), -1);
    ck_assert_str_eq(err.message, "out of bytes");
    lw_reader_init(&r, b, sizeof b, &err);
    r.eof = "out of bytes";
    ck_assert_int_eq(lw_read_bytes(&r, 2, &s), -1);
    ck_assert_str_eq(err.message, "out of bytes");
}
END_TEST

/* Subsections of custom sections, and name map entries within them. */
START_TEST(subsections)
{
    /* id 1, size 5: one entry, index 3, name "ab"; then id 7 claiming
     * 4 bytes with 1 left */
    static const uint8_t b[] = {0x01, 0x05, 0x01, 0x03, 0x02, 'a', 'b', 0x07, 0x04, 0x00};
    lw_error err;
    lw_reader r, sub;
    uint8_t id;
    uint32_t count, index, n;
    const uint8_t *s;
    lw_reader_init(&r, b, sizeof b, &err);
    ck_assert_int_eq(lw_read_subsection(&r, &id, &sub), 0);
    ck_assert_uint_eq(id, 1);
    ck_assert(sub.p == b + 2 && sub.end == b + 7);
    ck_assert_int_eq(lw_read_count(&sub, &count), 0);
    ck_assert_uint_eq(count, 1);
    ck_assert_int_eq(lw_read_naming(&sub, &index, &s, &n), 0);
    ck_assert_uint_eq(index, 3);
    ck_assert(n == 2 && memcmp(s, "ab", 2) == 0);
    ck_assert(sub.p == sub.end);
    ck_assert_int_eq(lw_read_naming(&sub, &index, &s, &n), -1);
    ck_assert_uint_eq(err.offset, 7);
    lw_reader_init(&r, b, sizeof b, &err);
    r.p = b + 7;
    ck_assert_int_eq(lw_read_subsection(&r, &id, &sub), -1);
    ck_assert_uint_eq(err.offset, 9);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("reader");
    TCase *tc = tcase_create("reader");
    tcase_add_test(tc, reads_advance);
    tcase_add_test(tc, failures_are_located);
    tcase_add_test(tc, first_failure_stays);
    tcase_add_test(tc, reads_s33);
    tcase_add_test(tc, eof_message_is_the_readers);
    tcase_add_test(tc, subsections);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
