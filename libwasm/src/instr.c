/* Decoding one instruction: its opcode and immediates, driven by the
 * table's immediate kind.  Used by every pass over function bodies, so
 * the common cases (one-byte opcodes, one-byte LEBs) stay short. */
#include "internal.h"

typedef struct {
    const uint8_t *p, *end;
    const uint8_t *body_start;
    uint32_t file_offset;
    lw_features features;    /* multi-memory and memory64 change memargs */
    lw_error *err;
} instr_reader;

static int instr_fail(instr_reader *r, const uint8_t *at, const char *msg)
{
    uint64_t off = (uint64_t)r->file_offset + (uint64_t)(at - r->body_start);
    return wasm_fail_at(r->err, LW_ERR_MALFORMED, off, "%s", msg);
}

/* Running out of bytes inside a body gets the suite's wording for it. */
#define INSTR_END "unexpected end of section or function"

static int instr_leb_fail(instr_reader *r, const uint8_t *at, int code)
{
    return instr_fail(r, at, code == LEB_END ? INSTR_END : wasm_leb_message(code));
}

static int instr_u32(instr_reader *r, uint32_t *out)
{
    if (LIKELY(r->p < r->end && !(*r->p & 0x80))) {
        *out = *r->p++;
        return 0;
    }
    const uint8_t *at = r->p;
    int rc = wasm_read_u32(&r->p, r->end, out);
    return rc ? instr_leb_fail(r, at, rc) : 0;
}

/* Exactly one 0x00 byte (a reserved immediate). */
static int instr_zero(instr_reader *r)
{
    if (r->p >= r->end)
        return instr_fail(r, r->p, INSTR_END);
    if (*r->p != 0)
        return instr_fail(r, r->p, "zero byte expected");
    r->p++;
    return 0;
}

/* A memory index: a u32 with multi-memory, else exactly one 0x00 byte
 * (reserved in Wasm 2.0). */
static int instr_memidx(instr_reader *r, uint32_t *out)
{
    if (r->features & LW_FEATURE(MULTI_MEMORY))
        return instr_u32(r, out);
    *out = 0;
    return instr_zero(r);
}

static int instr_bytes(instr_reader *r, void *out, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return instr_fail(r, r->p, INSTR_END);
    memcpy(out, r->p, n);
    r->p += n;
    return 0;
}

/* Typed references ((ref null ht), (ref ht)) come with these features;
 * GC adds the short forms of its abstract types (anyref, ...). */
static bool instr_typed_refs(const instr_reader *r)
{
    return r->features & (LW_FEATURE(FUNCTION_REFERENCES) | LW_FEATURE(GC));
}

/* A value type written as one byte: numbers, vectors, funcref,
 * externref, exnref and nullexnref, and GC's nullable abstract references. */
static bool instr_is_valtype(const instr_reader *r, uint8_t t)
{
    if ((t >= LW_V128 && t <= LW_I32) || t == LW_HEAP_FUNC || t == LW_HEAP_EXTERN ||
        ((t == LW_HEAP_EXN || t == LW_HEAP_NOEXN) && (r->features & LW_FEATURE(EXCEPTIONS))))
        return true;
    return (r->features & LW_FEATURE(GC)) &&
           ((t >= LW_HEAP_ARRAY && t <= LW_HEAP_ANY) ||
            (t >= LW_HEAP_NONE && t <= LW_HEAP_NOFUNC));
}

/* A heap type: an abstract one's code as a negative s33, or a type index. */
static int instr_heaptype(instr_reader *r, lw_heaptype *out)
{
    const uint8_t *at = r->p;
    int64_t v;
    int rc = wasm_read_s33(&r->p, r->end, &v);
    if (rc)
        return instr_leb_fail(r, at, rc);
    if (v >= 0 && v <= LW_HEAP_MAX_INDEX) {
        *out = LW_HEAP_TYPE(v);
        return 0;
    }
    lw_heaptype ht = (lw_heaptype)(v + 0x80);
    if (v < 0 && (ht == LW_HEAP_FUNC || ht == LW_HEAP_EXTERN ||
                  ((ht == LW_HEAP_EXN || ht == LW_HEAP_NOEXN) &&
                   (r->features & LW_FEATURE(EXCEPTIONS))) ||
                  ((r->features & LW_FEATURE(GC)) && instr_is_valtype(r, (uint8_t)ht)))) {
        *out = ht;
        return 0;
    }
    return instr_fail(r, at, "malformed heap type");
}

