# Combinatoric iterators at the edges: r > n, r == 0, empty pools, repeat=0, r=None, and their errors.
from itertools import product, permutations, combinations, combinations_with_replacement as cwr
def attempt(label, fn):
    try:
        print(label, fn())
    except Exception as e:
        print(label, type(e).__name__, e)
for r in [0, 1, 2, 3, 4]:
    print(r, list(combinations("abc", r)), len(list(permutations("abc", r))), len(list(cwr("abc", r))))
print(list(permutations([])), list(permutations([], 1)), list(permutations("ab", None)), list(permutations("ab", True)))
print(list(combinations([], 0)), list(cwr([], 0)), list(cwr([], 1)), list(cwr("x", 3)))
print(list(product()), list(product(repeat=3)), list(product("ab", repeat=0)), list(product("ab", [])))
print(list(product("ab", range(2), repeat=2))[:6], len(list(product(range(3), repeat=4))))
print(list(permutations(range(4)))[::5])
print(list(combinations(range(6), 4))[::4])
print(list(cwr("abcd", 2))[3:9])
pool = iter([3, 1, 2])
c = combinations(pool, 2)
print(list(pool), list(c))
attempt("comb neg", lambda: combinations("ab", -1))
attempt("comb none", lambda: combinations("ab", None))
attempt("comb missing", lambda: combinations("ab"))
attempt("comb iter first", lambda: combinations(5, -1))
attempt("cwr neg", lambda: cwr("ab", -2))
attempt("perm neg", lambda: permutations("ab", -1))
attempt("perm float", lambda: permutations("ab", 1.0))
attempt("perm kw", lambda: list(permutations(iterable="ab", r=1)))
attempt("product neg", lambda: product("a", repeat=-1))
attempt("product kw", lambda: product("a", times=2))
attempt("product str", lambda: product("a", repeat="2"))
attempt("product iter", lambda: product([1], 2))
