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

/* 1 in a build with AddressSanitizer (gcc defines the macro, clang
 * answers __has_feature). */
#if defined(__SANITIZE_ADDRESS__)
#define WASM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WASM_ASAN 1
#endif
#endif
#ifndef WASM_ASAN
#define WASM_ASAN 0
#endif

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
    bool validated;        /* lw_module_validate succeeded: the runtime
                            * trusts the code of no other module */
    const char **func_names; /* display name per function, or NULL (module.c) */
    lw_dwarf *dwarf;         /* read at the first lw_module_source_loc */
};

/* lw_module_decode taking ownership of a malloc'ed buffer (freed even
 * on failure). */
lw_module *wasm_module_decode_owned(uint8_t *bytes, size_t len,
                                    lw_features features, lw_error *err);

/* A decode that leaves function bodies unread (the validator is the first
 * to read them), borrowing `bytes`.  load.c runs it before the validator;
 * on failure a full decode gives the error to report. */
lw_module *wasm_module_decode_deferred(const uint8_t *bytes, size_t len,
                                       lw_features features, lw_error *err);

/* The function-body checks a full decode makes, for a module decoded with
 * its bodies deferred; fills err with the first failure, leaving it as it
 * is when there is none. */
int wasm_module_scan_bodies(const lw_module *m, lw_error *err);

/* Give each of m's ntypes types the definition a Wasm 2.0 type has: a
 * final function type, alone in its recursion group.  NULL when out of
 * memory. */
lw_typedef *wasm_module_func_typedefs(lw_module *m, uint32_t ntypes);

/* A malloc'ed copy of a binary for a module to own; NULL and err filled
 * when it is too large or memory runs out. */
uint8_t *wasm_module_copy_bytes(const uint8_t *bytes, size_t len, lw_error *err);

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
 * an error code (the public LW_LEB_*): "unexpected end", "integer
 * representation too long", "integer too large". */
#define LEB_OK LW_LEB_OK
#define LEB_END LW_LEB_END
#define LEB_TOO_LONG LW_LEB_TOO_LONG
#define LEB_TOO_LARGE LW_LEB_TOO_LARGE
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
/* A value type's encoding: one byte for numeric types, funcref,
 * externref and exnref; 0x63/0x64 and the heap type (s33) for other references. */
void wasm_buf_valtype(wasm_buf *b, lw_valtype t);
void wasm_buf_free(wasm_buf *b);

/* UTF-8 validity of a name. */
bool wasm_utf8_valid(const uint8_t *s, size_t n);

/* ---- the instruction table ---------------------------------------- */

/* Immediate kinds (see opcodes.def): the public lw_immkind under the
 * short names the table uses. */
typedef lw_immkind wasm_immkind;
enum {
#define IMM_ALIAS_(name) IMM_##name = LW_IMM_##name,
    LW_IMM_KINDS(IMM_ALIAS_)
#undef IMM_ALIAS_
};

/* Operand/result type codes in the table.  Non-zero ones are lw_valtype
 * values; T____ marks an unused position; T_SPEC marks an instruction
 * whose typing the validator handles by hand; T_ADDR is the address type
 * of the memory a memarg names. */
#define T____ 0x00
#define T_I32 0x7f
#define T_I64 0x7e
#define T_F32 0x7d
#define T_F64 0x7c
#define T_V128 0x7b
#define T_SPEC 0x01
#define T_ADDR 0x02

/* The FEATURE column: a feature bit, or 0 for the instructions of MVP. */
enum {
    WASM_FEATURE_MVP = 0,
#define WASM_FEATURE_(id, name, def, impl) WASM_FEATURE_##id = LW_FEATURE(id),
    LW_FEATURES(WASM_FEATURE_)
#undef WASM_FEATURE_
};

typedef enum {
#define OP(id, prefix, code, text, imm, a, b, c, r, align, lanes, feature) OP_##id,
#include "opcodes.def"
#undef OP
    OP_COUNT
} wasm_opcode;

