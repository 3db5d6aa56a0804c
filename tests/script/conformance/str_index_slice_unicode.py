# Indexing and slicing strings by code point, including non-ASCII and emoji.
s = "héllo naïve 日本 😀!"
print(len(s), s[0], s[1], s[-1], s[-2], s[12:14])
print(s[::-1])
print(s[1:5], s[:3], s[6:], s[-6:-2], s[::2], s[1::3])
print(s[100:], s[-100:2], s[5:2], repr(s[3:3]))
for i, ch in enumerate("aé日😀"):
    print(i, ch, ord(ch), hex(ord(ch)))
print(list("naïve"), "😀" in s, s.index("日"))
try:
    s[50]
except IndexError as e:
    print("IndexError", e)
try:
    s[0] = "H"
except TypeError as e:
    print("TypeError", e)
print("".join(reversed("abc")), "abc"[-3], "abc"[::-1][0])
