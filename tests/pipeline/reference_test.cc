// Differential test of the pipeline against tests/pipeline/reference.py, a
// brute-force reference written from docs/features.md, docs/patterns.md and
// docs/transforms.md only. For each seed a random event stream (out of order,
// late, duplicated and malformed lines included) is replayed through
// `edgeflow device run --print-matches --dump-features` and through the
// reference; the pattern matches and every feature value must agree.
//
// On a mismatch the message names the seed, the feature (and key) and both
// values, and the bundle and stream are kept in the directory it prints:
//   /usr/bin/python3 tests/pipeline/reference.py --manifest DIR/bundle/manifest.json
//       --events DIR/events.jsonl
//   build/edgeflow device run --bundle DIR/bundle --events DIR/events.jsonl
//       --print-matches --dump-features
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace edgeflow {
namespace {

using ojson = nlohmann::ordered_json;

constexpr const char* kPython = "/usr/bin/python3";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}
std::string SourceDir() { return Env("EDGEFLOW_SOURCE_DIR"); }
std::string BinaryDir() { return Env("EDGEFLOW_BINARY_DIR"); }
std::string Cli() { return BinaryDir() + "/edgeflow"; }
std::string Reference() { return SourceDir() + "/tests/pipeline/reference.py"; }

bool Executable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

struct Proc {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `cmd` through the shell, stdout captured, stderr into `err_path`.
Proc RunShell(const std::string& cmd, const std::string& err_path) {
  Proc r;
  std::string full = cmd + " 2>" + Quote(err_path);
  FILE* p = popen(full.c_str(), "r");
  if (!p) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = ReadFile(err_path);
  return r;
}

// The {"match":...} lines and the {"features":...} line of an output; every
// other line (task outcomes, progress) is ignored.
struct Output {
  std::vector<ojson> matches;
  ojson features;  // the object inside {"features": ...}; null when absent
  int feature_lines = 0;
  std::string error;
};

Output ParseOutput(const std::string& text) {
  Output o;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '{') continue;
    ojson j = ojson::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.size() != 1) continue;
    if (j.contains("match")) {
      o.matches.push_back(j["match"]);
    } else if (j.contains("features")) {
      o.features = j["features"];
      ++o.feature_lines;
    }
  }
  return o;
}

std::string Short(const ojson& j, size_t max = 600) {
  std::string s = j.dump(-1, ' ', false, ojson::error_handler_t::replace);
  if (s.size() > max) s = s.substr(0, max) + "...(" + std::to_string(s.size()) + " chars)";
  return s;
}

// Compares an expected (reference) value with the engine's: ints exactly,
// floats to a relative 1e-9, containers recursively (object keys in order).
// Returns "" when equal, else a description naming the first difference.
// `ordered`: object keys must also come in the same order (features, keyed
// values and count_by maps are printed sorted; match objects need not be).
// `f32`: floats are equal when they round to the same float32 (tensors).
std::string Diff(const ojson& want, const ojson& got, const std::string& path, bool ordered = true,
                 bool f32 = false) {
  auto here = [&](const std::string& what) {
    return path + ": " + what + "; expected " + Short(want) + ", got " + Short(got);
  };
  if (want.is_number() && got.is_number()) {
    bool wi = want.is_number_integer(), gi = got.is_number_integer();
    if (wi && gi) {
      if (want.is_number_unsigned() || got.is_number_unsigned()) {
        return want.dump() == got.dump() ? "" : here("integers differ");
      }
      return want.get<int64_t>() == got.get<int64_t>() ? "" : here("integers differ");
    }
    if (wi != gi) return here(wi ? "expected an integer, got a float" : "expected a float, got an integer");
    double a = want.get<double>(), b = got.get<double>();
    if (a == b) return "";
    if (f32 && static_cast<float>(a) == static_cast<float>(b)) return "";
    double tol = 1e-9 * std::max(std::fabs(a), std::fabs(b));
    if (std::fabs(a - b) <= tol || std::fabs(a - b) <= 1e-12) return "";
    return here("floats differ beyond 1e-9");
  }
  if (want.type() != got.type()) return here("types differ");
  if (want.is_array()) {
    if (want.size() != got.size()) return here("lengths differ");
    for (size_t i = 0; i < want.size(); ++i) {
      std::string d = Diff(want[i], got[i], path + "[" + std::to_string(i) + "]", ordered, f32);
      if (!d.empty()) return d;
    }
    return "";
  }
  if (want.is_object()) {
    std::vector<std::string> wk, gk;
    for (auto it = want.begin(); it != want.end(); ++it) wk.push_back(it.key());
    for (auto it = got.begin(); it != got.end(); ++it) gk.push_back(it.key());
    if (!ordered) {
      std::sort(wk.begin(), wk.end());
      std::sort(gk.begin(), gk.end());
    }
    if (wk != gk) {
      std::string w, g;
      for (auto& k : wk) w += (w.empty() ? "" : ",") + k;
      for (auto& k : gk) g += (g.empty() ? "" : ",") + k;
      return path + ": keys differ; expected [" + w + "], got [" + g + "]; expected " + Short(want) +
             ", got " + Short(got);
    }
    for (auto it = want.begin(); it != want.end(); ++it) {
      std::string d = Diff(it.value(), got[it.key()], path + "[" + ojson(it.key()).dump() + "]", ordered, f32);
      if (!d.empty()) return d;
    }
    return "";
  }
  return want == got ? "" : here("values differ");
}

