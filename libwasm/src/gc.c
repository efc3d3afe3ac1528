/* GC: the heap of a store, its objects, the instructions that make and
 * read them, and the collector.
 *
 * A reference of the any hierarchy is one slot: 0 for null, an odd value
 * for an i31 ((v << 1) | 1, no allocation), else the address of an
 * object's header.  Objects live in chunks of GC_CHUNK bytes, aligned to
 * their size, each cut into slots of one size class (size-segregated free
 * lists); an object larger than the biggest class has a chunk of its own.
 * Chunks are found by address in a hash set, so that any word can be
 * asked whether it is an object: the host's pointers, which externref
 * carries as they are, from the objects that extern.convert_any hands
 * out, and the collector's roots from other words.
 *
 * Host references in the any hierarchy are boxes (GC_HOST) made by
 * any.convert_extern; extern.convert_any unboxes them, so a host pointer
 * comes back as it went in.  extern.convert_any of a struct or array
 * gives the object's address, and of an i31 a box (GC_I31BOX) that
 * any.convert_extern opens again.
 *
 * Collection is mark-sweep, non-moving, at an allocation once the bytes
 * allocated since the last one pass the live bytes it left (at least
 * GC_MIN_TRIGGER).  Roots: the frames of the store's running calls, its
 * globals, tables, element segments, exceptions and the host's handles. */
#include "interp.h"

#define GC_CHUNK ((size_t)256 << 10)
#define GC_MIN_TRIGGER ((size_t)4 << 20)

enum { GC_FREE, GC_STRUCT, GC_ARRAY, GC_HOST, GC_I31BOX };

/* The header of every object; the payload follows, 16-byte aligned:
 * struct fields as slots (a v128 takes two), array elements packed by
 * their storage size, a box's one word. */
typedef struct wasm_gcobj {
    uint32_t type_id;         /* canonical type id (struct, array) */
    uint8_t kind;             /* GC_* */
    uint8_t mark;
    uint16_t esize;           /* array: bytes per element */
    uint32_t len;             /* array: elements */
    uint32_t pad;
    union {
        wasm_slot slots[1];
        struct wasm_gcobj *next_free;
        void *host;
        uint8_t bytes[1];
    } u;
} wasm_gcobj;

#define GC_HEADER offsetof(wasm_gcobj, u)

typedef struct wasm_gc_chunk {
    struct wasm_gc_chunk *next;
    uint32_t slot;            /* bytes per object; 0: one large object */
    uint32_t nslots;
    size_t bytes;             /* of the allocation */
    uint8_t pad[40];          /* objects start 64 bytes in */
} wasm_gc_chunk;

static const uint32_t gc_classes[] = {
    32, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512, 768, 1024,
    1536, 2048, 3072, 4096, 6144, 8192,
};
#define GC_NCLASSES (sizeof gc_classes / sizeof gc_classes[0])

struct wasm_gc_heap {
    wasm_gc_chunk *chunks;
    wasm_gcobj *free[GC_NCLASSES];
    uintptr_t *set;           /* chunk addresses, open addressing */
    size_t set_cap, set_n;
    size_t used;              /* bytes of live objects and garbage */
    size_t since;             /* allocated since the last collection */
    size_t trigger;
    size_t nobjects;
    uint64_t collections;
    unsigned nogc;            /* > 0: no collection now (instantiation) */
    bool stress;              /* collect at every allocation (tests) */
    wasm_ptrvec marks;        /* the mark stack */
    wasm_ptrvec handles;      /* lw_gc_handle's */
};

/* ---- chunks and the address set ----------------------------------------- */

static size_t gc_hash(uintptr_t a, size_t cap)
{
    return (size_t)((a / GC_CHUNK) * 0x9E3779B97F4A7C15ull) & (cap - 1);
}

static int gc_set_add(struct wasm_gc_heap *h, uintptr_t a);

static int gc_set_grow(struct wasm_gc_heap *h)
{
    size_t cap = h->set_cap ? 2 * h->set_cap : 64;
    uintptr_t *old = h->set;
    size_t old_cap = h->set_cap;
    h->set = calloc(cap, sizeof *h->set);
    if (!h->set) {
        h->set = old;
        return -1;
    }
    h->set_cap = cap;
    h->set_n = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] > 1)
            gc_set_add(h, old[i]);
    free(old);
    return 0;
}

/* Slots hold a chunk's address, 0 (never used) or 1 (removed). */
static int gc_set_add(struct wasm_gc_heap *h, uintptr_t a)
{
    if ((h->set_n + 1) * 2 > h->set_cap && gc_set_grow(h) < 0)
        return -1;
    size_t i = gc_hash(a, h->set_cap);
    while (h->set[i] > 1)
        i = (i + 1) & (h->set_cap - 1);
    h->set[i] = a;
    h->set_n++;
    return 0;
}

static bool gc_set_has(const struct wasm_gc_heap *h, uintptr_t a)
{
    if (!h->set_cap)
        return false;
    size_t i = gc_hash(a, h->set_cap);
    while (h->set[i]) {
        if (h->set[i] == a)
            return true;
        i = (i + 1) & (h->set_cap - 1);
    }
    return false;
}

static void gc_set_remove(struct wasm_gc_heap *h, uintptr_t a)
{
    size_t i = gc_hash(a, h->set_cap);
    while (h->set[i] != a)
        i = (i + 1) & (h->set_cap - 1);
    h->set[i] = 1;
}

/* The object at address p, or NULL when p is no live object's address. */
static wasm_gcobj *gc_find(const struct wasm_gc_heap *h, const void *p)
{
    uintptr_t a = (uintptr_t)p;
    if (!h || !a || (a & 15))
        return NULL;
    uintptr_t base = a & ~(uintptr_t)(GC_CHUNK - 1);
    if (!gc_set_has(h, base))
        return NULL;
    const wasm_gc_chunk *c = (const wasm_gc_chunk *)base;
    uintptr_t first = base + sizeof *c;
    if (a < first)
        return NULL;
    if (c->slot == 0) {
        if (a != first)
            return NULL;
    } else if ((a - first) % c->slot || (a - first) / c->slot >= c->nslots) {
        return NULL;
    }
    wasm_gcobj *o = (wasm_gcobj *)a;
    return o->kind == GC_FREE ? NULL : o;
}

