# fish completion for wasm-opt (libwasm)

# The word being completed, without the "--option=" of "--option=value".
function __fish_wasm_token
    string replace -r -- '^--[^=]*=' '' (commandline -ct)
end

function __fish_wasm_files -d 'Directories, and the files with one of the suffixes given (all without)'
    set -l files (complete -C"__fish_command_without_completions "(__fish_wasm_token))
    if set -q argv[1]
        set -l re (string join '|' -- (string escape --style=regex -- .$argv))
        string match -r -- "^.*(?:/|$re)\$" $files
    else
        printf '%s\n' $files
    end
end

function __fish_wasm_dirs
    complete -C"__fish_command_without_completions "(__fish_wasm_token) | string match -r -- '^.*/$'
end

set -l passes \
    alignment-lowering asyncify avoid-reinterprets cfp \
    coalesce-locals coalesce-locals-learning code-folding code-pushing \
    const-hoisting dae dae-optimizing dce dealign denan dfo directize \
    duplicate-function-elimination duplicate-import-elimination dwarfdump \
    emit-target-features extract-function extract-function-index flatten \
    fpcast-emu func-metrics generate-dyncalls generate-i64-dyncalls \
    generate-stack-ir global-refining gto heap2local \
    i64-to-i32-lowering inline-main inlining inlining-optimizing \
    instrument-locals instrument-memory intrinsic-lowering \
    legalize-js-interface legalize-js-interface-minimally \
    licm limit-segments local-cse local-subtyping \
    log-execution memory-packing memory64-lowering merge-blocks \
    merge-locals merge-similar-functions metrics minify-imports \
    minify-imports-and-exports minify-imports-and-exports-and-modules \
    mod-asyncify-always-and-only-unwind mod-asyncify-never-unwind \
    name-types nm once-reduction optimize-added-constants \
    optimize-added-constants-propagate optimize-for-js \
    optimize-instructions optimize-stack-ir pick-load-signs \
    poppify post-emscripten precompute precompute-propagate print \
    print-call-graph print-features print-full print-function-map \
    print-minified print-stack-ir remove-imports remove-memory \
    remove-non-js-ops remove-unused-brs remove-unused-module-elements \
    remove-unused-names remove-unused-nonfunction-module-elements \
    reorder-functions reorder-locals rereloop roundtrip rse \
    safe-heap set-globals signature-pruning signature-refining \
    simplify-globals simplify-globals-optimizing simplify-locals \
    simplify-locals-nonesting simplify-locals-nostructure \
    simplify-locals-notee simplify-locals-notee-nostructure souperify \
    souperify-single-use ssa ssa-nomerge stack-check strip strip-debug \
    strip-dwarf strip-producers strip-target-features stub-unsupported-js \
    symbolmap trap-mode-clamp trap-mode-js type-refining untee vacuum

complete -c wasm-opt -f
complete -c wasm-opt -a '(__fish_wasm_files wasm wat)'

complete -c wasm-opt -s o -l output -x -a '(__fish_wasm_files wasm wat)' -d 'Write the result here'
complete -c wasm-opt -o O -d 'Default passes, focusing on size'
complete -c wasm-opt -o Os -d 'Default passes, focusing on size'
complete -c wasm-opt -o O0 -d 'Optimization level 0'
complete -c wasm-opt -o O1 -d 'Default passes at level 1'
complete -c wasm-opt -o O2 -d 'Default passes at level 2'
complete -c wasm-opt -o O3 -d 'Default passes at level 3'
complete -c wasm-opt -o O4 -d 'Default passes at level 4'
complete -c wasm-opt -o Oz -d 'Default passes, focusing hard on size'
complete -c wasm-opt -o ol -l optimize-level -x -a '0 1 2 3 4' -d 'Optimization level for the passes'
complete -c wasm-opt -s s -l shrink-level -x -a '0 1 2' -d 'Shrink level for the passes'
complete -c wasm-opt -s c -l converge -d 'Repeat the passes while the binary shrinks'
complete -c wasm-opt -l pass -x -a "$passes" -d 'Run one pass'
complete -c wasm-opt -o pa -l pass-arg -x -d 'An argument for the passes (KEY@VALUE)'
complete -c wasm-opt -s g -l debuginfo -d 'Keep the name section'
complete -c wasm-opt -l strip-debug -d 'Drop debug information and names'
complete -c wasm-opt -l strip-producers -d 'Drop the producers section'
complete -c wasm-opt -s S -l emit-text -d 'Write the text format'
complete -c wasm-opt -l print -d 'Print the module as text to stdout'
complete -c wasm-opt -l stats -d 'Sizes per section and code before and after'
complete -c wasm-opt -o ffm -l fast-math -d 'Optimize floats ignoring NaN and rounding corners'
complete -c wasm-opt -o lmu -l low-memory-unused -d 'Assume the low 1 KiB of memory is unused'
complete -c wasm-opt -o uim -l zero-filled-memory -d 'Assume an imported memory starts zeroed'
complete -c wasm-opt -o iit -l ignore-implicit-traps -d 'Assume loads, divisions ... do not trap'
complete -c wasm-opt -o tnh -l traps-never-happen -d 'Assume no trap is ever reached'
complete -c wasm-opt -o aimfs -l always-inline-max-function-size -x -d 'Size limit (N)'
complete -c wasm-opt -o fimfs -l flexible-inline-max-function-size -x -d 'Size limit (N)'
complete -c wasm-opt -o ocimfs -l one-caller-inline-max-function-size -x -d 'Size limit (N)'
complete -c wasm-opt -o ifwl -l inline-functions-with-loops -d 'Inline functions with loops'
complete -c wasm-opt -s n -l no-validation -d "Do not validate binaryen's output"
complete -c wasm-opt -o all -l all-features -d 'Every feature binaryen and libwasm share'
complete -c wasm-opt -l enable-all -d 'Every feature binaryen and libwasm share'
complete -c wasm-opt -o mvp -l mvp-features -d 'MVP only'
complete -c wasm-opt -s q -l quiet -d 'No warnings'
complete -c wasm-opt -s h -l help -d 'Show help'
complete -c wasm-opt -l version -d 'Versions of wasm-opt and of libbinaryen'
for p in $passes
    complete -c wasm-opt -l $p -d 'Run this pass'
end
for f in mutable-globals sign-extension saturating-float-to-int multi-value \
        bulk-memory reference-types simd tail-call extended-const multi-memory \
        memory64 threads exceptions relaxed-simd function-references gc annotations \
        sign-ext nontrapping-float-to-int multivalue
    complete -c wasm-opt -l enable-$f -d "Enable $f"
    complete -c wasm-opt -l disable-$f -d "Disable $f"
end
