// Complex event patterns: definition parsing, each evaluation rule of
// docs/patterns.md, checkpoints, and a randomized comparison with a
// brute-force simulator written from that document.
#include "pipeline/cep.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <ctime>
#include <set>
#include <string>
#include <vector>

namespace edgeflow::pipeline {
namespace {

using nlohmann::json;

PatternDef Def(const std::string& text) {
  auto r = ParsePatternDef(json::parse(text), "patterns[0]");
  EXPECT_TRUE(r.ok()) << r.status().ToString() << "\n" << text;
  return r.ok() ? std::move(r).value() : PatternDef{};
}

// A pattern over pageId letters: Seq("A", "B+", "!X", "C?", "D") with the
// suffixes + (one or more), * (zero or more), ? (optional), {n,m} / {n,}
// (times) and ! (a negation of the step before).
std::string SeqJson(const std::string& name, std::vector<std::string> steps,
                    const std::string& extra = "") {
  json j;
  j["name"] = name;
  j["keyBy"] = "user";
  j["action"] = {{"task", "T"}};
  json arr = json::array();
  int n = 0;
  for (const std::string& s : steps) {
    if (s[0] == '!') {
      arr.push_back({{"not", "pageId == '" + s.substr(1) + "'"}});
      continue;
    }
    json step = {{"name", "s" + std::to_string(n++)}, {"where", "pageId == '" + s.substr(0, 1) + "'"}};
    std::string q = s.substr(1);
    if (q == "+") step["times"] = json::array({1, nullptr});
    if (q == "*") step["times"] = json::array({0, nullptr});
    if (q == "?") step["optional"] = true;
    if (!q.empty() && q[0] == '{') {
      int lo = 0, hi = -1;
      if (q.back() == '}' && q[q.size() - 2] == ',') {
        lo = std::stoi(q.substr(1));
        step["times"] = json::array({lo, nullptr});
      } else if (q.find(',') != std::string::npos) {
        lo = std::stoi(q.substr(1));
        hi = std::stoi(q.substr(q.find(',') + 1));
        step["times"] = json::array({lo, hi});
      } else {
        step["times"] = std::stoi(q.substr(1));
      }
    }
    arr.push_back(step);
  }
  j["steps"] = arr;
  if (!extra.empty()) j.update(json::parse(extra));
  return j.dump();
}

Event Ev(const std::string& page, const std::string& user, int64_t ts) {
  Event e;
  e.type = "mta";
  e.kind = "pv";
  e.page_id = page;
  e.ts_ms = ts;
  if (!user.empty()) e.props = json{{"userId", user}}.dump();
  return e;
}

// Feeds events with seq = 1, 2, ... and now = the running max ts.
struct Feeder {
  CepEngine cep;
  int64_t now = std::numeric_limits<int64_t>::min();
  int64_t seq = 0;
  std::vector<PatternMatch> all;

  std::vector<PatternMatch> Feed(const Event& e) {
    now = std::max(now, e.ts_ms);
    std::vector<PatternMatch> out;
    cep.Process(EventView(e, ++seq), now, &out);
    all.insert(all.end(), out.begin(), out.end());
    return out;
  }
  // Feeds "A B C" (pages) for `user`, ts = ts0, ts0+1, ...; returns all matches.
  std::vector<PatternMatch> Pages(const std::string& pages, const std::string& user = "u",
                                  int64_t ts0 = 1000) {
    std::vector<PatternMatch> out;
    int64_t ts = ts0;
    for (char c : pages) {
      if (c == ' ') continue;
      auto m = Feed(Ev(std::string(1, c), user, ts++));
      out.insert(out.end(), m.begin(), m.end());
    }
    return out;
  }
};

std::string Describe(const std::vector<PatternMatch>& ms) {
  std::string s;
  for (const auto& m : ms) {
    s += m.pattern + "/" + m.key + "@" + std::to_string(m.ts_ms) + " start " + std::to_string(m.start_ts_ms) + " [";
    for (size_t i = 0; i < m.seqs.size(); ++i) s += (i ? "," : "") + std::to_string(m.seqs[i]);
    s += "]\n";
  }
  return s;
}

using Seqs = std::vector<int64_t>;

// ---------------------------------------------------------------------------
// Definitions

TEST(PatternDef, ParsesTheCartAbandonExample) {
  PatternDef d = Def(R"({"name":"cart_abandon","keyBy":"user",
    "steps":[{"name":"view","where":"kind == 'pv' and pageId == 'Detail'"},
             {"name":"cart","where":"clickId == 'AddCart'","times":[2,null]},
             {"not":"pageId == 'Pay'"},
             {"name":"home","where":"pageId == 'Home'"}],
    "contiguity":"relaxed","withinMs":600000,"maxPartialsPerKey":16,
    "action":{"task":"CouponTask"}})");
  EXPECT_EQ(d.name, "cart_abandon");
  EXPECT_EQ(d.key_by.name(), "user");
  ASSERT_EQ(d.steps.size(), 3u);
  EXPECT_EQ(d.steps[0].name, "view");
  EXPECT_EQ(d.steps[0].min, 1);
  EXPECT_EQ(d.steps[0].max, 1);
  EXPECT_EQ(d.steps[1].min, 2);
  EXPECT_EQ(d.steps[1].max, PatternStep::kUnbounded);
  ASSERT_EQ(d.steps[1].negation_sources.size(), 1u);
  EXPECT_EQ(d.steps[1].negation_sources[0], "pageId == 'Pay'");
  EXPECT_TRUE(d.steps[2].negations.empty());
  EXPECT_EQ(d.contiguity, PatternDef::Contiguity::kRelaxed);
  EXPECT_EQ(d.within_ms, 600000);
  EXPECT_EQ(d.max_partials_per_key, 16);
  EXPECT_EQ(d.action_task, "CouponTask");
  EXPECT_TRUE(d.action_broadcast.empty());
}

TEST(PatternDef, DefaultsAndBroadcastAction) {
  PatternDef d = Def(R"({"name":"p","steps":[{"name":"a"},{"name":"b","optional":true,"times":[1,3]},
    {"name":"c","times":2}],"action":{"broadcast":"reach.coupon","message":{"x":[1,2],"y":"z"}}})");
  EXPECT_EQ(d.key_by.name(), "");
  EXPECT_EQ(d.contiguity, PatternDef::Contiguity::kRelaxed);
  EXPECT_EQ(d.within_ms, 0);
  EXPECT_EQ(d.max_partials_per_key, 16);
  EXPECT_EQ(d.steps[0].predicate, nullptr);
  EXPECT_EQ(d.steps[1].min, 0);
  EXPECT_EQ(d.steps[1].max, 3);
  EXPECT_EQ(d.steps[2].min, 2);
  EXPECT_EQ(d.steps[2].max, 2);
  EXPECT_EQ(d.action_broadcast, "reach.coupon");
  EXPECT_EQ(json::parse(d.action_message_json), json::parse(R"({"x":[1,2],"y":"z"})"));
  PatternDef no_message = Def(R"({"name":"p","steps":[{"name":"a"}],"action":{"broadcast":"t"}})");
  EXPECT_EQ(no_message.action_message_json, "null");
}

