/* Validation rules, one hand-built binary module per rule and error class.
 *
 * Function bodies are tested inside a fixed environment module (see
 * env_module) so each case is just a signature, locals and body bytes;
 * module-level rules build their sections directly. */
#include "internal.h"
#include "unit.h"
#include "binbuild.h"

#include <ctype.h>

/* ---- building binaries ------------------------------------------------ */

static void b_section(bin *out, uint8_t id, const bin *content)
{
    b_byte(out, id);
    b_u32(out, (uint32_t)content->n);
    b_raw(out, content->d, content->n);
}

static void b_header(bin *b)
{
    b_raw(b, "\0asm\1\0\0\0", 8);
}

/* A section from a hex string of its contents. */
static void b_hexsection(bin *out, uint8_t id, const char *hex)
{
    bin c = {.n = 0};
    b_hex(&c, hex);
    b_section(out, id, &c);
}

/* A function type from a signature such as "ii>I" (i i32, I i64, f f32,
 * F f64, v v128, r funcref, e externref). */
static uint8_t sig_type(char c)
{
    switch (c) {
    case 'i': return LW_I32;
    case 'I': return LW_I64;
    case 'f': return LW_F32;
    case 'F': return LW_F64;
    case 'v': return LW_V128;
    case 'r': return LW_HEAP_FUNC;      /* funcref's one-byte encoding */
    default: return LW_HEAP_EXTERN;
    }
}

static void b_functype(bin *b, const char *sig)
{
    const char *arrow = strchr(sig, '>');
    ck_assert_ptr_nonnull(arrow);
    b_byte(b, 0x60);
    b_u32(b, (uint32_t)(arrow - sig));
    for (const char *p = sig; p < arrow; p++)
        b_byte(b, sig_type(*p));
    b_u32(b, (uint32_t)strlen(arrow + 1));
    for (const char *p = arrow + 1; *p; p++)
        b_byte(b, sig_type(*p));
}

/* ---- running the validator ------------------------------------------- */

/* Decode and validate; returns 0 or -1 with err filled. */
static int load(const bin *b, lw_features features, lw_error *err)
{
    lw_module *m = lw_module_decode(b->d, b->n, features, err);
    if (!m)
        return -1;
    int rc = lw_module_validate(m, err);
    lw_module_free(m);
    return rc;
}

/* Valid when expect is NULL; else invalid with expect in the message. */
static void expect_result(const bin *b, lw_features features, const char *expect,
                          const char *what)
{
    lw_error err;
    lw_error_clear(&err);
    int rc = load(b, features, &err);
    if (!expect) {
        ck_assert_msg(rc == 0, "%s: expected valid, got \"%s\"", what, err.message);
        return;
    }
    ck_assert_msg(rc < 0, "%s: expected \"%s\", but it validated", what, expect);
    ck_assert_msg(strstr(err.message, expect) != NULL, "%s: expected \"%s\", got \"%s\"",
                  what, expect, err.message);
}

/* ---- the environment for body tests ------------------------------------ */

/*
 * types:   0 = the signature under test, 1 = [] -> [], 2 = [i32] -> [i32],
 *          3 = [i32 i32] -> [i32 i64]
 * funcs:   0 (type 0, the body under test), 1 (type 1, exported: declared)
 * full environment only:
 * tables:  0 funcref, 1 externref
 * memory:  0, one page
 * globals: 0 mutable i32, 1 immutable i64
 * elems:   0 passive funcref (func 1), 1 passive externref (ref.null)
 * datas:   0 passive "x", with a data count section
 */
typedef enum { ENV_FULL, ENV_BARE } env_kind;

/* Returns the binary offset where the body's instructions start. */
static size_t env_module(bin *out, env_kind env, const char *sig, const char *locals,
                         const char *body)
{
    out->n = 0;
    b_header(out);
    bin types = {.n = 0};
    b_u32(&types, 4);
    b_functype(&types, sig);
    b_functype(&types, ">");
    b_functype(&types, "i>i");
    b_functype(&types, "ii>iI");
    b_section(out, 1, &types);
    b_hexsection(out, 3, "02 00 01");
    if (env == ENV_FULL) {
        b_hexsection(out, 4, "02 70 00 01 6f 00 01");
        b_hexsection(out, 5, "01 00 01");
        b_hexsection(out, 6, "02 7f 01 41 00 0b 7e 00 42 00 0b");
    }
    b_hexsection(out, 7, "01 02 66 31 00 01");
    if (env == ENV_FULL) {
        b_hexsection(out, 9, "02 01 00 01 01 05 6f 01 d0 6f 0b");
        b_hexsection(out, 12, "01");
    }
    bin fbody = {.n = 0};
    b_hex(&fbody, locals ? locals : "00");
    size_t locals_len = fbody.n;
    b_hex(&fbody, body);
    bin code = {.n = 0};
    b_u32(&code, 2);
    b_u32(&code, (uint32_t)fbody.n);
    size_t body_in_code = code.n + locals_len;
    b_raw(&code, fbody.d, fbody.n);
    b_hex(&code, "02 00 0b");
    out->d[out->n] = 10;
    size_t code_start = out->n + 1;
    b_section(out, 10, &code);
    size_t size_len = 0;
    for (uint32_t v = (uint32_t)code.n; ; v >>= 7) {
        size_len++;
        if (v < 0x80)
            break;
    }
    if (env == ENV_FULL)
        b_hexsection(out, 11, "01 01 01 78");
    return code_start + size_len + body_in_code;
}

