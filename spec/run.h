/*
 * wasm-spec: executing the commands of one .wast script.
 *
 * Every command is one check.  The runner reports each check's outcome
 * through a callback; a failing check carries a cause (short and stable,
 * naming the stage that failed, so failures group by it) and a detail
 * (what was expected, what we got).
 */
#ifndef SPEC_RUN_H
#define SPEC_RUN_H

#include "libwasm-tools.h"

typedef struct {
    uint32_t line;
    const char *command;     /* "module", "assert_return", ...            */
    bool ok;
    const char *cause;       /* failing checks: "validator: accepts ..."   */
    const char *detail;      /* failing checks: expected vs got            */
    const char *backtrace;   /* failing checks whose action trapped: its
                                frames, one "  at ..." line each; or NULL */
} spec_result;

typedef void (*spec_report_fn)(void *user, const spec_result *r);

typedef struct {
    lw_features features;
    bool verbose;            /* spectest's print functions write to stdout */
    bool text_messages;      /* compare messages of malformed text modules */
    unsigned timeout;        /* seconds one command may run; 0 = no limit  */
    volatile uint32_t *current_line; /* if set: the command being run,
                                        0 before the first and after the last */
    spec_report_fn report;
    void *user;
} spec_options;

/* Run every command of a script in a fresh store.  A script that does not
 * parse is reported as one failing check at the position of the error. */
void spec_run_script(const spec_options *opt, const char *text, size_t len);

/* Exit status of a process whose command overran the timeout and could
 * not be interrupted (in parsing, say), once spec_watch_hard was called. */
#define SPEC_EXIT_TIMEOUT 124
void spec_watch_hard(void);

/* Define the "spectest" host module (spectest.c) in l, its objects in s. */
int spectest_define(lw_linker *l, lw_store *s, bool verbose, lw_error *err);

#endif
