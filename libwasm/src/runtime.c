/* The runtime: stores and their objects, host functions, calls from the
 * host, instantiation and the linker.
 *
 * lw_instantiate refuses a module that lw_module_validate (or
 * lw_module_load) has not accepted: it checks imports against the module's
 * types, but trusts the module's own code, constant expressions and
 * indices. */
#include "interp.h"

#include <sys/mman.h>
#include <unistd.h>

#define RT_DEFAULT_PAGES 65536u
#define RT_DEFAULT_TABLE 10000000u
#define RT_DEFAULT_STACK (8u << 20)
#define RT_MAX_STACK (1ull << 44)   /* 16 TiB of address space */

/* ---- small vectors of pointers -------------------------------------- */

static int rt_push(wasm_ptrvec *v, void *p)
{
    if (wasm_vec_reserve((void **)&v->items, &v->cap, v->n + 1, sizeof(void *)))
        return -1;
    v->items[v->n++] = p;
    return 0;
}

/* ---- the store ------------------------------------------------------ */

/* The call stack: the frames' slots and a record per call, in one
 * mapping of address space that the kernel backs with memory only where
 * it is touched, so a budget of gigabytes costs nothing until a guest
 * recurses that deep.  The slots get max_stack_bytes; the records one per
 * 32 bytes of it (a record's size), or max_call_depth of them: so no
 * frame, however small, goes deeper than the budget allows, and the check
 * of a call stays the two compares it was (wasm_call_overflows; counting
 * the records against the slots' budget cost 2.5 instructions a call). */
static int rt_stack_new(lw_store *s)
{
    const lw_store_limits *l = &s->limits;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (l->max_stack_bytes > RT_MAX_STACK)
        return -1;
    uint64_t cells = l->max_stack_bytes / sizeof(wasm_slot);
    if (cells < 64)
        cells = 64;
    uint64_t depth = cells * sizeof(wasm_slot) / sizeof(wasm_frame_rec);
    if (l->max_call_depth && l->max_call_depth < depth)
        depth = l->max_call_depth;
    uint64_t rec_bytes = depth * sizeof(wasm_frame_rec);
    rec_bytes = (rec_bytes + page - 1) / page * page;
    uint64_t bytes = rec_bytes + cells * sizeof(wasm_slot);
    if ((size_t)bytes != bytes)   /* a 32-bit host */
        return -1;
    void *p = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    s->stack_map = p;
    s->stack_map_bytes = (size_t)bytes;
    s->frames = p;
    s->frames_end = s->frames + depth;
    s->ftop = s->frames;
    s->stack = (wasm_slot *)((char *)p + rec_bytes);
    s->stack_end = s->stack + cells;
    s->sp = s->stack;
    return 0;
}

lw_store *lw_store_new(const lw_store_limits *limits)
{
    lw_store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (limits)
        s->limits = *limits;
    lw_store_limits *l = &s->limits;
    if (!l->max_memory_pages)
        l->max_memory_pages = RT_DEFAULT_PAGES;
    if (!l->max_table_elems)
        l->max_table_elems = RT_DEFAULT_TABLE;
    if (!l->max_stack_bytes)
        l->max_stack_bytes = RT_DEFAULT_STACK;
    if (rt_stack_new(s)) {
        free(s);
        return NULL;
    }
    s->fuel = UINT64_MAX;
    s->empty_mem.max_pages = 0;
    return s;
}

static void rt_instance_free(lw_instance *inst)
{
    for (uint32_t i = 0; i < inst->ndefined; i++)
        wasm_compiled_free(&inst->defined[i]);
    free(inst->defined);
    if (inst->elems)
        for (uint32_t i = 0; i < inst->nelems; i++)
            free(inst->elems[i]);
    free(inst->elems);
    free(inst->elem_len);
    free(inst->data_len);
    free(inst->funcs);
    free(inst->tables);
    free(inst->mems);
    free(inst->globals);
    free(inst->tags);
    free(inst->type_ids);
    free(inst);
}

void lw_store_free(lw_store *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->instances.n; i++)
        rt_instance_free(s->instances.items[i]);
    free(s->instances.items);
    for (size_t i = 0; i < s->objects.n; i++) {
        uintptr_t p = (uintptr_t)s->objects.items[i];
        void *obj = (void *)(p & ~(uintptr_t)7);
        switch (p & 7) {
        case LW_EXTERN_FUNC:
            wasm_compiled_free(obj);
            break;
        case LW_EXTERN_TABLE:
            free(((lw_table *)obj)->elems);
            break;
        case LW_EXTERN_MEMORY:
            /* Freed with the last store that holds it. */
            wasm_mem_unref(obj);
            continue;
        default:
            break;
        }
        free(obj);
    }
    free(s->objects.items);
    for (size_t i = 0; i < s->shared_mems.n; i++)
        wasm_mem_unref(s->shared_mems.items[i]);
    free(s->shared_mems.items);
    wasm_gc_free(s);
    wasm_canon_free(&s->types);
    munmap(s->stack_map, s->stack_map_bytes);
    free(s);
}

/* Objects are at least 8-byte aligned: the low bits tag their kind, an
 * lw_externkind or RT_EXN. */
#define RT_EXN WASM_OBJ_EXN

static int rt_own(lw_store *s, void *obj, uint8_t kind)
{
    return rt_push(&s->objects, (void *)((uintptr_t)obj | kind));
}

int wasm_exn_own(lw_store *s, struct lw_exn *exn)
{
    if (exn->owned)
        return 0;
    if (rt_own(s, exn, RT_EXN))
        return -1;
    exn->owned = true;
    return 0;
}

