// Pattern definitions, the per-key NFA runs that match them (docs/patterns.md,
// "Evaluation") and their checkpoint format.
#include "pipeline/cep.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

namespace edgeflow::pipeline {

using nlohmann::json;

namespace {

// Upper bound for the numbers of "times" (keeps counts in 32 bits).
constexpr int64_t kMaxTimes = 1000000;
constexpr int kMaxPartialsLimit = 1024;
// Process sweeps once this many events (or, when larger, as many events as
// there were (pattern, key) states left by the last sweep) have passed since
// it, so that a sweep costs O(1) per event amortised and expired runs never
// outnumber live ones by more than this interval.
constexpr int64_t kSweepEveryEvents = 4096;

// ---------------------------------------------------------------------------
// Definition parsing

std::string At(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

Status Invalid(const std::string& path, std::string_view message) {
  return Status::InvalidArgument(path + ": " + std::string(message));
}

Status KnownFields(const json& obj, const std::string& path,
                   std::initializer_list<const char*> known, const char* hint = "") {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; })) {
      return Invalid(path + "." + it.key(), std::string("unknown field") + hint);
    }
  }
  return Status::OK();
}

// An integer JSON number that fits int64 (true, 1.0 and 1e3 are not integers).
bool GetInt(const json& v, int64_t* out) {
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    *out = static_cast<int64_t>(u);
    return true;
  }
  if (v.is_number_integer()) {
    *out = v.get<int64_t>();
    return true;
  }
  return false;
}

bool ValidPatternName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

Result<std::shared_ptr<const Expr>> CompileAt(const json& v, const std::string& path) {
  if (!v.is_string()) return Invalid(path, "expected an expression string");
  auto compiled = Expr::Compile(v.get<std::string>());
  if (!compiled.ok()) return Invalid(path, compiled.status().message());
  return std::shared_ptr<const Expr>(std::move(compiled).value());
}

Status ParseTimes(const json& v, const std::string& path, PatternStep* step) {
  const std::string range = "between 0 and " + std::to_string(kMaxTimes);
  int64_t n = 0;
  if (GetInt(v, &n)) {
    if (n < 1 || n > kMaxTimes) {
      return Invalid(path, "must be an integer between 1 and " + std::to_string(kMaxTimes) +
                               " or [min, max]");
    }
    step->min = step->max = n;
    return Status::OK();
  }
  if (!v.is_array() || v.size() != 2) {
    return Invalid(path, "expected an integer N or [min, max] (max null = unbounded)");
  }
  int64_t lo = 0;
  if (!GetInt(v[0], &lo) || lo < 0 || lo > kMaxTimes) {
    return Invalid(At(path, 0), "min must be an integer " + range);
  }
  step->min = lo;
  if (v[1].is_null()) {
    step->max = PatternStep::kUnbounded;
    return Status::OK();
  }
  int64_t hi = 0;
  if (!GetInt(v[1], &hi) || hi > kMaxTimes) {
    return Invalid(At(path, 1), "max must be null or an integer between max(min, 1) and " +
                                    std::to_string(kMaxTimes));
  }
  if (hi < lo) return Invalid(At(path, 1), "max must be at least min (" + std::to_string(lo) + ")");
  if (hi < 1) return Invalid(At(path, 1), "max must be at least 1");
  step->max = hi;
  return Status::OK();
}

Status ParseSteps(const json& steps, const std::string& path, PatternDef* def) {
  if (!steps.is_array() || steps.empty()) return Invalid(path, "expected a non-empty array of steps");
  const std::string first_error = "the first step must not be optional or a negation";
  const std::string last_error = "the last step must not be optional or a negation";
  for (size_t k = 0; k < steps.size(); ++k) {
    const json& s = steps[k];
    const std::string sp = At(path, k);
    if (!s.is_object()) return Invalid(sp, "expected an object");
    if (s.contains("not")) {
      if (k == 0) return Invalid(sp, first_error);
      EF_RETURN_IF_ERROR(KnownFields(s, sp, {"not"}, " (a negation step has only \"not\")"));
      EF_ASSIGN_OR_RETURN(auto neg, CompileAt(s["not"], sp + ".not"));
      PatternStep& owner = def->steps.back();
      owner.negation_sources.push_back(s["not"].get<std::string>());
      owner.negations.push_back(std::move(neg));
      if (k + 1 == steps.size()) return Invalid(sp, last_error);
      continue;
    }
    EF_RETURN_IF_ERROR(KnownFields(s, sp, {"name", "where", "times", "optional"}));
    PatternStep step;
    auto name = s.find("name");
    if (name == s.end()) return Invalid(sp + ".name", "missing (expected a string)");
    if (!name->is_string() || name->get<std::string>().empty()) {
      return Invalid(sp + ".name", "expected a non-empty string");
    }
    step.name = name->get<std::string>();
    for (const PatternStep& other : def->steps) {
      if (other.name == step.name) return Invalid(sp + ".name", "duplicate step name \"" + step.name + "\"");
    }
    if (auto w = s.find("where"); w != s.end()) {
      EF_ASSIGN_OR_RETURN(step.predicate, CompileAt(*w, sp + ".where"));
      step.where = w->get<std::string>();
    }
    if (auto t = s.find("times"); t != s.end()) EF_RETURN_IF_ERROR(ParseTimes(*t, sp + ".times", &step));
    if (auto o = s.find("optional"); o != s.end()) {
      if (!o->is_boolean()) return Invalid(sp + ".optional", "expected true or false");
      if (o->get<bool>()) step.min = 0;
    }
    if (k == 0 && step.min == 0) return Invalid(sp, first_error);
    if (k + 1 == steps.size() && step.min == 0) return Invalid(sp, last_error);
    def->steps.push_back(std::move(step));
  }
  return Status::OK();
}

