;; Calls whose two arguments are moved into the callee's frame right
;; before the call run the moves and the call as one instruction: the
;; arguments in order (swapped, repeated), results, recursion, a trap
;; in the callee, and a recursion that exhausts the stack.
(module
  (func $sub (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
  (func (export "sub") (param $a i32) (param $b i32) (result i32)
    (call $sub (local.get $a) (local.get $b)))
  (func (export "swapped") (param $a i32) (param $b i32) (result i32)
    (call $sub (local.get $b) (local.get $a)))
  (func (export "twice") (param $a i32) (result i32)
    (call $sub (local.get $a) (local.get $a)))
  ;; the result of one call an argument of the next
  (func (export "chain") (param $a i32) (param $b i32) (result i32) (local $t i32)
    (local.set $t (call $sub (local.get $a) (local.get $b)))
    (call $sub (local.get $t) (local.get $b)))
  ;; Euclid's gcd, its arguments moved on each turn
  (func $gcd (export "gcd") (param $a i32) (param $b i32) (result i32) (local $r i32)
    (if (result i32) (i32.eqz (local.get $b))
      (then (local.get $a))
      (else
        (local.set $r (i32.rem_u (local.get $a) (local.get $b)))
        (call $gcd (local.get $b) (local.get $r)))))
  (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "div") (param $a i32) (param $b i32) (result i32)
    (call $div (local.get $a) (local.get $b)))
  (func $forever (export "forever") (param $a i32) (param $b i32) (result i32)
    (call $forever (local.get $b) (local.get $a)))
)

(assert_return (invoke "sub" (i32.const 10) (i32.const 3)) (i32.const 7))
(assert_return (invoke "swapped" (i32.const 10) (i32.const 3)) (i32.const -7))
(assert_return (invoke "twice" (i32.const 12345)) (i32.const 0))
(assert_return (invoke "chain" (i32.const 10) (i32.const 3)) (i32.const 4))
(assert_return (invoke "gcd" (i32.const 1071) (i32.const 462)) (i32.const 21))
(assert_return (invoke "gcd" (i32.const 462) (i32.const 1071)) (i32.const 21))
(assert_return (invoke "gcd" (i32.const 0x7fffffff) (i32.const 1)) (i32.const 1))
(assert_return (invoke "div" (i32.const 7) (i32.const -2)) (i32.const -3))
(assert_trap (invoke "div" (i32.const 7) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div" (i32.const 0x80000000) (i32.const -1)) "integer overflow")
(assert_exhaustion (invoke "forever" (i32.const 1) (i32.const 2)) "call stack exhausted")