// Compares two outputs; every difference (one per feature, the first of the
// matches) as one line each.
std::vector<std::string> CompareOutputs(const Output& want, const Output& got) {
  std::vector<std::string> diffs;
  size_t n = std::min(want.matches.size(), got.matches.size());
  for (size_t i = 0; i < n; ++i) {
    std::string d = Diff(want.matches[i], got.matches[i], "match #" + std::to_string(i + 1), false);
    if (!d.empty()) {
      diffs.push_back(d);
      break;
    }
  }
  if (diffs.empty() && want.matches.size() != got.matches.size()) {
    const auto& longer = want.matches.size() > got.matches.size() ? want.matches : got.matches;
    diffs.push_back("matches: expected " + std::to_string(want.matches.size()) + ", got " +
                    std::to_string(got.matches.size()) + "; first extra (" +
                    (&longer == &want.matches ? "expected" : "got") + "): " + Short(longer[n]));
  }
  if (got.feature_lines != 1) {
    diffs.push_back("the engine printed " + std::to_string(got.feature_lines) + " {\"features\"} lines");
    return diffs;
  }
  if (!want.features.is_object() || !got.features.is_object()) {
    diffs.push_back("features: not an object");
    return diffs;
  }
  std::vector<std::string> wk, gk;
  for (auto it = want.features.begin(); it != want.features.end(); ++it) wk.push_back(it.key());
  for (auto it = got.features.begin(); it != got.features.end(); ++it) gk.push_back(it.key());
  if (wk != gk) {
    std::string missing, extra;
    for (auto& k : wk) {
      if (!got.features.contains(k)) missing += " " + k;
    }
    for (auto& k : gk) {
      if (!want.features.contains(k)) extra += " " + k;
    }
    diffs.push_back("feature names or order differ; missing:" + missing + "; unexpected:" + extra);
  }
  for (auto it = want.features.begin(); it != want.features.end(); ++it) {
    if (!got.features.contains(it.key())) continue;
    bool f32 = it.key().rfind("tf_", 0) == 0;
    std::string d = Diff(it.value(), got.features[it.key()], "feature " + it.key(), true, f32);
    if (!d.empty()) diffs.push_back(d);
  }
  return diffs;
}

// ---------------------------------------------------------------------------
// The bundle: features covering every aggregate, window type and keyBy, the
// whole feature library, transforms, and patterns covering every rule.

