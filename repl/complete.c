/* Tab completion: commands, export names, instance names, and file paths
 * after :load and :wasi. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "repl.h"

static repl *g_repl;

/* The candidates of the completion under way. */
static char **g_cands;
static size_t g_ncands;

static void cands_clear(void)
{
    for (size_t i = 0; i < g_ncands; i++)
        free(g_cands[i]);
    free(g_cands);
    g_cands = NULL;
    g_ncands = 0;
}

static void cands_add(const char *prefix, const char *s)
{
    char **c = realloc(g_cands, (g_ncands + 1) * sizeof *c);
    if (!c)
        return;
    g_cands = c;
    size_t n = strlen(prefix) + strlen(s) + 1;
    g_cands[g_ncands] = malloc(n);
    if (g_cands[g_ncands]) {
        snprintf(g_cands[g_ncands], n, "%s%s", prefix, s);
        g_ncands++;
    }
}

static char *generate(const char *text, int state)
{
    static size_t next;
    if (!state)
        next = 0;
    size_t len = strlen(text);
    while (next < g_ncands) {
        const char *c = g_cands[next++];
        if (strncmp(c, text, len) == 0)
            return strdup(c);
    }
    return NULL;
}

static void add_commands(const char *prefix)
{
    for (unsigned i = 0; i < repl_ncmds; i++)
        cands_add(prefix, repl_cmds[i].name);
}

/* Exports of the current instance of `kind`, or of any kind (-1). */
static void add_exports(int kind)
{
    repl_inst *it = repl_current(g_repl, false);
    if (!it)
        return;
    for (uint32_t i = 0; i < it->module->nexports; i++)
        if (kind < 0 || it->module->exports[i].kind == kind)
            cands_add("", it->module->exports[i].name);
}

/* "INSTANCE.EXPORT" for the functions of every other instance. */
static void add_qualified_exports(void)
{
    repl_inst *cur = repl_current(g_repl, false);
    for (uint32_t i = 0; i < g_repl->ninsts; i++) {
        const repl_inst *it = &g_repl->insts[i];
        if (it == cur)
            continue;
        size_t n = strlen(it->name);
        char *prefix = malloc(n + 2);
        if (!prefix)
            return;
        memcpy(prefix, it->name, n);
        memcpy(prefix + n, ".", 2);
        for (uint32_t e = 0; e < it->module->nexports; e++)
            if (it->module->exports[e].kind == LW_EXTERN_FUNC)
                cands_add(prefix, it->module->exports[e].name);
        free(prefix);
    }
}

static void add_instances(void)
{
    for (uint32_t i = 0; i < g_repl->ninsts; i++)
        cands_add("", g_repl->insts[i].name);
}

/* The command word of the line, and how many words precede the cursor. */
static int line_context(int start, char *cmd, size_t size)
{
    const char *p = rl_line_buffer;
    int words = 0;
    cmd[0] = 0;
    while (p < rl_line_buffer + start) {
        p += strspn(p, " \t");
        if (p >= rl_line_buffer + start)
            break;
        size_t n = strcspn(p, " \t");
        if (words++ == 0)
            snprintf(cmd, size, "%.*s", (int)n, p);
        p += n;
    }
    return words;
}

/* Fill the candidates; false: complete file names instead. */
static bool choose(const char *text, int start)
{
    char cmd[32];
    int words = line_context(start, cmd, sizeof cmd);
    if (words == 0) {
        if (text[0] == ':')
            add_commands(":");
        else
            add_exports(LW_EXTERN_FUNC);
        if (strchr(text, '.'))
            add_qualified_exports();
        return true;
    }
    if (!strcmp(cmd, ":load") || !strcmp(cmd, ":wasi"))
        return false;
    if (words == 1 && (!strcmp(cmd, ":use") || !strcmp(cmd, ":register")))
        add_instances();
    else if (words == 1 && !strcmp(cmd, ":help"))
        add_commands("");
    else if (words == 1 && !strcmp(cmd, ":dis"))
        add_exports(LW_EXTERN_FUNC);
    else if (words == 1 && !strcmp(cmd, ":global"))
        add_exports(LW_EXTERN_GLOBAL);
    else if (words == 1 && !strcmp(cmd, ":table"))
        add_exports(LW_EXTERN_TABLE);
    else if (words == 1 && !strcmp(cmd, ":mem"))
        add_exports(LW_EXTERN_MEMORY);
    else if (words == 1 && !strcmp(cmd, ":type"))
        add_exports(-1);
    else if (words == 2 && !strcmp(cmd, ":register"))
        add_instances();
    return true;
}

static char **complete(const char *text, int start, int end)
{
    cands_clear();
    if (!choose(text, start))
        return NULL;
    rl_attempted_completion_over = 1;
    char **matches = rl_completion_matches(text, generate);
    cands_clear();
    return matches;
}

void repl_complete_init(repl *r)
{
    g_repl = r;
    rl_attempted_completion_function = complete;
    /* File names with blanks complete inside "quotes", as the commands read them. */
    rl_completer_quote_characters = "\"";
    rl_filename_quote_characters = " \t";
}