TEST(PatternDef, FingerprintFollowsTheDefinitionNotItsLayout) {
  PatternDef a = Def(R"({"name":"p","steps":[{"name":"a"}],"action":{"task":"T"}})");
  PatternDef b = Def(R"({ "action" : {"task":"T"}, "steps":[{"name":"a"}], "name":"p" })");
  PatternDef c = Def(R"({"name":"p","steps":[{"name":"a"}],"action":{"task":"U"}})");
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_NE(a.fingerprint, c.fingerprint);
}

TEST(PatternDef, MalformedDefinitionsNameTheField) {
  const std::string ok_steps = R"("steps":[{"name":"a","where":"pageId == 'A'"}])";
  const std::string act = R"("action":{"task":"T"})";
  auto with = [&](const std::string& fields) { return "{" + fields + "}"; };
  auto std_def = [&](const std::string& more) {
    return with(R"("name":"p",)" + ok_steps + "," + act + (more.empty() ? "" : "," + more));
  };
  auto steps_def = [&](const std::string& steps) {
    return with(R"("name":"p","steps":)" + steps + "," + act);
  };
  auto action_def = [&](const std::string& action) {
    return with(R"("name":"p",)" + ok_steps + R"(,"action":)" + action);
  };
  struct Case {
    std::string json;
    std::string want;
  } cases[] = {
      {"[]", "patterns[0]: expected an object"},
      {with(ok_steps + "," + act), "patterns[0].name: missing"},
      {with(R"("name":"a b",)" + ok_steps + "," + act), "patterns[0].name: expected a string of [A-Za-z0-9_.-]+"},
      {with(R"("name":7,)" + ok_steps + "," + act), "patterns[0].name: expected a string"},
      {std_def(R"("foo":1)"), "patterns[0].foo: unknown field"},
      {std_def(R"("keyBy":3)"), "patterns[0].keyBy: expected a string"},
      {std_def(R"("keyBy":"nosuch")"), "patterns[0].keyBy: unknown key"},
      {with(R"("name":"p",)" + act), "patterns[0].steps: missing"},
      {steps_def("[]"), "patterns[0].steps: expected a non-empty array"},
      {steps_def("{}"), "patterns[0].steps: expected a non-empty array"},
      {steps_def("[3]"), "patterns[0].steps[0]: expected an object"},
      {steps_def(R"([{"not":"pageId == 'X'"},{"name":"a"}])"),
       "patterns[0].steps[0]: the first step must not be optional or a negation"},
      {steps_def(R"([{"name":"a","optional":true},{"name":"b"}])"),
       "patterns[0].steps[0]: the first step must not be optional or a negation"},
      {steps_def(R"([{"name":"a","times":[0,2]},{"name":"b"}])"),
       "patterns[0].steps[0]: the first step must not be optional or a negation"},
      {steps_def(R"([{"name":"a"},{"not":"pageId == 'X'"}])"),
       "patterns[0].steps[1]: the last step must not be optional or a negation"},
      {steps_def(R"([{"name":"a"},{"name":"b"},{"name":"c","times":[0,null]}])"),
       "patterns[0].steps[2]: the last step must not be optional or a negation"},
      {steps_def(R"([{"name":"a"},{"where":"pageId == 'B'"}])"), "patterns[0].steps[1].name: missing"},
      {steps_def(R"([{"name":""}])"), "patterns[0].steps[0].name: expected a non-empty string"},
      {steps_def(R"([{"name":"a"},{"name":"a"}])"), "patterns[0].steps[1].name: duplicate step name \"a\""},
      {steps_def(R"([{"name":"a","where":"pageId =="}])"), "patterns[0].steps[0].where: "},
      {steps_def(R"([{"name":"a","where":12}])"), "patterns[0].steps[0].where: expected an expression string"},
      {steps_def(R"([{"name":"a","whence":"x"}])"), "patterns[0].steps[0].whence: unknown field"},
      {steps_def(R"([{"name":"a"},{"not":"pageId == 'X'","name":"n"},{"name":"b"}])"),
       "patterns[0].steps[1].name: unknown field (a negation step has only \"not\")"},
      {steps_def(R"([{"name":"a"},{"not":5},{"name":"b"}])"), "patterns[0].steps[1].not: expected an expression string"},
      {steps_def(R"([{"name":"a"},{"not":"pageId =="},{"name":"b"}])"), "patterns[0].steps[1].not: "},
      {steps_def(R"([{"name":"a","times":0}])"), "patterns[0].steps[0].times: must be an integer between 1"},
      {steps_def(R"([{"name":"a","times":"2"}])"), "patterns[0].steps[0].times: expected an integer N or [min, max]"},
      {steps_def(R"([{"name":"a","times":[1,2,3]}])"), "patterns[0].steps[0].times: expected an integer N"},
      {steps_def(R"([{"name":"a","times":1.5}])"), "patterns[0].steps[0].times: expected an integer N"},
      {steps_def(R"([{"name":"a"},{"name":"b","times":[-1,2]},{"name":"c"}])"),
       "patterns[0].steps[1].times[0]: min must be an integer between 0 and 1000000"},
      {steps_def(R"([{"name":"a","times":[3,2]}])"), "patterns[0].steps[0].times[1]: max must be at least min (3)"},
      {steps_def(R"([{"name":"a"},{"name":"b","times":[0,0]},{"name":"c"}])"),
       "patterns[0].steps[1].times[1]: max must be at least 1"},
      {steps_def(R"([{"name":"a","times":[1,"x"]}])"), "patterns[0].steps[0].times[1]: max must be null or"},
      {steps_def(R"([{"name":"a","optional":"yes"}])"), "patterns[0].steps[0].optional: expected true or false"},
      {std_def(R"("contiguity":"loose")"), "patterns[0].contiguity: expected \"strict\" or \"relaxed\""},
      {std_def(R"("withinMs":0)"), "patterns[0].withinMs: expected an integer number of milliseconds >= 1"},
      {std_def(R"("withinMs":1.5)"), "patterns[0].withinMs: expected an integer"},
      {std_def(R"("withinMs":"1000")"), "patterns[0].withinMs: expected an integer"},
      {std_def(R"("maxPartialsPerKey":0)"), "patterns[0].maxPartialsPerKey: expected an integer between 1 and 1024"},
      {std_def(R"("maxPartialsPerKey":1025)"), "patterns[0].maxPartialsPerKey: expected an integer between 1 and 1024"},
      {with(R"("name":"p",)" + ok_steps), "patterns[0].action: missing"},
      {action_def(R"("T")"), "patterns[0].action: expected {\"task\": NAME}"},
      {action_def(R"({"task":"T","broadcast":"b"})"), "patterns[0].action: exactly one of \"task\" and \"broadcast\""},
      {action_def(R"({"message":1})"), "patterns[0].action: exactly one of \"task\" and \"broadcast\""},
      {action_def(R"({"task":""})"), "patterns[0].action.task: expected a non-empty string"},
      {action_def(R"({"broadcast":3})"), "patterns[0].action.broadcast: expected a non-empty string"},
      {action_def(R"({"task":"T","message":{}})"), "patterns[0].action.message: only allowed with \"broadcast\""},
      {action_def(R"({"task":"T","retry":1})"), "patterns[0].action.retry: unknown field"},
  };
  for (const Case& c : cases) {
    auto r = ParsePatternDef(json::parse(c.json), "patterns[0]");
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.json;
    EXPECT_EQ(r.status().message().rfind(c.want, 0), 0u)
        << "input: " << c.json << "\nwant prefix: " << c.want << "\ngot: " << r.status().message();
  }
}

