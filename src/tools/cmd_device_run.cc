// `edgeflow device run`: replays an event stream (and API calls) through a real
// Runtime with a bundle installed, printing one JSON line per finished task
// instance.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "edgeflow/runtime.h"
#include "edgeflow/script_compiler.h"
#include "tools/cli.h"

namespace edgeflow::cli {
namespace {

constexpr const char* kName = "device run";
constexpr const char* kUsage =
    "usage: edgeflow device run --bundle DIR --events EVENTS.jsonl [--calls CALLS.jsonl]\n"
    "                           [--data-dir DIR] [--key KEY] [--summary] [--timeout-ms MS]\n"
    "                           [--print-matches] [--dump-features]\n"
    "\n"
    "Installs the bundle in DIR (its manifest.json) into a fresh runtime, replays\n"
    "EVENTS.jsonl (one event per line, DESIGN.md format) in order, then the API calls\n"
    "of CALLS.jsonl ({\"systemCode\",\"businessCode\",\"extData\"} per line), waits for\n"
    "all work and prints one JSON line per finished task instance on stdout:\n"
    "  {\"task\",\"instance\",\"trigger\":\"event\"|\"api\"|\"timer\"|\"chain\"|\"pattern\",\n"
    "   \"ok\",\"value\"|\"error\",\"latencyUs\"}\n"
    "\n"
    "  --data-dir DIR    keep the event store in DIR (default: a temporary directory,\n"
    "                    removed afterwards)\n"
    "  --key KEY         encryption key for encrypted tables\n"
    "  --summary         print a per-task summary on stderr at the end\n"
    "  --timeout-ms MS   how long to wait for outstanding work (default 60000)\n"
    "  --print-matches   print each pattern match as it happens (docs/patterns.md):\n"
    "                    {\"match\":{\"pattern\",\"key\",\"ts\",\"startTs\",\"seqs\"}}\n"
    "  --dump-features   after the replay, print the bundle's features as one line\n"
    "                    {\"features\":{NAME:VALUE,...}} (docs/features.md)\n"
    "\n"
    "Malformed input lines are reported on stderr with FILE:LINE and skipped; the\n"
    "exit status is then 1 after all results are printed.\n";

struct Args {
  std::string bundle, events, calls, data_dir, key;
  bool summary = false;
  bool print_matches = false;
  bool dump_features = false;
  int64_t timeout_ms = 60000;
};

Result<Args> ParseArgs(const std::vector<std::string>& argv) {
  Args a;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& k = argv[i];
    auto value = [&](std::string* out) -> Status {
      if (i + 1 >= argv.size()) return Status::InvalidArgument(k + " needs a value");
      *out = argv[++i];
      return Status::OK();
    };
    if (k == "--bundle") {
      EF_RETURN_IF_ERROR(value(&a.bundle));
    } else if (k == "--events") {
      EF_RETURN_IF_ERROR(value(&a.events));
    } else if (k == "--calls") {
      EF_RETURN_IF_ERROR(value(&a.calls));
    } else if (k == "--data-dir") {
      EF_RETURN_IF_ERROR(value(&a.data_dir));
    } else if (k == "--key") {
      EF_RETURN_IF_ERROR(value(&a.key));
    } else if (k == "--summary") {
      a.summary = true;
    } else if (k == "--print-matches") {
      a.print_matches = true;
    } else if (k == "--dump-features") {
      a.dump_features = true;
    } else if (k == "--timeout-ms") {
      std::string v;
      EF_RETURN_IF_ERROR(value(&v));
      char* end = nullptr;
      a.timeout_ms = std::strtoll(v.c_str(), &end, 10);
      if (*end || a.timeout_ms <= 0) return Status::InvalidArgument("--timeout-ms: expected a positive number");
    } else {
      return Status::InvalidArgument("unknown argument '" + k + "'");
    }
  }
  if (a.bundle.empty()) return Status::InvalidArgument("--bundle is required");
  if (a.events.empty()) return Status::InvalidArgument("--events is required");
  return a;
}

// Prints outcome lines and keeps the per-task summary. Called on worker threads.
class Printer {
 public:
  void Print(const TaskOutcome& o) {
    nlohmann::ordered_json j;
    j["task"] = o.task;
    j["instance"] = o.instance;
    j["trigger"] = TriggerKindName(o.trigger);
    j["ok"] = o.ok;
    if (o.ok) {
      if (o.value) {
        auto v = nlohmann::ordered_json::parse(*o.value, nullptr, false);
        j["value"] = v.is_discarded() ? nlohmann::ordered_json(*o.value) : v;
      } else {
        j["value"] = nullptr;
      }
    } else {
      j["error"] = TaskErrorName(o.error);
    }
    j["latencyUs"] = o.latency_us;
    std::string line = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    std::lock_guard<std::mutex> l(mu_);
    WriteLocked(line);
    Row& r = rows_[o.task];
    ++r.count;
    if (o.ok) {
      ++r.ok;
    } else {
      ++r.errors[TaskErrorName(o.error)];
    }
    r.latencies.push_back(o.latency_us);
  }

  // Prints one line of JSON text as is.
  void PrintLine(const std::string& line) {
    std::lock_guard<std::mutex> l(mu_);
    WriteLocked(line);
  }

