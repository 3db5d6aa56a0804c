// PackedGemm: C = clamp(A * W^T + bias) in float32 with AVX-512, the product
// under every 1x1 convolution and fully connected layer. Its 12x32 register
// tile (24 accumulators, two weight loads and twelve broadcasts per 24
// multiply-adds) runs 10-20% faster than XNNPACK's 7x16 kernel once the
// inner dimension is 64 or more (docs/BENCHMARKS.md); below that the product
// is bound by writing C and XNNPACK's kernel stays. Each output is the bias
// plus the products in k order, fused multiply-adds, as XNNPACK sums them.
//
// Only on x86-64 CPUs with AVX-512F; elsewhere Eligible() is false and
// XNNPACK runs the product (an ARM NEON tile would slot in here).
#ifndef EDGEFLOW_INFER_GEMM_H_
#define EDGEFLOW_INFER_GEMM_H_

#include <pthreadpool.h>

#include <cstdint>
#include <vector>

namespace edgeflow::infer {

// The product under a pointwise convolution or fully connected layer, as the
// XNNPACK backend runs it: PackedGemm (float32) or Int8Gemm (gemm_int8.h).
class GemmKernel {
 public:
  virtual ~GemmKernel() = default;
  // c[rows][n] = clamp(a[rows][k] * w^T + bias), both row-major and dense.
  // `pool` may be null (the calling thread). Thread-safe: Run only reads.
  virtual void Run(const float* a, int64_t rows, float* c, pthreadpool_t pool) const = 0;
};

class PackedGemm : public GemmKernel {
 public:
  // True where this kernel is the faster one: AVX-512F on this CPU, k >= 64,
  // n >= 1, and EDGEFLOW_GEMM is not "0".
  static bool Eligible(int64_t k, int64_t n);

  // w is [n][k] (output-major, as ONNX Gemm's B with transB = 1); bias is [n]
  // or null. Both are copied into 32-column panels.
  PackedGemm(const float* w, const float* bias, int64_t k, int64_t n, float out_min, float out_max);

  void Run(const float* a, int64_t rows, float* c, pthreadpool_t pool) const override;

  int64_t k() const { return k_; }
  int64_t n() const { return n_; }

 private:
  int64_t k_, n_, panels_;
  std::vector<float> w_;     // [panels][k][32], zero past column n
  std::vector<float> bias_;  // [panels][32]
  float lo_, hi_;
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_GEMM_H_
