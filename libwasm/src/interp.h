/* Private to the runtime: the objects of a store, the internal register
 * code that compile.c produces from a validated body and interp.c runs,
 * and the linear-memory helpers of memory.c.
 *
 * Internal code is an array of 8-byte cells.  Every instruction starts with
 * its handler's address (direct threading); the next cells hold operand
 * slot indices (two u32 per cell), immediates, or branch targets (absolute
 * cell pointers), laid out by its format (interp.def).  A frame is an
 * array of 8-byte value slots: parameters, locals, then one home slot per
 * operand-stack position (a v128 takes two slots).  Calls start the
 * callee's frame at the caller's argument slots; tail calls move the
 * arguments to the start of the caller's frame and run the callee there. */
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
    uint32_t refs;            /* stores holding it (a shared one: several) */
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

/* The entry of map[0..n), sorted by pos, of the instruction holding
 * cell pos (the last at or before it); n when there is none. */
static inline size_t wasm_map_find(const wasm_ipmap *map, size_t n, uint32_t pos)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (map[mid].pos <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : n;
}

/* An exception tag: its type, and the cells its values take. */
struct lw_tag {
    lw_store *store;
    lw_functype type;         /* points into the store's canonical types */
    uint32_t type_id;
    uint32_t ncells;
    const lw_module *module;  /* the module that defines it; NULL: the host */
    uint32_t index;           /* in that module's tag space */
};

/* An exception: the tag and its values.  An object that some slot, global
 * or table may hold, or the host was given, is owned by the store (freed
 * with it); one only in flight, from throw to a catch without _ref, is
 * freed by that catch. */
struct lw_exn {
    struct lw_tag *tag;
    bool owned;
    uint32_t ncells;
    wasm_slot vals[];
};

/* The exception handlers of a compiled function (compile.c builds them,
 * the unwinder in interp.c reads them; running code never does).  A
 * region is a try_table's or a legacy try's body, as a range of cells;
 * regions are in the order their bodies start, so the last one holding an
 * instruction is the innermost.  When none of its clauses takes the
 * exception, the search goes on in its parent: the region around it, or
 * for a delegate the one its label names; -1 is the caller. */
typedef struct {
    uint32_t start, end;      /* cells [start, end) */
    int32_t parent;
    uint32_t first, n;        /* its clauses */
} wasm_eregion;

typedef struct {
    const struct lw_tag *tag; /* NULL: catch_all */
    bool keep;                /* the code may see the object (ref, rethrow) */
    uint32_t ncells;          /* the tag's values: copied to dst .. */
    uint32_t dst;
    uint32_t exn;             /* slot for the object, or UINT32_MAX */
    uint32_t target;          /* cell where the handler goes on */
} wasm_eclause;

typedef struct {
    wasm_eregion *regions;
    wasm_eclause *clauses;
    uint32_t nregions, nclauses;
} wasm_handlers;

/* Where a compiled function keeps references, for the collector
 * (compile.c builds it, gc.c reads it; running code never does).  A
 * parameter or local of reference type holds one at every point (locals
 * start null); a temporary only while the operand stack holds it there.
 * So each instruction where a collection may happen (a call, a GC
 * instruction) at which temporaries hold references gets a site that
 * lists their slots.  The last nargs of them are the values the
 * instruction passes on (a call's arguments, a GC instruction's
 * operands): they count only while the frame is the innermost of its
 * call (a host function running, the GC instruction itself); once a wasm
 * callee runs, they are its parameters.  A tail call's site lists the
 * arguments as moved to the frame's start, and the frame's own locals
 * are dead. */
typedef struct {
    uint32_t pos, end;        /* the instruction's cells [pos, end) */
    uint32_t first, n, nargs; /* its slots: slots[first .. first + n) */
    bool tail;
} wasm_rootsite;

typedef struct {
    const uint32_t *slots;    /* the reference locals', then the sites' */
    uint32_t nlocals;
    const wasm_rootsite *sites; /* in the order of their positions */
    uint32_t nsites;
} wasm_roots;

/* Cells after the parameters that a call clears without a loop. */
#define WASM_ZEROED 4

struct lw_func {
    lw_store *store;
    lw_functype type;       /* params/results point into the store's canonical types */
    uint32_t type_id;         /* its canonical type id */
    lw_instance *inst;      /* NULL for host functions */
    uint32_t index;           /* in the instance's function space */
    lw_host_fn host;
    void *user;
    /* Filled by the compiler at the first call.  frame_cells is at least
     * nparam_cells + WASM_ZEROED. */
    wasm_icell *code;
    uint32_t nparam_cells, nresult_cells, nlocal_cells, frame_cells;
    wasm_ipmap *map;
    uint32_t nmap;
    void *extra;              /* per-function allocations the code points into */
    const wasm_handlers *handlers; /* exception handlers, or NULL */
    const wasm_roots *roots;  /* its references; NULL: it has none */
    struct lw_memory *mem0; /* instance's memory 0, or the store's empty one */
};