static wasm_gc_chunk *gc_chunk_new(struct wasm_gc_heap *h, size_t bytes, uint32_t slot)
{
    bytes = (bytes + GC_CHUNK - 1) / GC_CHUNK * GC_CHUNK;
    wasm_gc_chunk *c = aligned_alloc(GC_CHUNK, bytes);
    if (!c)
        return NULL;
    if (gc_set_add(h, (uintptr_t)c) < 0) {
        free(c);
        return NULL;
    }
    memset(c, 0, sizeof *c);
    c->slot = slot;
    c->bytes = bytes;
    c->nslots = slot ? (uint32_t)((bytes - sizeof *c) / slot) : 1;
    c->next = h->chunks;
    h->chunks = c;
    return c;
}

static void gc_chunk_slots(struct wasm_gc_heap *h, wasm_gc_chunk *c, unsigned cls)
{
    uint8_t *first = (uint8_t *)(c + 1);
    for (uint32_t i = c->nslots; i-- > 0;) {
        wasm_gcobj *o = (wasm_gcobj *)(first + (size_t)i * c->slot);
        o->kind = GC_FREE;
        o->u.next_free = h->free[cls];
        h->free[cls] = o;
    }
}

/* ---- the heap ------------------------------------------------------------- */

static struct wasm_gc_heap *gc_heap(lw_store *s)
{
    if (!s->heap) {
        s->heap = calloc(1, sizeof *s->heap);
        if (s->heap)
            s->heap->trigger = GC_MIN_TRIGGER;
    }
    return s->heap;
}

void wasm_gc_free(lw_store *s)
{
    struct wasm_gc_heap *h = s->heap;
    if (!h)
        return;
    for (wasm_gc_chunk *c = h->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    for (size_t i = 0; i < h->handles.n; i++)
        free(h->handles.items[i]);
    free(h->handles.items);
    free(h->marks.items);
    free(h->set);
    free(h);
    s->heap = NULL;
}

void wasm_gc_pause(lw_store *s, bool pause)
{
    struct wasm_gc_heap *h = gc_heap(s);
    if (h)
        h->nogc += pause ? 1 : (unsigned)-1;
}

static void gc_collect(lw_store *s);

void wasm_gc_stress(lw_store *s, bool on)
{
    struct wasm_gc_heap *h = gc_heap(s);
    if (h) {
        h->stress = on;
        h->trigger = on ? 0 : GC_MIN_TRIGGER;
    }
}

/* A zeroed object of `payload` bytes; NULL when the heap limit or memory
 * runs out (after a collection). */
static wasm_gcobj *gc_alloc(lw_store *s, uint8_t kind, uint32_t type_id, size_t payload)
{
    struct wasm_gc_heap *h = gc_heap(s);
    if (!h || payload > ((size_t)1 << 40))
        return NULL;
    size_t need = GC_HEADER + (payload ? payload : 8);
    unsigned cls = 0;
    while (cls < GC_NCLASSES && gc_classes[cls] < need)
        cls++;
    size_t bytes = cls < GC_NCLASSES ? gc_classes[cls]
                   : (need + sizeof(wasm_gc_chunk) + GC_CHUNK - 1) / GC_CHUNK * GC_CHUNK;
    uint64_t limit = s->limits.max_heap_bytes;
    if (h->since >= h->trigger || (limit && h->used + bytes > limit)) {
        if (!h->nogc)
            gc_collect(s);
        if (limit && h->used + bytes > limit)
            return NULL;
    }
    wasm_gcobj *o;
    if (cls < GC_NCLASSES) {
        if (!h->free[cls]) {
            wasm_gc_chunk *c = gc_chunk_new(h, GC_CHUNK, gc_classes[cls]);
            if (!c)
                return NULL;
            gc_chunk_slots(h, c, cls);
        }
        o = h->free[cls];
        h->free[cls] = o->u.next_free;
        memset(o, 0, bytes);
    } else {
        wasm_gc_chunk *c = gc_chunk_new(h, bytes, 0);
        if (!c)
            return NULL;
        o = (wasm_gcobj *)(c + 1);
        memset(o, 0, need);
    }
    o->kind = kind;
    o->type_id = type_id;
    h->used += bytes;
    h->since += bytes;
    h->nobjects++;
    return o;
}

/* ---- the collector -------------------------------------------------------- */

static void gc_mark_word(struct wasm_gc_heap *h, const void *p)
{
    wasm_gcobj *o = gc_find(h, p);
    if (!o || o->mark)
        return;
    o->mark = 1;
    if (wasm_vec_reserve((void **)&h->marks.items, &h->marks.cap, h->marks.n + 1,
                         sizeof(void *)) == 0)
        h->marks.items[h->marks.n++] = o;
    else
        o->mark = 2;   /* no room: traced by a rescan */
}

static bool gc_is_ref(lw_valtype t)
{
    return lw_valtype_is_ref(t);
}

/* Mark what o refers to. */
static void gc_trace(lw_store *s, const wasm_gcobj *o)
{
    struct wasm_gc_heap *h = s->heap;
    if (o->kind == GC_I31BOX || o->kind == GC_HOST)
        return;
    const lw_typedef *d = &s->types.defs[o->type_id];
    if (o->kind == GC_STRUCT) {
        uint32_t cell = 0;
        for (uint32_t i = 0; i < d->nfields; i++) {
            if (gc_is_ref(d->fields[i].type))
                gc_mark_word(h, o->u.slots[cell].ref);
            cell += d->fields[i].type == LW_V128 ? 2 : 1;
        }
        return;
    }
    if (gc_is_ref(d->fields[0].type))
        for (uint32_t i = 0; i < o->len; i++)
            gc_mark_word(h, o->u.slots[i].ref);
}

static void gc_drain(lw_store *s)
{
    struct wasm_gc_heap *h = s->heap;
    for (;;) {
        while (h->marks.n)
            gc_trace(s, h->marks.items[--h->marks.n]);
        /* Objects the mark stack had no room for. */
        bool again = false;
        for (wasm_gc_chunk *c = h->chunks; c; c = c->next) {
            uint8_t *first = (uint8_t *)(c + 1);
            for (uint32_t i = 0; i < c->nslots; i++) {
                wasm_gcobj *o = (wasm_gcobj *)(first + (size_t)i * c->slot);
                if (o->kind != GC_FREE && o->mark == 2) {
                    o->mark = 1;
                    gc_trace(s, o);
                    again = true;
                }
            }
        }
        if (!again && !h->marks.n)
            return;
    }
}

static void gc_mark_slots(struct wasm_gc_heap *h, const wasm_slot *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        gc_mark_word(h, p[i].ref);
}

/* The site of f's instruction that holds ip (wasm_roots), or NULL when
 * no temporary of f holds a reference there. */
static const wasm_rootsite *gc_site(const lw_func *f, const wasm_icell *ip)
{
    const wasm_roots *r = f->roots;
    if (!ip || ip < f->code || !r->nsites)
        return NULL;
    size_t pos = (size_t)(ip - f->code);
    uint32_t lo = 0, hi = r->nsites;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (r->sites[mid].pos <= pos)
            lo = mid;
        else
            hi = mid;
    }
    const wasm_rootsite *site = &r->sites[lo];
    return site->pos <= pos && pos < site->end ? site : NULL;
}

