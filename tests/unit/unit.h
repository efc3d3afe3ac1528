/* Shared by the unit tests: a main that runs one Check suite and ends
 * with the line "N passed, M failed". */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libwasm.h"

/* A module from WebAssembly text, parsed and validated (2.0 features);
 * fails the test on any error. */
static inline lw_module *unit_load_wat(const char *wat)
{
    lw_error err;
    lw_module *m = lw_module_parse_text(wat, strlen(wat), lw_features_wasm2(), &err);
    ck_assert_msg(m != NULL, "parse: %s", err.message);
    ck_assert_msg(lw_module_validate(m, &err) == 0, "validate: %s", err.message);
    return m;
}

#define UNIT_MAIN(make_suite)                                            \
    int main(void)                                                       \
    {                                                                    \
        SRunner *sr = srunner_create(make_suite());                      \
        srunner_run_all(sr, CK_NORMAL);                                  \
        int run = srunner_ntests_run(sr);                                \
        int failed = srunner_ntests_failed(sr);                          \
        srunner_free(sr);                                                \
        printf("%d passed, %d failed\n", run - failed, failed);          \
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;                     \
    }

#endif
