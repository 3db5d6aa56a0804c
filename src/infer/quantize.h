// int8 weight quantization (toolchain, `model compile --quantize int8`).
//
// Weights only: each large float32 weight of a Conv (per output channel),
// Gemm / MatMul (per output column) or embedding Gather (per row) becomes
// int8 with one symmetric float32 scale per channel (scale = max|w| / 127,
// zero point 0) and a DequantizeLinear node. Activations stay float32, so
// accuracy is close to fp32 and no calibration data is needed; the file is
// about 3-4x smaller. At load (Model::Open) the device keeps the int8 form
// of each such weight (Graph::int8_weights): on a CPU with AVX-512 VNNI the
// products of 1x1 Convs, Gemms and MatMuls with 64 to 16384 inputs run on
// it in integers (Int8Gemm, gemm_int8.h); every other use reads the weight
// dequantized once, at load, by the float kernels.
#ifndef EDGEFLOW_INFER_QUANTIZE_H_
#define EDGEFLOW_INFER_QUANTIZE_H_

#include <map>
#include <set>
#include <string>

#include "infer/graph.h"

namespace edgeflow::infer {

// Returns the number of weights made int8. Weights below `min_elements`
// (biases, small tables), weights holding NaN or infinity and the weights
// named in `keep_float` stay float32; those named in `as_int16` become int16
// the same way (scale = max|w| / 32767, a DequantizeLinear of `NAME::int16`).
int QuantizeWeightsInt8(Graph* g, int64_t min_elements = 1024, const std::set<std::string>* keep_float = nullptr,
                        const std::set<std::string>* as_int16 = nullptr);

// Mixed precision by measured sensitivity (what `model compile --quantize
// int8` does). The float graph runs on `runs` seeded random inputs (float
// inputs N(0, 1); integer inputs uniform over the rows of the table they
// index, else 0; dynamic dimensions 1); then, for each weight that would be
// quantized, the graph runs with only that weight rounded to int8, and the
// relative L2 error of the outputs is its sensitivity. The weights with the
// largest error per element stay wide (int16, or float32 without
// `wide_int16`) while the estimated error of the rest (errors of separate
// weights add roughly in quadrature) is above `target_error` and their
// elements fit in `wide_budget` (8%) of all quantizable elements (a few
// early, small layers carry most of the error in deep models); the rest are
// int8. int16's rounding is 258x finer than int8's (about 1e-5 of the
// weights), so a wide weight adds next to nothing to the error at half a
// float's bytes. Each int8 Conv / Gemm weight's
// node then gets a bias corrected for the mean shift its rounding causes
// (`bias_correction`), which the sensitivity runs include.
struct QuantizeOptions {
  int64_t min_elements = 1024;
  double wide_budget = 0.08;  // 0: every eligible weight is int8
  // Weights stay wide only while the estimated error of the int8 rest is
  // above this (or the budget runs out): a model that is accurate with more
  // of its weights int8 gets the smaller file.
  double target_error = 1e-2;
  int runs = 2;
  uint64_t seed = 1;
  // Given: the sensitivity is measured on this one input set (`runs` is
  // ignored; a graph input it lacks is drawn at random as above). An input
  // the graph does not have is an error.
  std::map<std::string, Tensor> calibration;
  // Each quantized Conv / Gemm weight's rounding shifts its outputs on
  // average by sum_k dw * E[x_k]; subtract that from the node's bias (added if
  // it has none), with the input means from the sensitivity runs. Measured in
  // the sensitivity runs too.
  bool bias_correction = true;
  // The sensitive weights as int16 (true) or float32.
  bool wide_int16 = true;
};
struct QuantizeReport {
  int quantized = 0;                  // weights made int8
  int kept_wide = 0;                  // chosen by sensitivity: int16 (or float32)
  int64_t kept_wide_elements = 0;
  double estimated_error = 0;         // sqrt(sum of the quantized weights' errors^2)
  int bias_corrected = 0;             // quantized weights whose node's bias was corrected
};
Result<QuantizeReport> QuantizeWeightsInt8BySensitivity(Graph* g, const QuantizeOptions& options = {});

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_QUANTIZE_H_
