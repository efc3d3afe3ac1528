/* The .wast script language: modules kept as source, actions, assertions. */
#include "lex.h"

struct lw_script_priv {
    wasm_arena arena;
};

typedef struct {
    wasm_lexer lx;
    wasm_tok tok, next;
    lw_error *err;
    wasm_arena *arena;
} sc_parser;

static int sc_adv(sc_parser *p)
{
    p->tok = p->next;
    if (p->tok.kind == TOK_EOF)
        return 0;
    return wasm_lex_next(&p->lx, &p->next, p->err);
}

static int sc_unexpected(sc_parser *p)
{
    return wasm_tok_fail(p->err, &p->tok, "%s",
                         p->tok.kind == TOK_EOF ? "unexpected end"
                         : p->tok.kind == TOK_RESERVED ? wasm_tok_reserved(&p->tok)
                                                       : "unexpected token");
}

static bool sc_at(sc_parser *p, const char *keyword)
{
    return p->tok.kind == TOK_LPAR && wasm_tok_is(&p->next, keyword);
}

static int sc_rpar(sc_parser *p)
{
    return p->tok.kind == TOK_RPAR ? sc_adv(p) : sc_unexpected(p);
}

static int sc_open(sc_parser *p)
{
    return sc_adv(p) < 0 ? -1 : sc_adv(p);
}

/* A string token decoded into the arena, NUL-terminated. */
static int sc_string(sc_parser *p, const char **out, size_t *len)
{
    if (p->tok.kind != TOK_STRING)
        return sc_unexpected(p);
    wasm_buf b = {0};
    if (wasm_tok_string(&p->tok, &b, p->err) < 0) {
        wasm_buf_free(&b);
        return -1;
    }
    *out = wasm_arena_strndup(p->arena, b.data ? (const char *)b.data : "", b.len);
    if (len)
        *len = b.len;
    wasm_buf_free(&b);
    if (!*out)
        return wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
    return sc_adv(p);
}

/* Optional $id, kept with its "$". */
static int sc_opt_id(sc_parser *p, const char **out)
{
    *out = NULL;
    if (p->tok.kind != TOK_ID)
        return 0;
    *out = wasm_arena_strndup(p->arena, p->tok.s, p->tok.len);
    if (!*out)
        return wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
    return sc_adv(p);
}

/* Strings up to ")" concatenated (binary and quote modules). */
static int sc_strings(sc_parser *p, lw_script_module *mod)
{
    wasm_buf b = {0};
    while (p->tok.kind == TOK_STRING) {
        if (wasm_tok_string(&p->tok, &b, p->err) < 0 || sc_adv(p) < 0) {
            wasm_buf_free(&b);
            return -1;
        }
    }
    mod->src = wasm_arena_strndup(p->arena, b.data ? (const char *)b.data : "", b.len);
    mod->len = b.len;
    wasm_buf_free(&b);
    return mod->src ? 0 : wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
}

/* (module definition? $id? ...) | (module definition? $id? binary "..."*) |
 * (module definition? $id? quote "..."*); a definition's text is kept
 * without the keyword, as "(module $id? ...)". */
