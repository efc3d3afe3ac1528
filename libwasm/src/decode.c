/* The binary decoder: bytes -> lw_module.
 *
 * It checks the binary structure, the suite's "malformed" cases: sections,
 * LEB128s, names, flags, the nesting of every body and constant
 * expression.  Types and indices are the validator's business.
 *
 * Like the reference interpreter, a section's contents are read with the
 * file's end as the only limit, and sizes are compared afterwards; that is
 * what makes a truncated section "unexpected end", an overlong length
 * "length out of bounds" and a body that runs on "section size mismatch",
 * as the suite expects. */
#include "internal.h"

#define DEC_END "unexpected end of section or function"

typedef struct {
    lw_secreader sr;            /* over the module's bytes (copied, owned
                                 * or borrowed); eof is DEC_END */
    lw_module *m;
    wasm_arena *a;
    lw_error *err;
    lw_features features;
    bool gated;                 /* some instruction feature is off */
    bool defer_bodies;          /* leave function bodies to the validator */

    lw_section *sections;     /* malloc'ed while decoding */
    size_t nsections, cap_sections;
    lw_custom *customs;
    size_t ncustoms, cap_customs;
    uint8_t last_id;            /* last non-custom section seen */
    unsigned last_rank;

    uint32_t nfuncdecls;        /* function section */
    const uint32_t *funcdecls;
    uint32_t ndeftables, ndefmems, ndeftags;
    const uint32_t *deftags;
    const lw_tabletype *deftables;
    const lw_limits *defmems;
    bool has_datasec;
    uint8_t *declared;          /* bitmap, once nfuncs is known */

    uint8_t *ctl;               /* open blocks of the expression being scanned */
    size_t ctl_cap;
} dec;

static void *dec_alloc(void *user, size_t size)
{
    dec *d = user;
    return wasm_arena_alloc(d->a, size);
}

static int dec_expr(lw_secreader *sr, lw_expr *e);

/* The section reader with the reference interpreter's rules, allocating
 * in the module's arena. */
static void dec_init(dec *d, const uint8_t *bytes, size_t len, lw_error *err)
{
    lw_reader in;
    lw_reader_init(&in, bytes, len, err);
    in.eof = DEC_END;
    lw_secreader_init(&d->sr, &in, d->features, false);
    d->sr.alloc = dec_alloc;
    d->sr.expr = dec_expr;
    d->sr.user = d;
    d->err = err;
}

static uint64_t dec_off(const dec *d, const uint8_t *at)
{
    return (uint64_t)(at - d->sr.in.base);
}

static int dec_fail(dec *d, const uint8_t *at, const char *msg)
{
    return lw_reader_fail(&d->sr.in, at, msg);
}

static int dec_nomem(dec *d)
{
    return wasm_fail(d->err, LW_ERR_NOMEM, "out of memory");
}

static int dec_u32(dec *d, uint32_t *out)
{
    return lw_read_u32(&d->sr.in, out);
}

/* A length or count (the reference interpreter's rule). */
static int dec_len(dec *d, uint32_t *out)
{
    return lw_read_vec(&d->sr, out);
}

static int dec_name(dec *d, const char **out)
{
    return lw_read_string(&d->sr, out, NULL);
}

static void *dec_array(dec *d, size_t n, size_t size)
{
    void *p = wasm_arena_array(d->a, n, size);
    if (!p)
        dec_nomem(d);
    return p;
}

/* ---- expressions ------------------------------------------------------ */

/* Function-space references outside bodies (the spec's C.refs). */
static int dec_declare(dec *d, uint32_t func)
{
    if (!d->declared) {
        d->declared = dec_array(d, ((size_t)d->m->nfuncs + 7) / 8 + 1, 1);
        if (!d->declared)
            return -1;
    }
    if (func < d->m->nfuncs)
        d->declared[func >> 3] |= (uint8_t)(1u << (func & 7));
    return 0;
}

/* Instructions of a disabled feature are not in the language. */
static int dec_gate(dec *d, const wasm_instr *in)
{
    char msg[128];
    if (!wasm_op_enabled(in->op, d->features, msg, sizeof msg))
        return wasm_fail_at(d->err, LW_ERR_MALFORMED, in->offset, "%s", msg);
    if (in->op == OP_CALL_INDIRECT && in->imm.pair.b != 0 &&
        !(d->features & LW_FEATURE(REFERENCE_TYPES)))
        return wasm_fail_at(d->err, LW_ERR_MALFORMED, in->offset, "zero byte expected");
    return 0;
}

