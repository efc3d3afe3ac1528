/* Private to the runtime: the objects of a store, the internal register
 * code that compile.c produces from a validated body and interp.c runs,
 * and the linear-memory helpers of memory.c.
 *
 * Internal code is an array of 8-byte cells.  Every instruction starts with
 * its handler's address (direct threading); the next cells hold operand
 * slot indices (two u32 per cell), immediates, or branch targets (absolute
 * cell pointers).  A frame is an array of 8-byte value slots: parameters,
 * locals, then one home slot per operand-stack position (a v128 takes two
 * slots).  Calls start the callee's frame at the caller's argument slots. */
#ifndef LIBWASM_INTERP_H
#define LIBWASM_INTERP_H

#include "internal.h"
#include "numeric.h"
#include "simd.h"

#include <setjmp.h>

typedef union wasm_slot {
    uint64_t u64;
    int64_t i64;
    uint32_t u32;
    int32_t i32;
    float f32;
    double f64;
    void *ref;
} wasm_slot;

typedef union wasm_icell {
    const void *h;
    void *p;
    const union wasm_icell *t;
    uint64_t u64;
    int64_t i64;
    uint32_t u32;
    int32_t i32;
    float f32;
    double f64;
    struct { uint32_t a, b; } w;
} wasm_icell;

/* C types named after the slot members, for the operation lists below. */
typedef uint32_t wasm_t_u32;
typedef int32_t wasm_t_i32;
typedef uint64_t wasm_t_u64;
typedef int64_t wasm_t_i64;
typedef float wasm_t_f32;
typedef double wasm_t_f64;

/* ---- store objects -------------------------------------------------- */

struct lw_memory {
    uint8_t *base;
    uint64_t size;            /* bytes accessible */
    uint64_t pages;
    uint64_t max_pages;       /* type's max clamped by the store's limit */
    lw_limits type;
    size_t reserved;          /* bytes of address space (guarded) or allocated */
    bool guarded;             /* guard pages stand in for bounds checks */
    struct lw_memory *next; /* the store's list, read by the fault handler */
};

struct lw_table {
    void **elems;
    uint64_t size, max;
    lw_tabletype type;
};

struct lw_global {
    wasm_slot val[2];         /* a v128 uses both */
    lw_globaltype type;
};

typedef struct {
    uint32_t pos;             /* cell index of an instruction */
    uint32_t offset;          /* its byte offset in the module binary */
} wasm_ipmap;

struct lw_func {
    lw_store *store;
    lw_functype type;       /* params/results point into the store's canonical types */
    uint32_t type_id;         /* its canonical type id */
    lw_instance *inst;      /* NULL for host functions */
    uint32_t index;           /* in the instance's function space */
    lw_host_fn host;
    void *user;
    /* Filled by the compiler at the first call. */
    wasm_icell *code;
    uint32_t nparam_cells, nresult_cells, nlocal_cells, frame_cells;
    wasm_ipmap *map;
    uint32_t nmap;
    void *extra;              /* per-function allocations the code points into */
    struct lw_memory *mem0; /* instance's memory 0, or the store's empty one */
};

struct lw_instance {
    lw_store *store;
    const lw_module *module;
    lw_func **funcs;
    struct lw_table **tables;
    struct lw_memory **mems;
    struct lw_global **globals;
    void ***elems;            /* evaluated element segments */
    uint32_t nelems;
    uint32_t *elem_len;       /* 0 once dropped */
    uint32_t *data_len;       /* 0 once dropped */
    lw_func *defined;       /* the module's own functions, one block */
    uint32_t ndefined;
    uint32_t *type_ids;       /* module type index -> canonical type id */
};

typedef struct {
    const wasm_icell *ret;    /* where the caller resumes */
    wasm_slot *fp;            /* caller's frame */
    lw_func *caller;
    lw_func *self;          /* function running at this level */
} wasm_frame_rec;

typedef struct {
    void **items;
    size_t n, cap;
} wasm_ptrvec;

