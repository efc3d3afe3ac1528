/*
 * libwasm-tools.h — what the toolchain's programs share besides the core
 * API: the .wast script language, instructions printed as wasm-objdump
 * shows them, constant expressions evaluated, and values as text.  The core (libwasm.h) does not depend
 * on any of it, as Lua's lauxlib.h stands apart from lua.h.
 */
#ifndef LIBWASM_TOOLS_H
#define LIBWASM_TOOLS_H

#include "libwasm.h"

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
} lw_script_module;

typedef enum { LW_ACTION_INVOKE, LW_ACTION_GET } lw_actionkind;

typedef struct {
    uint8_t kind;             /* lw_actionkind */
    const char *module;       /* "$id" or NULL for the most recent module   */
    const char *name;         /* export name (UTF-8, NUL-terminated)        */
    uint32_t nargs;
    const lw_val *args;     /* externref args: (void *)(uintptr_t)(N + 1) for ref.extern N */
    uint32_t name_len;        /* the name's length (it may hold NUL bytes)  */
} lw_action;

typedef enum {
    LW_EXPECT_VALUE,        /* exact bits (v128: see lanes)               */
    LW_EXPECT_NAN_CANONICAL,
    LW_EXPECT_NAN_ARITHMETIC,
    LW_EXPECT_REF_NULL,     /* ref.null of val.type                       */
    LW_EXPECT_REF_EXTERN,   /* ref.extern N: val.of.ref == (void *)(N + 1) */
    LW_EXPECT_REF_FUNC,     /* any non-null funcref                       */
} lw_expectkind;

typedef struct {
    uint8_t kind;             /* lw_expectkind */
    lw_val val;             /* type and, for VALUE, the bits              */
    /* v128 with float lanes: shape "f32x4" -> nlanes 4, each lane its own
     * kind (VALUE, NAN_CANONICAL or NAN_ARITHMETIC); 0 lanes = exact bits. */
    uint8_t nlanes;
    uint8_t lane_float;       /* 32 or 64 when lanes are floats             */
    uint8_t lanes[16];
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
    const char *register_module;/* REGISTER: "$id" or NULL (most recent)   */
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

/* Walks instructions; set `name` and `user` after init to get names.
 * The other fields are the iterator's own. */
typedef struct {
    const uint8_t *start, *p, *end;
    uint32_t file_offset;    /* of start */
    uint32_t depth;
    lw_print_namefn name;
    void *user;
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
 * element item, a segment offset), to its one value: the constants,
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
LW_API int lw_val_parse(const char *text, uint8_t type, lw_val *out, lw_error *err);

/* Write v's value without its type: integers signed decimal, floats the
 * shortest decimal that reads back to the same bits (or inf / nan /
 * nan:0x...), v128 "i32x4 0x00000001 ...", refs "null", "func" or the
 * externref's N.  Every output reads back with lw_val_parse (a non-null
 * funcref aside).  Returns the length (snprintf-style). */
LW_API size_t lw_val_format(const lw_val *v, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
