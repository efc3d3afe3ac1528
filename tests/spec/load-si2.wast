;; A load at base + (index << k) whose base and index are two sums of a
;; constant computed right before it (stack[--sp] on a frame's array:
;; fp + 32 and sp - 1, the index kept in a local) runs as one instruction
;; that still writes the index: loads of every width, either sum first,
;; both sums and the address wrapping at 32 bits before the offset, the
;; index's local read by the base or written by the load, and traps.
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (data (i32.const 16) "\f1\f2\f3\f4\f5\f6\f7\f8\f9\fa\fb\fc\fd\fe\ff\80")
  (data (i32.const 32) "\00\00\00\00\00\00\f0\3f\00\00\00\00\00\00\00\40")
  ;; the base's sum first, then the index's (what clang emits)
  (func (export "i32") (param $fp i32) (param $sp i32) (result i32 i32) (local $t i32)
    (i32.load
      (i32.add (i32.add (local.get $fp) (i32.const 4))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 2))))
    (local.get $t))
  (func (export "i64") (param $fp i32) (param $sp i32) (result i64 i32) (local $t i32)
    (i64.load offset=2
      (i32.add (i32.add (local.get $fp) (i32.const 8))
               (i32.shl (local.tee $t (i32.add (local.get $sp) (i32.const -1)))
                        (i32.const 3))))
    (local.get $t))
  (func (export "f32") (param $fp i32) (param $sp i32) (result f32 i32) (local $t i32)
    (f32.load
      (i32.add (i32.add (local.get $fp) (i32.const 4))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 2))))
    (local.get $t))
  (func (export "f64") (param $fp i32) (param $sp i32) (result f64 i32) (local $t i32)
    (f64.load
      (i32.add (i32.add (local.get $fp) (i32.const 24))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 3))))
    (local.get $t))
  (func (export "i8s") (param $fp i32) (param $sp i32) (result i32 i32) (local $t i32)
    (i32.load8_s offset=1
      (i32.add (i32.add (local.get $fp) (i32.const 16))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 1))))
    (local.get $t))
  (func (export "i8u") (param $fp i32) (param $sp i32) (result i32 i32) (local $t i32)
    (i32.load8_u offset=1
      (i32.add (i32.add (local.get $fp) (i32.const 16))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 1))))
    (local.get $t))
  (func (export "i16s") (param $fp i32) (param $sp i32) (result i32 i32) (local $t i32)
    (i32.load16_s
      (i32.add (i32.add (local.get $fp) (i32.const 16))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 1))))
    (local.get $t))
  (func (export "i16u") (param $fp i32) (param $sp i32) (result i32 i32) (local $t i32)
    (i32.load16_u
      (i32.add (i32.add (local.get $fp) (i32.const 16))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 1))))
    (local.get $t))
  (func (export "i64_8s") (param $fp i32) (param $sp i32) (result i64 i32) (local $t i32)
    (i64.load8_s
      (i32.add (i32.add (local.get $fp) (i32.const 16))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 1))))
    (local.get $t))
  (func (export "i64_8u") (param $fp i32) (param $sp i32) (result i64 i32) (local $t i32)
    (i64.load8_u
      (i32.add (i32.add (local.get $fp) (i32.const 16))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 1))))
    (local.get $t))
  (func (export "i64_16s") (param $fp i32) (param $sp i32) (result i64 i32) (local $t i32)
    (i64.load16_s
      (i32.add (i32.add (local.get $fp) (i32.const 16))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 1))))
    (local.get $t))
  (func (export "i64_16u") (param $fp i32) (param $sp i32) (result i64 i32) (local $t i32)
    (i64.load16_u
      (i32.add (i32.add (local.get $fp) (i32.const 16))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 1))))
    (local.get $t))
  (func (export "i64_32s") (param $fp i32) (param $sp i32) (result i64 i32) (local $t i32)
    (i64.load32_s
      (i32.add (i32.add (local.get $fp) (i32.const 16))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 2))))
    (local.get $t))
  (func (export "i64_32u") (param $fp i32) (param $sp i32) (result i64 i32) (local $t i32)
    (i64.load32_u
      (i32.add (i32.add (local.get $fp) (i32.const 16))
               (i32.shl (local.tee $t (i32.sub (local.get $sp) (i32.const 1)))
                        (i32.const 2))))
    (local.get $t))
  ;; the index's sum first, then the base's
  (func (export "idxfirst") (param $fp i32) (param $sp i32) (result i32 i32) (local $t i32)
    (i32.load
      (i32.add (i32.shl (local.tee $t (i32.add (local.get $sp) (i32.const 3)))
                        (i32.const 2))
               (i32.add (local.get $fp) (i32.const -8))))
    (local.get $t))
  ;; the index's local is the base's source: the base reads its old value
  (func (export "same") (param $p i32) (result i32 i32)
    (i32.load
      (i32.add (i32.add (local.get $p) (i32.const 8))
               (i32.shl (local.tee $p (i32.sub (local.get $p) (i32.const 1)))
                        (i32.const 2))))
    (local.get $p))
  ;; the load's value goes to the index's local: the value wins
  (func (export "over") (param $fp i32) (param $sp i32) (result i32)
    (local.set $sp
      (i32.load
        (i32.add (i32.add (local.get $fp) (i32.const 4))
                 (i32.shl (local.tee $sp (i32.sub (local.get $sp) (i32.const 1)))
                          (i32.const 2)))))
    (local.get $sp))
  ;; a stack machine's pops: sum the words of a stack of n on the frame
  (func (export "popsum") (param $fp i32) (param $n i32) (result i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s
          (i32.add (local.get $s)
            (i32.load
              (i32.add (i32.add (local.get $fp) (i32.const 16))
                       (i32.shl (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
                                (i32.const 2))))))
        (br $next)))
    (local.get $s))
)

