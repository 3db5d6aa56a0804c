#include "bundle/manifest.h"

#include <gtest/gtest.h>

namespace edgeflow {
namespace {

const char* kValid = R"({
  "name": "rerank", "version": "1.2.0", "systemCode": "shop", "businessCode": "rerank",
  "triggers": [{"taskName": "InferTask",
                "events": [{"type": "mta", "pageId": "JD_Detail", "needPv": false,
                            "clickIds": ["JD_Detail_AddCart"]}]}],
  "timers": [{"taskName": "CalcTask", "everySeconds": 60}],
  "tasks": [
    {"name": "CalcTask", "kind": "native:count", "queue": "core"},
    {"name": "InferTask", "kind": "native:echo", "queue": "core", "priority": 3,
     "after": ["CalcTask"], "deadlineMs": 500, "breaker": {"failures": 2, "cooldownMs": 100},
     "broadcast": "topic.a", "chain": "Report"},
    {"name": "Report", "kind": "native:echo", "queue": "low"}
  ],
  "api": [{"systemCode": "shop", "businessCode": "rerank", "task": "InferTask"}],
  "storage": {"tables": [{"name": "orders", "encrypted": true, "ttlMs": 1000, "maxRows": 10}],
              "routes": [{"type": "mta", "pageId": "Pay", "table": "orders"}]}
})";

TEST(Manifest, ParsesEveryField) {
  auto m = ParseManifest(kValid, "manifest.json");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->name, "rerank");
  EXPECT_EQ(m->version, "1.2.0");
  ASSERT_EQ(m->tasks.size(), 3u);
  const TaskDecl& infer = m->tasks[1];
  EXPECT_EQ(infer.queue, QueueKind::kCore);
  EXPECT_EQ(infer.priority, 3);
  EXPECT_EQ(infer.after, std::vector<std::string>{"CalcTask"});
  EXPECT_EQ(infer.deadline_ms, 500);
  EXPECT_EQ(infer.breaker.failures, 2);
  EXPECT_EQ(infer.breaker.cooldown_ms, 100);
  EXPECT_EQ(infer.broadcast, "topic.a");
  EXPECT_EQ(infer.chain, "Report");
  EXPECT_EQ(m->tasks[2].queue, QueueKind::kLow);
  ASSERT_EQ(m->triggers.size(), 1u);
  EXPECT_EQ(m->triggers[0].task_name, "InferTask");
  ASSERT_EQ(m->triggers[0].events.size(), 1u);
  EXPECT_EQ(m->triggers[0].events[0].click_ids, std::vector<std::string>{"JD_Detail_AddCart"});
  ASSERT_EQ(m->timers.size(), 1u);
  EXPECT_EQ(m->timers[0].every_ms, 60000);
  ASSERT_EQ(m->api.size(), 1u);
  EXPECT_EQ(m->api[0].task, "InferTask");
  ASSERT_EQ(m->tables.size(), 1u);
  EXPECT_TRUE(m->tables[0].encrypted);
  EXPECT_EQ(m->tables[0].max_rows, 10);
  ASSERT_EQ(m->routes.size(), 1u);
  EXPECT_EQ(m->routes[0].table, "orders");
}

TEST(Manifest, AcceptsIndustryTriggerWrapperAndSingleApiObject) {
  auto m = ParseManifest(R"({"name":"b","version":3,
    "triggers":{"triggers":[{"taskName":"T","events":[{"type":"mta","pageId":"P","needPv":true}]}]},
    "tasks":[{"name":"T","kind":"native:echo"}],
    "api":{"systemCode":"s","businessCode":"b","task":"T"}})",
                         "m");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->version, "3");
  EXPECT_EQ(m->triggers.size(), 1u);
  EXPECT_EQ(m->api.size(), 1u);
  EXPECT_EQ(m->tasks[0].queue, QueueKind::kRegular);
}

struct BadCase {
  const char* json;
  const char* want;  // substring of the error message
};

