# Practical validation regexes: emails, ISO dates, semantic versions, hex colors, IPv4.
import re
EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
DATE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([\w.]+))?$")
COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
IPV4 = re.compile(r"^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$")
tests = {
    EMAIL: ["a@b.co", "first.last+tag@sub.example.org", "bad@", "@x.com", "no at.com", "a@b"],
    DATE: ["2024-02-29", "2024-13-01", "1999-12-31", "2024-1-5", "2024-00-10"],
    SEMVER: ["1.2.3", "0.0.1-alpha.1", "01.2.3", "1.2", "10.20.30-rc1"],
    COLOR: ["#fff", "#A0b1C2", "#abcd", "fff", "#12345g"],
    IPV4: ["192.168.0.1", "255.255.255.255", "256.1.1.1", "1.2.3", "01.2.3.4", "0.0.0.0"],
}
for pat, cands in tests.items():
    print(pat.pattern[:20], [(c, bool(pat.match(c))) for c in cands])
m = SEMVER.match("10.20.30-rc1")
print(m.groups(), tuple(int(x) for x in m.groups()[:3]))
print(DATE.match("2024-02-29").groups())
