# Building objects dynamically from dicts with setattr and reading them back with getattr/hasattr.
class Row:
    def __init__(self, **fields):
        for k, v in fields.items():
            setattr(self, k, v)
    def get(self, name, default=None):
        return getattr(self, name, default)
    def has(self, name):
        return hasattr(self, name)
raw = [{"id": 1, "name": "a", "score": 9.5}, {"id": 2, "name": "b"}, {"id": 3, "score": 1.0}]
rows = [Row(**r) for r in raw]
for r in rows:
    print(r.id, r.get("name", "?"), r.get("score", 0.0), r.has("score"))
rows[1].score = 4.0
del rows[0].name
print([r.get("name") for r in rows], [r.score for r in rows])
print(sorted(rows, key=lambda r: r.score)[0].id)
for attr in ["id", "missing"]:
    try:
        print(getattr(rows[2], attr))
    except AttributeError as e:
        print("AttributeError", e)
class Defaults:
    color = "red"
d = Defaults()
print(getattr(d, "color"), hasattr(d, "color"), getattr(Defaults, "color"))
setattr(d, "color", "blue")
print(d.color, Defaults.color)
