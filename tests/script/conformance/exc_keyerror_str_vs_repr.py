# KeyError str() is the repr of the key; other exceptions use the plain message; args is a tuple.
cases = [KeyError("name"), KeyError(42), KeyError(("a", 1)), KeyError(""), KeyError("it's"),
         KeyError(None), KeyError("a", "b"), ValueError("name"), IndexError("name"), LookupError("x")]
for e in cases:
    print(type(e).__name__, "|", str(e), "|", repr(e), "|", e.args, "|", "%s" % e, "|", f"{e!r}")
d = {"k": 1}
try:
    d["missing key"]
except KeyError as e:
    print("message:", e, "| key:", e.args[0], "| formatted:", "error: {}".format(e))
try:
    {}[3.5]
except KeyError as e:
    print(str(e), e.args[0] + 1)
