;; A WASI command with two memories: memory 0 (exported, as WASI wants)
;; holds the iovec and the output; memory 1 holds the text, which is copied
;; across with memory.copy, upper-cased in place in memory 1 first, then
;; written with fd_write.  Exits with the sum of the bytes copied, mod 256.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory $out (export "memory") 1)
  (memory $text 1)
  (data (memory $text) (i32.const 100) "two memories, one copy\n")
  (func $upper (param $p i32) (param $n i32)
    (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $c (i32.load8_u $text (local.get $p)))
        (if (i32.and (i32.ge_u (local.get $c) (i32.const 97))
                     (i32.le_u (local.get $c) (i32.const 122)))
          (then (i32.store8 $text (local.get $p) (i32.sub (local.get $c) (i32.const 32)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next))))
  (func $sum (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.load8_u $out (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $s))
  (func (export "_start")
    (call $upper (i32.const 100) (i32.const 3))
    (memory.copy $out $text (i32.const 64) (i32.const 100) (i32.const 23))
    (i32.store $out (i32.const 0) (i32.const 64))
    (i32.store $out (i32.const 4) (i32.const 23))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
    (call $exit (i32.and (call $sum (i32.const 64) (i32.const 23)) (i32.const 255)))))
