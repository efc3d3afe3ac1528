#!/bin/sh
# wasm-repl on a real terminal (a tmux pane on a private server): tab
# completion, history recall with Up across sessions, Ctrl-C clearing the
# line and stopping a running guest, Ctrl-D leaving.  SKIP without tmux.
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
ROOT=$(pwd)
REPL="$ROOT/$BUILD/wasm-repl"
case $BUILD in /*) REPL="$BUILD/wasm-repl" ;; esac
pass=0
fail=0

if ! command -v tmux >/dev/null 2>&1; then
    echo "SKIP: tmux is not installed; the terminal test did not run"
    echo "0 passed, 0 failed"
    exit 0
fi
if [ ! -x "$REPL" ]; then
    echo "FAIL: $REPL is not built"
    echo "0 passed, 1 failed"
    exit 1
fi

T=$(mktemp -d)
SOCK="wasm-repl-test-$$"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
SOCK_FILE="${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
trap 'tm kill-server 2>/dev/null; rm -f "$SOCK_FILE"; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

screen() { tm capture-pane -p -S -500 -t repl 2>/dev/null; }

# Wait up to 5 s until the screen has at least $2 lines matching $1.
wait_for() {
    i=0
    while [ $i -lt 50 ]; do
        [ "$(screen | grep -c -- "$1")" -ge "${2:-1}" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

check() {
    if wait_for "$2" "$3"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $1 (no line matching '$2' x${3:-1}); the screen:"
        screen | sed -e '/^$/d' -e 's/^/    | /' | tail -n 20
    fi
}

# The session ends (Ctrl-D) within 5 s.
check_gone() {
    i=0
    while [ $i -lt 50 ] && tm has-session -t repl 2>/dev/null; do
        sleep 0.1
        i=$((i + 1))
    done
    if tm has-session -t repl 2>/dev/null; then
        fail=$((fail + 1))
        echo "FAIL: $1: the session is still running"
    else
        pass=$((pass + 1))
    fi
}

# start [WASM_REPL_HISTORY=VALUE|""] [OPTIONS]: a session on loop.wat; ""
# leaves the variable unset.
start() {
    tm new-session -d -s repl -x 120 -y 40 \
        "env -u WASM_REPL_HISTORY HOME='$T' TERM=xterm NO_COLOR=1 $1 '$REPL' -q $2 tests/repl/loop.wat"
}

# A session that runs one line and leaves.
one_line() {
    start "$1" "$2"
    check "$3: prompt" '^loop> *$'
    keys "$4" Enter C-d
    check_gone "$3: Ctrl-D leaves"
}

file_has() {
    if grep -qx "$2" "$1" 2>/dev/null; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $3: '$2' is not in $1"
    fi
}

keys() { tm send-keys -t repl "$@"; }

start "WASM_REPL_HISTORY='$T/history'"
check "prompt" '^loop> *$'

# Completion: an export name, a command, a file after :load.
keys 'ans' Tab
check "export name completed" '^loop> answer *$'
keys Enter
check "completed call runs" '^i32: 42$'
keys ':exp' Tab Enter
check "command completed" '^func spin_forever()$'
keys ':load tests/repl/loo' Tab
check "file name completed" '^loop> :load tests/repl/loop\.wat *$'
keys Enter
check "completed file loads" '^loaded loop (3 exports)$' 2

# History: Up recalls the last line.
keys 'add 1000 234' Enter
check "call" '^i32: 1234$'
keys Up
check "Up recalls the line" '^loop> add 1000 234$'
keys Enter
check "recalled line runs" '^i32: 1234$' 2

# Ctrl-C at the prompt drops the line (and an unfinished module).
keys 'not a command'
check "typed" '^loop> not a command$'
keys C-c
check "Ctrl-C shows ^C" '^loop> not a command^C$'
keys 'add 1 1' Enter
check "the next line runs alone" '^i32: 2$'
keys '(module' Enter '(func' C-c
keys 'add 2 2' Enter
check "Ctrl-C drops an unfinished module" '^i32: 4$'

# Ctrl-C stops a guest in an infinite loop; the prompt comes back.
keys 'spin_forever' Enter
check "the guest runs" '^spinning$'
keys C-c
check "Ctrl-C interrupts the guest" 'error: trap: interrupted'
check "backtrace" '^  at spin_forever (func\[1\])$'

# A module typed over several lines gets the continuation prompt; one
# pasted (bracketed paste: lines and all, then Enter) loads too.
keys '(module $typed' Enter
check "continuation prompt" '^ *\.\.\.> *$'
keys '  (func (export "three") (result i32) i32.const 3))' Enter 'three' Enter
check "typed module" '^i32: 3$'
printf '(module $pasted\n  ;; a ( in a comment\n  (func (export "twice") (param i32) (result i32)\n    (i32.mul (local.get 0) (i32.const 2))))\ntwice 50\n' >"$T/paste"
tm load-buffer -b paste "$T/paste"
tm paste-buffer -p -d -b paste -t repl
keys Enter
check "pasted module and call" '^i32: 100$'
check "prompt names the current instance" '^pasted> *$'
keys ':use loop' Enter
keys 'add 3 3' Enter
check "the session goes on" '^i32: 6$'

# Ctrl-D leaves; the history was kept and comes back in a new session.
keys C-d
check_gone "Ctrl-D leaves"
if grep -qx 'add 1000 234' "$T/history" 2>/dev/null && ! grep -q 'not a command' "$T/history"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: history file: want 'add 1000 234' and no cancelled line; have:"
    sed 's/^/    | /' "$T/history" 2>/dev/null
fi
start "WASM_REPL_HISTORY='$T/history'"
check "second session" '^loop> *$'
keys Up
check "Up recalls the last session's line" '^loop> add 3 3$'
keys Up
check "and older ones" '^loop> :use loop$'
keys C-u ':quit' Enter
check_gone ":quit leaves"

# Where the history goes: --history FILE over the variable, the variable
# over ~/.wasm_repl_history; --no-history keeps none.
one_line "WASM_REPL_HISTORY='$T/history'" "--history '$T/h2'" "--history" "add 5 5"
file_has "$T/h2" "add 5 5" "--history FILE"
one_line "WASM_REPL_HISTORY=" "" "empty WASM_REPL_HISTORY" "add 6 6"
one_line "" "" "default history" "add 7 7"
file_has "$T/.wasm_repl_history" "add 7 7" "~/.wasm_repl_history"
one_line "" "--no-history" "--no-history" "add 8 8"
if grep -q 'add \([568]\) \1' "$T/.wasm_repl_history" "$T/history"; then
    fail=$((fail + 1))
    echo "FAIL: a line went to the wrong history (--history, empty WASM_REPL_HISTORY, --no-history)"
else
    pass=$((pass + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
