;; Integer binops that feed the next one straight away pass the value in
;; the interpreter's accumulator; these check every way a result reaches
;; the next instruction, including those that must not use it.
(module
  ;; A chain: each result is operand a of the next.
  (func (export "chain") (param i32 i32 i32 i32) (result i32)
    (i32.add (i32.mul (i32.xor (local.get 0) (local.get 1)) (local.get 2))
             (local.get 3)))
  ;; The fresh result is operand b of a commuting op.
  (func (export "commuted") (param i32 i32 i32) (result i32)
    (i32.and (local.get 0) (i32.mul (local.get 1) (local.get 2))))
  ;; ... and of ops that do not commute: a stays a.
  (func (export "sub-b") (param i32 i32 i32) (result i32)
    (i32.sub (local.get 0) (i32.mul (local.get 1) (local.get 2))))
  (func (export "shl-b") (param i32 i32 i32) (result i32)
    (i32.shl (local.get 0) (i32.add (local.get 1) (local.get 2))))
  ;; Two results on the stack: the last one is b.
  (func (export "two-products") (param i32 i32 i32 i32) (result i32)
    (i32.sub (i32.mul (local.get 0) (local.get 1))
             (i32.mul (local.get 2) (local.get 3))))
  (func (export "two-sums") (param i32 i32 i32 i32) (result i32)
    (i32.xor (i32.shl (local.get 0) (local.get 1))
             (i32.rotl (local.get 2) (local.get 3))))
  ;; Constant operands (the _I forms), long chain.
  (func (export "consts") (param i32) (result i32)
    (i32.shr_u
      (i32.xor (i32.or (i32.and (i32.sub (i32.mul (i32.add (local.get 0)
        (i32.const 7)) (i32.const 31)) (i32.const 5)) (i32.const 0xffff0))
        (i32.const 1)) (i32.const 0x5555)) (i32.const 3)))
  ;; A signed shift's negative i32 result feeding i32 ops.
  (func (export "shr-s") (param i32) (result i32)
    (i32.shr_u (i32.shr_s (local.get 0) (i32.const 4)) (i32.const 28)))
  (func (export "shr-s-sub") (param i32 i32) (result i32)
    (i32.sub (i32.shr_s (local.get 0) (i32.const 1)) (local.get 1)))
  ;; i64 chains with rotates and shifts.
  (func (export "mix64") (param i64 i64) (result i64)
    (i64.xor (i64.rotl (i64.mul (i64.add (local.get 0) (local.get 1))
                                (i64.const 0x9e3779b97f4a7c15))
                       (i64.const 27))
             (i64.shr_u (local.get 0) (i64.const 33))))
  (func (export "shr-s64") (param i64) (result i64)
    (i64.add (i64.shr_s (local.get 0) (i64.const 60)) (i64.const 1)))
  ;; A result kept in a local by tee and read again.
  (func (export "tee") (param i32 i32) (result i32) (local i32)
    (i32.mul (local.tee 2 (i32.add (local.get 0) (local.get 1)))
             (local.get 2)))
  ;; A counter step stored to a local, then read by the next op.
  (func (export "step") (param i32) (result i32) (local i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 5)))
    (i32.mul (local.get 1) (i32.const 3)))
  ;; A result passed into a block as its parameter.
  (func (export "block-param") (param i32 i32) (result i32)
    (i32.mul (local.get 0) (local.get 1))
    (block (param i32) (result i32) (i32.const 3) (i32.add)))
  ;; Something in between: the accumulator must not be used.
  (func (export "between") (param i32 i32) (result i32) (local i32)
    (local.set 2 (i32.mul (local.get 0) (local.get 1)))
    (i32.sub (local.get 0) (local.get 1))
    (local.get 2)
    (i32.add))
  ;; Loops: a back edge is a label, the value comes from the slot.
  (func (export "loop") (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.const 1))
    (loop $l
      (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 3))
                            (local.get 2)))
      (local.set 2 (i32.add (local.get 2) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 2) (local.get 0))))
    (local.get 1))
  ;; A branch target right after a producer: the value may come from
  ;; either path.
  (func (export "join") (param i32 i32) (result i32)
    (i32.mul (local.get 1) (local.get 1))
    (block (param i32) (result i32)
      (br_if 0 (local.get 0))
      (drop)
      (i32.add (local.get 1) (i32.const 100)))
    (i32.add (local.get 1)))
  ;; The result as a condition and a select operand.
  (func (export "cond") (param i32 i32) (result i32)
    (if (result i32) (i32.and (local.get 0) (local.get 1))
      (then (i32.const 1)) (else (i32.const 2))))
  (func (export "sel") (param i32 i32) (result i32)
    (select (i32.add (local.get 0) (local.get 1))
            (i32.sub (local.get 0) (local.get 1))
            (i32.xor (local.get 0) (local.get 1))))
  ;; A chain across a call's argument and its result.
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func (export "call") (param i32) (result i32)
    (i32.add (call $sq (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
)
(assert_return (invoke "chain" (i32.const 6) (i32.const 3) (i32.const 7) (i32.const 2)) (i32.const 37))
(assert_return (invoke "commuted" (i32.const 0xff) (i32.const 100) (i32.const 300)) (i32.const 0x30))
(assert_return (invoke "sub-b" (i32.const 10) (i32.const 3) (i32.const 4)) (i32.const -2))
(assert_return (invoke "shl-b" (i32.const 3) (i32.const 2) (i32.const 2)) (i32.const 48))
(assert_return (invoke "two-products" (i32.const 5) (i32.const 6) (i32.const 2) (i32.const 3)) (i32.const 24))
(assert_return (invoke "two-sums" (i32.const 1) (i32.const 4) (i32.const 0x80000001) (i32.const 1)) (i32.const 19))
(assert_return (invoke "consts" (i32.const 100)) (i32.const 2868))
(assert_return (invoke "shr-s" (i32.const -16)) (i32.const 15))
(assert_return (invoke "shr-s-sub" (i32.const -8) (i32.const 1)) (i32.const -5))
(assert_return (invoke "mix64" (i64.const 1) (i64.const 2)) (i64.const 0x63eefba1fed53369))
(assert_return (invoke "shr-s64" (i64.const 0x8000000000000000)) (i64.const -7))
(assert_return (invoke "tee" (i32.const 3) (i32.const 4)) (i32.const 49))
(assert_return (invoke "step" (i32.const 2)) (i32.const 21))
(assert_return (invoke "block-param" (i32.const 6) (i32.const 7)) (i32.const 45))
(assert_return (invoke "between" (i32.const 6) (i32.const 7)) (i32.const 41))
(assert_return (invoke "loop" (i32.const 4)) (i32.const 99))
(assert_return (invoke "join" (i32.const 1) (i32.const 5)) (i32.const 30))
(assert_return (invoke "join" (i32.const 0) (i32.const 5)) (i32.const 110))
(assert_return (invoke "cond" (i32.const 6) (i32.const 3)) (i32.const 1))
(assert_return (invoke "cond" (i32.const 4) (i32.const 3)) (i32.const 2))
(assert_return (invoke "sel" (i32.const 3) (i32.const 1)) (i32.const 4))
(assert_return (invoke "sel" (i32.const 3) (i32.const 3)) (i32.const 0))
(assert_return (invoke "call" (i32.const 4)) (i32.const 26))
