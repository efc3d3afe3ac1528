# bash completion for the libwasm tools: wasm-run, wasm-objdump,
# wasm-validate, wasm-opt, wasm-pack, wasm-spec and wasm-repl.
#
# One file serves them all.  It is installed under each command's name in
# bash-completion's completions directory (which loads a file when its
# command is first completed); sourcing it registers every tool.
# It needs nothing from bash-completion.

_wasm_feature_names='mutable-globals sign-extension saturating-float-to-int
multi-value bulk-memory reference-types simd tail-call extended-const
multi-memory memory64 threads exceptions relaxed-simd function-references gc
annotations'

# binaryen's spellings of the features that wasm-opt passes on to it.
_wasm_opt_feature_aliases='sign-ext nontrapping-float-to-int multivalue'

_wasm_opt_passes='alignment-lowering asyncify avoid-reinterprets cfp
coalesce-locals coalesce-locals-learning code-folding code-pushing
const-hoisting dae dae-optimizing dce dealign denan dfo directize
duplicate-function-elimination duplicate-import-elimination dwarfdump
emit-target-features extract-function extract-function-index flatten
fpcast-emu func-metrics generate-dyncalls generate-i64-dyncalls
generate-stack-ir global-refining gto heap2local i64-to-i32-lowering
inline-main inlining inlining-optimizing instrument-locals instrument-memory
intrinsic-lowering legalize-js-interface legalize-js-interface-minimally licm
limit-segments local-cse local-subtyping log-execution memory-packing
memory64-lowering merge-blocks merge-locals merge-similar-functions metrics
minify-imports minify-imports-and-exports
minify-imports-and-exports-and-modules mod-asyncify-always-and-only-unwind
mod-asyncify-never-unwind name-types nm once-reduction
optimize-added-constants optimize-added-constants-propagate optimize-for-js
optimize-instructions optimize-stack-ir pick-load-signs poppify
post-emscripten precompute precompute-propagate print print-call-graph
print-features print-full print-function-map print-minified print-stack-ir
remove-imports remove-memory remove-non-js-ops remove-unused-brs
remove-unused-module-elements remove-unused-names
remove-unused-nonfunction-module-elements reorder-functions reorder-locals
rereloop roundtrip rse safe-heap set-globals signature-pruning
signature-refining simplify-globals simplify-globals-optimizing
simplify-locals simplify-locals-nonesting simplify-locals-nostructure
simplify-locals-notee simplify-locals-notee-nostructure souperify
souperify-single-use ssa ssa-nomerge stack-check strip strip-debug
strip-dwarf strip-producers strip-target-features stub-unsupported-js
symbolmap trap-mode-clamp trap-mode-js type-refining untee vacuum'

