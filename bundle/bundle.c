/* Bundle reading and writing (format: docs/BUNDLE.md).
 *
 * Entries are stored whole, in path order, in blocks: each block is one
 * zstd frame of about WPK_BLOCK_TARGET bytes of content, so small files
 * share a compression history (as in a solid archive) while reading one
 * entry inflates one block, not the bundle.  Modules are stored with their
 * code regrouped by kind (wasmsplit.h), which compresses better.  What a
 * reader trusts is checked: the index by its frame checksum and by parsing,
 * each entry by its SHA-256, and every byte of the file by the header's
 * SHA-256 (wpk_verify). */
#include "bundle.h"
#include "sha256.h"
#include "wasmsplit.h"
#include "libwasm-tools.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#define MAX_INDEX_SIZE ((uint64_t)64 << 20)
#define MAX_PATH_LEN 4096
#define WINDOW_LOG_MAX 27 /* --long uses 2^27; readers accept no more */
#define BLOCK_MIN 2       /* csize, usize: one byte each at least */
#define ENTRY_MIN 36      /* shared, suffix length, flags, size; hash */
#define HASHED_HEAD 24    /* header bytes the file hash covers */

struct wpk_priv {
    void *map;                /* mmap of the file, or NULL */
    size_t map_size;
    char *strings;            /* index strings, NUL-terminated copies */
    wpk_block *blocks;
    wpk_entry *entries;
    const char **lists[3];    /* args, env, features */
    wpk_mount *mounts;
    ZSTD_DCtx *dctx;
    char *paths;              /* entry paths, NUL-terminated, back to back */
    int64_t cached;           /* block held in `cache`, or -1 */
    uint8_t *cache;
};

static int bfail(lw_error *err, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bfail(lw_error *err, uint64_t offset, const char *fmt, ...)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->kind = LW_ERR_MALFORMED;
        err->has_offset = true;
        err->offset = offset;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static uint64_t get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

bool wpk_is_bundle(const uint8_t *data, size_t size)
{
    return size >= 8 && memcmp(data, WPK_MAGIC, 8) == 0;
}

bool wpk_path_ok(const char *path)
{
    size_t n = strlen(path);
    if (n == 0 || n > MAX_PATH_LEN || path[0] == '/')
        return false;
    const char *c = path;
    for (;;) {
        const char *slash = strchr(c, '/');
        size_t len = slash ? (size_t)(slash - c) : strlen(c);
        if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
            return false;
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)c[i] < 0x20 || c[i] == 0x7f || c[i] == '\\')
                return false;
        if (!slash)
            return true;
        c = slash + 1;
    }
}

typedef struct {
    const uint8_t *p, *end;
    uint64_t base;            /* file offset of the index start */
    const uint8_t *start;
    char *strings;            /* output area for strings */
    lw_error *err;
    bool failed;
} cursor;

static uint64_t cur_off(const cursor *c)
{
    return c->base + (uint64_t)(c->p - c->start);
}

static uint64_t take(cursor *c, int n)
{
    if (c->failed)
        return 0;
    if (c->end - c->p < n) {
        c->failed = true;
        bfail(c->err, cur_off(c), "index truncated");
        return 0;
    }
    uint64_t v = get_le(c->p, n);
    c->p += n;
    return v;
}

/* An unsigned LEB128 number of at most 64 bits. */
static uint64_t take_uv(cursor *c)
{
    if (c->failed)
        return 0;
    uint64_t at = cur_off(c), v;
    int rc = lw_leb_read_u64(&c->p, c->end, &v);
    if (rc == LW_LEB_OK)
        return v;
    c->failed = true;
    bfail(c->err, at, rc == LW_LEB_END ? "index truncated" : "number too large");
    return 0;
}

/* A length-prefixed string of at most MAX_PATH_LEN bytes without NULs;
 * *len gets its length.  The bytes are not copied. */
static const uint8_t *take_raw_str(cursor *c, size_t *len)
{
    uint64_t at = cur_off(c);
    uint64_t n = take_uv(c);
    *len = 0;
    if (c->failed)
        return NULL;
    if (n > MAX_PATH_LEN || (uint64_t)(c->end - c->p) < n) {
        c->failed = true;
        bfail(c->err, at, "string length %llu out of bounds", (unsigned long long)n);
        return NULL;
    }
    if (memchr(c->p, 0, n)) {
        c->failed = true;
        bfail(c->err, at, "string contains a NUL byte");
        return NULL;
    }
    const uint8_t *s = c->p;
    c->p += n;
    *len = n;
    return s;
}

