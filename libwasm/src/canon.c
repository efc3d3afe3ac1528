/*
 * The store's canonical types: every type a module defines or a host
 * function declares gets a store-wide id, and two types have the same id
 * exactly when they are the same type, whichever module they came from.
 * Runtime type checks (imports, call_indirect) compare these ids; this is
 * the one place types are compared across modules.
 *
 * Types are canonicalized a recursion group at a time (iso-recursive
 * equivalence): a group is hash-consed over its structure, with a
 * reference to an earlier type replaced by that type's id and a reference
 * inside the group by its position in the group.
 */
#include "interp.h"

/* A reference inside the group [first, first + size) as its position
 * there, tagged so it never equals an id; anything else as itself. */
static uint64_t canon_key(lw_valtype t, uint32_t first, uint32_t size)
{
    lw_heaptype ht = lw_valtype_heap(t);
    if (!lw_valtype_is_ref(t) || !lw_heaptype_is_concrete(ht))
        return t;
    uint32_t id = lw_heaptype_index(ht);
    if (id - first >= size)
        return t;
    return (uint64_t)1 << 32 | (uint64_t)(id - first) << 8 | (t & 0xff);
}

static uint64_t canon_super_key(uint32_t super, uint32_t first, uint32_t size)
{
    return super != LW_NO_SUPER && super - first < size
        ? (uint64_t)1 << 32 | (super - first) : super;
}

static uint64_t canon_mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ull;
}

static uint64_t canon_hash(const wasm_canon *c, uint32_t first)
{
    uint32_t size = c->defs[first].rec_size;
    uint64_t h = 0xcbf29ce484222325ull ^ size;
    for (uint32_t id = first; id < first + size; id++) {
        const lw_typedef *d = &c->defs[id];
        const lw_functype *f = &c->funcs[id];
        h = canon_mix(h, (uint64_t)d->kind << 1 | d->final);
        h = canon_mix(h, canon_super_key(d->super, first, size));
        h = canon_mix(h, (uint64_t)f->nparams << 32 | f->nresults);
        for (uint32_t i = 0; i < f->nparams; i++)
            h = canon_mix(h, canon_key(f->params[i], first, size));
        for (uint32_t i = 0; i < f->nresults; i++)
            h = canon_mix(h, canon_key(f->results[i], first, size));
        h = canon_mix(h, d->nfields);
        for (uint32_t i = 0; i < d->nfields; i++)
            h = canon_mix(h, canon_key(d->fields[i].type, first, size) << 1 | d->fields[i].mut);
    }
    return h;
}

static bool canon_seq_equal(const lw_valtype *a, const lw_valtype *b, uint32_t n,
                            uint32_t fa, uint32_t fb, uint32_t size)
{
    for (uint32_t i = 0; i < n; i++)
        if (canon_key(a[i], fa, size) != canon_key(b[i], fb, size))
            return false;
    return true;
}

static bool canon_fields_equal(const lw_typedef *da, const lw_typedef *db,
                               uint32_t fa, uint32_t fb, uint32_t size)
{
    if (da->nfields != db->nfields)
        return false;
    for (uint32_t i = 0; i < da->nfields; i++)
        if (da->fields[i].mut != db->fields[i].mut ||
            canon_key(da->fields[i].type, fa, size) != canon_key(db->fields[i].type, fb, size))
            return false;
    return true;
}

/* Are the groups starting at ids a and b the same group? */
static bool canon_group_equal(const wasm_canon *c, uint32_t a, uint32_t b)
{
    uint32_t size = c->defs[a].rec_size;
    if (c->defs[b].rec_size != size)
        return false;
    for (uint32_t k = 0; k < size; k++) {
        const lw_typedef *da = &c->defs[a + k], *db = &c->defs[b + k];
        const lw_functype *fa = &c->funcs[a + k], *fb = &c->funcs[b + k];
        if (da->kind != db->kind || da->final != db->final ||
            canon_super_key(da->super, a, size) != canon_super_key(db->super, b, size) ||
            fa->nparams != fb->nparams || fa->nresults != fb->nresults ||
            !canon_seq_equal(fa->params, fb->params, fa->nparams, a, b, size) ||
            !canon_seq_equal(fa->results, fb->results, fa->nresults, a, b, size) ||
            !canon_fields_equal(da, db, a, b, size))
            return false;
    }
    return true;
}

/* The slot of the group equal to the one at `first`, or the empty slot
 * where it goes. */
static uint32_t *canon_slot(const wasm_canon *c, uint32_t first)
{
    uint32_t mask = c->nslots - 1;
    for (uint32_t i = (uint32_t)canon_hash(c, first) & mask;; i = (i + 1) & mask) {
        uint32_t *slot = &c->slots[i];
        if (*slot == 0 || canon_group_equal(c, *slot - 1, first))
            return slot;
    }
}

/* Keep the table at most half full. */
static int canon_grow_slots(wasm_canon *c)
{
    if (2 * (c->ngroups + 1) <= c->nslots)
        return 0;
    uint32_t *old = c->slots, nold = c->nslots;
    c->nslots = nold ? 2 * nold : 64;
    c->slots = calloc(c->nslots, sizeof *c->slots);
    if (!c->slots) {
        c->slots = old;
        c->nslots = nold;
        return -1;
    }
    for (uint32_t i = 0; i < nold; i++)
        if (old[i])
            *canon_slot(c, old[i] - 1) = old[i];
    free(old);
    return 0;
}

