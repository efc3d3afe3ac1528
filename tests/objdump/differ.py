#!/usr/bin/env python3
"""Compare our wasm-objdump with wabt's, module by module, byte for byte.

usage: differ.py OURS GROUP...   (a GROUP is a directory of .wasm files)

Each group is dumped in one run of each tool per mode; the output is split
at the "NAME:\tfile format" line each module starts with.  A module counts
only when wabt reads it cleanly (exit 0, nothing on stderr) and the same
twice (wabt prints uninitialised memory for some ref-typed initialisers).
One difference is deliberate: we number declared locals after the
function's own parameters ("| local[N..M]"), wabt after those of
type[F]; outputs that differ only there count as passed and are listed.
A second is decoding: the spec calls some modules malformed that wabt
still reads (a memory index written as a multi-byte LEB); we print up to
the damage and report it.  Such a module counts as passed when our output
is a prefix of wabt's and we reported an error for it.
Initialisers wabt cannot show (ref.null, ref.func, v128.const, an empty
expression, the local.get of an invalid module) come out of wabt as uninitialised memory ("- init i32=<junk>",
or nothing at all); a module that differs and has such an initialiser is
counted as skipped.
"""
import os
import re
import subprocess
import sys

MODES = ["-h", "-x", "-d", "-s", "-dr", "-xr"]
HEADER = re.compile(rb"\n([^\n]*):\tfile format wasm 0x1\n")
LOCALS = re.compile(rb"\| local\[[0-9.]+\]")
WABT_ERROR = re.compile(rb"^[0-9a-f]+: error: ", re.M)
OUR_INIT = re.compile(rb" - init (ref\.null|ref\.func|v128\.const|nop|local\.get)")
REJECT = re.compile(rb"^wasm-objdump: (.*): 0x[0-9a-f]+: ", re.M)


def split(out):
    """{basename: text} from a multi-file dump."""
    parts = {}
    marks = list(HEADER.finditer(out))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(out)
        parts[m.group(1).decode("latin1")] = out[m.start():end]
    return parts


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def run_merged(cmd):
    """stdout and stderr in one stream, line by line in order (stdbuf)."""
    p = subprocess.run(["stdbuf", "-oL"] + cmd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=600)
    return p.returncode, p.stdout


def wabt_clean(mode, files):
    """The modules wabt reads cleanly, with their output.  One run for all;
    a module whose part holds an error line is left out (an error before a
    module's header lands in the previous part, which is then left out too).
    When wabt dies, each module gets its own run."""
    rc, out = run_merged(["wasm-objdump", mode] + files)
    if rc == 0:
        parts = {k: v for k, v in split(out).items() if not WABT_ERROR.search(v)}
    else:
        parts = {}
        for f in files:
            rc, out, err = run(["wasm-objdump", mode, f])
            if rc == 0 and not err:
                parts.update(split(out))
    if mode.startswith("-x") and parts:
        rc, again = run_merged(["wasm-objdump", mode] + sorted(
            f for f in files if os.path.basename(f) in parts))
        twice = split(again)
        parts = {k: v for k, v in parts.items() if twice.get(k) == v}
    return parts


def wabt_junk(mine):
    """Has our output an initialiser that wabt prints as junk?"""
    return OUR_INIT.search(mine) is not None


def main():
    ours, groups = sys.argv[1], sys.argv[2:]
    stats = {m: [0, 0] for m in MODES}
    deliberate = []
    stricter = []
    junk = []
    failures = []
    for g in groups:
        files = sorted(os.path.join(g, f) for f in os.listdir(g) if f.endswith((".wasm", ".o")))
        if not files:
            continue
        has_objects = any(f.endswith(".o") for f in files)
        for mode in MODES:
            if mode in ("-dr", "-xr") and not has_objects:
                continue    # relocations are only in object files
            want = wabt_clean(mode, files)
            if not want:
                continue
            rc, out, err = run([ours, "--color=never", mode] + files)
            got = split(out)
            rejected = set(os.path.basename(m.group(1).decode("latin1"))
                           for m in REJECT.finditer(err))
            for name, text in sorted(want.items()):
                mine = got.get(name)
                if mine == text:
                    stats[mode][0] += 1
                elif mine is not None and mode in ("-d", "-dr") and \
                        LOCALS.sub(b"|local", mine) == LOCALS.sub(b"|local", text):
                    stats[mode][0] += 1
                    deliberate.append(name)
                elif mine is not None and name in rejected and text.startswith(mine):
                    stats[mode][0] += 1
                    stricter.append(name)
                elif mine is not None and mode.startswith("-x") and wabt_junk(mine):
                    junk.append(name)
                else:
                    stats[mode][1] += 1
                    failures.append((mode, os.path.join(g, name)))
    for mode in MODES:
        if any(stats[mode]):
            print("objdump %s: %d identical to wabt, %d different" % (mode, *stats[mode]))
    print("deliberate local numbering differences (counted as passed): %d" % len(deliberate))
    print("modules we report malformed that wabt reads (counted as passed): %d %s"
          % (len(stricter), " ".join(sorted(set(stricter)))))
    print("skipped, wabt prints uninitialised memory for an initialiser: %d %s"
          % (len(junk), " ".join(sorted(junk))))
    for mode, path in failures[:40]:
        print("FAIL: %s %s" % (mode, path))
    passed = sum(s[0] for s in stats.values())
    failed = sum(s[1] for s in stats.values())
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
