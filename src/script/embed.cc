// The embedding API (edgeflow/script.h): ScriptValue conversion in and out of
// a context, host modules (C++ functions callable from scripts), programs
// and contexts.
#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

#include "edgeflow/script.h"
#include "script/bytecode.h"
#include "script/modules.h"
#include "script/runtime.h"

namespace edgeflow {

using script::As;
using script::IsObj;
using script::Kind;
using script::V;
using script::VM;
using SValue = script::Value;

// ---- ScriptValue ----

ScriptValue ScriptValue::Bool(bool b) {
  ScriptValue v;
  v.kind_ = Kind::kBool;
  v.b_ = b;
  return v;
}
ScriptValue ScriptValue::Int(int64_t i) {
  ScriptValue v;
  v.kind_ = Kind::kInt;
  v.i_ = i;
  return v;
}
ScriptValue ScriptValue::Float(double f) {
  ScriptValue v;
  v.kind_ = Kind::kFloat;
  v.f_ = f;
  return v;
}
ScriptValue ScriptValue::Str(std::string s) {
  ScriptValue v;
  v.kind_ = Kind::kStr;
  v.s_ = std::move(s);
  return v;
}
ScriptValue ScriptValue::List(std::vector<ScriptValue> items) {
  ScriptValue v;
  v.kind_ = Kind::kList;
  v.list_ = std::move(items);
  return v;
}
ScriptValue ScriptValue::Dict(std::vector<std::pair<std::string, ScriptValue>> items) {
  ScriptValue v;
  v.kind_ = Kind::kDict;
  v.dict_ = std::move(items);
  return v;
}
ScriptValue ScriptValue::Tensor(std::shared_ptr<const ScriptTensor> t) {
  ScriptValue v;
  v.kind_ = Kind::kTensor;
  v.tensor_ = std::move(t);
  return v;
}

const ScriptValue* ScriptValue::Find(std::string_view key) const {
  for (const auto& [k, v] : dict_) {
    if (k == key) return &v;
  }
  return nullptr;
}

namespace {

ScriptValue FromJsonNode(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return ScriptValue();
    case nlohmann::json::value_t::boolean: return ScriptValue::Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer: return ScriptValue::Int(j.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return ScriptValue::Float(static_cast<double>(u));
      return ScriptValue::Int(static_cast<int64_t>(u));
    }
    case nlohmann::json::value_t::number_float: return ScriptValue::Float(j.get<double>());
    case nlohmann::json::value_t::string: return ScriptValue::Str(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      std::vector<ScriptValue> items;
      for (const auto& e : j) items.push_back(FromJsonNode(e));
      return ScriptValue::List(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      std::vector<std::pair<std::string, ScriptValue>> items;
      for (auto it = j.begin(); it != j.end(); ++it) items.emplace_back(it.key(), FromJsonNode(it.value()));
      return ScriptValue::Dict(std::move(items));
    }
    default: return ScriptValue();
  }
}

void JsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '"': *out += "\\\""; break;
        case '\\': *out += "\\\\"; break;
        case '\n': *out += "\\n"; break;
        case '\r': *out += "\\r"; break;
        case '\t': *out += "\\t"; break;
        case '\b': *out += "\\b"; break;
        case '\f': *out += "\\f"; break;
        default:
          if (c < 0x20 || c == 0x7F) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            *out += buf;
          } else {
            out->push_back(static_cast<char>(c));
          }
      }
      continue;
    }
    int len;
    uint32_t cp = script::DecodeUtf8(s.data() + i, &len);
    i += len;
    char buf[16];
    if (cp >= 0x10000) {
      uint32_t v = cp - 0x10000;
      std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 | (v >> 10), 0xDC00 | (v & 0x3FF));
    } else {
      std::snprintf(buf, sizeof buf, "\\u%04x", cp);
    }
    *out += buf;
  }
  out->push_back('"');
}

void TensorJson(const ScriptTensor& t, size_t level, int64_t* pos, std::string* out) {
  if (level == t.shape().size()) {
    int64_t i = (*pos)++;
    switch (t.dtype()) {
      case ScriptTensor::DType::kFloat32: *out += script::FloatRepr(t.data_as<float>()[i]); break;
      case ScriptTensor::DType::kFloat64: *out += script::FloatRepr(t.data_as<double>()[i]); break;
      case ScriptTensor::DType::kInt64: *out += std::to_string(t.data_as<int64_t>()[i]); break;
      default: *out += std::to_string(t.data_as<int32_t>()[i]); break;
    }
    return;
  }
  *out += "[";
  for (int64_t i = 0; i < t.shape()[level]; ++i) {
    if (i) *out += ", ";
    TensorJson(t, level + 1, pos, out);
  }
  *out += "]";
}

