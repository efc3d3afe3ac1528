/*
 * libwasm-tools.h — what the toolchain's programs share besides the core
 * API: the .wast script language, instructions printed as wasm-objdump
 * shows them, values as text, constant expressions evaluated, the binary
 * format's pieces (LEB128, immediate layouts) for programs that rewrite
 * module bytes, and feature flags on the command line.  The core
 * (libwasm.h) does not depend on any of it, as Lua's lauxlib.h stands
 * apart from lua.h.
 */
#ifndef LIBWASM_TOOLS_H
#define LIBWASM_TOOLS_H

#include "libwasm.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Scripts (.wast): the spec suite's command language                  */
/* ------------------------------------------------------------------ */

typedef enum {
    LW_CMD_MODULE,          /* define (and instantiate) a module          */
    LW_CMD_REGISTER,        /* register NAME [$module]                    */
    LW_CMD_ACTION,          /* a bare invoke or get                       */
    LW_CMD_ASSERT_RETURN,
    LW_CMD_ASSERT_TRAP,     /* action traps; or, with a module, its start traps */
    LW_CMD_ASSERT_EXHAUSTION,
    LW_CMD_ASSERT_INVALID,
    LW_CMD_ASSERT_MALFORMED,
    LW_CMD_ASSERT_UNLINKABLE,
    LW_CMD_ASSERT_UNINSTANTIABLE,
    LW_CMD_ASSERT_EXCEPTION,   /* action ends with an uncaught exception */
    LW_CMD_INSTANCE,        /* (module instance $id? $definition?)        */
} lw_cmdkind;

typedef enum {
    LW_MODSRC_TEXT,         /* src is "(module ...)" text to parse        */
    LW_MODSRC_BINARY,       /* src is the bytes of (module binary "...")  */
    LW_MODSRC_QUOTE,        /* src is the text of (module quote "...")    */
} lw_modsrc;

typedef struct {
    uint8_t kind;             /* lw_modsrc */
    const char *name;         /* "$id" given to the module, or NULL         */
    const char *src;          /* owned by the script; not NUL-terminated for binary */
    size_t len;
    uint32_t line;            /* where "(module" starts in the script       */
    bool definition;          /* (module definition ...): not instantiated  */
} lw_script_module;

typedef enum { LW_ACTION_INVOKE, LW_ACTION_GET } lw_actionkind;

typedef struct {
    uint8_t kind;             /* lw_actionkind */
    const char *module;       /* "$id" or NULL for the most recent module   */
    const char *name;         /* export name (UTF-8, NUL-terminated)        */
    uint32_t nargs;
    const lw_val *args;     /* externref args: (void *)(uintptr_t)(N + 1) for ref.extern N;
                               ref.host N: the same pointer, typed (ref any),
                               for the caller to internalize */
    uint32_t name_len;        /* the name's length (it may hold NUL bytes)  */
} lw_action;

typedef enum {
    LW_EXPECT_VALUE,        /* exact bits (v128: see lanes)               */
    LW_EXPECT_NAN_CANONICAL,
    LW_EXPECT_NAN_ARITHMETIC,
    LW_EXPECT_REF_NULL,     /* ref.null of val.type (0: of any type)      */
    LW_EXPECT_REF_EXTERN,   /* ref.extern N: val.of.ref == (void *)(N + 1) */
    LW_EXPECT_REF_FUNC,     /* any non-null funcref                       */
    LW_EXPECT_EITHER,       /* (either ...): any one of alts              */
    LW_EXPECT_REF_KIND,     /* ref.struct, ref.array, ref.i31, ref.eq, ref.any:
                               a non-null reference of that heap type     */
    LW_EXPECT_REF_HOST,     /* ref.host N: the host reference (void *)(N + 1) */
} lw_expectkind;

typedef struct lw_expect {
    uint8_t kind;             /* lw_expectkind */
    lw_val val;             /* type and, for VALUE, the bits              */
    /* v128 with float lanes: shape "f32x4" -> nlanes 4, each lane its own
     * kind (VALUE, NAN_CANONICAL or NAN_ARITHMETIC); 0 lanes = exact bits. */
    uint8_t nlanes;
    uint8_t lane_float;       /* 32 or 64 when lanes are floats             */
    uint8_t lanes[16];
    uint32_t nalts;           /* EITHER: the alternatives, none an EITHER   */
    const struct lw_expect *alts;
} lw_expect;

