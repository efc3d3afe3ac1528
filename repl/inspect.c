/* Looking inside: exports, imports, types, disassembly, memory, globals,
 * tables. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl.h"

#define MEM_DEFAULT_LEN 64
#define TABLE_SHOW_MAX 32

static void print_limits(const lw_limits *l, const char *unit)
{
    if (l->is64)
        printf("i64, ");
    printf("min %llu%s", (unsigned long long)l->min, unit);
    if (l->has_max)
        printf(", max %llu", (unsigned long long)l->max);
}

/* One line about an export: "func add(i32, i32) -> i32", ... */
static void describe(repl *r, const char *name, const lw_extern *ext)
{
    char buf[512];
    switch (ext->kind) {
    case LW_EXTERN_FUNC:
        repl_format_functype(lw_func_type(ext->of.func), buf, sizeof buf);
        printf("func %s%s\n", name, buf);
        break;
    case LW_EXTERN_MEMORY: {
        lw_limits l = lw_memory_type(ext->of.memory);
        unsigned long long pages = (unsigned long long)lw_memory_pages(ext->of.memory);
        printf("memory %s: %llu page%s (", name, pages, pages == 1 ? "" : "s");
        print_limits(&l, "");
        printf(")\n");
        break;
    }
    case LW_EXTERN_TABLE: {
        lw_tabletype t = lw_table_type(ext->of.table);
        printf("table %s: %s, %llu element%s (", name, repl_type_name(t.reftype),
               (unsigned long long)lw_table_size(ext->of.table),
               lw_table_size(ext->of.table) == 1 ? "" : "s");
        print_limits(&t.limits, "");
        printf(")\n");
        break;
    }
    case LW_EXTERN_GLOBAL: {
        lw_globaltype t = lw_global_type(ext->of.global);
        lw_val v = lw_global_get(ext->of.global);
        repl_val_text(r, &v, buf, sizeof buf);
        printf("global %s: %s%s = %s\n", name, t.mut ? "mut " : "",
               repl_type_name(t.type), buf);
        break;
    }
    }
}

void repl_cmd_exports(repl *r, int argc, char **argv, char *rest)
{
    repl_inst *it = repl_current(r, true);
    if (!it)
        return;
    if (!it->module->nexports)
        printf("%s has no exports\n", it->name);
    for (uint32_t i = 0; i < it->module->nexports; i++) {
        lw_extern ext;
        const char *name = it->module->exports[i].name;
        if (lw_instance_export(it->inst, name, &ext))
            describe(r, name, &ext);
    }
}

static void describe_import(const lw_module *m, const lw_import *im)
{
    char buf[512];
    printf("%s %s.%s", lw_externkind_name(im->kind), im->module, im->name);
    switch (im->kind) {
    case LW_EXTERN_FUNC:
        repl_format_functype(&m->types[im->desc.func], buf, sizeof buf);
        printf("%s", buf);
        break;
    case LW_EXTERN_MEMORY:
        printf(": ");
        print_limits(&im->desc.memory, "");
        break;
    case LW_EXTERN_TABLE:
        printf(": %s, ", repl_type_name(im->desc.table.reftype));
        print_limits(&im->desc.table.limits, "");
        break;
    case LW_EXTERN_GLOBAL:
        printf(": %s%s", im->desc.global.mut ? "mut " : "",
               repl_type_name(im->desc.global.type));
        break;
    }
    printf("\n");
}

void repl_cmd_imports(repl *r, int argc, char **argv, char *rest)
{
    repl_inst *it = repl_current(r, true);
    if (!it)
        return;
    if (!it->module->nimports)
        printf("%s has no imports\n", it->name);
    for (uint32_t i = 0; i < it->module->nimports; i++)
        describe_import(it->module, &it->module->imports[i]);
}

/* The export NAME of the current instance, of `kind` (or any kind: -1). */
static bool find_export(repl *r, int argc, char **argv, int kind, lw_extern *ext)
{
    repl_inst *it = repl_current(r, true);
    if (!it)
        return false;
    if (argc < 2) {
        repl_error(r, "see :help", "which export? Give its name");
        return false;
    }
    if (!lw_instance_export(it->inst, argv[1], ext)) {
        repl_error(r, "see :exports", "no export '%s' in %s", argv[1], it->name);
        return false;
    }
    if (kind >= 0 && ext->kind != kind) {
        repl_error(r, "see :exports", "'%s' is a %s, not a %s", argv[1],
                   lw_externkind_name(ext->kind), lw_externkind_name((uint8_t)kind));
        return false;
    }
    return true;
}

void repl_cmd_type(repl *r, int argc, char **argv, char *rest)
{
    lw_extern ext;
    if (argc > 2)
        repl_error(r, "usage: :type NAME", "wrong arguments to :type");
    else if (find_export(r, argc, argv, -1, &ext))
        describe(r, argv[1], &ext);
}

