/*
 * Validation: the Wasm 2.0 typing rules over a decoded module.
 *
 * The decoder has checked the binary structure (sections, encodings,
 * block nesting); this file checks everything else.  Function bodies use
 * the algorithm of the spec's appendix: an operand stack of value types
 * (0 stands for the unknown type of unreachable code) and a stack of
 * control frames.  Where a value meets the type it must have, it may be a
 * subtype of it (wasm_type_match).  One pass per body; the stacks live in the validator
 * and are reused across bodies, so no instruction allocates.
 */
#include "interp.h"

#define VT_ANY 0            /* the unknown type of stack-polymorphic code */
#define LOCALS_FLAT_MAX 65536u

typedef struct {
    const lw_valtype *params, *results;
    uint32_t nparams, nresults;
    uint32_t height;        /* operand stack height at block entry */
    uint32_t inits;         /* val_ctx.ninits at block entry */
    uint16_t op;            /* OP_BLOCK, OP_LOOP, OP_IF, OP_ELSE; OP_CALL for the body */
    bool unreachable;
} val_ctrl;

typedef struct {
    const lw_module *m;
    wasm_typectx types;     /* m's type definitions, for subtyping */
    lw_error *err;
    bool has_offsets;       /* binary module: errors carry byte offsets */
    bool gated;             /* some instruction set feature is off */
    uint64_t at;            /* offset of what is being checked */
    uint16_t op;            /* the instruction being checked */

    lw_valtype *vals;
    size_t nvals, cap_vals;
    val_ctrl *ctrls;
    size_t nctrls, cap_ctrls;

    /* Locals of the current function: a flat array when small, else the
     * end index of each local group for a binary search. */
    lw_valtype *locals;
    size_t cap_locals;
    uint64_t *group_ends;
    size_t cap_groups;
    uint64_t nlocals;
    bool flat;
    const lw_functype *ft;
    const lw_code *code;

    /* Locals that need a local.set before a local.get (non-nullable
     * references): one byte each while some are uninitialized, with the
     * indices set inside the open blocks, to unset at their end. */
    uint8_t *local_set;
    size_t cap_local_set;
    uint32_t *inits;
    size_t ninits, cap_inits;
    bool track_inits;

    /* Other value types a block's single result can point at (typed
     * references), kept for the whole module. */
    lw_valtype *singles;
    size_t nsingles, cap_singles;

    uint32_t type_limit;    /* types a type definition may name */
    uint32_t *canon_ids;    /* types.ids, owned */
    uint32_t const_globals; /* globals a constant expression may read */
} val_ctx;

static const lw_valtype *val_intern(val_ctx *v, lw_valtype t);

/* One entry per value type, so a block's single result can point at it. */
static const lw_valtype val_single[] = {
    LW_I32, LW_I64, LW_F32, LW_F64, LW_V128, LW_FUNCREF, LW_EXTERNREF, LW_EXNREF,
};

static const lw_valtype *val_type_ptr(val_ctx *v, lw_valtype t)
{
    for (size_t i = 0; i < COUNTOF(val_single); i++)
        if (val_single[i] == t)
            return &val_single[i];
    return val_intern(v, t);
}

/* A stable pointer to a valid value type t for the rest of the
 * validation; NULL when out of memory.  The array is made once with room
 * for every valid reference type (two per heap type), so it never moves. */
static const lw_valtype *val_intern(val_ctx *v, lw_valtype t)
{
    for (size_t i = 0; i < v->nsingles; i++)
        if (v->singles[i] == t)
            return &v->singles[i];
    if (!v->singles) {
        v->cap_singles = 2 * ((size_t)v->m->ntypes + 0x80);
        v->singles = malloc(v->cap_singles * sizeof *v->singles);
    }
    if (!v->singles || v->nsingles == v->cap_singles)
        return NULL;
    v->singles[v->nsingles] = t;
    return &v->singles[v->nsingles++];
}

/* ---- errors -------------------------------------------------------- */