/* The references of a frame, as the compiler's map gives them for the
 * instruction it is at. */
static void gc_mark_frame(struct wasm_gc_heap *h, const wasm_frame_iter *it)
{
    const wasm_roots *r = it->func->roots;
    if (!r || !it->fp)
        return;
    const wasm_rootsite *site = gc_site(it->func, it->ip);
    uint32_t n = 0;
    if (site) {
        /* The arguments of a call, while no wasm callee has them yet. */
        bool innermost = it->rec + 1 == it->top;
        n = innermost ? site->n : site->n - site->nargs;
    }
    if (!site || !site->tail)
        for (uint32_t i = 0; i < r->nlocals; i++)
            gc_mark_word(h, it->fp[r->slots[i]].ref);
    for (uint32_t i = 0; i < n; i++)
        gc_mark_word(h, it->fp[r->slots[site->first + i]].ref);
}

/* Every root: frames, globals, tables, element segments, exceptions,
 * handles. */
static void gc_mark_roots(lw_store *s)
{
    struct wasm_gc_heap *h = s->heap;
    wasm_frame_iter it;
    wasm_frames_begin(&it, s);
    while (wasm_frames_next(&it))
        gc_mark_frame(h, &it);
    for (size_t i = 0; i < s->objects.n; i++) {
        uintptr_t p = (uintptr_t)s->objects.items[i];
        void *obj = (void *)(p & ~(uintptr_t)7);
        switch (p & 7) {
        case LW_EXTERN_TABLE: {
            const lw_table *t = obj;
            for (uint64_t k = 0; k < t->size; k++)
                gc_mark_word(h, t->elems[k]);
            break;
        }
        case LW_EXTERN_GLOBAL:
            gc_mark_word(h, ((const lw_global *)obj)->val[0].ref);
            break;
        case WASM_OBJ_EXN: {
            const struct lw_exn *e = obj;
            gc_mark_slots(h, e->vals, e->ncells);
            break;
        }
        default:
            break;
        }
    }
    for (size_t i = 0; i < s->instances.n; i++) {
        const lw_instance *inst = s->instances.items[i];
        for (uint32_t k = 0; inst->elems && k < inst->nelems; k++)
            for (uint32_t j = 0; inst->elems[k] && j < inst->elem_len[k]; j++)
                gc_mark_word(h, inst->elems[k][j]);
    }
    for (size_t i = 0; i < h->handles.n; i++)
        gc_mark_word(h, *(void **)h->handles.items[i]);
}

static void gc_sweep(lw_store *s)
{
    struct wasm_gc_heap *h = s->heap;
    memset(h->free, 0, sizeof h->free);
    size_t used = 0, n = 0;
    for (wasm_gc_chunk **pc = &h->chunks; *pc;) {
        wasm_gc_chunk *c = *pc;
        uint8_t *first = (uint8_t *)(c + 1);
        if (c->slot == 0) {
            wasm_gcobj *o = (wasm_gcobj *)first;
            if (!o->mark) {
                *pc = c->next;
                gc_set_remove(h, (uintptr_t)c);
                free(c);
                continue;
            }
            o->mark = 0;
            used += c->bytes;
            n++;
            pc = &c->next;
            continue;
        }
        unsigned cls = 0;
        while (gc_classes[cls] != c->slot)
            cls++;
        for (uint32_t i = c->nslots; i-- > 0;) {
            wasm_gcobj *o = (wasm_gcobj *)(first + (size_t)i * c->slot);
            if (o->kind != GC_FREE && o->mark) {
                o->mark = 0;
                used += c->slot;
                n++;
                continue;
            }
            o->kind = GC_FREE;
            o->u.next_free = h->free[cls];
            h->free[cls] = o;
        }
        pc = &c->next;
    }
    h->used = used;
    h->nobjects = n;
}

static void gc_collect(lw_store *s)
{
    struct wasm_gc_heap *h = s->heap;
    gc_mark_roots(s);
    gc_drain(s);
    gc_sweep(s);
    h->since = 0;
    h->trigger = h->stress ? 0 : h->used > GC_MIN_TRIGGER ? h->used : GC_MIN_TRIGGER;
    h->collections++;
}

