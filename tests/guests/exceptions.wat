;; A WASI command that throws and catches through every form of exception
;; handling: try_table across nested calls, catch_ref and throw_ref to
;; rethrow, the legacy try/catch/rethrow/delegate, and catch_all.  It
;; writes one line per stage and exits with the sum of the values caught.
;; Its export "uncaught" throws $bad with nothing to catch it.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "nested\0a")
  (data (i32.const 110) "rethrown\0a")
  (data (i32.const 120) "legacy\0a")
  (data (i32.const 130) "delegated\0a")
  (tag $bad (param i32))
  (tag $other (param i64 i32))
  (global $caught (mut i32) (i32.const 0))

  (func $say (param $at i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $at))
    (i32.store (i32.const 4) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; Three calls deep, then the throw.
  (func $deep (param $v i32) (throw $bad (local.get $v)))
  (func $middle (param $v i32) (call $deep (local.get $v)) (unreachable))
  (func $outer (param $v i32) (result i32)
    ;; A try_table that takes only $other: $bad passes through it.
    (block $o (result i64 i32)
      (try_table (catch $other $o) (call $middle (local.get $v)))
      (return (i32.const -1)))
    (drop) (drop) (i32.const -2))

  (func $nested (result i32)
    (block $h (result i32)
      (try_table (result i32) (catch $bad $h) (call $outer (i32.const 5))))
    (call $say (i32.const 100) (i32.const 7)))

  ;; catch_ref keeps the exception, counts it, and throw_ref sends the
  ;; same one on to the outer handler.
  (func $rethrow (result i32)
    (block $outer (result i32)
      (try_table (result i32) (catch $bad $outer)
        (block $inner (result i32 exnref)
          (try_table (catch_ref $bad $inner) (call $deep (i32.const 7)))
          (unreachable))
        (global.set $caught (i32.add (global.get $caught) (i32.const 1)))
        (throw_ref)
        (drop)))
    (call $say (i32.const 110) (i32.const 9)))

  ;; The legacy forms, as LLVM 19 writes them for -fwasm-exceptions.
  (func $legacy (result i32)
    (local $r i32)
    (try
      (do
        (try
          (do (call $deep (i32.const 11)))
          (catch $bad
            (local.set $r)
            (global.set $caught (i32.add (global.get $caught) (i32.const 1)))
            (rethrow 0))))
      (catch $bad (local.set $r (i32.add (local.get $r)))))
    (call $say (i32.const 120) (i32.const 7))
    (local.get $r))

  (func $delegated (result i32)
    (try $t (result i32)
      (do
        (try (result i32)
          (do (throw $other (i64.const 1) (i32.const 13)))
          (delegate $t)))
      (catch $other (i32.wrap_i64 (i64.add (i64.extend_i32_u))))
      (catch_all (i32.const -100)))
    (call $say (i32.const 130) (i32.const 10)))

  (func (export "_start")
    (call $exit
      (i32.add
        (i32.add (i32.add (call $nested) (call $rethrow))
                 (i32.add (call $legacy) (call $delegated)))
        (global.get $caught))))

  (func (export "uncaught") (param $v i32) (result i32)
    (call $middle (local.get $v))
    (i32.const 0))
)
