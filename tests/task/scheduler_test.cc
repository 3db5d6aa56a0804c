// Scheduler tests. Time is a ManualEnv driven by the test (deadlines, breaker
// cooldowns, the watchdog via RunWatchdogOnce); workers are real threads, and
// ordering is controlled with gates, never with sleeps.
#include "task/scheduler.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <csignal>
#include <latch>
#include <mutex>
#include <set>

#include "task/timer.h"
#include "testing/temp_dir.h"

namespace edgeflow {
namespace {

// A one-shot latch with a timeout so that a broken scheduler fails the test
// instead of hanging it.
class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> l(mu_);
    open_ = true;
    cv_.notify_all();
  }
  bool Wait() {
    std::unique_lock<std::mutex> l(mu_);
    return cv_.wait_for(l, std::chrono::seconds(10), [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

class FnBody : public TaskBody {
 public:
  explicit FnBody(std::function<Result<TaskOutput>(const TaskContext&)> fn) : fn_(std::move(fn)) {}
  Result<TaskOutput> Run(const TaskContext& ctx) override { return fn_(ctx); }

 private:
  std::function<Result<TaskOutput>(const TaskContext&)> fn_;
};

TaskSpec Spec(const std::string& name, std::function<Result<TaskOutput>(const TaskContext&)> fn,
              QueueKind q = QueueKind::kRegular) {
  TaskSpec s;
  s.name = name;
  s.kind = "native:test";
  s.queue = q;
  s.body = std::make_shared<FnBody>(std::move(fn));
  return s;
}

Result<TaskOutput> Value(const std::string& v) { return TaskOutput{v}; }

// Outcomes in completion order, with a wait for a count.
class Recorder {
 public:
  OutcomeFn Fn() {
    return [this](const TaskOutcome& o) {
      std::lock_guard<std::mutex> l(mu_);
      all_.push_back(o);
      cv_.notify_all();
    };
  }
  bool WaitFor(size_t n) {
    std::unique_lock<std::mutex> l(mu_);
    return cv_.wait_for(l, std::chrono::seconds(10), [&] { return all_.size() >= n; });
  }
  std::vector<TaskOutcome> all() {
    std::lock_guard<std::mutex> l(mu_);
    return all_;
  }
  std::vector<std::string> Names() {
    std::vector<std::string> out;
    for (auto& o : all()) out.push_back(o.task);
    return out;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<TaskOutcome> all_;
};

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SchedulerOptions o;
    o.env = &env_;
    o.start_watchdog_thread = false;
    o.grace_ms = 100;
    auto s = Scheduler::Open(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    sched_ = std::move(s).value();
  }
  void TearDown() override { sched_->Shutdown(); }

  std::string Submit(const std::string& task, Recorder* instances, Recorder* done = nullptr,
                     std::string ext = "") {
    SubmitRequest r;
    r.task = task;
    r.ext_data = std::move(ext);
    if (instances) r.on_instance_done = instances->Fn();
    if (done) r.on_done = done->Fn();
    return sched_->Submit(std::move(r));
  }

  ManualEnv env_;
  std::unique_ptr<Scheduler> sched_;
};

TEST_F(SchedulerTest, DependenciesRunFirstAndPassTheirResults) {
  std::vector<TaskSpec> tasks;
  tasks.push_back(Spec("Calc", [](const TaskContext&) { return Value("41"); }));
  tasks.push_back(Spec("Feat", [](const TaskContext&) { return Value("[1]"); }));
  auto infer = Spec("Infer", [](const TaskContext& ctx) -> Result<TaskOutput> {
    return Value("{\"calc\":" + ctx.upstream.at("Calc") + ",\"feat\":" + ctx.upstream.at("Feat") + "}");
  });
  infer.after = {"Calc", "Feat"};
  tasks.push_back(infer);
  ASSERT_TRUE(sched_->Install("b", tasks).ok());
  Recorder inst, done;
  std::string id = Submit("Infer", &inst, &done);
  ASSERT_TRUE(done.WaitFor(1));
  auto all = inst.all();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all.back().task, "Infer");  // the requested task's outcome comes last
  EXPECT_EQ(done.all()[0].instance, id);
  EXPECT_TRUE(done.all()[0].ok);
  EXPECT_EQ(*done.all()[0].value, R"({"calc":41,"feat":[1]})");
  std::set<std::string> ids;
  for (auto& o : all) ids.insert(o.instance);
  EXPECT_EQ(ids.size(), 3u);  // unique instance ids
}

TEST_F(SchedulerTest, FailedDependencyFailsItsDependentsWithoutRunningThem) {
  std::atomic<int> ran{0};
  auto calc = Spec("Calc", [](const TaskContext&) -> Result<TaskOutput> { return Status::Internal("boom"); });
  auto infer = Spec("Infer", [&](const TaskContext&) {
    ++ran;
    return Value("1");
  });
  infer.after = {"Calc"};
  ASSERT_TRUE(sched_->Install("b", {calc, infer}).ok());
  Recorder inst, done;
  Submit("Infer", &inst, &done);
  ASSERT_TRUE(done.WaitFor(1));
  EXPECT_EQ(ran.load(), 0);
  EXPECT_EQ(done.all()[0].error, TaskError::kFailed);
  EXPECT_NE(done.all()[0].message.find("dependency Calc"), std::string::npos);
  EXPECT_EQ(inst.all().size(), 2u);
}

TEST_F(SchedulerTest, InstallRejectsCyclesUnknownDependenciesAndDuplicates) {
  auto a = Spec("A", [](const TaskContext&) { return Value("1"); });
  auto b = Spec("B", [](const TaskContext&) { return Value("1"); });
  auto c = Spec("C", [](const TaskContext&) { return Value("1"); });
  a.after = {"B"};
  b.after = {"C"};
  c.after = {"A"};
  Status s = sched_->Install("x", {a, b, c});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("dependency cycle in after: A -> B -> C -> A"), std::string::npos) << s.message();
  c.after = {"Z"};
  s = sched_->Install("x", {a, b, c});
  EXPECT_NE(s.message().find("task C: unknown dependency \"Z\""), std::string::npos) << s.message();
  s = sched_->Install("x", {Spec("D", nullptr), Spec("D", nullptr)});
  EXPECT_NE(s.message().find("duplicate task D"), std::string::npos) << s.message();
  EXPECT_FALSE(sched_->HasTask("A"));
  ASSERT_TRUE(sched_->Install("y", {Spec("E", [](const TaskContext&) { return Value("1"); })}).ok());
  EXPECT_EQ(sched_->Install("z", {Spec("E", [](const TaskContext&) { return Value("1"); })}).code(),
            StatusCode::kAlreadyExists);
}

TEST_F(SchedulerTest, UnknownTaskEndsWithNoSuchTask) {
  Recorder inst, done;
  Submit("Nope", &inst, &done);
  ASSERT_TRUE(done.WaitFor(1));
  EXPECT_EQ(done.all()[0].error, TaskError::kNoSuchTask);
  EXPECT_EQ(inst.all().size(), 1u);
}

TEST_F(SchedulerTest, HigherPriorityRunsFirstWithinAQueue) {
  Gate started, release;
  std::mutex mu;
  std::vector<std::string> order;
  auto record = [&](const std::string& name) {
    return [&, name](const TaskContext&) {
      std::lock_guard<std::mutex> l(mu);
      order.push_back(name);
      return Value("1");
    };
  };
  auto block = Spec("Block", [&](const TaskContext&) {
    started.Open();
    release.Wait();
    return Value("1");
  });
  auto lo = Spec("Lo", record("Lo"));
  auto hi = Spec("Hi", record("Hi"));
  hi.priority = 5;
  auto lo2 = Spec("Lo2", record("Lo2"));
  ASSERT_TRUE(sched_->Install("b", {block, lo, hi, lo2}).ok());
  Recorder r;
  Submit("Block", &r);
  ASSERT_TRUE(started.Wait());
  Submit("Lo", &r);
  Submit("Hi", &r);
  Submit("Lo2", &r);
  release.Open();
  ASSERT_TRUE(r.WaitFor(4));
  EXPECT_EQ(order, (std::vector<std::string>{"Hi", "Lo", "Lo2"}));  // then FIFO
}

TEST_F(SchedulerTest, CoreWorkIsServedFirstUnderContention) {
  // Every worker is busy (one core, one regular, one low). When the regular
  // worker frees up while a regular and a core instance wait, it takes the
  // core one first; the low worker would too.
  Gate reg_started, reg_release, core_release;
  std::atomic<int> core_started{0};
  std::mutex mu;
  std::vector<std::string> order;
  auto record = [&](const std::string& name) {
    return [&, name](const TaskContext&) {
      std::lock_guard<std::mutex> l(mu);
      order.push_back(name);
      return Value("1");
    };
  };
  auto reg_block = Spec("RegBlock", [&](const TaskContext&) {
    reg_started.Open();
    reg_release.Wait();
    return Value("1");
  });
  auto core_block = Spec("CoreBlock", [&](const TaskContext&) {
    ++core_started;
    core_release.Wait();
    return Value("1");
  }, QueueKind::kCore);
  ASSERT_TRUE(sched_->Install("b", {core_block, reg_block, Spec("Reg", record("Reg")),
                                    Spec("Core", record("Core"), QueueKind::kCore)})
                  .ok());
  Recorder r;
  Submit("RegBlock", &r);
  ASSERT_TRUE(reg_started.Wait());
  Submit("CoreBlock", &r);  // taken by the core worker and the idle low worker
  Submit("CoreBlock", &r);
  for (int i = 0; i < 10000000 && core_started.load() < 2; ++i) std::this_thread::yield();
  ASSERT_EQ(core_started.load(), 2);
  Submit("Reg", &r);
  Submit("Core", &r);
  reg_release.Open();
  ASSERT_TRUE(r.WaitFor(3));
  {
    std::lock_guard<std::mutex> l(mu);
    EXPECT_EQ(order, (std::vector<std::string>{"Core", "Reg"}));
  }
  core_release.Open();
  ASSERT_TRUE(r.WaitFor(5));
}

TEST_F(SchedulerTest, DeadlineCancelsTheTokenAndEndsWithTimeout) {
  Gate started;
  auto slow = Spec("Slow", [&](const TaskContext& ctx) -> Result<TaskOutput> {
    started.Open();
    while (!ctx.cancel->cancelled()) std::this_thread::yield();
    return Status::Cancelled("noticed");
  });
  slow.deadline_ms = 50;
  ASSERT_TRUE(sched_->Install("b", {slow}).ok());
  Recorder done;
  Submit("Slow", nullptr, &done);
  ASSERT_TRUE(started.Wait());
  sched_->RunWatchdogOnce();  // not yet due
  env_.AdvanceMillis(49);
  sched_->RunWatchdogOnce();
  EXPECT_TRUE(done.all().empty());
  env_.AdvanceMillis(1);
  sched_->RunWatchdogOnce();
  ASSERT_TRUE(done.WaitFor(1));
  EXPECT_EQ(done.all()[0].error, TaskError::kTimeout);
}

TEST_F(SchedulerTest, StuckWorkerIsAbandonedAfterGraceAndReplaced) {
  Gate started, release;
  std::atomic<int> returned{0};
  auto stuck = Spec("Stuck", [&](const TaskContext&) {
    started.Open();
    release.Wait();  // ignores its cancellation token
    ++returned;
    return Value("late");
  });
  stuck.deadline_ms = 10;
  ASSERT_TRUE(sched_->Install("b", {stuck, Spec("Next", [](const TaskContext&) { return Value("2"); })}).ok());
  Recorder inst;
  Submit("Stuck", &inst);
  ASSERT_TRUE(started.Wait());
  env_.AdvanceMillis(10);
  sched_->RunWatchdogOnce();  // deadline: token cancelled, body keeps going
  env_.AdvanceMillis(99);
  sched_->RunWatchdogOnce();
  EXPECT_TRUE(inst.all().empty());
  env_.AdvanceMillis(1);
  sched_->RunWatchdogOnce();  // grace over: abandoned
  ASSERT_TRUE(inst.WaitFor(1));
  EXPECT_EQ(inst.all()[0].error, TaskError::kTimeout);
  // The queue's replacement worker serves new work while the old one is stuck.
  Submit("Next", &inst);
  ASSERT_TRUE(inst.WaitFor(2));
  EXPECT_TRUE(inst.all()[1].ok);
  release.Open();
  ASSERT_TRUE(sched_->WaitIdle(10000));
  // The abandoned body's late return produces no second outcome.
  for (int i = 0; i < 1000 && returned.load() == 0; ++i) std::this_thread::yield();
  EXPECT_EQ(inst.all().size(), 2u);
}

TEST_F(SchedulerTest, OpenBreakerEndsInstancesAtOnceThenProbes) {
  std::atomic<bool> fail{true};
  auto flaky = Spec("Flaky", [&](const TaskContext&) -> Result<TaskOutput> {
    if (fail.load()) return Status::Internal("down");
    return Value("up");
  });
  flaky.breaker.failures = 2;
  flaky.breaker.cooldown_ms = 1000;
  ASSERT_TRUE(sched_->Install("b", {flaky}).ok());
  std::vector<TaskError> errors;
  for (int i = 0; i < 3; ++i) {
    Recorder done;
    Submit("Flaky", nullptr, &done);
    ASSERT_TRUE(done.WaitFor(1));
    errors.push_back(done.all()[0].error);
  }
  EXPECT_EQ(errors, (std::vector<TaskError>{TaskError::kFailed, TaskError::kFailed, TaskError::kCircuitOpen}));
  env_.AdvanceMillis(1000);
  fail = false;
  Recorder probe;
  Submit("Flaky", nullptr, &probe);
  ASSERT_TRUE(probe.WaitFor(1));
  EXPECT_TRUE(probe.all()[0].ok);
}

TEST_F(SchedulerTest, ShutdownCancelsQueuedAndRunningWork) {
  Gate started;
  auto poll = Spec("Poll", [&](const TaskContext& ctx) -> Result<TaskOutput> {
    started.Open();
    while (!ctx.cancel->cancelled()) std::this_thread::yield();
    return Status::Cancelled("stopped");
  });
  ASSERT_TRUE(sched_->Install("b", {poll}).ok());
  Recorder a, b;
  Submit("Poll", nullptr, &a);
  Submit("Poll", nullptr, &b);
  ASSERT_TRUE(started.Wait());
  sched_->Shutdown();
  ASSERT_TRUE(a.WaitFor(1));
  ASSERT_TRUE(b.WaitFor(1));
  EXPECT_EQ(a.all()[0].error, TaskError::kCancelled);
  EXPECT_EQ(b.all()[0].error, TaskError::kCancelled);
  Recorder c;
  Submit("Poll", nullptr, &c);
  ASSERT_TRUE(c.WaitFor(1));
  EXPECT_EQ(c.all()[0].error, TaskError::kCancelled);
}

TEST(SchedulerCrashTest, MarkerOfAKilledProcessCountsAsACrash) {
  testing::TempDir dir;
  SchedulerOptions o;
  o.crash_marker_path = dir.Sub("markers");
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto s = Scheduler::Open(o);
    if (!s.ok()) _exit(2);
    auto boom = Spec("Boom", [](const TaskContext&) -> Result<TaskOutput> { _exit(7); });
    if (!(*s)->Install("b", {boom}).ok()) _exit(3);
    SubmitRequest r;
    r.task = "Boom";
    (*s)->Submit(std::move(r));
    (*s)->WaitIdle(10000);
    _exit(4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 7);

  auto s = Scheduler::Open(o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto crashes = (*s)->PreviousCrashes();
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].task, "Boom");
  EXPECT_EQ(crashes[0].instance.rfind("Boom#", 0), 0u);
  auto boom = Spec("Boom", [](const TaskContext&) { return Value("1"); });
  boom.breaker.failures = 1;
  ASSERT_TRUE((*s)->Install("b", {boom}).ok());
  Recorder done;
  SubmitRequest r;
  r.task = "Boom";
  r.on_done = done.Fn();
  (*s)->Submit(std::move(r));
  ASSERT_TRUE(done.WaitFor(1));
  EXPECT_EQ(done.all()[0].error, TaskError::kCircuitOpen);
  (*s)->Shutdown();
  // Markers are cleared once read: the next process sees no crash.
  auto again = Scheduler::Open(o);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)->PreviousCrashes().empty());
}

