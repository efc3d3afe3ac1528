# wasm-pack: what is not an option (completions/gen-fish adds the options).

# The bundle named after "extract" and its options; false until there is one.
function __fish_wasm_pack_bundle
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
                echo $words[1]
                return 0
        end
    end
    return 1
end

function __fish_wasm_pack_bundle_named
    __fish_wasm_pack_bundle >/dev/null
end

# That bundle's entries, as "wasm-pack list" prints their paths.
function __fish_wasm_pack_entries
    set -l cmd (commandline -opc)[1]
    set -l bundle (__fish_wasm_pack_bundle); or return
    test -f $bundle; and command -q $cmd; or return
    $cmd list $bundle 2>/dev/null | string replace -rf -- '^\S+ +[0-9]+ +block +[0-9]+ +' ''
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
