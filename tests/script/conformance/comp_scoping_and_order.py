# Comprehension scoping: own scope for loop vars, closure over enclosing names, evaluation order.
n = 10
print([n + i for i in range(3)])
def f(k):
    return [k * i for i in range(3)]
print(f(4))
i = "unchanged"
_ = [i for i in range(3)]
print(i)
funcs = [lambda: i for i in range(3)]
print([fn() for fn in funcs])
log = []
def src(tag, seq):
    log.append(tag)
    return seq
res = [(a, b) for a in src("outer", [1, 2]) for b in src("inner", "xy")]
print(res, log)
class Holder:
    vals = [1, 2, 3]
    doubled = [v * 2 for v in vals]
print(Holder.doubled)
total = 0
data = [[1, 2], [3], []]
flat = [x for sub in data for x in sub]
print(flat, [len(sub) for sub in data])
print([y for x in range(4) if (y := x * x) > 2])
