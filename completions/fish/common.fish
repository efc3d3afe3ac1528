# Functions every generated completion file starts with (completions/gen-fish):
# fish loads one file per command, so each carries its own copy.

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
