/* Modules and instances: loading, naming, :use, :register, :wasi. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl.h"

static bool grow(void **items, uint32_t n, size_t size)
{
    void *p = realloc(*items, (n + 1) * size);
    if (p)
        *items = p;
    return p != NULL;
}

static int new_wasi(repl *r, const wasi_config *cfg)
{
    char msg[512];
    if (!grow((void **)&r->wasis, r->nwasis, sizeof *r->wasis)) {
        repl_error(r, NULL, "out of memory");
        return -1;
    }
    wasi_ctx *ctx = wasi_ctx_new(cfg, msg, sizeof msg);
    if (!ctx) {
        repl_error(r, NULL, "wasi: %s", msg);
        return -1;
    }
    r->wasis[r->nwasis++] = ctx;
    if (wasi_define(ctx, r->linker) < 0) {
        repl_error(r, NULL, "out of memory");
        return -1;
    }
    return 0;
}

int repl_init(repl *r)
{
    static const char *const argv[] = {"wasm"};
    r->cur = -1;
    r->store = lw_store_new(&r->limits);
    r->linker = r->store ? lw_linker_new(r->store) : NULL;
    if (!r->linker)
        return -1;
    wasi_config cfg = {1, argv, 0, NULL, 0, NULL, {0, 1, 2}, -1};
    return new_wasi(r, &cfg);
}

void repl_free(repl *r)
{
    lw_linker_free(r->linker);
    lw_store_free(r->store);
    for (uint32_t i = 0; i < r->nwasis; i++)
        wasi_ctx_free(r->wasis[i]);
    for (uint32_t i = 0; i < r->nmodules; i++)
        lw_module_free(r->modules[i]);
    for (uint32_t i = 0; i < r->ninsts; i++) {
        free(r->insts[i].name);
        free(r->insts[i].source);
    }
    free(r->wasis);
    free(r->modules);
    free(r->insts);
}

repl_inst *repl_find_inst(repl *r, const char *name)
{
    for (uint32_t i = 0; i < r->ninsts; i++)
        if (strcmp(r->insts[i].name, name) == 0)
            return &r->insts[i];
    return NULL;
}

repl_inst *repl_current(repl *r, bool report)
{
    if (r->cur >= 0)
        return &r->insts[r->cur];
    if (report)
        repl_error(r, "load one with :load FILE or type (module ...)", "no module loaded");
    return NULL;
}

/* ---- linking ---- */

/* Every import the linker lacks, named, in one message. */
static int check_imports(repl *r, const lw_module *m)
{
    char list[512] = "";
    size_t n = 0;
    uint32_t missing = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const lw_import *im = &m->imports[i];
        lw_extern ext;
        if (lw_linker_lookup(r->linker, im->module, im->name, &ext))
            continue;
        if (n < sizeof list)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s %s.%s",
                                  missing ? ", " : "",
                                  lw_externkind_name(im->kind), im->module, im->name);
        missing++;
    }
    if (!missing)
        return 0;
    repl_error(r, "load a module that exports it, then :register its name",
               "unknown import%s: %s", missing > 1 ? "s" : "", list);
    return -1;
}

/* Whether what the linker has for im differs from what im asks for, each
 * described; tables' and memories' limits are left to the library. */
static bool import_differs(const lw_module *m, const lw_import *im,
                           const lw_extern *ext, char *have, char *want, size_t size)
{
    if (ext->kind != im->kind) {
        snprintf(have, size, "a %s", lw_externkind_name(ext->kind));
        snprintf(want, size, "a %s", lw_externkind_name(im->kind));
        return true;
    }
    if (im->kind == LW_EXTERN_FUNC) {
        const lw_functype *t = lw_func_type(ext->of.func);
        repl_format_functype(t, have, size);
        repl_format_functype(&m->types[im->desc.func], want, size);
        return !lw_functype_equal(t, &m->types[im->desc.func]);
    }
    if (im->kind == LW_EXTERN_GLOBAL) {
        lw_globaltype t = lw_global_type(ext->of.global);
        snprintf(have, size, "%s%s", t.mut ? "mut " : "", repl_type_name(t.type));
        snprintf(want, size, "%s%s", im->desc.global.mut ? "mut " : "",
                 repl_type_name(im->desc.global.type));
        return t.type != im->desc.global.type || t.mut != im->desc.global.mut;
    }
    return false;
}

