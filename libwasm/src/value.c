/* Values as text: typed literals read by the text format's number rules,
 * and values written back so that they read in again to the same bits. */
#include "internal.h"
#include "lex.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    unsigned lanes, bits;
    bool is_float;
} val_shape;

static const val_shape val_shapes[] = {
    {"i8x16", 16, 8, false},  {"i16x8", 8, 16, false}, {"i32x4", 4, 32, false},
    {"i64x2", 2, 64, false},  {"f32x4", 4, 32, true},  {"f64x2", 2, 64, true},
};

static int val_bad(lw_error *err, const char *text, size_t n, lw_valtype type,
                   int rc)
{
    return wasm_fail(err, LW_ERR_USAGE,
                     rc == NUM_RANGE ? "'%.*s' is out of range for %s"
                                     : "'%.*s' is not a valid %s",
                     (int)(n > 64 ? 64 : n), text, lw_valtype_name(type));
}

/* One number of `bits` (8..64, float or integer) from s[0..n). */
static int val_number(const char *s, size_t n, unsigned bits, bool is_float,
                      uint64_t *out)
{
    if (!is_float)
        return wasm_parse_int(s, n, bits, out);
    if (bits == 64)
        return wasm_parse_f64(s, n, out);
    uint32_t f;
    int rc = wasm_parse_f32(s, n, &f);
    *out = f;
    return rc;
}

static const val_shape *val_find_shape(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof val_shapes / sizeof *val_shapes; i++)
        if (strlen(val_shapes[i].name) == n && memcmp(val_shapes[i].name, s, n) == 0)
            return &val_shapes[i];
    return NULL;
}

static size_t val_word(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
    size_t n = 0;
    while ((*p)[n] && (*p)[n] != ' ' && (*p)[n] != '\t')
        n++;
    return n;
}

static int val_v128(const char *text, uint8_t *bytes, lw_error *err)
{
    const char *p = text;
    size_t n = val_word(&p);
    const val_shape *sh = val_find_shape(p, n);
    if (!sh)
        return wasm_fail(err, LW_ERR_USAGE,
                         "a v128 is a shape and its lanes, e.g. 'i32x4 1 2 3 4'");
    p += n;
    for (unsigned i = 0; i < sh->lanes; i++) {
        n = val_word(&p);
        if (n == 0)
            return wasm_fail(err, LW_ERR_USAGE, "%s takes %u lanes, got %u",
                             sh->name, sh->lanes, i);
        uint64_t lane;
        int rc = val_number(p, n, sh->bits, sh->is_float, &lane);
        if (rc)
            return wasm_fail(err, LW_ERR_USAGE, "lane %u: '%.*s' is %s", i,
                             (int)(n > 64 ? 64 : n), p,
                             rc == NUM_RANGE ? "out of range" : "not a number");
        for (unsigned b = 0; b < sh->bits / 8; b++)
            bytes[i * sh->bits / 8 + b] = (uint8_t)(lane >> (8 * b));
        p += n;
    }
    if (val_word(&p))
        return wasm_fail(err, LW_ERR_USAGE, "%s takes %u lanes, got more",
                         sh->name, sh->lanes);
    return 0;
}

/* References as text: "null", or a number for the host references an
 * extern type holds.  A non-nullable type takes no null. */
static int val_ref(const char *text, lw_valtype type, lw_val *out, lw_error *err)
{
    char name[LW_VALTYPE_BUFSIZE];
    lw_valtype_format(type, name, sizeof name);
    bool nullable = lw_valtype_nullable(type);
    bool host = lw_valtype_heap(type) == LW_HEAP_EXTERN;
    if (strcmp(text, "null") == 0) {
        out->of.ref = LW_REF_NULL;
        if (nullable)
            return 0;
        return wasm_fail(err, LW_ERR_USAGE, "'null' is not a valid %s (not nullable)", name);
    }
    uint64_t n;
    size_t len = strlen(text);
    if (host && wasm_parse_nat(text, len, UINT32_MAX, &n) == NUM_OK && n < UINT32_MAX) {
        out->of.ref = (void *)(uintptr_t)(n + 1);
        return 0;
    }
    return wasm_fail(err, LW_ERR_USAGE, "'%.*s' is not a valid %s%s",
                     (int)(len > 64 ? 64 : len), text, name,
                     host ? (nullable ? " (null or a number)" : " (a number)")
                          : nullable ? " (null)" : " (no value can be written)");
}

