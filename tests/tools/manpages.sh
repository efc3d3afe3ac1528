#!/bin/bash
# The man pages stay true to the tools and the library: each renders
# without a groff warning, has the usual sections, and names every long
# option its tool's --help shows (every feature in libwasm.h, every
# wasm-opt pass); libwasm(3) names only functions libwasm.h declares; the
# pages refer to pages that exist.  The copies the build makes carry the
# version.
# The test runner starts scripts with sh; this one needs bash.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
# Every tool the build made, and every tool with a page.
TOOLS=
for f in "$BUILD"/wasm-* man/wasm-*.1; do
    t=${f##*/}
    t=${t%.1}
    [ -f "$f" ] && [[ $f == *.1 || -x $f ]] && [[ " $TOOLS " != *" $t "* ]] && TOOLS+=" $t"
done
HEADER=libwasm/include/libwasm.h
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if ! command -v groff >/dev/null 2>&1; then
    echo "SKIP: groff not installed; man pages not rendered"
    echo "$pass passed, $fail failed"
    exit 0
fi

FEATURES=$(sed -n 's/^ *X([A-Z0-9_]*, *"\([a-z0-9-]*\)".*/\1/p' "$HEADER")
FEATURES=${FEATURES//$'\n'/ }
[ -n "$FEATURES" ] || bad "no feature names found in $HEADER"
VERSION=$(sed -n 's/^#define LIBWASM_VERSION "\(.*\)"/\1/p' "$HEADER")

# has TEXT WORD: WORD stands alone in TEXT (not inside a longer name).
has() {
    local re="(^|[^a-zA-Z0-9_-])$2([^a-zA-Z0-9_-]|\$)"
    [[ $1 =~ $re ]]
}

# render PAGE: sets TEXT to the page as plain text; fails on any warning,
# in the terminal format the tests asked for and in plain ASCII.
render() {
    local w
    w=$(groff -man -Tutf8 -ww -z "$1" 2>&1)
    if [ -n "$w" ]; then
        bad "$1: groff -Tutf8 warns: $w"
        TEXT=
        return 1
    fi
    ok
    TEXT=$(groff -man -Tascii -P-cbou -ww "$1" 2>"$T/err")
    if [ -s "$T/err" ]; then
        bad "$1: groff -Tascii warns: $(head -3 "$T/err")"
        return 1
    fi
    ok
}

# The text of the sections whose heading ends in OPTIONS.
options_text() {
    local line in=
    OPTEXT=
    while IFS= read -r line; do
        if [[ $line =~ ^[A-Z] ]]; then
            in=
            [[ $line == *OPTIONS ]] && in=1
        elif [ "$in" ]; then
            OPTEXT+=$line$'\n'
        fi
    done <<<"$TEXT"
}

# The short options a --help text on stdin names ("-h", "-O0", "-ol"): the
# dashed words of the option column, at the start of indented lines.
short_options() {
    local line col
    SHORT=" "
    while IFS= read -r line; do
        [[ $line =~ ^\ +(-|[a-z]+\ ) ]] || continue
        col=${line#"${line%%[! ]*}"}
        col=${col%%  *}
        while [[ $col =~ (^|[ ,[])(-[a-zA-Z0-9]+)(.*) ]]; do
            [[ $SHORT == *" ${BASH_REMATCH[2]} "* ]] || SHORT+="${BASH_REMATCH[2]} "
            col=${BASH_REMATCH[3]}
        done
    done
}

# wasm-pack's commands: the words that start the lines after "Commands:".
pack_commands() {
    local line in=
    COMMANDS=
    while IFS= read -r line; do
        [ "$line" = "Commands:" ] && in=1 && continue
        [ -z "$line" ] && in=
        [ "$in" ] && [[ $line =~ ^\ \ ([a-z]+)(\ |$) ]] && COMMANDS+=" ${BASH_REMATCH[1]}"
    done
}

# sections PAGE NAME...: each is a section heading of the rendered page.
sections() {
    local page=$1 s m=
    shift
    for s; do
        [[ $TEXT == *$'\n'"$s"$'\n'* ]] || m+=" '$s'"
    done
    if [ -z "$m" ]; then ok; else bad "$page: no section$m"; fi
}

# The pages a page refers to, such as wasm-run(1), must exist.
references() {
    local page=$1 text=$TEXT m='' name sec
    while [[ $text =~ ((wasm-[a-z]+|libwasm)\(([0-9])\))(.*) ]]; do
        name=${BASH_REMATCH[2]}
        sec=${BASH_REMATCH[3]}
        text=${BASH_REMATCH[4]}
        [ -f "man/$name.$sec" ] || m+=" $name($sec)"
    done
    if [ -z "$m" ]; then ok; else bad "$page: refers to missing pages:$m"; fi
}

for t in $TOOLS; do
    page=man/$t.1
    if [ ! -f "$page" ]; then
        bad "$page missing"
        continue
    fi
    ok
    render "$page" || continue
    sections "$page" NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"
    re=$'\n'"NAME"$'\n'" +$t +- +[a-z]"
    if [[ $TEXT =~ $re ]]; then ok; else bad "$page: NAME is not \"$t - ...\""; fi
    references "$page"

    if [ ! -x "$BUILD/$t" ]; then
        echo "SKIP: $BUILD/$t not built; its options not compared with $page"
        continue
    fi
    help=$("$BUILD/$t" --help 2>/dev/null)
    options_text
    rest=$help
    m=
    stems=
    while [[ $rest =~ (^|[^a-zA-Z0-9-])(--[a-z0-9][a-z0-9-]*)(.*) ]]; do
        o=${BASH_REMATCH[2]}
        rest=${BASH_REMATCH[3]}
        if [[ $o == --enable-* || $o == --disable-* ]]; then
            # --enable-FEATURE, or one feature spelt out: the page must
            # explain the stems and name the features, below.
            f=${o#--enable-}
            f=${f#--disable-}
            [ "$f" = all ] && ! has "$OPTEXT" "$o" && m+=" $o"
            stems=1
            continue
        fi
        has "$OPTEXT" "$o" || [[ $m == *" $o"* ]] || m+=" $o"
    done
    if [ -z "$m" ]; then ok; else bad "$page: options of '$t --help' not described:$m"; fi
    short_options <<<"$help"
    m=
    for o in $SHORT; do
        has "$TEXT" "$o" || m+=" $o"
    done
    if [ -z "$m" ]; then ok; else bad "$page: short options of '$t --help' not described:$m"; fi
    # Nor more: an option --help does not name is stale (features aside).
    rest=$OPTEXT
    m=
    while [[ $rest =~ (^|[^a-zA-Z0-9-])(--[a-z0-9][a-z0-9-]*)(.*) ]]; do
        o=${BASH_REMATCH[2]}
        rest=${BASH_REMATCH[3]}
        [[ $o == --enable-* || $o == --disable-* ]] && continue
        has "$help" "$o" || has "$help" "${o^^}" || [[ $m == *" $o"* ]] || m+=" $o"
    done
    if [ -z "$m" ]; then ok; else bad "$page: describes options '$t --help' does not name:$m"; fi
    if [ "$stems" ]; then
        m=
        has "$OPTEXT" "--enable-feature" || m+=" --enable-feature"
        has "$OPTEXT" "--disable-feature" || m+=" --disable-feature"
        if [ "$t" != wasm-pack ] && [ "$t" != wasm-repl ] && [ "$t" != wasm-objdump ]; then
            for f in $FEATURES; do
                has "$TEXT" "$f" || m+=" $f"
            done
        fi
        if [ -z "$m" ]; then ok; else bad "$page: features not described:$m"; fi
    fi
    if [ "$t" = wasm-opt ]; then
        m=
        for p in ${help#*$'\n'Passes:$'\n'}; do
            has "$TEXT" "$p" || m+=" $p"
        done
        if [ -z "$m" ]; then ok; else bad "$page: passes not listed:$m"; fi
        m=
        para=${help#*$'\n'Features}
        para=${para%%$'\n\n'*}
        while [[ $para =~ \(([a-z0-9-]+)\)(.*) ]]; do
            has "$TEXT" "${BASH_REMATCH[1]}" || m+=" ${BASH_REMATCH[1]}"
            para=${BASH_REMATCH[2]}
        done
        if [ -z "$m" ]; then ok; else bad "$page: binaryen feature names not listed:$m"; fi
    fi
    if [ "$t" = wasm-pack ]; then
        m=
        pack_commands <<<"$help"
        [ -n "$COMMANDS" ] || m+=" (none in --help)"
        for c in $COMMANDS; do
            [[ $TEXT =~ $'\n'\ +$c(\ |$'\n') ]] || m+=" $c"
        done
        if [ -z "$m" ]; then ok; else bad "$page: commands:$m"; fi
    fi
done

# libwasm(3): an overview that names real functions and points to the
# header and the embedding guide.
page=man/libwasm.3
if [ -f "$page" ]; then
    ok
    if render "$page"; then
        sections "$page" NAME SYNOPSIS DESCRIPTION "RETURN VALUE" EXAMPLES "SEE ALSO"
        references "$page"
        m=
        for w in libwasm.h docs/EMBEDDING.md Loading Validation Errors Runtime \
            "Host functions" Limits; do
            [[ $TEXT == *"$w"* ]] || m+=" '$w'"
        done
        if [ -z "$m" ]; then ok; else bad "$page: does not mention$m"; fi
        text=$TEXT
        m=
        n=0
        decls=$(<"$HEADER")$(<libwasm/include/libwasm-tools.h)
        while [[ $text =~ (lw_[a-z0-9_]+)\((.*) ]]; do
            fn=${BASH_REMATCH[1]}
            text=${BASH_REMATCH[2]}
            n=$((n + 1))
            [[ $decls =~ [^a-z0-9_]$fn\( ]] || [[ $m == *" $fn"* ]] || m+=" $fn"
        done
        if [ "$n" -ge 20 ] && [ -z "$m" ]; then ok; else bad "$page: $n functions named; not in $HEADER:$m"; fi
    fi
else
    bad "$page missing"
fi

# The copies the build makes, for `man $BUILD/man/wasm-run.1`.
if [ -d "$BUILD/man" ]; then
    for src in man/*.[0-9]; do
        out=$BUILD/man/${src#man/}
        if [ ! -f "$out" ]; then
            bad "$out not built"
        elif grep -q '@VERSION@' "$out" || ! grep -q "libwasm $VERSION" "$out"; then
            bad "$out does not carry the version $VERSION"
        elif [ "$(sed "s/@VERSION@/$VERSION/g" "$src")" != "$(cat "$out")" ]; then
            bad "$out is not $src with its version"
        else
            ok
        fi
    done
else
    echo "SKIP: $BUILD/man not built; copies not checked"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
