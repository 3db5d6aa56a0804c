# Tokenize text (lowercase, strip punctuation, stopwords), count terms, bigrams and doc frequency.
import re
from collections import Counter
docs = [
    "The quick brown fox jumps over the lazy dog.",
    "A quick brown dog outpaces a quick fox!",
    "Lazy dogs sleep; foxes don't. The end?",
]
STOP = {"the", "a", "over", "don't"}
def tokenize(text):
    return [t for t in re.findall(r"[a-z']+", text.lower()) if t not in STOP]
tokens = [tokenize(d) for d in docs]
for t in tokens:
    print(t)
tf = Counter(tok for doc in tokens for tok in doc)
print(tf.most_common(5))
df = Counter(tok for doc in tokens for tok in set(doc))
print(sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
bigrams = Counter((a, b) for doc in tokens for a, b in zip(doc, doc[1:]))
print(bigrams.most_common(3))
vocab = {w: i for i, w in enumerate(sorted(tf))}
print(len(vocab), vocab["quick"], [vocab[w] for w in tokens[1]])
lengths = Counter(len(w) for w in tf)
print(sorted(lengths.items()))
