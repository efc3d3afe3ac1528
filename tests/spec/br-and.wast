;; A branch on an i32.and of a constant (a bit test), or on that and
;; compared with zero, runs as one instruction: br_if and if, eqz, eq 0
;; and ne 0 on either side, masks with the top bit, all bits and none,
;; the and's operand just computed, a popcount loop; and the forms that
;; stay apart: the result kept in a local, compared with another value.
(module
  (func (export "br-if") (param i32) (result i32)
    (block $y
      (br_if $y (i32.and (local.get 0) (i32.const 4)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "if") (param i32) (result i32)
    (if (result i32) (i32.and (local.get 0) (i32.const 0x80000000))
      (then (i32.const 10)) (else (i32.const 20))))
  (func (export "eqz") (param i32) (result i32)
    (block $y
      (br_if $y (i32.eqz (i32.and (local.get 0) (i32.const 3))))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "if-eqz") (param i32) (result i32)
    (if (result i32) (i32.eqz (i32.and (local.get 0) (i32.const -1)))
      (then (i32.const 10)) (else (i32.const 20))))
  (func (export "eq0") (param i32) (result i32)
    (block $y
      (br_if $y (i32.eq (i32.and (local.get 0) (i32.const 0x10)) (i32.const 0)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "ne0-l") (param i32) (result i32)
    (block $y
      (br_if $y (i32.ne (i32.const 0) (i32.and (i32.const 0x100) (local.get 0))))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "none") (param i32) (result i32)
    (block $y
      (br_if $y (i32.and (local.get 0) (i32.const 0)))
      (return (i32.const 0)))
    (i32.const 1))
  ;; The and's operand a sum just computed (taken from the accumulator).
  (func (export "sum") (param i32 i32) (result i32)
    (block $y
      (br_if $y (i32.and (i32.add (local.get 0) (local.get 1)) (i32.const 1)))
      (return (i32.const 0)))
    (i32.const 1))
  ;; Set bits counted one at a time.
  (func (export "popcnt") (param i32) (result i32) (local i32 i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get 2) (i32.const 32)))
        (if (i32.and (local.get 0) (i32.const 1))
          (then (local.set 1 (i32.add (local.get 1) (i32.const 1)))))
        (local.set 0 (i32.shr_u (local.get 0) (i32.const 1)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $next)))
    (local.get 1))
  ;; Kept in a local: apart, and the local holds the and.
  (func (export "kept") (param i32) (result i32) (local i32)
    (block $y
      (br_if $y (local.tee 1 (i32.and (local.get 0) (i32.const 6))))
      (return (i32.sub (i32.const 0) (local.get 1))))
    (local.get 1))
  ;; Compared with another value: apart.
  (func (export "eq3") (param i32) (result i32)
    (block $y
      (br_if $y (i32.eq (i32.and (local.get 0) (i32.const 3)) (i32.const 3)))
      (return (i32.const 0)))
    (i32.const 1))
)
(assert_return (invoke "br-if" (i32.const 4)) (i32.const 1))
(assert_return (invoke "br-if" (i32.const 3)) (i32.const 0))
(assert_return (invoke "br-if" (i32.const -1)) (i32.const 1))
(assert_return (invoke "if" (i32.const -1)) (i32.const 10))
(assert_return (invoke "if" (i32.const 0x7fffffff)) (i32.const 20))
(assert_return (invoke "eqz" (i32.const 4)) (i32.const 1))
(assert_return (invoke "eqz" (i32.const 6)) (i32.const 0))
(assert_return (invoke "if-eqz" (i32.const 0)) (i32.const 10))
(assert_return (invoke "if-eqz" (i32.const 0x80000000)) (i32.const 20))
(assert_return (invoke "eq0" (i32.const 0x0f)) (i32.const 1))
(assert_return (invoke "eq0" (i32.const 0x1f)) (i32.const 0))
(assert_return (invoke "ne0-l" (i32.const 0x1ff)) (i32.const 1))
(assert_return (invoke "ne0-l" (i32.const 0xff)) (i32.const 0))
(assert_return (invoke "none" (i32.const -1)) (i32.const 0))
(assert_return (invoke "sum" (i32.const 2) (i32.const 3)) (i32.const 1))
(assert_return (invoke "sum" (i32.const -1) (i32.const 3)) (i32.const 0))
(assert_return (invoke "popcnt" (i32.const 0)) (i32.const 0))
(assert_return (invoke "popcnt" (i32.const -1)) (i32.const 32))
(assert_return (invoke "popcnt" (i32.const 0x80000001)) (i32.const 2))
(assert_return (invoke "popcnt" (i32.const 0x12345678)) (i32.const 13))
(assert_return (invoke "kept" (i32.const 5)) (i32.const 4))
(assert_return (invoke "kept" (i32.const 9)) (i32.const 0))
(assert_return (invoke "eq3" (i32.const 7)) (i32.const 1))
(assert_return (invoke "eq3" (i32.const 5)) (i32.const 0))
