// A WASI guest in AssemblyScript: usage main DIR CODE WORDS...
// Prints its arguments and $GREETING, copies DIR/in.txt to DIR/out.txt
// with its lines reversed, echoes stdin upper-cased, and exits with CODE.
// The wasi-shim gives args, env and stdio; files go through preview1 directly.

// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "fd_prestat_get")
declare function fd_prestat_get(fd: u32, buf: usize): u16;
// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "fd_prestat_dir_name")
declare function fd_prestat_dir_name(fd: u32, path: usize, len: usize): u16;
// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "path_open")
declare function path_open(dirfd: u32, dirflags: u32, path: usize, pathLen: usize,
  oflags: u16, base: u64, inheriting: u64, fdflags: u16, fd: usize): u16;
// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "fd_read")
declare function fd_read(fd: u32, iovs: usize, iovsLen: usize, nread: usize): u16;
// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: u32, iovs: usize, iovsLen: usize, nwritten: usize): u16;
// @ts-ignore: decorator
@external("wasi_snapshot_preview1", "fd_close")
declare function fd_close(fd: u32): u16;

const RIGHT_FD_READ: u64 = 1 << 1;
const RIGHT_FD_WRITE: u64 = 1 << 6;
const OFLAG_CREAT: u16 = 1;
const OFLAG_TRUNC: u16 = 8;
const ERRNO_BADF: u16 = 8;

// Reports a failed call and exits with STATUS: 3 for reading, 4 for writing.
function fail(what: string, errno: u16, status: i32): void {
  process.stderr.write(what + ": errno " + errno.toString() + "\n");
  process.exit(status);
}

// The fd of the preopened directory named NAME, or -1.
function preopen(name: string): i32 {
  const buf = new ArrayBuffer(8);
  const at = changetype<usize>(buf);
  let fd: u32 = 3;
  let err = fd_prestat_get(fd, at);
  while (err == 0) {
    const len = load<u32>(at, 4);
    const path = new ArrayBuffer(<i32>len);
    const e2 = fd_prestat_dir_name(fd, changetype<usize>(path), len);
    if (e2 != 0) { fail("fd_prestat_dir_name", e2, 3); }
    if (String.UTF8.decode(path) == name) return <i32>fd;
    fd++;
    err = fd_prestat_get(fd, at);
  }
  if (err != ERRNO_BADF) { fail("fd_prestat_get", err, 3); }
  return -1;
}

function open(dir: u32, name: string, oflags: u16, rights: u64, status: i32): u32 {
  const path = String.UTF8.encode(name);
  const out = new ArrayBuffer(4);
  const err = path_open(dir, 0, changetype<usize>(path), path.byteLength,
    oflags, rights, 0, 0, changetype<usize>(out));
  if (err != 0) { fail("path_open " + name, err, status); }
  return load<u32>(changetype<usize>(out));
}

// Reads FD to its end.
function readAll(fd: u32): string {
  const chunks = new Array<ArrayBuffer>();
  let total = 0;
  const iov = new ArrayBuffer(12);
  const at = changetype<usize>(iov);
  for (;;) {
    const chunk = new ArrayBuffer(4096);
    store<u32>(at, <u32>changetype<usize>(chunk));
    store<u32>(at, 4096, 4);
    const err = fd_read(fd, at, 1, at + 8);
    if (err != 0) { fail("fd_read", err, 3); }
    const n = load<u32>(at, 8);
    if (n == 0) break;
    chunks.push(chunk.slice(0, <i32>n));
    total += <i32>n;
  }
  const all = new Uint8Array(total);
  let pos = 0;
  for (let i = 0; i < chunks.length; i++) {
    all.set(Uint8Array.wrap(chunks[i]), pos);
    pos += chunks[i].byteLength;
  }
  return String.UTF8.decode(all.buffer);
}

function writeAll(fd: u32, text: string): void {
  const data = String.UTF8.encode(text);
  const iov = new ArrayBuffer(12);
  const at = changetype<usize>(iov);
  let done = 0;
  while (done < data.byteLength) {
    store<u32>(at, <u32>(changetype<usize>(data) + done));
    store<u32>(at, data.byteLength - done, 4);
    const err = fd_write(fd, at, 1, at + 8);
    if (err != 0) { fail("fd_write", err, 4); }
    done += <i32>load<u32>(at, 8);
  }
}

const argv = process.argv.slice(1);
if (argv.length < 2) {
  process.stderr.write("usage: main DIR CODE WORDS...\n");
  process.exit(2);
}
const code = I32.parseInt(argv[1]);
process.stdout.write("args " + argv.length.toString() + ": " + argv.slice(2).join("|") + "\n");
const greeting = process.env.has("GREETING") ? process.env.get("GREETING") : "(unset)";
process.stdout.write("env GREETING=" + greeting + "\n");

const dir = preopen(argv[0]);
if (dir < 0) {
  process.stderr.write("no preopen " + argv[0] + "\n");
  process.exit(3);
}
const inFd = open(<u32>dir, "in.txt", 0, RIGHT_FD_READ, 3);
let text = readAll(inFd);
fd_close(inFd);
if (text.endsWith("\n")) text = text.slice(0, text.length - 1);
const lines = text.length > 0 ? text.split("\n") : new Array<string>();
process.stdout.write("in.txt " + lines.length.toString() + " lines\n");
let reversed = "";
for (let i = lines.length - 1; i >= 0; i--) reversed += lines[i] + "\n";
const outFd = open(<u32>dir, "out.txt", OFLAG_CREAT | OFLAG_TRUNC, RIGHT_FD_WRITE, 4);
writeAll(outFd, reversed);
fd_close(outFd);

const input = readAll(0);
process.stdout.write("stdin " + String.UTF8.byteLength(input).toString() + " bytes: "
  + input.toUpperCase() + "\n");
process.exit(code);
