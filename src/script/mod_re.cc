// The re module: Pattern and Match objects over the regex engine (regex.h),
// the module functions with CPython's scanning loops (findall, finditer, sub,
// split and their empty-match rules), re.error, and a process-wide cache of
// compiled patterns (compiled patterns are immutable and shared by threads).
#include <list>
#include <map>
#include <mutex>

#include "script/modules.h"
#include "script/regex.h"
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

ClassObj* g_pattern_cls = nullptr;
ClassObj* g_match_cls = nullptr;
ClassObj* g_error_cls = nullptr;

std::u32string ToU32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    int len;
    out.push_back(DecodeUtf8(s.data() + i, &len));
    i += len;
  }
  return out;
}

std::string FromU32(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) AppendUtf8(out, c);
  return out;
}

// ---- the compiled-pattern cache (process-wide) ----

using SharedPattern = std::shared_ptr<const regex::Pattern>;

struct PatternCache {
  std::mutex mu;
  std::map<std::pair<std::string, int>, SharedPattern> map;
};

PatternCache& Cache() {
  static auto* c = new PatternCache();
  return *c;
}

[[noreturn]] void RaiseCompileError(VM& vm, const regex::CompileError& e, const Value& pattern) {
  switch (e.kind) {
    case regex::ErrorKind::kOverflowError: Raise(vm, T().OverflowError, e.message);
    case regex::ErrorKind::kValueError: ValueError(vm, e.message);
    case regex::ErrorKind::kIndexError: Raise(vm, T().IndexError, e.message);
    case regex::ErrorKind::kRecursionError: Raise(vm, T().RecursionError, e.message);
    case regex::ErrorKind::kUnsupported:
      Raise(vm, T().NotImplementedError, e.message + " (not supported by edgeflow scripts)");
    case regex::ErrorKind::kReError: break;
  }
  // re.error(msg, pattern, pos): str is "msg at position N" (plus line/column for
  // multi-line patterns), as sre_constants.error formats it.
  std::string text = e.message;
  int64_t lineno = 1, colno = e.pos + 1;
  std::string_view pat = IsStr(pattern) ? As<StrObj>(pattern)->view() : "";
  if (e.pos >= 0) {
    text += " at position " + std::to_string(e.pos);
    int64_t i = 0, last_nl = -1;
    for (size_t b = 0; b < pat.size() && i < e.pos;) {
      int len;
      if (DecodeUtf8(pat.data() + b, &len) == '\n') {
        ++lineno;
        last_nl = i;
      }
      b += len;
      ++i;
    }
    colno = e.pos - last_nl;
    if (pat.find('\n') != std::string_view::npos) {
      text += " (line " + std::to_string(lineno) + ", column " + std::to_string(colno) + ")";
    }
  }
  Value exc = MakeException(vm, g_error_cls, text);
  RootScope keep(vm);
  keep.Keep(exc);
  auto* in = As<InstanceObj>(exc);
  in->dict = NewDict(&vm);
  DictSet(&vm, in->dict, Str(vm, "msg"), Str(vm, e.message));
  DictSet(&vm, in->dict, Str(vm, "pattern"), pattern.unbound() ? Value::None() : pattern);
  DictSet(&vm, in->dict, Str(vm, "pos"), e.pos >= 0 ? Value::Int(e.pos) : Value::None());
  DictSet(&vm, in->dict, Str(vm, "lineno"), e.pos >= 0 ? Value::Int(lineno) : Value::None());
  DictSet(&vm, in->dict, Str(vm, "colno"), e.pos >= 0 ? Value::Int(colno) : Value::None());
  RaiseValue(vm, exc);
}

SharedPattern CompileCached(VM& vm, const Value& pattern, int flags) {
  std::string key(As<StrObj>(pattern)->view());
  PatternCache& c = Cache();
  {
    std::lock_guard<std::mutex> lock(c.mu);
    auto it = c.map.find({key, flags});
    if (it != c.map.end()) return it->second;
  }
  regex::CompileError err;
  std::unique_ptr<regex::Pattern> p = regex::Pattern::Compile(ToU32(key), flags, &err);
  if (!p) RaiseCompileError(vm, err, pattern);
  SharedPattern shared(std::move(p));
  std::lock_guard<std::mutex> lock(c.mu);
  if (c.map.size() >= 512) c.map.clear();  // CPython's cache is bounded too
  c.map[{key, flags}] = shared;
  return shared;
}

// ---- objects ----

struct PatternData : HostData {
  SharedPattern re;
  Value source;  // the pattern str
  void Trace(std::vector<Value>* out) const override { out->push_back(source); }
};

