// Manifest parsing and cross-checking, with errors that give the JSON path.
#include "bundle/manifest.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "edgeflow/env.h"

namespace edgeflow {

using nlohmann::json;

namespace {

// Reads typed fields of one JSON object, building error messages that carry the
// path of the field ("manifest.json: tasks[2].deadlineMs: expected an integer").
class Fields {
 public:
  Fields(const json& obj, std::string path) : obj_(obj), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string At(const std::string& field) const {
    return path_.empty() ? field : path_ + "." + field;
  }
  Status Error(const std::string& field, const std::string& what) const {
    return Status::InvalidArgument(At(field) + ": " + what);
  }
  const json* Find(const char* field) const {
    auto it = obj_.find(field);
    return it == obj_.end() || it->is_null() ? nullptr : &*it;
  }

  Status String(const char* field, bool required, std::string* out) const {
    const json* v = Find(field);
    if (!v) return required ? Error(field, "missing (expected a string)") : Status::OK();
    if (!v->is_string()) return Error(field, "expected a string");
    *out = v->get<std::string>();
    if (required && out->empty()) return Error(field, "must not be empty");
    return Status::OK();
  }
  Status Int(const char* field, int64_t min, int64_t max, int64_t* out) const {
    const json* v = Find(field);
    if (!v) return Status::OK();
    if (!v->is_number_integer()) return Error(field, "expected an integer");
    if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      return Error(field, "out of range");
    }
    int64_t x = v->get<int64_t>();
    if (x < min || x > max) {
      return Error(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    *out = x;
    return Status::OK();
  }
  Status Bool(const char* field, bool* out) const {
    const json* v = Find(field);
    if (!v) return Status::OK();
    if (!v->is_boolean()) return Error(field, "expected true or false");
    *out = v->get<bool>();
    return Status::OK();
  }
  Status StringList(const char* field, std::vector<std::string>* out) const {
    const json* v = Find(field);
    if (!v) return Status::OK();
    if (!v->is_array()) return Error(field, "expected an array of strings");
    for (size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) {
        return Status::InvalidArgument(At(field) + "[" + std::to_string(i) + "]: expected a string");
      }
      out->push_back((*v)[i].get<std::string>());
    }
    return Status::OK();
  }
  // Rejects keys outside `known`: a typo ("deadlinMs") must not be silently ignored.
  Status OnlyKnown(std::initializer_list<const char*> known) const {
    for (auto it = obj_.begin(); it != obj_.end(); ++it) {
      bool ok = std::any_of(known.begin(), known.end(),
                            [&](const char* k) { return it.key() == k; });
      if (!ok) return Error(it.key(), "unknown field");
    }
    return Status::OK();
  }

