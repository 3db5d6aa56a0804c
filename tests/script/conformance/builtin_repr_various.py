# repr of builtin values: numbers, strings, containers, None, bools, ranges, slices, classes.
vals = [0, -1, 3.0, 1e-10, float("inf"), "s", 'q"', "q'", "", [], [1, [2]], (), (1,), (1, 2), {}, {"a": (1,)},
        set(), {1}, frozenset(), frozenset({2}), None, True, range(3), range(1, 9, 2), slice(1), slice(1, 2, 3),
        int, str, type(None), ValueError("v"), KeyError("k"), [None, "é"], {1: {2: {3: []}}}]
for v in vals:
    print(repr(v))
print(repr(repr("x")), str(repr(1)), repr(str(1)))
nested = {"list": [1, 2.5, "three"], "tuple": (None,), "set": {3}}
print(repr(nested))
print(repr([[], [[]], [(), ()]]))
print(repr({"k": {"k": {"k": "v"}}}))
print(repr(-0.0), repr(2 ** 62), repr(1.5e300))
