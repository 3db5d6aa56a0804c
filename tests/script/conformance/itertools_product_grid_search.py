# itertools.product for grid search over hyperparameters and combinations for pair features.
from itertools import product, combinations, permutations
grid = {"lr": [0.1, 0.01], "depth": [2, 4, 8], "reg": [None, "l2"]}
keys = list(grid)
configs = [dict(zip(keys, vals)) for vals in product(*grid.values())]
print(len(configs), configs[0], configs[-1])
def score(cfg):
    s = cfg["depth"] * (1 if cfg["lr"] == 0.1 else 1.5)
    return s - (2 if cfg["reg"] is None and cfg["depth"] == 8 else 0)
best = max(configs, key=lambda c: (score(c), -c["depth"]))
print(best, score(best))
ranked = sorted(configs, key=lambda c: -score(c))[:3]
print([(c["lr"], c["depth"], c["reg"]) for c in ranked])
feats = ["age", "income", "clicks", "tenure"]
print(["%s*%s" % p for p in combinations(feats, 2)])
print(len(list(permutations(feats, 2))), list(product("01", repeat=2)))
print(sum(1 for a, b, c in product(range(1, 21), repeat=3) if a * a + b * b == c * c and a < b))