typedef struct {
    const char *what;
    env_kind env;
    const char *sig;
    const char *locals;   /* local declarations in hex; NULL = none */
    const char *body;     /* instructions in hex, with the final end */
    const char *expect;   /* NULL = valid, else part of the message */
} body_case;

#define V128_ZERO "fd 0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 "

static const body_case body_cases[] = {
    /* valid */
    {"empty body", ENV_FULL, ">", NULL, "0b", NULL},
    {"i32.add of params", ENV_FULL, "ii>i", NULL, "20 00 20 01 6a 0b", NULL},
    {"block with a result", ENV_FULL, ">i", NULL, "02 7f 41 01 0b 0b", NULL},
    {"multi-value block by type index", ENV_FULL, ">iI", NULL,
     "41 01 41 02 02 03 1a 42 05 0b 0b", NULL},
    {"loop branching to itself", ENV_FULL, ">", NULL, "03 40 0c 00 0b 0b", NULL},
    {"unreachable makes the stack polymorphic", ENV_FULL, ">i", NULL, "00 6a 0b", NULL},
    {"untyped select on a polymorphic stack", ENV_FULL, ">", NULL, "00 1b 1a 0b", NULL},
    {"br_table with one label", ENV_FULL, ">i", NULL,
     "02 7f 41 01 41 00 0e 01 00 00 0b 0b", NULL},
    {"br_table after unreachable to labels of different types", ENV_FULL, ">", NULL,
     "02 7d 02 7e 00 0e 01 00 01 0b 1a 43 00 00 00 00 0b 1a 0b", NULL},
    {"if and else", ENV_FULL, "i>i", NULL, "20 00 04 7f 41 01 05 41 02 0b 0b", NULL},
    {"if without else passing its parameter", ENV_FULL, "i>i", NULL,
     "20 00 20 00 04 02 0b 0b", NULL},
    {"call", ENV_FULL, ">", NULL, "10 01 0b", NULL},
    {"call_indirect", ENV_FULL, ">", NULL, "41 00 11 01 00 0b", NULL},
    {"ref.func of a declared function", ENV_FULL, ">", NULL, "d2 01 1a 0b", NULL},
    {"typed select of funcrefs", ENV_FULL, ">", NULL, "d0 70 d0 70 41 00 1c 01 70 1a 0b",
     NULL},
    {"i32.load", ENV_FULL, ">", NULL, "41 00 28 02 00 1a 0b", NULL},
    {"memory.init and data.drop", ENV_FULL, ">", NULL,
     "41 00 41 00 41 00 fc 08 00 00 fc 09 00 0b", NULL},
    {"table.init and elem.drop", ENV_FULL, ">", NULL,
     "41 00 41 00 41 00 fc 0c 00 00 fc 0d 00 0b", NULL},
    {"i8x16.extract_lane_s 15", ENV_FULL, ">", NULL, V128_ZERO "fd 15 0f 1a 0b", NULL},
    {"v128.load8_lane 15", ENV_FULL, ">", NULL, "41 00 " V128_ZERO "fd 54 00 00 0f 1a 0b",
     NULL},
    {"global.set of a mutable global", ENV_FULL, ">", NULL, "41 00 24 00 0b", NULL},
    {"local.tee of a declared local", ENV_FULL, ">", "01 01 7f", "41 00 22 00 1a 0b", NULL},
    {"br_if leaves its values", ENV_FULL, ">i", NULL, "02 7f 41 01 41 00 0d 00 0b 0b",
     NULL},
    {"code after br is polymorphic", ENV_FULL, ">", NULL, "02 40 0c 00 6a 1a 0b 0b", NULL},
    {"return", ENV_FULL, ">i", NULL, "41 00 0f 0b", NULL},
    {"table.get, table.set and table.grow", ENV_FULL, ">", NULL,
     "41 00 25 01 1a 41 00 d0 6f 26 01 d0 6f 41 01 fc 0f 01 1a 0b", NULL},
    {"memory.size and memory.grow", ENV_FULL, ">", NULL, "3f 00 40 00 1a 0b", NULL},
    {"ref.is_null", ENV_FULL, ">", NULL, "d0 70 d1 1a 0b", NULL},
    {"br to the function returns", ENV_FULL, ">i", NULL, "41 07 0c 00 0b", NULL},

    /* operand types */
    {"i32.add of i32 and i64", ENV_FULL, ">", NULL, "41 00 42 00 6a 1a 0b",
     "type mismatch: instruction requires [i32 i32] but stack has [i32 i64] (i32.add)"},
    {"i32.add on an empty stack", ENV_FULL, ">", NULL, "6a 0b",
     "type mismatch: instruction requires [i32 i32] but stack has [] (i32.add)"},
    {"i32.add of one value", ENV_FULL, ">", NULL, "41 00 6a 1a 0b",
     "type mismatch: instruction requires [i32 i32] but stack has [i32] (i32.add)"},
    {"missing function result", ENV_FULL, ">i", NULL, "0b",
     "type mismatch: instruction requires [i32] but stack has [] (end)"},
    {"extra value at the end", ENV_FULL, ">", NULL, "41 00 0b",
     "type mismatch: block requires [] but stack has [i32] (end)"},
    {"extra values at the end of a block", ENV_FULL, ">", NULL,
     "02 7f 42 00 41 00 41 01 0b 1a 0b",
     "type mismatch: block requires [i32] but stack has [i64 i32 i32] (end)"},
    {"block may not pop outside values", ENV_FULL, ">", NULL, "41 00 02 40 1a 0b 1a 0b",
     "type mismatch"},
    {"if without else with different parameter and result", ENV_FULL, ">i", NULL,
     "41 01 04 7f 41 00 0b 0b", "type mismatch"},
    {"else arm of the wrong type", ENV_FULL, ">", NULL,
     "41 01 04 7f 41 00 05 42 00 0b 1a 0b", "type mismatch"},
    {"br_if value of the wrong type", ENV_FULL, ">", NULL,
     "02 7f 42 00 41 00 0d 00 1a 41 00 0b 1a 0b", "type mismatch"},
    {"br_if leaves the label's types, not the popped unknowns", ENV_FULL, ">I", NULL,
     "00 0d 00 ad 0b", "type mismatch"},
    {"br_if in unreachable code leaves a value behind", ENV_FULL, ">i", NULL,
     "02 7f 02 40 00 41 00 0d 01 0b 41 00 0b 0b", "type mismatch"},
    {"return of the wrong type", ENV_FULL, ">i", NULL, "42 00 0f 0b", "type mismatch"},
    {"br to a loop takes its parameters", ENV_FULL, ">", NULL,
     "41 00 03 02 42 00 0c 00 0b 1a 0b", "type mismatch"},
    {"br_table targets of different arity", ENV_FULL, ">", NULL,
     "02 40 02 7f 41 00 41 00 0e 01 01 00 0b 1a 0b 0b", "type mismatch"},
    {"untyped select of references", ENV_FULL, ">", NULL, "d0 70 d0 70 41 00 1b 1a 0b",
     "type mismatch"},
    {"untyped select of different types", ENV_FULL, ">", NULL, "41 00 42 00 41 00 1b 1a 0b",
     "type mismatch"},
    {"typed select with two types", ENV_FULL, ">", NULL,
     "41 00 41 00 41 00 1c 02 7f 7f 1a 0b", "invalid result arity"},
    {"call_indirect through an externref table", ENV_FULL, ">", NULL, "41 00 11 01 01 0b",
     "type mismatch"},
    {"table.init of an externref segment into a funcref table", ENV_FULL, ">", NULL,
     "41 00 41 00 41 00 fc 0c 01 00 0b", "type mismatch"},
    {"table.copy between tables of different types", ENV_FULL, ">", NULL,
     "41 00 41 00 41 00 fc 0e 00 01 0b", "type mismatch"},
    {"ref.is_null of an i32", ENV_FULL, ">", NULL, "41 00 d1 1a 0b", "type mismatch"},
    {"table.set of the wrong reference type", ENV_FULL, ">", NULL,
     "41 00 d0 70 26 01 0b", "type mismatch"},
    {"call with the wrong argument", ENV_FULL, "i>", NULL, "42 00 10 00 0b",
     "type mismatch"},

    /* indices */
    {"unknown local", ENV_FULL, "i>", "01 01 7f", "20 05 1a 0b", "unknown local 5"},
    {"unknown global", ENV_FULL, ">", NULL, "23 09 1a 0b", "unknown global 9"},
    {"global.set of an immutable global", ENV_FULL, ">", NULL, "42 00 24 01 0b",
     "immutable global: global is immutable"},
    {"unknown function", ENV_FULL, ">", NULL, "10 07 0b", "unknown function 7"},
    {"unknown label", ENV_FULL, ">", NULL, "0c 03 0b", "unknown label"},
    {"unknown label in br_table", ENV_FULL, ">", NULL, "41 00 0e 01 00 05 0b",
     "unknown label"},
    {"unknown block type", ENV_FULL, ">", NULL, "02 09 0b 0b", "unknown type"},
    {"call_indirect of an unknown type", ENV_FULL, ">", NULL, "41 00 11 09 00 0b",
     "unknown type"},
    {"call_indirect through an unknown table", ENV_FULL, ">", NULL, "41 00 11 01 05 0b",
     "unknown table"},
    {"unknown data segment", ENV_FULL, ">", NULL, "41 00 41 00 41 00 fc 08 05 00 0b",
     "unknown data segment 5"},
    {"unknown elem segment", ENV_FULL, ">", NULL, "fc 0d 04 0b", "unknown elem segment 4"},
    {"undeclared function reference", ENV_FULL, ">", NULL, "d2 00 1a 0b",
     "undeclared function reference"},
    {"ref.func of an unknown function", ENV_FULL, ">", NULL, "d2 09 1a 0b",
     "unknown function 9"},
    {"load without a memory", ENV_BARE, ">", NULL, "41 00 28 02 00 1a 0b",
     "unknown memory 0"},
    {"memory.size without a memory", ENV_BARE, ">", NULL, "3f 00 1a 0b",
     "unknown memory 0"},
    {"table.get without a table", ENV_BARE, ">", NULL, "41 00 25 00 1a 0b",
     "unknown table 0"},
    {"call_indirect without a table", ENV_BARE, ">", NULL, "41 00 11 01 00 0b",
     "unknown table 0"},
    {"data.drop of an unknown segment", ENV_FULL, ">", NULL, "fc 09 03 0b",
     "unknown data segment 3"},

    /* immediates */
    {"alignment larger than natural", ENV_FULL, ">", NULL, "41 00 28 03 00 1a 0b",
     "alignment must not be larger than natural"},
    {"store8 with alignment 2", ENV_FULL, ">", NULL, "41 00 41 00 3a 01 00 0b",
     "alignment must not be larger than natural"},
    {"lane index 16 of i8x16", ENV_FULL, ">", NULL, V128_ZERO "fd 15 10 1a 0b",
     "invalid lane index"},
    {"lane index 2 of f64x2", ENV_FULL, ">", NULL, V128_ZERO "fd 21 02 1a 0b",
     "invalid lane index"},
    {"lane index 4 of i32x4.replace_lane", ENV_FULL, ">", NULL,
     V128_ZERO "41 00 fd 1c 04 1a 0b", "invalid lane index"},
    {"v128.load64_lane lane 2", ENV_FULL, ">", NULL,
     "41 00 " V128_ZERO "fd 57 03 00 02 1a 0b", "invalid lane index"},
    {"shuffle lane 32", ENV_FULL, ">", NULL,
     V128_ZERO V128_ZERO "fd 0d 20 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 1a 0b",
     "invalid lane index"},
};

