// The builtins module: print, len, the iteration helpers (enumerate, zip, map,
// filter, sorted, reversed), numeric helpers (abs, round, divmod, pow, sum,
// min, max), reflection (isinstance, getattr, type, ...), and the
// constructors of type, super, property, staticmethod and classmethod.
#include <cfenv>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "script/runtime.h"

namespace edgeflow::script {

Value ReversedIter(VM& vm, const Value& obj);
Value CallableIter(VM& vm, const Value& fn, const Value& sentinel);
void RegisterIterMethods(const BuiltinTypes& t);

namespace {

// ---- print and friends ----

Value BPrint(VM& vm, Value* a, int n, TupleObj* kw) {
  Value sep, end;
  int nkw = kw ? static_cast<int>(kw->n) : 0;
  for (int k = 0; k < nkw; ++k) {
    std::string_view name = As<StrObj>(kw->items[k])->view();
    Value v = a[n + k];
    if (name == "sep") sep = v;
    else if (name == "end") end = v;
    else if (name == "file" || name == "flush") {
      if (name == "file" && !v.is_none()) {
        TypeError(vm, "print(): file= is not supported in edgeflow scripts (output goes to the task log)");
      }
    } else {
      TypeError(vm, "'" + std::string(name) + "' is an invalid keyword argument for print()");
    }
  }
  auto text = [&](const Value& v, const char* what, const char* dflt) -> std::string {
    if (v.unbound() || v.is_none()) return dflt;
    if (!IsStr(v)) {
      TypeError(vm, std::string(what) + " must be None or a string, not " + std::string(TypeName(v)));
    }
    return std::string(As<StrObj>(v)->view());
  };
  std::string s = text(sep, "sep", " ");
  std::string e = text(end, "end", "\n");
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i) out += s;
    out += ToStr(vm, a[i]);
  }
  out += e;
  vm.Write(out);
  return Value::None();
}

Value BLen(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "len", kw);
  CheckArgs(vm, "len", n, 1, 1);
  return Value::Int(Len(vm, a[0]));
}

Value BRepr(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "repr", n, 1, 1);
  return ReprValue(vm, a[0]);
}

Value BAscii(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "ascii", n, 1, 1);
  return AsciiValue(vm, a[0]);
}

Value BFormat(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "format", n, 1, 2);
  std::string_view spec;
  if (n == 2) {
    if (!IsStr(a[1])) {
      TypeError(vm, "format() argument 2 must be str, not " + std::string(TypeName(a[1])));
    }
    spec = As<StrObj>(a[1])->view();
  }
  return Str(vm, FormatValue(vm, a[0], spec));
}

// ---- numbers ----

Value BAbs(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "abs", n, 1, 1);
  Value v = a[0];
  if (v.is_intlike()) {
    if (v.i == INT64_MIN) Raise(vm, T().OverflowError, "integer result out of 64-bit range");
    return Value::Int(v.i < 0 ? -v.i : v.i);
  }
  if (v.tag == Tag::kFloat) return Value::Float(std::fabs(v.f));
  if (v.is_obj()) {
    Value m = LookupClass(TypeOf(v), N().__abs__);
    if (!m.unbound()) return Call1(vm, m, v);
  }
  TypeError(vm, "bad operand type for abs(): '" + std::string(TypeName(v)) + "'");
}

Value RoundFloat(double x, int64_t nd) {
  if (!std::isfinite(x) || x == 0.0) return Value::Float(x);
  if (nd > 323) return Value::Float(x);
  if (nd < -308) return Value::Float(std::copysign(0.0, x));
  char buf[1400];
  if (nd >= 0) {
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(nd), x);
    return Value::Float(std::strtod(buf, nullptr));
  }
  // Round the exact decimal expansion of x to 10**(-nd), half to even.
  std::snprintf(buf, sizeof buf, "%.0f", std::trunc(x));
  std::string digits = buf;
  bool neg = digits[0] == '-';
  if (neg) digits.erase(0, 1);
  double frac = std::fabs(x - std::trunc(x));
  int64_t k = -nd;
  if (static_cast<int64_t>(digits.size()) < k) {
    // |x| < 10**k / 10: rounds to 0 unless it is at least half of 10**k.
    digits.insert(0, k - digits.size(), '0');
  }
  std::string head = digits.substr(0, digits.size() - k);
  std::string tail = digits.substr(digits.size() - k);
  int cmp;  // tail (+frac) compared with half of 10**k
  std::string half = "5" + std::string(k - 1, '0');
  cmp = tail.compare(half);
  if (cmp == 0 && frac > 0) cmp = 1;
  bool up = cmp > 0 || (cmp == 0 && !head.empty() && ((head.back() - '0') & 1));
  if (head.empty()) head = "0";
  if (up) {
    int i = static_cast<int>(head.size()) - 1;
    while (i >= 0 && head[i] == '9') head[i--] = '0';
    if (i < 0) head.insert(head.begin(), '1');
    else ++head[i];
  }
  std::string r = (neg ? "-" : "") + head + std::string(k, '0');
  return Value::Float(std::strtod(r.c_str(), nullptr));
}

