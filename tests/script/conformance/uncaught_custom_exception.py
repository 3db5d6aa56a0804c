# An uncaught user-defined exception with a custom __str__ shows 'ClassName: message'.
class QuotaExceeded(Exception):
    def __init__(self, user, used, limit):
        super().__init__(user, used, limit)
        self.user, self.used, self.limit = user, used, limit
    def __str__(self):
        return "%s used %d of %d" % (self.user, self.used, self.limit)
usage = {"ann": 3, "bob": 12}
LIMIT = 10
for user, used in usage.items():
    print("checking", user, used)
    if used > LIMIT:
        raise QuotaExceeded(user, used, LIMIT)
print("all good")
