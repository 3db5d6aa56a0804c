# Module objects as values: attribute access, getattr/hasattr on modules, passing modules around.
import math
import json
import collections
print(hasattr(math, "sqrt"), hasattr(math, "nonexistent"), getattr(math, "tau") == 2 * math.pi)
fn = getattr(math, "floor")
print(fn(7.9), callable(fn))
def apply(mod, name, *args):
    return getattr(mod, name)(*args)
print(apply(math, "gcd", 12, 18), apply(json, "dumps", [1]))
names = ["sqrt", "log2", "exp"]
print([round(getattr(math, n)(4), 4) for n in names])
dd = collections.defaultdict(int)
dd["x"] += 1
print(dict(dd), collections.OrderedDict(a=1))
try:
    math.not_there
except AttributeError as e:
    print("AttributeError", e)
print(math.floor is fn, json.loads(json.dumps({"k": math.e}))["k"] == math.e)
print(sorted(collections.Counter("banana").elements()))
