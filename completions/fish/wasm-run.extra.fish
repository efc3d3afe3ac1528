# wasm-run: what is not an option (completions/gen-fish adds the options).

# True until the module (FILE) is on the line: the words after it are the
# guest's, not options.
function __fish_wasm_run_before_file
    set -l words (commandline -opc)
    set -e words[1]
    while set -q words[1]
        switch $words[1]
            case --
                return 1
            case $__fish_wasm_run_valued
                set -e words[1..2]
            case '-*'
                set -e words[1]
            case '*'
                return 1
        end
    end
    return 0
end

complete -c wasm-run -f
complete -c wasm-run -n __fish_wasm_run_before_file -a '(__fish_wasm_files wasm wat wpk)'
complete -c wasm-run -n 'not __fish_wasm_run_before_file' -F
