/* Binary modules: decode and validate; a valid module must encode, and
 * its encoding must load again and encode to the same bytes.  Every body
 * of a valid module must also walk through the instruction printer.
 * lw_module_load, which reads each body once, must give the same verdict
 * and the same error as decode then validate, with all features and with
 * none (where the feature gates fail). */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "libwasm-tools.h"

static void fuzz_print_bodies(const lw_module *m)
{
    for (uint32_t i = 0; i < m->ncodes; i++) {
        const lw_expr *b = &m->codes[i].body;
        lw_instr_iter it;
        lw_instr_line line;
        lw_error err;
        int r;
        lw_instr_iter_init(&it, b->code, b->len, b->offset);
        it.name = lw_print_module_name;
        it.user = (void *)m;
        while ((r = lw_instr_iter_next(&it, &line, &err)) == 1)
            FUZZ_CHECK(line.len > 0, "empty instruction in body %u", i);
        FUZZ_CHECK(r == 0, "body %u of a valid module does not print: %s",
                   i, err.message);
        lw_instr_iter_free(&it);
    }
}

static void fuzz_roundtrip(const lw_module *m)
{
    lw_error err;
    uint8_t *b1 = NULL, *b2 = NULL;
    size_t n1 = 0, n2 = 0;
    FUZZ_CHECK(lw_module_encode(m, &b1, &n1, &err) == 0,
               "a valid module does not encode: %s", err.message);
    lw_module *m2 = lw_module_load(b1, n1, m->features, &err);
    FUZZ_CHECK(m2, "the encoding does not load: %s", err.message);
    FUZZ_CHECK(lw_module_encode(m2, &b2, &n2, &err) == 0,
               "the reloaded module does not encode: %s", err.message);
    FUZZ_CHECK(n1 == n2 && memcmp(b1, b2, n1) == 0,
               "encodings differ (%zu and %zu bytes)", n1, n2);
    lw_module_free(m2);
    free(b1);
    free(b2);
}

/* decode then validate, against lw_module_load. */
static void fuzz_same_verdict(const uint8_t *data, size_t size, lw_features f)
{
    lw_error e1, e2;
    lw_error_clear(&e1);
    lw_error_clear(&e2);
    lw_module *m = lw_module_decode(data, size, f, &e1);
    bool ok1 = m && lw_module_validate(m, &e1) == 0;
    lw_module_free(m);
    m = lw_module_load(data, size, f, &e2);
    bool ok2 = m != NULL;
    lw_module_free(m);
    FUZZ_CHECK(ok1 == ok2, "decode+validate %s, load %s (%s)", ok1 ? "accepts" : "rejects",
               ok2 ? "accepts" : "rejects", ok1 ? e2.message : e1.message);
    if (!ok1)
        FUZZ_CHECK(e1.kind == e2.kind && e1.offset == e2.offset &&
                   strcmp(e1.message, e2.message) == 0,
                   "errors differ: %s at %llu (%s), load: %s at %llu (%s)",
                   lw_errkind_name(e1.kind), (unsigned long long)e1.offset, e1.message,
                   lw_errkind_name(e2.kind), (unsigned long long)e2.offset, e2.message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_same_verdict(data, size, lw_features_all());
    fuzz_same_verdict(data, size, 0);

    lw_error err;
    lw_module *m = lw_module_decode(data, size, lw_features_all(), &err);
    if (!m) {
        FUZZ_CHECK(err.kind == LW_ERR_MALFORMED, "decode failed as %s: %s",
                   lw_errkind_name(err.kind), err.message);
        return 0;
    }
    if (lw_module_validate(m, &err) != 0) {
        FUZZ_CHECK(err.kind == LW_ERR_INVALID, "validate failed as %s: %s",
                   lw_errkind_name(err.kind), err.message);
    } else {
        fuzz_print_bodies(m);
        fuzz_roundtrip(m);
    }
    lw_module_free(m);
    return 0;
}