TEST(CepEngine, AddRejectsDefinitionsTheParserWouldRefuse) {
  CepEngine cep;
  PatternDef d = Def(SeqJson("p", {"A", "B"}));
  PatternDef bad = d;
  bad.steps.back().min = 0;
  EXPECT_EQ(cep.Add(bad).code(), StatusCode::kInvalidArgument);
  bad = d;
  bad.action_broadcast = "t";
  EXPECT_EQ(cep.Add(bad).code(), StatusCode::kInvalidArgument);
  bad = d;
  bad.steps.clear();
  EXPECT_EQ(cep.Add(bad).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cep.pattern_count(), 0u);
  EXPECT_TRUE(cep.Add(d).ok());
}

// ---------------------------------------------------------------------------
// Evaluation rules

TEST(CepEngine, SequenceMatchesInOrderIgnoringOtherEventsWhenRelaxed) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("abc", {"A", "B", "C"}))).ok());
  EXPECT_TRUE(f.Pages("C B A").empty());
  EXPECT_EQ(f.cep.partial_matches(), 1);
  auto m = f.Pages("X B Y C", "u", 2000);  // seqs 4..7
  ASSERT_EQ(m.size(), 1u) << Describe(m);
  EXPECT_EQ(m[0].pattern, "abc");
  EXPECT_EQ(m[0].key, "u");
  EXPECT_EQ(m[0].ts_ms, 2003);
  EXPECT_EQ(m[0].start_ts_ms, 1002);
  EXPECT_EQ(m[0].seqs, (Seqs{3, 5, 7}));
  EXPECT_EQ(f.cep.partial_matches(), 0);
}

TEST(CepEngine, StrictContiguityKillsARunOnAnyOtherEventOfItsKey) {
  Feeder strict;
  ASSERT_TRUE(strict.cep.Add(Def(SeqJson("abc", {"A", "B", "C"}, R"({"contiguity":"strict"})"))).ok());
  EXPECT_TRUE(strict.Pages("A B X C").empty());
  EXPECT_EQ(strict.cep.partial_matches(), 0);
  // Another key's events do not break the sequence.
  strict.Feed(Ev("A", "u", 1));
  strict.Feed(Ev("B", "u", 2));
  strict.Feed(Ev("X", "v", 3));
  auto m = strict.Feed(Ev("C", "u", 4));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].seqs, (Seqs{5, 6, 8}));

  Feeder relaxed;
  ASSERT_TRUE(relaxed.cep.Add(Def(SeqJson("abc", {"A", "B", "C"}))).ok());
  EXPECT_EQ(relaxed.Pages("A B X C").size(), 1u);
}

TEST(CepEngine, TimesAtLeastTwoNeedsTwoAndCompletesAsEarlyAsPossible) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("p", {"A", "B{2,}", "C"}))).ok());
  EXPECT_TRUE(f.Pages("A B C").empty());  // one B: C is ignored (relaxed)
  auto m = f.Pages("B B C", "u", 2000);
  ASSERT_EQ(m.size(), 1u) << Describe(m);
  EXPECT_EQ(m[0].seqs, (Seqs{1, 2, 4, 5, 6}));
}

TEST(CepEngine, OneOrMoreTakesEveryRepeatBeforeTheNextStep) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("p", {"A", "B+", "C"}))).ok());
  auto m = f.Pages("A C B B B C");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].seqs, (Seqs{1, 3, 4, 5, 6}));
  // Exact count {2}: the third B is neither a stay nor an advance; ignored.
  Feeder g;
  ASSERT_TRUE(g.cep.Add(Def(SeqJson("p", {"A", "B{2}", "C"}))).ok());
  m = g.Pages("A B B B C");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].seqs, (Seqs{1, 2, 3, 5}));
}