Status ParseAction(const json& a, const std::string& path, PatternDef* def) {
  if (!a.is_object()) {
    return Invalid(path, "expected {\"task\": NAME} or {\"broadcast\": TOPIC, \"message\": ...}");
  }
  EF_RETURN_IF_ERROR(KnownFields(a, path, {"task", "broadcast", "message"}));
  const bool task = a.contains("task"), broadcast = a.contains("broadcast");
  if (task == broadcast) return Invalid(path, "exactly one of \"task\" and \"broadcast\" is required");
  const char* field = task ? "task" : "broadcast";
  const json& v = a[field];
  if (!v.is_string() || v.get<std::string>().empty()) {
    return Invalid(path + "." + field, "expected a non-empty string");
  }
  if (task) {
    if (a.contains("message")) return Invalid(path + ".message", "only allowed with \"broadcast\"");
    def->action_task = v.get<std::string>();
  } else {
    def->action_broadcast = v.get<std::string>();
    def->action_message_json = a.contains("message") ? a["message"].dump() : "null";
  }
  return Status::OK();
}

}  // namespace

Result<PatternDef> ParsePatternDef(const json& j, std::string_view where) {
  const std::string path(where);
  if (!j.is_object()) return Invalid(path, "expected an object");
  EF_RETURN_IF_ERROR(KnownFields(j, path, {"name", "keyBy", "steps", "contiguity", "withinMs",
                                           "maxPartialsPerKey", "action"}));
  PatternDef def;
  auto name = j.find("name");
  if (name == j.end()) return Invalid(path + ".name", "missing (expected a string)");
  if (!name->is_string() || !ValidPatternName(name->get<std::string>())) {
    return Invalid(path + ".name", "expected a string of [A-Za-z0-9_.-]+");
  }
  def.name = name->get<std::string>();
  if (auto k = j.find("keyBy"); k != j.end()) {
    if (!k->is_string()) return Invalid(path + ".keyBy", "expected a string");
    EF_ASSIGN_OR_RETURN(def.key_by, KeySpec::Parse(k->get<std::string>(), path + ".keyBy"));
  }
  auto steps = j.find("steps");
  if (steps == j.end()) return Invalid(path + ".steps", "missing (expected a non-empty array of steps)");
  EF_RETURN_IF_ERROR(ParseSteps(*steps, path + ".steps", &def));
  if (auto c = j.find("contiguity"); c != j.end()) {
    if (*c == "strict") {
      def.contiguity = PatternDef::Contiguity::kStrict;
    } else if (*c != "relaxed") {
      return Invalid(path + ".contiguity", "expected \"strict\" or \"relaxed\"");
    }
  }
  if (auto w = j.find("withinMs"); w != j.end()) {
    if (!GetInt(*w, &def.within_ms) || def.within_ms < 1) {
      return Invalid(path + ".withinMs", "expected an integer number of milliseconds >= 1");
    }
  }
  if (auto m = j.find("maxPartialsPerKey"); m != j.end()) {
    int64_t n = 0;
    if (!GetInt(*m, &n) || n < 1 || n > kMaxPartialsLimit) {
      return Invalid(path + ".maxPartialsPerKey",
                     "expected an integer between 1 and " + std::to_string(kMaxPartialsLimit));
    }
    def.max_partials_per_key = static_cast<int>(n);
  }
  auto action = j.find("action");
  if (action == j.end()) {
    return Invalid(path + ".action", "missing (expected {\"task\": NAME} or {\"broadcast\": TOPIC})");
  }
  EF_RETURN_IF_ERROR(ParseAction(*action, path + ".action", &def));
  def.fingerprint = Fnv1a64(j.dump());
  return def;
}

// ---------------------------------------------------------------------------
// The engine

