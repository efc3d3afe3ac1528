# fish completion for wasm-pack (libwasm)

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

# The entries of the bundle named after "extract" (and its options), as
# "wasm-pack list" prints their paths; nothing until a bundle is named.
function __fish_wasm_pack_entries
    set -l words (commandline -opc)
    set -l cmd $words[1]
    set -e words[1..2]
    while set -q words[1]
        switch $words[1]
            case -C
                set -e words[1..2]
            case '-*'
                set -e words[1]
            case '*'
                test -f $words[1]; and command -q $cmd; or return
                $cmd list $words[1] 2>/dev/null | string replace -rf -- '^\S+ +[0-9]+ +block +[0-9]+ +' ''
                return
        end
    end
    return 1
end

function __fish_wasm_pack_bundle_named
    __fish_seen_subcommand_from extract; or return 1
    set -l words (commandline -opc)
    set -e words[1..2]
    while set -q words[1]
        switch $words[1]
            case -C
                set -e words[1..2]
            case '-*'
                set -e words[1]
            case '*'
                return 0
        end
    end
    return 1
end

set -l commands create list info extract verify
set -l create '__fish_seen_subcommand_from create'

complete -c wasm-pack -f
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -a create -d 'Make a bundle'
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -a list -d 'The entries: kind, size, block, path'
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -a info -d 'The manifest, sizes and compression ratio'
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -a extract -d 'Write entries under a directory'
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -a verify -d 'Check every hash and every frame'
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -s h -l help -d 'Show help'
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -l version -d 'Print the version'

complete -c wasm-pack -n $create -s o -x -a '(__fish_wasm_files wpk)' -d 'The bundle to write'
complete -c wasm-pack -n $create -l entry -x -a '(__fish_wasm_files wasm wat)' -d 'The module wasm-run starts'
complete -c wasm-pack -n $create -l module -x -a '(__fish_wasm_files wasm wat)' -d 'Another module to carry'
complete -c wasm-pack -n $create -l asset -x -a '(__fish_wasm_dirs)' -d 'Files under DIR, mounted read-only (DIR[::GUEST])'
complete -c wasm-pack -n $create -l arg -x -d 'A default argument'
complete -c wasm-pack -n $create -l env -x -d 'A default environment variable (NAME=VALUE)'
complete -c wasm-pack -n $create -l name -x -d 'Name recorded in the manifest'
complete -c wasm-pack -n $create -l version -x -d 'Version recorded in the manifest'
complete -c wasm-pack -n $create -l level -x -a '(seq 1 22)' -d 'zstd level (default 19)'
complete -c wasm-pack -n $create -l long -d 'Long-distance matching (128 MiB window)'
complete -c wasm-pack -n $create -s h -l help -d 'Show help'
complete -c wasm-pack -n $create -l enable-all -d 'Enable all implemented features'
for f in mutable-globals sign-extension saturating-float-to-int multi-value \
        bulk-memory reference-types simd tail-call extended-const multi-memory \
        memory64 threads exceptions relaxed-simd function-references gc annotations
    complete -c wasm-pack -n $create -l enable-$f -d "The modules need $f"
    complete -c wasm-pack -n $create -l disable-$f -d "The modules do not use $f"
end

complete -c wasm-pack -n '__fish_seen_subcommand_from list info verify' -a '(__fish_wasm_files wpk)'
complete -c wasm-pack -n '__fish_seen_subcommand_from extract; and not __fish_wasm_pack_bundle_named' -s C -x -a '(__fish_wasm_dirs)' -d 'Write the entries under DIR'
complete -c wasm-pack -n '__fish_seen_subcommand_from extract; and not __fish_wasm_pack_bundle_named' -a '(__fish_wasm_files wpk)'
complete -c wasm-pack -n __fish_wasm_pack_bundle_named -a '(__fish_wasm_pack_entries)'