Value BRound(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[2];
  ParseArgs(vm, {"round", {"number", "ndigits"}, 1}, a, n, kw, opts);
  Value x = opts[0];
  bool has_nd = !opts[1].unbound() && !opts[1].is_none();
  if (x.is_obj() && !x.o->cls->is_builtin) {
    Value m = LookupClass(x.o->cls, N().__round__);
    if (!m.unbound()) return has_nd ? Call2(vm, m, x, opts[1]) : Call1(vm, m, x);
  }
  if (x.is_intlike()) {
    if (!has_nd) return Value::Int(x.i);
    int64_t nd = IndexValue(vm, opts[1]);
    if (nd >= 0) return Value::Int(x.i);
    if (nd < -18) return Value::Int(0);
    int64_t p = 1;
    for (int64_t i = 0; i < -nd; ++i) p *= 10;
    int64_t q = x.i / p, r = x.i % p;
    if (r < 0) {
      r += p;
      --q;
    }
    if (2 * r > p || (2 * r == p && (q & 1))) ++q;
    int64_t out;
    if (__builtin_mul_overflow(q, p, &out)) Raise(vm, T().OverflowError, "integer result out of 64-bit range");
    return Value::Int(out);
  }
  if (x.tag == Tag::kFloat) {
    if (!has_nd) {
      return Value::Int(IntegralToInt(vm, std::nearbyint(x.f)));
    }
    return RoundFloat(x.f, IndexValue(vm, opts[1]));
  }
  TypeError(vm, "type " + std::string(TypeName(x)) + " doesn't define __round__ method");
}

Value BDivmod(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "divmod", n, 2, 2);
  Value x = a[0], y = a[1];
  Value items[2];
  if (x.is_intlike() && y.is_intlike()) {
    items[0] = FloorDivInt(vm, x.i, y.i);
    items[1] = ModInt(vm, x.i, y.i);
  } else if ((x.is_intlike() || x.tag == Tag::kFloat) && (y.is_intlike() || y.tag == Tag::kFloat)) {
    double vx = ToDouble(vm, x), wx = ToDouble(vm, y);
    if (wx == 0.0) Raise(vm, T().ZeroDivisionError, "float divmod()");
    double mod = std::fmod(vx, wx);
    double div = (vx - mod) / wx;
    if (mod != 0.0) {
      if ((wx < 0) != (mod < 0)) {
        mod += wx;
        div -= 1.0;
      }
    } else {
      mod = std::copysign(0.0, wx);
    }
    double floordiv;
    if (div != 0.0) {
      floordiv = std::floor(div);
      if (div - floordiv > 0.5) floordiv += 1.0;
    } else {
      floordiv = std::copysign(0.0, vx / wx);
    }
    items[0] = Value::Float(floordiv);
    items[1] = Value::Float(mod);
  } else {
    if (!(x.is_obj() && !x.o->cls->is_builtin) && !(y.is_obj() && !y.o->cls->is_builtin)) {
      TypeError(vm, "unsupported operand type(s) for divmod(): '" + std::string(TypeName(x)) +
                        "' and '" + std::string(TypeName(y)) + "'");
    }
    Value r1 = BinaryOp(vm, kFloorDiv, x, y);
    Value r2 = BinaryOp(vm, kMod, x, y);
    items[0] = r1;
    items[1] = r2;
  }
  return V(NewTupleFrom(&vm, items, 2));
}

int64_t MulMod(int64_t a, int64_t b, int64_t m) {
  __int128 r = static_cast<__int128>(a) * b % m;
  if (r < 0) r += m;
  return static_cast<int64_t>(r);
}

Value BPow(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[3];
  ParseArgs(vm, {"pow", {"base", "exp", "mod"}, 2}, a, n, kw, opts);
  if (opts[2].unbound() || opts[2].is_none()) return BinaryOp(vm, kPow, opts[0], opts[1]);
  if (!opts[0].is_intlike() || !opts[1].is_intlike() || !opts[2].is_intlike()) {
    TypeError(vm, "pow() 3rd argument not allowed unless all arguments are integers");
  }
  int64_t base = opts[0].i, exp = opts[1].i, m = opts[2].i;
  if (m == 0) ValueError(vm, "pow() 3rd argument cannot be 0");
  bool neg_mod = m < 0;
  if (neg_mod) m = -m;
  base %= m;
  if (base < 0) base += m;
  if (exp < 0) {
    // Modular inverse by the extended Euclidean algorithm.
    __int128 t = 0, newt = 1, r = m, newr = base;
    while (newr != 0) {
      __int128 q = r / newr;
      __int128 tmp = t - q * newt;
      t = newt;
      newt = tmp;
      tmp = r - q * newr;
      r = newr;
      newr = tmp;
    }
    if (r != 1) ValueError(vm, "base is not invertible for the given modulus");
    if (t < 0) t += m;
    base = static_cast<int64_t>(t);
    exp = -exp;
  }
  int64_t result = 1 % m;
  while (exp > 0) {
    if (exp & 1) result = MulMod(result, base, m);
    base = MulMod(base, base, m);
    exp >>= 1;
  }
  if (neg_mod && result != 0) result -= m;
  return Value::Int(result);
}

