;; A dot product's step: two products of loads, then the sum's
;; acc' = x + (y + acc) (products and adds each rounded on their own, in
;; that order) as one instruction, in f32 and f64: the order of the adds
;; (1e16 and 1 do not make 1e16 + 1), infinities, NaN, signed zeros, the
;; matmul shape (four products added one by one, the next step of the
;; sum joined too), a product or the inner sum kept in a local (stay
;; apart), and a trap in each of the four loads.
(module
  (memory 1)
  ;; f64 at 0..: 1e16, -1e16, 1, 2, 0.5, inf, -0, 3
  (data (i32.const 0) "\00\80\e0\37\79\c3\41\43\00\80\e0\37\79\c3\41\c3")
  (data (i32.const 16) "\00\00\00\00\00\00\f0\3f\00\00\00\00\00\00\00\40")
  (data (i32.const 32) "\00\00\00\00\00\00\e0\3f\00\00\00\00\00\00\f0\7f")
  (data (i32.const 48) "\00\00\00\00\00\00\00\80\00\00\00\00\00\00\08\40")
  ;; f32 at 64..: 1e8, -1e8, 1, 2, 0.5, inf, -0, 3
  (data (i32.const 64) "\20\bc\be\4c\20\bc\be\cc\00\00\80\3f\00\00\00\40")
  (data (i32.const 80) "\00\00\00\3f\00\00\80\7f\00\00\00\80\00\00\40\40")
  (func (export "d64") (param $p i32) (param $q i32) (param $r i32) (param $s i32)
                       (param $acc f64) (result f64)
    (f64.add (f64.mul (f64.load (local.get $p)) (f64.load (local.get $q)))
      (f64.add (f64.mul (f64.load (local.get $r)) (f64.load (local.get $s)))
               (local.get $acc))))
  (func (export "d32") (param $p i32) (param $q i32) (param $r i32) (param $s i32)
                       (param $acc f32) (result f32)
    (f32.add (f32.mul (f32.load (local.get $p)) (f32.load (local.get $q)))
      (f32.add (f32.mul (f32.load offset=64 (local.get $r)) (f32.load offset=64 (local.get $s)))
               (local.get $acc))))
  ;; a row times a column, four at a time, as clang unrolls it
  (func (export "dot4") (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $acc f64) (local $i i32)
    (loop $l
      (local.set $acc
        (f64.add (f64.mul (f64.load offset=24 (local.get $a)) (f64.load offset=24 (local.get $b)))
          (f64.add (f64.mul (f64.load offset=16 (local.get $a)) (f64.load offset=16 (local.get $b)))
            (f64.add (f64.mul (f64.load offset=8 (local.get $a)) (f64.load offset=8 (local.get $b)))
              (f64.add (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))
                       (local.get $acc))))))
      (local.set $a (i32.add (local.get $a) (i32.const 32)))
      (local.set $b (i32.add (local.get $b) (i32.const 32)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
  (func (export "dot4f") (param $a i32) (param $b i32) (param $c f32) (result f32)
    (f32.add (f32.mul (f32.load offset=76 (local.get $a)) (f32.load offset=76 (local.get $b)))
      (f32.add (f32.mul (f32.load offset=72 (local.get $a)) (f32.load offset=72 (local.get $b)))
        (f32.add (f32.mul (f32.load offset=68 (local.get $a)) (f32.load offset=68 (local.get $b)))
          (f32.add (f32.mul (f32.load offset=64 (local.get $a)) (f32.load offset=64 (local.get $b)))
                   (local.get $c))))))
  ;; the inner sum kept in a local: the next step stays apart
  (func (export "keptsum") (param $a i32) (param $b i32) (result f64 f64) (local $s f64)
    (f64.add (f64.mul (f64.load offset=24 (local.get $a)) (f64.load offset=24 (local.get $b)))
      (f64.add (f64.mul (f64.load offset=16 (local.get $a)) (f64.load offset=16 (local.get $b)))
        (local.tee $s
          (f64.add (f64.mul (f64.load offset=8 (local.get $a)) (f64.load offset=8 (local.get $b)))
            (f64.add (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))
                     (f64.const 0.5))))))
    (local.get $s))
  ;; the first product kept in a local: stays apart, the local written
  (func (export "kept") (param $p i32) (param $q i32) (param $acc f64) (result f64 f64)
    (local $x f64)
    (local.set $x (f64.mul (f64.load (local.get $p)) (f64.load (local.get $q))))
    (f64.add (local.get $x)
      (f64.add (f64.mul (f64.load offset=8 (local.get $p)) (f64.load offset=8 (local.get $q)))
               (local.get $acc)))
    (local.get $x))
)
;; 1e16 * 1 + (-1e16 * 1 + 1): -1e16 + 1 rounds to -1e16, so 0
(assert_return (invoke "d64" (i32.const 0) (i32.const 16) (i32.const 8) (i32.const 16) (f64.const 1)) (f64.const 0))
(assert_return (invoke "d64" (i32.const 16) (i32.const 24) (i32.const 32) (i32.const 56) (f64.const 0.25)) (f64.const 3.75))
(assert_return (invoke "d64" (i32.const 40) (i32.const 16) (i32.const 16) (i32.const 16) (f64.const -1)) (f64.const inf))
(assert_return (invoke "d64" (i32.const 40) (i32.const 16) (i32.const 40) (i32.const 48) (f64.const 1)) (f64.const nan:arithmetic))
(assert_return (invoke "d64" (i32.const 48) (i32.const 16) (i32.const 48) (i32.const 16) (f64.const -0)) (f64.const -0))
(assert_return (invoke "d64" (i32.const 48) (i32.const 16) (i32.const 48) (i32.const 16) (f64.const 0)) (f64.const 0))
(assert_return (invoke "d64" (i32.const 16) (i32.const 16) (i32.const 16) (i32.const 16) (f64.const nan)) (f64.const nan:canonical))
(assert_return (invoke "d32" (i32.const 64) (i32.const 72) (i32.const 4) (i32.const 8) (f32.const 1)) (f32.const 0))
(assert_return (invoke "d32" (i32.const 72) (i32.const 76) (i32.const 16) (i32.const 28) (f32.const 0.25)) (f32.const 3.75))
(assert_return (invoke "d32" (i32.const 84) (i32.const 72) (i32.const 20) (i32.const 24) (f32.const 1)) (f32.const nan:arithmetic))
(assert_return (invoke "d32" (i32.const 88) (i32.const 72) (i32.const 24) (i32.const 8) (f32.const -0)) (f32.const -0))
;; rows of 1e16, -1e16, 1, 2 / 0.5, inf, -0, 3 times 1, 2, 0.5, inf ...
(assert_return (invoke "dot4" (i32.const 16) (i32.const 16) (i32.const 1)) (f64.const inf))
(assert_return (invoke "dot4" (i32.const 0) (i32.const 16) (i32.const 1)) (f64.const inf))
(assert_return (invoke "dot4" (i32.const 0) (i32.const 0) (i32.const 1)) (f64.const 200000000000000010732324408786944))
(assert_return (invoke "kept" (i32.const 16) (i32.const 24) (f64.const 1)) (f64.const 4) (f64.const 2))
(assert_return (invoke "kept" (i32.const 0) (i32.const 16) (f64.const 1)) (f64.const -1e16) (f64.const 1e16))
(assert_return (invoke "dot4f" (i32.const 0) (i32.const 4) (f32.const 0.25)) (f32.const -10000000272564224))
(assert_return (invoke "dot4f" (i32.const 4) (i32.const 4) (f32.const 0.25)) (f32.const 10000000272564224))
(assert_return (invoke "dot4f" (i32.const 0) (i32.const 0) (f32.const 0.25)) (f32.const 2e16))
(assert_return (invoke "keptsum" (i32.const 0) (i32.const 8))
  (f64.const -100000000000000023380560713875456) (f64.const -100000000000000023380560713875456))
(assert_return (invoke "keptsum" (i32.const 8) (i32.const 8))
  (f64.const 100000000000000005366162204393472) (f64.const 100000000000000005366162204393472))
;; each of the four loads out of bounds
(assert_trap (invoke "d64" (i32.const 65530) (i32.const 0) (i32.const 0) (i32.const 0) (f64.const 0)) "out of bounds memory access")
(assert_trap (invoke "d64" (i32.const 0) (i32.const 65530) (i32.const 0) (i32.const 0) (f64.const 0)) "out of bounds memory access")
(assert_trap (invoke "d64" (i32.const 0) (i32.const 0) (i32.const 65530) (i32.const 0) (f64.const 0)) "out of bounds memory access")
(assert_trap (invoke "d64" (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 65530) (f64.const 0)) "out of bounds memory access")
(assert_trap (invoke "d32" (i32.const 0) (i32.const 0) (i32.const 65470) (i32.const 0) (f32.const 0)) "out of bounds memory access")
(assert_trap (invoke "dot4" (i32.const 65520) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "dot4f" (i32.const 65500) (i32.const 0) (f32.const 0)) "out of bounds memory access")
