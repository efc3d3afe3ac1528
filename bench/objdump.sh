#!/bin/sh
# Disassembly speed: our wasm-objdump -d against wabt's on the same
# multi-megabyte module (the one bench/validate.sh builds from
# bench/gen-validate.c; built here the same way when it is missing).
# Prints the median time of RUNS runs of each, by CPU and wall time, and
# the ratio.  BUILD names the build directory.
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
OURS="$BUILD/wasm-objdump"
NFUNCS=${NFUNCS:-8000}
RUNS=${RUNS:-5}
OUT="$BUILD/bench/validate"
WASM="$OUT/large.wasm"

[ -x "$OURS" ] || { echo "objdump: $OURS not built"; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "SKIP: objdump: python3 not installed"; exit 0; }
command -v clang >/dev/null 2>&1 || { echo "SKIP: objdump: clang not installed"; exit 0; }
mkdir -p "$OUT"

if [ ! -f "$WASM" ] || [ bench/gen-validate.c -nt "$WASM" ]; then
    cc -O2 -o "$OUT/gen-validate" bench/gen-validate.c || exit 1
    echo "generating $NFUNCS functions and compiling (takes a minute or two)"
    "$OUT/gen-validate" "$NFUNCS" 0 1 >"$OUT/objdump-part.c" || exit 1
    clang --target=wasm32-wasi -O2 -msimd128 -c "$OUT/objdump-part.c" -o "$OUT/objdump-part.o" ||
        { echo "SKIP: objdump: clang cannot compile for wasm32-wasi"; exit 0; }
    clang --target=wasm32-wasi -nostdlib -Wl,--no-entry -Wl,--export-all -Wl,--allow-undefined \
        -o "$WASM" "$OUT/objdump-part.o" || { echo "SKIP: objdump: cannot link for wasm32-wasi"; exit 0; }
    rm -f "$OUT/objdump-part.c" "$OUT/objdump-part.o"
fi

size=$(wc -c <"$WASM")
if [ "$size" -lt 5000000 ]; then
    echo "objdump: $WASM is only $size bytes (need 5 MB; raise NFUNCS)"
    exit 1
fi

# measure CMD...: "WALL_NS CPU_NS", the medians over RUNS runs; output
# goes to /dev/null so the terminal is not what is measured.
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
        sys.exit("objdump: '%s' failed" % " ".join(cmd))
walls.sort()
cpus.sort()
print(walls[runs // 2], cpus[runs // 2])
PY
}

report() {
    printf '%-22s cpu %6d ms   wall %6d ms\n' "$1:" $(($3 / 1000000)) $(($2 / 1000000))
}

lines=$("$OURS" -d "$WASM" | wc -l)
echo "module: $WASM ($size bytes, $lines lines of disassembly)"
set -- $(measure "$OURS" --color=never -d "$WASM") || exit 1
ours_wall=$1 ours_cpu=$2
report "libwasm wasm-objdump -d" "$ours_wall" "$ours_cpu"
if command -v wasm-objdump >/dev/null 2>&1; then
    set -- $(measure wasm-objdump -d "$WASM") || exit 1
    report "wabt wasm-objdump -d" "$1" "$2"
    echo "speed-up (wabt time / ours), median of $RUNS: cpu $(awk -v a="$2" -v b="$ours_cpu" 'BEGIN { printf "%.2f", a / b }')x, wall $(awk -v a="$1" -v b="$ours_wall" 'BEGIN { printf "%.2f", a / b }')x"
else
    echo "SKIP: wabt's wasm-objdump not installed; no comparison"
fi
