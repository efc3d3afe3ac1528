/* An LZ77-style compressor with a hash table, and its decompressor. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LEN (1 << 20)
#define HBITS 14
static uint8_t src[LEN], comp[LEN + LEN / 8 + 16], back[LEN];
static uint32_t table[1 << HBITS];

static uint32_t hash(const uint8_t *p)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    return (v * 2654435761u) >> (32 - HBITS);
}

/* Tokens: 0x00 len8 literals... | 0x01 len8 dist16 (match). */
static size_t compress(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t i = 0, o = 0, lit = 0;
    memset(table, 0, sizeof table);
    while (i + 3 <= n) {
        uint32_t h = hash(in + i);
        uint32_t cand = table[h];
        table[h] = (uint32_t)i;
        size_t len = 0;
        if (cand < i && i - cand < 65536)
            while (len < 255 && i + len < n && in[cand + len] == in[i + len])
                len++;
        if (len >= 4) {
            for (size_t k = 0; k < lit; k += 255) {
                size_t m = lit - k < 255 ? lit - k : 255;
                out[o++] = 0;
                out[o++] = (uint8_t)m;
                memcpy(out + o, in + i - lit + k, m);
                o += m;
            }
            lit = 0;
            out[o++] = 1;
            out[o++] = (uint8_t)len;
            out[o++] = (uint8_t)(i - cand);
            out[o++] = (uint8_t)((i - cand) >> 8);
            i += len;
        } else {
            lit++;
            i++;
        }
    }
    lit += n - i;
    for (size_t k = 0; k < lit; k += 255) {
        size_t m = lit - k < 255 ? lit - k : 255;
        out[o++] = 0;
        out[o++] = (uint8_t)m;
        memcpy(out + o, in + n - lit + k, m);
        o += m;
    }
    return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t tag = in[i++];
        size_t len = in[i++];
        if (tag == 0) {
            memcpy(out + o, in + i, len);
            i += len;
        } else {
            size_t dist = in[i] | (size_t)in[i + 1] << 8;
            i += 2;
            for (size_t k = 0; k < len; k++, o++)
                out[o] = out[o - dist];
            continue;
        }
        o += len;
    }
    return o;
}

int main(void)
{
    static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ",
                                  "lazy ", "dog ", "and ", "runs ", "away ", "\n"};
    uint32_t x = 7;
    size_t n = 0;
    while (n < LEN) {
        x = x * 1664525 + 1013904223;
        const char *w = words[(x >> 24) % 12];
        size_t l = strlen(w);
        if (n + l > LEN)
            l = LEN - n;
        memcpy(src + n, w, l);
        n += l;
        if ((x & 0xff) < 16 && n < LEN)
            src[n++] = (uint8_t)(x >> 8);
    }
    size_t clen = 0;
    uint32_t sum = 0;
    for (int r = 0; r < 30; r++) {
        clen = compress(src, LEN, comp);
        size_t dlen = decompress(comp, clen, back);
        if (dlen != LEN || memcmp(src, back, LEN)) {
            printf("lz: round trip failed\n");
            return 1;
        }
        for (size_t i = 0; i < clen; i++)
            sum = sum * 31 + comp[i];
    }
    printf("lz compressed %zu checksum %u\n", clen, sum);
    return 0;
}