const char* kFeatures = R"JSON([
  {"name": "n_all", "op": "count"},
  {"name": "n_tumble", "op": "count", "window": {"type": "tumbling", "size": "10m"}},
  {"name": "n_slide_nondiv", "op": "count", "window": {"type": "sliding", "size": "1h", "slide": "7m"}},
  {"name": "n_slide_ms", "op": "count", "filter": "kind != 'exposure'",
   "window": {"type": "sliding", "size": 90061, "slide": "13s"}},
  {"name": "n_short", "op": "count", "window": "90s"},
  {"name": "n_short_ms", "op": "count", "window": "1001ms"},
  {"name": "n_session_user", "op": "count", "keyBy": "user", "window": {"type": "session", "gap": "5m"}},
  {"name": "n_user", "op": "count", "keyBy": "user"},
  {"name": "n_props_user", "op": "count", "keyBy": "props.userId"},
  {"name": "n_item_tumble", "op": "count", "keyBy": "item", "window": {"type": "tumbling", "size": "1h"}},
  {"name": "n_category", "op": "count", "keyBy": "category", "window": "1d"},
  {"name": "n_page_slide", "op": "count", "keyBy": "page", "window": {"type": "sliding", "size": "2h", "slide": "25m"}},
  {"name": "n_kind", "op": "count", "keyBy": "kind"},
  {"name": "n_click_id", "op": "count", "keyBy": "clickId", "window": "7d"},
  {"name": "n_session_key", "op": "count", "keyBy": "session"},
  {"name": "n_flag", "op": "count", "keyBy": "props.flag"},
  {"name": "n_price_key", "op": "count", "keyBy": "props.price", "filter": "kind == 'pv'"},
  {"name": "n_err_filter", "op": "count", "filter": "props['price'] > 20"},
  {"name": "n_none_cmp", "op": "count", "filter": "props.get('price') > 20"},
  {"name": "n_attr_missing", "op": "count", "filter": "props.brand is None"},
  {"name": "n_expr_ops", "op": "count",
   "filter": "0 < props.get('amount', 0) <= 50 or (pageId in ('Cart', 'Pay') and not kind == 'pv')"},
  {"name": "n_str_ops", "op": "count",
   "filter": "pageId.lower().startswith('de') or (clickId is not None and clickId.upper().endswith('_ORDER'))"},
  {"name": "n_list_in", "op": "count", "keyBy": "page",
   "filter": "kind not in ['pv', 'click'] and itemId is not None and ' x '.strip() == 'x'"},
  {"name": "sum_price", "op": "sum", "value": "props.get('price')",
   "window": {"type": "sliding", "size": "2h", "slide": "10m"}},
  {"name": "sum_amount", "op": "sum", "value": "props['amount']"},
  {"name": "sum_bool", "op": "sum", "value": "props.get('amount', 0) > 50", "keyBy": "user"},
  {"name": "sum_float_div", "op": "sum", "value": "props.get('dwellMs', 0) / 7", "window": "1d"},
  {"name": "sum_orders_tumble", "op": "sum", "value": "props['amount']",
   "filter": "clickId is not None and clickId.endswith('_Order')", "window": {"type": "tumbling", "size": "5m"}},
  {"name": "sum_pow", "op": "sum", "value": "-(props.get('amount', 0) % 7) ** 2 + int(props.get('price', 0))",
   "window": "1d"},
  {"name": "avg_price_cat", "op": "avg", "value": "props.get('price')", "keyBy": "category", "window": "1d"},
  {"name": "avg_dwell_session", "op": "avg", "value": "props['dwellMs']", "window": {"type": "session", "gap": "10m"}},
  {"name": "avg_int_div", "op": "avg", "value": "props.get('dwellMs', 0) // 1000 + len(pageId)", "keyBy": "page"},
  {"name": "min_price_item", "op": "min", "value": "props.get('price')", "keyBy": "item",
   "window": {"type": "tumbling", "size": "1h"}},
  {"name": "max_dwell_page", "op": "max", "value": "props.get('dwellMs')", "keyBy": "page", "window": "30m"},
  {"name": "min_abs", "op": "min", "value": "abs(props.get('price', 0) - 25)"},
  {"name": "max_round", "op": "max", "value": "round(props.get('price') * 1.5)", "window": "1d"},
  {"name": "dc_items_user", "op": "distinct_count", "value": "itemId", "keyBy": "user", "exact": 5},
  {"name": "dc_ts_hll", "op": "distinct_count", "value": "ts % 10007", "exact": 5},
  {"name": "dc_ts_default", "op": "distinct_count", "value": "ts"},
  {"name": "dc_cat_slide", "op": "distinct_count", "value": "props.get('category')", "exact": 5,
   "window": {"type": "sliding", "size": "3h", "slide": "1h"}},
  {"name": "dc_price_str", "op": "distinct_count", "value": "str(props.get('price'))", "exact": 5, "keyBy": "page"},
  {"name": "last_queries", "op": "last_n", "value": "props['query']", "n": 3, "keyBy": "user"},
  {"name": "last_prices", "op": "last_n", "value": "props.get('price')", "n": 5,
   "window": {"type": "tumbling", "size": "30m"}},
  {"name": "last_mixed", "op": "last_n", "value": "props.get('price') if kind == 'pv' else (kind == 'click')", "n": 4},
  {"name": "last_big", "op": "last_n", "value": "props.get('big')", "n": 3},
  {"name": "last_builtins", "op": "last_n", "n": 3,
   "value": "(len(str(ts)) + min(3, len(pageId)) + max(1, 2)) if bool(itemId) else float(abs(-2))"},
  {"name": "top_items_cat", "op": "top_k", "value": "itemId", "keyBy": "category", "k": 3},
  {"name": "top_pages", "op": "top_k", "value": "pageId", "window": "1d"},
  {"name": "top_price", "op": "top_k", "value": "props.get('price')", "k": 4, "window": {"type": "session", "gap": "20m"}},
  {"name": "cb_kind_user", "op": "count_by", "value": "kind", "keyBy": "props.userId"},
  {"name": "cb_page_norm", "op": "count_by", "value": "pageId", "normalize": true,
   "window": {"type": "tumbling", "size": "1d"}},
  {"name": "cb_bool", "op": "count_by", "value": "props.get('price', 0) > 20", "window": "7d"},
  {"name": "cb_cat_norm", "op": "count_by", "value": "props.get('category')", "normalize": true, "keyBy": "user"},
  {"name": "first_price", "op": "first", "value": "props.price", "window": "30m"},
  {"name": "first_item_user", "op": "first", "value": "itemId", "keyBy": "user",
   "window": {"type": "session", "gap": "15m"}},
  {"name": "last_mixed_type", "op": "last", "value": "props.get('price', 0) * 2 if kind == 'pv' else str(itemId)"},
  {"name": "last_float", "op": "last", "value": "float(props['amount']) / 3", "keyBy": "item"},
  {"name": "tsl_item", "op": "time_since_last", "keyBy": "item"},
  {"name": "tsl_tumble", "op": "time_since_last", "filter": "kind == 'exposure'",
   "window": {"type": "tumbling", "size": "15m"}},
  {"name": "span_page", "op": "span", "keyBy": "page", "window": {"type": "sliding", "size": "1d", "slide": "1h"}},
  {"name": "span_session", "op": "span", "window": {"type": "session", "gap": "2m"}},
  {"name": "rate_user", "op": "rate", "numerator": "kind == 'click'", "denominator": "kind in ('pv', 'exposure')",
   "filter": "props.get('userId') != 'u2'", "keyBy": "user", "window": "1d"},
  {"name": "rate_all", "op": "rate", "numerator": "clickId is not None and clickId.endswith('_Order')",
   "denominator": "kind == 'click'"},
  {"name": "rate_session", "op": "rate", "numerator": "kind == 'pv'", "denominator": "True",
   "window": {"type": "session", "gap": "10m"}},
  {"name": "sessions_user", "op": "session_count", "keyBy": "user", "filter": "kind == 'pv'",
   "window": {"type": "session", "gap": "10m"}},
  {"name": "sessions_all", "op": "session_count", "window": {"type": "session", "gap": "3m"}},
  {"name": "clicks_user", "op": "count", "filter": "kind == 'click'", "keyBy": "user"},
  {"name": "pvs_user", "op": "count", "filter": "kind == 'pv'", "keyBy": "user", "window": "1d"},
  {"name": "ratio_user", "op": "ratio", "inputs": ["clicks_user", "pvs_user"], "keyBy": "user"},
  {"name": "ratio_all", "op": "ratio", "inputs": ["n_short", "n_tumble"]},
  {"name": "ctx_hour", "op": "context", "field": "hour"},
  {"name": "ctx_weekday", "op": "context", "field": "weekday"},
  {"name": "ctx_now", "op": "context", "field": "now"},
  {"name": "maxkeys_item", "op": "count", "keyBy": "item", "maxKeys": 50000, "description": "no eviction"},
  {"name": "clicks_1h", "op": "click_count", "window": "1h"},
  {"name": "views", "op": "item_view_count", "window": "all"},
  {"name": "favorites_as_cart", "op": "cart_count",
   "filter": "clickId is not None and clickId.endswith('_Favorite')", "keyBy": "user"}
])JSON";

// Every library op by name (docs/features.md, "Feature library").
const char* kLibraryOps[] = {
    "event_count", "pv_count", "click_count", "exposure_count", "cart_count", "favorite_count",
    "order_count", "search_count", "share_count", "item_view_count", "page_view_count",
    "category_view_count", "recent_items", "recent_clicked_items", "recent_cart_items",
    "recent_categories", "recent_pages", "recent_queries", "last_item", "last_page",
    "time_since_last_event", "time_since_last_click", "time_since_last_cart", "time_since_last_order",
    "distinct_items_viewed", "distinct_categories_viewed", "distinct_pages_viewed", "avg_price_viewed",
    "min_price_viewed", "max_price_viewed", "order_amount_sum", "top_categories", "top_items",
    "exposure_click_rate", "view_cart_rate", "click_order_rate", "category_counts",
    "category_preference", "brand_preference", "dwell_time_avg", "session_count", "session_length",
    "session_event_count", "session_pv_count", "hour_of_day", "day_of_week"};

