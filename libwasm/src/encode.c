/* The binary encoder: a lw_module (decoded or parsed) to .wasm bytes. */
#include "internal.h"

static void enc_name_n(wasm_buf *b, const char *s, size_t n)
{
    wasm_buf_u32(b, (uint32_t)n);
    wasm_buf_bytes(b, s, n);
}

static void enc_name(wasm_buf *b, const char *s)
{
    enc_name_n(b, s, s ? strlen(s) : 0);
}

static void enc_limits(wasm_buf *b, const lw_limits *l)
{
    wasm_buf_byte(b, (uint8_t)((l->has_max ? 1 : 0) | (l->shared ? 2 : 0) | (l->is64 ? 4 : 0)));
    wasm_buf_u64(b, l->min);
    if (l->has_max)
        wasm_buf_u64(b, l->max);
}

static void enc_expr(wasm_buf *b, const lw_expr *e)
{
    wasm_buf_bytes(b, e->code, e->len);
}

/* Append section id with its contents (size-prefixed). */
static void enc_section(wasm_buf *out, uint8_t id, const wasm_buf *s)
{
    wasm_buf_byte(out, id);
    wasm_buf_u32(out, (uint32_t)s->len);
    wasm_buf_bytes(out, s->data, s->len);
}

static void enc_valtypes(wasm_buf *b, const lw_valtype *types, uint32_t n)
{
    wasm_buf_u32(b, n);
    for (uint32_t i = 0; i < n; i++)
        wasm_buf_valtype(b, types[i]);
}

static void enc_field(wasm_buf *b, const lw_fieldtype *f)
{
    if (f->type == LW_I8 || f->type == LW_I16)
        wasm_buf_byte(b, (uint8_t)f->type);
    else
        wasm_buf_valtype(b, f->type);
    wasm_buf_byte(b, f->mut);
}

/* A type: `sub` or `sub final` when it has a supertype or is not final,
 * then its composite type. */
static void enc_subtype(const lw_module *m, wasm_buf *b, uint32_t i)
{
    const lw_typedef *d = &m->typedefs[i];
    if (d->super != LW_NO_SUPER || !d->final) {
        wasm_buf_byte(b, d->final ? 0x4f : 0x50);
        wasm_buf_u32(b, d->super != LW_NO_SUPER);
        if (d->super != LW_NO_SUPER)
            wasm_buf_u32(b, d->super);
    }
    wasm_buf_byte(b, d->kind);
    if (d->kind == LW_COMP_FUNC) {
        const lw_functype *t = &m->types[i];
        enc_valtypes(b, t->params, t->nparams);
        enc_valtypes(b, t->results, t->nresults);
        return;
    }
    if (d->kind == LW_COMP_STRUCT)
        wasm_buf_u32(b, d->nfields);
    for (uint32_t k = 0; k < d->nfields; k++)
        enc_field(b, &d->fields[k]);
}

/* One entry per recursion group: `rec` when it holds other than one type. */
static void enc_types(const lw_module *m, wasm_buf *b)
{
    uint32_t ngroups = 0;
    for (uint32_t i = 0; i < m->ntypes; i += m->typedefs[i].rec_size)
        ngroups++;
    wasm_buf_u32(b, ngroups);
    for (uint32_t i = 0; i < m->ntypes; i += m->typedefs[i].rec_size) {
        uint32_t size = m->typedefs[i].rec_size;
        if (size != 1) {
            wasm_buf_byte(b, 0x4e);
            wasm_buf_u32(b, size);
        }
        for (uint32_t k = i; k < i + size; k++)
            enc_subtype(m, b, k);
    }
}

