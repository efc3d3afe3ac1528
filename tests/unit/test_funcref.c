/* Typed function references and the GC type system: canonical types
 * across modules (equal recursion groups are equal types, others are
 * not), declared subtypes through imports and call_indirect, the
 * subtyping rules of type definitions, non-nullable locals, the text and
 * binary forms of the new types round-tripping, and call_ref /
 * return_call_ref: their traps and the constant stack of a long chain of
 * tail calls. */
#include "interp.h"
#include "unit.h"

#include <string.h>

static lw_module *parse(const char *wat, lw_error *err)
{
    return lw_module_parse_text(wat, strlen(wat), lw_features_all(), err);
}

static lw_module *load(const char *wat)
{
    lw_error err;
    lw_module *m = parse(wat, &err);
    ck_assert_msg(m != NULL, "parse: %s", err.message);
    ck_assert_msg(lw_module_validate(m, &err) == 0, "validate: %s", err.message);
    return m;
}

/* The validator's message for wat, which must parse and be invalid. */
static const char *invalid(const char *wat)
{
    static lw_error err;
    lw_module *m = parse(wat, &err);
    ck_assert_msg(m != NULL, "parse: %s", err.message);
    int rc = lw_module_validate(m, &err);
    lw_module_free(m);
    ck_assert_msg(rc < 0, "valid: %s", wat);
    ck_assert_int_eq(err.kind, LW_ERR_INVALID);
    return err.message;
}

static bool has(const char *msg, const char *part)
{
    return strstr(msg, part) != NULL;
}

static lw_func *export_func(const lw_instance *inst, const char *name)
{
    lw_extern ext;
    ck_assert_msg(lw_instance_export(inst, name, &ext) && ext.kind == LW_EXTERN_FUNC,
                  "no function %s", name);
    return ext.of.func;
}

/* ---- canonical types ------------------------------------------------------ */

START_TEST(test_canon_across_modules)
{
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    /* The same two-type group at other indices, a group that differs only
     * in its order, and a lone type of the same shape as the group's first. */
    lw_module *a = load("(module (type (func))"
                        " (rec (type $x (struct (field (ref null $y))))"
                        "      (type $y (struct (field (ref null $x)) (field i32)))))");
    lw_module *b = load("(module"
                        " (rec (type $x (struct (field (ref null $y))))"
                        "      (type $y (struct (field (ref null $x)) (field i32)))))");
    lw_module *c = load("(module"
                        " (rec (type $y (struct (field (ref null $x)) (field i32)))"
                        "      (type $x (struct (field (ref null $y))))))");
    lw_module *d = load("(module (type $x (struct (field (ref null $x)))))");
    lw_instance *ia = lw_instantiate(s, a, NULL, 0, &err);
    lw_instance *ib = lw_instantiate(s, b, NULL, 0, &err);
    lw_instance *ic = lw_instantiate(s, c, NULL, 0, &err);
    lw_instance *id = lw_instantiate(s, d, NULL, 0, &err);
    ck_assert(ia && ib && ic && id);
    ck_assert_uint_eq(ia->type_ids[1], ib->type_ids[0]);
    ck_assert_uint_eq(ia->type_ids[2], ib->type_ids[1]);
    ck_assert_uint_ne(ia->type_ids[1], ib->type_ids[1]);
    ck_assert_uint_ne(ia->type_ids[1], ic->type_ids[1]);
    ck_assert_uint_ne(ia->type_ids[1], ic->type_ids[0]);
    ck_assert_uint_ne(ia->type_ids[1], id->type_ids[0]);
    /* Field types are part of the type: another mutability is another type. */
    lw_module *e = load("(module (rec (type $x (struct (field (ref null $y))))"
                        " (type $y (struct (field (ref null $x)) (field (mut i32))))))");
    lw_instance *ie = lw_instantiate(s, e, NULL, 0, &err);
    ck_assert_ptr_nonnull(ie);
    ck_assert_uint_ne(ie->type_ids[1], ib->type_ids[1]);
    lw_store_free(s);
    lw_module_free(a);
    lw_module_free(b);
    lw_module_free(c);
    lw_module_free(d);
    lw_module_free(e);
}
END_TEST