// Every rule of docs/patterns.md "Evaluation": relaxed and strict contiguity,
// times N, [2,null], [1,null], [0,null], [2,4], optional steps, negations
// (two after one step), withinMs, every keyBy, a step without "where", small
// maxPartialsPerKey, runs longer than the 32 recorded seqs (long_run).
// one_partial never matches: it is the pitfall the doc
// describes (with a cap of 1, each exposure's new run drops the counting one).
const char* kPatterns = R"JSON([
  {"name": "cart_abandon", "keyBy": "user",
   "steps": [{"name": "view", "where": "kind == 'pv' and pageId == 'Detail'"},
             {"name": "cart", "where": "clickId is not None and clickId.endswith('_AddCart')", "times": [2, null]},
             {"not": "pageId == 'Pay' and kind == 'custom'"},
             {"name": "home", "where": "pageId == 'Home'"}],
   "contiguity": "relaxed", "withinMs": 7200000, "maxPartialsPerKey": 16,
   "action": {"broadcast": "reach.coupon", "message": {"template": "coupon"}}},
  {"name": "long_run", "withinMs": 10800000, "maxPartialsPerKey": 64,
   "steps": [{"name": "a", "where": "kind == 'custom'"}, {"name": "b", "times": [35, null]},
             {"name": "c", "where": "clickId is not None and clickId.endswith('_Share')"}],
   "action": {"broadcast": "t.long"}},
  {"name": "pv_then_click_strict", "keyBy": "item", "contiguity": "strict",
   "steps": [{"name": "a", "where": "kind == 'pv'"}, {"name": "b", "where": "kind == 'click'"}],
   "action": {"broadcast": "t.strict"}},
  {"name": "list_exposures_order", "keyBy": "user", "withinMs": 3600000,
   "steps": [{"name": "list", "where": "pageId == 'List'"},
             {"name": "exp", "where": "kind == 'exposure'", "times": [1, null]},
             {"name": "order", "where": "clickId is not None and clickId.endswith('_Order')"}],
   "action": {"broadcast": "t.plus"}},
  {"name": "search_opt_cart", "keyBy": "user", "maxPartialsPerKey": 2,
   "steps": [{"name": "search", "where": "clickId is not None and clickId.endswith('_Search')"},
             {"name": "detail", "where": "kind == 'pv' and pageId == 'Detail'", "optional": true},
             {"name": "cart", "where": "clickId is not None and clickId.endswith('_AddCart')"}],
   "action": {"broadcast": "t.opt"}},
  {"name": "repeat_view", "keyBy": "item", "withinMs": 86400000,
   "steps": [{"name": "views", "where": "kind == 'pv' and pageId == 'Detail'", "times": 3}],
   "action": {"broadcast": "reach.push", "message": {"template": "still_interested"}}},
  {"name": "cart_no_home_order", "maxPartialsPerKey": 3,
   "steps": [{"name": "cart", "where": "kind == 'pv' and pageId == 'Cart'"},
             {"not": "pageId == 'Home'"}, {"not": "kind == 'custom'"},
             {"name": "order", "where": "clickId is not None and clickId.endswith('_Order')"}],
   "action": {"broadcast": "t.neg"}},
  {"name": "strict_bounded", "keyBy": "category", "contiguity": "strict", "withinMs": 1800000,
   "steps": [{"name": "a", "where": "kind == 'exposure'"},
             {"name": "b", "where": "kind == 'pv'", "times": [2, 4]},
             {"name": "c", "where": "kind == 'click'"}],
   "action": {"broadcast": "t.bounded"}},
  {"name": "big_amount", "keyBy": "props.userId",
   "steps": [{"name": "big", "where": "props.get('amount', 0) > 90"}],
   "action": {"broadcast": "t.single"}},
  {"name": "star_then_pay", "keyBy": "page", "withinMs": 7200000, "maxPartialsPerKey": 4,
   "steps": [{"name": "a", "where": "props['price'] > 40"},
             {"name": "b", "where": "kind == 'exposure'", "times": [0, null]},
             {"name": "c", "where": "kind == 'click'", "times": [2, 3]}],
   "action": {"broadcast": "t.star"}},
  {"name": "any_between", "keyBy": "session", "contiguity": "strict", "withinMs": 120000,
   "steps": [{"name": "a", "where": "kind == 'pv'"}, {"name": "any"},
             {"name": "c", "where": "kind == 'click' or kind is None"}],
   "action": {"broadcast": "t.any"}},
  {"name": "one_partial", "keyBy": "user", "maxPartialsPerKey": 1,
   "steps": [{"name": "a", "where": "kind == 'exposure'", "times": [2, null]},
             {"name": "b", "where": "clickId is not None and clickId.endswith('_Favorite')"}],
   "action": {"broadcast": "t.one"}}
])JSON";

// A bundle with features and patterns whose actions are broadcasts needs no
// task (docs/manifest.md); the bundles below have none.
constexpr const char* kTasksRequired = "at least one task is required";

std::string ManifestJson(int64_t lateness_ms, bool dedup, const ojson& extra_features) {
  ojson m;
  m["name"] = "refcheck";
  m["version"] = "1.0.0";
  m["description"] = "pipeline reference test: no tasks, broadcast actions only";
  m["pipeline"] = {{"allowedLatenessMs", lateness_ms}, {"dedup", dedup}};
  ojson features = ojson::parse(kFeatures);
  for (const char* op : kLibraryOps) features.push_back({{"name", std::string("lib_") + op}, {"op", op}});
  for (const auto& f : extra_features) features.push_back(f);
  m["features"] = features;
  m["patterns"] = ojson::parse(kPatterns);
  return m.dump(2);
}

