#!/bin/sh
# wasm-pack: round trips through every subcommand, bundles run by wasm-run,
# and damaged or hostile bundles rejected.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
PACK="$BUILD/wasm-pack"
RUN="$BUILD/wasm-run"
T=$(mktemp -d)
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# A module: a WASI program when clang can build one, else a small text module.
if clang --target=wasm32-wasi -O2 -o "$T/app.wasm" tests/pack/cat.c 2>/dev/null; then
    have_guest=1
else
    echo "SKIP: clang --target=wasm32-wasi unavailable; bundles are not run"
    printf '(module (func (export "_start")))' >"$T/app.wat"
    "$BUILD/wasm-validate" "$T/app.wat" >/dev/null 2>&1 || true
    have_guest=0
fi
MOD="$T/app.wasm"
[ "$have_guest" = 1 ] || MOD="$T/app.wat"

mkdir -p "$T/assets/sub/deeper" "$T/assets/empty"
i=0
while [ $i -lt 20 ]; do
    printf 'asset %d: the quick brown fox jumps over the lazy dog\n%s\n' "$i" "$(seq $i $((i + 30)))" >"$T/assets/sub/f$i.txt"
    i=$((i + 1))
done
printf 'hello from the bundle\n' >"$T/assets/greeting.txt"
: >"$T/assets/sub/deeper/empty.txt"
head -c 3000 /dev/urandom >"$T/assets/sub/deeper/random.bin"

# create, list, info, verify
"$PACK" create -o "$T/app.wpk" --entry "$MOD" --asset "$T/assets::data" \
    --arg data/greeting.txt --env GREETING=hi --name demo --version 2.1 >"$T/out" 2>&1
check "create succeeds" '[ $? = 0 ] && [ -s "$T/app.wpk" ]'
"$PACK" list "$T/app.wpk" >"$T/list"
check "list shows the module" 'grep -q "^module .* app.wasm$" "$T/list"'
check "list shows nested assets" 'grep -q "^asset .* data/sub/deeper/random.bin$" "$T/list"'
check "list shows all 23 assets" '[ "$(grep -c "^asset " "$T/list")" = 23 ]'
"$PACK" info "$T/app.wpk" >"$T/info"
check "info: name and version" 'grep -q "^name *demo$" "$T/info" && grep -q "^version *2.1$" "$T/info"'
check "info: mount" 'grep -q "^mount *data -> data (read-only)$" "$T/info"'
check "info: args and env" 'grep -q "^args *data/greeting.txt$" "$T/info" && grep -q "^env *GREETING=hi$" "$T/info"'
check "info: ratio" 'grep -q "^ratio *[0-9]" "$T/info"'
"$PACK" verify "$T/app.wpk" >"$T/v"
check "verify passes" '[ $? = 0 ] && grep -q ": ok" "$T/v"'

# extract reproduces every file bit for bit
mkdir "$T/x"
"$PACK" extract -C "$T/x" "$T/app.wpk"
# (bundles hold files; the empty directory is not carried)
check "extract: assets identical" 'diff -r -x empty "$T/assets" "$T/x/data" >/dev/null'
if [ "$have_guest" = 1 ]; then
    check "extract: module identical" 'cmp -s "$T/app.wasm" "$T/x/app.wasm"'
fi
mkdir "$T/one"
"$PACK" extract -C "$T/one" "$T/app.wpk" data/greeting.txt
check "extract one path" '[ "$(ls -R "$T/one" | grep -c txt)" = 1 ] && cmp -s "$T/assets/greeting.txt" "$T/one/data/greeting.txt"'
"$PACK" extract -C "$T/one" "$T/app.wpk" no/such/path 2>/dev/null
check "extract unknown path exits 1" '[ $? = 1 ]'
# -C makes its directory and the missing parents, as unzip -d does
"$PACK" extract -C "$T/new/deeper" "$T/app.wpk" data/greeting.txt
check "extract -C creates DIR" '[ $? = 0 ] && cmp -s "$T/assets/greeting.txt" "$T/new/deeper/data/greeting.txt"'
: >"$T/plain"
"$PACK" extract -C "$T/plain/sub" "$T/app.wpk" 2>"$T/err"
check "extract -C under a file exits 1" '[ $? = 1 ] && grep -q "plain/sub: Not a directory" "$T/err"'

