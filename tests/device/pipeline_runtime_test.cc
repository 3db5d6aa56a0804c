// Features and patterns in a real runtime (docs/features.md "Reading
// features", "Checkpoints, restarts and backfill"; docs/patterns.md
// "Actions"): reads, restarts (clean and killed), backfill, definition
// changes, pattern actions, malformed definitions, and the script host
// functions edgeflow.feature / edgeflow.features.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "edgeflow/runtime.h"
#include "edgeflow/script_compiler.h"
#include "pipeline/pipeline.h"
#include "store/event_store.h"
#include "testing/temp_dir.h"

namespace edgeflow {
namespace {

using nlohmann::json;
using testing::TempDir;

// Integer prices only, so that every feature value is exact.
json ShopManifest(const std::string& version = "1", int64_t checkpoint_every = 100000) {
  return json{
      {"name", "shop"},
      {"version", version},
      {"pipeline", {{"checkpointEveryEvents", checkpoint_every}}},
      {"features",
       {
           {{"name", "views"}, {"op", "count"}, {"filter", "kind == 'pv'"}},
           {{"name", "views_item"}, {"op", "count"}, {"filter", "kind == 'pv'"}, {"keyBy", "item"},
            {"window", {{"type", "tumbling"}, {"size", "1h"}}}},
           {{"name", "clicks_user"}, {"op", "count"}, {"filter", "kind == 'click'"}, {"keyBy", "user"},
            {"window", {{"type", "sliding"}, {"size", "10m"}, {"slide", "4m"}}}},
           {{"name", "recent"}, {"op", "recent_items"}, {"keyBy", "user"}},
           {{"name", "spend"}, {"op", "sum"}, {"value", "props.get('price')"}, {"keyBy", "user"}, {"window", "30m"}},
           {{"name", "sessions"}, {"op", "session_count"}, {"keyBy", "user"},
            {"window", {{"type", "session"}, {"gap", "5m"}}}},
           {{"name", "distinct"}, {"op", "distinct_count"}, {"value", "itemId"}, {"exact", 5}, {"keyBy", "user"},
            {"window", "1h"}},
           {{"name", "hour"}, {"op", "hour_of_day"}},
       }},
      {"patterns",
       {
           {{"name", "view_then_cart"}, {"keyBy", "user"}, {"withinMs", 600000},
            {"steps", json::array({{{"name", "v"}, {"where", "kind == 'pv'"}},
                                   {{"name", "c"}, {"where", "clickId is not None and clickId.endswith('_AddCart')"}}})},
            {"action", {{"broadcast", "reach.cart"}, {"message", {{"coupon", 5}}}}}},
           {{"name", "repeat_view"}, {"keyBy", "item"}, {"withinMs", 3600000},
            {"steps", json::array({{{"name", "v"}, {"where", "kind == 'pv'"}, {"times", 3}}})},
            {"action", {{"broadcast", "reach.push"}}}},
       }},
  };
}

// Users u0..u3, items i0..i9, pv and click events (add-to-cart among them),
// out of order, some late beyond the default 60 s, some duplicated.
std::vector<Event> Stream(uint64_t seed, int n, int64_t t0 = 1700000000000) {
  std::mt19937_64 rng(seed);
  const std::vector<std::string> pages = {"Home", "Detail", "List"};
  std::vector<Event> out;
  int64_t ts = t0;
  for (int i = 0; i < n; ++i) {
    const uint64_t r = rng() % 100;
    if (r < 4 && !out.empty()) {
      out.push_back(out[out.size() - 1 - rng() % std::min<size_t>(out.size(), 10)]);
      continue;
    }
    Event e;
    e.type = "mta";
    e.ts_ms = r < 90 ? (ts += static_cast<int64_t>(rng() % 20000)) : ts - static_cast<int64_t>(rng() % 90000);
    e.kind = rng() % 3 ? "pv" : "click";
    e.page_id = pages[rng() % pages.size()];
    if (rng() % 10) e.item_id = "i" + std::to_string(rng() % 10);
    if (e.kind == "click") e.click_id = e.page_id + (rng() % 2 ? "_AddCart" : "_Share");
    e.props = json{{"userId", "u" + std::to_string(rng() % 4)}, {"price", static_cast<int64_t>(rng() % 100)}}.dump();
    out.push_back(e);
  }
  return out;
}

Event Ev(int64_t ts, const std::string& kind, const std::string& user, const std::string& item = "",
         const std::string& click = "") {
  Event e;
  e.type = "mta";
  e.kind = kind;
  e.page_id = "Detail";
  e.item_id = item;
  e.click_id = click;
  e.ts_ms = ts;
  e.props = json{{"userId", user}}.dump();
  return e;
}

// Every match the listener and the subscribers heard.
class Heard {
 public:
  void Match(const std::string& bundle, const std::string& json_text) {
    std::lock_guard<std::mutex> l(mu_);
    matches_.push_back(bundle + " " + json_text);
  }
  void Message(const std::string& topic, const std::string& json_text) {
    std::lock_guard<std::mutex> l(mu_);
    messages_.push_back(topic + " " + json_text);
  }
  std::vector<std::string> matches() {
    std::lock_guard<std::mutex> l(mu_);
    return matches_;
  }
  std::vector<std::string> messages() {
    std::lock_guard<std::mutex> l(mu_);
    return messages_;
  }
  void Clear() {
    std::lock_guard<std::mutex> l(mu_);
    matches_.clear();
    messages_.clear();
  }

