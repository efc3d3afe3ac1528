/* The interpreter loop: direct-threaded register code (see interp.h).
 *
 * One function holds every handler; ip, fp and the memory base stay in
 * its locals.  Wasm calls push a wasm_frame_rec on the store's frame stack
 * and move fp up to the arguments (no C recursion); tail calls move the
 * arguments down to fp instead and keep the record; host functions are
 * called from the loop.  Traps leave the loop with a message; a fault in a
 * guarded memory comes back through siglongjmp to wasm_interp_invoke.
 * Handlers are generated from interp.def and read their operands through
 * its format accessors; the tables here are constants, so threads with
 * stores of their own run the loop at once. */
#include "interp.h"
#ifdef WASM_COUNT_DISPATCH
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#endif

static uint32_t interp_cells(uint32_t n, const lw_valtype *types)
{
    uint32_t c = 0;
    for (uint32_t i = 0; i < n; i++)
        c += wasm_cells(types[i]);
    return c;
}

/* Call a host function with arguments in fp[0..]; results go to fp[0..].
 * When it throws, the exception goes to *thrown (and err). */
static int interp_host(lw_store *s, lw_func *f, wasm_slot *fp,
                       lw_instance *caller, lw_error *err, struct lw_exn **thrown)
{
    const lw_functype *t = &f->type;
    lw_val small[16], *vals = small;
    uint32_t n = t->nparams + t->nresults;
    if (n > COUNTOF(small) && !(vals = calloc(n, sizeof *vals)))
        return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    lw_val *args = vals, *res = vals + t->nparams;
    uint32_t c = 0;
    for (uint32_t i = 0; i < t->nparams; i++) {
        wasm_val_from_slots(t->params[i], fp + c, &args[i]);
        c += wasm_cells(t->params[i]);
    }
    for (uint32_t i = 0; i < t->nresults; i++) {
        memset(&res[i], 0, sizeof res[i]);
        res[i].type = t->results[i];
    }
    uint32_t pc = c, rc = interp_cells(t->nresults, t->results);
    lw_host_call call;
    memset(&call, 0, sizeof call);
    call.store = s;
    call.func = f;
    call.caller = caller;
    wasm_slot *saved_sp = s->sp;
    s->sp = fp + (pc > rc ? pc : rc);
    int rcode = f->host(&call, args, res);
    s->sp = saved_sp;
    if (rcode) {
        if (call.kind == LW_ERR_EXIT) {
            wasm_fail(err, LW_ERR_EXIT, "%s", call.message);
            if (err)
                err->exit_code = call.exit_code;
        } else if (call.kind == LW_ERR_EXCEPTION) {
            wasm_fail(err, LW_ERR_EXCEPTION, "%s", call.message);
            if (err)
                err->exn = call.exn;
            if (thrown)
                *thrown = call.exn;
        } else {
            wasm_fail(err, LW_ERR_TRAP, "%s",
                      call.kind == LW_ERR_TRAP ? call.message : "host function failed");
        }
    } else {
        c = 0;
        for (uint32_t i = 0; i < t->nresults; i++) {
            wasm_val_to_slots(&res[i], fp + c);
            c += wasm_cells(t->results[i]);
        }
    }
    if (vals != small)
        free(vals);
    return rcode ? -1 : 0;
}

/* call_indirect's check when the ids differ: a function of a declared
 * subtype of the expected type may be called too. */
static __attribute__((noinline, cold)) bool interp_subtype(const lw_store *s, uint32_t have,
                                                           uint32_t want)
{
    wasm_typectx types = wasm_canon_ctx(&s->types);
    return wasm_heap_match(&types, LW_HEAP_TYPE(have), LW_HEAP_TYPE(want));
}

/* The handler of f's code at `at` that takes exn: the innermost region
 * holding the instruction, then its parents. */
static const wasm_eclause *interp_clause(const lw_func *f, const wasm_icell *at,
                                         const struct lw_exn *exn)
{
    const wasm_handlers *h = f->handlers;
    if (!h)
        return NULL;
    uint32_t pos = (uint32_t)(at - f->code);
    int32_t r = -1;
    for (uint32_t i = h->nregions; i-- > 0;)
        if (pos >= h->regions[i].start && pos < h->regions[i].end) {
            r = (int32_t)i;
            break;
        }
    for (; r >= 0; r = h->regions[r].parent) {
        const wasm_eregion *g = &h->regions[r];
        for (uint32_t j = 0; j < g->n; j++) {
            const wasm_eclause *k = &h->clauses[g->first + j];
            if (!k->tag || k->tag == exn->tag)
                return k;
        }
    }
    return NULL;
}

/* Search the frames of the running call, from f at `at` outwards, for a
 * handler of exn, without unwinding (an uncaught exception keeps its
 * backtrace).  *to is the frame stack's top once the handler's frame
 * runs again. */
static const wasm_eclause *interp_find_handler(lw_store *s, const lw_func *f,
                                               const wasm_icell *at,
                                               const struct lw_exn *exn,
                                               wasm_frame_rec **to)
{
    wasm_frame_rec *r = s->ftop;
    for (;;) {
        const wasm_eclause *k = interp_clause(f, at, exn);
        if (k) {
            *to = r;
            return k;
        }
        r--;
        if (r <= s->exec->base)
            return NULL;
        /* Inside the call instruction the caller resumes after. */
        at = r->ret - 1;
        f = r->caller;
    }
}

static int64_t interp_table_grow(lw_table *t, uint64_t delta, void *init)
{
    uint64_t old = t->size;
    if (delta > t->max - old)
        return -1;
    void **e = realloc(t->elems, (old + delta ? old + delta : 1) * sizeof(void *));
    if (!e)
        return -1;
    for (uint64_t i = old; i < old + delta; i++)
        e[i] = init;
    t->elems = e;
    t->size = old + delta;
    return (int64_t)old;
}

/* An i64 address plus a u64 offset; on overflow, an address past any
 * memory, where the check of an access (16 bytes at most) cannot wrap. */
static inline uint64_t interp_ea64(uint64_t a, uint64_t offset)
{
    uint64_t ea;
    if (__builtin_add_overflow(a, offset, &ea) || ea > UINT64_MAX - 16)
        return UINT64_MAX - 16;
    return ea;
}

/* Whether [a, a + n) leaves a memory or table of size entries. */
static inline bool interp_oob(uint64_t a, uint64_t n, uint64_t size)
{
    return a > size || n > size - a;
}

/* A v128 operand of a SIMD instruction: two cells, or one scalar cell. */
static void interp_simd_arg(const wasm_slot *src, uint8_t cells, wasm_v128 *out)
{
    out->u64[0] = src[0].u64;
    out->u64[1] = cells == 2 ? src[1].u64 : 0;
}

/* Compile f at its first call; on failure, the error goes to err and its
 * kind to *kind.  Out of line, so that the error record does not add to
 * the loop's frame, which host functions re-entering wasm nest. */
__attribute__((noinline))
static int interp_compile(lw_func *f, lw_error *err, lw_errkind *kind)
{
    lw_error cerr;
    if (wasm_compile(f, &cerr) == 0)
        return 0;
    if (err)
        *err = cerr;
    *kind = cerr.kind;
    return -1;
}

#ifdef WASM_COUNT_DISPATCH
/* The counting build (make COUNT=1): every instruction run, and every
 * pair run one after the other, is counted (interp_count, at the end). */
static void interp_count(const void *h);
#define NEXT() do { interp_count(ip->h); goto *ip->h; } while (0)
#else
#define NEXT() goto *ip->h
#endif
/* Step over an instruction of format fmt (interp.def) and run the next. */
#define DONE(fmt) do { ip += WASM_CELLS_##fmt; NEXT(); } while (0)
#define TRAP(msg) do { trap_msg = (msg); goto trap; } while (0)
#define RELOAD_MEM() do { mb = func->mem0->base; msz = func->mem0->size; } while (0)
/* Taken branches: back-edges poll for interrupts and fuel. */
#define JUMP(target)                                                     \
    do {                                                                 \
        const wasm_icell *t_ = (target);                                 \
        if (UNLIKELY(s->poll) && t_ <= ip) {                             \
            ip = t_;                                                     \
            goto poll;                                                   \
        }                                                                \
        ip = t_;                                                         \
        NEXT();                                                          \
    } while (0)

/* A br_table's jump to entry k of its targets tab.  The first
 * BRT_LABELS entries go through a label of their own (L_BRT_hl, after
 * the br_table handlers), which loads the target at its constant place:
 * the index then only chooses a predicted jump, and the next
 * instruction's operands do not wait for the index's load and the
 * table's.  Past them, the target is loaded at the index. */
#define BRT_LABELS 64
#define BRT_ROW(X, h) X(h, 0) X(h, 1) X(h, 2) X(h, 3) X(h, 4) X(h, 5) X(h, 6) X(h, 7)
#define BRT_EACH(X)                                                      \
    BRT_ROW(X, 0) BRT_ROW(X, 1) BRT_ROW(X, 2) BRT_ROW(X, 3)              \
    BRT_ROW(X, 4) BRT_ROW(X, 5) BRT_ROW(X, 6) BRT_ROW(X, 7)
#define BRT_GO(tab, k)                                                   \
    do {                                                                 \
        uint32_t k_ = (k);                                               \
        brt = (tab);                                                     \
        if (LIKELY(k_ < BRT_LABELS))                                     \
            goto *brt_go[k_];                                            \
        JUMP(brt[k_].t);                                                 \
    } while (0)

/* Return to the caller (the frame record on top).  mb and msz are the
 * returning function's memory 0, current (every change of it reloads
 * them: a grow, a call out, a wait); the caller's is another only when
 * the call crossed to another instance's memory, and only then is it
 * loaded again. */
#define RETURN()                                                         \
    do {                                                                 \
        wasm_frame_rec *r_ = ftop - 1;                                   \
        const struct lw_memory *m_ = func->mem0;                         \
        s->ftop = ftop = r_;                                             \
        ip = r_->ret;                                                    \
        fp = r_->fp;                                                     \
        func = r_->caller;                                               \
        if (UNLIKELY(func->mem0 != m_))                                  \
            RELOAD_MEM();                                                \
        NEXT();                                                          \
    } while (0)

/* The two accesses of LD32_L_S: the index, then the element. */
#define LD32_L_S_EA0                                                     \
    MEM_EA_SUM(fp[RRRII_J(ip).w.a].u32 + RRRII_J(ip).w.b, RRRII_I(ip).u64 >> 32)
#define LD32_L_S_EA1                                                     \
    MEM_EA_SUM(fp[RRRII_A(ip)].u32 + (fp[RRRII_B(ip)].u32 << RRRII_C(ip)), \
               (uint32_t)RRRII_I(ip).u64)

/* Before anything that may allocate, grow a memory, call out or unwind:
 * publish this frame's instruction and slots, so that a walker (a
 * collector, an unwinder, a host function) sees every frame.  The frame
 * records of wasm calls publish their callers; s->ftop is always current. */
#define SAFEPOINT() do { s->exec->ip = ip; s->exec->fp = fp; } while (0)

/* Clear callee's locals, from l: the first WASM_ZEROED cells always
 * (every frame has room for them; most functions have no more locals,
 * and straight stores beat a loop's branch), the rest in a loop. */
_Static_assert(WASM_ZEROED == 4, "ZERO_LOCALS clears four cells");
#define ZERO_LOCALS(l)                                                   \
    do {                                                                 \
        wasm_slot *l_ = (l);                                             \
        l_[0].u64 = l_[1].u64 = l_[2].u64 = l_[3].u64 = 0;               \
        for (uint32_t i_ = WASM_ZEROED; i_ < callee->nlocal_cells; i_++) \
            l_[i_].u64 = 0;                                              \
    } while (0)

/* Enter the wasm function callee: its frame starts at nfp; it returns
 * to ret.  Compiles it at its first call. */
