/* LEB128 readers: every width's limits, overlong and truncated forms, and
 * round trips through the writers. */
#include "internal.h"
#include "unit.h"

#include <ctype.h>

typedef struct {
    uint8_t d[32];
    size_t n;
} leb_bytes;

/* Bytes written as hex pairs ("80 7f"). */
static leb_bytes hex(const char *s)
{
    leb_bytes b = {{0}, 0};
    while (*s) {
        if (isspace((unsigned char)*s)) {
            s++;
            continue;
        }
        unsigned v;
        ck_assert_int_eq(sscanf(s, "%2x", &v), 1);
        ck_assert_uint_lt(b.n, sizeof b.d);
        b.d[b.n++] = (uint8_t)v;
        s += 2;
    }
    return b;
}

/* Reads with fn; checks the code, the value and how far it advanced
 * (all of the bytes on success, nothing on failure). */
#define LEB_CHECK(fn, type, text, want_rc, want_val)                       \
    do {                                                                   \
        leb_bytes b_ = hex(text);                                          \
        const uint8_t *p_ = b_.d;                                          \
        type v_ = 0;                                                       \
        int rc_ = fn(&p_, b_.d + b_.n, &v_);                               \
        ck_assert_msg(rc_ == (want_rc), "%s(%s): rc %d, want %d", #fn,      \
                      text, rc_, want_rc);                                 \
        if ((want_rc) == LEB_OK) {                                         \
            ck_assert_msg(v_ == (type)(want_val), "%s(%s): wrong value",    \
                          #fn, text);                                      \
            ck_assert_ptr_eq(p_, b_.d + b_.n);                             \
        } else {                                                           \
            ck_assert_ptr_eq(p_, b_.d);                                    \
        }                                                                  \
    } while (0)

START_TEST(test_u32_values)
{
    LEB_CHECK(wasm_read_u32, uint32_t, "00", LEB_OK, 0);
    LEB_CHECK(wasm_read_u32, uint32_t, "7f", LEB_OK, 127);
    LEB_CHECK(wasm_read_u32, uint32_t, "80 01", LEB_OK, 128);
    LEB_CHECK(wasm_read_u32, uint32_t, "e5 8e 26", LEB_OK, 624485);
    LEB_CHECK(wasm_read_u32, uint32_t, "ff ff ff ff 0f", LEB_OK, UINT32_MAX);
    /* Overlong but within five bytes is allowed. */
    LEB_CHECK(wasm_read_u32, uint32_t, "80 00", LEB_OK, 0);
    LEB_CHECK(wasm_read_u32, uint32_t, "80 80 80 80 00", LEB_OK, 0);
    LEB_CHECK(wasm_read_u32, uint32_t, "83 80 80 80 00", LEB_OK, 3);
}
END_TEST

START_TEST(test_u32_errors)
{
    LEB_CHECK(wasm_read_u32, uint32_t, "", LEB_END, 0);
    LEB_CHECK(wasm_read_u32, uint32_t, "80", LEB_END, 0);
    LEB_CHECK(wasm_read_u32, uint32_t, "ff ff ff ff", LEB_END, 0);
    LEB_CHECK(wasm_read_u32, uint32_t, "80 80 80 80 80 00", LEB_TOO_LONG, 0);
    LEB_CHECK(wasm_read_u32, uint32_t, "80 80 80 80 80", LEB_TOO_LONG, 0);
    /* Unused bits of the fifth byte set. */
    LEB_CHECK(wasm_read_u32, uint32_t, "ff ff ff ff 1f", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_u32, uint32_t, "80 80 80 80 10", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_u32, uint32_t, "82 80 80 80 70", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_u32, uint32_t, "82 80 80 80 40", LEB_TOO_LARGE, 0);
}
END_TEST

START_TEST(test_s32)
{
    LEB_CHECK(wasm_read_s32, int32_t, "00", LEB_OK, 0);
    LEB_CHECK(wasm_read_s32, int32_t, "3f", LEB_OK, 63);
    LEB_CHECK(wasm_read_s32, int32_t, "40", LEB_OK, -64);
    LEB_CHECK(wasm_read_s32, int32_t, "7f", LEB_OK, -1);
    LEB_CHECK(wasm_read_s32, int32_t, "80 7f", LEB_OK, -128);
    LEB_CHECK(wasm_read_s32, int32_t, "ff 00", LEB_OK, 127);
    LEB_CHECK(wasm_read_s32, int32_t, "ff ff ff ff 07", LEB_OK, INT32_MAX);
    LEB_CHECK(wasm_read_s32, int32_t, "80 80 80 80 78", LEB_OK, INT32_MIN);
    LEB_CHECK(wasm_read_s32, int32_t, "ff ff ff ff 7f", LEB_OK, -1);
    LEB_CHECK(wasm_read_s32, int32_t, "80 80 80 80 00", LEB_OK, 0);
    LEB_CHECK(wasm_read_s32, int32_t, "", LEB_END, 0);
    LEB_CHECK(wasm_read_s32, int32_t, "ff", LEB_END, 0);
    LEB_CHECK(wasm_read_s32, int32_t, "80 80 80 80 80 00", LEB_TOO_LONG, 0);
    LEB_CHECK(wasm_read_s32, int32_t, "ff ff ff ff ff 7f", LEB_TOO_LONG, 0);
    /* The unused bits must copy the sign bit. */
    LEB_CHECK(wasm_read_s32, int32_t, "80 80 80 80 70", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_s32, int32_t, "ff ff ff ff 0f", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_s32, int32_t, "80 80 80 80 1f", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_s32, int32_t, "ff ff ff ff 4f", LEB_TOO_LARGE, 0);
}
END_TEST

START_TEST(test_s33)
{
    LEB_CHECK(wasm_read_s33, int64_t, "40", LEB_OK, -64);
    LEB_CHECK(wasm_read_s33, int64_t, "ff ff ff ff 0f", LEB_OK, 4294967295LL);
    LEB_CHECK(wasm_read_s33, int64_t, "80 80 80 80 70", LEB_OK, -4294967296LL);
    LEB_CHECK(wasm_read_s33, int64_t, "ff ff ff ff 7f", LEB_OK, -1);
    LEB_CHECK(wasm_read_s33, int64_t, "80 80 80 80 10", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_s33, int64_t, "ff ff ff ff 1f", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_s33, int64_t, "80 80 80 80 60", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_s33, int64_t, "80 80 80 80 80 00", LEB_TOO_LONG, 0);
    LEB_CHECK(wasm_read_s33, int64_t, "80 80", LEB_END, 0);
}
END_TEST

START_TEST(test_s64)
{
    LEB_CHECK(wasm_read_s64, int64_t, "7f", LEB_OK, -1);
    LEB_CHECK(wasm_read_s64, int64_t, "ff ff ff ff ff ff ff ff ff 00", LEB_OK, INT64_MAX);
    LEB_CHECK(wasm_read_s64, int64_t, "80 80 80 80 80 80 80 80 80 7f", LEB_OK, INT64_MIN);
    LEB_CHECK(wasm_read_s64, int64_t, "ff ff ff ff ff ff ff ff ff 7f", LEB_OK, -1);
    LEB_CHECK(wasm_read_s64, int64_t, "80 80 80 80 80 80 80 80 80 00", LEB_OK, 0);
    LEB_CHECK(wasm_read_s64, int64_t, "80 80 80 80 80 80 80 80 80 80 00", LEB_TOO_LONG, 0);
    LEB_CHECK(wasm_read_s64, int64_t, "ff ff ff ff ff ff ff ff ff 01", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_s64, int64_t, "80 80 80 80 80 80 80 80 80 7e", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_s64, int64_t, "80 80 80 80 80 80 80 80 80 02", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_s64, int64_t, "ff ff ff ff ff ff ff ff ff 41", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_s64, int64_t, "ff ff ff ff ff ff ff ff ff", LEB_END, 0);
}
END_TEST

START_TEST(test_u64)
{
    LEB_CHECK(wasm_read_u64, uint64_t, "00", LEB_OK, 0);
    LEB_CHECK(wasm_read_u64, uint64_t, "ff ff ff ff ff ff ff ff ff 01", LEB_OK, UINT64_MAX);
    LEB_CHECK(wasm_read_u64, uint64_t, "80 80 80 80 80 80 80 80 80 01", LEB_OK,
              UINT64_C(1) << 63);
    LEB_CHECK(wasm_read_u64, uint64_t, "ff ff ff ff ff ff ff ff ff 02", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_u64, uint64_t, "ff ff ff ff ff ff ff ff ff 7f", LEB_TOO_LARGE, 0);
    LEB_CHECK(wasm_read_u64, uint64_t, "80 80 80 80 80 80 80 80 80 80 00", LEB_TOO_LONG, 0);
    LEB_CHECK(wasm_read_u64, uint64_t, "80 80 80", LEB_END, 0);
}
END_TEST

START_TEST(test_messages)
{
    ck_assert_str_eq(wasm_leb_message(LEB_END), "unexpected end");
    ck_assert_str_eq(wasm_leb_message(LEB_TOO_LONG), "integer representation too long");
    ck_assert_str_eq(wasm_leb_message(LEB_TOO_LARGE), "integer too large");
}
END_TEST

/* What the writers produce, the readers read back, in the fewest bytes. */
START_TEST(test_round_trip)
{
    static const int64_t values[] = {
        0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, -8192, -8193,
        INT32_MAX, INT32_MIN, (int64_t)UINT32_MAX, INT64_MAX, INT64_MIN,
        0x123456789abcdefLL, -0x123456789abcdefLL,
    };
    for (size_t i = 0; i < COUNTOF(values); i++) {
        wasm_buf b = {0};
        wasm_buf_s64(&b, values[i]);
        wasm_buf_u64(&b, (uint64_t)values[i]);
        const uint8_t *p = b.data, *end = b.data + b.len;
        int64_t s;
        uint64_t u;
        ck_assert_int_eq(wasm_read_s64(&p, end, &s), LEB_OK);
        ck_assert_int_eq(wasm_read_u64(&p, end, &u), LEB_OK);
        ck_assert_int_eq(s, values[i]);
        ck_assert_uint_eq(u, (uint64_t)values[i]);
        ck_assert_ptr_eq(p, end);
        wasm_buf_free(&b);
        if (values[i] >= INT32_MIN && values[i] <= INT32_MAX) {
            wasm_buf_s32(&b, (int32_t)values[i]);
            p = b.data;
            int32_t s32;
            ck_assert_int_eq(wasm_read_s32(&p, b.data + b.len, &s32), LEB_OK);
            ck_assert_int_eq(s32, values[i]);
            ck_assert_uint_le(b.len, 5);
            wasm_buf_free(&b);
        }
        if (values[i] >= 0 && values[i] <= (int64_t)UINT32_MAX) {
            wasm_buf_u32(&b, (uint32_t)values[i]);
            p = b.data;
            uint32_t u32;
            ck_assert_int_eq(wasm_read_u32(&p, b.data + b.len, &u32), LEB_OK);
            ck_assert_uint_eq(u32, (uint64_t)values[i]);
            ck_assert_uint_le(b.len, 5);
            wasm_buf_free(&b);
        }
    }
}
END_TEST

/* The public names read what the library reads; the writer's LEB is the
 * shortest and reads back. */
START_TEST(test_public)
{
    LEB_CHECK(lw_leb_read_u32, uint32_t, "e5 8e 26", LW_LEB_OK, 624485);
    LEB_CHECK(lw_leb_read_u32, uint32_t, "80 80", LW_LEB_END, 0);
    LEB_CHECK(lw_leb_read_s32, int32_t, "7f", LW_LEB_OK, -1);
    LEB_CHECK(lw_leb_read_s33, int64_t, "40", LW_LEB_OK, -64);
    LEB_CHECK(lw_leb_read_s64, int64_t, "ff ff ff ff ff ff ff ff ff 7f", LW_LEB_OK, -1);
    LEB_CHECK(lw_leb_read_u64, uint64_t, "ff ff ff ff ff ff ff ff ff 7f",
              LW_LEB_TOO_LARGE, 0);
    static const uint64_t values[] = {0, 127, 128, UINT32_MAX, UINT64_MAX};
    static const size_t lens[] = {1, 1, 2, 5, LW_LEB_MAX};
    for (size_t i = 0; i < COUNTOF(values); i++) {
        uint8_t b[LW_LEB_MAX];
        size_t n = lw_leb_write_u64(b, values[i]);
        ck_assert_uint_eq(n, lens[i]);
        const uint8_t *p = b;
        uint64_t v;
        ck_assert_int_eq(lw_leb_read_u64(&p, b + n, &v), LW_LEB_OK);
        ck_assert_uint_eq(v, values[i]);
    }
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("leb");
    TCase *tc = tcase_create("leb");
    tcase_add_test(tc, test_u32_values);
    tcase_add_test(tc, test_u32_errors);
    tcase_add_test(tc, test_s32);
    tcase_add_test(tc, test_s33);
    tcase_add_test(tc, test_s64);
    tcase_add_test(tc, test_u64);
    tcase_add_test(tc, test_messages);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_public);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
