// Value: Python's truthiness, str() and == for the scalars the pipeline reads
// from events and computes in expressions.
#include "pipeline/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace edgeflow::pipeline {
namespace {

using Kind = Value::Kind;

// repr(float) as CPython prints it (float_repr_style 'short'): the shortest
// digits that round-trip, fixed notation for exponents in [-4, 16), else
// scientific with at least two exponent digits.
std::string FloatRepr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0.0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
  std::string_view sci(buf, r.ptr - buf);
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int exp10 = 0;
  std::string_view exp_text = sci.substr(e + 1);
  if (!exp_text.empty() && exp_text[0] == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp10);
  int decpt = exp10 + 1;  // |d| = 0.DIGITS * 10^decpt
  int n = static_cast<int>(digits.size());
  std::string out = std::signbit(d) ? "-" : "";
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0." + std::string(-decpt, '0') + digits;
    } else if (decpt >= n) {
      out += digits + std::string(decpt - n, '0') + ".0";
    } else {
      out += digits.substr(0, decpt) + "." + digits.substr(decpt);
    }
  } else {
    out += digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    char ebuf[16];
    int x = decpt - 1;
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    out += ebuf;
  }
  return out;
}

int64_t IntOf(const Value& v) { return v.kind == Kind::kBool ? (v.b ? 1 : 0) : v.i; }

// Exact int == float, as Python compares them (no rounding of the int).
bool IntEqualsFloat(int64_t i, double f) {
  if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0)) return false;  // NaN, inf, out of range
  double t = std::trunc(f);
  return t == f && static_cast<int64_t>(t) == i;
}

}  // namespace

bool Truthy(const Value& v) {
  switch (v.kind) {
    case Kind::kNone: return false;
    case Kind::kBool: return v.b;
    case Kind::kInt: return v.i != 0;
    case Kind::kFloat: return v.f != 0;  // NaN is true, as in Python
    case Kind::kStr: return !v.s.empty();
    case Kind::kJson: return !v.s.empty() && v.s != "[]" && v.s != "{}";
  }
  return false;
}

std::string ToKeyString(const Value& v) {
  switch (v.kind) {
    case Kind::kNone: return "None";
    case Kind::kBool: return v.b ? "True" : "False";
    case Kind::kInt: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, v.i);
      return std::string(buf, r.ptr);
    }
    case Kind::kFloat: return FloatRepr(v.f);
    case Kind::kStr:
    case Kind::kJson: return v.s;
  }
  return "None";
}

bool Equal(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.kind == Kind::kFloat && b.kind == Kind::kFloat) return a.f == b.f;
    if (a.kind == Kind::kFloat) return IntEqualsFloat(IntOf(b), a.f);
    if (b.kind == Kind::kFloat) return IntEqualsFloat(IntOf(a), b.f);
    return IntOf(a) == IntOf(b);
  }
  if (a.kind != b.kind) return false;
  if (a.kind == Kind::kNone) return true;
  return a.s == b.s;  // kStr, kJson
}

}  // namespace edgeflow::pipeline
