/* The instruction table, and lookups by binary encoding and by name. */
#include "internal.h"

#include <pthread.h>

const wasm_opinfo wasm_opinfo_table[OP_COUNT] = {
#define OP(id, prefix, code, text, imm, a, b, c, r, align) \
    [OP_##id] = {text, prefix, code, imm, {a, b, c}, r, align},
#include "opcodes.def"
#undef OP
};

/* Every opcode of Wasm 2.0 fits in a byte after its prefix, so one flat
 * array per prefix, filled at compile time, holds op + 1 (0: none). */
#define OPC_SLOT(prefix) ((prefix) == 0 ? 0 : (prefix) == 0xFC ? 1 : 2)

const uint16_t wasm_op_codes[3 * 256] = {
#define OP(id, prefix, code, text, imm, a, b, c, r, align) \
    [OPC_SLOT(prefix) * 256 + (code)] = OP_##id + 1,
#include "opcodes.def"
#undef OP
};

uint16_t wasm_op_lookup(uint8_t prefix, uint32_t code)
{
    if (code > 0xFF || (prefix != 0 && prefix != 0xFC && prefix != 0xFD))
        return OP_COUNT;
    uint16_t v = wasm_op_codes[OPC_SLOT(prefix) * 256 + code];
    return v ? (uint16_t)(v - 1) : OP_COUNT;
}

int lw_instr_immkind(uint8_t prefix, uint32_t code)
{
    uint16_t op = wasm_op_lookup(prefix, code);
    return op < OP_COUNT ? wasm_opinfo_table[op].imm : -1;
}

/* Name lookup: the opcodes sorted by name, built once.  Typed select
 * shares its name with select; the untyped one is the answer. */
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
        if (i != OP_SELECT_T)
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
