# wasm-opt: what is not an option (completions/gen-fish adds the options):
# the passes, each also an option --PASS.

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
for p in $passes
    complete -c wasm-opt -l $p -d 'Run this pass'
end
