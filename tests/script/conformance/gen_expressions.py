# Generator expressions: laziness, single-use, as sole call argument, nested loops.
g = (x * x for x in range(5))
print(sum(g), sum(g))
print(max(len(w) for w in ["a", "abc", "ab"]))
print(list(x for x in range(10) if x % 3 == 0))
print(list((i, j) for i in range(3) for j in range(i)))
print(any(c.isdigit() for c in "abc1"), all(c.isalpha() for c in "abc1"))
print(", ".join(str(n) for n in range(4)))
log = []
def val(v):
    log.append(v)
    return v
lazy = (val(i) for i in range(3))
print(log)
print(next(lazy), log)
print(list(lazy), log)
print(sorted((v for v in [3, 1, 2]), reverse=True))
print(dict((k, k * 2) for k in "ab"), set(x % 3 for x in range(10)))
first_big = next((n for n in [1, 5, 12, 20] if n > 10), None)
none_big = next((n for n in [1, 5] if n > 10), None)
print(first_big, none_big)
matrix = [[1, 2], [3, 4]]
print(sum(sum(row) for row in matrix), list(v for row in matrix for v in row))
