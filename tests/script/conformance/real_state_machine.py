# A table-driven order state machine with guarded transitions and an audit trail.
class TransitionError(Exception):
    pass
TRANSITIONS = {
    ("new", "pay"): "paid", ("new", "cancel"): "cancelled", ("paid", "ship"): "shipped",
    ("paid", "refund"): "refunded", ("shipped", "deliver"): "delivered", ("shipped", "lose"): "lost",
    ("lost", "refund"): "refunded",
}
class Order:
    def __init__(self, oid):
        self.oid, self.state, self.trail = oid, "new", ["new"]
    def fire(self, event):
        key = (self.state, event)
        if key not in TRANSITIONS:
            allowed = sorted(e for (s, e) in TRANSITIONS if s == self.state)
            raise TransitionError("%s: cannot %s from %s (allowed: %s)" % (self.oid, event, self.state, allowed))
        self.state = TRANSITIONS[key]
        self.trail.append(self.state)
scripts = {"o1": ["pay", "ship", "deliver"], "o2": ["pay", "ship", "lose", "refund"],
           "o3": ["ship"], "o4": ["cancel", "pay"], "o5": []}
for oid, evs in scripts.items():
    o = Order(oid)
    try:
        for ev in evs:
            o.fire(ev)
    except TransitionError as e:
        print("error:", e)
    print(oid, o.state, " -> ".join(o.trail))
terminal = sorted(set(TRANSITIONS.values()) - {s for s, _ in TRANSITIONS})
print("terminal states:", terminal)
