// End-to-end tests of edgeflow::Runtime: real store files, real scheduler
// threads, bundles in the DESIGN.md manifest and trigger formats.
#include "edgeflow/runtime.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <nlohmann/json.hpp>

#include "testing/temp_dir.h"

namespace edgeflow {
namespace {

using testing::TempDir;

// Collects every outcome the runtime reports.
class Outcomes {
 public:
  void Add(const TaskOutcome& o) {
    std::lock_guard<std::mutex> l(mu_);
    all_.push_back(o);
    cv_.notify_all();
  }
  std::vector<TaskOutcome> Of(const std::string& task) {
    std::lock_guard<std::mutex> l(mu_);
    std::vector<TaskOutcome> out;
    for (const auto& o : all_) {
      if (o.task == task) out.push_back(o);
    }
    return out;
  }
  size_t size() {
    std::lock_guard<std::mutex> l(mu_);
    return all_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<TaskOutcome> all_;
};

// What an Infer() call delivered; counts every callback to check exactly-once.
struct CallResult {
  std::mutex mu;
  std::condition_variable cv;
  int calls = 0;
  std::string kind;  // "value" | "empty" | "error"
  std::string value;
  TaskError error = TaskError::kFailed;

  InferCallbacks Callbacks() {
    InferCallbacks cb;
    cb.on_value = [this](const std::string& v) { Set("value", v, TaskError::kFailed); };
    cb.on_empty = [this] { Set("empty", "", TaskError::kFailed); };
    cb.on_error = [this](TaskError e, const std::string&) { Set("error", "", e); };
    return cb;
  }
  void Set(const std::string& k, const std::string& v, TaskError e) {
    std::lock_guard<std::mutex> l(mu);
    ++calls;
    kind = k;
    value = v;
    error = e;
    cv.notify_all();
  }
  bool Wait() {
    std::unique_lock<std::mutex> l(mu);
    return cv.wait_for(l, std::chrono::seconds(10), [&] { return calls > 0; });
  }
};

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override {
    if (rt_) {
      EXPECT_TRUE(rt_->Close().ok());
    }
  }

  void Open(const std::string& key = "") {
    RuntimeOptions o;
    o.data_dir = dir_.Sub("data");
    o.encryption_key = key;
    o.watchdog_grace_ms = 200;
    auto rt = Runtime::Open(o);
    ASSERT_TRUE(rt.ok()) << rt.status().ToString();
    rt_ = std::move(rt).value();
    rt_->SetOutcomeListener([this](const TaskOutcome& o) { outcomes_.Add(o); });
  }

  Status Install(const std::string& name, const std::string& manifest) {
    dir_.Write(name + "/manifest.json", manifest);
    return rt_->InstallBundle(dir_.Sub(name));
  }

  void Track(const std::string& json) { ASSERT_TRUE(rt_->TrackJson(json).ok()) << json; }
  void Idle() { ASSERT_TRUE(rt_->WaitIdle(10000)); }

  TempDir dir_;
  std::unique_ptr<Runtime> rt_;
  Outcomes outcomes_;
};

const char* kTriggerBundle = R"({
  "name": "b", "version": "1",
  "triggers": [
    {"taskName": "OnView", "events": [{"type": "mta", "pageId": "JD_Detail", "needPv": true, "clickIds": []}]},
    {"taskName": "OnCart", "events": [{"type": "mta", "pageId": "JD_Detail", "needPv": false,
                                       "clickIds": ["JD_Detail_AddCart", "JD_Detail_Buy"]}]}
  ],
  "tasks": [
    {"name": "OnView", "kind": "native:echo"},
    {"name": "OnCart", "kind": "native:count"}
  ]
})";