enum { CTL_BLOCK, CTL_IF, CTL_ELSE, CTL_TRY };

static int dec_ctl_push(dec *d, size_t depth, uint8_t kind)
{
    if (wasm_vec_reserve((void **)&d->ctl, &d->ctl_cap, depth + 1, 1) < 0)
        return dec_nomem(d);
    d->ctl[depth] = kind;
    return 0;
}

/* Scan instructions from d->sr.in.p through the `end` that closes depth 0.
 * declare: ref.func declares its function (constant expressions). */
static int dec_scan(dec *d, bool declare)
{
    const uint8_t *p = d->sr.in.p;
    size_t depth = 0;
    wasm_instr in;
    for (;;) {
        if (wasm_instr_next(&p, d->sr.in.end, d->sr.in.base, 0, d->features, &in, d->err))
            return -1;
        if (UNLIKELY(d->gated) && dec_gate(d, &in))
            return -1;
        switch (in.op) {
        case OP_BLOCK: case OP_LOOP: case OP_TRY_TABLE:
            if (dec_ctl_push(d, depth++, CTL_BLOCK))
                return -1;
            break;
        case OP_TRY:
            if (dec_ctl_push(d, depth++, CTL_TRY))
                return -1;
            break;
        case OP_CATCH: case OP_CATCH_ALL: case OP_DELEGATE:
            /* The legacy try's clauses; delegate ends it. */
            if (depth == 0 || d->ctl[depth - 1] != CTL_TRY)
                return dec_fail(d, d->sr.in.base + in.offset, "END opcode expected");
            depth -= in.op == OP_DELEGATE;
            break;
        case OP_IF:
            if (dec_ctl_push(d, depth++, CTL_IF))
                return -1;
            break;
        case OP_ELSE:
            if (depth == 0 || d->ctl[depth - 1] != CTL_IF)
                return dec_fail(d, d->sr.in.base + in.offset, "END opcode expected");
            d->ctl[depth - 1] = CTL_ELSE;
            break;
        case OP_END:
            if (depth == 0) {
                d->sr.in.p = p;
                return 0;
            }
            depth--;
            break;
        case OP_MEMORY_INIT: case OP_DATA_DROP:
            if (!d->m->has_datacount)
                return dec_fail(d, d->sr.in.base + in.offset, "data count section required");
            break;
        case OP_REF_FUNC:
            if (declare && dec_declare(d, in.imm.index))
                return -1;
            break;
        default:
            break;
        }
    }
}

static int dec_const_expr(dec *d, lw_expr *e)
{
    e->code = d->sr.in.p;
    e->offset = (uint32_t)dec_off(d, d->sr.in.p);
    if (dec_scan(d, true))
        return -1;
    e->len = (uint32_t)(d->sr.in.p - e->code);
    return 0;
}

static int dec_expr(lw_secreader *sr, lw_expr *e)
{
    return dec_const_expr(sr->user, e);
}

/* ---- sections: entries through the section reader, kept in the module - */

/* Room for n more types in m's arrays (doubled as rec groups come). */
static int dec_more_types(dec *d, uint32_t n, uint32_t *cap)
{
    lw_module *m = d->m;
    uint64_t need = (uint64_t)m->ntypes + n;
    if (need <= *cap)
        return 0;
    if (need > LW_HEAP_MAX_INDEX + 1ull)
        return lw_reader_fail(&d->sr.in, d->sr.in.p, "too many types");
    uint32_t ncap = (uint32_t)(need > 2ull * *cap ? need : 2ull * *cap);
    lw_functype *types = dec_array(d, ncap, sizeof *types);
    lw_typedef *defs = dec_array(d, ncap, sizeof *defs);
    if (!types || !defs)
        return -1;
    if (m->ntypes) {
        memcpy(types, m->types, m->ntypes * sizeof *types);
        memcpy(defs, m->typedefs, m->ntypes * sizeof *defs);
    }
    m->types = types;
    m->typedefs = defs;
    *cap = ncap;
    return 0;
}

