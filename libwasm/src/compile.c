/* Translation of a validated function body into register code (the
 * instructions and their formats are in interp.def).
 *
 * One forward pass.  Each operand-stack entry remembers where its value
 * is: a local's slot (local.get emits nothing), a constant (folded into
 * the immediate forms), or its home slot (a temporary).  Operations write
 * their result to the home slot of the position it takes; local.set right
 * after patches that destination instead of copying.  At block boundaries
 * every entry is put in its home slot, so all paths agree on where values
 * are.  Branches copy the values their label takes into the label's home
 * slots, then jump; compare + br_if/if fuse into one branch.
 *
 * The body is trusted to be valid: types are derived, never checked. */
#include "interp.h"

#define CC_NONE UINT32_MAX

enum { E_TEMP, E_LOCAL, E_CONST };

typedef struct {
    uint8_t kind;
    lw_valtype type;
    uint32_t slot;            /* E_LOCAL: the local's slot; E_TEMP: home */
    uint32_t home;
    uint64_t c[2];            /* E_CONST */
} cc_entry;

/* C_TRY is a legacy try's body, C_CATCH one of its catch arms. */
enum { C_FUNC, C_BLOCK, C_LOOP, C_IF, C_TRY_TABLE, C_TRY, C_CATCH };

typedef struct {
    uint8_t kind;
    bool dead;                /* the rest of this arm is unreachable */
    uint32_t height;          /* stack entries below the label's values */
    uint32_t nparams, nresults;
    const lw_valtype *params, *results;
    uint32_t loop_pos;
    uint32_t patch;           /* chain of forward branches to the end */
    uint32_t else_patch;      /* if: the jump to the else arm */
    /* Exceptions: the handler region whose clauses apply to code right
     * inside this block (-1: none, the caller's); for try_table and try,
     * their own region and the one around it. */
    int32_t region_in, region, outer;
    uint32_t catch_patch;     /* chain of clauses whose target is the end */
    uint32_t pend;            /* try: first of its clauses in c->pend */
    uint32_t exn_slot;        /* try: where its catch arms keep the exception */
    bool rethrown;            /* try: a rethrow names one of its catch arms */
} cc_ctrl;

/* Condition of a branch: a slot (non-zero / zero) or a fused compare. */
typedef struct {
    int kind;                 /* 0 nz, 1 z, 2 compare, 3 compare with imm,
                                 4 a reference not null, 5 null,
                                 6 a & imm nz, 7 a & imm z */
    uint16_t cmp;             /* OP_* of the compare */
    uint32_t a, b;
    uint64_t imm;
    /* An i32.add to a, right before the compare (kinds 2, 3): of the
     * constant inc_k, or of slot inc_k when inc_r; inc_prev is the
     * instruction right before the add (cc_last.prev). */
    bool inc, inc_r;
    uint32_t inc_pos, inc_x, inc_k, inc_prev;
    /* Operand a loaded by the load right before the compare (OP_* ld_op,
     * at cell ld_pos, from ld_x + ld_k + ld_off, binary offset ld_at),
     * its result going to slot a. */
    bool ld;
    uint16_t ld_op;
    uint32_t ld_pos, ld_x, ld_k, ld_at;
    uint64_t ld_off;
    /* Operand b loaded too, by the same kind of load right before that
     * (at cell ld2_pos, from ld2_x + ld2_k + ld2_off, binary offset
     * ld2_at), its result going to slot b. */
    bool ld2;
    uint32_t ld2_pos, ld2_x, ld2_k, ld2_at;
    uint64_t ld2_off;
} cc_cond;

/* What the last instruction emitted was, for result forwarding and
 * fusion.  Every emit replaces it whole; a label or a call clears it. */
/* LAST_LOAD_SET: a load whose result went to a local (local.set or
 * local.tee), of use only to a branch on it, which stores it too. */
enum { LAST_NONE, LAST_OP, LAST_CMP, LAST_EQZ, LAST_ADD, LAST_SHL, LAST_MOV,
       LAST_LOAD, LAST_ADD_SHL, LAST_LOAD_SET };

typedef struct {
    uint8_t kind;             /* LAST_*; LAST_NONE: nothing to fuse with */
    uint32_t pos;             /* its cell index */
    /* The cell of the instruction right before it, nothing (no label)
     * between them, else CC_NONE. */
    uint32_t prev;
    uint32_t dst;             /* the slot its result went to, else CC_NONE */
    bool fwd;                 /* dst is a fresh temporary that may be patched */
    cc_cond cond;             /* LAST_CMP, LAST_EQZ: the condition it computes */
    bool imm;                 /* LAST_ADD: y is a constant, not a slot */
    uint32_t x, y;            /* LAST_ADD: x + y; LAST_SHL: x << y;
                               * LAST_LOAD: the address is x + y (32-bit);
                               * LAST_ADD_SHL: x + (y << shift) */
    uint32_t shift;
    uint64_t off;             /* LAST_LOAD: plus this offset */
    uint32_t at;              /* LAST_LOAD: its binary offset */
    uint32_t nmov;            /* LAST_MOV: its copies */
    /* An operation that starts a chain (cc_chains; OP_*, else 0) and
     * its operands: slot cx, and slot or constant cy (ck). */
    uint16_t cop;
    bool ck;
    uint32_t cx, cy;
    /* An integer binop with accumulator forms (interp.def, WASM_IOP_BINI):
     * its OP_*, 0 for anything else; whether b is a constant; its form. */
    uint16_t aop;
    bool aimm;
    uint8_t aform;            /* CC_ACC_* bits */
} cc_last;

/* Accumulator forms: index into cc_map.acc[imm], bits of cc_last.aform. */
enum { CC_ACC_WRITE = 1, CC_ACC_READ = 2 };

/* A copy of a br_table: its n targets at cell to are those at from,
 * copied once all are bound (cc_finish). */
typedef struct {
    uint32_t to, from, n;
} cc_dup;

typedef struct {
    lw_func *f;
    const lw_module *m;
    const void *const *h;
    wasm_icell *code;
    size_t n, cap;
    wasm_ipmap *map;
    size_t nmap, mapcap;
    uint32_t *tcells;         /* cells holding branch targets */
    size_t ntcells, tcap;
    cc_dup *dups;             /* br_table copies (cc_dup_table) */
    size_t ndups, dcap, dup_cells;
    cc_entry *stack;
    size_t sp, scap;
    cc_ctrl *ctrl;
    size_t cp, ccap;
    uint32_t *lslot;          /* slot of each local */
    lw_valtype *ltype;
    uint32_t nlocals, temp_base, max_cells;
    uint32_t offset;          /* binary offset of the current instruction */
    wasm_arena *arena;
    cc_last last;
    /* What was last when the last was emitted: the instruction before
     * it, which fusions with two instructions before them read (a load
     * after a load or after a counter step, cc_load). */
    cc_last before;
    /* The last i32 load that kept its address sum in local kslot
     * (cc_load_kept) at cell kpos, while no local.set of kslot and no
     * label has come since (cc_kept_copy); kslot CC_NONE when none. */
    uint32_t kpos, kslot;
    bool oom;
    /* Exception handlers (wasm_handlers), the region code is in, the
     * legacy catch clauses of open tries, and the slots for those tries'
     * exceptions (after the locals; one per try). */
    wasm_eregion *regions;
    size_t nregions, rcap;
    wasm_eclause *clauses;
    size_t nclauses, kcap;
    wasm_eclause *pend;
    size_t npend, pcap;
    int32_t cur_region;
    uint32_t exn_base, ntries, func_ret;
    /* The collector's map (wasm_roots): slots of reference locals, then
     * of each site's live references. */
    uint32_t *rslots;
    size_t nrslots, rslotcap, nrlocals;
    wasm_rootsite *rsites;
    size_t nrsites, rsitecap;
    /* Written instead of the real thing after running out of memory. */
    wasm_icell sink_code[WASM_CELLS_SIB2];
    cc_entry sink_entry;
    wasm_simd_rec sink_simd;
    wasm_atomic_rec sink_atomic;
    wasm_gc_rec sink_gc;
    lw_error *err;
} cc;

/* ---- opcode -> internal instruction maps ------------------------------ */

/* Cells of each internal instruction (its format's). */
static const uint8_t cc_cells[IOP_COUNT] = {
#define IOP(name, fmt) [IOP_##name] = WASM_CELLS_##fmt,
    WASM_IOPS
#undef IOP
};

/* Folded address forms (interp.def, WASM_ADDRFORMS). */
#define CC_FOLD_ENUM(form, ...) CC_FOLD_##form,
enum { WASM_ADDRFORMS(CC_FOLD_ENUM, ~) CC_NFOLDS };
#undef CC_FOLD_ENUM
/* Kept address forms (WASM_KEPTFORMS). */
#define CC_KEPT_ENUM(form, ...) CC_KEPT_##form,
enum { WASM_KEPTFORMS(CC_KEPT_ENUM, ~) CC_NKEPT };
#undef CC_KEPT_ENUM

enum { K_NONE, K_UN, K_BIN, K_BINI, K_CMP, K_TRAPBIN, K_TRAPUN, K_LOAD,
       K_STORE, K_RELABEL };

/* What a Wasm operation compiles to: its handlers by variant. */
typedef struct {
    uint8_t kind;             /* K_* */
    bool commutes;
    uint16_t rr, ri;          /* operands in slots; the second a constant */
    uint16_t br, bri;         /* K_CMP: compare and branch, slot or constant */
    uint16_t inc, inci;       /* i32 compares: the same after a counter step */
    uint16_t addbr, addbri;   /* the same, the step a slot */
    uint16_t stepi[3];        /* inci after a step (CC_STEP_*) */
    uint16_t sel[3];          /* i32 compares: a select on ri's result, its
                               * values constants (KK, KS, SK: cc_select_cmp) */
    uint16_t negate, flip;    /* K_CMP: OP_* of !(a op b) and of (b op a) */
    uint16_t mem[WASM_MV_COUNT]; /* loads, stores: per memory variant */
    uint16_t fold[CC_NFOLDS]; /* loads, stores: folded address forms */
    uint16_t foldk[CC_NFOLDS]; /* stores: the same, of a constant */
    uint16_t kept[CC_NKEPT];  /* loads: kept address forms */
    uint16_t si2;             /* loads: at the two sums of I32_ADD_I2 */
    uint16_t storek;          /* stores: of a constant */
    uint16_t abs, absk;       /* loads, stores: at a constant address;
                               * stores: of a constant there */
    uint16_t acc[2][4];       /* K_BINI: [b constant][CC_ACC_* bits] */
} cc_map;

/* Which load and store handlers each memory access uses. */
#define CC_LOADOPS(X)                                                      \
    X(I32_LOAD, LD32) X(F32_LOAD, LD32) X(I64_LOAD, LD64) X(F64_LOAD, LD64) \
    X(I32_LOAD8_S, LD8S32) X(I32_LOAD8_U, LD8U32)                          \
    X(I32_LOAD16_S, LD16S32) X(I32_LOAD16_U, LD16U32)                      \
    X(I64_LOAD8_S, LD8S64) X(I64_LOAD8_U, LD8U32)                          \
    X(I64_LOAD16_S, LD16S64) X(I64_LOAD16_U, LD16U32)                      \
    X(I64_LOAD32_S, LD32S64) X(I64_LOAD32_U, LD32)
#define CC_STOREOPS(X)                                                     \
    X(I32_STORE, ST32) X(F32_STORE, ST32) X(I64_STORE, ST64)               \
    X(F64_STORE, ST64) X(I32_STORE8, ST8) X(I64_STORE8, ST8)               \
    X(I32_STORE16, ST16) X(I64_STORE16, ST16) X(I64_STORE32, ST32)