static int canon_reserve(wasm_canon *c, uint32_t n)
{
    size_t need = (size_t)c->n + n;
    return wasm_vec_reserve((void **)&c->defs, &c->cap_defs, need, sizeof *c->defs) < 0 ||
           wasm_vec_reserve((void **)&c->funcs, &c->cap_funcs, need, sizeof *c->funcs) < 0
        ? -1 : 0;
}

/* What the type being added maps a module's type index to: earlier
 * groups through ids, its own group to the ids it is about to take. */
typedef struct {
    const uint32_t *ids;      /* module index -> id, below start; NULL: none */
    uint32_t start;           /* the group's first module index */
    uint32_t first;           /* the id it would take */
} canon_map;

static uint32_t canon_index(const canon_map *map, uint32_t index)
{
    return map->ids && index < map->start ? map->ids[index]
                                          : map->first + (index - map->start);
}

static lw_valtype canon_valtype(const canon_map *map, lw_valtype t)
{
    lw_heaptype ht = lw_valtype_heap(t);
    if (!lw_valtype_is_ref(t) || !lw_heaptype_is_concrete(ht))
        return t;
    return LW_REF(lw_valtype_nullable(t),
                  LW_HEAP_TYPE(canon_index(map, lw_heaptype_index(ht))));
}

/* Append a copy of ft and def with their references mapped. */
static int canon_append(wasm_canon *c, const canon_map *map, const lw_functype *ft,
                        const lw_typedef *def, uint32_t size)
{
    uint32_t n = ft->nparams + ft->nresults;
    lw_valtype *types = malloc((n ? n : 1) * sizeof *types);
    lw_fieldtype *fields = def->nfields ? malloc(def->nfields * sizeof *fields) : NULL;
    if (!types || (def->nfields && !fields)) {
        free(types);
        free(fields);
        return -1;
    }
    for (uint32_t i = 0; i < ft->nparams; i++)
        types[i] = canon_valtype(map, ft->params[i]);
    for (uint32_t i = 0; i < ft->nresults; i++)
        types[ft->nparams + i] = canon_valtype(map, ft->results[i]);
    for (uint32_t i = 0; i < def->nfields; i++)
        fields[i] = (lw_fieldtype){canon_valtype(map, def->fields[i].type), def->fields[i].mut};
    c->funcs[c->n] = (lw_functype){ft->nparams, ft->nresults, types, types + ft->nparams};
    c->defs[c->n] = (lw_typedef){
        def->kind, def->final,
        def->super == LW_NO_SUPER ? LW_NO_SUPER : canon_index(map, def->super),
        map->first, size, def->nfields, fields,
    };
    c->n++;
    return 0;
}

/* Drop the types appended from `first` on. */
static void canon_truncate(wasm_canon *c, uint32_t first)
{
    while (c->n > first) {
        c->n--;
        free((void *)c->funcs[c->n].params);
        free((void *)c->defs[c->n].fields);
    }
}

/* Add the group of size types (ft[k], defs[k]) tentatively, then keep it
 * or fall back on the equal group already there.  Returns the group's
 * first id, or -1 when out of memory. */
static int64_t canon_group(wasm_canon *c, const canon_map *map, const lw_functype *ft,
                           const lw_typedef *defs, uint32_t size)
{
    uint32_t first = c->n;
    if (canon_grow_slots(c) < 0 || canon_reserve(c, size) < 0)
        return -1;
    for (uint32_t k = 0; k < size; k++)
        if (canon_append(c, map, &ft[k], &defs[k], size) < 0) {
            canon_truncate(c, first);
            return -1;
        }
    uint32_t *slot = canon_slot(c, first);
    if (*slot) {
        canon_truncate(c, first);
        return *slot - 1;
    }
    *slot = first + 1;
    c->ngroups++;
    return first;
}

int wasm_canon_group(wasm_canon *c, const lw_module *m, uint32_t start, uint32_t *ids)
{
    uint32_t size = m->typedefs[start].rec_size;
    canon_map map = {ids, start, c->n};
    int64_t first = canon_group(c, &map, &m->types[start], &m->typedefs[start], size);
    if (first < 0)
        return -1;
    for (uint32_t k = 0; k < size; k++)
        ids[start + k] = (uint32_t)first + k;
    return 0;
}

int wasm_canon_module(wasm_canon *c, const lw_module *m, uint32_t *ids)
{
    for (uint32_t start = 0; start < m->ntypes; start += m->typedefs[start].rec_size)
        if (wasm_canon_group(c, m, start, ids) < 0)
            return -1;
    return 0;
}

int64_t wasm_canon_func(wasm_canon *c, const lw_functype *ft)
{
    /* A host function's type stands alone; its references are ids already. */
    static const lw_typedef def = {LW_COMP_FUNC, true, LW_NO_SUPER, 0, 1, 0, NULL};
    canon_map map = {NULL, 0, c->n};
    return canon_group(c, &map, ft, &def, 1);
}

lw_valtype wasm_canon_valtype(const uint32_t *ids, lw_valtype t)
{
    canon_map map = {ids, UINT32_MAX, 0};
    return canon_valtype(&map, t);
}

void wasm_canon_free(wasm_canon *c)
{
    canon_truncate(c, 0);
    free(c->defs);
    free(c->funcs);
    free(c->slots);
}
