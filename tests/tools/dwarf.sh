#!/bin/sh
# Backtraces with DWARF: tests/dwarf/nested.c, built with -g by clang
# (DWARF 4) and clang-19 (DWARF 5), traps three calls deep.  wasm-run and
# wasm-repl name each frame (the name section first, then DWARF) and add
# " at FILE:LINE:COLUMN"; without DWARF the backtrace is as before.
cd "$(dirname "$0")/../.." || exit 2
. tests/wasi/common.sh
require_run_and_cc
REPL=$BUILD/wasm-repl
ROOT=$(pwd)
src=tests/dwarf/nested.c
line_of() { grep -n "/\* $1 \*/" "$src" | cut -d: -f1; }
trap_line=$(line_of TRAP)
inner_line=$(line_of CALL-INNER)
middle_line=$(line_of CALL-MIDDLE)

# The module without its "name" custom section.
strip_names() {
    python3 - "$1" "$2" <<'EOF'
import sys
b = open(sys.argv[1], 'rb').read()
def leb(i):
    v = s = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7f) << s
        s += 7
        if c < 0x80:
            return v, i
out, i = bytearray(b[:8]), 8
while i < len(b):
    size, j = leb(i + 1)
    if b[i] == 0:
        n, k = leb(j)
        if b[k:k + n] == b'name':
            i = j + size
            continue
    out += b[i:j + size]
    i = j + size
open(sys.argv[2], 'wb').write(out)
EOF
}

# build CC NAME FLAGS...: $T/NAME.wasm (with a name section) and
# $T/NAME-nonames.wasm.  Compiled and linked apart: clang runs wasm-opt
# (when on PATH) after linking an optimized build, which drops the DWARF's
# addresses.
build() {
    cc=$1 name=$2
    shift 2
    "$cc" --target=wasm32-wasi -O1 "$@" -c "$src" -o "$T/$name.o" &&
        "$cc" --target=wasm32-wasi "$T/$name.o" -o "$T/$name.wasm" &&
        strip_names "$T/$name.wasm" "$T/$name-nonames.wasm" ||
        { bad "$name: build"; return 1; }
}

# frames NAME FILE: the first three frames of wasm-run's backtrace,
# without their offsets, in $frames.
frames() {
    "$RUN" "$2" >/dev/null 2>"$T/err"
    expect "$1: exit status" 134 "$?"
    frames=$(sed -n 's/^ *[0-9]*: 0x[0-9a-f]* - //p' "$T/err" | head -n 3)
}

# located NAME FILE: each frame has its function and line.
located() {
    frames "$@"
    path="$ROOT/$src"
    want=$(printf 'inner at %s:%s:\nmiddle at %s:%s:\nrun at %s:%s:' \
        "$path" "$trap_line" "$path" "$inner_line" "$path" "$middle_line")
    got=$(printf '%s\n' "$frames" | sed 's/:[0-9]*$/:/')
    expect "$1: frames" "$want" "$got"
    printf '_start\n' | "$REPL" -q "$2" >/dev/null 2>"$T/err"
    got=$(grep -c "^  at \(inner\|middle\|run\) (func\[[0-9]*\]) @ 0x[0-9a-f]* at $path:" "$T/err")
    expect "$1: wasm-repl frames" 3 "$got"
    expect "$1: wasm-repl trap line" 1 \
        "$(grep -c "^  at inner (func\[[0-9]*\]) @ 0x[0-9a-f]* at $path:$trap_line:" "$T/err")"
}

check_compiler() {
    cc=$1 tag=$2
    shift 2
    build "$cc" "$tag" "$@" || return
    located "$tag" "$T/$tag.wasm"
    located "$tag without a name section" "$T/$tag-nonames.wasm"

    # Without DWARF: the names of the name section, or func[N], and no location.
    "$cc" --target=wasm32-wasi "$T/$tag.o" -Wl,--strip-debug -o "$T/$tag-nodebug.wasm" &&
        strip_names "$T/$tag-nodebug.wasm" "$T/$tag-bare.wasm" || { bad "$tag: link"; return; }
    frames "$tag without DWARF" "$T/$tag-nodebug.wasm"
    expect "$tag without DWARF: frames" "$(printf 'inner\nmiddle\nrun')" "$frames"
    frames "$tag with neither" "$T/$tag-bare.wasm"
    expect "$tag with neither: frames" 3 "$(printf '%s\n' "$frames" | grep -c '^func\[[0-9]*\]$')"
    if grep -q ' at ' "$T/err"; then bad "$tag with neither: a location"; else ok; fi
}

if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: python3 not installed (strips name sections)"; finish; exit 0
fi
check_compiler clang clang14 -g
if command -v clang-19 >/dev/null 2>&1 &&
    clang-19 --target=wasm32-wasi "$T/cc.c" -o "$T/cc19.wasm" 2>/dev/null; then
    check_compiler clang-19 clang19 -gdwarf-5
else
    echo "SKIP: clang-19 with wasi-libc not installed; DWARF 5 backtraces not tested"
fi
finish
