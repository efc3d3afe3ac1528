/* A bundle's assets as a read-only WASI directory. */
#include "unit.h"
#include "bundlefs.h"

#include <string.h>
#include <unistd.h>

static const uint8_t module_bytes[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
static char file[] = "/tmp/test_bundlefs.XXXXXX";
static wpk_bundle *bundle;
static wasi_file *root;

static void setup(void)
{
    int fd = mkstemp(file);
    ck_assert_int_ge(fd, 0);
    close(fd);
    lw_error err;
    wpk_writer *w = wpk_writer_new(3, false);
    static const char *const files[][2] = {
        {"www/index.html", "<h1>hi</h1>\n"},
        {"www/css/site.css", "body{}\n"},
        {"www/css/print.css", "@media print{}\n"},
        {"other/secret.txt", "not mounted\n"},
    };
    ck_assert_int_eq(wpk_writer_add(w, "m.wasm", WPK_MODULE, module_bytes, sizeof module_bytes, &err), 0);
    for (size_t i = 0; i < 4; i++)
        ck_assert_int_eq(wpk_writer_add(w, files[i][0], WPK_ASSET, (const uint8_t *)files[i][1],
                                        strlen(files[i][1]), &err), 0);
    wpk_manifest m = {.name = "t", .version = "", .entry = "m.wasm", .created = 5};
    ck_assert_int_eq(wpk_writer_finish(w, &m, file, &err), 0);
    wpk_writer_free(w);
    bundle = wpk_open_file(file, &err);
    ck_assert_msg(bundle != NULL, "%s", err.message);
    uint16_t e;
    root = wasi_bundlefs_open(bundle, "www", &e);
    ck_assert_ptr_nonnull(root);
}

static void teardown(void)
{
    root->ops->close(root);
    wpk_close(bundle);
    unlink(file);
    strcpy(file, "/tmp/test_bundlefs.XXXXXX");
}

static uint16_t open_path(const char *path, bool write, uint16_t oflags, wasi_file **out)
{
    wasi_open_how how = {.oflags = oflags, .read = true, .write = write};
    return root->ops->open_at(root, path, strlen(path), &how, out);
}

START_TEST(reads_files)
{
    wasi_file *f;
    ck_assert_uint_eq(open_path("css/site.css", false, 0, &f), WASI_ESUCCESS);
    char buf[64] = {0};
    struct iovec iov = {buf, sizeof buf};
    size_t n;
    ck_assert_uint_eq(f->ops->read(f, &iov, 1, &n), WASI_ESUCCESS);
    ck_assert_uint_eq(n, 7);
    ck_assert_str_eq(buf, "body{}\n");
    ck_assert_uint_eq(f->ops->read(f, &iov, 1, &n), WASI_ESUCCESS);
    ck_assert_uint_eq(n, 0); /* end of file */
    uint64_t pos;
    ck_assert_uint_eq(f->ops->seek(f, -3, WASI_WHENCE_END, &pos), WASI_ESUCCESS);
    ck_assert_uint_eq(pos, 4);
    ck_assert_uint_eq(f->ops->pread(f, &iov, 1, 5, &n), WASI_ESUCCESS);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(f->ops->seek(f, -100, WASI_WHENCE_CUR, &pos), WASI_EINVAL);
    wasi_filestat st;
    ck_assert_uint_eq(f->ops->stat(f, &st), WASI_ESUCCESS);
    ck_assert_uint_eq(st.size, 7);
    ck_assert_uint_eq(st.filetype, WASI_FILETYPE_REGULAR_FILE);
    ck_assert_uint_eq(st.mtim, 5000000000ull);
    f->ops->close(f);
}
END_TEST

START_TEST(lists_directories)
{
    wasi_file *d;
    ck_assert_uint_eq(open_path("css", false, WASI_O_DIRECTORY, &d), WASI_ESUCCESS);
    wasi_dirent ent;
    char seen[4][16] = {{0}};
    uint64_t cookie = 0;
    while (d->ops->readdir(d, cookie, &ent) == WASI_ESUCCESS && cookie < 4) {
        memcpy(seen[cookie], ent.name, ent.namelen);
        cookie++;
    }
    ck_assert_uint_eq(cookie, 4);
    ck_assert_str_eq(seen[0], ".");
    ck_assert_str_eq(seen[1], "..");
    ck_assert((strcmp(seen[2], "site.css") == 0 && strcmp(seen[3], "print.css") == 0) ||
              (strcmp(seen[3], "site.css") == 0 && strcmp(seen[2], "print.css") == 0));
    /* Cookies survive: asking for entry 3 again gives the same name. */
    ck_assert_uint_eq(d->ops->readdir(d, 3, &ent), WASI_ESUCCESS);
    ck_assert_int_eq(memcmp(ent.name, seen[3], ent.namelen), 0);
    ck_assert_uint_eq(d->ops->readdir(d, 4, &ent), WASI_ENOENT);
    d->ops->close(d);
}
END_TEST

START_TEST(stays_inside_the_mount)
{
    wasi_file *f;
    wasi_filestat st;
    ck_assert_uint_eq(open_path("../other/secret.txt", false, 0, &f), WASI_ENOTCAPABLE);
    ck_assert_uint_eq(open_path("css/../../other/secret.txt", false, 0, &f), WASI_ENOTCAPABLE);
    ck_assert_uint_eq(open_path("/other/secret.txt", false, 0, &f), WASI_ENOTCAPABLE);
    ck_assert_uint_eq(open_path("other/secret.txt", false, 0, &f), WASI_ENOENT);
    ck_assert_uint_eq(root->ops->stat_at(root, "..", 2, 0, &st), WASI_ENOTCAPABLE);
    /* ".." inside the mount is fine. */
    ck_assert_uint_eq(open_path("css/../index.html", false, 0, &f), WASI_ESUCCESS);
    f->ops->close(f);
    ck_assert_uint_eq(open_path("index.html/", false, 0, &f), WASI_ENOTDIR);
    ck_assert_uint_eq(open_path("index.html/x", false, 0, &f), WASI_ENOTDIR);
    ck_assert_uint_eq(open_path("index.html", false, WASI_O_DIRECTORY, &f), WASI_ENOTDIR);
}
END_TEST

START_TEST(refuses_every_write)
{
    wasi_file *f;
    ck_assert_uint_eq(open_path("index.html", true, 0, &f), WASI_EROFS);
    ck_assert_uint_eq(open_path("index.html", false, WASI_O_TRUNC, &f), WASI_EROFS);
    ck_assert_uint_eq(open_path("new.txt", true, WASI_O_CREAT, &f), WASI_EROFS);
    ck_assert_uint_eq(open_path("index.html", false, WASI_O_CREAT | WASI_O_EXCL, &f), WASI_EEXIST);
    ck_assert_uint_eq(root->ops->mkdir_at(root, "d", 1), WASI_EROFS);
    ck_assert_uint_eq(root->ops->unlink_at(root, "index.html", 10), WASI_EROFS);
    ck_assert_uint_eq(root->ops->rmdir_at(root, "css", 3), WASI_EROFS);
    ck_assert_uint_eq(root->ops->rename_at(root, "index.html", 10, root, "x", 1), WASI_EROFS);
    ck_assert_uint_eq(root->ops->symlink_at("index.html", 10, root, "l", 1), WASI_EROFS);
    ck_assert_ptr_null(root->ops->write);
}
END_TEST

static Suite *bundlefs_suite(void)
{
    Suite *s = suite_create("bundlefs");
    TCase *t = tcase_create("bundlefs");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, reads_files);
    tcase_add_test(t, lists_directories);
    tcase_add_test(t, stays_inside_the_mount);
    tcase_add_test(t, refuses_every_write);
    suite_add_tcase(s, t);
    return s;
}

UNIT_MAIN(bundlefs_suite)