// Transform features (docs/transforms.md); their names start with "tf_", and
// their numbers are compared as float32 (tensors hold float32).
const char* kTransformFeatures = R"JSON([
  {"name": "tf_items_vocab_pad", "op": "last_n", "value": "itemId", "filter": "kind == 'pv'", "n": 5,
   "transform": [{"op": "vocab", "vocabulary": ["i1", "i2", "i3", "i4", "i5"], "oov": 0}, {"op": "pad", "length": 6}]},
  {"name": "tf_categories_file", "op": "recent_categories", "n": 6,
   "transform": [{"op": "vocab", "vocabulary": "categories.txt"}, {"op": "multi_hot", "depth": 8}]},
  {"name": "tf_price_onehot", "op": "avg_price_viewed",
   "transform": [{"op": "bucketize", "boundaries": [0, 10, 20, 20, 30.5, 40]}, {"op": "one_hot", "depth": 7}]},
  {"name": "tf_preference", "op": "category_preference",
   "transform": [{"op": "to_tensor", "keys": ["shoes", "bags", "books", "Toys", "électronique", "food", "hats"]}]},
  {"name": "tf_pages_hash", "op": "last_n", "value": "pageId", "n": 4,
   "transform": [{"op": "pad", "length": 5, "value": "", "side": "left", "keep": "first"},
                 {"op": "hash", "buckets": 1000, "default": 7}, {"op": "to_tensor"}]},
  {"name": "tf_kind_minmax", "op": "count_by", "value": "kind", "window": "1d",
   "transform": [{"op": "min_max", "min": 0, "max": 50}]},
  {"name": "tf_price_log_clip", "op": "sum", "value": "props.get('price')", "window": "1h",
   "transform": [{"op": "log1p"}, {"op": "clip", "max": 5}]},
  {"name": "tf_dwell_z", "op": "avg", "value": "props.get('dwellMs')", "keyBy": "page",
   "transform": [{"op": "z_score", "mean": 30000, "std": 10000}]},
  {"name": "tf_prices_left", "op": "last_n", "value": "props.get('price')", "n": 5,
   "transform": [{"op": "pad", "length": 3, "side": "left", "value": -1}]},
  {"name": "tf_prices_clip", "op": "last_n", "value": "props.get('price')", "n": 6, "keyBy": "category",
   "transform": [{"op": "clip", "min": 10}, {"op": "pad", "length": 6}]},
  {"name": "tf_bucketize_tensor", "op": "last_n", "value": "props.get('dwellMs')", "n": 4,
   "transform": [{"op": "pad", "length": 4}, {"op": "bucketize", "boundaries": [1000, 10000, 30000]}]},
  {"name": "tf_count_tensor", "op": "count", "window": "30m", "transform": [{"op": "to_tensor"}]},
  {"name": "tf_last_item_hash", "op": "last_item", "transform": [{"op": "hash", "buckets": 97}]},
  {"name": "tf_tumble_none", "op": "avg", "value": "props['amount']", "window": {"type": "tumbling", "size": "1m"},
   "transform": [{"op": "min_max", "min": 0, "max": 100, "default": -1}]}
])JSON";

ojson TransformFeatures() { return ojson::parse(kTransformFeatures); }

// categories.txt: a BOM, CRLF and LF line ends, an empty entry, a final break.
void WriteBundleResources(const std::string& bundle_dir) {
  WriteFile(bundle_dir + "/categories.txt", "\xEF\xBB\xBFshoes\r\nbags\n\nbooks\nToys\n\xC3\xA9lectronique\n");
}

// ---------------------------------------------------------------------------
// The random stream.

struct GenConfig {
  int events = 1000;
  int users = 4;
  int items = 12;
  int64_t lateness_ms = 60000;
};

class StreamGen {
 public:
  StreamGen(uint64_t seed, const GenConfig& cfg) : rng_(seed), cfg_(cfg) {}

  std::string Generate() {
    std::vector<std::string> lines;
    std::vector<std::string> valid;
    int malformed_left = 2 + static_cast<int>(Uniform(0, 2));
    for (int i = 0; i < cfg_.events; ++i) {
      if (malformed_left > 0 && Chance(3.0 / cfg_.events)) {
        lines.push_back(Malformed());
        --malformed_left;
      }
      if (Chance(0.004)) lines.push_back(Chance(0.5) ? "" : "   \t");
      if (!valid.empty() && Chance(0.05)) {
        // An exact duplicate of a recent (or, rarely, an old) line.
        int64_t n = static_cast<int64_t>(valid.size());
        size_t back = static_cast<size_t>(Chance(0.6)   ? Uniform(1, std::min<int64_t>(3, n))
                                          : Chance(0.8) ? Uniform(1, std::min<int64_t>(30, n))
                                                        : Uniform(1, n));
        lines.push_back(valid[valid.size() - back]);
        continue;
      }
      std::string e = Event();
      valid.push_back(e);
      lines.push_back(e);
    }
    while (malformed_left-- > 0) lines.insert(lines.begin() + Uniform(0, lines.size()), Malformed());
    std::string out;
    for (auto& l : lines) out += l + "\n";
    return out;
  }

