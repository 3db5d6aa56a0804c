// Event: one user-behaviour event as the app reports it (DESIGN.md, "Events").
//
//   {"type":"mta","kind":"pv","pageId":"JD_Detail","clickId":"JD_Detail_AddCart",
//    "itemId":"sku1","ts":1700000000123,"props":{...}}
//
// `type`, `pageId` and `ts` are required; the rest may be absent (empty here).
#ifndef EDGEFLOW_EVENT_H_
#define EDGEFLOW_EVENT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "edgeflow/status.h"

namespace edgeflow {

struct Event {
  std::string type;      // event family, e.g. "mta"
  std::string kind;      // "pv" | "click" | "exposure" | "custom" | "" (absent)
  std::string page_id;   // "pageId"
  std::string click_id;  // "clickId", "" when absent
  std::string item_id;   // "itemId", "" when absent
  int64_t ts_ms = 0;     // milliseconds since the Unix epoch
  std::string props;     // the "props" object as compact JSON text, "" when absent

  bool operator==(const Event&) const = default;
};

// Parses one event from JSON text. Errors name the offending field, e.g.
// "event: field 'ts' must be an integer (milliseconds since the epoch)".
Result<Event> ParseEvent(std::string_view json);

// Compact JSON in the DESIGN.md field order; absent fields are omitted.
std::string EventToJson(const Event& event);

}  // namespace edgeflow

#endif  // EDGEFLOW_EVENT_H_
