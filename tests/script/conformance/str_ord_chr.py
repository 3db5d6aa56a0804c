# ord and chr across ASCII, Latin-1, BMP and astral code points, and their errors.
for c in ["A", "z", "0", " ", "\n", "é", "ñ", "€", "日", "😀", "\U0010ffff"]:
    print(repr(c), ord(c), chr(ord(c)) == c)
print(chr(65), chr(97), chr(0x263A), chr(128512), repr(chr(0)), repr(chr(127)))
print("".join(chr(ord("a") + i) for i in range(26)))
print([ord(c) - ord("0") for c in "2024"])
shifted = "".join(chr((ord(c) - 97 + 13) % 26 + 97) if c.islower() else c for c in "hello, world")
print(shifted)
try:
    ord("ab")
except TypeError as e:
    print("TypeError", e)
try:
    ord("")
except TypeError as e:
    print("TypeError", e)
try:
    chr(0x110000)
except ValueError as e:
    print("ValueError", e)
try:
    chr(-1)
except ValueError as e:
    print("ValueError", e)
