/* Memories, generated: the input chooses one to three memories (32- or
 * 64-bit, sizes, maxima) and a run of loads, stores (scalar and v128),
 * memory.size, memory.grow, memory.fill and memory.copy on them, with
 * addresses and offsets near every edge.  The module is written as text,
 * must parse, validate, encode and load again from its binary; that
 * module runs, and a model of the same operations in C must agree on the
 * result, on whether it traps, and on every byte of every memory. */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "libwasm-tools.h"

#define MEM_MAX_OPS 48
#define MEM_STORE_PAGES 4           /* the store's limit: growth stops there */
#define MEM_PAGE 65536u

typedef struct {
    bool is64;
    uint64_t pages, max;            /* max: what growth may reach */
    uint8_t *bytes;                 /* the model's copy, MEM_STORE_PAGES long */
} mem_model;

typedef struct {
    const uint8_t *p, *end;
    fuzz_text wat;
    mem_model mems[3];
    uint32_t nmems;
    uint64_t acc;                   /* the model's result */
    bool trapped;
} mem_gen;

/* Text onto the module g writes. */
#define mem_put(g, ...) fuzz_put(&(g)->wat, __VA_ARGS__)

static uint8_t mem_byte(mem_gen *g)
{
    return g->p < g->end ? *g->p++ : 0;
}

/* An address or offset near an edge of a memory of `size` bytes, cut to
 * 32 bits for a 32-bit memory. */
static uint64_t mem_pick(mem_gen *g, uint64_t size, bool is64)
{
    static const uint64_t edges[] = {0, 1, 7, 8, 15, 16, 65535, 65536, 65537, 0x7fffffff,
                                     0xffffffff, 0x100000000, UINT64_C(1) << 48,
                                     UINT64_C(0x7fffffffffffffff), UINT64_MAX - 7,
                                     UINT64_MAX};
    uint8_t b = mem_byte(g);
    uint64_t v;
    switch (b >> 6) {
    case 0: v = b & 63; break;
    case 1: v = size - (b & 31); break;
    case 2: v = size + (b & 31); break;
    default: v = edges[b % (sizeof edges / sizeof edges[0])]; break;
    }
    return is64 ? v : (uint32_t)v;
}

/* A constant of memory m's address type. */
static void mem_addr(mem_gen *g, const mem_model *m, uint64_t v)
{
    mem_put(g, m->is64 ? " (i64.const %llu)" : " (i32.const %llu)", (unsigned long long)v);
}

/* Whether [a + o, a + o + n) leaves m (the model's bounds check). */
static bool mem_oob(const mem_model *m, uint64_t a, uint64_t o, uint64_t n)
{
    uint64_t ea = a + o, size = m->pages * MEM_PAGE;
    return ea < a || ea > size || n > size - ea;
}

static void mem_fold(mem_gen *g, uint64_t v)
{
    g->acc = g->acc * 31 + v;
}

static void mem_memories(mem_gen *g)
{
    g->nmems = 1 + mem_byte(g) % 3;
    for (uint32_t i = 0; i < g->nmems; i++) {
        mem_model *m = &g->mems[i];
        uint8_t b = mem_byte(g);
        m->is64 = b & 1;
        m->pages = (b >> 1) % 3;
        bool has_max = b & 8;
        uint64_t max = m->pages + (b >> 4) % 3;
        m->max = has_max && max < MEM_STORE_PAGES ? max : MEM_STORE_PAGES;
        m->bytes = calloc(MEM_STORE_PAGES, MEM_PAGE);
        FUZZ_CHECK(m->bytes, "out of memory");
        mem_put(g, "(memory $m%u (export \"m%u\") %s %llu", i, i, m->is64 ? "i64" : "i32",
                (unsigned long long)m->pages);
        if (has_max)
            mem_put(g, " %llu", (unsigned long long)max);
        mem_put(g, ")\n");
        if (m->pages) {
            mem_put(g, "(data (memory $m%u)", i);
            mem_addr(g, m, 3 + i);
            mem_put(g, " \"\\%02x\\ff\")\n", 0x10 + i);
            m->bytes[3 + i] = (uint8_t)(0x10 + i);
            m->bytes[4 + i] = 0xff;
        }
    }
}

static uint64_t mem_load_le(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned k = n; k-- > 0;)
        v = v << 8 | p[k];
    return v;
}

