// XNNPACK backend for the hot ops: Sigmoid, Conv (1-D and 2-D, static weights,
// explicit pads), MaxPool (2-D, explicit pads, floor mode), GlobalAveragePool
// (4-D), Gemm (static B) and MatMul with a static 2-D right operand. Each node is prepared once (weights packed by
// XNNPACK's create step) and then run many times (setup + run), XNNPACK's
// create / setup / run split. Tensors stay NCHW at the graph level; the
// backend converts to and from XNNPACK's NHWC around each convolution. (A
// layout pass that keeps whole runs of nodes NHWC is the next step.)
//
// A node the backend cannot take, or whose preparation fails, runs on the
// reference kernel instead; the interpreter counts those fallbacks.
#ifndef EDGEFLOW_INFER_XNNPACK_BACKEND_H_
#define EDGEFLOW_INFER_XNNPACK_BACKEND_H_

#include <memory>

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

// Layout conversions between [N,C,H,W] and [N,H,W,C] (4-D float32).
Tensor NchwToNhwc(const Tensor& x);
Tensor NhwcToNchw(const Tensor& x);

class XnnBackend {
 public:
  // threads: 1 runs on the calling thread; more use a pthreadpool.
  explicit XnnBackend(int threads);
  ~XnnBackend();
  XnnBackend(const XnnBackend&) = delete;
  XnnBackend& operator=(const XnnBackend&) = delete;

  // False when XNNPACK could not initialise (e.g. an unsupported CPU).
  bool available() const { return available_; }
  // Whether the backend takes this node (op, attributes, static weights).
  bool Supports(const Node& node, const Graph& graph) const;
  // Packs the node's weights. Errors mean: use the reference kernel.
  Result<std::unique_ptr<XnnNode>> Prepare(const Node& node, const Graph& graph);

 private:
  bool available_ = false;
  void* threadpool_ = nullptr;  // pthreadpool_t
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_XNNPACK_BACKEND_H_
