;; Exceptions for the REPL: one thrown through two calls and not caught,
;; one caught inside, and one that only a catch_all takes.
(module
  (tag $oops (param i32 f64))
  (tag $quiet)
  (func $inner (param i32) (throw $oops (local.get 0) (f64.const 1.5)))
  (func (export "boom") (param i32) (call $inner (local.get 0)))
  (func (export "safe") (param i32) (result i32)
    (block $h (result i32 f64)
      (try_table (catch $oops $h) (call $inner (local.get 0)))
      (return (i32.const -1)))
    (drop))
  (func (export "any") (result i32)
    (block $h
      (try_table (catch_all $h) (throw $quiet))
      (return (i32.const 0)))
    (i32.const 1)))
