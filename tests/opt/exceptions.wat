;; Legacy exception handling, as LLVM 19 and earlier emit it and as
;; libbinaryen 108 reads it: run(n) throws n through a call, catches it,
;; rethrows it once from a catch arm and catches it again: 3n + 1.
(module
  (tag $e (param i32))
  (func $throw (param i32) (throw $e (local.get 0)))
  (func (export "run") (param i32) (result i32)
    (local $r i32)
    (try
      (do
        (try
          (do (call $throw (local.get 0)))
          (catch $e
            (local.set $r (i32.mul (i32.const 2)))
            (rethrow 0))))
      (catch $e
        (local.set $r (i32.add (local.get $r)))))
    (i32.add (local.get $r) (i32.const 1))))
