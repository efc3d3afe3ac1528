#!/bin/sh
# wasi-threads guests built here with clang-19 (tests/guest/threads.c:
# freestanding C with -matomics -mbulk-memory, a shared imported memory,
# wasi thread-spawn) run by wasm-run: a counter incremented by several
# threads ends exact, waits see another value, time out and are woken by
# notify, a trap or a proc_exit in a secondary thread ends the process,
# --max-threads refuses further spawns, and a parallel count of primes
# matches the known one.  clang runs any wasm-opt on its PATH after
# linking: it gets a PATH holding only wasm-ld-19.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
RUN=${RUN:-$BUILD/wasm-run}
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
if ! PATH=$T/bin "$CLANG" --target=wasm32 -nostdlib -O2 -matomics -mbulk-memory \
        -Wl,--no-entry -Wl,--shared-memory,--import-memory,--max-memory=1048576 \
        tests/guest/threads.c -o "$T/threads.wasm" 2>"$T/err"; then
    if grep -q 'No available targets\|unknown target' "$T/err"; then
        echo "SKIP: clang-19 has no wasm32 target"
        finish; exit 0
    fi
    bad "compile tests/guest/threads.c"; cat "$T/err"
    finish; exit 1
fi
G=$T/threads.wasm
check "the memory is imported and shared" \
    '"$DUMP" -x "$G" | grep -q "memory\[0\] pages: initial=[0-9]* max=16 shared <- env.memory"'
check "atomic instructions in the module" \
    '"$DUMP" -d "$G" | grep -q " i32.atomic.[a-z.0-9_]* 2 0"'

# run NAME ARGS...: stdout to $T/out, stderr to $T/err, status to $st
run() {
    "$RUN" --enable-threads --timeout 60 --invoke "$@" "$G" >"$T/out" 2>"$T/err"
    st=$?
}
runv() {
    name=$1; shift
    "$RUN" --enable-threads --timeout 60 "$@" --invoke "$name" "$G" $ARGS >"$T/out" 2>"$T/err"
    st=$?
}

"$RUN" --disable-threads --invoke count "$G" 2 10 >"$T/out" 2>"$T/err"
check "refused with --disable-threads (status 1)" '[ $? = 1 ]'

for n in 1 4 8; do
    "$RUN" --enable-threads --timeout 60 --invoke count "$G" "$n" 20000 >"$T/out" 2>"$T/err"
    st=$?
    check "$n threads x 20000 atomic adds: $((n * 20000)) (got $(cat "$T/out"), status $st)" \
        '[ "$st" = 0 ] && [ "$(cat "$T/out")" = $((n * 20000)) ]'
done

"$RUN" --enable-threads --timeout 60 --invoke wait_notify "$G" 4 >"$T/out" 2>"$T/err"
st=$?
check "wait: another value 1, timed out 2, 4 waiters released by notify (got $(cat "$T/out"))" \
    '[ "$st" = 0 ] && [ "$(cat "$T/out")" = 3004 ]'

"$RUN" --enable-threads --timeout 60 --invoke trap_in_thread "$G" >"$T/out" 2>"$T/err"
st=$?
check "a trap in a thread: status 134 (got $st)" '[ "$st" = 134 ]'
check "a trap in a thread: its message and function" \
    'grep -q "trap: unreachable" "$T/err" && grep -q "wasi_thread_start" "$T/err"'

"$RUN" --enable-threads --timeout 60 --invoke exit_in_thread "$G" >"$T/out" 2>"$T/err"
st=$?
check "proc_exit(7) in a thread: status 7 (got $st)" '[ "$st" = 7 ]'

"$RUN" --enable-threads --timeout 60 --max-threads 3 --invoke spawn_until_refused "$G" 10 \
    >"$T/out" 2>"$T/err"
st=$?
check "--max-threads 3: 3 spawned, then -EAGAIN (got $(cat "$T/out"))" \
    '[ "$st" = 0 ] && [ "$(cat "$T/out")" = 3006 ]'
"$RUN" --enable-threads --timeout 60 --invoke spawn_until_refused "$G" 100 >"$T/out" 2>"$T/err"
check "default: 64 threads at once (got $(cat "$T/out"))" '[ "$(cat "$T/out")" = 64006 ]'
"$RUN" --enable-threads --max-threads x --invoke count "$G" 1 1 >/dev/null 2>"$T/err"
check "--max-threads x: usage error" '[ $? = 2 ] && grep -q "bad thread count" "$T/err"'

# pi(200000) = 17984
for n in 1 2 3; do
    "$RUN" --enable-threads --timeout 60 --invoke primes "$G" "$n" 200000 >"$T/out" 2>"$T/err"
    st=$?
    check "$n threads count 17984 primes below 200000 (got $(cat "$T/out"))" \
        '[ "$st" = 0 ] && [ "$(cat "$T/out")" = 17984 ]'
done

finish
