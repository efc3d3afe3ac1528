/* Bundle reading and writing (format: docs/BUNDLE.md).
 *
 * Every entry is its own zstd frame, so one file can be inflated without the
 * others; a shared dictionary (itself an entry) keeps many small assets as
 * small as one solid stream would be.  Everything a reader trusts is covered
 * by a hash: the index by the header's, each entry by its own. */
#include "bundle.h"
#include "sha256.h"

#define ZDICT_STATIC_LINKING_ONLY
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zdict.h>
#include <zstd.h>

#define MAX_INDEX_SIZE ((uint64_t)64 << 20)
#define MAX_PATH_LEN 4096
#define WINDOW_LOG_MAX 27 /* --long uses 2^27; readers accept no more */
#define NO_DICT 0xffffffffu
#define DICT_PATH "wpk.dictionary"

struct wpk_priv {
    void *map;                /* mmap of the file, or NULL */
    size_t map_size;
    char *strings;            /* index strings, NUL-terminated copies */
    wpk_entry *entries;
    const char **lists;       /* args, env, features */
    wpk_mount *mounts;
    ZSTD_DCtx *dctx;
    ZSTD_DDict *ddict;
    uint8_t data_sha256[32];  /* of the whole data region */
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

/* ---- reading the index ---------------------------------------------- */

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
    wpk_manifest *m = &b->manifest;
    const char **pool = pv->lists;
    m->name = take_str(&c);
    m->version = take_str(&c);
    m->entry = take_str(&c);
    m->args = take_list(&c, &pool, &m->nargs);
    m->env = take_list(&c, &pool, &m->nenv);
    m->nmounts = take_count(&c, 8);
    for (uint32_t i = 0; i < m->nmounts && !c.failed; i++) {
        pv->mounts[i].prefix = take_str(&c);
        pv->mounts[i].guest = take_str(&c);
        if (!c.failed && pv->mounts[i].prefix[0] && !wpk_path_ok(pv->mounts[i].prefix))
            return bfail(err, base, "mount %u: unsafe bundle path '%s'", i, pv->mounts[i].prefix);
    }
    m->mounts = pv->mounts;
    m->features = take_list(&c, &pool, &m->nfeatures);
    m->created = take(&c, 8);
    if (!c.failed && c.end - c.p >= 32) {
        memcpy(pv->data_sha256, c.p, 32);
        c.p += 32;
    } else if (!c.failed) {
        c.failed = true;
        bfail(err, cur_off(&c), "index truncated");
    }
    uint64_t dict = take(&c, 4);
    b->nentries = take_count(&c, 4 + 1 + 24 + 32);
    if (c.failed)
        return -1;
    pv->entries = calloc(b->nentries ? b->nentries : 1, sizeof *pv->entries);
    if (!pv->entries)
        return bfail(err, base, "out of memory reading the index");
    for (uint32_t i = 0; i < b->nentries && !c.failed; i++) {
        wpk_entry *e = &pv->entries[i];
        uint64_t at = cur_off(&c);
        e->path = take_str(&c);
        e->kind = (uint8_t)take(&c, 1);
        e->size = take(&c, 8);
        e->csize = take(&c, 8);
        e->offset = take(&c, 8);
        if (!c.failed && c.end - c.p >= 32) {
            memcpy(e->sha256, c.p, 32);
            c.p += 32;
        } else if (!c.failed) {
            c.failed = true;
            bfail(err, at, "index truncated");
        }
        if (c.failed)
            break;
        if (!wpk_path_ok(e->path))
            return bfail(err, at, "entry %u: unsafe path '%s'", i, e->path);
        if (e->kind > WPK_DICT)
            return bfail(err, at, "entry %u: unknown kind %u", i, e->kind);
        if (e->size > WPK_MAX_ENTRY_SIZE)
            return bfail(err, at, "entry %u: declared size %llu too large", i,
                         (unsigned long long)e->size);
        if (e->offset < WPK_HEADER_SIZE || e->csize > b->size || e->offset > b->size - e->csize ||
            e->offset + e->csize > base)
            return bfail(err, at, "entry %u: frame outside the data region", i);
        for (uint32_t k = 0; k < i; k++)
            if (strcmp(pv->entries[k].path, e->path) == 0)
                return bfail(err, at, "duplicate path '%s'", e->path);
    }
    if (c.failed)
        return -1;
    if (c.p != c.end)
        return bfail(err, cur_off(&c), "junk after the index");
    b->entries = pv->entries;
    b->dict = -1;
    if (dict != NO_DICT) {
        if (dict >= b->nentries || pv->entries[dict].kind != WPK_DICT)
            return bfail(err, base, "dictionary index %llu is not a dictionary entry",
                         (unsigned long long)dict);
        b->dict = (int64_t)dict;
    }
    if (!wpk_find(b, m->entry) || wpk_find(b, m->entry)->kind != WPK_MODULE)
        return bfail(err, base, "entry module '%s' is not in the bundle", m->entry);
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
    return parse_index(b, d + off, size, off, err);
}

