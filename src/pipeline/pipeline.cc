// Pipeline: acceptance (lateness, duplicates), per-key feature state grouped
// by keyBy, derived features, patterns, and checkpoints (pipeline.h).
#include "pipeline/pipeline.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "pipeline/hyperloglog.h"
#include "pipeline/key_table.h"
#include "pipeline/state_codec.h"

namespace edgeflow::pipeline {
namespace {

constexpr uint8_t kCheckpointVersion = 2;  // 2: distinct sets hold hashes
constexpr int64_t kNoTime = std::numeric_limits<int64_t>::min();

int64_t FloorMod(int64_t a, int64_t b) {
  int64_t m = a % b;
  return m < 0 ? m + b : m;
}

uint64_t Fingerprint(const Event& e) {
  uint64_t h = 0x9e3779b97f4a7c15ull;
  auto mix = [&h](uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
  };
  std::hash<std::string_view> hs;
  mix(hs(e.type));
  mix(hs(e.kind));
  mix(hs(e.page_id));
  mix(hs(e.click_id));
  mix(hs(e.item_id));
  mix(static_cast<uint64_t>(e.ts_ms));
  mix(hs(e.props));
  return h;
}

// What a feature's events must pass and what they add: indexes of its
// interned expressions (-1: none), and whether it is a rate (two filters).
struct Uses {
  int filter = -1, value = -1, numerator = -1, denominator = -1;
  bool rate = false;
};

// Features that share a keyBy share one key extraction and one state map.
struct Group {
  KeySpec key;
  bool keyed = false;
  std::vector<size_t> features;  // per slot: the feature whose definition drives the state (others may share it)
  int64_t max_keys = 0;
  std::unique_ptr<KeyTable> table;  // per key, the states of `features` (made once the slots are known)
  std::vector<Uses> steps;          // per slot, its feature's Uses: the per-event loop reads no definition
};

}  // namespace

Result<std::shared_ptr<const PipelineSpec>> ParsePipelineSpec(const nlohmann::json& manifest,
                                                              std::string_view where,
                                                              const Transform::ResourceReader& read_resource) {
  const std::string at(where);
  auto spec = std::make_shared<PipelineSpec>();
  auto cfg = manifest.find("pipeline");
  EF_ASSIGN_OR_RETURN(spec->config, ParsePipelineConfig(cfg == manifest.end() ? nullptr : &*cfg, at + ": pipeline"));
  std::string canon = nlohmann::json{{"lateness", spec->config.allowed_lateness_ms},
                                     {"dedup", spec->config.dedup}}.dump();
  if (auto f = manifest.find("features"); f != manifest.end()) {
    EF_ASSIGN_OR_RETURN(spec->features, ParseFeatureDefs(*f, at + ": features", read_resource));
  }
  for (const auto& f : spec->features) canon += "\n" + f.canonical;
  if (auto p = manifest.find("patterns"); p != manifest.end()) {
    if (!p->is_array()) return Status::InvalidArgument(at + ": patterns: expected an array");
    if (p->size() > 1000) return Status::InvalidArgument(at + ": patterns: at most 1000 patterns per bundle");
    std::vector<std::string> names;
    for (size_t i = 0; i < p->size(); ++i) {
      const std::string el = at + ": patterns[" + std::to_string(i) + "]";
      EF_ASSIGN_OR_RETURN(PatternDef def, ParsePatternDef((*p)[i], el));
      if (std::find(names.begin(), names.end(), def.name) != names.end()) {
        return Status::InvalidArgument(el + ".name: \"" + def.name + "\" is defined twice");
      }
      names.push_back(def.name);
      spec->pattern_json.push_back((*p)[i]);
      canon += "\n" + (*p)[i].dump();
    }
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(HashForSketch(canon)));
  spec->fingerprint = hex;
  return std::shared_ptr<const PipelineSpec>(std::move(spec));
}

struct Pipeline::Impl {
  std::shared_ptr<const PipelineSpec> spec;
  const std::vector<FeatureDef>* features = nullptr;
  std::unordered_map<std::string, size_t> by_name;

