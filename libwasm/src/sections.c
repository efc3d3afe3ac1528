/* The section reader (libwasm-tools.h): the standard sections' entries,
 * read by one set of functions for the decoder (decode.c builds its
 * module from them) and for wasm-objdump (which prints them).  The two
 * differ in a few rules, which `lenient` selects: the decoder's are the
 * reference interpreter's, wasm-objdump's wabt's.  Constant expressions
 * are the caller's to scan (sr->expr); bodies too. */
#include "internal.h"

/* Declared locals per function; engines agree on this bound. */
#define SR_MAX_LOCALS 50000u

static int sr_fail(lw_secreader *sr, const uint8_t *at, const char *msg)
{
    return lw_reader_fail(&sr->in, at, msg);
}

static uint32_t sr_off(const lw_secreader *sr, const uint8_t *at)
{
    return (uint32_t)(at - sr->in.base);
}

static void *sr_array(lw_secreader *sr, size_t n, size_t size)
{
    size_t bytes = n * size;
    void *p = sr->alloc(sr->user, bytes ? bytes : 1);
    if (!p && sr->in.err->kind == LW_OK)
        wasm_fail(sr->in.err, LW_ERR_NOMEM, "out of memory");
    return p;
}

void lw_secreader_init(lw_secreader *sr, const lw_reader *in, lw_features features,
                       bool lenient)
{
    memset(sr, 0, sizeof *sr);
    sr->in = *in;
    sr->features = features;
    sr->lenient = lenient;
}

/* The decoder counts a length from its own LEB, so a length may overshoot
 * the bytes after it by the LEB's size (the reference interpreter's rule;
 * lw_read_count is wabt's). */
int lw_read_vec(lw_secreader *sr, uint32_t *n)
{
    if (sr->lenient)
        return lw_read_count(&sr->in, n);
    const uint8_t *at = sr->in.p;
    if (lw_read_u32(&sr->in, n))
        return -1;
    if (*n > (size_t)(sr->in.end - at))
        return sr_fail(sr, at, "length out of bounds");
    return 0;
}

/* At least n bytes left, for n entries of a byte or more each. */
static int sr_need(lw_secreader *sr, uint32_t n)
{
    return (size_t)(sr->in.end - sr->in.p) < n ? sr_fail(sr, sr->in.p, sr->in.eof) : 0;
}

int lw_read_string(lw_secreader *sr, const char **out, uint32_t *len)
{
    const uint8_t *s;
    uint32_t n;
    if (lw_read_vec(sr, &n) || lw_read_bytes(&sr->in, n, &s))
        return -1;
    if (!sr->lenient && !wasm_utf8_valid(s, n))
        return sr_fail(sr, s, "malformed UTF-8 encoding");
    char *copy = sr_array(sr, (size_t)n + 1, 1);
    if (!copy)
        return -1;
    memcpy(copy, s, n);
    copy[n] = '\0';
    *out = copy;
    if (len)
        *len = n;
    return 0;
}

/* ---- types ----------------------------------------------------------- */

/* Type bytes are one-byte signed LEBs in the reference interpreter. */
static int sr_typebyte(lw_secreader *sr, uint8_t *out)
{
    if (lw_read_u8(&sr->in, out))
        return -1;
    if (*out & 0x80)
        return sr_fail(sr, sr->in.p - 1, "integer representation too long");
    return 0;
}

/* Typed references ((ref null ht), (ref ht)) come with these features. */
static bool sr_typed_refs(const lw_secreader *sr)
{
    return sr->features & (LW_FEATURE(GC) | LW_FEATURE(FUNCTION_REFERENCES));
}