/* "incompatible import type", with the import named when it can be. */
static void link_error(repl *r, const lw_module *m, const char *source,
                       const lw_error *err)
{
    char have[256], want[256];
    for (uint32_t i = 0; i < m->nimports; i++) {
        const lw_import *im = &m->imports[i];
        lw_extern ext;
        if (lw_linker_lookup(r->linker, im->module, im->name, &ext) &&
            import_differs(m, im, &ext, have, want, sizeof have)) {
            repl_error(r, NULL, "%s: %s: %s.%s is %s, the module wants %s", source,
                       err->message, im->module, im->name, have, want);
            return;
        }
    }
    repl_lib_error(r, source, err, NULL);
}

static int add_inst(repl *r, const char *name, const char *source,
                    const lw_module *m, lw_instance *inst)
{
    repl_inst *old = repl_find_inst(r, name);
    if (!old && !grow((void **)&r->insts, r->ninsts, sizeof *r->insts))
        return -1;
    repl_inst *it = old ? old : &r->insts[r->ninsts];
    char *n = strdup(name), *s = strdup(source);
    if (!n || !s) {
        free(n);
        free(s);
        return -1;
    }
    if (old) {
        free(old->name);
        free(old->source);
    } else {
        r->ninsts++;
    }
    *it = (repl_inst){n, s, m, inst};
    r->cur = (int)(it - r->insts);
    return 0;
}

/* Validate, link and instantiate m (which the session now owns). */
static int instantiate(repl *r, lw_module *m, const char *name, const char *source)
{
    lw_error err;
    lw_error_clear(&err);
    if (!grow((void **)&r->modules, r->nmodules, sizeof *r->modules)) {
        lw_module_free(m);
        repl_error(r, NULL, "out of memory");
        return -1;
    }
    r->modules[r->nmodules++] = m;
    if (lw_module_validate(m, &err) < 0) {
        repl_lib_error(r, source, &err, NULL);
        return -1;
    }
    if (check_imports(r, m) < 0)
        return -1;
    repl_set_running(r->store);
    lw_instance *inst = lw_linker_instantiate(r->linker, m, &err);
    repl_set_running(NULL);
    if (!inst) {
        if (err.kind == LW_ERR_UNLINKABLE)
            link_error(r, m, source, &err);
        else
            repl_trap(r, &err);
        return -1;
    }
    if (add_inst(r, name, source, m, inst) < 0) {
        repl_error(r, NULL, "out of memory");
        return -1;
    }
    printf("loaded %s (%u export%s)\n", name, m->nexports, m->nexports == 1 ? "" : "s");
    return 0;
}

/* "dir/add.wasm" -> "add"; "my lib.wat" -> "my_lib", a name easy to type. */
static char *default_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strcspn(base, ".");
    char *name = strndup(base, n ? n : strlen(base));
    for (char *p = name; p && *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-')
            *p = '_';
    return name;
}

int repl_load_file(repl *r, const char *path, const char *name)
{
    lw_error err;
    lw_error_clear(&err);
    lw_module *m = lw_module_load_file(path, r->features, &err);
    if (!m) {
        repl_lib_error(r, path, &err, NULL);
        return -1;
    }
    char *dflt = name ? NULL : default_name(path);
    if (!name && !dflt) {
        lw_module_free(m);
        repl_error(r, NULL, "out of memory");
        return -1;
    }
    int rc = instantiate(r, m, name ? name : dflt, path);
    free(dflt);
    return rc;
}

int repl_load_text(repl *r, const char *text)
{
    lw_error err;
    lw_error_clear(&err);
    lw_module *m = lw_module_parse_text(text, strlen(text), r->features, &err);
    if (!m) {
        repl_lib_error(r, "(inline)", &err, NULL);
        return -1;
    }
    char name[32];
    if (m->names.module && m->names.module[0])
        snprintf(name, sizeof name, "%s", m->names.module);
    else
        snprintf(name, sizeof name, "m%u", ++r->ninline);
    return instantiate(r, m, name, "(inline)");
}

/* ---- :use, :list, :register ---- */

