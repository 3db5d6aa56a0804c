// Scheduler: instances, the dependency DAG, the three queues and their
// workers, breakers, the watchdog and crash markers.
//
// Core-first policy: each queue has its own workers, and every worker, before
// looking at its own queue, takes queued core work. So core work starts as
// soon as any worker is free, while regular and low work never starts ahead
// of it; core workers serve only the core queue, so a flood of low work can
// never occupy them.
//
// All state lives in a Core object owned through shared_ptr by the Scheduler
// and by every worker thread, so that a worker abandoned by the watchdog (its
// body ignored the cancellation token) can return later and find the state it
// needs still alive, see that it was abandoned, and exit without a second
// outcome.
#include "task/scheduler.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/logging.h"
#include "task/breaker.h"
#include "task/crash_markers.h"

namespace edgeflow {
namespace {

struct Instance;
using InstancePtr = std::shared_ptr<Instance>;

// State shared by the instances of one Submit().
struct Request {
  SubmitRequest in;
  int64_t submit_us = 0;
  int remaining = 0;                        // instances not yet ended
  Instance* root = nullptr;
  std::optional<TaskOutcome> root_outcome;  // held back until remaining == 0
};

struct Worker {
  QueueKind queue;
  std::thread thread;
  bool abandoned = false;
};

struct Instance {
  enum class State { kWaiting, kQueued, kRunning, kDone };
  std::string id;
  std::shared_ptr<const TaskSpec> spec;
  std::shared_ptr<Request> req;
  State state = State::kWaiting;
  int pending_deps = 0;
  std::vector<InstancePtr> dependents;
  std::map<std::string, std::string> upstream;
  uint64_t seq = 0;
  std::shared_ptr<CancellationToken> token = std::make_shared<CancellationToken>();
  // While running:
  int64_t deadline_us = 0;
  bool deadline_hit = false;
  bool shutdown_cancel = false;
  int marker_slot = -1;
  std::shared_ptr<Worker> worker;
};

struct ReadyOrder {
  bool operator()(const InstancePtr& a, const InstancePtr& b) const {
    if (a->spec->priority != b->spec->priority) return a->spec->priority > b->spec->priority;
    return a->seq < b->seq;
  }
};

// A callback to run once the lock is released.
struct Delivery {
  OutcomeFn fn;
  TaskOutcome outcome;
};
using Deliveries = std::vector<Delivery>;

void Deliver(Deliveries& ds) {
  for (auto& d : ds) {
    if (!d.fn) continue;
    try {
      d.fn(d.outcome);
    } catch (const std::exception& e) {
      Log(LogLevel::kWarn, std::string("task outcome callback threw: ") + e.what());
    } catch (...) {
      Log(LogLevel::kWarn, "task outcome callback threw");
    }
  }
  ds.clear();
}

int QueueIndex(QueueKind q) { return static_cast<int>(q); }

struct Core : std::enable_shared_from_this<Core> {
  SchedulerOptions opts;
  Env* env = nullptr;
  std::unique_ptr<CrashMarkers> markers;
  std::vector<CrashRecord> crashes;

  std::mutex mu;
  std::condition_variable work_cv;  // new ready work, or stopping
  std::condition_variable idle_cv;  // live reached 0, or running shrank
  std::condition_variable watchdog_cv;
  std::map<std::string, std::shared_ptr<const TaskSpec>> tasks;   // guarded by mu
  std::map<std::string, std::vector<std::string>> owner_tasks;    // guarded by mu
  std::map<std::string, CircuitBreaker> breakers;                 // guarded by mu
  std::map<std::string, int> pending_crashes;                     // guarded by mu
  // Consecutive crashes per task across process runs, persisted next to the
  // markers: a task that kills the process once per run must still trip its
  // breaker. Reset by the task's next successful run.
  std::map<std::string, int> crash_streaks;                       // guarded by mu
  std::string streaks_path;                                       // "" = not persisted
  std::set<InstancePtr, ReadyOrder> ready[3];                      // guarded by mu
  std::set<InstancePtr> running;                                  // guarded by mu
  std::vector<std::shared_ptr<Worker>> workers;                   // guarded by mu
  int64_t live = 0;                                               // guarded by mu
  int64_t delivering = 0;  // threads running callbacks outside mu; guarded by mu
  uint64_t next_seq = 0;                                          // guarded by mu
  uint64_t next_id = 0;                                           // guarded by mu
  bool stopping = false;                                          // guarded by mu
  bool watchdog_stop = false;                                     // guarded by mu
  std::thread watchdog;

