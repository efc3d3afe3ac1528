/* The interpreter: arithmetic, every trap, memory bounds at every width,
 * memory.grow, call stack exhaustion, fuel, interrupts and backtraces. */
#include "libwasm.h"
#include "unit.h"

#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    lw_module *m;
    lw_store *s;
    lw_instance *inst;
} fixture;

static void setup(fixture *f, const char *wat, const lw_store_limits *limits)
{
    lw_error err;
    f->m = unit_load_wat(wat);
    f->s = lw_store_new(limits);
    ck_assert_ptr_nonnull(f->s);
    f->inst = lw_instantiate(f->s, f->m, NULL, 0, &err);
    ck_assert_msg(f->inst != NULL, "instantiate: %s", err.message);
}

static void teardown(fixture *f)
{
    lw_store_free(f->s);
    lw_module_free(f->m);
}

static lw_func *export_func(fixture *f, const char *name)
{
    lw_extern ext;
    ck_assert(lw_instance_export(f->inst, name, &ext));
    ck_assert_int_eq(ext.kind, LW_EXTERN_FUNC);
    return ext.of.func;
}

static lw_val i32(int32_t v)
{
    lw_val x;
    memset(&x, 0, sizeof x);
    x.type = LW_I32;
    x.of.i32 = v;
    return x;
}

/* Call an export with i32 arguments; returns the status. */
static int call_i32(fixture *f, const char *name, const int32_t *args, uint32_t nargs,
                    lw_val *res, uint32_t nres, lw_error *err)
{
    lw_val a[4];
    for (uint32_t i = 0; i < nargs; i++)
        a[i] = i32(args[i]);
    return lw_func_call(f->s, export_func(f, name), a, nargs, res, nres, err);
}

static void expect_trap(fixture *f, const char *name, const int32_t *args, uint32_t nargs,
                        lw_errkind kind, const char *msg)
{
    lw_error err;
    lw_val res[2];
    ck_assert_int_ne(call_i32(f, name, args, nargs, res, 2, &err), 0);
    ck_assert_int_eq(err.kind, kind);
    ck_assert_msg(strncmp(err.message, msg, strlen(msg)) == 0,
                  "%s: expected \"%s\", got \"%s\"", name, msg, err.message);
}

static int32_t expect_i32(fixture *f, const char *name, const int32_t *args, uint32_t nargs)
{
    lw_error err;
    lw_val res[1];
    ck_assert_msg(call_i32(f, name, args, nargs, res, 1, &err) == 0, "%s: %s", name, err.message);
    ck_assert_int_eq(res[0].type, LW_I32);
    return res[0].of.i32;
}

static const char *arith_wat =
    "(module"
    " (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)"
    " (func (export \"fac\") (param i64) (result i64)"
    "  local.get 0 i64.eqz if (result i64) i64.const 1 else"
    "  local.get 0 local.get 0 i64.const 1 i64.sub call 1 i64.mul end)"
    " (func (export \"loop\") (param i32) (result i32) (local i32)"
    "  block loop local.get 0 i32.eqz br_if 1"
    "   local.get 1 local.get 0 i32.add local.set 1"
    "   local.get 0 i32.const 1 i32.sub local.set 0 br 0 end end local.get 1)"
    " (func (export \"swap\") (param i32 i32) (result i32 i32) local.get 1 local.get 0)"
    " (func (export \"sel\") (param i32) (result i32) i32.const 10 i32.const 20 local.get 0 select)"
    " (func (export \"tee\") (param i32) (result i32)"
    "  local.get 0 local.get 0 i32.const 5 i32.add local.tee 0 i32.mul local.get 0 i32.add)"
    " (func (export \"br_table\") (param i32) (result i32)"
    "  block block block local.get 0 br_table 0 1 2 end i32.const 100 return end"
    "  i32.const 200 return end i32.const 300)"
    " (func (export \"f2i\") (param f32) (result i32) local.get 0 i32.trunc_sat_f32_s)"
    ")";

START_TEST(test_arith)
{
    fixture f;
    setup(&f, arith_wat, NULL);
    ck_assert_int_eq(expect_i32(&f, "add", (int32_t[]){40, 2}, 2), 42);
    ck_assert_int_eq(expect_i32(&f, "add", (int32_t[]){INT32_MAX, 1}, 2), INT32_MIN);
    ck_assert_int_eq(expect_i32(&f, "loop", (int32_t[]){100}, 1), 5050);
    ck_assert_int_eq(expect_i32(&f, "sel", (int32_t[]){1}, 1), 10);
    ck_assert_int_eq(expect_i32(&f, "sel", (int32_t[]){0}, 1), 20);
    /* 3 * 8 + 8: the stack keeps local 0's old value across the tee. */
    ck_assert_int_eq(expect_i32(&f, "tee", (int32_t[]){3}, 1), 32);
    ck_assert_int_eq(expect_i32(&f, "br_table", (int32_t[]){0}, 1), 100);
    ck_assert_int_eq(expect_i32(&f, "br_table", (int32_t[]){1}, 1), 200);
    ck_assert_int_eq(expect_i32(&f, "br_table", (int32_t[]){7}, 1), 300);

    lw_error err;
    lw_val res[2], arg;
    memset(&arg, 0, sizeof arg);
    arg.type = LW_I64;
    arg.of.i64 = 20;
    ck_assert_int_eq(lw_func_call(f.s, export_func(&f, "fac"), &arg, 1, res, 1, &err), 0);
    ck_assert_int_eq(res[0].of.i64, 2432902008176640000LL);
    ck_assert_int_eq(call_i32(&f, "swap", (int32_t[]){1, 2}, 2, res, 2, &err), 0);
    ck_assert_int_eq(res[0].of.i32, 2);
    ck_assert_int_eq(res[1].of.i32, 1);
    arg.type = LW_F32;
    arg.of.f32 = 0x7fc00000; /* NaN saturates to 0 */
    ck_assert_int_eq(lw_func_call(f.s, export_func(&f, "f2i"), &arg, 1, res, 1, &err), 0);
    ck_assert_int_eq(res[0].of.i32, 0);
    teardown(&f);
}
END_TEST

static const char *trap_wat =
    "(module"
    " (type $v (func))"
    " (type $i (func (result i32)))"
    " (table 3 funcref)"
    " (elem (i32.const 0) $ret7 $nop)"
    " (func $ret7 (result i32) i32.const 7)"
    " (func $nop)"
    " (func (export \"unreachable\") unreachable)"
    " (func (export \"div0\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)"
    " (func (export \"rem0\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.rem_u)"
    " (func (export \"div64\") (param i32 i32) (result i32)"
    "  local.get 0 i64.extend_i32_s local.get 1 i64.extend_i32_s i64.div_s i32.wrap_i64)"
    " (func (export \"trunc\") (param i32) (result i32)"
    "  local.get 0 f32.reinterpret_i32 i32.trunc_f32_s)"
    " (func (export \"call\") (param i32) (result i32) local.get 0 call_indirect (type $i))"
    " (func $rec (export \"rec\") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $rec)"
    " (func (export \"tget\") (param i32) (result i32) local.get 0 table.get 0 ref.is_null)"
    ")";

