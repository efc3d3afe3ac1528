/* Text format over the spec suite: every module command parses, every
 * text assert_malformed fails with the suite's message, and every parsed
 * (or decoded) module survives encode -> decode unchanged.  Modules are read
 * with the Wasm 2.0 features, those of the suite (memory64 would accept
 * bounds it calls malformed).
 *
 *   textsuite [-v] [-m] [-o DIR] FILE.wast...
 *   textsuite -c PAIRS
 *
 * -m also parses damaged copies of every text module (cut short, a byte
 *    replaced): they must fail cleanly or parse, never crash (run it under
 *    the sanitizers).
 * -o DIR writes each encoded text module as DIR/BASE.LINE.wasm (for peers).
 * -c reads lines "A.wasm B.wasm", decodes both binaries of each and
 * compares them, names and custom sections aside (ours against wat2wasm's);
 * B also goes through encode -> decode unchanged.
 * Prints counts and, last, "N passed, M failed". */
#include "libwasm-tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int verbose;
static int mutate;
static unsigned mutated;
static const char *outdir;
static const char *cur_file;

typedef struct {
    unsigned parse_ok, parse_fail;
    unsigned malformed_ok, malformed_fail;
    unsigned rt_ok, rt_fail;
    unsigned bin_rt_ok, bin_rt_fail;
} counts;

static counts total;

/* ---- module comparison ------------------------------------------------------ */

static char diff[320];

#define DIFF(...) (snprintf(diff, sizeof diff, __VA_ARGS__), false)

static bool str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool expr_eq(const lw_expr *a, const lw_expr *b)
{
    return a->len == b->len && memcmp(a->code, b->code, a->len) == 0;
}

static bool limits_eq(const lw_limits *a, const lw_limits *b)
{
    return a->min == b->min && a->has_max == b->has_max && (!a->has_max || a->max == b->max);
}

static bool namemap_eq(const lw_namemap *a, const lw_namemap *b)
{
    if (a->count != b->count)
        return false;
    for (uint32_t i = 0; i < a->count; i++)
        if (a->names[i].index != b->names[i].index || !str_eq(a->names[i].name, b->names[i].name))
            return false;
    return true;
}

static bool names_eq(const lw_names *a, const lw_names *b)
{
    if (!str_eq(a->module, b->module))
        return DIFF("module name");
    const lw_namemap *ma[] = {&a->funcs, &a->types, &a->tables, &a->memories, &a->globals,
                                &a->elems, &a->datas};
    const lw_namemap *mb[] = {&b->funcs, &b->types, &b->tables, &b->memories, &b->globals,
                                &b->elems, &b->datas};
    for (size_t i = 0; i < sizeof ma / sizeof ma[0]; i++)
        if (!namemap_eq(ma[i], mb[i]))
            return DIFF("name map %zu", i);
    const lw_indirect_namemap *ia[] = {&a->locals, &a->labels}, *ib[] = {&b->locals, &b->labels};
    for (size_t k = 0; k < 2; k++) {
        if (ia[k]->count != ib[k]->count)
            return DIFF("%s names count %u vs %u", k ? "label" : "local", ia[k]->count,
                        ib[k]->count);
        for (uint32_t i = 0; i < ia[k]->count; i++)
            if (ia[k]->entries[i].index != ib[k]->entries[i].index ||
                !namemap_eq(&ia[k]->entries[i].map, &ib[k]->entries[i].map))
                return DIFF("%s names of %u", k ? "label" : "local", ia[k]->entries[i].index);
    }
    return true;
}

static bool imports_eq(const lw_module *a, const lw_module *b)
{
    if (a->nimports != b->nimports)
        return DIFF("import count");
    for (uint32_t i = 0; i < a->nimports; i++) {
        const lw_import *x = &a->imports[i], *y = &b->imports[i];
        if (!str_eq(x->module, y->module) || !str_eq(x->name, y->name) || x->kind != y->kind)
            return DIFF("import %u", i);
        bool same = x->kind == LW_EXTERN_FUNC ? x->desc.func == y->desc.func
                  : x->kind == LW_EXTERN_TABLE ? x->desc.table.reftype == y->desc.table.reftype &&
                                                   limits_eq(&x->desc.table.limits, &y->desc.table.limits)
                  : x->kind == LW_EXTERN_MEMORY ? limits_eq(&x->desc.memory, &y->desc.memory)
                  : x->desc.global.type == y->desc.global.type && x->desc.global.mut == y->desc.global.mut;
        if (!same)
            return DIFF("import %u description", i);
    }
    return true;
}