void wasm_gc_collect(lw_store *s)
{
    if (s->heap && !s->heap->nogc)
        gc_collect(s);
}

void wasm_gc_stats(const lw_store *s, wasm_gc_stat *out)
{
    memset(out, 0, sizeof *out);
    if (!s->heap)
        return;
    out->objects = s->heap->nobjects;
    out->bytes = s->heap->used;
    out->collections = s->heap->collections;
}

/* ---- references --------------------------------------------------------- */

static inline bool gc_is_i31(const void *r)
{
    return (uintptr_t)r & 1;
}

static inline void *gc_i31(uint32_t v)
{
    return (void *)(uintptr_t)(((uint64_t)(v & 0x7fffffffu) << 1) | 1);
}

static inline uint32_t gc_i31_bits(const void *r)
{
    return (uint32_t)((uintptr_t)r >> 1) & 0x7fffffffu;
}

/* any.convert_extern: a host pointer gets a box; an object handed out by
 * extern.convert_any comes back as it was. */
static const char *gc_internalize(lw_store *s, void *x, void **out)
{
    if (!x) {
        *out = NULL;
        return NULL;
    }
    wasm_gcobj *o = gc_find(s->heap, x);
    if (o && o->kind == GC_I31BOX) {
        *out = o->u.host;
        return NULL;
    }
    if (o && o->kind != GC_HOST) {
        *out = o;
        return NULL;
    }
    o = gc_alloc(s, GC_HOST, 0, sizeof(void *));
    if (!o)
        return "out of memory";
    o->u.host = x;
    *out = o;
    return NULL;
}

static const char *gc_externalize(lw_store *s, void *x, void **out)
{
    if (!x) {
        *out = NULL;
        return NULL;
    }
    if (gc_is_i31(x)) {
        wasm_gcobj *o = gc_alloc(s, GC_I31BOX, 0, sizeof(void *));
        if (!o)
            return "out of memory";
        o->u.host = x;
        *out = o;
        return NULL;
    }
    wasm_gcobj *o = x;
    *out = o->kind == GC_HOST ? o->u.host : o;
    return NULL;
}

/* Is canonical type `have` the type `want` or one of its subtypes? */
static bool gc_subtype(const lw_store *s, uint32_t have, uint32_t want)
{
    for (uint32_t t = have; t != LW_NO_SUPER && t < s->types.n; t = s->types.defs[t].super)
        if (t == want)
            return true;
    return false;
}

/* Does non-null reference x of the hierarchy with top `top` have heap type ht? */
static bool gc_heap_test(const lw_store *s, const void *x, lw_heaptype ht, lw_heaptype top)
{
    if (top == LW_HEAP_FUNC) {
        if (ht == LW_HEAP_FUNC)
            return true;
        return lw_heaptype_is_concrete(ht) &&
               gc_subtype(s, ((const lw_func *)x)->type_id, lw_heaptype_index(ht));
    }
    if (top != LW_HEAP_ANY)
        return ht == top;
    if (ht == LW_HEAP_ANY)
        return true;
    if (gc_is_i31(x))
        return ht == LW_HEAP_EQ || ht == LW_HEAP_I31;
    const wasm_gcobj *o = x;
    if (o->kind == GC_HOST)
        return false;
    if (ht == LW_HEAP_EQ)
        return true;
    if (ht == LW_HEAP_STRUCT || ht == LW_HEAP_ARRAY)
        return (ht == LW_HEAP_STRUCT) == (o->kind == GC_STRUCT);
    return lw_heaptype_is_concrete(ht) && gc_subtype(s, o->type_id, lw_heaptype_index(ht));
}

lw_heaptype wasm_gc_heaptype(const lw_store *s, const void *x)
{
    if (gc_is_i31(x))
        return LW_HEAP_I31;
    const wasm_gcobj *o = gc_find(s->heap, x);
    if (!o || o->kind == GC_I31BOX)
        return LW_HEAP_EXTERN;
    return o->kind == GC_HOST ? LW_HEAP_ANY : LW_HEAP_TYPE(o->type_id);
}

bool wasm_gc_test(const lw_store *s, const void *x, lw_valtype t)
{
    if (!x)
        return lw_valtype_nullable(t);
    wasm_typectx types = wasm_canon_ctx(&s->types);
    lw_heaptype ht = lw_valtype_heap(t);
    return gc_heap_test(s, x, ht, wasm_heap_top(&types, ht));
}

/* ---- the instructions --------------------------------------------------- */

/* Bytes an array element of storage type t takes. */
static uint32_t gc_esize(lw_valtype t)
{
    switch (t) {
    case LW_I8: return 1;
    case LW_I16: return 2;
    case LW_I32: case LW_F32: return 4;
    case LW_V128: return 16;
    default: return 8;
    }
}

/* Store a value (in slots) as a field of storage type t at p. */
static void gc_store(uint8_t *p, lw_valtype t, const wasm_slot *v)
{
    switch (t) {
    case LW_I8: *p = (uint8_t)v->u32; break;
    case LW_I16: { uint16_t x = (uint16_t)v->u32; memcpy(p, &x, 2); break; }
    case LW_I32: case LW_F32: memcpy(p, &v->u32, 4); break;
    case LW_V128: memcpy(p, v, 16); break;
    default: memcpy(p, &v->u64, 8); break;
    }
}

/* Load the field at p into slots; packed ones extended as signed says. */
static void gc_load(const uint8_t *p, lw_valtype t, bool sign, wasm_slot *out)
{
    switch (t) {
    case LW_I8:
        out->u64 = sign ? (uint32_t)(int32_t)(int8_t)*p : *p;
        break;
    case LW_I16: {
        uint16_t x;
        memcpy(&x, p, 2);
        out->u64 = sign ? (uint32_t)(int32_t)(int16_t)x : x;
        break;
    }
    case LW_I32: case LW_F32: {
        uint32_t x;
        memcpy(&x, p, 4);
        out->u64 = x;
        break;
    }
    case LW_V128: memcpy(out, p, 16); break;
    default: memcpy(&out->u64, p, 8); break;
    }
}

