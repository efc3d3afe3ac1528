#!/bin/sh
# wasm-run's command line: options, --invoke with typed arguments and
# results, exit statuses (proc_exit, trap 134, Ctrl-C 130, load/link 1,
# usage 2), fuel, timeout, memory and stack limits, reactors, bundles.
cd "$(dirname "$0")/../.." || exit 2
. tests/wasi/common.sh
if [ ! -x "$RUN" ]; then
    echo "SKIP: $RUN not built"; finish; exit 0
fi

# run EXPECTED_STATUS NAME ARGS...: run wasm-run; output in $out, $err.
run() {
    want=$1 name=$2; shift 2
    out=$("$RUN" "$@" 2>"$T/err")
    st=$?
    err=$(cat "$T/err")
    expect "$name: exit status" "$want" "$st"
}
# has NAME PATTERN TEXT: TEXT matches the extended regex PATTERN.
has() {
    if printf '%s\n' "$3" | grep -Eq "$2"; then ok; else bad "$1: '$3' does not match '$2'"; fi
}

cat > "$T/math.wat" <<'W'
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "f32") (param f32) (result f32) (local.get 0))
  (func (export "f64") (param f64) (result f64) (f64.mul (local.get 0) (f64.const 2)))
  (func (export "two") (param i32) (result i32 i64) (local.get 0) (i64.const -5))
  (func (export "none"))
  (func $boom (export "boom") (nop) (unreachable))
  (func (export "deep") (call $boom))
  (func $rec (export "rec") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "spin") (loop $l (br $l)))
  (memory 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
W

run 0 "--version" --version
has "--version" "^wasm-run [0-9]+\.[0-9]+\.[0-9]+$" "$out"
run 0 "--help" --help
has "--help" "^usage: wasm-run" "$out"
run 2 "no file"
run 2 "unknown option" --bogus x.wasm
has "unknown option message" "^wasm-run: unknown option '--bogus'" "$err"
run 2 "unknown feature" --enable-bogus x.wasm
has "unknown feature message" "^wasm-run: unknown feature 'bogus'" "$err"
run 2 "missing option argument" --dir
has "missing argument message" "needs an argument" "$err"
run 2 "bad fuel" --fuel abc "$T/math.wat"
run 2 "bad timeout" --timeout -1 "$T/math.wat"
run 1 "missing file" "$T/nope.wasm"
has "missing file message" "^wasm-run: .*nope.wasm: " "$err"

printf '\0asm\1\0\0\0\1' > "$T/bad.wasm"
run 1 "malformed" "$T/bad.wasm"
has "malformed message" "^wasm-run: .*bad.wasm: 0x[0-9a-f]+: " "$err"
printf '(module (func (result i32) (i64.const 1)))' > "$T/invalid.wat"
run 1 "invalid" "$T/invalid.wat"
has "invalid message" "type mismatch" "$err"
printf '(module (import "env" "nope" (func)))' > "$T/unlinkable.wat"
run 1 "unlinkable" "$T/unlinkable.wat"
has "unlinkable message" "unknown import.*env\.nope" "$err"
printf '(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32))))' > "$T/badtype.wat"
run 1 "import of the wrong type" "$T/badtype.wat"
has "import of the wrong type message" "incompatible import type.*fd_write" "$err"

# A module whose target_features section declares tail-call (as clang and
# wasm-ld write it): run calls 42 through return_call.  It runs without
# a flag (tail-call is on by default anyway); --disable-tail-call wins,
# even after --enable-all; "-tail-call" (must not be used) adds nothing.
tf_module() {  # $1: the prefix byte of the feature, octal
    printf '\0asm\1\0\0\0\1\5\1\140\0\1\177\3\3\2\0\0\7\7\1\3run\0\0'
    printf '\12\13\2\4\0\22\1\13\4\0\101\52\13'
    printf '\0\34\17target_features\1\'"$1"'\11tail-call'
}
tf_module 053 > "$T/tf.wasm"
run 0 "target_features: runs without a flag" --invoke run "$T/tf.wasm"
expect "target_features: result" 42 "$out"
run 1 "target_features: --disable-tail-call wins" --enable-all --disable-tail-call --invoke run "$T/tf.wasm"
has "target_features: the feature named" "feature tail-call is disabled" "$err"
run 0 "target_features: --disable then --enable" --disable-tail-call --enable-tail-call --invoke run "$T/tf.wasm"
tf_module 055 > "$T/tf-minus.wasm"
run 1 "target_features: -tail-call adds nothing" --disable-tail-call --invoke run "$T/tf-minus.wasm"
has "target_features: -tail-call message" "feature tail-call is disabled" "$err"

run 0 "invoke add" --invoke add "$T/math.wat" 2 40
expect "invoke add result" 42 "$out"
run 0 "invoke hex and negative" --invoke add "$T/math.wat" 0x10 -1
expect "invoke hex result" 15 "$out"
run 0 "invoke wraps u32" --invoke add "$T/math.wat" 0xffffffff 0
expect "invoke u32 result" -1 "$out"
run 0 "invoke i64" --invoke add64 "$T/math.wat" 0x7fffffffffffffff 1
expect "invoke i64 result" -9223372036854775808 "$out"
run 0 "invoke f32" --invoke f32 "$T/math.wat" 1.5
expect "invoke f32 result" 1.5 "$out"
run 0 "invoke f64 hex float" --invoke f64 "$T/math.wat" 0x1p-3
expect "invoke f64 hex result" 0.25 "$out"
run 0 "invoke f64 nan" --invoke f64 "$T/math.wat" nan
expect "invoke f64 nan result" nan "$out"
run 0 "invoke f64 -inf" --invoke f64 "$T/math.wat" -inf
expect "invoke f64 inf result" -inf "$out"
run 0 "invoke two results" --invoke two "$T/math.wat" 7
expect "invoke two results" "7
-5" "$out"
run 0 "invoke no results" --invoke none "$T/math.wat"
expect "invoke no results output" "" "$out"
run 2 "invoke arity" --invoke add "$T/math.wat" 1
run 2 "invoke bad number" --invoke add "$T/math.wat" 1 x
run 2 "invoke i32 out of range" --invoke add "$T/math.wat" 1 0x100000000
run 1 "invoke unknown export" --invoke nope "$T/math.wat"
printf '%s' '(module (func (export "v") (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0)))
  (func (export "isnull") (param externref) (result i32) (ref.is_null (local.get 0))))' > "$T/vec.wat"
