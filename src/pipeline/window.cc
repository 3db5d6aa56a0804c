// Window states: all-time, pane-based tumbling/sliding, and sessions.
#include "pipeline/window.h"

#include <cmath>
#include <limits>
#include <new>
#include <numeric>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/small_vector.h"

namespace edgeflow::pipeline {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int64_t Saturate(__int128 v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

// Pane bookkeeping shared by PaneWindow and CountPaneWindow. The window at
// `now` ends at (floor(now/slide) + 1) * slide.
int64_t WindowEndAt(int64_t now, int64_t slide) {
  return Saturate((static_cast<__int128>(FloorDiv(now, slide)) + 1) * slide);
}

// Drops the panes (ascending by index, each `pane` ms) that end at or before
// `start`: no window can use them again.
template <typename Panes>
void DropPanesBefore(Panes* panes, int64_t pane, int64_t start) {
  size_t expired = 0;
  while (expired < panes->size() && Saturate(static_cast<__int128>((*panes)[expired].index + 1) * pane) <= start) {
    ++expired;
  }
  panes->erase(0, expired);
}

// All time: one aggregate, kept inline right after the window object (the
// memory WindowStateBytes reserves), so an event touches one block.
class AllWindow final : public WindowState {
 public:
  static constexpr size_t kHead = (sizeof(void*) * 2 + kStateAlign - 1) / kStateAlign * kStateAlign;
  explicit AllWindow(const AggParams& p)
      : agg_(NewAggStateAt(reinterpret_cast<unsigned char*>(this) + kHead, p)) {}
  ~AllWindow() override { agg_->~AggState(); }
  AllWindow(const AllWindow&) = delete;
  AllWindow& operator=(const AllWindow&) = delete;

  void Add(const Value& v, int64_t ts, int64_t seq, uint32_t flags, int64_t) override {
    agg_->Add(v, ts, seq, flags);
  }
  FeatureValue Result(int64_t now) override { return agg_->Result(now); }
  FeatureValue ResultAs(int64_t now, const AggParams& as) override { return agg_->ResultAs(now, as); }
  void ResultInto(int64_t now, const AggParams& as, FeatureValue* out) override { agg_->ResultInto(now, as, out); }
  bool Empty(int64_t) override { return agg_->Empty(); }
  void Save(StateWriter& w) const override { agg_->Save(w); }
  bool Load(StateReader& r) override { return agg_->Load(r); }
  size_t ApproxBytes() const override { return kHead + agg_->ApproxBytes(); }

 private:
  AggState* const agg_;  // at this + kHead
};
static_assert(sizeof(AllWindow) <= AllWindow::kHead);

// Tumbling and sliding windows over panes of gcd(size, slide) ms. The window at
// `now` is [end - size, end) with end = (floor(now/slide) + 1) * slide. A
// cached merge of the panes in the current window is kept up to date by Add
// and rebuilt when `end` moves.
class PaneWindow final : public WindowState {
 public:
  PaneWindow(const WindowSpec& s, const AggParams& p)
      : size_(s.size_ms), slide_(s.slide_ms), pane_(std::gcd(s.size_ms, s.slide_ms)), params_(p) {}

  void Add(const Value& v, int64_t ts, int64_t seq, uint32_t flags, int64_t now) override {
    const int64_t end = EndAt(now), start = Saturate(static_cast<__int128>(end) - size_);
    DropBefore(start);                    // memory follows the window even if it is never read
    if (ts < start || ts >= end) return;  // before the current window: no window can use it
    const int64_t index = FloorDiv(ts, pane_);
    Pane* it = panes_.end();
    while (it != panes_.begin() && (it - 1)->index > index) --it;
    if (it == panes_.begin() || (it - 1)->index != index) {
      it = panes_.insert(it, Pane{index, NewAggState(params_)});
    } else {
      --it;
    }
    it->agg->Add(v, ts, seq, flags);
    // The merged state is rebuilt from the panes on the next read, never
    // patched: a value then depends only on the panes (float sums add in one
    // order whether or not, and when, the feature was read or restored).
    cache_end_ = std::numeric_limits<int64_t>::min();
  }

  FeatureValue Result(int64_t now) override { return Current(now).Result(now); }
  FeatureValue ResultAs(int64_t now, const AggParams& as) override { return Current(now).ResultAs(now, as); }
  void ResultInto(int64_t now, const AggParams& as, FeatureValue* out) override {
    Current(now).ResultInto(now, as, out);
  }
  bool Empty(int64_t now) override { return Current(now).Empty(); }

  void Save(StateWriter& w) const override {
    w.Varint(panes_.size());
    for (const auto& p : panes_) {
      w.I64(p.index);
      p.agg->Save(w);
    }
  }
  bool Load(StateReader& r) override {
    panes_.clear();
    cache_end_ = std::numeric_limits<int64_t>::min();
    uint64_t n = r.Count(2);
    int64_t last = std::numeric_limits<int64_t>::min();
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      Pane p{r.I64(), NewAggState(params_)};
      if (!r.ok() || (i > 0 && p.index <= last) || !p.agg->Load(r)) {
        r.Fail();
        return false;
      }
      last = p.index;
      panes_.push_back(std::move(p));
    }
    return r.ok();
  }
  size_t ApproxBytes() const override {
    size_t b = sizeof(*this) + panes_.heap_bytes() + (cache_ ? cache_->ApproxBytes() : 0);
    for (const auto& p : panes_) b += p.agg->ApproxBytes();
    return b;
  }

 private:
  struct Pane {
    int64_t index;  // covers [index * pane_, (index + 1) * pane_)
    std::unique_ptr<AggState> agg;
  };

  // Drops the panes that end at or before `start`: no window can use them again.
  void DropBefore(int64_t start) { DropPanesBefore(&panes_, pane_, start); }

  int64_t EndAt(int64_t now) const { return WindowEndAt(now, slide_); }

  // The merged state of the window at `now`; drops panes before it. A window
  // of one pane is that pane (a merge into an empty state is a copy), so no
  // cache is kept for it.
  AggState& Current(int64_t now) {
    const int64_t end = EndAt(now), start = Saturate(static_cast<__int128>(end) - size_);
    if (cache_ && cache_end_ == end) return *cache_;
    DropBefore(start);
    if (panes_.size() == 1) {
      cache_.reset();
      return *panes_.front().agg;
    }
    if (!cache_) cache_ = NewAggState(params_);
    cache_->Reset();
    for (const auto& p : panes_) cache_->MergeFrom(*p.agg);
    cache_end_ = end;
    return *cache_;
  }

  const int64_t size_, slide_, pane_;
  const AggParams params_;
  // Ascending by index, only non-empty panes (few: the day and week windows
  // of the library mostly hold one or two).
  SmallVector<Pane, 2> panes_;
  std::unique_ptr<AggState> cache_;
  int64_t cache_end_ = std::numeric_limits<int64_t>::min();
};

// Tumbling and sliding windows of count and rate, the most common features:
// the same panes and window bounds as PaneWindow, but each pane is one or two
// integers inline (no aggregate object per pane, no merge on read). Counts are
// exact, so the sums are the same however they are added. Saves the same
// bytes as PaneWindow over CountState / RateState.
//
// Most keys have only a few non-empty panes in a window: the first
// kInlinePanes sit inside the object (in the key's state block), so an event
// touches no other memory; more spill to the heap (SmallVector).
struct CountPane {
  int64_t index;  // covers [index * pane_, (index + 1) * pane_)
  int64_t a;      // count
};
struct RatePane {
  int64_t index;
  int64_t a, b;  // numerator, denominator
};

template <typename Pane>
class CountPaneWindow final : public WindowState {
 public:
  static constexpr bool kRate = std::is_same_v<Pane, RatePane>;
  static constexpr uint32_t kInlinePanes = kRate ? 2 : 4;

