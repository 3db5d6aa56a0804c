// Feature definitions and their units (docs/features.md): every aggregate on
// small hand-computed streams, the four window types against a brute-force
// reference written from the window table, HyperLogLog against a CPython
// reimplementation of its spelled-out hash and estimator, durations, malformed
// definitions, and the feature library against its documentation tables.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/feature_def.h"
#include "pipeline/feature_library.h"
#include "pipeline/hyperloglog.h"
#include "pipeline/pipeline.h"
#include "pipeline/window.h"

namespace edgeflow::pipeline {
namespace {

using nlohmann::json;

constexpr const char* kWhere = "b/manifest.json";

Result<std::string> NoResources(const std::string& name) {
  return Status::NotFound("no resource " + name);
}

// One event, built field by field.
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

// A pipeline over one manifest, fed with increasing seqs.
class Harness {
 public:
  explicit Harness(const json& manifest) {
    auto spec = ParsePipelineSpec(manifest, kWhere, NoResources);
    if (!spec.ok()) {
      ADD_FAILURE() << spec.status().ToString() << "\n" << manifest.dump();
      return;
    }
    auto p = Pipeline::Create(*spec);
    if (!p.ok()) {
      ADD_FAILURE() << p.status().ToString();
      return;
    }
    p_ = std::move(p).value();
  }
  bool ok() const { return p_ != nullptr; }
  bool Add(const Event& e) { return p_->Process(e, ++seq_, &matches_); }
  std::string Get(const std::string& name, const std::string& key = "") {
    auto v = p_->Get(name, key);
    return v.ok() ? FeatureValueToJson(*v) : "error: " + v.status().ToString();
  }
  Pipeline& pipeline() { return *p_; }