/* The store's canonical types (canon.c): per id, the definition (its
 * supertype and rec group given as ids) and the function type (concrete
 * heap types given as ids).  Equal types have equal ids. */
typedef struct {
    lw_typedef *defs;
    lw_functype *funcs;
    uint32_t n;
    size_t cap_defs, cap_funcs;
    uint32_t *slots;          /* hash table of rec groups: first id + 1, 0: empty */
    uint32_t nslots, ngroups;
} wasm_canon;

struct lw_store {
    lw_store_limits limits;
    volatile int poll;        /* non-zero: take the slow path at back-edges/entries */
    volatile int interrupt;
    uint64_t fuel;
    wasm_slot *stack, *stack_end, *sp;
    uint32_t nesting;         /* wasm_func_calls running (host re-entry nests them) */
    wasm_frame_rec *frames, *frames_end, *ftop;
    struct lw_memory *mems; /* list for the fault handler */
    struct lw_memory empty_mem;
    wasm_ptrvec objects;      /* funcs, tables, globals, memories to free */
    wasm_ptrvec instances;
    wasm_canon types;
};

/* A SIMD instruction's details, kept beside the code. */
typedef struct {
    wasm_instr ins;
    uint8_t cells[3];         /* cells of operands a, b, c (0: unused) */
    uint8_t dcells;           /* cells of the result (0: none) */
    uint32_t vslot;           /* lane loads: the vector operand */
} wasm_simd_rec;

/* The execution of one lw_func_call, for the fault handler. */
typedef struct wasm_exec {
    sigjmp_buf jb;
    lw_store *store;
    struct wasm_exec *prev;
} wasm_exec;

struct lw_host_call {
    lw_store *store;
    lw_func *func;
    lw_instance *caller;
    lw_errkind kind;        /* set by lw_host_trap / lw_host_exit */
    int exit_code;
    char message[200];
};

/* ---- canon.c -------------------------------------------------------- */

/* Canonical ids for m's types into ids (one per type index).  Returns 0,
 * or -1 when out of memory. */
int wasm_canon_module(wasm_canon *c, const lw_module *m, uint32_t *ids);
/* The id of a function type standing alone, whose concrete heap types
 * are ids already (host functions); -1 when out of memory. */
int64_t wasm_canon_func(wasm_canon *c, const lw_functype *ft);
/* A module's value type with its concrete heap types made ids. */
lw_valtype wasm_canon_valtype(const uint32_t *ids, lw_valtype t);
void wasm_canon_free(wasm_canon *c);
/* The canonical types as the context of wasm_type_match. */
static inline wasm_typectx wasm_canon_ctx(const wasm_canon *c)
{
    return (wasm_typectx){c->defs, c->n};
}

/* ---- runtime.c ------------------------------------------------------ */

/* Fill err with a trap and the backtrace of the frames above `base`. */
void wasm_trap_backtrace(lw_store *s, wasm_frame_rec *base,
                         const wasm_icell *ip, lw_error *err);
/* A value's slots (lw_func_call's arguments, host calls). */
void wasm_val_to_slots(const lw_val *v, wasm_slot *out);
void wasm_val_from_slots(lw_valtype type, const wasm_slot *in, lw_val *v);
/* Cells a value of this type takes in a frame. */
static inline uint32_t wasm_cells(lw_valtype type) { return type == LW_V128 ? 2 : 1; }

/* ---- memory.c ------------------------------------------------------- */

/* Set up m for the limits (pages already checked against max_pages). */
int wasm_mem_create(lw_store *s, struct lw_memory *m, uint64_t pages,
                    uint64_t max_pages, lw_error *err);
void wasm_mem_release(struct lw_memory *m);
/* Install the fault handler once (no-op when bounds are checked). */
void wasm_mem_install_handler(void);
extern __thread wasm_exec *wasm_cur_exec;

/* ---- compile.c ------------------------------------------------------ */

