# Nested comprehensions over realistic nested data: flattening, pivoting and filtering.
orders = [
    {"id": 1, "lines": [{"sku": "a", "qty": 2, "price": 3.0}, {"sku": "b", "qty": 1, "price": 10.0}]},
    {"id": 2, "lines": [{"sku": "a", "qty": 5, "price": 2.5}]},
    {"id": 3, "lines": []},
    {"id": 4, "lines": [{"sku": "c", "qty": 1, "price": 99.0}, {"sku": "b", "qty": 3, "price": 9.0}]},
]
flat = [(o["id"], l["sku"], l["qty"] * l["price"]) for o in orders for l in o["lines"]]
print(flat)
totals = {o["id"]: sum(l["qty"] * l["price"] for l in o["lines"]) for o in orders}
print(totals)
skus = sorted({l["sku"] for o in orders for l in o["lines"]})
pivot = {s: [sum(l["qty"] for l in o["lines"] if l["sku"] == s) for o in orders] for s in skus}
print(pivot)
print([o["id"] for o in orders if any(l["price"] > 50 for l in o["lines"])])
print([o["id"] for o in orders if all(l["qty"] >= 2 for l in o["lines"])])
matrix = [[l["qty"] if l else 0 for l in (o["lines"] + [None, None])[:2]] for o in orders]
print(matrix, [sum(col) for col in zip(*matrix)])
print({sku: max((l["price"], o["id"]) for o in orders for l in o["lines"] if l["sku"] == sku) for sku in skus})
