;; Atomics for tests/tools/wasm-opt.sh: run 10 adds 0..9 (45) with
;; atomic read-modify-writes, swaps in 100 with a compare-exchange that
;; expects 45, then adds a wait that sees another value (1) and a notify
;; nobody hears (0): 100 + 1 + 0 = 101.
(module
  (memory 1 1 shared)
  (func (export "run") (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (drop (i32.atomic.rmw.add (i32.const 16) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (drop (i32.atomic.rmw.cmpxchg (i32.const 16) (i32.const 45) (i32.const 100)))
    (atomic.fence)
    (i32.add
      (i32.add (i32.atomic.load (i32.const 16))
        (memory.atomic.wait32 (i32.const 16) (i32.const 7) (i64.const 0)))
      (memory.atomic.notify (i32.const 16) (i32.const 1)))))
