/* Constant expressions: the one evaluator of global initializers, element
 * items and segment offsets, for instantiation and for the tools.  Which
 * instructions are constant is the validator's rule; this file computes
 * and reports anything else it meets as an error. */
#include "internal.h"

/* Each instruction pushes at most one value, so an expression of len
 * bytes never holds more than len values: the stack is sized by that. */
#define CE_SMALL 16

typedef struct {
    lw_features features;       /* the module's; outside one, every feature */
    const lw_const_env *env;
    lw_val *stack;
    uint32_t n;
    lw_error *err;
} ce_ctx;

static int ce_pop(ce_ctx *c, lw_valtype type, lw_val *out)
{
    if (c->n == 0 || c->stack[c->n - 1].type != type)
        return wasm_fail(c->err, LW_ERR_INVALID, "type mismatch");
    *out = c->stack[--c->n];
    return 0;
}

static lw_val *ce_push(ce_ctx *c, lw_valtype type)
{
    lw_val *v = &c->stack[c->n++];
    memset(v, 0, sizeof *v);
    v->type = type;
    return v;
}

bool wasm_op_extended_const(uint16_t op)
{
    switch (op) {
    case OP_I32_ADD: case OP_I32_SUB: case OP_I32_MUL:
    case OP_I64_ADD: case OP_I64_SUB: case OP_I64_MUL:
        return true;
    default:
        return false;
    }
}

/* extended-const: i32/i64 add, sub and mul, wrapping. */
static int ce_arith(ce_ctx *c, uint16_t op)
{
    lw_valtype t = wasm_opinfo_table[op].result;
    lw_val a, b;
    if (ce_pop(c, t, &b) < 0 || ce_pop(c, t, &a) < 0)
        return -1;
    uint64_t x = t == LW_I32 ? (uint32_t)a.of.i32 : (uint64_t)a.of.i64;
    uint64_t y = t == LW_I32 ? (uint32_t)b.of.i32 : (uint64_t)b.of.i64;
    uint64_t r = op == OP_I32_ADD || op == OP_I64_ADD ? x + y
               : op == OP_I32_SUB || op == OP_I64_SUB ? x - y : x * y;
    lw_val *v = ce_push(c, t);
    if (t == LW_I32)
        v->of.i32 = (int32_t)(uint32_t)r;
    else
        v->of.i64 = (int64_t)r;
    return 0;
}

static int ce_global(ce_ctx *c, uint32_t index)
{
    lw_val *v = ce_push(c, 0);
    if (!c->env || !c->env->global || c->env->global(c->env->user, index, v) < 0)
        return wasm_fail(c->err, LW_ERR_INVALID, "unknown global %u", index);
    return 0;
}

static int ce_func(ce_ctx *c, uint32_t index)
{
    lw_val *v = ce_push(c, LW_FUNCREF);
    if (!c->env || !c->env->func || c->env->func(c->env->user, index, v) < 0)
        return wasm_fail(c->err, LW_ERR_INVALID, "unknown function %u", index);
    return 0;
}

static int ce_instr(ce_ctx *c, const wasm_instr *in)
{
    switch (in->op) {
    case OP_I32_CONST: ce_push(c, LW_I32)->of.i32 = in->imm.i32; return 0;
    case OP_I64_CONST: ce_push(c, LW_I64)->of.i64 = in->imm.i64; return 0;
    case OP_F32_CONST: ce_push(c, LW_F32)->of.f32 = in->imm.f32; return 0;
    case OP_F64_CONST: ce_push(c, LW_F64)->of.f64 = in->imm.f64; return 0;
    case OP_V128_CONST:
        memcpy(ce_push(c, LW_V128)->of.v128, in->imm.bytes, 16);
        return 0;
    case OP_REF_NULL:
        ce_push(c, in->imm.reftype);
        return 0;
    case OP_REF_FUNC:
        return ce_func(c, in->imm.index);
    case OP_GLOBAL_GET:
        return ce_global(c, in->imm.index);
    default:
        if (wasm_op_extended_const(in->op) && (c->features & LW_FEATURE(EXTENDED_CONST)))
            return ce_arith(c, in->op);
        return wasm_fail(c->err, LW_ERR_INVALID, "constant expression required");
    }
}

static int ce_run(ce_ctx *c, const lw_expr *e, lw_val *out)
{
    const uint8_t *p = e->code, *end = e->code + e->len;
    wasm_instr in;
    while (p < end) {
        if (wasm_instr_decode(&p, end, e->code, e->offset, c->features, &in, c->err) < 0)
            return -1;
        if (in.op == OP_END) {
            if (p != end || c->n != 1)
                return wasm_fail(c->err, LW_ERR_INVALID, "type mismatch");
            *out = c->stack[0];
            return 0;
        }
        if (ce_instr(c, &in) < 0)
            return -1;
    }
    return wasm_fail(c->err, LW_ERR_INVALID, "constant expression required");
}

int lw_const_eval(const lw_module *m, const lw_expr *e, const lw_const_env *env,
                  lw_val *out, lw_error *err)
{
    lw_val small[CE_SMALL];
    ce_ctx c = {m ? m->features : ~(lw_features)0, env, small, 0, err};
    if (e->len > CE_SMALL && !(c.stack = malloc(e->len * sizeof *c.stack)))
        return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    int rc = ce_run(&c, e, out);
    if (c.stack != small)
        free(c.stack);
    return rc;
}
