# pass in functions, classes, loops and branches; ellipsis as a statement.
def nothing():
    pass
class Empty:
    pass
for _ in range(3):
    pass
if True:
    pass
else:
    pass
while False:
    pass
def stub():
    ...
print(nothing(), stub(), type(Empty).__name__, Empty.__name__)
e = Empty()
e.value = 3
print(e.value, isinstance(e, Empty))
try:
    pass
except Exception:
    pass
finally:
    print("finally ran")
print(..., type(...).__name__)
print(_)
