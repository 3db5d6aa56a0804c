// The math module: libm functions with CPython's argument handling and error
// rules (ValueError "math domain error", OverflowError "math range error"),
// exact fsum (Shewchuk partials, as CPython), CPython's vector_norm for hypot
// and dist, and the integer functions (gcd, lcm, isqrt, factorial, comb, perm).
#include <cerrno>
#include <cfloat>
#include <cmath>

#include "script/modules.h"
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

[[noreturn]] void Domain(VM& vm) { ValueError(vm, "math domain error"); }
[[noreturn]] void Range(VM& vm) { Raise(vm, T().OverflowError, "math range error"); }

double Arg(VM& vm, const Value& v) { return ToDouble(vm, v); }

int64_t IntArg(VM& vm, const Value& v, const char* fname) {
  if (v.is_intlike()) return v.i;
  if (v.tag == Tag::kFloat) {
    TypeError(vm, "'float' object cannot be interpreted as an integer");
  }
  (void)fname;
  return IndexValue(vm, v);
}

// Applies a one-argument libm function with CPython's math_1 error rules:
// a NaN result from a non-NaN input is a domain error; an infinite result
// from a finite input is a range error (or a domain error when can_overflow
// is false, e.g. log(0)).
Value Math1(VM& vm, Value* a, int n, const char* name, double (*fn)(double), bool can_overflow) {
  CheckArgs(vm, name, n, 1, 1);
  double x = Arg(vm, a[0]);
  errno = 0;
  double r = fn(x);
  if (std::isnan(r) && !std::isnan(x)) Domain(vm);
  if (std::isinf(r) && std::isfinite(x)) {
    if (can_overflow) Range(vm);
    Domain(vm);
  }
  return Value::Float(r);
}

#define EF_MATH1(pyname, cfn, overflow)                         \
  Value M_##pyname(VM& vm, Value* a, int n, TupleObj*) {        \
    return Math1(vm, a, n, #pyname, [](double x) { return cfn(x); }, overflow); \
  }

EF_MATH1(sqrt, std::sqrt, false)
EF_MATH1(exp, std::exp, true)
EF_MATH1(exp2, std::exp2, true)
EF_MATH1(expm1, std::expm1, true)
EF_MATH1(sin, std::sin, false)
EF_MATH1(cos, std::cos, false)
EF_MATH1(tan, std::tan, false)
EF_MATH1(asin, std::asin, false)
EF_MATH1(acos, std::acos, false)
EF_MATH1(atan, std::atan, false)
EF_MATH1(sinh, std::sinh, true)
EF_MATH1(cosh, std::cosh, true)
EF_MATH1(tanh, std::tanh, false)
EF_MATH1(asinh, std::asinh, false)
EF_MATH1(acosh, std::acosh, false)
EF_MATH1(atanh, std::atanh, false)
EF_MATH1(erf, std::erf, false)
EF_MATH1(erfc, std::erfc, false)
EF_MATH1(cbrt, std::cbrt, false)
EF_MATH1(fabs, std::fabs, false)
#undef EF_MATH1

Value M_gamma(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "gamma", n, 1, 1);
  double x = Arg(vm, a[0]);
  if (std::isnan(x)) return Value::Float(x);
  if (std::isinf(x)) {
    if (x < 0) Domain(vm);
    return Value::Float(x);
  }
  if (x == 0.0 || (x < 0 && x == std::floor(x))) Domain(vm);
  double r = std::tgamma(x);
  if (std::isinf(r)) Range(vm);
  return Value::Float(r);
}

Value M_lgamma(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "lgamma", n, 1, 1);
  double x = Arg(vm, a[0]);
  if (std::isfinite(x) && x <= 0 && x == std::floor(x)) Domain(vm);
  double r = std::lgamma(x);
  if (std::isinf(r) && std::isfinite(x)) Range(vm);
  return Value::Float(r);
}

