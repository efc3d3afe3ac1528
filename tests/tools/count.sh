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

# Loops of two instructions run as one handler when their shape lets it
# carry the stepped slots in locals (compile.c, cc_loop2): memcmp's with
# its pointers stepped in either order, a sieve's marking at base + j or
# at j + j; not when a step reads another slot (the loop then runs as two
# instructions).  Each runs its loop of 8 turns once.
memcmp_wat() { # $1, $2: the locals stepped first and second; $3: $2's source
    cat <<W
  (func (param \$l i32) (param \$r i32) (param \$n i32) (result i32)
    (local \$a i32) (local \$b i32)
    (block \$done
      (loop \$next
        (if (i32.eq (local.tee \$a (i32.load8_u (local.get \$l)))
                    (local.tee \$b (i32.load8_u (local.get \$r))))
          (then
            (local.set $1 (i32.add (local.get $1) (i32.const 1)))
            (local.set $2 (i32.add (local.get $3) (i32.const 1)))
            (br_if \$next (local.tee \$n (i32.sub (local.get \$n) (i32.const 1))))
            (br \$done)))))
    (i32.sub (local.get \$a) (local.get \$b)))
W
}
{
    printf '%s\n' '(module (memory 1) (data (i32.const 200) "\01\01\01\01\01\01\01\01\01\01")'
    memcmp_wat '$r' '$l' '$l'
    memcmp_wat '$l' '$r' '$r'
    memcmp_wat '$l' '$r' '$n'
    cat <<'W'
  (func (param $base i32) (param $j i32) (param $step i32) (result i32)
    (loop $next
      (i32.store8 (i32.add (local.get $base) (local.get $j)) (i32.const 1))
      (br_if $next (i32.lt_u (local.tee $j (i32.add (local.get $j) (local.get $step)))
                             (i32.const 8))))
    (local.get $j))
  (func (param $j i32) (param $step i32) (result i32)
    (loop $next
      (i32.store8 (i32.add (local.get $j) (local.get $j)) (i32.const 1))
      (br_if $next (i32.lt_u (local.tee $j (i32.add (local.get $j) (local.get $step)))
                             (i32.const 8))))
    (local.get $j))
  (func (export "_start")
    (drop (call 0 (i32.const 0) (i32.const 100) (i32.const 8)))
    (drop (call 1 (i32.const 0) (i32.const 100) (i32.const 8)))
    (drop (call 2 (i32.const 200) (i32.const 200) (i32.const 8)))
    (drop (call 3 (i32.const 300) (i32.const 0) (i32.const 1)))
    (drop (call 4 (i32.const 0) (i32.const 1)))))
W
} > "$tmp/loop2.wat"
LIBWASM_DISPATCH_COUNTS="$tmp/counts2" "$T/wasm-run" "$tmp/loop2.wat"
check "$?" 0 "the counting build runs the two-instruction loops"
count2() { awk -v n="$1" '$1 == n && NF == 2 { c = $2 } END { print c + 0 }' "$tmp/counts2"; }
check "$(count2 LOOP_BR_L8U2_I32_NE_STEP2_INC_BR_I32_NE_I)" 2 \
    "memcmp's loop, pointers stepped in either order, runs as one handler"
check "$(count2 LOOP_ST8_AK_ADD_BR_I32_LT_U_I)" 2 \
    "the marking loop, at base + j and at j + j, runs as one handler"
check "$(count2 BR_L8U2_I32_NE)" 2 "a memcmp with r = n + 1 runs its loads..."
check "$(count2 STEP2_INC_BR_I32_NE_I)" 1 "...and its steps as two instructions (r = 9 differs)"

rm -f "$tmp/counts" "$tmp/counts2" "$tmp/loop2.wat"
LIBWASM_DISPATCH_COUNTS= "$T/wasm-run" "$tmp/loop.wat"
env -u LIBWASM_DISPATCH_COUNTS "$T/wasm-run" "$tmp/loop.wat"
check "$(ls "$tmp")" loop.wat "no file without LIBWASM_DISPATCH_COUNTS"
LIBWASM_DISPATCH_COUNTS="$tmp/counts" "$BUILD/wasm-run" "$tmp/loop.wat"
check "$(ls "$tmp")" loop.wat "the normal build counts nothing"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
