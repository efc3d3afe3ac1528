/* The .wast script parser: every command kind, actions and expectations. */
#include "unit.h"
#include "libwasm-tools.h"

#include <string.h>

static lw_script *parse(const char *src)
{
    lw_error err;
    lw_script *s = lw_script_parse(src, strlen(src), &err);
    ck_assert_msg(s != NULL, "%u:%u: %s", err.line, err.column, err.message);
    return s;
}

static void parse_fails(const char *src, const char *msg, uint32_t line, uint32_t col)
{
    lw_error err;
    lw_script *s = lw_script_parse(src, strlen(src), &err);
    ck_assert_msg(s == NULL, "%s: parsed", src);
    ck_assert_msg(strstr(err.message, msg) != NULL, "%s: got %s", src, err.message);
    ck_assert_uint_eq(err.line, line);
    ck_assert_uint_eq(err.column, col);
}

START_TEST(modules)
{
    lw_script *s = parse("(module $A (func))\n"
                         "(module binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
                         "(module $Q quote \"(func\" \" (nop))\")\n"
                         "(register \"a\" $A)\n"
                         "(register \"b\\00c\")\n");
    ck_assert_uint_eq(s->ncommands, 5);
    const lw_command *c = s->commands;
    ck_assert_uint_eq(c[0].kind, LW_CMD_MODULE);
    ck_assert(c[0].has_module);
    ck_assert_uint_eq(c[0].module.kind, LW_MODSRC_TEXT);
    ck_assert_str_eq(c[0].module.name, "$A");
    ck_assert_uint_eq(c[0].module.len, strlen("(module $A (func))"));
    ck_assert(memcmp(c[0].module.src, "(module $A (func))", c[0].module.len) == 0);
    ck_assert_uint_eq(c[1].module.kind, LW_MODSRC_BINARY);
    ck_assert_uint_eq(c[1].module.len, 8);
    ck_assert(memcmp(c[1].module.src, "\0asm\1\0\0\0", 8) == 0);
    ck_assert_uint_eq(c[1].line, 2);
    ck_assert_ptr_null(c[1].module.name);
    ck_assert_uint_eq(c[2].module.kind, LW_MODSRC_QUOTE);
    ck_assert_str_eq(c[2].module.src, "(func (nop))");
    ck_assert_uint_eq(c[3].kind, LW_CMD_REGISTER);
    ck_assert_str_eq(c[3].register_name, "a");
    ck_assert_uint_eq(c[3].register_name_len, 1);
    ck_assert_uint_eq(c[4].register_name_len, 3);
    ck_assert(memcmp(c[4].register_name, "b\0c", 3) == 0);
    ck_assert_str_eq(c[3].register_module, "$A");
    ck_assert_ptr_null(c[4].register_module);
    lw_script_free(s);
}
END_TEST

/* (module definition ...) is kept as the module without the keyword, and
 * marked: the runner validates it and does not instantiate it. */
START_TEST(module_definition)
{
    lw_script *s = parse("(module definition $D (memory i64 1))\n"
                         "(module definition binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
                         "(module (func))\n");
    ck_assert_uint_eq(s->ncommands, 3);
    const lw_command *c = s->commands;
    ck_assert(c[0].module.definition);
    ck_assert_str_eq(c[0].module.name, "$D");
    const char *want = "(module $D (memory i64 1))";
    ck_assert_uint_eq(c[0].module.len, strlen(want));
    ck_assert(memcmp(c[0].module.src, want, c[0].module.len) == 0);
    ck_assert(c[1].module.definition);
    ck_assert_uint_eq(c[1].module.kind, LW_MODSRC_BINARY);
    ck_assert_uint_eq(c[1].module.len, 8);
    ck_assert(!c[2].module.definition);
    lw_script_free(s);
}
END_TEST

/* (module instance $I $D) is a command of its own, with no module text. */
START_TEST(module_instance)
{
    lw_script *s = parse("(module definition $D (func))\n"
                         "(module instance $I $D)\n"
                         "(module instance)\n");
    ck_assert_uint_eq(s->ncommands, 3);
    const lw_command *c = s->commands;
    ck_assert_uint_eq(c[1].kind, LW_CMD_INSTANCE);
    ck_assert(!c[1].has_module);
    ck_assert_str_eq(c[1].instance_name, "$I");
    ck_assert_str_eq(c[1].instance_of, "$D");
    ck_assert_uint_eq(c[2].kind, LW_CMD_INSTANCE);
    ck_assert_ptr_null(c[2].instance_name);
    ck_assert_ptr_null(c[2].instance_of);
    lw_script_free(s);
}
END_TEST

