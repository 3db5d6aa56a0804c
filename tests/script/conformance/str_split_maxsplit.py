# str.split and rsplit with and without sep, with maxsplit.
s = "  alpha  beta gamma   delta "
print(s.split())
print(s.split(" "))
print(s.split(None, 1))
print(s.rsplit(None, 1))
print(s.split(maxsplit=2))
print("a,b,,c,".split(","))
print("a,b,,c,".split(",", 2))
print("a,b,,c,".rsplit(",", 2))
print("a::b::c".split("::"), "a::b::c".rsplit("::", 1))
print("".split(), "".split(","), "   ".split(), "abc".split("x"))
print("line1\nline2\tx  y".split())
print("1 2 3".split(" ", 0), "1 2 3".split(" ", -1))
try:
    "abc".split("")
except ValueError as e:
    print("ValueError", e)
print("k=v=w".split("=", 1), "k=v=w".rsplit("=", 1))
print("日本 語 テキスト".split(), "a\u3000b".split())
