// EventStore vs raw SQLite inserts, same rows, same pragmas, same process.
#include "store_figures.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "store/event_store.h"
#include "store/sqlite_db.h"

namespace edgeflow::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kEvents = 400000;
constexpr size_t kBatch = 8192;  // StoreOptions::max_batch default

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::vector<Event> MakeEvents() {
  std::vector<Event> events(kEvents);
  for (int i = 0; i < kEvents; ++i) {
    Event& e = events[static_cast<size_t>(i)];
    e.type = "mta";
    e.kind = i % 3 ? "click" : "pv";
    e.page_id = "JD_Page" + std::to_string(i % 50);
    e.click_id = i % 3 ? e.page_id + "_Buy" : "";
    e.item_id = "sku" + std::to_string(static_cast<int64_t>(i) * 7919 % 100000);
    e.ts_ms = 1700000000000 + i;
    e.props = R"({"price":19.9,"pos":)" + std::to_string(i % 20) + "}";
  }
  return events;
}

// Plain batched prepared-statement inserts: what an app would write by hand.
double RawSqlite(const std::string& path, const std::vector<Event>& events) {
  auto db = SqliteDb::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "");
  if (!db.ok()) return 0;
  SqliteDb& d = **db;
  d.Exec("PRAGMA journal_mode=WAL");
  d.Exec("PRAGMA synchronous=NORMAL");
  d.Exec("CREATE TABLE events (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, type TEXT NOT NULL, kind TEXT,"
         " page_id TEXT NOT NULL, click_id TEXT, item_id TEXT, props TEXT)");
  d.Exec("CREATE INDEX events_ts ON events(ts)");
  auto ins = d.Prepare("INSERT INTO events (ts, type, kind, page_id, click_id, item_id, props)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!ins.ok()) return 0;
  Statement& st = **ins;
  auto t0 = Clock::now();
  for (size_t start = 0; start < events.size(); start += kBatch) {
    d.Exec("BEGIN");
    for (size_t i = start; i < std::min(events.size(), start + kBatch); ++i) {
      const Event& e = events[i];
      st.BindInt(1, e.ts_ms);
      st.BindText(2, e.type);
      st.BindText(3, e.kind, true);
      st.BindText(4, e.page_id);
      st.BindText(5, e.click_id, true);
      st.BindText(6, e.item_id, true);
      st.BindText(7, e.props, true);
      st.Step();
      st.Reset();
    }
    d.Exec("COMMIT");
  }
  return static_cast<double>(events.size()) / Seconds(Clock::now() - t0);
}

struct StoreRun {
  double append_per_s = 0;
  double persisted_per_s = 0;
};

StoreRun ThroughStore(const std::string& dir, const std::vector<Event>& events, bool encrypted) {
  StoreOptions o;
  o.dir = dir;
  if (encrypted) {
    o.tables = {{"events", true, 0, 0}};
    o.encryption_key = "bench-key";
  }
  auto s = EventStore::Open(o);
  if (!s.ok()) {
    std::fprintf(stderr, "bench: %s\n", s.status().ToString().c_str());
    return {};
  }
  auto t0 = Clock::now();
  for (const Event& e : events) (*s)->Append(e);
  auto t1 = Clock::now();
  Status f = (*s)->Flush();
  auto t2 = Clock::now();
  if (!f.ok()) std::fprintf(stderr, "bench: %s\n", f.ToString().c_str());
  StoreRun r;
  r.append_per_s = static_cast<double>(events.size()) / Seconds(t1 - t0);
  r.persisted_per_s = static_cast<double>(events.size()) / Seconds(t2 - t0);
  return r;
}

}  // namespace

nlohmann::ordered_json MeasureStoreFigures(const std::string& tmpdir) {
  std::vector<Event> events = MakeEvents();
  // Each run measures the reference and both store paths back to back, and the
  // ratios are taken per run: the disk's speed drifts between runs on this
  // machine far more than within one.
  std::vector<double> raw, persisted, encrypted, append, persisted_ratio, encrypted_ratio;
  for (int run = 0; run < 7; ++run) {
    std::string d = tmpdir + "/run" + std::to_string(run);
    std::filesystem::create_directories(d);
    // The reference brackets the store runs: its mean before and after.
    double raw_before = RawSqlite(d + "/raw1.db", events);
    StoreRun p = ThroughStore(d + "/plain", events, false);
    persisted.push_back(p.persisted_per_s);
    append.push_back(p.append_per_s);
    encrypted.push_back(ThroughStore(d + "/enc", events, true).persisted_per_s);
    raw.push_back((raw_before + RawSqlite(d + "/raw2.db", events)) / 2);
    persisted_ratio.push_back(persisted.back() / raw.back());
    encrypted_ratio.push_back(encrypted.back() / raw.back());
    std::fprintf(stderr, "bench-store: run %d: raw %.0f/s, persisted %.0f/s (%.3f), encrypted %.0f/s (%.3f)\n",
                 run + 1, raw.back(), persisted.back(), persisted_ratio.back(), encrypted.back(),
                 encrypted_ratio.back());
    std::filesystem::remove_all(d);
  }
  nlohmann::ordered_json out;
  out["append_events_per_s"] = static_cast<int64_t>(Median(append));
  out["persisted_events_per_s"] = static_cast<int64_t>(Median(persisted));
  out["raw_sqlite_events_per_s"] = static_cast<int64_t>(Median(raw));
  out["persisted_ratio"] = std::round(Median(persisted_ratio) * 1000) / 1000;
  out["encrypted_events_per_s"] = static_cast<int64_t>(Median(encrypted));
  out["encrypted_ratio"] = std::round(Median(encrypted_ratio) * 1000) / 1000;
  return out;
}

}  // namespace edgeflow::bench
