/* Value types: the packed representation, names, the subtype relation,
 * their binary encoding, and the store's canonical type ids. */
#include "interp.h"
#include "binbuild.h"
#include "unit.h"

#include <string.h>

/* ---- representation and names -------------------------------------- */

START_TEST(test_packing)
{
    ck_assert_uint_eq(LW_FUNCREF, 0x7063u);
    ck_assert_uint_eq(LW_EXTERNREF, 0x6f63u);
    lw_valtype t = LW_REF(0, LW_HEAP_TYPE(5));
    ck_assert(lw_valtype_is_ref(t) && !lw_valtype_nullable(t) && !lw_valtype_is_num(t));
    ck_assert(lw_heaptype_is_concrete(lw_valtype_heap(t)));
    ck_assert_uint_eq(lw_heaptype_index(lw_valtype_heap(t)), 5);
    ck_assert(lw_valtype_nullable(LW_FUNCREF));
    ck_assert_uint_eq(lw_valtype_heap(LW_FUNCREF), LW_HEAP_FUNC);
    ck_assert(!lw_heaptype_is_concrete(LW_HEAP_NOEXN));
    ck_assert(lw_valtype_is_num(LW_I32) && lw_valtype_is_num(LW_F64));
    ck_assert(!lw_valtype_is_num(LW_V128) && !lw_valtype_is_ref(LW_V128));
    /* The largest index still fits beside the low byte. */
    t = LW_REF(1, LW_HEAP_TYPE(LW_HEAP_MAX_INDEX));
    ck_assert_uint_eq(lw_heaptype_index(lw_valtype_heap(t)), LW_HEAP_MAX_INDEX);
}
END_TEST

static const char *fmt(lw_valtype t)
{
    static char buf[LW_VALTYPE_BUFSIZE];
    lw_valtype_format(t, buf, sizeof buf);
    return buf;
}

START_TEST(test_names)
{
    ck_assert_str_eq(lw_valtype_name(LW_I32), "i32");
    ck_assert_str_eq(lw_valtype_name(LW_V128), "v128");
    ck_assert_str_eq(lw_valtype_name(LW_FUNCREF), "funcref");
    ck_assert_str_eq(lw_valtype_name(LW_EXTERNREF), "externref");
    ck_assert_str_eq(lw_valtype_name(LW_REF(1, LW_HEAP_NONE)), "nullref");
    ck_assert_str_eq(lw_valtype_name(LW_REF(1, LW_HEAP_TYPE(3))), "?");
    ck_assert_str_eq(lw_valtype_name(0x40), "?");
    ck_assert_str_eq(fmt(LW_F32), "f32");
    ck_assert_str_eq(fmt(LW_FUNCREF), "funcref");
    ck_assert_str_eq(fmt(LW_REF(1, LW_HEAP_ANY)), "anyref");
    ck_assert_str_eq(fmt(LW_REF(0, LW_HEAP_FUNC)), "(ref func)");
    ck_assert_str_eq(fmt(LW_REF(0, LW_HEAP_NOEXTERN)), "(ref noextern)");
    ck_assert_str_eq(fmt(LW_REF(1, LW_HEAP_TYPE(3))), "(ref null 3)");
    ck_assert_str_eq(fmt(LW_REF(0, LW_HEAP_TYPE(0))), "(ref 0)");
    char small[4];
    ck_assert_uint_eq(lw_valtype_format(LW_REF(1, LW_HEAP_TYPE(3)), small, sizeof small), 12);
    ck_assert_str_eq(small, "(re");
}
END_TEST

/* ---- subtyping --------------------------------------------------------- */

/* Types 0 func, 1 struct, 2 array, 3 func declared below 0. */
static const lw_typedef defs[] = {
    {LW_COMP_FUNC, false, LW_NO_SUPER, 0, 1, 0, NULL},
    {LW_COMP_STRUCT, true, LW_NO_SUPER, 1, 1, 0, NULL},
    {LW_COMP_ARRAY, true, LW_NO_SUPER, 2, 1, 0, NULL},
    {LW_COMP_FUNC, true, 0, 3, 1, 0, NULL},
};
static const wasm_typectx ctx = {defs, 4, NULL, NULL};

static bool heap(lw_heaptype sub, lw_heaptype super)
{
    return wasm_type_match(&ctx, LW_REF(1, sub), LW_REF(1, super));
}

