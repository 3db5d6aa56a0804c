// make bench-pipeline: the on-device pipeline's figures (issue: 50 feature
// definitions and 20 patterns active, persistence on, 10M events over 100k
// keys). The reference measured in the same run is the same Track() stream
// through a runtime whose bundle defines no features (store only). Progress on
// stderr; the last line of stdout is one JSON object.
//
// Environment: BENCH_EVENTS (default 10M), BENCH_KEYS (default 100k);
// BENCH_PIPELINE_ONLY=1 stops after the pipeline alone, BENCH_STORE_ONLY=1
// runs only the store-only reference (BENCH_EVENTS/5 events), for profilers.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "edgeflow/runtime.h"
#include "pipeline/pipeline.h"

namespace edgeflow::bench {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

int64_t EnvInt(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : fallback;
}

int64_t RssBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atoll(line.c_str() + 6) * 1024;
  }
  return 0;
}

// 50 feature definitions: library ops per user (the app's users on a shared
// edge box, or sessions), a few per item, category and page, and derived ones.
json Features() {
  json f = json::array();
  const char* per_user[] = {
      "pv_count", "click_count", "exposure_count", "cart_count", "favorite_count", "order_count",
      "search_count", "event_count", "recent_items", "recent_clicked_items", "recent_categories",
      "recent_pages", "last_item", "last_page", "time_since_last_event", "time_since_last_click",
      "time_since_last_cart", "time_since_last_order", "distinct_items_viewed", "distinct_categories_viewed",
      "avg_price_viewed", "min_price_viewed", "max_price_viewed", "order_amount_sum", "top_categories",
      "exposure_click_rate", "view_cart_rate", "category_preference", "brand_preference",
      "session_count", "session_length", "session_event_count", "session_pv_count",
      "recent_cart_items", "recent_queries", "distinct_pages_viewed", "top_items", "click_order_rate",
      "category_counts"};
  for (const char* op : per_user) f.push_back({{"name", std::string("u_") + op}, {"op", op}, {"keyBy", "user"}});
  f.push_back({{"name", "clicks_1h"}, {"op", "click_count"}, {"keyBy", "user"}, {"window", "1h"}});
  f.push_back({{"name", "views_1h"}, {"op", "pv_count"}, {"keyBy", "user"}, {"window", "1h"}});
  f.push_back({{"name", "click_per_view_1h"}, {"op", "ratio"}, {"keyBy", "user"}, {"inputs", {"clicks_1h", "views_1h"}}});
  f.push_back({{"name", "clicks_tumbling_10m"}, {"op", "count"}, {"filter", "kind == 'click'"}, {"keyBy", "user"},
               {"window", {{"type", "tumbling"}, {"size", "10m"}}}});
  f.push_back({{"name", "item_views"}, {"op", "item_view_count"}});
  f.push_back({{"name", "category_views"}, {"op", "category_view_count"}});
  f.push_back({{"name", "page_views"}, {"op", "page_view_count"}});
  f.push_back({{"name", "dwell_by_page"}, {"op", "dwell_time_avg"}});
  f.push_back({{"name", "hour"}, {"op", "hour_of_day"}});
  f.push_back({{"name", "weekday"}, {"op", "day_of_week"}});
  f.push_back({{"name", "recent_items_input"}, {"op", "recent_items"}, {"keyBy", "user"}, {"n", 10},
               {"transform", {{{"op", "hash"}, {"buckets", 100000}}, {{"op", "pad"}, {"length", 10}}}}});
  return f;
}

