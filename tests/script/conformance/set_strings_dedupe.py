# Deduplicating strings with sets while preserving order, and printing small str sets.
words = "the cat and the hat and the bat".split()
seen = set()
unique = []
for w in words:
    if w not in seen:
        seen.add(w)
        unique.append(w)
print(unique, len(seen))
print(sorted(seen))
print(list(dict.fromkeys(words)))
vowels = set("aeiou")
print(sorted(vowels & set("education")), sorted(set("hello") - vowels))
print({"a"}, {"x"} | {"x"})
tags_a = {"ml", "edge", "cpp"}
tags_b = {"edge", "python"}
print(sorted(tags_a & tags_b), sorted(tags_a ^ tags_b), len(tags_a | tags_b))
print("ml" in tags_a, "ML" in tags_a, "ml".upper() in {t.upper() for t in tags_a})
