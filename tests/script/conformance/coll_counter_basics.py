# Counter construction, most_common ordering (ties by insertion), elements, missing keys, repr.
from collections import Counter
c = Counter("abracadabra")
print(c)
print(c.most_common(), c.most_common(2), c.most_common(0))
print(c["a"], c["z"], "z" in c, len(c))
print(sorted(c.elements()), list(Counter(x=2, y=1).elements()))
words = "the cat the dog the end dog".split()
wc = Counter(words)
print(wc, wc.most_common(1)[0])
print(Counter({"a": 3, "b": -1}), Counter(), Counter([1, 1, 2]))
print(dict(Counter("aab")), list(Counter("bca")), repr(Counter(a=1)))
c2 = Counter()
for ch in "hello":
    c2[ch] += 1
print(c2, c2.most_common(3))
del c2["l"]
print(c2, sum(c2.values()))
print(Counter("aaabbc") == Counter("abcaab"), isinstance(c, dict))
