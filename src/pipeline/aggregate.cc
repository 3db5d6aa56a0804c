// The aggregate states of aggregate.h, one small class per op.
#include "pipeline/aggregate.h"

#include <algorithm>
#include <limits>
#include <map>
#include <new>
#include <type_traits>
#include <array>
#include <unordered_map>
#include <vector>

#include "pipeline/hyperloglog.h"

namespace edgeflow::pipeline {
namespace {

struct OpName {
  AggOp op;
  std::string_view name;
};
constexpr std::array<OpName, 14> kOpNames = {{
    {AggOp::kCount, "count"}, {AggOp::kSum, "sum"}, {AggOp::kAvg, "avg"}, {AggOp::kMin, "min"},
    {AggOp::kMax, "max"}, {AggOp::kDistinctCount, "distinct_count"}, {AggOp::kLastN, "last_n"},
    {AggOp::kTopK, "top_k"}, {AggOp::kCountBy, "count_by"}, {AggOp::kFirst, "first"},
    {AggOp::kLast, "last"}, {AggOp::kTimeSinceLast, "time_since_last"}, {AggOp::kSpan, "span"},
    {AggOp::kRate, "rate"},
}};

// Events are ordered by (ts, arrival seq).
struct Stamp {
  int64_t ts = 0;
  int64_t seq = 0;
  bool operator<(const Stamp& o) const { return ts != o.ts ? ts < o.ts : seq < o.seq; }
};

// Numeric order of two numbers (bool and int compared exactly, else as doubles).
int CompareNumbers(const Value& a, const Value& b) {
  auto as_int = [](const Value& v, int64_t* out) {
    if (v.kind == Value::Kind::kInt) { *out = v.i; return true; }
    if (v.kind == Value::Kind::kBool) { *out = v.b; return true; }
    return false;
  };
  int64_t x, y;
  if (as_int(a, &x) && as_int(b, &y)) return x < y ? -1 : x > y ? 1 : 0;
  double p = a.AsDouble(), q = b.AsDouble();
  return p < q ? -1 : p > q ? 1 : 0;
}

bool IsNumber(const Value& v) { return v.is_number(); }

class CountState final : public AggState {
 public:
  void Add(const Value&, int64_t, int64_t, uint32_t) override { ++n_; }
  void MergeFrom(const AggState& o) override { n_ += static_cast<const CountState&>(o).n_; }
  void Reset() override { n_ = 0; }
  bool Empty() const override { return n_ == 0; }
  FeatureValue Result(int64_t) const override { return FeatureValue::Scalar(Value::Int(n_)); }
  void Save(StateWriter& w) const override { w.I64(n_); }
  bool Load(StateReader& r) override { n_ = r.I64(); return r.ok(); }
  size_t ApproxBytes() const override { return sizeof(*this); }

 private:
  int64_t n_ = 0;
};

class RateState final : public AggState {
 public:
  void Add(const Value&, int64_t, int64_t, uint32_t flags) override {
    if (flags & kRateNumerator) ++num_;
    if (flags & kRateDenominator) ++den_;
  }
  void MergeFrom(const AggState& o) override {
    const auto& r = static_cast<const RateState&>(o);
    num_ += r.num_;
    den_ += r.den_;
  }
  void Reset() override { num_ = den_ = 0; }
  bool Empty() const override { return num_ == 0 && den_ == 0; }
  FeatureValue Result(int64_t) const override {
    if (den_ == 0) return FeatureValue::None();
    return FeatureValue::Scalar(Value::Float(static_cast<double>(num_) / static_cast<double>(den_)));
  }
  void Save(StateWriter& w) const override { w.I64(num_); w.I64(den_); }
  bool Load(StateReader& r) override { num_ = r.I64(); den_ = r.I64(); return r.ok(); }
  size_t ApproxBytes() const override { return sizeof(*this); }

