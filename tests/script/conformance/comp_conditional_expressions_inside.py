# Comprehensions combining conditional expressions, multiple ifs, walrus and nested generators.
nums = [-3, 0, 4, 7, -8, 10, 15]
print(["neg" if n < 0 else "zero" if n == 0 else "pos" for n in nums])
print([n for n in nums if n > 0 if n % 2])
print([n if n % 5 else "fizz" for n in nums])
print({n: ("even" if n % 2 == 0 else "odd") for n in nums if n})
print([(a, b) for a in range(4) for b in range(a) if (a + b) % 2])
print([y for n in nums if (y := n * n) > 20])
print(sum(1 if n > 0 else -1 for n in nums if n), max((abs(n), n) for n in nums))
words = ["Apple", "banana", "Cherry", "date", "Elder"]
print([w.upper() if w[0].isupper() else w[::-1] for w in words])
print({w[0].lower(): len(w) for w in words if len(w) > 4})
print([[c for c in w if c.lower() in "aeiou"] for w in words[:3]])
print(sorted({w.lower()[-1] for w in words}), [i for i, w in enumerate(words) if "e" in w.lower()])
