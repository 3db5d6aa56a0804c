# center/ljust/rjust/zfill with default and custom fill characters.
for w in ["a", "ab", "abc", "abcdef"]:
    print("[" + w.center(6) + "]", "[" + w.center(7, "*") + "]", "[" + w.ljust(5, ".") + "]",
          "[" + w.rjust(5) + "]")
print("42".zfill(5), "-42".zfill(5), "+42".zfill(5), "abc".zfill(6), "12345".zfill(3))
print("3.14".zfill(8), "".zfill(3), "-".zfill(3))
print("日本".center(6, "-"), "é".rjust(3, "é"))
try:
    "x".center(5, "ab")
except TypeError as e:
    print("TypeError", e)
rows = [("apple", 3), ("kiwi", 12), ("banana", 100)]
for name, qty in rows:
    print(name.ljust(8) + str(qty).rjust(5))