// A subject string in both forms: the script value and its code points.
struct Subject {
  Value str;
  std::shared_ptr<const std::u32string> text;
  bool ascii = false;
};

struct MatchData : HostData {
  Value pattern;  // the Pattern object
  Subject subject;
  regex::Match m;
  int64_t pos = 0, endpos = 0;
  void Trace(std::vector<Value>* out) const override {
    out->push_back(pattern);
    out->push_back(subject.str);
  }
  int64_t bytes() const override {
    return static_cast<int64_t>(sizeof(MatchData) + m.spans.size() * sizeof(int64_t));
  }
};

PatternData* PatternOf(VM& vm, const Value& v) {
  if (!IsObj(v, Kind::kHost) || v.o->cls != g_pattern_cls) {
    TypeError(vm, "descriptor requires a 're.Pattern' object");
  }
  return static_cast<PatternData*>(As<HostObj>(v)->data);
}

MatchData* MatchOf(VM& vm, const Value& v) {
  if (!IsObj(v, Kind::kHost) || v.o->cls != g_match_cls) {
    TypeError(vm, "descriptor requires a 're.Match' object");
  }
  return static_cast<MatchData*>(As<HostObj>(v)->data);
}

Value NewPattern(VM& vm, const Value& source, SharedPattern re) {
  auto* d = new PatternData();
  d->re = std::move(re);
  d->source = source;
  return V(NewHost(&vm, g_pattern_cls, d));
}

int FlagsArg(VM& vm, const Value& v) {
  if (v.unbound()) return 0;
  return static_cast<int>(IndexValue(vm, v));
}

// re.compile semantics for a str or an already compiled pattern.
Value GetPattern(VM& vm, const Value& pattern, const Value& flags_arg) {
  int flags = FlagsArg(vm, flags_arg);
  if (IsObj(pattern, Kind::kHost) && pattern.o->cls == g_pattern_cls) {
    if (flags != 0) ValueError(vm, "cannot process flags argument with a compiled pattern");
    return pattern;
  }
  if (!IsStr(pattern)) TypeError(vm, "first argument must be string or compiled pattern");
  return NewPattern(vm, pattern, CompileCached(vm, pattern, flags));
}

Subject SubjectOf(VM& vm, const Value& v) {
  if (!IsStr(v)) {
    TypeError(vm, "expected string or bytes-like object, got '" + std::string(TypeName(v)) + "'");
  }
  Subject s;
  s.str = v;
  s.ascii = As<StrObj>(v)->ascii;
  s.text = std::make_shared<const std::u32string>(ToU32(As<StrObj>(v)->view()));
  return s;
}

Value Slice(VM& vm, const Subject& s, int64_t a, int64_t b) {
  if (a < 0 || b < a) return Value::None();
  auto* str = As<StrObj>(s.str);
  if (a == 0 && b == str->ncp) return s.str;
  if (s.ascii) return V(NewStrAscii(&vm, std::string_view(str->data + a, b - a)));
  return V(NewStr(&vm, FromU32(std::u32string_view(*s.text).substr(a, b - a))));
}

// Runs the engine with the context's limits: a poll every few thousand steps
// checks cancellation and charges the instruction budget.
bool Exec(VM& vm, const regex::Pattern& re, const Subject& s, int64_t pos, int64_t endpos,
          regex::Mode mode, bool must_advance, regex::Match* m) {
  regex::ExecOptions opt;
  opt.must_advance = must_advance;
  opt.max_state_bytes = static_cast<size_t>(std::min<int64_t>(vm.limits.memory_bytes, int64_t{256} << 20));
  opt.poll = [&vm] {
    vm.ticks += 64;
    if (vm.limits.cancel != nullptr && vm.limits.cancel->cancelled()) return false;
    return vm.limits.instructions < 0 || vm.ticks <= vm.limits.instructions;
  };
  switch (re.Exec(*s.text, pos, endpos, mode, opt, m)) {
    case regex::ExecResult::kMatch: return true;
    case regex::ExecResult::kNoMatch: return false;
    case regex::ExecResult::kOutOfMemory: Raise(vm, T().MemoryError, "regular expression backtracking state too large");
    case regex::ExecResult::kAborted: break;
  }
  if (vm.limits.cancel != nullptr && vm.limits.cancel->cancelled()) {
    RaiseFatal(vm, Status::Cancelled("script cancelled"));
  }
  RaiseFatal(vm, Status::ResourceExhausted("script instruction budget exhausted (in a regular expression)"));
}

Value NewMatch(VM& vm, const Value& pattern, const Subject& s, regex::Match&& m, int64_t pos,
               int64_t endpos) {
  auto* d = new MatchData();
  d->pattern = pattern;
  d->subject = s;
  d->m = std::move(m);
  d->pos = pos;
  d->endpos = endpos;
  return V(NewHost(&vm, g_match_cls, d));
}