static const cc_map cc_maps[OP_COUNT] = {
#define MUN(op, ...) [OP_##op] = {.kind = K_UN, .rr = IOP_##op},
#define MTU(op, ...) [OP_##op] = {.kind = K_TRAPUN, .rr = IOP_##op},
#define MBIN(op, ...) [OP_##op] = {.kind = K_BIN, .rr = IOP_##op},
#define MTB(op, ...) [OP_##op] = {.kind = K_TRAPBIN, .rr = IOP_##op},
#define MBINI(op, in, out, expr, comm)                                     \
    [OP_##op] = {.kind = K_BINI, .commutes = comm, .rr = IOP_##op,         \
                 .ri = IOP_##op##_I,                                       \
                 .acc = {{IOP_##op, IOP_##op##_TA, IOP_##op##_FA,          \
                          IOP_##op##_AA},                                  \
                         {IOP_##op##_I, IOP_##op##_I_TA, IOP_##op##_I_FA,  \
                          IOP_##op##_I_AA}}},
#define MCMP(op, in, cop, neg, flipped, ...)                               \
    [OP_##op] = {.kind = K_CMP, .rr = IOP_##op, .ri = IOP_##op##_I,        \
                 .br = IOP_BR_##op, .bri = IOP_BR_##op##_I,                \
                 .negate = OP_##neg, .flip = OP_##flipped, __VA_ARGS__},
#define MCMP32(op, in, cop, neg, flipped)                                  \
    MCMP(op, in, cop, neg, flipped, .inc = IOP_INC_BR_##op,                \
         .inci = IOP_INC_BR_##op##_I, .addbr = IOP_ADD_BR_##op,             \
         .addbri = IOP_ADD_BR_##op##_I,                                     \
         .stepi = {IOP_STEPK_INC_BR_##op##_I, IOP_STEPR_INC_BR_##op##_I,    \
                   IOP_STEP2_INC_BR_##op##_I},                              \
         .sel = {IOP_SELECT_##op##_I_KK, IOP_SELECT_##op##_I_KS,            \
                 IOP_SELECT_##op##_I_SK})
#define MVAR(tag, m, a, chk, op) [WASM_MV_##tag] = IOP_##op##_##tag,
#define MFOLD(form, iop) [CC_FOLD_##form] = IOP_##iop##_##form,
#define MFOLDK(form, iop) [CC_FOLD_##form] = IOP_##iop##_##form##K,
#define MKEPT(form, iop) [CC_KEPT_##form] = IOP_##iop##_K##form,
#define MLOAD(op, iop)                                                     \
    [OP_##op] = {.kind = K_LOAD, .mem = {WASM_MEMVARS(MVAR, iop)},         \
                 .fold = {WASM_ADDRFORMS(MFOLD, iop)},                     \
                 .kept = {WASM_KEPTFORMS(MKEPT, iop)}, .si2 = IOP_##iop##_SI2,       \
                 .abs = IOP_##iop##_ABS},
#define MSTORE(op, iop)                                                    \
    [OP_##op] = {.kind = K_STORE, .mem = {WASM_MEMVARS(MVAR, iop)},         \
                 .storek = IOP_##iop##_K,                                  \
                 .fold = {WASM_ADDRFORMS(MFOLD, iop)},                     \
                 .foldk = {WASM_ADDRFORMS(MFOLDK, iop)},                   \
                 .abs = IOP_##iop##_ABS, .absk = IOP_##iop##_ABSK},
#define MREL(op) [OP_##op] = {.kind = K_RELABEL},
    WASM_UNOPS(MUN) WASM_TRAPUNOPS(MTU) WASM_BINOPS(MBIN)
    WASM_TRAPBINOPS(MTB) WASM_BINOPS_IMM(MBINI)
    WASM_CMPOPS32(MCMP32) WASM_CMPOPS64(MCMP)
    CC_LOADOPS(MLOAD) CC_STOREOPS(MSTORE)
    MREL(I32_REINTERPRET_F32) MREL(F32_REINTERPRET_I32)
    MREL(I64_REINTERPRET_F64) MREL(F64_REINTERPRET_I64)
#undef MUN
#undef MTU
#undef MBIN
#undef MTB
#undef MBINI
#undef MCMP
#undef MCMP32
#undef MVAR
#undef MFOLD
#undef MFOLDK
#undef MKEPT
#undef MLOAD
#undef MSTORE
#undef MREL
};

/* The memory-access variant (interp.def) for memory idx: the first
 * whose parameters fit, or -1. */
#define CC_MEM_M0(idx) ((idx) == 0)
#define CC_MEM_MN(idx) true
#define CC_ADDR_A32(is64) (!(is64))
#define CC_ADDR_A64(is64) (is64)
#define CC_CHECK_GUARD(guarded) (guarded)
#define CC_CHECK_CHECK(guarded) true

/* Whether a variant's handler reads its memory from the instruction. */
#define CC_MEMPTR_M0 false
#define CC_MEMPTR_MN true
#define CC_MEMPTR(tag, mem, ...) [WASM_MV_##tag] = CC_MEMPTR_##mem,
static const bool cc_memptr[WASM_MV_COUNT] = {WASM_MEMVARS(CC_MEMPTR, ~)};
#undef CC_MEMPTR

static int cc_memvar(cc *c, uint32_t idx)
{
    const struct lw_memory *m = c->f->inst->mems[idx];
#define MFIT(tag, mem, addr, check, ...)                                   \
    if (CC_MEM_##mem(idx) && CC_ADDR_##addr(m->type.is64) &&              \
        CC_CHECK_##check(m->guarded))                                      \
        return WASM_MV_##tag;
    WASM_MEMVARS(MFIT, ~)
#undef MFIT
    return -1;
}

/* ---- emitting ---------------------------------------------------------- */

/* Append instruction iop with `extra` cells beyond its format's (br_table
 * targets); the operands are filled in through the format's accessors. */
static wasm_icell *cc_emit_n(cc *c, int iop, size_t extra)
{
    size_t ncells = cc_cells[iop] + extra;
    if (wasm_vec_reserve((void **)&c->code, &c->cap, c->n + ncells, sizeof *c->code) ||
        wasm_vec_reserve((void **)&c->map, &c->mapcap, c->nmap + 1, sizeof *c->map)) {
        c->oom = true;
        return c->sink_code;
    }
    wasm_icell *ip = c->code + c->n;
    memset(ip, 0, ncells * sizeof *ip);
    ip->h = c->h[iop];
    c->map[c->nmap].pos = (uint32_t)c->n;
    c->map[c->nmap].offset = c->offset;
    c->nmap++;
    c->before = c->last;
    c->last = (cc_last){.kind = LAST_OP, .pos = (uint32_t)c->n, .dst = CC_NONE,
                        .prev = c->before.pos};
    c->n += ncells;
    return ip;
}

static wasm_icell *cc_emit(cc *c, int iop)
{
    return cc_emit_n(c, iop, 0);
}

/* The cell index of a cell of the code being emitted (0 once out of memory). */
static uint32_t cc_pos(cc *c, const wasm_icell *cell)
{
    return c->oom ? 0 : (uint32_t)(cell - c->code);
}

/* Whether the instruction at cell pos, one with a single map entry (all
 * but OP_LL), is the last one emitted. */
static bool cc_is_last(const cc *c, uint32_t pos)
{
    return !c->oom && c->nmap && c->map[c->nmap - 1].pos == pos;
}

/* Whether the instruction at cell pos is the one emitted right before
 * the last (both with a single map entry). */
static bool cc_is_before(const cc *c, uint32_t pos)
{
    return !c->oom && c->nmap >= 2 && c->map[c->nmap - 2].pos == pos;
}

/* Forget the last instruction (a label is bound, or it must stay). */
static void cc_barrier(cc *c)
{
    c->last = (cc_last){.kind = LAST_NONE, .pos = CC_NONE, .dst = CC_NONE, .prev = CC_NONE};
    c->kslot = CC_NONE;
}

/* Forget what the last instruction offers to fusion, but not where it
 * is: nothing stands between it and the next (cc_last.prev). */
static void cc_forget(cc *c)
{
    c->last = (cc_last){.kind = LAST_NONE, .pos = c->last.pos, .dst = CC_NONE,
                        .prev = c->last.prev};
}

/* Truncate the code at cell pos, an instruction's start. */
static void cc_cut(cc *c, uint32_t pos)
{
    c->n = pos;
    while (c->nmap && c->map[c->nmap - 1].pos >= pos)
        c->nmap--;
}

/* Drop the instruction at pos, the last one emitted.  Of a pair of adds
 * (I32_ADD_I2, cc_add_pair) only the second goes: the first, read back
 * from the pair's cells, is emitted again on its own and is then the
 * last instruction (true). */
static bool cc_drop(cc *c, uint32_t pos)
{
    bool pair = !c->oom && c->code[pos].h == c->h[IOP_I32_ADD_I2];
    uint32_t prev = c->last.pos == pos ? c->last.prev : CC_NONE;
    uint32_t d = 0, a = 0;
    uint64_t k = 0;
    if (pair) {
        const wasm_icell *ip = c->code + pos;
        d = RRRI_B(ip);
        a = RRRI_C(ip);
        k = (uint32_t)RRRI_I(ip).u64;
    }
    cc_cut(c, pos);
    if (pair) {
        wasm_icell *add = cc_emit(c, IOP_I32_ADD_I);
        RRI_D(add) = d;
        RRI_A(add) = a;
        RRI_I(add).u64 = k;
        c->last.kind = LAST_ADD;
        c->last.imm = true;
        c->last.x = a;
        c->last.y = (uint32_t)k;
        c->last.dst = d;
        c->last.prev = prev;
    }
    return pair;
}

/* Drop the last instruction (it is being folded into the next). */
static void cc_unemit(cc *c)
{
    if (!cc_drop(c, c->last.pos))
        cc_barrier(c);
}

static void cc_add_target(cc *c, uint32_t cell)
{
    if (wasm_vec_reserve((void **)&c->tcells, &c->tcap, c->ntcells + 1, sizeof *c->tcells)) {
        c->oom = true;
        return;
    }
    c->tcells[c->ntcells++] = cell;
}

/* A branch target cell: backward (known position) or added to a chain. */
static void cc_target(cc *c, uint32_t cell, cc_ctrl *l)
{
    if (c->oom)
        return;
    cc_add_target(c, cell);
    if (l->kind == C_LOOP) {
        c->code[cell].u64 = l->loop_pos;
    } else {
        c->code[cell].u64 = l->patch;
        l->patch = cell;
    }
}

static void cc_bind(cc *c, uint32_t chain)
{
    while (chain != CC_NONE && !c->oom) {
        uint32_t next = (uint32_t)c->code[chain].u64;
        c->code[chain].u64 = c->n;
        chain = next;
    }
    cc_barrier(c);
}

/* ---- the operand stack ------------------------------------------------- */

static uint32_t cc_home_at(cc *c, size_t pos)
{
    if (pos == 0)
        return c->temp_base;
    return c->stack[pos - 1].home + wasm_cells(c->stack[pos - 1].type);
}

static cc_entry *cc_push(cc *c, uint8_t kind, lw_valtype type)
{
    if (wasm_vec_reserve((void **)&c->stack, &c->scap, c->sp + 1, sizeof *c->stack)) {
        c->oom = true;
        return &c->sink_entry;
    }
    cc_entry *e = &c->stack[c->sp];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->type = type;
    e->home = cc_home_at(c, c->sp);
    e->slot = e->home;
    uint32_t top = e->home + wasm_cells(type);
    if (top > c->max_cells)
        c->max_cells = top;
    c->sp++;
    return e;
}

static cc_entry cc_pop(cc *c)
{
    return c->stack[--c->sp];
}

/* A copy right after a copy joins it: MOVn does its moves in order, so
 * the result is the same with one dispatch instead of several. */
static void cc_emit_copy(cc *c, lw_valtype type, uint32_t dst, uint32_t src)
{
    static const uint16_t movs[] = {IOP_COPY, IOP_MOV2, IOP_MOV3, IOP_MOV4};
    if (dst == src)
        return;
    if (type != LW_V128 && c->last.kind == LAST_MOV && c->last.nmov < COUNTOF(movs)) {
        /* MOVn is COPY's format repeated: one more pair at the end. */
        if (wasm_vec_reserve((void **)&c->code, &c->cap, c->n + 1, sizeof *c->code)) {
            c->oom = true;
            return;
        }
        wasm_icell *ip = c->code + c->last.pos;
        MOV_D(ip, c->last.nmov) = dst;
        MOV_A(ip, c->last.nmov) = src;
        ip->h = c->h[movs[c->last.nmov]];
        c->last.nmov++;
        c->n++;
        return;
    }
    wasm_icell *ip = cc_emit(c, type == LW_V128 ? IOP_COPY2 : IOP_COPY);
    RR_D(ip) = dst;
    RR_A(ip) = src;
    if (type != LW_V128) {
        c->last.kind = LAST_MOV;
        c->last.nmov = 1;
    }
}

static void cc_emit_const(cc *c, lw_valtype type, uint32_t dst, const uint64_t *v)
{
    if (type == LW_V128) {
        wasm_icell *ip = cc_emit(c, IOP_CONST2);
        RRII_D(ip) = dst;
        RRII_I(ip).u64 = v[0];
        RRII_J(ip).u64 = v[1];
    } else {
        wasm_icell *ip = cc_emit(c, IOP_CONST);
        RRI_D(ip) = dst;
        RRI_I(ip).u64 = v[0];
    }
}

/* Put the value of entry e into slot dst (no change to e). */
static void cc_move(cc *c, const cc_entry *e, uint32_t dst)
{
    if (e->kind == E_CONST)
        cc_emit_const(c, e->type, dst, e->c);
    else
        cc_emit_copy(c, e->type, dst, e->slot);
}

/* Make entry e live in its home slot. */
static void cc_flush(cc *c, cc_entry *e)
{
    if (e->kind == E_TEMP)
        return;
    cc_move(c, e, e->home);
    e->kind = E_TEMP;
    e->slot = e->home;
}

/* The slot holding e's value; a constant goes to its home first. */
static uint32_t cc_slot(cc *c, cc_entry *e)
{
    if (e->kind == E_CONST)
        cc_flush(c, e);
    return e->slot;
}

static void cc_flush_all(cc *c)
{
    for (size_t i = 0; i < c->sp; i++)
        cc_flush(c, &c->stack[i]);
}

/* ---- labels and branches ----------------------------------------------- */

static uint32_t cc_label_arity(const cc_ctrl *l, const lw_valtype **types)
{
    if (l->kind == C_LOOP) {
        *types = l->params;
        return l->nparams;
    }
    *types = l->results;
    return l->nresults;
}

/* Do the label's values (the top n entries) need copying to reach it? */
static bool cc_needs_moves(cc *c, const cc_ctrl *l)
{
    if (l->kind == C_FUNC)
        return true;
    const lw_valtype *types;
    uint32_t n = cc_label_arity(l, &types);
    uint32_t dst = cc_home_at(c, l->height);
    for (uint32_t i = 0; i < n; i++) {
        const cc_entry *e = &c->stack[c->sp - n + i];
        if (e->kind == E_CONST || e->slot != dst)
            return true;
        dst += wasm_cells(types[i]);
    }
    return false;
}

/* Copy the top n entries to consecutive slots from dst (ascending, which
 * never overwrites a later source).  Entries are left untouched so this
 * works on conditional paths. */
static void cc_moves(cc *c, uint32_t n, const lw_valtype *types, uint32_t dst,
                     bool to_frame_start)
{
    size_t first = c->sp - n;
    if (to_frame_start)
        for (uint32_t i = 0; i < n; i++) {
            const cc_entry *e = &c->stack[first + i];
            if (e->kind == E_LOCAL)
                cc_emit_copy(c, e->type, e->home, e->slot);
        }
    for (uint32_t i = 0; i < n; i++) {
        cc_entry e = c->stack[first + i];
        if (to_frame_start && e.kind == E_LOCAL)
            e.slot = e.home;
        cc_move(c, &e, dst);
        dst += wasm_cells(types[i]);
    }
}

static bool cc_top_is_last(cc *c);

/* Whether p is a lone i32 add (or sub) of a constant in its plain form,
 * d = a + k, and the code after it starts at cell end. */
static bool cc_add_i_at(cc *c, const cc_last *p, size_t end, uint32_t *d, uint32_t *a,
                        uint32_t *k)
{
    if (p->kind != LAST_ADD || !p->imm || c->oom || p->pos + cc_cells[IOP_I32_ADD_I] != end)
        return false;
    const wasm_icell *ip = c->code + p->pos;
    if (ip->h != c->h[IOP_I32_ADD_I] && ip->h != c->h[IOP_I32_SUB_I])
        return false;
    *d = RRI_D(ip);
    *a = RRI_A(ip);
    *k = p->y;
    return true;
}

static void cc_emit_return(cc *c)
{
    static const uint16_t rets[][2] = {
        {IOP_I32_ADD, IOP_I32_ADD_RET}, {IOP_I32_SUB, IOP_I32_SUB_RET},
        {IOP_COPY, IOP_COPY_RET}, {IOP_MOV2, IOP_MOV2_RET},
        {IOP_MOV3, IOP_MOV3_RET}, {IOP_MOV4, IOP_MOV4_RET},
    };
    const lw_functype *t = &c->f->type;
    if (t->nresults == 1 && c->last.fwd && cc_top_is_last(c)) {
        /* The result's producer writes the return slot directly. */
        ANY_D(c->code + c->last.pos) = 0;
    } else {
        cc_moves(c, t->nresults, t->results, 0, true);
    }
    /* An add, a subtract or copies right before the return (the result's
     * producer, the results' moves) return themselves: the same format,
     * another handler.  Not after a label: a jump to the return would
     * skip them. */
    uint32_t pos = c->last.pos;
    if (cc_is_last(c, pos))
        for (size_t i = 0; i < COUNTOF(rets); i++)
            if (c->code[pos].h == c->h[rets[i][0]] && pos + cc_cells[rets[i][0]] == c->n) {
                c->code[pos].h = c->h[rets[i][1]];
                cc_barrier(c);
                return;
            }
    cc_barrier(c);
    cc_emit(c, IOP_RET);
}

/* The cells before the targets of the br_table at ip, and its number of
 * targets in *n; 0 when ip is no br_table. */
static uint32_t cc_table_head(const cc *c, const wasm_icell *ip, uint32_t *n)
{
    if (ip->h == c->h[IOP_BR_TABLE]) {
        *n = BRT_N(ip) + 1;
        return cc_cells[IOP_BR_TABLE];
    }
#define HEAD(iop, fmt)                                                     \
    if (ip->h == c->h[iop]) {                                              \
        *n = fmt##_N(ip) + 1;                                              \
        return cc_cells[iop];                                              \
    }
#define X(name, op, ctype)                                                 \
    HEAD(IOP_BR_TABLE_##name, BRTL)                                        \
    HEAD(IOP_BR_TABLE_##name##_S, BRTLS)                                   \
    HEAD(IOP_BR_TABLE_##name##_SC, BRTLSC)                                 \
    HEAD(IOP_BR_TABLE_##name##_SH, BRTLSC)
    WASM_BRTLOADS(X)
#undef X
#undef HEAD
    return 0;
}

/* Bounds on the br_tables copied: targets of one, cells of all of a
 * function's copies. */
#define CC_DUP_TARGETS 256
#define CC_DUP_CELLS 16384

/* A jump back to a loop whose first instruction is a br_table (an
 * interpreter's dispatch: each case ends with a jump back to it) becomes
 * a copy of that br_table, one dispatch less per turn of the loop.  The
 * copy faults where the original would, so it takes the original's
 * binary offset.  Its targets, some perhaps not bound yet, are copied by
 * cc_finish.  Whether it was made. */
static bool cc_dup_table(cc *c, uint32_t pos)
{
    if (c->oom || pos >= c->n)
        return false;
    uint32_t n, head = cc_table_head(c, c->code + pos, &n);
    if (!head || n > CC_DUP_TARGETS || c->dup_cells + head + n > CC_DUP_CELLS)
        return false;
    size_t i = wasm_map_find(c->map, c->nmap, pos);
    if (i == c->nmap || c->map[i].pos != pos)
        return false;
    uint32_t at = c->map[i].offset;
    if (wasm_vec_reserve((void **)&c->dups, &c->dcap, c->ndups + 1, sizeof *c->dups)) {
        c->oom = true;
        return false;
    }
    wasm_icell *ip = cc_emit_n(c, IOP_BR_TABLE, head + n - cc_cells[IOP_BR_TABLE]);
    if (c->oom)
        return false;
    memcpy(ip, c->code + pos, head * sizeof *ip);
    c->map[c->nmap - 1].offset = at;
    uint32_t to = cc_pos(c, ip) + head;
    for (uint32_t i = 0; i < n; i++)
        cc_add_target(c, to + i);
    c->dups[c->ndups++] = (cc_dup){.to = to, .from = pos + head, .n = n};
    c->dup_cells += head + n;
    return true;
}

/* Unconditional branch to label l (moves included). */
static void cc_branch(cc *c, cc_ctrl *l)
{
    if (l->kind == C_FUNC) {
        cc_emit_return(c);
        return;
    }
    const lw_valtype *types;
    uint32_t n = cc_label_arity(l, &types);
    cc_moves(c, n, types, cc_home_at(c, l->height), false);
    uint32_t d, a, k;
    wasm_icell *ip;
    if (c->last.kind == LAST_MOV && cc_is_last(c, c->last.pos)) {
        /* Copies right before the jump (a loop's variables, a branch's
         * values): the jump joins them, one more cell at the end. */
        static const uint16_t movbrs[] = {IOP_COPY_BR, IOP_MOV2_BR, IOP_MOV3_BR, IOP_MOV4_BR};
        if (wasm_vec_reserve((void **)&c->code, &c->cap, c->n + 1, sizeof *c->code)) {
            c->oom = true;
            return;
        }
        c->code[c->last.pos].h = c->h[movbrs[c->last.nmov - 1]];
        uint32_t cell = (uint32_t)c->n++;
        c->last.kind = LAST_OP;
        cc_target(c, cell, l);
        return;
    }
    if (cc_add_i_at(c, &c->last, c->n, &d, &a, &k)) {
        /* A step (a loop counter's, say) right before the jump. */
        cc_unemit(c);
        ip = cc_emit(c, IOP_I32_ADD_I_BR);
        RRII_D(ip) = d;
        RRII_A(ip) = a;
        RRII_I(ip).u64 = k;
        cc_target(c, cc_pos(c, &RRII_J(ip)), l);
        return;
    }
    if (l->kind == C_LOOP && cc_dup_table(c, l->loop_pos))
        return;
    ip = cc_emit(c, IOP_BR);
    cc_target(c, cc_pos(c, &I_I(ip)), l);
}

/* Steps before a counter's: an i32 add of a constant, of a slot, two adds
 * of constants (I32_ADD_I2). */
enum { CC_STEP_K, CC_STEP_R, CC_STEP2, CC_STEP_NONE };

/* The step at cell pos, the last instruction, ending where the code
 * does, and its operands in f (e, f, g, then p, q, r: interp.def, SIB2);
 * it is taken out of the code.  CC_STEP_NONE when there is none.  An add
 * that also leaves its result in the accumulator (_TA) writes its slot
 * all the same, and the counter's step does not read the accumulator. */
static int cc_step_at(cc *c, uint32_t pos, uint32_t f[6])
{
    if (pos == CC_NONE || !cc_is_last(c, pos))
        return CC_STEP_NONE;
    const wasm_icell *ip = c->code + pos;
    int step = CC_STEP_NONE;
    if ((ip->h == c->h[IOP_I32_ADD_I] || ip->h == c->h[IOP_I32_ADD_I_TA]) &&
        pos + cc_cells[IOP_I32_ADD_I] == c->n) {
        step = CC_STEP_K;
        f[0] = RRI_D(ip);
        f[1] = RRI_A(ip);
        f[2] = (uint32_t)RRI_I(ip).u64;
    } else if ((ip->h == c->h[IOP_I32_ADD] || ip->h == c->h[IOP_I32_ADD_TA]) &&
               pos + cc_cells[IOP_I32_ADD] == c->n) {
        step = CC_STEP_R;
        f[0] = RRR_D(ip);
        f[1] = RRR_A(ip);
        f[2] = RRR_B(ip);
    } else if (ip->h == c->h[IOP_I32_ADD_I2] && pos + cc_cells[IOP_I32_ADD_I2] == c->n) {
        step = CC_STEP2;
        f[0] = RRRI_B(ip);
        f[1] = RRRI_C(ip);
        f[2] = (uint32_t)RRRI_I(ip).u64;
        f[3] = RRRI_D(ip);
        f[4] = RRRI_A(ip);
        f[5] = (uint32_t)(RRRI_I(ip).u64 >> 32);
    }
    if (step != CC_STEP_NONE)
        cc_cut(c, pos);
    return step;
}

static cc_cond cc_negated(cc_cond k)
{
    if (k.kind <= 1 || k.kind >= 4)
        k.kind ^= 1;
    else
        k.cmp = cc_maps[k.cmp].negate;
    return k;
}

/* The branch on compare cmp of a value loaded by load (WASM_BRLOADS),
 * with a constant when imm, of two such values when two, else IOP_NONE. */
static int cc_brl_iop(uint16_t load, uint16_t cmp, bool imm, bool two)
{
#define X(name, lop, ctype, cop_, ...)                                     \
    if (load == OP_##lop && cmp == OP_##cop_)                              \
        return two ? IOP_BR_##name##2_##cop_                               \
                   : imm ? IOP_BR_##name##_##cop_##_I : IOP_BR_##name##_##cop_;
    WASM_BRLOADS(X)
#undef X
    return IOP_NONE;
}

/* The BR_<L>_<CMP>_KM of a load and compare (IOP_NONE: none). */
static int cc_brl_km_iop(uint16_t load, uint16_t cmp)
{
#define X(name, lop, ctype, cop_, ...)                                     \
    if (load == OP_##lop && cmp == OP_##cop_)                              \
        return IOP_BR_##name##_##cop_##_KM;
    WASM_BRLOADS(X)
#undef X
    return IOP_NONE;
}

/* br_if or if on the i32 that the kept load just emitted loaded (a
 * form of WASM_KEPTBRFORMS): the load branches itself; the target cell
 * to fill, or 0. */
static uint32_t cc_kept_branch(cc *c, const cc_cond *k)
{
    uint32_t p = c->last.pos;
    if (c->oom || p == CC_NONE || !cc_is_last(c, p) || p + cc_cells[IOP_LD32_KA] != c->n)
        return 0;
    wasm_icell *ip = c->code + p;
    int to = IOP_NONE;
#define X(form, ...)                                                       \
    if (ip->h == c->h[IOP_LD32_K##form])                                   \
        to = k->kind == 0 ? IOP_LD32_K##form##_BR_IF : IOP_LD32_K##form##_BR_UNLESS;
    WASM_KEPTBRFORMS(X)
#undef X
    if (to == IOP_NONE || RRRII_D(ip) != k->a || RRRII_I(ip).u64 > UINT32_MAX)
        return 0;
    ip->h = c->h[to];
    RRRII_C(ip) = (uint32_t)RRRII_I(ip).u64;
    RRRII_I(ip).u64 = 0;
    cc_barrier(c);
    return cc_pos(c, &RRRII_I(ip));
}

/* Emit "if k goto ...": returns the target cell to fill. */
static uint32_t cc_emit_cond(cc *c, cc_cond k)
{
    const cc_map *cm = &cc_maps[k.cmp];
    wasm_icell *ip;
    int liop = k.ld && k.kind >= 2 ? cc_brl_iop(k.ld_op, k.cmp, k.kind == 3, false) : IOP_NONE;
    if (liop != IOP_NONE && k.ld2 && k.kind == 2 && cc_is_last(c, k.ld_pos) &&
        cc_is_before(c, k.ld2_pos)) {
        /* Both loads (still the last two instructions) join the branch;
         * a fault in either is reported at its load (as in cc_fuse_loads). */
        cc_drop(c, k.ld2_pos);
        ip = cc_emit(c, cc_brl_iop(k.ld_op, k.cmp, false, true));
        if (c->oom || wasm_vec_reserve((void **)&c->map, &c->mapcap, c->nmap + 1,
                                       sizeof *c->map)) {
            c->oom = true;
            return 0;
        }
        c->map[c->nmap - 1].offset = k.ld2_at;
        c->map[c->nmap++] = (wasm_ipmap){.pos = cc_pos(c, ip) + 1, .offset = k.ld_at};
        BRLL_D(ip) = k.b;
        BRLL_A(ip) = k.ld2_x;
        BRLL_C(ip) = k.ld2_k;
        BRLL_I(ip) = (uint32_t)k.ld2_off;
        BRLL_E(ip) = k.a;
        BRLL_B(ip) = k.ld_x;
        BRLL_K(ip) = k.ld_k;
        BRLL_J(ip) = (uint32_t)k.ld_off;
        return cc_pos(c, &BRLL_T(ip));
    }
    uint32_t mp = c->nmap >= 2 && !c->oom ? c->map[c->nmap - 2].pos : CC_NONE;
    if (liop != IOP_NONE && k.kind == 2 && mp != CC_NONE && cc_is_last(c, k.ld_pos) &&
        mp + cc_cells[IOP_I32_MUL_I] == k.ld_pos && c->code[mp].h == c->h[IOP_I32_MUL_I] &&
        RRI_D(c->code + mp) == k.ld_x && k.ld_off <= UINT32_MAX) {
        /* The load and the product its address adds to (the instruction
         * before it, kept in a local: &vars[i] in a hash table's probe)
         * join the branch. */
        const wasm_icell *mul = c->code + mp;
        uint32_t e = RRI_D(mul), a = RRI_A(mul), factor = (uint32_t)RRI_I(mul).u64;
        cc_cut(c, mp);
        ip = cc_emit(c, cc_brl_km_iop(k.ld_op, k.cmp));
        if (!c->oom)
            c->map[c->nmap - 1].offset = k.ld_at;
        BRLL_D(ip) = k.a;
        BRLL_A(ip) = a;
        BRLL_C(ip) = factor;
        BRLL_E(ip) = e;
        BRLL_B(ip) = k.b;
        BRLL_K(ip) = k.ld_k;
        BRLL_J(ip) = (uint32_t)k.ld_off;
        return cc_pos(c, &BRLL_T(ip));
    }
    if (liop != IOP_NONE && cc_is_last(c, k.ld_pos)) {
        /* The load (still the last instruction) joins the branch. */
        cc_drop(c, k.ld_pos);
        ip = cc_emit(c, liop);
        if (!c->oom)
            c->map[c->nmap - 1].offset = k.ld_at;
        RRRII_D(ip) = k.a;
        RRRII_A(ip) = k.ld_x;
        RRRII_C(ip) = k.ld_k;
        RRRII_I(ip).u64 = k.ld_off;
        RRRII_B(ip) = k.kind == 3 ? (uint32_t)k.imm : k.b;
        return cc_pos(c, &RRRII_J(ip));
    }
    if (k.inc && k.kind >= 2 && cc_is_last(c, k.inc_pos)) {
        /* The counter's step (still the last instruction) joins the branch. */
        bool pair = cc_drop(c, k.inc_pos);
        if (k.kind == 3 && !k.inc_r) {
            uint32_t f[6];
            int step = cc_step_at(c, pair ? c->last.pos : k.inc_prev, f);
            if (step != CC_STEP_NONE) {
                /* ... and so do steps right before it. */
                ip = cc_emit(c, cm->stepi[step]);
                SIB_D(ip) = k.a;
                SIB_A(ip) = k.inc_x;
                SIB_B(ip) = k.inc_k;
                SIB_I(ip) = (uint32_t)k.imm;
                SIB_E(ip) = f[0];
                SIB_F(ip) = f[1];
                SIB_G(ip) = f[2];
                if (step != CC_STEP2)
                    return cc_pos(c, &SIB_T(ip));
                SIB2_P(ip) = f[3];
                SIB2_Q(ip) = f[4];
                SIB2_R(ip) = f[5];
                return cc_pos(c, &SIB2_T(ip));
            }
        }
        if (k.kind == 3) {
            ip = cc_emit(c, k.inc_r ? cm->addbri : cm->inci);
            RRRII_D(ip) = k.a;
            RRRII_A(ip) = k.inc_x;
            RRRII_B(ip) = k.inc_k;
            RRRII_I(ip).u64 = k.imm;
            return cc_pos(c, &RRRII_J(ip));
        }
        ip = cc_emit(c, k.inc_r ? cm->addbr : cm->inc);
        RRRI_D(ip) = k.a;
        RRRI_A(ip) = k.inc_x;
        RRRI_B(ip) = k.inc_k;
        RRRI_C(ip) = k.b;
        return cc_pos(c, &RRRI_I(ip));
    }
    uint32_t kept;
    switch (k.kind) {
    case 0:
    case 1:
        if ((kept = cc_kept_branch(c, &k)) != 0)
            return kept;
        ip = cc_emit(c, k.kind == 0 ? IOP_BR_IF : IOP_BR_UNLESS);
        RRI_D(ip) = k.a;
        return cc_pos(c, &RRI_I(ip));
    case 4:
    case 5:
        ip = cc_emit(c, k.kind == 4 ? IOP_BR_NON_NULL : IOP_BR_NULL);
        RRI_D(ip) = k.a;
        return cc_pos(c, &RRI_I(ip));
    case 6:
    case 7:
        ip = cc_emit(c, k.kind == 6 ? IOP_BR_IF_AND_I : IOP_BR_UNLESS_AND_I);
        RRII_D(ip) = k.a;
        RRII_I(ip).u64 = k.imm;
        return cc_pos(c, &RRII_J(ip));
    case 2:
        ip = cc_emit(c, cm->br);
        RRI_D(ip) = k.a;
        RRI_A(ip) = k.b;
        return cc_pos(c, &RRI_I(ip));
    default:
        ip = cc_emit(c, cm->bri);
        RRII_D(ip) = k.a;
        RRII_I(ip).u64 = k.imm;
        return cc_pos(c, &RRII_J(ip));
    }
}

/* Whether p is an i32.and of a constant (plain, or taking its operand
 * from the accumulator), still in the code: its operand slot and mask. */
static bool cc_and_i_at(cc *c, const cc_last *p, uint32_t *x, uint64_t *mask)
{
    if (p->kind == LAST_NONE || p->aop != OP_I32_AND || !p->aimm ||
        (p->aform & CC_ACC_WRITE) || c->oom)
        return false;
    const wasm_icell *ip = c->code + p->pos;
    *x = RRI_A(ip);
    *mask = (uint32_t)RRI_I(ip).u64;
    return true;
}

/* Pop an i32 condition, folding the compare that produced it. */
static cc_cond cc_pop_cond(cc *c)
{
    cc_entry *e = &c->stack[c->sp - 1];
    cc_cond k = {0};
    uint32_t x;
    uint64_t mask;
    if (cc_top_is_last(c) && cc_is_last(c, c->last.pos) && cc_and_i_at(c, &c->last, &x, &mask)) {
        /* A bit test, x & mask: the branch does the and. */
        cc_unemit(c);
        c->sp--;
        return (cc_cond){.kind = 6, .a = x, .imm = mask};
    }
    const cc_cond *q = &c->last.cond;
    bool z = q->kind == 1 || (q->kind == 3 && q->cmp == OP_I32_EQ && q->imm == 0);
    bool nz = q->kind == 3 && q->cmp == OP_I32_NE && q->imm == 0;
    if ((c->last.kind == LAST_CMP || c->last.kind == LAST_EQZ) && cc_top_is_last(c) &&
        (z || nz) && !q->inc && !q->ld && c->before.dst == q->a && c->before.fwd &&
        cc_is_before(c, c->before.pos) && cc_and_i_at(c, &c->before, &x, &mask)) {
        /* ... compared with zero (i32.eqz, eq 0, ne 0). */
        int kind = nz ? 6 : 7;
        cc_drop(c, c->before.pos);
        cc_barrier(c);
        c->sp--;
        return (cc_cond){.kind = kind, .a = x, .imm = mask};
    }
    if ((c->last.kind == LAST_CMP || c->last.kind == LAST_EQZ) && cc_top_is_last(c)) {
        k = c->last.cond;
        cc_unemit(c);
        c->sp--;
        return k;
    }
    if (c->last.kind == LAST_ADD && c->last.imm && e->slot == c->last.dst &&
        (e->kind == E_TEMP || e->kind == E_LOCAL)) {
        /* A counter stepped and tested (x - 1, br_if): the test of
         * x + k != 0 joins the step, as a compare would. */
        k = (cc_cond){.kind = 3, .cmp = OP_I32_NE, .a = c->last.dst, .inc = true,
                      .inc_pos = c->last.pos, .inc_x = c->last.x, .inc_k = c->last.y,
                      .inc_prev = c->last.prev};
        c->sp--;
        return k;
    }
    const cc_last *l = &c->last;
    if ((l->kind == LAST_LOAD || l->kind == LAST_LOAD_SET) && e->slot == l->dst &&
        (e->kind == E_TEMP || e->kind == E_LOCAL) &&
        cc_brl_iop(l->cond.cmp, OP_I32_NE, true, false) != IOP_NONE) {
        /* A loaded value tested (x = *p; if (x)): the test of x != 0
         * joins the load, as a compare would. */
        k = (cc_cond){.kind = 3, .cmp = OP_I32_NE, .a = l->dst, .ld = true,
                      .ld_op = l->cond.cmp, .ld_pos = l->pos, .ld_x = l->x, .ld_k = l->y,
                      .ld_at = l->at, .ld_off = l->off};
        c->sp--;
        return k;
    }
    k.a = cc_slot(c, e);
    c->sp--;
    return k;
}

/* Whether the loop x, y (interp.def, WASM_LOOP2S) has the shape its
 * handler carries in locals: each slot y steps is its own source, and
 * nothing else in the loop writes those slots (interp.c, the LOOP_
 * handlers).  memcmp's may swap y's two steps to get there, which
 * changes nothing y does. */
static bool cc_loop2_shape_BR_L8U2_I32_NE(wasm_icell *x, wasm_icell *y)
{
    uint32_t e = SIB2_E(y), p = SIB2_P(y), d = SIB2_D(y);
    if (SIB2_F(y) != e || SIB2_Q(y) != p || SIB2_A(y) != d || e == p || e == d || p == d)
        return false;
    /* x loads at the first step's slot and then at the second's; the
     * two steps are of different slots, each its own source, so they may
     * swap. */
    if (BRLL_A(x) == p && BRLL_B(x) == e) {
        uint32_t g = SIB2_G(y);
        SIB2_E(y) = SIB2_F(y) = p;
        SIB2_G(y) = SIB2_R(y);
        SIB2_P(y) = SIB2_Q(y) = e;
        SIB2_R(y) = g;
        e = SIB2_E(y), p = SIB2_P(y);
    }
    /* x's loaded values go to slots that hold no address and no step. */
    uint32_t out[2] = {BRLL_D(x), BRLL_E(x)};
    for (int i = 0; i < 2; i++)
        if (out[i] == e || out[i] == p || out[i] == d)
            return false;
    return BRLL_A(x) == e && BRLL_B(x) == p;
}
static bool cc_loop2_shape_ST8_AK(wasm_icell *x, wasm_icell *y)
{
    (void)x;
    return RRRII_A(y) == RRRII_D(y) && RRRII_B(y) != RRRII_D(y);
}

/* A loop of two instructions, the one at its head (x) and the
 * conditional branch back to it just emitted (y), for which a handler
 * runs both (WASM_LOOP2S): x takes it.  Nothing after y fuses with it. */
static void cc_loop2(cc *c, const cc_ctrl *l)
{
    uint32_t x = l->loop_pos, y = c->last.pos;
    if (c->oom || y == CC_NONE || !cc_is_last(c, y))
        return;
    wasm_icell *ip = c->code + x;
#define X(xi, yi, ...)                                                     \
    if (ip->h == c->h[IOP_##xi] && c->code[y].h == c->h[IOP_##yi] &&        \
        x + cc_cells[IOP_##xi] == y && y + cc_cells[IOP_##yi] == c->n &&   \
        cc_loop2_shape_##xi(ip, c->code + y)) {                            \
        ip->h = c->h[IOP_LOOP_##xi##_##yi];                                \
        cc_barrier(c);                                                     \
        return;                                                            \
    }
    WASM_LOOP2S(X)
#undef X
}

/* br_if: branch to l when k holds. */
static void cc_branch_if(cc *c, cc_cond k, cc_ctrl *l)
{
    if (!cc_needs_moves(c, l)) {
        uint32_t cell = cc_emit_cond(c, k);
        cc_target(c, cell, l);
        if (l->kind == C_LOOP)
            cc_loop2(c, l);
        return;
    }
    uint32_t skip = cc_emit_cond(c, cc_negated(k));
    if (c->oom)
        return;
    cc_add_target(c, skip);
    c->code[skip].u64 = CC_NONE;
    cc_branch(c, l);
    cc_bind(c, skip);
}

/* ---- blocks ------------------------------------------------------------- */

static void cc_blocktype(cc *c, int64_t bt, cc_ctrl *l)
{
    static const lw_valtype valtypes[] = {
        LW_I32, LW_I64, LW_F32, LW_F64, LW_V128, LW_FUNCREF, LW_EXTERNREF, LW_EXNREF,
    };
    l->nparams = l->nresults = 0;
    l->params = l->results = NULL;
    if (bt == -64)
        return;
    if (bt < 0) {
        /* Any reference takes one cell, as funcref does. */
        lw_valtype t = wasm_block_valtype(bt);
        if (lw_valtype_is_ref(t))
            t = LW_FUNCREF;
        for (size_t i = 0; i < COUNTOF(valtypes); i++)
            if (valtypes[i] == t)
                l->results = &valtypes[i];
        l->nresults = 1;
        return;
    }
    const lw_functype *ft = &c->m->types[bt];
    l->nparams = ft->nparams;
    l->params = ft->params;
    l->nresults = ft->nresults;
    l->results = ft->results;
}

static cc_ctrl *cc_push_ctrl(cc *c, uint8_t kind, int64_t bt)
{
    if (wasm_vec_reserve((void **)&c->ctrl, &c->ccap, c->cp + 1, sizeof *c->ctrl)) {
        c->oom = true;
        return NULL;
    }
    cc_ctrl *l = &c->ctrl[c->cp++];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    cc_blocktype(c, bt, l);
    l->height = (uint32_t)(c->sp - l->nparams);
    l->patch = l->else_patch = l->catch_patch = CC_NONE;
    l->region_in = l->region = l->outer = c->cur_region;
    return l;
}

/* Reset the stack to the label's base plus the given values in their homes. */
static void cc_reset(cc *c, const cc_ctrl *l, uint32_t n, const lw_valtype *types)
{
    c->sp = l->height;
    for (uint32_t i = 0; i < n; i++)
        cc_push(c, E_TEMP, types[i]);
}

static void cc_block(cc *c, uint8_t kind, const wasm_instr *in)
{
    cc_cond k = {0};
    if (kind == C_IF)
        k = cc_pop_cond(c);
    cc_flush_all(c);
    cc_ctrl *l = cc_push_ctrl(c, kind, in->imm.block);
    if (!l)
        return;
    if (kind == C_LOOP) {
        cc_barrier(c);
        l->loop_pos = (uint32_t)c->n;
    } else if (kind == C_IF) {
        uint32_t cell = cc_emit_cond(c, cc_negated(k));
        if (c->oom)
            return;
        cc_add_target(c, cell);
        c->code[cell].u64 = CC_NONE;
        l->else_patch = cell;
    }
}

/* The arm's values go to their homes on the fall-through path. */
static void cc_fallthrough(cc *c, cc_ctrl *l)
{
    if (l->dead)
        return;
    for (uint32_t i = 0; i < l->nresults; i++)
        cc_flush(c, &c->stack[c->sp - l->nresults + i]);
}

static void cc_else(cc *c)
{
    cc_ctrl *l = &c->ctrl[c->cp - 1];
    cc_fallthrough(c, l);
    if (!l->dead) {
        wasm_icell *ip = cc_emit(c, IOP_BR);
        if (c->oom)
            return;
        uint32_t cell = cc_pos(c, &I_I(ip));
        cc_add_target(c, cell);
        c->code[cell].u64 = l->patch;
        l->patch = cell;
    }
    cc_bind(c, l->else_patch);
    l->else_patch = CC_NONE;
    l->dead = false;
    cc_reset(c, l, l->nparams, l->params);
}

static void cc_try_end(cc *c, cc_ctrl *l);

/* Returns true at the function's final end. */
static bool cc_end(cc *c)
{
    cc_ctrl *l = &c->ctrl[c->cp - 1];
    if (l->kind == C_FUNC) {
        if (!l->dead)
            cc_emit_return(c);
        c->cp--;
        return true;
    }
    if (l->kind >= C_TRY_TABLE)
        cc_try_end(c, l);
    cc_fallthrough(c, l);
    cc_bind(c, l->patch);
    cc_bind(c, l->else_patch);
    for (uint32_t k = l->catch_patch; k != CC_NONE && !c->oom;) {
        uint32_t next = c->clauses[k].target;
        c->clauses[k].target = (uint32_t)c->n;
        k = next;
    }
    cc_ctrl done = *l;
    c->cp--;
    cc_reset(c, &done, done.nresults, done.results);
    return false;
}

static void cc_set_dead(cc *c)
{
    cc_ctrl *l = &c->ctrl[c->cp - 1];
    l->dead = true;
    c->sp = l->height;
    cc_barrier(c);
}

/* ---- operations ---------------------------------------------------------- */

/* The result of an instruction just emitted goes to the home of a new entry. */
static uint32_t cc_result(cc *c, lw_valtype type, bool fwd)
{
    cc_entry *e = cc_push(c, E_TEMP, type);
    if (c->oom)
        return 0;
    c->last.dst = e->home;
    c->last.fwd = fwd;
    return e->home;
}

/* Is the top entry the fresh result of the last instruction? */
static bool cc_top_is_last(cc *c)
{
    const cc_entry *e = &c->stack[c->sp - 1];
    return c->last.kind != LAST_NONE && e->kind == E_TEMP && e->slot == c->last.dst;
}

/* Turn the last instruction, a compare, into compare op on the same
 * operands (the slot or the constant form, as it was). */
static void cc_recompare(cc *c, uint16_t op)
{
    const cc_map *cm = &cc_maps[op];
    c->code[c->last.pos].h = c->h[c->last.cond.kind == 3 ? cm->ri : cm->rr];
    c->last.cond.cmp = op;
}

static void cc_unop(cc *c, uint16_t op, lw_valtype rtype)
{
    if (op == OP_I32_EQZ && c->last.kind == LAST_CMP && cc_top_is_last(c)) {
        /* eqz of a compare: the negated compare, same operands. */
        cc_recompare(c, cc_maps[c->last.cond.cmp].negate);
        return;
    }
    cc_entry a = cc_pop(c);
    uint32_t sa = cc_slot(c, &a);
    wasm_icell *ip = cc_emit(c, cc_maps[op].rr);
    RR_A(ip) = sa;
    RR_D(ip) = cc_result(c, rtype, true);
    if (op == OP_I32_EQZ) {
        c->last.kind = LAST_EQZ;
        c->last.cond = (cc_cond){.kind = 1, .a = sa};
    } else if (op == OP_I64_EQZ) {
        c->last.kind = LAST_EQZ;
        c->last.cond = (cc_cond){.kind = 3, .cmp = OP_I64_EQ, .a = sa, .imm = 0};
    }
}

/* An instruction of format RRRI whose result (of type rtype) goes to a
 * fresh temporary. */
static void cc_emit_rrri(cc *c, int iop, uint32_t a, uint32_t b, uint32_t k, uint64_t i,
                         lw_valtype rtype)
{
    wasm_icell *ip = cc_emit(c, iop);
    RRRI_A(ip) = a;
    RRRI_B(ip) = b;
    RRRI_C(ip) = k;
    RRRI_I(ip).u64 = i;
    RRRI_D(ip) = cc_result(c, rtype, true);
}

/* The other operand of a binary operation one of whose two operands is
 * the result of the last instruction, or NULL. */
static cc_entry *cc_other_of_last(cc *c)
{
    cc_entry *a = &c->stack[c->sp - 2], *b = &c->stack[c->sp - 1];
    if (b->kind == E_TEMP && b->slot == c->last.dst)
        return a;
    if (a->kind == E_TEMP && a->slot == c->last.dst && b->kind != E_TEMP)
        return b;
    return NULL;
}

/* i32.add of a shifted index (base + (i << k)): one instruction.  The
 * shift is the last instruction and its result one of the operands. */
static bool cc_add_shl(cc *c)
{
    if (c->last.kind != LAST_SHL)
        return false;
    cc_entry *other = cc_other_of_last(c);
    if (!other || other->kind == E_CONST)
        return false;
    uint32_t x = other->slot, y = c->last.x, k = c->last.y;
    /* The other operand x + i, an add of a constant right before the
     * shift (a base and a field's offset): it joins too. */
    uint32_t ad, ax, ai;
    if (other->kind == E_TEMP && c->last.prev == c->before.pos &&
        cc_add_i_at(c, &c->before, c->last.pos, &ad, &ax, &ai) && ad == x && y != x) {
        cc_drop(c, c->before.pos);
        cc_barrier(c);
        c->sp -= 2;
        cc_emit_rrri(c, IOP_I32_ADD_SHL_I, ax, y, k, ai, LW_I32);
        return true;
    }
    /* The shift went: what was before it comes before the add (a load
     * of the index, say: cc_load_chase). */
    cc_last before = c->before;
    cc_unemit(c);
    c->sp -= 2;
    wasm_icell *ip = cc_emit(c, IOP_I32_ADD_SHL);
    c->before = before;
    c->last.prev = before.pos;
    RRR_A(ip) = x;
    RRR_B(ip) = y;
    RRR_C(ip) = k;
    RRR_D(ip) = cc_result(c, LW_I32, true);
    c->last.kind = LAST_ADD_SHL;
    c->last.x = x;
    c->last.y = y;
    c->last.shift = k;
    return true;
}

/* An add to the result of the i32.mul by a constant just emitted: the
 * two become one instruction (I32_MUL_ADD, I32_MUL_ADD_I). */
static bool cc_add_mul(cc *c)
{
    if (c->last.aop != OP_I32_MUL || !c->last.aimm || (c->last.aform & CC_ACC_WRITE) ||
        c->last.kind == LAST_NONE || !cc_is_last(c, c->last.pos) || c->oom)
        return false;
    cc_entry *other = cc_other_of_last(c);
    if (!other || (other->kind == E_CONST && other->c[0] > UINT32_MAX))
        return false;
    const wasm_icell *m = c->code + c->last.pos;
    uint32_t x = RRI_A(m), k = (uint32_t)RRI_I(m).u64;
    if (other->kind != E_CONST && other->slot == c->last.dst)
        return false;
    cc_entry o = *other;
    cc_unemit(c);
    c->sp -= 2;
    wasm_icell *ip;
    if (o.kind == E_CONST) {
        ip = cc_emit(c, IOP_I32_MUL_ADD_I);
        RRII_A(ip) = x;
        RRII_I(ip).u64 = k;
        RRII_J(ip).u64 = (uint32_t)o.c[0];
    } else {
        ip = cc_emit(c, IOP_I32_MUL_ADD);
        RRRI_A(ip) = x;
        RRRI_B(ip) = o.slot;
        RRRI_I(ip).u64 = k;
    }
    ANY_D(ip) = cc_result(c, LW_I32, true);
    return true;
}

/* An add of a constant to the result of the I32_ADD_SHL just emitted:
 * the constant joins it. */
static bool cc_add_shl_const(cc *c)
{
    if (c->last.kind != LAST_ADD_SHL || c->oom)
        return false;
    cc_entry *a = &c->stack[c->sp - 2], *b = &c->stack[c->sp - 1];
    if (b->kind == E_TEMP && a->kind == E_CONST) {
        cc_entry *t = a;
        a = b;
        b = t;
    }
    if (a->kind != E_TEMP || a->slot != c->last.dst || b->kind != E_CONST ||
        b->c[0] > UINT32_MAX)
        return false;
    uint32_t x = c->last.x, y = c->last.y, k = c->last.shift, i = (uint32_t)b->c[0];
    cc_unemit(c);
    c->sp -= 2;
    cc_emit_rrri(c, IOP_I32_ADD_SHL_I, x, y, k, i, LW_I32);
    return true;
}

/* An i32 compare of slot sa right after `x + k` or `x + y` was stored
 * there (a loop counter's step): the branch may do both. */
static void cc_find_inc(cc *c, cc_cond *k, uint32_t sa)
{
    if (!cc_maps[k->cmp].inc || c->last.kind != LAST_ADD || c->last.dst != sa)
        return;
    k->inc = true;
    k->inc_r = !c->last.imm;
    k->inc_pos = c->last.pos;
    k->inc_prev = c->last.prev;
    k->inc_x = c->last.x;
    k->inc_k = c->last.y;
}

/* An i32 compare of slots *sa and *sb (sb NULL: b a constant), one of
 * them the value the load just emitted loaded: its branch may take the
 * load in (cc_brl_iop).  The load's value becomes a, the compare then
 * flipped (b < a is a > b). */
static void cc_find_load(cc *c, cc_cond *k, uint32_t *sa, uint32_t *sb)
{
    const cc_last *l = &c->last;
    if ((l->kind != LAST_LOAD && l->kind != LAST_LOAD_SET) ||
        cc_brl_iop(l->cond.cmp, k->cmp, !sb, false) == IOP_NONE)
        return;
    if (sb && *sb == l->dst) {
        uint32_t t = *sa;
        *sa = *sb;
        *sb = t;
        k->cmp = cc_maps[k->cmp].flip;
    }
    if (*sa != l->dst || (sb && *sb == l->dst))
        return;
    k->a = *sa;
    k->ld = true;
    k->ld_op = l->cond.cmp;
    k->ld_pos = l->pos;
    k->ld_x = l->x;
    k->ld_k = l->y;
    k->ld_at = l->at;
    k->ld_off = l->off;
    const cc_last *f = &c->before;
    if (sb && (f->kind == LAST_LOAD || f->kind == LAST_LOAD_SET) &&
        f->cond.cmp == l->cond.cmp && f->dst == *sb && f->dst != f->x && f->dst != l->x &&
        f->off <= UINT32_MAX && l->off <= UINT32_MAX) {
        k->ld2 = true;
        k->ld2_pos = f->pos;
        k->ld2_x = f->x;
        k->ld2_k = f->y;
        k->ld2_at = f->at;
        k->ld2_off = f->off;
    }
}

/* Remember what the binary operation just emitted offers to fusion. */
static void cc_note_binop(cc *c, uint16_t op, const cc_cond *k, const cc_entry *eb)
{
    if (cc_maps[op].kind == K_CMP) {
        c->last.kind = LAST_CMP;
        c->last.cond = *k;
    } else if (op == OP_I32_SHL && k->kind == 3) {
        c->last.kind = LAST_SHL;
        c->last.x = k->a;
        c->last.y = (uint32_t)eb->c[0] & 31;
    } else if (op == OP_I32_ADD && (k->kind == 2 || eb->c[0] <= UINT32_MAX)) {
        c->last.kind = LAST_ADD;
        c->last.imm = k->kind == 3;
        c->last.x = k->a;
        c->last.y = k->kind == 2 ? k->b : (uint32_t)eb->c[0];
    } else if (op == OP_I32_SUB && k->kind == 3) {
        /* x - k is x + (2^32 - k) in 32 bits: an address or a counter
         * step like any other. */
        c->last.kind = LAST_ADD;
        c->last.imm = true;
        c->last.x = k->a;
        c->last.y = 0u - (uint32_t)eb->c[0];
    }
}

/* Operand a of integer binop cm from the accumulator: when the last
 * instruction emitted (nothing since) is an integer binop and its result
 * slot is a, or b if cm commutes (then swapped into a), that instruction
 * switches to the form that also writes the accumulator.  sb is NULL
 * when b is a constant. */
static bool cc_acc_operand(cc *c, const cc_map *cm, uint32_t *sa, uint32_t *sb)
{
    const cc_last *p = &c->last;
    if (!p->aop || p->dst == CC_NONE || c->oom)
        return false;
    if (*sa != p->dst) {
        if (!sb || !cm->commutes || *sb != p->dst)
            return false;
        *sb = *sa;
        *sa = p->dst;
    }
    c->code[p->pos].h = c->h[cc_maps[p->aop].acc[p->aimm][p->aform | CC_ACC_WRITE]];
    return true;
}

/* The other forms of float arithmetic (interp.def, WASM_FARITH), by
 * OP_*; l is 0 for operations without them. */
typedef struct {
    uint16_t l, ll, i, ir;    /* b, both from memory; b, a a constant */
    uint16_t ll2;             /* ll twice */
    uint16_t load;            /* the load OP_L takes in */
    bool commutes;
} cc_fmap;

static const cc_fmap cc_fmaps[OP_COUNT] = {
#define CC_LOAD_f32 OP_F32_LOAD
#define CC_LOAD_f64 OP_F64_LOAD
#define X(op, in, expr, comm)                                              \
    [OP_##op] = {IOP_##op##_L, IOP_##op##_LL, IOP_##op##_I, IOP_##op##_IR,  \
                 IOP_##op##_LL2, CC_LOAD_##in, comm},
    WASM_FARITH(X)
#undef X
#undef CC_LOAD_f64
#undef CC_LOAD_f32
};

/* Float arithmetic with a constant operand: the constant goes in the
 * instruction (an operation that commutes takes it as b). */
static bool cc_farith_const(cc *c, uint16_t op, lw_valtype rtype)
{
    const cc_fmap *fm = &cc_fmaps[op];
    bool ca = c->stack[c->sp - 2].kind == E_CONST, cb = c->stack[c->sp - 1].kind == E_CONST;
    if (!fm->l || ca == cb)
        return false;
    cc_entry eb = cc_pop(c), ea = cc_pop(c);
    int iop = fm->i;
    if (ea.kind == E_CONST) {
        cc_entry t = ea;
        ea = eb;
        eb = t;
        if (!fm->commutes)
            iop = fm->ir;
    }
    uint32_t sa = cc_slot(c, &ea);
    wasm_icell *ip = cc_emit(c, iop);
    RRI_A(ip) = sa;
    RRI_I(ip).u64 = eb.c[0];
    RRI_D(ip) = cc_result(c, rtype, true);
    return true;
}

/* The load just emitted (cc_note_load), taken back with its value off
 * the stack so that the next instruction does it: from x + k (32-bit
 * sum) + off; at is its binary offset. */
typedef struct {
    uint32_t x, k, at;
    uint64_t off;
} cc_taken_load;

static cc_taken_load cc_take_load(cc *c)
{
    cc_taken_load t = {.x = c->last.x, .k = c->last.y, .at = c->last.at, .off = c->last.off};
    cc_unemit(c);
    c->sp--;
    return t;
}

/* The instruction just emitted does a taken load: a fault there is
 * reported at the load. */
static void cc_at_load(cc *c, const cc_taken_load *t)
{
    if (!c->oom)
        c->map[c->nmap - 1].offset = t->at;
}

/* The same operation on two loads right after one (fm->ll, ending where
 * the code does, its result not an operand here: two products of a dot
 * product): both become one instruction (fm->ll2), with a map entry for
 * each of its four loads.  l and t are the loads, taken off the code. */
static bool cc_fuse_ll2(cc *c, const cc_fmap *fm, const cc_last *l, const cc_taken_load *t,
                        lw_valtype rtype)
{
    uint32_t p = l->prev;
    if (c->oom || p == CC_NONE || p + cc_cells[fm->ll] != c->n || c->nmap < 2 ||
        c->map[c->nmap - 2].pos != p || c->map[c->nmap - 1].pos != p + 1 ||
        c->code[p].h != c->h[fm->ll] || l->off > UINT32_MAX || t->off > UINT32_MAX ||
        wasm_vec_reserve((void **)&c->code, &c->cap, c->n + cc_cells[fm->ll2], sizeof *c->code) ||
        wasm_vec_reserve((void **)&c->map, &c->mapcap, c->nmap + 2, sizeof *c->map))
        return false;
    wasm_icell *ip = c->code + p;
    ip->h = c->h[fm->ll2];
    memset(ip + cc_cells[fm->ll], 0, (cc_cells[fm->ll2] - cc_cells[fm->ll]) * sizeof *ip);
    c->n = p + cc_cells[fm->ll2];
    c->map[c->nmap++] = (wasm_ipmap){.pos = p + 2, .offset = l->at};
    c->map[c->nmap++] = (wasm_ipmap){.pos = p + 3, .offset = t->at};
    LL2_F(ip) = l->x;
    LL2_G(ip) = l->y;
    LL2_L(ip) = (uint32_t)l->off;
    LL2_M(ip) = t->x;
    LL2_N(ip) = t->k;
    LL2_O(ip) = (uint32_t)t->off;
    /* The result is not in cell 1: it may not be forwarded. */
    uint32_t d = cc_result(c, rtype, false);
    LL2_E(c->code + p) = d;
    c->last = (cc_last){.kind = LAST_OP, .pos = p, .dst = d, .prev = CC_NONE};
    return true;
}

/* Float arithmetic whose operands the two loads just emitted loaded:
 * both join it (fm->ll); c->before is the first load. */
static void cc_fuse_loads(cc *c, const cc_fmap *fm, lw_valtype rtype)
{
    cc_last l = c->before;
    cc_taken_load t = cc_take_load(c);
    cc_drop(c, l.pos);
    c->sp--;
    if (cc_fuse_ll2(c, fm, &l, &t, rtype))
        return;
    wasm_icell *ip = cc_emit(c, fm->ll);
    if (c->oom)
        return;
    /* A fault in the first load is reported there; one in the second at
     * the second, from an entry for the instruction's second cell. */
    uint32_t pos = cc_pos(c, ip);
    c->map[c->nmap - 1].offset = l.at;
    if (wasm_vec_reserve((void **)&c->map, &c->mapcap, c->nmap + 1, sizeof *c->map)) {
        c->oom = true;
        return;
    }
    c->map[c->nmap++] = (wasm_ipmap){.pos = pos + 1, .offset = t.at};
    LL_A(ip) = l.x;
    LL_C(ip) = l.y;
    LL_I(ip) = (uint32_t)l.off;
    LL_B(ip) = t.x;
    LL_K(ip) = t.k;
    LL_J(ip) = (uint32_t)t.off;
    LL_D(ip) = cc_result(c, rtype, true);
}

/* Float arithmetic whose operand b the instruction just emitted loaded
 * (memory 0, 32-bit, guard pages): the load joins it, and so does the
 * load of operand a when it is the instruction before. */
static bool cc_fuse_load(cc *c, uint16_t op, lw_valtype rtype)
{
    const cc_fmap *fm = &cc_fmaps[op];
    if (!fm->l || c->last.kind != LAST_LOAD || c->last.cond.cmp != fm->load)
        return false;
    cc_entry *x = &c->stack[c->sp - 2], *y = &c->stack[c->sp - 1];
    if (fm->commutes && y->kind == E_LOCAL && x->kind == E_TEMP && x->slot == c->last.dst) {
        /* The loaded value on the left of an operation that commutes,
         * a local on the right: b is the load all the same.  Each entry
         * keeps its own home, so swapping them is safe. */
        cc_entry t = *x;
        *x = *y;
        *y = t;
    }
    if (!cc_top_is_last(c))
        return false;
    const cc_entry *a0 = &c->stack[c->sp - 2];
    const cc_last *first = &c->before;
    if (first->kind == LAST_LOAD && first->cond.cmp == fm->load && a0->kind == E_TEMP &&
        a0->slot == first->dst) {
        cc_fuse_loads(c, fm, rtype);
        return true;
    }
    cc_taken_load t = cc_take_load(c);
    cc_entry a = cc_pop(c);
    uint32_t sa = cc_slot(c, &a);
    wasm_icell *ip = cc_emit(c, fm->l);
    cc_at_load(c, &t);
    RRRI_A(ip) = sa;
    RRRI_B(ip) = t.x;
    RRRI_C(ip) = t.k;
    RRRI_I(ip).u64 = t.off;
    RRRI_D(ip) = cc_result(c, rtype, true);
    return true;
}

/* Two operations in a row, the second taking the first's result and a
 * slot (interp.def, WASM_FCHAINS, WASM_SHIFTOPS and WASM_ICHAINS): op1
 * (its operand b a constant when k, else a slot) then op2 is iop with
 * the slot on the right of op2, riop with it on the left. */
typedef struct {
    uint16_t op1, op2;        /* OP_* */
    uint16_t iop, riop;       /* IOP_* */
    bool k;
} cc_chain;

static const cc_chain cc_chains[] = {
#define FC(T, m, o1, e1, o2, e2)                                           \
    {OP_##T##_##o1, OP_##T##_##o2, IOP_##T##_##o1##_##o2, IOP_##T##_##o1##_R##o2, false},
#define SO(o2, e2, o1, fn)                                                 \
    {OP_I32_##o1, OP_I32_##o2, IOP_I32_##o2##_##o1, IOP_I32_##o2##_##o1, true},
#define IC(o2, e2, o1, e1)                                                 \
    {OP_I32_##o1, OP_I32_##o2, IOP_I32_##o2##_##o1, IOP_I32_##o2##_##o1, false},
    WASM_FCHAINS(FC) WASM_SHIFTOPS(SO) WASM_ICHAINS(IC)
#undef IC
#undef SO
#undef FC
};

/* The pair op1 (b a constant when k) then op2, or NULL (op2 0: whether
 * op1 starts any pair). */
static const cc_chain *cc_chain_find(uint16_t op1, bool k, uint16_t op2)
{
    for (size_t i = 0; i < COUNTOF(cc_chains); i++)
        if (cc_chains[i].op1 == op1 && cc_chains[i].k == k &&
            (!op2 || cc_chains[i].op2 == op2))
            return &cc_chains[i];
    return NULL;
}

/* Two shifts by constants joined by an operation (interp.def,
 * WASM_SHIFT2S): op0 (the first) and op1, then op2. */
typedef struct {
    uint16_t op0, op1, op2;   /* OP_* */
    uint16_t iop;             /* IOP_* */
} cc_shift2;

static const cc_shift2 cc_shift2s[] = {
#define X(o2, e2, o1, f1, o0, f0)                                          \
    {OP_I32_##o0, OP_I32_##o1, OP_I32_##o2, IOP_I32_##o2##_##o1##_##o0},
    WASM_SHIFT2S(X)
#undef X
};

/* The third shift of one value xor'd to two rotates of it
 * (WASM_SHIFT3S), by OP_*: its instruction, else IOP_NONE. */
static int cc_shift3_iop(uint16_t op)
{
#define X(o, fn)                                                           \
    if (op == OP_I32_##o)                                                  \
        return IOP_I32_XOR_ROTL_ROTL_##o;
    WASM_SHIFT3S(X)
#undef X
    return IOP_NONE;
}

/* The pair xor (other op1 ...) of cc_fuse_chain whose other is the result
 * of the I32_XOR_ROTL_ROTL right before the last, of the same value as
 * the last's shift (WASM_SHIFT3S): the two become one instruction. */
static bool cc_fuse_shift3(cc *c, uint16_t op, uint32_t other, lw_valtype rtype)
{
    const cc_last *p = &c->before, *q = &c->last;
    int iop = cc_shift3_iop(q->cop);
    if (op != OP_I32_XOR || iop == IOP_NONE || !q->ck || p->kind == LAST_NONE ||
        p->dst != other || !cc_is_before(c, p->pos) || !cc_is_last(c, q->pos))
        return false;
    const wasm_icell *pp = c->code + p->pos;
    if (pp->h != c->h[IOP_I32_XOR_ROTL_ROTL] || RRRI_A(pp) != RRRI_C(pp) ||
        RRRI_A(pp) != q->cx)
        return false;
    uint32_t x = q->cx, k1 = RRRI_B(pp), k0 = (uint32_t)RRRI_I(pp).u64, k = q->cy;
    cc_drop(c, p->pos);
    cc_barrier(c);
    c->sp -= 2;
    cc_emit_rrri(c, iop, x, k1, k0, k, rtype);
    return true;
}

/* The pair op2 (other op1 ...) of cc_fuse_chain whose other is the result
 * of the instruction right before the last, itself a shift by a constant
 * that pairs with it (WASM_SHIFT2S): all three become one instruction. */
static bool cc_fuse_shift2(cc *c, uint16_t op, uint32_t other, lw_valtype rtype)
{
    const cc_last *p = &c->before, *q = &c->last;
    if (!p->cop || !p->ck || !q->ck || p->dst != other || q->cx == other ||
        !cc_is_before(c, p->pos) || !cc_is_last(c, q->pos))
        return false;
    for (size_t i = 0; i < COUNTOF(cc_shift2s); i++) {
        const cc_shift2 *s2 = &cc_shift2s[i];
        if (s2->op0 != p->cop || s2->op1 != q->cop || s2->op2 != op)
            continue;
        uint32_t a = q->cx, b = q->cy, x = p->cx, k = p->cy;
        cc_drop(c, p->pos);
        cc_barrier(c);
        c->sp -= 2;
        cc_emit_rrri(c, s2->iop, a, b, x, k, rtype);
        return true;
    }
    return false;
}

/* The sum's step x + (y + acc) (iop, a float ADD_RADD; y + acc the add
 * just emitted, x the temporary below it) right after the <T>_MUL_LL2
 * that computed x and y, so products of no other use: one instruction,
 * which does not store them (<T>_MUL_LL2_RADD); or right after that
 * instruction, acc its sum. */
static bool cc_fuse_mul_radd(cc *c, int iop, uint32_t y, uint32_t acc, uint32_t x,
                             lw_valtype rtype)
{
    bool f64 = iop == IOP_F64_ADD_RADD;
    int ll2 = f64 ? IOP_F64_MUL_LL2 : IOP_F32_MUL_LL2;
    int radd = f64 ? IOP_F64_MUL_LL2_RADD : IOP_F32_MUL_LL2_RADD;
    uint32_t p = c->last.prev;
    if ((iop != IOP_F64_ADD_RADD && iop != IOP_F32_ADD_RADD) || p == CC_NONE ||
        p + cc_cells[ll2] != c->last.pos || !cc_is_last(c, c->last.pos) ||
        c->stack[c->sp - 2].kind != E_TEMP || acc == x || acc == y)
        return false;
    wasm_icell *ip = c->code + p;
    if (ip->h == c->h[radd] && LL_D(ip) == acc && acc >= c->temp_base) {
        /* The next step, x + (y + that sum), that sum a temporary of no
         * other use: the same instruction does it (<T>_MUL_LL2_RADD2). */
        cc_unemit(c);
        c->sp -= 2;
        ip->h = c->h[f64 ? IOP_F64_MUL_LL2_RADD2 : IOP_F32_MUL_LL2_RADD2];
        LL2_E(ip) = x;
        LL2_Q(ip) = y;
    } else if (ip->h == c->h[ll2] && LL_D(ip) == x && LL2_E(ip) == y) {
        cc_unemit(c);
        c->sp -= 2;
        ip->h = c->h[radd];
        LL2_E(ip) = 0;
        LL2_P(ip) = acc;
    } else {
        return false;
    }
    uint32_t d = cc_result(c, rtype, true);
    LL_D(ip) = d;
    c->last = (cc_last){.kind = LAST_OP, .pos = p, .dst = d, .fwd = true, .prev = CC_NONE};
    return true;
}

/* Operation op whose operand is the result of the one just emitted
 * (c->last.cop) and whose other operand is in a slot: the two become one
 * instruction, and the first's result is not stored. */
static bool cc_fuse_chain(cc *c, uint16_t op, lw_valtype rtype)
{
    if (!c->last.cop || c->oom)
        return false;
    const cc_chain *ch = cc_chain_find(c->last.cop, c->last.ck, op);
    if (!ch)
        return false;
    cc_entry *a = &c->stack[c->sp - 2], *b = &c->stack[c->sp - 1];
    uint32_t other;
    int iop;
    if (cc_top_is_last(c) && a->kind != E_CONST) {
        other = a->slot;              /* other op2 (x op1 y) */
        iop = ch->riop;
        if (a->kind == E_TEMP &&
            (cc_fuse_shift2(c, op, other, rtype) || cc_fuse_shift3(c, op, other, rtype)))
            return true;
    } else if (a->kind == E_TEMP && a->slot == c->last.dst && b->kind == E_LOCAL) {
        other = b->slot;              /* (x op1 y) op2 other */
        iop = ch->iop;
    } else {
        return false;
    }
    uint32_t x = c->last.cx, y = c->last.cy;
    if (cc_fuse_mul_radd(c, iop, x, y, other, rtype))
        return true;
    cc_unemit(c);
    c->sp -= 2;
    wasm_icell *ip = cc_emit(c, iop);
    RRR_A(ip) = x;
    RRR_B(ip) = y;
    RRR_C(ip) = other;
    RRR_D(ip) = cc_result(c, rtype, true);
    return true;
}

/* An i32 add (or sub) of a constant right after another (two counters
 * stepped, a pointer and its index): one I32_ADD_I2.  prev is what was
 * last before this add; c->last is this add. */
static void cc_add_pair(cc *c, const cc_last *prev)
{
    cc_last cur = c->last;
    uint32_t pd, px, pk;
    if (!cc_add_i_at(c, prev, cur.pos, &pd, &px, &pk))
        return;
    wasm_icell *second = c->code + cur.pos;
    uint32_t d = RRI_D(second), a = RRI_A(second);
    /* Both go; the pair takes the first's place. */
    cc_drop(c, prev->pos);
    wasm_icell *ip = cc_emit(c, IOP_I32_ADD_I2);
    RRRI_D(ip) = d;
    RRRI_A(ip) = a;
    RRRI_B(ip) = pd;
    RRRI_C(ip) = px;
    RRRI_I(ip).u64 = (uint64_t)pk | (uint64_t)cur.y << 32;
    c->last = cur;
    c->last.pos = prev->pos;
    c->last.prev = prev->prev;
    c->last.aop = 0;
}

/* An i32 add of a constant (c->last, still the plain I32_ADD_I) right
 * after a store to guarded memory 0 (prev): a pointer stepped after a
 * store (*p++ = x).  The add joins the store (OP_STEP), which keeps the
 * store's offset for a fault; the add's result stays open to
 * forwarding, but to no other fusion. */
static void cc_store_step(cc *c, const cc_last *prev)
{
    static const uint16_t stores[][2] = {
#define X(op, ...) {IOP_##op##_G, IOP_##op##_STEP},
        WASM_STORES(X)
#undef X
    };
    uint32_t d, a, k;
    if (prev->kind == LAST_NONE || !cc_add_i_at(c, &c->last, c->n, &d, &a, &k) ||
        prev->pos + cc_cells[IOP_ST8_G] != c->last.pos || !cc_is_before(c, prev->pos))
        return;
    const wasm_icell *st = c->code + prev->pos;
    for (size_t i = 0; i < COUNTOF(stores); i++) {
        if (st->h != c->h[stores[i][0]])
            continue;
        uint32_t sd = RRI_D(st), sa = RRI_A(st), at = c->map[c->nmap - 2].offset;
        uint64_t off = RRI_I(st).u64;
        bool fwd = c->last.fwd;
        cc_drop(c, prev->pos);
        wasm_icell *ip = cc_emit(c, stores[i][1]);
        if (c->oom)
            return;
        c->map[c->nmap - 1].offset = at;
        RRRII_D(ip) = d;
        RRRII_A(ip) = a;
        RRRII_B(ip) = sd;
        RRRII_C(ip) = sa;
        RRRII_I(ip).u64 = off;
        RRRII_J(ip).u64 = k;
        c->last.dst = d;
        c->last.fwd = fwd;
        return;
    }
}

/* An i32 add of the three shifts xor'd just emitted (WASM_SHIFT3S) and a
 * slot: d = s + b (I32_ADD_S3_<op>); of the result of that and a slot:
 * d = s + b + c (I32_ADD_ADD_S3_<op>).  A hash's sums of its sigmas. */
static bool cc_s3_add(cc *c, lw_valtype rtype)
{
    cc_entry *other = cc_other_of_last(c);
    if (!other || other->kind == E_CONST || !cc_is_last(c, c->last.pos))
        return false;
    const wasm_icell *ip = c->code + c->last.pos;
    uint32_t x = RRRI_A(ip), b = RRRI_B(ip), k = 0, s = cc_slot(c, other);
    int iop = IOP_NONE;
#define X(o, fn)                                                           \
    if (ip->h == c->h[IOP_I32_XOR_ROTL_ROTL_##o] && RRRI_B(ip) < 32 &&     \
        RRRI_C(ip) < 32 && RRRI_I(ip).u64 < 32) {                          \
        iop = IOP_I32_ADD_S3_##o;                                          \
        k = RRRI_B(ip) | RRRI_C(ip) << 8 | (uint32_t)RRRI_I(ip).u64 << 16; \
        b = s;                                                             \
    } else if (ip->h == c->h[IOP_I32_ADD_S3_##o]) {                        \
        iop = IOP_I32_ADD_ADD_S3_##o;                                      \
        k = (uint32_t)RRRI_I(ip).u64;                                      \
    }
    WASM_SHIFT3S(X)
#undef X
    if (iop == IOP_NONE)
        return false;
    cc_unemit(c);
    c->sp -= 2;
    cc_emit_rrri(c, iop, x, b, s, k, rtype);
    return true;
}

static void cc_binop(cc *c, uint16_t op, lw_valtype rtype)
{
    if ((op == OP_I32_ADD &&
         (cc_add_shl(c) || cc_add_shl_const(c) || cc_add_mul(c) || cc_s3_add(c, rtype))) ||
        cc_fuse_chain(c, op, rtype))
        return;
    if (cc_maps[op].kind == K_BIN &&
        (cc_fuse_load(c, op, rtype) || cc_farith_const(c, op, rtype)))
        return;
    cc_entry b = cc_pop(c), a = cc_pop(c);
    const cc_map *cm = &cc_maps[op];
    bool has_imm = cm->kind == K_BINI || cm->kind == K_CMP;
    if (has_imm && a.kind == E_CONST && b.kind != E_CONST) {
        if (cm->commutes || cm->kind == K_CMP) {
            cc_entry t = a;
            a = b;
            b = t;
            if (cm->kind == K_CMP) {
                op = cm->flip;
                cm = &cc_maps[op];
            }
        }
    }
    /* Each entry keeps its own home, so swapping them is safe. */
    cc_entry ea = a, eb = b;
    cc_last prev = c->last;
    uint32_t sa = cc_slot(c, &ea);
    wasm_icell *ip;
    cc_cond k = {.cmp = op, .a = sa};
    if (cm->kind == K_CMP)
        cc_find_inc(c, &k, sa);
    bool imm = has_imm && eb.kind == E_CONST;
    uint32_t sb = imm ? 0 : cc_slot(c, &eb);
    if (cm->kind == K_CMP)
        cc_find_load(c, &k, &sa, imm ? NULL : &sb);
    if (k.cmp != op) {
        op = k.cmp;
        cm = &cc_maps[op];
    }
    uint8_t form = 0;
    if (cm->kind == K_BINI && cc_acc_operand(c, cm, &sa, imm ? NULL : &sb)) {
        form = CC_ACC_READ;
        k.a = sa;
    }
    if (imm) {
        ip = cc_emit(c, cm->kind == K_BINI ? cm->acc[1][form] : cm->ri);
        RRI_A(ip) = sa;
        RRI_I(ip).u64 = eb.c[0];
        RRI_D(ip) = cc_result(c, rtype, true);
        k.kind = 3;
        k.imm = eb.c[0];
    } else {
        ip = cc_emit(c, cm->kind == K_BINI ? cm->acc[0][form] : cm->rr);
        RRR_A(ip) = sa;
        RRR_B(ip) = sb;
        RRR_D(ip) = cc_result(c, rtype, true);
        k.kind = 2;
        k.b = sb;
    }
    if (cm->kind == K_BINI) {
        c->last.aop = op;
        c->last.aimm = imm;
        c->last.aform = form;
    }
    cc_note_binop(c, op, &k, &eb);
    if (imm && form == 0 && c->last.kind == LAST_ADD) {
        cc_add_pair(c, &prev);
        cc_store_step(c, &prev);
    }
    if (cc_chain_find(op, imm, 0)) {
        c->last.cop = op;
        c->last.ck = imm;
        c->last.cx = sa;
        c->last.cy = imm ? (uint32_t)eb.c[0] : sb;
    }
}

static void cc_trapbin(cc *c, uint16_t op, lw_valtype rtype)
{
    cc_entry b = cc_pop(c), a = cc_pop(c);
    uint32_t sa = cc_slot(c, &a), sb = cc_slot(c, &b);
    wasm_icell *ip = cc_emit(c, cc_maps[op].rr);
    RRR_A(ip) = sa;
    RRR_B(ip) = sb;
    RRR_D(ip) = cc_result(c, rtype, true);
}

/* The handler of a load or store for its memory's variant. */
static int cc_mem_iop(cc *c, uint16_t op, const wasm_instr *in, int *var)
{
    *var = cc_memvar(c, in->imm.mem.mem);
    if (*var < 0) {
        wasm_fail(c->err, LW_ERR_INVALID, "unsupported memory for %s",
                  wasm_opinfo_table[op].name);
        c->oom = true;
        return IOP_NONE;
    }
    return cc_maps[op].mem[*var];
}

/* An access's address that is the i32.add just emitted (x + y, x + k or
 * x + (y << k)), taken into the access as a folded form. */
typedef struct {
    int form;                 /* CC_FOLD_* */
    uint32_t base, term, shift;
} cc_fold;

/* Whether entry e, the address of an access to guarded memory 0, is the
 * result of the last instruction, an add the access can take in: then
 * that instruction is dropped and *f says what to fold. */
static bool cc_fold_addr(cc *c, const cc_entry *e, cc_fold *f)
{
    if (e->kind != E_TEMP || e->slot != c->last.dst)
        return false;
    if (c->last.kind == LAST_ADD)
        *f = (cc_fold){c->last.imm ? CC_FOLD_AI : CC_FOLD_A, c->last.x, c->last.y, 0};
    else if (c->last.kind == LAST_ADD_SHL)
        *f = (cc_fold){CC_FOLD_S, c->last.x, c->last.y, c->last.shift};
    else
        return false;
    cc_unemit(c);
    return true;
}

/* Remember the load just emitted, from address x + k (32-bit, memory 0,
 * guard pages), for arithmetic that may take it in (cc_fuse_load). */
static void cc_note_load(cc *c, uint16_t op, const wasm_instr *in, uint32_t x, uint32_t k)
{
    c->last.kind = LAST_LOAD;
    c->last.cond.cmp = op;
    c->last.x = x;
    c->last.y = k;
    c->last.off = in->imm.mem.offset;
    c->last.at = c->offset;
}

/* An i32 load at base + (i << s) whose i the instruction right before
 * (prev, an i32 load from x + k, plain or folded, memory 0) loaded: both
 * become one instruction (LD32_L_S), with a map entry for each load. */
static bool cc_load_chase(cc *c, uint16_t op, const wasm_instr *in, const cc_fold *f,
                          const cc_last *prev, lw_valtype rtype)
{
    if (op != OP_I32_LOAD || f->form != CC_FOLD_S || c->oom ||
        (prev->kind != LAST_LOAD && prev->kind != LAST_LOAD_SET) ||
        prev->cond.cmp != OP_I32_LOAD || prev->dst != f->term || prev->dst == f->base ||
        prev->off > UINT32_MAX || in->imm.mem.offset > UINT32_MAX || !cc_is_last(c, prev->pos))
        return false;
    const wasm_icell *p = c->code + prev->pos;
    int ld = p->h == c->h[IOP_LD32_G] ? IOP_LD32_G : p->h == c->h[IOP_LD32_AI] ? IOP_LD32_AI : -1;
    if (ld < 0 || prev->pos + cc_cells[ld] != c->n ||
        wasm_vec_reserve((void **)&c->map, &c->mapcap, c->nmap + 2, sizeof *c->map))
        return false;
    cc_drop(c, prev->pos);
    wasm_icell *ip = cc_emit(c, IOP_LD32_L_S);
    if (c->oom)
        return true;
    c->map[c->nmap - 1].offset = prev->at;
    c->map[c->nmap++] = (wasm_ipmap){.pos = cc_pos(c, ip) + 1, .offset = c->offset};
    RRRII_A(ip) = f->base;
    RRRII_B(ip) = prev->dst;
    RRRII_C(ip) = f->shift;
    RRRII_I(ip).u64 = (uint64_t)(uint32_t)prev->off << 32 | (uint32_t)in->imm.mem.offset;
    RRRII_J(ip).w.a = prev->x;
    RRRII_J(ip).w.b = prev->y;
    RRRII_D(ip) = cc_result(c, rtype, true);
    return true;
}

/* A load at base + (index << k) (folded, f) right after the I32_ADD_I2
 * (prev) whose one sum is the index, of use after (a local: sp - 1 of
 * stack[--sp]), and whose other is the base, a temporary that only the
 * address read (fp + offset of an array on the frame): the pair joins
 * the load (<load>_SI2), which writes the index after loading. */
static bool cc_load_step(cc *c, uint16_t op, const wasm_instr *in, const cc_fold *f,
                         const cc_last *prev, lw_valtype rtype)
{
    if (f->form != CC_FOLD_S || c->oom || prev->pos == CC_NONE || !cc_is_last(c, prev->pos) ||
        prev->pos + cc_cells[IOP_I32_ADD_I2] != c->n ||
        c->code[prev->pos].h != c->h[IOP_I32_ADD_I2] || in->imm.mem.offset > UINT32_MAX)
        return false;
    /* Either sum may come first; the second must not read the first. */
    const wasm_icell *p = c->code + prev->pos;
    uint32_t d0 = RRRI_B(p), a0 = RRRI_C(p), d1 = RRRI_D(p), a1 = RRRI_A(p);
    uint32_t k0 = (uint32_t)RRRI_I(p).u64, k1 = (uint32_t)(RRRI_I(p).u64 >> 32);
    bool first = f->term == d0;
    if (a1 == d0 || f->term != (first ? d0 : d1) || f->base != (first ? d1 : d0) ||
        f->base < c->temp_base || f->base == f->term)
        return false;
    uint32_t pprev = prev->prev;
    cc_cut(c, prev->pos);
    wasm_icell *ld = cc_emit(c, cc_maps[op].si2);
    c->before = (cc_last){.kind = LAST_NONE, .pos = pprev, .dst = CC_NONE, .prev = CC_NONE};
    c->last.prev = pprev;
    c->kslot = CC_NONE;
    RRRII_A(ld) = first ? a1 : a0;
    RRRII_B(ld) = f->term;
    RRRII_C(ld) = first ? a0 : a1;
    RRRII_I(ld).u64 = first ? (uint64_t)k0 << 32 | k1 : (uint64_t)k1 << 32 | k0;
    RRRII_J(ld).w.a = (uint32_t)in->imm.mem.offset;
    RRRII_J(ld).w.b = f->shift;
    RRRII_D(ld) = cc_result(c, rtype, true);
    return true;
}

/* A load (guarded memory 0) from the slot the instruction just emitted
 * wrote, an address sum that stays of use (kept in a local): the sum
 * joins the load and is still written (WASM_KEPTFORMS). */
static bool cc_load_kept(cc *c, uint16_t op, const wasm_instr *in, lw_valtype rtype)
{
    const cc_entry *a = &c->stack[c->sp - 1];
    uint32_t p = c->last.pos;
    if (a->kind == E_CONST || p == CC_NONE || !cc_is_last(c, p))
        return false;
    const wasm_icell *ip = c->code + p;
    const void *h = ip->h;
    uint32_t e, base, term, shift = 0, k = 0;
    int form, iop;
    if (h == c->h[iop = IOP_I32_ADD]) {
        form = CC_KEPT_A, e = RRR_D(ip), base = RRR_A(ip), term = RRR_B(ip);
    } else if (h == c->h[iop = IOP_I32_ADD_I] || h == c->h[iop = IOP_I32_SUB_I]) {
        form = CC_KEPT_AI, e = RRI_D(ip), base = RRI_A(ip), term = (uint32_t)RRI_I(ip).u64;
        if (iop == IOP_I32_SUB_I)
            term = 0u - term;
    } else if (h == c->h[iop = IOP_I32_ADD_SHL]) {
        form = CC_KEPT_S, e = RRR_D(ip), base = RRR_A(ip), term = RRR_B(ip), shift = RRR_C(ip);
    } else if (h == c->h[iop = IOP_I32_ADD_SHL_I]) {
        form = CC_KEPT_SI, e = RRRI_D(ip), base = RRRI_A(ip), term = RRRI_B(ip);
        shift = RRRI_C(ip), k = (uint32_t)RRRI_I(ip).u64;
    } else if (h == c->h[iop = IOP_I32_MUL_ADD_I]) {
        /* a * factor + k: the factor where the term goes */
        form = CC_KEPT_MI, e = RRII_D(ip), base = RRII_A(ip), term = (uint32_t)RRII_I(ip).u64;
        k = (uint32_t)RRII_J(ip).u64;
    } else {
        return false;
    }
    if (e != a->slot || p + cc_cells[iop] != c->n)
        return false;
    uint32_t prev = c->last.prev;
    cc_cut(c, p);
    c->sp--;
    wasm_icell *ld = cc_emit(c, cc_maps[op].kept[form]);
    c->before = (cc_last){.kind = LAST_NONE, .pos = prev, .dst = CC_NONE, .prev = CC_NONE};
    c->last.prev = prev;
    RRRII_A(ld) = base;
    RRRII_B(ld) = term;
    RRRII_C(ld) = shift;
    RRRII_I(ld).u64 = in->imm.mem.offset;
    RRRII_J(ld).w.a = e;
    RRRII_J(ld).w.b = k;
    RRRII_D(ld) = cc_result(c, rtype, true);
    if (op == OP_I32_LOAD) {
        c->kpos = cc_pos(c, ld);
        c->kslot = e;
    }
    return true;
}

/* local.set or tee of slot, its old value still on the stack once (a
 * pointer kept to store through after it moves on: `*p = *p + q[--i]`),
 * the new value the fresh result of the last instruction, and the old
 * one the sum the i32 load right before kept (kslot): that load keeps
 * its sum in the stack entry's home too (LD32_K<form>2), so the entry
 * takes it from there and neither value is copied. */
static bool cc_kept_copy(cc *c, uint32_t slot)
{
    uint32_t p = c->kpos;
    if (c->kslot != slot || c->oom || !c->last.fwd || !cc_top_is_last(c) ||
        c->last.prev != p || p + cc_cells[IOP_LD32_KA] != c->last.pos)
        return false;
    cc_entry *pe = NULL;
    for (size_t i = 0; i + 1 < c->sp; i++) {
        if (c->stack[i].kind == E_LOCAL && c->stack[i].slot == slot) {
            if (pe)
                return false;
            pe = &c->stack[i];
        }
    }
    wasm_icell *ip = c->code + p;
    int to = IOP_NONE;
#define X(form, ...)                                                       \
    if (ip->h == c->h[IOP_LD32_K##form])                                   \
        to = IOP_LD32_K##form##2;
    WASM_KEPTFORMS(X)
#undef X
    if (!pe || to == IOP_NONE || RRRII_J(ip).w.a != slot || RRRII_D(ip) == slot ||
        RRRII_I(ip).u64 > UINT32_MAX)
        return false;
    ip->h = c->h[to];
    RRRII_I(ip).u64 |= (uint64_t)pe->home << 32;
    pe->kind = E_TEMP;
    pe->slot = pe->home;
    return true;
}

static void cc_load(cc *c, uint16_t op, const wasm_instr *in, lw_valtype rtype)
{
    int var;
    int iop = cc_mem_iop(c, op, in, &var);
    if (iop == IOP_NONE)
        return;
    cc_fold f;
    if (var == WASM_MV_G && cc_fold_addr(c, &c->stack[c->sp - 1], &f)) {
        c->sp--;
        /* The add went: what was before it comes before the load. */
        cc_last prev = c->last.kind == LAST_NONE ? c->before : c->last;
        if (cc_load_chase(c, op, in, &f, &prev, rtype) ||
            cc_load_step(c, op, in, &f, &prev, rtype))
            return;
        wasm_icell *ip = cc_emit(c, cc_maps[op].fold[f.form]);
        c->before = prev;
        c->last.prev = prev.pos;
        RRRI_A(ip) = f.base;
        RRRI_B(ip) = f.term;
        RRRI_C(ip) = f.shift;
        RRRI_I(ip).u64 = in->imm.mem.offset;
        RRRI_D(ip) = cc_result(c, rtype, true);
        if (f.form == CC_FOLD_AI)
            cc_note_load(c, op, in, f.base, f.term);
        return;
    }
    if (var == WASM_MV_G && cc_load_kept(c, op, in, rtype))
        return;
    cc_entry a = cc_pop(c);
    if (var == WASM_MV_G && a.kind == E_CONST) {
        /* A constant address: the sum with the offset is known. */
        wasm_icell *ip = cc_emit(c, cc_maps[op].abs);
        RRI_I(ip).u64 = (uint32_t)a.c[0] + in->imm.mem.offset;
        RRI_D(ip) = cc_result(c, rtype, true);
        return;
    }
    uint32_t sa = cc_slot(c, &a);
    wasm_icell *ip = cc_emit(c, iop);
    RRI_A(ip) = sa;
    RRI_I(ip).u64 = in->imm.mem.offset;
    if (cc_memptr[var])
        RRII_J(ip).p = c->f->inst->mems[in->imm.mem.mem];
    RRI_D(ip) = cc_result(c, rtype, true);
    if (var == WASM_MV_G)
        cc_note_load(c, op, in, sa, 0);
}

/* A float store of the result of the OP_L just emitted to the address
 * that instruction loaded from (x[i] += y): the store joins it (OP_M). */
static bool cc_farith_back(cc *c, uint16_t op, const wasm_instr *in)
{
    const cc_entry *a = &c->stack[c->sp - 2];
    if ((op != OP_F32_STORE && op != OP_F64_STORE) || !cc_top_is_last(c) || !c->last.fwd ||
        !cc_is_last(c, c->last.pos) || a->kind == E_CONST)
        return false;
    wasm_icell *ip = c->code + c->last.pos;
    if (RRRI_B(ip) != a->slot || RRRI_C(ip) != 0 || RRRI_I(ip).u64 != in->imm.mem.offset)
        return false;
#define CC_STORE_f32 OP_F32_STORE
#define CC_STORE_f64 OP_F64_STORE
#define X(fop, in_, ...)                                                   \
    if (ip->h == c->h[IOP_##fop##_L] && op == CC_STORE_##in_) {             \
        ip->h = c->h[IOP_##fop##_M];                                       \
        cc_barrier(c);                                                     \
        c->sp -= 2;                                                        \
        return true;                                                       \
    }
    WASM_FARITH(X)
#undef X
#undef CC_STORE_f64
#undef CC_STORE_f32
    return false;
}

static void cc_store(cc *c, uint16_t op, const wasm_instr *in)
{
    int var;
    int iop = cc_mem_iop(c, op, in, &var);
    if (iop == IOP_NONE)
        return;
    cc_fold f;
    if (var == WASM_MV_G && c->stack[c->sp - 1].kind != E_TEMP &&
        cc_fold_addr(c, &c->stack[c->sp - 2], &f)) {
        /* The value is a constant or a local, so nothing was emitted
         * after the address: the store takes the sum in. */
        cc_entry v = cc_pop(c);
        c->sp--;
        bool k = v.kind == E_CONST;
        wasm_icell *ip = cc_emit(c, k ? cc_maps[op].foldk[f.form] : cc_maps[op].fold[f.form]);
        RRRI_D(ip) = f.base;
        RRRI_B(ip) = f.term;
        RRRI_C(ip) = f.shift;
        RRRI_I(ip).u64 = in->imm.mem.offset;
        if (k)
            RRRII_J(ip).u64 = v.c[0];
        else
            RRRI_A(ip) = v.slot;
        return;
    }
    if (var == WASM_MV_G && cc_farith_back(c, op, in))
        return;
    cc_entry v = cc_pop(c), a = cc_pop(c);
    if (var == WASM_MV_G && a.kind == E_CONST && v.type != LW_V128) {
        /* A constant address: the sum with the offset is known. */
        uint64_t ea = (uint32_t)a.c[0] + in->imm.mem.offset;
        if (v.kind == E_CONST) {
            wasm_icell *ip = cc_emit(c, cc_maps[op].absk);
            RRII_I(ip).u64 = ea;
            RRII_J(ip).u64 = v.c[0];
        } else {
            uint32_t sv = cc_slot(c, &v);
            wasm_icell *ip = cc_emit(c, cc_maps[op].abs);
            RRI_A(ip) = sv;
            RRI_I(ip).u64 = ea;
        }
        return;
    }
    if (var == WASM_MV_G && v.kind == E_CONST && v.type != LW_V128) {
        /* A constant stored: no slot for it. */
        uint32_t sa = cc_slot(c, &a);
        wasm_icell *ip = cc_emit(c, cc_maps[op].storek);
        RRII_D(ip) = sa;
        RRII_I(ip).u64 = in->imm.mem.offset;
        RRII_J(ip).u64 = v.c[0];
        return;
    }
    uint32_t sa = cc_slot(c, &a), sv = cc_slot(c, &v);
    wasm_icell *ip = cc_emit(c, iop);
    RRI_D(ip) = sa;
    RRI_A(ip) = sv;
    RRI_I(ip).u64 = in->imm.mem.offset;
    if (cc_memptr[var])
        RRII_J(ip).p = c->f->inst->mems[in->imm.mem.mem];
}

static void cc_local_set(cc *c, uint32_t idx, bool tee)
{
    uint32_t slot = c->lslot[idx];
    lw_valtype type = c->ltype[idx];
    cc_entry *top = &c->stack[c->sp - 1];
    bool pending = false;
    for (size_t i = 0; i + 1 < c->sp; i++)
        if (c->stack[i].kind == E_LOCAL && c->stack[i].slot == slot)
            pending = true;
    if (pending && cc_kept_copy(c, slot))
        pending = false;
    if (slot == c->kslot)
        c->kslot = CC_NONE;
    if (!pending && c->last.fwd && cc_top_is_last(c)) {
        ANY_D(c->code + c->last.pos) = slot;
        /* Only a counter step (x + a constant or a slot) and a load
         * stay of interest, to a compare of the local that may follow. */
        if (c->last.kind == LAST_ADD || c->last.kind == LAST_LOAD) {
            if (c->last.kind == LAST_LOAD)
                c->last.kind = LAST_LOAD_SET;
            c->last.dst = slot;
            c->last.fwd = false;
        } else {
            cc_forget(c);
        }
    } else {
        for (size_t i = 0; i + 1 < c->sp; i++)
            if (c->stack[i].kind == E_LOCAL && c->stack[i].slot == slot)
                cc_flush(c, &c->stack[i]);
        if (!(top->kind == E_LOCAL && top->slot == slot))
            cc_move(c, top, slot);
        /* A copy stays open to the next one (a rotation of locals is one
         * MOVn); anything else is of no use to what follows. */
        if (c->last.kind != LAST_MOV)
            cc_forget(c);
    }
    c->sp--;
    if (tee) {
        cc_entry *e = cc_push(c, E_LOCAL, type);
        e->slot = slot;
    }
}

/* Whether the select's condition k is the i32 compare of a slot with a
 * constant (or i32.eqz) just emitted: then that compare goes, and the
 * select of form `form` (cc_map.sel: 0 KK, 1 KS, 2 SK) does it: *iop,
 * the compared slot *x and the constant *imm. */
static bool cc_select_cmp(cc *c, const cc_entry *k, int form, int *iop, uint32_t *x,
                          uint32_t *imm)
{
    const cc_last *l = &c->last;
    if ((l->kind != LAST_CMP && l->kind != LAST_EQZ) || k->kind != E_TEMP ||
        k->slot != l->dst || !cc_is_last(c, l->pos))
        return false;
    const wasm_icell *ip = c->code + l->pos;
    int emitted;
    if (ip->h == c->h[IOP_I32_EQZ]) {
        emitted = IOP_I32_EQZ;
        *iop = cc_maps[OP_I32_EQ].sel[form];
        *x = RR_A(ip);
        *imm = 0;
    } else if (l->kind == LAST_CMP && l->cond.kind == 3 &&
               ip->h == c->h[cc_maps[l->cond.cmp].ri]) {
        emitted = cc_maps[l->cond.cmp].ri;
        *iop = cc_maps[l->cond.cmp].sel[form];
        *x = RRI_A(ip);
        *imm = (uint32_t)RRI_I(ip).u64;
    } else {
        return false;
    }
    if (*iop == IOP_NONE || l->pos + cc_cells[emitted] != c->n)
        return false;
    cc_unemit(c);
    return true;
}

/* A select of a number whose values are constants, one or both: they
 * stay in the instruction (a branchless `c ? 1 : 0` is one instruction),
 * and an i32 compare with a constant right before it joins it. */
static bool cc_select_const(cc *c, cc_entry *a, cc_entry *b, cc_entry *k)
{
    bool num = a->type == LW_I32 || a->type == LW_I64 || a->type == LW_F32 ||
               a->type == LW_F64;
    bool ka = a->kind == E_CONST, kb = b->kind == E_CONST;
    if (!num || (!ka && !kb))
        return false;
    uint32_t sa = ka ? 0 : cc_slot(c, a), sb = kb ? 0 : cc_slot(c, b);
    int form = ka && kb ? 0 : ka ? 1 : 2, iop;
    uint32_t x, imm;
    wasm_icell *ip;
    if (cc_select_cmp(c, k, form, &iop, &x, &imm)) {
        ip = cc_emit(c, iop);
        RRRII_A(ip) = x;
        if (form == 0) {
            RRRII_B(ip) = imm;
            RRRII_I(ip).u64 = a->c[0];
            RRRII_J(ip).u64 = b->c[0];
        } else {
            RRRII_B(ip) = ka ? sb : sa;
            RRRII_C(ip) = imm;
            RRRII_I(ip).u64 = ka ? a->c[0] : b->c[0];
        }
        ANY_D(ip) = cc_result(c, a->type, false);
        return true;
    }
    uint32_t sk = cc_slot(c, k);
    if (ka && kb) {
        ip = cc_emit(c, IOP_SELECT_KK);
        RRII_A(ip) = sk;
        RRII_I(ip).u64 = a->c[0];
        RRII_J(ip).u64 = b->c[0];
    } else {
        ip = cc_emit(c, ka ? IOP_SELECT_KS : IOP_SELECT_SK);
        RRRI_A(ip) = sa;
        RRRI_B(ip) = sb;
        RRRI_C(ip) = sk;
        RRRI_I(ip).u64 = ka ? a->c[0] : b->c[0];
    }
    ANY_D(ip) = cc_result(c, a->type, false);
    return true;
}

static void cc_select(cc *c)
{
    cc_entry k = cc_pop(c), b = cc_pop(c), a = cc_pop(c);
    if (cc_select_const(c, &a, &b, &k))
        return;
    uint32_t sa = cc_slot(c, &a), sb = cc_slot(c, &b), sk = cc_slot(c, &k);
    wasm_icell *ip = cc_emit(c, a.type == LW_V128 ? IOP_SELECT2 : IOP_SELECT);
    RRR_A(ip) = sa;
    RRR_B(ip) = sb;
    RRR_C(ip) = sk;
    RRR_D(ip) = cc_result(c, a.type, false);
}

/* ---- references for the collector ------------------------------------ */

static void cc_root_slot(cc *c, uint32_t slot)
{
    if (wasm_vec_reserve((void **)&c->rslots, &c->rslotcap, c->nrslots + 1,
                         sizeof *c->rslots)) {
        c->oom = true;
        return;
    }
    c->rslots[c->nrslots++] = slot;
}

/* The instruction just emitted at ip may collect.  Its live references:
 * the temporaries of reference type on the stack, then the nargs values
 * it passes on, the entries just popped (still above c->sp, in their
 * homes); a tail call passes them at the frame's start. */
static void cc_root_site(cc *c, const wasm_icell *ip, uint32_t nargs, bool tail)
{
    if (c->oom)
        return;
    size_t first = c->nrslots;
    if (!tail)
        for (size_t i = 0; i < c->sp; i++)
            if (c->stack[i].kind == E_TEMP && lw_valtype_is_ref(c->stack[i].type))
                cc_root_slot(c, c->stack[i].home);
    size_t nlive = c->nrslots - first;
    for (uint32_t i = 0, at = 0; i < nargs; i++) {
        const cc_entry *e = &c->stack[c->sp + i];
        if (lw_valtype_is_ref(e->type))
            cc_root_slot(c, tail ? at : e->home);
        at += wasm_cells(e->type);
    }
    /* A tail call's site says too that the locals are dead. */
    if ((c->nrslots == first && !(tail && c->nrlocals)) || c->oom ||
        wasm_vec_reserve((void **)&c->rsites, &c->rsitecap, c->nrsites + 1,
                         sizeof *c->rsites))
        return;
    c->rsites[c->nrsites++] = (wasm_rootsite){
        .pos = cc_pos(c, ip), .end = (uint32_t)c->n, .first = (uint32_t)first,
        .n = (uint32_t)(c->nrslots - first),
        .nargs = (uint32_t)(c->nrslots - first - nlive), .tail = tail,
    };
}

/* The map into f's arena, in one block (the sites, then the slots); none
 * when no slot ever holds a reference. */
static int cc_roots_finish(cc *c)
{
    if (!c->nrslots)
        return 0;
    size_t sites = c->nrsites * sizeof *c->rsites;
    wasm_roots *r = wasm_arena_alloc(c->arena, sizeof *r + sites +
                                               c->nrslots * sizeof *c->rslots);
    if (!r)
        return -1;
    wasm_rootsite *site = (wasm_rootsite *)(r + 1);
    uint32_t *slots = (uint32_t *)((char *)site + sites);
    if (sites)
        memcpy(site, c->rsites, sites);
    memcpy(slots, c->rslots, c->nrslots * sizeof *slots);
    *r = (wasm_roots){.slots = slots, .nlocals = (uint32_t)c->nrlocals,
                      .sites = site, .nsites = (uint32_t)c->nrsites};
    c->f->roots = r;
    return 0;
}

/* Arguments go to their homes; the callee's frame starts at the first. */
static uint32_t cc_call_args(cc *c, const lw_functype *t)
{
    for (uint32_t i = 0; i < t->nparams; i++)
        cc_flush(c, &c->stack[c->sp - t->nparams + i]);
    c->sp -= t->nparams;
    return cc_home_at(c, c->sp);
}

static void cc_call_results(cc *c, const lw_functype *t)
{
    for (uint32_t i = 0; i < t->nresults; i++)
        cc_push(c, E_TEMP, t->results[i]);
    cc_barrier(c);
}

/* A call, or with tail a tail call: the callee's frame replaces this
 * one, its results are this function's, and nothing after it runs. */
static void cc_call(cc *c, uint32_t fidx, bool tail)
{
    lw_func *callee = c->f->inst->funcs[fidx];
    const lw_functype *t = &c->m->types[c->m->func_types[fidx]];
    uint32_t base = cc_call_args(c, t);
    bool near = callee->inst == c->f->inst;
    uint32_t d, a, k;
    wasm_icell *ip;
    /* The arguments' entries are still above c->sp, in their homes. */
    if (near && !tail && cc_add_i_at(c, &c->last, c->n, &d, &a, &k) && d >= base &&
        d < cc_home_at(c, c->sp + t->nparams)) {
        /* An argument's step right before the call (fib(n - 1)) joins it. */
        cc_unemit(c);
        ip = cc_emit(c, IOP_CALL_ADD_I);
        RRRI_D(ip) = base;
        RRRI_A(ip) = a;
        RRRI_B(ip) = d;
        RRRI_C(ip) = k;
        RRRI_I(ip).p = callee;
    } else if (near && !tail && c->last.kind == LAST_MOV && c->last.nmov == 2 &&
               cc_is_last(c, c->last.pos) && c->last.pos + cc_cells[IOP_MOV2] == c->n &&
               !c->oom) {
        /* Two copies right before the call (its arguments moved) join
         * it: MOV2's cells stay, the call's follow, at the call's offset. */
        if (wasm_vec_reserve((void **)&c->code, &c->cap, c->n + 2, sizeof *c->code)) {
            c->oom = true;
            return;
        }
        ip = c->code + c->last.pos;
        c->n += 2;
        ip->h = c->h[IOP_MOV2_CALL];
        RRRII_I(ip).u64 = base;
        RRRII_J(ip).p = callee;
        c->map[c->nmap - 1].offset = c->offset;
        c->last.kind = LAST_OP;
    } else {
        ip = cc_emit(c, tail ? (near ? IOP_TAIL_CALL : IOP_TAIL_CALL_FAR)
                             : (near ? IOP_CALL : IOP_CALL_FAR));
        RRI_D(ip) = base;
        RRI_I(ip).p = callee;
    }
    cc_root_site(c, ip, t->nparams, tail);
    if (tail)
        cc_set_dead(c);
    else
        cc_call_results(c, t);
}

static void cc_call_indirect(cc *c, const wasm_instr *in, bool tail)
{
    const lw_functype *t = &c->m->types[in->imm.pair.a];
    cc_entry idx = cc_pop(c);
    uint32_t si = cc_slot(c, &idx);
    uint32_t base = cc_call_args(c, t);
    wasm_icell *ip = cc_emit(c, tail ? IOP_TAIL_CALL_INDIRECT : IOP_CALL_INDIRECT);
    RRII_D(ip) = si;
    RRII_A(ip) = base;
    RRII_I(ip).p = c->f->inst->tables[in->imm.pair.b];
    RRII_J(ip).u64 = c->f->inst->type_ids[in->imm.pair.a];   /* canonical type id */
    cc_root_site(c, ip, t->nparams, tail);
    if (tail)
        cc_set_dead(c);
    else
        cc_call_results(c, t);
}

/* call_ref, return_call_ref: the callee is the reference on top. */
static void cc_call_ref(cc *c, const wasm_instr *in, bool tail)
{
    const lw_functype *t = &c->m->types[in->imm.index];
    cc_entry r = cc_pop(c);
    uint32_t sr = cc_slot(c, &r);
    uint32_t base = cc_call_args(c, t);
    wasm_icell *ip = cc_emit(c, tail ? IOP_TAIL_CALL_REF : IOP_CALL_REF);
    RR_D(ip) = sr;
    RR_A(ip) = base;
    cc_root_site(c, ip, t->nparams, tail);
    if (tail)
        cc_set_dead(c);
    else
        cc_call_results(c, t);
}

static cc_ctrl *cc_label(cc *c, uint32_t depth);

/* br_on_null: branch on null with the values below; the reference stays.
 * br_on_non_null: branch with the reference on top of them, else drop it. */
static void cc_br_on_null(cc *c, const wasm_instr *in)
{
    cc_entry *top = &c->stack[c->sp - 1];
    uint32_t sr = cc_slot(c, top);
    cc_cond k = {.kind = in->op == OP_BR_ON_NULL ? 5 : 4, .a = sr};
    cc_ctrl *l = cc_label(c, in->imm.index);
    if (in->op == OP_BR_ON_NON_NULL) {
        cc_branch_if(c, k, l);
        c->sp--;
        return;
    }
    cc_entry r = cc_pop(c);
    cc_branch_if(c, k, l);
    c->stack[c->sp++] = r;
}

static void cc_push_const(cc *c, lw_valtype type, uint64_t lo, uint64_t hi)
{
    cc_entry *e = cc_push(c, E_CONST, type);
    e->c[0] = lo;
    e->c[1] = hi;
}

/* Pop n operands into slots (pushed order). */
static void cc_pop_slots(cc *c, uint32_t n, uint32_t *slots)
{
    for (uint32_t i = 0; i < n; i++)
        slots[i] = cc_slot(c, &c->stack[c->sp - n + i]);
    c->sp -= n;
}

static wasm_icell *cc_emit_ops(cc *c, int iop, uint32_t nops, uint32_t *s)
{
    cc_pop_slots(c, nops, s);
    return cc_emit(c, iop);
}

/* The address type of table or memory idx: i64 for a 64-bit one. */
static lw_valtype cc_table_addr(cc *c, uint32_t idx)
{
    return c->m->tables[idx].limits.is64 ? LW_I64 : LW_I32;
}

static lw_valtype cc_mem_addr(cc *c, uint32_t idx)
{
    return c->m->mems[idx].is64 ? LW_I64 : LW_I32;
}

static void cc_table_op(cc *c, const wasm_instr *in)
{
    lw_instance *inst = c->f->inst;
    uint32_t s[3];
    wasm_icell *ip;
    switch (in->op) {
    case OP_TABLE_GET: {
        lw_table *t = inst->tables[in->imm.index];
        ip = cc_emit_ops(c, IOP_TABLE_GET, 1, s);
        RRI_A(ip) = s[0];
        RRI_I(ip).p = t;
        RRI_D(ip) = cc_result(c, t->type.reftype, true);
        break;
    }
    case OP_TABLE_SET:
        ip = cc_emit_ops(c, IOP_TABLE_SET, 2, s);
        RRI_D(ip) = s[0];
        RRI_A(ip) = s[1];
        RRI_I(ip).p = inst->tables[in->imm.index];
        break;
    case OP_TABLE_SIZE:
        ip = cc_emit(c, IOP_TABLE_SIZE);
        RRI_I(ip).p = inst->tables[in->imm.index];
        RRI_D(ip) = cc_result(c, cc_table_addr(c, in->imm.index), true);
        break;
    case OP_TABLE_GROW:
        ip = cc_emit_ops(c, IOP_TABLE_GROW, 2, s);
        RRRI_A(ip) = s[0];
        RRRI_B(ip) = s[1];
        RRRI_I(ip).p = inst->tables[in->imm.index];
        RRRI_D(ip) = cc_result(c, cc_table_addr(c, in->imm.index), false);
        break;
    case OP_TABLE_FILL:
        ip = cc_emit_ops(c, IOP_TABLE_FILL, 3, s);
        RRRI_D(ip) = s[0];
        RRRI_A(ip) = s[1];
        RRRI_B(ip) = s[2];
        RRRI_I(ip).p = inst->tables[in->imm.index];
        break;
    case OP_TABLE_COPY:
        ip = cc_emit_ops(c, IOP_TABLE_COPY, 3, s);
        RRRII_D(ip) = s[0];
        RRRII_A(ip) = s[1];
        RRRII_B(ip) = s[2];
        RRRII_I(ip).p = inst->tables[in->imm.pair.a];
        RRRII_J(ip).p = inst->tables[in->imm.pair.b];
        break;
    case OP_TABLE_INIT:
        ip = cc_emit_ops(c, IOP_TABLE_INIT, 3, s);
        RRRI_D(ip) = s[0];
        RRRI_A(ip) = s[1];
        RRRI_B(ip) = s[2];
        RRRI_C(ip) = in->imm.pair.a;
        RRRI_I(ip).p = inst->tables[in->imm.pair.b];
        break;
    default:
        ip = cc_emit(c, IOP_ELEM_DROP);
        RR_D(ip) = in->imm.index;
        break;
    }
}

static void cc_memory_op(cc *c, const wasm_instr *in)
{
    struct lw_memory **mems = c->f->inst->mems;
    uint32_t s[3];
    wasm_icell *ip;
    switch (in->op) {
    case OP_MEMORY_SIZE:
        ip = cc_emit(c, IOP_MEMORY_SIZE);
        RRI_I(ip).p = mems[in->imm.index];
        RRI_D(ip) = cc_result(c, cc_mem_addr(c, in->imm.index), true);
        break;
    case OP_MEMORY_GROW:
        ip = cc_emit_ops(c, IOP_MEMORY_GROW, 1, s);
        RRI_A(ip) = s[0];
        RRI_I(ip).p = mems[in->imm.index];
        RRI_D(ip) = cc_result(c, cc_mem_addr(c, in->imm.index), false);
        break;
    case OP_MEMORY_FILL:
        ip = cc_emit_ops(c, IOP_MEMORY_FILL, 3, s);
        RRRI_D(ip) = s[0];
        RRRI_A(ip) = s[1];
        RRRI_B(ip) = s[2];
        RRRI_I(ip).p = mems[in->imm.index];
        break;
    case OP_MEMORY_COPY:
        ip = cc_emit_ops(c, IOP_MEMORY_COPY, 3, s);
        RRRII_D(ip) = s[0];
        RRRII_A(ip) = s[1];
        RRRII_B(ip) = s[2];
        RRRII_I(ip).p = mems[in->imm.pair.a];
        RRRII_J(ip).p = mems[in->imm.pair.b];
        break;
    case OP_MEMORY_INIT:
        ip = cc_emit_ops(c, IOP_MEMORY_INIT, 3, s);
        RRRI_D(ip) = s[0];
        RRRI_A(ip) = s[1];
        RRRI_B(ip) = s[2];
        RRRI_C(ip) = in->imm.pair.a;
        RRRI_I(ip).p = mems[in->imm.pair.b];
        break;
    default:
        ip = cc_emit(c, IOP_DATA_DROP);
        RR_D(ip) = in->imm.index;
        break;
    }
}

static wasm_simd_rec *cc_simd_rec(cc *c, const wasm_instr *in)
{
    wasm_simd_rec *r = wasm_arena_alloc(c->arena, sizeof *r);
    if (!r) {
        c->oom = true;
        return &c->sink_simd;
    }
    r->ins = *in;
    return r;
}

/* SIMD loads and stores: one handler per memory variant, through the
 * load/store helpers. */
static void cc_simd_mem(cc *c, const wasm_instr *in, wasm_simd_rec *r)
{
#define MVAR(tag, m, a, chk, op) [WASM_MV_##tag] = IOP_##op##_##tag,
    static const uint16_t loads[WASM_MV_COUNT] = {WASM_MEMVARS(MVAR, SIMD_LOAD)};
    static const uint16_t stores[WASM_MV_COUNT] = {WASM_MEMVARS(MVAR, SIMD_STORE)};
#undef MVAR
    const wasm_opinfo *oi = &wasm_opinfo_table[in->op];
    bool store = oi->result == T____;
    uint32_t nops = oi->operands[1] == T_V128 ? 2 : 1;
    uint32_t s[2];
    int var = cc_memvar(c, in->imm.mem.mem);
    if (var < 0) {
        wasm_fail(c->err, LW_ERR_INVALID, "unsupported memory for %s", oi->name);
        c->oom = true;
        return;
    }
    wasm_icell *ip = cc_emit_ops(c, store ? stores[var] : loads[var], nops, s);
    RRII_I(ip).u64 = in->imm.mem.offset;
    RRII_J(ip).p = r;
    r->mem = c->f->inst->mems[in->imm.mem.mem];
    if (store) {
        RRII_D(ip) = s[0];
        RRII_A(ip) = s[1];
    } else {
        RRII_A(ip) = s[0];
        r->vslot = nops == 2 ? s[1] : s[0];
        RRII_D(ip) = cc_result(c, LW_V128, false);
    }
}

/* SIMD: memory forms above, the rest through wasm_simd_apply; operand and
 * result types come from the table. */
static void cc_simd(cc *c, const wasm_instr *in)
{
    const wasm_opinfo *oi = &wasm_opinfo_table[in->op];
    wasm_simd_rec *r = cc_simd_rec(c, in);
    if (oi->imm == IMM_MEMARG || oi->imm == IMM_MEMARG_LANE) {
        cc_simd_mem(c, in, r);
        return;
    }
    uint32_t nops = 0;
    while (nops < 3 && oi->operands[nops] != T____)
        nops++;
    for (uint32_t i = 0; i < nops; i++)
        r->cells[i] = (uint8_t)wasm_cells(oi->operands[i]);
    if (in->op == OP_V128_CONST) {
        uint64_t v[2];
        memcpy(v, in->imm.bytes, 16);
        cc_push_const(c, LW_V128, v[0], v[1]);
        return;
    }
    uint32_t s[3] = {0, 0, 0};
    wasm_icell *ip = cc_emit_ops(c, IOP_SIMD, nops, s);
    RRRI_A(ip) = s[0];
    RRRI_B(ip) = s[1];
    RRRI_C(ip) = s[2];
    RRRI_I(ip).p = r;
    r->dcells = (uint8_t)wasm_cells(oi->result);
    RRRI_D(ip) = cc_result(c, oi->result, false);
}

/* Atomic instructions (threads): one handler, the work in atomic.c. */
static void cc_atomic(cc *c, const wasm_instr *in)
{
    const wasm_opinfo *oi = &wasm_opinfo_table[in->op];
    wasm_atomic_rec *r = wasm_arena_alloc(c->arena, sizeof *r);
    if (!r) {
        c->oom = true;
        r = &c->sink_atomic;
    }
    r->op = in->op;
    r->result = oi->result != T____;
    r->offset = oi->imm == IMM_MEMARG ? in->imm.mem.offset : 0;
    r->mem = oi->imm == IMM_MEMARG ? c->f->inst->mems[in->imm.mem.mem] : NULL;
    uint32_t nops = 0;
    while (nops < 3 && oi->operands[nops] != T____)
        nops++;
    uint32_t s[3] = {0, 0, 0};
    wasm_icell *ip = cc_emit_ops(c, IOP_ATOMIC, nops, s);
    RRRI_A(ip) = s[0];
    RRRI_B(ip) = s[1];
    RRRI_C(ip) = s[2];
    RRRI_I(ip).p = r;
    if (r->result)
        RRRI_D(ip) = cc_result(c, oi->result, false);
}

/* GC instructions: the operands go to their homes (consecutive slots),
 * one handler runs the rec; br_on_cast tests, then branches on the test. */
static wasm_gc_rec *cc_gc_rec(cc *c, const wasm_instr *in)
{
    wasm_gc_rec *r = wasm_arena_alloc(c->arena, sizeof *r);
    if (!r) {
        c->oom = true;
        r = &c->sink_gc;
    }
    wasm_gc_rec_init(r, c->f->inst, in);
    return r;
}

/* Operands an instruction pops and the type of what it pushes (0: none). */
static uint32_t cc_gc_arity(cc *c, const wasm_instr *in, const wasm_gc_rec *r,
                            lw_valtype *result)
{
    lw_valtype made = LW_REF(0, LW_HEAP_STRUCT);
    lw_valtype field = r->ftype == LW_I8 || r->ftype == LW_I16 ? LW_I32 : r->ftype;
    *result = 0;
    switch (in->op) {
    case OP_STRUCT_NEW:
        *result = made;
        return c->m->typedefs[in->imm.index].nfields;
    case OP_STRUCT_NEW_DEFAULT: *result = made; return 0;
    case OP_STRUCT_GET: case OP_STRUCT_GET_S: case OP_STRUCT_GET_U:
        *result = field;
        return 1;
    case OP_STRUCT_SET: return 2;
    case OP_ARRAY_NEW: case OP_ARRAY_NEW_DATA: case OP_ARRAY_NEW_ELEM:
        *result = made;
        return 2;
    case OP_ARRAY_NEW_DEFAULT: *result = made; return 1;
    case OP_ARRAY_NEW_FIXED: *result = made; return in->imm.pair.b;
    case OP_ARRAY_GET: case OP_ARRAY_GET_S: case OP_ARRAY_GET_U:
        *result = field;
        return 2;
    case OP_ARRAY_SET: return 3;
    case OP_ARRAY_FILL: case OP_ARRAY_INIT_DATA: case OP_ARRAY_INIT_ELEM: return 4;
    case OP_ARRAY_COPY: return 5;
    case OP_ARRAY_LEN: case OP_I31_GET_S: case OP_I31_GET_U: case OP_REF_TEST:
    case OP_REF_TEST_NULL:
        *result = LW_I32;
        return 1;
    default: /* ref.i31, ref.cast, the conversions: one reference */
        *result = made;
        return 1;
    }
}

static void cc_br_on_cast(cc *c, const wasm_instr *in)
{
    wasm_gc_rec *r = cc_gc_rec(c, in);
    r->op = OP_REF_TEST;
    r->cast = wasm_canon_valtype(c->f->inst->type_ids, in->imm.cast.to);
    uint32_t sr = cc_slot(c, &c->stack[c->sp - 1]);
    wasm_icell *ip = cc_emit(c, IOP_GC);
    RRRI_A(ip) = sr;
    RRRI_I(ip).p = r;
    RRRI_D(ip) = cc_result(c, LW_I32, false);
    cc_cond k = cc_pop_cond(c);
    k.kind = in->op == OP_BR_ON_CAST ? 0 : 1;
    cc_branch_if(c, k, cc_label(c, in->imm.cast.label));
}

static void cc_gc(cc *c, const wasm_instr *in)
{
    if (in->op == OP_BR_ON_CAST || in->op == OP_BR_ON_CAST_FAIL) {
        cc_br_on_cast(c, in);
        return;
    }
    wasm_gc_rec *r = cc_gc_rec(c, in);
    lw_valtype result;
    uint32_t n = cc_gc_arity(c, in, r, &result);
    for (uint32_t i = 0; i < n; i++)
        cc_flush(c, &c->stack[c->sp - n + i]);
    c->sp -= n;
    uint32_t base = cc_home_at(c, c->sp);
    wasm_icell *ip = cc_emit(c, IOP_GC);
    RRRI_A(ip) = base;
    RRRI_I(ip).p = r;
    cc_root_site(c, ip, n, false);
    if (result)
        RRRI_D(ip) = cc_result(c, result, false);
    else if (base + 1 > c->max_cells)
        c->max_cells = base + 1;
}

/* Table-driven numeric instructions. */
static bool cc_numeric(cc *c, const wasm_instr *in)
{
    const wasm_opinfo *oi = &wasm_opinfo_table[in->op];
    switch (cc_maps[in->op].kind) {
    case K_UN:
    case K_TRAPUN:
        cc_unop(c, in->op, oi->result);
        return true;
    case K_BIN:
    case K_BINI:
    case K_CMP:
        cc_binop(c, in->op, oi->result);
        return true;
    case K_TRAPBIN:
        cc_trapbin(c, in->op, oi->result);
        return true;
    case K_LOAD:
        cc_load(c, in->op, in, oi->result);
        return true;
    case K_STORE:
        cc_store(c, in->op, in);
        return true;
    case K_RELABEL:
        c->stack[c->sp - 1].type = oi->result;
        return true;
    default:
        return false;
    }
}

static cc_ctrl *cc_label(cc *c, uint32_t depth)
{
    return &c->ctrl[c->cp - 1 - depth];
}

/* What joins a br_table's step from before it (cc_pre_step). */
enum { CC_PRE_NONE, CC_PRE_COPY, CC_PRE_SHL };

/* The br_table that loads its index with the load just emitted
 * (cc_note_load), with the add before it when step and what comes before
 * that (pre), or IOP_BR_TABLE. */
static int cc_brt_iop(cc *c, bool step, int pre)
{
    if (c->last.kind != LAST_LOAD || !cc_top_is_last(c))
        return IOP_BR_TABLE;
    switch (c->last.cond.cmp) {
#define X(name, op, ctype)                                                 \
    case OP_##op:                                                          \
        return pre == CC_PRE_COPY ? IOP_BR_TABLE_##name##_SC              \
             : pre == CC_PRE_SHL ? IOP_BR_TABLE_##name##_SH               \
             : step ? IOP_BR_TABLE_##name##_S : IOP_BR_TABLE_##name;
        WASM_BRTLOADS(X)
#undef X
    default:
        return IOP_BR_TABLE;
    }
}

/* What comes right before the step of cc_br_table (the instruction
 * before c->before, nothing between) that joins them: a copy e = f, or
 * e = f << s that the load takes its address from (a pc scaled to an
 * instruction's size).  CC_PRE_NONE when nothing does. */
static int cc_pre_step(cc *c, uint32_t *e, uint32_t *f, uint32_t *s)
{
    uint32_t p = c->before.prev;
    if (c->oom || p == CC_NONE || c->nmap < 3 || c->map[c->nmap - 3].pos != p)
        return CC_PRE_NONE;
    const wasm_icell *ip = c->code + p;
    if (p + cc_cells[IOP_COPY] == c->before.pos && ip->h == c->h[IOP_COPY]) {
        *e = RR_D(ip);
        *f = RR_A(ip);
        return *e != *f ? CC_PRE_COPY : CC_PRE_NONE;
    }
    if (p + cc_cells[IOP_I32_SHL_I] == c->before.pos && ip->h == c->h[IOP_I32_SHL_I] &&
        RRI_D(ip) == c->last.x) {
        *e = RRI_D(ip);
        *f = RRI_A(ip);
        *s = (uint32_t)RRI_I(ip).u64 & 31;
        return CC_PRE_SHL;
    }
    return CC_PRE_NONE;
}

static void cc_br_table(cc *c, const wasm_instr *in)
{
    uint32_t n = in->imm.br_table.count;
    /* A lone i32 add of a constant right before the load, one that does
     * not write the load's address slot, joins the branch too, and so
     * does a copy or a shift right before that add (cc_pre_step). */
    uint32_t sd, sx, sk, pe = 0, pf = 0, ps = 0, spos = c->before.pos, ppos = c->before.prev;
    bool step = c->last.kind == LAST_LOAD &&
                cc_add_i_at(c, &c->before, c->last.pos, &sd, &sx, &sk) && sd != c->last.x;
    int pre = step ? cc_pre_step(c, &pe, &pf, &ps) : CC_PRE_NONE;
    int iop = cc_brt_iop(c, step, pre);
    wasm_icell *ip;
    uint32_t first;
    if (iop != IOP_BR_TABLE && step) {
        /* The load joins the branch, and so does the add before it, and
         * what comes before that (pre).  A copy is done right before the
         * step, after the load: what the load reads from its destination
         * it reads from its source.  A shift's result is the load's
         * address.  (BRTLSC is BRTLS with one more cell before i.) */
        cc_taken_load t = cc_take_load(c);
        cc_drop(c, pre != CC_PRE_NONE ? ppos : spos);
        ip = cc_emit_n(c, iop, (size_t)n + 1);
        if (c->oom)
            return;
        cc_at_load(c, &t);
        BRTLS_D(ip) = sd;
        BRTLS_X(ip) = sx;
        BRTLS_K(ip) = sk;
        BRTLS_A(ip) = t.x == pe && pre == CC_PRE_COPY ? pf : t.x;
        BRTLS_N(ip) = n;
        BRTLS_C(ip) = t.k;
        if (pre == CC_PRE_NONE) {
            BRTLS_I(ip).u64 = t.off;
            first = cc_pos(c, &BRTLS_J(ip, 0));
        } else {
            BRTLSC_E(ip) = pre == CC_PRE_COPY ? pe : pf;
            BRTLSC_F(ip) = pre == CC_PRE_COPY ? pf : ps;
            BRTLSC_I(ip).u64 = t.off;
            first = cc_pos(c, &BRTLSC_J(ip, 0));
        }
    } else if (iop != IOP_BR_TABLE) {
        /* The load joins the branch. */
        cc_taken_load t = cc_take_load(c);
        ip = cc_emit_n(c, iop, (size_t)n + 1);
        if (c->oom)
            return;
        cc_at_load(c, &t);
        BRTL_A(ip) = t.x;
        BRTL_N(ip) = n;
        BRTL_C(ip) = t.k;
        BRTL_I(ip).u64 = t.off;
        first = cc_pos(c, &BRTL_J(ip, 0));
    } else {
        cc_entry idx = cc_pop(c);
        uint32_t si = cc_slot(c, &idx);
        ip = cc_emit_n(c, IOP_BR_TABLE, (size_t)n + 1);
        if (c->oom)
            return;
        BRT_A(ip) = si;
        BRT_N(ip) = n;
        first = cc_pos(c, &BRT_I(ip, 0));
    }
    const uint8_t *p = in->imm.br_table.targets;
    uint32_t *depths = malloc(((size_t)n + 1) * sizeof *depths);
    if (!depths) {
        c->oom = true;
        return;
    }
    for (uint32_t i = 0; i <= n; i++)
        depths[i] = wasm_br_table_next(&p);
    for (uint32_t i = 0; i <= n && !c->oom; i++) {
        cc_ctrl *l = cc_label(c, depths[i]);
        if (!cc_needs_moves(c, l)) {
            cc_target(c, first + i, l);
            continue;
        }
        cc_add_target(c, first + i);
        c->code[first + i].u64 = c->n;
        cc_barrier(c);
        cc_branch(c, l);
    }
    free(depths);
}

/* ---- exceptions -----------------------------------------------------------
 *
 * Nothing runs on entering a try_table or a try: their bodies become
 * regions of the handler table (interp.h), searched only by a throw. */

/* The region of try block l's body, starting here. */
static void cc_open_region(cc *c, cc_ctrl *l)
{
    if (wasm_vec_reserve((void **)&c->regions, &c->rcap, c->nregions + 1,
                         sizeof *c->regions)) {
        c->oom = true;
        return;
    }
    cc_barrier(c);
    wasm_eregion *r = &c->regions[c->nregions];
    r->start = (uint32_t)c->n;
    r->end = UINT32_MAX;
    r->parent = c->cur_region;
    r->first = r->n = 0;
    l->outer = c->cur_region;
    l->region = l->region_in = c->cur_region = (int32_t)c->nregions++;
}

/* The body of try block l ends here (once: a legacy try's first catch). */
static void cc_close_region(cc *c, cc_ctrl *l)
{
    if (c->oom || l->region < 0 || c->regions[l->region].end != UINT32_MAX)
        return;
    c->regions[l->region].end = (uint32_t)c->n;
    c->cur_region = l->region_in = l->outer;
}

/* Where clause e (index k, unless pending) hands its values to label l:
 * the label's home slots, or the results' (slot 0) for the function's. */
static void cc_clause_label(cc *c, wasm_eclause *e, cc_ctrl *l, uint32_t k)
{
    e->dst = l->kind == C_FUNC ? 0 : cc_home_at(c, l->height);
    if (l->kind == C_LOOP) {
        e->target = l->loop_pos;
    } else {
        e->target = l->catch_patch;
        l->catch_patch = k;
    }
}

static void cc_try_table(cc *c, const wasm_instr *in)
{
    uint32_t n = in->imm.try_table.count, first = (uint32_t)c->nclauses;
    cc_flush_all(c);
    if (wasm_vec_reserve((void **)&c->clauses, &c->kcap, c->nclauses + n, sizeof *c->clauses)) {
        c->oom = true;
        return;
    }
    const uint8_t *p = in->imm.try_table.catches;
    for (uint32_t i = 0; i < n; i++) {
        wasm_catch k;
        wasm_catch_next(&p, &k);
        wasm_eclause *e = &c->clauses[c->nclauses];
        memset(e, 0, sizeof *e);
        bool ref = k.kind == WASM_CATCH_REF || k.kind == WASM_CATCH_ALL_REF;
        if (k.kind < WASM_CATCH_ALL) {
            e->tag = c->f->inst->tags[k.tag];
            e->ncells = e->tag->ncells;
        }
        e->keep = ref;
        cc_clause_label(c, e, cc_label(c, k.label), (uint32_t)c->nclauses);
        e->exn = ref ? e->dst + e->ncells : UINT32_MAX;
        c->nclauses++;
    }
    cc_ctrl *l = cc_push_ctrl(c, C_TRY_TABLE, in->imm.try_table.block);
    if (!l)
        return;
    cc_open_region(c, l);
    if (!c->oom) {
        c->regions[l->region].first = first;
        c->regions[l->region].n = n;
    }
}

static void cc_try(cc *c, const wasm_instr *in)
{
    cc_flush_all(c);
    cc_ctrl *l = cc_push_ctrl(c, C_TRY, in->imm.block);
    if (!l)
        return;
    l->pend = (uint32_t)c->npend;
    l->exn_slot = c->exn_base + c->ntries++;
    cc_open_region(c, l);
}

/* A legacy catch or catch_all: the previous arm jumps to the end, and a
 * clause of the try starts this one with the tag's values. */
static void cc_legacy_catch(cc *c, const wasm_instr *in)
{
    cc_ctrl *l = &c->ctrl[c->cp - 1];
    cc_fallthrough(c, l);
    if (!l->dead) {
        wasm_icell *ip = cc_emit(c, IOP_BR);
        if (c->oom)
            return;
        uint32_t cell = cc_pos(c, &I_I(ip));
        cc_add_target(c, cell);
        c->code[cell].u64 = l->patch;
        l->patch = cell;
    }
    cc_close_region(c, l);
    l->kind = C_CATCH;
    l->dead = false;
    cc_barrier(c);
    if (wasm_vec_reserve((void **)&c->pend, &c->pcap, c->npend + 1, sizeof *c->pend)) {
        c->oom = true;
        return;
    }
    wasm_eclause *e = &c->pend[c->npend++];
    memset(e, 0, sizeof *e);
    const lw_valtype *types = NULL;
    uint32_t n = 0;
    if (in->op == OP_CATCH) {
        e->tag = c->f->inst->tags[in->imm.index];
        e->ncells = e->tag->ncells;
        types = e->tag->type.params;
        n = e->tag->type.nparams;
    }
    e->dst = cc_home_at(c, l->height);
    e->target = (uint32_t)c->n;
    e->exn = l->exn_slot;
    cc_reset(c, l, n, types);
}

/* At a try block's end: its region ends, and a legacy try's clauses
 * join the table (keeping the exception only when a rethrow may need it). */
static void cc_try_end(cc *c, cc_ctrl *l)
{
    cc_close_region(c, l);
    if (l->kind == C_TRY_TABLE || c->oom)
        return;
    uint32_t n = (uint32_t)c->npend - l->pend;
    if (wasm_vec_reserve((void **)&c->clauses, &c->kcap, c->nclauses + n, sizeof *c->clauses)) {
        c->oom = true;
        return;
    }
    c->regions[l->region].first = (uint32_t)c->nclauses;
    c->regions[l->region].n = n;
    for (uint32_t i = 0; i < n; i++) {
        wasm_eclause *e = &c->clauses[c->nclauses++];
        *e = c->pend[l->pend + i];
        e->keep = l->rethrown;
        if (!l->rethrown)
            e->exn = UINT32_MAX;
    }
    c->npend = l->pend;
}

/* delegate l: the try ends, and what its body throws goes on to the
 * handlers of label l's block (the caller's for the function's). */
static void cc_delegate(cc *c, const wasm_instr *in)
{
    cc_ctrl *l = &c->ctrl[c->cp - 1];
    int32_t to = cc_label(c, in->imm.index + 1)->region_in;
    cc_close_region(c, l);
    if (!c->oom)
        c->regions[l->region].parent = to;
    cc_end(c);
}

static void cc_rethrow(cc *c, const wasm_instr *in)
{
    cc_ctrl *l = cc_label(c, in->imm.index);
    l->rethrown = true;
    wasm_icell *ip = cc_emit(c, IOP_THROW_REF);
    RR_D(ip) = l->exn_slot;
    cc_set_dead(c);
}

static void cc_throw(cc *c, uint32_t tag_index)
{
    lw_tag *tag = c->f->inst->tags[tag_index];
    uint32_t base = cc_call_args(c, &tag->type);
    wasm_icell *ip = cc_emit(c, IOP_THROW);
    RRI_D(ip) = base;
    RRI_I(ip).p = tag;
    cc_set_dead(c);
}

static void cc_instr(cc *c, const wasm_instr *in)
{
    lw_instance *inst = c->f->inst;
    switch (in->op) {
    case OP_NOP:
        return;
    case OP_UNREACHABLE:
        cc_emit(c, IOP_UNREACHABLE);
        cc_set_dead(c);
        return;
    case OP_BLOCK:
        cc_block(c, C_BLOCK, in);
        return;
    case OP_LOOP:
        cc_block(c, C_LOOP, in);
        return;
    case OP_IF:
        cc_block(c, C_IF, in);
        return;
    case OP_BR:
        cc_branch(c, cc_label(c, in->imm.index));
        cc_set_dead(c);
        return;
    case OP_BR_IF: {
        cc_cond k = cc_pop_cond(c);
        cc_branch_if(c, k, cc_label(c, in->imm.index));
        return;
    }
    case OP_BR_TABLE:
        cc_br_table(c, in);
        cc_set_dead(c);
        return;
    case OP_RETURN:
        cc_emit_return(c);
        cc_set_dead(c);
        return;
    case OP_CALL:
    case OP_RETURN_CALL:
        cc_call(c, in->imm.index, in->op == OP_RETURN_CALL);
        return;
    case OP_CALL_INDIRECT:
    case OP_RETURN_CALL_INDIRECT:
        cc_call_indirect(c, in, in->op == OP_RETURN_CALL_INDIRECT);
        return;
    case OP_CALL_REF:
    case OP_RETURN_CALL_REF:
        cc_call_ref(c, in, in->op == OP_RETURN_CALL_REF);
        return;
    case OP_BR_ON_NULL:
    case OP_BR_ON_NON_NULL:
        cc_br_on_null(c, in);
        return;
    case OP_DROP:
        c->sp--;
        return;
    case OP_SELECT:
    case OP_SELECT_T:
        cc_select(c);
        return;
    case OP_LOCAL_GET: {
        cc_entry *e = cc_push(c, E_LOCAL, c->ltype[in->imm.index]);
        e->slot = c->lslot[in->imm.index];
        return;
    }
    case OP_LOCAL_SET:
    case OP_LOCAL_TEE:
        cc_local_set(c, in->imm.index, in->op == OP_LOCAL_TEE);
        return;
    case OP_GLOBAL_GET: {
        lw_global *g = inst->globals[in->imm.index];
        bool wide = g->type.type == LW_V128;
        wasm_icell *ip = cc_emit(c, wide ? IOP_GLOBAL_GET2 : IOP_GLOBAL_GET);
        RRI_I(ip).p = g->val;
        RRI_D(ip) = cc_result(c, g->type.type, !wide);
        return;
    }
    case OP_GLOBAL_SET: {
        lw_global *g = inst->globals[in->imm.index];
        uint32_t s;
        wasm_icell *ip = cc_emit_ops(c, g->type.type == LW_V128 ? IOP_GLOBAL_SET2
                                     : IOP_GLOBAL_SET, 1, &s);
        RRI_D(ip) = s;
        RRI_I(ip).p = g->val;
        return;
    }
    case OP_I32_CONST:
        cc_push_const(c, LW_I32, (uint32_t)in->imm.i32, 0);
        return;
    case OP_I64_CONST:
        cc_push_const(c, LW_I64, (uint64_t)in->imm.i64, 0);
        return;
    case OP_F32_CONST:
        cc_push_const(c, LW_F32, in->imm.f32, 0);
        return;
    case OP_F64_CONST:
        cc_push_const(c, LW_F64, in->imm.f64, 0);
        return;
    case OP_REF_NULL:
        cc_push_const(c, in->imm.reftype, 0, 0);
        return;
    case OP_REF_FUNC:
        cc_push_const(c, LW_FUNCREF, (uint64_t)(uintptr_t)inst->funcs[in->imm.index], 0);
        return;
    case OP_REF_IS_NULL:
    case OP_REF_AS_NON_NULL: {
        cc_entry a = cc_pop(c);
        uint32_t sa = cc_slot(c, &a);
        bool is_null = in->op == OP_REF_IS_NULL;
        wasm_icell *ip = cc_emit(c, is_null ? IOP_REF_IS_NULL : IOP_REF_AS_NON_NULL);
        RR_A(ip) = sa;
        RR_D(ip) = cc_result(c, is_null ? LW_I32 : a.type, true);
        return;
    }
    case OP_REF_EQ: {
        cc_entry b = cc_pop(c), a = cc_pop(c);
        uint32_t sa = cc_slot(c, &a), sb = cc_slot(c, &b);
        wasm_icell *ip = cc_emit(c, IOP_REF_EQ);
        RRR_A(ip) = sa;
        RRR_B(ip) = sb;
        RRR_D(ip) = cc_result(c, LW_I32, true);
        return;
    }
    case OP_TABLE_GET: case OP_TABLE_SET: case OP_TABLE_SIZE: case OP_TABLE_GROW:
    case OP_TABLE_FILL: case OP_TABLE_COPY: case OP_TABLE_INIT: case OP_ELEM_DROP:
        cc_table_op(c, in);
        return;
    case OP_MEMORY_SIZE: case OP_MEMORY_GROW: case OP_MEMORY_FILL:
    case OP_MEMORY_COPY: case OP_MEMORY_INIT: case OP_DATA_DROP:
        cc_memory_op(c, in);
        return;
    case OP_THROW:
        cc_throw(c, in->imm.index);
        return;
    case OP_THROW_REF: {
        cc_entry a = cc_pop(c);
        uint32_t sa = cc_slot(c, &a);
        wasm_icell *ip = cc_emit(c, IOP_THROW_REF);
        RR_D(ip) = sa;
        cc_set_dead(c);
        return;
    }
    case OP_TRY_TABLE:
        cc_try_table(c, in);
        return;
    case OP_TRY:
        cc_try(c, in);
        return;
    case OP_RETHROW:
        cc_rethrow(c, in);
        return;
    default:
        break;
    }
    if (cc_numeric(c, in))
        return;
    if (wasm_opinfo_table[in->op].prefix == 0xFD) {
        cc_simd(c, in);
        return;
    }
    if (wasm_op_is_atomic(in->op)) {
        cc_atomic(c, in);
        return;
    }
    if (wasm_opinfo_table[in->op].prefix == 0xFB) {
        cc_gc(c, in);
        return;
    }
    wasm_fail(c->err, LW_ERR_INVALID, "unsupported instruction %s",
              wasm_opinfo_table[in->op].name);
    c->oom = true;
}

/* ---- the function ---------------------------------------------------------- */

static uint32_t cc_count_tries(cc *c, const lw_code *code)
{
    const uint8_t *p = code->body.code, *end = p + code->body.len;
    uint32_t n = 0;
    wasm_instr in;
    while (p < end && wasm_instr_next(&p, end, code->body.code, code->body.offset,
                                      c->m->features, &in, NULL) == 0)
        n += in.op == OP_TRY;
    return n;
}

static int cc_locals(cc *c, const lw_code *code)
{
    const lw_functype *t = &c->f->type;
    c->nlocals = t->nparams + code->nlocals;
    c->lslot = malloc(((size_t)c->nlocals + 1) * sizeof *c->lslot);
    c->ltype = malloc(((size_t)c->nlocals + 1) * sizeof *c->ltype);
    if (!c->lslot || !c->ltype)
        return -1;
    uint32_t slot = 0, k = 0;
    for (uint32_t i = 0; i < t->nparams; i++, k++) {
        c->lslot[k] = slot;
        c->ltype[k] = t->params[i];
        slot += wasm_cells(t->params[i]);
    }
    c->f->nparam_cells = slot;
    for (uint32_t g = 0; g < code->nlocalgroups; g++)
        for (uint32_t i = 0; i < code->localgroups[g].count; i++, k++) {
            c->lslot[k] = slot;
            c->ltype[k] = code->localgroups[g].type;
            slot += wasm_cells(code->localgroups[g].type);
        }
    /* A slot per legacy try for the exception its catch arms hold. */
    c->exn_base = slot;
    if (c->m->features & LW_FEATURE(EXCEPTIONS))
        slot += cc_count_tries(c, code);
    c->f->nlocal_cells = slot - c->f->nparam_cells;
    c->temp_base = c->max_cells = slot;
    for (uint32_t i = 0; i < c->nlocals; i++)
        if (lw_valtype_is_ref(c->ltype[i]))
            cc_root_slot(c, c->lslot[i]);
    c->nrlocals = c->nrslots;
    return c->oom ? -1 : 0;
}

/* Clauses that branch to the function's label return: a RET after the
 * body is their target. */
static int cc_func_handlers(cc *c)
{
    uint32_t k = c->ctrl[0].catch_patch;
    if (k == CC_NONE)
        return 0;
    uint32_t pos = (uint32_t)c->n;
    cc_emit(c, IOP_RET);
    while (k != CC_NONE && !c->oom) {
        uint32_t next = c->clauses[k].target;
        c->clauses[k].target = pos;
        k = next;
    }
    return c->oom ? -1 : 0;
}

static int cc_translate(cc *c, const lw_code *code)
{
    const uint8_t *p = code->body.code, *end = p + code->body.len;
    c->cur_region = -1;
    cc_ctrl *fl = cc_push_ctrl(c, C_FUNC, -64);
    if (!fl)
        return -1;
    fl->nresults = c->f->type.nresults;
    fl->results = c->f->type.results;
    uint32_t skip = 0;
    while (p < end && !c->oom) {
        wasm_instr in;
        if (wasm_instr_next(&p, end, code->body.code, code->body.offset, c->m->features,
                            &in, c->err))
            return -1;
        c->offset = code->body.offset + in.offset;
        if (c->ctrl[c->cp - 1].dead) {
            if (in.op == OP_BLOCK || in.op == OP_LOOP || in.op == OP_IF ||
                in.op == OP_TRY || in.op == OP_TRY_TABLE) {
                skip++;
                continue;
            }
            if (skip && (in.op == OP_END || in.op == OP_DELEGATE)) {
                skip--;
                continue;
            }
            if (skip || (in.op != OP_ELSE && in.op != OP_END && in.op != OP_CATCH &&
                         in.op != OP_CATCH_ALL && in.op != OP_DELEGATE))
                continue;
        }
        if (in.op == OP_ELSE) {
            cc_else(c);
        } else if (in.op == OP_CATCH || in.op == OP_CATCH_ALL) {
            cc_legacy_catch(c, &in);
        } else if (in.op == OP_DELEGATE) {
            cc_delegate(c, &in);
        } else if (in.op == OP_END) {
            if (cc_end(c))
                return c->oom ? -1 : cc_func_handlers(c);
        } else {
            cc_instr(c, &in);
        }
    }
    return -1;
}

static int cc_finish(cc *c)
{
    lw_func *f = c->f;
    wasm_icell *code = realloc(c->code, (c->n ? c->n : 1) * sizeof *code);
    if (!code)
        return -1;
    c->code = NULL;
    /* The targets of br_table copies, all bound by now. */
    for (size_t i = 0; i < c->ndups; i++)
        for (uint32_t k = 0; k < c->dups[i].n; k++)
            code[c->dups[i].to + k].u64 = code[c->dups[i].from + k].u64;
    for (size_t i = 0; i < c->ntcells; i++)
        code[c->tcells[i]].t = code + code[c->tcells[i]].u64;
    f->code = code;
    f->map = c->map;
    f->nmap = (uint32_t)c->nmap;
    c->map = NULL;
    f->frame_cells = c->max_cells + 2;
    f->nresult_cells = 0;
    for (uint32_t i = 0; i < f->type.nresults; i++)
        f->nresult_cells += wasm_cells(f->type.results[i]);
    if (f->frame_cells < f->nresult_cells)
        f->frame_cells = f->nresult_cells;
    if (f->frame_cells < f->nparam_cells + WASM_ZEROED)
        f->frame_cells = f->nparam_cells + WASM_ZEROED;
    if (c->nregions) {
        wasm_handlers *h = wasm_arena_alloc(c->arena, sizeof *h);
        if (!h)
            return -1;
        h->regions = wasm_arena_memdup(c->arena, c->regions, c->nregions * sizeof *c->regions);
        h->clauses = c->nclauses ? wasm_arena_memdup(c->arena, c->clauses,
                                                     c->nclauses * sizeof *c->clauses)
                                 : NULL;
        if (!h->regions || (c->nclauses && !h->clauses))
            return -1;
        h->nregions = (uint32_t)c->nregions;
        h->nclauses = (uint32_t)c->nclauses;
        f->handlers = h;
    }
    if (cc_roots_finish(c))
        return -1;
    f->extra = c->arena;
    c->arena = NULL;
    return 0;
}

int wasm_compile(lw_func *f, lw_error *err)
{
    const lw_module *m = f->inst->module;
    cc c;
    memset(&c, 0, sizeof c);
    c.f = f;
    c.m = m;
    c.err = err;
    c.h = wasm_interp_handlers();
    cc_barrier(&c);
    c.arena = malloc(sizeof *c.arena);
    if (c.arena)
        wasm_arena_init(c.arena);
    if (err)
        err->kind = LW_OK;
    const lw_code *code = &m->codes[f->index - m->nfunc_imports];
    int rc = -1;
    if (c.arena && cc_locals(&c, code) == 0 && cc_translate(&c, code) == 0 && !c.oom)
        rc = cc_finish(&c);
    if (rc && (!err || err->kind == LW_OK))
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    free(c.code);
    free(c.map);
    free(c.tcells);
    free(c.dups);
    free(c.stack);
    free(c.ctrl);
    free(c.lslot);
    free(c.ltype);
    free(c.regions);
    free(c.clauses);
    free(c.pend);
    free(c.rslots);
    free(c.rsites);
    if (c.arena) {
        wasm_arena_free(c.arena);
        free(c.arena);
    }
    return rc;
}

void wasm_compiled_free(lw_func *f)
{
    free(f->code);
    free(f->map);
    if (f->extra) {
        wasm_arena_free(f->extra);
        free(f->extra);
    }
    f->code = NULL;
    f->map = NULL;
    f->extra = NULL;
    f->handlers = NULL;
    f->roots = NULL;
}
