;; Imports nothing provides.
(module
  (import "env" "print" (func (param i32)))
  (import "env" "table" (table 1 funcref))
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32))))
