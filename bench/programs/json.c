/* A JSON parser over a large generated document: recursive descent into
 * a tree held in an arena, string escapes decoded to UTF-8, then a walk
 * that summarises the tree.  Numbers stay integers (mantissa and decimal
 * exponent) so that the output does not depend on the C library. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the document ---- */

static uint32_t rng = 2463534242u;

static uint32_t rand32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static char *doc;
static size_t doc_len, doc_cap;

static void put(const char *s, size_t n)
{
    if (doc_len + n > doc_cap) {
        doc_cap = doc_cap ? doc_cap * 2 : 1 << 16;
        doc = realloc(doc, doc_cap);
    }
    memcpy(doc + doc_len, s, n);
    doc_len += n;
}

static void puts_(const char *s) { put(s, strlen(s)); }

static const char *const words[] = {
    "id", "name", "value", "tags", "items", "price", "count", "enabled",
    "description", "location", "created", "children", "weight", "unit",
};

static void gen_string(void)
{
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789";
    char buf[64];
    int n = 3 + (int)(rand32() % 24);
    put("\"", 1);
    for (int i = 0; i < n; i++) {
        uint32_t r = rand32() % 64;
        if (r == 0) {
            puts_("\\n");
        } else if (r == 1) {
            puts_("\\\"");
        } else if (r == 2) {
            snprintf(buf, sizeof buf, "\\u%04x", 0xe0 + (unsigned)(rand32() % 32));
            puts_(buf);
        } else {
            put(&alpha[rand32() % (sizeof alpha - 1)], 1);
        }
    }
    put("\"", 1);
}

static void gen_value(int depth)
{
    char buf[64];
    uint32_t r = rand32() % 10;
    if (depth > 5 && r >= 7)
        r = rand32() % 7;
    switch (r) {
    case 0: case 1:
        snprintf(buf, sizeof buf, "%d", (int)(rand32() % 2000000) - 1000000);
        puts_(buf);
        break;
    case 2: {
        unsigned whole = rand32() % 10000, cents = rand32() % 100;
        snprintf(buf, sizeof buf, "%u.%02u", whole, cents);
        puts_(buf);
        break;
    }
    case 3: case 4: gen_string(); break;
    case 5: puts_(rand32() & 1 ? "true" : "false"); break;
    case 6: puts_("null"); break;
    case 7: {
        int n = (int)(rand32() % 8);
        put("[", 1);
        for (int i = 0; i < n; i++) {
            if (i) put(", ", 2);
            gen_value(depth + 1);
        }
        put("]", 1);
        break;
    }
    default: {
        int n = 1 + (int)(rand32() % 6);
        put("{", 1);
        for (int i = 0; i < n; i++) {
            if (i) put(",", 1);
            put("\n", 1);
            const char *word = words[rand32() % 14];
            unsigned suffix = rand32() % 4;
            snprintf(buf, sizeof buf, "\"%s%u\": ", word, suffix);
            puts_(buf);
            gen_value(depth + 1);
        }
        put("}", 1);
    }
    }
}

/* ---- the tree ---- */

enum { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct node {
    uint8_t kind;
    int32_t exp10;           /* J_NUM: value = mant * 10^exp10 */
    int64_t mant;
    char *str;               /* J_STR, and the key of an object member */
    uint32_t len;
    char *key;
    uint32_t key_len;
    struct node *first, *next;
} node;

static char *arena;
static size_t arena_used, arena_size;

static void *alloc(size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (arena_used + n > arena_size) {
        printf("arena full\n");
        exit(1);
    }
    void *p = arena + arena_used;
    arena_used += n;
    return p;
}

static const char *p;

static void fail(const char *what)
{
    printf("parse error at %ld: %s\n", (long)(p - doc), what);
    exit(1);
}

static void ws(void)
{
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    fail("bad hex digit");
    return 0;
}

/* Decodes the string at p (after the quote) into the arena. */
static char *parse_string(uint32_t *len)
{
    const char *start = p;
    size_t max = 0;
    while (start[max] != '"') {
        if (!start[max]) fail("unterminated string");
        max += start[max] == '\\' ? 2 : 1;
    }
    char *out = alloc(max + 1), *o = out;
    while (*p != '"') {
        char c = *p++;
        if (c != '\\') {
            *o++ = c;
            continue;
        }
        c = *p++;
        switch (c) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            unsigned u = 0;
            for (int i = 0; i < 4; i++)
                u = u * 16 + (unsigned)hexval(*p++);
            if (u < 0x80) {
                *o++ = (char)u;
            } else if (u < 0x800) {
                *o++ = (char)(0xc0 | u >> 6);
                *o++ = (char)(0x80 | (u & 0x3f));
            } else {
                *o++ = (char)(0xe0 | u >> 12);
                *o++ = (char)(0x80 | (u >> 6 & 0x3f));
                *o++ = (char)(0x80 | (u & 0x3f));
            }
            break;
        }
        default: *o++ = c;
        }
    }
    p++;
    *o = 0;
    *len = (uint32_t)(o - out);
    return out;
}

