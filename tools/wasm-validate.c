/*
 * wasm-validate: decode and validate WebAssembly modules.
 *
 * Each file is read (binary, or text when it does not start with the
 * binary magic), decoded and validated.  Problems are reported as
 * "wasm-validate: FILE: 0xOFFSET: message".  Exit status: 0 when every
 * file is valid, 1 when any is not (or cannot be read), 2 on a usage error.
 */
#include "libwasm-tools.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "wasm-validate"

enum { OPT_HELP = 256, OPT_VERSION };

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
            "  -v, --verbose          say so for each file that is valid\n");
    lw_features_help(out);
}

static const struct option long_options[] = {
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"verbose", no_argument, NULL, 'v'},
    {NULL, 0, NULL, 0},
};

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
    lw_features features = lw_features_default();
    bool verbose = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hv", long_options, NULL)) != -1) {
        if (c == 'h' || c == OPT_HELP) {
            usage(stdout);
            return 0;
        } else if (c == OPT_VERSION) {
            printf(PROG " (libwasm) %s\n", LIBWASM_VERSION);
            return 0;
        } else if (c == 'v') {
            verbose = true;
        } else {
            /* Not in the table: a feature flag, or an error. */
            char letter[3] = {'-', (char)optopt, 0};
            lw_error err;
            if (lw_features_option(optopt ? letter : argv[optind - 1], &features, &err) <= 0) {
                fprintf(stderr, PROG ": %s\n", err.message);
                fprintf(stderr, "Try '" PROG " --help' for more information.\n");
                return 2;
            }
        }
    }
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
