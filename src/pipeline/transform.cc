// Transform: parses a feature's "transform" chain into steps and runs them
// (transform.h lists the ops; docs/transforms.md specifies them).
#include "pipeline/transform.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace edgeflow::pipeline {

using nlohmann::json;

// One parsed step. `where` is its JSON path ("features[3].transform[1]");
// every Apply error starts with it and the op name.
class Transform::Step {
 public:
  Step(std::string where, std::string op) : where_(std::move(where)), op_(std::move(op)) {}
  virtual ~Step() = default;
  virtual Result<FeatureValue> Apply(const FeatureValue& in) const = 0;

 protected:
  Status Error(std::string_view message) const {
    return Status::InvalidArgument(where_ + " (" + op_ + "): " + std::string(message));
  }

 private:
  const std::string where_;
  const std::string op_;
};

namespace {

using Step = Transform::Step;

// The longest tensor or padded list a step may produce, so that a typo in a
// bundle cannot make every Apply allocate gigabytes.
constexpr int64_t kMaxLength = int64_t{1} << 20;

// FNV-1a, 64-bit (docs/transforms.md, "hash").
constexpr uint64_t kFnvOffsetBasis = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = kFnvOffsetBasis;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnvPrime;  // mod 2^64 by unsigned wrap-around
  }
  return h;
}

// Round-to-nearest conversion to float32 with overflow to ±inf spelled out
// (a double beyond float's range is undefined behaviour in a plain cast).
float ToFloat32(double x) {
  // Halfway between FLT_MAX (2^128 - 2^104) and 2^128: from here on, rounding
  // to nearest (ties to even) gives infinity.
  static const double kOverflow = std::ldexp(1.0, 128) - std::ldexp(1.0, 103);
  if (std::isfinite(x) && std::fabs(x) >= kOverflow) {
    return x > 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
  }
  return static_cast<float>(x);
}

// A number Value as float32; ints convert directly (one rounding, not two).
float NumberToFloat32(const Value& v) {
  return v.kind == Value::Kind::kInt ? static_cast<float>(v.i) : ToFloat32(v.AsDouble());
}

// "str 'abc'", "int 3", "None": what an Apply error says it got.
std::string Describe(const Value& v) {
  constexpr size_t kMaxShown = 40;
  auto shown = [&](const std::string& s) {
    if (s.size() <= kMaxShown) return s;
    size_t n = kMaxShown;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // whole UTF-8 chars
    return s.substr(0, n) + "...";
  };
  switch (v.kind) {
    case Value::Kind::kNone:
      return "None";
    case Value::Kind::kBool:
      return v.b ? "bool True" : "bool False";
    case Value::Kind::kInt:
      return "int " + std::to_string(v.i);
    case Value::Kind::kFloat:
      return "float " + ToKeyString(v);
    case Value::Kind::kStr:
      return "str '" + shown(v.s) + "'";
    case Value::Kind::kJson:
      return "JSON " + shown(v.s);
  }
  return "?";
}

const char* KindName(FeatureValue::Kind k) {
  switch (k) {
    case FeatureValue::Kind::kScalar:
      return "a scalar";
    case FeatureValue::Kind::kList:
      return "a list";
    case FeatureValue::Kind::kMap:
      return "a map";
    case FeatureValue::Kind::kTensor:
      return "a tensor";
  }
  return "?";
}

std::string ElementPrefix(size_t i) { return "element " + std::to_string(i) + ": "; }

FeatureValue MakeTensor(std::vector<float> t) {
  FeatureValue out;
  out.kind = FeatureValue::Kind::kTensor;
  out.tensor = std::move(t);
  return out;
}

FeatureValue MakeList(std::vector<Value> l) {
  FeatureValue out;
  out.kind = FeatureValue::Kind::kList;
  out.list = std::move(l);
  return out;
}

// What the chain alone says about the value after a step: used to reject
// steps that cannot follow each other and to compute output_length().
struct Shape {
  enum class Kind { kAny, kList, kTensor };
  Kind kind = Kind::kAny;  // kAny: whatever the feature gives
  int64_t length = -1;     // fixed length, -1 when the chain does not fix it
  std::string producer;    // "features[3].transform[0] (pad)": the step that fixed kind
};

// ---------------------------------------------------------------------------
// Element-wise numeric steps: bucketize, min_max, z_score, log1p, clip.

class NumericStep : public Step {
 public:
  // `none_output` is what a None element becomes; `int_output` makes
  // scalars and list elements ints (bucketize) instead of floats.
  NumericStep(std::string where, std::string op, Value none_output, bool int_output)
      : Step(std::move(where), std::move(op)),
        none_output_(std::move(none_output)),
        int_output_(int_output) {}