/* A heap type: an abstract one's code as a negative s33, or a type index. */
static int sr_heaptype(lw_secreader *sr, lw_heaptype *out)
{
    const uint8_t *at = sr->in.p;
    int64_t v;
    if (lw_read_s33(&sr->in, &v))
        return -1;
    if (v >= 0 && v <= LW_HEAP_MAX_INDEX) {
        *out = LW_HEAP_TYPE(v);
        return 0;
    }
    lw_heaptype ht = (lw_heaptype)(v + 0x80);
    if (v < 0 && ht >= LW_HEAP_EXN && ht <= LW_HEAP_NOEXN) {
        *out = ht;
        return 0;
    }
    return sr_fail(sr, at, "malformed heap type");
}

int lw_read_valtype(lw_secreader *sr, lw_valtype *out)
{
    uint8_t b = 0;
    if (sr_typebyte(sr, &b))
        return -1;
    switch (b) {
    case LW_I32: case LW_I64: case LW_F32: case LW_F64:
        *out = b;
        return 0;
    case LW_V128:
        *out = b;
        if (sr->features & LW_FEATURE(SIMD))
            return 0;
        break;
    case LW_REF_NULLABLE: case LW_REF_NONNULL: {
        lw_heaptype ht = 0;
        if (!sr_typed_refs(sr))
            break;
        if (sr_heaptype(sr, &ht))
            return -1;
        *out = LW_REF(b == LW_REF_NULLABLE, ht);
        return 0;
    }
    case LW_HEAP_FUNC: case LW_HEAP_EXTERN:
        *out = LW_REF(1, b);
        if (sr->features & LW_FEATURE(REFERENCE_TYPES))
            return 0;
        break;
    case LW_HEAP_ANY: case LW_HEAP_EQ: case LW_HEAP_I31: case LW_HEAP_STRUCT:
    case LW_HEAP_ARRAY: case LW_HEAP_NONE: case LW_HEAP_NOEXTERN: case LW_HEAP_NOFUNC:
        *out = LW_REF(1, b);
        if (sr->features & LW_FEATURE(GC))
            return 0;
        break;
    case LW_HEAP_EXN: case LW_HEAP_NOEXN:
        *out = LW_REF(1, b);
        if (sr->features & LW_FEATURE(EXCEPTIONS))
            return 0;
        break;
    default:
        break;
    }
    return sr_fail(sr, sr->in.p - 1, "malformed value type");
}

/* funcref needs no feature: the MVP's tables hold it. */
static int sr_reftype(lw_secreader *sr, lw_valtype *out)
{
    const uint8_t *at = sr->in.p;
    uint8_t b = 0;
    if (sr_typebyte(sr, &b))
        return -1;
    if ((b == LW_REF_NULLABLE || b == LW_REF_NONNULL) && sr_typed_refs(sr)) {
        sr->in.p = at;
        return lw_read_valtype(sr, out);
    }
    if (b == LW_HEAP_FUNC ||
        (b == LW_HEAP_EXTERN && (sr->features & LW_FEATURE(REFERENCE_TYPES))) ||
        (b == LW_HEAP_EXN && (sr->features & LW_FEATURE(EXCEPTIONS)))) {
        *out = LW_REF(1, b);
        return 0;
    }
    if (b != LW_HEAP_FUNC && b != LW_HEAP_EXTERN && (sr->features & LW_FEATURE(GC))) {
        sr->in.p = at;
        if (lw_read_valtype(sr, out) == 0 && lw_valtype_is_ref(*out))
            return 0;
    }
    return sr_fail(sr, at, "malformed reference type");
}

static int sr_valtypes(lw_secreader *sr, uint32_t *n, const lw_valtype **types)
{
    if (lw_read_vec(sr, n) || sr_need(sr, *n))
        return -1;
    lw_valtype *t = sr_array(sr, *n, sizeof *t);
    if (!t)
        return -1;
    for (uint32_t i = 0; i < *n; i++)
        if (lw_read_valtype(sr, &t[i]))
            return -1;
    *types = t;
    return 0;
}

/* The composite type's form: one byte; wabt reads it as a signed LEB
 * (0x60 is -0x20). */
