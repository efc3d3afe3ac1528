/* Small helpers shared by every stage: errors, arena, buffers, LEB128, UTF-8. */
#include "internal.h"

#include <sys/stat.h>

/* ---- errors -------------------------------------------------------- */

static const char *const errkind_names[] = {
    "ok", "malformed", "invalid", "unlinkable", "trap", "exhaustion",
    "exit", "limit", "io", "out of memory", "usage", "exception",
};

const char *lw_errkind_name(lw_errkind kind)
{
    return (unsigned)kind < COUNTOF(errkind_names) ? errkind_names[kind] : "?";
}

void lw_error_clear(lw_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

static int vfail(lw_error *err, lw_errkind kind, const char *fmt, va_list ap)
{
    if (err) {
        memset(err, 0, offsetof(lw_error, frames));
        err->kind = kind;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
    }
    return -1;
}

int wasm_fail(lw_error *err, lw_errkind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(err, kind, fmt, ap);
    va_end(ap);
    return -1;
}

int wasm_fail_at(lw_error *err, lw_errkind kind, uint64_t offset,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(err, kind, fmt, ap);
    va_end(ap);
    if (err) {
        err->has_offset = true;
        err->offset = offset;
    }
    return -1;
}

int wasm_fail_pos(lw_error *err, lw_errkind kind, uint32_t line,
                  uint32_t column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(err, kind, fmt, ap);
    va_end(ap);
    if (err) {
        err->line = line;
        err->column = column;
    }
    return -1;
}

void lw_error_format(const lw_error *err, char *buf, size_t size)
{
    if (err->has_offset)
        snprintf(buf, size, "0x%llx: %s", (unsigned long long)err->offset, err->message);
    else if (err->line)
        snprintf(buf, size, "%u:%u: %s", err->line, err->column, err->message);
    else
        snprintf(buf, size, "%s", err->message);
}

/* ---- arena --------------------------------------------------------- */

struct wasm_arena_block {
    wasm_arena_block *next;
    size_t pad; /* keeps data 16-byte aligned */
    _Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 65536

void wasm_arena_init(wasm_arena *a)
{
    memset(a, 0, sizeof *a);
}

void wasm_arena_free(wasm_arena *a)
{
    wasm_arena_block *b = a->head;
    while (b) {
        wasm_arena_block *next = b->next;
        free(b);
        b = next;
    }
    memset(a, 0, sizeof *a);
}

void *wasm_arena_alloc(wasm_arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    if (!a->head || a->cap - a->used < size) {
        size_t cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
        wasm_arena_block *b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        if (a->head && size > ARENA_BLOCK / 4) {
            /* A large block: keep filling the current one after it. */
            b->next = a->head->next;
            a->head->next = b;
            memset(b->data, 0, size);
            a->total += size;
            return b->data;
        }
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->cap = cap;
    }
    void *p = a->head->data + a->used;
    a->used += size;
    a->total += size;
    memset(p, 0, size);
    return p;
}

void *wasm_arena_array(wasm_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return wasm_arena_alloc(a, n * size);
}

void *wasm_arena_memdup(wasm_arena *a, const void *p, size_t n)
{
    void *q = wasm_arena_alloc(a, n);
    if (q && n)
        memcpy(q, p, n);
    return q;
}

char *wasm_arena_strndup(wasm_arena *a, const char *s, size_t n)
{
    char *q = wasm_arena_alloc(a, n + 1);
    if (q) {
        memcpy(q, s, n);
        q[n] = 0;
    }
    return q;
}

lw_module *wasm_module_new(lw_features features)
{
    lw_module *m = calloc(1, sizeof *m);
    struct lw_module_priv *priv = calloc(1, sizeof *priv);
    if (!m || !priv) {
        free(m);
        free(priv);
        return NULL;
    }
    wasm_arena_init(&priv->arena);
    m->priv = priv;
    m->features = features;
    return m;
}

void lw_module_free(lw_module *m)
{
    if (!m)
        return;
    if (m->priv) {
        wasm_arena_free(&m->priv->arena);
        lw_dwarf_free(m->priv->dwarf);
        free(m->priv->bytes);
        free(m->priv);
    }
    free(m);
}

/* ---- growable arrays and byte buffers ------------------------------- */

int wasm_vec_reserve(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return -1;
        n *= 2;
    }
    if (size && n > SIZE_MAX / size)
        return -1;
    void *q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static bool buf_room(wasm_buf *b, size_t n)
{
    if (b->oom)
        return false;
    if (wasm_vec_reserve((void **)&b->data, &b->cap, b->len + n, 1) < 0) {
        b->oom = true;
        return false;
    }
    return true;
}

void wasm_buf_byte(wasm_buf *b, uint8_t v)
{
    if (buf_room(b, 1))
        b->data[b->len++] = v;
}

void wasm_buf_bytes(wasm_buf *b, const void *p, size_t n)
{
    if (n && buf_room(b, n)) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
    }
}

void wasm_buf_u64(wasm_buf *b, uint64_t v)
{
    uint8_t leb[LW_LEB_MAX];
    wasm_buf_bytes(b, leb, lw_leb_write_u64(leb, v));
}

void wasm_buf_u32(wasm_buf *b, uint32_t v)
{
    wasm_buf_u64(b, v);
}

void wasm_buf_s64(wasm_buf *b, int64_t v)
{
    for (;;) {
        uint8_t byte = v & 0x7f;
        v >>= 7; /* arithmetic shift */
        bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
        wasm_buf_byte(b, byte | (done ? 0 : 0x80));
        if (done)
            return;
    }
}

void wasm_buf_valtype(wasm_buf *b, lw_valtype t)
{
    lw_heaptype ht = lw_valtype_heap(t);
    /* Every nullable abstract reference has a one-byte form: its heap type's. */
    if (!lw_valtype_is_ref(t) || (lw_valtype_nullable(t) && !lw_heaptype_is_concrete(ht))) {
        wasm_buf_byte(b, (uint8_t)(lw_valtype_is_ref(t) ? ht : t));
        return;
    }
    wasm_buf_byte(b, (uint8_t)t);
    /* Abstract heap types are negative s33s, concrete ones type indices. */
    wasm_buf_s64(b, lw_heaptype_is_concrete(ht) ? (int64_t)lw_heaptype_index(ht)
                                                : (int64_t)ht - 0x80);
}

void wasm_buf_s32(wasm_buf *b, int32_t v)
{
    wasm_buf_s64(b, v);
}

void wasm_buf_free(wasm_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* ---- LEB128 -------------------------------------------------------- */

/* Unsigned LEB of at most `bits` bits. */
static int read_uleb(const uint8_t **p, const uint8_t *end, unsigned bits, uint64_t *out)
{
    const uint8_t *q = *p;
    uint64_t v = 0;
    unsigned shift = 0;
    unsigned maxbytes = (bits + 6) / 7;
    for (unsigned i = 0;; i++) {
        if (q >= end)
            return LEB_END;
        uint8_t byte = *q++;
        if (i == maxbytes - 1) {
            if (byte & 0x80)
                return LEB_TOO_LONG;
            unsigned used = bits - shift; /* bits this byte may carry */
            if (used < 7 && (byte >> used))
                return LEB_TOO_LARGE;
            v |= (uint64_t)byte << shift;
            break;
        }
        v |= (uint64_t)(byte & 0x7f) << shift;
        shift += 7;
        if (!(byte & 0x80))
            break;
    }
    *p = q;
    *out = v;
    return LEB_OK;
}

static int read_sleb(const uint8_t **p, const uint8_t *end, unsigned bits, int64_t *out)
{
    const uint8_t *q = *p;
    uint64_t v = 0;
    unsigned shift = 0;
    unsigned maxbytes = (bits + 6) / 7;
    uint8_t byte;
    for (unsigned i = 0;; i++) {
        if (q >= end)
            return LEB_END;
        byte = *q++;
        if (i == maxbytes - 1) {
            if (byte & 0x80)
                return LEB_TOO_LONG;
            /* The unused high bits must all equal the sign bit. */
            unsigned used = bits - shift;
            if (used < 7) {
                /* Bits used-1 .. 6 must all be copies of the sign bit. */
                int8_t sx = (int8_t)(uint8_t)(byte << 1) >> 1;
                int8_t top = sx >> (used - 1);
                if (top != 0 && top != -1)
                    return LEB_TOO_LARGE;
            }
            v |= (uint64_t)(byte & 0x7f) << shift;
            shift += 7;
            break;
        }
        v |= (uint64_t)(byte & 0x7f) << shift;
        shift += 7;
        if (!(byte & 0x80))
            break;
    }
    if (shift < 64 && (byte & 0x40))
        v |= ~(uint64_t)0 << shift;
    *p = q;
    *out = (int64_t)v;
    return LEB_OK;
}

int wasm_read_u32(const uint8_t **p, const uint8_t *end, uint32_t *out)
{
    /* Fast path: one byte. */
    if (LIKELY(*p < end && !(**p & 0x80))) {
        *out = *(*p)++;
        return LEB_OK;
    }
    uint64_t v;
    int r = read_uleb(p, end, 32, &v);
    if (r == LEB_OK)
        *out = (uint32_t)v;
    return r;
}

int wasm_read_u64(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    return read_uleb(p, end, 64, out);
}

int wasm_read_s32(const uint8_t **p, const uint8_t *end, int32_t *out)
{
    int64_t v;
    int r = read_sleb(p, end, 32, &v);
    if (r == LEB_OK)
        *out = (int32_t)v;
    return r;
}

int wasm_read_s64(const uint8_t **p, const uint8_t *end, int64_t *out)
{
    return read_sleb(p, end, 64, out);
}

int wasm_read_s33(const uint8_t **p, const uint8_t *end, int64_t *out)
{
    return read_sleb(p, end, 33, out);
}

/* The readers above under their public names (libwasm-tools.h). */
int lw_leb_read_u32(const uint8_t **p, const uint8_t *end, uint32_t *out)
{
    return wasm_read_u32(p, end, out);
}

int lw_leb_read_u64(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
    return wasm_read_u64(p, end, out);
}

int lw_leb_read_s32(const uint8_t **p, const uint8_t *end, int32_t *out)
{
    return wasm_read_s32(p, end, out);
}

int lw_leb_read_s33(const uint8_t **p, const uint8_t *end, int64_t *out)
{
    return wasm_read_s33(p, end, out);
}

int lw_leb_read_s64(const uint8_t **p, const uint8_t *end, int64_t *out)
{
    return wasm_read_s64(p, end, out);
}

size_t lw_leb_write_u64(uint8_t *out, uint64_t v)
{
    size_t n = 0;
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        out[n++] = (uint8_t)(byte | (v ? 0x80 : 0));
    } while (v);
    return n;
}

const char *wasm_leb_message(int code)
{
    switch (code) {
    case LEB_END: return "unexpected end";
    case LEB_TOO_LONG: return "integer representation too long";
    case LEB_TOO_LARGE: return "integer too large";
    default: return "ok";
    }
}

/* ---- UTF-8 --------------------------------------------------------- */

bool wasm_utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp, min;
        if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; min = 0x80; }
        else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; min = 0x800; }
        else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; min = 0x10000; }
        else return false;
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

