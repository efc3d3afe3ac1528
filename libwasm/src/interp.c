/* The interpreter loop: direct-threaded register code (see interp.h).
 *
 * One function holds every handler; ip, fp and the memory base stay in
 * its locals.  Wasm calls push a wasm_frame_rec on the store's frame stack
 * and move fp up to the arguments (no C recursion); host functions are
 * called from the loop.  Traps leave the loop with a message; a fault in a
 * guarded memory comes back through siglongjmp to wasm_interp_invoke. */
#include "interp.h"

static wasm_icell interp_exit_code[1];

static uint32_t interp_cells(uint32_t n, const lw_valtype *types)
{
    uint32_t c = 0;
    for (uint32_t i = 0; i < n; i++)
        c += wasm_cells(types[i]);
    return c;
}

/* Call a host function with arguments in fp[0..]; results go to fp[0..]. */
static int interp_host(lw_store *s, lw_func *f, wasm_slot *fp,
                       lw_instance *caller, lw_error *err)
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

static int64_t interp_table_grow(lw_table *t, uint32_t delta, void *init)
{
    uint64_t old = t->size;
    if ((uint64_t)delta > t->max - old)
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

/* A v128 operand of a SIMD instruction: two cells, or one scalar cell. */
static void interp_simd_arg(const wasm_slot *src, uint8_t cells, wasm_v128 *out)
{
    out->u64[0] = src[0].u64;
    out->u64[1] = cells == 2 ? src[1].u64 : 0;
}

#define NEXT() goto *ip->h
#define OPD (ip[1].w.a)
#define OPA (ip[1].w.b)
#define OPB (ip[2].w.a)
#define OPC (ip[2].w.b)
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

/* Enter the wasm function callee: its frame starts at nfp; it returns
 * to ret.  Compiles it at its first call. */
#define ENTER()                                                          \
    do {                                                                 \
        if (UNLIKELY(!callee->code)) {                                   \
            lw_error cerr;                                             \
            if (wasm_compile(callee, &cerr)) {                           \
                if (err)                                                 \
                    *err = cerr;                                         \
                trap_kind = cerr.kind;                                   \
                trap_msg = NULL;                                         \
                goto trap;                                               \
            }                                                            \
        }                                                                \
        wasm_frame_rec *r_ = s->ftop;                                    \
        if (UNLIKELY(r_ >= s->frames_end ||                              \
                     (size_t)(s->stack_end - nfp) < callee->frame_cells)) { \
            trap_kind = LW_ERR_EXHAUSTION;                             \
            TRAP("call stack exhausted");                                \
        }                                                                \
        r_->ret = ret;                                                   \
        r_->fp = fp;                                                     \
        r_->caller = func;                                               \
        r_->self = callee;                                               \
        s->ftop = r_ + 1;                                                \
        wasm_slot *l_ = nfp + callee->nparam_cells;                      \
        for (uint32_t i_ = 0; i_ < callee->nlocal_cells; i_++)           \
            l_[i_].u64 = 0;                                              \
        fp = nfp;                                                        \
        func = callee;                                                   \
        ip = callee->code;                                               \
    } while (0)

static int interp_loop(lw_store *s, lw_func *func, wasm_slot *fp,
                       wasm_frame_rec *base, lw_error *err)
{
    static const void *const table[IOP_COUNT] = {
#define H1(op, ...) [IOP_##op] = &&L_##op,
#define HIMM(op, ...) [IOP_##op] = &&L_##op, [IOP_##op##_I] = &&L_##op##_I,
#define HCMP(op, ...) [IOP_##op] = &&L_##op, [IOP_##op##_I] = &&L_##op##_I, \
        [IOP_BR_##op] = &&L_BR_##op, [IOP_BR_##op##_I] = &&L_BR_##op##_I,
#define HMEM(op, ...) [IOP_##op] = &&L_##op, [IOP_##op##_C] = &&L_##op##_C,
#define HINC(op, ...) [IOP_INC_BR_##op] = &&L_INC_BR_##op, \
        [IOP_INC_BR_##op##_I] = &&L_INC_BR_##op##_I,
#define HLOAD(op, ...) [IOP_##op] = &&L_##op, [IOP_##op##_C] = &&L_##op##_C, \
        [IOP_##op##_A] = &&L_##op##_A, [IOP_##op##_AI] = &&L_##op##_AI,
        WASM_UNOPS(H1) WASM_CMPOPS(HCMP) WASM_BINOPS_IMM(HIMM) WASM_BINOPS(H1)
        WASM_TRAPBINOPS(H1) WASM_TRAPUNOPS(H1) WASM_LOADS(HLOAD)
        WASM_STORES(HMEM) WASM_MISCOPS(H1) WASM_CMPOPS32(HINC)
#undef HINC
#undef H1
#undef HIMM
#undef HCMP
#undef HMEM
#undef HLOAD
    };
    if (!s) {
        interp_exit_code[0].h = table[IOP_EXIT];
        *(const void *const **)err = table;
        return 0;
    }

    const wasm_icell *ip = func->code;
    uint8_t *mb;
    uint64_t msz;
    const char *trap_msg = NULL;
    char trap_buf[64];
    lw_errkind trap_kind = LW_ERR_TRAP;
    RELOAD_MEM();
    if (UNLIKELY(s->poll))
        goto poll;
    NEXT();

    /* ---- numeric ---- */
#define UNOP(op, in, out, expr)                                          \
    L_##op: {                                                            \
        wasm_t_##in a = fp[OPA].in;                                      \
        fp[OPD].out = (expr);                                            \
        ip += 2;                                                         \
        NEXT();                                                          \
    }
    WASM_UNOPS(UNOP)
#undef UNOP

#define BINOP(op, in, out, expr)                                         \
    L_##op: {                                                            \
        wasm_t_##in a = fp[OPA].in, b = fp[OPB].in;                      \
        fp[OPD].out = (expr);                                            \
        ip += 3;                                                         \
        NEXT();                                                          \
    }
#define BINOP_I(op, in, out, expr)                                       \
    BINOP(op, in, out, expr)                                             \
    L_##op##_I: {                                                        \
        wasm_t_##in a = fp[OPA].in, b = ip[2].in;                        \
        fp[OPD].out = (expr);                                            \
        ip += 3;                                                         \
        NEXT();                                                          \
    }
    WASM_BINOPS_IMM(BINOP_I)
    WASM_BINOPS(BINOP)
#undef BINOP_I
#undef BINOP

#define CMPOP(op, in, cop)                                               \
    L_##op: {                                                            \
        fp[OPD].u32 = fp[OPA].in cop fp[OPB].in;                         \
        ip += 3;                                                         \
        NEXT();                                                          \
    }                                                                    \
    L_##op##_I: {                                                        \
        fp[OPD].u32 = fp[OPA].in cop ip[2].in;                           \
        ip += 3;                                                         \
        NEXT();                                                          \
    }                                                                    \
    L_BR_##op: {                                                         \
        if (fp[ip[1].w.a].in cop fp[ip[1].w.b].in)                       \
            JUMP(ip[2].t);                                               \
        ip += 3;                                                         \
        NEXT();                                                          \
    }                                                                    \
    L_BR_##op##_I: {                                                     \
        if (fp[ip[1].w.a].in cop ip[2].in)                               \
            JUMP(ip[3].t);                                               \
        ip += 4;                                                         \
        NEXT();                                                          \
    }
    WASM_CMPOPS(CMPOP)
