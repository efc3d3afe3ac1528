(module
  (func (export "pick") (param i32 i32) (result i32)
    (@metadata.code.branch_hint "\01")
    (if (result i32) (local.get 0)
      (then (i32.const 7) (@metadata.code.branch_hint "\00") (br_if 0 (local.get 1)) (drop) (i32.const 8))
      (else (i32.const 9)))))