TEST(CepEngine, AdvanceIsTriedBeforeStayingWhenBothMatch) {
  // Step b matches every event, c matches C: C advances rather than repeats b.
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(R"({"name":"p","keyBy":"user","steps":[{"name":"a","where":"pageId == 'A'"},
      {"name":"b","times":[1,null]},{"name":"c","where":"pageId == 'C'"}],"action":{"task":"T"}})")).ok());
  auto m = f.Pages("A X C");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].seqs, (Seqs{1, 2, 3}));
}

TEST(CepEngine, OptionalStepMayBeSkipped) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("p", {"A", "B?", "C"}))).ok());
  auto m = f.Pages("A C");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].seqs, (Seqs{1, 2}));
  m = f.Pages("A B C", "u", 2000);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].seqs, (Seqs{3, 4, 5}));
  // Several optional steps in a row are all skipped over.
  Feeder g;
  ASSERT_TRUE(g.cep.Add(Def(SeqJson("p", {"A", "B*", "C?", "D"}))).ok());
  m = g.Pages("A D");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].seqs, (Seqs{1, 2}));
}

TEST(CepEngine, NegationKillsTheRunOfItsStep) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("p", {"A", "B+", "!P", "!Q", "C"}))).ok());
  EXPECT_TRUE(f.Pages("A B Q C").empty());
  EXPECT_EQ(f.cep.partial_matches(), 0);
  EXPECT_TRUE(f.Pages("A B P C", "u", 2000).empty());
  EXPECT_EQ(f.Pages("A B X C", "u", 3000).size(), 1u);
  // The negation belongs to step B: before B is reached it does not apply.
  EXPECT_EQ(f.Pages("A P B C", "u", 4000).size(), 1u);
}

TEST(CepEngine, WithinExpiresRunsAgainstTheGlobalNow) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("p", {"A", "B"}, R"({"withinMs":100})"))).ok());
  f.Feed(Ev("A", "u", 1000));
  EXPECT_EQ(f.Feed(Ev("B", "u", 1100)).size(), 1u);  // exactly withinMs: still alive
  f.Feed(Ev("A", "u", 2000));
  f.Feed(Ev("X", "other", 2101));  // now = 2101: u's run is now expired
  EXPECT_TRUE(f.Feed(Ev("B", "u", 2050)).empty());  // late event, run already expired
  EXPECT_EQ(f.cep.expired_partials(), 1);
  // A late event inside the window still advances (now 2101, start 2060).
  f.Feed(Ev("A", "u", 2060));
  auto m = f.Feed(Ev("B", "u", 2040));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].ts_ms, 2040);
  EXPECT_EQ(m[0].start_ts_ms, 2060);
  // A late event that is already outside the window starts no run.
  f.Feed(Ev("A", "u", 1990));
  EXPECT_EQ(f.cep.partial_matches(), 0);
}

TEST(CepEngine, SingleStepPatternMatchesAtOnce) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(R"({"name":"one","keyBy":"user","steps":[{"name":"a","where":"pageId == 'A'"}],
      "withinMs":10,"action":{"task":"T"}})")).ok());
  EXPECT_EQ(f.Pages("A X A").size(), 2u);
  EXPECT_EQ(f.cep.partial_matches(), 0);
  f.Feed(Ev("X", "u", 5000));
  EXPECT_TRUE(f.Feed(Ev("A", "u", 4000)).empty());  // outside the window already
  EXPECT_EQ(f.cep.partial_matches_peak(), 0);
}

TEST(CepEngine, KeysAreIsolatedAndAbsentKeysAreSkipped) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("p", {"A", "B"}, R"({"keyBy":"item"})"))).ok());
  auto item = [](const char* page, const char* item, int64_t ts) {
    Event e = Ev(page, "", ts);
    e.item_id = item;
    return e;
  };
  f.Feed(item("A", "sku1", 1));
  f.Feed(item("A", "sku2", 2));
  EXPECT_TRUE(f.Feed(item("B", "", 3)).empty());  // no itemId: skipped
  auto m = f.Feed(item("B", "sku2", 4));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].key, "sku2");
  EXPECT_EQ(m[0].seqs, (Seqs{2, 4}));
  EXPECT_EQ(f.cep.partial_matches(), 1);  // sku1 still waits
  m = f.Feed(item("B", "sku1", 5));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].key, "sku1");
}

TEST(CepEngine, CapPerKeyDropsTheOldestRun) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("p", {"A", "B", "C"}, R"({"maxPartialsPerKey":2})"))).ok());
  f.Pages("A A A");  // the run started by seq 1 is dropped
  EXPECT_EQ(f.cep.partial_matches(), 2);
  EXPECT_EQ(f.cep.dropped_partials(), 1);
  EXPECT_EQ(f.cep.partial_matches_peak(), 2);
  f.Pages("A A A", "v");  // another key has its own cap
  EXPECT_EQ(f.cep.partial_matches(), 4);
  auto m = f.Pages("B C", "u", 2000);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].seqs, (Seqs{2, 7, 8}));
}

TEST(CepEngine, AfterAMatchAllRunsOfTheKeyEndAndTheEventStartsNothing) {
  Feeder f;
  // Step a matches A and B; the B that completes one run must not start another.
  ASSERT_TRUE(f.cep.Add(Def(R"j({"name":"p","keyBy":"user","steps":[
      {"name":"a","where":"pageId in ('A', 'B')"},{"name":"b","where":"pageId == 'B'"}],
      "action":{"task":"T"}})j")).ok());
  auto m = f.Pages("A A B");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].seqs, (Seqs{1, 3}));  // the first-created run wins
  EXPECT_EQ(f.cep.partial_matches(), 0);
  EXPECT_TRUE(f.Pages("B", "u", 2000).empty());  // starts a run only now
  EXPECT_EQ(f.cep.partial_matches(), 1);
  // The first completed run in creation order is reported, not the longest.
  Feeder g;
  ASSERT_TRUE(g.cep.Add(Def(SeqJson("p", {"A", "B?", "C"}))).ok());
  m = g.Pages("A B A C");
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].seqs, (Seqs{1, 2, 4}));
}