# Sets cur, prev and eq for the word being completed.  "--opt=value" comes
# as three words when '=' breaks words (bash's default) and as one word
# otherwise; either way prev becomes the option, cur the value, and eq the
# text every candidate must start with.
_wasm_words()
{
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=
    eq=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    if [[ $cur == = && $prev == -* ]]; then
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        eq=$prev=
        cur=${cur#*=}
    fi
}

# Sets operand to the index of the first word before the current one that
# is neither an option nor an option's value (0 when there is none).
# $1 lists the options that take a separate value.
_wasm_operand()
{
    local i=1 w o
    operand=0
    while ((i < COMP_CWORD)); do
        w=${COMP_WORDS[i]}
        if [[ $w == = ]]; then
            # The rest of a word such as NAME=VALUE, split at '='.
            ((i += 2))
        elif [[ $w == -- ]]; then
            ((i + 1 < COMP_CWORD)) && operand=$((i + 1))
            return
        elif [[ $w == -* && ${COMP_WORDS[i + 1]} == = ]]; then
            ((i += 3))
        elif [[ $w == -* ]]; then
            ((i += 1))
            for o in $1; do
                if [[ $w == "$o" ]]; then
                    ((i += 1))
                    break
                fi
            done
        else
            operand=$i
            return
        fi
    done
}

# Adds the words in $* that start with the current word.
_wasm_add()
{
    local IFS=$' \t\n'
    # shellcheck disable=SC2207
    COMPREPLY+=($(compgen -P "$eq" -W "$*" -- "$cur"))
}

# Adds directories and the files whose names end in one of the suffixes
# given (every file when none is).
_wasm_files()
{
    local f s IFS=$'\n'
    compopt -o filenames 2>/dev/null
    for f in $(compgen -f -- "$cur"); do
        # compgen keeps "~/" as typed; the test needs the real path.
        if [[ $# == 0 || -d ${f/#\~\//$HOME/} ]]; then
            COMPREPLY+=("$eq$f")
            continue
        fi
        for s in "$@"; do
            if [[ $f == *."$s" ]]; then
                COMPREPLY+=("$eq$f")
                break
            fi
        done
    done
}

_wasm_dirs()
{
    local f IFS=$'\n'
    compopt -o filenames 2>/dev/null
    for f in $(compgen -d -- "$cur"); do
        COMPREPLY+=("$eq$f")
    done
}

# --enable-FEATURE and --disable-FEATURE for the features listed in $1: the
# two stems until one is chosen, then the names.
_wasm_features()
{
    local f words=
    if [[ $cur == --enable-* || $cur == --disable-* ]]; then
        for f in $1; do
            words+=" --enable-$f --disable-$f"
        done
        _wasm_add "$words"
    else
        _wasm_add --enable- --disable-
    fi
}

# No space after a stem that a value or a feature name must follow.
_wasm_nospace()
{
    if [[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *[-=] ]]; then
        compopt -o nospace 2>/dev/null
    fi
}

_wasm_run()
{
    local cur prev eq operand
    COMPREPLY=()
    _wasm_words
    _wasm_operand '--dir --dir-ro --mapdir --env --invoke --argv0 --fuel --timeout
        --max-memory --max-stack --max-heap --max-call-depth --max-threads --tcplisten'
    if ((operand)); then
        _wasm_files
        return
    fi
    case $prev in
    --dir | --dir-ro | --mapdir)
        _wasm_dirs
        return
        ;;
    --env)
        _wasm_add "$(compgen -e)"
        return
        ;;
    --invoke | --argv0 | --fuel | --timeout | --max-memory | --max-stack | --max-heap | \
        --max-call-depth | \
        --max-threads | --tcplisten)
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        _wasm_add --dir --dir-ro --mapdir --env --invoke --argv0 --fuel --timeout \
            --max-memory --max-stack --max-heap --max-call-depth --max-threads --tcplisten \
            --enable-all \
            -v --verbose \
            -h --help \
            -V --version
        _wasm_features "$_wasm_feature_names"
        _wasm_nospace
    else
        _wasm_files wasm wat wpk
    fi
}

_wasm_objdump()
{
    local cur prev eq
    COMPREPLY=()
    _wasm_words
    case $prev in
    -j | --section)
        _wasm_add Type Import Function Table Memory Global Export \
            Start Elem Code Data DataCount
        return
        ;;
    --color)
        # The value is optional, so it is only ever "--color=WHEN".
        if [[ $eq || ${COMP_WORDS[COMP_CWORD]} == = ||
            ${COMP_WORDS[COMP_CWORD - 1]} == = ]]; then
            _wasm_add auto always never
            return
        fi
        ;;
    --func)
        # The functions of the first module on the line: indices and names.
        local i
        for i in "${!COMP_WORDS[@]}"; do
            if ((i != COMP_CWORD)) && [[ ${COMP_WORDS[i]} == *.wasm && -f ${COMP_WORDS[i]} ]]; then
                _wasm_add "$("${COMP_WORDS[0]}" -x -j Function "${COMP_WORDS[i]}" 2>/dev/null |
                    sed -n 's/^ - func\[\([0-9]*\)\] sig=[0-9]*\( <\(.*\)>\)\{0,1\}$/\1 \3/p')"
                break
            fi
        done
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        _wasm_add -h -j -s -d -x -r --help --version --headers --section \
            --full-contents --disassemble --details --reloc --section-offsets \
            --line-table --func --color= --enable-all
        _wasm_features "$_wasm_feature_names"
        _wasm_nospace
    else
        _wasm_files wasm
    fi
}

_wasm_validate()
{
    local cur prev eq
    COMPREPLY=()
    _wasm_words
    if [[ $cur == -* ]]; then
        _wasm_add -h -v --help --version --verbose --enable-all
        _wasm_features "$_wasm_feature_names"
        _wasm_nospace
    else
        _wasm_files wasm wat
    fi
}