  TaskOutcome OutcomeOf(const Instance& inst) {
    TaskOutcome o;
    o.task = inst.spec->name;
    o.instance = inst.id;
    o.trigger = inst.req->in.trigger;
    o.latency_us = env->NowMicros() - inst.req->submit_us;
    return o;
  }

  void Enqueue(const InstancePtr& inst) {
    inst->state = Instance::State::kQueued;
    inst->seq = next_seq++;
    ready[QueueIndex(inst->spec->queue)].insert(inst);
    work_cv.notify_all();
  }

  // Ends `inst` with `o` (under mu), releasing or failing its dependents.
  void Complete(const InstancePtr& inst, TaskOutcome o, Deliveries* out) {
    if (inst->state == Instance::State::kDone) return;
    inst->state = Instance::State::kDone;
    --live;
    Request& r = *inst->req;
    --r.remaining;
    if (inst.get() == r.root) {
      r.root_outcome = o;
    } else {
      out->push_back({r.in.on_instance_done, o});
    }
    for (const InstancePtr& dep : inst->dependents) {
      if (dep->state != Instance::State::kWaiting) continue;
      if (o.ok) {
        dep->upstream[inst->spec->name] = o.value.value_or("null");
        if (--dep->pending_deps == 0) Enqueue(dep);
      } else {
        TaskOutcome f = OutcomeOf(*dep);
        f.error = o.error == TaskError::kCancelled ? TaskError::kCancelled : TaskError::kFailed;
        f.message = "dependency " + inst->spec->name + " ended with " + TaskErrorName(o.error);
        Complete(dep, std::move(f), out);
      }
    }
    if (r.remaining == 0 && r.root_outcome) {
      out->push_back({r.in.on_instance_done, *r.root_outcome});
      out->push_back({r.in.on_done, *r.root_outcome});
      r.root_outcome.reset();
    }
    if (IdleLocked()) idle_cv.notify_all();
  }

  bool IdleLocked() const { return live == 0 && delivering == 0; }

  void SaveStreaksLocked() {
    if (streaks_path.empty()) return;
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [task, n] : crash_streaks) j[task] = n;
    Status st = env->WriteFileAtomic(streaks_path, j.dump());
    if (!st.ok()) Log(LogLevel::kWarn, "crash streaks: " + st.ToString());
  }

  // Runs the callbacks in `out` with mu released. Idle waits until they have
  // returned: a callback may submit follow-up work (a chained task).
  void DeliverUnlocked(std::unique_lock<std::mutex>& l, Deliveries& out) {
    if (out.empty()) return;
    ++delivering;
    l.unlock();
    Deliver(out);
    l.lock();
    if (--delivering == 0 && live == 0) idle_cv.notify_all();
  }

  CircuitBreaker& BreakerFor(const TaskSpec& spec) {
    auto it = breakers.find(spec.name);
    if (it == breakers.end()) it = breakers.emplace(spec.name, CircuitBreaker(spec.breaker)).first;
    return it->second;
  }

  // Picks the next instance for a worker of queue q: core work first.
  InstancePtr Pop(QueueKind q) {
    for (int idx : {QueueIndex(QueueKind::kCore), QueueIndex(q)}) {
      auto& set = ready[idx];
      if (!set.empty()) {
        InstancePtr inst = *set.begin();
        set.erase(set.begin());
        return inst;
      }
    }
    return nullptr;
  }

  void StartWorker(QueueKind q) {
    auto w = std::make_shared<Worker>();
    w->queue = q;
    workers.push_back(w);
    std::shared_ptr<Core> self = shared_from_this();
    w->thread = std::thread([self, w] { self->WorkerLoop(w); });
  }