static node *parse_value(void)
{
    node *n = alloc(sizeof *n);
    memset(n, 0, sizeof *n);
    ws();
    switch (*p) {
    case '{': {
        node **tail = &n->first;
        n->kind = J_OBJ;
        p++;
        ws();
        if (*p == '}') { p++; break; }
        for (;;) {
            ws();
            if (*p++ != '"') fail("expected a key");
            uint32_t klen;
            char *key = parse_string(&klen);
            ws();
            if (*p++ != ':') fail("expected ':'");
            node *v = parse_value();
            v->key = key;
            v->key_len = klen;
            *tail = v;
            tail = &v->next;
            ws();
            if (*p == ',') { p++; continue; }
            if (*p++ != '}') fail("expected '}'");
            break;
        }
        break;
    }
    case '[': {
        node **tail = &n->first;
        n->kind = J_ARR;
        p++;
        ws();
        if (*p == ']') { p++; break; }
        for (;;) {
            node *v = parse_value();
            *tail = v;
            tail = &v->next;
            ws();
            if (*p == ',') { p++; continue; }
            if (*p++ != ']') fail("expected ']'");
            break;
        }
        break;
    }
    case '"':
        p++;
        n->kind = J_STR;
        n->str = parse_string(&n->len);
        break;
    case 't': if (strncmp(p, "true", 4)) fail("bad literal"); p += 4; n->kind = J_TRUE; break;
    case 'f': if (strncmp(p, "false", 5)) fail("bad literal"); p += 5; n->kind = J_FALSE; break;
    case 'n': if (strncmp(p, "null", 4)) fail("bad literal"); p += 4; n->kind = J_NULL; break;
    default: {
        int neg = 0;
        n->kind = J_NUM;
        if (*p == '-') { neg = 1; p++; }
        if (*p < '0' || *p > '9') fail("unexpected character");
        while (*p >= '0' && *p <= '9')
            n->mant = n->mant * 10 + (*p++ - '0');
        if (*p == '.') {
            p++;
            while (*p >= '0' && *p <= '9') {
                n->mant = n->mant * 10 + (*p++ - '0');
                n->exp10--;
            }
        }
        if (neg) n->mant = -n->mant;
    }
    }
    return n;
}

/* ---- the summary ---- */

typedef struct {
    uint32_t counts[7];
    uint64_t str_bytes;
    int64_t int_sum, cents_sum;
    uint32_t key_hash;
    uint32_t max_depth;
} summary;

static void walk(const node *n, uint32_t depth, summary *s)
{
    s->counts[n->kind]++;
    if (depth > s->max_depth)
        s->max_depth = depth;
    if (n->key)
        for (uint32_t i = 0; i < n->key_len; i++)
            s->key_hash = (s->key_hash ^ (uint8_t)n->key[i]) * 16777619u;
    switch (n->kind) {
    case J_NUM:
        if (n->exp10 == 0) s->int_sum += n->mant;
        else s->cents_sum += n->mant;
        break;
    case J_STR:
        s->str_bytes += n->len;
        for (uint32_t i = 0; i < n->len; i++)
            s->key_hash += (uint8_t)n->str[i];
        break;
    case J_ARR: case J_OBJ:
        for (const node *c = n->first; c; c = c->next)
            walk(c, depth + 1, s);
        break;
    }
}

int main(void)
{
    puts_("[");
    for (int i = 0; i < 20000; i++) {
        if (i) puts_(",\n");
        gen_value(0);
    }
    puts_("]");
    put("", 1);
    doc_len--;
    printf("document: %lu bytes\n", (unsigned long)doc_len);

    arena_size = doc_len * 8 + (1 << 20);
    arena = malloc(arena_size);
    summary s;
    for (int round = 0; round < 10; round++) {
        arena_used = 0;
        p = doc;
        node *root = parse_value();
        ws();
        if (*p) fail("trailing characters");
        memset(&s, 0, sizeof s);
        walk(root, 0, &s);
    }
    printf("null %u false %u true %u num %u str %u arr %u obj %u\n", s.counts[0],
           s.counts[1], s.counts[2], s.counts[3], s.counts[4], s.counts[5], s.counts[6]);
    printf("string bytes %llu, integers %lld, hundredths %lld\n",
           (unsigned long long)s.str_bytes, (long long)s.int_sum, (long long)s.cents_sum);
    printf("depth %u, hash %08x\n", s.max_depth, s.key_hash);
    return 0;
}
