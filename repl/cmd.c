/* The :commands, messages, and what one line of input means. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl.h"

#define REPL_MAX_WORDS 64

static const char *color(const repl *r, const char *code)
{
    return r->color ? code : "";
}

static void error_head(repl *r)
{
    fflush(stdout);
    if (!r->interactive && r->line)
        fprintf(stderr, "line %u: ", r->line);
    fprintf(stderr, "%serror:%s ", color(r, "\033[1;31m"), color(r, "\033[0m"));
    r->failed = true;
}

static void error_tail(const char *hint)
{
    if (hint)
        fprintf(stderr, " (%s)", hint);
    fputc('\n', stderr);
}

void repl_error(repl *r, const char *hint, const char *fmt, ...)
{
    error_head(r);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    error_tail(hint);
}

void repl_lib_error(repl *r, const char *what, const lw_error *err, const char *hint)
{
    char buf[512];
    lw_error_format(err, buf, sizeof buf);
    error_head(r);
    if (what)
        fprintf(stderr, "%s: ", what);
    fputs(buf, stderr);
    error_tail(hint);
}

/* "  at NAME (func[N]) @ 0xOFFSET at FILE:LINE:COLUMN": the name is the
 * name section's, else DWARF's, else an export's or import's; the
 * location is DWARF's, when the module has it. */
static void trap_frame(const lw_frame *f)
{
    lw_source_loc loc;
    bool known;
    const char *name = lw_frame_name(f, &loc, &known);
    fprintf(stderr, "  at %s (func[%u])", name ? name : "?", f->func_index);
    if (f->code_offset)   /* none for modules parsed from text */
        fprintf(stderr, " @ 0x%x", f->code_offset);
    if (known && loc.file) {
        fprintf(stderr, " at %s:%u", loc.file, loc.line);
        if (loc.column)
            fprintf(stderr, ":%u", loc.column);
    }
    fputc('\n', stderr);
}

void repl_trap(repl *r, const lw_error *err)
{
    if (err->kind == LW_ERR_EXIT) {
        fflush(stdout);
        fprintf(stderr, "exited with code %d\n", err->exit_code);
        r->failed |= err->exit_code != 0;
        return;
    }
    if (err->kind != LW_ERR_TRAP && err->kind != LW_ERR_EXHAUSTION &&
        err->kind != LW_ERR_LIMIT && err->kind != LW_ERR_EXCEPTION) {
        repl_lib_error(r, NULL, err, NULL);
        return;
    }
    if (r->interactive && strcmp(err->message, "interrupted") == 0)
        fputc('\n', stderr);   /* after the terminal's "^C" */
    error_head(r);
    if (err->kind == LW_ERR_EXCEPTION) {
        char what[512] = "";
        if (err->exn)
            lw_exn_format(err->exn, what, sizeof what);
        fprintf(stderr, "uncaught exception%s%s\n", *what ? ": " : "", what);
    } else {
        fprintf(stderr, "trap: %s\n", err->message);
    }
    /* Frames left out of a deep stack are between the two halves. */
    uint32_t gap = err->frames_omitted ? LW_MAX_FRAMES / 2 : err->nframes;
    for (uint32_t i = 0; i < err->nframes;) {
        const lw_frame *f = &err->frames[i];
        uint32_t same = 1;
        while (i + same < err->nframes && i + same != gap &&
               f[same].func_index == f->func_index &&
               f[same].code_offset == f->code_offset && f[same].name == f->name)
            same++;
        trap_frame(f);
        if (same > 1)
            fprintf(stderr, "  ... the same %u more time%s\n", same - 1, same > 2 ? "s" : "");
        i += same;
        if (i == gap && err->frames_omitted)
            fprintf(stderr, "  ... %u frames omitted ...\n", err->frames_omitted);
    }
}

/* ---- words ---- */

/* A "quoted word" with \" and \\ escapes, unquoted in place. */
static char *split_quoted(repl *r, char *s, char **out)
{
    char *w = s;
    *out = s;
    for (s++; *s && *s != '"'; s++) {
        if (*s == '\\' && s[1])
            s++;
        *w++ = *s;
    }
    if (!*s) {
        repl_error(r, "close it with \"", "unclosed quote");
        return NULL;
    }
    *w = 0;
    return s + 1;
}

int repl_split(repl *r, char *s, char **argv, int max)
{
    int n = 0;
    for (;;) {
        while (isspace((unsigned char)*s))
            *s++ = 0;
        if (!*s)
            return n;
        if (n == max) {
            repl_error(r, NULL, "too many words (at most %d)", max);
            return -1;
        }
        if (*s == '"') {
            s = split_quoted(r, s, &argv[n++]);
            if (!s)
                return -1;
            if (*s && !isspace((unsigned char)*s)) {
                repl_error(r, NULL, "a blank must follow a closing quote");
                return -1;
            }
            continue;
        }
        argv[n++] = s;
        while (*s && !isspace((unsigned char)*s))
            s++;
    }
}