void Clamp(const Subject& s, const Value& pos_v, const Value& end_v, VM& vm, int64_t* pos,
           int64_t* endpos) {
  int64_t n = static_cast<int64_t>(s.text->size());
  *pos = pos_v.unbound() ? 0 : IndexValue(vm, pos_v);
  *endpos = end_v.unbound() ? n : IndexValue(vm, end_v);
  if (*pos < 0) *pos = 0;
  if (*pos > n) *pos = n;
  if (*endpos < 0) *endpos = 0;
  if (*endpos > n) *endpos = n;
}

// ---- Pattern methods (also behind the module functions) ----

Value DoMatch(VM& vm, const Value& pat, const Value& string, const Value& pos_v,
              const Value& end_v, regex::Mode mode) {
  PatternData* p = PatternOf(vm, pat);
  Subject s = SubjectOf(vm, string);
  int64_t pos, endpos;
  Clamp(s, pos_v, end_v, vm, &pos, &endpos);
  regex::Match m;
  if (!Exec(vm, *p->re, s, pos, endpos, mode, false, &m)) return Value::None();
  return NewMatch(vm, pat, s, std::move(m), pos, endpos);
}

Value GroupValue(VM& vm, const Subject& s, const regex::Match& m, int g, const Value& dflt) {
  int64_t a = m.spans[2 * g], b = m.spans[2 * g + 1];
  if (a < 0) return dflt;
  return Slice(vm, s, a, b);
}

Value DoFindall(VM& vm, const Value& pat, const Value& string, const Value& pos_v, const Value& end_v) {
  PatternData* p = PatternOf(vm, pat);
  Subject s = SubjectOf(vm, string);
  int64_t pos, endpos;
  Clamp(s, pos_v, end_v, vm, &pos, &endpos);
  ListObj* out = NewList(&vm, 0);
  RootScope keep(vm);
  keep.Keep(V(out));
  Value empty = Str(vm, "");
  bool must_advance = false;
  int groups = p->re->groups();
  while (pos <= endpos) {
    regex::Match m;
    if (!Exec(vm, *p->re, s, pos, endpos, regex::Mode::kSearch, must_advance, &m)) break;
    Value item;
    if (groups == 0) {
      item = Slice(vm, s, m.spans[0], m.spans[1]);
    } else if (groups == 1) {
      item = GroupValue(vm, s, m, 1, empty);
    } else {
      TupleObj* t = NewTuple(&vm, groups);
      for (int g = 1; g <= groups; ++g) t->items[g - 1] = GroupValue(vm, s, m, g, empty);
      item = V(t);
    }
    ListAppend(vm, out, item);
    must_advance = m.spans[1] == m.spans[0];
    pos = m.spans[1];
  }
  return V(out);
}

bool FinditerNext(VM& vm, IterObj* it, Value* out) {
  // a: Pattern, b: subject str; i: pos, j: endpos, k: bit 0 must_advance, bit 1 done.
  if (it->k & 2) return false;
  PatternData* p = PatternOf(vm, it->a);
  auto* holder = static_cast<MatchData*>(As<HostObj>(it->c)->data);  // carries the Subject
  const Subject& s = holder->subject;
  if (it->i > it->j) {
    it->k |= 2;
    return false;
  }
  regex::Match m;
  if (!Exec(vm, *p->re, s, it->i, it->j, regex::Mode::kSearch, (it->k & 1) != 0, &m)) {
    it->k |= 2;
    return false;
  }
  it->k = m.spans[1] == m.spans[0] ? 1 : 0;
  it->i = m.spans[1];
  *out = NewMatch(vm, it->a, s, std::move(m), holder->pos, holder->endpos);
  return true;
}

Value DoFinditer(VM& vm, const Value& pat, const Value& string, const Value& pos_v, const Value& end_v) {
  PatternOf(vm, pat);
  Subject s = SubjectOf(vm, string);
  int64_t pos, endpos;
  Clamp(s, pos_v, end_v, vm, &pos, &endpos);
  // A match-less MatchData keeps the converted subject for all the matches.
  Value holder = NewMatch(vm, pat, s, regex::Match(), pos, endpos);
  RootScope keep(vm);
  keep.Keep(holder);
  IterObj* it = NewIter(&vm, "callable_iterator", FinditerNext);
  it->a = pat;
  it->b = string;
  it->c = holder;
  it->i = pos;
  it->j = endpos;
  it->k = 0;
  return V(it);
}

