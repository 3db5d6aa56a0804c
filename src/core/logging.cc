// Logging: level filter and sink dispatch.
#include "core/logging.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

namespace edgeflow {
namespace {

LogLevel LevelFromEnv() {
  const char* v = std::getenv("EDGEFLOW_LOG");
  if (!v) return LogLevel::kWarn;
  if (!std::strcmp(v, "error")) return LogLevel::kError;
  if (!std::strcmp(v, "info")) return LogLevel::kInfo;
  if (!std::strcmp(v, "debug")) return LogLevel::kDebug;
  return LogLevel::kWarn;
}

std::atomic<int>& Level() {
  static std::atomic<int> level{static_cast<int>(LevelFromEnv())};
  return level;
}

std::mutex& SinkMu() {
  static std::mutex* mu = new std::mutex;
  return *mu;
}
std::shared_ptr<LogSink>& Sink() {
  static auto* sink = new std::shared_ptr<LogSink>;
  return *sink;
}

const char* Tag(LogLevel l) {
  switch (l) {
    case LogLevel::kError: return "E";
    case LogLevel::kWarn: return "W";
    case LogLevel::kInfo: return "I";
    case LogLevel::kDebug: return "D";
  }
  return "?";
}

}  // namespace

void SetLogLevel(LogLevel level) { Level().store(static_cast<int>(level)); }
bool LogEnabled(LogLevel level) { return static_cast<int>(level) <= Level().load(); }

void SetLogSink(LogSink sink) {
  std::lock_guard<std::mutex> l(SinkMu());
  Sink() = sink ? std::make_shared<LogSink>(std::move(sink)) : nullptr;
}

void Log(LogLevel level, std::string_view message) {
  if (!LogEnabled(level)) return;
  std::shared_ptr<LogSink> sink;
  {
    std::lock_guard<std::mutex> l(SinkMu());
    sink = Sink();
  }
  if (sink) {
    (*sink)(level, message);
  } else {
    std::fprintf(stderr, "edgeflow %s %.*s\n", Tag(level), static_cast<int>(message.size()),
                 message.data());
  }
}

}  // namespace edgeflow
