/* WASI preview1 constants and layouts, numbered as in typenames.witx. */
#ifndef WASI_TYPES_H
#define WASI_TYPES_H

#include <stdint.h>

/* errno: WASI name, host errno it maps from (0: no host equivalent). */
#define WASI_ERRNOS(X)                                                    \
    X(SUCCESS, 0) X(2BIG, E2BIG) X(ACCES, EACCES) X(ADDRINUSE, EADDRINUSE) \
    X(ADDRNOTAVAIL, EADDRNOTAVAIL) X(AFNOSUPPORT, EAFNOSUPPORT)            \
    X(AGAIN, EAGAIN) X(ALREADY, EALREADY) X(BADF, EBADF)                  \
    X(BADMSG, EBADMSG) X(BUSY, EBUSY) X(CANCELED, ECANCELED)              \
    X(CHILD, ECHILD) X(CONNABORTED, ECONNABORTED)                         \
    X(CONNREFUSED, ECONNREFUSED) X(CONNRESET, ECONNRESET)                 \
    X(DEADLK, EDEADLK) X(DESTADDRREQ, EDESTADDRREQ) X(DOM, EDOM)          \
    X(DQUOT, EDQUOT) X(EXIST, EEXIST) X(FAULT, EFAULT) X(FBIG, EFBIG)     \
    X(HOSTUNREACH, EHOSTUNREACH) X(IDRM, EIDRM) X(ILSEQ, EILSEQ)          \
    X(INPROGRESS, EINPROGRESS) X(INTR, EINTR) X(INVAL, EINVAL) X(IO, EIO) \
    X(ISCONN, EISCONN) X(ISDIR, EISDIR) X(LOOP, ELOOP) X(MFILE, EMFILE)   \
    X(MLINK, EMLINK) X(MSGSIZE, EMSGSIZE) X(MULTIHOP, EMULTIHOP)          \
    X(NAMETOOLONG, ENAMETOOLONG) X(NETDOWN, ENETDOWN)                     \
    X(NETRESET, ENETRESET) X(NETUNREACH, ENETUNREACH) X(NFILE, ENFILE)    \
    X(NOBUFS, ENOBUFS) X(NODEV, ENODEV) X(NOENT, ENOENT)                  \
    X(NOEXEC, ENOEXEC) X(NOLCK, ENOLCK) X(NOLINK, ENOLINK)                \
    X(NOMEM, ENOMEM) X(NOMSG, ENOMSG) X(NOPROTOOPT, ENOPROTOOPT)          \
    X(NOSPC, ENOSPC) X(NOSYS, ENOSYS) X(NOTCONN, ENOTCONN)                \
    X(NOTDIR, ENOTDIR) X(NOTEMPTY, ENOTEMPTY)                             \
    X(NOTRECOVERABLE, ENOTRECOVERABLE) X(NOTSOCK, ENOTSOCK)               \
    X(NOTSUP, ENOTSUP) X(NOTTY, ENOTTY) X(NXIO, ENXIO)                    \
    X(OVERFLOW, EOVERFLOW) X(OWNERDEAD, EOWNERDEAD) X(PERM, EPERM)        \
    X(PIPE, EPIPE) X(PROTO, EPROTO) X(PROTONOSUPPORT, EPROTONOSUPPORT)    \
    X(PROTOTYPE, EPROTOTYPE) X(RANGE, ERANGE) X(ROFS, EROFS)              \
    X(SPIPE, ESPIPE) X(SRCH, ESRCH) X(STALE, ESTALE)                      \
    X(TIMEDOUT, ETIMEDOUT) X(TXTBSY, ETXTBSY) X(XDEV, EXDEV)              \
    X(NOTCAPABLE, 0)

enum {
#define WASI_ERRNO_ENUM_(name, host) WASI_E##name,
    WASI_ERRNOS(WASI_ERRNO_ENUM_)
#undef WASI_ERRNO_ENUM_
};

/* Host errno -> WASI errno (WASI_EIO for anything unknown). */
uint16_t wasi_errno_from_host(int host_errno);

