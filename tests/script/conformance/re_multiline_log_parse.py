# Parsing a multi-line log with MULTILINE anchors, named groups and per-level aggregation.
import re
log = """2024-05-01 10:00:01 INFO  server started port=8080
2024-05-01 10:00:05 WARN  slow request path=/api/items ms=1200
2024-05-01 10:01:00 ERROR db timeout path=/api/orders ms=5000
   continuation line without timestamp
2024-05-01 10:02:30 INFO  request path=/api/items ms=35
2024-05-01 10:03:00 ERROR db timeout path=/api/items ms=4800"""
LINE = re.compile(r"^(?P<date>\S+) (?P<time>\S+) (?P<level>[A-Z]+)\s+(?P<msg>.*)$", re.M)
entries = [m.groupdict() for m in LINE.finditer(log)]
print(len(entries), [e["level"] for e in entries])
levels = {}
for e in entries:
    levels[e["level"]] = levels.get(e["level"], 0) + 1
print(levels)
kv = re.compile(r"(\w+)=(\S+)")
slow = [(dict(kv.findall(e["msg"]))["path"], int(dict(kv.findall(e["msg"]))["ms"])) for e in entries if "ms=" in e["msg"]]
print(sorted(slow, key=lambda p: -p[1]))
print(re.findall(r"^\s+(.*)$", log, re.M))
print(re.findall(r"ERROR (.*?) path", log), len(re.findall(r"^2024", log, re.M)), len(re.findall(r"^2024", log)))
