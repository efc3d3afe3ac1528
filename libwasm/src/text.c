/* The text format (.wat): module fields into a lw_module.
 *
 * Two passes over the fields: the first binds every $name of the module's
 * index spaces and reads the explicit type definitions (so uses may come
 * before definitions); the second parses each field in full.  Bodies and
 * constant expressions become binary instruction bytes (textinstr.c). */
#include "text.h"

static const char *const tx_space_names[SP_COUNT] = {
    "func", "table", "memory", "global", "type", "elem", "data", "tag",
};
static const char *const tx_unknown_names[SP_COUNT] = {
    "function", "table", "memory", "global", "type", "elem segment", "data segment",
    "tag",
};

/* ---- tokens --------------------------------------------------------- */

int tx_adv(tx_parser *p)
{
    p->c.tok = p->c.next;
    if (p->c.tok.kind == TOK_EOF)
        return 0;
    return wasm_lex_next(&p->c.lx, &p->c.next, p->err);
}

int tx_fail(tx_parser *p, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return wasm_fail_pos(p->err, LW_ERR_MALFORMED, p->c.tok.line, p->c.tok.col,
                         "%s", msg);
}

/* Words of the text format that are not instructions or value types. */
static bool tx_known_word(const wasm_tok *t)
{
    static const char *const words[] = {
        "module", "type", "func", "param", "result", "local", "import", "export",
        "table", "memory", "global", "elem", "data", "start", "offset", "item",
        "declare", "mut", "then", "else", "end", "binary", "quote", "definition",
        "instance", "ref", "null", "extern", "any", "eq", "i31", "struct", "array",
        "none", "nofunc", "noextern", "exn", "noexn", "field", "sub", "final", "rec",
        "tag", "i8", "i16", "shared", "i32", "i64", "pagesize", "catch", "catch_ref",
        "catch_all", "catch_all_ref", "delegate",
    };
    for (size_t i = 0; i < COUNTOF(words); i++)
        if (wasm_tok_is(t, words[i]))
            return true;
    lw_valtype vt;
    return tx_is_valtype(t, &vt) || wasm_op_by_name(t->s, t->len) != OP_COUNT;
}

int tx_unexpected(tx_parser *p)
{
    const wasm_tok *t = &p->c.tok;
    if (t->kind == TOK_EOF)
        return tx_fail(p, "unexpected end");
    if (t->kind == TOK_RESERVED)
        return tx_fail(p, "%s", wasm_tok_reserved(t));
    /* a word the format does not have, such as a keyword of an old draft */
    if (t->kind == TOK_KEYWORD && !tx_known_word(t))
        return tx_fail(p, "unknown operator %.*s", (int)(t->len > 64 ? 64 : t->len), t->s);
    return tx_fail(p, "unexpected token");
}

int tx_expect_lpar(tx_parser *p)
{
    if (p->c.tok.kind != TOK_LPAR)
        return tx_unexpected(p);
    return tx_adv(p);
}

int tx_expect_rpar(tx_parser *p)
{
    if (p->c.tok.kind != TOK_RPAR)
        return tx_unexpected(p);
    return tx_adv(p);
}

bool tx_is(tx_parser *p, const char *keyword)
{
    return wasm_tok_is(&p->c.tok, keyword);
}

bool tx_at_sexpr(tx_parser *p, const char *keyword)
{
    return p->c.tok.kind == TOK_LPAR && wasm_tok_is(&p->c.next, keyword);
}

/* Consume "(" keyword. */
static int tx_open(tx_parser *p)
{
    if (tx_adv(p) < 0)
        return -1;
    return tx_adv(p);
}

int tx_oom(tx_parser *p)
{
    return wasm_fail(p->err, LW_ERR_NOMEM, "out of memory");
}

void *tx_push(tx_parser *p, tx_vec *v, size_t size)
{
    if (wasm_vec_reserve(&v->data, &v->cap, v->len + 1, size) < 0) {
        tx_oom(p);
        return NULL;
    }
    void *e = (char *)v->data + v->len++ * size;
    memset(e, 0, size);
    return e;
}

/* ---- annotations ------------------------------------------------------ */

static bool tx_annot_is_used(const tx_parser *p, const char *start)
{
    const char *const *u = p->annots_used.data;
    for (size_t i = 0; i < p->annots_used.len; i++)
        if (u[i] == start)
            return true;
    return false;
}

int tx_annot_take(tx_parser *p, const char *id, wasm_annot *a)
{
    if (!p->annots || !p->c.tok.annot)
        return 0;
    wasm_lexer it;
    wasm_annot_iter(&p->c.tok, &p->c.lx, &it);
    while (wasm_annot_next(&it, a)) {
        if (strcmp(a->id, id) != 0 || tx_annot_is_used(p, a->start))
            continue;
        const char **u = tx_push(p, &p->annots_used, sizeof *u);
        if (!u)
            return -1;
        *u = a->start;
        return 1;
    }
    return 0;
}

int tx_annot_fail(tx_parser *p, const wasm_annot *a, lw_errkind kind, const char *msg)
{
    return wasm_fail_pos(p->err, kind, a->line, a->col, "%s", msg);
}

/* The next token of an annotation's contents. */
static int tx_annot_tok(wasm_annot *a, wasm_tok *t, lw_error *err)
{
    return wasm_lex_next(&a->body, t, err);
}

int tx_annot_string(tx_parser *p, wasm_annot *a, const char *what, wasm_buf *b)
{
    wasm_tok t;
    if (tx_annot_tok(a, &t, p->err) < 0)
        return -1;
    if (t.kind != TOK_STRING)
        return wasm_tok_fail(p->err, &t, "%s annotation: missing name", what);
    if (wasm_tok_string(&t, b, p->err) < 0)
        return -1;
    if (tx_annot_tok(a, &t, p->err) < 0)
        return -1;
    if (t.kind != TOK_RPAR)
        return wasm_tok_fail(p->err, &t, "%s annotation: unexpected token", what);
    return b->oom ? tx_oom(p) : 0;
}

/* A name given by @name: its string in UTF-8, into the arena. */
static const char *tx_annot_name(tx_parser *p, wasm_annot *a, const char *what)
{
    wasm_buf b = {0};
    const char *name = NULL;
    if (tx_annot_string(p, a, what, &b) == 0) {
        if (!wasm_utf8_valid(b.data, b.len))
            wasm_fail_pos(p->err, LW_ERR_MALFORMED, a->line, a->col,
                          "%s annotation: malformed UTF-8 encoding", what);
        else if (!(name = wasm_arena_strndup(p->arena, b.len ? (const char *)b.data : "", b.len)))
            tx_oom(p);
    }
    wasm_buf_free(&b);
    return name;
}

/* The @name before the current token names local `index` (a parameter
 * or a local of the function being parsed). */
static int tx_local_annot(tx_parser *p, uint32_t index)
{
    wasm_annot a;
    int rc = tx_annot_take(p, "name", &a);
    if (rc <= 0)
        return rc;
    lw_name n = {index, tx_annot_name(p, &a, "@name")};
    lw_name *e = n.name ? tx_push(p, &p->local_annots, sizeof *e) : NULL;
    if (!e)
        return -1;
    *e = n;
    return 0;
}

/* Every annotation that means something must have been taken where it
 * belongs: the others are misplaced.  A last pass over the text. */
static int tx_annot_misplaced(tx_parser *p, const char *text, size_t len)
{
    static const char *const known[][2] = {
        {"custom", "misplaced @custom annotation"},
        {"name", "misplaced @name annotation"},
        {"metadata.code.branch_hint", "@metadata.code.branch_hint annotation: not in a function"},
    };
    if (!p->annots || !p->c.lx.saw_annot)
        return 0;
    wasm_lexer lx;
    wasm_tok t;
    wasm_lex_init(&lx, text, len);
    do {
        if (wasm_lex_next(&lx, &t, p->err) < 0)
            return -1;
        wasm_lexer it;
        wasm_annot a;
        wasm_annot_iter(&t, &lx, &it);
        while (t.annot && wasm_annot_next(&it, &a))
            for (size_t i = 0; i < COUNTOF(known); i++)
                if (strcmp(a.id, known[i][0]) == 0 && !tx_annot_is_used(p, a.start))
                    return tx_annot_fail(p, &a, LW_ERR_MALFORMED, known[i][1]);
    } while (t.kind != TOK_EOF);
    return 0;
}

void tx_vec_free(tx_vec *v)
{
    free(v->data);
    memset(v, 0, sizeof *v);
}

/* ---- names ------------------------------------------------------------ */