 private:
  std::unique_ptr<Pipeline> p_;
  int64_t seq_ = 0;
  std::vector<PatternMatch> matches_;
};

json Features(std::vector<json> features, const json& config = nullptr) {
  json m = {{"features", features}};
  if (!config.is_null()) m["pipeline"] = config;
  return m;
}

// --------------------------------------------------------------- aggregates

// Six page views; the last one arrives late (ts 500) but within the default
// lateness. By (ts, arrival) the items are d a b a c b.
//   seq ts    item price  category
//   1   1000  a    10     shoes
//   2   2000  b    2.5    bags
//   3   3000  a    -      shoes
//   4   4000  c    "abc"  shoes
//   5   5000  b    true   -
//   6   500   d    7      hats
std::vector<Event> SixViews() {
  return {Ev(1000).item("a").props({{"price", 10}, {"category", "shoes"}}),
          Ev(2000).item("b").props({{"price", 2.5}, {"category", "bags"}}),
          Ev(3000).item("a").props({{"category", "shoes"}}),
          Ev(4000).item("c").props({{"price", "abc"}, {"category", "shoes"}}),
          Ev(5000).item("b").props({{"price", true}}),
          Ev(500).item("d").props({{"price", 7}, {"category", "hats"}})};
}

TEST(AggregateTest, EveryOpOnASmallStream) {
  const std::string price = "props.get('price')";
  Harness h(Features({
      {{"name", "count"}, {"op", "count"}},
      {{"name", "sum"}, {"op", "sum"}, {"value", price}},
      {{"name", "sum_int"}, {"op", "sum"}, {"value", price}, {"filter", "itemId != 'b'"}},
      {{"name", "avg"}, {"op", "avg"}, {"value", price}},
      {{"name", "min"}, {"op", "min"}, {"value", price}},
      {{"name", "max"}, {"op", "max"}, {"value", price}},
      {{"name", "distinct_items"}, {"op", "distinct_count"}, {"value", "itemId"}},
      {{"name", "distinct_prices"}, {"op", "distinct_count"}, {"value", price}},
      {{"name", "last3"}, {"op", "last_n"}, {"value", "itemId"}, {"n", 3}},
      {{"name", "last_all"}, {"op", "last_n"}, {"value", "itemId"}},
      {{"name", "top2"}, {"op", "top_k"}, {"value", "itemId"}, {"k", 2}},
      {{"name", "top3"}, {"op", "top_k"}, {"value", "itemId"}, {"k", 3}},
      {{"name", "by_cat"}, {"op", "count_by"}, {"value", "props.get('category')"}},
      {{"name", "pref_cat"}, {"op", "count_by"}, {"value", "props.get('category')"}, {"normalize", true}},
      {{"name", "first_item"}, {"op", "first"}, {"value", "itemId"}},
      {{"name", "last_item"}, {"op", "last"}, {"value", "itemId"}},
      {{"name", "first_price"}, {"op", "first"}, {"value", price}},
      {{"name", "last_price"}, {"op", "last"}, {"value", price}},
      {{"name", "since_any"}, {"op", "time_since_last"}},
      {{"name", "since_c"}, {"op", "time_since_last"}, {"filter", "itemId == 'c'"}},
      {{"name", "span"}, {"op", "span"}},
      {{"name", "span_a"}, {"op", "span"}, {"filter", "itemId == 'a'"}},
      {{"name", "rate_a"}, {"op", "rate"}, {"numerator", "itemId == 'a'"}, {"denominator", "kind == 'pv'"}},
      {{"name", "doubled"}, {"op", "sum"}, {"value", "props['price'] * 2"}},
  }));
  ASSERT_TRUE(h.ok());
  for (const Event& e : SixViews()) ASSERT_TRUE(h.Add(e));

  EXPECT_EQ(h.Get("count"), "6");
  // Numbers 10, 2.5, True, 7 ("abc" is not a number, seq 3 has none).
  EXPECT_EQ(h.Get("sum"), "20.5");
  EXPECT_EQ(h.Get("sum_int"), "17");  // 10 + 7, still an int
  EXPECT_EQ(h.Get("avg"), "5.125");   // 20.5 / 4
  EXPECT_EQ(h.Get("min"), "true");    // Python: min(10, 2.5, True, 7) is True
  EXPECT_EQ(h.Get("max"), "10");
  EXPECT_EQ(h.Get("distinct_items"), "4");
  EXPECT_EQ(h.Get("distinct_prices"), "5");  // "10" "2.5" "abc" "True" "7"
  EXPECT_EQ(h.Get("last3"), R"(["a","c","b"])");
  EXPECT_EQ(h.Get("last_all"), R"(["d","a","b","a","c","b"])");
  EXPECT_EQ(h.Get("top2"), R"(["a","b"])");
  EXPECT_EQ(h.Get("top3"), R"(["a","b","c"])");  // c and d tie: string order
  EXPECT_EQ(h.Get("by_cat"), R"({"bags":1.0,"hats":1.0,"shoes":3.0})");
  EXPECT_EQ(h.Get("pref_cat"), R"({"bags":0.2,"hats":0.2,"shoes":0.6})");
  EXPECT_EQ(h.Get("first_item"), R"("d")");
  EXPECT_EQ(h.Get("last_item"), R"("b")");
  EXPECT_EQ(h.Get("first_price"), "7");
  EXPECT_EQ(h.Get("last_price"), "true");
  EXPECT_EQ(h.Get("since_any"), "0");
  EXPECT_EQ(h.Get("since_c"), "1000");
  EXPECT_EQ(h.Get("span"), "4500");
  EXPECT_EQ(h.Get("span_a"), "2000");
  EXPECT_EQ(h.Get("rate_a"), "0.3333333333333333");
  // 20 + 5.0 + ("abcabc": not a number) + 2 + 14; seq 3 raises KeyError.
  EXPECT_EQ(h.Get("doubled"), "41.0");
  EXPECT_EQ(h.pipeline().Stats().value_errors, 1);
}

TEST(AggregateTest, EqualTimestampsAreOrderedByArrival) {
  Harness h(Features({{{"name", "first"}, {"op", "first"}, {"value", "itemId"}},
                      {{"name", "last"}, {"op", "last"}, {"value", "itemId"}},
                      {{"name", "last2"}, {"op", "last_n"}, {"value", "itemId"}, {"n", 2}},
                      {{"name", "min"}, {"op", "min"}, {"value", "props.v"}},
                      {{"name", "max"}, {"op", "max"}, {"value", "props.v"}}}));
  ASSERT_TRUE(h.ok());
  h.Add(Ev(1000).item("x").props({{"v", 1.0}}));
  h.Add(Ev(1000).item("y").props({{"v", 1}}));
  h.Add(Ev(1000).item("z").props({{"v", 1}}));
  EXPECT_EQ(h.Get("first"), R"("x")");
  EXPECT_EQ(h.Get("last"), R"("z")");
  EXPECT_EQ(h.Get("last2"), R"(["y","z"])");
  // Ties go to the earliest event, as Python's min and max: 1.0 comes first.
  EXPECT_EQ(h.Get("min"), "1.0");
  EXPECT_EQ(h.Get("max"), "1.0");
}

TEST(AggregateTest, NoEventsGiveTheEmptyValues) {
  Harness h(Features({
      {{"name", "count"}, {"op", "count"}, {"filter", "kind == 'none'"}},
      {{"name", "sum"}, {"op", "sum"}, {"value", "props.v"}, {"filter", "kind == 'none'"}},
      {{"name", "avg"}, {"op", "avg"}, {"value", "props.v"}, {"filter", "kind == 'none'"}},
      {{"name", "min"}, {"op", "min"}, {"value", "props.v"}, {"filter", "kind == 'none'"}},
      {{"name", "max"}, {"op", "max"}, {"value", "props.v"}, {"filter", "kind == 'none'"}},
      {{"name", "distinct"}, {"op", "distinct_count"}, {"value", "props.v"}, {"filter", "kind == 'none'"}},
      {{"name", "last_n"}, {"op", "last_n"}, {"value", "props.v"}, {"filter", "kind == 'none'"}},
      {{"name", "top_k"}, {"op", "top_k"}, {"value", "props.v"}, {"filter", "kind == 'none'"}},
      {{"name", "count_by"}, {"op", "count_by"}, {"value", "props.v"}, {"filter", "kind == 'none'"}},
      {{"name", "first"}, {"op", "first"}, {"value", "props.v"}, {"filter", "kind == 'none'"}},
      {{"name", "last"}, {"op", "last"}, {"value", "props.v"}, {"filter", "kind == 'none'"}},
      {{"name", "since"}, {"op", "time_since_last"}, {"filter", "kind == 'none'"}},
      {{"name", "span"}, {"op", "span"}, {"filter", "kind == 'none'"}},
      {{"name", "rate"}, {"op", "rate"}, {"numerator", "kind == 'none'"}, {"denominator", "kind == 'none'"}},
      {{"name", "sessions"}, {"op", "session_count"}, {"filter", "kind == 'none'"},
       {"window", {{"type", "session"}, {"gap", "1m"}}}},
  }));
  ASSERT_TRUE(h.ok());
  const std::map<std::string, std::string> empty = {
      {"count", "0"},      {"sum", "0"},    {"avg", "null"},   {"min", "null"},  {"max", "null"},
      {"distinct", "0"},   {"last_n", "[]"}, {"top_k", "[]"},  {"count_by", "{}"}, {"first", "null"},
      {"last", "null"},    {"since", "null"}, {"span", "null"}, {"rate", "null"}, {"sessions", "0"}};
  for (const auto& [name, value] : empty) EXPECT_EQ(h.Get(name), value) << name << " before any event";
  h.Add(Ev(1000).props({{"v", 3}}));
  for (const auto& [name, value] : empty) EXPECT_EQ(h.Get(name), value) << name << " after a filtered-out event";
}

TEST(AggregateTest, ValuesThatAreNoneAreSkippedAndGiveNoState) {
  // Only events with a value count for a value aggregate; a keyed one prints
  // no key for events without a value.
  Harness h(Features({{{"name", "last"}, {"op", "last"}, {"value", "props.get('v')"}, {"keyBy", "item"}}}));
  ASSERT_TRUE(h.ok());
  h.Add(Ev(1000).item("a").props({{"v", "x"}}));
  h.Add(Ev(2000).item("a"));
  h.Add(Ev(3000).item("b"));
  EXPECT_EQ(h.Get("last", "a"), R"("x")");
  EXPECT_EQ(h.pipeline().DumpJson(), R"({"last":{"a":"x"}})");
}

// --------------------------------------------------------------- windows

TEST(WindowTest, TumblingWindowBoundaries) {
  Harness h(Features({{{"name", "c"}, {"op", "count"}, {"window", {{"type", "tumbling"}, {"size", "10s"}}}},
                      {{"name", "s"}, {"op", "sum"}, {"value", "ts // 1000"},
                       {"window", {{"type", "tumbling"}, {"size", "10s"}}}}}));
  ASSERT_TRUE(h.ok());
  h.Add(Ev(1000));
  EXPECT_EQ(h.Get("c"), "1");  // [0, 10000)
  h.Add(Ev(9999));
  EXPECT_EQ(h.Get("c"), "2");
  EXPECT_EQ(h.Get("s"), "10");  // 1 + 9
  h.Add(Ev(10000));
  EXPECT_EQ(h.Get("c"), "1");  // [10000, 20000): the start is inclusive
  EXPECT_EQ(h.Get("s"), "10");
  h.Add(Ev(9000));  // accepted (within lateness) but before the window start
  EXPECT_EQ(h.Get("c"), "1");
  h.Add(Ev(15000));
  EXPECT_EQ(h.Get("c"), "2");
  EXPECT_EQ(h.Get("s"), "25");
  h.Add(Ev(30000));  // [30000, 40000): the panes of [10000, 20000) expired
  EXPECT_EQ(h.Get("c"), "1");
  EXPECT_EQ(h.Get("s"), "30");
}

// Windowed count and rate keep two integers per pane (CountPaneWindow); they
// must equal the general panes' sum of 1s and average of a 0/1 value on the
// same out-of-order stream, before and after a checkpoint round trip.
TEST(WindowTest, CountAndRatePanesEqualTheGeneralPanes) {
  std::vector<json> defs;
  for (const json& w : {json("1m"), json({{"type", "tumbling"}, {"size", "7s"}}),
                        json({{"type", "sliding"}, {"size", "10s"}, {"slide", "3s"}})}) {
    const std::string n = std::to_string(defs.size());
    defs.push_back({{"name", "c" + n}, {"op", "count"}, {"filter", "kind != 'x'"}, {"window", w}});
    defs.push_back({{"name", "s" + n}, {"op", "sum"}, {"value", "1"}, {"filter", "kind != 'x'"}, {"window", w}});
    defs.push_back({{"name", "r" + n}, {"op", "rate"}, {"numerator", "kind == 'click'"},
                    {"denominator", "kind in ('click', 'pv')"}, {"window", w}});
    defs.push_back({{"name", "a" + n}, {"op", "avg"}, {"value", "kind == 'click'"},
                    {"filter", "kind in ('click', 'pv')"}, {"window", w}});
  }
  const json manifest = Features(defs, {{"allowedLatenessMs", 20000}});
  Harness h(manifest), restored(manifest);
  ASSERT_TRUE(h.ok() && restored.ok());
  std::mt19937 rng(11);
  const char* kinds[] = {"pv", "click", "exposure", "x"};
  int64_t ts = 0;
  int compared = 0;
  for (int i = 0; i < 3000; ++i) {
    ts += static_cast<int64_t>(rng() % 400);
    int64_t at = rng() % 10 == 0 ? ts - static_cast<int64_t>(rng() % 15000) : ts;
    Ev e(at, kinds[rng() % 4]);
    h.Add(e);
    if (i % 500 == 499) {
      std::string blob;
      h.pipeline().Save(&blob);
      ASSERT_TRUE(restored.pipeline().Restore(blob).ok());
    }
    if (i % 37 != 0) continue;
    for (size_t w = 0; w < 3; ++w) {
      const std::string n = std::to_string(w * 4);
      const std::string c = h.Get("c" + n), s = h.Get("s" + n), r = h.Get("r" + n), a = h.Get("a" + n);
      EXPECT_EQ(c, s == "null" ? "0" : s) << "window " << w << " event " << i;
      compared += c != "0" && r != "null";
      if (a == "null") {
        EXPECT_EQ(r, "null") << "window " << w << " event " << i;
      } else {
        EXPECT_NEAR(std::stod(r), std::stod(a), 1e-12) << "window " << w << " event " << i;
      }
    }
  }
  EXPECT_GT(compared, 150);
  std::string a, b;
  h.pipeline().Save(&a);
  ASSERT_TRUE(restored.pipeline().Restore(a).ok());
  restored.pipeline().Save(&b);
  EXPECT_EQ(a, b);
  EXPECT_EQ(h.pipeline().DumpJson(), restored.pipeline().DumpJson());
}

// A window state keeps its first few panes (and sessions) inside the key's
// state block and spills to the heap beyond them (window.cc). Growing a
// window past that capacity, sliding it back below, and checkpointing at
// every step in between must give the counts the window table defines, the
// same checkpoint bytes, and state bytes that grow with the spill and return
// when the panes move back inline.
TEST(WindowTest, PanesCrossingTheInlineCapacityStayExactAcrossCheckpoints) {
  const json window = {{"type", "sliding"}, {"size", "60s"}, {"slide", "1s"}};  // 60 panes of 1 s
  const json manifest = Features({{{"name", "c"}, {"op", "count"}, {"window", window}},
                                  {{"name", "r"}, {"op", "rate"}, {"numerator", "kind == 'click'"},
                                   {"denominator", "kind in ('click', 'pv')"}, {"window", window}},
                                  {{"name", "s"}, {"op", "sum"}, {"value", "1"}, {"window", window}},
                                  {{"name", "n"}, {"op", "session_count"},
                                   {"window", {{"type", "session"}, {"gap", "500ms"}}}}},
                                 {{"allowedLatenessMs", 60000}, {"dedup", false}});
  Harness h(manifest);
  ASSERT_TRUE(h.ok());
  struct Seen { int64_t ts; bool click, pv; };
  std::vector<Seen> seen;
  int64_t now = 0;
  auto expect_window = [&](const std::string& where) {
    const int64_t end = (now / 1000 + 1) * 1000, begin = end - 60000;
    int64_t count = 0, clicks = 0, both = 0;
    for (const Seen& e : seen) {
      if (e.ts < begin || e.ts >= end) continue;
      ++count;
      clicks += e.click;
      both += e.click || e.pv;
    }
    EXPECT_EQ(h.Get("c"), std::to_string(count)) << where;
    EXPECT_EQ(h.Get("s"), count ? std::to_string(count) : "0") << where;
    EXPECT_EQ(h.Get("r"), both ? FeatureValueToJson(FeatureValue::Scalar(Value::Float(
                                     static_cast<double>(clicks) / static_cast<double>(both))))
                               : "null")
        << where;
  };
  auto bytes_of = [&](size_t feature) { return h.pipeline().Stats().feature_bytes[feature]; };
  auto add = [&](int64_t ts, const char* kind) {
    ASSERT_TRUE(h.Add(Ev(ts, kind)));
    seen.push_back({ts, std::string(kind) == "click", std::string(kind) == "pv"});
    now = std::max(now, ts);
  };

  add(100000, "pv");
  const size_t one_pane = bytes_of(0), one_rate_pane = bytes_of(1);
  // 1. Grow to 30 non-empty panes (and 30 sessions), one event per second,
  // every other one 300 ms late; checkpoint and compare after every event.
  const char* kinds[] = {"pv", "click", "exposure"};
  for (int i = 1; i < 30; ++i) {
    const int64_t ts = 100000 + 1000 * i;
    add(i % 2 ? ts - 300 : ts, kinds[i % 3]);
    std::string blob, again;
    h.pipeline().Save(&blob);
    Harness restored(manifest);
    ASSERT_TRUE(restored.ok());
    ASSERT_TRUE(restored.pipeline().Restore(blob).ok()) << "event " << i;
    restored.pipeline().Save(&again);
    EXPECT_EQ(again, blob) << "event " << i;
    for (const char* f : {"c", "r", "s", "n"}) EXPECT_EQ(restored.Get(f), h.Get(f)) << f << " event " << i;
    expect_window("growing, event " + std::to_string(i));
    EXPECT_EQ(h.Get("n"), std::to_string(i + 1));
  }
  EXPECT_GT(bytes_of(0), one_pane);  // spilled: the heap panes are counted
  EXPECT_GT(bytes_of(1), one_rate_pane);
  // 2. Slide: one event every 5 s drops the old panes until few are left.
  for (int i = 0; i < 20; ++i) {
    add(130000 + 5000 * i, kinds[i % 3]);
    expect_window("sliding, event " + std::to_string(i));
  }
  // 3. Far ahead: one pane left, back inline.
  add(1000000, "click");
  expect_window("far ahead");
  EXPECT_EQ(bytes_of(0), one_pane);
  EXPECT_EQ(bytes_of(1), one_rate_pane);
  // 4. And past the capacity again, after a restore.
  std::string blob;
  h.pipeline().Save(&blob);
  ASSERT_TRUE(h.pipeline().Restore(blob).ok());
  for (int i = 1; i < 12; ++i) {
    add(1000000 + 1000 * i, kinds[i % 3]);
    expect_window("regrowing, event " + std::to_string(i));
  }
}

// Keys whose windows spilled to the heap are evicted and made again (under
// the sanitizers: nothing leaks or is freed twice) and count from scratch.
TEST(WindowTest, EvictedKeysWithSpilledPanesStartAgain) {
  const json manifest = Features({{{"name", "c"}, {"op", "count"}, {"keyBy", "user"}, {"maxKeys", 2},
                                   {"window", {{"type", "sliding"}, {"size", "60s"}, {"slide", "1s"}}}}},
                                 {{"dedup", false}});
  Harness h(manifest);
  ASSERT_TRUE(h.ok());
  int64_t ts = 100000;
  for (int round = 0; round < 3; ++round) {
    for (int user = 0; user < 4; ++user) {
      const std::string u = "u" + std::to_string(user);
      for (int i = 0; i < 10; ++i) ASSERT_TRUE(h.Add(Ev(ts += 1000).props({{"userId", u}})));
      EXPECT_EQ(h.Get("c", u), "10") << u;  // evicted in the previous round: starts again
    }
  }
  EXPECT_EQ(h.pipeline().Stats().evicted_keys, 10);
}

// Features that compute one state (top_k and count_by of a field, sum and
// avg, time_since_last and span) share it; each must read what a copy of its
// own would give. The copies below use a filter spelled differently, so they
// do not share.
TEST(WindowTest, FeaturesSharingAStateReadWhatTheirOwnWouldGive) {
  std::vector<json> defs;
  const json windows[] = {json("all"), json("30s"), json({{"type", "session"}, {"gap", "5s"}})};
  const char* filters[] = {"kind != 'x'", "kind != 'x' and True"};
  for (size_t w = 0; w < 3; ++w) {
    for (int copy = 0; copy < 2; ++copy) {
      const std::string sfx = std::to_string(w) + "_" + std::to_string(copy);
      auto add = [&](const std::string& name, json def) {
        def["name"] = name + sfx;
        def["filter"] = filters[copy];
        def["window"] = windows[w];
        defs.push_back(def);
      };
      add("cb", {{"op", "count_by"}, {"value", "pageId"}});
      add("top", {{"op", "top_k"}, {"value", "pageId"}, {"k", 2}});
      add("pref", {{"op", "count_by"}, {"value", "pageId"}, {"normalize", true}});
      add("sum", {{"op", "sum"}, {"value", "ts % 7"}});
      add("avg", {{"op", "avg"}, {"value", "ts % 7"}});
      add("since", {{"op", "time_since_last"}});
      add("span", {{"op", "span"}});
    }
  }
  const json manifest = Features(defs);
  Harness h(manifest), restored(manifest);
  ASSERT_TRUE(h.ok() && restored.ok());
  std::mt19937 rng(5);
  const char* kinds[] = {"pv", "click", "x"};
  int64_t ts = 0;
  for (int i = 0; i < 1500; ++i) {
    ts += static_cast<int64_t>(rng() % 900);
    h.Add(Ev(rng() % 8 == 0 ? ts - static_cast<int64_t>(rng() % 20000) : ts, kinds[rng() % 3])
              .page("P" + std::to_string(rng() % 5)));
    if (i % 300 == 299) {
      std::string blob;
      h.pipeline().Save(&blob);
      ASSERT_TRUE(restored.pipeline().Restore(blob).ok());
      EXPECT_EQ(h.pipeline().DumpJson(), restored.pipeline().DumpJson());
    }
    if (i % 23 != 0) continue;
    for (size_t w = 0; w < 3; ++w) {
      for (const char* name : {"cb", "top", "pref", "sum", "avg", "since", "span"}) {
        const std::string n = std::string(name) + std::to_string(w);
        EXPECT_EQ(h.Get(n + "_0"), h.Get(n + "_1")) << n << " after event " << i;
      }
    }
  }
  // The sharers hold no state of their own: one copy of each state per window type.
  const PipelineStats st = h.pipeline().Stats();
  size_t holders = 0;
  for (size_t b : st.feature_bytes) holders += b > 0;
  EXPECT_EQ(holders, 3u * 2 * 3);  // 3 windows x 2 filters x (count_by, sum, time)
}

// A "script" feature calls the runner the runtime sets, with its inputs'
// values for the key read; without a runner it reads as an error.
TEST(DerivedTest, ScriptFeaturesCallTheRunnerWithTheirInputs) {
  Harness h(Features({{{"name", "views"}, {"op", "count"}, {"keyBy", "item"}},
                      {{"name", "hour"}, {"op", "hour_of_day"}},
                      {{"name", "mix"}, {"op", "script"}, {"function", "f.py:mix"}, {"inputs", {"views", "hour"}},
                       {"keyBy", "item"}}}));
  ASSERT_TRUE(h.ok());
  h.Add(Ev(3600000).item("a"));
  h.Add(Ev(3600001).item("a"));
  EXPECT_NE(h.Get("mix", "a").find("device runtime"), std::string::npos) << h.Get("mix", "a");
  std::vector<std::string> calls;
  h.pipeline().SetScriptOpRunner([&](size_t feature, const std::vector<FeatureValue>& args) -> Result<FeatureValue> {
    calls.push_back(std::to_string(feature) + ":" + FeatureValueToJson(args[0]) + "," + FeatureValueToJson(args[1]));
    if (args[0].scalar.i == 0) return Status::InvalidArgument("no views");
    return FeatureValue::Scalar(Value::Int(args[0].scalar.i * 100 + args[1].scalar.i));
  });
  EXPECT_EQ(h.Get("mix", "a"), "201");
  EXPECT_EQ(h.Get("mix", "b").rfind("error: ", 0), 0u);
  EXPECT_EQ(calls, (std::vector<std::string>{"2:2,1", "2:0,1"}));
  // Dumped for the keys its keyed inputs hold.
  EXPECT_EQ(json::parse(h.pipeline().DumpJson())["mix"], json::parse(R"({"a": 201})"));
  EXPECT_GE(h.pipeline().Stats().script_errors, 1);
}

TEST(WindowTest, SlidingWindowWhoseSlideDoesNotDivideItsSize) {
  // size 10 s, slide 4 s (panes of 2 s): [E - 10 s, E), E = (floor(now/4 s) + 1) * 4 s.
  Harness h(Features({{{"name", "c"}, {"op", "count"},
                       {"window", {{"type", "sliding"}, {"size", "10s"}, {"slide", "4s"}}}}}));
  ASSERT_TRUE(h.ok());
  const std::vector<std::pair<int64_t, std::string>> steps = {
      {5000, "1"},   // E = 8 s: [-2 s, 8 s)
      {6000, "2"},
      {7999, "3"},   // E still 8 s
      {8000, "4"},   // E = 12 s: [2 s, 12 s)
      {13000, "4"},  // E = 16 s: [6 s, 16 s), the event at 5 s left
      {15999, "5"},
      {16000, "3"},  // E = 20 s: [10 s, 20 s): 13, 15.999, 16
      {9000, "3"},   // late but accepted, before the window start: ignored
      {11000, "4"},  // late and inside the window
      {100000, "1"}, // E = 104 s: [94 s, 104 s)
  };
  for (const auto& [ts, count] : steps) {
    h.Add(Ev(ts));
    EXPECT_EQ(h.Get("c"), count) << "after the event at " << ts;
  }
}

TEST(WindowTest, DurationStringIsSlidingWithASixtiethSlide) {
  auto parse = [](const json& j) {
    auto w = ParseWindowSpec(&j, "w");
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    return w.ok() ? *w : WindowSpec{};
  };
  WindowSpec w = parse("30m");
  EXPECT_EQ(w.type, WindowSpec::Type::kSliding);
  EXPECT_EQ(w.size_ms, 1800000);
  EXPECT_EQ(w.slide_ms, 30000);
  w = parse("90s");
  EXPECT_EQ(w.slide_ms, 1500);
  w = parse("59ms");  // size/60 is 0: at least 1 ms
  EXPECT_EQ(w.size_ms, 59);
  EXPECT_EQ(w.slide_ms, 1);
  w = parse("all");
  EXPECT_EQ(w.type, WindowSpec::Type::kAll);
  w = parse(json{{"type", "tumbling"}, {"size", "1h"}});
  EXPECT_EQ(w.type, WindowSpec::Type::kTumbling);
  EXPECT_EQ(w.size_ms, 3600000);
  EXPECT_EQ(w.slide_ms, 3600000);
  w = parse(json{{"type", "session"}, {"gap", "30m"}});
  EXPECT_EQ(w.type, WindowSpec::Type::kSession);
  EXPECT_EQ(w.gap_ms, 1800000);
  EXPECT_EQ(ParseWindowSpec(nullptr, "w")->type, WindowSpec::Type::kAll);

  // "1m": [E - 60 s, E) with E = (floor(now / 1 s) + 1) s.
  Harness h(Features({{{"name", "c"}, {"op", "count"}, {"window", "1m"}}}));
  ASSERT_TRUE(h.ok());
  h.Add(Ev(1500));
  h.Add(Ev(60999));  // E = 61 s: [1 s, 61 s) holds both
  EXPECT_EQ(h.Get("c"), "2");
  h.Add(Ev(61000));  // E = 62 s: [2 s, 62 s)
  EXPECT_EQ(h.Get("c"), "2");
}

TEST(WindowTest, AllWindowCountsLateButAcceptedEvents) {
  Harness h(Features({{{"name", "c"}, {"op", "count"}}, {{"name", "w"}, {"op", "count"}, {"window", "all"}}},
                     json{{"allowedLatenessMs", 5000}}));
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h.Add(Ev(10000)));
  EXPECT_TRUE(h.Add(Ev(5000)));   // exactly the horizon: accepted
  EXPECT_FALSE(h.Add(Ev(4999)));  // late
  EXPECT_EQ(h.Get("c"), "2");
  EXPECT_EQ(h.Get("w"), "2");
}

TEST(WindowTest, SessionsMergeWhenALateEventBridgesThem) {
  const json session = {{"type", "session"}, {"gap", "10s"}};
  Harness h(Features({{{"name", "n"}, {"op", "count"}, {"window", session}},
                      {{"name", "len"}, {"op", "span"}, {"window", session}},
                      {{"name", "sc"}, {"op", "session_count"}, {"window", session}}},
                     json{{"allowedLatenessMs", 100000}}));
  ASSERT_TRUE(h.ok());
  struct Step {
    int64_t ts;
    const char *n, *len, *sc;
  };
  const std::vector<Step> steps = {
      {100000, "1", "0", "1"},
      {105000, "2", "5000", "1"},
      {120000, "1", "0", "2"},       // 15 s after the last: a new session
      {125000, "2", "5000", "2"},
      {115000, "5", "25000", "1"},   // 10 s from both neighbours (inclusive): one session
      {140000, "1", "0", "2"},
      {130000, "7", "40000", "1"},   // bridges again, exactly gap on both sides
      {50000, "7", "40000", "2"},    // an earlier, separate session; the latest is unchanged
  };
  for (const Step& s : steps) {
    ASSERT_TRUE(h.Add(Ev(s.ts))) << s.ts;
    EXPECT_EQ(h.Get("n"), s.n) << "after " << s.ts;
    EXPECT_EQ(h.Get("len"), s.len) << "after " << s.ts;
    EXPECT_EQ(h.Get("sc"), s.sc) << "after " << s.ts;
  }
}

TEST(WindowTest, SessionsAreMadeOfTheFilteredEventsOnly) {
  const json session = {{"type", "session"}, {"gap", "10s"}};
  Harness h(Features({{{"name", "pv"}, {"op", "count"}, {"filter", "kind == 'pv'"}, {"window", session}},
                      {{"name", "sc"}, {"op", "session_count"}, {"filter", "kind == 'pv'"}, {"window", session}},
                      {{"name", "all_sc"}, {"op", "session_count"}, {"window", session}}}));
  ASSERT_TRUE(h.ok());
  h.Add(Ev(0));
  h.Add(Ev(8000, "click"));  // would bridge the views, but is not counted
  h.Add(Ev(16000));
  EXPECT_EQ(h.Get("pv"), "1");
  EXPECT_EQ(h.Get("sc"), "2");
  EXPECT_EQ(h.Get("all_sc"), "1");
}

TEST(WindowTest, EmptyWindowGivesZeroCountAndNullValues) {
  Harness h(Features({{{"name", "c"}, {"op", "count"}, {"window", {{"type", "tumbling"}, {"size", "1s"}}}},
                      {{"name", "a"}, {"op", "avg"}, {"value", "props.v"}, {"filter", "itemId == 'x'"},
                       {"window", {{"type", "tumbling"}, {"size", "1s"}}}},
                      {{"name", "t"}, {"op", "time_since_last"}, {"filter", "itemId == 'x'"},
                       {"window", {{"type", "sliding"}, {"size", "2s"}, {"slide", "1s"}}}}}));
  ASSERT_TRUE(h.ok());
  h.Add(Ev(100).item("x").props({{"v", 4}}));
  EXPECT_EQ(h.Get("a"), "4.0");
  EXPECT_EQ(h.Get("t"), "0");
  h.Add(Ev(1100).item("y"));
  EXPECT_EQ(h.Get("c"), "1");
  EXPECT_EQ(h.Get("a"), "null");
  EXPECT_EQ(h.Get("t"), "1000");  // [0 s, 2 s)
  h.Add(Ev(2100).item("y"));
  EXPECT_EQ(h.Get("t"), "null");  // [1 s, 3 s)
}

// A brute-force reference of the window table: after each event, every
// feature's value is recomputed from the list of accepted events.
struct RefEvent {
  int64_t ts, seq;
  std::string user, item;
  int64_t v;
  bool pv;
};

struct RefWindow {
  std::string name;
  json spec;
  WindowSpec::Type type;
  int64_t size = 0, slide = 0, gap = 0;
};

int64_t FloorDivRef(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// The events of the window of `w` at `now`, ordered by (ts, seq).
std::vector<RefEvent> InWindow(const RefWindow& w, std::vector<RefEvent> events, int64_t now) {
  std::sort(events.begin(), events.end(),
            [](const RefEvent& a, const RefEvent& b) { return a.ts != b.ts ? a.ts < b.ts : a.seq < b.seq; });
  if (w.type == WindowSpec::Type::kAll) return events;
  if (w.type == WindowSpec::Type::kSession) {
    size_t start = 0;
    for (size_t i = 1; i < events.size(); ++i) {
      if (events[i].ts - events[i - 1].ts > w.gap) start = i;
    }
    return std::vector<RefEvent>(events.begin() + static_cast<std::ptrdiff_t>(start), events.end());
  }
  const int64_t end = (FloorDivRef(now, w.slide) + 1) * w.slide, begin = end - w.size;
  std::vector<RefEvent> out;
  for (const RefEvent& e : events) {
    if (e.ts >= begin && e.ts < end) out.push_back(e);
  }
  return out;
}

int64_t SessionsOf(std::vector<RefEvent> events, int64_t gap) {
  if (events.empty()) return 0;
  std::sort(events.begin(), events.end(), [](const RefEvent& a, const RefEvent& b) { return a.ts < b.ts; });
  int64_t n = 1;
  for (size_t i = 1; i < events.size(); ++i) n += events[i].ts - events[i - 1].ts > gap;
  return n;
}

class WindowReferenceTest : public ::testing::TestWithParam<int> {};

TEST_P(WindowReferenceTest, EveryWindowTypeMatchesTheDefinition) {
  const int seed = GetParam();
  std::mt19937_64 rng(seed);
  const int64_t lateness = 20000;
  const std::vector<RefWindow> windows = {
      {"all", "all", WindowSpec::Type::kAll},
      {"tumbling", {{"type", "tumbling"}, {"size", "7s"}}, WindowSpec::Type::kTumbling, 7000, 7000},
      {"sliding", {{"type", "sliding"}, {"size", "10s"}, {"slide", "4s"}}, WindowSpec::Type::kSliding, 10000, 4000},
      {"sliding3", {{"type", "sliding"}, {"size", "9s"}, {"slide", "6s"}}, WindowSpec::Type::kSliding, 9000, 6000},
      {"dur", "30s", WindowSpec::Type::kSliding, 30000, 500},
      {"session", {{"type", "session"}, {"gap", "3s"}}, WindowSpec::Type::kSession, 0, 0, 3000},
  };
  std::vector<json> defs;
  for (const RefWindow& w : windows) {
    for (const char* op : {"count", "sum", "min", "last_n"}) {
      json f = {{"name", w.name + "_" + op}, {"op", op}, {"window", w.spec}, {"keyBy", "user"},
                {"filter", "kind == 'pv'"}};
      if (std::string(op) == "sum" || std::string(op) == "min") f["value"] = "props.v";
      if (std::string(op) == "last_n") {
        f["value"] = "itemId";
        f["n"] = 3;
      }
      defs.push_back(f);
    }
  }
  defs.push_back({{"name", "sessions"}, {"op", "session_count"}, {"keyBy", "user"}, {"filter", "kind == 'pv'"},
                  {"window", windows.back().spec}});
  Harness h(Features(defs, json{{"allowedLatenessMs", lateness}, {"dedup", false}}));
  ASSERT_TRUE(h.ok());

  const bool read_every_event = seed % 2 == 0;  // reads build the window caches; both ways must agree
  const std::vector<std::string> users = {"u0", "u1", "u2"};
  std::vector<RefEvent> accepted;
  int64_t now = 0, ts = 1000000, seq = 0;
  auto check = [&](int64_t at) {
    for (const std::string& user : users) {
      std::vector<RefEvent> mine;
      for (const RefEvent& e : accepted) {
        if (e.user == user && e.pv) mine.push_back(e);
      }
      for (const RefWindow& w : windows) {
        std::vector<RefEvent> in = InWindow(w, mine, now);
        int64_t sum = 0;
        std::optional<int64_t> min;
        json last = json::array();
        for (size_t i = 0; i < in.size(); ++i) {
          sum += in[i].v;
          min = min ? std::min(*min, in[i].v) : in[i].v;
          if (i + 3 >= in.size()) last.push_back(in[i].item);
        }
        const std::string where = "seed " + std::to_string(seed) + " event " + std::to_string(at) + " user " + user;
        EXPECT_EQ(h.Get(w.name + "_count", user), std::to_string(in.size())) << where;
        EXPECT_EQ(h.Get(w.name + "_sum", user), std::to_string(sum)) << where;
        EXPECT_EQ(h.Get(w.name + "_min", user), min ? std::to_string(*min) : "null") << where;
        EXPECT_EQ(h.Get(w.name + "_last_n", user), last.dump()) << where;
      }
      EXPECT_EQ(h.Get("sessions", user), std::to_string(SessionsOf(mine, 3000))) << "seed " << seed;
    }
  };
  for (int i = 0; i < 300; ++i) {
    // Mostly forward in small steps; sometimes back in time (late, or too late).
    int64_t r = static_cast<int64_t>(rng() % 100);
    int64_t t = r < 80 ? (ts += static_cast<int64_t>(rng() % 2500)) : ts - static_cast<int64_t>(rng() % 30000);
    RefEvent e{t, ++seq, users[rng() % users.size()], "i" + std::to_string(rng() % 5),
               static_cast<int64_t>(rng() % 21) - 10, rng() % 5 != 0};
    Event ev = Ev(t, e.pv ? "pv" : "click").item(e.item).props({{"userId", e.user}, {"v", e.v}});
    const bool late = i > 0 && t < now - lateness;
    EXPECT_EQ(h.pipeline().Process(ev, e.seq, nullptr), !late);
    if (!late) {
      accepted.push_back(e);
      now = i == 0 ? t : std::max(now, t);
    }
    if (read_every_event) check(i);
  }
  check(300);
}

INSTANTIATE_TEST_SUITE_P(Seeds, WindowReferenceTest, ::testing::Range(1, 11));

// --------------------------------------------------------------- durations

TEST(DurationTest, NumbersAndUnits) {
  const std::vector<std::pair<json, int64_t>> good = {
      {"250ms", 250}, {"90s", 90000}, {"30m", 1800000}, {"1h", 3600000}, {"7d", 604800000},
      {"1ms", 1},     {1500, 1500},   {"001s", 1000},   {"999999999999ms", 999999999999}};
  for (const auto& [j, ms] : good) {
    auto d = ParseDuration(j, "x.window.size");
    ASSERT_TRUE(d.ok()) << j.dump() << ": " << d.status().ToString();
    EXPECT_EQ(*d, ms) << j.dump();
  }
  const std::vector<json> bad = {"30x", "0s", "-5s", "1.5h", "", "h", "5 s", "5S", "s5", 0, -1, 1.5,
                                 true, nullptr, json::array({1}), "1000000000000ms"};
  for (const json& j : bad) {
    auto d = ParseDuration(j, "x.window.size");
    ASSERT_FALSE(d.ok()) << j.dump() << " gave " << *d;
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(d.status().message().rfind("x.window.size: ", 0), 0u) << d.status().message();
  }
}

// 12 digits of days exceed int64: an error, not a wrapped-around duration
// (the multiplication once overflowed, undefined behaviour).
TEST(DurationTest, DurationBeyondInt64IsAnError) {
  auto d = ParseDuration("250000000000d", "x.window.size");
  EXPECT_FALSE(d.ok()) << "parsed as " << *d << " ms";
  EXPECT_TRUE(ParseDuration("999999999999h", "x.window.size").ok());  // 3.6e18 ms: fits
}

// Spans, ages and session gaps of timestamps at the ends of the int64 range
// saturate instead of overflowing (a negative span, or end + gap wrapping
// around so that the second event started a new session).
TEST(WindowTest, ExtremeTimestampsDoNotOverflow) {
  const json session = {{"type", "session"}, {"gap", "30m"}};
  Harness h(Features({{{"name", "span"}, {"op", "span"}},
                      {{"name", "sc"}, {"op", "session_count"}, {"window", session}},
                      {{"name", "n"}, {"op", "count"}, {"window", session}}}));
  ASSERT_TRUE(h.ok());
  h.Add(Ev(-5000000000000000000));
  h.Add(Ev(5000000000000000000));
  const std::string span = h.Get("span");
  EXPECT_NE(span.rfind('-', 0), 0u) << "span " << span;

  Harness top(Features({{{"name", "sc"}, {"op", "session_count"}, {"window", session}},
                        {{"name", "n"}, {"op", "count"}, {"window", session}}}));
  ASSERT_TRUE(top.ok());
  const int64_t max = std::numeric_limits<int64_t>::max();
  top.Add(Ev(max - 10));
  top.Add(Ev(max - 5));
  EXPECT_EQ(top.Get("sc"), "1");
  EXPECT_EQ(top.Get("n"), "2");
}

// --------------------------------------------------------------- HyperLogLog

std::string HexOf(const std::string& s) {
  static const char* k = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out += k[c >> 4];
    out += k[c & 15];
  }
  return out;
}

// Runs CPython on the hash and estimator exactly as docs/features.md spells
// them out. Each argument is "h:HEX" (hash of those UTF-8 bytes) or
// "e:PREFIX:N" (estimate of the strings PREFIX0 .. PREFIX{N-1}); one output
// line per argument.
std::vector<std::string> PythonHll(const std::vector<std::string>& queries) {
  static const char* kScript = R"PY(
import math, sys
M = (1 << 64) - 1
def h(b):
    x = 14695981039346656037
    for c in b:
        x ^= c
        x = (x * 1099511628211) & M
    x ^= x >> 30; x = (x * 0xbf58476d1ce4e5b9) & M
    x ^= x >> 27; x = (x * 0x94d049bb133111eb) & M
    x ^= x >> 31
    return x
def est(values):
    m = 4096
    reg = [0] * m
    for v in values:
        x = h(str(v).encode('utf-8'))
        rest = (x << 12) & M
        rank = 53 if rest == 0 else 64 - rest.bit_length() + 1
        reg[x >> 52] = max(reg[x >> 52], rank)
    s = sum(2.0 ** -r for r in reg)
    zeros = reg.count(0)
    e = 0.7213 / (1 + 1.079 / m) * m * m / s
    if e <= 2.5 * m and zeros > 0:
        e = m * math.log(m / zeros)
    return int(math.floor(e + 0.5))
for q in sys.argv[1:]:
    kind, _, rest = q.partition(':')
    if kind == 'h':
        print(h(bytes.fromhex(rest)))
    else:
        prefix, _, n = rest.rpartition(':')
        print(est(prefix + str(i) for i in range(int(n))))
)PY";
  std::vector<std::string> out;
  if (access("/usr/bin/python3", X_OK) != 0) return out;
  char path[] = "/tmp/edgeflow_hll_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return out;
  std::ofstream(path) << kScript;
  close(fd);
  std::string cmd = std::string("/usr/bin/python3 ") + path;
  for (const std::string& q : queries) cmd += " '" + q + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (p) {
    char line[256];
    while (std::fgets(line, sizeof line, p)) {
      std::string s(line);
      while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
      out.push_back(s);
    }
    pclose(p);
  }
  std::remove(path);
  return out;
}