 private:
  std::mutex mu_;
  std::vector<std::string> matches_, messages_;
};

// A runtime on `data_dir` with listeners on every match and broadcast.
struct Device {
  std::unique_ptr<Runtime> rt;
  Heard heard;

  explicit Device(const std::string& data_dir, bool with_compiler = false) {
    RuntimeOptions o;
    o.data_dir = data_dir;
    o.watchdog_grace_ms = 200;
    if (with_compiler) o.compile_script = CompileScript;
    auto r = Runtime::Open(o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return;
    rt = std::move(r).value();
    rt->SetMatchListener([this](const std::string& b, const std::string& m) { heard.Match(b, m); });
    for (const char* topic : {"reach.cart", "reach.push", "reach.two"}) {
      rt->Subscribe(topic, [this](const std::string& t, const std::string& v) { heard.Message(t, v); });
    }
  }
  ~Device() {
    if (rt) {
      EXPECT_TRUE(rt->Close().ok());
    }
  }
  void Track(const std::vector<Event>& events, size_t from = 0, size_t to = SIZE_MAX) {
    for (size_t i = from; i < std::min(to, events.size()); ++i) ASSERT_TRUE(rt->Track(events[i]).ok());
  }
  std::string Dump(const std::string& bundle = "shop") {
    auto d = rt->DumpFeatures(bundle);
    return d.ok() ? *d : "error: " + d.status().ToString();
  }
};

std::string WriteBundle(const TempDir& dir, const std::string& sub, const json& manifest) {
  dir.Write(sub + "/manifest.json", manifest.dump(2));
  return dir.Sub(sub);
}

// The match JSON without its seqs (store seqs need not be contiguous across a
// reopen), plus how many there were.
std::string WithoutSeqs(const std::string& heard) {
  const size_t space = heard.find(' ');
  json j = json::parse(heard.substr(space + 1));
  const size_t n = j["seqs"].size();
  j.erase("seqs");
  return heard.substr(0, space) + " " + j.dump() + " seqs:" + std::to_string(n);
}

std::vector<std::string> WithoutSeqs(const std::vector<std::string>& v) {
  std::vector<std::string> out;
  for (const auto& s : v) out.push_back(WithoutSeqs(s));
  return out;
}

// ----------------------------------------------------------------- reads

TEST(PipelineRuntimeTest, FeaturesOfAnInstalledBundle) {
  TempDir dir;
  Device d(dir.Sub("data"));
  ASSERT_TRUE(d.rt);
  Status s = d.rt->InstallBundle(WriteBundle(dir, "shop", ShopManifest()));
  ASSERT_TRUE(s.ok()) << s.ToString();
  const int64_t t = 1700000000000;  // 22:13:20 UTC
  d.Track({Ev(t, "pv", "u1", "a"), Ev(t + 1000, "pv", "u1", "b"), Ev(t + 2000, "pv", "u2", "a"),
           Ev(t + 3000, "click", "u1", "a", "Detail_Share")});
  EXPECT_EQ(*d.rt->Feature("shop", "views"), "3");
  EXPECT_EQ(*d.rt->Feature("shop", "views", "ignored"), "3");
  EXPECT_EQ(*d.rt->Feature("shop", "views_item", "a"), "2");
  EXPECT_EQ(*d.rt->Feature("shop", "views_item", "zz"), "0");
  EXPECT_EQ(*d.rt->Feature("shop", "recent", "u1"), R"(["a","b"])");
  EXPECT_EQ(*d.rt->Feature("shop", "hour"), "22");
  EXPECT_EQ(*d.rt->Features("shop", "u1"),
            R"({"views":3,"views_item":0,"clicks_user":1,"recent":["a","b"],"spend":0,"sessions":1,)"
            R"("distinct":2,"hour":22})");
  EXPECT_EQ(d.Dump(),
            R"({"views":3,"views_item":{"a":2,"b":1},"clicks_user":{"u1":1},"recent":{"u1":["a","b"],"u2":["a"]},)"
            R"("spend":{},"sessions":{"u1":1,"u2":1},"distinct":{"u1":2,"u2":1},"hour":22})");
  auto missing = d.rt->Feature("shop", "nope");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos) << missing.status().ToString();
  auto other = d.rt->Feature("other", "views");
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  EXPECT_NE(other.status().message().find("other"), std::string::npos) << other.status().ToString();
  EXPECT_EQ(d.rt->DumpFeatures("other").status().code(), StatusCode::kNotFound);
  json metrics = json::parse(d.rt->MetricsJson());
  EXPECT_EQ(metrics["pipelines"]["shop"]["accepted"], 4);
}

// ----------------------------------------------------------------- restarts

// What a runtime that had the bundle from the start reports for `events`:
// the dump after the first `split` events and after all, and the matches
// heard after the split.
struct Reference {
  std::string dump_at_split, dump_at_end;
  std::vector<std::string> matches_after_split;
};

Reference RunReference(const json& manifest, const std::vector<Event>& events, size_t split) {
  TempDir dir;
  Reference r;
  Device d(dir.Sub("data"));
  EXPECT_TRUE(d.rt->InstallBundle(WriteBundle(dir, "b", manifest)).ok());
  d.Track(events, 0, split);
  r.dump_at_split = d.Dump();
  d.heard.Clear();
  d.Track(events, split);
  r.dump_at_end = d.Dump();
  r.matches_after_split = d.heard.matches();
  return r;
}

TEST(PipelineRuntimeTest, RestartRestoresTheCheckpointAndEqualsAnUninterruptedRun) {
  const std::vector<Event> events = Stream(1, 700);
  const size_t n = 400;
  const Reference ref = RunReference(ShopManifest(), events, n);
  TempDir dir;
  const std::string bundle = WriteBundle(dir, "shop", ShopManifest());
  {
    Device d(dir.Sub("data"));
    ASSERT_TRUE(d.rt->InstallBundle(bundle).ok());
    d.Track(events, 0, n);
    EXPECT_EQ(d.Dump(), ref.dump_at_split);
  }  // Close() checkpoints
  Device d(dir.Sub("data"));
  ASSERT_TRUE(d.rt->InstallBundle(bundle).ok());
  EXPECT_EQ(d.Dump(), ref.dump_at_split);
  EXPECT_TRUE(d.heard.matches().empty()) << "a restore replays without reporting matches";
  d.Track(events, n);
  EXPECT_EQ(d.Dump(), ref.dump_at_end);
  ASSERT_FALSE(ref.matches_after_split.empty());
  EXPECT_EQ(WithoutSeqs(d.heard.matches()), WithoutSeqs(ref.matches_after_split));
}

// A kill -9 leaves a checkpoint older than the last stored events (one every
// 7 events, written by a background thread). The next install restores it and
// replays the events after its seq from the store.
TEST(PipelineRuntimeTest, KilledRuntimeResumesFromAnOlderCheckpointAndTheStore) {
  GTEST_FLAG_SET(death_test_style, "fast");  // the child uses this test's directory
  const json manifest = ShopManifest("1", /*checkpoint_every=*/7);
  const std::vector<Event> events = Stream(2, 300);
  const size_t n = 40;  // not a multiple of 7: the last checkpoint is older
  const Reference ref = RunReference(manifest, events, n);
  TempDir dir;
  const std::string bundle = WriteBundle(dir, "shop", manifest);
  EXPECT_EXIT(
      {
        RuntimeOptions o;
        o.data_dir = dir.Sub("data");
        auto rt = Runtime::Open(o);
        if (!rt.ok() || !(*rt)->InstallBundle(bundle).ok()) std::_Exit(2);
        for (size_t i = 0; i < n; ++i) {
          if (!(*rt)->Track(events[i]).ok()) std::_Exit(3);
        }
        if (!(*rt)->Flush().ok()) std::_Exit(4);
        // Waits (bounded) for the checkpoint thread to have written one.
        for (int i = 0; i < 1000; ++i) {
          json m = json::parse((*rt)->MetricsJson());
          if (m["checkpoints"]["written"].get<int64_t>() > 0) std::_Exit(7);  // no Close(): a kill
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        std::_Exit(5);
      },
      ::testing::ExitedWithCode(7), "");

  // The stored checkpoint is older than the last event.
  {
    StoreOptions so;
    so.dir = dir.Sub("data") + "/events";
    auto store = EventStore::Open(so);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto blob = (*store)->GetState("pipeline/shop");
    ASSERT_TRUE(blob.ok()) << blob.status().ToString();
    ASSERT_TRUE(blob->has_value()) << "no checkpoint was stored";
    auto spec = pipeline::ParsePipelineSpec(manifest, "m", [](const std::string&) -> Result<std::string> {
      return Status::NotFound("none");
    });
    ASSERT_TRUE(spec.ok());
    auto p = pipeline::Pipeline::Create(*spec);
    ASSERT_TRUE(p.ok());
    ASSERT_TRUE((*p)->Restore(**blob).ok());
    EXPECT_GE((*p)->last_seq(), 7);
    EXPECT_LT((*p)->last_seq(), static_cast<int64_t>(n));
    ASSERT_TRUE((*store)->Close().ok());
  }

  Device d(dir.Sub("data"));
  ASSERT_TRUE(d.rt->InstallBundle(bundle).ok());
  EXPECT_EQ(d.Dump(), ref.dump_at_split) << "the replay after the checkpoint's seq is incomplete";
  EXPECT_TRUE(d.heard.matches().empty());
  d.Track(events, n);
  EXPECT_EQ(d.Dump(), ref.dump_at_end);
  EXPECT_EQ(WithoutSeqs(d.heard.matches()), WithoutSeqs(ref.matches_after_split));
}

// Restoring and replaying must give what a backfill of the same store gives,
// also after a kill -9: a checkpoint must never cover events the store has not
// committed (here a long max_flush_delay_ms keeps them in the append buffer
// until the kill), or the restored state counts events the store lost.
TEST(PipelineRuntimeTest, RestoreAfterAKillEqualsABackfillOfTheSameStore) {
  GTEST_FLAG_SET(death_test_style, "fast");
  const json manifest = ShopManifest("1", /*checkpoint_every=*/7);
  const std::vector<Event> events = Stream(5, 40);
  TempDir dir;
  const std::string bundle = WriteBundle(dir, "shop", manifest);
  json twin = manifest;
  twin["name"] = "twin";
  const std::string twin_dir = WriteBundle(dir, "twin", twin);
  EXPECT_EXIT(
      {
        RuntimeOptions o;
        o.data_dir = dir.Sub("data");
        o.max_flush_delay_ms = 60000;
        auto rt = Runtime::Open(o);
        if (!rt.ok() || !(*rt)->InstallBundle(bundle).ok()) std::_Exit(2);
        for (const Event& e : events) {
          if (!(*rt)->Track(e).ok()) std::_Exit(3);
        }
        for (int i = 0; i < 1000; ++i) {
          json m = json::parse((*rt)->MetricsJson());
          if (m["checkpoints"]["written"].get<int64_t>() > 0) std::_Exit(7);  // killed: no Flush, no Close
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        std::_Exit(5);
      },
      ::testing::ExitedWithCode(7), "");
  Device d(dir.Sub("data"));
  auto stored = d.rt->QueryEvents(INT64_MIN, INT64_MAX);
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(d.rt->InstallBundle(bundle).ok());   // restores the checkpoint, replays the store
  ASSERT_TRUE(d.rt->InstallBundle(twin_dir).ok()); // no checkpoint: a backfill of the same store
  EXPECT_EQ(d.Dump("shop"), d.Dump("twin")) << stored->size() << " of " << events.size()
                                            << " events were stored before the kill";
}

// ----------------------------------------------------------------- backfill

json WithoutPipeline(const std::string& version) {
  return json{{"name", "shop"}, {"version", version}, {"tasks", {{{"name", "Noop"}, {"kind", "native:echo"}}}}};
}

TEST(PipelineRuntimeTest, NewFeaturesAreBackfilledFromTheStoredEvents) {
  const std::vector<Event> events = Stream(3, 600);
  const size_t n = 350;
  json with_features = ShopManifest("2");
  with_features["tasks"] = {{{"name", "Noop"}, {"kind", "native:echo"}}};
  const Reference ref = RunReference(with_features, events, n);
  TempDir dir;
  Device d(dir.Sub("data"));
  ASSERT_TRUE(d.rt->InstallBundle(WriteBundle(dir, "v1", WithoutPipeline("1"))).ok());
  d.Track(events, 0, n);
  EXPECT_EQ(d.rt->Feature("shop", "views").status().code(), StatusCode::kNotFound);
  Status s = d.rt->InstallBundle(WriteBundle(dir, "v2", with_features));
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(d.Dump(), ref.dump_at_split);
  // Patterns matched during the backfill do not fire.
  EXPECT_TRUE(d.heard.matches().empty());
  EXPECT_TRUE(d.heard.messages().empty());
  d.Track(events, n);
  EXPECT_EQ(d.Dump(), ref.dump_at_end);
  EXPECT_EQ(d.heard.matches(), ref.matches_after_split);  // the same store: the same seqs
}

// A feature whose definition changed is recomputed from every stored event
// under its new definition, after a restart too (the checkpoint is not used).
TEST(PipelineRuntimeTest, ChangedDefinitionsAreBackfilledNotRestored) {
  const std::vector<Event> events = Stream(4, 500);
  json v2 = ShopManifest("2");
  v2["features"][0]["filter"] = "kind == 'click'";  // "views" now counts clicks
  v2["features"][2]["window"] = "20m";
  const Reference ref = RunReference(v2, events, events.size());
  const Reference ref_v1 = RunReference(ShopManifest("1"), events, events.size());
  ASSERT_NE(json::parse(ref.dump_at_split)["views"], json::parse(ref_v1.dump_at_split)["views"]);
  TempDir dir;
  {
    Device d(dir.Sub("data"));
    ASSERT_TRUE(d.rt->InstallBundle(WriteBundle(dir, "v1", ShopManifest("1"))).ok());
    d.Track(events);
    EXPECT_EQ(d.Dump(), ref_v1.dump_at_split);
    // Without a restart.
    ASSERT_TRUE(d.rt->InstallBundle(WriteBundle(dir, "v2", v2)).ok());
    EXPECT_EQ(d.Dump(), ref.dump_at_split);
    // And back: v1's definitions again.
    ASSERT_TRUE(d.rt->InstallBundle(dir.Sub("v1")).ok());
    EXPECT_EQ(d.Dump(), ref_v1.dump_at_split);
  }  // the checkpoint at Close() is v1's
  Device d(dir.Sub("data"));
  ASSERT_TRUE(d.rt->InstallBundle(dir.Sub("v2")).ok());
  EXPECT_EQ(d.Dump(), ref.dump_at_split);
}

// ----------------------------------------------------------------- patterns

json PatternManifest(const std::string& version, bool with_cart, bool with_two) {
  json patterns = json::array();
  if (with_cart) {
    patterns.push_back({{"name", "view_then_cart"}, {"keyBy", "user"},
                        {"steps", json::array({{{"name", "v"}, {"where", "kind == 'pv'"}},
                                               {{"name", "c"}, {"where", "clickId == 'Detail_AddCart'"}}})},
                        {"action", {{"broadcast", "reach.cart"}, {"message", {{"coupon", 5}}}}}});
  }
  if (with_two) {
    patterns.push_back({{"name", "two_views"}, {"keyBy", "user"},
                        {"steps", json::array({{{"name", "v"}, {"where", "kind == 'pv'"}, {"times", 2}}})},
                        {"action", {{"broadcast", "reach.two"}}}});
  }
  return json{{"name", "pat"}, {"version", version}, {"patterns", patterns}};
}

TEST(PipelineRuntimeTest, PatternsComeAndGoWithTheirBundle) {
  TempDir dir;
  Device d(dir.Sub("data"));
  const std::string a = WriteBundle(dir, "a", PatternManifest("1", true, false));
  ASSERT_TRUE(d.rt->InstallBundle(a).ok());
  const int64_t t = 1700000000000;
  d.Track({Ev(t, "pv", "u1", "x"), Ev(t + 1000, "click", "u1", "x", "Detail_AddCart")});
  ASSERT_TRUE(d.rt->Flush().ok());
  auto seqs = d.rt->Sql("SELECT seq FROM events ORDER BY seq");
  ASSERT_TRUE(seqs.ok()) << seqs.status().ToString();
  ASSERT_EQ(seqs->rows.size(), 2u);
  EXPECT_EQ(d.heard.matches(),
            std::vector<std::string>{"pat {\"pattern\":\"view_then_cart\",\"key\":\"u1\",\"ts\":1700000001000,"
                                     "\"startTs\":1700000000000,\"seqs\":[" + seqs->rows[0][0] + "," +
                                     seqs->rows[1][0] + "]}"});
  EXPECT_EQ(d.heard.messages(),
            std::vector<std::string>{
                R"(reach.cart {"pattern":"view_then_cart","key":"u1","ts":1700000001000,"message":{"coupon":5}})"});

  // Removed with the bundle.
  ASSERT_TRUE(d.rt->UninstallBundle("pat").ok());
  d.heard.Clear();
  d.Track({Ev(t + 2000, "pv", "u2"), Ev(t + 3000, "click", "u2", "", "Detail_AddCart")});
  EXPECT_TRUE(d.heard.matches().empty());
  EXPECT_TRUE(d.heard.messages().empty());

  // Back: the backfill (which matches u2's pair) reports nothing; new events match.
  ASSERT_TRUE(d.rt->InstallBundle(a).ok());
  EXPECT_TRUE(d.heard.matches().empty());
  d.Track({Ev(t + 4000, "pv", "u3"), Ev(t + 5000, "click", "u3", "", "Detail_AddCart")});
  ASSERT_EQ(d.heard.messages().size(), 1u);
  EXPECT_NE(d.heard.messages()[0].find("\"key\":\"u3\""), std::string::npos) << d.heard.messages()[0];

  // A new version adds a pattern...
  ASSERT_TRUE(d.rt->InstallBundle(WriteBundle(dir, "b", PatternManifest("2", true, true))).ok());
  d.heard.Clear();
  d.Track({Ev(t + 6000, "pv", "u4"), Ev(t + 7000, "pv", "u4")});
  EXPECT_EQ(d.heard.messages(),
            std::vector<std::string>{R"(reach.two {"pattern":"two_views","key":"u4","ts":1700000007000,"message":null})"});
  // ...and the next one removes the first.
  ASSERT_TRUE(d.rt->InstallBundle(WriteBundle(dir, "c", PatternManifest("3", false, true))).ok());
  d.heard.Clear();
  d.Track({Ev(t + 8000, "pv", "u5"), Ev(t + 9000, "click", "u5", "", "Detail_AddCart")});
  EXPECT_TRUE(d.heard.messages().empty()) << d.heard.messages()[0];
  d.Track({Ev(t + 10000, "pv", "u5")});
  ASSERT_EQ(d.heard.messages().size(), 1u);
  EXPECT_NE(d.heard.messages()[0].find("two_views"), std::string::npos);
}

TEST(PipelineRuntimeTest, PatternActionRunsATaskWithTheMatchAsExtData) {
  TempDir dir;
  Device d(dir.Sub("data"));
  std::mutex mu;
  std::vector<std::pair<TriggerKind, std::string>> runs;
  ASSERT_TRUE(d.rt->RegisterNativeTask("onmatch", [&](const TaskContext& ctx) -> Result<TaskOutput> {
    std::lock_guard<std::mutex> l(mu);
    runs.emplace_back(ctx.trigger, ctx.ext_data);
    return TaskOutput{ctx.ext_data};
  }).ok());
  std::vector<TaskOutcome> outcomes;
  d.rt->SetOutcomeListener([&](const TaskOutcome& o) {
    std::lock_guard<std::mutex> l(mu);
    outcomes.push_back(o);
  });
  json manifest = {{"name", "act"},
                   {"version", "1"},
                   {"tasks", {{{"name", "OnMatch"}, {"kind", "native:onmatch"}}}},
                   {"patterns",
                    {{{"name", "cart"}, {"keyBy", "user"},
                      {"steps", json::array({{{"name", "v"}, {"where", "kind == 'pv'"}},
                                             {{"name", "c"}, {"where", "kind == 'click'"}}})},
                      {"action", {{"task", "OnMatch"}}}}}}};
  // Events from before the install: backfilled, no task runs.
  const int64_t t = 1700000000000;
  d.Track({Ev(t, "pv", "u0"), Ev(t + 1, "click", "u0", "", "C")});
  ASSERT_TRUE(d.rt->InstallBundle(WriteBundle(dir, "act", manifest)).ok());
  d.Track({Ev(t + 1000, "pv", "u9"), Ev(t + 2000, "click", "u9", "", "C")});
  ASSERT_TRUE(d.rt->WaitIdle(10000));
  std::lock_guard<std::mutex> l(mu);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].first, TriggerKind::kPattern);
  ASSERT_EQ(d.heard.matches().size(), 1u);
  EXPECT_EQ("act " + runs[0].second, d.heard.matches()[0]);
  json m = json::parse(runs[0].second);
  EXPECT_EQ(m["pattern"], "cart");
  EXPECT_EQ(m["key"], "u9");
  EXPECT_EQ(m["startTs"], t + 1000);
  EXPECT_EQ(m["ts"], t + 2000);
  EXPECT_EQ(m["seqs"].size(), 2u);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].task, "OnMatch");
  EXPECT_EQ(outcomes[0].trigger, TriggerKind::kPattern);
  EXPECT_TRUE(outcomes[0].ok);