  // Expressions, deduplicated by source so that each is evaluated once per event.
  std::vector<const Expr*> exprs;
  std::vector<Uses> uses;                 // per feature
  std::vector<uint64_t> expr_gen;         // event generation the cached result belongs to
  std::vector<uint8_t> expr_truth;        // cached Test()
  std::vector<Value> expr_value;          // cached Eval()
  std::vector<uint8_t> expr_ok;           // Eval() succeeded
  std::vector<uint8_t> expr_needs_value;  // some feature reads its value (else Test() is enough)
  uint64_t gen = 0;
  uint64_t lookup_gen = UINT64_MAX;        // EntryOf's cache: valid for this gen and key
  bool lookup_pinned = false;              // set by a snapshot: every read is of lookup_key
  mutable size_t last_save_bytes = 0;      // the last checkpoint's size (Save reserves it)
  std::string lookup_key;
  std::vector<KeyTable::Id> lookup;

  std::vector<Group> groups;
  std::vector<std::pair<size_t, size_t>> slot_of;  // feature -> (group, slot); groups.size() when none
  std::vector<FeatureValue> empty_result;          // per feature: the value with no events

  std::unique_ptr<CepEngine> cep;  // rebuilt empty by Reset()

  // Process's updates of one group, in slot order (kept to reuse its buffer).
  struct Update {
    size_t slot;
    uint32_t flags;
    const Value* value;  // into expr_value, or a None: stable for the event
  };
  std::vector<Update> pending;

  Status BuildCep() {
    cep = std::make_unique<CepEngine>();
    for (size_t i = 0; i < spec->pattern_json.size(); ++i) {
      EF_ASSIGN_OR_RETURN(PatternDef def, ParsePatternDef(spec->pattern_json[i], "patterns[" + std::to_string(i) + "]"));
      EF_RETURN_IF_ERROR(cep->Add(std::move(def)));
    }
    return Status::OK();
  }

  // The keyBy group whose keys a feature prints (a ratio: its first input's).
  size_t BaseGroup(size_t fi) const {
    const FeatureDef& f = (*features)[fi];
    if (f.kind == FeatureDef::Kind::kRatio) return BaseGroup(f.inputs[0]);
    if (f.kind == FeatureDef::Kind::kScript) {
      for (size_t in : f.inputs) {
        if ((*features)[in].keyed) return BaseGroup(in);
      }
      return groups.size();
    }
    return slot_of[fi].first;
  }

  Pipeline::ScriptOpRunner script_runner;

  // Acceptance state.
  int64_t last_seq = 0;
  int64_t max_ts = kNoTime;
  std::vector<std::pair<int64_t, uint64_t>> dedup_heap;  // min-heap by ts
  std::unordered_map<uint64_t, int64_t> dedup_seen;     // fingerprint -> ts
  PipelineStats stats;

  int Intern(const std::shared_ptr<const Expr>& e, std::unordered_map<std::string, int>* by_source) {
    if (!e) return -1;
    auto [it, added] = by_source->emplace(e->source(), static_cast<int>(exprs.size()));
    if (added) exprs.push_back(e.get());
    return it->second;
  }

  bool Truth(int i, const EventView& v) {
    if (expr_gen[i] != gen) Evaluate(i, v);
    return expr_truth[i];
  }
  const Value* ValueOf(int i, const EventView& v) {
    if (expr_gen[i] != gen) Evaluate(i, v);
    return expr_ok[i] ? &expr_value[i] : nullptr;
  }
  void Evaluate(int i, const EventView& v) {
    expr_gen[i] = gen;
    if (!expr_needs_value[i]) {  // a filter: truth only, no Value built
      expr_ok[i] = 1;
      expr_truth[i] = exprs[i]->Test(v);
      return;
    }
    auto r = exprs[i]->Eval(v);
    expr_ok[i] = r.ok();
    if (r.ok()) {
      expr_truth[i] = Truthy(*r);
      expr_value[i] = std::move(r).value();
    } else {
      expr_truth[i] = false;
    }
  }

