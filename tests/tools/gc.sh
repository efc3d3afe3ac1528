#!/bin/sh
# GC in wasm-run: a loop of 10,000,000 allocations keeps memory flat (its
# peak RSS is measured when GNU time is there), --max-heap makes an
# allocation past it trap "out of memory", and --invoke prints references.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
RUN=$BUILD/wasm-run
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

if [ ! -x "$RUN" ]; then
    echo "SKIP: $RUN not built"
    echo "0 passed, 0 failed"
    exit 0
fi

cat >"$T/churn.wat" <<'WAT'
(module
  (type $pair (struct (field (mut i32)) (field (mut (ref null $pair)))))
  (type $bytes (array (mut i8)))
  (type $cell (struct (field (ref $bytes)) (field (ref null $cell))))
  ;; n pairs, each pointing at the last of the kept ones (one in 1000
  ;; is kept, the list dropped every 64 of them)
  (func (export "churn") (param $n i32) (result i32)
    (local $keep (ref null $pair)) (local $i i32) (local $p (ref null $pair))
    (loop $l
      (local.set $p (struct.new $pair (local.get $i) (local.get $keep)))
      (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 1000)))
        (then (local.set $keep (local.get $p))))
      (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 64000)))
        (then (local.set $keep (ref.null $pair))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (struct.get $pair 0 (local.get $p)))
  ;; a list of n arrays of 1 KiB, all kept
  (func (export "hoard") (param $n i32) (result i32)
    (local $list (ref null $cell)) (local $i i32)
    (loop $l
      (local.set $list (struct.new $cell (array.new_default $bytes (i32.const 1024))
                                         (local.get $list)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))
  (func (export "i31") (param i32) (result i31ref) (ref.i31 (local.get 0)))
  (func (export "pair") (param i32) (result (ref $pair))
    (struct.new $pair (local.get 0) (ref.null $pair)))
  (func (export "bytes") (param i32) (result (ref $bytes))
    (array.new $bytes (i32.const 7) (local.get 0))))
WAT

# 10^7 allocations: the right answer, and a peak RSS far below what they
# would take uncollected (16 bytes of fields each, 160 MB).
if command -v /usr/bin/time >/dev/null 2>&1; then
    /usr/bin/time -f "%M" -o "$T/rss" "$RUN" --enable-gc --invoke churn "$T/churn.wat" 10000000 >"$T/out" 2>"$T/err"
    st=$?
    rss=$(tail -n 1 "$T/rss")
    echo "churn of 10,000,000 pairs: peak RSS ${rss} KiB"
    check "churn: peak RSS under 64 MiB" '[ "$st" = 0 ] && [ "$rss" -lt 65536 ]'
else
    echo "SKIP: no /usr/bin/time, peak RSS not measured"
    "$RUN" --enable-gc --invoke churn "$T/churn.wat" 10000000 >"$T/out" 2>"$T/err"
fi
check "churn: result" 'grep -qx 9999999 "$T/out"'

# The heap limit: 4,000 arrays of 1 KiB fit 8 MiB, 20,000 do not.
"$RUN" --enable-gc --max-heap 8388608 --invoke hoard "$T/churn.wat" 4000 >"$T/out" 2>"$T/err"
check "max-heap: within it" '[ $? = 0 ] && grep -qx 4000 "$T/out"'
"$RUN" --enable-gc --max-heap 8388608 --invoke hoard "$T/churn.wat" 20000 >"$T/out" 2>"$T/err"
check "max-heap: past it, out of memory" '[ $? = 134 ] && grep -q "out of memory" "$T/err"'
"$RUN" --enable-gc --invoke hoard "$T/churn.wat" 20000 >"$T/out" 2>"$T/err"
check "no limit: 20,000 kept" '[ $? = 0 ] && grep -qx 20000 "$T/out"'
"$RUN" --max-heap x --invoke hoard "$T/churn.wat" 1 >"$T/out" 2>"$T/err"
check "max-heap: bad size refused" '[ $? = 2 ] && grep -q "bad size" "$T/err"'

# --invoke shows references: an i31's value, a struct's fields, an
# array's length and first elements.
"$RUN" --enable-gc --invoke i31 "$T/churn.wat" -3 >"$T/out" 2>"$T/err"
check "invoke: i31" 'grep -qx "i31 -3" "$T/out"'
"$RUN" --enable-gc --invoke pair "$T/churn.wat" 5 >"$T/out" 2>"$T/err"
check "invoke: struct" 'grep -qx "struct (5 null)" "$T/out"'
"$RUN" --enable-gc --invoke bytes "$T/churn.wat" 3 >"$T/out" 2>"$T/err"
check "invoke: array" 'grep -qx "array\[3\] (7 7 7)" "$T/out"'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