static uint32_t tx_hash(const char *s, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static tx_slot *tx_names_slot(tx_names *t, const char *s, uint32_t n)
{
    size_t mask = t->cap - 1;
    for (size_t i = tx_hash(s, n) & mask;; i = (i + 1) & mask) {
        tx_slot *e = &t->slots[i];
        if (!e->s || (e->len == n && memcmp(e->s, s, n) == 0))
            return e;
    }
}

bool tx_names_find(const tx_names *t, const char *s, uint32_t n, uint32_t *index)
{
    if (!t->count)
        return false;
    tx_slot *e = tx_names_slot((tx_names *)t, s, n);
    if (!e->s)
        return false;
    *index = e->index;
    return true;
}

/* 1 if the name was already bound, 0 if added, -1 out of memory. */
static int tx_names_add(tx_names *t, const char *s, uint32_t n, uint32_t index)
{
    if ((t->count + 1) * 2 > t->cap) {
        tx_names old = *t;
        size_t cap = old.cap ? old.cap * 2 : 16;
        t->slots = calloc(cap, sizeof *t->slots);
        if (!t->slots) {
            *t = old;
            return -1;
        }
        t->cap = cap;
        for (size_t i = 0; i < old.cap; i++)
            if (old.slots[i].s)
                *tx_names_slot(t, old.slots[i].s, old.slots[i].len) = old.slots[i];
        free(old.slots);
    }
    tx_slot *e = tx_names_slot(t, s, n);
    if (e->s)
        return 1;
    e->s = s;
    e->len = n;
    e->index = index;
    t->count++;
    return 0;
}

static void tx_names_clear(tx_names *t)
{
    if (t->count)
        memset(t->slots, 0, t->cap * sizeof *t->slots);
    t->count = 0;
}

static void tx_names_free(tx_names *t)
{
    free(t->slots);
    memset(t, 0, sizeof *t);
}

/* Bind the $id at the current token (if any) to the next index of space. */
static int tx_bind(tx_parser *p, int space)
{
    uint32_t index = p->counts[space]++;
    if (p->c.tok.kind != TOK_ID)
        return 0;
    int rc = tx_names_add(&p->names[space], p->c.tok.s + 1, p->c.tok.len - 1, index);
    if (rc < 0)
        return tx_oom(p);
    if (rc > 0)
        return tx_fail(p, "duplicate %s %.*s", tx_space_names[space],
                       (int)p->c.tok.len, p->c.tok.s);
    return tx_adv(p);
}

bool tx_at_index(tx_parser *p)
{
    return p->c.tok.kind == TOK_ID || p->c.tok.kind == TOK_NUM;
}

int tx_nat32(tx_parser *p, uint32_t *out)
{
    uint64_t v;
    if (p->c.tok.kind != TOK_NUM)
        return tx_unexpected(p);
    int rc = wasm_parse_nat(p->c.tok.s, p->c.tok.len, UINT32_MAX, &v);
    if (rc == NUM_MALFORMED)
        return tx_fail(p, p->c.tok.s[0] == '+' || p->c.tok.s[0] == '-' ? "unexpected token"
                                                                       : "unknown operator");
    if (rc == NUM_RANGE)
        return tx_fail(p, "i32 constant out of range");
    *out = (uint32_t)v;
    return tx_adv(p);
}

int tx_index(tx_parser *p, int space, uint32_t *out)
{
    if (p->c.tok.kind == TOK_ID) {
        if (!tx_names_find(&p->names[space], p->c.tok.s + 1, p->c.tok.len - 1, out))
            return tx_fail(p, "unknown %s %.*s", tx_unknown_names[space],
                           (int)p->c.tok.len, p->c.tok.s);
        return tx_adv(p);
    }
    return tx_nat32(p, out);
}

int tx_field_index(tx_parser *p, uint32_t type, uint32_t *out)
{
    if (p->c.tok.kind != TOK_ID)
        return tx_nat32(p, out);
    const tx_field_name *f = p->field_names.data;
    for (size_t i = 0; i < p->field_names.len; i++)
        if (f[i].type == type && f[i].len == p->c.tok.len - 1 &&
            memcmp(f[i].s, p->c.tok.s + 1, f[i].len) == 0) {
            *out = f[i].field;
            return tx_adv(p);
        }
    return tx_fail(p, "unknown field %.*s", (int)p->c.tok.len, p->c.tok.s);
}

/* A name for the name section: the $id without "$", in the arena. */
static const char *tx_id_dup(tx_parser *p, const wasm_tok *t)
{
    return wasm_arena_strndup(p->arena, t->s + 1, t->len - 1);
}

/* ---- types ------------------------------------------------------------ */

/* Names of value types; GC's abstract references need GC. */
static const struct { const char *name; lw_valtype type; bool gc; } tx_valtypes[] = {
    {"i32", LW_I32, false}, {"i64", LW_I64, false}, {"f32", LW_F32, false},
    {"f64", LW_F64, false}, {"v128", LW_V128, false}, {"funcref", LW_FUNCREF, false},
    {"externref", LW_EXTERNREF, false}, {"anyref", LW_REF(1, LW_HEAP_ANY), true},
    {"eqref", LW_REF(1, LW_HEAP_EQ), true}, {"i31ref", LW_REF(1, LW_HEAP_I31), true},
    {"structref", LW_REF(1, LW_HEAP_STRUCT), true},
    {"arrayref", LW_REF(1, LW_HEAP_ARRAY), true},
    {"nullref", LW_REF(1, LW_HEAP_NONE), true},
    {"nullfuncref", LW_REF(1, LW_HEAP_NOFUNC), true},
    {"nullexternref", LW_REF(1, LW_HEAP_NOEXTERN), true},
    {"exnref", LW_EXNREF, false}, {"nullexnref", LW_REF(1, LW_HEAP_NOEXN), false},
};

bool tx_is_valtype(const wasm_tok *t, lw_valtype *out)
{
    for (size_t i = 0; i < COUNTOF(tx_valtypes); i++)
        if (wasm_tok_is(t, tx_valtypes[i].name)) {
            *out = tx_valtypes[i].type;
            return true;
        }
    return false;
}

static bool tx_typed_refs(const tx_parser *p)
{
    return p->m->features & (LW_FEATURE(FUNCTION_REFERENCES) | LW_FEATURE(GC));
}

bool tx_at_valtype(tx_parser *p)
{
    return p->c.tok.kind == TOK_KEYWORD || tx_at_sexpr(p, "ref");
}

int tx_heaptype(tx_parser *p, lw_heaptype *out)
{
    static const struct { const char *name; lw_heaptype ht; } heaps[] = {
        {"func", LW_HEAP_FUNC}, {"extern", LW_HEAP_EXTERN}, {"exn", LW_HEAP_EXN},
        {"noexn", LW_HEAP_NOEXN}, {"any", LW_HEAP_ANY},
        {"eq", LW_HEAP_EQ}, {"i31", LW_HEAP_I31}, {"struct", LW_HEAP_STRUCT},
        {"array", LW_HEAP_ARRAY}, {"none", LW_HEAP_NONE}, {"nofunc", LW_HEAP_NOFUNC},
        {"noextern", LW_HEAP_NOEXTERN},
    };
    if (tx_at_index(p)) {
        uint32_t x;
        if (!tx_typed_refs(p))
            return tx_unexpected(p);
        if (tx_index(p, SP_TYPE, &x) < 0)
            return -1;
        if (x > LW_HEAP_MAX_INDEX)
            return tx_fail(p, "unknown type");
        *out = LW_HEAP_TYPE(x);
        return 0;
    }
    for (size_t i = 0; i < COUNTOF(heaps); i++)
        if (tx_is(p, heaps[i].name)) {
            if (i >= 4 && !(p->m->features & LW_FEATURE(GC)))
                return tx_unexpected(p);
            *out = heaps[i].ht;
            return tx_adv(p);
        }
    return tx_unexpected(p);
}

/* (ref null? heaptype) */
static int tx_ref_type(tx_parser *p, lw_valtype *out)
{
    if (!tx_typed_refs(p) || tx_open(p) < 0)
        return tx_typed_refs(p) ? -1 : tx_unexpected(p);
    bool null = tx_is(p, "null");
    lw_heaptype ht;
    if ((null && tx_adv(p) < 0) || tx_heaptype(p, &ht) < 0)
        return -1;
    *out = LW_REF(null, ht);
    return tx_expect_rpar(p);
}

int tx_valtype(tx_parser *p, lw_valtype *out)
{
    if (tx_at_sexpr(p, "ref"))
        return tx_ref_type(p, out);
    for (size_t i = 0; i < COUNTOF(tx_valtypes); i++)
        if (tx_is(p, tx_valtypes[i].name)) {
            if (tx_valtypes[i].gc && !(p->m->features & LW_FEATURE(GC)))
                return tx_unexpected(p);
            *out = tx_valtypes[i].type;
            return tx_adv(p);
        }
    return tx_unexpected(p);
}

/* A reference type (tables, element segments). */
static int tx_reftype(tx_parser *p, lw_valtype *out)
{
    lw_valtype t;
    if (tx_is(p, "i32") || tx_is(p, "i64") || tx_is(p, "f32") || tx_is(p, "f64") ||
        tx_is(p, "v128"))
        return tx_unexpected(p);
    if (tx_valtype(p, &t) < 0)
        return -1;
    *out = t;
    return 0;
}

bool tx_is_functype(const tx_parser *p, uint32_t t)
{
    const lw_typedef *defs = p->typedefs.data;
    return t < p->typedefs.len && defs[t].kind == LW_COMP_FUNC;
}

/* A type definition an inline type use may stand for: a final function
 * type alone in its group, with no supertype. */
static bool tx_is_plain_functype(const tx_parser *p, uint32_t t)
{
    const lw_typedef *d = (const lw_typedef *)p->typedefs.data + t;
    return d->kind == LW_COMP_FUNC && d->final && d->super == LW_NO_SUPER &&
           d->rec_size == 1;
}

/* Append a type definition: its signature (empty unless a function
 * type) and definition. */
static int tx_add_type(tx_parser *p, const lw_functype *ft, const lw_typedef *def)
{
    lw_functype *f = tx_push(p, &p->types, sizeof *f);
    lw_typedef *d = f ? tx_push(p, &p->typedefs, sizeof *d) : NULL;
    if (!d)
        return -1;
    *f = *ft;
    *d = *def;
    return 0;
}

uint32_t tx_intern_type(tx_parser *p, const lw_valtype *params, uint32_t np,
                        const lw_valtype *results, uint32_t nr)
{
    static const lw_valtype none[1];
    lw_functype want = {np, nr, params ? params : none, results ? results : none};
    lw_functype *types = p->types.data;
    for (uint32_t i = 0; i < p->types.len; i++)
        if (tx_is_plain_functype(p, i) && lw_functype_equal(&types[i], &want))
            return i;
    uint32_t index = (uint32_t)p->types.len;
    lw_functype t = {np, nr, wasm_arena_memdup(p->arena, want.params, np * sizeof *params),
                     wasm_arena_memdup(p->arena, want.results, nr * sizeof *results)};
    lw_typedef def = {LW_COMP_FUNC, true, LW_NO_SUPER, index, 1, 0, NULL};
    if (!t.params || !t.results) {
        tx_oom(p);
        return UINT32_MAX;
    }
    if (tx_add_type(p, &t, &def) < 0)
        return UINT32_MAX;
    return index;
}

/* (param ...)* (result ...)* into params/results.  Param names bind as
 * locals when bind is set, else they are "unexpected token". */
static int tx_params_results(tx_parser *p, tx_vec *params, tx_vec *results, bool bind)
{
    while (tx_at_sexpr(p, "param")) {
        if (tx_open(p) < 0)
            return -1;
        if (p->c.tok.kind == TOK_ID) {
            if (!bind)
                return tx_unexpected(p);
            int rc = tx_names_add(&p->locals, p->c.tok.s + 1, p->c.tok.len - 1,
                                  (uint32_t)params->len);
            if (rc < 0)
                return tx_oom(p);
            if (rc > 0)
                return tx_fail(p, "duplicate local %.*s", (int)p->c.tok.len, p->c.tok.s);
            lw_valtype *t = tx_push(p, params, sizeof *t);
            if (!t || tx_adv(p) < 0 || tx_local_annot(p, (uint32_t)params->len - 1) < 0 ||
                tx_valtype(p, t) < 0)
                return -1;
        } else {
            if (bind && tx_local_annot(p, (uint32_t)params->len) < 0)
                return -1;
            while (tx_at_valtype(p)) {
                lw_valtype *t = tx_push(p, params, sizeof *t);
                if (!t || tx_valtype(p, t) < 0)
                    return -1;
            }
        }
        if (tx_expect_rpar(p) < 0)
            return -1;
    }
    while (tx_at_sexpr(p, "result")) {
        if (tx_open(p) < 0)
            return -1;
        while (tx_at_valtype(p)) {
            lw_valtype *t = tx_push(p, results, sizeof *t);
            if (!t || tx_valtype(p, t) < 0)
                return -1;
        }
        if (tx_expect_rpar(p) < 0)
            return -1;
    }
    if (tx_at_sexpr(p, "param")) {
        tx_adv(p);
        return tx_unexpected(p);
    }
    return 0;
}

int tx_typeuse_parts(tx_parser *p, bool *has_type, uint32_t *type, tx_vec *params,
                     tx_vec *results, bool bind)
{
    *has_type = false;
    wasm_tok type_tok = p->c.tok;
    if (tx_at_sexpr(p, "type")) {
        if (tx_open(p) < 0)
            return -1;
        type_tok = p->c.tok;
        if (tx_index(p, SP_TYPE, type) < 0 || tx_expect_rpar(p) < 0)
            return -1;
        *has_type = true;
    }
    if (tx_params_results(p, params, results, bind) < 0)
        return -1;
    if (*has_type && (params->len || results->len)) {
        const lw_functype *types = p->types.data;
        static const lw_valtype none[1];
        lw_functype want = {(uint32_t)params->len, (uint32_t)results->len,
                              params->data ? params->data : none,
                              results->data ? results->data : none};
        if (*type >= p->types.len)
            return wasm_tok_fail(p->err, &type_tok, "unknown type");
        if (!tx_is_functype(p, *type) || !lw_functype_equal(&types[*type], &want))
            return wasm_tok_fail(p->err, &type_tok, "inline function type");
    }
    return 0;
}

/* Sets *type (an implicit type is interned) and, with bind, the
 * parameters as the first locals. */
int tx_typeuse(tx_parser *p, uint32_t *type, bool bind)
{
    bool has_type;
    tx_vec params = {0}, results = {0};
    int rc = tx_typeuse_parts(p, &has_type, type, &params, &results, bind);
    if (rc == 0 && !has_type) {
        *type = tx_intern_type(p, params.data, (uint32_t)params.len, results.data,
                               (uint32_t)results.len);
        if (*type == UINT32_MAX)
            rc = -1;
    }
    if (rc == 0 && bind) {
        const lw_functype *types = p->types.data;
        const lw_valtype *given = params.data;
        size_t n = params.len;
        if (!n && *type < p->types.len) {
            given = types[*type].params;
            n = types[*type].nparams;
        }
        p->local_types.len = 0;
        for (size_t i = 0; i < n && rc == 0; i++) {
            lw_valtype *t = tx_push(p, &p->local_types, sizeof *t);
            if (!t)
                rc = -1;
            else
                *t = given[i];
        }
    }
    tx_vec_free(&params);
    tx_vec_free(&results);
    return rc;
}

/* ---- the module being built ----------------------------------------- */

typedef struct {
    tx_parser p;
    tx_vec imports, func_types, tables, mems, globals, codes, globaldefs, tags;
    tx_vec exports, elems, datas;
    tx_vec table_inits;          /* lw_expr per defined table */
    tx_vec names[SP_COUNT];      /* lw_name per space */
    tx_vec local_names;          /* lw_indirect_name */
    tx_vec label_names;          /* lw_indirect_name */
    uint32_t index[SP_COUNT];    /* pass 2: next index per space */
    const char *first_def;       /* pass 1: kind of the first definition */
    wasm_tok field;              /* pass 1: the "(" of the current field */
    bool has_start;
    uint32_t start;
    tx_cursor body;              /* where the fields start */
    bool wrapped;                /* inside "(module ...)" */
    int source;                  /* (module binary/quote ...): SOURCE_* */
    tx_vec customs;              /* lw_custom from @custom annotations */
    wasm_buf strings;            /* their strings, concatenated */
} tx_mod;

/* Record the $id (if any) of a new entry in space for the name section. */
/* The name of a definition: its @name annotation, else its $id. */
static int tx_name_entry(tx_mod *t, int space, const wasm_tok *id, uint32_t index,
                         wasm_annot *a)
{
    if (id->kind != TOK_ID && !a)
        return 0;
    const char *name = a ? tx_annot_name(&t->p, a, "@name") : tx_id_dup(&t->p, id);
    if (!name)
        return a ? -1 : tx_oom(&t->p);
    lw_name *n = tx_push(&t->p, &t->names[space], sizeof *n);
    if (!n)
        return -1;
    n->index = index;
    n->name = name;
    return 0;
}

/* Skip the optional $id (already bound in pass 1). */
static wasm_tok tx_take_id(tx_parser *p)
{
    wasm_tok id = p->c.tok;
    if (id.kind == TOK_ID)
        tx_adv(p);
    return id;
}

/* A name string; *len keeps its length, as it may hold NUL bytes. */
static int tx_name_string(tx_parser *p, const char **out, uint32_t *len)
{
    if (p->c.tok.kind != TOK_STRING)
        return tx_unexpected(p);
    wasm_buf b = {0};
    if (wasm_tok_string(&p->c.tok, &b, p->err) < 0) {
        wasm_buf_free(&b);
        return -1;
    }
    if (!wasm_utf8_valid(b.data, b.len)) {
        wasm_buf_free(&b);
        return tx_fail(p, "malformed UTF-8 encoding");
    }
    *out = wasm_arena_strndup(p->arena, b.len ? (const char *)b.data : "", b.len);
    *len = (uint32_t)b.len;
    wasm_buf_free(&b);
    if (!*out)
        return tx_oom(p);
    return tx_adv(p);
}

static void tx_add_ref(tx_parser *p, uint32_t func)
{
    uint32_t *r = tx_push(p, &p->refs, sizeof *r);
    if (r)
        *r = func;
}

/* (export "name")* of a definition of kind at index. */
static int tx_inline_exports(tx_mod *t, uint8_t kind, uint32_t index)
{
    tx_parser *p = &t->p;
    while (tx_at_sexpr(p, "export")) {
        if (tx_open(p) < 0)
            return -1;
        lw_export *e = tx_push(p, &t->exports, sizeof *e);
        if (!e || tx_name_string(p, &e->name, &e->name_len) < 0)
            return -1;
        e->kind = kind;
        e->index = index;
        if (kind == LW_EXTERN_FUNC)
            tx_add_ref(p, index);
        if (tx_expect_rpar(p) < 0)
            return -1;
    }
    return 0;
}

/* The two names of an import. */
typedef struct {
    const char *module, *name;
    uint32_t module_len, name_len;
} tx_importname;

static int tx_import_strings(tx_parser *p, tx_importname *in)
{
    if (tx_name_string(p, &in->module, &in->module_len) < 0)
        return -1;
    return tx_name_string(p, &in->name, &in->name_len);
}

/* What a func/table/memory/global field starts with: $id, then
 * (export ...)* and an optional (import ...); an import field gives its
 * names instead (given).  Sets *index and, for an import, *im. */
static int tx_def_header(tx_mod *t, int space, uint8_t kind, const tx_importname *given,
                         uint32_t *index, lw_import **im)
{
    tx_parser *p = &t->p;
    tx_importname in = {0};
    *index = t->index[space]++;
    *im = NULL;
    wasm_tok id = tx_take_id(p);
    wasm_annot a;
    int rc = tx_annot_take(p, "name", &a);
    if (rc < 0 || tx_name_entry(t, space, &id, *index, rc == 1 ? &a : NULL) < 0)
        return -1;
    if (!given) {
        if (tx_inline_exports(t, kind, *index) < 0)
            return -1;
        if (!tx_at_sexpr(p, "import"))
            return 0;
        if (tx_open(p) < 0 || tx_import_strings(p, &in) < 0 || tx_expect_rpar(p) < 0)
            return -1;
        given = &in;
    }
    *im = tx_push(p, &t->imports, sizeof **im);
    if (!*im)
        return -1;
    (*im)->module = given->module;
    (*im)->name = given->name;
    (*im)->module_len = given->module_len;
    (*im)->name_len = given->name_len;
    (*im)->kind = kind;
    return 0;
}

/* A u64 bound of limits: the validator checks it against the address type. */
static int tx_nat64(tx_parser *p, uint64_t *out)
{
    if (p->c.tok.kind != TOK_NUM)
        return tx_unexpected(p);
    int rc = wasm_parse_nat(p->c.tok.s, p->c.tok.len, UINT64_MAX, out);
    if (rc == NUM_MALFORMED)
        return tx_unexpected(p);
    if (rc == NUM_RANGE)
        return tx_fail(p, "i64 constant out of range");
    return tx_adv(p);
}

/* The address type of a memory or table: `i64` (memory64) or `i32`. */
static int tx_addrtype(tx_parser *p, lw_limits *l)
{
    if (tx_is(p, "i64"))
        l->is64 = true;
    else if (!tx_is(p, "i32"))
        return 0;
    return tx_adv(p);
}

/* A bound is a u32 in Wasm 2.0, a u64 with memory64. */
static int tx_bound(tx_parser *p, uint64_t *out)
{
    uint32_t v;
    if (p->m->features & LW_FEATURE(MEMORY64))
        return tx_nat64(p, out);
    if (tx_nat32(p, &v) < 0)
        return -1;
    *out = v;
    return 0;
}

static int tx_limits(tx_parser *p, lw_limits *l)
{
    if (tx_bound(p, &l->min) < 0)
        return -1;
    if (p->c.tok.kind == TOK_NUM) {
        if (tx_bound(p, &l->max) < 0)
            return -1;
        l->has_max = true;
    }
    return 0;
}

static int tx_globaltype(tx_parser *p, lw_globaltype *g)
{
    if (tx_at_sexpr(p, "mut")) {
        g->mut = true;
        if (tx_open(p) < 0 || tx_valtype(p, &g->type) < 0)
            return -1;
        return tx_expect_rpar(p);
    }
    return tx_valtype(p, &g->type);
}

/* ---- functions ------------------------------------------------------- */

static int tx_locals(tx_parser *p)
{
    while (tx_at_sexpr(p, "local")) {
        if (tx_open(p) < 0)
            return -1;
        if (p->c.tok.kind == TOK_ID) {
            int rc = tx_names_add(&p->locals, p->c.tok.s + 1, p->c.tok.len - 1,
                                  (uint32_t)p->local_types.len);
            if (rc < 0)
                return tx_oom(p);
            if (rc > 0)
                return tx_fail(p, "duplicate local %.*s", (int)p->c.tok.len, p->c.tok.s);
            lw_valtype *lt = tx_push(p, &p->local_types, sizeof *lt);
            if (!lt || tx_adv(p) < 0 ||
                tx_local_annot(p, (uint32_t)p->local_types.len - 1) < 0 || tx_valtype(p, lt) < 0)
                return -1;
        } else {
            if (tx_local_annot(p, (uint32_t)p->local_types.len) < 0)
                return -1;
            while (tx_at_valtype(p)) {
                lw_valtype *lt = tx_push(p, &p->local_types, sizeof *lt);
                if (!lt || tx_valtype(p, lt) < 0)
                    return -1;
            }
        }
        if (tx_expect_rpar(p) < 0)
            return -1;
    }
    return 0;
}

/* Local names of the function just parsed, for the name section. */
static int tx_local_names(tx_mod *t, uint32_t func)
{
    tx_parser *p = &t->p;
    if (!p->locals.count && !p->local_annots.len)
        return 0;
    lw_name *names = wasm_arena_array(p->arena, p->locals.count + p->local_annots.len,
                                      sizeof *names);
    if (!names)
        return tx_oom(p);
    uint32_t n = 0;
    for (size_t i = 0; i < p->locals.cap; i++) {
        const tx_slot *s = &p->locals.slots[i];
        if (!s->s)
            continue;
        names[n].index = s->index;
        names[n].name = wasm_arena_strndup(p->arena, s->s, s->len);
        if (!names[n++].name)
            return tx_oom(p);
    }
    /* an @name wins over the $id */
    const lw_name *an = p->local_annots.data;
    for (size_t i = 0; i < p->local_annots.len; i++) {
        uint32_t k = 0;
        while (k < n && names[k].index != an[i].index)
            k++;
        names[k] = an[i];
        n += k == n;
    }
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && names[j - 1].index > names[j].index; j--) {
            lw_name x = names[j];
            names[j] = names[j - 1];
            names[j - 1] = x;
        }
    lw_indirect_name *e = tx_push(p, &t->local_names, sizeof *e);
    if (!e)
        return -1;
    e->index = func;
    e->map.count = n;
    e->map.names = names;
    return 0;
}