  // An action naming a task the bundle does not have is refused.
  manifest["patterns"][0]["action"]["task"] = "Missing";
  Status s = d.rt->InstallBundle(WriteBundle(dir, "act2", manifest));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("manifest.json: patterns[0].action.task"), std::string::npos) << s.message();
}

// ----------------------------------------------------------------- malformed definitions

TEST(PipelineRuntimeTest, MalformedDefinitionsAreRefusedAndThePreviousVersionKeepsComputing) {
  TempDir dir;
  Device d(dir.Sub("data"));
  ASSERT_TRUE(d.rt->InstallBundle(WriteBundle(dir, "good", ShopManifest())).ok());
  const int64_t t = 1700000000000;
  int64_t ts = t;
  d.Track({Ev(ts, "pv", "u1", "a")});

  struct Bad {
    std::function<void(json&)> edit;
    std::string path;
  };
  const std::vector<Bad> bad = {
      {[](json& m) { m["features"][1]["window"]["size"] = "30x"; }, "manifest.json: features[1].window.size"},
      {[](json& m) { m["features"][0]["colour"] = "red"; }, "manifest.json: features[0].colour"},
      {[](json& m) { m["features"][4]["value"] = "props.get('price'"; }, "manifest.json: features[4].value"},
      {[](json& m) { m["features"][3]["n"] = 0; }, "manifest.json: features[3].n"},
      {[](json& m) { m["features"][5]["window"] = "1h"; }, "manifest.json: features[5].window"},
      {[](json& m) { m["features"][2]["name"] = "views"; }, "manifest.json: features[2].name"},
      {[](json& m) { m["pipeline"]["allowedLatenessMs"] = -1; }, "manifest.json: pipeline.allowedLatenessMs"},
      {[](json& m) { m["patterns"][0]["steps"][0]["optional"] = true; }, "manifest.json: patterns[0].steps[0]"},
      {[](json& m) { m["patterns"][1]["maxPartialsPerKey"] = 0; }, "manifest.json: patterns[1].maxPartialsPerKey"},
      {[](json& m) { m["patterns"][0]["colour"] = 1; }, "manifest.json: patterns[0].colour"},
      {[](json& m) { m["patterns"][0]["action"] = json::object(); }, "manifest.json: patterns[0].action"},
  };
  for (size_t i = 0; i < bad.size(); ++i) {
    json m = ShopManifest("2");
    bad[i].edit(m);
    Status s = d.rt->InstallBundle(WriteBundle(dir, "bad" + std::to_string(i), m));
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find(bad[i].path), std::string::npos) << "expected " << bad[i].path << " in " << s.message();
    // Version 1 still computes, patterns included.
    ts += 1000;
    d.heard.Clear();
    d.Track({Ev(ts, "pv", "v" + std::to_string(i), "x" + std::to_string(i)),
             Ev(ts + 1, "click", "v" + std::to_string(i), "", "Detail_AddCart")});
    EXPECT_EQ(*d.rt->Feature("shop", "views"), std::to_string(i + 2)) << bad[i].path;
    EXPECT_EQ(d.heard.messages().size(), 1u) << bad[i].path;
  }
  // A bundle that never installed leaves nothing behind.
  json other = ShopManifest();
  other["name"] = "other";
  other["features"][0]["window"] = "forever";
  EXPECT_FALSE(d.rt->InstallBundle(WriteBundle(dir, "other", other)).ok());
  EXPECT_EQ(d.rt->Feature("other", "views").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(d.rt->UninstallBundle("other").code(), StatusCode::kNotFound);
}

