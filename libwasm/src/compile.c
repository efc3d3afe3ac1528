/* Translation of a validated function body into register code (interp.h).
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

enum { C_FUNC, C_BLOCK, C_LOOP, C_IF };

typedef struct {
    uint8_t kind;
    bool dead;                /* the rest of this arm is unreachable */
    uint32_t height;          /* stack entries below the label's values */
    uint32_t nparams, nresults;
    const lw_valtype *params, *results;
    uint32_t loop_pos;
    uint32_t patch;           /* chain of forward branches to the end */
    uint32_t else_patch;      /* if: the jump to the else arm */
} cc_ctrl;

/* Condition of a branch: a slot (non-zero / zero) or a fused compare. */
typedef struct {
    int kind;                 /* 0 nz, 1 z, 2 compare, 3 compare with imm */
    uint16_t cmp;             /* OP_* of the compare */
    uint32_t a, b;
    uint64_t imm;
    /* An i32.add of a constant to a, right before the compare (kinds 2, 3). */
    bool inc;
    uint32_t inc_pos, inc_x, inc_k;
} cc_cond;

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
    cc_entry *stack;
    size_t sp, scap;
    cc_ctrl *ctrl;
    size_t cp, ccap;
    uint32_t *lslot;          /* slot of each local */
    lw_valtype *ltype;
    uint32_t nlocals, temp_base, max_cells;
    uint32_t offset;          /* binary offset of the current instruction */
    bool checked;             /* memory 0 has no guard pages */
    wasm_arena *arena;
    /* The last instruction, for forwarding and fusion. */
    uint32_t last_pos, last_dst;
    bool last_fwd;
    int last_cmp;             /* OP_* of a compare (or eqz) result, else -1 */
    cc_cond last_cond;
    int last_add;             /* last is i32.add: 2 of two slots, 3 with imm */
    int last_mov;             /* last is COPY or MOVn: its number of moves */
    bool last_shl;            /* last is i32.shl by a constant */
    uint32_t shl_a, shl_k;
    uint32_t add_a, add_b;
    bool oom;
    lw_error *err;
} cc;

/* ---- opcode -> handler maps ------------------------------------------ */

enum { K_NONE, K_UN, K_BIN, K_BINI, K_CMP, K_TRAPBIN, K_TRAPUN, K_LOAD,
       K_STORE, K_RELABEL };

static uint8_t cc_kind[OP_COUNT];
static uint16_t cc_iop[OP_COUNT];
static uint16_t cc_negate[OP_COUNT], cc_flip[OP_COUNT], cc_inc[OP_COUNT];
static bool cc_commutes[OP_COUNT];