typedef struct {
    uint8_t kind;             /* lw_cmdkind */
    uint32_t line;
    bool has_module;          /* MODULE, ASSERT_INVALID/MALFORMED/UNLINKABLE/
                                 UNINSTANTIABLE, and ASSERT_TRAP on a module */
    lw_script_module module;
    bool has_action;
    lw_action action;
    uint32_t nexpect;         /* ASSERT_RETURN */
    const lw_expect *expect;
    const char *text;         /* the expected message of assert_* */
    const char *register_name;  /* REGISTER: the name modules import it as */
    size_t register_name_len;   /* REGISTER: its bytes (it may hold NUL bytes) */
    const char *register_module;/* REGISTER: "$id" or NULL (most recent)   */
    const char *instance_name;  /* INSTANCE: "$id" of the new instance, or NULL */
    const char *instance_of;    /* INSTANCE: "$id" of the module definition
                                   instantiated, or NULL (the most recent) */
} lw_command;

typedef struct lw_script {
    uint32_t ncommands;
    const lw_command *commands;
    struct lw_script_priv *priv;
} lw_script;

/* Parse a .wast script.  Modules are kept as source (see lw_script_module)
 * so each can be decoded, parsed and validated as its command requires. */
LW_API lw_script *lw_script_parse(const char *text, size_t len, lw_error *err);
LW_API void lw_script_free(lw_script *s);

/* ------------------------------------------------------------------ */
/* Printing (print.c): instructions as wasm-objdump shows them         */
/* ------------------------------------------------------------------ */

/* What an index in an instruction refers to, when the printer asks the
 * caller for a name to show as "call 3 <name>". */
typedef enum {
    LW_PRINT_FUNC,
    LW_PRINT_GLOBAL,
    LW_PRINT_TABLE,
    LW_PRINT_TYPE,
    LW_PRINT_TAG,
} lw_print_namekind;

/* Returns the name of item `index` of `kind`, or NULL for none. */
typedef const char *(*lw_print_namefn)(void *user, int kind, uint32_t index);

/* One instruction of a function body or constant expression. */
typedef struct {
    uint32_t offset;         /* file offset of its first byte */
    uint32_t len;            /* its encoded length */
    const uint8_t *bytes;    /* its encoding */
    uint32_t depth;          /* block nesting it is printed at */
    bool is_end;             /* the `end` opcode */
    const char *text;        /* "i32.const 1": valid until the next call */
} lw_instr_line;

/* Walks instructions; set `name` and `user` after init to get names,
 * and `hints` (a body's lw_code.hints, nhints of them) to show branch
 * hints as the text format's annotations before their instruction:
 * (@metadata.code.branch_hint "\01") br_if 0.  The other fields are
 * the iterator's own. */
typedef struct {
    const uint8_t *start, *p, *end;
    uint32_t file_offset;    /* of start */
    uint32_t depth;
    lw_print_namefn name;
    void *user;
    const lw_branch_hint *hints;
    uint32_t nhints;
    char *buf;               /* the text, owned by the iterator */
    size_t cap, len;
    bool oom;
} lw_instr_iter;

/* code/len: the instructions (after a body's local declarations);
 * file_offset: where they start in the binary. */
LW_API void lw_instr_iter_init(lw_instr_iter *it, const uint8_t *code, size_t len,
                               uint32_t file_offset);
/* 1 with *line filled, 0 at the end of the code, -1 with err filled
 * (LW_ERR_MALFORMED with the offset) when an instruction does not decode. */
LW_API int lw_instr_iter_next(lw_instr_iter *it, lw_instr_line *line,
                              lw_error *err);
LW_API void lw_instr_iter_free(lw_instr_iter *it);

/* A lw_print_namefn for a loaded module: set it.name to this and
 * it.user to the (const) lw_module to print its names. */
LW_API const char *lw_print_module_name(void *module, int kind, uint32_t index);

/* Floats as hexadecimal literals: "0x1.8p+0", "-0x0p+0", "inf",
 * "nan:0x200000".  Return the length (snprintf-style). */