  Result<FeatureValue> Apply(const FeatureValue& in) const final {
    switch (in.kind) {
      case FeatureValue::Kind::kScalar: {
        EF_ASSIGN_OR_RETURN(Value v, One(in.scalar, ""));
        return FeatureValue::Scalar(std::move(v));
      }
      case FeatureValue::Kind::kList: {
        std::vector<Value> out;
        out.reserve(in.list.size());
        for (size_t i = 0; i < in.list.size(); ++i) {
          EF_ASSIGN_OR_RETURN(Value v, One(in.list[i], ElementPrefix(i)));
          out.push_back(std::move(v));
        }
        return MakeList(std::move(out));
      }
      case FeatureValue::Kind::kTensor: {
        std::vector<float> out(in.tensor.size());
        for (size_t i = 0; i < out.size(); ++i) out[i] = ToFloat32(Compute(in.tensor[i]));
        return MakeTensor(std::move(out));
      }
      case FeatureValue::Kind::kMap: {
        FeatureValue out = in;
        for (auto& entry : out.map) entry.second = Compute(entry.second);
        return out;
      }
    }
    return Error("unknown feature value kind");
  }

 protected:
  virtual double Compute(double x) const = 0;

 private:
  Result<Value> One(const Value& v, const std::string& prefix) const {
    if (v.is_none()) return none_output_;
    if (!v.is_number()) return Error(prefix + "expected a number, got " + Describe(v));
    const double y = Compute(v.AsDouble());
    return int_output_ ? Value::Int(static_cast<int64_t>(y)) : Value::Float(y);
  }

  const Value none_output_;
  const bool int_output_;
};

class BucketizeStep final : public NumericStep {
 public:
  BucketizeStep(std::string where, std::vector<double> boundaries, int64_t none_output)
      : NumericStep(std::move(where), "bucketize", Value::Int(none_output), true),
        boundaries_(std::move(boundaries)) {}

 protected:
  // Python's bisect.bisect_right: the number of boundaries <= x (NaN: all).
  double Compute(double x) const override {
    return static_cast<double>(std::upper_bound(boundaries_.begin(), boundaries_.end(), x) -
                               boundaries_.begin());
  }

 private:
  const std::vector<double> boundaries_;  // ascending
};

class MinMaxStep final : public NumericStep {
 public:
  MinMaxStep(std::string where, double min, double max, double none_output)
      : NumericStep(std::move(where), "min_max", Value::Float(none_output), false),
        min_(min),
        range_(max - min) {}

 protected:
  double Compute(double x) const override {
    const double y = (x - min_) / range_;
    return y < 0 ? 0.0 : y > 1 ? 1.0 : y;  // NaN stays NaN
  }

 private:
  const double min_, range_;  // range_ > 0
};

class ZScoreStep final : public NumericStep {
 public:
  ZScoreStep(std::string where, double mean, double std, double none_output)
      : NumericStep(std::move(where), "z_score", Value::Float(none_output), false),
        mean_(mean),
        std_(std) {}

 protected:
  double Compute(double x) const override { return (x - mean_) / std_; }

 private:
  const double mean_, std_;  // std_ > 0
};

class Log1pStep final : public NumericStep {
 public:
  Log1pStep(std::string where, double none_output)
      : NumericStep(std::move(where), "log1p", Value::Float(none_output), false) {}

 protected:
  // log1p(max(x, 0)): x <= 0 (and -0.0) give 0.0; NaN stays NaN.
  double Compute(double x) const override {
    if (std::isnan(x)) return x;
    return x > 0 ? std::log1p(x) : 0.0;
  }
};

class ClipStep final : public NumericStep {
 public:
  ClipStep(std::string where, std::optional<double> min, std::optional<double> max,
           double none_output)
      : NumericStep(std::move(where), "clip", Value::Float(none_output), false),
        min_(min),
        max_(max) {}

  static double Clip(double x, std::optional<double> min, std::optional<double> max) {
    if (min && x < *min) x = *min;
    if (max && x > *max) x = *max;
    return x;  // NaN stays NaN
  }

 protected:
  double Compute(double x) const override { return Clip(x, min_, max_); }

 private:
  const std::optional<double> min_, max_;
};

// ---------------------------------------------------------------------------
// Element-wise key steps: hash, vocab. They read ToKeyString() of a value and
// take scalars and lists only.

class KeyStep : public Step {
 public:
  KeyStep(std::string where, std::string op, int64_t none_output)
      : Step(std::move(where), std::move(op)), none_output_(none_output) {}

  Result<FeatureValue> Apply(const FeatureValue& in) const final {
    if (in.kind == FeatureValue::Kind::kScalar)
      return FeatureValue::Scalar(Value::Int(One(in.scalar)));
    if (in.kind != FeatureValue::Kind::kList) {
      return Error(std::string("takes a scalar or a list, got ") + KindName(in.kind));
    }
    std::vector<Value> out;
    out.reserve(in.list.size());
    for (const Value& v : in.list) out.push_back(Value::Int(One(v)));
    return MakeList(std::move(out));
  }

 protected:
  virtual int64_t Lookup(const std::string& key) const = 0;