run 0 "invoke v128" --invoke v "$T/vec.wat" "i32x4 1 2 3 -1"
expect "invoke v128 result" fffffffe000000060000000400000002 "$out"
run 2 "invoke v128 lanes" --invoke v "$T/vec.wat" "i32x4 1 2 3"
run 0 "invoke externref null" --invoke isnull "$T/vec.wat" null
expect "invoke externref null result" 1 "$out"

run 134 "trap" --invoke deep "$T/math.wat"
has "trap message" "^wasm-run: trap: unreachable" "$err"
has "trap backtrace" "boom" "$err"
# A module parsed from text has no file offsets: the frames name the
# function only.  A binary's give the trapping instruction's offset.
run 134 "text trap backtrace" -v --invoke deep "$T/math.wat"
has "text trap backtrace: frame" "^ +0: boom$" "$err"
has "text trap backtrace: caller" "^ +1: deep$" "$err"
if command -v wat2wasm >/dev/null 2>&1; then
    wat2wasm --debug-names -o "$T/math.wasm" "$T/math.wat"
    run 134 "binary trap backtrace" -v --invoke deep "$T/math.wasm"
    has "binary trap backtrace: offset" "^ +0: 0x[0-9a-f]{6} - boom$" "$err"
fi
# Out of bounds: the innermost frame is the faulting access, as node
# reports it (a guard-page fault in the normal build, a check in the
# sanitizer build).  The module, from wat2wasm:
#   (memory 1)
#   (func (export "oob") (param i32) (result i32) (local i32)
#     (local.set 1 (i32.const 7))
#     (i32.add (local.get 1) (i32.load offset=4 (local.get 0))))   ;; load at 0x44
#   (func (export "poke") (param i32)                               ;; store at 0x51
#     (v128.store offset=8 (local.get 0) (i32x4.splat (local.get 0))))
#   (func (export "via") (param i32) (result i32) (call 0 (local.get 0)))  ;; call at 0x5a
: >"$T/oob.wasm"
printf '\000\141\163\155\001\000\000\000\001\012\002\140\001\177\001\177' >>"$T/oob.wasm"
printf '\140\001\177\000\003\004\003\000\001\000\005\003\001\000\001\007' >>"$T/oob.wasm"
printf '\024\003\003\157\157\142\000\000\004\160\157\153\145\000\001\003' >>"$T/oob.wasm"
printf '\166\151\141\000\002\012\046\003\020\001\001\177\101\007\041\001' >>"$T/oob.wasm"
printf '\040\001\040\000\050\002\004\152\013\014\000\040\000\040\000\375' >>"$T/oob.wasm"
printf '\021\375\013\004\010\013\006\000\040\000\020\000\013' >>"$T/oob.wasm"
run 134 "out of bounds load" --invoke oob "$T/oob.wasm" 70000
has "out of bounds load: the load" "^ +0: 0x000044 - oob$" "$err"
run 134 "out of bounds load across the end" --invoke via "$T/oob.wasm" 65533
has "out of bounds load across the end: the load" "^ +0: 0x000044 - oob$" "$err"
has "out of bounds load across the end: the call" "^ +1: 0x00005a - via$" "$err"
run 134 "out of bounds v128.store" --invoke poke "$T/oob.wasm" 65530
has "out of bounds v128.store: the store" "^ +0: 0x000051 - poke$" "$err"
run 0 "in bounds load" --invoke oob "$T/oob.wasm" 12
expect "in bounds load result" 7 "$out"
run 0 "recursion" --invoke rec "$T/math.wat" 1000
expect "recursion result" 1000 "$out"
run 134 "stack limit" --max-stack 4096 --invoke rec "$T/math.wat" 100000
has "stack limit message" "exhausted" "$err"
# A deep backtrace: the 16 innermost and 16 outermost of 100 frames,
# numbered from the innermost, and a line for the 68 between.
run 134 "deep backtrace" --max-call-depth 100 --invoke rec "$T/math.wat" 1000
expect "deep backtrace: lines" 33 "$(printf '%s\n' "$err" | grep -c '^ ')"
has "deep backtrace: innermost part" "^ +15: rec$" "$err"
has "deep backtrace: omitted" "^  \.\.\. 68 frames omitted \.\.\.$" "$err"
has "deep backtrace: outermost part" "^ +84: rec$" "$(printf '%s\n' "$err" | grep -A1 omitted)"
has "deep backtrace: outermost frame" "^ +99: rec$" "$(printf '%s\n' "$err" | tail -n 1)"
run 134 "fuel" --fuel 1000 --invoke spin "$T/math.wat"
has "fuel message" "fuel exhausted" "$err"
run 0 "fuel enough" --fuel 100000 --invoke rec "$T/math.wat" 100
start=$(date +%s)
run 134 "timeout" --timeout 0.3 --invoke spin "$T/math.wat"
has "timeout message" "interrupted" "$err"
[ $(( $(date +%s) - start )) -lt 5 ] && ok || bad "timeout took too long"
run 0 "memory grows" --invoke grow "$T/math.wat" 10
expect "memory grows result" 1 "$out"
run 0 "max-memory" --max-memory 131072 --invoke grow "$T/math.wat" 10
expect "max-memory result" -1 "$out"
run 0 "max-memory exact" --max-memory 131072 --invoke grow "$T/math.wat" 1
expect "max-memory exact result" 1 "$out"
run 0 "max-memory rounds down" --max-memory 196607 --invoke grow "$T/math.wat" 2
expect "max-memory rounds down result" -1 "$out"
run 2 "max-memory below a page" --max-memory 1000 --invoke grow "$T/math.wat" 1

