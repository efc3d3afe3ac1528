"""WebAssembly's i32 compares on Python integers, for the generators
of the .wast files here that compare (add-br.py, br-load-ord.py)."""

M = 0xFFFFFFFF


def s32(v):
    v &= M
    return v - (1 << 32) if v & 0x80000000 else v


CMPS = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
        "lt_s": lambda a, b: s32(a) < s32(b), "lt_u": lambda a, b: a < b,
        "gt_s": lambda a, b: s32(a) > s32(b), "gt_u": lambda a, b: a > b,
        "le_s": lambda a, b: s32(a) <= s32(b), "le_u": lambda a, b: a <= b,
        "ge_s": lambda a, b: s32(a) >= s32(b), "ge_u": lambda a, b: a >= b}
