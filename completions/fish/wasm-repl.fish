# fish completion for wasm-repl (libwasm)

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

complete -c wasm-repl -f
complete -c wasm-repl -a '(__fish_wasm_files wasm wat)'

complete -c wasm-repl -l history -r -F -d 'Keep the line history in FILE'
complete -c wasm-repl -l no-history -d 'Keep no history'
complete -c wasm-repl -s q -l quiet -d 'No banner'
complete -c wasm-repl -s h -l help -d 'Show help'
complete -c wasm-repl -l version -d 'Print the version'
complete -c wasm-repl -l enable-all -d 'Enable all implemented features'
for f in mutable-globals sign-extension saturating-float-to-int multi-value \
        bulk-memory reference-types simd tail-call extended-const multi-memory \
        memory64 threads exceptions relaxed-simd function-references gc annotations
    complete -c wasm-repl -l enable-$f -d "Enable $f"
    complete -c wasm-repl -l disable-$f -d "Disable $f"
end
