#!/bin/sh
# Compute benchmarks: each bench/programs/*.c compiled to wasm32-wasi
# (clang -O2) and natively (gcc -O2), run RUNS times (default 3) under our
# engine and natively; prints the median CPU time of each and the ratio
# to native, then the geometric mean.  Peers (wasm3, wabt's wasm-interp)
# run too when installed.  BUILD names the build directory.
BUILD=${BUILD:-build}
RUNS=${RUNS:-3}
cd "$(dirname "$0")/.." || exit 2
out="$BUILD/bench"
mkdir -p "$out"

if ! command -v clang >/dev/null 2>&1 || ! command -v gcc >/dev/null 2>&1 ||
   ! command -v bc >/dev/null 2>&1 || [ ! -x /usr/bin/time ]; then
    echo "SKIP: compute benchmarks need clang (wasm32-wasi), gcc, bc and /usr/bin/time"
    exit 0
fi

# The engine: wasm-run when it exists, else the minimal bench host.
if [ -x "$BUILD/wasm-run" ]; then
    engine="$BUILD/wasm-run"
else
    engine="$out/bench-host"
    gcc -O2 -Ilibwasm/include bench/bench-host.c "$BUILD/libwasm.a" -lm -lpthread \
        -o "$engine" || exit 1
fi

# Median CPU time (user + system, seconds) of RUNS runs of "$@", output
# to $tmp.  CPU time rather than wall time: it does not count the time
# other processes hold the CPU, so a busy machine skews it less.
tmp="$out/run.out"
median() {
    i=0
    : > "$out/times"
    while [ $i -lt "$RUNS" ]; do
        /usr/bin/time -f '%U %S' -o "$out/time1" "$@" > "$tmp" 2>&1 || { echo "fail"; return; }
        awk '{ print $1 + $2 }' "$out/time1" >> "$out/times"
        i=$((i + 1))
    done
    sort -n "$out/times" | awk '{ t[NR] = $1 } END { printf "%.3f", t[int((NR + 1) / 2)] }'
}

peers=""
command -v wasm3 >/dev/null 2>&1 && peers="$peers wasm3"
if command -v wasm-interp >/dev/null 2>&1; then
    printf '\000asm\001\000\000\000' > "$out/empty.wasm"
    if wasm-interp --wasi "$out/empty.wasm" 2>&1 | grep -q 'not compiled in'; then
        echo "SKIP: wasm-interp was built without WASI support"
    else
        peers="$peers wasm-interp"
    fi
fi

printf '%-10s %9s %9s %7s' program native libwasm ratio
for p in $peers; do printf ' %11s %7s' "$p" ratio; done
echo
logsum=0
n=0
for src in bench/programs/*.c; do
    name=$(basename "$src" .c)
    clang --target=wasm32-wasi -O2 "$src" -o "$out/$name.wasm" -lm || continue
    gcc -O2 "$src" -o "$out/$name.native" -lm || continue
    "$out/$name.native" > "$out/$name.expected"
    tn=$(median "$out/$name.native")
    tw=$(median "$engine" "$out/$name.wasm")
    if [ "$tw" = fail ] || ! cmp -s "$tmp" "$out/$name.expected"; then
        printf '%-10s %9s %9s %7s\n' "$name" "$tn" "wrong" "-"
        continue
    fi
    r=$(echo "$tw / $tn" | bc -l)
    logsum=$(echo "$logsum + l($r)" | bc -l)
    n=$((n + 1))
    printf '%-10s %9s %9s %6.1fx' "$name" "$tn" "$tw" "$r"
    for p in $peers; do
        case $p in
            wasm3) tp=$(median wasm3 "$out/$name.wasm") ;;
            wasm-interp) tp=$(median wasm-interp --wasi "$out/$name.wasm") ;;
        esac
        if [ "$tp" = fail ]; then
            printf ' %11s %7s' fail -
        else
            printf ' %11s %6.1fx' "$tp" "$(echo "$tp / $tn" | bc -l)"
        fi
    done
    echo
done
if [ $n -gt 0 ]; then
    printf 'geometric mean of libwasm/native over %d programs: %.2fx\n' \
        "$n" "$(echo "e($logsum / $n)" | bc -l)"
fi
