#!/bin/sh
# Decoding and validation against the official spec suite (binary modules),
# through wasm-validate.  Needs wabt's wast2json and python3.
BUILD=${BUILD:-build}
cd "$(dirname "$0")/../.." || exit 2
SUITE=${SPEC:-$(scripts/spec-suite 2.0)}
TOOL=$BUILD/wasm-validate

skip() {
    echo "SKIP: spec-binary: $1"
    echo "0 passed, 0 failed"
    exit 0
}

command -v wast2json >/dev/null 2>&1 || skip "wast2json (wabt) is not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
[ -d "$SUITE" ] || skip "spec suite not found at $SUITE"
if [ ! -x "$TOOL" ]; then
    echo "$TOOL not built"
    echo "0 passed, 1 failed"
    exit 1
fi
# The 2.0 suite, with the newer features that change its results off (see
# tests/tools/spec.sh for why each).
exec python3 tests/tools/spec-binary.py "$TOOL" "$SUITE" tests/tools/spec-binary.xfail \
    --disable-multi-memory --disable-memory64 --disable-threads --disable-exceptions \
    --disable-function-references --disable-gc --disable-extended-const
