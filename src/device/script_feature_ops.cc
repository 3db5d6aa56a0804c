// Script feature ops (script_feature_ops.h): one context per script file,
// value conversions, and the retry on a spent context.
#include "device/script_feature_ops.h"

#include <algorithm>
#include <map>
#include <memory>

namespace edgeflow {
namespace {

using pipeline::FeatureDef;
using pipeline::FeatureValue;
using pipeline::Value;

ScriptValue ScalarToScript(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNone: return ScriptValue();
    case Value::Kind::kBool: return ScriptValue::Bool(v.b);
    case Value::Kind::kInt: return ScriptValue::Int(v.i);
    case Value::Kind::kFloat: return ScriptValue::Float(v.f);
    case Value::Kind::kStr: return ScriptValue::Str(v.s);
    case Value::Kind::kJson: {
      auto parsed = ScriptValue::FromJson(v.s);
      return parsed.ok() ? std::move(parsed).value() : ScriptValue::Str(v.s);
    }
  }
  return ScriptValue();
}

Result<Value> ScalarFromScript(const ScriptValue& v, const char* where) {
  switch (v.kind()) {
    case ScriptValue::Kind::kNone: return Value::None();
    case ScriptValue::Kind::kBool: return Value::Bool(v.as_bool());
    case ScriptValue::Kind::kInt: return Value::Int(v.as_int());
    case ScriptValue::Kind::kFloat: return Value::Float(v.as_float());
    case ScriptValue::Kind::kStr: return Value::Str(v.as_str());
    default: break;
  }
  return Status::InvalidArgument(std::string("returned a nested value ") + where +
                                 " (a feature is a scalar, a list of scalars or a dict of numbers)");
}

// The compiled program of one file and its serving context.
struct FileContext {
  std::shared_ptr<const ScriptProgram> program;
  std::unique_ptr<ScriptContext> context;
  int64_t calls = 0;  // calls served by `context`
};

struct Ops {
  ScriptFeatureLimits limits;
  std::map<std::string, FileContext> files;
  std::vector<const FeatureDef*> defs;  // by feature index; null for other ops

  // A context whose module body has run.
  Result<ScriptContext*> Fresh(const std::string& file, FileContext& f) {
    ScriptOptions o;
    o.limits.max_ticks = limits.max_ticks;
    o.limits.memory_bytes = limits.memory_bytes;
    o.on_output = [](std::string_view) {};  // print() in a feature op goes nowhere
    EF_ASSIGN_OR_RETURN(f.context, ScriptContext::Create(f.program, std::move(o)));
    f.calls = 0;
    if (Status st = f.context->Run(); !st.ok()) {
      f.context.reset();
      return Status::InvalidArgument(file + ": module body failed: " + st.message());
    }
    return f.context.get();
  }

  Result<FeatureValue> Call(size_t feature, const std::vector<FeatureValue>& args) {
    if (feature >= defs.size() || defs[feature] == nullptr) {
      return Status::Internal("feature " + std::to_string(feature) + " is not a script feature");
    }
    const FeatureDef& d = *defs[feature];
    FileContext& f = files.at(d.script_file);
    std::vector<ScriptValue> in;
    in.reserve(args.size());
    for (const auto& a : args) in.push_back(FeatureValueToScript(a));
    for (int attempt = 0;; ++attempt) {
      if (!f.context) EF_RETURN_IF_ERROR(Fresh(d.script_file, f).status());
      const bool used = f.calls > 0;
      ++f.calls;
      auto r = f.context->Call(d.script_function, in);
      if (r.ok()) return FeatureValueFromScript(*r);
      // A spent budget or a full heap on a context that served calls before:
      // start over once, so that the limits bound this call alone.
      if (r.status().code() == StatusCode::kResourceExhausted && used && attempt == 0) {
        f.context.reset();
        continue;
      }
      const ScriptError& e = f.context->last_error();
      std::string what = e.type.empty() ? r.status().message() : e.type + ": " + e.message;
      if (r.status().code() == StatusCode::kResourceExhausted) f.context.reset();  // spent: a new one next read
      return Status::InvalidArgument(d.script_file + ":" + d.script_function + " failed: " + what);
    }
  }
};

}  // namespace

ScriptValue FeatureValueToScript(const FeatureValue& v) {
  switch (v.kind) {
    case FeatureValue::Kind::kScalar: return ScalarToScript(v.scalar);
    case FeatureValue::Kind::kList: {
      std::vector<ScriptValue> items;
      items.reserve(v.list.size());
      for (const auto& x : v.list) items.push_back(ScalarToScript(x));
      return ScriptValue::List(std::move(items));
    }
    case FeatureValue::Kind::kMap: {
      std::vector<std::pair<std::string, ScriptValue>> entries;
      entries.reserve(v.map.size());
      for (const auto& [k, x] : v.map) entries.emplace_back(k, ScriptValue::Float(x));
      return ScriptValue::Dict(std::move(entries));
    }
    case FeatureValue::Kind::kTensor: {
      std::vector<ScriptValue> items;
      items.reserve(v.tensor.size());
      for (float x : v.tensor) items.push_back(ScriptValue::Float(x));
      return ScriptValue::List(std::move(items));
    }
  }
  return ScriptValue();
}

