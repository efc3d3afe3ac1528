#!/bin/sh
# An exception-handling guest for wasm-run (tests/guests/exceptions.wat):
# a WASI command that throws through nested calls, rethrows with
# throw_ref, and uses the legacy try/catch/rethrow/delegate; its exit code
# sums what it caught.  Then an uncaught exception: the message names the
# tag and its value, the backtrace is the throw's, the exit status is 134;
# the same module without --enable-exceptions is refused.
cd "$(dirname "$0")/../.." || exit 2
. tests/wasi/common.sh
if [ ! -x "$RUN" ]; then
    echo "SKIP: $RUN not built"; finish; exit 0
fi
G=tests/guests/exceptions.wat
out=$("$RUN" --enable-exceptions "$G" 2>"$T/err"); st=$?
expect "output" "nested
rethrown
legacy
delegated" "$out"
expect "exit code: the values caught, and the catch_ref and legacy catches counted" 50 "$st"
expect "nothing on stderr" "" "$(cat "$T/err")"
"$RUN" --enable-all "$G" >/dev/null 2>&1; st=$?
expect "with --enable-all" 50 "$st"

"$RUN" --enable-exceptions --invoke uncaught "$G" 7 >"$T/out" 2>"$T/err"; st=$?
expect "uncaught: exit status 134" 134 "$st"
expect "uncaught: nothing on stdout" "" "$(cat "$T/out")"
expect "uncaught: the message" "wasm-run: uncaught exception: tag bad (i32 7)" "$(head -n 1 "$T/err")"
expect "uncaught: the backtrace of the throw" "wasm backtrace:
   0: deep
   1: middle
   2: uncaught" "$(tail -n +2 "$T/err")"

out=$("$RUN" --disable-exceptions "$G" 2>&1); st=$?
expect "without exceptions: refused" 1 "$st"
case $out in *"$G"*) ok ;; *) bad "without exceptions: '$out'" ;; esac

finish