START_TEST(test_body)
{
    const body_case *c = &body_cases[_i];
    bin b;
    env_module(&b, c->env, c->sig, c->locals, c->body);
    expect_result(&b, lw_features_wasm2(), c->expect, c->what);
}
END_TEST

/* The error points at the failing instruction in the binary. */
START_TEST(test_body_offset)
{
    bin b;
    size_t at = env_module(&b, ENV_FULL, ">", NULL, "41 00 42 00 6a 1a 0b");
    lw_error err;
    lw_error_clear(&err);
    ck_assert_int_lt(load(&b, lw_features_wasm2(), &err), 0);
    ck_assert_int_eq(err.kind, LW_ERR_INVALID);
    ck_assert(err.has_offset);
    ck_assert_uint_eq(err.offset, at + 4);
}
END_TEST

/* The validator keeps its stacks between bodies: a deep body after a
 * shallow one, and many bodies in one module. */
START_TEST(test_deep_nesting)
{
    static char body[16384];
    size_t n = 0;
    for (int i = 0; i < 1000; i++)
        n += (size_t)sprintf(body + n, "02 40 ");
    n += (size_t)sprintf(body + n, "41 00 1a ");
    for (int i = 0; i < 1000; i++)
        n += (size_t)sprintf(body + n, "0b ");
    sprintf(body + n, "0b");
    static bin b;
    env_module(&b, ENV_FULL, ">", NULL, body);
    expect_result(&b, lw_features_wasm2(), NULL, "1000 nested blocks");
}
END_TEST

