#!/bin/sh
# 3.0 guests built here with clang-19: C with musttail mutual recursion
# (-mtail-call) runs 10^8 tail calls in flat memory under wasm-run, and a
# position-independent module (-fPIC -mextended-const, wasm-ld -pie)
# whose data segments start at extended constant expressions runs in
# wasm-repl against tests/guest/pic-env.wat.  clang runs any wasm-opt on
# its PATH after linking: it gets a PATH holding only wasm-ld-19.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
RUN=$BUILD/wasm-run
REPL=$(cd "$BUILD" 2>/dev/null && pwd)/wasm-repl
DUMP=$BUILD/wasm-objdump
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; }

CLANG=$(command -v clang-19)
LLD=$(command -v wasm-ld-19)
if [ -z "$CLANG" ] || [ -z "$LLD" ]; then
    echo "SKIP: clang-19 or wasm-ld-19 not installed (scripts/setup-deps installs them)"
    finish; exit 0
fi
mkdir "$T/bin"
ln -s "$LLD" "$T/bin/wasm-ld-19"
cc19() { PATH=$T/bin "$CLANG" "$@"; }
printf 'int main(void){return 0;}\n' >"$T/cc.c"
if ! cc19 --target=wasm32-wasi --sysroot=/usr -O2 "$T/cc.c" -o "$T/cc.wasm" 2>/dev/null; then
    echo "SKIP: clang-19 cannot build wasm32-wasi programs (libclang-rt-19-dev-wasm32, wasi-libc)"
    finish; exit 0
fi

# (a) tail calls: the checksum of clang-19's native build, return_call in
# the module, and the same peak RSS for 10^6 and 10^8 calls.
cc19 --target=wasm32-wasi --sysroot=/usr -O2 -mtail-call tests/guest/tailcall.c \
    -o "$T/tail.wasm" || bad "compile tailcall.c"
"$CLANG" -O2 tests/guest/tailcall.c -o "$T/tail-native" || bad "compile tailcall.c natively"
check "return_call in the module" '"$DUMP" -d "$T/tail.wasm" | grep -q " return_call "'
# clang writes "+tail-call" in the target_features section: wasm-run
# enables the feature for the module without a flag, and --disable-tail-call
# (even after --enable-all) wins.
check "target_features declares +tail-call" '"$DUMP" -x "$T/tail.wasm" | grep -q "^  - \[+\] tail-call$"'
want=$("$T/tail-native" 10)
check "runs without --enable-tail-call" '[ "$("$RUN" "$T/tail.wasm" 10)" = "$want" ]'
"$RUN" --enable-all --disable-tail-call "$T/tail.wasm" 10 >/dev/null 2>"$T/err"
st=$?
check "refused with --disable-tail-call (exit $st)" \
    '[ "$st" = 1 ] && grep -q "feature tail-call is disabled" "$T/err"'
for n in 1000 1000000 100000000; do
    want=$("$T/tail-native" "$n")
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f %M -o "$T/rss.$n" "$RUN" --enable-tail-call "$T/tail.wasm" "$n" >"$T/out"
    else
        "$RUN" --enable-tail-call "$T/tail.wasm" "$n" >"$T/out"
    fi
    st=$?
    check "$n tail calls: exit 0 (got $st)" '[ "$st" = 0 ]'
    check "$n tail calls: output $want" '[ "$(cat "$T/out")" = "$want" ]'
done
if [ -x /usr/bin/time ]; then
    small=$(cat "$T/rss.1000000") big=$(cat "$T/rss.100000000")
    echo "note: peak RSS $small KiB for 10^6 tail calls, $big KiB for 10^8"
    # 10^8 nested calls would need gigabytes; allow 2 MiB of noise.
    check "flat memory: peak RSS ${small} KiB for 10^6 calls, ${big} KiB for 10^8" \
        '[ "$big" -le $((small + 2048)) ]'
else
    echo "SKIP: /usr/bin/time not installed; peak RSS not compared"
fi

# (b) extended constants: a data segment at __memory_base + a constant.
cc19 --target=wasm32 -nostdlib -O2 -fPIC -mextended-const -Wl,-pie -Wl,--no-entry \
    tests/guest/extconst.c -o "$T/ext.wasm" 2>"$T/err" || { bad "compile extconst.c"; cat "$T/err"; }
check "data segment at an extended constant expression" \
    '"$DUMP" -x "$T/ext.wasm" | grep -q "init (global.get 0 <__memory_base>, i32.const [0-9]*, i32.add)"'
cp tests/guest/pic-env.wat "$T/env.wat"
printf ':load env.wat\n:register env\n:load ext.wasm\n__wasm_apply_data_relocs\nrun 5\nrun 1\n' >"$T/ext.in"
(cd "$T" && "$REPL" -q --no-history --enable-extended-const <ext.in >ext.out 2>&1)
st=$?
check "extended-const guest: exit 0 (got $st)" '[ "$st" = 0 ]'
check "extended-const guest: results" 'grep -q "^i32: 156155$" "$T/ext.out" && grep -q "^i32: 156161$" "$T/ext.out"'
(cd "$T" && "$REPL" -q --no-history --disable-extended-const <ext.in >ext.off 2>&1)
check "extended-const guest: refused without the feature" \
    'grep -q "constant expression required (feature extended-const is disabled)" "$T/ext.off"'

finish