START_TEST(test_traps)
{
    fixture f;
    setup(&f, trap_wat, NULL);
    expect_trap(&f, "unreachable", NULL, 0, LW_ERR_TRAP, "unreachable");
    expect_trap(&f, "div0", (int32_t[]){1, 0}, 2, LW_ERR_TRAP, "integer divide by zero");
    expect_trap(&f, "rem0", (int32_t[]){1, 0}, 2, LW_ERR_TRAP, "integer divide by zero");
    expect_trap(&f, "div0", (int32_t[]){INT32_MIN, -1}, 2, LW_ERR_TRAP, "integer overflow");
    ck_assert_int_eq(expect_i32(&f, "div64", (int32_t[]){INT32_MIN, -1}, 2), INT32_MIN);
    expect_trap(&f, "trunc", (int32_t[]){0x7fc00000}, 1, LW_ERR_TRAP,
                "invalid conversion to integer");
    expect_trap(&f, "trunc", (int32_t[]){0x4f000000}, 1, LW_ERR_TRAP, "integer overflow");
    ck_assert_int_eq(expect_i32(&f, "call", (int32_t[]){0}, 1), 7);
    expect_trap(&f, "call", (int32_t[]){1}, 1, LW_ERR_TRAP, "indirect call type mismatch");
    expect_trap(&f, "call", (int32_t[]){2}, 1, LW_ERR_TRAP, "uninitialized element");
    expect_trap(&f, "call", (int32_t[]){3}, 1, LW_ERR_TRAP, "undefined element");
    ck_assert_int_eq(expect_i32(&f, "tget", (int32_t[]){2}, 1), 1);
    expect_trap(&f, "tget", (int32_t[]){3}, 1, LW_ERR_TRAP, "out of bounds table access");
    teardown(&f);
}
END_TEST

START_TEST(test_exhaustion)
{
    fixture f;
    setup(&f, trap_wat, NULL);
    /* Twice: the store must be usable after running out of stack. */
    for (int i = 0; i < 2; i++) {
        expect_trap(&f, "rec", (int32_t[]){0}, 1, LW_ERR_EXHAUSTION, "call stack exhausted");
        ck_assert_int_eq(expect_i32(&f, "div0", (int32_t[]){84, 2}, 2), 42);
    }
    teardown(&f);

    lw_store_limits lim = {0};
    lim.max_call_depth = 50;
    setup(&f, trap_wat, &lim);
    lw_error err;
    lw_val res[1];
    ck_assert_int_ne(call_i32(&f, "rec", (int32_t[]){0}, 1, res, 1, &err), 0);
    ck_assert_int_eq(err.kind, LW_ERR_EXHAUSTION);
    ck_assert_uint_gt(err.nframes, 10);
    ck_assert_str_eq(err.frames[0].name, "rec");
    teardown(&f);
}
END_TEST

/* A small recursive function: r(n) makes n + 1 calls deep. */
static const char *depth_wat =
    "(module"
    " (func $r (export \"r\") (param i32) (result i32)"
    "  local.get 0 i32.eqz if (result i32) i32.const 0 else"
    "  local.get 0 i32.const 1 i32.sub call $r i32.const 1 i32.add end))";

/* Whether r(n) returns n in a store with these limits. */
static bool depth_ok(const lw_store_limits *lim, int32_t n)
{
    fixture f;
    setup(&f, depth_wat, lim);
    lw_error err;
    lw_val res[1];
    int rc = call_i32(&f, "r", &n, 1, res, 1, &err);
    if (rc)
        ck_assert_str_eq(err.message, "call stack exhausted");
    else
        ck_assert_int_eq(res[0].of.i32, n);
    teardown(&f);
    return rc == 0;
}

/* Resident memory of this process, in KiB. */
static long rss_kib(void)
{
    long pages = 0, resident = 0;
    FILE *fp = fopen("/proc/self/statm", "r");
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(fscanf(fp, "%ld %ld", &pages, &resident), 2);
    fclose(fp);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* The depth follows the stack budget, not a fixed count: deeper than
 * node (18,000 frames of this function) and wasmtime by default, as deep
 * as a larger --max-stack allows. */
START_TEST(test_depth_follows_stack)
{
    ck_assert(depth_ok(NULL, 100000));
    lw_store_limits lim = {0};
    lim.max_stack_bytes = 64 * 1024;
    ck_assert(depth_ok(&lim, 500));
    ck_assert(!depth_ok(&lim, 10000));
    lim.max_stack_bytes = 1u << 30;
    ck_assert(depth_ok(&lim, 10001));
    ck_assert(depth_ok(&lim, 1000000));
}
END_TEST

/* max_call_depth counts calls at once, exactly. */
START_TEST(test_depth_limit)
{
    lw_store_limits lim = {0};
    lim.max_call_depth = 100;
    ck_assert(depth_ok(&lim, 99));
    ck_assert(!depth_ok(&lim, 100));
    lim.max_call_depth = 1;
    ck_assert(depth_ok(&lim, 0));
    ck_assert(!depth_ok(&lim, 1));
}
END_TEST

/* A budget of a terabyte is address space: creating the store touches
 * almost nothing, and a shallow call touches only what it uses. */
START_TEST(test_depth_huge_budget_is_free)
{
    long before = rss_kib();
    lw_store_limits lim = {0};
    lim.max_stack_bytes = 1ull << 40;
    lw_store *s[4];
    for (int i = 0; i < 4; i++) {
        s[i] = lw_store_new(&lim);
        ck_assert_ptr_nonnull(s[i]);
    }
    ck_assert_msg(rss_kib() - before < 16 * 1024, "4 stores of 1 TiB: %ld KiB more",
                  rss_kib() - before);
    for (int i = 0; i < 4; i++)
        lw_store_free(s[i]);
    ck_assert(depth_ok(&lim, 1000));
    /* Beyond what the address space can hold: refused, not a crash. */
    lim.max_stack_bytes = UINT64_MAX;
    ck_assert_ptr_null(lw_store_new(&lim));
}
END_TEST

static const char *mem_wat =
    "(module"
    " (memory (export \"mem\") 1 3)"
    " (func (export \"l8\") (param i32) (result i32) local.get 0 i32.load8_u)"
    " (func (export \"l16\") (param i32) (result i32) local.get 0 i32.load16_s)"
    " (func (export \"l32\") (param i32) (result i32) local.get 0 i32.load)"
    " (func (export \"l64\") (param i32) (result i32) local.get 0 i64.load i32.wrap_i64)"
    " (func (export \"lmax\") (param i32) (result i32) local.get 0 i32.load8_u offset=4294967295)"
    " (func (export \"s64\") (param i32 i32) local.get 0 local.get 1 i64.extend_i32_u i64.store)"
    " (func (export \"s8\") (param i32 i32) local.get 0 local.get 1 i32.store8 offset=16)"
    " (func (export \"v128\") (param i32) (result i32) local.get 0 v128.load i32x4.extract_lane 3)"
    " (func (export \"grow\") (param i32) (result i32) local.get 0 memory.grow)"
    " (func (export \"size\") (result i32) memory.size)"
    " (func (export \"fill\") (param i32 i32) local.get 0 i32.const 255 local.get 1 memory.fill)"
    ")";

static void memory_bounds(void)
{
    fixture f;
    setup(&f, mem_wat, NULL);
    static const struct { const char *name; int32_t width; } loads[] = {
        {"l8", 1}, {"l16", 2}, {"l32", 4}, {"l64", 8}, {"v128", 16},
    };
    for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
        int32_t last = 65536 - loads[i].width;
        expect_i32(&f, loads[i].name, (int32_t[]){last}, 1);
        expect_trap(&f, loads[i].name, (int32_t[]){last + 1}, 1, LW_ERR_TRAP,
                    "out of bounds memory access");
        expect_trap(&f, loads[i].name, (int32_t[]){-1}, 1, LW_ERR_TRAP,
                    "out of bounds memory access");
        expect_trap(&f, loads[i].name, (int32_t[]){INT32_MIN}, 1, LW_ERR_TRAP,
                    "out of bounds memory access");
    }
    /* Address + offset near 8 GiB: any u32 pair must trap, never crash. */
    expect_trap(&f, "lmax", (int32_t[]){-1}, 1, LW_ERR_TRAP, "out of bounds memory access");
    expect_trap(&f, "lmax", (int32_t[]){1}, 1, LW_ERR_TRAP, "out of bounds memory access");
    expect_trap(&f, "s8", (int32_t[]){65520, 1}, 2, LW_ERR_TRAP, "out of bounds memory access");
    expect_trap(&f, "s64", (int32_t[]){65529, 1}, 2, LW_ERR_TRAP, "out of bounds memory access");

    lw_error err;
    lw_val res[1];
    ck_assert_int_eq(call_i32(&f, "s64", (int32_t[]){65528, 0x01020304}, 2, res, 0, &err), 0);
    ck_assert_int_eq(expect_i32(&f, "l32", (int32_t[]){65528}, 1), 0x01020304);
    ck_assert_int_eq(expect_i32(&f, "l16", (int32_t[]){65529}, 1), 0x0203);
    teardown(&f);
}

