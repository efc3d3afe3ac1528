#!/bin/sh
# WASI guests from other source languages, built here from tests/wasi/:
# Rust (Debian's rustc, target wasm32-wasi) and AssemblyScript (asc with
# @assemblyscript/wasi-shim, installed from npm into $BUILD/asc).  Each
# guest takes DIR CODE WORDS..., prints its arguments and $GREETING, copies
# DIR/in.txt to DIR/out.txt with the lines reversed, echoes stdin
# upper-cased and exits with CODE; failing to read exits 3, to write 4.
cd "$(dirname "$0")/../.." || exit 2
. tests/wasi/common.sh
RUSTC=${RUSTC:-/usr/bin/rustc}
ASC_DIR=$BUILD/asc
ASC_PACKAGES="assemblyscript@0.28.20 @assemblyscript/wasi-shim@0.1.0"

if [ ! -x "$RUN" ]; then
    echo "SKIP: $RUN not built"; finish; exit 0
fi

# same NAME WANT-FILE GOT-FILE: byte-exact comparison.
same() {
    if cmp -s "$2" "$3"; then ok; else
        bad "$1 differs:"; diff "$2" "$3" | sed 's/^/    /'
    fi
}

# check LANG WASM RO: run the guest the ways below and check everything it
# does; RO is its exit status with a read-only preopen, "" when not checked.
check() {
    lang=$1 wasm=$2 ro_status=$3 d=$T/$1
    mkdir "$d" "$d/ro"
    printf 'first line\nsecond line\nthird\n' > "$d/in.txt"
    printf 'hello, wasi \303\251t\303\251\n' > "$d/stdin"
    cp "$d/in.txt" "$d/ro/in.txt"

    "$RUN" --env GREETING="good day" --env OTHER=x --dir "$d::data" "$wasm" \
        data 5 alpha "two words" "" < "$d/stdin" > "$d/out" 2> "$d/err"
    expect "$lang exit status" 5 $?
    printf '%s\n' "args 5: alpha|two words|" "env GREETING=good day" "in.txt 3 lines" > "$d/want"
    printf 'stdin 18 bytes: HELLO, WASI \303\211T\303\211\n\n' >> "$d/want"
    same "$lang stdout" "$d/want" "$d/out"
    printf 'third\nsecond line\nfirst line\n' > "$d/want"
    same "$lang out.txt" "$d/want" "$d/out.txt"
    expect "$lang stderr" "" "$(cat "$d/err")"

    printf '' > "$d/in.txt"
    "$RUN" --dir "$d::data" "$wasm" data 0 < /dev/null > "$d/out" 2> "$d/err"
    expect "$lang exit status 0" 0 $?
    printf '%s\n' "args 2: " "env GREETING=(unset)" "in.txt 0 lines" "stdin 0 bytes: " > "$d/want"
    same "$lang stdout, no input" "$d/want" "$d/out"
    expect "$lang out.txt emptied" 0 "$(wc -c < "$d/out.txt")"

    "$RUN" --dir "$d::data" "$wasm" elsewhere 0 < /dev/null > "$d/out" 2> "$d/err"
    expect "$lang exit status without the preopen" 3 $?

    "$RUN" --dir-ro "$d/ro::data" "$wasm" data 0 < /dev/null > "$d/out" 2> "$d/err"
    status=$?
    if [ "$status" -ne 0 ]; then ok; else bad "$lang succeeded in a read-only preopen"; fi
    [ -n "$ro_status" ] && expect "$lang exit status writing a read-only preopen" "$ro_status" $status
    expect "$lang read-only preopen unchanged" "in.txt" "$(ls "$d/ro")"
}

# ---- Rust ----
if [ ! -x "$RUSTC" ]; then
    echo "SKIP: Rust: $RUSTC not installed (Debian rustc)"
elif ! ls "$("$RUSTC" --print target-libdir --target wasm32-wasi 2>/dev/null)"/libstd-*.rlib \
        >/dev/null 2>&1; then
    echo "SKIP: Rust: no wasm32-wasi standard library (libstd-rust-dev-wasm32)"
elif "$RUSTC" --target wasm32-wasi -O -C strip=debuginfo -o "$T/rust.wasm" \
        tests/wasi/rust/main.rs; then
    check rust "$T/rust.wasm" 4
else
    bad "rustc tests/wasi/rust/main.rs"
fi

# ---- AssemblyScript ----
asc_installed() {
    [ -f "$ASC_DIR/node_modules/assemblyscript/bin/asc.js" ] &&
        [ -f "$ASC_DIR/node_modules/@assemblyscript/wasi-shim/asconfig.json" ]
}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: AssemblyScript: node and npm not installed"
else
    if ! asc_installed; then
        mkdir -p "$ASC_DIR"
        # shellcheck disable=SC2086
        timeout 300 npm install --prefix "$ASC_DIR" --no-audit --no-fund --no-save \
            --fetch-timeout=30000 --fetch-retries=1 $ASC_PACKAGES > "$T/npm.log" 2>&1
    fi
    if ! asc_installed; then
        echo "SKIP: AssemblyScript: npm install $ASC_PACKAGES failed (registry unreachable?):"
        tail -n 5 "$T/npm.log" | sed 's/^/    /'
    # Run from the shim's directory: asc finds the shim's library relative
    # to the config only when the config's path is relative.
    elif src=$PWD/tests/wasi/as/main.ts && (cd "$ASC_DIR/node_modules/@assemblyscript/wasi-shim" &&
            timeout 120 node ../../assemblyscript/bin/asc.js "$src" --config asconfig.json \
            -O2 -o "$T/as.wasm"); then
        check as "$T/as.wasm" 4
    else
        bad "asc tests/wasi/as/main.ts"
    fi
fi

finish
