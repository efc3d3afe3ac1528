/* Value types: names and the one subtype relation every stage uses. */
#include "internal.h"

/* Nullable abstract references have short names in the text format. */
static const char *types_ref_name(lw_heaptype ht)
{
    switch (ht) {
    case LW_HEAP_FUNC: return "funcref";
    case LW_HEAP_EXTERN: return "externref";
    case LW_HEAP_ANY: return "anyref";
    case LW_HEAP_EQ: return "eqref";
    case LW_HEAP_I31: return "i31ref";
    case LW_HEAP_STRUCT: return "structref";
    case LW_HEAP_ARRAY: return "arrayref";
    case LW_HEAP_EXN: return "exnref";
    case LW_HEAP_NONE: return "nullref";
    case LW_HEAP_NOEXTERN: return "nullexternref";
    case LW_HEAP_NOFUNC: return "nullfuncref";
    case LW_HEAP_NOEXN: return "nullexnref";
    default: return NULL;
    }
}

static const char *types_heap_name(lw_heaptype ht)
{
    switch (ht) {
    case LW_HEAP_FUNC: return "func";
    case LW_HEAP_EXTERN: return "extern";
    case LW_HEAP_ANY: return "any";
    case LW_HEAP_EQ: return "eq";
    case LW_HEAP_I31: return "i31";
    case LW_HEAP_STRUCT: return "struct";
    case LW_HEAP_ARRAY: return "array";
    case LW_HEAP_EXN: return "exn";
    case LW_HEAP_NONE: return "none";
    case LW_HEAP_NOEXTERN: return "noextern";
    case LW_HEAP_NOFUNC: return "nofunc";
    case LW_HEAP_NOEXN: return "noexn";
    default: return NULL;
    }
}

const char *lw_valtype_name(lw_valtype type)
{
    switch (type) {
    case LW_I32: return "i32";
    case LW_I64: return "i64";
    case LW_F32: return "f32";
    case LW_F64: return "f64";
    case LW_V128: return "v128";
    default: {
        const char *name = lw_valtype_nullable(type) ? types_ref_name(lw_valtype_heap(type))
                                                     : NULL;
        return name ? name : "?";
    }
    }
}

size_t lw_valtype_format(lw_valtype type, char *buf, size_t size)
{
    const char *name = lw_valtype_name(type);
    if (strcmp(name, "?") != 0 || !lw_valtype_is_ref(type))
        return (size_t)snprintf(buf, size, "%s", name);
    const char *null = lw_valtype_nullable(type) ? "null " : "";
    lw_heaptype ht = lw_valtype_heap(type);
    if (lw_heaptype_is_concrete(ht))
        return (size_t)snprintf(buf, size, "(ref %s%u)", null, lw_heaptype_index(ht));
    const char *hname = types_heap_name(ht);
    return (size_t)snprintf(buf, size, "(ref %s%s)", null, hname ? hname : "?");
}

bool lw_functype_equal(const lw_functype *a, const lw_functype *b)
{
    /* memcmp needs valid pointers even for 0 elements; empty lists may be NULL. */
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           (!a->nparams ||
            memcmp(a->params, b->params, a->nparams * sizeof *a->params) == 0) &&
           (!a->nresults ||
            memcmp(a->results, b->results, a->nresults * sizeof *a->results) == 0);
}

/* ---- subtyping ----------------------------------------------------------- */

/* The top of the hierarchy an abstract heap type belongs to. */
static lw_heaptype types_top(lw_heaptype ht)
{
    switch (ht) {
    case LW_HEAP_FUNC: case LW_HEAP_NOFUNC: return LW_HEAP_FUNC;
    case LW_HEAP_EXTERN: case LW_HEAP_NOEXTERN: return LW_HEAP_EXTERN;
    case LW_HEAP_EXN: case LW_HEAP_NOEXN: return LW_HEAP_EXN;
    default: return LW_HEAP_ANY;
    }
}

/* The bottom of the hierarchy below top. */
static lw_heaptype types_bottom(lw_heaptype top)
{
    switch (top) {
    case LW_HEAP_FUNC: return LW_HEAP_NOFUNC;
    case LW_HEAP_EXTERN: return LW_HEAP_NOEXTERN;
    case LW_HEAP_EXN: return LW_HEAP_NOEXN;
    default: return LW_HEAP_NONE;
    }
}

/* The abstract heap type right above a concrete type of this kind. */
static lw_heaptype types_comp_heap(uint8_t kind)
{
    switch (kind) {
    case LW_COMP_STRUCT: return LW_HEAP_STRUCT;
    case LW_COMP_ARRAY: return LW_HEAP_ARRAY;
    default: return LW_HEAP_FUNC;
    }
}

/* none <: i31, struct, array <: eq <: any; nofunc <: func;
 * noextern <: extern; noexn <: exn. */