/* A value type: one byte, or 0x63/0x64 and a heap type. */
static int instr_valtype(instr_reader *r, lw_valtype *out)
{
    if (r->p >= r->end)
        return instr_fail(r, r->p, INSTR_END);
    const uint8_t *at = r->p;
    uint8_t b = *r->p++;
    if ((b == LW_REF_NULLABLE || b == LW_REF_NONNULL) && instr_typed_refs(r)) {
        lw_heaptype ht;
        if (instr_heaptype(r, &ht))
            return -1;
        *out = LW_REF(b == LW_REF_NULLABLE, ht);
        return 0;
    }
    if (!instr_is_valtype(r, b))
        return instr_fail(r, at, "malformed value type");
    *out = wasm_valtype_byte(b);
    return 0;
}

static int instr_blocktype(instr_reader *r, int64_t *out)
{
    const uint8_t *at = r->p;
    if (LIKELY(r->p < r->end && (*r->p & 0xC0) == 0x40)) {
        /* One-byte negative: empty (0x40) or a value type. */
        if (*r->p == 0x40) {
            r->p++;
            *out = -64;
            return 0;
        }
        lw_valtype t;
        if (instr_valtype(r, &t))
            return -1;
        *out = wasm_valtype_block(t);
        return 0;
    }
    int rc = wasm_read_s33(&r->p, r->end, out);
    if (rc)
        return instr_leb_fail(r, at, rc);
    if (*out < 0)
        return instr_fail(r, at, "malformed value type");
    return 0;
}

/* Flags (log2 of the alignment), an optional memory index, the offset.
 * With multi-memory, flag bit 6 says a memory index follows and flags
 * from 128 up are malformed; without it every u32 is an alignment, for
 * the validator to bound.  With memory64 the offset is a u64, which the
 * validator bounds for 32-bit memories. */
static int instr_memarg(instr_reader *r, wasm_instr *out)
{
    const uint8_t *at = r->p;
    uint32_t flags;
    if (instr_u32(r, &flags))
        return -1;
    out->imm.mem.mem = 0;
    out->imm.mem.lane = 0;
    if (r->features & LW_FEATURE(MULTI_MEMORY)) {
        if (flags >= 128)
            return instr_fail(r, at, "malformed memop flags");
        if ((flags & 64) && instr_u32(r, &out->imm.mem.mem))
            return -1;
        flags &= ~64u;
    }
    out->imm.mem.align = flags;
    if (r->features & LW_FEATURE(MEMORY64)) {
        at = r->p;
        int rc = wasm_read_u64(&r->p, r->end, &out->imm.mem.offset);
        return rc ? instr_leb_fail(r, at, rc) : 0;
    }
    uint32_t offset;
    if (instr_u32(r, &offset))
        return -1;
    out->imm.mem.offset = offset;
    return 0;
}

/* vec(u32) then the default: checked now so users can read them fast. */
static int instr_br_table(instr_reader *r, wasm_instr *out)
{
    uint32_t count, label;
    if (instr_u32(r, &count))
        return -1;
    out->imm.br_table.count = count;
    out->imm.br_table.targets = r->p;
    for (uint64_t i = 0; i <= count; i++)
        if (instr_u32(r, &label))
            return -1;
    return 0;
}

static int instr_select_t(instr_reader *r, wasm_instr *out)
{
    uint32_t count;
    if (instr_u32(r, &count))
        return -1;
    if ((size_t)(r->end - r->p) < count)
        return instr_fail(r, r->p, INSTR_END);
    out->imm.select.count = count;
    out->imm.select.type = 0;
    for (uint32_t i = 0; i < count; i++) {
        lw_valtype t;
        if (instr_valtype(r, &t))
            return -1;
        if (i == 0)
            out->imm.select.type = t;
    }
    return 0;
}