static void cc_init_maps(void)
{
#define M(op, k, iop) cc_kind[OP_##op] = k, cc_iop[OP_##op] = IOP_##iop;
#define MUN(op, ...) M(op, K_UN, op)
#define MBIN(op, ...) M(op, K_BIN, op)
#define MBINI(op, ...) M(op, K_BINI, op)
#define MCMP(op, ...) M(op, K_CMP, op)
#define MTB(op, ...) M(op, K_TRAPBIN, op)
#define MTU(op, ...) M(op, K_TRAPUN, op)
    WASM_UNOPS(MUN) WASM_BINOPS(MBIN) WASM_BINOPS_IMM(MBINI)
    WASM_CMPOPS(MCMP) WASM_TRAPBINOPS(MTB) WASM_TRAPUNOPS(MTU)
    M(I32_LOAD, K_LOAD, LD32) M(F32_LOAD, K_LOAD, LD32)
    M(I64_LOAD, K_LOAD, LD64) M(F64_LOAD, K_LOAD, LD64)
    M(I32_LOAD8_S, K_LOAD, LD8S32) M(I32_LOAD8_U, K_LOAD, LD8U32)
    M(I32_LOAD16_S, K_LOAD, LD16S32) M(I32_LOAD16_U, K_LOAD, LD16U32)
    M(I64_LOAD8_S, K_LOAD, LD8S64) M(I64_LOAD8_U, K_LOAD, LD8U32)
    M(I64_LOAD16_S, K_LOAD, LD16S64) M(I64_LOAD16_U, K_LOAD, LD16U32)
    M(I64_LOAD32_S, K_LOAD, LD32S64) M(I64_LOAD32_U, K_LOAD, LD32)
    M(I32_STORE, K_STORE, ST32) M(F32_STORE, K_STORE, ST32)
    M(I64_STORE, K_STORE, ST64) M(F64_STORE, K_STORE, ST64)
    M(I32_STORE8, K_STORE, ST8) M(I64_STORE8, K_STORE, ST8)
    M(I32_STORE16, K_STORE, ST16) M(I64_STORE16, K_STORE, ST16)
    M(I64_STORE32, K_STORE, ST32)
    M(I32_REINTERPRET_F32, K_RELABEL, EXIT) M(F32_REINTERPRET_I32, K_RELABEL, EXIT)
    M(I64_REINTERPRET_F64, K_RELABEL, EXIT) M(F64_REINTERPRET_I64, K_RELABEL, EXIT)
#define MINC(op, ...) cc_inc[OP_##op] = IOP_INC_BR_##op;
    WASM_CMPOPS32(MINC)
#undef MINC
#undef M
#undef MUN
#undef MBIN
#undef MBINI
#undef MCMP
#undef MTB
#undef MTU
    static const uint16_t pairs[][2] = {
        {OP_I32_EQ, OP_I32_NE}, {OP_I32_LT_S, OP_I32_GE_S}, {OP_I32_LT_U, OP_I32_GE_U},
        {OP_I32_GT_S, OP_I32_LE_S}, {OP_I32_GT_U, OP_I32_LE_U},
        {OP_I64_EQ, OP_I64_NE}, {OP_I64_LT_S, OP_I64_GE_S}, {OP_I64_LT_U, OP_I64_GE_U},
        {OP_I64_GT_S, OP_I64_LE_S}, {OP_I64_GT_U, OP_I64_LE_U},
    };
    for (size_t i = 0; i < COUNTOF(pairs); i++) {
        cc_negate[pairs[i][0]] = pairs[i][1];
        cc_negate[pairs[i][1]] = pairs[i][0];
    }
    static const uint16_t flips[][2] = {
        {OP_I32_EQ, OP_I32_EQ}, {OP_I32_NE, OP_I32_NE},
        {OP_I32_LT_S, OP_I32_GT_S}, {OP_I32_LT_U, OP_I32_GT_U},
        {OP_I32_LE_S, OP_I32_GE_S}, {OP_I32_LE_U, OP_I32_GE_U},
        {OP_I64_EQ, OP_I64_EQ}, {OP_I64_NE, OP_I64_NE},
        {OP_I64_LT_S, OP_I64_GT_S}, {OP_I64_LT_U, OP_I64_GT_U},
        {OP_I64_LE_S, OP_I64_GE_S}, {OP_I64_LE_U, OP_I64_GE_U},
    };
    for (size_t i = 0; i < COUNTOF(flips); i++) {
        cc_flip[flips[i][0]] = flips[i][1];
        cc_flip[flips[i][1]] = flips[i][0];
    }
    static const uint16_t comm[] = {
        OP_I32_ADD, OP_I32_MUL, OP_I32_AND, OP_I32_OR, OP_I32_XOR,
        OP_I64_ADD, OP_I64_MUL, OP_I64_AND, OP_I64_OR, OP_I64_XOR,
    };
    for (size_t i = 0; i < COUNTOF(comm); i++)
        cc_commutes[comm[i]] = true;
}

/* ---- emitting ---------------------------------------------------------- */

static wasm_icell *cc_emit(cc *c, int iop, size_t ncells)
{
    if (wasm_vec_reserve((void **)&c->code, &c->cap, c->n + ncells, sizeof *c->code) ||
        wasm_vec_reserve((void **)&c->map, &c->mapcap, c->nmap + 1, sizeof *c->map)) {
        c->oom = true;
        static wasm_icell sink[8];
        return sink;
    }
    wasm_icell *ip = c->code + c->n;
    memset(ip, 0, ncells * sizeof *ip);
    ip->h = c->h[iop];
    c->map[c->nmap].pos = (uint32_t)c->n;
    c->map[c->nmap].offset = c->offset;
    c->nmap++;
    c->last_pos = (uint32_t)c->n;
    c->last_fwd = false;
    c->last_cmp = -1;
    c->last_add = 0;
    c->last_mov = 0;
    c->last_shl = false;
    c->n += ncells;
    return ip;
}