void lw_store_set_fuel(lw_store *s, uint64_t fuel)
{
    s->fuel = fuel;
    s->poll = s->interrupt || fuel != UINT64_MAX;
}

uint64_t lw_store_get_fuel(const lw_store *s)
{
    return s->fuel;
}

void lw_store_interrupt(lw_store *s)
{
    s->interrupt = 1;
    s->poll = 1;
}

void lw_store_clear_interrupt(lw_store *s)
{
    s->interrupt = 0;
    s->poll = s->interrupt || s->fuel != UINT64_MAX;
}

/* ---- functions ------------------------------------------------------ */

static void rt_func_init(lw_func *f, lw_store *s, uint32_t type_id)
{
    f->store = s;
    f->type = s->types.funcs[type_id];
    f->type_id = type_id;
    f->mem0 = &s->empty_mem;
}

static lw_func *rt_func_new(lw_store *s, const lw_functype *type)
{
    lw_func *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    int64_t id = wasm_canon_func(&s->types, type);
    if (id < 0 || rt_own(s, f, LW_EXTERN_FUNC)) {
        free(f);
        return NULL;
    }
    rt_func_init(f, s, (uint32_t)id);
    return f;
}

lw_func *lw_func_new_host(lw_store *s, const lw_functype *type,
                          lw_host_fn fn, void *user)
{
    if (!fn)
        return NULL;
    lw_func *f = rt_func_new(s, type);
    if (f) {
        f->host = fn;
        f->user = user;
        f->index = UINT32_MAX;
    }
    return f;
}

const lw_functype *lw_func_type(const lw_func *f)
{
    return &f->type;
}

void *lw_host_user(const lw_host_call *call)
{
    return call->func->user;
}

lw_instance *lw_host_caller(const lw_host_call *call)
{
    return call->caller;
}

lw_memory *lw_host_memory(const lw_host_call *call)
{
    if (!call->caller || !call->caller->module->nmems)
        return NULL;
    return call->caller->mems[0];
}

int lw_host_trap(lw_host_call *call, const char *message)
{
    call->kind = LW_ERR_TRAP;
    snprintf(call->message, sizeof call->message, "%s",
             message ? message : "host trap");
    return -1;
}

int lw_host_throw(lw_host_call *call, lw_exn *exn)
{
    if (!exn)
        return lw_host_trap(call, "null exception reference");
    call->kind = LW_ERR_EXCEPTION;
    call->exn = exn;
    snprintf(call->message, sizeof call->message, "uncaught exception");
    return -1;
}

int lw_host_exit(lw_host_call *call, int exit_code)
{
    call->kind = LW_ERR_EXIT;
    call->exit_code = exit_code;
    snprintf(call->message, sizeof call->message, "exit %d", exit_code);
    return -1;
}

/* ---- values <-> slots ----------------------------------------------- */

void wasm_val_to_slots(const lw_val *v, wasm_slot *out)
{
    switch (v->type) {
    case LW_I32: case LW_F32:
        out->u64 = (uint32_t)v->of.i32;
        break;
    case LW_I64: case LW_F64:
        out->u64 = (uint64_t)v->of.i64;
        break;
    case LW_V128:
        memcpy(out, v->of.v128, 16);
        break;
    default:
        out->ref = v->of.ref;
        break;
    }
}

void wasm_val_from_slots(lw_valtype type, const wasm_slot *in, lw_val *v)
{
    memset(v, 0, sizeof *v);
    v->type = type;
    switch (type) {
    case LW_I32: case LW_F32:
        v->of.i32 = (int32_t)in->u32;
        break;
    case LW_I64: case LW_F64:
        v->of.i64 = in->i64;
        break;
    case LW_V128:
        memcpy(v->of.v128, in, 16);
        break;
    default:
        v->of.ref = in->ref;
        break;
    }
}

static uint32_t rt_cells(uint32_t n, const lw_valtype *types)
{
    uint32_t c = 0;
    for (uint32_t i = 0; i < n; i++)
        c += wasm_cells(types[i]);
    return c;
}

/* The type a value has: a function reference's is its function's own,
 * and a GC reference's its object's (an i31, a struct or array type, any
 * for a host reference), whatever type the caller gave it, so that no
 * function reaches a parameter of a type it does not have. */
static lw_valtype rt_value_type(const lw_store *s, const lw_val *v)
{
    if (!lw_valtype_is_ref(v->type) || !v->of.ref)
        return v->type;
    switch (lw_ref_top(s, v->type)) {
    case LW_HEAP_FUNC: return LW_REF(0, LW_HEAP_TYPE(v->of.func->type_id));
    case LW_HEAP_ANY: return LW_REF(0, wasm_gc_heaptype(s, v->of.ref));
    default: return v->type;
    }
}

bool lw_val_matches(const lw_store *s, const lw_val *v, lw_valtype t)
{
    wasm_typectx types = wasm_canon_ctx(&s->types);
    return wasm_type_match(&types, rt_value_type(s, v), t);
}