static void enc_imports(const lw_module *m, wasm_buf *b)
{
    wasm_buf_u32(b, m->nimports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const lw_import *im = &m->imports[i];
        enc_name_n(b, im->module, im->module_len);
        enc_name_n(b, im->name, im->name_len);
        wasm_buf_byte(b, im->kind);
        switch (im->kind) {
        case LW_EXTERN_FUNC:
            wasm_buf_u32(b, im->desc.func);
            break;
        case LW_EXTERN_TABLE:
            wasm_buf_valtype(b, im->desc.table.reftype);
            enc_limits(b, &im->desc.table.limits);
            break;
        case LW_EXTERN_MEMORY:
            enc_limits(b, &im->desc.memory);
            break;
        case LW_EXTERN_TAG:
            wasm_buf_byte(b, 0x00);     /* attribute: exception */
            wasm_buf_u32(b, im->desc.tag);
            break;
        default:
            wasm_buf_valtype(b, im->desc.global.type);
            wasm_buf_byte(b, im->desc.global.mut);
        }
    }
}

static void enc_funcs(const lw_module *m, wasm_buf *b)
{
    wasm_buf_u32(b, m->ncodes);
    for (uint32_t i = 0; i < m->ncodes; i++)
        wasm_buf_u32(b, m->codes[i].type);
}

static void enc_tables(const lw_module *m, wasm_buf *b)
{
    wasm_buf_u32(b, m->ntables - m->ntable_imports);
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        const lw_expr *init = m->table_inits ? &m->table_inits[i - m->ntable_imports] : NULL;
        if (init && init->code) {
            wasm_buf_byte(b, 0x40);
            wasm_buf_byte(b, 0x00);
        }
        wasm_buf_valtype(b, m->tables[i].reftype);
        enc_limits(b, &m->tables[i].limits);
        if (init && init->code)
            enc_expr(b, init);
    }
}

static void enc_mems(const lw_module *m, wasm_buf *b)
{
    wasm_buf_u32(b, m->nmems - m->nmem_imports);
    for (uint32_t i = m->nmem_imports; i < m->nmems; i++)
        enc_limits(b, &m->mems[i]);
}

static void enc_tags(const lw_module *m, wasm_buf *b)
{
    wasm_buf_u32(b, m->ntags - m->ntag_imports);
    for (uint32_t i = m->ntag_imports; i < m->ntags; i++) {
        wasm_buf_byte(b, 0x00);
        wasm_buf_u32(b, m->tags[i]);
    }
}

static void enc_globals(const lw_module *m, wasm_buf *b)
{
    wasm_buf_u32(b, m->nglobaldefs);
    for (uint32_t i = 0; i < m->nglobaldefs; i++) {
        const lw_globaldef *g = &m->globaldefs[i];
        wasm_buf_valtype(b, g->type.type);
        wasm_buf_byte(b, g->type.mut);
        enc_expr(b, &g->init);
    }
}

static void enc_exports(const lw_module *m, wasm_buf *b)
{
    wasm_buf_u32(b, m->nexports);
    for (uint32_t i = 0; i < m->nexports; i++) {
        enc_name_n(b, m->exports[i].name, m->exports[i].name_len);
        wasm_buf_byte(b, m->exports[i].kind);
        wasm_buf_u32(b, m->exports[i].index);
    }
}

static void enc_elem(wasm_buf *b, const lw_elem *e)
{
    uint8_t f = e->flags & 7;
    wasm_buf_u32(b, f);
    if (f == 2 || f == 6)
        wasm_buf_u32(b, e->table);
    if (!(f & 1))
        enc_expr(b, &e->offset);
    if ((f & 3) && (f & 4))
        wasm_buf_valtype(b, e->reftype);
    else if (f & 3)
        wasm_buf_byte(b, 0x00);     /* elemkind: funcref */
    wasm_buf_u32(b, e->count);
    for (uint32_t i = 0; i < e->count; i++) {
        if (f & 4)
            enc_expr(b, &e->exprs[i]);
        else
            wasm_buf_u32(b, e->funcs[i]);
    }
}

static void enc_elems(const lw_module *m, wasm_buf *b)
{
    wasm_buf_u32(b, m->nelems);
    for (uint32_t i = 0; i < m->nelems; i++)
        enc_elem(b, &m->elems[i]);
}

static void enc_locals(wasm_buf *b, const lw_code *c)
{
    wasm_buf_u32(b, c->nlocalgroups);
    for (uint32_t g = 0; g < c->nlocalgroups; g++) {
        wasm_buf_u32(b, c->localgroups[g].count);
        wasm_buf_valtype(b, c->localgroups[g].type);
    }
}