  void WorkerLoop(const std::shared_ptr<Worker>& me) {
    Deliveries out;
    std::unique_lock<std::mutex> l(mu);
    for (;;) {
      InstancePtr inst;
      work_cv.wait(l, [&] { return stopping || (inst = Pop(me->queue)) != nullptr; });
      if (!inst) return;  // stopping and nothing to do
      const TaskSpec& spec = *inst->spec;
      int64_t now = env->NowMicros();
      if (stopping) {
        TaskOutcome o = OutcomeOf(*inst);
        o.error = TaskError::kCancelled;
        o.message = "scheduler shut down";
        Complete(inst, std::move(o), &out);
      } else if (!BreakerFor(spec).Allow(now)) {
        TaskOutcome o = OutcomeOf(*inst);
        o.error = TaskError::kCircuitOpen;
        o.message = "circuit breaker of " + spec.name + " is open";
        Complete(inst, std::move(o), &out);
      } else {
        RunLocked(inst, me, l, &out);
        if (me->abandoned) return;  // the watchdog ended this instance and replaced us
      }
      DeliverUnlocked(l, out);
    }
  }

  // Runs the body with mu released; returns with mu held.
  void RunLocked(const InstancePtr& inst, const std::shared_ptr<Worker>& me,
                 std::unique_lock<std::mutex>& l, Deliveries* out) {
    const TaskSpec& spec = *inst->spec;
    inst->state = Instance::State::kRunning;
    inst->worker = me;
    inst->deadline_us = env->NowMicros() + spec.deadline_ms * 1000;
    running.insert(inst);
    inst->marker_slot = markers ? markers->Begin(spec.name, inst->id, inst->req->in.trigger) : -1;
    l.unlock();

    TaskContext ctx;
    ctx.task = spec.name;
    ctx.instance = inst->id;
    ctx.trigger = inst->req->in.trigger;
    ctx.event = inst->req->in.event ? &*inst->req->in.event : nullptr;
    ctx.ext_data = inst->req->in.ext_data;
    ctx.upstream = inst->upstream;  // written before the instance was queued
    ctx.cancel = inst->token.get();
    ctx.page_event_count = inst->req->in.page_event_count;
    Result<TaskOutput> result = Status::Internal("task body did not run");
    try {
      result = spec.body->Run(ctx);
    } catch (const std::exception& e) {
      result = Status::Internal(std::string("task body threw: ") + e.what());
    } catch (...) {
      result = Status::Internal("task body threw a non-std exception");
    }

    l.lock();
    if (me->abandoned) return;  // outcome already delivered by the watchdog
    if (markers) markers->End(inst->marker_slot);
    running.erase(inst);
    TaskOutcome o = OutcomeOf(*inst);
    CircuitBreaker& breaker = BreakerFor(spec);
    if (result.ok()) {
      o.ok = true;
      o.value = std::move(result).value().value;
      breaker.RecordSuccess();
      if (crash_streaks.erase(spec.name)) SaveStreaksLocked();
    } else if (inst->deadline_hit) {
      o.error = TaskError::kTimeout;
      o.message = "deadline of " + std::to_string(spec.deadline_ms) + " ms passed: " +
                  result.status().ToString();
      breaker.RecordFailure(env->NowMicros());
    } else if (inst->shutdown_cancel) {
      o.error = TaskError::kCancelled;
      o.message = "scheduler shut down";
      breaker.RecordNeutral();
    } else {
      o.error = TaskError::kFailed;
      o.message = result.status().ToString();
      breaker.RecordFailure(env->NowMicros());
    }
    Complete(inst, std::move(o), out);
    idle_cv.notify_all();
  }

  // Ends a running instance whose worker is stuck, and replaces the worker.
  void AbandonLocked(const InstancePtr& inst, TaskError error, const std::string& message,
                     Deliveries* out) {
    std::shared_ptr<Worker> w = inst->worker;
    w->abandoned = true;
    if (w->thread.joinable()) w->thread.detach();
    workers.erase(std::remove(workers.begin(), workers.end(), w), workers.end());
    if (markers) markers->End(inst->marker_slot);
    running.erase(inst);
    TaskOutcome o = OutcomeOf(*inst);
    o.error = error;
    o.message = message;
    if (error == TaskError::kTimeout) BreakerFor(*inst->spec).RecordFailure(env->NowMicros());
    Complete(inst, std::move(o), out);
    if (!stopping) StartWorker(w->queue);
    Log(LogLevel::kWarn, "task " + inst->spec->name + " (" + inst->id + "): worker abandoned: " + message);
  }

