// libFuzzer target: arbitrary bytes as the checkpoint of a fixed pipeline
// (every window type, every aggregate and derived op, two patterns).
// Restore must accept or refuse it without crashing; what it accepts must then
// process the fixed events, read and dump, and survive Save/Restore unchanged.
//
// The spec fingerprint and the CEP checksum are repaired first (as
// script_bytecode_fuzzer repairs its header) so that mutations reach the state
// decoders. The seeds in fuzz/corpus/pipeline_checkpoint_fuzzer are written by
//   EF_PIPELINE_CHECKPOINT_SEEDS=DIR build-fuzz/fuzzers/pipeline_checkpoint_fuzzer -runs=0
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixed_events.h"
#include "pipeline/pipeline.h"

namespace {

using edgeflow::pipeline::Pipeline;
using edgeflow::pipeline::PipelineSpec;

constexpr const char* kManifest = R"json({
  "pipeline": {"allowedLatenessMs": 600000, "dedup": true, "checkpointEveryEvents": 5},
  "features": [
    {"name": "events", "op": "count"},
    {"name": "clicks_hour", "op": "count", "filter": "kind == 'click'", "window": {"type": "tumbling", "size": "1h"}},
    {"name": "price_sum", "op": "sum", "value": "props.get('price')", "keyBy": "user",
     "window": {"type": "sliding", "size": "10m", "slide": "1m"}},
    {"name": "price_avg", "op": "avg", "value": "props.get('price')", "keyBy": "item", "window": "30m", "maxKeys": 2},
    {"name": "price_min", "op": "min", "value": "props.get('price')", "window": 600000},
    {"name": "price_max", "op": "max", "value": "props.get('price')", "keyBy": "user"},
    {"name": "first_page", "op": "first", "value": "pageId", "keyBy": "user", "window": {"type": "session", "gap": "30m"}},
    {"name": "last_item", "op": "last", "value": "itemId", "keyBy": "user"},
    {"name": "distinct_items", "op": "distinct_count", "value": "itemId", "exact": 2, "window": "1d"},
    {"name": "recent", "op": "last_n", "value": "itemId", "n": 3, "keyBy": "user",
     "transform": [{"op": "vocab", "vocabulary": "items.txt"}, {"op": "pad", "length": 4, "side": "left"}]},
    {"name": "top_cat", "op": "top_k", "value": "props.get('category')", "k": 2, "window": {"type": "tumbling", "size": "1d"}},
    {"name": "cat_pref", "op": "count_by", "value": "props.get('category')", "normalize": true, "keyBy": "user",
     "transform": [{"op": "to_tensor", "keys": ["bags", "shoes"]}]},
    {"name": "since_click", "op": "time_since_last", "filter": "kind == 'click'", "keyBy": "user"},
    {"name": "session_span", "op": "span", "keyBy": "user", "window": {"type": "session", "gap": "30m"}},
    {"name": "sessions", "op": "session_count", "keyBy": "user", "window": {"type": "session", "gap": "30m"}},
    {"name": "ctr", "op": "rate", "numerator": "kind == 'click'", "denominator": "kind == 'exposure'",
     "keyBy": "user", "window": {"type": "sliding", "size": "1h", "slide": "10m"}},
    {"name": "clicks_user", "op": "click_count", "keyBy": "user", "window": "all"},
    {"name": "views_user", "op": "pv_count", "keyBy": "user", "window": "all"},
    {"name": "click_ratio", "op": "ratio", "inputs": ["clicks_user", "views_user"], "keyBy": "user",
     "transform": [{"op": "clip", "max": 1}]},
    {"name": "hour", "op": "hour_of_day", "transform": [{"op": "one_hot", "depth": 24}]},
    {"name": "weekday", "op": "context", "field": "weekday"},
    {"name": "pages", "op": "session_pv_count", "keyBy": "session"}
  ],
  "patterns": [
    {"name": "cart_then_order", "keyBy": "user",
     "steps": [{"name": "cart", "where": "clickId is not None and clickId.endswith('_AddCart')", "times": [1, null]},
               {"not": "pageId == 'Home'"},
               {"name": "order", "where": "clickId == 'Pay_Order'"}],
     "withinMs": 600000, "maxPartialsPerKey": 3, "action": {"task": "Coupon"}},
    {"name": "views", "keyBy": "item", "contiguity": "strict",
     "steps": [{"name": "view", "where": "kind == 'pv'", "times": 2}, {"name": "more", "optional": true},
               {"name": "end", "where": "kind != 'exposure'"}],
     "action": {"broadcast": "push", "message": {"t": 1}}}
  ]
})json";