static const char *take_str(cursor *c)
{
    size_t n;
    const uint8_t *src = take_raw_str(c, &n);
    if (!src)
        return "";
    char *s = c->strings;
    memcpy(s, src, n);
    s[n] = 0;
    c->strings += n + 1;
    return s;
}

/* A count of items that each take at least `min` bytes of what is left. */
static uint32_t take_count(cursor *c, size_t min)
{
    uint64_t at = cur_off(c);
    uint64_t n = take_uv(c);
    if (c->failed)
        return 0;
    if (n > (uint64_t)(c->end - c->p) / min) {
        c->failed = true;
        bfail(c->err, at, "count %llu larger than the index", (unsigned long long)n);
        return 0;
    }
    return (uint32_t)n;
}

/* A list of strings, malloc'ed into *slot (freed with the bundle). */
static const char **take_list(cursor *c, const char ***slot, uint32_t *n)
{
    *n = take_count(c, 1);
    const char **list = *slot = malloc((*n + 1) * sizeof *list);
    if (!list && !c->failed) {
        c->failed = true;
        bfail(c->err, cur_off(c), "out of memory reading the index");
    }
    for (uint32_t i = 0; i < *n && !c->failed; i++)
        list[i] = take_str(c);
    return list;
}



static void take_bytes(cursor *c, uint8_t *out, size_t n)
{
    if (c->failed)
        return;
    if ((size_t)(c->end - c->p) < n) {
        c->failed = true;
        bfail(c->err, cur_off(c), "index truncated");
        return;
    }
    memcpy(out, c->p, n);
    c->p += n;
}

static int parse_manifest(wpk_bundle *b, cursor *c)
{
    struct wpk_priv *pv = b->priv;
    wpk_manifest *m = &b->manifest;
    m->name = take_str(c);
    m->version = take_str(c);
    m->entry = take_str(c);
    m->args = take_list(c, &pv->lists[0], &m->nargs);
    m->env = take_list(c, &pv->lists[1], &m->nenv);
    m->nmounts = take_count(c, 2);
    pv->mounts = malloc((m->nmounts + 1) * sizeof *pv->mounts);
    if (!pv->mounts)
        return bfail(c->err, cur_off(c), "out of memory reading the index");
    for (uint32_t i = 0; i < m->nmounts && !c->failed; i++) {
        uint64_t at = cur_off(c);
        pv->mounts[i].prefix = take_str(c);
        pv->mounts[i].guest = take_str(c);
        if (!c->failed && pv->mounts[i].prefix[0] && !wpk_path_ok(pv->mounts[i].prefix))
            return bfail(c->err, at, "mount %u: unsafe bundle path '%s'", i, pv->mounts[i].prefix);
    }
    m->mounts = pv->mounts;
    m->features = take_list(c, &pv->lists[2], &m->nfeatures);
    m->created = take_uv(c);
    return c->failed ? -1 : 0;
}

/* Blocks must tile the data region in order: no gap or overlap where a
 * changed byte could hide. */
static int parse_blocks(wpk_bundle *b, cursor *c, uint64_t index_off)
{
    b->nblocks = take_count(c, BLOCK_MIN);
    if (c->failed)
        return -1;
    b->priv->blocks = calloc(b->nblocks ? b->nblocks : 1, sizeof *b->priv->blocks);
    if (!b->priv->blocks)
        return bfail(c->err, cur_off(c), "out of memory reading the index");
    uint64_t at = WPK_HEADER_SIZE;
    for (uint32_t i = 0; i < b->nblocks && !c->failed; i++) {
        wpk_block *k = &b->priv->blocks[i];
        uint64_t rec = cur_off(c);
        k->offset = at;
        k->csize = take_uv(c);
        k->usize = take_uv(c);
        if (c->failed)
            break;
        if (k->csize > index_off - at)
            return bfail(c->err, rec, "block %u: frame outside the data region", i);
        if (k->usize > WPK_MAX_BLOCK_SIZE)
            return bfail(c->err, rec, "block %u: declared size %llu too large", i,
                         (unsigned long long)k->usize);
        at += k->csize;
    }
    if (!c->failed && at != index_off)
        return bfail(c->err, at, "unaccounted bytes before the index");
    b->blocks = b->priv->blocks;
    return c->failed ? -1 : 0;
}