#undef CMPOP

    /* [h][d|x][k|b][target] and [h][d|x][k|-][imm][target]: d = x + k,
     * then compare d with slot b or imm and branch. */
#define INCOP(op, in, cop)                                               \
    L_INC_BR_##op: {                                                     \
        uint32_t v_ = fp[ip[1].w.b].u32 + ip[2].w.a;                     \
        fp[ip[1].w.a].u32 = v_;                                          \
        if ((wasm_t_##in)v_ cop fp[ip[2].w.b].in)                        \
            JUMP(ip[3].t);                                               \
        ip += 4;                                                         \
        NEXT();                                                          \
    }                                                                    \
    L_INC_BR_##op##_I: {                                                 \
        uint32_t v_ = fp[ip[1].w.b].u32 + ip[2].w.a;                     \
        fp[ip[1].w.a].u32 = v_;                                          \
        if ((wasm_t_##in)v_ cop ip[3].in)                                \
            JUMP(ip[4].t);                                               \
        ip += 5;                                                         \
        NEXT();                                                          \
    }
    WASM_CMPOPS32(INCOP)
#undef INCOP

#define TRAPBIN(op, in, out, fn)                                         \
    L_##op: {                                                            \
        wasm_t_##out r;                                                  \
        wasm_numstatus st = fn(fp[OPA].in, fp[OPB].in, &r);              \
        if (UNLIKELY(st))                                                \
            TRAP(wasm_num_message(st));                                  \
        fp[OPD].out = r;                                                 \
        ip += 3;                                                         \
        NEXT();                                                          \
    }
    WASM_TRAPBINOPS(TRAPBIN)
#undef TRAPBIN

#define TRAPUN(op, in, out, fn)                                          \
    L_##op: {                                                            \
        wasm_t_##out r;                                                  \
        wasm_numstatus st = fn(fp[OPA].in, &r);                          \
        if (UNLIKELY(st))                                                \
            TRAP(wasm_num_message(st));                                  \
        fp[OPD].out = r;                                                 \
        ip += 2;                                                         \
        NEXT();                                                          \
    }
    WASM_TRAPUNOPS(TRAPUN)
