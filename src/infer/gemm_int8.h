// Int8Gemm: the product of float32 activations with int8 weights (one float
// scale per output column, zero point 0, as `model compile --quantize int8`
// writes them, quantize.h), computed in integers with AVX-512 VNNI.
//
// Each row of A is quantized on the fly to int16 with its own symmetric
// scale (max|a_row| / L); the weights are widened to int16 pairs at load, and
// vpdpwssd multiplies 16 columns x 2 inner elements per instruction, twice
// PackedGemm's float multiply-adds, from half the bytes of A and W. Then
// c = row_scale * w_scale[n] * acc + bias, clamped. L is the largest integer
// with 128 * L * k < 2^31, so the int32 accumulators cannot overflow: about
// 13.7 bits at k = 1280, an activation rounding of about 4e-5 relative, far
// below the int8 weights' own (~1e-2). Outputs differ from the float kernels
// on the dequantized weights by that rounding only.
//
// Only on x86-64 CPUs with AVX-512F and AVX-512 VNNI, for 64 <= k <= 16384
// (beyond, L falls under 1024); elsewhere Eligible() is false and the
// dequantized float weights run on PackedGemm or XNNPACK.
#ifndef EDGEFLOW_INFER_GEMM_INT8_H_
#define EDGEFLOW_INFER_GEMM_INT8_H_

#include <cstdint>
#include <vector>

#include "infer/gemm.h"

namespace edgeflow::infer {

class Int8Gemm : public GemmKernel {
 public:
  // True on a CPU with AVX-512 VNNI for 64 <= k <= 16384 and n >= 1, unless
  // EDGEFLOW_GEMM or EDGEFLOW_INT8_GEMM is "0".
  static bool Eligible(int64_t k, int64_t n);

  // Weight (o, i), output column o < n and inner index i < k, is
  // w[o * stride_n + i * stride_k]; its value is w * scales[o]. bias is [n]
  // or null.
  Int8Gemm(const int8_t* w, int64_t stride_n, int64_t stride_k, const float* scales, const float* bias, int64_t k,
           int64_t n, float out_min, float out_max);

  void Run(const float* a, int64_t rows, float* c, pthreadpool_t pool) const override;

  int64_t k() const { return k_; }
  int64_t n() const { return n_; }

 private:
  int64_t k_, k2_, n_, panels_;  // k2_: k rounded up to even (pairs)
  int32_t limit_;                // L above
  std::vector<int32_t> w_;       // [panels][k2 / 2][32] int16 pairs, zero past k and n
  std::vector<float> scale_;     // [panels][32]
  std::vector<float> bias_;      // [panels][32]
  float lo_, hi_;
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_GEMM_INT8_H_
