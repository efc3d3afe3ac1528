/* Printing instructions the way wabt's wasm-objdump shows them:
 * "i32.const 1", "call 3 <name>", "br_table 0 1 2", floats in hex.
 * wasm-objdump and the REPL share it; the text follows objdump's
 * conventions (i32.const unsigned, memarg as log2 align then offset, with
 * the memory index between them when it is not 0). */
#include "internal.h"

#include <inttypes.h>

/* ---- hexadecimal floats ------------------------------------------- */

/* sign, then "0x1.fffp+3" / "0x0p+0"; subnormals are normalised and
 * keep their dot ("0x1.p-149"), as wabt writes them. */
static size_t print_hexfloat(char *buf, size_t size, bool neg, uint64_t frac,
                             unsigned frac_bits, int exp_raw, int bias)
{
    const char *sign = neg ? "-" : "";
    if (exp_raw == 0 && frac == 0)
        return (size_t)snprintf(buf, size, "%s0x0p+0", sign);
    int exp = exp_raw - bias;
    bool dot = false;
    if (exp_raw == 0) {
        exp = 1 - bias;
        while (!(frac >> frac_bits)) {
            frac <<= 1;
            exp--;
        }
        frac &= ((uint64_t)1 << frac_bits) - 1;
        dot = true;
    }
    /* Left-align the fraction on a whole number of hex digits. */
    unsigned digits = (frac_bits + 3) / 4;
    frac <<= digits * 4 - frac_bits;
    char hex[20];
    unsigned n = 0;
    for (unsigned i = 0; i < digits; i++)
        hex[n++] = "0123456789abcdef"[(frac >> (4 * (digits - 1 - i))) & 0xf];
    while (n > 0 && hex[n - 1] == '0')
        n--;
    hex[n] = 0;
    return (size_t)snprintf(buf, size, "%s0x1%s%sp%+d", sign,
                            n || dot ? "." : "", hex, exp);
}

static size_t print_special(char *buf, size_t size, bool neg, uint64_t frac,
                            uint64_t quiet)
{
    const char *sign = neg ? "-" : "";
    if (frac == 0)
        return (size_t)snprintf(buf, size, "%sinf", sign);
    if (frac == quiet)
        return (size_t)snprintf(buf, size, "%snan", sign);
    return (size_t)snprintf(buf, size, "%snan:0x%" PRIx64, sign, frac);
}

size_t lw_format_f32(uint32_t bits, char *buf, size_t size)
{
    bool neg = bits >> 31;
    int exp = (bits >> 23) & 0xff;
    uint32_t frac = bits & 0x7fffff;
    if (exp == 0xff)
        return print_special(buf, size, neg, frac, 0x400000);
    return print_hexfloat(buf, size, neg, frac, 23, exp, 127);
}

size_t lw_format_f64(uint64_t bits, char *buf, size_t size)
{
    bool neg = bits >> 63;
    int exp = (bits >> 52) & 0x7ff;
    uint64_t frac = bits & 0xfffffffffffffull;
    if (exp == 0x7ff)
        return print_special(buf, size, neg, frac, 0x8000000000000ull);
    return print_hexfloat(buf, size, neg, frac, 52, exp, 1023);
}

/* ---- the text buffer ------------------------------------------------ */

static void iter_vprintf(lw_instr_iter *it, const char *fmt, va_list ap)
{
    if (it->oom)
        return;
    for (;;) {
        size_t room = it->cap - it->len;
        va_list aq;
        va_copy(aq, ap);
        int n = vsnprintf(it->buf ? it->buf + it->len : NULL, room, fmt, aq);
        va_end(aq);
        if (n < 0) {
            it->oom = true;
            return;
        }
        if ((size_t)n < room) {
            it->len += (size_t)n;
            return;
        }
        size_t cap = it->cap ? it->cap : 64;
        while (cap <= it->len + (size_t)n)
            cap *= 2;
        char *p = realloc(it->buf, cap);
        if (!p) {
            it->oom = true;
            return;
        }
        it->buf = p;
        it->cap = cap;
    }
}

static void __attribute__((format(printf, 2, 3)))
iter_printf(lw_instr_iter *it, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    iter_vprintf(it, fmt, ap);
    va_end(ap);
}

/* " <name>" after an index, when the caller knows one. */
static void iter_name(lw_instr_iter *it, int kind, uint32_t index)
{
    const char *name = it->name ? it->name(it->user, kind, index) : NULL;
    if (name)
        iter_printf(it, " <%s>", name);
}

/* ---- immediates ------------------------------------------------------ */

static void print_valtype(lw_instr_iter *it, lw_valtype t)
{
    char name[LW_VALTYPE_BUFSIZE];
    lw_valtype_format(t, name, sizeof name);
    iter_printf(it, " %s", name);
}

static void print_block(lw_instr_iter *it, int64_t bt)
{
    if (bt == -64)
        return;
    if (bt < 0)
        print_valtype(it, wasm_block_valtype(bt));
    else
        iter_printf(it, " type[%" PRId64 "]", bt);
}

