# A bigram text model: counts, conditional probabilities and seeded generation.
import random
from collections import defaultdict, Counter
corpus = """the cat sat on the mat . the dog sat on the log . the cat saw the dog .
a dog and a cat sat together . the end ."""
tokens = corpus.split()
bigrams = defaultdict(Counter)
for a, b in zip(tokens, tokens[1:]):
    bigrams[a][b] += 1
for w in ["the", "sat", "cat", "."]:
    total = sum(bigrams[w].values())
    probs = {nxt: round(c / total, 3) for nxt, c in sorted(bigrams[w].items())}
    print(w, total, probs)
random.seed(5)
def generate(start, n):
    out = [start]
    for _ in range(n):
        nxt = bigrams.get(out[-1])
        if not nxt:
            break
        words = sorted(nxt)
        out.append(random.choices(words, weights=[nxt[w] for w in words])[0])
    return " ".join(out)
for start in ["the", "a", "dog"]:
    print(generate(start, 8))
unigram = Counter(tokens)
print(unigram.most_common(4), len(unigram))