typedef struct {
    const char *name;     /* text format name */
    uint8_t prefix;       /* 0, or the prefix byte 0xFB..0xFE */
    uint32_t code;
    uint8_t imm;          /* wasm_immkind */
    uint8_t operands[3];  /* T_* codes, popped last-first */
    uint8_t result;       /* T_* code */
    uint8_t align;        /* log2 of the bytes a memory access reads or writes */
    uint8_t lanes;        /* lanes of the SIMD shape, else 0 */
    lw_features feature;  /* the feature bit that brings it; 0 for MVP */
} wasm_opinfo;

extern const wasm_opinfo wasm_opinfo_table[OP_COUNT];

/* Every feature some instruction of the table needs. */
extern const lw_features wasm_op_features;

/* Whether op is in the language under `features`.  If not, msg gets the
 * one message for it, "illegal opcode NAME (feature F is disabled)"; the
 * decoder reports it as malformed, the validator (text modules) as invalid. */
bool wasm_op_enabled(uint16_t op, lw_features features, char *msg, size_t size);

/* A byte that starts a prefixed opcode (a u32 code follows it). */
static inline bool wasm_op_is_prefix(uint8_t b)
{
    return b >= 0xFB && b <= 0xFE;
}

/* The threads proposal's instructions: every one after the 0xFE prefix. */
static inline bool wasm_op_is_atomic(uint16_t op)
{
    return wasm_opinfo_table[op].prefix == 0xFE;
}

/* Opcode lookup by binary encoding; OP_COUNT when there is none. */
uint16_t wasm_op_lookup(uint8_t prefix, uint32_t code);
/* The table behind wasm_op_lookup, for hot loops: its first 256 entries
 * hold op + 1 (0: none) for each one-byte opcode (opcodes.c); prefix
 * bytes have 0. */
extern const uint16_t wasm_op_codes[];
/* A value type written as one byte (all of them in Wasm 2.0): numeric and
 * vector types are their code, 0x70 and 0x6f are funcref and externref. */
static inline lw_valtype wasm_valtype_byte(uint8_t b)
{
    return b >= LW_V128 ? b : LW_REF(1, b);
}

/* The value type of a one-value block type (wasm_instr.imm.block < 0,
 * not -64): a one-byte type is its byte - 0x80 (-1..-63), as the binary
 * writes it; a typed reference (ref null? ht) is below -64, its valtype
 * negated (so -64 .. -1 and the type indices stay as they are). */
static inline lw_valtype wasm_block_valtype(int64_t bt)
{
    if (bt < -64)
        return (lw_valtype)(-bt - 0x80);
    return wasm_valtype_byte((uint8_t)(bt + 0x80));
}

/* The block type of one value of type t (the inverse of wasm_block_valtype). */
static inline int64_t wasm_valtype_block(lw_valtype t)
{
    if (!lw_valtype_is_ref(t))
        return (int64_t)t - 0x80;
    if (t == LW_FUNCREF || t == LW_EXTERNREF)
        return (int64_t)lw_valtype_heap(t) - 0x80;
    return -(int64_t)t - 0x80;
}

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
                                table.copy / memory.copy (dst, src), GC's
                                type and field, count, data, elem or type */
        struct { uint32_t align; uint64_t offset; uint32_t mem; uint8_t lane; } mem;
        int32_t i32;
        int64_t i64;
        uint32_t f32;
        uint64_t f64;
        uint8_t bytes[16];   /* v128.const, i8x16.shuffle lanes */
        uint8_t lane;
        lw_valtype reftype;  /* ref.null: the nullable reference type;
                                ref.test, ref.cast: the target type */
        struct { uint32_t count; const uint8_t *targets; } br_table; /* count labels
                                then the default, as u32 LEBs (already checked) */
        struct { uint32_t count; lw_valtype type; } select; /* typed select: the
                                count, and the first type when there is one */
        struct { int64_t block; uint32_t count; const uint8_t *catches; } try_table;
                             /* the block type, then count catch clauses
                                (already checked) for wasm_catch_next */
        struct { uint32_t label; lw_valtype from, to; } cast; /* br_on_cast(_fail):
                                the label, the source and target types */
    } imm;
} wasm_instr;