#define ENTER()                                                          \
    do {                                                                 \
        if (UNLIKELY(!callee->code)) {                                   \
            lw_error cerr;                                               \
            SAFEPOINT();                                                 \
            if (wasm_compile(callee, &cerr)) {                           \
                if (err)                                                 \
                    *err = cerr;                                         \
                trap_kind = cerr.kind;                                   \
                trap_msg = NULL;                                         \
                goto trap;                                               \
            }                                                            \
        }                                                                \
        wasm_frame_rec *r_ = ftop;                                       \
        if (UNLIKELY(wasm_call_overflows(s, r_, nfp, callee->frame_cells))) { \
            trap_kind = LW_ERR_EXHAUSTION;                               \
            TRAP("call stack exhausted");                                \
        }                                                                \
        r_->ret = ret;                                                   \
        r_->fp = fp;                                                     \
        r_->caller = func;                                               \
        r_->self = callee;                                               \
        s->ftop = ftop = r_ + 1;                                         \
        ZERO_LOCALS(nfp + callee->nparam_cells);                         \
        fp = nfp;                                                        \
        /* A function calling itself takes the code from func, at hand, \
         * rather than from the callee just loaded from the call: the \
         * callee's instructions then need not wait for that load.  The \
         * asm hides from the compiler that the two are the same. */    \
        lw_func *self_ = func;                                           \
        __asm__("" : "+r"(self_));                                       \
        if (callee == func) {                                            \
            ip = self_->code;                                            \
        } else {                                                         \
            func = callee;                                               \
            ip = callee->code;                                           \
        }                                                                \
    } while (0)

/* Enter the wasm function callee in place of the running one (a tail
 * call): the arguments at nfp move to the frame's start and the frame
 * record now names callee, so neither the value stack nor the frame stack
 * grows, and the call depth stays what it was. */
#define TAIL_ENTER()                                                     \
    do {                                                                 \
        if (UNLIKELY(!callee->code)) {                                   \
            SAFEPOINT();                                                 \
            if (interp_compile(callee, err, &trap_kind)) {               \
                trap_msg = NULL;                                         \
                goto trap;                                               \
            }                                                            \
        }                                                                \
        if (UNLIKELY((size_t)(s->stack_end - fp) < callee->frame_cells)) { \
            trap_kind = LW_ERR_EXHAUSTION;                               \
            TRAP("call stack exhausted");                                \
        }                                                                \
        for (uint32_t i_ = 0; i_ < callee->nparam_cells; i_++)           \
            fp[i_] = nfp[i_];                                            \
        ZERO_LOCALS(fp + callee->nparam_cells);                          \
        ftop[-1].self = callee;                                          \
        func = callee;                                                   \
        ip = callee->code;                                               \
    } while (0)

/* The callee of an indirect call (RRII: table i.p, index in slot d, type
 * id j), with its traps. */
#define INDIRECT_CALLEE()                                                \
    do {                                                                 \
        const lw_table *t_ = RRII_I(ip).p;                               \
        uint64_t i_ = ADDR(RRII_D(ip), t_->type.limits.is64);            \
        if (UNLIKELY(i_ >= t_->size))                                    \
            TRAP("undefined element");                                   \
        callee = t_->elems[i_];                                          \
        if (UNLIKELY(!callee)) {                                         \
            snprintf(trap_buf, sizeof trap_buf, "uninitialized element %llu", \
                     (unsigned long long)i_);                            \
            TRAP(trap_buf);                                              \
        }                                                                \
        if (UNLIKELY(callee->type_id != RRII_J(ip).u32) &&               \
            !interp_subtype(s, callee->type_id, RRII_J(ip).u32))        \
            TRAP("indirect call type mismatch");                         \
    } while (0)

/* Parameters of the memory-access variants (interp.def, WASM_MEMVARS):
 * the memory's base and size, the effective address from an address slot
 * and an offset, the bounds check of n bytes at ea.  A32 addresses plus
 * offsets stay below 2^33, so ea + n cannot wrap. */
#define MEM_OF_M0(p) NULL
#define MEM_OF_MN(p) ((const struct lw_memory *)(p))
#define MEM_BASE_M0 mb
#define MEM_SIZE_M0 msz
#define MEM_BASE_MN mem_->base
#define MEM_SIZE_MN mem_->size
#define MEM_EA_A32(slot, offset) ((uint64_t)fp[slot].u32 + (offset))
#define MEM_EA_A64(slot, offset) interp_ea64(fp[slot].u64, (offset))
/* A folded address (an i32.add, i32.sub or base + (i << k) taken into the
 * access): the sum wraps to 32 bits, as the folded instruction did, then
 * the offset is added.  Guarded memory 0 only. */
#define MEM_EA_SUM(sum, offset) ((uint64_t)(uint32_t)(sum) + (offset))
/* The address of a folded form (interp.def, WASM_ADDRFORMS) on the base
 * in slot base; I is in the same cell in RRRI and RRRII. */
#define MEM_TERM_A(ip) fp[RRRI_B(ip)].u32
#define MEM_TERM_AI(ip) RRRI_B(ip)
#define MEM_TERM_S(ip) (fp[RRRI_B(ip)].u32 << RRRI_C(ip))
#define MEM_EA_FOLD(form, base)                                          \
    MEM_EA_SUM(fp[base].u32 + MEM_TERM_##form(ip), RRRI_I(ip).u64)
/* A kept form's sum (interp.def, WASM_KEPTFORMS), before its offset:
 * the base times a factor (1 but for MI), plus the term. */
#define MEM_TERM_SI(ip) (MEM_TERM_S(ip) + RRRII_J(ip).w.b)
#define MEM_TERM_MI(ip) RRRII_J(ip).w.b
#define MEM_FACTOR_A(ip) 1u
#define MEM_FACTOR_AI(ip) 1u
#define MEM_FACTOR_S(ip) 1u
#define MEM_FACTOR_SI(ip) 1u
#define MEM_FACTOR_MI(ip) RRRII_B(ip)
#define MEM_KEPT_SUM(form)                                               \
    (fp[RRRII_A(ip)].u32 * MEM_FACTOR_##form(ip) + MEM_TERM_##form(ip))
/* OP_SI2's index (the first sum) and address (interp.def, WASM_LOADS). */
#define MEM_SI2_INDEX (fp[RRRII_C(ip)].u32 + (uint32_t)(RRRII_I(ip).u64 >> 32))
#define MEM_SI2_EA(x)                                                    \
    MEM_EA_SUM(fp[RRRII_A(ip)].u32 + (uint32_t)RRRII_I(ip).u64 +         \
               ((x) << RRRII_J(ip).w.b), RRRII_J(ip).w.a)
/* A folded form's store of constant j (OP_<form>K, RRRII). */
#define STOREFK(form, ctype, in)                                         \
    do {                                                                 \
        ctype v_ = (ctype)RRRII_J(ip).in;                                \
        memcpy(mb + MEM_EA_FOLD(form, RRRII_D(ip)), &v_, sizeof v_);     \
    } while (0)
/* BR_<name>2_<cmp> (BRLL) but for its fall-through: both loads, the
 * values to d and e, the jump when the compare holds. */
#define BRLOAD2(ctype, cop, ct)                                          \
    do {                                                                 \
        ctype v_, w_;                                                    \
        memcpy(&v_, mb + MEM_EA_SUM(fp[BRLL_A(ip)].u32 + BRLL_C(ip), BRLL_I(ip)), sizeof v_); \
        memcpy(&w_, mb + MEM_EA_SUM(fp[BRLL_B(ip)].u32 + BRLL_K(ip), BRLL_J(ip)), sizeof w_); \
        fp[BRLL_D(ip)].u32 = v_;                                         \
        fp[BRLL_E(ip)].u32 = w_;                                         \
        if ((wasm_t_##ct)(uint32_t)w_ cop (wasm_t_##ct)(uint32_t)v_)     \
            JUMP(BRLL_T(ip).t);                                          \
    } while (0)
#define MEM_CHECK_GUARD(ea, n, size) ((void)0)
#define MEM_CHECK_CHECK(ea, n, size)                                     \
    do {                                                                 \
        if (UNLIKELY((ea) + (n) > (size)))                               \
            TRAP("out of bounds memory access");                         \
    } while (0)
/* Step over a memory access of variant memory whose M0 format is fmt. */
#define DONE_MV(memory, fmt) DONE_MV_(WASM_MV_FMT(memory, fmt))
#define DONE_MV_(fmt) DONE(fmt)
/* An index operand of a memory or table: i64 when is64. */
#define ADDR(slot, is64) ((is64) ? fp[slot].u64 : (uint64_t)fp[slot].u32)

/* Run func with its arguments in fp[0..]; with handlers set, only store
 * the handler table there (label addresses exist only in here).  Aligned
 * to a cache line so that the handlers' placement (see below) does not
 * shift with the size of whatever the linker puts before this function:
 * at 16-byte alignment, matmul took 3.4 s or 2.8 s depending on the
 * commit. */
__attribute__((aligned(64)))
static int interp_loop(lw_store *s, lw_func *func, wasm_slot *fp, lw_error *err,
                       const void *const **handlers)
{
    static const void *const table[IOP_COUNT] = {
#define IOP(name, fmt) [IOP_##name] = &&L_##name,
        WASM_IOPS
#undef IOP
    };
#define BRT_ADDR(h, l) &&L_BRT_##h##l,
    static const void *const brt_go[BRT_LABELS] = {BRT_EACH(BRT_ADDR)};
#undef BRT_ADDR
    /* The entry frame returns here. */
    static const wasm_icell exit_code[1] = {{.h = &&L_EXIT}};
    if (handlers) {
        *handlers = table;
        return 0;
    }

    const wasm_icell *ip = exit_code, *ret = exit_code;
    lw_func *callee = func;
    wasm_slot *nfp = fp;
    uint8_t *mb;
    uint64_t msz;
    const char *trap_msg = NULL;
    char trap_buf[64];
    lw_errkind trap_kind = LW_ERR_TRAP;
    struct lw_exn *exn = NULL;
    /* The accumulator: see interp.def, WASM_IOP_BINI. */
    uint64_t acc = 0;
    /* Two locals that the next instruction's address waits for, each
     * asked to stay in a register: gcc otherwise keeps them on the
     * stack, and the jump then waits for loading one back (forwarded
     * from the store just before) ahead of its own load.
     *   brt: the targets of the running br_table (BRT_GO);
     *   ftop: the frame stack's top, kept here as well as in s->ftop
     *   (which walkers read) so that a return does not wait for loading
     *   it.
     * Not under AddressSanitizer: gcc then takes minutes instead of
     * seconds to compile the loop, for a build that is not about speed. */
#if defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
    register const wasm_icell *brt __asm__("r12") = NULL;
    register wasm_frame_rec *ftop __asm__("r14") = s->ftop;
#else
    const wasm_icell *brt = NULL;
    wasm_frame_rec *ftop = s->ftop;
#endif
    ENTER();
    RELOAD_MEM();
    if (UNLIKELY(s->poll))
        goto poll;
    NEXT();

    /* ---- numeric ---- */
#define UNOP(op, in, out, expr)                                          \
    L_##op: {                                                            \
        wasm_t_##in a = fp[RR_A(ip)].in;                                 \
        fp[RR_D(ip)].out = (expr);                                       \
        DONE(RR);                                                        \
    }
    WASM_UNOPS(UNOP)
#undef UNOP

#define BINOP(op, in, out, expr, ...)                                    \
    L_##op: {                                                            \
        wasm_t_##in a = fp[RRR_A(ip)].in, b = fp[RRR_B(ip)].in;          \
        fp[RRR_D(ip)].out = (expr);                                      \
        DONE(RRR);                                                       \
    }
#define BINOP_I(op, in, out, expr, ...)                                  \
    BINOP(op, in, out, expr)                                             \
    L_##op##_I: {                                                        \
        wasm_t_##in a = fp[RRI_A(ip)].in, b = RRI_I(ip).in;              \
        fp[RRI_D(ip)].out = (expr);                                      \
        DONE(RRI);                                                       \
    }
    /* Where hot handlers sit relative to each other matters to the
     * branch and memory predictors: with the same handlers in another
     * order, matmul took 4.9 s instead of 2.8.  Measure before moving. */
    WASM_BINOPS(BINOP)
    WASM_BINOPS_IMM(BINOP_I)
#undef BINOP_I
#undef BINOP

    /* The accumulator forms (interp.def, WASM_IOP_BINI): operand a from
     * slot A or the accumulator, b from slot B or the constant, the
     * result to slot D and, for _TA and _AA, to the accumulator. */
#define ACC_u32 ((uint32_t)acc)
#define ACC_i32 ((int32_t)(uint32_t)acc)
#define ACC_u64 (acc)
#define ACC_i64 ((int64_t)acc)
#define ACC_KEEP(r) ((void)0)
#define ACC_SET(r) (acc = (uint64_t)(r))
#define ACC_OP(name, fmt, in, out, expr, a_, b_, set)                    \
    L_##name: {                                                          \
        wasm_t_##in a = (a_), b = (b_);                                  \
        wasm_t_##out r_ = (expr);                                        \
        fp[fmt##_D(ip)].out = r_;                                        \
        set(r_);                                                         \
        DONE(fmt);                                                       \
    }
#define BINOP_ACC(op, in, out, expr, ...)                                \
    ACC_OP(op##_TA, RRR, in, out, expr, fp[RRR_A(ip)].in,                \
           fp[RRR_B(ip)].in, ACC_SET)                                    \
    ACC_OP(op##_FA, RRR, in, out, expr, ACC_##in, fp[RRR_B(ip)].in,      \
           ACC_KEEP)                                                     \
    ACC_OP(op##_AA, RRR, in, out, expr, ACC_##in, fp[RRR_B(ip)].in,      \
           ACC_SET)                                                      \
    ACC_OP(op##_I_TA, RRI, in, out, expr, fp[RRI_A(ip)].in,              \
           RRI_I(ip).in, ACC_SET)                                        \
    ACC_OP(op##_I_FA, RRI, in, out, expr, ACC_##in, RRI_I(ip).in,        \
           ACC_KEEP)                                                     \
    ACC_OP(op##_I_AA, RRI, in, out, expr, ACC_##in, RRI_I(ip).in,        \
           ACC_SET)
    WASM_BINOPS_IMM(BINOP_ACC)
#undef BINOP_ACC
#undef ACC_OP
#undef ACC_SET
#undef ACC_KEEP
#undef ACC_i64
#undef ACC_u64
#undef ACC_i32
#undef ACC_u32

#define CMPOP(op, in, cop, ...)                                          \
    L_##op: {                                                            \
        fp[RRR_D(ip)].u32 = fp[RRR_A(ip)].in cop fp[RRR_B(ip)].in;       \
        DONE(RRR);                                                       \
    }                                                                    \
    L_##op##_I: {                                                        \
        fp[RRI_D(ip)].u32 = fp[RRI_A(ip)].in cop RRI_I(ip).in;           \
        DONE(RRI);                                                       \
    }                                                                    \
    L_BR_##op: {                                                         \
        if (fp[RRI_D(ip)].in cop fp[RRI_A(ip)].in)                       \
            JUMP(RRI_I(ip).t);                                           \
        DONE(RRI);                                                       \
    }                                                                    \
    L_BR_##op##_I: {                                                     \
        if (fp[RRII_D(ip)].in cop RRII_I(ip).in)                         \
            JUMP(RRII_J(ip).t);                                          \
        DONE(RRII);                                                      \
    }
    WASM_CMPOPS(CMPOP)
