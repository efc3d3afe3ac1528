/*
 * wasm-objdump: print the contents of wasm binaries in the format of
 * wabt's wasm-objdump (-h headers, -x details, -d disassembly, -s raw
 * contents), so scripts and people used to it read ours the same way.
 *
 * Additions to wabt's options:
 *   --func NAME|INDEX   disassemble one function only
 *   --color=WHEN        colour the output (auto: when stdout is a terminal)
 *
 * One deliberate difference: wabt numbers a body's declared locals from
 * the parameter count of type[F] (F = the function's index) instead of
 * the function's own type, so "local[N..M]" is wrong whenever the two
 * differ (typically in modules with imported functions).  We count from
 * the function's real parameter count.
 *
 * The binary is read section by section as it is printed, the standard
 * sections' entries with the library's section reader (lw_secreader, with
 * wabt's rules), the custom sections with its cursor (lw_reader), so a
 * malformed module prints everything before the damage, then the error
 * with its offset, and exits 1.
 */
#include "libwasm-tools.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OD_NAME "wasm-objdump"

/* ---- options -------------------------------------------------------- */

typedef struct {
    bool headers, details, disasm, raw, reloc, section_offsets, line_table;
    const char *section;     /* -j: only this section */
    const char *func;        /* --func: only this function */
    bool color;
} od_opts;

/* ---- names: index -> string, one table per index space --------------- */

/* Room for one more element in *p (capacity *cap, doubling). */
static bool grow(void *p, uint32_t n, uint32_t *cap, size_t size)
{
    if (n < *cap)
        return true;
    uint32_t c = *cap ? *cap * 2 : 16;
    void *q = realloc(*(void **)p, (size_t)c * size);
    if (!q)
        return false;
    *(void **)p = q;
    *cap = c;
    return true;
}

typedef struct {
    uint32_t index, seq;
    char *name;              /* NULL: an empty name, which hides earlier ones */
} od_named;

/* Names are set in file order while the prepass reads, a later one
 * replacing an earlier one as in wabt; names_freeze then keeps the last
 * of each index in a lw_namemap for the library's lookup. */
typedef struct {
    od_named *set;
    uint32_t n, cap;
    lw_name *last;
    lw_namemap map;
} od_names;

/* Names are copied: in the file they are neither NUL-terminated nor kept. */
static void names_set(od_names *m, uint32_t index, const uint8_t *s, size_t n)
{
    if (!grow(&m->set, m->n, &m->cap, sizeof *m->set))
        return;
    char *copy = n ? strndup((const char *)s, n) : NULL;
    if (n && !copy)
        return;
    od_named e = {index, m->n, copy};
    m->set[m->n++] = e;
}

/* By key, then in the order set (qsort alone is not stable). */
static int in_order(uint32_t key_a, uint32_t seq_a, uint32_t key_b, uint32_t seq_b)
{
    if (key_a != key_b)
        return key_a < key_b ? -1 : 1;
    return seq_a < seq_b ? -1 : seq_a > seq_b;
}

static int named_cmp(const void *a, const void *b)
{
    const od_named *x = a, *y = b;
    return in_order(x->index, x->seq, y->index, y->seq);
}

static void names_freeze(od_names *m)
{
    if (!m->n)
        return;
    qsort(m->set, m->n, sizeof *m->set, named_cmp);
    m->last = malloc(m->n * sizeof *m->last);
    if (!m->last)
        return;
    uint32_t k = 0;
    for (uint32_t i = 0; i < m->n; i++)
        if (i + 1 == m->n || m->set[i + 1].index != m->set[i].index)
            m->last[k++] = (lw_name){m->set[i].index, m->set[i].name};
    m->map.count = k;
    m->map.names = m->last;
}

static const char *names_get(const od_names *m, uint32_t index)
{
    return lw_namemap_get(&m->map, index);
}

static void names_free(od_names *m)
{
    for (uint32_t i = 0; i < m->n; i++)
        free(m->set[i].name);
    free(m->set);
    free(m->last);
    memset(m, 0, sizeof *m);
}

/* ---- one file ----------------------------------------------------------- */

enum {
    SEC_CUSTOM, SEC_TYPE, SEC_IMPORT, SEC_FUNCTION, SEC_TABLE, SEC_MEMORY,
    SEC_GLOBAL, SEC_EXPORT, SEC_START, SEC_ELEM, SEC_CODE, SEC_DATA,
    SEC_DATACOUNT, SEC_TAG, SEC_COUNT
};

static const char *const od_secnames[SEC_COUNT] = {
    "Custom", "Type", "Import", "Function", "Table", "Memory", "Global",
    "Export", "Start", "Elem", "Code", "Data", "DataCount", "Tag",
};

typedef struct {
    uint8_t id;
    uint32_t start, end;     /* payload, file offsets */
    const uint8_t *name;     /* custom sections */
    uint32_t namelen;
    uint32_t body;           /* custom: offset after the name */
} od_section;

typedef enum { SYM_FUNC, SYM_DATA, SYM_GLOBAL, SYM_SECTION, SYM_TAG, SYM_TABLE } od_symkind;

typedef struct {
    uint8_t kind;
    uint32_t index;          /* function/global/table/section index */
    char *name;              /* NULL: take the item's own name */
} od_symbol;

typedef struct {
    uint32_t type, offset, index;
    int32_t addend;
    uint32_t seq;            /* order in the file, to sort stably */
} od_reloc;

typedef struct {
    od_reloc *v;
    uint32_t n, cap;
} od_relocs;

/* Room the section reader fills, in blocks chained and reused. */
typedef struct od_block {
    struct od_block *next;
    size_t cap, used;
    max_align_t data[];
} od_block;

typedef struct {
    const od_opts *opts;
    const char *path;
    const uint8_t *data;
    size_t size;

    od_section *secs;
    uint32_t nsecs;
    lw_reader in;            /* the whole file; errors go to err */
    /* The first error the section scan or the prepass met: every pass
     * stops there, as wabt's passes each stop at it. */
    lw_error known;
    lw_error err;            /* the current pass's (without an offset:
                              * not about a place in the binary) */

    bool collect;            /* prepass: gather names, print nothing */
    bool print;              /* details pass */

    /* Index spaces. */
    uint32_t ntypes, ntypes_cap;
    uint32_t *type_params;   /* parameter count per type */
    uint32_t nfuncs, nfuncs_cap, nfunc_imports;
    uint32_t *func_types;    /* type index per function */
    uint32_t ntables, nmems, nglobals, ntags;
    char *module_name;

    od_names func_names, global_names, table_names, type_names, seg_names, tag_names;
    od_symbol *syms;
    uint32_t nsyms;
    od_relocs code_relocs, data_relocs; /* sorted after the prepass */
    uint32_t nsyms_cap, nsecs_cap;
    uint32_t next_reloc;     /* disassembly's cursor in code_relocs */

    uint32_t nshown;         /* functions disassembled */

    od_block *scratch;       /* what the section reader allocates */
    od_block *scratch_at;    /* the block being filled */

    /* wabt shows passive data at the offset of the last active segment. */
    uint32_t data_offset;
    uint32_t elem_offset;
} od_file;

static const char *c_off(const od_file *f) { return f->opts->color ? "\033[2m" : ""; }
static const char *c_name(const od_file *f) { return f->opts->color ? "\033[32m" : ""; }
static const char *c_op(const od_file *f) { return f->opts->color ? "\033[1m" : ""; }
static const char *c_title(const od_file *f) { return f->opts->color ? "\033[1;34m" : ""; }
static const char *c_end(const od_file *f) { return f->opts->color ? "\033[0m" : ""; }

static void __attribute__((format(printf, 2, 3)))
out(const od_file *f, const char *fmt, ...)
{
    if (!f->print)
        return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

/* " <name>" when known. */
static void out_name(const od_file *f, const char *name)
{
    if (name)
        out(f, " %s<%s>%s", c_name(f), name, c_end(f));
}

static const char *func_name(const od_file *f, uint32_t i) { return names_get(&f->func_names, i); }
static const char *global_name(const od_file *f, uint32_t i) { return names_get(&f->global_names, i); }

/* ---- reading: the library's cursor, its calls as conditions ------------ */

/* The library's section reader with wabt's rules (sr.in the bytes being
 * read), its arrays in f's scratch. */
typedef struct {
    lw_secreader sr;
    od_file *f;
} od_rd;

/* wabt's wasm-objdump reads the 2.0 types and exnref; typed references
 * and GC's types (whose final encoding wabt 1.0.32 does not know) are
 * shown in the text format's spelling. */
#define OD_FEATURES (LW_FEATURE(SIMD) | LW_FEATURE(REFERENCE_TYPES) | LW_FEATURE(BULK_MEMORY) | \
                     LW_FEATURE(FUNCTION_REFERENCES) | LW_FEATURE(GC) | \
                     LW_FEATURE(EXCEPTIONS))

/* A value type's name: "i32", "funcref", "(ref null 3)".  Four buffers in
 * turn, so a line may show a few. */
static const char *type_name(lw_valtype t)
{
    static char bufs[4][LW_VALTYPE_BUFSIZE];
    static unsigned next;
    char *b = bufs[next++ % 4];
    lw_valtype_format(t, b, LW_VALTYPE_BUFSIZE);
    return b;
}

static bool failed(const od_file *f)
{
    return f->err.kind != LW_OK;
}

/* Arrays and names the section reader reads (types, locals, segment
 * items), kept until the section has been shown: a bump in the current
 * block, or the next block that has room, or a new one. */
