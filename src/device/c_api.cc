// The C ABI (include/edgeflow/edgeflow.h) over edgeflow::Runtime. Every entry
// point catches everything: no exception crosses into C.
#include "edgeflow/edgeflow.h"

#include <memory>
#include <string>

#include "edgeflow/runtime.h"

struct ef_runtime {
  std::unique_ptr<edgeflow::Runtime> rt;
};

namespace {

thread_local std::string last_error;

int Report(const edgeflow::Status& s) {
  if (s.ok()) return EF_OK;
  last_error = s.ToString();
  return static_cast<int>(s.code());
}

int ReportMessage(int code, const char* message) {
  last_error = message;
  return code;
}

// Runs fn, turning any escaping exception into EF_ERR_INTERNAL.
template <typename Fn>
int Guard(Fn&& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return ReportMessage(EF_ERR_INTERNAL, e.what());
  } catch (...) {
    return ReportMessage(EF_ERR_INTERNAL, "unknown exception");
  }
}

}  // namespace

extern "C" {

ef_runtime* ef_open(const char* data_dir, const char* encryption_key) {
  ef_runtime* out = nullptr;
  Guard([&]() -> int {
    if (!data_dir) return ReportMessage(EF_ERR_INVALID_ARGUMENT, "ef_open: data_dir is NULL");
    edgeflow::RuntimeOptions options;
    options.data_dir = data_dir;
    if (encryption_key) options.encryption_key = encryption_key;
    auto rt = edgeflow::Runtime::Open(options);
    if (!rt.ok()) return Report(rt.status());
    out = new ef_runtime{std::move(rt).value()};
    return EF_OK;
  });
  return out;
}

int ef_close(ef_runtime* rt) {
  if (!rt) return EF_OK;
  int code = Guard([&]() -> int { return Report(rt->rt->Close()); });
  Guard([&]() -> int {
    delete rt;
    return EF_OK;
  });
  return code;
}

int ef_install_bundle(ef_runtime* rt, const char* dir) {
  return Guard([&]() -> int {
    if (!rt || !dir) return ReportMessage(EF_ERR_INVALID_ARGUMENT, "ef_install_bundle: NULL argument");
    return Report(rt->rt->InstallBundle(dir));
  });
}

int ef_track(ef_runtime* rt, const char* event_json) {
  return Guard([&]() -> int {
    if (!rt || !event_json) return ReportMessage(EF_ERR_INVALID_ARGUMENT, "ef_track: NULL argument");
    return Report(rt->rt->TrackJson(event_json));
  });
}

void ef_infer(ef_runtime* rt, const char* system_code, const char* business_code,
              const char* ext_data_json, ef_complete_fn on_complete, ef_error_fn on_error,
              void* user) {
  int code = Guard([&]() -> int {
    if (!rt || !system_code || !business_code) {
      if (on_error) on_error(user, "bad_input", "ef_infer: NULL argument");
      return EF_OK;
    }
    edgeflow::InferCallbacks cb;
    cb.on_value = [on_complete, user](const std::string& v) {
      if (on_complete) on_complete(user, v.c_str());
    };
    cb.on_empty = [on_complete, user]() {
      if (on_complete) on_complete(user, nullptr);
    };
    cb.on_error = [on_error, user](edgeflow::TaskError e, const std::string& message) {
      if (on_error) on_error(user, edgeflow::TaskErrorName(e), message.c_str());
    };
    rt->rt->Infer(system_code, business_code, ext_data_json ? ext_data_json : "", std::move(cb));
    return EF_OK;
  });
  if (code != EF_OK && on_error) on_error(user, "failed", last_error.c_str());
}

uint64_t ef_subscribe(ef_runtime* rt, const char* topic, ef_message_fn fn, void* user) {
  uint64_t id = 0;
  Guard([&]() -> int {
    if (!rt || !topic || !fn) return ReportMessage(EF_ERR_INVALID_ARGUMENT, "ef_subscribe: NULL argument");
    id = rt->rt->Subscribe(topic, [fn, user](const std::string& t, const std::string& v) {
      fn(user, t.c_str(), v.c_str());
    });
    return EF_OK;
  });
  return id;
}

int ef_unsubscribe(ef_runtime* rt, uint64_t subscription) {
  return Guard([&]() -> int {
    if (!rt) return ReportMessage(EF_ERR_INVALID_ARGUMENT, "ef_unsubscribe: NULL runtime");
    rt->rt->Unsubscribe(subscription);
    return EF_OK;
  });
}

int ef_wait_idle(ef_runtime* rt, int64_t timeout_ms) {
  return Guard([&]() -> int {
    if (!rt) return ReportMessage(EF_ERR_INVALID_ARGUMENT, "ef_wait_idle: NULL runtime");
    if (rt->rt->WaitIdle(timeout_ms)) return EF_OK;
    return ReportMessage(EF_ERR_DEADLINE_EXCEEDED, "ef_wait_idle: work still running after timeout");
  });
}

int ef_flush(ef_runtime* rt) {
  return Guard([&]() -> int {
    if (!rt) return ReportMessage(EF_ERR_INVALID_ARGUMENT, "ef_flush: NULL runtime");
    return Report(rt->rt->Flush());
  });
}

const char* ef_last_error(void) { return last_error.c_str(); }

}  // extern "C"