TEST(CepEngine, PatternsAreAddedRemovedAndReplacedAtRuntime) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("ab", {"A", "B"}))).ok());
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("ac", {"A", "C"}))).ok());
  EXPECT_EQ(f.cep.pattern_count(), 2u);
  f.Pages("A");
  EXPECT_EQ(f.cep.partial_matches(), 2);
  // Replacing "ab" resets its runs and keeps its reporting position.
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("ab", {"A", "C"}))).ok());
  EXPECT_EQ(f.cep.pattern_count(), 2u);
  EXPECT_EQ(f.cep.partial_matches(), 1);
  f.Pages("A", "u", 2000);
  auto m = f.Pages("C", "u", 3000);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].pattern, "ab");
  EXPECT_EQ(m[0].seqs, (Seqs{2, 3}));
  EXPECT_EQ(m[1].pattern, "ac");
  EXPECT_EQ(m[1].seqs, (Seqs{1, 3}));
  f.Pages("A", "u", 4000);
  ASSERT_TRUE(f.cep.Remove("ac").ok());
  EXPECT_EQ(f.cep.Remove("ac").code(), StatusCode::kNotFound);
  EXPECT_EQ(f.cep.pattern_count(), 1u);
  EXPECT_EQ(f.cep.partial_matches(), 1);
  m = f.Pages("C", "u", 5000);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].pattern, "ab");
}

TEST(CepEngine, RunsRecordOnlyTheLastEventsOfALongRepeat) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("p", {"A", "B+", "C"}))).ok());
  std::string pages = "A";
  for (int i = 0; i < 40; ++i) pages += "B";
  pages += "C";
  auto m = f.Pages(pages);
  ASSERT_EQ(m.size(), 1u);
  ASSERT_EQ(m[0].seqs.size(), CepEngine::kMaxSeqsPerRun);
  EXPECT_EQ(m[0].seqs.front(), 42 - 31);
  EXPECT_EQ(m[0].seqs.back(), 42);
  EXPECT_EQ(m[0].start_ts_ms, 1000);  // start_ts is kept even when seq 1 is not
}

// ---------------------------------------------------------------------------
// Randomized comparison with a brute-force simulator of docs/patterns.md.
// The simulator reads events as plain structs and predicates as sets of page
// letters; it shares no code with the engine.

struct SimEvent {
  std::string page;
  std::optional<std::string> user;  // props.userId
  std::optional<std::string> group;  // props.g
  int64_t ts = 0;
  int64_t seq = 0;

  Event ToEvent() const {
    Event e;
    e.type = "mta";
    e.kind = "pv";
    e.page_id = page;
    e.ts_ms = ts;
    json props = json::object();
    if (user) props["userId"] = *user;
    if (group) props["g"] = *group;
    if (!props.empty()) e.props = props.dump();
    return e;
  }
};

struct SimStep {
  std::string pages;  // the pageIds (one letter each) that match; "*" = every event
  int64_t min = 1, max = 1;  // max -1 = unbounded
  std::vector<std::string> negs;

  static bool Matches(const std::string& pages, const SimEvent& e) {
    return pages == "*" || pages.find(e.page) != std::string::npos;
  }
};

struct SimPattern {
  std::string name;
  std::string key_by;  // "user", "" (one key) or "props.g"
  std::vector<SimStep> steps;
  bool strict = false;
  int64_t within = 0;
  int64_t cap = 16;
};

struct SimRun {
  size_t step;
  int64_t count;
  int64_t start;
  std::vector<int64_t> seqs;
};

class Simulator {
 public:
  explicit Simulator(std::vector<SimPattern> ps) : ps_(std::move(ps)) {}
  int64_t dropped = 0;

  std::vector<PatternMatch> Feed(const SimEvent& e, int64_t now) {
    std::vector<PatternMatch> out;
    for (size_t pi = 0; pi < ps_.size(); ++pi) {
      const SimPattern& p = ps_[pi];
      std::string key;
      if (p.key_by == "user") {
        key = e.user.value_or("");
      } else if (p.key_by == "props.g") {
        if (!e.group) continue;
        key = *e.group;
      }
      std::vector<SimRun>& runs = state_[{pi, key}];
      auto expired = [&](int64_t start) { return p.within > 0 && now - start > p.within; };
      std::vector<SimRun> next;
      for (SimRun run : runs) {
        if (expired(run.start)) continue;
        const SimStep& s = p.steps[run.step];
        bool took = false;
        if (run.count >= s.min) {
          for (size_t j = run.step + 1; j < p.steps.size(); ++j) {
            if (SimStep::Matches(p.steps[j].pages, e)) {
              run.step = j;
              run.count = 1;
              took = true;
              break;
            }
            if (p.steps[j].min > 0) break;
          }
        }
        if (!took && (s.max < 0 || run.count < s.max) && SimStep::Matches(s.pages, e)) {
          run.count += 1;
          took = true;
        }
        if (took) {
          run.seqs.push_back(e.seq);
          if (run.seqs.size() > 32) run.seqs.erase(run.seqs.begin());
          next.push_back(run);
          continue;
        }
        bool killed = false;
        for (const std::string& n : s.negs) killed = killed || SimStep::Matches(n, e);
        if (!killed && !p.strict) next.push_back(run);
      }
      runs = next;
      auto complete = [&](const SimRun& r) {
        return r.step == p.steps.size() - 1 && r.count == p.steps.back().min;
      };
      bool matched = false;
      for (const SimRun& r : runs) {
        if (complete(r)) {
          out.push_back({p.name, key, e.ts, r.start, r.seqs});
          matched = true;
          break;
        }
      }
      if (matched) {
        runs.clear();
        continue;
      }
      if (SimStep::Matches(p.steps[0].pages, e) && !expired(e.ts)) {
        if (static_cast<int64_t>(runs.size()) == p.cap) {
          runs.erase(runs.begin());
          ++dropped;
        }
        SimRun r{0, 1, e.ts, {e.seq}};
        if (complete(r)) {
          out.push_back({p.name, key, e.ts, r.start, r.seqs});
          runs.clear();
        } else {
          runs.push_back(r);
        }
      }
    }
    return out;
  }

 private:
  std::vector<SimPattern> ps_;
  std::map<std::pair<size_t, std::string>, std::vector<SimRun>> state_;
};

std::string PagesWhere(const std::string& pages) {
  if (pages.size() == 1) return "pageId == '" + pages + "'";
  std::string s = "pageId in (";
  for (size_t i = 0; i < pages.size(); ++i) s += (i ? ", '" : "'") + pages.substr(i, 1) + "'";
  return s + ")";
}

