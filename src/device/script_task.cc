// Script task bodies and the `edgeflow` host module scripts see in tasks
// (contract in script_task.h).
#include "device/script_task.h"

#include <map>
#include <mutex>

#include "core/logging.h"
#include "infer/interpreter.h"
#include "infer/model.h"

namespace edgeflow {

namespace {

constexpr std::string_view kPrefix = "script:";

// ---- models run by scripts ----

struct LoadedModel {
  std::unique_ptr<infer::Model> model;
  std::unique_ptr<infer::Interpreter> interpreter;
};

// The .efm models of one bundle, loaded on first use and shared by all
// instances (the interpreter serialises concurrent runs).
class ModelCache {
 public:
  ModelCache(std::string dir, MetricsRegistry* metrics) : dir_(std::move(dir)), metrics_(metrics) {}

  Result<std::shared_ptr<LoadedModel>> Get(const std::string& path) {
    if (path.empty() || path[0] == '/' || path.find("..") != std::string::npos) {
      return Status::InvalidArgument("run_model: '" + path + "' must be a path inside the bundle");
    }
    std::lock_guard<std::mutex> lock(mu_);
    auto it = models_.find(path);
    if (it != models_.end()) return it->second;
    auto model = infer::Model::Open(dir_ + "/" + path);
    if (!model.ok()) return model.status();
    auto loaded = std::make_shared<LoadedModel>();
    loaded->model = std::move(model).value();
    infer::InterpreterOptions options;
    options.metrics = metrics_;
    loaded->interpreter = std::make_unique<infer::Interpreter>(loaded->model->graph(), options);
    models_.emplace(path, loaded);
    return loaded;
  }