/* ref.null's heap type: func or extern in Wasm 2.0. */
static int instr_reftype(instr_reader *r, lw_valtype *out)
{
    if (r->p >= r->end)
        return instr_fail(r, r->p, INSTR_END);
    uint8_t t = *r->p;
    if (instr_typed_refs(r)) {
        lw_heaptype ht;
        if (instr_heaptype(r, &ht))
            return -1;
        *out = LW_REF(1, ht);
        return 0;
    }
    bool exn = (t == LW_HEAP_EXN || t == LW_HEAP_NOEXN) &&
               (r->features & LW_FEATURE(EXCEPTIONS));
    if (t != LW_HEAP_FUNC && t != LW_HEAP_EXTERN && !exn)
        return instr_fail(r, r->p, "malformed reference type");
    r->p++;
    *out = LW_REF(1, t);
    return 0;
}

/* try_table's block type and catch clauses, checked now (wasm_catch_next
 * reads them again fast). */
static int instr_try_table(instr_reader *r, wasm_instr *out)
{
    uint32_t count, x;
    if (instr_blocktype(r, &out->imm.try_table.block) || instr_u32(r, &count))
        return -1;
    out->imm.try_table.count = count;
    out->imm.try_table.catches = r->p;
    for (uint64_t i = 0; i < count; i++) {
        if (r->p >= r->end)
            return instr_fail(r, r->p, INSTR_END);
        uint8_t kind = *r->p;
        if (kind > 3)
            return instr_fail(r, r->p, "malformed catch clause");
        r->p++;
        if (kind < 2 && instr_u32(r, &x))
            return -1;
        if (instr_u32(r, &x))
            return -1;
    }
    return 0;
}

/* br_on_cast's flags, label and two heap types (nullable as the flags say). */
static int instr_br_on_cast(instr_reader *r, wasm_instr *out)
{
    if (r->p >= r->end)
        return instr_fail(r, r->p, INSTR_END);
    const uint8_t *at = r->p;
    uint8_t flags = *r->p++;
    if (flags > 3)
        return instr_fail(r, at, "malformed br_on_cast flags");
    lw_heaptype from, to;
    if (instr_u32(r, &out->imm.cast.label) || instr_heaptype(r, &from) ||
        instr_heaptype(r, &to))
        return -1;
    out->imm.cast.from = LW_REF(flags & 1, from);
    out->imm.cast.to = LW_REF(flags & 2, to);
    return 0;
}

