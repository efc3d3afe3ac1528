/* Bundles: round trips, and every kind of damage detected. */
#include "unit.h"
#include "bundle.h"
#include "sha256.h"

#include <string.h>
#include <unistd.h>
#include <zstd.h>

/* (module (func (export "f") (result i32) i32.const 42)) */
static const uint8_t module_bytes[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01,
    0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, 0x06,
    0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b,
};

static char tmpdir[] = "/tmp/test_bundle.XXXXXX";
static char path[256];

static uint8_t *slurp(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *d = malloc(*n);
    ck_assert_uint_eq(fread(d, 1, *n, f), *n);
    fclose(f);
    return d;
}

/* Write a bundle with a module and `nassets` text assets; returns its bytes. */
static uint8_t *make_bundle(int nassets, size_t *n)
{
    wasm_error err;
    wpk_writer *w = wpk_writer_new(19, false);
    ck_assert_int_eq(wpk_writer_add(w, "app.wasm", WPK_MODULE, module_bytes, sizeof module_bytes, &err), 0);
    for (int i = 0; i < nassets; i++) {
        char name[64], text[1200];
        snprintf(name, sizeof name, "data/dir%d/file%d.txt", i % 3, i);
        int k = snprintf(text, sizeof text, "line one of asset %d\n", i);
        for (int line = 0; line < 12; line++)
            k += snprintf(text + k, sizeof text - (size_t)k,
                          "%d: the quick brown fox jumps over the lazy dog %d times\n", line, i * line);
        ck_assert_int_eq(wpk_writer_add(w, name, WPK_ASSET, (const uint8_t *)text, strlen(text), &err), 0);
    }
    const char *args[] = {"--verbose"};
    const char *env[] = {"MODE=test"};
    wpk_mount mounts[] = {{"data", "/srv/data"}};
    const char *features[] = {"simd"};
    wpk_manifest m = {"app", "1.0", "app.wasm", 1, args, 1, env, 1, mounts, 1, features, 1700000000};
    snprintf(path, sizeof path, "%s/b.wpk", tmpdir);
    ck_assert_int_eq(wpk_writer_finish(w, &m, path, &err), 0);
    wpk_writer_free(w);
    return slurp(path, n);
}

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    unlink(path);
    rmdir(tmpdir);
    strcpy(tmpdir, "/tmp/test_bundle.XXXXXX");
}

START_TEST(round_trip)
{
    size_t n;
    uint8_t *d = make_bundle(12, &n);
    wasm_error err;
    wpk_bundle *b = wpk_open_memory(d, n, &err);
    ck_assert_msg(b != NULL, "%s", err.message);
    ck_assert_str_eq(b->manifest.name, "app");
    ck_assert_str_eq(b->manifest.version, "1.0");
    ck_assert_str_eq(b->manifest.entry, "app.wasm");
    ck_assert_uint_eq(b->manifest.nargs, 1);
    ck_assert_str_eq(b->manifest.args[0], "--verbose");
    ck_assert_str_eq(b->manifest.env[0], "MODE=test");
    ck_assert_str_eq(b->manifest.mounts[0].guest, "/srv/data");
    ck_assert_str_eq(b->manifest.features[0], "simd");
    ck_assert_uint_eq(b->manifest.created, 1700000000);
    /* Small files share one block. */
    ck_assert_uint_eq(b->nblocks, 1);
    ck_assert_uint_eq(wpk_find(b, "data/dir2/file11.txt")->block, 0);
    const wpk_entry *e = wpk_find(b, "app.wasm");
    ck_assert_ptr_nonnull(e);
    uint8_t *out;
    ck_assert_int_eq(wpk_read(b, e, &out, &err), 0);
    ck_assert_uint_eq(e->size, sizeof module_bytes);
    ck_assert_mem_eq(out, module_bytes, sizeof module_bytes);
    free(out);
    e = wpk_find(b, "data/dir1/file7.txt");
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(wpk_read(b, e, &out, &err), 0);
    ck_assert_mem_eq(out, "line one of asset 7\n", 20);
    free(out);
    ck_assert_int_eq(wpk_verify(b, &err), 0);
    wpk_close(b);
    free(d);
}
END_TEST