static uint32_t gc_struct_cells(const lw_typedef *d)
{
    uint32_t cells = 0;
    for (uint32_t i = 0; i < d->nfields; i++)
        cells += d->fields[i].type == LW_V128 ? 2 : 1;
    return cells;
}

/* A field packed into its slot: i8 and i16 keep their low bits. */
static void gc_field_set(wasm_slot *slot, lw_valtype t, const wasm_slot *v)
{
    if (t == LW_I8)
        slot->u64 = v->u32 & 0xff;
    else if (t == LW_I16)
        slot->u64 = v->u32 & 0xffff;
    else if (t == LW_V128)
        memcpy(slot, v, 16);
    else
        *slot = *v;
}

static const char *gc_struct_new(lw_store *s, const wasm_gc_rec *r, const wasm_slot *a,
                                 wasm_slot *d)
{
    const lw_typedef *def = &s->types.defs[r->type_id];
    uint32_t cells = gc_struct_cells(def);
    wasm_gcobj *o = gc_alloc(s, GC_STRUCT, r->type_id, (size_t)cells * sizeof(wasm_slot));
    if (!o)
        return "out of memory";
    if (r->op == OP_STRUCT_NEW) {
        uint32_t c = 0;
        for (uint32_t i = 0; i < def->nfields; i++) {
            gc_field_set(&o->u.slots[c], def->fields[i].type, a + c);
            c += def->fields[i].type == LW_V128 ? 2 : 1;
        }
    }
    d->ref = o;
    return NULL;
}

static wasm_gcobj *gc_array_alloc(lw_store *s, uint32_t type_id, uint64_t n)
{
    lw_valtype t = s->types.defs[type_id].fields[0].type;
    uint32_t es = gc_esize(t);
    if (n > UINT32_MAX)
        return NULL;
    wasm_gcobj *o = gc_alloc(s, GC_ARRAY, type_id, (size_t)n * es);
    if (o) {
        o->len = (uint32_t)n;
        o->esize = (uint16_t)es;
    }
    return o;
}

/* Whether [i, i + n) leaves an array (or segment) of len elements. */
static bool gc_oob(uint64_t i, uint64_t n, uint64_t len)
{
    return i > len || n > len - i;
}

static const char *gc_array_new(lw_store *s, const wasm_gc_rec *r, const wasm_slot *a,
                                wasm_slot *d)
{
    lw_valtype t = s->types.defs[r->type_id].fields[0].type;
    uint32_t es = gc_esize(t);
    uint64_t n;
    const lw_instance *inst = r->inst;
    switch (r->op) {
    case OP_ARRAY_NEW: n = a[t == LW_V128 ? 2 : 1].u32; break;
    case OP_ARRAY_NEW_DEFAULT: n = a[0].u32; break;
    case OP_ARRAY_NEW_FIXED: n = r->field; break;
    case OP_ARRAY_NEW_DATA:
        n = a[1].u32;
        if (gc_oob(a[0].u32, n * es, inst->data_len[r->seg]))
            return "out of bounds memory access";
        break;
    default: /* OP_ARRAY_NEW_ELEM */
        n = a[1].u32;
        if (gc_oob(a[0].u32, n, inst->elem_len[r->seg]))
            return "out of bounds table access";
        break;
    }
    wasm_gcobj *o = gc_array_alloc(s, r->type_id, n);
    if (!o)
        return "out of memory";
    switch (r->op) {
    case OP_ARRAY_NEW:
        for (uint64_t i = 0; i < n; i++)
            gc_store(o->u.bytes + i * es, t, a);
        break;
    case OP_ARRAY_NEW_FIXED: {
        uint32_t cells = t == LW_V128 ? 2 : 1;
        for (uint64_t i = 0; i < n; i++)
            gc_store(o->u.bytes + i * es, t, a + i * cells);
        break;
    }
    case OP_ARRAY_NEW_DATA:
        if (n)
            memcpy(o->u.bytes, inst->module->datas[r->seg].bytes + a[0].u32, n * es);
        break;
    case OP_ARRAY_NEW_ELEM:
        if (n)
            memcpy(o->u.bytes, inst->elems[r->seg] + a[0].u32, n * sizeof(void *));
        break;
    default:
        break;
    }
    d->ref = o;
    return NULL;
}

/* The array operations that name an element range: fill, copy, init. */
static const char *gc_array_bulk(lw_store *s, const wasm_gc_rec *r, const wasm_slot *a)
{
    wasm_gcobj *o = a[0].ref;
    if (!o)
        return "null array reference";
    lw_valtype t = s->types.defs[o->type_id].fields[0].type;
    uint32_t es = o->esize;
    uint64_t i = a[1].u32;
    const lw_instance *inst = r->inst;
    switch (r->op) {
    case OP_ARRAY_FILL: {
        uint32_t vc = t == LW_V128 ? 2 : 1;
        uint64_t n = a[2 + vc].u32;
        if (gc_oob(i, n, o->len))
            return "out of bounds array access";
        for (uint64_t k = 0; k < n; k++)
            gc_store(o->u.bytes + (i + k) * es, t, a + 2);
        return NULL;
    }
    case OP_ARRAY_COPY: {
        const wasm_gcobj *src = a[2].ref;
        if (!src)
            return "null array reference";
        uint64_t si = a[3].u32, n = a[4].u32;
        if (gc_oob(i, n, o->len) || gc_oob(si, n, src->len))
            return "out of bounds array access";
        if (n)
            memmove(o->u.bytes + i * es, src->u.bytes + si * es, n * es);
        return NULL;
    }
    case OP_ARRAY_INIT_DATA: {
        uint64_t si = a[2].u32, n = a[3].u32;
        if (gc_oob(i, n, o->len))
            return "out of bounds array access";
        if (gc_oob(si, n * es, inst->data_len[r->seg]))
            return "out of bounds memory access";
        if (n)
            memcpy(o->u.bytes + i * es, inst->module->datas[r->seg].bytes + si, n * es);
        return NULL;
    }
    default: { /* OP_ARRAY_INIT_ELEM */
        uint64_t si = a[2].u32, n = a[3].u32;
        if (gc_oob(i, n, o->len))
            return "out of bounds array access";
        if (gc_oob(si, n, inst->elem_len[r->seg]))
            return "out of bounds table access";
        if (n)
            memcpy(o->u.bytes + i * es, inst->elems[r->seg] + si, n * sizeof(void *));
        return NULL;
    }
    }
}

