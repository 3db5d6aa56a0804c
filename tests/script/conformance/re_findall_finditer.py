# findall returns strings or group tuples; finditer yields matches with positions.
import re
text = "Call 555-1234 or 555-9876; office: 555-0000 ext 12"
print(re.findall(r"\d{3}-\d{4}", text))
print(re.findall(r"(\d{3})-(\d{4})", text))
print(re.findall(r"\d+", text), re.findall(r"x", text), re.findall(r"", "ab"))
print(re.findall(r"(\w+)@(\w+)\.com", "a@b.com, c@d.com"), re.findall(r"(a)|b", "abab"))
for m in re.finditer(r"\b(\w)(\w*)\b", "the quick brown"):
    print(m.group(0), m.span(), m.group(1).upper() + m.group(2))
print([m.start() for m in re.finditer(r"a", "banana")])
print([m.group() for m in re.finditer(r"a*", "baaac")])
print(re.findall(r"[A-Z][a-z]+", "HelloWorldFooBar"), re.findall(r"\s+", "a  b\tc\n"))
print(re.findall(r"(?:ab)+", "ababxab"), re.findall(r"(\d)(\d)?", "1 23 456"))
