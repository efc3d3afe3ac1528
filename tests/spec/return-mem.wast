;; A return finds the caller's memory 0 as the callee left it: grown by
;; the callee, shared with the callee's instance, or another instance's
;; memory altogether (which the return must switch back from).

;; The callee grows the memory the caller then reads and writes past its
;; old end; the new end still traps.
(module
  (memory 1)
  (func $grow (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "grow-then-touch") (result i32)
    (drop (call $grow (i32.const 1)))
    (i32.store (i32.const 65540) (i32.const 77))
    (i32.load (i32.const 65540)))
  (func (export "grow-then-past") (result i32)
    (drop (call $grow (i32.const 1)))
    (i32.load (i32.const 196606)))
  (func (export "load-at") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "size") (result i32) (memory.size))
)
(assert_return (invoke "size") (i32.const 1))
(assert_return (invoke "grow-then-touch") (i32.const 77))
(assert_return (invoke "size") (i32.const 2))
(assert_trap (invoke "grow-then-past") "out of bounds memory access")
(assert_return (invoke "size") (i32.const 3))
(assert_return (invoke "load-at" (i32.const 196604)) (i32.const 0))
(assert_return (invoke "load-at" (i32.const 65540)) (i32.const 77))

;; Two instances, each with a memory of its own: a call to the other
;; instance and back, and a call from it back into the first.
(module $A
  (memory (export "mem") 1)
  (data (i32.const 0) "\0a\00\00\00")
  (func (export "peek") (result i32) (i32.load (i32.const 0)))
)
(register "A" $A)
(module $B
  (import "A" "peek" (func $peek (result i32)))
  (memory 1)
  (data (i32.const 0) "\14\00\00\00")
  ;; B's value, then A's through a call into A, then B's again.
  (func (export "mine") (result i32) (i32.load (i32.const 0)))
  (func (export "round") (result i32)
    (i32.add (i32.add (i32.load (i32.const 0)) (call $peek))
             (i32.mul (i32.load (i32.const 0)) (i32.const 100))))
  ;; A tail call into A: A's function returns to round-tail's caller.
  (func $tail (result i32) (return_call $peek))
  (func (export "round-tail") (result i32)
    (i32.add (i32.add (i32.load (i32.const 0)) (call $tail))
             (i32.mul (i32.load (i32.const 0)) (i32.const 100))))
)
(register "B" $B)
(assert_return (invoke $B "round") (i32.const 2030))
(assert_return (invoke $B "round-tail") (i32.const 2030))
(module $C
  (import "B" "mine" (func $b (result i32)))
  (import "B" "round" (func $round (result i32)))
  (memory 1)
  (data (i32.const 0) "\1e\00\00\00")
  ;; C's memory around calls into B (which itself calls A).
  (func (export "chain") (result i32)
    (i32.add
      (i32.add (i32.load (i32.const 0)) (call $b))
      (i32.add (call $round) (i32.mul (i32.load (i32.const 0)) (i32.const 10000)))))
)
(assert_return (invoke $C "chain") (i32.const 302080))

;; An imported memory grown by the instance that imports it: the
;; exporter, called back after the grow, and after the importer returns,
;; sees the new size and contents.
(module $M
  (memory (export "mem") 1)
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
)
(register "M" $M)
(module $G
  (import "M" "mem" (memory 1))
  (import "M" "load" (func $load (param i32) (result i32)))
  (func (export "grow-store") (param i32) (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.store (local.get 0) (i32.const 55))
    (call $load (local.get 0)))
)
(register "G" $G)
(module
  (import "M" "mem" (memory 1))
  (import "G" "grow-store" (func $gs (param i32) (result i32)))
  (func (export "after") (result i32)
    (i32.add (call $gs (i32.const 65544))
             (i32.load (i32.const 65544))))
  (func (export "size") (result i32) (memory.size))
)
(assert_return (invoke "after") (i32.const 110))
(assert_return (invoke "size") (i32.const 2))