Value DoSub(VM& vm, const Value& pat, const Value& repl, const Value& string, const Value& count_v,
            bool with_count) {
  PatternData* p = PatternOf(vm, pat);
  Subject s = SubjectOf(vm, string);
  int64_t count = count_v.unbound() ? 0 : IndexValue(vm, count_v);
  std::unique_ptr<regex::Template> tmpl;
  bool callable = !IsStr(repl);
  if (!callable) {
    regex::CompileError err;
    tmpl = regex::Template::Parse(*p->re, ToU32(As<StrObj>(repl)->view()), &err);
    if (!tmpl) RaiseCompileError(vm, err, repl);
  } else if (!Callable(repl)) {
    TypeError(vm, "expected str instance, " + std::string(TypeName(repl)) + " found");
  }
  const std::u32string& text = *s.text;
  int64_t n = static_cast<int64_t>(text.size());
  // The output is built in code points and moved to UTF-8 (its final size) in
  // chunks, charged as it grows: a replacement can make it far larger than the input.
  std::string utf8;
  std::u32string out;
  int64_t i = 0, pos = 0, done = 0;
  bool must_advance = false;
  RootScope keep(vm);
  while ((count <= 0 || done < count) && pos <= n) {
    if (out.size() >= 4096) {
      CheckRoom(vm, static_cast<int64_t>(utf8.size() + out.size()));
      utf8 += FromU32(out);
      out.clear();
    }
    regex::Match m;
    if (!Exec(vm, *p->re, s, pos, n, regex::Mode::kSearch, must_advance, &m)) break;
    int64_t b = m.spans[0], e = m.spans[1];
    out.append(text, i, b - i);
    if (callable) {
      Value mobj = NewMatch(vm, pat, s, regex::Match(m), 0, n);
      keep.Keep(mobj);
      Value r = Call1(vm, repl, mobj);
      if (!IsStr(r)) TypeError(vm, "expected str instance, " + std::string(TypeName(r)) + " found");
      out += ToU32(As<StrObj>(r)->view());
    } else {
      tmpl->Expand(text, m, &out);
    }
    i = e;
    ++done;
    must_advance = e == b;
    pos = e;
  }
  out.append(text, i, std::u32string::npos);
  CheckRoom(vm, static_cast<int64_t>(utf8.size() + out.size()));
  utf8 += FromU32(out);
  Value result = V(NewStr(&vm, utf8));
  if (!with_count) return result;
  Value items[2] = {result, Value::Int(done)};
  return V(NewTupleFrom(&vm, items, 2));
}

Value DoSplit(VM& vm, const Value& pat, const Value& string, const Value& maxsplit_v) {
  PatternData* p = PatternOf(vm, pat);
  Subject s = SubjectOf(vm, string);
  int64_t maxsplit = maxsplit_v.unbound() ? 0 : IndexValue(vm, maxsplit_v);
  int64_t n = static_cast<int64_t>(s.text->size());
  ListObj* out = NewList(&vm, 0);
  RootScope keep(vm);
  keep.Keep(V(out));
  int64_t last = 0, pos = 0, done = 0;
  bool must_advance = false;
  int groups = p->re->groups();
  while ((maxsplit <= 0 || done < maxsplit) && pos <= n) {
    regex::Match m;
    if (!Exec(vm, *p->re, s, pos, n, regex::Mode::kSearch, must_advance, &m)) break;
    ListAppend(vm, out, Slice(vm, s, last, m.spans[0]));
    for (int g = 1; g <= groups; ++g) ListAppend(vm, out, GroupValue(vm, s, m, g, Value::None()));
    ++done;
    must_advance = m.spans[1] == m.spans[0];
    last = pos = m.spans[1];
  }
  ListAppend(vm, out, Slice(vm, s, last, n));
  return V(out);
}

// ---- natives ----

Value PMatch(VM& vm, Value* a, int n, TupleObj* kw, regex::Mode mode, const char* name) {
  Value o[3];
  ParseArgs(vm, {name, {"string", "pos", "endpos"}, 1}, a + 1, n - 1, kw, o);
  return DoMatch(vm, a[0], o[0], o[1], o[2], mode);
}
Value PSearchM(VM& vm, Value* a, int n, TupleObj* kw) { return PMatch(vm, a, n, kw, regex::Mode::kSearch, "search"); }
Value PMatchM(VM& vm, Value* a, int n, TupleObj* kw) { return PMatch(vm, a, n, kw, regex::Mode::kMatch, "match"); }
Value PFullmatchM(VM& vm, Value* a, int n, TupleObj* kw) { return PMatch(vm, a, n, kw, regex::Mode::kFullMatch, "fullmatch"); }