namespace {

// One partial match: at positive step `step` with `count` events matched there.
struct Run {
  uint32_t step = 0;
  uint32_t count = 0;
  int64_t start_ts = 0;
  std::vector<int64_t> seqs;  // at most CepEngine::kMaxSeqsPerRun, oldest first
};

using KeyRuns = std::vector<Run>;  // creation order, oldest first; never empty in a map

bool Expired(int64_t now_ms, int64_t start_ts, int64_t within_ms) {
  return within_ms > 0 && static_cast<__int128>(now_ms) - start_ts > within_ms;
}

void Record(Run* run, int64_t seq) {
  if (run->seqs.size() == CepEngine::kMaxSeqsPerRun) run->seqs.erase(run->seqs.begin());
  run->seqs.push_back(seq);
}

Status ValidateDef(const PatternDef& d) {
  const std::string at = "pattern \"" + d.name + "\"";
  if (!ValidPatternName(d.name)) return Status::InvalidArgument(at + ": invalid name");
  if (d.steps.empty()) return Status::InvalidArgument(at + ": no steps");
  for (size_t i = 0; i < d.steps.size(); ++i) {
    const PatternStep& s = d.steps[i];
    bool bounded = s.max != PatternStep::kUnbounded;
    if (s.min < 0 || s.min > kMaxTimes || (bounded && (s.max < 1 || s.max < s.min || s.max > kMaxTimes))) {
      return Status::InvalidArgument(at + ": step " + std::to_string(i) + " has invalid times");
    }
    if ((i == 0 || i + 1 == d.steps.size()) && s.min < 1) {
      return Status::InvalidArgument(at + ": the first and last steps need min >= 1");
    }
    for (const auto& n : s.negations) {
      if (!n) return Status::InvalidArgument(at + ": null negation predicate");
    }
  }
  if (d.within_ms < 0) return Status::InvalidArgument(at + ": negative within_ms");
  if (d.max_partials_per_key < 1 || d.max_partials_per_key > kMaxPartialsLimit) {
    return Status::InvalidArgument(at + ": max_partials_per_key out of range");
  }
  if (d.action_task.empty() == d.action_broadcast.empty()) {
    return Status::InvalidArgument(at + ": exactly one of action_task and action_broadcast");
  }
  return Status::OK();
}

}  // namespace

struct CepEngine::Impl {
  struct Pattern;
  // The runs of one pattern for one key (rule order: oldest first).
  struct Entry {
    Pattern* pattern;
    KeyRuns runs;  // never empty
  };
  // One key value under one keyBy: the runs of each pattern that has some.
  struct KeyState {
    std::vector<Entry> entries;  // never empty in a map; unordered
  };
  // The keys of one keyBy and their states, in open addressing: a slot holds
  // the hash, the key and its state in one cache line, so finding a key with
  // runs reads that line (and its entries), not a bucket, a node and a
  // string. Linear probing, at most 3/4 full, backward-shift deletion (no
  // tombstones). Inserting or erasing moves other keys' states: pointers
  // into the map last until the next insert or erase.
  class KeyMap {
   public:
    static uint64_t Hash(std::string_view key) {
      return std::hash<std::string_view>()(key) | (uint64_t{1} << 63);  // never 0, the free mark
    }
    size_t size() const { return size_; }
    KeyState* Find(std::string_view key, uint64_t hash) {
      Slot& s = slots_[Probe(key, hash)];
      return s.hash ? &s.state : nullptr;
    }
    // Finds or adds `key` (with an empty state).
    KeyState& FindOrAdd(std::string_view key, uint64_t hash) {
      size_t i = Probe(key, hash);
      if (slots_[i].hash) return slots_[i].state;
      if ((size_ + 1) * 4 > slots_.size() * 3) {
        Grow();
        i = Probe(key, hash);
      }
      slots_[i].hash = hash;
      slots_[i].key.assign(key);
      ++size_;
      return slots_[i].state;
    }
    void Erase(std::string_view key, uint64_t hash) {
      const size_t i = Probe(key, hash);
      if (slots_[i].hash) EraseAt(i);
    }
    // Erases the keys for which drop(key, state) is true; calls it once per key.
    template <typename Drop>
    void EraseIf(Drop drop) {
      if (size_ == 0) return;
      const size_t mask = slots_.size() - 1;
      // From just after a free slot: no probe run wraps past the start, so a
      // key that backward shift moves lands where the scan has yet to look.
      size_t i = 0;
      while (slots_[i].hash) ++i;
      i = (i + 1) & mask;
      for (size_t left = slots_.size(); left > 0;) {
        Slot& s = slots_[i];
        if (s.hash && drop(std::string_view(s.key), s.state)) {
          EraseAt(i);  // a later key of the run may now be at i: look again
          continue;
        }
        i = (i + 1) & mask;
        --left;
      }
    }
    template <typename Visit>
    void ForEach(Visit visit) const {
      for (const Slot& s : slots_) {
        if (s.hash) visit(std::string_view(s.key), s.state);
      }
    }
    void Clear() {
      slots_ = std::vector<Slot>(kFirstSize);
      size_ = 0;
    }
    // Heap bytes: the slots and what the keys hold beyond them (not the states' entries).
    size_t ApproxBytes() const {
      size_t b = slots_.capacity() * sizeof(Slot);
      for (const Slot& s : slots_) {
        if (s.hash && s.key.capacity() > 15) b += s.key.capacity() + 1;  // beyond the short-string buffer
      }
      return b;
    }

