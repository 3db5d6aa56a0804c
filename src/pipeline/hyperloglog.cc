// HyperLogLog (Flajolet et al. 2007) with precision 12; see hyperloglog.h.
#include "pipeline/hyperloglog.h"

#include <cmath>

namespace edgeflow::pipeline {

uint64_t HashForSketch(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

void HyperLogLog::Add(uint64_t hash) {
  const uint32_t index = static_cast<uint32_t>(hash >> (64 - kPrecision));
  const uint64_t rest = hash << kPrecision;  // the remaining 52 bits, at the top
  const int rank = rest == 0 ? 64 - kPrecision + 1 : __builtin_clzll(rest) + 1;
  if (rank > reg_[index]) reg_[index] = static_cast<uint8_t>(rank);
}

void HyperLogLog::Merge(const HyperLogLog& other) {
  for (int i = 0; i < kRegisters; ++i) {
    if (other.reg_[i] > reg_[i]) reg_[i] = other.reg_[i];
  }
}

int64_t HyperLogLog::Estimate() const {
  const double m = kRegisters;
  double sum = 0;
  int zeros = 0;
  for (uint8_t r : reg_) {
    sum += std::ldexp(1.0, -r);
    if (r == 0) ++zeros;
  }
  double e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
  if (e <= 2.5 * m && zeros > 0) e = m * std::log(m / zeros);
  return static_cast<int64_t>(std::llround(e));
}

}  // namespace edgeflow::pipeline
