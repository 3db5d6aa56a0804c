# A UTF-8 byte order mark before the first line is skipped, as CPython's tokenizer does.
import json
x = 1
s = "caf\u00e9 \u2713"
print(x, s, len(s), json.dumps({"s": s}))
def f(a, b=2):
    return a * b
print(f(3), [f(i) for i in range(3)])
try:
    raise ValueError("after a BOM")
except ValueError as e:
    print(type(e).__name__, e)
lines = ["\ufeffmarked", "plain"]
print([len(l) for l in lines], lines[0][1:], "\ufeff" in lines[0])
