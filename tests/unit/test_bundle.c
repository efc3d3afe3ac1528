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
    lw_error err;
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
    lw_error err;
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
    /* Stored with its code regrouped; read back byte for byte. */
    ck_assert_uint_eq(e->filter, WPK_WASM_SPLIT);
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
            lw_error err;
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
        lw_error err;
        wpk_bundle *b = wpk_open_memory(d, len, &err);
        ck_assert_msg(b == NULL, "truncation to %zu bytes accepted", len);
    }
    free(d);
}
END_TEST

/* Tests edit the index as an attacker would: inflate it, decode it (the
 * format as docs/BUNDLE.md gives it), change fields, encode it again,
 * compress it with a checksum and re-seal the file hash. */
typedef struct {
    const uint8_t *p, *end;
} rd;

static uint64_t rd_uv(rd *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        ck_assert(r->p < r->end);
        uint8_t b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
}

static void rd_skip_str(rd *r)
{
    r->p += rd_uv(r);
}

typedef struct {
    char path[4200];
    uint8_t flags;
    uint64_t size, stored;
    uint8_t hash[32];
} t_entry;

typedef struct {
    uint8_t manifest[4096];   /* encoded as it was */
    size_t mlen;
    uint32_t nblocks, nentries;
    uint64_t csize[8], usize[8];
    t_entry e[16];
} t_index;

static uint64_t index_offset(const uint8_t *d)
{
    uint64_t off = 0;
    for (int i = 7; i >= 0; i--)
        off = off << 8 | d[16 + i];
    return off;
}

static void decode_index(const uint8_t *d, size_t n, t_index *t)
{
    uint64_t off = index_offset(d);
    unsigned long long m = ZSTD_getFrameContentSize(d + off, n - off);
    uint8_t *ix = malloc(m);
    ck_assert_uint_eq(ZSTD_decompress(ix, m, d + off, n - off), m);
    rd r = {ix, ix + m};
    for (int i = 0; i < 3; i++)
        rd_skip_str(&r);                          /* name, version, entry */
    for (int list = 0; list < 3; list++) {        /* args, env, mounts */
        uint64_t k = rd_uv(&r) * (list == 2 ? 2 : 1);
        for (uint64_t i = 0; i < k; i++)
            rd_skip_str(&r);
    }
    for (uint64_t k = rd_uv(&r); k > 0; k--)      /* features */
        rd_skip_str(&r);
    rd_uv(&r);                                    /* created */
    t->mlen = (size_t)(r.p - ix);
    memcpy(t->manifest, ix, t->mlen);
    t->nblocks = (uint32_t)rd_uv(&r);
    for (uint32_t i = 0; i < t->nblocks; i++) {
        t->csize[i] = rd_uv(&r);
        t->usize[i] = rd_uv(&r);
    }
    t->nentries = (uint32_t)rd_uv(&r);
    for (uint32_t i = 0; i < t->nentries; i++) {
        t_entry *e = &t->e[i];
        size_t shared = rd_uv(&r), len = rd_uv(&r);
        if (i)
            memcpy(e->path, t->e[i - 1].path, shared);
        memcpy(e->path + shared, r.p, len);
        e->path[shared + len] = 0;
        r.p += len;
        e->flags = *r.p++;
        e->size = rd_uv(&r);
        e->stored = e->flags >> 1 ? rd_uv(&r) : e->size;
    }
    for (uint32_t i = 0; i < t->nentries; i++) {
        memcpy(t->e[i].hash, r.p, 32);
        r.p += 32;
    }
    ck_assert(r.p == r.end);
    free(ix);
}

static void wr_uv(uint8_t *out, size_t *n, uint64_t v)
{
    do {
        out[(*n)++] = (uint8_t)((v & 0x7f) | (v >> 7 ? 0x80 : 0));
        v >>= 7;
    } while (v);
}

static t_entry *entry_named(t_index *t, const char *p)
{
    for (uint32_t i = 0; i < t->nentries; i++)
        if (strcmp(t->e[i].path, p) == 0)
            return &t->e[i];
    ck_abort_msg("'%s' not in the index", p);
    return NULL;
}

