/* GC, generated: the input chooses a straight-line program over four
 * anyref locals that makes structs (a type and its subtype), arrays and
 * i31s, links them, reads and writes their fields and elements through
 * casts, tests and branches on their types (ref.test, br_on_cast,
 * br_on_cast_fail), compares them (ref.eq), sends them through
 * externref and a call and back, keeps one in a global, and makes
 * garbage in a 1 MiB heap, so that collections run while the locals
 * hold the live ones.  Each reading folds a value into the global $acc.  The
 * module is written as text, must parse, validate, encode and load again
 * from its binary; it runs once, and a model of the same program in C
 * must agree on $acc and on whether (and where) the run trapped. */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "libwasm.h"

#define GC_REGS 4
#define GC_STMTS 64
#define GC_OBJS (GC_STMTS * 2 + 2)
#define GC_ALEN 8

enum {
    S_NODE, S_LEAF, S_ARR, S_I31, S_NULL, S_MOVE, S_TEST, S_GETV, S_SETV, S_NEXT,
    S_SETNEXT, S_LEAFW, S_AGET, S_ASET, S_ALEN, S_AFILL, S_ACOPY, S_I31GET, S_EQ,
    S_BRCAST, S_BRFAIL, S_EXTERN, S_CALL, S_KEEP, S_LOAD, S_GARBAGE, S_COUNT
};

/* The types ref.test and the branches ask about. */
static const char *const gc_types[] = {
    "(ref $node)", "(ref $leaf)", "(ref $arr)", "(ref i31)", "(ref eq)", "(ref struct)",
    "(ref array)", "(ref null none)", "(ref null $node)", "(ref any)",
};
#define GC_NTYPES (sizeof gc_types / sizeof gc_types[0])

typedef struct {
    uint8_t kind, i, j, t;
    int32_t k;
    uint8_t n;
} gc_stmt;

/* The model's values: null, an i31 (31 bits), or an object. */
enum { V_NULL, V_I31, V_OBJ };
typedef struct {
    uint8_t kind;
    uint32_t v;
} gc_ref;

enum { O_NODE, O_LEAF, O_ARR };
typedef struct {
    uint8_t kind;
    int32_t v;                 /* field 0 */
    gc_ref next;               /* field 1 */
    int64_t w;                 /* $leaf's field 2 */
    uint32_t len;
    int32_t elems[GC_ALEN];
} gc_obj;

typedef struct {
    const uint8_t *p, *end;
    gc_stmt stmts[GC_STMTS];
    uint32_t nstmts;
    fuzz_text wat;
    gc_obj objs[GC_OBJS];
    uint32_t nobjs;
    gc_ref regs[GC_REGS], keep;
    uint32_t acc;
} gc_gen;

/* Text onto the module g writes. */
#define put(g, ...) fuzz_put(&(g)->wat, __VA_ARGS__)

static uint8_t gbyte(gc_gen *g)
{
    return g->p < g->end ? *g->p++ : 0;
}

static void gen(gc_gen *g)
{
    while (g->nstmts < GC_STMTS && g->p < g->end) {
        gc_stmt *s = &g->stmts[g->nstmts++];
        s->kind = gbyte(g) % S_COUNT;
        s->i = gbyte(g) % GC_REGS;
        s->j = gbyte(g) % GC_REGS;
        s->t = gbyte(g) % GC_NTYPES;
        s->n = gbyte(g) % 10;
        uint8_t b = gbyte(g);
        s->k = b & 0x80 ? (int32_t)((uint32_t)b << 24 | (uint32_t)gbyte(g) << 8) : (int8_t)b;
    }
}

/* ---- the module's text ---- */

#define ACC_OPEN "(global.set $acc (i32.add (i32.mul (global.get $acc) (i32.const 31)) "
#define ACC_CLOSE "))\n"