TEST_F(RuntimeTest, EventTriggersFollowTheIndustryMatchingRule) {
  ASSERT_TRUE(Install("b", kTriggerBundle).ok());
  Track(R"({"type":"mta","kind":"pv","pageId":"JD_Detail","itemId":"sku1","ts":1})");
  Track(R"({"type":"mta","kind":"pv","pageId":"JD_Home","ts":2})");           // other page
  Track(R"({"type":"other","kind":"pv","pageId":"JD_Detail","ts":3})");       // other type
  Track(R"({"type":"mta","kind":"click","pageId":"JD_Detail","clickId":"JD_Detail_AddCart","ts":4})");
  Track(R"({"type":"mta","kind":"click","pageId":"JD_Detail","clickId":"JD_Detail_Share","ts":5})");
  Track(R"({"type":"mta","kind":"click","pageId":"JD_Detail","clickId":"JD_Detail_Buy","ts":6})");
  Idle();
  auto views = outcomes_.Of("OnView");
  ASSERT_EQ(views.size(), 1u);
  EXPECT_TRUE(views[0].ok);
  EXPECT_EQ(views[0].trigger, TriggerKind::kEvent);
  EXPECT_EQ(*views[0].value, R"({"type":"mta","kind":"pv","pageId":"JD_Detail","itemId":"sku1","ts":1})");
  auto carts = outcomes_.Of("OnCart");
  ASSERT_EQ(carts.size(), 2u);
  // native:count sees the number of events on JD_Detail so far (including the
  // non-matching ones): the AddCart click was the 3rd, the Buy click the 5th.
  std::vector<std::string> counts = {*carts[0].value, *carts[1].value};
  std::sort(counts.begin(), counts.end());
  EXPECT_EQ(counts, (std::vector<std::string>{"3", "5"}));
}

const char* kApiBundle = R"({
  "name": "api", "version": "1",
  "tasks": [
    {"name": "Echo", "kind": "native:echo"},
    {"name": "Fail", "kind": "native:fail", "breaker": {"failures": 2, "cooldownMs": 600000}},
    {"name": "Slow", "kind": "native:sleep:10000", "deadlineMs": 50}
  ],
  "api": [
    {"systemCode": "s", "businessCode": "echo", "task": "Echo"},
    {"systemCode": "s", "businessCode": "fail", "task": "Fail"},
    {"systemCode": "s", "businessCode": "slow", "task": "Slow"}
  ]
})";

TEST_F(RuntimeTest, InferCallsExactlyOneCallback) {
  ASSERT_TRUE(Install("api", kApiBundle).ok());
  CallResult value, empty, failed, unknown, bad;
  rt_->Infer("s", "echo", R"({"k":[1,2]})", value.Callbacks());
  rt_->Infer("s", "echo", "", empty.Callbacks());
  rt_->Infer("s", "fail", "{}", failed.Callbacks());
  rt_->Infer("s", "nope", "{}", unknown.Callbacks());
  rt_->Infer("s", "echo", "{not json", bad.Callbacks());
  for (CallResult* r : {&value, &empty, &failed, &unknown, &bad}) ASSERT_TRUE(r->Wait());
  Idle();
  EXPECT_EQ(value.kind, "value");
  EXPECT_EQ(value.value, R"({"k":[1,2]})");
  EXPECT_EQ(empty.kind, "empty");
  EXPECT_EQ(failed.kind, "error");
  EXPECT_EQ(failed.error, TaskError::kFailed);
  EXPECT_EQ(unknown.kind, "error");
  EXPECT_EQ(unknown.error, TaskError::kNoSuchTask);
  EXPECT_EQ(bad.kind, "error");
  EXPECT_EQ(bad.error, TaskError::kBadInput);
  for (CallResult* r : {&value, &empty, &failed, &unknown, &bad}) EXPECT_EQ(r->calls, 1);
  // Calls refused before scheduling still reach the outcome listener once.
  EXPECT_EQ(outcomes_.Of("s/nope").size(), 1u);
}

TEST_F(RuntimeTest, BreakerOpensAfterConfiguredFailures) {
  ASSERT_TRUE(Install("api", kApiBundle).ok());
  std::vector<TaskError> errors;
  for (int i = 0; i < 4; ++i) {
    CallResult r;
    rt_->Infer("s", "fail", "{}", r.Callbacks());
    ASSERT_TRUE(r.Wait());
    errors.push_back(r.error);
  }
  EXPECT_EQ(errors, (std::vector<TaskError>{TaskError::kFailed, TaskError::kFailed,
                                            TaskError::kCircuitOpen, TaskError::kCircuitOpen}));
}

TEST_F(RuntimeTest, DeadlineEndsASlowTaskWithTimeout) {
  ASSERT_TRUE(Install("api", kApiBundle).ok());
  CallResult r;
  rt_->Infer("s", "slow", "", r.Callbacks());
  ASSERT_TRUE(r.Wait());
  EXPECT_EQ(r.kind, "error");
  EXPECT_EQ(r.error, TaskError::kTimeout);
}

