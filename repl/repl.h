/* wasm-repl: the session state shared by its parts.
 *
 *   main.c      options, the read loop, readline, history, signals
 *   cmd.c       the :commands and their table
 *   load.c      loading modules, instances, :register, :wasi
 *   call.c      calling exports: arguments, results, traps
 *   inspect.c   :exports :imports :type :dis :mem :global :table
 *   complete.c  tab completion
 */
#ifndef REPL_H
#define REPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libwasm-tools.h"
#include "wasi.h"

#define REPL_PROG "wasm-repl"

typedef struct {
    char *name;
    char *source;            /* file name, or "(inline)" */
    const lw_module *module;
    lw_instance *inst;
} repl_inst;

typedef struct {
    lw_features features;
    lw_store_limits limits;  /* of the session's store */
    lw_store *store;
    lw_linker *linker;
    wasi_ctx **wasis;        /* every context made; instances keep using theirs */
    uint32_t nwasis;
    lw_module **modules;   /* every module loaded: they outlive their instances */
    uint32_t nmodules;
    repl_inst *insts;
    uint32_t ninsts;
    int cur;                 /* index in insts, or -1 */
    uint32_t ninline;        /* inline modules so far, for their names */
    bool timing;
    bool has_fuel;
    uint64_t fuel, fuel_used;
    bool interactive, color;
    uint32_t line;           /* of the input, for messages in scripts */
    bool failed;             /* some command failed */
    bool quit;
    bool interrupted;        /* a script stopped by Ctrl-C */
} repl;

/* The store a call is running in, for the SIGINT handler (main.c). */
void repl_set_running(lw_store *s);

/* ---- output (cmd.c) ---- */

/* "error: MESSAGE (HINT)" on stderr; marks the session failed.  hint may be NULL. */
void repl_error(repl *r, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error from the library: "error: [what: ]formatted error". */
void repl_lib_error(repl *r, const char *what, const lw_error *err, const char *hint);
/* A trap or exit with its backtrace. */
void repl_trap(repl *r, const lw_error *err);

/* ---- commands (cmd.c) ---- */

typedef struct {
    const char *name;        /* without the colon */
    const char *args;        /* usage of the arguments */
    const char *help;        /* one line */
    void (*run)(repl *r, int argc, char **argv, char *rest);
} repl_cmd;

extern const repl_cmd repl_cmds[];
extern const unsigned repl_ncmds;

/* One input line or a complete inline module. */
void repl_eval(repl *r, char *text);
/* Split s in place into words; "double quotes" group.  Returns the count,
 * or -1 (with an error reported) for an unclosed quote. */
int repl_split(repl *r, char *s, char **argv, int max);

/* ---- instances (load.c) ---- */

int repl_init(repl *r);
void repl_free(repl *r);
int repl_load_file(repl *r, const char *path, const char *name);
int repl_load_text(repl *r, const char *text);
repl_inst *repl_find_inst(repl *r, const char *name);
repl_inst *repl_current(repl *r, bool report);
void repl_cmd_use(repl *r, int argc, char **argv, char *rest);
void repl_cmd_list(repl *r, int argc, char **argv, char *rest);
void repl_cmd_register(repl *r, int argc, char **argv, char *rest);
void repl_cmd_wasi(repl *r, int argc, char **argv, char *rest);

/* ---- calls (call.c) ---- */

void repl_call(repl *r, char *line);
/* A reference to functions: funcref, (ref null? func), a function type. */
bool repl_is_funcref(lw_valtype t);
/* A value type as the text format writes it ("(ref null 3)"); a few
 * buffers in turn, so one line may show several. */
const char *repl_type_name(lw_valtype t);
/* "3", "func add" (a funcref named by an export when one matches). */
void repl_val_text(repl *r, const lw_val *v, char *buf, size_t size);
/* "i32: 3" */
void repl_print_val(repl *r, const lw_val *v);
/* "(i32, i32) -> i32" */
void repl_format_functype(const lw_functype *t, char *buf, size_t size);
void repl_cmd_time(repl *r, int argc, char **argv, char *rest);
void repl_cmd_fuel(repl *r, int argc, char **argv, char *rest);

/* ---- inspection (inspect.c) ---- */

void repl_cmd_exports(repl *r, int argc, char **argv, char *rest);
void repl_cmd_imports(repl *r, int argc, char **argv, char *rest);
void repl_cmd_type(repl *r, int argc, char **argv, char *rest);
void repl_cmd_dis(repl *r, int argc, char **argv, char *rest);
void repl_cmd_mem(repl *r, int argc, char **argv, char *rest);
void repl_cmd_global(repl *r, int argc, char **argv, char *rest);
void repl_cmd_table(repl *r, int argc, char **argv, char *rest);

/* ---- completion (complete.c) ---- */

void repl_complete_init(repl *r);

#endif
