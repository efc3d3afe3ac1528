#!/bin/sh
# The threads proposal's files of the official 3.0 suite
# (proposals/threads/*.wast): every command must pass.  Their modules
# predate reference types, multi-memory and memory64 (they expect
# "multiple tables" and "multiple memories" to be invalid, and a memory
# bound of 2^32 to be a malformed i32), so those stay off; they run once
# more with every feature on, where only those checks may fail.
BUILD=${BUILD:-build}
cd "$(dirname "$0")/../.." || exit 2
SPEC=$(scripts/spec-suite 3.0) || { echo "0 passed, 0 failed"; exit 0; }
DIR=$SPEC/proposals/threads
if ! ls "$DIR"/*.wast >/dev/null 2>&1; then
    echo "SKIP: $DIR has no .wast files"
    echo "0 passed, 0 failed"
    exit 0
fi
if [ ! -x "$BUILD/wasm-spec" ]; then
    echo "FAIL: $BUILD/wasm-spec is not built"
    echo "0 passed, 1 failed"
    exit 1
fi
"$BUILD/wasm-spec" --isolate --enable-all -v "$DIR"/*.wast >"$BUILD/spec-threads-all.out" 2>&1
others=$(grep -E '^[^ ]+\.wast:[0-9]+: ' "$BUILD/spec-threads-all.out" |
         grep -v -e '"multiple tables"' -e '"multiple memories"' -e '"i32 constant out of range"')
if [ -n "$others" ]; then
    echo "FAIL: with --enable-all, failures the newer features do not explain:"
    echo "$others"
    echo "0 passed, 1 failed"
    exit 1
fi
exec "$BUILD/wasm-spec" --isolate --disable-reference-types --disable-multi-memory \
    --disable-memory64 "$DIR"/*.wast