Value BSum(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[2];
  ParseArgs(vm, {"sum", {"iterable", "start"}, 1}, a, n, kw, opts);
  Value acc = opts[1].unbound() ? Value::Int(0) : opts[1];
  if (IsStr(acc)) TypeError(vm, "sum() can't sum strings [use ''.join(seq) instead]");
  RootScope keep(vm);
  Value it = keep.Keep(GetIter(vm, opts[0]));
  Value item;
  // Integer and float fast paths, as CPython's builtin_sum.
  while (acc.tag == Tag::kInt) {
    if (!NextRooted(vm, it, &item)) return acc;
    if (item.is_intlike()) {
      int64_t r;
      if (__builtin_add_overflow(acc.i, item.i, &r)) {
        Raise(vm, T().OverflowError, "integer result out of 64-bit range (edgeflow ints are 64-bit)");
      }
      acc.i = r;
      continue;
    }
    keep.Keep(item);
    acc = BinaryOp(vm, kAdd, acc, item);
    keep.Keep(acc);
    goto general;
  }
  while (acc.tag == Tag::kFloat) {
    if (!NextRooted(vm, it, &item)) return acc;
    if (item.tag == Tag::kFloat) {
      acc.f += item.f;
    } else if (item.is_intlike()) {
      acc.f += static_cast<double>(item.i);
    } else {
      keep.Keep(item);
      acc = BinaryOp(vm, kAdd, acc, item);
      keep.Keep(acc);
      goto general;
    }
  }
general:
  for (;;) {
    if (!NextRooted(vm, it, &item)) return acc;
    keep.Keep(item);
    acc = BinaryOp(vm, kAdd, acc, item);
    keep.Keep(acc);
  }
}

// min/max over a range walk its arithmetic progression instead of copying it
// (max(range(10 ** 8)) needs no memory); without a key the answer is an end.
Value RangeMinMax(VM& vm, const Value& range, const Value& key, bool use_key, const Value& dflt,
                  bool has_default, bool is_max) {
  auto* r = As<RangeObj>(range);
  int64_t len = Len(vm, range);
  if (len == 0) {
    if (has_default) return dflt;
    ValueError(vm, std::string(is_max ? "max" : "min") + "() arg is an empty sequence");
  }
  // Items are start + i * step for i < len; all lie between start and stop.
  auto item = [&](int64_t i) {
    return Value::Int(static_cast<int64_t>(static_cast<__int128>(r->start) + static_cast<__int128>(i) * r->step));
  };
  if (!use_key) return item((r->step > 0) == is_max ? len - 1 : 0);
  NoGcScope no_gc(vm);
  Value best = item(0);
  Value best_key = Call1(vm, key, best);
  for (int64_t i = 1; i < len; ++i) {
    vm.NativeTick();
    Value v = item(i);
    Value k = Call1(vm, key, v);
    Value c = CompareOp(vm, is_max ? kGt : kLt, k, best_key);
    if (c.tag == Tag::kBool ? c.i != 0 : Truthy(vm, c)) {
      best = v;
      best_key = k;
    }
  }
  return best;
}

