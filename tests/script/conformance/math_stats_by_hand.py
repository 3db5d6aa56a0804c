# Computing mean, variance, stddev, median and percentiles with math helpers.
import math
data = [2.5, 3.1, 4.7, 1.2, 9.9, 3.3, 5.0, 4.4, 2.2, 7.6]
n = len(data)
mean = math.fsum(data) / n
var = math.fsum((x - mean) ** 2 for x in data) / (n - 1)
std = math.sqrt(var)
print(round(mean, 6), round(var, 6), round(std, 6))
s = sorted(data)
median = (s[n // 2 - 1] + s[n // 2]) / 2 if n % 2 == 0 else s[n // 2]
print(s, median)
def percentile(sorted_vals, p):
    k = (len(sorted_vals) - 1) * p / 100
    f, c = math.floor(k), math.ceil(k)
    if f == c:
        return sorted_vals[int(k)]
    return sorted_vals[f] * (c - k) + sorted_vals[c] * (k - f)
print([round(percentile(s, p), 4) for p in (0, 25, 50, 75, 90, 100)])
z = [round((x - mean) / std, 3) for x in data]
print(z)
geo = math.exp(math.fsum(math.log(x) for x in data) / n)
harm = n / math.fsum(1 / x for x in data)
print(round(geo, 6), round(harm, 6), round(math.prod(data), 3))
print(math.isclose(math.fsum(z), 0, abs_tol=1e-9))