START_TEST(test_memory_bounds)
{
    memory_bounds();
}
END_TEST

/* With too little address space for guard pages, memories fall back to
 * explicit bounds checks; the same checks must hold.  In a child, so the
 * limit stays there. */
START_TEST(test_memory_bounds_checked)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
#ifndef __SANITIZE_ADDRESS__
        /* (AddressSanitizer needs more; its builds check bounds anyway.) */
        struct rlimit rl = {4ull << 30, 4ull << 30};
        setrlimit(RLIMIT_AS, &rl);
#endif
        memory_bounds();
        _exit(0);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* Out-of-bounds accesses of every kind: each function's memory
 * instruction is `at` bytes into its body. */
static const struct {
    const char *params, *body;
    uint32_t at;
} oob_cases[] = {
    {"i32", "local.get 0 i32.load drop", 2},
    {"i32", "local.get 0 i64.load offset=8 drop", 2},
    {"i32", "local.get 0 f32.load drop", 2},
    {"i32", "local.get 0 f64.load drop", 2},
    {"i32", "local.get 0 i32.load8_s offset=1 drop", 2},
    {"i32", "local.get 0 i32.load8_u offset=1 drop", 2},
    {"i32", "local.get 0 i32.load16_s drop", 2},
    {"i32", "local.get 0 i32.load16_u drop", 2},
    {"i32", "local.get 0 i64.load8_s offset=1 drop", 2},
    {"i32", "local.get 0 i64.load16_s drop", 2},
    {"i32", "local.get 0 i64.load32_s drop", 2},
    {"i32", "local.get 0 i64.load32_u drop", 2},
    {"i32 i32", "local.get 0 local.get 1 i32.store", 4},
    {"i32 i32", "local.get 0 local.get 1 i32.store8 offset=1", 4},
    {"i32 i32", "local.get 0 local.get 1 i32.store16", 4},
    {"i32 i64", "local.get 0 local.get 1 i64.store", 4},
    {"i32 i64", "local.get 0 local.get 1 i64.store32", 4},
    {"i32 f64", "local.get 0 local.get 1 f64.store", 4},
    /* the address folded into the load: a + b, a + constant */
    {"i32 i32", "local.get 0 local.get 1 i32.add i32.load drop", 5},
    {"i32", "local.get 0 i32.const 8 i32.add i32.load offset=4 drop", 5},
    /* ... and into the store: a + b, a + constant, a + (b << k), with the
     * value a local or a constant */
    {"i32 i32", "local.get 0 local.get 1 i32.add local.get 1 i32.store", 7},
    {"i32 i32", "local.get 0 local.get 1 i32.add i32.const 7 i32.store8 offset=1", 7},
    {"i32 i64", "local.get 0 i32.const 8 i32.add local.get 1 i64.store offset=2", 7},
    {"i32", "local.get 0 i32.const 8 i32.add i32.const 1 i32.store16", 7},
    {"i32 i32", "local.get 0 local.get 1 i32.const 2 i32.shl i32.add local.get 1 i32.store", 10},
    {"i32 i32", "local.get 0 local.get 1 i32.const 3 i32.shl i32.add f64.const 1 f64.store", 17},
    /* a constant address (the param unused: out of bounds either way) */
    {"i32", "i32.const 65535 i32.load drop", 4},
    {"i32", "i32.const -1 i64.load8_u offset=8 drop", 2},
    {"i32", "i32.const 65533 f32.load offset=2 drop", 4},
    {"i32", "i32.const 65535 local.get 0 i32.store16", 6},
    {"i32", "i32.const 65534 i64.const 1 i64.store", 6},
    {"i32", "i32.const 127 f64.const 1 f64.store offset=65500", 12},
    {"i32", "local.get 0 v128.load drop", 2},
    {"i32", "local.get 0 v128.load8x8_s drop", 2},
    {"i32", "local.get 0 v128.load32_splat drop", 2},
    {"i32", "local.get 0 v128.load64_zero drop", 2},
    {"i32 v128", "local.get 0 local.get 1 v128.load16_lane 3 drop", 4},
    {"i32 v128", "local.get 0 local.get 1 v128.store", 4},
    {"i32 v128", "local.get 0 local.get 1 v128.store32_lane 1", 4},
    /* a br_table taking its index from a load and the step of a counter
     * before it (the step's slot is written after the load) */
    {"i32 i32", "block local.get 1 i32.const 1 i32.add local.set 1 local.get 0 "
                "i32.load8_u offset=1 br_table 0 0 end", 11},
    {"i32 i32", "block local.get 1 i32.const 1 i32.add local.set 1 local.get 0 "
                "i32.const 8 i32.add i32.load16_u offset=2 br_table 0 end", 14},
    /* ... and a copy before the step (the load reads the copy's source,
     * the step's destination, before either is written) */
    {"i32 i32", "(local i32) block local.get 0 local.tee 2 i32.const 1 i32.add local.set 0 "
                "local.get 2 i32.load8_u offset=1 br_table 0 0 end", 13},
    {"i32 i32", "(local i32) block local.get 1 local.tee 2 i32.const 1 i32.add local.set 1 "
                "local.get 0 i32.const 8 i32.add i32.load16_u offset=2 br_table 0 end", 16},
    /* ... and a shift before the step that the load takes its address from */
    {"i32 i32", "(local i32) block local.get 0 i32.const 1 i32.shl local.set 2 local.get 1 "
                "i32.const 1 i32.add local.set 1 local.get 2 i32.load8_u offset=1 br_table 0 0 end", 18},
    /* ... and a copy of such a br_table, a jump back to the loop it
     * starts: its load faults, the original's (on the first turn) did not */
    {"i32 i32", "(local i32) loop block local.get 2 i32.load8_u offset=1 br_table 0 0 end "
                "local.get 0 local.get 1 i32.or local.set 2 br 0 end", 6},
    {"i32 i32", "(local i32 i32) loop block local.get 3 i32.const 1 i32.add local.set 3 "
                "local.get 2 i32.load8_u offset=1 br_table 0 0 end local.get 0 local.get 1 "
                "i32.or local.set 2 br 0 end", 13},
    /* float arithmetic taking both operands from the loads before it:
     * a fault in the first load, in the second, in both (the first) */
    {"i32 i32", "local.get 0 f64.load local.get 1 f64.load f64.mul drop", 2},
    {"i32 i32", "local.get 1 f64.load local.get 0 f64.load f64.mul drop", 7},
    {"i32 i32", "local.get 1 i32.const 8 i32.add f32.load offset=4 "
                "local.get 0 i32.const 8 i32.add f32.load offset=2 f32.sub drop", 13},
    {"i32", "local.get 0 f64.load local.get 0 f64.load f64.add drop", 2},
    /* ... and two such operations in a row (one instruction, four
     * loads): a fault in each load */
    {"i32 i32", "local.get 0 f64.load local.get 1 f64.load f64.mul "
                "local.get 1 f64.load local.get 1 f64.load f64.mul drop drop", 2},
    {"i32 i32", "local.get 1 f64.load local.get 0 f64.load f64.mul "
                "local.get 1 f64.load local.get 1 f64.load f64.mul drop drop", 7},
    {"i32 i32", "local.get 1 f64.load local.get 1 f64.load f64.mul "
                "local.get 0 f64.load local.get 1 f64.load f64.mul drop drop", 13},
    {"i32 i32", "local.get 1 f32.load local.get 1 f32.load f32.add "
                "local.get 1 f32.load local.get 0 f32.load offset=4 f32.add drop drop", 18},
    /* ... and the sum's step after them (x + (y + acc), one instruction):
     * a fault in the last load */
    {"i32 i32", "(local f64) local.get 1 f64.load local.get 1 f64.load f64.mul local.get 1 f64.load "
                "local.get 0 f64.load f64.mul local.get 2 f64.add f64.add drop", 18},
    /* an i32 load at base + (i << s), i just loaded: a fault in the
     * index's load, in the element's */
    {"i32 i32", "local.get 1 local.get 0 i32.load i32.const 2 i32.shl i32.add i32.load drop", 4},
    {"i32 i32", "local.get 0 local.get 1 i32.load i32.const 2 i32.shl i32.add "
                "i32.load offset=2 drop", 11},
    /* a branch on an eq or ne of the value a load just loaded */
    {"i32 i32", "block local.get 0 i32.load8_u offset=1 local.get 1 i32.eq br_if 0 end", 4},
    {"i32", "block local.get 0 i32.const 4 i32.add i32.load offset=4 i32.const 7 i32.ne "
            "br_if 0 end", 7},
    /* ... and on an ordered compare, the loaded value on the right */
    {"i32 i32", "block local.get 1 local.get 0 i32.load offset=2 i32.lt_s br_if 0 end", 6},
    /* ... and on an eq or ne of the values two loads just loaded: a fault
     * in the first, in the second, in both (the first) */
    {"i32 i32", "block local.get 0 i32.load8_u offset=1 local.get 1 i32.load8_u i32.eq "
                "br_if 0 end", 4},
    {"i32 i32", "block local.get 1 i32.load local.get 0 i32.const 4 i32.add i32.load offset=2 "
                "i32.ne br_if 0 end", 12},
    {"i32", "block local.get 0 i32.load8_u offset=1 local.get 0 i32.load8_u offset=1 i32.ne "
            "br_if 0 end", 4},
    /* float arithmetic on a load stored back to the same address: the
     * load faults (x[i] += y) */
    {"i32 f64", "local.get 0 local.get 0 f64.load offset=8 local.get 1 f64.add "
                "f64.store offset=8", 4},
    {"i32 f32", "local.get 0 local.get 1 local.get 0 f32.load f32.mul f32.store", 6},
    /* a store, then a pointer stepped (*p++ = x): the store faults */
    {"i32 i32", "local.get 0 local.get 1 i32.store8 offset=1 local.get 0 i32.const 1 "
                "i32.add local.set 0", 4},
    {"i32 i64", "local.get 0 local.get 1 i64.store local.get 1 drop local.get 0 "
                "i32.const 8 i32.add local.set 0", 4},
    /* a load from the sum just kept in a local (the sum joins the load):
     * a + b, a pointer stepped (the local is the base), a - constant,
     * a + (b << k), a + (b << k) + constant */
    {"i32 i32", "(local i32) local.get 0 local.get 1 i32.add local.tee 2 i32.load offset=1 drop", 7},
    {"i32", "local.get 0 i32.const 4 i32.add local.tee 0 i32.load drop", 7},
    {"i32", "local.get 0 i32.const 4 i32.sub local.tee 0 i32.load8_u offset=6 drop", 7},
    {"i32 i32", "(local i32) local.get 0 local.get 1 i32.const 2 i32.shl i32.add local.tee 2 "
                "i64.load drop", 10},
    {"i32 i32", "local.get 0 local.get 1 i32.const 3 i32.shl i32.add i32.const 8 i32.add "
                "local.set 1 local.get 1 f64.load offset=4 drop", 15},
    {"i32", "local.get 0 i32.const 3 i32.mul i32.const 1 i32.add local.tee 0 "
            "i32.load16_u offset=2 drop", 10},
    /* ... and keeps the sum for a store through it after the local moves
     * on (stack[sp - 2] += stack[sp - 1]; sp--) */
    {"i32 i32", "(local i32) local.get 0 local.get 1 i32.const 2 i32.shl i32.add i32.const 8 "
                "i32.add local.tee 2 local.get 2 i32.load local.get 0 i32.const 16 i32.add "
                "local.get 1 i32.const 1 i32.sub local.tee 2 i32.const 2 i32.shl i32.add "
                "i32.load i32.add i32.store", 15},
    /* a load at base + (index << k), both sums of a constant just
     * computed, the index kept (stack[--sp]), either sum first */
    {"i32 i32", "(local i32) local.get 0 i32.const 16 i32.add local.get 1 i32.const 1 i32.sub "
                "local.tee 2 i32.const 2 i32.shl i32.add i32.load drop", 16},
    {"i32 i32", "local.get 1 i32.const 1 i32.add local.tee 1 i32.const 3 i32.shl local.get 0 "
                "i32.const -8 i32.add i32.add i64.load offset=4 drop", 16},
    /* a branch on a record's field, the record's offset a product kept
     * in a local (BR_L32_I32_NE_KM) */
    {"i32 i32", "(local i32) block local.get 0 i32.const 12 i32.mul local.tee 2 i32.const 16 "
                "i32.add i32.load offset=4 local.get 1 i32.ne br_if 0 end", 12},
    /* a branch on the value a kept load loaded (LD32_KMI_BR_UNLESS) */
    {"i32", "(local i32) local.get 0 i32.const 12 i32.mul i32.const 16 i32.add local.tee 1 "
            "i32.load if end", 10},
    /* loops of two instructions run as one handler (WASM_LOOP2S): a
     * fault in either load of memcmp's, in a sieve's store, at a later
     * turn for 65535 */
    {"i32 i32", "(local i32 i32 i32) loop local.get 0 i32.load8_u local.tee 2 local.get 1 "
                "i32.load8_u local.tee 3 i32.eq if local.get 1 i32.const 1 i32.add local.set 1 "
                "local.get 0 i32.const 1 i32.add local.set 0 local.get 4 i32.const 1 i32.sub "
                "local.tee 4 br_if 1 end end", 4},
    {"i32 i32", "(local i32 i32 i32) loop local.get 1 i32.load8_u local.tee 2 local.get 0 "
                "i32.load8_u local.tee 3 i32.eq if local.get 1 i32.const 1 i32.add local.set 1 "
                "local.get 0 i32.const 1 i32.add local.set 0 local.get 4 i32.const 1 i32.sub "
                "local.tee 4 br_if 1 end end", 11},
    {"i32", "(local i32 i32) i32.const 1 local.set 1 loop local.get 0 local.get 2 i32.add "
            "i32.const 0 i32.store8 local.get 2 local.get 1 i32.add local.tee 2 i32.const 10 "
            "i32.lt_u br_if 0 end", 13},
    /* a load and a store of the same bytes: the load faults first */
    {"i32", "local.get 0 local.get 0 i32.load i32.const 1 i32.add i32.store", 4},
    /* two loads of the same bytes: the second runs, the first is skipped */
    {"i32 i32", "local.get 1 if local.get 0 i32.load drop end local.get 0 i32.load drop", 13},
};

