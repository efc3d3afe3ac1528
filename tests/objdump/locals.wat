;; Imported functions shift the function index space: wabt numbers the
;; declared locals of func[F] after the parameters of type[F], we after the
;; function's own parameters.
(module
  (type $log (func (param i32)))
  (type $pair (func (param i32 i64) (result i64)))
  (import "env" "log" (func $log (type $log)))
  (import "env" "now" (func $now (result i64)))
  (func $scale (type $pair) (local $tmp i64) (local $n f32) (local f32)
    local.get 1
    local.get 0
    i64.extend_i32_u
    i64.mul
    local.tee $tmp
    call $now
    i64.add)
  (func $pick (export "pick") (param $x i32) (result i32) (local i32 i32 i32)
    block $b
      block $a
        local.get $x
        br_table $a $b $a
      end
      i32.const 1
      call $log
    end
    i32.const 7)
  (func $bad (export "bad") (param f64) (result f64) (local v128)
    local.get 0
    f64.const -0x1.8p+1
    f64.mul))
