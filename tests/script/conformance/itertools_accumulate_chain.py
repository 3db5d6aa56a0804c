# accumulate (default, func, initial), chain and chain.from_iterable.
from itertools import accumulate, chain
print(list(accumulate([1, 2, 3, 4, 5])), list(accumulate([1, 2, 3, 4], lambda a, b: a * b)))
print(list(accumulate([3, 1, 4, 1, 5, 9, 2], max)), list(accumulate([5, 3, 8], min)))
print(list(accumulate([1, 2, 3], initial=100)), list(accumulate([], initial=0)), list(accumulate([])))
print(list(accumulate("abc")), list(accumulate([1.5, 2.5])), list(accumulate([[1], [2]])))
print(list(accumulate(range(1, 6), lambda acc, x: acc * 10 + x)))
print(list(chain([1, 2], (3,), "ab", range(2))), list(chain()), list(chain([], [])))
print(list(chain.from_iterable([[1, 2], [3], []])), list(chain.from_iterable(["ab", "cd"])))
nested = {"a": [1, 2], "b": [3]}
print(list(chain.from_iterable(nested.values())), sorted(chain(*nested.values()), reverse=True))
balance = list(accumulate([100, -20, -50, 30, -70], initial=0))
print(balance, min(balance), [i for i, b in enumerate(balance) if b < 0])