static int sc_module_rest(sc_parser *p, wasm_tok start, lw_script_module *mod)
{
    const char *rest = NULL;
    mod->line = start.line;
    if (wasm_tok_is(&p->tok, "definition")) {
        mod->definition = true;
        rest = p->tok.s + p->tok.len;
        if (sc_adv(p) < 0)
            return -1;
    }
    if (sc_opt_id(p, &mod->name) < 0)
        return -1;
    if (wasm_tok_is(&p->tok, "binary") || wasm_tok_is(&p->tok, "quote")) {
        mod->kind = wasm_tok_is(&p->tok, "binary") ? LW_MODSRC_BINARY : LW_MODSRC_QUOTE;
        if (sc_adv(p) < 0 || sc_strings(p, mod) < 0)
            return -1;
        return sc_rpar(p);
    }
    mod->kind = LW_MODSRC_TEXT;
    unsigned depth = 1;
    const char *end = NULL;
    while (depth > 0) {
        if (p->tok.kind == TOK_EOF)
            return sc_unexpected(p);
        if (p->tok.kind == TOK_LPAR)
            depth++;
        else if (p->tok.kind == TOK_RPAR && --depth == 0)
            end = p->tok.s + 1;
        if (sc_adv(p) < 0)
            return -1;
    }
    if (rest) {
        static const char head[] = "(module";
        size_t n = (size_t)(end - rest);
        char *src = wasm_arena_alloc(p->arena, sizeof head + n);
        if (!src)
            return wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
        memcpy(src, head, sizeof head - 1);
        memcpy(src + sizeof head - 1, rest, n);
        mod->src = src;
        mod->len = sizeof head - 1 + n;
        return 0;
    }
    mod->len = (size_t)(end - start.s);
    mod->src = wasm_arena_strndup(p->arena, start.s, mod->len);
    return mod->src ? 0 : wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
}

static int sc_module(sc_parser *p, lw_script_module *mod)
{
    wasm_tok start = p->tok;
    return sc_open(p) < 0 ? -1 : sc_module_rest(p, start, mod);
}

/* (module instance $id? $definition?) */
static int sc_instance(sc_parser *p, lw_command *c)
{
    c->kind = LW_CMD_INSTANCE;
    if (sc_adv(p) < 0 || sc_opt_id(p, &c->instance_name) < 0 ||
        sc_opt_id(p, &c->instance_of) < 0)
        return -1;
    return sc_rpar(p);
}

/* ---- values ---------------------------------------------------------- */

static int sc_num_fail(sc_parser *p, int rc)
{
    return wasm_tok_fail(p->err, &p->tok, rc == NUM_RANGE ? "constant out of range"
                                                          : "unknown operator");
}

static bool sc_nan_pattern(const wasm_tok *t, uint8_t *kind)
{
    if (wasm_tok_is(t, "nan:canonical"))
        *kind = LW_EXPECT_NAN_CANONICAL;
    else if (wasm_tok_is(t, "nan:arithmetic"))
        *kind = LW_EXPECT_NAN_ARITHMETIC;
    else
        return false;
    return true;
}

static int sc_scalar(sc_parser *p, unsigned bits, bool is_float, uint64_t *v)
{
    int rc;
    if (p->tok.kind != TOK_NUM && p->tok.kind != TOK_KEYWORD)
        return sc_unexpected(p);
    if (!is_float) {
        rc = wasm_parse_int(p->tok.s, p->tok.len, bits, v);
    } else if (bits == 32) {
        uint32_t f = 0;
        rc = wasm_parse_f32(p->tok.s, p->tok.len, &f);
        *v = f;
    } else {
        rc = wasm_parse_f64(p->tok.s, p->tok.len, v);
    }
    if (rc)
        return sc_num_fail(p, rc);
    return sc_adv(p);
}

/* v128.const shape lanes; nan patterns allowed in float lanes when e. */
static int sc_v128(sc_parser *p, lw_val *val, lw_expect *e)
{
    static const struct { const char *shape; unsigned lanes, bits; bool is_float; } shapes[] = {
        {"i8x16", 16, 8, false}, {"i16x8", 8, 16, false}, {"i32x4", 4, 32, false},
        {"i64x2", 2, 64, false}, {"f32x4", 4, 32, true}, {"f64x2", 2, 64, true},
    };
    size_t s = 0;
    while (s < COUNTOF(shapes) && !wasm_tok_is(&p->tok, shapes[s].shape))
        s++;
    if (s == COUNTOF(shapes))
        return sc_unexpected(p);
    if (sc_adv(p) < 0)
        return -1;
    unsigned bytes = shapes[s].bits / 8;
    if (e && shapes[s].is_float) {
        e->nlanes = (uint8_t)shapes[s].lanes;
        e->lane_float = (uint8_t)shapes[s].bits;
    }
    for (unsigned i = 0; i < shapes[s].lanes; i++) {
        uint64_t v = 0;
        uint8_t kind;
        if (e && shapes[s].is_float && sc_nan_pattern(&p->tok, &kind)) {
            e->lanes[i] = kind;
            if (sc_adv(p) < 0)
                return -1;
        } else if (sc_scalar(p, shapes[s].bits, shapes[s].is_float, &v) < 0) {
            return -1;
        }
        for (unsigned k = 0; k < bytes; k++)
            val->of.v128[i * bytes + k] = (uint8_t)(v >> (8 * k));
    }
    return 0;
}

