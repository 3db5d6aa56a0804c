// libFuzzer target: the bytecode loader (LoadBytecode) on arbitrary bytes.
// The size and checksum fields are repaired first (see script/bytecode.h) so
// that mutations reach the record reader and the verifier instead of stopping
// at the header; what loads runs under tiny limits and must not crash.
#include <cstring>
#include <string>

#include "script_limits.h"
#include "script/bytecode.h"

namespace {

void RepairHeader(std::string* bytes) {
  if (bytes->size() < 24) return;
  uint64_t size = bytes->size();
  std::memcpy(&(*bytes)[8], &size, 8);
  uint64_t h = 1469598103934665603ull;  // FNV-1a 64 over [24, end)
  for (size_t i = 24; i < bytes->size(); ++i) {
    h ^= static_cast<unsigned char>((*bytes)[i]);
    h *= 1099511628211ull;
  }
  std::memcpy(&(*bytes)[16], &h, 8);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeflow::script;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  RepairHeader(&bytes);
  auto prog = LoadBytecode(bytes, "fuzz.pyc");
  if (!prog.ok()) return 0;
  RunUnderTinyLimits(*prog);
  return 0;
}
