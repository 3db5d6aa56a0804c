# IGNORECASE, MULTILINE, DOTALL and VERBOSE flags, alone and combined, inline too.
import re
text = "First line\nsecond Line\nTHIRD LINE"
print(re.findall(r"line", text), re.findall(r"line", text, re.IGNORECASE), re.findall(r"line", text, re.I))
print(re.findall(r"^\w+", text), re.findall(r"^\w+", text, re.MULTILINE), re.findall(r"\w+$", text, re.M))
print(re.search(r"line.second", text), re.search(r"line.second", text, re.DOTALL), re.search(r"line.second", text, re.S))
print(re.findall(r"^s.*$", text, re.M | re.I), re.findall(r"(?im)^t\w+", text), re.findall(r"(?s)t.*?e", "tA\nBe"))
phone = re.compile(r"""
    (\d{3})   # area code
    [-.\s]?   # optional separator
    (\d{4})   # number
""", re.VERBOSE)
print(phone.findall("call 555-1234 or 555.9876 or 5550000"))
print(re.match(r"(?i)abc", "ABC"), re.match(r"abc", "ABC", flags=re.IGNORECASE).group())
print(re.findall(r"é", "ÉéE", re.I), re.findall(r"straße", "STRASSE straße", re.I))
print(bool(re.I & re.I), (re.I | re.M) == (re.M | re.I))
print(re.sub(r"\s+#.*$", "", "x = 1  # comment\ny = 2 # c2", flags=re.M))
