/* Bundle reading and writing (format: docs/BUNDLE.md).
 *
 * Entries are stored whole, in order, in blocks: each block is one zstd
 * frame of about WPK_BLOCK_TARGET bytes of content, so small files share a
 * compression history (as in a solid archive) while reading one entry
 * inflates one block, not the bundle.  A module gets a block of its own, so
 * starting a program inflates only its module.  Everything a reader trusts
 * is covered by a hash: the header and index by the header's, the data
 * region by the index's, each entry by its own. */
#include "bundle.h"
#include "sha256.h"

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
#define BLOCK_RECORD 24   /* offset, csize, usize */
#define ENTRY_MIN 57      /* empty path, kind, block, offset, size, hash */

struct wpk_priv {
    void *map;                /* mmap of the file, or NULL */
    size_t map_size;
    char *strings;            /* index strings, NUL-terminated copies */
    wpk_block *blocks;
    wpk_entry *entries;
    const char **lists;       /* args, env, features */
    wpk_mount *mounts;
    ZSTD_DCtx *dctx;
    uint8_t data_sha256[32];  /* of the whole data region */
    int64_t cached;           /* block held in `cache`, or -1 */
    uint8_t *cache;
};

static int bfail(wasm_error *err, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bfail(wasm_error *err, uint64_t offset, const char *fmt, ...)
{
    if (err) {
        memset(err, 0, sizeof *err);
        err->kind = WASM_ERR_MALFORMED;
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
    wasm_error *err;
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

static const char *take_str(cursor *c)
{
    uint64_t at = cur_off(c);
    uint64_t n = take(c, 4);
    if (c->failed)
        return "";
    if (n > MAX_PATH_LEN || (uint64_t)(c->end - c->p) < n) {
        c->failed = true;
        bfail(c->err, at, "string length %llu out of bounds", (unsigned long long)n);
        return "";
    }
    if (memchr(c->p, 0, n)) {
        c->failed = true;
        bfail(c->err, at, "string contains a NUL byte");
        return "";
    }
    char *s = c->strings;
    memcpy(s, c->p, n);
    s[n] = 0;
    c->strings += n + 1;
    c->p += n;
    return s;
}

/* A count of items that each take at least `min` bytes of what is left. */
static uint32_t take_count(cursor *c, size_t min)
{
    uint64_t at = cur_off(c);
    uint64_t n = take(c, 4);
    if (!c->failed && n > (uint64_t)(c->end - c->p) / min) {
        c->failed = true;
        bfail(c->err, at, "count %llu larger than the index", (unsigned long long)n);
        return 0;
    }
    return (uint32_t)n;
}

static const char **take_list(cursor *c, const char ***pool, uint32_t *n)
{
    *n = take_count(c, 4);
    const char **list = *pool;
    for (uint32_t i = 0; i < *n && !c->failed; i++)
        list[i] = take_str(c);
    *pool += *n;
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
    const char **pool = pv->lists;
    m->name = take_str(c);
    m->version = take_str(c);
    m->entry = take_str(c);
    m->args = take_list(c, &pool, &m->nargs);
    m->env = take_list(c, &pool, &m->nenv);
    m->nmounts = take_count(c, 8);
    for (uint32_t i = 0; i < m->nmounts && !c->failed; i++) {
        uint64_t at = cur_off(c);
        pv->mounts[i].prefix = take_str(c);
        pv->mounts[i].guest = take_str(c);
        if (!c->failed && pv->mounts[i].prefix[0] && !wpk_path_ok(pv->mounts[i].prefix))
            return bfail(c->err, at, "mount %u: unsafe bundle path '%s'", i, pv->mounts[i].prefix);
    }
    m->mounts = pv->mounts;
    m->features = take_list(c, &pool, &m->nfeatures);
    m->created = take(c, 8);
    take_bytes(c, pv->data_sha256, 32);
    return c->failed ? -1 : 0;
}

/* Blocks must tile the data region in order: no gap or overlap where a
 * changed byte could hide. */
static int parse_blocks(wpk_bundle *b, cursor *c, uint64_t index_off)
{
    b->nblocks = take_count(c, BLOCK_RECORD);
    if (c->failed)
        return -1;
    b->priv->blocks = calloc(b->nblocks ? b->nblocks : 1, sizeof *b->priv->blocks);
    if (!b->priv->blocks)
        return bfail(c->err, cur_off(c), "out of memory reading the index");
    uint64_t at = WPK_HEADER_SIZE;
    for (uint32_t i = 0; i < b->nblocks && !c->failed; i++) {
        wpk_block *k = &b->priv->blocks[i];
        uint64_t rec = cur_off(c);
        k->offset = take(c, 8);
        k->csize = take(c, 8);
        k->usize = take(c, 8);
        if (c->failed)
            break;
        if (k->offset != at || k->csize > index_off - at)
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

/* Entries must tile their blocks' contents in order, as written. */
static int parse_entries(wpk_bundle *b, cursor *c)
{
    b->nentries = take_count(c, ENTRY_MIN);
    if (c->failed)
        return -1;
    wpk_entry *es = b->priv->entries = calloc(b->nentries ? b->nentries : 1, sizeof *es);
    if (!es)
        return bfail(c->err, cur_off(c), "out of memory reading the index");
    uint32_t block = 0;
    uint64_t next = 0;
    for (uint32_t i = 0; i < b->nentries && !c->failed; i++) {
        wpk_entry *e = &es[i];
        uint64_t at = cur_off(c);
        e->path = take_str(c);
        e->kind = (uint8_t)take(c, 1);
        e->block = (uint32_t)take(c, 4);
        e->offset = take(c, 8);
        e->size = take(c, 8);
        take_bytes(c, e->sha256, 32);
        if (c->failed)
            break;
        if (!wpk_path_ok(e->path))
            return bfail(c->err, at, "entry %u: unsafe path '%s'", i, e->path);
        if (e->kind > WPK_ASSET)
            return bfail(c->err, at, "entry %u: unknown kind %u", i, e->kind);
        if (e->block == block + 1 && next == b->blocks[block].usize) {
            block++;
            next = 0;
        }
        if (e->block != block || block >= b->nblocks || e->offset != next ||
            e->size > b->blocks[block].usize - next)
            return bfail(c->err, at, "entry %u: outside its block", i);
        next += e->size;
        for (uint32_t k = 0; k < i; k++)
            if (strcmp(es[k].path, e->path) == 0)
                return bfail(c->err, at, "duplicate path '%s'", e->path);
    }
    if (c->failed)
        return -1;
    if (b->nblocks && (block != b->nblocks - 1 || next != b->blocks[block].usize))
        return bfail(c->err, cur_off(c), "blocks hold bytes no entry owns");
    b->entries = es;
    return 0;
}

static int parse_index(wpk_bundle *b, const uint8_t *idx, uint64_t size, uint64_t base,
                       wasm_error *err)
{
    struct wpk_priv *pv = b->priv;
    /* Strings never need more room than the index itself (plus NULs). */
    pv->strings = malloc(size + size / 4 + 1);
    pv->lists = malloc((size / 4 + 1) * sizeof *pv->lists);
    pv->mounts = malloc((size / 8 + 1) * sizeof *pv->mounts);
    if (!pv->strings || !pv->lists || !pv->mounts)
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

/* The header's hash covers its own first 32 bytes and the index. */
static void seal_hash(const uint8_t *header, const uint8_t *index, size_t size, uint8_t out[32])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, header, 32);
    sha256_update(&c, index, size);
    sha256_final(&c, out);
}

static int parse_header(wpk_bundle *b, wasm_error *err)
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
    uint64_t off = get_le(d + 16, 8), size = get_le(d + 24, 8);
    if (off < WPK_HEADER_SIZE || off > b->size || size != b->size - off)
        return bfail(err, 16, "index does not end the file (truncated or corrupt)");
    if (size > MAX_INDEX_SIZE)
        return bfail(err, 24, "index too large");
    uint8_t h[32];
    seal_hash(d, d + off, size, h);
    if (memcmp(h, d + 32, 32) != 0)
        return bfail(err, 32, "index hash mismatch (corrupt bundle)");
    unsigned long long n = ZSTD_getFrameContentSize(d + off, size);
    if (n == ZSTD_CONTENTSIZE_ERROR || n == ZSTD_CONTENTSIZE_UNKNOWN || n > MAX_INDEX_SIZE ||
        ZSTD_findFrameCompressedSize(d + off, size) != size)
        return bfail(err, off, "index is not one zstd frame of a sane size");
    uint8_t *idx = malloc(n ? n : 1);
    if (!idx)
        return bfail(err, off, "out of memory reading the index");
    size_t r = ZSTD_decompressDCtx(b->priv->dctx, idx, n, d + off, size);
    int rc = ZSTD_isError(r) || r != n ? bfail(err, off, "index does not inflate")
                                       : parse_index(b, idx, n, off, err);
    free(idx);
    return rc;
}

static wpk_bundle *open_common(wpk_bundle *b, wasm_error *err)
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

wpk_bundle *wpk_open_memory(const uint8_t *data, size_t size, wasm_error *err)
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

wpk_bundle *wpk_open_file(const char *path, wasm_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        wasm_error_clear(err);
        if (err) {
            err->kind = WASM_ERR_IO;
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
        free(pv->blocks);
        free(pv->entries);
        free(pv->lists);
        free(pv->mounts);
        free(pv->cache);
        free(pv);
    }
    free(b);
}

const wpk_entry *wpk_find(const wpk_bundle *b, const char *path)
{
    for (uint32_t i = 0; i < b->nentries; i++)
        if (strcmp(b->entries[i].path, path) == 0)
            return &b->entries[i];
    return NULL;
}

/* Inflate block i into the cache: exactly usize bytes.  A frame that
 * claims or produces any other size is an error, so memory is bounded by
 * the declared size (a decompression bomb fails). */
static int inflate_block(wpk_bundle *b, uint32_t i, wasm_error *err)
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

int wpk_read(wpk_bundle *b, const wpk_entry *e, uint8_t **out, wasm_error *err)
{
    if (inflate_block(b, e->block, err) < 0)
        return -1;
    const uint8_t *p = b->priv->cache + e->offset;
    uint8_t h[32];
    sha256(p, e->size, h);
    if (memcmp(h, e->sha256, 32) != 0)
        return bfail(err, b->blocks[e->block].offset, "%s: hash mismatch (corrupt entry)", e->path);
    uint8_t *buf = malloc(e->size ? e->size : 1);
    if (!buf)
        return bfail(err, b->blocks[e->block].offset, "%s: out of memory", e->path);
    memcpy(buf, p, e->size);
    *out = buf;
    return 0;
}

int wpk_verify(wpk_bundle *b, wasm_error *err)
{
    /* Content hashes cannot see a change that leaves the inflated bytes as
     * they were (an unused bit of an entropy table); this one covers every
     * compressed byte. */
    uint8_t h[32];
    uint64_t index_off = get_le(b->data + 16, 8);
    sha256(b->data + WPK_HEADER_SIZE, index_off - WPK_HEADER_SIZE, h);
    if (memcmp(h, b->priv->data_sha256, 32) != 0)
        return bfail(err, WPK_HEADER_SIZE, "data region hash mismatch (corrupt bundle)");
    int bad = 0;
    wasm_error first = {0};
    for (uint32_t i = 0; i < b->nentries; i++) {
        uint8_t *data;
        wasm_error e;
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
    }
    free(w->files);
    free(w);
}

int wpk_writer_add(wpk_writer *w, const char *path, uint8_t kind, const uint8_t *data,
                   size_t len, wasm_error *err)
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
    w->n++;
    return 0;
}

typedef struct {
    uint8_t *data;
    size_t len, cap;
    bool oom;
} obuf;

static void ob_put(obuf *b, const void *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *d = realloc(b->data, cap);
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

static void ob_int(obuf *b, uint64_t v, int n)
{
    uint8_t tmp[8];
    put_le(tmp, v, n);
    ob_put(b, tmp, (size_t)n);
}

static void ob_str(obuf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    ob_int(b, n, 4);
    ob_put(b, s, n);
}

/* Modules first, then assets in the order added. */
static int cmp_kind(const void *a, const void *b)
{
    const pending *x = *(const pending *const *)a, *y = *(const pending *const *)b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Compress files[first, last) as one frame appended to out. */
static int compress_block(ZSTD_CCtx *cc, const wpk_writer *w, pending **files, size_t first,
                          size_t last, obuf *out, wpk_block *blk)
{
    size_t usize = 0;
    for (size_t i = first; i < last; i++)
        usize += files[i]->len;
    uint8_t *content = malloc(usize ? usize : 1);
    size_t bound = ZSTD_compressBound(usize);
    uint8_t *frame = malloc(bound);
    int rc = -1;
    if (content && frame) {
        size_t at = 0;
        for (size_t i = first; i < last; i++) {
            memcpy(content + at, files[i]->data, files[i]->len);
            at += files[i]->len;
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
            ob_put(out, frame, r);
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
    ob_int(ix, m->nargs, 4);
    for (uint32_t i = 0; i < m->nargs; i++)
        ob_str(ix, m->args[i]);
    ob_int(ix, m->nenv, 4);
    for (uint32_t i = 0; i < m->nenv; i++)
        ob_str(ix, m->env[i]);
    ob_int(ix, m->nmounts, 4);
    for (uint32_t i = 0; i < m->nmounts; i++) {
        ob_str(ix, m->mounts[i].prefix);
        ob_str(ix, m->mounts[i].guest);
    }
    ob_int(ix, m->nfeatures, 4);
    for (uint32_t i = 0; i < m->nfeatures; i++)
        ob_str(ix, m->features[i]);
    ob_int(ix, m->created, 8);
}

static int write_atomically(const char *path, const obuf *file, wasm_error *err)
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
    wasm_error_clear(err);
    if (err) {
        err->kind = WASM_ERR_IO;
        snprintf(err->message, sizeof err->message, "%s: cannot write: %s", path, strerror(e));
    }
    return -1;
}

int wpk_writer_finish(wpk_writer *w, const wpk_manifest *m, const char *path, wasm_error *err)
{
    pending **order = malloc((w->n + 1) * sizeof *order);
    wpk_block *blocks = malloc((w->n + 1) * sizeof *blocks);
    uint32_t *block_of = malloc((w->n + 1) * sizeof *block_of);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    obuf file = {0}, ix = {0};
    uint8_t header[WPK_HEADER_SIZE] = {0};
    ob_put(&file, header, sizeof header);
    int rc = order && blocks && block_of && cc ? 0 : bfail(err, 0, "out of memory");
    uint32_t nblocks = 0;
    for (size_t i = 0; i < w->n && rc == 0; i++)
        order[i] = &w->files[i];
    if (rc == 0)
        qsort(order, w->n, sizeof *order, cmp_kind);

    /* Cut blocks of about WPK_BLOCK_TARGET bytes; a larger file is a block
     * of its own. */
    for (size_t first = 0; first < w->n && rc == 0;) {
        size_t last = first + 1;
        uint64_t size = order[first]->len;
        while (last < w->n && size + order[last]->len <= WPK_BLOCK_TARGET) {
            size += order[last]->len;
            last++;
        }
        if (compress_block(cc, w, order, first, last, &file, &blocks[nblocks]) < 0)
            rc = bfail(err, 0, "%s: compression failed", order[first]->path);
        for (size_t i = first; i < last; i++)
            block_of[i] = nblocks;
        nblocks++;
        first = last;
    }

    write_manifest(&ix, m);
    uint8_t data_hash[32];
    sha256(file.data + WPK_HEADER_SIZE, file.oom ? 0 : file.len - WPK_HEADER_SIZE, data_hash);
    ob_put(&ix, data_hash, 32);
    ob_int(&ix, nblocks, 4);
    for (uint32_t i = 0; i < nblocks && rc == 0; i++) {
        ob_int(&ix, blocks[i].offset, 8);
        ob_int(&ix, blocks[i].csize, 8);
        ob_int(&ix, blocks[i].usize, 8);
    }
    ob_int(&ix, w->n, 4);
    uint64_t at = 0;
    for (size_t i = 0; i < w->n && rc == 0; i++) {
        if (i && block_of[i] != block_of[i - 1])
            at = 0;
        uint8_t h[32];
        sha256(order[i]->data, order[i]->len, h);
        ob_str(&ix, order[i]->path);
        ob_int(&ix, order[i]->kind, 1);
        ob_int(&ix, block_of[i], 4);
        ob_int(&ix, at, 8);
        ob_int(&ix, order[i]->len, 8);
        ob_put(&ix, h, 32);
        at += order[i]->len;
    }
    if (rc == 0 && (file.oom || ix.oom))
        rc = bfail(err, 0, "out of memory");
    uint8_t *zix = NULL;
    size_t nzix = 0;
    if (rc == 0) {
        size_t bound = ZSTD_compressBound(ix.len);
        zix = malloc(bound);
        nzix = zix ? ZSTD_compress(zix, bound, ix.data, ix.len, w->level) : 0;
        if (!zix || ZSTD_isError(nzix))
            rc = bfail(err, 0, "cannot compress the index");
    }
    if (rc == 0) {
        uint8_t *hd = file.data;
        memcpy(hd, WPK_MAGIC, 8);
        put_le(hd + 8, WPK_VERSION_MAJOR, 2);
        put_le(hd + 10, WPK_VERSION_MINOR, 2);
        put_le(hd + 16, file.len, 8);
        put_le(hd + 24, nzix, 8);
        seal_hash(hd, zix, nzix, hd + 32);
        ob_put(&file, zix, nzix);
        rc = file.oom ? bfail(err, 0, "out of memory") : write_atomically(path, &file, err);
    }
    free(zix);
    free(file.data);
    free(ix.data);
    free(order);
    free(blocks);
    free(block_of);
    ZSTD_freeCCtx(cc);
    return rc;
}
