;; Every threads instruction, compared with wabt by tests/tools/objdump.sh.
(module
  (import "env" "mem" (memory 1 2 shared))
  (memory $own 1 1 shared)
  (func $all (param i32 i32 i64)
    local.get 0 local.get 1 memory.atomic.notify
    drop
    local.get 0 local.get 1 local.get 2 memory.atomic.wait32 offset=8
    drop
    local.get 0 local.get 2 local.get 2 memory.atomic.wait64 align=8
    drop
    atomic.fence
    local.get 0 i32.atomic.load
    drop
    local.get 0 i64.atomic.load offset=32
    drop
    local.get 0 i32.atomic.load8_u
    drop
    local.get 0 i32.atomic.load16_u
    drop
    local.get 0 i64.atomic.load8_u offset=56 align=1
    drop
    local.get 0 i64.atomic.load16_u
    drop
    local.get 0 i64.atomic.load32_u
    drop
    local.get 0 local.get 1 i32.atomic.store offset=80
    local.get 0 local.get 2 i64.atomic.store
    local.get 0 local.get 1 i32.atomic.store8 align=1
    local.get 0 local.get 1 i32.atomic.store16 offset=104
    local.get 0 local.get 2 i64.atomic.store8
    local.get 0 local.get 2 i64.atomic.store16
    local.get 0 local.get 2 i64.atomic.store32 offset=128
    local.get 0 local.get 1 i32.atomic.rmw.add align=4
    drop
    local.get 0 local.get 2 i64.atomic.rmw.add
    drop
    local.get 0 local.get 1 i32.atomic.rmw8.add_u offset=152
    drop
    local.get 0 local.get 1 i32.atomic.rmw16.add_u
    drop
    local.get 0 local.get 2 i64.atomic.rmw8.add_u
    drop
    local.get 0 local.get 2 i64.atomic.rmw16.add_u offset=176 align=2
    drop
    local.get 0 local.get 2 i64.atomic.rmw32.add_u
    drop
    local.get 0 local.get 1 i32.atomic.rmw.sub
    drop
    local.get 0 local.get 2 i64.atomic.rmw.sub offset=200
    drop
    local.get 0 local.get 1 i32.atomic.rmw8.sub_u
    drop
    local.get 0 local.get 1 i32.atomic.rmw16.sub_u align=2
    drop
    local.get 0 local.get 2 i64.atomic.rmw8.sub_u offset=224
    drop
    local.get 0 local.get 2 i64.atomic.rmw16.sub_u
    drop
    local.get 0 local.get 2 i64.atomic.rmw32.sub_u
    drop
    local.get 0 local.get 1 i32.atomic.rmw.and offset=248
    drop
    local.get 0 local.get 2 i64.atomic.rmw.and align=8
    drop
    local.get 0 local.get 1 i32.atomic.rmw8.and_u
    drop
    local.get 0 local.get 1 i32.atomic.rmw16.and_u offset=272
    drop
    local.get 0 local.get 2 i64.atomic.rmw8.and_u
    drop
    local.get 0 local.get 2 i64.atomic.rmw16.and_u
    drop
    local.get 0 local.get 2 i64.atomic.rmw32.and_u offset=296 align=4
    drop
    local.get 0 local.get 1 i32.atomic.rmw.or
    drop
    local.get 0 local.get 2 i64.atomic.rmw.or
    drop
    local.get 0 local.get 1 i32.atomic.rmw8.or_u offset=320
    drop
    local.get 0 local.get 1 i32.atomic.rmw16.or_u
    drop
    local.get 0 local.get 2 i64.atomic.rmw8.or_u align=1
    drop
    local.get 0 local.get 2 i64.atomic.rmw16.or_u offset=344
    drop
    local.get 0 local.get 2 i64.atomic.rmw32.or_u
    drop
    local.get 0 local.get 1 i32.atomic.rmw.xor
    drop
    local.get 0 local.get 2 i64.atomic.rmw.xor offset=368
    drop
    local.get 0 local.get 1 i32.atomic.rmw8.xor_u align=1
    drop
    local.get 0 local.get 1 i32.atomic.rmw16.xor_u
    drop
    local.get 0 local.get 2 i64.atomic.rmw8.xor_u offset=392
    drop
    local.get 0 local.get 2 i64.atomic.rmw16.xor_u
    drop
    local.get 0 local.get 2 i64.atomic.rmw32.xor_u
    drop
    local.get 0 local.get 1 i32.atomic.rmw.xchg offset=416 align=4
    drop
    local.get 0 local.get 2 i64.atomic.rmw.xchg
    drop
    local.get 0 local.get 1 i32.atomic.rmw8.xchg_u
    drop
    local.get 0 local.get 1 i32.atomic.rmw16.xchg_u offset=440
    drop
    local.get 0 local.get 2 i64.atomic.rmw8.xchg_u
    drop
    local.get 0 local.get 2 i64.atomic.rmw16.xchg_u align=2
    drop
    local.get 0 local.get 2 i64.atomic.rmw32.xchg_u offset=464
    drop
    local.get 0 local.get 1 local.get 1 i32.atomic.rmw.cmpxchg
    drop
    local.get 0 local.get 2 local.get 2 i64.atomic.rmw.cmpxchg
    drop
    local.get 0 local.get 1 local.get 1 i32.atomic.rmw8.cmpxchg_u offset=488
    drop
    local.get 0 local.get 1 local.get 1 i32.atomic.rmw16.cmpxchg_u align=2
    drop
    local.get 0 local.get 2 local.get 2 i64.atomic.rmw8.cmpxchg_u
    drop
    local.get 0 local.get 2 local.get 2 i64.atomic.rmw16.cmpxchg_u offset=512
    drop
    local.get 0 local.get 2 local.get 2 i64.atomic.rmw32.cmpxchg_u
    drop
  )
  (func $other (param i32) (result i32)
    local.get 0
    i32.atomic.load8_u 1 offset=3
    drop
    local.get 0
    i32.const 1
    memory.atomic.notify offset=16))
