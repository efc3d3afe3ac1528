/* The text format's instructions: plain and folded, into binary bytes. */
#include "text.h"

#define TI_MAX_DEPTH 10000

static void ti_op(tx_parser *p, uint16_t op)
{
    const wasm_opinfo *o = &wasm_opinfo_table[op];
    if (o->prefix) {
        wasm_buf_byte(&p->code, o->prefix);
        wasm_buf_u32(&p->code, o->code);
    } else {
        wasm_buf_byte(&p->code, (uint8_t)o->code);
    }
}

static int ti_enter(tx_parser *p)
{
    if (++p->depth > TI_MAX_DEPTH)
        return tx_fail(p, "nesting too deep");
    return 0;
}

/* ---- labels ------------------------------------------------------------ */

static int ti_push_label(tx_parser *p, const wasm_tok *id)
{
    tx_label *l = tx_push(p, &p->labels, sizeof *l);
    if (!l)
        return -1;
    uint32_t block = p->nblocks++;
    if (id->kind != TOK_ID)
        return 0;
    l->s = id->s;
    l->len = id->len;
    lw_name *n = tx_push(p, &p->label_names, sizeof *n);
    if (!n)
        return -1;
    n->index = block;
    n->name = wasm_arena_strndup(p->arena, id->s + 1, id->len - 1);
    return n->name ? 0 : tx_oom(p);
}

/* `end $l` / `else $l`: the id must repeat the block's label. */
static int ti_check_label(tx_parser *p)
{
    if (p->c.tok.kind != TOK_ID)
        return 0;
    const tx_label *l = (const tx_label *)p->labels.data + p->labels.len - 1;
    if (!l->s || l->len != p->c.tok.len || memcmp(l->s, p->c.tok.s, l->len) != 0)
        return tx_fail(p, "mismatching label");
    return tx_adv(p);
}

static int ti_label(tx_parser *p, uint32_t *depth)
{
    if (p->c.tok.kind != TOK_ID)
        return tx_nat32(p, depth);
    const tx_label *l = p->labels.data;
    for (size_t i = p->labels.len; i-- > 0;)
        if (l[i].s && l[i].len == p->c.tok.len && memcmp(l[i].s, p->c.tok.s, l[i].len) == 0) {
            *depth = (uint32_t)(p->labels.len - 1 - i);
            return tx_adv(p);
        }
    return tx_fail(p, "unknown label");
}

static int ti_local(tx_parser *p, uint32_t *out)
{
    if (p->c.tok.kind != TOK_ID)
        return tx_nat32(p, out);
    if (!tx_names_find(&p->locals, p->c.tok.s + 1, p->c.tok.len - 1, out))
        return tx_fail(p, "unknown local %.*s", (int)p->c.tok.len, p->c.tok.s);
    return tx_adv(p);
}

/* ---- block types ---------------------------------------------------------- */

/* label? blocktype.  *is_type: bt is a type index, else 0x40 (no
 * results) or a value type. */
static int ti_blocktype(tx_parser *p, int64_t *bt, bool *is_type)
{
    wasm_tok label = p->c.tok;
    if (label.kind == TOK_ID && tx_adv(p) < 0)
        return -1;
    if (ti_push_label(p, &label) < 0)
        return -1;
    bool has_type;
    uint32_t type = 0;
    tx_vec params = {0}, results = {0};
    int rc = tx_typeuse_parts(p, &has_type, &type, &params, &results, false);
    *is_type = true;
    *bt = type;
    const lw_functype *types = p->types.data;
    if (rc == 0 && has_type && tx_is_functype(p, type) && types[type].nparams == 0 &&
        types[type].nresults <= 1) {
        /* The short form, as other encoders write it. */
        *is_type = false;
        *bt = types[type].nresults ? types[type].results[0] : 0x40;
    } else if (rc == 0 && !has_type) {
        if (params.len == 0 && results.len <= 1) {
            *is_type = false;
            *bt = results.len ? *(const lw_valtype *)results.data : 0x40;
        } else {
            *bt = tx_intern_type(p, params.data, (uint32_t)params.len, results.data,
                                 (uint32_t)results.len);
            if (*bt == UINT32_MAX)
                rc = -1;
        }
    }
    tx_vec_free(&params);
    tx_vec_free(&results);
    return rc;
}

static void ti_emit_blocktype(tx_parser *p, int64_t bt, bool is_type)
{
    if (is_type)
        wasm_buf_s64(&p->code, bt);
    else if (bt == 0x40)
        wasm_buf_byte(&p->code, 0x40);
    else
        wasm_buf_valtype(&p->code, (lw_valtype)bt);
}

/* ---- immediates ------------------------------------------------------------ */

static int ti_num_fail(tx_parser *p, int rc)
{
    return tx_fail(p, rc == NUM_RANGE ? "constant out of range" : "unknown operator");
}

/* Tokens that stand where a number literal goes; malformed ones are
 * "unknown operator", script-only NaN patterns "unexpected token". */
static bool ti_is_literal(const wasm_tok *t)
{
    return t->kind == TOK_NUM || t->kind == TOK_KEYWORD || t->kind == TOK_RESERVED;
}

/* A token that could only be one more lane: numbers and float keywords,
 * not the next instruction of a flat sequence. */
