# hex/oct/bin of positive and negative ints, and round trips through int().
for n in [0, 1, 7, 8, 15, 16, 255, 256, 4096, -1, -255, 2 ** 62]:
    h, o, b = hex(n), oct(n), bin(n)
    print(n, h, o, b, int(h, 16) == n, int(o, 8) == n, int(b, 2) == n)
print(hex(True), bin(False))
print(format(255, "x"), format(255, "X"), format(255, "#x"), format(255, "o"), format(5, "b"))
print(format(255, "08b"), format(-5, "b"), format(-255, "#x"))
print(str(123), repr(-45), str(0))
print(len(str(2 ** 62)), str(2 ** 62))
try:
    hex(1.5)
except TypeError as e:
    print("TypeError", e)
