#!/bin/bash
# Shell completions stay true to the tools.  Each shell (bash, zsh, fish)
# really completes with our files: every long option a tool's --help names
# must be offered, every feature in libwasm.h after --enable-/--disable-,
# every wasm-opt pass, and nothing --help does not name; option values,
# wasm-pack's commands and file names filtered by suffix come out right,
# in bash also through readline on a terminal.  The option names must also
# be written in each tool's completion code, and the files must parse.
# The test runner starts scripts with sh; this one needs bash.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
ROOT=$PWD
# Every tool the build made.
TOOLS=
for f in "$BUILD"/wasm-*; do
    [ -f "$f" ] && [ -x "$f" ] && TOOLS+=" ${f##*/}"
done
if [ -z "$TOOLS" ]; then
    echo "SKIP: no tools in $BUILD; build them first"
    echo "0 passed, 0 failed"
    exit 0
fi
BASH_FILE=$ROOT/completions/wasm.bash
ZSH_DIR=$ROOT/completions/zsh
FISH_DIR=$ROOT/completions/fish
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export PATH="$ROOT/$BUILD:$PATH"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

FEATURES=$(sed -n 's/^ *X([A-Z0-9_]*, *"\([a-z0-9-]*\)".*/\1/p' libwasm/include/libwasm.h)
FEATURES=${FEATURES//$'\n'/ }
[ -n "$FEATURES" ] || bad "no feature names found in libwasm.h"

# ---- what the tools say -------------------------------------------------

# Per tool: the long options its --help names, features aside (OPTS), and
# whether it takes --enable-/--disable- (FEAT).  "--enable-FEATURE" gives
# the stem "--enable-", dropped: features are checked on their own.
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

declare -A OPTS FEAT SHORTS
for t in $TOOLS; do
    help=$("$BUILD/$t" --help 2>/dev/null)
    short_options <<<"$help"
    SHORTS[$t]=$SHORT
    [[ $help == *--enable-* || $help == *--disable-* ]] && FEAT[$t]=1
    opts=" "
    while [[ $help =~ (^|[^a-zA-Z0-9-])(--[a-z0-9][a-z0-9-]*)(.*) ]]; do
        o=${BASH_REMATCH[2]}
        help=${BASH_REMATCH[3]}
        [[ $o == *- || $opts == *" $o "* ]] && continue
        feature=
        for f in $FEATURES; do
            [[ $o == --enable-$f || $o == --disable-$f ]] && feature=1
        done
        [ "$feature" ] || opts+="$o "
    done
    OPTS[$t]=$opts
done

if [ -x "$BUILD/wasm-opt" ]; then
    help=$("$BUILD/wasm-opt" --help)
    PASSES=${help#*$'\n'Passes:$'\n'}
    # binaryen's feature spellings, in parentheses in the Features paragraph.
    ALIASES=
    para=${help#*$'\n'Features}
    para=${para%%$'\n\n'*}
    while [[ $para =~ \(([a-z0-9-]+)\)(.*) ]]; do
        ALIASES+=" ${BASH_REMATCH[1]}"
        para=${BASH_REMATCH[2]}
    done
fi

# missing "CANDIDATES" WORD...: sets MISSING to the words that are not
# candidates (a candidate may carry a trailing '=' or '/').
missing() {
    local -A have=()
    local c w
    for c in $1; do
        c=${c%/}
        have[$c]=1
        have[${c%=}]=1
    done
    shift
    MISSING=
    for w; do
        [ "${have[$w]}" ] || MISSING+=" $w"
    done
}

# ---- completing for real ------------------------------------------------

# Each reads command lines (cursor at the end) on stdin and prints, for
# each, the candidates on one line.

# bash: COMP_WORDS split at blanks and around '=' as readline does; the
# function the file registers for the command is called as bash would.
# shellcheck disable=SC2016
complete_bash() {
    bash --norc --noprofile -c '
        source "$1" || exit 1
        while IFS= read -r line; do
            read -ra COMP_WORDS <<<"${line//=/ = }"
            [[ $line == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMP_LINE=$line
            COMP_POINT=${#line}
            COMPREPLY=()
            read -r _ _ fn _ <<<"$(complete -p "${COMP_WORDS[0]}" 2>/dev/null)"
            [[ $fn ]] && "$fn" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" \
                "${COMP_WORDS[COMP_CWORD - 1]}"
            echo "${COMPREPLY[*]}"
        done' _ "$BASH_FILE"
}

# fish: `complete -C`, with every file of ours loaded.
# shellcheck disable=SC2016
complete_fish() {
    fish --no-config -c '
        for f in $argv[1]/*.fish
            source $f
        end
        while read -l line
            echo (complete -C"$line" | string replace -r "\t.*" "" | string join " ")
        end' "$FISH_DIR"
}

# zsh: an interactive zsh on a pseudo-terminal, with our functions first
# in $fpath; each line is typed and followed by Tab, and compadd is wrapped
# to write down every match it is given.
cat >"$T/zcomp.zsh" <<'EOF'
zmodload zsh/zpty zsh/zselect || exit 3
out=$(mktemp) || exit 2
zpty z zsh -f -i
zpty -w z "PS1= RPS1= PS2=; setopt no_beep no_auto_list no_list_ambiguous"
zpty -w z "fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -d ${(q)2}"
zpty -w z "compadd() { local -a m; if (( \${@[(I)-[OAD]]} )); then builtin compadd \"\$@\"; return; fi; builtin compadd -O m \"\$@\"; (( \$#m )) && print -rl -- \$m >>${(q)out}; builtin compadd \"\$@\"; }"
zpty -w z "_zc_complete() { zle complete-word; print -r -- '<END>' >>${(q)out}; }; zle -N _zc_complete; bindkey '^I' _zc_complete"
zpty -w z "print -r -- '<READY>' >>${(q)out}"
wait_for() {
    local chunk i
    for i in {1..1000}; do
        while zpty -rt z chunk; do :; done
        grep -qx -- "$1" $out 2>/dev/null && return 0
        zselect -t 1
    done
    return 1
}
wait_for '<READY>' || exit 2
while IFS= read -r line; do
    : >$out
    zpty -w -n z "$line"$'\t'
    if wait_for '<END>'; then
        print -r -- ${(j: :)${(f)"$(grep -vx '<END>' $out)"}}
    else
        print -r -- '<TIMEOUT>'
    fi
    zpty -w -n z $'\C-u'
done
zpty -d z
rm -f $out
EOF
complete_zsh() { zsh -f "$T/zcomp.zsh" "$ZSH_DIR" "$T/zcompdump"; }

SHELLS="bash"
for sh in zsh fish; do
    if ! command -v $sh >/dev/null 2>&1; then
        echo "SKIP: $sh not installed; its completions not tested"
    elif [ $sh = zsh ] && ! zsh -f -c 'zmodload zsh/zpty' 2>/dev/null; then
        echo "SKIP: zsh has no zsh/zpty module; zsh completions only parsed"
    else
        SHELLS="$SHELLS $sh"
    fi
done

# ---- every option, feature and pass completes ---------------------------

# Queries: for each tool, "TOOL --" (and "wasm-pack create --"), the two
# feature stems, and for wasm-opt "--pass " too.
declare -a QUERIES
for t in $TOOLS; do
    [ "${OPTS[$t]}" ] || continue
    pfx=$t
    [ "$t" = wasm-pack ] && pfx="$t create"
    QUERIES+=("$t --" "$t -")
    [ "$t" = wasm-pack ] && QUERIES+=("$pfx --" "$pfx -" "$t extract -" "$t ")
    [ "${FEAT[$t]}" ] && QUERIES+=("$pfx --enable-" "$pfx --disable-")
    [ "$t" = wasm-opt ] && QUERIES+=("$t --pass ")
done
declare -A QI
for i in "${!QUERIES[@]}"; do QI[${QUERIES[$i]}]=$i; done
printf '%s\n' "${QUERIES[@]}" >"$T/queries"

check() { # shell what candidates words...
    local sh=$1 what=$2 got=$3
    shift 3
    missing "$got" "$@"
    if [ -z "$MISSING" ]; then ok; else bad "$sh: $what not completed:$MISSING"; fi
}

for sh in $SHELLS; do
    (cd "$T" && "complete_$sh" <"$T/queries" >"$T/answers.$sh" 2>"$T/err.$sh")
    mapfile -t A <"$T/answers.$sh"
    if [ "${#A[@]}" != "${#QUERIES[@]}" ] || [[ " ${A[*]} " == *"<TIMEOUT>"* ]]; then
        bad "$sh: completion did not answer every query: $(head -3 "$T/err.$sh")"
        continue
    fi
    ok
    if [ -s "$T/err.$sh" ]; then bad "$sh: errors while completing: $(head -3 "$T/err.$sh")"; else ok; fi
    for t in $TOOLS; do
        [ "${OPTS[$t]}" ] || continue
        pfx=$t
        [ "$t" = wasm-pack ] && pfx="$t create"
        got=${A[${QI[$t --]}]}
        [ "$t" = wasm-pack ] && got+=" ${A[${QI[$pfx --]}]}"
        # shellcheck disable=SC2086
        check "$sh" "$t: options" "$got" ${OPTS[$t]}
        if [ "$t" = wasm-pack ]; then
            pack_commands < <("$BUILD/$t" --help)
            if [ -z "$COMMANDS" ]; then bad "no commands in '$t --help'"; else ok; fi
            # shellcheck disable=SC2086
            check "$sh" "$t: commands" "${A[${QI[$t ]}]}" $COMMANDS
        fi
        got=${A[${QI[$t -]}]}
        [ "$t" = wasm-pack ] && got+=" ${A[${QI[$pfx -]}]} ${A[${QI[$t extract -]}]}"
        # shellcheck disable=SC2086
        check "$sh" "$t: short options" "$got" ${SHORTS[$t]}
        got=${A[${QI[$t --]}]}
        [ "$t" = wasm-pack ] && got+=" ${A[${QI[$pfx --]}]}"
        # Nor more: an option the tool's --help does not name is stale
        # (features and passes aside).
        m=
        for c in $got; do
            c=${c%=}
            [[ $c == --* && ${OPTS[$t]} != *" $c "* ]] || continue
            if [ "${FEAT[$t]}" ]; then
                f=${c#--enable-}
                f=${f#--disable-}
                [[ $f == "" || $f == all || " $FEATURES $ALIASES " == *" $f "* ]] && continue
            fi
            [ "$t" = wasm-opt ] && [[ " $PASSES " == *[[:space:]]"${c#--}"[[:space:]]* ]] && continue
            [[ $m == *" $c"* ]] || m+=" $c"
        done
        if [ -z "$m" ]; then ok; else bad "$sh: $t: completes options its --help does not name:$m"; fi
        if [ "${FEAT[$t]}" ]; then
            names=$FEATURES
            [ "$t" = wasm-opt ] && names+=" $ALIASES"
            for stem in --enable- --disable-; do
                words=()
                for f in $names; do words+=("$stem$f"); done
                check "$sh" "$t: features after $stem" "${A[${QI[$pfx $stem]}]}" "${words[@]}"
            done
        fi
        if [ "$t" = wasm-opt ]; then
            # shellcheck disable=SC2086
            check "$sh" "wasm-opt --pass: passes" "${A[${QI[$t --pass ]}]}" $PASSES
            words=()
            for p in $PASSES; do words+=("--$p"); done
            check "$sh" "wasm-opt --NAME: passes" "${A[${QI[$t --]}]}" "${words[@]}"
        fi
    done
done

# ---- values, commands and files -----------------------------------------

# A directory to complete in: modules, text, a script, a bundle with an
# asset, a subdirectory.
D=$T/dir
mkdir -p "$D/sub"
printf '\0asm\1\0\0\0' >"$D/a.wasm"
# Two functions, the first exported as "fac".
printf '\0asm\1\0\0\0\1\4\1\140\0\0\3\3\2\0\0\7\7\1\3fac\0\0\n\7\2\2\0\13\2\0\13' >"$D/f.wasm"
echo text >"$D/b.txt"
echo '(module)' >"$D/c.wat"
echo '(module)' >"$D/t.wast"
echo hello >"$D/sub/hello.txt"
if [ -x "$BUILD/wasm-pack" ]; then
    (cd "$D" && wasm-pack create -o app.wpk --entry a.wasm --asset sub >/dev/null 2>&1)
fi

# line|candidates that must be offered|candidates that must not
cat >"$T/cases" <<'EOF'
wasm-run --ti|--timeout|--tcplisten
wasm-pack c|create|list
wasm-validate --enable-si|--enable-simd --enable-sign-extension|--disable-simd
wasm-opt --vac|--vacuum|--vacuum-x
wasm-validate |a.wasm c.wat sub|b.txt t.wast
wasm-objdump |a.wasm|c.wat b.txt
wasm-run |a.wasm c.wat app.wpk|b.txt
wasm-run a.wasm |b.txt t.wast|
wasm-run a.wasm --ti||--timeout
wasm-run --timeout 3 |a.wasm|b.txt
wasm-run --env X=1 --max-stack 9 --ti|--timeout|
wasm-run --dir |sub|a.wasm
wasm-run --dir=|sub|a.wasm
wasm-run --dir-ro s|sub|
wasm-objdump --color=|auto always never|a.wasm
wasm-objdump --color=al|always|never
wasm-objdump -j |Code Import DataCount|a.wasm Custom
wasm-objdump f.wasm --func=|0 1 fac|f.wasm
wasm-objdump -d f.wasm --func f|fac|0
wasm-opt --pass va|vacuum|
wasm-opt --enable-sign|--enable-sign-ext --enable-sign-extension|
wasm-opt -ol |0 4|a.wasm
wasm-opt -o |a.wasm c.wat|b.txt
wasm-pack |create list info extract verify|a.wasm
wasm-pack create --entry |a.wasm c.wat|b.txt
wasm-pack create --asset |sub|a.wasm
wasm-pack create --le|--level|
wasm-pack list |app.wpk|a.wasm b.txt
wasm-pack verify |app.wpk|a.wasm
wasm-pack extract |app.wpk|a.wasm
wasm-pack extract -C |sub|a.wasm
wasm-pack extract app.wpk |a.wasm sub/hello.txt|b.txt
wasm-spec |t.wast|a.wasm
wasm-spec --write-expected |b.txt|
wasm-repl |a.wasm c.wat|b.txt
wasm-repl --history |b.txt|
wasm-repl --no|--no-history|
EOF
mapfile -t CASES <"$T/cases"
for sh in $SHELLS; do
    for c in "${CASES[@]}"; do echo "${c%%|*}"; done >"$T/lines"
    (cd "$D" && "complete_$sh" <"$T/lines" >"$T/got.$sh" 2>/dev/null)
    mapfile -t GOT <"$T/got.$sh"
    for i in "${!CASES[@]}"; do
        IFS='|' read -r line want unwanted <<<"${CASES[$i]}"
        # "--dir=sub/" and "sub/" both count as "sub".
        got=" "
        for w in ${GOT[$i]}; do
            w=${w%/}
            [[ $w == --*=* ]] && w=${w#*=}
            got+="$w "
        done
        m=
        for w in $want; do
            [[ $got == *" $w "* ]] || m+=" $w"
        done
        for w in $unwanted; do
            [[ $got == *" $w "* ]] && m+=" !$w"
        done
        if [ -z "$m" ]; then ok; else bad "$sh: '$line' gave [$got] (wrong:$m)"; fi
    done
done

# Exactly one candidate where one is possible (bash, as readline sees it).
got=$(printf '%s\n' 'wasm-run --ti' 'wasm-pack c' 'wasm-opt --vac' | complete_bash | tr '\n' '|')
if [ "$got" = "--timeout|create|--vacuum|" ]; then ok; else bad "bash: unique completions gave $got"; fi

# "--opt=value" as one word, when '=' does not break words; "~/" paths.
one_word() { # word: complete it as the first argument of the tool in $1
    (cd "$D" && HOME=$D bash --norc --noprofile -c '
        source "$1"
        COMP_WORDS=("$2" "$3"); COMP_CWORD=1
        COMP_LINE="$2 $3"; COMP_POINT=${#COMP_LINE}
        read -r _ _ fn _ <<<"$(complete -p "$2")"
        "$fn" "$2" "$3" "$2"
        echo "${COMPREPLY[*]}"' _ "$BASH_FILE" "$@")
}
for c in "wasm-objdump --color=al|--color=always" "wasm-spec --write-expected=b.|--write-expected=b.txt" \
    "wasm-run --dir=s|--dir=sub" "wasm-validate ~/s|~/sub" "wasm-validate ~/c|~/c.wat"; do
    line=${c%|*}
    got=$(one_word "${line% *}" "${line#* }")
    if [ "$got" = "${c#*|}" ]; then ok; else bad "bash: '$line' as one word gave [$got]"; fi
done

# ---- through readline ---------------------------------------------------

# An interactive bash on a terminal (a tmux pane on a private server) with
# the file sourced: Tab inserts what it should, with or without a space,
# quoting file names and marking directories.
if command -v tmux >/dev/null 2>&1; then
    touch "$D/my mod.wasm"
    sock=wasm-completion-test-$$
    tm() { tmux -L "$sock" -f /dev/null "$@"; }
    sock_file=${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock
    trap 'tm kill-server 2>/dev/null; rm -f "$sock_file"; rm -rf "$T"' EXIT
    tm new-session -d -s c -x 160 -y 40 -c "$D" \
        "env -i HOME='$D' PATH='$PATH' TERM=xterm PS1='\$ ' bash --norc --noprofile"
    tm send-keys -t c -l "source '$BASH_FILE'"
    tm send-keys -t c Enter
    # typed|then after Tab|the line that must show
    while IFS='|' read -r typed after want; do
        tm send-keys -t c C-u
        tm send-keys -t c -l "$typed"
        tm send-keys -t c Tab
        sleep 0.2
        tm send-keys -t c -l "$after"
        shown=
        for _ in $(seq 50); do
            shown=$(tm capture-pane -p -t c | grep '^\$ ' | tail -1)
            [ "$shown" = "\$ $want" ] && break
            sleep 0.1
        done
        if [ "$shown" = "\$ $want" ]; then ok; else bad "readline: '$typed' Tab '$after' shows [$shown], not [\$ $want]"; fi
    done <<'EOF'
wasm-run --ti|X|wasm-run --timeout X
wasm-run --ena|simd|wasm-run --enable-simd
wasm-validate my|X|wasm-validate my\ mod.wasm X
wasm-run --dir s|X|wasm-run --dir sub/X
wasm-objdump --color=al|X|wasm-objdump --color=always X
wasm-pack ex|X|wasm-pack extract X
EOF
    tm kill-server 2>/dev/null
    rm -f "$sock_file"
else
    echo "SKIP: tmux not installed; completion through readline not tested"
fi

# ---- the names are in the files -----------------------------------------

# The code that completes a tool: its function in the bash file, its zsh
# function file, its fish file (where "--name" is written "-l name").
BASH_CODE=$(<"$BASH_FILE")
for t in $TOOLS; do
    [ "${OPTS[$t]}" ] || continue
    fn=_${t//-/_}
    code=${BASH_CODE#*$'\n'"$fn"()}
    [ "$code" = "$BASH_CODE" ] && code=
    code=${code%%$'\n'\}*}
    for sh in bash zsh fish; do
        case $sh in
        zsh) code=$(<"$ZSH_DIR/_$t") ;;
        fish) code=$(<"$FISH_DIR/$t.fish") ;;
        esac
        [ -n "$code" ] || { bad "$sh: no completion code for $t"; continue; }
        m=
        for o in ${OPTS[$t]}; do
            re="(^|[^a-z0-9-])($o|-l ${o#--})([^a-z0-9-]|\$)"
            [[ $code =~ $re ]] || m+=" $o"
        done
        if [ -z "$m" ]; then ok; else bad "$sh: $t: options not in its completion code:$m"; fi
    done
done

# ---- the files parse ----------------------------------------------------

if bash -n "$BASH_FILE"; then ok; else bad "bash -n $BASH_FILE"; fi
if command -v shellcheck >/dev/null 2>&1; then
    if shellcheck -s bash "$BASH_FILE"; then ok; else bad "shellcheck $BASH_FILE"; fi
else
    echo "SKIP: shellcheck not installed; $BASH_FILE not linted"
fi
for t in $TOOLS; do
    if command -v zsh >/dev/null 2>&1; then
        if zsh -n "$ZSH_DIR/_$t"; then ok; else bad "zsh -n _$t"; fi
    fi
    if command -v fish >/dev/null 2>&1; then
        if fish -n "$FISH_DIR/$t.fish"; then ok; else bad "fish -n $t.fish"; fi
    fi
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