static bool ti_is_lane(const wasm_tok *t)
{
    return t->kind == TOK_NUM || t->kind == TOK_RESERVED || wasm_tok_is(t, "inf") ||
           (t->kind == TOK_KEYWORD && t->len >= 3 && memcmp(t->s, "nan", 3) == 0);
}

static bool ti_is_nan_pattern(const wasm_tok *t)
{
    return wasm_tok_is(t, "nan:canonical") || wasm_tok_is(t, "nan:arithmetic");
}

static int ti_int(tx_parser *p, unsigned bits, uint64_t *v)
{
    if (!ti_is_literal(&p->c.tok) || ti_is_nan_pattern(&p->c.tok))
        return tx_fail(p, "unexpected token");
    if (p->c.tok.kind != TOK_NUM)
        return tx_fail(p, "unknown operator");
    int rc = wasm_parse_int(p->c.tok.s, p->c.tok.len, bits, v);
    if (rc)
        return ti_num_fail(p, rc);
    return tx_adv(p);
}

static int ti_float(tx_parser *p, unsigned bits, uint64_t *v)
{
    if (!ti_is_literal(&p->c.tok) || ti_is_nan_pattern(&p->c.tok))
        return tx_fail(p, "unexpected token");
    int rc;
    if (bits == 32) {
        uint32_t f;
        rc = wasm_parse_f32(p->c.tok.s, p->c.tok.len, &f);
        *v = f;
    } else {
        rc = wasm_parse_f64(p->c.tok.s, p->c.tok.len, v);
    }
    if (rc)
        return ti_num_fail(p, rc);
    return tx_adv(p);
}

static void ti_le(tx_parser *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        wasm_buf_byte(&p->code, (uint8_t)(v >> (8 * i)));
}

/* `key=N` keyword immediates of memory instructions. */
static bool ti_keyval(const wasm_tok *t, const char *key, const char **val, size_t *n)
{
    size_t k = strlen(key);
    if (t->kind != TOK_KEYWORD || t->len <= k || memcmp(t->s, key, k) != 0)
        return false;
    *val = t->s + k;
    *n = t->len - k;
    return true;
}

/* With multi-memory a memory index may follow the name.  Before a lane
 * index it is the first of two indices (or an $id). */
static int ti_memidx(tx_parser *p, bool lane, uint32_t *mem)
{
    *mem = 0;
    if (!(p->m->features & LW_FEATURE(MULTI_MEMORY)) || !tx_at_index(p))
        return 0;
    if (lane && p->c.tok.kind == TOK_NUM) {
        tx_cursor save = p->c;
        const char *v;
        size_t n;
        bool more = tx_adv(p) == 0 &&
                    (tx_at_index(p) || ti_keyval(&p->c.tok, "offset=", &v, &n) ||
                     ti_keyval(&p->c.tok, "align=", &v, &n));
        p->c = save;
        if (!more)
            return 0;
    }
    return tx_index(p, SP_MEM, mem);
}

/* With memory64 offsets and alignments are u64s (the validator bounds
 * them); in Wasm 2.0 u32s. */
static uint64_t ti_memarg_max(const tx_parser *p)
{
    return p->m->features & LW_FEATURE(MEMORY64) ? UINT64_MAX : UINT32_MAX;
}

static int ti_offset(tx_parser *p, uint64_t *offset)
{
    const char *v;
    size_t n;
    if (!ti_keyval(&p->c.tok, "offset=", &v, &n))
        return 0;
    bool wide = ti_memarg_max(p) == UINT64_MAX;
    int rc = wasm_parse_nat(v, n, ti_memarg_max(p), offset);
    if (rc == NUM_RANGE)
        return tx_fail(p, "%s constant out of range", wide ? "i64" : "i32");
    if (rc)
        return tx_fail(p, "unknown operator");
    return tx_adv(p);
}

/* memidx? offset=? align=?, encoded as flags (bit 6: the memory index
 * follows), the index, the offset. */
static int ti_memarg(tx_parser *p, unsigned natural, bool lane)
{
    uint64_t offset = 0, align = UINT64_C(1) << natural;
    uint32_t mem;
    const char *v;
    size_t n;
    if (ti_memidx(p, lane, &mem) < 0 || ti_offset(p, &offset) < 0)
        return -1;
    if (ti_keyval(&p->c.tok, "align=", &v, &n)) {
        int rc = wasm_parse_nat(v, n, ti_memarg_max(p), &align);
        if (rc == NUM_MALFORMED)
            return tx_fail(p, "unknown operator");
        if (rc == NUM_RANGE)   /* past the u32 (u64 with memory64) of the syntax */
            return tx_fail(p, "alignment too large");
        if (align == 0 || (align & (align - 1)))
            return tx_fail(p, "alignment must be a power of two");
        if (tx_adv(p) < 0)
            return -1;
    }
    wasm_buf_u32(&p->code, (uint32_t)__builtin_ctzll(align) | (mem ? 64 : 0));
    if (mem)
        wasm_buf_u32(&p->code, mem);
    wasm_buf_u64(&p->code, offset);
    return 0;
}

/* A lane index that is no u8: Wasm 2.0's suite says "malformed lane
 * index", 3.0's "i8 constant out of range"; the message has both. */
static const char ti_bad_lane[] = "malformed lane index: i8 constant out of range";