int lw_func_call(lw_store *s, lw_func *f, const lw_val *args,
                 uint32_t nargs, lw_val *results, uint32_t nresults,
                 lw_error *err)
{
    const lw_functype *t = &f->type;
    if (f->store != s)
        return wasm_fail(err, LW_ERR_USAGE, "function belongs to another store");
    if (nargs != t->nparams || nresults < t->nresults)
        return wasm_fail(err, LW_ERR_USAGE,
                         "function takes %u arguments and gives %u results",
                         t->nparams, t->nresults);
    for (uint32_t i = 0; i < nargs; i++)
        if (!lw_val_matches(s, &args[i], t->params[i])) {
            char want[LW_VALTYPE_BUFSIZE], got[LW_VALTYPE_BUFSIZE];
            lw_valtype_format(t->params[i], want, sizeof want);
            lw_valtype_format(rt_value_type(s, &args[i]), got, sizeof got);
            return wasm_fail(err, LW_ERR_USAGE, "argument %u: expected %s, got %s",
                             i, want, got);
        }
    uint32_t pc = rt_cells(t->nparams, t->params);
    uint32_t rc = rt_cells(t->nresults, t->results);
    wasm_slot *base = s->sp;
    if (wasm_call_overflows(s, s->ftop, base, (size_t)(pc > rc ? pc : rc) + 2))
        return wasm_fail(err, LW_ERR_EXHAUSTION, "call stack exhausted");
    uint32_t c = 0;
    for (uint32_t i = 0; i < nargs; i++) {
        wasm_val_to_slots(&args[i], base + c);
        c += wasm_cells(t->params[i]);
    }
    if (wasm_interp_invoke(s, f, base, err))
        return -1;
    c = 0;
    for (uint32_t i = 0; i < t->nresults; i++) {
        wasm_val_from_slots(t->results[i], base + c, &results[i]);
        c += wasm_cells(t->results[i]);
    }
    return 0;
}

/* ---- backtraces ----------------------------------------------------- */

/* The binary offset of the instruction ip is in (NULL: the body's start);
 * none (0) for host functions and for modules parsed from text, whose
 * bodies' offsets are in no file. */
static uint32_t rt_code_offset(const lw_func *f, const wasm_icell *ip)
{
    if (!f->inst || !f->inst->module->priv->base)
        return 0;
    const lw_module *m = f->inst->module;
    uint32_t fallback = f->index >= m->nfunc_imports
        ? m->codes[f->index - m->nfunc_imports].body.offset : 0;
    if (!ip || !f->code || ip < f->code)
        return fallback;
    size_t i = wasm_map_find(f->map, f->nmap, (uint32_t)(ip - f->code));
    return i == f->nmap ? fallback : f->map[i].offset;
}

void wasm_frames_begin(wasm_frame_iter *it, lw_store *s)
{
    memset(it, 0, sizeof *it);
    it->exec = s->exec;
    it->top = it->rec = s->ftop;
}

/* A frame's instruction and slots: the innermost frame of a call has
 * them published in the call's wasm_exec; every other frame is a caller,
 * and the record of its callee says where it resumes and its slots. */
bool wasm_frames_next(wasm_frame_iter *it)
{
    while (it->exec && it->rec == it->exec->base) {
        it->top = it->rec;
        it->exec = it->exec->outer;
    }
    if (!it->exec)
        return false;
    const wasm_frame_rec *r = --it->rec;
    it->func = r->self;
    if (r + 1 == it->top) {
        it->ip = it->exec->ip;
        it->fp = it->exec->fp;
    } else {
        it->ip = r[1].ret - 1;
        it->fp = r[1].fp;
    }
    return true;
}

/* Step over n frames of the iterator's current call without reading them. */
static void rt_frames_skip(wasm_frame_iter *it, size_t n)
{
    it->rec -= n;
}

/* The innermost and the outermost frames of the running call; what lies
 * between them, beyond LW_MAX_FRAMES, is only counted. */
void wasm_trap_backtrace(lw_store *s, lw_error *err)
{
    if (!err)
        return;
    err->nframes = 0;
    err->frames_omitted = 0;
    size_t depth = s->exec ? (size_t)(s->ftop - s->exec->base) : 0;
    wasm_frame_iter it;
    wasm_frames_begin(&it, s);
    while (err->nframes < LW_MAX_FRAMES) {
        if (err->nframes == LW_MAX_FRAMES / 2 && depth > LW_MAX_FRAMES) {
            size_t omitted = depth - LW_MAX_FRAMES;
            rt_frames_skip(&it, omitted);
            err->frames_omitted = omitted > UINT32_MAX ? UINT32_MAX : (uint32_t)omitted;
        }
        if (!wasm_frames_next(&it) || it.exec != s->exec)
            break;
        lw_frame *fr = &err->frames[err->nframes++];
        fr->func_index = it.func->index;
        fr->code_offset = rt_code_offset(it.func, it.ip);
        fr->module = it.func->inst ? it.func->inst->module : NULL;
        fr->name = fr->module ? lw_module_func_name(fr->module, it.func->index) : NULL;
    }
}

/* ---- memories, tables, globals -------------------------------------- */

static struct lw_memory *rt_memory_new(lw_store *s, const lw_limits *l,
                                       lw_error *err)
{
    uint64_t cap = s->limits.max_memory_pages;
    if (!l->is64 && cap > 65536)
        cap = 65536;
    if (l->min > cap) {
        wasm_fail(err, LW_ERR_LIMIT, "memory size limit exceeded");
        return NULL;
    }
    struct lw_memory *m = calloc(1, sizeof *m);
    if (!m) {
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        return NULL;
    }
    m->type = *l;
    uint64_t max = l->has_max && l->max < cap ? l->max : cap;
    if (wasm_mem_create(s, m, l->min, max, err)) {
        free(m);
        return NULL;
    }
    if (rt_own(s, m, LW_EXTERN_MEMORY)) {
        wasm_mem_release(m);
        free(m);
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        return NULL;
    }
    return m;
}