 private:
  int64_t Uniform(int64_t lo, int64_t hi) {  // inclusive
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Uniform(0, v.size() - 1))];
  }

  int64_t NextTs() {
    if (max_ts_ < 0) {
      max_ts_ = 1700000000000 + Uniform(0, 86400000LL * 7);
      return max_ts_;
    }
    if (Chance(0.10)) {  // out of order
      int64_t L = cfg_.lateness_ms;
      double r = std::uniform_real_distribution<double>(0, 1)(rng_);
      int64_t ts;
      if (r < 0.45) {
        ts = max_ts_ - Uniform(0, L);  // within the allowed lateness
      } else if (r < 0.55) {
        ts = max_ts_ - L;  // exactly at the horizon: accepted
      } else if (r < 0.65) {
        ts = max_ts_ - L - 1;  // one ms beyond: late
      } else {
        ts = max_ts_ - L - Uniform(1, 2 * L + 600000);  // beyond
      }
      return std::max<int64_t>(ts, 0);
    }
    double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    int64_t gap;
    if (r < 0.05) {
      gap = 0;
    } else if (r < 0.60) {
      gap = Uniform(1, 5000);
    } else if (r < 0.85) {
      gap = Uniform(5000, 600000);
    } else if (r < 0.96) {
      gap = Uniform(600000, 7200000);
    } else {
      gap = Uniform(7200000, 8 * 3600000LL);
    }
    max_ts_ += gap;
    return max_ts_;
  }

  std::string Event() {
    static const std::vector<std::string> kPages = {"Home", "Detail", "List", "Cart", "Pay", "Search"};
    static const std::vector<std::string> kActions = {"AddCart", "Favorite", "Order", "Search", "Share", "Other"};
    static const std::vector<std::string> kCategories = {"shoes", "bags", "books", "Toys", "électronique", "food"};
    static const std::vector<std::string> kBrands = {"acme", "globex", "initech"};
    static const std::vector<std::string> kQueries = {"red shoes", "bag", "", "book 2", "玩具"};
    ojson e;
    e["type"] = Chance(0.97) ? "mta" : "sys";
    double k = std::uniform_real_distribution<double>(0, 1)(rng_);
    std::string kind = k < 0.38 ? "pv" : k < 0.63 ? "click" : k < 0.83 ? "exposure" : k < 0.95 ? "custom" : "";
    if (!kind.empty()) e["kind"] = kind;
    std::string page = Pick(kPages);
    e["pageId"] = page;
    if (kind == "click" && Chance(0.95)) e["clickId"] = page + "_" + Pick(kActions);
    if (Chance(0.8)) e["itemId"] = "i" + std::to_string(Uniform(1, cfg_.items));
    e["ts"] = NextTs();
    if (Chance(0.9)) {
      ojson p = ojson::object();
      if (Chance(0.7)) {
        double r = std::uniform_real_distribution<double>(0, 1)(rng_);
        if (r < 0.6) {
          p["price"] = Uniform(1, 60);
        } else if (r < 0.63) {
          p["price"] = static_cast<double>(Uniform(1, 60));  // a whole float: 12.0
        } else if (r < 0.95) {
          static const double kFrac[] = {0.25, 0.5, 0.75, 0.1, 0.3, 0.99};
          p["price"] = static_cast<double>(Uniform(0, 59)) + kFrac[Uniform(0, 5)];
        } else {
          p["price"] = nullptr;
        }
      }
      if (Chance(0.7)) p["category"] = Pick(kCategories);
      if (Chance(0.85)) {
        if (Chance(0.1)) {
          p["userId"] = 7;
        } else {
          p["userId"] = "u" + std::to_string(Uniform(1, cfg_.users));
        }
      }
      if (Chance(kind == "click" ? 0.6 : 0.2)) p["amount"] = Uniform(1, 100);
      if (Chance(0.5)) p["dwellMs"] = Uniform(100, 60000);
      if (Chance(0.3)) p["query"] = Pick(kQueries);
      if (Chance(0.4)) p["brand"] = Pick(kBrands);
      if (Chance(0.6)) p["sessionId"] = "s" + std::to_string(Uniform(1, 3));
      if (Chance(0.2)) p["flag"] = Chance(0.5);
      if (Chance(0.03)) {
        static const ojson kBig[] = {ojson(12345678901234567890ULL), ojson(INT64_MIN), ojson(INT64_MAX),
                                     ojson(1e16), ojson(2.5e-05)};
        p["big"] = kBig[Uniform(0, 4)];
      }
      e["props"] = p;
    }
    return e.dump(-1, ' ', false, ojson::error_handler_t::replace);
  }

  std::string Malformed() {
    switch (Uniform(0, 6)) {
      case 0: return "not json";
      case 1: return R"({"type":"mta","kind":"pv","pageId":"Home"})";                   // no ts
      case 2: return R"({"type":"mta","kind":"pv","pageId":"Home","ts":"1700000000000"})";  // ts a string
      case 3: return R"({"type":"","pageId":"Home","ts":1700000000000})";               // empty type
      case 4: return "[1, 2, 3]";
      case 5: return R"({"type":"mta","kind":7,"pageId":"Home","ts":1700000000000})";   // kind a number
      default: return R"({"type":"mta","pageId":"Home","ts":1700000000000,"props":[1]})";  // props an array
    }
  }

  std::mt19937_64 rng_;
  GenConfig cfg_;
  int64_t max_ts_ = -1;
};

// ---------------------------------------------------------------------------

struct CaseResult {
  std::vector<std::string> diffs;
  std::string setup_error;
  size_t matches = 0;
  double seconds = 0;
};

// Runs both programs on DIR/bundle and DIR/events.jsonl.
CaseResult RunCase(const std::string& dir) {
  CaseResult res;
  auto t0 = std::chrono::steady_clock::now();
  std::string bundle = dir + "/bundle", events = dir + "/events.jsonl";
  Proc ref = RunShell(std::string(kPython) + " " + Quote(Reference()) + " --manifest " +
                          Quote(bundle + "/manifest.json") + " --events " + Quote(events) + " --bundle-dir " +
                          Quote(bundle),
                      dir + "/reference.stderr");
  WriteFile(dir + "/reference.out", ref.out);
  if (ref.exit_code != 0) {
    res.setup_error = "reference.py failed (exit " + std::to_string(ref.exit_code) + "): " + ref.err;
    return res;
  }
  Proc cli = RunShell(Quote(Cli()) + " device run --bundle " + Quote(bundle) + " --events " + Quote(events) +
                          " --print-matches --dump-features",
                      dir + "/edgeflow.stderr");
  WriteFile(dir + "/edgeflow.out", cli.out);
  Output want = ParseOutput(ref.out), got = ParseOutput(cli.out);
  // Exit status 1 is expected when the stream has malformed lines.
  if ((cli.exit_code != 0 && cli.exit_code != 1) || got.feature_lines == 0) {
    res.setup_error = "edgeflow device run failed (exit " + std::to_string(cli.exit_code) +
                      ", no {\"features\"} line): " + cli.err.substr(0, 2000);
    return res;
  }
  res.diffs = CompareOutputs(want, got);
  res.matches = want.matches.size();
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

class ReferenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!Executable(kPython)) GTEST_SKIP() << kPython << " is missing: the reference cannot run";
    ASSERT_FALSE(BinaryDir().empty()) << "EDGEFLOW_BINARY_DIR is not set (run through ctest)";
    ASSERT_TRUE(Executable(Cli())) << Cli() << " is missing: build the edgeflow target";
    ASSERT_TRUE(std::filesystem::exists(Reference())) << Reference();
    std::string tmpl = std::filesystem::temp_directory_path().string() + "/edgeflow_reference_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override {
    if (root_.empty()) return;
    if (HasFailure()) {
      std::printf("reference test: inputs and outputs kept in %s\n", root_.c_str());
    } else {
      std::error_code ec;
      std::filesystem::remove_all(root_, ec);
    }
  }

  // Writes a bundle and a stream into root_/NAME; returns that directory.
  std::string WriteCase(const std::string& name, const std::string& manifest, const std::string& events) {
    std::string dir = root_ + "/" + name;
    WriteFile(dir + "/bundle/manifest.json", manifest);
    WriteBundleResources(dir + "/bundle");
    WriteFile(dir + "/events.jsonl", events);
    return dir;
  }

  std::string root_;
};

