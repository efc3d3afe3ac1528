#!/usr/bin/env python3
"""Conformance of decoding and validation on the official spec suite.

Every core .wast of the suite is converted with wabt's wast2json; then, with
our wasm-validate:
  - every module (and every module of assert_unlinkable/uninstantiable) must
    decode and validate;
  - every assert_invalid and binary assert_malformed must fail with the
    expected text inside our message.
Text-format assert_malformed modules belong to the text parser: counted as
skipped.  Known failures are listed, with a reason each, in
spec-binary.xfail; an unlisted failure or a listed pass fails the test.

usage: spec-binary.py WASM_VALIDATE SUITE_DIR XFAIL_FILE
"""
import json
import os
import subprocess
import sys
import tempfile

MUST_VALIDATE = ("module", "assert_unlinkable", "assert_uninstantiable")
MUST_FAIL = ("assert_invalid", "assert_malformed")


def load_xfail(path):
    xfail = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, reason = line.partition(" ")
            xfail[key] = reason.strip()
    return xfail


# Feature flags for the tool (after the first three arguments).
FLAGS = []


def run_tool(tool, path):
    proc = subprocess.run([tool] + FLAGS + [path], capture_output=True, text=True,
                          errors="replace")
    return proc.returncode, proc.stderr.strip()


def run_batch(tool, paths):
    """One wasm-validate -v over many files: path -> (valid, message).
    Missing entries (a crash, an unparsable line) are left to run alone."""
    proc = subprocess.run([tool, "-v"] + FLAGS + paths, capture_output=True,
                          text=True, errors="replace")
    if proc.returncode not in (0, 1):
        return {}
    out = {}
    for line in proc.stdout.splitlines():
        if line.endswith(": valid"):
            out[line[:-len(": valid")]] = (True, "")
    prefix = "wasm-validate: "
    for line in proc.stderr.splitlines():
        if line.startswith(prefix):
            for path in paths:
                if line.startswith(prefix + path + ": "):
                    out[path] = (False, line)
    return out


def judge(cmd, status, stderr):
    """None when the command behaves as the suite says, else why not."""
    if cmd["type"] in MUST_VALIDATE:
        if status != 0:
            return "should be valid: " + stderr
        return None
    if status == 0:
        return "should fail with \"%s\" but is valid" % cmd["text"]
    if status != 1:
        return "exit status %d: %s" % (status, stderr)
    if cmd["text"] not in stderr:
        return "expected \"%s\", got: %s" % (cmd["text"], stderr)
    return None


def check_all(tool, tmp, cmds):
    paths = [os.path.join(tmp, cmd["filename"]) for cmd in cmds]
    batch = run_batch(tool, paths) if paths else {}
    results = []
    for cmd, path in zip(cmds, paths):
        if path in batch:
            valid, msg = batch[path]
            status, stderr = (0, "") if valid else (1, msg)
        else:
            status, stderr = run_tool(tool, path)
        results.append(judge(cmd, status, stderr))
    return results


def commands_of(json_path):
    with open(json_path, encoding="utf-8") as f:
        data = json.load(f)
    for cmd in data["commands"]:
        kind = cmd["type"]
        if kind in MUST_VALIDATE or kind in MUST_FAIL:
            yield cmd


def run_file(tool, wast, tmp):
    name = os.path.basename(wast)
    json_path = os.path.join(tmp, os.path.splitext(name)[0] + ".json")
    conv = subprocess.run(["wast2json", wast, "-o", json_path],
                          capture_output=True, text=True)
    if conv.returncode != 0:
        return name, [], 0, "wast2json failed: " + conv.stderr.strip()
    todo, skipped = [], 0
    for cmd in commands_of(json_path):
        if cmd.get("module_type", "binary") != "binary":
            skipped += 1
            continue
        todo.append(cmd)
    results = [("%s:%d" % (name, cmd["line"]), why)
               for cmd, why in zip(todo, check_all(tool, tmp, todo))]
    return name, results, skipped, None


def main():
    tool, suite, xfail_path = sys.argv[1:4]
    FLAGS.extend(sys.argv[4:])
    xfail = load_xfail(xfail_path)
    seen = set()
    passed = failed = skipped_total = xfailed = 0
    wasts = sorted(os.path.join(suite, f) for f in os.listdir(suite)
                   if f.endswith(".wast"))
    with tempfile.TemporaryDirectory() as tmp:
        for wast in wasts:
            name, results, skipped, problem = run_file(tool, wast, tmp)
            if problem:
                print("FAIL %s: %s" % (name, problem))
                failed += 1
                continue
            fp = ff = fx = 0
            for key, why in results:
                seen.add(key)
                if key in xfail:
                    if why is None:
                        print("FAIL %s: listed as expected failure (%s) but passes"
                              % (key, xfail[key]))
                        ff += 1
                    else:
                        fx += 1
                elif why is None:
                    fp += 1
                else:
                    print("FAIL %s: %s" % (key, why))
                    ff += 1
            print("%s: %d passed, %d failed, %d expected failures, "
                  "%d skipped (text format)" % (name, fp, ff, fx, skipped))
            passed += fp
            failed += ff
            xfailed += fx
            skipped_total += skipped
    for key in sorted(set(xfail) - seen):
        print("FAIL %s: listed as expected failure but not in the suite" % key)
        failed += 1
    print("SKIP: %d text-format assert_malformed modules (the text parser's tests)"
          % skipped_total)
    if xfailed:
        print("%d expected failures (see %s)" % (xfailed, xfail_path))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