lw_memory *lw_memory_new(lw_store *s, const lw_limits *limits,
                         lw_error *err)
{
    if (limits->has_max && limits->max < limits->min) {
        wasm_fail(err, LW_ERR_USAGE, "size minimum must not be greater than maximum");
        return NULL;
    }
    if (limits->shared && !limits->has_max) {
        wasm_fail(err, LW_ERR_USAGE, "shared memory must have maximum");
        return NULL;
    }
    return rt_memory_new(s, limits, err);
}

static bool rt_ref_type_ok(lw_valtype reftype, lw_val v)
{
    return v.type == reftype;
}

static lw_table *rt_table_new(lw_store *s, const lw_tabletype *type,
                              void *init, lw_error *err)
{
    if (type->limits.min > s->limits.max_table_elems) {
        wasm_fail(err, LW_ERR_LIMIT, "table size limit exceeded");
        return NULL;
    }
    lw_table *t = calloc(1, sizeof *t);
    void **elems = calloc(type->limits.min ? type->limits.min : 1, sizeof(void *));
    if (!t || !elems || rt_own(s, t, LW_EXTERN_TABLE)) {
        free(t);
        free(elems);
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (uint64_t i = 0; i < type->limits.min; i++)
        elems[i] = init;
    t->elems = elems;
    t->size = type->limits.min;
    t->type = *type;
    uint64_t cap = s->limits.max_table_elems;
    t->max = type->limits.has_max && type->limits.max < cap ? type->limits.max : cap;
    if (t->max > UINT32_MAX)
        t->max = UINT32_MAX;
    return t;
}

lw_table *lw_table_new(lw_store *s, const lw_tabletype *type,
                       lw_val init, lw_error *err)
{
    if (!rt_ref_type_ok(type->reftype, init)) {
        wasm_fail(err, LW_ERR_USAGE, "type mismatch");
        return NULL;
    }
    return rt_table_new(s, type, init.of.ref, err);
}

uint64_t lw_table_size(const lw_table *t)
{
    return t->size;
}

int lw_table_get(const lw_table *t, uint64_t index, lw_val *out)
{
    if (index >= t->size)
        return -1;
    memset(out, 0, sizeof *out);
    out->type = t->type.reftype;
    out->of.ref = t->elems[index];
    return 0;
}

int lw_table_set(lw_table *t, uint64_t index, lw_val val)
{
    if (index >= t->size || !rt_ref_type_ok(t->type.reftype, val))
        return -1;
    t->elems[index] = val.of.ref;
    return 0;
}

int64_t lw_table_grow(lw_table *t, uint64_t delta, lw_val init)
{
    if (!rt_ref_type_ok(t->type.reftype, init))
        return -1;
    uint64_t old = t->size;
    if (delta > t->max || old + delta > t->max)
        return -1;
    if (delta == 0)
        return (int64_t)old;
    void **e = realloc(t->elems, (old + delta) * sizeof(void *));
    if (!e)
        return -1;
    for (uint64_t i = old; i < old + delta; i++)
        e[i] = init.of.ref;
    t->elems = e;
    t->size = old + delta;
    return (int64_t)old;
}

lw_tabletype lw_table_type(const lw_table *t)
{
    lw_tabletype tt = t->type;
    tt.limits.min = t->size;
    return tt;
}

static lw_global *rt_global_new(lw_store *s, const lw_globaltype *type)
{
    lw_global *g = calloc(1, sizeof *g);
    if (!g || rt_own(s, g, LW_EXTERN_GLOBAL)) {
        free(g);
        return NULL;
    }
    g->type = *type;
    return g;
}

lw_global *lw_global_new(lw_store *s, const lw_globaltype *type,
                         lw_val val, lw_error *err)
{
    wasm_typectx types = wasm_canon_ctx(&s->types);
    if (!wasm_type_match(&types, val.type, type->type)) {
        wasm_fail(err, LW_ERR_USAGE, "type mismatch");
        return NULL;
    }
    lw_global *g = rt_global_new(s, type);
    if (!g) {
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        return NULL;
    }
    wasm_val_to_slots(&val, g->val);
    return g;
}

lw_val lw_global_get(const lw_global *g)
{
    lw_val v;
    wasm_val_from_slots(g->type.type, g->val, &v);
    return v;
}

int lw_global_set(lw_global *g, lw_val val)
{
    if (!g->type.mut || val.type != g->type.type)
        return -1;
    wasm_val_to_slots(&val, g->val);
    return 0;
}

lw_globaltype lw_global_type(const lw_global *g)
{
    return g->type;
}

/* ---- constant expressions ------------------------------------------- */

/* ---- tags and exceptions --------------------------------------------- */

static struct lw_tag *rt_tag_new(lw_store *s, uint32_t type_id)
{
    struct lw_tag *t = calloc(1, sizeof *t);
    if (!t || rt_own(s, t, LW_EXTERN_TAG)) {
        free(t);
        return NULL;
    }
    t->store = s;
    t->type_id = type_id;
    t->type = s->types.funcs[type_id];
    t->ncells = rt_cells(t->type.nparams, t->type.params);
    return t;
}

lw_tag *lw_tag_new(lw_store *s, const lw_functype *type, lw_error *err)
{
    if (type->nresults)
        return wasm_fail(err, LW_ERR_USAGE, "non-empty tag result type"), NULL;
    int64_t id = wasm_canon_func(&s->types, type);
    lw_tag *t = id < 0 ? NULL : rt_tag_new(s, (uint32_t)id);
    if (!t)
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    return t;
}

const lw_functype *lw_tag_type(const lw_tag *t)
{
    return &t->type;
}

lw_exn *lw_exn_new(lw_store *s, lw_tag *tag, const lw_val *vals, uint32_t nvals,
                   lw_error *err)
{
    const lw_functype *t = &tag->type;
    if (tag->store != s)
        return wasm_fail(err, LW_ERR_USAGE, "tag belongs to another store"), NULL;
    if (nvals != t->nparams)
        return wasm_fail(err, LW_ERR_USAGE, "tag takes %u values", t->nparams), NULL;
    wasm_typectx types = wasm_canon_ctx(&s->types);
    for (uint32_t i = 0; i < nvals; i++)
        if (!wasm_type_match(&types, vals[i].type, t->params[i]))
            return wasm_fail(err, LW_ERR_USAGE, "value %u does not match the tag's type", i),
                   NULL;
    lw_exn *e = malloc(sizeof *e + tag->ncells * sizeof(wasm_slot));
    if (e)
        e->owned = false;
    if (!e || wasm_exn_own(s, e)) {
        free(e);
        return wasm_fail(err, LW_ERR_NOMEM, "out of memory"), NULL;
    }
    e->tag = tag;
    e->ncells = tag->ncells;
    uint32_t c = 0;
    for (uint32_t i = 0; i < nvals; i++) {
        wasm_val_to_slots(&vals[i], e->vals + c);
        c += wasm_cells(t->params[i]);
    }
    return e;
}

lw_tag *lw_exn_tag(const lw_exn *e)
{
    return e->tag;
}

const char *lw_tag_name(const lw_tag *t)
{
    const lw_module *m = t->module;
    if (!m)
        return NULL;
    const char *name = lw_namemap_get(&m->names.tags, t->index);
    for (uint32_t i = 0; !name && i < m->nexports; i++)
        if (m->exports[i].kind == LW_EXTERN_TAG && m->exports[i].index == t->index)
            name = m->exports[i].name;
    return name;
}

size_t lw_exn_format(const lw_exn *e, char *buf, size_t size)
{
    const lw_tag *t = e->tag;
    const char *name = lw_tag_name(t);
    size_t n;
    if (name)
        n = (size_t)snprintf(buf, size, "tag %s", name);
    else if (t->module)
        n = (size_t)snprintf(buf, size, "tag[%u]", t->index);
    else
        n = (size_t)snprintf(buf, size, "a host tag");
    uint32_t c = 0;
    for (uint32_t i = 0; i < t->type.nparams; i++) {
        lw_val v;
        char num[128];
        wasm_val_from_slots(t->type.params[i], e->vals + c, &v);
        c += wasm_cells(t->type.params[i]);
        lw_val_format(&v, num, sizeof num);
        n += (size_t)snprintf(buf + (n < size ? n : size), n < size ? size - n : 0, "%s%s %s",
                              i ? ", " : " (", lw_valtype_name(t->type.params[i]), num);
    }
    if (t->type.nparams)
        n += (size_t)snprintf(buf + (n < size ? n : size), n < size ? size - n : 0, ")");
    return n;
}

void lw_exn_values(const lw_exn *e, lw_val *out)
{
    const lw_functype *t = &e->tag->type;
    uint32_t c = 0;
    for (uint32_t i = 0; i < t->nparams; i++) {
        wasm_val_from_slots(t->params[i], e->vals + c, &out[i]);
        c += wasm_cells(t->params[i]);
    }
}

static int rt_const_global(void *user, uint32_t index, lw_val *out)
{
    const lw_instance *inst = user;
    if (index >= inst->module->nglobals)
        return -1;
    *out = lw_global_get(inst->globals[index]);
    return 0;
}

static int rt_const_func(void *user, uint32_t index, lw_val *out)
{
    const lw_instance *inst = user;
    if (index >= inst->module->nfuncs)
        return -1;
    out->type = LW_FUNCREF;
    out->of.func = inst->funcs[index];
    return 0;
}

/* Evaluate a validated constant expression into out[0..1]. */
static int rt_eval_const(const lw_instance *inst, const lw_expr *e,
                         wasm_slot *out, lw_error *err)
{
    if (inst->module->features & LW_FEATURE(GC))
        return wasm_gc_const_eval(inst->store, inst, e, out, err);
    lw_const_env env = {rt_const_global, rt_const_func, (void *)inst};
    lw_val v;
    if (lw_const_eval(inst->module, e, &env, &v, err) < 0)
        return -1;
    out[1].u64 = 0;
    wasm_val_to_slots(&v, out);
    return 0;
}

/* ---- instantiation -------------------------------------------------- */

static bool rt_limits_match(uint64_t size, bool has_max, uint64_t max,
                            const lw_limits *want)
{
    if (size < want->min)
        return false;
    if (want->has_max && (!has_max || max > want->max))
        return false;
    return true;
}

/* A global of type have fits an import of type want: a mutable one only
 * when the types are equal (it is read and written), an immutable one when
 * have is a subtype. */
static bool rt_global_match(const wasm_typectx *types, lw_globaltype have,
                            lw_globaltype want)
{
    if (have.mut != want.mut)
        return false;
    return want.mut ? have.type == want.type
                    : wasm_type_match(types, have.type, want.type);
}

/* Whether s made m (a store that made a memory may be freed before it,
 * and another store take its address, so memories name no store). */
static bool rt_owns_memory(const lw_store *s, const struct lw_memory *m)
{
    for (const struct lw_memory *o = s->mems; o; o = o->next)
        if (o == m)
            return true;
    return false;
}

/* Store s imports m, another store's memory: only a shared memory may
 * be, and s then holds it (it outlives the store that made it). */
static int rt_adopt_memory(lw_store *s, struct lw_memory *m, lw_error *err)
{
    if (!m->type.shared)
        return wasm_fail(err, LW_ERR_UNLINKABLE,
                         "incompatible import type (an unshared memory of another store)");
    for (size_t i = 0; i < s->shared_mems.n; i++)
        if (s->shared_mems.items[i] == m)
            return 0;
    if (rt_push(&s->shared_mems, m))
        return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    __atomic_add_fetch(&m->refs, 1, __ATOMIC_ACQ_REL);
    return 0;
}

/* Does ex fit import im?  ids: the importing module's canonical type ids,
 * in which the extern's types are given. */
static int rt_check_import(lw_store *s, const uint32_t *ids, const lw_import *im,
                           const lw_extern *ex, lw_error *err)
{
    wasm_typectx types = wasm_canon_ctx(&s->types);
    bool ok = ex->kind == im->kind;
    if (ok) {
        switch (im->kind) {
        case LW_EXTERN_FUNC:
            ok = ex->of.func &&
                 wasm_heap_match(&types, LW_HEAP_TYPE(ex->of.func->type_id),
                                 LW_HEAP_TYPE(ids[im->desc.func]));
            break;
        case LW_EXTERN_TABLE: {
            const lw_table *t = ex->of.table;
            ok = t && t->type.reftype == wasm_canon_valtype(ids, im->desc.table.reftype) &&
                 t->type.limits.is64 == im->desc.table.limits.is64 &&
                 rt_limits_match(t->size, t->type.limits.has_max,
                                 t->type.limits.max, &im->desc.table.limits);
            break;
        }
        case LW_EXTERN_MEMORY: {
            struct lw_memory *mm = ex->of.memory;
            ok = mm && mm->type.is64 == im->desc.memory.is64 &&
                 mm->type.shared == im->desc.memory.shared &&
                 rt_limits_match(mm->pages, mm->type.has_max,
                                       mm->type.max, &im->desc.memory);
            if (ok && !rt_owns_memory(s, mm))
                return rt_adopt_memory(s, mm, err);
            break;
        }
        case LW_EXTERN_TAG:
            ok = ex->of.tag && ex->of.tag->store == s &&
                 ex->of.tag->type_id == ids[im->desc.tag];
            break;
        default: {
            lw_globaltype want = im->desc.global;
            want.type = wasm_canon_valtype(ids, want.type);
            ok = ex->of.global && rt_global_match(&types, ex->of.global->type, want);
            break;
        }
        }
    }
    if (!ok)
        return wasm_fail(err, LW_ERR_UNLINKABLE, "incompatible import type");
    return 0;
}

/* Takes ids (the module's canonical type ids), freed with the instance. */
static int rt_alloc_instance(lw_store *s, const lw_module *m, uint32_t *ids,
                             lw_instance **out, lw_error *err)
{
    lw_instance *inst = calloc(1, sizeof *inst);
    if (!inst || rt_push(&s->instances, inst)) {
        free(inst);
        free(ids);
        return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    }
    inst->type_ids = ids;
    inst->store = s;
    inst->module = m;
    inst->funcs = calloc(m->nfuncs + 1, sizeof *inst->funcs);
    inst->tables = calloc(m->ntables + 1, sizeof *inst->tables);
    inst->mems = calloc(m->nmems + 1, sizeof *inst->mems);
    inst->globals = calloc(m->nglobals + 1, sizeof *inst->globals);
    inst->tags = calloc(m->ntags + 1, sizeof *inst->tags);
    inst->elems = calloc(m->nelems + 1, sizeof *inst->elems);
    inst->nelems = m->nelems;
    inst->elem_len = calloc(m->nelems + 1, sizeof *inst->elem_len);
    inst->data_len = calloc(m->ndatas + 1, sizeof *inst->data_len);
    *out = inst;
    if (!inst->funcs || !inst->tables || !inst->mems || !inst->globals || !inst->tags ||
        !inst->elems || !inst->elem_len || !inst->data_len)
        return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
    return 0;
}

static void rt_bind_imports(lw_instance *inst, const lw_extern *imports)
{
    const lw_module *m = inst->module;
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0, nx = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const lw_extern *ex = &imports[i];
        switch (ex->kind) {
        case LW_EXTERN_FUNC: inst->funcs[nf++] = ex->of.func; break;
        case LW_EXTERN_TABLE: inst->tables[nt++] = ex->of.table; break;
        case LW_EXTERN_MEMORY: inst->mems[nm++] = ex->of.memory; break;
        case LW_EXTERN_TAG: inst->tags[nx++] = ex->of.tag; break;
        default: inst->globals[ng++] = ex->of.global; break;
        }
    }
}