Value PFindall(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[3];
  ParseArgs(vm, {"findall", {"string", "pos", "endpos"}, 1}, a + 1, n - 1, kw, o);
  return DoFindall(vm, a[0], o[0], o[1], o[2]);
}

Value PFinditer(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[3];
  ParseArgs(vm, {"finditer", {"string", "pos", "endpos"}, 1}, a + 1, n - 1, kw, o);
  return DoFinditer(vm, a[0], o[0], o[1], o[2]);
}

Value PSub(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[3];
  ParseArgs(vm, {"sub", {"repl", "string", "count"}, 2}, a + 1, n - 1, kw, o);
  return DoSub(vm, a[0], o[0], o[1], o[2], false);
}

Value PSubn(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[3];
  ParseArgs(vm, {"subn", {"repl", "string", "count"}, 2}, a + 1, n - 1, kw, o);
  return DoSub(vm, a[0], o[0], o[1], o[2], true);
}

Value PSplit(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[2];
  ParseArgs(vm, {"split", {"string", "maxsplit"}, 1}, a + 1, n - 1, kw, o);
  return DoSplit(vm, a[0], o[0], o[1]);
}

std::string FlagsRepr(int flags) {
  static const std::pair<int, const char*> kNames[] = {
      {regex::kTemplate, "re.TEMPLATE"}, {regex::kIgnoreCase, "re.IGNORECASE"},
      {regex::kLocale, "re.LOCALE"},     {regex::kMultiline, "re.MULTILINE"},
      {regex::kDotAll, "re.DOTALL"},     {regex::kUnicode, "re.UNICODE"},
      {regex::kVerbose, "re.VERBOSE"},   {regex::kDebug, "re.DEBUG"},
      {regex::kAscii, "re.ASCII"}};
  std::string out;
  for (auto [bit, name] : kNames) {
    if (flags & bit) {
      if (!out.empty()) out += "|";
      out += name;
      flags &= ~bit;
    }
  }
  if (flags) out += (out.empty() ? "" : "|") + ("0x" + [&] {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%x", flags);
    return std::string(buf);
  }());
  return out;
}

Value PRepr(VM& vm, Value* a, int, TupleObj*) {
  PatternData* p = PatternOf(vm, a[0]);
  std::string src = Repr(vm, p->source);
  if (src.size() > 200) src = src.substr(0, 200);
  int flags = p->re->flags() & ~regex::kUnicode;
  std::string out = "re.compile(" + src;
  if (flags != 0) out += ", " + FlagsRepr(flags);
  return Str(vm, out + ")");
}

Value PEq(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__eq__", n, 2, 2);
  if (!IsObj(a[1], Kind::kHost) || a[1].o->cls != g_pattern_cls) return V(T().not_implemented);
  PatternData* x = PatternOf(vm, a[0]);
  PatternData* y = PatternOf(vm, a[1]);
  return Value::Bool(x->re->flags() == y->re->flags() && Eq(vm, x->source, y->source));
}

Value PHash(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__hash__", n, 1, 1);
  PatternData* p = PatternOf(vm, a[0]);
  // Equal patterns (same source and flags) hash equal.
  return Value::Int(static_cast<int64_t>(Hash(vm, p->source) ^ static_cast<uint64_t>(p->re->flags())));
}

Value PatternAttr(VM& vm, Value* a, int n, TupleObj*, int which) {
  CheckArgs(vm, "attribute", n, 1, 1);
  PatternData* p = PatternOf(vm, a[0]);
  switch (which) {
    case 0: return p->source;
    case 1: return Value::Int(p->re->flags());
    case 2: return Value::Int(p->re->groups());
    default: {
      DictObj* d = NewDict(&vm);
      for (const auto& [name, idx] : p->re->group_index()) DictSet(&vm, d, Str(vm, name), Value::Int(idx));
      return V(d);
    }
  }
}

// ---- Match methods ----

int GroupIndex(VM& vm, MatchData* d, const Value& g) {
  int groups = static_cast<int>(d->m.spans.size() / 2) - 1;
  if (g.is_intlike()) {
    if (g.i < 0 || g.i > groups) Raise(vm, T().IndexError, "no such group");
    return static_cast<int>(g.i);
  }
  if (IsStr(g)) {
    PatternData* p = PatternOf(vm, d->pattern);
    for (const auto& [name, idx] : p->re->group_index()) {
      if (name == As<StrObj>(g)->view()) return idx;
    }
  }
  Raise(vm, T().IndexError, "no such group");
}

