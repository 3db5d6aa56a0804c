# An uncaught KeyError prints the repr of the missing key on the last stderr line.
config = {"host": "localhost", "port": 8080}
def lookup(key):
    return config[key]
for k in ["host", "port"]:
    print(k, lookup(k))
print("looking up timeout")
print(sorted(config))
timeout = lookup("timeout")
print("unreachable", timeout)
print("unreachable too")
