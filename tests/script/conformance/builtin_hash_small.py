# hash() of ints, bools and equal objects; hashability rules for containers.
print(hash(0), hash(1), hash(42), hash(-1), hash(-2), hash(True), hash(False))
print(hash(2 ** 40) == 2 ** 40, hash(1.0) == hash(1), hash(2.5) == hash(2.5), hash(-0.0) == hash(0))
print(hash((1, 2)) == hash((1, 2)), hash(frozenset({1, 2})) == hash(frozenset({2, 1})))
print(hash("abc") == hash("ab" + "c"), hash((1, "a")) == hash((1, "a")))
for v in [[1], {1: 2}, {1}, ([1],)]:
    try:
        hash(v)
        print("hashable", type(v).__name__)
    except TypeError as e:
        print("TypeError", e)
class K:
    def __init__(self, v):
        self.v = v
    def __hash__(self):
        return self.v % 10
    def __eq__(self, o):
        return self.v == o.v
print(hash(K(13)), hash(K(3)) == hash(K(13)), len({K(3), K(13), K(3)}))
print(type(hash(1.5)).__name__, type(hash("x")).__name__)
