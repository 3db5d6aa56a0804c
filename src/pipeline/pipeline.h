// Pipeline: one bundle's stream processing — its features and patterns over
// the accepted events (docs/features.md). The device runtime owns one per
// installed bundle and feeds it every tracked event in arrival order.
//
//   auto spec = ParsePipelineSpec(manifest_json, "rerank/manifest.json", reader);
//   Pipeline p(*spec);
//   p.Process(event, seq, &matches);    // incremental: O(window bookkeeping)
//   p.Get("clicks_30m", "");            // a feature for one key
//
// Not thread-safe: the runtime serialises calls (a mutex per pipeline).
#ifndef EDGEFLOW_PIPELINE_PIPELINE_H_
#define EDGEFLOW_PIPELINE_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "edgeflow/event.h"
#include "edgeflow/status.h"
#include "pipeline/cep.h"
#include "pipeline/feature_def.h"
#include "pipeline/feature_value.h"

namespace edgeflow::pipeline {

// Everything a manifest says about its pipeline.
struct PipelineSpec {
  PipelineConfig config;
  std::vector<FeatureDef> features;
  std::vector<nlohmann::json> pattern_json;  // as written; parsed again per Pipeline
  // Changes whenever a definition or the config changes: a checkpoint made
  // under another fingerprint is not restored.
  std::string fingerprint;

  bool empty() const { return features.empty() && pattern_json.empty(); }
};

// Reads "pipeline", "features" and "patterns" of a manifest object. `where`
// prefixes errors ("bundle/manifest.json").
Result<std::shared_ptr<const PipelineSpec>> ParsePipelineSpec(const nlohmann::json& manifest,
                                                              std::string_view where,
                                                              const Transform::ResourceReader& read_resource);

struct PipelineStats {
  int64_t accepted = 0;
  int64_t late = 0;
  int64_t duplicates = 0;
  int64_t value_errors = 0;   // value expressions that raised
  int64_t transform_errors = 0;
  int64_t script_errors = 0;  // reads of "script" features whose function failed
  int64_t evicted_keys = 0;
  int64_t keys = 0;           // keys holding state, over every keyBy
  int64_t matches = 0;
  int64_t partial_matches = 0;
  int64_t partial_matches_peak = 0;
  size_t approx_bytes = 0;    // features' and patterns' state
  std::vector<size_t> feature_bytes;  // per feature in definition order (keys and patterns not included)
};

class Pipeline {
 public:
  static Result<std::unique_ptr<Pipeline>> Create(std::shared_ptr<const PipelineSpec> spec);
  ~Pipeline();

  // Processes one event with its store arrival number `seq` (strictly
  // increasing across calls). Returns false when the event was late or a
  // duplicate. Pattern matches are appended to `matches`.
  bool Process(const Event& event, int64_t seq, std::vector<PatternMatch>* matches);

  // A feature's value for `key` (ignored by features without keyBy), with its
  // transform applied. kNotFound for an unknown feature.
  Result<FeatureValue> Get(std::string_view feature, std::string_view key);
  // Every feature for `key`, in definition order (spec().features[i] names
  // value i). SnapshotInto reuses the caller's vector: the way to read all
  // features of a key on a hot path.
  void SnapshotInto(std::string_view key, std::vector<FeatureValue>* out);
  std::vector<std::pair<std::string, FeatureValue>> Snapshot(std::string_view key);
  // {"NAME": value, "KEYED": {"key": value, ...}, ...} as docs/features.md says.
  std::string DumpJson();

  // The arrival number of the last event processed (0 before any).
  int64_t last_seq() const;
  // Event time: the largest ts accepted (INT64_MIN before any).
  int64_t now_ms() const;
  PipelineStats Stats() const;
  const PipelineSpec& spec() const;

  // Computes the "script" features (docs/features.md, "Custom ops"): called
  // with the feature's index in spec().features and its inputs' values, at
  // read time. Without one, those features read as errors. The runtime sets
  // it at install; it is called under the same serialisation as every other
  // method.
  using ScriptOpRunner = std::function<Result<FeatureValue>(size_t feature, const std::vector<FeatureValue>& args)>;
  void SetScriptOpRunner(ScriptOpRunner runner);

  // Checkpoint of the whole state. Restore fails with kFailedPrecondition when
  // the blob was saved under another spec fingerprint, kCorruption when it is
  // malformed; on failure the pipeline is left empty (as new).
  void Save(std::string* out) const;
  Status Restore(std::string_view blob);

 private:
  struct Impl;
  explicit Pipeline(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_PIPELINE_H_
