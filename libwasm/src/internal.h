/* Private to libwasm: shared helpers of the library's stages. */
#ifndef LIBWASM_INTERNAL_H
#define LIBWASM_INTERNAL_H

#include "libwasm-tools.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors ------------------------------------------------------ */

/* Fill err (if not NULL) and return -1. */
int wasm_fail(lw_error *err, lw_errkind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int wasm_fail_at(lw_error *err, lw_errkind kind, uint64_t offset,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int wasm_fail_pos(lw_error *err, lw_errkind kind, uint32_t line,
                  uint32_t column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* ---- arena: a module's (or parser's) allocations, freed at once ---- */

typedef struct wasm_arena_block wasm_arena_block;
typedef struct {
    wasm_arena_block *head;
    size_t used, cap;      /* of head */
    size_t total;          /* bytes handed out, all blocks */
} wasm_arena;

void wasm_arena_init(wasm_arena *a);
void wasm_arena_free(wasm_arena *a);
/* 16-byte aligned, zeroed.  NULL when out of memory. */
void *wasm_arena_alloc(wasm_arena *a, size_t size);
/* Overflow-checked n * size. */
void *wasm_arena_array(wasm_arena *a, size_t n, size_t size);
char *wasm_arena_strndup(wasm_arena *a, const char *s, size_t n);
void *wasm_arena_memdup(wasm_arena *a, const void *p, size_t n);

/* What a module owns besides its public fields. */
struct lw_module_priv {
    wasm_arena arena;
    uint8_t *bytes;        /* the binary when the module owns it, else NULL */
    const uint8_t *base;   /* the binary, owned or borrowed (decoded modules) */
    size_t nbytes;
    bool bodies_deferred;  /* decoded without scanning function bodies: the
                            * validator is the first to read them */
    const char **func_names; /* display name per function, or NULL (module.c) */
};

/* lw_module_decode taking ownership of a malloc'ed buffer (freed even
 * on failure). */
lw_module *wasm_module_decode_owned(uint8_t *bytes, size_t len,
                                    lw_features features, lw_error *err);

/* The function-body checks a full decode makes, for a module decoded with
 * its bodies deferred; fills err with the first failure. */
int wasm_module_scan_bodies(const lw_module *m, lw_error *err);

/* The largest module the library reads or decodes: sizes in the binary
 * format are u32. */
#define WASM_MAX_MODULE_BYTES ((size_t)UINT32_MAX)

/* Judges the first bytes of a file being read (all of it when `complete`):
 * returns 0 to go on, or fills err and returns -1 to stop reading. */
typedef int (*wasm_first_bytes)(const uint8_t *data, size_t len, bool complete,
                                lw_error *err);

/* lw_read_file with a limit checked while reading ("module too large" as
 * soon as the input passes it, so an endless one stops there) and an
 * optional judge of the first 4 KiB. */
int wasm_read_file_limited(const char *path, size_t limit, wasm_first_bytes first,
                           uint8_t **data, size_t *len, lw_error *err);

/* Allocate an empty module with its arena (features set). */
lw_module *wasm_module_new(lw_features features);

/* ---- growable arrays (malloc'ed) ------------------------------------ */

/* Ensure room for `need` elements of `size` in *p (capacity *cap). */
int wasm_vec_reserve(void **p, size_t *cap, size_t need, size_t size);

/* ---- LEB128 -------------------------------------------------------- */

/* Each reads at *p (not past end), advances *p and returns 0, or returns
 * an error code: 1 "unexpected end", 2 "integer representation too long",
 * 3 "integer too large". */
enum { LEB_OK = 0, LEB_END = 1, LEB_TOO_LONG = 2, LEB_TOO_LARGE = 3 };
int wasm_read_u32(const uint8_t **p, const uint8_t *end, uint32_t *out);
int wasm_read_s32(const uint8_t **p, const uint8_t *end, int32_t *out);
int wasm_read_u64(const uint8_t **p, const uint8_t *end, uint64_t *out);
int wasm_read_s64(const uint8_t **p, const uint8_t *end, int64_t *out);
int wasm_read_s33(const uint8_t **p, const uint8_t *end, int64_t *out);
const char *wasm_leb_message(int code);

/* Appending LEB128 to a byte buffer (encoder, text parser). */
typedef struct {
    uint8_t *data;
    size_t len, cap;
    bool oom;
} wasm_buf;
void wasm_buf_byte(wasm_buf *b, uint8_t v);
void wasm_buf_bytes(wasm_buf *b, const void *p, size_t n);
void wasm_buf_u32(wasm_buf *b, uint32_t v);
void wasm_buf_u64(wasm_buf *b, uint64_t v);
void wasm_buf_s32(wasm_buf *b, int32_t v);
void wasm_buf_s64(wasm_buf *b, int64_t v);
void wasm_buf_free(wasm_buf *b);

/* UTF-8 validity of a name. */
bool wasm_utf8_valid(const uint8_t *s, size_t n);

/* ---- the instruction table ---------------------------------------- */

/* Immediate kinds (see opcodes.def). */
typedef enum {
    IMM_NONE,
    IMM_BLOCK,       /* blocktype: 0x40, a value type, or an s33 type index */
    IMM_LABEL,       /* u32 label depth */
    IMM_BR_TABLE,    /* vec(u32) labels, then default u32 */
    IMM_FUNC,        /* u32 function index */
    IMM_CALL_INDIRECT, /* u32 type index, u32 table index */
    IMM_LOCAL,       /* u32 local index */
    IMM_GLOBAL,      /* u32 global index */
    IMM_TABLE,       /* u32 table index */
    IMM_MEMARG,      /* u32 align, u32 offset */
    IMM_MEMORY,      /* memory index (a 0x00 byte in Wasm 2.0) */
    IMM_I32,         /* s32 */
    IMM_I64,         /* s64 */
    IMM_F32,         /* 4 bytes */
    IMM_F64,         /* 8 bytes */
    IMM_SELECT_T,    /* vec(valtype) */
    IMM_REFTYPE,     /* one reftype byte */
    IMM_DATA_MEMORY, /* u32 data index, memory index byte */
    IMM_DATA,        /* u32 data index */
    IMM_MEMORY_MEMORY, /* two memory index bytes */
    IMM_ELEM_TABLE,  /* u32 elem index, u32 table index */
    IMM_ELEM,        /* u32 elem index */
    IMM_TABLE_TABLE, /* u32 table index, u32 table index */
    IMM_V128,        /* 16 bytes */
    IMM_SHUFFLE,     /* 16 lane bytes, each < 32 */
    IMM_LANE,        /* one lane byte */
    IMM_MEMARG_LANE, /* memarg, then one lane byte */
} wasm_immkind;

/* Operand/result type codes in the table.  Non-zero ones are lw_valtype
 * values; OPERAND_NONE marks an unused position; OPERAND_SPECIAL marks an
 * instruction whose typing the validator handles by hand. */
#define T____ 0x00
#define T_I32 0x7f
#define T_I64 0x7e
#define T_F32 0x7d
#define T_F64 0x7c
#define T_V128 0x7b
#define T_SPEC 0x01

typedef enum {
#define OP(id, prefix, code, text, imm, a, b, c, r, align) OP_##id,
#include "opcodes.def"
#undef OP
    OP_COUNT
} wasm_opcode;

typedef struct {
    const char *name;     /* text format name */
    uint8_t prefix;       /* 0, 0xFC or 0xFD */
    uint32_t code;
    uint8_t imm;          /* wasm_immkind */
    uint8_t operands[3];  /* T_* codes, popped last-first */
    uint8_t result;       /* T_* code */
    uint8_t align;        /* log2 of natural alignment for memory ops */
} wasm_opinfo;

extern const wasm_opinfo wasm_opinfo_table[OP_COUNT];

/* Opcode lookup by binary encoding; OP_COUNT when there is none. */
uint16_t wasm_op_lookup(uint8_t prefix, uint32_t code);
/* The table behind wasm_op_lookup, for hot loops: op + 1 (0: none) at
 * code for one-byte opcodes, 256 + code after 0xFC, 512 + code after 0xFD
 * (opcodes.c). */
extern const uint16_t wasm_op_codes[3 * 256];
/* Opcode lookup by text name; OP_COUNT when there is none. */
uint16_t wasm_op_by_name(const char *name, size_t len);

/* One decoded instruction. */
typedef struct {
    uint16_t op;             /* wasm_opcode */
    uint32_t offset;         /* of the first opcode byte, relative to the body start */
    union {
        int64_t block;       /* s33 blocktype: -64 (0x40) empty, -1..-17 a value
                                type (0x7f -> -1, ...), >= 0 a type index */
        uint32_t index;      /* label, func, local, global, table, elem, data, memory */
        struct { uint32_t a, b; } pair; /* call_indirect (type, table), memory.init
                                (data, mem), table.init (elem, table),
                                table.copy / memory.copy (dst, src) */
        struct { uint32_t align; uint64_t offset; uint32_t mem; uint8_t lane; } mem;
        int32_t i32;
        int64_t i64;
        uint32_t f32;
        uint64_t f64;
        uint8_t bytes[16];   /* v128.const, i8x16.shuffle lanes */
        uint8_t lane;
        uint8_t reftype;
        struct { uint32_t count; const uint8_t *targets; } br_table; /* count labels
                                then the default, as u32 LEBs (already checked) */
        struct { uint32_t count; const uint8_t *types; } select; /* typed select */
    } imm;
} wasm_instr;

/* Decode the instruction at *p (body_start is where offsets count from;
 * file_offset is body_start's offset in the binary, for errors).  Checks
 * encoding only (opcode known, immediates well-formed), not types.
 * Returns 0 and advances *p, or fills err (LW_ERR_MALFORMED). */
int wasm_instr_decode(const uint8_t **p, const uint8_t *end,
                      const uint8_t *body_start, uint32_t file_offset,
                      wasm_instr *out, lw_error *err);
/* wasm_instr_decode with the commonest instructions decoded in line: a
 * one-byte opcode with no immediate, or with one index or i32 that fits
 * in one byte.  The hot loops over bodies use this. */
static inline int wasm_instr_next(const uint8_t **p, const uint8_t *end,
                                  const uint8_t *body_start, uint32_t file_offset,
                                  wasm_instr *out, lw_error *err)
{
    const uint8_t *q = *p;
    if (LIKELY(end - q >= 2)) {
        uint16_t op = (uint16_t)(wasm_op_codes[q[0]] - 1);
        uint8_t imm = q[1];
        if (LIKELY(op != (uint16_t)-1)) {
            switch (wasm_opinfo_table[op].imm) {
            case IMM_NONE:
                out->offset = (uint32_t)(q - body_start);
                out->op = op;
                *p = q + 1;
                return 0;
            case IMM_LABEL: case IMM_FUNC: case IMM_LOCAL: case IMM_GLOBAL:
                if (imm & 0x80)
                    break;
                out->offset = (uint32_t)(q - body_start);
                out->op = op;
                out->imm.index = imm;
                *p = q + 2;
                return 0;
            case IMM_I32:
                if (imm & 0x80)
                    break;
                out->offset = (uint32_t)(q - body_start);
                out->op = op;
                out->imm.i32 = (int32_t)((uint32_t)imm << 25) >> 25;
                *p = q + 2;
                return 0;
            default:
                break;
            }
        }
    }
    return wasm_instr_decode(p, end, body_start, file_offset, out, err);
}

/* Next br_table target from imm.br_table.targets (already validated LEBs). */
uint32_t wasm_br_table_next(const uint8_t **p);

/* ---- module helpers (module.c) -------------------------------------- */

/* Fill priv->func_names: the name section's name, else the first export's
 * name, else "module.field" of an import (wasm-objdump's choice).  The
 * decoder calls it; a parser may too.  Returns 0 or -1 (out of memory). */
int wasm_module_index_names(lw_module *m);

#endif
