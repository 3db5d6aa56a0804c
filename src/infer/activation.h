// Fused activations that are not a clamp: what FuseActivations (passes.h)
// folds into a Conv, Gemm, MatMul or Add as the string attribute
// `activation` ("HardSwish" or "SiLU"), applied in place to the producer's
// float32 output after its bias and before it is read. (Relu and Clip fold
// into the clamp attributes activation_min / activation_max instead.)
//
//   HardSwish(x) = x * max(0, min(1, x / 6 + 1/2))     ONNX HardSwish
//   SiLU(x)      = x * sigmoid(x) = x / (1 + e^-x)     ONNX Sigmoid then Mul
//
// On CPUs with AVX-512F, SiLU's exponential is a degree-6 polynomial after
// range reduction (relative error about 2e-7); elsewhere std::exp.
#ifndef EDGEFLOW_INFER_ACTIVATION_H_
#define EDGEFLOW_INFER_ACTIVATION_H_

#include <pthreadpool.h>

#include <cstdint>
#include <string>

#include "infer/graph.h"

namespace edgeflow::infer {

enum class Activation { kNone, kHardSwish, kSiLU };

// The node's `activation` attribute; kNone when absent. An unknown name is
// refused by CheckActivation.
Activation ActivationOf(const Node& n);
// OK when the node has no `activation` attribute or a known one.
Status CheckActivation(const Node& n);
const char* ActivationName(Activation a);

// x[0, count) = a(x), in place; split over `pool`'s threads (null: this one).
void ApplyActivation(Activation a, float* x, int64_t count, pthreadpool_t pool = nullptr);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_ACTIVATION_H_
