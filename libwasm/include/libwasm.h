/*
 * libwasm — decode, validate, print, encode and run WebAssembly modules.
 *
 * This is the only header programs include.  It has three parts:
 *   1. errors and features,
 *   2. the module: a read-only, in-memory view of a decoded (or parsed)
 *      module, with load/parse/encode functions,
 *   3. the runtime: stores, instances, host functions, calls and traps.
 *
 * Every function that can fail returns a status (or NULL) and fills a
 * wasm_error; nothing the input can reach aborts the process.
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

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

typedef enum {
    WASM_OK = 0,
    WASM_ERR_MALFORMED,   /* binary or text does not decode/parse       */
    WASM_ERR_INVALID,     /* decodes, but fails validation              */
    WASM_ERR_UNLINKABLE,  /* imports cannot be satisfied                */
    WASM_ERR_TRAP,        /* execution trapped (see trap fields)        */
    WASM_ERR_EXHAUSTION,  /* call stack exhausted                       */
    WASM_ERR_EXIT,        /* guest asked to exit (exit_code is set)     */
    WASM_ERR_LIMIT,       /* a configured resource limit was hit        */
    WASM_ERR_IO,          /* reading or writing a file failed           */
    WASM_ERR_NOMEM,       /* out of memory                              */
    WASM_ERR_USAGE,       /* bad argument from the embedder             */
} wasm_errkind;

#define WASM_MAX_FRAMES 32

typedef struct {
    uint32_t func_index;   /* index in its module's function space       */
    uint32_t code_offset;  /* byte offset in the module binary (0: none) */
    const char *name;      /* from the name section, export or NULL      */
} wasm_frame;

typedef struct {
    wasm_errkind kind;
    char message[256];     /* the suite's wording: "type mismatch", ...  */
    bool has_offset;       /* binary input: byte offset of the problem   */
    uint64_t offset;
    uint32_t line, column; /* text input: 1-based position, 0 = unknown  */
    int exit_code;         /* WASM_ERR_EXIT                              */
    uint32_t nframes;      /* traps: innermost frame first               */
    wasm_frame frames[WASM_MAX_FRAMES];
} wasm_error;

const char *wasm_errkind_name(wasm_errkind kind);
void wasm_error_clear(wasm_error *err);
/* "0x1a: message" / "3:14: message" / "message" into buf. */
void wasm_error_format(const wasm_error *err, char *buf, size_t size);

/* ------------------------------------------------------------------ */
/* Features                                                            */
/* ------------------------------------------------------------------ */

/* One line per feature: identifier, flag name (as in --enable-NAME),
 * on by default (Wasm 2.0), implemented. */
#define WASM_FEATURES(X)                                           \
    X(MUTABLE_GLOBALS, "mutable-globals", 1, 1)                     \
    X(SIGN_EXT, "sign-extension", 1, 1)                             \
    X(SAT_FLOAT_TO_INT, "saturating-float-to-int", 1, 1)            \
    X(MULTI_VALUE, "multi-value", 1, 1)                             \
    X(BULK_MEMORY, "bulk-memory", 1, 1)                             \
    X(REFERENCE_TYPES, "reference-types", 1, 1)                     \
    X(SIMD, "simd", 1, 1)                                           \
    X(TAIL_CALL, "tail-call", 0, 0)                                 \
    X(EXTENDED_CONST, "extended-const", 0, 0)                       \
    X(MULTI_MEMORY, "multi-memory", 0, 0)                           \
    X(MEMORY64, "memory64", 0, 0)                                   \
    X(THREADS, "threads", 0, 0)                                     \
    X(EXCEPTIONS, "exceptions", 0, 0)                               \
    X(RELAXED_SIMD, "relaxed-simd", 0, 0)                           \
    X(FUNCTION_REFERENCES, "function-references", 0, 0)             \
    X(GC, "gc", 0, 0)                                               \
    X(ANNOTATIONS, "annotations", 0, 0)