 private:
  int64_t num_ = 0, den_ = 0;
};

// sum and avg: an exact int64 sum while every value is an int and fits, and a
// double sum of everything.
class SumState final : public AggState {
 public:
  explicit SumState(bool avg) : avg_(avg) {}
  void Add(const Value& v, int64_t, int64_t, uint32_t) override {
    if (!IsNumber(v)) return;
    ++count_;
    fsum_ += v.AsDouble();
    if (v.kind == Value::Kind::kFloat) {
      all_int_ = false;
    } else if (all_int_) {
      int64_t x = v.kind == Value::Kind::kBool ? v.b : v.i;
      if (__builtin_add_overflow(isum_, x, &isum_)) all_int_ = false;
    }
  }
  void MergeFrom(const AggState& o) override {
    const auto& s = static_cast<const SumState&>(o);
    count_ += s.count_;
    fsum_ += s.fsum_;
    if (!s.all_int_) all_int_ = false;
    if (all_int_ && __builtin_add_overflow(isum_, s.isum_, &isum_)) all_int_ = false;
  }
  void Reset() override { *this = SumState(avg_); }
  bool Empty() const override { return count_ == 0; }
  FeatureValue Result(int64_t now) const override { return ResultAs(now, AggParams{avg_ ? AggOp::kAvg : AggOp::kSum}); }
  FeatureValue ResultAs(int64_t, const AggParams& as) const override {
    if (as.op == AggOp::kAvg) {
      if (count_ == 0) return FeatureValue::None();
      double total = all_int_ ? static_cast<double>(isum_) : fsum_;
      return FeatureValue::Scalar(Value::Float(total / static_cast<double>(count_)));
    }
    return FeatureValue::Scalar(all_int_ ? Value::Int(isum_) : Value::Float(fsum_));
  }
  void Save(StateWriter& w) const override {
    w.I64(count_); w.I64(isum_); w.F64(fsum_); w.U8(all_int_);
  }
  bool Load(StateReader& r) override {
    count_ = r.I64(); isum_ = r.I64(); fsum_ = r.F64(); all_int_ = r.U8() != 0;
    return r.ok();
  }
  size_t ApproxBytes() const override { return sizeof(*this); }

 private:
  bool avg_;
  int64_t count_ = 0;
  int64_t isum_ = 0;
  double fsum_ = 0;
  bool all_int_ = true;
};

// min, max, first, last: one chosen value and its stamp.
class PickState final : public AggState {
 public:
  explicit PickState(AggOp op) : op_(op) {}
  void Add(const Value& v, int64_t ts, int64_t seq, uint32_t) override { Offer(v, Stamp{ts, seq}); }
  void MergeFrom(const AggState& o) override {
    const auto& p = static_cast<const PickState&>(o);
    if (p.has_) Offer(p.value_, p.stamp_);
  }
  void Reset() override { has_ = false; value_ = Value::None(); }
  bool Empty() const override { return !has_; }
  FeatureValue Result(int64_t) const override {
    return has_ ? FeatureValue::Scalar(value_) : FeatureValue::None();
  }
  void Save(StateWriter& w) const override {
    w.U8(has_);
    if (!has_) return;
    w.I64(stamp_.ts); w.I64(stamp_.seq); w.Val(value_);
  }
  bool Load(StateReader& r) override {
    has_ = r.U8() != 0;
    if (has_) {
      stamp_.ts = r.I64(); stamp_.seq = r.I64(); value_ = r.Val();
    }
    return r.ok();
  }
  size_t ApproxBytes() const override { return sizeof(*this) + value_.s.capacity(); }

 private:
  void Offer(const Value& v, Stamp s) {
    const bool numeric = op_ == AggOp::kMin || op_ == AggOp::kMax;
    if (numeric && !IsNumber(v)) return;
    bool take;
    if (!has_) {
      take = true;
    } else if (op_ == AggOp::kFirst) {
      take = s < stamp_;
    } else if (op_ == AggOp::kLast) {
      take = stamp_ < s;
    } else {
      int c = CompareNumbers(v, value_);
      if (op_ == AggOp::kMax) c = -c;
      take = c < 0 || (c == 0 && s < stamp_);  // ties: the earliest event, as Python's min/max
    }
    if (!take) return;
    has_ = true;
    value_ = v;
    stamp_ = s;
  }

