#!/bin/sh
# Allocation-heavy programs written in WAT (bench/gc/): binary trees of
# depth 18, a hash map of boxed keys, linked-list churn.  Prints each
# one's result, wall time and peak RSS (GNU time), once each.
BUILD=${BUILD:-build}
RUN=$BUILD/wasm-run
[ -x "$RUN" ] || { echo "gc: $RUN not built"; exit 0; }
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "gc: needs GNU time (/usr/bin/time) for peak RSS"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/gcbench.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
printf '%-14s %12s %10s %12s\n' program result seconds "peak RSS"
for p in "binary-trees 18" "hashmap 2000000" "list-churn 20000000"; do
    set -- $p
    "$TIME" -f "%e %M" -o "$T/time" "$RUN" --enable-gc --invoke run "bench/gc/$1.wat" "$2" \
        >"$T/out" 2>"$T/err" || { echo "$1: failed: $(head -c 200 "$T/err")"; continue; }
    read -r secs rss <"$T/time"
    printf '%-14s %12s %10s %9s KiB\n' "$1" "$(cat "$T/out")" "$secs" "$rss"
done
