# inf and nan: creation, arithmetic, comparisons and printing.
inf = float("inf")
nan = float("nan")
print(inf, -inf, nan, repr(inf), repr(nan))
print(float("1e308") * 10, -float("1e308") * 10, 1e308 + 1e308)
print(inf + 1, inf - inf, inf * 0, inf / inf, 1 / inf, -1 / inf)
print(nan == nan, nan != nan, nan < 1, nan > 1, inf > 1e308, -inf < -1e308)
print(inf == inf, inf == float("Infinity"), float("-INF"), float("NaN"))
print(max(1.0, inf), min(-inf, 0))
vals = [3.0, nan, 1.0]
print(nan in [nan], nan in vals, vals.count(nan))
print(int(1e18), type(inf).__name__)
try:
    int(inf)
except OverflowError as e:
    print("OverflowError", e)
try:
    int(nan)
except ValueError as e:
    print("ValueError", e)
print(abs(-inf), -nan != -nan, inf - 1e308 == inf)