/* Forget the last instruction (a label is bound, or it must stay). */
static void cc_barrier(cc *c)
{
    c->last_pos = CC_NONE;
    c->last_fwd = false;
    c->last_cmp = -1;
    c->last_add = 0;
    c->last_mov = 0;
    c->last_shl = false;
}

/* Drop the last instruction (it is being folded into the next). */
static void cc_unemit(cc *c)
{
    c->n = c->last_pos;
    if (c->nmap && c->map[c->nmap - 1].pos == c->last_pos)
        c->nmap--;
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
        static cc_entry sink;
        return &sink;
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
    static const int movs[] = {IOP_COPY, IOP_MOV2, IOP_MOV3, IOP_MOV4};
    if (dst == src)
        return;
    if (type != LW_V128 && c->last_pos != CC_NONE && c->last_mov &&
        c->last_mov < 4 && c->last_pos + 1 + c->last_mov == c->n) {
        if (wasm_vec_reserve((void **)&c->code, &c->cap, c->n + 1, sizeof *c->code)) {
            c->oom = true;
            return;
        }
        c->code[c->n].w.a = dst;
        c->code[c->n].w.b = src;
        c->n++;
        c->code[c->last_pos].h = c->h[movs[c->last_mov]];
        c->last_mov++;
        return;
    }
    wasm_icell *ip = cc_emit(c, type == LW_V128 ? IOP_COPY2 : IOP_COPY, 2);
    ip[1].w.a = dst;
    ip[1].w.b = src;
    if (type != LW_V128)
        c->last_mov = 1;
}