/* (t.const ...), (ref.null t), (ref.extern N), (ref.func N?); e is set
 * for expectations, which may also be (ref.null) of any type. */
static int sc_value(sc_parser *p, lw_val *val, lw_expect *e)
{
    if (p->tok.kind != TOK_LPAR || sc_adv(p) < 0)
        return p->tok.kind != TOK_LPAR ? sc_unexpected(p) : -1;
    wasm_tok op = p->tok;
    if (sc_adv(p) < 0)
        return -1;
    uint64_t v = 0;
    uint8_t kind;
    if (wasm_tok_is(&op, "i32.const") || wasm_tok_is(&op, "i64.const")) {
        bool is64 = op.s[1] == '6';
        val->type = is64 ? LW_I64 : LW_I32;
        if (sc_scalar(p, is64 ? 64 : 32, false, &v) < 0)
            return -1;
        if (is64)
            val->of.i64 = (int64_t)v;
        else
            val->of.i32 = (int32_t)(uint32_t)v;
    } else if (wasm_tok_is(&op, "f32.const") || wasm_tok_is(&op, "f64.const")) {
        bool is64 = op.s[1] == '6';
        val->type = is64 ? LW_F64 : LW_F32;
        if (e && sc_nan_pattern(&p->tok, &kind)) {
            e->kind = kind;
            if (sc_adv(p) < 0)
                return -1;
        } else if (sc_scalar(p, is64 ? 64 : 32, true, &v) < 0) {
            return -1;
        }
        if (is64)
            val->of.f64 = v;
        else
            val->of.f32 = (uint32_t)v;
    } else if (wasm_tok_is(&op, "v128.const")) {
        val->type = LW_V128;
        if (sc_v128(p, val, e) < 0)
            return -1;
    } else if (wasm_tok_is(&op, "ref.null")) {
        if (e && p->tok.kind == TOK_RPAR) {
            /* An expectation without a heap type: null of any type. */
            val->type = 0;
            e->kind = LW_EXPECT_REF_NULL;
            return sc_rpar(p);
        }
        static const struct { const char *name; lw_heaptype ht; } heaps[] = {
            {"func", LW_HEAP_FUNC}, {"extern", LW_HEAP_EXTERN}, {"any", LW_HEAP_ANY},
            {"eq", LW_HEAP_EQ}, {"i31", LW_HEAP_I31}, {"struct", LW_HEAP_STRUCT},
            {"array", LW_HEAP_ARRAY}, {"none", LW_HEAP_NONE}, {"nofunc", LW_HEAP_NOFUNC},
            {"noextern", LW_HEAP_NOEXTERN}, {"exn", LW_HEAP_EXN}, {"noexn", LW_HEAP_NOEXN},
        };
        val->type = 0;
        for (size_t i = 0; i < COUNTOF(heaps); i++)
            if (wasm_tok_is(&p->tok, heaps[i].name))
                val->type = LW_REF(1, heaps[i].ht);
        if (!val->type)
            return sc_unexpected(p);
        if (e)
            e->kind = LW_EXPECT_REF_NULL;
        if (sc_adv(p) < 0)
            return -1;
    } else if (wasm_tok_is(&op, "ref.extern")) {
        val->type = LW_EXTERNREF;
        if (p->tok.kind == TOK_NUM) {
            if (wasm_parse_nat(p->tok.s, p->tok.len, UINT32_MAX, &v))
                return sc_num_fail(p, NUM_MALFORMED);
            val->of.ref = (void *)(uintptr_t)(v + 1);
            if (sc_adv(p) < 0)
                return -1;
        } else if (!e) {
            return sc_unexpected(p);
        }
        if (e)
            e->kind = LW_EXPECT_REF_EXTERN;
    } else if (wasm_tok_is(&op, "ref.host")) {
        val->type = LW_REF(0, LW_HEAP_ANY);
        if (p->tok.kind != TOK_NUM)
            return sc_unexpected(p);
        if (wasm_parse_nat(p->tok.s, p->tok.len, UINT32_MAX, &v))
            return sc_num_fail(p, NUM_MALFORMED);
        val->of.ref = (void *)(uintptr_t)(v + 1);
        if (sc_adv(p) < 0)
            return -1;
        if (e)
            e->kind = LW_EXPECT_REF_HOST;
    } else if (e && (wasm_tok_is(&op, "ref.struct") || wasm_tok_is(&op, "ref.array") ||
                     wasm_tok_is(&op, "ref.i31") || wasm_tok_is(&op, "ref.eq") ||
                     wasm_tok_is(&op, "ref.any"))) {
        static const struct { const char *name; lw_heaptype ht; } kinds[] = {
            {"ref.struct", LW_HEAP_STRUCT}, {"ref.array", LW_HEAP_ARRAY},
            {"ref.i31", LW_HEAP_I31}, {"ref.eq", LW_HEAP_EQ}, {"ref.any", LW_HEAP_ANY},
        };
        for (size_t i = 0; i < COUNTOF(kinds); i++)
            if (wasm_tok_is(&op, kinds[i].name))
                val->type = LW_REF(0, kinds[i].ht);
        e->kind = LW_EXPECT_REF_KIND;
    } else if (wasm_tok_is(&op, "ref.func") && e) {
        val->type = LW_FUNCREF;
        e->kind = LW_EXPECT_REF_FUNC;
        if (p->tok.kind == TOK_NUM && sc_adv(p) < 0)
            return -1;
    } else {
        return wasm_tok_fail(p->err, &op, "unknown operator");
    }
    return sc_rpar(p);
}

