/* Calling exports: `add 1 2` or `add(1, 2)`, arguments typed by the
 * export's signature, results printed with their types. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "repl.h"

#define CALL_MAX_ARGS 64

void repl_format_functype(const lw_functype *t, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "(");
    for (uint32_t i = 0; i < t->nparams && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
                              repl_type_name(t->params[i]));
    if (n < size)
        n += (size_t)snprintf(buf + n, size - n, ")");
    if (t->nresults && n < size)
        n += (size_t)snprintf(buf + n, size - n, " -> %s", t->nresults > 1 ? "(" : "");
    for (uint32_t i = 0; i < t->nresults && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
                              repl_type_name(t->results[i]));
    if (t->nresults > 1 && n < size)
        snprintf(buf + n, size - n, ")");
}

/* The export name of f in some instance, or NULL. */
static const char *func_export_name(repl *r, const lw_func *f)
{
    for (uint32_t i = 0; i < r->ninsts; i++) {
        const lw_module *m = r->insts[i].module;
        for (uint32_t e = 0; e < m->nexports; e++) {
            lw_extern ext;
            if (m->exports[e].kind == LW_EXTERN_FUNC &&
                lw_instance_export_n(r->insts[i].inst, m->exports[e].name, m->exports[e].name_len, &ext) &&
                ext.of.func == f)
                return m->exports[e].name;
        }
    }
    return NULL;
}

const char *repl_type_name(lw_valtype t)
{
    static char bufs[4][LW_VALTYPE_BUFSIZE];
    static unsigned next;
    char *b = bufs[next++ % 4];
    lw_valtype_format(t, b, LW_VALTYPE_BUFSIZE);
    return b;
}

bool repl_is_funcref(lw_valtype t)
{
    lw_heaptype ht = lw_valtype_heap(t);
    return lw_valtype_is_ref(t) &&
           (ht == LW_HEAP_FUNC || ht == LW_HEAP_NOFUNC || lw_heaptype_is_concrete(ht));
}

void repl_val_text(repl *r, const lw_val *v, char *buf, size_t size)
{
    const char *name = repl_is_funcref(v->type) && v->of.func
        ? func_export_name(r, v->of.func) : NULL;
    if (name)
        snprintf(buf, size, "func %s", name);
    else if (lw_valtype_is_ref(v->type) && r->store)
        lw_ref_format(r->store, v, buf, size);
    else
        lw_val_format(v, buf, size);
}

void repl_print_val(repl *r, const lw_val *v)
{
    char buf[256];
    repl_val_text(r, v, buf, sizeof buf);
    char type[LW_VALTYPE_BUFSIZE];
    lw_valtype_format(v->type, type, sizeof type);
    printf("%s%s:%s %s\n", r->color ? "\033[36m" : "", type, r->color ? "\033[0m" : "", buf);
}

/* ---- arguments ---- */

static bool is_shape(const char *w)
{
    static const char *const shapes[] = {"i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2"};
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
        if (strcmp(w, shapes[i]) == 0)
            return true;
    return false;
}

static int shape_lanes(const char *w)
{
    return 128 / atoi(w + 1);
}

/* Words of the space form; a v128 parameter given as a shape takes its
 * lanes too: "i32x4 1 2 3 4" is joined back, in place, into one argument
 * (each word lies after the one before it in the same buffer). */
static int group_words(const lw_functype *t, char **w, int nw, char **args)
{
    int n = 0;
    for (int i = 0; i < nw; n++) {
        args[n] = w[i++];
        if ((uint32_t)n >= t->nparams || t->params[n] != LW_V128 || !is_shape(args[n]))
            continue;
        char *end = args[n] + strlen(args[n]);
        for (int lanes = shape_lanes(args[n]); lanes > 0 && i < nw && !is_shape(w[i]); lanes--) {
            size_t len = strlen(w[i]);
            *end++ = ' ';
            memmove(end, w[i++], len + 1);
            end += len;
        }
    }
    return n;
}

static char *trim(char *s)
{
    s += strspn(s, " \t");
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = 0;
    return s;
}