_wasm_opt()
{
    local cur prev eq p passes=
    COMPREPLY=()
    _wasm_words
    case $prev in
    -o | --output)
        _wasm_files wasm wat
        return
        ;;
    --pass)
        _wasm_add "$_wasm_opt_passes"
        return
        ;;
    -ol | --optimize-level)
        _wasm_add 0 1 2 3 4
        return
        ;;
    -s | --shrink-level)
        _wasm_add 0 1 2
        return
        ;;
    -pa | --pass-arg | -aimfs | --always-inline-max-function-size | -fimfs | \
        --flexible-inline-max-function-size | -ocimfs | \
        --one-caller-inline-max-function-size)
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        _wasm_add -o -O -Os -O0 -O1 -O2 -O3 -O4 -Oz -ol -s -c -pa -g -S -ffm \
            -lmu -uim -iit -tnh -aimfs -fimfs -ocimfs -ifwl -n -all -mvp -q -h \
            --output --optimize-level --shrink-level --converge --pass \
            --pass-arg --debuginfo --strip-debug --strip-producers --emit-text \
            --print --stats --fast-math --low-memory-unused \
            --zero-filled-memory --ignore-implicit-traps --traps-never-happen \
            --always-inline-max-function-size \
            --flexible-inline-max-function-size \
            --one-caller-inline-max-function-size \
            --inline-functions-with-loops --no-validation --all-features \
            --mvp-features --enable-all --quiet --help --version
        for p in $_wasm_opt_passes; do
            passes+=" --$p"
        done
        _wasm_add "$passes"
        _wasm_features "$_wasm_feature_names $_wasm_opt_feature_aliases"
        _wasm_nospace
    else
        _wasm_files wasm wat
    fi
}

# The entries of a bundle, as "wasm-pack list" prints their paths.
_wasm_pack_entries()
{
    local cmd=$1 file=$2
    [[ -f $file ]] || return
    "$cmd" list "$file" 2>/dev/null |
        sed -n 's/^[^ ][^ ]*  *[0-9][0-9]*  *block  *[0-9][0-9]*  *//p'
}

_wasm_pack()
{
    local cur prev eq operand sub
    COMPREPLY=()
    _wasm_words
    if ((COMP_CWORD == 1)); then
        if [[ $cur == -* ]]; then
            _wasm_add -h --help --version
        else
            _wasm_add create list info extract verify
        fi
        return
    fi
    sub=${COMP_WORDS[1]}
    case $sub in
    create)
        case $prev in
        -o | --output)
            _wasm_files wpk
            return
            ;;
        --entry | --module)
            _wasm_files wasm wat
            return
            ;;
        --asset)
            _wasm_dirs
            return
            ;;
        --level)
            _wasm_add "$(seq 1 22)"
            return
            ;;
        --arg | --env | --name | --version)
            return
            ;;
        esac
        _wasm_add -o -h --entry --module --asset --arg --env --name \
            --version --level --long --help --enable-all
        [[ $cur == -* ]] && _wasm_features "$_wasm_feature_names"
        _wasm_nospace
        ;;
    list | info | verify)
        _wasm_files wpk
        ;;
    extract)
        if [[ $prev == -C ]]; then
            _wasm_dirs
            return
        elif [[ $cur == -C?* ]]; then
            cur=${cur#-C}
            _wasm_dirs
            COMPREPLY=("${COMPREPLY[@]/#/-C}")
            return
        fi
        # Words after COMP_WORDS[1]: options, then FILE, then entry paths.
        local i=2 w file=
        while ((i < COMP_CWORD)); do
            w=${COMP_WORDS[i]}
            if [[ $w == -C ]]; then
                ((i += 2))
            elif [[ $w == -* ]]; then
                ((i += 1))
            else
                file=$w
                break
            fi
        done
        if [[ $file ]]; then
            local IFS=$'\n' e
            for e in $(_wasm_pack_entries "${COMP_WORDS[0]}" "$file"); do
                [[ $e == "$cur"* ]] && COMPREPLY+=("$e")
            done
        elif [[ $cur == -* ]]; then
            _wasm_add -C
        else
            _wasm_files wpk
        fi
        ;;
    esac
}

_wasm_spec()
{
    local cur prev eq
    COMPREPLY=()
    _wasm_words
    case $prev in
    --expected-failures | --write-expected)
        _wasm_files
        return
        ;;
    --filter | --timeout)
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        _wasm_add -v -h --verbose --filter --expected-failures --write-expected \
            --no-text-messages --timeout --summary --isolate --help --version \
            --enable-all
        _wasm_features "$_wasm_feature_names"
        _wasm_nospace
    else
        _wasm_files wast
    fi
}

_wasm_repl()
{
    local cur prev eq
    COMPREPLY=()
    _wasm_words
    case $prev in
    --history)
        _wasm_files
        return
        ;;
    --max-stack | --max-heap | --max-call-depth)
        return
        ;;
    esac
    if [[ $cur == -* ]]; then
        _wasm_add -q -h --history --no-history --quiet --max-stack --max-heap --max-call-depth \
            --help \
            --version --enable-all
        _wasm_features "$_wasm_feature_names"
        _wasm_nospace
    else
        _wasm_files wasm wat
    fi
}

complete -F _wasm_run wasm-run
complete -F _wasm_objdump wasm-objdump
complete -F _wasm_validate wasm-validate
complete -F _wasm_opt wasm-opt
complete -F _wasm_pack wasm-pack
complete -F _wasm_spec wasm-spec
complete -F _wasm_repl wasm-repl
