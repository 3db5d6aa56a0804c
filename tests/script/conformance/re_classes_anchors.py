# Character classes, escapes \d \w \s \b \B, anchors ^ $ \A \Z, and Unicode matching.
import re
s = "Hello, Wörld! 42 times_x 日本語 3.14"
print(re.findall(r"\d", s), re.findall(r"\w+", s), re.findall(r"\s", s), re.findall(r"\S+", s))
print(re.findall(r"[A-Z]", s), re.findall(r"[^a-zA-Z\s]+", s), re.findall(r"[a-z-]+", "a-b c_d"))
print(re.findall(r"\bt\w+", s), re.findall(r"\Bo\B", "foo boot"), re.findall(r"\D+", "a1b2"))
print(re.findall(r"[\d.]+", s), re.findall(r"\W+", "a, b!"), re.findall(r"[.]", "a.b"))
print(re.search(r"^Hello", s) is not None, re.search(r"3\.14$", s) is not None, re.search(r"\AHello", s) is not None)
print(re.search(r"14\Z", s) is not None, re.search(r"^Wörld", s), re.findall(r"^\d", "1\n2", re.M))
print(re.findall(r"[\u65e5-\u8a9e]", s), re.findall(r"\w", "é日_1"), re.findall(r"[\[\]]", "[x]"))
print(re.findall(r"a.c", "abc a\nc a.c"), re.findall(r"\x41|\t", "A\tB"), re.findall(r"[\\]", "a\\b"))
print(re.fullmatch(r"[A-Za-z_]\w*", "valid_name1") is not None, re.fullmatch(r"[A-Za-z_]\w*", "1bad"))
print(re.findall(r"(?<![\w.])\d+(?![\w.])", "7 x8 9.5 10"), re.findall(r"\$\d+(?:\.\d\d)?", "$5 $6.50"))
