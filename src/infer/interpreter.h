// Interpreter: runs a Graph on its backends. At construction the graph is
// partitioned (partitioner.h) over the backends in priority order (any given
// in the options, XNNPACK, the reference kernels) and each subgraph is
// prepared once; a run executes the prepared subgraphs in graph order, with
// every tensor in the memory planner's arena (planner.h), polling a
// cancellation token between nodes.
//
// Fallback: a subgraph whose backend fails to prepare it is re-partitioned
// over the next backends (with XNNPACK and the reference kernels: onto the
// reference kernels); a subgraph run that fails on a backend other than the
// reference is finished on the reference kernels (prepared on first need),
// and the run succeeds. Both are counted in InterpreterStats and, given a
// registry, in the metrics `infer.fallbacks.prepare` and `infer.fallbacks.run`.
#ifndef EDGEFLOW_INFER_INTERPRETER_H_
#define EDGEFLOW_INFER_INTERPRETER_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "edgeflow/task.h"
#include "infer/backend.h"
#include "infer/graph.h"
#include "infer/planner.h"

namespace edgeflow {
class Counter;
class MetricsRegistry;
}  // namespace edgeflow

namespace edgeflow::infer {

struct InterpreterOptions {
  InterpreterOptions() = default;
  // The common pair: Interpreter(graph, {1, false}) is the reference-only oracle.
  InterpreterOptions(int threads_, bool use_xnnpack_) : threads(threads_), use_xnnpack(use_xnnpack_) {}

  int threads = 1;           // XNNPACK's thread pool size (the reference kernels use one)
  bool use_xnnpack = true;   // false: reference kernels only (the oracle)
  // Backends tried before XNNPACK, in priority order: a GPU or NPU delegate,
  // or in tests one that fails on purpose. Shared, so that options copy; the
  // interpreter calls them under its lock (one shared between interpreters
  // must be thread-safe itself).
  std::vector<std::shared_ptr<Backend>> backends;
  // Where fallbacks are also counted; borrowed, must outlive the
  // interpreter. Null: InterpreterStats only.
  MetricsRegistry* metrics = nullptr;
};

// How many subgraphs and nodes one backend took.
struct BackendUse {
  std::string backend;  // Backend::name()
  int subgraphs = 0;
  int nodes = 0;
};

struct InterpreterStats {
  int xnnpack_nodes = 0;      // nodes in XNNPACK subgraphs
  int reference_nodes = 0;    // nodes in reference-kernel subgraphs
  int fallbacks = 0;          // prepare_fallbacks + run_fallbacks
  int prepare_fallbacks = 0;  // subgraphs a backend failed to prepare (re-partitioned)
  int run_fallbacks = 0;      // subgraph runs that failed and were finished on the reference kernels
  std::vector<BackendUse> backends;  // the partition, in priority order
  PlannerStats memory;        // the static memory plan (planned peak bytes, plans made)
};

class Interpreter {
 public:
  // Borrows `graph`, which must outlive the interpreter. Partitions it and
  // prepares every subgraph (packing XNNPACK's weights) once, here.
  explicit Interpreter(const Graph& graph, InterpreterOptions options = {});
  ~Interpreter();

  // Inputs by name; returns the graph outputs by name. Errors name the node.
  // Thread-safe; concurrent calls are serialised (prepared nodes hold scratch).
  Result<std::map<std::string, Tensor>> Run(const std::map<std::string, Tensor>& inputs,
                                            const CancellationToken* cancel = nullptr) const;

  InterpreterStats stats() const;
  // The subgraphs, in run order, after any prepare fallbacks.
  std::vector<Subgraph> subgraphs() const;

 private:
  // One subgraph and what runs it.
  struct Part {
    Subgraph subgraph;
    std::unique_ptr<PreparedSubgraph> prepared;
    std::unique_ptr<PreparedSubgraph> reference;  // the run fallback, prepared on first need
  };

  Result<std::map<std::string, Tensor>> RunPlanned(const std::map<std::string, Tensor>& inputs,
                                                   const CancellationToken* cancel) const;
  Status RunPart(Part* part, RunState* state) const;

  // Constant after construction.
  const Graph& graph_;
  const GraphIndex index_;
  std::vector<std::shared_ptr<Backend>> backends_;  // priority order; the last is the reference backend
  Status prepare_status_;                           // not OK: a node no backend could prepare
  Counter* prepare_fallbacks_ = nullptr;            // in options.metrics, or null
  Counter* run_fallbacks_ = nullptr;

  mutable std::mutex mu_;
  mutable std::vector<Part> parts_;  // guarded by mu_ (prepared subgraphs hold scratch)
  mutable InterpreterStats stats_;   // guarded by mu_
  mutable MemoryPlanner planner_;    // guarded by mu_
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_INTERPRETER_H_
