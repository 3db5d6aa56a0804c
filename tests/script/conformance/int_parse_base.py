# int() parses strings in bases 2..36, with prefixes, underscores, whitespace and signs.
print(int("42"), int("  -17 "), int("+8"), int("0"))
print(int("ff", 16), int("FF", 16), int("0xff", 16), int("0xff", 0))
print(int("101", 2), int("0b101", 0), int("777", 8), int("0o777", 0))
print(int("z", 36), int("Zz", 36), int("10", 36))
print(int("1_000_000"), int("0x_ff", 16))
print(int(3.9), int(-3.9), int(True), int(False))
for bad in ["", "x", "1.5", "12a", "0x10", " ", "1__0"]:
    try:
        int(bad)
    except ValueError as e:
        print("ValueError", e)
try:
    int("9", 8)
except ValueError as e:
    print("ValueError", e)
try:
    int("10", 1)
except ValueError as e:
    print("ValueError", e)