START_TEST(every_flipped_byte_is_detected)
{
    size_t n;
    uint8_t *d = make_bundle(3, &n);
    for (size_t i = 0; i < n; i++) {
        for (int bit = 0; bit < 8; bit += 7) {
            d[i] ^= (uint8_t)(1u << bit);
            wasm_error err;
            wpk_bundle *b = wpk_open_memory(d, n, &err);
            int bad = b ? wpk_verify(b, &err) : -1;
            ck_assert_msg(bad != 0, "flip of bit %d at byte %zu not detected", bit, i);
            ck_assert(err.message[0] != 0);
            wpk_close(b);
            d[i] ^= (uint8_t)(1u << bit);
        }
    }
    free(d);
}
END_TEST

START_TEST(every_truncation_is_detected)
{
    size_t n;
    uint8_t *d = make_bundle(3, &n);
    for (size_t len = 0; len < n; len++) {
        wasm_error err;
        wpk_bundle *b = wpk_open_memory(d, len, &err);
        ck_assert_msg(b == NULL, "truncation to %zu bytes accepted", len);
    }
    free(d);
}
END_TEST

/* Tests edit the index as an attacker would: inflate it, change it, then
 * compress it again and re-seal the header. */
static uint8_t *index_of(const uint8_t *d, size_t n, size_t *len)
{
    uint64_t off = 0;
    for (int i = 7; i >= 0; i--)
        off = off << 8 | d[16 + i];
    unsigned long long m = ZSTD_getFrameContentSize(d + off, n - off);
    uint8_t *ix = malloc(m);
    ck_assert_uint_eq(ZSTD_decompress(ix, m, d + off, n - off), m);
    *len = m;
    return ix;
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static void replace_index(uint8_t **d, size_t *n, uint8_t *ix, size_t len)
{
    uint64_t off = 0;
    for (int i = 7; i >= 0; i--)
        off = off << 8 | (*d)[16 + i];
    size_t bound = ZSTD_compressBound(len);
    uint8_t *out = malloc(off + bound);
    memcpy(out, *d, off);
    size_t z = ZSTD_compress(out + off, bound, ix, len, 3);
    ck_assert(!ZSTD_isError(z));
    put64(out + 24, z);
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, out, 32);
    sha256_update(&c, out + off, z);
    sha256_final(&c, out + 32);
    free(*d);
    free(ix);
    *d = out;
    *n = off + z;
}

static size_t find(const uint8_t *d, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = n - k; i > 0; i--)
        if (memcmp(d + i, s, k) == 0)
            return i;
    ck_abort_msg("'%s' not found", s);
    return 0;
}

static void expect_open_error(uint8_t *d, size_t n, const char *what)
{
    wasm_error err;
    wpk_bundle *b = wpk_open_memory(d, n, &err);
    ck_assert_msg(b == NULL, "accepted a bundle with %s", what);
    ck_assert_msg(strstr(err.message, what) != NULL, "message '%s' lacks '%s'", err.message, what);
}

START_TEST(hostile_paths_rejected)
{
    static const char *const bad[] = {"../../etc/x.txt", "/etc/passwd.txt", "data/./dir0.txt",
                                      "data//dir0x.txt", "data\\dir0\\x.txt"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        size_t n, len;
        uint8_t *d = make_bundle(3, &n);
        uint8_t *ix = index_of(d, n, &len);
        /* Overwrite a same-length path in the index. */
        size_t at = find(ix, len, "data/dir0/file0.txt");
        size_t plen = strlen(bad[k]);
        char repl[32];
        snprintf(repl, sizeof repl, "%s%.*s", bad[k], (int)(19 - plen), "xxxxxxxxxxxxxxxxxxx");
        memcpy(ix + at, repl, 19);
        replace_index(&d, &n, ix, len);
        expect_open_error(d, n, "unsafe path");
        free(d);
    }
}
END_TEST