/* Label names of the body just parsed, by block number. */
static int tx_label_names(tx_mod *t, uint32_t func)
{
    tx_parser *p = &t->p;
    if (!p->label_names.len)
        return 0;
    lw_indirect_name *e = tx_push(p, &t->label_names, sizeof *e);
    if (!e)
        return -1;
    e->index = func;
    e->map.count = (uint32_t)p->label_names.len;
    e->map.names = wasm_arena_memdup(p->arena, p->label_names.data,
                                     p->label_names.len * sizeof(lw_name));
    return e->map.names ? 0 : tx_oom(p);
}

static const lw_branch_hint *tx_copy_hints(tx_parser *p, uint32_t *n)
{
    *n = (uint32_t)p->hints.len;
    return *n ? wasm_arena_memdup(p->arena, p->hints.data, *n * sizeof(lw_branch_hint)) : NULL;
}

static int tx_code(tx_mod *t, uint32_t type, uint32_t nparams)
{
    tx_parser *p = &t->p;
    if (tx_locals(p) < 0)
        return -1;
    p->code.len = 0;
    p->labels.len = 0;
    p->nblocks = 0;
    p->label_names.len = 0;
    p->hints.len = 0;
    if (!tx_push(p, &p->labels, sizeof(tx_label)) || tx_instrs(p) < 0)
        return -1;
    wasm_buf_byte(&p->code, 0x0b);
    if (p->code.oom)
        return tx_oom(p);
    lw_code *c = tx_push(p, &t->codes, sizeof *c);
    if (!c)
        return -1;
    c->type = type;
    uint32_t n = (uint32_t)p->local_types.len - nparams, ngroups = 0;
    /* No locals and no params: the vector may be NULL, and NULL + 0 is UB. */
    const lw_valtype *lt = n ? (const lw_valtype *)p->local_types.data + nparams : NULL;
    for (uint32_t i = 0; i < n; i++)
        ngroups += i == 0 || lt[i] != lt[i - 1];
    lw_localgroup *g = wasm_arena_array(p->arena, ngroups ? ngroups : 1, sizeof *g);
    if (!g)
        return tx_oom(p);
    ngroups = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i == 0 || lt[i] != lt[i - 1])
            g[ngroups++].type = lt[i];
        g[ngroups - 1].count++;
    }
    c->nlocalgroups = ngroups;
    c->localgroups = g;
    c->nlocals = n;
    c->body.code = wasm_arena_memdup(p->arena, p->code.data, p->code.len);
    c->body.len = (uint32_t)p->code.len;
    /* folded operands may have put hints out of order */
    lw_branch_hint *h = p->hints.data;
    for (size_t i = 1; i < p->hints.len; i++)
        for (size_t j = i; j > 0 && h[j - 1].offset > h[j].offset; j--) {
            lw_branch_hint x = h[j];
            h[j] = h[j - 1];
            h[j - 1] = x;
        }
    c->hints = tx_copy_hints(p, &c->nhints);
    return c->body.code && (c->hints || !c->nhints) ? 0 : tx_oom(p);
}