TEST_F(RuntimeTest, DependenciesRunFirstAndPassTheirResults) {
  ASSERT_TRUE(rt_->RegisterNativeTask("calc", [](const TaskContext&) -> Result<TaskOutput> {
    return TaskOutput{std::string(R"({"score":7})")};
  }).ok());
  ASSERT_TRUE(rt_->RegisterNativeTask("infer", [](const TaskContext& ctx) -> Result<TaskOutput> {
    auto it = ctx.upstream.find("CalcTask");
    if (it == ctx.upstream.end()) return Status::Internal("no upstream result");
    return TaskOutput{"[" + it->second + "," + ctx.ext_data + "]"};
  }).ok());
  ASSERT_TRUE(Install("dag", R"({"name":"dag","version":"1",
    "tasks":[{"name":"CalcTask","kind":"native:calc","queue":"core"},
             {"name":"InferTask","kind":"native:infer","queue":"core","after":["CalcTask"]}],
    "api":[{"systemCode":"s","businessCode":"dag","task":"InferTask"}]})")
                  .ok());
  CallResult r;
  rt_->Infer("s", "dag", "1", r.Callbacks());
  ASSERT_TRUE(r.Wait());
  EXPECT_EQ(r.kind, "value");
  EXPECT_EQ(r.value, R"([{"score":7},1])");
  Idle();
  EXPECT_EQ(outcomes_.Of("CalcTask").size(), 1u);
}

TEST_F(RuntimeTest, BroadcastsToSubscribersAndChainsTasks) {
  ASSERT_TRUE(Install("reach", R"({"name":"reach","version":"1",
    "tasks":[{"name":"A","kind":"native:echo","broadcast":"t.a","chain":"B"},
             {"name":"B","kind":"native:echo","broadcast":"t.b"}],
    "api":[{"systemCode":"s","businessCode":"a","task":"A"}]})")
                  .ok());
  std::mutex mu;
  std::vector<std::string> got;
  auto sub = rt_->Subscribe("t.b", [&](const std::string& topic, const std::string& v) {
    std::lock_guard<std::mutex> l(mu);
    got.push_back(topic + "=" + v);
  });
  rt_->Subscribe("t.a", [&](const std::string& topic, const std::string& v) {
    std::lock_guard<std::mutex> l(mu);
    got.push_back(topic + "=" + v);
  });
  rt_->Infer("s", "a", R"({"x":1})", {});
  Idle();
  {
    std::lock_guard<std::mutex> l(mu);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<std::string>{R"(t.a={"x":1})", R"(t.b={"x":1})"}));
    got.clear();
  }
  auto chained = outcomes_.Of("B");
  ASSERT_EQ(chained.size(), 1u);
  EXPECT_EQ(chained[0].trigger, TriggerKind::kChain);

  rt_->Unsubscribe(sub);
  rt_->Infer("s", "a", "2", {});
  Idle();
  std::lock_guard<std::mutex> l(mu);
  EXPECT_EQ(got, std::vector<std::string>{"t.a=2"});
}

TEST_F(RuntimeTest, TimerTriggersFireRepeatedly) {
  ASSERT_TRUE(Install("t", R"({"name":"t","version":"1",
    "timers":[{"taskName":"Tick","everySeconds":0.02}],
    "tasks":[{"name":"Tick","kind":"native:echo","queue":"low"}]})")
                  .ok());
  for (int i = 0; i < 1000 && outcomes_.Of("Tick").size() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // waits for real timers, bounded
  }
  auto ticks = outcomes_.Of("Tick");
  ASSERT_GE(ticks.size(), 3u);
  EXPECT_EQ(ticks[0].trigger, TriggerKind::kTimer);
  EXPECT_TRUE(ticks[0].ok);
  ASSERT_TRUE(rt_->UninstallBundle("t").ok());
}

