# A three-level user exception hierarchy: catch order matters, base catches subclasses.
class DataError(Exception):
    code = 100
class SchemaError(DataError):
    code = 200
class MissingField(SchemaError):
    code = 201
    def __init__(self, field):
        super().__init__("missing field: " + field)
        self.field = field
class BadType(SchemaError):
    code = 202
def validate(rec):
    for f in ("id", "value"):
        if f not in rec:
            raise MissingField(f)
    if not isinstance(rec["value"], (int, float)):
        raise BadType("value must be number, got %s" % type(rec["value"]).__name__)
    if rec["value"] < 0:
        raise DataError("negative value")
    return "valid"
recs = [{"id": 1, "value": 2}, {"id": 2}, {"id": 3, "value": "x"}, {"id": 4, "value": -1}, {}]
for r in recs:
    try:
        print(validate(r))
    except MissingField as e:
        print("MissingField", e.field, e.code, e)
    except SchemaError as e:
        print("SchemaError", type(e).__name__, e.code, e)
    except DataError as e:
        print("DataError", e.code, e.args)
print([c.__name__ for c in (MissingField, BadType) if issubclass(c, SchemaError)], issubclass(BadType, MissingField))
try:
    raise MissingField("zz")
except DataError as e:
    print(isinstance(e, SchemaError), type(e).__name__, e.code, repr(e))
