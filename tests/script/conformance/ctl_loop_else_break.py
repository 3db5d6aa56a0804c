# for/else and while/else run the else block only when the loop did not break.
def find(seq, target):
    for i, v in enumerate(seq):
        if v == target:
            print("found at", i)
            break
    else:
        print("not found")
find([1, 2, 3], 2)
find([1, 2, 3], 9)
find([], 1)
n = 0
while n < 3:
    n += 1
else:
    print("while finished normally", n)
n = 0
while True:
    n += 1
    if n > 4:
        break
else:
    print("never")
print("after break", n)
primes = []
for cand in range(2, 30):
    for p in primes:
        if cand % p == 0:
            break
    else:
        primes.append(cand)
print(primes)
for i in range(3):
    for j in range(3):
        if j == 1:
            continue
        if i == 2:
            break
        print(i, j)
    else:
        print("inner done", i)
