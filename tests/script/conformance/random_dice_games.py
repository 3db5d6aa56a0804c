# Seeded dice and card games: rolls, shuffled deck deals and a reproducible tournament.
import random
random.seed(1234)
rolls = [random.randint(1, 6) for _ in range(20)]
print(rolls, sum(rolls), max(rolls), rolls.count(6))
suits, ranks = "SHDC", "23456789TJQKA"
deck = [r + s for s in suits for r in ranks]
random.shuffle(deck)
hands = [deck[i * 5:(i + 1) * 5] for i in range(4)]
for i, h in enumerate(hands):
    print("player", i, h, sorted(h, key=lambda c: ranks.index(c[0]), reverse=True)[0])
players = ["ann", "bob", "cy", "dee"]
wins = dict.fromkeys(players, 0)
for rnd in range(10):
    scores = {p: random.randint(1, 6) + random.randint(1, 6) for p in players}
    best = max(scores.values())
    winners = [p for p in players if scores[p] == best]
    wins[random.choice(winners)] += 1
print(wins, max(wins, key=wins.get))