START_TEST(duplicate_paths_rejected)
{
    size_t n, len;
    uint8_t *d = make_bundle(3, &n);
    uint8_t *ix = index_of(d, n, &len);
    memcpy(ix + find(ix, len, "data/dir1/file1.txt"), "data/dir0/file0.txt", 19);
    replace_index(&d, &n, ix, len);
    expect_open_error(d, n, "duplicate path");
    free(d);
    wasm_error err;
    wpk_writer *w = wpk_writer_new(3, false);
    ck_assert_int_eq(wpk_writer_add(w, "a/b", WPK_ASSET, (const uint8_t *)"x", 1, &err), 0);
    ck_assert_int_eq(wpk_writer_add(w, "a/b", WPK_ASSET, (const uint8_t *)"y", 1, &err), -1);
    ck_assert_int_eq(wpk_writer_add(w, "../b", WPK_ASSET, (const uint8_t *)"y", 1, &err), -1);
    wpk_writer_free(w);
}
END_TEST

/* The entry record after a path: kind (1), block (4), offset (8), size (8). */
static uint8_t *entry_field(uint8_t *ix, size_t len, const char *p, int field)
{
    static const int offsets[] = {0, 4, 12};
    return ix + find(ix, len, p) + strlen(p) + 1 + offsets[field];
}

/* The block table: a u32 count, then (offset, csize, usize) records; the
 * first block always starts at 64. */
static uint8_t *block_record(uint8_t *ix, size_t len, uint32_t i)
{
    static const uint8_t first[8] = {64, 0, 0, 0, 0, 0, 0, 0};
    for (size_t k = 4; k + 8 <= len; k++)
        if (memcmp(ix + k, first, 8) == 0 && ix[k - 4] > 0 && ix[k - 3] == 0)
            return ix + k + 24 * i;
    ck_abort_msg("block table not found");
    return NULL;
}

START_TEST(lying_sizes_rejected)
{
    size_t n, len;
    uint8_t *d = make_bundle(0, &n);
    uint8_t *ix = index_of(d, n, &len);
    /* A huge declared block size: refused before any allocation. */
    put64(block_record(ix, len, 0) + 16, (uint64_t)1 << 40);
    replace_index(&d, &n, ix, len);
    expect_open_error(d, n, "too large");
    free(d);

    /* A declared size that disagrees with the frame: the read fails. */
    d = make_bundle(0, &n);
    ix = index_of(d, n, &len);
    put64(block_record(ix, len, 0) + 16, 1000);
    put64(entry_field(ix, len, "app.wasm", 2), 1000);
    replace_index(&d, &n, ix, len);
    wasm_error err;
    wpk_bundle *b = wpk_open_memory(d, n, &err);
    ck_assert_msg(b != NULL, "%s", err.message);
    uint8_t *out;
    ck_assert_int_eq(wpk_read(b, wpk_find(b, "app.wasm"), &out, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.message, "does not match"));
    wpk_close(b);
    free(d);
}
END_TEST

START_TEST(frames_outside_the_file_rejected)
{
    size_t n, len;
    uint8_t *d = make_bundle(3, &n);
    uint8_t *ix = index_of(d, n, &len);
    put64(block_record(ix, len, 0), n + 10);
    replace_index(&d, &n, ix, len);
    expect_open_error(d, n, "outside the data region");
    free(d);
    d = make_bundle(3, &n);
    ix = index_of(d, n, &len);
    put64(block_record(ix, len, 0) + 8, n);
    replace_index(&d, &n, ix, len);
    expect_open_error(d, n, "outside the data region");
    free(d);
}
END_TEST

START_TEST(entries_outside_their_block_rejected)
{
    size_t n, len;
    uint8_t *d = make_bundle(3, &n);
    uint8_t *ix = index_of(d, n, &len);
    put64(entry_field(ix, len, "data/dir1/file1.txt", 1), 5);
    replace_index(&d, &n, ix, len);
    expect_open_error(d, n, "outside its block");
    free(d);
    d = make_bundle(3, &n);
    ix = index_of(d, n, &len);
    put64(entry_field(ix, len, "data/dir2/file2.txt", 2), 1u << 20);
    replace_index(&d, &n, ix, len);
    expect_open_error(d, n, "outside its block");
    free(d);
}
END_TEST

