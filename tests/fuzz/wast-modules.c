/* Seeds from .wast scripts, with our own text parser: every module of
 * each script that parses (text and quoted ones encoded, binary ones as
 * written) becomes PREFIX.N.wasm, N counting from 0 per script.
 *
 *   wast-modules OUTDIR FILE.wast...
 *
 * Invalid modules are written too (the decoder's seeds want them; the
 * run target skips what does not load).  Exit status 1 when a script
 * cannot be read or parsed at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libwasm-tools.h"

static char *wm_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
            fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)(n < 0 ? 0 : n);
    }
    fclose(f);
    return buf;
}

/* The module's binary into *out (to free), or -1 when it does not parse. */
static int wm_binary(const lw_script_module *sm, uint8_t **out, size_t *len)
{
    lw_error err;
    if (sm->kind == LW_MODSRC_BINARY) {
        *out = malloc(sm->len ? sm->len : 1);
        if (!*out)
            return -1;
        memcpy(*out, sm->src, sm->len);
        *len = sm->len;
        return 0;
    }
    lw_module *m = lw_module_parse_text(sm->src, sm->len, lw_features_all(), &err);
    if (!m)
        return -1;
    int rc = lw_module_encode(m, out, len, &err);
    lw_module_free(m);
    return rc;
}

static int wm_script(const char *outdir, const char *path)
{
    size_t len = 0;
    char *text = wm_read(path, &len);
    lw_error err;
    lw_script *sc = text ? lw_script_parse(text, len, &err) : NULL;
    if (!sc) {
        fprintf(stderr, "wast-modules: %s: %s\n", path, text ? err.message : "cannot read");
        free(text);
        return 1;
    }
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    size_t stem = strcspn(base, ".");
    uint32_t n = 0;
    for (uint32_t i = 0; i < sc->ncommands; i++) {
        const lw_command *c = &sc->commands[i];
        uint8_t *bin;
        size_t blen;
        if (!c->has_module || wm_binary(&c->module, &bin, &blen) != 0)
            continue;
        char out[4096];
        snprintf(out, sizeof out, "%s/%.*s.%u.wasm", outdir, (int)stem, base, n++);
        FILE *f = fopen(out, "wb");
        if (f) {
            fwrite(bin, 1, blen, f);
            fclose(f);
        }
        free(bin);
    }
    lw_script_free(sc);
    free(text);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: wast-modules OUTDIR FILE.wast...\n");
        return 2;
    }
    int rc = 0;
    for (int i = 2; i < argc; i++)
        rc |= wm_script(argv[1], argv[i]);
    return rc;
}
