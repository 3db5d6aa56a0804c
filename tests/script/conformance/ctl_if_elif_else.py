# if/elif/else chains, nested ifs and truthiness of conditions.
def classify(n):
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    elif n < 10:
        if n % 2:
            return "small odd"
        else:
            return "small even"
    else:
        return "large"
for v in [-5, 0, 3, 4, 10, 99]:
    print(v, classify(v))
for cond in [[], [0], "", "0", 0.0, None, {}, {0: 0}]:
    if cond:
        print(repr(cond), "truthy")
    else:
        print(repr(cond), "falsy")
x = 7
if x > 5: print("one-line if")
if not x: pass
else: print("one-line else")
grade = 83
letter = "A" if grade >= 90 else "B" if grade >= 80 else "C"
print(letter)