static int tx_push_u32(tx_parser *p, tx_vec *v, uint32_t x)
{
    uint32_t *e = tx_push(p, v, sizeof *e);
    if (!e)
        return -1;
    *e = x;
    return 0;
}

static int tx_func(tx_mod *t, const tx_importname *given)
{
    tx_parser *p = &t->p;
    uint32_t index, type = 0;
    lw_import *im;
    tx_names_clear(&p->locals);
    p->local_annots.len = 0;
    if (tx_def_header(t, SP_FUNC, LW_EXTERN_FUNC, given, &index, &im) < 0)
        return -1;
    if (tx_typeuse(p, &type, true) < 0 || tx_push_u32(p, &t->func_types, type) < 0)
        return -1;
    uint32_t nparams = (uint32_t)p->local_types.len;
    if (im)
        im->desc.func = type;
    else if (tx_code(t, type, nparams) < 0 || tx_label_names(t, index) < 0)
        return -1;
    if (tx_local_names(t, index) < 0)
        return -1;
    return tx_expect_rpar(p);
}

/* ---- tables, memories, globals ----------------------------------------- */

/* Inline (elem ...) of a table: an active segment at offset 0. */
static int tx_table_elem(tx_mod *t, uint32_t table, lw_valtype reftype, lw_tabletype *tt);
static int tx_memory_data(tx_mod *t, uint32_t mem, lw_limits *l);

static int tx_table(tx_mod *t, const tx_importname *given)
{
    tx_parser *p = &t->p;
    uint32_t index;
    lw_import *im;
    if (tx_def_header(t, SP_TABLE, LW_EXTERN_TABLE, given, &index, &im) < 0)
        return -1;
    lw_tabletype tt = {0};
    lw_expr init = {0};
    if (tx_addrtype(p, &tt.limits) < 0)
        return -1;
    if (!im && tx_at_valtype(p)) {
        if (tx_reftype(p, &tt.reftype) < 0 || tx_table_elem(t, index, tt.reftype, &tt) < 0)
            return -1;
    } else if (tx_limits(p, &tt.limits) < 0 || tx_reftype(p, &tt.reftype) < 0) {
        return -1;
    } else if (!im && p->c.tok.kind == TOK_LPAR && tx_const_expr(p, &init) < 0) {
        return -1;   /* an initializer: typed references */
    }
    lw_tabletype *e = tx_push(p, &t->tables, sizeof *e);
    if (!e)
        return -1;
    *e = tt;
    if (im) {
        im->desc.table = tt;
    } else {
        lw_expr *x = tx_push(p, &t->table_inits, sizeof *x);
        if (!x)
            return -1;
        *x = init;
    }
    return tx_expect_rpar(p);
}

static int tx_memory(tx_mod *t, const tx_importname *given)
{
    tx_parser *p = &t->p;
    uint32_t index;
    lw_import *im;
    if (tx_def_header(t, SP_MEM, LW_EXTERN_MEMORY, given, &index, &im) < 0)
        return -1;
    lw_limits l = {0};
    if (tx_addrtype(p, &l) < 0)
        return -1;
    if (!im && tx_at_sexpr(p, "data")) {
        if (tx_memory_data(t, index, &l) < 0)
            return -1;
    } else if (tx_limits(p, &l) < 0) {
        return -1;
    } else if (tx_is(p, "shared")) {
        l.shared = true;
        if (tx_adv(p) < 0)
            return -1;
    }
    lw_limits *e = tx_push(p, &t->mems, sizeof *e);
    if (!e)
        return -1;
    *e = l;
    if (im)
        im->desc.memory = l;
    return tx_expect_rpar(p);
}

static int tx_global(tx_mod *t, const tx_importname *given)
{
    tx_parser *p = &t->p;
    uint32_t index;
    lw_import *im;
    if (tx_def_header(t, SP_GLOBAL, LW_EXTERN_GLOBAL, given, &index, &im) < 0)
        return -1;
    lw_globaltype g = {0};
    if (tx_globaltype(p, &g) < 0)
        return -1;
    lw_globaltype *e = tx_push(p, &t->globals, sizeof *e);
    if (!e)
        return -1;
    *e = g;
    if (im) {
        im->desc.global = g;
        return tx_expect_rpar(p);
    }
    lw_globaldef *d = tx_push(p, &t->globaldefs, sizeof *d);
    if (!d)
        return -1;
    d->type = g;
    return tx_const_expr(p, &d->init) < 0 ? -1 : tx_expect_rpar(p);
}

