#!/bin/sh
# Allocation-heavy programs written in WAT (bench/gc/): binary trees of
# depth 18, a hash map of boxed keys, linked-list churn.  Prints each
# one's result, wall time and peak RSS (GNU time), once each.  Then the
# list churn at 10^7 and at 10^8 allocations: the peak RSS of the longer
# run must stay within 5% of the shorter's (the collector frees at the
# rate the program allocates, so memory stays flat).
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

# Flat memory: the same churn (a list of 10,000 cells, one allocation a
# step), 10^7 and 10^8 steps.
echo
rss_of() {
    "$TIME" -f "%e %M" -o "$T/time" "$RUN" --enable-gc --invoke run bench/gc/list-churn.wat "$1" \
        >"$T/out" 2>"$T/err" || { echo "list-churn $1: failed: $(head -c 200 "$T/err")" >&2; return 1; }
    cat "$T/time"
}
short=$(rss_of 10000000) && long=$(rss_of 100000000) || exit 0
set -- $short $long
verdict=$(awk -v a="$2" -v b="$4" 'BEGIN {
    d = (b - a) * 100 / a
    printf "%+.1f%%, %s", d, (d <= 5 ? "flat" : "GROWS") }')
printf 'list-churn peak RSS: 10^7 allocations %s KiB (%ss), 10^8 %s KiB (%ss): %s\n' \
    "$2" "$1" "$4" "$3" "$verdict"