#undef CMPOP

    /* d = a + b (b a constant for INC, a slot for ADD), then compare d
     * with slot c or word i.  INCOP_SUM is the step (format F), its
     * value the new d. */
#define INCOP_B_INC(F) F##_B(ip)
#define INCOP_B_ADD(F) fp[F##_B(ip)].u32
#define INCOP_SUM(name, F) (fp[F##_D(ip)].u32 = fp[F##_A(ip)].u32 + INCOP_B_##name(F))
#define INCOP(name, op, in, cop)                                         \
    L_##name##_BR_##op:                                                  \
        if ((wasm_t_##in)INCOP_SUM(name, RRRI) cop fp[RRRI_C(ip)].in) \
            JUMP(RRRI_I(ip).t);                                          \
        DONE(RRRI);                                                      \
    L_##name##_BR_##op##_I:                                              \
        if ((wasm_t_##in)INCOP_SUM(name, RRRII) cop RRRII_I(ip).in)      \
            JUMP(RRRII_J(ip).t);                                         \
        DONE(RRRII);
#define INCOPS(op, in, cop, ...) INCOP(INC, op, in, cop) INCOP(ADD, op, in, cop)
    WASM_CMPOPS32(INCOPS)
#undef INCOPS
#undef INCOP

    /* Steps (of pointers, other counters) before a counter's step and
     * its compare with word i.  STEPINC_TEST is that compare, after the
     * steps. */
#define STEPINC_STEPK fp[SIB_E(ip)].u32 = fp[SIB_F(ip)].u32 + SIB_G(ip)
#define STEPINC_STEPR fp[SIB_E(ip)].u32 = fp[SIB_F(ip)].u32 + fp[SIB_G(ip)].u32
#define STEPINC_STEP2                                                    \
    fp[SIB2_E(ip)].u32 = fp[SIB2_F(ip)].u32 + SIB2_G(ip),                \
    fp[SIB2_P(ip)].u32 = fp[SIB2_Q(ip)].u32 + SIB2_R(ip)
#define STEPINC_TEST(name, F, in, cop)                                   \
    (STEPINC_##name,                                                     \
     (wasm_t_##in)(fp[F##_D(ip)].u32 = fp[F##_A(ip)].u32 + F##_B(ip))    \
         cop (wasm_t_##in)F##_I(ip))
#define STEPINC(name, F, op, in, cop)                                    \
    L_##name##_INC_BR_##op##_I:                                          \
        if (STEPINC_TEST(name, F, in, cop))                              \
            JUMP(F##_T(ip).t);                                           \
        DONE(F);
#define STEPINCS(op, in, cop, ...)                                       \
    STEPINC(STEPK, SIB, op, in, cop) STEPINC(STEPR, SIB, op, in, cop)    \
    STEPINC(STEP2, SIB2, op, in, cop)
    WASM_CMPOPS32(STEPINCS)
#undef STEPINCS

    /* Two-instruction loops (interp.def, WASM_LOOP2S).  The slots the
     * loop steps are carried in locals from turn to turn: loading a slot
     * right after storing it would wait for the store on every turn.
     * They are still stored on every turn (a fault is located from them,
     * see interp_fault_locate); nothing else in the loop writes them
     * (cc_loop2 checks).  ip stays at x while the loop turns, so a poll
     * or a fault finds it there. */
    L_LOOP_BR_L8U2_I32_NE_STEP2_INC_BR_I32_NE_I: {
        /* x loads at y's e and p (cc_loop2 checks), which step. */
        const wasm_icell *y_ = ip + WASM_CELLS_BRLL;
        uint32_t re = fp[SIB2_E(y_)].u32, rp = fp[SIB2_P(y_)].u32;
        uint32_t rd = fp[SIB2_D(y_)].u32;
        uint8_t v, w;
        for (;;) {
            memcpy(&v, mb + MEM_EA_SUM(re + BRLL_C(ip), BRLL_I(ip)), 1);
            memcpy(&w, mb + MEM_EA_SUM(rp + BRLL_K(ip), BRLL_J(ip)), 1);
            if (w != v) {
                fp[BRLL_D(ip)].u32 = v;
                fp[BRLL_E(ip)].u32 = w;
                JUMP(BRLL_T(ip).t);
            }
            fp[SIB2_E(y_)].u32 = re += SIB2_G(y_);
            fp[SIB2_P(y_)].u32 = rp += SIB2_R(y_);
            fp[SIB2_D(y_)].u32 = rd += SIB2_B(y_);
            if (rd == (uint32_t)SIB2_I(y_))
                break;
            if (UNLIKELY(s->poll)) {
                fp[BRLL_D(ip)].u32 = fp[BRLL_E(ip)].u32 = v;
                goto poll;
            }
        }
        fp[BRLL_D(ip)].u32 = fp[BRLL_E(ip)].u32 = v;
        ip = y_ + WASM_CELLS_SIB2;
        NEXT();
    }
    L_LOOP_ST8_AK_ADD_BR_I32_LT_U_I: {
        /* j (y's d) steps by y's b; the address, x's d + x's b, holds j
         * n times (0 to 2) plus what stays. */
        const wasm_icell *y_ = ip + WASM_CELLS_RRRII;
        uint32_t sj = RRRII_D(y_), j = fp[sj].u32, step = fp[RRRII_B(y_)].u32;
        uint32_t xd = RRRII_D(ip), xb = RRRII_B(ip);
        uint32_t n = (xd == sj) + (xb == sj);
        uint32_t rest = (xd == sj ? 0 : fp[xd].u32) + (xb == sj ? 0 : fp[xb].u32);
        uint32_t jn = j * n, stepn = step * n;
        uint8_t v = (uint8_t)RRRII_J(ip).u32;
        for (;;) {
            memcpy(mb + MEM_EA_SUM(rest + jn, RRRII_I(ip).u64), &v, 1);
            j += step;
            jn += stepn;
            fp[sj].u32 = j;
            if (!(j < RRRII_I(y_).u32))
                break;
            if (UNLIKELY(s->poll))
                goto poll;
        }
        ip = y_ + WASM_CELLS_RRRII;
        NEXT();
    }
#undef STEPINC

#define TRAPBIN(op, in, out, fn)                                         \
    L_##op: {                                                            \
        wasm_t_##out r;                                                  \
        wasm_numstatus st = fn(fp[RRR_A(ip)].in, fp[RRR_B(ip)].in, &r);  \
        if (UNLIKELY(st))                                                \
            TRAP(wasm_num_message(st));                                  \
        fp[RRR_D(ip)].out = r;                                           \
        DONE(RRR);                                                       \
    }
    WASM_TRAPBINOPS(TRAPBIN)
#undef TRAPBIN

#define TRAPUN(op, in, out, fn)                                          \
    L_##op: {                                                            \
        wasm_t_##out r;                                                  \
        wasm_numstatus st = fn(fp[RR_A(ip)].in, &r);                     \
        if (UNLIKELY(st))                                                \
            TRAP(wasm_num_message(st));                                  \
        fp[RR_D(ip)].out = r;                                            \
        DONE(RR);                                                        \
    }
    WASM_TRAPUNOPS(TRAPUN)
#undef TRAPUN

    /* ---- memory: loads and stores, one handler per variant ---- */
#define LOAD(tag, memory, addr, check, op, ctype, out)                   \
    L_##op##_##tag: {                                                    \
        ctype v;                                                         \
        const struct lw_memory *mem_ = MEM_OF_##memory(RRII_J(ip).p);    \
        (void)mem_;                                                      \
        uint64_t ea = MEM_EA_##addr(RRI_A(ip), RRI_I(ip).u64);           \
        MEM_CHECK_##check(ea, sizeof v, MEM_SIZE_##memory);              \
        memcpy(&v, MEM_BASE_##memory + ea, sizeof v);                    \
        fp[RRI_D(ip)].out = v;                                           \
        DONE_MV(memory, RRI);                                            \
    }
    /* The folded address forms exist for guarded memory 0 only. */
#define LOADF(form, op, ctype, out)                                      \
    L_##op##_##form: {                                                   \
        ctype v;                                                         \
        memcpy(&v, mb + MEM_EA_FOLD(form, RRRI_A(ip)), sizeof v);        \
        fp[RRRI_D(ip)].out = v;                                          \
        DONE(RRRI);                                                      \
    }
#define LOADK(form, op, ctype, out)                                      \
    L_##op##_K##form: {                                                  \
        ctype v;                                                         \
        uint32_t sum_ = MEM_KEPT_SUM(form);                              \
        memcpy(&v, mb + MEM_EA_SUM(sum_, RRRII_I(ip).u64), sizeof v);    \
        fp[RRRII_J(ip).w.a].u32 = sum_;                                  \
        fp[RRRII_D(ip)].out = v;                                         \
        DONE(RRRII);                                                     \
    }
#define LOADS(op, ctype, out)                                            \
    WASM_MEMVARS(LOAD, op, ctype, out)                                   \
    WASM_ADDRFORMS(LOADF, op, ctype, out)                                \
    WASM_KEPTFORMS(LOADK, op, ctype, out)                                \
    L_##op##_SI2: {                                                      \
        ctype v;                                                         \
        uint32_t x_ = MEM_SI2_INDEX;                                     \
        memcpy(&v, mb + MEM_SI2_EA(x_), sizeof v);                       \
        fp[RRRII_B(ip)].u32 = x_;                                        \
        fp[RRRII_D(ip)].out = v;                                         \
        DONE(RRRII);                                                     \
    }                                                                    \
    L_##op##_ABS: {                                                      \
        ctype v;                                                         \
        memcpy(&v, mb + RRI_I(ip).u64, sizeof v);                        \
        fp[RRI_D(ip)].out = v;                                           \
        DONE(RRI);                                                       \
    }
    WASM_LOADS(LOADS)
    /* The same i32 loads writing the sum to a second slot. */
#define LOADK2(form, ...)                                                \
    L_LD32_K##form##2: {                                                 \
        uint32_t v_, sum_ = MEM_KEPT_SUM(form);                          \
        memcpy(&v_, mb + MEM_EA_SUM(sum_, (uint32_t)RRRII_I(ip).u64), sizeof v_); \
        fp[RRRII_J(ip).w.a].u32 = sum_;                                  \
        fp[RRRII_I(ip).u64 >> 32].u32 = sum_;                            \
        fp[RRRII_D(ip)].u64 = v_;                                        \
        DONE(RRRII);                                                     \
    }
    WASM_KEPTFORMS(LOADK2)
#undef LOADK2
#undef LOADS
#undef LOADK
#undef LOADF
#undef LOAD

/* d = mem[(x + c) + i] op mem[(y + k) + j], expr on a and b (OP_LL);
 * the first load first. */
#define LLVAL(in, expr, v, x, c, i, y, k, j)                             \
    do {                                                                 \
        wasm_t_##in a, b;                                                \
        memcpy(&a, mb + MEM_EA_SUM(fp[x].u32 + (c), (i)), sizeof a);     \
        memcpy(&b, mb + MEM_EA_SUM(fp[y].u32 + (k), (j)), sizeof b);     \
        v = (expr);                                                      \
    } while (0)
#define LLOP(in, expr, d, x, c, i, y, k, j) LLVAL(in, expr, fp[d].in, x, c, i, y, k, j)
#define FARITH(op, in, expr, ...)                                        \
    L_##op##_L: {                                                        \
        wasm_t_##in a = fp[RRRI_A(ip)].in, b;                            \
        memcpy(&b, mb + MEM_EA_SUM(fp[RRRI_B(ip)].u32 + RRRI_C(ip),      \
                                   RRRI_I(ip).u64), sizeof b);           \
        fp[RRRI_D(ip)].in = (expr);                                      \
        DONE(RRRI);                                                      \
    }                                                                    \
    L_##op##_M: {                                                        \
        uint8_t *p_ = mb + MEM_EA_SUM(fp[RRRI_B(ip)].u32 + RRRI_C(ip), RRRI_I(ip).u64); \
        wasm_t_##in a = fp[RRRI_A(ip)].in, b;                            \
        memcpy(&b, p_, sizeof b);                                        \
        b = (expr);                                                      \
        memcpy(p_, &b, sizeof b);                                        \
        DONE(RRRI);                                                      \
    }                                                                    \
    L_##op##_LL:                                                         \
        LLOP(in, expr, LL_D(ip), LL_A(ip), LL_C(ip), LL_I(ip), LL_B(ip), \
             LL_K(ip), LL_J(ip));                                        \
        DONE(LL);                                                        \
    L_##op##_LL2:                                                        \
        LLOP(in, expr, LL_D(ip), LL_A(ip), LL_C(ip), LL_I(ip), LL_B(ip), \
             LL_K(ip), LL_J(ip));                                        \
        LLOP(in, expr, LL2_E(ip), LL2_F(ip), LL2_G(ip), LL2_L(ip),       \
             LL2_M(ip), LL2_N(ip), LL2_O(ip));                           \
        DONE(LL2);                                                       \
    L_##op##_I: {                                                        \
        wasm_t_##in a = fp[RRI_A(ip)].in, b = RRI_I(ip).in;              \
        fp[RRI_D(ip)].in = (expr);                                       \
        DONE(RRI);                                                       \
    }                                                                    \
    L_##op##_IR: {                                                       \
        wasm_t_##in a = RRI_I(ip).in, b = fp[RRI_A(ip)].in;              \
        fp[RRI_D(ip)].in = (expr);                                       \
        DONE(RRI);                                                       \
    }
    WASM_FARITH(FARITH)