Value MinMax(VM& vm, Value* a, int n, TupleObj* kw, bool is_max) {
  const char* name = is_max ? "max" : "min";
  Value key, dflt;
  bool has_default = false;
  int nkw = kw ? static_cast<int>(kw->n) : 0;
  for (int k = 0; k < nkw; ++k) {
    std::string_view kn = As<StrObj>(kw->items[k])->view();
    if (kn == "key") {
      key = a[n + k];
    } else if (kn == "default") {
      dflt = a[n + k];
      has_default = true;
    } else {
      TypeError(vm, std::string(name) + "() got an unexpected keyword argument '" + std::string(kn) + "'");
    }
  }
  if (n == 0) {
    TypeError(vm, std::string(name) + " expected at least 1 argument, got 0");
  }
  bool use_key = !key.unbound() && !key.is_none();
  if (n == 1 && IsObj(a[0], Kind::kRange)) return RangeMinMax(vm, a[0], key, use_key, dflt, has_default, is_max);
  std::vector<Value> items;
  if (n == 1) {
    items = ToVector(vm, a[0]);
  } else {
    if (has_default) {
      TypeError(vm, std::string("Cannot specify a default for ") + name +
                        "() with multiple positional arguments");
    }
    items.assign(a, a + n);
  }
  if (items.empty()) {
    if (has_default) return dflt;
    ValueError(vm, std::string(name) + "() arg is an empty sequence");
  }
  NoGcScope no_gc(vm);
  Value best = items[0];
  Value best_key = use_key ? Call1(vm, key, best) : best;
  for (size_t i = 1; i < items.size(); ++i) {
    Value k = use_key ? Call1(vm, key, items[i]) : items[i];
    // CPython compares the new item with the best so far: item > best (max)
    // or item < best (min), which fixes the operands in error messages.
    Value r = CompareOp(vm, is_max ? kGt : kLt, k, best_key);
    bool better = r.tag == Tag::kBool ? r.i != 0 : Truthy(vm, r);
    if (better) {
      best = items[i];
      best_key = k;
    }
  }
  return best;
}

Value BMin(VM& vm, Value* a, int n, TupleObj* kw) { return MinMax(vm, a, n, kw, false); }
Value BMax(VM& vm, Value* a, int n, TupleObj* kw) { return MinMax(vm, a, n, kw, true); }

Value AnyAll(VM& vm, Value* a, int n, bool any) {
  CheckArgs(vm, any ? "any" : "all", n, 1, 1);
  RootScope keep(vm);
  Value it = keep.Keep(GetIter(vm, a[0]));
  Value item;
  while (NextRooted(vm, it, &item)) {
    if (Truthy(vm, item) == any) return Value::Bool(any);
  }
  return Value::Bool(!any);
}

Value BAny(VM& vm, Value* a, int n, TupleObj*) { return AnyAll(vm, a, n, true); }
Value BAll(VM& vm, Value* a, int n, TupleObj*) { return AnyAll(vm, a, n, false); }

std::string IntBase(VM& vm, const Value& v, int base, const char* prefix) {
  int64_t x = IndexValue(vm, v);
  bool neg = x < 0;
  uint64_t m = neg ? static_cast<uint64_t>(-(x + 1)) + 1 : static_cast<uint64_t>(x);
  std::string digits;
  if (m == 0) digits = "0";
  while (m) {
    digits.insert(digits.begin(), "0123456789abcdef"[m % base]);
    m /= base;
  }
  return (neg ? "-" : "") + std::string(prefix) + digits;
}

Value BHex(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "hex", n, 1, 1);
  return Str(vm, IntBase(vm, a[0], 16, "0x"));
}
Value BOct(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "oct", n, 1, 1);
  return Str(vm, IntBase(vm, a[0], 8, "0o"));
}
Value BBin(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "bin", n, 1, 1);
  return Str(vm, IntBase(vm, a[0], 2, "0b"));
}

Value BOrd(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "ord", n, 1, 1);
  if (!IsStr(a[0])) {
    TypeError(vm, "ord() expected string of length 1, but " + std::string(TypeName(a[0])) + " found");
  }
  auto* s = As<StrObj>(a[0]);
  if (s->ncp != 1) {
    TypeError(vm, "ord() expected a character, but string of length " + std::to_string(s->ncp) + " found");
  }
  int len;
  return Value::Int(DecodeUtf8(s->data, &len));
}

Value BChr(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "chr", n, 1, 1);
  int64_t cp = IndexValue(vm, a[0]);
  if (cp < 0 || cp > 0x10FFFF) ValueError(vm, "chr() arg not in range(0x110000)");
  return CharStr(vm, static_cast<uint32_t>(cp));
}

Value BHash(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "hash", n, 1, 1);
  return Value::Int(static_cast<int64_t>(Hash(vm, a[0])));
}

Value BId(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "id", n, 1, 1);
  Value v = a[0];
  if (v.is_obj()) return Value::Int(static_cast<int64_t>(reinterpret_cast<uintptr_t>(v.o)));
  // Unboxed values have no address: a stable value derived from their bits.
  return Value::Int(static_cast<int64_t>((static_cast<uint64_t>(v.i) << 3) ^ static_cast<uint64_t>(v.tag)));
}

// ---- iteration helpers ----

bool EnumerateNext(VM& vm, IterObj* it, Value* out) {
  Value v;
  if (!NextRooted(vm, it->a, &v)) return false;
  Value items[2] = {Value::Int(it->i), v};
  if (__builtin_add_overflow(it->i, 1, &it->i)) it->i = INT64_MAX;
  *out = V(NewTupleFrom(&vm, items, 2));
  return true;
}

