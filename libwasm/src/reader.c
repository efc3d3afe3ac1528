/* The binary cursor (libwasm-tools.h): bounds-checked reads with located
 * errors.  The decoder reads through it (with its own eof message, the
 * reference interpreter's), as do programs that print a binary as they
 * read it and readers of the tool conventions' custom sections
 * ("linking", "reloc.*").  Integers go through util.c's LEB128 readers,
 * which the instruction decoder shares. */
#include "libwasm-tools.h"
#include "internal.h"

void lw_reader_init(lw_reader *r, const uint8_t *base, size_t len, lw_error *err)
{
    r->base = base;
    r->p = base;
    r->end = base + len;
    r->err = err;
    r->eof = "unexpected end";
    lw_error_clear(err);
}

lw_reader lw_reader_sub(const lw_reader *r, const uint8_t *from, size_t len)
{
    lw_reader sub = *r;
    sub.p = from;
    sub.end = from + len;
    return sub;
}

int lw_reader_fail(lw_reader *r, const uint8_t *at, const char *msg)
{
    if (r->err->kind != LW_OK)
        return -1;
    return wasm_fail_at(r->err, LW_ERR_MALFORMED, (uint64_t)(at - r->base), "%s", msg);
}

static int rd_leb(lw_reader *r, const uint8_t *at, int rc)
{
    if (rc == LEB_OK)
        return 0;
    return lw_reader_fail(r, at, rc == LEB_END ? r->eof : wasm_leb_message(rc));
}

int lw_read_u8(lw_reader *r, uint8_t *out)
{
    *out = 0;
    if (r->p >= r->end)
        return lw_reader_fail(r, r->p, r->eof);
    *out = *r->p++;
    return 0;
}

int lw_read_u32(lw_reader *r, uint32_t *out)
{
    *out = 0;
    return rd_leb(r, r->p, wasm_read_u32(&r->p, r->end, out));
}

int lw_read_s32(lw_reader *r, int32_t *out)
{
    *out = 0;
    return rd_leb(r, r->p, wasm_read_s32(&r->p, r->end, out));
}

int lw_read_s33(lw_reader *r, int64_t *out)
{
    *out = 0;
    return rd_leb(r, r->p, wasm_read_s33(&r->p, r->end, out));
}

int lw_read_s64(lw_reader *r, int64_t *out)
{
    *out = 0;
    return rd_leb(r, r->p, wasm_read_s64(&r->p, r->end, out));
}

int lw_read_u64(lw_reader *r, uint64_t *out)
{
    *out = 0;
    return rd_leb(r, r->p, wasm_read_u64(&r->p, r->end, out));
}

int lw_read_bytes(lw_reader *r, uint32_t n, const uint8_t **out)
{
    *out = r->p;
    if ((size_t)(r->end - r->p) < n)
        return lw_reader_fail(r, r->p, r->eof);
    r->p += n;
    return 0;
}

int lw_read_name(lw_reader *r, const uint8_t **s, uint32_t *n)
{
    const uint8_t *at = r->p;
    *s = r->p;
    if (lw_read_u32(r, n) < 0)
        return -1;
    if ((size_t)(r->end - r->p) < *n)
        return lw_reader_fail(r, at, "length out of bounds");
    *s = r->p;
    r->p += *n;
    return 0;
}

int lw_read_count(lw_reader *r, uint32_t *n)
{
    const uint8_t *at = r->p;
    if (lw_read_u32(r, n) < 0)
        return -1;
    if (*n > (size_t)(r->end - r->p))
        return lw_reader_fail(r, at, "length out of bounds");
    return 0;
}

int lw_read_subsection(lw_reader *r, uint8_t *id, lw_reader *sub)
{
    uint32_t size;
    const uint8_t *body;
    if (lw_read_u8(r, id) < 0 || lw_read_u32(r, &size) < 0 || lw_read_bytes(r, size, &body) < 0)
        return -1;
    *sub = lw_reader_sub(r, body, size);
    return 0;
}

int lw_read_naming(lw_reader *r, uint32_t *index, const uint8_t **s, uint32_t *n)
{
    return lw_read_u32(r, index) < 0 || lw_read_name(r, s, n) < 0 ? -1 : 0;
}

/* ---- target_features ------------------------------------------------- */

/* LLVM's names for the features where they differ from ours. */
static lw_features target_feature(const uint8_t *s, uint32_t n)
{
    static const char *const llvm[][2] = {
        {"simd128", "simd"},
        {"sign-ext", "sign-extension"},
        {"nontrapping-fptoint", "saturating-float-to-int"},
        {"multivalue", "multi-value"},
        {"multimemory", "multi-memory"},
        {"mutable-globals", "mutable-globals"},
        {"bulk-memory-opt", "bulk-memory"},
        {"call-indirect-overlong", "reference-types"},
        {"atomics", "threads"},
        {"exception-handling", "exceptions"},
    };
    char name[64];
    if (n >= sizeof name || memchr(s, 0, n))
        return 0;
    memcpy(name, s, n);
    name[n] = 0;
    for (size_t i = 0; i < sizeof llvm / sizeof llvm[0]; i++)
        if (strcmp(name, llvm[i][0]) == 0)
            return lw_feature_by_name(llvm[i][1]);
    return lw_feature_by_name(name);
}

lw_features lw_target_features(const uint8_t *bytes, size_t len)
{
    lw_error err;
    lw_reader r;
    lw_reader_init(&r, bytes, len, &err);
    const uint8_t *magic;
    if (lw_read_bytes(&r, 8, &magic) < 0 || memcmp(magic, "\0asm", 4) != 0)
        return 0;
    while (r.p < r.end) {
        uint8_t id;
        uint32_t size, n, count;
        const uint8_t *name, *body;
        if (lw_read_u8(&r, &id) < 0 || lw_read_u32(&r, &size) < 0 ||
            lw_read_bytes(&r, size, &body) < 0)
            return 0;
        lw_reader s = lw_reader_sub(&r, body, size);
        if (id != 0 || lw_read_name(&s, &name, &n) < 0 || n != 15 ||
            memcmp(name, "target_features", 15) != 0)
            continue;
        lw_features used = 0;
        if (lw_read_count(&s, &count) < 0)
            return 0;
        for (uint32_t i = 0; i < count; i++) {
            uint8_t prefix;
            if (lw_read_u8(&s, &prefix) < 0 || lw_read_name(&s, &name, &n) < 0)
                return 0;
            if (prefix == '+' || prefix == '=')
                used |= target_feature(name, n);
        }
        return used;
    }
    return 0;
}
