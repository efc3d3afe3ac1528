;; What a position-independent module (wasm-ld -pie) imports from "env":
;; its function table and where its data and table entries start.
(module
  (table (export "__indirect_function_table") 0 funcref)
  (global (export "__memory_base") i32 (i32.const 1024))
  (global (export "__table_base") i32 (i32.const 0)))
