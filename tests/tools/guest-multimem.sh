#!/bin/sh
# A multi-memory guest for wasm-run (tests/guests/multimem.wat): a WASI
# command that edits text in its second memory, copies it to memory 0 with
# memory.copy and writes it from there; its exit code sums what arrived.
cd "$(dirname "$0")/../.." || exit 2
. tests/wasi/common.sh
if [ ! -x "$RUN" ]; then
    echo "SKIP: $RUN not built"; finish; exit 0
fi
G=tests/guests/multimem.wat
out=$("$RUN" --enable-multi-memory "$G" 2>"$T/err"); st=$?
expect "output" "TWO memories, one copy" "$out"
expect "exit code: sum of the copied bytes mod 256" 238 "$st"
expect "nothing on stderr" "" "$(cat "$T/err")"
"$RUN" --enable-all "$G" >/dev/null 2>&1; st=$?
expect "with --enable-all" 238 "$st"
"$RUN" "$G" >/dev/null 2>&1; st=$?
expect "by default" 238 "$st"
out=$("$RUN" --disable-multi-memory "$G" 2>&1); st=$?
expect "without multi-memory: refused" 1 "$st"
case $out in *"$G"*) ok ;; *) bad "without multi-memory: '$out'" ;; esac
finish
