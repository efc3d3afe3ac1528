/* Conway's Game of Life on a torus, seeded with a Gosper glider gun and a
 * few oscillators.  Animates in place on a terminal (ANSI escapes); prints
 * a handful of frames when stdout is a pipe.  Usage: life [GENERATIONS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define W 64
#define H 24

static unsigned char grid[H][W], next[H][W];

static void place(int y, int x, const char *rows[], int n)
{
    for (int r = 0; r < n; r++)
        for (int c = 0; rows[r][c]; c++)
            if (rows[r][c] == 'O')
                grid[(y + r) % H][(x + c) % W] = 1;
}

static void seed(void)
{
    static const char *gun[] = {
        "........................O...........",
        "......................O.O...........",
        "............OO......OO............OO",
        "...........O...O....OO............OO",
        "OO........O.....O...OO..............",
        "OO........O...O.OO....O.O...........",
        "..........O.....O.......O...........",
        "...........O...O....................",
        "............OO......................",
    };
    static const char *pulsar_half[] = {
        "..OOO...OOO..",
        ".............",
        "O....O.O....O",
        "O....O.O....O",
        "O....O.O....O",
        "..OOO...OOO..",
    };
    place(1, 2, gun, 9);
    place(12, 44, pulsar_half, 6);
    static const char *blinker[] = {"OOO"};
    place(20, 10, blinker, 1);
}

static int step(void)
{
    int alive = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int n = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    if (dy || dx)
                        n += grid[(y + dy + H) % H][(x + dx + W) % W];
            next[y][x] = n == 3 || (n == 2 && grid[y][x]);
            alive += next[y][x];
        }
    memcpy(grid, next, sizeof grid);
    return alive;
}

static void draw(int gen, int alive, int tty)
{
    char line[W * 3 + 2];
    if (tty)
        fputs("\033[H", stdout);
    printf("generation %4d   live cells %4d\n", gen, alive);
    for (int y = 0; y < H; y++) {
        int k = 0;
        for (int x = 0; x < W; x++) {
            if (grid[y][x]) {
                memcpy(line + k, "\xe2\x96\x88", 3); /* full block */
                k += 3;
            } else {
                line[k++] = tty ? ' ' : '.';
            }
        }
        line[k++] = '\n';
        fwrite(line, 1, k, stdout);
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int gens = argc > 1 ? atoi(argv[1]) : 150;
    int tty = isatty(1);
    seed();
    if (tty)
        fputs("\033[2J", stdout);
    int alive = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            alive += grid[y][x];
    for (int g = 0; g <= gens; g++) {
        if (tty || g % 50 == 0 || g == gens)
            draw(g, alive, tty);
        alive = step();
        if (tty) {
            struct timespec ts = {0, 40 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    return 0;
}