static bool types_abstract_match(lw_heaptype sub, lw_heaptype super)
{
    if (sub == super)
        return true;
    lw_heaptype top = types_top(sub);
    if (sub == types_bottom(top))
        return types_top(super) == top;
    switch (sub) {
    case LW_HEAP_I31: case LW_HEAP_STRUCT: case LW_HEAP_ARRAY:
        return super == LW_HEAP_EQ || super == LW_HEAP_ANY;
    case LW_HEAP_EQ:
        return super == LW_HEAP_ANY;
    default:
        return false;
    }
}

static uint32_t types_id(const wasm_typectx *c, uint32_t t)
{
    return c->ids ? c->ids[t] : t;
}

/* Is concrete type sub, or one of its declared supertypes, type want? */
static bool types_declared_match(const wasm_typectx *c, uint32_t sub, uint32_t want)
{
    uint32_t id = types_id(c, want);
    for (uint32_t t = sub; t != LW_NO_SUPER && t < c->ntypes; t = c->defs[t].super)
        if (types_id(c, t) == id)
            return true;
    return false;
}

lw_heaptype wasm_heap_top(const wasm_typectx *c, lw_heaptype ht)
{
    if (lw_heaptype_is_concrete(ht))
        return lw_heaptype_index(ht) < c->ntypes &&
               c->defs[lw_heaptype_index(ht)].kind != LW_COMP_FUNC ? LW_HEAP_ANY
                                                                   : LW_HEAP_FUNC;
    return types_top(ht);
}

bool wasm_heap_match(const wasm_typectx *c, lw_heaptype sub, lw_heaptype super)
{
    bool sub_concrete = lw_heaptype_is_concrete(sub);
    bool super_concrete = lw_heaptype_is_concrete(super);
    if (sub_concrete && lw_heaptype_index(sub) >= c->ntypes)
        return false;
    if (super_concrete && lw_heaptype_index(super) >= c->ntypes)
        return false;
    if (sub_concrete && super_concrete)
        return types_declared_match(c, lw_heaptype_index(sub), lw_heaptype_index(super));
    if (sub_concrete)
        return types_abstract_match(
            types_comp_heap(c->defs[lw_heaptype_index(sub)].kind), super);
    if (super_concrete) {
        /* Only the bottom of its hierarchy lies below a concrete type. */
        lw_heaptype above = types_comp_heap(c->defs[lw_heaptype_index(super)].kind);
        return sub == types_bottom(types_top(above));
    }
    return types_abstract_match(sub, super);
}

bool wasm_type_match(const wasm_typectx *c, lw_valtype sub, lw_valtype super)
{
    if (sub == super)
        return true;
    if (!lw_valtype_is_ref(sub) || !lw_valtype_is_ref(super))
        return false;
    if (lw_valtype_nullable(sub) && !lw_valtype_nullable(super))
        return false;
    return wasm_heap_match(c, lw_valtype_heap(sub), lw_valtype_heap(super));
}

/* A packed storage type matches only itself. */
static bool types_storage_match(const wasm_typectx *c, lw_valtype sub, lw_valtype super)
{
    if (sub == LW_I8 || sub == LW_I16 || super == LW_I8 || super == LW_I16)
        return sub == super;
    return wasm_type_match(c, sub, super);
}

static bool types_field_match(const wasm_typectx *c, const lw_fieldtype *sub,
                              const lw_fieldtype *super)
{
    if (sub->mut != super->mut || !types_storage_match(c, sub->type, super->type))
        return false;
    return !sub->mut || types_storage_match(c, super->type, sub->type);
}

bool wasm_typedef_match(const wasm_typectx *c, uint32_t sub, uint32_t super)
{
    const lw_typedef *a = &c->defs[sub], *b = &c->defs[super];
    if (a->kind != b->kind)
        return false;
    if (a->kind == LW_COMP_FUNC) {
        const lw_functype *f = &c->funcs[sub], *g = &c->funcs[super];
        if (f->nparams != g->nparams || f->nresults != g->nresults)
            return false;
        for (uint32_t i = 0; i < f->nparams; i++)
            if (!wasm_type_match(c, g->params[i], f->params[i]))
                return false;
        for (uint32_t i = 0; i < f->nresults; i++)
            if (!wasm_type_match(c, f->results[i], g->results[i]))
                return false;
        return true;
    }
    if (a->nfields < b->nfields)
        return false;
    for (uint32_t i = 0; i < b->nfields; i++)
        if (!types_field_match(c, &a->fields[i], &b->fields[i]))
            return false;
    return true;
}

bool lw_valtype_match(const lw_module *m, lw_valtype sub, lw_valtype super)
{
    wasm_typectx c = {m->typedefs, m->ntypes, m->types, NULL};
    return wasm_type_match(&c, sub, super);
}