#undef FARITH
    /* Two products, then the sum's step: x + (y + p) (FCHAIN's RADD). */
#define MULRADD_(m)                                                      \
    wasm_t_##m x, y, t;                                                  \
    LLVAL(m, a * b, x, LL_A(ip), LL_C(ip), LL_I(ip), LL_B(ip), LL_K(ip), LL_J(ip)); \
    LLVAL(m, a * b, y, LL2_F(ip), LL2_G(ip), LL2_L(ip), LL2_M(ip), LL2_N(ip), LL2_O(ip)); \
    t = y + fp[LL2_P(ip)].m;                                             \
    t = x + t
#define MULRADD(T, m)                                                    \
    L_##T##_MUL_LL2_RADD: {                                              \
        MULRADD_(m);                                                     \
        fp[LL_D(ip)].m = t;                                              \
        DONE(LL2);                                                       \
    }                                                                    \
    L_##T##_MUL_LL2_RADD2: {                                             \
        MULRADD_(m);                                                     \
        t = fp[LL2_Q(ip)].m + t;                                         \
        fp[LL_D(ip)].m = fp[LL2_E(ip)].m + t;                            \
        DONE(LL2);                                                       \
    }
    MULRADD(F32, f32)
    MULRADD(F64, f64)
#undef MULRADD
#undef MULRADD_
#undef LLOP
#undef LLVAL

#define FCHAIN(T, m, o1, e1, o2, e2)                                     \
    L_##T##_##o1##_##o2: {                                               \
        wasm_t_##m t = fp[RRR_A(ip)].m e1 fp[RRR_B(ip)].m;               \
        fp[RRR_D(ip)].m = t e2 fp[RRR_C(ip)].m;                          \
        DONE(RRR);                                                       \
    }                                                                    \
    L_##T##_##o1##_R##o2: {                                              \
        wasm_t_##m t = fp[RRR_A(ip)].m e1 fp[RRR_B(ip)].m;               \
        fp[RRR_D(ip)].m = fp[RRR_C(ip)].m e2 t;                          \
        DONE(RRR);                                                       \
    }
    WASM_FCHAINS(FCHAIN)
#undef FCHAIN

#define SHIFTOP(o2, e2, o1, fn)                                          \
    L_I32_##o2##_##o1:                                                   \
        fp[RRR_D(ip)].u32 = fp[RRR_C(ip)].u32 e2 fn(fp[RRR_A(ip)].u32, RRR_B(ip)); \
        DONE(RRR);
    WASM_SHIFTOPS(SHIFTOP)
#undef SHIFTOP

#define ICHAIN(o2, e2, o1, e1)                                           \
    L_I32_##o2##_##o1:                                                   \
        fp[RRR_D(ip)].u32 = fp[RRR_C(ip)].u32 e2 (fp[RRR_A(ip)].u32 e1 fp[RRR_B(ip)].u32); \
        DONE(RRR);
    WASM_ICHAINS(ICHAIN)
#undef ICHAIN

#define SHIFT2(o2, e2, o1, f1, o0, f0)                                   \
    L_I32_##o2##_##o1##_##o0:                                            \
        fp[RRRI_D(ip)].u32 = f1(fp[RRRI_A(ip)].u32, RRRI_B(ip)) e2       \
                             f0(fp[RRRI_C(ip)].u32, (uint32_t)RRRI_I(ip).u64); \
        DONE(RRRI);
    WASM_SHIFT2S(SHIFT2)
#undef SHIFT2

#define SHIFT3(o, fn)                                                    \
    L_I32_XOR_ROTL_ROTL_##o: {                                           \
        uint32_t x_ = fp[RRRI_A(ip)].u32;                                \
        fp[RRRI_D(ip)].u32 = wasm_i32_rotl(x_, RRRI_B(ip)) ^             \
                             wasm_i32_rotl(x_, RRRI_C(ip)) ^             \
                             fn(x_, (uint32_t)RRRI_I(ip).u64);           \
        DONE(RRRI);                                                      \
    }
    WASM_SHIFT3S(SHIFT3)
#undef SHIFT3
#define S3SUM(o, fn, sum)                                                \
    {                                                                    \
        uint32_t x_ = fp[RRRI_A(ip)].u32, k_ = (uint32_t)RRRI_I(ip).u64; \
        fp[RRRI_D(ip)].u32 = (wasm_i32_rotl(x_, k_ & 0xff) ^             \
                              wasm_i32_rotl(x_, (k_ >> 8) & 0xff) ^      \
                              fn(x_, k_ >> 16)) + sum;                   \
        DONE(RRRI);                                                      \
    }
#define S3ADD(o, fn)                                                     \
    L_I32_ADD_S3_##o: S3SUM(o, fn, fp[RRRI_B(ip)].u32)                   \
    L_I32_ADD_ADD_S3_##o: S3SUM(o, fn, fp[RRRI_B(ip)].u32 + fp[RRRI_C(ip)].u32)
    WASM_SHIFT3S(S3ADD)
#undef S3ADD
#undef S3SUM

#define STORE(tag, memory, addr, check, op, ctype, in)                  \
    L_##op##_##tag: {                                                    \
        ctype v = (ctype)fp[RRI_A(ip)].in;                               \
        const struct lw_memory *mem_ = MEM_OF_##memory(RRII_J(ip).p);    \
        (void)mem_;                                                      \
        uint64_t ea = MEM_EA_##addr(RRI_D(ip), RRI_I(ip).u64);           \
        MEM_CHECK_##check(ea, sizeof v, MEM_SIZE_##memory);              \
        memcpy(MEM_BASE_##memory + ea, &v, sizeof v);                    \
        DONE_MV(memory, RRI);                                            \
    }
#define STOREF(form, op, ctype, in)                                      \
    L_##op##_##form: {                                                   \
        ctype v = (ctype)fp[RRRI_A(ip)].in;                              \
        memcpy(mb + MEM_EA_FOLD(form, RRRI_D(ip)), &v, sizeof v);        \
        DONE(RRRI);                                                      \
    }                                                                    \
    L_##op##_##form##K:                                                  \
        STOREFK(form, ctype, in);                                        \
        DONE(RRRII);
#define STORES(op, ctype, in)                                            \
    WASM_MEMVARS(STORE, op, ctype, in)                                   \
    L_##op##_K: {                                                        \
        ctype v = (ctype)RRII_J(ip).in;                                  \
        memcpy(mb + MEM_EA_A32(RRII_D(ip), RRII_I(ip).u64), &v, sizeof v); \
        DONE(RRII);                                                      \
    }                                                                    \
    L_##op##_ABS: {                                                      \
        ctype v = (ctype)fp[RRI_A(ip)].in;                               \
        memcpy(mb + RRI_I(ip).u64, &v, sizeof v);                        \
        DONE(RRI);                                                       \
    }                                                                    \
    L_##op##_ABSK: {                                                     \
        ctype v = (ctype)RRII_J(ip).in;                                  \
        memcpy(mb + RRII_I(ip).u64, &v, sizeof v);                       \
        DONE(RRII);                                                      \
    }                                                                    \
    L_##op##_STEP: {                                                     \
        ctype v = (ctype)fp[RRRII_C(ip)].in;                             \
        memcpy(mb + MEM_EA_A32(RRRII_B(ip), RRRII_I(ip).u64), &v, sizeof v); \
        /* After the store, which may fault (see interp_guarded_access). */ \
        fp[RRRII_D(ip)].u32 = fp[RRRII_A(ip)].u32 + (uint32_t)RRRII_J(ip).u64; \
        DONE(RRRII);                                                     \
    }                                                                    \
    WASM_ADDRFORMS(STOREF, op, ctype, in)
    WASM_STORES(STORES)
#undef STORES
#undef STOREF
#undef STORE

    /* ---- control ---- */
L_EXIT:
    return 0;
L_UNREACHABLE:
    TRAP("unreachable");
L_BR:
    JUMP(I_I(ip).t);
L_BR_IF:
    if (fp[RRI_D(ip)].u32)
        JUMP(RRI_I(ip).t);
    DONE(RRI);
L_BR_UNLESS:
    if (!fp[RRI_D(ip)].u32)
        JUMP(RRI_I(ip).t);
    DONE(RRI);
L_BR_IF_AND_I:
    if (fp[RRII_D(ip)].u32 & (uint32_t)RRII_I(ip).u64)
        JUMP(RRII_J(ip).t);
    DONE(RRII);
L_BR_UNLESS_AND_I:
    if (!(fp[RRII_D(ip)].u32 & (uint32_t)RRII_I(ip).u64))
        JUMP(RRII_J(ip).t);
    DONE(RRII);
L_BR_NULL:
    if (!fp[RRI_D(ip)].ref)
        JUMP(RRI_I(ip).t);
    DONE(RRI);
L_BR_NON_NULL:
    if (fp[RRI_D(ip)].ref)
        JUMP(RRI_I(ip).t);
    DONE(RRI);
/* The loaded value also goes to slot d (the load's own result: a local
 * it was kept in, else its temporary). */