START_TEST(header_checks)
{
    size_t n;
    uint8_t *d = make_bundle(0, &n);
    d[0] = 'X';
    expect_open_error(d, n, "bad magic");
    d[0] = 0x89;
    d[8] = 2;
    expect_open_error(d, n, "unsupported bundle version");
    d[8] = 1;
    d[12] = 1;
    expect_open_error(d, n, "unknown flags");
    d[12] = 0;
    d[40] ^= 1;
    expect_open_error(d, n, "index hash mismatch");
    free(d);
}
END_TEST

START_TEST(blocks_split_by_size)
{
    wasm_error err;
    wpk_writer *w = wpk_writer_new(1, false);
    uint8_t *big = malloc(700000);
    ck_assert_int_eq(wpk_writer_add(w, "app.wasm", WPK_MODULE, module_bytes, sizeof module_bytes, &err), 0);
    for (int f = 0; f < 3; f++) {
        for (size_t i = 0; i < 700000; i++)
            big[i] = (uint8_t)(i * 7 + f);
        char name[32];
        snprintf(name, sizeof name, "big%d.bin", f);
        ck_assert_int_eq(wpk_writer_add(w, name, WPK_ASSET, big, 700000, &err), 0);
    }
    wpk_manifest m = {.name = "b", .version = "", .entry = "app.wasm"};
    snprintf(path, sizeof path, "%s/big.wpk", tmpdir);
    ck_assert_int_eq(wpk_writer_finish(w, &m, path, &err), 0);
    wpk_writer_free(w);
    wpk_bundle *b = wpk_open_file(path, &err);
    ck_assert_msg(b != NULL, "%s", err.message);
    ck_assert_uint_eq(b->nblocks, 3); /* module + big0, big1, big2 */
    for (int f = 2; f >= 0; f--) {
        char name[32];
        snprintf(name, sizeof name, "big%d.bin", f);
        uint8_t *out;
        ck_assert_int_eq(wpk_read(b, wpk_find(b, name), &out, &err), 0);
        ck_assert_uint_eq(out[12345], (uint8_t)(12345 * 7 + f));
        free(out);
    }
    ck_assert_int_eq(wpk_verify(b, &err), 0);
    wpk_close(b);
    free(big);
}
END_TEST

START_TEST(path_rules)
{
    ck_assert(wpk_path_ok("a"));
    ck_assert(wpk_path_ok("a/b.c/d"));
    ck_assert(wpk_path_ok(".hidden/x"));
    ck_assert(!wpk_path_ok(""));
    ck_assert(!wpk_path_ok("/a"));
    ck_assert(!wpk_path_ok("a/"));
    ck_assert(!wpk_path_ok("a//b"));
    ck_assert(!wpk_path_ok("a/../b"));
    ck_assert(!wpk_path_ok(".."));
    ck_assert(!wpk_path_ok("./a"));
    ck_assert(!wpk_path_ok("a\nb"));
}
END_TEST

static Suite *bundle_suite(void)
{
    Suite *s = suite_create("bundle");
    TCase *t = tcase_create("bundle");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, round_trip);
    tcase_add_test(t, every_flipped_byte_is_detected);
    tcase_add_test(t, every_truncation_is_detected);
    tcase_add_test(t, hostile_paths_rejected);
    tcase_add_test(t, duplicate_paths_rejected);
    tcase_add_test(t, lying_sizes_rejected);
    tcase_add_test(t, frames_outside_the_file_rejected);
    tcase_add_test(t, entries_outside_their_block_rejected);
    tcase_add_test(t, header_checks);
    tcase_add_test(t, blocks_split_by_size);
    tcase_add_test(t, path_rules);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(bundle_suite)