  explicit CountPaneWindow(const WindowSpec& s)
      : pane_(std::gcd(s.size_ms, s.slide_ms)),
        size_panes_(static_cast<uint32_t>(s.size_ms / pane_)),
        slide_panes_(static_cast<uint32_t>(s.slide_ms / pane_)) {}

  void Add(const Value&, int64_t ts, int64_t, uint32_t flags, int64_t now) override {
    const int64_t end = EndAt(now), start = Saturate(static_cast<__int128>(end) - size());
    DropBefore(start);
    if (ts < start || ts >= end) return;
    const int64_t index = FloorDiv(ts, pane_);
    Pane* it = panes_.end();
    while (it != panes_.begin() && (it - 1)->index > index) --it;
    if (it == panes_.begin() || (it - 1)->index != index) {
      Pane p{};
      p.index = index;
      it = panes_.insert(it, std::move(p));
    } else {
      --it;
    }
    if constexpr (!kRate) {
      (void)flags;
      ++it->a;
    } else {
      if (flags & kRateNumerator) ++it->a;
      if (flags & kRateDenominator) ++it->b;
    }
  }

  FeatureValue Result(int64_t now) override {
    FeatureValue f;
    ResultInto(now, AggParams{}, &f);
    return f;
  }
  void ResultInto(int64_t now, const AggParams&, FeatureValue* out) override {
    int64_t a = 0, b = 0;
    Totals(now, &a, &b);
    if (!kRate) return out->SetScalar(Value::Int(a));
    if (b == 0) return out->SetScalar(Value::None());
    out->SetScalar(Value::Float(static_cast<double>(a) / static_cast<double>(b)));
  }
  bool Empty(int64_t now) override {
    int64_t a = 0, b = 0;
    Totals(now, &a, &b);
    return a == 0 && b == 0;
  }

