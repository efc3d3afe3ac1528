/* Every instruction of the table, one at a time: its binary decodes and
 * validates, prints (the name appears), the printed form parses as text
 * to the same module bytes, and the function compiles and runs (a trap
 * is fine).  Operands come from the table's columns, so a new line in
 * opcodes.def is covered without a new test; only instructions the
 * validator types by hand (T_SPEC) have a body written here. */
#include "internal.h"
#include "unit.h"
#include "binbuild.h"

#include <inttypes.h>
#include <stdarg.h>

/* Bodies for the instructions typed by hand: what comes before and after
 * the instruction, and the instruction itself, as hex.  The module has a
 * funcref table, a memory, a tag without values, a mutable i32 global, a
 * passive element segment holding function 1, a passive data segment,
 * local 0 (i32), and types 1 to 4 for GC: a struct of a mutable i32 and a
 * mutable i8, arrays of mutable i32, i8 and funcref. */
typedef struct {
    uint16_t op;
    const char *body;
} spec_case;

static const spec_case spec_cases[] = {
    {OP_UNREACHABLE, "00"},
    {OP_NOP, "01"},
    {OP_BLOCK, "02 40 0b"},
    {OP_LOOP, "03 40 0b"},
    {OP_IF, "41 00 04 40 0b"},
    {OP_ELSE, "41 00 04 40 05 01 0b"},   /* the text parser drops an empty else */
    {OP_END, "01"},
    {OP_BR, "02 40 0c 00 0b"},
    {OP_BR_IF, "02 40 41 00 0d 00 0b"},
    {OP_BR_TABLE, "02 40 41 00 0e 01 00 00 0b"},
    {OP_RETURN, "0f"},
    {OP_CALL, "10 01"},
    {OP_CALL_INDIRECT, "41 00 11 00 00"},
    {OP_RETURN_CALL, "12 01"},
    {OP_RETURN_CALL_INDIRECT, "41 00 13 00 00"},
    {OP_REF_NULL, "d0 70 1a"},
    {OP_REF_IS_NULL, "d0 6f d1 1a"},
    {OP_REF_FUNC, "d2 01 1a"},
    {OP_REF_AS_NON_NULL, "d2 01 d4 1a"},
    {OP_CALL_REF, "d2 01 14 00"},
    {OP_RETURN_CALL_REF, "d2 01 15 00"},
    {OP_BR_ON_NULL, "02 40 d0 70 d5 00 1a 0b"},
    {OP_BR_ON_NON_NULL, "02 70 d0 70 d6 00 d0 70 0b 1a"},
    {OP_DROP, "41 00 1a"},
    {OP_SELECT, "41 00 41 00 41 00 1b 1a"},
    {OP_SELECT_T, "41 00 41 00 41 00 1c 01 7f 1a"},
    {OP_LOCAL_GET, "20 00 1a"},
    {OP_LOCAL_SET, "41 00 21 00"},
    {OP_LOCAL_TEE, "41 00 22 00 1a"},
    {OP_GLOBAL_GET, "23 00 1a"},
    {OP_GLOBAL_SET, "41 00 24 00"},
    {OP_TABLE_GET, "41 00 25 00 1a"},
    {OP_TABLE_SET, "41 00 d0 70 26 00"},
    {OP_TABLE_INIT, "41 00 41 00 41 00 fc 0c 00 00"},
    {OP_ELEM_DROP, "fc 0d 00"},
    {OP_TABLE_COPY, "41 00 41 00 41 00 fc 0e 00 00"},
    {OP_TABLE_GROW, "d0 70 41 00 fc 0f 00 1a"},
    {OP_TABLE_SIZE, "fc 10 00 1a"},
    {OP_TABLE_FILL, "41 00 d0 70 41 00 fc 11 00"},
    {OP_MEMORY_SIZE, "3f 00 1a"},
    {OP_MEMORY_GROW, "41 00 40 00 1a"},
    {OP_MEMORY_INIT, "41 00 41 00 41 00 fc 08 00 00"},
    {OP_DATA_DROP, "fc 09 00"},
    {OP_MEMORY_COPY, "41 00 41 00 41 00 fc 0a 00 00"},
    {OP_MEMORY_FILL, "41 00 41 00 41 00 fc 0b 00"},
    {OP_THROW, "08 00"},
    {OP_THROW_REF, "00 0a"},
    {OP_TRY_TABLE, "02 40 1f 40 01 00 00 00 0b 0b"},
    {OP_TRY, "06 40 0b"},
    {OP_CATCH, "06 40 07 00 0b"},
    {OP_CATCH_ALL, "06 40 19 0b"},
    {OP_DELEGATE, "06 40 18 00"},
    {OP_RETHROW, "06 40 19 09 00 0b"},
    {OP_REF_EQ, "d0 6d d0 6d d3 1a"},
    {OP_STRUCT_NEW, "41 00 41 00 fb 00 01 1a"},
    {OP_STRUCT_NEW_DEFAULT, "fb 01 01 1a"},
    {OP_STRUCT_GET, "fb 01 01 fb 02 01 00 1a"},
    {OP_STRUCT_GET_S, "fb 01 01 fb 03 01 01 1a"},
    {OP_STRUCT_GET_U, "fb 01 01 fb 04 01 01 1a"},
    {OP_STRUCT_SET, "fb 01 01 41 00 fb 05 01 00"},
    {OP_ARRAY_NEW, "41 00 41 01 fb 06 02 1a"},
    {OP_ARRAY_NEW_DEFAULT, "41 01 fb 07 02 1a"},
    {OP_ARRAY_NEW_FIXED, "41 00 41 00 fb 08 02 02 1a"},
    {OP_ARRAY_NEW_DATA, "41 00 41 00 fb 09 02 00 1a"},
    {OP_ARRAY_NEW_ELEM, "41 00 41 00 fb 0a 04 00 1a"},
    {OP_ARRAY_GET, "41 01 fb 07 02 41 00 fb 0b 02 1a"},
    {OP_ARRAY_GET_S, "41 01 fb 07 03 41 00 fb 0c 03 1a"},
    {OP_ARRAY_GET_U, "41 01 fb 07 03 41 00 fb 0d 03 1a"},
    {OP_ARRAY_SET, "41 01 fb 07 02 41 00 41 00 fb 0e 02"},
    {OP_ARRAY_LEN, "41 01 fb 07 02 fb 0f 1a"},
    {OP_ARRAY_FILL, "41 01 fb 07 02 41 00 41 00 41 01 fb 10 02"},
    {OP_ARRAY_COPY, "41 01 fb 07 02 41 00 41 01 fb 07 02 41 00 41 01 fb 11 02 02"},
    {OP_ARRAY_INIT_DATA, "41 01 fb 07 02 41 00 41 00 41 00 fb 12 02 00"},
    {OP_ARRAY_INIT_ELEM, "41 01 fb 07 04 41 00 41 00 41 01 fb 13 04 00"},
    {OP_REF_TEST, "d0 6e fb 14 6c 1a"},
    {OP_REF_TEST_NULL, "d0 6e fb 15 6c 1a"},
    {OP_REF_CAST, "41 00 fb 1c fb 16 6c 1a"},
    {OP_REF_CAST_NULL, "d0 6e fb 17 6c 1a"},
    {OP_BR_ON_CAST, "02 6e d0 6e fb 18 01 00 6e 6c 0b 1a"},
    {OP_BR_ON_CAST_FAIL, "02 6e d0 6e fb 19 01 00 6e 6c 0b 1a"},
    {OP_ANY_CONVERT_EXTERN, "d0 6f fb 1a 1a"},
    {OP_EXTERN_CONVERT_ANY, "d0 6e fb 1b 1a"},
    {OP_REF_I31, "41 00 fb 1c 1a"},
    {OP_I31_GET_S, "41 00 fb 1c fb 1d 1a"},
    {OP_I31_GET_U, "41 00 fb 1c fb 1e 1a"},
};