/* "(a, b)" -> a, b.  Returns the count or -1. */
static int split_parens(repl *r, char *s, char **args)
{
    size_t n = strlen(s);
    if (s[n - 1] != ')') {
        repl_error(r, "write add(1, 2) or add 1 2", "missing ')'");
        return -1;
    }
    s[n - 1] = 0;
    s = trim(s + 1);
    if (!*s)
        return 0;
    int count = 0;
    for (char *comma; count < CALL_MAX_ARGS; s = comma + 1) {
        comma = strchr(s, ',');
        if (comma)
            *comma = 0;
        args[count++] = trim(s);
        if (!*args[count - 1]) {
            repl_error(r, "write add(1, 2) or add 1 2", "empty argument %d", count);
            return -1;
        }
        if (!comma)
            return count;
    }
    repl_error(r, NULL, "too many arguments (at most %d)", CALL_MAX_ARGS);
    return -1;
}

/* ---- finding the export ---- */

static lw_func *find_func(repl *r, const char *name)
{
    repl_inst *it = repl_current(r, false);
    lw_extern ext;
    bool found = it && lw_instance_export(it->inst, name, &ext);
    const char *dot = strchr(name, '.');
    if (!found && dot) {
        char *iname = strndup(name, (size_t)(dot - name));
        repl_inst *other = iname ? repl_find_inst(r, iname) : NULL;
        free(iname);
        if (other && lw_instance_export(other->inst, dot + 1, &ext)) {
            found = true;
            it = other;
        }
    }
    if (!found) {
        if (!it && !r->ninsts)
            repl_current(r, true);
        else
            repl_error(r, "see :exports, or :help", "no export '%s' in %s", name,
                       it ? it->name : "any instance");
        return NULL;
    }
    if (ext.kind != LW_EXTERN_FUNC) {
        const char *kind = lw_externkind_name(ext.kind);
        char hint[300];
        snprintf(hint, sizeof hint, "try :%s %s", ext.kind == LW_EXTERN_MEMORY ? "mem" : kind,
                 ext.kind == LW_EXTERN_MEMORY ? "" : name);
        repl_error(r, trim(hint), "'%s' is a %s, not a function", name, kind);
        return NULL;
    }
    return ext.of.func;
}

/* ---- the call ---- */

