# re.sub with a stateful callback: numbering matches, case-preserving replacement, masking.
import re
counter = {"n": 0}
def number(m):
    counter["n"] += 1
    return "[%d:%s]" % (counter["n"], m.group())
print(re.sub(r"\b\w{4,}\b", number, "the quick brown fox jumped over lazy dogs"))
def keep_case(word):
    def repl(m):
        g = m.group()
        if g.isupper():
            return word.upper()
        if g[0].isupper():
            return word.capitalize()
        return word
    return repl
print(re.sub(r"(?i)colour", keep_case("color"), "Colour, COLOUR, colour."))
def mask(m):
    s = m.group()
    return s[:2] + "*" * (len(s) - 4) + s[-2:]
print(re.sub(r"\d{8,}", mask, "cards 1234567890123456 and 87654321, short 123"))
seen = {}
def dedupe(m):
    w = m.group().lower()
    seen[w] = seen.get(w, 0) + 1
    return m.group() if seen[w] == 1 else "<dup>"
print(re.sub(r"\w+", dedupe, "a b A c b a"), sorted(seen.items()))
print(re.subn(r"(\d+)", lambda m: str(int(m.group(1)) + 1), "v1.9.10"))