void ToJsonText(const ScriptValue& v, std::string* out) {
  switch (v.kind()) {
    case ScriptValue::Kind::kNone: *out += "null"; return;
    case ScriptValue::Kind::kBool: *out += v.as_bool() ? "true" : "false"; return;
    case ScriptValue::Kind::kInt: *out += std::to_string(v.as_int()); return;
    case ScriptValue::Kind::kFloat: {
      double d = v.as_float();
      if (std::isnan(d)) *out += "NaN";
      else if (std::isinf(d)) *out += d > 0 ? "Infinity" : "-Infinity";
      else *out += script::FloatRepr(d);
      return;
    }
    case ScriptValue::Kind::kStr: JsonString(v.as_str(), out); return;
    case ScriptValue::Kind::kList: {
      *out += "[";
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (i) *out += ", ";
        ToJsonText(v.items()[i], out);
      }
      *out += "]";
      return;
    }
    case ScriptValue::Kind::kDict: {
      *out += "{";
      for (size_t i = 0; i < v.entries().size(); ++i) {
        if (i) *out += ", ";
        JsonString(v.entries()[i].first, out);
        *out += ": ";
        ToJsonText(v.entries()[i].second, out);
      }
      *out += "}";
      return;
    }
    case ScriptValue::Kind::kTensor: {
      int64_t pos = 0;
      TensorJson(*v.tensor(), 0, &pos, out);
      return;
    }
  }
}

}  // namespace

Result<ScriptValue> ScriptValue::FromJson(std::string_view json) {
  try {
    return FromJsonNode(nlohmann::ordered_json::parse(json));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("malformed JSON: ") + e.what());
  }
}

std::string ScriptValue::ToJson() const {
  std::string out;
  ToJsonText(*this, &out);
  return out;
}

}  // namespace edgeflow

