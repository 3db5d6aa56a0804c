// Parsing and checking of feature definitions (feature_def.h).
#include "pipeline/feature_def.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "pipeline/feature_library.h"

namespace edgeflow::pipeline {
namespace {

using nlohmann::json;

bool ValidName(const std::string& s) {
  if (s.empty() || s.size() > 128 || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

Result<std::shared_ptr<const Expr>> CompileField(const json& def, const char* field, const std::string& at) {
  auto it = def.find(field);
  if (it == def.end()) return std::shared_ptr<const Expr>();
  if (!it->is_string()) return Status::InvalidArgument(at + "." + field + ": expected an expression (a string)");
  auto e = Expr::Compile(it->get<std::string>());
  if (!e.ok()) return Status::InvalidArgument(at + "." + field + ": " + e.status().message());
  return std::shared_ptr<const Expr>(std::move(e).value());
}

Result<int64_t> PositiveInt(const json& def, const char* field, const std::string& at, int64_t fallback,
                            int64_t max) {
  auto it = def.find(field);
  if (it == def.end()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > max) {
    return Status::InvalidArgument(at + "." + field + ": must be an integer from 1 to " + std::to_string(max));
  }
  return it->get<int64_t>();
}

const std::set<std::string>& KnownFields() {
  static const std::set<std::string> k = {"name", "op", "filter", "value", "keyBy", "window", "n", "k",
                                          "exact", "normalize", "maxKeys", "transform", "description",
                                          "inputs", "field", "numerator", "denominator", "function"};
  return k;
}

Result<FeatureDef> ParseOne(const json& written, const std::string& at, const std::vector<FeatureDef>& earlier,
                            const Transform::ResourceReader& read_resource) {
  if (!written.is_object()) return Status::InvalidArgument(at + ": expected an object");
  for (auto it = written.begin(); it != written.end(); ++it) {
    if (!KnownFields().count(it.key())) return Status::InvalidArgument(at + "." + it.key() + ": unknown field");
  }
  FeatureDef f;
  auto name = written.find("name");
  if (name == written.end() || !name->is_string() || !ValidName(name->get<std::string>())) {
    return Status::InvalidArgument(at + ".name: required, [A-Za-z_][A-Za-z0-9_]* (at most 128 characters)");
  }
  f.name = name->get<std::string>();
  auto op = written.find("op");
  if (op == written.end() || !op->is_string()) return Status::InvalidArgument(at + ".op: required, a string");
  f.op = op->get<std::string>();

  // A library op: its definition, with the written fields on top.
  json def = written;
  if (const LibraryOp* lib = FindLibraryOp(f.op)) {
    def = json::parse(lib->definition);
    for (auto it = written.begin(); it != written.end(); ++it) {
      if (it.key() != "op") def[it.key()] = it.value();
    }
    if (!written.contains("description")) def["description"] = std::string(lib->description);
  }
  const std::string agg_name = def["op"].get<std::string>();
  if (auto d = def.find("description"); d != def.end()) {
    if (!d->is_string()) return Status::InvalidArgument(at + ".description: expected a string");
    f.description = d->get<std::string>();
  }

  if (auto k = def.find("keyBy"); k != def.end()) {
    if (!k->is_string()) return Status::InvalidArgument(at + ".keyBy: expected a string");
    EF_ASSIGN_OR_RETURN(f.key, KeySpec::Parse(k->get<std::string>(), at + ".keyBy"));
    f.keyed = true;
  }
  EF_ASSIGN_OR_RETURN(f.max_keys, PositiveInt(def, "maxKeys", at, 100000, 10000000));
  auto window = def.find("window");
  EF_ASSIGN_OR_RETURN(f.window, ParseWindowSpec(window == def.end() ? nullptr : &*window, at + ".window"));
  EF_ASSIGN_OR_RETURN(f.filter, CompileField(def, "filter", at));
  EF_ASSIGN_OR_RETURN(f.value, CompileField(def, "value", at));
  EF_ASSIGN_OR_RETURN(f.numerator, CompileField(def, "numerator", at));
  EF_ASSIGN_OR_RETURN(f.denominator, CompileField(def, "denominator", at));
  EF_ASSIGN_OR_RETURN(f.agg.n, PositiveInt(def, "n", at, 10, 10000));
  EF_ASSIGN_OR_RETURN(f.agg.k, PositiveInt(def, "k", at, 5, 10000));
  EF_ASSIGN_OR_RETURN(f.agg.exact, PositiveInt(def, "exact", at, 1000, 1000000));
  if (auto n = def.find("normalize"); n != def.end()) {
    if (!n->is_boolean()) return Status::InvalidArgument(at + ".normalize: expected true or false");
    f.agg.normalize = n->get<bool>();
  }

  // Fields that only some ops take.
  auto only = [&](const char* field, bool allowed) -> Status {
    if (!allowed && def.contains(field)) {
      return Status::InvalidArgument(at + "." + field + ": not a parameter of op \"" + agg_name + "\"");
    }
    return Status::OK();
  };
  if (agg_name != "script") EF_RETURN_IF_ERROR(only("function", false));
  if (agg_name == "ratio" || agg_name == "context" || agg_name == "script") {
    f.kind = agg_name == "ratio"     ? FeatureDef::Kind::kRatio
             : agg_name == "context" ? FeatureDef::Kind::kContext
                                     : FeatureDef::Kind::kScript;
    for (const char* field : {"filter", "value", "window", "numerator", "denominator"}) {
      EF_RETURN_IF_ERROR(only(field, false));
    }
  }
  if (agg_name == "ratio") {
    EF_RETURN_IF_ERROR(only("field", false));
    auto in = def.find("inputs");
    if (in == def.end() || !in->is_array() || in->size() != 2 || !(*in)[0].is_string() || !(*in)[1].is_string()) {
      return Status::InvalidArgument(at + ".inputs: required, the names of two earlier features");
    }
    for (size_t i = 0; i < 2; ++i) {
      const std::string input = (*in)[i].get<std::string>();
      auto e = std::find_if(earlier.begin(), earlier.end(), [&](const FeatureDef& d) { return d.name == input; });
      if (e == earlier.end()) {
        return Status::InvalidArgument(at + ".inputs[" + std::to_string(i) + "]: no earlier feature named \"" + input + "\"");
      }
      if (e->kind == FeatureDef::Kind::kContext || e->keyed != f.keyed || !(e->key == f.key)) {
        return Status::InvalidArgument(at + ".inputs[" + std::to_string(i) + "]: \"" + input +
                                       "\" must be an aggregate with the same keyBy as this feature");
      }
      f.inputs.push_back(static_cast<size_t>(e - earlier.begin()));
    }
  } else if (agg_name == "script") {
    EF_RETURN_IF_ERROR(only("field", false));
    auto fn = def.find("function");
    const std::string spec = fn != def.end() && fn->is_string() ? fn->get<std::string>() : "";
    const size_t colon = spec.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) {
      return Status::InvalidArgument(at + ".function: required, \"FILE:FUNCTION\" (a .py or .pyc in the bundle)");
    }
    f.script_file = spec.substr(0, colon);
    f.script_function = spec.substr(colon + 1);
    if (f.script_file[0] == '/' || f.script_file.find("..") != std::string::npos) {
      return Status::InvalidArgument(at + ".function: the script must be a path inside the bundle");
    }
    auto in = def.find("inputs");
    if (in == def.end() || !in->is_array() || in->empty() || in->size() > 16) {
      return Status::InvalidArgument(at + ".inputs: required, the names of 1 to 16 earlier features");
    }
    bool keyed_input = false;
    for (size_t i = 0; i < in->size(); ++i) {
      const std::string el = at + ".inputs[" + std::to_string(i) + "]";
      if (!(*in)[i].is_string()) return Status::InvalidArgument(el + ": expected a feature name");
      const std::string input = (*in)[i].get<std::string>();
      auto e = std::find_if(earlier.begin(), earlier.end(), [&](const FeatureDef& d) { return d.name == input; });
      if (e == earlier.end()) return Status::InvalidArgument(el + ": no earlier feature named \"" + input + "\"");
      if (e->keyed && (!f.keyed || !(e->key == f.key))) {
        return Status::InvalidArgument(el + ": \"" + input + "\" is keyed by " + e->key.name() +
                                       "; a script feature reads inputs of its own keyBy or without one");
      }
      keyed_input |= e->keyed;
      f.inputs.push_back(static_cast<size_t>(e - earlier.begin()));
    }
    if (f.keyed && !keyed_input) {
      return Status::InvalidArgument(at + ".keyBy: a keyed script feature needs an input with the same keyBy");
    }
  } else if (agg_name == "context") {
    EF_RETURN_IF_ERROR(only("inputs", false));
    EF_RETURN_IF_ERROR(only("keyBy", false));
    auto field = def.find("field");
    if (field == def.end() || !field->is_string() ||
        (*field != "hour" && *field != "weekday" && *field != "now")) {
      return Status::InvalidArgument(at + ".field: required, one of hour, weekday, now");
    }
    f.context_field = field->get<std::string>();
  } else {
    EF_RETURN_IF_ERROR(only("inputs", false));
    EF_RETURN_IF_ERROR(only("field", false));
    if (agg_name == "session_count") {
      f.kind = FeatureDef::Kind::kSessionCount;
      f.agg.op = AggOp::kCount;
      if (f.window.type != WindowSpec::Type::kSession) {
        return Status::InvalidArgument(at + ".window: session_count needs a session window");
      }
    } else {
      auto agg = AggOpFromName(agg_name);
      if (!agg) {
        return Status::InvalidArgument(at + ".op: \"" + f.op +
                                       "\" is not an aggregate, a derived op (ratio, context, script) or a library op");
      }
      f.agg.op = *agg;
    }
    const bool rate = f.agg.op == AggOp::kRate && f.kind == FeatureDef::Kind::kAggregate;
    if (rate && (!f.numerator || !f.denominator)) {
      return Status::InvalidArgument(at + ": op \"rate\" needs numerator and denominator expressions");
    }
    EF_RETURN_IF_ERROR(only("numerator", rate));
    EF_RETURN_IF_ERROR(only("denominator", rate));
    const bool needs_value = f.kind == FeatureDef::Kind::kAggregate && AggOpNeedsValue(f.agg.op);
    if (needs_value && !f.value) return Status::InvalidArgument(at + ".value: required by op \"" + agg_name + "\"");
    EF_RETURN_IF_ERROR(only("value", needs_value));
    EF_RETURN_IF_ERROR(only("n", f.agg.op == AggOp::kLastN));
    EF_RETURN_IF_ERROR(only("k", f.agg.op == AggOp::kTopK));
    EF_RETURN_IF_ERROR(only("exact", f.agg.op == AggOp::kDistinctCount));
    EF_RETURN_IF_ERROR(only("normalize", f.agg.op == AggOp::kCountBy));
  }

  if (auto t = def.find("transform"); t != def.end()) {
    EF_ASSIGN_OR_RETURN(auto transform, Transform::Parse(*t, at + ".transform", read_resource));
    f.transform = std::move(transform);
  }
  f.canonical = def.dump();
  return f;
}

}  // namespace

Result<PipelineConfig> ParsePipelineConfig(const json* j, std::string_view where) {
  const std::string at(where);
  PipelineConfig c;
  if (!j) return c;
  if (!j->is_object()) return Status::InvalidArgument(at + ": expected an object");
  for (auto it = j->begin(); it != j->end(); ++it) {
    const std::string& k = it.key();
    if (k == "allowedLatenessMs" || k == "checkpointEveryEvents") {
      if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > (int64_t{1} << 50)) {
        return Status::InvalidArgument(at + "." + k + ": expected a non-negative integer");
      }
      (k == "allowedLatenessMs" ? c.allowed_lateness_ms : c.checkpoint_every_events) = it->get<int64_t>();
    } else if (k == "dedup") {
      if (!it->is_boolean()) return Status::InvalidArgument(at + ".dedup: expected true or false");
      c.dedup = it->get<bool>();
    } else {
      return Status::InvalidArgument(at + "." + k + ": unknown field");
    }
  }
  return c;
}

Result<std::vector<FeatureDef>> ParseFeatureDefs(const json& features, std::string_view where,
                                                 const Transform::ResourceReader& read_resource) {
  const std::string at(where);
  if (!features.is_array()) return Status::InvalidArgument(at + ": expected an array");
  if (features.size() > 1000) return Status::InvalidArgument(at + ": at most 1000 features per bundle");
  std::vector<FeatureDef> out;
  std::set<std::string> names;
  for (size_t i = 0; i < features.size(); ++i) {
    const std::string el = at + "[" + std::to_string(i) + "]";
    EF_ASSIGN_OR_RETURN(FeatureDef f, ParseOne(features[i], el, out, read_resource));
    if (!names.insert(f.name).second) {
      return Status::InvalidArgument(el + ".name: \"" + f.name + "\" is defined twice");
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace edgeflow::pipeline