  void Summary() {
    std::lock_guard<std::mutex> l(mu_);
    std::fprintf(stderr, "%-24s %8s %8s %10s %10s  errors\n", "task", "runs", "ok", "p50_us", "p99_us");
    for (auto& entry : rows_) {
      const std::string& task = entry.first;
      Row& r = entry.second;
      std::sort(r.latencies.begin(), r.latencies.end());
      auto q = [&](double p) {
        return r.latencies[static_cast<size_t>(p * static_cast<double>(r.latencies.size() - 1))];
      };
      std::string errs;
      for (auto& [name, n] : r.errors) errs += name + "=" + std::to_string(n) + " ";
      std::fprintf(stderr, "%-24s %8lld %8lld %10lld %10lld  %s\n", task.c_str(),
                   static_cast<long long>(r.count), static_cast<long long>(r.ok),
                   static_cast<long long>(q(0.5)), static_cast<long long>(q(0.99)), errs.c_str());
    }
  }

 private:
  void WriteLocked(const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
  }

  struct Row {
    int64_t count = 0, ok = 0;
    std::map<std::string, int64_t> errors;
    std::vector<int64_t> latencies;
  };
  std::mutex mu_;
  std::map<std::string, Row> rows_;  // guarded by mu_
};

// Feeds each non-blank line of `path` to fn(line) -> Status; reports failures
// as PATH:LINE: message. Returns the number of rejected lines, or an error if
// the file cannot be read.
template <typename Fn>
Result<int64_t> ForEachLine(const std::string& path, const char* what, Fn fn) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open " + path);
  std::string line;
  int64_t lineno = 0, rejected = 0, done = 0;
  Env* env = Env::Default();
  int64_t last_progress = env->NowMicros();
  while (std::getline(in, line)) {
    ++lineno;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Status s = fn(line);
    if (!s.ok()) {
      ++rejected;
      std::fprintf(stderr, "%s:%lld: %s\n", path.c_str(), static_cast<long long>(lineno),
                   s.message().c_str());
    }
    if ((++done & 1023) == 0 && env->NowMicros() - last_progress > 1000000) {
      last_progress = env->NowMicros();
      std::fprintf(stderr, "device run: %lld %s replayed\n", static_cast<long long>(done), what);
    }
  }
  if (in.bad()) return Status::IOError("error reading " + path);
  return rejected;
}

int Run(const std::vector<std::string>& argv) {
  if (WantsHelp(argv)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto args = ParseArgs(argv);
  if (!args.ok()) return Fail(kName, args.status().message() + " (see --help)");

  bool temp_dir = args->data_dir.empty();
  if (temp_dir) {
    char tmpl[] = "/tmp/edgeflow-device-run-XXXXXX";
    if (!mkdtemp(tmpl)) return Fail(kName, "cannot create a temporary data directory");
    args->data_dir = tmpl;
  }
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ec;
      if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    }
  } cleanup{temp_dir ? args->data_dir : ""};

  RuntimeOptions options;
  options.compile_script = CompileScript;  // bundles under development may carry .py tasks
  options.data_dir = args->data_dir;
  options.encryption_key = args->key;
  auto rt = Runtime::Open(options);
  if (!rt.ok()) return Fail(kName, rt.status().message());
  Runtime& runtime = **rt;

  Printer printer;
  runtime.SetOutcomeListener([&printer](const TaskOutcome& o) { printer.Print(o); });
  if (args->print_matches) {
    runtime.SetMatchListener([&printer](const std::string&, const std::string& match) {
      printer.PrintLine("{\"match\":" + match + "}");
    });
  }
  if (Status s = runtime.InstallBundle(args->bundle); !s.ok()) return Fail(kName, s.message());

  auto rejected_events = ForEachLine(args->events, "events",
                                     [&](const std::string& line) { return runtime.TrackJson(line); });
  if (!rejected_events.ok()) return Fail(kName, rejected_events.status().message());
  int64_t rejected = *rejected_events;

  if (!args->calls.empty()) {
    auto rejected_calls = ForEachLine(args->calls, "calls", [&](const std::string& line) -> Status {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument("call: expected a JSON object");
      for (const char* f : {"systemCode", "businessCode"}) {
        if (!j.contains(f) || !j[f].is_string()) {
          return Status::InvalidArgument(std::string("call: field '") + f + "' must be a string");
        }
      }
      std::string ext;
      if (j.contains("extData") && !j["extData"].is_null()) ext = j["extData"].dump();
      runtime.Infer(j["systemCode"].get<std::string>(), j["businessCode"].get<std::string>(), ext,
                    InferCallbacks{});
      return Status::OK();
    });
    if (!rejected_calls.ok()) return Fail(kName, rejected_calls.status().message());
    rejected += *rejected_calls;
  }

  bool idle = runtime.WaitIdle(args->timeout_ms);
  if (args->dump_features) {
    auto text = Env::Default()->ReadFile(args->bundle + "/manifest.json");
    auto manifest = nlohmann::json::parse(text.ok() ? *text : std::string(), nullptr, false);
    std::string bundle = manifest.is_object() && manifest.value("name", nlohmann::json()).is_string()
                             ? manifest["name"].get<std::string>()
                             : "";
    auto features = runtime.Features(bundle).ok() ? runtime.DumpFeatures(bundle) : Result<std::string>("{}");
    if (!features.ok()) return Fail(kName, features.status().message());
    printer.PrintLine("{\"features\":" + *features + "}");
  }
  Status closed = runtime.Close();
  std::fflush(stdout);
  if (args->summary) printer.Summary();
  if (!idle) return Fail(kName, "work still running after --timeout-ms " + std::to_string(args->timeout_ms));
  if (!closed.ok()) return Fail(kName, closed.message());
  if (rejected > 0) {
    return Fail(kName, std::to_string(rejected) + " input line(s) rejected (see messages above)");
  }
  return 0;
}

EF_CLI_COMMAND("device run", "replay events and API calls through a bundle; results as JSON Lines", Run);

}  // namespace
}  // namespace edgeflow::cli
