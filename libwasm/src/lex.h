/* Tokens of the text format (.wat and .wast), shared by the module parser
 * (text.c) and the script parser (script.c). */
#ifndef LIBWASM_LEX_H
#define LIBWASM_LEX_H

#include "internal.h"

typedef enum {
    TOK_EOF,
    TOK_LPAR,
    TOK_RPAR,
    TOK_KEYWORD,   /* idchars starting with a-z: keywords, inf, nan:0x1 */
    TOK_NUM,       /* idchars starting with a digit, + or - */
    TOK_ID,        /* $name, or $"name" (decoded to $name when the lexer has an arena) */
    TOK_STRING,    /* "...", quotes included in the text */
    TOK_RESERVED,  /* anything else: "a""b", 0$x, a lone $ */
} wasm_tokkind;

typedef struct {
    uint8_t kind;
    uint32_t len;
    const char *s;
    uint32_t line, col;
    const char *why;   /* TOK_RESERVED: the error where a token is needed */
    /* The first annotation "(@..." in the space before the token, or NULL;
     * the line it is on and where that line starts. */
    const char *annot, *annot_line_start;
    uint32_t annot_line;
} wasm_tok;

typedef struct {
    const char *p, *end, *line_start;
    const char *whole_end;  /* of the text (end may stop before it) */
    uint32_t line;
    bool saw_annot;         /* an annotation was read */
    wasm_arena *arena;   /* set: $"..." identifiers come out as $ + their bytes */
} wasm_lexer;

void wasm_lex_init(wasm_lexer *lx, const char *text, size_t len);
/* Next token into *t; -1 with err filled on a lexical error. */
int wasm_lex_next(wasm_lexer *lx, wasm_tok *t, lw_error *err);
/* An annotation (@id ...) and its contents, read with a lexer. */
typedef struct {
    const char *start;      /* its "(" */
    uint32_t line, col;
    char id[32];            /* the id (decoded when quoted); "" when longer */
    uint32_t id_len;
    wasm_lexer body;        /* positioned after the id, up to the text's end */
} wasm_annot;

/* Walk the annotations before token t (which lexer lx read): set it up
 * with wasm_annot_iter, then wasm_annot_next gives them in order. */
void wasm_annot_iter(const wasm_tok *t, const wasm_lexer *lx, wasm_lexer *it);
bool wasm_annot_next(wasm_lexer *it, wasm_annot *a);

/* Fail at the token's position. */
int wasm_tok_fail(lw_error *err, const wasm_tok *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool wasm_tok_is(const wasm_tok *t, const char *keyword);
/* The message for a reserved token: "unknown operator", or what is wrong
 * with an identifier ("empty identifier" for a lone $). */
const char *wasm_tok_reserved(const wasm_tok *t);

/* Decode a string token's contents (escapes resolved) into b. */
int wasm_tok_string(const wasm_tok *t, wasm_buf *b, lw_error *err);

/* ---- numbers (floatlit.c) ------------------------------------------ */

/* Status of the number parsers: 0 ok, NUM_MALFORMED (not a number of that
 * kind: "unknown operator" where an operator was expected), NUM_RANGE
 * ("constant out of range"). */
enum { NUM_OK = 0, NUM_MALFORMED = 1, NUM_RANGE = 2 };

/* Unsigned integer (decimal or 0x hex, underscores between digits), no sign. */
int wasm_parse_nat(const char *s, size_t n, uint64_t max, uint64_t *out);
/* Integer of `bits` (32 or 64, or 8/16 for lanes): unsigned range or, with
 * a sign, the signed range; two's complement result in *out. */
int wasm_parse_int(const char *s, size_t n, unsigned bits, uint64_t *out);
int wasm_parse_f32(const char *s, size_t n, uint32_t *out);
int wasm_parse_f64(const char *s, size_t n, uint64_t *out);

#endif
