// Graph passes run by the model compiler (and by `model run` on an .onnx
// file) before execution:
//   - RemoveIdentities: Identity and inference-mode Dropout disappear
//   - FuseActivations: Relu, and Clip with constant bounds, folded into the
//     producing Conv, Gemm or Add as attributes activation_min / activation_max
//     (float; edgeflow's own, honoured by the reference and XNNPACK kernels);
//     HardSwish, x * HardSigmoid(x) with HardSwish's constants, and
//     x * Sigmoid(x) folded likewise as the string attribute activation =
//     "HardSwish" / "SiLU" (activation.h); one activation per producer
//   - FuseMatMulBias: MatMul with a constant 2-D B followed by Add of a
//     constant [..., N] bias becomes MatMul(x, B, bias) (edgeflow's own
//     3-input form, honoured by the reference and XNNPACK kernels); Relu /
//     Clip then fuse into it like into Gemm
//   - RemoveDeadNodes: nodes whose outputs nobody reads
//   (fold.cc)
//   - FoldConstants: nodes whose inputs are all weights run once, at compile
//     time, with the reference kernels (Shape/Gather/Concat chains on
//     constants, reshapes of weights, ...); results become weights
//   - FoldBatchNorm: inference BatchNormalization after a Conv folded into
//     its weights and bias
//   - EliminateCommonSubexpressions: a node equal to an earlier one (op,
//     inputs, attributes) is dropped and its readers use the earlier outputs
//   - FuseTargetAttention: DIN-style attention input Concat([a, b, a-b, a*b])
//     times W is rewritten as a*(W1+W3) + b*(W2-W3) + (a*b)*W4, with a and b
//     taken before their Expand broadcasts (4x fewer multiply-adds; requires
//     the Expand not to broadcast the last axis)
//   - RemoveUnusedWeights: initializers nobody reads
// Each returns how many nodes it changed.
#ifndef EDGEFLOW_INFER_PASSES_H_
#define EDGEFLOW_INFER_PASSES_H_

#include "infer/graph.h"

namespace edgeflow::infer {

int RemoveIdentities(Graph* g);
int FuseActivations(Graph* g);
int RemoveDeadNodes(Graph* g);
int FuseMatMulBias(Graph* g);
int FoldConstants(Graph* g);
int FoldBatchNorm(Graph* g);
int EliminateCommonSubexpressions(Graph* g);
int FuseTargetAttention(Graph* g);
int RemoveUnusedWeights(Graph* g);
// All of the above, in order.
void OptimizeGraph(Graph* g);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_PASSES_H_