   private:
    static constexpr size_t kFirstSize = 16;
    struct alignas(64) Slot {
      uint64_t hash = 0;  // 0: free
      std::string key;
      KeyState state;
    };

    // The slot of `key`, or the free slot where it would go.
    size_t Probe(std::string_view key, uint64_t hash) const {
      const size_t mask = slots_.size() - 1;
      for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
        const Slot& s = slots_[i];
        if (s.hash == 0 || (s.hash == hash && s.key == key)) return i;
      }
    }
    void Grow() {
      std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(slots_.size() * 2));
      const size_t mask = slots_.size() - 1;
      for (Slot& s : old) {
        if (!s.hash) continue;
        size_t i = static_cast<size_t>(s.hash) & mask;
        while (slots_[i].hash) i = (i + 1) & mask;
        slots_[i] = std::move(s);
      }
    }
    void EraseAt(size_t pos) {
      const size_t mask = slots_.size() - 1;
      size_t hole = pos;
      for (size_t i = (pos + 1) & mask; slots_[i].hash; i = (i + 1) & mask) {
        const size_t home = static_cast<size_t>(slots_[i].hash) & mask;
        // The key at i may fill the hole when its home is not in (hole, i].
        if (((i - home) & mask) >= ((i - hole) & mask)) {
          slots_[hole] = std::move(slots_[i]);
          hole = i;
        }
      }
      slots_[hole].hash = 0;
      slots_[hole].key.clear();
      slots_[hole].state.entries.clear();
      --size_;
    }

    std::vector<Slot> slots_ = std::vector<Slot>(kFirstSize);  // power-of-two size
    size_t size_ = 0;
  };
  // One distinct keyBy among the patterns, with the state of each of its keys.
  // Patterns that share a keyBy share one hash lookup per event.
  struct KeySlot {
    KeySpec spec;
    KeyMap keys;
    // The current event's key and state, computed on first use per event.
    uint64_t epoch = 0;
    bool has_key = false;
    std::string key;
    uint64_t hash = 0;          // KeyMap::Hash(key)
    KeyState* state = nullptr;  // null: the key has no state (yet)
  };
  struct Pattern {
    PatternDef def;
    size_t slot = 0;  // index into slots
    // Predicates flattened: step i's is preds[i]; negations follow. null = true.
    std::vector<const Expr*> preds;
    std::vector<std::vector<uint32_t>> negs;  // per step, indexes into preds
    // Per-event predicate cache: cache_val[p] is valid when cache_epoch[p] == epoch.
    std::vector<uint64_t> cache_epoch;
    std::vector<uint8_t> cache_val;
    int64_t runs = 0;  // over all keys
  };

  std::vector<std::unique_ptr<Pattern>> patterns;  // in the order first added
  std::vector<std::unique_ptr<KeySlot>> slots;
  uint64_t epoch = 0;    // Process calls so far; tags the per-event caches (0 = none)
  int64_t runs = 0;
  int64_t entries = 0;   // (pattern, key) pairs with runs
  int64_t peak = 0;
  int64_t dropped = 0;
  int64_t expired = 0;
  int64_t events_since_sweep = 0;
  int64_t sweep_interval = kSweepEveryEvents;

  void InvalidateCaches() {
    for (auto& s : slots) s->epoch = 0;
  }

  // Gives every pattern the slot of its keyBy, keeping existing slots (and
  // their keys) and dropping slots no pattern uses (those hold no keys).
  void RebuildSlots() {
    std::vector<std::unique_ptr<KeySlot>> old = std::move(slots);
    slots.clear();
    for (auto& p : patterns) {
      size_t i = 0;
      while (i < slots.size() && !(slots[i]->spec == p->def.key_by)) ++i;
      if (i == slots.size()) {
        auto reuse = std::find_if(old.begin(), old.end(),
                                  [&](const auto& s) { return s && s->spec == p->def.key_by; });
        if (reuse != old.end()) {
          slots.push_back(std::move(*reuse));
        } else {
          slots.push_back(std::make_unique<KeySlot>());
          slots.back()->spec = p->def.key_by;
        }
      }
      p->slot = i;
    }
    InvalidateCaches();
  }

  // Discards every run of `p`.
  void Purge(Pattern* p) {
    if (p->runs == 0) return;
    KeySlot& s = *slots[p->slot];
    s.keys.EraseIf([&](std::string_view, KeyState& ks) {
      auto& es = ks.entries;
      for (size_t i = 0; i < es.size(); ++i) {
        if (es[i].pattern != p) continue;
        es[i] = std::move(es.back());
        es.pop_back();
        --entries;
        break;
      }
      return es.empty();
    });
    runs -= p->runs;
    p->runs = 0;
    InvalidateCaches();
  }

  bool Test(Pattern& p, uint32_t pred, const EventView& e) {
    const Expr* x = p.preds[pred];
    if (x == nullptr) return true;
    if (p.cache_epoch[pred] != epoch) {
      p.cache_epoch[pred] = epoch;
      p.cache_val[pred] = x->Test(e) ? 1 : 0;
    }
    return p.cache_val[pred] != 0;
  }

  KeySlot& Lookup(size_t slot, const EventView& e) {
    KeySlot& s = *slots[slot];
    if (s.epoch != epoch) {
      s.epoch = epoch;
      std::optional<std::string> k = s.spec.KeyOf(e);
      s.has_key = k.has_value();
      s.state = nullptr;
      if (s.has_key) {
        s.key = std::move(*k);
        s.hash = KeyMap::Hash(s.key);
        s.state = s.keys.Find(s.key, s.hash);
      }
    }
    return s;
  }

  // Rule 2 for one run; false when the run dies.
  bool Transition(Pattern& p, Run& run, const EventView& e) {
    const auto& steps = p.def.steps;
    const PatternStep& s = steps[run.step];
    if (run.count >= s.min) {
      for (size_t j = run.step + 1; j < steps.size(); ++j) {
        if (Test(p, static_cast<uint32_t>(j), e)) {
          run.step = static_cast<uint32_t>(j);
          run.count = 1;
          Record(&run, e.seq());
          return true;
        }
        if (steps[j].min > 0) break;
      }
    }
    if ((s.max == PatternStep::kUnbounded || run.count < s.max) && Test(p, run.step, e)) {
      // Saturating: beyond kMaxTimes an unbounded count only needs to stay >= min.
      if (run.count < std::numeric_limits<uint32_t>::max()) ++run.count;
      Record(&run, e.seq());
      return true;
    }
    for (uint32_t n : p.negs[run.step]) {
      if (Test(p, n, e)) return false;
    }
    return p.def.contiguity == PatternDef::Contiguity::kRelaxed;
  }

  static bool Complete(const Pattern& p, const Run& run) {
    return run.step + 1 == p.def.steps.size() && run.count == p.def.steps.back().min;
  }

  static void Emit(const Pattern& p, const std::string& key, const Run& run, const EventView& e,
                   std::vector<PatternMatch>* out) {
    out->push_back(PatternMatch{p.def.name, key, e.ts_ms(), run.start_ts, run.seqs});
  }

  void AddRuns(Pattern& p, int64_t delta) {
    p.runs += delta;
    runs += delta;
    peak = std::max(peak, runs);
  }

  // Removes entry `i` of the slot's current key, and the key when it empties.
  void DropEntry(KeySlot& s, size_t i) {
    auto& es = s.state->entries;
    es[i] = std::move(es.back());
    es.pop_back();
    --entries;
    if (es.empty()) {
      s.keys.Erase(s.key, s.hash);
      s.state = nullptr;
    }
  }

  void ProcessPattern(Pattern& p, const EventView& e, int64_t now_ms, std::vector<PatternMatch>* out) {
    // Index: a pattern without runs anywhere is touched only by an event
    // matching its step 0; otherwise one lookup (shared by the patterns of
    // the same keyBy) finds whether it has runs for this key.
    if (p.runs == 0 && !Test(p, 0, e)) return;
    KeySlot& s = Lookup(p.slot, e);
    if (!s.has_key) return;
    const int64_t within = p.def.within_ms;
    size_t index = s.state ? s.state->entries.size() : 0;
    for (size_t i = 0; i < index; ++i) {
      if (s.state->entries[i].pattern == &p) index = i;
    }
    if (s.state == nullptr || index == s.state->entries.size()) {
      // No runs for this key: only rule 4 can apply.
      if (!Test(p, 0, e) || Expired(now_ms, e.ts_ms(), within)) return;
      Run run;
      run.count = 1;
      run.start_ts = e.ts_ms();
      run.seqs.push_back(e.seq());
      if (Complete(p, run)) return Emit(p, s.key, run, e, out);
      if (s.state == nullptr) s.state = &s.keys.FindOrAdd(s.key, s.hash);
      s.state->entries.push_back(Entry{&p, {}});
      s.state->entries.back().runs.push_back(std::move(run));
      ++entries;
      AddRuns(p, 1);
      return;
    }
    KeyRuns& rs = s.state->entries[index].runs;
    const int64_t before = static_cast<int64_t>(rs.size());
    // 1. Expiry, then 2. one transition per run, keeping creation order.
    size_t w = 0;
    std::optional<size_t> completed;
    for (size_t r = 0; r < rs.size(); ++r) {
      Run& run = rs[r];
      if (Expired(now_ms, run.start_ts, within)) {
        ++expired;
        continue;
      }
      if (!Transition(p, run, e)) continue;
      if (!completed && Complete(p, run)) completed = w;
      if (w != r) rs[w] = std::move(run);
      ++w;
    }
    rs.resize(w);
    if (completed) {
      // 3. The first completed run is the match; all runs of (P, k) end with it.
      Emit(p, s.key, rs[*completed], e, out);
      rs.clear();
    } else if (Test(p, 0, e) && !Expired(now_ms, e.ts_ms(), within)) {
      // 4. A new run, dropping the oldest at the cap.
      if (rs.size() >= static_cast<size_t>(p.def.max_partials_per_key)) {
        rs.erase(rs.begin());
        ++dropped;
      }
      Run run;
      run.count = 1;
      run.start_ts = e.ts_ms();
      run.seqs.push_back(e.seq());
      if (Complete(p, run)) {
        Emit(p, s.key, run, e, out);
        rs.clear();
      } else {
        rs.push_back(std::move(run));
      }
    }
    AddRuns(p, static_cast<int64_t>(rs.size()) - before);
    if (rs.empty()) DropEntry(s, index);
  }

  void SweepAll(int64_t now_ms) {
    for (auto& slot : slots) {
      slot->keys.EraseIf([&](std::string_view, KeyState& ks) {
        auto& es = ks.entries;
        for (size_t i = 0; i < es.size();) {
          Pattern& p = *es[i].pattern;
          KeyRuns& rs = es[i].runs;
          const size_t before = rs.size();
          if (p.def.within_ms > 0) {
            std::erase_if(rs, [&](const Run& r) { return Expired(now_ms, r.start_ts, p.def.within_ms); });
          }
          const int64_t gone = static_cast<int64_t>(before - rs.size());
          expired += gone;
          p.runs -= gone;
          runs -= gone;
          if (rs.empty()) {
            es[i] = std::move(es.back());
            es.pop_back();
            --entries;
          } else {
            ++i;
          }
        }
        return es.empty();
      });
    }
    InvalidateCaches();
  }
};