double LogOf(VM& vm, const Value& v, double (*fn)(double)) {
  double x = Arg(vm, v);
  if (std::isnan(x)) return x;
  if (x <= 0.0) Domain(vm);
  if (std::isinf(x)) return x;
  return fn(x);
}

Value M_log(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "log", n, 1, 2);
  double num = LogOf(vm, a[0], [](double x) { return std::log(x); });
  if (n == 1) return Value::Float(num);
  double den = LogOf(vm, a[1], [](double x) { return std::log(x); });
  if (den == 0.0) Raise(vm, T().ZeroDivisionError, "float division by zero");
  return Value::Float(num / den);
}

Value M_log2(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "log2", n, 1, 1);
  return Value::Float(LogOf(vm, a[0], [](double x) { return std::log2(x); }));
}

Value M_log10(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "log10", n, 1, 1);
  return Value::Float(LogOf(vm, a[0], [](double x) { return std::log10(x); }));
}

Value M_log1p(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "log1p", n, 1, 1);
  double x = Arg(vm, a[0]);
  if (x <= -1.0) Domain(vm);
  return Value::Float(std::log1p(x));
}

Value FloorCeil(VM& vm, Value* a, int n, const char* name, bool ceil) {
  CheckArgs(vm, name, n, 1, 1);
  Value v = a[0];
  if (v.is_intlike()) return Value::Int(v.i);
  if (v.is_obj() && !v.o->cls->is_builtin) {
    Value m = LookupClass(v.o->cls, ceil ? "__ceil__" : "__floor__");
    if (!m.unbound()) return Call1(vm, m, v);
  }
  double x = Arg(vm, v);
  return Value::Int(IntegralToInt(vm, ceil ? std::ceil(x) : std::floor(x)));
}

Value M_floor(VM& vm, Value* a, int n, TupleObj*) { return FloorCeil(vm, a, n, "floor", false); }
Value M_ceil(VM& vm, Value* a, int n, TupleObj*) { return FloorCeil(vm, a, n, "ceil", true); }

Value M_trunc(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "trunc", n, 1, 1);
  Value v = a[0];
  if (v.is_intlike()) return Value::Int(v.i);
  if (v.tag != Tag::kFloat) {
    if (v.is_obj() && !v.o->cls->is_builtin) {
      Value m = LookupClass(v.o->cls, "__trunc__");
      if (!m.unbound()) return Call1(vm, m, v);
    }
    TypeError(vm, "type " + std::string(TypeName(v)) + " doesn't define __trunc__ method");
  }
  return Value::Int(IntegralToInt(vm, std::trunc(v.f)));
}

Value M_pow(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "pow", n, 2, 2);
  double x = Arg(vm, a[0]), y = Arg(vm, a[1]);
  double r;
  // CPython's math_pow special cases.
  if (!std::isfinite(x) || !std::isfinite(y)) {
    if (std::isnan(x)) r = y == 0.0 ? 1.0 : x;
    else if (std::isnan(y)) r = x == 1.0 ? 1.0 : y;
    else if (std::isinf(x)) {
      bool odd_y = std::isfinite(y) && std::fmod(std::fabs(y), 2.0) == 1.0;
      if (y > 0.) r = odd_y ? x : std::fabs(x);
      else if (y == 0.) r = 1.0;
      else r = odd_y ? std::copysign(0., x) : 0.;
    } else {
      if (std::fabs(x) == 1.0) r = 1.0;
      else if (y > 0. && std::fabs(x) > 1.0) r = y;
      else if (y < 0. && std::fabs(x) < 1.0) r = -y;
      else r = 0.;
    }
    return Value::Float(r);
  }
  if (x == 0.0 && y < 0.0) Domain(vm);
  if (x < 0.0 && y != std::floor(y)) Domain(vm);
  r = std::pow(x, y);
  if (std::isinf(r)) Range(vm);
  return Value::Float(r);
}

