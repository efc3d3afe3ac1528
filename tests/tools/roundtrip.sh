#!/bin/sh
# Text format over the spec suite: every module parses, every text
# assert_malformed is rejected with the suite's message, every module
# survives parse -> encode -> decode, damaged copies never crash the
# parsers; with wabt installed, our encodings pass wasm-validate and decode
# to the same module as wat2wasm's output (wast2json), names aside, and
# wat2wasm's binaries survive our encode -> decode.
BUILD=${BUILD:-build}
cd "$(dirname "$0")/../.." || exit 2
SPEC=${SPEC:-$(scripts/spec-suite 2.0)}
if [ ! -d "$SPEC" ]; then
    echo "SKIP: spec suite not found at $SPEC"
    echo "0 passed, 0 failed"
    exit 0
fi
CC=${CC:-cc}
SAN=
[ "$SANITIZE" = 1 ] && SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
tool="$BUILD/tests/textsuite"
mkdir -p "$BUILD/tests"
$CC -std=gnu11 -O1 -g $SAN -Ilibwasm/include tests/tools/textsuite.c "$BUILD/libwasm.a" \
    -lm -lpthread -o "$tool" || { echo "0 passed, 1 failed"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/ours" "$tmp/wabt"

"$tool" -m -o "$tmp/ours" "$SPEC"/*.wast >"$tmp/suite.log" 2>&1
status=$?
grep -v '^[0-9]* passed' "$tmp/suite.log" | grep -E '^(FAIL|SKIP|scripts|modules|assert|roundtrip|damaged)'
line=$(tail -n 1 "$tmp/suite.log")
pass=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
fail=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
pass=${pass:-0}
fail=${fail:-1}
[ "$status" -ne 0 ] && [ "$fail" -eq 0 ] && fail=1

if command -v wasm-validate >/dev/null 2>&1; then
    ls "$tmp/ours"/*.wasm | xargs -P 4 -n 1 sh -c 'wasm-validate "$0" >/dev/null 2>&1 || echo "FAIL wasm-validate $(basename "$0")"' \
        >"$tmp/validate.log"
    vf=$(grep -c FAIL "$tmp/validate.log")
    vp=$(( $(ls "$tmp/ours" | grep -c '\.wasm$') - vf ))
    head -n 20 "$tmp/validate.log"
    echo "wasm-validate: $vp valid, $vf rejected"
    pass=$((pass + vp))
    fail=$((fail + vf))
else
    echo "SKIP: wasm-validate (wabt) not installed"
fi

if command -v wast2json >/dev/null 2>&1; then
    for w in "$SPEC"/*.wast; do
        base=$(basename "$w" .wast)
        wast2json "$w" -o "$tmp/wabt/$base.json" >/dev/null 2>&1 || echo "note: wast2json cannot read $base.wast"
    done
    # Pair each of our module encodings with wat2wasm's (same file and line).
    python3 - "$tmp" >"$tmp/pairs" <<'PY'
import json, os, sys
tmp = sys.argv[1]
for name in sorted(os.listdir(tmp + "/wabt")):
    if not name.endswith(".json"):
        continue
    base = name[:-5]
    for c in json.load(open(tmp + "/wabt/" + name))["commands"]:
        if c["type"] != "module" or not c.get("filename"):
            continue
        ours = "%s/ours/%s.%d.wasm" % (tmp, base.split(".")[0], c["line"])
        if os.path.exists(ours):
            print(ours, "%s/wabt/%s" % (tmp, c["filename"]))
PY
    "$tool" -c "$tmp/pairs" >"$tmp/cmp.log" 2>&1
    grep -v '^wat2wasm:' "$tmp/cmp.log" | head -n 40
    summary=$(grep '^wat2wasm:' "$tmp/cmp.log")
    echo "$summary"
    sp=$(echo "$summary" | sed -n 's/^wat2wasm: \([0-9]*\) same.*/\1/p')
    sf=$(echo "$summary" | sed -n 's/.*, \([0-9]*\) differ$/\1/p')
    pass=$((pass + ${sp:-0}))
    fail=$((fail + ${sf:-1}))
else
    echo "SKIP: wast2json (wabt) not installed: no comparison with wat2wasm"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