static const char *spec_body(uint16_t op)
{
    for (size_t i = 0; i < COUNTOF(spec_cases); i++)
        if (spec_cases[i].op == op)
            return spec_cases[i].body;
    return NULL;
}

/* An operand of type t: a zero constant (the address 0 for T_ADDR). */
static void push_zero(bin *b, uint8_t t)
{
    switch (t) {
    case T_ADDR: case T_I32: b_hex(b, "41 00"); break;
    case T_I64: b_hex(b, "42 00"); break;
    case T_F32: b_hex(b, "43 00 00 00 00"); break;
    case T_F64: b_hex(b, "44 00 00 00 00 00 00 00 00"); break;
    case T_V128: b_hex(b, "fd 0c"); b_raw(b, (uint8_t[16]){0}, 16); break;
    default: ck_abort_msg("operand type 0x%02x", t);
    }
}

/* Immediates of a table-typed instruction: natural alignment, offset,
 * lane and constants 0. */
static void imm_zero(bin *b, const wasm_opinfo *o)
{
    switch (o->imm) {
    case IMM_NONE: break;
    case IMM_MEMARG: b_byte(b, o->align); b_byte(b, 0); break;
    case IMM_MEMARG_LANE: b_byte(b, o->align); b_byte(b, 0); b_byte(b, 0); break;
    case IMM_I32: case IMM_I64: case IMM_LANE: case IMM_ZERO: b_byte(b, 0); break;
    case IMM_F32: b_raw(b, (uint8_t[4]){0}, 4); break;
    case IMM_F64: b_raw(b, (uint8_t[8]){0}, 8); break;
    case IMM_V128: case IMM_SHUFFLE: b_raw(b, (uint8_t[16]){0}, 16); break;
    default: ck_abort_msg("%s: immediate kind %u", o->name, o->imm);
    }
}