static bool spaces_eq(const lw_module *a, const lw_module *b)
{
    if (a->nfuncs != b->nfuncs || a->nfunc_imports != b->nfunc_imports ||
        a->ntables != b->ntables || a->ntable_imports != b->ntable_imports ||
        a->nmems != b->nmems || a->nmem_imports != b->nmem_imports ||
        a->nglobals != b->nglobals || a->nglobal_imports != b->nglobal_imports)
        return DIFF("index space sizes");
    for (uint32_t i = 0; i < a->nfuncs; i++)
        if (a->func_types[i] != b->func_types[i])
            return DIFF("type of function %u", i);
    for (uint32_t i = 0; i < a->ntables; i++)
        if (a->tables[i].reftype != b->tables[i].reftype ||
            !limits_eq(&a->tables[i].limits, &b->tables[i].limits))
            return DIFF("table %u", i);
    for (uint32_t i = 0; i < a->nmems; i++)
        if (!limits_eq(&a->mems[i], &b->mems[i]))
            return DIFF("memory %u", i);
    for (uint32_t i = 0; i < a->nglobals; i++)
        if (a->globals[i].type != b->globals[i].type || a->globals[i].mut != b->globals[i].mut)
            return DIFF("global %u", i);
    for (uint32_t i = 0; i < a->nfuncs; i++)
        if (((a->declared_funcs[i / 8] ^ b->declared_funcs[i / 8]) >> (i % 8)) & 1)
            return DIFF("declared function %u", i);
    return true;
}

static bool codes_eq(const lw_module *a, const lw_module *b)
{
    if (a->ncodes != b->ncodes)
        return DIFF("code count");
    for (uint32_t i = 0; i < a->ncodes; i++) {
        const lw_code *x = &a->codes[i], *y = &b->codes[i];
        if (x->type != y->type || x->nlocals != y->nlocals || x->nlocalgroups != y->nlocalgroups)
            return DIFF("function %u header", i);
        for (uint32_t g = 0; g < x->nlocalgroups; g++)
            if (x->localgroups[g].count != y->localgroups[g].count ||
                x->localgroups[g].type != y->localgroups[g].type)
                return DIFF("function %u locals", i);
        if (!expr_eq(&x->body, &y->body))
            return DIFF("function %u body", i);
    }
    if (a->nglobaldefs != b->nglobaldefs)
        return DIFF("global count");
    for (uint32_t i = 0; i < a->nglobaldefs; i++)
        if (!expr_eq(&a->globaldefs[i].init, &b->globaldefs[i].init))
            return DIFF("global %u init", i);
    return true;
}

/* Comparing with another encoder: segment flags may differ, and an item
 * may be a function index or the expression (ref.func i). */
static bool loose;

