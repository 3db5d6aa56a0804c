// Triggers: what turns an event, an API call or the passing of time into a task
// instance. Event triggers use the industry format of DESIGN.md, kept as is:
//
//   {"triggers":[{"taskName":"InferTask","events":[{"type":"mta","pageId":"JD_XXXX",
//                 "needPv":false,"clickIds":["JD_XXXX"]}]}]}
//
// An event matches when type and pageId are equal and either needPv is true and
// the event is that page's view (kind "pv"), or its clickId is in clickIds.
#ifndef EDGEFLOW_TASK_TRIGGER_H_
#define EDGEFLOW_TASK_TRIGGER_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "edgeflow/event.h"
#include "edgeflow/status.h"

namespace edgeflow {

struct EventPattern {
  std::string type;
  std::string page_id;
  bool need_pv = false;
  std::vector<std::string> click_ids;
};

struct EventTrigger {
  std::string task_name;
  std::vector<EventPattern> events;
};

// Fires task_name every every_ms milliseconds (manifest: {"taskName","everySeconds"}).
struct TimerTrigger {
  std::string task_name;
  int64_t every_ms = 0;
};

// Parses the value of a manifest's "triggers" key (an array). `where` prefixes
// errors, e.g. "manifest.json: triggers[1].events[0].clickIds: expected an array".
Result<std::vector<EventTrigger>> ParseEventTriggers(const nlohmann::json& triggers,
                                                     std::string_view where);
// Parses the value of a manifest's "timers" key (an array).
Result<std::vector<TimerTrigger>> ParseTimerTriggers(const nlohmann::json& timers,
                                                     std::string_view where);

// Matches events against the triggers of every installed bundle. Match() is
// called on the Track() hot path: a hash lookup on (type, pageId), no allocation
// beyond appending to `out`. Thread-safe; Add/Remove may run concurrently with
// Match.
class TriggerRouter {
 public:
  TriggerRouter();
  ~TriggerRouter();
  // Replaces the triggers owned by `owner` (a bundle name).
  void Set(const std::string& owner, const std::vector<EventTrigger>& triggers);
  void Remove(const std::string& owner);
  // Appends the name of each task to start for `event`, once per matching
  // trigger entry (a task named by two matching triggers appears twice).
  void Match(const Event& event, std::vector<std::string>* out) const;

 private:
  struct Table;
  void RebuildLocked();  // requires write_mu_ held
  // Writers serialise on write_mu_ and build a new immutable Table outside mu_;
  // mu_ guards only the table_ pointer swap/copy, so Match holds it (shared) just
  // long enough to copy the shared_ptr and writers are not starved by readers.
  std::mutex write_mu_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::vector<EventTrigger>> by_owner_;  // guarded by write_mu_
  std::shared_ptr<const Table> table_;                                    // guarded by mu_
};

}  // namespace edgeflow

#endif  // EDGEFLOW_TASK_TRIGGER_H_
