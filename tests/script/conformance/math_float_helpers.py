# isnan/isinf/isfinite, isclose, copysign, fmod, modf, frexp, ldexp, fsum.
import math
vals = [0.0, 1.5, -2.0, math.inf, -math.inf, math.nan, 1e308]
for v in vals:
    print(v, math.isnan(v), math.isinf(v), math.isfinite(v))
print(math.isclose(0.1 + 0.2, 0.3), 0.1 + 0.2 == 0.3, math.isclose(1, 1.0001), math.isclose(1, 1.0001, rel_tol=1e-3))
print(math.isclose(0, 1e-10), math.isclose(0, 1e-10, abs_tol=1e-9), math.isclose(math.inf, math.inf))
print(math.copysign(3, -0.0), math.copysign(-2, 1), math.copysign(0.0, -1), math.copysign(5, math.nan) > 0)
print(math.fmod(7, 3), math.fmod(-7, 3), -7 % 3, math.fmod(7.5, -2), math.fmod(0, 5))
print(math.modf(3.75), math.modf(-3.75), math.modf(5.0), math.modf(0.0))
print(math.frexp(8), math.frexp(0.5), math.frexp(0), math.frexp(-12.5), math.frexp(1e-300))
print(math.ldexp(0.5, 4), math.ldexp(1, -1), math.ldexp(-0.75, 3), math.ldexp(*math.frexp(123.456)))
print(math.fsum([0.1] * 10), sum([0.1] * 10), math.fsum([1e100, 1.0, -1e100]), math.fsum([]))
print(math.fsum([1, 2, 3]), type(math.fsum([1])).__name__, math.fsum([0.1, 0.2, 0.3]))
