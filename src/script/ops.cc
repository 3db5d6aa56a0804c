// The numeric tower and the generic operator protocol: truth, arithmetic
// (64-bit ints that raise OverflowError instead of growing, IEEE floats with
// CPython's division and modulo rules), comparison, containment and hashing
// (bit-compatible with CPython so that sets iterate in the same order).
#include <cmath>
#include <cstring>
#include <limits>

#include "script/runtime.h"

namespace edgeflow::script {

namespace {

constexpr uint64_t kHashModulus = (1ull << 61) - 1;
constexpr int kHashBits = 61;

const char* const kOpSymbols[kNumBinOps] = {"+",  "-",  "*", "/", "//", "%", "**",
                                            "<<", ">>", "&", "|", "^",  "@"};
const char* const kOpNames[kNumBinOps] = {"add",    "sub",    "mul", "truediv", "floordiv",
                                          "mod",    "pow",    "lshift", "rshift", "and",
                                          "or",     "xor",    "matmul"};
const char* const kCmpSymbols[kNumCmpOps] = {"<", "<=", "==", "!=", ">", ">="};
const char* const kCmpNames[kNumCmpOps] = {"__lt__", "__le__", "__eq__",
                                           "__ne__", "__gt__", "__ge__"};
const int kCmpSwapped[kNumCmpOps] = {kGt, kGe, kEq, kNe, kLt, kLe};

[[noreturn]] void Overflow(VM& vm) {
  Raise(vm, T().OverflowError, "integer result out of 64-bit range (edgeflow ints are 64-bit)");
}

[[noreturn]] void Unsupported(VM& vm, int op, const Value& a, const Value& b) {
  std::string sym = kOpSymbols[op];
  if (op == kPow) sym = "** or pow()";
  TypeError(vm, "unsupported operand type(s) for " + sym + ": '" + std::string(TypeName(a)) +
                    "' and '" + std::string(TypeName(b)) + "'");
}

bool IsNumber(const Value& v) {
  return v.tag == Tag::kInt || v.tag == Tag::kBool || v.tag == Tag::kFloat;
}

bool IsUserObject(const Value& v) { return v.is_obj() && !v.o->cls->is_builtin; }

// Calls type(a).<name>(a, b) when defined; unbound when missing or NotImplemented.
Value TryDunder(VM& vm, const Value& a, const char* name, const Value& b) {
  Value m = LookupClass(TypeOf(a), name);
  if (m.unbound() || m.is_none()) return Value();
  Value r = Call2(vm, m, a, b);
  if (r.is_obj() && r.o == T().not_implemented) return Value();
  return r;
}

Value DunderBinary(VM& vm, int op, const Value& a, const Value& b, bool* found) {
  std::string fwd = std::string("__") + kOpNames[op] + "__";
  std::string ref = std::string("__r") + kOpNames[op] + "__";
  *found = true;
  ClassObj* ta = TypeOf(a);
  ClassObj* tb = TypeOf(b);
  bool b_first = ta != tb && IsSubclass(tb, ta) && !LookupClass(tb, ref).unbound();
  if (b_first) {
    Value r = TryDunder(vm, b, ref.c_str(), a);
    if (!r.unbound()) return r;
  }
  Value r = TryDunder(vm, a, fwd.c_str(), b);
  if (!r.unbound()) return r;
  if (ta != tb && !b_first) {
    r = TryDunder(vm, b, ref.c_str(), a);
    if (!r.unbound()) return r;
  }
  *found = false;
  return Value();
}

double IntTrueDiv(VM& vm, int64_t a, int64_t b) {
  if (b == 0) Raise(vm, T().ZeroDivisionError, "division by zero");
  constexpr int64_t kExact = 1ll << 53;
  if (a > -kExact && a < kExact && b > -kExact && b < kExact) {
    return static_cast<double>(a) / static_cast<double>(b);
  }
  return static_cast<double>(static_cast<long double>(a) / static_cast<long double>(b));
}

double FloatPow(VM& vm, double a, double b) {
  if (a == 0.0 && b < 0.0 && std::isfinite(b)) {
    Raise(vm, T().ZeroDivisionError, "0.0 cannot be raised to a negative power");
  }
  if (a < 0.0 && std::isfinite(a) && std::isfinite(b) && b != std::floor(b)) {
    // CPython returns a complex number here; edgeflow has no complex type.
    ValueError(vm, "negative number cannot be raised to a fractional power");
  }
  double r = std::pow(a, b);
  if (std::isinf(r) && std::isfinite(a) && std::isfinite(b)) {
    Raise(vm, T().OverflowError, "(34, 'Numerical result out of range')");
  }
  return r;
}

Value IntOp(VM& vm, int op, int64_t a, int64_t b, bool bools) {
  int64_t r;
  switch (op) {
    case kAdd:
      if (__builtin_add_overflow(a, b, &r)) Overflow(vm);
      return Value::Int(r);
    case kSub:
      if (__builtin_sub_overflow(a, b, &r)) Overflow(vm);
      return Value::Int(r);
    case kMul:
      if (__builtin_mul_overflow(a, b, &r)) Overflow(vm);
      return Value::Int(r);
    case kTrueDiv: return Value::Float(IntTrueDiv(vm, a, b));
    case kFloorDiv: return FloorDivInt(vm, a, b);
    case kMod: return ModInt(vm, a, b);
    case kPow: return IntPow(vm, a, b);
    case kLShift:
      if (b < 0) ValueError(vm, "negative shift count");
      if (a == 0) return Value::Int(0);
      if (b >= 63) Overflow(vm);
      r = static_cast<int64_t>(static_cast<uint64_t>(a) << b);
      if ((r >> b) != a) Overflow(vm);
      return Value::Int(r);
    case kRShift:
      if (b < 0) ValueError(vm, "negative shift count");
      if (b >= 64) return Value::Int(a < 0 ? -1 : 0);
      return Value::Int(a >> b);
    case kBitAnd: return bools ? Value::Bool((a & b) != 0) : Value::Int(a & b);
    case kBitOr: return bools ? Value::Bool((a | b) != 0) : Value::Int(a | b);
    case kBitXor: return bools ? Value::Bool((a ^ b) != 0) : Value::Int(a ^ b);
    default: return Value();
  }
}

Value FloatOp(VM& vm, int op, double a, double b) {
  switch (op) {
    case kAdd: return Value::Float(a + b);
    case kSub: return Value::Float(a - b);
    case kMul: return Value::Float(a * b);
    case kTrueDiv:
      if (b == 0.0) Raise(vm, T().ZeroDivisionError, "float division by zero");
      return Value::Float(a / b);
    case kFloorDiv: return Value::Float(FloatFloorDiv(vm, a, b));
    case kMod: return Value::Float(FloatMod(vm, a, b));
    case kPow: return Value::Float(FloatPow(vm, a, b));
    default: return Value();
  }
}

Value RepeatSequence(VM& vm, const Value& seq, int64_t n) {
  if (n < 0) n = 0;
  if (IsStr(seq)) {
    auto* s = As<StrObj>(seq);
    if (n == 0 || s->nbytes == 0) return Str(vm, "");
    if (s->nbytes > 0 && n > (int64_t{1} << 40) / s->nbytes) {
      Raise(vm, T().MemoryError, "");
    }
    CheckRoom(vm, n, s->nbytes);
    std::string out;
    out.reserve(s->nbytes * n);
    for (int64_t i = 0; i < n; ++i) out.append(s->view());
    return Str(vm, out);
  }
  const Value* items;
  int64_t len;
  if (IsList(seq)) {
    items = As<ListObj>(seq)->items.data();
    len = static_cast<int64_t>(As<ListObj>(seq)->items.size());
  } else {
    items = As<TupleObj>(seq)->items;
    len = As<TupleObj>(seq)->n;
  }
  if (len > 0 && n > (int64_t{1} << 32) / len) Raise(vm, T().MemoryError, "");
  CheckRoom(vm, n, len * static_cast<int64_t>(sizeof(Value)));
  if (IsList(seq)) {
    ListObj* l = NewList(&vm, len * n);
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = 0; j < len; ++j) l->items[i * len + j] = items[j];
    }
    return V(l);
  }
  TupleObj* t = NewTuple(&vm, len * n);
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < len; ++j) t->items[i * len + j] = items[j];
  }
  return V(t);
}