  AggOp op_;
  bool has_ = false;
  Value value_;
  Stamp stamp_;
};

class TimeState final : public AggState {
 public:
  explicit TimeState(AggOp op) : op_(op) {}
  void Add(const Value&, int64_t ts, int64_t, uint32_t) override {
    if (!has_) {
      min_ = max_ = ts;
      has_ = true;
      return;
    }
    min_ = std::min(min_, ts);
    max_ = std::max(max_, ts);
  }
  void MergeFrom(const AggState& o) override {
    const auto& t = static_cast<const TimeState&>(o);
    if (!t.has_) return;
    Add(Value(), t.min_, 0, 0);
    Add(Value(), t.max_, 0, 0);
  }
  void Reset() override { has_ = false; }
  bool Empty() const override { return !has_; }
  FeatureValue Result(int64_t now) const override { return ResultAs(now, AggParams{op_}); }
  FeatureValue ResultAs(int64_t now, const AggParams& as) const override {
    if (!has_) return FeatureValue::None();
    const __int128 d = as.op == AggOp::kSpan ? static_cast<__int128>(max_) - min_ : static_cast<__int128>(now) - max_;
    const __int128 top = std::numeric_limits<int64_t>::max();
    return FeatureValue::Scalar(Value::Int(static_cast<int64_t>(d > top ? top : d < -top ? -top : d)));
  }
  void Save(StateWriter& w) const override {
    w.U8(has_);
    if (has_) { w.I64(min_); w.I64(max_); }
  }
  bool Load(StateReader& r) override {
    has_ = r.U8() != 0;
    if (has_) { min_ = r.I64(); max_ = r.I64(); }
    return r.ok();
  }
  size_t ApproxBytes() const override { return sizeof(*this); }

 private:
  AggOp op_;
  bool has_ = false;
  int64_t min_ = 0, max_ = 0;
};

// distinct_count: an exact set up to `exact` values, then HyperLogLog. The set
// holds the values' 64-bit sketch hashes, not their text (8 bytes a value; two
// distinct values collide with probability about n^2 / 2^65, 3e-14 at 1000),
// in an open-addressing table, so that the switch to the sketch rehashes
// nothing.
class DistinctState final : public AggState {
 public:
  explicit DistinctState(int64_t exact) : exact_(exact) {}
  void Add(const Value& v, int64_t, int64_t, uint32_t) override {
    Insert(v.kind == Value::Kind::kStr ? HashForSketch(v.s) : HashForSketch(ToKeyString(v)));
  }
  void MergeFrom(const AggState& o) override {
    const auto& d = static_cast<const DistinctState&>(o);
    if (d.hll_) {
      ToSketch();
      hll_->Merge(*d.hll_);
      return;
    }
    d.ForEach([this](uint64_t h) { Insert(h); });
  }
  void Reset() override {
    slots_.clear();
    size_ = 0;
    has_zero_ = false;
    hll_.reset();
  }
  bool Empty() const override { return size_ == 0 && !hll_; }
  FeatureValue Result(int64_t) const override {
    return FeatureValue::Scalar(Value::Int(hll_ ? hll_->Estimate() : static_cast<int64_t>(size_)));
  }
  void Save(StateWriter& w) const override {
    w.U8(hll_ ? 1 : 0);
    if (hll_) {
      for (uint8_t b : hll_->registers()) w.U8(b);
      return;
    }
    w.Varint(size_);
    ForEach([&w](uint64_t h) { w.Varint(h); });
  }
  bool Load(StateReader& r) override {
    Reset();
    if (r.U8()) {
      hll_ = std::make_unique<HyperLogLog>();
      for (auto& b : hll_->mutable_registers()) b = r.U8();
      return r.ok();
    }
    uint64_t n = r.Count();
    for (uint64_t i = 0; i < n && r.ok(); ++i) Insert(r.Varint());
    return r.ok();
  }
  size_t ApproxBytes() const override {
    return sizeof(*this) + slots_.capacity() * sizeof(uint64_t) + (hll_ ? sizeof(HyperLogLog) : 0);
  }