static void *scratch_alloc(void *user, size_t size)
{
    od_file *f = user;
    size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    od_block **link = f->scratch_at ? &f->scratch_at : &f->scratch;
    while (*link && (*link)->cap - (*link)->used < size) {
        link = &(*link)->next;
        if (*link)
            (*link)->used = 0;
    }
    if (!*link) {
        size_t cap = size > 65536 ? size : 65536;
        od_block *b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = NULL;
        b->cap = cap;
        b->used = 0;
        *link = b;
    }
    f->scratch_at = *link;
    void *p = (char *)f->scratch_at->data + f->scratch_at->used;
    f->scratch_at->used += size;
    return p;
}

/* After a section: its blocks are free again. */
static void scratch_reset(od_file *f)
{
    if (f->scratch)
        f->scratch->used = 0;
    f->scratch_at = f->scratch;
}

static void scratch_free(od_file *f)
{
    while (f->scratch) {
        od_block *next = f->scratch->next;
        free(f->scratch);
        f->scratch = next;
    }
    f->scratch_at = NULL;
}

static int expr_scan(lw_secreader *sr, lw_expr *x);

/* The bytes [from, to) of the file. */
static od_rd rd_span(od_file *f, const uint8_t *from, const uint8_t *to)
{
    od_rd r = {.f = f};
    lw_reader in = lw_reader_sub(&f->in, from, (size_t)(to - from));
    lw_secreader_init(&r.sr, &in, OD_FEATURES, true);
    r.sr.alloc = scratch_alloc;
    r.sr.expr = expr_scan;
    r.sr.user = f;
    return r;
}

static uint32_t rd_off(const od_rd *r, const uint8_t *at)
{
    return (uint32_t)(at - r->sr.in.base);
}

static bool fail_at(od_file *f, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail_at(od_file *f, uint64_t offset, const char *fmt, ...)
{
    if (failed(f))
        return false;
    f->err.kind = LW_ERR_MALFORMED;
    f->err.has_offset = true;
    f->err.offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->err.message, sizeof f->err.message, fmt, ap);
    va_end(ap);
    return false;
}

static bool rd_fail(od_rd *r, const uint8_t *at, const char *msg)
{
    lw_reader_fail(&r->sr.in, at, msg);
    return false;
}

static bool rd_u8(od_rd *r, uint8_t *out) { return lw_read_u8(&r->sr.in, out) == 0; }
static bool rd_u32(od_rd *r, uint32_t *out) { return lw_read_u32(&r->sr.in, out) == 0; }
static bool rd_s32(od_rd *r, int32_t *out) { return lw_read_s32(&r->sr.in, out) == 0; }
static bool rd_count(od_rd *r, uint32_t *n) { return lw_read_count(&r->sr.in, n) == 0; }
static bool rd_vec(od_rd *r, uint32_t *n) { return lw_read_vec(&r->sr, n) == 0; }

static bool rd_bytes(od_rd *r, uint32_t n, const uint8_t **out)
{
    return lw_read_bytes(&r->sr.in, n, out) == 0;
}

static bool rd_name(od_rd *r, const uint8_t **s, uint32_t *n)
{
    return lw_read_name(&r->sr.in, s, n) == 0;
}

/* ---- section list --------------------------------------------------------- */

/* Where each known section may appear (DataCount sits before Code, the
 * exception proposal's Tag after Memory). */
static int sec_order(uint8_t id)
{
    static const int order[SEC_COUNT] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
    return order[id];
}

static bool scan_one(od_file *f, od_rd *r, int *last)
{
    const uint8_t *at = r->sr.in.p;
    uint8_t id;
    uint32_t size;
    if (!rd_u8(r, &id))
        return false;
    if (id >= SEC_COUNT)
        return rd_fail(r, at, "malformed section id");
    if (!rd_u32(r, &size))
        return false;
    if (size > (size_t)(r->sr.in.end - r->sr.in.p))
        return rd_fail(r, at, "length out of bounds");
    if (id != SEC_CUSTOM) {
        if (sec_order(id) <= *last)
            return rd_fail(r, at, "unexpected content after last section");
        *last = sec_order(id);
    }
    od_section s = {id, rd_off(r, r->sr.in.p), rd_off(r, r->sr.in.p) + size, NULL, 0, 0};
    od_rd sub = rd_span(f, r->sr.in.p, r->sr.in.p + size);
    if (id == SEC_CUSTOM) {
        if (!rd_name(&sub, &s.name, &s.namelen))
            return false;
        s.body = rd_off(&sub, sub.sr.in.p);
    }
    r->sr.in.p += size;
    if (!grow(&f->secs, f->nsecs, &f->nsecs_cap, sizeof *f->secs))
        return rd_fail(r, at, "out of memory");
    f->secs[f->nsecs++] = s;
    return true;
}

/* The header (false when it is wrong) and the list of sections, up to
 * the first error, which f keeps. */
static bool scan_sections(od_file *f)
{
    od_rd r = rd_span(f, f->data, f->data + f->size);
    const uint8_t *magic;
    if (f->size < 4 || memcmp(f->data, "\0asm", 4) != 0)
        return rd_fail(&r, r.sr.in.p, "magic header not detected");
    r.sr.in.p += 4;
    if (!rd_bytes(&r, 4, &magic) || memcmp(magic, "\1\0\0\0", 4) != 0)
        return rd_fail(&r, f->data + 4, "unknown binary version");
    int last = 0;
    while (r.sr.in.p < r.sr.in.end && scan_one(f, &r, &last))
        continue;
    return true;
}

/* Keep the current error as the known one; clear it for the passes. */
static void remember_error(od_file *f)
{
    if (failed(f) && f->known.kind == LW_OK)
        f->known = f->err;
    lw_error_clear(&f->err);
}

/* Fail the pass when it has reached the known error's offset. */
static bool reached_error(od_file *f, uint64_t offset)
{
    if (failed(f))
        return true;
    if (f->known.kind == LW_OK || f->known.offset >= offset)
        return false;
    f->err = f->known;
    return true;
}

static const char *sec_name(const od_section *s, char *buf, size_t size)
{
    if (s->id != SEC_CUSTOM)
        return od_secnames[s->id];
    snprintf(buf, size, "%.*s", (int)s->namelen, (const char *)s->name);
    return buf;
}

static bool sec_selected(const od_file *f, const od_section *s)
{
    if (!f->opts->section)
        return true;
    char buf[256];
    return strcasecmp(f->opts->section, sec_name(s, buf, sizeof buf)) == 0;
}

/* ---- growing the index spaces ------------------------------------------ */

static bool push_u32(uint32_t **a, uint32_t *n, uint32_t *cap, uint32_t v)
{
    if (*n == *cap) {
        uint32_t c = *cap ? *cap * 2 : 16;
        uint32_t *p = realloc(*a, c * sizeof *p);
        if (!p)
            return false;
        *a = p;
        *cap = c;
    }
    (*a)[(*n)++] = v;
    return true;
}

static void add_func(od_file *f, uint32_t type)
{
    if (f->collect)
        push_u32(&f->func_types, &f->nfuncs, &f->nfuncs_cap, type);
}

/* ---- printing helpers -------------------------------------------------------- */

static void out_types(const od_file *f, const lw_valtype *t, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        out(f, "%s%s", i ? ", " : "", type_name(t[i]));
}

static void out_limits(const od_file *f, const lw_limits *l)
{
    out(f, "initial=%" PRIu64, l->min);
    if (l->has_max)
        out(f, " max=%" PRIu64, l->max);
    if (l->shared)
        out(f, " shared");
    if (l->is64)
        out(f, " i64");
}

/* v in hex, at least `digits` wide (like "%0*x"). */
static char *put_hex(char *p, uint32_t v, int digits)
{
    while (digits < 8 && v >> (4 * digits))
        digits++;
    for (int i = digits - 1; i >= 0; i--)
        *p++ = "0123456789abcdef"[(v >> (4 * i)) & 0xf];
    return p;
}

/* 16 bytes a line: "0000010: 6865 6c6c ...  hello..." */
static void out_hexdump(const od_file *f, const char *prefix, const uint8_t *p,
                        uint32_t n, uint32_t addr)
{
    if (!f->print)
        return;
    for (uint32_t line = 0; line < n; line += 16) {
        char buf[128], *q = buf;
        q = stpcpy(q, prefix);
        q = stpcpy(q, c_off(f));
        q = put_hex(q, addr + line, 7);
        q = stpcpy(q, c_end(f));
        q = stpcpy(q, ": ");
        for (uint32_t i = 0; i < 16; i++) {
            if (line + i < n)
                q = put_hex(q, p[line + i], 2);
            else
                q = stpcpy(q, "  ");
            if (i & 1)
                *q++ = ' ';
        }
        *q++ = ' ';
        for (uint32_t i = 0; i < 16 && line + i < n; i++) {
            uint8_t c = p[line + i];
            *q++ = c >= 0x20 && c < 0x7f ? (char)c : '.';
        }
        *q++ = '\n';
        fwrite(buf, 1, (size_t)(q - buf), stdout);
    }
}

/* ---- constant expressions ---------------------------------------------------- */

static const char *name_cb(void *user, int kind, uint32_t index)
{
    const od_file *f = user;
    switch (kind) {
    case LW_PRINT_FUNC: return func_name(f, index);
    case LW_PRINT_GLOBAL: return global_name(f, index);
    case LW_PRINT_TABLE: return names_get(&f->table_names, index);
    case LW_PRINT_TYPE: return names_get(&f->type_names, index);
    case LW_PRINT_TAG: return names_get(&f->tag_names, index);
    }
    return NULL;
}

typedef struct {
    uint8_t op;              /* first opcode byte */
    uint32_t ninstr;         /* before `end` */
    lw_val value;            /* of a one-instruction expression */
    char text[512];          /* instruction texts joined by ", " */
} od_expr;

/* Knowing no global's value and no function, objdump has global.get and
 * ref.func evaluate to the index they name, which is what it prints. */
