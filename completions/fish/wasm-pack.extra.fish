# wasm-pack: what is not an option (completions/gen-fish adds the options).

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

complete -c wasm-pack -f
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -a create -d 'Make a bundle'
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -a list -d 'The entries: kind, size, block, path'
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -a info -d 'The manifest, sizes and compression ratio'
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -a extract -d 'Write entries under a directory'
complete -c wasm-pack -n "not __fish_seen_subcommand_from $commands" -a verify -d 'Check every hash and every frame'

complete -c wasm-pack -n '__fish_seen_subcommand_from list info verify' -a '(__fish_wasm_files wpk)'
complete -c wasm-pack -n '__fish_seen_subcommand_from extract; and not __fish_wasm_pack_bundle_named' -a '(__fish_wasm_files wpk)'
complete -c wasm-pack -n __fish_wasm_pack_bundle_named -a '(__fish_wasm_pack_entries)'
