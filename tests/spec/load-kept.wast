;; A load whose address the instruction right before it computed into a
;; local (p = base + i; ... = *p) runs with that computation as one
;; instruction that still writes the local: every form of the sum
;; (a + b, a + or - a constant, a + (b << k), a + (b << k) + a constant,
;; a * constant + constant),
;; loads of every width, the sum wrapping at 32 bits before the offset,
;; the local being the base itself (a pointer stepped) or the load's own
;; destination, the forms that stay apart, and traps (nothing written).
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (data (i32.const 16) "\f1\f2\f3\f4\f5\f6\f7\f8\f9\fa\fb\fc\fd\fe\ff\80")
  (data (i32.const 32) "\00\00\00\00\00\00\f0\3f\00\00\00\00\00\00\00\40")
  ;; a + b: the value and the kept sum
  (func (export "a") (param $b i32) (param $i i32) (result i32 i32) (local $p i32)
    (i32.load offset=1 (local.tee $p (i32.add (local.get $b) (local.get $i))))
    (local.get $p))
  ;; a + constant, a - constant, with loads of each width and sign
  (func (export "ai8s") (param $b i32) (result i32 i32) (local $p i32)
    (i32.load8_s (local.tee $p (i32.add (local.get $b) (i32.const 16))))
    (local.get $p))
  (func (export "ai8u") (param $b i32) (result i32 i32) (local $p i32)
    (i32.load8_u offset=2 (local.tee $p (i32.add (local.get $b) (i32.const 16))))
    (local.get $p))
  (func (export "ai16s") (param $b i32) (result i32 i32) (local $p i32)
    (i32.load16_s (local.tee $p (i32.sub (local.get $b) (i32.const 4))))
    (local.get $p))
  (func (export "ai16u") (param $b i32) (result i32 i32) (local $p i32)
    (i32.load16_u (local.tee $p (i32.sub (local.get $b) (i32.const 4))))
    (local.get $p))
  (func (export "ai64") (param $b i32) (result i64 i32) (local $p i32)
    (i64.load offset=3 (local.tee $p (i32.add (local.get $b) (i32.const 5))))
    (local.get $p))
  (func (export "ai64_8s") (param $b i32) (result i64 i32) (local $p i32)
    (i64.load8_s (local.tee $p (i32.add (local.get $b) (i32.const 1))))
    (local.get $p))
  (func (export "ai64_8u") (param $b i32) (result i64 i32) (local $p i32)
    (i64.load8_u (local.tee $p (i32.add (local.get $b) (i32.const 1))))
    (local.get $p))
  (func (export "ai64_16s") (param $b i32) (result i64 i32) (local $p i32)
    (i64.load16_s (local.tee $p (i32.add (local.get $b) (i32.const 1))))
    (local.get $p))
  (func (export "ai64_16u") (param $b i32) (result i64 i32) (local $p i32)
    (i64.load16_u (local.tee $p (i32.add (local.get $b) (i32.const 1))))
    (local.get $p))
  (func (export "ai64_32s") (param $b i32) (result i64 i32) (local $p i32)
    (i64.load32_s (local.tee $p (i32.add (local.get $b) (i32.const 1))))
    (local.get $p))
  (func (export "ai64_32u") (param $b i32) (result i64 i32) (local $p i32)
    (i64.load32_u (local.tee $p (i32.add (local.get $b) (i32.const 1))))
    (local.get $p))
  (func (export "aif32") (param $b i32) (result f32 i32) (local $p i32)
    (f32.load (local.tee $p (i32.add (local.get $b) (i32.const 36))))
    (local.get $p))
  (func (export "aif64") (param $b i32) (result f64 i32) (local $p i32)
    (f64.load offset=8 (local.tee $p (i32.add (local.get $b) (i32.const 24))))
    (local.get $p))
  ;; a + (b << k)
  (func (export "s") (param $b i32) (param $i i32) (result i32 i32) (local $p i32)
    (local.set $p (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2))))
    (i32.load (local.get $p))
    (local.get $p))
  ;; a + (b << k) + constant (an element's field)
  (func (export "si") (param $b i32) (param $i i32) (result i32 i32) (local $p i32)
    (local.set $p (i32.add (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3)))
                           (i32.const 2)))
    (i32.load16_u offset=1 (local.get $p))
    (local.get $p))
  ;; a * constant + constant (a record's field), the product wrapping
  (func (export "mi") (param $i i32) (result i32 i32) (local $p i32)
    (local.set $p (i32.add (i32.mul (local.get $i) (i32.const 12)) (i32.const 5)))
    (i32.load8_u offset=2 (local.get $p))
    (local.get $p))
  (func (export "mi64") (param $i i32) (result i64)
    (i64.load (i32.add (i32.mul (local.get $i) (i32.const 6)) (i32.const 1))))
  ;; a pointer stepped: the local is the sum's base
  (func (export "step") (param $p i32) (result i32 i32)
    (i32.load8_u (local.tee $p (i32.add (local.get $p) (i32.const 3))))
    (local.get $p))
  (func (export "walk") (param $p i32) (param $n i32) (result i32) (local $s i32)
    (loop $l
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
  ;; the load's value goes to the same local as the sum
  (func (export "same") (param $p i32) (result i32)
    (local.set $p (i32.add (local.get $p) (i32.const 4)))
    (local.set $p (i32.load (local.get $p)))
    (local.get $p))
  ;; the sum kept in a local that is still on the stack (to store through)
  ;; when a local.tee overwrites the local with a new value right after:
  ;; a stack machine's `stack[sp - 2] += stack[sp - 1]; sp--`
  (func (export "vmadd") (param $b i32) (param $sp i32) (result i32) (local $p i32)
    (i32.store
      (local.tee $p (i32.add (i32.add (local.get $b) (i32.shl (local.get $sp) (i32.const 2)))
                             (i32.const 24)))
      (i32.add (i32.load (local.get $p))
               (i32.load (i32.add (i32.add (local.get $b) (i32.const 32))
                                  (i32.shl (local.tee $p (i32.sub (local.get $sp) (i32.const 1)))
                                           (i32.const 2))))))
    (local.get $p))
  (func (export "vmsub") (param $b i32) (param $k i32) (result i32) (local $p i32)
    (i32.store offset=4
      (local.tee $p (i32.add (local.get $b) (local.get $k)))
      (i32.sub (i32.load offset=4 (local.get $p))
               (i32.load (i32.shl (local.tee $p (i32.add (local.get $k) (i32.const 1)))
                                  (i32.const 2)))))
    (local.get $p))
  ;; the same with the local set in between (its value on the stack is
  ;; copied there), and with the old value on the stack twice
  (func (export "vmreset") (param $b i32) (param $sp i32) (result i32) (local $p i32)
    local.get $b
    local.get $sp
    i32.const 2
    i32.shl
    i32.add
    i32.const 24
    i32.add
    local.tee $p
    local.get $p
    i32.load
    i32.const 7
    local.set $p
    local.get $sp
    i32.const 1
    i32.sub
    local.tee $p
    i32.add
    i32.store
    local.get $p)
  (func (export "vmtwice") (param $b i32) (param $sp i32) (result i32) (local $p i32)
    local.get $b
    local.get $sp
    i32.const 2
    i32.shl
    i32.add
    i32.const 24
    i32.add
    local.tee $p
    local.get $p
    local.get $p
    i32.load
    local.get $b
    i32.const 1
    i32.add
    local.get $sp
    i32.const 1
    i32.sub
    local.tee $p
    i32.add
    i32.add
    i32.store
    i32.load
    local.get $p
    i32.add)
  (func (export "peek") (param $a i32) (result i32) (i32.load (local.get $a)))
  ;; stay apart: a label between, the local written before another step
  (func (export "label") (param $b i32) (result i32 i32) (local $p i32)
    (local.set $p (i32.add (local.get $b) (i32.const 2)))
    (block (result i32) (i32.load (local.get $p)))
    (local.get $p))
  (func (export "other") (param $b i32) (result i32 i32) (local $p i32) (local $q i32)
    (local.set $p (i32.add (local.get $b) (i32.const 2)))
    (local.set $q (i32.add (local.get $b) (i32.const 3)))
    (i32.load (local.get $p))
    (local.get $q))
)
(assert_return (invoke "a" (i32.const 2) (i32.const 1)) (i32.const 0x08070605) (i32.const 3))
(assert_return (invoke "a" (i32.const 0xfffffff0) (i32.const 0x12)) (i32.const 0x07060504) (i32.const 2))
(assert_return (invoke "ai8s" (i32.const 1)) (i32.const -14) (i32.const 17))
(assert_return (invoke "ai8u" (i32.const 1)) (i32.const 0xf4) (i32.const 17))
(assert_return (invoke "ai8u" (i32.const 0xfffffff0)) (i32.const 3) (i32.const 0))
(assert_return (invoke "ai16s" (i32.const 34)) (i32.const -32513) (i32.const 30))
(assert_return (invoke "ai16u" (i32.const 34)) (i32.const 0x80ff) (i32.const 30))
(assert_return (invoke "ai16u" (i32.const 4)) (i32.const 0x0201) (i32.const 0))
(assert_return (invoke "ai64" (i32.const 0)) (i64.const 0x100f0e0d0c0b0a09) (i32.const 5))
(assert_return (invoke "ai64_8s" (i32.const 16)) (i64.const -14) (i32.const 17))
(assert_return (invoke "ai64_8u" (i32.const 16)) (i64.const 0xf2) (i32.const 17))
(assert_return (invoke "ai64_16s" (i32.const 16)) (i64.const -3086) (i32.const 17))
(assert_return (invoke "ai64_16u" (i32.const 16)) (i64.const 0xf3f2) (i32.const 17))
(assert_return (invoke "ai64_32s" (i32.const 16)) (i64.const -168496142) (i32.const 17))
(assert_return (invoke "ai64_32u" (i32.const 16)) (i64.const 0xf5f4f3f2) (i32.const 17))
(assert_return (invoke "aif32" (i32.const 0)) (f32.const 1.875) (i32.const 36))
(assert_return (invoke "aif64" (i32.const 0)) (f64.const 1) (i32.const 24))
(assert_return (invoke "aif64" (i32.const 8)) (f64.const 2) (i32.const 32))
(assert_return (invoke "s" (i32.const 4) (i32.const 2)) (i32.const 0x100f0e0d) (i32.const 12))
(assert_return (invoke "s" (i32.const 0) (i32.const 0x40000001)) (i32.const 0x08070605) (i32.const 4))
(assert_return (invoke "si" (i32.const 1) (i32.const 1)) (i32.const 0x0e0d) (i32.const 11))
(assert_return (invoke "si" (i32.const -2) (i32.const 0x20000000)) (i32.const 0x0302) (i32.const 0))
(assert_return (invoke "step" (i32.const 2)) (i32.const 6) (i32.const 5))
(assert_return (invoke "step" (i32.const -3)) (i32.const 1) (i32.const 0))
(assert_return (invoke "walk" (i32.const 0) (i32.const 4)) (i32.const 14))
(assert_return (invoke "walk" (i32.const -1) (i32.const 3)) (i32.const 6))
(assert_return (invoke "same" (i32.const 0)) (i32.const 0x08070605))
(assert_return (invoke "same" (i32.const 28)) (i32.const 0))
(assert_return (invoke "label" (i32.const 2)) (i32.const 0x08070605) (i32.const 4))
(assert_return (invoke "other" (i32.const 2)) (i32.const 0x08070605) (i32.const 5))
(assert_return (invoke "mi" (i32.const 0)) (i32.const 8) (i32.const 5))
(assert_return (invoke "mi" (i32.const 1)) (i32.const 0xf4) (i32.const 17))
(assert_return (invoke "mi" (i32.const 0x40000000)) (i32.const 8) (i32.const 5))
(assert_return (invoke "mi64" (i32.const 1)) (i64.const 0x0f0e0d0c0b0a0908))
(assert_return (invoke "mi64" (i32.const 0x80000000)) (i64.const 0x0908070605040302))
;; stack[1] (at 36) += stack[2] (at 40), then the same through the other forms
(assert_return (invoke "vmadd" (i32.const 0) (i32.const 3)) (i32.const 2))
(assert_return (invoke "peek" (i32.const 36)) (i32.const 0x3ff00000))
(assert_return (invoke "vmsub" (i32.const 0) (i32.const 4)) (i32.const 5))
(assert_return (invoke "peek" (i32.const 8)) (i32.const 0x13131314))
(assert_return (invoke "vmreset" (i32.const 0) (i32.const 3)) (i32.const 2))
(assert_return (invoke "peek" (i32.const 36)) (i32.const 0x3ff00002))
(assert_return (invoke "vmtwice" (i32.const 0) (i32.const 3)) (i32.const 0x3ff00007))
(assert_return (invoke "peek" (i32.const 36)) (i32.const 0x3ff00005))
;; out of bounds: the sum past the end, and wrapping to past the end
(assert_trap (invoke "a" (i32.const 65535) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "a" (i32.const 0xffff0000) (i32.const 0x1fffe)) "out of bounds memory access")
(assert_trap (invoke "ai64" (i32.const 65530)) "out of bounds memory access")
(assert_trap (invoke "ai16s" (i32.const 3)) "out of bounds memory access")
(assert_trap (invoke "s" (i32.const 0) (i32.const 0x4000)) "out of bounds memory access")
(assert_trap (invoke "si" (i32.const 65533) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "step" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "walk" (i32.const 65530) (i32.const 10)) "out of bounds memory access")
(assert_trap (invoke "same" (i32.const 65532)) "out of bounds memory access")
(assert_trap (invoke "mi" (i32.const 5461)) "out of bounds memory access")
(assert_trap (invoke "mi64" (i32.const 0x2aaaaaaa)) "out of bounds memory access")
(assert_trap (invoke "vmadd" (i32.const 65520) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "vmsub" (i32.const 65533) (i32.const 0)) "out of bounds memory access")