TEST(HyperLogLogTest, HashMatchesCPython) {
  const std::vector<std::string> strings = {"", "a", "shoes", "sku-12345", "\xe6\x97\xa5\xe6\x9c\xac", "True", "0.5"};
  std::vector<std::string> queries;
  for (const auto& s : strings) queries.push_back("h:" + HexOf(s));
  std::vector<std::string> py = PythonHll(queries);
  if (py.empty()) GTEST_SKIP() << "/usr/bin/python3 is not available";
  ASSERT_EQ(py.size(), strings.size());
  for (size_t i = 0; i < strings.size(); ++i) {
    EXPECT_EQ(std::to_string(HashForSketch(strings[i])), py[i]) << "\"" << strings[i] << "\"";
  }
}

TEST(HyperLogLogTest, DistinctCountSwitchesFromExactToTheSketch) {
  // exact = 3: up to 3 values the count is exact, beyond it the estimate.
  Harness h(Features({{{"name", "d"}, {"op", "distinct_count"}, {"value", "itemId"}, {"exact", 3}},
                      {{"name", "big"}, {"op", "distinct_count"}, {"value", "'v' + str(props.i)"},
                       {"filter", "props.get('i') is not None"}},
                      {{"name", "win"}, {"op", "distinct_count"}, {"value", "'v' + str(props.i)"},
                       {"filter", "props.get('i') is not None"},
                       {"window", {{"type", "sliding"}, {"size", "100000s"}, {"slide", "1s"}}}}}));
  ASSERT_TRUE(h.ok());
  int64_t ts = 1;
  for (const char* item : {"a0", "a1", "a2", "a0"}) h.Add(Ev(ts++).item(item));
  EXPECT_EQ(h.Get("d"), "3");
  h.Add(Ev(ts++).item("a3"));
  const std::string four_by_sketch = h.Get("d");

  // 10000 distinct values: exact up to the default 1000, then the sketch.
  for (int i = 0; i < 1000; ++i) h.Add(Ev(ts++).props({{"i", i}}));
  EXPECT_EQ(h.Get("big"), "1000");
  EXPECT_EQ(h.Get("win"), "1000");
  h.Add(Ev(ts++).props({{"i", 1000}}));
  const std::string after_1001 = h.Get("big");
  for (int i = 1001; i < 10000; ++i) h.Add(Ev(ts++).props({{"i", i}}));
  for (int i = 0; i < 100; ++i) h.Add(Ev(ts++).props({{"i", i}}));  // repeats change nothing
  const int64_t estimate = std::stoll(h.Get("big"));
  EXPECT_NEAR(static_cast<double>(estimate), 10000.0, 500.0);
  // Panes (the sliding window) merge sketches: the same registers, the same estimate.
  EXPECT_EQ(h.Get("win"), h.Get("big"));

  std::vector<std::string> py = PythonHll({"e:a:4", "e:v:1001", "e:v:10000"});
  if (py.empty()) GTEST_SKIP() << "/usr/bin/python3 is not available";
  ASSERT_EQ(py.size(), 3u);
  EXPECT_EQ(four_by_sketch, py[0]);
  EXPECT_EQ(after_1001, py[1]);
  EXPECT_EQ(std::to_string(estimate), py[2]);
}