static int sr_form(lw_secreader *sr, uint8_t *form)
{
    const uint8_t *at = sr->in.p;
    if (sr->lenient) {
        int32_t v;
        if (lw_read_s32(&sr->in, &v))
            return -1;
        if (v >= -0x40 && v < 0)
            *form = (uint8_t)(v + 0x80);
        else
            return sr_fail(sr, at, "integer representation too long");
        return 0;
    }
    return sr_typebyte(sr, form);
}

static int sr_functype_rest(lw_secreader *sr, lw_functype *ft)
{
    return sr_valtypes(sr, &ft->nparams, &ft->params) ||
           sr_valtypes(sr, &ft->nresults, &ft->results) ? -1 : 0;
}

int lw_read_functype(lw_secreader *sr, lw_functype *ft)
{
    const uint8_t *at = sr->in.p;
    uint8_t form = 0;
    memset(ft, 0, sizeof *ft);
    if (sr_form(sr, &form))
        return -1;
    if (form != LW_COMP_FUNC)
        return sr_fail(sr, at, sr->lenient ? "integer representation too long"
                                           : "malformed function type");
    return sr_functype_rest(sr, ft);
}

/* A field's storage type (a value type, i8 or i16) and mutability. */
static int sr_fieldtype(lw_secreader *sr, lw_fieldtype *f)
{
    uint8_t b = 0;
    if (sr->in.p < sr->in.end && (*sr->in.p == LW_I8 || *sr->in.p == LW_I16)) {
        f->type = *sr->in.p++;
    } else if (lw_read_valtype(sr, &f->type)) {
        return -1;
    }
    const uint8_t *at = sr->in.p;
    if (lw_read_u8(&sr->in, &b))
        return -1;
    if (b > 1)
        return sr_fail(sr, at, "malformed mutability");
    f->mut = b;
    return 0;
}

/* A composite type: func, struct or array (the latter two with GC). */
static int sr_comptype(lw_secreader *sr, lw_functype *ft, lw_typedef *def)
{
    const uint8_t *at = sr->in.p;
    uint8_t form = 0;
    if (sr_form(sr, &form))
        return -1;
    def->kind = form;
    if (form == LW_COMP_FUNC)
        return sr_functype_rest(sr, ft);
    if (!(sr->features & LW_FEATURE(GC)) ||
        (form != LW_COMP_STRUCT && form != LW_COMP_ARRAY))
        return sr_fail(sr, at, sr->lenient ? "integer representation too long"
                                           : "malformed function type");
    uint32_t n = 1;
    if (form == LW_COMP_STRUCT && (lw_read_vec(sr, &n) || sr_need(sr, n)))
        return -1;
    lw_fieldtype *fields = sr_array(sr, n, sizeof *fields);
    if (!fields)
        return -1;
    for (uint32_t i = 0; i < n; i++)
        if (sr_fieldtype(sr, &fields[i]))
            return -1;
    def->nfields = n;
    def->fields = fields;
    return 0;
}

int lw_read_rec(lw_secreader *sr, uint32_t *n)
{
    if ((sr->features & LW_FEATURE(GC)) && sr->in.p < sr->in.end && *sr->in.p == 0x4e) {
        sr->in.p++;
        return lw_read_vec(sr, n);
    }
    *n = 1;
    return 0;
}

int lw_read_subtype(lw_secreader *sr, lw_functype *ft, lw_typedef *def)
{
    memset(ft, 0, sizeof *ft);
    *def = (lw_typedef){LW_COMP_FUNC, true, LW_NO_SUPER, 0, 1, 0, NULL};
    if ((sr->features & LW_FEATURE(GC)) && sr->in.p < sr->in.end &&
        (*sr->in.p == 0x50 || *sr->in.p == 0x4f)) {
        def->final = *sr->in.p++ == 0x4f;
        const uint8_t *at = sr->in.p;
        uint32_t nsuper;
        if (lw_read_vec(sr, &nsuper))
            return -1;
        if (nsuper > 1)
            return sr_fail(sr, at, "multiple supertypes");
        if (nsuper == 1 && lw_read_u32(&sr->in, &def->super))
            return -1;
    }
    return sr_comptype(sr, ft, def);
}

