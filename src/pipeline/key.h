// KeySpec: how a feature or a pattern partitions the stream ("keyBy").
//
//   "user"      props.userId, or "" when absent (a device usually has one user)
//   "session"   props.sessionId
//   "item"      itemId            "page"  pageId
//   "category"  props.category    any other field name: that field (e.g.
//               "clickId", "props.brand")
//   absent      one key, ""
//
// The key of an event is ToKeyString() of the field. An event whose key field
// is absent (None) has no key and is skipped by that feature or pattern, except
// for "user", which falls back to "".
#ifndef EDGEFLOW_PIPELINE_KEY_H_
#define EDGEFLOW_PIPELINE_KEY_H_

#include <optional>
#include <string>
#include <string_view>

#include "edgeflow/status.h"
#include "pipeline/event_view.h"

namespace edgeflow::pipeline {

class KeySpec {
 public:
  KeySpec() = default;  // one key, ""
  // Parses a keyBy value; `where` names the JSON field in errors.
  static Result<KeySpec> Parse(std::string_view key_by, std::string_view where);

  // The event's key, or nullopt when it has none.
  std::optional<std::string> KeyOf(const EventView& event) const;

  const std::string& name() const { return name_; }  // as written, "" when absent
  bool operator==(const KeySpec& o) const { return name_ == o.name_; }

 private:
  std::string name_;   // the keyBy text
  std::string field_;  // the resolved field name; "" = constant key
  bool fallback_empty_ = false;  // "user": absent field means key ""
};

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_KEY_H_
