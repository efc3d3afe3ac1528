;; Loops of two instructions that run as one handler: memcmp's (compare
;; two loaded bytes and leave; step both pointers and the count, loop
;; while it is not zero) and a sieve's marking (store a constant byte at
;; base + j; j += step, loop while j < a constant).  The values each loop
;; leaves in its locals, exits on either branch, wrapping, and traps part
;; way through, after some turns have stored.
(module
  (memory 1)
  (data (i32.const 0) "abcdefgh")
  (data (i32.const 16) "abcdefgX")
  (data (i32.const 32) "\03\04\05\06\07\08")
  (data (i32.const 65528) "\01\02\03\04\05\06\07\08")
  ;; the shape clang gives wasi-libc's memcmp
  (func $memcmp (export "memcmp") (param $l i32) (param $r i32) (param $n i32)
    (result i32 i32 i32 i32)
    (local $a i32) (local $b i32) (local $d i32)
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (if (i32.eq (local.tee $a (i32.load8_u (local.get $l)))
                    (local.tee $b (i32.load8_u (local.get $r))))
          (then
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))
            (br $done))))
      (local.set $d (i32.sub (local.get $a) (local.get $b))))
    (local.get $d) (local.get $l) (local.get $r) (local.get $n))
  ;; the same with the pointers stepped in the other order, and with
  ;; the right pointer stepped from the count (r = n + 1, a shape whose
  ;; steps are not each their own source: two instructions)
  (func (export "memcmp_lr") (param $l i32) (param $r i32) (param $n i32)
    (result i32 i32 i32 i32)
    (local $a i32) (local $b i32)
    (block $done
      (loop $next
        (if (i32.eq (local.tee $a (i32.load8_u (local.get $l)))
                    (local.tee $b (i32.load8_u (local.get $r))))
          (then
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))
            (br $done)))))
    (i32.sub (local.get $a) (local.get $b)) (local.get $l) (local.get $r) (local.get $n))
  (func (export "memcmp_rn") (param $l i32) (param $r i32) (param $n i32)
    (result i32 i32 i32 i32)
    (local $a i32) (local $b i32)
    (block $done
      (loop $next
        (if (i32.eq (local.tee $a (i32.load8_u (local.get $l)))
                    (local.tee $b (i32.load8_u (local.get $r))))
          (then
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (local.set $r (i32.add (local.get $n) (i32.const 1)))
            (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))
            (br $done)))))
    (i32.sub (local.get $a) (local.get $b)) (local.get $l) (local.get $r) (local.get $n))
  (func (export "fill") (param $p i32) (param $n i32)
    (memory.fill (local.get $p) (i32.const 1) (local.get $n)))
  (func (export "count") (param $p i32) (param $n i32) (result i32) (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $c (i32.add (local.get $c) (i32.load8_u (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $c))
  (func (export "byte") (param $p i32) (result i32) (i32.load8_u (local.get $p)))
  ;; marking at an address j is not in (base + k): the same byte each turn
  (func (export "mark_at") (param $base i32) (param $k i32) (param $step i32) (param $j i32)
    (result i32)
    (loop $next
      (i32.store8 (i32.add (local.get $base) (local.get $k)) (i32.const 0))
      (br_if $next (i32.lt_u (local.tee $j (i32.add (local.get $j) (local.get $step)))
                             (i32.const 100))))
    (local.get $j))
  ;; marking at j + j, while j is below 2030
  (func (export "mark2") (param $step i32) (param $j i32) (result i32)
    (loop $next
      (i32.store8 (i32.add (local.get $j) (local.get $j)) (i32.const 0))
      (br_if $next (i32.lt_u (local.tee $j (i32.add (local.get $j) (local.get $step)))
                             (i32.const 2030))))
    (local.get $j))
  ;; a sieve's marking: j from start, by step, while below 100; the last j
  (func (export "mark") (param $base i32) (param $step i32) (param $j i32) (result i32)
    (loop $next
      (i32.store8 (i32.add (local.get $base) (local.get $j)) (i32.const 0))
      (br_if $next (i32.lt_u (local.tee $j (i32.add (local.get $j) (local.get $step)))
                             (i32.const 100))))
    (local.get $j))
)

;; memcmp: all equal (the count runs out), a difference at the first
;; byte, at the last, a single byte; the pointers and count it leaves
(assert_return (invoke "memcmp" (i32.const 0) (i32.const 16) (i32.const 7))
  (i32.const 0) (i32.const 7) (i32.const 23) (i32.const 0))
(assert_return (invoke "memcmp" (i32.const 0) (i32.const 16) (i32.const 8))
  (i32.const 16) (i32.const 7) (i32.const 23) (i32.const 1))
(assert_return (invoke "memcmp" (i32.const 1) (i32.const 16) (i32.const 8))
  (i32.const 1) (i32.const 1) (i32.const 16) (i32.const 8))
(assert_return (invoke "memcmp" (i32.const 16) (i32.const 0) (i32.const 8))
  (i32.const -16) (i32.const 23) (i32.const 7) (i32.const 1))
(assert_return (invoke "memcmp" (i32.const 3) (i32.const 19) (i32.const 1))
  (i32.const 0) (i32.const 4) (i32.const 20) (i32.const 0))
(assert_return (invoke "memcmp" (i32.const 3) (i32.const 20) (i32.const 1))
  (i32.const -1) (i32.const 3) (i32.const 20) (i32.const 1))
(assert_return (invoke "memcmp" (i32.const 5) (i32.const 6) (i32.const 0))
  (i32.const 0) (i32.const 5) (i32.const 6) (i32.const 0))
;; a count of 2^32 - 1 stops at the first difference
(assert_return (invoke "memcmp" (i32.const 0) (i32.const 16) (i32.const -1))
  (i32.const 16) (i32.const 7) (i32.const 23) (i32.const -8))
;; equal bytes up to the end of memory: the load past it traps, on
;; either side
(assert_trap (invoke "memcmp" (i32.const 65528) (i32.const 65528) (i32.const 9))
  "out of bounds memory access")
(assert_trap (invoke "memcmp" (i32.const 32) (i32.const 65530) (i32.const 7))
  "out of bounds memory access")
(assert_trap (invoke "memcmp" (i32.const 65530) (i32.const 32) (i32.const 7))
  "out of bounds memory access")
(assert_return (invoke "memcmp" (i32.const 32) (i32.const 65530) (i32.const 6))
  (i32.const 0) (i32.const 38) (i32.const 65536) (i32.const 0))
(assert_return (invoke "memcmp" (i32.const 65528) (i32.const 65528) (i32.const 8))
  (i32.const 0) (i32.const 65536) (i32.const 65536) (i32.const 0))

;; the other order of steps; r from n (data at 16: "abcdefgX"): r = 8
;; after the first turn, then 7, ... (bytes 8 and up are 0)
(assert_return (invoke "memcmp_lr" (i32.const 0) (i32.const 16) (i32.const 7))
  (i32.const 0) (i32.const 7) (i32.const 23) (i32.const 0))
(assert_return (invoke "memcmp_lr" (i32.const 0) (i32.const 16) (i32.const 8))
  (i32.const 16) (i32.const 7) (i32.const 23) (i32.const 1))
(assert_return (invoke "memcmp_lr" (i32.const 3) (i32.const 20) (i32.const 1))
  (i32.const -1) (i32.const 3) (i32.const 20) (i32.const 1))
(assert_return (invoke "memcmp_rn" (i32.const 0) (i32.const 16) (i32.const 9))
  (i32.const 98) (i32.const 1) (i32.const 10) (i32.const 8))
(assert_return (invoke "memcmp_rn" (i32.const 8) (i32.const 8) (i32.const 4))
  (i32.const -102) (i32.const 9) (i32.const 5) (i32.const 3))
(assert_trap (invoke "memcmp_lr" (i32.const 65528) (i32.const 65528) (i32.const 9))
  "out of bounds memory access")

;; marking: every third of 100 bytes, then every byte from 50; a step
;; of -1 walks down from 5 until j wraps past 0
(invoke "fill" (i32.const 1000) (i32.const 100))
(assert_return (invoke "mark" (i32.const 1000) (i32.const 3) (i32.const 0)) (i32.const 102))
(assert_return (invoke "count" (i32.const 1000) (i32.const 100)) (i32.const 66))
(assert_return (invoke "byte" (i32.const 1099)) (i32.const 0))
(assert_return (invoke "byte" (i32.const 1098)) (i32.const 1))
(assert_return (invoke "mark" (i32.const 1000) (i32.const 1) (i32.const 50)) (i32.const 100))
(assert_return (invoke "count" (i32.const 1000) (i32.const 100)) (i32.const 33))
(invoke "fill" (i32.const 2000) (i32.const 10))
(assert_return (invoke "mark" (i32.const 2000) (i32.const -1) (i32.const 5)) (i32.const -1))
(assert_return (invoke "count" (i32.const 2000) (i32.const 10)) (i32.const 4))
;; a start past the bound still stores once
(assert_return (invoke "mark" (i32.const 2000) (i32.const 1) (i32.const 150)) (i32.const 151))
(assert_return (invoke "count" (i32.const 2000) (i32.const 10)) (i32.const 4))
(assert_return (invoke "byte" (i32.const 2150)) (i32.const 0))
;; one address, whatever j: 20 turns of step 5 from 0
(invoke "fill" (i32.const 3000) (i32.const 100))
(assert_return (invoke "mark_at" (i32.const 3000) (i32.const 2) (i32.const 5) (i32.const 0))
  (i32.const 100))
(assert_return (invoke "count" (i32.const 3000) (i32.const 100)) (i32.const 99))
(assert_return (invoke "byte" (i32.const 3002)) (i32.const 0))
;; at j + j: j = 2000, 2003, ... 2027 marks 4000, 4006, ... 4054
(invoke "fill" (i32.const 4000) (i32.const 100))
(assert_return (invoke "mark2" (i32.const 3) (i32.const 2000)) (i32.const 2030))
(assert_return (invoke "count" (i32.const 4000) (i32.const 100)) (i32.const 90))
(assert_return (invoke "byte" (i32.const 4054)) (i32.const 0))
(assert_return (invoke "byte" (i32.const 4003)) (i32.const 1))
(assert_return (invoke "byte" (i32.const 4060)) (i32.const 1))
;; the store past the end traps after the turns before it stored
(invoke "fill" (i32.const 65530) (i32.const 6))
(assert_trap (invoke "mark" (i32.const 65530) (i32.const 1) (i32.const 0))
  "out of bounds memory access")
(assert_return (invoke "count" (i32.const 65530) (i32.const 6)) (i32.const 0))
