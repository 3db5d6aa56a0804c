# An uncaught TypeError from mixing str and int in addition.
def total_length(items):
    total = 0
    for it in items:
        total = total + it
        print("running total", total)
    return total
print(total_length([1, 2, 3]))
print(total_length([10, "20", 30]))
print("unreachable")
x = 1
print(x)
