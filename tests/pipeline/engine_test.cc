// The pipeline engine (pipeline.h, docs/features.md "The event stream a
// bundle's features see", "Reading features", "Checkpoints"): acceptance,
// keys and the --dump-features format, derived features, eviction,
// checkpoints (equal to an uninterrupted run, refused when foreign, never a
// crash when damaged), counters and bounded memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "pipeline/pipeline.h"

namespace edgeflow::pipeline {
namespace {

using nlohmann::json;

constexpr const char* kWhere = "b/manifest.json";

// Sanitizer builds (Debug, ASan + UBSan) run the same cases with fewer
// intermediate reads, to stay within the test timeout.
#ifdef EDGEFLOW_SANITIZE
constexpr int kReadEvery = 50;
constexpr int kFloatReadEvery = 25;
constexpr uint64_t kFloatSeeds = 5;
constexpr int kTruncatedEvents = 80;
constexpr size_t kUsableEvery = 64;
#else
constexpr int kReadEvery = 10;
constexpr int kFloatReadEvery = 5;
constexpr uint64_t kFloatSeeds = 20;
constexpr int kTruncatedEvents = 160;
constexpr size_t kUsableEvery = 16;
#endif

Result<std::string> NoResources(const std::string& name) { return Status::NotFound("no resource " + name); }

struct Ev {
  Event e;
  explicit Ev(int64_t ts, const std::string& kind = "pv") {
    e.type = "mta";
    e.kind = kind;
    e.page_id = "P";
    e.ts_ms = ts;
  }
  Ev& page(const std::string& p) { e.page_id = p; return *this; }
  Ev& item(const std::string& i) { e.item_id = i; return *this; }
  Ev& click(const std::string& c) { e.click_id = c; return *this; }
  Ev& props(const json& p) { e.props = p.dump(); return *this; }
  operator const Event&() const { return e; }  // NOLINT: a builder
};

std::shared_ptr<const PipelineSpec> Spec(const json& manifest) {
  auto spec = ParsePipelineSpec(manifest, kWhere, NoResources);
  EXPECT_TRUE(spec.ok()) << spec.status().ToString() << "\n" << manifest.dump();
  return spec.ok() ? *spec : nullptr;
}

std::unique_ptr<Pipeline> Make(const std::shared_ptr<const PipelineSpec>& spec) {
  if (!spec) return nullptr;
  auto p = Pipeline::Create(spec);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? std::move(p).value() : nullptr;
}

std::unique_ptr<Pipeline> Make(const json& manifest) { return Make(Spec(manifest)); }

json Manifest(std::vector<json> features, const json& config = nullptr, const json& patterns = nullptr) {
  json m = {{"features", features}};
  if (!config.is_null()) m["pipeline"] = config;
  if (!patterns.is_null()) m["patterns"] = patterns;
  return m;
}

std::string Get(Pipeline& p, const std::string& name, const std::string& key = "") {
  auto v = p.Get(name, key);
  return v.ok() ? FeatureValueToJson(*v) : "error: " + v.status().ToString();
}

// --------------------------------------------------------------- acceptance

TEST(AcceptanceTest, ZeroLatenessDropsEveryEventOlderThanTheNewest) {
  auto p = Make(Manifest({{{"name", "c"}, {"op", "count"}}}, json{{"allowedLatenessMs", 0}}));
  ASSERT_TRUE(p);
  int64_t seq = 0;
  EXPECT_TRUE(p->Process(Ev(1000).item("a"), ++seq, nullptr));
  EXPECT_FALSE(p->Process(Ev(999).item("b"), ++seq, nullptr));
  EXPECT_TRUE(p->Process(Ev(1000).item("c"), ++seq, nullptr));  // as old as the newest: not late
  EXPECT_TRUE(p->Process(Ev(2000).item("d"), ++seq, nullptr));
  EXPECT_FALSE(p->Process(Ev(1999).item("e"), ++seq, nullptr));
  EXPECT_EQ(Get(*p, "c"), "3");
  EXPECT_EQ(p->Stats().late, 2);
  EXPECT_EQ(p->Stats().accepted, 3);
  EXPECT_EQ(p->now_ms(), 2000);
}

TEST(AcceptanceTest, LatenessHorizonIsInclusive) {
  auto p = Make(Manifest({{{"name", "c"}, {"op", "count"}}}, json{{"allowedLatenessMs", 5000}}));
  ASSERT_TRUE(p);
  int64_t seq = 0;
  EXPECT_EQ(p->now_ms(), std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(p->Process(Ev(10000).item("a"), ++seq, nullptr));
  EXPECT_TRUE(p->Process(Ev(5000).item("b"), ++seq, nullptr));
  EXPECT_FALSE(p->Process(Ev(4999).item("c"), ++seq, nullptr));
  EXPECT_TRUE(p->Process(Ev(12000).item("d"), ++seq, nullptr));
  EXPECT_FALSE(p->Process(Ev(6999).item("e"), ++seq, nullptr));
  EXPECT_TRUE(p->Process(Ev(7000).item("f"), ++seq, nullptr));
  EXPECT_EQ(Get(*p, "c"), "4");
  EXPECT_EQ(p->Stats().late, 2);
  EXPECT_EQ(p->now_ms(), 12000);  // a late-but-accepted event does not move now
}

TEST(AcceptanceTest, DuplicatesAreDroppedWhileWithinTheHorizon) {
  auto p = Make(Manifest({{{"name", "c"}, {"op", "count"}}}));
  ASSERT_TRUE(p);
  int64_t seq = 0;
  const Event a = Ev(1000, "click").page("D").click("D_AddCart").item("a").props({{"price", 1}});
  EXPECT_TRUE(p->Process(a, ++seq, nullptr));
  EXPECT_FALSE(p->Process(a, ++seq, nullptr));
  // Different in one field: not a duplicate.
  Event b = a;
  b.props = json{{"price", 2}}.dump();
  EXPECT_TRUE(p->Process(b, ++seq, nullptr));
  Event c = a;
  c.click_id = "D_Order";
  EXPECT_TRUE(p->Process(c, ++seq, nullptr));
  Event d = a;
  d.type = "other";
  EXPECT_TRUE(p->Process(d, ++seq, nullptr));
  Event e = a;
  e.ts_ms = 1001;
  EXPECT_TRUE(p->Process(e, ++seq, nullptr));
  EXPECT_FALSE(p->Process(e, ++seq, nullptr));
  EXPECT_EQ(p->Stats().duplicates, 2);
  // Once the horizon has passed it, the same event is late, not a duplicate.
  EXPECT_TRUE(p->Process(Ev(100000), ++seq, nullptr));
  EXPECT_FALSE(p->Process(a, ++seq, nullptr));
  EXPECT_EQ(p->Stats().duplicates, 2);
  EXPECT_EQ(p->Stats().late, 1);
  EXPECT_EQ(Get(*p, "c"), "6");
}

TEST(AcceptanceTest, DedupFalseAcceptsEqualEvents) {
  auto p = Make(Manifest({{{"name", "c"}, {"op", "count"}}}, json{{"dedup", false}}));
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->Process(Ev(1000), 1, nullptr));
  EXPECT_TRUE(p->Process(Ev(1000), 2, nullptr));
  EXPECT_EQ(Get(*p, "c"), "2");
  EXPECT_EQ(p->Stats().duplicates, 0);
}

TEST(AcceptanceTest, SeqAtOrBelowTheLastProcessedIsSkipped) {
  auto p = Make(Manifest({{{"name", "c"}, {"op", "count"}}}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->last_seq(), 0);
  EXPECT_TRUE(p->Process(Ev(1000).item("a"), 5, nullptr));
  EXPECT_FALSE(p->Process(Ev(2000).item("b"), 5, nullptr));
  EXPECT_FALSE(p->Process(Ev(3000).item("c"), 3, nullptr));
  EXPECT_TRUE(p->Process(Ev(4000).item("d"), 9, nullptr));
  EXPECT_EQ(p->last_seq(), 9);
  EXPECT_EQ(Get(*p, "c"), "2");
  EXPECT_EQ(p->now_ms(), 4000);
  // A late event still advances last_seq: a replay skips it too.
  EXPECT_FALSE(p->Process(Ev(-100000).item("e"), 10, nullptr));
  EXPECT_EQ(p->last_seq(), 10);
}

// --------------------------------------------------------------- keys and DumpJson

TEST(DumpJsonTest, KeysSortedByBytesEmptyWindowsOmittedUnkeyedPrintedDirectly) {
  auto p = Make(Manifest({
      {{"name", "views"}, {"op", "count"}, {"keyBy", "item"}, {"window", {{"type", "tumbling"}, {"size", "10s"}}}},
      {{"name", "total"}, {"op", "count"}},
      {{"name", "last"}, {"op", "last"}, {"value", "itemId"}, {"keyBy", "user"}},
      {{"name", "avg"}, {"op", "avg"}, {"value", "props.get('price')"}, {"keyBy", "item"}},
      {{"name", "never"}, {"op", "count"}, {"keyBy", "page"}, {"filter", "kind == 'none'"}},
  }));
  ASSERT_TRUE(p);
  int64_t seq = 0;
  for (const Event& e : std::vector<Event>{
           Ev(1000).item("b"), Ev(2000).item("\xc3\xa9"), Ev(3000).item("a").props({{"price", 4}}),
           Ev(4000).item("Z"), Ev(5000).item("a").props({{"userId", "u1"}, {"price", 5}}),
           Ev(6000).item("a b").props({{"userId", "u2"}}), Ev(7000)}) {
    ASSERT_TRUE(p->Process(e, ++seq, nullptr));
  }
  EXPECT_EQ(p->DumpJson(),
            "{\"views\":{\"Z\":1,\"a\":2,\"a b\":1,\"b\":1,\"\xc3\xa9\":1},\"total\":7,"
            "\"last\":{\"\":\"Z\",\"u1\":\"a\",\"u2\":\"a b\"},\"avg\":{\"a\":4.5},\"never\":{}}");
  ASSERT_TRUE(p->Process(Ev(15000).item("b").props({{"price", 1}}), ++seq, nullptr));
  // [10 s, 20 s): only b is in the window; the all-time avg keeps a.
  EXPECT_EQ(p->DumpJson(),
            "{\"views\":{\"b\":1},\"total\":8,\"last\":{\"\":\"b\",\"u1\":\"a\",\"u2\":\"a b\"},"
            "\"avg\":{\"a\":4.5,\"b\":1.0},\"never\":{}}");
  EXPECT_EQ(Get(*p, "views", "a"), "0");
  EXPECT_EQ(Get(*p, "views", "nobody"), "0");
  EXPECT_EQ(Get(*p, "avg", "nobody"), "null");
  EXPECT_EQ(Get(*p, "total", "ignored"), "8");  // features without keyBy ignore the key
  EXPECT_EQ(p->Get("missing", "").status().code(), StatusCode::kNotFound);

  auto snap = p->Snapshot("a");
  ASSERT_EQ(snap.size(), 5u);
  EXPECT_EQ(snap[0].first, "views");
  EXPECT_EQ(FeatureValueToJson(snap[0].second), "0");
  EXPECT_EQ(snap[3].first, "avg");
  EXPECT_EQ(FeatureValueToJson(snap[3].second), "4.5");
}

TEST(DumpJsonTest, EventsWithoutTheKeyFieldAreSkippedExceptForUser) {
  auto p = Make(Manifest({{{"name", "by_item"}, {"op", "count"}, {"keyBy", "item"}},
                          {{"name", "by_user"}, {"op", "count"}, {"keyBy", "user"}},
                          {{"name", "by_brand"}, {"op", "count"}, {"keyBy", "props.brand"}},
                          {{"name", "by_session"}, {"op", "count"}, {"keyBy", "session"}},
                          {{"name", "by_cat"}, {"op", "count"}, {"keyBy", "category"}},
                          {{"name", "by_click"}, {"op", "count"}, {"keyBy", "clickId"}}}));
  ASSERT_TRUE(p);
  p->Process(Ev(1000).item("a").props({{"brand", 7}, {"sessionId", "s1"}, {"category", "x"}}), 1, nullptr);
  p->Process(Ev(2000, "click").click("C").props({{"userId", "u"}, {"brand", true}}), 2, nullptr);
  EXPECT_EQ(p->DumpJson(),
            R"({"by_item":{"a":1},"by_user":{"":1,"u":1},"by_brand":{"7":1,"True":1},)"
            R"("by_session":{"s1":1},"by_cat":{"x":1},"by_click":{"C":1}})");
}

// --------------------------------------------------------------- derived features

TEST(DerivedTest, RatioContextAndRate) {
  const int64_t t = 1700000000000;  // 2023-11-14 22:13:20 UTC, a Tuesday
  auto p = Make(Manifest({
      {{"name", "clicks"}, {"op", "count"}, {"keyBy", "item"}, {"filter", "kind == 'click'"}},
      {{"name", "views"}, {"op", "count"}, {"keyBy", "item"}, {"filter", "kind == 'pv'"}},
      {{"name", "ctr"}, {"op", "ratio"}, {"inputs", json::array({"clicks", "views"})}, {"keyBy", "item"}},
      {{"name", "hour"}, {"op", "context"}, {"field", "hour"}},
      {{"name", "weekday"}, {"op", "context"}, {"field", "weekday"}},
      {{"name", "now"}, {"op", "context"}, {"field", "now"}},
      {{"name", "rate"}, {"op", "rate"}, {"numerator", "kind == 'click'"}, {"denominator", "kind == 'pv'"}},
      {{"name", "all_clicks"}, {"op", "count"}, {"filter", "kind == 'click'"}},
      {{"name", "all_views"}, {"op", "count"}, {"filter", "kind == 'pv'"}},
      {{"name", "all_ctr"}, {"op", "ratio"}, {"inputs", json::array({"all_clicks", "all_views"})}},
  }));
  ASSERT_TRUE(p);
  EXPECT_EQ(Get(*p, "hour"), "null");
  EXPECT_EQ(Get(*p, "all_ctr"), "null");
  int64_t seq = 0;
  p->Process(Ev(t).item("a"), ++seq, nullptr);
  p->Process(Ev(t + 1).item("a"), ++seq, nullptr);
  p->Process(Ev(t + 2, "click").item("a"), ++seq, nullptr);
  p->Process(Ev(t + 3, "click").item("b"), ++seq, nullptr);
  p->Process(Ev(t + 4).item("c"), ++seq, nullptr);
  EXPECT_EQ(Get(*p, "ctr", "a"), "0.5");
  EXPECT_EQ(Get(*p, "ctr", "b"), "null");  // b / 0
  EXPECT_EQ(Get(*p, "ctr", "c"), "0.0");
  EXPECT_EQ(Get(*p, "ctr", "d"), "null");
  EXPECT_EQ(Get(*p, "hour"), "22");
  EXPECT_EQ(Get(*p, "weekday"), "1");
  EXPECT_EQ(Get(*p, "now"), std::to_string(t + 4));
  EXPECT_EQ(Get(*p, "rate"), "0.6666666666666666");
  EXPECT_EQ(Get(*p, "all_ctr"), "0.6666666666666666");
  // A keyed ratio prints every key where either input holds state.
  json dump = json::parse(p->DumpJson());
  EXPECT_EQ(dump["ctr"].dump(), R"({"a":0.5,"b":null,"c":0.0})");
  EXPECT_EQ(dump["hour"], 22);
  // Five days later: Sunday, weekday 6.
  p->Process(Ev(t + 5 * 86400000LL + 3600000).item("z"), ++seq, nullptr);
  EXPECT_EQ(Get(*p, "weekday"), "6");
  EXPECT_EQ(Get(*p, "hour"), "23");
}

TEST(DerivedTest, ContextBeforeTheEpoch) {
  auto p = Make(Manifest({{{"name", "hour"}, {"op", "context"}, {"field", "hour"}},
                          {{"name", "weekday"}, {"op", "context"}, {"field", "weekday"}}}));
  ASSERT_TRUE(p);
  p->Process(Ev(-1), 1, nullptr);  // 1969-12-31 23:59:59.999, a Wednesday
  EXPECT_EQ(Get(*p, "hour"), "23");
  EXPECT_EQ(Get(*p, "weekday"), "2");
}

// A keyed ratio prints the keys of its first input's keyBy, also when that
// input is itself a ratio (which has no key group of its own).
TEST(DerivedTest, RatioOfARatioPrintsItsKeys) {
  auto p = Make(Manifest({
      {{"name", "clicks"}, {"op", "count"}, {"keyBy", "item"}, {"filter", "kind == 'click'"}},
      {{"name", "views"}, {"op", "count"}, {"keyBy", "item"}, {"filter", "kind == 'pv'"}},
      {{"name", "ctr"}, {"op", "ratio"}, {"inputs", json::array({"clicks", "views"})}, {"keyBy", "item"}},
      {{"name", "ctr_per_view"}, {"op", "ratio"}, {"inputs", json::array({"ctr", "views"})}, {"keyBy", "item"}},
  }));
  ASSERT_TRUE(p);
  p->Process(Ev(1000).item("a"), 1, nullptr);
  p->Process(Ev(2000, "click").item("a"), 2, nullptr);
  EXPECT_EQ(Get(*p, "ctr_per_view", "a"), "1.0");
  EXPECT_EQ(json::parse(p->DumpJson())["ctr_per_view"].dump(), R"({"a":1.0})");
}

TEST(DerivedTest, TransformsAreAppliedInGetSnapshotAndDump) {
  auto p = Make(Manifest({
      {{"name", "recent"}, {"op", "last_n"}, {"value", "itemId"}, {"n", 3},
       {"transform", json::array({{{"op", "vocab"}, {"vocabulary", json::array({"a", "b", "c"})}},
                                  {{"op", "pad"}, {"length", 4}}})}},
      {{"name", "scaled"}, {"op", "last"}, {"value", "props.get('v')"},
       {"transform", json::array({{{"op", "min_max"}, {"min", 0}, {"max", 10}}})}},
  }));
  ASSERT_TRUE(p);
  EXPECT_EQ(Get(*p, "recent"), "[0.0,0.0,0.0,0.0]");  // an empty list, padded
  p->Process(Ev(1000).item("b").props({{"v", 5}}), 1, nullptr);
  p->Process(Ev(2000).item("a"), 2, nullptr);
  p->Process(Ev(3000).item("z"), 3, nullptr);
  EXPECT_EQ(Get(*p, "recent"), "[2.0,1.0,0.0,0.0]");  // b a z: 2 1 oov(0), padded right
  EXPECT_EQ(Get(*p, "scaled"), "0.5");
  EXPECT_EQ(FeatureValueToJson(p->Snapshot("")[0].second), "[2.0,1.0,0.0,0.0]");
  EXPECT_EQ(p->DumpJson(), R"({"recent":[2.0,1.0,0.0,0.0],"scaled":0.5})");
  EXPECT_EQ(p->Stats().transform_errors, 0);
  // A value the transform cannot take: Get fails, the counter counts it.
  p->Process(Ev(4000).item("q").props({{"v", "abc"}}), 4, nullptr);
  auto v = p->Get("scaled", "");
  EXPECT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("min_max"), std::string::npos) << v.status().ToString();
  EXPECT_GE(p->Stats().transform_errors, 1);
}

// --------------------------------------------------------------- maxKeys

TEST(MaxKeysTest, EvictsTheLeastRecentlyUpdatedKeyInEveryFeatureOfTheKeyBy) {
  auto p = Make(Manifest({
      {{"name", "n"}, {"op", "count"}, {"keyBy", "item"}, {"maxKeys", 5}},
      {{"name", "last_page"}, {"op", "last"}, {"value", "pageId"}, {"keyBy", "item"}, {"maxKeys", 2}},
      {{"name", "by_page"}, {"op", "count"}, {"keyBy", "page"}},
  }));
  ASSERT_TRUE(p);
  int64_t seq = 0;
  auto add = [&](const std::string& item, int64_t ts) {
    ASSERT_TRUE(p->Process(Ev(ts).item(item).page("P" + item), ++seq, nullptr));
  };
  add("a", 1000);
  add("b", 2000);
  add("a", 3000);  // a is now the most recent: b is the least recently updated
  add("c", 4000);  // the smallest maxKeys (2) of the keyBy holds: b loses its state in both
  EXPECT_EQ(json::parse(p->DumpJson())["n"].dump(), R"({"a":2,"c":1})");
  EXPECT_EQ(json::parse(p->DumpJson())["last_page"].dump(), R"({"a":"Pa","c":"Pc"})");
  EXPECT_EQ(p->Stats().evicted_keys, 1);
  add("b", 5000);  // back with no history; a (updated at 3 s) goes
  EXPECT_EQ(json::parse(p->DumpJson())["n"].dump(), R"({"b":1,"c":1})");
  EXPECT_EQ(p->Stats().evicted_keys, 2);
  // Another keyBy is not affected.
  EXPECT_EQ(json::parse(p->DumpJson())["by_page"].dump(), R"({"Pa":2,"Pb":2,"Pc":1})");
  EXPECT_EQ(p->Stats().keys, 2 + 3);
}

TEST(MaxKeysTest, ArrivalOrderNotEventTimeDecidesRecency) {
  auto p = Make(Manifest({{{"name", "n"}, {"op", "count"}, {"keyBy", "item"}, {"maxKeys", 2}}}));
  ASSERT_TRUE(p);
  p->Process(Ev(5000).item("a"), 1, nullptr);
  p->Process(Ev(1000).item("b"), 2, nullptr);  // late but accepted: updated after a
  p->Process(Ev(6000).item("c"), 3, nullptr);
  EXPECT_EQ(json::parse(p->DumpJson())["n"].dump(), R"({"b":1,"c":1})");
}

// --------------------------------------------------------------- checkpoints

// A stream with everything the acceptance rules and the features care about:
// several users, items and pages, action clicks, out-of-order, late (beyond
// 60 s) and duplicated events, int and float prices, missing fields.
std::vector<Event> RandomStream(uint64_t seed, int n, bool float_prices = true) {
  std::mt19937_64 rng(seed);
  const std::vector<std::string> pages = {"Home", "Detail", "List", "Pay"};
  const std::vector<std::string> actions = {"_AddCart", "_Favorite", "_Order", "_Search", "_Share", "_Other"};
  const std::vector<std::string> categories = {"shoes", "bags", "hats", "toys", "food"};
  std::vector<Event> out;
  int64_t ts = 1700000000000;
  for (int i = 0; i < n; ++i) {
    const uint64_t r = rng() % 100;
    if (r < 4 && !out.empty()) {
      out.push_back(out[out.size() - 1 - rng() % std::min<size_t>(out.size(), 30)]);  // a duplicate (or late)
      continue;
    }
    int64_t t = r < 88 ? (ts += static_cast<int64_t>(rng() % 9000)) : ts - static_cast<int64_t>(rng() % 90000);
    const std::string page = pages[rng() % pages.size()];
    const uint64_t k = rng() % 10;
    Ev e(t, k < 5 ? "pv" : k < 8 ? "click" : "exposure");
    e.page(page);
    if (rng() % 10) e.item("i" + std::to_string(rng() % 30));
    if (k >= 5 && k < 8) e.click(page + actions[rng() % actions.size()]);
    json props = json::object();
    if (rng() % 10) props["userId"] = "u" + std::to_string(rng() % 6);
    if (rng() % 4) {
      if (float_prices && rng() % 2) {
        props["price"] = static_cast<double>(rng() % 10000) / 100.0;
      } else {
        props["price"] = static_cast<int64_t>(rng() % 500);
      }
    }
    if (rng() % 3) props["category"] = categories[rng() % categories.size()];
    if (rng() % 5 == 0) props["dwellMs"] = static_cast<int64_t>(rng() % 60000);
    e.props(props);
    out.push_back(e);
  }
  return out;
}

// Features of every window type and most ops, a ratio, context, a transform,
// eviction (items), and three patterns.
json FullManifest() {
  const json session5m = {{"type", "session"}, {"gap", "5m"}};
  return json{
      {"pipeline", {{"allowedLatenessMs", 60000}}},
      {"features",
       {
           {{"name", "events"}, {"op", "count"}},
           {{"name", "pv_min"}, {"op", "count"}, {"filter", "kind == 'pv'"}, {"keyBy", "user"},
            {"window", {{"type", "tumbling"}, {"size", "1m"}}}},
           {{"name", "views_item"}, {"op", "count"}, {"keyBy", "item"}, {"maxKeys", 12},
            {"window", {{"type", "sliding"}, {"size", "10m"}, {"slide", "4m"}}}},
           {{"name", "clicks_item"}, {"op", "count"}, {"keyBy", "item"}, {"filter", "kind == 'click'"},
            {"window", {{"type", "sliding"}, {"size", "10m"}, {"slide", "4m"}}}},
           {{"name", "ctr_item"}, {"op", "ratio"}, {"keyBy", "item"},
            {"inputs", json::array({"clicks_item", "views_item"})}},
           {{"name", "avg_price"}, {"op", "avg"}, {"value", "props.get('price')"}, {"keyBy", "user"},
            {"window", {{"type", "sliding"}, {"size", "5m"}, {"slide", "2m"}}}},
           {{"name", "sum_price"}, {"op", "sum"}, {"value", "props.get('price')"}, {"window", "10m"}},
           {{"name", "sum_price_all"}, {"op", "sum"}, {"value", "props.get('price')"}},
           {{"name", "min_price"}, {"op", "min"}, {"value", "props.get('price')"}, {"keyBy", "item"},
            {"window", "1h"}},
           {{"name", "max_price"}, {"op", "max"}, {"value", "props.get('price')"}, {"keyBy", "item"},
            {"window", "1h"}},
           {{"name", "distinct_items"}, {"op", "distinct_count"}, {"value", "itemId"}, {"exact", 8},
            {"keyBy", "user"}, {"window", "30m"}},
           {{"name", "distinct_all"}, {"op", "distinct_count"}, {"value", "itemId"}, {"exact", 10}},
           {{"name", "recent"}, {"op", "last_n"}, {"value", "itemId"}, {"n", 5}, {"keyBy", "user"}},
           {{"name", "top_cat"}, {"op", "top_k"}, {"value", "props.get('category')"}, {"k", 3},
            {"window", {{"type", "tumbling"}, {"size", "1h"}}}},
           {{"name", "pref"}, {"op", "category_preference"}, {"keyBy", "user"}, {"window", "20m"}},
           {{"name", "first_page"}, {"op", "first"}, {"value", "pageId"}, {"keyBy", "user"}, {"window", session5m}},
           {{"name", "last_page"}, {"op", "last"}, {"value", "pageId"}, {"keyBy", "user"}, {"window", session5m}},
           {{"name", "since_click"}, {"op", "time_since_last"}, {"filter", "kind == 'click'"}, {"keyBy", "user"},
            {"window", "30m"}},
           {{"name", "session_len"}, {"op", "span"}, {"keyBy", "user"}, {"window", session5m}},
           {{"name", "session_n"}, {"op", "session_count"}, {"keyBy", "user"}, {"window", session5m}},
           {{"name", "session_pv"}, {"op", "session_pv_count"}, {"keyBy", "user"}},
           {{"name", "cart_rate"}, {"op", "view_cart_rate"}, {"keyBy", "user"}},
           {{"name", "dwell"}, {"op", "dwell_time_avg"}},
           {{"name", "hour"}, {"op", "hour_of_day"}},
           {{"name", "recent_vec"}, {"op", "recent_items"}, {"n", 4},
            {"transform", json::array({{{"op", "hash"}, {"buckets", 97}}, {{"op", "pad"}, {"length", 4}}})}},
       }},
      {"patterns",
       {
           {{"name", "cart_abandon"}, {"keyBy", "user"}, {"withinMs", 600000},
            {"steps", json::array({{{"name", "view"}, {"where", "kind == 'pv' and pageId == 'Detail'"}},
                                   {{"name", "cart"}, {"where", "clickId is not None and clickId.endswith('_AddCart')"},
                                    {"times", json::array({1, nullptr})}},
                                   {{"not", "pageId == 'Pay'"}},
                                   {{"name", "home"}, {"where", "pageId == 'Home'"}}})},
            {"action", {{"task", "T"}}}},
           {{"name", "repeat_view"}, {"keyBy", "item"}, {"withinMs", 3600000},
            {"steps", json::array({{{"name", "views"}, {"where", "kind == 'pv'"}, {"times", 3}}})},
            {"action", {{"broadcast", "reach.push"}, {"message", {{"template", "x"}}}}}},
           {{"name", "list_then_click"}, {"keyBy", "user"}, {"contiguity", "strict"}, {"maxPartialsPerKey", 2},
            {"steps", json::array({{{"name", "list"}, {"where", "pageId == 'List'"}},
                                   {{"name", "click"}, {"where", "kind == 'click'"}, {"optional", false}}})},
            {"action", {{"task", "T"}}}},
       }},
  };
}

std::string MatchText(const PatternMatch& m) {
  json j = {{"pattern", m.pattern}, {"key", m.key}, {"ts", m.ts_ms}, {"startTs", m.start_ts_ms}, {"seqs", m.seqs}};
  return j.dump();
}

// What a run observes: the dumps read every `read_every` events, the final
// dump, and every match.
struct Observed {
  std::vector<std::string> reads;
  std::vector<std::string> matches;
  std::string final_dump;
  PipelineStats stats;
};

void Feed(Pipeline& p, const std::vector<Event>& events, size_t from, size_t to, int read_every, Observed* o) {
  std::vector<PatternMatch> matches;
  for (size_t i = from; i < to; ++i) {
    matches.clear();
    p.Process(events[i], static_cast<int64_t>(i) + 1, &matches);
    for (const auto& m : matches) o->matches.push_back(MatchText(m));
    if (read_every > 0 && (i + 1) % static_cast<size_t>(read_every) == 0) o->reads.push_back(p.DumpJson());
  }
}

// Processes `events`, checkpointing and restoring into a new pipeline at each
// of `splits` (ascending event indices).
Observed RunStream(const std::shared_ptr<const PipelineSpec>& spec, const std::vector<Event>& events,
             const std::vector<size_t>& splits, int read_every) {
  Observed o;
  auto p = Make(spec);
  size_t at = 0;
  for (size_t split : splits) {
    Feed(*p, events, at, split, read_every, &o);
    at = split;
    std::string blob;
    p->Save(&blob);
    p = Make(spec);
    Status s = p->Restore(blob);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  Feed(*p, events, at, events.size(), read_every, &o);
  o.final_dump = p->DumpJson();
  o.stats = p->Stats();
  return o;
}

void ExpectSameRun(const Observed& a, const Observed& b, const std::string& what) {
  ASSERT_EQ(a.reads.size(), b.reads.size()) << what;
  for (size_t i = 0; i < a.reads.size(); ++i) {
    if (a.reads[i] != b.reads[i]) {
      json x = json::parse(a.reads[i]), y = json::parse(b.reads[i]);
      for (auto it = x.begin(); it != x.end(); ++it) {
        EXPECT_EQ(it.value().dump(), y[it.key()].dump()) << what << ", read " << i << ", feature " << it.key();
      }
      return;
    }
  }
  EXPECT_EQ(a.final_dump, b.final_dump) << what;
  EXPECT_EQ(a.matches, b.matches) << what;
  EXPECT_EQ(a.stats.accepted, b.stats.accepted) << what;
  EXPECT_EQ(a.stats.late, b.stats.late) << what;
  EXPECT_EQ(a.stats.duplicates, b.stats.duplicates) << what;
  EXPECT_EQ(a.stats.matches, b.stats.matches) << what;
  EXPECT_EQ(a.stats.evicted_keys, b.stats.evicted_keys) << what;
}

TEST(CheckpointTest, FullManifestParses) {
  auto spec = Spec(FullManifest());
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->features.size(), 25u);
  EXPECT_EQ(spec->pattern_json.size(), 3u);
  EXPECT_EQ(spec->fingerprint.size(), 16u);
}

// Integer prices only: every value is exact, so any difference is a lost or
// doubled piece of state. Reads happen at the same events in both runs.
TEST(CheckpointTest, RestoreAtRandomPointsEqualsAnUninterruptedRun) {
  auto spec = Spec(FullManifest());
  ASSERT_TRUE(spec);
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::vector<Event> events = RandomStream(seed, 2000, /*float_prices=*/false);
    std::mt19937_64 rng(seed * 7919);
    Observed whole = RunStream(spec, events, {}, kReadEvery);
    EXPECT_GT(whole.matches.size(), 0u) << "seed " << seed << ": the stream should match the patterns";
    EXPECT_GT(whole.stats.late, 0) << "seed " << seed;
    EXPECT_GT(whole.stats.duplicates, 0) << "seed " << seed;
    std::vector<size_t> one = {1 + rng() % (events.size() - 1)};
    ExpectSameRun(whole, RunStream(spec, events, one, kReadEvery),
                  "seed " + std::to_string(seed) + ", split at " + std::to_string(one[0]));
    std::vector<size_t> many = {rng() % 700, 700 + rng() % 600, 1300 + rng() % 699};
    ExpectSameRun(whole, RunStream(spec, events, many, kReadEvery), "seed " + std::to_string(seed) + ", three splits");
    if (::testing::Test::HasFailure()) return;
  }
}

// The same with float prices, reading every 5 events (25 under sanitizers):
// a window's merged state must
// depend only on its panes, not on when it was last read or restored, or
// float sums round differently in the last bits (features.md: a restore
// "equals an uninterrupted run").
TEST(CheckpointTest, RestoreWithFloatValuesEqualsAnUninterruptedRun) {
  auto spec = Spec(FullManifest());
  ASSERT_TRUE(spec);
  for (uint64_t seed = 1; seed <= kFloatSeeds; ++seed) {
    std::vector<Event> events = RandomStream(seed, 2000, /*float_prices=*/true);
    std::mt19937_64 rng(seed * 104729);
    Observed whole = RunStream(spec, events, {}, kFloatReadEvery);
    std::vector<size_t> one = {1 + rng() % (events.size() - 1)};
    ExpectSameRun(whole, RunStream(spec, events, one, kFloatReadEvery), "seed " + std::to_string(seed) + ", split at " +
                                                         std::to_string(one[0]));
    if (::testing::Test::HasFailure()) return;
  }
}

// Reading a feature must not change what later reads return.
// Reading a feature must not change what later reads return ("a replay gives
// the same values as the live run", whether or not tasks read features).
TEST(CheckpointTest, ReadsDoNotChangeLaterValues) {
  auto spec = Spec(FullManifest());
  ASSERT_TRUE(spec);
  for (uint64_t seed = 1; seed <= kFloatSeeds / 2; ++seed) {
    std::vector<Event> events = RandomStream(seed, 2000, /*float_prices=*/true);
    Observed reading = RunStream(spec, events, {}, 7);
    Observed quiet = RunStream(spec, events, {}, 0);
    EXPECT_EQ(reading.final_dump, quiet.final_dump) << "seed " << seed;
    EXPECT_EQ(reading.matches, quiet.matches) << "seed " << seed;
    if (::testing::Test::HasFailure()) return;
  }
}

// pipeline.h: on a failed Restore "the pipeline is left empty (as new)",
// pattern runs included, so later events cannot complete earlier partials.
TEST(CheckpointTest, RestoreUnderAnotherSpecFailsAndLeavesThePipelineEmpty) {
  json manifest = FullManifest();
  auto spec_a = Spec(manifest);
  manifest["features"][1]["window"]["size"] = "2m";
  auto spec_b = Spec(manifest);
  ASSERT_TRUE(spec_a && spec_b);
  EXPECT_NE(spec_a->fingerprint, spec_b->fingerprint);
  std::vector<Event> events = RandomStream(3, 400);
  auto a = Make(spec_a);
  for (size_t i = 0; i < events.size(); ++i) a->Process(events[i], static_cast<int64_t>(i) + 1, nullptr);
  std::string blob;
  a->Save(&blob);

  // b has state of its own (feature values and partial matches) before the restore.
  auto b = Make(spec_b);
  for (size_t i = 0; i < events.size(); ++i) b->Process(events[i], static_cast<int64_t>(i) + 1, nullptr);
  Status s = b->Restore(blob);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  auto fresh = Make(spec_b);
  EXPECT_EQ(b->DumpJson(), fresh->DumpJson());
  EXPECT_EQ(b->last_seq(), 0);
  EXPECT_EQ(b->now_ms(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(b->Stats().accepted, 0);
  EXPECT_EQ(b->Stats().keys, 0);
  EXPECT_EQ(b->Stats().partial_matches, 0) << "pattern runs survived the failed restore";
  // And it goes on as a new pipeline would.
  std::vector<Event> more = RandomStream(4, 600);
  Observed after_b, after_fresh;
  std::vector<Event> shifted = events;
  shifted.insert(shifted.end(), more.begin(), more.end());
  Feed(*b, shifted, events.size(), shifted.size(), 0, &after_b);
  Feed(*fresh, shifted, events.size(), shifted.size(), 0, &after_fresh);
  EXPECT_EQ(b->DumpJson(), fresh->DumpJson());
  EXPECT_EQ(after_b.matches, after_fresh.matches);
}

TEST(CheckpointTest, ACheckpointOfAnEmptyPipelineRestores) {
  auto spec = Spec(FullManifest());
  auto p = Make(spec);
  std::string blob;
  p->Save(&blob);
  auto q = Make(spec);
  ASSERT_TRUE(q->Restore(blob).ok());
  EXPECT_EQ(q->DumpJson(), p->DumpJson());
  EXPECT_EQ(q->Restore("").code(), StatusCode::kCorruption);
}

// After a failed restore the pipeline must be as new; after a successful one
// (a flip in a value may still decode) it must be usable. Never a crash.
void ExpectUsable(Pipeline& p, const std::vector<Event>& tail, int64_t first_seq) {
  for (size_t i = 0; i < tail.size(); ++i) p.Process(tail[i], first_seq + static_cast<int64_t>(i), nullptr);
  std::string dump = p.DumpJson();
  EXPECT_FALSE(json::parse(dump, nullptr, false).is_discarded()) << dump;
  p.Snapshot("u1");
  p.Stats();
  std::string again;
  p.Save(&again);
}

TEST(CheckpointTest, EveryTruncationIsAnErrorAndLeavesThePipelineEmpty) {
  auto spec = Spec(FullManifest());
  std::vector<Event> events = RandomStream(11, kTruncatedEvents);
  auto p = Make(spec);
  for (size_t i = 0; i < events.size(); ++i) p->Process(events[i], static_cast<int64_t>(i) + 1, nullptr);
  std::string blob;
  p->Save(&blob);
  ASSERT_GT(blob.size(), 100u);
  auto fresh = Make(spec);
  const std::string empty_dump = fresh->DumpJson();
  std::vector<Event> tail = RandomStream(12, 20);
  for (auto& e : tail) e.ts_ms += 10000000;
  for (size_t n = 0; n < blob.size(); ++n) {
    auto q = Make(spec);
    Status s = q->Restore(std::string_view(blob).substr(0, n));
    ASSERT_FALSE(s.ok()) << "a checkpoint cut at byte " << n << " of " << blob.size() << " restored";
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
    EXPECT_EQ(q->DumpJson(), empty_dump) << "cut at " << n;
    EXPECT_EQ(q->last_seq(), 0) << "cut at " << n;
    if (n % kUsableEvery == 0) ExpectUsable(*q, tail, 1000);
  }
}

TEST(CheckpointTest, RandomByteFlipsGiveAnErrorOrAUsableState) {
  auto spec = Spec(FullManifest());
  std::vector<Event> events = RandomStream(13, 300);
  auto p = Make(spec);
  for (size_t i = 0; i < events.size(); ++i) p->Process(events[i], static_cast<int64_t>(i) + 1, nullptr);
  std::string blob;
  p->Save(&blob);
  std::vector<Event> tail = RandomStream(14, 20);
  for (auto& e : tail) e.ts_ms += 10000000;
  std::mt19937_64 rng(99);
  int refused = 0;
  for (int i = 0; i < 500; ++i) {
    std::string bad = blob;
    const size_t at = rng() % bad.size();
    bad[at] = static_cast<char>(bad[at] ^ static_cast<char>(1 + rng() % 255));
    auto q = Make(spec);
    Status s = q->Restore(bad);
    if (!s.ok()) {
      ++refused;
      EXPECT_TRUE(s.code() == StatusCode::kCorruption || s.code() == StatusCode::kFailedPrecondition)
          << s.ToString();
      EXPECT_EQ(q->last_seq(), 0);
    }
    ExpectUsable(*q, tail, 5000);
  }
  EXPECT_GT(refused, 0);
}

// --------------------------------------------------------------- counters and memory

TEST(StatsTest, CountersCountWhatTheyName) {
  auto p = Make(Manifest(
      {{{"name", "v"}, {"op", "sum"}, {"value", "props['v']"}, {"keyBy", "item"}, {"maxKeys", 2}},
       {{"name", "t"}, {"op", "last"}, {"value", "props.get('s')"},
        {"transform", json::array({{{"op", "min_max"}, {"min", 0}, {"max", 1}}})}}},
      json{{"allowedLatenessMs", 1000}},
      json::array({{{"name", "two"}, {"keyBy", "item"},
                    {"steps", json::array({{{"name", "a"}, {"where", "kind == 'pv'"}},
                                           {{"name", "b"}, {"where", "kind == 'click'"}}})},
                    {"action", {{"task", "T"}}}}})));
  ASSERT_TRUE(p);
  int64_t seq = 0;
  std::vector<PatternMatch> m;
  p->Process(Ev(10000).item("a").props({{"v", 1}}), ++seq, &m);
  p->Process(Ev(10000).item("a").props({{"v", 1}}), ++seq, &m);  // duplicate
  p->Process(Ev(8000).item("a").props({{"v", 1}}), ++seq, &m);   // late
  p->Process(Ev(10001).item("b"), ++seq, &m);                     // props['v'] raises
  p->Process(Ev(10002).item("c").props({{"v", 2}}), ++seq, &m);   // b got no state: a and c fit
  p->Process(Ev(10003, "click").item("c").props({{"v", 3}, {"s", "x"}}), ++seq, &m);  // matches "two" for c
  PipelineStats s = p->Stats();
  EXPECT_EQ(s.accepted, 4);
  EXPECT_EQ(s.duplicates, 1);
  EXPECT_EQ(s.late, 1);
  EXPECT_EQ(s.value_errors, 1);
  EXPECT_EQ(s.matches, 1);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].key, "c");
  EXPECT_EQ(m[0].seqs, (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(s.partial_matches, 2);  // the runs of a and b, still at step 0
  EXPECT_GE(s.partial_matches_peak, 3);
  EXPECT_GT(s.approx_bytes, 0u);
  EXPECT_EQ(s.transform_errors, 0);
  EXPECT_FALSE(p->Get("t", "").ok());  // min_max of "x"
  EXPECT_EQ(p->Stats().transform_errors, 1);
  EXPECT_EQ(json::parse(p->DumpJson())["v"].dump(), R"({"a":1,"c":5})");
  EXPECT_EQ(p->Stats().keys, 2 + 1);  // a and c by item, and the one key of "t"
  EXPECT_EQ(p->Stats().evicted_keys, 0);
}

// Expired panes go when an event is added, not only when a window is read: a
// key that is written and never read must not keep its whole history.
TEST(MemoryTest, StateStopsGrowingOnceTheWindowsSlide) {
  auto p = Make(Manifest(
      {{{"name", "views"}, {"op", "count"}, {"keyBy", "item"},
        {"window", {{"type", "sliding"}, {"size", "10m"}, {"slide", "1m"}}}},
       {{"name", "avg"}, {"op", "avg"}, {"value", "props.p"}, {"keyBy", "item"}, {"window", "5m"}},
       {{"name", "last"}, {"op", "last_n"}, {"value", "pageId"}, {"n", 3}, {"keyBy", "item"},
        {"window", {{"type", "tumbling"}, {"size", "1m"}}}},
       {{"name", "sess"}, {"op", "count"}, {"keyBy", "item"}, {"window", {{"type", "session"}, {"gap", "2m"}}}}},
      nullptr,
      json::array({{{"name", "rv"}, {"keyBy", "item"}, {"withinMs", 60000},
                    {"steps", json::array({{{"name", "v"}, {"where", "kind == 'pv'"}, {"times", 2}}})},
                    {"action", {{"task", "T"}}}}})));
  ASSERT_TRUE(p);
  std::mt19937_64 rng(5);
  size_t at_100k = 0;
  for (int i = 1; i <= 200000; ++i) {
    // 100 ms apart: each of the 20k items comes back about every 2000 s, far
    // beyond every window.
    Ev e(1700000000000 + int64_t{100} * i);
    e.item("i" + std::to_string(rng() % 20000)).page("P" + std::to_string(rng() % 7)).props({{"p", i % 13}});
    p->Process(e, i, nullptr);
    if (i == 100000) at_100k = p->Stats().approx_bytes;
  }
  const size_t at_200k = p->Stats().approx_bytes;
  EXPECT_LT(static_cast<double>(at_200k), 1.3 * static_cast<double>(at_100k))
      << "approx_bytes " << at_100k << " at 100k events, " << at_200k << " at 200k";
}

}  // namespace
}  // namespace edgeflow::pipeline
