#!/bin/sh
# wasm-run start-up on a 1 MB module: 4,000 functions that never run (so
# lazy compilation leaves them alone) and a _start that returns.  Prints
# the median wall and CPU times of wasm-run, of /bin/true (the cost of
# starting any process here) and the difference, which is what wasm-run
# itself spends; the target for that is under 10 ms.  On a loaded machine
# the CPU column is the steadier one.
BUILD=${BUILD:-build}
RUN=$BUILD/wasm-run
[ -x "$RUN" ] || { echo "startup: $RUN not built"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "startup: needs python3"; exit 0; }
T=$(mktemp -d "${TMPDIR:-/tmp}/startup.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

python3 - "$T/big.wasm" <<'PY'
import sys

def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7f
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)

def section(sid, body):
    return bytes([sid]) + leb(len(body)) + body

def vec(items):
    return leb(len(items)) + b"".join(items)

nfuncs = 4000
# (param i32) (result i32): local.get 0, then (i32.const k; i32.add) x 40
body = b"\x00" + b"\x20\x00" + b"".join(b"\x41" + leb(k) + b"\x6a" for k in range(40)) + b"\x0b"
types = vec([b"\x60\x01\x7f\x01\x7f", b"\x60\x00\x00"])
funcs = vec([leb(0)] * nfuncs + [leb(1)])
exports = vec([leb(6) + b"_start" + b"\x00" + leb(nfuncs)])
code = vec([leb(len(body)) + body] * nfuncs + [b"\x02\x00\x0b"])
mod = b"\x00asm\x01\x00\x00\x00" + section(1, types) + section(3, funcs) + \
      section(7, exports) + section(10, code)
# A custom section brings the file to 1 MiB (the size field takes 3 bytes).
name = b"\x07padding"
mod += section(0, name + b"\x00" * ((1 << 20) - len(mod) - 4 - len(name)))
open(sys.argv[1], "wb").write(mod)
print("module: %d bytes, %d functions" % (len(mod), nfuncs + 1))
PY

python3 - "$RUN" "$T/big.wasm" <<'PY'
import resource, subprocess, sys, time

def median(cmd, n=31):
    """Median wall time and median CPU time (user + sys) in ms."""
    walls, cpus = [], []
    for _ in range(n):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        r = subprocess.run(cmd)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if r.returncode != 0:
            print("startup: %s exited %d" % (" ".join(cmd), r.returncode))
            sys.exit(0)
    walls.sort()
    cpus.sort()
    return walls[n // 2] * 1000, cpus[n // 2] * 1000

run, run_cpu = median([sys.argv[1], sys.argv[2]])
base, base_cpu = median(["/bin/true"])
print("                    wall (median of 31)   cpu")
print("wasm-run big.wasm  %7.2f ms          %7.2f ms" % (run, run_cpu))
print("/bin/true          %7.2f ms          %7.2f ms" % (base, base_cpu))
print("wasm-run's own     %7.2f ms          %7.2f ms   (target: under 10 ms)"
      % (run - base, run_cpu - base_cpu))
PY
