;; wasm-spec --enable-all
;; Typed function references and GC's types, our own checks: what the
;; runner must pass, and (the lines so marked) what it must report as failing.
(module
  (rec
    (type $node (sub (struct (field i32) (field (ref null $node)))))
    (type $leaf (sub final $node (struct (field i32) (field (ref null $node)) (field i64)))))
  (type $t (func (param i32) (result i32)))
  (elem declare func $inc $dec)
  (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
  (func $dec (type $t) (i32.sub (local.get 0) (i32.const 1)))
  (table $tab 2 (ref $t) (ref.func $inc))
  (global $g (mut (ref null $t)) (ref.null $t))
  (func (export "call") (param i32) (result i32)
    (call_ref $t (local.get 0) (table.get $tab (i32.const 1))))
  (func (export "set-dec") (table.set $tab (i32.const 1) (ref.func $dec)))
  (func (export "via-global") (param i32) (result i32)
    (call_ref $t (local.get 0) (global.get $g)))
  (func (export "tail") (param i32) (result i32)
    (return_call_ref $t (local.get 0) (ref.func $inc)))
  (func (export "null-or") (param (ref null $t)) (result i32)
    (block $null
      (return (call_ref $t (i32.const 10) (br_on_null $null (local.get 0)))))
    (i32.const -1))
  (func (export "non-null") (param (ref null $t)) (result i32)
    (block $l (result (ref $t))
      (br_on_non_null $l (local.get 0))
      (return (i32.const 0)))
    (drop)
    (i32.const 1))
  (func (export "as-non-null") (param (ref null $t)) (result (ref $t))
    (ref.as_non_null (local.get 0)))
  (func (export "local") (result i32) (local $f (ref $t))
    (local.set $f (ref.func $dec))
    (call_ref $t (i32.const 5) (local.get $f)))
)
(assert_return (invoke "call" (i32.const 1)) (i32.const 2))
(invoke "set-dec")
(assert_return (invoke "call" (i32.const 1)) (i32.const 0))
(assert_trap (invoke "via-global" (i32.const 1)) "null function reference")
(assert_return (invoke "tail" (i32.const 41)) (i32.const 42))
(assert_return (invoke "null-or" (ref.null func)) (i32.const -1))
(assert_return (invoke "non-null" (ref.null func)) (i32.const 0))
(assert_trap (invoke "as-non-null" (ref.null func)) "null reference")
(assert_return (invoke "local") (i32.const 4))
(assert_return (invoke "call" (i32.const 1)) (i32.const 1)) ;; FAIL
(assert_trap (invoke "tail" (i32.const 1)) "null function reference") ;; FAIL

(assert_invalid
  (module (type $t (func)) (func (local $l (ref $t)) (drop (local.get $l))))
  "uninitialized local")
(assert_invalid
  (module (type $a (struct)) (type $b (sub $a (struct))))
  "sub type")
(assert_invalid
  (module (type $t (func)) (table 1 (ref $t)))
  "type mismatch")
(assert_invalid
  (module (type $t (func)) (func (param funcref) (call_ref $t (local.get 0))))
  "type mismatch")
(assert_invalid (module (type $t (func)) (func (local (ref $t)) (drop (local.get 0)))) "type mismatch") ;; FAIL

;; Equal recursion groups are one type across modules.
(module
  (type $t (func (param i32) (result i32)))
  (func (export "f") (type $t) (local.get 0))
  (table (export "tab") 1 funcref)
  (elem (i32.const 0) func 0))
(register "m")
(module
  (type $u (func (param i32) (result i32)))
  (import "m" "f" (func (type $u)))
  (import "m" "tab" (table 1 funcref))
  (func (export "ind") (result i32) (call_indirect (type $u) (i32.const 7) (i32.const 0))))
(assert_return (invoke "ind") (i32.const 7))
(assert_unlinkable
  (module
    (rec (type $u (func (param i32) (result i32))) (type (struct)))
    (import "m" "f" (func (type $u))))
  "incompatible import type")
