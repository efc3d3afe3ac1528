/* The runtime API: host functions, linking, memories, tables, globals,
 * instantiation (segments in order, start function) and call checking. */
#include "libwasm.h"
#include "binbuild.h"
#include "unit.h"

#include <string.h>

static lw_val v_i32(int32_t v)
{
    lw_val x;
    memset(&x, 0, sizeof x);
    x.type = LW_I32;
    x.of.i32 = v;
    return x;
}

static lw_func *get_func(const lw_instance *inst, const char *name)
{
    lw_extern ext;
    ck_assert_msg(lw_instance_export(inst, name, &ext), "no export %s", name);
    ck_assert_int_eq(ext.kind, LW_EXTERN_FUNC);
    return ext.of.func;
}

/* ---- host functions ------------------------------------------------ */

static const lw_valtype ii_i[] = {LW_I32, LW_I32, LW_I32};
static const lw_functype type_ii_i = {2, 1, ii_i, ii_i + 2};
static const lw_functype type_i_v = {1, 0, ii_i, NULL};

static int host_sub(lw_host_call *call, const lw_val *args, lw_val *results)
{
    int *calls = lw_host_user(call);
    (*calls)++;
    results[0] = v_i32(args[0].of.i32 - args[1].of.i32);
    return 0;
}

static int host_check(lw_host_call *call, const lw_val *args, lw_val *results)
{
    if (args[0].of.i32 == 1)
        return lw_host_trap(call, "host says no");
    if (args[0].of.i32 == 2)
        return lw_host_exit(call, 7);
    /* Read the caller's memory: byte 0 holds 0x2a. */
    lw_memory *m = lw_host_memory(call);
    if (!m || !lw_host_caller(call) || lw_memory_data(m)[0] != 0x2a)
        return lw_host_trap(call, "no caller memory");
    return 0;
}

static const char *host_wat =
    "(module"
    " (import \"env\" \"sub\" (func $sub (param i32 i32) (result i32)))"
    " (import \"env\" \"check\" (func $check (param i32)))"
    " (memory 1) (data (i32.const 0) \"\\2a\")"
    " (func (export \"twice\") (param i32 i32) (result i32)"
    "  local.get 0 local.get 1 call $sub local.get 1 call $sub)"
    " (func (export \"check\") (param i32) local.get 0 call $check)"
    " (export \"sub\" (func $sub))"
    ")";

