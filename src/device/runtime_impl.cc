// RuntimeImpl: the edgeflow::Runtime facade. It wires the parts together and
// holds no algorithm of its own: events go to the EventStore and the
// TriggerRouter, firings go to the Scheduler, outcomes go to the callers, the
// TopicBus and chained tasks.
#include <chrono>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <unordered_map>

#include "bundle/manifest.h"
#include "core/logging.h"
#include "core/metrics.h"
#include "device/checkpoint_writer.h"
#include "device/native_tasks.h"
#include "device/script_feature_ops.h"
#include "device/script_task.h"
#include "device/topic_bus.h"
#include "device/trigger_dispatcher.h"
#include "edgeflow/runtime.h"
#include "pipeline/pipeline.h"
#include "store/event_store.h"
#include "task/scheduler.h"
#include "task/timer.h"
#include "task/trigger.h"

namespace edgeflow {
namespace {

// Counts events per pageId for native:count. Striped so that concurrent Track()
// calls on different pages rarely share a lock.
class PageCounts {
 public:
  int64_t Increment(const std::string& page_id) {
    Stripe& s = StripeOf(page_id);
    std::lock_guard<std::mutex> l(s.mu);
    return ++s.counts[page_id];
  }
  int64_t Get(const std::string& page_id) {
    Stripe& s = StripeOf(page_id);
    std::lock_guard<std::mutex> l(s.mu);
    auto it = s.counts.find(page_id);
    return it == s.counts.end() ? 0 : it->second;
  }