const char *wasm_gc_run(lw_store *s, const wasm_gc_rec *r, wasm_slot *a, wasm_slot *d)
{
    switch (r->op) {
    case OP_STRUCT_NEW: case OP_STRUCT_NEW_DEFAULT:
        return gc_struct_new(s, r, a, d);
    case OP_STRUCT_GET: case OP_STRUCT_GET_S: case OP_STRUCT_GET_U: {
        const wasm_gcobj *o = a[0].ref;
        if (!o)
            return "null structure reference";
        const wasm_slot *f = &o->u.slots[r->cell];
        if (r->ftype == LW_I8)
            d->u64 = r->op == OP_STRUCT_GET_S ? (uint32_t)(int32_t)(int8_t)f->u32 : f->u32;
        else if (r->ftype == LW_I16)
            d->u64 = r->op == OP_STRUCT_GET_S ? (uint32_t)(int32_t)(int16_t)f->u32 : f->u32;
        else if (r->ftype == LW_V128)
            memcpy(d, f, 16);
        else
            *d = *f;
        return NULL;
    }
    case OP_STRUCT_SET: {
        wasm_gcobj *o = a[0].ref;
        if (!o)
            return "null structure reference";
        gc_field_set(&o->u.slots[r->cell], r->ftype, a + 1);
        return NULL;
    }
    case OP_ARRAY_NEW: case OP_ARRAY_NEW_DEFAULT: case OP_ARRAY_NEW_FIXED:
    case OP_ARRAY_NEW_DATA: case OP_ARRAY_NEW_ELEM:
        return gc_array_new(s, r, a, d);
    case OP_ARRAY_GET: case OP_ARRAY_GET_S: case OP_ARRAY_GET_U: {
        const wasm_gcobj *o = a[0].ref;
        if (!o)
            return "null array reference";
        if (a[1].u32 >= o->len)
            return "out of bounds array access";
        gc_load(o->u.bytes + (size_t)a[1].u32 * o->esize, r->ftype,
                r->op == OP_ARRAY_GET_S, d);
        return NULL;
    }
    case OP_ARRAY_SET: {
        wasm_gcobj *o = a[0].ref;
        if (!o)
            return "null array reference";
        if (a[1].u32 >= o->len)
            return "out of bounds array access";
        gc_store(o->u.bytes + (size_t)a[1].u32 * o->esize, r->ftype, a + 2);
        return NULL;
    }
    case OP_ARRAY_LEN: {
        const wasm_gcobj *o = a[0].ref;
        if (!o)
            return "null array reference";
        d->u64 = o->len;
        return NULL;
    }
    case OP_ARRAY_FILL: case OP_ARRAY_COPY: case OP_ARRAY_INIT_DATA:
    case OP_ARRAY_INIT_ELEM:
        return gc_array_bulk(s, r, a);
    case OP_REF_I31:
        d->ref = gc_i31(a[0].u32);
        return NULL;
    case OP_I31_GET_S: case OP_I31_GET_U: {
        if (!a[0].ref)
            return "null i31 reference";
        uint32_t v = gc_i31_bits(a[0].ref);
        d->u64 = r->op == OP_I31_GET_S ? (uint32_t)((int32_t)(v << 1) >> 1) : v;
        return NULL;
    }
    case OP_REF_TEST: case OP_REF_TEST_NULL:
        d->u64 = wasm_gc_test(s, a[0].ref, r->cast);
        return NULL;
    case OP_REF_CAST: case OP_REF_CAST_NULL:
        if (!wasm_gc_test(s, a[0].ref, r->cast))
            return "cast failure";
        d->ref = a[0].ref;
        return NULL;
    case OP_ANY_CONVERT_EXTERN:
        return gc_internalize(s, a[0].ref, &d->ref);
    case OP_EXTERN_CONVERT_ANY:
        return gc_externalize(s, a[0].ref, &d->ref);
    default:
        return "unsupported instruction";
    }
}

/* ---- constant expressions ---------------------------------------------- */

/* The rec of a GC instruction of inst's module (compile.c's, for constant
 * expressions too). */
void wasm_gc_rec_init(wasm_gc_rec *r, const lw_instance *inst, const wasm_instr *in)
{
    const lw_module *m = inst->module;
    const wasm_opinfo *oi = &wasm_opinfo_table[in->op];
    memset(r, 0, sizeof *r);
    r->op = in->op;
    r->inst = inst;
    uint32_t x = UINT32_MAX;
    switch (oi->imm) {
    case IMM_TYPE: x = in->imm.index; break;
    case IMM_TYPE_FIELD: case IMM_TYPE_COUNT: case IMM_TYPE_DATA: case IMM_TYPE_ELEM:
    case IMM_TYPE_TYPE:
        x = in->imm.pair.a;
        r->field = in->imm.pair.b;
        r->seg = in->imm.pair.b;
        break;
    case IMM_REF_HT: case IMM_REF_NULL_HT:
        r->cast = wasm_canon_valtype(inst->type_ids, in->imm.reftype);
        break;
    default:
        break;
    }
    if (x == UINT32_MAX)
        return;
    r->type_id = inst->type_ids[x];
    const lw_typedef *d = &m->typedefs[x];
    if (d->kind == LW_COMP_ARRAY) {
        r->ftype = d->fields[0].type;
    } else if (oi->imm == IMM_TYPE_FIELD) {
        for (uint32_t i = 0; i < in->imm.pair.b; i++)
            r->cell += d->fields[i].type == LW_V128 ? 2 : 1;
        r->ftype = d->fields[in->imm.pair.b].type;
    }
}