const std::shared_ptr<const PipelineSpec>& Spec() {
  static const std::shared_ptr<const PipelineSpec> spec = [] {
    auto s = edgeflow::pipeline::ParsePipelineSpec(nlohmann::json::parse(kManifest), "fuzz",
                                                   edgeflow::fuzz::ReadFixedResource);
    if (!s.ok()) std::abort();  // the fixed spec above is wrong, not a finding
    return *s;
  }();
  return spec;
}

std::unique_ptr<Pipeline> NewPipeline() {
  auto p = Pipeline::Create(Spec());
  if (!p.ok()) std::abort();
  return std::move(p).value();
}

// Processes the fixed events after the restored last_seq (seq 0, "not
// stored", when there is no room above it).
void ProcessAll(Pipeline& p) {
  std::vector<edgeflow::pipeline::PatternMatch> matches;
  int64_t seq = p.last_seq();
  for (const edgeflow::Event& e : edgeflow::fuzz::FixedEvents()) {
    seq = seq < std::numeric_limits<int64_t>::max() ? seq + 1 : 0;
    p.Process(e, seq, &matches);
  }
}

uint32_t Crc32(std::string_view bytes) {  // zlib's, as src/pipeline/cep.cc
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}

// Layout (pipeline.cc Save): u8 version, str fingerprint, ..., str cep; the
// CEP image (cep.cc) starts with "EFCP" and ends with a CRC-32 of the rest.
void Repair(std::string* b) {
  const std::string& fp = Spec()->fingerprint;
  if (b->size() >= 2 + fp.size() && static_cast<uint8_t>((*b)[1]) == fp.size()) b->replace(2, fp.size(), fp);
  const size_t at = b->rfind("EFCP");
  if (at == std::string::npos || b->size() - at < 9) return;
  const uint32_t crc = Crc32(std::string_view(*b).substr(at, b->size() - at - 4));
  for (int i = 0; i < 4; ++i) (*b)[b->size() - 4 + i] = static_cast<char>(crc >> (8 * i));
  // The length before the image, when its varint keeps its width.
  std::string len;
  for (uint64_t v = b->size() - at; ; v >>= 7) {
    len.push_back(static_cast<char>((v & 0x7f) | (v >= 0x80 ? 0x80 : 0)));
    if (v < 0x80) break;
  }
  if (at >= len.size()) b->replace(at - len.size(), len.size(), len);
}

void WriteSeeds(const std::string& dir) {
  const auto& events = edgeflow::fuzz::FixedEvents();
  for (size_t n : {size_t{0}, size_t{4}, size_t{10}, size_t{16}, events.size()}) {
    auto p = NewPipeline();
    std::vector<edgeflow::pipeline::PatternMatch> matches;
    for (size_t i = 0; i < n; ++i) p->Process(events[i], static_cast<int64_t>(i) + 1, &matches);
    std::string blob;
    p->Save(&blob);
    std::ofstream(dir + "/after_" + std::to_string(n) + "_events.bin", std::ios::binary) << blob;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("EF_PIPELINE_CHECKPOINT_SEEDS")) {
    WriteSeeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string blob(reinterpret_cast<const char*>(data), size);
  Repair(&blob);
  auto p = NewPipeline();
  if (!p->Restore(blob).ok()) {
    if (p->last_seq() != 0 || p->Stats().accepted != 0) std::abort();  // a refused blob leaves it new
    return 0;
  }
  ProcessAll(*p);
  std::string saved;
  p->Save(&saved);
  const std::string dump = p->DumpJson();
  if (!nlohmann::json::accept(dump)) std::abort();
  (void)p->Snapshot("u1");
  (void)p->Get("recent", "u3");
  (void)p->Stats();

  auto again = NewPipeline();
  if (!again->Restore(saved).ok()) std::abort();  // its own checkpoint always restores
  if (again->DumpJson() != dump) std::abort();
  return 0;
}
