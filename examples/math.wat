(module
  ;; Greatest common divisor, by Euclid's algorithm.
  (func $gcd (export "gcd") (param $a i64) (param $b i64) (result i64)
    (block $done
      (loop $step
        (br_if $done (i64.eqz (local.get $b)))
        (local.get $b)
        (local.set $b (i64.rem_u (local.get $a) (local.get $b)))
        (local.set $a)
        (br $step)))
    (local.get $a))
  ;; The hypotenuse of a right triangle.
  (func (export "hypot") (param $x f64) (param $y f64) (result f64)
    (f64.sqrt (f64.add (f64.mul (local.get $x) (local.get $x))
                       (f64.mul (local.get $y) (local.get $y))))))
