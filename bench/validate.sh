#!/bin/sh
# Decode + validate throughput: our wasm-validate against wabt's on the same
# multi-megabyte module, compiled from a generated C program (deterministic:
# bench/gen-validate.c with fixed seeds).  Prints MB/s of each (median of
# RUNS runs, by CPU time and by wall time) and the ratios.  BUILD names the
# build directory.
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
OURS="$BUILD/wasm-validate"
NFUNCS=${NFUNCS:-8000}
RUNS=${RUNS:-7}
OUT="$BUILD/bench/validate"
WASM="$OUT/large.wasm"

[ -x "$OURS" ] || { echo "validate: $OURS not built"; exit 1; }
command -v clang >/dev/null 2>&1 || { echo "SKIP: validate: clang not installed"; exit 0; }
mkdir -p "$OUT"

# Build the module once; rebuilt when the generator changes.
if [ ! -f "$WASM" ] || [ bench/gen-validate.c -nt "$WASM" ]; then
    cc -O2 -o "$OUT/gen-validate" bench/gen-validate.c || exit 1
    parts=$(nproc 2>/dev/null || echo 2)
    echo "generating $NFUNCS functions in $parts parts and compiling (takes a minute or two)"
    i=0
    while [ "$i" -lt "$parts" ]; do
        "$OUT/gen-validate" "$NFUNCS" "$i" "$parts" >"$OUT/part$i.c" || exit 1
        i=$((i + 1))
    done
    i=0
    while [ "$i" -lt "$parts" ]; do echo "$i"; i=$((i + 1)); done |
        xargs -P "$parts" -I N clang --target=wasm32-wasi -O2 -msimd128 -c "$OUT/partN.c" -o "$OUT/partN.o" ||
        { echo "SKIP: validate: clang cannot compile for wasm32-wasi"; exit 0; }
    clang --target=wasm32-wasi -nostdlib -Wl,--no-entry -Wl,--export-all -Wl,--allow-undefined \
        -o "$WASM" "$OUT"/part*.o || { echo "SKIP: validate: cannot link for wasm32-wasi"; exit 0; }
    rm -f "$OUT"/part*.c "$OUT"/part*.o
fi

size=$(wc -c <"$WASM")
if [ "$size" -lt 5000000 ]; then
    echo "validate: $WASM is only $size bytes (need 5 MB; raise NFUNCS)"
    exit 1
fi

# measure CMD...: "WALL_NS CPU_NS", the medians over RUNS runs.  CPU time
# (user + system of the process) is what a loaded machine cannot inflate.
measure() {
    python3 - "$RUNS" "$@" <<'PY'
import os, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
walls, cpus = [], []
for _ in range(runs):
    t0 = time.perf_counter_ns()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(proc.pid, 0)
    walls.append(time.perf_counter_ns() - t0)
    cpus.append(int((ru.ru_utime + ru.ru_stime) * 1e9))
    if status != 0:
        sys.exit("validate: '%s' failed" % " ".join(cmd))
walls.sort()
cpus.sort()
print(walls[runs // 2], cpus[runs // 2])
PY
}

# mbps NS: throughput of the module in MB/s.
mbps() {
    awk -v b="$size" -v ns="$1" 'BEGIN { printf "%.1f", b / 1e6 / (ns / 1e9) }'
}

# report NAME WALL_NS CPU_NS
report() {
    printf '%-22s %8s MB/s (cpu %d ms)   wall: %s MB/s (%d ms)\n' "$1:" "$(mbps "$3")" \
        $(($3 / 1000000)) "$(mbps "$2")" $(($2 / 1000000))
}

command -v python3 >/dev/null 2>&1 || { echo "SKIP: validate: python3 not installed"; exit 0; }
echo "module: $WASM ($size bytes, $(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1e6 }') MB)"
set -- $(measure "$OURS" "$WASM") || exit 1
ours_wall=$1 ours_cpu=$2
report "libwasm wasm-validate" "$ours_wall" "$ours_cpu"
if command -v wasm-validate >/dev/null 2>&1; then
    set -- $(measure wasm-validate "$WASM") || exit 1
    report "wabt wasm-validate" "$1" "$2"
    echo "ratio (libwasm / wabt), median of $RUNS: cpu $(awk -v a="$2" -v b="$ours_cpu" 'BEGIN { printf "%.1f", a / b }')x, wall $(awk -v a="$1" -v b="$ours_wall" 'BEGIN { printf "%.1f", a / b }')x"
else
    echo "SKIP: wabt's wasm-validate not installed; no comparison"
fi
