# Parsing key=value config lines: comments, quoting, type coercion, duplicate keys and errors.
text = """
# service config
name = edge-node
port=8080
ratio = 0.75
debug = true
tags = a, b ,c
path = "/var/lib/edge flow"
empty =
port = 9090
broken line
"""
def coerce(v):
    if v.lower() in ("true", "false"):
        return v.lower() == "true"
    if len(v) >= 2 and v[0] == v[-1] == '"':
        return v[1:-1]
    for conv in (int, float):
        try:
            return conv(v)
        except ValueError:
            pass
    if "," in v:
        return [p.strip() for p in v.split(",")]
    return v
cfg, errors = {}, []
for n, raw in enumerate(text.splitlines(), 1):
    line = raw.split("#", 1)[0].strip()
    if not line:
        continue
    key, sep, value = line.partition("=")
    if not sep:
        errors.append("line %d: missing '='" % n)
        continue
    key = key.strip()
    if key in cfg:
        errors.append("line %d: duplicate %r (was %r)" % (n, key, cfg[key]))
    cfg[key] = coerce(value.strip())
for k, v in cfg.items():
    print(k, repr(v), type(v).__name__)
print(errors)