/* A bound of limits.  With memory64 the decoder reads every bound as a
 * u64, as Wasm 3.0 writes them, and the validator bounds the 32-bit ones. */
static int sr_bound(lw_secreader *sr, bool is64, uint64_t *out)
{
    uint32_t v;
    if (is64 || (!sr->lenient && (sr->features & LW_FEATURE(MEMORY64))))
        return lw_read_u64(&sr->in, out);
    if (lw_read_u32(&sr->in, &v))
        return -1;
    *out = v;
    return 0;
}

/* Flags: bit 0 a maximum follows, bit 1 shared, bit 2 64-bit bounds.  The
 * decoder takes bit 0 only (the reference interpreter reads the flags as
 * a one-bit LEB), bit 1 too for memories with threads, and bit 2 with memory64; wabt takes all three for memories, and says why a
 * table cannot be shared just after the flags.  wabt 1.0.32 refuses
 * 64-bit tables too; the lenient reader takes them (table64 is 3.0), and
 * wasm-objdump shows them as it shows 64-bit memories. */
/* The flag of a shared memory (bit 1), where it may be set. */
static uint8_t sr_shared_bit(const lw_secreader *sr, bool table)
{
    return !table && (sr->features & LW_FEATURE(THREADS)) ? 0x02 : 0;
}

static int sr_limits(lw_secreader *sr, lw_limits *l, bool table)
{
    const uint8_t *at = sr->in.p;
    uint8_t flags = 0;
    memset(l, 0, sizeof *l);
    if (lw_read_u8(&sr->in, &flags))
        return -1;
    if (sr->lenient) {
        if (table && (flags & 2))
            return sr_fail(sr, sr->in.p, "tables may not be shared");
        if (flags > 7)
            return sr_fail(sr, at, "integer too large");
    } else if (sr->features & LW_FEATURE(MEMORY64)) {
        if (flags & ~(0x05 | sr_shared_bit(sr, table)))
            return sr_fail(sr, at, "malformed limits flags");
    } else {
        if (flags & 0x80)
            return sr_fail(sr, at, "integer representation too long");
        if (flags & ~(0x01 | sr_shared_bit(sr, table)))
            return sr_fail(sr, at, "integer too large");
    }
    l->has_max = flags & 1;
    l->shared = (flags & 2) != 0;
    l->is64 = (flags & 4) != 0;
    if (sr_bound(sr, l->is64, &l->min))
        return -1;
    return l->has_max ? sr_bound(sr, l->is64, &l->max) : 0;
}

int lw_read_memtype(lw_secreader *sr, lw_limits *l)
{
    return sr_limits(sr, l, false);
}

int lw_read_tabletype(lw_secreader *sr, lw_tabletype *t)
{
    return sr_reftype(sr, &t->reftype) || sr_limits(sr, &t->limits, true) ? -1 : 0;
}

int lw_read_table(lw_secreader *sr, lw_tabletype *t, lw_expr *init)
{
    memset(init, 0, sizeof *init);
    if (!sr_typed_refs(sr) || sr->in.end - sr->in.p < 1 || *sr->in.p != 0x40)
        return lw_read_tabletype(sr, t);
    const uint8_t *at = ++sr->in.p;
    uint8_t zero;
    if (lw_read_u8(&sr->in, &zero))
        return -1;
    if (zero != 0)
        return sr_fail(sr, at, "malformed table");
    return lw_read_tabletype(sr, t) || sr->expr(sr, init) ? -1 : 0;
}

int lw_read_globaltype(lw_secreader *sr, lw_globaltype *g)
{
    uint8_t mut = 0;
    if (lw_read_valtype(sr, &g->type) || lw_read_u8(&sr->in, &mut))
        return -1;
    if (mut > 1)
        return sr_fail(sr, sr->in.p - 1, "malformed mutability");
    g->mut = mut;
    return 0;
}

