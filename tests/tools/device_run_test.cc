// `edgeflow device run` as a user runs it: the real binary on the sample bundle.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "testing/temp_dir.h"

namespace edgeflow {
namespace {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

std::string Bin() { return std::string(std::getenv("EDGEFLOW_BINARY_DIR")) + "/edgeflow"; }
std::string Src() { return std::getenv("EDGEFLOW_SOURCE_DIR"); }

RunResult RunCli(const std::string& args) {
  testing::TempDir tmp;
  std::string err_path = tmp.Sub("stderr");
  std::string cmd = Bin() + " " + args + " 2>" + err_path;
  RunResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_path);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  return r;
}

TEST(DeviceRun, SampleBundleProducesOneLinePerInstance) {
  std::string ex = Src() + "/examples/shop_rerank";
  RunResult r = RunCli("device run --bundle " + ex + " --events " + ex + "/events.jsonl --calls " +
                       ex + "/calls.jsonl --key k");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::map<std::string, int>> by_task;  // task -> ok|error name -> n
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    for (const char* f : {"task", "instance", "trigger", "ok", "latencyUs"}) {
      ASSERT_TRUE(j.contains(f)) << f << " missing in " << line;
    }
    bool ok = j["ok"].get<bool>();
    ASSERT_EQ(j.contains("value"), ok) << line;
    ASSERT_EQ(j.contains("error"), !ok) << line;
    by_task[j["task"]][ok ? "ok" : j["error"].get<std::string>()]++;
  }
  // 2 JD_Detail page views + 1 API call; each pulls CalcTask first and chains Report.
  EXPECT_EQ(by_task["InferTask"]["ok"], 3);
  EXPECT_EQ(by_task["CalcTask"]["ok"], 3);
  EXPECT_EQ(by_task["Report"]["ok"], 3);
  EXPECT_EQ(by_task["CartCount"]["ok"], 3);
  // Breaker of 3 failures: the 4th JD_Cart view finds it open.
  EXPECT_EQ(by_task["CouponCheck"]["failed"], 3);
  EXPECT_EQ(by_task["CouponCheck"]["circuit_open"], 1);
  EXPECT_EQ(by_task["SlowTask"]["timeout"], 1);
  EXPECT_EQ(by_task["shop/nope"]["no_such_task"], 1);
}

TEST(DeviceRun, MalformedLinesAreReportedWithFileAndLine) {
  testing::TempDir tmp;
  std::string events = tmp.Write("events.jsonl",
                                 "{\"type\":\"mta\",\"kind\":\"pv\",\"pageId\":\"JD_Detail\",\"ts\":1}\n"
                                 "{\"type\":\"mta\",\"pageId\":\"JD_Detail\"}\n"
                                 "not json\n");
  std::string ex = Src() + "/examples/shop_rerank";
  RunResult r = RunCli("device run --bundle " + ex + " --events " + events + " --key k");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(events + ":2: event: missing field 'ts'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(events + ":3: event: malformed JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 input line(s) rejected"), std::string::npos) << r.err;
  // The good line was still processed.
  EXPECT_NE(r.out.find("\"task\":\"InferTask\""), std::string::npos);
}

TEST(DeviceRun, UsageErrorsAndHelp) {
  RunResult help = RunCli("device run --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("usage: edgeflow device run"), std::string::npos);
  RunResult missing = RunCli("device run --events x");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("--bundle is required"), std::string::npos) << missing.err;
  testing::TempDir tmp;
  tmp.Write("b/manifest.json", "{\"name\":\"b\"");
  tmp.Write("e.jsonl", "");
  RunResult bad = RunCli("device run --bundle " + tmp.Sub("b") + " --events " + tmp.Sub("e.jsonl"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find(tmp.Sub("b") + "/manifest.json: malformed JSON"), std::string::npos)
      << bad.err;
  RunResult unknown = RunCli("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown command 'frobnicate'"), std::string::npos);
}

}  // namespace
}  // namespace edgeflow
