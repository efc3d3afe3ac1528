/* The code-split transform (wasmsplit.h).  One walker over the code
 * section's grammar serves both directions: splitting tags each byte of
 * the code payload with its stream, then scatters the bytes by tag;
 * joining reads each piece from its stream and appends it to the module.
 * Every piece is moved verbatim. */
#include "wasmsplit.h"
#include "libwasm-tools.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

typedef struct {
    size_t pos, end;
} ws_span;

typedef struct {
    const uint8_t *src;     /* all reads */
    uint8_t *dst;           /* joining: the module being rebuilt */
    uint8_t *tags;          /* splitting: the stream of each module byte */
    ws_span code;           /* the code payload in the module */
    ws_span st[WSPLIT_STREAMS];
} ws_walk;

/* The walker takes the direction as a constant so each direction gets
 * its own straight-line copy of the hot path. */
#define WS_HOT static inline __attribute__((always_inline))

enum { WS_U32, WS_S32, WS_S33, WS_S64 };

/* Where a stream's pieces are read: the module, or the stream. */
WS_HOT ws_span *ws_from(ws_walk *w, bool split, int k)
{
    return split ? &w->code : &w->st[k];
}

/* Move n bytes of stream k.  Splitting only tags them and counts the
 * stream's length; the bytes are scattered once the lengths are known. */
WS_HOT int ws_copy(ws_walk *w, bool split, int k, size_t n)
{
    ws_span *s = &w->st[k];
    if (UNLIKELY(w->code.end - w->code.pos < n || (!split && s->end - s->pos < n)))
        return -1;
    if (split)
        memset(w->tags + w->code.pos, k, n);
    else if (n == 1)
        w->dst[w->code.pos] = w->src[s->pos];
    else
        memcpy(w->dst + w->code.pos, w->src + s->pos, n);
    s->pos += n;
    w->code.pos += n;
    return 0;
}

/* Move one byte, returning it in *b. */
WS_HOT int ws_byte(ws_walk *w, bool split, int k, uint8_t *b)
{
    ws_span *from = ws_from(w, split, k);
    if (UNLIKELY(from->pos >= from->end))
        return -1;
    *b = w->src[from->pos];
    return ws_copy(w, split, k, 1);
}

/* A LEB longer than a byte (ws_leb). */
static __attribute__((noinline)) int ws_leb_long(ws_walk *w, bool split, int k, int kind,
                                                 uint32_t *v)
{
    ws_span *from = ws_from(w, split, k);
    const uint8_t *p = w->src + from->pos, *end = w->src + from->end;
    uint32_t u = 0;
    int32_t s32;
    int64_t s64;
    int rc;
    switch (kind) {
    case WS_U32: rc = lw_leb_read_u32(&p, end, &u); break;
    case WS_S32: rc = lw_leb_read_s32(&p, end, &s32); break;
    case WS_S33: rc = lw_leb_read_s33(&p, end, &s64); break;
    default:     rc = lw_leb_read_s64(&p, end, &s64); break;
    }
    if (rc)
        return -1;
    if (v)
        *v = u;
    return ws_copy(w, split, k, (size_t)(p - (w->src + from->pos)));
}

/* Move one LEB of the given kind; its value (u32 kinds) in *v if wanted.
 * A one-byte LEB is valid for every kind. */
WS_HOT int ws_leb(ws_walk *w, bool split, int k, int kind, uint32_t *v)
{
    ws_span *from = ws_from(w, split, k);
    if (LIKELY(from->pos < from->end && w->src[from->pos] < 0x80)) {
        if (v)
            *v = w->src[from->pos];
        return ws_copy(w, split, k, 1);
    }
    return ws_leb_long(w, split, k, kind, v);
}

WS_HOT int ws_u32(ws_walk *w, bool split, int k, uint32_t *v)
{
    return ws_leb(w, split, k, WS_U32, v);
}

/* Move an opcode; its immediate kind (lw_immkind) in *imm. */
WS_HOT int ws_opcode(ws_walk *w, bool split, int *imm)
{
    uint8_t b;
    uint32_t code;
    if (ws_byte(w, split, WSPLIT_OPS, &b))
        return -1;
    if (lw_instr_is_prefix(b)) {
        if (ws_u32(w, split, WSPLIT_OPS, &code))
            return -1;
        *imm = lw_instr_immkind(b, code);
    } else {
        *imm = lw_instr_immkind(0, b);
    }
    return *imm >= 0 ? 0 : -1;
}

static int ws_br_table(ws_walk *w, bool split)
{
    uint32_t count;
    if (ws_u32(w, split, WSPLIT_LABEL, &count))
        return -1;
    for (uint64_t i = 0; i <= count; i++)
        if (ws_u32(w, split, WSPLIT_LABEL, NULL))
            return -1;
    return 0;
}

static int ws_select_t(ws_walk *w, bool split)
{
    uint32_t count;
    return ws_u32(w, split, WSPLIT_OPS, &count) || ws_copy(w, split, WSPLIT_OPS, count) ? -1 : 0;
}