TEST_F(RuntimeTest, BadBundlesAreRejectedAndChangeNothing) {
  ASSERT_TRUE(Install("api", kApiBundle).ok());
  Status s = Install("x", R"({"name":"x","version":"1","tasks":[{"name":"T","kind":"python:x"}]})");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("tasks[0].kind"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("python:x"), std::string::npos) << s.message();

  s = Install("x", R"({"name":"x","version":"1","tasks":[{"name":"T","kind":"native:sleep:abc"}]})");
  EXPECT_NE(s.message().find("native:sleep:MS"), std::string::npos) << s.message();

  s = Install("x", R"({"name":"x","version":"1","tasks":[
      {"name":"A","kind":"native:echo","after":["B"]},{"name":"B","kind":"native:echo","after":["A"]}]})");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cycle"), std::string::npos) << s.message();

  s = Install("x", R"({"name":"x","version":"1","tasks":[{"name":"Echo","kind":"native:echo"}]})");
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(s.message().find("already installed by bundle \"api\""), std::string::npos);

  s = Install("x", R"({"name":"x","version":"1","tasks":[{"name":"T","kind":"native:echo"}],
      "storage":{"routes":[{"type":"mta","table":"missing_table"}]}})");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("missing_table"), std::string::npos) << s.message();

  s = Install("x", R"({"name":"x","version":"1","minRuntimeVersion":"99.0",
      "tasks":[{"name":"T","kind":"native:echo"}]})");
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);

  // The installed bundle still works, and nothing of "x" was installed.
  CallResult r;
  rt_->Infer("s", "echo", "1", r.Callbacks());
  ASSERT_TRUE(r.Wait());
  EXPECT_EQ(r.value, "1");
  EXPECT_EQ(rt_->UninstallBundle("x").code(), StatusCode::kNotFound);
}

TEST_F(RuntimeTest, UninstallStopsTriggersAndRoutes) {
  ASSERT_TRUE(Install("b", kTriggerBundle).ok());
  ASSERT_TRUE(rt_->UninstallBundle("b").ok());
  Track(R"({"type":"mta","kind":"pv","pageId":"JD_Detail","ts":1})");
  Idle();
  EXPECT_EQ(outcomes_.Of("OnView").size(), 0u);
}

TEST_F(RuntimeTest, EventsPersistAcrossReopenAndAreQueryable) {
  for (int i = 0; i < 100; ++i) {
    Track(R"({"type":"mta","kind":"pv","pageId":")" + std::string(i % 2 ? "A" : "B") +
          R"(","ts":)" + std::to_string(1000 + i) + "}");
  }
  ASSERT_TRUE(rt_->Close().ok());
  rt_.reset();
  Open();
  auto events = rt_->QueryEvents(1000, 1050, "mta", "A");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(events->size(), 25u);
  auto rows = rt_->Sql("SELECT page_id, count(*) FROM events GROUP BY page_id ORDER BY page_id");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->rows.size(), 2u);
  EXPECT_EQ(rows->rows[0][0], R"("A")");
  EXPECT_EQ(rows->rows[0][1], "50");
  EXPECT_EQ(rt_->Sql("DELETE FROM events").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(RuntimeTest, TrackRejectsMalformedEventsWithoutLosingStoredOnes) {
  Track(R"({"type":"mta","pageId":"A","ts":1})");
  Status s = rt_->TrackJson(R"({"type":"mta","pageId":"A","ts":"x"})");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("'ts'"), std::string::npos);
  EXPECT_EQ(rt_->TrackJson("garbage").code(), StatusCode::kInvalidArgument);
  Status flushed = rt_->Flush();
  ASSERT_TRUE(flushed.ok()) << flushed.ToString();
  auto events = rt_->QueryEvents(0, INT64_MAX);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 1u);
}

TEST_F(RuntimeTest, CloseCancelsQueuedWorkAndRefusesNewInput) {
  ASSERT_TRUE(Install("api", R"({"name":"api","version":"1",
    "tasks":[{"name":"Slow","kind":"native:sleep:5000","deadlineMs":60000}],
    "api":[{"systemCode":"s","businessCode":"slow","task":"Slow"}]})")
                  .ok());
  CallResult a, b;
  rt_->Infer("s", "slow", "", a.Callbacks());
  rt_->Infer("s", "slow", "", b.Callbacks());
  ASSERT_TRUE(rt_->Close().ok());
  ASSERT_TRUE(a.Wait());
  ASSERT_TRUE(b.Wait());
  EXPECT_EQ(a.error, TaskError::kCancelled);
  EXPECT_EQ(b.error, TaskError::kCancelled);
  EXPECT_EQ(rt_->TrackJson(R"({"type":"mta","pageId":"A","ts":1})").code(),
            StatusCode::kFailedPrecondition);
  CallResult c;
  rt_->Infer("s", "slow", "", c.Callbacks());
  ASSERT_TRUE(c.Wait());
  EXPECT_EQ(c.error, TaskError::kCancelled);
  rt_.reset();
}

