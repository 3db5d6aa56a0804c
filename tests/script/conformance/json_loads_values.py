# json.loads of objects, arrays, numbers, literals, strings with escapes and unicode.
import json
for text in ['{"a": 1, "b": [true, false, null]}', "[]", "{}", "  [1, 2.5, -3, 1e3, 1E-2, -0, -0.0, 0.5]  ",
             '"simple"', '"esc \\" \\\\ \\/ \\b \\f \\n \\r \\t"', '"\\u00e9\\u65e5"', '"\\ud83d\\ude00"',
             "true", "null", "123", "-7.25", '"h\u00e9llo raw utf8"', '{"nested": {"deep": [[], [{}]]}}',
             "NaN", "Infinity", "-Infinity", '{"a": 1, "a": 2}', '[1,\n 2,\t3]', "12345678901234"]:
    v = json.loads(text)
    print(repr(v), type(v).__name__)
data = json.loads('{"users": [{"id": 1, "name": "Ann"}, {"id": 2, "name": "Bo"}], "count": 2}')
print([u["name"] for u in data["users"]], data["count"] + 1, list(data))
print(json.loads('"\\u0041\\u0042"'), len(json.loads('"\\ud83d\\ude00"')))
