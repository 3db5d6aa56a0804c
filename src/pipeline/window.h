// Windows: which of a key's events a feature aggregates, as of event time
// `now` (docs/features.md, "Windows"). A WindowState holds one key's state of
// one feature; it keeps only what a current or future window can still use.
#ifndef EDGEFLOW_PIPELINE_WINDOW_H_
#define EDGEFLOW_PIPELINE_WINDOW_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "edgeflow/status.h"
#include "pipeline/aggregate.h"
#include "pipeline/feature_value.h"
#include "pipeline/state_codec.h"

namespace edgeflow::pipeline {

struct WindowSpec {
  enum class Type : uint8_t { kAll, kTumbling, kSliding, kSession };
  Type type = Type::kAll;
  int64_t size_ms = 0;   // tumbling, sliding
  int64_t slide_ms = 0;  // sliding (tumbling: = size)
  int64_t gap_ms = 0;    // session
};

// Parses a duration: a number of milliseconds, or a string "<number><unit>"
// with unit ms, s, m, h or d. Must be positive.
Result<int64_t> ParseDuration(const nlohmann::json& j, std::string_view where);
// Parses a feature's "window" (absent: all).
Result<WindowSpec> ParseWindowSpec(const nlohmann::json* j, std::string_view where);

class WindowState {
 public:
  virtual ~WindowState() = default;
  // Adds an accepted event; `now` already includes it.
  virtual void Add(const Value& value, int64_t ts, int64_t seq, uint32_t flags, int64_t now) = 0;
  // The aggregate over the window at `now`. May drop state no window can use.
  virtual FeatureValue Result(int64_t now) = 0;
  // The same for another op sharing this state (AggState::ResultAs).
  virtual FeatureValue ResultAs(int64_t now, const AggParams& as) {
    (void)as;
    return Result(now);
  }
  // ResultAs written into *out, reusing its buffers (AggState::ResultInto).
  virtual void ResultInto(int64_t now, const AggParams& as, FeatureValue* out) { *out = ResultAs(now, as); }
  // True when the window at `now` holds no event (the key prints nothing).
  virtual bool Empty(int64_t now) = 0;
  // Session windows: the number of sessions so far; others: -1.
  virtual int64_t SessionCount() const { return -1; }
  virtual void Save(StateWriter& w) const = 0;
  virtual bool Load(StateReader& r) = 0;
  virtual size_t ApproxBytes() const = 0;
};

// Window states are built in memory their owner provides (a key's block of
// states, pipeline/key_table.h): WindowStateBytes() bytes aligned to
// kStateAlign. Destroy one with its virtual destructor, then free the memory.
// `lateness_ms` is the pipeline's allowed lateness: session windows keep the
// sessions that an accepted late event could still extend.
size_t WindowStateBytes(const WindowSpec& spec, const AggParams& agg);
WindowState* NewWindowStateAt(void* mem, const WindowSpec& spec, const AggParams& agg, int64_t lateness_ms);

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_WINDOW_H_
