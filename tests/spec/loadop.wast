;; Float arithmetic whose second operand is a load just before it runs
;; as one instruction; the load's address forms, order of operands,
;; traps and the wrap of the address sum must stay as written.
(module
  (memory 1)
  (data (i32.const 0) "\00\00\00\00\00\00\f8\3f")   ;; f64 1.5 at 0
  (data (i32.const 8) "\00\00\00\00\00\00\10\40")   ;; f64 4 at 8
  (data (i32.const 16) "\00\00\20\40")              ;; f32 2.5 at 16
  (data (i32.const 20) "\00\00\80\c0")              ;; f32 -4 at 20
  (func (export "add") (param f64 i32) (result f64)
    (f64.add (local.get 0) (f64.load (local.get 1))))
  (func (export "sub") (param f64 i32) (result f64)
    (f64.sub (local.get 0) (f64.load offset=8 (local.get 1))))
  (func (export "mul") (param f64 i32) (result f64)
    (f64.mul (local.get 0) (f64.load (i32.add (local.get 1) (i32.const 8)))))
  (func (export "div") (param f64 i32) (result f64)
    (f64.div (local.get 0) (f64.load offset=4 (i32.add (local.get 1) (i32.const 4)))))
  ;; The load is operand a: no fusion, the order stays.
  (func (export "sub-a") (param f64 i32) (result f64)
    (f64.load (local.get 1)) (local.get 0) (f64.sub))
  ;; Both operands loaded, the first through a constant address.
  (func (export "two") (param i32 i32) (result f64)
    (f64.sub (f64.load (local.get 0)) (f64.load (local.get 1))))
  ;; Operand a a constant.
  (func (export "const") (param i32) (result f64)
    (f64.div (f64.const 1) (f64.load (local.get 0))))
  (func (export "f32") (param f32 i32) (result f32)
    (f32.sub (f32.mul (local.get 0) (f32.load (local.get 1)))
             (f32.load offset=4 (local.get 1))))
  (func (export "f32-div") (param f32 i32) (result f32)
    (f32.div (f32.add (local.get 0) (f32.load (i32.add (local.get 1) (i32.const 4))))
             (f32.load (local.get 1))))
  ;; x + k wraps to 32 bits before the offset is added.
  (func (export "wrap") (param f64 i32) (result f64)
    (f64.add (local.get 0) (f64.load offset=8 (i32.add (local.get 1) (i32.const -8)))))
  ;; A chain of them, as a dot product runs.
  (func (export "dot") (param i32 i32 i32) (result f64) (local f64)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 2)))
        (local.set 3 (f64.add (local.get 3)
          (f64.mul (f64.load (local.get 0)) (f64.load (local.get 1)))))
        (local.set 0 (i32.add (local.get 0) (i32.const 8)))
        (local.set 1 (i32.add (local.get 1) (i32.const 8)))
        (local.set 2 (i32.sub (local.get 2) (i32.const 1)))
        (br $l)))
    (local.get 3))
)
(assert_return (invoke "add" (f64.const 2) (i32.const 0)) (f64.const 3.5))
(assert_return (invoke "sub" (f64.const 2) (i32.const 0)) (f64.const -2))
(assert_return (invoke "mul" (f64.const 3) (i32.const 0)) (f64.const 12))
(assert_return (invoke "div" (f64.const 3) (i32.const 0)) (f64.const 0.75))
(assert_return (invoke "sub-a" (f64.const 2) (i32.const 8)) (f64.const 2))
(assert_return (invoke "two" (i32.const 8) (i32.const 0)) (f64.const 2.5))
(assert_return (invoke "const" (i32.const 8)) (f64.const 0.25))
(assert_return (invoke "f32" (f32.const 2) (i32.const 16)) (f32.const 9))
(assert_return (invoke "f32-div" (f32.const 1) (i32.const 16)) (f32.const -1.2))
(assert_return (invoke "wrap" (f64.const 1) (i32.const 8)) (f64.const 5))
(assert_return (invoke "add" (f64.const nan) (i32.const 0)) (f64.const nan:canonical))
(assert_return (invoke "dot" (i32.const 0) (i32.const 0) (i32.const 2)) (f64.const 18.25))
(assert_trap (invoke "add" (f64.const 1) (i32.const 65529)) "out of bounds memory access")
(assert_return (invoke "add" (f64.const 1) (i32.const 65528)) (f64.const 1))
(assert_trap (invoke "sub" (f64.const 1) (i32.const 65521)) "out of bounds memory access")
(assert_return (invoke "mul" (f64.const 1) (i32.const -8)) (f64.const 1.5))
(assert_trap (invoke "wrap" (f64.const 1) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "f32" (f32.const 1) (i32.const 65532)) "out of bounds memory access")
(assert_trap (invoke "dot" (i32.const 65528) (i32.const 0) (i32.const 2)) "out of bounds memory access")
