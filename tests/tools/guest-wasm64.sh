#!/bin/sh
# A wasm64 guest: tests/guests/wasm64.c compiled at test time by clang-19
# for wasm64-unknown-unknown and linked by wasm-ld-19 -mwasm64 (64-bit
# limits, i64 addresses); wasm-run --invoke and wasm-repl call its exports
# with i64 arguments and results.
cd "$(dirname "$0")/../.." || exit 2
. tests/wasi/common.sh
REPL=$BUILD/wasm-repl
if [ ! -x "$RUN" ] || [ ! -x "$REPL" ]; then
    echo "SKIP: $RUN or $REPL not built"; finish; exit 0
fi
if ! command -v clang-19 >/dev/null 2>&1 || ! command -v wasm-ld-19 >/dev/null 2>&1; then
    echo "SKIP: clang-19 and wasm-ld-19 not installed; the wasm64 guest is not built"
    finish; exit 0
fi
G=$T/wasm64.wasm
if ! clang-19 --target=wasm64-unknown-unknown -O2 -c tests/guests/wasm64.c -o "$T/wasm64.o" ||
    ! wasm-ld-19 -mwasm64 --no-entry --export=checksum --export=greeting_length \
        --export=fib --export=pages --export=grow --export=poke --export=peek \
        "$T/wasm64.o" -o "$G"; then
    bad "wasm64 guest: compile and link"; finish; exit 1
fi

# wasm-ld writes +memory64 in target_features: wasm-run turns it on for
# the module without a flag.  With --disable-memory64 the module is
# refused (its limits are malformed in 2.0).
out=$("$RUN" --invoke pages "$G" 2>&1); st=$?
case "$st $out" in "0 "[1-9]*) ok ;; *) bad "target_features: memory64 without a flag: '$st $out'" ;; esac
out=$("$RUN" --disable-memory64 --invoke pages "$G" 2>&1); st=$?
expect "--disable-memory64: exit status" 1 "$st"
case $out in *"integer too large"*) ok ;; *) bad "--disable-memory64: '$out'" ;; esac

inv() { "$RUN" --enable-memory64 --invoke "$@" 2>&1; }
expect "fib 50" 12586269025 "$(inv fib "$G" 50)"
expect "greeting_length" 17 "$(inv greeting_length "$G")"
# sum of (i * 7 + 3) mod 256 over i < 100000, through 64-bit pointers
want=$(awk 'BEGIN { s = 0; for (i = 0; i < 98304; i++) s += (i * 7 + 3) % 256; print s }')
expect "checksum (clamped to the buffer)" "$want" "$(inv checksum "$G" 100000)"
pages=$(inv pages "$G")
case $pages in [1-9]*) ok ;; *) bad "pages: '$pages'" ;; esac
expect "grow past 4 GiB of pages fails" -1 "$(inv grow "$G" 0x10000000000)"
expect "grow 1" "$pages" "$(inv grow "$G" 1)"
out=$(inv peek "$G" 0xfffffffffffffff0); st=$?
expect "peek past the end: trap status" 134 "$st"
case $out in *"out of bounds memory access"*) ok ;; *) bad "peek past the end: '$out'" ;; esac

# The REPL: one instance, state kept between calls; i64 addresses in a
# page grown for the purpose.
addr=$((pages * 65536 + 8))
printf 'grow 1\npoke %s 0xdeadbeef\npeek %s\npages\npeek %s\n' "$addr" "$addr" \
    "$((addr + 65536))" | "$REPL" -q --enable-memory64 "$G" 2>&1 |
    sed -E 's/ \(func\[[0-9]+\]\)( @ 0x[0-9a-f]+)?$//' >"$T/repl.out"
cat > "$T/repl.want" <<W
loaded wasm64 (8 exports)
i64: $pages
i32: -559038737
i64: $((pages + 1))
line 5: error: trap: out of bounds memory access
  at peek
W
if cmp -s "$T/repl.want" "$T/repl.out"; then ok; else bad "REPL session:"; diff "$T/repl.want" "$T/repl.out"; fi
finish
