#!/usr/bin/python3
"""Brute-force reference for the edgeflow pipeline (features, patterns, transforms).

Written from the documents only (docs/features.md, docs/patterns.md,
docs/transforms.md), never from src/pipeline/*.cc, so that it is an independent
oracle for tests/pipeline/reference_test.cc:

    /usr/bin/python3 tests/pipeline/reference.py --manifest MANIFEST.json \
        --events EVENTS.jsonl [--bundle-dir DIR]

prints one {"match": {...}} line per pattern match, in order, then one
{"features": {...}} line, as `edgeflow device run --print-matches
--dump-features` does.

Brute force: every accepted event is kept in a list; each feature is evaluated
at the end by scanning that list (filter, key, value, window), and patterns by
replaying the accepted events through a literal transcription of the rules of
docs/patterns.md, "Evaluation". Standard library only.
"""

import argparse
import json
import math
import os
import struct
import sys

# ---------------------------------------------------------------------------
# Events (docs/features.md "The event stream a bundle's features see",
# include/edgeflow/event.h for the format).

OPTIONAL_FIELDS = ("kind", "clickId", "itemId")


def _reject_constant(name):
    raise ValueError("not JSON: " + name)


def parse_event(line):
    """A valid event as a dict, or None. Blank lines are handled by the caller."""
    try:
        j = json.loads(line, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    if not isinstance(j, dict):
        return None
    ev = {}
    for f in ("type", "pageId"):
        v = j.get(f)
        if not isinstance(v, str) or v == "":
            return None
        ev[f] = v
    for f in OPTIONAL_FIELDS:
        v = j.get(f)
        if v is None:
            ev[f] = None
        elif not isinstance(v, str):
            return None
        else:
            # event.h: an optional field that is absent is held as "", and
            # EventView reads "" as None: an empty string is the same as absent.
            ev[f] = v if v != "" else None
    ts = j.get("ts")
    if not isinstance(ts, int) or isinstance(ts, bool) or ts < 0 or ts > 2**63 - 1:
        return None
    ev["ts"] = ts
    props = j.get("props")
    if props is not None and not isinstance(props, dict):
        return None
    if props is not None:
        # event_view.h: a member that is an integer outside int64 reads as a float.
        props = {k: (float(v) if isinstance(v, int) and not isinstance(v, bool)
                     and not -2**63 <= v <= 2**63 - 1 else v) for k, v in props.items()}
    ev["props"] = props
    # The identity used by dedup: every field, props as (canonical) text.
    props_text = None if props is None else json.dumps(props, sort_keys=True, separators=(",", ":"),
                                                         ensure_ascii=False)
    ev["_identity"] = (ev["type"], ev["kind"], ev["pageId"], ev["clickId"], ev["itemId"], ts, props_text)
    return ev


def read_events(path):
    events = []
    with open(path, "r", encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip(" \t\r") == "":
                continue
            ev = parse_event(line)
            if ev is None:
                continue
            ev["seq"] = len(events) + 1
            events.append(ev)
    return events


def accept(events, lateness_ms, dedup):
    """The accepted events in arrival order, each with its `now` at acceptance."""
    accepted = []
    seen = set()
    max_ts = None
    for ev in events:
        if max_ts is not None and ev["ts"] < max_ts - lateness_ms:
            continue  # late
        if dedup and ev["_identity"] in seen:
            continue  # duplicate
        seen.add(ev["_identity"])
        max_ts = ev["ts"] if max_ts is None else max(max_ts, ev["ts"])
        ev = dict(ev)
        ev["now"] = max_ts
        accepted.append(ev)
    return accepted, max_ts


# ---------------------------------------------------------------------------
# Expressions (docs/features.md "Expressions"): Python's eval over a restricted
# namespace.


class Props(object):
    """props as expressions see it: props.NAME, props['NAME'], props.get(NAME[, d])."""

    __slots__ = ("_d",)

    def __init__(self, d):
        object.__setattr__(self, "_d", d if d is not None else {})

    def __getattr__(self, name):
        # props.NAME of an absent member: None (an absent optional field is
        # None; keyBy "props.NAME" reads it the same way).
        d = object.__getattribute__(self, "_d")
        return d.get(name)

    def __getitem__(self, name):
        return object.__getattribute__(self, "_d")[name]

    def get(self, name, default=None):
        return object.__getattribute__(self, "_d").get(name, default)


BUILTINS = {"len": len, "str": str, "int": int, "float": float, "abs": abs, "min": min,
            "max": max, "round": round, "bool": bool, "True": True, "False": False, "None": None}

_ERROR = object()  # an expression that raised


class Expr(object):
    def __init__(self, source):
        self.source = source
        self.code = compile(source, "<expr>", "eval")

    def eval(self, ev):
        # Expressions have no side effects: one evaluation per (source, event).
        cache = ev.get("_cache")
        if cache is None:
            cache = ev["_cache"] = {}
        elif self.source in cache:
            return cache[self.source]
        ns = {"type": ev["type"], "kind": ev["kind"], "pageId": ev["pageId"], "clickId": ev["clickId"],
              "itemId": ev["itemId"], "ts": ev["ts"], "props": Props(ev["props"])}
        try:
            v = eval(self.code, {"__builtins__": BUILTINS}, ns)
        except Exception:  # noqa: BLE001 - any Python error is an evaluation error
            v = _ERROR
        cache[self.source] = v
        return v

    def test(self, ev):
        v = self.eval(ev)
        if v is _ERROR:
            return False
        try:
            return bool(v)
        except Exception:  # noqa: BLE001
            return False


def compile_opt(src):
    return None if src is None else Expr(src)


# ---------------------------------------------------------------------------
# Keys (docs/features.md "Keys").

KEY_FIELDS = {"user": "props.userId", "session": "props.sessionId", "item": "itemId",
              "category": "props.category", "page": "pageId"}


def py_str(v):
    """Python's str() of a value (JSON objects and arrays as compact JSON)."""
    if isinstance(v, (dict, list)):
        return json.dumps(v, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return str(v)


def field_of(ev, name):
    if name.startswith("props."):
        p = ev["props"] or {}
        return p.get(name[len("props."):])
    if name in ("type", "kind", "pageId", "clickId", "itemId", "ts"):
        return ev[name]
    return None


class KeySpec(object):
    def __init__(self, key_by):
        self.name = key_by
        if key_by is None:
            self.field = None
        else:
            self.field = KEY_FIELDS.get(key_by, key_by)
        self.fallback_empty = key_by == "user"

    def key_of(self, ev):
        if self.field is None:
            return ""
        v = field_of(ev, self.field)
        if v is None:
            return "" if self.fallback_empty else None
        return py_str(v)


# ---------------------------------------------------------------------------
# Durations and windows (docs/features.md "Windows").

UNITS = {"ms": 1, "s": 1000, "m": 60000, "h": 3600000, "d": 86400000}


def parse_duration(j):
    if isinstance(j, bool):
        raise ValueError("bad duration %r" % (j,))
    if isinstance(j, int):
        return j
    if isinstance(j, str):
        for unit in ("ms", "s", "m", "h", "d"):
            if j.endswith(unit) and j[:-len(unit)].isdigit():
                return int(j[:-len(unit)]) * UNITS[unit]
        if j.isdigit():
            return int(j)
    raise ValueError("bad duration %r" % (j,))


class Window(object):
    def __init__(self, j):
        self.type = "all"
        self.size = self.slide = self.gap = 0
        if j is None or j == "all":
            return
        if isinstance(j, dict):
            t = j["type"]
            self.type = t
            if t == "tumbling":
                self.size = parse_duration(j["size"])
                self.slide = self.size
            elif t == "sliding":
                self.size = parse_duration(j["size"])
                self.slide = parse_duration(j["slide"])
            elif t == "session":
                self.gap = parse_duration(j["gap"])
            elif t == "all":
                pass
            else:
                raise ValueError("bad window type " + t)
            return
        # A duration: sliding, size S, slide S/60 (integer ms, at least 1).
        self.type = "sliding"
        self.size = parse_duration(j)
        self.slide = max(1, self.size // 60)

    def select(self, items, now):
        """items: the counted events of one key, (ts, seq, value, flags), any order.
        Returns (window items ordered by (ts, seq), session count or None)."""
        items = sorted(items, key=lambda x: (x[0], x[1]))
        if self.type == "all":
            return items, None
        if self.type == "tumbling":
            start = (now // self.size) * self.size
            return [x for x in items if start <= x[0] < start + self.size], None
        if self.type == "sliding":
            end = (now // self.slide + 1) * self.slide
            return [x for x in items if end - self.size <= x[0] < end], None
        # session: maximal runs whose consecutive ts differ by at most gap
        sessions = []
        for x in items:
            if sessions and x[0] - sessions[-1][-1][0] <= self.gap:
                sessions[-1].append(x)
            else:
                sessions.append([x])
        return (sessions[-1] if sessions else []), len(sessions)


# ---------------------------------------------------------------------------
# HyperLogLog (docs/features.md "HyperLogLog").

M64 = (1 << 64) - 1


def sketch_hash(s):
    h = 14695981039346656037
    for b in s.encode("utf-8", errors="surrogateescape"):
        h ^= b
        h = (h * 1099511628211) & M64
    x = h
    x ^= x >> 30
    x = (x * 0xbf58476d1ce4e5b9) & M64
    x ^= x >> 27
    x = (x * 0x94d049bb133111eb) & M64
    x ^= x >> 31
    return x


def hll_estimate(strings):
    p = 12
    m = 1 << p
    reg = [0] * m
    for s in strings:
        h = sketch_hash(s)
        idx = h >> (64 - p)
        rest = (h << p) & M64
        if rest == 0:
            rank = 53
        else:
            rank = min(53, 1 + (64 - rest.bit_length()))
        if rank > reg[idx]:
            reg[idx] = rank
    z = sum(2.0 ** -r for r in reg)
    e = 0.7213 / (1 + 1.079 / m) * m * m / z
    zeros = reg.count(0)
    if e <= 2.5 * m and zeros > 0:
        e = m * math.log(m / zeros)
    return int(math.floor(e + 0.5)) if e >= 0 else -int(math.floor(-e + 0.5))


# ---------------------------------------------------------------------------
# Feature definitions (docs/features.md "A feature definition", "Feature library").

LIBRARY = {
    'event_count': {"op": "count", "window": "30m"},
    'pv_count': {"op": "count", "filter": "kind == 'pv'", "window": "30m"},
    'click_count': {"op": "count", "filter": "kind == 'click'", "window": "30m"},
    'exposure_count': {"op": "count", "filter": "kind == 'exposure'", "window": "30m"},
    'cart_count': {"op": "count", "filter": "clickId is not None and clickId.endswith('_AddCart')", "window": "30m"},
    'favorite_count': {"op": "count", "filter": "clickId is not None and clickId.endswith('_Favorite')", "window": "30m"},
    'order_count': {"op": "count", "filter": "clickId is not None and clickId.endswith('_Order')", "window": "1d"},
    'search_count': {"op": "count", "filter": "clickId is not None and clickId.endswith('_Search')", "window": "30m"},
    'share_count': {"op": "count", "filter": "clickId is not None and clickId.endswith('_Share')", "window": "1d"},
    'item_view_count': {"op": "count", "filter": "kind == 'pv'", "keyBy": "item", "window": "1d"},
    'page_view_count': {"op": "count", "filter": "kind == 'pv'", "keyBy": "page", "window": "1d"},
    'category_view_count': {"op": "count", "filter": "kind == 'pv'", "keyBy": "category", "window": "1d"},
    'recent_items': {"op": "last_n", "value": "itemId", "filter": "kind == 'pv'", "n": 20},
    'recent_clicked_items': {"op": "last_n", "value": "itemId", "filter": "kind == 'click'", "n": 20},
    'recent_cart_items': {"op": "last_n", "value": "itemId", "filter": "clickId is not None and clickId.endswith('_AddCart')", "n": 10},
    'recent_categories': {"op": "last_n", "value": "props.get('category')", "filter": "kind == 'pv'", "n": 20},
    'recent_pages': {"op": "last_n", "value": "pageId", "filter": "kind == 'pv'", "n": 20},
    'recent_queries': {"op": "last_n", "value": "props.get('query')", "filter": "clickId is not None and clickId.endswith('_Search')", "n": 10},
    'last_item': {"op": "last", "value": "itemId", "filter": "kind == 'pv'"},
    'last_page': {"op": "last", "value": "pageId"},
    'time_since_last_event': {"op": "time_since_last"},
    'time_since_last_click': {"op": "time_since_last", "filter": "kind == 'click'"},
    'time_since_last_cart': {"op": "time_since_last", "filter": "clickId is not None and clickId.endswith('_AddCart')"},
    'time_since_last_order': {"op": "time_since_last", "filter": "clickId is not None and clickId.endswith('_Order')"},
    'distinct_items_viewed': {"op": "distinct_count", "value": "itemId", "filter": "kind == 'pv'", "window": "1d"},
    'distinct_categories_viewed': {"op": "distinct_count", "value": "props.get('category')", "filter": "kind == 'pv'", "window": "1d"},
    'distinct_pages_viewed': {"op": "distinct_count", "value": "pageId", "filter": "kind == 'pv'", "window": "1d"},
    'avg_price_viewed': {"op": "avg", "value": "props.get('price')", "filter": "kind == 'pv'", "window": "1d"},
    'min_price_viewed': {"op": "min", "value": "props.get('price')", "filter": "kind == 'pv'", "window": "1d"},
    'max_price_viewed': {"op": "max", "value": "props.get('price')", "filter": "kind == 'pv'", "window": "1d"},
    'order_amount_sum': {"op": "sum", "value": "props.get('amount')", "filter": "clickId is not None and clickId.endswith('_Order')"},
    'top_categories': {"op": "top_k", "value": "props.get('category')", "filter": "kind == 'pv'", "k": 5, "window": "7d"},
    'top_items': {"op": "top_k", "value": "itemId", "filter": "kind == 'pv'", "k": 10, "window": "7d"},
    'exposure_click_rate': {"op": "rate", "numerator": "kind == 'click'", "denominator": "kind == 'exposure'", "window": "1d"},
    'view_cart_rate': {"op": "rate", "numerator": "clickId is not None and clickId.endswith('_AddCart')", "denominator": "kind == 'pv'", "window": "1d"},
    'click_order_rate': {"op": "rate", "numerator": "clickId is not None and clickId.endswith('_Order')", "denominator": "kind == 'click'", "window": "7d"},
    'category_counts': {"op": "count_by", "value": "props.get('category')", "filter": "kind == 'pv'", "window": "7d"},
    'category_preference': {"op": "count_by", "value": "props.get('category')", "filter": "kind == 'pv'", "normalize": True, "window": "7d"},
    'brand_preference': {"op": "count_by", "value": "props.get('brand')", "filter": "kind == 'pv'", "normalize": True, "window": "7d"},
    'dwell_time_avg': {"op": "avg", "value": "props.get('dwellMs')", "keyBy": "page", "window": "1d"},
    'session_count': {"op": "session_count", "window": {"type": "session", "gap": "30m"}},
    'session_length': {"op": "span", "window": {"type": "session", "gap": "30m"}},
    'session_event_count': {"op": "count", "window": {"type": "session", "gap": "30m"}},
    'session_pv_count': {"op": "count", "filter": "kind == 'pv'", "window": {"type": "session", "gap": "30m"}},
    'hour_of_day': {"op": "context", "field": "hour"},
    'day_of_week': {"op": "context", "field": "weekday"},
}

AGGREGATES = ("count", "sum", "avg", "min", "max", "distinct_count", "last_n", "top_k", "count_by",
              "first", "last", "time_since_last", "span", "rate", "session_count")
NO_VALUE = ("count", "span", "session_count", "time_since_last", "rate")
NUMERIC = ("sum", "avg", "min", "max")


def is_number(v):
    return isinstance(v, (int, float))  # bool is an int, as in Python


class Feature(object):
    def __init__(self, j, earlier):
        j = dict(j)
        op = j["op"]
        if op in LIBRARY:
            d = dict(LIBRARY[op])
            for k, v in j.items():
                if k != "op":
                    d[k] = v
            j = d
            op = j["op"]
        self.name = j["name"]
        self.op = op
        self.filter = compile_opt(j.get("filter"))
        self.value = compile_opt(j.get("value"))
        self.numerator = compile_opt(j.get("numerator"))
        self.denominator = compile_opt(j.get("denominator"))
        self.key = KeySpec(j.get("keyBy"))
        self.keyed = "keyBy" in j
        self.window = Window(j.get("window"))
        self.n = j.get("n", 10)
        self.k = j.get("k", 5)
        self.exact = j.get("exact", 1000)
        self.normalize = j.get("normalize", False)
        self.field = j.get("field")
        self.inputs = [earlier[name] for name in j.get("inputs", [])]
        self.transform = j.get("transform")


# ---------------------------------------------------------------------------
# Evaluating one feature over the accepted events.


def aggregate(f, items, now, sessions):
    """items: (ts, seq, value, flags) ordered by (ts, seq); the window's events."""
    op = f.op
    vals = [x[2] for x in items]
    if op == "count":
        return len(items)
    if op == "session_count":
        return sessions or 0
    if op == "rate":
        num = sum(1 for x in items if x[3] & 1)
        den = sum(1 for x in items if x[3] & 2)
        return None if den == 0 else num / den
    if op in NUMERIC:
        vals = [v for v in vals if is_number(v)]
        if op == "sum":
            total = 0
            for v in vals:
                total = total + v
            return total
        if not vals:
            return None
        if op == "avg":
            total = 0
            for v in vals:
                total = total + v
            return total / len(vals)
        if op == "min":
            return min(vals)
        return max(vals)
    if not items:
        # features.md:115 says "value aggregates are null" for an empty window,
        # but that contradicts the result types of the counting and collection
        # aggregates (distinct_count "number of ...", last_n "(list)", count_by
        # "object"). Spec ambiguity, resolved here as: the empty count / list /
        # object; the scalar value aggregates (first, last, ...) are null.
        if op == "distinct_count":
            return 0
        if op in ("last_n", "top_k"):
            return []
        if op == "count_by":
            return {}
        return None
    if op == "distinct_count":
        strs = [py_str(v) for v in vals]
        distinct = set(strs)
        if len(distinct) <= f.exact:
            return len(distinct)
        return hll_estimate(strs)
    if op == "last_n":
        return vals[-f.n:] if f.n > 0 else []
    if op == "top_k":
        counts = {}
        for v in vals:
            s = py_str(v)
            counts[s] = counts.get(s, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].encode("utf-8", "surrogateescape")))
        return [s for s, _ in ranked[:f.k]]
    if op == "count_by":
        counts = {}
        for v in vals:
            s = py_str(v)
            counts[s] = counts.get(s, 0) + 1
        total = len(vals)
        keys = sorted(counts, key=lambda s: s.encode("utf-8", "surrogateescape"))
        if f.normalize:
            return {s: counts[s] / total for s in keys}
        # transforms.md "Values": a map holds string key -> float, so the
        # counts print as floats (17.0), like the preference vectors.
        return {s: float(counts[s]) for s in keys}
    if op == "first":
        return vals[0]
    if op == "last":
        return vals[-1]
    if op == "time_since_last":
        return now - items[-1][0]
    if op == "span":
        return items[-1][0] - items[0][0]
    raise ValueError("unknown op " + op)


def counted_items(f, accepted):
    """key -> [(ts, seq, value, flags)] of the events the feature counts."""
    by_key = {}
    for ev in accepted:
        k = f.key.key_of(ev)
        if k is None:
            continue
        flags = 0
        if f.op == "rate":
            if f.filter is not None and not f.filter.test(ev):
                continue
            if f.numerator is not None and f.numerator.test(ev):
                flags |= 1
            if f.denominator is not None and f.denominator.test(ev):
                flags |= 2
            if flags == 0:
                continue
            value = None
        else:
            if f.filter is not None and not f.filter.test(ev):
                continue
            value = None
            if f.op not in NO_VALUE:
                if f.value is None:
                    continue
                value = f.value.eval(ev)
                if value is _ERROR or value is None:
                    continue
                if f.op in NUMERIC and not is_number(value):
                    continue
        by_key.setdefault(k, []).append((ev["ts"], ev["seq"], value, flags))
    return by_key


def utf8_key(s):
    return s.encode("utf-8", "surrogateescape")


class FeatureResult(object):
    """A feature's values: `values` key -> value for the keys whose window holds
    an event, `empty` the value of an empty window."""

    def __init__(self, values, empty):
        self.values = values
        self.empty = empty

    def get(self, key):
        return self.values.get(key, self.empty)


def evaluate_feature(f, accepted, now, results, bundle_dir):
    if f.op == "context":
        if now is None:
            v = None
        elif f.field == "hour":
            v = (now // 3600000) % 24
        elif f.field == "weekday":
            v = (now // 86400000 + 3) % 7  # 1970-01-01 was a Thursday
        elif f.field == "now":
            v = now
        else:
            raise ValueError("bad context field %r" % (f.field,))
        return FeatureResult({"": v}, v), v
    if f.op == "ratio":
        a, b = (results[g.name] for g in f.inputs)
        keys = set(a.values) | set(b.values)
        if not f.keyed:
            keys = {""}
        vals = {}
        for k in keys:
            x, y = a.get(k), b.get(k)
            if x is None or y is None or y == 0 or not is_number(x) or not is_number(y):
                vals[k] = None
            else:
                vals[k] = x / y
        empty = None
        res = FeatureResult(vals, empty)
    else:
        by_key = counted_items(f, accepted)
        vals = {}
        for k, items in by_key.items():
            win, sessions = f.window.select(items, now)
            if win:
                vals[k] = aggregate(f, win, now, sessions)
        empty = aggregate(f, [], now, 0)
        res = FeatureResult(vals, empty)
    if f.transform is not None:
        tvals = {k: apply_transform(f.transform, v, bundle_dir) for k, v in res.values.items()}
        res = FeatureResult(tvals, apply_transform(f.transform, res.empty, bundle_dir))
    if not f.keyed:
        out = res.get("")
    else:
        out = {k: res.values[k] for k in sorted(res.values, key=utf8_key)}
    return res, out


# ---------------------------------------------------------------------------
# Transforms (docs/transforms.md).

class Tensor(object):
    """A float32 tensor (the values are doubles holding float32 numbers)."""

    __slots__ = ("v",)

    def __init__(self, values):
        self.v = [f32(x) for x in values]


class TransformError(Exception):
    pass


def f32(x):
    """x rounded to the nearest float32; beyond float32's range, +-infinity."""
    x = float(x)
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def is_num(v):
    return isinstance(v, (int, float))  # bool included: True is 1


def num(v, what):
    if not is_num(v):
        raise TransformError("%s: expected a number, got %r" % (what, v))
    return v


def read_vocabulary(spec, bundle_dir):
    if isinstance(spec, list):
        return spec
    with open(os.path.join(bundle_dir, spec), "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()  # a final line break does not start another entry
    return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]


def elementwise(value, fn, default, numeric_container=True, maps=True, tensors=True):
    """Applies fn to every element, keeping the container (transforms.md)."""
    def one(x):
        return default if x is None else fn(x)
    if isinstance(value, Tensor):
        if not tensors:
            raise TransformError("takes scalars and lists only")
        return Tensor([one(x) for x in value.v])
    if isinstance(value, dict):
        if not maps:
            raise TransformError("takes scalars and lists only")
        return {k: one(x) for k, x in value.items()}
    if isinstance(value, list):
        return [one(x) for x in value]
    return one(value)


def index_of(x):
    """An index for one_hot / multi_hot: an int, a bool or an integral float."""
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, int):
        return x
    if isinstance(x, float) and math.isfinite(x) and x == int(x):
        return int(x)
    raise TransformError("expected an index, got %r" % (x,))


def transform_step(st, value, bundle_dir):
    op = st["op"]
    if op == "bucketize":
        import bisect
        bounds = st["boundaries"]
        default = st.get("default", 0)

        def fn(x):
            x = num(x, op)
            if isinstance(x, float) and math.isnan(x):
                return len(bounds)
            return bisect.bisect_right(bounds, x)
        return elementwise(value, fn, default)
    if op == "hash":
        buckets = st["buckets"]
        default = st.get("default", 0)

        def fn(x):
            h = 14695981039346656037
            for b in py_str(x).encode("utf-8", "surrogateescape"):
                h ^= b
                h = (h * 1099511628211) % 2**64
            return h % buckets
        return elementwise(value, fn, default, maps=False, tensors=False)
    if op == "vocab":
        vocab = read_vocabulary(st["vocabulary"], bundle_dir)
        pos = {w: i for i, w in enumerate(vocab)}
        oov = st.get("oov", 0)
        offset = st.get("offset", 1)

        def fn(x):
            k = py_str(x)
            return offset + pos[k] if k in pos else oov
        return elementwise(value, fn, oov, maps=False, tensors=False)
    if op in ("one_hot", "multi_hot"):
        depth = st["depth"]
        out = [0.0] * depth
        if value is None:
            idx = []
        elif isinstance(value, Tensor):
            idx = list(value.v)
        elif isinstance(value, list):
            idx = list(value)
        elif isinstance(value, dict):
            raise TransformError(op + ": cannot take a map")
        else:
            idx = [value]
        if op == "one_hot":
            if len(idx) > 1:
                raise TransformError("one_hot: several indices")
            idx = [x for x in idx if x is not None]
        else:
            idx = [x for x in idx if x is not None]
        for x in idx:
            i = index_of(x)
            if 0 <= i < depth:
                out[i] = 1.0
        return Tensor(out)
    if op == "min_max":
        lo, hi = st["min"], st["max"]
        default = st.get("default", 0)

        def fn(x):
            x = float(num(x, op))
            if math.isnan(x):
                return x
            return min(max((x - lo) / (hi - lo), 0.0), 1.0)
        return elementwise(value, fn, float(default))
    if op == "z_score":
        mean, std = st["mean"], st["std"]
        default = st.get("default", 0)
        return elementwise(value, lambda x: (float(num(x, op)) - mean) / std, float(default))
    if op == "log1p":
        default = st.get("default", 0)

        def fn(x):
            x = float(num(x, op))
            if math.isnan(x):
                return x
            return math.log1p(x) if x > 0 else 0.0
        return elementwise(value, fn, float(default))
    if op == "clip":
        lo, hi = st.get("min"), st.get("max")

        def clip(x):
            if math.isnan(x):
                return x
            if lo is not None and x < lo:
                x = float(lo)
            if hi is not None and x > hi:
                x = float(hi)
            return float(x)
        default = float(st["default"]) if "default" in st else clip(0.0)
        return elementwise(value, lambda x: clip(float(num(x, op))), default)
    if op == "pad":
        length = st["length"]
        fill = st.get("value", 0)
        side = st.get("side", "right")
        keep = st.get("keep", "last")
        if value is None:
            seq = []
        elif isinstance(value, Tensor):
            seq = list(value.v)
        elif isinstance(value, list):
            seq = list(value)
        elif isinstance(value, dict):
            raise TransformError("pad: cannot take a map")
        else:
            seq = [value]
        numeric = is_num(fill)
        if not numeric and isinstance(value, Tensor):
            raise TransformError("pad: a string pad cannot take a tensor")
        if len(seq) > length:
            seq = seq[-length:] if keep == "last" else seq[:length]
        if numeric:
            seq = [fill if x is None else num(x, op) for x in seq]
        pad = [fill] * (length - len(seq))
        seq = pad + seq if side == "left" else seq + pad
        return Tensor(seq) if numeric else seq
    if op == "to_tensor":
        keys = st.get("keys")
        if keys is None:
            if value is None:
                return Tensor([0.0])
            if isinstance(value, Tensor):
                return value
            if isinstance(value, list):
                return Tensor([0.0 if x is None else num(x, op) for x in value])
            if isinstance(value, dict):
                raise TransformError("to_tensor: a map needs keys")
            return Tensor([num(value, op)])
        if value is None:
            return Tensor([0.0] * len(keys))
        if not isinstance(value, dict):
            raise TransformError("to_tensor with keys: expected a map")
        return Tensor([num(value.get(k, 0), op) for k in keys])
    raise ValueError("unknown transform op %r" % (op,))


def apply_transform(chain, value, bundle_dir):
    # A value the chain cannot take: the docs do not say what the feature then
    # reads (features.md counts transform_errors); the reference prints null.
    try:
        for st in chain:
            value = transform_step(st, value, bundle_dir)
    except TransformError:
        return None
    return value.v if isinstance(value, Tensor) else value


# ---------------------------------------------------------------------------
# Patterns (docs/patterns.md "Evaluation"), a literal transcription.

MAX_SEQS = 32


class Step(object):
    def __init__(self, j):
        self.name = j["name"]
        self.pred = compile_opt(j.get("where"))
        times = j.get("times", 1)
        if isinstance(times, list):
            self.min, self.max = times[0], times[1]
        else:
            self.min = self.max = times
        if j.get("optional", False):
            self.min = 0
        self.negs = []

    def test(self, ev):
        return True if self.pred is None else self.pred.test(ev)


class Pattern(object):
    def __init__(self, j):
        self.name = j["name"]
        self.key = KeySpec(j.get("keyBy"))
        self.steps = []
        for s in j["steps"]:
            if "not" in s:
                self.steps[-1].negs.append(Expr(s["not"]))
            else:
                self.steps.append(Step(s))
        self.last = len(self.steps) - 1
        self.contiguity = j.get("contiguity", "relaxed")
        self.within = j.get("withinMs")
        self.max_partials = j.get("maxPartialsPerKey", 16)
        self.runs = {}

    def expired(self, start, now):
        return self.within is not None and now - start > self.within


class Run(object):
    __slots__ = ("i", "c", "start", "seqs")

    def __init__(self, i, c, start, seqs):
        self.i, self.c, self.start, self.seqs = i, c, start, seqs


def record(r, ev):
    r.seqs.append(ev["seq"])
    del r.seqs[:-MAX_SEQS]


def step_run(P, r, ev):
    s = P.steps[r.i]
    if r.c >= s.min:
        for j in range(r.i + 1, len(P.steps)):
            if P.steps[j].test(ev):
                r.i, r.c = j, 1
                record(r, ev)
                return True
            if P.steps[j].min > 0:
                break
    if (s.max is None or r.c < s.max) and s.test(ev):
        r.c += 1
        record(r, ev)
        return True
    if any(neg.test(ev) for neg in s.negs):
        return False
    return P.contiguity == "relaxed"


def match_of(P, k, ev, r):
    return {"pattern": P.name, "key": k, "ts": ev["ts"], "startTs": r.start, "seqs": list(r.seqs)}


def run_patterns(patterns, accepted):
    out = []
    for ev in accepted:
        now = ev["now"]
        for P in patterns:
            k = P.key.key_of(ev)
            if k is None:
                continue
            R = P.runs.setdefault(k, [])
            R[:] = [r for r in R if not P.expired(r.start, now)]
            R[:] = [r for r in R if step_run(P, r, ev)]
            done = [r for r in R if r.i == P.last and r.c == P.steps[P.last].min]
            if done:
                out.append(match_of(P, k, ev, done[0]))
                R.clear()
                continue
            if P.steps[0].test(ev) and not P.expired(ev["ts"], now):
                if len(R) == P.max_partials:
                    R.pop(0)
                r = Run(0, 1, ev["ts"], [ev["seq"]])
                if r.i == P.last and r.c == P.steps[P.last].min:
                    out.append(match_of(P, k, ev, r))
                    R.clear()
                else:
                    R.append(r)
    return out


# ---------------------------------------------------------------------------


def dumps(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sanitize(v):
    """NaN and infinities print as null (feature_value.h)."""
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if isinstance(v, list):
        return [sanitize(x) for x in v]
    if isinstance(v, dict):
        return {k: sanitize(x) for k, x in v.items()}
    return v


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--events", required=True)
    ap.add_argument("--bundle-dir", default=None)
    args = ap.parse_args(argv)
    with open(args.manifest, "r", encoding="utf-8") as f:
        manifest = json.load(f)
    bundle_dir = args.bundle_dir or os.path.dirname(os.path.abspath(args.manifest))
    cfg = manifest.get("pipeline") or {}
    lateness = cfg.get("allowedLatenessMs", 60000)
    dedup = cfg.get("dedup", True)

    features = []
    by_name = {}
    for j in manifest.get("features", []):
        f = Feature(j, by_name)
        features.append(f)
        by_name[f.name] = f
    patterns = [Pattern(j) for j in manifest.get("patterns", [])]

    accepted, now = accept(read_events(args.events), lateness, dedup)

    lines = []
    for m in run_patterns(patterns, accepted):
        lines.append(dumps({"match": m}))
    results = {}
    dump = {}
    for f in features:
        res, out = evaluate_feature(f, accepted, now, results, bundle_dir)
        results[f.name] = res
        dump[f.name] = sanitize(out)
    lines.append(dumps({"features": dump}))
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