/* A module built as a struct, as the text parser does: more locals than
 * a binary may declare, looked up by binary search over the groups. */
static int many_locals(const char *body_hex, lw_error *err)
{
    static const lw_valtype results[] = {LW_I32};
    static const lw_functype type = {0, 1, NULL, results};
    static const lw_typedef def = {LW_COMP_FUNC, true, LW_NO_SUPER, 0, 1, 0, NULL};
    static const uint32_t func_types[] = {0};
    static const lw_localgroup groups[] = {{131071, LW_I64}, {5, LW_F32}};
    bin body = {.n = 0};
    b_hex(&body, body_hex);
    lw_code code = {0};
    code.type = 0;
    code.nlocalgroups = 2;
    code.localgroups = groups;
    code.nlocals = 131076;
    code.body.code = body.d;
    code.body.len = (uint32_t)body.n;
    lw_module m = {0};
    m.features = lw_features_wasm2();
    m.ntypes = 1;
    m.types = &type;
    m.typedefs = &def;
    m.nfuncs = 1;
    m.func_types = func_types;
    m.ncodes = 1;
    m.codes = &code;
    return lw_module_validate(&m, err);
}

START_TEST(test_many_locals)
{
    lw_error err;
    lw_error_clear(&err);
    /* local 131072 is an f32, local 131070 an i64 */
    ck_assert_int_eq(many_locals("20 80 80 08 8c 1a 20 fe ff 07 7a a7 0b", &err), 0);
    ck_assert_int_lt(many_locals("20 80 80 08 7a 1a 41 00 0b", &err), 0);
    ck_assert_str_eq(err.message,
                     "type mismatch: instruction requires [i64] but stack has [f32] (i64.ctz)");
    ck_assert(!err.has_offset);
    ck_assert_int_lt(many_locals("20 84 80 08 1a 41 00 0b", &err), 0);
    ck_assert_str_eq(err.message, "unknown local 131076");
}
END_TEST

