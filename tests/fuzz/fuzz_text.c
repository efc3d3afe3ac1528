/* Text: the input as one module and as a whole script.  A module that
 * parses and validates must encode to a binary that loads; the modules of
 * a script are parsed (or decoded) the same way. */
#include <stdint.h>

#include "fuzz.h"
#include "libwasm.h"

static void fuzz_check_module(wasm_module *m, wasm_error *err)
{
    if (!m) {
        FUZZ_CHECK(err->kind == WASM_ERR_MALFORMED || err->kind == WASM_ERR_INVALID,
                   "parse failed as %s: %s", wasm_errkind_name(err->kind),
                   err->message);
        return;
    }
    if (wasm_module_validate(m, err) == 0) {
        uint8_t *bin = NULL;
        size_t len = 0;
        FUZZ_CHECK(wasm_module_encode(m, &bin, &len, err) == 0,
                   "a valid text module does not encode: %s", err->message);
        wasm_module *m2 = wasm_module_load(bin, len, m->features, err);
        FUZZ_CHECK(m2, "the encoding of a valid text module does not load: %s",
                   err->message);
        wasm_module_free(m2);
        free(bin);
    } else {
        FUZZ_CHECK(err->kind == WASM_ERR_INVALID, "validate failed as %s: %s",
                   wasm_errkind_name(err->kind), err->message);
    }
    wasm_module_free(m);
}

static void fuzz_script(const uint8_t *data, size_t size)
{
    wasm_error err;
    wasm_script *s = wasm_script_parse((const char *)data, size, &err);
    if (!s) {
        FUZZ_CHECK(err.kind == WASM_ERR_MALFORMED, "script failed as %s: %s",
                   wasm_errkind_name(err.kind), err.message);
        return;
    }
    for (uint32_t i = 0; i < s->ncommands; i++) {
        const wasm_command *c = &s->commands[i];
        if (!c->has_module)
            continue;
        const wasm_script_module *sm = &c->module;
        wasm_module *m;
        if (sm->kind == WASM_MODSRC_BINARY)
            m = wasm_module_decode((const uint8_t *)sm->src, sm->len,
                                   wasm_features_all(), &err);
        else
            m = wasm_module_parse_text(sm->src, sm->len, wasm_features_all(), &err);
        fuzz_check_module(m, &err);
    }
    wasm_script_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wasm_error err;
    wasm_module *m = wasm_module_parse_text((const char *)data, size,
                                            wasm_features_all(), &err);
    fuzz_check_module(m, &err);
    fuzz_script(data, size);
    return 0;
}