static int ti_lane(tx_parser *p)
{
    uint64_t v;
    if (p->c.tok.kind != TOK_NUM || p->c.tok.s[0] == '+' || p->c.tok.s[0] == '-')
        return tx_fail(p, "unexpected token");
    int rc = wasm_parse_nat(p->c.tok.s, p->c.tok.len, 255, &v);
    if (rc == NUM_MALFORMED)
        return tx_fail(p, "unexpected token");
    if (rc)
        return tx_fail(p, ti_bad_lane);
    wasm_buf_byte(&p->code, (uint8_t)v);
    return tx_adv(p);
}

static int ti_shuffle(tx_parser *p)
{
    for (int i = 0; i < 16; i++) {
        uint64_t v;
        if (!ti_is_lane(&p->c.tok))
            return tx_fail(p, "invalid lane length");
        if (p->c.tok.kind != TOK_NUM || wasm_parse_nat(p->c.tok.s, p->c.tok.len, 255, &v))
            return tx_fail(p, ti_bad_lane);
        wasm_buf_byte(&p->code, (uint8_t)v);
        if (tx_adv(p) < 0)
            return -1;
    }
    if (ti_is_lane(&p->c.tok))
        return tx_fail(p, "invalid lane length");
    return 0;
}

static int ti_v128(tx_parser *p)
{
    static const struct { const char *shape; unsigned lanes, bits; bool is_float; } shapes[] = {
        {"i8x16", 16, 8, false}, {"i16x8", 8, 16, false}, {"i32x4", 4, 32, false},
        {"i64x2", 2, 64, false}, {"f32x4", 4, 32, true}, {"f64x2", 2, 64, true},
    };
    size_t s = 0;
    while (s < COUNTOF(shapes) && !tx_is(p, shapes[s].shape))
        s++;
    if (s == COUNTOF(shapes))
        return tx_fail(p, "unexpected token");
    if (tx_adv(p) < 0)
        return -1;
    /* Count first, values second: the suite wants the count error. */
    wasm_tok bad = {0};
    int bad_rc = 0;
    for (unsigned i = 0; i < shapes[s].lanes; i++) {
        if (!ti_is_lane(&p->c.tok))
            return tx_fail(p, "wrong number of lane literals");
        uint64_t v = 0;
        int rc;
        if (shapes[s].is_float && shapes[s].bits == 32) {
            uint32_t f = 0;
            rc = wasm_parse_f32(p->c.tok.s, p->c.tok.len, &f);
            v = f;
        } else if (shapes[s].is_float) {
            rc = wasm_parse_f64(p->c.tok.s, p->c.tok.len, &v);
        } else {
            rc = p->c.tok.kind == TOK_NUM ? wasm_parse_int(p->c.tok.s, p->c.tok.len, shapes[s].bits, &v)
                                          : NUM_MALFORMED;
        }
        if (rc && !bad_rc) {
            bad = p->c.tok;
            bad_rc = rc;
        }
        ti_le(p, v, shapes[s].bits / 8);
        if (tx_adv(p) < 0)
            return -1;
    }
    if (ti_is_lane(&p->c.tok))
        return tx_fail(p, "wrong number of lane literals");
    if (bad_rc)
        return wasm_tok_fail(p->err, &bad, bad_rc == NUM_RANGE ? "constant out of range"
                                                             : "unknown operator");
    return 0;
}

static int ti_index(tx_parser *p, int space)
{
    uint32_t x;
    if (tx_index(p, space, &x) < 0)
        return -1;
    wasm_buf_u32(&p->code, x);
    return 0;
}

/* An optional index (table instructions), 0 when absent. */
static int ti_opt_index(tx_parser *p, int space, uint32_t *x)
{
    *x = 0;
    return tx_at_index(p) ? tx_index(p, space, x) : 0;
}

/* Whether two indices come next (the first one then is optional). */
static bool ti_two_indices(tx_parser *p)
{
    tx_cursor save = p->c;
    bool two = tx_at_index(p) && tx_adv(p) == 0 && tx_at_index(p);
    p->c = save;
    return two;
}

/* A memory index, optional and only with multi-memory; the binary's u32
 * is the 0x00 byte of Wasm 2.0 when it is 0. */
static int ti_memory(tx_parser *p)
{
    uint32_t mem = 0;
    if ((p->m->features & LW_FEATURE(MULTI_MEMORY)) && ti_opt_index(p, SP_MEM, &mem) < 0)
        return -1;
    wasm_buf_u32(&p->code, mem);
    return 0;
}

/* memory.init memidx? dataidx: with two indices the first is the memory. */
static int ti_memory_init(tx_parser *p)
{
    uint32_t mem = 0, data;
    p->uses_data_index = true;
    if ((p->m->features & LW_FEATURE(MULTI_MEMORY)) && ti_two_indices(p) &&
        tx_index(p, SP_MEM, &mem) < 0)
        return -1;
    if (tx_index(p, SP_DATA, &data) < 0)
        return -1;
    wasm_buf_u32(&p->code, data);
    wasm_buf_u32(&p->code, mem);
    return 0;
}