enum {
#define WASM_FEATURE_ENUM_(id, name, def, impl) WASM_FEATURE_BIT_##id,
    WASM_FEATURES(WASM_FEATURE_ENUM_)
#undef WASM_FEATURE_ENUM_
    WASM_FEATURE_COUNT
};

#define WASM_FEATURE(id) (1u << WASM_FEATURE_BIT_##id)
typedef uint32_t wasm_features;

wasm_features wasm_features_default(void); /* Wasm 2.0            */
wasm_features wasm_features_all(void);     /* all implemented      */
/* Look a feature up by its flag name ("simd"); 0 if unknown. */
wasm_features wasm_feature_by_name(const char *name);
const char *wasm_feature_name(unsigned bit);
bool wasm_feature_implemented(unsigned bit);

/* ------------------------------------------------------------------ */
/* Types                                                               */
/* ------------------------------------------------------------------ */

/* Value types use their binary encoding. */
typedef enum {
    WASM_I32 = 0x7f,
    WASM_I64 = 0x7e,
    WASM_F32 = 0x7d,
    WASM_F64 = 0x7c,
    WASM_V128 = 0x7b,
    WASM_FUNCREF = 0x70,
    WASM_EXTERNREF = 0x6f,
} wasm_valtype;

const char *wasm_valtype_name(uint8_t type); /* "i32", "funcref", ... */
bool wasm_valtype_is_ref(uint8_t type);

typedef enum {
    WASM_EXTERN_FUNC = 0,
    WASM_EXTERN_TABLE = 1,
    WASM_EXTERN_MEMORY = 2,
    WASM_EXTERN_GLOBAL = 3,
} wasm_externkind;

const char *wasm_externkind_name(uint8_t kind); /* "func", "table", ... */

typedef struct {
    uint32_t nparams, nresults;
    const uint8_t *params;   /* wasm_valtype each */
    const uint8_t *results;
} wasm_functype;

typedef struct {
    uint64_t min, max;
    bool has_max;
    bool shared;
    bool is64;
} wasm_limits;

typedef struct {
    uint8_t reftype;         /* WASM_FUNCREF or WASM_EXTERNREF */
    wasm_limits limits;
} wasm_tabletype;

typedef struct {
    uint8_t type;            /* wasm_valtype */
    bool mut;
} wasm_globaltype;

bool wasm_functype_equal(const wasm_functype *a, const wasm_functype *b);

/* ------------------------------------------------------------------ */
/* The module (read-only once loaded)                                  */
/* ------------------------------------------------------------------ */

/* Bytes of a constant expression or function body, ending with `end`.
 * `offset` is where they start in the binary (0 for text modules). */
typedef struct {
    const uint8_t *code;
    uint32_t len;
    uint32_t offset;
} wasm_expr;

typedef struct {
    const char *module;
    const char *name;
    uint8_t kind;            /* wasm_externkind */
    union {
        uint32_t func;       /* type index */
        wasm_tabletype table;
        wasm_limits memory;
        wasm_globaltype global;
    } desc;
    uint32_t offset;         /* of the import entry in the binary */
    uint32_t module_len, name_len; /* names may hold NUL bytes */
} wasm_import;

typedef struct {
    const char *name;        /* NUL-terminated, but may hold NUL bytes: */
    uint8_t kind;
    uint32_t index;
    uint32_t name_len;       /* its length */
} wasm_export;

typedef struct {
    uint32_t count;
    uint8_t type;
} wasm_localgroup;

/* A function defined by the module (imports are not in this array). */
typedef struct {
    uint32_t type;           /* type index */
    uint32_t nlocalgroups;
    const wasm_localgroup *localgroups;
    uint32_t nlocals;        /* declared locals, params not included */
    wasm_expr body;          /* instructions after the local declarations */
    uint32_t size_offset;    /* offset of the body's size field (binary) */
    uint32_t locals_offset;  /* offset of the local declarations (binary) */
} wasm_code;

typedef struct {
    wasm_globaltype type;
    wasm_expr init;
} wasm_globaldef;

typedef enum {
    WASM_SEG_ACTIVE = 0,
    WASM_SEG_PASSIVE = 1,
    WASM_SEG_DECLARATIVE = 2,
} wasm_segmode;

