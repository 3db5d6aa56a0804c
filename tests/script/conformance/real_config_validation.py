# Schema-driven config validation collecting all errors with paths, types and range checks.
SCHEMA = {
    "name": {"type": str, "required": True},
    "threads": {"type": int, "min": 1, "max": 64, "default": 4},
    "ratio": {"type": (int, float), "min": 0, "max": 1, "default": 0.5},
    "mode": {"type": str, "choices": ["fast", "safe"], "default": "safe"},
    "tags": {"type": list, "default": []},
}
class ConfigError(Exception):
    def __init__(self, problems):
        super().__init__("%d problem(s)" % len(problems))
        self.problems = problems
def validate(cfg):
    out, problems = {}, []
    for key, rule in SCHEMA.items():
        if key not in cfg:
            if rule.get("required"):
                problems.append("%s: required" % key)
            else:
                out[key] = rule["default"]
            continue
        v = cfg[key]
        if isinstance(v, bool) or not isinstance(v, rule["type"]):
            problems.append("%s: expected %s, got %s" % (key, getattr(rule["type"], "__name__", "number"), type(v).__name__))
            continue
        if "min" in rule and not rule["min"] <= v <= rule["max"]:
            problems.append("%s: %r not in [%r, %r]" % (key, v, rule["min"], rule["max"]))
        if "choices" in rule and v not in rule["choices"]:
            problems.append("%s: %r not one of %s" % (key, v, "/".join(rule["choices"])))
        out[key] = v
    for key in sorted(set(cfg) - set(SCHEMA)):
        problems.append("%s: unknown key" % key)
    if problems:
        raise ConfigError(problems)
    return out
for cfg in [{"name": "svc"}, {"name": "x", "threads": 0, "ratio": 1.5, "mode": "turbo", "extra": 1},
            {"threads": "8", "ratio": True}, {"name": "y", "threads": 64, "ratio": 1, "tags": ["a"]}]:
    try:
        print("ok", validate(cfg))
    except ConfigError as e:
        print("ConfigError", e)
        for p in e.problems:
            print("   ", p)