START_TEST(test_host_functions)
{
    lw_module *m = unit_load_wat(host_wat);
    lw_store *s = lw_store_new(NULL);
    int calls = 0;
    lw_extern imports[2];
    imports[0].kind = imports[1].kind = LW_EXTERN_FUNC;
    imports[0].of.func = lw_func_new_host(s, &type_ii_i, host_sub, &calls);
    imports[1].of.func = lw_func_new_host(s, &type_i_v, host_check, NULL);
    ck_assert(lw_functype_equal(lw_func_type(imports[0].of.func), &type_ii_i));
    lw_error err;
    lw_instance *inst = lw_instantiate(s, m, imports, 2, &err);
    ck_assert_msg(inst != NULL, "%s", err.message);

    lw_val args[2] = {v_i32(100), v_i32(30)}, res[1];
    ck_assert_int_eq(lw_func_call(s, get_func(inst, "twice"), args, 2, res, 1, &err), 0);
    ck_assert_int_eq(res[0].of.i32, 40);
    ck_assert_int_eq(calls, 2);
    /* The re-exported host function is called directly from the host. */
    ck_assert_int_eq(lw_func_call(s, get_func(inst, "sub"), args, 2, res, 1, &err), 0);
    ck_assert_int_eq(res[0].of.i32, 70);

    lw_val a = v_i32(0);
    ck_assert_int_eq(lw_func_call(s, get_func(inst, "check"), &a, 1, NULL, 0, &err), 0);
    a = v_i32(1);
    ck_assert_int_ne(lw_func_call(s, get_func(inst, "check"), &a, 1, NULL, 0, &err), 0);
    ck_assert_int_eq(err.kind, LW_ERR_TRAP);
    ck_assert_str_eq(err.message, "host says no");
    a = v_i32(2);
    ck_assert_int_ne(lw_func_call(s, get_func(inst, "check"), &a, 1, NULL, 0, &err), 0);
    ck_assert_int_eq(err.kind, LW_ERR_EXIT);
    ck_assert_int_eq(err.exit_code, 7);
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

START_TEST(test_call_checks)
{
    lw_module *m = unit_load_wat(host_wat);
    lw_store *s = lw_store_new(NULL);
    int calls = 0;
    lw_extern imports[2];
    imports[0].kind = imports[1].kind = LW_EXTERN_FUNC;
    imports[0].of.func = lw_func_new_host(s, &type_ii_i, host_sub, &calls);
    imports[1].of.func = lw_func_new_host(s, &type_i_v, host_check, NULL);
    lw_error err;
    lw_instance *inst = lw_instantiate(s, m, imports, 2, &err);
    ck_assert_ptr_nonnull(inst);
    lw_func *f = get_func(inst, "twice");
    lw_val args[2] = {v_i32(1), v_i32(2)}, res[1];
    ck_assert_int_ne(lw_func_call(s, f, args, 1, res, 1, &err), 0);
    ck_assert_int_eq(err.kind, LW_ERR_USAGE);
    args[1].type = LW_I64;
    ck_assert_int_ne(lw_func_call(s, f, args, 2, res, 1, &err), 0);
    ck_assert_int_eq(err.kind, LW_ERR_USAGE);
    args[1].type = LW_I32;
    ck_assert_int_ne(lw_func_call(s, f, args, 2, res, 0, &err), 0);
    ck_assert_int_eq(err.kind, LW_ERR_USAGE);
    ck_assert_int_eq(calls, 0);

    /* Wrong import types: a function of another type, a memory for a func. */
    imports[0].of.func = imports[1].of.func;
    ck_assert_ptr_null(lw_instantiate(s, m, imports, 2, &err));
    ck_assert_int_eq(err.kind, LW_ERR_UNLINKABLE);
    ck_assert_str_eq(err.message, "incompatible import type");
    lw_limits lim = {1, 0, false, false, false};
    imports[0].kind = LW_EXTERN_MEMORY;
    imports[0].of.memory = lw_memory_new(s, &lim, &err);
    ck_assert_ptr_null(lw_instantiate(s, m, imports, 2, &err));
    ck_assert_str_eq(err.message, "incompatible import type");
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

/* ---- re-entry: a host function calling back into wasm ---------------- */

static const char *reenter_wat =
    "(module"
    " (import \"env\" \"back\" (func $back (param i32) (result i32)))"
    " (memory (export \"mem\") 1)"
    " (func (export \"down\") (param i32) (result i32)"
    "  local.get 0 i32.eqz if (result i32) i32.const 0 else"
    "  local.get 0 local.get 0 i32.const 1 i32.sub call $back i32.add end)"
    " (func (export \"oob\") (param i32) (result i32) local.get 0 i32.load)"
    ")";

typedef struct {
    lw_store *s;
    lw_instance *inst;
} reenter_ctx;

/* back(n): down(n) through the store again; n == 3 also reads out of bounds
 * in a nested call and turns that trap into a result. */
static int host_back(lw_host_call *call, const lw_val *args, lw_val *results)
{
    reenter_ctx *ctx = lw_host_user(call);
    lw_error err;
    lw_val res[1];
    if (args[0].of.i32 == 3) {
        lw_val a = v_i32(-4);
        if (lw_func_call(ctx->s, get_func(ctx->inst, "oob"), &a, 1, res, 1, &err) == 0 ||
            strcmp(err.message, "out of bounds memory access"))
            return lw_host_trap(call, "nested trap missing");
    }
    if (lw_func_call(ctx->s, get_func(ctx->inst, "down"), args, 1, res, 1, &err))
        return lw_host_trap(call, err.message);
    results[0] = res[0];
    return 0;
}

START_TEST(test_reentry)
{
    lw_module *m = unit_load_wat(reenter_wat);
    lw_store *s = lw_store_new(NULL);
    static const lw_valtype i_i[] = {LW_I32, LW_I32};
    lw_functype t = {1, 1, i_i, i_i + 1};
    reenter_ctx ctx = {s, NULL};
    lw_extern imp;
    imp.kind = LW_EXTERN_FUNC;
    imp.of.func = lw_func_new_host(s, &t, host_back, &ctx);
    lw_error err;
    ctx.inst = lw_instantiate(s, m, &imp, 1, &err);
    ck_assert_msg(ctx.inst != NULL, "%s", err.message);
    lw_val a = v_i32(50), res[1];
    ck_assert_int_eq(lw_func_call(s, get_func(ctx.inst, "down"), &a, 1, res, 1, &err), 0);
    ck_assert_int_eq(res[0].of.i32, 50 * 51 / 2);
    /* Deep enough to run out of frames: a clean exhaustion, then it works. */
    a = v_i32(100000);
    ck_assert_int_ne(lw_func_call(s, get_func(ctx.inst, "down"), &a, 1, res, 1, &err), 0);
    a = v_i32(10);
    ck_assert_int_eq(lw_func_call(s, get_func(ctx.inst, "down"), &a, 1, res, 1, &err), 0);
    ck_assert_int_eq(res[0].of.i32, 55);
    lw_store_free(s);
    lw_module_free(m);
}
END_TEST

/* ---- linking ------------------------------------------------------- */

static const char *lib_wat =
    "(module"
    " (memory (export \"mem\") 1 2)"
    " (global (export \"counter\") (mut i32) (i32.const 5))"
    " (table (export \"tab\") 2 funcref)"
    " (func $bump (export \"bump\") (result i32)"
    "  global.get 0 i32.const 1 i32.add global.set 0"
    "  i32.const 0 global.get 0 i32.store global.get 0)"
    " (elem (i32.const 1) $bump)"
    ")";

static const char *app_wat =
    "(module"
    " (import \"lib\" \"bump\" (func $bump (result i32)))"
    " (import \"lib\" \"mem\" (memory 1))"
    " (import \"lib\" \"counter\" (global $c (mut i32)))"
    " (import \"lib\" \"tab\" (table 2 funcref))"
    " (type $r (func (result i32)))"
    " (func (export \"run\") (result i32)"
    "  call $bump drop i32.const 1 call_indirect (type $r) drop"
    "  i32.const 0 i32.load global.get $c i32.add)"
    ")";

START_TEST(test_linking)
{
    lw_module *lib = unit_load_wat(lib_wat), *app = unit_load_wat(app_wat);
    lw_store *s = lw_store_new(NULL);
    lw_linker *l = lw_linker_new(s);
    lw_error err;
    ck_assert_ptr_null(lw_linker_instantiate(l, app, &err));
    ck_assert_int_eq(err.kind, LW_ERR_UNLINKABLE);
    ck_assert_str_eq(err.message, "unknown import");

    lw_instance *li = lw_linker_instantiate(l, lib, &err);
    ck_assert_msg(li != NULL, "%s", err.message);
    ck_assert_int_eq(lw_linker_define_instance(l, "lib", li), 0);
    lw_extern ext;
    ck_assert(lw_linker_lookup(l, "lib", "mem", &ext));
    ck_assert_int_eq(ext.kind, LW_EXTERN_MEMORY);
    ck_assert(!lw_linker_lookup(l, "lib", "nope", &ext));

    lw_instance *ai = lw_linker_instantiate(l, app, &err);
    ck_assert_msg(ai != NULL, "%s", err.message);
    ck_assert_ptr_eq(lw_instance_module(ai), app);
    lw_val res[1];
    /* bump twice: counter 7, memory[0] = 7, so 14. */
    ck_assert_int_eq(lw_func_call(s, get_func(ai, "run"), NULL, 0, res, 1, &err), 0);
    ck_assert_int_eq(res[0].of.i32, 14);
    ck_assert(lw_instance_export(li, "counter", &ext));
    ck_assert_int_eq(lw_global_get(ext.of.global).of.i32, 7);

    /* A defined import of the wrong kind is incompatible. */
    lw_linker *l2 = lw_linker_new(s);
    ck_assert_int_eq(lw_linker_define_instance(l2, "lib", li), 0);
    ck_assert(lw_instance_export(li, "bump", &ext));
    ck_assert_int_eq(lw_linker_define(l2, "lib", "mem", ext), 0);
    ck_assert_ptr_null(lw_linker_instantiate(l2, app, &err));
    ck_assert_int_eq(err.kind, LW_ERR_UNLINKABLE);
    ck_assert_str_eq(err.message, "incompatible import type");
    lw_linker_free(l2);

    /* define_host makes a host function importable. */
    int calls = 0;
    ck_assert_int_eq(lw_linker_define_host(l, "env", "sub", &type_ii_i, host_sub, &calls), 0);
    ck_assert(lw_linker_lookup(l, "env", "sub", &ext));
    lw_val args[2] = {v_i32(9), v_i32(4)};
    ck_assert_int_eq(lw_func_call(s, ext.of.func, args, 2, res, 1, &err), 0);
    ck_assert_int_eq(res[0].of.i32, 5);
    lw_linker_free(l);
    lw_store_free(s);
    lw_module_free(app);
    lw_module_free(lib);
}
END_TEST

/* ---- objects ------------------------------------------------------- */

START_TEST(test_objects)
{
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    lw_limits ml = {1, 2, true, false, false};
    lw_memory *m = lw_memory_new(s, &ml, &err);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(lw_memory_pages(m), 1);
    lw_memory_data(m)[65535] = 9;
    ck_assert_int_eq(lw_memory_grow(m, 1), 1);
    ck_assert_int_eq(lw_memory_data(m)[65535], 9);
    ck_assert_int_eq(lw_memory_data(m)[65536], 0);
    ck_assert_int_eq(lw_memory_grow(m, 1), -1);
    ck_assert_uint_eq(lw_memory_type(m).min, 2);
    ck_assert_uint_eq(lw_memory_type(m).max, 2);

    lw_tabletype tt = {LW_FUNCREF, {2, 4, true, false, false}};
    lw_val null;
    memset(&null, 0, sizeof null);
    null.type = LW_FUNCREF;
    lw_table *t = lw_table_new(s, &tt, null, &err);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(lw_table_size(t), 2);
    int calls = 0;
    lw_val fv = null;
    fv.of.func = lw_func_new_host(s, &type_ii_i, host_sub, &calls);
    ck_assert_int_eq(lw_table_set(t, 1, fv), 0);
    ck_assert_int_ne(lw_table_set(t, 2, fv), 0);
    lw_val out;
    ck_assert_int_eq(lw_table_get(t, 1, &out), 0);
    ck_assert_ptr_eq(out.of.func, fv.of.func);
    ck_assert_int_eq(lw_table_grow(t, 2, fv), 2);
    ck_assert_int_eq(lw_table_get(t, 3, &out), 0);
    ck_assert_ptr_eq(out.of.func, fv.of.func);
    ck_assert_int_eq(lw_table_grow(t, 1, fv), -1);
    ck_assert_int_ne(lw_table_get(t, 4, &out), 0);
    ck_assert_uint_eq(lw_table_type(t).limits.min, 4);

    lw_globaltype gt = {LW_I64, true};
    lw_val gv;
    memset(&gv, 0, sizeof gv);
    gv.type = LW_I64;
    gv.of.i64 = -5;
    lw_global *g = lw_global_new(s, &gt, gv, &err);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(lw_global_get(g).of.i64, -5);
    gv.of.i64 = 1LL << 40;
    ck_assert_int_eq(lw_global_set(g, gv), 0);
    ck_assert_int_eq(lw_global_get(g).of.i64, 1LL << 40);
    ck_assert_int_ne(lw_global_set(g, v_i32(1)), 0);
    lw_globaltype ct = {LW_I32, false};
    lw_global *c = lw_global_new(s, &ct, v_i32(3), &err);
    ck_assert_int_ne(lw_global_set(c, v_i32(4)), 0);
    ck_assert_int_eq(lw_global_type(c).mut, false);
    ck_assert_ptr_null(lw_global_new(s, &ct, gv, &err));
    ck_assert_int_eq(err.kind, LW_ERR_USAGE);
    lw_store_free(s);
}
END_TEST

/* ---- instantiation --------------------------------------------------- */

static const char *seg_wat =
    "(module"
    " (import \"env\" \"mem\" (memory 1))"
    " (data (i32.const 0) \"ab\")"
    " (data (i32.const 65535) \"cd\")"
    ")";

static const char *start_wat =
    "(module"
    " (memory (export \"mem\") 1)"
    " (func $start i32.const 3 i32.const 77 i32.store8)"
    " (start $start)"
    " (func (export \"trap\") unreachable)"
    ")";

START_TEST(test_instantiation)
{
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    lw_limits ml = {1, 0, false, false, false};
    lw_extern imp;
    imp.kind = LW_EXTERN_MEMORY;
    imp.of.memory = lw_memory_new(s, &ml, &err);
    lw_module *m = unit_load_wat(seg_wat);
    /* The second segment is out of bounds: instantiation traps, but the
     * first one has been written. */
    ck_assert_ptr_null(lw_instantiate(s, m, &imp, 1, &err));
    ck_assert_int_eq(err.kind, LW_ERR_TRAP);
    ck_assert_str_eq(err.message, "out of bounds memory access");
    ck_assert_int_eq(lw_memory_data(imp.of.memory)[0], 'a');
    ck_assert_int_eq(lw_memory_data(imp.of.memory)[1], 'b');
    lw_module *seg = m;

    m = unit_load_wat(start_wat);
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    ck_assert_msg(inst != NULL, "%s", err.message);
    lw_extern mem;
    ck_assert(lw_instance_export(inst, "mem", &mem));
    ck_assert_int_eq(lw_memory_data(mem.of.memory)[3], 77);
    ck_assert(!lw_instance_export(inst, "missing", &mem));
    ck_assert_int_ne(lw_func_call(s, get_func(inst, "trap"), NULL, 0, NULL, 0, &err), 0);
    ck_assert_str_eq(err.message, "unreachable");
    ck_assert_uint_eq(err.nframes, 1);
    ck_assert_uint_eq(err.frames[0].func_index, 1);

    lw_store_limits lim = {0};
    lim.max_instances = 1;
    lw_store *s2 = lw_store_new(&lim);
    ck_assert_ptr_nonnull(lw_instantiate(s2, m, NULL, 0, &err));
    ck_assert_ptr_null(lw_instantiate(s2, m, NULL, 0, &err));
    ck_assert_int_eq(err.kind, LW_ERR_LIMIT);
    lw_store_free(s2);
    /* Stores go first: their instances point into the modules. */
    lw_store_free(s);
    lw_module_free(m);
    lw_module_free(seg);
}
END_TEST

/* ---- only validated modules instantiate ---------------------------- */

/* One function of type [] -> [] whose body is `body` (hex, without the
 * size and the local declarations). */
static lw_module *decode_body(const char *body_hex, uint8_t body_len)
{
    bin b = {.n = 0};
    b_hex(&b, "00 61 73 6d 01 00 00 00  01 04 01 60 00 00  03 02 01 00");
    b_hex(&b, "0a");
    b_byte(&b, body_len + 3);
    b_hex(&b, "01");
    b_byte(&b, body_len + 1);
    b_hex(&b, "00");
    b_hex(&b, body_hex);
    lw_error err;
    lw_module *m = lw_module_decode(b.d, b.n, lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL, "decode: %s", err.message);
    return m;
}

static void refused(lw_store *s, const lw_module *m)
{
    lw_error err;
    ck_assert_ptr_null(lw_instantiate(s, m, NULL, 0, &err));
    ck_assert_int_eq(err.kind, LW_ERR_USAGE);
    ck_assert_str_eq(err.message, "module not validated");
    lw_linker *l = lw_linker_new(s);
    ck_assert_ptr_null(lw_linker_instantiate(l, m, &err));
    ck_assert_str_eq(err.message, "module not validated");
    lw_linker_free(l);
}

START_TEST(test_unvalidated_refused)
{
    lw_store *s = lw_store_new(NULL);
    lw_error err;
    /* `call 99` decodes; its code must never reach the compiler. */
    lw_module *bad = decode_body("10 63 0b", 3);
    refused(s, bad);
    ck_assert_int_ne(lw_module_validate(bad, &err), 0);
    ck_assert_str_eq(err.message, "unknown function 99");
    refused(s, bad);

    lw_module *good = decode_body("0b", 1);
    refused(s, good);
    ck_assert_int_eq(lw_module_validate(good, &err), 0);
    ck_assert_ptr_nonnull(lw_instantiate(s, good, NULL, 0, &err));
    lw_linker *l = lw_linker_new(s);
    ck_assert_ptr_nonnull(lw_linker_instantiate(l, good, &err));
    lw_linker_free(l);
    lw_store_free(s);
    lw_module_free(bad);
    lw_module_free(good);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("runtime");
    TCase *tc = tcase_create("runtime");
    tcase_add_test(tc, test_host_functions);
    tcase_add_test(tc, test_call_checks);
    tcase_add_test(tc, test_reentry);
    tcase_add_test(tc, test_linking);
    tcase_add_test(tc, test_objects);
    tcase_add_test(tc, test_instantiation);
    tcase_add_test(tc, test_unvalidated_refused);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