static int ti_select(tx_parser *p)
{
    if (!tx_at_sexpr(p, "result")) {
        wasm_buf_byte(&p->code, 0x1b);
        return 0;
    }
    tx_vec types = {0};
    int rc = 0;
    while (rc == 0 && tx_at_sexpr(p, "result")) {
        rc = tx_adv(p) < 0 || tx_adv(p) < 0 ? -1 : 0;
        while (rc == 0 && tx_at_valtype(p)) {
            lw_valtype *t = tx_push(p, &types, sizeof *t);
            rc = t ? tx_valtype(p, t) : -1;
        }
        if (rc == 0)
            rc = tx_expect_rpar(p);
    }
    if (rc == 0) {
        const lw_valtype *t = types.data;
        wasm_buf_byte(&p->code, 0x1c);
        wasm_buf_u32(&p->code, (uint32_t)types.len);
        for (size_t i = 0; i < types.len; i++)
            wasm_buf_valtype(&p->code, t[i]);
    }
    tx_vec_free(&types);
    return rc;
}

static int ti_call_indirect(tx_parser *p)
{
    uint32_t table, type;
    if (ti_opt_index(p, SP_TABLE, &table) < 0 || tx_typeuse(p, &type, false) < 0)
        return -1;
    wasm_buf_u32(&p->code, type);
    wasm_buf_u32(&p->code, table);
    return 0;
}

static int ti_br_table(tx_parser *p)
{
    wasm_buf targets = {0};
    uint32_t n = 0, d;
    int rc = 0;
    if (!tx_at_index(p))
        rc = tx_unexpected(p);
    while (rc == 0 && tx_at_index(p)) {
        rc = ti_label(p, &d);
        wasm_buf_u32(&targets, d);
        n++;
    }
    if (rc == 0) {
        wasm_buf_u32(&p->code, n - 1);
        wasm_buf_bytes(&p->code, targets.data, targets.len);
    }
    wasm_buf_free(&targets);
    return rc;
}

static int ti_ref_func(tx_parser *p)
{
    uint32_t f;
    if (tx_index(p, SP_FUNC, &f) < 0)
        return -1;
    if (p->in_const) {
        uint32_t *r = tx_push(p, &p->refs, sizeof *r);
        if (!r)
            return -1;
        *r = f;
    }
    wasm_buf_u32(&p->code, f);
    return 0;
}

/* A heap type as the binary writes it: s33. */
static void ti_heap(tx_parser *p, lw_heaptype ht)
{
    wasm_buf_s64(&p->code, lw_heaptype_is_concrete(ht) ? (int64_t)lw_heaptype_index(ht)
                                                       : (int64_t)ht - 0x80);
}

/* A reference type (ref.test, ref.cast, br_on_cast). */
static int ti_reftype(tx_parser *p, lw_valtype *t)
{
    if (tx_valtype(p, t) < 0)
        return -1;
    if (!lw_valtype_is_ref(*t))
        return tx_fail(p, "unexpected token");
    return 0;
}

/* ref.test and ref.cast: the type written chooses the nullable form. */
static int ti_ref_cast(tx_parser *p, uint16_t op)
{
    lw_valtype t;
    if (ti_reftype(p, &t) < 0)
        return -1;
    ti_op(p, lw_valtype_nullable(t) ? op + 1 : op);
    ti_heap(p, lw_valtype_heap(t));
    return 0;
}

/* br_on_cast(_fail) label from to: the flags say which types are nullable. */
static int ti_br_on_cast(tx_parser *p)
{
    uint32_t label;
    lw_valtype from, to;
    if (ti_label(p, &label) < 0 || ti_reftype(p, &from) < 0 || ti_reftype(p, &to) < 0)
        return -1;
    wasm_buf_byte(&p->code, (uint8_t)(lw_valtype_nullable(from) | lw_valtype_nullable(to) << 1));
    wasm_buf_u32(&p->code, label);
    ti_heap(p, lw_valtype_heap(from));
    ti_heap(p, lw_valtype_heap(to));
    return 0;
}

/* GC's immediates after a type index: a field, a count, a segment or a type. */
static int ti_type_pair(tx_parser *p, uint8_t kind)
{
    uint32_t a, b;
    if (tx_index(p, SP_TYPE, &a) < 0)
        return -1;
    int rc;
    switch (kind) {
    case IMM_TYPE_FIELD: rc = tx_field_index(p, a, &b); break;
    case IMM_TYPE_COUNT: rc = tx_nat32(p, &b); break;
    case IMM_TYPE_DATA: p->uses_data_index = true; rc = tx_index(p, SP_DATA, &b); break;
    case IMM_TYPE_ELEM: rc = tx_index(p, SP_ELEM, &b); break;
    default: rc = tx_index(p, SP_TYPE, &b); break;
    }
    if (rc < 0)
        return -1;
    wasm_buf_u32(&p->code, a);
    wasm_buf_u32(&p->code, b);
    return 0;
}