/* try_table: the block type, then each clause's kind with the opcodes,
 * its tag with the indices and its label with the labels. */
static int ws_try_table(ws_walk *w, bool split)
{
    uint32_t count;
    if (ws_leb(w, split, WSPLIT_BLOCK, WS_S33, NULL) || ws_u32(w, split, WSPLIT_OPS, &count))
        return -1;
    for (uint64_t i = 0; i < count; i++) {
        uint8_t kind;
        if (ws_byte(w, split, WSPLIT_OPS, &kind) ||
            (kind < 2 && ws_u32(w, split, WSPLIT_INDEX, NULL)) ||
            ws_u32(w, split, WSPLIT_LABEL, NULL))
            return -1;
    }
    return 0;
}

/* The alignment goes with the opcodes: it nearly always follows from the
 * opcode, so there it compresses to almost nothing. */
WS_HOT int ws_memarg(ws_walk *w, bool split)
{
    return ws_u32(w, split, WSPLIT_OPS, NULL) || ws_u32(w, split, WSPLIT_OFFSET, NULL) ? -1 : 0;
}

WS_HOT int ws_two(ws_walk *w, bool split, int k)
{
    return ws_u32(w, split, k, NULL) || ws_u32(w, split, k, NULL) ? -1 : 0;
}

/* An instruction's immediates, laid out as instr.c reads them. */
WS_HOT int ws_imm(ws_walk *w, bool split, int kind)
{
    switch ((lw_immkind)kind) {
    case LW_IMM_NONE:          return 0;
    case LW_IMM_BLOCK:         return ws_leb(w, split, WSPLIT_BLOCK, WS_S33, NULL);
    case LW_IMM_LABEL:         return ws_u32(w, split, WSPLIT_LABEL, NULL);
    case LW_IMM_BR_TABLE:      return ws_br_table(w, split);
    case LW_IMM_FUNC:          return ws_u32(w, split, WSPLIT_FUNC, NULL);
    case LW_IMM_CALL_INDIRECT: return ws_two(w, split, WSPLIT_FUNC);
    case LW_IMM_LOCAL:         return ws_u32(w, split, WSPLIT_LOCAL, NULL);
    case LW_IMM_GLOBAL:        return ws_u32(w, split, WSPLIT_GLOBAL, NULL);
    case LW_IMM_TABLE: case LW_IMM_DATA: case LW_IMM_ELEM: case LW_IMM_TYPE:
        return ws_u32(w, split, WSPLIT_INDEX, NULL);
    case LW_IMM_ELEM_TABLE: case LW_IMM_TABLE_TABLE:
        return ws_two(w, split, WSPLIT_INDEX);
    case LW_IMM_MEMARG:        return ws_memarg(w, split);
    case LW_IMM_MEMARG_LANE:
        return ws_memarg(w, split) || ws_copy(w, split, WSPLIT_OPS, 1) ? -1 : 0;
    case LW_IMM_REFTYPE:       return ws_leb(w, split, WSPLIT_OPS, WS_S33, NULL);
    case LW_IMM_MEMORY: case LW_IMM_LANE: case LW_IMM_ZERO:
        return ws_copy(w, split, WSPLIT_OPS, 1);
    case LW_IMM_DATA_MEMORY:
        return ws_u32(w, split, WSPLIT_INDEX, NULL) || ws_copy(w, split, WSPLIT_OPS, 1) ? -1 : 0;
    case LW_IMM_MEMORY_MEMORY: return ws_copy(w, split, WSPLIT_OPS, 2);
    case LW_IMM_I32:           return ws_leb(w, split, WSPLIT_I32, WS_S32, NULL);
    case LW_IMM_I64:           return ws_leb(w, split, WSPLIT_I64, WS_S64, NULL);
    case LW_IMM_F32:           return ws_copy(w, split, WSPLIT_BYTES, 4);
    case LW_IMM_F64:           return ws_copy(w, split, WSPLIT_BYTES, 8);
    case LW_IMM_V128: case LW_IMM_SHUFFLE:
        return ws_copy(w, split, WSPLIT_BYTES, 16);
    case LW_IMM_SELECT_T:      return ws_select_t(w, split);
    case LW_IMM_TAG:           return ws_u32(w, split, WSPLIT_INDEX, NULL);
    case LW_IMM_TRY_TABLE:     return ws_try_table(w, split);
    case LW_IMM_TYPE_FIELD: case LW_IMM_TYPE_COUNT: case LW_IMM_TYPE_DATA:
    case LW_IMM_TYPE_ELEM: case LW_IMM_TYPE_TYPE:
        return ws_two(w, split, WSPLIT_INDEX);
    case LW_IMM_REF_HT: case LW_IMM_REF_NULL_HT:
        return ws_leb(w, split, WSPLIT_INDEX, WS_S33, NULL);
    case LW_IMM_BR_ON_CAST:
        return ws_copy(w, split, WSPLIT_OPS, 1) || ws_u32(w, split, WSPLIT_LABEL, NULL) ||
               ws_leb(w, split, WSPLIT_INDEX, WS_S33, NULL) ||
               ws_leb(w, split, WSPLIT_INDEX, WS_S33, NULL) ? -1 : 0;
    }
    return -1;
}