// 20 patterns per user: view → add-to-cart → no order, repeated views,
// search → click, and so on, over different pages.
json Patterns() {
  json p = json::array();
  for (int i = 0; i < 20; ++i) {
    const std::string page = "P" + std::to_string(i % 20);
    json steps;
    switch (i % 4) {
      case 0:
        steps = {{{"name", "view"}, {"where", "kind == 'pv' and pageId == '" + page + "'"}},
                 {{"name", "cart"}, {"where", "clickId == '" + page + "_AddCart'"}},
                 {{"not", "clickId is not None and clickId.endswith('_Order')"}},
                 {{"name", "leave"}, {"where", "kind == 'pv' and pageId == 'P0'"}}};
        break;
      case 1:
        steps = {{{"name", "views"}, {"where", "kind == 'pv' and pageId == '" + page + "'"}, {"times", {3, nullptr}}},
                 {{"name", "fav"}, {"where", "clickId == '" + page + "_Favorite'"}}};
        break;
      case 2:
        steps = {{{"name", "search"}, {"where", "clickId == '" + page + "_Search'"}},
                 {{"name", "expose"}, {"where", "kind == 'exposure'"}, {"optional", true}},
                 {{"name", "click"}, {"where", "kind == 'click' and props.get('price', 0) > 50"}}};
        break;
      default:
        steps = {{{"name", "cart"}, {"where", "clickId == '" + page + "_AddCart'"}},
                 {{"name", "order"}, {"where", "clickId == '" + page + "_Order'"}}};
        break;
    }
    p.push_back({{"name", "pat" + std::to_string(i)}, {"keyBy", "user"}, {"steps", steps},
                 {"withinMs", 600000}, {"action", {{"broadcast", "reach.p" + std::to_string(i)}}}});
  }
  return p;
}

void WriteBundle(const std::string& dir, bool with_pipeline) {
  std::filesystem::create_directories(dir);
  json m = {{"name", "bench"}, {"version", "1.0.0"},
            {"tasks", {{{"name", "Noop"}, {"kind", "native:echo"}}}}};
  if (with_pipeline) {
    m["features"] = Features();
    m["patterns"] = Patterns();
    m["pipeline"] = {{"allowedLatenessMs", 60000}, {"checkpointEveryEvents", 1000000}};
  }
  std::ofstream(dir + "/manifest.json") << m.dump(1);
}

// A pool of events: users uniform over `users`, items and categories skewed,
// ts increasing about 1 ms per event with 2% out of order (within a minute).
std::vector<Event> MakeEvents(size_t n, int users, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Event> out(n);
  int64_t ts = 1'700'000'000'000;
  std::geometric_distribution<int> item_d(0.0005), cat_d(0.05);
  const char* clicks[] = {"_AddCart", "_Favorite", "_Order", "_Search", "_Share", "_Detail"};
  for (size_t i = 0; i < n; ++i) {
    Event& e = out[i];
    ts += static_cast<int64_t>(rng() % 3);
    e.type = "mta";
    const int page = static_cast<int>(rng() % 20);
    e.page_id = "P" + std::to_string(page);
    int r = static_cast<int>(rng() % 100);
    e.kind = r < 40 ? "pv" : r < 75 ? "exposure" : r < 95 ? "click" : "custom";
    if (e.kind == "click") e.click_id = e.page_id + clicks[rng() % 6];
    e.item_id = "i" + std::to_string(item_d(rng) % 50000);
    e.ts_ms = (rng() % 50 == 0) ? ts - static_cast<int64_t>(rng() % 30000) : ts;
    char props[200];
    std::snprintf(props, sizeof props,
                  R"({"userId":"u%d","price":%d.%d,"category":"c%d","brand":"b%d","dwellMs":%d,"amount":%d})",
                  static_cast<int>(rng() % users), static_cast<int>(rng() % 200), static_cast<int>(rng() % 10),
                  cat_d(rng) % 200, static_cast<int>(rng() % 50), static_cast<int>(rng() % 60000),
                  static_cast<int>(rng() % 500));
    e.props = props;
  }
  return out;
}

struct TrackFigures {
  double events_per_s = 0;
  json metrics;
  std::vector<json> state_at;  // pipeline stats at checkpoints of the stream
};

