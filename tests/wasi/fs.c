/* Every fd_* and path_* function through the raw WASI API, with the exact
 * errno each case must give.  Run with one preopened, empty, writable
 * directory (fd 3) named by argv[1].  Prints "ok NAME" or "FAIL NAME ..."
 * per check; leaves "out.txt" behind for the host to check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

#define DIR 3

static int failures;

static void check(const char *name, int got, int want)
{
    if (got == want)
        printf("ok %s\n", name);
    else {
        printf("FAIL %s: got %d, want %d\n", name, got, want);
        failures++;
    }
}

static void check_true(const char *name, int cond)
{
    check(name, cond ? 1 : 0, 1);
}

static __wasi_fd_t open_at(__wasi_fd_t dir, const char *path, __wasi_lookupflags_t look,
                           __wasi_oflags_t of, __wasi_rights_t base, __wasi_fdflags_t fl,
                           int *err)
{
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    *err = __wasi_path_open(dir, look, path, of, base, base, fl, &fd);
    return fd;
}

static const __wasi_rights_t RW = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE |
    __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET |
    __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES |
    __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_DATASYNC |
    __WASI_RIGHTS_FD_SYNC | __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS;

static size_t write_str(__wasi_fd_t fd, const char *a, const char *b, int *err)
{
    __wasi_ciovec_t iov[2] = {{(const uint8_t *)a, strlen(a)}, {(const uint8_t *)b, strlen(b)}};
    size_t n = 0;
    *err = __wasi_fd_write(fd, iov, 2, &n);
    return n;
}

static size_t read_n(__wasi_fd_t fd, char *buf, size_t len, int *err)
{
    __wasi_iovec_t iov = {(uint8_t *)buf, len};
    size_t n = 0;
    *err = __wasi_fd_read(fd, &iov, 1, &n);
    buf[n] = 0;
    return n;
}

static void test_prestat(const char *name)
{
    __wasi_prestat_t ps;
    check("prestat_get", __wasi_fd_prestat_get(DIR, &ps), 0);
    check("prestat_tag", ps.tag, __WASI_PREOPENTYPE_DIR);
    check("prestat_len", (int)ps.u.dir.pr_name_len, (int)strlen(name));
    char buf[64] = {0};
    check("prestat_dir_name", __wasi_fd_prestat_dir_name(DIR, (uint8_t *)buf, sizeof buf), 0);
    check_true("prestat_dir_name_value", strcmp(buf, name) == 0);
    check("prestat_dir_name_short",
          __wasi_fd_prestat_dir_name(DIR, (uint8_t *)buf, 1), __WASI_ERRNO_NAMETOOLONG);
    check("prestat_get_stdin", __wasi_fd_prestat_get(0, &ps), __WASI_ERRNO_BADF);
    check("prestat_get_bad", __wasi_fd_prestat_get(999, &ps), __WASI_ERRNO_BADF);
    __wasi_fdstat_t st;
    check("fdstat_get_dir", __wasi_fd_fdstat_get(DIR, &st), 0);
    check("fdstat_dir_type", st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
    check_true("fdstat_dir_rights", (st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN) != 0);
    check("fdstat_get_bad", __wasi_fd_fdstat_get(77, &st), __WASI_ERRNO_BADF);
}

static void test_io(void)
{
    int e;
    check("mkdir", __wasi_path_create_directory(DIR, "d"), 0);
    check("mkdir_exists", __wasi_path_create_directory(DIR, "d"), __WASI_ERRNO_EXIST);
    __wasi_fd_t f = open_at(DIR, "d/f", 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RW, 0, &e);
    check("open_creat", e, 0);
    check("write_len", (int)write_str(f, "hello ", "world", &e), 11);
    check("write", e, 0);
    __wasi_filesize_t pos = 99;
    check("tell", __wasi_fd_tell(f, &pos), 0);
    check("tell_value", (int)pos, 11);
    check("seek_set", __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos), 0);
    char buf[64];
    check("read_len", (int)read_n(f, buf, 5, &e), 5);
    check_true("read_value", strcmp(buf, "hello") == 0);
    check("seek_end", __wasi_fd_seek(f, -5, __WASI_WHENCE_END, &pos), 0);
    check("seek_end_value", (int)pos, 6);
    check("seek_cur", __wasi_fd_seek(f, 1, __WASI_WHENCE_CUR, &pos), 0);
    check("seek_cur_value", (int)pos, 7);
    check("seek_bad_whence", __wasi_fd_seek(f, 0, 3, &pos), __WASI_ERRNO_INVAL);
    check("seek_negative", __wasi_fd_seek(f, -100, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_INVAL);
    __wasi_iovec_t iov = {(uint8_t *)buf, 5};
    size_t n = 0;
    check("pread", __wasi_fd_pread(f, &iov, 1, 6, &n), 0);
    buf[n] = 0;
    check_true("pread_value", strcmp(buf, "world") == 0);
    __wasi_fd_tell(f, &pos);
    check("pread_keeps_pos", (int)pos, 7);
    __wasi_ciovec_t ciov = {(const uint8_t *)"HELLO", 5};
    check("pwrite", __wasi_fd_pwrite(f, &ciov, 1, 0, &n), 0);
    check("pwrite_len", (int)n, 5);
    __wasi_fd_pread(f, &iov, 1, 0, &n);
    buf[n] = 0;
    check_true("pwrite_value", strcmp(buf, "HELLO") == 0);
    __wasi_filestat_t fs;
    check("filestat_get", __wasi_fd_filestat_get(f, &fs), 0);
    check("filestat_size", (int)fs.size, 11);
    check("filestat_type", fs.filetype, __WASI_FILETYPE_REGULAR_FILE);
    check("filestat_nlink", (int)fs.nlink, 1);
    check("set_size_shrink", __wasi_fd_filestat_set_size(f, 4), 0);
    __wasi_fd_filestat_get(f, &fs);
    check("set_size_shrink_value", (int)fs.size, 4);
    check("set_size_grow", __wasi_fd_filestat_set_size(f, 20), 0);
    __wasi_fd_filestat_get(f, &fs);
    check("set_size_grow_value", (int)fs.size, 20);
    check("set_times", __wasi_fd_filestat_set_times(f, 1000000000000ull, 2000000000123ull,
          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0);
    __wasi_fd_filestat_get(f, &fs);
    check_true("set_times_value", fs.atim == 1000000000000ull && fs.mtim == 2000000000123ull);
    check("set_times_both", __wasi_fd_filestat_set_times(f, 0, 0,
          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW), __WASI_ERRNO_INVAL);
    check("set_times_now", __wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), 0);
    __wasi_fd_filestat_get(f, &fs);
    check_true("set_times_now_value", fs.mtim > 2000000000123ull && fs.atim == 1000000000000ull);
    check("advise", __wasi_fd_advise(f, 0, 0, __WASI_ADVICE_SEQUENTIAL), 0);
    check("advise_bad", __wasi_fd_advise(f, 0, 0, 9), __WASI_ERRNO_INVAL);
    check("allocate", __wasi_fd_allocate(f, 0, 100), 0);
    __wasi_fd_filestat_get(f, &fs);
    check("allocate_size", (int)fs.size, 100);
    check("datasync", __wasi_fd_datasync(f), 0);
    check("sync", __wasi_fd_sync(f), 0);
    __wasi_fd_filestat_set_size(f, 0);
    check("set_flags_append", __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_APPEND), 0);
    __wasi_fdstat_t st;
    __wasi_fd_fdstat_get(f, &st);
    check("fdstat_flags", st.fs_flags, __WASI_FDFLAGS_APPEND);
    check("fdstat_type", st.fs_filetype, __WASI_FILETYPE_REGULAR_FILE);
    __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos);
    write_str(f, "ab", "", &e);
    __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos);
    write_str(f, "cd", "", &e);
    __wasi_fd_filestat_get(f, &fs);
    check("append_size", (int)fs.size, 4);
    check("set_flags_bad", __wasi_fd_fdstat_set_flags(f, 0x100), __WASI_ERRNO_INVAL);
    check("set_flags_none", __wasi_fd_fdstat_set_flags(f, 0), 0);
    check("set_rights_narrow", __wasi_fd_fdstat_set_rights(f, RW & ~__WASI_RIGHTS_FD_WRITE, 0), 0);
    write_str(f, "x", "", &e);
    check("write_without_right", e, __WASI_ERRNO_NOTCAPABLE);
    check("set_rights_widen", __wasi_fd_fdstat_set_rights(f, RW, 0), __WASI_ERRNO_NOTCAPABLE);
    __wasi_fd_t g = open_at(DIR, "d/g", 0, __WASI_OFLAGS_CREAT, RW, 0, &e);
    check("open_second", e, 0);
    check("renumber", __wasi_fd_renumber(f, g), 0);
    check("renumber_from_closed", __wasi_fd_close(f), __WASI_ERRNO_BADF);
    __wasi_fd_filestat_get(g, &fs);
    check("renumber_moved", (int)fs.size, 4);
    check("renumber_bad", __wasi_fd_renumber(g, 500), __WASI_ERRNO_BADF);
    check("close", __wasi_fd_close(g), 0);
    check("close_again", __wasi_fd_close(g), __WASI_ERRNO_BADF);
    read_n(DIR, buf, 4, &e);
    check("read_dir", e, __WASI_ERRNO_NOTCAPABLE);
    check("unlink_g", __wasi_path_unlink_file(DIR, "d/g"), 0);
}

static void test_paths(void)
{
    int e;
    __wasi_filestat_t fs;
    check("path_filestat", __wasi_path_filestat_get(DIR, 0, "d/f", &fs), 0);
    check("path_filestat_size", (int)fs.size, 4);
    check("path_filestat_noent", __wasi_path_filestat_get(DIR, 0, "nope", &fs), __WASI_ERRNO_NOENT);
    check("path_filestat_notdir", __wasi_path_filestat_get(DIR, 0, "d/f/x", &fs), __WASI_ERRNO_NOTDIR);
    check("symlink", __wasi_path_symlink("f", DIR, "d/lnk"), 0);
    check("symlink_exists", __wasi_path_symlink("f", DIR, "d/lnk"), __WASI_ERRNO_EXIST);
    check("symlink_abs", __wasi_path_symlink("/etc/passwd", DIR, "d/abs"), __WASI_ERRNO_PERM);
    check("symlink_long", __wasi_path_symlink("abcdefgh", DIR, "d/long"), 0);
    char buf[64] = {0};
    size_t n = 0;
    check("readlink", __wasi_path_readlink(DIR, "d/lnk", (uint8_t *)buf, sizeof buf, &n), 0);
    check_true("readlink_value", n == 1 && buf[0] == 'f');
    check("readlink_short", __wasi_path_readlink(DIR, "d/long", (uint8_t *)buf, 4, &n), 0);
    check_true("readlink_truncated", n == 4 && memcmp(buf, "abcd", 4) == 0);
    check("readlink_file", __wasi_path_readlink(DIR, "d/f", (uint8_t *)buf, 4, &n), __WASI_ERRNO_INVAL);
    check("lstat_link", __wasi_path_filestat_get(DIR, 0, "d/lnk", &fs), 0);
    check("lstat_link_type", fs.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
    check("stat_link", __wasi_path_filestat_get(DIR, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "d/lnk", &fs), 0);
    check("stat_link_type", fs.filetype, __WASI_FILETYPE_REGULAR_FILE);
    check("path_set_times", __wasi_path_filestat_set_times(DIR, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW,
          "d/lnk", 5000000000ull, 6000000000ull, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0);
    __wasi_path_filestat_get(DIR, 0, "d/f", &fs);
    check_true("path_set_times_value", fs.atim == 5000000000ull && fs.mtim == 6000000000ull);
    check("path_set_times_nofollow", __wasi_path_filestat_set_times(DIR, 0, "d/lnk",
          7000000000ull, 7000000000ull, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM), 0);
    __wasi_path_filestat_get(DIR, 0, "d/f", &fs);
    check_true("path_set_times_nofollow_target", fs.mtim == 6000000000ull);
    __wasi_path_filestat_get(DIR, 0, "d/lnk", &fs);
    check_true("path_set_times_nofollow_link", fs.mtim == 7000000000ull);
    open_at(DIR, "d/lnk", 0, 0, __WASI_RIGHTS_FD_READ, 0, &e);
    check("open_link_nofollow", e, __WASI_ERRNO_LOOP);
    __wasi_fd_t f = open_at(DIR, "d/lnk", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0,
                            __WASI_RIGHTS_FD_READ, 0, &e);
    check("open_link_follow", e, 0);
    __wasi_fd_close(f);
    open_at(DIR, "d/f", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, &e);
    check("open_notdir", e, __WASI_ERRNO_NOTDIR);
    open_at(DIR, "d/f", 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RW, 0, &e);
    check("open_excl", e, __WASI_ERRNO_EXIST);
    /* a directory cannot be opened to write, with O_DIRECTORY or without */
    open_at(DIR, "d", 0, 0, __WASI_RIGHTS_FD_WRITE, 0, &e);
    check("open_dir_write", e, __WASI_ERRNO_ISDIR);
    open_at(DIR, "d", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_WRITE, 0, &e);
    check("open_dir_o_directory_write", e, __WASI_ERRNO_ISDIR);
    open_at(DIR, "d", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_ALLOCATE, 0, &e);
    check("open_dir_o_directory_allocate", e, __WASI_ERRNO_ISDIR);
    open_at(DIR, "d", 0, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_FILESTAT_SET_SIZE, 0, &e);
    check("open_dir_o_directory_set_size", e, __WASI_ERRNO_ISDIR);
    open_at(DIR, "d/none", 0, 0, __WASI_RIGHTS_FD_READ, 0, &e);
    check("open_noent", e, __WASI_ERRNO_NOENT);
    open_at(DIR, "../x", 0, 0, __WASI_RIGHTS_FD_READ, 0, &e);
    check("open_dotdot", e, __WASI_ERRNO_NOTCAPABLE);
    open_at(DIR, "/etc/passwd", 0, 0, __WASI_RIGHTS_FD_READ, 0, &e);
    check("open_absolute", e, __WASI_ERRNO_NOTCAPABLE);
    /* Rights the directory does not pass on are dropped, not refused. */
    f = open_at(DIR, "d/f", 0, 0, __WASI_RIGHTS_SOCK_ACCEPT | __WASI_RIGHTS_FD_READ, 0, &e);
    check("open_rights_beyond", e, 0);
    __wasi_fdstat_t beyond = {0};
    __wasi_fd_fdstat_get(f, &beyond);
    check("open_rights_beyond_dropped", (beyond.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT) != 0, 0);
    check("open_rights_beyond_kept", (beyond.fs_rights_base & __WASI_RIGHTS_FD_READ) != 0, 1);
    __wasi_fd_close(f);
    check("link", __wasi_path_link(DIR, 0, "d/f", DIR, "d/hard"), 0);
    __wasi_path_filestat_get(DIR, 0, "d/f", &fs);
    check("link_nlink", (int)fs.nlink, 2);
    check("link_exists", __wasi_path_link(DIR, 0, "d/f", DIR, "d/hard"), __WASI_ERRNO_EXIST);
    check("rename", __wasi_path_rename(DIR, "d/hard", DIR, "d/hard2"), 0);
    check("rename_gone", __wasi_path_filestat_get(DIR, 0, "d/hard", &fs), __WASI_ERRNO_NOENT);
    check("rename_noent", __wasi_path_rename(DIR, "d/hard", DIR, "d/x"), __WASI_ERRNO_NOENT);
    check("unlink", __wasi_path_unlink_file(DIR, "d/hard2"), 0);
    check("unlink_noent", __wasi_path_unlink_file(DIR, "d/hard2"), __WASI_ERRNO_NOENT);
    check("unlink_dir", __wasi_path_unlink_file(DIR, "d"), __WASI_ERRNO_ISDIR);
    check("rmdir_notempty", __wasi_path_remove_directory(DIR, "d"), __WASI_ERRNO_NOTEMPTY);
    check("rmdir_file", __wasi_path_remove_directory(DIR, "d/f"), __WASI_ERRNO_NOTDIR);
    check("mkdir_sub", __wasi_path_create_directory(DIR, "d/sub"), 0);
    check("rename_dir", __wasi_path_rename(DIR, "d/sub", DIR, "d/sub2"), 0);
    check("rmdir", __wasi_path_remove_directory(DIR, "d/sub2"), 0);
    check("rmdir_noent", __wasi_path_remove_directory(DIR, "d/sub2"), __WASI_ERRNO_NOENT);
    check("unlink_trailing_slash", __wasi_path_unlink_file(DIR, "d/f/"), __WASI_ERRNO_NOTDIR);
    check("mkdir_trailing_slash", __wasi_path_create_directory(DIR, "d/t/"), 0);
    check("stat_trailing_slash", __wasi_path_filestat_get(DIR, 0, "d/t/", &fs), 0);
    check("stat_file_trailing_slash", __wasi_path_filestat_get(DIR, 0, "d/f/", &fs), __WASI_ERRNO_NOTDIR);
    check("stat_link_trailing_slash", __wasi_path_filestat_get(DIR, 0, "d/lnk/", &fs), __WASI_ERRNO_NOTDIR);
    check("rename_file_trailing_slash", __wasi_path_rename(DIR, "d/f/", DIR, "d/f2"), __WASI_ERRNO_NOTDIR);
    check("rename_dir_trailing_slash", __wasi_path_rename(DIR, "d/t/", DIR, "d/t2/"), 0);
    check("rmdir_trailing_slash", __wasi_path_remove_directory(DIR, "d/t2/"), 0);
    check("stat_dotdot_inside", __wasi_path_filestat_get(DIR, 0, "d/../d/./f", &fs), 0);
    check("empty_path", __wasi_path_create_directory(DIR, ""), __WASI_ERRNO_NOENT);
}

