# fish completion for wasm-objdump (libwasm)

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

complete -c wasm-objdump -l help -d 'Show help'
complete -c wasm-objdump -l version -d 'Print version information'
complete -c wasm-objdump -s h -l headers -d 'Print headers'
complete -c wasm-objdump -s j -l section -x -a 'Type Import Function Table Memory Global Export Start Elem Code Data DataCount' -d 'Select just one section'
complete -c wasm-objdump -s s -l full-contents -d 'Print raw section contents'
complete -c wasm-objdump -s d -l disassemble -d 'Disassemble function bodies'
complete -c wasm-objdump -s x -l details -d 'Show section details'
complete -c wasm-objdump -s r -l reloc -d 'Show relocations (object files) under what they patch'
complete -c wasm-objdump -l section-offsets -d 'Section offsets instead of file offsets in disassembly'
complete -c wasm-objdump -l func -x -a '(__fish_wasm_objdump_funcs)' -d 'Disassemble only this function (NAME or INDEX)'
complete -c wasm-objdump -l color -f -a 'auto always never' -d 'Colour the output (--color=WHEN)'