 private:
  const std::string dir_;
  MetricsRegistry* const metrics_;  // borrowed from the runtime, or null
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<LoadedModel>> models_;  // guarded by mu_
};

Result<infer::DType> InferDType(ScriptTensor::DType t) {
  switch (t) {
    case ScriptTensor::DType::kFloat32: return infer::DType::kFloat32;
    case ScriptTensor::DType::kFloat64: return infer::DType::kFloat64;
    case ScriptTensor::DType::kInt64: return infer::DType::kInt64;
    case ScriptTensor::DType::kInt32: return infer::DType::kInt32;
  }
  return Status::Internal("unknown tensor dtype");
}

// An engine output as a script tensor: the infer::Tensor moves into the
// owner, so its storage is shared, not copied (int8/uint8/bool are widened).
std::shared_ptr<const ScriptTensor> FromInfer(infer::Tensor t) {
  ScriptTensor::DType dt;
  switch (t.dtype()) {
    case infer::DType::kFloat32: dt = ScriptTensor::DType::kFloat32; break;
    case infer::DType::kFloat64: dt = ScriptTensor::DType::kFloat64; break;
    case infer::DType::kInt64: dt = ScriptTensor::DType::kInt64; break;
    case infer::DType::kInt32: dt = ScriptTensor::DType::kInt32; break;
    default: {
      auto out = std::make_shared<ScriptTensor>(ScriptTensor::DType::kInt32, t.shape());
      for (int64_t i = 0; i < t.size(); ++i) out->data_as<int32_t>()[i] = static_cast<int32_t>(t.AsInt(i));
      return out;
    }
  }
  if (t.is_view()) t = t.Clone();  // views of mapped weights do not outlive the model
  auto owner = std::make_shared<infer::Tensor>(std::move(t));
  void* data = owner->raw();
  std::vector<int64_t> shape = owner->shape();
  return std::make_shared<ScriptTensor>(dt, std::move(shape), data, std::shared_ptr<void>(owner));
}

Result<ScriptValue> RunModel(ModelCache& cache, const ScriptCall& call) {
  if (call.args.size() != 2 || call.args[0].kind() != ScriptValue::Kind::kStr ||
      call.args[1].kind() != ScriptValue::Kind::kDict) {
    return Status::InvalidArgument("run_model(path, inputs): path is a str, inputs a dict of Tensors");
  }
  EF_ASSIGN_OR_RETURN(std::shared_ptr<LoadedModel> m, cache.Get(call.args[0].as_str()));
  std::map<std::string, infer::Tensor> inputs;
  for (const auto& [name, v] : call.args[1].entries()) {
    if (v.kind() != ScriptValue::Kind::kTensor) {
      return Status::InvalidArgument("run_model: input '" + name + "' is not a Tensor");
    }
    const ScriptTensor& t = *v.tensor();
    EF_ASSIGN_OR_RETURN(infer::DType dt, InferDType(t.dtype()));
    // A view: the script's buffer goes to the engine without a copy.
    inputs.emplace(name, infer::Tensor::View(dt, t.shape(), t.data()));
  }
  auto outputs = m->interpreter->Run(inputs, call.cancel);
  if (!outputs.ok()) return outputs.status();
  std::vector<std::pair<std::string, ScriptValue>> out;
  for (auto& [name, t] : *outputs) out.emplace_back(name, ScriptValue::Tensor(FromInfer(std::move(t))));
  return ScriptValue::Dict(std::move(out));
}

// ---- the host module ----

std::string ValueText(const ScriptValue& v) {
  return v.kind() == ScriptValue::Kind::kStr ? v.as_str() : v.ToJson();
}

ScriptValue ParsedOrNone(const std::string& json) {
  if (json.empty()) return ScriptValue();
  auto v = ScriptValue::FromJson(json);
  return v.ok() ? std::move(v).value() : ScriptValue::Str(json);
}

ScriptValue EventValue(const Event& e) { return ParsedOrNone(EventToJson(e)); }

int64_t IntArg(const ScriptCall& call, size_t i, const char* name, int64_t dflt) {
  if (i < call.args.size() && call.args[i].kind() == ScriptValue::Kind::kInt) return call.args[i].as_int();
  for (const auto& [k, v] : call.kwargs) {
    if (k == name && v.kind() == ScriptValue::Kind::kInt) return v.as_int();
  }
  return dflt;
}

std::string StrArg(const ScriptCall& call, size_t i, const char* name) {
  if (i < call.args.size() && call.args[i].kind() == ScriptValue::Kind::kStr) return call.args[i].as_str();
  for (const auto& [k, v] : call.kwargs) {
    if (k == name && v.kind() == ScriptValue::Kind::kStr) return v.as_str();
  }
  return "";
}

std::shared_ptr<ScriptModule> MakeHostModule(const std::string& task,
                                             std::shared_ptr<const ScriptServices> services,
                                             std::shared_ptr<ModelCache> models) {
  auto m = std::make_shared<ScriptModule>("edgeflow");
  m->AddFunction("log", [task](const ScriptCall& call) -> Result<ScriptValue> {
    std::string text;
    for (size_t i = 0; i < call.args.size(); ++i) text += (i ? " " : "") + ValueText(call.args[i]);
    Log(LogLevel::kInfo, "task " + task + ": " + text);
    return ScriptValue();
  });
  m->AddFunction("now", [services](const ScriptCall&) -> Result<ScriptValue> {
    Env* env = services->env ? services->env : Env::Default();
    return ScriptValue::Int(env->WallMillis());
  });
  m->AddFunction("query", [services](const ScriptCall& call) -> Result<ScriptValue> {
    if (!services->sql) return Status::Unsupported("query: no event store in this runtime");
    std::string select = StrArg(call, 0, "sql");
    if (select.empty()) return Status::InvalidArgument("query(sql, max_rows=1000): sql must be a str");
    EF_ASSIGN_OR_RETURN(SqlRows rows, services->sql(select, static_cast<size_t>(IntArg(call, 1, "max_rows", 1000))));
    std::vector<ScriptValue> out;
    for (const auto& row : rows.rows) {
      std::vector<std::pair<std::string, ScriptValue>> cells;
      for (size_t c = 0; c < row.size() && c < rows.columns.size(); ++c) {
        cells.emplace_back(rows.columns[c], ParsedOrNone(row[c]));
      }
      out.push_back(ScriptValue::Dict(std::move(cells)));
    }
    return ScriptValue::List(std::move(out));
  });
  m->AddFunction("events", [services](const ScriptCall& call) -> Result<ScriptValue> {
    if (!services->events) return Status::Unsupported("events: no event store in this runtime");
    EF_ASSIGN_OR_RETURN(std::vector<Event> evs,
                        services->events(IntArg(call, 0, "from_ms", 0), IntArg(call, 1, "to_ms", INT64_MAX),
                                         StrArg(call, 2, "type"), StrArg(call, 3, "page"),
                                         static_cast<size_t>(IntArg(call, 4, "limit", 1000))));
    std::vector<ScriptValue> out;
    for (const Event& e : evs) out.push_back(EventValue(e));
    return ScriptValue::List(std::move(out));
  });
  m->AddFunction("emit", [services](const ScriptCall& call) -> Result<ScriptValue> {
    if (call.args.size() != 2 || call.args[0].kind() != ScriptValue::Kind::kStr) {
      return Status::InvalidArgument("emit(topic, value): topic must be a str");
    }
    if (services->emit) services->emit(call.args[0].as_str(), call.args[1].ToJson());
    return ScriptValue();
  });
  // feature(name, key="") and features(key=""): key positional or keyword.
  auto key_arg = [](const ScriptCall& call, size_t pos, const char* usage) -> Result<std::string> {
    std::string key;
    bool given = false;
    if (call.args.size() > pos + 1) return Status::InvalidArgument(std::string(usage) + ": too many arguments");
    if (call.args.size() == pos + 1) {
      if (call.args[pos].kind() != ScriptValue::Kind::kStr) return Status::InvalidArgument(std::string(usage) + ": key must be a str");
      key = call.args[pos].as_str();
      given = true;
    }
    for (const auto& [name, value] : call.kwargs) {
      if (name != "key") return Status::InvalidArgument(std::string(usage) + ": unexpected keyword argument '" + name + "'");
      if (given) return Status::InvalidArgument(std::string(usage) + ": key given twice");
      if (value.kind() != ScriptValue::Kind::kStr) return Status::InvalidArgument(std::string(usage) + ": key must be a str");
      key = value.as_str();
      given = true;
    }
    return key;
  };
  m->AddFunction("feature", [services, key_arg](const ScriptCall& call) -> Result<ScriptValue> {
    constexpr const char* kUsage = "feature(name, key='')";
    if (call.args.empty() || call.args[0].kind() != ScriptValue::Kind::kStr) {
      return Status::InvalidArgument(std::string(kUsage) + ": name must be a str");
    }
    EF_ASSIGN_OR_RETURN(std::string key, key_arg(call, 1, kUsage));
    if (!services->feature) return Status::NotFound("feature: this bundle defines no features");
    EF_ASSIGN_OR_RETURN(std::string json, services->feature(call.args[0].as_str(), key));
    return ParsedOrNone(json);
  });
  m->AddFunction("features", [services, key_arg](const ScriptCall& call) -> Result<ScriptValue> {
    EF_ASSIGN_OR_RETURN(std::string key, key_arg(call, 0, "features(key='')"));
    if (!services->features) return ScriptValue::Dict({});
    EF_ASSIGN_OR_RETURN(std::string json, services->features(key));
    return ParsedOrNone(json);
  });
  m->AddFunction("run_model", [models](const ScriptCall& call) { return RunModel(*models, call); });
  return m;
}

// ---- the body ----

const char* TriggerName(TriggerKind k) { return TriggerKindName(k); }

class ScriptBody : public TaskBody {
 public:
  ScriptBody(std::shared_ptr<const ScriptProgram> program, std::string function,
             std::shared_ptr<const ScriptServices> services, std::shared_ptr<ModelCache> models)
      : program_(std::move(program)), function_(std::move(function)),
        services_(std::move(services)), models_(std::move(models)) {}