static void emit_stmt(gc_gen *g, const gc_stmt *s)
{
    int i = s->i, j = s->j, n = s->n;
    const char *t = gc_types[s->t];
    switch (s->kind) {
    case S_NODE:
        put(g, "(local.set $r%d (struct.new $node (i32.const %d) (if (result (ref null $node))"
               " (ref.test (ref $node) (local.get $r%d)) (then (ref.cast (ref $node)"
               " (local.get $r%d))) (else (ref.null $node)))))\n", i, s->k, j, j);
        break;
    case S_LEAF:
        put(g, "(local.set $r%d (struct.new $leaf (i32.const %d) (ref.null $node)"
               " (i64.const %d)))\n", i, s->k, s->k);
        break;
    case S_ARR:
        put(g, "(local.set $r%d (array.new $arr (i32.const %d) (i32.const %d)))\n", i, s->k,
            n % (GC_ALEN + 1));
        break;
    case S_I31: put(g, "(local.set $r%d (ref.i31 (i32.const %d)))\n", i, s->k); break;
    case S_NULL: put(g, "(local.set $r%d (ref.null none))\n", i); break;
    case S_MOVE: put(g, "(local.set $r%d (local.get $r%d))\n", i, j); break;
    case S_TEST: put(g, ACC_OPEN "(ref.test %s (local.get $r%d))" ACC_CLOSE, t, i); break;
    case S_GETV:
        put(g, ACC_OPEN "(struct.get $node 0 (ref.cast (ref $node) (local.get $r%d)))"
               ACC_CLOSE, i);
        break;
    case S_SETV:
        put(g, "(struct.set $node 0 (ref.cast (ref $node) (local.get $r%d))"
               " (i32.add (global.get $acc) (i32.const %d)))\n", i, s->k);
        break;
    case S_NEXT:
        put(g, "(local.set $r%d (struct.get $node 1 (ref.cast (ref $node) (local.get $r%d))))\n",
            i, j);
        break;
    case S_SETNEXT:
        put(g, "(struct.set $node 1 (ref.cast (ref $node) (local.get $r%d))"
               " (ref.cast (ref null $node) (local.get $r%d)))\n", i, j);
        break;
    case S_LEAFW:
        put(g, ACC_OPEN "(i32.wrap_i64 (struct.get $leaf 2 (ref.cast (ref $leaf)"
               " (local.get $r%d))))" ACC_CLOSE, i);
        break;
    case S_AGET:
        put(g, ACC_OPEN "(array.get $arr (ref.cast (ref $arr) (local.get $r%d))"
               " (i32.const %d))" ACC_CLOSE, i, n);
        break;
    case S_ASET:
        put(g, "(array.set $arr (ref.cast (ref $arr) (local.get $r%d)) (i32.const %d)"
               " (i32.const %d))\n", i, n, s->k);
        break;
    case S_ALEN:
        put(g, ACC_OPEN "(array.len (ref.cast (ref array) (local.get $r%d)))" ACC_CLOSE, i);
        break;
    case S_AFILL:
        put(g, "(array.fill $arr (ref.cast (ref $arr) (local.get $r%d)) (i32.const %d)"
               " (i32.const %d) (i32.const %d))\n", i, n % 5, s->k, s->t);
        break;
    case S_ACOPY:
        put(g, "(array.copy $arr $arr (ref.cast (ref $arr) (local.get $r%d)) (i32.const %d)"
               " (ref.cast (ref $arr) (local.get $r%d)) (i32.const %d) (i32.const %d))\n",
            i, n % 5, j, s->t % 5, (s->k & 7));
        break;
    case S_I31GET:
        put(g, ACC_OPEN "(i31.get_%c (ref.cast (ref i31) (local.get $r%d)))" ACC_CLOSE,
            s->k & 1 ? 's' : 'u', i);
        break;
    case S_EQ:
        put(g, ACC_OPEN "(ref.eq (ref.cast eqref (local.get $r%d)) (ref.cast eqref"
               " (local.get $r%d)))" ACC_CLOSE, i, j);
        break;
    case S_BRCAST: case S_BRFAIL:
        put(g, "(drop (block $b (result anyref) (%s $b anyref %s (local.get $r%d))\n  "
               ACC_OPEN "(i32.const %d)" ACC_CLOSE "))\n",
            s->kind == S_BRCAST ? "br_on_cast" : "br_on_cast_fail", t, i, s->k);
        break;
    case S_EXTERN:
        put(g, "(local.set $r%d (any.convert_extern (extern.convert_any (local.get $r%d))))\n",
            i, j);
        break;
    case S_CALL: put(g, "(local.set $r%d (call $pass (local.get $r%d)))\n", i, j); break;
    case S_KEEP: put(g, "(global.set $keep (local.get $r%d))\n", i); break;
    case S_LOAD: put(g, "(local.set $r%d (global.get $keep))\n", i); break;
    case S_GARBAGE:
        /* Mostly objects of the size classes; one time in five, ones
         * larger than the largest class (a chunk each, costlier). */
        put(g, "(local.set $n (i32.const %d))\n(loop $l (drop (array.new_default $bytes"
               " (i32.const %d)))\n  (br_if $l (local.tee $n (i32.sub (local.get $n)"
               " (i32.const 1)))))\n", n * 16 + 1, n % 5 ? 6000 : 20000);
        break;
    }
}

