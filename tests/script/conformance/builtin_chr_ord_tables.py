# Building character tables with chr/ord/format: ASCII chart rows and Unicode block samples.
for start in range(32, 128, 16):
    print("%3d " % start + "".join(chr(c) if c < 127 else "." for c in range(start, start + 16)))
greek = "".join(chr(c) for c in range(0x3b1, 0x3b1 + 10))
print(greek, greek.upper(), len(greek))
arrows = [chr(c) for c in range(0x2190, 0x2195)]
print(arrows, [format(ord(a), "04X") for a in arrows])
print({c: ord(c) for c in "Aa0 ~"}, chr(0x1F600) == "\U0001F600")
digits = [chr(ord("0") + d) for d in range(10)]
print("".join(digits), int("".join(digits[1:])), sum(ord(c) - 48 for c in digits))