static int parse_args(repl *r, const lw_functype *t, char **args, lw_val *vals)
{
    for (uint32_t i = 0; i < t->nparams; i++) {
        lw_error err;
        lw_error_clear(&err);
        if (repl_is_funcref(t->params[i]) && strcmp(args[i], "null") != 0) {
            /* a function by name; the call checks its type */
            vals[i].type = LW_FUNCREF;
            vals[i].of.func = find_func(r, args[i]);
            if (!vals[i].of.func)
                return -1;
            continue;
        }
        if (lw_val_parse(args[i], t->params[i], &vals[i], &err) < 0) {
            char what[32];
            snprintf(what, sizeof what, "argument %u", i + 1);
            repl_lib_error(r, what, &err, NULL);
            return -1;
        }
    }
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void invoke(repl *r, lw_func *f, const lw_val *args)
{
    const lw_functype *t = lw_func_type(f);
    lw_val *res = calloc(t->nresults + 1, sizeof *res);
    if (!res) {
        repl_error(r, NULL, "out of memory");
        return;
    }
    lw_error err;
    lw_error_clear(&err);
    fflush(stdout);
    lw_store_set_fuel(r->store, r->has_fuel ? r->fuel : UINT64_MAX);
    double start = now_ms();
    repl_set_running(r->store);
    int rc = lw_func_call(r->store, f, args, t->nparams, res, t->nresults, &err);
    repl_set_running(NULL);
    double ms = now_ms() - start;
    if (r->has_fuel)
        r->fuel_used = r->fuel - lw_store_get_fuel(r->store);
    lw_store_set_fuel(r->store, UINT64_MAX);
    if (rc < 0)
        repl_trap(r, &err);
    else
        for (uint32_t i = 0; i < t->nresults; i++)
            repl_print_val(r, &res[i]);
    if (r->timing)
        printf("time: %.3f ms\n", ms);
    free(res);
}

static void check_and_call(repl *r, const char *name, lw_func *f, char **args,
                           int nargs)
{
    const lw_functype *t = lw_func_type(f);
    if ((uint32_t)nargs != t->nparams) {
        char sig[256], hint[300];
        repl_format_functype(t, sig, sizeof sig);
        snprintf(hint, sizeof hint, "%s%s", name, sig);
        repl_error(r, hint, "%s takes %u argument%s, got %d", name, t->nparams,
                   t->nparams == 1 ? "" : "s", nargs);
        return;
    }
    lw_val *vals = calloc(t->nparams + 1, sizeof *vals);
    if (!vals)
        repl_error(r, NULL, "out of memory");
    else if (parse_args(r, t, args, vals) == 0)
        invoke(r, f, vals);
    free(vals);
}

/* The name: a "quoted name" or up to a blank or '('. */
static char *split_name(repl *r, char *line, char **rest)
{
    if (*line != '"') {
        size_t n = strcspn(line, " \t(");
        *rest = line + n;
        char *name = strndup(line, n);
        if (!name)
            repl_error(r, NULL, "out of memory");
        return name;
    }
    char *words[1];
    char *end = strchr(line + 1, '"');
    if (!end) {
        repl_error(r, "close it with \"", "unclosed quote");
        return NULL;
    }
    *rest = end + 1;
    if (**rest && **rest != ' ' && **rest != '\t' && **rest != '(') {
        repl_error(r, "write \"NAME\" ARGS or \"NAME\"(ARGS)", "a blank must follow a closing quote");
        return NULL;
    }
    char *name = strndup(line, (size_t)(end - line) + 1);
    if (name && repl_split(r, name, words, 1) == 1)
        memmove(name, words[0], strlen(words[0]) + 1);
    return name;
}

void repl_call(repl *r, char *line)
{
    char *rest;
    char *name = split_name(r, line, &rest);
    if (!name)
        return;
    lw_func *f = find_func(r, name);
    char *words[CALL_MAX_ARGS], *args[CALL_MAX_ARGS];
    rest = trim(rest);
    if (!f) {
        free(name);
        return;
    }
    int n;
    if (*rest == '(') {
        n = split_parens(r, rest, args);
    } else {
        n = repl_split(r, rest, words, CALL_MAX_ARGS);
        if (n >= 0)
            n = group_words(lw_func_type(f), words, n, args);
    }
    if (n >= 0)
        check_and_call(r, name, f, args, n);
    free(name);
}

/* ---- :time, :fuel ---- */

void repl_cmd_time(repl *r, int argc, char **argv, char *rest)
{
    if (argc > 2 || (argc == 2 && strcmp(argv[1], "on") && strcmp(argv[1], "off"))) {
        repl_error(r, "usage: :time [on|off]", "wrong arguments to :time");
        return;
    }
    r->timing = argc == 2 ? strcmp(argv[1], "on") == 0 : !r->timing;
    printf("timing %s\n", r->timing ? "on" : "off");
}

void repl_cmd_fuel(repl *r, int argc, char **argv, char *rest)
{
    if (argc == 1) {
        if (r->has_fuel)
            printf("fuel: %llu per call, the last call used %llu\n",
                   (unsigned long long)r->fuel, (unsigned long long)r->fuel_used);
        else
            printf("fuel: unlimited\n");
        return;
    }
    char *end;
    unsigned long long n = argc == 2 ? strtoull(argv[1], &end, 0) : 0;
    if (argc == 2 && strcmp(argv[1], "off") == 0) {
        r->has_fuel = false;
        printf("fuel: unlimited\n");
    } else if (argc != 2 || end == argv[1] || *end || argv[1][0] == '-' || n == UINT64_MAX) {
        repl_error(r, "usage: :fuel [N|off]", "bad fuel '%s'", argc > 1 ? argv[1] : "");
    } else {
        r->has_fuel = true;
        r->fuel = n;
        r->fuel_used = 0;
        printf("fuel: %llu per call\n", n);
    }
}