/* ---- commands --------------------------------------------------------- */

/* (invoke $m? "name" const*) | (get $m? "name") */
static int sc_action(sc_parser *p, lw_action *a)
{
    if (!sc_at(p, "invoke") && !sc_at(p, "get"))
        return sc_unexpected(p);
    a->kind = sc_at(p, "invoke") ? LW_ACTION_INVOKE : LW_ACTION_GET;
    size_t name_len = 0;
    if (sc_open(p) < 0 || sc_opt_id(p, &a->module) < 0 || sc_string(p, &a->name, &name_len) < 0)
        return -1;
    a->name_len = (uint32_t)name_len;
    lw_val args[64];
    uint32_t n = 0;
    while (p->tok.kind == TOK_LPAR) {
        if (n == COUNTOF(args))
            return wasm_tok_fail(p->err, &p->tok, "too many arguments");
        memset(&args[n], 0, sizeof args[n]);
        if (sc_value(p, &args[n++], NULL) < 0)
            return -1;
    }
    a->nargs = n;
    a->args = wasm_arena_memdup(p->arena, args, n * sizeof args[0]);
    if (!a->args)
        return wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
    return sc_rpar(p);
}

/* Results up to the closing parenthesis, into out[*n] (at most max);
 * (either r ...) is one result with alternatives, unless in_either. */
