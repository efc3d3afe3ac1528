/* A Huffman codec with bit I/O: generated text with a skewed letter
 * distribution is compressed with canonical codes (lengths limited to
 * 15 bits), written through a 64-bit bit buffer, then decoded with a
 * lookup table and checked against the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSYM 256
#define MAXLEN 15
#define TABLE_BITS 11

static uint32_t rng = 88172645u;

static uint32_t rand32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Text from a small vocabulary, so that letters and spaces dominate. */
static size_t gen_text(uint8_t *out, size_t n)
{
    static const char *const vocab[] = {
        "the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he",
        "was", "for", "on", "are", "as", "with", "his", "they", "at", "be",
        "this", "have", "from", "or", "one", "had", "by", "word", "but",
        "not", "what", "all", "were", "we", "when", "your", "can", "said",
        "compression", "entropy", "symbol", "bitstream", "decoder", "Zebra",
    };
    size_t len = 0;
    while (len + 16 < n) {
        uint32_t r = rand32();
        /* half the words from the nine most common */
        const char *w = r >> 8 & 1 ? vocab[r % 45] : vocab[(r >> 9) % 9];
        size_t wl = strlen(w);
        memcpy(out + len, w, wl);
        len += wl;
        uint32_t p = (r >> 16) % 32;
        out[len++] = p == 0 ? '.' : p == 1 ? ',' : p == 2 ? '\n' : p == 3 ? (uint8_t)('0' + r % 10) : ' ';
    }
    return len;
}

/* ---- code construction ---- */

typedef struct {
    uint32_t freq;
    int sym;          /* >= 0 leaf, else -1 */
    int left, right;
} hnode;

/* Code lengths from frequencies (a simple O(n^2) merge, n <= 256), then
 * limited to MAXLEN by the usual overflow repair on the length counts. */
static void code_lengths(const uint32_t *freq, uint8_t *len)
{
    hnode nodes[2 * NSYM];
    int live[NSYM], nlive = 0, nnodes = 0;
    memset(len, 0, NSYM);
    for (int s = 0; s < NSYM; s++) {
        if (!freq[s])
            continue;
        nodes[nnodes] = (hnode){freq[s], s, -1, -1};
        live[nlive++] = nnodes++;
    }
    if (nlive == 1) {
        len[nodes[0].sym] = 1;
        return;
    }
    while (nlive > 1) {
        int a = 0, b = 1;
        if (nodes[live[b]].freq < nodes[live[a]].freq) { a = 1; b = 0; }
        for (int i = 2; i < nlive; i++) {
            uint32_t f = nodes[live[i]].freq;
            if (f < nodes[live[a]].freq) { b = a; a = i; }
            else if (f < nodes[live[b]].freq) b = i;
        }
        nodes[nnodes] = (hnode){nodes[live[a]].freq + nodes[live[b]].freq, -1, live[a], live[b]};
        int hi = a > b ? a : b, lo = a > b ? b : a;
        live[lo] = nnodes++;
        live[hi] = live[--nlive];
    }
    /* depths by walking from the root with an explicit stack */
    int stack[2 * NSYM], depth[2 * NSYM], sp = 0;
    stack[sp] = live[0];
    depth[sp++] = 0;
    uint32_t count[64] = {0};
    while (sp) {
        sp--;
        int n = stack[sp], d = depth[sp];
        if (nodes[n].sym >= 0) {
            len[nodes[n].sym] = (uint8_t)(d > 63 ? 63 : d);
            count[d > 63 ? 63 : d]++;
            continue;
        }
        stack[sp] = nodes[n].left; depth[sp++] = d + 1;
        stack[sp] = nodes[n].right; depth[sp++] = d + 1;
    }
    /* limit: move overlong codes up, then rebalance the Kraft sum */
    int over = 0;
    for (int d = MAXLEN + 1; d < 64; d++) {
        over += (int)count[d];
        count[MAXLEN] += count[d];
        count[d] = 0;
    }
    if (over) {
        uint32_t kraft = 0;
        for (int d = 1; d <= MAXLEN; d++)
            kraft += count[d] << (MAXLEN - d);
        while (kraft > (1u << MAXLEN)) {
            int d = MAXLEN - 1;
            while (!count[d]) d--;
            count[d]--;
            count[d + 1] += 2;
            count[MAXLEN]--;
            kraft -= 1;
        }
        /* hand the lengths out again, shortest to the most frequent */
        int order[NSYM], n = 0;
        for (int s = 0; s < NSYM; s++)
            if (freq[s]) order[n++] = s;
        for (int i = 1; i < n; i++)
            for (int j = i; j > 0 && freq[order[j]] > freq[order[j - 1]]; j--) {
                int t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
            }
        int k = 0;
        for (int d = 1; d <= MAXLEN; d++)
            for (uint32_t c = 0; c < count[d]; c++)
                len[order[k++]] = (uint8_t)d;
    }
}

/* Canonical codes, stored bit-reversed so that the writer can emit them
 * least significant bit first. */
