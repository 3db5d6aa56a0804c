// CEP: complex event patterns ("view a detail page, add to cart twice, then go
// home without paying") matched per key by a small NFA, with bounded memory.
// docs/patterns.md is the specification: the definition format, the exact
// evaluation rules (which a brute-force reference reproduces) and the actions.
//
//   auto def = ParsePatternDef(manifest["patterns"][0], "manifest.json: patterns[0]");
//   CepEngine cep;
//   cep.Add(std::move(*def));
//   std::vector<PatternMatch> matches;
//   cep.Process(EventView(event, seq), now_ms, &matches);
#ifndef EDGEFLOW_PIPELINE_CEP_H_
#define EDGEFLOW_PIPELINE_CEP_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "edgeflow/status.h"
#include "pipeline/event_view.h"
#include "pipeline/expr.h"
#include "pipeline/key.h"

namespace edgeflow::pipeline {

// One positive step of a pattern: the state of a run that has matched `count`
// events here. Negation steps of the definition are not states; each is kept
// as a predicate of the positive step before it.
struct PatternStep {
  static constexpr int64_t kUnbounded = -1;

  std::string name;
  std::string where;                      // the predicate's source; "" = every event
  std::shared_ptr<const Expr> predicate;  // null = every event
  int64_t min = 1;                        // events to match here before moving on (0 = optional)
  int64_t max = 1;                        // at most this many here; kUnbounded = no limit
  std::vector<std::string> negation_sources;         // the "not" steps that follow this one
  std::vector<std::shared_ptr<const Expr>> negations;  // compiled, same order
};

// A parsed pattern definition (one object of a manifest's "patterns" array).
// Copyable: the compiled predicates are immutable and shared.
struct PatternDef {
  enum class Contiguity : uint8_t { kRelaxed, kStrict };

  std::string name;
  KeySpec key_by;                  // "keyBy"; default: one key, ""
  std::vector<PatternStep> steps;  // the positive steps, at least one
  Contiguity contiguity = Contiguity::kRelaxed;
  int64_t within_ms = 0;           // 0 = no time limit
  int max_partials_per_key = 16;   // 1..1024

  // The action: exactly one of action_task / action_broadcast is non-empty.
  std::string action_task;
  std::string action_broadcast;
  std::string action_message_json = "null";  // compact JSON of "message" (broadcast only)

  // FNV-1a 64 of the definition's canonical JSON (sorted keys, compact);
  // a checkpoint's runs are kept only for a pattern whose fingerprint is equal.
  uint64_t fingerprint = 0;
};

// Parses one pattern definition. `where` names it in errors, which then name
// the JSON path of the offending field, e.g.
//   "manifest.json: patterns[2].steps[0]: the first step must not be optional or a negation".
// Errors are kInvalidArgument.
Result<PatternDef> ParsePatternDef(const nlohmann::json& j, std::string_view where);

// One completed pattern for one key.
struct PatternMatch {
  std::string pattern;
  std::string key;
  int64_t ts_ms = 0;        // ts of the event that completed the match
  int64_t start_ts_ms = 0;  // ts of the event that started it
  std::vector<int64_t> seqs;  // EventView::seq() of the matched events, in match order
                              // (the last kMaxSeqsPerRun of them)
};

// Runs the patterns over a stream of events. Memory is bounded per (pattern,
// key) by maxPartialsPerKey runs of at most kMaxSeqsPerRun recorded events
// each; a key without runs holds nothing, and runs past withinMs are swept.
//
// Not thread-safe: the caller serialises every call (the pipeline's ingest
// thread owns the engine).
class CepEngine {
 public:
  // A run records the seqs of at most this many events (the most recent ones).
  static constexpr size_t kMaxSeqsPerRun = 32;

  CepEngine();
  ~CepEngine();
  CepEngine(const CepEngine&) = delete;
  CepEngine& operator=(const CepEngine&) = delete;

  // Adds a pattern. A pattern of the same name is replaced in place (it keeps
  // its position in the reporting order) and all its runs are discarded.
  // kInvalidArgument when `def` is not one ParsePatternDef could return.
  Status Add(PatternDef def);

  // Removes the pattern `name` and its runs; kNotFound when there is none.
  Status Remove(const std::string& name);

  // Feeds one accepted event. `now_ms` is the largest ts of all accepted
  // events so far, this one included (expiry is measured against it, not
  // against the event's own ts). Appends the matches this event completes to
  // `out`, in the order the patterns were first added. Sweeps expired runs
  // every so often (amortised O(1) per event).
  void Process(const EventView& e, int64_t now_ms, std::vector<PatternMatch>* out);

  // Drops every run whose start is more than its pattern's withinMs before
  // `now_ms`. Never changes what Process will report; only frees memory.
  void Sweep(int64_t now_ms);

  size_t pattern_count() const;
  // Runs (partial matches) alive now, over all patterns and keys.
  int64_t partial_matches() const;
  // The largest partial_matches() has been since construction.
  int64_t partial_matches_peak() const;
  // Runs dropped because their (pattern, key) already had maxPartialsPerKey.
  int64_t dropped_partials() const;
  // Runs dropped because they outlived withinMs (by Process or by Sweep).
  int64_t expired_partials() const;
  // An estimate of the heap bytes held by runs and their indexes. O(keys).
  size_t ApproxBytes() const;

  // Checkpointing. Save sets `*out` to a versioned, checksummed binary image
  // of every run, by pattern name and key (equal states give equal bytes).
  // Restore replaces all runs with the blob's: runs of patterns that are not
  // defined now are dropped, and a pattern whose definition changed (its
  // fingerprint differs) starts empty. A truncated or corrupt blob is
  // kCorruption and leaves the engine unchanged. Counters are not saved.
  void Save(std::string* out) const;
  Status Restore(std::string_view blob);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_CEP_H_