// Runs `n` concurrent instances of "Boom" in a child process; once all n bodies
// have started, one of them kills the process with `kill`. Returns the wait status.
int CrashChildWithRunningInstances(const SchedulerOptions& base, int n, void (*kill)()) {
  pid_t pid = fork();
  if (pid != 0) {
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return -1;
    return status;
  }
  SchedulerOptions o = base;
  o.regular_workers = n;
  auto s = Scheduler::Open(o);
  if (!s.ok()) _exit(2);
  static std::latch* started = new std::latch(n);
  static std::atomic<bool> first{true};
  auto boom = Spec("Boom", [kill](const TaskContext&) -> Result<TaskOutput> {
    started->arrive_and_wait();
    if (first.exchange(false)) kill();
    for (;;) pause();
  });
  if (!(*s)->Install("b", {boom}).ok()) _exit(3);
  for (int i = 0; i < n; ++i) {
    SubmitRequest r;
    r.task = "Boom";
    (*s)->Submit(std::move(r));
  }
  (*s)->WaitIdle(10000);
  _exit(4);
}

TEST(SchedulerCrashTest, ThreeAbortedInstancesOpenTheBreaker) {
  testing::TempDir dir;
  SchedulerOptions o;
  o.crash_marker_path = dir.Sub("markers");
  int status = CrashChildWithRunningInstances(o, 3, [] { abort(); });
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  ASSERT_EQ(WTERMSIG(status), SIGABRT);

  auto s = Scheduler::Open(o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto crashes = (*s)->PreviousCrashes();
  ASSERT_EQ(crashes.size(), 3u);
  std::set<std::string> ids;
  for (const auto& c : crashes) {
    EXPECT_EQ(c.task, "Boom");
    ids.insert(c.instance);
  }
  EXPECT_EQ(ids.size(), 3u);  // distinct instance ids
  // Default breaker (3 consecutive failures): the three crashes open it, even
  // though the task is installed after the markers were read.
  ASSERT_TRUE((*s)->Install("b", {Spec("Boom", [](const TaskContext&) { return Value("1"); })}).ok());
  Recorder done;
  SubmitRequest r;
  r.task = "Boom";
  r.on_done = done.Fn();
  (*s)->Submit(std::move(r));
  ASSERT_TRUE(done.WaitFor(1));
  EXPECT_EQ(done.all()[0].error, TaskError::kCircuitOpen);
  (*s)->Shutdown();
}

TEST(SchedulerCrashTest, SigkillLeavesAMarkerAndTwoCrashesKeepTheBreakerClosed) {
  testing::TempDir dir;
  SchedulerOptions o;
  o.crash_marker_path = dir.Sub("markers");
  int status = CrashChildWithRunningInstances(o, 2, [] { raise(SIGKILL); });
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  auto s = Scheduler::Open(o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ((*s)->PreviousCrashes().size(), 2u);
  ASSERT_TRUE((*s)->Install("b", {Spec("Boom", [](const TaskContext&) { return Value("1"); })}).ok());
  Recorder done;
  SubmitRequest r;
  r.task = "Boom";
  r.on_done = done.Fn();
  (*s)->Submit(std::move(r));
  ASSERT_TRUE(done.WaitFor(1));
  EXPECT_TRUE(done.all()[0].ok) << done.all()[0].message;  // 2 < 3: still closed
  (*s)->Shutdown();
}

TEST(SchedulerCrashTest, OneCrashPerRunAddsUpAcrossRestarts) {
  // A task that kills the process once per run: the third run's crash opens
  // the breaker (default threshold 3) even though each run saw only one.
  testing::TempDir dir;
  SchedulerOptions o;
  o.crash_marker_path = dir.Sub("markers");
  for (int run = 0; run < 3; ++run) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto s = Scheduler::Open(o);
      if (!s.ok()) _exit(2);
      auto boom = Spec("Boom", [](const TaskContext&) -> Result<TaskOutput> { _exit(7); });
      boom.breaker.cooldown_ms = 600000;
      if (!(*s)->Install("b", {boom}).ok()) _exit(3);
      SubmitRequest r;
      r.task = "Boom";
      (*s)->Submit(std::move(r));
      (*s)->WaitIdle(10000);
      _exit(4);  // the breaker refused to run it
    }
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 7) << "run " << run;
  }
  auto s = Scheduler::Open(o);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->PreviousCrashes().size(), 1u);  // this run's leftovers
  auto boom = Spec("Boom", [](const TaskContext&) { return Value("1"); });
  ASSERT_TRUE((*s)->Install("b", {boom}).ok());
  Recorder done;
  SubmitRequest r;
  r.task = "Boom";
  r.on_done = done.Fn();
  (*s)->Submit(std::move(r));
  ASSERT_TRUE(done.WaitFor(1));
  EXPECT_EQ(done.all()[0].error, TaskError::kCircuitOpen);
}