Value BEnumerate(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[2];
  ParseArgs(vm, {"enumerate", {"iterable", "start"}, 1}, a, n, kw, opts);
  Value inner = GetIter(vm, opts[0]);
  IterObj* it = NewIter(&vm, "enumerate", EnumerateNext);
  it->a = inner;
  it->i = opts[1].unbound() ? 0 : IndexValue(vm, opts[1]);
  return V(it);
}

bool ZipNext(VM& vm, IterObj* it, Value* out) {
  auto* iters = As<TupleObj>(it->a);
  if (iters->n == 0 || it->j) return false;
  NoGcScope no_gc(vm);
  TupleObj* t = NewTuple(&vm, iters->n);
  for (int64_t i = 0; i < iters->n; ++i) {
    if (!NextRooted(vm, iters->items[i], &t->items[i])) {
      it->j = 1;
      if (it->k) {  // strict
        if (i > 0) {
          ValueError(vm, "zip() argument " + std::to_string(i + 1) + " is shorter than argument" +
                             (i == 1 ? " 1" : "s 1-" + std::to_string(i)));
        }
        for (int64_t k = 1; k < iters->n; ++k) {
          Value extra;
          if (NextRooted(vm, iters->items[k], &extra)) {
            ValueError(vm, "zip() argument " + std::to_string(k + 1) + " is longer than argument" +
                               (k == 1 ? " 1" : "s 1-" + std::to_string(k)));
          }
        }
      }
      return false;
    }
  }
  *out = V(t);
  return true;
}

Value BZip(VM& vm, Value* a, int n, TupleObj* kw) {
  bool strict = false;
  int nkw = kw ? static_cast<int>(kw->n) : 0;
  for (int k = 0; k < nkw; ++k) {
    if (As<StrObj>(kw->items[k])->view() != "strict") {
      TypeError(vm, "zip() got an unexpected keyword argument '" +
                        std::string(As<StrObj>(kw->items[k])->view()) + "'");
    }
    strict = Truthy(vm, a[n + k]);
  }
  TupleObj* iters = NewTuple(&vm, n);
  RootScope keep(vm);
  keep.Keep(V(iters));
  for (int i = 0; i < n; ++i) {
    iters->items[i] = GetIter(vm, a[i]);
  }
  IterObj* it = NewIter(&vm, "zip", ZipNext);
  it->a = V(iters);
  it->k = strict;
  return V(it);
}

bool MapNext(VM& vm, IterObj* it, Value* out) {
  auto* iters = As<TupleObj>(it->b);
  NoGcScope no_gc(vm);
  std::vector<Value> args(iters->n);
  for (int64_t i = 0; i < iters->n; ++i) {
    if (!NextRooted(vm, iters->items[i], &args[i])) return false;
  }
  *out = Call(vm, it->a, args.data(), static_cast<int>(args.size()));
  return true;
}

Value BMap(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "map", kw);
  if (n < 2) TypeError(vm, "map() must have at least two arguments.");
  TupleObj* iters = NewTuple(&vm, n - 1);
  RootScope keep(vm);
  keep.Keep(V(iters));
  for (int i = 1; i < n; ++i) iters->items[i - 1] = GetIter(vm, a[i]);
  IterObj* it = NewIter(&vm, "map", MapNext);
  it->a = a[0];
  it->b = V(iters);
  return V(it);
}

bool FilterNext(VM& vm, IterObj* it, Value* out) {
  Value v;
  for (;;) {
    if (!NextRooted(vm, it->b, &v)) return false;
    bool keep;
    if (it->a.is_none()) {
      keep = Truthy(vm, v);
    } else {
      NoGcScope no_gc(vm);
      keep = Truthy(vm, Call1(vm, it->a, v));
    }
    if (keep) {
      *out = v;
      return true;
    }
  }
}

Value BFilter(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "filter", kw);
  CheckArgs(vm, "filter", n, 2, 2);
  Value inner = GetIter(vm, a[1]);
  IterObj* it = NewIter(&vm, "filter", FilterNext);
  it->a = a[0];
  it->b = inner;
  return V(it);
}

Value BSorted(VM& vm, Value* a, int n, TupleObj* kw) {
  if (n != 1) {
    TypeError(vm, n == 0 ? "sorted expected 1 argument, got 0"
                         : "sorted expected 1 argument, got " + std::to_string(n));
  }
  Value opts[2];
  ParseArgs(vm, {"sort", {"key", "reverse"}, 0}, a + 1, 0, kw, opts);
  std::vector<Value> items = ToVector(vm, a[0]);
  bool reverse = !opts[1].unbound() && Truthy(vm, opts[1]);
  {
    NoGcScope no_gc(vm);
    SortList(vm, &items, opts[0], reverse);
  }
  ListObj* l = NewList(&vm, 0);
  l->items.assign(items.begin(), items.end());
  vm.Account(static_cast<int64_t>(l->items.capacity() * sizeof(Value)));
  return V(l);
}

