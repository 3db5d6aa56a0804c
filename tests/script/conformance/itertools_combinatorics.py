# product (with repeat), permutations, combinations and combinations_with_replacement.
from itertools import product, permutations, combinations, combinations_with_replacement
print(list(product("ab", [1, 2])), list(product([0, 1], repeat=3))[:4], len(list(product(range(3), repeat=3))))
print(list(product()), list(product([], [1])), list(product("ab", "cd", "e")))
print(list(permutations([1, 2, 3])), list(permutations("abc", 2)), list(permutations([], 0)), list(permutations([1], 2)))
print(list(combinations("abcd", 2)), list(combinations(range(4), 3)), list(combinations([1, 2], 0)), list(combinations([1], 3)))
print(list(combinations_with_replacement("ab", 2)), list(combinations_with_replacement([1, 2, 3], 2)))
print(len(list(permutations(range(6)))), len(list(combinations(range(10), 4))))
coins = [1, 5, 10]
ways = sorted({tuple(sorted(c)) for n in range(1, 4) for c in combinations_with_replacement(coins, n) if sum(c) == 11})
print(ways)
pwds = ["".join(p) for p in product("xy", repeat=2)]
print(pwds)
print(["".join(p) for p in permutations("aab")])