Value ConcatSequences(VM& vm, const Value& a, const Value& b) {
  if (IsList(a)) {
    auto* la = As<ListObj>(a);
    auto* lb = As<ListObj>(b);
    ListObj* l = NewList(&vm, 0);
    l->items.reserve(la->items.size() + lb->items.size());
    l->items.insert(l->items.end(), la->items.begin(), la->items.end());
    l->items.insert(l->items.end(), lb->items.begin(), lb->items.end());
    vm.Account(static_cast<int64_t>(l->items.size() * sizeof(Value)));
    return V(l);
  }
  auto* ta = As<TupleObj>(a);
  auto* tb = As<TupleObj>(b);
  TupleObj* t = NewTuple(&vm, ta->n + tb->n);
  for (int64_t i = 0; i < ta->n; ++i) t->items[i] = ta->items[i];
  for (int64_t i = 0; i < tb->n; ++i) t->items[ta->n + i] = tb->items[i];
  return V(t);
}

bool IsSeqKind(const Value& v, Kind k) { return v.is_obj() && v.o->kind == k; }

}  // namespace

// ---- truth ----

bool Truthy(VM& vm, const Value& v) {
  switch (v.tag) {
    case Tag::kNone: return false;
    case Tag::kBool:
    case Tag::kInt: return v.i != 0;
    case Tag::kFloat: return v.f != 0.0;
    case Tag::kUnbound: return false;
    case Tag::kObj: break;
  }
  Object* o = v.o;
  switch (o->kind) {
    case Kind::kStr: return static_cast<StrObj*>(o)->nbytes != 0;
    case Kind::kTuple: return static_cast<TupleObj*>(o)->n != 0;
    case Kind::kList:
      if (o->cls == T().list) return !static_cast<ListObj*>(o)->items.empty();
      break;
    case Kind::kDict:
      if (o->cls->is_builtin) return static_cast<DictObj*>(o)->live != 0;
      break;
    case Kind::kSet:
      if (o->cls->is_builtin) return static_cast<SetObj*>(o)->used != 0;
      break;
    case Kind::kDeque: return !static_cast<DequeObj*>(o)->items.empty();
    case Kind::kRange:
    case Kind::kDictView: return Len(vm, v) != 0;
    case Kind::kInstance:
      if (o == T().not_implemented) return true;
      break;
    default: return true;
  }
  if (o->cls->is_builtin && o->kind != Kind::kInstance) return Len(vm, v) != 0;
  Value b = LookupClass(o->cls, N().__bool__);
  if (!b.unbound()) {
    Value r = Call1(vm, b, v);
    if (r.tag != Tag::kBool) {
      TypeError(vm, "__bool__ should return bool, returned " + std::string(TypeName(r)));
    }
    return r.i != 0;
  }
  Value l = LookupClass(o->cls, N().__len__);
  if (!l.unbound()) {
    if (o->kind != Kind::kInstance) return Len(vm, v) != 0;
    Value r = Call1(vm, l, v);
    if (!r.is_intlike()) {
      TypeError(vm, "'" + std::string(TypeName(r)) + "' object cannot be interpreted as an integer");
    }
    if (r.i < 0) ValueError(vm, "__len__() should return >= 0");
    return r.i != 0;
  }
  return true;
}