Value BReversed(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "reversed", kw);
  CheckArgs(vm, "reversed", n, 1, 1);
  return ReversedIter(vm, a[0]);
}

Value BIter(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "iter", n, 1, 2);
  if (n == 2) return CallableIter(vm, a[0], a[1]);
  return GetIter(vm, a[0]);
}

Value BNext(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "next", n, 1, 2);
  Value it = a[0];
  bool iterator = IsObj(it, Kind::kIter) || IsObj(it, Kind::kGenerator) ||
                  (it.is_obj() && !LookupClass(TypeOf(it), N().__next__).unbound());
  if (!iterator) TypeError(vm, "'" + std::string(TypeName(it)) + "' object is not an iterator");
  Value v;
  if (IsObj(it, Kind::kGenerator)) {
    NoGcScope no_gc(vm);
    bool done;
    v = GeneratorSend(vm, As<GeneratorObj>(it), Value::None(), &done);
    if (!done) return v;
    if (n == 2) return a[1];
    if (v.is_none()) RaiseValue(vm, MakeExceptionArgs(vm, T().StopIteration, V(NewTuple(&vm, 0))));
    RaiseValue(vm, MakeExceptionArgs(vm, T().StopIteration, V(NewTupleFrom(&vm, &v, 1))));
  }
  if (Next(vm, it, &v)) return v;
  if (n == 2) return a[1];
  RaiseValue(vm, MakeExceptionArgs(vm, T().StopIteration, V(NewTuple(&vm, 0))));
}

// ---- reflection ----

bool IsInstanceOf(VM& vm, const Value& v, const Value& cls, const char* fname) {
  if (IsTuple(cls)) {
    auto* t = As<TupleObj>(cls);
    for (int64_t i = 0; i < t->n; ++i) {
      if (IsInstanceOf(vm, v, t->items[i], fname)) return true;
    }
    return false;
  }
  if (!IsClass(cls)) {
    TypeError(vm, std::string(fname) + "() arg 2 must be a type, a tuple of types, or a union");
  }
  return IsInstance(v, As<ClassObj>(cls));
}

Value BIsinstance(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "isinstance", n, 2, 2);
  return Value::Bool(IsInstanceOf(vm, a[0], a[1], "isinstance"));
}

Value BIssubclass(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "issubclass", n, 2, 2);
  if (!IsClass(a[0])) TypeError(vm, "issubclass() arg 1 must be a class");
  auto check = [&](const Value& c) {
    if (!IsClass(c)) TypeError(vm, "issubclass() arg 2 must be a class, a tuple of classes, or a union");
    return IsSubclass(As<ClassObj>(a[0]), As<ClassObj>(c));
  };
  if (IsTuple(a[1])) {
    auto* t = As<TupleObj>(a[1]);
    for (int64_t i = 0; i < t->n; ++i) {
      if (check(t->items[i])) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  return Value::Bool(check(a[1]));
}

StrObj* AttrName(VM& vm, const Value& v, const char* fname) {
  if (!IsStr(v)) {
    (void)fname;
    TypeError(vm, "attribute name must be string, not '" + std::string(TypeName(v)) + "'");
  }
  return As<StrObj>(v);
}

Value BGetattr(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "getattr", n, 2, 3);
  StrObj* name = AttrName(vm, a[1], "getattr");
  if (n == 2) return GetAttr(vm, a[0], name);
  try {
    return GetAttr(vm, a[0], name);
  } catch (const PyException&) {
    if (!IsInstance(vm.exc, T().AttributeError)) throw;
    vm.exc = Value();
    return a[2];
  }
}

Value BHasattr(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "hasattr", n, 2, 2);
  StrObj* name = AttrName(vm, a[1], "hasattr");
  try {
    GetAttr(vm, a[0], name);
    return Value::Bool(true);
  } catch (const PyException&) {
    if (!IsInstance(vm.exc, T().AttributeError)) throw;
    vm.exc = Value();
    return Value::Bool(false);
  }
}

Value BSetattr(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "setattr", n, 3, 3);
  SetAttr(vm, a[0], AttrName(vm, a[1], "setattr"), a[2]);
  return Value::None();
}

Value BDelattr(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "delattr", n, 2, 2);
  DelAttr(vm, a[0], AttrName(vm, a[1], "delattr"));
  return Value::None();
}

Value BCallable(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "callable", n, 1, 1);
  return Value::Bool(Callable(a[0]));
}

Value BDir(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "dir", n, 1, 1);
  Value m = LookupClass(T().object, "__dir__");
  return Call1(vm, m, a[0]);
}

// ---- constructors of builtin types ----