static int index_value(void *user, uint32_t index, lw_val *out)
{
    (void)user;
    out->type = LW_I32;
    out->of.i32 = (int32_t)index;
    return 0;
}

/* The value of a one-instruction expression, code[0..len) (decoded
 * already): the one evaluation objdump makes. */
static void expr_eval(od_expr *e, const uint8_t *code, size_t len, uint32_t offset)
{
    static const lw_const_env env = {index_value, index_value, NULL};
    lw_expr x = {code, (uint32_t)len, offset};
    lw_error err;
    if (e->ninstr == 1)
        lw_const_eval(NULL, &x, &env, &e->value, &err);
}

/* A constant expression at code[0..avail) (file offset `offset`) up to
 * and including its `end`, which it is *len bytes after code: 1, or 0
 * when the bytes end first, or -1 with *err. */
static int expr_read(od_file *f, const uint8_t *code, size_t avail, uint32_t offset,
                     od_expr *e, size_t *len, lw_error *err)
{
    lw_instr_iter it;
    lw_instr_line line;
    lw_instr_iter_init(&it, code, avail, offset);
    it.name = name_cb;
    it.user = f;
    memset(e, 0, sizeof *e);
    e->op = avail ? code[0] : 0;
    size_t n = 0;
    int rc;
    while ((rc = lw_instr_iter_next(&it, &line, err)) == 1 && !line.is_end) {
        /* wabt ends a float constant's text with a newline here. */
        bool nl = line.bytes[0] == 0x43 || line.bytes[0] == 0x44;
        if (n < sizeof e->text)
            n += (size_t)snprintf(e->text + n, sizeof e->text - n, "%s%s%s",
                                    e->ninstr ? ", " : "", line.text, nl ? "\n" : "");
        e->ninstr++;
    }
    lw_instr_iter_free(&it);
    *len = (size_t)(it.p - code);
    if (rc == 1)
        expr_eval(e, code, *len, offset);
    return rc;
}

/* The section reader's scan of an expression: where it ends, or the
 * error (shown when the entry it is in is). */
static int expr_scan(lw_secreader *sr, lw_expr *x)
{
    od_file *f = sr->user;
    od_expr e;
    size_t len;
    lw_error err;
    uint32_t offset = (uint32_t)(sr->in.p - sr->in.base);
    int rc = expr_read(f, sr->in.p, (size_t)(sr->in.end - sr->in.p), offset, &e, &len, &err);
    if (rc < 0) {
        fail_at(f, err.offset, "%s", err.message);
        return -1;
    }
    if (rc == 0)
        return lw_reader_fail(&sr->in, sr->in.end, "unexpected end");
    x->code = sr->in.p;
    x->len = (uint32_t)len;
    x->offset = offset;
    sr->in.p += len;
    return 0;
}

/* An expression the section reader has read, for showing. */
static void expr_show(od_file *f, const lw_expr *x, od_expr *e)
{
    size_t len;
    lw_error err;
    expr_read(f, x->code, x->len, x->offset, e, &len, &err);
}

/* Globals show i32 initialisers signed, segments unsigned. */
static void out_init(od_file *f, const od_expr *e, bool is_signed)
{
    char num[64];
    out(f, " - init ");
    if (e->ninstr != 1) {
        out(f, "(%s)", e->text);
        return;
    }
    switch (e->op) {
    case 0x41:
        if (is_signed)
            out(f, "i32=%d", e->value.of.i32);
        else
            out(f, "i32=%u", (uint32_t)e->value.of.i32);
        break;
    case 0x42: out(f, "i64=%" PRId64, e->value.of.i64); break;
    case 0x43: lw_format_f32(e->value.of.f32, num, sizeof num); out(f, "f32=%s", num); break;
    case 0x44: lw_format_f64(e->value.of.f64, num, sizeof num); out(f, "f64=%s", num); break;
    case 0x23:
        out(f, "global=%u", (uint32_t)e->value.of.i32);
        out_name(f, global_name(f, (uint32_t)e->value.of.i32));
        break;
    default: out(f, "%s", e->text); break;
    }
}

/* The offset an active segment starts at, for numbering its contents
 * (a 64-bit memory's too). */
static uint32_t expr_offset(const od_expr *e, uint32_t previous)
{
    if (e->ninstr == 1 && e->op == 0x41)
        return (uint32_t)e->value.of.i32;
    if (e->ninstr == 1 && e->op == 0x42)
        return (uint32_t)e->value.of.i64;
    return previous;
}

/* ---- sections: details (and the names prepass) -------------------------- */

static void out_functype(od_file *f, const lw_functype *ft)
{
    out(f, "(");
    out_types(f, ft->params, ft->nparams);
    out(f, ") -> ");
    if (ft->nresults == 0)
        out(f, "nil");
    else if (ft->nresults == 1)
        out(f, "%s", type_name(ft->results[0]));
    else {
        out(f, "(");
        out_types(f, ft->results, ft->nresults);
        out(f, ")");
    }
}

static void out_field(od_file *f, const lw_fieldtype *ft)
{
    const char *t = ft->type == LW_I8 ? "i8" : ft->type == LW_I16 ? "i16" : type_name(ft->type);
    out(f, ft->mut ? "(mut %s)" : "%s", t);
}

/* A type of GC's kinds, or a subtype: its place in the hierarchy, then
 * struct and array types in the text format's spelling. */
static void out_subtype(od_file *f, const lw_functype *ft, const lw_typedef *d)
{
    if (d->super != LW_NO_SUPER || !d->final) {
        out(f, d->final ? "sub final " : "sub ");
        if (d->super != LW_NO_SUPER)
            out(f, "super=type[%u] ", d->super);
    }
    if (d->kind == LW_COMP_FUNC) {
        out_functype(f, ft);
        return;
    }
    out(f, d->kind == LW_COMP_STRUCT ? "struct" : "array ");
    for (uint32_t k = 0; k < d->nfields; k++) {
        if (d->kind == LW_COMP_STRUCT)
            out(f, " (field ");
        out_field(f, &d->fields[k]);
        if (d->kind == LW_COMP_STRUCT)
            out(f, ")");
    }
}

/* One entry per recursion group; a group of other than one type shows
 * as rec[first..last] with its types below it. */
static bool do_type(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n, index = 0;
    lw_functype ft;
    lw_typedef d;
    if (!rd_vec(r, &n))
        return false;
    out(f, "Type[%u]:\n", n);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t size;
        if (lw_read_rec(&r->sr, &size))
            return false;
        const char *indent = size == 1 ? "" : " ";
        if (size != 1)
            out(f, size ? " - rec[%u..%u]:\n" : " - rec[]:\n", index, index + size - 1);
        for (uint32_t k = 0; k < size; k++, index++) {
            if (lw_read_subtype(&r->sr, &ft, &d))
                return false;
            if (f->collect)
                push_u32(&f->type_params, &f->ntypes, &f->ntypes_cap, ft.nparams);
            out(f, "%s - type[%u] ", indent, index);
            out_subtype(f, &ft, &d);
            out(f, "\n");
        }
    }
    return true;
}

static void set_name(od_file *f, od_names *m, uint32_t index, const char *s, size_t n)
{
    if (f->collect)
        names_set(m, index, (const uint8_t *)s, n);
}

/* "module.field" */
static void set_import_name(od_file *f, od_names *m, uint32_t index, const lw_import *im)
{
    if (!f->collect)
        return;
    char *s = malloc((size_t)im->module_len + im->name_len + 2);
    if (!s)
        return;
    memcpy(s, im->module, im->module_len);
    s[im->module_len] = '.';
    memcpy(s + im->module_len + 1, im->name, im->name_len);
    names_set(m, index, (const uint8_t *)s, (size_t)im->module_len + 1 + im->name_len);
    free(s);
}

static void do_import_entry(od_file *f, const lw_import *im)
{
    switch (im->kind) {
    case LW_EXTERN_FUNC:
        set_import_name(f, &f->func_names, f->nfunc_imports, im);
        out(f, " - func[%u] sig=%u", f->nfunc_imports, im->desc.func);
        out_name(f, func_name(f, f->nfunc_imports));
        add_func(f, im->desc.func);
        f->nfunc_imports++;
        break;
    case LW_EXTERN_TABLE:
        set_import_name(f, &f->table_names, f->ntables, im);
        out(f, " - table[%u] type=%s ", f->ntables++, type_name(im->desc.table.reftype));
        out_limits(f, &im->desc.table.limits);
        break;
    case LW_EXTERN_MEMORY:
        out(f, " - memory[%u] pages: ", f->nmems++);
        out_limits(f, &im->desc.memory);
        break;
    case LW_EXTERN_GLOBAL:
        set_import_name(f, &f->global_names, f->nglobals, im);
        out(f, " - global[%u] %s mutable=%u", f->nglobals++,
            type_name(im->desc.global.type), im->desc.global.mut);
        break;
    default:
        set_import_name(f, &f->tag_names, f->ntags, im);
        out(f, " - tag[%u] sig=%u", f->ntags, im->desc.tag);
        out_name(f, names_get(&f->tag_names, f->ntags));
        f->ntags++;
        break;
    }
    out(f, " <- %.*s.%.*s\n", (int)im->module_len, im->module, (int)im->name_len, im->name);
}

static bool do_import(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n;
    lw_import im;
    if (!rd_vec(r, &n))
        return false;
    out(f, "Import[%u]:\n", n);
    for (uint32_t i = 0; i < n; i++) {
        if (lw_read_import(&r->sr, &im))
            return false;
        do_import_entry(f, &im);
    }
    return true;
}