Value M_fsum(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "fsum", n, 1, 1);
  std::vector<Value> items = ToVector(vm, a[0]);
  std::vector<double> p;
  double special_sum = 0.0, inf_sum = 0.0;
  for (const Value& item : items) {
    double x = Arg(vm, item);
    double xsave = x;
    size_t i = 0;
    for (size_t j = 0; j < p.size(); ++j) {
      double y = p[j];
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      double hi = x + y;
      double yr = hi - x;
      double lo = y - yr;
      if (lo != 0.0) p[i++] = lo;
      x = hi;
    }
    p.resize(i);
    if (x != 0.0) {
      if (!std::isfinite(x)) {
        if (std::isfinite(xsave)) Raise(vm, T().OverflowError, "intermediate overflow in fsum");
        if (std::isinf(xsave)) inf_sum += xsave;
        special_sum += xsave;
        p.clear();
      } else {
        p.push_back(x);
      }
    }
  }
  if (special_sum != 0.0) {
    if (std::isnan(inf_sum)) ValueError(vm, "-inf + inf in fsum");
    return Value::Float(special_sum);
  }
  double hi = 0.0;
  size_t k = p.size();
  if (k > 0) {
    hi = p[--k];
    double lo = 0.0;
    while (k > 0) {
      double x = hi;
      double y = p[--k];
      hi = x + y;
      double yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) break;
    }
    if (k > 0 && ((lo < 0.0 && p[k - 1] < 0.0) || (lo > 0.0 && p[k - 1] > 0.0))) {
      double y = lo * 2.0;
      double x = hi + y;
      double yr = x - hi;
      if (y == yr) hi = x;
    }
  }
  return Value::Float(hi);
}

// CPython 3.11's vector_norm: lossless scaling and squaring, compensated
// summation, and one correction step of the square root.
double VectorNorm(std::vector<double>& vec, double max, bool found_nan) {
  if (std::isinf(max)) return max;
  if (found_nan) return NAN;
  if (max == 0.0 || vec.size() <= 1) return max;
  int max_e;
  std::frexp(max, &max_e);
  if (max_e < -1023) {
    for (double& x : vec) x /= DBL_MIN;
    return DBL_MIN * VectorNorm(vec, max / DBL_MIN, found_nan);
  }
  double scale = std::ldexp(1.0, -max_e);
  double csum = 1.0, frac1 = 0.0, frac2 = 0.0;
  for (double x : vec) {
    x *= scale;
    double hi = x * x;
    double lo = std::fma(x, x, -hi);
    double s = csum + hi;
    double slo = (csum - s) + hi;
    csum = s;
    frac1 += lo;
    frac2 += slo;
  }
  double h = std::sqrt(csum - 1.0 + (frac1 + frac2));
  double phi = -h * h;
  double plo = std::fma(-h, h, -phi);
  double s = csum + phi;
  double slo = (csum - s) + phi;
  csum = s;
  frac1 += plo;
  frac2 += slo;
  double x = csum - 1.0 + (frac1 + frac2);
  h += x / (2.0 * h);
  return h / scale;
}

Value M_hypot(VM& vm, Value* a, int n, TupleObj*) {
  std::vector<double> vec(n);
  double max = 0.0;
  bool nan = false;
  for (int i = 0; i < n; ++i) {
    double x = std::fabs(Arg(vm, a[i]));
    vec[i] = x;
    nan |= std::isnan(x);
    if (x > max) max = x;
  }
  return Value::Float(VectorNorm(vec, max, nan));
}

Value M_dist(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "dist", n, 2, 2);
  std::vector<Value> p = ToVector(vm, a[0]);
  std::vector<Value> q = ToVector(vm, a[1]);
  if (!(IsTuple(a[0]) || IsList(a[0])) || !(IsTuple(a[1]) || IsList(a[1]))) {
    TypeError(vm, "dist(): both points must be sequences");
  }
  if (p.size() != q.size()) ValueError(vm, "both points must have the same number of dimensions");
  std::vector<double> vec(p.size());
  double max = 0.0;
  bool nan = false;
  for (size_t i = 0; i < p.size(); ++i) {
    double x = std::fabs(Arg(vm, p[i]) - Arg(vm, q[i]));
    vec[i] = x;
    nan |= std::isnan(x);
    if (x > max) max = x;
  }
  return Value::Float(VectorNorm(vec, max, nan));
}

