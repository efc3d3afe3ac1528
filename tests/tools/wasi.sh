#!/bin/sh
# WASI preview1 end to end: guest programs from tests/wasi/ built with
# clang --target=wasm32-wasi run under wasm-run; their stdout (one line
# per check), exit status and the files they write are checked.  The same
# guests run under node's WASI when node is installed, and every answer
# that differs must be one listed in tests/wasi/node-differences.txt.
cd "$(dirname "$0")/../.." || exit 2
. tests/wasi/common.sh
require_run_and_cc

# checks OUTPUT: every check line "ok", and the last line "ALL OK".
checks() {
    name=$1 out=$2
    n_ok=$(printf '%s\n' "$out" | grep -c '^ok ')
    printf '%s\n' "$out" | grep '^FAIL' | sed "s/^/$name: /"
    n_fail=$(printf '%s\n' "$out" | grep -c '^FAIL')
    pass=$((pass + n_ok))
    fail=$((fail + n_fail))
    expect "$name: final line" "ALL OK" "$(printf '%s\n' "$out" | tail -n 1)"
}

# ---- fs: every fd_* and path_* function ----
if guest fs; then
    mkdir "$T/work"
    out=$("$RUN" --dir "$T/work::work" "$T/fs.wasm" work)
    expect "fs exit status" 0 $?
    checks fs "$out"
    expect "fs readdir listing" "readdir: . .. f lnk long " "$(printf '%s\n' "$out" | grep '^readdir:')"
    expect "fs file written" "written by fs.c
second part" "$(cat "$T/work/out.txt")"
    expect "fs leaves only out.txt" "out.txt" "$(ls -A "$T/work")"
fi

# ---- basic: args, environ, clocks, random, poll, proc, stdio ----
if guest basic; then
    out=$(printf ping | "$RUN" --env A=1 --env "B=two words" "$T/basic.wasm" ARG1 "arg two" 2>"$T/basic.err")
    expect "basic exit status (proc_exit 7)" 7 $?
    checks basic "$out"
    expect "basic stderr" "to stderr" "$(cat "$T/basic.err")"
    out=$(printf ping | B="two words" "$RUN" --env A=1 --env B --argv0 prog "$T/basic.wasm" ARG1 "arg two" 2>/dev/null)
    expect "basic --env NAME inherits" "ok environ_values" "$(printf '%s\n' "$out" | grep 'environ_values')"
fi

# ---- libc: wasi-libc's POSIX layer on our functions ----
if guest libc; then
    mkdir "$T/lw" "$T/lro"
    echo keep > "$T/lro/keep"
    out=$("$RUN" --env DIR=work --dir "$T/lw::work" "$T/libc.wasm" work < /dev/null)
    expect "libc exit status" 0 $?
    checks libc "$out"
    expect "libc leaves the directory empty" "" "$(ls -A "$T/lw")"
    out=$("$RUN" --env DIR=work --dir-ro "$T/lro::work" "$T/libc.wasm" work ro < /dev/null)
    expect "libc read-only exit status" 0 $?
    checks libc-ro "$out"
    expect "libc read-only tree unchanged" "keep keep" "$(ls "$T/lro") $(cat "$T/lro/keep")"
    # A bundle's mounts are read-only the same way (EROFS at open).
    if [ -x "$BUILD/wasm-pack" ] &&
        "$BUILD/wasm-pack" create -o "$T/libc.wpk" --entry "$T/libc.wasm" \
            --asset "$T/lro::work" --arg work --arg ro >/dev/null 2>&1; then
        out=$("$RUN" --env DIR=work "$T/libc.wpk" < /dev/null)
        expect "libc in a bundle, read-only: exit status" 0 $?
        checks libc-bundle-ro "$out"
    fi
fi

# ---- garbage: random arguments to every function never crash the host ----
if guest garbage; then
    for seed in 1 2 3 4; do
        rm -rf "$T/gar" && mkdir -p "$T/gar/scratch" && echo canary > "$T/gar/canary"
        out=$("$RUN" --dir "$T/gar/scratch::scratch" "$T/garbage.wasm" $seed 20000 < /dev/null 2>&1)
        expect "garbage seed $seed: exit status" 0 $?
        expect "garbage seed $seed" "survived 20000 calls, 0 answers out of the errno range" "$out"
        expect "garbage seed $seed stayed inside" "canary
canary scratch" "$(cat "$T/gar/canary"; ls "$T/gar" | tr '\n' ' ' | sed 's/ $//')"
    done
fi