/* Entries are recursion groups (one type each without GC). */
static int dec_type_section(dec *d, uint32_t *count)
{
    lw_module *m = d->m;
    if (dec_len(d, count))
        return -1;
    uint32_t cap = 0;
    if (dec_more_types(d, *count ? *count : 1, &cap))
        return -1;
    for (uint32_t i = 0; i < *count; i++) {
        uint32_t n;
        if (lw_read_rec(&d->sr, &n) || dec_more_types(d, n, &cap))
            return -1;
        lw_functype *types = (lw_functype *)m->types;
        lw_typedef *defs = (lw_typedef *)m->typedefs;
        uint32_t start = m->ntypes;
        for (uint32_t k = 0; k < n; k++) {
            if (lw_read_subtype(&d->sr, &types[start + k], &defs[start + k]))
                return -1;
            defs[start + k].rec_start = start;
            defs[start + k].rec_size = n;
            m->ntypes++;
        }
    }
    return 0;
}

/* Imports are counted per kind as they come: they open the index spaces. */
static void dec_count_import(dec *d, const lw_import *im)
{
    switch (im->kind) {
    case LW_EXTERN_FUNC: d->m->nfunc_imports++; break;
    case LW_EXTERN_TABLE: d->m->ntable_imports++; break;
    case LW_EXTERN_MEMORY: d->m->nmem_imports++; break;
    case LW_EXTERN_TAG: d->m->ntag_imports++; break;
    default: d->m->nglobal_imports++; break;
    }
}

static int dec_import_section(dec *d, uint32_t *count)
{
    if (dec_len(d, count))
        return -1;
    lw_import *ims = dec_array(d, *count, sizeof *ims);
    if (!ims)
        return -1;
    for (uint32_t i = 0; i < *count; i++) {
        if (lw_read_import(&d->sr, &ims[i]))
            return -1;
        dec_count_import(d, &ims[i]);
    }
    d->m->nimports = *count;
    d->m->imports = ims;
    return 0;
}

static int dec_function_section(dec *d, uint32_t *count)
{
    if (dec_len(d, count))
        return -1;
    uint32_t *types = dec_array(d, *count, sizeof *types);
    if (!types)
        return -1;
    for (uint32_t i = 0; i < *count; i++)
        if (dec_u32(d, &types[i]))
            return -1;
    d->nfuncdecls = *count;
    d->funcdecls = types;
    return 0;
}

static int dec_table_section(dec *d, uint32_t *count)
{
    if (dec_len(d, count))
        return -1;
    lw_tabletype *t = dec_array(d, *count, sizeof *t);
    lw_expr *init = dec_array(d, *count, sizeof *init);
    if (!t || !init)
        return -1;
    for (uint32_t i = 0; i < *count; i++)
        if (lw_read_table(&d->sr, &t[i], &init[i]))
            return -1;
    d->ndeftables = *count;
    d->deftables = t;
    d->m->table_inits = init;
    return 0;
}

static int dec_memory_section(dec *d, uint32_t *count)
{
    if (dec_len(d, count))
        return -1;
    lw_limits *l = dec_array(d, *count, sizeof *l);
    if (!l)
        return -1;
    for (uint32_t i = 0; i < *count; i++)
        if (lw_read_memtype(&d->sr, &l[i]))
            return -1;
    d->ndefmems = *count;
    d->defmems = l;
    return 0;
}

static int dec_global_section(dec *d, uint32_t *count)
{
    if (dec_len(d, count))
        return -1;
    lw_globaldef *g = dec_array(d, *count, sizeof *g);
    if (!g)
        return -1;
    for (uint32_t i = 0; i < *count; i++)
        if (lw_read_global(&d->sr, &g[i]))
            return -1;
    d->m->nglobaldefs = *count;
    d->m->globaldefs = g;
    return 0;
}

static int dec_tag_section(dec *d, uint32_t *count)
{
    if (dec_len(d, count))
        return -1;
    uint32_t *t = dec_array(d, *count, sizeof *t);
    if (!t)
        return -1;
    for (uint32_t i = 0; i < *count; i++)
        if (lw_read_tag(&d->sr, &t[i]))
            return -1;
    d->ndeftags = *count;
    d->deftags = t;
    return 0;
}

static int dec_export_section(dec *d, uint32_t *count)
{
    if (dec_len(d, count))
        return -1;
    lw_export *ex = dec_array(d, *count, sizeof *ex);
    if (!ex)
        return -1;
    for (uint32_t i = 0; i < *count; i++) {
        if (lw_read_export(&d->sr, &ex[i]))
            return -1;
        if (ex[i].kind == LW_EXTERN_FUNC && dec_declare(d, ex[i].index))
            return -1;
    }
    d->m->nexports = *count;
    d->m->exports = ex;
    return 0;
}