;; every width; the index is written (sp - 1)
(assert_return (invoke "i32" (i32.const 0) (i32.const 1)) (i32.const 0x08070605) (i32.const 0))
(assert_return (invoke "i32" (i32.const 0) (i32.const 3)) (i32.const 0x100f0e0d) (i32.const 2))
(assert_return (invoke "i64" (i32.const 0) (i32.const 1)) (i64.const 0xf2f1100f0e0d0c0b) (i32.const 0))
(assert_return (invoke "f32" (i32.const 28) (i32.const 2)) (f32.const 1.875) (i32.const 1))
(assert_return (invoke "f64" (i32.const 0) (i32.const 3)) (f64.const 2) (i32.const 2))
(assert_return (invoke "f64" (i32.const 16) (i32.const 0)) (f64.const 1) (i32.const -1))
(assert_return (invoke "i8s" (i32.const 0) (i32.const 2)) (i32.const -12) (i32.const 1))
(assert_return (invoke "i8u" (i32.const 0) (i32.const 2)) (i32.const 0xf4) (i32.const 1))
(assert_return (invoke "i16s" (i32.const 0) (i32.const 8)) (i32.const -32513) (i32.const 7))
(assert_return (invoke "i16u" (i32.const 0) (i32.const 8)) (i32.const 0x80ff) (i32.const 7))
(assert_return (invoke "i64_8s" (i32.const 0) (i32.const 1)) (i64.const -15) (i32.const 0))
(assert_return (invoke "i64_8u" (i32.const 0) (i32.const 1)) (i64.const 0xf1) (i32.const 0))
(assert_return (invoke "i64_16s" (i32.const 0) (i32.const 8)) (i64.const -32513) (i32.const 7))
(assert_return (invoke "i64_16u" (i32.const 0) (i32.const 8)) (i64.const 0x80ff) (i32.const 7))
(assert_return (invoke "i64_32s" (i32.const 0) (i32.const 1)) (i64.const -185339151) (i32.const 0))
(assert_return (invoke "i64_32u" (i32.const 0) (i32.const 1)) (i64.const 0xf4f3f2f1) (i32.const 0))
;; wrapping: sp 0 makes the index -1 (the shifted index wraps), a base
;; past 2^32 wraps, and both together
(assert_return (invoke "i32" (i32.const 8) (i32.const 0)) (i32.const 0x0c0b0a09) (i32.const -1))
(assert_return (invoke "i32" (i32.const 0xfffffffc) (i32.const 2)) (i32.const 0x08070605) (i32.const 1))
(assert_return (invoke "i64" (i32.const 0) (i32.const 0x20000002)) (i64.const 0xfaf9f8f7f6f5f4f3) (i32.const 0x20000001))
(assert_return (invoke "i64" (i32.const 0xfffffff8) (i32.const 0x20000002)) (i64.const 0xf2f1100f0e0d0c0b) (i32.const 0x20000001))
(assert_return (invoke "idxfirst" (i32.const 8) (i32.const 0)) (i32.const 0x100f0e0d) (i32.const 3))
(assert_return (invoke "idxfirst" (i32.const 0) (i32.const -1)) (i32.const 0x04030201) (i32.const 2))
(assert_return (invoke "same" (i32.const 3)) (i32.const 0xf7f6f5f4) (i32.const 2))
(assert_return (invoke "same" (i32.const 0)) (i32.const 0x08070605) (i32.const -1))
(assert_return (invoke "over" (i32.const 0) (i32.const 2)) (i32.const 0x0c0b0a09))
(assert_return (invoke "popsum" (i32.const 0) (i32.const 4)) (i32.const 0x6be7e3dc))
(assert_return (invoke "popsum" (i32.const 16) (i32.const 0)) (i32.const 0))
;; out of bounds: past the end, at the end's last bytes, and wrapping to
;; past the end
(assert_trap (invoke "i32" (i32.const 65532) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "i32" (i32.const 0) (i32.const 0x4000)) "out of bounds memory access")
(assert_trap (invoke "i64" (i32.const 65520) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "i32" (i32.const 0xfffffffc) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "f64" (i32.const 0xffffffe0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "i16u" (i32.const 65519) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "idxfirst" (i32.const 0) (i32.const 0x3ffffffe)) "out of bounds memory access")
(assert_trap (invoke "popsum" (i32.const 65520) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "i16u" (i32.const 65518) (i32.const 1)) (i32.const 0) (i32.const 0))
