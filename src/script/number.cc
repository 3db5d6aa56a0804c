// int, float and bool: constructors (int(x, base), float(str), bool(x)) and
// their methods (bit_length, is_integer, as_integer_ratio, ...).
#include <cmath>

#include "script/runtime.h"

namespace edgeflow::script {

int64_t IntegralToInt(VM& vm, double integral) {
  if (std::isnan(integral)) ValueError(vm, "cannot convert float NaN to integer");
  if (std::isinf(integral)) Raise(vm, T().OverflowError, "cannot convert float infinity to integer");
  if (integral >= 9223372036854775808.0 || integral < -9223372036854775808.0) {
    Raise(vm, T().OverflowError, "int too large for edgeflow's 64-bit int");
  }
  return static_cast<int64_t>(integral);
}

namespace {

Value IntFromFloat(VM& vm, double d) { return Value::Int(IntegralToInt(vm, std::trunc(d))); }

Value IntCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[2];
  ParseArgs(vm, {"int", {"x", "base"}, 0}, a, n, kw, opts);
  Value x = opts[0];
  if (!opts[1].unbound()) {
    int64_t base = IndexValue(vm, opts[1]);
    if (x.unbound()) TypeError(vm, "int() missing string argument");
    if (!IsStr(x)) TypeError(vm, "int() can't convert non-string with explicit base");
    if (base != 0 && (base < 2 || base > 36)) ValueError(vm, "int() base must be >= 2 and <= 36, or 0");
    return ParseInt(vm, As<StrObj>(x)->view(), static_cast<int>(base));
  }
  if (x.unbound()) return Value::Int(0);
  if (x.is_intlike()) return Value::Int(x.i);
  if (x.tag == Tag::kFloat) return IntFromFloat(vm, x.f);
  if (IsStr(x)) return ParseInt(vm, As<StrObj>(x)->view(), 10);
  if (x.is_obj() && !x.o->cls->is_builtin) {
    for (const char* name : {"__int__", "__index__", "__trunc__"}) {
      Value m = LookupClass(x.o->cls, name);
      if (!m.unbound()) {
        Value r = Call1(vm, m, x);
        if (!r.is_intlike()) {
          TypeError(vm, std::string(name) + " returned non-int (type " + std::string(TypeName(r)) + ")");
        }
        return Value::Int(r.i);
      }
    }
  }
  TypeError(vm, "int() argument must be a string, a bytes-like object or a real number, not '" +
                    std::string(TypeName(x)) + "'");
}

Value FloatCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "float", kw);
  CheckArgs(vm, "float", n, 0, 1);
  if (n == 0) return Value::Float(0.0);
  Value x = a[0];
  if (x.tag == Tag::kFloat) return x;
  if (x.is_intlike()) return Value::Float(static_cast<double>(x.i));
  if (IsStr(x)) return ParseFloat(vm, As<StrObj>(x)->view());
  if (x.is_obj() && !x.o->cls->is_builtin) {
    Value m = LookupClass(x.o->cls, N().__float__);
    if (!m.unbound()) {
      Value r = Call1(vm, m, x);
      if (r.tag != Tag::kFloat) {
        TypeError(vm, std::string(TypeName(x)) + ".__float__ returned non-float (type " +
                          std::string(TypeName(r)) + ")");
      }
      return r;
    }
    Value idx = LookupClass(x.o->cls, N().__index__);
    if (!idx.unbound()) return Value::Float(static_cast<double>(IndexValue(vm, x)));
  }
  TypeError(vm, "float() argument must be a string or a real number, not '" +
                    std::string(TypeName(x)) + "'");
}

Value BoolCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "bool", kw);
  CheckArgs(vm, "bool", n, 0, 1);
  return Value::Bool(n == 1 && Truthy(vm, a[0]));
}

Value NoneCtor(VM& vm, Value*, int n, TupleObj*) {
  CheckArgs(vm, "NoneType", n, 0, 0);
  return Value::None();
}

int64_t SelfInt(VM& vm, const Value& v, const char* m) {
  if (!v.is_intlike()) {
    TypeError(vm, std::string("descriptor '") + m + "' requires an 'int' object but received a '" +
                      std::string(TypeName(v)) + "'");
  }
  return v.i;
}

double SelfFloat(VM& vm, const Value& v, const char* m) {
  if (v.tag != Tag::kFloat) {
    TypeError(vm, std::string("descriptor '") + m + "' requires a 'float' object but received a '" +
                      std::string(TypeName(v)) + "'");
  }
  return v.f;
}