  void Save(StateWriter& w) const override {
    w.Varint(panes_.size());
    for (const Pane& p : panes_) {
      w.I64(p.index);
      w.I64(p.a);
      if constexpr (kRate) w.I64(p.b);
    }
  }
  bool Load(StateReader& r) override {
    panes_.clear();
    uint64_t n = r.Count(2);
    int64_t last = std::numeric_limits<int64_t>::min();
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      Pane p{};
      p.index = r.I64();
      p.a = r.I64();
      if constexpr (kRate) p.b = r.I64();
      if (!r.ok() || (i > 0 && p.index <= last)) {
        r.Fail();
        return false;
      }
      last = p.index;
      panes_.push_back(std::move(p));
    }
    return r.ok();
  }
  size_t ApproxBytes() const override { return sizeof(*this) + panes_.heap_bytes(); }

 private:
  // slide and size are whole numbers of panes (at most 100000 of them, ParseWindowSpec).
  int64_t size() const { return static_cast<int64_t>(size_panes_) * pane_; }
  int64_t EndAt(int64_t now) const { return WindowEndAt(now, static_cast<int64_t>(slide_panes_) * pane_); }
  // Drops the panes that end at or before `start`: no window can use them again.
  void DropBefore(int64_t start) { DropPanesBefore(&panes_, pane_, start); }
  // Sums of the panes in the window at `now`, dropping the panes before it.
  // Counts saturate instead of wrapping (a restored checkpoint may hold anything).
  void Totals(int64_t now, int64_t* a, int64_t* b) {
    DropBefore(Saturate(static_cast<__int128>(EndAt(now)) - size()));
    for (const Pane& p : panes_) {
      if (__builtin_add_overflow(*a, p.a, a)) *a = std::numeric_limits<int64_t>::max();
      if constexpr (kRate) {
        if (__builtin_add_overflow(*b, p.b, b)) *b = std::numeric_limits<int64_t>::max();
      }
    }
  }

  const int64_t pane_;
  const uint32_t size_panes_, slide_panes_;
  SmallVector<Pane, kInlinePanes> panes_;  // ascending by index, only non-empty panes
};

// Session windows: the key's events grouped into sessions (maximal runs with
// gaps of at most gap_ms). Reports the latest session; sessions that no
// accepted event can reach any more are dropped and only counted.
class SessionWindow final : public WindowState {
 public:
  SessionWindow(const WindowSpec& s, const AggParams& p, int64_t lateness)
      : gap_(s.gap_ms), lateness_(lateness), params_(p) {}

  void Add(const Value& v, int64_t ts, int64_t seq, uint32_t flags, int64_t now) override {
    // Sessions that `ts` joins: start - gap <= ts <= end + gap. They are
    // consecutive in the (disjoint, ordered) list.
    size_t first = 0;
    while (first < sessions_.size() && static_cast<__int128>(sessions_[first].end) + gap_ < ts) ++first;
    size_t last = first;
    while (last < sessions_.size() && static_cast<__int128>(sessions_[last].start) - gap_ <= ts) ++last;
    if (first == last) {
      Session s{ts, ts, NewAggState(params_)};
      s.agg->Add(v, ts, seq, flags);
      sessions_.insert(sessions_.begin() + first, std::move(s));
    } else {
      for (size_t i = first + 1; i < last; ++i) {
        sessions_[first].agg->MergeFrom(*sessions_[i].agg);
        sessions_[first].end = std::max(sessions_[first].end, sessions_[i].end);
      }
      sessions_.erase(first + 1, last);  // may move the sessions back inline
      Session& into = sessions_[first];
      into.start = std::min(into.start, ts);
      into.end = std::max(into.end, ts);
      into.agg->Add(v, ts, seq, flags);
    }
    Prune(now);
  }