/* ---- module-level rules ---------------------------------------------- */

typedef struct {
    const char *what;
    /* sections in order, each "ID:hex contents" separated by '|' */
    const char *sections;
    const char *expect;
} module_case;

static const module_case module_cases[] = {
    {"two exports named a", "1:01 60 00 00|3:01 00|7:02 01 61 00 00 01 61 00 00|10:01 02 00 0b",
     "duplicate export name"},
    {"exports named a and b", "1:01 60 00 00|3:01 00|7:02 01 61 00 00 01 62 00 00|10:01 02 00 0b",
     NULL},
    {"exports differing after a NUL byte",
     "1:01 60 00 00|3:01 00|7:02 03 61 00 62 00 00 03 61 00 63 00 00|10:01 02 00 0b", NULL},
    {"exports equal up to a NUL byte",
     "1:01 60 00 00|3:01 00|7:02 03 61 00 62 00 00 03 61 00 62 00 00|10:01 02 00 0b",
     "duplicate export name"},
    {"exports a and a NUL", "1:01 60 00 00|3:01 00|7:02 01 61 00 00 02 61 00 00 00|10:01 02 00 0b",
     NULL},
    {"export of an unknown function", "7:01 01 61 00 03", "unknown function 3"},
    {"export of an unknown global", "7:01 01 61 03 00", "unknown global 0"},
    {"export of an unknown memory", "7:01 01 61 02 00", "unknown memory 0"},
    {"export of an unknown table", "7:01 01 61 01 00", "unknown table 0"},
    {"memory minimum above maximum",
     "5:01 01 02 01", "size minimum must not be greater than maximum"},
    {"memory of 65537 pages", "5:01 00 81 80 04", "memory size must be at most 65536 pages (4GiB)"},
    {"memory maximum of 65537 pages", "5:01 01 00 81 80 04",
     "memory size must be at most 65536 pages (4GiB)"},
    {"memory of 65536 pages", "5:01 01 00 80 80 04", NULL},
    {"table minimum above maximum",
     "4:01 70 01 02 01", "size minimum must not be greater than maximum"},
    {"imported memory minimum above maximum", "2:01 01 6d 01 6e 02 01 02 01",
     "size minimum must not be greater than maximum"},
    {"imported and defined memory", "2:01 01 6d 01 6e 02 00 00|5:01 00 00", "multiple memories"},
    {"two memories", "5:02 00 00 00 00", "multiple memories"},
    {"two tables", "4:02 70 00 00 6f 00 00", NULL},
    {"start function with a parameter", "1:01 60 01 7f 00|3:01 00|8:00|10:01 02 00 0b",
     "start function"},
    {"start function with a result", "1:01 60 00 01 7f|3:01 00|8:00|10:01 04 00 41 00 0b",
     "start function"},
    {"unknown start function", "8:00", "unknown function 0"},
    {"imported function of an unknown type", "2:01 01 6d 01 66 00 00", "unknown type"},
    {"global of i32 initialised with i64", "6:01 7f 00 42 00 0b", "type mismatch"},
    {"global initialised with nothing", "6:01 7f 00 0b", "type mismatch"},
    {"global initialised with two values", "6:01 7f 00 41 00 41 00 0b", "type mismatch"},
    {"global initialised with i32.add", "6:01 7f 00 41 00 41 00 6a 0b",
     "constant expression required"},
    {"global initialised with nop", "6:01 7f 00 01 0b", "constant expression required"},
    {"global.get of a defined global", "6:02 7f 00 41 00 0b 7f 00 23 00 0b", "unknown global 0"},
    {"global.get of an immutable import", "2:01 01 6d 01 67 03 7f 00|6:01 7f 00 23 00 0b", NULL},
    {"global.get of a mutable import", "2:01 01 6d 01 67 03 7f 01|6:01 7f 00 23 00 0b",
     "constant expression required"},
    {"global of funcref initialised with ref.func",
     "1:01 60 00 00|3:01 00|6:01 70 00 d2 00 0b|10:01 02 00 0b",
     NULL},
    {"global initialised with ref.func of an unknown function", "6:01 70 00 d2 00 0b",
     "unknown function 0"},
    {"global of externref initialised with ref.null func", "6:01 6f 00 d0 70 0b", "type mismatch"},
    {"global of v128", "6:01 7b 00 fd 0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 0b", NULL},
    {"elem segment in an unknown table",
     "1:01 60 00 00|3:01 00|9:01 00 41 00 0b 01 00|10:01 02 00 0b",
     "unknown table 0"},
    {"elem segment with an i64 offset",
     "1:01 60 00 00|3:01 00|4:01 70 00 01|9:01 00 42 00 0b 01 00|10:01 02 00 0b",
     "type mismatch"},
    {"elem segment with a non-constant offset",
     "1:01 60 00 00|3:01 00|4:01 70 00 01|9:01 00 41 00 41 00 6a 0b 01 00|10:01 02 00 0b",
     "constant expression required"},
    {"elem segment of an unknown function",
     "1:01 60 00 00|3:01 00|4:01 70 00 01|9:01 00 41 00 0b 01 05|10:01 02 00 0b",
     "unknown function 5"},
    {"externref elem segment in a funcref table",
     "4:01 70 00 01|9:01 06 00 41 00 0b 6f 01 d0 6f 0b", "type mismatch"},
    {"elem expression of the wrong type", "9:01 05 70 01 d0 6f 0b", "type mismatch"},
    {"declarative elem segment", "1:01 60 00 00|3:01 00|9:01 03 00 01 00|10:01 02 00 0b", NULL},
    {"data segment without memory", "11:01 00 41 00 0b 00", "unknown memory 0"},
    {"data segment in memory 1", "5:01 00 01|11:01 02 01 41 00 0b 00", "unknown memory 1"},
    {"data segment with an i64 offset", "5:01 00 01|11:01 00 42 00 0b 00", "type mismatch"},
    {"data segment with a non-constant offset", "5:01 00 01|11:01 00 41 00 01 0b 00",
     "constant expression required"},
    {"data segment at an imported global",
     "2:01 01 6d 01 67 03 7f 00|5:01 00 01|11:01 00 23 00 0b 01 61",
     NULL},
    {"function of an unknown type", "1:01 60 00 00|3:01 01|10:01 02 00 0b", "unknown type"},
    {"multi-value function type", "1:01 60 00 02 7f 7f|3:01 00|10:01 06 00 41 00 41 00 0b", NULL},
};

