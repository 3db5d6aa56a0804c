# f-string edge cases: nested quotes, dict/method access, conditional and lambda expressions, format of objects.
data = {"name": "ada", "scores": [90, 85.5], "meta": {"id": 7}}
print(f"{data['name'].title()} has {len(data['scores'])} scores, best {max(data['scores'])}")
print(f"{data['meta']['id']:04d}", f"{data['scores'][1]:.1f}", f"{sum(data['scores']) / 2:.3f}")
x, y = 3, 4
print(f"{x}+{y}={x + y}", f"{x * y:>5}", f"{x if x > y else y}", f"{(lambda a: a ** 2)(x)}")
print(f"{'yes' if x < y else 'no'}", f"{[i for i in range(x)]}", f"{ {k: v for k, v in [('a', 1)]} }")
width, prec = 10, 2
print(f"{3.14159:{width}.{prec}f}|", f"{'left':<{width}}|", f"{42:^{width}d}|")
print(f"{x!r:>4}", f"{'q'!r}", f"{'tab'!r:^9}")
print(f"{x:b} {x:o} {255:x} {255:X} {1e6:,.0f} {0.123:%}")
class P:
    def __str__(self):
        return "P-str"
    def __repr__(self):
        return "P-repr"
p = P()
print(f"{p}", f"{p!r}", f"{p!s}", f"{[p]}")
name = "é"
print(f"{name!a}", f"{name:*^5}", f"{name * 3}")
print(f"{'{'}{'}'}", f"{{x}}", f"{{{x}}}")