CepEngine::CepEngine() : impl_(std::make_unique<Impl>()) {}
CepEngine::~CepEngine() = default;

Status CepEngine::Add(PatternDef def) {
  EF_RETURN_IF_ERROR(ValidateDef(def));
  auto p = std::make_unique<Impl::Pattern>();
  for (const PatternStep& s : def.steps) p->preds.push_back(s.predicate.get());
  for (const PatternStep& s : def.steps) {
    std::vector<uint32_t> ids;
    for (const auto& n : s.negations) {
      ids.push_back(static_cast<uint32_t>(p->preds.size()));
      p->preds.push_back(n.get());
    }
    p->negs.push_back(std::move(ids));
  }
  p->cache_epoch.assign(p->preds.size(), 0);
  p->cache_val.assign(p->preds.size(), 0);
  p->def = std::move(def);
  auto& list = impl_->patterns;
  auto same = std::find_if(list.begin(), list.end(), [&](const auto& q) { return q->def.name == p->def.name; });
  if (same != list.end()) {
    impl_->Purge(same->get());
    *same = std::move(p);
  } else {
    list.push_back(std::move(p));
  }
  impl_->RebuildSlots();
  return Status::OK();
}

Status CepEngine::Remove(const std::string& name) {
  auto& list = impl_->patterns;
  auto it = std::find_if(list.begin(), list.end(), [&](const auto& q) { return q->def.name == name; });
  if (it == list.end()) return Status::NotFound("pattern \"" + name + "\" is not defined");
  impl_->Purge(it->get());
  list.erase(it);
  impl_->RebuildSlots();
  return Status::OK();
}

