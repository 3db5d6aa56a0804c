# popitem removes in LIFO order; update accepts mappings, pairs and kwargs; order of updates.
d = {"a": 1, "b": 2, "c": 3}
out = []
while d:
    out.append(d.popitem())
print(out, d)
d = {"x": 1}
d.update({"y": 2})
d.update([("z", 3), ("x", 10)])
d.update(w=4)
d.update({}, v=5)
print(d, list(d))
try:
    d.update([("bad",)])
except ValueError as e:
    print("ValueError", e)
try:
    d.update(5)
except TypeError as e:
    print("TypeError", e)
e = dict(d)
e["x"] = -1
print(d["x"], e["x"], len(e))
stack = {}
for i, k in enumerate("pqr"):
    stack[k] = i
stack.pop("q")
stack["q"] = 9
print(stack.popitem(), stack)
