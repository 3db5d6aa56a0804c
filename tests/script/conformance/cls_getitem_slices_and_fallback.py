# __getitem__ receiving ints and slice objects; iteration and `in` fall back to __getitem__.
class Seq:
    def __init__(self, n):
        self.n = n
    def __len__(self):
        return self.n
    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return [self[i] for i in range(*idx.indices(self.n))]
        if idx < 0:
            idx += self.n
        if not 0 <= idx < self.n:
            raise IndexError("Seq index out of range")
        return idx * idx
s = Seq(6)
print(s[2], s[-1], s[1:4], s[::2], s[::-1], s[slice(1, None, 3)])
print(list(s), 16 in s, 3 in s, sum(s), max(s), sorted(s, reverse=True)[:2])
for i, v in enumerate(s):
    if i > 2:
        break
    print(i, v)
try:
    s[10]
except IndexError as e:
    print("IndexError", e)
class Words:
    def __init__(self, text):
        self.words = text.split()
    def __getitem__(self, i):
        return self.words[i].upper()
w = Words("alpha beta gamma")
print(list(w), "BETA" in w, "beta" in w, [x for x in w if "A" in x])
a, b, c = w
print(a, b, c)