LW_API size_t lw_format_f32(uint32_t bits, char *buf, size_t size);
LW_API size_t lw_format_f64(uint64_t bits, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* Reading a binary piece by piece (reader.c)                          */
/* ------------------------------------------------------------------ */

/* A bounds-checked cursor over a binary, the library's one reader of
 * bytes: the decoder reads with it, and so can programs that print a
 * binary as they read it (wasm-objdump) or read the custom sections the
 * decoder does not (the tool conventions' "linking", "reloc.*", ...).  Each
 * read returns 0 and advances p, or returns -1 and fills *err
 * (LW_ERR_MALFORMED, with the offset from base).  Readers made with
 * lw_reader_sub share err, and the first failure stays: later ones leave
 * err as it is, so a chain of reads reports where it first broke. */
typedef struct {
    const uint8_t *base;     /* offset 0 of the binary */
    const uint8_t *p, *end;  /* the next byte; the limit */
    lw_error *err;
    const char *eof;         /* the message for running out of bytes */
} lw_reader;

/* Read base[0..len); clears *err; eof is "unexpected end". */
LW_API void lw_reader_init(lw_reader *r, const uint8_t *base, size_t len, lw_error *err);
/* A reader of len bytes at `from` (inside r's binary), sharing r's err. */
LW_API lw_reader lw_reader_sub(const lw_reader *r, const uint8_t *from, size_t len);
/* Fail at `at` with msg (unless err holds a failure already); returns -1. */
LW_API int lw_reader_fail(lw_reader *r, const uint8_t *at, const char *msg);
LW_API int lw_read_u8(lw_reader *r, uint8_t *out);
/* LEB128: r->eof, "integer representation too long" or "integer too
 * large", at the first byte of the number.  s33: a heap or block type. */
LW_API int lw_read_u32(lw_reader *r, uint32_t *out);
LW_API int lw_read_s32(lw_reader *r, int32_t *out);
LW_API int lw_read_s33(lw_reader *r, int64_t *out);
LW_API int lw_read_s64(lw_reader *r, int64_t *out);
LW_API int lw_read_u64(lw_reader *r, uint64_t *out);
/* n bytes, left in place. */
LW_API int lw_read_bytes(lw_reader *r, uint32_t n, const uint8_t **out);
/* A u32 length, then that many bytes ("length out of bounds" at the
 * length when they are not there); not checked for UTF-8. */
LW_API int lw_read_name(lw_reader *r, const uint8_t **s, uint32_t *n);
/* A vector's count, no more than the bytes after it (each entry takes one
 * at least): "length out of bounds" otherwise. */
LW_API int lw_read_count(lw_reader *r, uint32_t *n);
/* A subsection of a custom section (name, linking, dylink.0): its id
 * byte, a u32 size, then that many bytes, for *sub to read. */
LW_API int lw_read_subsection(lw_reader *r, uint8_t *id, lw_reader *sub);
/* An entry of a name map: an index and its name (as lw_read_name). */
LW_API int lw_read_naming(lw_reader *r, uint32_t *index, const uint8_t **s, uint32_t *n);

/* ------------------------------------------------------------------ */
/* Reading sections entry by entry (sections.c)                        */
/* ------------------------------------------------------------------ */

/* The one reader of the standard sections' entries: the decoder builds
 * its module with it, and wasm-objdump prints with it.  Set one up on a
 * section's contents with lw_secreader_init (any number of times: it
 * keeps no state between entries), read the section's count with
 * lw_read_vec, then each entry with the function for its section; every
 * read returns 0, or -1 with the error in in.err (at the offset of the
 * damage).  The arrays and names an entry holds come from alloc; names
 * are NUL-terminated copies.
 *
 * Two rule sets.  The decoder's (lenient false) are the reference
 * interpreter's: a length counts from its own LEB, names are UTF-8,
 * element kinds are 0, and `features` says which types and segment forms
 * the binary may use.  wabt's wasm-objdump's (lenient true): lengths
 * count from after the LEB, names are bytes, a type's form is a signed
 * LEB, limits may be shared or 64-bit (tables neither), imports may be
 * tags and element kinds are anything. */
typedef struct lw_secreader lw_secreader;
struct lw_secreader {
    lw_reader in;            /* the section's bytes */
    lw_features features;
    bool lenient;
    /* Room for size bytes; NULL when there is none. */
    void *(*alloc)(void *user, size_t size);
    /* A constant expression from in.p through its `end`, which it passes:
     * the caller's own scan (the decoder checks nesting and features). */
    int (*expr)(lw_secreader *sr, lw_expr *e);
    void *user;
};

LW_API void lw_secreader_init(lw_secreader *sr, const lw_reader *in, lw_features features,
                              bool lenient);
/* A vector's count or a length (the rule set's length rule). */
LW_API int lw_read_vec(lw_secreader *sr, uint32_t *n);
/* A name (the rule set's length and UTF-8 rules), copied. */
LW_API int lw_read_string(lw_secreader *sr, const char **s, uint32_t *len);
LW_API int lw_read_valtype(lw_secreader *sr, lw_valtype *t);
/* Type section: a function type. */
LW_API int lw_read_functype(lw_secreader *sr, lw_functype *ft);
/* Type section: an entry's recursion group, *n types (a `rec` entry,
 * 0x4e and a vector, with GC; else one type), each then read with
 * lw_read_subtype: a composite type, `sub` or `sub final` with its
 * supertype (GC).  def's rec_start and rec_size are the caller's to set;
 * ft is empty unless the type is a function type. */
LW_API int lw_read_rec(lw_secreader *sr, uint32_t *n);
LW_API int lw_read_subtype(lw_secreader *sr, lw_functype *ft, lw_typedef *def);
/* Memory section: a memory's limits.  Table section: a table type. */
LW_API int lw_read_memtype(lw_secreader *sr, lw_limits *l);
LW_API int lw_read_tabletype(lw_secreader *sr, lw_tabletype *t);
/* Table section: a table type, with an initializer (0x40 0x00 form, typed
 * references) or without (init->code NULL). */
LW_API int lw_read_table(lw_secreader *sr, lw_tabletype *t, lw_expr *init);
LW_API int lw_read_globaltype(lw_secreader *sr, lw_globaltype *g);
/* Import section (offset set); export section. */
LW_API int lw_read_import(lw_secreader *sr, lw_import *im);
LW_API int lw_read_export(lw_secreader *sr, lw_export *ex);
/* Global section: its type and initialiser. */
LW_API int lw_read_global(lw_secreader *sr, lw_globaldef *g);
/* Element and data sections (entry_offset set). */
LW_API int lw_read_elem(lw_secreader *sr, lw_elem *e);
LW_API int lw_read_data(lw_secreader *sr, lw_data *s);
/* Code section: a body's size and local declarations, leaving in.p at
 * its first instruction; c->body.code is there, and *end is where the
 * size says the body ends (c->body.len is left for the caller, who scans
 * the instructions or skips to *end).  lenient: the size must fit in the
 * section and the locals in the body. */
LW_API int lw_read_code(lw_secreader *sr, lw_code *c, const uint8_t **end);
/* Tag section (exception handling): the attribute byte and type index. */
LW_API int lw_read_tag(lw_secreader *sr, uint32_t *type);

/* ------------------------------------------------------------------ */
/* The binary format's pieces (util.c, opcodes.c), for programs that    */
/* move a module's bytes around without decoding it (bundles regroup    */
/* code by kind)                                                         */
/* ------------------------------------------------------------------ */

/* LEB128 integers.  A read takes the bytes at *p (never past end) and
 * returns LW_LEB_OK with *p advanced, or, with *p unchanged, why the
 * bytes hold no LEB of that type. */
enum {
    LW_LEB_OK,
    LW_LEB_END,        /* the bytes end first: "unexpected end" */
    LW_LEB_TOO_LONG,   /* more bytes than the type allows */
    LW_LEB_TOO_LARGE,  /* unused bits of the last byte set */
};
LW_API int lw_leb_read_u32(const uint8_t **p, const uint8_t *end, uint32_t *out);
LW_API int lw_leb_read_u64(const uint8_t **p, const uint8_t *end, uint64_t *out);
LW_API int lw_leb_read_s32(const uint8_t **p, const uint8_t *end, int32_t *out);
/* Block types are signed 33-bit. */
LW_API int lw_leb_read_s33(const uint8_t **p, const uint8_t *end, int64_t *out);
LW_API int lw_leb_read_s64(const uint8_t **p, const uint8_t *end, int64_t *out);
/* Write v as an unsigned LEB at out (room for LW_LEB_MAX bytes); returns
 * its length. */
#define LW_LEB_MAX 10
LW_API size_t lw_leb_write_u64(uint8_t *out, uint64_t v);

/* What follows an instruction's opcode in the binary format. */
#define LW_IMM_KINDS(X)                                                    \
    X(NONE)                                                                \
    X(BLOCK)         /* blocktype: 0x40, a value type, or an s33 type index */ \
    X(LABEL)         /* u32 label depth */                                 \
    X(BR_TABLE)      /* vec(u32) labels, then default u32 */               \
    X(FUNC)          /* u32 function index */                              \
    X(CALL_INDIRECT) /* u32 type index, u32 table index */                 \
    X(LOCAL)         /* u32 local index */                                 \
    X(GLOBAL)        /* u32 global index */                                \
    X(TABLE)         /* u32 table index */                                 \
    X(MEMARG)        /* u32 flags (log2 align; bit 6 with multi-memory: a  \
                        u32 memory index follows), offset (u64 with     \
                        memory64) */                                    \
    X(MEMORY)        /* memory index: a u32 with multi-memory, else 0x00 */ \
    X(I32)           /* s32 */                                             \
    X(I64)           /* s64 */                                             \
    X(F32)           /* 4 bytes */                                         \
    X(F64)           /* 8 bytes */                                         \
    X(SELECT_T)      /* vec(valtype) */                                    \
    X(REFTYPE)       /* a heap type (one byte in Wasm 2.0) */                \
    X(DATA_MEMORY)   /* u32 data index, memory index */                    \
    X(DATA)          /* u32 data index */                                  \
    X(MEMORY_MEMORY) /* two memory indices (destination, source) */       \
    X(ELEM_TABLE)    /* u32 elem index, u32 table index */                 \
    X(ELEM)          /* u32 elem index */                                  \
    X(TABLE_TABLE)   /* u32 table index, u32 table index */                \
    X(V128)          /* 16 bytes */                                        \
    X(SHUFFLE)       /* 16 lane bytes, each < 32 */                        \
    X(LANE)          /* one lane byte */                                   \
    X(MEMARG_LANE)   /* memarg, then one lane byte */                      \
    X(TYPE)          /* u32 type index */                                  \
    X(TAG)           /* u32 tag index */                                   \
    X(TRY_TABLE)     /* blocktype, vec(catch): a kind byte (0 catch, 1     \
                        catch_ref, 2 catch_all, 3 catch_all_ref), a u32 \
                        tag index for kinds 0 and 1, a u32 label */ \
    X(ZERO)          /* a 0x00 byte (atomic.fence) */                     \
    X(TYPE_FIELD)    /* u32 type index, u32 field index (struct.get) */    \
    X(TYPE_COUNT)    /* u32 type index, u32 count (array.new_fixed) */     \
    X(TYPE_DATA)     /* u32 type index, u32 data index */                  \
    X(TYPE_ELEM)     /* u32 type index, u32 elem index */                  \
    X(TYPE_TYPE)     /* u32 type index, u32 type index (array.copy) */     \
    X(REF_HT)        /* a heap type: the non-null reference (ref.test) */  \
    X(REF_NULL_HT)   /* a heap type: the nullable reference */             \
    X(BR_ON_CAST)    /* a flags byte (bit 0: the source type is nullable, \
                        bit 1: the target type), u32 label, two heap types */

typedef enum {
#define LW_IMM_ENUM_(name) LW_IMM_##name,
    LW_IMM_KINDS(LW_IMM_ENUM_)
#undef LW_IMM_ENUM_
} lw_immkind;

/* The immediate kind of the instruction encoded as `code` after `prefix`
 * (0 for a one-byte opcode, else the prefix byte), or -1
 * when no instruction has that encoding. */
LW_API int lw_instr_immkind(uint8_t prefix, uint32_t code);
/* Whether byte b is an opcode prefix (0xFB..0xFE): a u32 code follows. */
LW_API bool lw_instr_is_prefix(uint8_t b);

/* ------------------------------------------------------------------ */
/* Feature flags on the command line (util.c), as every program takes   */
/* them: wabt's spellings                                               */
/* ------------------------------------------------------------------ */

/* Apply one argument to *f: "--enable-NAME", "--disable-NAME" (any
 * feature of LW_FEATURES, implemented or not) or "--enable-all" (adds
 * every implemented one).  Returns 1 when it was one of them; 0 when arg
 * is no feature flag, err then saying "unknown option 'ARG'" for a
 * program that has no other use for it; -1 with err filled
 * (LW_ERR_USAGE, "unknown feature 'NAME'"). */
LW_API int lw_features_option(const char *arg, lw_features *f, lw_error *err);

/* The lines a program's --help shows for those flags. */
LW_API void lw_features_help(FILE *out);

/* The features a binary module says it uses in its "target_features"
 * custom section, as clang and wasm-ld write it: entries prefixed '+'
 * (used) or '=' (required); '-' (must not be used) adds nothing.  LLVM's
 * names are mapped to ours (simd128 is simd, multimemory multi-memory,
 * ...); names libwasm does not know are left out.  0 when there is no
 * such section, or the bytes are no module or damaged (reader.c). */
LW_API lw_features lw_target_features(const uint8_t *bytes, size_t len);

/* ------------------------------------------------------------------ */
/* Constant expressions (consteval.c)                                  */
/* ------------------------------------------------------------------ */

/* What a constant expression reads from outside it.  Each callback fills
 * *out (type included) and returns 0, or -1 when there is no such item;
 * a NULL callback has none. */
typedef struct {
    int (*global)(void *user, uint32_t index, lw_val *out);  /* global.get */
    int (*func)(void *user, uint32_t index, lw_val *out);    /* ref.func   */
    void *user;
} lw_const_env;

/* Evaluate e, a constant expression of m (a global's initializer, an
 * element item, a segment offset; m NULL: read outside a module, every
 * feature's instructions allowed), to its one value: the constants,
 * ref.null, ref.func, global.get and, with extended-const, i32/i64 add,
 * sub and mul.  Returns 0, or -1 with err filled (LW_ERR_INVALID:
 * "constant expression required", "type mismatch", "unknown global 3";
 * LW_ERR_MALFORMED when an instruction does not decode). */
LW_API int lw_const_eval(const lw_module *m, const lw_expr *e, const lw_const_env *env,
                         lw_val *out, lw_error *err);

/* ------------------------------------------------------------------ */
/* Values as text (value.c): typed literals for REPLs and --invoke      */
/* ------------------------------------------------------------------ */

/* Parse a value of `type` from NUL-terminated text, by the text format's
 * number rules:
 *   i32, i64   decimal or 0x hex, underscores between digits; the unsigned
 *              range, or with a sign the signed range ("-1", "0xffffffff");
 *   f32, f64   "1.5", "-0x1.8p+3", "1e10", "inf", "-nan", "nan:0x200000";
 *   v128       a shape and its lanes separated by blanks: "i32x4 1 2 3 4",
 *              "f64x2 0.5 nan", "i8x16 ..." (i8x16 i16x8 i32x4 i64x2 f32x4 f64x2);
 *   funcref    "null";
 *   externref  "null", or a number N for the host reference (void *)(N + 1)
 *              (the spec scripts' ref.extern N).
 * Returns 0, or -1 with err filled (LW_ERR_USAGE, "'x' is not a valid i32"). */
LW_API int lw_val_parse(const char *text, lw_valtype type, lw_val *out, lw_error *err);

/* Write v's value without its type: integers signed decimal, floats the
 * shortest decimal that reads back to the same bits (or inf / nan /
 * nan:0x...), v128 "i32x4 0x00000001 ...", refs "null", "func" or the
 * externref's N.  Every output reads back with lw_val_parse (a non-null
 * funcref aside).  Returns the length (snprintf-style). */
LW_API size_t lw_val_format(const lw_val *v, char *buf, size_t size);

/* An exception as tools report it: "tag NAME" (lw_tag_name; "tag[N]" for
 * a module's unnamed tag, "a host tag"), then its values with their
 * types, "tag bad (i32 7, i64 -1)".  Returns the length (snprintf-style). */
LW_API size_t lw_exn_format(const lw_exn *e, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* DWARF (dwarf.c): functions and line tables of clang's debug info     */
/* ------------------------------------------------------------------ */

/* The DWARF of a module (versions 2 to 5), read from its custom sections
 * (.debug_info, .debug_abbrev, .debug_line, .debug_str, .debug_line_str,
 * .debug_str_offsets, .debug_addr).  Missing or damaged sections give
 * empty tables (what precedes the damage is kept); NULL only when out of
 * memory.  Strings point into the sections or into the lw_dwarf. */
typedef struct lw_dwarf lw_dwarf;
LW_API lw_dwarf *lw_dwarf_parse(const lw_custom *customs, uint32_t ncustoms);
LW_API void lw_dwarf_free(lw_dwarf *d);

/* One row of a line table.  Addresses are offsets from the start of the
 * code section's contents (the WebAssembly tool conventions). */
typedef struct {
    uint32_t address, end;   /* the row covers [address, end) */
    const char *file;        /* NULL: a file the table does not list */
    uint32_t line, column;   /* 0: unknown */
} lw_dwarf_line;
/* Every row, in the order of the line programs. */
LW_API const lw_dwarf_line *lw_dwarf_lines(const lw_dwarf *d, size_t *n);
/* The function and line of `addr`, from entries inside [lo, hi) (one
 * function's code, so that entries of code the linker dropped never
 * answer).  False, with *loc empty, when nothing is known. */
LW_API bool lw_dwarf_find(const lw_dwarf *d, uint32_t lo, uint32_t hi, uint32_t addr,
                          lw_source_loc *loc);

#ifdef __cplusplus
}
#endif

#endif