/* The instructions of function 0 for op, without the final end. */
static void op_body(bin *b, uint16_t op)
{
    const wasm_opinfo *o = &wasm_opinfo_table[op];
    const char *hand = spec_body(op);
    if (o->operands[0] == T_SPEC) {
        ck_assert_msg(hand != NULL, "%s: typed by hand, needs a body here", o->name);
        b_hex(b, hand);
        return;
    }
    for (int i = 0; i < 3 && o->operands[i]; i++)
        push_zero(b, o->operands[i]);
    if (o->prefix) {
        b_byte(b, o->prefix);
        b_u32(b, o->code);
    } else {
        b_byte(b, (uint8_t)o->code);
    }
    imm_zero(b, o);
    if (o->result)
        b_byte(b, 0x1a);
}

static void section(bin *b, uint8_t id, const bin *payload)
{
    b_byte(b, id);
    b_u32(b, (uint32_t)payload->n);
    b_raw(b, payload->d, payload->n);
}

static void section_hex(bin *b, uint8_t id, const char *hex)
{
    bin p = {{0}, 0};
    b_hex(&p, hex);
    section(b, id, &p);
}

static bool uses_data(uint16_t op)
{
    return op == OP_MEMORY_INIT || op == OP_DATA_DROP || op == OP_ARRAY_NEW_DATA ||
           op == OP_ARRAY_INIT_DATA;
}

/* Function 0: one i32 local and op's body; with `callee`, function 1
 * (empty) follows. */
static void code_section(bin *b, uint16_t op, bool callee)
{
    bin body = {{0}, 0}, code = {{0}, 0};
    b_hex(&body, "01 01 7f");
    op_body(&body, op);
    b_byte(&body, 0x0b);
    b_byte(&code, callee ? 2 : 1);
    b_u32(&code, (uint32_t)body.n);
    b_raw(&code, body.d, body.n);
    if (callee)
        b_hex(&code, "02 00 0b");
    section(b, 10, &code);
}

/* The fixture module around op's body, in the binary format. */
static void op_module(bin *b, uint16_t op)
{
    b->n = 0;
    b_hex(b, "00 61 73 6d 01 00 00 00");
    section_hex(b, 1, "05 60 00 00 5f 02 7f 01 78 01 5e 7f 01 5e 78 01 5e 70 01");
    section_hex(b, 3, "02 00 00");
    section_hex(b, 4, "01 70 00 01");
    section_hex(b, 5, "01 00 01");
    section_hex(b, 13, "01 00 00");
    section_hex(b, 6, "01 7f 01 41 00 0b");
    section_hex(b, 7, "01 01 66 00 00");
    section_hex(b, 9, "01 01 00 01 01");
    if (uses_data(op))
        section_hex(b, 12, "01");
    code_section(b, op, true);
    section_hex(b, 11, "01 01 01 78");
}

/* ---- the printed form as text ------------------------------------------ */

typedef struct {
    char *s;
    size_t len, cap;
} text;

static void tx_add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void tx_add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    ck_assert(n >= 0 && (size_t)n < sizeof tmp);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = 2 * (t->len + (size_t)n + 1);
        t->s = realloc(t->s, t->cap);
        ck_assert_ptr_nonnull(t->s);
    }
    memcpy(t->s + t->len, tmp, (size_t)n + 1);
    t->len += (size_t)n;
}

/* wasm-objdump's immediates where the text format spells them otherwise:
 * memargs as offset= and align=, v128 with a shape, shuffle lanes one by
 * one, typed select's result, no memory index in Wasm 2.0, and
 * return_call_indirect's type before its table. */
