;; Imports from "lib" (registered from lib.wat).
(module
  (import "lib" "double" (func $double (param i32) (result i32)))
  (import "lib" "base" (global $base i32))
  (import "lib" "mem" (memory 1))
  (func (export "quad") (param i32) (result i32)
    (call $double (call $double (local.get 0))))
  (func (export "plus_base") (param i32) (result i32)
    (i32.add (local.get 0) (global.get $base)))
  (func (export "first_byte") (result i32) (i32.load8_u (i32.const 0))))
