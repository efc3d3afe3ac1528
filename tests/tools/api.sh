#!/bin/sh
# The library's boundary: libwasm.so exports exactly the functions its two
# public headers declare (LW_API), and the programs, the WASI layer and bundles
# include no private header of libwasm/src/.
cd "$(dirname "$0")/../.." || exit 2
. tests/wasi/common.sh

so=$BUILD/libwasm.so.0
if ! command -v nm >/dev/null 2>&1 || [ ! -f "$so" ]; then
    echo "SKIP: needs nm and $so"
else
    nm -D --defined-only "$so" | awk '$2 == "T" || $2 == "D" || $2 == "B" { print $3 }' |
        sort -u > "$T/exported"
    sed -n 's/^LW_API .*[ *]\(lw_[a-z0-9_]*\)(.*/\1/p' \
        libwasm/include/libwasm.h libwasm/include/libwasm-tools.h | sort -u > "$T/declared"
    if [ -s "$T/declared" ]; then ok; else bad "no LW_API declarations found"; fi
    extra=$(comm -23 "$T/exported" "$T/declared" | tr '\n' ' ')
    missing=$(comm -13 "$T/exported" "$T/declared" | tr '\n' ' ')
    if [ -z "$extra" ]; then ok; else bad "exported but not declared public: $extra"; fi
    if [ -z "$missing" ]; then ok; else bad "declared public but not exported: $missing"; fi
fi

# Clients of the library include only its public headers.
for f in tools/*.c wasi/*.c wasi/*.h bundle/*.c bundle/*.h repl/*.c repl/*.h spec/*.c spec/*.h examples/*.c; do
    [ -f "$f" ] || continue
    if grep -Eq '#include *"(\.\./)*libwasm/src/|#include *"(internal|interp|text|lex|simd|numeric)\.h"' "$f"; then
        bad "$f includes a private header of libwasm/src/"
    else
        ok
    fi
done

finish
