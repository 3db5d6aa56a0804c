// Manifest: the JSON description at the root of a bundle (manifest.json). It
// names the bundle and lists its tasks, triggers, API routes and storage routing.
//
//   {"name":"rerank","version":"1.2.0","systemCode":"shop","businessCode":"rerank",
//    "minRuntimeVersion":"0.1.0",
//    "triggers":[{"taskName":"InferTask","events":[{"type":"mta","pageId":"P",
//                 "needPv":false,"clickIds":["P_Buy"]}]}],
//    "timers":[{"taskName":"Refresh","everySeconds":60}],
//    "tasks":[{"name":"CalcTask","kind":"native:count","queue":"core"},
//             {"name":"InferTask","kind":"native:echo","queue":"core","priority":1,
//              "after":["CalcTask"],"deadlineMs":500,
//              "breaker":{"failures":3,"cooldownMs":5000},
//              "broadcast":"rerank.done","chain":"Report"}],
//    "api":[{"systemCode":"shop","businessCode":"rerank","task":"InferTask"}],
//    "storage":{"tables":[{"name":"orders","encrypted":true,"ttlMs":0,"maxRows":0}],
//               "routes":[{"type":"mta","kind":"","pageId":"Pay","table":"orders"}]}}
//
// Parsing checks every cross-reference (trigger, timer, api and chain targets,
// `after` names, route tables) and reports the first problem with its JSON path.
#ifndef EDGEFLOW_BUNDLE_MANIFEST_H_
#define EDGEFLOW_BUNDLE_MANIFEST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "edgeflow/status.h"
#include "edgeflow/storage.h"
#include "task/scheduler.h"
#include "task/trigger.h"

namespace edgeflow {

// A task as the manifest declares it. The body is resolved from `kind` by the
// device runtime, not here.
struct TaskDecl {
  std::string name;
  std::string kind;              // "native:echo", "native:sleep:50", "native:<app fn>", ...
  QueueKind queue = QueueKind::kRegular;
  int priority = 0;
  std::vector<std::string> after;
  int64_t deadline_ms = 10000;
  BreakerConfig breaker;
  std::string broadcast;         // topic to publish each successful result to; "" = none
  std::string chain;             // task to start with this result as extData; "" = none
};

struct ApiRoute {
  std::string system_code;
  std::string business_code;
  std::string task;
};

struct Manifest {
  std::string name;
  std::string version;           // dotted numbers, e.g. "1.2.0"
  std::string system_code;
  std::string business_code;
  std::string min_runtime_version;  // "" = any
  std::vector<TaskDecl> tasks;
  std::vector<EventTrigger> triggers;
  std::vector<TimerTrigger> timers;
  std::vector<ApiRoute> api;
  std::vector<TableSpec> tables;
  std::vector<RouteRule> routes;
  // The manifest JSON as read. Its "pipeline", "features" and "patterns" are
  // parsed by the pipeline part (src/pipeline/pipeline.h), not here.
  std::string text;
};

// Parses and cross-checks manifest JSON. `where` (e.g. "bundle/manifest.json")
// prefixes every error message.
Result<Manifest> ParseManifest(std::string_view json, std::string_view where);

// Reads DIR/manifest.json and parses it.
Result<Manifest> LoadManifestFromDir(const std::string& dir);

// Compares dotted versions numerically ("1.10" > "1.9"); -1, 0 or 1. A version
// that is not dotted numbers compares as a string after every numeric one.
int CompareVersions(std::string_view a, std::string_view b);

}  // namespace edgeflow

#endif  // EDGEFLOW_BUNDLE_MANIFEST_H_
