// Winograd convolution, the fast path XNNPACK lacks for 3x3 stride-1
// convolutions: F(4x4, 3x3) (6x6 input tiles, 36 per-position products, 4x
// fewer multiply-adds than direct convolution) and F(2x2, 3x3) (4x4 tiles, 16
// products, 2.25x fewer). Tile transforms here (vectorized over channels,
// parallel over tiles), the per-position products as XNNPACK fully connected
// operators. Numerically within 1e-5 relative L2 of direct convolution in fp32.
#ifndef EDGEFLOW_INFER_WINOGRAD_H_
#define EDGEFLOW_INFER_WINOGRAD_H_

#include <memory>

#include "infer/xnnpack_backend.h"

namespace edgeflow::infer {

// True for a 2-D Conv with 3x3 kernel, stride 1, dilation 1, one group and
// enough channels for the transforms to pay off (and EDGEFLOW_WINOGRAD != 0).
bool WinogradEligible(const Node& conv, const Tensor& weight);

// What the prepared node runs. kAuto picks per input size, at the first run of
// each size: F(4x4), F(2x2) or XNNPACK's direct convolution, whichever is
// fastest for that size and channel count on this machine (winograd.cc says
// what was measured). The others force one (tests, benchmarks).
enum class WinogradTiles { kAuto, kF2x2, kF4x4, kDirect };

// `conv` carries 2-D attributes (pads [top, left, bottom, right]); w is
// [M, C, 3, 3], b is [M] or null; outputs are clamped to [out_min, out_max].
// `pool` is a pthreadpool_t (or null: the calling thread). The node packs the
// algorithm an input size needs when it first sees that size, so `w` (a graph
// initializer) must outlive the node; the bias is copied.
Result<std::unique_ptr<XnnNode>> PrepareWinograd(const Node& conv, const Tensor& w, const Tensor* b,
                                                 float out_min, float out_max, void* pool,
                                                 WinogradTiles tiles = WinogradTiles::kAuto);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_WINOGRAD_H_