# interrupt NAME [VAR=VALUE] ARGS...: Ctrl-C a spinning guest; 130.
interrupt() {
    name=$1; shift
    env "$@" 2>"$T/err" &
    pid=$!
    sleep 1
    kill -INT $pid
    wait $pid
    expect "$name: exit status" 130 $?
}
interrupt "Ctrl-C" "$RUN" --invoke spin "$T/math.wat"
expect "Ctrl-C says one line" "wasm-run: interrupted" "$(cat "$T/err")"
# The backtrace only when asked for: -v, or LIBWASM_BACKTRACE=1.
interrupt "Ctrl-C with -v" "$RUN" -v --invoke spin "$T/math.wat"
has "Ctrl-C with -v: backtrace" "^ +0: spin$" "$(cat "$T/err")"
interrupt "Ctrl-C with LIBWASM_BACKTRACE" LIBWASM_BACKTRACE=1 "$RUN" --invoke spin "$T/math.wat"
has "Ctrl-C with LIBWASM_BACKTRACE: backtrace" "^ +0: spin$" "$(cat "$T/err")"

# A guest blocked reading stdin is interrupted too (the host call traps).
cat > "$T/read.wat" <<'W'
(module
  (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 100))
    (drop (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))))
W
mkfifo "$T/fifo"
sleep 20 > "$T/fifo" &
writer=$!
run 134 "timeout in a blocked read" --timeout 0.5 "$T/read.wat" < "$T/fifo"
has "timeout in a blocked read message" "interrupted" "$err"
"$RUN" "$T/read.wat" < "$T/fifo" 2>"$T/err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
expect "Ctrl-C in a blocked read: exit status" 130 $?
has "Ctrl-C in a blocked read message" "interrupted" "$(cat "$T/err")"
kill $writer 2>/dev/null

