/* A small scripting language: source text is tokenised, compiled to
 * bytecode and run by a switch-dispatch loop that keeps its variables in
 * a string-keyed hash table, as a naive dynamic language keeps its
 * globals.  The script searches Collatz sequences and builds a sieve in a
 * table of integers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *source =
    "limit = 50000; best = 0; arg = 0; total = 0; i = 1;\n"
    "while (i < limit) {\n"
    "  x = i; steps = 0;\n"
    "  while (x != 1) {\n"
    "    if (x % 2 == 0) { x = x / 2; } else { x = 3 * x + 1; }\n"
    "    steps = steps + 1;\n"
    "  }\n"
    "  if (steps > best) { best = steps; arg = i; }\n"
    "  total = total + steps;\n"
    "  i = i + 1;\n"
    "}\n"
    "print best; print arg; print total;\n"
    "n = 100000; i = 2; count = 0; hash = 7;\n"
    "while (i < n) { cell[i] = 1; i = i + 1; }\n"
    "i = 2;\n"
    "while (i * i < n) {\n"
    "  if (cell[i]) { j = i * i; while (j < n) { cell[j] = 0; j = j + i; } }\n"
    "  i = i + 1;\n"
    "}\n"
    "i = 2;\n"
    "while (i < n) {\n"
    "  if (cell[i]) { count = count + 1; hash = (hash * 31 + i) % 1000000007; }\n"
    "  i = i + 1;\n"
    "}\n"
    "print count; print hash;\n";

/* ---- tokens ---- */

enum { T_END, T_NUM, T_NAME, T_PRINT, T_WHILE, T_IF, T_ELSE, T_OP };

typedef struct {
    int kind;
    int64_t num;
    const char *s;   /* names and operators point into the source */
    int len;
} token;

static const char *src_pos;
static token tok;

static void next(void)
{
    while (*src_pos == ' ' || *src_pos == '\n')
        src_pos++;
    tok.s = src_pos;
    if (!*src_pos) {
        tok.kind = T_END;
        return;
    }
    if (*src_pos >= '0' && *src_pos <= '9') {
        tok.kind = T_NUM;
        tok.num = 0;
        while (*src_pos >= '0' && *src_pos <= '9')
            tok.num = tok.num * 10 + (*src_pos++ - '0');
        return;
    }
    if ((*src_pos >= 'a' && *src_pos <= 'z') || *src_pos == '_') {
        while ((*src_pos >= 'a' && *src_pos <= 'z') || *src_pos == '_' ||
               (*src_pos >= '0' && *src_pos <= '9'))
            src_pos++;
        tok.len = (int)(src_pos - tok.s);
        tok.kind = T_NAME;
        if (tok.len == 5 && !memcmp(tok.s, "print", 5)) tok.kind = T_PRINT;
        if (tok.len == 5 && !memcmp(tok.s, "while", 5)) tok.kind = T_WHILE;
        if (tok.len == 2 && !memcmp(tok.s, "if", 2)) tok.kind = T_IF;
        if (tok.len == 4 && !memcmp(tok.s, "else", 4)) tok.kind = T_ELSE;
        return;
    }
    tok.kind = T_OP;
    tok.len = (src_pos[1] == '=' && strchr("=!<>", src_pos[0])) ? 2 : 1;
    src_pos += tok.len;
}

static int is_op(const char *op)
{
    return tok.kind == T_OP && tok.len == (int)strlen(op) && !memcmp(tok.s, op, tok.len);
}

static void expect(const char *op)
{
    if (!is_op(op)) {
        printf("syntax error: expected %s\n", op);
        exit(1);
    }
    next();
}

/* ---- bytecode ---- */

enum {
    OP_CONST, OP_GET, OP_SET, OP_GETI, OP_SETI,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
    OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_NOT, OP_NEG,
    OP_JMP, OP_JZ, OP_PRINT, OP_HALT
};

typedef struct {
    int32_t op;
    int32_t arg;     /* constant index, name index or jump target */
} insn;

static insn code[4096];
static int ncode;
static int64_t consts[256];
static int nconsts;

typedef struct {
    const char *s;
    int len;
    uint32_t hash;
} name;

static name names[256];
static int nnames;

static uint32_t hash_str(const char *s, int len)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < len; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static int emit(int op, int arg)
{
    code[ncode].op = op;
    code[ncode].arg = arg;
    return ncode++;
}

static int name_index(const char *s, int len)
{
    for (int i = 0; i < nnames; i++)
        if (names[i].len == len && !memcmp(names[i].s, s, len))
            return i;
    names[nnames].s = s;
    names[nnames].len = len;
    names[nnames].hash = hash_str(s, len);
    return nnames++;
}

static void expr(void);

static void primary(void)
{
    if (tok.kind == T_NUM) {
        consts[nconsts] = tok.num;
        emit(OP_CONST, nconsts++);
        next();
    } else if (tok.kind == T_NAME) {
        int n = name_index(tok.s, tok.len);
        next();
        if (is_op("[")) {
            next();
            expr();
            expect("]");
            emit(OP_GETI, n);
        } else {
            emit(OP_GET, n);
        }
    } else if (is_op("(")) {
        next();
        expr();
        expect(")");
    } else if (is_op("-")) {
        next();
        primary();
        emit(OP_NEG, 0);
    } else if (is_op("!")) {
        next();
        primary();
        emit(OP_NOT, 0);
    } else {
        printf("syntax error at '%.10s'\n", tok.s);
        exit(1);
    }
}