 private:
  template <typename F>
  void ForEach(F&& f) const {
    if (has_zero_) f(0);
    for (uint64_t h : slots_) {
      if (h != 0) f(h);
    }
  }
  void Insert(uint64_t h) {
    if (hll_) {
      hll_->Add(h);
      return;
    }
    if (h == 0) {  // 0 marks an empty slot; the one value hashing to 0 is a flag
      size_ += has_zero_ ? 0 : 1;
      has_zero_ = true;
    } else {
      if (2 * (size_ + 1) > slots_.size()) Grow();
      const size_t mask = slots_.size() - 1;
      size_t i = static_cast<size_t>(h) & mask;
      while (slots_[i] != 0 && slots_[i] != h) i = (i + 1) & mask;
      if (slots_[i] == h) return;
      slots_[i] = h;
      ++size_;
    }
    if (static_cast<int64_t>(size_) > exact_) ToSketch();
  }
  void Grow() {
    std::vector<uint64_t> old = std::move(slots_);
    slots_.assign(old.empty() ? 8 : old.size() * 2, 0);
    const size_t mask = slots_.size() - 1;
    for (uint64_t h : old) {
      if (h == 0) continue;
      size_t i = static_cast<size_t>(h) & mask;
      while (slots_[i] != 0) i = (i + 1) & mask;
      slots_[i] = h;
    }
  }
  void ToSketch() {
    if (hll_) return;
    hll_ = std::make_unique<HyperLogLog>();
    ForEach([this](uint64_t h) { hll_->Add(h); });
    slots_ = {};
    size_ = 0;
    has_zero_ = false;
  }

  int64_t exact_;
  std::vector<uint64_t> slots_;  // power-of-two size, at most half full; 0 = empty
  size_t size_ = 0;              // values held, including the zero flag
  bool has_zero_ = false;
  std::unique_ptr<HyperLogLog> hll_;
};

// last_n: the latest n values by stamp, oldest first.
class LastNState final : public AggState {
 public:
  explicit LastNState(int64_t n) : n_(static_cast<size_t>(n)) {}
  void Add(const Value& v, int64_t ts, int64_t seq, uint32_t) override { Insert({Stamp{ts, seq}, v}); }
  void MergeFrom(const AggState& o) override {
    for (const auto& e : static_cast<const LastNState&>(o).items_) Insert(e);
  }
  void Reset() override { items_.clear(); }
  bool Empty() const override { return items_.empty(); }
  FeatureValue Result(int64_t now) const override {
    FeatureValue f;
    ResultInto(now, AggParams{AggOp::kLastN}, &f);
    return f;
  }
  void ResultInto(int64_t, const AggParams&, FeatureValue* out) const override {
    out->ResetAs(FeatureValue::Kind::kList);
    out->list.resize(items_.size());
    for (size_t i = 0; i < items_.size(); ++i) out->list[i] = items_[i].value;  // keeps the strings' buffers
  }
  void Save(StateWriter& w) const override {
    w.Varint(items_.size());
    for (const auto& e : items_) { w.I64(e.stamp.ts); w.I64(e.stamp.seq); w.Val(e.value); }
  }
  bool Load(StateReader& r) override {
    items_.clear();
    uint64_t n = r.Count(3);
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      Item e;
      e.stamp.ts = r.I64();
      e.stamp.seq = r.I64();
      e.value = r.Val();
      Insert(std::move(e));
    }
    return r.ok();
  }
  size_t ApproxBytes() const override {
    size_t b = sizeof(*this) + items_.capacity() * sizeof(Item);
    for (const auto& e : items_) b += e.value.s.capacity();
    return b;
  }

 private:
  struct Item {
    Stamp stamp;
    Value value;
  };
  void Insert(Item e) {
    if (items_.size() == n_ && !(items_.front().stamp < e.stamp)) return;  // older than all kept
    auto pos = std::upper_bound(items_.begin(), items_.end(), e.stamp,
                                [](const Stamp& s, const Item& it) { return s < it.stamp; });
    if (items_.size() == items_.capacity()) {  // grow by doubling, but never past n + 1
      const size_t at = static_cast<size_t>(pos - items_.begin());
      items_.reserve(std::min(n_ + 1, std::max<size_t>(4, 2 * items_.capacity())));
      pos = items_.begin() + static_cast<std::ptrdiff_t>(at);
    }
    items_.insert(pos, std::move(e));
    if (items_.size() > n_) items_.erase(items_.begin());
  }

