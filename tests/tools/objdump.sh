#!/bin/sh
# wasm-objdump: golden outputs for what we add (--func, --color, local
# numbering, malformed input, usage), then byte-for-byte comparison with
# wabt's wasm-objdump (-h, -x, -d, -s) on every module of the spec suite
# and on C programs compiled with clang (see tests/objdump/differ.py for
# what is compared and the deliberate differences).  BUILD names the build
# directory; SPEC the suite.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
SPEC=${SPEC:-$(scripts/spec-suite 2.0)}
G=tests/objdump
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if [ ! -x "$BUILD/wasm-objdump" ]; then
    echo "$BUILD/wasm-objdump not built"
    echo "0 passed, 1 failed"
    exit 1
fi
TOOL=$(cd "$BUILD" && pwd)/wasm-objdump

# Golden: NAME.args are the arguments (run in tests/objdump), NAME.out the
# expected stdout and stderr, then "exit STATUS".  UPDATE=1 rewrites them.
for args in "$G"/*.args; do
    name=$(basename "$args" .args)
    (cd "$G" && eval "\"\$TOOL\" $(cat "$name.args")") >"$T/out" 2>&1
    echo "exit $?" >>"$T/out"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$T/out" "$G/$name.out"
    fi
    if cmp -s "$T/out" "$G/$name.out"; then
        ok
    else
        bad "golden $name:"
        diff "$G/$name.out" "$T/out" | head -n 20
    fi
done

# The local-numbering difference is documented where users look.
if "$TOOL" --help | grep -q "numbered after the function's own parameters"; then ok; else bad "--help documents local numbering"; fi
if "$TOOL" --version | grep -q "libwasm"; then ok; else bad "--version"; fi
"$TOOL" >/dev/null 2>&1
if [ $? -eq 2 ]; then ok; else bad "no arguments: exit 2"; fi
"$TOOL" --color=sometimes -h "$G/locals.wasm" >/dev/null 2>&1
if [ $? -eq 2 ]; then ok; else bad "--color=sometimes: exit 2"; fi
# Feature flags are taken as the other tools take them (in order, unknown
# names refused); the module is shown in full whatever they say.
"$TOOL" -x -d "$G/branch-hints.wasm" >"$T/plain.out" 2>&1
"$TOOL" --enable-all --disable-simd --disable-bulk-memory -x -d "$G/branch-hints.wasm" \
    >"$T/flags.out" 2>&1
if [ $? -eq 0 ] && cmp -s "$T/plain.out" "$T/flags.out"; then ok; else bad "feature flags change nothing"; fi
"$TOOL" --disable-nothing -h "$G/locals.wasm" >/dev/null 2>"$T/err"
if [ $? -eq 2 ] && grep -q "unknown feature 'nothing'" "$T/err"; then ok; else bad "--disable-nothing: exit 2"; fi
"$TOOL" -j 2>"$T/err"
if [ $? -eq 2 ] && grep -q "option '-j' needs an argument" "$T/err"; then ok; else bad "-j without a value"; fi

# Every truncation of a module: output, an error with an offset, no crash.
size=$(wc -c <"$G/locals.wasm")
n=9
crashes=0
while [ "$n" -lt "$size" ]; do
    head -c "$n" "$G/locals.wasm" >"$T/cut.wasm"
    "$TOOL" -h -x -d -s "$T/cut.wasm" >/dev/null 2>"$T/err"
    status=$?
    if [ "$status" -gt 1 ] || { [ "$status" -eq 1 ] && ! grep -q ": 0x[0-9a-f]*: " "$T/err"; }; then
        crashes=$((crashes + 1))
        echo "truncated to $n bytes: exit $status: $(cat "$T/err")"
    fi
    n=$((n + 1))
done
if [ "$crashes" -eq 0 ]; then ok; else bad "$crashes truncations misbehaved"; fi

# Differential tests against wabt.
diff_run() {
    python3 "$G/differ.py" "$TOOL" "$@" >"$T/differ.log" 2>&1
    grep -v 'passed, .* failed$' "$T/differ.log"
    line=$(tail -n 1 "$T/differ.log")
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
    f=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
    if [ -z "$p" ]; then
        bad "differ.py: $line"
        return
    fi
    pass=$((pass + p))
    fail=$((fail + f))
}

if ! command -v wasm-objdump >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1 ||
   ! command -v stdbuf >/dev/null 2>&1; then
    echo "SKIP: differential tests: wabt's wasm-objdump, python3 or stdbuf not installed"
else
    if ! command -v wast2json >/dev/null 2>&1; then
        echo "SKIP: spec modules: wast2json not installed"
    elif [ ! -d "$SPEC" ]; then
        echo "SKIP: spec modules: no suite at $SPEC"
    else
        for w in "$SPEC"/*.wast; do
            b=$(basename "$w" .wast)
            mkdir -p "$T/spec/$b"
            wast2json "$w" -o "$T/spec/$b/$b.json" >/dev/null 2>&1 ||
                echo "SKIP: $b.wast: wast2json cannot read it"
        done
        echo "spec modules:"
        diff_run "$T"/spec/*
    fi
    if command -v wat2wasm >/dev/null 2>&1; then
        mkdir -p "$T/feat"
        wat2wasm --enable-tail-call "$G/tailcall.wat" -o "$T/feat/tailcall.wasm" &&
        wat2wasm --enable-tail-call --debug-names "$G/tailcall.wat" -o "$T/feat/tailcall-names.wasm" &&
        wat2wasm --enable-extended-const --debug-names "$G/extconst.wat" -o "$T/feat/extconst.wasm" &&
        wat2wasm --enable-exceptions "$G/exceptions.wat" -o "$T/feat/exceptions.wasm" &&
        wat2wasm --enable-exceptions --debug-names "$G/exceptions.wat" -o "$T/feat/exceptions-names.wasm" &&
        wat2wasm --enable-annotations --enable-code-metadata "$G/branch-hints.wat" \
            -o "$T/feat/branch-hints.wasm" &&
        wat2wasm --enable-threads --enable-multi-memory --debug-names "$G/threads.wat" \
            -o "$T/feat/threads.wasm" ||
            bad "wat2wasm cannot build the 3.0 feature modules"
        echo "3.0 features (wat2wasm --enable-tail-call, --enable-extended-const, --enable-exceptions, branch hints, --enable-threads):"
        diff_run "$T/feat"
    else
        echo "SKIP: 3.0 feature modules: wat2wasm not installed"
    fi
    mkdir -p "$T/c"
    if clang --target=wasm32-wasi -O2 "$G/prog.c" -o "$T/c/prog.wasm" 2>/dev/null; then
        clang --target=wasm32-wasi -O2 -g "$G/prog.c" -o "$T/c/prog-g.wasm" &&
        clang --target=wasm32-wasi -O2 -msimd128 -mbulk-memory "$G/prog.c" -o "$T/c/prog-simd.wasm" &&
        clang --target=wasm32-wasi -O2 -c "$G/prog.c" -o "$T/c/prog.o" &&
        clang --target=wasm32-wasi -O0 -g -c "$G/prog.c" -o "$T/c/prog-g.o" ||
            bad "clang could build prog.wasm but not its variants"
        echo "C programs (clang --target=wasm32-wasi, -g, -c):"
        diff_run "$T/c"
    else
        echo "SKIP: C programs: clang cannot build for wasm32-wasi"
    fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