  void WatchdogPass(Deliveries* out) {
    int64_t now = env->NowMicros();
    std::vector<InstancePtr> stuck;
    for (const InstancePtr& inst : running) {
      if (!inst->deadline_hit && now >= inst->deadline_us) {
        inst->deadline_hit = true;
        inst->token->Cancel();
      }
      if (inst->deadline_hit && now >= inst->deadline_us + opts.grace_ms * 1000) stuck.push_back(inst);
    }
    for (const InstancePtr& inst : stuck) {
      AbandonLocked(inst, TaskError::kTimeout,
                    "still running " + std::to_string(opts.grace_ms) + " ms after its deadline of " +
                        std::to_string(inst->spec->deadline_ms) + " ms",
                    out);
    }
  }

  void WatchdogLoop() {
    Deliveries out;
    std::unique_lock<std::mutex> l(mu);
    while (!watchdog_stop) {
      watchdog_cv.wait_for(l, std::chrono::milliseconds(opts.watchdog_interval_ms));
      if (watchdog_stop) break;
      WatchdogPass(&out);
      DeliverUnlocked(l, out);
    }
  }
};

// Checks `after` references and cycles among `tasks`.
Status ValidateGraph(const std::vector<TaskSpec>& tasks) {
  std::map<std::string, const TaskSpec*> by_name;
  for (const auto& t : tasks) by_name[t.name] = &t;
  for (const auto& t : tasks) {
    for (const auto& a : t.after) {
      if (!by_name.count(a)) {
        return Status::InvalidArgument("task " + t.name + ": unknown dependency \"" + a + "\" in after");
      }
    }
  }
  // Depth-first search with colours; on a back edge, report the cycle's path.
  std::map<std::string, int> colour;  // 0 white, 1 on stack, 2 done
  std::vector<std::string> stack;
  std::function<Status(const TaskSpec&)> visit = [&](const TaskSpec& t) -> Status {
    colour[t.name] = 1;
    stack.push_back(t.name);
    for (const auto& a : t.after) {
      if (colour[a] == 1) {
        std::string path;
        auto start = std::find(stack.begin(), stack.end(), a);
        for (auto it = start; it != stack.end(); ++it) path += *it + " -> ";
        return Status::InvalidArgument("dependency cycle in after: " + path + a);
      }
      if (colour[a] == 0) EF_RETURN_IF_ERROR(visit(*by_name[a]));
    }
    stack.pop_back();
    colour[t.name] = 2;
    return Status::OK();
  };
  for (const auto& t : tasks) {
    if (colour[t.name] == 0) EF_RETURN_IF_ERROR(visit(t));
  }
  return Status::OK();
}

class SchedulerImpl : public Scheduler {
 public:
  explicit SchedulerImpl(std::shared_ptr<Core> core) : core_(std::move(core)) {}
  ~SchedulerImpl() override { Shutdown(); }

  Status Install(const std::string& owner, std::vector<TaskSpec> tasks) override {
    std::set<std::string> names;
    for (const auto& t : tasks) {
      if (t.name.empty()) return Status::InvalidArgument("task with an empty name");
      if (!t.body) return Status::InvalidArgument("task " + t.name + ": no body");
      if (t.deadline_ms <= 0) return Status::InvalidArgument("task " + t.name + ": deadline must be positive");
      if (t.breaker.failures < 1) return Status::InvalidArgument("task " + t.name + ": breaker failures must be >= 1");
      if (!names.insert(t.name).second) return Status::InvalidArgument("duplicate task " + t.name);
    }
    EF_RETURN_IF_ERROR(ValidateGraph(tasks));
    Core& c = *core_;
    std::lock_guard<std::mutex> l(c.mu);
    for (const auto& t : tasks) {
      auto it = c.tasks.find(t.name);
      if (it != c.tasks.end()) {
        auto own = c.owner_tasks.find(owner);
        bool mine = own != c.owner_tasks.end() &&
                    std::count(own->second.begin(), own->second.end(), t.name) > 0;
        if (!mine) return Status::AlreadyExists("task " + t.name + " is installed by another owner");
      }
    }
    RemoveOwnerLocked(owner);
    int64_t now = c.env->NowMicros();
    auto& list = c.owner_tasks[owner];
    for (auto& t : tasks) {
      list.push_back(t.name);
      auto spec = std::make_shared<const TaskSpec>(std::move(t));
      auto b = c.breakers.find(spec->name);
      if (b == c.breakers.end()) {
        b = c.breakers.emplace(spec->name, CircuitBreaker(spec->breaker)).first;
      } else {
        b->second.set_config(spec->breaker);
      }
      if (auto pc = c.pending_crashes.find(spec->name); pc != c.pending_crashes.end()) {
        for (int i = 0; i < pc->second; ++i) b->second.RecordFailure(now);
        c.pending_crashes.erase(pc);
      }
      c.tasks[spec->name] = std::move(spec);
    }
    return Status::OK();
  }

