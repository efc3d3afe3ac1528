#!/bin/sh
# The counting build (make COUNT=1, built here in $BUILD/count): a loop
# of 1000 steps runs its step-compare-branch 1000 times, 999 of them
# right after itself; the counts go to the file LIBWASM_DISPATCH_COUNTS
# names, the total first and equal to the sum of the instructions'.
# Without the variable nothing is written, and the normal build writes
# nothing either.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
T=$BUILD/count
pass=0
fail=0
check() {
    if [ "$1" = "$2" ]; then
        pass=$((pass + 1))
    else
        echo "FAIL: $3: got '$1', want '$2'"
        fail=$((fail + 1))
    fi
}

# The outer make's flags (SANITIZE=1, jobserver) must not reach this build.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE \
    make -s -j2 COUNT=1 BUILD="$T" "$T/wasm-run" ||
    { echo "FAIL: build"; echo "0 passed, 1 failed"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/count.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/loop.wat" <<'W'
(module
  (func (export "_start") (local i32)
    (loop
      (br_if 0 (i32.ne (local.tee 0 (i32.add (local.get 0) (i32.const 1)))
                       (i32.const 1000))))))
W

LIBWASM_DISPATCH_COUNTS="$tmp/counts" "$T/wasm-run" "$tmp/loop.wat"
check "$?" 0 "the counting build runs the loop"
check "$(awk '$1 == "INC_BR_I32_NE_I" && NF == 2 { print $2 }' "$tmp/counts")" 1000 \
    "the step-compare-branch's count"
check "$(awk '$1 == "INC_BR_I32_NE_I" && $2 == ">" && $3 == "INC_BR_I32_NE_I" { print $4 }' "$tmp/counts")" \
    999 "the count of the pair it makes with itself"
check "$(awk 'NR == 1 { t = $2 } NR > 1 && NF == 2 { s += $2 } END { print (t == s && t > 1000) }' \
    "$tmp/counts")" 1 "the total, the sum of the instructions' counts"
check "$(sed -n 2p "$tmp/counts" | cut -d' ' -f1)" INC_BR_I32_NE_I "the most frequent first"

rm -f "$tmp/counts"
LIBWASM_DISPATCH_COUNTS= "$T/wasm-run" "$tmp/loop.wat"
env -u LIBWASM_DISPATCH_COUNTS "$T/wasm-run" "$tmp/loop.wat"
check "$(ls "$tmp")" loop.wat "no file without LIBWASM_DISPATCH_COUNTS"
LIBWASM_DISPATCH_COUNTS="$tmp/counts" "$BUILD/wasm-run" "$tmp/loop.wat"
check "$(ls "$tmp")" loop.wat "the normal build counts nothing"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
