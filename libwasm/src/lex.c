/* The text format's lexer: tokens, comments, strings, annotations. */
#include "lex.h"

static const uint8_t lex_idchar[256] = {
    ['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
    ['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
    ['*'] = 1, ['+'] = 1, ['-'] = 1, ['.'] = 1, ['/'] = 1, [':'] = 1,
    ['<'] = 1, ['='] = 1, ['>'] = 1, ['?'] = 1, ['@'] = 1, ['\\'] = 1,
    ['^'] = 1, ['_'] = 1, ['`'] = 1, ['|'] = 1, ['~'] = 1,
};

void wasm_lex_init(wasm_lexer *lx, const char *text, size_t len)
{
    lx->p = text;
    lx->end = lx->whole_end = text + len;
    lx->line_start = text;
    lx->line = 1;
    lx->saw_annot = false;
    lx->arena = NULL;
}

static int lex_fail(wasm_lexer *lx, const char *at, lw_error *err, const char *msg)
{
    return wasm_fail_pos(err, LW_ERR_MALFORMED, lx->line,
                         (uint32_t)(at - lx->line_start) + 1, "%s", msg);
}

static void lex_newline(wasm_lexer *lx, const char *after)
{
    lx->line++;
    lx->line_start = after;
}

/* Past a block comment whose "(;" starts at lx->p. */
static int lex_block_comment(wasm_lexer *lx, lw_error *err)
{
    const char *start = lx->p;
    const char *p = lx->p + 2;
    unsigned depth = 1;
    while (p < lx->end) {
        char c = *p;
        if (c == '(' && p + 1 < lx->end && p[1] == ';') {
            depth++;
            p += 2;
        } else if (c == ';' && p + 1 < lx->end && p[1] == ')') {
            p += 2;
            if (--depth == 0) {
                lx->p = p;
                return 0;
            }
        } else {
            p++;
            if (c == '\n' || (c == '\r' && (p == lx->end || *p != '\n')))
                lex_newline(lx, p);
        }
    }
    lx->p = p;
    return lex_fail(lx, start, err, "unclosed comment");
}

/* Skip white space and comments. */
static int lex_space(wasm_lexer *lx, lw_error *err)
{
    while (lx->p < lx->end) {
        char c = *lx->p;
        if (c == ' ' || c == '\t') {
            lx->p++;
        } else if (c == '\n' || c == '\r') {
            lx->p++;
            if (c == '\r' && lx->p < lx->end && *lx->p == '\n')
                lx->p++;
            lex_newline(lx, lx->p);
        } else if (c == ';' && lx->p + 1 < lx->end && lx->p[1] == ';') {
            while (lx->p < lx->end && *lx->p != '\n' && *lx->p != '\r')
                lx->p++;
        } else if (c == '(' && lx->p + 1 < lx->end && lx->p[1] == ';') {
            if (lex_block_comment(lx, err) < 0)
                return -1;
        } else {
            break;
        }
    }
    return 0;
}

/* Past a string starting at p (on its quote); NULL if unclosed. */
static const char *lex_string_end(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '"')
            return p + 1;
        if (*p == '\\' && p + 1 < end)
            p++;
        else if (*p == '\n')
            return NULL;
    }
    return NULL;
}

/* parts: idchar runs and strings making up the token. */
static uint8_t lex_classify(const char *s, size_t n, bool has_string, unsigned parts)
{
    if (has_string && parts == 2 && n > 2 && s[0] == '$' && s[1] == '"')
        return TOK_ID;
    if (has_string)
        return parts == 1 ? TOK_STRING : TOK_RESERVED;
    if (s[0] == '$')
        return n > 1 ? TOK_ID : TOK_RESERVED;
    if (s[0] >= 'a' && s[0] <= 'z')
        return TOK_KEYWORD;
    if ((s[0] >= '0' && s[0] <= '9') || s[0] == '+' || s[0] == '-')
        return TOK_NUM;
    return TOK_RESERVED;
}