#define BRLOAD_(name, ctype, cop, ct, rhs)                               \
    L_##name: {                                                          \
        ctype v_;                                                        \
        memcpy(&v_, mb + MEM_EA_SUM(fp[RRRII_A(ip)].u32 + RRRII_C(ip),   \
                                    RRRII_I(ip).u64), sizeof v_);        \
        fp[RRRII_D(ip)].u32 = v_;                                        \
        if ((wasm_t_##ct)(uint32_t)v_ cop (wasm_t_##ct)(rhs))            \
            JUMP(RRRII_J(ip).t);                                         \
        DONE(RRRII);                                                     \
    }
#define BRLOAD(name, op, ctype, cmp, cop, ct)                            \
    BRLOAD_(BR_##name##_##cmp, ctype, cop, ct, fp[RRRII_B(ip)].u32)      \
    BRLOAD_(BR_##name##_##cmp##_I, ctype, cop, ct, RRRII_B(ip))          \
    L_BR_##name##2_##cmp:                                                \
        BRLOAD2(ctype, cop, ct);                                         \
        DONE(BRLL);
    WASM_BRLOADS(BRLOAD)
#undef BRLOAD
#undef BRLOAD_
L_BR_TABLE: {
        uint32_t i = fp[BRT_A(ip)].u32, n = BRT_N(ip);
        BRT_GO(&BRT_I(ip, 0), i < n ? i : n);
    }
/* A br_table on an index loaded from base in format F; then (after the
 * load, which may fault: see interp_guarded_access) the writes of the
 * variant. */
#define BRTLOAD_(name, F, ctype, base, writes)                           \
    L_##name: {                                                          \
        ctype v_;                                                        \
        uint32_t n = F##_N(ip);                                          \
        memcpy(&v_, mb + MEM_EA_SUM((base) + F##_C(ip), F##_I(ip).u64), sizeof v_); \
        writes;                                                          \
        BRT_GO(&F##_J(ip, 0), v_ < n ? v_ : n);                          \
    }
#define BRTLOAD_STEP(F) fp[F##_D(ip)].u32 = fp[F##_X(ip)].u32 + F##_K(ip)
#define BRTLOAD_SHL (fp[BRTLSC_E(ip)].u32 << BRTLSC_F(ip))
#define BRTLOAD(name, op, ctype)                                         \
    BRTLOAD_(BR_TABLE_##name, BRTL, ctype, fp[BRTL_A(ip)].u32, (void)0)  \
    BRTLOAD_(BR_TABLE_##name##_S, BRTLS, ctype, fp[BRTLS_A(ip)].u32,     \
             BRTLOAD_STEP(BRTLS))                                        \
    BRTLOAD_(BR_TABLE_##name##_SC, BRTLSC, ctype, fp[BRTLSC_A(ip)].u32,  \
             fp[BRTLSC_E(ip)] = fp[BRTLSC_F(ip)]; BRTLOAD_STEP(BRTLSC))  \
    BRTLOAD_(BR_TABLE_##name##_SH, BRTLSC, ctype, BRTLOAD_SHL,           \
             fp[BRTLSC_A(ip)].u32 = BRTLOAD_SHL; BRTLOAD_STEP(BRTLSC))
    WASM_BRTLOADS(BRTLOAD)
#undef BRTLOAD
#undef BRTLOAD_SHL
#undef BRTLOAD_STEP
#undef BRTLOAD_
#define BRT_LABEL(h, l) L_BRT_##h##l: JUMP(brt[(h) * 8 + (l)].t);
    BRT_EACH(BRT_LABEL)
#undef BRT_LABEL
L_RET:
    RETURN();
L_I32_ADD_RET:
    fp[RRR_D(ip)].u32 = fp[RRR_A(ip)].u32 + fp[RRR_B(ip)].u32;
    RETURN();
L_I32_SUB_RET:
    fp[RRR_D(ip)].u32 = fp[RRR_A(ip)].u32 - fp[RRR_B(ip)].u32;
    RETURN();

    /* ---- calls ---- */
L_CALL:
    callee = RRI_I(ip).p;
    nfp = fp + RRI_D(ip);
    ret = ip + WASM_CELLS_RRI;
    ENTER();
    if (UNLIKELY(s->poll))
        goto poll;
    NEXT();
L_CALL_ADD_I:
    fp[RRRI_B(ip)].u32 = fp[RRRI_A(ip)].u32 + RRRI_C(ip);
    callee = RRRI_I(ip).p;
    nfp = fp + RRRI_D(ip);
    ret = ip + WASM_CELLS_RRRI;
    ENTER();
    if (UNLIKELY(s->poll))
        goto poll;
    NEXT();
L_MOV2_CALL:
    fp[RRRII_D(ip)] = fp[RRRII_A(ip)];
    fp[RRRII_B(ip)] = fp[RRRII_C(ip)];
    callee = RRRII_J(ip).p;
    nfp = fp + RRRII_I(ip).u64;
    ret = ip + WASM_CELLS_RRRII;
    ENTER();
    if (UNLIKELY(s->poll))
        goto poll;
    NEXT();
L_CALL_FAR:
    callee = RRI_I(ip).p;
    nfp = fp + RRI_D(ip);
    ret = ip + WASM_CELLS_RRI;
    goto call;
L_CALL_INDIRECT:
    INDIRECT_CALLEE();
    nfp = fp + RRII_A(ip);
    ret = ip + WASM_CELLS_RRII;
call:
    if (UNLIKELY(callee->host != NULL)) {
        SAFEPOINT();
        if (interp_host(s, callee, nfp, func->inst, err, &exn)) {
            if (exn)
                goto throw;
            if (err)
                trap_kind = err->kind;
            trap_msg = NULL;
            goto trap;
        }
        ip = ret;
        RELOAD_MEM();
        NEXT();
    }
    ENTER();
    RELOAD_MEM();
    if (UNLIKELY(s->poll))
        goto poll;
    NEXT();

L_CALL_REF:
    callee = fp[RR_D(ip)].ref;
    if (UNLIKELY(!callee))
        TRAP("null function reference");
    nfp = fp + RR_A(ip);
    ret = ip + WASM_CELLS_RR;
    goto call;

    /* ---- tail calls: the callee takes over this frame ---- */
L_TAIL_CALL:
    callee = RRI_I(ip).p;
    nfp = fp + RRI_D(ip);
    TAIL_ENTER();
    if (UNLIKELY(s->poll))
        goto poll;
    NEXT();
L_TAIL_CALL_FAR:
    callee = RRI_I(ip).p;
    nfp = fp + RRI_D(ip);
    goto tail_call;
L_TAIL_CALL_INDIRECT:
    INDIRECT_CALLEE();
    nfp = fp + RRII_A(ip);
tail_call:
    if (UNLIKELY(callee->host != NULL)) {
        /* The host function runs in this frame's place, then returns
         * to this function's caller with its results at fp[0..]. */
        uint32_t n = interp_cells(callee->type.nparams, callee->type.params);
        for (uint32_t i = 0; i < n; i++)
            fp[i] = nfp[i];
        SAFEPOINT();
        if (interp_host(s, callee, fp, func->inst, err, &exn)) {
            if (exn) {
                /* Thrown from this frame's place: the caller's handlers
                 * apply, not this function's. */
                wasm_frame_rec *r = ftop - 1;
                if (r == s->exec->base)
                    goto uncaught;
                s->ftop = ftop = r;
                ip = r->ret - 1;
                fp = r->fp;
                func = r->caller;
                goto throw;
            }
            if (err)
                trap_kind = err->kind;
            trap_msg = NULL;
            goto trap;
        }
        goto L_RET;
    }
    TAIL_ENTER();
    RELOAD_MEM();
    if (UNLIKELY(s->poll))
        goto poll;
    NEXT();

L_TAIL_CALL_REF:
    callee = fp[RR_D(ip)].ref;
    if (UNLIKELY(!callee))
        TRAP("null function reference");
    nfp = fp + RR_A(ip);
    goto tail_call;

    /* ---- moves, constants, select, globals ---- */
L_COPY:
    fp[RR_D(ip)] = fp[RR_A(ip)];
    DONE(RR);
/* MOVn, MOVn_BR, MOVn_RET: the first n copies, in order, then the next
 * instruction, the jump, the return. */
#define MOVE(k) fp[MOV_D(ip, k)] = fp[MOV_A(ip, k)]
#define MOVES1 MOVE(0)
#define MOVES2 MOVES1; MOVE(1)
#define MOVES3 MOVES2; MOVE(2)
#define MOVES4 MOVES3; MOVE(3)
#define MOVN(n)                                                          \
    L_MOV##n##_BR:                                                       \
    MOVES##n;                                                            \
    JUMP(MOVB_T(ip, n).t);                                               \
    L_MOV##n##_RET:                                                      \
    MOVES##n;                                                            \
    RETURN();
    MOVN(2) MOVN(3) MOVN(4)
L_MOV2:
    MOVES2;
    DONE(MOV2);
L_MOV3:
    MOVES3;
    DONE(MOV3);
L_MOV4:
    MOVES4;
    DONE(MOV4);
L_COPY_BR:
    MOVES1;
    JUMP(MOVB_T(ip, 1).t);
L_COPY_RET:
    MOVES1;
    RETURN();
#undef MOVN
#undef MOVES4
#undef MOVES3
#undef MOVES2
#undef MOVES1
#undef MOVE
L_I32_ADD_SHL:
    fp[RRR_D(ip)].u32 = fp[RRR_A(ip)].u32 + (fp[RRR_B(ip)].u32 << RRR_C(ip));
    DONE(RRR);
L_LD32_L_S: {
        uint32_t e_, v_;
        memcpy(&e_, mb + LD32_L_S_EA0, sizeof e_);
        fp[RRRII_B(ip)].u64 = e_;
        memcpy(&v_, mb + LD32_L_S_EA1, sizeof v_);
        fp[RRRII_D(ip)].u64 = v_;
        DONE(RRRII);
    }
L_I32_MUL_ADD:
    fp[RRRI_D(ip)].u32 = fp[RRRI_A(ip)].u32 * (uint32_t)RRRI_I(ip).u64 + fp[RRRI_B(ip)].u32;
    DONE(RRRI);
L_I32_MUL_ADD_I:
    fp[RRII_D(ip)].u32 = fp[RRII_A(ip)].u32 * (uint32_t)RRII_I(ip).u64 +
                         (uint32_t)RRII_J(ip).u64;
    DONE(RRII);
L_I32_ADD_SHL_I:
    fp[RRRI_D(ip)].u32 = fp[RRRI_A(ip)].u32 + (fp[RRRI_B(ip)].u32 << RRRI_C(ip)) +
                         (uint32_t)RRRI_I(ip).u64;
    DONE(RRRI);
L_I32_ADD_I2:
    fp[RRRI_B(ip)].u32 = fp[RRRI_C(ip)].u32 + (uint32_t)RRRI_I(ip).u64;
    fp[RRRI_D(ip)].u32 = fp[RRRI_A(ip)].u32 + (uint32_t)(RRRI_I(ip).u64 >> 32);
    DONE(RRRI);
/* LD32_K<form>_BR_IF, _BR_UNLESS (interp.def, WASM_KEPTBRFORMS). */
#define LOADKBR_(form, name, cop)                                        \
    L_LD32_K##form##_##name: {                                           \
        uint32_t v_, sum_ = MEM_KEPT_SUM(form);                          \
        memcpy(&v_, mb + MEM_EA_SUM(sum_, RRRII_C(ip)), sizeof v_);      \
        fp[RRRII_J(ip).w.a].u32 = sum_;                                  \
        fp[RRRII_D(ip)].u64 = v_;                                        \
        if (v_ cop 0)                                                    \
            JUMP(RRRII_I(ip).t);                                         \
        DONE(RRRII);                                                     \
    }
#define LOADKBR(form, ...) LOADKBR_(form, BR_IF, !=) LOADKBR_(form, BR_UNLESS, ==)
    WASM_KEPTBRFORMS(LOADKBR)
#undef LOADKBR
#undef LOADKBR_
/* BR_<L>_<CMP>_KM (interp.def): the load first, then the writes. */
#define BRLOADKM(name, op, ctype, cmp, cop, ct)                          \
    L_BR_##name##_##cmp##_KM: {                                          \
        ctype v_;                                                        \
        uint32_t p_ = fp[BRLL_A(ip)].u32 * BRLL_C(ip);                   \
        memcpy(&v_, mb + MEM_EA_SUM(p_ + BRLL_K(ip), BRLL_J(ip)), sizeof v_); \
        fp[BRLL_E(ip)].u32 = p_;                                         \
        fp[BRLL_D(ip)].u32 = v_;                                         \
        if ((wasm_t_##ct)(uint32_t)v_ cop (wasm_t_##ct)fp[BRLL_B(ip)].u32) \
            JUMP(BRLL_T(ip).t);                                          \
        DONE(BRLL);                                                      \
    }
    WASM_BRLOADS(BRLOADKM)
#undef BRLOADKM
/* SELECT_<cmp>_I_KK, _KS, _SK (interp.def): a select on the compare
 * of a slot with a constant, the compare right before it. */
#define SELCMP_(in, cop, k) ((wasm_t_##in)fp[RRRII_A(ip)].u32 cop (wasm_t_##in)(k))
#define SELCMP(op, in, cop, ...)                                         \
    L_SELECT_##op##_I_KK:                                                \
    fp[RRRII_D(ip)].u64 = SELCMP_(in, cop, RRRII_B(ip))                  \
                              ? RRRII_I(ip).u64 : RRRII_J(ip).u64;       \
    DONE(RRRII);                                                         \
    L_SELECT_##op##_I_KS:                                                \
    fp[RRRII_D(ip)].u64 = SELCMP_(in, cop, RRRII_C(ip))                  \
                              ? RRRII_I(ip).u64 : fp[RRRII_B(ip)].u64;   \
    DONE(RRRII);                                                         \
    L_SELECT_##op##_I_SK:                                                \
    fp[RRRII_D(ip)].u64 = SELCMP_(in, cop, RRRII_C(ip))                  \
                              ? fp[RRRII_B(ip)].u64 : RRRII_I(ip).u64;   \
    DONE(RRRII);
    WASM_CMPOPS32(SELCMP)
#undef SELCMP
#undef SELCMP_
L_I32_ADD_I_BR:
    fp[RRII_D(ip)].u32 = fp[RRII_A(ip)].u32 + (uint32_t)RRII_I(ip).u64;
    JUMP(RRII_J(ip).t);
L_COPY2:
    fp[RR_D(ip)] = fp[RR_A(ip)];
    fp[RR_D(ip) + 1] = fp[RR_A(ip) + 1];
    DONE(RR);
L_CONST:
    fp[RRI_D(ip)].u64 = RRI_I(ip).u64;
    DONE(RRI);
L_CONST2:
    fp[RRII_D(ip)].u64 = RRII_I(ip).u64;
    fp[RRII_D(ip) + 1].u64 = RRII_J(ip).u64;
    DONE(RRII);
L_SELECT:
    fp[RRR_D(ip)] = fp[RRR_C(ip)].u32 ? fp[RRR_A(ip)] : fp[RRR_B(ip)];
    DONE(RRR);
L_SELECT_KK:
    fp[RRII_D(ip)].u64 = fp[RRII_A(ip)].u32 ? RRII_I(ip).u64 : RRII_J(ip).u64;
    DONE(RRII);
L_SELECT_KS:
    fp[RRRI_D(ip)].u64 = fp[RRRI_C(ip)].u32 ? RRRI_I(ip).u64 : fp[RRRI_B(ip)].u64;
    DONE(RRRI);
L_SELECT_SK:
    fp[RRRI_D(ip)].u64 = fp[RRRI_C(ip)].u32 ? fp[RRRI_A(ip)].u64 : RRRI_I(ip).u64;
    DONE(RRRI);
L_SELECT2: {
        uint32_t src = fp[RRR_C(ip)].u32 ? RRR_A(ip) : RRR_B(ip);
        wasm_slot lo = fp[src], hi = fp[src + 1];
        fp[RRR_D(ip)] = lo;
        fp[RRR_D(ip) + 1] = hi;
        DONE(RRR);
    }
L_GLOBAL_GET:
    fp[RRI_D(ip)] = ((wasm_slot *)RRI_I(ip).p)[0];
    DONE(RRI);
L_GLOBAL_SET:
    ((wasm_slot *)RRI_I(ip).p)[0] = fp[RRI_D(ip)];
    DONE(RRI);
L_GLOBAL_GET2:
    fp[RRI_D(ip)] = ((wasm_slot *)RRI_I(ip).p)[0];
    fp[RRI_D(ip) + 1] = ((wasm_slot *)RRI_I(ip).p)[1];
    DONE(RRI);
L_GLOBAL_SET2:
    ((wasm_slot *)RRI_I(ip).p)[0] = fp[RRI_D(ip)];
    ((wasm_slot *)RRI_I(ip).p)[1] = fp[RRI_D(ip) + 1];
    DONE(RRI);
L_REF_IS_NULL:
    fp[RR_D(ip)].u64 = fp[RR_A(ip)].ref == NULL;
    DONE(RR);
L_REF_AS_NON_NULL:
    if (UNLIKELY(!fp[RR_A(ip)].ref))
        TRAP("null reference");
    fp[RR_D(ip)] = fp[RR_A(ip)];
    DONE(RR);
L_REF_EQ:
    fp[RRR_D(ip)].u64 = fp[RRR_A(ip)].ref == fp[RRR_B(ip)].ref;
    DONE(RRR);

    /* ---- tables ---- */
L_TABLE_GET: {
        const lw_table *t = RRI_I(ip).p;
        uint64_t i = ADDR(RRI_A(ip), t->type.limits.is64);
        if (UNLIKELY(i >= t->size))
            TRAP("out of bounds table access");
        fp[RRI_D(ip)].ref = t->elems[i];
        DONE(RRI);
    }
L_TABLE_SET: {
        lw_table *t = RRI_I(ip).p;
        uint64_t i = ADDR(RRI_D(ip), t->type.limits.is64);
        if (UNLIKELY(i >= t->size))
            TRAP("out of bounds table access");
        t->elems[i] = fp[RRI_A(ip)].ref;
        DONE(RRI);
    }
L_TABLE_SIZE:
    fp[RRI_D(ip)].u64 = ((const lw_table *)RRI_I(ip).p)->size;
    DONE(RRI);
L_TABLE_GROW: {
        lw_table *t = RRRI_I(ip).p;
        bool w = t->type.limits.is64;
        SAFEPOINT();
        int64_t r = interp_table_grow(t, ADDR(RRRI_B(ip), w), fp[RRRI_A(ip)].ref);
        fp[RRRI_D(ip)].u64 = w ? (uint64_t)r : (uint32_t)r;
        DONE(RRRI);
    }
L_TABLE_FILL: {
        lw_table *t = RRRI_I(ip).p;
        bool w = t->type.limits.is64;
        uint64_t i = ADDR(RRRI_D(ip), w), n = ADDR(RRRI_B(ip), w);
        if (UNLIKELY(interp_oob(i, n, t->size)))
            TRAP("out of bounds table access");
        for (uint64_t k = 0; k < n; k++)
            t->elems[i + k] = fp[RRRI_A(ip)].ref;
        DONE(RRRI);
    }
L_TABLE_COPY: {
        lw_table *dt = RRRII_I(ip).p, *st = RRRII_J(ip).p;
        bool dw = dt->type.limits.is64, sw = st->type.limits.is64;
        uint64_t d = ADDR(RRRII_D(ip), dw), sr = ADDR(RRRII_A(ip), sw);
        uint64_t n = ADDR(RRRII_B(ip), dw && sw);
        if (UNLIKELY(interp_oob(d, n, dt->size) || interp_oob(sr, n, st->size)))
            TRAP("out of bounds table access");
        memmove(dt->elems + d, st->elems + sr, n * sizeof(void *));
        DONE(RRRII);
    }
L_TABLE_INIT: {
        lw_table *t = RRRI_I(ip).p;
        lw_instance *inst = func->inst;
        uint32_t seg = RRRI_C(ip);
        uint64_t d = ADDR(RRRI_D(ip), t->type.limits.is64);
        uint64_t sr = fp[RRRI_A(ip)].u32, n = fp[RRRI_B(ip)].u32;
        if (UNLIKELY(sr + n > inst->elem_len[seg] || interp_oob(d, n, t->size)))
            TRAP("out of bounds table access");
        memcpy(t->elems + d, inst->elems[seg] + sr, n * sizeof(void *));
        DONE(RRRI);
    }
L_ELEM_DROP:
    func->inst->elem_len[RR_D(ip)] = 0;
    DONE(RR);

    /* ---- memory: size and bulk, on any memory ---- */
L_MEMORY_SIZE:
    fp[RRI_D(ip)].u64 = ((const struct lw_memory *)RRI_I(ip).p)->pages;
    DONE(RRI);
L_MEMORY_GROW: {
        struct lw_memory *m = RRI_I(ip).p;
        bool w = m->type.is64;
        SAFEPOINT();
        int64_t r = lw_memory_grow(m, ADDR(RRI_A(ip), w));
        fp[RRI_D(ip)].u64 = w ? (uint64_t)r : (uint32_t)r;
        RELOAD_MEM();
        DONE(RRI);
    }
L_MEMORY_FILL: {
        const struct lw_memory *m = RRRI_I(ip).p;
        bool w = m->type.is64;
        uint64_t d = ADDR(RRRI_D(ip), w), n = ADDR(RRRI_B(ip), w);
        if (UNLIKELY(interp_oob(d, n, m->size)))
            TRAP("out of bounds memory access");
        memset(m->base + d, (int)fp[RRRI_A(ip)].u32, n);
        DONE(RRRI);
    }
L_MEMORY_COPY: {
        const struct lw_memory *dm = RRRII_I(ip).p, *sm = RRRII_J(ip).p;
        bool dw = dm->type.is64, sw = sm->type.is64;
        uint64_t d = ADDR(RRRII_D(ip), dw), sr = ADDR(RRRII_A(ip), sw);
        uint64_t n = ADDR(RRRII_B(ip), dw && sw);
        if (UNLIKELY(interp_oob(d, n, dm->size) || interp_oob(sr, n, sm->size)))
            TRAP("out of bounds memory access");
        memmove(dm->base + d, sm->base + sr, n);
        DONE(RRRII);
    }
L_MEMORY_INIT: {
        const struct lw_memory *m = RRRI_I(ip).p;
        lw_instance *inst = func->inst;
        uint32_t seg = RRRI_C(ip);
        uint64_t d = ADDR(RRRI_D(ip), m->type.is64);
        uint64_t sr = fp[RRRI_A(ip)].u32, n = fp[RRRI_B(ip)].u32;
        if (UNLIKELY(sr + n > inst->data_len[seg] || interp_oob(d, n, m->size)))
            TRAP("out of bounds memory access");
        if (n)
            memcpy(m->base + d, inst->module->datas[seg].bytes + sr, n);
        DONE(RRRI);
    }
L_DATA_DROP:
    func->inst->data_len[RR_D(ip)] = 0;
    DONE(RR);

    /* ---- SIMD ---- */
L_SIMD: {
        const wasm_simd_rec *r = RRRI_I(ip).p;
        wasm_v128 a, b, c, out;
        if (r->cells[0])
            interp_simd_arg(fp + RRRI_A(ip), r->cells[0], &a);
        if (r->cells[1])
            interp_simd_arg(fp + RRRI_B(ip), r->cells[1], &b);
        if (r->cells[2])
            interp_simd_arg(fp + RRRI_C(ip), r->cells[2], &c);
        wasm_simd_apply(r->ins.op, &r->ins, &a, &b, &c, &out);
        fp[RRRI_D(ip)].u64 = out.u64[0];
        if (r->dcells == 2)
            fp[RRRI_D(ip) + 1].u64 = out.u64[1];
        DONE(RRRI);
    }
#define SIMD_LOAD(tag, memory, addr, check, ...)                         \
    L_SIMD_LOAD_##tag: {                                                 \
        const wasm_simd_rec *r = RRII_J(ip).p;                           \
        const struct lw_memory *mem_ = MEM_OF_##memory(r->mem);          \
        (void)mem_;                                                      \
        uint64_t ea = MEM_EA_##addr(RRII_A(ip), RRII_I(ip).u64);         \
        MEM_CHECK_##check(ea, wasm_simd_mem_size(r->ins.op), MEM_SIZE_##memory); \
        wasm_v128 vec, out;                                              \
        interp_simd_arg(fp + r->vslot, 2, &vec);                         \
        wasm_simd_load(r->ins.op, r->ins.imm.mem.lane, MEM_BASE_##memory + ea, \
                       &vec, &out);                                      \
        fp[RRII_D(ip)].u64 = out.u64[0];                                 \
        fp[RRII_D(ip) + 1].u64 = out.u64[1];                             \
        DONE(RRII);                                                      \
    }
#define SIMD_STORE(tag, memory, addr, check, ...)                        \
    L_SIMD_STORE_##tag: {                                                \
        const wasm_simd_rec *r = RRII_J(ip).p;                           \
        const struct lw_memory *mem_ = MEM_OF_##memory(r->mem);          \
        (void)mem_;                                                      \
        uint64_t ea = MEM_EA_##addr(RRII_D(ip), RRII_I(ip).u64);         \
        MEM_CHECK_##check(ea, wasm_simd_mem_size(r->ins.op), MEM_SIZE_##memory); \
        wasm_v128 vec;                                                   \
        interp_simd_arg(fp + RRII_A(ip), 2, &vec);                       \
        wasm_simd_store(r->ins.op, r->ins.imm.mem.lane, &vec, MEM_BASE_##memory + ea); \
        DONE(RRII);                                                      \
    }
    WASM_MEMVARS(SIMD_LOAD, ~)
    WASM_MEMVARS(SIMD_STORE, ~)
#undef SIMD_LOAD
#undef SIMD_STORE

    /* ---- exceptions ---- */
L_THROW: {
        struct lw_tag *tag = RRI_I(ip).p;
        exn = malloc(sizeof *exn + tag->ncells * sizeof(wasm_slot));
        if (UNLIKELY(!exn)) {
            trap_kind = LW_ERR_NOMEM;
            TRAP("out of memory");
        }
        exn->tag = tag;
        exn->owned = false;
        exn->ncells = tag->ncells;
        memcpy(exn->vals, fp + RRI_D(ip), tag->ncells * sizeof(wasm_slot));
        goto throw;
    }
L_THROW_REF:
    exn = fp[RR_D(ip)].ref;
    if (UNLIKELY(!exn))
        TRAP("null exception reference");
    goto throw;

    /* ---- atomics (threads) ---- */
L_ATOMIC: {
        const wasm_atomic_rec *r = RRRI_I(ip).p;
        uint64_t out;
        SAFEPOINT();
        trap_msg = wasm_atomic_run(s, r, fp[RRRI_A(ip)].u64, fp[RRRI_B(ip)].u64,
                                   fp[RRRI_C(ip)].u64, &out);
        if (UNLIKELY(trap_msg != NULL))
            goto trap;
        if (r->result)
            fp[RRRI_D(ip)].u64 = out;
        /* Another thread may have grown the memory while this one waited. */
        RELOAD_MEM();
        DONE(RRRI);
    }

    /* ---- GC: the work in gc.c, which may collect ---- */
L_GC:
    SAFEPOINT();
    trap_msg = wasm_gc_run(s, RRRI_I(ip).p, fp + RRRI_A(ip), fp + RRRI_D(ip));
    if (UNLIKELY(trap_msg != NULL))
        goto trap;
    DONE(RRRI);

    /* ---- slow paths ---- */
throw: {
        /* Find the handler first, then unwind to its frame: the frames'
         * records give each caller's slots and instruction. */
        SAFEPOINT();
        wasm_frame_rec *to;
        const wasm_eclause *k = interp_find_handler(s, func, ip, exn, &to);
        if (!k)
            goto uncaught;
        while (ftop > to) {
            wasm_frame_rec *r = --ftop;
            fp = r->fp;
            func = r->caller;
        }
        s->ftop = ftop;
        memcpy(fp + k->dst, exn->vals, k->ncells * sizeof(wasm_slot));
        if (k->keep) {
            if (UNLIKELY(wasm_exn_own(s, exn))) {
                free(exn);
                trap_kind = LW_ERR_NOMEM;
                TRAP("out of memory");
            }
            fp[k->exn].ref = exn;
        } else if (!exn->owned) {
            free(exn);
        }
        exn = NULL;
        ip = func->code + k->target;
        RELOAD_MEM();
        NEXT();
    }
uncaught:
    SAFEPOINT();
    if (!exn->owned && wasm_exn_own(s, exn)) {
        free(exn);
        exn = NULL;
    }
    wasm_fail(err, exn ? LW_ERR_EXCEPTION : LW_ERR_NOMEM,
              exn ? "uncaught exception" : "out of memory");
    if (err)
        err->exn = exn;
    wasm_trap_backtrace(s, err);
    return -1;

poll:
    if (s->interrupt) {
        s->interrupt = 0;
        s->poll = s->fuel != UINT64_MAX;
        TRAP("interrupted");
    }
    if (s->fuel != UINT64_MAX) {
        if (s->fuel == 0)
            TRAP("fuel exhausted");
        s->fuel--;
    }
    NEXT();

trap:
    SAFEPOINT();
    if (trap_msg)
        wasm_fail(err, trap_kind, "%s", trap_msg);
    wasm_trap_backtrace(s, err);
    return -1;
}

const void *const *wasm_interp_handlers(void)
{
    const void *const *table;
    interp_loop(NULL, NULL, NULL, NULL, &table);
    return table;
}

/* ---- the instruction of a guard-page fault ----
 *
 * A load or store that relies on guard pages is no safepoint: publishing
 * its ip would cost a store on every access.  When one faults, the
 * instruction is found afterwards instead.  The innermost frame's
 * function and slots are known from the frame records, and the faulting
 * handler has not written its slots yet, so every guarded access of that
 * function can be evaluated again: the one whose bytes hold the faulting
 * byte, and that reads or writes as the fault did, is the instruction.
 * Compilers reuse locals, so in real code several accesses often have
 * the same address; they are told apart by which of them the registers
 * at the fault point to (the loop keeps ip, or ip stepped past the
 * instruction, in one).  When that does not settle it, the frame gives
 * the function's start, as for a fault whose instruction is unknown. */

typedef struct {
    uint64_t ea;              /* first byte */
    uint32_t size;
    bool write;
} interp_access;

#define MEM_GUARDED_GUARD 1
#define MEM_GUARDED_CHECK 0

/* Access k (from 0, in the order they run) that the instruction at ip
 * makes with the slots at fp, if it is one that relies on guard pages
 * (the handlers above, evaluated here). */
static bool interp_guarded_access(const void *const *table, const wasm_icell *ip,
                                  const wasm_slot *fp, uint32_t k, interp_access *a)
{
    const void *h = ip->h;
#define LOOP2(x, y, ...)                                                 \
    if (h == table[IOP_LOOP_##x##_##y])                                  \
        h = table[IOP_##x];
    WASM_LOOP2S(LOOP2)
#undef LOOP2
#define ACCESS(iop, addr, n, w)                                          \
    if (h == table[iop]) {                                               \
        *a = (interp_access){(addr), (n), (w)};                          \
        return k == 0;                                                   \
    }
#define ACCESS2(iop, addr0, addr1, n, w)                                 \
    if (h == table[iop]) {                                               \
        *a = (interp_access){k ? (addr1) : (addr0), (n), (w)};           \
        return k < 2;                                                    \
    }
#define ACCESS4(iop, addr0, addr1, addr2, addr3, n, w)                   \
    if (h == table[iop]) {                                               \
        *a = (interp_access){k == 0 ? (addr0) : k == 1 ? (addr1)         \
                             : k == 2 ? (addr2) : (addr3), (n), (w)};    \
        return k < 4;                                                    \
    }
#define LOAD(tag, memory, addr, check, op, ctype, out)                   \
    if (MEM_GUARDED_##check)                                             \
        ACCESS(IOP_##op##_##tag, MEM_EA_##addr(RRI_A(ip), RRI_I(ip).u64), sizeof(ctype), false)
#define LOADF(form, op, ctype, out)                                      \
    ACCESS(IOP_##op##_##form, MEM_EA_FOLD(form, RRRI_A(ip)), sizeof(ctype), false)
#define LOADK(form, op, ctype, out)                                      \
    ACCESS(IOP_##op##_K##form, MEM_EA_SUM(MEM_KEPT_SUM(form), RRRII_I(ip).u64), \
           sizeof(ctype), false)
#define LOADS(op, ctype, out)                                            \
    WASM_MEMVARS(LOAD, op, ctype, out)                                   \
    WASM_ADDRFORMS(LOADF, op, ctype, out)                                \
    WASM_KEPTFORMS(LOADK, op, ctype, out)                                \
    ACCESS(IOP_##op##_SI2, MEM_SI2_EA(MEM_SI2_INDEX), sizeof(ctype), false) \
    ACCESS(IOP_##op##_ABS, RRI_I(ip).u64, sizeof(ctype), false)
#define LOADK2(form, ...)                                                \
    ACCESS(IOP_LD32_K##form##2,                                          \
           MEM_EA_SUM(MEM_KEPT_SUM(form), (uint32_t)RRRII_I(ip).u64), 4, false)
    WASM_KEPTFORMS(LOADK2)
#undef LOADK2
#define LOADKBR(form, ...)                                               \
    ACCESS(IOP_LD32_K##form##_BR_IF, MEM_EA_SUM(MEM_KEPT_SUM(form), RRRII_C(ip)), 4, false) \
    ACCESS(IOP_LD32_K##form##_BR_UNLESS, MEM_EA_SUM(MEM_KEPT_SUM(form), RRRII_C(ip)), 4, false)
    WASM_KEPTBRFORMS(LOADKBR)
#undef LOADKBR
    WASM_LOADS(LOADS)
#undef LOADS
#undef LOADK
#undef LOADF
#undef LOAD
/* The four loads of format LL2, in the order they run. */
#define LL2_ACCESS(iop, n)                                               \
    ACCESS4(iop, MEM_EA_SUM(fp[LL_A(ip)].u32 + LL_C(ip), LL_I(ip)),      \
            MEM_EA_SUM(fp[LL_B(ip)].u32 + LL_K(ip), LL_J(ip)),           \
            MEM_EA_SUM(fp[LL2_F(ip)].u32 + LL2_G(ip), LL2_L(ip)),        \
            MEM_EA_SUM(fp[LL2_M(ip)].u32 + LL2_N(ip), LL2_O(ip)), n, false)
#define FARITH(op, in, ...)                                              \
    ACCESS(IOP_##op##_M, MEM_EA_SUM(fp[RRRI_B(ip)].u32 + RRRI_C(ip),     \
                                    RRRI_I(ip).u64), sizeof(wasm_t_##in), false) \
    ACCESS(IOP_##op##_L, MEM_EA_SUM(fp[RRRI_B(ip)].u32 + RRRI_C(ip),     \
                                    RRRI_I(ip).u64), sizeof(wasm_t_##in), false) \
    ACCESS2(IOP_##op##_LL, MEM_EA_SUM(fp[LL_A(ip)].u32 + LL_C(ip), LL_I(ip)), \
            MEM_EA_SUM(fp[LL_B(ip)].u32 + LL_K(ip), LL_J(ip)),           \
            sizeof(wasm_t_##in), false)                                  \
    LL2_ACCESS(IOP_##op##_LL2, sizeof(wasm_t_##in))
    WASM_FARITH(FARITH)
#define MULRADD(T, m)                                                    \
    LL2_ACCESS(IOP_##T##_MUL_LL2_RADD, sizeof(wasm_t_##m))               \
    LL2_ACCESS(IOP_##T##_MUL_LL2_RADD2, sizeof(wasm_t_##m))
    MULRADD(F32, f32)
    MULRADD(F64, f64)
#undef MULRADD
#undef LL2_ACCESS
#undef FARITH
    ACCESS2(IOP_LD32_L_S, LD32_L_S_EA0, LD32_L_S_EA1, 4, false)
#define BRTLOAD(name, op, ctype)                                         \
    ACCESS(IOP_BR_TABLE_##name, MEM_EA_SUM(fp[BRTL_A(ip)].u32 + BRTL_C(ip), \
                                           BRTL_I(ip).u64), sizeof(ctype), false) \
    ACCESS(IOP_BR_TABLE_##name##_S,                                      \
           MEM_EA_SUM(fp[BRTLS_A(ip)].u32 + BRTLS_C(ip), BRTLS_I(ip).u64), \
           sizeof(ctype), false) \
    ACCESS(IOP_BR_TABLE_##name##_SC,                                     \
           MEM_EA_SUM(fp[BRTLSC_A(ip)].u32 + BRTLSC_C(ip), BRTLSC_I(ip).u64), \
           sizeof(ctype), false) \
    ACCESS(IOP_BR_TABLE_##name##_SH,                                     \
           MEM_EA_SUM((fp[BRTLSC_E(ip)].u32 << BRTLSC_F(ip)) + BRTLSC_C(ip), \
                      BRTLSC_I(ip).u64), sizeof(ctype), false)
    WASM_BRTLOADS(BRTLOAD)
#undef BRTLOAD
#define BRLOAD(name, op, ctype, cmp, ...)                                \
    ACCESS(IOP_BR_##name##_##cmp, MEM_EA_SUM(fp[RRRII_A(ip)].u32 + RRRII_C(ip), \
                                             RRRII_I(ip).u64), sizeof(ctype), false) \
    ACCESS(IOP_BR_##name##_##cmp##_I,                                    \
           MEM_EA_SUM(fp[RRRII_A(ip)].u32 + RRRII_C(ip), RRRII_I(ip).u64), \
           sizeof(ctype), false)                                         \
    ACCESS2(IOP_BR_##name##2_##cmp, MEM_EA_SUM(fp[BRLL_A(ip)].u32 + BRLL_C(ip), BRLL_I(ip)), \
            MEM_EA_SUM(fp[BRLL_B(ip)].u32 + BRLL_K(ip), BRLL_J(ip)), sizeof(ctype), false) \
    ACCESS(IOP_BR_##name##_##cmp##_KM,                                   \
           MEM_EA_SUM(fp[BRLL_A(ip)].u32 * BRLL_C(ip) + BRLL_K(ip), BRLL_J(ip)), \
           sizeof(ctype), false)
    WASM_BRLOADS(BRLOAD)
#undef BRLOAD
#define STORE(tag, memory, addr, check, op, ctype, in)                   \
    if (MEM_GUARDED_##check)                                             \
        ACCESS(IOP_##op##_##tag, MEM_EA_##addr(RRI_D(ip), RRI_I(ip).u64), sizeof(ctype), true)
#define STOREF(form, op, ctype, in)                                      \
    ACCESS(IOP_##op##_##form, MEM_EA_FOLD(form, RRRI_D(ip)), sizeof(ctype), true) \
    ACCESS(IOP_##op##_##form##K, MEM_EA_FOLD(form, RRRII_D(ip)), sizeof(ctype), true)
#define STORES(op, ctype, in)                                            \
    WASM_MEMVARS(STORE, op, ctype, in)                                   \
    ACCESS(IOP_##op##_K, MEM_EA_A32(RRII_D(ip), RRII_I(ip).u64), sizeof(ctype), true) \
    ACCESS(IOP_##op##_ABS, RRI_I(ip).u64, sizeof(ctype), true)           \
    ACCESS(IOP_##op##_ABSK, RRII_I(ip).u64, sizeof(ctype), true)         \
    ACCESS(IOP_##op##_STEP, MEM_EA_A32(RRRII_B(ip), RRRII_I(ip).u64), sizeof(ctype), true) \
    WASM_ADDRFORMS(STOREF, op, ctype, in)
    WASM_STORES(STORES)
#undef STORES
#undef STOREF
#undef STORE
#define SIMD_ACCESS(tag, memory, addr, check, name, slot, w)             \
    if (MEM_GUARDED_##check)                                             \
        ACCESS(IOP_##name##_##tag, MEM_EA_##addr(slot(ip), RRII_I(ip).u64), \
               wasm_simd_mem_size(((const wasm_simd_rec *)RRII_J(ip).p)->ins.op), w)
    WASM_MEMVARS(SIMD_ACCESS, SIMD_LOAD, RRII_A, false)
    WASM_MEMVARS(SIMD_ACCESS, SIMD_STORE, RRII_D, true)
#undef SIMD_ACCESS
#undef ACCESS4
#undef ACCESS2
#undef ACCESS
    return false;
}

/* Whether access a holds the faulting byte and reads or writes as the
 * fault did. */
static bool interp_fault_in(const wasm_exec *ex, const interp_access *a)
{
    return ex->fault_off >= a->ea && ex->fault_off - a->ea < a->size &&
           (ex->fault_write < 0 || a->write == ex->fault_write);
}

/* The slots of the function that record r describes, from the call that
 * pushed it: its frame starts at that call's argument slots. */
static wasm_slot *interp_callee_fp(const void *const *table, const wasm_frame_rec *r)
{
    const wasm_icell *c = r->ret - WASM_CELLS_RRI;
    if (c->h == table[IOP_CALL] || c->h == table[IOP_CALL_FAR])
        return r->fp + RRI_D(c);
    c = r->ret - WASM_CELLS_RRII;
    if (c->h == table[IOP_CALL_INDIRECT])
        return r->fp + RRII_A(c);
    c = r->ret - WASM_CELLS_RRRI;
    if (c->h == table[IOP_CALL_ADD_I])
        return r->fp + RRRI_D(c);
    c = r->ret - WASM_CELLS_RRRII;
    if (c->h == table[IOP_MOV2_CALL])
        return r->fp + RRRII_I(c).u64;
    c = r->ret - WASM_CELLS_RR;
    if (c->h == table[IOP_CALL_REF])
        return r->fp + RR_A(c);
    return NULL;
}

static bool interp_in_regs(const wasm_exec *ex, const wasm_icell *ip)
{
    for (uint32_t i = 0; i < ex->nfault_regs; i++)
        if (ex->fault_regs[i] == (uintptr_t)ip)
            return true;
    return false;
}

/* Publish the instruction and slots of the innermost frame of ex, the
 * call that faulted (entered with its arguments at base), as a safepoint
 * would have; ip stays NULL when no access fits the fault. */
static void interp_fault_locate(lw_store *s, wasm_exec *ex, wasm_slot *base)
{
    const void *const *table = wasm_interp_handlers();
    const wasm_frame_rec *r = s->ftop - 1;
    if (r < ex->base)
        return;
    const lw_func *f = r->self;
    wasm_slot *fp = r == ex->base ? base : interp_callee_fp(table, r);
    if (!fp || !f->code)
        return;
    const wasm_icell *found = NULL, *in_regs = NULL, *next_in_regs = NULL;
    uint32_t nfound = 0;
    for (uint32_t i = 0; i + 1 < f->nmap; i++) {
        const wasm_icell *ip = f->code + f->map[i].pos;
        interp_access a;
        uint32_t k = 0, hit = UINT32_MAX;
        for (; interp_guarded_access(table, ip, fp, k, &a); k++)
            if (hit == UINT32_MAX && interp_fault_in(ex, &a))
                hit = k;
        /* An instruction of two accesses has a map entry for each, the
         * second inside it: the fault is reported at its access. */
        uint32_t next = i + (k > 1 ? k : 1);
        if (next >= f->nmap)
            break;
        if (hit != UINT32_MAX) {
            const wasm_icell *at = f->code + f->map[i + hit].pos;
            if (!nfound++)
                found = at;
            /* The loop holds ip, or ip already stepped to the next
             * instruction (less sure: the next may be a jump's target,
             * and a copy of a br_table makes the same access as its
             * original). */
            if (!in_regs && interp_in_regs(ex, ip))
                in_regs = at;
            else if (!next_in_regs && interp_in_regs(ex, f->code + f->map[next].pos))
                next_in_regs = at;
        }
        i = next - 1;
    }
    if (nfound > 1)
        found = in_regs ? in_regs : next_in_regs;
    ex->ip = found;
    ex->fp = found ? fp : NULL;
}

/* Host functions that call back into wasm nest interpreter loops on the C
 * stack; this bounds how deep (each level takes a few KiB, and several
 * times that under AddressSanitizer, whose frames hold redzones). */
#if WASM_ASAN
#define INTERP_MAX_NESTING 250
#else
#define INTERP_MAX_NESTING 1000
#endif

int wasm_interp_invoke(lw_store *s, lw_func *f, wasm_slot *base,
                       lw_error *err)
{
    if (f->host)
        return interp_host(s, f, base, NULL, err, NULL);
    if (s->nesting >= INTERP_MAX_NESTING)
        return wasm_fail(err, LW_ERR_EXHAUSTION, "call stack exhausted");
    wasm_exec ex;
    ex.store = s;
    ex.prev = wasm_cur_exec;
    ex.outer = s->exec;
    ex.base = s->ftop;
    ex.ip = NULL;
    ex.fp = base;
    wasm_slot *saved_sp = s->sp;
    int rc;
    s->nesting++;
    s->exec = &ex;
    if (sigsetjmp(ex.jb, 1)) {
        /* A fault in a load or store, which is no safepoint. */
        ex.ip = NULL;
        ex.fp = NULL;
        interp_fault_locate(s, &ex, base);
        wasm_fail(err, LW_ERR_TRAP, "out of bounds memory access");
        wasm_trap_backtrace(s, err);
        rc = -1;
    } else {
        wasm_cur_exec = &ex;
        rc = interp_loop(s, f, base, err, NULL);
    }
    wasm_cur_exec = ex.prev;
    s->exec = ex.outer;
    s->ftop = ex.base;
    s->sp = saved_sp;
    s->nesting--;
    return rc;
}

#ifdef WASM_COUNT_DISPATCH
/* ---- the counting build ----
 *
 * At exit, the file that LIBWASM_DISPATCH_COUNTS names gets the number
 * of instructions run, then each internal instruction (interp.def) with
 * how often it ran, then each pair "a > b" (b run right after a), both
 * lists most frequent first.  A fusion's worth is read off the pairs. */

static const char *const interp_count_names[IOP_COUNT] = {
#define IOP(name, fmt) [IOP_##name] = #name,
    WASM_IOPS
#undef IOP
};

#define COUNT_SLOTS 2048      /* a power of two, above 2 * IOP_COUNT */
_Static_assert(COUNT_SLOTS > 2 * IOP_COUNT, "COUNT_SLOTS too small");
static const void *count_addr[COUNT_SLOTS];
static int count_iop[COUNT_SLOTS];
static uint64_t count_one[IOP_COUNT];
static uint64_t count_pair[IOP_COUNT + 1][IOP_COUNT];  /* row IOP_COUNT: none before */
static __thread int count_prev = IOP_COUNT;
static pthread_once_t count_once = PTHREAD_ONCE_INIT;

static uint32_t count_hash(const void *h)
{
    return (uint32_t)(((uintptr_t)h * 0x9E3779B97F4A7C15ull) >> 40) & (COUNT_SLOTS - 1);
}

typedef struct {
    uint64_t n;
    int a, b;
} count_row;

static int count_cmp(const void *x, const void *y)
{
    const count_row *p = x, *q = y;
    return p->n < q->n ? 1 : p->n > q->n ? -1 : 0;
}

static void count_dump(void)
{
    const char *path = getenv("LIBWASM_DISPATCH_COUNTS");
    if (!path)
        return;
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    size_t n = 0, cap = IOP_COUNT;
    count_row *rows = malloc(cap * sizeof *rows);
    uint64_t total = 0;
    for (int i = 0; rows && i < IOP_COUNT; i++)
        if (count_one[i]) {
            rows[n++] = (count_row){count_one[i], i, 0};
            total += count_one[i];
        }
    fprintf(f, "total %llu\n", (unsigned long long)total);
    if (rows) {
        qsort(rows, n, sizeof *rows, count_cmp);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s %llu\n", interp_count_names[rows[i].a], (unsigned long long)rows[i].n);
        n = 0;
        for (int a = 0; a < IOP_COUNT; a++)
            for (int b = 0; b < IOP_COUNT; b++) {
                if (!count_pair[a][b])
                    continue;
                if (n == cap) {
                    count_row *r = realloc(rows, 2 * cap * sizeof *rows);
                    if (!r)
                        goto out;
                    rows = r;
                    cap *= 2;
                }
                rows[n++] = (count_row){count_pair[a][b], a, b};
            }
        qsort(rows, n, sizeof *rows, count_cmp);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s > %s %llu\n", interp_count_names[rows[i].a],
                    interp_count_names[rows[i].b], (unsigned long long)rows[i].n);
    }
out:
    free(rows);
    fclose(f);
}

static void count_init(void)
{
    const void *const *table = wasm_interp_handlers();
    for (int i = 0; i < IOP_COUNT; i++) {
        uint32_t k = count_hash(table[i]);
        while (count_addr[k] && count_addr[k] != table[i])
            k = (k + 1) & (COUNT_SLOTS - 1);
        if (!count_addr[k]) {
            count_addr[k] = table[i];
            count_iop[k] = i;
        }
    }
    atexit(count_dump);
}

static void interp_count(const void *h)
{
    pthread_once(&count_once, count_init);
    uint32_t k = count_hash(h);
    while (count_addr[k] != h) {
        if (!count_addr[k])
            return;             /* not a handler's address */
        k = (k + 1) & (COUNT_SLOTS - 1);
    }
    int i = count_iop[k];
    __atomic_fetch_add(&count_one[i], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&count_pair[count_prev][i], 1, __ATOMIC_RELAXED);
    count_prev = i;
}
#endif
