// Track() and trigger-to-callback measurements through a real Runtime.
#include "runtime_figures.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <vector>

#include "edgeflow/runtime.h"

namespace edgeflow::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  size_t k = static_cast<size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

// A bundle with realistic triggers: most events match nothing; page P0's views
// and P1's buy clicks fire a native task.
void WriteBundle(const std::string& dir) {
  mkdir(dir.c_str(), 0755);
  std::ofstream(dir + "/manifest.json") << R"({"name":"bench","version":"1",
    "triggers":[{"taskName":"OnView","events":[{"type":"mta","pageId":"P0","needPv":true,"clickIds":[]}]},
                {"taskName":"OnView","events":[{"type":"mta","pageId":"P1","needPv":false,"clickIds":["P1_Buy"]}]}],
    "tasks":[{"name":"OnView","kind":"native:count","queue":"low"},
             {"name":"Echo","kind":"native:echo","queue":"core"}],
    "api":[{"systemCode":"bench","businessCode":"echo","task":"Echo"}]})";
}

}  // namespace

nlohmann::ordered_json MeasureRuntimeFigures(const std::string& tmpdir) {
  nlohmann::ordered_json out;
  RuntimeOptions options;
  options.data_dir = tmpdir + "/runtime";
  auto opened = Runtime::Open(options);
  if (!opened.ok()) {
    std::fprintf(stderr, "bench: %s\n", opened.status().ToString().c_str());
    return out;
  }
  Runtime& rt = **opened;
  WriteBundle(tmpdir + "/bundle");
  if (Status s = rt.InstallBundle(tmpdir + "/bundle"); !s.ok()) {
    std::fprintf(stderr, "bench: %s\n", s.ToString().c_str());
    return out;
  }

  // Pre-built events so that only Track() is timed.
  constexpr int kEvents = 1000000;
  std::vector<Event> events(4096);
  for (size_t i = 0; i < events.size(); ++i) {
    Event& e = events[i];
    e.type = "mta";
    e.kind = i % 3 ? "click" : "pv";
    e.page_id = "P" + std::to_string(i % 50);
    e.click_id = e.page_id + "_Buy";
    e.item_id = "sku" + std::to_string(i * 7919 % 100000);
    e.props = R"({"price":19.9,"pos":3})";
  }
  // Three rounds of 1M calls; the figures are the medians of the rounds.
  std::vector<double> rates, p50s, p99s;
  std::vector<double> lat;
  lat.reserve(kEvents);
  for (int round = 0; round < 3; ++round) {
    lat.clear();
    auto start = Clock::now();
    for (int i = 0; i < kEvents; ++i) {
      Event& e = events[static_cast<size_t>(i) & 4095];
      e.ts_ms = 1700000000000 + round * kEvents + i;
      auto t0 = Clock::now();
      rt.Track(e);
      lat.push_back(Micros(Clock::now() - t0));
    }
    double secs = Micros(Clock::now() - start) / 1e6;
    rates.push_back(kEvents / secs);
    p50s.push_back(Quantile(lat, 0.5));
    p99s.push_back(Quantile(lat, 0.99));
    std::fprintf(stderr, "bench-store: Track round %d: %.0f events/s, p50 %.3f us, p99 %.3f us\n", round + 1,
                 rates.back(), p50s.back(), p99s.back());
    rt.WaitIdle(600000);
    rt.Flush();
  }
  out["track_events_per_s"] = static_cast<int64_t>(Quantile(rates, 0.5));
  out["track_p50_us"] = Quantile(p50s, 0.5);
  out["track_p99_us"] = Quantile(p99s, 0.5);
  out["track_p99_cold_us"] = p99s[0];  // the first round, while buffers are first allocated
  rt.WaitIdle(600000);
  rt.Flush();

  // Trigger -> native task -> callback, one call at a time on an idle runtime.
  constexpr int kCalls = 20000;
  std::vector<double> cb_lat;
  cb_lat.reserve(kCalls);
  std::mutex mu;
  std::condition_variable cv;
  for (int i = 0; i < kCalls; ++i) {
    bool done = false;
    Clock::time_point end;
    auto finish = [&] {
      std::lock_guard<std::mutex> l(mu);
      end = Clock::now();
      done = true;
      cv.notify_one();
    };
    InferCallbacks cb;
    cb.on_value = [&](const std::string&) { finish(); };
    cb.on_empty = finish;
    cb.on_error = [&](TaskError, const std::string&) { finish(); };
    auto t0 = Clock::now();
    rt.Infer("bench", "echo", R"({"i":1})", std::move(cb));
    std::unique_lock<std::mutex> l(mu);
    cv.wait(l, [&] { return done; });
    cb_lat.push_back(Micros(end - t0));
  }
  out["trigger_to_callback_p50_us"] = Quantile(cb_lat, 0.5);
  out["trigger_to_callback_p99_us"] = Quantile(cb_lat, 0.99);
  rt.Close();
  return out;
}

}  // namespace edgeflow::bench
