#!/bin/sh
# wasm-spec checks itself: on tests/spec/*.wast every command marked
# ";; FAIL" must be reported as failing and every other command must pass
# (commands start in column 0; a first line ";; wasm-spec OPTIONS" gives
# options).  Then the expected-failure list, the
# options and the exit status.
BUILD=${BUILD:-build}
cd "$(dirname "$0")/../.." || exit 2
SPEC_BIN=$BUILD/wasm-spec
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if [ "$1" = "$2" ]; then ok; else bad "$3: expected '$2', got '$1'"; fi; }

if [ ! -x "$SPEC_BIN" ]; then
    echo "FAIL: $SPEC_BIN is not built"
    echo "0 passed, 1 failed"
    exit 1
fi

# Each script: the failing lines and the counts.
for f in tests/spec/*.wast; do
    grep -n ';; FAIL' "$f" | cut -d: -f1 | sort -n >"$tmp/want"
    nfail=$(wc -l <"$tmp/want")
    ncmd=$(grep -c '^(' "$f")
    # A first line ";; wasm-spec OPTIONS" gives the script's options.
    # shellcheck disable=SC2046
    "$SPEC_BIN" -v --timeout 1 $(sed -n '1s/^;; wasm-spec //p' "$f") "$f" >"$tmp/out" 2>&1
    grep -o "^$f:[0-9]*:" "$tmp/out" | cut -d: -f2 | sort -n >"$tmp/got"
    if cmp -s "$tmp/want" "$tmp/got"; then ok; else
        bad "$f: failing lines differ (< marked, > reported)"
        diff "$tmp/want" "$tmp/got" | grep '^[<>]'
        grep "^$f:" "$tmp/out" | head -n 20
    fi
    check "$(tail -n 1 "$tmp/out")" "$((ncmd - nfail)) passed, $nfail failed" "$f totals"
done

# Listed failures are expected; the exit status follows.
f=tests/spec/fail.wast
"$SPEC_BIN" --timeout 1 --write-expected "$tmp/list" "$f" >/dev/null 2>&1
check "$?" 1 "exit status with failures"
check "$(grep -c '^fail.wast:[0-9]* ' "$tmp/list")" "$(grep -c ';; FAIL' "$f")" "entries written"
"$SPEC_BIN" --timeout 1 --expected-failures "$tmp/list" "$f" >"$tmp/out" 2>&1
check "$?" 0 "exit status with every failure listed"
check "$(tail -n 1 "$tmp/out")" \
    "$(($(grep -c '^(' "$f") - $(grep -c ';; FAIL' "$f"))) passed, 0 failed, $(grep -c ';; FAIL' "$f") expected failures" \
    "expected failures counted apart"

# Rewriting the list keeps an explanation that follows an unchanged cause.
sed 's/^\(fail\.wast:[0-9]* .*\)$/\1 -- why/' "$tmp/list" >"$tmp/list-notes"
"$SPEC_BIN" --timeout 1 --expected-failures "$tmp/list-notes" --write-expected "$tmp/list-new" \
    "$f" >/dev/null 2>&1
check "$(grep -c ' -- why$' "$tmp/list-new")" "$(grep -c ';; FAIL' "$f")" "explanations kept"

# A listed check that passes, and a listed line that is no command, fail.
line=$(grep -n '^(assert_return (invoke "nan-payload") (f32.const nan:arithmetic))' "$f" | cut -d: -f1)
{ cat "$tmp/list"; echo "fail.wast:$line passes now"; echo "fail.wast:1 not a command"; } >"$tmp/list2"
"$SPEC_BIN" --timeout 1 --expected-failures "$tmp/list2" "$f" >"$tmp/out" 2>&1
check "$?" 1 "exit status with an unexpected pass"
check "$(grep -c 'unexpected pass' "$tmp/out")" 1 "unexpected pass reported"
check "$(grep -c "^$f:1: listed" "$tmp/out")" 1 "stale entry reported"
check "$(tail -n 1 "$tmp/out" | sed 's/,.*//')" "$(($(grep -c '^(' "$f") - $(grep -c ';; FAIL' "$f") - 1)) passed" \
    "unexpected pass not counted as passed"

# Messages of malformed text modules are compared unless told not to.
nf=$(grep -c ';; FAIL' "$f")
"$SPEC_BIN" --timeout 1 --no-text-messages "$f" >"$tmp/out" 2>&1
check "$(tail -n 1 "$tmp/out" | sed 's/.*, //')" "$((nf - 1)) failed" "--no-text-messages"

# In child processes the counts are the same.
"$SPEC_BIN" --timeout 1 --isolate tests/spec/*.wast >"$tmp/out" 2>&1
"$SPEC_BIN" --timeout 1 tests/spec/*.wast >"$tmp/out2" 2>&1
check "$(tail -n 1 "$tmp/out")" "$(tail -n 1 "$tmp/out2")" "--isolate totals"

# -v prints an unexpected trap's backtrace: of a deep one, the 16
# innermost and the 16 outermost frames and a count of those between,
# in a child process too.
cat >"$tmp/deep.wast" <<'W'
(module
  (func $down (param i32)
    (if (i32.eqz (local.get 0)) (then unreachable))
    (call $down (i32.sub (local.get 0) (i32.const 1))))
  (func (export "outer") (param i32) (call $down (local.get 0))))
(assert_return (invoke "outer" (i32.const 99)))
W
for iso in "" --isolate; do
    "$SPEC_BIN" -v $iso --timeout 5 "$tmp/deep.wast" >"$tmp/out" 2>&1
    check "$(grep -c '^  at down (func\[0\])$' "$tmp/out")" 31 "deep backtrace $iso: frames"
    check "$(grep -c '^  \.\.\. 69 frames omitted \.\.\.$' "$tmp/out")" 1 "deep backtrace $iso: omitted"
    check "$(grep -A16 omitted "$tmp/out" | tail -n 1)" "  at outer (func[1])" "deep backtrace $iso: outermost"
done

# Totals per command kind.
"$SPEC_BIN" --timeout 1 --summary "$f" >"$tmp/out" 2>&1
check "$(grep -c '^  assert_malformed  *[0-9]* passed, 4 failed' "$tmp/out")" 1 "--summary"

# A malformed list is a usage error.
echo "no-line-number reason" >"$tmp/list3"
"$SPEC_BIN" --expected-failures "$tmp/list3" "$f" >/dev/null 2>&1
check "$?" 2 "malformed list"

# --filter keeps only matching files.
"$SPEC_BIN" --timeout 1 --filter pass tests/spec/*.wast >"$tmp/out" 2>&1
check "$(grep -c '^tests/spec/.*: [0-9]* passed' "$tmp/out")" 1 "--filter"

# Usage errors and help.
"$SPEC_BIN" >/dev/null 2>&1
check "$?" 2 "no script"
"$SPEC_BIN" --no-such-option "$f" >/dev/null 2>&1
check "$?" 2 "unknown option"
"$SPEC_BIN" --help >"$tmp/out" 2>&1
check "$?" 0 "--help"
check "$(grep -c -- '--expected-failures' "$tmp/out")" 1 "--help text"
"$SPEC_BIN" --version >/dev/null 2>&1
check "$?" 0 "--version"

# A missing file is one failure, not a crash.
"$SPEC_BIN" "$tmp/missing.wast" >"$tmp/out" 2>&1
check "$?" 1 "missing file status"
check "$(tail -n 1 "$tmp/out")" "0 passed, 1 failed" "missing file counted"

# Without SIMD the v128 modules must fail to load.
"$SPEC_BIN" --timeout 1 --disable-simd tests/spec/pass.wast >"$tmp/out" 2>&1
check "$?" 1 "--disable-simd"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