// --------------------------------------------------------------- malformed definitions

struct BadCase {
  json manifest;
  std::string path;     // the JSON path the message must name, after "b/manifest.json: "
  std::string keyword;  // and a word saying what is wrong
};

json F(const json& one) { return json{{"features", json::array({one})}}; }
json F2(const json& a, const json& b) { return json{{"features", json::array({a, b})}}; }

TEST(DefinitionErrorTest, EachErrorNamesItsJsonPathAndField) {
  const json cnt = {{"name", "c"}, {"op", "count"}};
  const json keyed = {{"name", "k"}, {"op", "count"}, {"keyBy", "item"}};
  const std::vector<BadCase> cases = {
      {F({{"name", "c"}, {"op", "count"}, {"windw", "1h"}}), "features[0].windw", "unknown field"},
      {F({{"op", "count"}}), "features[0].name", "required"},
      {F({{"name", "1abc"}, {"op", "count"}}), "features[0].name", "[A-Za-z_]"},
      {F({{"name", 7}, {"op", "count"}}), "features[0].name", "required"},
      {F({{"name", "c"}}), "features[0].op", "required"},
      {F({{"name", "c"}, {"op", "median"}, {"value", "props.v"}}), "features[0].op", "\"median\""},
      {F({{"name", "c"}, {"op", "count"}, {"window", "30x"}}), "features[0].window", "\"30x\" is not a duration"},
      {F({{"name", "c"}, {"op", "count"}, {"window", {{"type", "tumbling"}, {"size", "30x"}}}}),
       "features[0].window.size", "\"30x\" is not a duration"},
      {F({{"name", "c"}, {"op", "count"}, {"window", {{"type", "hopping"}, {"size", "1m"}}}}),
       "features[0].window.type", "hopping"},
      {F({{"name", "c"}, {"op", "count"}, {"window", {{"size", "1m"}}}}), "features[0].window.type", "required"},
      {F({{"name", "c"}, {"op", "count"}, {"window", {{"type", "sliding"}, {"size", "1m"}}}}),
       "features[0].window.slide", "required"},
      {F({{"name", "c"}, {"op", "count"}, {"window", {{"type", "sliding"}, {"size", "1m"}, {"slide", "2m"}}}}),
       "features[0].window.slide", "must not exceed size"},
      {F({{"name", "c"}, {"op", "count"}, {"window", {{"type", "tumbling"}, {"size", "1m"}, {"gap", "1m"}}}}),
       "features[0].window.gap", "unknown field"},
      {F({{"name", "c"}, {"op", "count"}, {"window", {{"type", "session"}}}}), "features[0].window.gap", "required"},
      {F({{"name", "c"}, {"op", "count"}, {"window", {{"type", "sliding"}, {"size", "1d"}, {"slide", "7ms"}}}}),
       "features[0].window", "panes"},
      {F({{"name", "c"}, {"op", "count"}, {"window", json::array({1})}}), "features[0].window", "expected"},
      {F({{"name", "c"}, {"op", "count"}, {"window", {{"type", "tumbling"}, {"size", 0}}}}),
       "features[0].window.size", "positive"},
      {F({{"name", "s"}, {"op", "sum"}}), "features[0].value", "required"},
      {F({{"name", "c"}, {"op", "count"}, {"value", "itemId"}}), "features[0].value", "not a parameter"},
      {F({{"name", "s"}, {"op", "sum"}, {"value", 3}}), "features[0].value", "expression"},
      {F({{"name", "c"}, {"op", "count"}, {"filter", "kind =="}}), "features[0].filter", "column"},
      {F({{"name", "s"}, {"op", "sum"}, {"value", "user.price"}}), "features[0].value", "user"},
      {F2(cnt, {{"name", "r"}, {"op", "ratio"}, {"inputs", json::array({"c", "nope"})}}), "features[1].inputs[1]", "\"nope\""},
      {F2({{"name", "r"}, {"op", "ratio"}, {"inputs", json::array({"c", "c"})}}, cnt), "features[0].inputs[0]", "no earlier"},
      {F2(keyed, {{"name", "r"}, {"op", "ratio"}, {"inputs", json::array({"k", "k"})}}), "features[1].inputs[0]", "keyBy"},
      {F2(cnt, {{"name", "r"}, {"op", "ratio"}, {"inputs", json::array({"c"})}}), "features[1].inputs", "two"},
      {F2(cnt, {{"name", "r"}, {"op", "ratio"}, {"inputs", json::array({"c", "c"})}, {"window", "1h"}}), "features[1].window",
       "not a parameter"},
      {F2({{"name", "h"}, {"op", "context"}, {"field", "hour"}},
          {{"name", "r"}, {"op", "ratio"}, {"inputs", json::array({"h", "h"})}}),
       "features[1].inputs[0]", "aggregate"},
      {F({{"name", "l"}, {"op", "last_n"}, {"value", "itemId"}, {"n", 0}}), "features[0].n", "1 to 10000"},
      {F({{"name", "l"}, {"op", "last_n"}, {"value", "itemId"}, {"n", 10001}}), "features[0].n", "1 to 10000"},
      {F({{"name", "l"}, {"op", "last_n"}, {"value", "itemId"}, {"n", 2.5}}), "features[0].n", "integer"},
      {F({{"name", "l"}, {"op", "last_n"}, {"value", "itemId"}, {"n", "3"}}), "features[0].n", "integer"},
      {F({{"name", "c"}, {"op", "count"}, {"n", 3}}), "features[0].n", "not a parameter"},
      {F({{"name", "l"}, {"op", "last_n"}, {"value", "itemId"}, {"k", 3}}), "features[0].k", "not a parameter"},
      {F({{"name", "t"}, {"op", "top_k"}, {"value", "itemId"}, {"k", 0}}), "features[0].k", "1 to"},
      {F({{"name", "d"}, {"op", "distinct_count"}, {"value", "itemId"}, {"exact", 0}}), "features[0].exact", "1 to"},
      {F({{"name", "s"}, {"op", "session_count"}, {"window", {{"type", "tumbling"}, {"size", "1m"}}}}),
       "features[0].window", "session window"},
      {F({{"name", "s"}, {"op", "session_count"}, {"window", "1h"}}), "features[0].window", "session window"},
      {F2(cnt, {{"name", "c"}, {"op", "sum"}, {"value", "props.v"}}), "features[1].name", "defined twice"},
      {F({{"name", "c"}, {"op", "count"}, {"keyBy", "userid"}}), "features[0].keyBy", "userid"},
      {F({{"name", "c"}, {"op", "count"}, {"keyBy", 3}}), "features[0].keyBy", "string"},
      {F({{"name", "c"}, {"op", "count"}, {"maxKeys", 0}}), "features[0].maxKeys", "integer"},
      {F({{"name", "c"}, {"op", "count_by"}, {"value", "itemId"}, {"normalize", "yes"}}), "features[0].normalize",
       "true or false"},
      {F({{"name", "h"}, {"op", "context"}, {"field", "minute"}}), "features[0].field", "hour, weekday, now"},
      {F({{"name", "h"}, {"op", "context"}, {"field", "hour"}, {"keyBy", "user"}}), "features[0].keyBy",
       "not a parameter"},
      {F({{"name", "r"}, {"op", "rate"}, {"numerator", "kind == 'click'"}}), "features[0]", "denominator"},
      {F({{"name", "c"}, {"op", "count"}, {"description", 5}}), "features[0].description", "string"},
      {F({{"name", "l"}, {"op", "last_n"}, {"value", "itemId"}, {"transform", json::array()}}),
       "features[0].transform", ""},
      {F({{"name", "c"}, {"op", "click_count"}, {"window", "1x"}}), "features[0].window", "\"1x\""},
      {F({{"name", "c"}, {"op", "pv_count"}, {"value", "itemId"}}), "features[0].value", "not a parameter"},
      {F({{"name", "c"}, {"op", "recent_items"}, {"n", -1}}), "features[0].n", "1 to 10000"},
      {F(json::array({1})), "features[0]", "object"},
      {json{{"features", {{"name", "c"}}}}, "features", "array"},
      {json{{"pipeline", {{"lateness", 5}}}}, "pipeline.lateness", "unknown field"},
      {json{{"pipeline", {{"allowedLatenessMs", -1}}}}, "pipeline.allowedLatenessMs", "non-negative"},
      {json{{"pipeline", {{"allowedLatenessMs", 1.5}}}}, "pipeline.allowedLatenessMs", "integer"},
      {json{{"pipeline", {{"checkpointEveryEvents", "10"}}}}, "pipeline.checkpointEveryEvents", "integer"},
      {json{{"pipeline", {{"dedup", 1}}}}, "pipeline.dedup", "true or false"},
      {json{{"pipeline", json::array()}}, "pipeline", "object"},
  };
  for (const BadCase& c : cases) {
    auto spec = ParsePipelineSpec(c.manifest, kWhere, NoResources);
    if (spec.ok()) {
      ADD_FAILURE() << "accepted: " << c.manifest.dump();
      continue;
    }
    const std::string& m = spec.status().message();
    EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument) << m;
    const std::string prefix = std::string(kWhere) + ": " + c.path;
    EXPECT_EQ(m.rfind(prefix, 0), 0u) << "expected the path \"" << prefix << "\" in: " << m;
    // The path is followed by ":" (or "." / "[" of a deeper field only when
    // the case names the deeper field itself).
    EXPECT_EQ(m.compare(prefix.size(), 1, ":"), 0) << "the path is not exactly " << c.path << ": " << m;
    EXPECT_NE(m.find(c.keyword), std::string::npos) << "expected \"" << c.keyword << "\" in: " << m;
  }
  EXPECT_GE(cases.size(), 25u);
}

