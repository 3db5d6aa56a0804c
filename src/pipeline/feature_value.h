// FeatureValue: the value of one feature for one key, as a task reads it and
// as --dump-features prints it.
//
//   kind      JSON          produced by
//   scalar    null/bool/number/string   count, sum, avg, min, max, first, last, ratios
//   list      array         last-N sequences, top-K (keys in rank order)
//   map       object        per-category counts and preference vectors
//   tensor    array of numbers (fixed length)   transforms for model inputs
#ifndef EDGEFLOW_PIPELINE_FEATURE_VALUE_H_
#define EDGEFLOW_PIPELINE_FEATURE_VALUE_H_

#include <string>
#include <utility>
#include <vector>

#include "pipeline/value.h"

namespace edgeflow::pipeline {

struct FeatureValue {
  enum class Kind : uint8_t { kScalar, kList, kMap, kTensor };
  Kind kind = Kind::kScalar;
  Value scalar;                                   // kScalar (None when the feature has no value)
  std::vector<Value> list;                        // kList
  std::vector<std::pair<std::string, double>> map;  // kMap, sorted by key
  std::vector<float> tensor;                      // kTensor

  static FeatureValue Scalar(Value v) { FeatureValue f; f.scalar = std::move(v); return f; }
  static FeatureValue None() { return FeatureValue(); }

  // Sets a scalar in place (ResetAs below, then the value).
  void SetScalar(Value v) {
    ResetAs(Kind::kScalar);
    scalar = std::move(v);
  }
  // Turns this value into an empty list or map, keeping the buffers' capacity
  // (a snapshot reader's values are rewritten in place on every read).
  void ResetAs(Kind k) {
    kind = k;
    scalar.kind = Value::Kind::kNone;
    scalar.b = false;
    scalar.i = 0;
    scalar.f = 0;
    scalar.s.clear();
    if (k != Kind::kList) list.clear();
    if (k != Kind::kMap) map.clear();
    tensor.clear();
  }
};

// Compact JSON: floats with repr precision (shortest round-trip), NaN and
// infinities as null, map keys sorted.
std::string FeatureValueToJson(const FeatureValue& v);

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_FEATURE_VALUE_H_