typedef struct {
    uint8_t flags;           /* binary flags 0..7, kept for printers and the encoder */
    uint8_t mode;            /* wasm_segmode */
    uint8_t reftype;
    uint32_t table;
    wasm_expr offset;        /* active only */
    uint32_t count;
    const uint32_t *funcs;   /* flags 0..3: function indices, else NULL */
    const wasm_expr *exprs;  /* flags 4..7: one expression each, else NULL */
    uint32_t entry_offset;   /* binary offset of the segment */
} wasm_elem;

typedef struct {
    uint8_t flags;           /* 0, 1 or 2 */
    uint8_t mode;            /* WASM_SEG_ACTIVE or WASM_SEG_PASSIVE */
    uint32_t memory;
    wasm_expr offset;        /* active only */
    const uint8_t *bytes;
    uint32_t len;
    uint32_t data_offset;    /* binary offset of the bytes */
    uint32_t entry_offset;   /* binary offset of the segment */
} wasm_data;

typedef struct {
    const char *name;
    const uint8_t *data;     /* contents after the name */
    uint32_t len;
    uint32_t offset;         /* binary offset of the contents */
    uint8_t after;           /* id of the last known section before it (0: none) */
} wasm_custom;

/* One entry of the binary's section list, in file order (for objdump -h). */
typedef struct {
    uint8_t id;
    const char *name;        /* custom sections: their name; else NULL */
    uint32_t offset;         /* of the contents, after the size field */
    uint32_t size;
    uint32_t count;          /* entries, for vector sections; else 0 */
} wasm_section;

typedef struct {
    uint32_t index;
    const char *name;
} wasm_name;

typedef struct {
    uint32_t count;          /* sorted by index */
    const wasm_name *names;
} wasm_namemap;

typedef struct {
    uint32_t index;          /* function index */
    wasm_namemap map;        /* local (or label) index -> name */
} wasm_indirect_name;

typedef struct {
    uint32_t count;          /* sorted by function index */
    const wasm_indirect_name *entries;
} wasm_indirect_namemap;

/* The name section (and, for text modules, the $identifiers). */
typedef struct {
    const char *module;      /* NULL when absent */
    wasm_namemap funcs;
    wasm_indirect_namemap locals;
    wasm_indirect_namemap labels;
    wasm_namemap types, tables, memories, globals, elems, datas;
} wasm_names;

typedef struct wasm_module {
    wasm_features features;

    uint32_t ntypes;         const wasm_functype *types;
    uint32_t nimports;       const wasm_import *imports;
    /* The index spaces count imports first. */
    uint32_t nfuncs, nfunc_imports;     const uint32_t *func_types;  /* type index per function, imports included */
    uint32_t ntables, ntable_imports;   const wasm_tabletype *tables; /* imports included */
    uint32_t nmems, nmem_imports;       const wasm_limits *mems;      /* imports included */
    uint32_t nglobals, nglobal_imports; const wasm_globaltype *globals; /* imports included */
    uint32_t ncodes;         const wasm_code *codes;        /* defined functions: index nfunc_imports + i */
    uint32_t nglobaldefs;    const wasm_globaldef *globaldefs; /* defined globals */
    uint32_t nexports;       const wasm_export *exports;
    bool has_start;          uint32_t start;
    uint32_t nelems;         const wasm_elem *elems;
    uint32_t ndatas;         const wasm_data *datas;
    bool has_datacount;      uint32_t datacount;
    uint32_t ncustoms;       const wasm_custom *customs;
    uint32_t nsections;      const wasm_section *sections;
    wasm_names names;
    /* Functions that may be referenced by ref.func in bodies (C.refs). */
    const uint8_t *declared_funcs; /* bitmap over nfuncs bits */

    /* Private to the library. */
    struct wasm_module_priv *priv;
} wasm_module;

/* Decode a binary module.  The bytes are copied; the module owns all it
 * points to.  Returns NULL and fills err on failure. */
wasm_module *wasm_module_decode(const uint8_t *bytes, size_t len,
                                wasm_features features, wasm_error *err);