/* The opcode and immediates of a non-block instruction. */
static int ti_op_imm(tx_parser *p, uint16_t op)
{
    const wasm_opinfo *o = &wasm_opinfo_table[op];
    if (op == OP_SELECT)
        return ti_select(p);
    if (o->imm == IMM_REF_HT)
        return ti_ref_cast(p, op);
    ti_op(p, op);
    uint32_t a, b;
    uint64_t v;
    switch (o->imm) {
    case IMM_NONE:
        return 0;
    case IMM_ZERO:
        wasm_buf_byte(&p->code, 0);
        return 0;
    case IMM_LABEL:
        if (ti_label(p, &a) < 0)
            return -1;
        wasm_buf_u32(&p->code, a);
        return 0;
    case IMM_BR_TABLE:
        return ti_br_table(p);
    case IMM_FUNC:
        return op == OP_REF_FUNC ? ti_ref_func(p) : ti_index(p, SP_FUNC);
    case IMM_CALL_INDIRECT:
        return ti_call_indirect(p);
    case IMM_LOCAL:
        if (ti_local(p, &a) < 0)
            return -1;
        wasm_buf_u32(&p->code, a);
        return 0;
    case IMM_GLOBAL:
        return ti_index(p, SP_GLOBAL);
    case IMM_TABLE:
        if (ti_opt_index(p, SP_TABLE, &a) < 0)
            return -1;
        wasm_buf_u32(&p->code, a);
        return 0;
    case IMM_MEMARG:
        return ti_memarg(p, o->align, false);
    case IMM_MEMORY:
        return ti_memory(p);
    case IMM_MEMORY_MEMORY:
        return ti_memory(p) < 0 ? -1 : ti_memory(p);
    case IMM_I32:
        if (ti_int(p, 32, &v) < 0)
            return -1;
        wasm_buf_s32(&p->code, (int32_t)(uint32_t)v);
        return 0;
    case IMM_I64:
        if (ti_int(p, 64, &v) < 0)
            return -1;
        wasm_buf_s64(&p->code, (int64_t)v);
        return 0;
    case IMM_F32:
    case IMM_F64:
        if (ti_float(p, o->imm == IMM_F32 ? 32 : 64, &v) < 0)
            return -1;
        ti_le(p, v, o->imm == IMM_F32 ? 4 : 8);
        return 0;
    case IMM_REFTYPE: {
        lw_heaptype ht;
        if (!tx_at_index(p) && !tx_is(p, "func") && !tx_is(p, "extern") &&
            !tx_is(p, "exn") && !tx_is(p, "noexn") &&
            !(p->m->features & LW_FEATURE(GC)))
            return tx_fail(p, "unexpected token");
        if (tx_heaptype(p, &ht) < 0)
            return -1;
        wasm_buf_s64(&p->code, lw_heaptype_is_concrete(ht) ? (int64_t)lw_heaptype_index(ht)
                                                           : (int64_t)ht - 0x80);
        return 0;
    }
    case IMM_TYPE:
        return ti_index(p, SP_TYPE);
    case IMM_DATA_MEMORY:
        return ti_memory_init(p);
    case IMM_DATA:
        p->uses_data_index = true;
        return ti_index(p, SP_DATA);
    case IMM_ELEM:
        return ti_index(p, SP_ELEM);
    case IMM_ELEM_TABLE: {
        /* table.init x? y: with two indices the first is the table. */
        b = 0;
        if (ti_two_indices(p) && tx_index(p, SP_TABLE, &b) < 0)
            return -1;
        if (tx_index(p, SP_ELEM, &a) < 0)
            return -1;
        wasm_buf_u32(&p->code, a);
        wasm_buf_u32(&p->code, b);
        return 0;
    }
    case IMM_TABLE_TABLE:
        a = b = 0;
        if (tx_at_index(p) && (tx_index(p, SP_TABLE, &a) < 0 || tx_index(p, SP_TABLE, &b) < 0))
            return -1;
        wasm_buf_u32(&p->code, a);
        wasm_buf_u32(&p->code, b);
        return 0;
    case IMM_V128:
        return ti_v128(p);
    case IMM_SHUFFLE:
        return ti_shuffle(p);
    case IMM_LANE:
        return ti_lane(p);
    case IMM_MEMARG_LANE:
        if (ti_memarg(p, o->align, true) < 0)
            return -1;
        return ti_lane(p);
    case IMM_TAG:
        return ti_index(p, SP_TAG);
    case IMM_TYPE_FIELD: case IMM_TYPE_COUNT: case IMM_TYPE_DATA: case IMM_TYPE_ELEM:
    case IMM_TYPE_TYPE:
        return ti_type_pair(p, o->imm);
    case IMM_BR_ON_CAST:
        return ti_br_on_cast(p);
    default:
        return tx_fail(p, "unknown operator");
    }
}

/* Look the current keyword up as an instruction. */
static int ti_lookup(tx_parser *p, uint16_t *op)
{
    static const char *const fields[] = {"param", "result", "local", "type", "export",
                                         "import", "then", "else", "item", "offset", "mut"};
    if (p->c.tok.kind != TOK_KEYWORD)
        return tx_fail(p, "%s", p->c.tok.kind == TOK_RESERVED ? wasm_tok_reserved(&p->c.tok)
                              : p->c.tok.kind == TOK_NUM ? "unknown operator" : "unexpected token");
    *op = wasm_op_by_name(p->c.tok.s, p->c.tok.len);
    if (*op == OP_COUNT) {
        for (size_t i = 0; i < COUNTOF(fields); i++)
            if (tx_is(p, fields[i]))
                return tx_fail(p, "unexpected token");
        return tx_fail(p, "unknown operator %.*s", (int)(p->c.tok.len > 64 ? 64 : p->c.tok.len),
                       p->c.tok.s);
    }
    char msg[128];
    if (!wasm_op_enabled(*op, p->m->features, msg, sizeof msg))
        return tx_fail(p, "%s", msg);
    return 0;
}