  void PruneDedup() {
    const __int128 horizon = static_cast<__int128>(max_ts) - spec->config.allowed_lateness_ms;
    auto later = [](const auto& a, const auto& b) { return a.first > b.first; };
    while (!dedup_heap.empty() && dedup_heap.front().first < horizon) {
      dedup_seen.erase(dedup_heap.front().second);
      std::pop_heap(dedup_heap.begin(), dedup_heap.end(), later);
      dedup_heap.pop_back();
    }
  }

  bool Process(const Event& e, int64_t seq, std::vector<PatternMatch>* matches) {
    if (seq != 0 && seq <= last_seq) return false;  // already processed (a replay after a restore)
    if (seq != 0) last_seq = seq;
    const PipelineConfig& cfg = spec->config;
    if (max_ts != kNoTime && static_cast<__int128>(e.ts_ms) < static_cast<__int128>(max_ts) - cfg.allowed_lateness_ms) {
      ++stats.late;
      return false;
    }
    uint64_t fp = 0;
    if (cfg.dedup) {
      fp = Fingerprint(e);
      if (dedup_seen.count(fp)) {
        ++stats.duplicates;
        return false;
      }
    }
    ++stats.accepted;
    max_ts = max_ts == kNoTime ? e.ts_ms : std::max(max_ts, e.ts_ms);
    if (cfg.dedup) {
      dedup_seen.emplace(fp, e.ts_ms);
      dedup_heap.emplace_back(e.ts_ms, fp);
      std::push_heap(dedup_heap.begin(), dedup_heap.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      PruneDedup();
    }
    const int64_t now = max_ts;
    EventView view(e, seq);
    ++gen;
    static const Value kNone;
    for (Group& g : groups) {
      std::optional<std::string> key;
      KeyTable::Id entry = KeyTable::kNone;
      bool key_done = false;
      // The updates are applied after every filter of the group ran, each
      // state prefetched when its filter passed: the states' cache misses
      // overlap. The order of the updates is the slots' order, as before.
      pending.clear();
      for (size_t slot = 0; slot < g.steps.size(); ++slot) {
        const Uses& u = g.steps[slot];
        if (u.filter >= 0 && !Truth(u.filter, view)) continue;
        uint32_t flags = 0;
        if (u.rate) {
          if (Truth(u.numerator, view)) flags |= kRateNumerator;
          if (Truth(u.denominator, view)) flags |= kRateDenominator;
          if (!flags) continue;
        }
        const Value* value = nullptr;
        if (u.value >= 0) {
          value = ValueOf(u.value, view);
          if (!value) {
            ++stats.value_errors;
            continue;
          }
          if (value->is_none()) continue;
        }
        if (!key_done) {
          key_done = true;
          key = g.keyed ? g.key.KeyOf(view) : std::optional<std::string>(std::string());
        }
        if (!key) break;
        if (entry == KeyTable::kNone) entry = g.table->Touch(*key, &stats.evicted_keys);
        g.table->Prefetch(entry, slot);
        pending.push_back(Update{slot, flags, value ? value : &kNone});
      }
      for (const Update& up : pending) {
        g.table->StateOrMake(entry, up.slot)->Add(*up.value, e.ts_ms, seq, up.flags, now);
      }
    }
    if (cep->pattern_count() > 0) {
      size_t before = matches ? matches->size() : 0;
      std::vector<PatternMatch> local;
      cep->Process(view, now, matches ? matches : &local);
      stats.matches += static_cast<int64_t>((matches ? matches->size() : local.size()) - (matches ? before : 0));
    }
    return true;
  }

  // Reads of one key look each group's entry up once (a snapshot reads every
  // feature of a key); the lookups stay valid until the next accepted event.
  static constexpr KeyTable::Id kUnresolved = KeyTable::kNone - 1;
  // Starts EntryOf's cache over for `key`.
  void ResetLookup(std::string_view key) {
    lookup_gen = gen;
    lookup_key.assign(key);
    lookup.assign(groups.size(), kUnresolved);
  }
  KeyTable::Id EntryOf(size_t gi, std::string_view key) {
    if (!lookup_pinned && (lookup_gen != gen || lookup_key != key)) ResetLookup(key);
    if (lookup[gi] == kUnresolved) {
      Group& g = groups[gi];
      lookup[gi] = g.table->Find(g.keyed ? std::string_view(lookup_key) : std::string_view());
    }
    return lookup[gi];
  }

  WindowState* StateOf(size_t fi, std::string_view key) {
    auto [gi, slot] = slot_of[fi];
    if (gi >= groups.size()) return nullptr;
    KeyTable::Id id = EntryOf(gi, key);
    return id == KeyTable::kNone ? nullptr : groups[gi].table->State(id, slot);
  }

  // The value before the transform.
  FeatureValue Raw(size_t fi, std::string_view key) {
    FeatureValue v;
    RawInto(fi, key, &v);
    return v;
  }
  // The same into *out, reusing its buffers (aggregates build lists and maps in place).
  void RawInto(size_t fi, std::string_view key, FeatureValue* out) {
    const FeatureDef& f = (*features)[fi];
    if (f.kind == FeatureDef::Kind::kAggregate) {
      WindowState* s = StateOf(fi, key);
      if (!s || max_ts == kNoTime) {
        *out = empty_result[fi];
      } else {
        s->ResultInto(max_ts, f.agg, out);
      }
      return;
    }
    *out = RawOther(fi, key);
  }
  // Raw for the kinds other than aggregates.
  FeatureValue RawOther(size_t fi, std::string_view key) {
    const FeatureDef& f = (*features)[fi];
    switch (f.kind) {
      case FeatureDef::Kind::kScript: {  // as a ratio's input; Compute() counts its errors
        auto v = RunScript(fi, key);
        if (!v.ok()) ++stats.script_errors;
        return v.ok() ? std::move(v).value() : FeatureValue::None();
      }
      case FeatureDef::Kind::kContext: {
        if (max_ts == kNoTime) return FeatureValue::None();
        if (f.context_field == "now") return FeatureValue::Scalar(Value::Int(max_ts));
        if (f.context_field == "hour") return FeatureValue::Scalar(Value::Int(FloorMod(max_ts, 86400000) / 3600000));
        // 1970-01-01 was a Thursday (weekday 3).
        int64_t days = (max_ts - FloorMod(max_ts, 86400000)) / 86400000;
        return FeatureValue::Scalar(Value::Int(FloorMod(days + 3, 7)));
      }
      case FeatureDef::Kind::kRatio: {
        FeatureValue a = Raw(f.inputs[0], key), b = Raw(f.inputs[1], key);
        if (a.kind != FeatureValue::Kind::kScalar || b.kind != FeatureValue::Kind::kScalar ||
            !a.scalar.is_number() || !b.scalar.is_number() || b.scalar.AsDouble() == 0) {
          return FeatureValue::None();
        }
        return FeatureValue::Scalar(Value::Float(a.scalar.AsDouble() / b.scalar.AsDouble()));
      }
      case FeatureDef::Kind::kSessionCount: {
        WindowState* s = StateOf(fi, key);
        return FeatureValue::Scalar(Value::Int(s ? s->SessionCount() : 0));
      }
      case FeatureDef::Kind::kAggregate: break;  // RawInto
    }
    return FeatureValue::None();
  }

  Result<FeatureValue> Compute(size_t fi, std::string_view key) {
    const FeatureDef& f = (*features)[fi];
    if (f.kind == FeatureDef::Kind::kScript) {
      auto v = RunScript(fi, key);
      if (!v.ok()) ++stats.script_errors;
      if (!v.ok() || !f.transform) return v;
      auto t = f.transform->Apply(*v);
      if (!t.ok()) ++stats.transform_errors;
      return t;
    }
    FeatureValue raw = Raw(fi, key);
    if (!f.transform) return raw;
    auto t = f.transform->Apply(raw);
    if (!t.ok()) ++stats.transform_errors;
    return t;
  }

  // A script feature: its function over its inputs' values as read (an input
  // that fails reads as None).
  Result<FeatureValue> RunScript(size_t fi, std::string_view key) {
    const FeatureDef& f = (*features)[fi];
    if (!script_runner) {
      return Status::FailedPrecondition("feature \"" + f.name + "\": op script runs inside the device runtime only");
    }
    std::vector<FeatureValue> args;
    args.reserve(f.inputs.size());
    for (size_t in : f.inputs) {
      auto v = Compute(in, key);
      args.push_back(v.ok() ? std::move(v).value() : FeatureValue::None());
    }
    auto r = script_runner(fi, args);
    if (!r.ok()) return r.status().WithContext("feature \"" + f.name + "\"");
    return r;
  }

  // Whether the feature holds state for `key` (what --dump-features prints).
  bool Holds(size_t fi, const std::string& key) {
    const FeatureDef& f = (*features)[fi];
    if (f.kind == FeatureDef::Kind::kRatio) return Holds(f.inputs[0], key) || Holds(f.inputs[1], key);
    if (f.kind == FeatureDef::Kind::kScript) {
      for (size_t in : f.inputs) {
        if ((*features)[in].keyed && Holds(in, key)) return true;
      }
      return false;
    }
    WindowState* s = StateOf(fi, key);
    return s && max_ts != kNoTime && !s->Empty(max_ts);
  }

  void Reset() {
    lookup_gen = UINT64_MAX;
    for (Group& g : groups) g.table->Clear();
    last_seq = 0;
    max_ts = kNoTime;
    dedup_heap.clear();
    dedup_seen.clear();
    stats = PipelineStats();
    if (!BuildCep().ok()) cep = std::make_unique<CepEngine>();  // the spec's patterns parsed once already
  }
};

Result<std::unique_ptr<Pipeline>> Pipeline::Create(std::shared_ptr<const PipelineSpec> spec) {
  auto impl = std::make_unique<Impl>();
  impl->spec = std::move(spec);
  impl->features = &impl->spec->features;
  const auto& features = *impl->features;
  std::unordered_map<std::string, int> by_source;
  for (size_t i = 0; i < features.size(); ++i) {
    const FeatureDef& f = features[i];
    impl->by_name[f.name] = i;
    Uses u;
    u.filter = impl->Intern(f.filter, &by_source);
    u.value = impl->Intern(f.value, &by_source);
    u.numerator = impl->Intern(f.numerator, &by_source);
    u.denominator = impl->Intern(f.denominator, &by_source);
    u.rate = f.kind == FeatureDef::Kind::kAggregate && f.agg.op == AggOp::kRate;
    impl->uses.push_back(u);
    impl->empty_result.push_back(NewAggState(f.agg)->Result(0));
    if (f.agg.op == AggOp::kTimeSinceLast || f.agg.op == AggOp::kSpan) impl->empty_result.back() = FeatureValue::None();
  }
  const size_t n = impl->exprs.size();
  impl->expr_gen.assign(n, 0);
  impl->expr_truth.assign(n, 0);
  impl->expr_value.assign(n, Value());
  impl->expr_ok.assign(n, 0);
  impl->expr_needs_value.assign(n, 0);
  for (const Uses& u : impl->uses) {
    if (u.value >= 0) impl->expr_needs_value[static_cast<size_t>(u.value)] = 1;
  }

  impl->slot_of.assign(features.size(), {SIZE_MAX, 0});
  for (size_t i = 0; i < features.size(); ++i) {
    const FeatureDef& f = features[i];
    if (f.kind != FeatureDef::Kind::kAggregate && f.kind != FeatureDef::Kind::kSessionCount) continue;
    auto g = std::find_if(impl->groups.begin(), impl->groups.end(),
                          [&](const Group& x) { return x.keyed == f.keyed && x.key == f.key; });
    if (g == impl->groups.end()) {
      impl->groups.emplace_back();
      g = std::prev(impl->groups.end());
      g->key = f.key;
      g->keyed = f.keyed;
      g->max_keys = f.max_keys;
    }
    g->max_keys = std::min(g->max_keys, f.max_keys);
    // A feature computing the same state as an earlier one of its group (same
    // filter, value, window and state identity, e.g. top_k and count_by of
    // one field) reads that state instead of keeping a copy.
    const size_t gi = static_cast<size_t>(g - impl->groups.begin());
    size_t slot = g->features.size();
    if (f.kind == FeatureDef::Kind::kAggregate) {
      for (size_t k = 0; k < g->features.size(); ++k) {
        const FeatureDef& o = features[g->features[k]];
        const Uses &a = impl->uses[i], &b = impl->uses[g->features[k]];
        if (o.kind == FeatureDef::Kind::kAggregate && a.filter == b.filter && a.value == b.value &&
            a.numerator == b.numerator && a.denominator == b.denominator && o.window.type == f.window.type &&
            o.window.size_ms == f.window.size_ms && o.window.slide_ms == f.window.slide_ms &&
            o.window.gap_ms == f.window.gap_ms && AggStateIdentity(o.agg) == AggStateIdentity(f.agg)) {
          slot = k;
          break;
        }
      }
    }
    impl->slot_of[i] = {gi, slot};
    if (slot == g->features.size()) g->features.push_back(i);
  }
  for (auto& s : impl->slot_of) {
    if (s.first == SIZE_MAX) s.first = impl->groups.size();
  }
  const int64_t lateness = impl->spec->config.allowed_lateness_ms;
  for (Group& g : impl->groups) {
    std::vector<KeyTable::Slot> slots;
    for (size_t fi : g.features) {
      const FeatureDef& f = features[fi];
      g.steps.push_back(impl->uses[fi]);
      slots.push_back({WindowStateBytes(f.window, f.agg), [&f, lateness](void* mem) {
                         return NewWindowStateAt(mem, f.window, f.agg, lateness);
                       }});
    }
    g.table = std::make_unique<KeyTable>(std::move(slots), g.max_keys);
  }
  EF_RETURN_IF_ERROR(impl->BuildCep());
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(impl)));
}