/* (tag $id? (export ...)* (import ...)? typeuse): an exception tag. */
static int tx_tag(tx_mod *t, const tx_importname *given)
{
    tx_parser *p = &t->p;
    uint32_t index, type = 0;
    lw_import *im;
    if (tx_def_header(t, SP_TAG, LW_EXTERN_TAG, given, &index, &im) < 0 ||
        tx_typeuse(p, &type, false) < 0 || tx_push_u32(p, &t->tags, type) < 0)
        return -1;
    if (im)
        im->desc.tag = type;
    return tx_expect_rpar(p);
}

/* (import "m" "n" (kind $id? desc)): the definition with its names given. */
static int tx_import(tx_mod *t)
{
    tx_parser *p = &t->p;
    tx_importname in;
    if (tx_import_strings(p, &in) < 0)
        return -1;
    if (p->c.tok.kind != TOK_LPAR)
        return tx_unexpected(p);
    if (tx_adv(p) < 0)
        return -1;
    int rc;
    if (tx_is(p, "func"))
        rc = tx_adv(p) < 0 ? -1 : tx_func(t, &in);
    else if (tx_is(p, "table"))
        rc = tx_adv(p) < 0 ? -1 : tx_table(t, &in);
    else if (tx_is(p, "memory"))
        rc = tx_adv(p) < 0 ? -1 : tx_memory(t, &in);
    else if (tx_is(p, "global"))
        rc = tx_adv(p) < 0 ? -1 : tx_global(t, &in);
    else if (tx_is(p, "tag"))
        rc = tx_adv(p) < 0 ? -1 : tx_tag(t, &in);
    else
        return tx_unexpected(p);
    return rc < 0 ? -1 : tx_expect_rpar(p);
}

static int tx_export(tx_mod *t)
{
    tx_parser *p = &t->p;
    lw_export *e = tx_push(p, &t->exports, sizeof *e);
    if (!e || tx_name_string(p, &e->name, &e->name_len) < 0 || tx_expect_lpar(p) < 0)
        return -1;
    static const struct { const char *kw; uint8_t kind; int space; } kinds[] = {
        {"func", LW_EXTERN_FUNC, SP_FUNC}, {"table", LW_EXTERN_TABLE, SP_TABLE},
        {"memory", LW_EXTERN_MEMORY, SP_MEM}, {"global", LW_EXTERN_GLOBAL, SP_GLOBAL},
        {"tag", LW_EXTERN_TAG, SP_TAG},
    };
    for (size_t i = 0; i < COUNTOF(kinds); i++) {
        if (!tx_is(p, kinds[i].kw))
            continue;
        e->kind = kinds[i].kind;
        if (tx_adv(p) < 0 || tx_index(p, kinds[i].space, &e->index) < 0)
            return -1;
        if (e->kind == LW_EXTERN_FUNC)
            tx_add_ref(p, e->index);
        if (tx_expect_rpar(p) < 0)
            return -1;
        return tx_expect_rpar(p);
    }
    return tx_unexpected(p);
}

static int tx_start(tx_mod *t)
{
    tx_parser *p = &t->p;
    if (t->has_start)
        return tx_fail(p, "multiple start sections");
    t->has_start = true;
    if (tx_index(p, SP_FUNC, &t->start) < 0)
        return -1;
    return tx_expect_rpar(p);
}

/* ---- element and data segments ----------------------------------------- */

/* Replace the function indices in items by (ref.func x) expressions. */
static int tx_funcs_as_exprs(tx_parser *p, tx_vec *items)
{
    tx_vec exprs = {0};
    const uint32_t *f = items->data;
    for (size_t i = 0; i < items->len; i++) {
        wasm_buf b = {0};
        wasm_buf_byte(&b, 0xd2);
        wasm_buf_u32(&b, f[i]);
        wasm_buf_byte(&b, 0x0b);
        lw_expr *x = tx_push(p, &exprs, sizeof *x);
        if (!x || b.oom) {
            wasm_buf_free(&b);
            tx_vec_free(&exprs);
            return x ? tx_oom(p) : -1;
        }
        x->code = wasm_arena_memdup(p->arena, b.data, b.len);
        x->len = (uint32_t)b.len;
        wasm_buf_free(&b);
        if (!x->code) {
            tx_vec_free(&exprs);
            return tx_oom(p);
        }
    }
    tx_vec_free(items);
    *items = exprs;
    return 0;
}

/* Element list items: function indices, or expressions when exprs. */
static int tx_elem_items(tx_mod *t, lw_elem *e, bool exprs)
{
    tx_parser *p = &t->p;
    tx_vec items = {0};
    int rc = 0;
    while (rc == 0 && p->c.tok.kind != TOK_RPAR) {
        if (exprs) {
            lw_expr *x = tx_push(p, &items, sizeof *x);
            if (!x) {
                rc = -1;
            } else if (tx_at_sexpr(p, "item")) {
                rc = tx_open(p);
                if (rc == 0)
                    rc = tx_const_expr(p, x);
                if (rc == 0)
                    rc = tx_expect_rpar(p);
            } else if (p->c.tok.kind == TOK_LPAR) {
                rc = tx_folded_expr(p, x);
            } else {
                rc = tx_unexpected(p);
            }
        } else {
            uint32_t f;
            rc = tx_index(p, SP_FUNC, &f);
            if (rc == 0)
                rc = tx_push_u32(p, &items, f);
            if (rc == 0)
                tx_add_ref(p, f);
        }
    }
    if (rc == 0 && !exprs && e->reftype != LW_FUNCREF) {
        /* Function indices in a segment of another type (a table's
         * inline elements): (ref.func x) expressions. */
        rc = tx_funcs_as_exprs(p, &items);
        exprs = true;
        e->flags |= 4;
    }
    if (rc == 0) {
        e->count = (uint32_t)items.len;
        size_t size = exprs ? sizeof(lw_expr) : sizeof(uint32_t);
        void *copy = wasm_arena_memdup(p->arena, items.data, items.len * size);
        if (!copy)
            rc = tx_oom(p);
        else if (exprs)
            e->exprs = copy;
        else
            e->funcs = copy;
    }
    tx_vec_free(&items);
    return rc;
}

static void tx_elem_flags(lw_elem *e, bool exprs)
{
    if (e->mode == LW_SEG_PASSIVE)
        e->flags = 1;
    else if (e->mode == LW_SEG_DECLARATIVE)
        e->flags = 3;
    else if (e->table == 0 && e->reftype == LW_FUNCREF)
        e->flags = 0;
    else
        e->flags = 2;
    if (exprs)
        e->flags |= 4;
}

/* An elemlist: `func idx*`, `reftype expr*`, or bare indices (active). */
static int tx_elem_list(tx_mod *t, lw_elem *e, bool bare_ok)
{
    tx_parser *p = &t->p;
    bool exprs = false;
    e->reftype = LW_FUNCREF;
    if (tx_is(p, "func")) {
        if (tx_adv(p) < 0)
            return -1;
    } else if (tx_at_valtype(p) && !tx_at_index(p)) {
        exprs = true;
        if (tx_reftype(p, &e->reftype) < 0)
            return -1;
    } else if (!bare_ok) {
        return tx_unexpected(p);
    }
    tx_elem_flags(e, exprs);
    return tx_elem_items(t, e, exprs);
}

/* The offset of an inline segment: i32.const 0, or i64.const 0 for a
 * 64-bit table or memory. */
static lw_expr tx_const_zero(tx_parser *p, bool is64)
{
    const uint8_t zero[] = {is64 ? 0x42 : 0x41, 0x00, 0x0b};
    lw_expr x = {wasm_arena_memdup(p->arena, zero, sizeof zero), sizeof zero, 0};
    return x;
}

static int tx_table_elem(tx_mod *t, uint32_t table, lw_valtype reftype, lw_tabletype *tt)
{
    tx_parser *p = &t->p;
    t->index[SP_ELEM]++;
    if (!tx_at_sexpr(p, "elem"))
        return tx_unexpected(p);
    if (tx_open(p) < 0)
        return -1;
    lw_elem *e = tx_push(p, &t->elems, sizeof *e);
    if (!e)
        return -1;
    e->mode = LW_SEG_ACTIVE;
    e->table = table;
    e->reftype = reftype;
    e->offset = tx_const_zero(p, tt->limits.is64);
    bool exprs = p->c.tok.kind == TOK_LPAR;
    tx_elem_flags(e, exprs);
    size_t slot = t->elems.len - 1;
    lw_elem tmp = *e;
    if (tx_elem_items(t, &tmp, exprs) < 0)
        return -1;
    ((lw_elem *)t->elems.data)[slot] = tmp;
    tt->limits.min = tt->limits.max = tmp.count;
    tt->limits.has_max = true;
    return tx_expect_rpar(p);
}

/* Offset: (offset instr*) or one folded instruction. */
static int tx_offset(tx_parser *p, lw_expr *x)
{
    if (tx_at_sexpr(p, "offset")) {
        if (tx_open(p) < 0 || tx_const_expr(p, x) < 0)
            return -1;
        return tx_expect_rpar(p);
    }
    return tx_folded_expr(p, x);
}

static int tx_elem(tx_mod *t)
{
    tx_parser *p = &t->p;
    uint32_t index = t->index[SP_ELEM]++;
    wasm_tok id = tx_take_id(p);
    if (tx_name_entry(t, SP_ELEM, &id, index, NULL) < 0)
        return -1;
    lw_elem e = {0};
    bool bare_ok = false;
    if (tx_is(p, "declare")) {
        e.mode = LW_SEG_DECLARATIVE;
        if (tx_adv(p) < 0)
            return -1;
    } else if ((p->c.tok.kind == TOK_LPAR && !tx_at_sexpr(p, "ref")) ||
               p->c.tok.kind == TOK_NUM) {
        e.mode = LW_SEG_ACTIVE;
        bool has_table = tx_at_sexpr(p, "table");
        /* A bare table index is the MVP's form (the threads proposal's
         * tests still write it). */
        if (p->c.tok.kind == TOK_NUM && tx_index(p, SP_TABLE, &e.table) < 0)
            return -1;
        if (has_table && (tx_open(p) < 0 || tx_index(p, SP_TABLE, &e.table) < 0 ||
                          tx_expect_rpar(p) < 0))
            return -1;
        if (tx_offset(p, &e.offset) < 0)
            return -1;
        bare_ok = true;
    } else {
        e.mode = LW_SEG_PASSIVE;
    }
    if (tx_elem_list(t, &e, bare_ok) < 0)
        return -1;
    lw_elem *slot = tx_push(p, &t->elems, sizeof *slot);
    if (!slot)
        return -1;
    *slot = e;
    return tx_expect_rpar(p);
}