static int dec_start_section(dec *d)
{
    d->m->has_start = true;
    return dec_u32(d, &d->m->start);
}

static int dec_elem_section(dec *d, uint32_t *count)
{
    if (dec_len(d, count))
        return -1;
    lw_elem *e = dec_array(d, *count, sizeof *e);
    if (!e)
        return -1;
    for (uint32_t i = 0; i < *count; i++) {
        if (lw_read_elem(&d->sr, &e[i]))
            return -1;
        for (uint32_t j = 0; e[i].funcs && j < e[i].count; j++)
            if (dec_declare(d, e[i].funcs[j]))
                return -1;
    }
    d->m->nelems = *count;
    d->m->elems = e;
    return 0;
}

static int dec_datacount_section(dec *d)
{
    d->m->has_datacount = true;
    return dec_u32(d, &d->m->datacount);
}

static int dec_code(dec *d, lw_code *c)
{
    const uint8_t *want;
    if (lw_read_code(&d->sr, c, &want))
        return -1;
    if (d->defer_bodies && want <= d->sr.in.end) {
        d->sr.in.p = want;
        c->body.len = (uint32_t)(want - c->body.code);
        return 0;
    }
    if (dec_scan(d, false))
        return -1;
    if (d->sr.in.p != want)
        return dec_fail(d, d->sr.in.p, "section size mismatch");
    c->body.len = (uint32_t)(d->sr.in.p - c->body.code);
    return 0;
}

static int dec_code_section(dec *d, uint32_t *count)
{
    if (dec_len(d, count))
        return -1;
    lw_code *c = dec_array(d, *count, sizeof *c);
    if (!c)
        return -1;
    for (uint32_t i = 0; i < *count; i++) {
        if (i < d->nfuncdecls)
            c[i].type = d->funcdecls[i];
        if (dec_code(d, &c[i]))
            return -1;
    }
    d->m->ncodes = *count;
    d->m->codes = c;
    return 0;
}

static int dec_data_section(dec *d, uint32_t *count)
{
    if (dec_len(d, count))
        return -1;
    lw_data *s = dec_array(d, *count, sizeof *s);
    if (!s)
        return -1;
    for (uint32_t i = 0; i < *count; i++)
        if (lw_read_data(&d->sr, &s[i]))
            return -1;
    d->has_datasec = true;
    d->m->ndatas = *count;
    d->m->datas = s;
    return 0;
}

/* Index spaces are complete once the function section has been read;
 * the sections that reference functions all come later. */
static void dec_count_funcs(dec *d)
{
    d->m->nfuncs = d->m->nfunc_imports + d->nfuncdecls;
}

/* ---- the name section (custom: errors drop the broken part) ----------- */

/* Read with the binary cursor; its error record is not used, since a
 * failure only drops the subsection it is in. */
typedef struct {
    lw_reader in;
    wasm_arena *a;
} name_reader;

static bool nr_u32(name_reader *r, uint32_t *out)
{
    return lw_read_u32(&r->in, out) == 0;
}

static bool nr_count(name_reader *r, uint32_t *n)
{
    return lw_read_count(&r->in, n) == 0;
}

static bool nr_copy(name_reader *r, const uint8_t *s, uint32_t n, const char **out)
{
    if (!wasm_utf8_valid(s, n))
        return false;
    *out = wasm_arena_strndup(r->a, (const char *)s, n);
    return *out != NULL;
}

static bool nr_name(name_reader *r, const char **out)
{
    const uint8_t *s;
    uint32_t n;
    return lw_read_name(&r->in, &s, &n) == 0 && nr_copy(r, s, n, out);
}

static int name_cmp(const void *a, const void *b)
{
    uint32_t x = ((const lw_name *)a)->index, y = ((const lw_name *)b)->index;
    return x < y ? -1 : x > y;
}

static int iname_cmp(const void *a, const void *b)
{
    uint32_t x = ((const lw_indirect_name *)a)->index;
    uint32_t y = ((const lw_indirect_name *)b)->index;
    return x < y ? -1 : x > y;
}

