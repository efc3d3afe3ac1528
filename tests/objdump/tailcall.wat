;; Tail calls, compared with wabt by tests/tools/objdump.sh.
(module
  (type $t (func (param i32) (result i32)))
  (import "env" "h" (func $h (param i32) (result i32)))
  (table $tab 2 funcref)
  (table $tab2 1 funcref)
  (elem (i32.const 0) $even $odd)
  (func $even (param i32) (result i32)
    local.get 0
    i32.eqz
    if (result i32)
      i32.const 1
    else
      local.get 0
      i32.const 1
      i32.sub
      return_call $odd
    end)
  (func $odd (param i32) (result i32)
    local.get 0
    i32.eqz
    if (result i32)
      i32.const 0
    else
      local.get 0
      i32.const 1
      i32.sub
      i32.const 0
      return_call_indirect (type $t)
    end)
  (func $x (param i32) (result i32)
    local.get 0
    i32.const 0
    return_call_indirect $tab2 (type $t))
  (func $y (param i32) (result i32)
    local.get 0
    return_call $h)
)
