# Trigonometric functions, atan2 quadrants, hypot, dist, degrees and radians.
import math
for deg in [0, 30, 45, 60, 90, 180, 270, 360]:
    r = math.radians(deg)
    print(deg, round(r, 6), round(math.sin(r), 6), round(math.cos(r), 6), round(math.degrees(r), 6))
print(math.sin(0), math.cos(0), math.tan(0), math.sin(math.pi / 2), math.cos(math.pi))
print(math.asin(1), math.acos(0), math.atan(1), math.asin(0.5), math.acos(-1))
for y, x in [(1, 1), (1, -1), (-1, -1), (-1, 1), (0, -1), (0, 1), (1, 0), (0.0, -0.0)]:
    print(y, x, math.atan2(y, x))
print(math.hypot(3, 4), math.hypot(5, 12), math.hypot(1, 1, 1), math.hypot(), math.hypot(-3))
print(math.dist((0, 0), (3, 4)), math.dist([1, 2, 3], [4, 6, 3]), math.dist((1.5,), (-1.5,)))
print(math.tan(math.pi / 4), math.degrees(math.pi), math.radians(180) == math.pi)
print(math.pi, math.e, math.tau, math.inf, -math.inf, math.nan)
