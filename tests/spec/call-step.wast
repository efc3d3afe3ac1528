;; An i32 add of a constant that computes a call's argument right before
;; the call (fib(n - 1)) runs with the call as one instruction: the first
;; argument or a later one, a step up or down, the step's source another
;; argument, i64 arguments around it, calls to another module's function
;; (which stay apart), and deep recursion that exhausts the stack.
(module $other
  (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))
(register "other" $other)
(module
  (import "other" "inc" (func $inc (param i32) (result i32)))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $pair (param i32 i64 i32) (result i64)
    (i64.add (i64.extend_i32_u (i32.mul (local.get 0) (i32.const 1000)))
             (i64.add (local.get 1) (i64.extend_i32_u (local.get 2)))))
  ;; the last argument stepped; the step's source the first argument
  (func (export "last") (param i32 i64) (result i64)
    (call $pair (local.get 0) (local.get 1) (i32.add (local.get 0) (i32.const 5))))
  ;; the first argument stepped, the others after it
  (func (export "first") (param i32 i64 i32) (result i64)
    (call $pair (i32.add (local.get 2) (i32.const 100)) (local.get 1) (local.get 0)))
  (func (export "far") (param i32) (result i32)
    (call $inc (i32.add (local.get 0) (i32.const 10))))
  ;; the step kept in a local as well
  (func (export "kept") (param i32) (result i32 i32) (local i32)
    (call $fib (local.tee 1 (i32.sub (local.get 0) (i32.const 1))))
    (local.get 1))
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $down (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
)
(assert_return (invoke "fib" (i32.const 0)) (i32.const 0))
(assert_return (invoke "fib" (i32.const 1)) (i32.const 1))
(assert_return (invoke "fib" (i32.const 20)) (i32.const 6765))
(assert_return (invoke "last" (i32.const 3) (i64.const 40)) (i64.const 3048))
(assert_return (invoke "first" (i32.const 7) (i64.const -1) (i32.const 2)) (i64.const 102006))
(assert_return (invoke "far" (i32.const 5)) (i32.const 16))
(assert_return (invoke "kept" (i32.const 10)) (i32.const 34) (i32.const 9))
(assert_return (invoke "down" (i32.const 1000)) (i32.const 1000))
(assert_exhaustion (invoke "down" (i32.const 100000000)) "call stack exhausted")
