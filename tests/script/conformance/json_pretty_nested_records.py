# Pretty-printing nested records with indent/sort_keys, then parsing back and querying.
import json
inventory = {"warehouse": "W1", "updated": 1700000000,
             "bins": [{"id": "B2", "items": {"bolt": 40, "nut": 0}, "tags": []},
                      {"id": "B1", "items": {}, "tags": ["cold", "fragile"], "note": None}],
             "ratio": 0.75, "active": True}
text = json.dumps(inventory, indent=3, sort_keys=True)
print(text)
back = json.loads(text)
print(back == inventory, [b["id"] for b in back["bins"]], sum(sum(b["items"].values()) for b in back["bins"]))
print(json.dumps(back["bins"][1], indent=None), json.dumps(back["bins"][0], separators=(",", ":"), sort_keys=True))
