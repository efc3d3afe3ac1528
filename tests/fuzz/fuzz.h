/* Shared by the fuzz targets: a check that aborts with a message, so
 * libFuzzer (or the plain build under fuzz-regress.sh) reports it. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond, ...)                                          \
    do {                                                               \
        if (!(cond)) {                                                 \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__,     \
                    __LINE__, #cond);                                  \
            fprintf(stderr, __VA_ARGS__);                              \
            fputc('\n', stderr);                                       \
            abort();                                                   \
        }                                                              \
    } while (0)

#endif