int wasm_compile(lw_func *f, lw_error *err);
void wasm_compiled_free(lw_func *f);

/* ---- interp.c ------------------------------------------------------- */

/* Run f with its arguments in base[0..]; results land in base[0..]. */
int wasm_interp_invoke(lw_store *s, lw_func *f, wasm_slot *base,
                       lw_error *err);
/* Handler addresses, indexed by IOP_*. */
const void *const *wasm_interp_handlers(void);

/* ---- the internal instruction set ----------------------------------- */

/* Pure unary operations: X(OP, operand member, result member, expression of a). */
#define WASM_UNOPS(X)                                                      \
    X(I32_EQZ, u32, u32, a == 0)                                           \
    X(I64_EQZ, u64, u32, a == 0)                                           \
    X(I32_CLZ, u32, u32, wasm_i32_clz(a))                                  \
    X(I32_CTZ, u32, u32, wasm_i32_ctz(a))                                  \
    X(I32_POPCNT, u32, u32, wasm_i32_popcnt(a))                            \
    X(I64_CLZ, u64, u64, wasm_i64_clz(a))                                  \
    X(I64_CTZ, u64, u64, wasm_i64_ctz(a))                                  \
    X(I64_POPCNT, u64, u64, wasm_i64_popcnt(a))                            \
    X(F32_ABS, f32, f32, wasm_f32_abs(a))                                  \
    X(F32_NEG, f32, f32, wasm_f32_neg(a))                                  \
    X(F32_CEIL, f32, f32, wasm_f32_ceil(a))                                \
    X(F32_FLOOR, f32, f32, wasm_f32_floor(a))                              \
    X(F32_TRUNC, f32, f32, wasm_f32_trunc(a))                              \
    X(F32_NEAREST, f32, f32, wasm_f32_nearest(a))                          \
    X(F32_SQRT, f32, f32, wasm_f32_sqrt(a))                                \
    X(F64_ABS, f64, f64, wasm_f64_abs(a))                                  \
    X(F64_NEG, f64, f64, wasm_f64_neg(a))                                  \
    X(F64_CEIL, f64, f64, wasm_f64_ceil(a))                                \
    X(F64_FLOOR, f64, f64, wasm_f64_floor(a))                              \
    X(F64_TRUNC, f64, f64, wasm_f64_trunc(a))                              \
    X(F64_NEAREST, f64, f64, wasm_f64_nearest(a))                          \
    X(F64_SQRT, f64, f64, wasm_f64_sqrt(a))                                \
    X(I32_WRAP_I64, u64, u32, (uint32_t)a)                                 \
    X(I64_EXTEND_I32_S, i32, i64, (int64_t)a)                              \
    X(I64_EXTEND_I32_U, u32, u64, (uint64_t)a)                             \
    X(F32_CONVERT_I32_S, i32, f32, wasm_f32_convert_s32(a))                \
    X(F32_CONVERT_I32_U, u32, f32, wasm_f32_convert_u32(a))                \
    X(F32_CONVERT_I64_S, i64, f32, wasm_f32_convert_s64(a))                \
    X(F32_CONVERT_I64_U, u64, f32, wasm_f32_convert_u64(a))                \
    X(F32_DEMOTE_F64, f64, f32, wasm_f32_demote_f64(a))                    \
    X(F64_CONVERT_I32_S, i32, f64, wasm_f64_convert_s32(a))                \
    X(F64_CONVERT_I32_U, u32, f64, wasm_f64_convert_u32(a))                \
    X(F64_CONVERT_I64_S, i64, f64, wasm_f64_convert_s64(a))                \
    X(F64_CONVERT_I64_U, u64, f64, wasm_f64_convert_u64(a))                \
    X(F64_PROMOTE_F32, f32, f64, wasm_f64_promote_f32(a))                  \
    X(I32_EXTEND8_S, u32, i32, (int32_t)(int8_t)a)                         \
    X(I32_EXTEND16_S, u32, i32, (int32_t)(int16_t)a)                       \
    X(I64_EXTEND8_S, u64, i64, (int64_t)(int8_t)a)                         \
    X(I64_EXTEND16_S, u64, i64, (int64_t)(int16_t)a)                       \
    X(I64_EXTEND32_S, u64, i64, (int64_t)(int32_t)a)                       \
    X(I32_TRUNC_SAT_F32_S, f32, i32, wasm_i32_trunc_sat_f32_s(a))          \
    X(I32_TRUNC_SAT_F32_U, f32, u32, wasm_i32_trunc_sat_f32_u(a))          \
    X(I32_TRUNC_SAT_F64_S, f64, i32, wasm_i32_trunc_sat_f64_s(a))          \
    X(I32_TRUNC_SAT_F64_U, f64, u32, wasm_i32_trunc_sat_f64_u(a))          \
    X(I64_TRUNC_SAT_F32_S, f32, i64, wasm_i64_trunc_sat_f32_s(a))          \
    X(I64_TRUNC_SAT_F32_U, f32, u64, wasm_i64_trunc_sat_f32_u(a))          \
    X(I64_TRUNC_SAT_F64_S, f64, i64, wasm_i64_trunc_sat_f64_s(a))          \
    X(I64_TRUNC_SAT_F64_U, f64, u64, wasm_i64_trunc_sat_f64_u(a))