/* Lookups binary-search, so out-of-order entries get sorted. */
static bool nr_namemap(name_reader *r, lw_namemap *map)
{
    uint32_t n;
    if (!nr_count(r, &n))
        return false;
    lw_name *names = wasm_arena_array(r->a, n, sizeof *names);
    if (!names)
        return false;
    bool sorted = true;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *s;
        uint32_t len;
        if (lw_read_naming(&r->in, &names[i].index, &s, &len) < 0 ||
            !nr_copy(r, s, len, &names[i].name))
            return false;
        if (i && names[i].index <= names[i - 1].index)
            sorted = false;
    }
    if (!sorted)
        qsort(names, n, sizeof *names, name_cmp);
    map->count = n;
    map->names = names;
    return true;
}

static bool nr_indirect(name_reader *r, lw_indirect_namemap *map)
{
    uint32_t n;
    if (!nr_count(r, &n))
        return false;
    lw_indirect_name *e = wasm_arena_array(r->a, n, sizeof *e);
    if (!e)
        return false;
    bool sorted = true;
    for (uint32_t i = 0; i < n; i++) {
        if (!nr_u32(r, &e[i].index) || !nr_namemap(r, &e[i].map))
            return false;
        if (i && e[i].index <= e[i - 1].index)
            sorted = false;
    }
    if (!sorted)
        qsort(e, n, sizeof *e, iname_cmp);
    map->count = n;
    map->entries = e;
    return true;
}

/* Subsection ids: 0 module, 1 functions, 2 locals, 3 labels, 4 types,
 * 5 tables, 6 memories, 7 globals, 8 elems, 9 datas, 11 tags. */
static bool dec_name_sub(name_reader *r, uint8_t id, lw_names *out)
{
    lw_namemap *maps[] = {
        NULL, &out->funcs, NULL, NULL, &out->types, &out->tables,
        &out->memories, &out->globals, &out->elems, &out->datas, NULL, &out->tags,
    };
    switch (id) {
    case 0:
        return nr_name(r, &out->module);
    case 2:
        return nr_indirect(r, &out->locals);
    case 3:
        return nr_indirect(r, &out->labels);
    default:
        return id < COUNTOF(maps) && maps[id] && nr_namemap(r, maps[id]);
    }
}

static void dec_name_section(dec *d, const uint8_t *p, const uint8_t *end)
{
    bool seen[12] = {false};
    lw_error ignored;
    name_reader r = {.a = d->a};
    lw_reader_init(&r.in, p, (size_t)(end - p), &ignored);
    while (r.in.p < end) {
        uint8_t id;
        name_reader sub = {.a = d->a};
        if (lw_read_subsection(&r.in, &id, &sub.in) < 0)
            return;
        if (id >= COUNTOF(seen) || seen[id])
            continue;
        seen[id] = true;
        lw_names tmp = d->m->names;
        if (dec_name_sub(&sub, id, &tmp) && sub.in.p == sub.in.end)
            d->m->names = tmp;
    }
}

/* ---- the section loop ------------------------------------------------- */

/* Position of each known section id in the required order; 0: unknown.
 * Tags (13) come between memories and globals. */
static const uint8_t dec_rank[14] = {
    [1] = 1, [2] = 2, [3] = 3, [4] = 4, [5] = 5, [13] = 6, [6] = 7, [7] = 8,
    [8] = 9, [9] = 10, [12] = 11, [10] = 12, [11] = 13,
};

static int dec_custom(dec *d, const uint8_t *end, lw_section *sec)
{
    lw_custom c = {0};
    if (dec_name(d, &c.name))
        return -1;
    if (d->sr.in.p > end)
        return dec_fail(d, end, DEC_END);
    c.data = d->sr.in.p;
    c.len = (uint32_t)(end - d->sr.in.p);
    c.offset = (uint32_t)dec_off(d, d->sr.in.p);
    c.after = d->last_id;
    sec->name = c.name;
    if (!strcmp(c.name, "name"))
        dec_name_section(d, c.data, end);
    if (wasm_vec_reserve((void **)&d->customs, &d->cap_customs, d->ncustoms + 1,
                         sizeof c) < 0)
        return dec_nomem(d);
    d->customs[d->ncustoms++] = c;
    d->sr.in.p = end;
    return 0;
}