 private:
  int64_t One(const Value& v) const {
    if (v.is_none()) return none_output_;
    if (v.kind == Value::Kind::kStr) return Lookup(v.s);  // ToKeyString of a str is the str
    return Lookup(ToKeyString(v));
  }

  const int64_t none_output_;
};

class HashStep final : public KeyStep {
 public:
  HashStep(std::string where, uint64_t buckets, int64_t none_output)
      : KeyStep(std::move(where), "hash", none_output), buckets_(buckets) {}

 protected:
  int64_t Lookup(const std::string& key) const override {
    return static_cast<int64_t>(Fnv1a64(key) % buckets_);  // < buckets_ <= INT64_MAX
  }

 private:
  const uint64_t buckets_;
};

class VocabStep final : public KeyStep {
 public:
  VocabStep(std::string where, std::unordered_map<std::string, int64_t> ids, int64_t oov)
      : KeyStep(std::move(where), "vocab", oov), ids_(std::move(ids)), oov_(oov) {}

 protected:
  int64_t Lookup(const std::string& key) const override {
    const auto it = ids_.find(key);
    return it == ids_.end() ? oov_ : it->second;
  }

 private:
  const std::unordered_map<std::string, int64_t> ids_;  // entry -> offset + position
  const int64_t oov_;
};

// ---------------------------------------------------------------------------
// Index encodings: one_hot, multi_hot.

// The position an index sets in a tensor of `depth`, or -1 when it is out of
// range. Ints, bools and integral floats are indices; anything else is not.
std::optional<int64_t> IndexPosition(const Value& v, int64_t depth) {
  if (v.kind == Value::Kind::kInt) return v.i >= 0 && v.i < depth ? v.i : -1;
  if (v.kind == Value::Kind::kBool) return v.b ? (depth > 1 ? 1 : -1) : 0;
  if (v.kind != Value::Kind::kFloat) return std::nullopt;
  const double x = v.f;
  if (!std::isfinite(x) || x != std::floor(x)) return std::nullopt;
  return x >= 0 && x < static_cast<double>(depth) ? static_cast<int64_t>(x) : -1;
}

class IndexStep : public Step {
 public:
  IndexStep(std::string where, std::string op, int64_t depth)
      : Step(std::move(where), std::move(op)), depth_(depth) {}

 protected:
  // Sets out[index] = 1 for `v`; None sets nothing.
  Status Set(const Value& v, const std::string& prefix, std::vector<float>* out) const {
    if (v.is_none()) return Status::OK();
    const std::optional<int64_t> pos = IndexPosition(v, depth_);
    if (!pos) return Error(prefix + "expected an integer index, got " + Describe(v));
    if (*pos >= 0) (*out)[static_cast<size_t>(*pos)] = 1.0f;
    return Status::OK();
  }

  // The indices of `in` (a scalar is one index); a map has none.
  Result<std::vector<Value>> Indices(const FeatureValue& in) const {
    switch (in.kind) {
      case FeatureValue::Kind::kScalar:
        return std::vector<Value>{in.scalar};
      case FeatureValue::Kind::kList:
        return in.list;
      case FeatureValue::Kind::kTensor: {
        std::vector<Value> out;
        out.reserve(in.tensor.size());
        for (const float f : in.tensor) out.push_back(Value::Float(f));
        return out;
      }
      case FeatureValue::Kind::kMap:
        break;
    }
    return Error(std::string("takes an index or a list of indices, got ") + KindName(in.kind));
  }

  const int64_t depth_;
};

class OneHotStep final : public IndexStep {
 public:
  OneHotStep(std::string where, int64_t depth) : IndexStep(std::move(where), "one_hot", depth) {}

  Result<FeatureValue> Apply(const FeatureValue& in) const override {
    EF_ASSIGN_OR_RETURN(std::vector<Value> indices, Indices(in));
    if (indices.size() > 1) {
      return Error("takes one index, got " + std::to_string(indices.size()) +
                   " (multi_hot takes several)");
    }
    std::vector<float> out(static_cast<size_t>(depth_), 0.0f);
    if (!indices.empty()) EF_RETURN_IF_ERROR(Set(indices[0], "", &out));
    return MakeTensor(std::move(out));
  }
};

class MultiHotStep final : public IndexStep {
 public:
  MultiHotStep(std::string where, int64_t depth)
      : IndexStep(std::move(where), "multi_hot", depth) {}

  Result<FeatureValue> Apply(const FeatureValue& in) const override {
    EF_ASSIGN_OR_RETURN(std::vector<Value> indices, Indices(in));
    std::vector<float> out(static_cast<size_t>(depth_), 0.0f);
    const bool scalar = in.kind == FeatureValue::Kind::kScalar;
    for (size_t i = 0; i < indices.size(); ++i) {
      EF_RETURN_IF_ERROR(Set(indices[i], scalar ? "" : ElementPrefix(i), &out));
    }
    return MakeTensor(std::move(out));
  }
};

// ---------------------------------------------------------------------------
// pad: fixed length, as a tensor (numeric value) or a list (string/null value).