/* rights, bit by bit */
#define WASI_RIGHTS(X)                                                    \
    X(FD_DATASYNC) X(FD_READ) X(FD_SEEK) X(FD_FDSTAT_SET_FLAGS) X(FD_SYNC) \
    X(FD_TELL) X(FD_WRITE) X(FD_ADVISE) X(FD_ALLOCATE)                    \
    X(PATH_CREATE_DIRECTORY) X(PATH_CREATE_FILE) X(PATH_LINK_SOURCE)      \
    X(PATH_LINK_TARGET) X(PATH_OPEN) X(FD_READDIR) X(PATH_READLINK)       \
    X(PATH_RENAME_SOURCE) X(PATH_RENAME_TARGET) X(PATH_FILESTAT_GET)      \
    X(PATH_FILESTAT_SET_SIZE) X(PATH_FILESTAT_SET_TIMES)                  \
    X(FD_FILESTAT_GET) X(FD_FILESTAT_SET_SIZE) X(FD_FILESTAT_SET_TIMES)   \
    X(PATH_SYMLINK) X(PATH_REMOVE_DIRECTORY) X(PATH_UNLINK_FILE)          \
    X(POLL_FD_READWRITE) X(SOCK_SHUTDOWN) X(SOCK_ACCEPT)

enum {
#define WASI_RIGHT_BIT_(name) WASI_RIGHT_BIT_##name,
    WASI_RIGHTS(WASI_RIGHT_BIT_)
#undef WASI_RIGHT_BIT_
    WASI_RIGHT_COUNT
};

#define WASI_R(name) ((uint64_t)1 << WASI_RIGHT_BIT_##name)
#define WASI_RIGHTS_ALL (((uint64_t)1 << WASI_RIGHT_COUNT) - 1)

/* What a regular file can do. */
#define WASI_RIGHTS_FILE                                                    \
    (WASI_R(FD_DATASYNC) | WASI_R(FD_READ) | WASI_R(FD_SEEK) |              \
     WASI_R(FD_FDSTAT_SET_FLAGS) | WASI_R(FD_SYNC) | WASI_R(FD_TELL) |      \
     WASI_R(FD_WRITE) | WASI_R(FD_ADVISE) | WASI_R(FD_ALLOCATE) |           \
     WASI_R(FD_FILESTAT_GET) | WASI_R(FD_FILESTAT_SET_SIZE) |               \
     WASI_R(FD_FILESTAT_SET_TIMES) | WASI_R(POLL_FD_READWRITE))
/* A stream (terminal, pipe, socket): no seek, no tell. */
#define WASI_RIGHTS_STREAM                                                  \
    (WASI_RIGHTS_FILE & ~(WASI_R(FD_SEEK) | WASI_R(FD_TELL)))
#define WASI_RIGHTS_SOCKET                                                  \
    (WASI_RIGHTS_STREAM | WASI_R(SOCK_SHUTDOWN) | WASI_R(SOCK_ACCEPT))
/* What a directory can do. */
#define WASI_RIGHTS_DIR                                                     \
    (WASI_R(FD_FDSTAT_SET_FLAGS) | WASI_R(FD_SYNC) | WASI_R(FD_DATASYNC) |  \
     WASI_R(FD_ADVISE) | WASI_R(PATH_CREATE_DIRECTORY) |                    \
     WASI_R(PATH_CREATE_FILE) | WASI_R(PATH_LINK_SOURCE) |                  \
     WASI_R(PATH_LINK_TARGET) | WASI_R(PATH_OPEN) | WASI_R(FD_READDIR) |    \
     WASI_R(PATH_READLINK) | WASI_R(PATH_RENAME_SOURCE) |                   \
     WASI_R(PATH_RENAME_TARGET) | WASI_R(PATH_FILESTAT_GET) |               \
     WASI_R(PATH_FILESTAT_SET_SIZE) | WASI_R(PATH_FILESTAT_SET_TIMES) |     \
     WASI_R(FD_FILESTAT_GET) | WASI_R(FD_FILESTAT_SET_TIMES) |              \
     WASI_R(PATH_SYMLINK) | WASI_R(PATH_REMOVE_DIRECTORY) |                 \
     WASI_R(PATH_UNLINK_FILE))
