;; Exports for other modules to import once registered.
(module
  (func (export "double") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2)))
  (memory (export "mem") 1)
  (data (i32.const 0) "lib")
  (global (export "base") i32 (i32.const 100)))
