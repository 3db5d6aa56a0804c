# count and repeat: int and float counting, negative steps, their reprs as the state advances, and argument errors.
from itertools import count, repeat, islice
c = count(5)
print(repr(c), next(c), next(c), repr(c))
print(repr(count()), repr(count(0, 2)), repr(count(1.5)), repr(count(2, 1.0)), repr(count(True)), repr(count(0, True)))
print(list(islice(count(10, -3), 5)), list(islice(count(0.5, 0.25), 5)), list(islice(count(1, 0.1), 3)))
f = count(0.0, 0.5)
next(f)
next(f)
print(repr(f), list(islice(count(True, 0.5), 3)))
print(list(zip(count(1), "abc")), list(map(lambda i, s: s * i, count(1), "xyz")))
r = repeat("ab", 3)
print(repr(r), next(r), repr(r), list(r), repr(r))
print(repr(repeat(None)), repr(repeat([1], -5)), list(repeat(1, -5)), list(repeat(0, times=2)))
print(list(map(pow, range(5), repeat(2))), repeat(1, 4).__length_hint__())
for bad in [lambda: count("a"), lambda: count(1, "b"), lambda: count(1, 2, 3), lambda: count(x=1),
            lambda: repeat(), lambda: repeat(1, 2.0), lambda: repeat(1, 2, 3), lambda: repeat(1).__length_hint__()]:
    try:
        bad()
    except TypeError as err:
        print("TypeError", err)
print(repr(count(start=3, step=-1)), type(count()).__name__, type(repeat(1)).__name__)