static int rt_define(lw_instance *inst, lw_error *err)
{
    lw_store *s = inst->store;
    const lw_module *m = inst->module;
    uint32_t ndef = m->nfuncs - m->nfunc_imports;
    if (ndef) {
        /* One block for the functions. */
        inst->defined = calloc(ndef, sizeof *inst->defined);
        if (!inst->defined)
            return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        inst->ndefined = ndef;
        for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
            lw_func *f = &inst->defined[i - m->nfunc_imports];
            rt_func_init(f, s, inst->type_ids[m->func_types[i]]);
            f->inst = inst;
            f->index = i;
            inst->funcs[i] = f;
        }
    }
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        lw_tabletype tt = m->tables[i];
        tt.reftype = wasm_canon_valtype(inst->type_ids, tt.reftype);
        /* An initializer (typed references) fills the table; it may
         * read imported globals only, which are in place. */
        const lw_expr *init = m->table_inits ? &m->table_inits[i - m->ntable_imports] : NULL;
        wasm_slot v[2] = {{0}};
        if (init && init->code && rt_eval_const(inst, init, v, err))
            return -1;
        if (!(inst->tables[i] = rt_table_new(s, &tt, v[0].ref, err)))
            return -1;
    }
    for (uint32_t i = m->nmem_imports; i < m->nmems; i++)
        if (!(inst->mems[i] = rt_memory_new(s, &m->mems[i], err)))
            return -1;
    for (uint32_t i = m->ntag_imports; i < m->ntags; i++) {
        if (!(inst->tags[i] = rt_tag_new(s, inst->type_ids[m->tags[i]])))
            return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        inst->tags[i]->module = m;
        inst->tags[i]->index = i;
    }
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        lw_globaltype gt = m->globals[i];
        gt.type = wasm_canon_valtype(inst->type_ids, gt.type);
        lw_global *g = rt_global_new(s, &gt);
        if (!g)
            return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        inst->globals[i] = g;
        if (rt_eval_const(inst, &m->globaldefs[i - m->nglobal_imports].init,
                          g->val, err))
            return -1;
    }
    struct lw_memory *mem0 = m->nmems ? inst->mems[0] : &s->empty_mem;
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
        inst->funcs[i]->mem0 = mem0;
    return 0;
}