static bool do_function(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n, type;
    if (!rd_vec(r, &n))
        return false;
    out(f, "Function[%u]:\n", n);
    for (uint32_t i = 0; i < n; i++) {
        if (!rd_u32(r, &type))
            return false;
        uint32_t index = f->nfunc_imports + i;
        add_func(f, type);
        out(f, " - func[%u] sig=%u", index, type);
        out_name(f, func_name(f, index));
        out(f, "\n");
    }
    return true;
}

static bool do_table(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n;
    lw_tabletype t;
    if (!rd_vec(r, &n))
        return false;
    out(f, "Table[%u]:\n", n);
    for (uint32_t i = 0; i < n; i++) {
        lw_expr init;
        if (lw_read_table(&r->sr, &t, &init))
            return false;
        uint32_t index = f->ntables++;
        out(f, " - table[%u] type=%s ", index, type_name(t.reftype));
        out_limits(f, &t.limits);
        out_name(f, names_get(&f->table_names, index));
        if (init.code) {
            od_expr e;
            expr_show(f, &init, &e);
            out_init(f, &e, true);
        }
        out(f, "\n");
    }
    return true;
}

static bool do_memory(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n;
    lw_limits l;
    if (!rd_vec(r, &n))
        return false;
    out(f, "Memory[%u]:\n", n);
    for (uint32_t i = 0; i < n; i++) {
        if (lw_read_memtype(&r->sr, &l))
            return false;
        out(f, " - memory[%u] pages: ", f->nmems++);
        out_limits(f, &l);
        out(f, "\n");
    }
    return true;
}

static bool do_global(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n;
    lw_globaldef g;
    od_expr e;
    if (!rd_vec(r, &n))
        return false;
    out(f, "Global[%u]:\n", n);
    for (uint32_t i = 0; i < n; i++) {
        if (lw_read_global(&r->sr, &g))
            return false;
        uint32_t index = f->nglobals++;
        out(f, " - global[%u] %s mutable=%u", index, type_name(g.type.type), g.type.mut);
        out_name(f, global_name(f, index));
        expr_show(f, &g.init, &e);
        out_init(f, &e, true);
        out(f, "\n");
    }
    return true;
}

static bool do_export(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n;
    lw_export ex;
    if (!rd_vec(r, &n))
        return false;
    out(f, "Export[%u]:\n", n);
    for (uint32_t i = 0; i < n; i++) {
        if (lw_read_export(&r->sr, &ex))
            return false;
        if (ex.kind == LW_EXTERN_FUNC)
            set_name(f, &f->func_names, ex.index, ex.name, ex.name_len);
        else if (ex.kind == LW_EXTERN_GLOBAL)
            set_name(f, &f->global_names, ex.index, ex.name, ex.name_len);
        out(f, " - %s[%u]", lw_externkind_name(ex.kind), ex.index);
        if (ex.kind == LW_EXTERN_FUNC)
            out_name(f, func_name(f, ex.index));
        out(f, " -> \"%.*s\"\n", (int)ex.name_len, ex.name);
    }
    return true;
}

static bool do_start(od_rd *r)
{
    od_file *f = r->f;
    uint32_t index;
    if (!rd_u32(r, &index))
        return false;
    out(f, "Start:\n - start function: %u", index);
    out_name(f, func_name(f, index));
    out(f, "\n");
    return true;
}

static void do_elem_items(od_file *f, const lw_elem *s, uint32_t first)
{
    for (uint32_t j = 0; j < s->count; j++) {
        out(f, "  - elem[%u] = ", first + j);
        if (s->funcs) {
            out(f, "func[%u]", s->funcs[j]);
            out_name(f, func_name(f, s->funcs[j]));
        } else {
            od_expr e;
            expr_show(f, &s->exprs[j], &e);
            if (e.ninstr == 1 && e.op == 0xD2) {
                out(f, "func[%u]", (uint32_t)e.value.of.i32);
                out_name(f, func_name(f, (uint32_t)e.value.of.i32));
            } else if (e.ninstr == 1 && e.op == 0xD0) {
                out(f, "ref.null %s", type_name(e.value.type));
            } else {
                out(f, "%s", e.text);
            }
        }
        out(f, "\n");
    }
}

static bool do_elem(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n;
    lw_elem s;
    od_expr e;
    if (!rd_vec(r, &n))
        return false;
    out(f, "Elem[%u]:\n", n);
    for (uint32_t i = 0; i < n; i++) {
        if (lw_read_elem(&r->sr, &s))
            return false;
        out(f, " - segment[%u] flags=%u table=%u count=%u", i, s.flags, s.table, s.count);
        if (s.mode == LW_SEG_ACTIVE) {
            expr_show(f, &s.offset, &e);
            out_init(f, &e, false);
            f->elem_offset = expr_offset(&e, f->elem_offset);
        }
        out(f, "\n");
        do_elem_items(f, &s, f->elem_offset);
    }
    return true;
}

static bool do_code(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n;
    lw_code c;
    const uint8_t *end;
    if (!rd_vec(r, &n))
        return false;
    out(f, "Code[%u]:\n", n);
    for (uint32_t i = 0; i < n; i++) {
        if (lw_read_code(&r->sr, &c, &end))
            return false;
        r->sr.in.p = end;
        uint32_t index = f->nfunc_imports + i;
        out(f, " - func[%u] size=%u", index, (uint32_t)(end - r->sr.in.base) - c.locals_offset);
        out_name(f, func_name(f, index));
        out(f, "\n");
    }
    return true;
}

static void out_reloc_line(const od_file *f, uint32_t at, const od_reloc *rel);

/* -x -r: the relocations in a segment's bytes (at file offset `start`),
 * at the addresses the segment loads them to. */
static void out_data_relocs(const od_file *f, uint32_t start, uint32_t size)
{
    const od_relocs *rs = &f->data_relocs;
    uint32_t sec = 0;
    if (!f->print || !f->opts->reloc || !rs->n)
        return;
    for (uint32_t i = 0; i < f->nsecs; i++)
        if (f->secs[i].id == SEC_DATA)
            sec = f->secs[i].start;
    uint32_t lo = 0, hi = rs->n, from = start - sec;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (rs->v[mid].offset < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < rs->n && rs->v[lo].offset - from < size; lo++)
        out_reloc_line(f, f->data_offset + rs->v[lo].offset - from, &rs->v[lo]);
}

static bool do_data(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n;
    lw_data s;
    od_expr e;
    if (!rd_vec(r, &n))
        return false;
    out(f, "Data[%u]:\n", n);
    for (uint32_t i = 0; i < n; i++) {
        if (lw_read_data(&r->sr, &s))
            return false;
        out(f, " - segment[%u]", i);
        out_name(f, names_get(&f->seg_names, i));
        if (s.mode == LW_SEG_PASSIVE) {
            out(f, " passive size=%u\n", s.len);
        } else {
            expr_show(f, &s.offset, &e);
            out(f, " memory=%u size=%u", s.memory, s.len);
            out_init(f, &e, false);
            out(f, "\n");
            f->data_offset = expr_offset(&e, f->data_offset);
        }
        out_hexdump(f, "  - ", s.bytes, s.len, f->data_offset);
        out_data_relocs(f, s.data_offset, s.len);
    }
    return true;
}

static bool do_tag(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n, type;
    if (!rd_vec(r, &n))
        return false;
    out(f, "Tag[%u]:\n", n);
    for (uint32_t i = 0; i < n; i++) {
        if (lw_read_tag(&r->sr, &type))
            return false;
        out(f, " - tag[%u] sig=%u\n", f->ntags++, type);
    }
    return true;
}

static bool do_datacount(od_rd *r)
{
    uint32_t n;
    if (!rd_u32(r, &n))
        return false;
    out(r->f, "DataCount:\n - data count: %u\n", n);
    return true;
}

/* ---- custom sections ------------------------------------------------------- */

static bool do_name_map(od_rd *r, const char *what, od_names *map)
{
    od_file *f = r->f;
    uint32_t n, index, len;
    const uint8_t *name;
    if (!rd_count(r, &n))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (lw_read_naming(&r->sr.in, &index, &name, &len) < 0)
            return false;
        if (map)
            set_name(f, map, index, (const char *)name, len);
        out(f, " - %s[%u] <%.*s>\n", what, index, (int)len, (const char *)name);
    }
    return true;
}

static bool do_name_locals(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n, func, m, index, len;
    const uint8_t *name;
    if (!rd_count(r, &n))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!rd_u32(r, &func) || !rd_count(r, &m))
            return false;
        for (uint32_t j = 0; j < m; j++) {
            if (lw_read_naming(&r->sr.in, &index, &name, &len) < 0)
                return false;
            out(f, " - func[%u] local[%u] <%.*s>\n", func, index, (int)len,
                (const char *)name);
        }
    }
    return true;
}

static bool do_name_sub(od_rd *r, uint8_t id)
{
    od_file *f = r->f;
    const uint8_t *name;
    uint32_t len;
    switch (id) {
    case 0:
        if (!rd_name(r, &name, &len))
            return false;
        if (f->collect) {
            free(f->module_name);
            f->module_name = strndup((const char *)name, len);
        }
        out(f, " - module <%.*s>\n", (int)len, (const char *)name);
        return true;
    case 1: return do_name_map(r, "func", &f->func_names);
    case 2: return do_name_locals(r);
    case 4: return do_name_map(r, "type", &f->type_names);
    case 5: return do_name_map(r, "table", &f->table_names);
    case 6: return do_name_map(r, "memory", NULL);
    case 7: return do_name_map(r, "global", &f->global_names);
    case 8: return do_name_map(r, "elemseg", NULL);
    case 9: return do_name_map(r, "dataseg", &f->seg_names);
    case 10: return do_name_map(r, "tag", &f->tag_names);
    default:
        r->sr.in.p = r->sr.in.end;
        return true;
    }
}