/* ---- features and type names ---------------------------------------- */

static const struct {
    const char *name;
    bool wasm2;
    uint8_t impl;           /* 0, 1 or LW_PARTIAL */
} features[] = {
#define F_(id, name, wasm2, impl) {name, wasm2, impl},
    LW_FEATURES(F_)
#undef F_
};

lw_features lw_features_wasm2(void)
{
    lw_features f = 0;
    for (unsigned i = 0; i < LW_FEATURE_COUNT; i++)
        if (features[i].wasm2)
            f |= 1u << i;
    return f;
}

lw_features lw_features_default(void)
{
    return lw_features_all();
}

lw_features lw_features_all(void)
{
    lw_features f = 0;
    for (unsigned i = 0; i < LW_FEATURE_COUNT; i++)
        if (features[i].impl)
            f |= 1u << i;
    return f;
}

lw_features lw_feature_by_name(const char *name)
{
    for (unsigned i = 0; i < LW_FEATURE_COUNT; i++)
        if (strcmp(features[i].name, name) == 0)
            return 1u << i;
    return 0;
}

const char *lw_feature_name(unsigned bit)
{
    return bit < LW_FEATURE_COUNT ? features[bit].name : NULL;
}

bool lw_feature_implemented(unsigned bit)
{
    return bit < LW_FEATURE_COUNT && features[bit].impl == 1;
}