/* Put the inflated index ix[0..len) in place of the index, and seal. */
static void replace_raw_index(uint8_t **d, size_t *n, const uint8_t *ix, size_t len)
{
    uint64_t off = index_offset(*d);
    size_t bound = ZSTD_compressBound(len);
    uint8_t *out = malloc(off + bound);
    memcpy(out, *d, off);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
    size_t z = ZSTD_compress2(cc, out + off, bound, ix, len);
    ZSTD_freeCCtx(cc);
    ck_assert(!ZSTD_isError(z));
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, out, 24);
    sha256_update(&c, out + WPK_HEADER_SIZE, off + z - WPK_HEADER_SIZE);
    sha256_final(&c, out + 24);
    free(*d);
    *d = out;
    *n = off + z;
}

/* Encode t (paths written whole), put it in place of the index, seal. */
static void replace_index(uint8_t **d, size_t *n, const t_index *t)
{
    static uint8_t ix[1 << 16];
    size_t len = 0;
    memcpy(ix, t->manifest, t->mlen);
    len = t->mlen;
    wr_uv(ix, &len, t->nblocks);
    for (uint32_t i = 0; i < t->nblocks; i++) {
        wr_uv(ix, &len, t->csize[i]);
        wr_uv(ix, &len, t->usize[i]);
    }
    wr_uv(ix, &len, t->nentries);
    for (uint32_t i = 0; i < t->nentries; i++) {
        const t_entry *e = &t->e[i];
        wr_uv(ix, &len, 0);
        wr_uv(ix, &len, strlen(e->path));
        memcpy(ix + len, e->path, strlen(e->path));
        len += strlen(e->path);
        ix[len++] = e->flags;
        wr_uv(ix, &len, e->size);
        if (e->flags >> 1)
            wr_uv(ix, &len, e->stored);
    }
    for (uint32_t i = 0; i < t->nentries; i++) {
        memcpy(ix + len, t->e[i].hash, 32);
        len += 32;
    }
    replace_raw_index(d, n, ix, len);
}

static void expect_open_error(uint8_t *d, size_t n, const char *what)
{
    lw_error err;
    wpk_bundle *b = wpk_open_memory(d, n, &err);
    ck_assert_msg(b == NULL, "accepted a bundle with %s", what);
    ck_assert_msg(strstr(err.message, what) != NULL, "message '%s' lacks '%s'", err.message, what);
}

START_TEST(edited_index_still_opens)
{
    /* The harness itself: decoding and re-encoding changes nothing a
     * reader sees, so the rejections below are the edits' doing. */
    size_t n;
    t_index t;
    uint8_t *d = make_bundle(3, &n);
    decode_index(d, n, &t);
    ck_assert_uint_eq(t.nentries, 4);
    ck_assert_str_eq(t.e[1].path, "data/dir0/file0.txt");
    replace_index(&d, &n, &t);
    lw_error err;
    wpk_bundle *b = wpk_open_memory(d, n, &err);
    ck_assert_msg(b != NULL, "%s", err.message);
    ck_assert_int_eq(wpk_verify(b, &err), 0);
    wpk_close(b);
    free(d);
}
END_TEST

/* Indexes cut short anywhere, or with numbers that never end, are
 * errors, whatever the bytes before say. */
START_TEST(truncated_numbers_rejected)
{
    static const struct { const char *bytes; size_t len; const char *what; } v[] = {
        {"\0\0\0\xff\xfe\xff\xff\xff", 8, "index truncated"},       /* args count */
        {"\0\0\0\0\0\0\0\x80", 8, "index truncated"},               /* created */
        {"\0\0\0\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 18,
         "number too large"},
        {"\x05" "ab", 3, "out of bounds"},
    };
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
        size_t n;
        uint8_t *d = make_bundle(0, &n);
        replace_raw_index(&d, &n, (const uint8_t *)v[k].bytes, v[k].len);
        expect_open_error(d, n, v[k].what);
        free(d);
    }
}
END_TEST