/* Decode without copying: the module points into `bytes`, which the caller
 * keeps unchanged until wasm_module_free (a file mapping, say). */
wasm_module *wasm_module_decode_borrowed(const uint8_t *bytes, size_t len,
                                         wasm_features features, wasm_error *err);
/* Parse a module in the text format (.wat). */
wasm_module *wasm_module_parse_text(const char *text, size_t len,
                                    wasm_features features, wasm_error *err);
/* Read a file: binary when it starts with "\0asm", else text. */
wasm_module *wasm_module_load_file(const char *path, wasm_features features,
                                   wasm_error *err);
/* Full Wasm validation (the decoder only checks the binary structure). */
int wasm_module_validate(const wasm_module *m, wasm_error *err);
/* decode + validate in one call (each function body is read once).  The
 * _borrowed form does not copy `bytes`, which must outlive the module. */
wasm_module *wasm_module_load(const uint8_t *bytes, size_t len,
                              wasm_features features, wasm_error *err);
wasm_module *wasm_module_load_borrowed(const uint8_t *bytes, size_t len,
                                       wasm_features features, wasm_error *err);
void wasm_module_free(wasm_module *m);

/* Encode to the binary format, with a name section when names are known.
 * *out is malloc'ed; the caller frees it. */
int wasm_module_encode(const wasm_module *m, uint8_t **out, size_t *len,
                       wasm_error *err);

/* Helpers over a module. */
const wasm_functype *wasm_module_func_type(const wasm_module *m, uint32_t func);
/* Name of a function, as wasm-objdump shows it: name section, else an
 * export name, else import "module.name", else NULL. */
const char *wasm_module_func_name(const wasm_module *m, uint32_t func);
const char *wasm_namemap_get(const wasm_namemap *map, uint32_t index);
const wasm_namemap *wasm_module_local_names(const wasm_module *m, uint32_t func);
const wasm_export *wasm_module_find_export(const wasm_module *m, const char *name);
/* The same for a name of len bytes (export names may hold NUL bytes). */
const wasm_export *wasm_module_find_export_n(const wasm_module *m, const char *name,
                                             size_t len);

/* Read a whole file into memory (malloc'ed).  Returns 0 or fills err. */
int wasm_read_file(const char *path, uint8_t **data, size_t *len, wasm_error *err);

/* ------------------------------------------------------------------ */
/* Runtime                                                             */
/* ------------------------------------------------------------------ */

typedef struct wasm_store wasm_store;
typedef struct wasm_instance wasm_instance;
typedef struct wasm_func wasm_func;
typedef struct wasm_table wasm_table;
typedef struct wasm_memory wasm_memory;
typedef struct wasm_global wasm_global;

/* A value with its type.  Floats are kept as bits so NaN payloads
 * survive.  funcref: a wasm_func * (NULL = null).  externref: any host
 * pointer; null is WASM_REF_NULL. */
typedef struct {
    uint8_t type;
    union {
        int32_t i32;
        int64_t i64;
        uint32_t f32;        /* IEEE bits */
        uint64_t f64;        /* IEEE bits */
        uint8_t v128[16];
        wasm_func *func;
        void *ref;
    } of;
} wasm_val;

#define WASM_REF_NULL ((void *)0)

typedef struct {
    uint8_t kind;            /* wasm_externkind */
    union {
        wasm_func *func;
        wasm_table *table;
        wasm_memory *memory;
        wasm_global *global;
    } of;
} wasm_extern;

/* Limits of a store; zero fields take the defaults. */
typedef struct {
    uint64_t max_memory_pages;   /* per memory (default 65536 = 4 GiB) */
    uint64_t max_table_elems;    /* per table (default 10,000,000) */
    uint64_t max_stack_bytes;    /* value stack (default 8 MiB) */
    uint32_t max_call_depth;     /* frames (default 10,000) */
    uint64_t max_instances;      /* default unlimited */
} wasm_store_limits;

