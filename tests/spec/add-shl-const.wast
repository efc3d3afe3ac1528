;; An i32 add of a shifted index and a constant (an element's field:
;; base + (i << k) + offset) runs as one instruction, whichever add comes
;; first: the constant added last, added first to the base, on either
;; side, a negative one, sums that wrap, the same local as base and
;; index, counts taken modulo 32, the address of a load and a store, and
;; a partial sum kept in a local (which stays apart).
(module
  (memory 1)
  (data (i32.const 0) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f")
  (data (i32.const 16) "\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f")
  ;; (b + (i << 3)) + 4, and with the constant on the left
  (func (export "after") (param i32 i32) (result i32)
    (i32.add (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 3))) (i32.const 4)))
  (func (export "after-l") (param i32 i32) (result i32)
    (i32.add (i32.const 4) (i32.add (i32.shl (local.get 1) (i32.const 3)) (local.get 0))))
  ;; (b + 32) + (i << 2)
  (func (export "before") (param i32 i32) (result i32)
    (i32.add (i32.add (local.get 0) (i32.const 32)) (i32.shl (local.get 1) (i32.const 2))))
  ;; a negative constant, after and before
  (func (export "neg-after") (param i32 i32) (result i32)
    (i32.add (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 1))) (i32.const -8)))
  (func (export "neg-before") (param i32 i32) (result i32)
    (i32.add (i32.sub (local.get 0) (i32.const 8)) (i32.shl (local.get 1) (i32.const 1))))
  ;; base and index the same local
  (func (export "same") (param i32) (result i32)
    (i32.add (i32.add (local.get 0) (i32.const 5)) (i32.shl (local.get 0) (i32.const 4))))
  ;; a count of 35 is 3
  (func (export "count") (param i32 i32) (result i32)
    (i32.add (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 35))) (i32.const 1)))
  ;; the address of a load and of a store
  (func (export "load") (param i32 i32) (result i32)
    (i32.load8_u (i32.add (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2))) (i32.const 3))))
  (func (export "load-before") (param i32 i32) (result i32)
    (i32.load (i32.add (i32.add (local.get 0) (i32.const 8)) (i32.shl (local.get 1) (i32.const 2)))))
  (func (export "store") (param i32 i32 i32) (result i32)
    (i32.store8 (i32.add (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 1))) (i32.const 1))
                (local.get 2))
    (i32.load (i32.const 0)))
  ;; the partial sum kept in a local, then the constant added
  (func (export "kept") (param i32 i32) (result i32 i32) (local i32)
    (i32.add (local.tee 2 (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2))))
             (i32.const 100))
    (local.get 2))
  ;; the base plus constant kept in a local, then the shifted index added
  (func (export "kept-before") (param i32 i32) (result i32 i32) (local i32)
    (i32.add (local.tee 2 (i32.add (local.get 0) (i32.const 100)))
             (i32.shl (local.get 1) (i32.const 2)))
    (local.get 2))
  ;; a sum over an array of 8-byte records, the field at offset 4
  (func (export "fields") (param i32 i32) (result i32) (local i32 i32)
    (block (loop
      (br_if 1 (i32.ge_u (local.get 2) (local.get 1)))
      (local.set 3 (i32.add (local.get 3)
                            (i32.load8_u (i32.add (i32.add (local.get 0) (i32.shl (local.get 2) (i32.const 3)))
                                                  (i32.const 4)))))
      (local.set 2 (i32.add (local.get 2) (i32.const 1)))
      (br 0)))
    (local.get 3))
)
(assert_return (invoke "after" (i32.const 100) (i32.const 3)) (i32.const 128))
(assert_return (invoke "after" (i32.const -1) (i32.const 0x20000000)) (i32.const 3))
(assert_return (invoke "after-l" (i32.const 100) (i32.const 3)) (i32.const 128))
(assert_return (invoke "after-l" (i32.const 0x7ffffffc) (i32.const 0)) (i32.const 0x80000000))
(assert_return (invoke "before" (i32.const 100) (i32.const 3)) (i32.const 144))
(assert_return (invoke "before" (i32.const -32) (i32.const 0x40000001)) (i32.const 4))
(assert_return (invoke "neg-after" (i32.const 100) (i32.const 3)) (i32.const 98))
(assert_return (invoke "neg-after" (i32.const 0) (i32.const 0)) (i32.const -8))
(assert_return (invoke "neg-before" (i32.const 100) (i32.const 3)) (i32.const 98))
(assert_return (invoke "neg-before" (i32.const 0) (i32.const 0x80000000)) (i32.const -8))
(assert_return (invoke "same" (i32.const 3)) (i32.const 56))
(assert_return (invoke "count" (i32.const 10) (i32.const 2)) (i32.const 27))
(assert_return (invoke "load" (i32.const 0) (i32.const 3)) (i32.const 15))
(assert_return (invoke "load" (i32.const 4) (i32.const 5)) (i32.const 27))
(assert_return (invoke "load-before" (i32.const 0) (i32.const 1)) (i32.const 0x0f0e0d0c))
(assert_return (invoke "store" (i32.const 0) (i32.const 1) (i32.const 0xaa)) (i32.const 0xaa020100))
(assert_return (invoke "kept" (i32.const 1000) (i32.const 5)) (i32.const 1120) (i32.const 1020))
(assert_return (invoke "kept-before" (i32.const 1000) (i32.const 5)) (i32.const 1120) (i32.const 1100))
(assert_return (invoke "fields" (i32.const 0) (i32.const 4)) (i32.const 64))
(assert_return (invoke "fields" (i32.const 8) (i32.const 3)) (i32.const 60))
(assert_trap (invoke "load" (i32.const 65532) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "load-before" (i32.const 65528) (i32.const 0)) "out of bounds memory access")
