/* Helpers over a loaded module: types and names of functions, name maps,
 * exports. */
#include "internal.h"

const lw_functype *lw_module_func_type(const lw_module *m, uint32_t func)
{
    if (func >= m->nfuncs || m->func_types[func] >= m->ntypes)
        return NULL;
    return &m->types[m->func_types[func]];
}

lw_typedef *wasm_module_func_typedefs(lw_module *m, uint32_t ntypes)
{
    lw_typedef *defs = wasm_arena_array(&m->priv->arena, ntypes, sizeof *defs);
    for (uint32_t i = 0; defs && i < ntypes; i++)
        defs[i] = (lw_typedef){LW_COMP_FUNC, true, LW_NO_SUPER, i, 1, 0, NULL};
    m->typedefs = defs;
    return defs;
}

const char *lw_namemap_get(const lw_namemap *map, uint32_t index)
{
    uint32_t lo = 0, hi = map->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t at = map->names[mid].index;
        if (at == index)
            return map->names[mid].name;
        if (at < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const lw_namemap *lw_module_local_names(const lw_module *m, uint32_t func)
{
    const lw_indirect_namemap *l = &m->names.locals;
    uint32_t lo = 0, hi = l->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t at = l->entries[mid].index;
        if (at == func)
            return &l->entries[mid].map;
        if (at < func)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const lw_export *lw_module_find_export_n(const lw_module *m, const char *name,
                                         size_t len)
{
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].name_len == len && memcmp(m->exports[i].name, name, len) == 0)
            return &m->exports[i];
    return NULL;
}

const lw_export *lw_module_find_export(const lw_module *m, const char *name)
{
    return lw_module_find_export_n(m, name, strlen(name));
}

/* Import names are "module.field", as wasm-objdump prints them. */
static const char *mod_import_name(wasm_arena *a, const lw_import *im)
{
    size_t lm = strlen(im->module), ln = strlen(im->name);
    char *s = wasm_arena_alloc(a, lm + ln + 2);
    if (s) {
        memcpy(s, im->module, lm);
        s[lm] = '.';
        memcpy(s + lm + 1, im->name, ln + 1);
    }
    return s;
}

/* The order of preference follows wasm-objdump: the name section, then
 * an export (the first one), then the import's "module.field". */
int wasm_module_index_names(lw_module *m)
{
    wasm_arena *a = &m->priv->arena;
    const char **names = wasm_arena_array(a, m->nfuncs ? m->nfuncs : 1, sizeof *names);
    if (!names)
        return -1;
    for (uint32_t i = 0, f = 0; i < m->nimports && f < m->nfuncs; i++) {
        if (m->imports[i].kind != LW_EXTERN_FUNC)
            continue;
        names[f] = mod_import_name(a, &m->imports[i]);
        if (!names[f++])
            return -1;
    }
    for (uint32_t i = m->nexports; i-- > 0;) {
        const lw_export *e = &m->exports[i];
        if (e->kind == LW_EXTERN_FUNC && e->index < m->nfuncs)
            names[e->index] = e->name;
    }
    for (uint32_t i = 0; i < m->names.funcs.count; i++) {
        const lw_name *n = &m->names.funcs.names[i];
        if (n->index < m->nfuncs)
            names[n->index] = n->name;
    }
    m->priv->func_names = names;
    return 0;
}

/* Without the index (a module built by hand), the same order, slower. */
static const char *mod_func_name_slow(const lw_module *m, uint32_t func)
{
    const char *n = lw_namemap_get(&m->names.funcs, func);
    if (n)
        return n;
    for (uint32_t i = 0; i < m->nexports; i++)
        if (m->exports[i].kind == LW_EXTERN_FUNC && m->exports[i].index == func)
            return m->exports[i].name;
    for (uint32_t i = 0, f = 0; i < m->nimports; i++)
        if (m->imports[i].kind == LW_EXTERN_FUNC && f++ == func)
            return m->imports[i].name;
    return NULL;
}

const char *lw_module_func_name(const lw_module *m, uint32_t func)
{
    if (func >= m->nfuncs)
        return NULL;
    if (m->priv && m->priv->func_names)
        return m->priv->func_names[func];
    return mod_func_name_slow(m, func);
}

/* ---- source locations (DWARF) -------------------------------------- */

/* The module's DWARF, read once; racing threads keep the first. */
static const lw_dwarf *mod_dwarf(const lw_module *m)
{
    lw_dwarf *d = __atomic_load_n(&m->priv->dwarf, __ATOMIC_ACQUIRE);
    if (d)
        return d;
    d = lw_dwarf_parse(m->customs, m->ncustoms);
    if (!d)
        return NULL;
    lw_dwarf *none = NULL;
    if (!__atomic_compare_exchange_n(&m->priv->dwarf, &none, d, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        lw_dwarf_free(d);
        d = none;
    }
    return d;
}

bool lw_module_source_loc(const lw_module *m, uint32_t func, uint32_t code_offset,
                          lw_source_loc *loc)
{
    memset(loc, 0, sizeof *loc);
    if (!m || !m->priv || !m->priv->base || func < m->nfunc_imports || func >= m->nfuncs ||
        func - m->nfunc_imports >= m->ncodes || !m->ncustoms)
        return false;
    const lw_section *code = NULL;
    for (uint32_t i = 0; i < m->nsections && !code; i++)
        if (m->sections[i].id == 10)
            code = &m->sections[i];
    const lw_code *c = &m->codes[func - m->nfunc_imports];
    uint32_t lo = c->locals_offset, hi = c->body.offset + c->body.len;
    if (!code || lo < code->offset || code_offset < lo || code_offset >= hi)
        return false;
    const lw_dwarf *d = mod_dwarf(m);
    return d && lw_dwarf_find(d, lo - code->offset, hi - code->offset,
                              code_offset - code->offset, loc);
}

const char *lw_frame_name(const lw_frame *f, lw_source_loc *loc, bool *known)
{
    *known = f->module && lw_module_source_loc(f->module, f->func_index, f->code_offset, loc);
    const char *name = f->module ? lw_namemap_get(&f->module->names.funcs, f->func_index) : NULL;
    if (!name)
        name = *known && loc->func ? loc->func : f->name;
    return name;
}

/* ---- binary or text ------------------------------------------------ */

enum { FMT_UNDECIDED = -1 };   /* the bytes end before they tell */

/* Past a block comment "(; ... ;)" (nested) that starts at i, or len. */
static size_t fmt_skip_block(const uint8_t *p, size_t len, size_t i)
{
    unsigned depth = 0;
    while (i + 1 < len) {
        if (p[i] == '(' && p[i + 1] == ';') {
            depth++;
            i += 2;
        } else if (p[i] == ';' && p[i + 1] == ')') {
            i += 2;
            if (--depth == 0)
                return i;
        } else {
            i++;
        }
    }
    return len;
}

/* Text: the first token after white space and comments opens a paren.
 * Before the end (not `complete`), undecided while the bytes seen are
 * white space and comments only. */
static int fmt_text(const uint8_t *p, size_t len, bool complete)
{
    size_t i = 0;
    while (i < len) {
        bool two = i + 1 < len;
        if (strchr(" \t\r\n", p[i]) && p[i]) {
            i++;
        } else if (two && p[i] == ';' && p[i + 1] == ';') {
            const uint8_t *nl = memchr(p + i, '\n', len - i);
            i = nl ? (size_t)(nl - p) + 1 : len;
        } else if (two && p[i] == '(' && p[i + 1] == ';') {
            i = fmt_skip_block(p, len, i);
        } else if (!two && !complete && (p[i] == '(' || p[i] == ';')) {
            return FMT_UNDECIDED;   /* may begin a comment */
        } else {
            return p[i] == '(' ? LW_FORMAT_TEXT : LW_FORMAT_NONE;
        }
    }
    return complete ? LW_FORMAT_NONE : FMT_UNDECIDED;
}

static int fmt_scan(const uint8_t *p, size_t len, bool complete)
{
    if (!len || p[0] != '\0')
        return fmt_text(p, len, complete);
    if (memcmp(p, "\0asm", len < 4 ? len : 4) != 0)
        return LW_FORMAT_NONE;
    if (len >= 4)
        return LW_FORMAT_BINARY;
    return complete ? LW_FORMAT_NONE : FMT_UNDECIDED;
}

lw_format lw_module_format(const uint8_t *data, size_t len)
{
    return (lw_format)fmt_scan(data, len, true);
}

/* Neither: the decoder's first word on the bytes says why they are not a
 * binary ("unexpected end", "magic header not detected"), in the wording
 * the spec suite expects of a decoder. */
static int fmt_refuse(const uint8_t *data, size_t len, lw_error *err)
{
    lw_error why;
    lw_module_free(lw_module_decode(data, len < 8 ? len : 8, 0, &why));
    return wasm_fail(err, LW_ERR_MALFORMED, "not a WebAssembly module (binary or text): %s",
                     why.message);
}

/* Stops the read of a file as soon as its first bytes show it is neither. */
static int fmt_judge(const uint8_t *data, size_t len, bool complete, lw_error *err)
{
    return fmt_scan(data, len, complete) == LW_FORMAT_NONE ? fmt_refuse(data, len, err) : 0;
}

int lw_module_read_file(const char *path, uint8_t **data, size_t *len,
                        lw_format *format, lw_error *err)
{
    if (wasm_read_file_limited(path, WASM_MAX_MODULE_BYTES, fmt_judge, data, len, err) < 0)
        return -1;
    *format = lw_module_format(*data, *len);
    if (*format != LW_FORMAT_NONE)
        return 0;
    fmt_refuse(*data, *len, err);   /* the first 4 KiB passed, but a comment never ended */
    free(*data);
    *data = NULL;
    return -1;
}