TEST_F(RuntimeTest, EncryptedRoutesNeedTheKey) {
  rt_->Close();
  rt_.reset();
  RuntimeOptions o;
  o.data_dir = dir_.Sub("enc");
  o.encryption_key = "secret";
  o.tables = {{"events", false, 0, 0}, {"orders", true, 0, 0}};
  o.routes = {{"mta", "", "Pay", "orders"}};
  {
    auto rt = Runtime::Open(o);
    ASSERT_TRUE(rt.ok()) << rt.status().ToString();
    ASSERT_TRUE((*rt)->TrackJson(R"({"type":"mta","pageId":"Pay","ts":1,"props":{"card":"4111"}})").ok());
    ASSERT_TRUE((*rt)->TrackJson(R"({"type":"mta","pageId":"Home","ts":2})").ok());
    ASSERT_TRUE((*rt)->Close().ok());
  }
  o.encryption_key = "wrong";
  auto bad = Runtime::Open(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("orders"), std::string::npos) << bad.status().ToString();
  o.encryption_key = "secret";
  auto rt = Runtime::Open(o);
  ASSERT_TRUE(rt.ok()) << rt.status().ToString();
  auto rows = (*rt)->Sql("SELECT count(*) FROM orders");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->rows[0][0], "1");
  (*rt)->Close();
}

// A task that kills the process leaves a crash marker; the next Open() reports
// it and counts it against the task's breaker.
TEST(RuntimeCrashTest, CrashMarkerFromAKilledProcessIsReported) {
  // "fast" forks without re-executing, so the child uses this test's directory.
  GTEST_FLAG_SET(death_test_style, "fast");
  TempDir dir;
  dir.Write("b/manifest.json", R"({"name":"b","version":"1",
    "tasks":[{"name":"Boom","kind":"native:boom","breaker":{"failures":1,"cooldownMs":600000}}],
    "api":[{"systemCode":"s","businessCode":"boom","task":"Boom"}]})");
  RuntimeOptions o;
  o.data_dir = dir.Sub("data");
  EXPECT_EXIT(
      {
        auto rt = Runtime::Open(o);
        if (!rt.ok()) std::_Exit(2);
        (*rt)->RegisterNativeTask("boom", [](const TaskContext&) -> Result<TaskOutput> {
          std::_Exit(3);
        });
        if (!(*rt)->InstallBundle(dir.Sub("b")).ok()) std::_Exit(4);
        (*rt)->Infer("s", "boom", "", {});
        (*rt)->WaitIdle(10000);
        std::_Exit(5);
      },
      ::testing::ExitedWithCode(3), "");

  auto rt = Runtime::Open(o);
  ASSERT_TRUE(rt.ok()) << rt.status().ToString();
  auto crashes = (*rt)->PreviousCrashes();
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].task, "Boom");
  // The first outcome listener hears of it once, as `crashed`.
  std::vector<TaskOutcome> heard;
  (*rt)->SetOutcomeListener([&](const TaskOutcome& o) { heard.push_back(o); });
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0].task, "Boom");
  EXPECT_EQ(heard[0].error, TaskError::kCrashed);
  EXPECT_EQ(heard[0].trigger, TriggerKind::kApi);
  (*rt)->SetOutcomeListener(nullptr);
  ASSERT_TRUE((*rt)->RegisterNativeTask("boom", [](const TaskContext&) -> Result<TaskOutput> {
    return TaskOutput{};
  }).ok());
  ASSERT_TRUE((*rt)->InstallBundle(dir.Sub("b")).ok());
  CallResult r;
  (*rt)->Infer("s", "boom", "", r.Callbacks());
  ASSERT_TRUE(r.Wait());
  EXPECT_EQ(r.kind, "error");
  EXPECT_EQ(r.error, TaskError::kCircuitOpen);
  (*rt)->Close();
}

}  // namespace
}  // namespace edgeflow
