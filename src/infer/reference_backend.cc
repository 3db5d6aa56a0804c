// ReferenceBackend: each node's registry kernel behind a NodeKernel.
#include "infer/reference_backend.h"

#include <set>

namespace edgeflow::infer {
namespace {

// Elementwise ops whose result does not depend on the layout of their tensor
// inputs, as long as every non-scalar input has the same layout and shape:
// they run NHWC between XNNPACK convolutions instead of forcing transposes.
bool LayoutAgnostic(const std::string& op) {
  static const std::set<std::string> kOps = {
      "Relu", "Sigmoid",     "Tanh",      "Exp",        "Log",  "Sqrt",     "Abs",
      "Neg",  "Floor",       "Ceil",      "Reciprocal", "Erf",  "Softplus", "LeakyRelu",
      "Elu",  "HardSigmoid", "HardSwish", "Clip",       "Cast", "Identity", "Add",
      "Sub",  "Mul",         "Div",       "Pow",        "Max",  "Min",      "Sum"};
  return kOps.count(op) > 0;
}

class ReferenceKernel : public NodeKernel {
 public:
  ReferenceKernel(const Node& node, const KernelInfo& kernel)
      : node_(node),
        kernel_(kernel),
        layout_(LayoutAgnostic(node.op) ? Layout::kAny : Layout::kNchw) {}
  Layout layout() const override { return layout_; }
  Status Run(const KernelInputs& in, std::vector<Tensor>* out) override {
    return kernel_.run(node_, in, out);
  }

 private:
  const Node& node_;  // in the graph, which outlives every prepared subgraph
  const KernelInfo& kernel_;
  const Layout layout_;
};

}  // namespace

bool ReferenceBackend::Supports(const Node& node, const Graph&) const {
  return FindKernel(node.op) != nullptr;
}

Result<std::unique_ptr<PreparedSubgraph>> ReferenceBackend::Prepare(const GraphIndex& index,
                                                                    const Subgraph& subgraph) {
  std::vector<std::unique_ptr<NodeKernel>> kernels;
  for (size_t i : subgraph.nodes) {
    const Node& n = index.graph().nodes[i];
    const KernelInfo* k = FindKernel(n.op);
    if (!k) return Status::Unsupported(n.Describe() + ": operator " + n.op + " is not supported");
    kernels.push_back(std::make_unique<ReferenceKernel>(n, *k));
  }
  return std::unique_ptr<PreparedSubgraph>(
      std::make_unique<NodeSequence>(subgraph.nodes, std::move(kernels), ""));
}

}  // namespace edgeflow::infer
