#include "task/trigger.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

namespace edgeflow {
namespace {

using nlohmann::json;

std::vector<EventTrigger> Parse(const char* text) {
  auto r = ParseEventTriggers(json::parse(text), "manifest.json: triggers");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::vector<EventTrigger>{};
}

Event Ev(const char* type, const char* kind, const char* page, const char* click = "") {
  Event e;
  e.type = type;
  e.kind = kind;
  e.page_id = page;
  e.click_id = click;
  e.ts_ms = 1;
  return e;
}

std::vector<std::string> Match(const TriggerRouter& r, const Event& e) {
  std::vector<std::string> out;
  r.Match(e, &out);
  return out;
}

TEST(EventTriggers, ParsesTheDesignFormat) {
  auto t = Parse(R"([{"taskName":"InferTask","events":[{"type":"mta","pageId":"JD_XXXX",
                     "needPv":false,"clickIds":["JD_XXXX"]}]}])");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].task_name, "InferTask");
  ASSERT_EQ(t[0].events.size(), 1u);
  EXPECT_EQ(t[0].events[0].type, "mta");
  EXPECT_EQ(t[0].events[0].page_id, "JD_XXXX");
  EXPECT_FALSE(t[0].events[0].need_pv);
  EXPECT_EQ(t[0].events[0].click_ids, std::vector<std::string>{"JD_XXXX"});
}

TEST(EventTriggers, MalformedTriggersNameTheField) {
  struct Case {
    const char* json;
    const char* want;
  } cases[] = {
      {R"({})", "manifest.json: triggers: expected an array"},
      {R"([1])", "triggers[0]: expected an object"},
      {R"([{"events":[]}])", "triggers[0].taskName: missing"},
      {R"([{"taskName":"T"}])", "triggers[0].events: expected an array"},
      {R"([{"taskName":"T","events":[{"pageId":"P","needPv":true}]}])", "triggers[0].events[0].type: missing"},
      {R"([{"taskName":"T","events":[{"type":"mta","needPv":true}]}])", "triggers[0].events[0].pageId: missing"},
      {R"([{"taskName":"T","events":[{"type":"mta","pageId":"P","needPv":"yes"}]}])",
       "triggers[0].events[0].needPv: expected true or false"},
      {R"([{"taskName":"T","events":[{"type":"mta","pageId":"P","clickIds":"C"}]}])",
       "triggers[0].events[0].clickIds: expected an array of strings"},
      {R"([{"taskName":"T","events":[{"type":"mta","pageId":"P","clickIds":["a",2]}]}])",
       "triggers[0].events[0].clickIds[1]: expected a string"},
      {R"([{"taskName":"T","events":[{"type":"mta","pageId":"P","needPv":false,"clickIds":[]}]}])",
       "triggers[0].events[0]: matches nothing"},
      {R"([{"taskName":"T","events":[],"extra":1}])", "triggers[0].extra: unknown field"},
  };
  for (const auto& c : cases) {
    auto r = ParseEventTriggers(json::parse(c.json), "manifest.json: triggers");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_NE(r.status().message().find(c.want), std::string::npos)
        << c.json << " -> " << r.status().message();
  }
}

TEST(TimerTriggers, ParsesSecondsAndRejectsBadPeriods) {
  auto ok = ParseTimerTriggers(json::parse(R"([{"taskName":"T","everySeconds":2},{"taskName":"U","everySeconds":0.5}])"), "timers");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)[0].every_ms, 2000);
  EXPECT_EQ((*ok)[1].every_ms, 500);
  for (const char* bad : {R"([{"taskName":"T","everySeconds":0}])", R"([{"taskName":"T"}])",
                          R"([{"taskName":"T","everySeconds":"1"}])", R"([{"everySeconds":1}])"}) {
    auto r = ParseTimerTriggers(json::parse(bad), "timers");
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("timers[0]."), std::string::npos) << r.status().message();
  }
}