Pipeline::Pipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pipeline::~Pipeline() = default;

bool Pipeline::Process(const Event& event, int64_t seq, std::vector<PatternMatch>* matches) {
  return impl_->Process(event, seq, matches);
}

Result<FeatureValue> Pipeline::Get(std::string_view feature, std::string_view key) {
  auto it = impl_->by_name.find(std::string(feature));
  if (it == impl_->by_name.end()) return Status::NotFound("no feature named \"" + std::string(feature) + "\"");
  impl_->lookup_pinned = false;  // a script op reading another key inside a snapshot: compare keys again
  return impl_->Compute(it->second, key);
}

void Pipeline::SnapshotInto(std::string_view key, std::vector<FeatureValue>* out) {
  const size_t n = impl_->features->size();
  out->resize(n);
  // Each group's entry is looked up once, and the reads below skip comparing the key.
  impl_->ResetLookup(key);
  impl_->lookup_pinned = true;
  struct Unpin {
    Impl* m;
    ~Unpin() { m->lookup_pinned = false; }
  } unpin{impl_.get()};
  for (size_t i = 0; i < n; ++i) {
    const FeatureDef& f = (*impl_->features)[i];
    if (!f.transform && f.kind != FeatureDef::Kind::kScript) {  // no Result<> wrapper: written in place
      impl_->RawInto(i, key, &(*out)[i]);
      continue;
    }
    auto v = impl_->Compute(i, key);
    if (v.ok()) {
      (*out)[i] = std::move(v).value();
    } else {
      (*out)[i] = FeatureValue::None();
    }
  }
}

