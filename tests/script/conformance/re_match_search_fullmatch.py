# re.match anchors at the start, search scans, fullmatch needs the whole string; Match reprs.
import re
s = "abc123def456"
print(re.match(r"[a-z]+", s), re.match(r"\d+", s), re.search(r"\d+", s), re.fullmatch(r"\w+", s))
print(re.fullmatch(r"[a-z]+", s), re.fullmatch(r"[a-z]+\d+[a-z]+\d+", s))
m = re.search(r"(\d+)([a-z]+)", s)
print(m.group(), m.group(0), m.group(1), m.group(2), m.groups(), m.group(1, 2))
print(m.span(), m.start(), m.end(), m.span(1), m.start(2), m.end(2))
print(bool(re.match("", "x")), re.match("", "x"), re.search("z", s))
p = re.compile(r"\d+")
print(p.match(s), p.match(s, 3), p.search(s, 7), p.fullmatch("42"), p.pattern)
m2 = re.match(r"(a)(x)?", "ab")
print(m2.groups(), m2.groups("default"), m2.group(2))
print(re.search(r"é+", "caféé!"), re.search(r"日本", "こんにちは日本"))
print(m[0], m[1], m[2])