wasm_store *wasm_store_new(const wasm_store_limits *limits);
void wasm_store_free(wasm_store *s); /* frees every instance and object in it */
/* Fuel: each function entry and loop back-edge costs 1; at 0 the guest
 * traps "fuel exhausted".  UINT64_MAX (the default) disables metering. */
void wasm_store_set_fuel(wasm_store *s, uint64_t fuel);
uint64_t wasm_store_get_fuel(const wasm_store *s);
/* Ask running code to stop with the trap "interrupted".  Safe to call from
 * a signal handler or another thread. */
void wasm_store_interrupt(wasm_store *s);

/* Host functions.  Return 0 to continue; to trap, return the result of
 * wasm_host_trap or wasm_host_exit. */
typedef struct wasm_host_call wasm_host_call;
typedef int (*wasm_host_fn)(wasm_host_call *call, const wasm_val *args,
                            wasm_val *results);

void *wasm_host_user(const wasm_host_call *call);
/* The instance whose code made the call (NULL when called from the host). */
wasm_instance *wasm_host_caller(const wasm_host_call *call);
/* The caller's memory 0, or NULL. */
wasm_memory *wasm_host_memory(const wasm_host_call *call);
int wasm_host_trap(wasm_host_call *call, const char *message);
int wasm_host_exit(wasm_host_call *call, int exit_code);

wasm_func *wasm_func_new_host(wasm_store *s, const wasm_functype *type,
                              wasm_host_fn fn, void *user);
const wasm_functype *wasm_func_type(const wasm_func *f);
/* Call f.  Returns 0, or fills err (WASM_ERR_TRAP, _EXHAUSTION, _EXIT, ...). */
int wasm_func_call(wasm_store *s, wasm_func *f, const wasm_val *args,
                   uint32_t nargs, wasm_val *results, uint32_t nresults,
                   wasm_error *err);

wasm_memory *wasm_memory_new(wasm_store *s, const wasm_limits *limits, wasm_error *err);
uint8_t *wasm_memory_data(wasm_memory *m);
uint64_t wasm_memory_size(const wasm_memory *m);   /* bytes */
uint64_t wasm_memory_pages(const wasm_memory *m);
/* Returns the old size in pages, or -1 on failure. */
int64_t wasm_memory_grow(wasm_memory *m, uint64_t delta_pages);
wasm_limits wasm_memory_type(const wasm_memory *m);

wasm_table *wasm_table_new(wasm_store *s, const wasm_tabletype *type,
                           wasm_val init, wasm_error *err);
uint64_t wasm_table_size(const wasm_table *t);
int wasm_table_get(const wasm_table *t, uint64_t index, wasm_val *out);
int wasm_table_set(wasm_table *t, uint64_t index, wasm_val val);
int64_t wasm_table_grow(wasm_table *t, uint64_t delta, wasm_val init);
wasm_tabletype wasm_table_type(const wasm_table *t);

wasm_global *wasm_global_new(wasm_store *s, const wasm_globaltype *type,
                             wasm_val val, wasm_error *err);
wasm_val wasm_global_get(const wasm_global *g);
int wasm_global_set(wasm_global *g, wasm_val val);
wasm_globaltype wasm_global_type(const wasm_global *g);

/* Instantiate with imports given in the module's import order.  Runs the
 * start function.  The module must outlive the instance, and must have
 * been validated (wasm_module_load or wasm_module_validate): imports are
 * checked against its types, but its code is trusted. */
wasm_instance *wasm_instantiate(wasm_store *s, const wasm_module *m,
                                const wasm_extern *imports, uint32_t nimports,
                                wasm_error *err);
const wasm_module *wasm_instance_module(const wasm_instance *inst);
/* Look up an export by name; returns false when there is none. */
bool wasm_instance_export(const wasm_instance *inst, const char *name,
                          wasm_extern *out);
bool wasm_instance_export_n(const wasm_instance *inst, const char *name, size_t len,
                            wasm_extern *out);

/* A linker resolves imports by (module, name). */
typedef struct wasm_linker wasm_linker;
wasm_linker *wasm_linker_new(wasm_store *s);
void wasm_linker_free(wasm_linker *l);
int wasm_linker_define(wasm_linker *l, const char *module, const char *name,
                       wasm_extern ext);
