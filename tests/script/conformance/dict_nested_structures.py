# Nested dicts and lists: building, reading, updating and iterating.
users = {
    "u1": {"name": "Ann", "tags": ["admin", "dev"], "stats": {"logins": 5}},
    "u2": {"name": "Bob", "tags": [], "stats": {"logins": 0}},
}
users["u3"] = {"name": "Cy", "tags": ["dev"], "stats": {"logins": 2}}
users["u2"]["tags"].append("guest")
users["u1"]["stats"]["logins"] += 1
for uid, u in users.items():
    print(uid, u["name"], ",".join(u["tags"]) or "-", u["stats"]["logins"])
by_tag = {}
for uid, u in users.items():
    for t in u["tags"]:
        by_tag.setdefault(t, []).append(uid)
print(by_tag)
print(sum(u["stats"]["logins"] for u in users.values()))
print(max(users, key=lambda k: users[k]["stats"]["logins"]))
print(users["u2"])
print({uid: len(u["tags"]) for uid, u in users.items()})