// ----------------------------------------------------------------- scripts

struct CallResult {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::string kind, value, message;

  InferCallbacks Callbacks() {
    InferCallbacks cb;
    cb.on_value = [this](const std::string& v) { Set("value", v, ""); };
    cb.on_empty = [this] { Set("empty", "", ""); };
    cb.on_error = [this](TaskError, const std::string& m) { Set("error", "", m); };
    return cb;
  }
  void Set(const std::string& k, const std::string& v, const std::string& m) {
    std::lock_guard<std::mutex> l(mu);
    kind = k;
    value = v;
    message = m;
    done = true;
    cv.notify_all();
  }
  bool Wait() {
    std::unique_lock<std::mutex> l(mu);
    return cv.wait_for(l, std::chrono::seconds(20), [&] { return done; });
  }
};

// A bundle with the shop's features and one API-routed script task.
std::string ScriptBundle(const TempDir& dir, const std::string& source, const std::string& entry) {
  json m = ShopManifest();
  m["tasks"] = {{{"name", "Read"}, {"kind", "script:task.py:" + entry}, {"deadlineMs", 5000}}};
  m["api"] = {{{"systemCode", "s"}, {"businessCode", "read"}, {"task", "Read"}}};
  dir.Write("script/task.py", source);
  return WriteBundle(dir, "script", m);
}