# wasmtime's spelling: the run subcommand, -V, --mapdir, and -S/-W
# options answered with ours.
run 0 "run subcommand" run --invoke add "$T/math.wat" 2 3
expect "run subcommand result" 5 "$out"
run 0 "-V" -V
has "-V prints the version" "^wasm-run [0-9]" "$out"
run 2 "-W fuel" -W fuel=10 --invoke spin "$T/math.wat"
has "-W fuel names --fuel" "^wasm-run: -W fuel=10 is wasmtime's spelling: use --fuel 10$" "$err"
run 2 "-W feature" -W simd=y "$T/math.wat"
has "-W simd names --enable-simd" "use --enable-simd$" "$err"
run 2 "-S inherit-env" -S inherit-env "$T/math.wat"
has "-S inherit-env names --env" "use --env NAME" "$err"
run 2 "-S unknown" -S nn=y "$T/math.wat"
has "-S unknown says so" "^wasm-run: -S nn=y: wasmtime's option, not supported$" "$err"
cat > "$T/preopen.wat" <<'W'
(module
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $name (i32.const 3) (i32.const 16) (i32.const 4)))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 4))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
W
mkdir -p "$T/hostdir"
run 0 "--mapdir" --mapdir gues::"$T/hostdir" "$T/preopen.wat"
expect "--mapdir GUEST::HOST names the guest" gues "$out"
run 2 "--mapdir without ::" --mapdir "$T/hostdir" "$T/preopen.wat"

# WASI from text modules: proc_exit, argv, stdout.
cat > "$T/cmd.wat" <<'W'
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $sizes (i32.const 32) (i32.const 36)))
    ;; exit status: argc * 10 + size of the argv strings mod 10
    (call $exit (i32.add (i32.mul (i32.load (i32.const 32)) (i32.const 10))
                         (i32.rem_u (i32.load (i32.const 36)) (i32.const 10))))))
W
run 31 "command: args after FILE go to the guest" --argv0 p "$T/cmd.wat" a --help
expect "command stdout" "hi" "$out"
run 25 "--argv0" --argv0 ab "$T/cmd.wat" c
run 1 "--dir missing" --dir "$T/none" "$T/cmd.wat"
has "--dir missing message" "none" "$err"
run 2 "--dir empty guest" --dir "$T::" "$T/cmd.wat"
run 2 "--tcplisten no port" --tcplisten localhost "$T/cmd.wat"

cat > "$T/reactor.wat" <<'W'
(module
  (global $g (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $g (i32.const 41)))
  (func (export "get") (result i32) (i32.add (global.get $g) (i32.const 1))))
W
run 0 "reactor" --invoke get "$T/reactor.wat"
expect "reactor result (after _initialize)" 42 "$out"
run 0 "reactor without invoke" "$T/reactor.wat"

printf '(module (func $s unreachable) (start $s))' > "$T/start.wat"
run 134 "start function trap" "$T/start.wat"

printf '(module (func (export "v") (result v128) (v128.const i32x4 1 2 3 4)))' > "$T/simd.wat"
run 0 "simd on by default" --invoke v "$T/simd.wat"
expect "v128 result" 00000004000000030000000200000001 "$out"
run 1 "--disable-simd" --disable-simd --invoke v "$T/simd.wat"

# Bundles: wasm-pack makes one; wasm-run runs it in place.
PACK=$BUILD/wasm-pack
if [ -x "$PACK" ] && have_wasi_cc && guest treehash; then
    mkdir -p "$T/assets/sub" "$T/bout"
    echo "bundled" > "$T/assets/sub/a.txt"
    "$PACK" create -o "$T/app.wpk" --entry "$T/treehash.wasm" --asset "$T/assets::data" \
        --arg data --arg out >/dev/null 2>&1
    out=$(echo | "$RUN" --dir "$T/bout::out" "$T/app.wpk" 2>"$T/err")
    expect "bundle exit status" 0 $?
    has "bundle listing" "^f +8 [0-9a-f]{16} sub/a.txt$" "$out"
    expect "bundle copied a file" bundled "$(cat "$T/bout/sub/a.txt" 2>/dev/null)"
    # A --dir naming a guest directory the bundle mounts: refused.
    out=$("$RUN" --dir "$T/bout::data" "$T/app.wpk" 2>"$T/err")
    expect "bundle mount clash: exit status" 2 $?
    has "bundle mount clash: message" "clashes with the bundle's mount 'data'" "$(cat "$T/err")"