// ---- integer helpers ----

Value FloorDivInt(VM& vm, int64_t a, int64_t b) {
  if (b == 0) Raise(vm, T().ZeroDivisionError, "integer division or modulo by zero");
  if (a == INT64_MIN && b == -1) Overflow(vm);
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return Value::Int(q);
}

Value ModInt(VM& vm, int64_t a, int64_t b) {
  if (b == 0) Raise(vm, T().ZeroDivisionError, "integer modulo by zero");
  if (b == -1) return Value::Int(0);
  int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return Value::Int(m);
}

Value IntPow(VM& vm, int64_t a, int64_t b) {
  if (b < 0) {
    if (a == 0) Raise(vm, T().ZeroDivisionError, "0.0 cannot be raised to a negative power");
    return Value::Float(std::pow(static_cast<double>(a), static_cast<double>(b)));
  }
  int64_t result = 1;
  int64_t base = a;
  while (b > 0) {
    if (b & 1) {
      if (__builtin_mul_overflow(result, base, &result)) Overflow(vm);
    }
    b >>= 1;
    if (b > 0 && __builtin_mul_overflow(base, base, &base)) {
      // |base| > 1 squared overflows; only fatal if another factor is needed.
      Overflow(vm);
    }
  }
  return Value::Int(result);
}

double FloatMod(VM& vm, double a, double b) {
  if (b == 0.0) Raise(vm, T().ZeroDivisionError, "float modulo");
  double mod = std::fmod(a, b);
  if (mod != 0.0) {
    if ((b < 0) != (mod < 0)) mod += b;
  } else {
    mod = std::copysign(0.0, b);
  }
  return mod;
}

double FloatFloorDiv(VM& vm, double a, double b) {
  if (b == 0.0) Raise(vm, T().ZeroDivisionError, "float floor division by zero");
  // CPython's _float_div_mod.
  double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0.0) {
    if ((b < 0) != (mod < 0)) div -= 1.0;
  }
  double floordiv;
  if (div != 0.0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, a / b);
  }
  return floordiv;
}

int64_t IndexValue(VM& vm, const Value& v) {
  if (v.is_intlike()) return v.i;
  if (IsUserObject(v)) {
    Value m = LookupClass(v.o->cls, N().__index__);
    if (!m.unbound()) {
      Value r = Call1(vm, m, v);
      if (r.is_intlike()) return r.i;
    }
  }
  TypeError(vm, "'" + std::string(TypeName(v)) + "' object cannot be interpreted as an integer");
}

double ToDouble(VM& vm, const Value& v) {
  if (v.tag == Tag::kFloat) return v.f;
  if (v.is_intlike()) return static_cast<double>(v.i);
  if (IsUserObject(v)) {
    Value m = LookupClass(v.o->cls, N().__float__);
    if (!m.unbound()) {
      Value r = Call1(vm, m, v);
      if (r.tag == Tag::kFloat) return r.f;
    }
  }
  TypeError(vm, "must be real number, not " + std::string(TypeName(v)));
}

// ---- arithmetic ----

Value BinaryOp(VM& vm, int op, const Value& a, const Value& b) {
  if (a.is_intlike() && b.is_intlike()) {
    Value r = IntOp(vm, op, a.i, b.i, a.is_bool() && b.is_bool());
    if (!r.unbound()) return r;
    Unsupported(vm, op, a, b);
  }
  if (IsNumber(a) && IsNumber(b)) {
    double x = a.tag == Tag::kFloat ? a.f : static_cast<double>(a.i);
    double y = b.tag == Tag::kFloat ? b.f : static_cast<double>(b.i);
    Value r = FloatOp(vm, op, x, y);
    if (!r.unbound()) return r;
    Unsupported(vm, op, a, b);
  }
  if (IsUserObject(a) || IsUserObject(b)) {
    bool found;
    Value r = DunderBinary(vm, op, a, b, &found);
    if (found) return r;
  }
  // Builtin sequences, strings, sets and mappings.
  if (a.is_obj()) {
    Kind ka = a.o->kind;
    switch (op) {
      case kAdd:
        if (ka == Kind::kStr) {
          if (IsStr(b)) return V(StrConcat(vm, As<StrObj>(a), As<StrObj>(b)));
          TypeError(vm, "can only concatenate str (not \"" + std::string(TypeName(b)) +
                            "\") to str");
        }
        if (ka == Kind::kList && a.o->cls->layout == Kind::kList) {
          if (IsSeqKind(b, Kind::kList)) return ConcatSequences(vm, a, b);
          if (a.o->cls == T().list) {
            TypeError(vm, "can only concatenate list (not \"" + std::string(TypeName(b)) +
                              "\") to list");
          }
        }
        if (ka == Kind::kTuple) {
          if (IsSeqKind(b, Kind::kTuple)) return ConcatSequences(vm, a, b);
          TypeError(vm, "can only concatenate tuple (not \"" + std::string(TypeName(b)) +
                            "\") to tuple");
        }
        break;
      case kMul:
        if (ka == Kind::kStr || ka == Kind::kList || ka == Kind::kTuple) {
          if (b.is_intlike()) return RepeatSequence(vm, a, b.i);
          if (b.is_obj() && !b.o->cls->is_builtin) {
            Value idx = LookupClass(b.o->cls, N().__index__);
            if (!idx.unbound()) return RepeatSequence(vm, a, IndexValue(vm, b));
          }
          TypeError(vm, "can't multiply sequence by non-int of type '" + std::string(TypeName(b)) + "'");
        }
        break;
      case kMod:
        if (ka == Kind::kStr) return PercentFormat(vm, As<StrObj>(a), b);
        break;
      default: break;
    }
    if (ka == Kind::kSet && IsSet(b) && (op == kBitOr || op == kBitAnd || op == kSub ||
                                         op == kBitXor)) {
      return SetBinary(vm, op, As<SetObj>(a), As<SetObj>(b));
    }
    if (ka == Kind::kDict && op == kBitOr && IsDict(b) && a.o->cls == T().dict) {
      DictObj* d = DictCopy(vm, As<DictObj>(a));
      DictUpdate(vm, d, b);
      return V(d);
    }
  }
  if (op == kMul && b.is_obj()) {
    Kind kb = b.o->kind;
    if (kb == Kind::kStr || kb == Kind::kList || kb == Kind::kTuple) {
      if (a.is_intlike()) return RepeatSequence(vm, b, a.i);
      if (a.is_obj() && !a.o->cls->is_builtin && !LookupClass(a.o->cls, N().__index__).unbound()) {
        return RepeatSequence(vm, b, IndexValue(vm, a));
      }
      TypeError(vm, "can't multiply sequence by non-int of type '" + std::string(TypeName(a)) + "'");
    }
  }
  // Builtin classes with operator methods (Counter, deque, dict views, ...).
  if ((a.is_obj() && a.o->cls->is_builtin) || (b.is_obj() && b.o->cls->is_builtin)) {
    bool found;
    Value r = DunderBinary(vm, op, a, b, &found);
    if (found) return r;
  }
  Unsupported(vm, op, a, b);
}