/* Every right that changes the file system or its contents.  Read-only
 * preopens hold none of these, nor does anything opened through them. */
#define WASI_RIGHTS_WRITE                                                   \
    (WASI_R(FD_DATASYNC) | WASI_R(FD_WRITE) | WASI_R(FD_ALLOCATE) |         \
     WASI_R(PATH_CREATE_DIRECTORY) | WASI_R(PATH_CREATE_FILE) |             \
     WASI_R(PATH_LINK_SOURCE) | WASI_R(PATH_LINK_TARGET) |                  \
     WASI_R(PATH_RENAME_SOURCE) | WASI_R(PATH_RENAME_TARGET) |              \
     WASI_R(PATH_FILESTAT_SET_SIZE) | WASI_R(PATH_FILESTAT_SET_TIMES) |     \
     WASI_R(FD_FILESTAT_SET_SIZE) | WASI_R(FD_FILESTAT_SET_TIMES) |         \
     WASI_R(PATH_SYMLINK) | WASI_R(PATH_REMOVE_DIRECTORY) |                 \
     WASI_R(PATH_UNLINK_FILE))

enum {
    WASI_FILETYPE_UNKNOWN, WASI_FILETYPE_BLOCK_DEVICE,
    WASI_FILETYPE_CHARACTER_DEVICE, WASI_FILETYPE_DIRECTORY,
    WASI_FILETYPE_REGULAR_FILE, WASI_FILETYPE_SOCKET_DGRAM,
    WASI_FILETYPE_SOCKET_STREAM, WASI_FILETYPE_SYMBOLIC_LINK,
};

enum { WASI_WHENCE_SET, WASI_WHENCE_CUR, WASI_WHENCE_END };

enum {
    WASI_CLOCK_REALTIME, WASI_CLOCK_MONOTONIC,
    WASI_CLOCK_PROCESS_CPUTIME, WASI_CLOCK_THREAD_CPUTIME,
};

/* fdflags */
#define WASI_FDFLAG_APPEND 0x1
#define WASI_FDFLAG_DSYNC 0x2
#define WASI_FDFLAG_NONBLOCK 0x4
#define WASI_FDFLAG_RSYNC 0x8
#define WASI_FDFLAG_SYNC 0x10
#define WASI_FDFLAGS_ALL 0x1f

/* fstflags */
#define WASI_FST_ATIM 0x1
#define WASI_FST_ATIM_NOW 0x2
#define WASI_FST_MTIM 0x4
#define WASI_FST_MTIM_NOW 0x8

/* lookupflags */
#define WASI_LOOKUP_SYMLINK_FOLLOW 0x1

/* oflags */
#define WASI_O_CREAT 0x1
#define WASI_O_DIRECTORY 0x2
#define WASI_O_EXCL 0x4
#define WASI_O_TRUNC 0x8

enum { WASI_EVENT_CLOCK, WASI_EVENT_FD_READ, WASI_EVENT_FD_WRITE };
#define WASI_EVENT_HANGUP 0x1
#define WASI_SUBCLOCK_ABSTIME 0x1

#define WASI_RIFLAG_PEEK 0x1
#define WASI_RIFLAG_WAITALL 0x2
#define WASI_ROFLAG_TRUNCATED 0x1
#define WASI_SDFLAG_RD 0x1
#define WASI_SDFLAG_WR 0x2

/* Sizes of the records in guest memory (docs.md). */
#define WASI_FDSTAT_SIZE 24
#define WASI_FILESTAT_SIZE 64
#define WASI_DIRENT_SIZE 24
#define WASI_SUBSCRIPTION_SIZE 48
#define WASI_EVENT_SIZE 32
#define WASI_PRESTAT_SIZE 8

typedef struct {
    uint64_t dev, ino;
    uint8_t filetype;
    uint64_t nlink, size, atim, mtim, ctim;
} wasi_filestat;

#endif
