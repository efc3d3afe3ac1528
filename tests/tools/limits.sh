#!/bin/sh
# Resource limits hold: each case runs $BUILD/wasm-run on a small module
# written here and checks the exit status and the message.  Then many
# instances are made and freed in one process, under valgrind when present.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
RUN=$BUILD/wasm-run
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

if [ ! -x "$RUN" ]; then
    echo "SKIP: $RUN not built"
    echo "0 passed, 0 failed"
    exit 0
fi

# check NAME STATUS MESSAGE [wasm-run args...]: exit status and a stderr
# (or stdout) line containing MESSAGE; at most 30 s.
check() {
    name=$1 want=$2 msg=$3
    shift 3
    timeout 30 "$RUN" "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" != "$want" ]; then
        bad "$name: exit $got, expected $want ($(head -c 300 "$T/err"))"
    elif [ -n "$msg" ] && ! grep -qF -- "$msg" "$T/err" "$T/out"; then
        bad "$name: no '$msg' in: $(head -c 300 "$T/err")"
    else
        ok
    fi
}

# Memories and tables larger than allowed.
echo '(module (memory 60000) (func (export "_start")))' >"$T/mem.wat"
check "declared memory over --max-memory" 1 "cannot instantiate: memory size limit exceeded" \
    --max-memory 1048576 "$T/mem.wat"
echo '(module (memory 1) (func (export "g") (result i32) (memory.grow (i32.const 100))))' >"$T/grow.wat"
check "memory.grow over --max-memory gives -1" 0 "-1" --max-memory 1048576 --invoke g "$T/grow.wat"
echo '(module (table 100000000 funcref) (func (export "_start")))' >"$T/tab.wat"
check "huge table" 1 "cannot instantiate: table size limit exceeded" "$T/tab.wat"
echo '(module (memory 65537) (func (export "_start")))' >"$T/mem2.wat"
check "memory beyond 4 GiB is invalid" 1 "memory size must be at most 65536 pages (4GiB)" "$T/mem2.wat"

# Many functions, locals, deep nesting (binaries written by python3: a
# type ()->(), one function exported as _start, then its code section).
python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
def leb(x):
    out = b""
    while True:
        b, x = x & 0x7f, x >> 7
        if not x:
            return out + bytes([b])
        out += bytes([b | 0x80])
head = b"\0asm\1\0\0\0\1\4\1\x60\0\0\3\2\1\0\7\x0a\1\6_start\0\0"
def module(name, locals_, body):
    code = locals_ + body
    sec = leb(1) + leb(len(code)) + code
    open(t + "/" + name, "wb").write(head + b"\x0a" + leb(len(sec)) + sec)
module("locals.wasm", leb(1) + leb(2**32 - 1) + b"\x7f", b"\x0b")
module("locals50m.wasm", leb(1) + leb(50000000) + b"\x7f", b"\x0b")
module("locals-sum.wasm", leb(2) + leb(2**31) + b"\x7f" + leb(2**31) + b"\x7e", b"\x0b")
n = 200000
module("nest.wasm", leb(0), b"\x02\x40" * n + b"\x0b" * n + b"\x0b")
open(t + "/funcs.wasm", "wb").write(b"\0asm\1\0\0\0\1\4\1\x60\0\0\3\6" + leb(2**32 - 1) + b"\0")
open(t + "/nest.wat", "w").write('(module (func (export "_start")' + "(block " * n + ")" * n + "))")
PY
check "2^32-1 locals" 1 "too many locals" "$T/locals.wasm"
check "50 million locals" 1 "too many locals" "$T/locals50m.wasm"
check "two groups of 2^31 locals" 1 "too many locals" "$T/locals-sum.wasm"
check "2^32-1 functions declared" 1 "length out of bounds" "$T/funcs.wasm"
check "200,000 nested blocks (binary) validate and run" 0 "" "$T/nest.wasm"
check "200,000 nested blocks (text)" 1 "nesting too deep" "$T/nest.wat"

# Runaway guests.
echo '(module (func (export "_start") (loop br 0)))' >"$T/loop.wat"
check "infinite loop stops at --fuel" 134 "fuel exhausted" --fuel 100000 "$T/loop.wat"
start=$(date +%s)
check "infinite loop stops at --timeout" 134 "interrupted" --timeout 0.5 "$T/loop.wat"
[ $(($(date +%s) - start)) -lt 10 ] && ok || bad "--timeout 0.5 took $(($(date +%s) - start)) s"
echo '(module (func $f (export "_start") call $f))' >"$T/rec.wat"
check "deep recursion" 134 "call stack exhausted" "$T/rec.wat"
echo '(module (func $f (export "_start") (local v128 v128 v128 v128 v128 v128 v128 v128) call $f))' >"$T/rec2.wat"
check "deep recursion with big frames hits --max-stack" 134 "call stack exhausted" \
    --max-stack 65536 "$T/rec2.wat"