/* $"...": its string must decode to a non-empty name in UTF-8.  With an
 * arena, the token becomes "$" and those bytes, so that $"a" and $a are
 * the same identifier wherever tokens are compared. */
static int lex_quoted_id(wasm_lexer *lx, wasm_tok *t, lw_error *err)
{
    wasm_tok str = *t;
    str.s++;
    str.len--;
    wasm_buf b = {0};
    wasm_buf_byte(&b, '$');
    lw_error e;
    lw_error_clear(&e);
    int rc = wasm_tok_string(&str, &b, &e);
    if (rc == 0 && b.oom) {
        rc = wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    } else if (rc < 0 && e.kind == LW_ERR_NOMEM) {
        *err = e;
    } else if (rc < 0 || b.len == 1 || !wasm_utf8_valid(b.data + 1, b.len - 1)) {
        /* not an identifier: a reserved token, an error where one is needed */
        t->kind = TOK_RESERVED;
        t->why = rc == 0 && b.len > 1 ? "malformed UTF-8 encoding" : "empty identifier";
        rc = 1;
    }
    if (rc == 0 && lx->arena) {
        char *s = wasm_arena_memdup(lx->arena, b.data, b.len);
        if (!s)
            rc = wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        t->s = s;
        t->len = (uint32_t)b.len;
    }
    wasm_buf_free(&b);
    return rc < 0 ? -1 : 0;
}

/* What stands at p inside an annotation where no token may start: a
 * character of no token, or bytes that are no UTF-8 at all. */
static int lex_bad_char(wasm_lexer *lx, const char *p, lw_error *err)
{
    uint8_t c = (uint8_t)*p;
    size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    bool utf8 = c < 0x80 || (n && (size_t)(lx->end - p) >= n &&
                             wasm_utf8_valid((const uint8_t *)p, n));
    return lex_fail(lx, p, err, utf8 ? "illegal character" : "malformed UTF-8 encoding");
}

/* The id after "(@": idchars, or a string that decodes to a non-empty
 * name in UTF-8. */
static int lex_annot_id(wasm_lexer *lx, lw_error *err)
{
    const char *p = lx->p;
    if (p < lx->end && *p == '"') {
        const char *e = lex_string_end(p, lx->end);
        if (!e)
            return lex_fail(lx, p, err, "empty annotation id");
        wasm_tok str = {.kind = TOK_STRING, .s = p, .len = (uint32_t)(e - p),
                        .line = lx->line, .col = (uint32_t)(p - lx->line_start) + 1};
        wasm_buf b = {0};
        int rc = wasm_tok_string(&str, &b, err);
        if (rc == 0 && b.len == 0)
            rc = lex_fail(lx, p, err, "empty annotation id");
        else if (rc == 0 && !wasm_utf8_valid(b.data, b.len))
            rc = lex_fail(lx, p, err, "malformed UTF-8 encoding");
        wasm_buf_free(&b);
        lx->p = e;
        return rc;
    }
    while (p < lx->end && lex_idchar[(uint8_t)*p])
        p++;
    if (p == lx->p)
        return lex_fail(lx, p, err, "empty annotation id");
    lx->p = p;
    return 0;
}

/* The rest of an annotation after its id, up to its matching ")": any
 * tokens, strings and comments, parentheses balanced. */
static int lex_annot_body(wasm_lexer *lx, const char *start, lw_error *err)
{
    unsigned depth = 1;
    for (;;) {
        if (lex_space(lx, err) < 0)
            return -1;
        if (lx->p >= lx->end)
            return lex_fail(lx, start, err, "unclosed annotation");
        const char *p = lx->p;
        if (*p == '(') {
            depth++;
            lx->p++;
        } else if (*p == ')') {
            lx->p++;
            if (--depth == 0)
                return 0;
        } else if (*p == '"') {
            lx->p = lex_string_end(p, lx->end);
            if (!lx->p) {
                lx->p = p;
                return lex_fail(lx, p, err, "unclosed string");
            }
        } else {
            for (; p < lx->end; p++) {
                uint8_t c = (uint8_t)*p;
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' ||
                    c == '"' || (c == ';' && p + 1 < lx->end && p[1] == ';'))
                    break;
                if (c < 0x20 || c >= 0x7f)
                    return lex_bad_char(lx, p, err);
            }
            lx->p = p;
        }
    }
}

