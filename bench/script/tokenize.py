# String tokenising and counting: a text built from a fixed word list with an
# LCG (random case, punctuation, line breaks), then lower/split/strip with str
# methods, unigram and bigram counts in dicts, top-k with sorted(key=lambda).

WORDS = ["the", "model", "runs", "on", "device", "with", "low", "latency", "and", "events",
         "are", "stored", "locally", "before", "a", "task", "computes", "features", "for",
         "ranking", "items", "user", "clicks", "view", "page", "search", "query", "results",
         "battery", "network", "offline", "sync", "privacy", "bundle", "script", "trigger",
         "window", "count", "score", "top", "it", "is", "not", "of", "to", "in", "fast",
         "small", "memory", "cache", "update", "weights", "tensor", "graph", "node", "edge"]
PUNCT = ["", "", "", "", ",", ".", ";", ":", "!", "?"]
N_DOCS = 16
N_WORDS = 60000
TOP_K = 10


def make_text(seed):
    x = seed
    lines = []
    line = []
    for _ in range(N_WORDS):
        x = (x * 1103515245 + 12345) % 2147483648
        w = WORDS[(x >> 8) % len(WORDS)]
        r = (x >> 4) % 16
        if r == 0:
            w = w.upper()
        elif r < 3:
            w = w.capitalize()
        elif r == 3:
            w = "(" + w + ")"
        elif r == 4:
            w = '"' + w + '"'
        w = w + PUNCT[(x >> 12) % len(PUNCT)]
        line.append(w)
        if (x >> 16) % 12 == 0:
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    return "\n".join(lines)


def tokenize(text):
    tokens = []
    for line in text.lower().split("\n"):
        for raw in line.split():
            tok = raw.strip(".,;:!?\"'()")
            if tok and tok.isalpha():
                tokens.append(tok)
    return tokens


def count(tokens):
    uni = {}
    bi = {}
    prev = None
    for t in tokens:
        uni[t] = uni.get(t, 0) + 1
        if prev is not None:
            key = prev + " " + t
            if key in bi:
                bi[key] += 1
            else:
                bi[key] = 1
        prev = t
    return uni, bi


def top_k(counts, k):
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


def main():
    total = {}
    n_chars = n_tokens = n_sentences = starts = letters = 0
    for doc in range(N_DOCS):
        text = make_text(12345 + doc * 7919)
        sentences = text.replace("!", ".").replace("?", ".").split(".")
        n_sentences += len([s for s in sentences if s.strip()])
        tokens = tokenize(text)
        uni, bi = count(tokens)
        for w, c in uni.items():
            total[w] = total.get(w, 0) + c
        starts += sum([1 for t in tokens if t.startswith("s")])
        letters += sum([len(t) for t in tokens])
        n_chars += len(text)
        n_tokens += len(tokens)
    long_words = sorted(set([t for t in tokens if len(t) >= 7]), key=lambda w: (-len(w), w))
    print("tokenize docs=%d chars=%d tokens=%d distinct=%d sentences=%d starts_s=%d letters=%d" %
          (N_DOCS, n_chars, n_tokens, len(total), n_sentences, starts, letters))
    print("top", top_k(total, TOP_K))
    print("last doc bigrams=%d" % len(bi), ["%s=%d" % kv for kv in top_k(bi, 5)])
    print("long", long_words[:5], text.find("privacy"), text.count("Device"))


main()
