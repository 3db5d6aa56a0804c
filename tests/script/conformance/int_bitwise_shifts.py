# Bitwise and/or/xor/invert and shifts, including negative operands.
a, b = 0b1100, 0b1010
print(a & b, a | b, a ^ b, ~a, ~0, ~-1)
print(-12 & 10, -12 | 10, -12 ^ 10)
print(1 << 0, 1 << 10, 1 << 62, 3 << 4)
print(1024 >> 3, -1024 >> 3, -1 >> 5, 7 >> 10, -7 >> 1)
mask = 0xFF
for v in [0, 1, 255, 256, 1000, -1]:
    print(v, v & mask, (v >> 4) & 0xF)
flags = 0
for bit in [0, 3, 5]:
    flags |= 1 << bit
print(flags, bin(flags))
flags &= ~(1 << 3)
print(flags, bin(flags))
flags ^= 0b11
print(flags, bin(flags))
print(bin(12345).count("1"))
print(True & False, True | False, True ^ True, type(True & True).__name__)