Value InplaceOp(VM& vm, int op, const Value& a, const Value& b) {
  if (a.is_obj()) {
    if (IsUserObject(a)) {
      std::string name = std::string("__i") + kOpNames[op] + "__";
      Value m = LookupClass(a.o->cls, name);
      if (!m.unbound()) {
        Value r = Call2(vm, m, a, b);
        if (!(r.is_obj() && r.o == T().not_implemented)) return r;
      }
    }
    Kind k = a.o->kind;
    if (k == Kind::kList && op == kAdd) {
      ListExtend(vm, As<ListObj>(a), b);
      return a;
    }
    if (k == Kind::kList && op == kMul && b.is_intlike()) {
      auto* l = As<ListObj>(a);
      int64_t n = b.i;
      if (n <= 0) {
        l->items.clear();
      } else {
        size_t len = l->items.size();
        if (len > 0 && static_cast<uint64_t>(n) > (uint64_t{1} << 32) / len) {
          Raise(vm, T().MemoryError, "");
        }
        CheckRoom(vm, n - 1, static_cast<int64_t>(len * sizeof(Value)));
        l->items.reserve(len * n);
        for (int64_t i = 1; i < n; ++i) {
          for (size_t j = 0; j < len; ++j) l->items.push_back(l->items[j]);
        }
        vm.Account(static_cast<int64_t>(len * (n - 1) * sizeof(Value)));
      }
      return a;
    }
    if (k == Kind::kSet && a.o->cls != T().frozenset && IsSet(b) &&
        (op == kBitOr || op == kBitAnd || op == kSub || op == kBitXor)) {
      SetInplace(vm, op, As<SetObj>(a), As<SetObj>(b));
      return a;
    }
    // dict |= (OrderedDict and defaultdict too); Counter's own __ior__ is below.
    if (k == Kind::kDict && op == kBitOr && !IsSubclass(a.o->cls, T().counter)) {
      DictUpdate(vm, As<DictObj>(a), b);
      return a;
    }
    if (k == Kind::kDeque && op == kAdd) {
      auto* d = As<DequeObj>(a);
      for (const Value& v : ToVector(vm, b)) {
        d->items.push_back(v);
        if (d->maxlen >= 0 && static_cast<int64_t>(d->items.size()) > d->maxlen) {
          d->items.pop_front();
        }
      }
      return a;
    }
    if (a.o->cls->is_builtin) {
      std::string name = std::string("__i") + kOpNames[op] + "__";
      Value m = LookupClass(a.o->cls, name);
      if (!m.unbound()) return Call2(vm, m, a, b);
    }
  }
  return BinaryOp(vm, op, a, b);
}

Value UnaryNeg(VM& vm, const Value& a) {
  if (a.is_intlike()) {
    if (a.i == INT64_MIN) Overflow(vm);
    return Value::Int(-a.i);
  }
  if (a.tag == Tag::kFloat) return Value::Float(-a.f);
  if (a.is_obj()) {
    Value m = LookupClass(TypeOf(a), N().__neg__);
    if (!m.unbound()) return Call1(vm, m, a);
  }
  TypeError(vm, "bad operand type for unary -: '" + std::string(TypeName(a)) + "'");
}

Value UnaryPos(VM& vm, const Value& a) {
  if (a.is_intlike()) return Value::Int(a.i);
  if (a.tag == Tag::kFloat) return a;
  if (a.is_obj()) {
    Value m = LookupClass(TypeOf(a), N().__pos__);
    if (!m.unbound()) return Call1(vm, m, a);
  }
  TypeError(vm, "bad operand type for unary +: '" + std::string(TypeName(a)) + "'");
}

Value UnaryInvert(VM& vm, const Value& a) {
  if (a.is_intlike()) return Value::Int(~a.i);
  if (a.is_obj()) {
    Value m = LookupClass(TypeOf(a), N().__invert__);
    if (!m.unbound()) return Call1(vm, m, a);
  }
  TypeError(vm, "bad operand type for unary ~: '" + std::string(TypeName(a)) + "'");
}

// ---- comparison ----