#define NOOB (sizeof oob_cases / sizeof oob_cases[0])

/* Each case traps "out of bounds memory access" at address addr with its
 * instruction's offset as the innermost frame, and its caller's call
 * below it. */
static void oob_offsets_at(uint32_t addr)
{
    char wat[16384] = "(module (memory 1)";
    size_t n = strlen(wat);
    for (size_t i = 0; i < NOOB; i++)
        n += (size_t)snprintf(wat + n, sizeof wat - n, " (func (export \"f%zu\") (param %s) %s)",
                              i, oob_cases[i].params, oob_cases[i].body);
    n += (size_t)snprintf(wat + n, sizeof wat - n,
                          " (func (export \"via\") (param i32) local.get 0 call 0)"
                          /* the argument stepped right before the call */
                          " (func (export \"via2\") (param i32) local.get 0 i32.const -1 "
                          "i32.add call 0)"
                          /* two arguments moved right before the call (MOV2_CALL) */
                          " (func (export \"via3\") (param i32) (local i32) local.get 0 "
                          "local.get 1 call 12))");
    ck_assert_uint_lt(n, sizeof wat);
    lw_module *text = unit_load_wat(wat);
    lw_error err;
    uint8_t *bytes;
    size_t len;
    ck_assert_int_eq(lw_module_encode(text, &bytes, &len, &err), 0);
    lw_module_free(text);
    lw_module *m = lw_module_load(bytes, len, lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL, "load: %s", err.message);
    free(bytes);
    lw_store *s = lw_store_new(NULL);
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    ck_assert_ptr_nonnull(inst);
    /* The callers: name, the case they call, their call's offset. */
    static const struct {
        const char *name;
        size_t callee;
        uint32_t at;
    } vias[] = {{"via", 0, 2}, {"via2", 0, 5}, {"via3", 12, 4}};
    for (size_t i = 0; i < NOOB + sizeof vias / sizeof vias[0]; i++) {
        char name[16];
        bool via = i >= NOOB;
        size_t ci = via ? vias[i - NOOB].callee : i;
        if (via)
            snprintf(name, sizeof name, "%s", vias[i - NOOB].name);
        else
            snprintf(name, sizeof name, "f%zu", i);
        lw_extern e;
        ck_assert(lw_instance_export(inst, name, &e));
        const lw_functype *t = lw_func_type(e.of.func);
        lw_val args[2];
        memset(args, 0, sizeof args);
        for (uint32_t k = 0; k < t->nparams; k++)
            args[k].type = t->params[k];
        args[0].of.i32 = (int32_t)addr;
        ck_assert_int_ne(lw_func_call(s, e.of.func, args, t->nparams, NULL, 0, &err), 0);
        ck_assert_str_eq(err.message, "out of bounds memory access");
        uint32_t want = m->codes[ci].body.offset + oob_cases[ci].at;
        ck_assert_uint_eq(err.nframes, via ? 2 : 1);
        ck_assert_msg(err.frames[0].code_offset == want, "%s (%s): frame at 0x%x, want 0x%x",
                      name, oob_cases[ci].body, err.frames[0].code_offset, want);
        if (via)
            ck_assert_uint_eq(err.frames[1].code_offset,
                              m->codes[i].body.offset + vias[i - NOOB].at);
    }
    lw_store_free(s);
    lw_module_free(m);
}