START_TEST(hostile_paths_rejected)
{
    static const char *const bad[] = {"../../etc/x.txt", "/etc/passwd.txt", "data/./dir0.txt",
                                      "data//dir0x.txt", "data\\dir0\\x.txt", "data/dir0/"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        size_t n;
        t_index t;
        uint8_t *d = make_bundle(3, &n);
        decode_index(d, n, &t);
        /* The first asset's path (order does not matter: path checks come
         * first). */
        strcpy(t.e[1].path, bad[k]);
        replace_index(&d, &n, &t);
        expect_open_error(d, n, "unsafe path");
        free(d);
    }
}
END_TEST

START_TEST(duplicate_and_unordered_paths_rejected)
{
    size_t n;
    t_index t;
    uint8_t *d = make_bundle(3, &n);
    decode_index(d, n, &t);
    strcpy(entry_named(&t, "data/dir1/file1.txt")->path, "data/dir0/file0.txt");
    replace_index(&d, &n, &t);
    expect_open_error(d, n, "duplicate");
    free(d);
    d = make_bundle(3, &n);
    decode_index(d, n, &t);
    t_entry tmp = t.e[1];
    t.e[1] = t.e[2];
    t.e[2] = tmp;
    replace_index(&d, &n, &t);
    expect_open_error(d, n, "out of order");
    free(d);
    lw_error err;
    wpk_writer *w = wpk_writer_new(3, false);
    ck_assert_int_eq(wpk_writer_add(w, "a/b", WPK_ASSET, (const uint8_t *)"x", 1, &err), 0);
    ck_assert_int_eq(wpk_writer_add(w, "a/b", WPK_ASSET, (const uint8_t *)"y", 1, &err), -1);
    ck_assert_int_eq(wpk_writer_add(w, "../b", WPK_ASSET, (const uint8_t *)"y", 1, &err), -1);
    wpk_writer_free(w);
}
END_TEST

START_TEST(lying_sizes_rejected)
{
    size_t n;
    t_index t;
    uint8_t *d = make_bundle(0, &n);
    decode_index(d, n, &t);
    /* A huge declared block size: refused before any allocation. */
    t.usize[0] = (uint64_t)1 << 40;
    replace_index(&d, &n, &t);
    expect_open_error(d, n, "too large");
    free(d);

    /* A declared size that disagrees with the frame: the read fails. */
    d = make_bundle(0, &n);
    decode_index(d, n, &t);
    t.usize[0] = 1000;
    t.e[0].stored = 1000;
    t.e[0].size = 1000;
    replace_index(&d, &n, &t);
    lw_error err;
    wpk_bundle *b = wpk_open_memory(d, n, &err);
    ck_assert_msg(b != NULL, "%s", err.message);
    uint8_t *out;
    ck_assert_int_eq(wpk_read(b, wpk_find(b, "app.wasm"), &out, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.message, "does not match"));
    wpk_close(b);
    free(d);

    /* An entry claiming more than the block holds. */
    d = make_bundle(0, &n);
    decode_index(d, n, &t);
    t.e[0].size = t.e[0].stored = t.usize[0] + 1;
    replace_index(&d, &n, &t);
    expect_open_error(d, n, "outside its block");
    free(d);
}
END_TEST

START_TEST(frames_outside_the_file_rejected)
{
    size_t n;
    t_index t;
    uint8_t *d = make_bundle(3, &n);
    decode_index(d, n, &t);
    t.csize[0] = n;
    replace_index(&d, &n, &t);
    expect_open_error(d, n, "outside the data region");
    free(d);
    d = make_bundle(3, &n);
    decode_index(d, n, &t);
    t.csize[0] -= 1;
    replace_index(&d, &n, &t);
    expect_open_error(d, n, "unaccounted bytes");
    free(d);
}
END_TEST