else
    echo "SKIP: bundle test (needs wasm-pack and clang for wasm32-wasi)"
fi


# The bytes compiled are the bytes validated: $late is compiled at its
# first call, after the guest has waited on stdin while the module file was
# overwritten in place with a module of the same size whose $late is
# invalid (drop on an empty stack).  The run finishes as the original would,
# and so does one whose file was truncated meanwhile.
if command -v wat2wasm >/dev/null 2>&1; then
    late_module() {   # BODY OF $late
        cat <<W
(module
  (import "wasi_snapshot_preview1" "fd_write" (func \$w (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func \$r (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "ready\n")
  (func \$late (result i32) $1)
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 6))
    (drop (call \$w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (i32.store (i32.const 4) (i32.const 1))
    (drop (call \$r (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    (if (i32.ne (call \$late) (i32.const 7)) (then unreachable))))
W
    }
    late_module "(i32.const 7)" > "$T/late.wat"
    late_module "drop drop" > "$T/evil.wat"
    wat2wasm -o "$T/good.wasm" "$T/late.wat"
    wat2wasm --no-check -o "$T/evil.wasm" "$T/evil.wat"
    expect "rewritten module: same size" "$(wc -c <"$T/good.wasm")" "$(wc -c <"$T/evil.wasm")"
    mkfifo "$T/in" "$T/outp"
    # rewrite NAME COMMAND...: run late.wasm, run COMMAND once the guest
    # is waiting, then let it call $late.
    rewrite() {
        name=$1; shift
        cp "$T/good.wasm" "$T/late.wasm"
        "$RUN" "$T/late.wasm" <"$T/in" >"$T/outp" 2>"$T/err" &
        pid=$!
        exec 3>"$T/in" 4<"$T/outp"
        read -r line <&4
        expect "$name: guest started" ready "$line"
        "$@"
        # If wasm-run is already gone, the write fails (EPIPE), not this script.
        (trap '' PIPE; echo x >&3) 2>/dev/null
        exec 3>&- 4<&-
        wait $pid
        expect "$name: exit status" 0 $?
        expect "$name: no message" "" "$(cat "$T/err")"
    }
    for i in 1 2 3; do
        rewrite "module rewritten in place ($i)" \
            dd if="$T/evil.wasm" of="$T/late.wasm" conv=notrunc status=none
    done
    rewrite "module overwritten by cp" cp "$T/evil.wasm" "$T/late.wasm"
    rewrite "module truncated" truncate -s 0 "$T/late.wasm"
else
    echo "SKIP: rewritten module test (needs wat2wasm)"
fi

# Typed function references: results and arguments of reference types.
cat > "$T/funcref.wat" <<'W'
(module
  (type $t (func (param i32) (result i32)))
  (elem declare func $inc)
  (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
  (func (export "get") (result (ref $t)) (ref.func $inc))
  (func (export "apply") (param (ref null $t) i32) (result i32)
    (call_ref $t (local.get 1) (local.get 0)))
  (func (export "ext") (param (ref extern)) (result (ref extern)) (local.get 0)))
W
run 0 "typed reference result" --enable-function-references --invoke get "$T/funcref.wat"
expect "typed reference result" func "$out"
run 0 "non-nullable extern argument" --enable-function-references --invoke ext "$T/funcref.wat" 7
# the host reference the argument made: its number back
expect "non-nullable extern argument" 7 "$out"
run 2 "null for a non-nullable parameter" --enable-function-references --invoke ext "$T/funcref.wat" null
has "null for a non-nullable parameter message" "'null' is not a valid \(ref extern\)" "$err"
run 134 "call_ref of null" --enable-function-references --invoke apply "$T/funcref.wat" null 1
has "call_ref of null message" "null function reference" "$err"
run 0 "typed references: on by default" --invoke get "$T/funcref.wat"
run 1 "typed references need their feature" --disable-function-references --disable-gc --invoke get "$T/funcref.wat"

finish
