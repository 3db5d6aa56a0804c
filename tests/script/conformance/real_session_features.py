# Session feature extraction over an event list: gaps split sessions, per-session aggregates.
events = [
    {"user": "u1", "t": 0, "type": "open"}, {"user": "u1", "t": 30, "type": "click"},
    {"user": "u2", "t": 45, "type": "open"}, {"user": "u1", "t": 50, "type": "click"},
    {"user": "u1", "t": 4000, "type": "open"}, {"user": "u2", "t": 60, "type": "buy"},
    {"user": "u1", "t": 4010, "type": "buy"}, {"user": "u2", "t": 9000, "type": "open"},
    {"user": "u1", "t": 4100, "type": "close"},
]
GAP = 1800
by_user = {}
for e in sorted(events, key=lambda e: (e["user"], e["t"])):
    by_user.setdefault(e["user"], []).append(e)
features = []
for user, evs in by_user.items():
    sessions = [[evs[0]]]
    for prev, cur in zip(evs, evs[1:]):
        if cur["t"] - prev["t"] > GAP:
            sessions.append([])
        sessions[-1].append(cur)
    for i, s in enumerate(sessions):
        types = [e["type"] for e in s]
        features.append({
            "user": user, "session": i, "n_events": len(s),
            "duration": s[-1]["t"] - s[0]["t"], "clicks": types.count("click"),
            "converted": "buy" in types, "first": types[0], "last": types[-1],
        })
for f in features:
    print(f)
conv = sum(f["converted"] for f in features) / len(features)
print("sessions", len(features), "conversion %.3f" % conv)
print("avg duration", round(sum(f["duration"] for f in features) / len(features), 2))
