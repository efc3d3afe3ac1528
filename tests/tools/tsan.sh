#!/bin/sh
# ThreadSanitizer: tests/tsan/threads.c runs four threads, each with its
# own store, making their first calls at once.  The library is built with
# -fsanitize=thread in its own directory ($BUILD/tsan, apart from the ASan
# build); any race TSan reports fails the test.
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
exit "$status"
