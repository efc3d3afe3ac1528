# fish completion for wasm-spec (libwasm)

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

complete -c wasm-spec -f
complete -c wasm-spec -a '(__fish_wasm_files wast)'

complete -c wasm-spec -s v -l verbose -d 'Print every failure as FILE:LINE: message'
complete -c wasm-spec -l filter -x -d 'Only run files whose name contains SUBSTR'
complete -c wasm-spec -l expected-failures -r -F -d 'Failures listed in this file do not count'
complete -c wasm-spec -l write-expected -r -F -d 'Write every failing check to this file'
complete -c wasm-spec -l no-text-messages -d 'Do not compare messages of malformed text modules'
complete -c wasm-spec -l timeout -x -d 'Interrupt a command after SECONDS'
complete -c wasm-spec -l summary -d 'Totals per command kind at the end'
complete -c wasm-spec -l isolate -d 'Run each file in a child process'
complete -c wasm-spec -s h -l help -d 'Show help'
complete -c wasm-spec -l version -d 'Print the version'
complete -c wasm-spec -l enable-all -d 'Enable all implemented features'
for f in mutable-globals sign-extension saturating-float-to-int multi-value \
        bulk-memory reference-types simd tail-call extended-const multi-memory \
        memory64 threads exceptions relaxed-simd function-references gc annotations
    complete -c wasm-spec -l enable-$f -d "Enable $f"
    complete -c wasm-spec -l disable-$f -d "Disable $f"
end
