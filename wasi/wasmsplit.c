/* The code-split transform (wasmsplit.h).  One walker over the code
 * section's grammar serves both directions: splitting reads the module
 * and appends each piece to its stream; joining reads each piece from its
 * stream and appends it to the module.  Every piece is moved verbatim. */
#include "wasmsplit.h"
#include "../libwasm/src/internal.h"

typedef struct {
    size_t pos, end;
} ws_span;

typedef struct {
    const uint8_t *src;     /* all reads */
    uint8_t *dst;           /* all writes; NULL while only measuring */
    bool split;             /* module -> streams, else streams -> module */
    ws_span code;           /* the code payload in the module */
    ws_span st[WSPLIT_STREAMS];
} ws_walk;

enum { WS_U32, WS_S32, WS_S33, WS_S64 };

static ws_span *ws_from(ws_walk *w, int k)
{
    return w->split ? &w->code : &w->st[k];
}

static ws_span *ws_to(ws_walk *w, int k)
{
    return w->split ? &w->st[k] : &w->code;
}

/* Move n bytes from the source cursor to the destination cursor. */
static int ws_copy(ws_walk *w, int k, size_t n)
{
    ws_span *from = ws_from(w, k), *to = ws_to(w, k);
    if (from->end - from->pos < n || to->end - to->pos < n)
        return -1;
    if (w->dst)
        memcpy(w->dst + to->pos, w->src + from->pos, n);
    from->pos += n;
    to->pos += n;
    return 0;
}

/* Move one byte, returning it in *b. */
static int ws_byte(ws_walk *w, int k, uint8_t *b)
{
    ws_span *from = ws_from(w, k);
    if (from->pos >= from->end)
        return -1;
    *b = w->src[from->pos];
    return ws_copy(w, k, 1);
}

/* Move one LEB of the given kind; its value (u32 kinds) in *v if wanted. */
static int ws_leb(ws_walk *w, int k, int kind, uint32_t *v)
{
    ws_span *from = ws_from(w, k);
    const uint8_t *p = w->src + from->pos, *end = w->src + from->end;
    uint32_t u = 0;
    int32_t s32;
    int64_t s64;
    int rc;
    switch (kind) {
    case WS_U32: rc = wasm_read_u32(&p, end, &u); break;
    case WS_S32: rc = wasm_read_s32(&p, end, &s32); break;
    case WS_S33: rc = wasm_read_s33(&p, end, &s64); break;
    default:     rc = wasm_read_s64(&p, end, &s64); break;
    }
    if (rc != LEB_OK)
        return -1;
    if (v)
        *v = u;
    return ws_copy(w, k, (size_t)(p - (w->src + from->pos)));
}

static int ws_u32(ws_walk *w, int k, uint32_t *v)
{
    return ws_leb(w, k, WS_U32, v);
}

static int ws_opcode(ws_walk *w, uint16_t *op)
{
    uint8_t b;
    uint32_t code;
    if (ws_byte(w, WSPLIT_OPS, &b))
        return -1;
    if (b == 0xFC || b == 0xFD) {
        if (ws_u32(w, WSPLIT_OPS, &code))
            return -1;
        *op = wasm_op_lookup(b, code);
    } else {
        *op = (uint16_t)(wasm_op_codes[b] - 1);
    }
    return *op < OP_COUNT ? 0 : -1;
}

static int ws_br_table(ws_walk *w)
{
    uint32_t count;
    if (ws_u32(w, WSPLIT_LABEL, &count))
        return -1;
    for (uint64_t i = 0; i <= count; i++)
        if (ws_u32(w, WSPLIT_LABEL, NULL))
            return -1;
    return 0;
}

static int ws_select_t(ws_walk *w)
{
    uint32_t count;
    return ws_u32(w, WSPLIT_OPS, &count) || ws_copy(w, WSPLIT_OPS, count) ? -1 : 0;
}

static int ws_memarg(ws_walk *w)
{
    return ws_u32(w, WSPLIT_ALIGN, NULL) || ws_u32(w, WSPLIT_OFFSET, NULL) ? -1 : 0;
}

