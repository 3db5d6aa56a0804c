# Bucket latency samples into histogram bins with bisect, print an ASCII chart and percentiles.
import bisect
import math
samples = [12, 15, 11, 90, 35, 22, 18, 250, 14, 16, 19, 45, 60, 13, 17, 21, 500, 33, 28, 24]
bounds = [10, 20, 50, 100, 200, 1000]
counts = [0] * (len(bounds) + 1)
for s in samples:
    counts[bisect.bisect_right(bounds, s)] += 1
labels = ["<10"] + ["%d-%d" % (lo, hi) for lo, hi in zip(bounds, bounds[1:])] + [">=1000"]
for label, c in zip(labels, counts):
    print("%-9s %2d %s" % (label, c, "*" * c))
s = sorted(samples)
def pct(p):
    k = max(0, math.ceil(p / 100 * len(s)) - 1)
    return s[k]
print({p: pct(p) for p in (50, 90, 95, 99)})
print("mean %.2f, median %.1f" % (sum(s) / len(s), (s[9] + s[10]) / 2))
