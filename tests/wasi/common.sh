# Shared by the WASI test scripts (sourced): counters, guest compilation.
BUILD=${BUILD:-build}
RUN=$BUILD/wasm-run
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; }

# expect NAME WANT GOT
expect() {
    if [ "$2" = "$3" ]; then ok; else bad "$1: got '$3', want '$2'"; fi
}

# A scratch directory removed at exit.
T=$(mktemp -d "${TMPDIR:-/tmp}/wasi-test.XXXXXX") || exit 1
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT

# True when clang can build wasm32-wasi programs (wasi-libc present).
have_wasi_cc() {
    command -v clang >/dev/null 2>&1 || return 1
    printf 'int main(void){return 0;}\n' > "$T/cc.c"
    clang --target=wasm32-wasi -O2 "$T/cc.c" -o "$T/cc.wasm" 2>/dev/null
}

# guest NAME: compile tests/wasi/NAME.c to $T/NAME.wasm.
guest() {
    clang --target=wasm32-wasi -O2 -Wall -Wno-unused-result "tests/wasi/$1.c" \
        -o "$T/$1.wasm" || { bad "compile $1"; return 1; }
}

# Skip the whole script (with a reason) unless wasm-run and clang are there.
require_run_and_cc() {
    if [ ! -x "$RUN" ]; then
        echo "SKIP: $RUN not built"; finish; exit 0
    fi
    if ! have_wasi_cc; then
        echo "SKIP: clang --target=wasm32-wasi (wasi-libc) not available"; finish; exit 0
    fi
}