START_TEST(test_match_abstract)
{
    /* none <: i31, struct, array <: eq <: any */
    ck_assert(heap(LW_HEAP_NONE, LW_HEAP_I31) && heap(LW_HEAP_NONE, LW_HEAP_ANY));
    ck_assert(heap(LW_HEAP_I31, LW_HEAP_EQ) && heap(LW_HEAP_STRUCT, LW_HEAP_ANY));
    ck_assert(heap(LW_HEAP_ARRAY, LW_HEAP_EQ) && heap(LW_HEAP_EQ, LW_HEAP_ANY));
    ck_assert(!heap(LW_HEAP_ANY, LW_HEAP_EQ) && !heap(LW_HEAP_EQ, LW_HEAP_I31));
    ck_assert(!heap(LW_HEAP_I31, LW_HEAP_STRUCT));
    /* The other hierarchies: their bottom below their top, nothing across. */
    ck_assert(heap(LW_HEAP_NOFUNC, LW_HEAP_FUNC) && !heap(LW_HEAP_FUNC, LW_HEAP_NOFUNC));
    ck_assert(heap(LW_HEAP_NOEXTERN, LW_HEAP_EXTERN));
    ck_assert(heap(LW_HEAP_NOEXN, LW_HEAP_EXN));
    ck_assert(!heap(LW_HEAP_NONE, LW_HEAP_FUNC) && !heap(LW_HEAP_NOFUNC, LW_HEAP_ANY));
    ck_assert(!heap(LW_HEAP_FUNC, LW_HEAP_ANY) && !heap(LW_HEAP_EXTERN, LW_HEAP_ANY));
    ck_assert(!heap(LW_HEAP_FUNC, LW_HEAP_EXTERN) && !heap(LW_HEAP_NOEXN, LW_HEAP_FUNC));
}
END_TEST

START_TEST(test_match_nullability)
{
    ck_assert(wasm_type_match(&ctx, LW_REF(0, LW_HEAP_FUNC), LW_FUNCREF));
    ck_assert(!wasm_type_match(&ctx, LW_FUNCREF, LW_REF(0, LW_HEAP_FUNC)));
    ck_assert(wasm_type_match(&ctx, LW_REF(0, LW_HEAP_I31), LW_REF(0, LW_HEAP_ANY)));
    ck_assert(!wasm_type_match(&ctx, LW_REF(1, LW_HEAP_I31), LW_REF(0, LW_HEAP_ANY)));
    /* Numbers and vectors match only themselves. */
    ck_assert(wasm_type_match(&ctx, LW_I64, LW_I64));
    ck_assert(!wasm_type_match(&ctx, LW_I32, LW_I64));
    ck_assert(!wasm_type_match(&ctx, LW_V128, LW_FUNCREF));
    ck_assert(!wasm_type_match(&ctx, LW_FUNCREF, LW_I32));
}
END_TEST

START_TEST(test_match_concrete)
{
    ck_assert(heap(LW_HEAP_TYPE(0), LW_HEAP_FUNC));
    ck_assert(!heap(LW_HEAP_TYPE(0), LW_HEAP_ANY));
    ck_assert(heap(LW_HEAP_TYPE(1), LW_HEAP_STRUCT) && heap(LW_HEAP_TYPE(1), LW_HEAP_EQ));
    ck_assert(heap(LW_HEAP_TYPE(2), LW_HEAP_ARRAY) && heap(LW_HEAP_TYPE(2), LW_HEAP_ANY));
    ck_assert(!heap(LW_HEAP_TYPE(1), LW_HEAP_ARRAY) && !heap(LW_HEAP_TYPE(2), LW_HEAP_FUNC));
    /* Bottom types lie below the concrete types of their hierarchy. */
    ck_assert(heap(LW_HEAP_NOFUNC, LW_HEAP_TYPE(0)) && !heap(LW_HEAP_NONE, LW_HEAP_TYPE(0)));
    ck_assert(heap(LW_HEAP_NONE, LW_HEAP_TYPE(1)) && !heap(LW_HEAP_NOFUNC, LW_HEAP_TYPE(2)));
    ck_assert(!heap(LW_HEAP_FUNC, LW_HEAP_TYPE(0)));
    /* Declared supertypes, upwards only. */
    ck_assert(heap(LW_HEAP_TYPE(3), LW_HEAP_TYPE(0)) && !heap(LW_HEAP_TYPE(0), LW_HEAP_TYPE(3)));
    ck_assert(heap(LW_HEAP_TYPE(3), LW_HEAP_TYPE(3)) && !heap(LW_HEAP_TYPE(1), LW_HEAP_TYPE(2)));
    ck_assert(wasm_type_match(&ctx, LW_REF(0, LW_HEAP_TYPE(3)), LW_REF(1, LW_HEAP_TYPE(0))));
    /* An index the context does not hold matches nothing but itself. */
    ck_assert(!heap(LW_HEAP_TYPE(9), LW_HEAP_FUNC) && !heap(LW_HEAP_NOFUNC, LW_HEAP_TYPE(9)));
}
END_TEST