template <typename T>
std::vector<T> Fit(const std::vector<T>& src, size_t length, bool keep_first, bool pad_left,
                   const T& fill) {
  const size_t take = std::min(src.size(), length);
  const auto begin = keep_first ? src.begin() : src.end() - static_cast<std::ptrdiff_t>(take);
  std::vector<T> out;
  out.reserve(length);
  if (pad_left) out.insert(out.end(), length - take, fill);
  out.insert(out.end(), begin, begin + static_cast<std::ptrdiff_t>(take));
  if (!pad_left) out.insert(out.end(), length - take, fill);
  return out;
}

class PadStep final : public Step {
 public:
  // `fill` is a number (tensor output) or a str/None (list output).
  PadStep(std::string where, int64_t length, Value fill, bool pad_left, bool keep_first)
      : Step(std::move(where), "pad"),
        length_(static_cast<size_t>(length)),
        fill_(std::move(fill)),
        numeric_(fill_.is_number()),
        pad_left_(pad_left),
        keep_first_(keep_first) {}

  Result<FeatureValue> Apply(const FeatureValue& in) const override {
    if (in.kind == FeatureValue::Kind::kMap) {
      return Error("takes a scalar, a list or a tensor, got a map");
    }
    return numeric_ ? ApplyTensor(in) : ApplyList(in);
  }

 private:
  Result<FeatureValue> ApplyTensor(const FeatureValue& in) const {
    const float fill = NumberToFloat32(fill_);
    if (in.kind == FeatureValue::Kind::kTensor) {
      return MakeTensor(Fit(in.tensor, length_, keep_first_, pad_left_, fill));
    }
    const bool scalar = in.kind == FeatureValue::Kind::kScalar;
    std::vector<float> src;
    if (scalar) {
      if (!in.scalar.is_none()) src.push_back(0);  // filled below
    } else {
      src.resize(in.list.size());
    }
    for (size_t i = 0; i < src.size(); ++i) {
      const Value& v = scalar ? in.scalar : in.list[i];
      if (v.is_none()) {
        src[i] = fill;
      } else if (v.is_number()) {
        src[i] = NumberToFloat32(v);
      } else {
        return Error((scalar ? std::string() : ElementPrefix(i)) + "a tensor holds numbers, got " +
                     Describe(v) + " (a string or null \"value\" pads to a list)");
      }
    }
    return MakeTensor(Fit(src, length_, keep_first_, pad_left_, fill));
  }

  Result<FeatureValue> ApplyList(const FeatureValue& in) const {
    if (in.kind == FeatureValue::Kind::kTensor) {
      return Error("with a string or null \"value\" takes a scalar or a list, got a tensor");
    }
    if (in.kind == FeatureValue::Kind::kList) {
      return MakeList(Fit(in.list, length_, keep_first_, pad_left_, fill_));
    }
    std::vector<Value> src;
    if (!in.scalar.is_none()) src.push_back(in.scalar);
    return MakeList(Fit(src, length_, keep_first_, pad_left_, fill_));
  }

  const size_t length_;
  const Value fill_;
  const bool numeric_;
  const bool pad_left_;    // side == "left"
  const bool keep_first_;  // keep == "first"
};

// ---------------------------------------------------------------------------
// to_tensor: a number, a list of numbers or a map (by "keys") as a tensor.

class ToTensorStep final : public Step {
 public:
  ToTensorStep(std::string where, std::optional<std::vector<std::string>> keys)
      : Step(std::move(where), "to_tensor"), keys_(std::move(keys)) {}

  Result<FeatureValue> Apply(const FeatureValue& in) const override {
    if (keys_) return FromMap(in);
    switch (in.kind) {
      case FeatureValue::Kind::kTensor:
        return in;
      case FeatureValue::Kind::kScalar: {
        EF_ASSIGN_OR_RETURN(float f, One(in.scalar, ""));
        return MakeTensor({f});
      }
      case FeatureValue::Kind::kList: {
        std::vector<float> out(in.list.size());
        for (size_t i = 0; i < out.size(); ++i) {
          EF_ASSIGN_OR_RETURN(out[i], One(in.list[i], ElementPrefix(i)));
        }
        return MakeTensor(std::move(out));
      }
      case FeatureValue::Kind::kMap:
        break;
    }
    return Error("takes a map only with \"keys\" (the order of its values)");
  }

 private:
  Result<float> One(const Value& v, const std::string& prefix) const {
    if (v.is_none()) return 0.0f;
    if (!v.is_number()) return Error(prefix + "expected a number, got " + Describe(v));
    return NumberToFloat32(v);
  }