#undef TRAPUN

    /* ---- memory: loads and stores ---- */
#define LOAD(op, ctype, out, width)                                      \
    L_##op: {                                                            \
        ctype v;                                                         \
        memcpy(&v, mb + (uint64_t)fp[OPA].u32 + ip[2].u64, sizeof v);    \
        fp[OPD].out = v;                                                 \
        ip += 3;                                                         \
        NEXT();                                                          \
    }                                                                    \
    L_##op##_C: {                                                        \
        ctype v;                                                         \
        uint64_t ea = (uint64_t)fp[OPA].u32 + ip[2].u64;                 \
        if (UNLIKELY(ea + (width) > msz))                                \
            TRAP("out of bounds memory access");                         \
        memcpy(&v, mb + ea, sizeof v);                                   \
        fp[OPD].out = v;                                                 \
        ip += 3;                                                         \
        NEXT();                                                          \
    }                                                                    \
    L_##op##_A: {                                                        \
        ctype v;                                                         \
        uint32_t a = fp[OPA].u32 + fp[OPB].u32;                          \
        memcpy(&v, mb + (uint64_t)a + ip[3].u64, sizeof v);              \
        fp[OPD].out = v;                                                 \
        ip += 4;                                                         \
        NEXT();                                                          \
    }                                                                    \
    L_##op##_AI: {                                                       \
        ctype v;                                                         \
        uint32_t a = fp[OPA].u32 + OPB;                                  \
        memcpy(&v, mb + (uint64_t)a + ip[3].u64, sizeof v);              \
        fp[OPD].out = v;                                                 \
        ip += 4;                                                         \
        NEXT();                                                          \
    }
    WASM_LOADS(LOAD)
#undef LOAD

#define STORE(op, ctype, in)                                             \
    L_##op: {                                                            \
        ctype v = (ctype)fp[OPA].in;                                     \
        memcpy(mb + (uint64_t)fp[OPD].u32 + ip[2].u64, &v, sizeof v);    \
        ip += 3;                                                         \
        NEXT();                                                          \
    }                                                                    \
    L_##op##_C: {                                                        \
        ctype v = (ctype)fp[OPA].in;                                     \
        uint64_t ea = (uint64_t)fp[OPD].u32 + ip[2].u64;                 \
        if (UNLIKELY(ea + sizeof v > msz))                               \
            TRAP("out of bounds memory access");                         \
        memcpy(mb + ea, &v, sizeof v);                                   \
        ip += 3;                                                         \
        NEXT();                                                          \
    }
    WASM_STORES(STORE)
#undef STORE

    /* ---- control ---- */
L_EXIT:
    return 0;
L_UNREACHABLE:
    TRAP("unreachable");
L_TRAP:
    TRAP((const char *)ip[1].p);
L_BR:
    JUMP(ip[1].t);
L_BR_IF:
    if (fp[OPD].u32)
        JUMP(ip[2].t);
    ip += 3;
    NEXT();
L_BR_UNLESS:
    if (!fp[OPD].u32)
        JUMP(ip[2].t);
    ip += 3;
    NEXT();
L_BR_TABLE: {
        uint32_t i = fp[OPD].u32, n = OPA;
        JUMP(ip[2 + (i < n ? i : n)].t);
    }