std::vector<std::pair<std::string, FeatureValue>> Pipeline::Snapshot(std::string_view key) {
  std::vector<FeatureValue> values;
  SnapshotInto(key, &values);
  std::vector<std::pair<std::string, FeatureValue>> out;
  out.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) out.emplace_back((*impl_->features)[i].name, std::move(values[i]));
  return out;
}

std::string Pipeline::DumpJson() {
  std::string out = "{";
  const auto& features = *impl_->features;
  for (size_t i = 0; i < features.size(); ++i) {
    const FeatureDef& f = features[i];
    if (i) out += ",";
    out += nlohmann::json(f.name).dump() + ":";
    auto print = [&](const std::string& key) {
      auto v = impl_->Compute(i, key);
      out += v.ok() ? FeatureValueToJson(*v) : "null";
    };
    if (!f.keyed) {
      print("");
      continue;
    }
    // Keys from the group of the feature (or of its inputs, for a ratio).
    size_t gi = impl_->BaseGroup(i);
    std::vector<std::string> keys;
    if (gi < impl_->groups.size()) {
      const KeyTable& t = *impl_->groups[gi].table;
      for (KeyTable::Id id : t.ByRecency()) {
        if (impl_->Holds(i, t.key(id))) keys.push_back(t.key(id));
      }
    }
    std::sort(keys.begin(), keys.end());
    out += "{";
    for (size_t k = 0; k < keys.size(); ++k) {
      if (k) out += ",";
      out += nlohmann::json(keys[k]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ":";
      print(keys[k]);
    }
    out += "}";
  }
  return out + "}";
}

void Pipeline::SetScriptOpRunner(ScriptOpRunner runner) { impl_->script_runner = std::move(runner); }

int64_t Pipeline::last_seq() const { return impl_->last_seq; }
int64_t Pipeline::now_ms() const { return impl_->max_ts; }
const PipelineSpec& Pipeline::spec() const { return *impl_->spec; }

PipelineStats Pipeline::Stats() const {
  PipelineStats s = impl_->stats;
  size_t bytes = impl_->cep->ApproxBytes() + impl_->dedup_seen.size() * 48;
  s.keys = 0;
  s.feature_bytes.assign(impl_->features->size(), 0);
  for (const Group& g : impl_->groups) {
    const KeyTable& t = *g.table;
    s.keys += static_cast<int64_t>(t.size());
    bytes += t.ApproxBytes();  // the state blocks included
    for (KeyTable::Id id : t.ByRecency()) {
      for (size_t slot = 0; slot < t.slot_count(); ++slot) {
        const WindowState* st = t.State(id, slot);
        if (!st) continue;
        const size_t b = st->ApproxBytes();
        bytes += b > t.slot_bytes(slot) ? b - t.slot_bytes(slot) : 0;
        s.feature_bytes[g.features[slot]] += b;
      }
    }
  }
  s.approx_bytes = bytes;
  s.partial_matches = impl_->cep->partial_matches();
  s.partial_matches_peak = impl_->cep->partial_matches_peak();
  return s;
}

void Pipeline::Save(std::string* out) const {
  const Impl& m = *impl_;
  out->clear();
  // Checkpoints grow slowly: room for the last one and an eighth more spares
  // the doubling copies of a blob that can reach gigabytes.
  out->reserve(m.last_save_bytes + m.last_save_bytes / 8);
  StateWriter w(out);
  w.U8(kCheckpointVersion);
  w.Str(m.spec->fingerprint);
  w.I64(m.last_seq);
  w.I64(m.max_ts);
  for (int64_t v : {m.stats.accepted, m.stats.late, m.stats.duplicates, m.stats.value_errors,
                    m.stats.transform_errors, m.stats.evicted_keys, m.stats.matches}) {
    w.I64(v);
  }
  w.Varint(m.dedup_heap.size());
  for (const auto& [ts, fp] : m.dedup_heap) {
    w.I64(ts);
    w.Varint(fp);
  }
  w.Varint(m.groups.size());
  for (const Group& g : m.groups) {
    const KeyTable& t = *g.table;
    w.Varint(t.size());
    for (KeyTable::Id id : t.ByRecency()) {  // restored in this order, the same recency
      w.Str(t.key(id));
      for (size_t slot = 0; slot < t.slot_count(); ++slot) {
        const WindowState* st = t.State(id, slot);
        w.U8(st ? 1 : 0);
        if (st) st->Save(w);
      }
    }
  }
  std::string cep;
  m.cep->Save(&cep);
  w.Str(cep);
  m.last_save_bytes = out->size();
}

Status Pipeline::Restore(std::string_view blob) {
  Impl& m = *impl_;
  m.Reset();
  StateReader r(blob);
  auto fail = [&](const char* what) {
    m.Reset();
    return r.status(std::string("pipeline checkpoint: ") + what);
  };
  if (r.U8() != kCheckpointVersion || !r.ok()) {
    m.Reset();
    return Status::Corruption("pipeline checkpoint: unknown version");
  }
  std::string fingerprint = r.Str();
  if (!r.ok()) return fail("header");
  if (fingerprint != m.spec->fingerprint) {
    return Status::FailedPrecondition("pipeline checkpoint: saved for other definitions (" + fingerprint +
                                      ", now " + m.spec->fingerprint + ")");
  }
  m.last_seq = r.I64();
  m.max_ts = r.I64();
  for (int64_t* v : {&m.stats.accepted, &m.stats.late, &m.stats.duplicates, &m.stats.value_errors,
                     &m.stats.transform_errors, &m.stats.evicted_keys, &m.stats.matches}) {
    *v = r.I64();
  }
  uint64_t n = r.Count(2);
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    int64_t ts = r.I64();
    uint64_t fp = r.Varint();
    m.dedup_heap.emplace_back(ts, fp);
    m.dedup_seen.emplace(fp, ts);
  }
  if (!std::is_heap(m.dedup_heap.begin(), m.dedup_heap.end(), [](const auto& a, const auto& b) { return a.first > b.first; })) {
    r.Fail();
  }
  if (r.Varint() != m.groups.size()) r.Fail();
  for (Group& g : m.groups) {
    KeyTable& t = *g.table;
    uint64_t keys = r.Count(2);
    if (keys > static_cast<uint64_t>(g.max_keys)) r.Fail();  // more than the table keeps
    for (uint64_t k = 0; k < keys && r.ok(); ++k) {
      std::string key = r.Str();
      if (!r.ok() || t.Find(key) != KeyTable::kNone) {
        r.Fail();
        break;
      }
      int64_t evicted = 0;  // none: at most max_keys keys
      const KeyTable::Id id = t.Touch(key, &evicted);
      for (size_t slot = 0; slot < t.slot_count() && r.ok(); ++slot) {
        if (!r.U8()) continue;
        if (!t.StateOrMake(id, slot)->Load(r)) r.Fail();
      }
    }
  }
  std::string cep = r.Str();
  if (!r.ok()) return fail("state");
  if (r.remaining() != 0) {
    m.Reset();
    return Status::Corruption("pipeline checkpoint: trailing bytes");
  }
  if (Status s = m.cep->Restore(cep); !s.ok()) {
    m.Reset();
    return s.WithContext("pipeline checkpoint");
  }
  return Status::OK();
}

}  // namespace edgeflow::pipeline
