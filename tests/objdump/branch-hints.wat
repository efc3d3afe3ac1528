(module
  (type (;0;) (func (param i32)))
  (memory (;0;) 1 1)
  (func $dummy)
  (func $test1 (type 0)
    (local i32)
    local.get 1
    local.get 0
    i32.eq
    (@metadata.code.branch_hint "\00" ) if
      return
    end
    return
  )
  (func $test2 (type 0)
    (local i32)
    local.get 1
    local.get 0
    i32.eq
    (@metadata.code.branch_hint "\01" ) br_if 0
  )
)