// A random pattern over pages A..D, both as JSON and as the simulator's struct.
std::pair<std::string, SimPattern> RandomPattern(std::mt19937_64& rng, const std::string& name) {
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };
  auto random_pages = [&]() -> std::string {
    if (pick(10) == 0) return "*";
    std::string all = "ABCD", s;
    for (char c : all) {
      if (pick(3) == 0) s += c;
    }
    return s.empty() ? std::string(1, all[pick(4)]) : s;
  };
  SimPattern sp;
  sp.name = name;
  json j;
  j["name"] = name;
  const char* keys[] = {"user", "", "props.g"};
  sp.key_by = keys[pick(3)];
  if (!sp.key_by.empty()) j["keyBy"] = sp.key_by;
  int n = 1 + pick(4);
  json steps = json::array();
  for (int i = 0; i < n; ++i) {
    SimStep st;
    st.pages = random_pages();
    json step = {{"name", "s" + std::to_string(i)}};
    if (st.pages != "*") step["where"] = PagesWhere(st.pages);
    bool edge = i == 0 || i == n - 1;
    switch (pick(6)) {
      case 0: break;
      case 1: st.min = st.max = 1 + pick(3); step["times"] = st.min; break;
      case 2:
        st.min = edge ? 1 + pick(2) : pick(3);
        st.max = -1;
        step["times"] = json::array({st.min, nullptr});
        break;
      case 3:
        st.min = edge ? 1 + pick(2) : pick(3);
        st.max = std::max<int64_t>(1, st.min + pick(3));
        step["times"] = json::array({st.min, st.max});
        break;
      case 4:
        if (!edge) {
          st.min = 0;
          step["optional"] = true;
        }
        break;
      default: break;
    }
    steps.push_back(step);
    if (i < n - 1) {
      for (int k = pick(3) == 0 ? 1 + pick(2) : 0; k > 0; --k) {
        std::string neg(1, "ABCDE"[pick(5)]);
        st.negs.push_back(neg);
        steps.push_back({{"not", PagesWhere(neg)}});
      }
    }
    sp.steps.push_back(st);
  }
  j["steps"] = steps;
  sp.strict = pick(4) == 0;
  if (sp.strict) j["contiguity"] = "strict";
  if (pick(3) != 0) {
    sp.within = 5 + pick(40);
    j["withinMs"] = sp.within;
  }
  sp.cap = 1 + pick(4);
  j["maxPartialsPerKey"] = sp.cap;
  j["action"] = {{"task", "T"}};
  return {j.dump(), sp};
}

std::vector<SimEvent> RandomStream(std::mt19937_64& rng, int n) {
  std::vector<SimEvent> out;
  int64_t ts = 1000;
  for (int i = 0; i < n; ++i) {
    SimEvent e;
    e.page = std::string(1, "ABCDE"[rng() % 5]);
    if (rng() % 10) e.user = "u" + std::to_string(rng() % 3);
    if (rng() % 4) e.group = "g" + std::to_string(rng() % 2);
    ts += static_cast<int64_t>(rng() % 4);
    e.ts = rng() % 8 == 0 ? ts - static_cast<int64_t>(rng() % 30) : ts;  // some arrive late
    e.seq = i + 1;
    out.push_back(e);
  }
  return out;
}

void ExpectSameMatches(const std::vector<PatternMatch>& got, const std::vector<PatternMatch>& want,
                       const std::string& context) {
  ASSERT_EQ(Describe(got), Describe(want)) << context;
}

TEST(CepEngine, AgreesWithABruteForceSimulatorOnRandomPatterns) {
  std::mt19937_64 rng(20240601);
  int total_matches = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<SimPattern> sims;
    std::string defs;
    CepEngine cep;
    int np = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < np; ++i) {
      auto [text, sp] = RandomPattern(rng, "p" + std::to_string(i));
      ASSERT_TRUE(cep.Add(Def(text)).ok());
      defs += text + "\n";
      sims.push_back(sp);
    }
    Simulator sim(sims);
    int64_t now = std::numeric_limits<int64_t>::min();
    for (const SimEvent& se : RandomStream(rng, 300)) {
      now = std::max(now, se.ts);
      Event e = se.ToEvent();
      std::vector<PatternMatch> got;
      cep.Process(EventView(e, se.seq), now, &got);
      auto want = sim.Feed(se, now);
      total_matches += static_cast<int>(want.size());
      ExpectSameMatches(got, want, "round " + std::to_string(round) + " seq " + std::to_string(se.seq) + "\n" + defs);
      if (HasFatalFailure()) return;
    }
    EXPECT_EQ(cep.dropped_partials(), sim.dropped) << defs;
  }
  EXPECT_GT(total_matches, 1000);
}

// ---------------------------------------------------------------------------
// Sweeps and memory

TEST(CepEngine, SweepNeverChangesTheMatches) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    CepEngine lazy, swept;
    for (int i = 0; i < 3; ++i) {
      std::string text = RandomPattern(rng, "p" + std::to_string(i)).first;
      ASSERT_TRUE(lazy.Add(Def(text)).ok());
      ASSERT_TRUE(swept.Add(Def(text)).ok());
    }
    int64_t now = std::numeric_limits<int64_t>::min();
    std::vector<PatternMatch> a, b;
    for (const SimEvent& se : RandomStream(rng, 400)) {
      now = std::max(now, se.ts);
      Event e = se.ToEvent();
      lazy.Process(EventView(e, se.seq), now, &a);
      swept.Process(EventView(e, se.seq), now, &b);
      swept.Sweep(now);
    }
    ASSERT_EQ(Describe(a), Describe(b));
    EXPECT_EQ(lazy.dropped_partials(), swept.dropped_partials());
    lazy.Sweep(now);
    EXPECT_EQ(lazy.partial_matches(), swept.partial_matches());
    EXPECT_EQ(lazy.expired_partials(), swept.expired_partials());
  }
}