static int dec_section_body(dec *d, uint8_t id, const uint8_t *end, lw_section *sec)
{
    uint32_t *n = &sec->count;
    int rc;
    switch (id) {
    case 0: return dec_custom(d, end, sec);
    case 1: return dec_type_section(d, n);
    case 2:
        rc = dec_import_section(d, n);
        dec_count_funcs(d);
        return rc;
    case 3:
        rc = dec_function_section(d, n);
        dec_count_funcs(d);
        return rc;
    case 4: return dec_table_section(d, n);
    case 5: return dec_memory_section(d, n);
    case 6: return dec_global_section(d, n);
    case 7: return dec_export_section(d, n);
    case 8: return dec_start_section(d);
    case 9: return dec_elem_section(d, n);
    case 10: return dec_code_section(d, n);
    case 11: return dec_data_section(d, n);
    case 13: return dec_tag_section(d, n);
    default: return dec_datacount_section(d);
    }
}

static int dec_section(dec *d)
{
    const uint8_t *at = d->sr.in.p;
    uint8_t id = *d->sr.in.p++;
    if (id > 13 || (id == 12 && !(d->features & LW_FEATURE(BULK_MEMORY))))
        return dec_fail(d, at, "malformed section id");
    if (id == 13 && !(d->features & LW_FEATURE(EXCEPTIONS)))
        return dec_fail(d, at, "malformed section id 13 (feature exceptions is disabled)");
    if (id && dec_rank[id] <= d->last_rank)
        return dec_fail(d, at, "unexpected content after last section");
    uint32_t size;
    if (dec_len(d, &size))
        return -1;
    lw_section sec = {id, NULL, (uint32_t)dec_off(d, d->sr.in.p), size, 0};
    /* The length rule lets a size overshoot the file by its own LEB. */
    bool overshoot = size > (size_t)(d->sr.in.end - d->sr.in.p);
    const uint8_t *end = overshoot ? d->sr.in.end : d->sr.in.p + size;
    if (overshoot && id == 0)
        return dec_fail(d, d->sr.in.end, DEC_END);
    /* globals end with their section: an initializer that runs on is
     * "unexpected end of section or function", as in the reference
     * interpreter (other sections keep their messages for overruns) */
    const uint8_t *whole = d->sr.in.end;
    if (id == 6)
        d->sr.in.end = end;
    int rc = dec_section_body(d, id, end, &sec);
    d->sr.in.end = whole;
    if (rc)
        return -1;
    if (overshoot || d->sr.in.p != end)
        return dec_fail(d, d->sr.in.p, "section size mismatch");
    if (id) {
        d->last_rank = dec_rank[id];
        d->last_id = id;
    }
    if (wasm_vec_reserve((void **)&d->sections, &d->cap_sections, d->nsections + 1,
                         sizeof sec) < 0)
        return dec_nomem(d);
    d->sections[d->nsections++] = sec;
    return 0;
}

/* ---- putting the module together ---------------------------------------- */

static int dec_header(dec *d)
{
    static const uint8_t magic[4] = {0, 'a', 's', 'm'};
    static const uint8_t version[4] = {1, 0, 0, 0};
    size_t len = (size_t)(d->sr.in.end - d->sr.in.base);
    if (len < 4)
        return dec_fail(d, d->sr.in.end, "unexpected end");
    if (memcmp(d->sr.in.base, magic, 4))
        return dec_fail(d, d->sr.in.base, "magic header not detected");
    if (len < 8)
        return dec_fail(d, d->sr.in.end, "unexpected end");
    if (memcmp(d->sr.in.base + 4, version, 4))
        return dec_fail(d, d->sr.in.base + 4, "unknown binary version");
    d->sr.in.p = d->sr.in.base + 8;
    return 0;
}

static int dec_counts_agree(dec *d)
{
    lw_module *m = d->m;
    if (d->nfuncdecls != m->ncodes)
        return dec_fail(d, d->sr.in.end, "function and code section have inconsistent lengths");
    if (m->has_datacount && m->datacount != m->ndatas)
        return dec_fail(d, d->sr.in.end, "data count and data section have inconsistent lengths");
    return 0;
}