# ---- stdio is binary-safe ----
if guest cat; then
    head -c 300000 /dev/urandom > "$T/rand"
    printf 'a\0b\r\n\377\0' >> "$T/rand"
    "$RUN" "$T/cat.wasm" < "$T/rand" > "$T/rand.out" 2>"$T/cat.err"
    expect "cat exit status" 0 $?
    if cmp -s "$T/rand" "$T/rand.out"; then ok; else bad "cat: stdout differs from stdin"; fi
    expect "cat stderr" "300007 bytes" "$(cat "$T/cat.err")"
    : | "$RUN" "$T/cat.wasm" > "$T/empty.out" 2>/dev/null
    expect "cat empty input" 0 "$(wc -c < "$T/empty.out")"
fi

# ---- sockets: --tcplisten, sock_accept/recv/send/shutdown ----
if guest sock && command -v python3 >/dev/null 2>&1; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    "$RUN" --tcplisten "127.0.0.1:$port" "$T/sock.wasm" > "$T/sock.out" 2>&1 &
    pid=$!
    reply=$(python3 - "$port" <<'PY'
import socket, sys, time
for _ in range(100):
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
        break
    except OSError:
        time.sleep(0.05)
s.sendall(b"hello there\n")
data = b""
while True:
    chunk = s.recv(100)
    if not chunk:
        break
    data += chunk
print(data.decode().strip())
PY
)
    wait $pid
    expect "sock exit status" 0 $?
    expect "sock reply" "ECHO:HELLO THERE" "$reply"
    checks sock "$(cat "$T/sock.out")"
else
    echo "SKIP: socket test (needs python3)"
fi

# ---- a real program: treehash, native and under wasm-run ----
if guest treehash && command -v gcc >/dev/null 2>&1; then
    gcc -O2 -o "$T/treehash" tests/wasi/treehash.c
    S=$T/th/src
    mkdir -p "$S/a/b" "$S/empty" "$T/th/native" "$T/th/wasm"
    head -c 100000 /dev/urandom > "$S/a/big.bin"
    printf 'hello\n' > "$S/hello.txt"
    printf '' > "$S/a/b/zero"
    cp tests/wasi/treehash.c "$S/a/b/source.c"
    ln -s ../hello.txt "$S/a/link"
    head -c 5000 /dev/urandom > "$T/th/stdin"
    (cd "$T/th" && ./../treehash src native < stdin > native.out)
    expect "treehash native exit" 0 $?
    (cd "$T/th" && "$OLDPWD/$RUN" --dir src --dir wasm::native "$T/treehash.wasm" src native < stdin > wasm.out)
    expect "treehash wasm exit" 0 $?
    if cmp -s "$T/th/native.out" "$T/th/wasm.out"; then ok; else
        bad "treehash: output differs"; diff "$T/th/native.out" "$T/th/wasm.out" | head -5
    fi
    if diff -r "$T/th/native" "$T/th/wasm" >/dev/null; then ok; else bad "treehash: copies differ"; fi
    expect "treehash counted" "files 4" "$(tail -n 1 "$T/th/wasm.out" | cut -d' ' -f1-2)"
    # HOST::/ makes the guest's root: absolute guest paths resolve inside it.
    mkdir "$T/th/rooted"
    "$RUN" --dir "$T/th::/" "$T/treehash.wasm" /src /rooted < "$T/th/stdin" > "$T/th/rooted.out"
    expect "treehash with a guest root: exit" 0 $?
    if cmp -s "$T/th/native.out" "$T/th/rooted.out"; then ok; else bad "treehash with a guest root differs"; fi
    if diff -r "$T/th/native" "$T/th/rooted" >/dev/null; then ok; else bad "treehash: rooted copies differ"; fi
else
    echo "SKIP: treehash native comparison (needs gcc)"
fi