Value TypeCtorImpl(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "type", kw);
  if (n == 1) return V(TypeOf(a[0]));
  if (n != 3) TypeError(vm, "type() takes 1 or 3 arguments");
  if (!IsStr(a[0])) TypeError(vm, "type.__new__() argument 1 must be str, not " + std::string(TypeName(a[0])));
  if (!IsTuple(a[1])) TypeError(vm, "type.__new__() argument 2 must be tuple, not " + std::string(TypeName(a[1])));
  if (!IsDict(a[2])) TypeError(vm, "type.__new__() argument 3 must be dict, not " + std::string(TypeName(a[2])));
  auto* bases = As<TupleObj>(a[1]);
  if (bases->n > 1) TypeError(vm, "multiple inheritance is not supported by edgeflow scripts");
  ClassObj* base = nullptr;
  if (bases->n == 1) {
    if (!IsClass(bases->items[0])) TypeError(vm, "bases must be types");
    base = As<ClassObj>(bases->items[0]);
  }
  DictObj* ns = DictCopy(vm, As<DictObj>(a[2]));
  if (!DictFindStr(ns, N().__module__)) DictSet(&vm, ns, V(N().__module__), V(N().__main__));
  return V(BuildClass(vm, As<StrObj>(a[0]), base, ns));
}

Value SuperCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "super", kw);
  if (n == 0) Raise(vm, T().RuntimeError, "super(): no arguments");
  if (!IsClass(a[0])) TypeError(vm, "super() argument 1 must be a type, not " + std::string(TypeName(a[0])));
  if (n != 2) TypeError(vm, "super() with one argument is not supported by edgeflow scripts");
  auto* start = As<ClassObj>(a[0]);
  Value self = a[1];
  bool ok = IsClass(self) ? IsSubclass(As<ClassObj>(self), start) : IsInstance(self, start);
  if (!ok) TypeError(vm, "super(type, obj): obj must be an instance or subtype of type");
  auto* s = New<SuperObj>(&vm, Kind::kSuper, T().super);
  s->start = start;
  s->self = self;
  return V(s);
}

Value PropertyCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[4];
  ParseArgs(vm, {"property", {"fget", "fset", "fdel", "doc"}, 0}, a, n, kw, opts);
  auto* p = New<PropertyObj>(&vm, Kind::kProperty, T().property);
  p->fget = opts[0].unbound() ? Value::None() : opts[0];
  p->fset = opts[1].unbound() ? Value::None() : opts[1];
  return V(p);
}

Value PropertyWith(VM& vm, Value* a, int n, int which) {
  CheckArgs(vm, which == 0 ? "getter" : which == 1 ? "setter" : "deleter", n - 1, 1, 1);
  auto* old = As<PropertyObj>(a[0]);
  auto* p = New<PropertyObj>(&vm, Kind::kProperty, T().property);
  p->fget = which == 0 ? a[1] : old->fget;
  p->fset = which == 1 ? a[1] : old->fset;
  return V(p);
}
Value PropGetter(VM& vm, Value* a, int n, TupleObj*) { return PropertyWith(vm, a, n, 0); }
Value PropSetter(VM& vm, Value* a, int n, TupleObj*) { return PropertyWith(vm, a, n, 1); }
Value PropDeleter(VM& vm, Value* a, int n, TupleObj*) { return PropertyWith(vm, a, n, 2); }

Value PropGet(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__get__", n - 1, 1, 2);
  auto* p = As<PropertyObj>(a[0]);
  if (a[1].is_none()) return a[0];
  return Call1(vm, p->fget, a[1]);
}

Value WrapperCtor(VM& vm, Value* a, int n, Kind kind, ClassObj* cls) {
  CheckArgs(vm, kind == Kind::kStaticMethod ? "staticmethod" : "classmethod", n, 1, 1);
  auto* w = New<WrapperObj>(&vm, kind, cls);
  w->func = a[0];
  return V(w);
}
Value StaticCtor(VM& vm, Value* a, int n, TupleObj*) {
  return WrapperCtor(vm, a, n, Kind::kStaticMethod, T().staticmethod);
}
Value ClassmethodCtor(VM& vm, Value* a, int n, TupleObj*) {
  return WrapperCtor(vm, a, n, Kind::kClassMethod, T().classmethod);
}

Value DictCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  DictObj* d = NewDict(&vm);
  RootScope keep(vm);
  keep.Keep(V(d));
  if (n > 1) TypeError(vm, "dict expected at most 1 argument, got " + std::to_string(n));
  if (n == 1) DictUpdate(vm, d, a[0]);
  if (kw != nullptr) {
    for (int64_t i = 0; i < kw->n; ++i) DictSet(&vm, d, kw->items[i], a[n + i]);
  }
  return V(d);
}

Value SetCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "set", kw);
  if (n > 1) TypeError(vm, "set expected at most 1 argument, got " + std::to_string(n));
  SetObj* s = NewSet(&vm);
  if (n == 1) {
    RootScope keep(vm);
    keep.Keep(V(s));
    SetUpdate(vm, s, a[0]);
  }
  return V(s);
}