/* ---- :dis ---- */

static const char *dis_name(void *user, int kind, uint32_t index)
{
    const lw_module *m = user;
    switch (kind) {
    case LW_PRINT_FUNC: return lw_module_func_name(m, index);
    case LW_PRINT_GLOBAL: return lw_namemap_get(&m->names.globals, index);
    case LW_PRINT_TABLE: return lw_namemap_get(&m->names.tables, index);
    case LW_PRINT_TYPE: return lw_namemap_get(&m->names.types, index);
    case LW_PRINT_TAG: return lw_namemap_get(&m->names.tags, index);
    default: return NULL;
    }
}

/* NAME (an exported function) or a function index. */
static bool dis_target(repl *r, repl_inst *it, const char *arg, uint32_t *func)
{
    const lw_module *m = it->module;
    char *end;
    errno = 0;
    unsigned long n = strtoul(arg, &end, 0);
    if (isdigit((unsigned char)arg[0]) && !*end && !errno) {
        if (n >= m->nfuncs) {
            repl_error(r, NULL, "unknown function %lu (%s has %u)", n, it->name, m->nfuncs);
            return false;
        }
        *func = (uint32_t)n;
        return true;
    }
    const lw_export *e = lw_module_find_export(m, arg);
    if (!e || e->kind != LW_EXTERN_FUNC) {
        repl_error(r, "see :exports", e ? "'%s' is not a function" : "no export '%s'", arg);
        return false;
    }
    *func = e->index;
    return true;
}

static void dis_locals(const lw_code *c)
{
    if (!c->nlocalgroups)
        return;
    printf("  locals:");
    for (uint32_t g = 0; g < c->nlocalgroups; g++)
        printf("%s %u %s", g ? "," : "", c->localgroups[g].count,
               repl_type_name(c->localgroups[g].type));
    printf("\n");
}

static void dis_body(repl *r, const lw_module *m, const lw_code *c)
{
    lw_instr_iter it;
    lw_instr_line line;
    lw_error err;
    lw_error_clear(&err);
    lw_instr_iter_init(&it, c->body.code, c->body.len, c->body.offset);
    it.name = dis_name;
    it.user = (void *)m;
    it.hints = c->hints;
    it.nhints = c->nhints;
    int rc;
    while ((rc = lw_instr_iter_next(&it, &line, &err)) == 1) {
        if (c->body.offset)
            printf(" %06x:", line.offset);
        printf(" %*s%s\n", (int)(2 * line.depth + 1), "", line.text);
    }
    lw_instr_iter_free(&it);
    if (rc < 0)
        repl_lib_error(r, "dis", &err, NULL);
}

void repl_cmd_dis(repl *r, int argc, char **argv, char *rest)
{
    repl_inst *it = repl_current(r, true);
    uint32_t func;
    if (!it)
        return;
    if (argc != 2) {
        repl_error(r, "usage: :dis NAME|INDEX", "wrong arguments to :dis");
        return;
    }
    if (!dis_target(r, it, argv[1], &func))
        return;
    const lw_module *m = it->module;
    const char *name = lw_module_func_name(m, func);
    if (func < m->nfunc_imports) {
        repl_error(r, NULL, "function %u (%s) is imported: it has no code here", func,
                   name ? name : "?");
        return;
    }
    char sig[512];
    repl_format_functype(lw_module_func_type(m, func), sig, sizeof sig);
    printf("func[%u] %s%s:\n", func, name ? name : "", sig);
    const lw_code *c = &m->codes[func - m->nfunc_imports];
    dis_locals(c);
    dis_body(r, m, c);
}

/* ---- :mem ---- */

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    *out = strtoull(s, &end, 0);
    return isdigit((unsigned char)*s) && !*end && !errno;
}

/* The memory named, or the first exported one. */
static lw_memory *find_memory(repl *r, const char *name)
{
    repl_inst *it = repl_current(r, true);
    if (!it)
        return NULL;
    for (uint32_t i = 0; i < it->module->nexports; i++) {
        const lw_export *e = &it->module->exports[i];
        lw_extern ext;
        if (e->kind == LW_EXTERN_MEMORY && (!name || strcmp(e->name, name) == 0) &&
            lw_instance_export_n(it->inst, e->name, e->name_len, &ext))
            return ext.of.memory;
    }
    if (name)
        repl_error(r, "see :exports", "no memory '%s' in %s", name, it->name);
    else
        repl_error(r, NULL, "%s exports no memory", it->name);
    return NULL;
}

