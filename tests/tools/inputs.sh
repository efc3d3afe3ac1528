#!/bin/sh
# Every program that reads a module decides binary or text the same way:
# an empty file, a native executable or an endless device is "not a
# WebAssembly module (binary or text)", refused from its first bytes (so
# /dev/zero neither hangs nor grows memory).
cd "$(dirname "$0")/../.." || exit 2
. tests/wasi/common.sh
MSG="not a WebAssembly module (binary or text)"

: >"$T/empty.wasm"
cp "$(command -v sh)" "$T/native"
printf ' ;; a comment and nothing else\n' >"$T/comment.wat"

# A runaway read is cut by a time and, outside the sanitizers (which reserve
# terabytes of address space), a memory limit.
bounded() {
    if [ "${SANITIZE:-}" = 1 ]; then
        timeout 20 "$@"
    else
        (ulimit -v 1000000 && exec timeout 20 "$@")
    fi
}

# expect TOOL ARGS...: exit 1 and the message naming the file (last arg).
expect() {
    eval "file=\${$#}"
    bounded "$BUILD/$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq 1 ] && grep -qF "$1: $file: $MSG" "$T/err"; then
        ok
    else
        bad "$*: exit $got: $(cat "$T/err")"
    fi
}

for f in "$T/empty.wasm" "$T/native" "$T/comment.wat" /dev/zero; do
    expect wasm-run "$f"
    expect wasm-validate "$f"
    expect wasm-objdump -h "$f"
    expect wasm-opt -O1 -o "$T/out.wasm" "$f"
    expect wasm-pack create -o "$T/out.wpk" --entry "$f"
    printf ':load %s\n' "$f" | bounded "$BUILD/wasm-repl" >"$T/out" 2>&1
    if grep -qF "$f: $MSG" "$T/out"; then ok; else bad "wasm-repl :load $f: $(cat "$T/out")"; fi
done

finish
