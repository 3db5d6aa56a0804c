# Re-ranking task logic for the script_rerank bundle. `edgeflow` is the host
# module the device injects (events, now, log, Tensor ...).
import edgeflow

KIND_WEIGHT = {"pv": 1.0, "click": 3.0, "exposure": 0.2}
CATEGORY = {"sku1": "shoes", "sku2": "shoes", "sku3": "books", "sku4": "phones", "sku5": "books"}


def preferences(events):
    """Category weights from the user's behaviour events."""
    prefs = {}
    for e in events:
        cat = CATEGORY.get(e.get("itemId", ""), "other")
        prefs[cat] = prefs.get(cat, 0.0) + KIND_WEIGHT.get(e.get("kind", ""), 0.5)
    return prefs


def profile(ctx):
    # Event trigger: summarise what the user looked at so far.
    events = edgeflow.events(0, ctx["event"]["ts"] + 1)
    prefs = preferences(events)
    top = sorted(prefs.items(), key=lambda kv: (-kv[1], kv[0]))
    return {"item": ctx["event"].get("itemId"), "top": [c for c, _ in top[:2]]}


def rerank(ctx):
    # API trigger: order extData.items by preference, scores softmax-normalised.
    items = ctx["extData"]["items"]
    prefs = preferences(edgeflow.events(0, edgeflow.now()))
    raw = edgeflow.Tensor([prefs.get(CATEGORY.get(i, "other"), 0.0) for i in items])
    probs = raw.softmax()
    values, order = probs.topk(len(items))
    return {"items": [items[i] for i in order.tolist()],
            "scores": [round(v, 4) for v in values.tolist()]}
