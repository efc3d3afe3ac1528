;; Its start function traps.
(module
  (func $init unreachable)
  (start $init))