static bool do_name_section(od_rd *r)
{
    while (r->sr.in.p < r->sr.in.end) {
        uint8_t id;
        lw_reader in;
        if (lw_read_subsection(&r->sr.in, &id, &in) < 0)
            return false;
        od_rd sub = rd_span(r->f, in.p, in.end);
        if (!do_name_sub(&sub, id))
            return false;
        if (sub.sr.in.p != sub.sr.in.end)
            return rd_fail(&sub, sub.sr.in.p, "section size mismatch");
    }
    return true;
}

static bool do_target_features(od_rd *r)
{
    od_file *f = r->f;
    uint32_t n, len;
    uint8_t prefix;
    const uint8_t *name;
    if (!rd_count(r, &n))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!rd_u8(r, &prefix) || !rd_name(r, &name, &len))
            return false;
        out(f, "  - [%c] %.*s\n", prefix, (int)len, (const char *)name);
    }
    return true;
}

/* metadata.code.* (branch hints, ...): per function, each item's offset
 * in the body and its bytes, as wabt shows them. */
static bool do_code_metadata(od_rd *r)
{
    od_file *f = r->f;
    uint32_t nfuncs, func, n, offset, size;
    const uint8_t *data;
    if (!rd_count(r, &nfuncs))
        return false;
    for (uint32_t i = 0; i < nfuncs; i++) {
        if (!rd_u32(r, &func) || !rd_count(r, &n))
            return false;
        out(f, "   - func[%u]", func);
        out_name(f, func_name(f, func));
        out(f, ":\n");
        for (uint32_t k = 0; k < n; k++) {
            if (!rd_u32(r, &offset) || !rd_u32(r, &size) || !rd_bytes(r, size, &data))
                return false;
            out(f, "    - meta[%x]:\n", offset);
            out_hexdump(f, "     - ", data, size, 0);
        }
    }
    return true;
}

/* ---- linking and relocations (object files) ------------------------------- */

static void out_symflags(const od_file *f, uint32_t flags)
{
    static const char *const binding[] = {"global", "weak", "local", "?"};
    static const char *const vis[] = {"default", "hidden"};
    out(f, " [");
    if (flags & 0x10)
        out(f, " undefined");
    if (flags & 0x20)
        out(f, " exported");
    if (flags & 0x40)
        out(f, " explicit_name");
    if (flags & 0x80)
        out(f, " no_strip");
    if (flags & 0x100)
        out(f, " tls");
    if (flags & 0x200)
        out(f, " absolute");
    out(f, " binding=%s vis=%s", binding[flags & 3], vis[(flags >> 2) & 1]);
    uint32_t rest = flags & ~0x3ffu & ~0x8u;
    if (rest)
        out(f, " unknown_flags=%#x", rest);
    out(f, " ]\n");
}

static const char *sym_name(const od_file *f, const od_symbol *s)
{
    if (s->name)
        return s->name;
    switch (s->kind) {
    case SYM_FUNC: return func_name(f, s->index);
    case SYM_GLOBAL: return global_name(f, s->index);
    case SYM_TABLE: return names_get(&f->table_names, s->index);
    default: return NULL;
    }
}

static void add_symbol(od_file *f, uint8_t kind, uint32_t index,
                       const uint8_t *name, uint32_t len, bool named)
{
    if (!f->collect)
        return;
    if (!grow(&f->syms, f->nsyms, &f->nsyms_cap, sizeof *f->syms))
        return;
    od_symbol *s = &f->syms[f->nsyms++];
    s->kind = kind;
    s->index = index;
    s->name = named ? strndup((const char *)name, len) : NULL;
    if (named && kind == SYM_FUNC)
        names_set(&f->func_names, index, name, len);
    else if (named && kind == SYM_GLOBAL)
        names_set(&f->global_names, index, name, len);
    else if (named && kind == SYM_TABLE)
        names_set(&f->table_names, index, name, len);
}

static bool do_symbol_data(od_rd *r, uint32_t i, uint32_t flags)
{
    od_file *f = r->f;
    const uint8_t *name;
    uint32_t len, seg, offset, size;
    if (!rd_name(r, &name, &len))
        return false;
    add_symbol(f, SYM_DATA, 0, name, len, true);
    out(f, "   - %u: D <%.*s>", i, (int)len, (const char *)name);
    if (!(flags & 0x10)) {
        if (!rd_u32(r, &seg) || !rd_u32(r, &offset) || !rd_u32(r, &size))
            return false;
        out(f, " segment=%u offset=%u size=%u", seg, offset, size);
    }
    out_symflags(f, flags);
    return true;
}

static bool do_symbol_section(od_rd *r, uint32_t i, uint32_t flags)
{
    od_file *f = r->f;
    uint32_t index;
    char buf[256];
    if (!rd_u32(r, &index))
        return false;
    const char *name = index < f->nsecs ? sec_name(&f->secs[index], buf, sizeof buf) : "";
    add_symbol(f, SYM_SECTION, index, (const uint8_t *)name, (uint32_t)strlen(name), true);
    out(f, "   - %u: S <%s> section=%u", i, name, index);
    out_symflags(f, flags);
    return true;
}

static bool do_symbol(od_rd *r, uint32_t i)
{
    od_file *f = r->f;
    static const char kinds[] = "FDGSET";
    static const char *const what[] = {"func", "", "global", "", "tag", "table"};
    const uint8_t *at = r->sr.in.p, *name = NULL;
    uint8_t kind;
    uint32_t flags, index, len = 0;
    if (!rd_u8(r, &kind) || !rd_u32(r, &flags))
        return false;
    if (kind > SYM_TABLE)
        return rd_fail(r, at, "malformed symbol kind");
    if (kind == SYM_DATA)
        return do_symbol_data(r, i, flags);
    if (kind == SYM_SECTION)
        return do_symbol_section(r, i, flags);
    if (!rd_u32(r, &index))
        return false;
    bool named = !(flags & 0x10) || (flags & 0x40);
    if (named && !rd_name(r, &name, &len))
        return false;
    add_symbol(f, kind, index, name, len, named && len > 0);
    out(f, "   - %u: %c <", i, kinds[kind]);
    if (named && len) {
        out(f, "%.*s", (int)len, (const char *)name);
    } else {
        /* Unnamed: the item's own name (an import's "module.field"). */
        const char *own = kind == SYM_FUNC ? func_name(f, index)
                          : kind == SYM_GLOBAL ? global_name(f, index) : NULL;
        out(f, "%s", own ? own : "");
    }
    out(f, "> %s=%u", what[kind], index);
    out_symflags(f, flags);
    return true;
}

static bool do_linking_sub(od_rd *r, uint8_t id)
{
    od_file *f = r->f;
    uint32_t n;
    if (id != 5 && id != 6 && id != 7 && id != 8) {
        r->sr.in.p = r->sr.in.end;
        return true;
    }
    if (!rd_count(r, &n))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *name;
        uint32_t len, a, b, c;
        if (id == 8) {
            if (i == 0)
                out(f, "  - symbol table [count=%u]\n", n);
            if (!do_symbol(r, i))
                return false;
        } else if (id == 5) {
            if (i == 0)
                out(f, "  - segment info [count=%u]\n", n);
            if (!rd_name(r, &name, &len) || !rd_u32(r, &a) || !rd_u32(r, &b))
                return false;
            set_name(f, &f->seg_names, i, (const char *)name, len);
            out(f, "   - %u: %.*s p2align=%u [", i, (int)len, (const char *)name, a);
            if (b & 1)
                out(f, " STRINGS");
            if (b & 2)
                out(f, " TLS");
            out(f, " ]\n");
        } else if (id == 6) {
            if (i == 0)
                out(f, "  - init functions [count=%u]\n", n);
            if (!rd_u32(r, &a) || !rd_u32(r, &b))
                return false;
            out(f, "   - %u: priority=%u", b, a);
            if (b < f->nsyms)
                out_name(f, sym_name(f, &f->syms[b]));
            out(f, "\n");
        } else {
            if (i == 0)
                out(f, "  - comdat groups [count=%u]\n", n);
            if (!rd_name(r, &name, &len) || !rd_u32(r, &a) || !rd_count(r, &b))
                return false;
            out(f, "   - %.*s: [count=%u]\n", (int)len, (const char *)name, b);
            for (uint32_t j = 0; j < b; j++) {
                uint8_t kind;
                if (!rd_u8(r, &kind) || !rd_u32(r, &c))
                    return false;
                out(f, "    - %s: %u\n", kind == 0 ? "segment" : kind == 1 ? "func" : "?", c);
            }
        }
    }
    return true;
}

static bool do_linking(od_rd *r)
{
    uint32_t version;
    if (!rd_u32(r, &version))
        return false;
    while (r->sr.in.p < r->sr.in.end) {
        uint8_t id;
        lw_reader in;
        if (lw_read_subsection(&r->sr.in, &id, &in) < 0)
            return false;
        od_rd sub = rd_span(r->f, in.p, in.end);
        if (!do_linking_sub(&sub, id))
            return false;
    }
    return true;
}

