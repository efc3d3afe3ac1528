/* Bundles: open, verify, and read every entry.  The header's file hash
 * covers every byte, so raw mutations would all fail verify; the harness
 * repairs it.  The first input byte picks the shape of the rest:
 *   0 mod 4  a whole bundle (its file hash is recomputed),
 *   2 mod 4  a module: its regrouped form (wasmsplit.h) must unpack to
 *            it exactly, and the bytes themselves, taken as a regrouped
 *            form, must unpack or fail cleanly,
 *   odd   u32 n, n bytes of inflated index, then the data region; the
 *         harness compresses the index and writes the header itself,
 *         so mutations reach the index parser and the block reader. */
#include <stdint.h>
#include <string.h>
#include <zstd.h>

#include "bundle.h"
#include "fuzz.h"
#include "sha256.h"
#include "wasmsplit.h"

static void fuzz_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The file hash: the first 24 header bytes, then all after the header. */
static void fuzz_fix_hash(uint8_t *b, size_t size)
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, b, 24);
    sha256_update(&c, b + WPK_HEADER_SIZE, size - WPK_HEADER_SIZE);
    sha256_final(&c, b + 24);
}

/* Build a bundle from an inflated index and a data region. */
static uint8_t *fuzz_build(const uint8_t *data, size_t size, size_t *out_size)
{
    if (size < 4)
        return NULL;
    size_t n = data[0] | data[1] << 8 | data[2] << 16 | (size_t)data[3] << 24;
    data += 4;
    size -= 4;
    if (n > size)
        n = size;
    const uint8_t *region = data + n;
    size_t rlen = size - n;
    size_t bound = ZSTD_compressBound(n);
    uint8_t *b = malloc(WPK_HEADER_SIZE + rlen + bound);
    FUZZ_CHECK(b, "out of memory");
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    FUZZ_CHECK(cc, "out of memory");
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
    size_t clen = ZSTD_compress2(cc, b + WPK_HEADER_SIZE + rlen, bound, data, n);
    ZSTD_freeCCtx(cc);
    FUZZ_CHECK(!ZSTD_isError(clen), "zstd: %s", ZSTD_getErrorName(clen));
    memcpy(b, WPK_MAGIC, 8);
    b[8] = WPK_VERSION_MAJOR;
    b[9] = 0;
    b[10] = WPK_VERSION_MINOR;
    memset(b + 11, 0, 5);
    fuzz_put64(b + 16, WPK_HEADER_SIZE + rlen);
    memcpy(b + WPK_HEADER_SIZE, region, rlen);
    *out_size = WPK_HEADER_SIZE + rlen + clen;
    fuzz_fix_hash(b, *out_size);
    return b;
}

static void fuzz_bundle(const uint8_t *b, size_t size)
{
    lw_error err;
    wpk_bundle *w = wpk_open_memory(b, size, &err);
    if (!w)
        return;
    for (uint32_t i = 0; i < w->nentries; i++) {
        const wpk_entry *e = &w->entries[i];
        FUZZ_CHECK(wpk_path_ok(e->path), "entry %u has an unsafe path", i);
        FUZZ_CHECK(wpk_find(w, e->path) == e, "entry %s not found by path", e->path);
        uint8_t *bytes = NULL;
        if (wpk_read(w, e, &bytes, &err) == 0) {
            uint8_t h[32];
            sha256(bytes, e->size, h);
            FUZZ_CHECK(memcmp(h, e->sha256, 32) == 0, "entry %s read with a wrong hash",
                       e->path);
            free(bytes);
        }
    }
    wpk_verify(w, &err);
    wpk_close(w);
}

static void fuzz_split(const uint8_t *data, size_t size)
{
    uint8_t *out = malloc(size ? size : 1);
    FUZZ_CHECK(out, "out of memory");
    size_t n;
    uint8_t *t = wsplit_encode(data, size, &n);
    if (t) {
        FUZZ_CHECK(wsplit_decode(t, n, out, size) == 0, "a regrouped module does not unpack");
        FUZZ_CHECK(memcmp(out, data, size) == 0, "a regrouped module unpacks differently");
        free(t);
    }
    wsplit_decode(data, size, out, size);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if ((data[0] & 3) == 2) {
        fuzz_split(data + 1, size - 1);
        return 0;
    }
    size_t bsize = 0;
    uint8_t *b;
    if (data[0] & 1) {
        b = fuzz_build(data + 1, size - 1, &bsize);
    } else {
        bsize = size - 1;
        b = malloc(bsize ? bsize : 1);
        FUZZ_CHECK(b, "out of memory");
        memcpy(b, data + 1, bsize);
        if (bsize >= WPK_HEADER_SIZE)
            fuzz_fix_hash(b, bsize);
    }
    if (b)
        fuzz_bundle(b, bsize);
    free(b);
    return 0;
}