/* Integer comparisons, which also fuse with br_if and if:
 * X(OP, operand member, C operator). */
#define WASM_CMPOPS32(X)                                                   \
    X(I32_EQ, u32, ==) X(I32_NE, u32, !=)                                  \
    X(I32_LT_S, i32, <) X(I32_LT_U, u32, <)                                \
    X(I32_GT_S, i32, >) X(I32_GT_U, u32, >)                                \
    X(I32_LE_S, i32, <=) X(I32_LE_U, u32, <=)                              \
    X(I32_GE_S, i32, >=) X(I32_GE_U, u32, >=)
#define WASM_CMPOPS(X)                                                     \
    WASM_CMPOPS32(X)                                                       \
    X(I64_EQ, u64, ==) X(I64_NE, u64, !=)                                  \
    X(I64_LT_S, i64, <) X(I64_LT_U, u64, <)                                \
    X(I64_GT_S, i64, >) X(I64_GT_U, u64, >)                                \
    X(I64_LE_S, i64, <=) X(I64_LE_U, u64, <=)                              \
    X(I64_GE_S, i64, >=) X(I64_GE_U, u64, >=)

/* The i32 compares also fuse with an i32.add of a constant to their first
 * operand just before (a loop counter's step): INC_BR_<op>[_I]. */

/* Pure binary operations with a constant-operand variant (OP_I):
 * X(OP, operand member, result member, expression of a and b). */
#define WASM_BINOPS_IMM(X)                                                 \
    X(I32_ADD, u32, u32, a + b)                                            \
    X(I32_SUB, u32, u32, a - b)                                            \
    X(I32_MUL, u32, u32, a * b)                                            \
    X(I32_AND, u32, u32, a & b)                                            \
    X(I32_OR, u32, u32, a | b)                                             \
    X(I32_XOR, u32, u32, a ^ b)                                            \
    X(I32_SHL, u32, u32, wasm_i32_shl(a, b))                               \
    X(I32_SHR_S, i32, i32, wasm_i32_shr_s(a, (uint32_t)b))                 \
    X(I32_SHR_U, u32, u32, wasm_i32_shr_u(a, b))                           \
    X(I64_ADD, u64, u64, a + b)                                            \
    X(I64_SUB, u64, u64, a - b)                                            \
    X(I64_MUL, u64, u64, a * b)                                            \
    X(I64_AND, u64, u64, a & b)                                            \
    X(I64_OR, u64, u64, a | b)                                             \
    X(I64_XOR, u64, u64, a ^ b)                                            \
    X(I64_SHL, u64, u64, wasm_i64_shl(a, b))                               \
    X(I64_SHR_S, i64, i64, wasm_i64_shr_s(a, (uint64_t)b))                 \
    X(I64_SHR_U, u64, u64, wasm_i64_shr_u(a, b))                           \
    X(I32_ROTL, u32, u32, wasm_i32_rotl(a, b))                             \
    X(I32_ROTR, u32, u32, wasm_i32_rotr(a, b))                             \
    X(I64_ROTL, u64, u64, wasm_i64_rotl(a, b))                             \
    X(I64_ROTR, u64, u64, wasm_i64_rotr(a, b))

