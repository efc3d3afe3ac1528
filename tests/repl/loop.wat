;; For the terminal test: completion, history and Ctrl-C.
(module
  (func (export "spin_forever") (loop $l (br $l)))
  (func (export "answer") (result i32) (i32.const 42))
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))