L_RET: {
        wasm_frame_rec *r = s->ftop - 1;
        s->ftop = r;
        ip = r->ret;
        fp = r->fp;
        func = r->caller;
        RELOAD_MEM();
        NEXT();
    }

    /* ---- calls ---- */
    {
        lw_func *callee;
        wasm_slot *nfp;
        const wasm_icell *ret;
L_CALL:
        callee = ip[1].p;
        nfp = fp + OPB;
        ret = ip + 3;
        ENTER();
        if (UNLIKELY(s->poll))
            goto poll;
        NEXT();
L_CALL_FAR:
        callee = ip[1].p;
        nfp = fp + OPB;
        ret = ip + 3;
        goto call;
L_CALL_INDIRECT: {
            const lw_table *t = ip[1].p;
            uint32_t i = fp[ip[2].w.a].u32;
            if (UNLIKELY(i >= t->size))
                TRAP("undefined element");
            callee = t->elems[i];
            if (UNLIKELY(!callee)) {
                snprintf(trap_buf, sizeof trap_buf, "uninitialized element %u", i);
                TRAP(trap_buf);
            }
            if (UNLIKELY(callee->type_id != ip[3].u32))
                TRAP("indirect call type mismatch");
            nfp = fp + ip[2].w.b;
            ret = ip + 4;
        }
call:
        if (UNLIKELY(callee->host != NULL)) {
            if (interp_host(s, callee, nfp, func->inst, err)) {
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
    }


    /* ---- moves, constants, select, globals ---- */
L_COPY:
    fp[OPD] = fp[OPA];
    ip += 2;
    NEXT();
L_MOV2:
    fp[ip[1].w.a] = fp[ip[1].w.b];
    fp[ip[2].w.a] = fp[ip[2].w.b];
    ip += 3;
    NEXT();
L_MOV3:
    fp[ip[1].w.a] = fp[ip[1].w.b];
    fp[ip[2].w.a] = fp[ip[2].w.b];
    fp[ip[3].w.a] = fp[ip[3].w.b];
    ip += 4;
    NEXT();
L_MOV4:
    fp[ip[1].w.a] = fp[ip[1].w.b];
    fp[ip[2].w.a] = fp[ip[2].w.b];
    fp[ip[3].w.a] = fp[ip[3].w.b];
    fp[ip[4].w.a] = fp[ip[4].w.b];
    ip += 5;
    NEXT();
L_I32_ADD_SHL:
    fp[OPD].u32 = fp[OPA].u32 + (fp[OPB].u32 << OPC);
    ip += 3;
    NEXT();
L_COPY2:
    fp[OPD] = fp[OPA];
    fp[OPD + 1] = fp[OPA + 1];
    ip += 2;
    NEXT();
L_CONST:
    fp[OPD].u64 = ip[2].u64;
    ip += 3;
    NEXT();
L_CONST2:
    fp[OPD].u64 = ip[2].u64;
    fp[OPD + 1].u64 = ip[3].u64;
    ip += 4;
    NEXT();
L_SELECT:
    fp[OPD] = fp[OPC].u32 ? fp[OPA] : fp[OPB];
    ip += 3;
    NEXT();
L_SELECT2: {
        uint32_t src = fp[OPC].u32 ? OPA : OPB;
        wasm_slot lo = fp[src], hi = fp[src + 1];
        fp[OPD] = lo;
        fp[OPD + 1] = hi;
        ip += 3;
        NEXT();
    }
L_GLOBAL_GET:
    fp[OPD] = ((wasm_slot *)ip[2].p)[0];
    ip += 3;
    NEXT();
L_GLOBAL_SET:
    ((wasm_slot *)ip[2].p)[0] = fp[OPD];
    ip += 3;
    NEXT();
L_GLOBAL_GET2:
    fp[OPD] = ((wasm_slot *)ip[2].p)[0];
    fp[OPD + 1] = ((wasm_slot *)ip[2].p)[1];
    ip += 3;
    NEXT();
L_GLOBAL_SET2:
    ((wasm_slot *)ip[2].p)[0] = fp[OPD];
    ((wasm_slot *)ip[2].p)[1] = fp[OPD + 1];
    ip += 3;
    NEXT();
L_REF_IS_NULL:
    fp[OPD].u64 = fp[OPA].ref == NULL;
    ip += 2;
    NEXT();

    /* ---- tables ---- */
L_TABLE_GET: {
        const lw_table *t = ip[2].p;
        uint32_t i = fp[OPA].u32;
        if (UNLIKELY(i >= t->size))
            TRAP("out of bounds table access");
        fp[OPD].ref = t->elems[i];
        ip += 3;
        NEXT();
    }
L_TABLE_SET: {
        lw_table *t = ip[2].p;
        uint32_t i = fp[OPD].u32;
        if (UNLIKELY(i >= t->size))
            TRAP("out of bounds table access");
        t->elems[i] = fp[OPA].ref;
        ip += 3;
        NEXT();
    }
L_TABLE_SIZE:
    fp[OPD].u64 = ((const lw_table *)ip[2].p)->size;
    ip += 3;
    NEXT();
L_TABLE_GROW:
    fp[OPD].u64 = (uint32_t)interp_table_grow(ip[3].p, fp[OPB].u32, fp[OPA].ref);
    ip += 4;
    NEXT();
L_TABLE_FILL: {
        lw_table *t = ip[3].p;
        uint64_t i = fp[OPD].u32, n = fp[OPB].u32;
        if (UNLIKELY(i + n > t->size))
            TRAP("out of bounds table access");
        for (uint64_t k = 0; k < n; k++)
            t->elems[i + k] = fp[OPA].ref;
        ip += 4;
        NEXT();
    }
L_TABLE_COPY: {
        lw_table *dt = ip[3].p, *st = ip[4].p;
        uint64_t d = fp[OPD].u32, sr = fp[OPA].u32, n = fp[OPB].u32;
        if (UNLIKELY(d + n > dt->size || sr + n > st->size))
            TRAP("out of bounds table access");
        memmove(dt->elems + d, st->elems + sr, n * sizeof(void *));
        ip += 5;
        NEXT();
    }
L_TABLE_INIT: {
        lw_table *t = ip[3].p;
        lw_instance *inst = func->inst;
        uint32_t seg = OPC;
        uint64_t d = fp[OPD].u32, sr = fp[OPA].u32, n = fp[OPB].u32;
        if (UNLIKELY(sr + n > inst->elem_len[seg] || d + n > t->size))
            TRAP("out of bounds table access");
        memcpy(t->elems + d, inst->elems[seg] + sr, n * sizeof(void *));
        ip += 4;
        NEXT();
    }
L_ELEM_DROP:
    func->inst->elem_len[OPD] = 0;
    ip += 2;
    NEXT();

    /* ---- memory: size and bulk ---- */
L_MEMORY_SIZE:
    fp[OPD].u64 = func->mem0->pages;
    ip += 2;
    NEXT();
L_MEMORY_GROW:
    fp[OPD].u64 = (uint32_t)lw_memory_grow(func->mem0, fp[OPA].u32);
    RELOAD_MEM();
    ip += 2;
    NEXT();
L_MEMORY_FILL: {
        uint64_t d = fp[OPD].u32, n = fp[OPB].u32;
        if (UNLIKELY(d + n > msz))
            TRAP("out of bounds memory access");
        memset(mb + d, (int)fp[OPA].u32, n);
        ip += 3;
        NEXT();
    }
L_MEMORY_COPY: {
        uint64_t d = fp[OPD].u32, sr = fp[OPA].u32, n = fp[OPB].u32;
        if (UNLIKELY(d + n > msz || sr + n > msz))
            TRAP("out of bounds memory access");
        memmove(mb + d, mb + sr, n);
        ip += 3;
        NEXT();
    }
L_MEMORY_INIT: {
        lw_instance *inst = func->inst;
        uint32_t seg = OPC;
        uint64_t d = fp[OPD].u32, sr = fp[OPA].u32, n = fp[OPB].u32;
        if (UNLIKELY(sr + n > inst->data_len[seg] || d + n > msz))
            TRAP("out of bounds memory access");
        if (n)
            memcpy(mb + d, inst->module->datas[seg].bytes + sr, n);
        ip += 3;
        NEXT();
    }
L_DATA_DROP:
    func->inst->data_len[OPD] = 0;
    ip += 2;
    NEXT();

    /* ---- SIMD ---- */
L_SIMD: {
        const wasm_simd_rec *r = ip[3].p;
        wasm_v128 a, b, c, out;
        if (r->cells[0])
            interp_simd_arg(fp + OPA, r->cells[0], &a);
        if (r->cells[1])
            interp_simd_arg(fp + OPB, r->cells[1], &b);
        if (r->cells[2])
            interp_simd_arg(fp + OPC, r->cells[2], &c);
        wasm_simd_apply(r->ins.op, &r->ins, &a, &b, &c, &out);
        fp[OPD].u64 = out.u64[0];
        if (r->dcells == 2)
            fp[OPD + 1].u64 = out.u64[1];
        ip += 4;
        NEXT();
    }
L_SIMD_LOAD:
L_SIMD_LOAD_C: {
        const wasm_simd_rec *r = ip[3].p;
        uint64_t ea = (uint64_t)fp[OPA].u32 + ip[2].u64;
        if (ip->h == table[IOP_SIMD_LOAD_C] &&
            UNLIKELY(ea + wasm_simd_mem_size(r->ins.op) > msz))
            TRAP("out of bounds memory access");
        wasm_v128 vec, out;
        interp_simd_arg(fp + r->vslot, 2, &vec);
        wasm_simd_load(r->ins.op, r->ins.imm.mem.lane, mb + ea, &vec, &out);
        fp[OPD].u64 = out.u64[0];
        fp[OPD + 1].u64 = out.u64[1];
        ip += 4;
        NEXT();
    }
L_SIMD_STORE:
L_SIMD_STORE_C: {
        const wasm_simd_rec *r = ip[3].p;
        uint64_t ea = (uint64_t)fp[OPD].u32 + ip[2].u64;
        if (ip->h == table[IOP_SIMD_STORE_C] &&
            UNLIKELY(ea + wasm_simd_mem_size(r->ins.op) > msz))
            TRAP("out of bounds memory access");
        wasm_v128 vec;
        interp_simd_arg(fp + OPA, 2, &vec);
        wasm_simd_store(r->ins.op, r->ins.imm.mem.lane, &vec, mb + ea);
        ip += 4;
        NEXT();
    }

    /* ---- slow paths ---- */
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
    if (trap_msg)
        wasm_fail(err, trap_kind, "%s", trap_msg);
    wasm_trap_backtrace(s, base, ip, err);
    return -1;
}

const void *const *wasm_interp_handlers(void)
{
    static const void *const *handlers;
    if (!handlers) {
        const void *const *t = NULL;
        interp_loop(NULL, NULL, NULL, NULL, (lw_error *)(void *)&t);
        handlers = t;
    }
    return handlers;
}

static int interp_start(lw_store *s, lw_func *f, wasm_slot *fp,
                        wasm_frame_rec *base, lw_error *err)
{
    if (!f->code && wasm_compile(f, err))
        return -1;
    if (s->ftop >= s->frames_end ||
        (size_t)(s->stack_end - fp) < f->frame_cells)
        return wasm_fail(err, LW_ERR_EXHAUSTION, "call stack exhausted");
    wasm_frame_rec *r = s->ftop;
    r->ret = interp_exit_code;
    r->fp = fp;
    r->caller = f;
    r->self = f;
    s->ftop = r + 1;
    for (uint32_t i = 0; i < f->nlocal_cells; i++)
        fp[f->nparam_cells + i].u64 = 0;
    return interp_loop(s, f, fp, base, err);
}

/* Host functions that call back into wasm nest interpreter loops on the C
 * stack; this bounds how deep (each level takes a few KiB). */
#define INTERP_MAX_NESTING 1000

int wasm_interp_invoke(lw_store *s, lw_func *f, wasm_slot *base,
                       lw_error *err)
{
    if (f->host)
        return interp_host(s, f, base, NULL, err);
    if (s->nesting >= INTERP_MAX_NESTING)
        return wasm_fail(err, LW_ERR_EXHAUSTION, "call stack exhausted");
    wasm_interp_handlers();
    wasm_exec ex;
    ex.store = s;
    ex.prev = wasm_cur_exec;
    wasm_frame_rec *fbase = s->ftop;
    wasm_slot *saved_sp = s->sp;
    int rc;
    s->nesting++;
    if (sigsetjmp(ex.jb, 1)) {
        wasm_fail(err, LW_ERR_TRAP, "out of bounds memory access");
        wasm_trap_backtrace(s, fbase, NULL, err);
        rc = -1;
    } else {
        wasm_cur_exec = &ex;
        rc = interp_start(s, f, base, fbase, err);
    }
    wasm_cur_exec = ex.prev;
    s->ftop = fbase;
    s->sp = saved_sp;
    s->nesting--;
    return rc;
}
