;; wasm-spec --enable-threads --enable-multi-memory --enable-memory64
;; Threads on one thread: atomics on other memories and on 64-bit ones,
;; bounds before and after growth, waits that time out or see another
;; value, notify with nobody waiting, and the traps.

(module
  (memory $m0 1 1 shared)
  (memory $m1 1 2 shared)
  (memory $w i64 1 2 shared)
  (memory $plain 1)
  (func (export "add1") (param i32 i32) (result i32)
    (i32.atomic.rmw.add $m1 (local.get 0) (local.get 1)))
  (func (export "load1") (param i32) (result i32) (i32.atomic.load $m1 (local.get 0)))
  (func (export "load0") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "grow1") (result i32) (memory.grow $m1 (i32.const 1)))
  (func (export "xchg64") (param i64 i64) (result i64)
    (i64.atomic.rmw.xchg $w (local.get 0) (local.get 1)))
  (func (export "cmpxchg8") (param i64 i32 i32) (result i32)
    (i32.atomic.rmw8.cmpxchg_u $w offset=1 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load64") (param i64) (result i64) (i64.atomic.load $w (local.get 0)))
  (func (export "wait32") (param i32 i32 i64) (result i32)
    (memory.atomic.wait32 $m1 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "wait64w") (param i64 i64 i64) (result i32)
    (memory.atomic.wait64 $w (local.get 0) (local.get 1) (local.get 2)))
  (func (export "notify") (param i32 i32) (result i32)
    (memory.atomic.notify $m1 (local.get 0) (local.get 1)))
  (func (export "wait_plain") (result i32)
    (memory.atomic.wait32 $plain (i32.const 0) (i32.const 0) (i64.const 0)))
  (func (export "notify_plain") (result i32)
    (memory.atomic.notify $plain (i32.const 0) (i32.const 5)))
  (func (export "sub_plain") (param i32) (result i32)
    (i32.atomic.rmw.sub $plain (i32.const 8) (local.get 0)))
  (func (export "fence") (atomic.fence))
)

(assert_return (invoke "add1" (i32.const 65532) (i32.const 7)) (i32.const 0))
(assert_return (invoke "add1" (i32.const 65532) (i32.const 7)) (i32.const 7))
(assert_return (invoke "load1" (i32.const 65532)) (i32.const 14))
(assert_return (invoke "load0" (i32.const 65532)) (i32.const 0))
(assert_trap (invoke "load1" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "load1" (i32.const 65533)) "unaligned atomic")
(assert_return (invoke "grow1") (i32.const 1))
(assert_return (invoke "load1" (i32.const 65536)) (i32.const 0))
(assert_return (invoke "add1" (i32.const 131068) (i32.const -1)) (i32.const 0))
(assert_return (invoke "load1" (i32.const 131068)) (i32.const -1))
(assert_trap (invoke "load1" (i32.const 131072)) "out of bounds memory access")
(assert_return (invoke "grow1") (i32.const -1))

(assert_return (invoke "xchg64" (i64.const 65528) (i64.const 0x1122334455667788)) (i64.const 0))
(assert_return (invoke "xchg64" (i64.const 65528) (i64.const 1)) (i64.const 0x1122334455667788))
(assert_trap (invoke "xchg64" (i64.const 65536) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "xchg64" (i64.const -8) (i64.const 1)) "out of bounds memory access")
(assert_trap (invoke "xchg64" (i64.const 4) (i64.const 1)) "unaligned atomic")
;; The expected value of a narrow compare-exchange is wrapped.
(assert_return (invoke "cmpxchg8" (i64.const 65529) (i32.const 0x100) (i32.const 0x1ab)) (i32.const 0))
(assert_return (invoke "load64" (i64.const 65528)) (i64.const 0xab0001))

(assert_return (invoke "wait32" (i32.const 0) (i32.const 1) (i64.const 0)) (i32.const 1))
(assert_return (invoke "wait32" (i32.const 0) (i32.const 0) (i64.const 0)) (i32.const 2))
(assert_return (invoke "wait32" (i32.const 0) (i32.const 0) (i64.const 1000000)) (i32.const 2))
(assert_return (invoke "wait64w" (i64.const 8) (i64.const 0) (i64.const 1000)) (i32.const 2))
(assert_trap (invoke "wait32" (i32.const 2) (i32.const 0) (i64.const 0)) "unaligned atomic")
(assert_trap (invoke "wait32" (i32.const 131072) (i32.const 0) (i64.const 0)) "out of bounds memory access")
(assert_return (invoke "notify" (i32.const 0) (i32.const 10)) (i32.const 0))
(assert_trap (invoke "notify" (i32.const 1) (i32.const 10)) "unaligned atomic")
(assert_trap (invoke "wait_plain") "expected shared memory")
(assert_return (invoke "notify_plain") (i32.const 0))
(assert_return (invoke "sub_plain" (i32.const 3)) (i32.const 0))
(assert_return (invoke "sub_plain" (i32.const 3)) (i32.const -3))
(assert_return (invoke "fence"))

;; A wait with no timeout that nobody notifies: the runner's timeout
;; interrupts it, so the check fails instead of hanging.
(module
  (memory 1 1 shared)
  (func (export "forever") (result i32)
    (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
(assert_return (invoke "forever") (i32.const 0)) ;; FAIL

(assert_invalid (module (memory 1 1 shared)
  (func (drop (i32.atomic.load align=2 (i32.const 0)))))
  "atomic alignment must be natural")
(assert_invalid (module (memory 1 shared)) "shared memory must have maximum")
(assert_malformed (module binary
  "\00asm" "\01\00\00\00"
  "\04\05\01\70\03\01\01")
  "malformed limits flags")
(module binary
  "\00asm" "\01\00\00\00"
  "\05\04\01\03\01\01")
(assert_invalid (module binary
  "\00asm" "\01\00\00\00"
  "\05\03\01\02\01")
  "shared memory must have maximum")
(assert_malformed (module binary
  "\00asm" "\01\00\00\00"
  "\01\04\01\60\00\00" "\03\02\01\00" "\05\04\01\03\01\01"
  "\0a\07\01\05\00\fe\03\01\0b")
  "zero byte expected")
(assert_unlinkable
  (module (import "spectest" "shared_memory" (memory 1 2)))
  "incompatible import type")