static int sc_results(sc_parser *p, lw_expect *out, uint32_t *n, uint32_t max, bool in_either)
{
    *n = 0;
    while (p->tok.kind == TOK_LPAR) {
        if (*n == max)
            return wasm_tok_fail(p->err, &p->tok, "too many results");
        lw_expect *e = &out[(*n)++];
        memset(e, 0, sizeof *e);
        if (!in_either && sc_at(p, "either")) {
            lw_expect alts[16];
            uint32_t nalts;
            if (sc_open(p) < 0 || sc_results(p, alts, &nalts, COUNTOF(alts), true) < 0 ||
                sc_rpar(p) < 0)
                return -1;
            e->kind = LW_EXPECT_EITHER;
            e->nalts = nalts;
            e->alts = wasm_arena_memdup(p->arena, alts, nalts * sizeof alts[0]);
            if (!e->alts)
                return wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
            continue;
        }
        if (sc_value(p, &e->val, e) < 0)
            return -1;
    }
    return 0;
}

static int sc_expects(sc_parser *p, lw_command *c)
{
    lw_expect ex[64];
    uint32_t n;
    if (sc_results(p, ex, &n, COUNTOF(ex), false) < 0)
        return -1;
    c->nexpect = n;
    c->expect = wasm_arena_memdup(p->arena, ex, n * sizeof ex[0]);
    return c->expect ? 0 : wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
}

static int sc_module_or_action(sc_parser *p, lw_command *c)
{
    if (sc_at(p, "module")) {
        c->has_module = true;
        return sc_module(p, &c->module);
    }
    c->has_action = true;
    return sc_action(p, &c->action);
}

static const struct {
    const char *name;
    uint8_t kind;
} sc_asserts[] = {
    {"assert_return", LW_CMD_ASSERT_RETURN},
    {"assert_trap", LW_CMD_ASSERT_TRAP},
    {"assert_exhaustion", LW_CMD_ASSERT_EXHAUSTION},
    {"assert_invalid", LW_CMD_ASSERT_INVALID},
    {"assert_malformed", LW_CMD_ASSERT_MALFORMED},
    {"assert_unlinkable", LW_CMD_ASSERT_UNLINKABLE},
    {"assert_uninstantiable", LW_CMD_ASSERT_UNINSTANTIABLE},
    {"assert_exception", LW_CMD_ASSERT_EXCEPTION},
    /* a module whose annotations of custom sections are malformed or
     * invalid, as the annotations feature reads them */
    {"assert_malformed_custom", LW_CMD_ASSERT_MALFORMED},
    {"assert_invalid_custom", LW_CMD_ASSERT_INVALID},
};

static int sc_assert(sc_parser *p, lw_command *c)
{
    if (sc_adv(p) < 0)
        return -1;
    int rc;
    switch (c->kind) {
    case LW_CMD_ASSERT_RETURN:
        c->has_action = true;
        if (sc_action(p, &c->action) < 0 || sc_expects(p, c) < 0)
            return -1;
        return sc_rpar(p);
    case LW_CMD_ASSERT_TRAP:
        rc = sc_module_or_action(p, c);
        break;
    case LW_CMD_ASSERT_EXHAUSTION:
        c->has_action = true;
        rc = sc_action(p, &c->action);
        break;
    case LW_CMD_ASSERT_EXCEPTION:
        c->has_action = true;
        return sc_action(p, &c->action) < 0 ? -1 : sc_rpar(p);
    default:
        if (!sc_at(p, "module"))
            return sc_unexpected(p);
        c->has_module = true;
        rc = sc_module(p, &c->module);
    }
    if (rc < 0 || sc_string(p, &c->text, NULL) < 0)
        return -1;
    return sc_rpar(p);
}

