# Iterating over strings and building new strings character by character.
s = "Hello, Wörld! 123"
vowels = 0
digits = []
out = []
for ch in s:
    if ch.lower() in "aeiouö":
        vowels += 1
    if ch.isdigit():
        digits.append(int(ch))
    out.append(ch.upper() if ch.islower() else ch.lower())
print(vowels, digits, sum(digits), "".join(out))
print([c for c in s if c.isalpha()])
freq = {}
for c in "mississippi":
    freq[c] = freq.get(c, 0) + 1
print(freq)
print(sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])))
acc = ""
for i in range(5):
    acc += str(i) * i
print(acc, len(acc))
print(list(enumerate("abc", 1)), list(zip("abc", "xyz")))