static int val_fail(val_ctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int val_fail(val_ctx *v, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (v->has_offsets)
        return wasm_fail_at(v->err, LW_ERR_INVALID, v->at, "%s", msg);
    return wasm_fail(v->err, LW_ERR_INVALID, "%s", msg);
}

/* A type's name for a message: val_name(t).s lives to the end of the
 * statement that asks for it. */
typedef struct {
    char s[LW_VALTYPE_BUFSIZE];
} val_tname;

static val_tname val_name(lw_valtype t)
{
    val_tname n;
    if (t == VT_ANY)
        snprintf(n.s, sizeof n.s, "any");
    else
        lw_valtype_format(t, n.s, sizeof n.s);
    return n;
}

static const char *val_opname(const val_ctx *v)
{
    return wasm_opinfo_table[v->op].name;
}

static int val_mismatch(val_ctx *v, lw_valtype want, lw_valtype got)
{
    return val_fail(v, "type mismatch in %s: expected %s, got %s", val_opname(v),
                    val_name(want).s, val_name(got).s);
}

/* "[t1 t2 ...]" into buf; a list too long for it ends in "...]". */
static void val_format_seq(char *buf, size_t size, const lw_valtype *types, size_t n)
{
    size_t len = (size_t)snprintf(buf, size, "[");
    for (size_t i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "",
                                val_name(types[i]).s);
    if (len + 2 > size && size >= 5)
        snprintf(buf + size - 5, 5, "...");
    len = strlen(buf);
    snprintf(buf + len, size - len, "]");
}

/* The reference interpreter's wording, which the official suite checks:
 * what a `what` ("instruction", "block") needs on top of the stack, and
 * the values the stack has there (all of them above the block for a
 * block, as many as needed for an instruction), then the instruction. */
static int val_requires_what(val_ctx *v, const char *what, const lw_valtype *types,
                             uint32_t n, bool whole)
{
    char want[80], have[80];
    size_t avail = v->nvals - v->ctrls[v->nctrls - 1].height;
    size_t shown = whole || avail < n ? avail : n;
    val_format_seq(want, sizeof want, types, n);
    /* An empty stack may have no array yet. */
    val_format_seq(have, sizeof have, shown ? v->vals + v->nvals - shown : NULL, shown);
    return val_fail(v, "type mismatch: %s requires %s but stack has %s (%s)", what, want,
                    have, val_opname(v));
}

static int val_requires(val_ctx *v, const lw_valtype *types, uint32_t n)
{
    return val_requires_what(v, "instruction", types, n, false);
}

/* Does a value of type got (VT_ANY in unreachable code) fit want? */
static inline bool val_match(const val_ctx *v, lw_valtype got, lw_valtype want)
{
    return LIKELY(got == want) || got == VT_ANY || wasm_type_match(&v->types, got, want);
}

static bool val_seq_match(const val_ctx *v, const lw_valtype *sub, uint32_t nsub,
                          const lw_valtype *super, uint32_t nsuper)
{
    if (nsub != nsuper)
        return false;
    for (uint32_t i = 0; i < nsub; i++)
        if (!val_match(v, sub[i], super[i]))
            return false;
    return true;
}

/* Offset of a section's contents, for errors about whole sections. */
static uint64_t val_section_at(const lw_module *m, uint8_t id)
{
    for (uint32_t i = 0; i < m->nsections; i++)
        if (m->sections[i].id == id)
            return m->sections[i].offset;
    return 0;
}

/* ---- the operand and control stacks ------------------------------- */

static int val_grow_vals(val_ctx *v)
{
    if (wasm_vec_reserve((void **)&v->vals, &v->cap_vals, v->nvals + 1,
                         sizeof *v->vals) < 0)
        return wasm_fail(v->err, LW_ERR_NOMEM, "out of memory");
    return 0;
}

static inline int val_push(val_ctx *v, lw_valtype t)
{
    if (UNLIKELY(v->nvals == v->cap_vals) && val_grow_vals(v) < 0)
        return -1;
    v->vals[v->nvals++] = t;
    return 0;
}

static inline val_ctrl *val_top(val_ctx *v)
{
    return &v->ctrls[v->nctrls - 1];
}

/* Pop a value that must have type `want` (never VT_ANY); false, with the
 * stack unchanged, when the top has another type or there is none. */
static inline bool val_take(val_ctx *v, lw_valtype want)
{
    val_ctrl *c = val_top(v);
    if (LIKELY(v->nvals > c->height)) {
        if (!val_match(v, v->vals[v->nvals - 1], want))
            return false;
        v->nvals--;
        return true;
    }
    return c->unreachable;
}

static inline int val_pop(val_ctx *v, lw_valtype want)
{
    return LIKELY(val_take(v, want)) ? 0 : val_requires(v, &want, 1);
}

/* Pop any value into *out (VT_ANY in unreachable code). */
static int val_pop_any(val_ctx *v, lw_valtype *out)
{
    val_ctrl *c = val_top(v);
    if (v->nvals > c->height) {
        *out = v->vals[--v->nvals];
        return 0;
    }
    *out = VT_ANY;
    if (c->unreachable)
        return 0;
    return val_fail(v, "type mismatch in %s: expected a value, but the stack is empty",
                    val_opname(v));
}

static int val_pop_seq(val_ctx *v, const lw_valtype *types, uint32_t n)
{
    size_t nvals = v->nvals;
    for (uint32_t i = n; i-- > 0;)
        if (!val_take(v, types[i])) {
            v->nvals = nvals;
            return val_requires(v, types, n);
        }
    return 0;
}

static int val_push_seq(val_ctx *v, const lw_valtype *types, uint32_t n)
{
    if (n == 0)
        return 0;
    if (wasm_vec_reserve((void **)&v->vals, &v->cap_vals, v->nvals + n,
                         sizeof *v->vals) < 0)
        return wasm_fail(v->err, LW_ERR_NOMEM, "out of memory");
    memcpy(v->vals + v->nvals, types, n * sizeof *types);
    v->nvals += n;
    return 0;
}

/* Check the top values against `types` without popping them: what
 * br_table's pop-then-push-back of each target amounts to. */
static int val_peek_seq(val_ctx *v, const lw_valtype *types, uint32_t n)
{
    val_ctrl *c = val_top(v);
    size_t avail = v->nvals - c->height;
    for (uint32_t i = 0; i < n; i++) {
        if (i >= avail) {
            if (c->unreachable)
                return 0;
            return val_requires(v, types, n);
        }
        if (!val_match(v, v->vals[v->nvals - 1 - i], types[n - 1 - i]))
            return val_requires(v, types, n);
    }
    return 0;
}

static int val_push_ctrl(val_ctx *v, uint16_t op, const lw_valtype *params,
                         uint32_t nparams, const lw_valtype *results, uint32_t nresults)
{
    if (UNLIKELY(v->nctrls == v->cap_ctrls) &&
        wasm_vec_reserve((void **)&v->ctrls, &v->cap_ctrls, v->nctrls + 1,
                         sizeof *v->ctrls) < 0)
        return wasm_fail(v->err, LW_ERR_NOMEM, "out of memory");
    val_ctrl *c = &v->ctrls[v->nctrls++];
    c->op = op;
    c->params = params;
    c->nparams = nparams;
    c->results = results;
    c->nresults = nresults;
    c->height = (uint32_t)v->nvals;
    c->inits = (uint32_t)v->ninits;
    c->unreachable = false;
    return val_push_seq(v, params, nparams);
}

/* End of a block: its results must be exactly what is left. */
static int val_pop_ctrl(val_ctx *v, val_ctrl *out)
{
    val_ctrl *c = val_top(v);
    size_t nvals = v->nvals;
    if (val_pop_seq(v, c->results, c->nresults) < 0)
        return -1;
    if (v->nvals != c->height) {
        v->nvals = nvals;
        return val_requires_what(v, "block", c->results, c->nresults, true);
    }
    *out = *c;
    v->nctrls--;
    while (v->ninits > c->inits)
        v->local_set[v->inits[--v->ninits]] = 0;
    return 0;
}

static void val_set_unreachable(val_ctx *v)
{
    val_ctrl *c = val_top(v);
    v->nvals = c->height;
    c->unreachable = true;
}

static const lw_valtype *val_label_types(const val_ctrl *c, uint32_t *n)
{
    if (c->op == OP_LOOP) {
        *n = c->nparams;
        return c->params;
    }
    *n = c->nresults;
    return c->results;
}

/* ---- locals --------------------------------------------------------- */

static int val_setup_locals(val_ctx *v, const lw_functype *ft, const lw_code *code)
{
    uint64_t total = (uint64_t)ft->nparams + code->nlocals;
    v->nlocals = total;
    v->flat = total <= LOCALS_FLAT_MAX;
    if (v->flat) {
        if (total == 0)
            return 0;   /* locals may be NULL; no NULL + 0 below */
        if (wasm_vec_reserve((void **)&v->locals, &v->cap_locals, total,
                             sizeof *v->locals) < 0)
            return wasm_fail(v->err, LW_ERR_NOMEM, "out of memory");
        if (ft->nparams)
            memcpy(v->locals, ft->params, ft->nparams * sizeof *ft->params);
        lw_valtype *p = v->locals + ft->nparams;
        for (uint32_t i = 0; i < code->nlocalgroups; i++)
            for (uint32_t j = 0; j < code->localgroups[i].count; j++)
                *p++ = code->localgroups[i].type;
        return 0;
    }
    if (wasm_vec_reserve((void **)&v->group_ends, &v->cap_groups,
                         code->nlocalgroups, sizeof *v->group_ends) < 0)
        return wasm_fail(v->err, LW_ERR_NOMEM, "out of memory");
    uint64_t end = ft->nparams;
    for (uint32_t i = 0; i < code->nlocalgroups; i++) {
        end += code->localgroups[i].count;
        v->group_ends[i] = end;
    }
    return 0;
}

/* Type of local `idx`, or 0 when there is none. */
static lw_valtype val_local_type(const val_ctx *v, uint32_t idx)
{
    if (idx >= v->nlocals)
        return 0;
    if (v->flat)
        return v->locals[idx];
    if (idx < v->ft->nparams)
        return v->ft->params[idx];
    uint32_t lo = 0, hi = v->code->nlocalgroups - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (idx < v->group_ends[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return v->code->localgroups[lo].type;
}

/* ---- index checks --------------------------------------------------- */

static int val_func_index(val_ctx *v, uint32_t f)
{
    return f < v->m->nfuncs ? 0 : val_fail(v, "unknown function %u", f);
}

static int val_table_index(val_ctx *v, uint32_t t)
{
    return t < v->m->ntables ? 0 : val_fail(v, "unknown table %u", t);
}

static int val_mem_index(val_ctx *v, uint32_t mem)
{
    return mem < v->m->nmems ? 0 : val_fail(v, "unknown memory %u", mem);
}

static int val_type_index(val_ctx *v, uint32_t t)
{
    return t < v->m->ntypes ? 0 : val_fail(v, "unknown type %u", t);
}

static int val_elem_index(val_ctx *v, uint32_t e)
{
    return e < v->m->nelems ? 0 : val_fail(v, "unknown elem segment %u", e);
}

static int val_data_index(val_ctx *v, uint32_t d)
{
    const lw_module *m = v->m;
    /* Malformed without the section; the body scan after the failure
     * reports it as such. */
    if (!m->has_datacount && m->priv && m->priv->bodies_deferred)
        return val_fail(v, "data count section required");
    uint32_t n = m->has_datacount ? m->datacount : m->ndatas;
    return d < n ? 0 : val_fail(v, "unknown data segment %u", d);
}

static int val_global_index(val_ctx *v, uint32_t g)
{
    return g < v->m->nglobals ? 0 : val_fail(v, "unknown global %u", g);
}

static int val_tag_index(val_ctx *v, uint32_t t)
{
    return t < v->m->ntags ? 0 : val_fail(v, "unknown tag %u", t);
}

/* A tag's type: a function type without results. */
static int val_tag_type(val_ctx *v, uint32_t type)
{
    if (val_type_index(v, type) < 0)
        return -1;
    if (v->m->types[type].nresults)
        return val_fail(v, "non-empty tag result type");
    return 0;
}

/* ---- feature gates ---------------------------------------------------- */

static int val_need(val_ctx *v, lw_features f, const char *what)
{
    if (v->m->features & f)
        return 0;
    return val_fail(v, "%s not enabled", what);
}

/* Reached for text modules and bodies the decoder deferred; the decoder
 * makes the same check with the same message. */
static int val_op_enabled(val_ctx *v, uint16_t op)
{
    char msg[128];
    if (wasm_op_enabled(op, v->m->features, msg, sizeof msg))
        return 0;
    return val_fail(v, "%s", msg);
}

static int val_valtype(val_ctx *v, lw_valtype t)
{
    if (t == LW_V128)
        return val_need(v, LW_FEATURE(SIMD), "simd");
    if (t == LW_EXTERNREF)
        return val_need(v, LW_FEATURE(REFERENCE_TYPES), "reference-types");
    lw_heaptype ht = lw_valtype_heap(t);
    if (lw_valtype_is_ref(t) && (ht == LW_HEAP_EXN || ht == LW_HEAP_NOEXN))
        return val_need(v, LW_FEATURE(EXCEPTIONS), "exceptions");
    if (lw_valtype_is_ref(t) && lw_heaptype_is_concrete(ht) &&
        lw_heaptype_index(ht) >= v->type_limit)
        return val_fail(v, "unknown type %u", lw_heaptype_index(ht));
    return 0;
}

/* A function type's index: known, and a function type. */
static const lw_functype *val_functype(val_ctx *v, uint32_t t)
{
    if (t >= v->m->ntypes) {
        val_fail(v, "unknown type %u", t);
        return NULL;
    }
    if (v->m->typedefs[t].kind != LW_COMP_FUNC) {
        val_fail(v, "type mismatch: type %u is not a function type", t);
        return NULL;
    }
    return &v->m->types[t];
}

/* ---- instructions --------------------------------------------------- */

/* Parameter and result types of a block type. */
static int val_blocktype(val_ctx *v, int64_t bt, const lw_valtype **params, uint32_t *np,
                         const lw_valtype **results, uint32_t *nr)
{
    *params = NULL;
    *np = 0;
    *results = NULL;
    *nr = 0;
    if (bt == -64)
        return 0;
    if (bt < 0) {
        lw_valtype t = wasm_block_valtype(bt);
        if (val_valtype(v, t) < 0)
            return -1;
        *results = val_type_ptr(v, t);
        if (!*results)
            return wasm_fail(v->err, LW_ERR_NOMEM, "out of memory");
        *nr = 1;
        return 0;
    }
    if (val_need(v, LW_FEATURE(MULTI_VALUE), "multi-value") < 0)
        return -1;
    if (bt >= v->m->ntypes)
        return val_fail(v, "unknown type %lld", (long long)bt);
    const lw_functype *ft = val_functype(v, (uint32_t)bt);
    if (!ft)
        return -1;
    *params = ft->params;
    *np = ft->nparams;
    *results = ft->results;
    *nr = ft->nresults;
    return 0;
}

static int val_block(val_ctx *v, const wasm_instr *in)
{
    const lw_valtype *params, *results;
    uint32_t np, nr;
    if (val_blocktype(v, in->imm.block, &params, &np, &results, &nr) < 0)
        return -1;
    if (in->op == OP_IF && val_pop(v, LW_I32) < 0)
        return -1;
    if (val_pop_seq(v, params, np) < 0)
        return -1;
    return val_push_ctrl(v, in->op, params, np, results, nr);
}

static int val_else(val_ctx *v)
{
    if (val_top(v)->op != OP_IF)
        return val_fail(v, "else without if");
    val_ctrl c;
    if (val_pop_ctrl(v, &c) < 0)
        return -1;
    return val_push_ctrl(v, OP_ELSE, c.params, c.nparams, c.results, c.nresults);
}

static int val_end(val_ctx *v)
{
    val_ctrl c;
    if (val_pop_ctrl(v, &c) < 0)
        return -1;
    /* An if without else passes its parameters through the missing arm. */
    if (c.op == OP_IF && !val_seq_match(v, c.params, c.nparams, c.results, c.nresults))
        return val_fail(v, "type mismatch: if without else must have equal "
                           "parameter and result types");
    return val_push_seq(v, c.results, c.nresults);
}

/* The frame `depth` labels out, or NULL (error filled). */
static const val_ctrl *val_label(val_ctx *v, uint32_t depth)
{
    if (depth >= v->nctrls) {
        val_fail(v, "unknown label %u", depth);
        return NULL;
    }
    return &v->ctrls[v->nctrls - 1 - depth];
}

static int val_br(val_ctx *v, uint32_t depth, bool cond)
{
    const val_ctrl *c = val_label(v, depth);
    uint32_t n;
    if (!c)
        return -1;
    const lw_valtype *types = val_label_types(c, &n);
    if (cond && val_pop(v, LW_I32) < 0)
        return -1;
    if (val_pop_seq(v, types, n) < 0)
        return -1;
    /* br_if leaves the label's types, not what it popped (spec appendix). */
    if (cond)
        return val_push_seq(v, types, n);
    val_set_unreachable(v);
    return 0;
}

static int val_br_table(val_ctx *v, const wasm_instr *in)
{
    if (val_pop(v, LW_I32) < 0)
        return -1;
    const uint8_t *p = in->imm.br_table.targets;
    uint32_t n, arity = 0;
    for (uint32_t i = 0; i <= in->imm.br_table.count; i++) {
        const val_ctrl *c = val_label(v, wasm_br_table_next(&p));
        if (!c)
            return -1;
        const lw_valtype *types = val_label_types(c, &n);
        if (i == 0)
            arity = n;
        else if (n != arity)
            return val_fail(v, "type mismatch: br_table targets have different arities (%u, %u)",
                            arity, n);
        if (val_peek_seq(v, types, n) < 0)
            return -1;
    }
    val_set_unreachable(v);
    return 0;
}

/* ---- exceptions ------------------------------------------------------ */

static const lw_functype *val_tag_functype(val_ctx *v, uint32_t tag)
{
    return &v->m->types[v->m->tags[tag]];
}

/* What a catch clause hands its label: the tag's values (catch, catch_ref)
 * and a non-null exnref (the _ref forms). */
static int val_catch(val_ctx *v, const wasm_catch *k)
{
    const lw_functype *ft = NULL;
    uint32_t n = 0;
    if (k->kind == WASM_CATCH || k->kind == WASM_CATCH_REF) {
        if (val_tag_index(v, k->tag) < 0)
            return -1;
        ft = val_tag_functype(v, k->tag);
        n = ft->nparams;
    }
    const val_ctrl *c = val_label(v, k->label);
    if (!c)
        return -1;
    uint32_t nl;
    const lw_valtype *lt = val_label_types(c, &nl);
    bool ref = k->kind == WASM_CATCH_REF || k->kind == WASM_CATCH_ALL_REF;
    if (nl != n + ref || (n && !val_seq_match(v, ft->params, n, lt, n)) ||
        (ref && !val_match(v, LW_REF(0, LW_HEAP_EXN), lt[n])))
        return val_fail(v, "type mismatch in catch clause");
    return 0;
}

static int val_try_table(val_ctx *v, const wasm_instr *in)
{
    const lw_valtype *params, *results;
    uint32_t np, nr;
    if (val_blocktype(v, in->imm.try_table.block, &params, &np, &results, &nr) < 0)
        return -1;
    const uint8_t *p = in->imm.try_table.catches;
    for (uint32_t i = 0; i < in->imm.try_table.count; i++) {
        wasm_catch k;
        wasm_catch_next(&p, &k);
        if (val_catch(v, &k) < 0)
            return -1;
    }
    if (val_pop_seq(v, params, np) < 0)
        return -1;
    return val_push_ctrl(v, in->op, params, np, results, nr);
}

/* Legacy catch and catch_all: the next handler of a try, whose values
 * (the tag's) start the new arm. */
static int val_legacy_catch(val_ctx *v, const wasm_instr *in)
{
    uint16_t top = val_top(v)->op;
    if (top != OP_TRY && top != OP_CATCH)
        return val_fail(v, "%s without try", wasm_opinfo_table[in->op].name);
    const lw_valtype *params = NULL;
    uint32_t np = 0;
    if (in->op == OP_CATCH) {
        if (val_tag_index(v, in->imm.index) < 0)
            return -1;
        const lw_functype *ft = val_tag_functype(v, in->imm.index);
        params = ft->params;
        np = ft->nparams;
    }
    val_ctrl c;
    if (val_pop_ctrl(v, &c) < 0)
        return -1;
    return val_push_ctrl(v, in->op, params, np, c.results, c.nresults);
}

static int val_delegate(val_ctx *v, const wasm_instr *in)
{
    if (val_top(v)->op != OP_TRY)
        return val_fail(v, "delegate without try");
    val_ctrl c;
    if (val_pop_ctrl(v, &c) < 0 || !val_label(v, in->imm.index))
        return -1;
    return val_push_seq(v, c.results, c.nresults);
}

static int val_rethrow(val_ctx *v, uint32_t depth)
{
    const val_ctrl *c = val_label(v, depth);
    if (!c)
        return -1;
    if (c->op != OP_CATCH && c->op != OP_CATCH_ALL)
        return val_fail(v, "invalid rethrow label");
    val_set_unreachable(v);
    return 0;
}

static int val_call_type(val_ctx *v, const lw_functype *ft)
{
    if (val_pop_seq(v, ft->params, ft->nparams) < 0)
        return -1;
    return val_push_seq(v, ft->results, ft->nresults);
}

/* The address type of table t: i64 for a 64-bit one (unknown: i32). */
static lw_valtype val_table_addr(const val_ctx *v, uint32_t t)
{
    return t < v->m->ntables && v->m->tables[t].limits.is64 ? LW_I64 : LW_I32;
}

/* The address type of memory `mem`: i64 for a 64-bit one.  An unknown
 * memory gets i32; the memarg check reports it. */
static lw_valtype val_addr_type(const val_ctx *v, uint32_t mem)
{
    return mem < v->m->nmems && v->m->mems[mem].is64 ? LW_I64 : LW_I32;
}

/* The length of a copy between two address types: i64 only when both are. */
static lw_valtype val_min_addr(lw_valtype a, lw_valtype b)
{
    return a == LW_I64 && b == LW_I64 ? LW_I64 : LW_I32;
}

/* A tail call: the callee's results become the function's, so they must
 * match them; what follows is unreachable, as after return. */
static int val_return_call(val_ctx *v, const lw_functype *ft)
{
    const lw_functype *own = v->ft;
    bool ok = ft->nresults == own->nresults;
    for (uint32_t i = 0; ok && i < ft->nresults; i++)
        ok = val_match(v, ft->results[i], own->results[i]);
    if (!ok)
        return val_fail(v, "type mismatch: the callee's results are not the function's");
    if (val_pop_seq(v, ft->params, ft->nparams) < 0)
        return -1;
    val_set_unreachable(v);
    return 0;
}

static int val_call_indirect(val_ctx *v, const wasm_instr *in)
{
    uint32_t type = in->imm.pair.a, table = in->imm.pair.b;
    if (val_table_index(v, table) < 0 || val_type_index(v, type) < 0)
        return -1;
    if (table != 0 && val_need(v, LW_FEATURE(REFERENCE_TYPES), "reference-types") < 0)
        return -1;
    if (!val_match(v, v->m->tables[table].reftype, LW_FUNCREF))
        return val_fail(v, "type mismatch: call_indirect needs a funcref table");
    if (val_pop(v, val_table_addr(v, table)) < 0)
        return -1;
    const lw_functype *ft = val_functype(v, type);
    if (!ft)
        return -1;
    if (in->op == OP_RETURN_CALL_INDIRECT)
        return val_return_call(v, ft);
    return val_call_type(v, ft);
}

static int val_select(val_ctx *v, const wasm_instr *in)
{
    lw_valtype t1, t2;
    if (in->op == OP_SELECT_T) {
        if (in->imm.select.count != 1)
            return val_fail(v, "invalid result arity");
        lw_valtype t = in->imm.select.type;
        if (val_valtype(v, t) < 0 || val_pop(v, LW_I32) < 0 || val_pop(v, t) < 0 ||
            val_pop(v, t) < 0)
            return -1;
        return val_push(v, t);
    }
    if (val_pop(v, LW_I32) < 0 || val_pop_any(v, &t1) < 0 || val_pop_any(v, &t2) < 0)
        return -1;
    /* Untyped select takes numbers or vectors, not references. */
    if (lw_valtype_is_ref(t1) || lw_valtype_is_ref(t2))
        return val_fail(v, "type mismatch: select without a type needs numeric or "
                           "vector operands");
    if (t1 != t2 && t1 != VT_ANY && t2 != VT_ANY)
        return val_mismatch(v, t1, t2);
    return val_push(v, t1 == VT_ANY ? t2 : t1);
}

/* A local that holds a value from the function's start: a parameter, or
 * one whose type has a default (a number, a vector, a nullable reference). */
static bool val_defaultable(lw_valtype t)
{
    return !lw_valtype_is_ref(t) || lw_valtype_nullable(t);
}

/* Note that local x now holds a value, until the end of the block. */
static int val_set_local(val_ctx *v, uint32_t x)
{
    if (v->local_set[x])
        return 0;
    if (wasm_vec_reserve((void **)&v->inits, &v->cap_inits, v->ninits + 1,
                         sizeof *v->inits) < 0)
        return wasm_fail(v->err, LW_ERR_NOMEM, "out of memory");
    v->local_set[x] = 1;
    v->inits[v->ninits++] = x;
    return 0;
}

static int val_local(val_ctx *v, const wasm_instr *in)
{
    uint32_t x = in->imm.index;
    lw_valtype t = val_local_type(v, x);
    if (!t)
        return val_fail(v, "unknown local %u", x);
    if (in->op == OP_LOCAL_GET) {
        if (UNLIKELY(v->track_inits) && !v->local_set[x])
            return val_fail(v, "uninitialized local %u", x);
        return val_push(v, t);
    }
    if (val_pop(v, t) < 0)
        return -1;
    if (UNLIKELY(v->track_inits) && val_set_local(v, x) < 0)
        return -1;
    return in->op == OP_LOCAL_TEE ? val_push(v, t) : 0;
}

/* Locals that start without a value make local.get check local_set. */
static int val_setup_inits(val_ctx *v)
{
    const lw_code *code = v->code;
    v->track_inits = false;
    v->ninits = 0;
    /* A group of no locals declares nothing, whatever its type. */
    for (uint32_t i = 0; i < code->nlocalgroups && !v->track_inits; i++)
        v->track_inits = code->localgroups[i].count && !val_defaultable(code->localgroups[i].type);
    if (!v->track_inits)
        return 0;
    if (wasm_vec_reserve((void **)&v->local_set, &v->cap_local_set, v->nlocals, 1) < 0)
        return wasm_fail(v->err, LW_ERR_NOMEM, "out of memory");
    uint32_t x = v->ft->nparams;
    memset(v->local_set, 1, x);
    for (uint32_t i = 0; i < code->nlocalgroups; i++) {
        uint8_t set = val_defaultable(code->localgroups[i].type);
        memset(v->local_set + x, set, code->localgroups[i].count);
        x += code->localgroups[i].count;
    }
    return 0;
}

/* ---- typed function references ---------------------------------------- */

static int val_call_ref(val_ctx *v, const wasm_instr *in)
{
    const lw_functype *ft = val_functype(v, in->imm.index);
    if (!ft || val_pop(v, LW_REF(1, LW_HEAP_TYPE(in->imm.index))) < 0)
        return -1;
    if (in->op == OP_RETURN_CALL_REF)
        return val_return_call(v, ft);
    return val_call_type(v, ft);
}

/* Pop a reference of any type into *t (VT_ANY in unreachable code). */
static int val_pop_ref(val_ctx *v, lw_valtype *t)
{
    if (val_pop_any(v, t) < 0)
        return -1;
    if (*t != VT_ANY && !lw_valtype_is_ref(*t))
        return val_fail(v, "type mismatch in %s: expected a reference, got %s",
                        val_opname(v), val_name(*t).s);
    return 0;
}

/* t without null; VT_ANY stays as it is. */
static lw_valtype val_non_null(lw_valtype t)
{
    return t == VT_ANY ? VT_ANY : LW_REF(0, lw_valtype_heap(t));
}

/* br_on_null: [t* (ref null ht)] -> [t* (ref ht)], branching with t* on
 * null; br_on_non_null: [t* (ref null ht)] -> [t*], branching with
 * t* (ref ht) on non-null, so the label's last type takes (ref ht). */
static int val_br_on_null(val_ctx *v, const wasm_instr *in)
{
    const val_ctrl *c = val_label(v, in->imm.index);
    uint32_t n;
    lw_valtype t;
    if (!c)
        return -1;
    const lw_valtype *types = val_label_types(c, &n);
    if (val_pop_ref(v, &t) < 0)
        return -1;
    if (in->op == OP_BR_ON_NULL) {
        if (val_pop_seq(v, types, n) < 0 || val_push_seq(v, types, n) < 0)
            return -1;
        return val_push(v, val_non_null(t));
    }
    if (n == 0)
        return val_fail(v, "type mismatch: br_on_non_null needs a label with a result");
    if (!val_match(v, val_non_null(t), types[n - 1]))
        return val_mismatch(v, types[n - 1], val_non_null(t));
    if (val_pop_seq(v, types, n - 1) < 0)
        return -1;
    return val_push_seq(v, types, n - 1);
}

static int val_ref_typed(val_ctx *v, const wasm_instr *in)
{
    lw_valtype t;
    if (in->op == OP_REF_AS_NON_NULL)
        return val_pop_ref(v, &t) < 0 ? -1 : val_push(v, val_non_null(t));
    /* OP_REF_EQ */
    if (val_pop(v, LW_REF(1, LW_HEAP_EQ)) < 0 || val_pop(v, LW_REF(1, LW_HEAP_EQ)) < 0)
        return -1;
    return val_push(v, LW_I32);
}

/* ref.func's type: (ref $t) with typed references, else funcref. */
static lw_valtype val_func_ref(const val_ctx *v, uint32_t func)
{
    if (!(v->m->features & (LW_FEATURE(FUNCTION_REFERENCES) | LW_FEATURE(GC))))
        return LW_FUNCREF;
    return LW_REF(0, LW_HEAP_TYPE(v->m->func_types[func]));
}

static int val_global(val_ctx *v, const wasm_instr *in)
{
    uint32_t g = in->imm.index;
    if (val_global_index(v, g) < 0)
        return -1;
    const lw_globaltype *gt = &v->m->globals[g];
    if (in->op == OP_GLOBAL_GET)
        return val_push(v, gt->type);
    if (!gt->mut)   /* the 3.0 suite's words, then 2.0's */
        return val_fail(v, "immutable global: global is immutable");
    return val_pop(v, gt->type);
}

static int val_pop_n(val_ctx *v, lw_valtype t, int n)
{
    for (int i = 0; i < n; i++)
        if (val_pop(v, t) < 0)
            return -1;
    return 0;
}

static int val_table_op(val_ctx *v, const wasm_instr *in)
{
    uint32_t x = in->imm.index;
    if (val_table_index(v, x) < 0)
        return -1;
    lw_valtype rt = v->m->tables[x].reftype, at = val_table_addr(v, x);
    switch (in->op) {
    case OP_TABLE_GET:
        return val_pop(v, at) < 0 ? -1 : val_push(v, rt);
    case OP_TABLE_SET:
        return val_pop(v, rt) < 0 ? -1 : val_pop(v, at);
    case OP_TABLE_SIZE:
        return val_push(v, at);
    case OP_TABLE_GROW:
        if (val_pop(v, at) < 0 || val_pop(v, rt) < 0)
            return -1;
        return val_push(v, at);
    default: /* OP_TABLE_FILL */
        if (val_pop(v, at) < 0 || val_pop(v, rt) < 0)
            return -1;
        return val_pop(v, at);
    }
}

/* A segment of function indices holds (ref func) with typed references. */
static lw_valtype val_elem_type(const val_ctx *v, const lw_elem *e)
{
    if (e->funcs && (v->m->features & (LW_FEATURE(FUNCTION_REFERENCES) | LW_FEATURE(GC))))
        return LW_REF(0, LW_HEAP_FUNC);
    return e->reftype;
}

static int val_table_init(val_ctx *v, const wasm_instr *in)
{
    uint32_t elem = in->imm.pair.a, table = in->imm.pair.b;
    if (val_table_index(v, table) < 0 || val_elem_index(v, elem) < 0)
        return -1;
    if (!val_match(v, val_elem_type(v, &v->m->elems[elem]), v->m->tables[table].reftype))
        return val_fail(v, "type mismatch: elem segment %u does not fit table %u", elem, table);
    if (val_pop_n(v, LW_I32, 2) < 0)
        return -1;
    return val_pop(v, val_table_addr(v, table));
}

static int val_table_copy(val_ctx *v, const wasm_instr *in)
{
    uint32_t dst = in->imm.pair.a, src = in->imm.pair.b;
    if (val_table_index(v, dst) < 0 || val_table_index(v, src) < 0)
        return -1;
    if (!val_match(v, v->m->tables[src].reftype, v->m->tables[dst].reftype))
        return val_fail(v, "type mismatch: table.copy between tables of different types");
    lw_valtype dt = val_table_addr(v, dst), st = val_table_addr(v, src);
    if (val_pop(v, val_min_addr(dt, st)) < 0 || val_pop(v, st) < 0)
        return -1;
    return val_pop(v, dt);
}

static int val_ref(val_ctx *v, const wasm_instr *in)
{
    lw_valtype t;
    switch (in->op) {
    case OP_REF_NULL:
        if (val_valtype(v, in->imm.reftype) < 0)
            return -1;
        return val_push(v, in->imm.reftype);
    case OP_REF_IS_NULL:
        if (val_pop_any(v, &t) < 0)
            return -1;
        if (t != VT_ANY && !lw_valtype_is_ref(t))
            return val_fail(v, "type mismatch: ref.is_null needs a reference, got %s",
                            val_name(t).s);
        return val_push(v, LW_I32);
    default: /* OP_REF_FUNC */
        if (val_func_index(v, in->imm.index) < 0)
            return -1;
        if (!v->m->declared_funcs ||
            !(v->m->declared_funcs[in->imm.index >> 3] & (1u << (in->imm.index & 7))))
            return val_fail(v, "undeclared function reference");
        return val_push(v, val_func_ref(v, in->imm.index));
    }
}

static int val_memory_op(val_ctx *v, const wasm_instr *in)
{
    lw_valtype at = val_addr_type(v, in->imm.index);
    switch (in->op) {
    case OP_MEMORY_SIZE:
        return val_mem_index(v, in->imm.index) < 0 ? -1 : val_push(v, at);
    case OP_MEMORY_GROW:
        if (val_mem_index(v, in->imm.index) < 0 || val_pop(v, at) < 0)
            return -1;
        return val_push(v, at);
    case OP_MEMORY_INIT:
        if (val_mem_index(v, in->imm.pair.b) < 0 || val_data_index(v, in->imm.pair.a) < 0 ||
            val_pop_n(v, LW_I32, 2) < 0)
            return -1;
        return val_pop(v, val_addr_type(v, in->imm.pair.b));
    case OP_DATA_DROP:
        return val_data_index(v, in->imm.index);
    case OP_MEMORY_COPY: {
        if (val_mem_index(v, in->imm.pair.a) < 0 || val_mem_index(v, in->imm.pair.b) < 0)
            return -1;
        lw_valtype dt = val_addr_type(v, in->imm.pair.a), st = val_addr_type(v, in->imm.pair.b);
        if (val_pop(v, val_min_addr(dt, st)) < 0 || val_pop(v, st) < 0)
            return -1;
        return val_pop(v, dt);
    }
    default: /* OP_MEMORY_FILL */
        if (val_mem_index(v, in->imm.index) < 0 || val_pop(v, at) < 0 ||
            val_pop(v, LW_I32) < 0)
            return -1;
        return val_pop(v, at);
    }
}

static int val_memarg(val_ctx *v, const wasm_instr *in, const wasm_opinfo *info)
{
    if (val_mem_index(v, in->imm.mem.mem) < 0)
        return -1;
    if (in->imm.mem.align > info->align)
        return val_fail(v, "alignment must not be larger than natural");
    if (in->imm.mem.align != info->align && wasm_op_is_atomic(in->op))
        return val_fail(v, "atomic alignment must be natural");
    if (in->imm.mem.offset > UINT32_MAX && val_addr_type(v, in->imm.mem.mem) == LW_I32)
        return val_fail(v, "offset out of range");
    if (info->imm == IMM_MEMARG_LANE && in->imm.mem.lane >= info->lanes)
        return val_fail(v, "invalid lane index");
    return 0;
}

/* Checks of the immediates of table-typed instructions. */
static int val_immediates(val_ctx *v, const wasm_instr *in, const wasm_opinfo *info)
{
    switch (info->imm) {
    case IMM_MEMARG:
    case IMM_MEMARG_LANE:
        return val_memarg(v, in, info);
    case IMM_LANE:
        if (in->imm.lane >= info->lanes)
            return val_fail(v, "invalid lane index");
        return 0;
    case IMM_SHUFFLE:
        for (int i = 0; i < 16; i++)
            if (in->imm.bytes[i] >= 2 * info->lanes)
                return val_fail(v, "invalid lane index");
        return 0;
    default:
        return 0;
    }
}

/* ---- GC ---------------------------------------------------------------- */

/* A field's value type on the stack: packed fields read and write i32. */
static lw_valtype val_unpacked(lw_valtype t)
{
    return t == LW_I8 || t == LW_I16 ? LW_I32 : t;
}

/* Type x: known, and of the kind given (struct or array). */
static const lw_typedef *val_comp(val_ctx *v, uint32_t x, uint8_t kind)
{
    if (x >= v->m->ntypes) {
        val_fail(v, "unknown type %u", x);
        return NULL;
    }
    const lw_typedef *d = &v->m->typedefs[x];
    if (d->kind != kind) {
        val_fail(v, "type mismatch: type %u is not %s type", x,
                 kind == LW_COMP_STRUCT ? "a struct" : "an array");
        return NULL;
    }
    return d;
}

/* A segment's elements fit an array of element type t. */
static int val_elem_fits(val_ctx *v, uint32_t e, lw_valtype t)
{
    if (val_elem_index(v, e) < 0)
        return -1;
    if (!val_match(v, val_elem_type(v, &v->m->elems[e]), t))
        return val_fail(v, "type mismatch: elem segment %u does not fit the array", e);
    return 0;
}

static int val_data_fits(val_ctx *v, uint32_t d, lw_valtype t)
{
    if (lw_valtype_is_ref(t))
        return val_fail(v, "array type is not numeric or vector");
    return val_data_index(v, d);
}

static int val_struct(val_ctx *v, const wasm_instr *in)
{
    bool imm_field = wasm_opinfo_table[in->op].imm == IMM_TYPE_FIELD;
    uint32_t x = imm_field ? in->imm.pair.a : in->imm.index;
    const lw_typedef *d = val_comp(v, x, LW_COMP_STRUCT);
    if (!d)
        return -1;
    lw_valtype ref = LW_REF(1, LW_HEAP_TYPE(x));
    const lw_fieldtype *f = NULL;
    if (imm_field) {
        if (in->imm.pair.b >= d->nfields)
            return val_fail(v, "unknown field %u", in->imm.pair.b);
        f = &d->fields[in->imm.pair.b];
    }
    switch (in->op) {
    case OP_STRUCT_NEW:
        for (uint32_t i = d->nfields; i-- > 0;)
            if (val_pop(v, val_unpacked(d->fields[i].type)) < 0)
                return -1;
        return val_push(v, LW_REF(0, LW_HEAP_TYPE(x)));
    case OP_STRUCT_NEW_DEFAULT:
        for (uint32_t i = 0; i < d->nfields; i++)
            if (!val_defaultable(d->fields[i].type))
                return val_fail(v, "type mismatch: field %u has no default value", i);
        return val_push(v, LW_REF(0, LW_HEAP_TYPE(x)));
    case OP_STRUCT_GET: case OP_STRUCT_GET_S: case OP_STRUCT_GET_U:
        if ((f->type == LW_I8 || f->type == LW_I16) != (in->op != OP_STRUCT_GET))
            return val_fail(v, "type mismatch: %s of a%s field", val_opname(v),
                            in->op == OP_STRUCT_GET ? " packed" : "n unpacked");
        if (val_pop(v, ref) < 0)
            return -1;
        return val_push(v, val_unpacked(f->type));
    default: /* OP_STRUCT_SET */
        if (!f->mut)
            return val_fail(v, "immutable field");
        if (val_pop(v, val_unpacked(f->type)) < 0)
            return -1;
        return val_pop(v, ref);
    }
}

/* Pops of the array instructions: dst array and index first (array.copy's
 * source array and index after them), each an i32 but the arrays. */
static int val_array(val_ctx *v, const wasm_instr *in)
{
    bool pair = wasm_opinfo_table[in->op].imm != IMM_TYPE;
    uint32_t x = pair ? in->imm.pair.a : in->imm.index;
    if (in->op == OP_ARRAY_LEN) {
        if (val_pop(v, LW_REF(1, LW_HEAP_ARRAY)) < 0)
            return -1;
        return val_push(v, LW_I32);
    }
    const lw_typedef *d = val_comp(v, x, LW_COMP_ARRAY);
    if (!d)
        return -1;
    const lw_fieldtype *f = &d->fields[0];
    lw_valtype et = val_unpacked(f->type), ref = LW_REF(1, LW_HEAP_TYPE(x));
    lw_valtype made = LW_REF(0, LW_HEAP_TYPE(x));
    bool packed = f->type != et;
    switch (in->op) {
    case OP_ARRAY_NEW:
        if (val_pop(v, LW_I32) < 0 || val_pop(v, et) < 0)
            return -1;
        return val_push(v, made);
    case OP_ARRAY_NEW_DEFAULT:
        if (!val_defaultable(f->type))
            return val_fail(v, "type mismatch: the element type has no default value");
        if (val_pop(v, LW_I32) < 0)
            return -1;
        return val_push(v, made);
    case OP_ARRAY_NEW_FIXED:
        for (uint32_t i = 0; i < in->imm.pair.b; i++)
            if (val_pop(v, et) < 0)
                return -1;
        return val_push(v, made);
    case OP_ARRAY_NEW_DATA: case OP_ARRAY_NEW_ELEM:
        if ((in->op == OP_ARRAY_NEW_DATA ? val_data_fits(v, in->imm.pair.b, f->type)
                                         : val_elem_fits(v, in->imm.pair.b, f->type)) < 0 ||
            val_pop_n(v, LW_I32, 2) < 0)
            return -1;
        return val_push(v, made);
    case OP_ARRAY_GET: case OP_ARRAY_GET_S: case OP_ARRAY_GET_U:
        if (packed != (in->op != OP_ARRAY_GET))
            return val_fail(v, "type mismatch: %s of a%s array", val_opname(v),
                            in->op == OP_ARRAY_GET ? " packed" : "n unpacked");
        if (val_pop(v, LW_I32) < 0 || val_pop(v, ref) < 0)
            return -1;
        return val_push(v, et);
    default:
        break;
    }
    if (!f->mut)
        return val_fail(v, "immutable array");
    switch (in->op) {
    case OP_ARRAY_SET:
        if (val_pop(v, et) < 0 || val_pop(v, LW_I32) < 0)
            return -1;
        return val_pop(v, ref);
    case OP_ARRAY_FILL:
        if (val_pop(v, LW_I32) < 0 || val_pop(v, et) < 0 || val_pop(v, LW_I32) < 0)
            return -1;
        return val_pop(v, ref);
    case OP_ARRAY_COPY: {
        const lw_typedef *sd = val_comp(v, in->imm.pair.b, LW_COMP_ARRAY);
        if (!sd)
            return -1;
        lw_valtype st = sd->fields[0].type;
        bool fits = st == LW_I8 || st == LW_I16 || f->type == LW_I8 || f->type == LW_I16
                    ? st == f->type : val_match(v, st, f->type);
        if (!fits)
            return val_fail(v, "array types do not match");
        if (val_pop(v, LW_I32) < 0 || val_pop(v, LW_I32) < 0 ||
            val_pop(v, LW_REF(1, LW_HEAP_TYPE(in->imm.pair.b))) < 0 ||
            val_pop(v, LW_I32) < 0)
            return -1;
        return val_pop(v, ref);
    }
    default: /* OP_ARRAY_INIT_DATA, OP_ARRAY_INIT_ELEM */
        if ((in->op == OP_ARRAY_INIT_DATA ? val_data_fits(v, in->imm.pair.b, f->type)
                                          : val_elem_fits(v, in->imm.pair.b, f->type)) < 0 ||
            val_pop_n(v, LW_I32, 3) < 0)
            return -1;
        return val_pop(v, ref);
    }
}

/* The nullable top type of t's hierarchy. */
static lw_valtype val_top_ref(const val_ctx *v, lw_valtype t)
{
    return LW_REF(1, wasm_heap_top(&v->types, lw_valtype_heap(t)));
}

/* ref.test, ref.cast: the operand is any reference of the target's
 * hierarchy. */
static int val_ref_cast(val_ctx *v, const wasm_instr *in)
{
    lw_valtype rt = in->imm.reftype;
    if (val_valtype(v, rt) < 0 || val_pop(v, val_top_ref(v, rt)) < 0)
        return -1;
    bool test = in->op == OP_REF_TEST || in->op == OP_REF_TEST_NULL;
    return val_push(v, test ? LW_I32 : rt);
}

/* br_on_cast l rt1 rt2 (rt2 <: rt1): branches with rt2, else goes on with
 * rt1 minus rt2; br_on_cast_fail branches with the difference and goes on
 * with rt2.  The difference is rt1, non-null when rt2 takes null. */
static int val_br_on_cast(val_ctx *v, const wasm_instr *in)
{
    lw_valtype from = in->imm.cast.from, to = in->imm.cast.to;
    if (val_valtype(v, from) < 0 || val_valtype(v, to) < 0)
        return -1;
    if (!val_match(v, to, from))
        return val_fail(v, "type mismatch: br_on_cast's target type is no subtype of "
                           "its source type");
    const val_ctrl *c = val_label(v, in->imm.cast.label);
    if (!c)
        return -1;
    uint32_t n;
    const lw_valtype *types = val_label_types(c, &n);
    lw_valtype diff = lw_valtype_nullable(to) ? LW_REF(0, lw_valtype_heap(from)) : from;
    bool on_cast = in->op == OP_BR_ON_CAST;
    lw_valtype taken = on_cast ? to : diff, stays = on_cast ? diff : to;
    if (val_pop(v, from) < 0)
        return -1;
    if (n == 0)
        return val_fail(v, "type mismatch: %s needs a label with a result", val_opname(v));
    if (!val_match(v, taken, types[n - 1]))
        return val_mismatch(v, types[n - 1], taken);
    if (val_pop_seq(v, types, n - 1) < 0 || val_push_seq(v, types, n - 1) < 0)
        return -1;
    return val_push(v, stays);
}

static int val_gc(val_ctx *v, const wasm_instr *in)
{
    lw_valtype t;
    switch (in->op) {
    case OP_STRUCT_NEW: case OP_STRUCT_NEW_DEFAULT: case OP_STRUCT_GET:
    case OP_STRUCT_GET_S: case OP_STRUCT_GET_U: case OP_STRUCT_SET:
        return val_struct(v, in);
    case OP_REF_TEST: case OP_REF_TEST_NULL: case OP_REF_CAST: case OP_REF_CAST_NULL:
        return val_ref_cast(v, in);
    case OP_BR_ON_CAST: case OP_BR_ON_CAST_FAIL:
        return val_br_on_cast(v, in);
    case OP_REF_I31:
        return val_pop(v, LW_I32) < 0 ? -1 : val_push(v, LW_REF(0, LW_HEAP_I31));
    case OP_I31_GET_S: case OP_I31_GET_U:
        return val_pop(v, LW_REF(1, LW_HEAP_I31)) < 0 ? -1 : val_push(v, LW_I32);
    case OP_ANY_CONVERT_EXTERN: case OP_EXTERN_CONVERT_ANY: {
        bool to_any = in->op == OP_ANY_CONVERT_EXTERN;
        lw_valtype want = to_any ? LW_EXTERNREF : LW_REF(1, LW_HEAP_ANY);
        if (val_pop_any(v, &t) < 0)
            return -1;
        if (t != VT_ANY && !val_match(v, t, want))
            return val_mismatch(v, want, t);
        bool nullable = t != VT_ANY && lw_valtype_nullable(t);
        return val_push(v, LW_REF(nullable, to_any ? LW_HEAP_ANY : LW_HEAP_EXTERN));
    }
    default:
        return val_array(v, in);
    }
}

/* Instructions typed by hand (T_SPEC in the table). */
static int val_special(val_ctx *v, const wasm_instr *in)
{
    switch (in->op) {
    case OP_UNREACHABLE:
        val_set_unreachable(v);
        return 0;
    case OP_NOP:
        return 0;
    case OP_BLOCK: case OP_LOOP: case OP_IF:
        return val_block(v, in);
    case OP_ELSE:
        return val_else(v);
    case OP_END:
        return val_end(v);
    case OP_BR: case OP_BR_IF:
        return val_br(v, in->imm.index, in->op == OP_BR_IF);
    case OP_BR_TABLE:
        return val_br_table(v, in);
    case OP_RETURN:
        if (val_pop_seq(v, v->ft->results, v->ft->nresults) < 0)
            return -1;
        val_set_unreachable(v);
        return 0;
    case OP_CALL:
        if (val_func_index(v, in->imm.index) < 0)
            return -1;
        return val_call_type(v, &v->m->types[v->m->func_types[in->imm.index]]);
    case OP_RETURN_CALL:
        if (val_func_index(v, in->imm.index) < 0)
            return -1;
        return val_return_call(v, &v->m->types[v->m->func_types[in->imm.index]]);
    case OP_CALL_INDIRECT: case OP_RETURN_CALL_INDIRECT:
        return val_call_indirect(v, in);
    case OP_DROP: {
        lw_valtype t;
        return val_pop_any(v, &t);
    }
    case OP_SELECT: case OP_SELECT_T:
        return val_select(v, in);
    case OP_LOCAL_GET: case OP_LOCAL_SET: case OP_LOCAL_TEE:
        return val_local(v, in);
    case OP_GLOBAL_GET: case OP_GLOBAL_SET:
        return val_global(v, in);
    case OP_TABLE_GET: case OP_TABLE_SET: case OP_TABLE_SIZE: case OP_TABLE_GROW:
    case OP_TABLE_FILL:
        return val_table_op(v, in);
    case OP_TABLE_INIT:
        return val_table_init(v, in);
    case OP_ELEM_DROP:
        return val_elem_index(v, in->imm.index);
    case OP_TABLE_COPY:
        return val_table_copy(v, in);
    case OP_REF_NULL: case OP_REF_IS_NULL: case OP_REF_FUNC:
        return val_ref(v, in);
    case OP_CALL_REF: case OP_RETURN_CALL_REF:
        return val_call_ref(v, in);
    case OP_BR_ON_NULL: case OP_BR_ON_NON_NULL:
        return val_br_on_null(v, in);
    case OP_REF_AS_NON_NULL: case OP_REF_EQ:
        return val_ref_typed(v, in);
    case OP_MEMORY_SIZE: case OP_MEMORY_GROW: case OP_MEMORY_INIT: case OP_DATA_DROP:
    case OP_MEMORY_COPY: case OP_MEMORY_FILL:
        return val_memory_op(v, in);
    case OP_THROW: {
        if (val_tag_index(v, in->imm.index) < 0)
            return -1;
        const lw_functype *ft = val_tag_functype(v, in->imm.index);
        if (val_pop_seq(v, ft->params, ft->nparams) < 0)
            return -1;
        val_set_unreachable(v);
        return 0;
    }
    case OP_THROW_REF:
        if (val_pop(v, LW_EXNREF) < 0)
            return -1;
        val_set_unreachable(v);
        return 0;
    case OP_TRY_TABLE:
        return val_try_table(v, in);
    case OP_TRY:
        return val_block(v, in);
    case OP_CATCH: case OP_CATCH_ALL:
        return val_legacy_catch(v, in);
    case OP_DELEGATE:
        return val_delegate(v, in);
    case OP_RETHROW:
        return val_rethrow(v, in->imm.index);
    default:
        if (wasm_opinfo_table[in->op].prefix == 0xFB)
            return val_gc(v, in);
        return val_fail(v, "no typing rule for %s", wasm_opinfo_table[in->op].name);
    }
}

static int val_operands_fail(val_ctx *v, const wasm_opinfo *info, lw_valtype first)
{
    lw_valtype types[3] = {first, info->operands[1], info->operands[2]};
    uint32_t n = info->operands[2] ? 3 : info->operands[1] ? 2 : 1;
    return val_requires(v, types, n);
}

/* One instruction typed by the table: pop the operands, push the result.
 * Only the first operand can be an address. */
static inline int val_generic(val_ctx *v, const wasm_instr *in, const wasm_opinfo *info)
{
    uint8_t first = info->operands[0];
    if (UNLIKELY(first == T_ADDR)) {
        if (val_mem_index(v, in->imm.mem.mem) < 0)
            return -1;
        first = val_addr_type(v, in->imm.mem.mem);
    }
    size_t nvals = v->nvals;
    if ((info->operands[2] && !val_take(v, info->operands[2])) ||
        (info->operands[1] && !val_take(v, info->operands[1])) ||
        (first && !val_take(v, first))) {
        v->nvals = nvals;
        return val_operands_fail(v, info, first);
    }
    if (info->result && val_push(v, info->result) < 0)
        return -1;
    return info->imm == IMM_NONE ? 0 : val_immediates(v, in, info);
}

static int val_body(val_ctx *v, uint32_t func)
{
    const lw_module *m = v->m;
    const lw_code *code = &m->codes[func - m->nfunc_imports];
    const lw_functype *ft = &m->types[m->func_types[func]];
    v->ft = ft;
    v->code = code;
    v->nvals = 0;
    v->nctrls = 0;
    v->at = code->body.offset;
    if (val_setup_locals(v, ft, code) < 0 || val_setup_inits(v) < 0)
        return -1;
    for (uint32_t i = 0; i < code->nlocalgroups; i++)
        if (val_valtype(v, code->localgroups[i].type) < 0)
            return -1;
    if (val_push_ctrl(v, OP_CALL, NULL, 0, ft->results, ft->nresults) < 0)
        return -1;
    const uint8_t *p = code->body.code, *end = p + code->body.len;
    const lw_features features = m->features; /* kept in a register */
    wasm_instr in;
    while (p < end) {
        if (UNLIKELY(v->nctrls == 0))
            return val_fail(v, "instructions after the function's end");
        if (wasm_instr_next(&p, end, code->body.code, code->body.offset, features, &in,
                            v->err) < 0)
            return -1;
        v->at = (uint64_t)code->body.offset + in.offset;
        v->op = in.op;
        const wasm_opinfo *info = &wasm_opinfo_table[in.op];
        if (UNLIKELY(v->gated) && val_op_enabled(v, in.op) < 0)
            return -1;
        int rc = info->operands[0] == T_SPEC ? val_special(v, &in)
                                             : val_generic(v, &in, info);
        if (UNLIKELY(rc < 0))
            return -1;
    }
    if (v->nctrls != 0)
        return val_fail(v, "function body does not end with end");
    return 0;
}

/* ---- constant expressions ------------------------------------------ */

/* The type *t a constant instruction pushes; -1 when it is not constant.
 * global.get may only read immutable globals among the first
 * const_globals: the imported ones in Wasm 2.0. */
static int val_const_type(val_ctx *v, const wasm_instr *in, lw_valtype *t)
{
    const lw_module *m = v->m;
    switch (in->op) {
    case OP_I32_CONST: *t = LW_I32; return 0;
    case OP_I64_CONST: *t = LW_I64; return 0;
    case OP_F32_CONST: *t = LW_F32; return 0;
    case OP_F64_CONST: *t = LW_F64; return 0;
    case OP_V128_CONST: *t = LW_V128; return 0;
    case OP_REF_NULL: *t = in->imm.reftype; return 0;
    case OP_REF_FUNC:
        if (val_func_index(v, in->imm.index) < 0)
            return -1;
        *t = val_func_ref(v, in->imm.index);
        return 0;
    case OP_GLOBAL_GET:
        if (in->imm.index >= v->const_globals)
            return val_fail(v, "unknown global %u", in->imm.index);
        if (m->globals[in->imm.index].mut)
            return val_fail(v, "constant expression required");
        *t = m->globals[in->imm.index].type;
        return 0;
    default:
        if (wasm_op_extended_const(in->op))   /* its feature is off */
            return val_fail(v, "constant expression required (feature extended-const "
                               "is disabled)");
        return val_fail(v, "constant expression required");
    }
}

/* GC's instructions that constant expressions may hold: they allocate. */
static bool val_gc_const(uint16_t op)
{
    switch (op) {
    case OP_STRUCT_NEW: case OP_STRUCT_NEW_DEFAULT: case OP_ARRAY_NEW:
    case OP_ARRAY_NEW_DEFAULT: case OP_ARRAY_NEW_FIXED: case OP_REF_I31:
    case OP_ANY_CONVERT_EXTERN: case OP_EXTERN_CONVERT_ANY:
        return true;
    default:
        return false;
    }
}

/* A constant expression producing one value of type `want`, typed on the
 * operand stack (extended-const arithmetic pops what it adds). */
static int val_const_expr(val_ctx *v, const lw_expr *e, lw_valtype want)
{
    const uint8_t *p = e->code, *end = p + e->len;
    wasm_instr in;
    v->at = e->offset;
    v->nvals = v->nctrls = 0;
    if (val_push_ctrl(v, OP_CALL, NULL, 0, NULL, 0) < 0)
        return -1;
    while (p < end) {
        if (wasm_instr_next(&p, end, e->code, e->offset, v->m->features, &in, v->err) < 0)
            return -1;
        v->at = (uint64_t)e->offset + in.offset;
        v->op = in.op;
        if (in.op == OP_END) {
            if (v->nvals != 1 || !val_match(v, v->vals[0], want))
                return val_fail(v, "type mismatch: constant expression must produce one %s",
                                val_name(want).s);
            return 0;
        }
        if (wasm_op_extended_const(in.op) && (v->m->features & LW_FEATURE(EXTENDED_CONST))) {
            /* t t -> t; val_generic has one caller, the hot loop. */
            uint8_t t = wasm_opinfo_table[in.op].result;
            if (val_pop(v, t) < 0 || val_pop(v, t) < 0 || val_push(v, t) < 0)
                return -1;
            continue;
        }
        if (val_gc_const(in.op) && (v->m->features & LW_FEATURE(GC))) {
            if (val_gc(v, &in) < 0)
                return -1;
            continue;
        }
        lw_valtype t = 0;
        if (val_const_type(v, &in, &t) < 0 || val_valtype(v, t) < 0 || val_push(v, t) < 0)
            return -1;
    }
    return val_fail(v, "constant expression required");
}

/* ---- module-level rules -------------------------------------------- */

/* Limits of a memory (sizes in pages) or a table: the bounds of their
 * address type, and min <= max. */
static int val_limits(val_ctx *v, const lw_limits *l, bool memory)
{
    if (l->is64 && val_need(v, LW_FEATURE(MEMORY64), "memory64") < 0)
        return -1;
    uint64_t bound = memory ? (l->is64 ? 1ull << 48 : 65536) : (l->is64 ? UINT64_MAX : UINT32_MAX);
    if (l->min > bound || (l->has_max && l->max > bound)) {
        if (!memory)
            return val_fail(v, "table size must be at most 2^32-1");
        return val_fail(v, l->is64 ? "memory size must be at most 2^48 pages (16EiB)"
                                   : "memory size must be at most 65536 pages (4GiB)");
    }
    if (l->has_max && l->min > l->max)
        return val_fail(v, "size minimum must not be greater than maximum");
    if (l->shared && val_need(v, LW_FEATURE(THREADS), "threads") < 0)
        return -1;
    if (l->shared && !l->has_max)
        return val_fail(v, "shared memory must have maximum");
    return 0;
}

static int val_globaltype(val_ctx *v, const lw_globaltype *g, bool external)
{
    if (val_valtype(v, g->type) < 0)
        return -1;
    if (external && g->mut)
        return val_need(v, LW_FEATURE(MUTABLE_GLOBALS), "mutable-globals");
    return 0;
}

static int val_typedef(val_ctx *v, uint32_t i)
{
    const lw_functype *ft = &v->m->types[i];
    const lw_typedef *d = &v->m->typedefs[i];
    if (ft->nresults > 1 &&
        val_need(v, LW_FEATURE(MULTI_VALUE), "multi-value") < 0)
        return -1;
    for (uint32_t j = 0; j < ft->nparams; j++)
        if (val_valtype(v, ft->params[j]) < 0)
            return -1;
    for (uint32_t j = 0; j < ft->nresults; j++)
        if (val_valtype(v, ft->results[j]) < 0)
            return -1;
    for (uint32_t j = 0; j < d->nfields; j++)
        if (d->fields[j].type != LW_I8 && d->fields[j].type != LW_I16 &&
            val_valtype(v, d->fields[j].type) < 0)
            return -1;
    return 0;
}

/* A declared supertype: defined before, not final, and matched. */
static int val_super(val_ctx *v, uint32_t i)
{
    uint32_t super = v->m->typedefs[i].super;
    if (super == LW_NO_SUPER)
        return 0;
    if (super >= i)
        return val_fail(v, "unknown type %u", super);
    if (v->m->typedefs[super].final)
        return val_fail(v, "sub type %u does not match super type %u: it is final", i, super);
    if (!wasm_typedef_match(&v->types, i, super))
        return val_fail(v, "sub type %u does not match super type %u", i, super);
    return 0;
}

/* Type definitions a recursion group at a time: a group may name its own
 * types and those before it.  Each gets the id its iso-recursive
 * equivalence class has in a canonical table, which subtyping compares. */
static int val_types(val_ctx *v)
{
    const lw_module *m = v->m;
    v->at = val_section_at(m, 1);
    wasm_canon canon;
    memset(&canon, 0, sizeof canon);
    uint32_t *ids = malloc((m->ntypes ? m->ntypes : 1) * sizeof *ids);
    if (!ids)
        return wasm_fail(v->err, LW_ERR_NOMEM, "out of memory");
    v->types.ids = ids;
    int rc = 0;
    for (uint32_t start = 0; start < m->ntypes && rc == 0;) {
        uint32_t size = m->typedefs[start].rec_size;
        v->type_limit = start + size;
        for (uint32_t i = start; i < start + size && rc == 0; i++)
            rc = val_typedef(v, i);
        if (rc == 0 && wasm_canon_group(&canon, m, start, ids) < 0)
            rc = wasm_fail(v->err, LW_ERR_NOMEM, "out of memory");
        for (uint32_t i = start; i < start + size && rc == 0; i++)
            rc = val_super(v, i);
        start += size;
    }
    wasm_canon_free(&canon);
    v->type_limit = m->ntypes;
    v->canon_ids = ids;
    return rc;
}

static int val_imports(val_ctx *v)
{
    const lw_module *m = v->m;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const lw_import *im = &m->imports[i];
        v->at = im->offset;
        int rc = 0;
        switch (im->kind) {
        case LW_EXTERN_FUNC:
            rc = val_functype(v, im->desc.func) ? 0 : -1;
            break;
        case LW_EXTERN_TABLE:
            rc = val_valtype(v, im->desc.table.reftype);
            if (rc == 0)
                rc = val_limits(v, &im->desc.table.limits, false);
            break;
        case LW_EXTERN_MEMORY:
            rc = val_limits(v, &im->desc.memory, true);
            break;
        case LW_EXTERN_TAG:
            rc = val_tag_type(v, im->desc.tag);
            break;
        default:
            rc = val_globaltype(v, &im->desc.global, true);
            break;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Typed references bring Wasm 3.0's rules for constant expressions. */
static bool val_typed_refs(const val_ctx *v)
{
    return v->m->features & (LW_FEATURE(FUNCTION_REFERENCES) | LW_FEATURE(GC));
}

/* A defined table: a reference type without a default (non-nullable)
 * needs an initializer, which gives every element its value. */
static int val_table_def(val_ctx *v, uint32_t i)
{
    const lw_tabletype *t = &v->m->tables[i];
    const lw_expr *init = v->m->table_inits ? &v->m->table_inits[i - v->m->ntable_imports]
                                            : NULL;
    if (val_valtype(v, t->reftype) < 0 || val_limits(v, &t->limits, false) < 0)
        return -1;
    if (init && init->code)
        return val_const_expr(v, init, t->reftype);
    if (!val_defaultable(t->reftype))
        return val_fail(v, "type mismatch: a table of %s needs an initializer",
                        val_name(t->reftype).s);
    return 0;
}

static int val_defs(val_ctx *v)
{
    const lw_module *m = v->m;
    v->at = val_section_at(m, 3);
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
        if (!val_functype(v, m->func_types[i]))
            return -1;
    v->at = val_section_at(m, 4);
    /* The reference interpreter's words, as for memories below. */
    if (m->ntables > 1 && !(v->m->features & LW_FEATURE(REFERENCE_TYPES)))
        return val_fail(v, "multiple tables");
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++)
        if (val_table_def(v, i) < 0)
            return -1;
    v->at = val_section_at(m, 5);
    for (uint32_t i = m->nmem_imports; i < m->nmems; i++)
        if (val_limits(v, &m->mems[i], true) < 0)
            return -1;
    if (m->nmems > 1 && !(v->m->features & LW_FEATURE(MULTI_MEMORY)))
        return val_fail(v, "multiple memories");
    v->at = val_section_at(m, 13);
    if (m->ntags && val_need(v, LW_FEATURE(EXCEPTIONS), "exceptions") < 0)
        return -1;
    for (uint32_t i = m->ntag_imports; i < m->ntags; i++)
        if (val_tag_type(v, m->tags[i]) < 0)
            return -1;
    for (uint32_t i = 0; i < m->nglobaldefs; i++) {
        const lw_globaldef *g = &m->globaldefs[i];
        v->at = g->init.offset;
        if (val_typed_refs(v))
            v->const_globals = m->nglobal_imports + i;
        if (val_globaltype(v, &g->type, false) < 0 ||
            val_const_expr(v, &g->init, g->type.type) < 0)
            return -1;
    }
    return 0;
}

static int val_elem(val_ctx *v, const lw_elem *e)
{
    v->at = e->entry_offset;
    if (val_valtype(v, e->reftype) < 0)
        return -1;
    if (e->mode == LW_SEG_ACTIVE) {
        if (val_table_index(v, e->table) < 0)
            return -1;
        if (!val_match(v, val_elem_type(v, e), v->m->tables[e->table].reftype))
            return val_fail(v, "type mismatch: elem segment of %s in a table of %s",
                            val_name(e->reftype).s,
                            val_name(v->m->tables[e->table].reftype).s);
        if (val_const_expr(v, &e->offset, val_table_addr(v, e->table)) < 0)
            return -1;
    }
    for (uint32_t i = 0; i < e->count; i++) {
        if (e->funcs && val_func_index(v, e->funcs[i]) < 0)
            return -1;
        if (e->exprs && val_const_expr(v, &e->exprs[i], e->reftype) < 0)
            return -1;
    }
    return 0;
}

static int val_segments(val_ctx *v)
{
    const lw_module *m = v->m;
    if (val_typed_refs(v))
        v->const_globals = m->nglobals;
    for (uint32_t i = 0; i < m->nelems; i++)
        if (val_elem(v, &m->elems[i]) < 0)
            return -1;
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const lw_data *d = &m->datas[i];
        v->at = d->entry_offset;
        if (d->mode != LW_SEG_ACTIVE)
            continue;
        if (val_mem_index(v, d->memory) < 0 ||
            val_const_expr(v, &d->offset, val_addr_type(v, d->memory)) < 0)
            return -1;
    }
    return 0;
}

static int val_start(val_ctx *v)
{
    const lw_module *m = v->m;
    if (!m->has_start)
        return 0;
    v->at = val_section_at(m, 8);
    if (val_func_index(v, m->start) < 0)
        return -1;
    const lw_functype *ft = &m->types[m->func_types[m->start]];
    if (ft->nparams || ft->nresults)
        return val_fail(v, "start function must have type [] -> []");
    return 0;
}

typedef struct {
    const char *s;
    uint32_t len;
} val_str;

static int val_name_cmp(const void *a, const void *b)
{
    const val_str *x = a, *y = b;
    uint32_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Export names with their lengths.  A name may hold NUL bytes, so for a
 * binary module they are read again from its export section. */
static void val_export_names(const lw_module *m, val_str *out)
{
    for (uint32_t i = 0; i < m->nexports; i++)
        out[i] = (val_str){m->exports[i].name, m->exports[i].name_len};
}

static int val_export_index(val_ctx *v, const lw_export *e)
{
    const lw_module *m = v->m;
    switch (e->kind) {
    case LW_EXTERN_FUNC:
        return val_func_index(v, e->index);
    case LW_EXTERN_TABLE:
        return val_table_index(v, e->index);
    case LW_EXTERN_MEMORY:
        return val_mem_index(v, e->index);
    case LW_EXTERN_TAG:
        return val_tag_index(v, e->index);
    default:
        if (val_global_index(v, e->index) < 0)
            return -1;
        return val_globaltype(v, &m->globals[e->index], true);
    }
}

static int val_exports(val_ctx *v)
{
    const lw_module *m = v->m;
    v->at = val_section_at(m, 7);
    if (m->nexports == 0)
        return 0;
    for (uint32_t i = 0; i < m->nexports; i++)
        if (val_export_index(v, &m->exports[i]) < 0)
            return -1;
    val_str *names = malloc(m->nexports * sizeof *names);
    if (!names)
        return wasm_fail(v->err, LW_ERR_NOMEM, "out of memory");
    val_export_names(m, names);
    qsort(names, m->nexports, sizeof *names, val_name_cmp);
    int rc = 0;
    for (uint32_t i = 1; i < m->nexports && rc == 0; i++)
        if (val_name_cmp(&names[i - 1], &names[i]) == 0)
            rc = val_fail(v, "duplicate export name \"%.*s\"", (int)names[i].len, names[i].s);
    free(names);
    return rc;
}

static int val_bodies(val_ctx *v)
{
    const lw_module *m = v->m;
    if (m->ncodes != m->nfuncs - m->nfunc_imports) {
        v->at = val_section_at(m, 10);
        return val_fail(v, "function and code section have inconsistent lengths");
    }
    for (uint32_t f = m->nfunc_imports; f < m->nfuncs; f++)
        if (val_body(v, f) < 0)
            return -1;
    return 0;
}

int lw_module_validate(const lw_module *m, lw_error *err)
{
    val_ctx v;
    memset(&v, 0, sizeof v);
    v.m = m;
    v.types = (wasm_typectx){m->typedefs, m->ntypes, m->types, NULL};
    v.type_limit = m->ntypes;
    v.const_globals = m->nglobal_imports;
    v.err = err;
    v.has_offsets = m->nsections > 0;
    v.gated = (m->features & wasm_op_features) != wasm_op_features;
    int rc = 0;
    if (val_types(&v) < 0 || val_imports(&v) < 0 || val_defs(&v) < 0 ||
        val_segments(&v) < 0 || val_start(&v) < 0 || val_exports(&v) < 0 ||
        val_bodies(&v) < 0)
        rc = -1;
    free(v.vals);
    free(v.ctrls);
    free(v.locals);
    free(v.group_ends);
    free(v.singles);
    free(v.canon_ids);
    free(v.local_set);
    free(v.inits);
    if (m->priv)
        m->priv->validated = rc == 0;
    return rc;
}
