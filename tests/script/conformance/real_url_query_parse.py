# Parse URLs and query strings by hand: percent-decoding, repeated keys, defaults.
def unquote(s):
    out, i = [], 0
    s = s.replace("+", " ")
    while i < len(s):
        hexpart = s[i + 1:i + 3]
        if s[i] == "%" and len(hexpart) == 2 and all(c in "0123456789abcdefABCDEF" for c in hexpart):
            out.append(chr(int(s[i + 1:i + 3], 16)))
            i += 3
        else:
            out.append(s[i])
            i += 1
    return "".join(out)
def parse_url(url):
    scheme, _, rest = url.partition("://")
    rest, _, frag = rest.partition("#")
    hostpath, _, query = rest.partition("?")
    host, slash, path = hostpath.partition("/")
    host, _, port = host.partition(":")
    params = {}
    for pair in filter(None, query.split("&")):
        k, eq, v = pair.partition("=")
        params.setdefault(unquote(k), []).append(unquote(v) if eq else None)
    return {"scheme": scheme, "host": host, "port": int(port) if port else None,
            "path": "/" + path, "params": params, "fragment": frag or None}
for u in ["https://example.com:8443/api/v1/items?id=7&tag=a&tag=b%20c&flag#top",
          "http://localhost/search?q=hello+world&page=2&empty=",
          "ftp://files.host/", "https://x.org/p?bad=%zz&pct=100%25"]:
    r = parse_url(u)
    print(r["scheme"], r["host"], r["port"], r["path"], r["fragment"])
    for k in sorted(r["params"]):
        print("   ", repr(k), r["params"][k])
