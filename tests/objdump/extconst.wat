;; Extended constants, compared with wabt by tests/tools/objdump.sh.
(module
  (import "env" "g" (global $g i32))
  (memory 1)
  (table 4 funcref)
  (global $a i32 (i32.add (global.get $g) (i32.const 42)))
  (global $b i64 (i64.mul (i64.sub (i64.const 10) (i64.const 3)) (i64.const 5)))
  (data (i32.add (global.get $g) (i32.const 16)) "hi")
  (elem (i32.sub (i32.const 3) (i32.const 1)) $f)
  (func $f)
)