TEST(CepEngine, MemoryStaysBoundedOverAHundredThousandKeys) {
  CepEngine cep;
  ASSERT_TRUE(cep.Add(Def(SeqJson("p", {"A", "B", "C"}, R"({"withinMs":1000})"))).ok());
  std::mt19937_64 rng(3);
  int64_t ts = 0;
  std::vector<PatternMatch> out;
  for (int i = 0; i < 400000; ++i) {
    Event e = Ev("A", "u" + std::to_string(rng() % 100000), ++ts);  // 1 ms apart
    cep.Process(EventView(e, i + 1), ts, &out);
  }
  // At most withinMs worth of runs (1000) plus one sweep interval of lag.
  EXPECT_LE(cep.partial_matches_peak(), 1000 + 4096 + 1);
  EXPECT_LE(cep.partial_matches(), 1000 + 4096 + 1);
  EXPECT_LT(cep.ApproxBytes(), size_t{4} << 20);
  cep.Sweep(ts);
  EXPECT_LE(cep.partial_matches(), 1001);
  std::printf("[ memory ] 400k events over 100k keys: peak %lld runs, %zu bytes after sweep\n",
              static_cast<long long>(cep.partial_matches_peak()), cep.ApproxBytes());
}

// Keys live in an open-addressing table (cep.cc): removing keys, by a match
// or by a sweep, moves the keys after them in their probe runs. Every key
// that still has runs must be found afterwards, and none that lost them.
TEST(CepEngine, KeysThatKeepRunsAreFoundAfterOthersAreRemoved) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("p", {"A", "B"}, R"({"withinMs":100000})"))).ok());
  const int kKeys = 5000;
  // Every key starts a run; the odd ones start theirs 150 s earlier.
  for (int k = 1; k < kKeys; k += 2) f.Feed(Ev("A", "u" + std::to_string(k), 1000 + k));
  for (int k = 0; k < kKeys; k += 2) f.Feed(Ev("A", "u" + std::to_string(k), 150000 + k));
  f.cep.Sweep(f.now);  // the odd keys' runs are past withinMs (some swept on the way already)
  EXPECT_EQ(f.cep.partial_matches(), kKeys / 2);
  // A third of the even keys complete (and leave the table).
  int matched = 0;
  for (int k = 0; k < kKeys; k += 6) matched += static_cast<int>(f.Feed(Ev("B", "u" + std::to_string(k), 160000)).size());
  EXPECT_EQ(matched, (kKeys + 5) / 6);
  // Now B for every key: exactly the even keys that had not matched yet.
  std::set<std::string> got;
  for (int k = 0; k < kKeys; ++k) {
    for (const PatternMatch& m : f.Feed(Ev("B", "u" + std::to_string(k), 170000))) got.insert(m.key);
  }
  std::set<std::string> want;
  for (int k = 0; k < kKeys; k += 2) {
    if (k % 6 != 0) want.insert("u" + std::to_string(k));
  }
  EXPECT_EQ(got, want);
  EXPECT_EQ(f.cep.partial_matches(), 0);
}

// ---------------------------------------------------------------------------
// Checkpoints

TEST(CepEngine, SaveAndRestoreContinueExactlyLikeUninterruptedProcessing) {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 40; ++round) {
    std::vector<std::string> defs;
    for (int i = 0; i < 3; ++i) defs.push_back(RandomPattern(rng, "p" + std::to_string(i)).first);
    auto make = [&](CepEngine* cep) {
      for (const auto& d : defs) ASSERT_TRUE(cep->Add(Def(d)).ok());
    };
    CepEngine whole;
    make(&whole);
    auto stream = RandomStream(rng, 500);
    std::vector<size_t> cuts;
    for (int k = 0; k < 4; ++k) cuts.push_back(rng() % stream.size());
    std::sort(cuts.begin(), cuts.end());

    std::vector<PatternMatch> want, got;
    auto piece = std::make_unique<CepEngine>();
    make(piece.get());
    int64_t now = std::numeric_limits<int64_t>::min();
    size_t next_cut = 0;
    for (size_t i = 0; i < stream.size(); ++i) {
      while (next_cut < cuts.size() && cuts[next_cut] == i) {
        std::string blob;
        piece->Save(&blob);
        piece = std::make_unique<CepEngine>();
        make(piece.get());
        ASSERT_TRUE(piece->Restore(blob).ok());
        std::string again;
        piece->Save(&again);
        EXPECT_EQ(again, blob);
        ++next_cut;
      }
      now = std::max(now, stream[i].ts);
      Event e = stream[i].ToEvent();
      whole.Process(EventView(e, stream[i].seq), now, &want);
      piece->Process(EventView(e, stream[i].seq), now, &got);
    }
    ASSERT_EQ(Describe(got), Describe(want)) << "round " << round;
    whole.Sweep(now);
    piece->Sweep(now);
    EXPECT_EQ(piece->partial_matches(), whole.partial_matches());
  }
}

TEST(CepEngine, RestoreDropsRunsOfRemovedOrChangedPatterns) {
  Feeder f;
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("keep", {"A", "B"}))).ok());
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("gone", {"A", "C"}))).ok());
  ASSERT_TRUE(f.cep.Add(Def(SeqJson("changed", {"A", "D"}))).ok());
  f.Pages("A");
  std::string blob;
  f.cep.Save(&blob);

  CepEngine other;
  ASSERT_TRUE(other.Add(Def(SeqJson("changed", {"A", "D"}, R"({"withinMs":5000})"))).ok());
  ASSERT_TRUE(other.Add(Def(SeqJson("keep", {"A", "B"}))).ok());
  ASSERT_TRUE(other.Restore(blob).ok());
  EXPECT_EQ(other.partial_matches(), 1);
  Event b = Ev("B", "u", 1001), d = Ev("D", "u", 1002);
  std::vector<PatternMatch> out;
  other.Process(EventView(b, 2), 1001, &out);
  other.Process(EventView(d, 3), 1002, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].pattern, "keep");
  EXPECT_EQ(out[0].seqs, (Seqs{1, 2}));
}

// CRC-32 (IEEE), bit by bit: the checksum the checkpoint ends with.
uint32_t ReferenceCrc32(std::string_view s) {
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
  }
  return ~c;
}

void FixCrc(std::string* blob) {
  uint32_t c = ReferenceCrc32(std::string_view(*blob).substr(0, blob->size() - 4));
  for (int i = 0; i < 4; ++i) (*blob)[blob->size() - 4 + i] = static_cast<char>(c >> (8 * i));
}

