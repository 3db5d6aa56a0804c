// Test helpers for the inference engine: random tensors and the error
// measures the kernel and backend tests compare outputs with.
#ifndef EDGEFLOW_TESTS_TESTING_INFER_TENSORS_H_
#define EDGEFLOW_TESTS_TESTING_INFER_TENSORS_H_

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "infer/tensor.h"

namespace edgeflow::testing {

// float32 values drawn from N(0, 1).
inline infer::Tensor RandomNormal(std::vector<int64_t> shape, std::mt19937& rng) {
  infer::Tensor t(infer::DType::kFloat32, std::move(shape));
  std::normal_distribution<float> d(0, 1);
  for (int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = d(rng);
  return t;
}

// ||want - got|| / ||want|| over all elements (any dtype, read as double).
inline double RelativeL2(const infer::Tensor& want, const infer::Tensor& got) {
  double num = 0, den = 0;
  for (int64_t i = 0; i < want.size(); ++i) {
    double d = want.AsDouble(i) - got.AsDouble(i);
    num += d * d;
    den += want.AsDouble(i) * want.AsDouble(i);
  }
  return std::sqrt(num / std::max(den, 1e-30));
}

// The largest element error relative to want's largest magnitude.
inline double MaxRelError(const infer::Tensor& want, const infer::Tensor& got) {
  double worst = 0, scale = 1e-6;
  for (int64_t i = 0; i < want.size(); ++i) scale = std::max(scale, std::fabs(want.AsDouble(i)));
  for (int64_t i = 0; i < want.size(); ++i) {
    worst = std::max(worst, std::fabs(want.AsDouble(i) - got.AsDouble(i)) / scale);
  }
  return worst;
}

}  // namespace edgeflow::testing

#endif  // EDGEFLOW_TESTS_TESTING_INFER_TENSORS_H_