static void mem_store_le(uint8_t *p, unsigned n, uint64_t v)
{
    for (unsigned k = 0; k < n; k++, v >>= 8)
        p[k] = (uint8_t)v;
}

/* One load or store, scalar (1, 2, 4, 8 bytes) or v128. */
static void mem_access(mem_gen *g, mem_model *m, uint32_t idx, bool store)
{
    static const char *loads[] = {"i64.load8_u", "i64.load16_u", "i64.load32_u", "i64.load"};
    static const char *stores[] = {"i64.store8", "i64.store16", "i64.store32", "i64.store"};
    uint8_t w = mem_byte(g) % 5;
    unsigned n = w == 4 ? 16 : 1u << w;
    uint64_t size = m->pages * MEM_PAGE;
    uint64_t a = mem_pick(g, size, m->is64), o = mem_pick(g, size, m->is64);
    uint64_t v = (uint64_t)mem_byte(g) * 0x0101010101010101u ^ 0x8040201008040201u;
    bool oob = mem_oob(m, a, o, n);
    if (store) {
        mem_put(g, "  (%s $m%u offset=%llu", w == 4 ? "v128.store" : stores[w], idx,
                (unsigned long long)o);
        mem_addr(g, m, a);
        if (w == 4)
            mem_put(g, " (v128.const i64x2 %llu %llu))\n", (unsigned long long)v,
                    (unsigned long long)~v);
        else
            mem_put(g, " (i64.const %llu))\n", (unsigned long long)v);
        if (!oob) {
            mem_store_le(m->bytes + a + o, n < 8 ? n : 8, v);
            if (n == 16)
                mem_store_le(m->bytes + a + o + 8, 8, ~v);
        }
    } else {
        mem_put(g, "  (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31))");
        if (w == 4)
            mem_put(g, " (i64x2.extract_lane 1 (v128.load $m%u offset=%llu", idx,
                    (unsigned long long)o);
        else
            mem_put(g, " (%s $m%u offset=%llu", loads[w], idx, (unsigned long long)o);
        mem_addr(g, m, a);
        mem_put(g, w == 4 ? "))))\n" : ")))\n");
        if (!oob)
            mem_fold(g, mem_load_le(m->bytes + a + o + (n == 16 ? 8 : 0), n < 8 ? n : 8));
    }
    g->trapped = oob;
}

/* memory.size or memory.grow, folded into the result. */
static void mem_size_grow(mem_gen *g, mem_model *m, uint32_t idx, bool grow)
{
    mem_put(g, "  (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31)) %s",
            m->is64 ? "" : "(i64.extend_i32_u ");
    uint64_t r = m->pages;
    if (grow) {
        uint8_t b = mem_byte(g);
        uint64_t d = b & 0x80 ? (m->is64 ? UINT64_C(1) << 40 : 0xffffffff) : b % 4;
        mem_put(g, "(memory.grow $m%u", idx);
        mem_addr(g, m, d);
        mem_put(g, ")");
        if (d > m->max - m->pages) {
            r = UINT64_MAX;
        } else {
            m->pages += d;
        }
    } else {
        mem_put(g, "(memory.size $m%u)", idx);
    }
    mem_put(g, m->is64 ? "))\n" : ")))\n");
    mem_fold(g, m->is64 ? r : (uint32_t)r);
}

static void mem_fill(mem_gen *g, mem_model *m, uint32_t idx)
{
    uint64_t size = m->pages * MEM_PAGE;
    uint64_t d = mem_pick(g, size, m->is64), n = mem_pick(g, size, m->is64) & 0x1ffff;
    uint8_t v = mem_byte(g);
    mem_put(g, "  (memory.fill $m%u", idx);
    mem_addr(g, m, d);
    mem_put(g, " (i32.const %u)", v);
    mem_addr(g, m, n);
    mem_put(g, ")\n");
    g->trapped = mem_oob(m, d, 0, n);
    if (!g->trapped)
        memset(m->bytes + d, v, n);
}

