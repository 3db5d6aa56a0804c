# strip/lstrip/rstrip with default whitespace and with explicit character sets.
s = "\t  hello world \n "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
print("xxhixx".strip("x"), "xyhiyx".strip("xy"), "abcHELLOcba".strip("abc"))
print("www.example.com".lstrip("w."), "www.example.com".rstrip(".com"))
print(repr("   ".strip()), repr("".strip("a")))
print("0012300".strip("0"), "0012300".lstrip("0"), "0012300".rstrip("0"))
print("--==text==--".strip("-="))
print(repr("\u3000wide\u3000".strip()))
print("hello".strip(""), "hello".strip("ole"))
print(repr(" \x0b\x0c\r\n x".strip()))
lines = ["  a  ", "b\n", "\tc"]
print([l.strip() for l in lines])
