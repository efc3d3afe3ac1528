#!/bin/sh
# make install into a temporary prefix, then build and run the embedding
# example against the installed pkg-config file; make uninstall removes it all.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

P=$T/prefix
make -s BUILD="$BUILD" SANITIZE="${SANITIZE:-}" PREFIX=/opt/libwasm DESTDIR="$T/stage" install >"$T/log" 2>&1
check "install with DESTDIR" '[ -x "$T/stage/opt/libwasm/bin/wasm-run" ] && [ -f "$T/stage/opt/libwasm/lib/pkgconfig/libwasm.pc" ]'
check "pkg-config file names the prefix, not DESTDIR" 'grep -q "^prefix=/opt/libwasm$" "$T/stage/opt/libwasm/lib/pkgconfig/libwasm.pc"'

make -s BUILD="$BUILD" SANITIZE="${SANITIZE:-}" PREFIX="$P" install >"$T/log" 2>&1
check "make install succeeds" '[ $? = 0 ]'
for tool in wasm-run wasm-objdump wasm-validate wasm-opt wasm-pack wasm-spec wasm-repl; do
    if [ -x "$BUILD/$tool" ]; then
        check "installed $tool runs" '"$P/bin/$tool" --version >/dev/null 2>&1'
    fi
done
check "libwasm.so.0 with its soname" 'readelf -d "$P/lib/libwasm.so.0" | grep -q "SONAME.*libwasm.so.0"'
check "libwasm.so links to it" '[ "$(readlink "$P/lib/libwasm.so")" = libwasm.so.0 ]'
check "static library installed" '[ -f "$P/lib/libwasm.a" ]'
check "header installed" '[ -f "$P/include/libwasm.h" ]'

# Man pages and shell completions, one set per tool.
for tool in wasm-run wasm-objdump wasm-validate wasm-opt wasm-pack wasm-spec wasm-repl; do
    if [ -x "$BUILD/$tool" ]; then
        check "$tool(1) installed" '[ -f "$P/share/man/man1/$tool.1" ]'
        check "bash, zsh and fish completions for $tool" '[ -f "$P/share/bash-completion/completions/$tool" ] && [ -f "$P/share/zsh/site-functions/_$tool" ] && [ -f "$P/share/fish/vendor_completions.d/$tool.fish" ]'
        check "installed bash completion registers $tool" 'bash --norc -c ". \"\$1\" && complete -p $tool" _ "$P/share/bash-completion/completions/$tool" >/dev/null 2>&1'
    fi
done
check "libwasm(3) installed" '[ -f "$P/share/man/man3/libwasm.3" ]'
if command -v fish >/dev/null 2>&1; then
    check "fish finds the installed completions by itself" 'PATH="$P/bin:$PATH" XDG_DATA_DIRS="$P/share" HOME="$T" fish -c "complete -C \"wasm-run --ti\"" | grep -q "^--timeout"'
fi
version=$(sed -n 's/^#define LIBWASM_VERSION "\(.*\)"/\1/p' libwasm/include/libwasm.h)
check "installed man pages carry the version" 'grep -q "\"libwasm $version\"" "$P/share/man/man1/wasm-run.1"'

export PKG_CONFIG_PATH="$P/lib/pkgconfig"
# A sanitizer build's library needs the sanitizer runtimes in the program.
CCSAN=
[ "${SANITIZE:-}" = 1 ] && CCSAN="-fsanitize=address,undefined"
if command -v pkg-config >/dev/null 2>&1; then
    # shellcheck disable=SC2046
    cc $CCSAN -Wall -Werror -o "$T/embed" examples/embed.c $(pkg-config --cflags --libs libwasm) 2>"$T/cc.err"
    check "embedding example builds against the install" '[ -x "$T/embed" ]'
    (cd examples && LD_LIBRARY_PATH="$P/lib" "$T/embed" fac.wat) >"$T/out" 2>&1
    check "embedding example runs (shared)" 'grep -q "^fac(20) = 2432902008176640000$" "$T/out"'
    check "host function was called" 'grep -q "^guest says 20$" "$T/out"'
    # shellcheck disable=SC2046
    cc $CCSAN -o "$T/embed-static" examples/embed.c -I"$P/include" "$P/lib/libwasm.a" $(pkg-config --libs-only-other --static libwasm) -lm -lpthread 2>>"$T/cc.err"
    (cd examples && "$T/embed-static" fac.wat) >"$T/out2" 2>&1
    check "embedding example runs (static)" 'grep -q "^fac(20) = 2432902008176640000$" "$T/out2"'
else
    echo "SKIP: pkg-config missing; embedding build not tested"
fi

make -s BUILD="$BUILD" SANITIZE="${SANITIZE:-}" PREFIX="$P" uninstall >"$T/log" 2>&1
check "uninstall leaves no files" '[ -z "$(find "$P" -type f -o -type l)" ]'

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