static void cc_emit_const(cc *c, lw_valtype type, uint32_t dst, const uint64_t *v)
{
    if (type == LW_V128) {
        wasm_icell *ip = cc_emit(c, IOP_CONST2, 4);
        ip[1].w.a = dst;
        ip[2].u64 = v[0];
        ip[3].u64 = v[1];
    } else {
        wasm_icell *ip = cc_emit(c, IOP_CONST, 3);
        ip[1].w.a = dst;
        ip[2].u64 = v[0];
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

static void cc_emit_return(cc *c)
{
    const lw_functype *t = &c->f->type;
    if (t->nresults == 1 && c->last_fwd && cc_top_is_last(c)) {
        /* The result's producer writes the return slot directly. */
        c->code[c->last_pos + 1].w.a = 0;
        cc_barrier(c);
    } else {
        cc_moves(c, t->nresults, t->results, 0, true);
    }
    cc_emit(c, IOP_RET, 1);
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
    cc_emit(c, IOP_BR, 2);
    cc_target(c, (uint32_t)c->n - 1, l);
}

static cc_cond cc_negated(cc_cond k)
{
    if (k.kind <= 1)
        k.kind ^= 1;
    else
        k.cmp = cc_negate[k.cmp];
    return k;
}

/* Emit "if k goto ...": returns the target cell to fill. */
static uint32_t cc_emit_cond(cc *c, cc_cond k)
{
    wasm_icell *ip;
    if (k.inc && k.kind >= 2 && c->n == k.inc_pos + 3 && !c->oom) {
        /* The counter's step joins the branch. */
        c->n = k.inc_pos;
        if (c->nmap && c->map[c->nmap - 1].pos == k.inc_pos)
            c->nmap--;
        ip = cc_emit(c, cc_inc[k.cmp] + (k.kind == 3), k.kind == 3 ? 5 : 4);
        ip[1].w.a = k.a;
        ip[1].w.b = k.inc_x;
        ip[2].w.a = k.inc_k;
        if (k.kind == 3)
            ip[3].u64 = k.imm;
        else
            ip[2].w.b = k.b;
        return (uint32_t)c->n - 1;
    }
    switch (k.kind) {
    case 0:
    case 1:
        ip = cc_emit(c, k.kind == 0 ? IOP_BR_IF : IOP_BR_UNLESS, 3);
        ip[1].w.a = k.a;
        return (uint32_t)c->n - 1;
    case 2:
        ip = cc_emit(c, cc_iop[k.cmp] + 2, 3);
        ip[1].w.a = k.a;
        ip[1].w.b = k.b;
        return (uint32_t)c->n - 1;
    default:
        ip = cc_emit(c, cc_iop[k.cmp] + 3, 4);
        ip[1].w.a = k.a;
        ip[2].u64 = k.imm;
        return (uint32_t)c->n - 1;
    }
}

/* Pop an i32 condition, folding the compare that produced it. */
static cc_cond cc_pop_cond(cc *c)
{
    cc_entry *e = &c->stack[c->sp - 1];
    cc_cond k = {0};
    if (e->kind == E_TEMP && c->last_cmp >= 0 && c->last_pos != CC_NONE &&
        e->slot == c->last_dst) {
        k = c->last_cond;
        cc_unemit(c);
        c->sp--;
        return k;
    }
    k.a = cc_slot(c, e);
    c->sp--;
    return k;
}

/* br_if: branch to l when k holds. */
static void cc_branch_if(cc *c, cc_cond k, cc_ctrl *l)
{
    if (!cc_needs_moves(c, l)) {
        uint32_t cell = cc_emit_cond(c, k);
        cc_target(c, cell, l);
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
        LW_I32, LW_I64, LW_F32, LW_F64, LW_V128, LW_FUNCREF, LW_EXTERNREF,
    };
    l->nparams = l->nresults = 0;
    l->params = l->results = NULL;
    if (bt == -64)
        return;
    if (bt < 0) {
        lw_valtype t = wasm_block_valtype(bt);
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
    l->patch = l->else_patch = CC_NONE;
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
        cc_emit(c, IOP_BR, 2);
        if (c->oom)
            return;
        uint32_t cell = (uint32_t)c->n - 1;
        cc_add_target(c, cell);
        c->code[cell].u64 = l->patch;
        l->patch = cell;
    }
    cc_bind(c, l->else_patch);
    l->else_patch = CC_NONE;
    l->dead = false;
    cc_reset(c, l, l->nparams, l->params);
}

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
    cc_fallthrough(c, l);
    cc_bind(c, l->patch);
    cc_bind(c, l->else_patch);
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
    c->last_dst = e->home;
    c->last_fwd = fwd;
    return e->home;
}

/* Is the top entry the fresh result of the last instruction? */
static bool cc_top_is_last(cc *c)
{
    const cc_entry *e = &c->stack[c->sp - 1];
    return c->last_pos != CC_NONE && e->kind == E_TEMP && e->slot == c->last_dst;
}

static void cc_unop(cc *c, uint16_t op, lw_valtype rtype)
{
    if (op == OP_I32_EQZ && cc_top_is_last(c) && c->last_cmp >= 0 &&
        cc_kind[c->last_cmp] == K_CMP) {
        /* eqz of a compare: the negated compare, same operands. */
        uint16_t neg = cc_negate[c->last_cond.cmp];
        c->code[c->last_pos].h = c->h[cc_iop[neg] + (c->last_cond.kind == 3)];
        c->last_cond.cmp = neg;
        c->last_cmp = neg;
        return;
    }
    cc_entry a = cc_pop(c);
    uint32_t sa = cc_slot(c, &a);
    wasm_icell *ip = cc_emit(c, cc_iop[op], 2);
    ip[1].w.b = sa;
    ip[1].w.a = cc_result(c, rtype, true);
    if (op == OP_I32_EQZ || op == OP_I64_EQZ) {
        c->last_cmp = op;
        c->last_cond.kind = 1;
        c->last_cond.a = sa;
        if (op == OP_I64_EQZ) {
            c->last_cond.kind = 3;
            c->last_cond.cmp = OP_I64_EQ;
            c->last_cond.imm = 0;
        }
    }
}

/* i32.add of a shifted index (base + (i << k)): one instruction.  The
 * shift is the last instruction and its result one of the operands. */
static bool cc_add_shl(cc *c)
{
    if (!c->last_shl || c->last_pos == CC_NONE)
        return false;
    cc_entry *a = &c->stack[c->sp - 2], *b = &c->stack[c->sp - 1];
    cc_entry *other;
    if (b->kind == E_TEMP && b->slot == c->last_dst)
        other = a;
    else if (a->kind == E_TEMP && a->slot == c->last_dst && b->kind != E_TEMP)
        other = b;
    else
        return false;
    if (other->kind == E_CONST)
        return false;
    uint32_t x = other->slot, y = c->shl_a, k = c->shl_k;
    cc_unemit(c);
    c->sp -= 2;
    wasm_icell *ip = cc_emit(c, IOP_I32_ADD_SHL, 3);
    ip[1].w.b = x;
    ip[2].w.a = y;
    ip[2].w.b = k;
    ip[1].w.a = cc_result(c, LW_I32, true);
    return true;
}

static void cc_binop(cc *c, uint16_t op, lw_valtype rtype)
{
    if (op == OP_I32_ADD && cc_add_shl(c))
        return;
    cc_entry b = cc_pop(c), a = cc_pop(c);
    uint8_t kind = cc_kind[op];
    bool has_imm = kind == K_BINI || kind == K_CMP;
    if (has_imm && a.kind == E_CONST && b.kind != E_CONST) {
        if (cc_commutes[op] || kind == K_CMP) {
            cc_entry t = a;
            a = b;
            b = t;
            if (kind == K_CMP)
                op = cc_flip[op];
        }
    }
    /* Each entry keeps its own home, so swapping them is safe. */
    cc_entry ea = a, eb = b;
    uint32_t sa = cc_slot(c, &ea);
    wasm_icell *ip;
    cc_cond k = {0};
    k.cmp = op;
    k.a = sa;
    if (kind == K_CMP && cc_inc[op] && c->last_pos != CC_NONE && c->last_add == 3 &&
        c->n == c->last_pos + 3 && c->code[c->last_pos + 1].w.a == sa) {
        k.inc = true;
        k.inc_pos = c->last_pos;
        k.inc_x = c->add_a;
        k.inc_k = c->add_b;
    }
    if (has_imm && eb.kind == E_CONST) {
        ip = cc_emit(c, cc_iop[op] + 1, 3);
        ip[1].w.b = sa;
        ip[2].u64 = eb.c[0];
        k.kind = 3;
        k.imm = eb.c[0];
    } else {
        uint32_t sb = cc_slot(c, &eb);
        ip = cc_emit(c, cc_iop[op], 3);
        ip[1].w.b = sa;
        ip[2].w.a = sb;
        k.kind = 2;
        k.b = sb;
    }
    ip[1].w.a = cc_result(c, rtype, true);
    if (kind == K_CMP) {
        c->last_cmp = op;
        c->last_cond = k;
    }
    if (op == OP_I32_SHL && k.kind == 3) {
        c->last_shl = true;
        c->shl_a = sa;
        c->shl_k = (uint32_t)eb.c[0] & 31;
    }
    if (op == OP_I32_ADD && (k.kind == 2 || eb.c[0] <= UINT32_MAX)) {
        c->last_add = k.kind;
        c->add_a = sa;
        c->add_b = k.kind == 2 ? k.b : (uint32_t)eb.c[0];
    }
}

static void cc_trapbin(cc *c, uint16_t op, lw_valtype rtype)
{
    cc_entry b = cc_pop(c), a = cc_pop(c);
    uint32_t sa = cc_slot(c, &a), sb = cc_slot(c, &b);
    wasm_icell *ip = cc_emit(c, cc_iop[op], 3);
    ip[1].w.b = sa;
    ip[2].w.a = sb;
    ip[1].w.a = cc_result(c, rtype, true);
}

static void cc_load(cc *c, uint16_t op, const wasm_instr *in, lw_valtype rtype)
{
    if (!c->checked && c->last_add && cc_top_is_last(c)) {
        int form = c->last_add;
        uint32_t x = c->add_a, y = c->add_b;
        cc_unemit(c);
        c->sp--;
        wasm_icell *ip = cc_emit(c, cc_iop[op] + form, 4);
        ip[1].w.b = x;
        ip[2].w.a = y;
        ip[3].u64 = in->imm.mem.offset;
        ip[1].w.a = cc_result(c, rtype, true);
        return;
    }
    cc_entry a = cc_pop(c);
    uint32_t sa = cc_slot(c, &a);
    wasm_icell *ip = cc_emit(c, cc_iop[op] + (c->checked ? 1 : 0), 3);
    ip[1].w.b = sa;
    ip[2].u64 = in->imm.mem.offset;
    ip[1].w.a = cc_result(c, rtype, true);
}

static void cc_store(cc *c, uint16_t op, const wasm_instr *in)
{
    cc_entry v = cc_pop(c), a = cc_pop(c);
    uint32_t sa = cc_slot(c, &a), sv = cc_slot(c, &v);
    wasm_icell *ip = cc_emit(c, cc_iop[op] + (c->checked ? 1 : 0), 3);
    ip[1].w.a = sa;
    ip[1].w.b = sv;
    ip[2].u64 = in->imm.mem.offset;
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
    if (!pending && c->last_fwd && c->last_pos != CC_NONE &&
        top->kind == E_TEMP && top->slot == c->last_dst) {
        c->code[c->last_pos + 1].w.a = slot;
        /* Only the counter-step fusion may still look at it. */
        int add = c->last_add;
        uint32_t pos = c->last_pos;
        cc_barrier(c);
        if (add == 3) {
            c->last_pos = pos;
            c->last_add = add;
        }
    } else {
        for (size_t i = 0; i + 1 < c->sp; i++)
            if (c->stack[i].kind == E_LOCAL && c->stack[i].slot == slot)
                cc_flush(c, &c->stack[i]);
        if (!(top->kind == E_LOCAL && top->slot == slot))
            cc_move(c, top, slot);
        cc_barrier(c);
    }
    c->sp--;
    if (tee) {
        cc_entry *e = cc_push(c, E_LOCAL, type);
        e->slot = slot;
    }
}

static void cc_select(cc *c)
{
    cc_entry k = cc_pop(c), b = cc_pop(c), a = cc_pop(c);
    uint32_t sa = cc_slot(c, &a), sb = cc_slot(c, &b), sk = cc_slot(c, &k);
    wasm_icell *ip = cc_emit(c, a.type == LW_V128 ? IOP_SELECT2 : IOP_SELECT, 3);
    ip[1].w.b = sa;
    ip[2].w.a = sb;
    ip[2].w.b = sk;
    ip[1].w.a = cc_result(c, a.type, false);
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

static void cc_call(cc *c, uint32_t fidx)
{
    lw_func *callee = c->f->inst->funcs[fidx];
    const lw_functype *t = &c->m->types[c->m->func_types[fidx]];
    uint32_t base = cc_call_args(c, t);
    bool near = callee->inst == c->f->inst;
    wasm_icell *ip = cc_emit(c, near ? IOP_CALL : IOP_CALL_FAR, 3);
    ip[1].p = callee;
    ip[2].w.a = base;
    cc_call_results(c, t);
}

static void cc_call_indirect(cc *c, const wasm_instr *in)
{
    const lw_functype *t = &c->m->types[in->imm.pair.a];
    cc_entry idx = cc_pop(c);
    uint32_t si = cc_slot(c, &idx);
    uint32_t base = cc_call_args(c, t);
    wasm_icell *ip = cc_emit(c, IOP_CALL_INDIRECT, 4);
    ip[1].p = c->f->inst->tables[in->imm.pair.b];
    ip[2].w.a = si;
    ip[2].w.b = base;
    ip[3].u64 = c->f->inst->type_ids[in->imm.pair.a];   /* canonical type id */
    cc_call_results(c, t);
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

static wasm_icell *cc_emit_ops(cc *c, int iop, size_t ncells, uint32_t nops,
                               uint32_t *s)
{
    cc_pop_slots(c, nops, s);
    return cc_emit(c, iop, ncells);
}

static void cc_table_op(cc *c, const wasm_instr *in)
{
    lw_instance *inst = c->f->inst;
    uint32_t s[3];
    wasm_icell *ip;
    switch (in->op) {
    case OP_TABLE_GET: {
        lw_table *t = inst->tables[in->imm.index];
        ip = cc_emit_ops(c, IOP_TABLE_GET, 3, 1, s);
        ip[1].w.b = s[0];
        ip[2].p = t;
        ip[1].w.a = cc_result(c, t->type.reftype, true);
        break;
    }
    case OP_TABLE_SET:
        ip = cc_emit_ops(c, IOP_TABLE_SET, 3, 2, s);
        ip[1].w.a = s[0];
        ip[1].w.b = s[1];
        ip[2].p = inst->tables[in->imm.index];
        break;
    case OP_TABLE_SIZE:
        ip = cc_emit(c, IOP_TABLE_SIZE, 3);
        ip[2].p = inst->tables[in->imm.index];
        ip[1].w.a = cc_result(c, LW_I32, true);
        break;
    case OP_TABLE_GROW:
        ip = cc_emit_ops(c, IOP_TABLE_GROW, 4, 2, s);
        ip[1].w.b = s[0];
        ip[2].w.a = s[1];
        ip[3].p = inst->tables[in->imm.index];
        ip[1].w.a = cc_result(c, LW_I32, false);
        break;
    case OP_TABLE_FILL:
        ip = cc_emit_ops(c, IOP_TABLE_FILL, 4, 3, s);
        ip[1].w.a = s[0];
        ip[1].w.b = s[1];
        ip[2].w.a = s[2];
        ip[3].p = inst->tables[in->imm.index];
        break;
    case OP_TABLE_COPY:
        ip = cc_emit_ops(c, IOP_TABLE_COPY, 5, 3, s);
        ip[1].w.a = s[0];
        ip[1].w.b = s[1];
        ip[2].w.a = s[2];
        ip[3].p = inst->tables[in->imm.pair.a];
        ip[4].p = inst->tables[in->imm.pair.b];
        break;
    case OP_TABLE_INIT:
        ip = cc_emit_ops(c, IOP_TABLE_INIT, 4, 3, s);
        ip[1].w.a = s[0];
        ip[1].w.b = s[1];
        ip[2].w.a = s[2];
        ip[2].w.b = in->imm.pair.a;
        ip[3].p = inst->tables[in->imm.pair.b];
        break;
    default:
        ip = cc_emit(c, IOP_ELEM_DROP, 2);
        ip[1].w.a = in->imm.index;
        break;
    }
}

static void cc_memory_op(cc *c, const wasm_instr *in)
{
    uint32_t s[3];
    wasm_icell *ip;
    switch (in->op) {
    case OP_MEMORY_SIZE:
        ip = cc_emit(c, IOP_MEMORY_SIZE, 2);
        ip[1].w.a = cc_result(c, LW_I32, true);
        break;
    case OP_MEMORY_GROW:
        ip = cc_emit_ops(c, IOP_MEMORY_GROW, 2, 1, s);
        ip[1].w.b = s[0];
        ip[1].w.a = cc_result(c, LW_I32, false);
        break;
    case OP_MEMORY_FILL:
    case OP_MEMORY_COPY:
    case OP_MEMORY_INIT:
        ip = cc_emit_ops(c, in->op == OP_MEMORY_FILL ? IOP_MEMORY_FILL
                         : in->op == OP_MEMORY_COPY ? IOP_MEMORY_COPY
                         : IOP_MEMORY_INIT, 3, 3, s);
        ip[1].w.a = s[0];
        ip[1].w.b = s[1];
        ip[2].w.a = s[2];
        ip[2].w.b = in->imm.pair.a;
        break;
    default:
        ip = cc_emit(c, IOP_DATA_DROP, 2);
        ip[1].w.a = in->imm.index;
        break;
    }
}

static wasm_simd_rec *cc_simd_rec(cc *c, const wasm_instr *in)
{
    wasm_simd_rec *r = wasm_arena_alloc(c->arena, sizeof *r);
    if (!r) {
        c->oom = true;
        static wasm_simd_rec sink;
        return &sink;
    }
    r->ins = *in;
    return r;
}

/* SIMD: memory forms through the load/store helpers, the rest through
 * wasm_simd_apply; operand and result types come from the table. */
static void cc_simd(cc *c, const wasm_instr *in)
{
    const wasm_opinfo *oi = &wasm_opinfo_table[in->op];
    wasm_simd_rec *r = cc_simd_rec(c, in);
    wasm_icell *ip;
    uint32_t s[3] = {0, 0, 0};
    if (oi->imm == IMM_MEMARG || oi->imm == IMM_MEMARG_LANE) {
        bool store = oi->result == T____;
        uint32_t nops = oi->operands[1] == T_V128 ? 2 : 1;
        int iop = store ? IOP_SIMD_STORE : IOP_SIMD_LOAD;
        ip = cc_emit_ops(c, iop + (c->checked ? 2 : 0), 4, nops, s);
        ip[2].u64 = in->imm.mem.offset;
        ip[3].p = r;
        if (store) {
            ip[1].w.a = s[0];
            ip[1].w.b = s[1];
        } else {
            ip[1].w.b = s[0];
            r->vslot = nops == 2 ? s[1] : s[0];
            ip[1].w.a = cc_result(c, LW_V128, false);
        }
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
    ip = cc_emit_ops(c, IOP_SIMD, 4, nops, s);
    ip[1].w.b = s[0];
    ip[2].w.a = s[1];
    ip[2].w.b = s[2];
    ip[3].p = r;
    r->dcells = (uint8_t)wasm_cells(oi->result);
    ip[1].w.a = cc_result(c, oi->result, false);
}

/* Table-driven numeric instructions. */
static bool cc_numeric(cc *c, const wasm_instr *in)
{
    const wasm_opinfo *oi = &wasm_opinfo_table[in->op];
    switch (cc_kind[in->op]) {
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

static void cc_br_table(cc *c, const wasm_instr *in)
{
    cc_entry idx = cc_pop(c);
    uint32_t si = cc_slot(c, &idx);
    uint32_t n = in->imm.br_table.count;
    wasm_icell *ip = cc_emit(c, IOP_BR_TABLE, 2 + (size_t)n + 1);
    if (c->oom)
        return;
    ip[1].w.a = si;
    ip[1].w.b = n;
    uint32_t first = (uint32_t)(ip - c->code) + 2;
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

static void cc_instr(cc *c, const wasm_instr *in)
{
    lw_instance *inst = c->f->inst;
    switch (in->op) {
    case OP_NOP:
        return;
    case OP_UNREACHABLE:
        cc_emit(c, IOP_UNREACHABLE, 1);
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
        cc_call(c, in->imm.index);
        return;
    case OP_CALL_INDIRECT:
        cc_call_indirect(c, in);
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
        wasm_icell *ip = cc_emit(c, wide ? IOP_GLOBAL_GET2 : IOP_GLOBAL_GET, 3);
        ip[2].p = g->val;
        ip[1].w.a = cc_result(c, g->type.type, !wide);
        return;
    }
    case OP_GLOBAL_SET: {
        lw_global *g = inst->globals[in->imm.index];
        uint32_t s;
        wasm_icell *ip = cc_emit_ops(c, g->type.type == LW_V128 ? IOP_GLOBAL_SET2
                                     : IOP_GLOBAL_SET, 3, 1, &s);
        ip[1].w.a = s;
        ip[2].p = g->val;
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
    case OP_REF_IS_NULL: {
        cc_entry a = cc_pop(c);
        uint32_t sa = cc_slot(c, &a);
        wasm_icell *ip = cc_emit(c, IOP_REF_IS_NULL, 2);
        ip[1].w.b = sa;
        ip[1].w.a = cc_result(c, LW_I32, true);
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
    default:
        break;
    }
    if (cc_numeric(c, in))
        return;
    if (wasm_opinfo_table[in->op].prefix == 0xFD) {
        cc_simd(c, in);
        return;
    }
    wasm_fail(c->err, LW_ERR_INVALID, "unsupported instruction %s",
              wasm_opinfo_table[in->op].name);
    c->oom = true;
}

/* ---- the function ---------------------------------------------------------- */

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
    c->f->nlocal_cells = slot - c->f->nparam_cells;
    c->temp_base = c->max_cells = slot;
    return 0;
}

static int cc_translate(cc *c, const lw_code *code)
{
    const uint8_t *p = code->body.code, *end = p + code->body.len;
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
            if (in.op == OP_BLOCK || in.op == OP_LOOP || in.op == OP_IF) {
                skip++;
                continue;
            }
            if (skip && in.op == OP_END) {
                skip--;
                continue;
            }
            if (skip || (in.op != OP_ELSE && in.op != OP_END))
                continue;
        }
        if (in.op == OP_ELSE) {
            cc_else(c);
        } else if (in.op == OP_END) {
            if (cc_end(c))
                return c->oom ? -1 : 0;
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
    f->extra = c->arena;
    c->arena = NULL;
    return 0;
}

int wasm_compile(lw_func *f, lw_error *err)
{
    static bool ready;
    if (!ready) {
        cc_init_maps();
        ready = true;
    }
    const lw_module *m = f->inst->module;
    cc c;
    memset(&c, 0, sizeof c);
    c.f = f;
    c.m = m;
    c.err = err;
    c.h = wasm_interp_handlers();
    c.checked = !f->mem0->guarded && m->nmems;
    c.last_pos = CC_NONE;
    c.last_cmp = -1;
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
    free(c.stack);
    free(c.ctrl);
    free(c.lslot);
    free(c.ltype);
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
}
