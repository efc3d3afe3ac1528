/* Shared by the unit tests: a main that runs one Check suite and ends
 * with the line "N passed, M failed". */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

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
