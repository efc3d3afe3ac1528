;; wasm-spec --enable-exceptions
;; Exceptions in scripts: assert_exception, tags registered and imported,
;; an exception thrown in one module and caught in another, the legacy
;; instructions, and the checks that must fail (marked FAIL).
(module $thrower
  (tag $e (export "e") (param i32))
  (func (export "throw") (param i32) (throw $e (local.get 0)))
  (func (export "ok") (result i32) (i32.const 1)))
(register "thrower" $thrower)

(module $catcher
  (import "thrower" "e" (tag $e (param i32)))
  (import "thrower" "throw" (func $throw (param i32)))
  (tag $mine (param i32))
  (func (export "catch") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $throw (local.get 0)))
      (i32.const -1)))
  (func (export "own-tag-passes") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $mine $h) (call $throw (local.get 0)))
      (i32.const -1)))
  (func (export "legacy") (param i32) (result i32)
    (try (result i32)
      (do (call $throw (local.get 0)) (i32.const 0))
      (catch $mine)
      (catch $e (i32.add (i32.const 100)))))
  (func (export "rethrow") (param i32) (result i32)
    (try (result i32)
      (do (try (result i32)
            (do (call $throw (local.get 0)) (i32.const 0))
            (catch_all (rethrow 0))))
      (catch $e))))

(assert_return (invoke $catcher "catch" (i32.const 3)) (i32.const 3))
(assert_exception (invoke $catcher "own-tag-passes" (i32.const 3)))
(assert_return (invoke $catcher "legacy" (i32.const 5)) (i32.const 105))
(assert_return (invoke $catcher "rethrow" (i32.const 6)) (i32.const 6))
(assert_exception (invoke $thrower "throw" (i32.const 1)))

(assert_unlinkable
  (module (import "thrower" "e" (tag (param i64))))
  "incompatible import type")
(assert_unlinkable
  (module (import "thrower" "throw" (tag (param i32))))
  "incompatible import type")
(assert_invalid (module (tag (param i32) (result i32))) "non-empty tag result type")
(assert_invalid (module (func (rethrow 0))) "invalid rethrow label")
(assert_malformed (module quote "(module (func (try (do) (catch_all) (catch_all))))")
  "unexpected token")

(assert_exception (invoke $thrower "ok")) ;; FAIL
(assert_return (invoke $thrower "throw" (i32.const 1))) ;; FAIL
(assert_trap (invoke $thrower "throw" (i32.const 1)) "unreachable") ;; FAIL