  Status Uninstall(const std::string& owner) override {
    std::lock_guard<std::mutex> l(core_->mu);
    if (!core_->owner_tasks.count(owner)) return Status::NotFound("no tasks installed by " + owner);
    RemoveOwnerLocked(owner);
    return Status::OK();
  }

  bool HasTask(const std::string& name) const override {
    std::lock_guard<std::mutex> l(core_->mu);
    return core_->tasks.count(name) > 0;
  }

  std::string Submit(SubmitRequest in) override {
    Core& c = *core_;
    Deliveries out;
    std::string root_id;
    {
      std::unique_lock<std::mutex> l(c.mu);
      auto req = std::make_shared<Request>();
      req->submit_us = c.env->NowMicros();
      req->in = std::move(in);
      root_id = req->in.task + "#" + std::to_string(++c.next_id);
      auto root_spec = c.tasks.find(req->in.task);
      if (c.stopping || root_spec == c.tasks.end()) {
        TaskOutcome o;
        o.task = req->in.task;
        o.instance = root_id;
        o.trigger = req->in.trigger;
        o.error = c.stopping ? TaskError::kCancelled : TaskError::kNoSuchTask;
        o.message = c.stopping ? "scheduler shut down" : "no installed task named " + req->in.task;
        out.push_back({req->in.on_instance_done, o});
        out.push_back({req->in.on_done, o});
      } else {
        // The requested task and its transitive pre-dependencies.
        std::map<std::string, InstancePtr> made;
        std::function<InstancePtr(const std::shared_ptr<const TaskSpec>&)> make =
            [&](const std::shared_ptr<const TaskSpec>& spec) -> InstancePtr {
          if (auto it = made.find(spec->name); it != made.end()) return it->second;
          auto inst = std::make_shared<Instance>();
          inst->spec = spec;
          inst->req = req;
          inst->id = made.empty() ? root_id : spec->name + "#" + std::to_string(++c.next_id);
          made[spec->name] = inst;
          for (const auto& a : spec->after) {
            auto dep_spec = c.tasks.find(a);
            if (dep_spec == c.tasks.end()) continue;  // validated at install
            InstancePtr dep = make(dep_spec->second);
            dep->dependents.push_back(inst);
            ++inst->pending_deps;
          }
          return inst;
        };
        InstancePtr root = make(root_spec->second);
        req->root = root.get();
        req->remaining = static_cast<int>(made.size());
        c.live += req->remaining;
        for (auto& [name, inst] : made) {
          if (inst->pending_deps == 0) c.Enqueue(inst);
        }
      }
      c.DeliverUnlocked(l, out);
    }
    return root_id;
  }

  bool WaitIdle(int64_t timeout_ms) override {
    std::unique_lock<std::mutex> l(core_->mu);
    return core_->idle_cv.wait_for(l, std::chrono::milliseconds(timeout_ms),
                                   [&] { return core_->IdleLocked(); });
  }

