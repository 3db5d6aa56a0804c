# Bit manipulation idioms: popcount, lowest set bit, power-of-two checks, bit reversal, masks.
def popcount(n):
    c = 0
    while n:
        n &= n - 1
        c += 1
    return c
def reverse_bits(n, width):
    r = 0
    for _ in range(width):
        r = (r << 1) | (n & 1)
        n >>= 1
    return r
for n in [0, 1, 6, 255, 1024, 2 ** 40 + 5, 2 ** 62]:
    print(n, popcount(n), bin(n).count("1"), n & -n, n > 0 and n & (n - 1) == 0, len(bin(n)) - 2)
print([reverse_bits(v, 8) for v in (1, 2, 0b10110000, 255)])
perms = {"read": 4, "write": 2, "exec": 1}
mode = 0
for p in ["read", "exec"]:
    mode |= perms[p]
print(mode, [p for p, b in perms.items() if mode & b], oct(0o755 & ~0o022))
x = 0b1011
print(x << 3, x >> 1, x ^ 0b1111, ~x & 0xF, (x >> 2) & 1, x | (1 << 6))
print(-1 & 0xFF, -256 >> 4, (-1) << 10, -(1 << 62) >> 61)
