# ord/chr/hex/oct/bin together: encoding helpers and base conversions.
def to_base(n, base):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    if n == 0:
        return "0"
    neg = n < 0
    n = abs(n)
    out = []
    while n:
        n, r = divmod(n, base)
        out.append(digits[r])
    return ("-" if neg else "") + "".join(reversed(out))
for n in [0, 5, 255, -42, 1000000, 2 ** 40]:
    print(n, to_base(n, 2) == bin(n).replace("0b", ""), to_base(n, 16), hex(n), oct(n), to_base(n, 36))
word = "Héllo"
print([hex(ord(c)) for c in word], "".join(chr(ord(c) + 1) for c in "HAL"))
print(bin(ord("A")), int(bin(ord("A")), 2), chr(int("0x41", 16)))
print(["%02x" % ord(c) for c in "az"], "".join("{:08b}".format(ord(c)) for c in "hi"))