 private:
  const json& obj_;
  std::string path_;
};

std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

const json* ArrayField(const json& root, const char* field, const std::string& where,
                       Status* error) {
  auto it = root.find(field);
  if (it == root.end() || it->is_null()) return nullptr;
  if (!it->is_array()) *error = Status::InvalidArgument(where + field + ": expected an array");
  return &*it;
}

bool ValidVersion(const std::string& v) {
  static const std::regex re(R"(^[0-9]+(\.[0-9]+)*$)");
  return std::regex_match(v, re);
}

bool ValidTableName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

Status ParseTask(const json& j, const std::string& path, TaskDecl* t) {
  if (!j.is_object()) return Status::InvalidArgument(path + ": expected an object");
  Fields f(j, path);
  EF_RETURN_IF_ERROR(f.OnlyKnown({"name", "kind", "queue", "priority", "after", "deadlineMs",
                                  "breaker", "broadcast", "chain"}));
  EF_RETURN_IF_ERROR(f.String("name", true, &t->name));
  EF_RETURN_IF_ERROR(f.String("kind", true, &t->kind));
  std::string queue = "regular";
  EF_RETURN_IF_ERROR(f.String("queue", false, &queue));
  auto q = ParseQueueKind(queue);
  if (!q.ok()) return f.Error("queue", "expected \"core\", \"regular\" or \"low\", got \"" + queue + "\"");
  t->queue = *q;
  int64_t priority = 0;
  EF_RETURN_IF_ERROR(f.Int("priority", -1000, 1000, &priority));
  t->priority = static_cast<int>(priority);
  EF_RETURN_IF_ERROR(f.StringList("after", &t->after));
  EF_RETURN_IF_ERROR(f.Int("deadlineMs", 1, 24LL * 3600 * 1000, &t->deadline_ms));
  if (const json* b = f.Find("breaker")) {
    if (!b->is_object()) return f.Error("breaker", "expected an object");
    Fields bf(*b, f.At("breaker"));
    EF_RETURN_IF_ERROR(bf.OnlyKnown({"failures", "cooldownMs", "maxCooldownMs"}));
    int64_t failures = t->breaker.failures;
    EF_RETURN_IF_ERROR(bf.Int("failures", 1, 1000000, &failures));
    t->breaker.failures = static_cast<int>(failures);
    EF_RETURN_IF_ERROR(bf.Int("cooldownMs", 1, 24LL * 3600 * 1000, &t->breaker.cooldown_ms));
    t->breaker.max_cooldown_ms = std::max(t->breaker.max_cooldown_ms, t->breaker.cooldown_ms);
    EF_RETURN_IF_ERROR(
        bf.Int("maxCooldownMs", t->breaker.cooldown_ms, 7LL * 24 * 3600 * 1000, &t->breaker.max_cooldown_ms));
  }
  EF_RETURN_IF_ERROR(f.String("broadcast", false, &t->broadcast));
  EF_RETURN_IF_ERROR(f.String("chain", false, &t->chain));
  return Status::OK();
}

Status ParseStorage(const json& j, const std::string& path, Manifest* m) {
  if (!j.is_object()) return Status::InvalidArgument(path + ": expected an object");
  Fields f(j, path);
  EF_RETURN_IF_ERROR(f.OnlyKnown({"tables", "routes"}));
  Status err;
  if (const json* tables = ArrayField(j, "tables", path + ".", &err)) {
    EF_RETURN_IF_ERROR(err);
    for (size_t i = 0; i < tables->size(); ++i) {
      std::string p = Index(path + ".tables", i);
      const json& tj = (*tables)[i];
      if (!tj.is_object()) return Status::InvalidArgument(p + ": expected an object");
      Fields tf(tj, p);
      EF_RETURN_IF_ERROR(tf.OnlyKnown({"name", "encrypted", "ttlMs", "maxRows"}));
      TableSpec t;
      EF_RETURN_IF_ERROR(tf.String("name", true, &t.name));
      if (!ValidTableName(t.name)) {
        return tf.Error("name", "\"" + t.name + "\" is not a valid table name ([A-Za-z_][A-Za-z0-9_]*)");
      }
      EF_RETURN_IF_ERROR(tf.Bool("encrypted", &t.encrypted));
      EF_RETURN_IF_ERROR(tf.Int("ttlMs", 0, INT64_MAX, &t.ttl_ms));
      EF_RETURN_IF_ERROR(tf.Int("maxRows", 0, INT64_MAX, &t.max_rows));
      m->tables.push_back(t);
    }
  }
  EF_RETURN_IF_ERROR(err);
  if (const json* routes = ArrayField(j, "routes", path + ".", &err)) {
    EF_RETURN_IF_ERROR(err);
    for (size_t i = 0; i < routes->size(); ++i) {
      std::string p = Index(path + ".routes", i);
      const json& rj = (*routes)[i];
      if (!rj.is_object()) return Status::InvalidArgument(p + ": expected an object");
      Fields rf(rj, p);
      EF_RETURN_IF_ERROR(rf.OnlyKnown({"type", "kind", "pageId", "table"}));
      RouteRule r;
      EF_RETURN_IF_ERROR(rf.String("type", false, &r.type));
      EF_RETURN_IF_ERROR(rf.String("kind", false, &r.kind));
      EF_RETURN_IF_ERROR(rf.String("pageId", false, &r.page_id));
      EF_RETURN_IF_ERROR(rf.String("table", true, &r.table));
      m->routes.push_back(r);
    }
  }
  return err;
}

// Every name a manifest refers to must exist; `after` must form no cycle is
// checked by the scheduler at install, but a self-reference is caught here.
Status CrossCheck(const Manifest& m, const std::string& where) {
  std::set<std::string> names;
  for (size_t i = 0; i < m.tasks.size(); ++i) {
    if (!names.insert(m.tasks[i].name).second) {
      return Status::InvalidArgument(Index(where + "tasks", i) + ".name: duplicate task \"" +
                                     m.tasks[i].name + "\"");
    }
  }
  auto known = [&](const std::string& n) { return names.count(n) > 0; };
  for (size_t i = 0; i < m.tasks.size(); ++i) {
    const TaskDecl& t = m.tasks[i];
    for (size_t k = 0; k < t.after.size(); ++k) {
      if (!known(t.after[k])) {
        return Status::InvalidArgument(Index(Index(where + "tasks", i) + ".after", k) +
                                       ": unknown task \"" + t.after[k] + "\"");
      }
    }
    if (!t.chain.empty() && !known(t.chain)) {
      return Status::InvalidArgument(Index(where + "tasks", i) + ".chain: unknown task \"" +
                                     t.chain + "\"");
    }
  }
  // Chains must end: A -> B -> A would run forever.
  for (size_t i = 0; i < m.tasks.size(); ++i) {
    std::set<std::string> seen{m.tasks[i].name};
    const TaskDecl* t = &m.tasks[i];
    while (!t->chain.empty()) {
      if (!seen.insert(t->chain).second) {
        return Status::InvalidArgument(Index(where + "tasks", i) + ".chain: chain from \"" +
                                       m.tasks[i].name + "\" loops back to \"" + t->chain + "\"");
      }
      t = &*std::find_if(m.tasks.begin(), m.tasks.end(),
                         [&](const TaskDecl& d) { return d.name == t->chain; });
    }
  }
  for (size_t i = 0; i < m.triggers.size(); ++i) {
    if (!known(m.triggers[i].task_name)) {
      return Status::InvalidArgument(Index(where + "triggers", i) + ".taskName: unknown task \"" +
                                     m.triggers[i].task_name + "\"");
    }
  }
  for (size_t i = 0; i < m.timers.size(); ++i) {
    if (!known(m.timers[i].task_name)) {
      return Status::InvalidArgument(Index(where + "timers", i) + ".taskName: unknown task \"" +
                                     m.timers[i].task_name + "\"");
    }
  }
  std::set<std::pair<std::string, std::string>> codes;
  for (size_t i = 0; i < m.api.size(); ++i) {
    if (!known(m.api[i].task)) {
      return Status::InvalidArgument(Index(where + "api", i) + ".task: unknown task \"" +
                                     m.api[i].task + "\"");
    }
    if (!codes.insert({m.api[i].system_code, m.api[i].business_code}).second) {
      return Status::InvalidArgument(Index(where + "api", i) + ": duplicate route " +
                                     m.api[i].system_code + "/" + m.api[i].business_code);
    }
  }
  std::set<std::string> tables;
  for (const auto& t : m.tables) {
    if (!tables.insert(t.name).second) {
      return Status::InvalidArgument(where + "storage.tables: duplicate table \"" + t.name + "\"");
    }
  }
  for (size_t i = 0; i < m.routes.size(); ++i) {
    // A route may name a table declared by the runtime's options; the runtime
    // checks that at install. Only the empty name is wrong here.
    if (m.routes[i].table.empty()) {
      return Status::InvalidArgument(Index(where + "storage.routes", i) + ".table: must not be empty");
    }
  }
  return Status::OK();
}

}  // namespace

Result<Manifest> ParseManifest(std::string_view text, std::string_view where_in) {
  const std::string where = std::string(where_in) + ": ";
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return Status::InvalidArgument(where + "malformed JSON");
  if (!root.is_object()) return Status::InvalidArgument(where + "expected a JSON object");

  Manifest m;
  m.text = std::string(text);
  Fields top(root, "");
  auto in_where = [&](Status s) { return s.ok() ? s : Status(s.code(), where + s.message()); };
  EF_RETURN_IF_ERROR(in_where(top.OnlyKnown({"name", "version", "systemCode", "businessCode",
                                             "minRuntimeVersion", "triggers", "timers", "tasks",
                                             "api", "storage", "pipeline", "features", "patterns",
                                             "resources", "description"})));
  EF_RETURN_IF_ERROR(in_where(top.String("name", true, &m.name)));
  if (const json* v = top.Find("version"); v && v->is_number_unsigned()) {
    m.version = std::to_string(v->get<uint64_t>());
  } else {
    EF_RETURN_IF_ERROR(in_where(top.String("version", true, &m.version)));
  }
  if (!ValidVersion(m.version)) {
    return Status::InvalidArgument(where + "version: \"" + m.version +
                                   "\" is not a dotted version like 1.2.0");
  }
  EF_RETURN_IF_ERROR(in_where(top.String("systemCode", false, &m.system_code)));
  EF_RETURN_IF_ERROR(in_where(top.String("businessCode", false, &m.business_code)));
  EF_RETURN_IF_ERROR(in_where(top.String("minRuntimeVersion", false, &m.min_runtime_version)));
  if (!m.min_runtime_version.empty() && !ValidVersion(m.min_runtime_version)) {
    return Status::InvalidArgument(where + "minRuntimeVersion: \"" + m.min_runtime_version +
                                   "\" is not a dotted version");
  }

  Status err;
  const json* tasks = ArrayField(root, "tasks", where, &err);
  EF_RETURN_IF_ERROR(err);
  // A bundle does something: it runs tasks, or it computes features or patterns.
  const bool pipeline = (root.contains("features") && !root["features"].empty()) ||
                        (root.contains("patterns") && !root["patterns"].empty());
  if ((!tasks || tasks->empty()) && !pipeline) {
    return Status::InvalidArgument(where + "tasks: at least one task is required (or features or patterns)");
  }
  for (size_t i = 0; tasks && i < tasks->size(); ++i) {
    TaskDecl t;
    EF_RETURN_IF_ERROR(in_where(ParseTask((*tasks)[i], Index("tasks", i), &t)));
    m.tasks.push_back(std::move(t));
  }

  if (auto it = root.find("triggers"); it != root.end() && !it->is_null()) {
    // Accept both the bare array and the industry wrapper {"triggers":[...]}.
    const json& arr = it->is_object() && it->contains("triggers") ? (*it)["triggers"] : *it;
    EF_ASSIGN_OR_RETURN(m.triggers, ParseEventTriggers(arr, where + "triggers"));
  }
  if (auto it = root.find("timers"); it != root.end() && !it->is_null()) {
    EF_ASSIGN_OR_RETURN(m.timers, ParseTimerTriggers(*it, where + "timers"));
  }
  if (auto it = root.find("api"); it != root.end() && !it->is_null()) {
    json arr = it->is_object() ? json::array({*it}) : *it;
    if (!arr.is_array()) return Status::InvalidArgument(where + "api: expected an array or an object");
    for (size_t i = 0; i < arr.size(); ++i) {
      std::string p = Index("api", i);
      if (!arr[i].is_object()) return Status::InvalidArgument(where + p + ": expected an object");
      Fields af(arr[i], p);
      ApiRoute r;
      EF_RETURN_IF_ERROR(in_where(af.OnlyKnown({"systemCode", "businessCode", "task"})));
      EF_RETURN_IF_ERROR(in_where(af.String("systemCode", true, &r.system_code)));
      EF_RETURN_IF_ERROR(in_where(af.String("businessCode", true, &r.business_code)));
      EF_RETURN_IF_ERROR(in_where(af.String("task", true, &r.task)));
      m.api.push_back(std::move(r));
    }
  }
  if (const json* storage = top.Find("storage")) {
    EF_RETURN_IF_ERROR(in_where(ParseStorage(*storage, "storage", &m)));
  }
  EF_RETURN_IF_ERROR(CrossCheck(m, where));
  return m;
}

Result<Manifest> LoadManifestFromDir(const std::string& dir) {
  std::string path = dir + "/manifest.json";
  auto text = Env::Default()->ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseManifest(*text, path);
}

int CompareVersions(std::string_view a, std::string_view b) {
  auto numeric = [](std::string_view v) {
    return !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
    });
  };
  bool na = numeric(a), nb = numeric(b);
  if (na != nb) return na ? -1 : 1;
  if (!na) return a < b ? -1 : (a > b ? 1 : 0);
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    auto next = [](std::string_view s, size_t& p) {
      // Compare components as digit strings: strip leading zeros, then length, then text.
      size_t start = p;
      while (p < s.size() && s[p] != '.') ++p;
      std::string_view part = s.substr(start, p - start);
      if (p < s.size()) ++p;
      while (part.size() > 1 && part[0] == '0') part.remove_prefix(1);
      return part;
    };
    std::string_view pa = i < a.size() ? next(a, i) : "0";
    std::string_view pb = j < b.size() ? next(b, j) : "0";
    if (pa.size() != pb.size()) return pa.size() < pb.size() ? -1 : 1;
    if (pa != pb) return pa < pb ? -1 : 1;
  }
  return 0;
}

}  // namespace edgeflow
