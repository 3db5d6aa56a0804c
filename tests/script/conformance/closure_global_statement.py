# global statements inside functions rebind module names; reading globals without global.
counter = 0
config = {"level": 1}
def bump():
    global counter
    counter += 1
    return counter
def read_only():
    return counter * 10
def mutate_config():
    config["level"] += 1
def rebind_new():
    global created_later
    created_later = "made inside"
print(bump(), bump(), read_only())
mutate_config()
print(config)
rebind_new()
print(created_later)
def shadow():
    counter = -1
    return counter
print(shadow(), counter)
def nested_global():
    def inner():
        global counter
        counter = 1000
    inner()
nested_global()
print(counter)
x = 1
def uses_global_in_loop():
    global x
    for i in range(3):
        x = x * 2 + i
uses_global_in_loop()
print(x)
