// Backends: the interface between the interpreter and what computes nodes
// (XNNPACK, the reference kernels; later a GPU or NPU delegate). The
// partitioner (partitioner.h) cuts a graph into Subgraphs, each for one
// backend; the backend prepares its subgraph once (packs weights, creates
// operators) and the interpreter runs the prepared subgraphs in graph order
// on one RunState per inference: XNNPACK's create / setup / run split, one
// level up.
//
// Also here: GraphIndex (value names numbered once, so the hot path does no
// name lookups) and NodeSequence, the node-at-a-time executor both built-in
// backends use, which keeps tensors NHWC between nodes that take NHWC.
#ifndef EDGEFLOW_INFER_BACKEND_H_
#define EDGEFLOW_INFER_BACKEND_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "edgeflow/task.h"
#include "infer/graph.h"
#include "infer/kernels.h"

namespace edgeflow::infer {

// A run of consecutive nodes of a graph, given to one backend.
struct Subgraph {
  int backend = 0;                   // index into the interpreter's backends (priority order)
  std::vector<size_t> nodes;         // indices into Graph::nodes, ascending (so topological)
  std::vector<std::string> inputs;   // values its nodes read that come from outside it: graph
                                     // inputs or earlier nodes (weights excluded), first use first
  std::vector<std::string> outputs;  // values its nodes write that later nodes or the graph
                                     // outputs read, in the order they are written
};

// The graph with every value name (graph inputs and outputs, node inputs and
// outputs, weights) numbered once, and what every run needs per node: the
// ids of its inputs and outputs and the values that die after it. Immutable.
class GraphIndex {
 public:
  // Borrows `graph`, which must outlive the index.
  explicit GraphIndex(const Graph& graph);

  const Graph& graph() const { return graph_; }
  size_t size() const { return names_.size(); }  // number of value ids
  int Id(const std::string& name) const;         // -1 for "" or a name the graph does not use
  const std::string& Name(int id) const { return names_[static_cast<size_t>(id)]; }
  // The initializer with this id, or null.
  const Tensor* weight(int id) const { return weights_[static_cast<size_t>(id)]; }
  // Per node: value ids, -1 for an omitted ("") input or output.
  const std::vector<int>& inputs(size_t node) const { return inputs_[node]; }
  const std::vector<int>& outputs(size_t node) const { return outputs_[node]; }
  // Values (not weights, not graph outputs) whose last reader is `node`: a
  // run releases them right after it.
  const std::vector<int>& dying_after(size_t node) const { return dying_[node]; }

 private:
  const Graph& graph_;
  std::map<std::string, int> ids_;
  std::vector<std::string> names_;
  std::vector<const Tensor*> weights_;
  std::vector<std::vector<int>> inputs_, outputs_, dying_;
};

// The values of one inference, by id, each with its layout: NCHW (the
// graph's layout) or NHWC ([N,H,W,C], XNNPACK's). The interpreter sets the
// graph inputs; each subgraph reads its inputs here and writes its outputs
// here. Tensors come from the thread's allocator (the memory planner).
class RunState {
 public:
  // Borrows `index` and `cancel` (may be null) for the state's lifetime.
  RunState(const GraphIndex& index, const CancellationToken* cancel);

  const GraphIndex& index() const { return index_; }
  bool cancelled() const { return cancel_ && cancel_->cancelled(); }
  // The computed value (or the weight) with this id; null if neither.
  const Tensor* Get(int id) const {
    size_t i = static_cast<size_t>(id);
    return layout_[i] != kUnset ? &values_[i] : index_.weight(id);
  }
  bool nhwc(int id) const { return layout_[static_cast<size_t>(id)] == kNhwcValue; }
  void Set(int id, Tensor t, bool nhwc);
  void Release(int id);
  // EDGEFLOW_PROFILE=1: milliseconds per "op (backend)", printed after the run;
  // EDGEFLOW_PROFILE=node: per node, as "index op (backend) -> output shape".
  std::map<std::string, double>& profile_ms() { return profile_ms_; }

 private:
  enum : uint8_t { kUnset, kNchwValue, kNhwcValue };
  const GraphIndex& index_;
  const CancellationToken* cancel_;
  std::vector<Tensor> values_;
  std::vector<uint8_t> layout_;
  std::map<std::string, double> profile_ms_;
};

// A subgraph prepared by its backend. Not thread-safe: one Run at a time
// (prepared operators hold scratch); the interpreter serialises runs.
class PreparedSubgraph {
 public:
  virtual ~PreparedSubgraph() = default;
  // Runs the subgraph's nodes from the `first`-th on (0: all of them; more:
  // the rest after another backend failed), reading from and writing to
  // `state`. *done is set to how many of the subgraph's nodes have completed:
  // all on success. On an error the nodes from *done on wrote nothing and
  // every value they read is still in `state`, so that another backend can
  // run them; a backend that runs a subgraph as one unit reports *done =
  // first and releases nothing before it succeeds.
  virtual Status Run(RunState* state, size_t first, size_t* done) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // "xnnpack", "reference": for stats, logs and the CLI's partition summary.
  virtual const char* name() const = 0;
  // Whether the backend can compute this node (op, attributes, static weights).
  virtual bool Supports(const Node& node, const Graph& graph) const = 0;
  // Prepares `subgraph` (all of whose nodes it supports) of index.graph().
  // An error names the node that failed; the interpreter then moves the
  // subgraph's nodes to the next backend that supports them. The interpreter
  // calls a backend from one thread at a time, and destroys every prepared
  // subgraph before the backend.
  virtual Result<std::unique_ptr<PreparedSubgraph>> Prepare(const GraphIndex& index,
                                                            const Subgraph& subgraph) = 0;
};

// How a node wants its tensors laid out.
enum class Layout {
  kNchw,  // the graph's layout: NHWC inputs are converted to NCHW copies first
  kNhwc,  // input 0 as [N,H,W,C] (converted if it is 4-D float32 NCHW); output 0 is NHWC
  kAny,   // elementwise: when every non-scalar input is NHWC with one shape, runs on
          // them as they are and output 0 is NHWC; otherwise as kNchw
};

// Layout conversions between [N,C,H,W] and [N,H,W,C] (4-D float32).
Tensor NchwToNhwc(const Tensor& x);
Tensor NhwcToNchw(const Tensor& x);

// One node as a backend computes it: an XNNPACK operator, a reference kernel.
class NodeKernel {
 public:
  virtual ~NodeKernel() = default;
  virtual Layout layout() const = 0;
  // A kernel's contract (kernels.h), on inputs laid out as layout() says.
  virtual Status Run(const KernelInputs& in, std::vector<Tensor>* out) = 0;
};

// A prepared subgraph that runs its nodes one at a time, each with its own
// NodeKernel: converts layouts as each node asks, releases every value after
// its last reader, polls the cancellation token before each node. It meets
// PreparedSubgraph's contract at node granularity: a node that fails has
// written nothing.
class NodeSequence : public PreparedSubgraph {
 public:
  // kernels[k] computes node nodes[k]. `profile_tag` follows the op in
  // EDGEFLOW_PROFILE lines (e.g. " (xnnpack)").
  NodeSequence(std::vector<size_t> nodes, std::vector<std::unique_ptr<NodeKernel>> kernels,
               std::string profile_tag);
  Status Run(RunState* state, size_t first, size_t* done) override;

 private:
  const std::vector<size_t> nodes_;
  const std::vector<std::unique_ptr<NodeKernel>> kernels_;
  const std::string profile_tag_;
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_BACKEND_H_
