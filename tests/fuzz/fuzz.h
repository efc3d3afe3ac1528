/* Shared by the fuzz targets: a check that aborts with a message, so
 * libFuzzer (or the plain build under fuzz-regress.sh) reports it, and
 * the text and loading of the modules the generators write. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "libwasm.h"

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

/* The module text a generator writes, piece by piece. */
typedef struct {
    char s[65536];
    size_t len;
} fuzz_text;

static inline __attribute__((format(printf, 2, 3))) void fuzz_put(fuzz_text *t,
                                                                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->s + t->len, sizeof t->s - t->len, fmt, ap);
    va_end(ap);
    FUZZ_CHECK(n >= 0 && (size_t)n < sizeof t->s - t->len, "module text too long");
    t->len += (size_t)n;
}

/* A generated module: its text must parse and validate with features f,
 * and its encoding load again; the module loaded from the binary. */
static inline lw_module *fuzz_load_text(const fuzz_text *t, lw_features f)
{
    lw_error err;
    lw_module *tm = lw_module_parse_text(t->s, t->len, f, &err);
    FUZZ_CHECK(tm, "generated module does not parse: %s\n%s", err.message, t->s);
    FUZZ_CHECK(lw_module_validate(tm, &err) == 0, "generated module is invalid: %s\n%s",
               err.message, t->s);
    uint8_t *bytes;
    size_t n;
    FUZZ_CHECK(lw_module_encode(tm, &bytes, &n, &err) == 0, "encode: %s", err.message);
    lw_module *bm = lw_module_load(bytes, n, f, &err);
    FUZZ_CHECK(bm, "the encoding does not load: %s\n%s", err.message, t->s);
    free(bytes);
    lw_module_free(tm);
    return bm;
}

#endif
