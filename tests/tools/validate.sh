#!/bin/sh
# wasm-validate: exit codes, message format, flags, several files.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
TOOL="$BUILD/wasm-validate"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# check NAME EXPECTED_STATUS [ARGS...]: runs the tool, keeps out/err in $T.
check() {
    name=$1 want=$2
    shift 2
    "$TOOL" "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$name: exit $got, expected $want ($(cat "$T/err"))"; fi
}
# has NAME FILE TEXT: FILE contains TEXT (fixed string).
has() {
    if grep -qF -- "$3" "$2"; then ok; else bad "$1: no '$3' in: $(cat "$2")"; fi
}

if [ ! -x "$TOOL" ]; then
    echo "$TOOL not built"
    echo "0 passed, 1 failed"
    exit 1
fi

# Modules written byte by byte.
hdr='\000asm\001\000\000\000'
# () -> () with an empty body.
printf "$hdr"'\001\004\001\140\000\000\003\002\001\000\012\004\001\002\000\013' >"$T/ok.wasm"
# Body: i32.add on an empty stack (the add is at offset 0x17).
printf "$hdr"'\001\004\001\140\000\000\003\002\001\000\012\005\001\003\000\152\013' >"$T/bad.wasm"
# Body: v128.const 0; drop.
printf "$hdr"'\001\004\001\140\000\000\003\002\001\000\012\027\001\025\000\375\014\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\032\013' >"$T/simd.wasm"
# Not a module.
printf 'hello' >"$T/junk.wasm"

check "valid module" 0 "$T/ok.wasm"
if [ -s "$T/out" ] || [ -s "$T/err" ]; then bad "valid module: prints nothing without -v"; else ok; fi
check "verbose" 0 -v "$T/ok.wasm"
has "verbose names the file" "$T/out" "$T/ok.wasm"
check "verbose long" 0 --verbose "$T/ok.wasm"
has "verbose long names the file" "$T/out" "$T/ok.wasm"

check "invalid module" 1 "$T/bad.wasm"
has "invalid message" "$T/err" "wasm-validate: $T/bad.wasm: 0x17: type mismatch"

check "malformed module" 1 "$T/junk.wasm"
has "malformed message" "$T/err" "wasm-validate: $T/junk.wasm: "

check "missing file" 1 "$T/none.wasm"
has "missing file names it" "$T/err" "wasm-validate: $T/none.wasm: "

check "simd module" 0 "$T/simd.wasm"
check "--disable-simd" 1 --disable-simd "$T/simd.wasm"
has "--disable-simd names the file" "$T/err" "wasm-validate: $T/simd.wasm: 0x"
check "--disable-simd then --enable-all" 0 --disable-simd --enable-all "$T/simd.wasm"
check "--enable-simd" 0 --enable-simd "$T/simd.wasm"
check "--disable-simd after the file" 1 "$T/simd.wasm" --disable-simd

# WebAssembly 3.0 is the default: two memories (multi-memory) validate
# without a flag; --disable-multi-memory refuses them.
printf '\0asm\1\0\0\0\5\5\2\0\1\0\1' >"$T/two-mems.wasm"
check "3.0 by default: two memories" 0 "$T/two-mems.wasm"
check "--disable-multi-memory" 1 --disable-multi-memory "$T/two-mems.wasm"
has "--disable-multi-memory: the message" "$T/err" "multiple memories"

check "several files, all valid" 0 "$T/ok.wasm" "$T/simd.wasm"
check "several files, one invalid" 1 "$T/ok.wasm" "$T/bad.wasm" "$T/simd.wasm"
has "several files: the bad one reported" "$T/err" "$T/bad.wasm"
if grep -q "ok.wasm" "$T/err"; then bad "several files: valid one reported"; else ok; fi
check "several files, two bad" 1 "$T/bad.wasm" "$T/junk.wasm"
if [ "$(wc -l <"$T/err")" -eq 2 ]; then ok; else bad "two bad files: two lines expected: $(cat "$T/err")"; fi

check "--help" 0 --help
has "--help usage" "$T/out" "usage: wasm-validate"
has "--help lists --disable-simd" "$T/out" "--disable-simd"
has "--help lists --disable-tail-call" "$T/out" "--disable-tail-call"
has "--help says what is on by default" "$T/out" "on by default (WebAssembly 3.0)"
has "--help lists --enable-all" "$T/out" "--enable-all"
check "-h" 0 -h
check "--version" 0 --version
has "--version" "$T/out" "wasm-validate"

check "unknown option" 2 --frobnicate "$T/ok.wasm"
check "unknown feature" 2 --enable-nonsense "$T/ok.wasm"
has "unknown feature named" "$T/err" "wasm-validate: unknown feature 'nonsense'"
check "no files" 2
check "no files with flags" 2 -v --disable-simd

# Text modules, when the library reads them.
printf '(module (func (result i32) (i32.const 1)))\n' >"$T/ok.wat"
"$TOOL" "$T/ok.wat" >/dev/null 2>&1
if [ $? -eq 0 ]; then
    ok
    printf '(module (func (result i32) (i64.const 1)))\n' >"$T/bad.wat"
    check "invalid text module" 1 "$T/bad.wat"
    has "invalid text module message" "$T/err" "type mismatch"
else
    echo "SKIP: text modules: the library does not read .wat files yet"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
