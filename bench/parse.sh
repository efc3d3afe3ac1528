#!/bin/sh
# Text parsing: the whole wasm-2.0 spec suite (every .wast) through
# lw_script_parse plus lw_module_parse_text of each text module.
# Target: under a second.  BUILD names the build directory; SPEC the suite.
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
SPEC=${SPEC:-$(scripts/spec-suite 2.0)}
RUNS=${RUNS:-5}
[ -f "$BUILD/libwasm.a" ] || { echo "parse: $BUILD/libwasm.a not built"; exit 1; }
[ -d "$SPEC" ] || { echo "SKIP: parse: spec suite not found at $SPEC"; exit 0; }
mkdir -p "$BUILD/bench"
${CC:-cc} -std=gnu11 -O2 -Ilibwasm/include -o "$BUILD/bench/parse-text" bench/parse-text.c \
    "$BUILD/libwasm.a" -lm -lpthread || exit 1
"$BUILD/bench/parse-text" "$RUNS" "$SPEC"/*.wast
