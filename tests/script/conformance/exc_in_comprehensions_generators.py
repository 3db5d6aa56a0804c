# Exceptions raised inside comprehensions and generator expressions propagate to the caller.
def safe_div(a, b):
    return a / b
data = [(1, 2), (3, 0), (4, 4)]
try:
    print([safe_div(a, b) for a, b in data])
except ZeroDivisionError as e:
    print("list comp:", e)
gen = (safe_div(a, b) for a, b in data)
print(next(gen))
try:
    next(gen)
except ZeroDivisionError as e:
    print("genexp:", e)
print(next(gen, "generator closed after error"))
try:
    {k: int(v) for k, v in {"a": "1", "b": "x"}.items()}
except ValueError as e:
    print("dict comp:", e)
def robust(pairs):
    out = []
    for a, b in pairs:
        try:
            out.append(round(a / b, 3))
        except ZeroDivisionError:
            out.append(None)
    return out
print(robust(data))
try:
    sum(int(x) for x in ["1", "2", "three"])
except ValueError as e:
    print("sum(genexp):", e)
try:
    sorted([3, 1, 2], key=lambda x: 1 / (x - 2))
except ZeroDivisionError as e:
    print("sort key:", e)