Value MGroup(VM& vm, Value* a, int n, TupleObj*) {
  MatchData* d = MatchOf(vm, a[0]);
  if (n <= 2) {
    int g = n == 2 ? GroupIndex(vm, d, a[1]) : 0;
    return GroupValue(vm, d->subject, d->m, g, Value::None());
  }
  TupleObj* t = NewTuple(&vm, n - 1);
  for (int i = 1; i < n; ++i) {
    t->items[i - 1] = GroupValue(vm, d->subject, d->m, GroupIndex(vm, d, a[i]), Value::None());
  }
  return V(t);
}

Value MGetitem(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__getitem__", n - 1, 1, 1);
  MatchData* d = MatchOf(vm, a[0]);
  return GroupValue(vm, d->subject, d->m, GroupIndex(vm, d, a[1]), Value::None());
}

Value MGroups(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[1];
  ParseArgs(vm, {"groups", {"default"}, 0}, a + 1, n - 1, kw, o);
  MatchData* d = MatchOf(vm, a[0]);
  Value dflt = o[0].unbound() ? Value::None() : o[0];
  int groups = static_cast<int>(d->m.spans.size() / 2) - 1;
  TupleObj* t = NewTuple(&vm, groups);
  for (int g = 1; g <= groups; ++g) t->items[g - 1] = GroupValue(vm, d->subject, d->m, g, dflt);
  return V(t);
}

Value MGroupdict(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[1];
  ParseArgs(vm, {"groupdict", {"default"}, 0}, a + 1, n - 1, kw, o);
  MatchData* d = MatchOf(vm, a[0]);
  Value dflt = o[0].unbound() ? Value::None() : o[0];
  DictObj* out = NewDict(&vm);
  RootScope keep(vm);
  keep.Keep(V(out));
  for (const auto& [name, idx] : PatternOf(vm, d->pattern)->re->group_index()) {
    DictSet(&vm, out, Str(vm, name), GroupValue(vm, d->subject, d->m, idx, dflt));
  }
  return V(out);
}

Value MSpanPart(VM& vm, Value* a, int n, int which) {
  CheckArgs(vm, which == 0 ? "start" : which == 1 ? "end" : "span", n - 1, 0, 1);
  MatchData* d = MatchOf(vm, a[0]);
  int g = n == 2 ? GroupIndex(vm, d, a[1]) : 0;
  int64_t s = d->m.spans[2 * g], e = d->m.spans[2 * g + 1];
  if (which == 0) return Value::Int(s);
  if (which == 1) return Value::Int(e);
  Value items[2] = {Value::Int(s), Value::Int(e)};
  return V(NewTupleFrom(&vm, items, 2));
}
Value MStart(VM& vm, Value* a, int n, TupleObj*) { return MSpanPart(vm, a, n, 0); }
Value MEnd(VM& vm, Value* a, int n, TupleObj*) { return MSpanPart(vm, a, n, 1); }
Value MSpan(VM& vm, Value* a, int n, TupleObj*) { return MSpanPart(vm, a, n, 2); }

Value MExpand(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "expand", n - 1, 1, 1);
  MatchData* d = MatchOf(vm, a[0]);
  if (!IsStr(a[1])) TypeError(vm, "expected str instance, " + std::string(TypeName(a[1])) + " found");
  regex::CompileError err;
  std::u32string out;
  if (!regex::ExpandTemplate(*PatternOf(vm, d->pattern)->re, ToU32(As<StrObj>(a[1])->view()),
                             *d->subject.text, d->m, &out, &err)) {
    RaiseCompileError(vm, err, a[1]);
  }
  return V(NewStr(&vm, FromU32(out)));
}

Value MRepr(VM& vm, Value* a, int, TupleObj*) {
  MatchData* d = MatchOf(vm, a[0]);
  Value whole = GroupValue(vm, d->subject, d->m, 0, Value::None());
  return Str(vm, "<re.Match object; span=(" + IntToString(d->m.spans[0]) + ", " +
                     IntToString(d->m.spans[1]) + "), match=" + Repr(vm, whole) + ">");
}

Value MBool(VM&, Value*, int, TupleObj*) { return Value::Bool(true); }

Value MatchAttr(VM& vm, Value* a, int which) {
  MatchData* d = MatchOf(vm, a[0]);
  switch (which) {
    case 0: return d->subject.str;
    case 1: return d->pattern;
    case 2: return Value::Int(d->pos);
    case 3: return Value::Int(d->endpos);
    case 4: return d->m.lastindex < 0 ? Value::None() : Value::Int(d->m.lastindex);
    default: {
      if (d->m.lastindex < 0) return Value::None();
      for (const auto& [name, idx] : PatternOf(vm, d->pattern)->re->group_index()) {
        if (idx == d->m.lastindex) return Str(vm, name);
      }
      return Value::None();
    }
  }
}

