/* A reversible transform of a WebAssembly module that groups the code
 * section's bytes by kind (opcodes, local indices, constants, ...), so a
 * general compressor such as zstd finds more repetition.
 *
 * Transformed layout (all LEBs unsigned, up to 64 bits):
 *   byte     WSPLIT_VERSION
 *   LEB      prefix length P (module bytes before the code section's payload)
 *   LEB x N  length of each of the WSPLIT_STREAMS streams, in wsplit_stream order
 *   P bytes  the module's prefix, unchanged (includes the code section header)
 *   streams  concatenated, in the same order
 *   rest     the module's bytes after the code section, unchanged
 * The code section's payload is the sum of the stream lengths.  Every byte
 * of it lands in exactly one stream, verbatim (non-minimal LEBs survive);
 * decoding re-interleaves them by walking the same grammar. */
#ifndef BUNDLE_WASMSPLIT_H
#define BUNDLE_WASMSPLIT_H

#include <stddef.h>
#include <stdint.h>

#define WSPLIT_VERSION 0x01

typedef enum {
    WSPLIT_STRUCT,  /* body count, body sizes, local declarations */
    WSPLIT_OPS,     /* opcodes (prefix + sub-opcode), memarg alignment,
                     * memory index, lane, reftype and typed-select bytes */
    WSPLIT_LOCAL,   /* local.get/set/tee indices */
    WSPLIT_GLOBAL,  /* global indices */
    WSPLIT_FUNC,    /* call, ref.func, call_indirect type and table */
    WSPLIT_LABEL,   /* br, br_if, br_table count and labels */
    WSPLIT_I32,     /* i32.const */
    WSPLIT_I64,     /* i64.const */
    WSPLIT_OFFSET,  /* memarg offset */
    WSPLIT_BLOCK,   /* block types */
    WSPLIT_BYTES,   /* f32, f64, v128 and shuffle bytes */
    WSPLIT_INDEX,   /* table, data and element indices */
    WSPLIT_STREAMS
} wsplit_stream;

/* Regroup a module's code section by kind.  Returns the transformed bytes
 * (malloc'ed, length in *out_len), or NULL when the transform does not
 * apply: not a module, no code section or more than one, a body that does
 * not parse with the instruction table, trailing bytes in a body, or out
 * of memory.  A non-NULL result is checked to decode back to `in`. */
uint8_t *wsplit_encode(const uint8_t *in, size_t len, size_t *out_len);

/* The inverse: writes exactly orig_len bytes to out.  Returns 0, or -1
 * when `in` is not wsplit_encode's output for an orig_len-byte module;
 * then out holds unspecified bytes.  Reads and writes stay in bounds and
 * nothing is allocated. */
int wsplit_decode(const uint8_t *in, size_t len, uint8_t *out, size_t orig_len);

#endif