/* An instruction's immediates, laid out as instr.c reads them. */
static int ws_imm(ws_walk *w, uint8_t kind)
{
    switch ((wasm_immkind)kind) {
    case IMM_NONE:          return 0;
    case IMM_BLOCK:         return ws_leb(w, WSPLIT_BLOCK, WS_S33, NULL);
    case IMM_LABEL:         return ws_u32(w, WSPLIT_LABEL, NULL);
    case IMM_BR_TABLE:      return ws_br_table(w);
    case IMM_FUNC:          return ws_u32(w, WSPLIT_FUNC, NULL);
    case IMM_CALL_INDIRECT:
        return ws_u32(w, WSPLIT_FUNC, NULL) || ws_u32(w, WSPLIT_FUNC, NULL) ? -1 : 0;
    case IMM_LOCAL:         return ws_u32(w, WSPLIT_LOCAL, NULL);
    case IMM_GLOBAL:        return ws_u32(w, WSPLIT_GLOBAL, NULL);
    case IMM_TABLE: case IMM_DATA: case IMM_ELEM:
        return ws_u32(w, WSPLIT_INDEX, NULL);
    case IMM_ELEM_TABLE: case IMM_TABLE_TABLE:
        return ws_u32(w, WSPLIT_INDEX, NULL) || ws_u32(w, WSPLIT_INDEX, NULL) ? -1 : 0;
    case IMM_MEMARG:        return ws_memarg(w);
    case IMM_MEMARG_LANE:   return ws_memarg(w) || ws_copy(w, WSPLIT_OPS, 1) ? -1 : 0;
    case IMM_MEMORY: case IMM_REFTYPE: case IMM_LANE:
        return ws_copy(w, WSPLIT_OPS, 1);
    case IMM_DATA_MEMORY:
        return ws_u32(w, WSPLIT_INDEX, NULL) || ws_copy(w, WSPLIT_OPS, 1) ? -1 : 0;
    case IMM_MEMORY_MEMORY: return ws_copy(w, WSPLIT_OPS, 2);
    case IMM_I32:           return ws_leb(w, WSPLIT_I32, WS_S32, NULL);
    case IMM_I64:           return ws_leb(w, WSPLIT_I64, WS_S64, NULL);
    case IMM_F32:           return ws_copy(w, WSPLIT_BYTES, 4);
    case IMM_F64:           return ws_copy(w, WSPLIT_BYTES, 8);
    case IMM_V128: case IMM_SHUFFLE:
        return ws_copy(w, WSPLIT_BYTES, 16);
    case IMM_SELECT_T:      return ws_select_t(w);
    }
    return -1;
}

/* Local declarations, then instructions up to the body's end. */
static int ws_body(ws_walk *w)
{
    uint32_t ndecl;
    if (ws_u32(w, WSPLIT_STRUCT, &ndecl))
        return -1;
    for (uint32_t i = 0; i < ndecl; i++)
        if (ws_u32(w, WSPLIT_STRUCT, NULL) || ws_copy(w, WSPLIT_STRUCT, 1))
            return -1;
    while (w->code.pos < w->code.end) {
        uint16_t op;
        if (ws_opcode(w, &op) || ws_imm(w, wasm_opinfo_table[op].imm))
            return -1;
    }
    return 0;
}

/* The whole payload: each body must end exactly at its declared size. */
static int ws_code(ws_walk *w)
{
    uint32_t count, size;
    if (ws_u32(w, WSPLIT_STRUCT, &count))
        return -1;
    size_t end = w->code.end;
    for (uint32_t i = 0; i < count; i++) {
        if (ws_u32(w, WSPLIT_STRUCT, &size) || end - w->code.pos < size)
            return -1;
        w->code.end = w->code.pos + size;
        if (ws_body(w) || w->code.pos != w->code.end)
            return -1;
        w->code.end = end;
    }
    return w->code.pos == end ? 0 : -1;
}

/* The code section's payload: exactly one, with every section in bounds. */
static int ws_find_code(const uint8_t *in, size_t len, ws_span *code)
{
    static const uint8_t head[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    if (len < sizeof head || memcmp(in, head, sizeof head))
        return -1;
    const uint8_t *p = in + sizeof head, *end = in + len;
    int found = 0;
    while (p < end) {
        uint8_t id = *p++;
        uint32_t size;
        if (wasm_read_u32(&p, end, &size) != LEB_OK || (size_t)(end - p) < size)
            return -1;
        if (id == 10) {
            code->pos = (size_t)(p - in);
            code->end = code->pos + size;
            found++;
        }
        p += size;
    }
    return found == 1 ? 0 : -1;
}

static size_t ws_put_leb(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        p[n++] = (uint8_t)(b | (v ? 0x80 : 0));
    } while (v);
    return n;
}

