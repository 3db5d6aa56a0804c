# Re-seeding replays the same stream; different call mixes consume the stream consistently.
import random
def draw():
    return (random.random(), random.randint(1, 100), random.choice("abcdefg"),
            random.randrange(0, 1000, 3), random.uniform(-1, 1), random.getrandbits(40))
random.seed(17)
a = draw()
random.seed(17)
b = draw()
print(a == b)
print(a)
random.seed(17)
random.random()
c = draw()
print(c != a, c)
for seed in [0, 1, 255, 2 ** 31, 2 ** 32 + 1, 10 ** 15]:
    random.seed(seed)
    print(seed, random.randint(0, 10 ** 6), round(random.random(), 15))
random.seed(3)
lst = list(range(8))
random.shuffle(lst)
pick = random.sample(lst, 2)
print(lst, pick, random.choices(lst, k=3))
