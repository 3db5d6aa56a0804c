# json.dumps with indent (int and string), sort_keys and nested empty containers.
import json
doc = {"name": "edge", "version": 3, "tags": ["a", "b"], "meta": {"empty_list": [], "empty_obj": {}, "n": None},
       "matrix": [[1, 2], [3, 4]]}
print(json.dumps(doc, indent=2))
print(json.dumps(doc, indent=0))
print(json.dumps([1, [2, [3]]], indent="\t"))
print(json.dumps(doc, indent=4, sort_keys=True))
print(json.dumps({"a": 1}, indent=2, separators=(",", ": ")))
print(json.dumps([], indent=2), json.dumps({}, indent=2), json.dumps("s", indent=2))