// ---- module functions ----

Value RCompile(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[2];
  ParseArgs(vm, {"compile", {"pattern", "flags"}, 1}, a, n, kw, o);
  return GetPattern(vm, o[0], o[1]);
}

Value RMatchLike(VM& vm, Value* a, int n, TupleObj* kw, regex::Mode mode, const char* name) {
  Value o[3];
  ParseArgs(vm, {name, {"pattern", "string", "flags"}, 2}, a, n, kw, o);
  RootScope keep(vm);
  Value pat = keep.Keep(GetPattern(vm, o[0], o[2]));
  return DoMatch(vm, pat, o[1], Value(), Value(), mode);
}
Value RSearch(VM& vm, Value* a, int n, TupleObj* kw) { return RMatchLike(vm, a, n, kw, regex::Mode::kSearch, "search"); }
Value RMatch(VM& vm, Value* a, int n, TupleObj* kw) { return RMatchLike(vm, a, n, kw, regex::Mode::kMatch, "match"); }
Value RFullmatch(VM& vm, Value* a, int n, TupleObj* kw) { return RMatchLike(vm, a, n, kw, regex::Mode::kFullMatch, "fullmatch"); }

Value RFindall(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[3];
  ParseArgs(vm, {"findall", {"pattern", "string", "flags"}, 2}, a, n, kw, o);
  RootScope keep(vm);
  Value pat = keep.Keep(GetPattern(vm, o[0], o[2]));
  return DoFindall(vm, pat, o[1], Value(), Value());
}

Value RFinditer(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[3];
  ParseArgs(vm, {"finditer", {"pattern", "string", "flags"}, 2}, a, n, kw, o);
  RootScope keep(vm);
  Value pat = keep.Keep(GetPattern(vm, o[0], o[2]));
  return DoFinditer(vm, pat, o[1], Value(), Value());
}

Value RSubImpl(VM& vm, Value* a, int n, TupleObj* kw, bool with_count) {
  Value o[5];
  ParseArgs(vm, {with_count ? "subn" : "sub", {"pattern", "repl", "string", "count", "flags"}, 3},
            a, n, kw, o);
  RootScope keep(vm);
  Value pat = keep.Keep(GetPattern(vm, o[0], o[4]));
  return DoSub(vm, pat, o[1], o[2], o[3], with_count);
}
Value RSub(VM& vm, Value* a, int n, TupleObj* kw) { return RSubImpl(vm, a, n, kw, false); }
Value RSubn(VM& vm, Value* a, int n, TupleObj* kw) { return RSubImpl(vm, a, n, kw, true); }

Value RSplit(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[4];
  ParseArgs(vm, {"split", {"pattern", "string", "maxsplit", "flags"}, 2}, a, n, kw, o);
  RootScope keep(vm);
  Value pat = keep.Keep(GetPattern(vm, o[0], o[3]));
  return DoSplit(vm, pat, o[1], o[2]);
}

Value REscape(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "escape", n, 1, 1);
  if (!IsStr(a[0])) TypeError(vm, "expected str instance, " + std::string(TypeName(a[0])) + " found");
  return V(NewStr(&vm, FromU32(regex::Escape(ToU32(As<StrObj>(a[0])->view())))));
}

Value RPurge(VM&, Value*, int, TupleObj*) {
  std::lock_guard<std::mutex> lock(Cache().mu);
  Cache().map.clear();
  return Value::None();
}

Value ErrorInit(VM& vm, Value* a, int n, TupleObj* kw) {
  // re.error(msg, pattern=None, pos=None) raised by scripts themselves.
  Value o[3];
  ParseArgs(vm, {"error", {"msg", "pattern", "pos"}, 1}, a + 1, n - 1, kw, o);
  regex::CompileError e;
  e.message = ToStr(vm, o[0]);
  e.pos = o[2].unbound() || o[2].is_none() ? -1 : IndexValue(vm, o[2]);
  auto* in = As<InstanceObj>(a[0]);
  std::string text = e.message;
  if (e.pos >= 0 && !o[1].unbound() && !o[1].is_none()) text += " at position " + std::to_string(e.pos);
  Value t = Str(vm, text);
  in->args = V(NewTupleFrom(&vm, &t, 1));
  if (in->dict == nullptr) in->dict = NewDict(&vm);
  DictSet(&vm, in->dict, Str(vm, "msg"), o[0]);
  DictSet(&vm, in->dict, Str(vm, "pattern"), o[1].unbound() ? Value::None() : o[1]);
  DictSet(&vm, in->dict, Str(vm, "pos"), o[2].unbound() ? Value::None() : o[2]);
  return Value::None();
}

