;; A WASI reactor: writes to stdout, counts its arguments, looks for a
;; preopened directory, exits.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get"
    (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "hello from wasm\n")
  (func (export "hello") (result i32)
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 16))
    (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
  (func (export "argc") (result i32)
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (i32.load (i32.const 16)))
  (func (export "prestat") (param i32) (result i32)
    (call $fd_prestat_get (local.get 0) (i32.const 32)))
  (func (export "quit") (param i32) (call $proc_exit (local.get 0))))
