# dict | and |= merge operators and their precedence rules.
a = {"x": 1, "y": 2}
b = {"y": 20, "z": 30}
print(a | b, b | a, a)
c = a.copy()
c |= b
print(c)
c |= [("w", 0)]
print(c)
print({} | {}, a | {}, {} | b)
try:
    a | [("q", 1)]
except TypeError as e:
    print("TypeError", e)
defaults = {"host": "localhost", "port": 80, "debug": False}
overrides = {"port": 8080}
cfg = defaults | overrides | {"debug": True}
print(cfg)
print(list((defaults | overrides).keys()))
