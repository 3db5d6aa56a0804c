// The reference kernels (kernels.h) as a Backend: it supports every op that
// has a kernel, so it takes whatever no faster backend does, and it is where
// a subgraph goes when its own backend fails to prepare or run it. Plain
// loops, one thread: the oracle the other backends are tested against.
#ifndef EDGEFLOW_INFER_REFERENCE_BACKEND_H_
#define EDGEFLOW_INFER_REFERENCE_BACKEND_H_

#include "infer/backend.h"

namespace edgeflow::infer {

class ReferenceBackend : public Backend {
 public:
  const char* name() const override { return "reference"; }
  // True for every op in the kernel registry.
  bool Supports(const Node& node, const Graph& graph) const override;
  // Looks up each node's kernel (no weights are packed). Fails only for an
  // op without a kernel, naming the node.
  Result<std::unique_ptr<PreparedSubgraph>> Prepare(const GraphIndex& index,
                                                    const Subgraph& subgraph) override;
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_REFERENCE_BACKEND_H_
