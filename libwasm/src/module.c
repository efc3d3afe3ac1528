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
        defs[i] = (lw_typedef){LW_COMP_FUNC, true, LW_NO_SUPER, i, 1};
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