  FeatureValue Result(int64_t now) override { return ResultAs(now, params_); }
  FeatureValue ResultAs(int64_t now, const AggParams& as) override {
    if (sessions_.empty()) return NewAggState(as)->Result(now);
    return sessions_.back().agg->ResultAs(now, as);
  }
  void ResultInto(int64_t now, const AggParams& as, FeatureValue* out) override {
    if (sessions_.empty()) {
      *out = ResultAs(now, as);
      return;
    }
    sessions_.back().agg->ResultInto(now, as, out);
  }
  bool Empty(int64_t) override { return sessions_.empty(); }
  int64_t SessionCount() const override { return finalized_ + static_cast<int64_t>(sessions_.size()); }

  void Save(StateWriter& w) const override {
    w.I64(finalized_);
    w.Varint(sessions_.size());
    for (const auto& s : sessions_) {
      w.I64(s.start);
      w.I64(s.end);
      s.agg->Save(w);
    }
  }
  bool Load(StateReader& r) override {
    sessions_.clear();
    finalized_ = r.I64();
    uint64_t n = r.Count(3);
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      Session s{r.I64(), r.I64(), NewAggState(params_)};
      bool ordered = s.start <= s.end && (sessions_.empty() || static_cast<__int128>(sessions_.back().end) + gap_ < s.start);
      if (!r.ok() || !ordered || !s.agg->Load(r)) {
        r.Fail();
        return false;
      }
      sessions_.push_back(std::move(s));
    }
    return r.ok() && finalized_ >= 0;
  }
  size_t ApproxBytes() const override {
    size_t b = sizeof(*this) + sessions_.heap_bytes();
    for (const auto& s : sessions_) b += s.agg->ApproxBytes();
    return b;
  }

 private:
  struct Session {
    int64_t start, end;
    std::unique_ptr<AggState> agg;
  };

  // An accepted event has ts >= now - lateness; it can join a session only if
  // ts <= end + gap. Older sessions are final (the latest one is always kept).
  void Prune(int64_t now) {
    const __int128 reach = static_cast<__int128>(now) - lateness_ - gap_;
    size_t drop = 0;
    while (drop + 1 < sessions_.size() && sessions_[drop].end < reach) ++drop;
    if (drop == 0) return;
    finalized_ += static_cast<int64_t>(drop);
    sessions_.erase(0, drop);
  }

  const int64_t gap_, lateness_;
  const AggParams params_;
  SmallVector<Session, 1> sessions_;  // disjoint, ascending (mostly one: the latest)
  int64_t finalized_ = 0;
};

}  // namespace

Result<int64_t> ParseDuration(const nlohmann::json& j, std::string_view where) {
  const std::string at(where);
  if (j.is_number_integer()) {
    int64_t v = j.get<int64_t>();
    if (v <= 0) return Status::InvalidArgument(at + ": a duration must be positive");
    return v;
  }
  if (!j.is_string()) return Status::InvalidArgument(at + ": expected a duration (\"30m\" or milliseconds)");
  const std::string s = j.get<std::string>();
  size_t digits = 0;
  while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
  const std::string unit = s.substr(digits);
  int64_t scale = 0;
  if (unit == "ms") scale = 1;
  else if (unit == "s") scale = 1000;
  else if (unit == "m") scale = 60000;
  else if (unit == "h") scale = 3600000;
  else if (unit == "d") scale = 86400000;
  if (digits == 0 || digits > 12 || scale == 0) {
    return Status::InvalidArgument(at + ": \"" + s + "\" is not a duration (a number and ms, s, m, h or d)");
  }
  int64_t v = 0;
  if (__builtin_mul_overflow(std::stoll(s.substr(0, digits)), scale, &v)) {
    return Status::InvalidArgument(at + ": \"" + s + "\" is too long a duration");
  }
  if (v <= 0) return Status::InvalidArgument(at + ": a duration must be positive");
  return v;
}

