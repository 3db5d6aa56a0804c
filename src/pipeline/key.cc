// KeySpec: resolves keyBy names to event fields (key.h lists them).
#include "pipeline/key.h"

namespace edgeflow::pipeline {
namespace {

bool IsTopLevelField(std::string_view f) {
  return f == "type" || f == "kind" || f == "pageId" || f == "clickId" || f == "itemId" || f == "ts";
}

}  // namespace

Result<KeySpec> KeySpec::Parse(std::string_view key_by, std::string_view where) {
  KeySpec k;
  k.name_ = std::string(key_by);
  if (key_by == "user") {
    k.field_ = "props.userId";
    k.fallback_empty_ = true;
  } else if (key_by == "session") {
    k.field_ = "props.sessionId";
  } else if (key_by == "item") {
    k.field_ = "itemId";
  } else if (key_by == "page") {
    k.field_ = "pageId";
  } else if (key_by == "category") {
    k.field_ = "props.category";
  } else if (IsTopLevelField(key_by) ||
             (key_by.size() > 6 && key_by.substr(0, 6) == "props.")) {
    k.field_ = std::string(key_by);
  } else {
    return Status::InvalidArgument(std::string(where) + ": unknown key \"" + std::string(key_by) +
                                   "\" (expected user, session, item, category, page, an event "
                                   "field or props.NAME)");
  }
  return k;
}

std::optional<std::string> KeySpec::KeyOf(const EventView& event) const {
  if (field_.empty()) return std::string();
  // The common cases without building a Value: a props member or a string field.
  if (field_.size() > 6 && field_.compare(0, 6, "props.") == 0) {
    const Value* p = event.Prop(std::string_view(field_).substr(6));
    if (p && p->kind == Value::Kind::kStr) return p->s;
    if (!p || p->is_none()) {
      if (fallback_empty_) return std::string();
      return std::nullopt;
    }
    return ToKeyString(*p);
  }
  if (field_ == "pageId") return event.event().page_id;
  if (field_ == "itemId") {
    if (!event.event().item_id.empty()) return event.event().item_id;
    return std::nullopt;
  }
  Value v = event.Field(field_);
  if (v.is_none()) {
    if (fallback_empty_) return std::string();
    return std::nullopt;
  }
  return ToKeyString(v);
}

}  // namespace edgeflow::pipeline
