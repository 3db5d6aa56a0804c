// Script task bodies end to end: bundles whose tasks are compiled scripts,
// installed into a real runtime and driven through Infer() and Track().
#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "edgeflow/runtime.h"
#include "edgeflow/script_compiler.h"
#include "infer/efm_writer.h"
#include "testing/temp_dir.h"

namespace edgeflow {
namespace {

using testing::TempDir;

struct CallResult {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::string kind;
  std::string value;
  TaskError error = TaskError::kFailed;
  std::string message;

  InferCallbacks Callbacks() {
    InferCallbacks cb;
    cb.on_value = [this](const std::string& v) { Set("value", v, TaskError::kFailed, ""); };
    cb.on_empty = [this] { Set("empty", "", TaskError::kFailed, ""); };
    cb.on_error = [this](TaskError e, const std::string& m) { Set("error", "", e, m); };
    return cb;
  }
  void Set(const std::string& k, const std::string& v, TaskError e, const std::string& m) {
    std::lock_guard<std::mutex> l(mu);
    kind = k;
    value = v;
    error = e;
    message = m;
    done = true;
    cv.notify_all();
  }
  bool Wait() {
    std::unique_lock<std::mutex> l(mu);
    return cv.wait_for(l, std::chrono::seconds(20), [&] { return done; });
  }
};

void Write(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

// A bundle directory with one API-routed script task.
std::string MakeBundle(const TempDir& dir, const std::string& source, const std::string& entry,
                       int64_t deadline_ms = 2000, bool compiled = true) {
  std::string bdir = dir.path() + "/bundle";
  std::filesystem::create_directories(bdir);
  std::string file = compiled ? "task.pyc" : "task.py";
  if (compiled) {
    auto prog = CompileScript(source, "task.py");
    EXPECT_TRUE(prog.ok()) << prog.status().ToString();
    Write(bdir + "/task.pyc", (*prog)->ToBytecode());
  } else {
    Write(bdir + "/task.py", source);
  }
  nlohmann::json m = {
      {"name", "scripts"},
      {"version", "1.0.0"},
      {"tasks", {{{"name", "T"}, {"kind", "script:" + file + ":" + entry}, {"deadlineMs", deadline_ms}}}},
      {"api", {{{"systemCode", "s"}, {"businessCode", "b"}, {"task", "T"}}}}};
  Write(bdir + "/manifest.json", m.dump());
  return bdir;
}

std::unique_ptr<Runtime> Open(const TempDir& dir, bool with_compiler = false) {
  RuntimeOptions o;
  o.data_dir = dir.path() + "/data";
  o.script_memory_bytes = 8 << 20;
  if (with_compiler) o.compile_script = CompileScript;
  auto rt = Runtime::Open(o);
  EXPECT_TRUE(rt.ok()) << rt.status().ToString();
  return std::move(rt).value();
}

TEST(ScriptTaskTest, ApiCallReturnsTheFunctionsValue) {
  TempDir dir;
  std::string bundle = MakeBundle(dir, R"(
def main(ctx):
    items = ctx["extData"]["items"]
    return {"top": sorted(items, reverse=True)[:2], "trigger": ctx["trigger"], "task": ctx["task"]}
)", "main");
  auto rt = Open(dir);
  ASSERT_TRUE(rt->InstallBundle(bundle).ok());
  CallResult r;
  rt->Infer("s", "b", R"({"items": [3, 9, 4]})", r.Callbacks());
  ASSERT_TRUE(r.Wait());
  ASSERT_EQ(r.kind, "value") << r.message;
  auto v = nlohmann::json::parse(r.value);
  EXPECT_EQ(v["top"], nlohmann::json({9, 4}));
  EXPECT_EQ(v["trigger"], "api");
  EXPECT_EQ(v["task"], "T");
}

TEST(ScriptTaskTest, NoneIsTheEmptyResult) {
  TempDir dir;
  std::string bundle = MakeBundle(dir, "def main(ctx):\n    return None\n", "main");
  auto rt = Open(dir);
  ASSERT_TRUE(rt->InstallBundle(bundle).ok());
  CallResult r;
  rt->Infer("s", "b", "", r.Callbacks());
  ASSERT_TRUE(r.Wait());
  EXPECT_EQ(r.kind, "empty");
}

TEST(ScriptTaskTest, UncaughtExceptionFailsWithTheTraceback) {
  TempDir dir;
  std::string bundle = MakeBundle(dir, "def main(ctx):\n    return 1 // 0\n", "main");
  auto rt = Open(dir);
  ASSERT_TRUE(rt->InstallBundle(bundle).ok());
  std::mutex mu;
  std::string message;
  rt->SetOutcomeListener([&](const TaskOutcome& o) {
    std::lock_guard<std::mutex> l(mu);
    message = o.message;
  });
  CallResult r;
  rt->Infer("s", "b", "", r.Callbacks());
  ASSERT_TRUE(r.Wait());
  EXPECT_EQ(r.kind, "error");
  EXPECT_EQ(r.error, TaskError::kFailed);
  ASSERT_TRUE(rt->WaitIdle(10000));
  std::lock_guard<std::mutex> l(mu);
  EXPECT_NE(message.find("ZeroDivisionError: integer division or modulo by zero"), std::string::npos) << message;
  EXPECT_NE(message.find("line 2, in main"), std::string::npos) << message;
}

TEST(ScriptTaskTest, EndlessLoopIsStoppedAtTheDeadline) {
  TempDir dir;
  std::string bundle = MakeBundle(dir, "def main(ctx):\n    while True:\n        pass\n", "main", 100);
  auto rt = Open(dir);
  ASSERT_TRUE(rt->InstallBundle(bundle).ok());
  CallResult r;
  rt->Infer("s", "b", "", r.Callbacks());
  ASSERT_TRUE(r.Wait());
  EXPECT_EQ(r.kind, "error");
  EXPECT_EQ(r.error, TaskError::kTimeout);
}

TEST(ScriptTaskTest, MemoryCapEndsTheInstanceNotTheRuntime) {
  TempDir dir;
  std::string bundle = MakeBundle(dir, R"(
def main(ctx):
    if ctx["extData"] == "grow":
        x = []
        while True:
            x.append([0] * 1000)
    return "fine"
)", "main");
  auto rt = Open(dir);
  ASSERT_TRUE(rt->InstallBundle(bundle).ok());
  CallResult grow;
  rt->Infer("s", "b", R"("grow")", grow.Callbacks());
  ASSERT_TRUE(grow.Wait());
  EXPECT_EQ(grow.kind, "error");
  EXPECT_EQ(grow.error, TaskError::kFailed);
  CallResult fine;
  rt->Infer("s", "b", R"("ok")", fine.Callbacks());
  ASSERT_TRUE(fine.Wait());
  EXPECT_EQ(fine.value, "\"fine\"");
}

TEST(ScriptTaskTest, EventTriggerSeesTheEventAndEarlierEvents) {
  TempDir dir;
  std::string bdir = dir.path() + "/bundle";
  std::filesystem::create_directories(bdir);
  auto prog = CompileScript(R"(
import edgeflow
def on_view(ctx):
    seen = edgeflow.events(0, ctx["event"]["ts"] + 1)
    return {"item": ctx["event"]["itemId"], "seen": len(seen)}
)", "task.py");
  ASSERT_TRUE(prog.ok());
  Write(bdir + "/task.pyc", (*prog)->ToBytecode());
  Write(bdir + "/manifest.json", R"({"name":"ev","version":"1","tasks":[{"name":"V","kind":"script:task.pyc:on_view"}],
    "triggers":[{"taskName":"V","events":[{"type":"mta","pageId":"P","needPv":true,"clickIds":[]}]}]})");
  auto rt = Open(dir);
  ASSERT_TRUE(rt->InstallBundle(bdir).ok());
  std::mutex mu;
  std::vector<std::string> values;
  rt->SetOutcomeListener([&](const TaskOutcome& o) {
    std::lock_guard<std::mutex> l(mu);
    if (o.ok && o.value) values.push_back(*o.value);
  });
  ASSERT_TRUE(rt->TrackJson(R"({"type":"mta","kind":"pv","pageId":"Q","ts":1000})").ok());
  ASSERT_TRUE(rt->TrackJson(R"({"type":"mta","kind":"pv","pageId":"P","itemId":"sku7","ts":2000})").ok());
  ASSERT_TRUE(rt->WaitIdle(10000));
  std::lock_guard<std::mutex> l(mu);
  ASSERT_EQ(values.size(), 1u);
  auto v = nlohmann::json::parse(values[0]);
  EXPECT_EQ(v["item"], "sku7");
  EXPECT_EQ(v["seen"], 2);
}

TEST(ScriptTaskTest, SourceScriptsNeedACompiler) {
  TempDir dir;
  std::string bundle = MakeBundle(dir, "def main(ctx):\n    return 5\n", "main", 2000, /*compiled=*/false);
  {
    auto rt = Open(dir);
    Status s = rt->InstallBundle(bundle);
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
    EXPECT_NE(s.message().find("compiled scripts only"), std::string::npos) << s.message();
  }
  TempDir dir2;
  bundle = MakeBundle(dir2, "def main(ctx):\n    return 5\n", "main", 2000, /*compiled=*/false);
  auto rt = Open(dir2, /*with_compiler=*/true);
  ASSERT_TRUE(rt->InstallBundle(bundle).ok());
  CallResult r;
  rt->Infer("s", "b", "", r.Callbacks());
  ASSERT_TRUE(r.Wait());
  EXPECT_EQ(r.value, "5");
}

TEST(ScriptTaskTest, InstallRejectsAMissingEntryPoint) {
  TempDir dir;
  std::string bundle = MakeBundle(dir, "def other(ctx):\n    return 1\n", "main");
  auto rt = Open(dir);
  Status s = rt->InstallBundle(bundle);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("defines no function 'main'"), std::string::npos) << s.message();
}

TEST(ScriptTaskTest, InstallRejectsCorruptBytecode) {
  TempDir dir;
  std::string bundle = MakeBundle(dir, "def main(ctx):\n    return 1\n", "main");
  std::string bytes;
  {
    std::ifstream f(bundle + "/task.pyc", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(f), {});
  }
  bytes[bytes.size() / 2] ^= 0x5A;
  Write(bundle + "/task.pyc", bytes);
  auto rt = Open(dir);
  Status s = rt->InstallBundle(bundle);
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
}

TEST(ScriptTaskTest, InstancesRunInParallelContexts) {
  TempDir dir;
  std::string bundle = MakeBundle(dir, R"(
counter = 0
def main(ctx):
    global counter
    counter += 1          # module state is per instance: always 1
    return counter + sum(range(ctx["extData"]))
)", "main");
  RuntimeOptions o;
  o.data_dir = dir.path() + "/data";
  o.regular_workers = 4;
  auto rt = Runtime::Open(o);
  ASSERT_TRUE(rt.ok());
  ASSERT_TRUE((*rt)->InstallBundle(bundle).ok());
  std::vector<std::unique_ptr<CallResult>> results;
  for (int i = 0; i < 40; ++i) {
    results.push_back(std::make_unique<CallResult>());
    (*rt)->Infer("s", "b", std::to_string(i), results.back()->Callbacks());
  }
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(results[i]->Wait());
    EXPECT_EQ(results[i]->value, std::to_string(1 + i * (i - 1) / 2)) << i;
  }
}

