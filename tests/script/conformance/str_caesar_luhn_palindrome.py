# Character arithmetic without encode(): Caesar/ROT13, Luhn checksum and palindrome checks.
def caesar(s, k):
    out = []
    for c in s:
        if "a" <= c <= "z":
            out.append(chr((ord(c) - 97 + k) % 26 + 97))
        elif "A" <= c <= "Z":
            out.append(chr((ord(c) - 65 + k) % 26 + 65))
        else:
            out.append(c)
    return "".join(out)
msg = "Hello, World! Zebra-123"
enc = caesar(msg, 3)
print(enc, caesar(enc, -3) == msg, caesar(msg, 13), caesar(caesar(msg, 13), 13) == msg)
def luhn_ok(number):
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0
print([luhn_ok(n) for n in ["4539 1488 0343 6467", "8273 1232 7352 0569", "79927398713", "0"]])
def is_pal(s):
    cleaned = [c.lower() for c in s if c.isalnum()]
    return cleaned == cleaned[::-1]
print([is_pal(s) for s in ["A man, a plan, a canal: Panama", "No 'x' in Nixon", "hello", "", "été"]])
print(sum(ord(c) for c in "checksum") % 256, "".join(sorted(set("mississippi"), key="mississippi".index)))