static void hexdump(const uint8_t *p, uint64_t addr, uint64_t len)
{
    for (uint64_t off = 0; off < len; off += 16) {
        printf("%08llx ", (unsigned long long)(addr + off));
        for (unsigned i = 0; i < 16; i++) {
            if (i == 8)
                printf(" ");
            if (off + i < len)
                printf(" %02x", p[off + i]);
            else
                printf("   ");
        }
        printf("  |");
        for (unsigned i = 0; i < 16 && off + i < len; i++)
            putchar(p[off + i] >= 0x20 && p[off + i] < 0x7f ? p[off + i] : '.');
        printf("|\n");
    }
}

void repl_cmd_mem(repl *r, int argc, char **argv, char *rest)
{
    int a = 1;
    uint64_t addr = 0, len = MEM_DEFAULT_LEN;
    const char *name = argc > 1 && !isdigit((unsigned char)argv[1][0]) ? argv[a++] : NULL;
    if (argc - a > 2 || (argc > a && !parse_u64(argv[a], &addr)) ||
        (argc > a + 1 && !parse_u64(argv[a + 1], &len))) {
        repl_error(r, "usage: :mem [MEMORY] [ADDR [LEN]], numbers in decimal or 0x hex",
                   "bad arguments to :mem");
        return;
    }
    lw_memory *mem = find_memory(r, name);
    if (!mem)
        return;
    uint64_t size = lw_memory_size(mem);
    if (addr >= size && !(addr == 0 && size == 0)) {
        repl_error(r, NULL, "address 0x%llx is out of bounds (memory is %llu bytes)",
                   (unsigned long long)addr, (unsigned long long)size);
        return;
    }
    if (len > size - addr)
        len = size - addr;
    hexdump(lw_memory_data(mem) + addr, addr, len);
}

/* ---- :global ---- */

static int global_set(repl *r, const char *name, lw_global *g, const char *text)
{
    lw_globaltype t = lw_global_type(g);
    lw_val v;
    lw_error err;
    lw_error_clear(&err);
    if (!t.mut) {
        repl_error(r, NULL, "global '%s' is immutable", name);
        return -1;
    }
    if (t.type == LW_FUNCREF && strcmp(text, "null") != 0) {
        repl_error(r, NULL, "a funcref global can only be set to null here");
        return -1;
    }
    if (lw_val_parse(text, t.type, &v, &err) < 0 || lw_global_set(g, v) < 0) {
        repl_lib_error(r, name, &err, NULL);
        return -1;
    }
    return 0;
}

void repl_cmd_global(repl *r, int argc, char **argv, char *rest)
{
    char *eq = strchr(rest, '=');
    char *words[3] = {argv[0]};
    if (eq) {
        *eq = 0;
        int n = repl_split(r, rest, words + 1, 2);
        if (n < 0)
            return;
        argc = 1 + n;
        argv = words;
        if (argc != 2) {
            repl_error(r, "usage: :global NAME [= VALUE]", "wrong arguments to :global");
            return;
        }
    } else if (argc != 2) {
        repl_error(r, "usage: :global NAME [= VALUE]", "wrong arguments to :global");
        return;
    }
    lw_extern ext;
    if (!find_export(r, argc, argv, LW_EXTERN_GLOBAL, &ext))
        return;
    if (eq) {
        char *value = eq + 1 + strspn(eq + 1, " \t");
        if (!*value) {
            repl_error(r, "usage: :global NAME = VALUE", "no value given");
            return;
        }
        if (global_set(r, argv[1], ext.of.global, value) < 0)
            return;
    }
    describe(r, argv[1], &ext);
}

/* ---- :table ---- */

static void table_elem(repl *r, lw_table *t, uint64_t i)
{
    lw_val v;
    char buf[256];
    if (lw_table_get(t, i, &v) < 0) {
        repl_error(r, NULL, "index %llu is out of bounds (size %llu)",
                   (unsigned long long)i, (unsigned long long)lw_table_size(t));
        return;
    }
    repl_val_text(r, &v, buf, sizeof buf);
    printf("  %llu: %s\n", (unsigned long long)i, buf);
}

void repl_cmd_table(repl *r, int argc, char **argv, char *rest)
{
    lw_extern ext;
    uint64_t index;
    if (argc > 3 || (argc == 3 && !parse_u64(argv[2], &index))) {
        repl_error(r, "usage: :table NAME [INDEX]", "bad arguments to :table");
        return;
    }
    if (!find_export(r, argc, argv, LW_EXTERN_TABLE, &ext))
        return;
    if (argc == 3) {
        table_elem(r, ext.of.table, index);
        return;
    }
    describe(r, argv[1], &ext);
    uint64_t size = lw_table_size(ext.of.table);
    for (uint64_t i = 0; i < size && i < TABLE_SHOW_MAX; i++)
        table_elem(r, ext.of.table, i);
    if (size > TABLE_SHOW_MAX)
        printf("  ... %llu more (:table %s INDEX)\n",
               (unsigned long long)(size - TABLE_SHOW_MAX), argv[1]);
}
