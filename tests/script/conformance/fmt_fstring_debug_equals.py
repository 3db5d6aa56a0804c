# The f-string = debug specifier keeps the expression text and uses repr by default.
x = 42
name = "Ann"
vals = [1, 2]
print(f"{x=}")
print(f"{name=}")
print(f"{x = }")
print(f"{x=!s}", f"{name=!s}")
print(f"{x*2=}", f"{len(vals)=}", f"{vals[0]=}")
print(f"{3.14159=:.2f}", f"{x=:>6}", f"{x=:#x}")
print(f"{name.upper()=}", f"{x > 40=}")
print(f"{vals=}", f"{None=}", f"{'str'=}")
d = {"k": 1}
print(f"{d['k']=}")
print(f"{ x = }|")
