/* A read-only directory tree served from a bundle's assets (fs.h ops).
 *
 * The tree is built once from the index; a file's bytes are inflated (and
 * their hash checked) the first time the guest opens it, then shared by
 * every descriptor.  There are no symlinks, and no path can climb above
 * the mount's root. */
#include "bundlefs.h"

#include <stdlib.h>
#include <string.h>

typedef struct node node;
struct node {
    const char *name;          /* component (points into the entry path) */
    size_t namelen;
    node *parent;
    node *child, *next;        /* directories: first child, sibling list */
    uint32_t nchildren;
    const wpk_entry *entry;    /* files */
    uint8_t *data;             /* inflated on first open */
    uint64_t ino;
};

typedef struct {
    wpk_bundle *bundle;
    node *nodes;
    uint32_t nnodes, cap;
    uint32_t refs;
    uint64_t time_ns;
} tree;

typedef struct {
    wasi_file base;
    tree *t;
    node *n;
    uint64_t pos;
} handle;

static const wasi_file_ops dir_ops, file_ops;

static void tree_release(tree *t)
{
    if (--t->refs)
        return;
    for (uint32_t i = 0; i < t->nnodes; i++)
        free(t->nodes[i].data);
    free(t->nodes);
    free(t);
}

static node *find_child(const node *dir, const char *name, size_t len)
{
    for (node *c = dir->child; c; c = c->next)
        if (c->namelen == len && memcmp(c->name, name, len) == 0)
            return c;
    return NULL;
}

/* Nodes live in one array sized up front (at most one per path component),
 * so pointers between them stay valid. */
static node *add_node(tree *t, node *parent, const char *name, size_t len)
{
    node *n = &t->nodes[t->nnodes++];
    memset(n, 0, sizeof *n);
    n->name = name;
    n->namelen = len;
    n->parent = parent;
    n->ino = t->nnodes;
    if (parent) {
        n->next = parent->child;
        parent->child = n;
        parent->nchildren++;
    }
    return n;
}

static int build(tree *t, const char *prefix)
{
    size_t plen = strlen(prefix), total = 1;
    for (uint32_t i = 0; i < t->bundle->nentries; i++)
        for (const char *p = t->bundle->entries[i].path; *p; p++)
            total += *p == '/';
    total += t->bundle->nentries;
    t->nodes = calloc(total, sizeof *t->nodes);
    if (!t->nodes)
        return -1;
    node *root = add_node(t, NULL, "", 0);
    root->parent = root;
    for (uint32_t i = 0; i < t->bundle->nentries; i++) {
        const wpk_entry *e = &t->bundle->entries[i];
        const char *rel = e->path;
        if (e->kind != WPK_ASSET)
            continue;
        if (plen) {
            if (strncmp(rel, prefix, plen) != 0 || rel[plen] != '/')
                continue;
            rel += plen + 1;
        }
        node *dir = root;
        for (;;) {
            const char *slash = strchr(rel, '/');
            size_t len = slash ? (size_t)(slash - rel) : strlen(rel);
            node *c = find_child(dir, rel, len);
            if (!slash) {
                if (!c)
                    add_node(t, dir, rel, len)->entry = e;
                break;
            }
            if (c && c->entry)
                break; /* a file where a directory would be: keep the file */
            dir = c ? c : add_node(t, dir, rel, len);
            rel = slash + 1;
        }
    }
    return 0;
}

static wasi_file *new_handle(tree *t, node *n)
{
    handle *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->base.ops = n->entry ? &file_ops : &dir_ops;
    h->base.type = n->entry ? WASI_FILETYPE_REGULAR_FILE : WASI_FILETYPE_DIRECTORY;
    h->base.host_fd = -1;
    h->t = t;
    h->n = n;
    t->refs++;
    return &h->base;
}

wasi_file *wasi_bundlefs_open(wpk_bundle *b, const char *prefix, uint16_t *err)
{
    tree *t = calloc(1, sizeof *t);
    if (!t || (t->bundle = b, build(t, prefix)) < 0) {
        free(t);
        *err = WASI_ENOMEM;
        return NULL;
    }
    t->time_ns = b->manifest.created * 1000000000ull;
    wasi_file *f = new_handle(t, &t->nodes[0]);
    if (!f) {
        t->refs = 1;
        tree_release(t);
        *err = WASI_ENOMEM;
    }
    return f;
}

/* Resolve a guest path beneath dir: no absolute paths, no climbing above
 * the root, and (there being no symlinks) nothing else to follow. */