struct lw_instance {
    lw_store *store;
    const lw_module *module;
    lw_func **funcs;
    struct lw_table **tables;
    struct lw_memory **mems;
    struct lw_global **globals;
    struct lw_tag **tags;
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
    void *stack_map;          /* the mapping that holds frames and stack */
    size_t stack_map_bytes;
    struct wasm_exec *exec;   /* the innermost call running, NULL when idle */
    struct lw_memory *mems; /* list for the fault handler */
    wasm_ptrvec shared_mems;  /* other stores' shared memories it imports */
    struct lw_memory empty_mem;
    wasm_ptrvec objects;      /* funcs, tables, globals, memories to free */
    wasm_ptrvec instances;
    wasm_canon types;
    struct wasm_gc_heap *heap; /* GC objects (gc.c); NULL until the first */
};

/* A call's cost, in one place: a frame of `cells` slots at fp does not
 * fit when the slots would leave the store's stack or no record is left
 * for the call (r is s->ftop).  Both areas are sized from max_stack_bytes (runtime.c), so the
 * depth follows the stack budget whatever the frames' sizes, with
 * max_call_depth as a bound of its own.  Checked by every call that pushes
 * a record (ENTER in interp.c) and by lw_func_call for its arguments; a
 * tail call, which reuses its caller's record, needs only the slots. */
static inline bool wasm_call_overflows(const lw_store *s, const wasm_frame_rec *r,
                                       const wasm_slot *fp, size_t cells)
{
    return r >= s->frames_end || (size_t)(s->stack_end - fp) < cells;
}

/* A SIMD instruction's details, kept beside the code. */
typedef struct {
    wasm_instr ins;
    uint8_t cells[3];         /* cells of operands a, b, c (0: unused) */
    uint8_t dcells;           /* cells of the result (0: none) */
    uint32_t vslot;           /* lane loads: the vector operand */
    const struct lw_memory *mem; /* loads and stores: the memory (MN variants) */
} wasm_simd_rec;

/* An atomic instruction's details (threads), kept beside the code. */
typedef struct {
    uint16_t op;              /* OP_* */
    bool result;              /* it writes slot d */
    uint64_t offset;
    struct lw_memory *mem;    /* NULL for atomic.fence */
} wasm_atomic_rec;

/* The execution of one lw_func_call: where the fault handler returns to,
 * and what a frame walker needs.  Its frames are the records from base to
 * the next call's base (or the store's ftop).  At every safepoint the
 * interpreter publishes the innermost frame's instruction and slots here;
 * the frames below it are described by the records calls push. */
#define WASM_FAULT_REGS 32

typedef struct wasm_exec {
    sigjmp_buf jb;
    lw_store *store;
    struct wasm_exec *prev;   /* the thread's previous call (fault handler) */
    struct wasm_exec *outer;  /* the store's previous call (a host re-entered) */
    wasm_frame_rec *base;
    const wasm_icell *ip;     /* published at safepoints; NULL: unknown */
    wasm_slot *fp;
    /* A guard-page fault, as the fault handler saw it before jumping to
     * jb: which byte of which memory, whether the access wrote (-1:
     * unknown), and the machine's general registers at the fault. */
    struct lw_memory *fault_mem;
    uint64_t fault_off;
    int fault_write;
    uint32_t nfault_regs;
    uintptr_t fault_regs[WASM_FAULT_REGS];
} wasm_exec;

/* A walk over the wasm frames of a store's running calls, innermost
 * first.  Valid at a safepoint (in a host function, for example). */
typedef struct {
    lw_func *func;            /* the function running in this frame */
    const wasm_icell *ip;     /* inside its current instruction; NULL: unknown */
    wasm_slot *fp;            /* its slots, func->frame_cells of them */
    const wasm_exec *exec;    /* the call it belongs to */
    const wasm_frame_rec *rec, *top;
} wasm_frame_iter;

struct lw_host_call {
    lw_store *store;
    lw_func *func;
    lw_instance *caller;
    struct lw_exn *exn;     /* set by lw_host_throw */
    lw_errkind kind;        /* set by lw_host_trap / lw_host_exit / lw_host_throw */
    int exit_code;
    char message[200];
};

/* ---- canon.c -------------------------------------------------------- */

/* Canonical ids for m's types into ids (one per type index).  Returns 0,
 * or -1 when out of memory. */
int wasm_canon_module(wasm_canon *c, const lw_module *m, uint32_t *ids);
/* The same for the one recursion group starting at type `start`, the
 * groups before it having their ids already. */
int wasm_canon_group(wasm_canon *c, const lw_module *m, uint32_t start, uint32_t *ids);
/* The id of a function type standing alone, whose concrete heap types
 * are ids already (host functions); -1 when out of memory. */
int64_t wasm_canon_func(wasm_canon *c, const lw_functype *ft);
/* A module's value type with its concrete heap types made ids. */
lw_valtype wasm_canon_valtype(const uint32_t *ids, lw_valtype t);
void wasm_canon_free(wasm_canon *c);
/* The canonical types as the context of wasm_type_match. */
static inline wasm_typectx wasm_canon_ctx(const wasm_canon *c)
{
    return (wasm_typectx){c->defs, c->n, c->funcs, NULL};
}

