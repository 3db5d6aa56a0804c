// Built-in native bodies and the adapter for app-registered functions.
#include "device/native_tasks.h"

#include <charconv>

namespace edgeflow {

void NativeTaskRegistry::Register(const std::string& name, NativeTaskFn fn) {
  auto shared = std::make_shared<const NativeTaskFn>(std::move(fn));
  std::lock_guard<std::mutex> l(mu_);
  fns_[name] = std::move(shared);
}

std::shared_ptr<const NativeTaskFn> NativeTaskRegistry::Find(const std::string& name) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = fns_.find(name);
  return it == fns_.end() ? nullptr : it->second;
}

namespace {

class EchoBody : public TaskBody {
 public:
  Result<TaskOutput> Run(const TaskContext& ctx) override {
    TaskOutput out;
    if (ctx.event) {
      out.value = EventToJson(*ctx.event);
    } else if (!ctx.ext_data.empty()) {
      out.value = ctx.ext_data;
    }
    return out;
  }
};

class CountBody : public TaskBody {
 public:
  Result<TaskOutput> Run(const TaskContext& ctx) override {
    TaskOutput out;
    out.value = std::to_string(ctx.page_event_count);
    return out;
  }
};

class FailBody : public TaskBody {
 public:
  Result<TaskOutput> Run(const TaskContext& ctx) override {
    return Status::Internal("native:fail: task " + ctx.task + " fails by design");
  }
};

class SleepBody : public TaskBody {
 public:
  SleepBody(int64_t ms, Env* env) : ms_(ms), env_(env) {}
  Result<TaskOutput> Run(const TaskContext& ctx) override {
    const int64_t end = env_->NowMicros() + ms_ * 1000;
    for (;;) {
      if (ctx.cancel->cancelled()) {
        return Status::Cancelled("native:sleep: cancelled after " +
                                 std::to_string(ms_ - (end - env_->NowMicros()) / 1000) + " ms");
      }
      int64_t left = end - env_->NowMicros();
      if (left <= 0) return TaskOutput{};
      env_->SleepForMicros(left < 1000 ? left : 1000);
    }
  }

 private:
  const int64_t ms_;
  Env* const env_;
};

class AppBody : public TaskBody {
 public:
  AppBody(std::string name, std::shared_ptr<NativeTaskRegistry> registry)
      : name_(std::move(name)), registry_(std::move(registry)) {}
  Result<TaskOutput> Run(const TaskContext& ctx) override {
    auto fn = registry_->Find(name_);
    if (!fn) return Status::NotFound("no native function registered as '" + name_ + "'");
    try {
      return (*fn)(ctx);
    } catch (const std::exception& e) {
      return Status::Internal("native:" + name_ + " threw: " + e.what());
    } catch (...) {
      return Status::Internal("native:" + name_ + " threw a non-std exception");
    }
  }

 private:
  const std::string name_;
  const std::shared_ptr<NativeTaskRegistry> registry_;
};

}  // namespace

Result<std::shared_ptr<TaskBody>> MakeNativeBody(const std::string& kind,
                                                 std::shared_ptr<NativeTaskRegistry> registry,
                                                 Env* env) {
  constexpr std::string_view kPrefix = "native:";
  if (kind.rfind(kPrefix, 0) != 0) {
    return Status::InvalidArgument("unknown task kind \"" + kind + "\" (expected native:...)");
  }
  std::string name = kind.substr(kPrefix.size());
  if (name.empty()) return Status::InvalidArgument("task kind \"native:\" names no function");
  if (name == "echo") return std::shared_ptr<TaskBody>(std::make_shared<EchoBody>());
  if (name == "count") return std::shared_ptr<TaskBody>(std::make_shared<CountBody>());
  if (name == "fail") return std::shared_ptr<TaskBody>(std::make_shared<FailBody>());
  if (name.rfind("sleep:", 0) == 0) {
    std::string ms_text = name.substr(6);
    int64_t ms = -1;
    auto [p, ec] = std::from_chars(ms_text.data(), ms_text.data() + ms_text.size(), ms);
    if (ec != std::errc() || p != ms_text.data() + ms_text.size() || ms < 0 ||
        ms > 24LL * 3600 * 1000) {
      return Status::InvalidArgument("task kind \"" + kind +
                                     "\": expected native:sleep:MS with MS a number of milliseconds");
    }
    return std::shared_ptr<TaskBody>(std::make_shared<SleepBody>(ms, env));
  }
  return std::shared_ptr<TaskBody>(std::make_shared<AppBody>(name, std::move(registry)));
}

}  // namespace edgeflow