TEST(Manifest, BadInputNamesTheField) {
  const BadCase cases[] = {
      {"{", "m.json: malformed JSON"},
      {"[]", "m.json: expected a JSON object"},
      {R"({"version":"1","tasks":[{"name":"T","kind":"native:echo"}]})", "m.json: name: missing"},
      {R"({"name":"b","tasks":[{"name":"T","kind":"native:echo"}]})", "m.json: version: missing"},
      {R"({"name":"b","version":"1.x","tasks":[{"name":"T","kind":"native:echo"}]})",
       "version: \"1.x\" is not a dotted version"},
      {R"({"name":"b","version":"1","tasks":[]})", "tasks: at least one task"},
      {R"({"name":"b","version":"1","tasks":[{"name":"T"}]})", "tasks[0].kind: missing"},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo","queue":"vip"}]})",
       "tasks[0].queue: expected \"core\", \"regular\" or \"low\", got \"vip\""},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo","deadlineMs":"5"}]})",
       "tasks[0].deadlineMs: expected an integer"},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo","deadlineMs":0}]})",
       "tasks[0].deadlineMs: must be between 1"},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo","deadlinMs":5}]})",
       "tasks[0].deadlinMs: unknown field"},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo","breaker":{"failures":0}}]})",
       "tasks[0].breaker.failures: must be between 1"},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo","after":["X"]}]})",
       "tasks[0].after[0]: unknown task \"X\""},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo","after":[1]}]})",
       "tasks[0].after[0]: expected a string"},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo"},{"name":"T","kind":"native:echo"}]})",
       "tasks[1].name: duplicate task \"T\""},
      {R"({"name":"b","version":"1","tasks":[{"name":"A","kind":"native:echo","chain":"B"},{"name":"B","kind":"native:echo","chain":"A"}]})",
       "tasks[0].chain: chain from \"A\" loops back to \"A\""},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo"}],"triggers":[{"taskName":"U","events":[]}]})",
       "triggers[0].taskName: unknown task \"U\""},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo"}],"api":[{"systemCode":"s","businessCode":"b","task":"U"}]})",
       "api[0].task: unknown task \"U\""},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo"}],"api":[{"systemCode":"s","task":"T"}]})",
       "api[0].businessCode: missing"},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo"}],"storage":{"tables":[{"name":"1x"}]}})",
       "storage.tables[0].name: \"1x\" is not a valid table name"},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo"}],"storage":{"routes":[{"type":"mta"}]}})",
       "storage.routes[0].table: missing"},
      {R"({"name":"b","version":"1","tasks":[{"name":"T","kind":"native:echo"}],"bogus":1})",
       "m.json: bogus: unknown field"},
  };
  for (const BadCase& c : cases) {
    auto m = ParseManifest(c.json, "m.json");
    ASSERT_FALSE(m.ok()) << c.json;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument) << c.json;
    EXPECT_NE(m.status().message().find(c.want), std::string::npos)
        << "input: " << c.json << "\nmessage: " << m.status().message() << "\nwanted: " << c.want;
  }
}

TEST(Manifest, LoadFromMissingDirNamesTheFile) {
  auto m = LoadManifestFromDir("/nonexistent/bundle");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("/nonexistent/bundle/manifest.json"), std::string::npos);
}

TEST(CompareVersions, NumericComponentWise) {
  EXPECT_EQ(CompareVersions("1.10", "1.9"), 1);
  EXPECT_EQ(CompareVersions("1.2", "1.2.0"), 0);
  EXPECT_EQ(CompareVersions("0.1.0", "0.2"), -1);
  EXPECT_EQ(CompareVersions("01.2", "1.2"), 0);
  EXPECT_EQ(CompareVersions("2", "10"), -1);
  EXPECT_EQ(CompareVersions("99999999999999999999", "1"), 1);
}

}  // namespace
}  // namespace edgeflow