  Result<TaskOutput> Run(const TaskContext& ctx) override {
    ScriptOptions opts;
    opts.limits.memory_bytes = services_->memory_bytes;
    opts.limits.cancel = ctx.cancel;
    opts.modules.push_back(MakeHostModule(ctx.task, services_, models_));
    std::string task = ctx.task;
    opts.on_output = [task](std::string_view text) {
      Log(LogLevel::kInfo, "task " + task + " printed: " + std::string(text));
    };
    EF_ASSIGN_OR_RETURN(std::unique_ptr<ScriptContext> sc, ScriptContext::Create(program_, std::move(opts)));
    EF_RETURN_IF_ERROR(sc->Run());
    std::vector<std::pair<std::string, ScriptValue>> arg;
    arg.emplace_back("task", ScriptValue::Str(ctx.task));
    arg.emplace_back("instance", ScriptValue::Str(ctx.instance));
    arg.emplace_back("trigger", ScriptValue::Str(TriggerName(ctx.trigger)));
    arg.emplace_back("event", ctx.event ? EventValue(*ctx.event) : ScriptValue());
    arg.emplace_back("extData", ParsedOrNone(ctx.ext_data));
    std::vector<std::pair<std::string, ScriptValue>> upstream;
    for (const auto& [name, json] : ctx.upstream) upstream.emplace_back(name, ParsedOrNone(json));
    arg.emplace_back("upstream", ScriptValue::Dict(std::move(upstream)));
    auto r = sc->Call(function_, {ScriptValue::Dict(std::move(arg))});
    if (!r.ok()) return r.status();
    TaskOutput out;
    if (!r->is_none()) out.value = r->ToJson();
    return out;
  }