TEST(ScriptTaskTest, RunModelRunsABundledModelAndCountsFallbacks) {
  TempDir dir;
  std::string bundle = MakeBundle(dir, R"(
import edgeflow

def main(ctx):
    x = edgeflow.Tensor([[-2.0, 0.0, 3.0, 1.0]])
    return edgeflow.run_model("relu.efm", {"x": x})["y"].tolist()
)", "main");
  infer::Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", infer::DType::kFloat32, {-1, 4}});
  g.outputs.push_back({"y", infer::DType::kFloat32, {-1, 4}});
  g.nodes = {infer::Node{"r", "Relu", {"x"}, {"y"}, {}, 13}};
  ASSERT_TRUE(infer::WriteEfm(g, bundle + "/relu.efm").ok());
  auto rt = Open(dir);
  ASSERT_TRUE(rt->InstallBundle(bundle).ok());
  CallResult r;
  rt->Infer("s", "b", "", r.Callbacks());
  ASSERT_TRUE(r.Wait());
  ASSERT_EQ(r.kind, "value") << r.message;
  EXPECT_EQ(nlohmann::json::parse(r.value), nlohmann::json::parse("[[0.0, 0.0, 3.0, 1.0]]"));
  // The model's interpreter reports its backend fallbacks in the runtime's metrics.
  auto counters = nlohmann::json::parse(rt->MetricsJson())["counters"];
  ASSERT_TRUE(counters.contains("infer.fallbacks.prepare")) << counters.dump();
  EXPECT_EQ(counters["infer.fallbacks.prepare"], 0);
  EXPECT_EQ(counters["infer.fallbacks.run"], 0);
}

TEST(ScriptTaskTest, RunModelErrorsNameTheModelOrInput) {
  TempDir dir;
  std::string bundle = MakeBundle(dir, R"(
import edgeflow

def main(ctx):
    return edgeflow.run_model("missing.efm", {"x": edgeflow.Tensor([1.0])})
)", "main");
  auto rt = Open(dir);
  ASSERT_TRUE(rt->InstallBundle(bundle).ok());
  CallResult r;
  rt->Infer("s", "b", "", r.Callbacks());
  ASSERT_TRUE(r.Wait());
  EXPECT_EQ(r.kind, "error");
  EXPECT_NE(r.message.find("missing.efm"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace edgeflow
