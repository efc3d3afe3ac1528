# wasm-objdump: what is not an option (completions/gen-fish adds the options).

# The functions of the first module on the line: indices and names.
function __fish_wasm_objdump_funcs
    set -l words (commandline -o)
    for w in $words[2..-1]
        if string match -q -- '*.wasm' $w; and test -f $w
            $words[1] -x -j Function $w 2>/dev/null | string replace -rf -- '^ - func\[(\d+)\] sig=\d+(?: <(.*)>)?$' '$1\n$2' | string match -v ''
            return
        end
    end
end

complete -c wasm-objdump -f
complete -c wasm-objdump -a '(__fish_wasm_files wasm)'