Value M_atan2(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "atan2", n, 2, 2);
  return Value::Float(std::atan2(Arg(vm, a[0]), Arg(vm, a[1])));
}

Value M_copysign(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "copysign", n, 2, 2);
  return Value::Float(std::copysign(Arg(vm, a[0]), Arg(vm, a[1])));
}

Value M_fmod(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "fmod", n, 2, 2);
  double x = Arg(vm, a[0]), y = Arg(vm, a[1]);
  if (std::isinf(y) && std::isfinite(x)) return Value::Float(x);
  double r = std::fmod(x, y);
  if (std::isnan(r) && !std::isnan(x) && !std::isnan(y)) Domain(vm);
  return Value::Float(r);
}

Value M_remainder(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "remainder", n, 2, 2);
  double x = Arg(vm, a[0]), y = Arg(vm, a[1]);
  double r = std::remainder(x, y);
  if (std::isnan(r) && !std::isnan(x) && !std::isnan(y)) Domain(vm);
  return Value::Float(r);
}

Value M_modf(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "modf", n, 1, 1);
  double x = Arg(vm, a[0]);
  double ip;
  double fp;
  if (std::isinf(x)) {
    fp = std::copysign(0.0, x);
    ip = x;
  } else {
    fp = std::modf(x, &ip);
  }
  Value items[2] = {Value::Float(fp), Value::Float(ip)};
  return V(NewTupleFrom(&vm, items, 2));
}

Value M_frexp(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "frexp", n, 1, 1);
  double x = Arg(vm, a[0]);
  int e = 0;
  double m = std::isfinite(x) ? std::frexp(x, &e) : x;
  Value items[2] = {Value::Float(m), Value::Int(e)};
  return V(NewTupleFrom(&vm, items, 2));
}

Value M_ldexp(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "ldexp", n, 2, 2);
  double x = Arg(vm, a[0]);
  int64_t e = IntArg(vm, a[1], "ldexp");
  if (e > 100000) e = 100000;
  if (e < -100000) e = -100000;
  double r = std::ldexp(x, static_cast<int>(e));
  if (std::isinf(r) && std::isfinite(x)) Range(vm);
  return Value::Float(r);
}

Value M_isnan(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "isnan", n, 1, 1);
  return Value::Bool(std::isnan(Arg(vm, a[0])));
}
Value M_isinf(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "isinf", n, 1, 1);
  return Value::Bool(std::isinf(Arg(vm, a[0])));
}
Value M_isfinite(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "isfinite", n, 1, 1);
  return Value::Bool(std::isfinite(Arg(vm, a[0])));
}

Value M_isclose(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[4];
  ParseArgs(vm, {"isclose", {"a", "b", "rel_tol", "abs_tol"}, 2}, a, n, kw, opts);
  double x = Arg(vm, opts[0]), y = Arg(vm, opts[1]);
  double rel = opts[2].unbound() ? 1e-09 : Arg(vm, opts[2]);
  double abs_tol = opts[3].unbound() ? 0.0 : Arg(vm, opts[3]);
  if (rel < 0.0 || abs_tol < 0.0) ValueError(vm, "tolerances must be non-negative");
  if (x == y) return Value::Bool(true);
  if (std::isinf(x) || std::isinf(y)) return Value::Bool(false);
  double diff = std::fabs(y - x);
  return Value::Bool((diff <= std::fabs(rel * y)) || (diff <= std::fabs(rel * x)) || diff <= abs_tol);
}

Value M_degrees(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "degrees", n, 1, 1);
  return Value::Float(Arg(vm, a[0]) * (180.0 / M_PI));
}
Value M_radians(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "radians", n, 1, 1);
  return Value::Float(Arg(vm, a[0]) * (M_PI / 180.0));
}

