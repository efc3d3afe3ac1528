;; Named modules, registration and instantiation side effects: actions
;; reach the module they name, registered instances satisfy imports, and
;; a module whose start function traps still leaves its writes behind.
;; Commands start in column 0.
(module $M1
  (memory (export "mem") 1)
  (table (export "tab") 2 funcref)
  (global (export "g") (mut i32) (i32.const 1))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "call") (param i32) (result i32)
    (call_indirect (result i32) (local.get 0)))
)
(register "M1" $M1)
(module $M2
  (import "M1" "g" (global $g (mut i32)))
  (func (export "bump") (global.set $g (i32.add (global.get $g) (i32.const 1))))
  (func (export "g") (result i32) (global.get $g))
)
(invoke "bump")
(assert_return (get $M1 "g") (i32.const 2))
(assert_return (invoke $M2 "g") (i32.const 2))
(assert_return (invoke "g") (i32.const 2))
(assert_trap
  (module
    (import "M1" "mem" (memory 1))
    (import "M1" "tab" (table 2 funcref))
    (func $seven (result i32) (i32.const 7))
    (elem (i32.const 1) $seven)
    (data (i32.const 10) "\2a")
    (func $start unreachable)
    (start $start))
  "unreachable")
(assert_return (invoke $M1 "load" (i32.const 10)) (i32.const 42))
(assert_return (invoke $M1 "call" (i32.const 1)) (i32.const 7))
(assert_trap (invoke $M1 "call" (i32.const 0)) "uninitialized element")
(assert_return (invoke "g") (i32.const 2))
(module $M1 (func (export "f") (result i32) (i32.const 3)))
(assert_return (invoke $M1 "f") (i32.const 3))
(assert_return (invoke $M2 "g") (i32.const 2))
(register "M1b")
(module (import "M1b" "f" (func $f (result i32))) (func (export "h") (result i32) (call $f)))
(assert_return (invoke "h") (i32.const 3))
(assert_return (invoke $M1 "load" (i32.const 10)) (i32.const 42)) ;; FAIL the new $M1 has no "load"
(assert_unlinkable
  (module (import "M1" "g" (global i32)))
  "incompatible import type")
;; Names are bytes: NUL bytes inside them take part in linking, so "a\00b"
;; and "a\00c" are two names, and neither is "a".
(module $Nul
  (func (export "a\00b") (result i32) (i32.const 1))
  (func (export "a\00c") (result i32) (i32.const 2))
)
(register "nul" $Nul)
(module $UseNul
  (import "nul" "a\00c" (func $c (result i32)))
  (func (export "c") (result i32) (call $c))
)
(assert_return (invoke $UseNul "c") (i32.const 2))
(assert_unlinkable
  (module (import "nul" "a" (func (result i32))))
  "unknown import"
)
;; The same holds for the names modules are registered as.
(register "lib\00one" $Nul)
(register "lib\00two" $UseNul)
(module $UseLib
  (import "lib\00one" "a\00b" (func $b (result i32)))
  (import "lib\00two" "c" (func $c (result i32)))
  (func (export "bc") (result i32) (i32.add (call $b) (call $c)))
)
(assert_return (invoke $UseLib "bc") (i32.const 3))
(assert_unlinkable
  (module (import "lib" "a\00b" (func (result i32))))
  "unknown import"
)
(assert_unlinkable
  (module (import "lib\00two" "a\00b" (func (result i32))))
  "unknown import"
)
;; A module definition is validated, not instantiated; each module
;; instance of it has state of its own.
(module definition $Counter
  (global $n (mut i32) (i32.const 0))
  (func (export "next") (result i32)
    (global.set $n (i32.add (global.get $n) (i32.const 1)))
    (global.get $n))
)
(invoke $Counter "next") ;; FAIL a definition is not an instance
(module instance $C1 $Counter)
(module instance $C2 $Counter)
(assert_return (invoke $C1 "next") (i32.const 1))
(assert_return (invoke $C1 "next") (i32.const 2))
(assert_return (invoke $C2 "next") (i32.const 1))
(module instance $C3)
(assert_return (invoke $C3 "next") (i32.const 1))
(assert_return (invoke "next") (i32.const 2))
(module instance $C4 $C1) ;; FAIL $C1 is an instance, not a definition
(module instance $C5 $Nothing) ;; FAIL no such definition
(module definition $Bad (func (result i32) (i64.const 0))) ;; FAIL invalid
(module instance $C6 $Bad) ;; FAIL its definition is invalid