int lw_features_option(const char *arg, lw_features *f, lw_error *err)
{
    bool enable = strncmp(arg, "--enable-", 9) == 0;
    if (!enable && strncmp(arg, "--disable-", 10) != 0) {
        wasm_fail(err, LW_ERR_USAGE, "unknown option '%s'", arg);
        return 0;
    }
    const char *name = arg + (enable ? 9 : 10);
    lw_features bit = enable && strcmp(name, "all") == 0 ? lw_features_all()
                                                         : lw_feature_by_name(name);
    if (!bit)
        return wasm_fail(err, LW_ERR_USAGE, "unknown feature '%s'", name);
    *f = enable ? *f | bit : *f & ~bit;
    return 1;
}

/* The flags that change the default (every implemented feature on), one
 * a line, a partial feature saying what it has; then the features not
 * implemented at all, as a paragraph. */
void lw_features_help(FILE *out)
{
    fputs("  --disable-FEATURE, --enable-FEATURE, --enable-all\n"
          "      every implemented feature is on by default (WebAssembly 3.0):\n", out);
    for (unsigned i = 0; i < LW_FEATURE_COUNT; i++)
        if (features[i].impl)
            fprintf(out, "      --disable-%s%s\n", features[i].name,
                    features[i].impl == LW_PARTIAL ? " (types only)" : "");
    bool all = true;
    for (unsigned i = 0; i < LW_FEATURE_COUNT; i++)
        all = all && features[i].impl;
    if (all)
        return;
    int col = fprintf(out, "      not implemented yet:");
    for (unsigned i = 0; i < LW_FEATURE_COUNT; i++) {
        if (features[i].impl)
            continue;
        if (col + 1 + (int)strlen(features[i].name) > 78)
            col = fprintf(out, "\n     ");
        col += fprintf(out, " %s", features[i].name);
    }
    fputc('\n', out);
}