/* Cells of the values an instruction pops, for a stack of slots. */
static uint32_t gc_operand_cells(const lw_module *m, const wasm_instr *in)
{
    switch (in->op) {
    case OP_STRUCT_NEW: {
        const lw_typedef *d = &m->typedefs[in->imm.index];
        return gc_struct_cells(d);
    }
    case OP_ARRAY_NEW:
        return m->typedefs[in->imm.index].fields[0].type == LW_V128 ? 3 : 2;
    case OP_ARRAY_NEW_FIXED:
        return in->imm.pair.b *
               (m->typedefs[in->imm.pair.a].fields[0].type == LW_V128 ? 2 : 1);
    case OP_ARRAY_NEW_DEFAULT: case OP_REF_I31: case OP_ANY_CONVERT_EXTERN:
    case OP_EXTERN_CONVERT_ANY:
        return 1;
    default:
        return 0;
    }
}

static uint32_t gc_result_cells(lw_valtype t)
{
    return t == LW_V128 ? 2 : 1;
}

int wasm_gc_const_eval(lw_store *s, const lw_instance *inst, const lw_expr *e,
                       wasm_slot *out, lw_error *err)
{
    const lw_module *m = inst->module;
    size_t cap = (size_t)e->len * 2 + 4;
    wasm_slot *stack = calloc(cap, sizeof *stack);
    if (!stack)
        return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    size_t n = 0;
    const uint8_t *p = e->code, *end = e->code + e->len;
    wasm_instr in;
    int rc = -1;
    while (p < end) {
        if (wasm_instr_decode(&p, end, e->code, e->offset, m->features, &in, err) < 0)
            break;
        const char *msg = NULL;
        switch (in.op) {
        case OP_END:
            memcpy(out, stack, 2 * sizeof *out);
            rc = 0;
            p = end;
            continue;
        case OP_I32_CONST: stack[n++].u64 = (uint32_t)in.imm.i32; continue;
        case OP_I64_CONST: stack[n++].i64 = in.imm.i64; continue;
        case OP_F32_CONST: stack[n++].u64 = in.imm.f32; continue;
        case OP_F64_CONST: stack[n++].u64 = in.imm.f64; continue;
        case OP_V128_CONST: memcpy(stack + n, in.imm.bytes, 16); n += 2; continue;
        case OP_REF_NULL: stack[n++].ref = NULL; continue;
        case OP_REF_FUNC: stack[n++].ref = inst->funcs[in.imm.index]; continue;
        case OP_GLOBAL_GET: {
            const lw_global *g = inst->globals[in.imm.index];
            uint32_t c = gc_result_cells(g->type.type);
            memcpy(stack + n, g->val, c * sizeof *stack);
            n += c;
            continue;
        }
        case OP_I32_ADD: case OP_I32_SUB: case OP_I32_MUL: {
            uint32_t x = stack[n - 2].u32, y = stack[n - 1].u32;
            n--;
            stack[n - 1].u64 = in.op == OP_I32_ADD ? x + y : in.op == OP_I32_SUB ? x - y
                                                                                 : x * y;
            continue;
        }
        case OP_I64_ADD: case OP_I64_SUB: case OP_I64_MUL: {
            uint64_t x = stack[n - 2].u64, y = stack[n - 1].u64;
            n--;
            stack[n - 1].u64 = in.op == OP_I64_ADD ? x + y : in.op == OP_I64_SUB ? x - y
                                                                                 : x * y;
            continue;
        }
        default:
            break;
        }
        if (wasm_opinfo_table[in.op].prefix != 0xFB) {
            wasm_fail(err, LW_ERR_INVALID, "constant expression required");
            break;
        }
        wasm_gc_rec r;
        wasm_gc_rec_init(&r, inst, &in);
        n -= gc_operand_cells(m, &in);
        msg = wasm_gc_run(s, &r, stack + n, stack + n);
        if (msg) {
            wasm_fail(err, LW_ERR_TRAP, "%s", msg);
            break;
        }
        n++;
    }
    free(stack);
    return rc;
}

/* ---- the public API ----------------------------------------------------- */

lw_heaptype lw_ref_top(const lw_store *s, lw_valtype t)
{
    wasm_typectx types = wasm_canon_ctx(&s->types);
    return wasm_heap_top(&types, lw_valtype_heap(t));
}

lw_refkind lw_ref_kind(const lw_store *s, const lw_val *v)
{
    if (!lw_valtype_is_ref(v->type))
        return LW_REFKIND_NONE;
    if (!v->of.ref)
        return LW_REFKIND_NULL;
    wasm_typectx types = wasm_canon_ctx(&s->types);
    lw_heaptype top = wasm_heap_top(&types, lw_valtype_heap(v->type));
    if (top == LW_HEAP_FUNC)
        return LW_REFKIND_FUNC;
    if (top == LW_HEAP_EXN)
        return LW_REFKIND_EXN;
    if (top == LW_HEAP_EXTERN) {
        const wasm_gcobj *o = gc_find(s->heap, v->of.ref);
        return o ? LW_REFKIND_EXTERNAL : LW_REFKIND_HOST;
    }
    if (gc_is_i31(v->of.ref))
        return LW_REFKIND_I31;
    const wasm_gcobj *o = v->of.ref;
    return o->kind == GC_STRUCT ? LW_REFKIND_STRUCT
         : o->kind == GC_ARRAY ? LW_REFKIND_ARRAY : LW_REFKIND_HOST;
}