START_TEST(actions)
{
    lw_script *s = parse("(invoke \"f\" (i32.const -1) (i64.const 0x10) (f32.const -0.5)"
                         " (f64.const nan:0x1) (ref.null extern) (ref.extern 7) (ref.null func))\n"
                         "(get $M \"g\")\n"
                         "(invoke $M \"\\u{263a}\" (v128.const i32x4 1 2 3 -1))");
    const lw_command *c = s->commands;
    ck_assert_uint_eq(c[0].kind, LW_CMD_ACTION);
    ck_assert_uint_eq(c[0].action.kind, LW_ACTION_INVOKE);
    ck_assert_ptr_null(c[0].action.module);
    ck_assert_str_eq(c[0].action.name, "f");
    ck_assert_uint_eq(c[0].action.nargs, 7);
    const lw_val *a = c[0].action.args;
    ck_assert(a[0].type == LW_I32 && a[0].of.i32 == -1);
    ck_assert(a[1].type == LW_I64 && a[1].of.i64 == 16);
    ck_assert(a[2].type == LW_F32 && a[2].of.f32 == 0xbf000000);
    ck_assert(a[3].type == LW_F64 && a[3].of.f64 == 0x7ff0000000000001);
    ck_assert(a[4].type == LW_EXTERNREF && a[4].of.ref == LW_REF_NULL);
    ck_assert(a[5].type == LW_EXTERNREF && a[5].of.ref == (void *)(uintptr_t)8);
    ck_assert(a[6].type == LW_FUNCREF && a[6].of.func == NULL);
    ck_assert_uint_eq(c[1].action.kind, LW_ACTION_GET);
    ck_assert_str_eq(c[1].action.module, "$M");
    ck_assert_str_eq(c[2].action.name, "\xe2\x98\xba");
    ck_assert_uint_eq(c[2].action.args[0].of.v128[12], 0xff);
    ck_assert_uint_eq(c[2].action.args[0].of.v128[4], 2);
    lw_script_free(s);
}
END_TEST

START_TEST(assert_return)
{
    lw_script *s = parse("(assert_return (invoke \"f\") (i32.const 1) (f32.const nan:canonical)"
                         " (f64.const nan:arithmetic) (ref.null func) (ref.extern 3) (ref.func)"
                         " (v128.const f32x4 1 nan:canonical -0 nan:arithmetic)"
                         " (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))\n"
                         "(assert_return (get \"g\"))");
    const lw_command *c = &s->commands[0];
    ck_assert_uint_eq(c->kind, LW_CMD_ASSERT_RETURN);
    ck_assert(c->has_action);
    ck_assert_uint_eq(c->nexpect, 8);
    const lw_expect *e = c->expect;
    ck_assert(e[0].kind == LW_EXPECT_VALUE && e[0].val.of.i32 == 1);
    ck_assert(e[1].kind == LW_EXPECT_NAN_CANONICAL && e[1].val.type == LW_F32);
    ck_assert(e[2].kind == LW_EXPECT_NAN_ARITHMETIC && e[2].val.type == LW_F64);
    ck_assert(e[3].kind == LW_EXPECT_REF_NULL && e[3].val.type == LW_FUNCREF);
    ck_assert(e[4].kind == LW_EXPECT_REF_EXTERN && e[4].val.of.ref == (void *)(uintptr_t)4);
    ck_assert(e[5].kind == LW_EXPECT_REF_FUNC);
    ck_assert_uint_eq(e[6].nlanes, 4);
    ck_assert_uint_eq(e[6].lane_float, 32);
    ck_assert_uint_eq(e[6].lanes[0], LW_EXPECT_VALUE);
    ck_assert_uint_eq(e[6].lanes[1], LW_EXPECT_NAN_CANONICAL);
    ck_assert_uint_eq(e[6].lanes[3], LW_EXPECT_NAN_ARITHMETIC);
    ck_assert_uint_eq(e[6].val.of.v128[3], 0x3f);
    ck_assert_uint_eq(e[6].val.of.v128[11], 0x80);
    ck_assert_uint_eq(e[7].nlanes, 0);
    ck_assert_uint_eq(e[7].val.of.v128[15], 16);
    ck_assert_uint_eq(s->commands[1].nexpect, 0);
    ck_assert_uint_eq(s->commands[1].action.kind, LW_ACTION_GET);
    lw_script_free(s);
}
END_TEST