static void mem_copy(mem_gen *g, uint32_t di, uint32_t si)
{
    mem_model *dm = &g->mems[di], *sm = &g->mems[si];
    bool n64 = dm->is64 && sm->is64;
    uint64_t d = mem_pick(g, dm->pages * MEM_PAGE, dm->is64);
    uint64_t s = mem_pick(g, sm->pages * MEM_PAGE, sm->is64);
    uint64_t n = mem_pick(g, sm->pages * MEM_PAGE, n64) & 0x1ffff;
    mem_put(g, "  (memory.copy $m%u $m%u", di, si);
    mem_addr(g, dm, d);
    mem_addr(g, sm, s);
    mem_put(g, n64 ? " (i64.const %llu))\n" : " (i32.const %llu))\n", (unsigned long long)n);
    g->trapped = mem_oob(dm, d, 0, n) || mem_oob(sm, s, 0, n);
    if (!g->trapped)
        memmove(dm->bytes + d, sm->bytes + s, n);
}

static void mem_generate(mem_gen *g)
{
    mem_put(g, "(module\n");
    mem_memories(g);
    mem_put(g, "(func (export \"run\") (result i64) (local $acc i64)\n");
    for (int k = 0; k < MEM_MAX_OPS && g->p < g->end && !g->trapped; k++) {
        uint8_t b = mem_byte(g);
        uint32_t idx = (b >> 3) % g->nmems;
        mem_model *m = &g->mems[idx];
        switch (b & 7) {
        case 0: case 1: mem_access(g, m, idx, false); break;
        case 2: case 3: mem_access(g, m, idx, true); break;
        case 4: mem_size_grow(g, m, idx, false); break;
        case 5: mem_size_grow(g, m, idx, true); break;
        case 6: mem_fill(g, m, idx); break;
        default: mem_copy(g, idx, (b >> 5) % g->nmems); break;
        }
    }
    mem_put(g, "  (local.get $acc)))\n");
}

/* The module from its binary, run once; compare with the model. */
static void mem_run(mem_gen *g, const lw_module *m)
{
    lw_error err;
    lw_store_limits lim = {.max_memory_pages = MEM_STORE_PAGES,
                           .max_stack_bytes = 64 * 1024};
    lw_store *s = lw_store_new(&lim);
    FUZZ_CHECK(s, "no store");
    lw_instance *inst = lw_instantiate(s, m, NULL, 0, &err);
    FUZZ_CHECK(inst, "instantiate: %s\n%s", err.message, g->wat.s);
    lw_extern ext;
    FUZZ_CHECK(lw_instance_export(inst, "run", &ext), "no export run");
    lw_val res;
    int rc = lw_func_call(s, ext.of.func, NULL, 0, &res, 1, &err);
    FUZZ_CHECK((rc != 0) == g->trapped, "%s, the model %s\n%s",
               rc ? err.message : "returned", g->trapped ? "traps" : "returns", g->wat.s);
    if (rc)
        FUZZ_CHECK(strcmp(err.message, "out of bounds memory access") == 0, "trap: %s",
                   err.message);
    else
        FUZZ_CHECK((uint64_t)res.of.i64 == g->acc, "result %llx, the model %llx\n%s",
                   (unsigned long long)res.of.i64, (unsigned long long)g->acc, g->wat.s);
    for (uint32_t i = 0; i < g->nmems; i++) {
        char name[16];
        snprintf(name, sizeof name, "m%u", i);
        FUZZ_CHECK(lw_instance_export(inst, name, &ext), "no export %s", name);
        const mem_model *mm = &g->mems[i];
        FUZZ_CHECK(lw_memory_pages(ext.of.memory) == mm->pages, "memory %u: %llu pages, "
                   "the model %llu", i, (unsigned long long)lw_memory_pages(ext.of.memory),
                   (unsigned long long)mm->pages);
        FUZZ_CHECK(lw_memory_type(ext.of.memory).is64 == mm->is64, "memory %u: type", i);
        FUZZ_CHECK(mm->pages == 0 ||
                   memcmp(lw_memory_data(ext.of.memory), mm->bytes, mm->pages * MEM_PAGE) == 0,
                   "memory %u: bytes differ from the model\n%s", i, g->wat.s);
    }
    lw_store_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mem_gen g;
    memset(&g, 0, sizeof g);
    g.p = data;
    g.end = data + size;
    mem_generate(&g);

    lw_module *m = fuzz_load_text(&g.wat, lw_features_all());
    mem_run(&g, m);
    lw_module_free(m);
    for (uint32_t i = 0; i < g.nmems; i++)
        free(g.mems[i].bytes);
    return 0;
}