START_TEST(entries_outside_their_block_rejected)
{
    size_t n;
    t_index t;
    uint8_t *d = make_bundle(3, &n);
    decode_index(d, n, &t);
    entry_named(&t, "data/dir1/file1.txt")->size += 5;
    entry_named(&t, "data/dir1/file1.txt")->stored += 5;
    replace_index(&d, &n, &t);
    expect_open_error(d, n, "outside its block");
    free(d);
    d = make_bundle(3, &n);
    decode_index(d, n, &t);
    entry_named(&t, "data/dir2/file2.txt")->size -= 1;
    entry_named(&t, "data/dir2/file2.txt")->stored -= 1;
    replace_index(&d, &n, &t);
    expect_open_error(d, n, "no entry owns");
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
    d[8] = WPK_VERSION_MAJOR + 1;
    expect_open_error(d, n, "unsupported bundle version");
    d[8] = WPK_VERSION_MAJOR;
    d[12] = 1;
    expect_open_error(d, n, "unknown flags");
    d[12] = 0;
    d[16] ^= 1;
    expect_open_error(d, n, "index");
    d[16] ^= 1;
    d[n - 2] ^= 1;        /* in the index frame's checksum */
    expect_open_error(d, n, "index does not inflate");
    d[n - 2] ^= 1;
    /* The file hash is checked by verify: the header's copy changed. */
    d[40] ^= 1;
    lw_error err;
    wpk_bundle *b = wpk_open_memory(d, n, &err);
    ck_assert_msg(b != NULL, "%s", err.message);
    ck_assert_int_ne(wpk_verify(b, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.message, "file hash mismatch"));
    wpk_close(b);
    free(d);
}
END_TEST

START_TEST(blocks_split_by_size)
{
    lw_error err;
    wpk_writer *w = wpk_writer_new(1, false);
    uint8_t *big = malloc(700000);
    ck_assert_int_eq(wpk_writer_add(w, "app.wasm", WPK_MODULE, module_bytes, sizeof module_bytes, &err), 0);
    /* Empty files never open a block: one after a full block, one last. */
    ck_assert_int_eq(wpk_writer_add(w, "big1.bin.empty", WPK_ASSET, big, 0, &err), 0);
    ck_assert_int_eq(wpk_writer_add(w, "zz.empty", WPK_ASSET, big, 0, &err), 0);
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
    ck_assert_uint_eq(wpk_find(b, "big1.bin.empty")->block, 1);
    ck_assert_uint_eq(wpk_find(b, "zz.empty")->block, 2);
    uint8_t *out;
    ck_assert_int_eq(wpk_read(b, wpk_find(b, "zz.empty"), &out, &err), 0);
    free(out);
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

static void hex32(const uint8_t h[32], char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* FIPS 180-4 examples, then the CPU path (where there is one) against the
 * portable one on every length up to a few blocks. */
START_TEST(sha256_vectors)
{
    static const struct { const char *in; const char *hex; } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    uint8_t h[32], h2[32];
    char hex[65];
    for (int portable = 0; portable < 2; portable++) {
        sha256_use_portable(portable);
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
            sha256(v[i].in, strlen(v[i].in), h);
            hex32(h, hex);
            ck_assert_str_eq(hex, v[i].hex);
        }
        uint8_t *mil = malloc(1000000);
        memset(mil, 'a', 1000000);
        sha256(mil, 1000000, h);
        hex32(h, hex);
        ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
        free(mil);
    }
    uint8_t buf[300];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 131 + 7);
    for (size_t len = 0; len <= sizeof buf; len++) {
        sha256_use_portable(false);
        sha256(buf, len, h);
        sha256_use_portable(true);
        sha256(buf, len, h2);
        ck_assert_msg(memcmp(h, h2, 32) == 0, "the two SHA-256 paths differ at length %zu", len);
    }
    sha256_use_portable(false);
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
    tcase_add_test(t, edited_index_still_opens);
    tcase_add_test(t, truncated_numbers_rejected);
    tcase_add_test(t, hostile_paths_rejected);
    tcase_add_test(t, duplicate_and_unordered_paths_rejected);
    tcase_add_test(t, lying_sizes_rejected);
    tcase_add_test(t, frames_outside_the_file_rejected);
    tcase_add_test(t, entries_outside_their_block_rejected);
    tcase_add_test(t, header_checks);
    tcase_add_test(t, blocks_split_by_size);
    tcase_add_test(t, path_rules);
    tcase_add_test(t, sha256_vectors);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(bundle_suite)