static void enc_codes(const lw_module *m, wasm_buf *b)
{
    wasm_buf body = {0};
    wasm_buf_u32(b, m->ncodes);
    for (uint32_t i = 0; i < m->ncodes; i++) {
        const lw_code *c = &m->codes[i];
        body.len = 0;
        enc_locals(&body, c);
        enc_expr(&body, &c->body);
        b->oom |= body.oom;
        wasm_buf_u32(b, (uint32_t)body.len);
        wasm_buf_bytes(b, body.data, body.len);
    }
    wasm_buf_free(&body);
}

static void enc_datas(const lw_module *m, wasm_buf *b)
{
    wasm_buf_u32(b, m->ndatas);
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const lw_data *d = &m->datas[i];
        uint8_t f = d->mode == LW_SEG_PASSIVE ? 1 : d->memory || d->flags == 2 ? 2 : 0;
        wasm_buf_u32(b, f);
        if (f == 2)
            wasm_buf_u32(b, d->memory);
        if (f != 1)
            enc_expr(b, &d->offset);
        wasm_buf_u32(b, d->len);
        wasm_buf_bytes(b, d->bytes, d->len);
    }
}

/* ---- the name section ---------------------------------------------------- */

static void enc_namemap(wasm_buf *b, const lw_namemap *map)
{
    wasm_buf_u32(b, map->count);
    for (uint32_t i = 0; i < map->count; i++) {
        wasm_buf_u32(b, map->names[i].index);
        enc_name(b, map->names[i].name);
    }
}

static void enc_subsection(wasm_buf *out, uint8_t id, wasm_buf *s)
{
    enc_section(out, id, s);
    out->oom |= s->oom;
    s->len = 0;
}

static void enc_indirect(wasm_buf *b, const lw_indirect_namemap *map)
{
    wasm_buf_u32(b, map->count);
    for (uint32_t i = 0; i < map->count; i++) {
        wasm_buf_u32(b, map->entries[i].index);
        enc_namemap(b, &map->entries[i].map);
    }
}

static bool enc_has_names(const lw_names *n)
{
    return n->module || n->funcs.count || n->locals.count || n->labels.count ||
           n->types.count || n->tables.count || n->memories.count || n->globals.count ||
           n->elems.count || n->datas.count || n->tags.count;
}

static void enc_names(const lw_module *m, wasm_buf *b)
{
    const lw_names *n = &m->names;
    const lw_namemap *maps[] = {NULL, &n->funcs, NULL, NULL, &n->types, &n->tables,
                                  &n->memories, &n->globals, &n->elems, &n->datas,
                                  NULL, &n->tags};
    wasm_buf s = {0};
    enc_name(b, "name");
    if (n->module) {
        enc_name(&s, n->module);
        enc_subsection(b, 0, &s);
    }
    for (uint8_t id = 1; id < COUNTOF(maps); id++) {
        if (id == 2 || id == 3) {
            const lw_indirect_namemap *im = id == 2 ? &n->locals : &n->labels;
            if (im->count) {
                enc_indirect(&s, im);
                enc_subsection(b, id, &s);
            }
        } else if (maps[id] && maps[id]->count) {
            enc_namemap(&s, maps[id]);
            enc_subsection(b, id, &s);
        }
    }
    wasm_buf_free(&s);
}

/* ---- branch hints ---------------------------------------------------------- */

static const char enc_hints_name[] = "metadata.code.branch_hint";

static bool enc_has_hints(const lw_module *m)
{
    for (uint32_t i = 0; i < m->ncodes; i++)
        if (m->codes[i].nhints)
            return true;
    return false;
}

/* Per function with hints: its index and each hint's offset from the
 * start of the body (its local declarations included), size 1, value. */
