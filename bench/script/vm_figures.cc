// bench_script_vm: per-context figures of the script VM, printed as one JSON
// line: context creation with bytecode load (median µs), the memory of an idle
// context (ready to serve calls), and the throughput of two contexts on two
// threads over one (GIL-free parallelism).
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "edgeflow/script.h"
#include "edgeflow/script_compiler.h"

namespace {

using Clock = std::chrono::steady_clock;

// A typical task script: helpers and a re-ranking entry point.
constexpr const char* kTask = R"PY(
import math

WEIGHTS = {"click": 2.0, "cart": 4.0, "view": 1.0}

def score(item, prefs):
    base = item["ctr"] * 10.0 + item["cvr"] * 40.0
    boost = prefs.get(item["cat"], 0.0)
    return base * (1.0 + boost) / math.sqrt(1.0 + item["rank"])

def prefs_of(events):
    p = {}
    for e in events:
        p[e["cat"]] = p.get(e["cat"], 0.0) + WEIGHTS.get(e["kind"], 0.5)
    total = sum(p.values()) or 1.0
    return {k: v / total for k, v in p.items()}

def rerank(ctx):
    prefs = prefs_of(ctx["events"])
    items = ctx["items"]
    ranked = sorted(items, key=lambda it: -score(it, prefs))
    return [it["id"] for it in ranked[:10]]

def work(n):
    # CPU-bound loop for the parallel figure.
    acc = 0.0
    d = {}
    for i in range(n):
        k = i % 97
        d[k] = d.get(k, 0) + 1
        acc += math.sqrt(i + d[k])
    return acc
)PY";

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

size_t HeapInUse() { return mallinfo2().uordblks; }

int Fail(const std::string& what) {
  std::fprintf(stderr, "bench_script_vm: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main() {
  auto compiled = edgeflow::CompileScript(kTask, "task.py");
  if (!compiled.ok()) return Fail(compiled.status().ToString());
  const std::string bytecode = (*compiled)->ToBytecode();

  // Context creation with bytecode load, and with the module body run.
  std::vector<double> create_us, ready_us;
  for (int i = 0; i < 3000; ++i) {
    auto t0 = Clock::now();
    auto prog = edgeflow::ScriptProgram::FromBytecode(bytecode, "task.pyc");
    if (!prog.ok()) return Fail(prog.status().ToString());
    auto ctx = edgeflow::ScriptContext::Create(*prog);
    if (!ctx.ok()) return Fail(ctx.status().ToString());
    auto t1 = Clock::now();
    if (!(*ctx)->Run().ok()) return Fail("module body failed");
    auto t2 = Clock::now();
    create_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    ready_us.push_back(std::chrono::duration<double, std::micro>(t2 - t0).count());
  }
  std::fprintf(stderr, "bench_script_vm: context creation measured\n");

  // Idle context memory: heap bytes per context of 500 live contexts that
  // have run their module body (ready to serve calls), sharing one program.
  auto prog = edgeflow::ScriptProgram::FromBytecode(bytecode, "task.pyc");
  if (!prog.ok()) return Fail(prog.status().ToString());
  size_t before = HeapInUse();
  std::vector<std::unique_ptr<edgeflow::ScriptContext>> idle;
  for (int i = 0; i < 500; ++i) {
    auto ctx = edgeflow::ScriptContext::Create(*prog);
    if (!ctx.ok() || !(*ctx)->Run().ok()) return Fail("idle context");
    idle.push_back(std::move(ctx).value());
  }
  size_t after = HeapInUse();
  double idle_bytes = static_cast<double>(after - before) / static_cast<double>(idle.size());
  idle.clear();
  std::fprintf(stderr, "bench_script_vm: idle context memory measured\n");

  // Parallel throughput: R rounds of (one thread, K calls) vs (two threads,
  // K calls each), each call on its own fresh context over the shared program.
  constexpr int kCalls = 40;
  constexpr int64_t kWork = 40000;
  auto worker = [&](int calls) {
    for (int c = 0; c < calls; ++c) {
      auto ctx = edgeflow::ScriptContext::Create(*prog);
      if (!ctx.ok() || !(*ctx)->Run().ok()) std::abort();
      auto r = (*ctx)->Call("work", {edgeflow::ScriptValue::Int(kWork)});
      if (!r.ok()) std::abort();
    }
  };
  std::vector<double> speedups;
  for (int round = 0; round < 5; ++round) {
    auto t0 = Clock::now();
    worker(kCalls);
    auto t1 = Clock::now();
    std::thread a(worker, kCalls), b(worker, kCalls);
    a.join();
    b.join();
    auto t2 = Clock::now();
    double one = std::chrono::duration<double>(t1 - t0).count();
    double two = std::chrono::duration<double>(t2 - t1).count();
    speedups.push_back(2.0 * one / two);
  }
  std::fprintf(stderr, "bench_script_vm: parallel throughput measured\n");

  std::printf(
      "{\"context_create_us\": %.2f, \"context_ready_us\": %.2f, \"idle_context_bytes\": %.0f, "
      "\"parallel_speedup_2\": %.3f, \"hardware_threads\": %u}\n",
      Median(create_us), Median(ready_us), idle_bytes, Median(speedups),
      std::thread::hardware_concurrency());
  return 0;
}
