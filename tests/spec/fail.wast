;; Every command marked FAIL must be reported as a failure, every other
;; one must pass.  Commands start in column 0.
(module
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "one") (result f32) (f32.const 1))
  (func (export "nan-payload") (result f32)
    (f32.reinterpret_i32 (i32.const 0x7fc00001)))
  (func (export "nan-signalling") (result f64)
    (f64.reinterpret_i64 (i64.const 0x7ff0000000000001)))
  (func (export "zero") (result f64) (f64.const 0))
  (func (export "id") (param externref) (result externref) (local.get 0))
  (func (export "null") (result funcref) (ref.null func))
  (func (export "lanes") (result v128) (v128.const f32x4 0 1 2 3))
  (func (export "bytes") (result v128) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
  (global (export "g") i32 (i32.const 7))
  (memory (export "mem") 1)
)
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4)) ;; FAIL wrong value
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i64.const 3)) ;; FAIL wrong type
(assert_return (invoke "div" (i32.const 1) (i32.const 0)) (i32.const 0)) ;; FAIL traps
(assert_trap (invoke "add" (i32.const 1) (i32.const 2)) "unreachable") ;; FAIL no trap
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer overflow") ;; FAIL wrong message
(assert_exhaustion (invoke "add" (i32.const 1) (i32.const 2)) "call stack exhausted") ;; FAIL
(assert_exhaustion (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero") ;; FAIL a trap
(assert_return (invoke "one") (f32.const nan:arithmetic)) ;; FAIL not a NaN
(assert_return (invoke "nan-payload") (f32.const nan:canonical)) ;; FAIL payload
(assert_return (invoke "nan-payload") (f32.const nan:arithmetic))
(assert_return (invoke "nan-signalling") (f64.const nan:arithmetic)) ;; FAIL signalling
(assert_return (invoke "zero") (f64.const -0)) ;; FAIL sign
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 2)) ;; FAIL other reference
(assert_return (invoke "id" (ref.extern 1)) (ref.null extern)) ;; FAIL not null
(assert_return (invoke "null") (ref.func)) ;; FAIL null
(assert_return (invoke "null") (ref.null extern)) ;; FAIL wrong reference type
(assert_return (invoke "lanes") (v128.const f32x4 0 1 2 4)) ;; FAIL lane 3
(assert_return (invoke "lanes") (v128.const f32x4 nan:canonical 1 2 3)) ;; FAIL lane 0
(assert_return (invoke "lanes") (v128.const i32x4 0 0x3f800000 0x40000000 0x40400000))
(assert_return (invoke "bytes") (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 16)) ;; FAIL
(assert_return (invoke "two")) ;; FAIL unknown export
(assert_return (invoke "add" (i32.const 1)) (i32.const 1)) ;; FAIL too few arguments
(assert_return (invoke "add" (i64.const 1) (i32.const 1)) (i32.const 2)) ;; FAIL argument type
(assert_return (invoke "g") (i32.const 7)) ;; FAIL not a function
(assert_return (get "add") (i32.const 7)) ;; FAIL not a global
(assert_return (get "g") (i32.const 8)) ;; FAIL wrong value
(invoke "div" (i32.const 1) (i32.const 0)) ;; FAIL traps
(assert_invalid (module (func)) "type mismatch") ;; FAIL the module is valid
(assert_invalid (module (func (result i32) (i64.const 0))) "unknown local") ;; FAIL message
(assert_invalid (module quote "(func (i32.foo))") "type mismatch") ;; FAIL malformed
(assert_malformed (module quote "(func)") "unknown operator") ;; FAIL parses
(assert_malformed (module quote "(func (i32.foo))") "unexpected token") ;; FAIL message
(assert_malformed (module binary "\00asm" "\01\00\00\00") "unexpected end") ;; FAIL decodes
(assert_malformed (module binary "\00asm") "magic header not detected") ;; FAIL message
(assert_unlinkable (module (import "spectest" "print_i32" (func (param i32)))) "unknown import") ;; FAIL links
(assert_unlinkable (module (import "spectest" "nope" (func))) "incompatible import type") ;; FAIL message
(assert_trap (module (func $s) (start $s)) "unreachable") ;; FAIL no trap
(assert_trap (module (func $s unreachable) (start $s)) "out of bounds") ;; FAIL message
(assert_trap (module (import "spectest" "nope" (func))) "unreachable") ;; FAIL unlinkable
(register "X" $Nope) ;; FAIL unknown module
(assert_return (invoke $Nope "add" (i32.const 1) (i32.const 2)) (i32.const 3)) ;; FAIL unknown module
(module $Bad (func (result i32) (i64.const 0))) ;; FAIL invalid
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3)) ;; FAIL no current module
(register "Bad" $Bad) ;; FAIL the module failed
(module (import "spectest" "nope" (func))) ;; FAIL unlinkable
(module quote "(func (i32.foo))") ;; FAIL malformed
(module binary "\00asm" "\01\00\00\00")
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3)) ;; FAIL no export
(assert_uninstantiable (module (func $s) (start $s)) "unreachable") ;; FAIL no trap
(assert_invalid (module binary "\00asm" "\01\00\00\00") "unknown type") ;; FAIL valid
(assert_invalid (module binary "\00asm" "\01\00\00") "unknown type") ;; FAIL malformed
