# gauss and uniform draws after seeding; summary stats of a seeded sample.
import random
random.seed(2024)
g = [random.gauss(0, 1) for _ in range(6)]
print(g)
print([random.gauss(10, 2.5) for _ in range(3)])
u = [random.uniform(0, 10) for _ in range(4)]
print(u)
random.seed(99)
sample = [random.gauss(5, 1) for _ in range(1000)]
mean = sum(sample) / len(sample)
print(round(mean, 10), round(min(sample), 10), round(max(sample), 10))
random.seed(1)
print(random.uniform(5, 5), random.uniform(3, 1))
random.seed(1)
x = random.gauss(0, 1)
random.seed(1)
print(x == random.gauss(0, 1))
