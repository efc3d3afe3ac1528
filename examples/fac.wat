(module
  (import "env" "log" (func $log (param i32)))
  (func $fac (export "fac") (param $n i64) (result i64)
    (call $log (i32.wrap_i64 (local.get $n)))
    (if (result i64) (i64.le_u (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get $n)
                     (call $fac (i64.sub (local.get $n) (i64.const 1))))))))
