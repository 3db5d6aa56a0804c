// libFuzzer target: arbitrary bytes as a bundle manifest's JSON. Whatever
// ParsePipelineSpec accepts must build, process the fixed events, read and
// dump without crashing, and its checkpoint must restore into a fresh
// pipeline that dumps the same JSON (docs/features.md, "Checkpoints").
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixed_events.h"
#include "pipeline/pipeline.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeflow::pipeline;
  const nlohmann::json manifest = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object()) return 0;
  auto spec = ParsePipelineSpec(manifest, "fuzz/manifest.json", edgeflow::fuzz::ReadFixedResource);
  if (!spec.ok()) return 0;
  auto pipeline = Pipeline::Create(*spec);
  if (!pipeline.ok()) std::abort();  // a parsed spec always builds
  Pipeline& p = **pipeline;

  std::vector<PatternMatch> matches;
  int64_t seq = 0;
  for (const edgeflow::Event& e : edgeflow::fuzz::FixedEvents()) p.Process(e, ++seq, &matches);
  for (const FeatureDef& f : (*spec)->features) (void)p.Get(f.name, "u1");
  (void)p.Snapshot("");
  (void)p.Stats();

  std::string blob;
  p.Save(&blob);
  const std::string dump = p.DumpJson();
  if (!nlohmann::json::accept(dump)) std::abort();  // --dump-features prints it as JSON

  auto restored = Pipeline::Create(*spec);
  if (!restored.ok() || !(*restored)->Restore(blob).ok()) std::abort();
  if ((*restored)->DumpJson() != dump) std::abort();
  return 0;
}