/* The index spaces: imports first, then the module's own definitions. */
static int dec_index_spaces(dec *d)
{
    lw_module *m = d->m;
    m->ntables = m->ntable_imports + d->ndeftables;
    m->nmems = m->nmem_imports + d->ndefmems;
    m->nglobals = m->nglobal_imports + m->nglobaldefs;
    m->ntags = m->ntag_imports + d->ndeftags;
    uint32_t *ft = dec_array(d, m->nfuncs, sizeof *ft);
    uint32_t *tg = dec_array(d, m->ntags, sizeof *tg);
    lw_tabletype *tt = dec_array(d, m->ntables, sizeof *tt);
    lw_limits *mt = dec_array(d, m->nmems, sizeof *mt);
    lw_globaltype *gt = dec_array(d, m->nglobals, sizeof *gt);
    if (!ft || !tt || !mt || !gt || !tg)
        return -1;
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0, nx = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const lw_import *im = &m->imports[i];
        switch (im->kind) {
        case LW_EXTERN_FUNC: ft[nf++] = im->desc.func; break;
        case LW_EXTERN_TABLE: tt[nt++] = im->desc.table; break;
        case LW_EXTERN_MEMORY: mt[nm++] = im->desc.memory; break;
        case LW_EXTERN_TAG: tg[nx++] = im->desc.tag; break;
        default: gt[ng++] = im->desc.global; break;
        }
    }
    if (d->ndeftags)
        memcpy(tg + nx, d->deftags, d->ndeftags * sizeof *tg);
    if (d->nfuncdecls)
        memcpy(ft + nf, d->funcdecls, d->nfuncdecls * sizeof *ft);
    if (d->ndeftables)
        memcpy(tt + nt, d->deftables, d->ndeftables * sizeof *tt);
    if (d->ndefmems)
        memcpy(mt + nm, d->defmems, d->ndefmems * sizeof *mt);
    for (uint32_t i = 0; i < m->nglobaldefs; i++)
        gt[ng + i] = m->globaldefs[i].type;
    m->func_types = ft;
    m->tables = tt;
    m->mems = mt;
    m->globals = gt;
    m->tags = tg;
    return 0;
}

/* The branch hints of metadata.code.branch_hint onto the functions'
 * codes: functions and offsets increasing, each inside its body, size 1,
 * value 0 or 1.  A section that breaks a rule means nothing (it stays a
 * custom section); out of memory fails. */
static int dec_hints_section(dec *d, const lw_custom *sec, lw_code *codes)
{
    const uint8_t *p = sec->data, *end = sec->data + sec->len;
    uint32_t nfuncs, func, prev = 0, nfi = d->m->nfunc_imports;
    if (wasm_read_u32(&p, end, &nfuncs))
        return 0;
    lw_branch_hint **put = calloc(d->m->ncodes ? d->m->ncodes : 1, sizeof *put);
    uint32_t *count = calloc(d->m->ncodes ? d->m->ncodes : 1, sizeof *count);
    int rc = put && count ? 0 : dec_nomem(d);
    bool ok = rc == 0;
    for (uint32_t i = 0; ok && i < nfuncs; i++) {
        uint32_t n, off, size, last = 0;
        ok = !wasm_read_u32(&p, end, &func) && func >= nfi && func - nfi < d->m->ncodes &&
             (i == 0 || func > prev) && !wasm_read_u32(&p, end, &n) && n <= (size_t)(end - p);
        if (!ok)
            break;
        prev = func;
        const lw_code *c = &codes[func - nfi];
        uint32_t base = c->body.offset - c->locals_offset;
        lw_branch_hint *h = n ? wasm_arena_array(d->a, n, sizeof *h) : NULL;
        if (n && !h) {
            rc = dec_nomem(d);
            break;
        }
        for (uint32_t k = 0; ok && k < n; k++) {
            ok = !wasm_read_u32(&p, end, &off) && (k == 0 || off > last) && off >= base &&
                 off - base < c->body.len && !wasm_read_u32(&p, end, &size) && size == 1 &&
                 p < end && *p <= 1;
            if (ok) {
                h[k].offset = off - base;
                h[k].likely = *p++;
                last = off;
            }
        }
        put[func - nfi] = h;
        count[func - nfi] = n;
    }
    if (ok && p == end)
        for (uint32_t i = 0; i < d->m->ncodes; i++) {
            codes[i].hints = put[i];
            codes[i].nhints = count[i];
        }
    free(put);
    free(count);
    return rc;
}