static int sc_command(sc_parser *p, lw_command *c)
{
    if (p->tok.kind != TOK_LPAR)
        return sc_unexpected(p);
    c->line = p->tok.line;
    if (sc_at(p, "module")) {
        wasm_tok start = p->tok;
        if (sc_open(p) < 0)
            return -1;
        if (wasm_tok_is(&p->tok, "instance"))
            return sc_instance(p, c);
        c->kind = LW_CMD_MODULE;
        c->has_module = true;
        return sc_module_rest(p, start, &c->module);
    }
    if (sc_at(p, "invoke") || sc_at(p, "get")) {
        c->kind = LW_CMD_ACTION;
        c->has_action = true;
        return sc_action(p, &c->action);
    }
    if (sc_at(p, "register")) {
        c->kind = LW_CMD_REGISTER;
        if (sc_open(p) < 0 ||
            sc_string(p, &c->register_name, &c->register_name_len) < 0 ||
            sc_opt_id(p, &c->register_module) < 0)
            return -1;
        return sc_rpar(p);
    }
    if (sc_adv(p) < 0)
        return -1;
    for (size_t i = 0; i < COUNTOF(sc_asserts); i++)
        if (wasm_tok_is(&p->tok, sc_asserts[i].name)) {
            c->kind = sc_asserts[i].kind;
            return sc_assert(p, c);
        }
    return p->tok.kind == TOK_KEYWORD ? wasm_tok_fail(p->err, &p->tok, "unknown command")
                                      : sc_unexpected(p);
}

/* A script that is a bare module's fields: one module command. */
static bool sc_is_inline_module(sc_parser *p)
{
    static const char *const fields[] = {"func", "memory", "type", "import", "export",
                                         "table", "global", "elem", "data", "start"};
    for (size_t i = 0; i < COUNTOF(fields); i++)
        if (sc_at(p, fields[i]))
            return true;
    return false;
}

static int sc_script(sc_parser *p, lw_script *s)
{
    if (sc_is_inline_module(p)) {
        lw_command *c = wasm_arena_alloc(p->arena, sizeof *c);
        if (!c)
            return wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
        c->kind = LW_CMD_MODULE;
        c->line = p->tok.line;
        c->has_module = true;
        c->module.line = p->tok.line;
        c->module.len = (size_t)(p->lx.end - p->tok.s);
        c->module.src = wasm_arena_strndup(p->arena, p->tok.s, c->module.len);
        s->ncommands = 1;
        s->commands = c;
        return c->module.src ? 0 : wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
    }
    lw_command *cmds = NULL;
    size_t cap = 0, n = 0;
    int rc = 0;
    while (rc == 0 && p->tok.kind != TOK_EOF) {
        if (wasm_vec_reserve((void **)&cmds, &cap, n + 1, sizeof *cmds) < 0) {
            rc = wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
            break;
        }
        memset(&cmds[n], 0, sizeof cmds[n]);
        rc = sc_command(p, &cmds[n++]);
    }
    if (rc == 0) {
        s->ncommands = (uint32_t)n;
        s->commands = wasm_arena_memdup(p->arena, cmds, n * sizeof *cmds);
        if (!s->commands)
            rc = wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
    }
    free(cmds);
    return rc;
}

lw_script *lw_script_parse(const char *text, size_t len, lw_error *err)
{
    lw_error_clear(err);
    lw_script *s = calloc(1, sizeof *s);
    struct lw_script_priv *priv = calloc(1, sizeof *priv);
    if (!s || !priv) {
        free(s);
        free(priv);
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        return NULL;
    }
    wasm_arena_init(&priv->arena);
    s->priv = priv;
    sc_parser p = {.err = err, .arena = &priv->arena};
    wasm_lex_init(&p.lx, text, len);
    p.lx.arena = &priv->arena;
    p.next.kind = TOK_LPAR;
    if (wasm_lex_next(&p.lx, &p.next, err) < 0 || sc_adv(&p) < 0 || sc_script(&p, s) < 0) {
        lw_script_free(s);
        return NULL;
    }
    return s;
}

void lw_script_free(lw_script *s)
{
    if (!s)
        return;
    if (s->priv) {
        wasm_arena_free(&s->priv->arena);
        free(s->priv);
    }
    free(s);
}