static void line_as_text(text *t, const lw_instr_line *line)
{
    uint16_t op = wasm_op_by_name(line->text, strcspn(line->text, " "));
    if (op == OP_SELECT && line->bytes[0] == 0x1c)
        op = OP_SELECT_T;
    ck_assert_msg(op != OP_COUNT, "printed \"%s\"", line->text);
    const wasm_opinfo *o = &wasm_opinfo_table[op];
    const char *rest = line->text + strlen(o->name);
    unsigned align, lane = 0;
    uint64_t offset;
    uint32_t w[4];
    switch (o->imm) {
    case IMM_MEMARG: case IMM_MEMARG_LANE:
        ck_assert_int_ge(sscanf(rest, " %u %" SCNu64 " %u", &align, &offset, &lane), 2);
        tx_add(t, "%s offset=%" PRIu64 " align=%u", o->name, offset, 1u << align);
        if (o->imm == IMM_MEMARG_LANE)
            tx_add(t, " %u", lane);
        break;
    case IMM_V128:
        tx_add(t, "%s i32x4%s", o->name, rest);
        break;
    case IMM_SHUFFLE:
        ck_assert_int_eq(sscanf(rest, " %x %x %x %x", &w[0], &w[1], &w[2], &w[3]), 4);
        tx_add(t, "%s", o->name);
        for (int i = 0; i < 16; i++)
            tx_add(t, " %u", (w[i / 4] >> (8 * (i % 4))) & 0xff);
        break;
    case IMM_SELECT_T:
        tx_add(t, "select (result%s)", rest);
        break;
    case IMM_BLOCK:
        tx_add(t, *rest ? "%s (result%s)" : "%s%s", o->name, rest);
        break;
    case IMM_MEMORY: case IMM_MEMORY_MEMORY: case IMM_ZERO:
        tx_add(t, "%s", o->name);
        break;
    case IMM_DATA_MEMORY:
        tx_add(t, "%s %u", o->name, (unsigned)strtoul(rest, NULL, 10));
        break;
    case IMM_CALL_INDIRECT:
        if (op == OP_RETURN_CALL_INDIRECT) {   /* wabt's "TYPE TABLE" */
            ck_assert_int_eq(sscanf(rest, " %u %u", &w[0], &w[1]), 2);
            tx_add(t, "%s %u (type %u)", o->name, w[1], w[0]);
            break;
        }
        tx_add(t, "%s", line->text);
        break;
    default:
        tx_add(t, "%s", line->text);
        break;
    }
    tx_add(t, "\n");
}

/* Prints function 0's body; returns the text module of the same shape,
 * malloc'ed.  The printed lines must include op's name. */
static char *print_as_module(const lw_module *m, uint16_t op)
{
    const lw_expr *e = &m->codes[0].body;
    text t = {0};
    tx_add(&t, "(module\n  (type (func))\n  (type (struct (field (mut i32)) (field (mut i8))))\n"
               "  (type (array (mut i32)))\n  (type (array (mut i8)))\n"
               "  (type (array (mut funcref)))\n"
               "  (func (export \"f\") (type 0) (local i32)\n");
    lw_instr_iter it;
    lw_instr_iter_init(&it, e->code, e->len, e->offset);
    lw_instr_line line;
    lw_error err;
    bool seen = false;
    int rc;
    while ((rc = lw_instr_iter_next(&it, &line, &err)) == 1) {
        seen |= strncmp(line.text, wasm_opinfo_table[op].name,
                        strlen(wasm_opinfo_table[op].name)) == 0;
        if (it.p < it.end)          /* the body's own end is not text */
            line_as_text(&t, &line);
    }
    lw_instr_iter_free(&it);
    ck_assert_msg(rc == 0, "print: %s", err.message);
    ck_assert_msg(seen, "%s not printed", wasm_opinfo_table[op].name);
    tx_add(&t, "  )\n  (func (type 0))\n  (table 1 funcref)\n  (memory 1)\n  (tag)\n"
               "  (global (mut i32) (i32.const 0))\n  (elem func 1)\n  (data \"x\"))\n");
    return t.s;
}

/* ---- the chain ----------------------------------------------------------- */

static void encode(const lw_module *m, uint8_t **out, size_t *len)
{
    lw_error err;
    ck_assert_msg(lw_module_encode(m, out, len, &err) == 0, "encode: %s", err.message);
}

/* Compiles at the first call; a trap (unreachable, a zero divisor) or an
 * uncaught exception is an answer too, any other failure is not. */
