// int8 weight quantization (toolchain, `model compile --quantize int8`).
//
// Weights only: each large float32 weight of a Conv (per output channel),
// Gemm / MatMul (per output column) or embedding Gather (per row) becomes
// int8 with one symmetric float32 scale per channel (scale = max|w| / 127,
// zero point 0) and a DequantizeLinear node. Activations stay float32, so
// accuracy is close to fp32 and no calibration data is needed; the file is
// about 4x smaller. The device dequantizes these weights once, at load
// (Model::Open), and then runs the float kernels.
#ifndef EDGEFLOW_INFER_QUANTIZE_H_
#define EDGEFLOW_INFER_QUANTIZE_H_

#include "infer/graph.h"

namespace edgeflow::infer {

// Returns the number of weights quantized. Weights below `min_elements`
// (biases, small tables) and weights holding NaN or infinity stay float32.
int QuantizeWeightsInt8(Graph* g, int64_t min_elements = 1024);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_QUANTIZE_H_