static int rt_eval_elems(lw_instance *inst, lw_error *err)
{
    const lw_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const lw_elem *e = &m->elems[i];
        void **refs = calloc(e->count ? e->count : 1, sizeof(void *));
        if (!refs)
            return wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        inst->elems[i] = refs;
        inst->elem_len[i] = e->count;
        for (uint32_t j = 0; j < e->count; j++) {
            if (e->funcs) {
                refs[j] = inst->funcs[e->funcs[j]];
            } else {
                wasm_slot v[2];
                if (rt_eval_const(inst, &e->exprs[j], v, err))
                    return -1;
                refs[j] = v[0].ref;
            }
        }
    }
    for (uint32_t i = 0; i < m->ndatas; i++)
        inst->data_len[i] = m->datas[i].len;
    return 0;
}

static int rt_trap(lw_error *err, const char *msg)
{
    wasm_fail(err, LW_ERR_TRAP, "%s", msg);
    if (err)
        err->nframes = 0;
    return -1;
}

/* Active segments, in order; a failing one traps after earlier ones. */
static int rt_init_segments(lw_instance *inst, lw_error *err)
{
    const lw_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const lw_elem *e = &m->elems[i];
        if (e->mode == LW_SEG_ACTIVE) {
            wasm_slot off[2];
            if (rt_eval_const(inst, &e->offset, off, err))
                return -1;
            lw_table *t = inst->tables[e->table];
            uint64_t o = t->type.limits.is64 ? off[0].u64 : off[0].u32;
            if (o > t->size || e->count > t->size - o)
                return rt_trap(err, "out of bounds table access");
            if (e->count)
                memcpy(t->elems + o, inst->elems[i], e->count * sizeof(void *));
        }
        if (e->mode != LW_SEG_PASSIVE)
            inst->elem_len[i] = 0;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const lw_data *d = &m->datas[i];
        if (d->mode != LW_SEG_ACTIVE)
            continue;
        wasm_slot off[2];
        if (rt_eval_const(inst, &d->offset, off, err))
            return -1;
        struct lw_memory *mem = inst->mems[d->memory];
        uint64_t o = mem->type.is64 ? off[0].u64 : off[0].u32;
        if (o > mem->size || d->len > mem->size - o)
            return rt_trap(err, "out of bounds memory access");
        if (d->len)
            memcpy(mem->base + o, d->bytes, d->len);
        inst->data_len[i] = 0;
    }
    return 0;
}

