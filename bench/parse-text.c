/* Text parsing throughput: every .wast given is read into memory, then
 * parsed as a script and each of its text (and quoted) modules parsed,
 * RUNS times.  Prints the best and median wall time.
 *
 *   parse-text RUNS FILE.wast... */
#include "libwasm-tools.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    uint8_t *data;
    size_t len;
} file_data;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass over every file; returns the number of modules parsed. */
static unsigned parse_all(const file_data *files, int n)
{
    unsigned modules = 0;
    lw_error err;
    for (int i = 0; i < n; i++) {
        lw_script *s = lw_script_parse((const char *)files[i].data, files[i].len, &err);
        if (!s)
            continue;
        for (uint32_t k = 0; k < s->ncommands; k++) {
            const lw_command *c = &s->commands[k];
            if (!c->has_module || c->module.kind == LW_MODSRC_BINARY)
                continue;
            lw_module *m = lw_module_parse_text(c->module.src, c->module.len,
                                                lw_features_default(), &err);
            modules += m != NULL;
            lw_module_free(m);
        }
        lw_script_free(s);
    }
    return modules;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: parse-text RUNS FILE.wast...\n");
        return 2;
    }
    int runs = atoi(argv[1]), n = argc - 2;
    if (runs < 1)
        runs = 1;
    file_data *files = calloc((size_t)n, sizeof *files);
    double *times = calloc((size_t)runs, sizeof *times);
    size_t total = 0;
    lw_error err;
    for (int i = 0; i < n; i++) {
        if (lw_read_file(argv[i + 2], &files[i].data, &files[i].len, &err) < 0) {
            fprintf(stderr, "%s: %s\n", argv[i + 2], err.message);
            return 1;
        }
        total += files[i].len;
    }
    unsigned modules = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        modules = parse_all(files, n);
        times[r] = now() - t0;
    }
    qsort(times, (size_t)runs, sizeof *times, cmp_double);
    printf("parsed %d scripts (%.1f MB) and %u text modules: best %.3f s, median %.3f s "
           "(%.0f MB/s)\n", n, (double)total / 1e6, modules, times[0], times[runs / 2],
           (double)total / 1e6 / times[runs / 2]);
    for (int i = 0; i < n; i++)
        free(files[i].data);
    free(files);
    free(times);
    return 0;
}
