# dict equality ignores order; keys may be ints, floats, tuples, bools, None, frozensets.
print({"a": 1, "b": 2} == {"b": 2, "a": 1}, {"a": 1} != {"a": 1.0}, {} == {})
d = {None: "none", 3.5: "float", (1, "x"): "tuple", frozenset({1}): "fs", -7: "neg", "": "empty"}
print(d[None], d[3.5], d[1, "x"], d[frozenset([1])], d[-7], d[""])
print(d)
print(len({1: 0, 1.0: 1, True: 2}), {0: "a", False: "b", 0.0: "c"})
print({(1, 2): 3}.get((1, 2)), 2 in {2: 0}, 2.0 in {2: 0})
try:
    {"a": 1} < {"b": 2}
except TypeError as e:
    print("TypeError", e)
print(sorted({3: "c", 1: "a", 2: "b"}.items()))
print(list({"x": 1}), list({"x": 1}.items()))
