#!/usr/bin/python3
"""Checks docs/schemas/{features,patterns}.schema.json against the docs.

Every JSON object written in docs/*.md and examples/*/manifest.json that is a
feature definition, a feature-library definition, a transform step, a window,
a "pipeline" object or a pattern must be valid under its schema; a set of
definitions the parser refuses (src/pipeline/feature_def.cc, window.cc,
transform.cc) must be invalid; and the library ops of the schema must be the
ones docs/features.md lists. Exits 1 on any failure, 0 (with a message) when
the jsonschema module is missing.

  /usr/bin/python3 tests/pipeline/check_schemas.py [REPO_ROOT]
"""
import copy
import glob
import json
import os
import re
import sys

try:
    import jsonschema
except ImportError:
    print("check_schemas: skipped, no jsonschema module (apt-get install python3-jsonschema)")
    sys.exit(0)

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TRANSFORM_OPS = {"bucketize", "hash", "vocab", "one_hot", "multi_hot", "min_max", "z_score", "log1p", "clip",
                 "pad", "to_tensor"}
PIPELINE_FIELDS = {"allowedLatenessMs", "dedup", "checkpointEveryEvents"}
WINDOW_TYPES = {"tumbling", "sliding", "session"}

# Definitions the parser refuses, each with the reason it gives.
INVALID_FEATURES = [
    ({"op": "count"}, "name is required"),
    ({"name": "1st", "op": "count"}, "name must start with a letter or _"),
    ({"name": "a" * 129, "op": "count"}, "name longer than 128"),
    ({"name": "x", "op": "median", "value": "ts"}, "unknown op"),
    ({"name": "x", "op": "count", "colour": "red"}, "unknown field"),
    ({"name": "x", "op": "sum"}, "sum needs a value"),
    ({"name": "x", "op": "count", "value": "ts"}, "count takes no value"),
    ({"name": "x", "op": "rate", "numerator": "kind == 'click'"}, "rate needs a denominator"),
    ({"name": "x", "op": "ratio", "inputs": ["a"]}, "ratio takes two inputs"),
    ({"name": "x", "op": "ratio", "inputs": ["a", "b"], "window": "1h"}, "ratio takes no window"),
    ({"name": "x", "op": "context", "field": "minute"}, "unknown context field"),
    ({"name": "x", "op": "hour_of_day", "keyBy": "user"}, "context takes no keyBy"),
    ({"name": "x", "op": "count", "n": 3}, "n is a parameter of last_n only"),
    ({"name": "x", "op": "recent_items", "k": 3}, "recent_items is a last_n: no k"),
    ({"name": "x", "op": "last_n", "value": "itemId", "n": 0}, "n below 1"),
    ({"name": "x", "op": "top_k", "value": "itemId", "k": 10001}, "k above 10000"),
    ({"name": "x", "op": "count", "keyBy": "colour"}, "unknown key"),
    ({"name": "x", "op": "count", "maxKeys": 0}, "maxKeys below 1"),
    ({"name": "x", "op": "session_count", "window": "30m"}, "session_count needs a session window"),
    ({"name": "x", "op": "count", "window": "30x"}, "unknown duration unit"),
    ({"name": "x", "op": "count", "window": "0m"}, "duration not positive"),
    ({"name": "x", "op": "count", "window": -5}, "duration not positive"),
    ({"name": "x", "op": "count", "window": "1.5h"}, "duration not an integer"),
    ({"name": "x", "op": "count", "window": {"type": "hopping", "size": "1h"}}, "unknown window type"),
    ({"name": "x", "op": "count", "window": {"type": "sliding", "size": "1h"}}, "sliding needs a slide"),
    ({"name": "x", "op": "count", "window": {"type": "tumbling", "size": "1h", "gap": "1m"}}, "gap is not a tumbling field"),
    ({"name": "x", "op": "count", "normalize": "yes"}, "normalize is a boolean of count_by"),
    ({"name": "x", "op": "count", "transform": []}, "empty transform"),
    ({"name": "x", "op": "count", "transform": [{"op": "sqrt"}]}, "unknown transform op"),
    ({"name": "x", "op": "count", "transform": [{"op": "pad"}]}, "pad needs a length"),
    ({"name": "x", "op": "count", "transform": [{"op": "one_hot", "depth": 2, "size": 2}]}, "unknown step field"),
    ({"name": "x", "op": "count", "transform": [{"op": "clip"}]}, "clip needs min or max"),
    ({"name": "x", "op": "count", "transform": [{"op": "z_score", "mean": 0, "std": 0}]}, "std must be positive"),
    ({"name": "x", "op": "count", "transform": [{"op": "vocab", "vocabulary": ["a", "a"]}]}, "duplicate vocabulary"),
    ({"name": "x", "op": "count", "transform": [{"op": "pad", "length": 4, "side": "both"}]}, "side is left or right"),
]
INVALID_PIPELINES = [
    ({"allowedLatenessMs": -1}, "lateness negative"),
    ({"dedup": 1}, "dedup is a boolean"),
    ({"checkpointEvery": 10}, "unknown field"),
]


