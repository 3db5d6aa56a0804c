# Aggregating records with sum/min/max/sorted using key functions over dicts and tuples.
orders = [{"id": 1, "cust": "ann", "amount": 25.5, "items": 3}, {"id": 2, "cust": "bob", "amount": 99.0, "items": 1},
          {"id": 3, "cust": "ann", "amount": 12.25, "items": 5}, {"id": 4, "cust": "cy", "amount": 99.0, "items": 2}]
print(sum(o["amount"] for o in orders), sum(o["items"] for o in orders))
print(max(orders, key=lambda o: o["amount"])["id"], min(orders, key=lambda o: o["amount"])["id"])
print(max(orders, key=lambda o: (o["amount"], -o["id"]))["id"])
print([o["id"] for o in sorted(orders, key=lambda o: (-o["amount"], o["id"]))])
by_cust = {}
for o in orders:
    by_cust[o["cust"]] = by_cust.get(o["cust"], 0) + o["amount"]
print(max(by_cust.items(), key=lambda kv: kv[1]), sorted(by_cust, key=by_cust.get))
print(round(sum(o["amount"] for o in orders) / len(orders), 4))
print(min((o["amount"], o["id"]) for o in orders), max(o["items"] for o in orders if o["cust"] == "ann"))
print(sum(1 for o in orders if o["amount"] > 20), any(o["items"] > 4 for o in orders), all(o["amount"] > 10 for o in orders))
print(max((o for o in orders if o["cust"] == "zed"), key=lambda o: o["amount"], default=None))
