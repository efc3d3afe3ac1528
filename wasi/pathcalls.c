/* The path_* functions of wasi_snapshot_preview1.  The file objects do
 * the resolving (beneath their directory); here are the rights checks
 * and the guest memory. */
#include <limits.h>
#include <string.h>

#include "wasi_impl.h"

#define GET(fd, rights, var)                                     \
    wasi_fdent *var;                                             \
    do {                                                         \
        uint16_t e_ = wasi_fd_get(c->ctx, (fd), (rights), &var); \
        if (e_)                                                  \
            return e_;                                           \
    } while (0)

/* A guest string as (pointer, length) after the bounds check. */
#define STR(ptr, len, var)                                        \
    const char *var = (const char *)wasi_mem_at(c, (ptr), (len)); \
    if (!var)                                                     \
        return WASI_EFAULT

static uint16_t path_create_directory(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(PATH_CREATE_DIRECTORY), ent);
    STR(ARG32(1), ARG32(2), path);
    return WASI_OP(ent->file, mkdir_at, path, ARG32(2));
}

static uint16_t path_filestat_get(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(PATH_FILESTAT_GET), ent);
    STR(ARG32(2), ARG32(3), path);
    if (!wasi_mem_ok(c, ARG32(4), WASI_FILESTAT_SIZE))
        return WASI_EFAULT;
    wasi_filestat st;
    uint16_t e = WASI_OP(ent->file, stat_at, path, ARG32(3), ARG32(1), &st);
    return e ? e : wasi_put_filestat(c, ARG32(4), &st);
}

static uint16_t path_filestat_set_times(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(PATH_FILESTAT_SET_TIMES), ent);
    STR(ARG32(2), ARG32(3), path);
    return WASI_OP(ent->file, set_times_at, path, ARG32(3), ARG32(1), ARG64(4),
                   ARG64(5), (uint16_t)ARG32(6));
}

static uint16_t path_link(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(PATH_LINK_SOURCE), from);
    GET(ARG32(4), WASI_R(PATH_LINK_TARGET), to);
    STR(ARG32(2), ARG32(3), opath);
    STR(ARG32(5), ARG32(6), npath);
    if (from->file->ops != to->file->ops)
        return WASI_EXDEV;
    return WASI_OP(from->file, link_at, ARG32(1), opath, ARG32(3), to->file,
                   npath, ARG32(6));
}

/* Rights of a new fd that write: asking for one opens the file to write. */
#define OPEN_WRITES (WASI_R(FD_WRITE) | WASI_R(FD_ALLOCATE) | WASI_R(FD_FILESTAT_SET_SIZE))

/* Rights needed on the directory for these open flags. */
static uint64_t open_dir_rights(uint32_t oflags)
{
    uint64_t r = WASI_R(PATH_OPEN);
    if (oflags & WASI_O_CREAT)
        r |= WASI_R(PATH_CREATE_FILE);
    if (oflags & WASI_O_TRUNC)
        r |= WASI_R(PATH_FILESTAT_SET_SIZE);
    return r;
}

/* Whether an open means to write: a right that writes, O_CREAT, O_TRUNC,
 * append; or a file asked for with no right to read or write, which is how
 * wasi-libc's O_WRONLY asks under a directory that passes on no write right
 * (it asks only for rights the directory passes on). */
static bool open_writes(uint32_t oflags, uint32_t fdflags, uint64_t base)
{
    uint64_t uses = WASI_R(FD_READ) | WASI_R(FD_READDIR) | OPEN_WRITES;
    return (base & OPEN_WRITES) || (oflags & (WASI_O_CREAT | WASI_O_TRUNC)) ||
           (fdflags & WASI_FDFLAG_APPEND) ||
           (!(oflags & WASI_O_DIRECTORY) && !(base & uses));
}

/* Whether dir may open with these flags and rights.  A read-only mount
 * (a directory that passes on no right that writes) refuses an open to
 * write with EROFS, which wasi-libc reports as "Read-only file system";
 * any other missing right is ENOTCAPABLE. */
static uint16_t open_allowed(const wasi_fdent *dir, uint32_t oflags, uint32_t fdflags,
                             uint64_t base)
{
    uint64_t need = open_dir_rights(oflags);
    if (!(dir->inheriting & WASI_RIGHTS_WRITE) && open_writes(oflags, fdflags, base))
        return WASI_EROFS;
    if ((dir->base & need) != need || (base & OPEN_WRITES & ~dir->inheriting))
        return WASI_ENOTCAPABLE;
    return 0;
}

