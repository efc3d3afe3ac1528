;; An i32 load whose address is base + (i << s) where i is what the i32
;; load right before it loaded (a[b[k]]: an interpreter's reg[arg]) runs
;; with that load as one instruction: every scale, offsets on both loads,
;; the index loaded plain or at a folded address, kept in a local or not,
;; the forms that stay apart (the base loaded, a float load of the
;; element), and traps in either load.
(module
  (memory 1)
  ;; indexes at 0.., elements at 64..
  (data (i32.const 0) "\02\00\00\00\00\00\00\00\05\00\00\00\01\00\00\00")
  (data (i32.const 64) "\0a\00\00\00\0b\00\00\00\0c\00\00\00\0d\00\00\00")
  (data (i32.const 80) "\0e\00\00\00\0f\00\00\00\ff\ff\ff\ff\11\00\00\00")
  (func (export "s2") (param $b i32) (param $k i32) (result i32)
    (i32.load (i32.add (local.get $b) (i32.shl (i32.load (local.get $k)) (i32.const 2)))))
  (func (export "s0") (param $b i32) (param $k i32) (result i32)
    (i32.load offset=64 (i32.add (local.get $b) (i32.shl (i32.load (local.get $k)) (i32.const 0)))))
  (func (export "s3") (param $b i32) (param $k i32) (result i32)
    (i32.load offset=64 (i32.add (local.get $b) (i32.shl (i32.load offset=4 (local.get $k)) (i32.const 3)))))
  ;; the index at a folded address (k + 8), the element at an offset
  (func (export "folded") (param $b i32) (param $k i32) (result i32)
    (i32.load offset=4 (i32.add (local.get $b)
      (i32.shl (i32.load (i32.add (local.get $k) (i32.const 8))) (i32.const 2)))))
  ;; the index kept in a local, returned too
  (func (export "kept") (param $b i32) (param $k i32) (result i32 i32) (local $i i32)
    (local.set $i (i32.load (local.get $k)))
    (i32.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2))))
    (local.get $i))
  ;; the index's own slot as the base: stays apart
  (func (export "self") (param $k i32) (result i32) (local $i i32)
    (local.set $i (i32.load (local.get $k)))
    (i32.load (i32.add (local.get $i) (i32.shl (local.get $i) (i32.const 4)))))
  ;; the loaded value as the base, not the index: stays apart
  (func (export "base") (param $k i32) (param $j i32) (result i32)
    (i32.load (i32.add (i32.load (local.get $k)) (i32.shl (local.get $j) (i32.const 2)))))
  ;; a float element, an i64.load32_u index: stay apart
  (func (export "f32") (param $b i32) (param $k i32) (result f32)
    (f32.load (i32.add (local.get $b) (i32.shl (i32.load (local.get $k)) (i32.const 2)))))
  (func (export "wide") (param $b i32) (param $k i32) (result i64)
    (i64.load32_u (i32.add (local.get $b) (i32.shl (i32.load (local.get $k)) (i32.const 2)))))
)
(assert_return (invoke "s2" (i32.const 64) (i32.const 0)) (i32.const 12))
(assert_return (invoke "s2" (i32.const 64) (i32.const 4)) (i32.const 10))
(assert_return (invoke "s2" (i32.const 64) (i32.const 8)) (i32.const 15))
(assert_return (invoke "s2" (i32.const 68) (i32.const 12)) (i32.const 12))
(assert_return (invoke "s0" (i32.const 0) (i32.const 8)) (i32.const 0x0c000000))
(assert_return (invoke "s0" (i32.const 0) (i32.const 4)) (i32.const 10))
(assert_return (invoke "s3" (i32.const 0) (i32.const 0)) (i32.const 10))
(assert_return (invoke "s3" (i32.const 0) (i32.const 8)) (i32.const 12))
(assert_return (invoke "folded" (i32.const 64) (i32.const 0)) (i32.const -1))
(assert_return (invoke "folded" (i32.const 64) (i32.const 4)) (i32.const 12))
(assert_return (invoke "kept" (i32.const 64) (i32.const 8)) (i32.const 15) (i32.const 5))
(assert_return (invoke "self" (i32.const 0)) (i32.const 0))
(assert_return (invoke "self" (i32.const 12)) (i32.const 0))
(assert_return (invoke "base" (i32.const 8) (i32.const 1)) (i32.const 0x01000000))
(assert_return (invoke "f32" (i32.const 64) (i32.const 8)) (f32.const 0x1.ep-146))
(assert_return (invoke "wide" (i32.const 64) (i32.const 16)) (i64.const 10))
(assert_return (invoke "wide" (i32.const 80) (i32.const 0)) (i64.const 0xffffffff))
;; traps: the index load, then the element load
(assert_trap (invoke "s2" (i32.const 64) (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "s2" (i32.const 65533) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "s3" (i32.const 0) (i32.const 65530)) "out of bounds memory access")
(assert_trap (invoke "folded" (i32.const 65530) (i32.const 4)) "out of bounds memory access")
