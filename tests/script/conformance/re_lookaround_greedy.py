# Lookahead/lookbehind, greedy vs non-greedy quantifiers, backreferences, alternation.
import re
print(re.findall(r"\w+(?=!)", "hi! there no yes!"), re.findall(r"\w+(?!\w|!)", "hi! ok"))
print(re.findall(r"(?<=\$)\d+", "$10 20 $300"), re.findall(r"(?<!\$)\b\d+", "$10 20 $300 4"))
html = "<b>bold</b><i>it</i>"
print(re.findall(r"<.*>", html), re.findall(r"<.*?>", html), re.findall(r"<(\w+)>(.*?)</\1>", html))
print(re.match(r"a{2,3}", "aaaa").group(), re.match(r"a{2,3}?", "aaaa").group(), re.match(r"a+?", "aaa").group())
print(re.findall(r"(\w)\1", "aabbcdde"), re.search(r"\b(\w+) \1\b", "this is is a test").group())
print(re.findall(r"cat|dog|bird", "dog cat fish bird"), re.findall(r"gr(a|e)y", "gray grey gruy"))
print(re.match(r"(a|ab)(c|bcd)", "abcd").groups(), re.fullmatch(r"(?:\d{1,3}\.){3}\d{1,3}", "192.168.0.1") is not None)
print(re.findall(r"\d+?", "123"), re.findall(r"x??y", "xyy"), re.match(r".*?(\d+)$", "abc123").group(1))
pw = re.compile(r"^(?=.*\d)(?=.*[a-z])(?=.*[A-Z]).{8,}$")
for candidate in ["weak", "Str0ngPass", "nouppercase1", "NOLOWER123", "Sh0rt"]:
    print(candidate, bool(pw.match(candidate)))
