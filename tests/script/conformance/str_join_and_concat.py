# str.join over various iterables and concatenation/repetition.
words = ["red", "green", "blue"]
print(", ".join(words), "".join(words), "-".join("abc"))
print(" ".join(str(i) for i in range(5)))
print("|".join(sorted({"b": 1, "a": 2})))
print("".join([]), ",".join(["only"]))
print("ab" * 3, 3 * "xy", "a" * 0, "z" * -1 == "")
s = "start"
s += "-mid"
s += "-end"
print(s, len(s))
try:
    ", ".join([1, 2])
except TypeError as e:
    print("TypeError", e)
try:
    "a" + 1
except TypeError as e:
    print("TypeError", e)
print("é" + "日本" + "😀", len("é" + "日本" + "😀"))
print("\n".join(["x", "y"]))
print(", ".join(map(str, [1.5, None, True])))