static int rt_check_validated(const lw_module *m, lw_error *err)
{
    if (m->priv && m->priv->validated)
        return 0;
    wasm_fail(err, LW_ERR_USAGE, "module not validated");
    return -1;
}

lw_instance *lw_instantiate(lw_store *s, const lw_module *m,
                            const lw_extern *imports, uint32_t nimports,
                            lw_error *err)
{
    if (rt_check_validated(m, err))
        return NULL;
    if (nimports != m->nimports) {
        wasm_fail(err, LW_ERR_UNLINKABLE, "unknown import");
        return NULL;
    }
    if (s->limits.max_instances && s->instances.n >= s->limits.max_instances) {
        wasm_fail(err, LW_ERR_LIMIT, "instance limit exceeded");
        return NULL;
    }
    uint32_t *ids = malloc((m->ntypes + 1) * sizeof *ids);
    if (!ids || wasm_canon_module(&s->types, m, ids) < 0) {
        free(ids);
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (uint32_t i = 0; i < nimports; i++)
        if (rt_check_import(s, ids, &m->imports[i], &imports[i], err)) {
            free(ids);
            return NULL;
        }
    lw_instance *inst = NULL;
    if (rt_alloc_instance(s, m, ids, &inst, err))
        return NULL;
    rt_bind_imports(inst, imports);
    /* Objects that constant expressions make are reachable from no root
     * until the instance is complete: no collection meanwhile. */
    wasm_gc_pause(s, true);
    int rc = rt_define(inst, err) || rt_eval_elems(inst, err) || rt_init_segments(inst, err);
    wasm_gc_pause(s, false);
    if (rc)
        return NULL;
    if (m->has_start &&
        lw_func_call(s, inst->funcs[m->start], NULL, 0, NULL, 0, err))
        return NULL;
    return inst;
}

const lw_module *lw_instance_module(const lw_instance *inst)
{
    return inst->module;
}

bool lw_instance_export(const lw_instance *inst, const char *name,
                        lw_extern *out)
{
    return lw_instance_export_n(inst, name, strlen(name), out);
}

bool lw_instance_export_n(const lw_instance *inst, const char *name, size_t len,
                          lw_extern *out)
{
    const lw_export *e = lw_module_find_export_n(inst->module, name, len);
    if (!e)
        return false;
    out->kind = e->kind;
    switch (e->kind) {
    case LW_EXTERN_FUNC: out->of.func = inst->funcs[e->index]; break;
    case LW_EXTERN_TABLE: out->of.table = inst->tables[e->index]; break;
    case LW_EXTERN_MEMORY: out->of.memory = inst->mems[e->index]; break;
    case LW_EXTERN_TAG: out->of.tag = inst->tags[e->index]; break;
    default: out->of.global = inst->globals[e->index]; break;
    }
    return true;
}

/* ---- the linker ----------------------------------------------------- */

/* Names are compared by length and bytes: import names may hold NUL bytes. */
typedef struct {
    char *module, *name;
    size_t module_len, name_len;
    lw_extern ext;
} rt_link;

struct lw_linker {
    lw_store *store;
    rt_link *items;
    size_t n, cap;
};

lw_linker *lw_linker_new(lw_store *s)
{
    lw_linker *l = calloc(1, sizeof *l);
    if (l)
        l->store = s;
    return l;
}

void lw_linker_free(lw_linker *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].module);
        free(l->items[i].name);
    }
    free(l->items);
    free(l);
}

