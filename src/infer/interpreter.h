// Interpreter: runs a Graph node by node with the reference kernels, freeing
// each intermediate value after its last use, and polling a cancellation
// token between nodes. The first, simplest executor; the planned runtime
// (.efm, memory plan, XNNPACK backend) replaces it on the hot path.
#ifndef EDGEFLOW_INFER_INTERPRETER_H_
#define EDGEFLOW_INFER_INTERPRETER_H_

#include <map>
#include <string>

#include "edgeflow/task.h"
#include "infer/graph.h"

namespace edgeflow::infer {

class Interpreter {
 public:
  // Borrows `graph`, which must outlive the interpreter.
  explicit Interpreter(const Graph& graph);

  // Inputs by name; returns the graph outputs by name. Errors name the node.
  Result<std::map<std::string, Tensor>> Run(const std::map<std::string, Tensor>& inputs,
                                            const CancellationToken* cancel = nullptr) const;

 private:
  const Graph& graph_;
  std::map<std::string, size_t> last_use_;  // value -> index of the last node reading it
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_INTERPRETER_H_
