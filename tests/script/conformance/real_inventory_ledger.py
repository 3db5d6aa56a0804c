# An inventory ledger: apply transactions, reject invalid ones with exceptions, print a report.
class InventoryError(Exception):
    pass
class OutOfStock(InventoryError):
    def __init__(self, sku, have, want):
        super().__init__("%s: have %d, want %d" % (sku, have, want))
        self.sku = sku
class Ledger:
    def __init__(self):
        self.stock = {}
        self.history = []
    def apply(self, kind, sku, qty):
        if qty <= 0:
            raise InventoryError("bad quantity %r for %s" % (qty, sku))
        have = self.stock.get(sku, 0)
        if kind == "in":
            self.stock[sku] = have + qty
        elif kind == "out":
            if have < qty:
                raise OutOfStock(sku, have, qty)
            self.stock[sku] = have - qty
        else:
            raise InventoryError("unknown kind " + repr(kind))
        self.history.append((kind, sku, qty))
txns = [("in", "bolt", 100), ("in", "nut", 50), ("out", "bolt", 30), ("out", "nut", 80),
        ("move", "bolt", 1), ("in", "washer", 0), ("out", "bolt", 70), ("in", "nut", 5)]
led = Ledger()
for t in txns:
    try:
        led.apply(*t)
        print("ok   ", t)
    except OutOfStock as e:
        print("stock", t, "->", e, "| sku", e.sku)
    except InventoryError as e:
        print("error", t, "->", e)
print(sorted(led.stock.items()), len(led.history))
print({sku: qty for sku, qty in led.stock.items() if qty == 0})
