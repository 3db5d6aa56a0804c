# json.dumps of scalars, containers, nesting, unicode with ensure_ascii on and off.
import json
print(json.dumps(None), json.dumps(True), json.dumps(False), json.dumps(0), json.dumps(-12))
print(json.dumps(1.0), json.dumps(1.5), json.dumps(0.1), json.dumps(1e100), json.dumps(1e-7), json.dumps(-0.0))
print(json.dumps("plain"), json.dumps('quote " and \\ backslash'), json.dumps("tab\tnl\n"), json.dumps("\x00\x1f"))
print(json.dumps("héllo"), json.dumps("日本"), json.dumps("😀"))
print(json.dumps("héllo 日本 😀", ensure_ascii=False))
print(json.dumps([1, "a", None, [True, {}]]), json.dumps({}), json.dumps([]), json.dumps((1, 2)))
print(json.dumps({"b": 1, "a": [1, 2], "c": {"d": None}}))
print(json.dumps({"b": 1, "a": 2}, sort_keys=True))
print(json.dumps(float("inf")), json.dumps(float("-inf")), json.dumps(float("nan")))
print(json.dumps([1, 2], separators=(",", ":")), json.dumps({"a": 1, "b": 2}, separators=(",", ":")))
print(json.dumps({"k": [1, 2]}, separators=(", ", ": ")))
print(json.dumps("\u2028\u2029 \x7f"), json.dumps(2 ** 62), json.dumps(123456789.125))
