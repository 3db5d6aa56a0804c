# Text normalization for matching: casefold, accent-stripping table, whitespace collapse, slugify.
import re
ACCENTS = {"à": "a", "á": "a", "â": "a", "ä": "a", "ç": "c", "é": "e", "è": "e", "ê": "e", "ë": "e",
           "í": "i", "ï": "i", "ñ": "n", "ó": "o", "ô": "o", "ö": "o", "ú": "u", "ü": "u", "ß": "ss"}
def strip_accents(s):
    return "".join(ACCENTS.get(c, c) for c in s)
def normalize(s):
    s = strip_accents(s.casefold())
    s = re.sub(r"[^\w\s-]", " ", s)
    return re.sub(r"\s+", " ", s).strip()
def slugify(s):
    return re.sub(r"[\s_]+", "-", normalize(s)).strip("-")
titles = ["  Crème Brûlée: A Recipe!  ", "Straße & Café", "NAÏVE   approach_to ML", "Señor Niño's Piñata",
          "Über-Cool\tIdeas", "日本語 テキスト 2024"]
for t in titles:
    print(repr(normalize(t)), slugify(t))
index = {}
for t in titles:
    for tok in normalize(t).split():
        index.setdefault(tok, []).append(titles.index(t))
print(sorted(k for k in index if len(k) > 4))
query = "CAFE strasse"
hits = {i for tok in normalize(query).split() for i in index.get(tok, [])}
print(sorted(hits))
