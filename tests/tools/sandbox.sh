#!/bin/sh
# Attacks on the WASI sandbox: a guest (tests/wasi/probe.c) tries to read,
# write, list, stat, rename, link and symlink its way out of its preopen
# through "..", absolute paths and symlinks.  Each case checks the exact
# answer and that nothing outside the preopen was read, written, listed
# or statted (atimes, mtimes, sizes and names of the outside tree).  Every
# case runs twice: with openat2 and with the component walk.
cd "$(dirname "$0")/../.." || exit 2
. tests/wasi/common.sh
require_run_and_cc
guest probe || { finish; exit 1; }

O=$T/outside
R=$T/root
RO=$T/ro
mkdir -p "$O/dir" "$R/dir/sub" "$RO"
echo secret > "$O/secret"
echo keep > "$RO/keep"
echo inside > "$R/file"
ln -s .. "$R/up"
ln -s "$O/secret" "$R/abs"
ln -s ../outside/secret "$R/out"
ln -s ../outside "$R/outdir"
ln -s ../outside/new "$R/dangle_out"
ln -s newinside "$R/dangle_in"
ln -s loop2 "$R/loop1"
ln -s loop1 "$R/loop2"
ln -s self "$R/self"
ln -s ../../outside "$R/dir/up2"
ln -s /etc "$R/etc"
ln -s sub/../../.. "$R/dir/tricky"
ln -s ../file "$R/dir/back"

# What can be seen of the outside tree without reading it; atimes are
# reset so that any read or listing by the guest shows.
old_atimes() { touch -h -a -d 2000-01-01 "$O" "$O/dir" "$O/secret" "$T"; }
snapshot() {
    stat -c '%n %s %Y %X' "$O" "$O/dir" "$O/secret" "$T"
    ls -A "$O" "$O/dir" "$T"
    cat "$O/secret"
}
old_atimes
base=$(snapshot)
old_atimes
ro_base=$(ls -lA --time-style=+%s "$RO"; cat "$RO/keep")

mode=openat2
# t WANT OP PATH [ARG]: run the probe on root, check answer and outside.
t() {
    want=$1; shift
    got=$("$RUN" --dir "$R::/" "$T/probe.wasm" "$@" 2>&1)
    expect "[$mode] $*" "$want" "$got"
    now=$(snapshot)
    if [ "$now" != "$base" ]; then
        bad "[$mode] $*: the outside tree changed"
        printf '%s\n' "$now" | diff - "$(printf '%s\n' "$base" > "$T/base"; echo "$T/base")" | head -5
        base=$now
    fi
    old_atimes
}
# r WANT OP PATH [ARG]: the same on the read-only preopen.
r() {
    want=$1; shift
    got=$("$RUN" --dir-ro "$RO::/" "$T/probe.wasm" "$@" 2>&1)
    expect "[$mode] ro $*" "$want" "$got"
    now=$(ls -lA --time-style=+%s "$RO"; cat "$RO/keep")
    [ "$now" = "$ro_base" ] || { bad "[$mode] ro $*: the read-only tree changed"; ro_base=$now; }
}

attacks() {
    t "errno 76" read ../outside/secret
    t "errno 76" read /etc/passwd
    t "errno 76" read "$O/secret"
    t "errno 76" read up/outside/secret
    t "errno 76" read abs
    t "errno 76" read out
    t "errno 76" read outdir/secret
    t "errno 76" read dir/up2/secret
    t "errno 76" read dir/tricky/outside/secret
    t "errno 76" read dir/../../outside/secret
    t "errno 76" read etc/passwd
    t "errno 76" read-nofollow etc/passwd
    t "errno 32" read loop1
    t "errno 32" stat self
    t "errno 32" read-nofollow out
    t "ok inside" read dir/back
    t "ok inside" read dir/sub/../../file
    t "errno 54" read file/
    t "errno 44" read ""
    t "errno 76" list ..
    t "errno 76" list up
    t "errno 76" list outdir
    t "errno 76" list outdir/
    t "errno 76" list dir/up2
    t "errno 76" list /
    t "errno 76" stat ../outside/secret
    t "errno 76" stat out
    t "errno 76" stat outdir/secret
    t "errno 76" stat dangle_out
    t "ok type 7" lstat out
    t "ok ../outside/secret" readlink out
    t "errno 76" readlink outdir/x
    t "errno 76" create dangle_out
    t "errno 76" create outdir/new
    t "errno 76" create ../outside/new
    t "errno 76" write out
    t "errno 76" trunc out
    t "errno 76" trunc abs
    t "errno 20" create-excl dangle_in
    t "errno 76" mkdir ../outside/newdir
    t "errno 76" mkdir outdir/newdir
    t "errno 76" rmdir ../outside/dir
    t "errno 76" rmdir outdir/dir
    t "errno 76" unlink ../outside/secret
    t "errno 76" unlink outdir/secret
    t "errno 76" rename file ../outside/moved
    t "errno 76" rename ../outside/secret stolen
    t "errno 76" rename outdir/secret stolen
    t "errno 76" rename file outdir/moved
    t "errno 76" link ../outside/secret hard
    t "errno 76" link out hard
    t "errno 76" link file outdir/hard
    t "errno 63" symlink newlink "$O/secret"
    t "errno 76" symlink outdir/newlink file
    t "ok" symlink esc ../outside/secret
    t "errno 76" read esc
    t "ok" unlink esc
    t "errno 76" utimes out
    t "errno 76" utimes ../outside/secret
    t "errno 76" utimes outdir
    t "ok" create dangle_in
    expect "[$mode] create through an inside symlink" "pwned" "$(cat "$R/newinside")"
    rm -f "$R/newinside"
    t "ok 1 1" write-rights .
    r "ok 0 0" write-rights .
    r "ok keep" read keep
    r "ok . .. keep" list .
    # opening to write is refused at open time: EROFS (69)
    r "errno 69" create new
    r "errno 69" write keep
    r "errno 69" trunc keep
    r "errno 76" mkdir d
    r "errno 76" unlink keep
    r "errno 76" rename keep k2
    r "errno 76" link keep k2
    r "errno 76" symlink l keep
    r "errno 76" utimes keep
}

attacks
mode=walk
LIBWASM_WASI_NO_OPENAT2=1
export LIBWASM_WASI_NO_OPENAT2
attacks
finish