void *lw_ref_host(const lw_store *s, const lw_val *v)
{
    switch (lw_ref_kind(s, v)) {
    case LW_REFKIND_HOST:
        if (lw_ref_top(s, v->type) == LW_HEAP_EXTERN)
            return v->of.ref;
        return ((const wasm_gcobj *)v->of.ref)->u.host;
    default:
        return NULL;
    }
}

int32_t lw_ref_i31(const lw_val *v, bool sign)
{
    uint32_t b = gc_i31_bits(v->of.ref);
    return sign ? (int32_t)(b << 1) >> 1 : (int32_t)b;
}

int lw_ref_internalize(lw_store *s, void *host, lw_val *out, lw_error *err)
{
    out->type = LW_REF(1, LW_HEAP_ANY);
    if (gc_internalize(s, host, &out->of.ref))
        return wasm_fail(err, LW_ERR_TRAP, "out of memory");
    return 0;
}

uint32_t lw_ref_len(const lw_store *s, const lw_val *v)
{
    lw_refkind k = lw_ref_kind(s, v);
    const wasm_gcobj *o = v->of.ref;
    if (k == LW_REFKIND_ARRAY)
        return o->len;
    if (k == LW_REFKIND_STRUCT)
        return s->types.defs[o->type_id].nfields;
    return 0;
}

int lw_ref_get(const lw_store *s, const lw_val *v, uint32_t i, lw_val *out)
{
    lw_refkind k = lw_ref_kind(s, v);
    if ((k != LW_REFKIND_ARRAY && k != LW_REFKIND_STRUCT) || i >= lw_ref_len(s, v))
        return -1;
    const wasm_gcobj *o = v->of.ref;
    const lw_typedef *d = &s->types.defs[o->type_id];
    wasm_slot tmp[2] = {{0}, {0}};
    lw_valtype t;
    if (k == LW_REFKIND_ARRAY) {
        t = d->fields[0].type;
        gc_load(o->u.bytes + (size_t)i * o->esize, t, false, tmp);
    } else {
        uint32_t cell = 0;
        for (uint32_t f = 0; f < i; f++)
            cell += d->fields[f].type == LW_V128 ? 2 : 1;
        t = d->fields[i].type;
        memcpy(tmp, &o->u.slots[cell], (t == LW_V128 ? 2 : 1) * sizeof(wasm_slot));
    }
    wasm_val_from_slots(t == LW_I8 || t == LW_I16 ? LW_I32 : t, tmp, out);
    return 0;
}

lw_gc_handle *lw_gc_hold(lw_store *s, const lw_val *v)
{
    struct wasm_gc_heap *h = gc_heap(s);
    void **hd = malloc(sizeof *hd);
    if (!h || !hd) {
        free(hd);
        return NULL;
    }
    *hd = v->of.ref;
    if (wasm_vec_reserve((void **)&h->handles.items, &h->handles.cap, h->handles.n + 1,
                         sizeof(void *))) {
        free(hd);
        return NULL;
    }
    h->handles.items[h->handles.n++] = hd;
    return (lw_gc_handle *)hd;
}

void lw_gc_release(lw_store *s, lw_gc_handle *handle)
{
    struct wasm_gc_heap *h = s->heap;
    if (!h || !handle)
        return;
    for (size_t i = 0; i < h->handles.n; i++)
        if (h->handles.items[i] == (void *)handle) {
            h->handles.items[i] = h->handles.items[--h->handles.n];
            free(handle);
            return;
        }
}

void lw_gc_collect(lw_store *s)
{
    wasm_gc_collect(s);
}

/* A field or element inside a printed object: nested objects by kind. */
static size_t gc_format_item(const lw_store *s, const lw_val *v, char *buf, size_t size)
{
    switch (lw_ref_kind(s, v)) {
    case LW_REFKIND_STRUCT: return (size_t)snprintf(buf, size, "struct");
    case LW_REFKIND_ARRAY:
        return (size_t)snprintf(buf, size, "array[%u]", lw_ref_len(s, v));
    default: return lw_ref_format(s, v, buf, size);
    }
}

size_t lw_ref_format(const lw_store *s, const lw_val *v, char *buf, size_t size)
{
    lw_refkind k = lw_ref_kind(s, v);
    switch (k) {
    case LW_REFKIND_I31:
        return (size_t)snprintf(buf, size, "i31 %d", lw_ref_i31(v, true));
    case LW_REFKIND_HOST: {
        if (lw_ref_top(s, v->type) == LW_HEAP_EXTERN)
            return lw_val_format(v, buf, size);
        lw_val e = {.type = LW_EXTERNREF, .of.ref = lw_ref_host(s, v)};
        size_t n = (size_t)snprintf(buf, size, "host ");
        return n + lw_val_format(&e, n < size ? buf + n : NULL, n < size ? size - n : 0);
    }
    case LW_REFKIND_EXTERNAL:
        return (size_t)snprintf(buf, size, "extern object");
    case LW_REFKIND_FUNC:
        return (size_t)snprintf(buf, size, "func");
    case LW_REFKIND_STRUCT: case LW_REFKIND_ARRAY:
        break;
    default:
        return lw_val_format(v, buf, size);
    }
    uint32_t len = lw_ref_len(s, v), shown = len < 8 ? len : 8;
    size_t n = k == LW_REFKIND_STRUCT ? (size_t)snprintf(buf, size, "struct (")
                                      : (size_t)snprintf(buf, size, "array[%u] (", len);
    for (uint32_t i = 0; i < shown; i++) {
        lw_val item;
        lw_ref_get(s, v, i, &item);
        if (i && n < size)
            n += (size_t)snprintf(buf + n, size - n, " ");
        n += gc_format_item(s, &item, n < size ? buf + n : NULL, n < size ? size - n : 0);
    }
    return n + (size_t)snprintf(n < size ? buf + n : NULL, n < size ? size - n : 0, "%s)",
                                shown < len ? " ..." : "");
}