  Result<FeatureValue> FromMap(const FeatureValue& in) const {
    std::vector<float> out(keys_->size(), 0.0f);
    if (in.kind == FeatureValue::Kind::kScalar && in.scalar.is_none())
      return MakeTensor(std::move(out));
    if (in.kind != FeatureValue::Kind::kMap) {
      return Error(std::string("with \"keys\" takes a map, got ") + KindName(in.kind));
    }
    const auto& map = in.map;
    const bool sorted = std::is_sorted(
        map.begin(), map.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < keys_->size(); ++i) {
      const std::string& key = (*keys_)[i];
      auto it =
          sorted
              ? std::lower_bound(map.begin(), map.end(), key,
                                 [](const auto& e, const std::string& k) { return e.first < k; })
              : std::find_if(map.begin(), map.end(), [&](const auto& e) { return e.first == key; });
      if (it != map.end() && it->first == key) out[i] = ToFloat32(it->second);
    }
    return MakeTensor(std::move(out));
  }

  const std::optional<std::vector<std::string>> keys_;
};

// ---------------------------------------------------------------------------
// Parsing.

// The fields of one step object, with readers that name the exact path in
// their errors ("features[3].transform[1].length: must be a positive integer").
class StepFields {
 public:
  StepFields(const json& step, std::string where, std::string op)
      : step_(step), where_(std::move(where)), op_(std::move(op)) {}

  const std::string& where() const { return where_; }
  const std::string& op() const { return op_; }
  std::string Path(std::string_view key) const { return where_ + "." + std::string(key); }
  Status Invalid(std::string_view key, std::string_view message) const {
    return Status::InvalidArgument(Path(key) + ": " + std::string(message));
  }
  const json* Find(const char* key) const {
    const auto it = step_.find(key);
    return it == step_.end() ? nullptr : &*it;
  }

  // Rejects any field not in `allowed` ("op" is always allowed).
  Status CheckKnown(std::initializer_list<const char*> allowed) const {
    for (const auto& [key, value] : step_.items()) {
      if (key == "op") continue;
      bool known = false;
      for (const char* a : allowed) known = known || key == a;
      if (known) continue;
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Invalid(
          key, "unknown field (" + op_ + " takes " + (list.empty() ? "no fields" : list) + ")");
    }
    return Status::OK();
  }

  Status Missing(const char* key) const {
    return Invalid(key, "missing (required by " + op_ + ")");
  }

  // An integer in [1, max]; `dflt` when absent, or an error when it is nullopt.
  Result<int64_t> PositiveInt(const char* key, std::optional<int64_t> dflt, int64_t max) const {
    const json* j = Find(key);
    if (!j) {
      if (dflt) return *dflt;
      return Missing(key);
    }
    std::optional<int64_t> v = AsInt(*j);
    if (!v || *v < 1) return Invalid(key, "must be a positive integer");
    if (*v > max) return Invalid(key, "must be at most " + std::to_string(max));
    return *v;
  }

  // Any int64; `dflt` when absent.
  Result<int64_t> Int(const char* key, int64_t dflt) const {
    const json* j = Find(key);
    if (!j) return dflt;
    std::optional<int64_t> v = AsInt(*j);
    if (!v) return Invalid(key, "must be an integer");
    return *v;
  }

  // A finite number; `dflt` when absent, or an error when it is nullopt.
  Result<double> Number(const char* key, std::optional<double> dflt) const {
    const json* j = Find(key);
    if (!j) {
      if (dflt) return *dflt;
      return Missing(key);
    }
    if (!j->is_number() || !std::isfinite(j->get<double>()))
      return Invalid(key, "must be a number");
    return j->get<double>();
  }

  // One of `choices` (the first is the default when absent).
  Result<std::string> Choice(const char* key, std::initializer_list<const char*> choices) const {
    const json* j = Find(key);
    if (!j) return std::string(*choices.begin());
    std::string list;
    for (const char* c : choices) {
      if (j->is_string() && j->get_ref<const std::string&>() == c) return std::string(c);
      list += (list.empty() ? "\"" : " or \"") + std::string(c) + "\"";
    }
    return Invalid(key, "must be " + list);
  }

  // A non-empty array of distinct strings.
  Result<std::vector<std::string>> DistinctStrings(const char* key, const json& j) const {
    if (!j.is_array() || j.empty()) return Invalid(key, "must be a non-empty array of strings");
    std::vector<std::string> out;
    std::unordered_map<std::string, size_t> first;
    for (size_t i = 0; i < j.size(); ++i) {
      const std::string at = std::string(key) + "[" + std::to_string(i) + "]";
      if (!j[i].is_string()) return Invalid(at, "must be a string");
      const std::string& s = j[i].get_ref<const std::string&>();
      const auto [it, inserted] = first.emplace(s, i);
      if (!inserted) {
        return Invalid(at, "duplicate \"" + s + "\" (also " + std::string(key) + "[" +
                               std::to_string(it->second) + "])");
      }
      out.push_back(s);
    }
    return out;
  }

 private:
  static std::optional<int64_t> AsInt(const json& j) {
    if (j.is_number_unsigned()) {
      const uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
      return static_cast<int64_t>(u);
    }
    if (j.is_number_integer()) return j.get<int64_t>();
    return std::nullopt;
  }

  const json& step_;
  const std::string where_;
  const std::string op_;
};