# extract never follows a symlink out of its directory
mkdir -p "$T/trap" "$T/outside"
ln -s "$T/outside" "$T/trap/data"
"$PACK" extract -C "$T/trap" "$T/app.wpk" 2>"$T/err"
check "extract refuses a symlinked directory" '[ $? = 1 ] && [ -z "$(ls "$T/outside")" ]'
mkdir -p "$T/trap2/data"
ln -s "$T/outside/victim" "$T/trap2/data/greeting.txt"
"$PACK" extract -C "$T/trap2" "$T/app.wpk" data/greeting.txt 2>"$T/err"
check "extract refuses a symlinked file" '[ $? = 1 ] && [ ! -e "$T/outside/victim" ] && grep -q symlink "$T/err"'

# damage
cp "$T/app.wpk" "$T/bad.wpk"
size=$(wc -c <"$T/bad.wpk")
# Change the middle byte (to a different value, whatever it was).
at=$((size / 2))
cur=$(dd if="$T/bad.wpk" bs=1 skip=$at count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
printf "\\$(printf '%03o' $(((cur + 1) % 256)))" | dd of="$T/bad.wpk" bs=1 seek=$at conv=notrunc 2>/dev/null
check "the damaged copy differs" '! cmp -s "$T/app.wpk" "$T/bad.wpk"'
"$PACK" verify "$T/bad.wpk" 2>"$T/err"
check "verify detects a changed byte" '[ $? = 1 ] && grep -q "wasm-pack: .*bad.wpk: 0x" "$T/err"'
head -c $((size - 7)) "$T/app.wpk" >"$T/trunc.wpk"
"$PACK" list "$T/trunc.wpk" 2>"$T/err"
check "truncated bundle rejected" '[ $? = 1 ] && [ -s "$T/err" ]'
printf 'not a bundle at all' >"$T/junk.wpk"
"$PACK" info "$T/junk.wpk" 2>"$T/err"
check "bad magic rejected" '[ $? = 1 ] && grep -q "bad magic" "$T/err"'

# input checks and usage
printf '\0asm\1\0\0\0\1\5\1\140\0\1\177\3\2\1\0\12\6\1\4\0\102\0\13' >"$T/invalid.wasm"
"$PACK" create -o "$T/inv.wpk" --entry "$T/invalid.wasm" 2>"$T/err"
check "invalid module refused" '[ $? = 1 ] && grep -q "type mismatch" "$T/err" && [ ! -e "$T/inv.wpk" ]'
"$PACK" create -o "$T/x.wpk" 2>/dev/null
check "create without --entry exits 2" '[ $? = 2 ]'
"$PACK" frobnicate 2>/dev/null
check "unknown command exits 2" '[ $? = 2 ]'
"$PACK" create -o "$T/x.wpk" --entry "$MOD" --level 99 2>/dev/null
check "bad level exits 2" '[ $? = 2 ]'
ln -s /etc/passwd "$T/assets/link"
"$PACK" create -o "$T/l.wpk" --entry "$MOD" --asset "$T/assets" 2>"$T/err"
check "symlinked asset refused" '[ $? = 1 ] && grep -q symlink "$T/err"'
rm "$T/assets/link"
check "--help" '"$PACK" --help | grep -q "extract"'

# wasm-run runs the bundle like the unpacked program with --dir
if [ "$have_guest" = 1 ] && [ -x "$RUN" ] && "$RUN" --dir "$T/assets::data" "$T/app.wasm" data/greeting.txt >/dev/null 2>&1; then
    "$RUN" --env GREETING=hi --dir "$T/assets::data" "$T/app.wasm" data/greeting.txt data/sub/f3.txt >"$T/plain.out" 2>&1
    echo "plain: $?" >>"$T/plain.out"
    "$RUN" "$T/app.wpk" data/sub/f3.txt >"$T/bundle.out" 2>&1
    echo "plain: $?" >>"$T/bundle.out"
    check "bundle runs like the unpacked program" 'cmp -s "$T/plain.out" "$T/bundle.out"'
    printf 'x' | "$RUN" "$T/app.wpk" data/nope.txt >/dev/null 2>&1
    check "guest sees only its mounts" '[ $? != 0 ]'
    # A damaged frame is an error if the run needs it; otherwise the run is
    # unaffected.
    "$RUN" "$T/bad.wpk" data/sub/f3.txt >"$T/bad.out" 2>"$T/err"
    st=$?
    echo "plain: $st" >>"$T/bad.out"
    check "wasm-run: damaged bundle is an error or harmless" '{ [ $st != 0 ] && grep -q "wasm-run: " "$T/err"; } || cmp -s "$T/bundle.out" "$T/bad.out"'
else
    echo "SKIP: wasm-run cannot run bundles yet; bundle execution not tested"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