/* Local declarations, then instructions up to the body's end. */
WS_HOT int ws_body(ws_walk *w, bool split)
{
    uint32_t ndecl;
    if (ws_u32(w, split, WSPLIT_STRUCT, &ndecl))
        return -1;
    for (uint32_t i = 0; i < ndecl; i++)
        if (ws_u32(w, split, WSPLIT_STRUCT, NULL) || ws_copy(w, split, WSPLIT_STRUCT, 1))
            return -1;
    while (w->code.pos < w->code.end) {
        int imm;
        if (ws_opcode(w, split, &imm) || ws_imm(w, split, imm))
            return -1;
    }
    return 0;
}

/* The whole payload: each body must end exactly at its declared size. */
WS_HOT int ws_code(ws_walk *w, bool split)
{
    uint32_t count, size;
    if (ws_u32(w, split, WSPLIT_STRUCT, &count))
        return -1;
    size_t end = w->code.end;
    for (uint32_t i = 0; i < count; i++) {
        if (ws_u32(w, split, WSPLIT_STRUCT, &size) || end - w->code.pos < size)
            return -1;
        w->code.end = w->code.pos + size;
        if (ws_body(w, split) || w->code.pos != w->code.end)
            return -1;
        w->code.end = end;
    }
    return w->code.pos == end ? 0 : -1;
}

static int ws_split(ws_walk *w)
{
    return ws_code(w, true);
}

static int ws_join(ws_walk *w)
{
    return ws_code(w, false);
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
        if (lw_leb_read_u32(&p, end, &size) || (size_t)(end - p) < size)
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

/* Header, prefix, the payload's bytes scattered to their streams by tag,
 * suffix. */
static uint8_t *ws_assemble(const uint8_t *in, size_t len, ws_span code,
                            const uint8_t *tags, const size_t *lens, size_t *out_len)
{
    uint8_t head[1 + LW_LEB_MAX * (1 + WSPLIT_STREAMS)];
    size_t h = 0;
    head[h++] = WSPLIT_VERSION;
    h += lw_leb_write_u64(head + h, code.pos);
    for (int k = 0; k < WSPLIT_STREAMS; k++)
        h += lw_leb_write_u64(head + h, lens[k]);
    uint8_t *out = malloc(h + len);
    if (!out)
        return NULL;
    memcpy(out, head, h);
    memcpy(out + h, in, code.pos);
    size_t at[WSPLIT_STREAMS], next = h + code.pos;
    for (int k = 0; k < WSPLIT_STREAMS; k++) {
        at[k] = next;
        next += lens[k];
    }
    for (size_t i = code.pos; i < code.end; i++)
        out[at[tags[i]]++] = in[i];
    memcpy(out + next, in + code.end, len - code.end);
    *out_len = h + len;
    return out;
}

/* Decoding must give back the input exactly, or the transform is refused.
 * `back` has room for len bytes. */
static bool ws_round_trips(const uint8_t *in, size_t len, const uint8_t *t, size_t tlen,
                           uint8_t *back)
{
    return wsplit_decode(t, tlen, back, len) == 0 && !memcmp(back, in, len);
}

uint8_t *wsplit_encode(const uint8_t *in, size_t len, size_t *out_len)
{
    ws_span code;
    if (!in || ws_find_code(in, len, &code))
        return NULL;
    uint8_t *tags = malloc(len);
    if (!tags)
        return NULL;
    ws_walk w = {.src = in, .tags = tags, .code = code};
    uint8_t *t = NULL;
    size_t tlen;
    if (!ws_split(&w)) {
        size_t lens[WSPLIT_STREAMS];
        for (int k = 0; k < WSPLIT_STREAMS; k++)
            lens[k] = w.st[k].pos;
        t = ws_assemble(in, len, code, tags, lens, &tlen);
    }
    /* The tags are spent: their buffer takes the check's output. */
    if (t && !ws_round_trips(in, len, t, tlen, tags)) {
        free(t);
        t = NULL;
    }
    free(tags);
    if (t)
        *out_len = tlen;
    return t;
}

/* A header length: a LEB no larger than what is left of the input. */
static int ws_read_len(const uint8_t **p, const uint8_t *end, size_t *out)
{
    uint64_t v;
    if (lw_leb_read_u64(p, end, &v) || v > (uint64_t)(end - *p))
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
    ws_walk w = {.src = in, .dst = out, .code = {prefix, prefix + total}};
    size_t at = h + prefix;
    for (int k = 0; k < WSPLIT_STREAMS; k++) {
        w.st[k] = (ws_span){at, at + lens[k]};
        at += lens[k];
    }
    if (ws_join(&w))
        return -1;
    for (int k = 0; k < WSPLIT_STREAMS; k++)
        if (w.st[k].pos != w.st[k].end)
            return -1;
    memcpy(out + prefix + total, in + at, len - at);
    return 0;
}
