# String comparison is lexicographic by code point; sorting mixed case and Unicode.
print("a" < "b", "Z" < "a", "abc" < "abd", "ab" < "abc", "" < "a", "é" > "z")
print("apple" == "apple", "Apple" != "apple", "10" < "9", "b" > "abc")
words = ["banana", "Apple", "cherry", "apple", "Éclair", "éclair", "date", "Banana", "日本", "10", "9"]
print(sorted(words))
print(sorted(words, key=lambda w: w.lower()))
print(sorted(words, key=len))
print(sorted(words, key=lambda w: (len(w), w), reverse=True))
print(max(words), min(words), max(words, key=len))
try:
    "a" < 1
except TypeError as e:
    print("TypeError", e)
print("abc" * 2 == "abcabc", "a" in "abc", "ac" in "abc")