// --------------------------------------------------------------- the library

std::string SourceDir() {
  if (const char* d = std::getenv("EDGEFLOW_SOURCE_DIR")) return d;
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().string();
}

struct DocRow {
  std::string layer, name, definition, meaning;
};

// The rows "| `name` | `{json}` | meaning |" of the three library tables of
// docs/features.md, with the layer their heading names.
std::vector<DocRow> LibraryRowsOfTheDoc() {
  std::ifstream f(SourceDir() + "/docs/features.md");
  std::vector<DocRow> rows;
  std::string line, layer;
  while (std::getline(f, line)) {
    if (line.rfind("### Base", 0) == 0) layer = "base";
    if (line.rfind("### Statistical", 0) == 0) layer = "statistical";
    if (line.rfind("### Profile", 0) == 0) layer = "profile";
    if (line.rfind("## ", 0) == 0 && line.rfind("## Feature library", 0) != 0) layer.clear();
    if (layer.empty() || line.rfind("| `", 0) != 0) continue;
    // Cells: | `name` | `{...}` | meaning |
    std::vector<std::string> cells;
    std::stringstream ss(line.substr(1));
    std::string cell;
    while (std::getline(ss, cell, '|')) {
      size_t b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
    }
    if (cells.size() < 3) continue;
    auto unquote = [](const std::string& s) {
      return s.size() >= 2 && s.front() == '`' && s.back() == '`' ? s.substr(1, s.size() - 2) : s;
    };
    rows.push_back({layer, unquote(cells[0]), unquote(cells[1]), cells[2]});
  }
  return rows;
}

