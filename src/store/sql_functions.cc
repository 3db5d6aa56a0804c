// json_extract for SQLite builds without JSON1, with SQLite's result types:
// numbers and strings as SQL values, true/false as 1/0, objects and arrays as
// JSON text, a missing path or malformed JSON as NULL.
#include "store/sql_functions.h"

#include <nlohmann/json.hpp>

namespace edgeflow {
namespace {

using nlohmann::json;

// Follows a "$.a.b[2]" path; null when any step is missing or the path is bad.
const json* Follow(const json& root, std::string_view path) {
  if (path.empty() || path[0] != '$') return nullptr;
  const json* cur = &root;
  size_t i = 1;
  while (i < path.size()) {
    if (path[i] == '.') {
      size_t end = path.find_first_of(".[", i + 1);
      std::string key(path.substr(i + 1, end == std::string_view::npos ? std::string_view::npos : end - i - 1));
      if (key.size() >= 2 && key.front() == '"' && key.back() == '"') key = key.substr(1, key.size() - 2);
      if (!cur->is_object()) return nullptr;
      auto it = cur->find(key);
      if (it == cur->end()) return nullptr;
      cur = &*it;
      i = end == std::string_view::npos ? path.size() : end;
    } else if (path[i] == '[') {
      size_t end = path.find(']', i);
      if (end == std::string_view::npos || !cur->is_array()) return nullptr;
      std::string digits(path.substr(i + 1, end - i - 1));
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return nullptr;
      size_t idx = std::stoul(digits);
      if (idx >= cur->size()) return nullptr;
      cur = &(*cur)[idx];
      i = end + 1;
    } else {
      return nullptr;
    }
  }
  return cur;
}

void JsonExtract(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 2 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const char* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const char* path = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  if (!text || !path) {
    sqlite3_result_null(ctx);
    return;
  }
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    sqlite3_result_null(ctx);
    return;
  }
  const json* v = Follow(doc, path);
  if (!v || v->is_null()) {
    sqlite3_result_null(ctx);
  } else if (v->is_boolean()) {
    sqlite3_result_int(ctx, v->get<bool>() ? 1 : 0);
  } else if (v->is_number_integer()) {
    sqlite3_result_int64(ctx, v->is_number_unsigned() ? static_cast<int64_t>(v->get<uint64_t>()) : v->get<int64_t>());
  } else if (v->is_number()) {
    sqlite3_result_double(ctx, v->get<double>());
  } else if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    sqlite3_result_text(ctx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  } else {
    std::string s = v->dump(-1, ' ', false, json::error_handler_t::replace);
    sqlite3_result_text(ctx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
}

}  // namespace

Status RegisterSqlFunctions(SqliteDb& db) {
  sqlite3_stmt* probe = nullptr;
  bool has_json = sqlite3_prepare_v2(db.handle(), "SELECT json_extract('{}', '$')", -1, &probe, nullptr) == SQLITE_OK;
  sqlite3_finalize(probe);
  if (has_json) return Status::OK();
  int rc = sqlite3_create_function(db.handle(), "json_extract", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                   JsonExtract, nullptr, nullptr);
  if (rc != SQLITE_OK) return db.Error(rc, "cannot register json_extract");
  return Status::OK();
}

}  // namespace edgeflow
