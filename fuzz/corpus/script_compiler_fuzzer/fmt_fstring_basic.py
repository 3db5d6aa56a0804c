# f-strings with expressions, method calls, nested quotes and conversions.
name, n, items = "Zoë", 3, ["a", "b"]
print(f"hello {name}", f"{n + 1}", f"{n * 2.5}", f"{name.upper()}")
print(f"{items}", f"{items[0]}", f"{len(items)}", f"{ {'k': 1}['k'] }")
print(f"{name!r}", f"{name!s}", f"{name!a}")
print(f"{'nested'}", f'{"double"}', f"""{"triple"}""")
print(f"{n if n > 2 else 0}", f"{[i * i for i in range(n)]}")
print(f"{{braces}} {n}", f"{{{n}}}")
d = {"x": 1, "y": 2}
print(f"{d['x'] + d['y']}", f"{sum(d.values())}")
print(f"{3.14159:.2f}", f"{n:03d}", f"{name:>6}", f"{name:*^9}")
print(f"{None}", f"{True}", f"{1e100}", f"{-0.0}")
x = 10
print(f"{x}{x}", f"{'-' * x}", f"{x // 3}/{x % 3}")
print(f"{(lambda v: v * 2)(4)}", f"{'a' 'b'}")
multi = (f"first {n} "
         f"second {name}")
print(multi)