static void build_sections(bin *b, const char *spec)
{
    b->n = 0;
    b_header(b);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *save = NULL, *part = strtok_r(buf, "|", &save); part;
         part = strtok_r(NULL, "|", &save)) {
        char *colon = strchr(part, ':');
        ck_assert_ptr_nonnull(colon);
        *colon = 0;
        b_hexsection(b, (uint8_t)atoi(part), colon + 1);
    }
}

START_TEST(test_module)
{
    const module_case *c = &module_cases[_i];
    bin b;
    build_sections(&b, c->sections);
    expect_result(&b, lw_features_wasm2(), c->expect, c->what);
}
END_TEST

/* Module-level errors carry an offset inside the binary. */
START_TEST(test_module_offset)
{
    bin b;
    build_sections(&b, "5:01 01 02 01");
    lw_error err;
    lw_error_clear(&err);
    ck_assert_int_lt(load(&b, lw_features_wasm2(), &err), 0);
    ck_assert_int_eq(err.kind, LW_ERR_INVALID);
    ck_assert(err.has_offset);
    ck_assert_uint_gt(err.offset, 8);
    ck_assert_uint_lt(err.offset, b.n);
}
END_TEST

/* ---- features ---------------------------------------------------------- */

static lw_features without(lw_features f)
{
    return lw_features_wasm2() & ~f;
}

START_TEST(test_feature_simd)
{
    bin b;
    env_module(&b, ENV_FULL, ">", NULL, V128_ZERO "1a 0b");
    expect_result(&b, lw_features_wasm2(), NULL, "v128.const with simd");
    lw_error err;
    lw_error_clear(&err);
    ck_assert_int_lt(load(&b, without(LW_FEATURE(SIMD)), &err), 0);
    env_module(&b, ENV_FULL, "v>", NULL, "0b");
    lw_error_clear(&err);
    ck_assert_int_lt(load(&b, without(LW_FEATURE(SIMD)), &err), 0);
}
END_TEST

START_TEST(test_feature_others)
{
    bin b;
    lw_error err;
    env_module(&b, ENV_FULL, ">", NULL, "41 00 c0 1a 0b");
    lw_error_clear(&err);
    ck_assert_int_lt(load(&b, without(LW_FEATURE(SIGN_EXT)), &err), 0);
    env_module(&b, ENV_FULL, ">", NULL, "43 00 00 00 00 fc 00 1a 0b");
    lw_error_clear(&err);
    ck_assert_int_lt(load(&b, without(LW_FEATURE(SAT_FLOAT_TO_INT)), &err), 0);
    env_module(&b, ENV_FULL, ">", NULL, "41 00 41 00 41 00 fc 0b 00 0b");
    lw_error_clear(&err);
    ck_assert_int_lt(load(&b, without(LW_FEATURE(BULK_MEMORY)), &err), 0);
    env_module(&b, ENV_FULL, ">", NULL, "d0 70 1a 0b");
    lw_error_clear(&err);
    ck_assert_int_lt(load(&b, without(LW_FEATURE(REFERENCE_TYPES)), &err), 0);
    env_module(&b, ENV_FULL, ">ii", NULL, "41 00 41 00 0b");
    lw_error_clear(&err);
    ck_assert_int_lt(load(&b, without(LW_FEATURE(MULTI_VALUE)), &err), 0);
    build_sections(&b, "2:01 01 6d 01 67 03 7f 01");
    lw_error_clear(&err);
    ck_assert_int_lt(load(&b, without(LW_FEATURE(MUTABLE_GLOBALS)), &err), 0);
    expect_result(&b, lw_features_wasm2(), NULL, "mutable global import");
}
END_TEST

/* ---- memargs and constant expressions of 3.0 features ----------------- */