/* Strings up to ")" concatenated, into the arena. */
static int tx_data_strings(tx_parser *p, const uint8_t **bytes, uint32_t *len)
{
    wasm_buf b = {0};
    while (p->c.tok.kind == TOK_STRING) {
        if (wasm_tok_string(&p->c.tok, &b, p->err) < 0 || tx_adv(p) < 0) {
            wasm_buf_free(&b);
            return -1;
        }
    }
    if (b.len > UINT32_MAX) {
        wasm_buf_free(&b);
        return tx_fail(p, "data segment too large");
    }
    *bytes = wasm_arena_memdup(p->arena, b.data, b.len);
    *len = (uint32_t)b.len;
    wasm_buf_free(&b);
    return *bytes ? 0 : tx_oom(p);
}

static int tx_memory_data(tx_mod *t, uint32_t mem, lw_limits *l)
{
    tx_parser *p = &t->p;
    t->index[SP_DATA]++;
    if (tx_open(p) < 0)
        return -1;
    lw_data d = {0};
    d.mode = LW_SEG_ACTIVE;
    d.memory = mem;
    d.flags = mem ? 2 : 0;
    d.offset = tx_const_zero(p, l->is64);
    if (tx_data_strings(p, &d.bytes, &d.len) < 0)
        return -1;
    lw_data *slot = tx_push(p, &t->datas, sizeof *slot);
    if (!slot)
        return -1;
    *slot = d;
    l->min = l->max = ((uint64_t)d.len + 65535) / 65536;
    l->has_max = true;
    return tx_expect_rpar(p);
}

static int tx_data(tx_mod *t)
{
    tx_parser *p = &t->p;
    uint32_t index = t->index[SP_DATA]++;
    wasm_tok id = tx_take_id(p);
    if (tx_name_entry(t, SP_DATA, &id, index, NULL) < 0)
        return -1;
    lw_data d = {0};
    d.mode = LW_SEG_PASSIVE;
    d.flags = 1;
    if (p->c.tok.kind == TOK_LPAR || p->c.tok.kind == TOK_NUM) {
        d.mode = LW_SEG_ACTIVE;
        /* A bare memory index is the MVP's form, as for elem. */
        if (p->c.tok.kind == TOK_NUM && tx_index(p, SP_MEM, &d.memory) < 0)
            return -1;
        if (tx_at_sexpr(p, "memory") && (tx_open(p) < 0 || tx_index(p, SP_MEM, &d.memory) < 0 ||
                                         tx_expect_rpar(p) < 0))
            return -1;
        if (tx_offset(p, &d.offset) < 0)
            return -1;
        d.flags = d.memory ? 2 : 0;
    }
    if (tx_data_strings(p, &d.bytes, &d.len) < 0)
        return -1;
    lw_data *slot = tx_push(p, &t->datas, sizeof *slot);
    if (!slot)
        return -1;
    *slot = d;
    return tx_expect_rpar(p);
}

static int tx_skip_field(tx_parser *p);

/* ---- pass 1 ------------------------------------------------------------- */

/* A field's type: storagetype or (mut storagetype). */
static int tx_fieldtype(tx_parser *p, lw_fieldtype *f)
{
    bool mut = tx_at_sexpr(p, "mut");
    if (mut && tx_open(p) < 0)
        return -1;
    f->mut = mut;
    if (tx_is(p, "i8") || tx_is(p, "i16")) {
        f->type = tx_is(p, "i8") ? LW_I8 : LW_I16;
        if (tx_adv(p) < 0)
            return -1;
    } else if (tx_valtype(p, &f->type) < 0) {
        return -1;
    }
    return mut ? tx_expect_rpar(p) : 0;
}

/* (struct (field $id? fieldtype) | (field fieldtype*))*, after "struct";
 * (array fieldtype), after "array". */
static int tx_fields(tx_parser *p, bool array, lw_typedef *def)
{
    tx_vec fields = {0};
    int rc = 0;
    if (array) {
        lw_fieldtype *f = tx_push(p, &fields, sizeof *f);
        rc = f ? tx_fieldtype(p, f) : -1;
    }
    while (rc == 0 && !array && tx_at_sexpr(p, "field")) {
        rc = tx_open(p);
        bool named = p->c.tok.kind == TOK_ID;
        if (rc == 0 && named) {
            const tx_field_name *seen = p->field_names.data;
            for (size_t i = 0; i < p->field_names.len; i++)
                if (seen[i].type == p->types.len && seen[i].len == p->c.tok.len - 1 &&
                    memcmp(seen[i].s, p->c.tok.s + 1, seen[i].len) == 0) {
                    rc = tx_fail(p, "duplicate field %.*s", (int)p->c.tok.len, p->c.tok.s);
                    break;
                }
        }
        if (rc == 0 && named) {
            tx_field_name *fn = tx_push(p, &p->field_names, sizeof *fn);
            if (!fn)
                rc = -1;
            else
                *fn = (tx_field_name){(uint32_t)p->types.len, (uint32_t)fields.len,
                                      p->c.tok.s + 1, p->c.tok.len - 1};
        }
        if (rc == 0 && named)
            rc = tx_adv(p);
        while (rc == 0 && p->c.tok.kind != TOK_RPAR) {
            lw_fieldtype *f = tx_push(p, &fields, sizeof *f);
            rc = f ? tx_fieldtype(p, f) : -1;
            if (named)
                break;
        }
        if (rc == 0)
            rc = tx_expect_rpar(p);
    }
    if (rc == 0) {
        def->nfields = (uint32_t)fields.len;
        def->fields = wasm_arena_memdup(p->arena, fields.data ? fields.data : (void *)"",
                                        fields.len * sizeof(lw_fieldtype));
        if (!def->fields)
            rc = tx_oom(p);
    }
    tx_vec_free(&fields);
    return rc;
}

/* (func params results) | (struct ...) | (array ...) */
static int tx_comptype(tx_parser *p, lw_functype *ft, lw_typedef *def)
{
    bool gc = p->m->features & LW_FEATURE(GC);
    if (tx_at_sexpr(p, "func")) {
        if (tx_open(p) < 0)
            return -1;
        tx_vec params = {0}, results = {0};
        tx_names_clear(&p->locals);
        int rc = tx_params_results(p, &params, &results, true);
        if (rc == 0) {
            ft->nparams = (uint32_t)params.len;
            ft->nresults = (uint32_t)results.len;
            ft->params = wasm_arena_memdup(p->arena, params.data,
                                           params.len * sizeof *ft->params);
            ft->results = wasm_arena_memdup(p->arena, results.data,
                                            results.len * sizeof *ft->results);
            if (!ft->params || !ft->results)
                rc = tx_oom(p);
        }
        tx_vec_free(&params);
        tx_vec_free(&results);
        def->kind = LW_COMP_FUNC;
        return rc < 0 ? -1 : tx_expect_rpar(p);
    }
    bool array = tx_at_sexpr(p, "array");
    if (!gc || (!array && !tx_at_sexpr(p, "struct")))
        return tx_unexpected(p);
    if (tx_open(p) < 0)
        return -1;
    def->kind = array ? LW_COMP_ARRAY : LW_COMP_STRUCT;
    if (tx_fields(p, array, def) < 0)
        return -1;
    return tx_expect_rpar(p);
}

/* $id? then (sub final? typeidx? comptype) or comptype, and ")". */
static int tx_subtype(tx_parser *p, uint32_t start)
{
    if (p->c.tok.kind == TOK_ID && tx_adv(p) < 0)
        return -1;
    lw_functype ft = {0};
    lw_typedef def = {LW_COMP_FUNC, true, LW_NO_SUPER, start, 1, 0, NULL};
    bool sub = tx_at_sexpr(p, "sub") && (p->m->features & LW_FEATURE(GC));
    if (sub) {
        if (tx_open(p) < 0)
            return -1;
        def.final = tx_is(p, "final");
        if (def.final && tx_adv(p) < 0)
            return -1;
        if (tx_at_index(p) && tx_index(p, SP_TYPE, &def.super) < 0)
            return -1;
    }
    if (tx_comptype(p, &ft, &def) < 0 || (sub && tx_expect_rpar(p) < 0))
        return -1;
    if (tx_add_type(p, &ft, &def) < 0)
        return -1;
    return tx_expect_rpar(p);
}

/* (type ...) after "type", or (rec (type ...)*) after "rec": a recursion
 * group, read in full once every type name is bound. */
static int tx_type_def(tx_parser *p, bool rec)
{
    uint32_t start = (uint32_t)p->types.len;
    if (!rec)
        return tx_subtype(p, start);
    while (tx_at_sexpr(p, "type"))
        if (tx_open(p) < 0 || tx_subtype(p, start) < 0)
            return -1;
    lw_typedef *defs = p->typedefs.data;
    for (size_t i = start; i < p->typedefs.len; i++)
        defs[i].rec_size = (uint32_t)(p->typedefs.len - start);
    return tx_expect_rpar(p);
}

/* Bind the names of (type $id? ...) after "type", or of each type of
 * (rec (type $id? ...)*) after "rec". */
static int tx_scan_types(tx_parser *p, bool rec)
{
    if (!rec)
        return tx_bind(p, SP_TYPE) < 0 ? -1 : tx_skip_field(p);
    while (tx_at_sexpr(p, "type"))
        if (tx_open(p) < 0 || tx_bind(p, SP_TYPE) < 0 || tx_skip_field(p) < 0)
            return -1;
    return tx_expect_rpar(p);
}

static int tx_import_after(tx_mod *t)
{
    if (t->first_def)
        return wasm_tok_fail(t->p.err, &t->field, "import after %s", t->first_def);
    return 0;
}

