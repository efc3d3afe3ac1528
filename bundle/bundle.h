/* Bundles: one zstd-compressed file holding modules, read-only assets and a
 * run configuration (docs/BUNDLE.md).  Used by wasm-pack to write and
 * inspect them and by wasm-run to run them in place. */
#ifndef BUNDLE_BUNDLE_H
#define BUNDLE_BUNDLE_H

#include "libwasm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WPK_MAGIC "\x89WPK\r\n\x1a\n"
#define WPK_HEADER_SIZE 56
#define WPK_VERSION_MAJOR 2
#define WPK_VERSION_MINOR 0
/* Largest block a reader inflates (bounds memory against lying sizes). */
#define WPK_MAX_BLOCK_SIZE ((uint64_t)1 << 32)
/* Entries are grouped into blocks of about this much content; a larger
 * entry has a block of its own. */
#define WPK_BLOCK_TARGET ((uint64_t)1 << 20)

typedef enum { WPK_MODULE = 0, WPK_ASSET = 1 } wpk_kind;
/* How an entry is stored in its block. */
typedef enum { WPK_STORED = 0, WPK_WASM_SPLIT = 1 } wpk_filter;

/* A block is one zstd frame holding one or more whole entries. */
typedef struct {
    uint64_t offset;         /* of the frame in the file */
    uint64_t csize;          /* the frame's size */
    uint64_t usize;          /* its content's size */
} wpk_block;

typedef struct {
    const char *path;        /* relative, '/'-separated, no '.' or '..' */
    uint8_t kind;            /* wpk_kind */
    uint8_t filter;          /* wpk_filter */
    uint32_t block;          /* the block holding it */
    uint64_t offset;         /* where it starts in the block's content */
    uint64_t size;           /* of the file */
    uint64_t stored;         /* of its stored form in the block */
    uint8_t sha256[32];      /* of the file's bytes */
} wpk_entry;

typedef struct {
    const char *prefix;      /* bundle path prefix ("" = every asset) */
    const char *guest;       /* where the guest sees it */
} wpk_mount;

typedef struct {
    const char *name, *version;
    const char *entry;       /* bundle path of the entry module */
    uint32_t nargs;
    const char **args;
    uint32_t nenv;
    const char **env;        /* "NAME=VALUE" */
    uint32_t nmounts;
    const wpk_mount *mounts;
    uint32_t nfeatures;
    const char **features;   /* libwasm feature names the modules need */
    uint64_t created;        /* Unix time */
} wpk_manifest;

typedef struct wpk_bundle {
    wpk_manifest manifest;
    uint32_t nblocks;
    const wpk_block *blocks;
    uint32_t nentries;
    const wpk_entry *entries;
    const uint8_t *data;     /* the whole file */
    size_t size;
    struct wpk_priv *priv;
} wpk_bundle;

/* True when the bytes start with the bundle magic. */
bool wpk_is_bundle(const uint8_t *data, size_t size);
/* Open a bundle: header, index hash, manifest, the block table and the
 * entries are checked; contents are checked when read. */
wpk_bundle *wpk_open_file(const char *path, lw_error *err);
wpk_bundle *wpk_open_memory(const uint8_t *data, size_t size, lw_error *err);
void wpk_close(wpk_bundle *b);

const wpk_entry *wpk_find(const wpk_bundle *b, const char *path);
/* One entry's bytes (malloc'ed; size e->size), hash checked.  Inflates
 * its block, keeping the last block inflated for the next read. */
int wpk_read(wpk_bundle *b, const wpk_entry *e, uint8_t **out, lw_error *err);
/* Check everything: the file hash, every block inflates to its size, every
 * entry's hash.  Returns the number of bad entries (0 = all good), -1 on a
 * structural error; err describes the first problem. */
int wpk_verify(wpk_bundle *b, lw_error *err);

/* A safe bundle path: non-empty components of printable UTF-8 separated by
 * single '/', none "." or "..", no leading '/', at most 4096 bytes. */
bool wpk_path_ok(const char *path);

/* Writing. */
typedef struct wpk_writer wpk_writer;
wpk_writer *wpk_writer_new(int level, bool long_mode);
/* Add a file (the data is copied).  Fails on a bad or duplicate path. */
int wpk_writer_add(wpk_writer *w, const char *path, uint8_t kind,
                   const uint8_t *data, size_t len, lw_error *err);
/* Compress, write to path atomically (temporary file, then rename). */
int wpk_writer_finish(wpk_writer *w, const wpk_manifest *m, const char *path,
                      lw_error *err);
void wpk_writer_free(wpk_writer *w);

#endif
