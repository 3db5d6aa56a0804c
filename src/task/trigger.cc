// Event and timer trigger parsing, and the TriggerRouter's page-indexed table.
#include "task/trigger.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>

namespace edgeflow {

using nlohmann::json;

namespace {

std::string At(std::string_view where, size_t i) {
  return std::string(where) + "[" + std::to_string(i) + "]";
}

Status StringField(const json& obj, const char* field, const std::string& path, bool required,
                   std::string* out) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(path + "." + field + ": missing (expected a string)");
    return Status::OK();
  }
  if (!it->is_string()) return Status::InvalidArgument(path + "." + field + ": expected a string");
  *out = it->get<std::string>();
  if (required && out->empty()) return Status::InvalidArgument(path + "." + field + ": must not be empty");
  return Status::OK();
}

Status KnownFields(const json& obj, const std::string& path,
                   std::initializer_list<const char*> known) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; })) {
      return Status::InvalidArgument(path + "." + it.key() + ": unknown field");
    }
  }
  return Status::OK();
}

Result<EventPattern> ParsePattern(const json& j, const std::string& path) {
  if (!j.is_object()) return Status::InvalidArgument(path + ": expected an object");
  EF_RETURN_IF_ERROR(KnownFields(j, path, {"type", "pageId", "needPv", "clickIds"}));
  EventPattern p;
  EF_RETURN_IF_ERROR(StringField(j, "type", path, true, &p.type));
  EF_RETURN_IF_ERROR(StringField(j, "pageId", path, true, &p.page_id));
  if (auto it = j.find("needPv"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) return Status::InvalidArgument(path + ".needPv: expected true or false");
    p.need_pv = it->get<bool>();
  }
  if (auto it = j.find("clickIds"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) return Status::InvalidArgument(path + ".clickIds: expected an array of strings");
    for (size_t k = 0; k < it->size(); ++k) {
      if (!(*it)[k].is_string()) {
        return Status::InvalidArgument(At(path + ".clickIds", k) + ": expected a string");
      }
      p.click_ids.push_back((*it)[k].get<std::string>());
    }
  }
  if (!p.need_pv && p.click_ids.empty()) {
    return Status::InvalidArgument(path + ": matches nothing (needPv is false and clickIds is empty)");
  }
  return p;
}

}  // namespace

Result<std::vector<EventTrigger>> ParseEventTriggers(const json& triggers, std::string_view where) {
  if (!triggers.is_array()) return Status::InvalidArgument(std::string(where) + ": expected an array");
  std::vector<EventTrigger> out;
  for (size_t i = 0; i < triggers.size(); ++i) {
    const json& t = triggers[i];
    std::string path = At(where, i);
    if (!t.is_object()) return Status::InvalidArgument(path + ": expected an object");
    EF_RETURN_IF_ERROR(KnownFields(t, path, {"taskName", "events"}));
    EventTrigger trig;
    EF_RETURN_IF_ERROR(StringField(t, "taskName", path, true, &trig.task_name));
    auto ev = t.find("events");
    if (ev == t.end() || !ev->is_array()) {
      return Status::InvalidArgument(path + ".events: expected an array");
    }
    for (size_t k = 0; k < ev->size(); ++k) {
      EF_ASSIGN_OR_RETURN(EventPattern p, ParsePattern((*ev)[k], At(path + ".events", k)));
      trig.events.push_back(std::move(p));
    }
    out.push_back(std::move(trig));
  }
  return out;
}

Result<std::vector<TimerTrigger>> ParseTimerTriggers(const json& timers, std::string_view where) {
  if (!timers.is_array()) return Status::InvalidArgument(std::string(where) + ": expected an array");
  std::vector<TimerTrigger> out;
  for (size_t i = 0; i < timers.size(); ++i) {
    const json& t = timers[i];
    std::string path = At(where, i);
    if (!t.is_object()) return Status::InvalidArgument(path + ": expected an object");
    EF_RETURN_IF_ERROR(KnownFields(t, path, {"taskName", "everySeconds"}));
    TimerTrigger timer;
    EF_RETURN_IF_ERROR(StringField(t, "taskName", path, true, &timer.task_name));
    auto every = t.find("everySeconds");
    if (every == t.end() || !every->is_number()) {
      return Status::InvalidArgument(path + ".everySeconds: expected a number of seconds");
    }
    double seconds = every->get<double>();
    if (!(seconds >= 0.01 && seconds <= 7 * 24 * 3600.0)) {
      return Status::InvalidArgument(path + ".everySeconds: must be between 0.01 and 604800");
    }
    timer.every_ms = static_cast<int64_t>(std::llround(seconds * 1000));
    out.push_back(std::move(timer));
  }
  return out;
}

// Entries indexed by pageId; each entry is one event pattern of one trigger.
struct TriggerRouter::Table {
  struct Entry {
    std::string type;
    bool need_pv;
    std::vector<std::string> click_ids;
    std::string task;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::vector<Entry>, Hash, std::equal_to<>> by_page;
};

TriggerRouter::TriggerRouter() : table_(std::make_shared<const Table>()) {}
TriggerRouter::~TriggerRouter() = default;

void TriggerRouter::Set(const std::string& owner, const std::vector<EventTrigger>& triggers) {
  std::lock_guard<std::mutex> l(write_mu_);
  by_owner_[owner] = triggers;
  RebuildLocked();
}

void TriggerRouter::Remove(const std::string& owner) {
  std::lock_guard<std::mutex> l(write_mu_);
  if (by_owner_.erase(owner)) RebuildLocked();
}

void TriggerRouter::RebuildLocked() {
  auto table = std::make_shared<Table>();
  for (const auto& [owner, list] : by_owner_) {
    for (const auto& t : list) {
      for (const auto& p : t.events) {
        table->by_page[p.page_id].push_back({p.type, p.need_pv, p.click_ids, t.task_name});
      }
    }
  }
  std::shared_ptr<const Table> old;
  {
    std::unique_lock<std::shared_mutex> l(mu_);
    old = std::move(table_);
    table_ = std::move(table);
  }
  // `old` is freed here, outside mu_ (or later by the last reader holding it).
}

void TriggerRouter::Match(const Event& event, std::vector<std::string>* out) const {
  std::shared_ptr<const Table> table;
  {
    std::shared_lock<std::shared_mutex> l(mu_);
    table = table_;
  }
  auto it = table->by_page.find(std::string_view(event.page_id));
  if (it == table->by_page.end()) return;
  const bool is_pv = event.kind == "pv";
  for (const auto& e : it->second) {
    if (e.type != event.type) continue;
    bool hit = (e.need_pv && is_pv) ||
               (!event.click_id.empty() &&
                std::find(e.click_ids.begin(), e.click_ids.end(), event.click_id) != e.click_ids.end());
    if (hit) out->push_back(e.task);
  }
}

}  // namespace edgeflow
