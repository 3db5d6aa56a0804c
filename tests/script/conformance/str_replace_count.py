# str.replace with counts, empty patterns and overlapping candidates.
s = "the cat sat on the mat with the hat"
print(s.replace("the", "THE"))
print(s.replace("the", "THE", 1), s.replace("the", "THE", 2))
print(s.replace("at", ""), s.replace("zzz", "q"))
print("aaaa".replace("aa", "b"), "aaa".replace("aa", "b"))
print("abc".replace("", "-"), "abc".replace("", "-", 2))
print("".replace("", "x"), "abc".replace("b", "b"))
print("a.b.c".replace(".", "", -1), "x".replace("x", "yy") * 2)
print("héllo wörld".replace("ö", "o").replace("é", "e"))
print("one two one".replace("one", "1", 0))
text = "a\tb\tc"
print(text.replace("\t", "    "))