Value M_nextafter(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "nextafter", n, 2, 2);
  return Value::Float(std::nextafter(Arg(vm, a[0]), Arg(vm, a[1])));
}

Value M_ulp(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "ulp", n, 1, 1);
  double x = std::fabs(Arg(vm, a[0]));
  if (std::isnan(x) || std::isinf(x)) return Value::Float(x);
  double x2 = std::nextafter(x, INFINITY);
  if (std::isinf(x2)) return Value::Float(x - std::nextafter(x, -INFINITY));
  return Value::Float(x2 - x);
}

int64_t Gcd(int64_t x, int64_t y) {
  uint64_t a = x < 0 ? 0 - static_cast<uint64_t>(x) : static_cast<uint64_t>(x);
  uint64_t b = y < 0 ? 0 - static_cast<uint64_t>(y) : static_cast<uint64_t>(y);
  while (b) {
    uint64_t t = a % b;
    a = b;
    b = t;
  }
  return static_cast<int64_t>(a);
}

Value M_gcd(VM& vm, Value* a, int n, TupleObj*) {
  int64_t g = 0;
  for (int i = 0; i < n; ++i) g = Gcd(g, IntArg(vm, a[i], "gcd"));
  return Value::Int(g);
}

Value M_lcm(VM& vm, Value* a, int n, TupleObj*) {
  if (n == 0) return Value::Int(1);
  int64_t l = IntArg(vm, a[0], "lcm");
  l = l < 0 ? -l : l;
  for (int i = 1; i < n; ++i) {
    int64_t x = IntArg(vm, a[i], "lcm");
    x = x < 0 ? -x : x;
    if (l == 0 || x == 0) {
      l = 0;
      continue;
    }
    int64_t r;
    if (__builtin_mul_overflow(l / Gcd(l, x), x, &r)) Raise(vm, T().OverflowError, "integer result out of 64-bit range");
    l = r;
  }
  return Value::Int(l);
}

Value M_isqrt(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "isqrt", n, 1, 1);
  int64_t x = IntArg(vm, a[0], "isqrt");
  if (x < 0) ValueError(vm, "isqrt() argument must be nonnegative");
  uint64_t r = static_cast<uint64_t>(std::sqrt(static_cast<double>(x)));
  while (r * r > static_cast<uint64_t>(x)) --r;
  while ((r + 1) * (r + 1) <= static_cast<uint64_t>(x)) ++r;
  return Value::Int(static_cast<int64_t>(r));
}

Value M_factorial(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "factorial", n, 1, 1);
  int64_t x = IntArg(vm, a[0], "factorial");
  if (x < 0) ValueError(vm, "factorial() not defined for negative values");
  int64_t r = 1;
  for (int64_t i = 2; i <= x; ++i) {
    if (__builtin_mul_overflow(r, i, &r)) Raise(vm, T().OverflowError, "integer result out of 64-bit range");
  }
  return Value::Int(r);
}

Value M_comb(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "comb", n, 2, 2);
  int64_t nn = IntArg(vm, a[0], "comb"), k = IntArg(vm, a[1], "comb");
  if (nn < 0) ValueError(vm, "n must be a non-negative integer");
  if (k < 0) ValueError(vm, "k must be a non-negative integer");
  if (k > nn) return Value::Int(0);
  if (k > nn - k) k = nn - k;
  unsigned __int128 r = 1;
  for (int64_t i = 1; i <= k; ++i) {
    r = r * static_cast<unsigned __int128>(nn - k + i) / static_cast<unsigned __int128>(i);
    if (r > static_cast<unsigned __int128>(INT64_MAX)) Raise(vm, T().OverflowError, "integer result out of 64-bit range");
  }
  return Value::Int(static_cast<int64_t>(r));
}

