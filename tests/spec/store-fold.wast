;; A store whose address is an i32.add just computed (base + index,
;; base + constant, base + (index << k), x - k) takes the sum in, with the
;; value in a local or a constant: every store width, the 32-bit wrap of
;; the sum before the offset, and traps that write nothing.
(module
  (memory 1)
  (func (export "u8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "u32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "u64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "clear") (param i32) (i64.store (local.get 0) (i64.const 0)))

  ;; base + index, the value a local
  (func (export "a32") (param i32 i32 i32)
    (i32.store (i32.add (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "a8") (param i32 i32 i32)
    (i32.store8 offset=1 (i32.add (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "a16") (param i32 i32 i32)
    (i32.store16 (i32.add (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "a64") (param i32 i32 i64)
    (i64.store (i32.add (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "a64-32") (param i32 i32 i64)
    (i64.store32 offset=4 (i32.add (local.get 0) (local.get 1)) (local.get 2)))
  (func (export "af64") (param i32 i32 f64)
    (f64.store (i32.add (local.get 0) (local.get 1)) (local.get 2)))
  ;; the value the same local as the index
  (func (export "a-self") (param i32 i32)
    (i32.store (i32.add (local.get 0) (local.get 1)) (local.get 1)))

  ;; base + index, the value a constant
  (func (export "ak8") (param i32 i32)
    (i32.store8 (i32.add (local.get 0) (local.get 1)) (i32.const 0x1ab)))
  (func (export "ak64") (param i32 i32)
    (i64.store offset=8 (i32.add (local.get 0) (local.get 1)) (i64.const 0x1122334455667788)))
  (func (export "ak64-16") (param i32 i32)
    (i64.store16 (i32.add (local.get 0) (local.get 1)) (i64.const -2)))
  (func (export "akf32") (param i32 i32)
    (f32.store (i32.add (local.get 0) (local.get 1)) (f32.const nan:0x200001)))

  ;; base + constant, x - constant
  (func (export "ai32") (param i32 i32)
    (i32.store offset=2 (i32.add (local.get 0) (i32.const 6)) (local.get 1)))
  (func (export "aik16") (param i32)
    (i32.store16 (i32.add (local.get 0) (i32.const 3)) (i32.const 0xbeef)))
  (func (export "sub8") (param i32 i32)
    (i32.store8 offset=1 (i32.sub (local.get 0) (i32.const 3)) (local.get 1)))

  ;; base + (index << k)
  (func (export "s32") (param i32 i32 i32)
    (i32.store (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 2))) (local.get 2)))
  (func (export "s64-swapped") (param i32 i32 i64)
    (i64.store offset=8 (i32.add (i32.shl (local.get 1) (i32.const 3)) (local.get 0)) (local.get 2)))
  (func (export "sk16") (param i32 i32)
    (i32.store16 (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 33))) (i32.const 0x4321)))
  (func (export "skf64") (param i32 i32)
    (f64.store (i32.add (local.get 0) (i32.shl (local.get 1) (i32.const 3))) (f64.const -1.5)))

  ;; the sum wraps to 32 bits, then the offset is added
  (func (export "wrap") (param i32 i32)
    (i32.store8 offset=4 (i32.add (local.get 0) (local.get 1)) (i32.const 0x5a)))

  ;; a fill loop: the folded store in a loop, its value a loop-invariant
  (func (export "fill") (param i32 i32 i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 1)))
        (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
        (i32.store8 (i32.add (local.get 0) (local.get 1)) (local.get 2))
        (br $l))))
  ;; a strided fill whose index steps by a local, the value a constant
  (func (export "stride") (param i32 i32 i32) (result i32) (local i32)
    (local.set 3 (local.get 1))
    (loop $l
      (i32.store8 (i32.add (local.get 3) (local.get 0)) (i32.const 1))
      (br_if $l (i32.lt_u (local.tee 3 (i32.add (local.get 3) (local.get 1)))
                          (local.get 2))))
    (local.get 3))
)

(invoke "a32" (i32.const 4) (i32.const 4) (i32.const 0x01020304))
(assert_return (invoke "u32" (i32.const 8)) (i32.const 0x01020304))
(invoke "a8" (i32.const 8) (i32.const 0) (i32.const 0xfff))
(assert_return (invoke "u32" (i32.const 8)) (i32.const 0x0102ff04))
(invoke "a16" (i32.const 0) (i32.const 10) (i32.const 0xabcd1234))
(assert_return (invoke "u32" (i32.const 8)) (i32.const 0x1234ff04))
(invoke "a64" (i32.const 16) (i32.const 0) (i64.const 0x0807060504030201))
(assert_return (invoke "u64" (i32.const 16)) (i64.const 0x0807060504030201))
(invoke "a64-32" (i32.const 12) (i32.const 4) (i64.const 0x7fffffffaabbccdd))
(assert_return (invoke "u64" (i32.const 16)) (i64.const 0xaabbccdd04030201))
(assert_return (invoke "u32" (i32.const 20)) (i32.const 0xaabbccdd))
(invoke "af64" (i32.const 24) (i32.const 8) (f64.const -0x1p-1))
(assert_return (invoke "u64" (i32.const 32)) (i64.const 0xbfe0000000000000))
(invoke "a-self" (i32.const 30) (i32.const 10))
(assert_return (invoke "u32" (i32.const 40)) (i32.const 10))

(invoke "ak8" (i32.const 40) (i32.const 1))
(assert_return (invoke "u32" (i32.const 40)) (i32.const 0xab0a))
(invoke "ak64" (i32.const 40) (i32.const 8))
(assert_return (invoke "u64" (i32.const 56)) (i64.const 0x1122334455667788))
(invoke "ak64-16" (i32.const 56) (i32.const 2))
(assert_return (invoke "u64" (i32.const 56)) (i64.const 0x11223344fffe7788))
(invoke "akf32" (i32.const 60) (i32.const 4))
(assert_return (invoke "u32" (i32.const 64)) (i32.const 0x7fa00001))

(invoke "ai32" (i32.const 64) (i32.const 0x55667788))
(assert_return (invoke "u32" (i32.const 72)) (i32.const 0x55667788))
(invoke "aik16" (i32.const 69))
(assert_return (invoke "u32" (i32.const 72)) (i32.const 0x5566beef))
(invoke "sub8" (i32.const 77) (i32.const 0x1ee))
(assert_return (invoke "u32" (i32.const 72)) (i32.const 0xee66beef))

(invoke "s32" (i32.const 80) (i32.const 3) (i32.const -7))
(assert_return (invoke "u32" (i32.const 92)) (i32.const -7))
(invoke "s64-swapped" (i32.const 80) (i32.const 3) (i64.const 0x8000000000000001))
(assert_return (invoke "u64" (i32.const 112)) (i64.const 0x8000000000000001))
(invoke "sk16" (i32.const 120) (i32.const 2))
(assert_return (invoke "u32" (i32.const 124)) (i32.const 0x4321))
(invoke "skf64" (i32.const 120) (i32.const 2))
(assert_return (invoke "u64" (i32.const 136)) (i64.const 0xbff8000000000000))

;; 0xffffff00 + 0x108 wraps to 8; the store goes to 8 + 4
(invoke "clear" (i32.const 8))
(invoke "wrap" (i32.const 0xffffff00) (i32.const 0x108))
(assert_return (invoke "u64" (i32.const 8)) (i64.const 0x0000005a00000000))

(invoke "fill" (i32.const 200) (i32.const 16) (i32.const 0x303))
(assert_return (invoke "u32" (i32.const 200)) (i32.const 0x03030303))
(assert_return (invoke "u32" (i32.const 212)) (i32.const 0x03030303))
(assert_return (invoke "u8" (i32.const 216)) (i32.const 0))
(assert_return (invoke "stride" (i32.const 300) (i32.const 3) (i32.const 20)) (i32.const 21))
(assert_return (invoke "u32" (i32.const 300)) (i32.const 0x01000000))
(assert_return (invoke "u32" (i32.const 316)) (i32.const 0x00010000))
(assert_return (invoke "u8" (i32.const 318)) (i32.const 1))
(assert_return (invoke "u8" (i32.const 321)) (i32.const 0))

;; out of bounds: nothing is written
(assert_trap (invoke "a32" (i32.const 65530) (i32.const 3) (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "u32" (i32.const 65532)) (i32.const 0))
(assert_trap (invoke "a64" (i32.const 0xfffffff0) (i32.const 0) (i64.const -1)) "out of bounds memory access")
(assert_trap (invoke "ak64" (i32.const 65520) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "u64" (i32.const 65528)) (i64.const 0))
(assert_trap (invoke "aik16" (i32.const 65532)) "out of bounds memory access")
(assert_trap (invoke "s32" (i32.const 65532) (i32.const 1) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "skf64" (i32.const 0) (i32.const 8192)) "out of bounds memory access")
(assert_trap (invoke "wrap" (i32.const 0xffffffff) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "sub8" (i32.const 2) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 65530) (i32.const 10) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "u64" (i32.const 65528)) (i64.const 0))