/* Pure binary operations without one. */
#define WASM_BINOPS(X)                                                     \
    X(F32_EQ, f32, u32, a == b) X(F32_NE, f32, u32, a != b)                \
    X(F32_LT, f32, u32, a < b) X(F32_GT, f32, u32, a > b)                  \
    X(F32_LE, f32, u32, a <= b) X(F32_GE, f32, u32, a >= b)                \
    X(F64_EQ, f64, u32, a == b) X(F64_NE, f64, u32, a != b)                \
    X(F64_LT, f64, u32, a < b) X(F64_GT, f64, u32, a > b)                  \
    X(F64_LE, f64, u32, a <= b) X(F64_GE, f64, u32, a >= b)                \
    X(F32_ADD, f32, f32, a + b) X(F32_SUB, f32, f32, a - b)                \
    X(F32_MUL, f32, f32, a * b) X(F32_DIV, f32, f32, a / b)                \
    X(F32_MIN, f32, f32, wasm_f32_min(a, b))                               \
    X(F32_MAX, f32, f32, wasm_f32_max(a, b))                               \
    X(F32_COPYSIGN, f32, f32, wasm_f32_copysign(a, b))                     \
    X(F64_ADD, f64, f64, a + b) X(F64_SUB, f64, f64, a - b)                \
    X(F64_MUL, f64, f64, a * b) X(F64_DIV, f64, f64, a / b)                \
    X(F64_MIN, f64, f64, wasm_f64_min(a, b))                               \
    X(F64_MAX, f64, f64, wasm_f64_max(a, b))                               \
    X(F64_COPYSIGN, f64, f64, wasm_f64_copysign(a, b))

/* Operations that may trap: X(OP, operand member, result member, function
 * returning a wasm_numstatus). */
#define WASM_TRAPBINOPS(X)                                                 \
    X(I32_DIV_S, i32, i32, wasm_i32_div_s)                                 \
    X(I32_DIV_U, u32, u32, wasm_i32_div_u)                                 \
    X(I32_REM_S, i32, i32, wasm_i32_rem_s)                                 \
    X(I32_REM_U, u32, u32, wasm_i32_rem_u)                                 \
    X(I64_DIV_S, i64, i64, wasm_i64_div_s)                                 \
    X(I64_DIV_U, u64, u64, wasm_i64_div_u)                                 \
    X(I64_REM_S, i64, i64, wasm_i64_rem_s)                                 \
    X(I64_REM_U, u64, u64, wasm_i64_rem_u)

#define WASM_TRAPUNOPS(X)                                                  \
    X(I32_TRUNC_F32_S, f32, i32, wasm_i32_trunc_f32_s)                     \
    X(I32_TRUNC_F32_U, f32, u32, wasm_i32_trunc_f32_u)                     \
    X(I32_TRUNC_F64_S, f64, i32, wasm_i32_trunc_f64_s)                     \
    X(I32_TRUNC_F64_U, f64, u32, wasm_i32_trunc_f64_u)                     \
    X(I64_TRUNC_F32_S, f32, i64, wasm_i64_trunc_f32_s)                     \
    X(I64_TRUNC_F32_U, f32, u64, wasm_i64_trunc_f32_u)                     \
    X(I64_TRUNC_F64_S, f64, i64, wasm_i64_trunc_f64_s)                     \
    X(I64_TRUNC_F64_U, f64, u64, wasm_i64_trunc_f64_u)

