# getattr with default, setattr, hasattr on instances and classes; dynamic attribute dispatch.
class Handler:
    def on_start(self):
        return "starting"
    def on_stop(self):
        return "stopping"
h = Handler()
for event in ["start", "stop", "pause"]:
    method = getattr(h, "on_" + event, None)
    print(event, method() if method else "no handler")
class Record:
    pass
r = Record()
for k, v in [("name", "x"), ("size", 3), ("tags", [])]:
    setattr(r, k, v)
print(r.name, r.size, r.tags, getattr(r, "size"), getattr(r, "missing", "dflt"))
print(hasattr(r, "name"), hasattr(r, "nope"), hasattr(Handler, "on_start"), hasattr(h, "__init__"))
setattr(Record, "kind", "cls-level")
print(r.kind, Record.kind)
print(getattr("abc", "upper")(), getattr([], "append") is not None, getattr(5, "real"))
try:
    getattr(r, "missing")
except AttributeError as e:
    print("AttributeError", e)
try:
    getattr(r, 5)
except TypeError as e:
    print("TypeError", e)
try:
    setattr(5, "x", 1)
except AttributeError as e:
    print("AttributeError", e)
