#!/bin/sh
# The official 3.0 suite (core files, legacy/ and custom/, every implemented feature enabled)
# against spec/expected-failures-3.0.txt: what is listed does not count,
# anything else that fails does, and so does a listed check that passes
# (the list must shrink as features land).
#   tests/tools/spec3.sh --write   regenerates the list from the current state.
BUILD=${BUILD:-build}
cd "$(dirname "$0")/../.." || exit 2
SPEC=$(scripts/spec-suite 3.0) || { echo "0 passed, 0 failed"; exit 0; }
LIST=spec/expected-failures-3.0.txt
if [ ! -x "$BUILD/wasm-spec" ]; then
    echo "FAIL: $BUILD/wasm-spec is not built"
    echo "0 passed, 1 failed"
    exit 1
fi
mode=$1
# the core files, legacy/ (the old exception handling) and custom/ (custom
# sections and annotations)
set -- "$SPEC"/*.wast
[ -d "$SPEC/legacy" ] && set -- "$@" "$SPEC"/legacy/*.wast
[ -d "$SPEC/custom" ] && set -- "$@" "$SPEC"/custom/*.wast
if [ "$mode" = "--write" ]; then
    old=""
    [ -f "$LIST" ] && old="--expected-failures $LIST"
    exec "$BUILD/wasm-spec" --isolate --enable-all $old --write-expected "$LIST" "$@"
fi
exec "$BUILD/wasm-spec" --isolate --enable-all --summary --expected-failures "$LIST" "$@"
