;; A jump back to a loop that starts with a br_table (an interpreter's
;; dispatch, each case ending with a jump back to it) runs a copy of
;; the br_table in its place.  Five bytecode loops over the same
;; programs: the index in a local, loaded, loaded with a step before
;; the load, with a copy and a step, with a shift and a step (cases
;; that end with an add of a constant keep their jump); then a table
;; whose targets take a value (copies share its moves), two loops in
;; one function, and faults in a copy.
(module
  (memory 1)
  (data (i32.const 0) "\01\01\02\01\07\02\00")
  (data (i32.const 256) "\01\00\00\00\01\00\00\00\02\00\00\00\01\00\00\00\07\00\00\00\02\00\00\00\00\00\00\00")
  (data (i32.const 16) "\02\01\01\01\02\09")
  (data (i32.const 320) "\02\00\00\00\01\00\00\00\01\00\00\00\01\00\00\00\02\00\00\00\09\00\00\00")
  (data (i32.const 32) "\00")
  (data (i32.const 384) "\00\00\00\00")
  (data (i32.const 48) "\07\07\01\04\02\01\04\07\03\02\00")
  (data (i32.const 448) "\07\00\00\00\07\00\00\00\01\00\00\00\04\00\00\00\02\00\00\00\01\00\00\00\04\00\00\00\07\00\00\00\03\00\00\00\02\00\00\00\00\00\00\00")
  (func (export "local") (param $pc i32) (result i32) (local $acc i32) (local $op i32)
    (local.set $op (i32.load8_u (local.get $pc))) (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
    (block $halt
      (loop $l
        (block $c7 (block $c3 (block $c2 (block $c1
          (br_table $halt $c1 $c2 $c3 $halt $halt $halt $c7 $halt (local.get $op)))
          (local.set $op (i32.load8_u (local.get $pc))) (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.xor (local.get $acc) (i32.const 5))) (br $l))
        (local.set $op (i32.load8_u (local.get $pc))) (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.shl (local.get $acc) (i32.const 1))) (br $l))
      (local.set $op (i32.load8_u (local.get $pc))) (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.add (local.get $acc) (i32.const 100))) (br $l))
    (local.set $op (i32.load8_u (local.get $pc))) (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.mul (local.get $acc) (i32.const 7))) (br $l)))
    (i32.add (i32.mul (local.get $acc) (i32.const 1000)) (local.get $pc)))
  (func (export "l8") (param $pc i32) (result i32) (local $acc i32)
    
    (block $halt
      (loop $l
        (block $c7 (block $c3 (block $c2 (block $c1
          (br_table $halt $c1 $c2 $c3 $halt $halt $halt $c7 $halt (i32.load8_u (local.get $pc))))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.xor (local.get $acc) (i32.const 5))) (br $l))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.shl (local.get $acc) (i32.const 1))) (br $l))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.add (local.get $acc) (i32.const 100))) (br $l))
    (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.mul (local.get $acc) (i32.const 7))) (br $l)))
    (i32.add (i32.add (i32.mul (local.get $acc) (i32.const 1000)) (local.get $pc)) (i32.const 1)))
  (func (export "step") (param $pc i32) (result i32) (local $acc i32) (local $q i32)
    (local.set $q (local.get $pc))
    (block $halt
      (loop $l
        (block $c7 (block $c3 (block $c2 (block $c1
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (br_table $halt $c1 $c2 $c3 $halt $halt $halt $c7 $halt (i32.load8_u (local.get $q))))
          (local.set $q (local.get $pc)) (local.set $acc (i32.xor (local.get $acc) (i32.const 5))) (br $l))
        (local.set $q (local.get $pc)) (local.set $acc (i32.shl (local.get $acc) (i32.const 1))) (br $l))
      (local.set $q (local.get $pc)) (local.set $acc (i32.add (local.get $acc) (i32.const 100))) (br $l))
    (local.set $q (local.get $pc)) (local.set $acc (i32.mul (local.get $acc) (i32.const 7))) (br $l)))
    (i32.add (i32.mul (local.get $acc) (i32.const 1000)) (local.get $pc)))
  (func (export "copy") (param $pc i32) (result i32) (local $acc i32) (local $old i32)
    
    (block $halt
      (loop $l
        (block $c7 (block $c3 (block $c2 (block $c1
          (local.set $pc (i32.add (local.tee $old (local.get $pc)) (i32.const 1)))
          (br_table $halt $c1 $c2 $c3 $l $halt $halt $c7 $halt (i32.load8_u (local.get $old))))
          (local.set $acc (i32.xor (local.get $acc) (i32.const 5))) (br $l))
        (local.set $acc (i32.shl (local.get $acc) (i32.const 1))) (br $l))
      (local.set $acc (i32.add (local.get $acc) (i32.const 100))) (br $l))
    (local.set $acc (i32.mul (local.get $acc) (i32.const 7))) (br $l)))
    (i32.add (i32.mul (local.get $acc) (i32.const 1000)) (local.get $pc)))
  (func (export "shift") (param $pc i32) (result i32) (local $acc i32) (local $a i32)
    
    (block $halt
      (loop $l
        (block $c7 (block $c3 (block $c2 (block $c1
          (local.set $a (i32.shl (local.get $pc) (i32.const 2)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (br_table $halt $c1 $c2 $c3 $l $halt $halt $c7 $halt (i32.load offset=256 (local.get $a))))
          (local.set $acc (i32.xor (local.get $acc) (i32.const 5))) (br $l))
        (local.set $acc (i32.shl (local.get $acc) (i32.const 1))) (br $l))
      (local.set $acc (i32.add (local.get $acc) (i32.const 100))) (br $l))
    (local.set $acc (i32.mul (local.get $acc) (i32.const 7))) (br $l)))
    (i32.add (i32.mul (local.get $acc) (i32.const 1000)) (local.get $pc)))
  (func (export "values") (param $pc i32) (result i32) (local $acc i32)
    (i32.add (i32.add (i32.mul
      (block $halt (result i32)
        (loop $l
          (local.set $acc (i32.shl
            (block $c2 (result i32)
              (local.set $acc (i32.xor
                (block $c1 (result i32)
                  (br_table $halt $c1 $c2 $halt (local.get $acc) (i32.load8_u (local.get $pc))))
                (i32.const 5)))
              (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
              (br $l))
            (i32.const 1)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (br $l))
        (unreachable))
      (i32.const 1000)) (local.get $pc)) (i32.const 1)))
  (func (export "two") (param $pc i32) (param $p2 i32) (result i32) (local $acc i32) (local $old i32) (local $r i32)
    
    (block $halt
      (loop $l
        (block $c7 (block $c3 (block $c2 (block $c1
          (local.set $pc (i32.add (local.tee $old (local.get $pc)) (i32.const 1)))
          (br_table $halt $c1 $c2 $c3 $l $halt $halt $c7 $halt (i32.load8_u (local.get $old))))
          (local.set $acc (i32.xor (local.get $acc) (i32.const 5))) (br $l))
        (local.set $acc (i32.shl (local.get $acc) (i32.const 1))) (br $l))
      (local.set $acc (i32.add (local.get $acc) (i32.const 100))) (br $l))
    (local.set $acc (i32.mul (local.get $acc) (i32.const 7))) (br $l)))
    (local.set $r (i32.mul (i32.add (i32.mul (local.get $acc) (i32.const 1000)) (local.get $pc)) (i32.const 1000000)))
    (local.set $acc (i32.const 0))
    (local.set $pc (local.get $p2))
    (block $halt
      (loop $l
        (block $c7 (block $c3 (block $c2 (block $c1
          (br_table $halt $c1 $c2 $c3 $halt $halt $halt $c7 $halt (i32.load8_u (local.get $pc))))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.xor (local.get $acc) (i32.const 5))) (br $l))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.shl (local.get $acc) (i32.const 1))) (br $l))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.add (local.get $acc) (i32.const 100))) (br $l))
    (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.mul (local.get $acc) (i32.const 7))) (br $l)))
    (i32.add (local.get $r) (i32.add (i32.add (i32.mul (local.get $acc) (i32.const 1000)) (local.get $pc)) (i32.const 1))))
)
(assert_return (invoke "local" (i32.const 0)) (i32.const 70007))
(assert_return (invoke "local" (i32.const 16)) (i32.const 10022))
(assert_return (invoke "local" (i32.const 32)) (i32.const 33))
(assert_return (invoke "local" (i32.const 48)) (i32.const 5052))
(assert_return (invoke "l8" (i32.const 0)) (i32.const 70007))
(assert_return (invoke "l8" (i32.const 16)) (i32.const 10022))
(assert_return (invoke "l8" (i32.const 32)) (i32.const 33))
(assert_return (invoke "l8" (i32.const 48)) (i32.const 5052))
(assert_return (invoke "step" (i32.const 0)) (i32.const 70007))
(assert_return (invoke "step" (i32.const 16)) (i32.const 10022))
(assert_return (invoke "step" (i32.const 32)) (i32.const 33))
(assert_return (invoke "step" (i32.const 48)) (i32.const 5052))
(assert_return (invoke "copy" (i32.const 0)) (i32.const 70007))
(assert_return (invoke "copy" (i32.const 16)) (i32.const 10022))
(assert_return (invoke "copy" (i32.const 32)) (i32.const 33))
(assert_return (invoke "copy" (i32.const 48)) (i32.const 410059))
(assert_return (invoke "shift" (i32.const 0)) (i32.const 70007))
(assert_return (invoke "shift" (i32.const 16)) (i32.const 10022))
(assert_return (invoke "shift" (i32.const 32)) (i32.const 33))
(assert_return (invoke "shift" (i32.const 48)) (i32.const 410059))
(assert_return (invoke "values" (i32.const 0)) (i32.const 5005))
(assert_return (invoke "values" (i32.const 16)) (i32.const 10022))
(assert_return (invoke "values" (i32.const 32)) (i32.const 33))
(assert_return (invoke "values" (i32.const 48)) (i32.const 49))
(assert_return (invoke "two" (i32.const 48) (i32.const 16)) (i32.const 2037116902))
(assert_return (invoke "two" (i32.const 0) (i32.const 32)) (i32.const 1287523297))
(assert_return (invoke "two" (i32.const 32) (i32.const 48)) (i32.const 33005052))

