# Dict and set comprehensions, including conditions, swaps and nested sources.
words = ["apple", "banana", "avocado", "cherry", "blueberry"]
print({w: len(w) for w in words})
print({w[0]: w for w in words})
by_letter = {c: [w for w in words if w[0] == c] for c in sorted({w[0] for w in words})}
print(by_letter)
print(sorted({len(w) for w in words}), {x % 4 for x in range(10)})
sq = {n: n * n for n in range(6) if n % 2 == 0}
print(sq, {v: k for k, v in sq.items()})
grid = {(r, c): r * 3 + c for r in range(2) for c in range(3)}
print(grid)
print({k: v for k, v in zip("abc", [1, 2, 3]) if v != 2})
counts = {ch: "mississippi".count(ch) for ch in "mississippi"}
print(counts)
print({i: {j for j in range(i)} for i in range(4)})
x = 5
print({x: x for x in range(2)}, x)