namespace {

// Exact comparison of an int with a float: -1, 0, 1, or 2 when unordered (NaN).
int CmpIntFloat(int64_t i, double d) {
  if (std::isnan(d)) return 2;
  if (d >= 9223372036854775808.0) return -1;
  if (d < -9223372036854775808.0) return 1;
  double fl = std::floor(d);
  int64_t fi = static_cast<int64_t>(fl);
  if (i < fi) return -1;
  if (i > fi) return 1;
  return d > fl ? -1 : 0;
}

bool CmpResult(int op, int c) {
  if (c == 2) return op == kNe;
  switch (op) {
    case kLt: return c < 0;
    case kLe: return c <= 0;
    case kEq: return c == 0;
    case kNe: return c != 0;
    case kGt: return c > 0;
    default: return c >= 0;
  }
}

// Numbers: sets *out and returns true when both are numbers.
bool NumCompare(int op, const Value& a, const Value& b, bool* out) {
  if (a.is_intlike() && b.is_intlike()) {
    *out = CmpResult(op, a.i < b.i ? -1 : a.i > b.i ? 1 : 0);
    return true;
  }
  if (a.tag == Tag::kFloat && b.tag == Tag::kFloat) {
    int c = std::isnan(a.f) || std::isnan(b.f) ? 2 : a.f < b.f ? -1 : a.f > b.f ? 1 : 0;
    *out = CmpResult(op, c);
    return true;
  }
  if (a.is_intlike() && b.tag == Tag::kFloat) {
    *out = CmpResult(op, CmpIntFloat(a.i, b.f));
    return true;
  }
  if (a.tag == Tag::kFloat && b.is_intlike()) {
    int c = CmpIntFloat(b.i, a.f);
    *out = CmpResult(op, c == 2 ? 2 : -c);
    return true;
  }
  return false;
}

constexpr const char* kInComparison = " in comparison";

[[noreturn]] void NotSupported(VM& vm, int op, const Value& a, const Value& b) {
  TypeError(vm, "'" + std::string(kCmpSymbols[op]) + "' not supported between instances of '" +
                    std::string(TypeName(a)) + "' and '" + std::string(TypeName(b)) + "'");
}

// Lexicographic comparison of two sequences.
Value SeqCompare(VM& vm, int op, const Value* x, int64_t nx, const Value* y, int64_t ny) {
  NestingGuard nest(vm, kInComparison);
  int64_t n = nx < ny ? nx : ny;
  for (int64_t i = 0; i < n; ++i) {
    if (x[i].same(y[i])) continue;
    if (!Eq(vm, x[i], y[i])) {
      if (op == kEq) return Value::Bool(false);
      if (op == kNe) return Value::Bool(true);
      return CompareOp(vm, op, x[i], y[i]);
    }
  }
  int c = nx < ny ? -1 : nx > ny ? 1 : 0;
  return Value::Bool(CmpResult(op, c));
}

bool SeqView(const Value& v, const Value** items, int64_t* n) {
  if (IsObj(v, Kind::kList)) {
    *items = As<ListObj>(v)->items.data();
    *n = static_cast<int64_t>(As<ListObj>(v)->items.size());
    return true;
  }
  if (IsObj(v, Kind::kTuple)) {
    *items = As<TupleObj>(v)->items;
    *n = As<TupleObj>(v)->n;
    return true;
  }
  return false;
}

Value RichCompareUser(VM& vm, int op, const Value& a, const Value& b, bool* found) {
  *found = true;
  ClassObj* ta = TypeOf(a);
  ClassObj* tb = TypeOf(b);
  const char* fwd = kCmpNames[op];
  const char* ref = kCmpNames[kCmpSwapped[op]];
  bool b_first = ta != tb && IsSubclass(tb, ta) && !LookupClass(tb, ref).unbound();
  if (b_first) {
    Value r = TryDunder(vm, b, ref, a);
    if (!r.unbound()) return r;
  }
  Value r = TryDunder(vm, a, fwd, b);
  if (!r.unbound()) return r;
  if (!b_first) {
    r = TryDunder(vm, b, ref, a);
    if (!r.unbound()) return r;
  }
  *found = false;
  return Value();
}

}  // namespace

Value CompareOp(VM& vm, int op, const Value& a, const Value& b) {
  bool r;
  if (NumCompare(op, a, b, &r)) return Value::Bool(r);
  if (IsUserObject(a) || IsUserObject(b)) {
    bool found;
    Value v = RichCompareUser(vm, op, a, b, &found);
    if (found) return v;
    if (op == kEq) return Value::Bool(a.same(b));
    if (op == kNe) return Value::Bool(!a.same(b));
    NotSupported(vm, op, a, b);
  }
  if (op == kEq) return Value::Bool(Eq(vm, a, b));
  if (op == kNe) return Value::Bool(!Eq(vm, a, b));
  if (IsStr(a) && IsStr(b)) {
    int c = As<StrObj>(a)->view().compare(As<StrObj>(b)->view());
    return Value::Bool(CmpResult(op, c < 0 ? -1 : c > 0 ? 1 : 0));
  }
  const Value *x = nullptr, *y = nullptr;
  int64_t nx = 0, ny = 0;
  if (a.is_obj() && b.is_obj() && a.o->kind == b.o->kind && SeqView(a, &x, &nx) &&
      SeqView(b, &y, &ny)) {
    return SeqCompare(vm, op, x, nx, y, ny);
  }
  if (IsSet(a) && IsSet(b)) return Value::Bool(SetCompare(vm, op, As<SetObj>(a), As<SetObj>(b)));
  if ((a.is_obj() && a.o->cls->is_builtin) || (b.is_obj() && b.o->cls->is_builtin)) {
    bool found;
    Value v = RichCompareUser(vm, op, a, b, &found);
    if (found) return v;
  }
  NotSupported(vm, op, a, b);
}