;; The first load (the original br_table's) is in bounds; the case steps
;; the pc past the end, and the copy's load traps.
(module
  (memory 1)
  (data (i32.const 65535) "\01")
  (data (i32.const 65532) "\01\00")
  (func (export "l8") (param $pc i32) (result i32) (local $acc i32)
    
    (block $halt
      (loop $l
        (block $c7 (block $c3 (block $c2 (block $c1
          (br_table $halt $c1 $c2 $c3 $halt $halt $halt $c7 $halt (i32.load8_u (local.get $pc))))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.xor (local.get $acc) (i32.const 5))) (br $l))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.shl (local.get $acc) (i32.const 1))) (br $l))
      (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.add (local.get $acc) (i32.const 100))) (br $l))
    (local.set $pc (i32.add (local.get $pc) (i32.const 1))) (local.set $acc (i32.mul (local.get $acc) (i32.const 7))) (br $l)))
    (i32.add (i32.add (i32.mul (local.get $acc) (i32.const 1000)) (local.get $pc)) (i32.const 1)))
  (func (export "shift") (param $pc i32) (result i32) (local $acc i32) (local $a i32)
    
    (block $halt
      (loop $l
        (block $c7 (block $c3 (block $c2 (block $c1
          (local.set $a (i32.shl (local.get $pc) (i32.const 2)))
          (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
          (br_table $halt $c1 $c2 $c3 $l $halt $halt $c7 $halt (i32.load16_u offset=4 (local.get $a))))
          (local.set $acc (i32.xor (local.get $acc) (i32.const 5))) (br $l))
        (local.set $acc (i32.shl (local.get $acc) (i32.const 1))) (br $l))
      (local.set $acc (i32.add (local.get $acc) (i32.const 100))) (br $l))
    (local.set $acc (i32.mul (local.get $acc) (i32.const 7))) (br $l)))
    (i32.add (i32.mul (local.get $acc) (i32.const 1000)) (local.get $pc)))
)
(assert_trap (invoke "l8" (i32.const 65535)) "out of bounds memory access")
(assert_return (invoke "l8" (i32.const 65534)) (i32.const 65535))
(assert_trap (invoke "shift" (i32.const 16382)) "out of bounds memory access")
(assert_return (invoke "shift" (i32.const 16381)) (i32.const 16382))
