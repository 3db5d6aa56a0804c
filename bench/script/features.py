# On-device feature processing: synthetic behaviour events (dicts) built with
# an LCG, then per-user and per-item aggregation recomputed after every batch
# of events, as a task triggered by new events would: windowed counts, last-N
# sequences, normalised category preferences, price statistics, top-item
# ranking with sorted(key=lambda). Dict/list/str heavy, little arithmetic.

N_EVENTS = 6000
BATCH = 25
WINDOWS = [60, 300, 3600]
TYPES = ["view", "click", "add_cart", "purchase", "search", "scroll"]
TYPE_CUMULATIVE = [40, 65, 73, 76, 88, 100]
TYPE_WEIGHT = {"view": 1.0, "click": 2.0, "add_cart": 4.0, "purchase": 8.0, "search": 0.5, "scroll": 0.25}
PAGES = ["home", "search", "detail", "cart", "checkout", "profile", "feed"]
CATEGORIES = ["shoes", "books", "phones", "toys", "garden", "food", "music",
              "sports", "beauty", "games", "tools", "office"]
N_ITEMS = 400
N_USERS = 40
LAST_N = 20
HALF_LIFE_S = 1800.0


class Lcg:
    def __init__(self, seed):
        self.x = seed

    def next(self):
        # Every intermediate stays below 2**62.
        self.x = (self.x * 1103515245 + 12345) % 2147483648
        return self.x

    def below(self, n):
        return (self.next() >> 8) % n


def make_catalog(rng):
    items = []
    for i in range(N_ITEMS):
        cat = CATEGORIES[rng.below(len(CATEGORIES))]
        price = 1.0 + rng.below(20000) / 100.0
        items.append({"id": "item%03d" % i, "cat": cat, "price": price})
    return items


def make_events(rng, items):
    events = []
    ts = 1700000000
    for _ in range(N_EVENTS):
        ts += 1 + rng.below(30)
        roll = rng.below(100)
        kind = TYPES[0]
        for t, edge in zip(TYPES, TYPE_CUMULATIVE):
            if roll < edge:
                kind = t
                break
        item = items[rng.below(N_ITEMS)]
        # Users have a skewed activity distribution.
        user = "u%02d" % (rng.below(N_USERS) * rng.below(N_USERS) // N_USERS)
        ev = {"type": kind, "page": PAGES[rng.below(len(PAGES))], "item": item["id"],
              "cat": item["cat"], "price": item["price"], "ts": ts, "user": user,
              "dwell_ms": 200 + rng.below(5000)}
        if kind == "search":
            ev["query"] = item["cat"] + " " + str(rng.below(10))
        events.append(ev)
    return events


def user_features(uid, evs, now):
    counts = {}
    for w in WINDOWS:
        per_type = {}
        for t in TYPES:
            per_type[t] = 0
        counts[w] = per_type
    seq = []
    cat_seq = []
    pref = {}
    prices = []
    pages = {}
    dwell = 0
    for ev in evs:
        age = now - ev["ts"]
        for w in WINDOWS:
            if age <= w:
                counts[w][ev["type"]] += 1
        seq.append(ev["item"])
        if len(seq) > LAST_N:
            seq = seq[-LAST_N:]
        if not cat_seq or cat_seq[-1] != ev["cat"]:
            cat_seq.append(ev["cat"])
        decay = 0.5 ** (age / HALF_LIFE_S)
        pref[ev["cat"]] = pref.get(ev["cat"], 0.0) + TYPE_WEIGHT[ev["type"]] * decay
        if ev["type"] in ("add_cart", "purchase"):
            prices.append(ev["price"])
        pages[ev["page"]] = pages.get(ev["page"], 0) + 1
        dwell += ev["dwell_ms"]
    norm = sum([v * v for v in pref.values()]) ** 0.5
    vector = [pref.get(c, 0.0) / norm if norm > 0 else 0.0 for c in CATEGORIES]
    if prices:
        mean = sum(prices) / len(prices)
        var = sum([(p - mean) ** 2 for p in prices]) / len(prices)
        stats = {"n": len(prices), "mean": mean, "min": min(prices), "max": max(prices), "std": var ** 0.5}
    else:
        stats = {"n": 0, "mean": 0.0, "min": 0.0, "max": 0.0, "std": 0.0}
    top_cats = sorted(pref.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    top_page = max(sorted(pages), key=lambda p: pages[p])
    return {"user": uid, "counts": counts, "last_items": seq, "last_cats": cat_seq[-10:],
            "pref": vector, "price": stats, "top_cats": [c for c, _ in top_cats],
            "top_page": top_page, "mean_dwell_ms": dwell / len(evs)}


def item_scores(events, now):
    agg = {}
    for ev in events:
        a = agg.get(ev["item"])
        if a is None:
            a = {"view": 0, "click": 0, "add_cart": 0, "purchase": 0, "recent": 0, "users": set()}
            agg[ev["item"]] = a
        if ev["type"] in a:
            a[ev["type"]] += 1
        if now - ev["ts"] <= 3600:
            a["recent"] += 1
        a["users"].add(ev["user"])
    scored = []
    for item, a in agg.items():
        ctr = (a["click"] + 1.0) / (a["view"] + 10.0)
        cvr = (a["purchase"] + 0.5) / (a["click"] + a["add_cart"] + 5.0)
        score = ctr * cvr * (1.0 + a["recent"]) ** 0.5 * len(a["users"])
        scored.append((item, score))
    return sorted(scored, key=lambda s: (-s[1], s[0]))[:20]


def main():
    rng = Lcg(20240607)
    items = make_catalog(rng)
    events = make_events(rng, items)
    checksum = 0.0
    n_features = 0
    heaviest = None
    top = []
    for end in range(BATCH, N_EVENTS + 1, BATCH):
        seen = events[:end]
        now = seen[-1]["ts"]
        by_user = {}
        for ev in seen:
            if ev["user"] in by_user:
                by_user[ev["user"]].append(ev)
            else:
                by_user[ev["user"]] = [ev]
        for uid in sorted(by_user):
            f = user_features(uid, by_user[uid], now)
            n_features += 1
            checksum += sum(f["pref"]) + f["price"]["mean"] / 100.0 + f["counts"][3600]["view"]
            checksum += len(f["last_items"]) + f["mean_dwell_ms"] / 1000.0
            if uid == "u00":
                heaviest = f
        top = item_scores(seen, now)
        checksum += top[0][1]
    print("features users=%d features=%d checksum=%.6f" % (len(by_user), n_features, checksum))
    h = heaviest
    print(h["user"], h["top_cats"], h["top_page"], h["last_items"][-3:], h["last_cats"][-3:],
          "%.4f %.4f %d" % (h["price"]["mean"], h["price"]["std"], h["counts"][300]["click"]))
    print("top", [name for name, _ in top[:5]], "%.6f" % top[0][1])


main()
