#!/bin/sh
# wasi-threads: tests/guest/threads.c's parallel prime count (primes below
# 2,000,000, in blocks dealt round-robin to the threads) built with clang-19 and
# run by wasm-run with 1 and with 2 threads; prints the median wall time
# of 3 runs each and the speed-up of 2 threads over 1.  On a machine with
# other work running, the speed-up says little.
BUILD=${BUILD:-build}
RUN=$BUILD/wasm-run
[ -x "$RUN" ] || { echo "threads: $RUN not built"; exit 0; }
CLANG=$(command -v clang-19)
LLD=$(command -v wasm-ld-19)
if [ -z "$CLANG" ] || [ -z "$LLD" ]; then
    echo "threads: SKIP: clang-19 or wasm-ld-19 not installed"
    exit 0
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/threads.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
mkdir "$T/bin"
ln -s "$LLD" "$T/bin/wasm-ld-19"
PATH=$T/bin "$CLANG" --target=wasm32 -nostdlib -O2 -matomics -mbulk-memory \
    -Wl,--no-entry -Wl,--shared-memory,--import-memory,--max-memory=1048576 \
    tests/guest/threads.c -o "$T/threads.wasm" || { echo "threads: cannot build the guest"; exit 0; }

LIMIT=2000000
WANT=148933   # pi(2,000,000)
# median wall seconds of 3 runs with $1 threads; checks the answer
measure() {
    for i in 1 2 3; do
        s=$(date +%s%N)
        got=$("$RUN" --enable-threads --invoke primes "$T/threads.wasm" "$1" "$LIMIT")
        e=$(date +%s%N)
        if [ "$got" != "$WANT" ]; then
            echo "threads: $1 threads counted $got primes, want $WANT" >&2
            return 1
        fi
        echo $(((e - s) / 1000000))
    done | sort -n | sed -n 2p
}
one=$(measure 1) && two=$(measure 2) || exit 0
printf 'primes below %d: 1 thread %d ms, 2 threads %d ms, speed-up %s\n' "$LIMIT" "$one" "$two" \
    "$(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2fx", b ? a / b : 0 }')"
