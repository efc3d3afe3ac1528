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
if [ "$1" = "--write" ]; then
    # The old list is read first so explanations after a cause survive.
    old=""
    [ -f "$LIST" ] && old="--expected-failures $LIST"
    exec "$BUILD/wasm-spec" --isolate $old --write-expected "$LIST" "$SPEC"/*.wast
fi
exec "$BUILD/wasm-spec" --isolate --summary --expected-failures "$LIST" "$SPEC"/*.wast
