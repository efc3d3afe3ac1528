;; Two i32 additions of a constant in a row run as one instruction, and
;; an addition right before an unconditional branch joins the branch.
;; Each case checks that the pair does what the two did in order.
(module
  (memory 1)
  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00\05\00\00\00")

  ;; Two independent steps.
  (func (export "two") (param i32 i32) (result i32 i32)
    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
    (local.set 1 (i32.add (local.get 1) (i32.const 4)))
    (local.get 0) (local.get 1))
  ;; The second reads the first's result.
  (func (export "chained") (param i32) (result i32 i32)
    (local i32)
    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
    (local.set 1 (i32.add (local.get 0) (i32.const 5)))
    (local.get 0) (local.get 1))
  ;; The second overwrites what the first read.
  (func (export "overwrite") (param i32 i32) (result i32 i32)
    (local.set 0 (i32.add (local.get 1) (i32.const 1)))
    (local.set 1 (i32.add (local.get 1) (i32.const 2)))
    (local.get 0) (local.get 1))
  ;; Both write the same local: the second wins.
  (func (export "same") (param i32) (result i32)
    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
    (local.set 0 (i32.add (local.get 0) (i32.const 2)))
    (local.get 0))
  ;; Subtractions and negative constants, with wrap-around.
  (func (export "sub") (param i32 i32) (result i32 i32)
    (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
    (local.set 1 (i32.add (local.get 1) (i32.const -3)))
    (local.get 0) (local.get 1))
  (func (export "wrap") (param i32 i32) (result i32 i32)
    (local.set 0 (i32.add (local.get 0) (i32.const 0x7fffffff)))
    (local.set 1 (i32.sub (local.get 1) (i32.const 0x80000000)))
    (local.get 0) (local.get 1))
  ;; The second's result is the function's: it goes to the return slot.
  (func (export "ret") (param i32 i32) (result i32)
    (local.set 0 (i32.add (local.get 0) (i32.const 10)))
    (drop (i32.add (local.get 1) (local.get 0)))
    (local.set 0 (i32.add (local.get 0) (i32.const 10)))
    (i32.add (local.get 0) (i32.const 7)))
  ;; The second is an address a load takes in: the first still happens.
  (func (export "load") (param i32 i32) (result i32 i32)
    (local.set 1 (i32.add (local.get 1) (i32.const 100)))
    (i32.load (i32.add (local.get 0) (i32.const 4)))
    (local.get 1))
  ;; The second's result is a condition (a count down to zero).
  (func (export "countdown") (param i32) (result i32)
    (local i32)
    (loop
      (local.set 1 (i32.add (local.get 1) (i32.const 3)))
      (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 1))
  ;; The second is compared with a bound.
  (func (export "upto") (param i32) (result i32)
    (local i32 i32)
    (loop
      (local.set 2 (i32.add (local.get 2) (i32.const 2)))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 2))
  ;; The first's result feeds the second directly (no local between).
  (func (export "nested") (param i32) (result i32)
    (i32.add (i32.add (local.get 0) (i32.const 1)) (i32.const 5)))
  ;; A pointer and an index stepped together over memory.
  (func (export "sum") (param i32) (result i32)
    (local i32 i32 i32)
    (block
      (loop
        (br_if 1 (i32.ge_u (local.get 2) (local.get 0)))
        (local.set 3 (i32.add (local.get 3) (i32.load (local.get 1))))
        (local.set 1 (i32.add (local.get 1) (i32.const 4)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br 0)))
    (local.get 3))
  ;; A step then a jump back (the loop's own branch).
  (func (export "back") (param i32) (result i32)
    (local i32 i32)
    (block
      (loop
        (br_if 1 (i32.ge_u (local.get 1) (local.get 0)))
        (local.set 2 (i32.add (local.get 2) (local.get 1)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br 0)))
    (local.get 2))
  ;; A step then a jump forward, out of a block.
  (func (export "forward") (param i32) (result i32)
    (block
      (local.set 0 (i32.sub (local.get 0) (i32.const 9)))
      (br 0)
      (local.set 0 (i32.const 0)))
    (local.get 0))
  ;; A step then a jump to a block that takes a value: the value moves.
  (func (export "value") (param i32) (result i32)
    (block (result i32)
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (br 0 (local.get 0))))
  ;; A step whose result the branch carries (a temporary).
  (func (export "carried") (param i32) (result i32)
    (block (result i32)
      (br 0 (i32.add (local.get 0) (i32.const 1)))))
  ;; br_if with values to move, the step just before it.
  (func (export "br-if") (param i32 i32) (result i32)
    (block (result i32)
      (local.set 0 (i32.add (local.get 0) (i32.const 2)))
      (br_if 0 (local.get 0) (local.get 1))
      (drop)
      (i32.const -1)))
)
(assert_return (invoke "two" (i32.const 5) (i32.const 10)) (i32.const 6) (i32.const 14))
(assert_return (invoke "chained" (i32.const 5)) (i32.const 6) (i32.const 11))
(assert_return (invoke "overwrite" (i32.const 0) (i32.const 10)) (i32.const 11) (i32.const 12))
(assert_return (invoke "same" (i32.const 5)) (i32.const 8))
(assert_return (invoke "sub" (i32.const 0) (i32.const 1)) (i32.const -1) (i32.const -2))
(assert_return (invoke "wrap" (i32.const 1) (i32.const 1)) (i32.const 0x80000000) (i32.const 0x80000001))
(assert_return (invoke "wrap" (i32.const 0x80000001) (i32.const 0x80000000)) (i32.const 0) (i32.const 0))
(assert_return (invoke "wrap" (i32.const -1) (i32.const 0)) (i32.const 0x7ffffffe) (i32.const 0x80000000))
(assert_return (invoke "ret" (i32.const 1) (i32.const 2)) (i32.const 28))
(assert_return (invoke "load" (i32.const 8) (i32.const 1)) (i32.const 4) (i32.const 101))
(assert_return (invoke "load" (i32.const 0) (i32.const -100)) (i32.const 2) (i32.const 0))
(assert_trap (invoke "load" (i32.const 65532) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "countdown" (i32.const 1)) (i32.const 3))
(assert_return (invoke "countdown" (i32.const 7)) (i32.const 21))
(assert_return (invoke "upto" (i32.const 1)) (i32.const 2))
(assert_return (invoke "upto" (i32.const 10)) (i32.const 20))
(assert_return (invoke "nested" (i32.const -6)) (i32.const 0))
(assert_return (invoke "nested" (i32.const 0xfffffffa)) (i32.const 0))
(assert_return (invoke "sum" (i32.const 0)) (i32.const 0))
(assert_return (invoke "sum" (i32.const 3)) (i32.const 6))
(assert_return (invoke "sum" (i32.const 5)) (i32.const 15))
(assert_return (invoke "back" (i32.const 0)) (i32.const 0))
(assert_return (invoke "back" (i32.const 10)) (i32.const 45))
(assert_return (invoke "forward" (i32.const 10)) (i32.const 1))
(assert_return (invoke "forward" (i32.const 0)) (i32.const -9))
(assert_return (invoke "value" (i32.const 41)) (i32.const 42))
(assert_return (invoke "carried" (i32.const -1)) (i32.const 0))
(assert_return (invoke "br-if" (i32.const 1) (i32.const 1)) (i32.const 3))
(assert_return (invoke "br-if" (i32.const 1) (i32.const 0)) (i32.const -1))