TEST_F(ReferenceTest, RandomStreamsAgree) {
  constexpr int kSeeds = 32;
  const int64_t kLateness[] = {60000, 0, 5000, 600000};
  std::vector<std::string> dirs(kSeeds);
  for (int s = 0; s < kSeeds; ++s) {
    std::mt19937_64 meta(1000 + s);
    GenConfig cfg;
    cfg.events = static_cast<int>(std::uniform_int_distribution<int>(300, 3000)(meta));
    cfg.users = static_cast<int>(std::uniform_int_distribution<int>(1, 5)(meta));
    cfg.items = static_cast<int>(std::uniform_int_distribution<int>(4, 40)(meta));
    cfg.lateness_ms = kLateness[s % 4];
    bool dedup = s % 7 != 3;
    StreamGen gen(static_cast<uint64_t>(s) * 7919 + 17, cfg);
    dirs[s] = WriteCase("seed_" + std::to_string(s), ManifestJson(cfg.lateness_ms, dedup, TransformFeatures()),
                        gen.Generate());
  }

  // Two workers: each case runs two processes, one after the other.
  std::vector<CaseResult> results(kSeeds);
  std::atomic<int> next{0};
  auto worker = [&] {
    for (int s; (s = next.fetch_add(1)) < kSeeds;) results[s] = RunCase(dirs[s]);
  };
  unsigned n_threads = std::max(2u, std::min(4u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < n_threads; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();

  if (results[0].setup_error.find(kTasksRequired) != std::string::npos) {
    FAIL() << "the manifest parser refuses a bundle without tasks (features and patterns with broadcast "
              "actions only): "
           << results[0].setup_error;
  }
  size_t total_matches = 0;
  for (int s = 0; s < kSeeds; ++s) {
    const CaseResult& r = results[s];
    total_matches += r.matches;
    if (!r.setup_error.empty()) {
      ADD_FAILURE() << "seed " << s << ": " << r.setup_error << "\n  case: " << dirs[s];
      continue;
    }
    for (const std::string& d : r.diffs) {
      ADD_FAILURE() << "seed " << s << ": " << d << "\n  case: " << dirs[s];
    }
  }
  // The generator must exercise the patterns, not just agree on nothing.
  EXPECT_GT(total_matches, static_cast<size_t>(kSeeds));
}

// The examples of docs/features.md ("Feature library") and docs/patterns.md
// ("Examples"): both programs must print the documented values.
TEST_F(ReferenceTest, DocumentedExamples) {
  ojson m;
  m["name"] = "examples";
  m["version"] = "1.0.0";
  ojson features = ojson::array();
  for (const char* op : {"pv_count", "cart_count", "recent_items", "avg_price_viewed", "category_preference",
                         "view_cart_rate", "time_since_last_cart", "session_length", "last_page"}) {
    features.push_back({{"name", op}, {"op", op}});
  }
  m["features"] = features;
  m["patterns"] = ojson::parse(R"JSON([
    {"name": "cart_abandon", "keyBy": "user",
     "steps": [{"name": "view", "where": "kind == 'pv' and pageId == 'Detail'"},
               {"name": "cart", "where": "clickId == 'AddCart'", "times": [2, null]},
               {"not": "pageId == 'Pay'"},
               {"name": "home", "where": "pageId == 'Home'"}],
     "contiguity": "relaxed", "withinMs": 600000, "maxPartialsPerKey": 16,
     "action": {"broadcast": "reach.coupon"}},
    {"name": "repeat_view", "keyBy": "item",
     "steps": [{"name": "views", "where": "kind == 'pv' and pageId == 'Detail'", "times": 3}],
     "withinMs": 86400000,
     "action": {"broadcast": "reach.push", "message": {"template": "still_interested"}}}])JSON");

  // features.md: the three-event stream of the library examples.
  std::string features_stream =
      R"({"type":"mta","kind":"pv","pageId":"Detail","itemId":"a","ts":1000,"props":{"price":10,"category":"shoes"}})"
      "\n"
      R"({"type":"mta","kind":"click","pageId":"Detail","clickId":"Detail_AddCart","itemId":"a","ts":2000})"
      "\n"
      R"({"type":"mta","kind":"pv","pageId":"Detail","itemId":"b","ts":3000,"props":{"price":30,"category":"bags"}})"
      "\n";
  ojson want_features = ojson::parse(R"({"pv_count": 2, "cart_count": 1, "recent_items": ["a", "b"],
      "avg_price_viewed": 20.0, "category_preference": {"bags": 0.5, "shoes": 0.5}, "view_cart_rate": 0.5,
      "time_since_last_cart": 1000, "session_length": 2000, "last_page": "Detail"})");

  // patterns.md: the cart-abandonment table (u42), then six detail views of sku1.
  const int64_t t0 = 1700000000000;
  auto ev = [&](const std::string& kind, const std::string& page, const std::string& click, int64_t s,
                const std::string& item) {
    ojson e;
    e["type"] = "mta";
    e["kind"] = kind;
    e["pageId"] = page;
    if (!click.empty()) e["clickId"] = click;
    if (!item.empty()) e["itemId"] = item;
    e["ts"] = t0 + s * 1000;
    e["props"] = {{"userId", "u42"}};
    return e.dump() + "\n";
  };
  std::string pattern_stream = ev("pv", "Detail", "", 0, "") + ev("click", "Detail", "AddCart", 20, "") +
                               ev("pv", "List", "", 30, "") + ev("click", "Detail", "AddCart", 40, "") +
                               ev("pv", "Home", "", 50, "");
  for (int i = 0; i < 6; ++i) pattern_stream += ev("pv", "Detail", "", 1000 + 60 * i, "sku1");
  std::vector<ojson> want_matches = {
      {{"pattern", "cart_abandon"}, {"key", "u42"}, {"ts", t0 + 50000}, {"startTs", t0}, {"seqs", {1, 2, 4, 5}}},
      // The first detail view of sku1 (seq 6) also starts a cart_abandon run, irrelevant here.
      {{"pattern", "repeat_view"}, {"key", "sku1"}, {"ts", t0 + 1120000}, {"startTs", t0 + 1000000},
       {"seqs", {6, 7, 8}}},
      {{"pattern", "repeat_view"}, {"key", "sku1"}, {"ts", t0 + 1300000}, {"startTs", t0 + 1180000},
       {"seqs", {9, 10, 11}}},
  };

  std::string dir_f = WriteCase("doc_features", m.dump(2), features_stream);
  std::string dir_p = WriteCase("doc_patterns", m.dump(2), pattern_stream);
  for (const std::string& dir : {dir_f, dir_p}) {
    std::string ref_out = RunShell(std::string(kPython) + " " + Quote(Reference()) + " --manifest " +
                                       Quote(dir + "/bundle/manifest.json") + " --events " +
                                       Quote(dir + "/events.jsonl"),
                                   dir + "/reference.stderr")
                              .out;
    Output ref = ParseOutput(ref_out);
    Proc cli_proc = RunShell(Quote(Cli()) + " device run --bundle " + Quote(dir + "/bundle") + " --events " +
                                 Quote(dir + "/events.jsonl") + " --print-matches --dump-features",
                             dir + "/edgeflow.stderr");
    ASSERT_EQ(cli_proc.err.find(kTasksRequired), std::string::npos)
        << "the manifest parser refuses a bundle without tasks: " << cli_proc.err;
    Output cli = ParseOutput(cli_proc.out);
    for (const auto& [who, out] : {std::pair<const char*, const Output*>{"reference.py", &ref},
                                   std::pair<const char*, const Output*>{"edgeflow", &cli}}) {
      if (dir == dir_f) {
        ASSERT_EQ(out->feature_lines, 1) << who << " printed no features line; case " << dir;
        for (auto it = want_features.begin(); it != want_features.end(); ++it) {
          ASSERT_TRUE(out->features.contains(it.key())) << who << ": " << it.key();
          EXPECT_EQ(Diff(it.value(), out->features[it.key()], it.key()), "") << who << "; case " << dir;
        }
        EXPECT_TRUE(out->matches.empty()) << who;
      } else {
        ASSERT_EQ(out->matches.size(), want_matches.size()) << who << "; case " << dir;
        for (size_t i = 0; i < want_matches.size(); ++i) {
          EXPECT_EQ(Diff(want_matches[i], out->matches[i], "match #" + std::to_string(i + 1), false), "")
              << who << "; case " << dir;
        }
      }
    }
  }
}

