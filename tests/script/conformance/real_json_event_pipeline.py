# Parse JSON lines of events, validate, aggregate per device and emit a JSON report.
import json
raw = '''{"device": "cam-1", "ts": 100, "temp": 41.5, "ok": true}
{"device": "cam-2", "ts": 101, "temp": 39.0, "ok": true}
not json at all
{"device": "cam-1", "ts": 160, "temp": 44.25, "ok": false}
{"device": "cam-3", "ts": 170}
{"device": "cam-2", "ts": 200, "temp": 38.5, "ok": true}
{"device": "cam-1", "ts": 220, "temp": 40.0, "ok": true}'''
agg = {}
errors = []
for lineno, line in enumerate(raw.splitlines(), 1):
    try:
        ev = json.loads(line)
    except json.JSONDecodeError as e:
        errors.append({"line": lineno, "error": e.msg})
        continue
    missing = [k for k in ("device", "ts", "temp", "ok") if k not in ev]
    if missing:
        errors.append({"line": lineno, "error": "missing " + ",".join(missing)})
        continue
    a = agg.setdefault(ev["device"], {"n": 0, "temps": [], "failures": 0, "last_ts": None})
    a["n"] += 1
    a["temps"].append(ev["temp"])
    a["failures"] += not ev["ok"]
    a["last_ts"] = ev["ts"]
report = {
    dev: {"n": a["n"], "mean_temp": round(sum(a["temps"]) / a["n"], 3), "max_temp": max(a["temps"]),
          "failures": a["failures"], "last_ts": a["last_ts"]}
    for dev, a in sorted(agg.items())
}
print(json.dumps({"devices": report, "errors": errors}, indent=2, sort_keys=True))
print(json.dumps(report, separators=(",", ":")))
