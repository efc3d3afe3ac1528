#!/bin/sh
# Every saved fuzz input stays fixed: each tests/fuzz/fuzz_NAME.c is built
# without libFuzzer (tests/fuzz/standalone.c supplies main) against
# $BUILD's libraries, and run on each file of tests/fuzz/regress/NAME/,
# plus a few of our own test inputs as a smoke test.  A failed check in a
# target aborts, so any non-zero exit is a failure.
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
OUT=$BUILD/fuzz-regress
pass=0 fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

if [ ! -f "$BUILD/libwasm.a" ] || [ ! -f "$BUILD/libwasi.a" ] || [ ! -f "$BUILD/libbundle.a" ]; then
    echo "SKIP: $BUILD/libwasm.a, libwasi.a or libbundle.a not built"
    echo "0 passed, 0 failed"
    exit 0
fi
mkdir -p "$OUT"
SAN=
case $BUILD in *san*) SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" ;; esac

# smoke NAME: our own inputs fed to target NAME besides its saved ones.
smoke() {
    case $1 in
        decode|run) ls tests/objdump/*.wasm ;;
        dwarf) ls tests/dwarf/*.wasm tests/objdump/*.wasm ;;
        text) ls examples/*.wat tests/repl/*.wat tests/spec/*.wast ;;
    esac
}

for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    name=${name#fuzz_}
    bin=$OUT/fuzz_$name
    # shellcheck disable=SC2086
    if ! ${CC:-cc} -std=gnu11 -g -O1 $SAN -Wall -Wextra -Werror -Wno-unused-parameter \
            -Ilibwasm/include -Ilibwasm/src -Iwasi -Ibundle -Itests/fuzz "$src" tests/fuzz/standalone.c \
            "$BUILD/libwasi.a" "$BUILD/libbundle.a" "$BUILD/libwasm.a" -lzstd -lm -lpthread -o "$bin" 2>"$OUT/$name.cc"; then
        bad "fuzz_$name does not build: $(head -c 400 "$OUT/$name.cc")"
        continue
    fi
    for f in tests/fuzz/regress/"$name"/* $(smoke "$name"); do
        [ -f "$f" ] || continue
        if timeout 60 "$bin" "$f" >"$OUT/last.out" 2>&1; then
            pass=$((pass + 1))
        else
            bad "fuzz_$name $f: $(tail -c 400 "$OUT/last.out")"
        fi
    done
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
