// Logging: leveled lines to a replaceable sink (stderr by default).
//
// The level comes from EDGEFLOW_LOG (error|warn|info|debug; default warn) and
// can be changed with SetLogLevel. Sinks are called with no lock held by us.
#ifndef EDGEFLOW_CORE_LOGGING_H_
#define EDGEFLOW_CORE_LOGGING_H_

#include <functional>
#include <string_view>

namespace edgeflow {

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

using LogSink = std::function<void(LogLevel, std::string_view message)>;

void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
// Replaces the sink; an empty function restores stderr.
void SetLogSink(LogSink sink);
void Log(LogLevel level, std::string_view message);

}  // namespace edgeflow

#endif  // EDGEFLOW_CORE_LOGGING_H_
