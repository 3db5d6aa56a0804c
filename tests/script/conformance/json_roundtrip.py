# Round-tripping structures through dumps/loads, including key type coercion and tuples.
import json
orig = {"id": 7, "score": 0.125, "ok": True, "tags": ["x", "y"], "pos": (1, 2), "none": None,
        "nested": {"a": [1, {"b": 2.5}]}, "text": "line\nbreak é"}
text = json.dumps(orig)
back = json.loads(text)
print(text)
print(back)
print(back == orig, back["pos"], type(back["pos"]).__name__)
keys = {1: "int", 2.5: "float", True: "bool", None: "none", "s": "str", False: "f"}
print(json.dumps(keys))
print(json.loads(json.dumps(keys)))
print(json.dumps({3: "c", 1: "a", 2: "b"}, sort_keys=True))
records = [{"user": "u%d" % i, "vals": list(range(i))} for i in range(3)]
s = json.dumps(records, separators=(",", ":"))
print(s, len(s))
print(json.loads(s) == records)
for f in [0.1, 1 / 3, 1e16, 123.456, 5e-324, 1.7976931348623157e308]:
    print(json.dumps(f), json.loads(json.dumps(f)) == f)