const char *lw_externkind_name(uint8_t kind)
{
    static const char *const names[] = {"func", "table", "memory", "global", "tag"};
    return kind < COUNTOF(names) ? names[kind] : "?";
}

/* Room for the next read: never more than one byte past the limit, so an
 * endless input costs at most limit + 1 bytes before it is refused. */
static int read_room(uint8_t **buf, size_t *cap, size_t n, size_t limit)
{
    size_t want = n + 65536;
    if (want > limit + 1)
        want = limit + 1;
    return wasm_vec_reserve((void **)buf, cap, want, 1);
}

/* Stop reading; msg NULL when err already says why. */
static int read_fail(FILE *f, uint8_t *buf, lw_error *err, lw_errkind kind,
                     const char *msg)
{
    free(buf);
    fclose(f);
    return msg ? wasm_fail(err, kind, "%s", msg) : -1;
}

int wasm_read_file_limited(const char *path, size_t limit, wasm_first_bytes first,
                           uint8_t **data, size_t *len, lw_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return wasm_fail(err, LW_ERR_IO, "cannot open: %s", strerror(errno));
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    /* Size the buffer from the file when it says (pipes and devices do not). */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        if ((uint64_t)st.st_size > limit)
            return read_fail(f, buf, err, LW_ERR_LIMIT, "module too large");
        if (wasm_vec_reserve((void **)&buf, &cap, (size_t)st.st_size + 1, 1) < 0)
            return read_fail(f, buf, err, LW_ERR_NOMEM, "out of memory reading file");
    }
    for (bool judged = !first;;) {
        if (n == cap && read_room(&buf, &cap, n, limit) < 0)
            return read_fail(f, buf, err, LW_ERR_NOMEM, "out of memory reading file");
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n > limit)
            return read_fail(f, buf, err, LW_ERR_LIMIT, "module too large");
        if (got == 0 && ferror(f))
            return read_fail(f, buf, err, LW_ERR_IO, "read error");
        if (!judged && (got == 0 || n >= 4096)) {
            judged = true;
            if (first(buf, n, got == 0, err) < 0)
                return read_fail(f, buf, err, LW_OK, NULL);
        }
        if (got == 0)
            break;
    }
    fclose(f);
    *data = buf;
    *len = n;
    return 0;
}

int lw_read_file(const char *path, uint8_t **data, size_t *len, lw_error *err)
{
    return wasm_read_file_limited(path, WASM_MAX_MODULE_BYTES, NULL, data, len, err);
}
