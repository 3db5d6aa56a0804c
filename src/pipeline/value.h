// Value: one scalar of an event field or an expression result, with Python's
// types (None, bool, int, float, str). Strings are owned; field values that
// are nested JSON (objects, arrays) are kept as their compact JSON text in a
// kJson value, which expressions may compare for equality only.
#ifndef EDGEFLOW_PIPELINE_VALUE_H_
#define EDGEFLOW_PIPELINE_VALUE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace edgeflow::pipeline {

struct Value {
  enum class Kind : uint8_t { kNone, kBool, kInt, kFloat, kStr, kJson };
  Kind kind = Kind::kNone;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string s;  // kStr: the text; kJson: compact JSON of an object or array

  static Value None() { return {}; }
  static Value Bool(bool v) { Value x; x.kind = Kind::kBool; x.b = v; return x; }
  static Value Int(int64_t v) { Value x; x.kind = Kind::kInt; x.i = v; return x; }
  static Value Float(double v) { Value x; x.kind = Kind::kFloat; x.f = v; return x; }
  static Value Str(std::string_view v) { Value x; x.kind = Kind::kStr; x.s = v; return x; }
  static Value Json(std::string_view v) { Value x; x.kind = Kind::kJson; x.s = v; return x; }

  bool is_none() const { return kind == Kind::kNone; }
  bool is_number() const { return kind == Kind::kBool || kind == Kind::kInt || kind == Kind::kFloat; }
  // The number as a double (bool and int convert); 0 for anything else.
  double AsDouble() const {
    return kind == Kind::kFloat ? f : kind == Kind::kInt ? static_cast<double>(i) : kind == Kind::kBool ? (b ? 1 : 0) : 0;
  }
};

// Python truthiness: None, False, 0, 0.0 and "" are false.
bool Truthy(const Value& v);
// Python's str() of the value: "None", "True", "3", "0.5" (repr of floats), the
// text itself for strings, the JSON text for kJson. Used for keys and hashing.
std::string ToKeyString(const Value& v);
// Python's ==, with 1 == 1.0 == True.
bool Equal(const Value& a, const Value& b);

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_VALUE_H_
