#!/usr/bin/env python3
"""Writes step-inc.wast: steps right before a loop counter's step and
its compare with a constant (a pointer or a second counter stepped with
the loop's): an add of a constant, of a slot (the counter's value before
its step), two adds of constants, a step that a branch may skip (a label
between it and the counter's step: no fusion), for every i32 compare,
from starts that take the loop zero, one or many times round and cross
the sign; then a step that writes the counter itself, and fib the way
clang compiles it (the call's result added before the counter's step)."""
import sys

M = 0xFFFFFFFF


def s32(x):
    x &= M
    return x - (1 << 32) if x >> 31 else x


CMP = {
    "eq": (lambda a, b: a == b, False), "ne": (lambda a, b: a != b, False),
    "lt_s": (lambda a, b: a < b, True), "lt_u": (lambda a, b: a < b, False),
    "gt_s": (lambda a, b: a > b, True), "gt_u": (lambda a, b: a > b, False),
    "le_s": (lambda a, b: a <= b, True), "le_u": (lambda a, b: a <= b, False),
    "ge_s": (lambda a, b: a >= b, True), "ge_u": (lambda a, b: a >= b, False),
}
# counter step, limit, starts (each ends the loop within a few hundred turns)
LOOPS = {
    "eq": (1, 5, (4, 10, 5)), "ne": (1, 10, (0, 9, -3)),
    "lt_s": (1, 3, (-5, 2, 100)), "lt_u": (1, 3, (0, -5, 2)),
    "gt_s": (-1, -2, (5, -2, -100)), "gt_u": (-2, 1, (10, 11, 3)),
    "le_s": (1, 4, (-3, 4, 10)), "le_u": (1, 4, (0, 4, 100)),
    "ge_s": (-1, -3, (5, -3, -10)), "ge_u": (-1, 2, (9, 2, 3)),
}
STEPS = {
    "k": "(local.set $p (i32.add (local.get $p) (i32.const 3)))",
    "r": "(local.set $p (i32.add (local.get $p) (local.get $i)))",
    "2": "(local.set $p (i32.add (local.get $p) (i32.const 3))) "
         "(local.set $q (i32.add (local.get $q) (i32.const 5)))",
    "skip": "(block $b (br_if $b (i32.and (local.get $i) (i32.const 1))) "
            "(local.set $p (i32.add (local.get $p) (i32.const 3))))",
}


def model(cmp, step, start):
    f, signed = CMP[cmp]
    k, lim, _ = LOOPS[cmp]
    i, p, q = start & M, 0, 0
    while True:
        if step == "k":
            p = (p + 3) & M
        elif step == "r":
            p = (p + i) & M
        elif step == "2":
            p, q = (p + 3) & M, (q + 5) & M
        elif step == "skip" and not i & 1:
            p = (p + 3) & M
        i = (i + k) & M
        a, b = (s32(i), lim) if signed else (i, lim & M)
        if not f(a, b):
            return s32(p * 65536 + q * 256 + i)


out = ["(module"]
tests = []
for cmp, (k, lim, starts) in LOOPS.items():
    for sname, body in STEPS.items():
        name = f"{cmp}-{sname}"
        out.append(f'  (func (export "{name}") (param $i i32) (result i32) (local $p i32) (local $q i32)')
        out.append(f"    (loop $l {body}")
        out.append(f"      (br_if $l (i32.{cmp} (local.tee $i (i32.add (local.get $i) (i32.const {k})))"
                   f" (i32.const {lim}))))")
        out.append("    (i32.add (i32.add (i32.mul (local.get $p) (i32.const 65536))"
                   " (i32.mul (local.get $q) (i32.const 256))) (local.get $i)))")
        for s in starts:
            tests.append(f'(assert_return (invoke "{name}" (i32.const {s})) '
                         f'(i32.const {model(cmp, sname, s)}))')
# The step writes the counter the counter's step then reads.
out.append('  (func (export "self") (param $i i32) (result i32)')
out.append("    (loop $l (local.set $i (i32.add (local.get $i) (i32.const 2)))")
out.append("      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))"
           " (i32.const 30))))")
out.append("    (local.get $i))")
for s in (0, 1, 29, 40):
    i = s
    while True:
        i += 3
        if not i < 30:
            break
    tests.append(f'(assert_return (invoke "self" (i32.const {s})) (i32.const {i}))')
# fib as clang compiles it: fib(n - 1) added to an accumulator, n -= 2.
out.append('  (func $fib (export "fib") (param i32) (result i32) (local i32)')
out.append("    (if (i32.ge_u (local.get 0) (i32.const 2))")
out.append("      (then (loop $l")
out.append("        (local.set 1 (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))"
           " (local.get 1)))")
out.append("        (br_if $l (i32.gt_u (local.tee 0 (i32.sub (local.get 0) (i32.const 2)))"
           " (i32.const 1))))))")
out.append("    (i32.add (local.get 0) (local.get 1)))")
fib = [0, 1]
while len(fib) < 25:
    fib.append(fib[-1] + fib[-2])
for n in (0, 1, 2, 3, 10, 24):
    tests.append(f'(assert_return (invoke "fib" (i32.const {n})) (i32.const {fib[n]}))')
out.append(")")
sys.stdout.write("\n".join(out + tests) + "\n")
