# A seeded Monte Carlo simulation: dice histogram and random walk, reproducible run to run.
import random
random.seed(31337)
hist = {}
for _ in range(2000):
    total = random.randint(1, 6) + random.randint(1, 6)
    hist[total] = hist.get(total, 0) + 1
for k in sorted(hist):
    print(k, hist[k], "#" * (hist[k] // 20))
pos, path = 0, []
for _ in range(30):
    pos += random.choice([-1, 1])
    path.append(pos)
print(path, max(path), min(path))
inside = 0
for _ in range(5000):
    x, y = random.random(), random.random()
    if x * x + y * y <= 1:
        inside += 1
print(inside, 4 * inside / 5000)