  size_t n_;
  std::vector<Item> items_;  // ascending by stamp
};

// top_k and count_by: a count per value string.
class CountByState final : public AggState {
 public:
  CountByState(AggOp op, int64_t k, bool normalize) : op_(op), k_(k), normalize_(normalize) {}
  void Add(const Value& v, int64_t, int64_t, uint32_t) override {
    if (v.kind != Value::Kind::kStr) {
      ++counts_[ToKeyString(v)];
      return;
    }
    auto it = counts_.lower_bound(v.s);  // strings are their own key: no copy unless new
    if (it == counts_.end() || it->first != v.s) it = counts_.emplace_hint(it, v.s, 0);
    ++it->second;
  }
  void MergeFrom(const AggState& o) override {
    auto hint = counts_.begin();  // both ordered: one pass
    for (const auto& [key, n] : static_cast<const CountByState&>(o).counts_) {
      auto it = counts_.try_emplace(hint, key, 0);
      it->second += n;
      hint = std::next(it);
    }
  }
  void Reset() override { counts_.clear(); }
  bool Empty() const override { return counts_.empty(); }
  FeatureValue Result(int64_t now) const override {
    AggParams as{op_};
    as.k = k_;
    as.normalize = normalize_;
    return ResultAs(now, as);
  }
  FeatureValue ResultAs(int64_t now, const AggParams& as) const override {
    FeatureValue f;
    ResultInto(now, as, &f);
    return f;
  }
  void ResultInto(int64_t, const AggParams& as, FeatureValue* out) const override {
    if (as.op == AggOp::kTopK) {
      thread_local std::vector<std::pair<int64_t, const std::string*>> ranked;  // scratch, reused
      ranked.clear();
      for (const auto& [key, n] : counts_) ranked.emplace_back(n, &key);
      auto order = [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : *a.second < *b.second; };
      size_t k = std::min(ranked.size(), static_cast<size_t>(as.k));
      std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(k), ranked.end(), order);
      out->ResetAs(FeatureValue::Kind::kList);
      out->list.resize(k);
      for (size_t i = 0; i < k; ++i) {
        Value& v = out->list[i];
        v.kind = Value::Kind::kStr;
        v.b = false;
        v.i = 0;
        v.f = 0;
        v.s.assign(*ranked[i].second);
      }
      return;
    }
    int64_t total = 0;
    for (const auto& e : counts_) total += e.second;
    out->ResetAs(FeatureValue::Kind::kMap);
    out->map.resize(counts_.size());
    size_t i = 0;
    for (const auto& [key, n] : counts_) {  // counts_ is ordered: the map comes out sorted by key
      out->map[i].first.assign(key);
      out->map[i++].second =
          as.normalize ? static_cast<double>(n) / static_cast<double>(total) : static_cast<double>(n);
    }
  }
  void Save(StateWriter& w) const override {
    w.Varint(counts_.size());
    for (const auto& [key, n] : counts_) { w.Str(key); w.I64(n); }
  }
  bool Load(StateReader& r) override {
    counts_.clear();
    uint64_t n = r.Count(2);
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      std::string key = r.Str();
      counts_[key] += r.I64();
    }
    return r.ok();
  }
  size_t ApproxBytes() const override {
    size_t b = sizeof(*this);
    for (const auto& e : counts_) b += e.first.capacity() + 64;
    return b;
  }

 private:
  AggOp op_;
  int64_t k_;
  bool normalize_;
  std::map<std::string, int64_t, std::less<>> counts_;  // ordered: results and checkpoints need no sort
};

}  // namespace

std::string_view AggOpName(AggOp op) {
  for (const auto& e : kOpNames) {
    if (e.op == op) return e.name;
  }
  return "?";
}