// features.md, "The event stream a bundle's features see": lateness is
// `ts < max_ts - allowedLatenessMs` (the horizon itself is accepted), and
// duplicates are equal in every field, props text included.
TEST_F(ReferenceTest, AcceptanceRules) {
  const std::string events =
      R"({"type":"mta","kind":"pv","pageId":"P","ts":10000,"props":{"a":1}})"
      "\n"
      R"({"type":"mta","kind":"pv","pageId":"P","ts":20000,"props":{"a":1}})"
      "\n"
      R"({"type":"mta","kind":"pv","pageId":"P","ts":15000,"props":{"a":1}})"  // at the horizon (5000)
      "\n"
      R"({"type":"mta","kind":"pv","pageId":"P","ts":14999,"props":{"a":1}})"  // 1 ms beyond: late
      "\n"
      R"({"type":"mta","kind":"pv","pageId":"P","ts":20000,"props":{"a":1}})"  // duplicate
      "\n"
      R"({"type":"mta","kind":"pv","pageId":"P","ts":20000,"props":{"a":2}})"  // props differ
      "\n"
      R"({"type":"mta","kind":"click","pageId":"P","ts":20000,"props":{"a":1}})"  // kind differs
      "\n"
      "\n"
      R"({"type":"mta","pageId":"P"})"  // no ts: not an event, no seq
      "\n"
      R"({"type":"mta","kind":"pv","pageId":"P","ts":20000})"  // no props
      "\n";
  struct Want {
    int64_t lateness;
    bool dedup;
    int64_t count;
    std::vector<int64_t> seqs;  // of the accepted events: the blank line and the one without ts get none
  };
  for (const Want& w : {Want{5000, true, 6, {1, 2, 3, 6, 7, 8}}, Want{5000, false, 7, {1, 2, 3, 5, 6, 7, 8}},
                        Want{0, true, 5, {1, 2, 6, 7, 8}}}) {
    ojson m;
    m["name"] = "acceptance";
    m["version"] = "1.0.0";
      m["pipeline"] = {{"allowedLatenessMs", w.lateness}, {"dedup", w.dedup}};
    m["features"] = ojson::parse(R"([{"name": "n", "op": "count"},
                                     {"name": "ts_all", "op": "last_n", "value": "ts", "n": 10}])");
    m["patterns"] = ojson::parse(R"([{"name": "any", "steps": [{"name": "e"}], "action": {"broadcast": "t"}}])");
    std::string dir = WriteCase("acceptance_" + std::to_string(w.lateness) + (w.dedup ? "_dedup" : ""), m.dump(2),
                                events);
    CaseResult r = RunCase(dir);
    ASSERT_EQ(r.setup_error, "") << dir;
    for (const std::string& d : r.diffs) ADD_FAILURE() << d << "\n  case: " << dir;
    Output ref = ParseOutput(ReadFile(dir + "/reference.out"));
    ASSERT_EQ(ref.feature_lines, 1);
    EXPECT_EQ(ref.features["n"], w.count) << "reference.py; case " << dir;
    // The single-step pattern matches every accepted event at once.
    ASSERT_EQ(ref.matches.size(), w.seqs.size()) << "reference.py; case " << dir;
    for (size_t i = 0; i < w.seqs.size(); ++i) {
      EXPECT_EQ(ref.matches[i]["seqs"], ojson::array({w.seqs[i]})) << "reference.py; case " << dir;
    }
  }
}

}  // namespace
}  // namespace edgeflow