void CepEngine::Process(const EventView& e, int64_t now_ms, std::vector<PatternMatch>* out) {
  Impl& m = *impl_;
  ++m.epoch;
  for (auto& p : m.patterns) m.ProcessPattern(*p, e, now_ms, out);
  if (++m.events_since_sweep >= m.sweep_interval) Sweep(now_ms);
}

void CepEngine::Sweep(int64_t now_ms) {
  impl_->SweepAll(now_ms);
  impl_->events_since_sweep = 0;
  impl_->sweep_interval = std::max(kSweepEveryEvents, impl_->entries);
}

size_t CepEngine::pattern_count() const { return impl_->patterns.size(); }
int64_t CepEngine::partial_matches() const { return impl_->runs; }
int64_t CepEngine::partial_matches_peak() const { return impl_->peak; }
int64_t CepEngine::dropped_partials() const { return impl_->dropped; }
int64_t CepEngine::expired_partials() const { return impl_->expired; }

size_t CepEngine::ApproxBytes() const {
  size_t bytes = sizeof(Impl);
  for (const auto& p : impl_->patterns) {
    bytes += sizeof(Impl::Pattern) + p->preds.size() * (sizeof(void*) + sizeof(uint64_t) + 1);
  }
  for (const auto& s : impl_->slots) {
    bytes += sizeof(Impl::KeySlot) + s->keys.ApproxBytes();
    s->keys.ForEach([&](std::string_view, const Impl::KeyState& ks) {
      bytes += ks.entries.capacity() * sizeof(Impl::Entry);
      for (const auto& en : ks.entries) {
        bytes += en.runs.capacity() * sizeof(Run);
        for (const Run& r : en.runs) bytes += r.seqs.capacity() * sizeof(int64_t);
      }
    });
  }
  return bytes;
}

