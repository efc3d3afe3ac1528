;; An i32 add of a constant right before the load that a br_table takes
;; its index from (an interpreter's `op = code[pc++]; switch (op)`) runs
;; with the load and the branch as one instruction: every load width, a
;; step down, the step paired with the load's address add, a step that
;; writes or reads the load's address, a table that jumps back to a
;; loop, and traps.  Each function returns tag * 1000 + the stepped
;; local, so that both the branch taken and the step show.  Then a copy
;; right before the step joins too (the pc kept while it steps): the
;; copy read by the step, by the load, by both, unrelated to either,
;; written over by the step, in a bytecode loop, and traps.  Last, a
;; shift right before the step whose result is the load's address (a pc
;; scaled to an instruction's size) joins as well.
(module
  (memory 1)
  (data (i32.const 0) "\00\01\02\03\ff\07")
  (data (i32.const 8) "\02\00\00\01")          ;; u16 2, u16 256 at 8
  (data (i32.const 12) "\01\00\00\00\ff\ff\ff\ff\00\00\00\80")
  (data (i32.const 32) "\00\00\01\02\00\03\03")
  ;; pc in local 0 stepped by one, the byte at the old pc (local 1) read.
  (func (export "u8") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (block $d
      (block $c
        (block $b
          (block $a
            (local.set 0 (i32.add (local.get 1) (i32.const 1)))
            (br_table $a $b $c $d (i32.load8_u (local.get 1))))
          (return (i32.add (i32.const 10000) (local.get 0))))
        (return (i32.add (i32.const 11000) (local.get 0))))
      (return (i32.add (i32.const 12000) (local.get 0))))
    (i32.add (i32.const 13000) (local.get 0)))
  (func (export "u16") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (block $c
      (block $b
        (block $a
          (local.set 0 (i32.add (local.get 1) (i32.const 2)))
          (br_table $a $b $c (i32.load16_u (local.get 1))))
        (return (i32.add (i32.const 20000) (local.get 0))))
      (return (i32.add (i32.const 21000) (local.get 0))))
    (i32.add (i32.const 22000) (local.get 0)))
  (func (export "u32") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (block $c
      (block $b
        (block $a
          (local.set 0 (i32.add (local.get 1) (i32.const 4)))
          (br_table $a $b $c (i32.load offset=4 (local.get 1))))
        (return (i32.add (i32.const 30000) (local.get 0))))
      (return (i32.add (i32.const 31000) (local.get 0))))
    (i32.add (i32.const 32000) (local.get 0)))
  ;; A step down (i32.sub of a constant).
  (func (export "down") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (block $b
      (block $a
        (local.set 0 (i32.sub (local.get 1) (i32.const 3)))
        (br_table $a $b (i32.load8_u (local.get 1))))
      (return (i32.add (i32.const 40000) (local.get 0))))
    (i32.add (i32.const 41000) (local.get 0)))
  ;; The step, then the address as the old pc plus a constant: the two
  ;; adds pair, and the load takes the second back.
  (func (export "paired") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (block $c
      (block $b
        (block $a
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br_table $a $b $c (i32.load8_u (i32.add (local.get 1) (i32.const 32)))))
        (return (i32.add (i32.const 50000) (local.get 0))))
      (return (i32.add (i32.const 51000) (local.get 0))))
    (i32.add (i32.const 52000) (local.get 0)))
  ;; The step writes the load's address: the load reads at the new pc.
  (func (export "same") (param i32) (result i32)
    (block $c
      (block $b
        (block $a
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br_table $a $b $c (i32.load8_u (local.get 0))))
        (return (i32.add (i32.const 60000) (local.get 0))))
      (return (i32.add (i32.const 61000) (local.get 0))))
    (i32.add (i32.const 62000) (local.get 0)))
  ;; The step reads the load's address and writes another local.
  (func (export "reads") (param i32) (result i32) (local i32)
    (block $b
      (block $a
        (local.set 1 (i32.add (local.get 0) (i32.const 5)))
        (br_table $a $b (i32.load8_u (local.get 0))))
      (return (i32.add (i32.const 70000) (local.get 1))))
    (i32.add (i32.const 71000) (local.get 1)))
  ;; A bytecode loop whose table jumps back to the loop: bytes from the
  ;; pc in local 0 until a byte above 2; 0 adds 1, 1 adds 10 (both back
  ;; through the table), 2 adds 100 (back through a br).
  (func (export "run") (param i32) (result i32) (local i32 i32)
    (block $done
      (loop $next
        (block $op2
          (local.set 1 (local.get 0))
          (local.set 2 (i32.add (local.get 2)
                                (select (i32.const 1) (i32.const 10)
                                        (i32.eqz (i32.load8_u (local.get 1))))))
          (local.set 0 (i32.add (local.get 1) (i32.const 1)))
          (br_table $next $next $op2 $done (i32.load8_u (local.get 1))))
        (local.set 2 (i32.add (local.get 2) (i32.const 90)))
        (br $next)))
    ;; the last byte (above 2) added 10 too
    (i32.add (i32.mul (local.get 2) (i32.const 1000)) (local.get 0)))
)
(assert_return (invoke "u8" (i32.const 0)) (i32.const 10001))
(assert_return (invoke "u8" (i32.const 1)) (i32.const 11002))
(assert_return (invoke "u8" (i32.const 2)) (i32.const 12003))
(assert_return (invoke "u8" (i32.const 3)) (i32.const 13004))
(assert_return (invoke "u8" (i32.const 4)) (i32.const 13005))
(assert_return (invoke "u8" (i32.const 5)) (i32.const 13006))
(assert_return (invoke "u8" (i32.const 65535)) (i32.const 75536))
(assert_return (invoke "u16" (i32.const 8)) (i32.const 22010))
(assert_return (invoke "u16" (i32.const 9)) (i32.const 20011))
(assert_return (invoke "u16" (i32.const 10)) (i32.const 22012))
(assert_return (invoke "u16" (i32.const 12)) (i32.const 21014))
(assert_return (invoke "u32" (i32.const 8)) (i32.const 31012))
(assert_return (invoke "u32" (i32.const 12)) (i32.const 32016))
(assert_return (invoke "u32" (i32.const 20)) (i32.const 30024))
(assert_return (invoke "down" (i32.const 0)) (i32.const 39997))
(assert_return (invoke "down" (i32.const 1)) (i32.const 40998))
(assert_return (invoke "down" (i32.const 4)) (i32.const 41001))
(assert_return (invoke "paired" (i32.const 0)) (i32.const 50001))
(assert_return (invoke "paired" (i32.const 2)) (i32.const 51003))
(assert_return (invoke "paired" (i32.const 3)) (i32.const 52004))
(assert_return (invoke "paired" (i32.const 5)) (i32.const 52006))
(assert_return (invoke "same" (i32.const 0)) (i32.const 61001))
(assert_return (invoke "same" (i32.const 1)) (i32.const 62002))
(assert_return (invoke "same" (i32.const -1)) (i32.const 60000))
(assert_return (invoke "reads" (i32.const 0)) (i32.const 70005))
(assert_return (invoke "reads" (i32.const 1)) (i32.const 71006))
(assert_return (invoke "run" (i32.const 32)) (i32.const 123038))
(assert_return (invoke "run" (i32.const 4)) (i32.const 10005))
(assert_trap (invoke "u8" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "u8" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "u16" (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "u32" (i32.const 65530)) "out of bounds memory access")
(assert_trap (invoke "down" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "paired" (i32.const 65504)) "out of bounds memory access")
(assert_trap (invoke "same" (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "reads" (i32.const 65536)) "out of bounds memory access")
;; A copy right before the step: each arm returns tag * 10000 + the
;; stepped local * 100 + the copy, so that all three show.
(module
  (memory 1)
  (data (i32.const 0) "\00\01\02\03\ff\07")
  (data (i32.const 32) "\00\05\01\00\07\02")
  ;; pc in local 0 kept in local 1, then stepped; the byte at the kept pc.
  (func (export "kept") (param i32) (result i32) (local i32)
    (local.set 0 (i32.add (local.tee 1 (local.get 0)) (i32.const 1)))
    (block $c
      (block $b
        (block $a
          (br_table $a $b $c (i32.load8_u (local.get 1))))
        (return (i32.add (i32.const 10000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1)))))
      (return (i32.add (i32.const 20000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1)))))
    (i32.add (i32.const 30000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1))))
  ;; The step reads the copy's source; the load reads it too.
  (func (export "source") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (local.set 0 (i32.add (local.get 0) (i32.const 2)))
    (block $b
      (block $a
        (br_table $a $b (i32.load8_u offset=1 (local.get 1))))
      (return (i32.add (i32.const 10000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1)))))
    (i32.add (i32.const 20000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1))))
  ;; A copy of another local, read by neither.
  (func (export "other") (param i32 i32) (result i32) (local i32)
    (local.set 2 (local.get 1))
    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
    (block $b
      (block $a
        (br_table $a $b (i32.load8_u (i32.sub (local.get 0) (i32.const 1)))))
      (return (i32.add (i32.const 10000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 2)))))
    (i32.add (i32.const 20000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 2))))
  ;; The step writes the copy's destination over.
  (func (export "over") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (local.set 1 (i32.add (local.get 0) (i32.const 3)))
    (block $b
      (block $a
        (br_table $a $b (i32.load8_u (local.get 0))))
      (return (i32.add (i32.const 10000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1)))))
    (i32.add (i32.const 20000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1))))
  ;; A bytecode loop as a compiler writes one: the pc kept (local.tee)
  ;; and stepped at the top; 0 adds the byte after it and skips it, 1
  ;; adds 10, anything else stops.  Returns sum * 1000 + the pc.
  (func (export "loop") (param i32) (result i32) (local i32 i32)
    (block $done
      (loop $next
        (local.set 0 (i32.add (local.tee 1 (local.get 0)) (i32.const 1)))
        (block $op1
          (block $op0
            (br_table $op0 $op1 $done (i32.load8_u (local.get 1))))
          (local.set 2 (i32.add (local.get 2) (i32.load8_u offset=1 (local.get 1))))
          (local.set 0 (i32.add (local.get 1) (i32.const 2)))
          (br $next))
        (local.set 2 (i32.add (local.get 2) (i32.const 10)))
        (br $next)))
    (i32.add (i32.mul (local.get 2) (i32.const 1000)) (local.get 0)))
)
(assert_return (invoke "kept" (i32.const 0)) (i32.const 10100))
(assert_return (invoke "kept" (i32.const 1)) (i32.const 20201))
(assert_return (invoke "kept" (i32.const 2)) (i32.const 30302))
(assert_return (invoke "kept" (i32.const 4)) (i32.const 30504))
(assert_return (invoke "source" (i32.const 0)) (i32.const 20200))
(assert_return (invoke "source" (i32.const 4)) (i32.const 20604))
(assert_return (invoke "source" (i32.const 6)) (i32.const 10806))
(assert_return (invoke "other" (i32.const 0) (i32.const 7)) (i32.const 10107))
(assert_return (invoke "other" (i32.const 1) (i32.const 9)) (i32.const 20209))
(assert_return (invoke "over" (i32.const 0)) (i32.const 10003))
(assert_return (invoke "over" (i32.const 3)) (i32.const 20306))
(assert_return (invoke "loop" (i32.const 4)) (i32.const 5))
(assert_return (invoke "loop" (i32.const 32)) (i32.const 22038))
(assert_trap (invoke "kept" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "source" (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "loop" (i32.const 65536)) "out of bounds memory access")
;; A shift right before the step: each arm returns tag * 10000 + the
;; stepped local * 100 + the shifted one.
(module
  (memory 1)
  (data (i32.const 0) "\00\01\02\03\ff\07")
  (data (i32.const 64) "\00\00\00\00\05\00\00\00\01\00\00\00\00\00\00\00")
  (data (i32.const 80) "\00\00\00\00\07\00\00\00\02")
  ;; index n in local 0, scaled by 2 into local 1, then stepped.
  (func (export "scaled") (param i32) (result i32) (local i32)
    (local.set 1 (i32.shl (local.get 0) (i32.const 1)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
    (block $c
      (block $b
        (block $a
          (br_table $a $b $c (i32.load8_u offset=1 (local.get 1))))
        (return (i32.add (i32.const 10000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1)))))
      (return (i32.add (i32.const 20000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1)))))
    (i32.add (i32.const 30000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1))))
  ;; A count of 33 is 1; the address is the shifted value plus a constant.
  (func (export "count") (param i32) (result i32) (local i32)
    (local.set 1 (i32.shl (local.get 0) (i32.const 33)))
    (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
    (block $b
      (block $a
        (br_table $a $b (i32.load8_u (i32.add (local.get 1) (i32.const 1)))))
      (return (i32.add (i32.const 10000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1)))))
    (i32.add (i32.const 20000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1))))
  ;; The local shifted in place; the step reads it.
  (func (export "inplace") (param i32) (result i32) (local i32)
    (local.set 0 (i32.shl (local.get 0) (i32.const 1)))
    (local.set 1 (i32.add (local.get 0) (i32.const 5)))
    (block $b
      (block $a
        (br_table $a $b (i32.load8_u (local.get 0))))
      (return (i32.add (i32.const 10000) (i32.add (i32.mul (local.get 1) (i32.const 100)) (local.get 0)))))
    (i32.add (i32.const 20000) (i32.add (i32.mul (local.get 1) (i32.const 100)) (local.get 0))))
  ;; A shift the load does not take its address from stays apart.
  (func (export "apart") (param i32) (result i32) (local i32)
    (local.set 1 (i32.shl (local.get 0) (i32.const 1)))
    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
    (block $b
      (block $a
        (br_table $a $b (i32.load8_u (local.get 0))))
      (return (i32.add (i32.const 10000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1)))))
    (i32.add (i32.const 20000) (i32.add (i32.mul (local.get 0) (i32.const 100)) (local.get 1))))
  ;; A bytecode loop over 8-byte instructions at 64 (opcode in the first
  ;; byte, operand in the fifth): 0 adds the operand, 1 adds 10, anything
  ;; else stops.  Returns sum * 1000 + the instruction count.
  (func (export "run8") (param i32) (result i32) (local i32 i32)
    (block $done
      (loop $next
        (local.set 1 (i32.shl (local.get 0) (i32.const 3)))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (block $op1
          (block $op0
            (br_table $op0 $op1 $done (i32.load8_u (i32.add (local.get 1) (i32.const 64)))))
          (local.set 2 (i32.add (local.get 2) (i32.load8_u offset=68 (local.get 1))))
          (br $next))
        (local.set 2 (i32.add (local.get 2) (i32.const 10)))
        (br $next)))
    (i32.add (i32.mul (local.get 2) (i32.const 1000)) (local.get 0)))
)
(assert_return (invoke "scaled" (i32.const 0)) (i32.const 20100))
(assert_return (invoke "scaled" (i32.const 1)) (i32.const 30202))
(assert_return (invoke "scaled" (i32.const 2)) (i32.const 30304))
(assert_return (invoke "scaled" (i32.const 3)) (i32.const 10406))
(assert_return (invoke "count" (i32.const 0)) (i32.const 19900))
(assert_return (invoke "count" (i32.const 1)) (i32.const 20002))
(assert_return (invoke "inplace" (i32.const 0)) (i32.const 10500))
(assert_return (invoke "inplace" (i32.const 1)) (i32.const 20702))
(assert_return (invoke "apart" (i32.const 0)) (i32.const 20100))
(assert_return (invoke "apart" (i32.const 5)) (i32.const 10610))
(assert_return (invoke "run8" (i32.const 0)) (i32.const 22004))
(assert_return (invoke "run8" (i32.const 1)) (i32.const 17004))
(assert_trap (invoke "scaled" (i32.const 32768)) "out of bounds memory access")
(assert_trap (invoke "count" (i32.const 32768)) "out of bounds memory access")
(assert_trap (invoke "run8" (i32.const 8191)) "out of bounds memory access")
