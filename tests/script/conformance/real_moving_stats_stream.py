# Streaming statistics: Welford's online mean/variance, EWMA and min/max over a metric stream.
import math
class RunningStats:
    def __init__(self, alpha=0.3):
        self.n, self.mean, self.m2 = 0, 0.0, 0.0
        self.alpha, self.ewma = alpha, None
        self.lo, self.hi = math.inf, -math.inf
    def push(self, x):
        self.n += 1
        d = x - self.mean
        self.mean += d / self.n
        self.m2 += d * (x - self.mean)
        self.ewma = x if self.ewma is None else self.alpha * x + (1 - self.alpha) * self.ewma
        self.lo, self.hi = min(self.lo, x), max(self.hi, x)
    @property
    def variance(self):
        return self.m2 / (self.n - 1) if self.n > 1 else 0.0
    def summary(self):
        return "n=%d mean=%.4f sd=%.4f ewma=%.4f range=[%g, %g]" % (
            self.n, self.mean, math.sqrt(self.variance), self.ewma, self.lo, self.hi)
stream = [12.0, 15.5, 11.25, 30.0, 14.0, 13.5, 12.75, 16.0, 15.0, 14.25]
rs = RunningStats()
for i, x in enumerate(stream, 1):
    rs.push(x)
    if i % 3 == 0 or i == len(stream):
        print(rs.summary())
batch_mean = sum(stream) / len(stream)
batch_var = sum((x - batch_mean) ** 2 for x in stream) / (len(stream) - 1)
print(math.isclose(rs.mean, batch_mean), math.isclose(rs.variance, batch_var), round(batch_var, 6))