// ---------------------------------------------------------------------------
// Checkpoint format, version 1 (all integers little-endian; varint = LEB128,
// svarint = zigzag then varint):
//
//   "EFCP"  u8 version=1  varint pattern_count
//   pattern: varint name_len, name, u64 fingerprint, varint key_count
//     key:   varint key_len, key, varint run_count (1..1024)
//       run: varint step, varint count, svarint start_ts, varint seq_count (1..32),
//            svarint first seq, then svarint deltas to the previous seq
//   u32 CRC-32 (IEEE 802.3, as zlib's crc32) of every byte before it
//
// Patterns appear in engine order and keys in byte order, so equal states give
// equal blobs.

namespace {

constexpr char kMagic[4] = {'E', 'F', 'C', 'P'};
constexpr uint8_t kVersion = 1;

uint32_t Crc32(std::string_view bytes) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
void PutSvarint(std::string* out, int64_t v) {
  PutVarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}
void PutFixed(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
void PutString(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

// Reads the checkpoint body; every read is bounds-checked and fails sticky.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }

  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return Fail();
      uint8_t b = static_cast<uint8_t>(in_[0]);
      in_.remove_prefix(1);
      if (shift == 63 && b > 1) return Fail();
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    return Fail();
  }
  int64_t Svarint() {
    uint64_t u = Varint();
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  uint64_t Fixed(int bytes) {
    if (in_.size() < static_cast<size_t>(bytes)) return Fail();
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in_[i])) << (8 * i);
    in_.remove_prefix(bytes);
    return v;
  }
  std::string_view String() {
    uint64_t n = Varint();
    if (!ok_ || n > in_.size()) {
      Fail();
      return {};
    }
    std::string_view s = in_.substr(0, n);
    in_.remove_prefix(n);
    return s;
  }

 private:
  uint64_t Fail() {
    ok_ = false;
    in_ = {};
    return 0;
  }
  std::string_view in_;
  bool ok_ = true;
};

Status Corrupt(std::string_view what) { return Status::Corruption("cep checkpoint: " + std::string(what)); }

}  // namespace

void CepEngine::Save(std::string* out) const {
  const Impl& m = *impl_;
  // The (key, runs) of each pattern, gathered in one pass over the slots.
  std::unordered_map<const Impl::Pattern*, std::vector<std::pair<std::string_view, const KeyRuns*>>> by_pattern;
  for (const auto& s : m.slots) {
    s->keys.ForEach([&](std::string_view key, const Impl::KeyState& ks) {
      for (const auto& en : ks.entries) by_pattern[en.pattern].emplace_back(key, &en.runs);
    });
  }
  out->clear();
  out->append(kMagic, sizeof(kMagic));
  out->push_back(static_cast<char>(kVersion));
  PutVarint(out, m.patterns.size());
  for (const auto& p : m.patterns) {
    PutString(out, p->def.name);
    PutFixed(out, p->def.fingerprint, 8);
    auto& keys = by_pattern[p.get()];
    std::sort(keys.begin(), keys.end());
    PutVarint(out, keys.size());
    for (const auto& [key, rs] : keys) {
      PutString(out, key);
      PutVarint(out, rs->size());
      for (const Run& r : *rs) {
        PutVarint(out, r.step);
        PutVarint(out, r.count);
        PutSvarint(out, r.start_ts);
        PutVarint(out, r.seqs.size());
        int64_t prev = 0;
        for (int64_t seq : r.seqs) {
          PutSvarint(out, static_cast<int64_t>(static_cast<uint64_t>(seq) - static_cast<uint64_t>(prev)));
          prev = seq;
        }
      }
    }
  }
  PutFixed(out, Crc32(*out), 4);
}