# ---- out-of-bounds accesses from C: the trap names the access ----
# The innermost frame's offset is the faulting instruction's (a load, a
# store, a v128.load), the one node reports when node is installed.
if clang --target=wasm32-wasi -O2 -msimd128 -Wall tests/wasi/oob.c -o "$T/oob.wasm"; then
    "$BUILD/wasm-objdump" -d "$T/oob.wasm" > "$T/oob.dis"
    for c in "peek i32.load" "poke i32.store" "vpeek v128.load"; do
        op=${c% *} kind=${c#* }
        "$RUN" "$T/oob.wasm" "$op" 0x7ffffff0 > /dev/null 2> "$T/oob.err"
        expect "oob $op: exit status" 134 $?
        expect "oob $op: trap" "wasm-run: trap: out of bounds memory access" "$(head -n 1 "$T/oob.err")"
        at=$(sed -n 's/^ *0: 0x\([0-9a-f]*\) - .*/\1/p' "$T/oob.err")
        expect "oob $op: frame 0 is a $kind" "$kind" \
            "$(grep "^ *${at:-none}:" "$T/oob.dis" | sed 's/.*| *//; s/ .*//')"
        if command -v node >/dev/null 2>&1; then
            node=$(node --no-warnings tests/wasi/node-run.mjs "$T/oob.wasm" "$op" 0x7ffffff0 2>&1 |
                   sed -n 's/.*wasm-function\[[0-9]*\]:0x\([0-9a-f]*\).*/\1/p' | head -n 1)
            expect "oob $op: the offset node reports" "$node" "$(printf '%s' "$at" | sed 's/^0*//')"
        fi
    done
    expect "oob peek in bounds" 0 "$("$RUN" "$T/oob.wasm" peek 16)"
else
    bad "compile oob (clang --target=wasm32-wasi -msimd128)"
fi

# ---- node's WASI on the same guests ----
node_diffs() {
    guest=$1 ours=$2 theirs=$3
    printf '%s\n' "$ours" > "$T/ours"
    printf '%s\n' "$theirs" > "$T/theirs"
    diff "$T/ours" "$T/theirs" | sed -n 's/^[<>] \(ok \|FAIL \)\{0,1\}\([a-z_0-9]*\).*/\2/p' |
        grep -v '^FAILED$\|^ALL$\|^$' | sort -u | sed "s/^/$guest /"
}
if command -v node >/dev/null 2>&1 && [ -f "$T/fs.wasm" ] && [ -f "$T/basic.wasm" ]; then
    rm -rf "$T/work" "$T/nwork"
    mkdir "$T/work" "$T/nwork"
    ours=$("$RUN" --dir "$T/work::work" "$T/fs.wasm" work)
    theirs=$(NODE_WASI_DIRS="work=$T/nwork" node --no-warnings tests/wasi/node-run.mjs "$T/fs.wasm" work 2>/dev/null)
    { node_diffs fs "$ours" "$theirs"
      ours=$(printf ping | "$RUN" --env A=1 --env "B=two words" "$T/basic.wasm" ARG1 "arg two" 2>/dev/null)
      theirs=$(printf ping | NODE_WASI_ENV="A=1
B=two words" node --no-warnings tests/wasi/node-run.mjs "$T/basic.wasm" ARG1 "arg two" 2>/dev/null)
      node_diffs basic "$ours" "$theirs"
      if [ -f "$T/libc.wasm" ]; then
          rm -rf "$T/lw" "$T/nlw" && mkdir "$T/lw" "$T/nlw"
          ours=$("$RUN" --env DIR=work --dir "$T/lw::work" "$T/libc.wasm" work < /dev/null)
          theirs=$(NODE_WASI_ENV=DIR=work NODE_WASI_DIRS="work=$T/nlw" node --no-warnings \
              tests/wasi/node-run.mjs "$T/libc.wasm" work < /dev/null 2>/dev/null)
          node_diffs libc "$ours" "$theirs"
      fi; } > "$T/diffs"
    sed -n 's/^\(fs\|basic\|libc\) \([a-z_0-9]*\) .*/\1 \2/p' tests/wasi/node-differences.txt | sort -u > "$T/known"
    sort -u "$T/diffs" > "$T/seen"
    if [ -z "$(comm -13 "$T/known" "$T/seen")" ]; then ok; else
        bad "node differs where it is not documented:"; comm -13 "$T/known" "$T/seen"
    fi
    comm -23 "$T/known" "$T/seen" | sed 's/^/note: node agreed this time on: /'
    expect "node fs file written" "$(cat "$T/work/out.txt")" "$(cat "$T/nwork/out.txt")"
    if guest treehash 2>/dev/null && [ -f "$T/th/stdin" ]; then
        rm -rf "$T/th/node" && mkdir "$T/th/node"
        (cd "$T/th" && NODE_WASI_DIRS="src=src,node=node" node --no-warnings \
            "$OLDPWD/tests/wasi/node-run.mjs" "$T/treehash.wasm" src node < stdin > node.out 2>/dev/null)
        if cmp -s "$T/th/native.out" "$T/th/node.out"; then ok; else bad "treehash under node differs"; fi
    fi
else
    echo "SKIP: node comparison (node not installed)"
fi

finish