/* func/table/memory/global: bind, note definition or inline import. */
static int tx_scan_def(tx_mod *t, int space, const char *kind)
{
    tx_parser *p = &t->p;
    if (tx_bind(p, space) < 0)
        return -1;
    while (tx_at_sexpr(p, "export")) {
        if (tx_open(p) < 0 || tx_skip_field(p) < 0)
            return -1;
    }
    if (tx_at_sexpr(p, "import"))
        return tx_import_after(t);
    if (!t->first_def)
        t->first_def = kind;
    if (space == SP_TABLE && ((p->c.tok.kind == TOK_KEYWORD && p->c.next.kind == TOK_LPAR) ||
                              tx_at_sexpr(p, "ref")))
        p->counts[SP_ELEM]++;
    if (space == SP_MEM && tx_at_sexpr(p, "data"))
        p->counts[SP_DATA]++;
    return 0;
}

static int tx_scan_import(tx_mod *t)
{
    tx_parser *p = &t->p;
    if (tx_import_after(t) < 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        if (p->c.tok.kind != TOK_STRING)
            return tx_unexpected(p);
        if (tx_adv(p) < 0)
            return -1;
    }
    if (p->c.tok.kind != TOK_LPAR)
        return tx_unexpected(p);
    if (tx_adv(p) < 0)
        return -1;
    int space = tx_is(p, "func") ? SP_FUNC : tx_is(p, "table") ? SP_TABLE
              : tx_is(p, "memory") ? SP_MEM : tx_is(p, "global") ? SP_GLOBAL
              : tx_is(p, "tag") ? SP_TAG : -1;
    if (space < 0)
        return tx_unexpected(p);
    if (tx_adv(p) < 0 || tx_bind(p, space) < 0)
        return -1;
    return tx_skip_field(p);
}

/* Skip to the end of the field whose "(" keyword was read. */
static int tx_skip_field(tx_parser *p)
{
    unsigned depth = 1;
    while (depth > 0) {
        if (p->c.tok.kind == TOK_EOF)
            return tx_fail(p, "unexpected end");
        if (p->c.tok.kind == TOK_LPAR)
            depth++;
        else if (p->c.tok.kind == TOK_RPAR)
            depth--;
        if (tx_adv(p) < 0)
            return -1;
    }
    return 0;
}

static int tx_scan_field(tx_mod *t)
{
    tx_parser *p = &t->p;
    wasm_tok kw = p->c.tok;
    if (tx_adv(p) < 0)
        return -1;
    int rc = 0;
    if (wasm_tok_is(&kw, "type") ||
        (wasm_tok_is(&kw, "rec") && (p->m->features & LW_FEATURE(GC))))
        return tx_scan_types(p, wasm_tok_is(&kw, "rec"));
    if (wasm_tok_is(&kw, "import"))
        rc = tx_scan_import(t);
    else if (wasm_tok_is(&kw, "func"))
        rc = tx_scan_def(t, SP_FUNC, "function");
    else if (wasm_tok_is(&kw, "table"))
        rc = tx_scan_def(t, SP_TABLE, "table");
    else if (wasm_tok_is(&kw, "memory"))
        rc = tx_scan_def(t, SP_MEM, "memory");
    else if (wasm_tok_is(&kw, "global"))
        rc = tx_scan_def(t, SP_GLOBAL, "global");
    else if (wasm_tok_is(&kw, "tag"))
        rc = tx_scan_def(t, SP_TAG, "tag");
    else if (wasm_tok_is(&kw, "elem"))
        rc = tx_bind(p, SP_ELEM);
    else if (wasm_tok_is(&kw, "data"))
        rc = tx_bind(p, SP_DATA);
    else if (!wasm_tok_is(&kw, "export") && !wasm_tok_is(&kw, "start"))
        return wasm_tok_fail(p->err, &kw, kw.kind == TOK_KEYWORD ? "unexpected token"
                                                                 : "unknown operator");
    return rc < 0 ? -1 : tx_skip_field(p);
}

/* Fields run to the first token that is not "("; what follows is
 * checked after the second pass, so errors inside fields come first. */
/* Where (before X) and (after X) put a custom section: after the
 * section before X, or after X; sections in their binary order. */
static int tx_custom_place(const wasm_tok *t, bool before, uint8_t *after)
{
    static const struct {
        const char *name;
        uint8_t id;
    } order[] = {
        {"first", 0}, {"type", 1}, {"import", 2}, {"func", 3}, {"table", 4}, {"memory", 5},
        {"tag", 13}, {"global", 6}, {"export", 7}, {"start", 8}, {"elem", 9},
        {"datacount", 12}, {"code", 10}, {"data", 11}, {"last", 11},
    };
    for (size_t i = 0; i < COUNTOF(order); i++) {
        if (!wasm_tok_is(t, order[i].name))
            continue;
        *after = before && i > 0 && i + 1 < COUNTOF(order) ? order[i - 1].id : order[i].id;
        return 0;
    }
    return -1;
}

/* (@custom "name" ((before|after) SECTION)? "data"*) */
static int tx_custom(tx_mod *t, wasm_annot *a)
{
    tx_parser *p = &t->p;
    wasm_buf b = {0};
    wasm_tok k;
    lw_custom c = {.after = 11};
    int rc = -1;
    if (tx_annot_tok(a, &k, p->err) < 0)
        goto out;
    if (k.kind != TOK_STRING) {
        wasm_tok_fail(p->err, &k, "@custom annotation: missing section name");
        goto out;
    }
    if (wasm_tok_string(&k, &b, p->err) < 0)
        goto out;
    if (!wasm_utf8_valid(b.data, b.len)) {
        wasm_tok_fail(p->err, &k, "@custom annotation: malformed UTF-8 encoding");
        goto out;
    }
    c.name = wasm_arena_strndup(p->arena, b.len ? (const char *)b.data : "", b.len);
    b.len = 0;
    if (!c.name || tx_annot_tok(a, &k, p->err) < 0)
        goto out;
    if (k.kind == TOK_LPAR) {
        if (tx_annot_tok(a, &k, p->err) < 0)
            goto out;
        bool before = wasm_tok_is(&k, "before");
        if (!before && !wasm_tok_is(&k, "after")) {
            wasm_tok_fail(p->err, &k, "@custom annotation: malformed placement");
            goto out;
        }
        if (tx_annot_tok(a, &k, p->err) < 0)
            goto out;
        if (tx_custom_place(&k, before, &c.after) < 0) {
            wasm_tok_fail(p->err, &k, "@custom annotation: malformed section kind");
            goto out;
        }
        if (tx_annot_tok(a, &k, p->err) < 0)
            goto out;
        if (k.kind != TOK_RPAR) {
            wasm_tok_fail(p->err, &k, "@custom annotation: unexpected token");
            goto out;
        }
        if (tx_annot_tok(a, &k, p->err) < 0)
            goto out;
    }
    while (k.kind == TOK_STRING)
        if (wasm_tok_string(&k, &b, p->err) < 0 || tx_annot_tok(a, &k, p->err) < 0)
            goto out;
    if (k.kind != TOK_RPAR) {
        wasm_tok_fail(p->err, &k, "@custom annotation: unexpected token");
        goto out;
    }
    c.len = (uint32_t)b.len;
    c.data = wasm_arena_memdup(p->arena, b.len ? b.data : (const uint8_t *)"", b.len);
    lw_custom *e = c.data && !b.oom ? tx_push(p, &t->customs, sizeof *e) : NULL;
    if (e) {
        *e = c;
        rc = 0;
    } else {
        tx_oom(p);
    }
out:
    wasm_buf_free(&b);
    return rc;
}

/* The @custom annotations before the current token (between fields). */
static int tx_customs(tx_mod *t)
{
    wasm_annot a;
    int rc;
    while ((rc = tx_annot_take(&t->p, "custom", &a)) == 1)
        if (tx_custom(t, &a) < 0)
            return -1;
    return rc;
}

static bool tx_fields_end(tx_mod *t)
{
    return t->p.c.tok.kind != TOK_LPAR;
}

static int tx_pass1(tx_mod *t)
{
    tx_parser *p = &t->p;
    while (!tx_fields_end(t)) {
        t->field = p->c.tok;
        if (tx_adv(p) < 0 || tx_scan_field(t) < 0)
            return -1;
    }
    return 0;
}

/* The explicit type definitions, every type name being bound: they come
 * first in the type index space. */
static int tx_pass_types(tx_mod *t)
{
    tx_parser *p = &t->p;
    p->c = t->body;
    while (!tx_fields_end(t)) {
        if (tx_adv(p) < 0)
            return -1;
        wasm_tok kw = p->c.tok;
        if (tx_adv(p) < 0)
            return -1;
        bool rec = wasm_tok_is(&kw, "rec");
        int rc = rec || wasm_tok_is(&kw, "type") ? tx_type_def(p, rec) : tx_skip_field(p);
        if (rc < 0)
            return -1;
    }
    p->nexplicit_types = (uint32_t)p->types.len;
    return 0;
}

static int tx_pass2(tx_mod *t)
{
    tx_parser *p = &t->p;
    p->c = t->body;
    while (!tx_fields_end(t)) {
        if (tx_customs(t) < 0 || tx_adv(p) < 0)
            return -1;
        wasm_tok kw = p->c.tok;
        if (tx_adv(p) < 0)
            return -1;
        int rc;
        if (wasm_tok_is(&kw, "type") || wasm_tok_is(&kw, "rec"))
            rc = tx_skip_field(p);
        else if (wasm_tok_is(&kw, "import"))
            rc = tx_import(t);
        else if (wasm_tok_is(&kw, "func"))
            rc = tx_func(t, NULL);
        else if (wasm_tok_is(&kw, "table"))
            rc = tx_table(t, NULL);
        else if (wasm_tok_is(&kw, "memory"))
            rc = tx_memory(t, NULL);
        else if (wasm_tok_is(&kw, "global"))
            rc = tx_global(t, NULL);
        else if (wasm_tok_is(&kw, "tag"))
            rc = tx_tag(t, NULL);
        else if (wasm_tok_is(&kw, "export"))
            rc = tx_export(t);
        else if (wasm_tok_is(&kw, "start"))
            rc = tx_start(t);
        else if (wasm_tok_is(&kw, "elem"))
            rc = tx_elem(t);
        else
            rc = tx_data(t);
        if (rc < 0)
            return -1;
    }
    return tx_customs(t);
}

/* ---- the result ------------------------------------------------------- */

