;; A call of the running function itself takes its code from the running
;; function rather than from the callee the instruction names (interp.c,
;; ENTER).  Self calls in each form a call compiles to (a plain call, one
;; with its argument computed in it, one after argument moves, through a
;; table, through a reference), recursion through another function, and
;; the same module instantiated twice, calling the other instance's copy
;; of itself: a copy is not itself, and each keeps its own memory and
;; globals.

(module
  (type $t (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $fib-ind $odd)
  (global $calls (mut i32) (i32.const 0))
  (func $fib (export "fib") (param i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "calls") (result i32) (global.get $calls))
  ;; Two arguments moved into place, then the call.
  (func $ack (export "ack") (param i32 i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.add (local.get 1) (i32.const 1)))
      (else
        (if (result i32) (i32.eqz (local.get 1))
          (then (call $ack (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))
          (else (call $ack (i32.sub (local.get 0) (i32.const 1))
                           (call $ack (local.get 0) (i32.sub (local.get 1) (i32.const 1)))))))))
  ;; Locals past the parameters start at zero in every frame.
  (func $sum (export "sum") (param i32) (result i32) (local i32 i32 i32 i32 i32 i32)
    (local.set 6 (i32.add (local.get 6) (local.get 0)))
    (local.set 1 (i32.add (local.get 1) (i32.const 1)))
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.add (local.get 6) (local.get 1)))
      (else (i32.add (local.get 6)
                     (i32.add (local.get 1) (call $sum (i32.sub (local.get 0) (i32.const 1))))))))
  (func $fib-ind (export "fib-ind") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))
                     (call_indirect (type $t) (i32.sub (local.get 0) (i32.const 2)) (i32.const 0))))))
  (elem declare func $fib-ref)
  (func $fib-ref (export "fib-ref") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call_ref $t (i32.sub (local.get 0) (i32.const 1)) (ref.func $fib-ref))
                     (call_ref $t (i32.sub (local.get 0) (i32.const 2)) (ref.func $fib-ref))))))
  ;; Recursion through another function, and through the table.
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
      (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (call $even (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "odd-ind") (param i32) (result i32)
    (call_indirect (type $t) (local.get 0) (i32.const 1)))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1)))))))
  (func $forever (export "forever") (param i32) (result i32)
    (call $forever (i32.add (local.get 0) (i32.const 1))))
)
(assert_return (invoke "fib" (i32.const 0)) (i32.const 0))
(assert_return (invoke "fib" (i32.const 1)) (i32.const 1))
(assert_return (invoke "fib" (i32.const 20)) (i32.const 6765))
(assert_return (invoke "calls") (i32.const 21893))
(assert_return (invoke "ack" (i32.const 2) (i32.const 3)) (i32.const 9))
(assert_return (invoke "ack" (i32.const 3) (i32.const 3)) (i32.const 61))
(assert_return (invoke "sum" (i32.const 0)) (i32.const 1))
(assert_return (invoke "sum" (i32.const 10)) (i32.const 66))
(assert_return (invoke "fib-ind" (i32.const 20)) (i32.const 6765))
(assert_return (invoke "fib-ref" (i32.const 20)) (i32.const 6765))
(assert_return (invoke "even" (i32.const 100)) (i32.const 1))
(assert_return (invoke "even" (i32.const 7)) (i32.const 0))
(assert_return (invoke "odd-ind" (i32.const 7)) (i32.const 1))
(assert_return (invoke "deep" (i32.const 10000)) (i32.const 10000))
(assert_exhaustion (invoke "forever" (i32.const 0)) "call stack exhausted")
(assert_return (invoke "fib" (i32.const 10)) (i32.const 55))

;; The same module twice: "walk" counts down, each step in the other
;; instance when its argument is odd (an imported copy of itself, the
;; same code, another function) and in its own otherwise; each instance
;; adds its tag to its memory and to its global at every step.
(module $P
  (global $g (export "g") (mut i32) (i32.const 0))
  (memory (export "mem") 1)
  (func $walk (export "walk") (param i32) (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $walk (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "count") (result i32) (i32.load (i32.const 0)))
)
(register "P" $P)
(module $Q
  (import "P" "walk" (func $other (param i32) (result i32)))
  (global $g (export "g") (mut i32) (i32.const 0))
  (memory 1)
  (func $walk (export "walk") (param i32) (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 100)))
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 100)))
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else
        (if (result i32) (i32.and (local.get 0) (i32.const 1))
          (then (i32.add (i32.const 1) (call $other (i32.sub (local.get 0) (i32.const 1)))))
          (else (i32.add (i32.const 1) (call $walk (i32.sub (local.get 0) (i32.const 1)))))))))
  (func (export "count") (result i32) (i32.load (i32.const 0)))
  (func (export "gq") (result i32) (global.get $g))
)
;; 6 → 5 in Q (even), 5 → 4 in P (odd: the call leaves Q), P then walks
;; 4, 3, 2, 1, 0 by itself: Q runs twice, P five times.
(assert_return (invoke $Q "walk" (i32.const 6)) (i32.const 6))
(assert_return (invoke $Q "count") (i32.const 200))
(assert_return (invoke $Q "gq") (i32.const 200))
(assert_return (invoke $P "count") (i32.const 5))
(assert_return (get $P "g") (i32.const 5))
