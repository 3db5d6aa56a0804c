// libFuzzer: ParseManifest on arbitrary bytes returns a manifest or an error,
// never crashes or hangs.
#include <string_view>

#include "bundle/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto m = edgeflow::ParseManifest(text, "fuzz");
  (void)m;
  return 0;
}
