#!/bin/sh
# ThreadSanitizer: tests/tsan/threads.c runs four threads, each with its
# own store, making their first calls at once; tests/unit/test_threads.c
# runs host threads sharing a memory (atomic counter, wait and notify,
# faults, growth); wasm-run runs the wasi-threads guests of
# tests/tools/guest-threads.sh.  The library and wasm-run are built with
# -fsanitize=thread in their own directory ($BUILD/tsan, apart from the
# ASan build); any race TSan reports fails the test.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
T=$BUILD/tsan
mkdir -p "$T"

skip() {
    echo "SKIP: ThreadSanitizer: $*"
    echo "0 passed, 0 failed"
    exit 0
}

# TSan needs its runtime and a kernel whose address-space layout it accepts.
printf 'int main(void) { return 0; }\n' > "$T/probe.c"
gcc -fsanitize=thread "$T/probe.c" -o "$T/probe" 2>/dev/null || skip "gcc cannot build with it"
"$T/probe" >/dev/null 2>&1 || skip "its runtime does not start here"

# The outer make's flags (SANITIZE=1, jobserver) must not reach this build.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE \
    make -s -j2 BUILD="$T" OPT="-O1 -g" SANFLAGS=-fsanitize=thread "$T/libwasm.a" ||
    { echo "FAIL: build"; echo "0 passed, 1 failed"; exit 1; }
gcc -std=gnu11 -O1 -g -fsanitize=thread -Wall -Wextra -Werror -Wno-unused-parameter \
    -Ilibwasm/include tests/tsan/threads.c "$T/libwasm.a" -lm -lpthread -o "$T/threads" ||
    { echo "FAIL: build"; echo "0 passed, 1 failed"; exit 1; }

TSAN_OPTIONS="halt_on_error=1 exitcode=66 $TSAN_OPTIONS" "$T/threads" > "$T/out" 2>&1
status=$?
cat "$T/out"
if [ "$status" -eq 66 ] || grep -q 'WARNING: ThreadSanitizer' "$T/out"; then
    echo "FAIL: ThreadSanitizer reports a data race"
    echo "0 passed, 1 failed"
    exit 1
fi
[ "$status" -eq 0 ] || exit "$status"
pass=$(tail -n 1 "$T/out" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
pass=${pass:-0}
fail=0
race() {
    if grep -q 'WARNING: ThreadSanitizer' "$1"; then
        echo "FAIL: $2: ThreadSanitizer reports a data race"
        sed -n '/WARNING: ThreadSanitizer/,/^SUMMARY/p' "$1" | head -n 60
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
}

# Host threads sharing a memory (Check, in one process).
if pkg-config --exists check 2>/dev/null; then
    # shellcheck disable=SC2046
    gcc -std=gnu11 -O1 -g -fsanitize=thread -pthread -Wall -Wextra -Werror -Wno-unused-parameter \
        -Ilibwasm/include -Ilibwasm/src -Itests/unit tests/unit/test_threads.c "$T/libwasm.a" \
        $(pkg-config --cflags --libs check) -lm -lpthread -o "$T/test_threads" ||
        { echo "FAIL: build test_threads"; echo "$pass passed, $((fail + 1)) failed"; exit 1; }
    CK_FORK=no CK_RUN_CASE=shared TSAN_OPTIONS="exitcode=66 $TSAN_OPTIONS" \
        "$T/test_threads" > "$T/out" 2>&1
    status=$?
    race "$T/out" "test_threads"
    if [ "$status" -ne 0 ]; then
        echo "FAIL: test_threads under ThreadSanitizer (status $status)"
        tail -n 5 "$T/out"
        fail=$((fail + 1))
    fi
else
    echo "SKIP: test_threads under ThreadSanitizer: pkg-config check not found"
fi

# wasi-threads guests, with wasm-run built for TSan.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE \
    make -s -j2 BUILD="$T" OPT="-O1 -g" SANFLAGS=-fsanitize=thread "$T/wasm-run" ||
    { echo "FAIL: build wasm-run"; echo "$pass passed, $((fail + 1)) failed"; exit 1; }
RUN="$T/wasm-run" TSAN_OPTIONS="exitcode=66 log_path=$T/guest-tsan $TSAN_OPTIONS" \
    sh tests/tools/guest-threads.sh > "$T/out" 2>&1
status=$?
cat "$T/guest-tsan".* > "$T/guest-log" 2>/dev/null
race "$T/guest-log" "wasi-threads guests"
rm -f "$T/guest-tsan".*
if [ "$status" -ne 0 ]; then
    echo "FAIL: tests/tools/guest-threads.sh with wasm-run under ThreadSanitizer"
    grep -E '^(FAIL|SKIP)' "$T/out"
    fail=$((fail + 1))
fi
grep '^SKIP' "$T/out"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
