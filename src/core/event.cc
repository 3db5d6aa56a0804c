// Event <-> JSON, with errors that name the offending field.
#include "edgeflow/event.h"

#include <nlohmann/json.hpp>

namespace edgeflow {

using nlohmann::json;

namespace {

Status ReadString(const json& j, const char* field, bool required, std::string* out) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(std::string("event: missing field '") + field + "'");
    return Status::OK();
  }
  if (!it->is_string()) {
    return Status::InvalidArgument(std::string("event: field '") + field + "' must be a string");
  }
  *out = it->get<std::string>();
  return Status::OK();
}

}  // namespace

Result<Event> ParseEvent(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("event: malformed JSON");
  if (!j.is_object()) return Status::InvalidArgument("event: expected a JSON object");
  Event e;
  EF_RETURN_IF_ERROR(ReadString(j, "type", true, &e.type));
  EF_RETURN_IF_ERROR(ReadString(j, "kind", false, &e.kind));
  EF_RETURN_IF_ERROR(ReadString(j, "pageId", true, &e.page_id));
  EF_RETURN_IF_ERROR(ReadString(j, "clickId", false, &e.click_id));
  EF_RETURN_IF_ERROR(ReadString(j, "itemId", false, &e.item_id));
  if (e.type.empty()) return Status::InvalidArgument("event: field 'type' must not be empty");
  auto ts = j.find("ts");
  if (ts == j.end()) return Status::InvalidArgument("event: missing field 'ts'");
  if (ts->is_number_unsigned()) {
    uint64_t v = ts->get<uint64_t>();
    if (v > static_cast<uint64_t>(INT64_MAX)) {
      return Status::InvalidArgument("event: field 'ts' is out of range");
    }
    e.ts_ms = static_cast<int64_t>(v);
  } else if (ts->is_number_integer()) {
    e.ts_ms = ts->get<int64_t>();
  } else {
    return Status::InvalidArgument(
        "event: field 'ts' must be an integer (milliseconds since the epoch)");
  }
  if (e.ts_ms < 0) return Status::InvalidArgument("event: field 'ts' must not be negative");
  auto props = j.find("props");
  if (props != j.end() && !props->is_null()) {
    if (!props->is_object()) return Status::InvalidArgument("event: field 'props' must be an object");
    e.props = props->dump();
  }
  return e;
}

std::string EventToJson(const Event& e) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["type"] = e.type;
  if (!e.kind.empty()) j["kind"] = e.kind;
  j["pageId"] = e.page_id;
  if (!e.click_id.empty()) j["clickId"] = e.click_id;
  if (!e.item_id.empty()) j["itemId"] = e.item_id;
  j["ts"] = e.ts_ms;
  if (!e.props.empty()) {
    auto p = nlohmann::ordered_json::parse(e.props, nullptr, false);
    if (!p.is_discarded()) j["props"] = std::move(p);
  }
  // Events may carry arbitrary bytes from the app; never throw on invalid UTF-8.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace edgeflow
