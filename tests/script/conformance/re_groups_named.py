# Named groups, groupdict, optional groups, nested groups and group indexing.
import re
log = "2024-03-15 12:30:45 ERROR [auth] Login failed for user=alice"
pat = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2}) (?P<time>[\d:]+) (?P<level>\w+) \[(?P<mod>\w+)\] (?P<msg>.*)")
m = pat.match(log)
print(m.groupdict())
print(m.group("level"), m["mod"], m.start("msg"), m.span("date"), m.lastgroup, m.lastindex)
print(m.groups()[:2], pat.groups, sorted(pat.groupindex.items()))
m2 = re.match(r"(?P<a>x)?(?P<b>y)", "y")
print(m2.groupdict(), m2.groupdict("none"), m2.group("a"), m2.span("a"))
m3 = re.match(r"((\w)(\w))-((\d)+)", "ab-123")
print(m3.groups(), m3.group(4), m3.group(5), m3.lastindex)
m4 = re.search(r"(?P<key>\w+)=(?P<val>\w+)", "x: color=blue")
print(m4.expand(r"\g<val> is the \g<key>"), m4.expand(r"\2/\1"))
for m in re.finditer(r"(?P<k>\w+)=(?P<v>[^;]*)", "a=1;b=;c=xyz"):
    print(m.group("k"), repr(m.group("v")))
try:
    m.group("nope")
except IndexError as e:
    print("IndexError", e)
try:
    m.group(9)
except IndexError as e:
    print("IndexError", e)
