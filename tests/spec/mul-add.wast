;; An i32 add to the product of an i32.mul by a constant runs as one
;; instruction: plus a constant or a slot, on either side, the slot a
;; temporary, products and sums that wrap, a negative factor, the
;; factor's operand from the accumulator, a multiplicative hash in a
;; loop; and a product kept in a local, which stays apart.
(module
  (memory 1)
  (data (i32.const 0) "hash me\00")
  (func (export "k") (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 12)) (i32.const 4440)))
  (func (export "k-l") (param i32) (result i32)
    (i32.add (i32.const 7) (i32.mul (local.get 0) (i32.const 3))))
  (func (export "slot") (param i32 i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 24)) (local.get 1)))
  (func (export "slot-l") (param i32 i32) (result i32)
    (i32.add (local.get 1) (i32.mul (local.get 0) (i32.const 24))))
  (func (export "temp") (param i32 i32 i32) (result i32)
    (i32.add (i32.sub (local.get 1) (local.get 2)) (i32.mul (local.get 0) (i32.const 5))))
  (func (export "neg") (param i32 i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const -3)) (local.get 1)))
  (func (export "same") (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 10)) (local.get 0)))
  ;; The factor's operand a sum just computed.
  (func (export "acc") (param i32 i32) (result i32)
    (i32.add (i32.mul (i32.add (local.get 0) (local.get 1)) (i32.const 31)) (i32.const 1)))
  ;; Kept in a local: apart.
  (func (export "kept") (param i32) (result i32 i32) (local i32)
    (i32.add (local.tee 1 (i32.mul (local.get 0) (i32.const 6))) (i32.const 1))
    (local.get 1))
  ;; h = h * 31 + byte over a string.
  (func (export "hash") (param i32) (result i32) (local i32 i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.tee 2 (i32.load8_u (local.get 0)))))
        (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 31)) (local.get 2)))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (br $next)))
    (local.get 1))
)
(assert_return (invoke "k" (i32.const 0)) (i32.const 4440))
(assert_return (invoke "k" (i32.const 10)) (i32.const 4560))
(assert_return (invoke "k" (i32.const 0x40000000)) (i32.const 4440))
(assert_return (invoke "k-l" (i32.const 5)) (i32.const 22))
(assert_return (invoke "k-l" (i32.const -1)) (i32.const 4))
(assert_return (invoke "slot" (i32.const 3) (i32.const 100)) (i32.const 172))
(assert_return (invoke "slot" (i32.const -1) (i32.const 24)) (i32.const 0))
(assert_return (invoke "slot-l" (i32.const 3) (i32.const 100)) (i32.const 172))
(assert_return (invoke "temp" (i32.const 4) (i32.const 10) (i32.const 3)) (i32.const 27))
(assert_return (invoke "neg" (i32.const 5) (i32.const 100)) (i32.const 85))
(assert_return (invoke "neg" (i32.const 0x80000000) (i32.const 0)) (i32.const 0x80000000))
(assert_return (invoke "same" (i32.const 7)) (i32.const 77))
(assert_return (invoke "acc" (i32.const 1) (i32.const 2)) (i32.const 94))
(assert_return (invoke "kept" (i32.const 7)) (i32.const 43) (i32.const 42))
(assert_return (invoke "hash" (i32.const 0)) (i32.const 0x299281ea))
(assert_return (invoke "hash" (i32.const 5)) (i32.const 3480))