using ParseFn = Result<std::unique_ptr<Step>> (*)(const StepFields& f,
                                                  const Transform::ResourceReader& read_resource,
                                                  Shape* shape);

Result<std::unique_ptr<Step>> ParseBucketize(const StepFields& f, const Transform::ResourceReader&,
                                             Shape*) {
  EF_RETURN_IF_ERROR(f.CheckKnown({"boundaries", "default"}));
  const json* b = f.Find("boundaries");
  if (!b) return f.Missing("boundaries");
  if (!b->is_array() || b->empty()) {
    return f.Invalid("boundaries", "must be a non-empty array of numbers in ascending order");
  }
  std::vector<double> boundaries;
  for (size_t i = 0; i < b->size(); ++i) {
    const std::string at = "boundaries[" + std::to_string(i) + "]";
    const json& x = (*b)[i];
    if (!x.is_number() || !std::isfinite(x.get<double>())) return f.Invalid(at, "must be a number");
    if (!boundaries.empty() && x.get<double>() < boundaries.back()) {
      return f.Invalid(at, "must not be less than the boundary before it (ascending order)");
    }
    boundaries.push_back(x.get<double>());
  }
  EF_ASSIGN_OR_RETURN(int64_t dflt, f.Int("default", 0));
  return std::unique_ptr<Step>(new BucketizeStep(f.where(), std::move(boundaries), dflt));
}

Result<std::unique_ptr<Step>> ParseHash(const StepFields& f, const Transform::ResourceReader&,
                                        Shape* shape) {
  EF_RETURN_IF_ERROR(f.CheckKnown({"buckets", "default"}));
  EF_ASSIGN_OR_RETURN(int64_t buckets,
                      f.PositiveInt("buckets", std::nullopt, std::numeric_limits<int64_t>::max()));
  EF_ASSIGN_OR_RETURN(int64_t dflt, f.Int("default", 0));
  if (shape->kind == Shape::Kind::kTensor) {
    return f.Invalid("op", "hash takes a scalar or a list, but " + shape->producer +
                               " makes the value a tensor");
  }
  return std::unique_ptr<Step>(new HashStep(f.where(), static_cast<uint64_t>(buckets), dflt));
}

// A vocabulary file: one entry per line, "\n" or "\r\n"; a final line break
// does not start another entry; a UTF-8 byte-order mark at the start is skipped.
std::vector<std::string> SplitLines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::string> lines;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

Result<std::unique_ptr<Step>> ParseVocab(const StepFields& f,
                                         const Transform::ResourceReader& read_resource,
                                         Shape* shape) {
  EF_RETURN_IF_ERROR(f.CheckKnown({"vocabulary", "oov", "offset"}));
  const json* voc = f.Find("vocabulary");
  if (!voc) return f.Missing("vocabulary");
  std::vector<std::string> entries;
  if (voc->is_string()) {
    const std::string& name = voc->get_ref<const std::string&>();
    const std::string quoted = "resource \"" + name + "\"";
    if (name.empty()) return f.Invalid("vocabulary", "must name a resource file");
    if (!read_resource) return f.Invalid("vocabulary", quoted + ": no resources to read from");
    Result<std::string> text = read_resource(name);
    if (!text.ok()) {
      return Status(text.status().code(),
                    f.Path("vocabulary") + ": " + quoted + ": " + text.status().message());
    }
    entries = SplitLines(*text);
    if (entries.empty()) return f.Invalid("vocabulary", quoted + " has no entries");
    std::unordered_map<std::string_view, size_t> first;
    for (size_t i = 0; i < entries.size(); ++i) {
      const auto [it, inserted] = first.emplace(entries[i], i);
      if (!inserted) {
        return f.Invalid("vocabulary", quoted + " line " + std::to_string(i + 1) +
                                           ": duplicate \"" + entries[i] + "\" (also line " +
                                           std::to_string(it->second + 1) + ")");
      }
    }
  } else if (voc->is_array()) {
    EF_ASSIGN_OR_RETURN(entries, f.DistinctStrings("vocabulary", *voc));
  } else {
    return f.Invalid("vocabulary", "must be an array of strings or a resource file name");
  }
  EF_ASSIGN_OR_RETURN(int64_t oov, f.Int("oov", 0));
  EF_ASSIGN_OR_RETURN(int64_t offset, f.Int("offset", 1));
  const int64_t last = static_cast<int64_t>(entries.size()) - 1;
  if (offset > std::numeric_limits<int64_t>::max() - last) {
    return f.Invalid("offset", "too large: offset + vocabulary size overflows int64");
  }
  if (shape->kind == Shape::Kind::kTensor) {
    return f.Invalid("op", "vocab takes a scalar or a list, but " + shape->producer +
                               " makes the value a tensor");
  }
  std::unordered_map<std::string, int64_t> ids;
  ids.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i)
    ids.emplace(std::move(entries[i]), offset + static_cast<int64_t>(i));
  return std::unique_ptr<Step>(new VocabStep(f.where(), std::move(ids), oov));
}