/* Header, prefix, streams (by a second walk), suffix; NULL on failure. */
static uint8_t *ws_assemble(const uint8_t *in, size_t len, ws_span code,
                            const size_t *lens, size_t *out_len)
{
    uint8_t head[1 + 10 * (1 + WSPLIT_STREAMS)];
    size_t h = 0;
    head[h++] = WSPLIT_VERSION;
    h += ws_put_leb(head + h, code.pos);
    for (int k = 0; k < WSPLIT_STREAMS; k++)
        h += ws_put_leb(head + h, lens[k]);
    uint8_t *out = malloc(h + len);
    if (!out)
        return NULL;
    memcpy(out, head, h);
    memcpy(out + h, in, code.pos);
    ws_walk w = {.src = in, .dst = out, .split = true, .code = code};
    size_t at = h + code.pos;
    for (int k = 0; k < WSPLIT_STREAMS; k++) {
        w.st[k] = (ws_span){at, at + lens[k]};
        at += lens[k];
    }
    if (ws_code(&w)) {
        free(out);
        return NULL;
    }
    memcpy(out + at, in + code.end, len - code.end);
    *out_len = h + len;
    return out;
}

/* Decoding must give back the input exactly, or the transform is refused. */
static bool ws_round_trips(const uint8_t *in, size_t len, const uint8_t *t, size_t tlen)
{
    uint8_t *back = malloc(len);
    bool ok = back && wsplit_decode(t, tlen, back, len) == 0 && !memcmp(back, in, len);
    free(back);
    return ok;
}

uint8_t *wsplit_encode(const uint8_t *in, size_t len, size_t *out_len)
{
    ws_span code;
    if (!in || ws_find_code(in, len, &code))
        return NULL;
    ws_walk w = {.src = in, .dst = NULL, .split = true, .code = code};
    for (int k = 0; k < WSPLIT_STREAMS; k++)
        w.st[k] = (ws_span){0, SIZE_MAX};
    if (ws_code(&w))
        return NULL;
    size_t lens[WSPLIT_STREAMS];
    for (int k = 0; k < WSPLIT_STREAMS; k++)
        lens[k] = w.st[k].pos;
    size_t tlen;
    uint8_t *t = ws_assemble(in, len, code, lens, &tlen);
    if (t && !ws_round_trips(in, len, t, tlen)) {
        free(t);
        t = NULL;
    }
    if (t)
        *out_len = tlen;
    return t;
}

/* A header length: a LEB no larger than what is left of the input. */
static int ws_read_len(const uint8_t **p, const uint8_t *end, size_t *out)
{
    uint64_t v;
    if (wasm_read_u64(p, end, &v) != LEB_OK || v > (uint64_t)(end - *p))
        return -1;
    *out = (size_t)v;
    return 0;
}

int wsplit_decode(const uint8_t *in, size_t len, uint8_t *out, size_t orig_len)
{
    if (!in || !out || len < 1 || in[0] != WSPLIT_VERSION)
        return -1;
    const uint8_t *p = in + 1, *end = in + len;
    size_t prefix, lens[WSPLIT_STREAMS], total = 0;
    if (ws_read_len(&p, end, &prefix))
        return -1;
    for (int k = 0; k < WSPLIT_STREAMS; k++) {
        if (ws_read_len(&p, end, &lens[k]))
            return -1;
        total += lens[k];
    }
    size_t h = (size_t)(p - in);
    /* Each length is at most len, so the sum cannot wrap. */
    if (prefix + total > len - h || orig_len != len - h)
        return -1;
    memcpy(out, p, prefix);
    ws_walk w = {.src = in, .dst = out, .split = false, .code = {prefix, prefix + total}};
    size_t at = h + prefix;
    for (int k = 0; k < WSPLIT_STREAMS; k++) {
        w.st[k] = (ws_span){at, at + lens[k]};
        at += lens[k];
    }
    if (ws_code(&w))
        return -1;
    for (int k = 0; k < WSPLIT_STREAMS; k++)
        if (w.st[k].pos != w.st[k].end)
            return -1;
    memcpy(out + prefix + total, in + at, len - at);
    return 0;
}
