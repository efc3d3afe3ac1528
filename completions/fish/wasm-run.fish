# fish completion for wasm-run (libwasm)

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

# True until the module (FILE) is on the line: the words after it are the
# guest's, not options.
function __fish_wasm_run_before_file
    set -l words (commandline -opc)
    set -e words[1]
    set -l valued --dir --dir-ro --env --invoke --argv0 --fuel --timeout \
        --max-memory --max-stack --tcplisten
    while set -q words[1]
        switch $words[1]
            case --
                return 1
            case $valued
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

set -l opts -n __fish_wasm_run_before_file
complete -c wasm-run $opts -l dir -x -a '(__fish_wasm_dirs)' -d 'Grant a host directory (HOST[::GUEST])'
complete -c wasm-run $opts -l dir-ro -x -a '(__fish_wasm_dirs)' -d 'Grant a host directory read-only'
complete -c wasm-run $opts -l env -x -a '(set -xn)' -d 'Set a guest environment variable (NAME=VAL or NAME)'
complete -c wasm-run $opts -l invoke -x -d 'Call this export with the arguments'
complete -c wasm-run $opts -l argv0 -x -d "The guest's argv[0]"
complete -c wasm-run $opts -l fuel -x -d 'Trap after N units of fuel'
complete -c wasm-run $opts -l timeout -x -d 'Interrupt the guest after SECONDS'
complete -c wasm-run $opts -l max-memory -x -d 'Largest linear memory in bytes'
complete -c wasm-run $opts -l max-stack -x -d 'Largest value stack in bytes'
complete -c wasm-run $opts -l tcplisten -x -d 'Listen on HOST:PORT'
complete -c wasm-run $opts -l enable-all -d 'Enable all implemented features'
complete -c wasm-run $opts -s h -l help -d 'Show help'
complete -c wasm-run $opts -l version -d 'Print the version'
for f in mutable-globals sign-extension saturating-float-to-int multi-value \
        bulk-memory reference-types simd tail-call extended-const multi-memory \
        memory64 threads exceptions relaxed-simd function-references gc annotations
    complete -c wasm-run $opts -l enable-$f -d "Enable $f"
    complete -c wasm-run $opts -l disable-$f -d "Disable $f"
end