static const char *const od_reloc_names[] = {
    "R_WASM_FUNCTION_INDEX_LEB", "R_WASM_TABLE_INDEX_SLEB",
    "R_WASM_TABLE_INDEX_I32", "R_WASM_MEMORY_ADDR_LEB",
    "R_WASM_MEMORY_ADDR_SLEB", "R_WASM_MEMORY_ADDR_I32",
    "R_WASM_TYPE_INDEX_LEB", "R_WASM_GLOBAL_INDEX_LEB",
    "R_WASM_FUNCTION_OFFSET_I32", "R_WASM_SECTION_OFFSET_I32",
    "R_WASM_TAG_INDEX_LEB", "R_WASM_MEMORY_ADDR_REL_SLEB",
    "R_WASM_TABLE_INDEX_REL_SLEB", "R_WASM_GLOBAL_INDEX_I32",
    "R_WASM_MEMORY_ADDR_LEB64", "R_WASM_MEMORY_ADDR_SLEB64",
    "R_WASM_MEMORY_ADDR_I64", "R_WASM_MEMORY_ADDR_REL_SLEB64",
    "R_WASM_TABLE_INDEX_SLEB64", "R_WASM_TABLE_INDEX_I64",
    "R_WASM_TABLE_NUMBER_LEB", "R_WASM_MEMORY_ADDR_TLS_SLEB",
    "R_WASM_FUNCTION_OFFSET_I64", "R_WASM_MEMORY_ADDR_LOCREL_I32",
    "R_WASM_TABLE_INDEX_REL_SLEB64", "R_WASM_MEMORY_ADDR_TLS_SLEB64",
    "R_WASM_FUNCTION_INDEX_I32",
};

static bool reloc_has_addend(uint32_t type)
{
    switch (type) {
    case 3: case 4: case 5: case 8: case 9: case 11: case 14: case 15:
    case 16: case 17: case 21: case 22: case 23: case 25:
        return true;
    default:
        return false;
    }
}

static const char *reloc_name(uint32_t type)
{
    return type < sizeof od_reloc_names / sizeof *od_reloc_names
               ? od_reloc_names[type] : "R_WASM_UNKNOWN";
}

static const char *reloc_target(const od_file *f, const od_reloc *rel)
{
    if (rel->type == 6 || rel->index >= f->nsyms)
        return NULL;
    return sym_name(f, &f->syms[rel->index]);
}

/* Relocations of the code and data sections, shown inline with -r. */
static void keep_reloc(od_file *f, uint32_t target, const od_reloc *rel)
{
    if (!f->collect || target >= f->nsecs)
        return;
    uint8_t id = f->secs[target].id;
    od_relocs *rs = id == SEC_CODE ? &f->code_relocs
                    : id == SEC_DATA ? &f->data_relocs : NULL;
    if (!rs || !grow(&rs->v, rs->n, &rs->cap, sizeof *rel))
        return;
    rs->v[rs->n] = *rel;
    rs->v[rs->n].seq = rs->n;
    rs->n++;
}

/* "           000004: R_WASM_TABLE_INDEX_I32 0 <w>" */
static void out_reloc_line(const od_file *f, uint32_t at, const od_reloc *rel)
{
    printf("           %06x: %s %u", at, reloc_name(rel->type), rel->index);
    if (rel->addend)
        printf(" %c %d", rel->addend < 0 ? '-' : '+',
               rel->addend < 0 ? -rel->addend : rel->addend);
    const char *name = reloc_target(f, rel);
    if (name)
        printf(" <%s>", name);
    printf("\n");
}

/* wabt shows a custom target's file offsets from the start of the last
 * custom section read (the reloc section itself); known sections use
 * their own start. */
static uint32_t reloc_base(const od_file *f, uint32_t target, uint32_t self)
{
    if (target < f->nsecs && f->secs[target].id != SEC_CUSTOM)
        return f->secs[target].start;
    return self;
}

static bool do_reloc(od_rd *r, uint32_t self)
{
    od_file *f = r->f;
    uint32_t target, n;
    char buf[256];
    if (!rd_u32(r, &target) || !rd_count(r, &n))
        return false;
    const char *tname = target < f->nsecs ? sec_name(&f->secs[target], buf, sizeof buf) : "?";
    out(f, "  - relocations for section: %u (%s) [%u]\n", target, tname, n);
    for (uint32_t i = 0; i < n; i++) {
        od_reloc rel = {0, 0, 0, 0, 0};
        if (!rd_u32(r, &rel.type) || !rd_u32(r, &rel.offset) || !rd_u32(r, &rel.index))
            return false;
        if (reloc_has_addend(rel.type) && !rd_s32(r, &rel.addend))
            return false;
        keep_reloc(f, target, &rel);
        out(f, "   - %-18s offset=%#08x(file=%#08x) ", reloc_name(rel.type),
            rel.offset, reloc_base(f, target, self) + rel.offset);
        if (rel.type == 6)
            out(f, "type=%u", rel.index);
        else
            out(f, "symbol=%u <%s>", rel.index,
                reloc_target(f, &rel) ? reloc_target(f, &rel) : "");
        if (rel.addend)
            out(f, "%s%#x", rel.addend < 0 ? "-" : "+",
                rel.addend < 0 ? (uint32_t)-(int64_t)rel.addend : (uint32_t)rel.addend);
        out(f, "\n");
    }
    return true;
}

static bool do_dylink_sub(od_rd *r, uint8_t id)
{
    od_file *f = r->f;
    uint32_t a, b, c, d, n, len, len2, flags;
    const uint8_t *name, *name2;
    switch (id) {
    case 1:
        if (!rd_u32(r, &a) || !rd_u32(r, &b) || !rd_u32(r, &c) || !rd_u32(r, &d))
            return false;
        out(f, " - mem_size     : %u\n - mem_p2align  : %u\n"
               " - table_size   : %u\n - table_p2align: %u\n", a, b, c, d);
        return true;
    case 2:
        if (!rd_count(r, &n))
            return false;
        if (n)
            out(f, " - needed_dynlibs[%u]:\n", n);
        for (uint32_t i = 0; i < n; i++) {
            if (!rd_name(r, &name, &len))
                return false;
            out(f, "  - %.*s\n", (int)len, (const char *)name);
        }
        return true;
    case 3: case 4:
        if (!rd_count(r, &n))
            return false;
        if (n)
            out(f, " - %s[%u]:\n", id == 3 ? "export_info" : "import_info", n);
        for (uint32_t i = 0; i < n; i++) {
            if (!rd_name(r, &name, &len) ||
                (id == 4 && !rd_name(r, &name2, &len2)) || !rd_u32(r, &flags))
                return false;
            if (id == 3)
                out(f, "  - %.*s", (int)len, (const char *)name);
            else
                out(f, "  - %.*s.%.*s", (int)len, (const char *)name, (int)len2,
                    (const char *)name2);
            out_symflags(f, flags);
        }
        return true;
    default:
        r->sr.in.p = r->sr.in.end;
        return true;
    }
}

static bool do_dylink(od_rd *r)
{
    while (r->sr.in.p < r->sr.in.end) {
        uint8_t id;
        lw_reader in;
        if (lw_read_subsection(&r->sr.in, &id, &in) < 0)
            return false;
        od_rd sub = rd_span(r->f, in.p, in.end);
        if (!do_dylink_sub(&sub, id))
            return false;
    }
    return true;
}

static bool name_is(const od_section *s, const char *name)
{
    return s->namelen == strlen(name) && memcmp(s->name, name, s->namelen) == 0;
}

static bool do_custom(od_rd *r, const od_section *s)
{
    od_file *f = r->f;
    out(f, "Custom:\n - name: \"%.*s\"\n", (int)s->namelen, (const char *)s->name);
    if (name_is(s, "name"))
        return do_name_section(r);
    if (name_is(s, "linking"))
        return do_linking(r);
    if (name_is(s, "target_features"))
        return do_target_features(r);
    if (name_is(s, "dylink.0"))
        return do_dylink(r);
    if (s->namelen > 14 && memcmp(s->name, "metadata.code.", 14) == 0)
        return do_code_metadata(r);
    if (s->namelen > 6 && memcmp(s->name, "reloc.", 6) == 0)
        return do_reloc(r, s->start);
    r->sr.in.p = r->sr.in.end;
    return true;
}

/* One section's contents: names in the prepass, details in -x. */
static bool do_section(od_file *f, const od_section *s)
{
    od_rd r = rd_span(f, f->data + (s->id == SEC_CUSTOM ? s->body : s->start), f->data + s->end);
    bool ok;
    switch (s->id) {
    case SEC_TYPE: ok = do_type(&r); break;
    case SEC_IMPORT: ok = do_import(&r); break;
    case SEC_FUNCTION: ok = do_function(&r); break;
    case SEC_TABLE: ok = do_table(&r); break;
    case SEC_MEMORY: ok = do_memory(&r); break;
    case SEC_GLOBAL: ok = do_global(&r); break;
    case SEC_EXPORT: ok = do_export(&r); break;
    case SEC_START: ok = do_start(&r); break;
    case SEC_ELEM: ok = do_elem(&r); break;
    case SEC_CODE: ok = do_code(&r); break;
    case SEC_DATA: ok = do_data(&r); break;
    case SEC_DATACOUNT: ok = do_datacount(&r); break;
    case SEC_TAG: ok = do_tag(&r); break;
    default: ok = do_custom(&r, s); break;
    }
    if (ok && r.sr.in.p != r.sr.in.end)
        ok = rd_fail(&r, r.sr.in.p, "section size mismatch");
    scratch_reset(f);
    return ok;
}

static void reset_counts(od_file *f)
{
    f->nfunc_imports = 0;
    f->ntables = f->nmems = f->nglobals = f->ntags = 0;
    f->data_offset = f->elem_offset = 0;
    if (f->collect)
        f->nfuncs = f->ntypes = 0;
}

static int reloc_cmp(const void *a, const void *b)
{
    const od_reloc *x = a, *y = b;
    return in_order(x->offset, x->seq, y->offset, y->seq);
}