static void emit_module(gc_gen *g)
{
    put(g, "(module\n"
           "(type $node (sub (struct (field (mut i32)) (field (mut (ref null $node))))))\n"
           "(type $leaf (sub final $node (struct (field (mut i32))"
           " (field (mut (ref null $node))) (field (mut i64)))))\n"
           "(type $arr (array (mut i32)))\n"
           "(type $bytes (array (mut i8)))\n"
           "(global $acc (export \"acc\") (mut i32) (i32.const 0))\n"
           "(global $keep (mut anyref) (ref.null any))\n"
           "(func $pass (param anyref) (result anyref)\n"
           "  (drop (struct.new $leaf (i32.const 1) (ref.null $node) (i64.const 2)))\n"
           "  (local.get 0))\n"
           "(func (export \"run\") (local $r0 anyref) (local $r1 anyref) (local $r2 anyref)"
           " (local $r3 anyref) (local $n i32)\n");
    for (uint32_t i = 0; i < g->nstmts; i++)
        emit_stmt(g, &g->stmts[i]);
    put(g, "))\n");
}

/* ---- the model ---- */

static gc_obj *obj(gc_gen *g, gc_ref r)
{
    return r.kind == V_OBJ ? &g->objs[r.v] : NULL;
}

static gc_ref new_obj(gc_gen *g, uint8_t kind)
{
    FUZZ_CHECK(g->nobjs < GC_OBJS, "model out of objects");
    memset(&g->objs[g->nobjs], 0, sizeof g->objs[0]);
    g->objs[g->nobjs].kind = kind;
    return (gc_ref){V_OBJ, g->nobjs++};
}

static bool is_node(gc_gen *g, gc_ref r)
{
    return r.kind == V_OBJ && obj(g, r)->kind != O_ARR;
}

/* ref.test of r against gc_types[t]. */
static bool test(gc_gen *g, gc_ref r, uint8_t t)
{
    uint8_t k = r.kind == V_OBJ ? obj(g, r)->kind : 0;
    switch (t) {
    case 0: return is_node(g, r);
    case 1: return r.kind == V_OBJ && k == O_LEAF;
    case 2: case 6: return r.kind == V_OBJ && k == O_ARR;
    case 3: return r.kind == V_I31;
    case 4: case 9: return r.kind != V_NULL;
    case 5: return is_node(g, r);
    case 7: return r.kind == V_NULL;
    default: return r.kind == V_NULL || is_node(g, r);
    }
}

static void acc_add(gc_gen *g, uint32_t x)
{
    g->acc = g->acc * 31 + x;
}