 private:
  const std::shared_ptr<const ScriptProgram> program_;
  const std::string function_;
  const std::shared_ptr<const ScriptServices> services_;
  const std::shared_ptr<ModelCache> models_;
};

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool IsScriptKind(const std::string& kind) { return kind.rfind(kPrefix, 0) == 0; }

Result<std::shared_ptr<TaskBody>> MakeScriptBody(const std::string& kind,
                                                 const std::string& bundle_dir,
                                                 std::shared_ptr<const ScriptServices> services) {
  std::string spec = kind.substr(kPrefix.size());
  size_t colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) {
    return Status::InvalidArgument("task kind \"" + kind + "\": expected script:FILE:FUNCTION");
  }
  std::string file = spec.substr(0, colon);
  std::string function = spec.substr(colon + 1);
  if (file[0] == '/' || file.find("..") != std::string::npos) {
    return Status::InvalidArgument("task kind \"" + kind + "\": the script must be inside the bundle");
  }
  Env* env = services->env ? services->env : Env::Default();
  std::string path = bundle_dir + "/" + file;
  auto bytes = env->ReadFile(path);
  if (!bytes.ok()) return Status::NotFound(path + ": cannot read the task script");
  std::shared_ptr<const ScriptProgram> program;
  if (EndsWith(file, ".py")) {
    if (!services->compile) {
      return Status::FailedPrecondition(path + ": this runtime runs compiled scripts only (.pyc from "
                                        "`edgeflow script compile` or `edgeflow pack`)");
    }
    EF_ASSIGN_OR_RETURN(program, services->compile(*bytes, file));
  } else {
    EF_ASSIGN_OR_RETURN(program, ScriptProgram::FromBytecode(*bytes, file));
  }
  // The module body must run and define the entry point.
  auto models = std::make_shared<ModelCache>(bundle_dir, services->metrics);
  ScriptOptions opts;
  opts.limits.memory_bytes = services->memory_bytes;
  opts.limits.max_ticks = 10'000'000;
  opts.modules.push_back(MakeHostModule("(install)", services, models));
  EF_ASSIGN_OR_RETURN(std::unique_ptr<ScriptContext> probe, ScriptContext::Create(program, std::move(opts)));
  Status st = probe->Run();
  if (!st.ok()) return Status::InvalidArgument(path + ": module body failed: " + st.message());
  if (!probe->HasFunction(function)) {
    return Status::InvalidArgument(path + ": defines no function '" + function + "'");
  }
  return std::shared_ptr<TaskBody>(std::make_shared<ScriptBody>(program, function, services, models));
}

}  // namespace edgeflow
