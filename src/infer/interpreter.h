// Interpreter: runs a Graph node by node with the reference kernels, freeing
// each intermediate value after its last use, and polling a cancellation
// token between nodes. The first, simplest executor; the planned runtime
// (.efm, memory plan, XNNPACK backend) replaces it on the hot path.
#ifndef EDGEFLOW_INFER_INTERPRETER_H_
#define EDGEFLOW_INFER_INTERPRETER_H_

#include <map>
#include <string>

#include <memory>
#include <mutex>
#include <vector>

#include "edgeflow/task.h"
#include "infer/graph.h"
#include "infer/planner.h"
#include "infer/xnnpack_backend.h"

namespace edgeflow::infer {

struct InterpreterOptions {
  int threads = 1;           // XNNPACK's thread pool size (the reference kernels use one)
  bool use_xnnpack = true;   // false: reference kernels only (the oracle)
};

struct InterpreterStats {
  int xnnpack_nodes = 0;     // nodes prepared on XNNPACK
  int reference_nodes = 0;   // nodes on the reference kernels
  int fallbacks = 0;         // XNNPACK preparations or runs that failed and fell back
  PlannerStats memory;       // the static memory plan (planned peak bytes, plans made)
};

class Interpreter {
 public:
  // Borrows `graph`, which must outlive the interpreter. Prepares the nodes
  // the XNNPACK backend takes (packing their weights) once, here.
  explicit Interpreter(const Graph& graph, InterpreterOptions options = {});
  ~Interpreter();

  // Inputs by name; returns the graph outputs by name. Errors name the node.
  // Thread-safe; concurrent calls are serialised (prepared nodes hold scratch).
  Result<std::map<std::string, Tensor>> Run(const std::map<std::string, Tensor>& inputs,
                                            const CancellationToken* cancel = nullptr) const;

  InterpreterStats stats() const;

 private:
  Result<std::map<std::string, Tensor>> RunPlanned(const std::map<std::string, Tensor>& inputs,
                                                   const CancellationToken* cancel) const;

  const Graph& graph_;
  std::map<std::string, size_t> last_use_;  // value -> index of the last node reading it
  std::unique_ptr<XnnBackend> xnn_;
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<XnnNode>> prepared_;  // by node index; null = reference; guarded by mu_
  mutable InterpreterStats stats_;                           // guarded by mu_
  mutable MemoryPlanner planner_;                            // guarded by mu_
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_INTERPRETER_H_