TEST(CepEngine, CorruptCheckpointsAreRefusedWithoutCrashingOrChangingState) {
  std::mt19937_64 rng(5);
  std::vector<std::string> defs;
  for (int i = 0; i < 3; ++i) defs.push_back(RandomPattern(rng, "p" + std::to_string(i)).first);
  defs.push_back(SeqJson("long", {"A", "B+", "C"}));
  auto make = [&](CepEngine* cep) {
    for (const auto& d : defs) ASSERT_TRUE(cep->Add(Def(d)).ok());
  };
  CepEngine src;
  make(&src);
  int64_t now = 0;
  auto stream = RandomStream(rng, 300);
  for (const SimEvent& se : stream) {
    now = std::max(now, se.ts);
    Event e = se.ToEvent();
    std::vector<PatternMatch> out;
    src.Process(EventView(e, se.seq), now, &out);
  }
  ASSERT_GT(src.partial_matches(), 3);
  std::string blob;
  src.Save(&blob);
  ASSERT_EQ(ReferenceCrc32(std::string_view(blob).substr(0, blob.size() - 4)),
            static_cast<uint32_t>(static_cast<uint8_t>(blob[blob.size() - 4])) |
                static_cast<uint32_t>(static_cast<uint8_t>(blob[blob.size() - 3])) << 8 |
                static_cast<uint32_t>(static_cast<uint8_t>(blob[blob.size() - 2])) << 16 |
                static_cast<uint32_t>(static_cast<uint8_t>(blob[blob.size() - 1])) << 24);

  CepEngine dst;
  make(&dst);
  ASSERT_TRUE(dst.Restore(blob).ok());
  std::string before;
  dst.Save(&before);

  // Every truncation fails and leaves the state as it was.
  for (size_t n = 0; n < blob.size(); ++n) {
    Status s = dst.Restore(std::string_view(blob).substr(0, n));
    ASSERT_EQ(s.code(), StatusCode::kCorruption) << "length " << n;
  }
  std::string after;
  dst.Save(&after);
  EXPECT_EQ(after, before);

  // Random byte flips: the checksum catches them. With the checksum fixed up,
  // the structural checks must still give an error or a usable state.
  int accepted = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    std::string bad = blob;
    int flips = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < flips; ++k) bad[rng() % (bad.size() - 4)] ^= static_cast<char>(1 + rng() % 255);
    if (trial % 2 == 0) {
      EXPECT_EQ(dst.Restore(bad).code(), StatusCode::kCorruption);
      continue;
    }
    FixCrc(&bad);
    CepEngine probe;
    make(&probe);
    Status s = probe.Restore(bad);
    if (!s.ok()) {
      EXPECT_EQ(s.code(), StatusCode::kCorruption);
      EXPECT_EQ(probe.partial_matches(), 0);
      continue;
    }
    ++accepted;
    std::vector<PatternMatch> out;
    for (int i = 0; i < 50; ++i) {
      Event e = stream[i].ToEvent();
      probe.Process(EventView(e, 1000 + i), now + i, &out);
    }
    std::string round_trip;
    probe.Save(&round_trip);
    CepEngine again;
    make(&again);
    EXPECT_TRUE(again.Restore(round_trip).ok());
  }
  // Flips of seq and ts bytes keep the structure valid, so some are accepted.
  EXPECT_GT(accepted, 0);
  std::printf("[ corrupt ] %zu-byte blob: %d of 2000 checksum-fixed flips gave a valid state\n",
              blob.size(), accepted);
}

// ---------------------------------------------------------------------------
// Throughput (printed, never asserted)

TEST(CepEngine, ThroughputOfTwentyPatterns) {
  CepEngine cep;
  for (int i = 0; i < 20; ++i) {
    std::string text = json{{"name", "p" + std::to_string(i)},
                            {"keyBy", "user"},
                            {"steps", json::array({
                                          {{"name", "view"}, {"where", "kind == 'pv' and pageId == 'P" + std::to_string(i) + "'"}},
                                          {{"name", "click"}, {"where", "clickId == 'C" + std::to_string(i % 10) + "'"}, {"times", json::array({1, nullptr})}},
                                          {{"not", "pageId == 'Pay'"}},
                                          {{"name", "home"}, {"where", "pageId == 'Home'"}},
                                      })},
                            {"withinMs", 600000},
                            {"action", {{"task", "T"}}}}
                           .dump();
    ASSERT_TRUE(cep.Add(Def(text)).ok());
  }
  std::mt19937_64 rng(1);
  std::vector<Event> events;
  for (int i = 0; i < 100000; ++i) {
    Event e;
    e.type = "mta";
    int r = static_cast<int>(rng() % 100);
    e.kind = r < 40 ? "pv" : "click";
    e.page_id = r < 2 ? "Home" : r < 3 ? "Pay" : "P" + std::to_string(rng() % 200);
    if (e.kind == "click") e.click_id = "C" + std::to_string(rng() % 100);
    e.ts_ms = 1700000000000 + i * 10;
    e.props = json{{"userId", "user" + std::to_string(rng() % 10000)}}.dump();
    events.push_back(std::move(e));
  }
  std::vector<PatternMatch> out;
  // Thread CPU time as well as wall time: the CPU time is not inflated when
  // the machine is busy with other work.
  auto cpu_ns = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
  };
  auto t0 = std::chrono::steady_clock::now();
  double c0 = cpu_ns();
  for (size_t i = 0; i < events.size(); ++i) {
    cep.Process(EventView(events[i], static_cast<int64_t>(i + 1)), events[i].ts_ms, &out);
  }
  double c1 = cpu_ns();
  auto t1 = std::chrono::steady_clock::now();
  double wall = std::chrono::duration<double, std::nano>(t1 - t0).count() / events.size();
  double cpu = (c1 - c0) / events.size();
  std::printf("[ throughput ] 20 patterns, 100k events, 10k keys: %.0f ns/event (cpu %.0f ns), "
              "%zu matches, peak %lld runs, %zu bytes\n",
              wall, cpu, out.size(), static_cast<long long>(cep.partial_matches_peak()), cep.ApproxBytes());
  EXPECT_GT(out.size(), 0u);
}

}  // namespace
}  // namespace edgeflow::pipeline
