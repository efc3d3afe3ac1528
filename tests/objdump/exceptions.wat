;; The legacy exception instructions wabt 1.0.32 reads and prints
;; (wat2wasm --enable-exceptions): tags defined, imported and exported,
;; throw, try with catch and catch_all, delegate and rethrow.
(module
  (import "env" "fail" (tag $fail (param i32)))
  (tag $e (export "e") (param i32 i64))
  (tag $empty)
  (func $f (export "f") (param i32) (result i32)
    (try (result i32)
      (do (throw $e (local.get 0) (i64.const 1)))
      (catch $e (drop))
      (catch $fail)
      (catch_all (i32.const 3))))
  (func $g
    (try $outer
      (do (try (do (throw $empty)) (delegate $outer)))
      (catch_all (rethrow 0))))
)
