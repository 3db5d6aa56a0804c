# return/break/continue inside try and finally: finally wins and can swallow exceptions.
def ret_in_finally():
    try:
        return "try"
    finally:
        return "finally"
def swallow():
    try:
        raise ValueError("lost")
    finally:
        return "swallowed"
def finally_sees_return():
    x = []
    try:
        x.append(1)
        return x
    finally:
        x.append(2)
print(ret_in_finally(), swallow(), finally_sees_return())
for i in range(3):
    try:
        if i == 1:
            continue
        print("body", i)
    finally:
        print("finally", i)
for i in range(5):
    try:
        if i == 2:
            break
    finally:
        print("cleanup", i)
print("after loop", i)
count = 0
while True:
    try:
        count += 1
        if count < 3:
            continue
        break
    finally:
        print("while finally", count)
def break_in_finally():
    for i in range(3):
        try:
            raise KeyError(i)
        finally:
            break
    return "broke out, exception dropped"
print(break_in_finally())
def continue_in_finally():
    out = []
    for i in range(3):
        try:
            1 / 0
        finally:
            out.append(i)
            continue
    return out
print(continue_in_finally())
