# Integer literal forms: decimal, hex, octal, binary, underscores.
a = 1_000_000
b = 0xDEAD_BEEF
c = 0o17
d = 0b1111_0000
e = 0
print(a, b, c, d, e)
print(0x10 + 0o10 + 0b10 + 10)
print(00, 0_0)
print(-0, +5, - -5, -(-5))
print(1_2_3 * 2)
big = 9_223_372_036_854_775_807
print(big, big - 1, big == (2 ** 62 - 1) * 2 + 1)
print(int.__name__, type(a) is int)
print(isinstance(a, (int, float)), isinstance("1", (int, float)))