 private:
  struct Stripe {
    std::mutex mu;
    std::unordered_map<std::string, int64_t> counts;  // guarded by mu
  };
  Stripe& StripeOf(const std::string& page_id) {
    return stripes_[std::hash<std::string>()(page_id) % kStripes];
  }
  static constexpr size_t kStripes = 16;
  Stripe stripes_[kStripes];
};

struct ApiKey {
  std::string system_code;
  std::string business_code;
  bool operator<(const ApiKey& o) const {
    return std::tie(system_code, business_code) < std::tie(o.system_code, o.business_code);
  }
};

// A bundle's pipeline (features and patterns) and what its matches do.
struct BundlePipeline {
  struct Action {
    std::string task;
    std::string broadcast;
    std::string message_json = "null";
  };
  std::unique_ptr<pipeline::Pipeline> pipeline;
  std::map<std::string, Action> actions;  // by pattern name
  int64_t since_checkpoint = 0;           // events processed since the last checkpoint
};

std::string CheckpointName(const std::string& bundle) { return "pipeline/" + bundle; }

std::string MatchJson(const pipeline::PatternMatch& m) {
  nlohmann::ordered_json j;
  j["pattern"] = m.pattern;
  j["key"] = m.key;
  j["ts"] = m.ts_ms;
  j["startTs"] = m.start_ts_ms;
  j["seqs"] = m.seqs;
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// What the runtime keeps of an installed bundle.
struct InstalledBundle {
  Manifest manifest;
  std::string dir;
  std::vector<TaskSpec> specs;  // with their bodies, to restore the scheduler
};

class RuntimeImpl : public Runtime {
 public:
  explicit RuntimeImpl(const RuntimeOptions& options)
      : options_(options),
        env_(options.env ? options.env : Env::Default()),
        natives_(std::make_shared<NativeTaskRegistry>()),
        tracked_(metrics_.GetCounter("events.tracked")),
        track_rejected_(metrics_.GetCounter("events.rejected")),
        fired_(metrics_.GetCounter("triggers.fired")) {
    auto services = std::make_shared<ScriptServices>();
    services->env = env_;
    services->sql = [this](const std::string& select, size_t max_rows) { return Sql(select, max_rows, 100); };
    // Scripts see every event tracked before the call: commit them first.
    services->events = [this](int64_t from, int64_t to, const std::string& type, const std::string& page,
                              size_t limit) -> Result<std::vector<Event>> {
      EF_RETURN_IF_ERROR(store_->Flush());
      return QueryEvents(from, to, type, page, limit);
    };
    services->emit = [this](const std::string& topic, const std::string& json) { bus_.Publish(topic, json); };
    services->compile = options_.compile_script;
    services->memory_bytes = options_.script_memory_bytes;
    services->metrics = &metrics_;
    script_services_ = std::move(services);
  }

  ~RuntimeImpl() override { Close(); }

  Status Init() {
    if (options_.data_dir.empty()) {
      return Status::InvalidArgument("RuntimeOptions.data_dir: must not be empty");
    }
    EF_RETURN_IF_ERROR(env_->CreateDirs(options_.data_dir));

    StoreOptions so;
    so.dir = options_.data_dir + "/events";
    so.tables = options_.tables;
    so.routes = options_.routes;
    so.encryption_key = options_.encryption_key;
    so.max_flush_delay_ms = options_.max_flush_delay_ms;
    so.env = env_;
    auto store = EventStore::Open(so);
    if (!store.ok()) return store.status();
    store_ = std::move(store).value();
    checkpoints_ = std::make_unique<CheckpointWriter>(store_.get());

    SchedulerOptions sched;
    sched.core_workers = options_.core_workers;
    sched.regular_workers = options_.regular_workers;
    sched.low_workers = options_.low_workers;
    sched.grace_ms = options_.watchdog_grace_ms;
    sched.crash_marker_path = options_.data_dir + "/crash_markers";
    sched.env = env_;
    auto scheduler = Scheduler::Open(sched);
    if (!scheduler.ok()) return scheduler.status();
    scheduler_ = std::move(scheduler).value();
    for (const auto& c : scheduler_->PreviousCrashes()) {
      metrics_.GetCounter("tasks." + c.task + ".crashed")->Add();
      Log(LogLevel::kWarn, "task " + c.task + " (instance " + c.instance +
                               ") was running when the previous process died");
    }

    timers_ = std::make_unique<TimerService>(env_);
    dispatcher_ = std::make_unique<TriggerDispatcher>([this](TriggerDispatcher::Firing&& f) {
      SubmitRequest req;
      req.task = std::move(f.task);
      req.trigger = TriggerKind::kEvent;
      req.event = std::move(f.event);
      req.page_event_count = f.page_event_count;
      Submit(std::move(req), nullptr);
    });
    return Status::OK();
  }

  // ---------------------------------------------------------------- bundles

  Status InstallBundle(const std::string& dir) override {
    if (closed_.load()) return Status::FailedPrecondition("runtime is closed");
    EF_ASSIGN_OR_RETURN(Manifest m, LoadManifestFromDir(dir));
    const std::string where = dir + "/manifest.json";
    if (!m.min_runtime_version.empty() &&
        CompareVersions(m.min_runtime_version, kRuntimeVersion) > 0) {
      return Status::FailedPrecondition(where + ": minRuntimeVersion " + m.min_runtime_version +
                                        " is newer than this runtime (" + kRuntimeVersion + ")");
    }

    // Features and patterns: parsed (and their expressions compiled) before anything changes.
    nlohmann::json root = nlohmann::json::parse(m.text, nullptr, false);
    auto read_resource = [this, &dir](const std::string& name) -> Result<std::string> {
      if (name.empty() || name[0] == '/' || name.find("..") != std::string::npos) {
        return Status::InvalidArgument("resource \"" + name + "\" must be a path inside the bundle");
      }
      return env_->ReadFile(dir + "/" + name);
    };
    EF_ASSIGN_OR_RETURN(auto spec, pipeline::ParsePipelineSpec(root, where, read_resource));
    EF_ASSIGN_OR_RETURN(pipeline::Pipeline::ScriptOpRunner script_ops,
                        MakeScriptFeatureOps(*spec, dir, where, *script_services_));
    std::map<std::string, BundlePipeline::Action> actions;
    for (size_t i = 0; i < spec->pattern_json.size(); ++i) {
      EF_ASSIGN_OR_RETURN(pipeline::PatternDef def, pipeline::ParsePatternDef(spec->pattern_json[i], where));
      if (!def.action_task.empty() &&
          std::none_of(m.tasks.begin(), m.tasks.end(), [&](const TaskDecl& t) { return t.name == def.action_task; })) {
        return Status::InvalidArgument(where + ": patterns[" + std::to_string(i) + "].action.task: unknown task \"" +
                                       def.action_task + "\"");
      }
      actions[def.name] = {def.action_task, def.action_broadcast, def.action_message_json};
    }

    std::lock_guard<std::mutex> install_lock(install_mu_);  // one install at a time
    // Names must not collide with another bundle's tasks or API routes.
    {
      std::shared_lock<std::shared_mutex> l(mu_);
      for (const auto& t : m.tasks) {
        auto it = task_owner_.find(t.name);
        if (it != task_owner_.end() && it->second != m.name) {
          return Status::AlreadyExists(where + ": task \"" + t.name +
                                       "\" is already installed by bundle \"" + it->second + "\"");
        }
      }
      for (const auto& r : m.api) {
        auto it = api_.find({r.system_code, r.business_code});
        if (it == api_.end()) continue;
        auto owner = task_owner_.find(it->second);
        if (owner != task_owner_.end() && owner->second != m.name) {
          return Status::AlreadyExists(where + ": API route " + r.system_code + "/" +
                                       r.business_code + " is already served by bundle \"" +
                                       owner->second + "\"");
        }
      }
    }

    std::vector<TaskSpec> specs;
    for (size_t i = 0; i < m.tasks.size(); ++i) {
      auto task_spec = SpecOf(m.tasks[i], dir, m.name);
      if (!task_spec.ok()) return task_spec.status().WithContext(where + ": tasks[" + std::to_string(i) + "].kind");
      specs.push_back(std::move(task_spec).value());
    }
    std::vector<TaskSpec> kept = specs;
    EF_RETURN_IF_ERROR(scheduler_->Install(m.name, std::move(specs)).WithContext(where));
    if (Status s = store_->AddRoutes(m.tables, m.routes); !s.ok()) {
      RestoreScheduler(m.name);
      return s.WithContext(where + ": storage");
    }

    std::string bundle_name = m.name;
    if (Status s = InstallPipeline(bundle_name, spec, std::move(script_ops), std::move(actions)); !s.ok()) {
      RestoreScheduler(bundle_name);
      return s.WithContext(where + ": pipeline");
    }
    router_.Set(m.name, m.triggers);
    timers_->Set(bundle_name, m.timers, [this](const std::string& task) { FireTimer(task); });
    {
      std::unique_lock<std::shared_mutex> l(mu_);
      RemoveBundleLocked(bundle_name);
      for (const auto& t : m.tasks) {
        task_owner_[t.name] = bundle_name;
        decls_[t.name] = t;
      }
      for (const auto& r : m.api) api_[{r.system_code, r.business_code}] = r.task;
      bundles_[bundle_name] = InstalledBundle{std::move(m), dir, std::move(kept)};
    }
    Log(LogLevel::kInfo, "installed bundle " + bundle_name + " from " + dir);
    return Status::OK();
  }

  Status UninstallBundle(const std::string& name) override {
    std::lock_guard<std::mutex> install_lock(install_mu_);
    {
      std::shared_lock<std::shared_mutex> l(mu_);
      if (!bundles_.count(name)) return Status::NotFound("no installed bundle named \"" + name + "\"");
    }
    router_.Remove(name);
    timers_->Remove(name);
    RemovePipeline(name);
    {
      std::unique_lock<std::shared_mutex> l(mu_);
      RemoveBundleLocked(name);
    }
    return scheduler_->Uninstall(name);
  }

  Status RegisterNativeTask(const std::string& name, NativeTaskFn fn) override {
    if (name.empty()) return Status::InvalidArgument("RegisterNativeTask: empty name");
    if (!fn) return Status::InvalidArgument("RegisterNativeTask(" + name + "): empty function");
    natives_->Register(name, std::move(fn));
    return Status::OK();
  }

  // ---------------------------------------------------------------- input

  Status Track(const Event& event) override {
    if (closed_.load(std::memory_order_relaxed)) {
      return Status::FailedPrecondition("runtime is closed");
    }
    if (event.type.empty() || event.page_id.empty()) {
      track_rejected_->Add();
      return Status::InvalidArgument("event: 'type' and 'pageId' must not be empty");
    }
    // Always under the ingest lock: an install that publishes the first
    // pipeline must not miss an event appended while it caught up.
    EF_RETURN_IF_ERROR(TrackThroughPipelines(event));
    tracked_->Add();
    int64_t page_count = page_counts_.Increment(event.page_id);

    thread_local std::vector<std::string> matched;
    matched.clear();
    router_.Match(event, &matched);
    for (const std::string& task : matched) {
      fired_->Add();
      dispatcher_->Push(task, event, page_count);
    }
    return Status::OK();
  }

  Status TrackJson(std::string_view event_json) override {
    auto e = ParseEvent(event_json);
    if (!e.ok()) {
      track_rejected_->Add();
      return e.status();
    }
    return Track(*e);
  }

  void Infer(const std::string& system_code, const std::string& business_code,
             const std::string& ext_data, InferCallbacks callbacks) override {
    auto cb = std::make_shared<InferCallbacks>(std::move(callbacks));
    // A call that never reaches the scheduler still produces one outcome, so
    // that listeners see every API call exactly once.
    auto fail = [&](TaskError error, const std::string& message) {
      TaskOutcome o;
      o.task = system_code + "/" + business_code;
      o.instance = "api#" + std::to_string(rejected_calls_.fetch_add(1) + 1);
      o.trigger = TriggerKind::kApi;
      o.error = error;
      o.message = message;
      Notify(o);
      Deliver(*cb, error, message);
    };
    if (closed_.load()) return fail(TaskError::kCancelled, "runtime is closed");
    std::string task;
    {
      std::shared_lock<std::shared_mutex> l(mu_);
      auto it = api_.find({system_code, business_code});
      if (it != api_.end()) task = it->second;
    }
    if (task.empty()) {
      return fail(TaskError::kNoSuchTask,
                  "no installed task serves " + system_code + "/" + business_code);
    }
    int64_t page_count = 0;
    if (!ext_data.empty()) {
      nlohmann::json j = nlohmann::json::parse(ext_data, nullptr, false);
      if (j.is_discarded()) return fail(TaskError::kBadInput, "extData is not valid JSON");
      if (j.is_object()) {
        auto p = j.find("pageId");
        if (p != j.end() && p->is_string()) page_count = page_counts_.Get(p->get<std::string>());
      }
    }
    SubmitRequest req;
    req.task = task;
    req.trigger = TriggerKind::kApi;
    req.ext_data = ext_data;
    req.page_event_count = page_count;
    Submit(std::move(req), [cb](const TaskOutcome& o) {
      if (o.ok) {
        Deliver(*cb, o.value);
      } else {
        Deliver(*cb, o.error, o.message);
      }
    });
  }

  // ---------------------------------------------------------------- output

  SubscriptionId Subscribe(const std::string& topic,
                           std::function<void(const std::string&, const std::string&)> fn) override {
    return bus_.Subscribe(topic, std::move(fn));
  }
  void Unsubscribe(SubscriptionId id) override { bus_.Unsubscribe(id); }

  void SetOutcomeListener(std::function<void(const TaskOutcome&)> fn) override {
    auto shared = fn ? std::make_shared<const std::function<void(const TaskOutcome&)>>(std::move(fn))
                     : nullptr;
    {
      std::lock_guard<std::mutex> l(listener_mu_);
      listener_ = std::move(shared);
      if (!listener_ || crashes_reported_) return;
      crashes_reported_ = true;
    }
    // The first listener learns of the instances that killed the previous process.
    for (const auto& c : scheduler_->PreviousCrashes()) {
      TaskOutcome o;
      o.task = c.task;
      o.instance = c.instance;
      o.trigger = c.trigger;
      o.error = TaskError::kCrashed;
      o.message = "the process died while this instance ran";
      Notify(o);
    }
  }

  // ---------------------------------------------------------------- reads

  Result<SqlRows> Sql(const std::string& select, size_t max_rows, int64_t max_time_ms) override {
    SqlLimits limits;
    limits.max_rows = max_rows;
    limits.max_time_ms = max_time_ms;
    EF_ASSIGN_OR_RETURN(SqlResult r, store_->Sql(select, limits));
    return SqlRows{std::move(r.columns), std::move(r.rows)};
  }

  Result<std::vector<Event>> QueryEvents(int64_t from_ms, int64_t to_ms, const std::string& type,
                                         const std::string& page_id, size_t limit) override {
    EventQuery q;
    q.from_ms = from_ms;
    q.to_ms = to_ms;
    q.type = type;
    q.page_id = page_id;
    q.limit = limit;
    return store_->Query(q);
  }

  Result<std::string> Feature(const std::string& bundle, const std::string& name,
                              const std::string& key) override {
    std::lock_guard<std::mutex> l(ingest_mu_);
    EF_ASSIGN_OR_RETURN(BundlePipeline * bp, FindPipelineLocked(bundle));
    EF_ASSIGN_OR_RETURN(pipeline::FeatureValue v, bp->pipeline->Get(name, key));
    return pipeline::FeatureValueToJson(v);
  }

  Result<std::string> Features(const std::string& bundle, const std::string& key) override {
    std::lock_guard<std::mutex> l(ingest_mu_);
    EF_ASSIGN_OR_RETURN(BundlePipeline * bp, FindPipelineLocked(bundle));
    std::string out = "{";
    for (const auto& [name, value] : bp->pipeline->Snapshot(key)) {
      if (out.size() > 1) out += ",";
      out += nlohmann::json(name).dump() + ":" + pipeline::FeatureValueToJson(value);
    }
    return out + "}";
  }

  Result<std::string> DumpFeatures(const std::string& bundle) override {
    std::lock_guard<std::mutex> l(ingest_mu_);
    EF_ASSIGN_OR_RETURN(BundlePipeline * bp, FindPipelineLocked(bundle));
    return bp->pipeline->DumpJson();
  }

  void SetMatchListener(std::function<void(const std::string&, const std::string&)> fn) override {
    auto shared = fn ? std::make_shared<const std::function<void(const std::string&, const std::string&)>>(std::move(fn))
                     : nullptr;
    std::lock_guard<std::mutex> l(listener_mu_);
    match_listener_ = std::move(shared);
  }

  std::vector<CrashedTask> PreviousCrashes() override {
    std::vector<CrashedTask> out;
    for (const auto& c : scheduler_->PreviousCrashes()) out.push_back({c.task, c.instance});
    return out;
  }

  std::string MetricsJson() override {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(metrics_.ToJson());
    StoreStats s = store_->Stats();
    j["store"] = {{"appended", s.appended},         {"persisted", s.persisted},
                  {"pending", s.pending},           {"write_errors", s.write_errors},
                  {"retention_deleted", s.retention_deleted}, {"last_error", s.last_error}};
    {
      std::lock_guard<std::mutex> l(ingest_mu_);
      for (const auto& [name, bp] : pipelines_) {
        pipeline::PipelineStats p = bp->pipeline->Stats();
        j["pipelines"][name] = {{"accepted", p.accepted},         {"late", p.late},
                                {"duplicates", p.duplicates},     {"value_errors", p.value_errors},
                                {"transform_errors", p.transform_errors}, {"script_errors", p.script_errors}, {"evicted_keys", p.evicted_keys},
                                {"keys", p.keys},                 {"matches", p.matches},
                                {"partial_matches", p.partial_matches},
                                {"partial_matches_peak", p.partial_matches_peak},
                                {"state_bytes", p.approx_bytes}};
      }
    }
    if (checkpoints_) {
      j["checkpoints"] = {{"written", checkpoints_->written()}, {"failed", checkpoints_->failed()}};
    }
    return j.dump();
  }

  // ---------------------------------------------------------------- lifecycle

  bool WaitIdle(int64_t timeout_ms) override {
    const int64_t deadline = env_->NowMicros() + timeout_ms * 1000;
    if (!dispatcher_->WaitDrained(timeout_ms)) return false;
    return scheduler_->WaitIdle(std::max<int64_t>(0, (deadline - env_->NowMicros()) / 1000));
  }

  Status Flush() override { return store_->Flush(); }

  Status Close() override {
    if (closed_.exchange(true)) return Status::OK();
    if (timers_) timers_->Stop();
    if (dispatcher_) dispatcher_->Stop();  // queued firings reach the scheduler, which cancels them
    if (scheduler_) scheduler_->Shutdown();
    Status checkpoint = Status::OK();
    if (checkpoints_) {
      checkpoints_->Stop();
      std::lock_guard<std::mutex> l(ingest_mu_);
      for (const auto& [name, bp] : pipelines_) {
        std::string blob;
        bp->pipeline->Save(&blob);
        Status s = store_->PutState(CheckpointName(name), blob);
        if (!s.ok() && checkpoint.ok()) checkpoint = s.WithContext("checkpoint of bundle " + name);
      }
    }
    Status closed = store_ ? store_->Close() : Status::OK();
    return closed.ok() ? checkpoint : closed;
  }

 private:
  // Submits a request; every instance outcome goes through OnInstanceDone, and
  // `on_done` (may be null) gets the requested task's own outcome.
  void Submit(SubmitRequest req, OutcomeFn on_done) {
    req.on_instance_done = [this](const TaskOutcome& o) { OnInstanceDone(o); };
    req.on_done = std::move(on_done);
    scheduler_->Submit(std::move(req));
  }

  void FireTimer(const std::string& task) {
    if (closed_.load()) return;
    fired_->Add();
    SubmitRequest req;
    req.task = task;
    req.trigger = TriggerKind::kTimer;
    Submit(std::move(req), nullptr);
  }

  // Delivery: metrics, the outcome listener, broadcast and chaining.
  void OnInstanceDone(const TaskOutcome& o) {
    metrics_.GetHistogram("tasks." + o.task + ".latency_us")->Record(o.latency_us);
    metrics_.GetCounter("tasks." + o.task + (o.ok ? ".ok" : std::string(".") + TaskErrorName(o.error)))
        ->Add();
    Notify(o);
    if (!o.ok) return;
    std::string broadcast, chain;
    {
      std::shared_lock<std::shared_mutex> l(mu_);
      auto it = decls_.find(o.task);
      if (it == decls_.end()) return;
      broadcast = it->second.broadcast;
      chain = it->second.chain;
    }
    const std::string value = o.value.value_or("null");
    if (!broadcast.empty()) bus_.Publish(broadcast, value);
    if (!chain.empty() && !closed_.load()) {
      SubmitRequest req;
      req.task = chain;
      req.trigger = TriggerKind::kChain;
      req.ext_data = value;
      Submit(std::move(req), nullptr);
    }
  }

  // Calls the outcome listener, if any; exceptions from app code stop here.
  void Notify(const TaskOutcome& o) {
    std::shared_ptr<const std::function<void(const TaskOutcome&)>> listener;
    {
      std::lock_guard<std::mutex> l(listener_mu_);
      listener = listener_;
    }
    if (listener) {
      try {
        (*listener)(o);
      } catch (...) {
        Log(LogLevel::kWarn, "outcome listener threw");
      }
    }
  }

  // Exactly one callback per Infer(); exceptions from app code stop here.
  static void Deliver(const InferCallbacks& cb, const std::optional<std::string>& value) {
    try {
      if (value) {
        if (cb.on_value) cb.on_value(*value);
      } else if (cb.on_empty) {
        cb.on_empty();
      }
    } catch (...) {
      Log(LogLevel::kWarn, "Infer callback threw");
    }
  }
  static void Deliver(const InferCallbacks& cb, TaskError error, const std::string& message) {
    try {
      if (cb.on_error) cb.on_error(error, message);
    } catch (...) {
      Log(LogLevel::kWarn, "Infer error callback threw");
    }
  }

  // The scheduler's view of a declared task, with its body resolved from `kind`.
  Result<TaskSpec> SpecOf(const TaskDecl& d, const std::string& dir, const std::string& bundle) {
    std::shared_ptr<TaskBody> body;
    if (IsScriptKind(d.kind)) {
      // Scripts read their own bundle's features.
      auto services = std::make_shared<ScriptServices>(*script_services_);
      services->feature = [this, bundle](const std::string& name, const std::string& key) {
        return Feature(bundle, name, key);
      };
      services->features = [this, bundle](const std::string& key) { return Features(bundle, key); };
      EF_ASSIGN_OR_RETURN(body, MakeScriptBody(d.kind, dir, std::move(services)));
    } else {
      EF_ASSIGN_OR_RETURN(body, MakeNativeBody(d.kind, natives_, env_));
    }
    TaskSpec s;
    s.name = d.name;
    s.kind = d.kind;
    s.queue = d.queue;
    s.priority = d.priority;
    s.after = d.after;
    s.deadline_ms = d.deadline_ms;
    s.breaker = d.breaker;
    s.body = std::move(body);
    return s;
  }

  // ---------------------------------------------------------------- pipelines

  Result<BundlePipeline*> FindPipelineLocked(const std::string& bundle) {
    auto it = pipelines_.find(bundle);
    if (it == pipelines_.end()) {
      return Status::NotFound("bundle \"" + bundle + "\" is not installed or defines no features or patterns");
    }
    return it->second.get();
  }

  // Feeds the stored events after the pipeline's last seq to it (no actions).
  // Replays the stored events after p.last_seq() into `p`. A long replay (a
  // backfill over a large store) logs its progress every million events and
  // its total at the end.
  Status CatchUp(const std::string& bundle, pipeline::Pipeline& p) {
    EF_RETURN_IF_ERROR(store_->Flush());
    constexpr int64_t kProgressEvery = 1'000'000;
    const auto start = std::chrono::steady_clock::now();
    int64_t replayed = 0;
    for (;;) {
      EF_ASSIGN_OR_RETURN(std::vector<SeqEvent> page, store_->ReadSince(p.last_seq(), 10000));
      if (page.empty()) break;
      for (const SeqEvent& e : page) p.Process(e.event, e.seq, nullptr);
      const int64_t before = replayed;
      replayed += static_cast<int64_t>(page.size());
      if (replayed / kProgressEvery != before / kProgressEvery) {
        Log(LogLevel::kInfo, "bundle " + bundle + ": features replayed " + std::to_string(replayed) +
                                 " stored events (up to seq " + std::to_string(p.last_seq()) + ")");
      }
    }
    if (replayed >= kProgressEvery) {
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      Log(LogLevel::kInfo, "bundle " + bundle + ": features caught up on " + std::to_string(replayed) +
                               " stored events in " + std::to_string(static_cast<int64_t>(s * 1000)) + " ms");
    }
    return Status::OK();
  }

  // Builds the bundle's pipeline: from its checkpoint when the definitions are
  // unchanged, else from every stored event (backfill); then makes it live.
  Status InstallPipeline(const std::string& bundle, std::shared_ptr<const pipeline::PipelineSpec> spec,
                         pipeline::Pipeline::ScriptOpRunner script_ops,
                         std::map<std::string, BundlePipeline::Action> actions) {
    if (spec->empty()) {
      RemovePipeline(bundle);
      return Status::OK();
    }
    auto bp = std::make_unique<BundlePipeline>();
    EF_ASSIGN_OR_RETURN(bp->pipeline, pipeline::Pipeline::Create(spec));
    bp->pipeline->SetScriptOpRunner(std::move(script_ops));
    bp->actions = std::move(actions);
    EF_ASSIGN_OR_RETURN(std::optional<std::string> saved, store_->GetState(CheckpointName(bundle)));
    if (saved) {
      Status s = bp->pipeline->Restore(*saved);
      if (!s.ok()) Log(LogLevel::kInfo, "bundle " + bundle + ": backfilling features (" + s.message() + ")");
    }
    // Most of the history without blocking Track(), the rest under the ingest lock.
    EF_RETURN_IF_ERROR(CatchUp(bundle, *bp->pipeline));
    std::lock_guard<std::mutex> l(ingest_mu_);
    EF_RETURN_IF_ERROR(CatchUp(bundle, *bp->pipeline));
    pipelines_[bundle] = std::move(bp);
    return Status::OK();
  }

  void RemovePipeline(const std::string& bundle) {
    std::lock_guard<std::mutex> l(ingest_mu_);
    if (!pipelines_.erase(bundle)) return;
    checkpoints_->Cancel(CheckpointName(bundle));
    Status s = store_->DeleteState(CheckpointName(bundle));
    if (!s.ok()) Log(LogLevel::kWarn, "bundle " + bundle + ": cannot delete its checkpoint: " + s.ToString());
  }

  // Appends the event and runs every pipeline on it, in seq order (the ingest
  // lock makes append + processing one step); then fires pattern actions.
  Status TrackThroughPipelines(const Event& event) {
    std::vector<std::pair<std::string, pipeline::PatternMatch>> fired;
    std::vector<std::pair<std::string, BundlePipeline::Action>> actions;
    {
      std::lock_guard<std::mutex> l(ingest_mu_);
      int64_t seq = 0;
      EF_RETURN_IF_ERROR(store_->Append(event, &seq));
      thread_local std::vector<pipeline::PatternMatch> matches;
      for (auto& [name, bp] : pipelines_) {
        matches.clear();
        bp->pipeline->Process(event, seq, &matches);
        for (auto& m : matches) {
          auto a = bp->actions.find(m.pattern);
          actions.emplace_back(name, a == bp->actions.end() ? BundlePipeline::Action() : a->second);
          fired.emplace_back(name, std::move(m));
        }
        const int64_t every = bp->pipeline->spec().config.checkpoint_every_events;
        if (every > 0 && ++bp->since_checkpoint >= every) {
          bp->since_checkpoint = 0;
          std::string blob;
          bp->pipeline->Save(&blob);
          checkpoints_->Post(CheckpointName(name), std::move(blob));
        }
      }
    }
    if (fired.empty()) return Status::OK();
    std::shared_ptr<const std::function<void(const std::string&, const std::string&)>> listener;
    {
      std::lock_guard<std::mutex> l(listener_mu_);
      listener = match_listener_;
    }
    for (size_t i = 0; i < fired.size(); ++i) {
      const auto& [bundle, m] = fired[i];
      const BundlePipeline::Action& a = actions[i].second;
      metrics_.GetCounter("patterns." + m.pattern + ".matched")->Add();
      const std::string json = MatchJson(m);
      if (listener) {
        try {
          (*listener)(bundle, json);
        } catch (...) {
          Log(LogLevel::kWarn, "match listener threw");
        }
      }
      if (!a.broadcast.empty()) {
        nlohmann::ordered_json j;
        j["pattern"] = m.pattern;
        j["key"] = m.key;
        j["ts"] = m.ts_ms;
        j["message"] = nlohmann::ordered_json::parse(a.message_json, nullptr, false);
        bus_.Publish(a.broadcast, j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
      }
      if (!a.task.empty() && !closed_.load()) {
        fired_->Add();
        SubmitRequest req;
        req.task = a.task;
        req.trigger = TriggerKind::kPattern;
        req.ext_data = json;
        Submit(std::move(req), nullptr);
      }
    }
    return Status::OK();
  }

  // Puts back the scheduler tasks of the bundle as installed before a failed install.
  void RestoreScheduler(const std::string& name) {
    std::shared_lock<std::shared_mutex> l(mu_);
    auto it = bundles_.find(name);
    if (it == bundles_.end()) {
      scheduler_->Uninstall(name);
      return;
    }
    std::vector<TaskSpec> specs = it->second.specs;
    Status s = scheduler_->Install(name, std::move(specs));
    if (!s.ok()) Log(LogLevel::kError, "cannot restore bundle " + name + ": " + s.ToString());
  }

  void RemoveBundleLocked(const std::string& name) {
    auto it = bundles_.find(name);
    if (it == bundles_.end()) return;
    for (const auto& t : it->second.manifest.tasks) {
      task_owner_.erase(t.name);
      decls_.erase(t.name);
    }
    for (const auto& r : it->second.manifest.api) api_.erase({r.system_code, r.business_code});
    bundles_.erase(it);
  }

  // Constant after construction.
  const RuntimeOptions options_;
  Env* const env_;
  const std::shared_ptr<NativeTaskRegistry> natives_;
  std::shared_ptr<const ScriptServices> script_services_;  // set in the constructor
  MetricsRegistry metrics_;
  Counter* const tracked_;
  Counter* const track_rejected_;
  Counter* const fired_;

  // Set by Init(), then constant (the objects themselves are thread-safe).
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<TimerService> timers_;
  std::unique_ptr<TriggerDispatcher> dispatcher_;
  TriggerRouter router_;
  TopicBus bus_;
  PageCounts page_counts_;
  std::atomic<bool> closed_{false};
  std::atomic<int64_t> rejected_calls_{0};  // numbers the ids of calls refused before scheduling

  std::mutex install_mu_;  // serialises InstallBundle / UninstallBundle

  // Pipelines: the ingest lock orders store appends and pipeline processing.
  std::unique_ptr<CheckpointWriter> checkpoints_;  // set by Init()
  std::mutex ingest_mu_;
  std::map<std::string, std::unique_ptr<BundlePipeline>> pipelines_;  // guarded by ingest_mu_

  mutable std::shared_mutex mu_;
  std::map<std::string, InstalledBundle> bundles_;    // guarded by mu_
  std::map<std::string, std::string> task_owner_;     // task -> bundle; guarded by mu_
  std::map<std::string, TaskDecl> decls_;             // task -> declaration; guarded by mu_
  std::map<ApiKey, std::string> api_;                 // route -> task; guarded by mu_

  std::mutex listener_mu_;
  std::shared_ptr<const std::function<void(const TaskOutcome&)>> listener_;  // guarded by listener_mu_
  bool crashes_reported_ = false;                                            // guarded by listener_mu_
  std::shared_ptr<const std::function<void(const std::string&, const std::string&)>>
      match_listener_;  // guarded by listener_mu_
};

}  // namespace

Result<std::unique_ptr<Runtime>> Runtime::Open(const RuntimeOptions& options) {
  auto rt = std::make_unique<RuntimeImpl>(options);
  Status s = rt->Init();
  if (!s.ok()) return s;
  return std::unique_ptr<Runtime>(std::move(rt));
}

}  // namespace edgeflow
