// EventView: one event as the pipeline's operators read it. The event's
// top-level fields are exposed by name, and the members of `props` are parsed
// once, on first use, so that the 50 filters and keys that look at one event
// share one parse.
//
// Field names are the JSON names of DESIGN.md's event format: type, kind,
// pageId, clickId, itemId, ts, and props.NAME for a member of props. Optional
// fields that are absent (Event holds "") read as None.
#ifndef EDGEFLOW_PIPELINE_EVENT_VIEW_H_
#define EDGEFLOW_PIPELINE_EVENT_VIEW_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "edgeflow/event.h"
#include "pipeline/value.h"

namespace edgeflow::pipeline {

class EventView {
 public:
  // `event` must outlive the view. `seq` is the event's arrival number in the
  // store (0 when not stored); patterns report it in their matches.
  explicit EventView(const Event& event, int64_t seq = 0) : event_(&event), seq_(seq) {}

  const Event& event() const { return *event_; }
  int64_t seq() const { return seq_; }
  int64_t ts_ms() const { return event_->ts_ms; }

  // A member of props; nullptr when props is absent, is not an object, or has
  // no member `name`. Numbers are kInt when they are integers in int64 range,
  // kFloat otherwise; true/false are kBool; null is kNone; objects and arrays
  // are kJson. Malformed props JSON reads as an empty object.
  const Value* Prop(std::string_view name) const;

  // A field by name: "type", "kind", "pageId", "clickId", "itemId", "ts", or
  // "props.NAME". Unknown names and absent fields give None.
  Value Field(std::string_view name) const;

 private:
  void ParseProps() const;

  const Event* event_;
  int64_t seq_;
  mutable bool props_parsed_ = false;
  mutable std::vector<std::pair<std::string, Value>> props_;  // in document order; later duplicates win
};

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_EVENT_VIEW_H_
