# random seeded with strings (version 2 seeding) gives reproducible sequences.
import random
random.seed("edgeflow")
print([round(random.random(), 12) for _ in range(3)])
print([random.randint(0, 100) for _ in range(8)])
random.seed("")
print(random.random())
random.seed("héllo 日本")
print(random.random(), random.choice("abcdef"))
random.seed("edgeflow")
print(round(random.random(), 12))
for s in ["a", "b", "abc", "ABC"]:
    random.seed(s)
    print(s, random.randrange(1000))
