// The instruction budget and cancellation reach into native code: builtins,
// itertools, functools, containers and str methods that iterate (possibly
// infinite) iterators or call Python functions count ticks and poll, so they
// end with the same error as a bytecode loop.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "edgeflow/script.h"
#include "edgeflow/script_compiler.h"
#include "edgeflow/task.h"

namespace edgeflow {
namespace {

// Natives that never finish on their own: each consumes an infinite iterator
// or calls a Python function for ever.
const std::vector<std::string>& EndlessNatives() {
  static const std::vector<std::string> exprs = {
      "sum(itertools.count())",
      "any(map(f, itertools.repeat(0)))",
      "all(itertools.repeat(1))",
      "list(itertools.repeat(1))",
      "tuple(zip(itertools.count(), itertools.count()))",
      "max(itertools.count())",
      "sorted(itertools.cycle([1]))",
      "set(itertools.repeat(1))",
      "dict.fromkeys(itertools.repeat(1))",
      "' '.join(map(str, itertools.count()))",
      "-1 in itertools.count()",
      "collections.deque(itertools.count(), maxlen=1)",
      "heapq.nlargest(1, itertools.count())",
      "next(itertools.islice(itertools.count(), 10 ** 18, None))",
      "next(filter(None, itertools.repeat(0)))",
      "next(itertools.dropwhile(lambda x: True, itertools.count()))",
      "functools.reduce(lambda a, b: b, itertools.count())",
      "sum(range(10 ** 18))",
      "sum(f(i) for i in itertools.count())",
      "list(map(f, range(10 ** 12)))",
  };
  return exprs;
}

std::string Source(const std::string& expr) {
  return "import itertools, functools, collections, heapq, control\n"
         "def f(x):\n    return 0\n"
         "def run():\n    control.arm()\n    return " + expr + "\n";
}

// Runs run() with `limits`; control.arm() calls `arm` (from inside the script,
// right before the native starts).
Status RunWith(const std::string& expr, ScriptLimits limits, const std::function<void()>& arm) {
  auto control = std::make_shared<ScriptModule>("control");
  control->AddFunction("arm", [arm](const ScriptCall&) -> Result<ScriptValue> {
    arm();
    return ScriptValue();
  });
  auto prog = CompileScript(Source(expr), "native.py");
  if (!prog.ok()) return prog.status();
  ScriptOptions opts;
  opts.limits = limits;
  opts.modules.push_back(control);
  auto ctx = ScriptContext::Create(*prog, opts);
  if (!ctx.ok()) return ctx.status();
  Status st = (*ctx)->Run();
  if (!st.ok()) return st;
  auto r = (*ctx)->Call("run", {});
  if (!r.ok() && (*ctx)->last_error().type != "") {
    return Status::FailedPrecondition("script raised " + (*ctx)->last_error().type);
  }
  return r.status();
}

TEST(ScriptNativeLimits, InstructionBudgetEndsEndlessNatives) {
  for (const std::string& e : EndlessNatives()) {
    SCOPED_TRACE(e);
    ScriptLimits limits;
    limits.max_ticks = 50000;
    Status st = RunWith(e, limits, [] {});
    EXPECT_EQ(st.code(), StatusCode::kResourceExhausted) << st.ToString();
    EXPECT_EQ(st.message(), "script instruction budget exhausted (50000 ticks)") << st.ToString();
  }
}

// The token is cancelled by the script's own thread just before the native
// starts: only a poll inside the native loop can see it.
TEST(ScriptNativeLimits, CancellationEndsEndlessNatives) {
  for (const std::string& e : EndlessNatives()) {
    SCOPED_TRACE(e);
    CancellationToken token;
    ScriptLimits limits;
    limits.cancel = &token;
    Status st = RunWith(e, limits, [&token] { token.Cancel(); });
    EXPECT_EQ(st.code(), StatusCode::kCancelled) << st.ToString();
  }
}

// A tick per item each iterator layer hands on and per Python call: a finite
// native loop fits a budget of a few ticks per item and not one of half a tick
// per item; bytecode loops keep their one tick per iteration.
TEST(ScriptNativeLimits, NativeLoopsCountOneTickPerItem) {
  struct Case {
    const char* expr;
    int64_t items;
    int64_t ticks_per_item;
  };
  const Case cases[] = {
      {"sum(itertools.repeat(1, 100000))", 100000, 1},
      {"len(list(map(f, range(100000))))", 100000, 3},  // list's, map's and f's
      {"len(sorted(range(100000), key=f))", 100000, 1},
      {"len([x for x in itertools.repeat(1, 100000)])", 100000, 1},
      {"len([x for x in range(100000)])", 100000, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expr);
    ScriptLimits limits;
    limits.max_ticks = c.items * c.ticks_per_item + 1000;
    EXPECT_TRUE(RunWith(c.expr, limits, [] {}).ok());
    limits.max_ticks = c.items / 2;
    EXPECT_EQ(RunWith(c.expr, limits, [] {}).code(), StatusCode::kResourceExhausted);
  }
}

}  // namespace
}  // namespace edgeflow
