// make bench-store: store and runtime figures of the foundation issue, with
// the references measured in the same run. Progress on stderr; the last line
// of stdout is one JSON object.
#include <cstdio>
#include <filesystem>

#include "runtime_figures.h"
#include "store_figures.h"

int main() {
  char tmpl[] = "/tmp/edgeflow-bench-store-XXXXXX";
  if (!mkdtemp(tmpl)) return 1;
  std::string dir = tmpl;
  nlohmann::ordered_json out = edgeflow::bench::MeasureStoreFigures(dir + "/store");
  std::fprintf(stderr, "bench-store: runtime figures (1M Track calls, 20k trigger->callback round trips)\n");
  nlohmann::ordered_json rt = edgeflow::bench::MeasureRuntimeFigures(dir);
  for (auto& [k, v] : rt.items()) out[k] = v;
  std::filesystem::remove_all(dir);
  std::printf("%s\n", out.dump().c_str());
  return out.contains("trigger_to_callback_p99_us") ? 0 : 1;
}