template <int W>
Value PAttr(VM& vm, Value* a, int n, TupleObj* kw) { return PatternAttr(vm, a, n, kw, W); }
template <int W>
Value MAttr(VM& vm, Value* a, int, TupleObj*) { return MatchAttr(vm, a, W); }

void AddProperty(ClassObj* cls, const char* name, NativeFn getter) {
  auto* p = New<PropertyObj>(nullptr, Kind::kProperty, T().property);
  p->fget = V(NewNative(nullptr, name, getter));
  p->fset = Value::None();
  DictSet(nullptr, cls->dict, V(Intern(name)), V(p));
}

Value NoCtor(VM& vm, Value*, int, TupleObj*) {
  TypeError(vm, "cannot create 're.Pattern' instances; use re.compile()");
}

}  // namespace

ModuleObj* MakeReModule() {
  ModuleObj* m = NewLibraryModule("re");
  g_pattern_cls = NewLibraryClass(m, "Pattern", T().object, Kind::kHost, NoCtor);
  g_match_cls = NewLibraryClass(m, "Match", T().object, Kind::kHost, NoCtor);
  g_error_cls = NewLibraryClass(m, "error", T().Exception, Kind::kInstance, nullptr);
  g_error_cls->module_name = Intern("re");
  AddNative(g_error_cls->dict, "__init__", ErrorInit);

  DictObj* pd = g_pattern_cls->dict;
  AddNative(pd, "search", PSearchM);
  AddNative(pd, "match", PMatchM);
  AddNative(pd, "fullmatch", PFullmatchM);
  AddNative(pd, "findall", PFindall);
  AddNative(pd, "finditer", PFinditer);
  AddNative(pd, "sub", PSub);
  AddNative(pd, "subn", PSubn);
  AddNative(pd, "split", PSplit);
  AddNative(pd, "__repr__", PRepr);
  AddNative(pd, "__eq__", PEq);
  AddNative(pd, "__hash__", PHash);
  AddProperty(g_pattern_cls, "pattern", PAttr<0>);
  AddProperty(g_pattern_cls, "flags", PAttr<1>);
  AddProperty(g_pattern_cls, "groups", PAttr<2>);
  AddProperty(g_pattern_cls, "groupindex", PAttr<3>);

  DictObj* md = g_match_cls->dict;
  AddNative(md, "group", MGroup);
  AddNative(md, "__getitem__", MGetitem);
  AddNative(md, "groups", MGroups);
  AddNative(md, "groupdict", MGroupdict);
  AddNative(md, "start", MStart);
  AddNative(md, "end", MEnd);
  AddNative(md, "span", MSpan);
  AddNative(md, "expand", MExpand);
  AddNative(md, "__repr__", MRepr);
  AddNative(md, "__bool__", MBool);
  AddProperty(g_match_cls, "string", MAttr<0>);
  AddProperty(g_match_cls, "re", MAttr<1>);
  AddProperty(g_match_cls, "pos", MAttr<2>);
  AddProperty(g_match_cls, "endpos", MAttr<3>);
  AddProperty(g_match_cls, "lastindex", MAttr<4>);
  AddProperty(g_match_cls, "lastgroup", MAttr<5>);

  AddFunction(m, "compile", RCompile);
  AddFunction(m, "search", RSearch);
  AddFunction(m, "match", RMatch);
  AddFunction(m, "fullmatch", RFullmatch);
  AddFunction(m, "findall", RFindall);
  AddFunction(m, "finditer", RFinditer);
  AddFunction(m, "sub", RSub);
  AddFunction(m, "subn", RSubn);
  AddFunction(m, "split", RSplit);
  AddFunction(m, "escape", REscape);
  AddFunction(m, "purge", RPurge);
  const std::pair<const char*, int> kFlags[] = {
      {"I", regex::kIgnoreCase}, {"IGNORECASE", regex::kIgnoreCase},
      {"M", regex::kMultiline},  {"MULTILINE", regex::kMultiline},
      {"S", regex::kDotAll},     {"DOTALL", regex::kDotAll},
      {"X", regex::kVerbose},    {"VERBOSE", regex::kVerbose},
      {"A", regex::kAscii},      {"ASCII", regex::kAscii},
      {"U", regex::kUnicode},    {"UNICODE", regex::kUnicode},
      {"L", regex::kLocale},     {"LOCALE", regex::kLocale},
      {"T", regex::kTemplate},   {"TEMPLATE", regex::kTemplate},
      {"DEBUG", regex::kDebug},  {"NOFLAG", 0}};
  for (auto [name, v] : kFlags) AddConstant(m, name, Value::Int(v));
  return m;
}

}  // namespace edgeflow::script