/* The entry's path: `shared` bytes of the previous path, then a suffix.
 * Paths go to pv->paths (grown as needed; *off gets where this one is). */
static int take_path(wpk_bundle *b, cursor *c, size_t *cap, size_t *used, size_t prev,
                     size_t prev_len, size_t *off)
{
    struct wpk_priv *pv = b->priv;
    uint64_t at = cur_off(c);
    uint64_t shared = take_uv(c);
    size_t n;
    const uint8_t *suffix = take_raw_str(c, &n);
    if (c->failed)
        return -1;
    if (shared > prev_len || shared + n > MAX_PATH_LEN)
        return bfail(c->err, at, "path prefix out of bounds");
    /* Front coding lets a small index spell long paths: bound the total. */
    size_t need = *used + shared + n + 1;
    if (need > MAX_INDEX_SIZE)
        return bfail(c->err, at, "paths too long");
    if (need > *cap) {
        size_t ncap = *cap ? *cap : 4096;
        while (ncap < need)
            ncap *= 2;
        char *q = realloc(pv->paths, ncap);
        if (!q)
            return bfail(c->err, at, "out of memory reading the index");
        pv->paths = q;
        *cap = ncap;
    }
    char *dst = pv->paths + *used;
    memmove(dst, pv->paths + prev, shared);
    memcpy(dst + shared, suffix, n);
    dst[shared + n] = 0;
    *off = *used;
    *used = need;
    return 0;
}

/* Entries come in strictly increasing path order (so no duplicates) and
 * tile their blocks' contents in that order: each starts where the one
 * before it ended, a non-empty one moving to the next block when its
 * block is full. */
static int parse_entries(wpk_bundle *b, cursor *c)
{
    b->nentries = take_count(c, ENTRY_MIN);
    if (c->failed)
        return -1;
    wpk_entry *es = b->priv->entries = calloc(b->nentries ? b->nentries : 1, sizeof *es);
    size_t *offs = malloc((b->nentries ? b->nentries : 1) * sizeof *offs);
    if (!es || !offs) {
        free(offs);
        return bfail(c->err, cur_off(c), "out of memory reading the index");
    }
    size_t cap = 0, used = 0, prev_len = 0;
    uint32_t block = 0;
    uint64_t next = 0;
    int rc = 0;
    for (uint32_t i = 0; i < b->nentries && rc == 0; i++) {
        wpk_entry *e = &es[i];
        uint64_t at = cur_off(c);
        if (take_path(b, c, &cap, &used, i ? offs[i - 1] : 0, prev_len, &offs[i]) < 0) {
            rc = -1;
            break;
        }
        const char *path = b->priv->paths + offs[i];
        prev_len = strlen(path);
        uint8_t flags = (uint8_t)take(c, 1);
        e->kind = flags & 1;
        e->filter = flags >> 1;
        e->size = take_uv(c);
        e->stored = e->filter ? take_uv(c) : e->size;
        if (c->failed)
            rc = -1;
        else if (!wpk_path_ok(path))
            rc = bfail(c->err, at, "entry %u: unsafe path '%s'", i, path);
        else if (i && strcmp(b->priv->paths + offs[i - 1], path) >= 0)
            rc = bfail(c->err, at, "entry %u: '%s' out of order (or a duplicate)", i, path);
        else if (e->filter > WPK_WASM_SPLIT)
            rc = bfail(c->err, at, "entry %u: unknown flags 0x%x", i, flags);
        else if (e->size > WPK_MAX_BLOCK_SIZE)
            rc = bfail(c->err, at, "entry %u: declared size too large", i);
        if (rc)
            break;
        while (e->stored && block + 1 < b->nblocks && next == b->blocks[block].usize) {
            block++;
            next = 0;
        }
        if (block >= b->nblocks || e->stored > b->blocks[block].usize - next)
            rc = bfail(c->err, at, "entry %u: outside its block", i);
        e->block = block;
        e->offset = next;
        next += e->stored;
    }
    if (rc == 0 && b->nblocks &&
        (block != b->nblocks - 1 || next != b->blocks[block].usize))
        rc = bfail(c->err, cur_off(c), "blocks hold bytes no entry owns");
    /* The hashes follow the records, in the same order. */
    for (uint32_t i = 0; i < b->nentries && rc == 0; i++) {
        take_bytes(c, es[i].sha256, 32);
        rc = c->failed ? -1 : 0;
    }
    for (uint32_t i = 0; i < b->nentries && rc == 0; i++)
        es[i].path = b->priv->paths + offs[i];
    free(offs);
    if (rc == 0)
        b->entries = es;
    return rc;
}