  void Shutdown() override {
    Core& c = *core_;
    Deliveries out;
    std::vector<std::shared_ptr<Worker>> to_join;
    {
      std::unique_lock<std::mutex> l(c.mu);
      if (c.stopping) return;
      c.stopping = true;
      for (auto& q : c.ready) {
        while (!q.empty()) {
          InstancePtr inst = *q.begin();
          q.erase(q.begin());
          TaskOutcome o = c.OutcomeOf(*inst);
          o.error = TaskError::kCancelled;
          o.message = "scheduler shut down";
          c.Complete(inst, std::move(o), &out);
        }
      }
      for (const InstancePtr& inst : c.running) {
        inst->shutdown_cancel = true;
        inst->token->Cancel();
      }
      c.work_cv.notify_all();
      // Give running bodies the grace period to notice their tokens.
      c.idle_cv.wait_for(l, std::chrono::milliseconds(c.opts.grace_ms), [&] { return c.running.empty(); });
      std::vector<InstancePtr> stuck(c.running.begin(), c.running.end());
      for (const InstancePtr& inst : stuck) {
        c.AbandonLocked(inst, TaskError::kCancelled, "did not stop within the grace period at shutdown", &out);
      }
      to_join = c.workers;
      c.watchdog_stop = true;
      c.watchdog_cv.notify_all();
      c.DeliverUnlocked(l, out);
    }
    for (auto& w : to_join) {
      if (w->thread.joinable()) w->thread.join();
    }
    if (c.watchdog.joinable()) c.watchdog.join();
  }

  std::vector<CrashRecord> PreviousCrashes() const override { return core_->crashes; }

  void RunWatchdogOnce() override {
    Deliveries out;
    std::unique_lock<std::mutex> l(core_->mu);
    core_->WatchdogPass(&out);
    core_->DeliverUnlocked(l, out);
  }

 private:
  void RemoveOwnerLocked(const std::string& owner) {
    auto it = core_->owner_tasks.find(owner);
    if (it == core_->owner_tasks.end()) return;
    for (const auto& name : it->second) core_->tasks.erase(name);
    core_->owner_tasks.erase(it);
  }

  std::shared_ptr<Core> core_;
};

}  // namespace

Result<std::unique_ptr<Scheduler>> Scheduler::Open(const SchedulerOptions& options) {
  for (auto [n, name] : {std::pair{options.core_workers, "core_workers"},
                         {options.regular_workers, "regular_workers"},
                         {options.low_workers, "low_workers"}}) {
    if (n < 1 || n > 64) {
      return Status::InvalidArgument(std::string("SchedulerOptions.") + name + ": must be between 1 and 64");
    }
  }
  if (options.grace_ms < 0 || options.watchdog_interval_ms < 1) {
    return Status::InvalidArgument("SchedulerOptions: grace_ms must be >= 0 and watchdog_interval_ms >= 1");
  }
  auto core = std::make_shared<Core>();
  core->opts = options;
  core->env = options.env ? options.env : Env::Default();
  if (!options.crash_marker_path.empty()) {
    auto markers = CrashMarkers::Open(options.crash_marker_path);
    if (!markers.ok()) return markers.status();
    core->markers = std::move(markers).value();
    core->crashes = core->markers->Leftovers();
    core->streaks_path = options.crash_marker_path + ".streaks";
    auto text = core->env->ReadFile(core->streaks_path);
    if (text.ok()) {
      nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
      if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
          if (it.value().is_number_integer() && it.value().get<int64_t>() > 0) {
            core->crash_streaks[it.key()] = static_cast<int>(std::min<int64_t>(it.value().get<int64_t>(), 1000000));
          }
        }
      } else {
        Log(LogLevel::kWarn, core->streaks_path + ": not a JSON object; crash streaks start over");
      }
    }
    for (const auto& c : core->crashes) core->crash_streaks[c.task]++;
    if (!core->crashes.empty()) core->SaveStreaksLocked();
    core->pending_crashes = core->crash_streaks;
  }
  {
    std::lock_guard<std::mutex> l(core->mu);
    for (int i = 0; i < options.core_workers; ++i) core->StartWorker(QueueKind::kCore);
    for (int i = 0; i < options.regular_workers; ++i) core->StartWorker(QueueKind::kRegular);
    for (int i = 0; i < options.low_workers; ++i) core->StartWorker(QueueKind::kLow);
  }
  if (options.start_watchdog_thread) {
    Core* raw = core.get();
    core->watchdog = std::thread([raw] { raw->WatchdogLoop(); });
  }
  return std::unique_ptr<Scheduler>(new SchedulerImpl(std::move(core)));
}

}  // namespace edgeflow