TEST(TriggerRouter, MatchesViewsWhenNeedPvAndListedClicks) {
  TriggerRouter r;
  r.Set("b", Parse(R"([
    {"taskName":"View","events":[{"type":"mta","pageId":"P","needPv":true}]},
    {"taskName":"Cart","events":[{"type":"mta","pageId":"P","needPv":false,"clickIds":["P_Cart","P_Buy"]}]},
    {"taskName":"Both","events":[{"type":"mta","pageId":"P","needPv":true,"clickIds":["P_Buy"]},
                                 {"type":"mta","pageId":"Q","needPv":true}]}])"));
  EXPECT_EQ(Match(r, Ev("mta", "pv", "P")), (std::vector<std::string>{"View", "Both"}));
  EXPECT_EQ(Match(r, Ev("mta", "click", "P", "P_Cart")), std::vector<std::string>{"Cart"});
  EXPECT_EQ(Match(r, Ev("mta", "click", "P", "P_Buy")), (std::vector<std::string>{"Cart", "Both"}));
  EXPECT_EQ(Match(r, Ev("mta", "click", "P", "P_Share")), std::vector<std::string>{});
  EXPECT_EQ(Match(r, Ev("mta", "exposure", "P")), std::vector<std::string>{});
  EXPECT_EQ(Match(r, Ev("other", "pv", "P")), std::vector<std::string>{});
  EXPECT_EQ(Match(r, Ev("mta", "pv", "Q")), std::vector<std::string>{"Both"});
  EXPECT_EQ(Match(r, Ev("mta", "pv", "R")), std::vector<std::string>{});
}

TEST(TriggerRouter, SetReplacesAndRemoveDropsAnOwnersTriggers) {
  TriggerRouter r;
  r.Set("a", Parse(R"([{"taskName":"A","events":[{"type":"mta","pageId":"P","needPv":true}]}])"));
  r.Set("b", Parse(R"([{"taskName":"B","events":[{"type":"mta","pageId":"P","needPv":true}]}])"));
  EXPECT_EQ(Match(r, Ev("mta", "pv", "P")).size(), 2u);
  r.Set("a", Parse(R"([{"taskName":"A2","events":[{"type":"mta","pageId":"P","needPv":true}]}])"));
  auto m = Match(r, Ev("mta", "pv", "P"));
  std::sort(m.begin(), m.end());
  EXPECT_EQ(m, (std::vector<std::string>{"A2", "B"}));
  r.Remove("b");
  r.Remove("missing");
  EXPECT_EQ(Match(r, Ev("mta", "pv", "P")), std::vector<std::string>{"A2"});
}

TEST(TriggerRouter, ConcurrentMatchAndSetAreSafe) {
  TriggerRouter r;
  auto one = Parse(R"([{"taskName":"A","events":[{"type":"mta","pageId":"P","needPv":true}]}])");
  r.Set("a", one);
  std::atomic<bool> stop{false};
  std::atomic<int64_t> matched{0};
  std::atomic<int> started{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      Event e = Ev("mta", "pv", "P");
      std::vector<std::string> out;
      bool first = true;
      do {  // at least one Match per reader, even if scheduled late
        out.clear();
        r.Match(e, &out);
        for (auto& t : out) ASSERT_TRUE(t == "A" || t == "B");
        matched += static_cast<int64_t>(out.size());
        if (first) started.fetch_add(1);
        first = false;
      } while (!stop.load());
    });
  }
  // Keep writing until every reader has matched at least once, so the writes
  // overlap the reads even on a loaded machine.
  for (int i = 0; i < 2000 || started.load() < 3; ++i) {
    r.Set("b", Parse(R"([{"taskName":"B","events":[{"type":"mta","pageId":"P","needPv":true}]}])"));
    r.Remove("b");
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(matched.load(), 0);
}

}  // namespace
}  // namespace edgeflow
