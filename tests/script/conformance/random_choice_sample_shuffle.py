# choice, choices (k, weights, cum_weights), sample and shuffle after seeding.
import random
random.seed(7)
items = ["red", "green", "blue", "cyan", "magenta"]
print([random.choice(items) for _ in range(6)])
print(random.choices(items, k=8))
print(random.choices(items, weights=[10, 1, 1, 1, 1], k=8))
print(random.choices(items, cum_weights=[1, 2, 3, 4, 100], k=5))
print(random.choices(range(3), k=4), random.choices([1], k=0))
print(random.sample(items, 3), random.sample(range(100), 5), random.sample(items, len(items)))
deck = list(range(10))
random.shuffle(deck)
print(deck)
random.shuffle(deck)
print(deck)
s = list("abcdef")
random.shuffle(s)
print("".join(s), random.choice((1, 2, 3)), random.choice(range(1000)))
try:
    random.choice([])
except IndexError as e:
    print("IndexError", e)
try:
    random.sample([1, 2], 3)
except ValueError as e:
    print("ValueError", e)
