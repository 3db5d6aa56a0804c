// The .efm checksum.
#include "infer/efm_format.h"

#include <cstring>

namespace edgeflow::infer {
namespace {

constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4Full;

uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

uint64_t Mix(uint64_t lane, uint64_t word) { return Rotl(lane ^ (word * kPrime2), 31) * kPrime1; }

}  // namespace

uint64_t EfmChecksum(const uint8_t* data, size_t bytes) {
  uint64_t lane[4] = {kPrime1, kPrime2, ~kPrime1, ~kPrime2};
  size_t i = 0;
  for (; i + 32 <= bytes; i += 32) {
    uint64_t w[4];
    std::memcpy(w, data + i, 32);
    for (int k = 0; k < 4; ++k) lane[k] = Mix(lane[k], w[k]);
  }
  uint64_t h = Rotl(lane[0], 1) + Rotl(lane[1], 7) + Rotl(lane[2], 12) + Rotl(lane[3], 18) + bytes;
  for (; i < bytes; ++i) h = Mix(h, data[i]);
  h ^= h >> 33;
  h *= kPrime2;
  h ^= h >> 29;
  return h;
}

}  // namespace edgeflow::infer
