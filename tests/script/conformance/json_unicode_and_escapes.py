# json handling of unicode: ensure_ascii escaping, surrogate pairs, control chars, round trips.
import json
samples = ["héllo", "日本語", "😀 emoji", "tab\tquote\"slash\\", "\x00\x01\x1f\x7f", "\u2028", "€100", ""]
for s in samples:
    a = json.dumps(s)
    u = json.dumps(s, ensure_ascii=False)
    print(a, u, json.loads(a) == s, json.loads(u) == s)
print(json.loads('"\\u00e9\\u00E9"'), json.loads('"\\ud83d\\ude00"') == "😀", json.loads('"\\/"'))
print(json.dumps({"clé": "välue"}), json.dumps({"clé": "välue"}, ensure_ascii=False))
print(json.dumps(["a", "é"], ensure_ascii=False, separators=(",", ":")))
print(repr(json.loads('"line\\nbreak"')), len(json.loads('"\\t\\n\\r\\b\\f"')))