static void print_br_table(lw_instr_iter *it, const wasm_instr *in)
{
    const uint8_t *q = in->imm.br_table.targets;
    for (uint64_t i = 0; i <= in->imm.br_table.count; i++)
        iter_printf(it, " %u", wasm_br_table_next(&q));
}

static void print_v128(lw_instr_iter *it, const uint8_t *b)
{
    for (int i = 0; i < 16; i += 4) {
        uint32_t lane = (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 |
                        (uint32_t)b[i + 2] << 16 | (uint32_t)b[i + 3] << 24;
        iter_printf(it, " 0x%08x", lane);
    }
}

static void print_float(lw_instr_iter *it, const wasm_instr *in, bool f64)
{
    char num[64];
    if (f64)
        lw_format_f64(in->imm.f64, num, sizeof num);
    else
        lw_format_f32(in->imm.f32, num, sizeof num);
    iter_printf(it, " %s", num);
}

/* Typed select shows its (one valid) result type. */
static void print_select(lw_instr_iter *it, const wasm_instr *in)
{
    if (in->imm.select.count > 0)
        print_valtype(it, in->imm.select.type);
}

/* ref.null's heap type: its name ("func"), or a type index. */
static void print_heap(lw_instr_iter *it, lw_heaptype ht)
{
    char name[LW_VALTYPE_BUFSIZE];
    if (lw_heaptype_is_concrete(ht)) {
        iter_printf(it, " %u", lw_heaptype_index(ht));
        return;
    }
    /* "(ref null NAME)" without its parentheses and "ref null " */
    size_t n = lw_valtype_format(LW_REF(0, ht), name, sizeof name);
    iter_printf(it, " %.*s", (int)(n > 6 ? n - 6 : 0), name + 5);
}

/* log2 align, the memory index when it is not 0, the offset. */
static void print_memarg(lw_instr_iter *it, const wasm_instr *in)
{
    if (in->imm.mem.mem != 0)
        iter_printf(it, " %u %u %" PRIu64, in->imm.mem.align, in->imm.mem.mem,
                    in->imm.mem.offset);
    else
        iter_printf(it, " %u %" PRIu64, in->imm.mem.align, in->imm.mem.offset);
}

/* wabt 1.0.32 has no try_table: its block type, then the clauses as the
 * text format writes them, "(catch 0 1) (catch_all_ref 2)". */
static void print_try_table(lw_instr_iter *it, const wasm_instr *in)
{
    static const char *const kinds[] = {"catch", "catch_ref", "catch_all", "catch_all_ref"};
    print_block(it, in->imm.try_table.block);
    const uint8_t *p = in->imm.try_table.catches;
    for (uint32_t i = 0; i < in->imm.try_table.count; i++) {
        wasm_catch k;
        wasm_catch_next(&p, &k);
        if (k.kind < WASM_CATCH_ALL)
            iter_printf(it, " (%s %u %u)", kinds[k.kind], k.tag, k.label);
        else
            iter_printf(it, " (%s %u)", kinds[k.kind], k.label);
    }
}

static void print_imm(lw_instr_iter *it, const wasm_instr *in, uint8_t kind)
{
    switch ((wasm_immkind)kind) {
    case IMM_NONE: break;
    case IMM_ZERO: iter_printf(it, " 0"); break;   /* wabt shows the byte */
    case IMM_BLOCK: print_block(it, in->imm.block); break;
    case IMM_LABEL: case IMM_LOCAL: case IMM_MEMORY: case IMM_DATA:
    case IMM_ELEM: case IMM_TABLE:
        iter_printf(it, " %u", in->imm.index);
        break;
    case IMM_BR_TABLE: print_br_table(it, in); break;
    case IMM_FUNC:
        iter_printf(it, " %u", in->imm.index);
        if (in->op == OP_CALL)
            iter_name(it, LW_PRINT_FUNC, in->imm.index);
        break;
    case IMM_CALL_INDIRECT:
        if (in->op == OP_RETURN_CALL_INDIRECT) {
            /* wabt prints its immediates in binary order, no names. */
            iter_printf(it, " %u %u", in->imm.pair.a, in->imm.pair.b);
            break;
        }
        iter_printf(it, " %u", in->imm.pair.b);
        iter_name(it, LW_PRINT_TABLE, in->imm.pair.b);
        iter_printf(it, " (type %u", in->imm.pair.a);
        iter_name(it, LW_PRINT_TYPE, in->imm.pair.a);
        iter_printf(it, ")");
        break;
    case IMM_GLOBAL:
        iter_printf(it, " %u", in->imm.index);
        iter_name(it, LW_PRINT_GLOBAL, in->imm.index);
        break;
    case IMM_MEMARG:
        print_memarg(it, in);
        break;
    case IMM_MEMARG_LANE:
        print_memarg(it, in);
        iter_printf(it, " %u", in->imm.mem.lane);
        break;
    case IMM_I32: iter_printf(it, " %u", (uint32_t)in->imm.i32); break;
    case IMM_I64: iter_printf(it, " %" PRId64, in->imm.i64); break;
    case IMM_F32: print_float(it, in, false); break;
    case IMM_F64: print_float(it, in, true); break;
    case IMM_SELECT_T: print_select(it, in); break;
    case IMM_REFTYPE: print_heap(it, lw_valtype_heap(in->imm.reftype)); break;
    case IMM_TYPE:
        iter_printf(it, " %u", in->imm.index);
        iter_name(it, LW_PRINT_TYPE, in->imm.index);
        break;
    case IMM_DATA_MEMORY: case IMM_MEMORY_MEMORY: case IMM_ELEM_TABLE:
    case IMM_TABLE_TABLE:
        iter_printf(it, " %u %u", in->imm.pair.a, in->imm.pair.b);
        break;
    case IMM_V128: case IMM_SHUFFLE: print_v128(it, in->imm.bytes); break;
    case IMM_LANE: iter_printf(it, " %u", in->imm.lane); break;
    case IMM_TAG:
        iter_printf(it, " %u", in->imm.index);
        if (in->op == OP_THROW)
            iter_name(it, LW_PRINT_TAG, in->imm.index);
        break;
    case IMM_TRY_TABLE: print_try_table(it, in); break;
    case IMM_TYPE_FIELD: case IMM_TYPE_COUNT: case IMM_TYPE_DATA: case IMM_TYPE_ELEM:
    case IMM_TYPE_TYPE:
        iter_printf(it, " %u %u", in->imm.pair.a, in->imm.pair.b);
        break;
    case IMM_REF_HT: case IMM_REF_NULL_HT: print_valtype(it, in->imm.reftype); break;
    case IMM_BR_ON_CAST:
        iter_printf(it, " %u", in->imm.cast.label);
        print_valtype(it, in->imm.cast.from);
        print_valtype(it, in->imm.cast.to);
        break;
    }
}

/* ---- the iterator ----------------------------------------------------- */

/* The iterator knows no module: it reads memargs in their widest form,
 * which reads a memarg of any valid module the same. */
#define WASM_PRINT_FEATURES (LW_FEATURE(MULTI_MEMORY) | LW_FEATURE(MEMORY64) | \
                             LW_FEATURE(FUNCTION_REFERENCES) | LW_FEATURE(GC) | \
                             LW_FEATURE(EXCEPTIONS))