/* ---- the validator and the binary format --------------------------------- */

static lw_module *decode(const char *types_hex, const char *rest_hex, lw_features f,
                         lw_error *err)
{
    bin b = {.n = 0};
    b_hex(&b, "00 61 73 6d 01 00 00 00 01");
    bin sec = {.n = 0};
    b_hex(&sec, types_hex);
    b_u32(&b, (uint32_t)sec.n);
    b_raw(&b, sec.d, sec.n);
    b_hex(&b, rest_hex);
    return lw_module_decode(b.d, b.n, f, err);
}

#define TYPED_REFS (LW_FEATURE(GC) | LW_FEATURE(FUNCTION_REFERENCES))

/* One function of type 0 whose body is local.get 0. */
#define FUNC_GET0 "03 02 01 00  0a 06 01 04 00 20 00 0b"

START_TEST(test_validate_subtype)
{
    lw_error err;
    lw_features f = lw_features_wasm2() | TYPED_REFS;
    /* (func (param (ref 0)) (result funcref)): (ref 0) <: funcref. */
    lw_module *m = decode("01 60 01 64 00 01 70", FUNC_GET0, f, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_uint_eq(m->types[0].params[0], LW_REF(0, LW_HEAP_TYPE(0)));
    ck_assert_int_eq(lw_module_validate(m, &err), 0);
    ck_assert(lw_valtype_match(m, m->types[0].params[0], LW_FUNCREF));
    lw_module_free(m);
    /* The other way round does not validate. */
    m = decode("01 60 01 70 01 64 00", FUNC_GET0, f, &err);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(lw_module_validate(m, &err), -1);
    ck_assert_str_eq(err.message,
                     "type mismatch: instruction requires [(ref 0)] but stack has [funcref] (end)");
    lw_module_free(m);
    /* A concrete type the module does not define. */
    m = decode("01 60 01 63 05 00", "", f, &err);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(lw_module_validate(m, &err), -1);
    ck_assert_str_eq(err.message, "unknown type 5");
    lw_module_free(m);
}
END_TEST

START_TEST(test_decode_typed_refs)
{
    lw_error err;
    /* Without the features, 0x63 and 0x64 are not value types. */
    ck_assert_ptr_null(decode("01 60 01 63 70 00", "", lw_features_wasm2(), &err));
    ck_assert_str_eq(err.message, "malformed value type");
    ck_assert_ptr_null(decode("01 60 01 64 00 00", "", lw_features_wasm2(), &err));
    ck_assert_str_eq(err.message, "malformed value type");
    /* With them: abstract heap types are negative, indices positive. */
    lw_features f = lw_features_wasm2() | TYPED_REFS;
    lw_module *m = decode("01 60 03 63 70 64 6e 63 81 01 00", "", f, &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_uint_eq(m->types[0].params[0], LW_FUNCREF);
    ck_assert_uint_eq(m->types[0].params[1], LW_REF(0, LW_HEAP_ANY));
    ck_assert_uint_eq(m->types[0].params[2], LW_REF(1, LW_HEAP_TYPE(129)));
    lw_module_free(m);
    ck_assert_ptr_null(decode("01 60 01 63 40 00", "", f, &err));
    ck_assert_str_eq(err.message, "malformed heap type");
}
END_TEST

/* Encoding: funcref and externref keep their one-byte form (a module
 * round-trips byte for byte), other references take 0x63/0x64 + heap type. */
START_TEST(test_encode_reftypes)
{
    lw_error err;
    bin b = {.n = 0};
    b_hex(&b, "00 61 73 6d 01 00 00 00  01 07 01 60 02 70 6f 01 6f"
              "  04 04 01 70 00 01  06 06 01 6f 00 d0 6f 0b");
    lw_module *m = lw_module_decode(b.d, b.n, lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    ck_assert_uint_eq(m->tables[0].reftype, LW_FUNCREF);
    ck_assert_uint_eq(m->globals[0].type, LW_EXTERNREF);
    uint8_t *out;
    size_t len;
    ck_assert_int_eq(lw_module_encode(m, &out, &len, &err), 0);
    ck_assert_uint_eq(len, b.n);
    ck_assert_mem_eq(out, b.d, len);
    free(out);
    lw_module_free(m);

    wasm_buf w = {0};
    wasm_buf_valtype(&w, LW_REF(1, LW_HEAP_FUNC));
    wasm_buf_valtype(&w, LW_REF(0, LW_HEAP_FUNC));
    wasm_buf_valtype(&w, LW_REF(1, LW_HEAP_TYPE(129)));
    wasm_buf_valtype(&w, LW_I64);
    static const uint8_t want[] = {0x70, 0x64, 0x70, 0x63, 0x81, 0x01, 0x7e};
    ck_assert_uint_eq(w.len, sizeof want);
    ck_assert_mem_eq(w.data, want, sizeof want);
    wasm_buf_free(&w);
}
END_TEST

/* ---- canonical types ------------------------------------------------------ */

static lw_func *export_func(const lw_instance *inst, const char *name)
{
    lw_extern ext;
    ck_assert(lw_instance_export(inst, name, &ext) && ext.kind == LW_EXTERN_FUNC);
    return ext.of.func;
}

static int host_nop(lw_host_call *call, const lw_val *args, lw_val *results)
{
    return 0;
}

START_TEST(test_canon_shared_ids)
{
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    /* The same type at different indices in two modules. */
    lw_module *a = unit_load_wat("(module (type (func (param i32) (result i32)))"
                        " (func (export \"f\") (type 0) local.get 0)"
                        " (func (export \"g\") (param i64)))");
    lw_module *b = unit_load_wat("(module (type (func))"
                        " (func (export \"f\") (param i32) (result i32) local.get 0))");
    lw_instance *ia = lw_instantiate(s, a, NULL, 0, &err);
    lw_instance *ib = lw_instantiate(s, b, NULL, 0, &err);
    ck_assert(ia && ib);
    ck_assert_uint_eq(export_func(ia, "f")->type_id, export_func(ib, "f")->type_id);
    ck_assert_uint_ne(export_func(ia, "f")->type_id, export_func(ia, "g")->type_id);
    ck_assert_uint_eq(ia->type_ids[0], ib->type_ids[1]);
    ck_assert_uint_ne(ib->type_ids[0], ib->type_ids[1]);
    /* A host function of that type shares the id too. */
    static const lw_valtype i32[] = {LW_I32};
    lw_functype ft = {1, 1, i32, i32};
    ck_assert_uint_eq(lw_func_new_host(s, &ft, host_nop, NULL)->type_id,
                      export_func(ia, "f")->type_id);
    lw_store_free(s);
    lw_module_free(a);
    lw_module_free(b);
}
END_TEST

START_TEST(test_canon_host_and_many)
{
    lw_store *s = lw_store_new(NULL);
    /* Enough distinct types to grow the table of groups a few times. */
    lw_valtype params[200];
    for (uint32_t i = 0; i < 200; i++)
        params[i] = i % 2 ? LW_I64 : LW_FUNCREF;
    uint32_t ids[200];
    for (uint32_t n = 0; n < 200; n++) {
        lw_functype ft = {n, 0, params, NULL};
        lw_func *f = lw_func_new_host(s, &ft, host_nop, NULL);
        ck_assert_ptr_nonnull(f);
        ids[n] = f->type_id;
        ck_assert(lw_functype_equal(lw_func_type(f), &ft));
    }
    for (uint32_t n = 0; n < 200; n++) {
        lw_functype ft = {n, 0, params, NULL};
        ck_assert_uint_eq(lw_func_new_host(s, &ft, host_nop, NULL)->type_id, ids[n]);
        if (n)
            ck_assert_uint_ne(ids[n], ids[n - 1]);
    }
    ck_assert_uint_eq(s->types.n, 200);
    lw_store_free(s);
}
END_TEST

/* Two-type recursion groups canonicalize as a whole: the same group in two
 * modules gets the same ids, a group whose references differ does not. */
static const lw_valtype ref0[] = {LW_REF(1, LW_HEAP_TYPE(0))};
static const lw_valtype ref1[] = {LW_REF(1, LW_HEAP_TYPE(1))};
static const lw_typedef rec2[] = {
    {LW_COMP_FUNC, true, LW_NO_SUPER, 0, 2, 0, NULL},
    {LW_COMP_FUNC, true, LW_NO_SUPER, 0, 2, 0, NULL},
};

static void canon_pair(wasm_canon *c, const lw_valtype *p0, const lw_valtype *p1,
                       uint32_t *ids)
{
    lw_functype types[] = {{1, 0, p0, NULL}, {1, 0, p1, NULL}};
    lw_module m = {.ntypes = 2, .types = types, .typedefs = rec2};
    ck_assert_int_eq(wasm_canon_module(c, &m, ids), 0);
}

START_TEST(test_canon_rec_groups)
{
    wasm_canon c = {0};
    uint32_t a[2], b[2], d[2];
    canon_pair(&c, ref1, ref0, a);      /* each refers to the other */
    canon_pair(&c, ref1, ref0, b);
    canon_pair(&c, ref0, ref1, d);      /* each refers to itself */
    ck_assert_uint_eq(a[0], b[0]);
    ck_assert_uint_eq(a[1], b[1]);
    ck_assert_uint_ne(a[0], d[0]);
    ck_assert_uint_eq(c.n, 4);
    /* In the store, references inside the group became ids. */
    ck_assert_uint_eq(c.funcs[a[0]].params[0], LW_REF(1, LW_HEAP_TYPE(a[1])));
    ck_assert_uint_eq(c.defs[d[1]].rec_start, d[0]);
    wasm_canon_free(&c);
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
    linked k = {lw_store_new(NULL), NULL, unit_load_wat(wat)};
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

/* A table shared by two modules: call_indirect checks canonical ids, so a
 * function from another module with the same type passes and one of
 * another type traps. */
START_TEST(test_canon_call_indirect)
{
    linked k = link_a("(module (table (export \"t\") 2 funcref)"
                      " (func $f (param i32) (result i32) local.get 0 i32.const 1 i32.add)"
                      " (func $g (param i64))"
                      " (elem (i32.const 0) $f $g))");
    lw_error err;
    lw_module *b = unit_load_wat("(module (type (func)) (type (func (param i32) (result i32)))"
                        " (import \"a\" \"t\" (table 2 funcref))"
                        " (func (export \"call\") (param i32) (result i32)"
                        "   i32.const 41 local.get 0 call_indirect (type 1)))");
    lw_instance *ib = lw_linker_instantiate(k.l, b, &err);
    ck_assert_msg(ib != NULL, "%s", err.message);
    lw_func *call = export_func(ib, "call");
    lw_val arg = {.type = LW_I32, .of.i32 = 0}, res;
    ck_assert_int_eq(lw_func_call(k.s, call, &arg, 1, &res, 1, &err), 0);
    ck_assert_int_eq(res.of.i32, 42);
    arg.of.i32 = 1;
    ck_assert_int_eq(lw_func_call(k.s, call, &arg, 1, &res, 1, &err), -1);
    ck_assert_str_eq(err.message, "indirect call type mismatch");
    linked_free(&k);
    lw_module_free(b);
}
END_TEST

/* Imports are checked against canonical types: a function import of
 * another type, or a global import of another type, does not link. */
START_TEST(test_canon_imports)
{
    linked k = link_a("(module (func (export \"f\") (param i32))"
                      " (global (export \"g\") (mut externref) (ref.null extern)))");
    lw_error err;
    static const char *const bad[] = {
        "(module (import \"a\" \"f\" (func (param i64))))",
        "(module (import \"a\" \"g\" (global (mut funcref))))",
        "(module (import \"a\" \"g\" (global externref)))",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        lw_module *b = unit_load_wat(bad[i]);
        ck_assert_ptr_null(lw_linker_instantiate(k.l, b, &err));
        ck_assert_str_eq(err.message, "incompatible import type");
        lw_module_free(b);
    }
    lw_module *ok = unit_load_wat("(module (import \"a\" \"f\" (func (param i32)))"
                         " (import \"a\" \"g\" (global (mut externref))))");
    ck_assert_ptr_nonnull(lw_linker_instantiate(k.l, ok, &err));
    lw_module_free(ok);
    linked_free(&k);
}
END_TEST

static Suite *types_suite(void)
{
    Suite *s = suite_create("types");
    TCase *tc = tcase_create("types");
    tcase_add_test(tc, test_packing);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_match_abstract);
    tcase_add_test(tc, test_match_nullability);
    tcase_add_test(tc, test_match_concrete);
    tcase_add_test(tc, test_validate_subtype);
    tcase_add_test(tc, test_decode_typed_refs);
    tcase_add_test(tc, test_encode_reftypes);
    tcase_add_test(tc, test_canon_shared_ids);
    tcase_add_test(tc, test_canon_host_and_many);
    tcase_add_test(tc, test_canon_rec_groups);
    tcase_add_test(tc, test_canon_call_indirect);
    tcase_add_test(tc, test_canon_imports);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(types_suite)