Value FrozensetCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "frozenset", kw);
  if (n > 1) TypeError(vm, "frozenset expected at most 1 argument, got " + std::to_string(n));
  if (n == 1 && IsSet(a[0]) && a[0].o->cls == T().frozenset) return a[0];
  SetObj* s = NewSet(&vm, true);
  if (n == 1) {
    RootScope keep(vm);
    keep.Keep(V(s));
    SetUpdate(vm, s, a[0]);
  }
  return V(s);
}

DictObj* BuildBuiltins() {
  DictObj* d = NewDict(nullptr);
  const BuiltinTypes& t = T();
  auto cls = [&](const char* name, ClassObj* c) { DictSet(nullptr, d, V(Intern(name)), V(c)); };
  cls("object", t.object);
  cls("type", t.type);
  cls("int", t.int_);
  cls("float", t.float_);
  cls("bool", t.bool_);
  cls("str", t.str);
  cls("tuple", t.tuple);
  cls("list", t.list);
  cls("dict", t.dict);
  cls("set", t.set);
  cls("frozenset", t.frozenset);
  cls("range", t.range);
  cls("slice", t.slice);
  cls("super", t.super);
  cls("property", t.property);
  cls("staticmethod", t.staticmethod);
  cls("classmethod", t.classmethod);
#define EF_EXC_BUILTIN(name, base) \
  if (std::string_view(#name) != "JSONDecodeError") cls(#name, t.name);
  EF_SCRIPT_EXCEPTIONS(EF_EXC_BUILTIN)
#undef EF_EXC_BUILTIN
  DictSet(nullptr, d, V(Intern("NotImplemented")), V(t.not_implemented));
  DictSet(nullptr, d, V(Intern("Ellipsis")), V(t.ellipsis));
  DictSet(nullptr, d, V(Intern("None")), Value::None());
  DictSet(nullptr, d, V(Intern("True")), Value::Bool(true));
  DictSet(nullptr, d, V(Intern("False")), Value::Bool(false));
  AddNative(d, "print", BPrint);
  AddNative(d, "len", BLen);
  AddNative(d, "repr", BRepr);
  AddNative(d, "ascii", BAscii);
  AddNative(d, "format", BFormat);
  AddNative(d, "abs", BAbs);
  AddNative(d, "round", BRound);
  AddNative(d, "divmod", BDivmod);
  AddNative(d, "pow", BPow);
  AddNative(d, "sum", BSum);
  AddNative(d, "min", BMin);
  AddNative(d, "max", BMax);
  AddNative(d, "any", BAny);
  AddNative(d, "all", BAll);
  AddNative(d, "hex", BHex);
  AddNative(d, "oct", BOct);
  AddNative(d, "bin", BBin);
  AddNative(d, "ord", BOrd);
  AddNative(d, "chr", BChr);
  AddNative(d, "hash", BHash);
  AddNative(d, "id", BId);
  AddNative(d, "enumerate", BEnumerate);
  AddNative(d, "zip", BZip);
  AddNative(d, "map", BMap);
  AddNative(d, "filter", BFilter);
  AddNative(d, "sorted", BSorted);
  AddNative(d, "reversed", BReversed);
  AddNative(d, "iter", BIter);
  AddNative(d, "next", BNext);
  AddNative(d, "isinstance", BIsinstance);
  AddNative(d, "issubclass", BIssubclass);
  AddNative(d, "getattr", BGetattr);
  AddNative(d, "hasattr", BHasattr);
  AddNative(d, "setattr", BSetattr);
  AddNative(d, "delattr", BDelattr);
  AddNative(d, "callable", BCallable);
  AddNative(d, "dir", BDir);
  return d;
}

}  // namespace

Value TypeCtor(VM& vm, Value* a, int n, TupleObj* kw) { return TypeCtorImpl(vm, a, n, kw); }

const DictObj* BuiltinsDict() {
  static const DictObj* d = [] {
    InitTypes();
    return BuildBuiltins();
  }();
  return d;
}

void RegisterMiscMethods(const BuiltinTypes& t) {
  RegisterIterMethods(t);
  t.type->ctor = TypeCtor;
  t.super->ctor = SuperCtor;
  t.property->ctor = PropertyCtor;
  t.staticmethod->ctor = StaticCtor;
  t.classmethod->ctor = ClassmethodCtor;
  t.dict->ctor = DictCtor;
  t.set->ctor = SetCtor;
  t.frozenset->ctor = FrozensetCtor;
  AddNative(t.property->dict, "getter", PropGetter);
  AddNative(t.property->dict, "setter", PropSetter);
  AddNative(t.property->dict, "deleter", PropDeleter);
  AddNative(t.property->dict, "__get__", PropGet);
}

}  // namespace edgeflow::script