def json_objects(text):
    """Every JSON object that parses in `text`, outermost first (objects inside
    text that is not JSON, such as a manifest with "...", are still found)."""
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        pos = text.find("{", pos)
        if pos < 0:
            return
        try:
            value, end = decoder.raw_decode(text, pos)
        except ValueError:
            pos += 1
            continue
        yield value
        pos = end


def classify(obj, found, where):
    """Files `obj` (and what a manifest holds) under the schema that covers it."""
    if not isinstance(obj, dict):
        return
    if isinstance(obj.get("features"), list) or isinstance(obj.get("patterns"), list):
        if isinstance(obj.get("pipeline"), dict):
            found["pipeline"].append((where + " pipeline", obj["pipeline"]))
        for i, f in enumerate(obj.get("features", [])):
            found["feature"].append((f"{where} features[{i}]", f))
        for i, p in enumerate(obj.get("patterns", [])):
            found["pattern"].append((f"{where} patterns[{i}]", p))
    elif "steps" in obj and "name" in obj:
        found["pattern"].append((where, obj))
    elif "op" in obj and "name" in obj:
        found["feature"].append((where, obj))
    elif obj.get("op") in TRANSFORM_OPS:
        found["transformStep"].append((where, obj))
    elif "op" in obj:  # a library definition (docs/features.md tables): a feature without its name
        found["feature"].append((where + " (library definition)", dict(obj, name="library_def")))
    elif obj.get("type") in WINDOW_TYPES:
        found["window"].append((where, obj))
    elif obj and set(obj) <= PIPELINE_FIELDS:
        found["pipeline"].append((where, obj))


def validator(schema, ref=None):
    if ref:
        schema = copy.deepcopy(schema)
        schema["$ref"] = "#/$defs/" + ref
    return jsonschema.Draft202012Validator(schema)


def main():
    with open(os.path.join(ROOT, "docs/schemas/features.schema.json")) as f:
        features_schema = json.load(f)
    with open(os.path.join(ROOT, "docs/schemas/patterns.schema.json")) as f:
        patterns_schema = json.load(f)
    for s in (features_schema, patterns_schema):
        jsonschema.Draft202012Validator.check_schema(s)
    check = {
        "feature": validator(features_schema),
        "pipeline": validator(features_schema, "pipelineConfig"),
        "window": validator(features_schema, "window"),
        "transformStep": validator(features_schema, "transformStep"),
        "pattern": validator(patterns_schema),
    }

    found = {kind: [] for kind in check}
    for path in sorted(glob.glob(os.path.join(ROOT, "docs", "*.md"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for obj in json_objects(text):
            classify(obj, found, os.path.relpath(path, ROOT))
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "*", "manifest.json"))):
        with open(path, encoding="utf-8") as f:
            classify(json.load(f), found, os.path.relpath(path, ROOT))

    failures = 0
    for kind, items in found.items():
        for where, obj in items:
            errors = list(check[kind].iter_errors(obj))
            if errors:
                failures += 1
                best = jsonschema.exceptions.best_match(errors)
                print(f"FAIL {where}: {kind} {json.dumps(obj)}: {best.message}")
    for kind in ("feature", "pattern"):
        if not found[kind]:
            failures += 1
            print(f"FAIL no {kind} examples found in docs/ (the extractor is broken)")

    for obj, reason in INVALID_FEATURES:
        if check["feature"].is_valid(obj):
            failures += 1
            print(f"FAIL accepted an invalid feature ({reason}): {json.dumps(obj)}")
    for obj, reason in INVALID_PIPELINES:
        if check["pipeline"].is_valid(obj):
            failures += 1
            print(f"FAIL accepted an invalid pipeline object ({reason}): {json.dumps(obj)}")

    # The schema's library ops are the ones docs/features.md documents.
    with open(os.path.join(ROOT, "docs/features.md"), encoding="utf-8") as f:
        documented = set(re.findall(r"^\| `(\w+)` \| `\{", f.read(), re.M))
    in_schema = set(features_schema["$defs"]["libraryOp"]["enum"])
    if documented != in_schema:
        failures += 1
        print(f"FAIL library ops: only in docs {sorted(documented - in_schema)}, only in the schema {sorted(in_schema - documented)}")

    counts = ", ".join(f"{len(v)} {k}" for k, v in found.items())
    invalid = len(INVALID_FEATURES) + len(INVALID_PIPELINES)
    print(f"check_schemas: {counts} from the docs; {invalid} invalid definitions; {len(in_schema)} library ops: "
          + ("OK" if failures == 0 else f"{failures} failure(s)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
