# NameError for undefined globals, builtins shadowing and deleted names.
def show(fn):
    try:
        print(fn())
    except NameError as e:
        print(type(e).__name__ + ":", e)
show(lambda: undefined_thing)
def uses_later():
    return later_defined
show(uses_later)
later_defined = "now defined"
show(uses_later)
len_backup = len
def use_len():
    return len("abc")
print(use_len())
len = lambda x: "shadowed"
print(use_len())
del len
print(use_len(), len_backup is len)
tmp = 1
del tmp
show(lambda: tmp)
try:
    del never_existed
except NameError as e:
    print("del NameError:", e)