static int parse_index(wpk_bundle *b, const uint8_t *idx, uint64_t size, uint64_t base,
                       lw_error *err)
{
    struct wpk_priv *pv = b->priv;
    /* A string takes its length byte and its bytes in the index: room
     * bounded by the index's own size. */
    pv->strings = malloc(size + 1);
    if (!pv->strings)
        return bfail(err, base, "out of memory reading the index");
    cursor c = {idx, idx + size, base, idx, pv->strings, err, false};
    if (parse_manifest(b, &c) < 0 || parse_blocks(b, &c, base) < 0 || parse_entries(b, &c) < 0)
        return -1;
    if (c.p != c.end)
        return bfail(err, cur_off(&c), "junk after the index");
    const wpk_entry *e = wpk_find(b, b->manifest.entry);
    if (!e || e->kind != WPK_MODULE)
        return bfail(err, base, "entry module '%s' is not in the bundle", b->manifest.entry);
    return 0;
}

/* The file hash: the header's first HASHED_HEAD bytes, then everything
 * after the header (data region and index). */
static void file_hash(const uint8_t *d, size_t size, uint8_t out[32])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, d, HASHED_HEAD);
    sha256_update(&c, d + WPK_HEADER_SIZE, size - WPK_HEADER_SIZE);
    sha256_final(&c, out);
}

/* The index frame must declare its size and carry a checksum (which
 * ZSTD_decompressDCtx then checks): a damaged index fails here. */
static int check_index_frame(const uint8_t *p, uint64_t size, uint64_t off, lw_error *err)
{
    /* The frame header descriptor (after the 4-byte magic) has the
     * checksum flag in bit 2. */
    unsigned long long n = ZSTD_getFrameContentSize(p, size);
    if (size < 5 || get_le(p, 4) != ZSTD_MAGICNUMBER || !(p[4] & 4) ||
        n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN || n > MAX_INDEX_SIZE ||
        ZSTD_findFrameCompressedSize(p, size) != size)
        return bfail(err, off, "index is not one checksummed zstd frame of a sane size");
    return 0;
}

static int parse_header(wpk_bundle *b, lw_error *err)
{
    const uint8_t *d = b->data;
    if (b->size < 8 || memcmp(d, WPK_MAGIC, 8) != 0)
        return bfail(err, 0, "not a bundle (bad magic)");
    if (b->size < WPK_HEADER_SIZE)
        return bfail(err, b->size, "truncated header");
    unsigned major = (unsigned)get_le(d + 8, 2), minor = (unsigned)get_le(d + 10, 2);
    if (major != WPK_VERSION_MAJOR)
        return bfail(err, 8, "unsupported bundle version %u.%u (this reader: %u.x)", major,
                     minor, WPK_VERSION_MAJOR);
    if (get_le(d + 12, 4) != 0)
        return bfail(err, 12, "unknown flags 0x%llx", (unsigned long long)get_le(d + 12, 4));
    uint64_t off = get_le(d + 16, 8);
    if (off < WPK_HEADER_SIZE || off >= b->size)
        return bfail(err, 16, "index offset out of bounds (truncated or corrupt)");
    uint64_t size = b->size - off;
    if (check_index_frame(d + off, size, off, err) < 0)
        return -1;
    unsigned long long n = ZSTD_getFrameContentSize(d + off, size);
    uint8_t *idx = malloc(n ? n : 1);
    if (!idx)
        return bfail(err, off, "out of memory reading the index");
    size_t r = ZSTD_decompressDCtx(b->priv->dctx, idx, n, d + off, size);
    int rc = ZSTD_isError(r) || r != n ? bfail(err, off, "index does not inflate (corrupt)")
                                       : parse_index(b, idx, n, off, err);
    free(idx);
    return rc;
}

