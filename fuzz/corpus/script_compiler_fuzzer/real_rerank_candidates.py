# Re-ranking candidate dicts: score blending, diversity penalty per category, stable tie-breaks.
candidates = [
    {"id": "a1", "cat": "news", "relevance": 0.91, "fresh_h": 2, "clicks": 120},
    {"id": "b2", "cat": "sports", "relevance": 0.85, "fresh_h": 30, "clicks": 900},
    {"id": "c3", "cat": "news", "relevance": 0.88, "fresh_h": 1, "clicks": 45},
    {"id": "d4", "cat": "music", "relevance": 0.60, "fresh_h": 5, "clicks": 10},
    {"id": "e5", "cat": "news", "relevance": 0.87, "fresh_h": 12, "clicks": 300},
    {"id": "f6", "cat": "sports", "relevance": 0.70, "fresh_h": 3, "clicks": 50},
    {"id": "g7", "cat": "tech", "relevance": 0.88, "fresh_h": 1, "clicks": 45},
]
max_clicks = max(c["clicks"] for c in candidates)
def base_score(c):
    freshness = 1.0 / (1.0 + c["fresh_h"] / 24.0)
    popularity = c["clicks"] / max_clicks
    return round(0.6 * c["relevance"] + 0.25 * freshness + 0.15 * popularity, 6)
scored = sorted(candidates, key=lambda c: (-base_score(c), c["id"]))
for c in scored:
    print("%-3s %-7s %.6f" % (c["id"], c["cat"], base_score(c)))
def rerank(items, penalty=0.1):
    remaining = list(items)
    seen = {}
    out = []
    while remaining:
        best = max(remaining, key=lambda c: (base_score(c) - penalty * seen.get(c["cat"], 0), -ord(c["id"][0])))
        remaining.remove(best)
        seen[best["cat"]] = seen.get(best["cat"], 0) + 1
        out.append(best["id"])
    return out
print(rerank(scored))
print(rerank(scored, penalty=0.0))
print(rerank(scored, penalty=1.0))
top = rerank(scored)[:3]
print({c["cat"] for c in candidates if c["id"] in top} == {"news", "tech", "sports"}, top)
