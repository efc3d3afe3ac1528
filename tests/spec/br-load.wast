;; A branch on an i32 eq or ne whose operand the load right before it
;; loads runs as one instruction: bytes and words, against a local or a
;; constant, the load on either side of the compare, br_if and if, a
;; negated branch, a byte scan and a string compare in loops, a value
;; compared with itself, and faults; then the loaded value also kept
;; in a local (local.tee, local.set), which the branch stores too; last,
;; both operands loaded by the two loads before the branch.
(module
  (memory 1)
  (data (i32.const 0) "abcab\00xyz\00")
  (data (i32.const 16) "\01\00\00\00\ff\ff\ff\ff")
  (data (i32.const 32) "hello\00")
  (data (i32.const 48) "help\00")
  ;; 1 when the byte at p is c, else 0: the constant and the local forms.
  (func (export "u8-eq-k") (param i32) (result i32)
    (block $y
      (br_if $y (i32.eq (i32.load8_u (local.get 0)) (i32.const 0x62)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "u8-ne") (param i32 i32) (result i32)
    (block $y
      (br_if $y (i32.ne (i32.load8_u offset=1 (local.get 0)) (local.get 1)))
      (return (i32.const 0)))
    (i32.const 1))
  ;; The load on the right of the compare.
  (func (export "u8-eq-r") (param i32 i32) (result i32)
    (block $y
      (br_if $y (i32.eq (local.get 1) (i32.load8_u (local.get 0))))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "u32-eq-k") (param i32) (result i32)
    (block $y
      (br_if $y (i32.eq (i32.load (local.get 0)) (i32.const -1)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "u32-ne") (param i32 i32) (result i32)
    (block $y
      (br_if $y (i32.ne (i32.load offset=4 (i32.add (local.get 0) (i32.const 12)))
                        (local.get 1)))
      (return (i32.const 0)))
    (i32.const 1))
  ;; An if on the compare (the branch is the negation).
  (func (export "if-eq") (param i32 i32) (result i32)
    (if (result i32) (i32.eq (i32.load8_u (local.get 0)) (local.get 1))
      (then (i32.const 10))
      (else (i32.const 20))))
  ;; Compared with itself: both operands the loaded value.
  (func (export "self") (param i32) (result i32) (local i32)
    (block $y
      (br_if $y (i32.ne (local.tee 1 (i32.load8_u (local.get 0))) (local.get 1)))
      (return (i32.const 0)))
    (i32.const 1))
  ;; The index of the first byte c from p.
  (func (export "find") (param i32 i32) (result i32) (local i32)
    (local.set 2 (local.get 0))
    (block $found
      (loop $next
        (br_if $found (i32.eq (i32.load8_u (local.get 2)) (local.get 1)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $next)))
    (i32.sub (local.get 2) (local.get 0)))
  ;; The length of the common prefix of the strings at p and q.
  (func (export "prefix") (param i32 i32) (result i32) (local i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (local.get 0))))
        (br_if $done (i32.ne (i32.load8_u (local.get 1)) (i32.load8_u (local.get 0))))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br $next)))
    (local.get 2))
)
(assert_return (invoke "u8-eq-k" (i32.const 1)) (i32.const 1))
(assert_return (invoke "u8-eq-k" (i32.const 0)) (i32.const 0))
(assert_return (invoke "u8-eq-k" (i32.const 4)) (i32.const 1))
(assert_return (invoke "u8-ne" (i32.const 0) (i32.const 0x62)) (i32.const 0))
(assert_return (invoke "u8-ne" (i32.const 0) (i32.const 0x61)) (i32.const 1))
(assert_return (invoke "u8-ne" (i32.const 4) (i32.const 0)) (i32.const 0))
(assert_return (invoke "u8-ne" (i32.const 4) (i32.const 0x100)) (i32.const 1))
(assert_return (invoke "u8-eq-r" (i32.const 2) (i32.const 0x63)) (i32.const 1))
(assert_return (invoke "u8-eq-r" (i32.const 2) (i32.const 0x64)) (i32.const 0))
(assert_return (invoke "u32-eq-k" (i32.const 20)) (i32.const 1))
(assert_return (invoke "u32-eq-k" (i32.const 16)) (i32.const 0))
(assert_return (invoke "u32-eq-k" (i32.const 18)) (i32.const 0))
(assert_return (invoke "u32-ne" (i32.const 0) (i32.const 1)) (i32.const 0))
(assert_return (invoke "u32-ne" (i32.const 0) (i32.const 2)) (i32.const 1))
(assert_return (invoke "u32-ne" (i32.const 4) (i32.const -1)) (i32.const 0))
(assert_return (invoke "u32-ne" (i32.const -12) (i32.const 0x0a006261)) (i32.const 1))
(assert_return (invoke "u32-ne" (i32.const -12) (i32.const 0x79780062)) (i32.const 0))
(assert_return (invoke "if-eq" (i32.const 6) (i32.const 0x78)) (i32.const 10))
(assert_return (invoke "if-eq" (i32.const 6) (i32.const 0x79)) (i32.const 20))
(assert_return (invoke "self" (i32.const 0)) (i32.const 0))
(assert_return (invoke "find" (i32.const 0) (i32.const 0x61)) (i32.const 0))
(assert_return (invoke "find" (i32.const 1) (i32.const 0x61)) (i32.const 2))
(assert_return (invoke "find" (i32.const 0) (i32.const 0)) (i32.const 5))
(assert_return (invoke "find" (i32.const 6) (i32.const 0x7a)) (i32.const 2))
(assert_return (invoke "prefix" (i32.const 32) (i32.const 48)) (i32.const 3))
(assert_return (invoke "prefix" (i32.const 32) (i32.const 32)) (i32.const 5))
(assert_return (invoke "prefix" (i32.const 0) (i32.const 3)) (i32.const 2))
(assert_trap (invoke "u8-eq-k" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "u8-ne" (i32.const 65535) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "u8-eq-r" (i32.const -1) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "u32-eq-k" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "u32-ne" (i32.const 65520) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "if-eq" (i32.const 65536) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "find" (i32.const 65530) (i32.const 1)) "out of bounds memory access")
;; The value loaded is kept in a local that is read after the branch.
(module
  (memory 1)
  (data (i32.const 0) "abcab\00xyz\00")
  (data (i32.const 32) "hello\00")
  (data (i32.const 48) "help\00")
  (data (i32.const 64) "\42\00\44\00\00")
  ;; memcmp of n bytes: both bytes kept (local.tee), the difference of
  ;; the first pair that differs returned.
  (func (export "memcmp") (param i32 i32 i32) (result i32) (local i32 i32)
    (block $eq
      (br_if $eq (i32.eqz (local.get 2)))
      (loop $next
        (if (i32.eq (local.tee 3 (i32.load8_u (local.get 0)))
                    (local.tee 4 (i32.load8_u (local.get 1))))
          (then
            (local.set 1 (i32.add (local.get 1) (i32.const 1)))
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (br_if $next (local.tee 2 (i32.sub (local.get 2) (i32.const 1))))
            (br $eq)))
        (return (i32.sub (local.get 3) (local.get 4)))))
    (i32.const 0))
  ;; A byte compared with a constant and kept: the branch taken and not.
  (func (export "tee-k") (param i32) (result i32) (local i32)
    (block $y
      (br_if $y (i32.ne (local.tee 1 (i32.load8_u offset=1 (local.get 0))) (i32.const 0x62)))
      (return (i32.add (local.get 1) (i32.const 1000))))
    (local.get 1))
  ;; local.set, then the local compared with a local.
  (func (export "set-l") (param i32 i32) (result i32) (local i32)
    (local.set 2 (i32.load (local.get 0)))
    (block $y
      (br_if $y (i32.eq (local.get 2) (local.get 1)))
      (return (i32.sub (i32.const 0) (local.get 2))))
    (local.get 2))
  ;; The local kept is the load's own address (a linked list walk).
  (func (export "walk") (param i32) (result i32) (local i32)
    (loop $next
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $next (i32.ne (local.tee 0 (i32.load8_u (local.get 0))) (i32.const 0))))
    (i32.add (i32.mul (local.get 1) (i32.const 100)) (local.get 0)))
  ;; Kept, then the load faults before anything is stored.
  (func (export "tee-trap") (param i32) (result i32) (local i32)
    (local.set 1 (i32.const 77))
    (block $y
      (br_if $y (i32.eq (local.tee 1 (i32.load8_u (local.get 0))) (i32.const 0)))
      (return (local.get 1)))
    (local.get 1))
)
(assert_return (invoke "memcmp" (i32.const 32) (i32.const 48) (i32.const 3)) (i32.const 0))
(assert_return (invoke "memcmp" (i32.const 32) (i32.const 48) (i32.const 4)) (i32.const -4))
(assert_return (invoke "memcmp" (i32.const 48) (i32.const 32) (i32.const 5)) (i32.const 4))
(assert_return (invoke "memcmp" (i32.const 0) (i32.const 3) (i32.const 2)) (i32.const 0))
(assert_return (invoke "memcmp" (i32.const 0) (i32.const 32) (i32.const 0)) (i32.const 0))
(assert_return (invoke "tee-k" (i32.const 0)) (i32.const 1098))
(assert_return (invoke "tee-k" (i32.const 1)) (i32.const 99))
(assert_return (invoke "tee-k" (i32.const 4)) (i32.const 0))
(assert_return (invoke "set-l" (i32.const 0) (i32.const 0x61636261)) (i32.const 0x61636261))
(assert_return (invoke "set-l" (i32.const 0) (i32.const 0)) (i32.const -0x61636261))
(assert_return (invoke "walk" (i32.const 1)) (i32.const 200))
(assert_return (invoke "walk" (i32.const 64)) (i32.const 300))
(assert_return (invoke "walk" (i32.const 5)) (i32.const 100))
(assert_trap (invoke "tee-trap" (i32.const 65536)) "out of bounds memory access")
;; Both operands loaded, by two loads of the same kind right before the
;; compare: they join the branch.
(module
  (memory 1)
  (data (i32.const 0) "abcab\00xyz\00")
  (data (i32.const 16) "\01\00\00\00\ff\ff\ff\ff\01\00\00\00")
  (data (i32.const 32) "hello\00")
  (data (i32.const 48) "help\00")
  (data (i32.const 64) "\42\00\44\00\00")
  (func (export "eq8") (param i32 i32) (result i32)
    (block $y
      (br_if $y (i32.eq (i32.load8_u (local.get 0)) (i32.load8_u offset=1 (local.get 1))))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "ne32") (param i32 i32) (result i32)
    (block $y
      (br_if $y (i32.ne (i32.load offset=4 (i32.add (local.get 0) (i32.const 12)))
                        (i32.load (local.get 1))))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "if-ne") (param i32 i32) (result i32)
    (if (result i32) (i32.ne (i32.load8_u (local.get 0)) (i32.load8_u (local.get 1)))
      (then (i32.const 10))
      (else (i32.const 20))))
  ;; Two kinds of load: apart.
  (func (export "mixed") (param i32 i32) (result i32)
    (block $y
      (br_if $y (i32.eq (i32.load8_u (local.get 0)) (i32.load (local.get 1))))
      (return (i32.const 0)))
    (i32.const 1))
  ;; memcmp with both bytes kept: the difference of the first pair that
  ;; differs.
  (func (export "memcmp") (param i32 i32 i32) (result i32) (local i32 i32)
    (block $eq
      (br_if $eq (i32.eqz (local.get 2)))
      (loop $next
        (if (i32.eq (local.tee 3 (i32.load8_u (local.get 0)))
                    (local.tee 4 (i32.load8_u (local.get 1))))
          (then
            (local.set 1 (i32.add (local.get 1) (i32.const 1)))
            (local.set 0 (i32.add (local.get 0) (i32.const 1)))
            (br_if $next (local.tee 2 (i32.sub (local.get 2) (i32.const 1))))
            (br $eq)))
        (return (i32.sub (local.get 3) (local.get 4)))))
    (i32.const 0))
  ;; The first value kept is the second load's address: apart.
  (func (export "chase") (param i32) (result i32) (local i32)
    (block $y
      (br_if $y (i32.ne (local.tee 1 (i32.load8_u (local.get 0))) (i32.load8_u (local.get 1))))
      (return (i32.add (i32.const 100) (local.get 1))))
    (local.get 1))
  ;; The first value kept in the local it was loaded from: apart.
  (func (export "self-addr") (param i32) (result i32)
    (block $y
      (br_if $y (i32.eq (local.tee 0 (i32.load8_u (local.get 0))) (i32.load8_u (i32.const 2))))
      (return (i32.add (i32.const 100) (local.get 0))))
    (local.get 0))
)
(assert_return (invoke "eq8" (i32.const 0) (i32.const 2)) (i32.const 1))
(assert_return (invoke "eq8" (i32.const 0) (i32.const 0)) (i32.const 0))
(assert_return (invoke "eq8" (i32.const 5) (i32.const 8)) (i32.const 1))
(assert_return (invoke "ne32" (i32.const 0) (i32.const 16)) (i32.const 0))
(assert_return (invoke "ne32" (i32.const 0) (i32.const 20)) (i32.const 1))
(assert_return (invoke "ne32" (i32.const 4) (i32.const 16)) (i32.const 1))
(assert_return (invoke "ne32" (i32.const 8) (i32.const 16)) (i32.const 0))
(assert_return (invoke "if-ne" (i32.const 0) (i32.const 3)) (i32.const 20))
(assert_return (invoke "if-ne" (i32.const 0) (i32.const 1)) (i32.const 10))
(assert_return (invoke "mixed" (i32.const 16) (i32.const 24)) (i32.const 1))
(assert_return (invoke "mixed" (i32.const 16) (i32.const 20)) (i32.const 0))
(assert_return (invoke "memcmp" (i32.const 32) (i32.const 48) (i32.const 3)) (i32.const 0))
(assert_return (invoke "memcmp" (i32.const 32) (i32.const 48) (i32.const 4)) (i32.const -4))
(assert_return (invoke "memcmp" (i32.const 48) (i32.const 32) (i32.const 5)) (i32.const 4))
(assert_return (invoke "memcmp" (i32.const 0) (i32.const 3) (i32.const 2)) (i32.const 0))
(assert_return (invoke "chase" (i32.const 64)) (i32.const 66))
(assert_return (invoke "chase" (i32.const 5)) (i32.const 0))
(assert_return (invoke "self-addr" (i32.const 2)) (i32.const 99))
(assert_return (invoke "self-addr" (i32.const 0)) (i32.const 197))
(assert_trap (invoke "eq8" (i32.const 65536) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "eq8" (i32.const 0) (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "ne32" (i32.const 0) (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "memcmp" (i32.const 65534) (i32.const 100) (i32.const 4)) "out of bounds memory access")