void lw_instr_iter_init(lw_instr_iter *it, const uint8_t *code, size_t len,
                        uint32_t file_offset)
{
    memset(it, 0, sizeof *it);
    it->start = it->p = code;
    it->end = code + len;
    it->file_offset = file_offset;
}

void lw_instr_iter_free(lw_instr_iter *it)
{
    free(it->buf);
    it->buf = NULL;
    it->cap = it->len = 0;
}

/* Blocks indent what they hold; else, end and the legacy try's catch,
 * catch_all and delegate line up with their opener. */
static void iter_depth(lw_instr_iter *it, uint16_t op, lw_instr_line *line)
{
    bool closes = op == OP_END || op == OP_ELSE || op == OP_CATCH || op == OP_CATCH_ALL ||
                  op == OP_DELEGATE;
    if (closes && it->depth > 0)
        it->depth--;
    line->depth = it->depth;
    if (op == OP_BLOCK || op == OP_LOOP || op == OP_IF || op == OP_ELSE || op == OP_TRY ||
        op == OP_TRY_TABLE || op == OP_CATCH || op == OP_CATCH_ALL)
        it->depth++;
}

int lw_instr_iter_next(lw_instr_iter *it, lw_instr_line *line,
                       lw_error *err)
{
    if (it->p >= it->end)
        return 0;
    const uint8_t *at = it->p;
    wasm_instr in;
    if (wasm_instr_decode(&it->p, it->end, it->start, it->file_offset, WASM_PRINT_FEATURES,
                          &in, err))
        return -1;
    const wasm_opinfo *info = &wasm_opinfo_table[in.op];
    it->len = 0;
    uint32_t rel = (uint32_t)(at - it->start);
    while (it->nhints && it->hints->offset < rel) {
        it->hints++;
        it->nhints--;
    }
    if (it->nhints && it->hints->offset == rel)
        iter_printf(it, "(@metadata.code.branch_hint \"\\%02x\") ", it->hints->likely);
    iter_printf(it, "%s", info->name);
    print_imm(it, &in, info->imm);
    if (it->oom)
        return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    line->offset = it->file_offset + (uint32_t)(at - it->start);
    line->len = (uint32_t)(it->p - at);
    line->bytes = at;
    line->text = it->buf;
    line->is_end = in.op == OP_END;
    iter_depth(it, in.op, line);
    return 1;
}

/* ---- names from a module ------------------------------------------------ */

const char *lw_print_module_name(void *module, int kind, uint32_t index)
{
    const lw_module *m = module;
    switch (kind) {
    case LW_PRINT_FUNC: return lw_module_func_name(m, index);
    case LW_PRINT_GLOBAL: return lw_namemap_get(&m->names.globals, index);
    case LW_PRINT_TABLE: return lw_namemap_get(&m->names.tables, index);
    case LW_PRINT_TYPE: return lw_namemap_get(&m->names.types, index);
    case LW_PRINT_TAG: return lw_namemap_get(&m->names.tags, index);
    }
    return NULL;
}