static const void *tx_copy(tx_mod *t, const tx_vec *v, size_t size, uint32_t *count)
{
    *count = (uint32_t)v->len;
    return wasm_arena_memdup(t->p.arena, v->data, v->len * size);
}

static int tx_names_out(tx_mod *t, int space, lw_namemap *map)
{
    map->names = tx_copy(t, &t->names[space], sizeof(lw_name), &map->count);
    return map->names ? 0 : -1;
}

static int tx_finish(tx_mod *t)
{
    lw_module *m = t->p.m;
    const void *ok = (const void *)1;
    m->types = tx_copy(t, &t->p.types, sizeof(lw_functype), &m->ntypes);
    m->typedefs = tx_copy(t, &t->p.typedefs, sizeof(lw_typedef), &m->ntypes);
    m->table_inits = tx_copy(t, &t->table_inits, sizeof(lw_expr), &(uint32_t){0});
    m->imports = tx_copy(t, &t->imports, sizeof(lw_import), &m->nimports);
    m->func_types = tx_copy(t, &t->func_types, 4, &m->nfuncs);
    m->tables = tx_copy(t, &t->tables, sizeof(lw_tabletype), &m->ntables);
    m->mems = tx_copy(t, &t->mems, sizeof(lw_limits), &m->nmems);
    m->globals = tx_copy(t, &t->globals, sizeof(lw_globaltype), &m->nglobals);
    m->tags = tx_copy(t, &t->tags, 4, &m->ntags);
    m->codes = tx_copy(t, &t->codes, sizeof(lw_code), &m->ncodes);
    m->globaldefs = tx_copy(t, &t->globaldefs, sizeof(lw_globaldef), &m->nglobaldefs);
    m->exports = tx_copy(t, &t->exports, sizeof(lw_export), &m->nexports);
    m->elems = tx_copy(t, &t->elems, sizeof(lw_elem), &m->nelems);
    m->datas = tx_copy(t, &t->datas, sizeof(lw_data), &m->ndatas);
    m->customs = tx_copy(t, &t->customs, sizeof(lw_custom), &m->ncustoms);
    if (!m->customs || !m->types || !m->typedefs || !m->table_inits || !m->tags || !m->imports || !m->func_types || !m->tables || !m->mems ||
        !m->globals || !m->codes || !m->globaldefs || !m->exports || !m->elems || !m->datas)
        ok = NULL;
    m->nfunc_imports = m->nfuncs - m->ncodes;
    m->ntable_imports = m->nmem_imports = m->nglobal_imports = m->ntag_imports = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        m->ntable_imports += m->imports[i].kind == LW_EXTERN_TABLE;
        m->nmem_imports += m->imports[i].kind == LW_EXTERN_MEMORY;
        m->nglobal_imports += m->imports[i].kind == LW_EXTERN_GLOBAL;
        m->ntag_imports += m->imports[i].kind == LW_EXTERN_TAG;
    }
    m->has_start = t->has_start;
    m->start = t->start;
    m->has_datacount = t->p.uses_data_index;
    m->datacount = m->ndatas;
    uint8_t *refs = wasm_arena_alloc(t->p.arena, m->nfuncs / 8 + 1);
    if (refs) {
        const uint32_t *r = t->p.refs.data;
        for (size_t i = 0; i < t->p.refs.len; i++)
            if (r[i] < m->nfuncs)
                refs[r[i] / 8] |= (uint8_t)(1u << (r[i] % 8));
    }
    m->declared_funcs = refs;
    lw_names *n = &m->names;
    if (tx_names_out(t, SP_FUNC, &n->funcs) < 0 || tx_names_out(t, SP_TABLE, &n->tables) < 0 ||
        tx_names_out(t, SP_MEM, &n->memories) < 0 || tx_names_out(t, SP_GLOBAL, &n->globals) < 0 ||
        tx_names_out(t, SP_TYPE, &n->types) < 0 || tx_names_out(t, SP_ELEM, &n->elems) < 0 ||
        tx_names_out(t, SP_DATA, &n->datas) < 0 || tx_names_out(t, SP_TAG, &n->tags) < 0)
        ok = NULL;
    n->locals.entries = tx_copy(t, &t->local_names, sizeof(lw_indirect_name), &n->locals.count);
    n->labels.entries = tx_copy(t, &t->label_names, sizeof(lw_indirect_name), &n->labels.count);
    if (!ok || !refs || !n->locals.entries || !n->labels.entries)
        return tx_oom(&t->p);
    return 0;
}

/* Type names: bound in pass 1 from the explicit definitions. */
static int tx_type_names(tx_mod *t)
{
    tx_names *tn = &t->p.names[SP_TYPE];
    for (size_t i = 0; i < tn->cap; i++) {
        const tx_slot *s = &tn->slots[i];
        if (!s->s)
            continue;
        lw_name *n = tx_push(&t->p, &t->names[SP_TYPE], sizeof *n);
        if (!n)
            return -1;
        n->index = s->index;
        n->name = wasm_arena_strndup(t->p.arena, s->s, s->len);
        if (!n->name)
            return tx_oom(&t->p);
    }
    lw_name *names = t->names[SP_TYPE].data;
    for (size_t i = 1; i < t->names[SP_TYPE].len; i++)
        for (size_t j = i; j > 0 && names[j - 1].index > names[j].index; j--) {
            lw_name x = names[j];
            names[j] = names[j - 1];
            names[j - 1] = x;
        }
    return 0;
}

static int tx_module_header(tx_mod *t)
{
    tx_parser *p = &t->p;
    if (p->c.tok.kind == TOK_LPAR && wasm_tok_is(&p->c.next, "module")) {
        t->wrapped = true;
        if (tx_open(p) < 0)
            return -1;
        if (p->c.tok.kind == TOK_ID) {
            p->m->names.module = tx_id_dup(p, &p->c.tok);
            if (!p->m->names.module)
                return tx_oom(p);
            if (tx_adv(p) < 0)
                return -1;
        }
        wasm_annot a;
        int rc = tx_annot_take(p, "name", &a);
        if (rc == 1 && !(p->m->names.module = tx_annot_name(p, &a, "@name")))
            return -1;
        if (rc == 1 && (rc = tx_annot_take(p, "name", &a)) == 1)
            return tx_annot_fail(p, &a, LW_ERR_MALFORMED, "@name annotation: multiple module");
        if (rc < 0)
            return -1;
    }
    t->body = p->c;
    return 0;
}

static int tx_module_trailer(tx_mod *t)
{
    tx_parser *p = &t->p;
    if (t->wrapped && tx_expect_rpar(p) < 0)
        return -1;
    if (p->c.tok.kind != TOK_EOF)
        return tx_unexpected(p);
    return 0;
}

static void tx_mod_free(tx_mod *t)
{
    tx_vec *vecs[] = {&t->imports, &t->func_types, &t->tables, &t->mems, &t->globals, &t->tags,
                      &t->codes, &t->globaldefs, &t->exports, &t->elems, &t->datas,
                      &t->local_names, &t->label_names, &t->p.types, &t->p.typedefs,
                      &t->table_inits, &t->p.local_types,
                      &t->p.labels, &t->p.label_names, &t->p.refs, &t->customs,
                      &t->p.annots_used, &t->p.hints, &t->p.local_annots,
                      &t->p.field_names};
    for (size_t i = 0; i < COUNTOF(vecs); i++)
        tx_vec_free(vecs[i]);
    for (int i = 0; i < SP_COUNT; i++) {
        tx_vec_free(&t->names[i]);
        tx_names_free(&t->p.names[i]);
    }
    tx_names_free(&t->p.locals);
    wasm_buf_free(&t->p.code);
}

enum { SOURCE_FIELDS, SOURCE_BINARY, SOURCE_QUOTE };

/* (module $id? binary "..."*) or (module $id? quote "..."*), as scripts
 * write them (wat2wasm reads them in files too): the strings. */
static int tx_module_source(tx_mod *t)
{
    tx_parser *p = &t->p;
    t->source = tx_is(p, "binary") ? SOURCE_BINARY : SOURCE_QUOTE;
    if (tx_adv(p) < 0)
        return -1;
    while (p->c.tok.kind == TOK_STRING)
        if (wasm_tok_string(&p->c.tok, &t->strings, p->err) < 0 || tx_adv(p) < 0)
            return -1;
    return tx_module_trailer(t);
}

static int tx_parse(tx_mod *t, const char *text, size_t len)
{
    tx_parser *p = &t->p;
    wasm_lex_init(&p->c.lx, text, len);
    p->c.lx.arena = p->arena;
    p->c.next.kind = TOK_LPAR;
    if (wasm_lex_next(&p->c.lx, &p->c.next, p->err) < 0 || tx_adv(p) < 0)
        return -1;
    if (tx_module_header(t) < 0)
        return -1;
    if (t->wrapped && (tx_is(p, "binary") || tx_is(p, "quote")))
        return tx_module_source(t);
    if (tx_pass1(t) < 0)
        return -1;
    tx_cursor end = p->c;
    if (tx_pass_types(t) < 0 || tx_type_names(t) < 0 || tx_pass2(t) < 0)
        return -1;
    p->c = end;
    if (tx_module_trailer(t) < 0 || tx_annot_misplaced(p, text, len) < 0)
        return -1;
    return tx_finish(t);
}

lw_module *lw_module_parse_text(const char *text, size_t len,
                                lw_features features, lw_error *err)
{
    lw_error_clear(err);
    lw_module *m = wasm_module_new(features);
    tx_mod *t = calloc(1, sizeof *t);
    if (!m || !t) {
        free(t);
        lw_module_free(m);
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        return NULL;
    }
    t->p.err = err;
    t->p.m = m;
    t->p.arena = &m->priv->arena;
    t->p.annots = features & LW_FEATURE(ANNOTATIONS);
    int rc = tx_parse(t, text, len);
    if (rc == 0 && t->source != SOURCE_FIELDS) {
        lw_module_free(m);
        const wasm_buf *b = &t->strings;
        m = t->source == SOURCE_BINARY
                ? lw_module_decode(b->data ? b->data : (const uint8_t *)"", b->len, features, err)
                : lw_module_parse_text(b->data ? (const char *)b->data : "", b->len, features, err);
        rc = m ? 0 : -1;
    }
    wasm_buf_free(&t->strings);
    tx_mod_free(t);
    free(t);
    if (rc < 0) {
        lw_module_free(m);
        return NULL;
    }
    return m;
}