/* Decode the instruction at *p (body_start is where offsets count from;
 * file_offset is body_start's offset in the binary, for errors; features
 * choose the memarg encoding).  Checks encoding only (opcode known,
 * immediates well-formed), not types or features.  Returns 0 and
 * advances *p, or fills err (LW_ERR_MALFORMED). */
int wasm_instr_decode(const uint8_t **p, const uint8_t *end,
                      const uint8_t *body_start, uint32_t file_offset,
                      lw_features features, wasm_instr *out, lw_error *err);
/* wasm_instr_decode with the commonest instructions decoded in line: a
 * one-byte opcode with no immediate, or with one index or i32 that fits
 * in one byte.  The hot loops over bodies use this. */
static inline int wasm_instr_next(const uint8_t **p, const uint8_t *end,
                                  const uint8_t *body_start, uint32_t file_offset,
                                  lw_features features, wasm_instr *out,
                                  lw_error *err)
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
    return wasm_instr_decode(p, end, body_start, file_offset, features, out, err);
}

/* A catch clause of try_table: kind 0 catch, 1 catch_ref, 2 catch_all,
 * 3 catch_all_ref; the tag (kinds 0 and 1) and the label. */
typedef struct {
    uint8_t kind;
    uint32_t tag, label;
} wasm_catch;
enum { WASM_CATCH, WASM_CATCH_REF, WASM_CATCH_ALL, WASM_CATCH_ALL_REF };
/* The next clause from imm.try_table.catches. */
void wasm_catch_next(const uint8_t **p, wasm_catch *c);

/* Next br_table target from imm.br_table.targets (already validated LEBs). */
uint32_t wasm_br_table_next(const uint8_t **p);

/* ---- types (types.c) ------------------------------------------------ */

/* What concrete heap types refer to: a module's type definitions (type
 * indices) or a store's canonical types (canonical ids). */
typedef struct {
    const lw_typedef *defs;
    uint32_t ntypes;
    const lw_functype *funcs;  /* per type, its signature (function types) */
    /* Type index -> an id equal for equal types (iso-recursive
     * equivalence), for the types defs has so far; NULL: the indices
     * are such ids (a store's canonical types). */
    const uint32_t *ids;
} wasm_typectx;

/* The subtype relation: does a value of type sub fit where super is
 * expected?  The validator, the linker and call_indirect all ask here. */
bool wasm_type_match(const wasm_typectx *c, lw_valtype sub, lw_valtype super);
bool wasm_heap_match(const wasm_typectx *c, lw_heaptype sub, lw_heaptype super);
/* The top of the hierarchy ht belongs to: func, extern, exn or any. */
lw_heaptype wasm_heap_top(const wasm_typectx *c, lw_heaptype ht);
/* Does type sub's definition match type super's, as a declared subtype
 * must: the same kind, parameters contravariant, results covariant,
 * struct fields a prefix, mutable fields invariant. */
bool wasm_typedef_match(const wasm_typectx *c, uint32_t sub, uint32_t super);

/* ---- constant expressions (consteval.c) ------------------------------ */

/* The arithmetic extended-const adds to constant expressions: i32/i64
 * add, sub and mul (the validator and the evaluator share the list). */
bool wasm_op_extended_const(uint16_t op);

/* ---- module helpers (module.c) -------------------------------------- */

/* Fill priv->func_names: the name section's name, else the first export's
 * name, else "module.field" of an import (wasm-objdump's choice).  The
 * decoder calls it; a parser may too.  Returns 0 or -1 (out of memory). */
int wasm_module_index_names(lw_module *m);

#endif