Result<WindowSpec> ParseWindowSpec(const nlohmann::json* j, std::string_view where) {
  const std::string at(where);
  WindowSpec w;
  if (!j || (j->is_string() && j->get<std::string>() == "all")) return w;
  if (j->is_string() || j->is_number_integer()) {
    EF_ASSIGN_OR_RETURN(w.size_ms, ParseDuration(*j, where));
    w.type = WindowSpec::Type::kSliding;
    w.slide_ms = std::max<int64_t>(1, w.size_ms / 60);
    return w;
  }
  if (!j->is_object()) return Status::InvalidArgument(at + ": expected \"all\", a duration or an object");
  auto type = j->find("type");
  if (type == j->end() || !type->is_string()) {
    return Status::InvalidArgument(at + ".type: required, one of tumbling, sliding, session");
  }
  const std::string t = type->get<std::string>();
  auto need = [&](const char* field, int64_t* out) -> Status {
    auto it = j->find(field);
    if (it == j->end()) return Status::InvalidArgument(at + "." + field + ": required for a " + t + " window");
    EF_ASSIGN_OR_RETURN(*out, ParseDuration(*it, at + "." + field));
    return Status::OK();
  };
  std::vector<std::string> allowed = {"type"};
  if (t == "tumbling") {
    w.type = WindowSpec::Type::kTumbling;
    EF_RETURN_IF_ERROR(need("size", &w.size_ms));
    w.slide_ms = w.size_ms;
    allowed.push_back("size");
  } else if (t == "sliding") {
    w.type = WindowSpec::Type::kSliding;
    EF_RETURN_IF_ERROR(need("size", &w.size_ms));
    EF_RETURN_IF_ERROR(need("slide", &w.slide_ms));
    if (w.slide_ms > w.size_ms) return Status::InvalidArgument(at + ".slide: must not exceed size");
    if (w.size_ms / std::gcd(w.size_ms, w.slide_ms) > 100000) {
      return Status::InvalidArgument(at + ": size/gcd(size, slide) must be at most 100000 panes");
    }
    allowed.push_back("size");
    allowed.push_back("slide");
  } else if (t == "session") {
    w.type = WindowSpec::Type::kSession;
    EF_RETURN_IF_ERROR(need("gap", &w.gap_ms));
    allowed.push_back("gap");
  } else {
    return Status::InvalidArgument(at + ".type: \"" + t + "\" is not tumbling, sliding or session");
  }
  for (auto it = j->begin(); it != j->end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      return Status::InvalidArgument(at + "." + it.key() + ": unknown field for a " + t + " window");
    }
  }
  return w;
}

size_t WindowStateBytes(const WindowSpec& spec, const AggParams& agg) {
  auto round = [](size_t n) { return (n + kStateAlign - 1) / kStateAlign * kStateAlign; };
  switch (spec.type) {
    case WindowSpec::Type::kAll: return AllWindow::kHead + AggStateBytes(agg);
    case WindowSpec::Type::kTumbling:
    case WindowSpec::Type::kSliding:
      if (agg.op == AggOp::kCount) return round(sizeof(CountPaneWindow<CountPane>));
      if (agg.op == AggOp::kRate) return round(sizeof(CountPaneWindow<RatePane>));
      return round(sizeof(PaneWindow));
    case WindowSpec::Type::kSession: return round(sizeof(SessionWindow));
  }
  return AllWindow::kHead + AggStateBytes(agg);
}

WindowState* NewWindowStateAt(void* mem, const WindowSpec& spec, const AggParams& agg, int64_t lateness_ms) {
  static_assert(alignof(PaneWindow) <= kStateAlign && alignof(CountPaneWindow<RatePane>) <= kStateAlign &&
                alignof(SessionWindow) <= kStateAlign && alignof(AllWindow) <= kStateAlign);
  switch (spec.type) {
    case WindowSpec::Type::kAll: return new (mem) AllWindow(agg);
    case WindowSpec::Type::kTumbling:
    case WindowSpec::Type::kSliding:
      if (agg.op == AggOp::kCount) return new (mem) CountPaneWindow<CountPane>(spec);
      if (agg.op == AggOp::kRate) return new (mem) CountPaneWindow<RatePane>(spec);
      return new (mem) PaneWindow(spec, agg);
    case WindowSpec::Type::kSession: return new (mem) SessionWindow(spec, agg, lateness_ms);
  }
  return new (mem) AllWindow(agg);
}

}  // namespace edgeflow::pipeline
