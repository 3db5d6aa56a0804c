# str.count with ranges, non-overlapping semantics, and the `in` operator on substrings.
s = "abababab"
print(s.count("ab"), s.count("aba"), s.count("b", 3), s.count("ab", 1, 6), s.count("x"), s.count(""))
print("".count(""), "".count("a"), "aaa".count("a", -2), "héhé".count("é"))
dna = "ATGCGATACGCTTGA"
print({b: dna.count(b) for b in "ACGT"}, round(100 * (dna.count("G") + dna.count("C")) / len(dna), 2))
print("GAT" in dna, "gat" in dna, "gat" in dna.lower(), "" in dna)
text = "to be or not to be"
print(text.count("be"), text.count(" "), len(text.split()), text.count("o", 0, 5))
word_counts = {w: text.split().count(w) for w in text.split()}
print(word_counts)
print(sum(1 for i in range(len(s)) if s.startswith("aba", i)))
print("😀😀x".count("😀"), "日本日本".count("日本"), "日本日本".find("本", 2))
