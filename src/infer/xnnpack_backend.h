// XNNPACK backend for the hot ops: Sigmoid, Conv (1-D and 2-D, static weights,
// explicit pads), MaxPool (2-D, explicit pads, floor mode), GlobalAveragePool
// (4-D), Gemm (static B) and MatMul with a static 2-D right operand. Each node
// of a subgraph is prepared once (weights packed by XNNPACK's create step)
// and then run many times (setup + run), XNNPACK's create / setup / run
// split. 2-D convolutions and pools run NHWC to NHWC, so a run of them (and
// the elementwise nodes between them) stays in XNNPACK's layout; NodeSequence
// (backend.h) converts only where a node needs NCHW. 3x3 convolutions that
// qualify take the Winograd path (winograd.h); 1x1 convolutions and Gemm/MatMul
// with 64 or more inputs run their product on PackedGemm where the CPU has
// AVX-512F (gemm.h).
//
// A node the backend does not support goes to another backend (partitioner.h);
// a subgraph it fails to prepare or run falls back to the reference kernels
// (interpreter.h), which counts those fallbacks.
#ifndef EDGEFLOW_INFER_XNNPACK_BACKEND_H_
#define EDGEFLOW_INFER_XNNPACK_BACKEND_H_

#include <memory>

#include "infer/backend.h"
#include "infer/graph.h"

namespace edgeflow::infer {

// One prepared node. Not thread-safe: one Run at a time.
class XnnNode {
 public:
  virtual ~XnnNode() = default;
  // Computes the node's output from its inputs (the same contract as a kernel).
  virtual Status Run(const std::vector<const Tensor*>& in, std::vector<Tensor>* out) = 0;
  // Convolutions also run NHWC to NHWC (tensors shaped [N,H,W,C]), which lets
  // the interpreter keep runs of nodes in XNNPACK's layout.
  virtual bool nhwc() const { return false; }
  virtual Status RunNhwc(const Tensor& x, Tensor* y) {
    (void)x;
    (void)y;
    return Status::Unsupported("not an NHWC operator");
  }
};

class XnnBackend : public Backend {
 public:
  // threads: 1 runs on the calling thread; more use a pthreadpool, which
  // every prepared node borrows (so the backend outlives them).
  explicit XnnBackend(int threads);
  ~XnnBackend() override;
  XnnBackend(const XnnBackend&) = delete;
  XnnBackend& operator=(const XnnBackend&) = delete;

  const char* name() const override { return "xnnpack"; }
  // False when XNNPACK could not initialise (e.g. an unsupported CPU); then
  // the backend supports nothing.
  bool available() const { return available_; }
  // Whether the backend takes this node (op, attributes, static weights).
  bool Supports(const Node& node, const Graph& graph) const override;
  // Prepares every node of the subgraph (PrepareNode); the first node that
  // fails fails the whole subgraph, with that node's error.
  Result<std::unique_ptr<PreparedSubgraph>> Prepare(const GraphIndex& index, const Subgraph& subgraph) override;
  // Packs one node's weights.
  Result<std::unique_ptr<XnnNode>> PrepareNode(const Node& node, const Graph& graph);

 private:
  bool available_ = false;
  void* threadpool_ = nullptr;  // pthreadpool_t
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_XNNPACK_BACKEND_H_