Result<std::unique_ptr<Step>> ParseOneHot(const StepFields& f, const Transform::ResourceReader&,
                                          Shape* shape) {
  EF_RETURN_IF_ERROR(f.CheckKnown({"depth"}));
  EF_ASSIGN_OR_RETURN(int64_t depth, f.PositiveInt("depth", std::nullopt, kMaxLength));
  if (shape->length > 1) {
    return f.Invalid("op", "one_hot takes one index, but " + shape->producer + " makes the value " +
                               std::to_string(shape->length) + " long (multi_hot takes several)");
  }
  *shape = {Shape::Kind::kTensor, depth, {}};
  return std::unique_ptr<Step>(new OneHotStep(f.where(), depth));
}

Result<std::unique_ptr<Step>> ParseMultiHot(const StepFields& f, const Transform::ResourceReader&,
                                            Shape* shape) {
  EF_RETURN_IF_ERROR(f.CheckKnown({"depth"}));
  EF_ASSIGN_OR_RETURN(int64_t depth, f.PositiveInt("depth", std::nullopt, kMaxLength));
  *shape = {Shape::Kind::kTensor, depth, {}};
  return std::unique_ptr<Step>(new MultiHotStep(f.where(), depth));
}

Result<std::unique_ptr<Step>> ParseMinMax(const StepFields& f, const Transform::ResourceReader&,
                                          Shape*) {
  EF_RETURN_IF_ERROR(f.CheckKnown({"min", "max", "default"}));
  EF_ASSIGN_OR_RETURN(double min, f.Number("min", std::nullopt));
  EF_ASSIGN_OR_RETURN(double max, f.Number("max", std::nullopt));
  if (!(max > min) || !std::isfinite(max - min))
    return f.Invalid("max", "must be greater than min");
  EF_ASSIGN_OR_RETURN(double dflt, f.Number("default", 0.0));
  return std::unique_ptr<Step>(new MinMaxStep(f.where(), min, max, dflt));
}

Result<std::unique_ptr<Step>> ParseZScore(const StepFields& f, const Transform::ResourceReader&,
                                          Shape*) {
  EF_RETURN_IF_ERROR(f.CheckKnown({"mean", "std", "default"}));
  EF_ASSIGN_OR_RETURN(double mean, f.Number("mean", std::nullopt));
  EF_ASSIGN_OR_RETURN(double std, f.Number("std", std::nullopt));
  if (!(std > 0)) return f.Invalid("std", "must be greater than 0");
  EF_ASSIGN_OR_RETURN(double dflt, f.Number("default", 0.0));
  return std::unique_ptr<Step>(new ZScoreStep(f.where(), mean, std, dflt));
}

Result<std::unique_ptr<Step>> ParseLog1p(const StepFields& f, const Transform::ResourceReader&,
                                         Shape*) {
  EF_RETURN_IF_ERROR(f.CheckKnown({"default"}));
  EF_ASSIGN_OR_RETURN(double dflt, f.Number("default", 0.0));
  return std::unique_ptr<Step>(new Log1pStep(f.where(), dflt));
}

Result<std::unique_ptr<Step>> ParseClip(const StepFields& f, const Transform::ResourceReader&,
                                        Shape*) {
  EF_RETURN_IF_ERROR(f.CheckKnown({"min", "max", "default"}));
  std::optional<double> min, max;
  if (f.Find("min")) {
    EF_ASSIGN_OR_RETURN(min, f.Number("min", std::nullopt));
  }
  if (f.Find("max")) {
    EF_ASSIGN_OR_RETURN(max, f.Number("max", std::nullopt));
  }
  if (!min && !max) {
    return Status::InvalidArgument(f.where() + ": clip needs \"min\", \"max\" or both");
  }
  if (min && max && *max < *min) return f.Invalid("max", "must not be less than min");
  EF_ASSIGN_OR_RETURN(double dflt, f.Number("default", ClipStep::Clip(0.0, min, max)));
  return std::unique_ptr<Step>(new ClipStep(f.where(), min, max, dflt));
}

Result<std::unique_ptr<Step>> ParsePad(const StepFields& f, const Transform::ResourceReader&,
                                       Shape* shape) {
  EF_RETURN_IF_ERROR(f.CheckKnown({"length", "value", "side", "keep"}));
  EF_ASSIGN_OR_RETURN(int64_t length, f.PositiveInt("length", std::nullopt, kMaxLength));
  Value fill = Value::Int(0);
  if (const json* v = f.Find("value")) {
    if (v->is_number_integer() && !v->is_number_unsigned()) {
      fill = Value::Int(v->get<int64_t>());
    } else if (v->is_number() && std::isfinite(v->get<double>())) {
      fill = Value::Float(v->get<double>());
    } else if (v->is_string()) {
      fill = Value::Str(v->get_ref<const std::string&>());
    } else if (v->is_null()) {
      fill = Value::None();
    } else {
      return f.Invalid("value", "must be a number, a string or null");
    }
  }
  EF_ASSIGN_OR_RETURN(std::string side, f.Choice("side", {"right", "left"}));
  EF_ASSIGN_OR_RETURN(std::string keep, f.Choice("keep", {"last", "first"}));
  const bool numeric = fill.is_number();
  if (!numeric && shape->kind == Shape::Kind::kTensor) {
    return f.Invalid("value", "must be a number: " + shape->producer +
                                  " makes the value a tensor, which holds numbers only");
  }
  *shape = {numeric ? Shape::Kind::kTensor : Shape::Kind::kList, length, {}};
  return std::unique_ptr<Step>(
      new PadStep(f.where(), length, std::move(fill), side == "left", keep == "first"));
}