/* Within a module, equal groups are one type for the validator too. */
START_TEST(test_canon_within_module)
{
    lw_module *m = load("(module (type $a (func (result i32))) (type $b (func (result i32)))"
                        " (func $f (type $a) (i32.const 1))"
                        " (func (result (ref $b)) (ref.func $f))"
                        " (elem declare func $f))");
    lw_module_free(m);
    ck_assert(has(invalid("(module (type $a (func (result i32))) (type $b (func (result i64)))"
                          " (func $f (type $a) (i32.const 1))"
                          " (func (result (ref $b)) (ref.func $f))"
                          " (elem declare func $f))"),
                  "type mismatch"));
}
END_TEST

/* A store whose linker has module a's instance as "a". */
typedef struct {
    lw_store *s;
    lw_linker *l;
    lw_module *a;
} linked;

static linked link_a(const char *wat)
{
    lw_error err;
    linked k = {lw_store_new(NULL), NULL, load(wat)};
    k.l = lw_linker_new(k.s);
    lw_instance *ia = lw_linker_instantiate(k.l, k.a, &err);
    ck_assert_msg(ia != NULL, "%s", err.message);
    ck_assert_int_eq(lw_linker_define_instance(k.l, "a", ia), 0);
    return k;
}

static void linked_free(linked *k)
{
    lw_linker_free(k->l);
    lw_store_free(k->s);
    lw_module_free(k->a);
}

static const char *exporter =
    "(module"
    " (type $super (sub (func (param i32) (result i32))))"
    " (type $sub (sub final $super (func (param i32) (result i32))))"
    " (func $f (export \"f\") (type $sub) (i32.add (local.get 0) (i32.const 1)))"
    " (table (export \"t\") 1 funcref)"
    " (elem (i32.const 0) $f)"
    " (global (export \"g\") (ref $sub) (ref.func $f)))";

/* An import of a supertype takes a function of a subtype; the same
 * structure without the declared subtyping does not link. */
START_TEST(test_subtype_imports)
{
    linked k = link_a(exporter);
    lw_error err;
    lw_module *ok = load("(module"
                         " (type $super (sub (func (param i32) (result i32))))"
                         " (import \"a\" \"f\" (func (type $super)))"
                         " (import \"a\" \"g\" (global (ref null $super)))"
                         " (import \"a\" \"g\" (global funcref)))");
    ck_assert_ptr_nonnull(lw_linker_instantiate(k.l, ok, &err));
    static const char *const bad[] = {
        /* of the same shape, but in another recursion group */
        "(module (rec (type $other (sub (func (param i32) (result i32)))) (type (struct)))"
        " (import \"a\" \"f\" (func (type $other))))",
        /* a final type, not $sub's group */
        "(module (type $t (func (param i32) (result i32)))"
        " (import \"a\" \"f\" (func (type $t))))",
        /* an immutable global of another type */
        "(module (type $t (func (param i64))) (import \"a\" \"g\" (global (ref null $t))))",
        /* a mutable import of an immutable global */
        "(module (import \"a\" \"g\" (global (mut funcref))))",
        /* tables are invariant */
        "(module (import \"a\" \"t\" (table 1 (ref null func))) (import \"a\" \"t\" (table 1 externref)))",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        lw_module *b = load(bad[i]);
        ck_assert_msg(lw_linker_instantiate(k.l, b, &err) == NULL, "links: %s", bad[i]);
        ck_assert_str_eq(err.message, "incompatible import type");
        lw_module_free(b);
    }
    lw_module_free(ok);
    linked_free(&k);
}
END_TEST

