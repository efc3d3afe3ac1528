#!/bin/sh
# wasm-repl scripted sessions: each tests/repl/NAME.in is fed to wasm-repl on
# standard input (so without prompts or colour), run in a scratch directory
# holding the fixtures; its output (stdout and stderr) and exit status must
# equal tests/repl/NAME.out.  A first line ";; args: ..." gives command-line
# arguments.  Call times vary, so "time: X ms" lines are compared as
# "time: N ms".  UPDATE=1 rewrites the .out files.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
ROOT=$(pwd)
REPL="$ROOT/$BUILD/wasm-repl"
case $BUILD in /*) REPL="$BUILD/wasm-repl" ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

if [ ! -x "$REPL" ]; then
    echo "FAIL: $REPL is not built"
    echo "0 passed, 1 failed"
    exit 1
fi

# Fixtures: the text modules, and a binary module written byte by byte
# (add and div_s over two i32s) so that offsets show in :dis and traps.
cp tests/repl/*.wat "$T/"
cp tests/repl/lib.wat "$T/my lib.v2.wat"
printf '\000asm\001\000\000\000'                            >"$T/arith.wasm"
printf '\001\007\001\140\002\177\177\001\177'               >>"$T/arith.wasm"
printf '\003\003\002\000\000'                               >>"$T/arith.wasm"
printf '\007\015\002\003add\000\000\003div\000\001'          >>"$T/arith.wasm"
printf '\012\021\002\007\000\040\000\040\001\152\013'       >>"$T/arith.wasm"
printf '\007\000\040\000\040\001\155\013'                   >>"$T/arith.wasm"
printf '\000asm\001\000\000\000\001\377' >"$T/junk.wasm"
printf 'not a module\n' >"$T/junk.wat"
mkdir -p "$T/dir"
printf 'from the host\n' >"$T/dir/note.txt"

for in in tests/repl/*.in; do
    name=$(basename "$in" .in)
    want="tests/repl/$name.out"
    args=$(sed -n '1s/^;; args: //p' "$in")
    # shellcheck disable=SC2086
    (cd "$T" && HOME="$T" NO_COLOR=1 "$REPL" $args <"$ROOT/$in" >"$T/got" 2>&1; echo "exit: $?" >>"$T/got")
    sed -i 's/^time: [0-9.]* ms$/time: N ms/' "$T/got"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$T/got" "$want"
    fi
    if cmp -s "$T/got" "$want"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name"
        diff -u "$want" "$T/got" | head -n 30
    fi
done

# SIGINT stops a script: the running call traps "interrupted", nothing after
# it runs, and the exit status is 130.
printf 'spin_forever\nanswer\n' >"$T/spin.in"
(cd "$T" && exec "$REPL" -q "$ROOT/tests/repl/loop.wat" <spin.in >"$T/spin.out" 2>&1) &
pid=$!
# The guest says "spinning" before it loops; wait for that (5 s at most).
i=0
while [ $i -lt 50 ] && ! grep -q '^spinning' "$T/spin.out" 2>/dev/null; do
    sleep 0.1
    i=$((i + 1))
done
kill -INT "$pid"
wait "$pid"
status=$?
if [ "$status" -eq 130 ] && grep -q '^line 1: error: trap: interrupted$' "$T/spin.out" &&
   ! grep -q 'i32: 42' "$T/spin.out"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: SIGINT in a script: status $status (want 130), output:"
    sed 's/^/    | /' "$T/spin.out"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