/* ---- :help, :quit, :load ---- */

static void cmd_help(repl *r, int argc, char **argv, char *rest)
{
    for (unsigned i = 0; i < repl_ncmds; i++) {
        const repl_cmd *c = &repl_cmds[i];
        if (argc > 1 && strcmp(argv[1] + (argv[1][0] == ':'), c->name) != 0)
            continue;
        char head[64];
        snprintf(head, sizeof head, ":%s %s", c->name, c->args);
        printf("  %-32s %s\n", head, c->help);
        if (argc > 1)
            return;
    }
    if (argc > 1) {
        repl_error(r, "try :help", "no command ':%s'", argv[1] + (argv[1][0] == ':'));
        return;
    }
    printf("\n"
           "  EXPORT ARGS...                   call an export: add 1 2, add(1, 2)\n"
           "  INSTANCE.EXPORT ARGS...          call another instance's export\n"
           "  (module ...)                     define a module inline (may span lines)\n"
           "\n"
           ":wasi's ARGS are the guest's argv, its program name first; WASI is there\n"
           "from the start, with the program name \"wasm\" and no directories.\n"
           "\n"
           "Arguments follow the export's types: 42, -1, 0x2a, 1.5, -0x1p-3, inf,\n"
           "nan, nan:0x200000, i32x4 1 2 3 4 for a v128, null for a reference.\n");
}

static void cmd_quit(repl *r, int argc, char **argv, char *rest)
{
    r->quit = true;
}

static void cmd_load(repl *r, int argc, char **argv, char *rest)
{
    if (argc == 4 && strcmp(argv[2], "as") == 0)
        repl_load_file(r, argv[1], argv[3]);
    else if (argc == 2)
        repl_load_file(r, argv[1], NULL);
    else
        repl_error(r, "usage: :load FILE [as NAME]", "wrong arguments to :load");
}

const repl_cmd repl_cmds[] = {
    {"load", "FILE [as NAME]", "load a .wasm or .wat file and instantiate it", cmd_load},
    {"use", "NAME", "make instance NAME the current one", repl_cmd_use},
    {"list", "", "list the instances (* marks the current one)", repl_cmd_list},
    {"register", "NAME [INSTANCE]", "let later modules import the instance's exports from NAME", repl_cmd_register},
    {"wasi", "[--dir[-ro] H[::G]] [--env N=V] [ARGS]", "WASI for the modules loaded next", repl_cmd_wasi},
    {"exports", "", "list the current instance's exports", repl_cmd_exports},
    {"imports", "", "list the current module's imports", repl_cmd_imports},
    {"type", "NAME", "show the type of an export", repl_cmd_type},
    {"dis", "NAME|INDEX", "disassemble a function", repl_cmd_dis},
    {"mem", "[MEMORY] [ADDR [LEN]]", "hexdump linear memory", repl_cmd_mem},
    {"global", "NAME [= VALUE]", "show or set a global", repl_cmd_global},
    {"table", "NAME [INDEX]", "show a table or one of its elements", repl_cmd_table},
    {"time", "[on|off]", "toggle timing of calls", repl_cmd_time},
    {"fuel", "[N|off]", "limit each call to N units of fuel", repl_cmd_fuel},
    {"help", "[COMMAND]", "this help", cmd_help},
    {"quit", "", "leave (Ctrl-D too)", cmd_quit},
};
const unsigned repl_ncmds = sizeof repl_cmds / sizeof repl_cmds[0];

static const repl_cmd *find_cmd(const char *name)
{
    for (unsigned i = 0; i < repl_ncmds; i++)
        if (strcmp(repl_cmds[i].name, name) == 0)
            return &repl_cmds[i];
    if (strcmp(name, "q") == 0 || strcmp(name, "exit") == 0)
        return find_cmd("quit");
    if (strcmp(name, "h") == 0 || strcmp(name, "?") == 0)
        return find_cmd("help");
    return NULL;
}

static void eval_command(repl *r, char *line)
{
    char *copy = strdup(line);
    char *argv[REPL_MAX_WORDS];
    int argc = copy ? repl_split(r, copy, argv, REPL_MAX_WORDS) : -1;
    if (argc > 0) {
        const repl_cmd *c = find_cmd(argv[0] + 1);
        char *rest = line + strcspn(line, " \t");
        rest += strspn(rest, " \t");
        if (c)
            c->run(r, argc, argv, rest);
        else
            repl_error(r, "try :help", "unknown command '%s'", argv[0]);
    } else if (!copy) {
        repl_error(r, NULL, "out of memory");
    }
    free(copy);
}

void repl_eval(repl *r, char *text)
{
    text += strspn(text, " \t\r\n");
    if (!*text || strncmp(text, ";;", 2) == 0 || *text == '#')
        return;
    if (*text == ':')
        eval_command(r, text);
    else if (*text == '(')
        repl_load_text(r, text);
    else
        repl_call(r, text);
}
