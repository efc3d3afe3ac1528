;; br_table whose index a load just before it reads runs as one
;; instruction: every load width, address form, default target,
;; branch values, loops and traps.
(module
  (memory 1)
  (data (i32.const 0) "\00\01\02\03\ff\07")
  (data (i32.const 8) "\02\00\00\01")          ;; u16 2, u16 256 at 8
  (data (i32.const 12) "\01\00\00\00\ff\ff\ff\ff\00\00\00\80")
  (data (i32.const 32) "\00\00\01\02\00\03")
  (func $pick (param i32) (result i32)
    (block $d
      (block $c
        (block $b
          (block $a
            (br_table $a $b $c $d (i32.load8_u (local.get 0))))
          (return (i32.const 10)))
        (return (i32.const 11)))
      (return (i32.const 12)))
    (i32.const 13))
  (func (export "u8") (param i32) (result i32) (call $pick (local.get 0)))
  ;; Address plus constant plus offset.
  (func (export "u8-ai") (param i32) (result i32)
    (block $b
      (block $a
        (br_table $a $b (i32.load8_u offset=1 (i32.add (local.get 0) (i32.const 2)))))
      (return (i32.const 20)))
    (i32.const 21))
  (func (export "u16") (param i32) (result i32)
    (block $c
      (block $b
        (block $a
          (br_table $a $b $c (i32.load16_u (local.get 0))))
        (return (i32.const 30)))
      (return (i32.const 31)))
    (i32.const 32))
  (func (export "u32") (param i32) (result i32)
    (block $c
      (block $b
        (block $a
          (br_table $a $b $c (i32.load offset=4 (local.get 0))))
        (return (i32.const 40)))
      (return (i32.const 41)))
    (i32.const 42))
  ;; Branches that carry a value.
  (func (export "values") (param i32) (result i32)
    (block $b (result i32)
      (block $a (result i32)
        (br_table $a $b (i32.const 100) (i32.load8_u (local.get 0))))
      (i32.const 1)
      (i32.add))
    (i32.const 1000)
    (i32.add))
  ;; A loop dispatching on bytes until a 0xff: the bytecode loop's shape.
  (func (export "run") (param i32) (result i32) (local i32)
    (block $done
      (loop $next
        (block $op2
          (block $op1
            (block $op0
              (br_table $op0 $op1 $op2 $done
                (i32.load8_u (local.get 0))))
            ;; op0: +1
            (local.set 1 (i32.add (local.get 1) (i32.const 1)))
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (br $next))
          ;; op1: *2
          (local.set 1 (i32.mul (local.get 1) (i32.const 2)))
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br $next))
        ;; op2: +100
        (local.set 1 (i32.add (local.get 1) (i32.const 100)))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (br $next)))
    (local.get 1))
)
(assert_return (invoke "u8" (i32.const 0)) (i32.const 10))
(assert_return (invoke "u8" (i32.const 1)) (i32.const 11))
(assert_return (invoke "u8" (i32.const 2)) (i32.const 12))
(assert_return (invoke "u8" (i32.const 3)) (i32.const 13))
(assert_return (invoke "u8" (i32.const 4)) (i32.const 13))
(assert_return (invoke "u8" (i32.const 5)) (i32.const 13))
(assert_return (invoke "u8-ai" (i32.const 3)) (i32.const 20))
(assert_return (invoke "u8-ai" (i32.const -2)) (i32.const 21))
(assert_return (invoke "u16" (i32.const 8)) (i32.const 32))
(assert_return (invoke "u16" (i32.const 10)) (i32.const 32))
(assert_return (invoke "u16" (i32.const 9)) (i32.const 30))
(assert_return (invoke "u16" (i32.const 0)) (i32.const 32))
(assert_return (invoke "u16" (i32.const 12)) (i32.const 31))
(assert_return (invoke "u32" (i32.const 8)) (i32.const 41))
(assert_return (invoke "u32" (i32.const 12)) (i32.const 42))
(assert_return (invoke "u32" (i32.const 16)) (i32.const 42))
(assert_return (invoke "u32" (i32.const 4)) (i32.const 42))
(assert_trap (invoke "u32" (i32.const -4)) "out of bounds memory access")
(assert_return (invoke "u32" (i32.const 20)) (i32.const 40))
(assert_return (invoke "values" (i32.const 0)) (i32.const 1101))
(assert_return (invoke "values" (i32.const 1)) (i32.const 1100))
(assert_return (invoke "values" (i32.const 4)) (i32.const 1100))
(assert_return (invoke "run" (i32.const 0)) (i32.const 102))
(assert_return (invoke "run" (i32.const 1)) (i32.const 100))
(assert_return (invoke "run" (i32.const 32)) (i32.const 105))
(assert_return (invoke "run" (i32.const 4)) (i32.const 0))
(assert_trap (invoke "u8" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "u8-ai" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "u8-ai" (i32.const -3)) "out of bounds memory access")
(assert_trap (invoke "u16" (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "u32" (i32.const 65530)) "out of bounds memory access")