void repl_cmd_list(repl *r, int argc, char **argv, char *rest)
{
    if (!r->ninsts)
        printf("no instances\n");
    for (uint32_t i = 0; i < r->ninsts; i++)
        printf("%c %-16s %s\n", (int)i == r->cur ? '*' : ' ', r->insts[i].name,
               r->insts[i].source);
}

void repl_cmd_use(repl *r, int argc, char **argv, char *rest)
{
    if (argc == 1) {
        repl_cmd_list(r, argc, argv, rest);
        return;
    }
    repl_inst *it = argc == 2 ? repl_find_inst(r, argv[1]) : NULL;
    if (argc != 2)
        repl_error(r, "usage: :use NAME", "wrong arguments to :use");
    else if (!it)
        repl_error(r, "see :list", "no instance '%s'", argv[1]);
    else
        r->cur = (int)(it - r->insts);
}

void repl_cmd_register(repl *r, int argc, char **argv, char *rest)
{
    if (argc < 2 || argc > 3) {
        repl_error(r, "usage: :register NAME [INSTANCE]", "wrong arguments to :register");
        return;
    }
    repl_inst *it = argc == 3 ? repl_find_inst(r, argv[2]) : repl_current(r, true);
    if (!it) {
        if (argc == 3)
            repl_error(r, "see :list", "no instance '%s'", argv[2]);
        return;
    }
    if (lw_linker_define_instance(r->linker, argv[1], it->inst) < 0) {
        repl_error(r, NULL, "out of memory");
        return;
    }
    printf("registered %s as \"%s\"\n", it->name, argv[1]);
}

/* ---- :wasi ---- */

typedef struct {
    const char **args, **env;
    wasi_preopen *dirs;
    uint32_t nargs, nenv, ndirs;
} wasi_opts;

/* HOST[::GUEST]; the host part is cut off in place. */
static int wasi_dir(repl *r, wasi_opts *o, char *spec, bool ro)
{
    char *sep = strstr(spec, "::");
    o->dirs[o->ndirs++] = (wasi_preopen){spec, sep ? sep + 2 : spec, ro};
    if (sep)
        *sep = 0;
    if (!*spec || !*o->dirs[o->ndirs - 1].guest) {
        repl_error(r, "want HOST[::GUEST]", "bad directory '%s'", spec);
        return -1;
    }
    return 0;
}

static int wasi_parse(repl *r, int argc, char **argv, wasi_opts *o)
{
    for (int i = 1; i < argc; i++) {
        bool dir = strcmp(argv[i], "--dir") == 0, ro = strcmp(argv[i], "--dir-ro") == 0;
        bool env = strcmp(argv[i], "--env") == 0;
        if ((dir || ro || env) && i + 1 == argc) {
            repl_error(r, "see :help wasi", "%s needs an argument", argv[i]);
            return -1;
        }
        if (dir || ro) {
            if (wasi_dir(r, o, argv[++i], ro) < 0)
                return -1;
        } else if (env) {
            if (!strchr(argv[i + 1], '=')) {
                repl_error(r, "want NAME=VALUE", "bad environment variable '%s'", argv[i + 1]);
                return -1;
            }
            o->env[o->nenv++] = argv[++i];
        } else {
            o->args[o->nargs++] = argv[i];
        }
    }
    return 0;
}

void repl_cmd_wasi(repl *r, int argc, char **argv, char *rest)
{
    wasi_opts o = {0};
    o.args = calloc((size_t)argc + 1, sizeof *o.args);
    o.env = calloc((size_t)argc, sizeof *o.env);
    o.dirs = calloc((size_t)argc, sizeof *o.dirs);
    if (!o.args || !o.env || !o.dirs)
        repl_error(r, NULL, "out of memory");
    else if (wasi_parse(r, argc, argv, &o) == 0) {
        if (!o.nargs)
            o.args[o.nargs++] = "wasm";
        wasi_config cfg = {o.nargs, o.args, o.nenv, o.env, o.ndirs, o.dirs, {0, 1, 2}, -1};
        if (new_wasi(r, &cfg) == 0)
            printf("wasi: %u argument%s, %u environment variable%s, %u director%s\n",
                   o.nargs, o.nargs == 1 ? "" : "s", o.nenv, o.nenv == 1 ? "" : "s",
                   o.ndirs, o.ndirs == 1 ? "y" : "ies");
    }
    free(o.args);
    free(o.env);
    free(o.dirs);
}
