;; Extended constants for tests/tools/wasm-opt.sh: run gives 42 + 32 + 999 = 1073.
(module
  (memory 1)
  (global $base i32 (i32.const 1024))
  (global $end i32 (i32.add (i32.const 1024) (i32.mul (i32.const 4) (i32.const 8))))
  (global $big i64 (i64.sub (i64.mul (i64.const 1000000) (i64.const 1000000)) (i64.const 1)))
  (data (i32.add (i32.const 1024) (i32.const 4)) "\2a\00\00\00")
  (func (export "run") (param i32) (result i32)
    (i32.add (i32.load (i32.const 1028))
      (i32.add (i32.sub (global.get $end) (i32.const 1024))
        (i32.wrap_i64 (i64.rem_u (global.get $big) (i64.const 1000)))))))