namespace edgeflow::script {

constexpr int kMaxConvertDepth = 100;

// Host value -> script value (a fresh copy; tensors are shared, read-only).
Value ToScript(VM& vm, const ScriptValue& v, int depth) {
  if (depth > kMaxConvertDepth) ValueError(vm, "value nested too deeply to pass into a script");
  switch (v.kind()) {
    case ScriptValue::Kind::kNone: return Value::None();
    case ScriptValue::Kind::kBool: return Value::Bool(v.as_bool());
    case ScriptValue::Kind::kInt: return Value::Int(v.as_int());
    case ScriptValue::Kind::kFloat: return Value::Float(v.as_float());
    case ScriptValue::Kind::kStr: return V(NewStr(&vm, v.as_str()));
    case ScriptValue::Kind::kList: {
      ListObj* l = NewList(&vm, static_cast<int64_t>(v.items().size()));
      RootScope keep(vm);
      keep.Keep(V(l));
      for (size_t i = 0; i < v.items().size(); ++i) l->items[i] = ToScript(vm, v.items()[i], depth + 1);
      return V(l);
    }
    case ScriptValue::Kind::kDict: {
      DictObj* d = NewDict(&vm);
      RootScope keep(vm);
      keep.Keep(V(d));
      for (const auto& [k, item] : v.entries()) {
        Value key = keep.Keep(V(NewStr(&vm, k)));
        DictSet(&vm, d, key, ToScript(vm, item, depth + 1));
      }
      return V(d);
    }
    case ScriptValue::Kind::kTensor: return TensorValue(vm, v.tensor());
  }
  return Value::None();
}

namespace {

std::string KeyText(VM& vm, const Value& k) {
  if (IsStr(k)) return std::string(As<StrObj>(k)->view());
  if (k.tag == Tag::kBool) return k.i ? "true" : "false";
  if (k.tag == Tag::kInt) return IntToString(k.i);
  if (k.tag == Tag::kFloat) return FloatRepr(k.f);
  if (k.is_none()) return "null";
  TypeError(vm, "dict keys leaving a script must be str, int, float, bool or None, not " +
                    std::string(TypeName(k)));
}

}  // namespace

// Script value -> host value (a copy), as json.dumps would see it.
ScriptValue FromScript(VM& vm, const Value& v, int depth) {
  if (depth > kMaxConvertDepth) ValueError(vm, "value nested too deeply (or circular) to leave a script");
  switch (v.tag) {
    case Tag::kNone:
    case Tag::kUnbound: return ScriptValue();
    case Tag::kBool: return ScriptValue::Bool(v.i != 0);
    case Tag::kInt: return ScriptValue::Int(v.i);
    case Tag::kFloat: return ScriptValue::Float(v.f);
    case Tag::kObj: break;
  }
  Object* o = v.o;
  switch (o->kind) {
    case Kind::kStr: return ScriptValue::Str(std::string(static_cast<StrObj*>(o)->view()));
    case Kind::kList:
    case Kind::kTuple:
    case Kind::kSet:
    case Kind::kDeque: {
      std::vector<ScriptValue> items;
      for (const Value& item : ToVector(vm, v)) items.push_back(FromScript(vm, item, depth + 1));
      return ScriptValue::List(std::move(items));
    }
    case Kind::kDict: {
      std::vector<std::pair<std::string, ScriptValue>> items;
      auto* d = static_cast<DictObj*>(o);
      for (size_t i = 0; i < d->entries.size(); ++i) {
        DictEntry e = d->entries[i];
        if (e.key.unbound()) continue;
        items.emplace_back(KeyText(vm, e.key), FromScript(vm, e.value, depth + 1));
      }
      return ScriptValue::Dict(std::move(items));
    }
    case Kind::kTensor: return ScriptValue::Tensor(TensorOf(v));
    default:
      TypeError(vm, "cannot pass a '" + std::string(TypeName(v)) +
                        "' object out of a script (use None, bool, int, float, str, list, dict or Tensor)");
  }
}

namespace {

// ---- host modules ----

struct HostFunction : HostData {
  const ScriptModule::Function* fn;
  std::string name;
};

ClassObj* HostFunctionClass() {
  static ClassObj* cls = [] {
    auto* c = New<ClassObj>(nullptr, Kind::kClass, T().type);
    c->name = Intern("host_function");
    c->base = T().object;
    c->dict = NewDict(nullptr);
    c->layout = Kind::kHost;
    c->is_builtin = true;
    return c;
  }();
  return cls;
}

Value HostTrampoline(VM& vm, Value* a, int n, TupleObj* kw) {
  auto* h = static_cast<HostFunction*>(As<HostObj>(a[0])->data);
  ScriptCall call;
  call.cancel = vm.limits.cancel;
  for (int i = 1; i < n; ++i) call.args.push_back(FromScript(vm, a[i], 0));
  if (kw != nullptr) {
    for (int64_t k = 0; k < kw->n; ++k) {
      call.kwargs.emplace_back(std::string(As<StrObj>(kw->items[k])->view()), FromScript(vm, a[n + k], 0));
    }
  }
  Result<ScriptValue> r = Status::Internal("not called");
  try {
    r = (*h->fn)(call);
  } catch (const std::exception& e) {
    Raise(vm, T().RuntimeError, h->name + ": host function threw: " + e.what());
  } catch (...) {
    Raise(vm, T().RuntimeError, h->name + ": host function threw");
  }
  if (!r.ok()) {
    const Status& st = r.status();
    switch (st.code()) {
      case StatusCode::kInvalidArgument: ValueError(vm, st.message());
      case StatusCode::kNotFound: RaiseKeyError(vm, Str(vm, st.message()));
      case StatusCode::kUnsupported: Raise(vm, T().NotImplementedError, st.message());
      case StatusCode::kCancelled: RaiseFatal(vm, st);
      case StatusCode::kResourceExhausted: Raise(vm, T().MemoryError, st.message());
      default: Raise(vm, T().RuntimeError, st.message());
    }
  }
  return ToScript(vm, *r, 0);
}

ModuleObj* BuildHostModule(VM& vm, const ScriptModule& m, ModuleObj* base) {
  auto* mod = New<ModuleObj>(&vm, Kind::kModule, T().module);
  mod->name = NewStr(&vm, m.name());
  mod->dict = NewDict(&vm);
  RootScope keep(vm);
  keep.Keep(V(mod));
  if (base != nullptr) {
    for (const DictEntry& e : base->dict->entries) {
      if (!e.key.unbound()) DictSet(&vm, mod->dict, e.key, e.value);
    }
  }
  DictSet(&vm, mod->dict, V(N().__name__), V(mod->name));
  for (const auto& [name, fn] : m.functions()) {
    auto* data = new HostFunction();
    data->fn = &fn;
    data->name = m.name() + "." + name;
    HostObj* self = NewHost(&vm, HostFunctionClass(), data);
    keep.Keep(V(self));
    NativeObj* nat = NewNative(&vm, name.c_str(), HostTrampoline, V(self));
    DictSet(&vm, mod->dict, V(NewStr(&vm, name)), V(nat));
  }
  for (const auto& [name, value] : m.values()) {
    Value key = keep.Keep(V(NewStr(&vm, name)));
    DictSet(&vm, mod->dict, key, ToScript(vm, value, 0));
  }
  return mod;
}

}  // namespace

}  // namespace edgeflow::script

