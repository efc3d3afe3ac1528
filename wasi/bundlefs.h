/* A bundle's assets as a read-only WASI directory (see fs.h). */
#ifndef WASI_BUNDLEFS_H
#define WASI_BUNDLEFS_H

#include "bundle.h"
#include "fs.h"

/* The assets whose bundle path starts with prefix/ ("" = all of them), as
 * a directory to mount with wasi_ctx_preopen_file.  The bundle must outlive
 * every descriptor opened from it.  NULL and a WASI errno on failure. */
wasi_file *wasi_bundlefs_open(wpk_bundle *b, const char *prefix, uint16_t *err);

#endif
