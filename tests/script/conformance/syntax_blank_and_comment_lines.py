# A single blank or comment line before a change of indentation keeps block structure.
if False:
    x = 1

print("after if")
for c in range(2):
    print(c)

print("after for")


def f():
    # a comment as the first line of the body
    return 1
def g():

    return 2
class K:
    # comment
    def m(self):
        return 3
    # comment between methods

    def n(self):
        return 4
    
print(f(), g(), K().m(), K().n())
while True:
    break
  # an oddly indented comment does not matter
print("end")