bool Lt(VM& vm, const Value& a, const Value& b) {
  if (a.tag == Tag::kInt && b.tag == Tag::kInt) return a.i < b.i;
  if (a.tag == Tag::kFloat && b.tag == Tag::kFloat) return a.f < b.f;
  if (IsStr(a) && IsStr(b)) return As<StrObj>(a)->view() < As<StrObj>(b)->view();
  Value r = CompareOp(vm, kLt, a, b);
  return r.tag == Tag::kBool ? r.i != 0 : Truthy(vm, r);
}

bool Eq(VM& vm, const Value& a, const Value& b) {
  if (a.tag == Tag::kObj && b.tag == Tag::kObj) {
    Object* x = a.o;
    Object* y = b.o;
    if (x == y) return true;
    if (!x->cls->is_builtin || !y->cls->is_builtin) {
      bool found;
      Value r = RichCompareUser(vm, kEq, a, b, &found);
      if (found) return r.tag == Tag::kBool ? r.i != 0 : Truthy(vm, r);
      return false;
    }
    if (x->kind != y->kind) {
      if (x->kind == Kind::kDictView || y->kind == Kind::kDictView) {
        bool found;
        Value r = RichCompareUser(vm, kEq, a, b, &found);
        if (found) return Truthy(vm, r);
      }
      return false;
    }
    switch (x->kind) {
      case Kind::kStr: {
        auto* s = static_cast<StrObj*>(x);
        auto* t = static_cast<StrObj*>(y);
        if (s->nbytes != t->nbytes) return false;
        if (s->hashed && t->hashed && s->hash != t->hash) return false;
        return std::memcmp(s->data, t->data, s->nbytes) == 0;
      }
      case Kind::kTuple:
      case Kind::kList: {
        const Value *p = nullptr, *q = nullptr;
        int64_t n = 0, m = 0;
        SeqView(a, &p, &n);
        SeqView(b, &q, &m);
        if (n != m) return false;
        NestingGuard nest(vm, kInComparison);
        for (int64_t i = 0; i < n; ++i) {
          if (p[i].same(q[i])) continue;  // identity first, as CPython (also for NaN)
          if (!Eq(vm, p[i], q[i])) return false;
        }
        return true;
      }
      case Kind::kDict:
        // OrderedDict and Counter compare by their own rules.
        if (x->cls != T().dict || y->cls != T().dict) {
          bool found;
          Value r = RichCompareUser(vm, kEq, a, b, &found);
          if (found) return Truthy(vm, r);
        }
        {
          NestingGuard nest(vm, kInComparison);
          return DictEqual(vm, static_cast<DictObj*>(x), static_cast<DictObj*>(y));
        }
      case Kind::kSet: {
        NestingGuard nest(vm, kInComparison);
        return SetCompare(vm, kEq, static_cast<SetObj*>(x), static_cast<SetObj*>(y));
      }
      case Kind::kRange: {
        auto* r = static_cast<RangeObj*>(x);
        auto* s = static_cast<RangeObj*>(y);
        int64_t lr = Len(vm, a), ls = Len(vm, b);
        if (lr != ls) return false;
        if (lr == 0) return true;
        if (r->start != s->start) return false;
        return lr == 1 || r->step == s->step;
      }
      case Kind::kDeque: {
        auto& p = static_cast<DequeObj*>(x)->items;
        auto& q = static_cast<DequeObj*>(y)->items;
        if (p.size() != q.size()) return false;
        NestingGuard nest(vm, kInComparison);
        for (size_t i = 0; i < p.size(); ++i) {
          if (!Eq(vm, p[i], q[i])) return false;
        }
        return true;
      }
      case Kind::kSlice: {
        auto* s = static_cast<SliceObj*>(x);
        auto* t = static_cast<SliceObj*>(y);
        return Eq(vm, s->start, t->start) && Eq(vm, s->stop, t->stop) && Eq(vm, s->step, t->step);
      }
      case Kind::kBoundMethod: {
        auto* s = static_cast<BoundMethodObj*>(x);
        auto* t = static_cast<BoundMethodObj*>(y);
        return s->self.same(t->self) && s->func.same(t->func);
      }
      case Kind::kDictView: {
        bool found;
        Value r = RichCompareUser(vm, kEq, a, b, &found);
        return found && Truthy(vm, r);
      }
      default: {
        // Library classes may define __eq__ (re.Pattern, cmp_to_key keys, ...).
        bool found;
        Value r = RichCompareUser(vm, kEq, a, b, &found);
        return found && Truthy(vm, r);
      }
    }
  }
  bool r;
  if (NumCompare(kEq, a, b, &r)) return r;
  if (a.tag == Tag::kNone || b.tag == Tag::kNone) return a.tag == b.tag;
  if (a.is_obj() && !a.o->cls->is_builtin) {
    bool found;
    Value v = RichCompareUser(vm, kEq, a, b, &found);
    if (found) return Truthy(vm, v);
  }
  if (b.is_obj() && !b.o->cls->is_builtin) {
    bool found;
    Value v = RichCompareUser(vm, kEq, a, b, &found);
    if (found) return Truthy(vm, v);
  }
  return false;
}

// ---- containment ----

