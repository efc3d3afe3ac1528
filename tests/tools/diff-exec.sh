#!/bin/sh
# Differential execution: 50 random modules from binaryen's -ttf, run by
# binaryen's interpreter and by ours, must agree (tests/diff/run-diff; the
# fuzz target `make fuzz` runs many more).
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
if ! command -v wasm-opt >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: differential execution needs wasm-opt (binaryen) and python3"
    echo "0 passed, 0 failed"
    exit 0
fi
BUILD=$BUILD exec python3 tests/diff/run-diff -n "${DIFF_N:-50}" -s "${DIFF_SEED:-1}" -o "$BUILD/diff-check"