static void canonical(const uint8_t *len, uint16_t *code)
{
    uint16_t next[MAXLEN + 2] = {0};
    uint32_t count[MAXLEN + 1] = {0};
    for (int s = 0; s < NSYM; s++)
        count[len[s]]++;
    count[0] = 0;
    uint16_t c = 0;
    for (int d = 1; d <= MAXLEN; d++) {
        c = (uint16_t)((c + count[d - 1]) << 1);
        next[d] = c;
    }
    for (int s = 0; s < NSYM; s++) {
        if (!len[s]) continue;
        uint16_t v = next[len[s]]++, r = 0;
        for (int i = 0; i < len[s]; i++)
            r = (uint16_t)(r << 1 | (v >> i & 1));
        code[s] = r;
    }
}

/* ---- bit I/O ---- */

typedef struct {
    uint8_t *out;
    size_t pos;
    uint64_t buf;
    int nbits;
} bitwriter;

static void put_bits(bitwriter *w, uint32_t bits, int n)
{
    w->buf |= (uint64_t)bits << w->nbits;
    w->nbits += n;
    while (w->nbits >= 8) {
        w->out[w->pos++] = (uint8_t)w->buf;
        w->buf >>= 8;
        w->nbits -= 8;
    }
}

static void flush_bits(bitwriter *w)
{
    if (w->nbits)
        w->out[w->pos++] = (uint8_t)w->buf;
    w->buf = 0;
    w->nbits = 0;
}

typedef struct {
    const uint8_t *in;
    size_t pos, size;
    uint64_t buf;
    int nbits;
} bitreader;

static void refill(bitreader *r)
{
    while (r->nbits <= 56) {
        uint64_t b = r->pos < r->size ? r->in[r->pos] : 0;
        r->pos++;
        r->buf |= b << r->nbits;
        r->nbits += 8;
    }
}

/* ---- the codec ---- */

typedef struct {
    uint16_t sym;
    uint8_t len;   /* 0: longer than TABLE_BITS, walk the slow path */
} entry;

static size_t compress(const uint8_t *in, size_t n, uint8_t *out, uint8_t *len)
{
    uint32_t freq[NSYM] = {0};
    uint16_t code[NSYM] = {0};
    for (size_t i = 0; i < n; i++)
        freq[in[i]]++;
    code_lengths(freq, len);
    canonical(len, code);
    bitwriter w = {out, 0, 0, 0};
    for (size_t i = 0; i < n; i++)
        put_bits(&w, code[in[i]], len[in[i]]);
    flush_bits(&w);
    return w.pos;
}

static void decompress(const uint8_t *in, size_t size, const uint8_t *len,
                       uint8_t *out, size_t n)
{
    static entry table[1 << TABLE_BITS];
    uint16_t code[NSYM] = {0};
    canonical(len, code);
    memset(table, 0, sizeof table);
    for (int s = 0; s < NSYM; s++) {
        if (!len[s] || len[s] > TABLE_BITS) continue;
        for (uint32_t hi = 0; hi < 1u << (TABLE_BITS - len[s]); hi++)
            table[code[s] | hi << len[s]] = (entry){(uint16_t)s, len[s]};
    }
    bitreader r = {in, 0, size, 0, 0};
    for (size_t i = 0; i < n; i++) {
        refill(&r);
        entry e = table[r.buf & ((1u << TABLE_BITS) - 1)];
        if (e.len) {
            out[i] = (uint8_t)e.sym;
            r.buf >>= e.len;
            r.nbits -= e.len;
            continue;
        }
        /* long code: compare against every symbol of that length */
        int found = 0;
        for (int l = TABLE_BITS + 1; l <= MAXLEN && !found; l++)
            for (int s = 0; s < NSYM; s++)
                if (len[s] == l && code[s] == (r.buf & ((1u << l) - 1))) {
                    out[i] = (uint8_t)s;
                    r.buf >>= l;
                    r.nbits -= l;
                    found = 1;
                    break;
                }
        if (!found) {
            printf("corrupt stream at symbol %lu\n", (unsigned long)i);
            exit(1);
        }
    }
}

int main(void)
{
    size_t cap = 1 << 20;
    uint8_t *text = malloc(cap), *packed = malloc(cap * 2), *back = malloc(cap);
    uint8_t len[NSYM];
    uint64_t total_in = 0, total_out = 0;
    uint32_t check = 0;
    for (int round = 0; round < 12; round++) {
        size_t n = gen_text(text, cap - (size_t)round * 4096);
        /* every third round a noisy block, so that long codes occur */
        if (round % 3 == 2)
            for (size_t i = 0; i < n; i += 97)
                text[i] = (uint8_t)rand32();
        size_t size = compress(text, n, packed, len);
        decompress(packed, size, len, back, n);
        if (memcmp(text, back, n)) {
            printf("round %d: round trip differs\n", round);
            return 1;
        }
        total_in += n;
        total_out += size;
        for (size_t i = 0; i < size; i++)
            check = (check ^ packed[i]) * 16777619u;
        int longest = 0;
        for (int s = 0; s < NSYM; s++)
            if (len[s] > longest) longest = len[s];
        printf("round %d: %lu -> %lu bytes, longest code %d\n", round,
               (unsigned long)n, (unsigned long)size, longest);
    }
    printf("total %llu -> %llu, check %08x\n", (unsigned long long)total_in,
           (unsigned long long)total_out, check);
    return 0;
}
