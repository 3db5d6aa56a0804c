# Weighted random choices after seeding: empirical frequencies and a seeded A/B bucket assignment.
import random
random.seed(4242)
options = ["a", "b", "c", "d"]
weights = [0.5, 0.3, 0.15, 0.05]
draws = random.choices(options, weights=weights, k=2000)
freq = {o: draws.count(o) for o in options}
print(freq, [round(freq[o] / 2000, 3) for o in options])
random.seed("experiment-7")
users = ["user%02d" % i for i in range(12)]
assign = {u: ("B" if random.random() < 0.5 else "A") for u in users}
print(assign)
print(sorted(u for u, g in assign.items() if g == "B"))
random.seed(8)
sample = random.sample(users, 4)
random.shuffle(users)
print(sample, users[:4], random.randrange(0, 101, 10), random.choice(users))
random.seed(8)
print(sample == random.sample(sorted(users), 4))
