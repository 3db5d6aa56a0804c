// Aggregates: the mergeable summaries that features compute over the events of
// a window (docs/features.md, "Aggregates"). One AggState summarises a set of
// events (a pane, a session, a whole window); windows combine states with
// MergeFrom, which is what makes sliding windows incremental.
#ifndef EDGEFLOW_PIPELINE_AGGREGATE_H_
#define EDGEFLOW_PIPELINE_AGGREGATE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "edgeflow/status.h"
#include "pipeline/feature_value.h"
#include "pipeline/state_codec.h"
#include "pipeline/value.h"

namespace edgeflow::pipeline {

enum class AggOp : uint8_t {
  kCount, kSum, kAvg, kMin, kMax, kDistinctCount, kLastN, kTopK, kCountBy,
  kFirst, kLast, kTimeSinceLast, kSpan, kRate,
};

// The op's manifest name ("count", "distinct_count", ...), and back.
std::string_view AggOpName(AggOp op);
std::optional<AggOp> AggOpFromName(std::string_view name);
// True when the op aggregates a `value` (false for count, time_since_last, span, rate).
bool AggOpNeedsValue(AggOp op);

struct AggParams {
  AggOp op = AggOp::kCount;
  int64_t n = 10;          // last_n
  int64_t k = 5;           // top_k
  int64_t exact = 1000;    // distinct_count: exact up to this many values
  bool normalize = false;  // count_by
};

// Flags of one event for a rate: which of the two filters it passed.
inline constexpr uint32_t kRateNumerator = 1;
inline constexpr uint32_t kRateDenominator = 2;

class AggState {
 public:
  virtual ~AggState() = default;
  // Adds one event. `value` is the projected value (None for ops without one;
  // callers skip None for ops that need a value). `flags`: for rate only.
  virtual void Add(const Value& value, int64_t ts, int64_t seq, uint32_t flags) = 0;
  // Adds every event summarised by `other`, a state of the same op and params.
  virtual void MergeFrom(const AggState& other) = 0;
  // Back to the state of no events.
  virtual void Reset() = 0;
  // True when no event was added since construction or Reset().
  virtual bool Empty() const = 0;
  // The feature value as of event time `now`.
  virtual FeatureValue Result(int64_t now) const = 0;
  // The value that op `as` reads from this state, for a state that features
  // of several ops share (AggStateIdentity below): sum gives avg, count_by
  // gives top_k, time_since_last gives span.
  virtual FeatureValue ResultAs(int64_t now, const AggParams& as) const {
    (void)as;
    return Result(now);
  }
  // ResultAs written into *out, reusing its buffers where the state builds a
  // list or a map (a snapshot's values are rewritten in place on every read).
  virtual void ResultInto(int64_t now, const AggParams& as, FeatureValue* out) const { *out = ResultAs(now, as); }
  virtual void Save(StateWriter& w) const = 0;
  // Restores what Save wrote; false (and r.Fail()) on malformed input.
  virtual bool Load(StateReader& r) = 0;
  virtual size_t ApproxBytes() const = 0;
};

std::unique_ptr<AggState> NewAggState(const AggParams& params);
// The same in memory the caller provides: AggStateBytes() bytes aligned to
// kStateAlign (a window keeps its all-time state inline this way). Destroy
// with the virtual destructor.
inline constexpr size_t kStateAlign = 16;
size_t AggStateBytes(const AggParams& params);
AggState* NewAggStateAt(void* mem, const AggParams& params);

// Features whose params have the same identity (and the same key, filter,
// value and window) keep one state between them: "sum" for sum and avg,
// "count_by" for count_by and top_k of any k, "time" for time_since_last and
// span, "distinct_count:EXACT", "last_n:N", else the op's name.
std::string AggStateIdentity(const AggParams& params);

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_AGGREGATE_H_
