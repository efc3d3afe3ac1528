;; wasm-spec --enable-relaxed-simd
;; Relaxed SIMD runs as the deterministic profile prescribes: where several
;; results are allowed, the first one, the same on every machine.  And
;; (either ...) results: one alternative must match.

(module
  (func (export "madd") (param f32 f32 f32) (result f32)
    (f32x4.extract_lane 0
      (f32x4.relaxed_madd (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1))
                          (f32x4.splat (local.get 2)))))
  (func (export "nmadd") (param f64 f64 f64) (result f64)
    (f64x2.extract_lane 1
      (f64x2.relaxed_nmadd (f64x2.splat (local.get 0)) (f64x2.splat (local.get 1))
                           (f64x2.splat (local.get 2)))))
  (func (export "swizzle") (param v128 v128) (result v128)
    (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
  (func (export "trunc_s") (param f32) (result i32)
    (i32x4.extract_lane 0 (i32x4.relaxed_trunc_f32x4_s (f32x4.splat (local.get 0)))))
  (func (export "trunc_u") (param f64) (result i32)
    (i32x4.extract_lane 0 (i32x4.relaxed_trunc_f64x2_u_zero (f64x2.splat (local.get 0)))))
  (func (export "laneselect") (param v128 v128 v128) (result v128)
    (i32x4.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
  (func (export "min") (param f32 f32) (result f32)
    (f32x4.extract_lane 0 (f32x4.relaxed_min (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1)))))
  (func (export "q15") (param i32 i32) (result i32)
    (i16x8.extract_lane_s 0 (i16x8.relaxed_q15mulr_s (i16x8.splat (local.get 0)) (i16x8.splat (local.get 1)))))
  (func (export "dot") (param v128 v128) (result v128)
    (i16x8.relaxed_dot_i8x16_i7x16_s (local.get 0) (local.get 1)))
  (func (export "dot_add") (param v128 v128 v128) (result v128)
    (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2)))
)

;; (1 + 2^-12)^2 - (1 + 2^-11) is 2^-24 fused and 0 when the product is rounded first
(assert_return (invoke "madd" (f32.const 0x1.001p+0) (f32.const 0x1.001p+0) (f32.const -0x1.002p+0))
               (f32.const 0))
;; nmadd is madd of the negated first operand: -(1 + 2^-30)^2 + (1 + 2^-29)
(assert_return (invoke "nmadd" (f64.const 0x1.00000004p+0) (f64.const 0x1.00000004p+0) (f64.const 0x1.00000008p+0))
               (f64.const 0))
;; indices of 16 and above, signed or not, give 0
(assert_return (invoke "swizzle" (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
                                 (v128.const i8x16 0 15 16 17 31 32 127 128 255 1 2 3 4 5 6 7))
               (v128.const i8x16 1 16 0 0 0 0 0 0 0 2 3 4 5 6 7 8))
;; out of range and NaN truncate with saturation
(assert_return (invoke "trunc_s" (f32.const 3e9)) (i32.const 2147483647))
(assert_return (invoke "trunc_s" (f32.const -3e9)) (i32.const -2147483648))
(assert_return (invoke "trunc_s" (f32.const nan)) (i32.const 0))
(assert_return (invoke "trunc_s" (f32.const -7.9)) (i32.const -7))
(assert_return (invoke "trunc_u" (f64.const -1)) (i32.const 0))
(assert_return (invoke "trunc_u" (f64.const 5e9)) (i32.const -1))
;; laneselect is a bitselect: every bit of the mask counts, not only the top one
(assert_return (invoke "laneselect" (v128.const i32x4 -1 -1 -1 -1) (v128.const i32x4 0 0 0 0)
                                    (v128.const i32x4 0x0000ffff 0x80000000 0x7fffffff 0))
               (v128.const i32x4 0x0000ffff 0x80000000 0x7fffffff 0))
;; min as f32x4.min: NaN wins, -0 is below +0
(assert_return (invoke "min" (f32.const nan) (f32.const 1)) (f32.const nan:canonical))
(assert_return (invoke "min" (f32.const 0) (f32.const -0)) (f32.const -0))
;; q15mulr saturates the one overflow
(assert_return (invoke "q15" (i32.const -32768) (i32.const -32768)) (i32.const 32767))
;; the second operand is signed too; the pair sum saturates
(assert_return (invoke "dot" (v128.const i8x16 -128 -128 2 3 0 0 0 0 0 0 0 0 0 0 0 0)
                             (v128.const i8x16 -128 -128 -1 5 0 0 0 0 0 0 0 0 0 0 0 0))
               (v128.const i16x8 32767 13 0 0 0 0 0 0))
(assert_return (invoke "dot_add" (v128.const i8x16 -128 -128 1 1 1 2 3 4 0 0 0 0 0 0 0 0)
                                 (v128.const i8x16 -128 -128 1 1 -1 -1 -1 -1 0 0 0 0 0 0 0 0)
                                 (v128.const i32x4 1 100 -5 0))
               (v128.const i32x4 32770 90 -5 0))

;; either: any alternative matches
(assert_return (invoke "madd" (f32.const 1) (f32.const 2) (f32.const 3))
               (either (f32.const 4) (f32.const 5) (f32.const 6)))
(assert_return (invoke "madd" (f32.const 1) (f32.const 2) (f32.const 3)) ;; FAIL
               (either (f32.const 4) (f32.const 6)))