/* ---- entries ----------------------------------------------------------- */

int lw_read_import(lw_secreader *sr, lw_import *im)
{
    memset(im, 0, sizeof *im);
    im->offset = sr_off(sr, sr->in.p);
    if (lw_read_string(sr, &im->module, &im->module_len) ||
        lw_read_string(sr, &im->name, &im->name_len))
        return -1;
    const uint8_t *at = sr->in.p;
    if (lw_read_u8(&sr->in, &im->kind))
        return -1;
    switch (im->kind) {
    case LW_EXTERN_FUNC: return lw_read_u32(&sr->in, &im->desc.func);
    case LW_EXTERN_TABLE: return lw_read_tabletype(sr, &im->desc.table);
    case LW_EXTERN_MEMORY: return lw_read_memtype(sr, &im->desc.memory);
    case LW_EXTERN_GLOBAL: return lw_read_globaltype(sr, &im->desc.global);
    case LW_EXTERN_TAG:
        if (sr->lenient || (sr->features & LW_FEATURE(EXCEPTIONS)))
            return lw_read_tag(sr, &im->desc.tag);
        break;
    default:
        break;
    }
    return sr_fail(sr, at, "malformed import kind");
}

int lw_read_export(lw_secreader *sr, lw_export *ex)
{
    memset(ex, 0, sizeof *ex);
    if (lw_read_string(sr, &ex->name, &ex->name_len) || lw_read_u8(&sr->in, &ex->kind))
        return -1;
    bool tags = sr->lenient || (sr->features & LW_FEATURE(EXCEPTIONS));
    if (ex->kind > (tags ? LW_EXTERN_TAG : LW_EXTERN_GLOBAL))
        return sr_fail(sr, sr->in.p - 1, "malformed export kind");
    return lw_read_u32(&sr->in, &ex->index);
}

int lw_read_global(lw_secreader *sr, lw_globaldef *g)
{
    memset(g, 0, sizeof *g);
    return lw_read_globaltype(sr, &g->type) || sr->expr(sr, &g->init) ? -1 : 0;
}

/* After the flags of a segment with an explicit type: the decoder wants a
 * reference type before expressions and element kind 0 (functions) before
 * indices; wabt takes any byte. */
static int sr_elemtype(lw_secreader *sr, lw_elem *e, bool exprs)
{
    const uint8_t *at = sr->in.p;
    uint8_t k = 0;
    if (sr->lenient) {
        if (lw_read_u8(&sr->in, &k))
            return -1;
        if (exprs && (k == LW_HEAP_FUNC || k == LW_HEAP_EXTERN))
            e->reftype = LW_REF(1, k);
        return 0;
    }
    if (exprs)
        return sr_reftype(sr, &e->reftype);
    if (lw_read_u8(&sr->in, &k))
        return -1;
    return k ? sr_fail(sr, at, "malformed element kind") : 0;
}

static int sr_elem_items(lw_secreader *sr, lw_elem *e, bool exprs)
{
    if (lw_read_vec(sr, &e->count))
        return -1;
    if (exprs) {
        lw_expr *x = sr_array(sr, e->count, sizeof *x);
        if (!x)
            return -1;
        for (uint32_t i = 0; i < e->count; i++)
            if (sr->expr(sr, &x[i]))
                return -1;
        e->exprs = x;
        return 0;
    }
    uint32_t *f = sr_array(sr, e->count, sizeof *f);
    if (!f)
        return -1;
    for (uint32_t i = 0; i < e->count; i++)
        if (lw_read_u32(&sr->in, &f[i]))
            return -1;
    e->funcs = f;
    return 0;
}

/* Flags: bit 0 passive/declarative, bit 1 explicit table (active) or
 * declarative, bit 2 expressions instead of function indices. */