bool Contains(VM& vm, const Value& c, const Value& item) {
  if (c.is_obj()) {
    Object* o = c.o;
    if (!o->cls->is_builtin) {
      Value m = LookupClass(o->cls, N().__contains__);
      if (!m.unbound()) return Truthy(vm, Call2(vm, m, c, item));
    }
    switch (o->kind) {
      case Kind::kStr: {
        if (!IsStr(item)) {
          TypeError(vm, "'in <string>' requires string as left operand, not " +
                            std::string(TypeName(item)));
        }
        return As<StrObj>(c)->view().find(As<StrObj>(item)->view()) != std::string_view::npos;
      }
      case Kind::kList:
      case Kind::kTuple: {
        const Value* p = nullptr;
        int64_t n = 0;
        SeqView(c, &p, &n);
        for (int64_t i = 0; i < n; ++i) {
          if (p[i].same(item) || Eq(vm, p[i], item)) return true;
          // The list may shrink under a user __eq__.
          if (o->kind == Kind::kList) {
            n = static_cast<int64_t>(As<ListObj>(c)->items.size());
            p = As<ListObj>(c)->items.data();
          }
        }
        return false;
      }
      case Kind::kDict: {
        Value v;
        return DictGet(&vm, As<DictObj>(c), item, &v);
      }
      case Kind::kSet: return SetContains(vm, As<SetObj>(c), item);
      case Kind::kRange: {
        auto* r = As<RangeObj>(c);
        if (item.is_intlike()) {
          int64_t x = item.i;
          if (r->step > 0 ? (x < r->start || x >= r->stop) : (x > r->start || x <= r->stop)) {
            return false;
          }
          return (x - r->start) % r->step == 0;
        }
        break;
      }
      case Kind::kDictView: {
        auto* dv = As<DictViewObj>(c);
        if (dv->which == 0) {
          Value v;
          return DictGet(&vm, dv->dict, item, &v);
        }
        if (dv->which == 2) {
          if (!IsTuple(item) || As<TupleObj>(item)->n != 2) return false;
          Value v;
          if (!DictGet(&vm, dv->dict, As<TupleObj>(item)->items[0], &v)) return false;
          return Eq(vm, v, As<TupleObj>(item)->items[1]);
        }
        break;
      }
      case Kind::kDeque:
        for (const Value& v : As<DequeObj>(c)->items) {
          if (Eq(vm, v, item)) return true;
        }
        return false;
      default: break;
    }
    if (o->cls->is_builtin) {
      Value m = LookupClass(o->cls, N().__contains__);
      if (!m.unbound()) return Truthy(vm, Call2(vm, m, c, item));
    }
  }
  // Fall back to iteration.
  bool iterable = c.is_obj() &&
                  (c.o->kind != Kind::kInstance || !LookupClass(c.o->cls, N().__iter__).unbound() ||
                   !LookupClass(c.o->cls, N().__getitem__).unbound());
  if (!iterable) {
    TypeError(vm, "argument of type '" + std::string(TypeName(c)) + "' is not iterable");
  }
  Value it = GetIter(vm, c);
  RootScope keep(vm);
  keep.Keep(it);
  Value v;
  while (Next(vm, it, &v)) {
    if (v.same(item) || Eq(vm, v, item)) return true;
  }
  return false;
}

// ---- hashing ----

int64_t HashInt(int64_t v) {
  // Below the modulus an int is its own hash (but -1, which CPython reserves).
  if (v > -static_cast<int64_t>(kHashModulus) && v < static_cast<int64_t>(kHashModulus)) {
    return v == -1 ? -2 : v;
  }
  uint64_t x = v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  x %= kHashModulus;
  int64_t h = v < 0 ? -static_cast<int64_t>(x) : static_cast<int64_t>(x);
  return h == -1 ? -2 : h;
}

int64_t HashDouble(double v) {
  if (!std::isfinite(v)) {
    if (std::isinf(v)) return v > 0 ? 314159 : -314159;
    return 0;  // NaN: CPython hashes the object's address
  }
  int e;
  double m = std::frexp(v, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  uint64_t x = 0;
  while (m != 0.0) {
    x = ((x << 28) & kHashModulus) | x >> (kHashBits - 28);
    m *= 268435456.0;
    e -= 28;
    uint64_t y = static_cast<uint64_t>(m);
    m -= static_cast<double>(y);
    x += y;
    if (x >= kHashModulus) x -= kHashModulus;
  }
  e = e >= 0 ? e % kHashBits : kHashBits - 1 - ((-1 - e) % kHashBits);
  x = ((x << e) & kHashModulus) | x >> (kHashBits - e);
  int64_t h = static_cast<int64_t>(x) * sign;
  return h == -1 ? -2 : h;
}

namespace {

inline uint64_t Rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

// SipHash-1-3 as CPython 3.11 builds it (Python/pyhash.c), key (k0, k1).
uint64_t SipHash13(uint64_t k0, uint64_t k1, const uint8_t* in, size_t size) {
  uint64_t b = static_cast<uint64_t>(size) << 56;
  uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
  uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
  uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
  uint64_t v3 = k1 ^ 0x7465646279746573ULL;
  auto round = [&] {
    v0 += v1;
    v2 += v3;
    v1 = Rotl(v1, 13) ^ v0;
    v3 = Rotl(v3, 16) ^ v2;
    v0 = Rotl(v0, 32);
    v2 += v1;
    v0 += v3;
    v1 = Rotl(v1, 17) ^ v2;
    v3 = Rotl(v3, 21) ^ v0;
    v2 = Rotl(v2, 32);
  };
  while (size >= 8) {
    uint64_t mi;
    std::memcpy(&mi, in, 8);  // little-endian hosts
    in += 8;
    size -= 8;
    v3 ^= mi;
    round();
    v0 ^= mi;
  }
  uint64_t t = 0;
  for (size_t i = 0; i < size; ++i) t |= static_cast<uint64_t>(in[i]) << (8 * i);
  b |= t;
  v3 ^= b;
  round();
  v0 ^= b;
  v2 ^= 0xff;
  round();
  round();
  round();
  return (v0 ^ v1) ^ (v2 ^ v3);
}

}  // namespace

uint64_t HashBytes(std::string_view s) {
  if (s.empty()) return 0;
  // The PEP 393 representation: 1, 2 or 4 bytes per code point by the widest.
  uint32_t maxcp = 0;
  bool ascii = true;
  for (unsigned char c : s) {
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  }
  uint64_t h;
  if (ascii) {
    h = SipHash13(0, 0, reinterpret_cast<const uint8_t*>(s.data()), s.size());
  } else {
    std::vector<uint32_t> cps;
    cps.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
      int len;
      uint32_t cp = DecodeUtf8(s.data() + i, &len);
      i += len;
      cps.push_back(cp);
      if (cp > maxcp) maxcp = cp;
    }
    std::vector<uint8_t> buf;
    int width = maxcp < 0x100 ? 1 : maxcp < 0x10000 ? 2 : 4;
    buf.reserve(cps.size() * width);
    for (uint32_t cp : cps) {
      for (int k = 0; k < width; ++k) buf.push_back(static_cast<uint8_t>(cp >> (8 * k)));
    }
    h = SipHash13(0, 0, buf.data(), buf.size());
  }
  if (h == static_cast<uint64_t>(-1)) h = static_cast<uint64_t>(-2);
  return h;
}

