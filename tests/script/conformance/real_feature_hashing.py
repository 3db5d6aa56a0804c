# Feature hashing with a deterministic FNV-1a hash (masked to 32 bits) into fixed buckets.
def fnv1a(s):
    h = 0x811C9DC5
    for ch in [ord(c) for c in s]:
        h ^= ch
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h
def hash_features(feats, n_buckets=16):
    vec = [0.0] * n_buckets
    for name, value in sorted(feats.items()):
        h = fnv1a(name)
        sign = 1 if (h >> 31) & 1 == 0 else -1
        vec[h % n_buckets] += sign * value
    return vec
print([fnv1a(s) for s in ["", "a", "foobar", "héllo"]])
rows = [
    {"user=ann": 1, "country=fr": 1, "clicks": 3.0},
    {"user=bob": 1, "country=us": 1, "clicks": 0.5, "premium": 1},
    {"user=ann": 1, "country=us": 1},
]
for r in rows:
    v = hash_features(r)
    print([round(x, 2) for x in v], sum(1 for x in v if x))
buckets = {}
for i in range(200):
    b = fnv1a("feat%d" % i) % 8
    buckets[b] = buckets.get(b, 0) + 1
print(sorted(buckets.items()))