/* call_indirect through another module's table accepts a function of a
 * declared subtype of the type it names. */
START_TEST(test_subtype_call_indirect)
{
    linked k = link_a(exporter);
    lw_error err;
    lw_module *b = load("(module"
                        " (type $super (sub (func (param i32) (result i32))))"
                        " (rec (type $other (sub (func (param i32) (result i32))))"
                        "      (type (struct)))"
                        " (import \"a\" \"t\" (table 1 funcref))"
                        " (func (export \"super\") (param i32) (result i32)"
                        "  (call_indirect (type $super) (local.get 0) (i32.const 0)))"
                        " (func (export \"other\") (param i32) (result i32)"
                        "  (call_indirect (type $other) (local.get 0) (i32.const 0))))");
    lw_instance *ib = lw_linker_instantiate(k.l, b, &err);
    ck_assert_msg(ib != NULL, "%s", err.message);
    lw_val arg = {.type = LW_I32, .of.i32 = 41}, res;
    ck_assert_int_eq(lw_func_call(k.s, export_func(ib, "super"), &arg, 1, &res, 1, &err), 0);
    ck_assert_int_eq(res.of.i32, 42);
    ck_assert_int_eq(lw_func_call(k.s, export_func(ib, "other"), &arg, 1, &res, 1, &err), -1);
    ck_assert_str_eq(err.message, "indirect call type mismatch");
    lw_module_free(b);
    linked_free(&k);
}
END_TEST

/* ---- subtyping rules ------------------------------------------------------ */