namespace {

uint64_t TupleHash(VM& vm, TupleObj* t) {
  constexpr uint64_t kPrime1 = 11400714785074694791ULL;
  constexpr uint64_t kPrime2 = 14029467366897019727ULL;
  constexpr uint64_t kPrime5 = 2870177450012600261ULL;
  uint64_t acc = kPrime5;
  NestingGuard nest(vm, "");
  for (int64_t i = 0; i < t->n; ++i) {
    uint64_t lane = Hash(vm, t->items[i]);
    acc += lane * kPrime2;
    acc = Rotl(acc, 31);
    acc *= kPrime1;
  }
  acc += static_cast<uint64_t>(t->n) ^ (kPrime5 ^ 3527539UL);
  if (acc == static_cast<uint64_t>(-1)) return 1546275796;
  return acc;
}

uint64_t ShuffleBits(uint64_t h) { return ((h ^ 89869747UL) ^ (h << 16)) * 3644798167UL; }

uint64_t FrozensetHash(SetObj* s) {
  uint64_t hash = 0;
  for (const SetEntry& e : s->table) {
    if (!e.key.unbound()) hash ^= ShuffleBits(static_cast<uint64_t>(e.hash));
  }
  hash ^= (static_cast<uint64_t>(s->used) + 1) * 1927868237UL;
  hash ^= (hash >> 11) ^ (hash >> 25);
  hash = hash * 69069U + 907133923UL;
  if (hash == static_cast<uint64_t>(-1)) hash = 590923713UL;
  return hash;
}

uint64_t PointerHash(const void* p) {
  // CPython's _Py_HashPointer: the address rotated by 4 bits.
  uint64_t y = reinterpret_cast<uintptr_t>(p);
  y = (y >> 4) | (y << 60);
  if (y == static_cast<uint64_t>(-1)) y = static_cast<uint64_t>(-2);
  return y;
}

[[noreturn]] void Unhashable(VM& vm, const Value& v) {
  TypeError(vm, "unhashable type: '" + std::string(TypeName(v)) + "'");
}

}  // namespace

uint64_t Hash(VM& vm, const Value& v) {
  switch (v.tag) {
    case Tag::kInt:
    case Tag::kBool: return static_cast<uint64_t>(HashInt(v.i));
    case Tag::kFloat: return static_cast<uint64_t>(HashDouble(v.f));
    case Tag::kNone: return 0xFCA86420u;  // CPython 3.12's constant; 3.11 hashes the address
    case Tag::kUnbound: return 0;
    case Tag::kObj: break;
  }
  Object* o = v.o;
  if (!o->cls->is_builtin || ((o->kind == Kind::kHost || o->kind == Kind::kInstance) &&
                              o->cls->module_name != nullptr)) {
    Value m = LookupClass(o->cls, N().__hash__);
    if (m.is_none()) Unhashable(vm, v);
    Value base_hash;
    DictGetStr(T().object->dict, N().__hash__, &base_hash);
    if (IsObj(m, Kind::kFunction) || IsObj(m, Kind::kBoundMethod) ||
        (IsObj(m, Kind::kNative) && !m.same(base_hash))) {
      Value r = Call1(vm, m, v);
      if (!r.is_intlike()) TypeError(vm, "__hash__ method should return an integer");
      return static_cast<uint64_t>(HashInt(r.i));
    }
    if (o->kind == Kind::kInstance) return PointerHash(o);
  }
  switch (o->kind) {
    case Kind::kStr: {
      auto* s = static_cast<StrObj*>(o);
      if (!s->hashed) {
        s->hash = HashBytes(s->view());
        s->hashed = true;
      }
      return s->hash;
    }
    case Kind::kTuple: return TupleHash(vm, static_cast<TupleObj*>(o));
    case Kind::kSet:
      if (o->cls == T().frozenset || IsSubclass(o->cls, T().frozenset)) {
        return FrozensetHash(static_cast<SetObj*>(o));
      }
      Unhashable(vm, v);
    case Kind::kList:
    case Kind::kDict:
    case Kind::kDeque:
    case Kind::kDictView: Unhashable(vm, v);
    case Kind::kRange: {
      auto* r = static_cast<RangeObj*>(o);
      int64_t len = Len(vm, v);
      Value items[3] = {Value::Int(len), Value::None(), Value::None()};
      if (len > 0) {
        items[1] = Value::Int(r->start);
        if (len > 1) items[2] = Value::Int(r->step);
      }
      TupleObj* tmp = NewTupleFrom(&vm, items, 3);
      return TupleHash(vm, tmp);
    }
    case Kind::kSlice: Unhashable(vm, v);
    case Kind::kBoundMethod: {
      auto* b = static_cast<BoundMethodObj*>(o);
      return Hash(vm, b->self) ^ Hash(vm, b->func);
    }
    default: return PointerHash(o);
  }
}

}  // namespace edgeflow::script