std::string CallRead(Runtime& rt) {
  CallResult r;
  rt.Infer("s", "read", "", r.Callbacks());
  EXPECT_TRUE(r.Wait());
  EXPECT_EQ(r.kind, "value") << r.message;
  return r.value;
}

TEST(PipelineRuntimeTest, ScriptsReadFeaturesThroughTheHostModule) {
  TempDir dir;
  Device d(dir.Sub("data"), /*with_compiler=*/true);
  Status s = d.rt->InstallBundle(ScriptBundle(dir, R"(
import edgeflow
def main(ctx):
    try:
        edgeflow.feature("nope")
        missing = "found"
    except KeyError:
        missing = "KeyError"
    return {"views": edgeflow.feature("views"),
            "item": edgeflow.feature("views_item", "a"),
            "recent": edgeflow.feature("recent", "u1"),
            "user": edgeflow.features("u1"),
            "unkeyed": edgeflow.features(),
            "missing": missing}
)", "main"));
  ASSERT_TRUE(s.ok()) << s.ToString();
  const int64_t t = 1700000000000;
  d.Track({Ev(t, "pv", "u1", "a"), Ev(t + 1000, "pv", "u1", "b"), Ev(t + 2000, "pv", "u2", "a")});
  json got = json::parse(CallRead(*d.rt));
  EXPECT_EQ(got["views"], 3);
  EXPECT_EQ(got["item"], 2);
  EXPECT_EQ(got["recent"], json::parse(R"(["a","b"])"));
  EXPECT_EQ(got["user"], json::parse(*d.rt->Features("shop", "u1")));
  EXPECT_EQ(got["unkeyed"], json::parse(*d.rt->Features("shop", "")));
  EXPECT_EQ(got["missing"], "KeyError");
  // The task reads the features as of the events tracked before the call.
  d.Track({Ev(t + 3000, "pv", "u1", "a")});
  EXPECT_EQ(json::parse(CallRead(*d.rt))["item"], 3);
}

// docs/features.md spells the signatures feature(name, key="") and
// features(key=""): the key may be passed by keyword.
TEST(PipelineRuntimeTest, ScriptFeatureFunctionsTakeTheKeyAsAKeyword) {
  TempDir dir;
  Device d(dir.Sub("data"), /*with_compiler=*/true);
  Status s = d.rt->InstallBundle(ScriptBundle(dir, R"(
import edgeflow
def kw(ctx):
    return {"positional": edgeflow.feature("views_item", "a"),
            "keyword": edgeflow.feature("views_item", key="a"),
            "all_positional": edgeflow.features("u1"),
            "all_keyword": edgeflow.features(key="u1")}
)", "kw"));
  ASSERT_TRUE(s.ok()) << s.ToString();
  const int64_t t = 1700000000000;
  d.Track({Ev(t, "pv", "u1", "a"), Ev(t + 1000, "pv", "u1", "a")});
  json got = json::parse(CallRead(*d.rt));
  EXPECT_EQ(got["positional"], 2);
  EXPECT_EQ(got["keyword"], got["positional"]);
  EXPECT_EQ(got["all_keyword"], got["all_positional"]);
}

// ------------------------------------------------------------ custom ops

// A bundle whose features.py defines custom ops over the shop's features.
std::string CustomOpBundle(const TempDir& dir, const std::string& source, const json& extra_features) {
  json m = ShopManifest();
  for (const auto& f : extra_features) m["features"].push_back(f);
  dir.Write("custom/features.py", source);
  return WriteBundle(dir, "custom", m);
}

const char* kCustomOps = R"(
def engagement(clicks, spend):
    return clicks * 10 + (spend or 0)

def tags(recent, hour):
    return sorted(set(recent)) + ["h%d" % hour]

def shares(recent):
    n = len(recent)
    return {i: recent.count(i) / n for i in recent} if n else {}

def broken(clicks):
    return 1 // 0

def spin(clicks):
    while True:
        clicks += 1

def nested(clicks):
    return [[clicks]]
)";

TEST(PipelineRuntimeTest, CustomOpsAreScriptFunctionsOfEarlierFeatures) {
  TempDir dir;
  Device d(dir.Sub("data"), /*with_compiler=*/true);
  json extra = json::array({
      {{"name", "engagement"}, {"op", "script"}, {"function", "features.py:engagement"},
       {"inputs", {"clicks_user", "spend"}}, {"keyBy", "user"}},
      {{"name", "tags"}, {"op", "script"}, {"function", "features.py:tags"}, {"inputs", {"recent", "hour"}},
       {"keyBy", "user"}},
      {{"name", "shares"}, {"op", "script"}, {"function", "features.py:shares"}, {"inputs", {"recent"}},
       {"keyBy", "user"}},
      {{"name", "broken"}, {"op", "script"}, {"function", "features.py:broken"}, {"inputs", {"clicks_user"}},
       {"keyBy", "user"}},
      {{"name", "spin"}, {"op", "script"}, {"function", "features.py:spin"}, {"inputs", {"clicks_user"}},
       {"keyBy", "user"}},
      {{"name", "nested"}, {"op", "script"}, {"function", "features.py:nested"}, {"inputs", {"clicks_user"}},
       {"keyBy", "user"}},
  });
  Status s = d.rt->InstallBundle(CustomOpBundle(dir, kCustomOps, extra));
  ASSERT_TRUE(s.ok()) << s.ToString();
  const int64_t t = 1700000000000;  // 22:13 UTC
  Event a = Ev(t, "pv", "u1", "a"), b = Ev(t + 1000, "pv", "u1", "b"), c = Ev(t + 2000, "click", "u1", "a");
  a.props = json{{"userId", "u1"}, {"price", 7}}.dump();
  b.props = json{{"userId", "u1"}, {"price", 5}}.dump();
  d.Track({a, b, c, Ev(t + 3000, "pv", "u1", "a")});
  EXPECT_EQ(*d.rt->Feature("shop", "engagement", "u1"), "22");  // 1 click * 10 + 12
  EXPECT_EQ(*d.rt->Feature("shop", "tags", "u1"), R"(["a","b","h22"])");
  EXPECT_EQ(*d.rt->Feature("shop", "shares", "u1"), R"({"a":0.6666666666666666,"b":0.3333333333333333})");
  // A key without events: the inputs' empty values.
  EXPECT_EQ(*d.rt->Feature("shop", "engagement", "nobody"), "0");
  // Failures name the feature, the function and the Python error; reads go on.
  auto broken = d.rt->Feature("shop", "broken", "u1");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("feature \"broken\""), std::string::npos) << broken.status().ToString();
  EXPECT_NE(broken.status().message().find("ZeroDivisionError"), std::string::npos) << broken.status().ToString();
  auto spin = d.rt->Feature("shop", "spin", "u1");  // the instruction budget ends it
  ASSERT_FALSE(spin.ok());
  EXPECT_NE(spin.status().message().find("features.py:spin"), std::string::npos) << spin.status().ToString();
  auto nested = d.rt->Feature("shop", "nested", "u1");
  ASSERT_FALSE(nested.ok());
  EXPECT_NE(nested.status().message().find("nested value"), std::string::npos) << nested.status().ToString();
  // The context survives a spent budget: later reads of every op still work.
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(d.rt->Feature("shop", "spin", "u1").ok());
    EXPECT_EQ(*d.rt->Feature("shop", "engagement", "u1"), "22");
  }
  json all = json::parse(*d.rt->Features("shop", "u1"));
  EXPECT_EQ(all["engagement"], 22);
  EXPECT_TRUE(all["broken"].is_null());
  json dump = json::parse(d.Dump());
  EXPECT_EQ(dump["engagement"]["u1"], 22);
  EXPECT_EQ(json::parse(d.rt->MetricsJson())["pipelines"]["shop"]["script_errors"].get<int64_t>() > 0, true);
}

