// libFuzzer: ParseEvent on arbitrary bytes must return a value or an error,
// never crash, and what it accepts must round-trip through EventToJson.
#include <cstdlib>
#include <string_view>

#include "edgeflow/event.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto e = edgeflow::ParseEvent(text);
  if (!e.ok()) return 0;
  auto again = edgeflow::ParseEvent(edgeflow::EventToJson(*e));
  if (!again.ok() || !(*again == *e)) std::abort();
  return 0;
}
