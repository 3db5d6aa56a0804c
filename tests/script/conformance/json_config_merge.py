# Loading JSON config text, merging defaults, validating and dumping the result.
import json
defaults = json.loads('{"model": "tiny", "threads": 2, "features": {"a": true, "b": false}, "paths": []}')
user = json.loads('''{
  "threads": 4,
  "features": {"b": true, "c": true},
  "paths": ["/data/x", "/data/y"]
}''')
def merge(base, over):
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = v
    return out
cfg = merge(defaults, user)
print(json.dumps(cfg, sort_keys=True))
problems = []
if not isinstance(cfg["threads"], int) or cfg["threads"] < 1:
    problems.append("threads")
if any(not p.startswith("/") for p in cfg["paths"]):
    problems.append("paths")
print("problems:", problems)
enabled = sorted(k for k, v in cfg["features"].items() if v)
print(enabled)
print(json.dumps(cfg, indent=2, sort_keys=True))
