# partition and rpartition including missing separators.
print("key=value=more".partition("="))
print("key=value=more".rpartition("="))
print("novalue".partition("="), "novalue".rpartition("="))
print("=start".partition("="), "end=".rpartition("="))
print("".partition("x"))
header = "Content-Type: text/html; charset=utf-8"
name, _, value = header.partition(": ")
print(name, "|", value)
mime, _, params = value.partition(";")
print(mime, "|", params.strip().partition("=")[2])
path = "/usr/local/lib/file.tar.gz"
print(path.rpartition("/")[2], path.rpartition(".")[0])
try:
    "abc".partition("")
except ValueError as e:
    print("ValueError", e)
