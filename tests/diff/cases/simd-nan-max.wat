;; Reduced (wasm-reduce) from run-diff --simd case 957 of seed 7.
;; Not a bug: the spec lets f32x4.max return any arithmetic NaN.  Lane 3
;; is max(0, NaN 0xfffffc34); we propagate the input NaN, binaryen's
;; interpreter gives the canonical 0x7fc00000.  Lane 6 of the i16x8 view
;; is the low half of that lane, so memory.copy gets length -972 from us
;; (trap: out of bounds) and 0 from binaryen (no trap).
(module
  (func (export "func_1_invoker")
    i32.const 15
    i32.const 1
    v128.const i32x4 0x00000001 0x00000000 0x00000000 0x00000000
    v128.const i32x4 0xff7fffff 0xc2f80000 0xffffd24b 0xfffffc34
    f32x4.max
    i16x8.extract_lane_s 6
    memory.copy)
  (memory 16 17))