/* Names come first so every pass can show them, as wabt does. */
static void prepass(od_file *f)
{
    f->collect = true;
    f->print = false;
    reset_counts(f);
    for (uint32_t i = 0; i < f->nsecs && !failed(f); i++)
        do_section(f, &f->secs[i]);
    f->collect = false;
    remember_error(f);
    names_freeze(&f->func_names);
    names_freeze(&f->global_names);
    names_freeze(&f->table_names);
    names_freeze(&f->type_names);
    names_freeze(&f->seg_names);
    names_freeze(&f->tag_names);
    if (f->code_relocs.n)
        qsort(f->code_relocs.v, f->code_relocs.n, sizeof *f->code_relocs.v, reloc_cmp);
    if (f->data_relocs.n)
        qsort(f->data_relocs.v, f->data_relocs.n, sizeof *f->data_relocs.v, reloc_cmp);
}

/* ---- the passes ---------------------------------------------------------------- */

static void pass_headers(od_file *f)
{
    printf("\n%sSections:%s\n\n", c_title(f), c_end(f));
    for (uint32_t i = 0; i < f->nsecs && !reached_error(f, f->secs[i].start); i++) {
        const od_section *s = &f->secs[i];
        char buf[256];
        printf("%9s start=%#010x end=%#010x (size=%#010x) ", s->id == SEC_CUSTOM ? "Custom" : sec_name(s, buf, sizeof buf),
               s->start, s->end, s->end - s->start);
        od_rd r = rd_span(f, f->data + s->start, f->data + s->end);
        uint32_t n = 0;
        if (s->id == SEC_CUSTOM) {
            printf("\"%.*s\"\n", (int)s->namelen, (const char *)s->name);
        } else if (!rd_u32(&r, &n)) {
            printf("\n");
            return;
        } else {
            printf("%s: %u\n", s->id == SEC_START ? "start" : "count", n);
        }
    }
}

static void pass_details(od_file *f)
{
    printf("\n%sSection Details:%s\n\n", c_title(f), c_end(f));
    f->print = true;
    reset_counts(f);
    for (uint32_t i = 0; i < f->nsecs && !failed(f); i++) {
        const od_section *s = &f->secs[i];
        bool shown = sec_selected(f, s);
        f->print = shown;
        do_section(f, s);
    }
    f->print = false;
}

static void pass_raw(od_file *f)
{
    f->print = true;
    for (uint32_t i = 0; i < f->nsecs && !reached_error(f, f->secs[i].start); i++) {
        const od_section *s = &f->secs[i];
        char buf[256];
        if (!sec_selected(f, s))
            continue;
        printf("\n%sContents of section %s:%s\n", c_title(f),
               s->id == SEC_CUSTOM ? "Custom" : sec_name(s, buf, sizeof buf), c_end(f));
        out_hexdump(f, "", f->data + s->start, s->end - s->start, s->start);
    }
    f->print = false;
}

/* ---- disassembly ----------------------------------------------------------------- */

static uint32_t func_params(const od_file *f, uint32_t func)
{
    if (func >= f->nfuncs || f->func_types[func] >= f->ntypes)
        return 0;
    return f->type_params[f->func_types[func]];
}

/* Offsets are file offsets, or from the code section with --section-offsets. */
static uint32_t shown_off(const od_file *f, uint32_t off, uint32_t code_start)
{
    return f->opts->section_offsets ? off - code_start : off;
}

/* " 000535: 41 b2 02                   | " then the text; 9 bytes a line.
 * Built by hand: this is the loop -d spends its time in. */
static void out_instr(const od_file *f, uint32_t off, const uint8_t *bytes,
                      uint32_t len, uint32_t depth, const char *text, uint32_t base)
{
    uint32_t i = 0;
    do {
        uint32_t n = len - i < 9 ? len - i : 9, j;
        char line[80], *p = line;
        *p++ = ' ';
        p = stpcpy(p, c_off(f));
        p = put_hex(p, shown_off(f, off + i, base), 6);
        p = stpcpy(p, c_end(f));
        p = stpcpy(p, ": ");
        for (j = 0; j < n; j++) {
            p = put_hex(p, bytes[i + j], 2);
            *p++ = ' ';
        }
        for (; j < 9; j++)
            p = stpcpy(p, "   ");
        p = stpcpy(p, "| ");
        fwrite(line, 1, (size_t)(p - line), stdout);
        if (i == 0) {
            for (uint32_t d = 0; d < depth; d++)
                fputs("  ", stdout);
            fputs(c_op(f), stdout);
            fputs(text, stdout);
            fputs(c_end(f), stdout);
        }
        putchar('\n');
        i += n;
    } while (i < len);
}

/* Relocations under the instruction they patch; always at file offsets,
 * even with --section-offsets, as wabt shows them. */
static void out_relocs(od_file *f, uint32_t off, uint32_t len, uint32_t code_start)
{
    if (!f->opts->reloc)
        return;
    const od_relocs *rs = &f->code_relocs;
    while (f->next_reloc < rs->n && code_start + rs->v[f->next_reloc].offset < off)
        f->next_reloc++;
    for (; f->next_reloc < rs->n; f->next_reloc++) {
        uint32_t at = code_start + rs->v[f->next_reloc].offset;
        if (at >= off + len)
            break;
        out_reloc_line(f, at, &rs->v[f->next_reloc]);
    }
}

static bool disasm_locals(od_file *f, od_rd *r, uint32_t func, uint32_t base)
{
    uint32_t ngroups, count, local = func_params(f, func);
    lw_valtype type;
    if (!rd_u32(r, &ngroups))
        return false;
    for (uint32_t i = 0; i < ngroups; i++) {
        const uint8_t *at = r->sr.in.p;
        if (!rd_u32(r, &count) || lw_read_valtype(&r->sr, &type))
            return false;
        char text[96];
        if (count == 1)
            snprintf(text, sizeof text, "local[%u] type=%s", local, type_name(type));
        else
            snprintf(text, sizeof text, "local[%u..%u] type=%s", local,
                     local + count - 1, type_name(type));
        out_instr(f, rd_off(r, at), at, (uint32_t)(r->sr.in.p - at), 0, text, base);
        local += count;
    }
    return true;
}

static bool disasm_body(od_file *f, od_rd *r, uint32_t func, uint32_t base)
{
    if (!disasm_locals(f, r, func, base))
        return false;
    lw_instr_iter it;
    lw_instr_line line;
    lw_error err;
    lw_instr_iter_init(&it, r->sr.in.p, (size_t)(r->sr.in.end - r->sr.in.p), rd_off(r, r->sr.in.p));
    it.name = name_cb;
    it.user = f;
    int rc;
    while ((rc = lw_instr_iter_next(&it, &line, &err)) == 1) {
        out_instr(f, line.offset, line.bytes, line.len, line.depth, line.text, base);
        out_relocs(f, line.offset, line.len, base);
    }
    lw_instr_iter_free(&it);
    if (rc < 0)
        return fail_at(f, err.offset, "%s", err.message);
    return true;
}

static bool func_selected(const od_file *f, uint32_t index)
{
    const char *want = f->opts->func;
    if (!want)
        return true;
    char *end;
    unsigned long n = strtoul(want, &end, 10);
    if (*want && !*end)
        return n == index;
    const char *name = func_name(f, index);
    return name && strcmp(name, want) == 0;
}

static bool disasm_code(od_file *f, const od_section *s)
{
    od_rd r = rd_span(f, f->data + s->start, f->data + s->end);
    uint32_t n, size;
    const uint8_t *body;
    if (!rd_count(&r, &n))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!rd_u32(&r, &size) || !rd_bytes(&r, size, &body))
            return false;
        uint32_t index = f->nfunc_imports + i;
        if (!func_selected(f, index))
            continue;
        f->nshown++;
        printf("%s%06x%s func[%u]", c_off(f), shown_off(f, rd_off(&r, body), s->start), c_end(f), index);
        const char *name = func_name(f, index);
        if (name)
            printf(" %s<%s>%s", c_name(f), name, c_end(f));
        printf(":\n");
        od_rd br = rd_span(f, body, body + size);
        if (!disasm_body(f, &br, index, s->start))
            return false;
    }
    return true;
}

static void pass_disasm(od_file *f)
{
    printf("\n%sCode Disassembly:%s\n\n", c_title(f), c_end(f));
    for (uint32_t i = 0; i < f->nsecs && !reached_error(f, f->secs[i].start); i++) {
        const od_section *s = &f->secs[i];
        if (s->id == SEC_CODE && sec_selected(f, s))
            disasm_code(f, s);
    }
    if (f->opts->func && !failed(f) && !f->nshown) {
        fail_at(f, 0, "no function %s", f->opts->func);
        f->err.has_offset = false;
    }
}

/* ---- driver ------------------------------------------------------------------------ */

static void file_free(od_file *f)
{
    scratch_free(f);
    free(f->secs);
    free(f->type_params);
    free(f->func_types);
    free(f->module_name);
    names_free(&f->func_names);
    names_free(&f->global_names);
    names_free(&f->table_names);
    names_free(&f->type_names);
    names_free(&f->seg_names);
    names_free(&f->tag_names);
    for (uint32_t i = 0; i < f->nsyms; i++)
        free(f->syms[i].name);
    free(f->syms);
    free(f->code_relocs.v);
    free(f->data_relocs.v);
}

static bool report(od_file *f)
{
    if (!failed(f))
        return true;
    fflush(stdout);
    if (!f->err.has_offset)
        fprintf(stderr, "%s: %s: %s\n", OD_NAME, f->path, f->err.message);
    else
        fprintf(stderr, "%s: %s: 0x%" PRIx64 ": %s\n", OD_NAME, f->path,
                f->err.offset, f->err.message);
    return false;
}

/* After a pass: its own error, or the known one it did not get to. */
static bool finish_pass(od_file *f)
{
    reached_error(f, UINT64_MAX);
    return report(f);
}

static bool section_exists(const od_file *f)
{
    if (!f->opts->section)
        return true;
    for (uint32_t i = 0; i < f->nsecs; i++)
        if (sec_selected(f, &f->secs[i]))
            return true;
    return false;
}

