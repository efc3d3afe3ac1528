#!/bin/sh
# The official spec suite (core, Wasm 2.0) against spec/expected-failures.txt.
# Prints the failures that are not listed and the final count.  Each file
# runs in a child process, so a crash fails that file and not the run.
#   tests/tools/spec.sh --write   regenerates the list from the current state.
BUILD=${BUILD:-build}
cd "$(dirname "$0")/../.." || exit 2
SPEC=${SPEC:-$(scripts/spec-suite 2.0)}
LIST=spec/expected-failures.txt

if ! ls "$SPEC"/*.wast >/dev/null 2>&1; then
    echo "SKIP: spec suite: no .wast files in $SPEC"
    echo "0 passed, 0 failed"
    exit 0
fi
if [ ! -x "$BUILD/wasm-spec" ]; then
    echo "FAIL: $BUILD/wasm-spec is not built"
    echo "0 passed, 1 failed"
    exit 1
fi
# Every implemented feature is on by default; these newer ones change what
# the 2.0 suite checks, so they are off (tail-call, relaxed-simd and
# annotations change nothing it checks and stay on):
#   multi-memory     a second memory is valid, a memory index replaces the
#                    "zero byte expected" of memory instructions
#   memory64         limits flags above 1, i64 addresses and bounds in text
#   threads          limits flag 2 (shared) is no longer "integer too large"
#   exceptions       the tag section (13) and import kind 4 (tag)
#   function-references, gc
#                    constant expressions may read any earlier global
#                    ("unknown global" in Wasm 2.0)
#   extended-const   i32.add and the like in constant expressions
FEATURES="--disable-multi-memory --disable-memory64 --disable-threads --disable-exceptions
 --disable-function-references --disable-gc --disable-extended-const"
if [ "$1" = "--write" ]; then
    # The old list is read first so explanations after a cause survive.
    old=""
    [ -f "$LIST" ] && old="--expected-failures $LIST"
    # shellcheck disable=SC2086
    exec "$BUILD/wasm-spec" --isolate $FEATURES $old --write-expected "$LIST" "$SPEC"/*.wast
fi
# shellcheck disable=SC2086
exec "$BUILD/wasm-spec" --isolate $FEATURES --summary --expected-failures "$LIST" "$SPEC"/*.wast
