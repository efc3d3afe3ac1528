#!/bin/sh
# Every command shown in the README runs and prints what the README says.
# Blocks fenced as ```console hold "$ command" lines, each followed by its
# expected output (stdout and stderr together); a line "..." stands for any
# number of lines.  Commands run in order, in a copy of examples/, with the
# built tools first on PATH.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
ROOT=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir "$T/cmds" "$T/work"
cp -r examples/. "$T/work/"

# Split the README into cmds/N.sh and cmds/N.out.
awk -v dir="$T/cmds" '
    /^```console$/ { inblock = 1; next }
    /^```$/ { inblock = 0; next }
    inblock && /^\$ / { n++; f = sprintf("%s/%03d", dir, n); print substr($0, 3) > (f ".sh"); printf "" > (f ".out"); next }
    inblock && n { print >> (f ".out") }
' README.md

if ! clang --target=wasm32-wasi -O2 -o "$T/probe.wasm" examples/hello.c 2>/dev/null; then
    echo "SKIP: clang --target=wasm32-wasi unavailable; README commands not run"
    echo "0 passed, 0 failed"
    exit 0
fi

pass=0
fail=0
for cmd in "$T"/cmds/*.sh; do
    [ -f "$cmd" ] || continue
    exp=${cmd%.sh}.out
    (cd "$T/work" && PATH="$ROOT/$BUILD:$PATH" sh "$cmd") >"$T/got" 2>&1
    # Expected lines are patterns: "..." matches any run of lines.
    if awk -v expfile="$exp" '
        BEGIN { while ((getline l < expfile) > 0) e[ne++] = l }
        { g[ng++] = $0 }
        function m(i, j,    k) {
            if (i == ne) return j == ng
            if (e[i] == "...") { for (k = j; k <= ng; k++) if (m(i + 1, k)) return 1; return 0 }
            return j < ng && e[i] == g[j] && m(i + 1, j + 1)
        }
        END { exit m(0, 0) ? 0 : 1 }' "$T/got"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: README command: $(cat "$cmd")"
        diff "$exp" "$T/got" | head -n 20 | sed 's/^/    /'
    fi
done
# The embedding example shown is examples/embed.c, which the install test
# builds and runs against an installed libwasm.
awk '/^```c$/ { on = 1; next } /^```$/ { on = 0 } on' README.md >"$T/embed.c"
if cmp -s "$T/embed.c" examples/embed.c; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: the README's C example differs from examples/embed.c"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