START_TEST(either)
{
    lw_script *s = parse("(assert_return (invoke \"f\") (i32.const 7)"
                         " (either (i32.const 1) (f32.const nan:canonical) (ref.null extern)))");
    const lw_command *c = &s->commands[0];
    ck_assert_uint_eq(c->nexpect, 2);
    ck_assert_uint_eq(c->expect[0].kind, LW_EXPECT_VALUE);
    const lw_expect *e = &c->expect[1];
    ck_assert_uint_eq(e->kind, LW_EXPECT_EITHER);
    ck_assert_uint_eq(e->nalts, 3);
    ck_assert(e->alts[0].kind == LW_EXPECT_VALUE && e->alts[0].val.of.i32 == 1);
    ck_assert(e->alts[1].kind == LW_EXPECT_NAN_CANONICAL && e->alts[1].val.type == LW_F32);
    ck_assert(e->alts[2].kind == LW_EXPECT_REF_NULL && e->alts[2].val.type == LW_EXTERNREF);
    lw_script_free(s);
}
END_TEST

START_TEST(assertions)
{
    lw_script *s = parse("(assert_trap (invoke \"t\") \"unreachable\")\n"
                         "(assert_trap (module (start 0) (func unreachable)) \"unreachable\")\n"
                         "(assert_exhaustion (invoke \"r\" (i32.const 0)) \"call stack exhausted\")\n"
                         "(assert_invalid (module (func (result i32))) \"type mismatch\")\n"
                         "(assert_malformed (module quote \"(func\") \"unexpected end\")\n"
                         "(assert_unlinkable (module (import \"x\" \"y\" (func))) \"unknown import\")\n"
                         "(assert_uninstantiable (module binary \"\") \"out of bounds\")\n");
    const lw_command *c = s->commands;
    ck_assert_uint_eq(s->ncommands, 7);
    ck_assert(c[0].kind == LW_CMD_ASSERT_TRAP && c[0].has_action && !c[0].has_module);
    ck_assert_str_eq(c[0].text, "unreachable");
    ck_assert(c[1].kind == LW_CMD_ASSERT_TRAP && c[1].has_module && !c[1].has_action);
    ck_assert_uint_eq(c[1].module.line, 2);
    ck_assert(c[2].kind == LW_CMD_ASSERT_EXHAUSTION && c[2].action.nargs == 1);
    ck_assert_str_eq(c[2].text, "call stack exhausted");
    ck_assert(c[3].kind == LW_CMD_ASSERT_INVALID && c[3].has_module);
    ck_assert_str_eq(c[3].text, "type mismatch");
    ck_assert(c[4].kind == LW_CMD_ASSERT_MALFORMED && c[4].module.kind == LW_MODSRC_QUOTE);
    ck_assert_str_eq(c[4].module.src, "(func");
    ck_assert(c[5].kind == LW_CMD_ASSERT_UNLINKABLE);
    ck_assert(c[6].kind == LW_CMD_ASSERT_UNINSTANTIABLE);
    ck_assert_uint_eq(c[6].module.len, 0);
    ck_assert_uint_eq(c[6].line, 7);
    lw_script_free(s);
}
END_TEST

START_TEST(bare_module_script)
{
    lw_script *s = parse("(func) (memory 0)\n(func (export \"f\"))\n");
    ck_assert_uint_eq(s->ncommands, 1);
    ck_assert_uint_eq(s->commands[0].kind, LW_CMD_MODULE);
    lw_error err;
    lw_module *m = lw_module_parse_text(s->commands[0].module.src, s->commands[0].module.len,
                                        lw_features_wasm2(), &err);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(m->ncodes, 2);
    lw_module_free(m);
    lw_script_free(s);
}
END_TEST

START_TEST(errors)
{
    parse_fails("(module (func)", "unexpected end", 1, 15);
    parse_fails("(assert_return (invoke \"f\") (i32.const 1x))", "unknown operator", 1, 40);
    parse_fails("(assert_return (invoke \"f\") (i32.const 4294967296))", "constant out of range", 1, 40);
    parse_fails("\n  (assert_frob)", "unknown command", 2, 4);
    parse_fails("(module instance $I $D extra)", "unexpected token", 1, 24);
    parse_fails("(invoke \"f\" (i32.add))", "unknown operator", 1, 14);
    parse_fails("(assert_return (invoke \"f\") (either (either (i32.const 1))))", "unknown operator", 1, 38);
    parse_fails("(assert_invalid (invoke \"f\") \"x\")", "unexpected token", 1, 17);
    parse_fails("(module quote \"\\x\")", "illegal escape", 1, 15);
    parse_fails("(; open", "unclosed comment", 1, 1);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("script");
    TCase *tc = tcase_create("script");
    tcase_add_test(tc, modules);
    tcase_add_test(tc, module_definition);
    tcase_add_test(tc, module_instance);
    tcase_add_test(tc, actions);
    tcase_add_test(tc, assert_return);
    tcase_add_test(tc, either);
    tcase_add_test(tc, assertions);
    tcase_add_test(tc, bare_module_script);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