static uint16_t resolve(handle *dir, const char *path, size_t len, node **out)
{
    if (len && path[0] == '/')
        return WASI_ENOTCAPABLE;
    node *n = dir->n;
    size_t i = 0;
    bool want_dir = len && path[len - 1] == '/';
    while (i < len) {
        size_t j = i;
        while (j < len && path[j] != '/')
            j++;
        size_t clen = j - i;
        const char *c = path + i;
        i = j + 1;
        if (clen == 0 || (clen == 1 && c[0] == '.'))
            continue;
        if (n->entry)
            return WASI_ENOTDIR;
        if (memchr(c, 0, clen))
            return WASI_EINVAL;
        if (clen == 2 && c[0] == '.' && c[1] == '.') {
            if (n == &dir->t->nodes[0])
                return WASI_ENOTCAPABLE;
            n = n->parent;
            continue;
        }
        node *next = find_child(n, c, clen);
        if (!next)
            return WASI_ENOENT;
        n = next;
    }
    if (len == 0)
        return WASI_ENOENT;
    if (want_dir && n->entry)
        return WASI_ENOTDIR;
    *out = n;
    return WASI_ESUCCESS;
}

static void fill_stat(const handle *h, const node *n, wasi_filestat *st)
{
    memset(st, 0, sizeof *st);
    st->dev = 0x77706b; /* one device for the whole bundle */
    st->ino = n->ino;
    st->filetype = n->entry ? WASI_FILETYPE_REGULAR_FILE : WASI_FILETYPE_DIRECTORY;
    st->nlink = 1;
    st->size = n->entry ? n->entry->size : 0;
    st->atim = st->mtim = st->ctim = h->t->time_ns;
}

static uint16_t bf_stat(wasi_file *f, wasi_filestat *st)
{
    handle *h = (handle *)f;
    fill_stat(h, h->n, st);
    return WASI_ESUCCESS;
}

static uint16_t load(handle *h, node *n)
{
    if (n->data || !n->entry)
        return WASI_ESUCCESS;
    lw_error err;
    return wpk_read(h->t->bundle, n->entry, &n->data, &err) < 0 ? WASI_EIO : WASI_ESUCCESS;
}

static uint16_t copy_out(const node *n, const struct iovec *iov, int niov, uint64_t off,
                         size_t *done)
{
    uint64_t size = n->entry->size;
    size_t total = 0;
    for (int i = 0; i < niov && off < size; i++) {
        size_t k = iov[i].iov_len;
        if (k > size - off)
            k = (size_t)(size - off);
        memcpy(iov[i].iov_base, n->data + off, k);
        off += k;
        total += k;
    }
    *done = total;
    return WASI_ESUCCESS;
}

static uint16_t bf_pread(wasi_file *f, const struct iovec *iov, int n, uint64_t off, size_t *done)
{
    handle *h = (handle *)f;
    return copy_out(h->n, iov, n, off, done);
}

static uint16_t bf_read(wasi_file *f, const struct iovec *iov, int n, size_t *done)
{
    handle *h = (handle *)f;
    uint16_t e = copy_out(h->n, iov, n, h->pos, done);
    h->pos += *done;
    return e;
}

static uint16_t bf_seek(wasi_file *f, int64_t off, uint8_t whence, uint64_t *pos)
{
    handle *h = (handle *)f;
    int64_t base = whence == WASI_WHENCE_SET ? 0
                   : whence == WASI_WHENCE_CUR ? (int64_t)h->pos
                   : whence == WASI_WHENCE_END ? (int64_t)h->n->entry->size
                                               : -1;
    if (base < 0)
        return WASI_EINVAL;
    if ((off < 0 && base + off < 0) || (off > 0 && base > INT64_MAX - off))
        return WASI_EINVAL;
    h->pos = (uint64_t)(base + off);
    *pos = h->pos;
    return WASI_ESUCCESS;
}

static uint16_t bf_advise(wasi_file *f, uint64_t off, uint64_t len, uint8_t advice)
{
    return advice <= 5 ? WASI_ESUCCESS : WASI_EINVAL;
}

static uint16_t bf_set_flags(wasi_file *f, uint16_t fdflags)
{
    if (fdflags & WASI_FDFLAG_APPEND)
        return WASI_EROFS;
    f->fdflags = fdflags;
    return WASI_ESUCCESS;
}

static uint16_t bf_sync(wasi_file *f, bool data_only)
{
    return WASI_ESUCCESS;
}