static int instr_imm(instr_reader *r, uint8_t kind, wasm_instr *out)
{
    const uint8_t *at = r->p;
    int rc;
    switch ((wasm_immkind)kind) {
    case IMM_NONE:
        return 0;
    case IMM_BLOCK:
        return instr_blocktype(r, &out->imm.block);
    case IMM_LABEL: case IMM_FUNC: case IMM_LOCAL: case IMM_GLOBAL:
    case IMM_TABLE: case IMM_DATA: case IMM_ELEM: case IMM_TYPE: case IMM_TAG:
        return instr_u32(r, &out->imm.index);
    case IMM_TRY_TABLE:
        return instr_try_table(r, out);
    case IMM_BR_TABLE:
        return instr_br_table(r, out);
    case IMM_CALL_INDIRECT: case IMM_ELEM_TABLE: case IMM_TABLE_TABLE:
        return instr_u32(r, &out->imm.pair.a) || instr_u32(r, &out->imm.pair.b) ? -1 : 0;
    case IMM_MEMARG:
        return instr_memarg(r, out);
    case IMM_MEMARG_LANE:
        return instr_memarg(r, out) || instr_bytes(r, &out->imm.mem.lane, 1) ? -1 : 0;
    case IMM_MEMORY:
        return instr_memidx(r, &out->imm.index);
    case IMM_DATA_MEMORY:
        return instr_u32(r, &out->imm.pair.a) || instr_memidx(r, &out->imm.pair.b) ? -1 : 0;
    case IMM_MEMORY_MEMORY:
        return instr_memidx(r, &out->imm.pair.a) || instr_memidx(r, &out->imm.pair.b) ? -1 : 0;
    case IMM_I32:
        if (LIKELY(r->p < r->end && !(*r->p & 0x80))) {
            out->imm.i32 = (int32_t)((uint32_t)*r->p++ << 25) >> 25;
            return 0;
        }
        rc = wasm_read_s32(&r->p, r->end, &out->imm.i32);
        return rc ? instr_leb_fail(r, at, rc) : 0;
    case IMM_I64:
        rc = wasm_read_s64(&r->p, r->end, &out->imm.i64);
        return rc ? instr_leb_fail(r, at, rc) : 0;
    case IMM_F32:
        return instr_bytes(r, &out->imm.f32, 4);
    case IMM_F64:
        return instr_bytes(r, &out->imm.f64, 8);
    case IMM_SELECT_T:
        return instr_select_t(r, out);
    case IMM_REFTYPE:
        return instr_reftype(r, &out->imm.reftype);
    case IMM_V128: case IMM_SHUFFLE:
        return instr_bytes(r, out->imm.bytes, 16);
    case IMM_LANE:
        return instr_bytes(r, &out->imm.lane, 1);
    case IMM_ZERO:
        return instr_zero(r);
    case IMM_TYPE_FIELD: case IMM_TYPE_COUNT: case IMM_TYPE_DATA: case IMM_TYPE_ELEM:
    case IMM_TYPE_TYPE:
        return instr_u32(r, &out->imm.pair.a) || instr_u32(r, &out->imm.pair.b) ? -1 : 0;
    case IMM_REF_HT: case IMM_REF_NULL_HT: {
        lw_heaptype ht;
        if (instr_heaptype(r, &ht))
            return -1;
        out->imm.reftype = LW_REF(kind == IMM_REF_NULL_HT, ht);
        return 0;
    }
    case IMM_BR_ON_CAST:
        return instr_br_on_cast(r, out);
    }
    return instr_fail(r, at, "illegal opcode");
}

static int instr_illegal(instr_reader *r, const uint8_t *at, uint8_t b, uint32_t code)
{
    uint64_t off = (uint64_t)r->file_offset + (uint64_t)(at - r->body_start);
    if (!wasm_op_is_prefix(b))
        return wasm_fail_at(r->err, LW_ERR_MALFORMED, off, "illegal opcode %02x", b);
    return wasm_fail_at(r->err, LW_ERR_MALFORMED, off, "illegal opcode 0x%02x 0x%x", b, code);
}

/* The opcode: one byte, or a prefix byte and a u32. */
static int instr_opcode(instr_reader *r, uint16_t *op)
{
    const uint8_t *at = r->p;
    uint8_t b = *r->p++;
    uint32_t code = 0;
    if (!wasm_op_is_prefix(b))
        *op = (uint16_t)(wasm_op_codes[b] - 1);
    else if (instr_u32(r, &code))
        return -1;
    else
        *op = wasm_op_lookup(b, code);
    return UNLIKELY(*op >= OP_COUNT) ? instr_illegal(r, at, b, code) : 0;
}

int wasm_instr_decode(const uint8_t **p, const uint8_t *end,
                      const uint8_t *body_start, uint32_t file_offset,
                      lw_features features, wasm_instr *out, lw_error *err)
{
    instr_reader r = {*p, end, body_start, file_offset, features, err};
    if (UNLIKELY(r.p >= end))
        return instr_fail(&r, r.p, INSTR_END);
    out->offset = (uint32_t)(r.p - body_start);
    uint16_t op;
    if (instr_opcode(&r, &op))
        return -1;
    out->op = op;
    uint8_t kind = wasm_opinfo_table[op].imm;
    if (kind != IMM_NONE && instr_imm(&r, kind, out))
        return -1;
    *p = r.p;
    return 0;
}

void wasm_catch_next(const uint8_t **p, wasm_catch *c)
{
    c->kind = *(*p)++;
    c->tag = c->kind < 2 ? wasm_br_table_next(p) : 0;
    c->label = wasm_br_table_next(p);
}

uint32_t wasm_br_table_next(const uint8_t **p)
{
    const uint8_t *q = *p;
    uint32_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *q++;
        v |= (uint32_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    *p = q;
    return v;
}