// Tracks `total` events (the pool repeated, shifted in time) through a fresh
// runtime with the bundle installed.
TrackFigures TrackStream(const std::string& dir, bool with_pipeline, const std::vector<Event>& pool,
                         int64_t total) {
  std::filesystem::remove_all(dir);
  WriteBundle(dir + "/bundle", with_pipeline);
  RuntimeOptions o;
  o.data_dir = dir + "/data";
  auto rt = Runtime::Open(o);
  if (!rt.ok()) {
    std::fprintf(stderr, "bench-pipeline: %s\n", rt.status().ToString().c_str());
    std::exit(1);
  }
  if (Status s = (*rt)->InstallBundle(dir + "/bundle"); !s.ok()) {
    std::fprintf(stderr, "bench-pipeline: %s\n", s.ToString().c_str());
    std::exit(1);
  }
  TrackFigures f;
  const int64_t span = pool.back().ts_ms - pool.front().ts_ms + 1000;
  Event e;
  auto start = Clock::now();
  for (int64_t i = 0; i < total; ++i) {
    const size_t k = static_cast<size_t>(i) % pool.size();
    e = pool[k];
    e.ts_ms += static_cast<int64_t>(static_cast<size_t>(i) / pool.size()) * span;
    if (Status s = (*rt)->Track(e); !s.ok()) {
      std::fprintf(stderr, "bench-pipeline: Track: %s\n", s.ToString().c_str());
      std::exit(1);
    }
    if (with_pipeline && (i + 1) % (total / 4) == 0) {
      json m = json::parse((*rt)->MetricsJson());
      json p = m["pipelines"]["bench"];
      p["events"] = i + 1;
      p["rss_bytes"] = RssBytes();
      f.state_at.push_back(p);
      std::fprintf(stderr, "bench-pipeline: %lld events, %.0f events/s, state %lld bytes, %lld keys\n",
                   static_cast<long long>(i + 1), static_cast<double>(i + 1) / Seconds(Clock::now() - start),
                   static_cast<long long>(p["state_bytes"].get<int64_t>()),
                   static_cast<long long>(p["keys"].get<int64_t>()));
    }
  }
  Status flushed = (*rt)->Flush();  // persistence on: every event on disk before the clock stops
  f.events_per_s = static_cast<double>(total) / Seconds(Clock::now() - start);
  if (!flushed.ok()) std::fprintf(stderr, "bench-pipeline: Flush: %s\n", flushed.ToString().c_str());
  f.metrics = json::parse((*rt)->MetricsJson());
  (*rt)->Close();
  return f;
}

}  // namespace
}  // namespace edgeflow::bench

