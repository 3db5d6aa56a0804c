# Counting and grouping with plain dicts over event records: totals, top-N, nested groups.
events = [("u1", "click", 3), ("u2", "view", 1), ("u1", "view", 2), ("u3", "click", 5),
          ("u2", "click", 1), ("u1", "click", 4), ("u3", "buy", 20), ("u2", "buy", 15)]
per_user = {}
per_kind = {}
nested = {}
for user, kind, val in events:
    per_user[user] = per_user.get(user, 0) + val
    per_kind.setdefault(kind, []).append(val)
    nested.setdefault(user, {}).setdefault(kind, 0)
    nested[user][kind] += val
print(per_user)
print({k: (len(v), sum(v), max(v)) for k, v in per_kind.items()})
print(nested)
top = sorted(per_user.items(), key=lambda kv: kv[1], reverse=True)[:2]
print(top)
buyers = sorted(u for u, kinds in nested.items() if "buy" in kinds)
print(buyers, {u: sorted(k) for u, k in nested.items()})
share = {u: round(v / sum(per_user.values()), 4) for u, v in per_user.items()}
print(share, round(sum(share.values()), 4))
