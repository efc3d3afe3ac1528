/* A guest for the bundle tests: prints GREETING from the environment, then
 * each file named on the command line.  Exits 3 when a file is missing. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    const char *g = getenv("GREETING");
    printf("greeting=%s argc=%d\n", g ? g : "(none)", argc);
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) {
            printf("%s: cannot open\n", argv[i]);
            return 3;
        }
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            fwrite(buf, 1, n, stdout);
        fclose(f);
    }
    return 0;
}
