#!/bin/sh
# wasm-opt: byte-identical to binaryen's CLI for the same flags, behaviour
# kept, and bad input handled before it can reach libbinaryen.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
OPT="$BUILD/wasm-opt"
RUN="$BUILD/wasm-run"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# The Wasm 2.0 feature set, spelled for binaryen's CLI (our default).
FEATS="--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int --enable-simd --enable-bulk-memory --enable-reference-types --enable-multivalue"

# Test modules: a compiled C program (if clang for wasm32-wasi works) and
# spec-suite modules converted by wast2json (if present).
mods=""
if clang --target=wasm32-wasi -O1 -o "$T/fib.wasm" tests/opt/fib.c 2>/dev/null; then
    mods="$T/fib.wasm"
    clang --target=wasm32-wasi -O0 -g -o "$T/fibg.wasm" tests/opt/fib.c && mods="$mods $T/fibg.wasm"
else
    echo "SKIP: clang --target=wasm32-wasi unavailable; compiled-C modules not tested"
fi
SUITE=${SPEC:-$(scripts/spec-suite 2.0)}
if command -v wast2json >/dev/null 2>&1 && [ -d "$SUITE" ]; then
    mkdir -p "$T/spec"
    for f in fac br_table call_indirect memory_copy simd_i32x4_arith left-to-right; do
        wast2json --enable-all "$SUITE/$f.wast" -o "$T/spec/$f.json" >/dev/null 2>&1 || continue
        mods="$mods $T/spec/$f.0.wasm"
    done
else
    echo "SKIP: wast2json or the spec suite missing; spec modules not tested"
fi

if command -v wasm-opt >/dev/null 2>&1 && [ "$(command -v wasm-opt)" != "$(realpath "$OPT")" ]; then
    for m in $mods; do
        # -g keeps DWARF, which binaryen's command line rewrites after
        # optimizing but its C library (version 108) does not read: -g is
        # compared on the module without DWARF sections.
        wasm-opt -all --strip-dwarf "$m" -o "$T/nodwarf.wasm" 2>/dev/null
        for lvl in -O0 -O1 -O2 -O3 -O4 -Os -Oz -O "-O3 -c" "-O2 -g" "--dce --vacuum" "-Oz --strip-debug" "-O1 --strip-producers"; do
            src=$m
            case "$lvl" in *-g*) src=$T/nodwarf.wasm ;; esac
            # shellcheck disable=SC2086
            wasm-opt $FEATS $lvl "$src" -o "$T/theirs.wasm" 2>/dev/null || continue
            # shellcheck disable=SC2086
            "$OPT" $FEATS $lvl "$src" -o "$T/ours.wasm"
            check "identical output: $lvl $(basename "$m")" 'cmp -s "$T/theirs.wasm" "$T/ours.wasm"'
        done
    done
    if [ -n "$mods" ]; then
        m=$(echo "$mods" | cut -d' ' -f1)
        wasm-opt $FEATS -O2 -S "$m" -o "$T/theirs.wat" 2>/dev/null
        "$OPT" -O2 -S "$m" -o "$T/ours.wat"
        check "identical text output (-S)" 'cmp -s "$T/theirs.wat" "$T/ours.wat"'
    fi
else
    echo "SKIP: binaryen's wasm-opt not installed; byte-identity not tested"
fi

