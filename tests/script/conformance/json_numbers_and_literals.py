# JSON numbers and literals: ints vs floats, exponents, negative zero, big-ish ints, bool/None.
import json
for text in ["0", "-0", "1.0", "1e2", "1E+2", "-1.5e-3", "123456789012345678", "0.1", "3.141592653589793",
             "1e-320", "-0.0", "true", "false", "null", "[1, 2.0, 3e0]"]:
    v = json.loads(text)
    print(text, "->", repr(v), type(v).__name__, json.dumps(v))
print(json.dumps([True, False, None]), json.dumps({"t": True}), json.dumps(1 / 3), json.dumps(2.0 ** 60))
print(json.dumps(10 ** 18), json.dumps(-(2 ** 62)), json.dumps(1e22), json.dumps(1e21), json.dumps(123e-7))
print(json.loads("  42  "), json.loads("\n[\n]\n"), json.loads('{"a":{"b":{"c":[1,{"d":null}]}}}'))
for bad in ["1.", ".5", "+1", "0x10", "1e", "--1", "Infinity1"]:
    try:
        print(bad, "->", json.loads(bad))
    except json.JSONDecodeError as e:
        print(bad, "-> JSONDecodeError", e)