TEST(SchedulerCrashTest, ASuccessfulRunEndsTheCrashStreak) {
  testing::TempDir dir;
  SchedulerOptions o;
  o.crash_marker_path = dir.Sub("markers");
  dir.Write("markers.streaks", R"({"Boom":2})");
  {
    auto s = Scheduler::Open(o);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->Install("b", {Spec("Boom", [](const TaskContext&) { return Value("1"); })}).ok());
    Recorder done;
    SubmitRequest r;
    r.task = "Boom";
    r.on_done = done.Fn();
    (*s)->Submit(std::move(r));
    ASSERT_TRUE(done.WaitFor(1));
    EXPECT_TRUE(done.all()[0].ok);  // 2 < 3: still closed
  }
  std::ifstream in(dir.Sub("markers.streaks"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "{}");
}

TEST(TimerService, FiresEveryPeriodAndSkipsMissedOnes) {
  ManualEnv env;
  TimerService timers(&env, /*start_thread=*/false);
  std::vector<std::string> fired;
  timers.Set("b", {{"Tick", 1000}, {"Slow", 5000}}, [&](const std::string& t) { fired.push_back(t); });
  EXPECT_EQ(timers.RunDueOnce(), 0);
  env.AdvanceMillis(1000);
  EXPECT_EQ(timers.RunDueOnce(), 1);
  env.AdvanceMillis(3500);  // three periods missed: one firing, not a burst
  EXPECT_EQ(timers.RunDueOnce(), 1);
  env.AdvanceMillis(500);   // t = 5000: both due
  EXPECT_EQ(timers.RunDueOnce(), 2);
  EXPECT_EQ(fired, (std::vector<std::string>{"Tick", "Tick", "Tick", "Slow"}));
  timers.Remove("b");
  env.AdvanceMillis(10000);
  EXPECT_EQ(timers.RunDueOnce(), 0);
}

TEST(SchedulerOptionsTest, BadWorkerCountsAreRejected) {
  SchedulerOptions o;
  o.regular_workers = 0;
  auto s = Scheduler::Open(o);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("regular_workers"), std::string::npos);
}

}  // namespace
}  // namespace edgeflow