int main() {
  using namespace edgeflow;
  using namespace edgeflow::bench;
  const int64_t total = EnvInt("BENCH_EVENTS", 10'000'000);
  const int users = static_cast<int>(EnvInt("BENCH_KEYS", 100'000));
  char tmpl[] = "/tmp/edgeflow-bench-pipeline-XXXXXX";
  if (!mkdtemp(tmpl)) return 1;
  const std::string dir = tmpl;

  std::fprintf(stderr, "bench-pipeline: generating events\n");
  std::vector<Event> pool = MakeEvents(static_cast<size_t>(std::min<int64_t>(total, 1'000'000)), users, 42);

  if (EnvInt("BENCH_STORE_ONLY", 0)) {
    TrackFigures ref = TrackStream(dir + "/ref", false, pool, total / 5);
    std::filesystem::remove_all(dir);
    std::printf("{\"store_only_events_per_s\":%lld}\n", static_cast<long long>(ref.events_per_s));
    return 0;
  }

  // The pipeline alone, on one thread: events/s and the snapshot read.
  json manifest = {{"features", Features()}, {"patterns", Patterns()}};
  auto spec = pipeline::ParsePipelineSpec(manifest, "bench", nullptr);
  if (!spec.ok()) {
    std::fprintf(stderr, "bench-pipeline: %s\n", spec.status().ToString().c_str());
    return 1;
  }
  auto p = pipeline::Pipeline::Create(*spec);
  if (!p.ok()) return 1;
  std::vector<pipeline::PatternMatch> matches;
  auto t0 = Clock::now();
  for (size_t i = 0; i < pool.size(); ++i) {
    matches.clear();
    (*p)->Process(pool[i], static_cast<int64_t>(i) + 1, &matches);
  }
  const double pipeline_only = static_cast<double>(pool.size()) / Seconds(Clock::now() - t0);
  std::mt19937 rng(7);
  std::vector<double> snaps;
  std::vector<pipeline::FeatureValue> values;  // a task's reader reuses its buffer
  for (int round = 0; round < 21; ++round) {
    const int reads = 2000;
    auto s0 = Clock::now();
    size_t sink = 0;
    for (int i = 0; i < reads; ++i) {
      (*p)->SnapshotInto("u" + std::to_string(rng() % static_cast<unsigned>(users)), &values);
      sink += values.size();
    }
    snaps.push_back(Seconds(Clock::now() - s0) * 1e6 / reads);
    if (sink == 0) return 1;
  }
  std::sort(snaps.begin(), snaps.end());
  std::fprintf(stderr, "bench-pipeline: pipeline alone %.0f events/s, snapshot of %zu features %.2f us\n",
               pipeline_only, (*spec)->features.size(), snaps[snaps.size() / 2]);

  {
    const pipeline::PipelineStats st = (*p)->Stats();
    std::fprintf(stderr, "bench-pipeline: state after %zu events: %zu bytes over %lld keys; largest features:",
                 pool.size(), st.approx_bytes, static_cast<long long>(st.keys));
    std::vector<std::pair<size_t, std::string>> by_size;
    for (size_t i = 0; i < st.feature_bytes.size(); ++i) by_size.emplace_back(st.feature_bytes[i], (*spec)->features[i].name);
    std::sort(by_size.rbegin(), by_size.rend());
    for (size_t i = 0; i < std::min<size_t>(12, by_size.size()); ++i) {
      std::fprintf(stderr, " %s %zu", by_size[i].second.c_str(), by_size[i].first);
    }
    std::fprintf(stderr, "\n");
  }
  if (EnvInt("BENCH_PIPELINE_ONLY", 0)) return 0;  // for profilers: the pipeline part alone
  // Its state (about a GB at 1M events) must not count in the runs' RSS nor
  // compete with them for memory.
  (*p).reset();

  std::fprintf(stderr, "bench-pipeline: reference: %lld events through a store-only runtime\n",
               static_cast<long long>(total / 5));
  TrackFigures ref = TrackStream(dir + "/ref", false, pool, total / 5);
  std::fprintf(stderr, "bench-pipeline: %lld events through the runtime with 50 features and 20 patterns\n",
               static_cast<long long>(total));
  TrackFigures run = TrackStream(dir + "/run", true, pool, total);

  const json& last = run.state_at.back();
  const json& half = run.state_at[run.state_at.size() / 2 - 1];
  nlohmann::ordered_json out;
  out["events_per_s"] = static_cast<int64_t>(run.events_per_s);
  out["store_only_events_per_s"] = static_cast<int64_t>(ref.events_per_s);
  out["ratio_to_store_only"] = run.events_per_s / ref.events_per_s;
  out["pipeline_only_events_per_s"] = static_cast<int64_t>(pipeline_only);
  out["feature_snapshot_us"] = snaps[snaps.size() / 2];
  out["features"] = (*spec)->features.size();
  out["patterns"] = (*spec)->pattern_json.size();
  out["events"] = total;
  out["keys"] = users;
  out["bytes_per_key"] = last["state_bytes"].get<double>() / users;
  out["state_bytes_at_half"] = half["state_bytes"];
  out["state_bytes_at_end"] = last["state_bytes"];
  out["rss_bytes_at_half"] = half["rss_bytes"];
  out["rss_bytes_at_end"] = last["rss_bytes"];
  out["cep_partial_matches_peak"] = last["partial_matches_peak"];
  out["matches"] = last["matches"];
  out["late"] = last["late"];
  std::filesystem::remove_all(dir);
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
