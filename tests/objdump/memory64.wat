;; 64-bit and 32-bit memories side by side (an imported one first), data
;; segments of each, and memory indices in memargs and bulk instructions.
;; wat2wasm --enable-memory64 --enable-multi-memory memory64.wat
(module
  (import "env" "m0" (memory $m0 i64 1 2))
  (memory $m1 i64 3)
  (memory $m2 1 10)
  (memory $m3 i64 0 65536)
  (table $t0 4 funcref)
  (table $t1 2 10 externref)
  (data (memory $m1) (i64.const 16) "hello")
  (data (memory 2) (i32.const 0) "ab")
  (data "passive")
  (func $f (param i64) (result i32)
    local.get 0
    i32.load $m1 offset=4
    local.get 0
    i32.load8_u $m0
    i32.add
    i64.const 0
    i32.load 3
    i32.add
    i32.const 0
    i32.load $m2 offset=8 align=1
    i32.add
    local.get 0
    i32.const 5
    i32.store8 $m1 offset=2
    memory.size $m1
    drop
    i32.const 1
    memory.grow $m2
    drop
    i32.const 0 i32.const 0 i32.const 0
    memory.copy $m2 $m2
    i32.const 0 i32.const 0 i32.const 0
    memory.fill $m2
    i32.const 0 i32.const 0 i32.const 0
    memory.init 2 0
    i64.const 0
    i64.load $m3 offset=0xfffffff0
    drop
    i64.const 0
    v128.load $m1 offset=3
    drop)
  (export "m1" (memory $m1)))
