# re.split with character classes, maxsplit, capturing groups and empty matches.
import re
print(re.split(r"[,;\s]+", "a, b;c  d,,e"))
print(re.split(r",", "a,b,c,d", maxsplit=2), re.split(r",", "a,b,c", 1))
print(re.split(r"(,)", "a,b,c"), re.split(r"(\d)", "a1b2c"), re.split(r"(-)|(\+)", "1-2+3"))
print(re.split(r"\s*", "a b"), re.split(r"x", ""), re.split(r"x", "axbxc"))
print(re.split(r"\b", "hi there"), re.split(r"(?<=\d)(?=[a-z])", "12ab34cd"))
print(re.split(r"\W+", "Words, words, words."), re.split(r"(\W+)", "Words, words."))
print(re.compile(r"\d+").split("a1b22c333d"), re.split(r"[aeiou]", "education", flags=re.I))
print(re.split(r"\n", "l1\nl2\n"), re.split(r"^$", "a\n\nb", flags=re.M))
