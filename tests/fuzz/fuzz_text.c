/* Text: the input as one module and as a whole script.  A module that
 * parses and validates must encode to a binary that loads; the modules of
 * a script are parsed (or decoded) the same way. */
#include <stdint.h>

#include "fuzz.h"
#include "libwasm-tools.h"

static void fuzz_check_module(lw_module *m, lw_error *err)
{
    if (!m) {
        FUZZ_CHECK(err->kind == LW_ERR_MALFORMED || err->kind == LW_ERR_INVALID,
                   "parse failed as %s: %s", lw_errkind_name(err->kind),
                   err->message);
        return;
    }
    if (lw_module_validate(m, err) == 0) {
        uint8_t *bin = NULL;
        size_t len = 0;
        FUZZ_CHECK(lw_module_encode(m, &bin, &len, err) == 0,
                   "a valid text module does not encode: %s", err->message);
        lw_module *m2 = lw_module_load(bin, len, m->features, err);
        FUZZ_CHECK(m2, "the encoding of a valid text module does not load: %s",
                   err->message);
        lw_module_free(m2);
        free(bin);
    } else {
        FUZZ_CHECK(err->kind == LW_ERR_INVALID, "validate failed as %s: %s",
                   lw_errkind_name(err->kind), err->message);
    }
    lw_module_free(m);
}

static void fuzz_script(const uint8_t *data, size_t size)
{
    lw_error err;
    lw_script *s = lw_script_parse((const char *)data, size, &err);
    if (!s) {
        FUZZ_CHECK(err.kind == LW_ERR_MALFORMED, "script failed as %s: %s",
                   lw_errkind_name(err.kind), err.message);
        return;
    }
    for (uint32_t i = 0; i < s->ncommands; i++) {
        const lw_command *c = &s->commands[i];
        if (!c->has_module)
            continue;
        const lw_script_module *sm = &c->module;
        lw_module *m;
        if (sm->kind == LW_MODSRC_BINARY)
            m = lw_module_decode((const uint8_t *)sm->src, sm->len,
                                 lw_features_all(), &err);
        else
            m = lw_module_parse_text(sm->src, sm->len, lw_features_all(), &err);
        fuzz_check_module(m, &err);
    }
    lw_script_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lw_error err;
    lw_module *m = lw_module_parse_text((const char *)data, size,
                                        lw_features_all(), &err);
    fuzz_check_module(m, &err);
    fuzz_script(data, size);
    return 0;
}
