# Comparisons between ints, floats and bools; bool is a subclass of int.
print(1 == 1.0, 0 == False, 1 == True, 2 == True)
print(True + True, True * 10, False - 1, sum([True, True, False]))
print(isinstance(True, int), issubclass(bool, int), type(True + 1).__name__)
print(3 < 3.5 < 4, -1 < 0 <= 0, 5 > 4 > 4)
print(max(1, 2.5, 2), min(0, False), max(True, 1))
print(1 < 2 == 2, 1 < 2 > 3, 1 == 1 == 1.0)
print(10 // 3 * 3 + 10 % 3, -10 // 3)
vals = [3, 1.5, True, -2, 0, 2.0]
print(sorted(vals))
print(sorted(vals, reverse=True))
print(hash(1) == hash(1.0) == hash(True), hash(0) == hash(False))
print(hash(5), hash(-1), hash(-2), hash(0))
d = {1: "int"}
d[1.0] = "float"
d[True] = "bool"
print(d)
