/* The instruction table, and lookups by binary encoding and by name. */
#include "internal.h"

#include <pthread.h>

const wasm_opinfo wasm_opinfo_table[OP_COUNT] = {
#define OP(id, prefix, code, text, imm, a, b, c, r, align, lanes, feature) \
    [OP_##id] = {text, prefix, code, imm, {a, b, c}, r, align, lanes, \
                 WASM_FEATURE_##feature},
#include "opcodes.def"
#undef OP
};

const lw_features wasm_op_features = 0
#define OP(id, prefix, code, text, imm, a, b, c, r, align, lanes, feature) \
    | WASM_FEATURE_##feature
#include "opcodes.def"
#undef OP
    ;

bool wasm_op_enabled(uint16_t op, lw_features features, char *msg, size_t size)
{
    lw_features need = wasm_opinfo_table[op].feature;
    if (LIKELY(!(need & ~features)))
        return true;
    snprintf(msg, size, "illegal opcode %s (feature %s is disabled)",
             wasm_opinfo_table[op].name, lw_feature_name((unsigned)__builtin_ctz(need)));
    return false;
}

/* Rows of 256 holding op + 1 (0: none): row 0 the one-byte opcodes, rows
 * 1..4 the codes below 256 after the prefixes 0xFB..0xFE, all filled at
 * compile time.  A line with a wider code parks at a slot of its own
 * past the rows, where nothing reads; those codes are found by binary
 * search (opc_wide). */
#define OPC_ROW(prefix) ((prefix) ? (prefix) - 0xFA : 0)
#define OPC_ROWS (5 * 256)
#define OPC_SLOT(id, prefix, code) \
    ((code) < 256 ? OPC_ROW(prefix) * 256 + (code) : OPC_ROWS + OP_##id)

const uint16_t wasm_op_codes[OPC_ROWS + OP_COUNT] = {
#define OP(id, prefix, code, text, imm, a, b, c, r, align, lanes, feature) \
    [OPC_SLOT(id, prefix, code)] = OP_##id + 1,
#include "opcodes.def"
#undef OP
};

/* Prefixed opcodes above 255, sorted by (prefix, code), built once. */
static uint16_t opc_wide[OP_COUNT];
static uint32_t opc_nwide;
static pthread_once_t opc_wide_once = PTHREAD_ONCE_INIT;

static uint64_t opc_key(uint8_t prefix, uint32_t code)
{
    return (uint64_t)prefix << 32 | code;
}

static uint64_t opc_op_key(uint16_t op)
{
    return opc_key(wasm_opinfo_table[op].prefix, wasm_opinfo_table[op].code);
}

static int opc_wide_cmp(const void *a, const void *b)
{
    uint64_t x = opc_op_key(*(const uint16_t *)a), y = opc_op_key(*(const uint16_t *)b);
    return (x > y) - (x < y);
}

static void opc_build_wide(void)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < OP_COUNT; i++)
        if (wasm_opinfo_table[i].code > 0xFF)
            opc_wide[n++] = (uint16_t)i;
    qsort(opc_wide, n, sizeof opc_wide[0], opc_wide_cmp);
    opc_nwide = n;
}

static uint16_t opc_lookup_wide(uint8_t prefix, uint32_t code)
{
    pthread_once(&opc_wide_once, opc_build_wide);
    uint64_t key = opc_key(prefix, code);
    uint32_t lo = 0, hi = opc_nwide;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint64_t k = opc_op_key(opc_wide[mid]);
        if (k == key)
            return opc_wide[mid];
        if (k < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return OP_COUNT;
}

uint16_t wasm_op_lookup(uint8_t prefix, uint32_t code)
{
    if (prefix != 0 && !wasm_op_is_prefix(prefix))
        return OP_COUNT;
    if (code > 0xFF)
        return prefix ? opc_lookup_wide(prefix, code) : OP_COUNT;
    uint16_t v = wasm_op_codes[OPC_ROW(prefix) * 256 + code];
    return v ? (uint16_t)(v - 1) : OP_COUNT;
}

int lw_instr_immkind(uint8_t prefix, uint32_t code)
{
    uint16_t op = wasm_op_lookup(prefix, code);
    return op < OP_COUNT ? wasm_opinfo_table[op].imm : -1;
}

bool lw_instr_is_prefix(uint8_t b)
{
    return wasm_op_is_prefix(b);
}

/* Name lookup: the opcodes sorted by name, built once.  Typed select
 * shares its name with select; the untyped one is the answer.  So do the
 * nullable forms of ref.test and ref.cast: the non-null one answers. */
static uint16_t opc_sorted[OP_COUNT];
static uint32_t opc_nsorted;
static pthread_once_t opc_once = PTHREAD_ONCE_INIT;

static int opc_name_cmp(const void *a, const void *b)
{
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    int c = strcmp(wasm_opinfo_table[x].name, wasm_opinfo_table[y].name);
    return c ? c : (int)x - (int)y;
}

static void opc_build_sorted(void)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < OP_COUNT; i++)
        if (i != OP_SELECT_T && i != OP_REF_TEST_NULL && i != OP_REF_CAST_NULL)
            opc_sorted[n++] = (uint16_t)i;
    qsort(opc_sorted, n, sizeof opc_sorted[0], opc_name_cmp);
    opc_nsorted = n;
}

/* Order of a table name against (s, len), as strcmp would sort them. */
static int opc_cmp_len(const char *name, const char *s, size_t len)
{
    size_t n = strlen(name);
    int c = memcmp(name, s, n < len ? n : len);
    if (c)
        return c;
    return n < len ? -1 : n > len;
}

uint16_t wasm_op_by_name(const char *name, size_t len)
{
    pthread_once(&opc_once, opc_build_sorted);
    uint32_t lo = 0, hi = opc_nsorted;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = opc_cmp_len(wasm_opinfo_table[opc_sorted[mid]].name, name, len);
        if (c == 0)
            return opc_sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return OP_COUNT;
}
