/* Private to the text module parser (text.c, textinstr.c). */
#ifndef LIBWASM_TEXT_H
#define LIBWASM_TEXT_H

#include "lex.h"

/* Index spaces that $identifiers name. */
enum { SP_FUNC, SP_TABLE, SP_MEM, SP_GLOBAL, SP_TYPE, SP_ELEM, SP_DATA, SP_TAG, SP_COUNT };

/* A growable malloc'ed array. */
typedef struct {
    void *data;
    size_t len, cap;
} tx_vec;

/* $name -> index, open addressing; names point into the source text. */
typedef struct {
    const char *s;
    uint32_t len, index;
} tx_slot;

typedef struct {
    tx_slot *slots;
    size_t cap, count;
} tx_names;

typedef struct {
    wasm_lexer lx;
    wasm_tok tok, next;
} tx_cursor;

/* One label of the enclosing blocks: its $name or none. */
typedef struct {
    const char *s;
    uint32_t len;
} tx_label;

typedef struct {
    tx_cursor c;
    lw_error *err;
    lw_module *m;
    wasm_arena *arena;
    unsigned depth;              /* nesting of folded instructions */
    tx_names names[SP_COUNT];
    uint32_t counts[SP_COUNT];   /* pass 1: entries seen per space */
    tx_vec types;                /* lw_functype, explicit then implicit */
    tx_vec typedefs;             /* lw_typedef, one per type */
    uint32_t nexplicit_types;
    /* The function being parsed. */
    tx_names locals;
    tx_vec local_types;          /* lw_valtype, params first */
    tx_vec labels;               /* tx_label */
    uint32_t nblocks;            /* block/loop/if seen in the body */
    tx_vec label_names;          /* lw_name: block number -> $label */
    wasm_buf code;
    bool uses_data_index;        /* memory.init / data.drop seen */
    bool in_const;               /* parsing a constant expression */
    tx_vec refs;                 /* uint32_t function indices for C.refs */
    bool annots;                 /* annotations feature: @custom, @name, hints */
    tx_vec annots_used;          /* const char *: the "(" of each one taken */
    tx_vec hints;                /* lw_branch_hint of the function's body */
    tx_vec local_annots;         /* lw_name: @name of the function's locals */
    tx_vec field_names;          /* tx_field_name: the $names of struct fields */
} tx_parser;

/* A struct field's $name (without "$"), in the source text. */
typedef struct {
    uint32_t type, field;
    const char *s;
    uint32_t len;
} tx_field_name;

/* Token stream. */
int tx_adv(tx_parser *p);
int tx_fail(tx_parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "unexpected end", "unexpected token", or "unknown operator" for what
 * cannot be a token of the format here or anywhere. */
int tx_unexpected(tx_parser *p);
int tx_expect_lpar(tx_parser *p);
int tx_expect_rpar(tx_parser *p);
/* Current token is "(" and the next is the keyword. */
bool tx_at_sexpr(tx_parser *p, const char *keyword);
bool tx_is(tx_parser *p, const char *keyword);

void *tx_push(tx_parser *p, tx_vec *v, size_t size);

/* Annotations that mean something (annotations feature): the next one
 * named `id` before the current token, not taken yet, is taken into *a
 * (1); 0 when there is none, -1 on out of memory. */
int tx_annot_take(tx_parser *p, const char *id, wasm_annot *a);
/* Its contents: one string (decoded into b), then ")".  what names the
 * annotation in messages ("@name"). */
int tx_annot_string(tx_parser *p, wasm_annot *a, const char *what, wasm_buf *b);
/* Fail at an annotation. */
int tx_annot_fail(tx_parser *p, const wasm_annot *a, lw_errkind kind, const char *msg);
int tx_oom(tx_parser *p);

/* The index bound to a name (without its "$"). */
bool tx_names_find(const tx_names *t, const char *s, uint32_t n, uint32_t *index);
/* Look up a $name or a number in an index space; -1 with an error. */
int tx_index(tx_parser *p, int space, uint32_t *out);
/* A field of struct type `type`: its $name or its index. */
int tx_field_index(tx_parser *p, uint32_t type, uint32_t *out);
bool tx_at_index(tx_parser *p);
int tx_valtype(tx_parser *p, lw_valtype *out);
/* At a value type: a keyword, or "(ref". */
bool tx_at_valtype(tx_parser *p);
/* A heap type: func, extern, any, ..., or a type index. */
int tx_heaptype(tx_parser *p, lw_heaptype *out);
/* Is type index t a function type? */
bool tx_is_functype(const tx_parser *p, uint32_t t);
bool tx_is_valtype(const wasm_tok *t, lw_valtype *out);
int tx_nat32(tx_parser *p, uint32_t *out);

/* Type uses: `(type x)? (param ...)* (result ...)*`; with local names
 * bound when names is set (function headers). */
int tx_typeuse(tx_parser *p, uint32_t *type, bool bind_params);
/* The parts of a type use, checked against (type x) when both are given. */
/* params and results: vectors of lw_valtype. */
int tx_typeuse_parts(tx_parser *p, bool *has_type, uint32_t *type, tx_vec *params,
                     tx_vec *results, bool bind);
uint32_t tx_intern_type(tx_parser *p, const lw_valtype *params, uint32_t np,
                        const lw_valtype *results, uint32_t nr);
void tx_vec_free(tx_vec *v);

/* Instructions (textinstr.c): into p->code. */
int tx_instrs(tx_parser *p);
/* A constant expression up to ")" with `end`, stored in the arena. */
int tx_const_expr(tx_parser *p, lw_expr *out);
/* One folded instruction as an expression (elem items, offsets). */
int tx_folded_expr(tx_parser *p, lw_expr *out);

#endif
