# functools.reduce with and without initializer; partial with positional and keyword args.
from functools import reduce, partial
print(reduce(lambda a, b: a + b, [1, 2, 3, 4]), reduce(lambda a, b: a * b, range(1, 8), 1))
print(reduce(lambda a, b: a + b, [], 0), reduce(max, [3, 9, 2]), reduce(lambda acc, c: c + acc, "abc", ""))
print(reduce(lambda d, kv: {**d, kv[0]: kv[1]}, [("a", 1), ("b", 2)], {}))
try:
    reduce(lambda a, b: a, [])
except TypeError as e:
    print("TypeError", e)
def power(base, exp, mod=None):
    return pow(base, exp, mod) if mod else base ** exp
square = partial(power, exp=2)
cube = partial(power, exp=3)
twos = partial(power, 2)
print(square(7), cube(3), twos(10), twos(10, mod=1000), square(5, exp=3))
int2 = partial(int, base=2)
print(int2("1011"), int2("111"))
join_dash = partial("-".join)
print(join_dash(["a", "b"]))
pr = partial(print, "LOG:", sep=" | ")
pr("one", "two")
print(list(map(partial(max, 0), [-3, 5, -1])))
add3 = partial(partial(lambda a, b, c: a + b + c, 1), 2)
print(add3(3))