int lw_val_parse(const char *text, lw_valtype type, lw_val *out, lw_error *err)
{
    memset(out, 0, sizeof *out);
    out->type = type;
    size_t n = strlen(text);
    uint64_t v = 0;
    int rc;
    switch (type) {
    case LW_I32: rc = val_number(text, n, 32, false, &v); out->of.i32 = (int32_t)(uint32_t)v; break;
    case LW_I64: rc = val_number(text, n, 64, false, &v); out->of.i64 = (int64_t)v; break;
    case LW_F32: rc = val_number(text, n, 32, true, &v); out->of.f32 = (uint32_t)v; break;
    case LW_F64: rc = val_number(text, n, 64, true, &v); out->of.f64 = v; break;
    case LW_V128: return val_v128(text, out->of.v128, err);
    default:
        if (lw_valtype_is_ref(type))
            return val_ref(text, type, out, err);
        return wasm_fail(err, LW_ERR_USAGE, "unknown value type 0x%x", type);
    }
    return rc ? val_bad(err, text, n, type, rc) : 0;
}

/* The shortest "%g" that reads back to the same float. */
static size_t val_float(double d, bool single, char *buf, size_t size)
{
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (single ? strtof(tmp, NULL) == (float)d : strtod(tmp, NULL) == d)
            break;
    }
    return (size_t)snprintf(buf, size, "%s", tmp);
}

static size_t val_f32(uint32_t bits, char *buf, size_t size)
{
    if (((bits >> 23) & 0xff) == 0xff)
        return lw_format_f32(bits, buf, size);
    float f;
    memcpy(&f, &bits, 4);
    return val_float(f, true, buf, size);
}

static size_t val_f64(uint64_t bits, char *buf, size_t size)
{
    if (((bits >> 52) & 0x7ff) == 0x7ff)
        return lw_format_f64(bits, buf, size);
    double d;
    memcpy(&d, &bits, 8);
    return val_float(d, false, buf, size);
}

static size_t val_format_v128(const uint8_t *b, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "i32x4");
    for (int lane = 0; lane < 4; lane++) {
        uint32_t x = (uint32_t)b[4 * lane] | (uint32_t)b[4 * lane + 1] << 8 |
                     (uint32_t)b[4 * lane + 2] << 16 | (uint32_t)b[4 * lane + 3] << 24;
        n += (size_t)snprintf(n < size ? buf + n : NULL, n < size ? size - n : 0,
                              " 0x%08" PRIx32, x);
    }
    return n;
}

size_t lw_val_format(const lw_val *v, char *buf, size_t size)
{
    switch (v->type) {
    case LW_I32: return (size_t)snprintf(buf, size, "%" PRId32, v->of.i32);
    case LW_I64: return (size_t)snprintf(buf, size, "%" PRId64, v->of.i64);
    case LW_F32: return val_f32(v->of.f32, buf, size);
    case LW_F64: return val_f64(v->of.f64, buf, size);
    case LW_V128: return val_format_v128(v->of.v128, buf, size);
    default:
        break;
    }
    if (!lw_valtype_is_ref(v->type))
        return (size_t)snprintf(buf, size, "?");
    /* extern's references are host numbers; the others show what they are */
    lw_heaptype ht = lw_valtype_heap(v->type);
    if (!v->of.ref)
        return (size_t)snprintf(buf, size, "null");
    if (ht == LW_HEAP_EXTERN)
        return (size_t)snprintf(buf, size, "%" PRIuPTR, (uintptr_t)v->of.ref - 1);
    bool func = ht == LW_HEAP_FUNC || ht == LW_HEAP_NOFUNC || lw_heaptype_is_concrete(ht);
    return (size_t)snprintf(buf, size, "%s", func ? "func" : "ref");
}