static uint16_t bf_readdir(wasi_file *f, uint64_t cookie, wasi_dirent *ent)
{
    handle *h = (handle *)f;
    node *n = h->n;
    if (cookie < 2) {
        node *target = cookie == 0 ? n : n->parent;
        ent->ino = target->ino;
        ent->type = WASI_FILETYPE_DIRECTORY;
        ent->name = cookie == 0 ? "." : "..";
        ent->namelen = cookie + 1;
        return WASI_ESUCCESS;
    }
    uint64_t k = cookie - 2;
    if (k >= n->nchildren)
        return WASI_ENOENT;
    node *c = n->child;
    while (k--)
        c = c->next;
    ent->ino = c->ino;
    ent->type = c->entry ? WASI_FILETYPE_REGULAR_FILE : WASI_FILETYPE_DIRECTORY;
    ent->name = c->name;
    ent->namelen = c->namelen;
    return WASI_ESUCCESS;
}

static uint16_t bf_open_at(wasi_file *dir, const char *path, size_t len,
                           const wasi_open_how *how, wasi_file **out)
{
    handle *h = (handle *)dir;
    node *n;
    uint16_t e = resolve(h, path, len, &n);
    if (e == WASI_ENOENT && (how->oflags & WASI_O_CREAT))
        return WASI_EROFS;
    if (e)
        return e;
    if ((how->oflags & (WASI_O_CREAT | WASI_O_EXCL)) == (WASI_O_CREAT | WASI_O_EXCL))
        return WASI_EEXIST;
    if ((how->oflags & WASI_O_DIRECTORY) && n->entry)
        return WASI_ENOTDIR;
    if (how->write || (how->oflags & WASI_O_TRUNC))
        return n->entry ? WASI_EROFS : WASI_EISDIR;
    if ((e = load(h, n)))
        return e;
    *out = new_handle(h->t, n);
    return *out ? WASI_ESUCCESS : WASI_ENOMEM;
}

static uint16_t bf_stat_at(wasi_file *dir, const char *path, size_t len, uint32_t lookup,
                           wasi_filestat *st)
{
    handle *h = (handle *)dir;
    node *n;
    uint16_t e = resolve(h, path, len, &n);
    if (!e)
        fill_stat(h, n, st);
    return e;
}

static uint16_t bf_readlink_at(wasi_file *dir, const char *path, size_t len, char *buf,
                               size_t cap, size_t *n)
{
    node *target;
    uint16_t e = resolve((handle *)dir, path, len, &target);
    return e ? e : WASI_EINVAL; /* nothing here is a symlink */
}

/* Everything that would change the tree. */
static uint16_t bf_rofs_path(wasi_file *dir, const char *path, size_t len)
{
    return WASI_EROFS;
}

static uint16_t bf_rofs_times_at(wasi_file *dir, const char *path, size_t len, uint32_t lookup,
                                 uint64_t atim, uint64_t mtim, uint16_t fst)
{
    return WASI_EROFS;
}

static uint16_t bf_rofs_symlink(const char *target, size_t tlen, wasi_file *dir,
                                const char *path, size_t len)
{
    return WASI_EROFS;
}

static uint16_t bf_rofs_link(wasi_file *odir, uint32_t lookup, const char *opath, size_t olen,
                             wasi_file *ndir, const char *npath, size_t nlen)
{
    return WASI_EROFS;
}

static uint16_t bf_rofs_rename(wasi_file *odir, const char *opath, size_t olen,
                               wasi_file *ndir, const char *npath, size_t nlen)
{
    return WASI_EROFS;
}

static uint16_t bf_rofs_times(wasi_file *f, uint64_t atim, uint64_t mtim, uint16_t fst)
{
    return WASI_EROFS;
}

static void bf_close(wasi_file *f)
{
    handle *h = (handle *)f;
    tree_release(h->t);
    free(h);
}

static const wasi_file_ops file_ops = {
    .read = bf_read,
    .pread = bf_pread,
    .seek = bf_seek,
    .stat = bf_stat,
    .set_times = bf_rofs_times,
    .sync = bf_sync,
    .advise = bf_advise,
    .set_flags = bf_set_flags,
    .close = bf_close,
};

static const wasi_file_ops dir_ops = {
    .stat = bf_stat,
    .set_times = bf_rofs_times,
    .sync = bf_sync,
    .advise = bf_advise,
    .set_flags = bf_set_flags,
    .readdir = bf_readdir,
    .open_at = bf_open_at,
    .stat_at = bf_stat_at,
    .set_times_at = bf_rofs_times_at,
    .mkdir_at = bf_rofs_path,
    .rmdir_at = bf_rofs_path,
    .unlink_at = bf_rofs_path,
    .readlink_at = bf_readlink_at,
    .symlink_at = bf_rofs_symlink,
    .link_at = bf_rofs_link,
    .rename_at = bf_rofs_rename,
    .close = bf_close,
};
