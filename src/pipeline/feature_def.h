// FeatureDef: one parsed feature definition of a bundle manifest
// (docs/features.md). Library ops are expanded here, expressions compiled,
// windows and transforms parsed, so that the engine only runs definitions
// that are known to be valid.
#ifndef EDGEFLOW_PIPELINE_FEATURE_DEF_H_
#define EDGEFLOW_PIPELINE_FEATURE_DEF_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "edgeflow/status.h"
#include "pipeline/aggregate.h"
#include "pipeline/expr.h"
#include "pipeline/key.h"
#include "pipeline/transform.h"
#include "pipeline/window.h"

namespace edgeflow::pipeline {

struct FeatureDef {
  enum class Kind : uint8_t {
    kAggregate,     // an aggregate over a window
    kSessionCount,  // the number of sessions (a session window)
    kRatio,         // inputs[0] / inputs[1]
    kContext,       // a value of `now` (hour, weekday, now)
    kScript,        // FUNCTION(*inputs) of a bundle script, at read time
  };
  std::string name;
  std::string op;           // as written: an aggregate, a library op or a derived op
  std::string description;
  Kind kind = Kind::kAggregate;
  AggParams agg;
  std::shared_ptr<const Expr> filter;       // null: every event
  std::shared_ptr<const Expr> value;        // value aggregates
  std::shared_ptr<const Expr> numerator;    // rate
  std::shared_ptr<const Expr> denominator;  // rate
  KeySpec key;
  bool keyed = false;                       // keyBy was given
  WindowSpec window;
  int64_t max_keys = 100000;
  std::vector<size_t> inputs;               // ratio, script: indices of earlier features
  std::string script_file;                  // script: FILE of "function": "FILE:FUNCTION"
  std::string script_function;              // script: FUNCTION
  std::string context_field;                // context: "hour", "weekday" or "now"
  std::shared_ptr<const Transform> transform;
  std::string canonical;                    // the expanded definition as JSON (fingerprints)
};

struct PipelineConfig {
  int64_t allowed_lateness_ms = 60000;
  bool dedup = true;
  int64_t checkpoint_every_events = 100000;
};

// Parses a manifest's "pipeline" object (absent: defaults). `where` is its path.
Result<PipelineConfig> ParsePipelineConfig(const nlohmann::json* j, std::string_view where);

// Parses a manifest's "features" array; `where` is its JSON path (e.g.
// "bundle/manifest.json: features"). Errors name the element and field.
Result<std::vector<FeatureDef>> ParseFeatureDefs(const nlohmann::json& features, std::string_view where,
                                                 const Transform::ResourceReader& read_resource);

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_FEATURE_DEF_H_