static wpk_bundle *open_common(wpk_bundle *b, lw_error *err)
{
    b->priv->cached = -1;
    b->priv->dctx = ZSTD_createDCtx();
    if (!b->priv->dctx ||
        ZSTD_isError(ZSTD_DCtx_setParameter(b->priv->dctx, ZSTD_d_windowLogMax, WINDOW_LOG_MAX))) {
        bfail(err, 0, "cannot create a zstd context");
        wpk_close(b);
        return NULL;
    }
    if (parse_header(b, err) < 0) {
        wpk_close(b);
        return NULL;
    }
    return b;
}

static wpk_bundle *bundle_alloc(void)
{
    wpk_bundle *b = calloc(1, sizeof *b);
    if (b && !(b->priv = calloc(1, sizeof *b->priv))) {
        free(b);
        b = NULL;
    }
    return b;
}

wpk_bundle *wpk_open_memory(const uint8_t *data, size_t size, lw_error *err)
{
    wpk_bundle *b = bundle_alloc();
    if (!b) {
        bfail(err, 0, "out of memory");
        return NULL;
    }
    b->data = data;
    b->size = size;
    return open_common(b, err);
}

wpk_bundle *wpk_open_file(const char *path, lw_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        lw_error_clear(err);
        if (err) {
            err->kind = LW_ERR_IO;
            snprintf(err->message, sizeof err->message, "cannot open: %s", strerror(errno));
        }
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    wpk_bundle *b = bundle_alloc();
    if (!b) {
        close(fd);
        bfail(err, 0, "out of memory");
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    if (size) {
        void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            close(fd);
            wpk_close(b);
            bfail(err, 0, "cannot map the file: %s", strerror(errno));
            return NULL;
        }
        b->priv->map = map;
        b->priv->map_size = size;
        b->data = map;
    }
    close(fd);
    b->size = size;
    return open_common(b, err);
}

void wpk_close(wpk_bundle *b)
{
    if (!b)
        return;
    struct wpk_priv *pv = b->priv;
    if (pv) {
        if (pv->map)
            munmap(pv->map, pv->map_size);
        ZSTD_freeDCtx(pv->dctx);
        free(pv->strings);
        free(pv->paths);
        free(pv->blocks);
        free(pv->entries);
        for (int i = 0; i < 3; i++)
            free(pv->lists[i]);
        free(pv->mounts);
        free(pv->cache);
        free(pv);
    }
    free(b);
}