std::optional<AggOp> AggOpFromName(std::string_view name) {
  for (const auto& e : kOpNames) {
    if (e.name == name) return e.op;
  }
  return std::nullopt;
}

bool AggOpNeedsValue(AggOp op) {
  return op != AggOp::kCount && op != AggOp::kTimeSinceLast && op != AggOp::kSpan && op != AggOp::kRate;
}

std::string AggStateIdentity(const AggParams& p) {
  switch (p.op) {
    case AggOp::kSum:
    case AggOp::kAvg: return "sum";
    case AggOp::kTopK:
    case AggOp::kCountBy: return "count_by";
    case AggOp::kTimeSinceLast:
    case AggOp::kSpan: return "time";
    case AggOp::kDistinctCount: return "distinct_count:" + std::to_string(p.exact);
    case AggOp::kLastN: return "last_n:" + std::to_string(p.n);
    default: return std::string(AggOpName(p.op));
  }
}

namespace {

// Calls f with a null pointer of the state type for `p` (for its size) or
// builds it: the one switch over ops that both factories below use.
template <typename F>
auto WithAggType(const AggParams& p, F&& f) {
  switch (p.op) {
    case AggOp::kCount: return f(static_cast<CountState*>(nullptr), p);
    case AggOp::kRate: return f(static_cast<RateState*>(nullptr), p);
    case AggOp::kSum:
    case AggOp::kAvg: return f(static_cast<SumState*>(nullptr), p);
    case AggOp::kMin:
    case AggOp::kMax:
    case AggOp::kFirst:
    case AggOp::kLast: return f(static_cast<PickState*>(nullptr), p);
    case AggOp::kTimeSinceLast:
    case AggOp::kSpan: return f(static_cast<TimeState*>(nullptr), p);
    case AggOp::kDistinctCount: return f(static_cast<DistinctState*>(nullptr), p);
    case AggOp::kLastN: return f(static_cast<LastNState*>(nullptr), p);
    case AggOp::kTopK:
    case AggOp::kCountBy: return f(static_cast<CountByState*>(nullptr), p);
  }
  return f(static_cast<CountState*>(nullptr), p);
}

// Each state's constructor from the params.
CountState* Build(void* mem, CountState*, const AggParams&) { return new (mem) CountState(); }
RateState* Build(void* mem, RateState*, const AggParams&) { return new (mem) RateState(); }
SumState* Build(void* mem, SumState*, const AggParams& p) { return new (mem) SumState(p.op == AggOp::kAvg); }
PickState* Build(void* mem, PickState*, const AggParams& p) { return new (mem) PickState(p.op); }
TimeState* Build(void* mem, TimeState*, const AggParams& p) { return new (mem) TimeState(p.op); }
DistinctState* Build(void* mem, DistinctState*, const AggParams& p) { return new (mem) DistinctState(p.exact); }
LastNState* Build(void* mem, LastNState*, const AggParams& p) { return new (mem) LastNState(p.n); }
CountByState* Build(void* mem, CountByState*, const AggParams& p) {
  return new (mem) CountByState(p.op, p.k, p.normalize);
}

}  // namespace

std::unique_ptr<AggState> NewAggState(const AggParams& p) {
  return WithAggType(p, [](auto* type, const AggParams& q) -> std::unique_ptr<AggState> {
    using T = std::remove_pointer_t<decltype(type)>;
    return std::unique_ptr<AggState>(Build(::operator new(sizeof(T)), type, q));
  });
}

size_t AggStateBytes(const AggParams& p) {
  return WithAggType(p, [](auto* type, const AggParams&) {
    using T = std::remove_pointer_t<decltype(type)>;
    static_assert(alignof(T) <= kStateAlign);
    return (sizeof(T) + kStateAlign - 1) / kStateAlign * kStateAlign;
  });
}

AggState* NewAggStateAt(void* mem, const AggParams& p) {
  return WithAggType(p, [mem](auto* type, const AggParams& q) -> AggState* { return Build(mem, type, q); });
}

}  // namespace edgeflow::pipeline
