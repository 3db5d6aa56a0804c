# Formatting ints in bases and widths: zero padding, sign, prefixes, grouping in binary/hex.
for n in [0, 5, -5, 255, -255, 4096, 2 ** 31 - 1]:
    print(f"{n:>12d}|{n:#012x}|{n:+b}|{n:_o}|{n:>+8}|{n:<6}|{n:^9,}|")
print("{:08b}".format(200), "{:#06b}".format(5), "{:x}".format(3735928559), "{:_X}".format(3735928559))
print(int("1010", 2) + int("ff", 16) + int("17", 8), int("-0x1F", 16), int("0o17", 8), int("0B11", 0))
print([f"{i:02x}" for i in range(0, 256, 51)], "".join(f"{b:08b}" for b in [1, 128]))
print(str(-0), str(+7), repr(-12), "%d|%5d|%-5d|%05d" % (-3, -3, -3, -3))
def to_roman(n):
    table = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
             (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in table:
        while n >= v:
            out += s
            n -= v
    return out
print([to_roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999)])
