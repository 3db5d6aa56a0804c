# List comprehensions with conditions, nested loops, nested comprehensions and matrix ops.
print([x * 2 for x in range(6)])
print([x for x in range(20) if x % 2 if x % 3])
print([(x, y) for x in range(3) for y in range(3) if x != y])
print([x if x > 0 else 0 for x in [-2, 3, -1, 5]])
m = [[1, 2, 3], [4, 5, 6]]
print([[row[i] for row in m] for i in range(3)])
print([v for row in m for v in row if v % 2 == 0])
print([[i * j for j in range(1, 4)] for i in range(1, 4)])
words = ["apple", "Bob", "cat", "Dune"]
print([w.lower() for w in words if w[0].isupper()])
print([len(w) for w in words], [w[::-1] for w in words])
print([c for w in words for c in w if c in "aeiou"])
print([(i, c) for i, c in enumerate("abc")])
pairs = [(a, b) for a in range(1, 10) for b in range(a, 10) if a * b == 12]
print(pairs)
print([[] for _ in range(3)], [0 for _ in []])
print([x for x in "héllo" if x != "l"])
