# User exception classes with custom __init__, __str__, extra attributes and hierarchies.
class AppError(Exception):
    pass
class ValidationError(AppError):
    def __init__(self, field, problem):
        super().__init__(field, problem)
        self.field = field
        self.problem = problem
    def __str__(self):
        return "%s: %s" % (self.field, self.problem)
class NotFound(AppError):
    def __init__(self, key):
        super().__init__("not found: " + key)
        self.key = key
def check(rec):
    if "id" not in rec:
        raise NotFound("id")
    if rec["id"] < 0:
        raise ValidationError("id", "must be >= 0")
    return "ok"
for rec in [{"id": 1}, {}, {"id": -5}]:
    try:
        print(check(rec))
    except ValidationError as e:
        print("ValidationError", e, e.args, e.field, repr(str(e)))
    except AppError as e:
        print(type(e).__name__, e, e.args, getattr(e, "key", None))
print(issubclass(ValidationError, AppError), issubclass(NotFound, Exception))
e = AppError("a", 2)
print(repr(e), str(e), e.args, repr(AppError()), str(AppError()), repr(AppError("only")))
class Coded(Exception):
    def __init__(self, code):
        self.code = code
c = Coded(404)
print(c.code, c.args, repr(c), str(c))
