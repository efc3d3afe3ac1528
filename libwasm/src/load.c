/* Loading: the ways from bytes or a file to a module, and the one place
 * that runs decode.c and validate.c in sequence (neither calls the other).
 *
 * lw_module_load reads each function body once: the decoder leaves the
 * bodies to the validator, which decodes instructions as it types them.
 * Error order stays that of a full decode followed by validation: a
 * decode failure is reported by a full decode, and a validation failure
 * gives way to a malformed body the deferred decode did not read. */
#include "internal.h"

/* Bodies deferred; on failure, a full decode for the error (it frees
 * `owned`, bytes itself or NULL when borrowed). */
static lw_module *load_decode(const uint8_t *bytes, size_t len, uint8_t *owned,
                              lw_features features, lw_error *err)
{
    lw_module *m = wasm_module_decode_deferred(bytes, len, features, err);
    if (m) {
        m->priv->bytes = owned;
        return m;
    }
    return owned ? wasm_module_decode_owned(owned, len, features, err)
                 : lw_module_decode_borrowed(bytes, len, features, err);
}

static int load_validate(lw_module *m, lw_error *err)
{
    int rc = lw_module_validate(m, err);
    if (!m->priv->bodies_deferred)
        return rc;
    if (rc < 0) {
        /* A full decode would have read every body before validating. */
        wasm_module_scan_bodies(m, err);
        return -1;
    }
    m->priv->bodies_deferred = false;
    return 0;
}

static lw_module *load(const uint8_t *bytes, size_t len, uint8_t *owned,
                       lw_features features, lw_error *err)
{
    lw_module *m = load_decode(bytes, len, owned, features, err);
    if (m && load_validate(m, err) < 0) {
        lw_module_free(m);
        return NULL;
    }
    return m;
}

lw_module *lw_module_load(const uint8_t *bytes, size_t len,
                          lw_features features, lw_error *err)
{
    uint8_t *copy = wasm_module_copy_bytes(bytes, len, err);
    return copy ? load(copy, len, copy, features, err) : NULL;
}

lw_module *lw_module_load_borrowed(const uint8_t *bytes, size_t len,
                                   lw_features features, lw_error *err)
{
    return load(bytes, len, NULL, features, err);
}

lw_module *lw_module_load_file(const char *path, lw_features features,
                               lw_error *err)
{
    uint8_t *data;
    size_t len;
    lw_format format;
    if (lw_module_read_file(path, &data, &len, &format, err) < 0)
        return NULL;
    if (format == LW_FORMAT_BINARY)
        return wasm_module_decode_owned(data, len, features, err);
    lw_module *m = lw_module_parse_text((const char *)data, len, features, err);
    free(data);
    return m;
}