namespace edgeflow {

// ---- ScriptModule ----

ScriptModule& ScriptModule::AddFunction(std::string name, Function fn) {
  functions_.emplace_back(std::move(name), std::move(fn));
  return *this;
}

ScriptModule& ScriptModule::AddValue(std::string name, ScriptValue value) {
  values_.emplace_back(std::move(name), std::move(value));
  return *this;
}

// ---- ScriptProgram ----

ScriptProgram::ScriptProgram(std::shared_ptr<const script::Program> program)
    : program_(std::move(program)) {}

ScriptProgram::~ScriptProgram() = default;

Result<std::shared_ptr<const ScriptProgram>> ScriptProgram::FromBytecode(std::string_view bytes,
                                                                         const std::string& name) {
  auto p = script::LoadBytecode(bytes, name);
  if (!p.ok()) return p.status();
  return std::make_shared<const ScriptProgram>(std::move(p).value());
}

std::string ScriptProgram::ToBytecode() const { return script::SaveBytecode(*program_); }

const std::string& ScriptProgram::filename() const { return program_->filename; }

// ---- ScriptContext ----

namespace {

void ForwardOutput(void* arg, const std::string& text) {
  auto* fn = static_cast<std::function<void(std::string_view)>*>(arg);
  (*fn)(text);
}

}  // namespace

Result<std::unique_ptr<ScriptContext>> ScriptContext::Create(
    std::shared_ptr<const ScriptProgram> program, ScriptOptions options) {
  if (program == nullptr) return Status::InvalidArgument("ScriptContext::Create: no program");
  std::unique_ptr<ScriptContext> ctx(new ScriptContext());
  ctx->program_ = std::move(program);
  ctx->options_ = std::move(options);
  script::Limits limits;
  limits.memory_bytes = ctx->options_.limits.memory_bytes;
  limits.instructions = ctx->options_.limits.max_ticks;
  limits.max_depth = ctx->options_.limits.max_depth;
  limits.cancel = ctx->options_.limits.cancel;
  ctx->vm_ = std::make_unique<VM>(ctx->program_->program(), limits);
  VM& vm = *ctx->vm_;
  if (ctx->options_.on_output) {
    vm.out_fn = ForwardOutput;
    vm.out_arg = &ctx->options_.on_output;
  }
  Status st = vm.Protected([&] {
    for (const auto& m : ctx->options_.modules) {
      if (m == nullptr) continue;
      script::ModuleObj* base = nullptr;
      if (script::ModuleExists(m->name())) base = script::LibraryModule(m->name());
      vm.modules[m->name()] = script::BuildHostModule(vm, *m, base);
    }
  });
  if (!st.ok()) return st;
  return ctx;
}

ScriptContext::~ScriptContext() = default;

Status ScriptContext::Run() {
  Status st = vm_->RunMain();
  if (!st.ok()) {
    const auto& e = vm_->last_error();
    last_error_ = {e.type, e.message, e.traceback};
  }
  return st;
}

Result<ScriptValue> ScriptContext::Call(const std::string& function,
                                        const std::vector<ScriptValue>& args) {
  const script::Program& prog = *program_->program();
  auto it = prog.global_slots.find(function);
  if (it == prog.global_slots.end() || vm_->main->globals[it->second].unbound()) {
    return Status::NotFound(prog.filename + ": no global function '" + function + "'");
  }
  ScriptValue out;
  Status st = vm_->Protected([&] {
    script::RootScope keep(*vm_);
    SValue fn = keep.Keep(vm_->main->globals[it->second]);
    std::vector<SValue> argv;
    for (const ScriptValue& a : args) argv.push_back(keep.Keep(script::ToScript(*vm_, a, 0)));
    SValue r = script::Call(*vm_, fn, argv.data(), static_cast<int>(argv.size()));
    keep.Keep(r);
    out = script::FromScript(*vm_, r, 0);
  });
  if (!st.ok()) {
    const auto& e = vm_->last_error();
    last_error_ = {e.type, e.message, e.traceback};
    return st;
  }
  return out;
}

bool ScriptContext::HasFunction(const std::string& name) const {
  const script::Program& prog = *program_->program();
  auto it = prog.global_slots.find(name);
  if (it == prog.global_slots.end()) return false;
  const SValue& v = vm_->main->globals[it->second];
  return !v.unbound() && script::Callable(v);
}

std::string ScriptContext::TakeOutput() {
  std::string out;
  out.swap(vm_->out);
  return out;
}

int64_t ScriptContext::heap_bytes() const { return vm_->heap_bytes; }
int64_t ScriptContext::peak_heap_bytes() const { return vm_->peak_bytes; }

}  // namespace edgeflow