TEST(LibraryTest, EveryOpParses) {
  for (const LibraryOp& op : FeatureLibrary()) {
    auto spec = ParsePipelineSpec(F({{"name", "f"}, {"op", std::string(op.name)}}), kWhere, NoResources);
    EXPECT_TRUE(spec.ok()) << op.name << ": " << spec.status().ToString();
    EXPECT_EQ(FindLibraryOp(op.name), &op);
  }
  EXPECT_EQ(FindLibraryOp("no_such_op"), nullptr);
}

TEST(LibraryTest, OpsAreTheDocumentedTables) {
  std::vector<DocRow> rows = LibraryRowsOfTheDoc();
  ASSERT_FALSE(rows.empty()) << "no library table rows in " << SourceDir() << "/docs/features.md";
  const auto& lib = FeatureLibrary();
  EXPECT_EQ(lib.size(), 46u);  // "46 ops, in three layers"
  ASSERT_EQ(rows.size(), lib.size());
  for (size_t i = 0; i < lib.size(); ++i) {
    const LibraryOp& op = lib[i];
    EXPECT_TRUE(op.layer == "base" || op.layer == "statistical" || op.layer == "profile") << op.name;
    EXPECT_EQ(rows[i].name, op.name) << "row " << i << ": the library is in documentation order";
    EXPECT_EQ(rows[i].layer, op.layer) << op.name;
    json doc = json::parse(rows[i].definition, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << op.name << ": the doc's definition is not JSON: " << rows[i].definition;
    EXPECT_EQ(doc, json::parse(op.definition)) << op.name;
    EXPECT_EQ(rows[i].meaning, op.description) << op.name;
  }
}

TEST(LibraryTest, WrittenFieldsReplaceTheLibrarysOwn) {
  auto spec = ParsePipelineSpec(
      json{{"features",
            {{{"name", "clicks"}, {"op", "click_count"}, {"window", "1h"}, {"keyBy", "page"},
              {"filter", "kind == 'click' and clickId != 'X'"}},
             {{"name", "views"}, {"op", "item_view_count"}, {"window", "all"}},
             {{"name", "recent"}, {"op", "recent_items"}, {"n", 2}, {"window", {{"type", "tumbling"}, {"size", "1m"}}}},
             {{"name", "plain"}, {"op", "click_count"}}}}},
      kWhere, NoResources);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  const auto& f = (*spec)->features;
  EXPECT_EQ(f[0].window.type, WindowSpec::Type::kSliding);
  EXPECT_EQ(f[0].window.size_ms, 3600000);
  EXPECT_EQ(f[0].window.slide_ms, 60000);
  EXPECT_TRUE(f[0].keyed);
  EXPECT_EQ(f[0].key.name(), "page");
  ASSERT_TRUE(f[0].filter);
  EXPECT_EQ(f[0].filter->source(), "kind == 'click' and clickId != 'X'");
  EXPECT_EQ(f[0].description, "clicks");  // the library's, not overridden
  EXPECT_EQ(f[1].window.type, WindowSpec::Type::kAll);
  EXPECT_EQ(f[1].key.name(), "item");
  EXPECT_EQ(f[2].agg.n, 2);
  EXPECT_EQ(f[2].window.type, WindowSpec::Type::kTumbling);
  EXPECT_EQ(f[3].window.size_ms, 1800000);  // the library's 30m
  EXPECT_FALSE(f[3].keyed);

  auto p = Pipeline::Create(*spec);
  ASSERT_TRUE(p.ok());
  int64_t seq = 0;
  (*p)->Process(Ev(1000, "click").page("A").click("X").item("a"), ++seq, nullptr);
  (*p)->Process(Ev(2000, "click").page("A").click("Y").item("b"), ++seq, nullptr);
  (*p)->Process(Ev(3000, "click").page("B").click("Y").item("c"), ++seq, nullptr);
  (*p)->Process(Ev(4000).page("B").item("a"), ++seq, nullptr);
  (*p)->Process(Ev(5000).page("B").item("b"), ++seq, nullptr);
  (*p)->Process(Ev(6000).page("B").item("c"), ++seq, nullptr);
  (*p)->Process(Ev(7000).page("B").item("a"), ++seq, nullptr);
  EXPECT_EQ(FeatureValueToJson(*(*p)->Get("clicks", "A")), "1");
  EXPECT_EQ(FeatureValueToJson(*(*p)->Get("clicks", "B")), "1");
  EXPECT_EQ(FeatureValueToJson(*(*p)->Get("views", "a")), "2");
  EXPECT_EQ(FeatureValueToJson(*(*p)->Get("recent", "")), R"(["c","a"])");
  EXPECT_EQ(FeatureValueToJson(*(*p)->Get("plain", "")), "3");
}

TEST(LibraryTest, TheDocumentedExampleStream) {
  std::vector<json> defs;
  for (const char* op : {"pv_count", "cart_count", "recent_items", "avg_price_viewed", "category_preference",
                         "view_cart_rate", "time_since_last_cart", "session_length", "last_page"}) {
    defs.push_back({{"name", op}, {"op", op}});
  }
  Harness h(Features(defs));
  ASSERT_TRUE(h.ok());
  for (const char* line :
       {R"({"type":"mta","kind":"pv","pageId":"Detail","itemId":"a","ts":1000,"props":{"price":10,"category":"shoes"}})",
        R"({"type":"mta","kind":"click","pageId":"Detail","clickId":"Detail_AddCart","itemId":"a","ts":2000})",
        R"({"type":"mta","kind":"pv","pageId":"Detail","itemId":"b","ts":3000,"props":{"price":30,"category":"bags"}})"}) {
    auto e = ParseEvent(line);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    ASSERT_TRUE(h.Add(*e));
  }
  EXPECT_EQ(h.Get("pv_count"), "2");
  EXPECT_EQ(h.Get("cart_count"), "1");
  EXPECT_EQ(h.Get("recent_items"), R"(["a","b"])");
  EXPECT_EQ(h.Get("avg_price_viewed"), "20.0");
  EXPECT_EQ(h.Get("category_preference"), R"({"bags":0.5,"shoes":0.5})");
  EXPECT_EQ(h.Get("view_cart_rate"), "0.5");
  EXPECT_EQ(h.Get("time_since_last_cart"), "1000");
  EXPECT_EQ(h.Get("session_length"), "2000");
  EXPECT_EQ(h.Get("last_page"), R"("Detail")");
}

}  // namespace
}  // namespace edgeflow::pipeline