static bool rt_name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

static rt_link *rt_link_find(const lw_linker *l, const char *module, size_t module_len,
                             const char *name, size_t name_len)
{
    for (size_t i = l->n; i-- > 0;)
        if (rt_name_eq(l->items[i].module, l->items[i].module_len, module, module_len) &&
            rt_name_eq(l->items[i].name, l->items[i].name_len, name, name_len))
            return &l->items[i];
    return NULL;
}

/* A NUL-terminated copy of n bytes (which may hold NULs). */
static char *rt_name_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

int lw_linker_define_n(lw_linker *l, const char *module, size_t module_len,
                       const char *name, size_t name_len, lw_extern ext)
{
    rt_link *it = rt_link_find(l, module, module_len, name, name_len);
    if (it) {
        it->ext = ext;
        return 0;
    }
    if (wasm_vec_reserve((void **)&l->items, &l->cap, l->n + 1, sizeof *l->items))
        return -1;
    it = &l->items[l->n];
    it->module = rt_name_dup(module, module_len);
    it->name = rt_name_dup(name, name_len);
    if (!it->module || !it->name) {
        free(it->module);
        free(it->name);
        return -1;
    }
    it->module_len = module_len;
    it->name_len = name_len;
    it->ext = ext;
    l->n++;
    return 0;
}

int lw_linker_define(lw_linker *l, const char *module, const char *name,
                     lw_extern ext)
{
    return lw_linker_define_n(l, module, strlen(module), name, strlen(name), ext);
}

int lw_linker_define_instance(lw_linker *l, const char *module,
                              const lw_instance *inst)
{
    return lw_linker_define_instance_n(l, module, strlen(module), inst);
}

int lw_linker_define_instance_n(lw_linker *l, const char *module, size_t module_len,
                                const lw_instance *inst)
{
    const lw_module *m = inst->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const lw_export *e = &m->exports[i];
        lw_extern ext;
        lw_instance_export_n(inst, e->name, e->name_len, &ext);
        if (lw_linker_define_n(l, module, module_len, e->name, e->name_len, ext))
            return -1;
    }
    return 0;
}

int lw_linker_define_host(lw_linker *l, const char *module, const char *name,
                          const lw_functype *type, lw_host_fn fn, void *user)
{
    lw_extern ext;
    ext.kind = LW_EXTERN_FUNC;
    ext.of.func = lw_func_new_host(l->store, type, fn, user);
    if (!ext.of.func)
        return -1;
    return lw_linker_define(l, module, name, ext);
}

bool lw_linker_lookup_n(const lw_linker *l, const char *module, size_t module_len,
                        const char *name, size_t name_len, lw_extern *out)
{
    const rt_link *it = rt_link_find(l, module, module_len, name, name_len);
    if (it)
        *out = it->ext;
    return it != NULL;
}

bool lw_linker_lookup(const lw_linker *l, const char *module,
                      const char *name, lw_extern *out)
{
    return lw_linker_lookup_n(l, module, strlen(module), name, strlen(name), out);
}

lw_instance *lw_linker_instantiate(lw_linker *l, const lw_module *m,
                                   lw_error *err)
{
    if (rt_check_validated(m, err))
        return NULL;
    lw_extern *ext = calloc(m->nimports + 1, sizeof *ext);
    if (!ext) {
        wasm_fail(err, LW_ERR_NOMEM, "out of memory");
        return NULL;
    }
    for (uint32_t i = 0; i < m->nimports; i++) {
        const lw_import *im = &m->imports[i];
        if (!lw_linker_lookup_n(l, im->module, im->module_len, im->name, im->name_len,
                                &ext[i])) {
            wasm_fail(err, LW_ERR_UNLINKABLE, "unknown import");
            free(ext);
            return NULL;
        }
    }
    lw_instance *inst = lw_instantiate(l->store, m, ext, m->nimports, err);
    free(ext);
    return inst;
}