int lw_read_elem(lw_secreader *sr, lw_elem *e)
{
    const uint8_t *at = sr->in.p;
    uint32_t flags;
    memset(e, 0, sizeof *e);
    e->entry_offset = sr_off(sr, at);
    if (lw_read_u32(&sr->in, &flags))
        return -1;
    if (flags > 7 || (flags && !(sr->features & (LW_FEATURE(BULK_MEMORY) |
                                                LW_FEATURE(REFERENCE_TYPES)))))
        return sr_fail(sr, at, "malformed elements segment kind");
    e->flags = (uint8_t)flags;
    e->reftype = LW_FUNCREF;
    e->mode = !(flags & 1) ? LW_SEG_ACTIVE
            : (flags & 2) ? LW_SEG_DECLARATIVE : LW_SEG_PASSIVE;
    if (!(flags & 1)) {
        if ((flags & 2) && lw_read_u32(&sr->in, &e->table))
            return -1;
        if (sr->expr(sr, &e->offset))
            return -1;
    }
    if ((flags & 3) && sr_elemtype(sr, e, flags & 4))
        return -1;
    return sr_elem_items(sr, e, flags & 4);
}

int lw_read_data(lw_secreader *sr, lw_data *s)
{
    const uint8_t *at = sr->in.p;
    uint32_t flags;
    memset(s, 0, sizeof *s);
    s->entry_offset = sr_off(sr, at);
    if (lw_read_u32(&sr->in, &flags))
        return -1;
    if (flags > 2 || (flags && !(sr->features & LW_FEATURE(BULK_MEMORY))))
        return sr_fail(sr, at, "malformed data segment kind");
    s->flags = (uint8_t)flags;
    s->mode = flags == 1 ? LW_SEG_PASSIVE : LW_SEG_ACTIVE;
    if (flags == 2 && lw_read_u32(&sr->in, &s->memory))
        return -1;
    if (flags != 1 && sr->expr(sr, &s->offset))
        return -1;
    if (lw_read_vec(sr, &s->len) || lw_read_bytes(&sr->in, s->len, &s->bytes))
        return -1;
    s->data_offset = sr_off(sr, s->bytes);
    return 0;
}

static int sr_locals(lw_secreader *sr, lw_code *c)
{
    const uint8_t *at = sr->in.p;
    uint32_t n;
    if (lw_read_vec(sr, &n))
        return -1;
    lw_localgroup *g = sr_array(sr, n, sizeof *g);
    if (!g)
        return -1;
    uint64_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (lw_read_u32(&sr->in, &g[i].count) || lw_read_valtype(sr, &g[i].type))
            return -1;
        total += g[i].count;
    }
    if (total > SR_MAX_LOCALS && !sr->lenient)
        return sr_fail(sr, at, "too many locals");
    c->nlocalgroups = n;
    c->localgroups = g;
    c->nlocals = total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
    return 0;
}

int lw_read_code(lw_secreader *sr, lw_code *c, const uint8_t **end)
{
    uint32_t size;
    c->size_offset = sr_off(sr, sr->in.p);
    if (lw_read_vec(sr, &size))
        return -1;
    const uint8_t *start = sr->in.p;
    *end = start + size;
    c->locals_offset = sr_off(sr, start);
    lw_secreader body = *sr;
    if (sr->lenient)
        body.in = lw_reader_sub(&sr->in, start, size);
    if (sr_locals(&body, c))
        return -1;
    sr->in.p = body.in.p;
    c->body.code = sr->in.p;
    c->body.offset = sr_off(sr, sr->in.p);
    return 0;
}

/* The attribute is 0 (an exception) in the decoder's rules; wabt reads
 * any byte. */
int lw_read_tag(lw_secreader *sr, uint32_t *type)
{
    uint8_t attr;
    if (lw_read_u8(&sr->in, &attr))
        return -1;
    if (attr != 0 && !sr->lenient)
        return sr_fail(sr, sr->in.p - 1, "malformed tag attribute");
    return lw_read_u32(&sr->in, type);
}