TEST(PipelineRuntimeTest, CustomOpDefinitionsAreCheckedAtInstall) {
  TempDir dir;
  Device d(dir.Sub("data"), /*with_compiler=*/true);
  struct Case {
    json feature;
    std::string source, error;
  } cases[] = {
      {{{"name", "x"}, {"op", "script"}, {"function", "features.py:missing"}, {"inputs", {"views"}}}, kCustomOps,
       "features[8].function: features.py defines no function 'missing'"},
      {{{"name", "x"}, {"op", "script"}, {"function", "other.py:f"}, {"inputs", {"views"}}}, kCustomOps,
       "features[8].function: cannot read"},
      {{{"name", "x"}, {"op", "script"}, {"function", "features.py:f"}, {"inputs", {"views"}}}, "def f(:\n",
       "features[8].function"},
      {{{"name", "x"}, {"op", "script"}, {"function", "features.py:f"}, {"inputs", {"views"}}},
       "def f(v):\n    return v\nraise ValueError('not today')\n", "module body failed"},
      {{{"name", "x"}, {"op", "script"}, {"function", "features.py"}, {"inputs", {"views"}}}, kCustomOps,
       "features[8].function: required"},
      {{{"name", "x"}, {"op", "script"}, {"function", "features.py:engagement"}, {"inputs", {"later"}}}, kCustomOps,
       "features[8].inputs[0]: no earlier feature named \"later\""},
      {{{"name", "x"}, {"op", "script"}, {"function", "features.py:engagement"}, {"inputs", {"views_item"}},
        {"keyBy", "user"}},
       kCustomOps, "features[8].inputs[0]: \"views_item\" is keyed by item"},
      {{{"name", "x"}, {"op", "script"}, {"function", "../x.py:f"}, {"inputs", {"views"}}}, kCustomOps,
       "inside the bundle"},
  };
  for (const auto& c : cases) {
    Status s = d.rt->InstallBundle(CustomOpBundle(dir, c.source, json::array({c.feature})));
    EXPECT_FALSE(s.ok()) << c.feature.dump();
    EXPECT_NE(s.ToString().find(c.error), std::string::npos) << s.ToString();
  }
}

}  // namespace
}  // namespace edgeflow