/* ---- instruction sequences ------------------------------------------------- */

static int ti_folded(tx_parser *p);

/* ---- branch hints ------------------------------------------------------- */

/* Where a hint was written: kept in the frames of nested folded
 * instructions, so no larger than it must be. */
typedef struct {
    uint32_t line, col;
} ti_pos;

/* The (@metadata.code.branch_hint "\00"|"\01") before the current token:
 * *hint is -1 when there is none, else its value; *pos where it is.
 * Out of line: its annotation stays out of the folded frames. */
__attribute__((noinline)) static int ti_hint(tx_parser *p, int *hint, ti_pos *pos)
{
    wasm_annot a, *at = &a;
    static const char id[] = "metadata.code.branch_hint";
    static const char what[] = "@metadata.code.branch_hint";
    *hint = -1;
    if (p->in_const)
        return 0;
    int rc = tx_annot_take(p, id, at);
    if (rc <= 0)
        return rc;
    wasm_buf b = {0};
    rc = tx_annot_string(p, at, what, &b);
    if (rc == 0 && (b.len != 1 || b.data[0] > 1))
        rc = tx_annot_fail(p, at, LW_ERR_MALFORMED, "@metadata.code.branch_hint annotation: "
                                                    "malformed hint");
    if (rc == 0) {
        *hint = b.data[0];
        pos->line = at->line;
        pos->col = at->col;
    }
    wasm_buf_free(&b);
    wasm_annot dup;
    if (rc == 0 && (rc = tx_annot_take(p, id, &dup)) == 1)
        return tx_annot_fail(p, &dup, LW_ERR_MALFORMED, "@metadata.code.branch_hint annotation: "
                                                        "duplicate annotation");
    return rc;
}

/* A hint goes with the `if` or `br_if` that starts at offset. */
static int ti_hint_put(tx_parser *p, int hint, const ti_pos *at, uint16_t op, size_t offset)
{
    if (hint < 0)
        return 0;
    if (op != OP_IF && op != OP_BR_IF)
        return wasm_fail_pos(p->err, LW_ERR_INVALID, at->line, at->col,
                             "@metadata.code.branch_hint annotation: invalid target");
    lw_branch_hint *h = tx_push(p, &p->hints, sizeof *h);
    if (!h)
        return -1;
    h->offset = (uint32_t)offset;
    h->likely = (uint8_t)hint;
    return 0;
}

static void ti_pop_label(tx_parser *p)
{
    p->labels.len--;
}

/* An empty else arm means nothing: leave it out, as other encoders do. */
static void ti_drop_empty_else(tx_parser *p, size_t at)
{
    if (p->code.len == at)
        p->code.len--;
}

/* A label of the context around the innermost block (try_table's catch
 * clauses, delegate): the block's own label is not in scope. */
static int ti_outer_label(tx_parser *p, uint32_t *depth)
{
    p->labels.len--;
    int rc = ti_label(p, depth);
    p->labels.len++;
    return rc;
}

/* try_table's catch clauses, "(catch x l)" ... "(catch_all_ref l)": the
 * count, then the clauses. */
static int ti_catches(tx_parser *p)
{
    static const char *const kinds[] = {"catch", "catch_ref", "catch_all", "catch_all_ref"};
    wasm_buf clauses = {0};
    uint32_t n = 0;
    int rc = 0;
    for (;;) {
        int kind = -1;
        for (int k = 0; k < 4 && p->c.tok.kind == TOK_LPAR; k++)
            if (wasm_tok_is(&p->c.next, kinds[k]))
                kind = k;
        if (kind < 0)
            break;
        uint32_t tag, label;
        rc = tx_adv(p) < 0 || tx_adv(p) < 0 ? -1 : 0;
        if (rc == 0 && kind < WASM_CATCH_ALL)
            rc = tx_index(p, SP_TAG, &tag);
        if (rc == 0)
            rc = ti_outer_label(p, &label);
        if (rc == 0)
            rc = tx_expect_rpar(p);
        if (rc < 0)
            break;
        wasm_buf_byte(&clauses, (uint8_t)kind);
        if (kind < WASM_CATCH_ALL)
            wasm_buf_u32(&clauses, tag);
        wasm_buf_u32(&clauses, label);
        n++;
    }
    if (rc == 0) {
        wasm_buf_u32(&p->code, n);
        wasm_buf_bytes(&p->code, clauses.data, clauses.len);
        if (clauses.oom)
            rc = tx_oom(p);
    }
    wasm_buf_free(&clauses);
    return rc;
}

/* The legacy try's handlers after its body, plain or folded: catch x
 * instr*, catch_all instr*, or delegate l (which ends the try). */