static void enc_hints(const lw_module *m, wasm_buf *b)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < m->ncodes; i++)
        n += m->codes[i].nhints > 0;
    wasm_buf locals = {0};
    enc_name(b, enc_hints_name);
    wasm_buf_u32(b, n);
    for (uint32_t i = 0; i < m->ncodes; i++) {
        const lw_code *c = &m->codes[i];
        if (!c->nhints)
            continue;
        locals.len = 0;
        enc_locals(&locals, c);
        b->oom |= locals.oom;
        wasm_buf_u32(b, m->nfunc_imports + i);
        wasm_buf_u32(b, c->nhints);
        for (uint32_t h = 0; h < c->nhints; h++) {
            wasm_buf_u32(b, (uint32_t)locals.len + c->hints[h].offset);
            wasm_buf_u32(b, 1);
            wasm_buf_byte(b, c->hints[h].likely);
        }
    }
    wasm_buf_free(&locals);
}

/* ---- the module ------------------------------------------------------------ */

/* The custom sections placed after section `after`, but those the
 * encoder writes itself from the module (names, hints). */
static void enc_customs_after(const lw_module *m, wasm_buf *out, uint8_t after, bool names,
                              bool hints)
{
    wasm_buf s = {0};
    for (uint32_t i = 0; i < m->ncustoms; i++) {
        const lw_custom *c = &m->customs[i];
        if (c->after != after || (names && c->name && strcmp(c->name, "name") == 0) ||
            (hints && c->name && strcmp(c->name, enc_hints_name) == 0))
            continue;
        s.len = 0;
        enc_name(&s, c->name);
        wasm_buf_bytes(&s, c->data, c->len);
        enc_section(out, 0, &s);
        out->oom |= s.oom;
    }
    wasm_buf_free(&s);
}

typedef struct {
    uint8_t id;
    void (*write)(const lw_module *, wasm_buf *);
} enc_step;

static bool enc_present(const lw_module *m, uint8_t id)
{
    switch (id) {
    case 1: return m->ntypes > 0;
    case 2: return m->nimports > 0;
    case 3: return m->ncodes > 0;
    case 4: return m->ntables > m->ntable_imports;
    case 5: return m->nmems > m->nmem_imports;
    case 13: return m->ntags > m->ntag_imports;
    case 6: return m->nglobaldefs > 0;
    case 7: return m->nexports > 0;
    case 8: return m->has_start;
    case 9: return m->nelems > 0;
    case 12: return m->has_datacount;
    case 10: return m->ncodes > 0;
    case 11: return m->ndatas > 0;
    default: return false;
    }
}

static void enc_start(const lw_module *m, wasm_buf *b)
{
    wasm_buf_u32(b, m->start);
}

static void enc_datacount(const lw_module *m, wasm_buf *b)
{
    wasm_buf_u32(b, m->datacount);
}

int lw_module_encode(const lw_module *m, uint8_t **out, size_t *len, lw_error *err)
{
    static const enc_step steps[] = {
        {1, enc_types}, {2, enc_imports}, {3, enc_funcs}, {4, enc_tables},
        {5, enc_mems}, {13, enc_tags}, {6, enc_globals}, {7, enc_exports}, {8, enc_start},
        {9, enc_elems}, {12, enc_datacount}, {10, enc_codes}, {11, enc_datas},
    };
    wasm_buf b = {0}, s = {0};
    bool names = enc_has_names(&m->names), hints = enc_has_hints(m);
    static const uint8_t header[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    wasm_buf_bytes(&b, header, sizeof header);
    enc_customs_after(m, &b, 0, names, hints);
    for (size_t i = 0; i < COUNTOF(steps); i++) {
        if (steps[i].id == 10 && hints) {
            s.len = 0;
            enc_hints(m, &s);
            enc_section(&b, 0, &s);
            b.oom |= s.oom;
        }
        if (enc_present(m, steps[i].id)) {
            s.len = 0;
            steps[i].write(m, &s);
            enc_section(&b, steps[i].id, &s);
            b.oom |= s.oom;
        }
        enc_customs_after(m, &b, steps[i].id, names, hints);
    }
    if (names) {
        s.len = 0;
        enc_names(m, &s);
        enc_section(&b, 0, &s);
        b.oom |= s.oom;
    }
    wasm_buf_free(&s);
    if (b.oom) {
        wasm_buf_free(&b);
        return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    }
    *out = b.data;
    *len = b.len;
    return 0;
}
