# splitlines with and without keepends, across line boundary kinds; expandtabs.
text = "one\ntwo\r\nthree\rfour\n\nfive"
print(text.splitlines())
print(text.splitlines(True))
print("".splitlines(), "\n".splitlines(), "x\n".splitlines(), "x\n\n".splitlines())
print("a\x0bb\x0cc\x1cd\u2028e".splitlines())
print(text.split("\n"))
print("a\tb\tc".expandtabs(), "a\tb\tc".expandtabs(4), "ab\tc".expandtabs(2))
print(repr("x\ty\n\tz".expandtabs(3)), repr("\t".expandtabs(0)))
print("12345\t6".expandtabs(4), "1234\t5".expandtabs(4))
lines = "  alpha\n\tbeta\n   gamma  ".splitlines()
print([l.strip() for l in lines], len(lines))
