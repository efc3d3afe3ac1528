/*
 * libwasm — decode, validate, print, encode and run WebAssembly modules.
 *
 * The core API, in three parts:
 *   1. errors and features,
 *   2. the module: a read-only, in-memory view of a decoded (or parsed)
 *      module, with load/parse/encode functions,
 *   3. the runtime: stores, instances, host functions, calls and traps.
 * libwasm-tools.h adds what the toolchain's programs share (.wast scripts,
 * printing instructions, values as text).
 *
 * Every function that can fail returns a status (or NULL) and fills a
 * lw_error; nothing the input can reach aborts the process.
 */
#ifndef LIBWASM_H
#define LIBWASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBWASM_VERSION "0.1.0"
#define LIBWASM_SOVERSION 0

/* Marks the functions the shared library exports; everything else in it
 * is built with hidden visibility. */
#if defined(__GNUC__)
#define LW_API __attribute__((visibility("default")))
#else
#define LW_API
#endif

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

typedef enum {
    LW_OK = 0,
    LW_ERR_MALFORMED,   /* binary or text does not decode/parse       */
    LW_ERR_INVALID,     /* decodes, but fails validation              */
    LW_ERR_UNLINKABLE,  /* imports cannot be satisfied                */
    LW_ERR_TRAP,        /* execution trapped (see trap fields)        */
    LW_ERR_EXHAUSTION,  /* call stack exhausted                       */
    LW_ERR_EXIT,        /* guest asked to exit (exit_code is set)     */
    LW_ERR_LIMIT,       /* a configured resource limit was hit        */
    LW_ERR_IO,          /* reading or writing a file failed           */
    LW_ERR_NOMEM,       /* out of memory                              */
    LW_ERR_USAGE,       /* bad argument from the embedder             */
    LW_ERR_EXCEPTION,   /* an exception left the call (see exn)       */
} lw_errkind;

#define LW_MAX_FRAMES 32

typedef struct {
    uint32_t func_index;   /* index in its module's function space       */
    uint32_t code_offset;  /* byte offset in the module binary; 0: none
                            * (a host function, a module parsed from text) */
    const char *name;      /* from the name section, export or NULL      */
    const struct lw_module *module; /* the function's, or NULL (a host
                            * function); valid while the module lives    */
} lw_frame;

typedef struct {
    lw_errkind kind;
    char message[256];     /* the suite's wording: "type mismatch", ...  */
    bool has_offset;       /* binary input: byte offset of the problem   */
    uint64_t offset;
    uint32_t line, column; /* text input: 1-based position, 0 = unknown  */
    int exit_code;         /* LW_ERR_EXIT                              */
    struct lw_exn *exn;    /* LW_ERR_EXCEPTION: the exception, which the
                            * store owns (lw_exn_tag, lw_exn_values) */
    uint32_t nframes;      /* traps: innermost frame first               */
    /* Frames of a deeper stack left out: then frames[0 .. LW_MAX_FRAMES / 2)
     * are the innermost, the rest the outermost, and this many were between
     * frames[LW_MAX_FRAMES / 2 - 1] and frames[LW_MAX_FRAMES / 2]. */
    uint32_t frames_omitted;
    lw_frame frames[LW_MAX_FRAMES];
} lw_error;