# The call depth follows --max-stack; --max-call-depth bounds it exactly.
cat >"$T/r.wat" <<'W'
(module (func $r (export "r") (param i32) (result i32)
  local.get 0 i32.eqz if (result i32) i32.const 0 else
  local.get 0 i32.const 1 i32.sub call $r i32.const 1 i32.add end))
W
check "100,000 calls deep by default" 0 "100000" --invoke r "$T/r.wat" 100000
check "10,001 calls deep with a 1 GiB stack" 0 "10001" --max-stack 1073741824 --invoke r "$T/r.wat" 10001
check "a million calls deep with a 1 GiB stack" 0 "1000000" \
    --max-stack 1073741824 --invoke r "$T/r.wat" 1000000
check "a small stack holds fewer calls" 134 "call stack exhausted" \
    --max-stack 65536 --invoke r "$T/r.wat" 10000
check "--max-call-depth 100: 100 calls" 0 "99" --max-call-depth 100 --invoke r "$T/r.wat" 99
check "--max-call-depth 100: not 101" 134 "call stack exhausted" \
    --max-call-depth 100 --invoke r "$T/r.wat" 100
check "--max-call-depth 0 is a usage error" 2 "bad depth '0'" --max-call-depth 0 "$T/r.wat"
check "--max-stack beyond the address space" 1 "cannot reserve a call stack that large" \
    --max-stack 18446744073709551615 --invoke r "$T/r.wat" 1
# A terabyte of budget is address space only: the peak memory of a
# shallow run grows by less than 16 MiB (with AddressSanitizer too).
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M -o "$T/rss0" "$RUN" --invoke r "$T/r.wat" 100 >/dev/null 2>&1
    /usr/bin/time -f %M -o "$T/rss1" "$RUN" --max-stack 1099511627776 --invoke r "$T/r.wat" 100 \
        >/dev/null 2>&1
    rss0=$(tail -n 1 "$T/rss0") rss1=$(tail -n 1 "$T/rss1")
    if [ $((rss1 - rss0)) -lt 16384 ]; then ok; else
        bad "--max-stack 1 TiB: peak memory $rss1 KiB against $rss0 KiB by default"
    fi
else
    echo "SKIP: /usr/bin/time not installed (memory of a huge --max-stack)"
fi

# Many instances in one process, all freed.
cat >"$T/inst.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "libwasm.h"
static const char wat[] =
    "(module (memory 1 2) (table 4 funcref) (global (mut i32) (i32.const 7))"
    " (data (i32.const 8) \"hi\") (elem (i32.const 0) $f)"
    " (func $f (export \"f\") (result i32) (i32.add (global.get 0) (i32.load (i32.const 8)))))";
int main(void)
{
    lw_error err;
    lw_module *m = lw_module_parse_text(wat, strlen(wat), lw_features_default(), &err);
    if (!m || lw_module_validate(m, &err) != 0)
        return printf("load: %s\n", err.message), 1;
    int bad = 0;
    for (int s = 0; s < 20; s++) {
        lw_store *st = lw_store_new(NULL);
        for (int i = 0; i < 100; i++) {
            lw_instance *in = lw_instantiate(st, m, NULL, 0, &err);
            lw_extern e;
            lw_val r;
            if (!in || !lw_instance_export(in, "f", &e) ||
                lw_func_call(st, e.of.func, NULL, 0, &r, 1, &err) != 0 || r.of.i32 != 7 + 0x6968)
                bad++;
        }
        lw_store_free(st);
    }
    lw_module_free(m);
    printf("instances bad: %d\n", bad);
    return bad != 0;
}
C
# A sanitizer build's library needs the sanitizer runtimes in the program.
SAN=
[ "${SANITIZE:-}" = 1 ] && SAN="-fsanitize=address,undefined"
# shellcheck disable=SC2086
if ${CC:-cc} $SAN -std=gnu11 -O1 -g -Ilibwasm/include "$T/inst.c" "$BUILD/libwasm.a" -lm -lpthread \
        -o "$T/inst" 2>"$T/cc.err"; then
    if "$T/inst" >"$T/inst.out" 2>&1 && grep -q "instances bad: 0" "$T/inst.out"; then ok; else
        bad "2000 instances: $(cat "$T/inst.out")"
    fi
    if [ -n "$SAN" ]; then
        echo "SKIP: valgrind on a sanitizer build (LeakSanitizer checked the instances instead)"
    elif command -v valgrind >/dev/null 2>&1; then
        if valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
                "$T/inst" >"$T/vg.out" 2>&1; then ok; else
            bad "valgrind on 2000 instances: $(head -c 600 "$T/vg.out")"
        fi
    else
        echo "SKIP: valgrind not installed (instances leak check)"
    fi
else
    bad "cannot build the instance test: $(head -c 300 "$T/cc.err")"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
