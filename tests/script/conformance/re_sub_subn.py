# re.sub/subn with string templates, backreferences, named groups, functions and counts.
import re
print(re.sub(r"\s+", " ", "a   b \t\n c"), re.sub(r"\d", "#", "a1b22c333", count=2))
print(re.sub(r"(\w+)@(\w+)", r"\2 at \1", "user@host admin@server"))
print(re.sub(r"(?P<first>\w+) (?P<last>\w+)", r"\g<last>, \g<first>", "Ada Lovelace"))
print(re.sub(r"(\d+)", r"<\g<1>0>", "a5 b12"), re.sub(r"x*", "-", "abc"))
print(re.sub(r"\d+", lambda m: str(int(m.group()) * 2), "3 apples and 10 pears"))
print(re.sub(r"[aeiou]", lambda m: m.group().upper(), "education"))
print(re.subn(r"o", "0", "foo boo zoo"), re.subn(r"z", "", "abc"), re.subn(r"o", "0", "foo", 1))
print(re.sub(r"^", "> ", "line1\nline2", flags=re.MULTILINE))
print(re.sub(r"\\", "/", r"C:\path\to\file"), re.sub(r"a", r"\n", "bab") == "b\nb")
p = re.compile(r"(\w)(\w)")
print(p.sub(r"\2\1", "abcdef"), p.subn(r"\2\1", "abcde"))
def redact(m):
    return m.group(1) + "*" * len(m.group(2))
print(re.sub(r"(\w)(\w+)@", lambda m: redact(m) + "@", "john@x.com, al@y.org"))
print(re.sub(r"(\d)(?=(\d{3})+$)", r"\1,", "1234567"))
