#!/bin/sh
# Differential execution: random modules from binaryen's -ttf, run by
# binaryen's interpreter and by ours, must agree (tests/diff/run-diff; the
# fuzz target `make fuzz` runs many more): 50 from Debian's binaryen (Wasm
# 2.0 features), and 20 from binaryen 125 under node with the 3.0 features
# we implement, when it is installed.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: differential execution needs python3"
    echo "0 passed, 0 failed"
    exit 0
fi
pass=0
fail=0
# run_diff [ARGS...]: one run of run-diff, its counts added to ours.
run_diff() {
    BUILD=$BUILD python3 tests/diff/run-diff -s "${DIFF_SEED:-1}" "$@" >"$BUILD/diff-exec.log" 2>&1
    grep -v 'passed, .* failed$' "$BUILD/diff-exec.log"
    line=$(tail -n 1 "$BUILD/diff-exec.log")
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then
        echo "FAIL: run-diff $*: $line"
        fail=$((fail + 1))
        return
    fi
    pass=$((pass + p))
    fail=$((fail + f))
}
if command -v wasm-opt >/dev/null 2>&1; then
    run_diff -n "${DIFF_N:-50}" -o "$BUILD/diff-check"
else
    echo "SKIP: differential execution with Debian's binaryen: wasm-opt not installed"
fi
run_diff --binaryen-125 -n "${DIFF3_N:-20}" -o "$BUILD/diff-check-125"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