/* Accesses that cross the end of the memory, and far beyond it. */
static void oob_offsets(void)
{
    oob_offsets_at(65535);
    oob_offsets_at(0xfffffff0);
}

/* With guard pages (a fault, caught) and with explicit checks. */
START_TEST(test_memory_oob_offsets)
{
    oob_offsets();
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
#ifndef __SANITIZE_ADDRESS__
        struct rlimit rl = {4ull << 30, 4ull << 30};
        setrlimit(RLIMIT_AS, &rl);
#endif
        oob_offsets();
        _exit(0);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(test_memory_grow)
{
    fixture f;
    setup(&f, mem_wat, NULL);
    lw_extern mem;
    ck_assert(lw_instance_export(f.inst, "mem", &mem));
    ck_assert_int_eq(expect_i32(&f, "size", NULL, 0), 1);
    expect_trap(&f, "l8", (int32_t[]){65536}, 1, LW_ERR_TRAP, "out of bounds memory access");
    ck_assert_int_eq(expect_i32(&f, "grow", (int32_t[]){1}, 1), 1);
    ck_assert_int_eq(expect_i32(&f, "size", NULL, 0), 2);
    ck_assert_int_eq(expect_i32(&f, "l8", (int32_t[]){65536}, 1), 0);
    lw_error err;
    lw_val res[1];
    ck_assert_int_eq(call_i32(&f, "fill", (int32_t[]){65536, 65536}, 2, res, 0, &err), 0);
    ck_assert_int_eq(expect_i32(&f, "l8", (int32_t[]){131071}, 1), 255);
    expect_trap(&f, "fill", (int32_t[]){65536, 65537}, 2, LW_ERR_TRAP,
                "out of bounds memory access");
    /* Past the maximum of 3 pages: -1, and nothing changes. */
    ck_assert_int_eq(expect_i32(&f, "grow", (int32_t[]){2}, 1), -1);
    ck_assert_int_eq(expect_i32(&f, "grow", (int32_t[]){1}, 1), 2);
    ck_assert_uint_eq(lw_memory_pages(mem.of.memory), 3);
    ck_assert_uint_eq(lw_memory_size(mem.of.memory), 3 * 65536);
    ck_assert_int_eq(lw_memory_data(mem.of.memory)[131071], 255);
    teardown(&f);

    /* The store's page limit caps growth below the type's maximum. */
    lw_store_limits lim = {0};
    lim.max_memory_pages = 2;
    setup(&f, mem_wat, &lim);
    ck_assert_int_eq(expect_i32(&f, "grow", (int32_t[]){2}, 1), -1);
    ck_assert_int_eq(expect_i32(&f, "grow", (int32_t[]){1}, 1), 1);
    teardown(&f);
}
END_TEST

/* memory64 and multi-memory: memory 0 is 64-bit (explicit checks on i64
 * addresses plus u64 offsets), memory 1 a second 32-bit one (guard pages
 * where it has a reservation), memory 2 a second 64-bit one. */
static const char *multi_wat =
    "(module"
    " (memory $a (export \"a\") i64 1 2)"
    " (memory $b 1 3)"
    " (memory $c i64 1)"
    " (func (export \"l8\") (param i64) (result i32) local.get 0 i32.load8_u)"
    " (func (export \"l64\") (param i64) (result i64) local.get 0 i64.load)"
    " (func (export \"lbig\") (param i64) (result i32)"
    "   local.get 0 i32.load8_u offset=0xffff_ffff_ffff_fff0)"
    " (func (export \"v128\") (param i64) (result i32)"
    "   local.get 0 v128.load i32x4.extract_lane 3)"
    " (func (export \"s32\") (param i64 i32) local.get 0 local.get 1 i32.store)"
    " (func (export \"grow\") (param i64) (result i64) local.get 0 memory.grow)"
    " (func (export \"size\") (result i64) memory.size)"
    " (func (export \"b8\") (param i32) (result i32) local.get 0 i32.load8_u $b)"
    " (func (export \"b64\") (param i32) (result i64) local.get 0 i64.load $b offset=8)"
    " (func (export \"bs16\") (param i32 i32) local.get 0 local.get 1 i32.store16 $b)"
    " (func (export \"bv\") (param i32) (result i32)"
    "   local.get 0 v128.load $b i32x4.extract_lane 0)"
    " (func (export \"bgrow\") (param i32) (result i32) local.get 0 memory.grow $b)"
    " (func (export \"bsize\") (result i32) memory.size $b)"
    " (func (export \"c8\") (param i64) (result i32) local.get 0 i32.load8_u $c)"
    " (func (export \"copy_ab\") (param i64 i32 i32) local.get 0 local.get 1 local.get 2"
    "   memory.copy $a $b)"
    " (func (export \"copy_ac\") (param i64 i64 i64) local.get 0 local.get 1 local.get 2"
    "   memory.copy $a $c)"
    " (func (export \"fill_c\") (param i64 i32 i64) local.get 0 local.get 1 local.get 2"
    "   memory.fill $c)"
    " (data (memory $b) (i32.const 0) \"\\01\\02\\03\\04\\05\\06\\07\\08\\09\")"
    ")";

static lw_val i64v(int64_t v)
{
    lw_val x;
    memset(&x, 0, sizeof x);
    x.type = LW_I64;
    x.of.i64 = v;
    return x;
}

/* Call an export with the given arguments and at most one result. */
static int call_vals(fixture *f, const char *name, const lw_val *args, uint32_t nargs,
                     lw_val *res, lw_error *err)
{
    lw_func *fn = export_func(f, name);
    return lw_func_call(f->s, fn, args, nargs, res, lw_func_type(fn)->nresults, err);
}

static int64_t expect_val(fixture *f, const char *name, const lw_val *args, uint32_t nargs)
{
    lw_error err;
    lw_val res[1];
    memset(res, 0, sizeof res);
    ck_assert_msg(call_vals(f, name, args, nargs, res, &err) == 0, "%s: %s", name,
                  err.message);
    return res[0].type == LW_I32 ? res[0].of.i32 : res[0].of.i64;
}

static void expect_oob(fixture *f, const char *name, const lw_val *args, uint32_t nargs)
{
    lw_error err;
    lw_val res[1];
    ck_assert_msg(call_vals(f, name, args, nargs, res, &err) != 0, "%s: no trap", name);
    ck_assert_str_eq(err.message, "out of bounds memory access");
}

static void multi_memory(void)
{
    fixture f;
    lw_error err;
    f.m = lw_module_parse_text(multi_wat, strlen(multi_wat), lw_features_all(), &err);
    ck_assert_msg(f.m != NULL, "%s", err.message);
    ck_assert_msg(lw_module_validate(f.m, &err) == 0, "%s", err.message);
    f.s = lw_store_new(NULL);
    f.inst = lw_instantiate(f.s, f.m, NULL, 0, &err);
    ck_assert_msg(f.inst != NULL, "%s", err.message);

    /* memory 0, 64-bit: every address past the end traps, overflow too. */
    ck_assert_int_eq(expect_val(&f, "l8", (lw_val[]){i64v(65535)}, 1), 0);
    expect_oob(&f, "l8", (lw_val[]){i64v(65536)}, 1);
    expect_oob(&f, "l8", (lw_val[]){i64v(INT64_C(1) << 32)}, 1);
    expect_oob(&f, "l8", (lw_val[]){i64v(-1)}, 1);
    expect_oob(&f, "l64", (lw_val[]){i64v(65529)}, 1);
    expect_oob(&f, "v128", (lw_val[]){i64v(65521)}, 1);
    expect_oob(&f, "v128", (lw_val[]){i64v(-16)}, 1);
    expect_oob(&f, "lbig", (lw_val[]){i64v(16)}, 1);
    expect_oob(&f, "lbig", (lw_val[]){i64v(0x20)}, 1);
    ck_assert_int_eq(call_vals(&f, "s32", (lw_val[]){i64v(65532), i32(0x11223344)}, 2, NULL,
                               &err), 0);
    ck_assert_int_eq(expect_val(&f, "v128", (lw_val[]){i64v(65520)}, 1), 0x11223344);
    ck_assert_int_eq(expect_val(&f, "size", NULL, 0), 1);
    ck_assert_int_eq(expect_val(&f, "grow", (lw_val[]){i64v(INT64_C(1) << 40)}, 1), -1);
    ck_assert_int_eq(expect_val(&f, "grow", (lw_val[]){i64v(1)}, 1), 1);
    ck_assert_int_eq(expect_val(&f, "l8", (lw_val[]){i64v(131071)}, 1), 0);
    ck_assert_int_eq(expect_val(&f, "grow", (lw_val[]){i64v(1)}, 1), -1);

    /* memory 1, 32-bit, read through the instruction's memory. */
    ck_assert_int_eq(expect_val(&f, "b8", (lw_val[]){i32(8)}, 1), 9);
    ck_assert_int_eq(expect_val(&f, "b64", (lw_val[]){i32(0)}, 1), 9);
    expect_oob(&f, "b8", (lw_val[]){i32(65536)}, 1);
    expect_oob(&f, "b8", (lw_val[]){i32(-1)}, 1);
    expect_oob(&f, "b64", (lw_val[]){i32(65521)}, 1);
    expect_oob(&f, "bv", (lw_val[]){i32(65521)}, 1);
    expect_oob(&f, "bs16", (lw_val[]){i32(65535), i32(1)}, 2);
    ck_assert_int_eq(expect_val(&f, "bv", (lw_val[]){i32(0)}, 1), 0x04030201);
    ck_assert_int_eq(expect_val(&f, "bgrow", (lw_val[]){i32(1)}, 1), 1);
    ck_assert_int_eq(expect_val(&f, "bsize", NULL, 0), 2);
    ck_assert_int_eq(call_vals(&f, "bs16", (lw_val[]){i32(131070), i32(0x0a0b)}, 2, NULL,
                               &err), 0);
    ck_assert_int_eq(expect_val(&f, "b8", (lw_val[]){i32(131071)}, 1), 0x0a);
    ck_assert_int_eq(expect_val(&f, "size", NULL, 0), 2);

    /* Copies between memories, fills of another memory. */
    ck_assert_int_eq(call_vals(&f, "copy_ab", (lw_val[]){i64v(100), i32(1), i32(4)}, 3, NULL,
                               &err), 0);
    ck_assert_int_eq(expect_val(&f, "l8", (lw_val[]){i64v(100)}, 1), 2);
    ck_assert_int_eq(expect_val(&f, "l8", (lw_val[]){i64v(103)}, 1), 5);
    expect_oob(&f, "copy_ab", (lw_val[]){i64v(0), i32(131070), i32(3)}, 3);
    expect_oob(&f, "copy_ab", (lw_val[]){i64v(-1), i32(0), i32(1)}, 3);
    ck_assert_int_eq(call_vals(&f, "fill_c", (lw_val[]){i64v(10), i32(7), i64v(2)}, 3, NULL,
                               &err), 0);
    ck_assert_int_eq(expect_val(&f, "c8", (lw_val[]){i64v(11)}, 1), 7);
    ck_assert_int_eq(expect_val(&f, "c8", (lw_val[]){i64v(12)}, 1), 0);
    expect_oob(&f, "fill_c", (lw_val[]){i64v(1), i32(7), i64v(-1)}, 3);
    ck_assert_int_eq(call_vals(&f, "copy_ac", (lw_val[]){i64v(0), i64v(10), i64v(3)}, 3, NULL,
                               &err), 0);
    ck_assert_int_eq(expect_val(&f, "l8", (lw_val[]){i64v(1)}, 1), 7);
    expect_oob(&f, "copy_ac", (lw_val[]){i64v(0), i64v(-2), i64v(3)}, 3);

    lw_extern ext;
    ck_assert(lw_instance_export(f.inst, "a", &ext));
    lw_limits t = lw_memory_type(ext.of.memory);
    ck_assert(t.is64);
    ck_assert_uint_eq(t.min, 2);
    ck_assert_uint_eq(lw_memory_pages(ext.of.memory), 2);
    teardown(&f);
}

START_TEST(test_multi_memory64)
{
    multi_memory();
}
END_TEST

/* The same with explicit checks on every memory (no room for guard pages). */
START_TEST(test_multi_memory64_checked)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
#ifndef __SANITIZE_ADDRESS__
        struct rlimit rl = {4ull << 30, 4ull << 30};
        setrlimit(RLIMIT_AS, &rl);
#endif
        multi_memory();
        _exit(0);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* table64: i64 indices for call_indirect and the table instructions. */
START_TEST(test_table64)
{
    static const char *wat =
        "(module"
        " (type $t (func (result i32)))"
        " (table $t64 i64 2 10 funcref)"
        " (elem (table $t64) (i64.const 1) func $seven)"
        " (func $seven (type $t) i32.const 7)"
        " (func (export \"call\") (param i64) (result i32) local.get 0 call_indirect $t64 (type $t))"
        " (func (export \"grow\") (param i64) (result i64) ref.null func local.get 0 table.grow $t64)"
        " (func (export \"size\") (result i64) table.size $t64)"
        " (func (export \"isnull\") (param i64) (result i32) local.get 0 table.get $t64 ref.is_null)"
        " (func (export \"fill\") (param i64 i64) local.get 0 ref.func $seven local.get 1"
        "   table.fill $t64)"
        ")";
    fixture f;
    lw_error err;
    f.m = lw_module_parse_text(wat, strlen(wat), lw_features_all(), &err);
    ck_assert_msg(f.m != NULL, "%s", err.message);
    ck_assert_msg(lw_module_validate(f.m, &err) == 0, "%s", err.message);
    f.s = lw_store_new(NULL);
    f.inst = lw_instantiate(f.s, f.m, NULL, 0, &err);
    ck_assert_msg(f.inst != NULL, "%s", err.message);
    ck_assert_int_eq(expect_val(&f, "call", (lw_val[]){i64v(1)}, 1), 7);
    lw_val res[1];
    ck_assert_int_ne(call_vals(&f, "call", (lw_val[]){i64v(INT64_C(1) << 32 | 1)}, 1, res,
                               &err), 0);
    ck_assert_str_eq(err.message, "undefined element");
    ck_assert_int_ne(call_vals(&f, "call", (lw_val[]){i64v(0)}, 1, res, &err), 0);
    ck_assert_str_eq(err.message, "uninitialized element 0");
    ck_assert_int_eq(expect_val(&f, "grow", (lw_val[]){i64v(INT64_C(1) << 33)}, 1), -1);
    ck_assert_int_eq(expect_val(&f, "grow", (lw_val[]){i64v(2)}, 1), 2);
    ck_assert_int_eq(expect_val(&f, "size", NULL, 0), 4);
    ck_assert_int_eq(expect_val(&f, "isnull", (lw_val[]){i64v(3)}, 1), 1);
    ck_assert_int_eq(call_vals(&f, "fill", (lw_val[]){i64v(2), i64v(2)}, 2, NULL, &err), 0);
    ck_assert_int_eq(expect_val(&f, "call", (lw_val[]){i64v(3)}, 1), 7);
    ck_assert_int_ne(call_vals(&f, "fill", (lw_val[]){i64v(3), i64v(-1)}, 2, NULL, &err), 0);
    ck_assert_str_eq(err.message, "out of bounds table access");
    ck_assert_int_ne(call_vals(&f, "isnull", (lw_val[]){i64v(-1)}, 1, res, &err), 0);
    ck_assert_str_eq(err.message, "out of bounds table access");
    teardown(&f);
}
END_TEST

/* A br_table's targets 0..63 run through labels of their own, the
 * rest as before (interp.c, BRT_GO): the two kinds of jump back. */
#define BRT_EXITS8 " 1 1 1 1 1 1 1 1"
#define BRT_EXITS64 BRT_EXITS8 BRT_EXITS8 BRT_EXITS8 BRT_EXITS8 \
    BRT_EXITS8 BRT_EXITS8 BRT_EXITS8 BRT_EXITS8

static const char *spin_wat =
    "(module"
    " (import \"host\" \"poke\" (func $poke))"
    " (memory 1)"
    " (func (export \"spin\") loop br 0 end)"
    " (func (export \"count\") (param i32) (result i32)"
    "  loop local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0 end i32.const 9)"
    " (func (export \"poke_then_spin\") call $poke loop br 0 end)"
    /* a loop of two instructions that run as one handler (a sieve's
     * marking: LOOP_ST8_AK_ADD_BR_I32_LT_U_I), j from 0 by a step */
    " (func (export \"mark\") (param i32) (result i32) (local i32)"
    "  loop local.get 1 local.get 1 i32.add i32.const 0 i32.store8"
    "   local.get 1 local.get 0 i32.add local.tee 1 i32.const 10 i32.lt_u br_if 0 end"
    "  local.get 1)"
    " (func (export \"poke_then_mark\") (param i32) (result i32)"
    "  call $poke local.get 0 call 4)"
    /* loops whose back-edge is a br_table's target 0, or its target 64 */
    " (func (export \"tcount\") (param i32) (result i32) (local i32)"
    "  block loop local.get 1 i32.const 1 i32.add local.tee 1"
    "   local.get 0 i32.ge_u br_table 0 1 end end local.get 1)"
    " (func (export \"tcount64\") (param i32) (result i32) (local i32)"
    "  block loop local.get 1 i32.const 1 i32.add local.tee 1"
    "   local.get 0 i32.lt_u i32.const 6 i32.shl br_table" BRT_EXITS64 " 0 1 end end"
    "  local.get 1)"
    " (func (export \"poke_then_tcount\") (param i32) (result i32)"
    "  call $poke local.get 0 call 6)"
    " (func (export \"poke_then_tcount64\") (param i32) (result i32)"
    "  call $poke local.get 0 call 7)"
    ")";

static int poke(lw_host_call *call, const lw_val *args, lw_val *results)
{
    lw_store_interrupt(lw_host_user(call));
    return 0;
}

static void setup_spin(fixture *f, const lw_store_limits *lim)
{
    lw_error err;
    f->m = unit_load_wat(spin_wat);
    f->s = lw_store_new(lim);
    lw_functype t = {0, 0, NULL, NULL};
    lw_extern imp;
    imp.kind = LW_EXTERN_FUNC;
    imp.of.func = lw_func_new_host(f->s, &t, poke, f->s);
    f->inst = lw_instantiate(f->s, f->m, &imp, 1, &err);
    ck_assert_msg(f->inst != NULL, "%s", err.message);
}

START_TEST(test_fuel)
{
    fixture f;
    setup_spin(&f, NULL);
    ck_assert_uint_eq(lw_store_get_fuel(f.s), UINT64_MAX);
    lw_store_set_fuel(f.s, 1000);
    expect_trap(&f, "spin", NULL, 0, LW_ERR_TRAP, "fuel exhausted");
    ck_assert_uint_eq(lw_store_get_fuel(f.s), 0);
    /* Entry costs 1, each of the 9 back-edges 1. */
    lw_store_set_fuel(f.s, 10);
    ck_assert_int_eq(expect_i32(&f, "count", (int32_t[]){10}, 1), 9);
    ck_assert_uint_eq(lw_store_get_fuel(f.s), 0);
    lw_store_set_fuel(f.s, 10);
    expect_trap(&f, "count", (int32_t[]){11}, 1, LW_ERR_TRAP, "fuel exhausted");
    /* The same in a loop that runs as one handler: step 1 turns 10
     * times (9 back-edges), step 2 five times. */
    lw_store_set_fuel(f.s, 10);
    ck_assert_int_eq(expect_i32(&f, "mark", (int32_t[]){1}, 1), 10);
    ck_assert_uint_eq(lw_store_get_fuel(f.s), 0);
    lw_store_set_fuel(f.s, 9);
    expect_trap(&f, "mark", (int32_t[]){1}, 1, LW_ERR_TRAP, "fuel exhausted");
    lw_store_set_fuel(f.s, 5);
    ck_assert_int_eq(expect_i32(&f, "mark", (int32_t[]){2}, 1), 10);
    ck_assert_uint_eq(lw_store_get_fuel(f.s), 0);
    /* Back-edges through a br_table, by a labelled target and by one
     * past the labels: n turns cost n. */
    static const char *const tcounts[] = {"tcount", "tcount64"};
    for (int i = 0; i < 2; i++) {
        lw_store_set_fuel(f.s, 10);
        ck_assert_int_eq(expect_i32(&f, tcounts[i], (int32_t[]){10}, 1), 10);
        ck_assert_uint_eq(lw_store_get_fuel(f.s), 0);
        lw_store_set_fuel(f.s, 10);
        expect_trap(&f, tcounts[i], (int32_t[]){11}, 1, LW_ERR_TRAP, "fuel exhausted");
        lw_store_set_fuel(f.s, UINT64_MAX);
        ck_assert_int_eq(expect_i32(&f, tcounts[i], (int32_t[]){100000}, 1), 100000);
    }
    lw_store_set_fuel(f.s, UINT64_MAX);
    ck_assert_int_eq(expect_i32(&f, "count", (int32_t[]){100000}, 1), 9);
    teardown(&f);
}
END_TEST

START_TEST(test_interrupt)
{
    fixture f;
    setup_spin(&f, NULL);
    expect_trap(&f, "poke_then_spin", NULL, 0, LW_ERR_TRAP, "interrupted");
    /* ... and at a back-edge of a loop that runs as one handler */
    expect_trap(&f, "poke_then_mark", (int32_t[]){1}, 1, LW_ERR_TRAP, "interrupted");
    /* ... and at a br_table's jump back, labelled or not */
    expect_trap(&f, "poke_then_tcount", (int32_t[]){1000}, 1, LW_ERR_TRAP, "interrupted");
    expect_trap(&f, "poke_then_tcount64", (int32_t[]){1000}, 1, LW_ERR_TRAP, "interrupted");
    /* The flag is consumed: the next call runs normally. */
    ck_assert_int_eq(expect_i32(&f, "count", (int32_t[]){1000}, 1), 9);
    /* A request no code saw (it came between calls) can be dropped. */
    lw_store_interrupt(f.s);
    lw_store_clear_interrupt(f.s);
    ck_assert_int_eq(expect_i32(&f, "count", (int32_t[]){1000}, 1), 9);
    /* ... without dropping the fuel meter. */
    lw_store_set_fuel(f.s, 5);
    lw_store_interrupt(f.s);
    lw_store_clear_interrupt(f.s);
    expect_trap(&f, "count", (int32_t[]){1000}, 1, LW_ERR_TRAP, "fuel exhausted");
    lw_store_set_fuel(f.s, UINT64_MAX);
    teardown(&f);
}
END_TEST

static const char *bt_wat =
    "(module"
    " (func $inner (param i32) (result i32) local.get 0 i32.const 0 i32.div_u)"
    " (func $middle (param i32) (result i32) local.get 0 call $inner)"
    " (func (export \"outer\") (param i32) (result i32) local.get 0 call $middle)"
    ")";

START_TEST(test_backtrace)
{
    fixture f;
    setup(&f, bt_wat, NULL);
    lw_error err;
    lw_val res[1];
    ck_assert_int_ne(call_i32(&f, "outer", (int32_t[]){5}, 1, res, 1, &err), 0);
    ck_assert_str_eq(err.message, "integer divide by zero");
    ck_assert_uint_eq(err.nframes, 3);
    ck_assert_uint_eq(err.frames[0].func_index, 0);
    ck_assert_uint_eq(err.frames[1].func_index, 1);
    ck_assert_uint_eq(err.frames[2].func_index, 2);
    ck_assert_str_eq(err.frames[0].name, "inner");
    ck_assert_str_eq(err.frames[2].name, "outer");
    teardown(&f);
}
END_TEST

/* outer(n) calls down(n), which recurses n more times and then traps. */
static const char *deep_bt_wat =
    "(module"
    " (func $down (param i32)"
    "  local.get 0 i32.eqz if unreachable end"
    "  local.get 0 i32.const 1 i32.sub call $down)"
    " (func (export \"outer\") (param i32) local.get 0 call $down))";

/* The frames of the trap of outer(n) (their names go with the module). */
static void deep_trap(int32_t n, lw_error *err)
{
    fixture f;
    setup(&f, deep_bt_wat, NULL);
    ck_assert_int_ne(call_i32(&f, "outer", &n, 1, NULL, 0, err), 0);
    ck_assert_str_eq(err->message, "unreachable");
    teardown(&f);
}

/* A deep stack keeps its innermost and outermost frames and counts the
 * ones between; a stack that fits keeps every frame. */
START_TEST(test_backtrace_deep)
{
    lw_error err;
    deep_trap(30, &err);   /* 32 frames: outer and 31 of down */
    ck_assert_uint_eq(err.nframes, 32);
    ck_assert_uint_eq(err.frames_omitted, 0);
    ck_assert_uint_eq(err.frames[31].func_index, 1);
    deep_trap(31, &err);
    ck_assert_uint_eq(err.nframes, LW_MAX_FRAMES);
    ck_assert_uint_eq(err.frames_omitted, 1);
    deep_trap(5000, &err);
    ck_assert_uint_eq(err.nframes, LW_MAX_FRAMES);
    ck_assert_uint_eq(err.frames_omitted, 5002 - LW_MAX_FRAMES);
    for (uint32_t i = 0; i < LW_MAX_FRAMES - 1; i++)
        ck_assert_uint_eq(err.frames[i].func_index, 0);
    ck_assert_uint_eq(err.frames[LW_MAX_FRAMES - 1].func_index, 1);   /* outer */
    /* An error that is not a trap carries no frames of an earlier one. */
    fixture f;
    setup(&f, deep_bt_wat, NULL);
    ck_assert_int_ne(lw_func_call(f.s, export_func(&f, "outer"), NULL, 0, NULL, 0, &err), 0);
    ck_assert_uint_eq(err.nframes, 0);
    ck_assert_uint_eq(err.frames_omitted, 0);
    teardown(&f);
}
END_TEST

/* The one frame of a trap in export "f" of m, which is freed (and with it
 * the frame's name). */
static lw_frame only_frame(lw_module *m)
{
    lw_error err;
    lw_store *s = lw_store_new(NULL);
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    ck_assert_ptr_nonnull(inst);
    lw_extern f;
    ck_assert(lw_instance_export(inst, "f", &f));
    ck_assert_int_ne(lw_func_call(s, f.of.func, NULL, 0, NULL, 0, &err), 0);
    ck_assert_str_eq(err.message, "unreachable");
    ck_assert_uint_eq(err.nframes, 1);
    lw_store_free(s);
    lw_module_free(m);
    return err.frames[0];
}

/* A binary module: the backtrace gives the trapping instruction's offset. */
START_TEST(test_backtrace_offset)
{
    static const uint8_t bin[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,             /* type () -> () */
        0x03, 0x02, 0x01, 0x00,                         /* func 0 */
        0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,        /* export "f" */
        0x0a, 0x06, 0x01, 0x04, 0x00, 0x01, 0x00, 0x0b, /* nop unreachable end */
    };
    lw_error err;
    lw_module *m = lw_module_load(bin, sizeof bin, lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL, "%s", err.message);
    lw_frame fr = only_frame(m);
    ck_assert_uint_eq(fr.func_index, 0);
    ck_assert_uint_eq(fr.code_offset, 31);
}
END_TEST

/* The same module parsed from text has no binary: no offset. */
START_TEST(test_backtrace_text_no_offset)
{
    static const char src[] = "(module (func (export \"f\") nop unreachable))";
    lw_error err;
    lw_module *m = lw_module_parse_text(src, strlen(src), lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL && lw_module_validate(m, &err) == 0, "%s", err.message);
    lw_frame fr = only_frame(m);
    ck_assert_uint_eq(fr.func_index, 0);
    ck_assert_uint_eq(fr.code_offset, 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("interp");
    TCase *tc = tcase_create("interp");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_arith);
    tcase_add_test(tc, test_traps);
    tcase_add_test(tc, test_exhaustion);
    tcase_add_test(tc, test_depth_follows_stack);
    tcase_add_test(tc, test_depth_limit);
    tcase_add_test(tc, test_depth_huge_budget_is_free);
    tcase_add_test(tc, test_memory_bounds);
    tcase_add_test(tc, test_memory_bounds_checked);
    tcase_add_test(tc, test_memory_oob_offsets);
    tcase_add_test(tc, test_memory_grow);
    tcase_add_test(tc, test_multi_memory64);
    tcase_add_test(tc, test_multi_memory64_checked);
    tcase_add_test(tc, test_table64);
    tcase_add_test(tc, test_fuel);
    tcase_add_test(tc, test_interrupt);
    tcase_add_test(tc, test_backtrace);
    tcase_add_test(tc, test_backtrace_offset);
    tcase_add_test(tc, test_backtrace_deep);
    tcase_add_test(tc, test_backtrace_text_no_offset);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