/* Names listed from `cookie` with a buffer of `len` bytes. */
static int list(__wasi_fd_t fd, __wasi_dircookie_t cookie, size_t len, char *names,
                size_t *used)
{
    static uint8_t buf[4096];
    int e = __wasi_fd_readdir(fd, buf, len, cookie, used);
    names[0] = 0;
    size_t at = 0;
    while (!e && at + sizeof(__wasi_dirent_t) <= *used) {
        __wasi_dirent_t d;
        memcpy(&d, buf + at, sizeof d);
        at += sizeof d;
        if (at + d.d_namlen > *used)
            break;
        strncat(names, (char *)buf + at, d.d_namlen);
        strcat(names, " ");
        at += d.d_namlen;
    }
    return e;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_words(char *s)
{
    char *words[32];
    int n = 0;
    for (char *w = strtok(s, " "); w && n < 32; w = strtok(NULL, " "))
        words[n++] = w;
    qsort(words, n, sizeof *words, cmp_str);
    char out[512] = {0};
    for (int i = 0; i < n; i++) {
        strcat(out, words[i]);
        strcat(out, " ");
    }
    strcpy(s, out);
}

static void test_readdir(void)
{
    int e;
    __wasi_fd_t d = open_at(DIR, "d", 0, __WASI_OFLAGS_DIRECTORY,
                            __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN |
                            __WASI_RIGHTS_PATH_FILESTAT_GET, 0, &e);
    check("open_dir", e, 0);
    char names[512];
    size_t used;
    check("readdir", list(d, 0, 4096, names, &used), 0);
    check_true("readdir_not_full", used < 4096);
    sort_words(names);
    printf("readdir: %s\n", names);
    /* one entry at a time, following d_next */
    char all[512] = {0};
    __wasi_dircookie_t cookie = 0;
    uint8_t buf[sizeof(__wasi_dirent_t) + 256];
    for (int i = 0; i < 20; i++) {
        check("readdir_step", __wasi_fd_readdir(d, buf, sizeof buf, cookie, &used), 0);
        if (used == 0)
            break;
        __wasi_dirent_t ent;
        memcpy(&ent, buf, sizeof ent);
        strncat(all, (char *)buf + sizeof ent, ent.d_namlen);
        strcat(all, " ");
        cookie = ent.d_next;
    }
    sort_words(all);
    check_true("readdir_cookies", strcmp(all, names) == 0);
    check("readdir_truncated", __wasi_fd_readdir(d, buf, 30, 0, &used), 0);
    check("readdir_truncated_len", (int)used, 30);
    check("readdir_tiny", __wasi_fd_readdir(d, buf, 10, 0, &used), 0);
    check("readdir_tiny_len", (int)used, 10);
    check("readdir_past_end", __wasi_fd_readdir(d, buf, sizeof buf, 1000, &used), 0);
    check("readdir_past_end_len", (int)used, 0);
    check("readdir_file", __wasi_fd_readdir(0, buf, sizeof buf, 0, &used), __WASI_ERRNO_NOTCAPABLE);
    /* a path relative to an opened subdirectory */
    __wasi_filestat_t fs;
    check("open_dir_path", __wasi_path_filestat_get(d, 0, "f", &fs), 0);
    check("open_dir_escape", __wasi_path_filestat_get(d, 0, "../d/f", &fs), __WASI_ERRNO_NOTCAPABLE);
    __wasi_fd_close(d);
}

static void test_faults(void)
{
    __wasi_ciovec_t bad = {(const uint8_t *)0xfffffff0u, 100};
    size_t n;
    check("efault_iov_buf", __wasi_fd_write(1, &bad, 1, &n), __WASI_ERRNO_FAULT);
    check("efault_iovs", __wasi_fd_write(1, (const __wasi_ciovec_t *)0xfffffffcu, 1, &n),
          __WASI_ERRNO_FAULT);
    check("efault_ret", __wasi_fd_tell(DIR, (__wasi_filesize_t *)0xfffffffcu), __WASI_ERRNO_NOTCAPABLE);
    check("efault_stat", __wasi_fd_filestat_get(DIR, (__wasi_filestat_t *)0xffffffc0u), __WASI_ERRNO_FAULT);
    check("efault_random", __wasi_random_get((uint8_t *)0xffffff00u, 0x1000), __WASI_ERRNO_FAULT);
}

static void test_out(void)
{
    int e;
    __wasi_fd_t f = open_at(DIR, "out.txt", 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RW, 0, &e);
    write_str(f, "written by fs.c\n", "second part\n", &e);
    check("out_written", e, 0);
    __wasi_fd_close(f);
}

static void cleanup(void)
{
    check("cleanup_f", __wasi_path_unlink_file(DIR, "d/f"), 0);
    check("cleanup_lnk", __wasi_path_unlink_file(DIR, "d/lnk"), 0);
    check("cleanup_long", __wasi_path_unlink_file(DIR, "d/long"), 0);
    check("cleanup_d", __wasi_path_remove_directory(DIR, "d"), 0);
}

int main(int argc, char **argv)
{
    test_prestat(argc > 1 ? argv[1] : ".");
    test_io();
    test_paths();
    test_readdir();
    test_faults();
    test_out();
    cleanup();
    printf("%s\n", failures ? "FAILED" : "ALL OK");
    return failures ? 1 : 0;
}