Value IBitLength(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "bit_length", n - 1, 0, 0);
  int64_t v = SelfInt(vm, a[0], "bit_length");
  uint64_t m = v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  return Value::Int(m == 0 ? 0 : 64 - __builtin_clzll(m));
}

Value IBitCount(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "bit_count", n - 1, 0, 0);
  int64_t v = SelfInt(vm, a[0], "bit_count");
  uint64_t m = v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  return Value::Int(__builtin_popcountll(m));
}

Value IConjugate(VM& vm, Value* a, int, TupleObj*) {
  return Value::Int(SelfInt(vm, a[0], "conjugate"));
}

Value IRatio(VM& vm, Value* a, int, TupleObj*) {
  Value items[2] = {Value::Int(SelfInt(vm, a[0], "as_integer_ratio")), Value::Int(1)};
  return V(NewTupleFrom(&vm, items, 2));
}

Value IIndex(VM& vm, Value* a, int, TupleObj*) { return Value::Int(SelfInt(vm, a[0], "__index__")); }

Value FIsInteger(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "is_integer", n - 1, 0, 0);
  double d = SelfFloat(vm, a[0], "is_integer");
  return Value::Bool(std::isfinite(d) && d == std::floor(d));
}

Value FConjugate(VM& vm, Value* a, int, TupleObj*) {
  return Value::Float(SelfFloat(vm, a[0], "conjugate"));
}

Value FRatio(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "as_integer_ratio", n - 1, 0, 0);
  double d = SelfFloat(vm, a[0], "as_integer_ratio");
  if (std::isinf(d)) Raise(vm, T().OverflowError, "cannot convert Infinity to integer ratio");
  if (std::isnan(d)) ValueError(vm, "cannot convert NaN to integer ratio");
  int e;
  double m = std::frexp(d, &e);
  for (int i = 0; i < 300 && m != std::floor(m); ++i) {
    m *= 2.0;
    --e;
  }
  // numerator * 2**e, reduced; both must fit in 64 bits.
  if (std::fabs(m) >= 9223372036854775808.0) Raise(vm, T().OverflowError, "integer ratio out of 64-bit range");
  int64_t num = static_cast<int64_t>(m);
  int64_t den = 1;
  if (e > 0) {
    if (e >= 63 || (num != 0 && std::llabs(num) > (INT64_MAX >> e))) {
      Raise(vm, T().OverflowError, "integer ratio out of 64-bit range");
    }
    num <<= e;
  } else if (e < 0) {
    if (-e >= 63) Raise(vm, T().OverflowError, "integer ratio out of 64-bit range");
    den <<= -e;
    while ((num & 1) == 0 && den > 1) {
      num >>= 1;
      den >>= 1;
    }
  }
  Value items[2] = {Value::Int(num), Value::Int(den)};
  return V(NewTupleFrom(&vm, items, 2));
}

Value FHex(VM& vm, Value* a, int, TupleObj*) {
  double d = SelfFloat(vm, a[0], "hex");
  if (std::isnan(d)) return Str(vm, "nan");
  if (std::isinf(d)) return Str(vm, d > 0 ? "inf" : "-inf");
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", d);
  // C prints 0x1.8p+1; Python pads the fraction to 13 hex digits: 0x1.8000000000000p+1.
  std::string s = buf;
  size_t dot = s.find('.');
  size_t p = s.find('p');
  if (d == 0.0) return Str(vm, std::signbit(d) ? "-0x0.0p+0" : "0x0.0p+0");
  std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1, p - dot - 1);
  std::string head = s.substr(0, dot == std::string::npos ? p : dot);
  frac.resize(13, '0');
  return Str(vm, head + "." + frac + s.substr(p));
}

}  // namespace

void RegisterIntMethods(ClassObj* int_, ClassObj* float_, ClassObj* bool_) {
  int_->ctor = IntCtor;
  float_->ctor = FloatCtor;
  bool_->ctor = BoolCtor;
  T().none->ctor = NoneCtor;
  AddNative(int_->dict, "bit_length", IBitLength);
  AddNative(int_->dict, "bit_count", IBitCount);
  AddNative(int_->dict, "conjugate", IConjugate);
  AddNative(int_->dict, "as_integer_ratio", IRatio);
  AddNative(int_->dict, "__index__", IIndex);
  AddNative(float_->dict, "is_integer", FIsInteger);
  AddNative(float_->dict, "conjugate", FConjugate);
  AddNative(float_->dict, "as_integer_ratio", FRatio);
  AddNative(float_->dict, "hex", FHex);
}

}  // namespace edgeflow::script