Result<FeatureValue> FeatureValueFromScript(const ScriptValue& v) {
  switch (v.kind()) {
    case ScriptValue::Kind::kList: {
      FeatureValue f;
      f.kind = FeatureValue::Kind::kList;
      f.list.reserve(v.items().size());
      for (const auto& x : v.items()) {
        EF_ASSIGN_OR_RETURN(Value s, ScalarFromScript(x, "in a list"));
        f.list.push_back(std::move(s));
      }
      return f;
    }
    case ScriptValue::Kind::kDict: {
      FeatureValue f;
      f.kind = FeatureValue::Kind::kMap;
      for (const auto& [k, x] : v.entries()) {
        if (x.kind() == ScriptValue::Kind::kInt) {
          f.map.emplace_back(k, static_cast<double>(x.as_int()));
        } else if (x.kind() == ScriptValue::Kind::kFloat) {
          f.map.emplace_back(k, x.as_float());
        } else if (x.kind() == ScriptValue::Kind::kBool) {
          f.map.emplace_back(k, x.as_bool() ? 1.0 : 0.0);
        } else {
          return Status::InvalidArgument("returned a dict whose value for \"" + k + "\" is not a number");
        }
      }
      std::sort(f.map.begin(), f.map.end());  // maps are sorted by key (keys of a dict are unique)
      return f;
    }
    case ScriptValue::Kind::kTensor: {
      const auto& t = v.tensor();
      if (!t || t->shape().size() != 1 ||
          (t->dtype() != ScriptTensor::DType::kFloat32 && t->dtype() != ScriptTensor::DType::kFloat64)) {
        return Status::InvalidArgument("returned a tensor that is not a 1-D float tensor");
      }
      FeatureValue f;
      f.kind = FeatureValue::Kind::kTensor;
      f.tensor.resize(static_cast<size_t>(t->size()));
      for (int64_t i = 0; i < t->size(); ++i) {
        f.tensor[static_cast<size_t>(i)] = t->dtype() == ScriptTensor::DType::kFloat32
                                               ? t->data_as<float>()[i]
                                               : static_cast<float>(t->data_as<double>()[i]);
      }
      return f;
    }
    default: {
      EF_ASSIGN_OR_RETURN(Value s, ScalarFromScript(v, ""));
      return FeatureValue::Scalar(std::move(s));
    }
  }
}

Result<pipeline::Pipeline::ScriptOpRunner> MakeScriptFeatureOps(const pipeline::PipelineSpec& spec,
                                                                const std::string& bundle_dir,
                                                                const std::string& where,
                                                                const ScriptServices& services,
                                                                ScriptFeatureLimits limits) {
  auto ops = std::make_shared<Ops>();
  ops->limits = limits;
  ops->defs.assign(spec.features.size(), nullptr);
  Env* env = services.env ? services.env : Env::Default();
  for (size_t i = 0; i < spec.features.size(); ++i) {
    const FeatureDef& d = spec.features[i];
    if (d.kind != FeatureDef::Kind::kScript) continue;
    const std::string at = where + ": features[" + std::to_string(i) + "].function";
    ops->defs[i] = &d;
    auto [it, added] = ops->files.try_emplace(d.script_file);
    FileContext& f = it->second;
    if (added) {
      const std::string path = bundle_dir + "/" + d.script_file;
      auto bytes = env->ReadFile(path);
      if (!bytes.ok()) return Status::NotFound(at + ": cannot read " + path);
      const bool source = d.script_file.size() > 3 && d.script_file.compare(d.script_file.size() - 3, 3, ".py") == 0;
      if (source && !services.compile) {
        return Status::FailedPrecondition(at + ": this runtime runs compiled scripts only (.pyc from "
                                          "`edgeflow script compile`)");
      }
      auto program = source ? services.compile(*bytes, d.script_file) : ScriptProgram::FromBytecode(*bytes, d.script_file);
      if (!program.ok()) return program.status().WithContext(at);
      f.program = std::move(program).value();
      if (auto ctx = ops->Fresh(d.script_file, f); !ctx.ok()) return ctx.status().WithContext(at);
    }
    if (!f.context->HasFunction(d.script_function)) {
      return Status::InvalidArgument(at + ": " + d.script_file + " defines no function '" + d.script_function + "'");
    }
  }
  if (ops->files.empty()) return pipeline::Pipeline::ScriptOpRunner();
  // The spec outlives the runner: the pipeline holds both.
  return pipeline::Pipeline::ScriptOpRunner(
      [ops](size_t feature, const std::vector<FeatureValue>& args) { return ops->Call(feature, args); });
}

}  // namespace edgeflow