static uint16_t path_open(wasi_call *c, const lw_val *args)
{
    uint32_t oflags = ARG32(4), fdflags = ARG32(7);
    uint64_t base = ARG64(5), inheriting = ARG64(6);
    GET(ARG32(0), WASI_R(PATH_OPEN), dir);
    STR(ARG32(2), ARG32(3), path);
    if (!wasi_mem_ok(c, ARG32(8), 4))
        return WASI_EFAULT;
    if ((oflags & ~0xfu) || (fdflags & ~(uint32_t)WASI_FDFLAGS_ALL))
        return WASI_EINVAL;
    /* Programs ask for more rights than they use (Rust's std asks for
     * FD_FILESTAT_SET_TIMES to read a file), so rights the directory does
     * not pass on are dropped, as other runtimes do; only an open that needs
     * one to write fails. */
    uint16_t e = open_allowed(dir, oflags, fdflags, base);
    if (e)
        return e;
    base &= dir->inheriting;
    inheriting &= dir->inheriting;
    wasi_open_how how = {
        .lookup = ARG32(1),
        .oflags = (uint16_t)oflags,
        .fdflags = (uint16_t)fdflags,
        .read = (base & (WASI_R(FD_READ) | WASI_R(FD_READDIR))) != 0,
        /* with O_DIRECTORY too: a directory opened to write is EISDIR */
        .write = (base & OPEN_WRITES) != 0,
    };
    wasi_file *f = NULL;
    e = WASI_OP(dir->file, open_at, path, ARG32(3), &how, &f);
    if (e)
        return e;
    uint32_t fd;
    e = wasi_fd_add(c->ctx, f, base & wasi_rights_for(f), inheriting, &fd);
    if (e) {
        wasi_file_close(f);
        return e;
    }
    return wasi_put32(c, ARG32(8), fd);
}

static uint16_t path_readlink(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(PATH_READLINK), ent);
    STR(ARG32(1), ARG32(2), path);
    uint32_t buflen = ARG32(4);
    uint8_t *out = wasi_mem_at(c, ARG32(3), buflen);
    if (!out || !wasi_mem_ok(c, ARG32(5), 4))
        return WASI_EFAULT;
    char buf[PATH_MAX];
    size_t n = 0;
    uint16_t e = WASI_OP(ent->file, readlink_at, path, ARG32(2), buf, sizeof buf, &n);
    if (e)
        return e;
    if (n > buflen)
        n = buflen;
    memcpy(out, buf, n);
    return wasi_put32(c, ARG32(5), (uint32_t)n);
}

static uint16_t path_remove_directory(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(PATH_REMOVE_DIRECTORY), ent);
    STR(ARG32(1), ARG32(2), path);
    return WASI_OP(ent->file, rmdir_at, path, ARG32(2));
}

static uint16_t path_rename(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(PATH_RENAME_SOURCE), from);
    GET(ARG32(3), WASI_R(PATH_RENAME_TARGET), to);
    STR(ARG32(1), ARG32(2), opath);
    STR(ARG32(4), ARG32(5), npath);
    if (from->file->ops != to->file->ops)
        return WASI_EXDEV;
    return WASI_OP(from->file, rename_at, opath, ARG32(2), to->file, npath, ARG32(5));
}

static uint16_t path_symlink(wasi_call *c, const lw_val *args)
{
    GET(ARG32(2), WASI_R(PATH_SYMLINK), ent);
    STR(ARG32(0), ARG32(1), target);
    STR(ARG32(3), ARG32(4), path);
    if (!ent->file->ops->symlink_at)
        return WASI_ENOTSUP;
    return ent->file->ops->symlink_at(target, ARG32(1), ent->file, path, ARG32(4));
}

static uint16_t path_unlink_file(wasi_call *c, const lw_val *args)
{
    GET(ARG32(0), WASI_R(PATH_UNLINK_FILE), ent);
    STR(ARG32(1), ARG32(2), path);
    return WASI_OP(ent->file, unlink_at, path, ARG32(2));
}

const wasi_def wasi_defs_path[] = {
    {"path_create_directory", "iii", path_create_directory},
    {"path_filestat_get", "iiiii", path_filestat_get},
    {"path_filestat_set_times", "iiiiIIi", path_filestat_set_times},
    {"path_link", "iiiiiii", path_link},
    {"path_open", "iiiiiIIii", path_open},
    {"path_readlink", "iiiiii", path_readlink},
    {"path_remove_directory", "iii", path_remove_directory},
    {"path_rename", "iiiiii", path_rename},
    {"path_symlink", "iiiii", path_symlink},
    {"path_unlink_file", "iii", path_unlink_file},
    {NULL, NULL, NULL},
};