START_TEST(test_subtype_rules)
{
    /* Valid declarations: width and depth of structs, immutable fields
     * covariant, function parameters contravariant, results covariant. */
    lw_module *m = load(
        "(module"
        " (type $a (sub (struct (field anyref))))"
        " (type $b (sub $a (struct (field eqref) (field (mut i8)))))"
        " (type $arr (sub (array (mut i16))))"
        " (type $arr2 (sub $arr (array (mut i16))))"
        " (type $f (sub (func (param (ref $b)) (result anyref))))"
        " (type $g (sub $f (func (param (ref null $a)) (result (ref $b))))))");
    ck_assert_uint_eq(m->typedefs[1].super, 0);
    ck_assert(!m->typedefs[0].final && m->typedefs[1].final == false);
    ck_assert_uint_eq(m->typedefs[1].nfields, 2);
    ck_assert_uint_eq(m->typedefs[1].fields[1].type, LW_I8);
    ck_assert(m->typedefs[1].fields[1].mut);
    ck_assert_uint_eq(m->typedefs[2].kind, LW_COMP_ARRAY);
    lw_module_free(m);
    static const char *const bad[] = {
        /* a final supertype */
        "(module (type $a (struct)) (type $b (sub $a (struct))))",
        /* a mutable field must keep its type */
        "(module (type $a (sub (struct (field (mut anyref)))))"
        " (type $b (sub $a (struct (field (mut eqref))))))",
        /* nor may mutability change */
        "(module (type $a (sub (struct (field i32)))) (type $b (sub $a (struct (field (mut i32))))))",
        /* fewer fields */
        "(module (type $a (sub (struct (field i32)))) (type $b (sub $a (struct))))",
        /* packed types match only themselves */
        "(module (type $a (sub (array i8))) (type $b (sub $a (array i16))))",
        /* another kind */
        "(module (type $a (sub (struct))) (type $b (sub $a (array i32))))",
        /* a parameter may not narrow */
        "(module (type $f (sub (func (param anyref)))) (type $g (sub $f (func (param eqref)))))",
        /* a result may not widen */
        "(module (type $f (sub (func (result eqref)))) (type $g (sub $f (func (result anyref)))))",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(has(invalid(bad[i]), "sub type"), "%s: %s", bad[i], invalid(bad[i]));
    /* A supertype must come first; a type may only name its own group
     * and those before it. */
    ck_assert(has(invalid("(module (type $b (sub $a (struct))) (type $a (sub (struct))))"),
                  "unknown type"));
    ck_assert(has(invalid("(module (type (struct (field (ref 1)))) (type (struct)))"),
                  "unknown type"));
    lw_module_free(load("(module (rec (type (struct (field (ref 1)))) (type (struct))))"));
}
END_TEST

START_TEST(test_value_subtyping)
{
    /* (ref $t) <: (ref null $t) <: funcref; nofunc below every function
     * type; none <: i31 <: eq <: any; extern and func apart. */
    lw_module *m = load("(module (type $t (func)) (type $s (struct)))");
    lw_valtype t = LW_REF(0, LW_HEAP_TYPE(0)), tn = LW_REF(1, LW_HEAP_TYPE(0));
    ck_assert(lw_valtype_match(m, t, tn) && !lw_valtype_match(m, tn, t));
    ck_assert(lw_valtype_match(m, tn, LW_FUNCREF) && !lw_valtype_match(m, LW_FUNCREF, tn));
    ck_assert(lw_valtype_match(m, LW_REF(1, LW_HEAP_NOFUNC), tn));
    ck_assert(!lw_valtype_match(m, LW_REF(1, LW_HEAP_NONE), tn));
    ck_assert(lw_valtype_match(m, LW_REF(0, LW_HEAP_TYPE(1)), LW_REF(1, LW_HEAP_EQ)));
    ck_assert(!lw_valtype_match(m, LW_REF(0, LW_HEAP_TYPE(1)), LW_FUNCREF));
    ck_assert(lw_valtype_match(m, LW_REF(1, LW_HEAP_NONE), LW_REF(1, LW_HEAP_I31)));
    ck_assert(lw_valtype_match(m, LW_REF(1, LW_HEAP_I31), LW_REF(1, LW_HEAP_ANY)));
    ck_assert(!lw_valtype_match(m, LW_REF(1, LW_HEAP_NOEXTERN), LW_FUNCREF));
    ck_assert(lw_valtype_match(m, LW_REF(1, LW_HEAP_NOEXTERN), LW_EXTERNREF));
    lw_module_free(m);
    /* Branches, select and returns take subtypes; not the other way round. */
    lw_module_free(load("(module (type $t (func))"
                        " (func $f (param (ref $t)) (result funcref)"
                        "  (block (result funcref) (br 0 (local.get 0)))"
                        "  (select (result funcref) (local.get 0) (ref.null func) (i32.const 1))"
                        "  drop))"));
    ck_assert(has(invalid("(module (type $t (func))"
                          " (func (param funcref) (result (ref null $t)) (local.get 0)))"),
                  "type mismatch"));
}
END_TEST

/* ---- locals ---------------------------------------------------------------- */

START_TEST(test_local_init)
{
    lw_module_free(load("(module (type $t (func))"
                        " (func (param (ref $t)) (local $l (ref $t))"
                        "  (local.set $l (local.get 0))"
                        "  (drop (local.get $l))))"));
    ck_assert(has(invalid("(module (type $t (func)) (func (local $l (ref $t))"
                          " (drop (local.get $l))))"),
                  "uninitialized local"));
    /* A set inside a block does not reach past its end. */
    ck_assert(has(invalid("(module (type $t (func))"
                          " (func (param (ref $t)) (local $l (ref $t))"
                          "  (block (local.set $l (local.get 0)))"
                          "  (drop (local.get $l))))"),
                  "uninitialized local"));
    /* Nullable references and numbers have defaults. */
    lw_module_free(load("(module (func (local funcref i32) (drop (local.get 0))"
                        " (drop (local.get 1))))"));
}
END_TEST

/* ---- the binary and text forms --------------------------------------------- */

static const char *types_wat =
    "(module"
    " (rec (type $list (sub (struct (field $head i32) (field $tail (ref null $list)))))"
    "      (type $pair (sub final $list (struct (field i32) (field (ref null $list))"
    "                                     (field (mut f64))))))"
    " (type $bytes (array (mut i8)))"
    " (type $fn (func (param (ref $bytes)) (result (ref null $list))))"
    " (func $id (param (ref $fn)) (result (ref $fn)) (local.get 0))"
    " (table 2 (ref $fn) (ref.func $g))"
    " (func $g (type $fn) (ref.null $list))"
    " (elem declare func $g))";

START_TEST(test_round_trip)
{
    lw_error err;
    lw_module *m = load(types_wat);
    ck_assert_uint_eq(m->ntypes, 5);
    ck_assert_uint_eq(m->typedefs[0].rec_size, 2);
    ck_assert_uint_eq(m->typedefs[1].rec_start, 0);
    ck_assert_uint_eq(m->typedefs[1].super, 0);
    ck_assert(m->typedefs[1].final && !m->typedefs[0].final);
    ck_assert_uint_eq(m->typedefs[1].nfields, 3);
    ck_assert_uint_eq(m->typedefs[0].fields[1].type, LW_REF(1, LW_HEAP_TYPE(0)));
    ck_assert_uint_eq(m->typedefs[2].kind, LW_COMP_ARRAY);
    ck_assert_ptr_nonnull(m->table_inits[0].code);
    uint8_t *a, *b;
    size_t na, nb;
    ck_assert_int_eq(lw_module_encode(m, &a, &na, &err), 0);
    lw_module *d = lw_module_load(a, na, lw_features_all(), &err);
    ck_assert_msg(d != NULL, "%s", err.message);
    ck_assert_uint_eq(d->ntypes, 5);
    ck_assert_uint_eq(d->typedefs[1].rec_size, 2);
    ck_assert_uint_eq(d->typedefs[1].super, 0);
    ck_assert(d->typedefs[1].final && !d->typedefs[0].final);
    ck_assert_uint_eq(d->typedefs[1].fields[2].type, LW_F64);
    ck_assert(d->typedefs[1].fields[2].mut);
    ck_assert_uint_eq(d->tables[0].reftype, LW_REF(0, LW_HEAP_TYPE(3)));
    ck_assert_int_eq(lw_module_encode(d, &b, &nb, &err), 0);
    ck_assert_uint_eq(na, nb);
    ck_assert_mem_eq(a, b, na);
    /* The table's initializer runs at instantiation. */
    lw_store *s = lw_store_new(NULL);
    lw_instance *inst = lw_instantiate(s, d, NULL, 0, &err);
    ck_assert_msg(inst != NULL, "%s", err.message);
    ck_assert_ptr_nonnull(inst->tables[0]->elems[1]);
    lw_store_free(s);
    free(a);
    free(b);
    lw_module_free(d);
    lw_module_free(m);
}
END_TEST

/* The forms need their features. */
START_TEST(test_features_gate)
{
    lw_error err;
    const char *typed = "(module (type $t (func)) (func (param (ref $t))))";
    const char *gc = "(module (type (struct)))";
    lw_features f2 = lw_features_wasm2();
    ck_assert_ptr_null(lw_module_parse_text(typed, strlen(typed), f2, &err));
    ck_assert_ptr_null(lw_module_parse_text(gc, strlen(gc), f2, &err));
    lw_features fr = f2 | LW_FEATURE(FUNCTION_REFERENCES);
    lw_module *m = lw_module_parse_text(typed, strlen(typed), fr, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    lw_module_free(m);
    ck_assert_ptr_null(lw_module_parse_text(gc, strlen(gc), fr, &err));
    /* Binary: a rec group is malformed without GC. */
    static const uint8_t rec[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 1, 5, 1, 0x4e, 1, 0x5f, 0};
    ck_assert_ptr_null(lw_module_decode(rec, sizeof rec, fr, &err));
    m = lw_module_decode(rec, sizeof rec, fr | LW_FEATURE(GC), &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_uint_eq(m->typedefs[0].kind, LW_COMP_STRUCT);
    lw_module_free(m);
}
END_TEST

/* ---- call_ref and return_call_ref ------------------------------------------ */

static const char *calls_wat =
    "(module"
    " (type $t (func (param i32) (result i32)))"
    " (elem declare func $inc $count)"
    " (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))"
    " (func (export \"call\") (param i32) (result i32)"
    "  (call_ref $t (local.get 0) (ref.func $inc)))"
    " (func (export \"call_null\") (param i32) (result i32)"
    "  (call_ref $t (local.get 0) (ref.null $t)))"
    " (func (export \"tail_null\") (param i32) (result i32)"
    "  (return_call_ref $t (local.get 0) (ref.null $t)))"
    " (func (export \"as_non_null\") (param i32) (result i32)"
    "  (drop (ref.as_non_null (ref.null $t))) (local.get 0))"
    " (func (export \"on_null\") (param i32) (result i32)"
    "  (block $l (br_on_null $l (ref.null $t)) (return (i32.const 1))) (i32.const 2))"
    " (func $count (export \"count\") (param i32) (result i32)"
    "  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7))"
    "   (else (return_call_ref $t (i32.sub (local.get 0) (i32.const 1)) (ref.func $count))))))";

static int call1(lw_store *s, lw_instance *inst, const char *name, int32_t arg,
                 int32_t *out, lw_error *err)
{
    lw_val a = {.type = LW_I32, .of.i32 = arg}, r;
    int rc = lw_func_call(s, export_func(inst, name), &a, 1, &r, 1, err);
    *out = r.of.i32;
    return rc;
}

START_TEST(test_call_ref)
{
    lw_module *m = load(calls_wat);
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    ck_assert_msg(inst != NULL, "%s", err.message);
    int32_t r = 0;
    ck_assert_int_eq(call1(s, inst, "call", 41, &r, &err), 0);
    ck_assert_int_eq(r, 42);
    ck_assert_int_eq(call1(s, inst, "on_null", 0, &r, &err), 0);
    ck_assert_int_eq(r, 2);
    static const char *const traps[][2] = {
        {"call_null", "null function reference"},
        {"tail_null", "null function reference"},
        {"as_non_null", "null reference"},
    };
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(call1(s, inst, traps[i][0], 1, &r, &err), -1);
        ck_assert_int_eq(err.kind, LW_ERR_TRAP);
        ck_assert_str_eq(err.message, traps[i][1]);
    }
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

/* Ten million tail calls through references with room for 20 frames and
 * a small value stack: neither stack grows. */
START_TEST(test_return_call_ref_constant_space)
{
    lw_store_limits lim = {0};
    lim.max_call_depth = 20;
    lim.max_stack_bytes = 4096;
    lw_module *m = load(calls_wat);
    lw_store *s = lw_store_new(&lim);
    lw_error err;
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    ck_assert_msg(inst != NULL, "%s", err.message);
    int32_t r = 0;
    ck_assert_msg(call1(s, inst, "count", 10000000, &r, &err) == 0, "%s", err.message);
    ck_assert_int_eq(r, 7);
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

static Suite *funcref_suite(void)
{
    Suite *s = suite_create("funcref");
    TCase *tc = tcase_create("types");
    tcase_add_test(tc, test_canon_across_modules);
    tcase_add_test(tc, test_canon_within_module);
    tcase_add_test(tc, test_subtype_imports);
    tcase_add_test(tc, test_subtype_call_indirect);
    tcase_add_test(tc, test_subtype_rules);
    tcase_add_test(tc, test_value_subtyping);
    tcase_add_test(tc, test_local_init);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_features_gate);
    suite_add_tcase(s, tc);
    tc = tcase_create("calls");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_call_ref);
    tcase_add_test(tc, test_return_call_ref_constant_space);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(funcref_suite)