/* ---- runtime.c ------------------------------------------------------ */

/* Fill err's backtrace with the frames of the innermost call. */
void wasm_trap_backtrace(lw_store *s, lw_error *err);
void wasm_frames_begin(wasm_frame_iter *it, lw_store *s);
/* Step to the next (outer) frame; false when there is none. */
bool wasm_frames_next(wasm_frame_iter *it);
/* A value's slots (lw_func_call's arguments, host calls). */
void wasm_val_to_slots(const lw_val *v, wasm_slot *out);
void wasm_val_from_slots(lw_valtype type, const wasm_slot *in, lw_val *v);
/* Cells a value of this type takes in a frame. */
static inline uint32_t wasm_cells(lw_valtype type) { return type == LW_V128 ? 2 : 1; }

/* Hand exn to the store, which frees it with itself; -1 when out of memory. */
int wasm_exn_own(lw_store *s, struct lw_exn *exn);

/* ---- memory.c ------------------------------------------------------- */

/* Set up m for the limits (pages already checked against max_pages). */
int wasm_mem_create(lw_store *s, struct lw_memory *m, uint64_t pages,
                    uint64_t max_pages, lw_error *err);
void wasm_mem_release(struct lw_memory *m);
/* Drop a store's hold on m; the last one frees it. */
void wasm_mem_unref(struct lw_memory *m);
/* Install the fault handler once (no-op when bounds are checked). */
void wasm_mem_install_handler(void);
extern __thread wasm_exec *wasm_cur_exec;

/* ---- atomic.c ------------------------------------------------------- */

/* Run the atomic instruction r on operands a, b, c (as many as it takes);
 * its result goes to *out.  Returns NULL, or the message of a trap. */
const char *wasm_atomic_run(lw_store *s, const wasm_atomic_rec *r, uint64_t a,
                            uint64_t b, uint64_t c, uint64_t *out);

/* ---- gc.c ----------------------------------------------------------- */

/* A GC instruction's details, kept beside the code: its canonical type,
 * the field (its storage type and first cell) or count, the segment, the
 * cast's target (heap type a canonical id), the instance. */
typedef struct {
    uint16_t op;
    uint32_t type_id;
    uint32_t field, cell, seg;
    lw_valtype ftype, cast;
    const lw_instance *inst;
} wasm_gc_rec;

/* The kind tag of an exception in lw_store.objects (runtime.c). */
#define WASM_OBJ_EXN 5

/* Run GC instruction r on its operands at a (consecutive slots, read
 * before the result is written to d).  Returns NULL, or a trap's message.
 * May collect: the caller is at a safepoint. */
const char *wasm_gc_run(lw_store *s, const wasm_gc_rec *r, wasm_slot *a, wasm_slot *d);
void wasm_gc_rec_init(wasm_gc_rec *r, const lw_instance *inst, const wasm_instr *in);
/* Does reference x have type t (a canonical one)? */
bool wasm_gc_test(const lw_store *s, const void *x, lw_valtype t);
/* The exact heap type of x, a non-null reference of the any hierarchy:
 * i31, its struct or array type, or any for a host reference; extern
 * when x is no object of s (so that it fits no type of the hierarchy). */
lw_heaptype wasm_gc_heaptype(const lw_store *s, const void *x);
/* A constant expression of inst's module that may allocate, into out[0..1]. */
int wasm_gc_const_eval(lw_store *s, const lw_instance *inst, const lw_expr *e,
                       wasm_slot *out, lw_error *err);
/* No collection while pause is set (nests): instantiation's objects are
 * reachable from no root yet. */
void wasm_gc_pause(lw_store *s, bool pause);
void wasm_gc_collect(lw_store *s);
/* Collect at every allocation from now on (on), or as usual: tests that
 * every reference a collection may meet is a root. */
void wasm_gc_stress(lw_store *s, bool on);
void wasm_gc_free(lw_store *s);
typedef struct {
    size_t objects, bytes;
    uint64_t collections;
} wasm_gc_stat;
void wasm_gc_stats(const lw_store *s, wasm_gc_stat *out);

/* ---- compile.c ------------------------------------------------------ */

int wasm_compile(lw_func *f, lw_error *err);
void wasm_compiled_free(lw_func *f);

/* ---- interp.c ------------------------------------------------------- */

/* Run f with its arguments in base[0..]; results land in base[0..]. */
int wasm_interp_invoke(lw_store *s, lw_func *f, wasm_slot *base,
                       lw_error *err);
/* Handler addresses, indexed by IOP_* (a constant table). */
const void *const *wasm_interp_handlers(void);

/* ---- the internal instruction set ----------------------------------- */

#include "interp.def"

enum {
    IOP_NONE,                 /* no instruction (in compile.c's maps) */
#define IOP(name, fmt) IOP_##name,
    WASM_IOPS
#undef IOP
    IOP_COUNT
};

#endif
