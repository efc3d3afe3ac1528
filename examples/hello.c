/* A small WASI program: greets, shows its arguments and one environment
 * variable, and prints a file it is given (from a directory it was
 * granted).  Exits with the number of files it could not open. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    const char *who = getenv("USER");
    printf("Hello, %s, from WebAssembly!\n", who ? who : "stranger");
    int missing = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) {
            fprintf(stderr, "hello: %s: cannot open\n", argv[i]);
            missing++;
            continue;
        }
        char line[256];
        while (fgets(line, sizeof line, f))
            printf("%s: %s", argv[i], line);
        fclose(f);
    }
    return missing;
}