static void term(void)
{
    primary();
    for (;;) {
        int op = is_op("*") ? OP_MUL : is_op("/") ? OP_DIV : is_op("%") ? OP_MOD : -1;
        if (op < 0)
            return;
        next();
        primary();
        emit(op, 0);
    }
}

static void sum(void)
{
    term();
    for (;;) {
        int op = is_op("+") ? OP_ADD : is_op("-") ? OP_SUB : -1;
        if (op < 0)
            return;
        next();
        term();
        emit(op, 0);
    }
}

static void expr(void)
{
    sum();
    int op = is_op("<") ? OP_LT : is_op("<=") ? OP_LE : is_op(">") ? OP_GT
           : is_op(">=") ? OP_GE : is_op("==") ? OP_EQ : is_op("!=") ? OP_NE : -1;
    if (op >= 0) {
        next();
        sum();
        emit(op, 0);
    }
}

static void block(void);

static void statement(void)
{
    if (tok.kind == T_PRINT) {
        next();
        expr();
        expect(";");
        emit(OP_PRINT, 0);
    } else if (tok.kind == T_WHILE) {
        next();
        int top = ncode;
        expect("(");
        expr();
        expect(")");
        int jz = emit(OP_JZ, 0);
        block();
        emit(OP_JMP, top);
        code[jz].arg = ncode;
    } else if (tok.kind == T_IF) {
        next();
        expect("(");
        expr();
        expect(")");
        int jz = emit(OP_JZ, 0);
        block();
        if (tok.kind == T_ELSE) {
            int jmp = emit(OP_JMP, 0);
            code[jz].arg = ncode;
            next();
            block();
            code[jmp].arg = ncode;
        } else {
            code[jz].arg = ncode;
        }
    } else if (tok.kind == T_NAME) {
        int n = name_index(tok.s, tok.len);
        next();
        if (is_op("[")) {
            next();
            expr();
            expect("]");
            expect("=");
            expr();
            expect(";");
            emit(OP_SETI, n);
        } else {
            expect("=");
            expr();
            expect(";");
            emit(OP_SET, n);
        }
    } else {
        printf("syntax error at '%.10s'\n", tok.s);
        exit(1);
    }
}

static void block(void)
{
    expect("{");
    while (!is_op("}"))
        statement();
    next();
}

/* ---- variables: an open-addressing hash table keyed by name ---- */

typedef struct {
    const char *key;   /* NULL: empty */
    int len;
    uint32_t hash;
    int64_t value;
    int64_t *items;    /* a table variable's cells, grown on demand */
    int64_t nitems;
} var;

#define NVARS 64
static var vars[NVARS];

static var *lookup(const name *n)
{
    uint32_t i = n->hash & (NVARS - 1);
    for (;;) {
        var *v = &vars[i];
        if (!v->key) {
            v->key = n->s;
            v->len = n->len;
            v->hash = n->hash;
            return v;
        }
        if (v->hash == n->hash && v->len == n->len && !memcmp(v->key, n->s, n->len))
            return v;
        i = (i + 1) & (NVARS - 1);
    }
}

static int64_t *cell(var *v, int64_t i)
{
    if (i < 0) {
        printf("negative index\n");
        exit(1);
    }
    if (i >= v->nitems) {
        int64_t n = v->nitems ? v->nitems : 16;
        while (n <= i)
            n *= 2;
        v->items = realloc(v->items, (size_t)n * sizeof *v->items);
        memset(v->items + v->nitems, 0, (size_t)(n - v->nitems) * sizeof *v->items);
        v->nitems = n;
    }
    return &v->items[i];
}

static void run(void)
{
    int64_t stack[64];
    int sp = 0;
    const insn *pc = code;
    for (;;) {
        const insn *i = pc++;
        switch (i->op) {
        case OP_CONST: stack[sp++] = consts[i->arg]; break;
        case OP_GET: stack[sp++] = lookup(&names[i->arg])->value; break;
        case OP_SET: lookup(&names[i->arg])->value = stack[--sp]; break;
        case OP_GETI:
            stack[sp - 1] = *cell(lookup(&names[i->arg]), stack[sp - 1]);
            break;
        case OP_SETI:
            sp -= 2;
            *cell(lookup(&names[i->arg]), stack[sp]) = stack[sp + 1];
            break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_DIV: sp--; stack[sp - 1] /= stack[sp]; break;
        case OP_MOD: sp--; stack[sp - 1] %= stack[sp]; break;
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_LE: sp--; stack[sp - 1] = stack[sp - 1] <= stack[sp]; break;
        case OP_GT: sp--; stack[sp - 1] = stack[sp - 1] > stack[sp]; break;
        case OP_GE: sp--; stack[sp - 1] = stack[sp - 1] >= stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_NE: sp--; stack[sp - 1] = stack[sp - 1] != stack[sp]; break;
        case OP_NOT: stack[sp - 1] = !stack[sp - 1]; break;
        case OP_NEG: stack[sp - 1] = -stack[sp - 1]; break;
        case OP_JMP: pc = code + i->arg; break;
        case OP_JZ: if (!stack[--sp]) pc = code + i->arg; break;
        case OP_PRINT: printf("%lld\n", (long long)stack[--sp]); break;
        default: return;
        }
    }
}

int main(void)
{
    src_pos = source;
    next();
    while (tok.kind != T_END)
        statement();
    emit(OP_HALT, 0);
    printf("%d instructions, %d names\n", ncode, nnames);
    run();
    return 0;
}
