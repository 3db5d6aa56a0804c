// Winograd F(2x2, 3x3) convolution, the fast path XNNPACK lacks for 3x3
// stride-1 convolutions: input and output tile transforms here (plain loops
// over channels, parallel over tiles), the 16 per-position products as
// XNNPACK fully connected operators. 2.25x fewer multiply-adds than direct
// convolution; numerically within 1e-5 relative of it in fp32.
#ifndef EDGEFLOW_INFER_WINOGRAD_H_
#define EDGEFLOW_INFER_WINOGRAD_H_

#include <memory>

#include "infer/xnnpack_backend.h"

namespace edgeflow::infer {

// True for a 2-D Conv with 3x3 kernel, stride 1, dilation 1, one group and
// enough channels for the transforms to pay off (and EDGEFLOW_WINOGRAD != 0).
bool WinogradEligible(const Node& conv, const Tensor& weight);

// `conv` carries 2-D attributes (pads [top, left, bottom, right]); w is
// [M, C, 3, 3], b is [M] or null; outputs are clamped to [out_min, out_max].
// `pool` is a pthreadpool_t (or null: the calling thread).
Result<std::unique_ptr<XnnNode>> PrepareWinograd(const Node& conv, const Tensor& w, const Tensor* b, float out_min,
                                                 float out_max, void* pool);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_WINOGRAD_H_