# 3.0 features binaryen 108 has: tail calls, extended constants and
# threads (atomics on a shared memory), each turned on by its flag,
# optimise byte-identically and keep their results (tests/opt/*.wat, built
# with wat2wasm); without the flag the module is refused with the feature
# named (for threads, its shared memory's flags), before binaryen sees it.
if command -v wat2wasm >/dev/null 2>&1; then
    for f in tail-call:tailcall:25 extended-const:extconst:1073 threads:threads:101; do
        feat=${f%%:*}; rest=${f#*:}; name=${rest%%:*}; want=${rest#*:}
        wat2wasm "--enable-$feat" "tests/opt/$name.wat" -o "$T/$name.wasm"
        if command -v wasm-opt >/dev/null 2>&1 && [ "$(command -v wasm-opt)" != "$(realpath "$OPT")" ]; then
            for lvl in -O0 -O1 -O2 -O3 -Oz; do
                # shellcheck disable=SC2086
                wasm-opt $FEATS "--enable-$feat" $lvl "$T/$name.wasm" -o "$T/theirs.wasm" 2>/dev/null
                # shellcheck disable=SC2086
                "$OPT" $FEATS "--enable-$feat" $lvl "$T/$name.wasm" -o "$T/ours.wasm"
                check "$feat: identical output: $lvl" 'cmp -s "$T/theirs.wasm" "$T/ours.wasm"'
            done
        fi
        "$OPT" "--enable-$feat" -O3 "$T/$name.wasm" -o "$T/o.wasm"
        check "$feat: same result after -O3" '[ "$("$RUN" "--enable-$feat" --invoke run "$T/o.wasm" 10)" = "$want" ]'
        "$OPT" "--enable-$feat" -O0 "$T/$name.wasm" -o "$T/o.wasm"
        check "$feat: same result after -O0" '[ "$("$RUN" "--enable-$feat" --invoke run "$T/o.wasm" 10)" = "$want" ]'
        echo "keep" >"$T/out.wasm"
        "$OPT" -O2 "$T/$name.wasm" -o "$T/out.wasm" 2>"$T/err"; st=$?
        check "$feat off: refused, exit 1" '[ "$st" = 1 ] && [ "$(cat "$T/out.wasm")" = keep ]'
        if [ "$feat" = threads ]; then
            check "$feat off: the shared memory refused" 'grep -q "integer too large" "$T/err"'
        else
            check "$feat off: the feature named" 'grep -q "(feature $feat is disabled)" "$T/err"'
        fi
    done
    "$OPT" --enable-tail-call -O0 "$T/tailcall.wasm" -o "$T/o.wasm"
    check "tail-call: return_call kept at -O0" '"$BUILD/wasm-objdump" -d "$T/o.wasm" | grep -q "return_call "'
else
    echo "SKIP: wat2wasm not installed; tail-call and extended-const modules not tested"
fi

# Behaviour kept: the program prints the same and exits the same after -O3/-Oz.
if [ -x "$RUN" ] && [ -f "$T/fib.wasm" ] && "$RUN" "$T/fib.wasm" >/dev/null 2>&1; then
    "$RUN" "$T/fib.wasm" 7 >"$T/ref.out"; ref=$?
    for lvl in -O3 -Oz; do
        "$OPT" "$lvl" "$T/fib.wasm" -o "$T/opt.wasm"
        "$RUN" "$T/opt.wasm" 7 >"$T/opt.out"; st=$?
        check "same output after $lvl" 'cmp -s "$T/ref.out" "$T/opt.out"'
        check "same exit code after $lvl" '[ "$st" = "$ref" ]'
    done
else
    echo "SKIP: wasm-run cannot run the test program yet; behaviour after -O3/-Oz not tested"
fi

# The WASI test programs too: same output and exit status after -O3 and -Oz.
if [ -x "$RUN" ] && clang --target=wasm32-wasi -O2 -o "$T/basic.wasm" tests/wasi/basic.c 2>/dev/null &&
    clang --target=wasm32-wasi -O2 -o "$T/treehash.wasm" tests/wasi/treehash.c 2>/dev/null; then
    mkdir -p "$T/th/src/a" && printf 'alpha\n' >"$T/th/src/a/x.txt" && printf 'beta\n' >"$T/th/src/y.txt"
    run_basic() { printf ping | "$RUN" --env A=1 --env "B=two words" "$1" ARG1 "arg two" 2>&1; echo "status $?"; }
    run_tree() { rm -rf "$T/th/out"; mkdir "$T/th/out"; printf 'stdin text' | "$RUN" --dir "$T/th/src::src" --dir "$T/th/out::out" "$1" src out 2>&1; echo "status $?"; }
    for prog in basic tree; do
        wasm=$T/$prog.wasm
        [ "$prog" = tree ] && wasm=$T/treehash.wasm
        "run_$prog" "$wasm" >"$T/$prog.ref"
        for lvl in -O3 -Oz; do
            "$OPT" "$lvl" "$wasm" -o "$T/$prog.opt.wasm"
            "run_$prog" "$T/$prog.opt.wasm" >"$T/$prog.out"
            check "$prog: same output and status after $lvl" 'cmp -s "$T/$prog.ref" "$T/$prog.out"'
        done
    done
    check "basic ran to its proc_exit(7)" 'grep -q "^status 7$" "$T/basic.ref"'
else
    echo "SKIP: WASI test programs cannot be built or run; their behaviour after -O3/-Oz not tested"
fi

# Bad input is ours to reject: never reaches binaryen, nothing is written.
printf '\0asm\1\0\0\0\1\5' >"$T/trunc.wasm"
echo "keep" >"$T/out.wasm"
"$OPT" -O2 "$T/trunc.wasm" -o "$T/out.wasm" 2>"$T/err"; st=$?
check "malformed input exits 1" '[ "$st" = 1 ]'
check "malformed input: located error" 'grep -q "wasm-opt: .*trunc.wasm: 0x[0-9a-f]*: " "$T/err"'
check "malformed input: output untouched" '[ "$(cat "$T/out.wasm")" = keep ]'
# type mismatch: (func (result i32) i64.const 0)
printf '\0asm\1\0\0\0\1\5\1\140\0\1\177\3\2\1\0\12\6\1\4\0\102\0\13' >"$T/invalid.wasm"
"$OPT" -O2 "$T/invalid.wasm" -o "$T/out.wasm" 2>"$T/err"; st=$?
check "invalid module exits 1" '[ "$st" = 1 ]'
check "invalid module: type mismatch reported" 'grep -q "type mismatch" "$T/err"'
check "invalid module: output untouched" '[ "$(cat "$T/out.wasm")" = keep ]'
# Input binaryen itself cannot take is contained: tests/opt/dwarf-flipped.wasm
# (clang -g, one byte of .debug_info changed) is valid but makes libbinaryen
# abort while writing; a bad name section makes it throw while reading.
"$OPT" -O1 tests/opt/dwarf-flipped.wasm -o "$T/out.wasm" 2>"$T/err"; st=$?
check "binaryen abort exits 1" '[ "$st" = 1 ]'
check "binaryen abort: step named" 'grep -q "^wasm-opt: tests/opt/dwarf-flipped.wasm: binaryen failed while writing the module (aborted)" "$T/err"'
check "binaryen abort: output untouched" '[ "$(cat "$T/out.wasm")" = keep ]'
# (func) and a name section whose function map is cut short
printf '\0asm\1\0\0\0\1\4\1\140\0\0\3\2\1\0\12\4\1\2\0\13\0\13\4name\1\5\11\0\1x' >"$T/badname.wasm"
"$OPT" -O1 "$T/badname.wasm" -o "$T/out.wasm" 2>"$T/err"; st=$?
check "binaryen parse error exits 1" '[ "$st" = 1 ]'
check "binaryen parse error in our format" 'grep -q "^wasm-opt: .*badname.wasm: binaryen failed while reading the module: parse exception: " "$T/err"'
check "binaryen parse error: one line" '[ "$(wc -l <"$T/err")" = 1 ]'
# A load failure after passes were named frees them (LeakSanitizer).
"$OPT" -O2 --vacuum "$T/invalid.wasm" 2>/dev/null; st=$?
check "load failure with passes exits 1" '[ "$st" = 1 ]'
"$OPT" -O2 "$T/missing.wasm" -o "$T/out.wasm" 2>/dev/null; st=$?
check "missing input exits 1" '[ "$st" = 1 ]'
"$OPT" --no-such-pass x.wasm 2>/dev/null; st=$?
check "unknown option exits 2" '[ "$st" = 2 ]'
"$OPT" --pass no-such-pass x.wasm 2>/dev/null; st=$?
check "unknown pass exits 2" '[ "$st" = 2 ]'
"$OPT" -O9 x.wasm 2>/dev/null; st=$?
check "bad level exits 2" '[ "$st" = 2 ]'
"$OPT" 2>/dev/null; st=$?
check "no input exits 2" '[ "$st" = 2 ]'
check "--help lists passes" '"$OPT" --help | grep -q "  vacuum"'
check "--version names binaryen" '"$OPT" --version | grep -q binaryen'

# Text input goes through our parser and encoder.
printf '(module (func (export "f") (result i32) (i32.add (i32.const 1) (i32.const 2))))' >"$T/add.wat"
"$OPT" -O2 "$T/add.wat" -o "$T/add.wasm" 2>"$T/err"
check "text input optimized" '[ -s "$T/add.wasm" ] && "$OPT" -O0 --print "$T/add.wasm" | grep -q "i32.const 3"'
if [ -f "$T/fib.wasm" ]; then
    "$OPT" -Oz --stats "$T/fib.wasm" -o "$T/s.wasm" 2>"$T/stats"
    check "--stats reports code and total" 'grep -q "^code " "$T/stats" && grep -q "^total " "$T/stats" && grep -q "^functions " "$T/stats"'
fi

# clang's post-link step: clang runs the wasm-opt it finds (here through -B)
# as `wasm-opt FILE -O2 -o FILE`; ours must do as binaryen's.
if clang --target=wasm32-wasi -O2 -o "$T/plain.wasm" tests/opt/fib.c 2>/dev/null; then
    mkdir -p "$T/bin"
    ln -s "$(realpath "$OPT")" "$T/bin/wasm-opt"
    clang --target=wasm32-wasi -O2 -B "$T/bin/" -v -o "$T/post.wasm" tests/opt/fib.c 2>"$T/err"
    st=$?
    check "clang post-link: clang succeeds" '[ "$st" = 0 ]'
    check "clang post-link: ours was run" 'grep -q "$T/bin/wasm-opt\" .*-O2 -o" "$T/err"'
    if [ -x "$RUN" ]; then
        check "clang post-link: output runs" '[ "$("$RUN" "$T/post.wasm" 10)" = "$("$RUN" "$T/plain.wasm" 10)" ]'
    fi
    echo "note: clang post-link step tested with $(clang --version | head -n 1)"
    command -v clang-19 >/dev/null 2>&1 || echo "SKIP: clang-19 not installed; its post-link step not tested"
else
    echo "SKIP: clang --target=wasm32-wasi unavailable; clang's post-link step not tested"
fi
# --detect-features is accepted (a no-op, as in binaryen); the features a
# target_features section lists are enabled, including names newer LLVMs
# write that binaryen 108 does not know (clang 19: bulk-memory-opt).
"$OPT" --detect-features -O2 "$T/add.wat" -o "$T/d.wasm"; st=$?
check "--detect-features accepted" '[ "$st" = 0 ]'
printf '\0asm\1\0\0\0\1\4\1\140\0\0\3\2\1\0\12\4\1\2\0\13' >"$T/tf.wasm"
printf '\0\76\17target_features\3+\17reference-types+\17bulk-memory-opt+\11tail-call' >>"$T/tf.wasm"
"$OPT" --mvp-features --print-features "$T/tf.wasm" >"$T/out" 2>"$T/err"; st=$?
check "target_features: listed features enabled" '[ "$st" = 0 ] && grep -q "^--enable-reference-types$" "$T/out" && grep -q "^--enable-tail-call$" "$T/out"'

# memory64 goes through to binaryen (its output byte for byte); what
# libbinaryen 108 cannot read (a second memory, a 64-bit table) is refused
# with a message naming the feature, before binaryen sees it.
cat >"$T/m64.wat" <<'EOF'
(module (memory (export "m") i64 1 10)
  (func (export "ld") (param i64) (result i32) (i32.load offset=4 (local.get 0)))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (data (i64.const 8) "hello"))
EOF
"$OPT" --enable-memory64 -O0 "$T/m64.wat" -o "$T/m64.wasm"; st=$?
check "memory64: accepted" '[ "$st" = 0 ] && [ -s "$T/m64.wasm" ]'
if [ -x "$RUN" ]; then
    out=$("$RUN" --enable-memory64 --invoke ld "$T/m64.wasm" 4 2>&1)
    check "memory64: runs after wasm-opt ($out)" '[ "$out" = 1819043176 ]'
fi
if command -v wasm-opt >/dev/null 2>&1 && [ "$(command -v wasm-opt)" != "$(realpath "$OPT")" ]; then
    # shellcheck disable=SC2086
    wasm-opt $FEATS --enable-memory64 -O2 "$T/m64.wasm" -o "$T/theirs64.wasm" 2>/dev/null
    # shellcheck disable=SC2086
    "$OPT" $FEATS --enable-memory64 -O2 "$T/m64.wasm" -o "$T/ours64.wasm"
    check "memory64: identical output" 'cmp -s "$T/theirs64.wasm" "$T/ours64.wasm"'
fi
printf '(module (memory 1) (memory $b 1) (func (drop (i32.load $b (i32.const 0)))))' >"$T/mm.wat"
"$OPT" --enable-multi-memory -O2 "$T/mm.wat" -o "$T/x.wasm" 2>"$T/err"; st=$?
check "multi-memory: refused" '[ "$st" = 1 ] && [ ! -e "$T/x.wasm" ] && grep -q "multi-memory (more than one memory) is not supported by libbinaryen 108" "$T/err"'
printf '(module (table i64 1 funcref))' >"$T/t64.wat"
"$OPT" --enable-memory64 -O2 "$T/t64.wat" -o "$T/x.wasm" 2>"$T/err"; st=$?
check "table64: refused" '[ "$st" = 1 ] && [ ! -e "$T/x.wasm" ] && grep -q "table64 (a 64-bit table) is not supported" "$T/err"'
printf '(module (func (param v128 v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 1))))' >"$T/rs.wat"
"$OPT" --enable-relaxed-simd -O2 "$T/rs.wat" -o "$T/x.wasm" 2>"$T/err"; st=$?
check "relaxed-simd: refused" '[ "$st" = 1 ] && [ ! -e "$T/x.wasm" ] && grep -q "relaxed-simd (relaxed SIMD instructions) is not supported" "$T/err"'
printf '(module (func (param v128 v128) (result v128) (i8x16.swizzle (local.get 0) (local.get 1))))' >"$T/sw.wat"
"$OPT" --enable-relaxed-simd -O2 "$T/sw.wat" -o "$T/x.wasm" 2>"$T/err"; st=$?
check "relaxed-simd on, none used: optimised" '[ "$st" = 0 ] && [ -s "$T/x.wasm" ]'
rm -f "$T/x.wasm"
# Typed function references and GC types: libbinaryen 108 knows an older
# encoding of both, so they are refused, with the feature named.
printf '(module (type $t (func)) (func (param (ref null $t)) (call_ref $t (local.get 0))))' >"$T/fr.wat"
"$OPT" --enable-function-references -O2 "$T/fr.wat" -o "$T/x.wasm" 2>"$T/err"; st=$?
check "function-references: refused" '[ "$st" = 1 ] && [ ! -e "$T/x.wasm" ] && grep -q "function-references (typed function references) is not supported by libbinaryen 108" "$T/err"'
printf '(module (rec (type $s (sub (struct (field i32)))) (type (sub $s (struct (field i32) (field i64))))))' >"$T/gc.wat"
"$OPT" -all -O2 "$T/gc.wat" -o "$T/x.wasm" 2>"$T/err"; st=$?
check "gc types: refused" '[ "$st" = 1 ] && [ ! -e "$T/x.wasm" ] && grep -q "gc (recursion groups, subtypes, struct and array types, GC instructions) is not supported by libbinaryen 108" "$T/err"'
# GC's instructions without any GC type (i31 needs none) are refused too.
printf '(module (func (param i32) (result i32) (i31.get_s (ref.i31 (local.get 0)))))' >"$T/i31.wat"
"$OPT" -all -O2 "$T/i31.wat" -o "$T/x.wasm" 2>"$T/err"; st=$?
check "gc instructions: refused" '[ "$st" = 1 ] && [ ! -e "$T/x.wasm" ] && grep -q "gc (.*GC instructions) is not supported by libbinaryen 108" "$T/err"'
"$OPT" -all -O2 "$T/sw.wat" -o "$T/x.wasm" 2>"$T/err"; st=$?
check "all features on, none of those used: optimised" '[ "$st" = 0 ] && [ -s "$T/x.wasm" ]'
rm -f "$T/x.wasm"

# Exceptions: the legacy instructions (tests/opt/exceptions.wat, which
# wat2wasm --enable-exceptions builds) optimise byte-identically and keep
# their result; what libbinaryen 108 cannot read is refused by name.
if command -v wat2wasm >/dev/null 2>&1; then
    wat2wasm --enable-exceptions tests/opt/exceptions.wat -o "$T/exc.wasm"
    if command -v wasm-opt >/dev/null 2>&1 && [ "$(command -v wasm-opt)" != "$(realpath "$OPT")" ]; then
        for lvl in -O0 -O1 -O2 -O3 -Oz; do
            # shellcheck disable=SC2086
            wasm-opt $FEATS --enable-exception-handling $lvl "$T/exc.wasm" -o "$T/theirs.wasm" 2>/dev/null
            # shellcheck disable=SC2086
            "$OPT" $FEATS --enable-exception-handling $lvl "$T/exc.wasm" -o "$T/ours.wasm"
            check "exceptions: identical output: $lvl" 'cmp -s "$T/theirs.wasm" "$T/ours.wasm"'
        done
    fi
    for lvl in -O0 -O3; do
        "$OPT" --enable-exceptions $lvl "$T/exc.wasm" -o "$T/o.wasm"
        check "exceptions: same result after $lvl" '[ "$("$RUN" --enable-exceptions --invoke run "$T/o.wasm" 10)" = 31 ]'
    done
    "$OPT" -O2 "$T/exc.wasm" -o "$T/x.wasm" 2>"$T/err"; st=$?
    check "exceptions off: refused, the feature named" '[ "$st" = 1 ] && [ ! -e "$T/x.wasm" ] && grep -q "(feature exceptions is disabled)" "$T/err"'
else
    echo "SKIP: wat2wasm not installed; legacy exceptions through binaryen not tested"
fi
for body in '(block $h (try_table (catch_all $h) (nop)))' \
            '(drop (ref.null exn))' '(block $h (result exnref) (try_table (catch_all_ref $h) (nop)) (unreachable)) (throw_ref)'; do
    printf '(module (func %s))' "$body" >"$T/new.wat"
    "$OPT" --enable-exceptions -O2 "$T/new.wat" -o "$T/x.wasm" 2>"$T/err"; st=$?
    check "3.0 exceptions refused: $body" '[ "$st" = 1 ] && [ ! -e "$T/x.wasm" ] && grep -q "exceptions (try_table, throw_ref or exnref) is not supported by libbinaryen 108" "$T/err"'
done
printf '(module (func (param exnref)))' >"$T/new.wat"
"$OPT" --enable-exceptions -O2 "$T/new.wat" -o "$T/x.wasm" 2>"$T/err"; st=$?
check "exnref parameter refused" '[ "$st" = 1 ] && [ ! -e "$T/x.wasm" ] && grep -q "exceptions (try_table" "$T/err"'

# Branch hints would stay at offsets binaryen no longer has: dropped.
"$OPT" -O1 tests/objdump/branch-hints.wasm -o "$T/h.wasm" 2>"$T/err"
st=$?
check "branch hints: optimised" '[ "$st" = 0 ] && [ -s "$T/h.wasm" ]'
check "branch hints: dropped" '! "$BUILD/wasm-objdump" -h "$T/h.wasm" | grep -q metadata.code'

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