/* Entries are sorted by path (checked on open). */
const wpk_entry *wpk_find(const wpk_bundle *b, const char *path)
{
    uint32_t lo = 0, hi = b->nentries;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(b->entries[mid].path, path);
        if (c == 0)
            return &b->entries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Inflate block i into the cache: exactly usize bytes.  A frame that
 * claims or produces any other size is an error, so memory is bounded by
 * the declared size (a decompression bomb fails). */
static int inflate_block(wpk_bundle *b, uint32_t i, lw_error *err)
{
    struct wpk_priv *pv = b->priv;
    if (pv->cached == (int64_t)i)
        return 0;
    const wpk_block *k = &b->blocks[i];
    const uint8_t *src = b->data + k->offset;
    unsigned long long claimed = ZSTD_getFrameContentSize(src, k->csize);
    if (claimed == ZSTD_CONTENTSIZE_ERROR || ZSTD_findFrameCompressedSize(src, k->csize) != k->csize)
        return bfail(err, k->offset, "block %u: not a single zstd frame", i);
    if (claimed != k->usize)
        return bfail(err, k->offset, "block %u: frame size %llu does not match the index (%llu)",
                     i, claimed, (unsigned long long)k->usize);
    free(pv->cache);
    pv->cached = -1;
    pv->cache = malloc(k->usize ? k->usize : 1);
    if (!pv->cache)
        return bfail(err, k->offset, "block %u: out of memory for %llu bytes", i,
                     (unsigned long long)k->usize);
    ZSTD_DCtx_reset(pv->dctx, ZSTD_reset_session_only);
    size_t r = ZSTD_decompressDCtx(pv->dctx, pv->cache, k->usize, src, k->csize);
    if (ZSTD_isError(r))
        return bfail(err, k->offset, "block %u: %s", i, ZSTD_getErrorName(r));
    if (r != k->usize)
        return bfail(err, k->offset, "block %u: inflated to %zu bytes, index says %llu", i, r,
                     (unsigned long long)k->usize);
    pv->cached = i;
    return 0;
}

int wpk_read(wpk_bundle *b, const wpk_entry *e, uint8_t **out, lw_error *err)
{
    if (inflate_block(b, e->block, err) < 0)
        return -1;
    const uint8_t *p = b->priv->cache + e->offset;
    uint64_t at = b->blocks[e->block].offset;
    uint8_t *buf = malloc(e->size ? e->size : 1);
    if (!buf)
        return bfail(err, at, "%s: out of memory", e->path);
    if (e->filter == WPK_WASM_SPLIT) {
        if (wsplit_decode(p, e->stored, buf, e->size) < 0) {
            free(buf);
            return bfail(err, at, "%s: stored module does not unpack (corrupt entry)", e->path);
        }
    } else {
        memcpy(buf, p, e->size);
    }
    uint8_t h[32];
    sha256(buf, e->size, h);
    if (memcmp(h, e->sha256, 32) != 0) {
        free(buf);
        return bfail(err, at, "%s: hash mismatch (corrupt entry)", e->path);
    }
    *out = buf;
    return 0;
}

int wpk_verify(wpk_bundle *b, lw_error *err)
{
    /* Content hashes cannot see a change that leaves the inflated bytes as
     * they were (an unused bit of an entropy table); this one covers every
     * compressed byte. */
    uint8_t h[32];
    file_hash(b->data, b->size, h);
    if (memcmp(h, b->data + HASHED_HEAD, 32) != 0)
        return bfail(err, HASHED_HEAD, "file hash mismatch (corrupt bundle)");
    int bad = 0;
    lw_error first = {0};
    for (uint32_t i = 0; i < b->nentries; i++) {
        uint8_t *data;
        lw_error e;
        if (wpk_read(b, &b->entries[i], &data, &e) < 0) {
            if (!bad++)
                first = e;
            continue;
        }
        free(data);
    }
    if (bad && err)
        *err = first;
    return bad;
}

/* ---- writing ------------------------------------------------------- */

typedef struct {
    char *path;
    uint8_t kind;
    uint8_t *data;
    size_t len;
    uint8_t filter;           /* wpk_filter of the stored form */
    const uint8_t *stored;    /* data, or split */
    size_t stored_len;
    uint8_t *split;           /* owned transformed bytes, or NULL */
} pending;

struct wpk_writer {
    int level;
    bool long_mode;
    pending *files;
    size_t n, cap;
};

wpk_writer *wpk_writer_new(int level, bool long_mode)
{
    wpk_writer *w = calloc(1, sizeof *w);
    if (w) {
        w->level = level;
        w->long_mode = long_mode;
    }
    return w;
}

void wpk_writer_free(wpk_writer *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++) {
        free(w->files[i].path);
        free(w->files[i].data);
        free(w->files[i].split);
    }
    free(w->files);
    free(w);
}

int wpk_writer_add(wpk_writer *w, const char *path, uint8_t kind, const uint8_t *data,
                   size_t len, lw_error *err)
{
    if (!wpk_path_ok(path))
        return bfail(err, 0, "unsafe bundle path '%s'", path);
    if ((uint64_t)len > WPK_MAX_BLOCK_SIZE)
        return bfail(err, 0, "%s: too large for a bundle", path);
    for (size_t i = 0; i < w->n; i++)
        if (strcmp(w->files[i].path, path) == 0)
            return bfail(err, 0, "duplicate bundle path '%s'", path);
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 16;
        pending *f = realloc(w->files, cap * sizeof *f);
        if (!f)
            return bfail(err, 0, "out of memory");
        w->files = f;
        w->cap = cap;
    }
    pending *p = &w->files[w->n];
    p->path = strdup(path);
    p->data = malloc(len ? len : 1);
    if (!p->path || !p->data) {
        free(p->path);
        free(p->data);
        return bfail(err, 0, "out of memory");
    }
    memcpy(p->data, data, len);
    p->len = len;
    p->kind = kind;
    p->split = NULL;
    w->n++;
    return 0;
}

/* The file and its index are built in memory.  A failed allocation is
 * remembered, and the writer reports it once at the end. */
typedef struct {
    uint8_t *data;
    size_t len, cap;
    bool oom;
} obuf;

