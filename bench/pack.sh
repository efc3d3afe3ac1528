#!/bin/sh
# Bundles: size against tar | zstd -19 of the same files, and the start-up
# cost of running a bundle over running the raw module (1 MB module).
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
PACK="$BUILD/wasm-pack"
RUN="$BUILD/wasm-run"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if ! clang --target=wasm32-wasi -O2 -o "$T/app.wasm" tests/pack/cat.c 2>/dev/null; then
    echo "SKIP: clang --target=wasm32-wasi unavailable"
    exit 0
fi

# A text asset tree: the project's own sources and documents.
mkdir -p "$T/tree/assets"
cp -r libwasm docs wasi "$T/tree/assets/"
cp "$T/app.wasm" "$T/tree/"
files=$(find "$T/tree" -type f | wc -l)
bytes=$(cat $(find "$T/tree" -type f) | wc -c)
"$PACK" create -o "$T/app.wpk" --level 19 --entry "$T/app.wasm" --asset "$T/tree/assets::assets"
(cd "$T/tree" && tar cf - app.wasm assets | zstd -19 -q -c) >"$T/tree.tar.zst"
ours=$(wc -c <"$T/app.wpk")
tarz=$(wc -c <"$T/tree.tar.zst")
echo "size: $files files, $bytes bytes"
echo "  wasm-pack --level 19    $ours bytes"
echo "  tar | zstd -19          $tarz bytes"
awk -v a="$ours" -v b="$tarz" 'BEGIN { printf "  ratio bundle/tar.zst   %.3f (target <= 1)\n", a / b }'

# Start-up: a module with 1 MB of data, run raw and from a bundle.
awk 'BEGIN { srand(7); printf "const unsigned char blob[1048576] = {"; for (i = 0; i < 1048576; i++) printf "%d,", int(rand() * 256); print "};" }' >"$T/blob.c"
cat >"$T/main.c" <<'EOC'
extern const unsigned char blob[];
int main(int argc, char **argv) { return blob[argc * 1000] & 1; }
EOC
clang --target=wasm32-wasi -O2 -o "$T/big.wasm" "$T/main.c" "$T/blob.c"
"$PACK" create -o "$T/big.wpk" --entry "$T/big.wasm"
echo "start-up: module $(wc -c <"$T/big.wasm") bytes, bundle $(wc -c <"$T/big.wpk") bytes"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
time_ms() {
    i=0
    while [ $i -lt 21 ]; do
        s=$(date +%s%N)
        "$@" >/dev/null 2>&1
        e=$(date +%s%N)
        echo $(((e - s) / 1000))
        i=$((i + 1))
    done | median
}
raw=$(time_ms "$RUN" "$T/big.wasm")
wpk=$(time_ms "$RUN" "$T/big.wpk")
echo "  wasm-run big.wasm       median $raw us (21 runs)"
echo "  wasm-run big.wpk        median $wpk us (21 runs)"
echo "  bundle overhead         $((wpk - raw)) us (target <= 20000)"
