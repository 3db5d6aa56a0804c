# json.JSONDecodeError messages, positions and its ValueError base class.
import json
bad_docs = ["", "   ", "{", "[1, 2", "[1,]", '{"a": }', '{"a" 1}', "{a: 1}", '{"a": 1,}', "[1] x",
            '"unterminated', '"bad \\x escape"', "tru", "01", "[1 2]", '{"a": 1 "b": 2}', "nul", "-", '"\\u12"',
            "{'single': 1}", "[\n1,\n]"]
for doc in bad_docs:
    try:
        json.loads(doc)
        print("parsed?!", repr(doc))
    except json.JSONDecodeError as e:
        print(repr(doc), "->", e, "|", e.msg, e.pos, e.lineno, e.colno)
print(issubclass(json.JSONDecodeError, ValueError))
try:
    json.loads("[")
except ValueError as e:
    print("as ValueError:", type(e).__name__, e)
