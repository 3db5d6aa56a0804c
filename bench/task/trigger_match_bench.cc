// Google Benchmark micro-benchmarks of the Track() hot path pieces: trigger
// matching and event parsing. Run: build-bench/bench/task/bench_trigger_match
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "edgeflow/event.h"
#include "task/trigger.h"

namespace edgeflow {
namespace {

// 200 triggers over 100 pages, like a device with a handful of bundles.
TriggerRouter* MakeRouter() {
  auto* router = new TriggerRouter;
  nlohmann::json triggers = nlohmann::json::array();
  for (int i = 0; i < 200; ++i) {
    std::string page = "P" + std::to_string(i % 100);
    triggers.push_back({{"taskName", "T" + std::to_string(i)},
                        {"events",
                         {{{"type", "mta"},
                           {"pageId", page},
                           {"needPv", i % 2 == 0},
                           {"clickIds", {page + "_Buy", page + "_Cart"}}}}}});
  }
  auto parsed = ParseEventTriggers(triggers, "bench");
  if (!parsed.ok()) std::abort();
  router->Set("bench", *parsed);
  return router;
}

void BM_TriggerMatchMiss(benchmark::State& state) {
  static TriggerRouter* router = MakeRouter();
  Event e{"mta", "click", "Other", "Other_X", "sku", 1, ""};
  std::vector<std::string> out;
  for (auto _ : state) {
    out.clear();
    router->Match(e, &out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_TriggerMatchMiss);

void BM_TriggerMatchHit(benchmark::State& state) {
  static TriggerRouter* router = MakeRouter();
  Event e{"mta", "click", "P7", "P7_Buy", "sku", 1, ""};
  std::vector<std::string> out;
  for (auto _ : state) {
    out.clear();
    router->Match(e, &out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_TriggerMatchHit);

void BM_ParseEvent(benchmark::State& state) {
  const std::string json =
      R"({"type":"mta","kind":"click","pageId":"JD_Detail","clickId":"JD_Detail_AddCart",)"
      R"("itemId":"sku1","ts":1700000000123,"props":{"price":9.5}})";
  for (auto _ : state) {
    auto e = ParseEvent(json);
    benchmark::DoNotOptimize(e.ok());
  }
}
BENCHMARK(BM_ParseEvent);

}  // namespace
}  // namespace edgeflow

BENCHMARK_MAIN();