Value M_perm(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "perm", n, 1, 2);
  int64_t nn = IntArg(vm, a[0], "perm");
  if (nn < 0) ValueError(vm, "n must be a non-negative integer");
  int64_t k = n == 2 && !a[1].is_none() ? IntArg(vm, a[1], "perm") : nn;
  if (k < 0) ValueError(vm, "k must be a non-negative integer");
  if (k > nn) return Value::Int(0);
  int64_t r = 1;
  for (int64_t i = 0; i < k; ++i) {
    if (__builtin_mul_overflow(r, nn - i, &r)) Raise(vm, T().OverflowError, "integer result out of 64-bit range");
  }
  return Value::Int(r);
}

Value M_prod(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[2];
  ParseArgs(vm, {"prod", {"iterable", "start"}, 1}, a, n, kw, opts);
  if (n > 1) TypeError(vm, "prod() takes exactly 1 positional argument (" + std::to_string(n) + " given)");
  Value acc = opts[1].unbound() ? Value::Int(1) : opts[1];
  RootScope keep(vm);
  keep.Keep(acc);
  if (IsObj(opts[0], Kind::kRange)) {
    // A range is walked, not copied: prod(range(10 ** 8)) needs no memory.
    auto* r = As<RangeObj>(opts[0]);
    int64_t len = Len(vm, opts[0]);
    NoGcScope no_gc(vm);  // acc is rooted only once, above
    for (int64_t i = 0; i < len; ++i) {
      vm.NativeTick();
      auto v = static_cast<int64_t>(static_cast<__int128>(r->start) + static_cast<__int128>(i) * r->step);
      acc = BinaryOp(vm, kMul, acc, Value::Int(v));
    }
    return acc;
  }
  for (const Value& v : ToVector(vm, opts[0])) {
    acc = BinaryOp(vm, kMul, acc, v);
    keep.Keep(acc);
  }
  return acc;
}

}  // namespace

ModuleObj* MakeMathModule() {
  ModuleObj* m = NewLibraryModule("math");
  AddConstant(m, "pi", Value::Float(M_PI));
  AddConstant(m, "e", Value::Float(M_E));
  AddConstant(m, "tau", Value::Float(2 * M_PI));
  AddConstant(m, "inf", Value::Float(INFINITY));
  AddConstant(m, "nan", Value::Float(NAN));
#define EF_ADD(name) AddFunction(m, #name, M_##name);
  EF_ADD(sqrt) EF_ADD(exp) EF_ADD(exp2) EF_ADD(expm1) EF_ADD(sin) EF_ADD(cos) EF_ADD(tan)
  EF_ADD(asin) EF_ADD(acos) EF_ADD(atan) EF_ADD(sinh) EF_ADD(cosh) EF_ADD(tanh) EF_ADD(asinh)
  EF_ADD(acosh) EF_ADD(atanh) EF_ADD(erf) EF_ADD(erfc) EF_ADD(cbrt) EF_ADD(fabs) EF_ADD(gamma)
  EF_ADD(lgamma) EF_ADD(log) EF_ADD(log2) EF_ADD(log10) EF_ADD(log1p) EF_ADD(floor) EF_ADD(ceil)
  EF_ADD(trunc) EF_ADD(pow) EF_ADD(fsum) EF_ADD(hypot) EF_ADD(dist) EF_ADD(atan2)
  EF_ADD(copysign) EF_ADD(fmod) EF_ADD(remainder) EF_ADD(modf) EF_ADD(frexp) EF_ADD(ldexp)
  EF_ADD(isnan) EF_ADD(isinf) EF_ADD(isfinite) EF_ADD(isclose) EF_ADD(degrees) EF_ADD(radians)
  EF_ADD(nextafter) EF_ADD(ulp) EF_ADD(gcd) EF_ADD(lcm) EF_ADD(isqrt) EF_ADD(factorial)
  EF_ADD(comb) EF_ADD(perm) EF_ADD(prod)
#undef EF_ADD
  return m;
}

}  // namespace edgeflow::script
