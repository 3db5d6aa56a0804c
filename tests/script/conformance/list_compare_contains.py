# List equality, ordering comparisons, membership and identity.
print([1, 2] == [1, 2], [1, 2] != [2, 1], [1, 2] < [1, 3], [1, 2] < [1, 2, 0], [] < [0])
print([2] > [1, 100], [1, [2, 3]] == [1, [2, 3]], [1.0] == [1], [[]] == [[]])
print(3 in [1, 2, 3], "a" in ["ab"], [1] in [[1], [2]], None in [0, False], 0 in [False])
print(max([[1, 2], [1, 3], [0, 9]]), min([["b"], ["a", "z"]]))
try:
    [1, 2] < [1, "x"]
except TypeError as e:
    print("TypeError", e)
try:
    [1] < (1,)
except TypeError as e:
    print("TypeError", e)
print([1, 2] == (1, 2), list((1, 2)) == [1, 2])
nan = float("nan")
lst = [nan]
print(lst == lst, [nan] == [nan], nan in lst)