static void run(const lw_module *m, const char *name)
{
    lw_error err;
    lw_store *s = lw_store_new(NULL);
    ck_assert_ptr_nonnull(s);
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    ck_assert_msg(inst != NULL, "%s: instantiate: %s", name, err.message);
    lw_extern f;
    ck_assert(lw_instance_export(inst, "f", &f));
    if (lw_func_call(s, f.of.func, NULL, 0, NULL, 0, &err) < 0)
        ck_assert_msg(err.kind == LW_ERR_TRAP || err.kind == LW_ERR_EXCEPTION,
                      "%s: call: %s", name, err.message);
    lw_store_free(s);
}

static bool op_implemented(uint16_t op)
{
    lw_features f = wasm_opinfo_table[op].feature;
    return f == 0 || lw_feature_implemented((unsigned)__builtin_ctz(f));
}

START_TEST(test_every_instruction)
{
    uint16_t op = (uint16_t)_i;
    const char *name = wasm_opinfo_table[op].name;
    if (!op_implemented(op)) {
        printf("SKIP: %s: feature %s is not implemented\n", name,
               lw_feature_name((unsigned)__builtin_ctz(wasm_opinfo_table[op].feature)));
        return;
    }
    lw_features features = lw_features_all();
    static bin b;
    op_module(&b, op);
    lw_error err;
    lw_module *bm = lw_module_decode(b.d, b.n, features, &err);
    ck_assert_msg(bm != NULL, "%s: decode: %s", name, err.message);
    ck_assert_msg(lw_module_validate(bm, &err) == 0, "%s: validate: %s", name, err.message);

    char *src = print_as_module(bm, op);
    lw_module *tm = lw_module_parse_text(src, strlen(src), features, &err);
    ck_assert_msg(tm != NULL, "%s: parse: %s\n%s", name, err.message, src);
    ck_assert_msg(lw_module_validate(tm, &err) == 0, "%s: validate text: %s", name, err.message);

    uint8_t *be, *te;
    size_t bn, tn;
    encode(bm, &be, &bn);
    encode(tm, &te, &tn);
    ck_assert_msg(bn == tn && memcmp(be, te, bn) == 0, "%s: text encodes otherwise\n%s",
                  name, src);
    run(bm, name);
    free(be);
    free(te);
    free(src);
    lw_module_free(tm);
    lw_module_free(bm);
}
END_TEST

/* The module of op_module without the segments and the data count,
 * which need features of their own. */
static void op_module_bare(bin *b, uint16_t op)
{
    b->n = 0;
    b_hex(b, "00 61 73 6d 01 00 00 00");
    section_hex(b, 1, "01 60 00 00");
    section_hex(b, 3, "01 00");
    code_section(b, op, false);
}

/* With its feature off an instruction fails to decode, with the message
 * naming the feature (the first instruction of that feature in the body
 * may be an operand's). */
START_TEST(test_every_gate)
{
    uint16_t op = (uint16_t)_i;
    lw_features need = wasm_opinfo_table[op].feature;
    if (need == 0 || !op_implemented(op))
        return;
    static bin b;
    op_module_bare(&b, op);
    lw_error err;
    ck_assert_ptr_null(lw_module_decode(b.d, b.n, lw_features_all() & ~need, &err));
    char want[96];
    snprintf(want, sizeof want, "(feature %s is disabled)",
             lw_feature_name((unsigned)__builtin_ctz(need)));
    /* GC's operands and block types may be GC's abstract references,
     * malformed without it. */
    bool gc_heap = need == LW_FEATURE(GC) && (strcmp(err.message, "malformed heap type") == 0 ||
                                              strcmp(err.message, "malformed value type") == 0);
    ck_assert_msg(gc_heap || (strncmp(err.message, "illegal opcode ", 15) == 0 &&
                              strstr(err.message, want)),
                  "%s: got \"%s\"", wasm_opinfo_table[op].name, err.message);
}
END_TEST

/* Every hand-typed instruction has a body here, and nothing else does. */
START_TEST(test_spec_cases_match_table)
{
    for (size_t i = 0; i < COUNTOF(spec_cases); i++)
        ck_assert_msg(wasm_opinfo_table[spec_cases[i].op].operands[0] == T_SPEC,
                      "%s", wasm_opinfo_table[spec_cases[i].op].name);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("optable");
    TCase *tc = tcase_create("optable");
    tcase_add_loop_test(tc, test_every_instruction, 0, OP_COUNT);
    tcase_add_loop_test(tc, test_every_gate, 0, OP_COUNT);
    tcase_add_test(tc, test_spec_cases_match_table);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