/* Runs statement s; false when it traps. */
static bool model_stmt(gc_gen *g, const gc_stmt *s)
{
    gc_ref *ri = &g->regs[s->i], rj = g->regs[s->j];
    gc_obj *oi = obj(g, *ri), *oj = obj(g, rj);
    uint32_t n = s->n;
    switch (s->kind) {
    case S_NODE: {
        gc_ref r = new_obj(g, O_NODE);
        g->objs[r.v].v = s->k;
        g->objs[r.v].next = is_node(g, rj) ? rj : (gc_ref){V_NULL, 0};
        *ri = r;
        return true;
    }
    case S_LEAF:
        *ri = new_obj(g, O_LEAF);
        g->objs[ri->v].v = s->k;
        g->objs[ri->v].w = s->k;
        return true;
    case S_ARR:
        *ri = new_obj(g, O_ARR);
        g->objs[ri->v].len = n % (GC_ALEN + 1);
        for (uint32_t e = 0; e < g->objs[ri->v].len; e++)
            g->objs[ri->v].elems[e] = s->k;
        return true;
    case S_I31: *ri = (gc_ref){V_I31, (uint32_t)s->k & 0x7fffffffu}; return true;
    case S_NULL: *ri = (gc_ref){V_NULL, 0}; return true;
    case S_MOVE: case S_EXTERN: case S_CALL: *ri = rj; return true;
    case S_TEST: acc_add(g, test(g, *ri, s->t)); return true;
    case S_GETV:
        if (!is_node(g, *ri))
            return false;
        acc_add(g, (uint32_t)oi->v);
        return true;
    case S_SETV:
        if (!is_node(g, *ri))
            return false;
        oi->v = (int32_t)(g->acc + (uint32_t)s->k);
        return true;
    case S_NEXT:
        if (!is_node(g, rj))
            return false;
        *ri = oj->next;
        return true;
    case S_SETNEXT:
        if (!is_node(g, *ri) || (rj.kind != V_NULL && !is_node(g, rj)))
            return false;
        oi->next = rj;
        return true;
    case S_LEAFW:
        if (!oi || oi->kind != O_LEAF)
            return false;
        acc_add(g, (uint32_t)oi->w);
        return true;
    case S_AGET: case S_ASET:
        if (!oi || oi->kind != O_ARR || n >= oi->len)
            return false;
        if (s->kind == S_AGET)
            acc_add(g, (uint32_t)oi->elems[n]);
        else
            oi->elems[n] = s->k;
        return true;
    case S_ALEN:
        if (!oi || oi->kind != O_ARR)
            return false;
        acc_add(g, oi->len);
        return true;
    case S_AFILL:
        if (!oi || oi->kind != O_ARR || n % 5 + s->t > oi->len)
            return false;
        for (uint32_t e = 0; e < s->t; e++)
            oi->elems[n % 5 + e] = s->k;
        return true;
    case S_ACOPY: {
        uint32_t d = n % 5, from = s->t % 5, len = (uint32_t)s->k & 7;
        if (!oi || oi->kind != O_ARR || !oj || oj->kind != O_ARR || d + len > oi->len ||
            from + len > oj->len)
            return false;
        memmove(&oi->elems[d], &oj->elems[from], len * sizeof oi->elems[0]);
        return true;
    }
    case S_I31GET:
        if (ri->kind != V_I31)
            return false;
        acc_add(g, s->k & 1 ? (uint32_t)((int32_t)(ri->v << 1) >> 1) : ri->v);
        return true;
    case S_EQ: acc_add(g, ri->kind == rj.kind && ri->v == rj.v); return true;
    case S_BRCAST: case S_BRFAIL:
        if (test(g, *ri, s->t) != (s->kind == S_BRCAST))
            acc_add(g, (uint32_t)s->k);
        return true;
    case S_KEEP: g->keep = *ri; return true;
    case S_LOAD: *ri = g->keep; return true;
    default: return true;
    }
}

/* ---- the run ---- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static gc_gen g;
    memset(&g, 0, sizeof g);
    g.p = data;
    g.end = data + size;
    gen(&g);
    emit_module(&g);
    lw_module *m = fuzz_load_text(&g.wat, lw_features_all());
    bool trapped = false;
    for (uint32_t i = 0; i < g.nstmts && !trapped; i++)
        trapped = !model_stmt(&g, &g.stmts[i]);

    lw_error err;
    /* A small heap, so that the garbage makes collections run often; what
     * the program keeps alive is far smaller. */
    lw_store_limits lim = {.max_heap_bytes = 1 << 20};
    lw_store *s = lw_store_new(&lim);
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    FUZZ_CHECK(inst, "instantiate: %s", err.message);
    lw_extern run, acc;
    FUZZ_CHECK(lw_instance_export(inst, "run", &run) && lw_instance_export(inst, "acc", &acc),
               "exports missing");
    int rc = lw_func_call(s, run.of.func, NULL, 0, NULL, 0, &err);
    FUZZ_CHECK(trapped ? rc != 0 && err.kind == LW_ERR_TRAP : rc == 0,
               "model %s, run %s: %s\n%s", trapped ? "traps" : "returns",
               rc ? lw_errkind_name(err.kind) : "returned", rc ? err.message : "", g.wat.s);
    uint32_t got = (uint32_t)lw_global_get(acc.of.global).of.i32;
    FUZZ_CHECK(got == g.acc, "acc %u, model %u\n%s", got, g.acc, g.wat.s);
    lw_store_free(s);
    lw_module_free(m);
    return 0;
}
