# Counter for character and word statistics, comparisons of counters, and top-k with ties.
from collections import Counter
text = "It was the best of times, it was the worst of times, it was the age of wisdom"
words = [w.strip(",").lower() for w in text.split()]
wc = Counter(words)
print(wc.most_common(4))
letters = Counter(c for c in text.lower() if c.isalpha())
print(letters.most_common(5), sum(letters.values()), len(letters))
vowels = Counter({k: v for k, v in letters.items() if k in "aeiou"})
print(vowels, sorted(vowels.elements())[:5])
a, b = Counter("listen"), Counter("silent")
print(a == b, Counter("aab") == Counter("abb"), (Counter("aab") - Counter("ab")), dict(Counter("aab") & Counter("abb")))
c = Counter()
c.update(words[:5])
c.update(words[5:10])
print(c.most_common(3), c["it"], c["nothing"])
top_count = wc.most_common(1)[0][1]
print(sorted(w for w, n in wc.items() if n == top_count))