Result<std::unique_ptr<Step>> ParseToTensor(const StepFields& f, const Transform::ResourceReader&,
                                            Shape* shape) {
  EF_RETURN_IF_ERROR(f.CheckKnown({"keys"}));
  std::optional<std::vector<std::string>> keys;
  if (const json* k = f.Find("keys")) {
    EF_ASSIGN_OR_RETURN(keys, f.DistinctStrings("keys", *k));
    if (shape->kind != Shape::Kind::kAny) {
      return f.Invalid("keys", "to_tensor with keys takes a map, but " + shape->producer +
                                   " makes the value a " +
                                   (shape->kind == Shape::Kind::kList ? "list" : "tensor"));
    }
    *shape = {Shape::Kind::kTensor, static_cast<int64_t>(keys->size()), {}};
  } else {
    // A list or tensor the chain fixed keeps its length; the feature's own
    // value may be a number (1) or a list (any length).
    *shape = {Shape::Kind::kTensor, shape->kind == Shape::Kind::kAny ? -1 : shape->length, {}};
  }
  return std::unique_ptr<Step>(new ToTensorStep(f.where(), std::move(keys)));
}

// The op registry: one line per op, in the order docs/transforms.md lists them.
struct OpEntry {
  const char* name;
  ParseFn parse;
};
constexpr OpEntry kOps[] = {
    {"bucketize", ParseBucketize}, {"hash", ParseHash},
    {"vocab", ParseVocab},         {"one_hot", ParseOneHot},
    {"multi_hot", ParseMultiHot},  {"min_max", ParseMinMax},
    {"z_score", ParseZScore},      {"log1p", ParseLog1p},
    {"clip", ParseClip},           {"pad", ParsePad},
    {"to_tensor", ParseToTensor},
};

std::string OpNames() {
  std::string out;
  for (const OpEntry& e : kOps) out += (out.empty() ? "" : ", ") + std::string(e.name);
  return out;
}

}  // namespace

Transform::Transform() = default;
Transform::~Transform() = default;

Result<std::unique_ptr<Transform>> Transform::Parse(const json& chain, std::string_view where,
                                                    const ResourceReader& read_resource) {
  const std::string base(where);
  if (!chain.is_array() || chain.empty()) {
    return Status::InvalidArgument(base + ": must be a non-empty array of steps");
  }
  std::unique_ptr<Transform> t(new Transform());
  Shape shape;
  for (size_t i = 0; i < chain.size(); ++i) {
    const std::string at = base + "[" + std::to_string(i) + "]";
    const json& step = chain[i];
    if (!step.is_object())
      return Status::InvalidArgument(at + ": must be an object with an \"op\"");
    const auto op_it = step.find("op");
    if (op_it == step.end()) {
      return Status::InvalidArgument(at + ".op: missing (one of " + OpNames() + ")");
    }
    if (!op_it->is_string()) return Status::InvalidArgument(at + ".op: must be a string");
    const std::string& op = op_it->get_ref<const std::string&>();
    const OpEntry* entry = nullptr;
    for (const OpEntry& e : kOps) {
      if (op == e.name) entry = &e;
    }
    if (!entry) {
      return Status::InvalidArgument(at + ".op: unknown op \"" + op + "\" (one of " + OpNames() +
                                     ")");
    }
    const Shape before = shape;
    EF_ASSIGN_OR_RETURN(std::unique_ptr<Step> parsed,
                        entry->parse(StepFields(step, at, op), read_resource, &shape));
    const bool changed = shape.kind != before.kind || shape.length != before.length;
    shape.producer = changed ? at + " (" + op + ")" : before.producer;
    t->steps_.push_back(std::move(parsed));
  }
  t->output_length_ = shape.kind == Shape::Kind::kTensor ? shape.length : -1;
  return t;
}

Result<FeatureValue> Transform::Apply(const FeatureValue& in) const {
  EF_ASSIGN_OR_RETURN(FeatureValue value, steps_.front()->Apply(in));
  for (size_t i = 1; i < steps_.size(); ++i) {
    EF_ASSIGN_OR_RETURN(value, steps_[i]->Apply(value));
  }
  return value;
}

}  // namespace edgeflow::pipeline