static bool run_passes(od_file *f)
{
    const od_opts *o = f->opts;
    if (o->headers) {
        pass_headers(f);
        if (!finish_pass(f))
            return false;
    }
    if (o->details) {
        pass_details(f);
        if (!finish_pass(f))
            return false;
    }
    if (o->disasm) {
        pass_disasm(f);
        if (!finish_pass(f))
            return false;
    }
    if (o->raw) {
        pass_raw(f);
        if (!finish_pass(f))
            return false;
    }
    return true;
}

/* ---- --line-table: the rows of DWARF's line programs ------------------ */

/* The custom sections of a binary, as far as its sections read; names
 * and array malloc'ed.  Returns their count; *code is the offset of the
 * code section's contents (0 when there is none). */
static uint32_t line_table_customs(const uint8_t *data, size_t size, lw_custom **out,
                                   uint32_t *code)
{
    lw_error err;
    lw_reader r;
    lw_reader_init(&r, data, size, &err);
    lw_custom *c = NULL;
    uint32_t n = 0;
    const uint8_t *skip;
    *code = 0;
    if (lw_read_bytes(&r, 8, &skip) < 0)
        return 0;
    while (r.p < r.end) {
        uint8_t id;
        uint32_t len;
        const uint8_t *body, *name;
        uint32_t nlen;
        if (lw_read_u8(&r, &id) < 0 || lw_read_u32(&r, &len) < 0 ||
            lw_read_bytes(&r, len, &body) < 0)
            break;
        if (id == 10)
            *code = (uint32_t)(body - data);
        if (id != 0)
            continue;
        lw_reader sec = lw_reader_sub(&r, body, len);
        lw_custom *grown = realloc(c, (n + 1) * sizeof *c);
        if (lw_read_name(&sec, &name, &nlen) < 0 || !grown)
            break;
        c = grown;
        char *s = strndup((const char *)name, nlen);
        if (!s)
            break;
        c[n++] = (lw_custom){s, sec.p, (uint32_t)(sec.end - sec.p),
                             (uint32_t)(sec.p - data), 0};
    }
    *out = c;
    return n;
}

/* "Line table:" and a row per line: the code it covers (offsets in the
 * file, or in the code section with --section-offsets, as in -d), the
 * line, the column and the file. */
static void line_table(const od_opts *o, const uint8_t *data, size_t size)
{
    lw_custom *c = NULL;
    uint32_t code;
    uint32_t n = line_table_customs(data, size, &c, &code);
    lw_dwarf *d = lw_dwarf_parse(c, n);
    size_t nrows = 0;
    const lw_dwarf_line *rows = lw_dwarf_lines(d, &nrows);
    uint32_t base = o->section_offsets ? 0 : code;
    printf("\nLine table:\n");
    if (!nrows)
        printf(" (no DWARF line table)\n");
    else
        printf(" %-13s %6s %6s  %s\n", "code", "line", "column", "file");
    for (size_t i = 0; i < nrows; i++)
        printf(" %06" PRIx64 "-%06" PRIx64 " %6u %6u  %s\n",
               (uint64_t)rows[i].address + base, (uint64_t)rows[i].end + base,
               rows[i].line, rows[i].column, rows[i].file ? rows[i].file : "?");
    lw_dwarf_free(d);
    for (uint32_t i = 0; i < n; i++)
        free((void *)c[i].name);
    free(c);
}

static bool dump_file(const od_opts *o, const char *path)
{
    uint8_t *data;
    size_t size;
    lw_error err;
    lw_format format;   /* text is refused below: no "\0asm" */
    if (lw_module_read_file(path, &data, &size, &format, &err)) {
        fflush(stdout);   /* after the files before it */
        fprintf(stderr, "%s: %s: %s\n", OD_NAME, path, err.message);
        return false;
    }
    od_file f = {0};
    f.opts = o;
    f.path = path;
    f.data = data;
    f.size = size;
    lw_reader_init(&f.in, data, size, &f.err);
    bool ok = scan_sections(&f);
    if (!ok) {
        report(&f);
    } else {
        const char *base = strrchr(path, '/');
        printf("\n%s:\tfile format wasm 0x1\n", base ? base + 1 : path);
        remember_error(&f);
        prepass(&f);
        if (f.module_name)
            printf("module name: <%s>\n", f.module_name);
        ok = run_passes(&f);
        if (ok && o->line_table)
            line_table(o, data, size);
        if (ok && !section_exists(&f)) {
            fflush(stdout);
            fprintf(stderr, "%s: %s: no section %s\n", OD_NAME, path, o->section);
            ok = false;
        }
    }
    file_free(&f);
    free(data);
    return ok;
}

static void usage(FILE *to)
{
    fprintf(to,
        "usage: " OD_NAME " [options] FILE...\n"
        "\n"
        "Show what a WebAssembly binary holds, in the layout of wabt's wasm-objdump.\n"
        "At least one of -h, -x, -d, -s and --line-table is needed.\n"
        "\n"
        "  -h, --headers             list the sections with offsets and sizes\n"
        "  -x, --details             show each section's entries\n"
        "  -d, --disassemble         disassemble the function bodies\n"
        "  -s, --full-contents       hex dump of every section\n"
        "  -j, --section=NAME        only the section NAME (Code, Data, a custom name...)\n"
        "  -r, --reloc               show relocations (object files) under what they patch\n"
        "      --section-offsets     in -d, offsets from the code section, not the file\n"
        "      --func=NAME|INDEX     disassemble just this function (implies -d)\n"
        "      --line-table          the DWARF line table (clang -g): code, line, column, file\n"
        "      --color[=WHEN]        colour: auto (the default: on a terminal), always, never\n"
        "      --enable-FEATURE, --disable-FEATURE, --enable-all\n"
        "                            taken as every libwasm tool takes them; every\n"
        "                            feature is shown whatever they say, as wabt does\n"
        "      --help                this text\n"
        "      --version             the version\n"
        "\n"
        "example: " OD_NAME " -d --func main prog.wasm\n"
        "\n"
        "One difference from wabt: declared locals (\"local[N..M]\" in -d) are\n"
        "numbered after the function's own parameters.  wabt counts the parameters\n"
        "of type[F] for function F, which is wrong whenever the two differ\n"
        "(typically in modules with imported functions).\n");
}

enum { OPT_HELP = 256, OPT_VERSION, OPT_SECTION_OFFSETS, OPT_FUNC, OPT_COLOR, OPT_DEBUG,
       OPT_LINE_TABLE };

static int parse_color(const char *when, bool *color)
{
    if (!when || strcmp(when, "auto") == 0)
        *color = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
    else if (strcmp(when, "always") == 0)
        *color = true;
    else if (strcmp(when, "never") == 0)
        *color = false;
    else
        return -1;
    return 0;
}

static int parse_args(int argc, char **argv, od_opts *o)
{
    static const struct option longs[] = {
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {"headers", no_argument, NULL, 'h'},
        {"section", required_argument, NULL, 'j'},
        {"full-contents", no_argument, NULL, 's'},
        {"disassemble", no_argument, NULL, 'd'},
        {"debug", no_argument, NULL, OPT_DEBUG},
        {"details", no_argument, NULL, 'x'},
        {"reloc", no_argument, NULL, 'r'},
        {"section-offsets", no_argument, NULL, OPT_SECTION_OFFSETS},
        {"func", required_argument, NULL, OPT_FUNC},
        {"color", optional_argument, NULL, OPT_COLOR},
        {"line-table", no_argument, NULL, OPT_LINE_TABLE},
        {NULL, 0, NULL, 0},
    };
    int c;
    lw_features features = lw_features_default();
    lw_error err;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":hj:sdxr", longs, NULL)) != -1) {
        switch (c) {
        case 'h': o->headers = true; break;
        case 'j': o->section = optarg; break;
        case 's': o->raw = true; break;
        case 'd': o->disasm = true; break;
        case 'x': o->details = true; break;
        case 'r': o->reloc = true; break;
        case OPT_DEBUG: break;
        case OPT_SECTION_OFFSETS: o->section_offsets = true; break;
        case OPT_FUNC: o->func = optarg; o->disasm = true; break;
        case OPT_LINE_TABLE: o->line_table = true; break;
        case OPT_COLOR:
            if (parse_color(optarg, &o->color)) {
                fprintf(stderr, OD_NAME ": --color: expected auto, always or never\n");
                return 2;
            }
            break;
        case OPT_HELP: usage(stdout); exit(0);
        case OPT_VERSION: printf(OD_NAME " (libwasm) " LIBWASM_VERSION "\n"); exit(0);
        case ':':
            fprintf(stderr, OD_NAME ": option '%s' needs an argument\n", argv[optind - 1]);
            usage(stderr);
            return 2;
        default:
            /* a feature flag (checked, though the module is read in full), or an error */
            if (optopt || lw_features_option(argv[optind - 1], &features, &err) <= 0) {
                if (optopt)
                    fprintf(stderr, OD_NAME ": unknown option '-%c'\n", optopt);
                else
                    fprintf(stderr, OD_NAME ": %s\n", err.message);
                usage(stderr);
                return 2;
            }
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    od_opts o = {0};
    parse_color("auto", &o.color);
    if (parse_args(argc, argv, &o))
        return 2;
    if (optind >= argc) {
        fprintf(stderr, OD_NAME ": no input files\n");
        usage(stderr);
        return 2;
    }
    if (!o.headers && !o.details && !o.disasm && !o.raw && !o.line_table) {
        fprintf(stderr, OD_NAME ": nothing to show: give -h, -x, -d, -s or --line-table "
                        "(--help for more)\n");
        return 2;
    }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    int status = 0;
    for (int i = optind; i < argc; i++)
        if (!dump_file(&o, argv[i]))
            status = 1;
    return status;
}
