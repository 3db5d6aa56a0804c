# Tuples as lightweight records: sorting, grouping, comparison, unpacking and counting.
people = [("ann", 31, "nyc"), ("bob", 25, "sf"), ("cy", 31, "la"), ("dee", 22, "nyc")]
NAME, AGE, CITY = range(3)
print(sorted(people, key=lambda p: (p[AGE], p[NAME])))
print(max(people, key=lambda p: p[AGE])[NAME], min(people)[NAME], sorted(people)[-1])
by_city = {}
for name, age, city in people:
    by_city.setdefault(city, []).append((age, name))
print({c: sorted(v) for c, v in sorted(by_city.items())})
print((1, 2, 3) < (1, 2, 4), (1, 2) < (1, 2, 0), ("a", 1) < ("a", 2), (2,) > (1, 99))
ages = tuple(p[AGE] for p in people)
print(ages, ages.count(31), ages.index(25), sum(ages) / len(ages), sorted(set(ages)))
t = ("x",) + ages[:2] + ("y",) * 2
print(t, len(t), t[::-1], t[1:3])
point = 3, 4
x, y = point
print(point, (x ** 2 + y ** 2) ** 0.5, point == (3, 4), list(point))