/* An annotation "(@id ...)" at lx->p, checked and skipped. */
static int lex_annotation(wasm_lexer *lx, lw_error *err)
{
    const char *start = lx->p;
    lx->p += 2;
    if (lex_annot_id(lx, err) < 0)
        return -1;
    return lex_annot_body(lx, start, err);
}

bool wasm_annot_next(wasm_lexer *it, wasm_annot *a)
{
    lw_error err;
    if (!it->p || lex_space(it, &err) < 0 || it->p + 1 >= it->end || it->p[0] != '(' ||
        it->p[1] != '@')
        return false;
    a->start = it->p;
    a->line = it->line;
    a->col = (uint32_t)(it->p - it->line_start) + 1;
    it->p += 2;
    const char *id = it->p;
    if (lex_annot_id(it, &err) < 0)
        return false;
    a->id_len = 0;
    if (*id == '"') {
        wasm_tok str = {.kind = TOK_STRING, .s = id, .len = (uint32_t)(it->p - id)};
        wasm_buf b = {0};
        if (wasm_tok_string(&str, &b, &err) == 0 && b.len < sizeof a->id) {
            memcpy(a->id, b.data, b.len);
            a->id_len = (uint32_t)b.len;
        }
        wasm_buf_free(&b);
    } else if ((size_t)(it->p - id) < sizeof a->id) {
        a->id_len = (uint32_t)(it->p - id);
        memcpy(a->id, id, a->id_len);
    }
    a->id[a->id_len] = 0;
    a->body = *it;
    a->body.end = it->whole_end;
    const char *end = it->end;
    it->end = it->whole_end;
    int rc = lex_annot_body(it, a->start, &err);
    it->end = end;
    return rc == 0;
}

void wasm_annot_iter(const wasm_tok *t, const wasm_lexer *lx, wasm_lexer *it)
{
    *it = *lx;
    it->p = t->annot;
    it->end = t->s;
    it->line = t->annot_line;
    it->line_start = t->annot_line_start;
}

int wasm_lex_next(wasm_lexer *lx, wasm_tok *t, lw_error *err)
{
    t->annot = NULL;
again:
    if (lex_space(lx, err) < 0)
        return -1;
    t->s = lx->p;
    t->line = lx->line;
    t->col = (uint32_t)(lx->p - lx->line_start) + 1;
    if (lx->p >= lx->end) {
        t->kind = TOK_EOF;
        t->len = 0;
        return 0;
    }
    char c = *lx->p;
    if (c == '(' || c == ')') {
        if (c == '(' && lx->p + 1 < lx->end && lx->p[1] == '@') {
            lx->saw_annot = true;
            if (!t->annot) {
                t->annot = lx->p;
                t->annot_line = lx->line;
                t->annot_line_start = lx->line_start;
            }
            if (lex_annotation(lx, err) < 0)
                return -1;
            goto again;
        }
        lx->p++;
        t->kind = c == '(' ? TOK_LPAR : TOK_RPAR;
        t->len = 1;
        return 0;
    }
    const char *p = lx->p;
    bool has_string = false;
    unsigned parts = 0;
    while (p < lx->end) {
        if (lex_idchar[(uint8_t)*p]) {
            if (p == lx->p || p[-1] == '"')
                parts++;
            p++;
        } else if (*p == '"') {
            const char *e = lex_string_end(p, lx->end);
            parts++;
            if (!e)
                return lex_fail(lx, p, err, p == lx->p + 1 && c == '$' ? "empty identifier"
                                                                      : "unclosed string");
            has_string = true;
            p = e;
        } else {
            break;
        }
    }
    if (p == lx->p)
        return lex_fail(lx, p, err, (uint8_t)c >= 0x80 ? "malformed UTF-8 encoding"
                                                       : "unknown operator");
    t->len = (uint32_t)(p - lx->p);
    t->kind = lex_classify(lx->p, t->len, has_string, parts);
    t->why = NULL;
    if (t->len == 1 && c == '$')
        t->why = "empty identifier";
    if (t->kind == TOK_ID && t->s[1] == '"' && lex_quoted_id(lx, t, err) < 0)
        return -1;
    lx->p = p;
    return 0;
}

