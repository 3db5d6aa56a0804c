// Graph passes run by the model compiler (and by `model run` on an .onnx
// file) before execution:
//   - RemoveIdentities: Identity and inference-mode Dropout disappear
//   - FuseActivations: Relu, and Clip with constant bounds, folded into the
//     producing Conv, Gemm or Add as attributes activation_min / activation_max
//     (float; edgeflow's own, honoured by the reference and XNNPACK kernels)
//   - RemoveDeadNodes: nodes whose outputs nobody reads
// Each returns how many nodes it changed.
#ifndef EDGEFLOW_INFER_PASSES_H_
#define EDGEFLOW_INFER_PASSES_H_

#include "infer/graph.h"

namespace edgeflow::infer {

int RemoveIdentities(Graph* g);
int FuseActivations(Graph* g);
int RemoveDeadNodes(Graph* g);
// All of the above, in order.
void OptimizeGraph(Graph* g);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_PASSES_H_