/* Make every export of inst importable as (module, export name). */
int wasm_linker_define_instance(wasm_linker *l, const char *module,
                                const wasm_instance *inst);
int wasm_linker_define_host(wasm_linker *l, const char *module, const char *name,
                            const wasm_functype *type, wasm_host_fn fn, void *user);
bool wasm_linker_lookup(const wasm_linker *l, const char *module,
                        const char *name, wasm_extern *out);
/* Resolve m's imports and instantiate it.  An import that is missing or of
 * the wrong type gives WASM_ERR_UNLINKABLE ("unknown import",
 * "incompatible import type"). */
wasm_instance *wasm_linker_instantiate(wasm_linker *l, const wasm_module *m,
                                       wasm_error *err);

/* ------------------------------------------------------------------ */
/* Scripts (.wast): the spec suite's command language                  */
/* ------------------------------------------------------------------ */

typedef enum {
    WASM_CMD_MODULE,          /* define (and instantiate) a module          */
    WASM_CMD_REGISTER,        /* register NAME [$module]                    */
    WASM_CMD_ACTION,          /* a bare invoke or get                       */
    WASM_CMD_ASSERT_RETURN,
    WASM_CMD_ASSERT_TRAP,     /* action traps; or, with a module, its start traps */
    WASM_CMD_ASSERT_EXHAUSTION,
    WASM_CMD_ASSERT_INVALID,
    WASM_CMD_ASSERT_MALFORMED,
    WASM_CMD_ASSERT_UNLINKABLE,
    WASM_CMD_ASSERT_UNINSTANTIABLE,
} wasm_cmdkind;

typedef enum {
    WASM_MODSRC_TEXT,         /* src is "(module ...)" text to parse        */
    WASM_MODSRC_BINARY,       /* src is the bytes of (module binary "...")  */
    WASM_MODSRC_QUOTE,        /* src is the text of (module quote "...")    */
} wasm_modsrc;

typedef struct {
    uint8_t kind;             /* wasm_modsrc */
    const char *name;         /* "$id" given to the module, or NULL         */
    const char *src;          /* owned by the script; not NUL-terminated for binary */
    size_t len;
    uint32_t line;            /* where "(module" starts in the script       */
} wasm_script_module;

typedef enum { WASM_ACTION_INVOKE, WASM_ACTION_GET } wasm_actionkind;

typedef struct {
    uint8_t kind;             /* wasm_actionkind */
    const char *module;       /* "$id" or NULL for the most recent module   */
    const char *name;         /* export name (UTF-8, NUL-terminated)        */
    uint32_t nargs;
    const wasm_val *args;     /* externref args: (void *)(uintptr_t)(N + 1) for ref.extern N */
    uint32_t name_len;        /* the name's length (it may hold NUL bytes)  */
} wasm_action;

typedef enum {
    WASM_EXPECT_VALUE,        /* exact bits (v128: see lanes)               */
    WASM_EXPECT_NAN_CANONICAL,
    WASM_EXPECT_NAN_ARITHMETIC,
    WASM_EXPECT_REF_NULL,     /* ref.null of val.type                       */
    WASM_EXPECT_REF_EXTERN,   /* ref.extern N: val.of.ref == (void *)(N + 1) */
    WASM_EXPECT_REF_FUNC,     /* any non-null funcref                       */
} wasm_expectkind;

typedef struct {
    uint8_t kind;             /* wasm_expectkind */
    wasm_val val;             /* type and, for VALUE, the bits              */
    /* v128 with float lanes: shape "f32x4" -> nlanes 4, each lane its own
     * kind (VALUE, NAN_CANONICAL or NAN_ARITHMETIC); 0 lanes = exact bits. */
    uint8_t nlanes;
    uint8_t lane_float;       /* 32 or 64 when lanes are floats             */
    uint8_t lanes[16];
} wasm_expect;

