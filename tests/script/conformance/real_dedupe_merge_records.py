# Deduplicate customer records by normalized email/phone and merge fields with precedence rules.
import re
records = [
    {"id": 1, "name": "Ann Smith", "email": "Ann.Smith@Example.com ", "phone": "(555) 123-4567", "updated": 3},
    {"id": 2, "name": "ann smith", "email": "ann.smith@example.com", "phone": None, "updated": 5},
    {"id": 3, "name": "Bob Jones", "email": None, "phone": "555.987.6543", "updated": 1},
    {"id": 4, "name": "Robert Jones", "email": "bob@jones.io", "phone": "5559876543", "updated": 4},
    {"id": 5, "name": "Cy", "email": "cy@x.org", "phone": "", "updated": 2},
]
def norm_email(e):
    return e.strip().lower() if e else None
def norm_phone(p):
    digits = re.sub(r"\D", "", p or "")
    return digits or None
parent = {r["id"]: r["id"] for r in records}
def find(i):
    while parent[i] != i:
        i = parent[i]
    return i
seen = {}
for r in records:
    for key in (("e", norm_email(r["email"])), ("p", norm_phone(r["phone"]))):
        if key[1] is None:
            continue
        if key in seen:
            parent[find(r["id"])] = find(seen[key])
        else:
            seen[key] = r["id"]
groups = {}
for r in records:
    groups.setdefault(find(r["id"]), []).append(r)
for root, rs in sorted(groups.items()):
    rs.sort(key=lambda r: -r["updated"])
    merged = {"ids": sorted(r["id"] for r in rs)}
    for field in ("name", "email", "phone"):
        merged[field] = next((r[field] for r in rs if r[field]), None)
    merged["email"] = norm_email(merged["email"])
    merged["phone"] = norm_phone(merged["phone"])
    print(merged)
