/* Building module binaries by hand in unit tests. */
#ifndef BINBUILD_H
#define BINBUILD_H

#include <check.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    uint8_t d[8192];
    size_t n;
} bin;

static inline void b_byte(bin *b, uint8_t v)
{
    ck_assert_uint_lt(b->n, sizeof b->d);
    b->d[b->n++] = v;
}

static inline void b_u32(bin *b, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        b_byte(b, byte | (v ? 0x80 : 0));
    } while (v);
}

static inline void b_raw(bin *b, const void *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        b_byte(b, ((const uint8_t *)p)[i]);
}

/* Bytes written as hex pairs ("41 00 6a"). */
static inline void b_hex(bin *b, const char *hex)
{
    while (*hex) {
        if (isspace((unsigned char)*hex)) {
            hex++;
            continue;
        }
        unsigned v;
        ck_assert_int_eq(sscanf(hex, "%2x", &v), 1);
        b_byte(b, (uint8_t)v);
        hex += 2;
    }
}

#endif