static wpk_bundle *open_common(wpk_bundle *b, wasm_error *err)
{
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
        ZSTD_freeDDict(pv->ddict);
        free(pv->strings);
        free(pv->entries);
        free(pv->lists);
        free(pv->mounts);
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

/* Inflate into exactly e->size bytes: a frame that claims or produces any
 * other size is an error, so memory is bounded by the declared size. */
static int inflate(wpk_bundle *b, const wpk_entry *e, const ZSTD_DDict *dict, uint8_t *out,
                   wasm_error *err)
{
    const uint8_t *src = b->data + e->offset;
    unsigned long long claimed = ZSTD_getFrameContentSize(src, e->csize);
    if (claimed == ZSTD_CONTENTSIZE_ERROR || ZSTD_findFrameCompressedSize(src, e->csize) != e->csize)
        return bfail(err, e->offset, "%s: not a single zstd frame", e->path);
    if (claimed != e->size)
        return bfail(err, e->offset, "%s: frame size %llu does not match the index (%llu)",
                     e->path, claimed, (unsigned long long)e->size);
    ZSTD_DCtx_reset(b->priv->dctx, ZSTD_reset_session_only);
    size_t r = dict ? ZSTD_decompress_usingDDict(b->priv->dctx, out, e->size, src, e->csize, dict)
                    : ZSTD_decompressDCtx(b->priv->dctx, out, e->size, src, e->csize);
    if (ZSTD_isError(r))
        return bfail(err, e->offset, "%s: %s", e->path, ZSTD_getErrorName(r));
    if (r != e->size)
        return bfail(err, e->offset, "%s: inflated to %zu bytes, index says %llu", e->path, r,
                     (unsigned long long)e->size);
    uint8_t h[32];
    sha256(out, e->size, h);
    if (memcmp(h, e->sha256, 32) != 0)
        return bfail(err, e->offset, "%s: hash mismatch (corrupt entry)", e->path);
    return 0;
}

static int load_dict(wpk_bundle *b, wasm_error *err)
{
    if (b->dict < 0 || b->priv->ddict)
        return 0;
    const wpk_entry *d = &b->entries[b->dict];
    uint8_t *buf = malloc(d->size ? d->size : 1);
    if (!buf)
        return bfail(err, d->offset, "out of memory");
    int rc = inflate(b, d, NULL, buf, err);
    if (rc == 0 && !(b->priv->ddict = ZSTD_createDDict(buf, d->size)))
        rc = bfail(err, d->offset, "dictionary is not usable");
    free(buf);
    return rc;
}

int wpk_read(wpk_bundle *b, const wpk_entry *e, uint8_t **out, wasm_error *err)
{
    const uint8_t *src = b->data + e->offset;
    bool uses_dict = ZSTD_getDictID_fromFrame(src, e->csize) != 0;
    if (uses_dict && (b->dict < 0 || e->kind == WPK_DICT))
        return bfail(err, e->offset, "%s: frame needs a dictionary the bundle lacks", e->path);
    if (uses_dict && load_dict(b, err) < 0)
        return -1;
    uint8_t *buf = malloc(e->size ? e->size : 1);
    if (!buf)
        return bfail(err, e->offset, "%s: out of memory for %llu bytes", e->path,
                     (unsigned long long)e->size);
    if (inflate(b, e, uses_dict ? b->priv->ddict : NULL, buf, err) < 0) {
        free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

static int cmp_offset(const void *a, const void *b)
{
    const wpk_entry *x = *(const wpk_entry *const *)a, *y = *(const wpk_entry *const *)b;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

int wpk_verify(wpk_bundle *b, wasm_error *err)
{
    /* The frames must tile [header, index) exactly: no gap or overlap where
     * a flipped byte could hide. */
    const wpk_entry **order = malloc((b->nentries + 1) * sizeof *order);
    if (!order)
        return bfail(err, 0, "out of memory");
    for (uint32_t i = 0; i < b->nentries; i++)
        order[i] = &b->entries[i];
    qsort(order, b->nentries, sizeof *order, cmp_offset);
    uint64_t at = WPK_HEADER_SIZE, index_off = get_le(b->data + 16, 8);
    for (uint32_t i = 0; i < b->nentries; i++) {
        if (order[i]->offset != at) {
            free(order);
            return bfail(err, at, "frames do not tile the data region (gap or overlap)");
        }
        at += order[i]->csize;
    }
    free(order);
    if (at != index_off)
        return bfail(err, at, "unaccounted bytes before the index");
    /* Content hashes cannot see a flip that leaves the inflated bytes
     * unchanged; this one covers every compressed byte. */
    uint8_t h[32];
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
    if (strcmp(path, DICT_PATH) == 0)
        return bfail(err, 0, "'%s' is reserved for the bundle's dictionary", path);
    if ((uint64_t)len > WPK_MAX_ENTRY_SIZE)
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

/* A dictionary trained on the assets, when there are enough small ones to
 * gain from it.  Returns its size, 0 for none. */
static size_t train_dict(const wpk_writer *w, uint8_t *dict, size_t cap)
{
    size_t nsmall = 0, total = 0;
    for (size_t i = 0; i < w->n; i++)
        if (w->files[i].kind == WPK_ASSET && w->files[i].len < (64 << 10)) {
            nsmall++;
            total += w->files[i].len;
        }
    if (nsmall < 8 || total < 4096)
        return 0;
    uint8_t *samples = malloc(total);
    size_t *sizes = malloc(nsmall * sizeof *sizes);
    size_t got = 0;
    if (samples && sizes) {
        size_t k = 0, at = 0;
        for (size_t i = 0; i < w->n; i++)
            if (w->files[i].kind == WPK_ASSET && w->files[i].len < (64 << 10)) {
                memcpy(samples + at, w->files[i].data, w->files[i].len);
                sizes[k++] = w->files[i].len;
                at += w->files[i].len;
            }
        size_t want = total / 8 < cap ? total / 8 : cap;
        if (want < 1024)
            want = 1024;
        size_t r = ZDICT_trainFromBuffer(dict, want, samples, sizes, (unsigned)nsmall);
        if (!ZDICT_isError(r))
            got = r;
    }
    free(samples);
    free(sizes);
    return got;
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

/* Compress one file into out (as a frame), with or without the dictionary,
 * keeping the smaller. */
static int compress_one(ZSTD_CCtx *cc, const ZSTD_CDict *cdict, const wpk_writer *w,
                        const pending *f, obuf *out, size_t *csize)
{
    size_t bound = ZSTD_compressBound(f->len);
    uint8_t *a = malloc(bound), *b = cdict ? malloc(bound) : NULL;
    if (!a || (cdict && !b)) {
        free(a);
        free(b);
        return -1;
    }
    ZSTD_CCtx_reset(cc, ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, w->level);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 1);
    if (w->long_mode) {
        ZSTD_CCtx_setParameter(cc, ZSTD_c_enableLongDistanceMatching, 1);
        ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, WINDOW_LOG_MAX);
    }
    size_t ra = ZSTD_compress2(cc, a, bound, f->data, f->len);
    size_t rb = (size_t)-1;
    if (cdict && f->kind == WPK_ASSET && f->len < (1 << 20))
        rb = ZSTD_compress_usingCDict(cc, b, bound, f->data, f->len, cdict);
    int rc = 0;
    if (ZSTD_isError(ra)) {
        rc = -1;
    } else if (!ZSTD_isError(rb) && rb < ra) {
        ob_put(out, b, rb);
        *csize = rb;
    } else {
        ob_put(out, a, ra);
        *csize = ra;
    }
    free(a);
    free(b);
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
    uint8_t dict[112640];
    size_t ndict = train_dict(w, dict, sizeof dict);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    ZSTD_CDict *cdict = ndict ? ZSTD_createCDict(dict, ndict, w->level) : NULL;
    obuf file = {0}, ix = {0};
    uint8_t header[WPK_HEADER_SIZE] = {0};
    ob_put(&file, header, sizeof header);
    int rc = cc ? 0 : -1;

    obuf entries = {0};
    uint32_t nentries = (uint32_t)w->n + (ndict ? 1 : 0);
    for (size_t i = 0; i < nentries && rc == 0; i++) {
        pending dp = {DICT_PATH, WPK_DICT, dict, ndict};
        const pending *f = i < w->n ? &w->files[i] : &dp;
        uint64_t off = file.len;
        size_t csize = 0;
        if (compress_one(cc, f->kind == WPK_DICT ? NULL : cdict, w, f, &file, &csize) < 0) {
            rc = bfail(err, 0, "%s: compression failed", f->path);
            break;
        }
        uint8_t h[32];
        sha256(f->data, f->len, h);
        ob_str(&entries, f->path);
        ob_int(&entries, f->kind, 1);
        ob_int(&entries, f->len, 8);
        ob_int(&entries, csize, 8);
        ob_int(&entries, off, 8);
        ob_put(&entries, h, 32);
    }
    write_manifest(&ix, m);
    uint8_t data_hash[32];
    sha256(file.data + WPK_HEADER_SIZE, file.oom ? 0 : file.len - WPK_HEADER_SIZE, data_hash);
    ob_put(&ix, data_hash, 32);
    ob_int(&ix, ndict ? (uint64_t)w->n : NO_DICT, 4);
    ob_int(&ix, nentries, 4);
    ob_put(&ix, entries.data, entries.len);
    if (entries.oom)
        ix.oom = true;
    free(entries.data);
    if (rc == 0 && (file.oom || ix.oom))
        rc = bfail(err, 0, "out of memory");
    if (rc == 0) {
        uint8_t *hd = file.data;
        memcpy(hd, WPK_MAGIC, 8);
        put_le(hd + 8, WPK_VERSION_MAJOR, 2);
        put_le(hd + 10, WPK_VERSION_MINOR, 2);
        put_le(hd + 16, file.len, 8);
        put_le(hd + 24, ix.len, 8);
        seal_hash(hd, ix.data, ix.len, hd + 32);
        ob_put(&file, ix.data, ix.len);
        rc = file.oom ? bfail(err, 0, "out of memory") : write_atomically(path, &file, err);
    }
    free(file.data);
    free(ix.data);
    ZSTD_freeCDict(cdict);
    ZSTD_freeCCtx(cc);
    return rc;
}
