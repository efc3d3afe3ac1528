;; Linked-list churn: a list of 10,000 cells where each step drops the
;; head and appends a new cell at the tail, n steps; the list's sum at the
;; end.
(module
  (type $cell (struct (field i32) (field (mut (ref null $cell)))))
  (func (export "run") (param $n i32) (result i32)
    (local $head (ref null $cell)) (local $tail (ref null $cell)) (local $c (ref null $cell))
    (local $i i32) (local $sum i32)
    (local.set $head (struct.new $cell (i32.const 0) (ref.null $cell)))
    (local.set $tail (local.get $head))
    (loop $fill
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $c (struct.new $cell (local.get $i) (ref.null $cell)))
      (struct.set $cell 1 (local.get $tail) (local.get $c))
      (local.set $tail (local.get $c))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 10000))))
    (local.set $i (i32.const 0))
    (loop $churn
      (local.set $head (struct.get $cell 1 (local.get $head)))
      (local.set $c (struct.new $cell (local.get $i) (ref.null $cell)))
      (struct.set $cell 1 (local.get $tail) (local.get $c))
      (local.set $tail (local.get $c))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $churn (i32.lt_u (local.get $i) (local.get $n))))
    (local.set $c (local.get $head))
    (block $done
      (loop $walk
        (br_if $done (ref.is_null (local.get $c)))
        (local.set $sum (i32.add (local.get $sum) (struct.get $cell 0 (local.get $c))))
        (local.set $c (struct.get $cell 1 (local.get $c)))
        (br $walk)))
    (local.get $sum)))