static int dec_finish(dec *d)
{
    lw_module *m = d->m;
    if (dec_counts_agree(d) || dec_index_spaces(d))
        return -1;
    if (!d->declared && dec_declare(d, UINT32_MAX))
        return -1;
    m->declared_funcs = d->declared;
    m->sections = wasm_arena_memdup(d->a, d->sections, d->nsections * sizeof *d->sections);
    m->customs = wasm_arena_memdup(d->a, d->customs, d->ncustoms * sizeof *d->customs);
    if (!m->sections || !m->customs)
        return dec_nomem(d);
    m->nsections = (uint32_t)d->nsections;
    m->ncustoms = (uint32_t)d->ncustoms;
    for (size_t i = d->ncustoms; i-- > 0;)
        if (strcmp(d->customs[i].name, "metadata.code.branch_hint") == 0) {
            if (dec_hints_section(d, &d->customs[i], (lw_code *)m->codes) < 0)
                return -1;
            break;
        }
    return wasm_module_index_names(m) < 0 ? dec_nomem(d) : 0;
}

static int dec_module(dec *d)
{
    if (dec_header(d))
        return -1;
    while (d->sr.in.p < d->sr.in.end)
        if (dec_section(d))
            return -1;
    return dec_finish(d);
}

/* Decode bytes[0..len); `owned` (bytes itself, or NULL when borrowed) is
 * the module's to free, even on failure.  With `defer`, function bodies
 * are left unread: see wasm_module_decode_deferred. */
static lw_module *dec_run(const uint8_t *bytes, size_t len, uint8_t *owned,
                           lw_features features, bool defer, lw_error *err)
{
    lw_module *m = wasm_module_new(features);
    if (!m) {
        free(owned);
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        return NULL;
    }
    m->priv->base = bytes;
    m->priv->nbytes = len;
    dec d = {
        .m = m, .a = &m->priv->arena, .features = features,
        .gated = (features & wasm_op_features) != wasm_op_features,
        .defer_bodies = defer,
    };
    dec_init(&d, bytes, len, err);
    int rc = dec_module(&d);
    free(d.sections);
    free(d.customs);
    free(d.ctl);
    if (rc) {
        lw_module_free(m);
        free(owned);
        return NULL;
    }
    m->priv->bytes = owned;
    m->priv->bodies_deferred = defer;
    return m;
}

/* err holds the validator's failure, which a malformed body replaces. */
int wasm_module_scan_bodies(const lw_module *m, lw_error *err)
{
    lw_error malformed;
    dec d = {
        .m = (lw_module *)m, .features = m->features,
        .gated = (m->features & wasm_op_features) != wasm_op_features,
    };
    dec_init(&d, m->priv->base, m->priv->nbytes, &malformed);
    int rc = 0;
    for (uint32_t i = 0; i < m->ncodes && rc == 0; i++) {
        const lw_code *c = &m->codes[i];
        d.sr.in.p = c->body.code;
        rc = dec_scan(&d, false);
        if (rc == 0 && d.sr.in.p != c->body.code + c->body.len)
            rc = dec_fail(&d, d.sr.in.p, "section size mismatch");
    }
    free(d.ctl);
    if (rc)
        *err = malformed;
    return rc;
}

static bool dec_too_large(size_t len, lw_error *err)
{
    if (len <= UINT32_MAX)
        return false;
    wasm_fail(err, LW_ERR_LIMIT, "module too large");
    return true;
}

static lw_module *dec_checked(const uint8_t *bytes, size_t len, uint8_t *owned,
                              lw_features features, bool defer, lw_error *err)
{
    if (dec_too_large(len, err)) {
        free(owned);
        return NULL;
    }
    return dec_run(bytes, len, owned, features, defer, err);
}

uint8_t *wasm_module_copy_bytes(const uint8_t *bytes, size_t len, lw_error *err)
{
    if (dec_too_large(len, err))
        return NULL;
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy)
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    else if (len)
        memcpy(copy, bytes, len);
    return copy;
}

lw_module *lw_module_decode(const uint8_t *bytes, size_t len,
                            lw_features features, lw_error *err)
{
    uint8_t *copy = wasm_module_copy_bytes(bytes, len, err);
    return copy ? dec_run(copy, len, copy, features, false, err) : NULL;
}

lw_module *wasm_module_decode_owned(uint8_t *bytes, size_t len,
                                    lw_features features, lw_error *err)
{
    return dec_checked(bytes, len, bytes, features, false, err);
}

lw_module *lw_module_decode_borrowed(const uint8_t *bytes, size_t len,
                                     lw_features features, lw_error *err)
{
    return dec_checked(bytes, len, NULL, features, false, err);
}

lw_module *wasm_module_decode_deferred(const uint8_t *bytes, size_t len,
                                       lw_features features, lw_error *err)
{
    return dec_checked(bytes, len, NULL, features, true, err);
}