static void ob_bytes(obuf *b, const void *p, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < n && cap <= SIZE_MAX / 2)
            cap *= 2;
        uint8_t *d = cap - b->len >= n ? realloc(b->data, cap) : NULL;
        if (!d) {
            b->oom = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void ob_byte(obuf *b, uint8_t v)
{
    ob_bytes(b, &v, 1);
}

static void ob_uv(obuf *b, uint64_t v)
{
    uint8_t leb[LW_LEB_MAX];
    ob_bytes(b, leb, lw_leb_write_u64(leb, v));
}

/* A length-prefixed string. */
static void ob_str(obuf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    ob_uv(b, n);
    ob_bytes(b, s, n);
}

/* Path order: the order the index lists and a reader checks. */
static int cmp_path(const void *a, const void *b)
{
    const pending *x = *(const pending *const *)a, *y = *(const pending *const *)b;
    return strcmp(x->path, y->path);
}

/* A module's stored form: its code regrouped when that applies. */
static void choose_stored_form(pending *f)
{
    f->stored = f->data;
    f->stored_len = f->len;
    f->filter = WPK_STORED;
    if (f->len < 8 || memcmp(f->data, "\0asm", 4) != 0)
        return;
    size_t n;
    uint8_t *t = wsplit_encode(f->data, f->len, &n);
    if (t && (uint64_t)n <= WPK_MAX_BLOCK_SIZE) {
        f->split = t;
        f->stored = t;
        f->stored_len = n;
        f->filter = WPK_WASM_SPLIT;
    } else {
        free(t);
    }
}

/* Compress the stored forms of files[first, last) as one frame appended
 * to out. */
static int compress_block(ZSTD_CCtx *cc, const wpk_writer *w, pending **files, size_t first,
                          size_t last, obuf *out, wpk_block *blk)
{
    size_t usize = 0;
    for (size_t i = first; i < last; i++)
        usize += files[i]->stored_len;
    uint8_t *content = malloc(usize ? usize : 1);
    size_t bound = ZSTD_compressBound(usize);
    uint8_t *frame = malloc(bound);
    int rc = -1;
    if (content && frame) {
        size_t at = 0;
        for (size_t i = first; i < last; i++) {
            memcpy(content + at, files[i]->stored, files[i]->stored_len);
            at += files[i]->stored_len;
        }
        ZSTD_CCtx_reset(cc, ZSTD_reset_session_and_parameters);
        ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, w->level);
        ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 1);
        if (w->long_mode) {
            ZSTD_CCtx_setParameter(cc, ZSTD_c_enableLongDistanceMatching, 1);
            ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, WINDOW_LOG_MAX);
        }
        size_t r = ZSTD_compress2(cc, frame, bound, content, usize);
        if (!ZSTD_isError(r)) {
            blk->offset = out->len;
            blk->csize = r;
            blk->usize = usize;
            ob_bytes(out, frame, r);
            rc = 0;
        }
    }
    free(content);
    free(frame);
    return rc;
}

static void write_manifest(obuf *ix, const wpk_manifest *m)
{
    ob_str(ix, m->name);
    ob_str(ix, m->version);
    ob_str(ix, m->entry);
    ob_uv(ix, m->nargs);
    for (uint32_t i = 0; i < m->nargs; i++)
        ob_str(ix, m->args[i]);
    ob_uv(ix, m->nenv);
    for (uint32_t i = 0; i < m->nenv; i++)
        ob_str(ix, m->env[i]);
    ob_uv(ix, m->nmounts);
    for (uint32_t i = 0; i < m->nmounts; i++) {
        ob_str(ix, m->mounts[i].prefix);
        ob_str(ix, m->mounts[i].guest);
    }
    ob_uv(ix, m->nfeatures);
    for (uint32_t i = 0; i < m->nfeatures; i++)
        ob_str(ix, m->features[i]);
    ob_uv(ix, m->created);
}

/* Entries in path order, each path front-coded against the one before;
 * then their hashes, apart, so the records compress as text. */
static void write_entries(obuf *ix, pending **order, size_t n)
{
    ob_uv(ix, n);
    const char *prev = "";
    for (size_t i = 0; i < n; i++) {
        const pending *f = order[i];
        size_t shared = 0;
        while (prev[shared] && prev[shared] == f->path[shared])
            shared++;
        ob_uv(ix, shared);
        ob_str(ix, f->path + shared);
        ob_byte(ix, (uint8_t)(f->kind | f->filter << 1));
        ob_uv(ix, f->len);
        if (f->filter)
            ob_uv(ix, f->stored_len);
        prev = f->path;
    }
    for (size_t i = 0; i < n; i++) {
        uint8_t h[32];
        sha256(order[i]->data, order[i]->len, h);
        ob_bytes(ix, h, 32);
    }
}