const char *wasm_tok_reserved(const wasm_tok *t)
{
    return t->why ? t->why : "unknown operator";
}

int wasm_tok_fail(lw_error *err, const wasm_tok *t, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return wasm_fail_pos(err, LW_ERR_MALFORMED, t->line, t->col, "%s", msg);
}

bool wasm_tok_is(const wasm_tok *t, const char *keyword)
{
    return t->kind == TOK_KEYWORD && strlen(keyword) == t->len &&
           memcmp(t->s, keyword, t->len) == 0;
}

static int lex_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void lex_put_utf8(wasm_buf *b, uint32_t cp)
{
    if (cp < 0x80) {
        wasm_buf_byte(b, (uint8_t)cp);
    } else if (cp < 0x800) {
        wasm_buf_byte(b, (uint8_t)(0xc0 | cp >> 6));
        wasm_buf_byte(b, (uint8_t)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        wasm_buf_byte(b, (uint8_t)(0xe0 | cp >> 12));
        wasm_buf_byte(b, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
        wasm_buf_byte(b, (uint8_t)(0x80 | (cp & 0x3f)));
    } else {
        wasm_buf_byte(b, (uint8_t)(0xf0 | cp >> 18));
        wasm_buf_byte(b, (uint8_t)(0x80 | ((cp >> 12) & 0x3f)));
        wasm_buf_byte(b, (uint8_t)(0x80 | ((cp >> 6) & 0x3f)));
        wasm_buf_byte(b, (uint8_t)(0x80 | (cp & 0x3f)));
    }
}

/* \u{hex}: at p (after "\u"); returns the position after "}" or NULL. */
static const char *lex_unicode_escape(const char *p, const char *end, wasm_buf *b)
{
    if (p >= end || *p != '{')
        return NULL;
    uint32_t cp = 0;
    int digits = 0;
    for (p++; p < end && *p != '}'; p++) {
        if (*p == '_' && digits > 0)
            continue;
        int v = lex_hexval(*p);
        if (v < 0 || cp > 0x10ffff)
            return NULL;
        cp = cp * 16 + (uint32_t)v;
        digits++;
    }
    if (p >= end || digits == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
        return NULL;
    lex_put_utf8(b, cp);
    return p + 1;
}

int wasm_tok_string(const wasm_tok *t, wasm_buf *b, lw_error *err)
{
    const char *p = t->s + 1, *end = t->s + t->len - 1;
    while (p < end) {
        uint8_t c = (uint8_t)*p;
        if (c != '\\') {
            if (c < 0x20 || c == 0x7f)
                return wasm_tok_fail(err, t, "illegal control character");
            wasm_buf_byte(b, c);
            p++;
            continue;
        }
        char e = p[1];
        p += 2;
        switch (e) {
        case 'n': wasm_buf_byte(b, '\n'); break;
        case 't': wasm_buf_byte(b, '\t'); break;
        case 'r': wasm_buf_byte(b, '\r'); break;
        case '\\': wasm_buf_byte(b, '\\'); break;
        case '\'': wasm_buf_byte(b, '\''); break;
        case '"': wasm_buf_byte(b, '"'); break;
        case 'u':
            p = lex_unicode_escape(p, end, b);
            if (!p)
                return wasm_tok_fail(err, t, "malformed UTF-8 encoding");
            break;
        default: {
            int hi = lex_hexval(e), lo = p < end ? lex_hexval(*p) : -1;
            if (hi < 0 || lo < 0)
                return wasm_tok_fail(err, t, "illegal escape");
            wasm_buf_byte(b, (uint8_t)(hi * 16 + lo));
            p++;
        }
        }
    }
    if (b->oom)
        return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    return 0;
}