LW_API const char *lw_errkind_name(lw_errkind kind);
LW_API void lw_error_clear(lw_error *err);
/* "0x1a: message" / "3:14: message" / "message" into buf. */
LW_API void lw_error_format(const lw_error *err, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* Features                                                            */
/* ------------------------------------------------------------------ */

/* One line per feature: identifier, flag name (as in --enable-NAME),
 * part of Wasm 2.0, implemented: 1 in full, 0 not at all, LW_PARTIAL in
 * part (none is, today).  Every implemented feature is on by default,
 * partial ones too (Wasm 3.0 as far as it is implemented); --help lists
 * a partial one as such. */
#define LW_PARTIAL 2
#define LW_FEATURES(X)                                           \
    X(MUTABLE_GLOBALS, "mutable-globals", 1, 1)                     \
    X(SIGN_EXT, "sign-extension", 1, 1)                             \
    X(SAT_FLOAT_TO_INT, "saturating-float-to-int", 1, 1)            \
    X(MULTI_VALUE, "multi-value", 1, 1)                             \
    X(BULK_MEMORY, "bulk-memory", 1, 1)                             \
    X(REFERENCE_TYPES, "reference-types", 1, 1)                     \
    X(SIMD, "simd", 1, 1)                                           \
    X(TAIL_CALL, "tail-call", 0, 1)                                 \
    X(EXTENDED_CONST, "extended-const", 0, 1)                       \
    X(MULTI_MEMORY, "multi-memory", 0, 1)                           \
    X(MEMORY64, "memory64", 0, 1)                                   \
    X(THREADS, "threads", 0, 1)                                     \
    X(EXCEPTIONS, "exceptions", 0, 1)                               \
    X(RELAXED_SIMD, "relaxed-simd", 0, 1)                           \
    X(FUNCTION_REFERENCES, "function-references", 0, 1)             \
    X(GC, "gc", 0, 1)                                               \
    X(ANNOTATIONS, "annotations", 0, 1)

enum {
#define LW_FEATURE_ENUM_(id, name, def, impl) LW_FEATURE_BIT_##id,
    LW_FEATURES(LW_FEATURE_ENUM_)
#undef LW_FEATURE_ENUM_
    LW_FEATURE_COUNT
};

#define LW_FEATURE(id) (1u << LW_FEATURE_BIT_##id)
typedef uint32_t lw_features;

LW_API lw_features lw_features_all(void);     /* all implemented, partial ones too */
LW_API lw_features lw_features_default(void); /* the same: Wasm 3.0 */
LW_API lw_features lw_features_wasm2(void);   /* Wasm 2.0 */
/* Look a feature up by its flag name ("simd"); 0 if unknown. */
LW_API lw_features lw_feature_by_name(const char *name);
LW_API const char *lw_feature_name(unsigned bit);
/* Implemented in full. */
LW_API bool lw_feature_implemented(unsigned bit);

/* ------------------------------------------------------------------ */
/* Types                                                               */
/* ------------------------------------------------------------------ */

/* A value type, packed in 32 bits.  Numeric and vector types are their
 * binary code; a reference type has 0x63 (ref null ht) or 0x64 (ref ht)
 * in its low byte and its heap type in bits 8..31. */
typedef uint32_t lw_valtype;
/* A heap type: an abstract one is its binary code (below 0x80); a concrete
 * one is LW_HEAP_TYPE(i), with i a type index in a module and a canonical
 * type id in a store. */
typedef uint32_t lw_heaptype;

#define LW_I32 0x7fu
#define LW_I64 0x7eu
#define LW_F32 0x7du
#define LW_F64 0x7cu
#define LW_V128 0x7bu
/* Packed storage types, for struct fields and array elements only. */
#define LW_I8 0x78u
#define LW_I16 0x77u

#define LW_HEAP_FUNC 0x70u
#define LW_HEAP_EXTERN 0x6fu
#define LW_HEAP_ANY 0x6eu
#define LW_HEAP_EQ 0x6du
#define LW_HEAP_I31 0x6cu
#define LW_HEAP_STRUCT 0x6bu
#define LW_HEAP_ARRAY 0x6au
#define LW_HEAP_EXN 0x69u
#define LW_HEAP_NONE 0x71u
#define LW_HEAP_NOEXTERN 0x72u
#define LW_HEAP_NOFUNC 0x73u
#define LW_HEAP_NOEXN 0x74u
#define LW_HEAP_TYPE(i) (0x80u + (uint32_t)(i))   /* i < 2^24 - 0x80 */
#define LW_HEAP_MAX_INDEX (0xffffffu - 0x80u)

#define LW_REF_NULLABLE 0x63u  /* low byte of (ref null ht) */
#define LW_REF_NONNULL 0x64u   /* low byte of (ref ht) */
#define LW_REF(nullable, ht) \
    (((nullable) ? LW_REF_NULLABLE : LW_REF_NONNULL) | ((lw_valtype)(ht) << 8))
#define LW_FUNCREF LW_REF(1, LW_HEAP_FUNC)
#define LW_EXTERNREF LW_REF(1, LW_HEAP_EXTERN)
#define LW_EXNREF LW_REF(1, LW_HEAP_EXN)

static inline bool lw_valtype_is_ref(lw_valtype t)
{
    return (t & 0xffu) == LW_REF_NULLABLE || (t & 0xffu) == LW_REF_NONNULL;
}
static inline bool lw_valtype_is_num(lw_valtype t)
{
    return t >= LW_F64 && t <= LW_I32;
}
static inline bool lw_valtype_nullable(lw_valtype t)
{
    return (t & 0xffu) == LW_REF_NULLABLE;
}
static inline lw_heaptype lw_valtype_heap(lw_valtype t) { return t >> 8; }
static inline bool lw_heaptype_is_concrete(lw_heaptype h) { return h >= 0x80u; }
static inline uint32_t lw_heaptype_index(lw_heaptype h) { return h - 0x80u; }

/* The name of a type that has a fixed one: "i32", "v128", "funcref",
 * "anyref" (a nullable abstract reference); "?" for the others. */
LW_API const char *lw_valtype_name(lw_valtype type);
/* Any value type as the text format writes it: the names above, else
 * "(ref func)", "(ref null 3)".  Returns the length (snprintf-style). */
LW_API size_t lw_valtype_format(lw_valtype type, char *buf, size_t size);
/* Enough room for lw_valtype_format's longest output. */
#define LW_VALTYPE_BUFSIZE 32

typedef enum {
    LW_EXTERN_FUNC = 0,
    LW_EXTERN_TABLE = 1,
    LW_EXTERN_MEMORY = 2,
    LW_EXTERN_GLOBAL = 3,
    LW_EXTERN_TAG = 4,       /* exception handling's tags */
} lw_externkind;

LW_API const char *lw_externkind_name(uint8_t kind); /* "func", "table", ... */

typedef struct {
           uint32_t nparams, nresults;
    const lw_valtype *params;
    const lw_valtype *results;
} lw_functype;

typedef struct {
    uint64_t min, max;
    bool has_max;
    bool shared;
    bool is64;
} lw_limits;

typedef struct {
    lw_valtype reftype;      /* a reference type */
    lw_limits limits;
} lw_tabletype;

typedef struct {
    lw_valtype type;
    bool mut;
} lw_globaltype;

LW_API bool lw_functype_equal(const lw_functype *a, const lw_functype *b);

/* The composite type a type definition holds. */
typedef enum {
    LW_COMP_FUNC = 0x60,
    LW_COMP_STRUCT = 0x5f,
    LW_COMP_ARRAY = 0x5e,
} lw_compkind;

#define LW_NO_SUPER UINT32_MAX

/* A struct field or an array's element: a value type or a packed one
 * (LW_I8, LW_I16), and whether it can change. */
typedef struct {
    lw_valtype type;
    bool mut;
} lw_fieldtype;

/* A type definition's place among subtypes and recursion groups, and the
 * fields of a struct or array type (a function type's signature is
 * lw_module.types[i], empty for the other kinds).  A type written without
 * `sub` is final, with no declared supertype, alone in its group. */
typedef struct {
    uint8_t kind;            /* lw_compkind */
    bool final;
    uint32_t super;          /* type index of the declared supertype, or LW_NO_SUPER */
    uint32_t rec_start;      /* first type of its recursion group */
    uint32_t rec_size;       /* types in the group */
    uint32_t nfields;        /* struct: its fields; array: 1, its element; func: 0 */
    const lw_fieldtype *fields;
} lw_typedef;

/* ------------------------------------------------------------------ */
/* The module (read-only once loaded)                                  */
/* ------------------------------------------------------------------ */

/* Bytes of a constant expression or function body, ending with `end`.
 * `offset` is where they start in the binary (0 for text modules). */
typedef struct {
    const uint8_t *code;
    uint32_t len;
    uint32_t offset;
} lw_expr;

typedef struct {
    const char *module;
    const char *name;
    uint8_t kind;            /* lw_externkind */
    union {
        uint32_t func;       /* type index */
        lw_tabletype table;
        lw_limits memory;
        lw_globaltype global;
        uint32_t tag;        /* type index */
    } desc;
    uint32_t offset;         /* of the import entry in the binary */
    uint32_t module_len, name_len; /* names may hold NUL bytes */
} lw_import;

typedef struct {
    const char *name;        /* NUL-terminated, but may hold NUL bytes: */
    uint8_t kind;
    uint32_t index;
    uint32_t name_len;       /* its length */
} lw_export;

typedef struct {
    uint32_t count;
    lw_valtype type;
} lw_localgroup;

/* A branch hint (the custom section metadata.code.branch_hint, the
 * text format's (@metadata.code.branch_hint "\01")): the `if` or `br_if`
 * at `offset` of a body's instructions (lw_code.body) is likely taken
 * (1) or not (0). */
typedef struct {
    uint32_t offset;
    uint8_t likely;
} lw_branch_hint;

/* A function defined by the module (imports are not in this array). */
typedef struct {
    uint32_t type;           /* type index */
    uint32_t nlocalgroups;
    const lw_localgroup *localgroups;
    uint32_t nlocals;        /* declared locals, params not included */
    lw_expr body;          /* instructions after the local declarations */
    uint32_t size_offset;    /* offset of the body's size field (binary) */
    uint32_t locals_offset;  /* offset of the local declarations (binary) */
    uint32_t nhints;         /* branch hints, by offset */
    const lw_branch_hint *hints;
} lw_code;

typedef struct {
    lw_globaltype type;
    lw_expr init;
} lw_globaldef;

typedef enum {
    LW_SEG_ACTIVE = 0,
    LW_SEG_PASSIVE = 1,
    LW_SEG_DECLARATIVE = 2,
} lw_segmode;

typedef struct {
    uint8_t flags;           /* binary flags 0..7, kept for printers and the encoder */
    uint8_t mode;            /* lw_segmode */
    lw_valtype reftype;
    uint32_t table;
    lw_expr offset;        /* active only */
    uint32_t count;
    const uint32_t *funcs;   /* flags 0..3: function indices, else NULL */
    const lw_expr *exprs;  /* flags 4..7: one expression each, else NULL */
    uint32_t entry_offset;   /* binary offset of the segment */
} lw_elem;

typedef struct {
    uint8_t flags;           /* 0, 1 or 2 */
    uint8_t mode;            /* LW_SEG_ACTIVE or LW_SEG_PASSIVE */
    uint32_t memory;
    lw_expr offset;        /* active only */
    const uint8_t *bytes;
    uint32_t len;
    uint32_t data_offset;    /* binary offset of the bytes */
    uint32_t entry_offset;   /* binary offset of the segment */
} lw_data;

typedef struct {
    const char *name;
    const uint8_t *data;     /* contents after the name */
    uint32_t len;
    uint32_t offset;         /* binary offset of the contents */
    uint8_t after;           /* id of the last known section before it (0: none) */
} lw_custom;

/* One entry of the binary's section list, in file order (for objdump -h). */
typedef struct {
    uint8_t id;
    const char *name;        /* custom sections: their name; else NULL */
    uint32_t offset;         /* of the contents, after the size field */
    uint32_t size;
    uint32_t count;          /* entries, for vector sections; else 0 */
} lw_section;

typedef struct {
    uint32_t index;
    const char *name;
} lw_name;

typedef struct {
    uint32_t count;          /* sorted by index */
    const lw_name *names;
} lw_namemap;

typedef struct {
    uint32_t index;          /* function index */
    lw_namemap map;        /* local (or label) index -> name */
} lw_indirect_name;

typedef struct {
    uint32_t count;          /* sorted by function index */
    const lw_indirect_name *entries;
} lw_indirect_namemap;

/* The name section (and, for text modules, the $identifiers). */
typedef struct {
    const char *module;      /* NULL when absent */
    lw_namemap funcs;
    lw_indirect_namemap locals;
    lw_indirect_namemap labels;
    lw_namemap types, tables, memories, globals, elems, datas;
    lw_namemap tags;         /* subsection 11 */
} lw_names;

typedef struct lw_module {
    lw_features features;

    uint32_t ntypes;         const lw_functype *types;
    const lw_typedef *typedefs;  /* one per type */
    uint32_t nimports;       const lw_import *imports;
    /* The index spaces count imports first. */
    uint32_t nfuncs, nfunc_imports;     const uint32_t *func_types;  /* type index per function, imports included */
    uint32_t ntables, ntable_imports;   const lw_tabletype *tables; /* imports included */
    uint32_t nmems, nmem_imports;       const lw_limits *mems;      /* imports included */
    uint32_t nglobals, nglobal_imports; const lw_globaltype *globals; /* imports included */
    uint32_t ntags, ntag_imports;       const uint32_t *tags;       /* type index per tag, imports included */
    uint32_t ncodes;         const lw_code *codes;        /* defined functions: index nfunc_imports + i */
    uint32_t nglobaldefs;    const lw_globaldef *globaldefs; /* defined globals */
    uint32_t nexports;       const lw_export *exports;
    bool has_start;          uint32_t start;
    uint32_t nelems;         const lw_elem *elems;
    uint32_t ndatas;         const lw_data *datas;
    bool has_datacount;      uint32_t datacount;
    uint32_t ncustoms;       const lw_custom *customs;
    uint32_t nsections;      const lw_section *sections;
    lw_names names;
    /* Functions that may be referenced by ref.func in bodies (C.refs). */
    const uint8_t *declared_funcs; /* bitmap over nfuncs bits */
    /* Defined table i (index ntable_imports + i): its initializer, or
     * code NULL (the table starts null).  NULL when no table is defined. */
    const lw_expr *table_inits;

    /* Private to the library. */
    struct lw_module_priv *priv;
} lw_module;

/* Decode a binary module.  The bytes are copied; the module owns all it
 * points to.  Returns NULL and fills err on failure. */
LW_API lw_module *lw_module_decode(const uint8_t *bytes, size_t len,
                                   lw_features features, lw_error *err);
/* Decode without copying: the module points into `bytes`, which the caller
 * keeps allocated and unchanged until lw_module_free.  They are read again
 * after validation (each function body is compiled at its first call), so
 * no other process may be able to write them: not a mapping of a file
 * that can change, which would let unvalidated code reach the compiler. */
LW_API lw_module *lw_module_decode_borrowed(const uint8_t *bytes, size_t len,
                                            lw_features features, lw_error *err);
/* Parse a module in the text format (.wat). */
LW_API lw_module *lw_module_parse_text(const char *text, size_t len,
                                       lw_features features, lw_error *err);
/* The format of a module's bytes: binary when they start with "\0asm";
 * text when the first token after white space and comments is "(";
 * else neither (an empty file, a native executable). */
typedef enum { LW_FORMAT_NONE, LW_FORMAT_BINARY, LW_FORMAT_TEXT } lw_format;
LW_API lw_format lw_module_format(const uint8_t *data, size_t len);
/* Read a module file whole (malloc'ed) and say which format it is in.
 * Fails with "not a WebAssembly module (binary or text): " and the
 * decoder's reason ("magic header not detected") when neither,
 * as soon as the first bytes show it, and with "module too large" (LW_ERR_LIMIT)
 * as soon as the input passes 4 GiB, so that endless inputs stop. */
LW_API int lw_module_read_file(const char *path, uint8_t **data, size_t *len,
                               lw_format *format, lw_error *err);
/* Read a module file (lw_module_read_file), then decode or parse it. */
LW_API lw_module *lw_module_load_file(const char *path, lw_features features,
                                      lw_error *err);
/* Full Wasm validation (the decoder only checks the binary structure). */
LW_API int lw_module_validate(const lw_module *m, lw_error *err);
/* decode + validate in one call (each function body is read once).  The
 * _borrowed form does not copy `bytes`, which must outlive the module
 * unchanged, as for lw_module_decode_borrowed. */
LW_API lw_module *lw_module_load(const uint8_t *bytes, size_t len,
                                 lw_features features, lw_error *err);
LW_API lw_module *lw_module_load_borrowed(const uint8_t *bytes, size_t len,
                                          lw_features features, lw_error *err);
LW_API void lw_module_free(lw_module *m);

/* Encode to the binary format, with a name section when names are known.
 * *out is malloc'ed; the caller frees it. */
LW_API int lw_module_encode(const lw_module *m, uint8_t **out, size_t *len,
                            lw_error *err);

/* Helpers over a module. */
LW_API const lw_functype *lw_module_func_type(const lw_module *m, uint32_t func);
/* Name of a function, as wasm-objdump shows it: name section, else an
 * export name, else import "module.name", else NULL. */
LW_API const char *lw_module_func_name(const lw_module *m, uint32_t func);
LW_API const char *lw_namemap_get(const lw_namemap *map, uint32_t index);
LW_API const lw_namemap *lw_module_local_names(const lw_module *m, uint32_t func);

/* Where code lies in the source, from the module's DWARF (clang -g). */
typedef struct {
    const char *func;        /* the function's name in the source, or NULL */
    const char *file;        /* the source file's path, or NULL */
    uint32_t line, column;   /* 1-based; 0 when unknown */
} lw_source_loc;
/* The source location of code_offset (a byte offset in the module's
 * binary, as lw_frame has it) in function func.  The DWARF is read at
 * the first call, never before, and kept with the module (any thread may
 * call).  False, with *loc empty, when the module has no DWARF for it,
 * or damaged DWARF.  The strings live as long as the module. */
LW_API bool lw_module_source_loc(const lw_module *m, uint32_t func, uint32_t code_offset,
                                 lw_source_loc *loc);
/* A trap frame's name as backtraces show it: the name section's, else
 * DWARF's, else f->name (an export's or an import's); NULL when none.
 * *loc is f's source location (lw_module_source_loc); *known says
 * whether there is one. */
LW_API const char *lw_frame_name(const lw_frame *f, lw_source_loc *loc, bool *known);
LW_API const lw_export *lw_module_find_export(const lw_module *m, const char *name);
/* The same for a name of len bytes (export names may hold NUL bytes). */
LW_API const lw_export *lw_module_find_export_n(const lw_module *m, const char *name,
                                                size_t len);

/* Does a value of type `sub` fit where m expects `super` (concrete heap
 * types are m's type indices)? */
LW_API bool lw_valtype_match(const lw_module *m, lw_valtype sub, lw_valtype super);

/* Read a whole file into memory (malloc'ed).  Returns 0 or fills err;
 * past 4 GiB, "module too large" (LW_ERR_LIMIT), checked while reading. */
LW_API int lw_read_file(const char *path, uint8_t **data, size_t *len, lw_error *err);

/* ------------------------------------------------------------------ */
/* Runtime                                                             */
/* ------------------------------------------------------------------ */

typedef struct lw_store lw_store;
typedef struct lw_instance lw_instance;
typedef struct lw_func lw_func;
typedef struct lw_table lw_table;
typedef struct lw_memory lw_memory;
typedef struct lw_global lw_global;
typedef struct lw_tag lw_tag;
typedef struct lw_exn lw_exn;

/* A value with its type.  Floats are kept as bits so NaN payloads
 * survive.  funcref: a lw_func * (NULL = null).  externref: any host
 * pointer; null is LW_REF_NULL.  exnref: a lw_exn * in of.ref. */
typedef struct {
    lw_valtype type;
    union {
        int32_t i32;
        int64_t i64;
        uint32_t f32;        /* IEEE bits */
        uint64_t f64;        /* IEEE bits */
        uint8_t v128[16];
        lw_func *func;
        void *ref;
    } of;
} lw_val;

#define LW_REF_NULL ((void *)0)

typedef struct {
    uint8_t kind;            /* lw_externkind */
    union {
        lw_func *func;
        lw_table *table;
        lw_memory *memory;
        lw_global *global;
        lw_tag *tag;
    } of;
} lw_extern;

/* Limits of a store; zero fields take the defaults. */
typedef struct {
    uint64_t max_memory_pages;   /* per memory (default 65536 = 4 GiB) */
    uint64_t max_table_elems;    /* per table (default 10,000,000) */
    uint64_t max_stack_bytes;    /* frames' slots (default 8 MiB), and one call
                                  * per 32 bytes; reserved, used as touched */
    uint32_t max_call_depth;     /* calls at once (default: what the stack holds) */
    uint64_t max_instances;      /* default unlimited */
    uint64_t max_heap_bytes;     /* GC objects (default unlimited); past it,
                                  * an allocation traps "out of memory" */
} lw_store_limits;

/* Threads: a store is one thread's execution context (its stack, trap
 * state, fuel and interrupt flag) and is used by one thread at a time;
 * stores in different threads run at once.  A module may be instantiated
 * in several stores at once.  A shared memory (limits.shared) is the one
 * object that crosses stores: import it into a store per thread, and it
 * lives until the last store that holds it is freed.  lw_store_interrupt
 * and the atomic instructions' wait and notify work across threads. */
LW_API lw_store *lw_store_new(const lw_store_limits *limits);
LW_API void lw_store_free(lw_store *s); /* frees every instance and object in it */
/* Fuel: each function entry and loop back-edge costs 1; at 0 the guest
        * traps "fuel exhausted".  UINT64_MAX (the default) disables metering. */
LW_API void lw_store_set_fuel(lw_store *s, uint64_t fuel);
LW_API uint64_t lw_store_get_fuel(const lw_store *s);
/* Ask running code to stop with the trap "interrupted".  Safe to call from
 * a signal handler or another thread. */
LW_API void lw_store_interrupt(lw_store *s);
/* Drop a request to stop that no code has seen yet (a Ctrl-C that came
 * after the call it was meant for), so that the next call runs. */
LW_API void lw_store_clear_interrupt(lw_store *s);

/* Host functions.  Return 0 to continue; to trap, return the result of
 * lw_host_trap or lw_host_exit; to throw, that of lw_host_throw. */
typedef struct lw_host_call lw_host_call;
typedef int (*lw_host_fn)(lw_host_call *call, const lw_val *args,
                          lw_val *results);

LW_API void *lw_host_user(const lw_host_call *call);
/* The instance whose code made the call (NULL when called from the host). */
LW_API lw_instance *lw_host_caller(const lw_host_call *call);
/* The caller's memory 0, or NULL. */
LW_API lw_memory *lw_host_memory(const lw_host_call *call);
LW_API int lw_host_trap(lw_host_call *call, const char *message);
LW_API int lw_host_exit(lw_host_call *call, int exit_code);

/* Exceptions.  A tag has a function type without results: the types of
 * the values an exception of it carries.  Tags are equal only to
 * themselves, so a host that imports one tag into several modules lets
 * them catch each other's exceptions. */
LW_API lw_tag *lw_tag_new(lw_store *s, const lw_functype *type, lw_error *err);
LW_API const lw_functype *lw_tag_type(const lw_tag *t);
/* A tag's name for messages: the name section's of the module that
 * defines it, else one of its exports'; NULL for the host's tags and
 * unnamed ones. */
LW_API const char *lw_tag_name(const lw_tag *t);
/* An exception of tag with its values (checked against the tag's type).
 * The store owns it, as it owns every exception the host sees (err->exn
 * of a call that ended with LW_ERR_EXCEPTION, an exnref value): they live
 * until lw_store_free, there being no collector yet.  Exceptions that
 * wasm catches without catch_ref are freed at once. */
LW_API lw_exn *lw_exn_new(lw_store *s, lw_tag *tag, const lw_val *vals, uint32_t nvals,
                          lw_error *err);
LW_API lw_tag *lw_exn_tag(const lw_exn *e);
/* The exception's values into out[0 .. nparams of its tag's type). */
LW_API void lw_exn_values(const lw_exn *e, lw_val *out);
/* Throw exn from a host function (return its result): the wasm code
 * that called it may catch it; else the call that entered wasm ends with
 * LW_ERR_EXCEPTION.  This rethrows an exception a nested lw_func_call
 * reported, too. */
LW_API int lw_host_throw(lw_host_call *call, lw_exn *exn);

LW_API lw_func *lw_func_new_host(lw_store *s, const lw_functype *type,
                                 lw_host_fn fn, void *user);
LW_API const lw_functype *lw_func_type(const lw_func *f);
/* Does v fit where type t (a store's type, as lw_func_type gives it) is
 * expected?  A reference is judged by what it holds (a function's own
 * type, an object's struct or array type, i31), not by v->type: the
 * check lw_func_call makes of each argument. */
LW_API bool lw_val_matches(const lw_store *s, const lw_val *v, lw_valtype t);
/* Call f.  Returns 0, or fills err (LW_ERR_TRAP, _EXHAUSTION, _EXIT, ...);
 * an argument that does not fit its parameter (lw_val_matches) is
 * LW_ERR_USAGE, before anything runs. */
LW_API int lw_func_call(lw_store *s, lw_func *f, const lw_val *args,
                        uint32_t nargs, lw_val *results, uint32_t nresults,
                          lw_error *err);

/* A memory of limits->min pages (limits->is64: 64-bit addresses, memory64);
 * it grows up to its maximum or the store's max_memory_pages, the lower.
 * limits->shared (threads; a maximum is required): a memory that never
 * moves, which other stores, in other threads, may import. */
LW_API lw_memory *lw_memory_new(lw_store *s, const lw_limits *limits, lw_error *err);
LW_API uint8_t *lw_memory_data(lw_memory *m);
LW_API uint64_t lw_memory_size(const lw_memory *m);   /* bytes */
LW_API uint64_t lw_memory_pages(const lw_memory *m);
/* Returns the old size in pages, or -1 on failure (past the maximum or
 * the store's limit, or out of memory); never moves a guarded memory. */
LW_API int64_t lw_memory_grow(lw_memory *m, uint64_t delta_pages);
LW_API lw_limits lw_memory_type(const lw_memory *m);

LW_API lw_table *lw_table_new(lw_store *s, const lw_tabletype *type,
                              lw_val init, lw_error *err);
LW_API uint64_t lw_table_size(const lw_table *t);
LW_API int lw_table_get(const lw_table *t, uint64_t index, lw_val *out);
LW_API int lw_table_set(lw_table *t, uint64_t index, lw_val val);
LW_API int64_t lw_table_grow(lw_table *t, uint64_t delta, lw_val init);
LW_API lw_tabletype lw_table_type(const lw_table *t);

LW_API lw_global *lw_global_new(lw_store *s, const lw_globaltype *type,
                                lw_val val, lw_error *err);
LW_API lw_val lw_global_get(const lw_global *g);
LW_API int lw_global_set(lw_global *g, lw_val val);
LW_API lw_globaltype lw_global_type(const lw_global *g);

/* Instantiate with imports given in the module's import order.  Runs the
 * start function.  The module must outlive the instance, and must have
 * been validated (lw_module_load or lw_module_validate succeeded on it):
 * imports are checked against its types, but its code is trusted.  Any
 * other module (decoded or parsed only, or one that failed validation) is
 * refused with LW_ERR_USAGE, "module not validated". */
LW_API lw_instance *lw_instantiate(lw_store *s, const lw_module *m,
                                   const lw_extern *imports, uint32_t nimports,
                                       lw_error *err);
LW_API const lw_module *lw_instance_module(const lw_instance *inst);
/* Look up an export by name; returns false when there is none. */
LW_API bool lw_instance_export(const lw_instance *inst, const char *name,
                               lw_extern *out);
LW_API bool lw_instance_export_n(const lw_instance *inst, const char *name, size_t len,
                                 lw_extern *out);

/* A linker resolves imports by (module, name). */
typedef struct lw_linker lw_linker;
LW_API lw_linker *lw_linker_new(lw_store *s);
LW_API void lw_linker_free(lw_linker *l);
LW_API int lw_linker_define(lw_linker *l, const char *module, const char *name,
                            lw_extern ext);
/* Make every export of inst importable as (module, export name). */
LW_API int lw_linker_define_instance(lw_linker *l, const char *module,
                                     const lw_instance *inst);
/* The same for a module name of module_len bytes (it may hold NUL bytes). */
LW_API int lw_linker_define_instance_n(lw_linker *l, const char *module, size_t module_len,
                                       const lw_instance *inst);
LW_API int lw_linker_define_host(lw_linker *l, const char *module, const char *name,
                                 const lw_functype *type, lw_host_fn fn, void *user);
LW_API bool lw_linker_lookup(const lw_linker *l, const char *module,
                             const char *name, lw_extern *out);
/* The same for names of given lengths, which may hold NUL bytes (as
 * import names may): names match when their bytes do. */
LW_API int lw_linker_define_n(lw_linker *l, const char *module, size_t module_len,
                              const char *name, size_t name_len, lw_extern ext);
LW_API bool lw_linker_lookup_n(const lw_linker *l, const char *module, size_t module_len,
                               const char *name, size_t name_len, lw_extern *out);
/* Resolve m's imports and instantiate it (m validated, as for
 * lw_instantiate).  An import that is missing or of the wrong type gives
 * LW_ERR_UNLINKABLE ("unknown import", "incompatible import type"). */
LW_API lw_instance *lw_linker_instantiate(lw_linker *l, const lw_module *m,
                                          lw_error *err);

/* GC references.  A value of the any hierarchy (anyref, eqref, structref,
 * (ref $t) of a struct or array type, ...) holds the engine's reference in
 * of.ref: null, an i31, a struct, an array, or a host reference (a host
 * pointer internalized by any.convert_extern or lw_ref_internalize).
 * externref holds the host's pointer as it is, or an object that
 * extern.convert_any externalized.  Objects live in the store's heap;
 * the collector frees those that no root reaches.  Roots are the running
 * calls' frames, globals, tables, element segments, exceptions, and the
 * handles of lw_gc_hold: a reference the host keeps across a call into
 * the store, or an allocation (lw_ref_internalize), must be held. */
typedef enum {
    LW_REFKIND_NONE,         /* not a reference */
    LW_REFKIND_NULL,
    LW_REFKIND_FUNC,
    LW_REFKIND_EXN,
    LW_REFKIND_I31,
    LW_REFKIND_STRUCT,
    LW_REFKIND_ARRAY,
    LW_REFKIND_HOST,         /* a host pointer (lw_ref_host) */
    LW_REFKIND_EXTERNAL,     /* an externref holding an externalized object */
} lw_refkind;
LW_API lw_refkind lw_ref_kind(const lw_store *s, const lw_val *v);
/* The top of the hierarchy of reference type t (a store's type): func,
 * extern, exn or any. */
LW_API lw_heaptype lw_ref_top(const lw_store *s, lw_valtype t);
/* The host pointer of a LW_REFKIND_HOST reference; NULL for others. */
LW_API void *lw_ref_host(const lw_store *s, const lw_val *v);
/* An i31's value, sign-extended from 31 bits or not. */
LW_API int32_t lw_ref_i31(const lw_val *v, bool sign);
/* any.convert_extern of host pointer `host`: an anyref (allocates). */
LW_API int lw_ref_internalize(lw_store *s, void *host, lw_val *out, lw_error *err);
/* A struct's fields or an array's elements: how many, and one of them
 * (packed ones as i32, zero-extended).  lw_ref_get returns -1 past the end. */
LW_API uint32_t lw_ref_len(const lw_store *s, const lw_val *v);
LW_API int lw_ref_get(const lw_store *s, const lw_val *v, uint32_t i, lw_val *out);
/* v as tools show it (lw_val_format for what is no GC reference): "i31 -3",
 * "struct (1 null)", "array[100] (0 1 2 3 4 5 6 7 ...)", "host 5";
 * nested objects by kind.  Returns the length (snprintf-style). */
LW_API size_t lw_ref_format(const lw_store *s, const lw_val *v, char *buf, size_t size);
/* Keep v's object alive until lw_gc_release; NULL when out of memory. */
typedef struct lw_gc_handle lw_gc_handle;
LW_API lw_gc_handle *lw_gc_hold(lw_store *s, const lw_val *v);
LW_API void lw_gc_release(lw_store *s, lw_gc_handle *h);
/* Collect now (no call of s may be running in another thread). */
LW_API void lw_gc_collect(lw_store *s);

#ifdef __cplusplus
}
#endif

#endif
