/* SHA-256 (FIPS 180-4), for bundle integrity. */
#ifndef BUNDLE_SHA256_H
#define BUNDLE_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t bytes;
    uint8_t block[64];
    size_t fill;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
void sha256_final(sha256_ctx *c, uint8_t digest[32]);
void sha256(const void *data, size_t len, uint8_t digest[32]);
/* Tests: use the portable code even where the CPU's SHA extensions are. */
void sha256_use_portable(bool on);

#endif
