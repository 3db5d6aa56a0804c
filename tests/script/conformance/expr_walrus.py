# Assignment expressions (walrus) in if, while, comprehensions and function arguments.
data = [5, 12, 7, 30, 2]
if (n := len(data)) > 3:
    print("long list", n)
values = iter([3, 8, 0, 4])
while (v := next(values)) != 0:
    print("value", v)
print([y for x in data if (y := x * 2) > 15])
print([last := x for x in range(3)], last)
def f(x):
    return x * 10
print([r for x in data if (r := f(x)) % 20 == 0])
text = "key1=val1;key2=val2;bad;key3=val3"
pairs = {}
for chunk in text.split(";"):
    if (i := chunk.find("=")) != -1:
        pairs[chunk[:i]] = chunk[i + 1:]
print(pairs)
total = 0
print([total := total + x for x in data], total)
print((z := 5) + z, z)
import re
if (m := re.search(r"(\d+)", "abc 123 def")) is not None:
    print(m.group(1))
