# Generator-based coroutines: a running-stats consumer and a filter stage driven by send().
def running_stats():
    n, total, lo, hi = 0, 0.0, None, None
    summary = None
    while True:
        x = yield summary
        if x is None:
            return (n, total)
        n += 1
        total += x
        lo = x if lo is None else min(lo, x)
        hi = x if hi is None else max(hi, x)
        summary = {"n": n, "mean": round(total / n, 4), "min": lo, "max": hi}
stats = running_stats()
next(stats)
for v in [4, 8, 15, 16, 23, 42]:
    print(stats.send(v))
try:
    stats.send(None)
except StopIteration as e:
    print("final", e.value)
def positive_only(target):
    while True:
        x = yield
        if x > 0:
            target.send(x)
collected = []
def sink():
    while True:
        collected.append((yield))
s = sink()
next(s)
f = positive_only(s)
next(f)
for v in [3, -1, 0, 7, -5, 2]:
    f.send(v)
print(collected)