START_TEST(test_memarg_memory_index)
{
    bin b;
    lw_features mm = lw_features_wasm2() | LW_FEATURE(MULTI_MEMORY);
    env_module(&b, ENV_FULL, ">", NULL, "41 00 28 42 00 00 1a 0b");
    expect_result(&b, mm, NULL, "i32.load of memory 0, index written");
    env_module(&b, ENV_FULL, ">", NULL, "41 00 28 42 01 00 1a 0b");
    expect_result(&b, mm, "unknown memory 1", "i32.load of memory 1");
    env_module(&b, ENV_FULL, ">", NULL, "41 00 28 42 00 00 1a 0b");
    expect_result(&b, lw_features_wasm2(), "alignment must not be larger than natural",
                  "flags 0x42 without multi-memory");
}
END_TEST

START_TEST(test_memarg_offset_range)
{
    bin b;
    lw_features m64 = lw_features_wasm2() | LW_FEATURE(MEMORY64);
    env_module(&b, ENV_FULL, ">", NULL, "41 00 28 02 ff ff ff ff 0f 1a 0b");
    expect_result(&b, m64, NULL, "offset 2^32 - 1 of a 32-bit memory");
    env_module(&b, ENV_FULL, ">", NULL, "41 00 28 02 80 80 80 80 10 1a 0b");
    expect_result(&b, m64, "offset out of range", "offset 2^32 of a 32-bit memory");
}
END_TEST

/* A text module under features f: valid (expect NULL) or rejected by the
 * validator with a message containing expect. */
static void wat_result(const char *wat, lw_features f, const char *expect)
{
    lw_error err;
    lw_error_clear(&err);
    lw_module *m = lw_module_parse_text(wat, strlen(wat), f, &err);
    ck_assert_msg(m != NULL, "%s: parse: %s", wat, err.message);
    int rc = lw_module_validate(m, &err);
    lw_module_free(m);
    if (!expect) {
        ck_assert_msg(rc == 0, "%s: expected valid, got \"%s\"", wat, err.message);
        return;
    }
    ck_assert_msg(rc < 0, "%s: expected \"%s\", but it validated", wat, expect);
    ck_assert_msg(strstr(err.message, expect) != NULL, "%s: expected \"%s\", got \"%s\"",
                  wat, expect, err.message);
}

/* memory64: every memory instruction takes (and memory.size/grow give) the
 * memory's address type; a copy's length is i64 only between two 64-bit
 * memories; offsets of data segments are typed the same way. */