static int write_atomically(const char *path, const obuf *file, lw_error *err)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return bfail(err, 0, "out of memory");
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    bool ok = fd >= 0;
    size_t done = 0;
    while (ok && done < file->len) {
        ssize_t r = write(fd, file->data + done, file->len - done);
        if (r < 0 && errno == EINTR)
            continue;
        ok = r > 0;
        done += ok ? (size_t)r : 0;
    }
    if (fd >= 0)
        ok = (close(fd) == 0) && ok;
    if (ok && rename(tmp, path) == 0) {
        free(tmp);
        return 0;
    }
    int e = errno;
    if (fd >= 0)
        unlink(tmp);
    free(tmp);
    lw_error_clear(err);
    if (err) {
        err->kind = LW_ERR_IO;
        snprintf(err->message, sizeof err->message, "%s: cannot write: %s", path, strerror(e));
    }
    return -1;
}

/* The index frame: declared size and a checksum, which readers require. */
static uint8_t *compress_index(ZSTD_CCtx *cc, int level, const obuf *ix, size_t *n)
{
    size_t bound = ZSTD_compressBound(ix->len);
    uint8_t *z = malloc(bound);
    ZSTD_CCtx_reset(cc, ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 1);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
    *n = z ? ZSTD_compress2(cc, z, bound, ix->data, ix->len) : 0;
    if (!z || ZSTD_isError(*n)) {
        free(z);
        return NULL;
    }
    return z;
}

int wpk_writer_finish(wpk_writer *w, const wpk_manifest *m, const char *path, lw_error *err)
{
    pending **order = malloc((w->n + 1) * sizeof *order);
    wpk_block *blocks = malloc((w->n + 1) * sizeof *blocks);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    obuf file = {0}, ix = {0};
    uint8_t header[WPK_HEADER_SIZE] = {0};
    ob_bytes(&file, header, sizeof header);
    int rc = order && blocks && cc ? 0 : bfail(err, 0, "out of memory");
    uint32_t nblocks = 0;
    for (size_t i = 0; i < w->n && rc == 0; i++) {
        order[i] = &w->files[i];
        choose_stored_form(order[i]);
    }
    if (rc == 0)
        qsort(order, w->n, sizeof *order, cmp_path);

    /* Cut blocks of about WPK_BLOCK_TARGET bytes; a larger file is a block
     * of its own.  An empty file never opens a block (readers place it at
     * the end of the one before). */
    for (size_t first = 0; first < w->n && rc == 0;) {
        size_t last = first + 1;
        uint64_t size = order[first]->stored_len;
        while (last < w->n && (size + order[last]->stored_len <= WPK_BLOCK_TARGET ||
                               order[last]->stored_len == 0)) {
            size += order[last]->stored_len;
            last++;
        }
        if (compress_block(cc, w, order, first, last, &file, &blocks[nblocks]) < 0)
            rc = bfail(err, 0, "%s: compression failed", order[first]->path);
        nblocks++;
        first = last;
    }

    write_manifest(&ix, m);
    ob_uv(&ix, nblocks);
    for (uint32_t i = 0; i < nblocks && rc == 0; i++) {
        ob_uv(&ix, blocks[i].csize);
        ob_uv(&ix, blocks[i].usize);
    }
    if (rc == 0)
        write_entries(&ix, order, w->n);
    if (rc == 0 && (file.oom || ix.oom))
        rc = bfail(err, 0, "out of memory");
    uint8_t *zix = NULL;
    size_t nzix = 0;
    if (rc == 0 && !(zix = compress_index(cc, w->level, &ix, &nzix)))
        rc = bfail(err, 0, "cannot compress the index");
    if (rc == 0) {
        uint8_t *hd = file.data;
        memcpy(hd, WPK_MAGIC, 8);
        put_le(hd + 8, WPK_VERSION_MAJOR, 2);
        put_le(hd + 10, WPK_VERSION_MINOR, 2);
        put_le(hd + 16, file.len, 8);
        ob_bytes(&file, zix, nzix);
        if (!file.oom)
            file_hash(file.data, file.len, file.data + HASHED_HEAD);
        rc = file.oom ? bfail(err, 0, "out of memory") : write_atomically(path, &file, err);
    }
    free(zix);
    free(file.data);
    free(ix.data);
    free(order);
    free(blocks);
    ZSTD_freeCCtx(cc);
    return rc;
}
