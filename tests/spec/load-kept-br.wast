;; A branch on the i32 a kept load loaded (the load's address a sum kept
;; in a local right before it: `v = &vars[i]; if (!v->key)`), br_if and
;; if, for the kept forms a + b, a + constant, a * constant + constant:
;; both ways of each, the sum and the value still written, the value
;; kept in a local or not, the sum wrapping, and traps.
(module
  (memory 1)
  (data (i32.const 16) "\00\00\00\00\07\00\00\00\00\00\00\80\00\00\00\00")
  (data (i32.const 32) "\01\00\00\00\00\00\00\00\ff\ff\ff\ff")
  ;; a + b, br_if on the value (kept in a local)
  (func (export "a-if") (param $b i32) (param $i i32) (result i32 i32 i32)
    (local $p i32) (local $v i32)
    (block $t
      (br_if $t (local.tee $v (i32.load offset=4
                                (local.tee $p (i32.add (local.get $b) (local.get $i))))))
      (return (i32.const 0) (local.get $p) (local.get $v)))
    (i32.const 1) (local.get $p) (local.get $v))
  ;; a + b, if on the value (the value a temporary)
  (func (export "a-un") (param $b i32) (param $i i32) (result i32 i32) (local $p i32)
    (if (result i32) (i32.load (local.tee $p (i32.add (local.get $b) (local.get $i))))
      (then (i32.const 1)) (else (i32.const 0)))
    (local.get $p))
  (func (export "ai-if") (param $b i32) (result i32 i32 i32) (local $p i32) (local $v i32)
    (block $t
      (br_if $t (local.tee $v (i32.load (local.tee $p (i32.add (local.get $b) (i32.const 16))))))
      (return (i32.const 0) (local.get $p) (local.get $v)))
    (i32.const 1) (local.get $p) (local.get $v))
  (func (export "ai-un") (param $b i32) (result i32 i32 i32) (local $p i32) (local $v i32)
    (if (result i32) (local.tee $v (i32.load offset=8
                                     (local.tee $p (i32.sub (local.get $b) (i32.const 8)))))
      (then (i32.const 1)) (else (i32.const 0)))
    (local.get $p) (local.get $v))
  ;; a * constant + constant: a record's first field
  (func (export "mi-if") (param $i i32) (result i32 i32 i32) (local $p i32) (local $v i32)
    (block $t
      (br_if $t (local.tee $v (i32.load
                                (local.tee $p (i32.add (i32.mul (local.get $i) (i32.const 12))
                                                       (i32.const 16))))))
      (return (i32.const 0) (local.get $p) (local.get $v)))
    (i32.const 1) (local.get $p) (local.get $v))
  (func (export "mi-un") (param $i i32) (result i32 i32 i32) (local $p i32) (local $v i32)
    (if (result i32) (local.tee $v (i32.load offset=4
                                     (local.tee $p (i32.add (i32.mul (local.get $i) (i32.const 12))
                                                            (i32.const 16)))))
      (then (i32.const 1)) (else (i32.const 0)))
    (local.get $p) (local.get $v))
  ;; a probe: the first record whose first field is 0, from i
  (func (export "probe") (param $i i32) (result i32) (local $p i32)
    (loop $next
      (if (i32.load (local.tee $p (i32.add (i32.mul (local.get $i) (i32.const 12))
                                           (i32.const 16))))
        (then (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $next))))
    (local.get $i))
)

(assert_return (invoke "a-if" (i32.const 16) (i32.const 0)) (i32.const 1) (i32.const 16) (i32.const 7))
(assert_return (invoke "a-if" (i32.const 10) (i32.const 10)) (i32.const 1) (i32.const 20) (i32.const 0x80000000))
(assert_return (invoke "a-if" (i32.const 20) (i32.const 4)) (i32.const 0) (i32.const 24) (i32.const 0))
(assert_return (invoke "a-if" (i32.const 0xffffffff) (i32.const 17)) (i32.const 1) (i32.const 16) (i32.const 7))
(assert_return (invoke "a-un" (i32.const 16) (i32.const 4)) (i32.const 1) (i32.const 20))
(assert_return (invoke "a-un" (i32.const 8) (i32.const 8)) (i32.const 0) (i32.const 16))
(assert_return (invoke "ai-if" (i32.const 0)) (i32.const 0) (i32.const 16) (i32.const 0))
(assert_return (invoke "ai-if" (i32.const 16)) (i32.const 1) (i32.const 32) (i32.const 1))
(assert_return (invoke "ai-if" (i32.const 24)) (i32.const 1) (i32.const 40) (i32.const -1))
(assert_return (invoke "ai-if" (i32.const 0xfffffff4)) (i32.const 0) (i32.const 4) (i32.const 0))
(assert_return (invoke "ai-un" (i32.const 16)) (i32.const 0) (i32.const 8) (i32.const 0))
(assert_return (invoke "ai-un" (i32.const 20)) (i32.const 1) (i32.const 12) (i32.const 7))
(assert_return (invoke "ai-un" (i32.const 8)) (i32.const 0) (i32.const 0) (i32.const 0))
(assert_return (invoke "mi-if" (i32.const 0)) (i32.const 0) (i32.const 16) (i32.const 0))
(assert_return (invoke "mi-if" (i32.const 1)) (i32.const 0) (i32.const 28) (i32.const 0))
(assert_return (invoke "mi-if" (i32.const 0x40000002)) (i32.const 1) (i32.const 40) (i32.const -1))
(assert_return (invoke "mi-un" (i32.const 0)) (i32.const 1) (i32.const 16) (i32.const 7))
(assert_return (invoke "mi-un" (i32.const 2)) (i32.const 0) (i32.const 40) (i32.const 0))
(assert_return (invoke "probe" (i32.const 2)) (i32.const 3))
(assert_return (invoke "probe" (i32.const 0)) (i32.const 0))
(assert_trap (invoke "a-if" (i32.const 65530) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "a-un" (i32.const 0xfffffff0) (i32.const 0x1000e)) "out of bounds memory access")
(assert_trap (invoke "ai-if" (i32.const 65520)) "out of bounds memory access")
(assert_trap (invoke "ai-un" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "mi-if" (i32.const 5460)) "out of bounds memory access")
(assert_trap (invoke "mi-un" (i32.const 5460)) "out of bounds memory access")