typedef struct {
    uint8_t kind;             /* wasm_cmdkind */
    uint32_t line;
    bool has_module;          /* MODULE, ASSERT_INVALID/MALFORMED/UNLINKABLE/
                                 UNINSTANTIABLE, and ASSERT_TRAP on a module */
    wasm_script_module module;
    bool has_action;
    wasm_action action;
    uint32_t nexpect;         /* ASSERT_RETURN */
    const wasm_expect *expect;
    const char *text;         /* the expected message of assert_* */
    const char *register_name;  /* REGISTER: the name modules import it as */
    const char *register_module;/* REGISTER: "$id" or NULL (most recent)   */
} wasm_command;

typedef struct wasm_script {
    uint32_t ncommands;
    const wasm_command *commands;
    struct wasm_script_priv *priv;
} wasm_script;

/* Parse a .wast script.  Modules are kept as source (see wasm_script_module)
 * so each can be decoded, parsed and validated as its command requires. */
wasm_script *wasm_script_parse(const char *text, size_t len, wasm_error *err);
void wasm_script_free(wasm_script *s);

/* ------------------------------------------------------------------ */
/* Printing (print.c): instructions as wasm-objdump shows them         */
/* ------------------------------------------------------------------ */

/* What an index in an instruction refers to, when the printer asks the
 * caller for a name to show as "call 3 <name>". */
typedef enum {
    WASM_PRINT_FUNC,
    WASM_PRINT_GLOBAL,
    WASM_PRINT_TABLE,
    WASM_PRINT_TYPE,
} wasm_print_namekind;

/* Returns the name of item `index` of `kind`, or NULL for none. */
typedef const char *(*wasm_print_namefn)(void *user, int kind, uint32_t index);

/* One instruction of a function body or constant expression. */
typedef struct {
    uint32_t offset;         /* file offset of its first byte */
    uint32_t len;            /* its encoded length */
    const uint8_t *bytes;    /* its encoding */
    uint32_t depth;          /* block nesting it is printed at */
    bool is_end;             /* the `end` opcode */
    const char *text;        /* "i32.const 1": valid until the next call */
} wasm_instr_line;

/* Walks instructions; set `name` and `user` after init to get names.
 * The other fields are the iterator's own. */
typedef struct {
    const uint8_t *start, *p, *end;
    uint32_t file_offset;    /* of start */
    uint32_t depth;
    wasm_print_namefn name;
    void *user;
    char *buf;               /* the text, owned by the iterator */
    size_t cap, len;
    bool oom;
} wasm_instr_iter;

/* code/len: the instructions (after a body's local declarations);
 * file_offset: where they start in the binary. */
void wasm_instr_iter_init(wasm_instr_iter *it, const uint8_t *code, size_t len,
                          uint32_t file_offset);
/* 1 with *line filled, 0 at the end of the code, -1 with err filled
 * (WASM_ERR_MALFORMED with the offset) when an instruction does not decode. */
int wasm_instr_iter_next(wasm_instr_iter *it, wasm_instr_line *line,
                         wasm_error *err);
void wasm_instr_iter_free(wasm_instr_iter *it);

/* A wasm_print_namefn for a loaded module: set it.name to this and
 * it.user to the (const) wasm_module to print its names. */
const char *wasm_print_module_name(void *module, int kind, uint32_t index);

/* Floats as hexadecimal literals: "0x1.8p+0", "-0x0p+0", "inf",
 * "nan:0x200000".  Return the length (snprintf-style). */
size_t wasm_format_f32(uint32_t bits, char *buf, size_t size);
size_t wasm_format_f64(uint64_t bits, char *buf, size_t size);

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
 * Returns 0, or -1 with err filled (WASM_ERR_USAGE, "'x' is not a valid i32"). */
int wasm_val_parse(const char *text, uint8_t type, wasm_val *out, wasm_error *err);

/* Write v's value without its type: integers signed decimal, floats the
 * shortest decimal that reads back to the same bits (or inf / nan /
 * nan:0x...), v128 "i32x4 0x00000001 ...", refs "null", "func" or the
 * externref's N.  Every output reads back with wasm_val_parse (a non-null
 * funcref aside).  Returns the length (snprintf-style). */
size_t wasm_val_format(const wasm_val *v, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
