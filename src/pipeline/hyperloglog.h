// HyperLogLog: the distinct-count sketch that distinct_count switches to beyond
// its exact bound. Precision 12 (4096 one-byte registers, about 1.6% standard
// error). The hash and the estimator are spelled out in docs/features.md so
// that the test reference reproduces them bit for bit.
#ifndef EDGEFLOW_PIPELINE_HYPERLOGLOG_H_
#define EDGEFLOW_PIPELINE_HYPERLOGLOG_H_

#include <array>
#include <cstdint>
#include <string_view>

namespace edgeflow::pipeline {

// FNV-1a 64 of the bytes, then the splitmix64 finaliser.
uint64_t HashForSketch(std::string_view bytes);

class HyperLogLog {
 public:
  static constexpr int kPrecision = 12;
  static constexpr int kRegisters = 1 << kPrecision;

  void Add(uint64_t hash);
  void Merge(const HyperLogLog& other);
  // round(estimate), with the small-range (linear counting) correction.
  int64_t Estimate() const;

  const std::array<uint8_t, kRegisters>& registers() const { return reg_; }
  std::array<uint8_t, kRegisters>& mutable_registers() { return reg_; }

 private:
  std::array<uint8_t, kRegisters> reg_{};
};

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_HYPERLOGLOG_H_