START_TEST(test_memory64_types)
{
    lw_features f = lw_features_wasm2() | LW_FEATURE(MEMORY64) | LW_FEATURE(MULTI_MEMORY);
    static const struct {
        const char *wat, *expect;
    } cases[] = {
        {"(memory i64 1) (func (drop (i32.load (i64.const 0))))", NULL},
        {"(memory i64 1) (func (drop (i32.load (i32.const 0))))", "type mismatch"},
        {"(memory i64 1) (func (v128.store (i64.const 0) (v128.const i64x2 0 0)))", NULL},
        {"(memory i64 1) (func (result i64) (memory.grow (memory.size)))", NULL},
        {"(memory i64 1) (func (result i32) (memory.size))", "type mismatch"},
        {"(memory i64 1) (func (memory.fill (i64.const 0) (i32.const 0) (i64.const 1)))", NULL},
        {"(memory i64 1) (func (memory.fill (i64.const 0) (i64.const 0) (i64.const 1)))",
         "type mismatch"},
        {"(memory i64 1) (data \"x\") (func (memory.init 0 (i64.const 0) (i32.const 0) (i32.const 1)))",
         NULL},
        {"(memory $a i64 1) (memory $b 1)"
         " (func (memory.copy $a $b (i64.const 0) (i32.const 0) (i32.const 1)))", NULL},
        {"(memory $a i64 1) (memory $b 1)"
         " (func (memory.copy $a $b (i64.const 0) (i32.const 0) (i64.const 1)))", "type mismatch"},
        {"(memory $a i64 1) (memory $b i64 1)"
         " (func (memory.copy $a $b (i64.const 0) (i64.const 0) (i64.const 1)))", NULL},
        {"(memory i64 1) (data (i64.const 0) \"x\")", NULL},
        {"(memory i64 1) (data (i32.const 0) \"x\")", "type mismatch"},
        {"(memory i64 0 0x1_0000_0000_0000)", NULL},
        {"(memory i64 0x1_0000_0000_0001)", "memory size"},
        {"(memory 0x1_0000)", NULL},
        {"(memory 0x1_0001)", "memory size"},
        {"(table i64 0 0xffff_ffff_ffff_ffff funcref)", NULL},
        {"(table 0 0x1_0000_0000 funcref)", "table size"},
        {"(table i64 1 funcref) (func (result funcref) (table.get 0 (i64.const 0)))", NULL},
        {"(table i64 1 funcref) (func (result funcref) (table.get 0 (i32.const 0)))",
         "type mismatch"},
        {"(table i64 1 funcref) (func (result i64) (table.grow 0 (ref.null func) (table.size 0)))",
         NULL},
        {"(table i64 1 funcref) (func (call_indirect (i64.const 0)))", NULL},
        {"(table i64 1 funcref) (func (call_indirect (i32.const 0)))", "type mismatch"},
        {"(table $a i64 1 funcref) (table $b 1 funcref)"
         " (func (table.copy $a $b (i64.const 0) (i32.const 0) (i32.const 0)))", NULL},
        {"(table i64 1 funcref) (elem (i64.const 0) func 0) (func)", NULL},
        {"(table i64 1 funcref) (elem (i32.const 0) func 0) (func)", "type mismatch"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char wat[512];
        snprintf(wat, sizeof wat, "(module %s)", cases[i].wat);
        wat_result(wat, f, cases[i].expect);
    }
    wat_result("(module (memory i64 1))", lw_features_wasm2(), "memory64");
    wat_result("(module (memory 1) (memory 1))", lw_features_wasm2(), "multiple memories");
}
END_TEST

/* Lane immediates are bounded by the table's LANES column. */
START_TEST(test_lanes_from_table)
{
    bin b;
    env_module(&b, ENV_FULL, ">", NULL, V128_ZERO "fd 1d 01 1a 0b");
    expect_result(&b, lw_features_wasm2(), NULL, "i64x2.extract_lane 1");
    env_module(&b, ENV_FULL, ">", NULL, V128_ZERO "fd 1d 02 1a 0b");
    expect_result(&b, lw_features_wasm2(), "invalid lane index", "i64x2.extract_lane 2");
    env_module(&b, ENV_FULL, ">", NULL, "41 00 " V128_ZERO "fd 55 01 00 07 1a 0b");
    expect_result(&b, lw_features_wasm2(), NULL, "v128.load16_lane 7");
    env_module(&b, ENV_FULL, ">", NULL, "41 00 " V128_ZERO "fd 55 01 00 08 1a 0b");
    expect_result(&b, lw_features_wasm2(), "invalid lane index", "v128.load16_lane 8");
}
END_TEST

/* extended-const: i32/i64 add, sub and mul in constant expressions. */
/* Modules whose validation alone once read or wrote arrays it never
 * allocated (UBSan found them): the one function's stack is empty when
 * its result is missing, and a group of no locals has a type that needs
 * initialization. */
START_TEST(test_nothing_allocated_yet)
{
    wat_result("(module (func (result f64)))", lw_features_all(),
               "type mismatch: instruction requires [f64] but stack has [] (end)");
    static const uint8_t zero_locals[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x02, 0x5e, 0x7f, 0x01,
        0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01, 0x0a, 0x07, 0x01, 0x05, 0x01, 0x00, 0x64,
        0x00, 0x0b,
    };
    lw_error err;
    lw_module *m = lw_module_load(zero_locals, sizeof zero_locals, lw_features_all(), &err);
    ck_assert_msg(m != NULL, "load: %s", err.message);
    lw_module_free(m);
}
END_TEST

START_TEST(test_extended_const)
{
    bin b;
    lw_features ext = lw_features_wasm2() | LW_FEATURE(EXTENDED_CONST);
    build_sections(&b, "6:01 7f 00 41 01 41 02 6a 41 03 6c 0b");
    expect_result(&b, ext, NULL, "(1 + 2) * 3");
    expect_result(&b, lw_features_wasm2(),
                  "constant expression required (feature extended-const is disabled)",
                  "i32.add without extended-const");
    build_sections(&b, "6:01 7f 00 41 01 42 02 6a 0b");
    expect_result(&b, ext, "type mismatch", "i32.add of an i64");
    build_sections(&b, "6:01 7f 00 41 01 6a 0b");
    expect_result(&b, ext, "type mismatch", "i32.add of one value");
    build_sections(&b, "6:01 7e 00 42 01 42 02 7d 0b");
    expect_result(&b, ext, NULL, "i64.sub");
    build_sections(&b, "6:01 7f 00 41 01 41 02 6b 0b");
    expect_result(&b, ext, NULL, "i32.sub");
    build_sections(&b, "6:01 7f 00 41 01 41 02 6e 0b");
    expect_result(&b, ext, "constant expression required", "i32.div_u");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("validate");
    TCase *tc = tcase_create("bodies");
    tcase_add_loop_test(tc, test_body, 0, (int)COUNTOF(body_cases));
    tcase_add_test(tc, test_body_offset);
    tcase_add_test(tc, test_deep_nesting);
    tcase_add_test(tc, test_many_locals);
    suite_add_tcase(s, tc);
    tc = tcase_create("module");
    tcase_add_loop_test(tc, test_module, 0, (int)COUNTOF(module_cases));
    tcase_add_test(tc, test_module_offset);
    suite_add_tcase(s, tc);
    tc = tcase_create("memargs and constants");
    tcase_add_test(tc, test_memarg_memory_index);
    tcase_add_test(tc, test_memarg_offset_range);
    tcase_add_test(tc, test_memory64_types);
    tcase_add_test(tc, test_lanes_from_table);
    tcase_add_test(tc, test_extended_const);
    tcase_add_test(tc, test_nothing_allocated_yet);
    suite_add_tcase(s, tc);
    tc = tcase_create("features");
    tcase_add_test(tc, test_feature_simd);
    tcase_add_test(tc, test_feature_others);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
