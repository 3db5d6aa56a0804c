# lambda expressions as arguments, stored in containers, with defaults and immediately applied.
ops = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "neg": lambda a: -a}
print(ops["add"](2, 3), ops["mul"](4, 5), ops["neg"](7))
sq = lambda x: x * x
print(sq(9), (lambda: "no args")(), (lambda *a, **k: (a, k))(1, z=2))
print(sorted([(1, "b"), (2, "a")], key=lambda t: t[1]))
print(list(map(lambda x, y: x * y, [1, 2, 3], [4, 5, 6])))
print(list(filter(lambda s: s.startswith("a"), ["ant", "bee", "ape"])))
adders = [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in adders])
late = [lambda x: x + i for i in range(3)]
print([f(10) for f in late])
compose = lambda f, g: lambda x: f(g(x))
inc_then_double = compose(lambda x: x * 2, lambda x: x + 1)
print(inc_then_double(5))
print((lambda n: "even" if n % 2 == 0 else "odd")(7))
kw = lambda a, *, b=2: a * b
print(kw(3), kw(3, b=5))
