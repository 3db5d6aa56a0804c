// libFuzzer target: the .efm loader (Model::FromBytes) on arbitrary bytes.
// The checksum is repaired first so that mutations reach the section table,
// the record parser and the graph validation instead of stopping at the sum.
#include <cstring>
#include <string>

#include "infer/efm_format.h"
#include "infer/model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeflow::infer;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() >= kEfmHeaderBytes) {
    uint64_t sum = EfmChecksum(reinterpret_cast<const uint8_t*>(bytes.data()) + kEfmChecksumFrom,
                               bytes.size() - kEfmChecksumFrom);
    std::memcpy(&bytes[16], &sum, 8);
  }
  auto m = Model::FromBytes(bytes, "fuzz");
  (void)m;
  return 0;
}