static int ti_legacy_handlers(tx_parser *p, bool folded, bool *delegated)
{
    *delegated = false;
    bool seen_all = false, seen = false;
    for (;;) {
        bool at = folded ? p->c.tok.kind == TOK_LPAR : true;
        const wasm_tok *kw = folded ? &p->c.next : &p->c.tok;
        if (!at)
            return 0;
        bool is_catch = wasm_tok_is(kw, "catch"), is_all = wasm_tok_is(kw, "catch_all");
        bool is_delegate = wasm_tok_is(kw, "delegate");
        if (!is_catch && !is_all && !is_delegate)
            return 0;
        if (seen_all || (is_delegate && seen))
            return tx_fail(p, "unexpected token");
        seen = true;
        if ((folded && tx_adv(p) < 0) || tx_adv(p) < 0)
            return -1;
        if (is_delegate) {
            uint32_t l;
            if (ti_outer_label(p, &l) < 0)
                return -1;
            wasm_buf_byte(&p->code, 0x18);
            wasm_buf_u32(&p->code, l);
            *delegated = true;
            if (folded && tx_expect_rpar(p) < 0)
                return -1;
            if (p->c.tok.kind == TOK_LPAR || tx_is(p, "catch") || tx_is(p, "catch_all") ||
                tx_is(p, "delegate"))
                return tx_fail(p, "unexpected token");
            return 0;
        }
        wasm_buf_byte(&p->code, is_catch ? 0x07 : 0x19);
        if (is_catch && ti_index(p, SP_TAG) < 0)
            return -1;
        seen_all = is_all;
        if (tx_instrs(p) < 0 || (folded && tx_expect_rpar(p) < 0))
            return -1;
    }
}

/* block/loop/if/try/try_table ... end, the keyword being current. */
static int ti_plain_block(tx_parser *p, uint16_t op)
{
    int64_t bt;
    bool is_type;
    if (ti_enter(p) < 0 || tx_adv(p) < 0 || ti_blocktype(p, &bt, &is_type) < 0)
        return -1;
    ti_op(p, op);
    ti_emit_blocktype(p, bt, is_type);
    if (op == OP_TRY_TABLE && ti_catches(p) < 0)
        return -1;
    if (tx_instrs(p) < 0)
        return -1;
    if (op == OP_TRY) {
        bool delegated;
        if (ti_legacy_handlers(p, false, &delegated) < 0)
            return -1;
        if (delegated) {
            ti_pop_label(p);
            p->depth--;
            return 0;
        }
    }
    if (op == OP_IF && tx_is(p, "else")) {
        if (tx_adv(p) < 0 || ti_check_label(p) < 0)
            return -1;
        wasm_buf_byte(&p->code, 0x05);
        size_t at = p->code.len;
        if (tx_instrs(p) < 0)
            return -1;
        ti_drop_empty_else(p, at);
    }
    if (!tx_is(p, "end"))
        return tx_fail(p, p->c.tok.kind == TOK_EOF ? "unexpected end" : "unexpected token");
    if (tx_adv(p) < 0 || ti_check_label(p) < 0)
        return -1;
    wasm_buf_byte(&p->code, 0x0b);
    ti_pop_label(p);
    p->depth--;
    return 0;
}

static int ti_plain(tx_parser *p)
{
    uint16_t op;
    int hint;
    ti_pos at;
    if (ti_hint(p, &hint, &at) < 0 || ti_lookup(p, &op) < 0 ||
        ti_hint_put(p, hint, &at, op, p->code.len) < 0)
        return -1;
    if (op == OP_BLOCK || op == OP_LOOP || op == OP_IF || op == OP_TRY || op == OP_TRY_TABLE)
        return ti_plain_block(p, op);
    if (op == OP_ELSE || op == OP_END || op == OP_CATCH || op == OP_CATCH_ALL ||
        op == OP_DELEGATE)
        return tx_fail(p, "unexpected token");
    return tx_adv(p) < 0 ? -1 : ti_op_imm(p, op);
}

/* Move the bytes [start, mid) after [mid, end): an operator written before
 * its folded operands. */
static int ti_rotate(tx_parser *p, size_t start, size_t mid)
{
    size_t n = mid - start, rest = p->code.len - mid;
    if (!n || !rest || p->code.oom)
        return p->code.oom ? tx_oom(p) : 0;
    uint8_t small[32];
    uint8_t *tmp = n <= sizeof small ? small : malloc(n);
    if (!tmp)
        return tx_oom(p);
    memcpy(tmp, p->code.data + start, n);
    memmove(p->code.data + start, p->code.data + mid, rest);
    memcpy(p->code.data + start + rest, tmp, n);
    lw_branch_hint *h = p->hints.data;
    for (size_t i = 0; i < p->hints.len; i++)
        if (h[i].offset >= mid)
            h[i].offset -= (uint32_t)n;
    if (tmp != small)
        free(tmp);
    return 0;
}

static int ti_folded_if(tx_parser *p, int hint, const ti_pos *at)
{
    int64_t bt;
    bool is_type;
    if (ti_blocktype(p, &bt, &is_type) < 0)
        return -1;
    while (p->c.tok.kind == TOK_LPAR && !wasm_tok_is(&p->c.next, "then"))
        if (ti_folded(p) < 0)
            return -1;
    if (ti_hint_put(p, hint, at, OP_IF, p->code.len) < 0)
        return -1;
    ti_op(p, OP_IF);
    ti_emit_blocktype(p, bt, is_type);
    if (!tx_at_sexpr(p, "then"))
        return tx_fail(p, p->c.tok.kind == TOK_EOF ? "unexpected end" : "unexpected token");
    if (tx_adv(p) < 0 || tx_adv(p) < 0 || tx_instrs(p) < 0 || tx_expect_rpar(p) < 0)
        return -1;
    if (tx_at_sexpr(p, "else")) {
        wasm_buf_byte(&p->code, 0x05);
        size_t at = p->code.len;
        if (tx_adv(p) < 0 || tx_adv(p) < 0 || tx_instrs(p) < 0 || tx_expect_rpar(p) < 0)
            return -1;
        ti_drop_empty_else(p, at);
    }
    return 0;
}