static size_t elem_item(const lw_elem *e, uint32_t k, uint8_t *buf)
{
    if (e->exprs) {
        size_t n = e->exprs[k].len < 16 ? e->exprs[k].len : 16;
        memcpy(buf, e->exprs[k].code, n);
        return n;
    }
    size_t n = 0;
    uint32_t v = e->funcs[k];
    buf[n++] = 0xd2;
    do {
        buf[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    buf[n++] = 0x0b;
    return n;
}

static bool elem_loose_eq(const lw_elem *x, const lw_elem *y)
{
    if (x->mode != y->mode || x->table != y->table || x->count != y->count ||
        (x->mode == LW_SEG_ACTIVE && !expr_eq(&x->offset, &y->offset)))
        return false;
    for (uint32_t k = 0; k < x->count; k++) {
        uint8_t a[16], b[16];
        size_t na = elem_item(x, k, a), nb = elem_item(y, k, b);
        if (na != nb || memcmp(a, b, na) != 0)
            return false;
    }
    return true;
}

static bool segments_eq(const lw_module *a, const lw_module *b)
{
    if (a->nelems != b->nelems)
        return DIFF("elem count");
    for (uint32_t i = 0; i < a->nelems; i++) {
        const lw_elem *x = &a->elems[i], *y = &b->elems[i];
        if (loose) {
            if (!elem_loose_eq(x, y))
                return DIFF("elem %u", i);
            continue;
        }
        if (x->flags != y->flags || x->mode != y->mode || x->reftype != y->reftype ||
            x->table != y->table || x->count != y->count ||
            (x->mode == LW_SEG_ACTIVE && !expr_eq(&x->offset, &y->offset)))
            return DIFF("elem %u", i);
        for (uint32_t k = 0; k < x->count; k++)
            if (x->exprs ? !y->exprs || !expr_eq(&x->exprs[k], &y->exprs[k])
                         : !y->funcs || x->funcs[k] != y->funcs[k])
                return DIFF("elem %u item %u", i, k);
    }
    if (a->ndatas != b->ndatas)
        return DIFF("data count");
    for (uint32_t i = 0; i < a->ndatas; i++) {
        const lw_data *x = &a->datas[i], *y = &b->datas[i];
        if (x->mode != y->mode || x->memory != y->memory || x->len != y->len ||
            memcmp(x->bytes, y->bytes, x->len) != 0 ||
            (x->mode == LW_SEG_ACTIVE && !expr_eq(&x->offset, &y->offset)))
            return DIFF("data %u", i);
    }
    if (a->has_datacount != b->has_datacount || (a->has_datacount && a->datacount != b->datacount))
        return DIFF("data count section");
    return true;
}

static bool modules_eq(const lw_module *a, const lw_module *b)
{
    if (a->ntypes != b->ntypes)
        return DIFF("type count %u vs %u", a->ntypes, b->ntypes);
    for (uint32_t i = 0; i < a->ntypes; i++)
        if (!lw_functype_equal(&a->types[i], &b->types[i]))
            return DIFF("type %u", i);
    if (!imports_eq(a, b) || !spaces_eq(a, b) || !codes_eq(a, b) || !segments_eq(a, b))
        return false;
    if (a->nexports != b->nexports)
        return DIFF("export count");
    for (uint32_t i = 0; i < a->nexports; i++)
        if (!str_eq(a->exports[i].name, b->exports[i].name) ||
            a->exports[i].kind != b->exports[i].kind || a->exports[i].index != b->exports[i].index)
            return DIFF("export %u", i);
    if (a->has_start != b->has_start || (a->has_start && a->start != b->start))
        return DIFF("start");
    return names_eq(&a->names, &b->names);
}

/* ---- per command ------------------------------------------------------------ */

static void write_wasm(const uint8_t *bytes, size_t len, uint32_t line)
{
    char path[4096];
    const char *base = strrchr(cur_file, '/');
    base = base ? base + 1 : cur_file;
    snprintf(path, sizeof path, "%s/%.*s.%u.wasm", outdir, (int)strcspn(base, "."), base, line);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(bytes, 1, len, f);
        fclose(f);
    }
}

/* encode m, decode the bytes, compare. */
static bool roundtrip(const lw_module *m, bool write, uint32_t line)
{
    uint8_t *bytes;
    size_t len;
    lw_error err;
    if (lw_module_encode(m, &bytes, &len, &err) < 0) {
        snprintf(diff, sizeof diff, "encode: %s", err.message);
        return false;
    }
    if (write && outdir)
        write_wasm(bytes, len, line);
    lw_module *back = lw_module_decode(bytes, len, m->features, &err);
    free(bytes);
    if (!back) {
        snprintf(diff, sizeof diff, "decode: %s", err.message);
        return false;
    }
    bool same = modules_eq(m, back);
    lw_module_free(back);
    return same;
}

static const char *kind_name(uint8_t kind)
{
    static const char *const names[] = {"module", "register", "action", "assert_return",
                                        "assert_trap", "assert_exhaustion", "assert_invalid",
                                        "assert_malformed", "assert_unlinkable",
                                        "assert_uninstantiable"};
    return kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

/* Does an export or import name in the source hold U+0000?  Such names
 * do not fit the module's NUL-terminated strings, so two of them may
 * collide: peers would rightly reject our encoding. */
static bool name_has_nul(const char *src, size_t len)
{
    static const char *const keys[] = {"(export \"", "(import \""};
    for (size_t k = 0; k < 2; k++) {
        size_t kl = strlen(keys[k]);
        for (const char *p = src; p + kl <= src + len; p++) {
            if (memcmp(p, keys[k], kl) != 0)
                continue;
            for (const char *q = p + kl; q + 2 < src + len && *q != '"'; q++) {
                if (*q != '\\')
                    continue;
                if (q[1] == '0' && q[2] == '0')
                    return true;
                q++;
            }
        }
    }
    return false;
}

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return rng_state >> 8;
}

/* Damaged copies: cut at a random point, or one byte replaced by a
 * character that matters to the lexer. */
static void run_mutations(const lw_command *c)
{
    static const char chars[] = "()\";$0 a\\-_.:=x\n@";
    size_t len = c->module.len;
    char *buf = malloc(len + 1);
    for (int k = 0; k < 16 && len > 0; k++) {
        memcpy(buf, c->module.src, len);
        size_t at = rng() % len, n = len;
        if (k % 2)
            n = at;
        else
            buf[at] = chars[rng() % (sizeof chars - 1)];
        lw_error err;
        lw_module *m = lw_module_parse_text(buf, n, lw_features_wasm2(), &err);
        lw_module_free(m);
        mutated++;
    }
    free(buf);
}

static void run_text(const char *file, const lw_command *c, counts *n)
{
    if (mutate)
        run_mutations(c);
    lw_error err;
    lw_module *m = lw_module_parse_text(c->module.src, c->module.len,
                                        lw_features_wasm2(), &err);
    if (c->kind == LW_CMD_ASSERT_MALFORMED) {
        if (!m && strstr(err.message, c->text)) {
            n->malformed_ok++;
        } else {
            n->malformed_fail++;
            printf("FAIL %s:%u: assert_malformed: want \"%s\", got %s%s\n", file, c->line,
                   c->text, m ? "success" : "", m ? "" : err.message);
        }
        lw_module_free(m);
        return;
    }
    if (!m) {
        n->parse_fail++;
        printf("FAIL %s:%u: %s: %u:%u: %s\n", file, c->line, kind_name(c->kind), err.line,
               err.column, err.message);
        return;
    }
    n->parse_ok++;
    bool write = c->kind != LW_CMD_ASSERT_INVALID;
    if (write && outdir && name_has_nul(c->module.src, c->module.len)) {
        printf("SKIP: %s:%u: a name holds U+0000; not checked by peers\n", file, c->line);
        write = false;
    }
    if (roundtrip(m, write, c->module.line)) {
        n->rt_ok++;
    } else {
        n->rt_fail++;
        printf("FAIL %s:%u: roundtrip: %s\n", file, c->line, diff);
    }
    lw_module_free(m);
}

static void run_binary(const char *file, const lw_command *c, counts *n)
{
    lw_error err;
    lw_module *m = lw_module_decode((const uint8_t *)c->module.src, c->module.len,
                                    lw_features_wasm2(), &err);
    if (!m)
        return;
    if (roundtrip(m, false, 0)) {
        n->bin_rt_ok++;
    } else {
        n->bin_rt_fail++;
        printf("FAIL %s:%u: binary roundtrip: %s\n", file, c->line, diff);
    }
    lw_module_free(m);
}

static int run_file(const char *file)
{
    uint8_t *data;
    size_t len;
    lw_error err;
    if (lw_read_file(file, &data, &len, &err) < 0) {
        printf("FAIL %s: %s\n", file, err.message);
        return -1;
    }
    cur_file = file;
    for (int k = 0; mutate && k < 8 && len > 0; k++) {
        size_t at = rng() % len;
        uint8_t saved = data[at];
        data[at] = (uint8_t)"()\";"[k % 4];
        lw_script_free(lw_script_parse((const char *)data, k % 2 ? at : len, &err));
        data[at] = saved;
        mutated++;
    }
    lw_script *s = lw_script_parse((const char *)data, len, &err);
    free(data);
    if (!s) {
        printf("FAIL %s:%u:%u: script: %s\n", file, err.line, err.column, err.message);
        return -1;
    }
    counts n = {0};
    for (uint32_t i = 0; i < s->ncommands; i++) {
        const lw_command *c = &s->commands[i];
        if (!c->has_module)
            continue;
        if (c->module.kind == LW_MODSRC_BINARY)
            run_binary(file, c, &n);
        else
            run_text(file, c, &n);
    }
    if (verbose)
        printf("%s: parse %u/%u malformed %u/%u roundtrip %u/%u\n", file, n.parse_ok,
               n.parse_ok + n.parse_fail, n.malformed_ok, n.malformed_ok + n.malformed_fail,
               n.rt_ok, n.rt_ok + n.rt_fail);
    total.parse_ok += n.parse_ok;
    total.parse_fail += n.parse_fail;
    total.malformed_ok += n.malformed_ok;
    total.malformed_fail += n.malformed_fail;
    total.rt_ok += n.rt_ok;
    total.rt_fail += n.rt_fail;
    total.bin_rt_ok += n.bin_rt_ok;
    total.bin_rt_fail += n.bin_rt_fail;
    lw_script_free(s);
    return 0;
}

static lw_module *load(const char *path)
{
    lw_error err;
    lw_module *m = lw_module_load_file(path, lw_features_wasm2(), &err);
    if (!m)
        printf("%s: %s\n", path, err.message);
    return m;
}

/* Compare two binaries; names and customs are not compared. */
static bool compare_files(const char *a, const char *b)
{
    lw_module *x = load(a), *y = load(b);
    bool same = false;
    if (x && y) {
        memset(&x->names, 0, sizeof x->names);
        memset(&y->names, 0, sizeof y->names);
        same = modules_eq(x, y);
        if (!same)
            printf("FAIL %s vs %s: %s\n", a, b, diff);
    }
    lw_module_free(x);
    lw_module_free(y);
    return same;
}

static int compare_pairs(const char *list)
{
    FILE *f = fopen(list, "r");
    if (!f) {
        perror(list);
        return 2;
    }
    char a[4096], b[4096];
    unsigned same = 0, differ = 0;
    while (fscanf(f, "%4095s %4095s", a, b) == 2) {
        loose = true;
        bool ok = compare_files(a, b);
        /* wat2wasm's binary through our encoder and back, strictly. */
        loose = false;
        lw_module *theirs = load(b);
        if (theirs && !roundtrip(theirs, false, 0)) {
            printf("FAIL %s: re-encoded: %s\n", b, diff);
            ok = false;
        }
        lw_module_free(theirs);
        if (ok)
            same++;
        else
            differ++;
    }
    fclose(f);
    printf("wat2wasm: %u same, %u differ\n", same, differ);
    return differ ? 1 : 0;
}

int main(int argc, char **argv)
{
    int opt, script_fail = 0;
    while ((opt = getopt(argc, argv, "vmo:c:")) != -1) {
        if (opt == 'v')
            verbose = 1;
        else if (opt == 'm')
            mutate = 1;
        else if (opt == 'o')
            outdir = optarg;
        else if (opt == 'c')
            return compare_pairs(optarg);
        else
            return 2;
    }
    for (int i = optind; i < argc; i++)
        script_fail += run_file(argv[i]) < 0;
    printf("scripts: %d parsed, %d failed\n", argc - optind - script_fail, script_fail);
    printf("modules: %u parsed, %u failed\n", total.parse_ok, total.parse_fail);
    printf("assert_malformed (text): %u rejected with the message, %u not\n",
           total.malformed_ok, total.malformed_fail);
    printf("roundtrip (text): %u equal, %u differ\n", total.rt_ok, total.rt_fail);
    printf("roundtrip (binary): %u equal, %u differ\n", total.bin_rt_ok, total.bin_rt_fail);
    if (mutate)
        printf("damaged copies parsed or rejected: %u\n", mutated);
    unsigned pass = (unsigned)(argc - optind - script_fail) + total.parse_ok +
                    total.malformed_ok + total.rt_ok + total.bin_rt_ok;
    unsigned fail = (unsigned)script_fail + total.parse_fail + total.malformed_fail +
                    total.rt_fail + total.bin_rt_fail;
    printf("%u passed, %u failed\n", pass, fail);
    return fail ? 1 : 0;
}
