/*
 * wasm-validate: decode and validate WebAssembly modules.
 *
 * Each file is read (binary, or text when it does not start with the
 * binary magic), decoded and validated.  Problems are reported as
 * "wasm-validate: FILE: 0xOFFSET: message".  Exit status: 0 when every
 * file is valid, 1 when any is not (or cannot be read), 2 on a usage error.
 */
#include "libwasm.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "wasm-validate"

enum { OPT_HELP = 256, OPT_VERSION, OPT_ENABLE_ALL, OPT_FEATURE };

/* Option table entries carry the feature bit and whether it is enabled,
 * packed into the `val` field after OPT_FEATURE. */
#define FEATURE_OPT(bit, on) (OPT_FEATURE + (bit) * 2 + (on))

static void usage(FILE *out)
{
    fprintf(out,
            "usage: " PROG " [options] FILE...\n"
            "\n"
            "  Read WebAssembly modules (binary or text) and validate them.\n"
            "\n"
            "examples:\n"
            "  $ " PROG " test.wasm\n"
            "  $ " PROG " --disable-simd a.wasm b.wasm\n"
            "\n"
            "options:\n"
            "  -h, --help             print this help message\n"
            "      --version          print version information\n"
            "  -v, --verbose          say so for each file that is valid\n"
            "      --enable-all       enable all implemented features\n");
    for (unsigned bit = 0; bit < LW_FEATURE_COUNT; bit++) {
        bool on = (lw_features_default() >> bit) & 1;
        fprintf(out, "      --%s-%-22s %s %s%s\n", on ? "disable" : "enable",
                lw_feature_name(bit), on ? "disable" : "enable",
                lw_feature_name(bit),
                lw_feature_implemented(bit) ? "" : " (not implemented)");
    }
}

/* getopt_long table: fixed options, then --enable-X and --disable-X for
 * every feature.  Names are built into `names`. */
static struct option *build_options(char (*names)[48])
{
    static const struct option fixed[] = {
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {"verbose", no_argument, NULL, 'v'},
        {"enable-all", no_argument, NULL, OPT_ENABLE_ALL},
    };
    size_t nfixed = sizeof fixed / sizeof fixed[0];
    struct option *opts = calloc(nfixed + 2 * LW_FEATURE_COUNT + 1, sizeof *opts);
    if (!opts)
        return NULL;
    memcpy(opts, fixed, sizeof fixed);
    size_t n = nfixed;
    for (unsigned bit = 0; bit < LW_FEATURE_COUNT; bit++) {
        for (int on = 0; on <= 1; on++) {
            char *name = names[bit * 2 + on];
            snprintf(name, 48, "%s-%s", on ? "enable" : "disable", lw_feature_name(bit));
            opts[n++] = (struct option){name, no_argument, NULL, FEATURE_OPT(bit, on)};
        }
    }
    return opts;
}

static void set_feature(lw_features *features, unsigned bit, bool on)
{
    if (on && !lw_feature_implemented(bit)) {
        fprintf(stderr, PROG ": warning: feature %s is not implemented; ignored\n",
                lw_feature_name(bit));
        return;
    }
    if (on)
        *features |= 1u << bit;
    else
        *features &= ~(1u << bit);
}

/* Text starts with a "(" or a comment after optional white space;
 * anything else is read as a binary (and reported as such). */
/* Parse and validate text; decode and validate a binary in one pass over
 * its function bodies. */
static lw_module *load_file(const char *path, lw_features features, lw_error *err)
{
    uint8_t *data;
    size_t len;
    lw_format format;
    if (lw_module_read_file(path, &data, &len, &format, err) < 0)
        return NULL;
    lw_module *m;
    if (format == LW_FORMAT_TEXT) {
        m = lw_module_parse_text((const char *)data, len, features, err);
        if (m && lw_module_validate(m, err) < 0) {
            lw_module_free(m);
            m = NULL;
        }
    } else {
        m = lw_module_load(data, len, features, err);
    }
    free(data);
    return m;
}

/* Returns 0 when the file is valid, else reports and returns 1. */
static int validate_file(const char *path, lw_features features, bool verbose)
{
    lw_error err;
    lw_error_clear(&err);
    lw_module *m = load_file(path, features, &err);
    if (!m) {
        char msg[320];
        lw_error_format(&err, msg, sizeof msg);
        fprintf(stderr, PROG ": %s: %s\n", path, msg);
        return 1;
    }
    lw_module_free(m);
    if (verbose)
        printf("%s: valid\n", path);
    return 0;
}

int main(int argc, char **argv)
{
    static char names[2 * LW_FEATURE_COUNT][48];
    struct option *opts = build_options(names);
    if (!opts) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    lw_features features = lw_features_default();
    bool verbose = false;
    int c;
    while ((c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
        if (c == 'h' || c == OPT_HELP) {
            usage(stdout);
            free(opts);
            return 0;
        } else if (c == OPT_VERSION) {
            printf(PROG " (libwasm) %s\n", LIBWASM_VERSION);
            free(opts);
            return 0;
        } else if (c == 'v') {
            verbose = true;
        } else if (c == OPT_ENABLE_ALL) {
            features |= lw_features_all();
        } else if (c >= OPT_FEATURE) {
            set_feature(&features, (unsigned)(c - OPT_FEATURE) / 2, (c - OPT_FEATURE) & 1);
        } else {
            fprintf(stderr, "Try '" PROG " --help' for more information.\n");
            free(opts);
            return 2;
        }
    }
    free(opts);
    if (optind >= argc) {
        fprintf(stderr, PROG ": no input files\n");
        fprintf(stderr, "Try '" PROG " --help' for more information.\n");
        return 2;
    }
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= validate_file(argv[i], features, verbose);
    return status;
}