/* (try label? bt (do instr*) (catch x instr*)* (catch_all instr*)?) or
 * (try label? bt (do instr*) (delegate l)). */
static int ti_folded_try(tx_parser *p)
{
    int64_t bt;
    bool is_type, delegated;
    if (ti_blocktype(p, &bt, &is_type) < 0)
        return -1;
    ti_op(p, OP_TRY);
    ti_emit_blocktype(p, bt, is_type);
    if (!tx_at_sexpr(p, "do"))
        return tx_fail(p, p->c.tok.kind == TOK_EOF ? "unexpected end" : "unexpected token");
    if (tx_adv(p) < 0 || tx_adv(p) < 0 || tx_instrs(p) < 0 || tx_expect_rpar(p) < 0 ||
        ti_legacy_handlers(p, true, &delegated) < 0)
        return -1;
    if (!delegated)
        wasm_buf_byte(&p->code, 0x0b);
    return 0;
}

static int ti_folded(tx_parser *p)
{
    uint16_t op;
    int hint;
    ti_pos at;
    if (ti_enter(p) < 0 || ti_hint(p, &hint, &at) < 0 || tx_adv(p) < 0 ||
        ti_lookup(p, &op) < 0 || tx_adv(p) < 0)
        return -1;
    if (op != OP_IF && op != OP_BR_IF && ti_hint_put(p, hint, &at, op, 0) < 0)
        return -1;
    if (op == OP_BLOCK || op == OP_LOOP || op == OP_TRY_TABLE) {
        int64_t bt;
        bool is_type;
        if (ti_blocktype(p, &bt, &is_type) < 0)
            return -1;
        ti_op(p, op);
        ti_emit_blocktype(p, bt, is_type);
        if (op == OP_TRY_TABLE && ti_catches(p) < 0)
            return -1;
        if (tx_instrs(p) < 0)
            return -1;
        wasm_buf_byte(&p->code, 0x0b);
        ti_pop_label(p);
    } else if (op == OP_TRY) {
        if (ti_folded_try(p) < 0)
            return -1;
        ti_pop_label(p);
    } else if (op == OP_IF) {
        if (ti_folded_if(p, hint, &at) < 0)
            return -1;
        wasm_buf_byte(&p->code, 0x0b);
        ti_pop_label(p);
    } else if (op == OP_ELSE || op == OP_END || op == OP_CATCH || op == OP_CATCH_ALL ||
               op == OP_DELEGATE) {
        return tx_fail(p, "unexpected token");
    } else {
        size_t start = p->code.len;
        if (ti_op_imm(p, op) < 0)
            return -1;
        size_t mid = p->code.len;
        while (p->c.tok.kind == TOK_LPAR)
            if (ti_folded(p) < 0)
                return -1;
        if (ti_rotate(p, start, mid) < 0 ||
            ti_hint_put(p, hint, &at, op, p->code.len - (mid - start)) < 0)
            return -1;
    }
    p->depth--;
    return tx_expect_rpar(p);
}

int tx_instrs(tx_parser *p)
{
    for (;;) {
        if (p->c.tok.kind == TOK_LPAR) {
            if (ti_folded(p) < 0)
                return -1;
        } else if (p->c.tok.kind == TOK_KEYWORD) {
            if (tx_is(p, "end") || tx_is(p, "else") || tx_is(p, "catch") ||
                tx_is(p, "catch_all") || tx_is(p, "delegate"))
                return 0;
            if (ti_plain(p) < 0)
                return -1;
        } else if (p->c.tok.kind == TOK_RESERVED || p->c.tok.kind == TOK_NUM) {
            return tx_fail(p, "%s", p->c.tok.kind == TOK_RESERVED ? wasm_tok_reserved(&p->c.tok)
                                                                 : "unknown operator");
        } else {
            return 0;
        }
    }
}

static int ti_const_begin(tx_parser *p)
{
    p->code.len = 0;
    p->labels.len = 0;
    p->nblocks = 0;
    p->label_names.len = 0;
    p->in_const = true;
    return tx_push(p, &p->labels, sizeof(tx_label)) ? 0 : -1;
}

static int ti_const_end(tx_parser *p, lw_expr *out)
{
    p->in_const = false;
    wasm_buf_byte(&p->code, 0x0b);
    if (p->code.oom)
        return tx_oom(p);
    out->code = wasm_arena_memdup(p->arena, p->code.data, p->code.len);
    out->len = (uint32_t)p->code.len;
    out->offset = 0;
    return out->code ? 0 : tx_oom(p);
}

int tx_const_expr(tx_parser *p, lw_expr *out)
{
    if (ti_const_begin(p) < 0 || tx_instrs(p) < 0)
        return -1;
    return ti_const_end(p, out);
}

int tx_folded_expr(tx_parser *p, lw_expr *out)
{
    if (p->c.tok.kind != TOK_LPAR)
        return tx_fail(p, "unexpected token");
    if (ti_const_begin(p) < 0 || ti_folded(p) < 0)
        return -1;
    return ti_const_end(p, out);
}
