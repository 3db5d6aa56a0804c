# re.escape output and re.error messages for malformed patterns.
import re
for s in ["a.b", "1+1=2", "[x]", "(a|b)", "C:\\dir", "hello world", "price: $5?", "tab\t", "^start$", "é日"]:
    e = re.escape(s)
    print(repr(s), repr(e), re.fullmatch(e, s) is not None)
for pat in ["(", ")", "[a-", "a**", "*a", "(?P<n>a)(?P<n>b)", r"\1", "a{2,1}", "(?<=a+)b", "[z-a]", "(?P<1>a)", r"\k"]:
    try:
        re.compile(pat)
        print("compiled", repr(pat))
    except re.error as e:
        print(repr(pat), "->", e)
print(issubclass(re.error, Exception))
try:
    re.compile("(abc")
except re.error as e:
    print(e.msg, e.pos)