/* Loads: X(name, C type read, result member, width); stores: X(name, C
 * type written, operand member).  Every one has a bounds-checked twin
 * (suffix _C) for memories without guard pages.  Loads also have forms
 * that add the address first (the i32.add before them folded in): _A adds
 * a slot, _AI a constant. */
#define WASM_LOADS(X)                                                      \
    X(LD32, uint32_t, u64, 4)                                              \
    X(LD64, uint64_t, u64, 8)                                              \
    X(LD8S32, int8_t, u32, 1) X(LD8U32, uint8_t, u64, 1)                   \
    X(LD16S32, int16_t, u32, 2) X(LD16U32, uint16_t, u64, 2)               \
    X(LD8S64, int8_t, i64, 1) X(LD16S64, int16_t, i64, 2)                  \
    X(LD32S64, int32_t, i64, 4)
#define WASM_STORES(X)                                                     \
    X(ST8, uint8_t, u32) X(ST16, uint16_t, u32)                            \
    X(ST32, uint32_t, u32) X(ST64, uint64_t, u64)

/* Everything else. */
#define WASM_MISCOPS(X)                                                    \
    X(EXIT) X(UNREACHABLE) X(TRAP)                                         \
    X(BR) X(BR_IF) X(BR_UNLESS) X(BR_TABLE)                                \
    X(RET) X(CALL) X(CALL_FAR) X(CALL_INDIRECT)                            \
    X(COPY) X(MOV2) X(MOV3) X(MOV4) X(COPY2) X(CONST) X(CONST2)            \
    X(I32_ADD_SHL)                                                         \
    X(SELECT) X(SELECT2)                                                   \
    X(GLOBAL_GET) X(GLOBAL_SET) X(GLOBAL_GET2) X(GLOBAL_SET2)              \
    X(REF_IS_NULL)                                                         \
    X(TABLE_GET) X(TABLE_SET) X(TABLE_SIZE) X(TABLE_GROW) X(TABLE_FILL)    \
    X(TABLE_COPY) X(TABLE_INIT) X(ELEM_DROP)                               \
    X(MEMORY_SIZE) X(MEMORY_GROW) X(MEMORY_FILL) X(MEMORY_COPY)            \
    X(MEMORY_INIT) X(DATA_DROP)                                            \
    X(SIMD) X(SIMD_LOAD) X(SIMD_STORE) X(SIMD_LOAD_C) X(SIMD_STORE_C)

enum {
#define WASM_IOP_1(op, ...) IOP_##op,
#define WASM_IOP_IMM(op, ...) IOP_##op, IOP_##op##_I,
#define WASM_IOP_CMP(op, ...) IOP_##op, IOP_##op##_I, IOP_BR_##op, IOP_BR_##op##_I,
#define WASM_IOP_MEM(op, ...) IOP_##op, IOP_##op##_C,
#define WASM_IOP_LOAD(op, ...) IOP_##op, IOP_##op##_C, IOP_##op##_A, IOP_##op##_AI,
#define WASM_IOP_INC(op, ...) IOP_INC_BR_##op, IOP_INC_BR_##op##_I,
    WASM_UNOPS(WASM_IOP_1)
    WASM_CMPOPS(WASM_IOP_CMP)
    WASM_BINOPS_IMM(WASM_IOP_IMM)
    WASM_BINOPS(WASM_IOP_1)
    WASM_TRAPBINOPS(WASM_IOP_1)
    WASM_TRAPUNOPS(WASM_IOP_1)
    WASM_LOADS(WASM_IOP_LOAD)
    WASM_STORES(WASM_IOP_MEM)
    WASM_MISCOPS(WASM_IOP_1)
    WASM_CMPOPS32(WASM_IOP_INC)
#undef WASM_IOP_1
#undef WASM_IOP_INC
#undef WASM_IOP_IMM
#undef WASM_IOP_CMP
#undef WASM_IOP_MEM
#undef WASM_IOP_LOAD
    IOP_COUNT
};

#endif