Status CepEngine::Restore(std::string_view blob) {
  if (blob.size() < sizeof(kMagic) + 1 + 4) return Corrupt("truncated");
  if (std::memcmp(blob.data(), kMagic, sizeof(kMagic)) != 0) return Corrupt("bad magic");
  std::string_view body = blob.substr(0, blob.size() - 4);
  Reader crc(blob.substr(blob.size() - 4));
  if (crc.Fixed(4) != Crc32(body)) return Corrupt("checksum mismatch");
  if (static_cast<uint8_t>(body[sizeof(kMagic)]) != kVersion) return Corrupt("unsupported version");
  Reader in(body.substr(sizeof(kMagic) + 1));

  Impl& m = *impl_;
  // Parsed in full before anything changes, so that a bad blob changes nothing.
  std::vector<std::vector<std::pair<std::string, KeyRuns>>> loaded(m.patterns.size());
  std::unordered_set<std::string_view> seen_names;
  const uint64_t pattern_count = in.Varint();
  for (uint64_t pi = 0; in.ok() && pi < pattern_count; ++pi) {
    std::string_view name = in.String();
    const uint64_t fingerprint = in.Fixed(8);
    if (!in.ok()) break;
    if (!seen_names.insert(name).second) return Corrupt("pattern \"" + std::string(name) + "\" appears twice");
    // The defined, unchanged pattern that receives these runs, if any.
    const Impl::Pattern* target = nullptr;
    size_t target_index = 0;
    for (size_t i = 0; i < m.patterns.size(); ++i) {
      if (m.patterns[i]->def.name == name && m.patterns[i]->def.fingerprint == fingerprint) {
        target = m.patterns[i].get();
        target_index = i;
      }
    }
    const uint64_t key_count = in.Varint();
    std::string_view prev_key;
    for (uint64_t ki = 0; in.ok() && ki < key_count; ++ki) {
      std::string_view key = in.String();
      const uint64_t run_count = in.Varint();
      if (!in.ok()) break;
      if (ki > 0 && key <= prev_key) return Corrupt("keys out of order");
      prev_key = key;
      const uint64_t cap = target ? static_cast<uint64_t>(target->def.max_partials_per_key) : kMaxPartialsLimit;
      if (run_count < 1 || run_count > cap) return Corrupt("bad run count");
      KeyRuns runs;
      for (uint64_t ri = 0; in.ok() && ri < run_count; ++ri) {
        Run r;
        const uint64_t step = in.Varint();
        const uint64_t count = in.Varint();
        r.start_ts = in.Svarint();
        const uint64_t seq_count = in.Varint();
        if (!in.ok()) break;
        if (count < 1 || count > std::numeric_limits<uint32_t>::max() || seq_count < 1 ||
            seq_count > kMaxSeqsPerRun) {
          return Corrupt("bad run");
        }
        uint64_t seq = 0;
        for (uint64_t si = 0; si < seq_count; ++si) {
          seq += static_cast<uint64_t>(in.Svarint());
          r.seqs.push_back(static_cast<int64_t>(seq));
        }
        if (target) {
          const auto& steps = target->def.steps;
          if (step >= steps.size()) return Corrupt("step out of range");
          const PatternStep& s = steps[step];
          if (s.max != PatternStep::kUnbounded && count > static_cast<uint64_t>(s.max)) {
            return Corrupt("count above the step's max");
          }
          if (step + 1 == steps.size() && count >= static_cast<uint64_t>(s.min)) {
            return Corrupt("a completed run");
          }
        }
        r.step = static_cast<uint32_t>(std::min<uint64_t>(step, std::numeric_limits<uint32_t>::max()));
        r.count = static_cast<uint32_t>(count);
        runs.push_back(std::move(r));
      }
      if (in.ok() && target) loaded[target_index].emplace_back(std::string(key), std::move(runs));
    }
  }
  if (!in.ok()) return Corrupt("truncated");
  if (!in.done()) return Corrupt("trailing bytes");

  for (auto& s : m.slots) s->keys.Clear();
  m.runs = 0;
  m.entries = 0;
  for (size_t i = 0; i < m.patterns.size(); ++i) {
    Impl::Pattern& p = *m.patterns[i];
    p.runs = 0;
    auto& keys = m.slots[p.slot]->keys;
    for (auto& [key, rs] : loaded[i]) {
      p.runs += static_cast<int64_t>(rs.size());
      keys.FindOrAdd(key, Impl::KeyMap::Hash(key)).entries.push_back(Impl::Entry{&p, std::move(rs)});
      ++m.entries;
    }
    m.runs += p.runs;
  }
  m.peak = std::max(m.peak, m.runs);
  m.InvalidateCaches();
  return Status::OK();
}

}  // namespace edgeflow::pipeline
