// Differential tests of script/regex.h against CPython's re: a corpus of hand-written and
// generated cases is written to a file, /usr/bin/python3 reports what re does with each, and
// every result (spans, lastindex, error message and position) must agree.
#include "script/regex.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace edgeflow::script::regex {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

// Each input line: mode flags pos endpos pattern text repl (strings as comma-separated hex
// code points, "-" when empty). Each output line, in order:
//   M <lastindex> <spans...>        a match (lastindex -1 for None; -1 -1 for unset groups)
//   N                               no match
//   F <match>;<match>;...           finditer: each match as "<lastindex> <spans...>"
//   S <result>                      sub: the result text, hex code points
//   I <groups> <flags> <name>=<n>.. pattern attributes
//   X <result>                      re.escape(text)
//   E <kind> <pos> <utf-8 hex>      an exception: re, overflow, value, index, recursion, system
//
// Possessive repeats of non-simple subpatterns are matched as CPython >= 3.11.5 matches them
// (an atomic group around the greedy repeat, gh-106052): the script rewrites the parse tree the
// same way and compiles it with CPython's own compiler, because 3.11.2's POSSESSIVE_REPEAT
// returns wrong spans (end before start, gh-100061) or raises SystemError (gh-101955).
constexpr const char* kReferenceScript = R"PY(
import re, resource, signal, sys, warnings
from re import _compiler, _parser
from re._constants import (ASSERT, ASSERT_NOT, ATOMIC_GROUP, BRANCH, GROUPREF_EXISTS,
                           MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT, SUBPATTERN)
warnings.simplefilter('ignore')
def fix_possessive(sub):
    changed = False
    for i, (op, av) in enumerate(sub.data):
        if op is POSSESSIVE_REPEAT:
            changed |= fix_possessive(av[2])
            if not _compiler._simple(av[2]):
                sub.data[i] = (ATOMIC_GROUP,
                               _parser.SubPattern(sub.state, [(MAX_REPEAT, av)]))
                changed = True
        elif op in (MAX_REPEAT, MIN_REPEAT):
            changed |= fix_possessive(av[2])
        elif op is SUBPATTERN:
            changed |= fix_possessive(av[3])
        elif op is ATOMIC_GROUP:
            changed |= fix_possessive(av)
        elif op in (ASSERT, ASSERT_NOT):
            changed |= fix_possessive(av[1])
        elif op is BRANCH:
            for b in av[1]:
                changed |= fix_possessive(b)
        elif op is GROUPREF_EXISTS:
            changed |= fix_possessive(av[1])
            if av[2] is not None:
                changed |= fix_possessive(av[2])
    return changed
def compile_fixed(p, flags):
    rx = re.compile(p, flags)  # errors exactly as re reports them
    tree = _parser.parse(p, flags)
    return _compiler.compile(tree, flags) if fix_possessive(tree) else rx
# Random patterns can make sre backtrack exponentially: bound each case in time and memory.
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
def on_alarm(signum, frame):
    raise TimeoutError
signal.signal(signal.SIGALRM, on_alarm)
def dec(h):
    return '' if h == '-' else ''.join(chr(int(x, 16)) for x in h.split(','))
def enc(s):
    return '-' if not s else ','.join('%x' % ord(c) for c in s)
def m_str(m):
    spans = []
    for g in range(len(m.regs)):
        spans.extend(m.span(g))
    return ' '.join(str(x) for x in [-1 if m.lastindex is None else m.lastindex] + spans)
out = []
for line in open(sys.argv[1], encoding='ascii'):
    mode, flags, pos, endpos, p, t, r = line.split()
    flags, pos, endpos, p, t, r = int(flags), int(pos), int(endpos), dec(p), dec(t), dec(r)
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        if mode == 'escape':
            out.append('X ' + enc(re.escape(t)))
            continue
        rx = compile_fixed(p, flags)
        if mode in ('match', 'search', 'fullmatch'):
            m = getattr(rx, mode)(t, pos, endpos)
            out.append('N' if m is None else 'M ' + m_str(m))
        elif mode == 'finditer':
            out.append('F ' + ';'.join(m_str(m) for m in rx.finditer(t, pos, endpos)))
        elif mode == 'sub':
            out.append('S ' + enc(rx.sub(r, t)))
        elif mode == 'info':
            out.append('I %d %d %s' % (rx.groups, rx.flags,
                       ' '.join('%s=%d' % (enc(k), v) for k, v in rx.groupindex.items())))
    except re.error as e:
        pos = -1 if e.pos is None else e.pos
        out.append('E re %d %s' % (pos, e.msg.encode('utf-8', 'surrogatepass').hex()))
    except Exception as e:
        kind = {OverflowError: 'overflow', ValueError: 'value', IndexError: 'index',
                RecursionError: 'recursion', SystemError: 'system', TimeoutError: 'timeout',
                MemoryError: 'timeout'}.get(type(e), type(e).__name__)
        out.append('E %s -1 %s' % (kind, str(e).encode('utf-8', 'surrogatepass').hex()))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
sys.stdout.write('\n'.join(out) + '\n')
)PY";

struct Case {
  Case() = default;
  Case(std::string m, int f, std::u32string p, std::u32string t, std::u32string r = {},
       int64_t from = 0, int64_t to = -1)
      : mode(std::move(m)), flags(f), pattern(std::move(p)), text(std::move(t)),
        repl(std::move(r)), pos(from), endpos(to) {}

  std::string mode;
  int flags = 0;
  std::u32string pattern;
  std::u32string text;
  std::u32string repl;
  int64_t pos = 0;
  int64_t endpos = -1;  // -1: the text's length
};

std::string EncodeHex(std::u32string_view s) {
  if (s.empty()) return "-";
  std::string out;
  char buf[16];
  for (size_t i = 0; i < s.size(); ++i) {
    snprintf(buf, sizeof(buf), i ? ",%x" : "%x", static_cast<unsigned>(s[i]));
    out += buf;
  }
  return out;
}

std::string Utf8Hex(const std::string& s) {
  std::string out;
  char buf[4];
  for (unsigned char c : s) {
    snprintf(buf, sizeof(buf), "%02x", c);
    out += buf;
  }
  return out;
}

std::string Printable(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[16];
      snprintf(buf, sizeof(buf), "\\u{%x}", static_cast<unsigned>(c));
      out += buf;
    }
  }
  return out;
}

std::string Describe(const Case& c) {
  std::ostringstream os;
  os << c.mode << " /" << Printable(c.pattern) << "/ flags=" << c.flags << " text=\""
     << Printable(c.text) << "\"";
  if (c.mode == "sub") os << " repl=\"" << Printable(c.repl) << "\"";
  if (c.pos != 0 || c.endpos != -1) os << " pos=" << c.pos << " endpos=" << c.endpos;
  return os.str();
}

const char* KindName(ErrorKind k) {
  switch (k) {
    case ErrorKind::kReError: return "re";
    case ErrorKind::kOverflowError: return "overflow";
    case ErrorKind::kValueError: return "value";
    case ErrorKind::kIndexError: return "index";
    case ErrorKind::kRecursionError: return "recursion";
    case ErrorKind::kUnsupported: return "unsupported";
  }
  return "?";
}

std::string ErrorLine(const CompileError& e) {
  // CPython's non-re.error exceptions carry no position.
  int64_t pos = e.kind == ErrorKind::kReError ? e.pos : -1;
  return std::string("E ") + KindName(e.kind) + " " + std::to_string(pos) + " " +
         Utf8Hex(e.message);
}

std::string MatchString(const Match& m) {
  std::string s = std::to_string(m.lastindex);
  for (int64_t v : m.spans) s += " " + std::to_string(v);
  return s;
}

// Every step of every match gets a budget, so a hang is a failure, not a stuck test.
ExecOptions Budget() {
  ExecOptions o;
  auto polls = std::make_shared<int>(0);
  o.poll = [polls] { return ++*polls < 5000; };
  return o;
}

// The engine's answer in the reference format.
std::string Run(const Case& c) {
  if (c.mode == "escape") return "X " + EncodeHex(Escape(c.text));
  CompileError error;
  std::unique_ptr<Pattern> p = Pattern::Compile(c.pattern, c.flags, &error);
  if (p == nullptr) return ErrorLine(error);
  const int64_t size = static_cast<int64_t>(c.text.size());
  const int64_t pos = std::clamp<int64_t>(c.pos, 0, size);
  const int64_t endpos = std::clamp<int64_t>(c.endpos < 0 ? size : c.endpos, 0, size);
  Match m;
  if (c.mode == "match" || c.mode == "search" || c.mode == "fullmatch") {
    Mode mode = c.mode == "match" ? Mode::kMatch
                : c.mode == "search" ? Mode::kSearch
                                     : Mode::kFullMatch;
    ExecResult r = p->Exec(c.text, pos, endpos, mode, Budget(), &m);
    if (r == ExecResult::kNoMatch) return "N";
    if (r != ExecResult::kMatch) return "aborted";
    return "M " + MatchString(m);
  }
  if (c.mode == "info") {
    std::string s = "I " + std::to_string(p->groups()) + " " + std::to_string(p->flags()) + " ";
    bool first = true;
    for (const auto& [name, g] : p->group_index()) {
      std::u32string wide;
      for (unsigned char ch : name) wide.push_back(ch);  // names in the corpus are ASCII
      s += (first ? "" : " ") + EncodeHex(wide) + "=" + std::to_string(g);
      first = false;
    }
    return s;
  }
  // finditer and sub: CPython's scanner loop. After an empty match the next search must
  // advance; the next search starts where the last match ended.
  std::unique_ptr<Template> tmpl;
  if (c.mode == "sub") {
    tmpl = Template::Parse(*p, c.repl, &error);
    if (tmpl == nullptr) return ErrorLine(error);
  }
  std::string found;
  std::u32string result;
  int64_t start = c.mode == "sub" ? 0 : pos;
  int64_t end = c.mode == "sub" ? size : endpos;
  int64_t copied = 0;
  ExecOptions options = Budget();
  for (bool first = true;; first = false) {
    ExecResult r = p->Exec(c.text, start, end, Mode::kSearch, options, &m);
    if (r == ExecResult::kNoMatch) break;
    if (r != ExecResult::kMatch) return "aborted";
    if (c.mode == "sub") {
      result.append(c.text, copied, m.spans[0] - copied);
      tmpl->Expand(c.text, m, &result);
      copied = m.spans[1];
    } else {
      found += (first ? "" : ";") + MatchString(m);
    }
    options.must_advance = m.spans[1] == m.spans[0];
    start = m.spans[1];
  }
  if (c.mode == "sub") {
    result.append(c.text, copied);
    return "S " + EncodeHex(result);
  }
  return "F " + found;
}

// ---------------------------------------------------------------------------------------------
// The corpus.

constexpr int I = kIgnoreCase, M = kMultiline, S = kDotAll, X = kVerbose, A = kAscii;

struct PatternCases {
  const char32_t* pattern;
  int flags;
  std::vector<std::u32string> texts;
};

// Each pattern runs search and match on every text, fullmatch on the first and finditer on
// the last.
const std::vector<PatternCases>& MatchCorpus() {
  static const auto* corpus = new std::vector<PatternCases>{
      // Literals and escapes.
      {U"abc", 0, {U"abc", U"xabcx", U"ab"}},
      {U"a.c", 0, {U"abc", U"a\nc", U"a.c"}},
      {U"a.c", S, {U"a\nc"}},
      {UR"(\x41\u00e9\U0001F600)", 0, {U"A\u00e9\U0001F600"}},
      {UR"(\0\07\101\18)", 0, {U"\0\7A\x01\x38"}},
      {UR"(\n\t\\\.\-\a\f\v\r)", 0, {U"\n\t\\.-\a\f\v\r"}},
      {UR"(\é\:)", 0, {U"\u00e9:"}},
      // Character classes.
      {U"[abc]+", 0, {U"cab", U"xxbxx", U""}},
      {U"[^abc]+", 0, {U"abxyzc", U"abc"}},
      {U"[a-z]+", 0, {U"Hello World"}},
      {UR"([\d\s]+)", 0, {U"ab 12 3x"}},
      {UR"([\w-]+)", 0, {U"foo-bar baz"}},
      {U"[]a]+", 0, {U"]a]b"}},
      {U"[^]a]+", 0, {U"]a]bc"}},
      {U"[a-]+", 0, {U"-a-b"}},
      {UR"([\b]+)", 0, {U"\b\bb"}},
      {UR"([\x00-\x7f]+)", 0, {U"abc\u00e9"}},
      {UR"([\u0100-\uffff]+)", 0, {U"a\u0100\u4e00\U00010000"}},
      {UR"([^\W\d]+)", 0, {U"ab12_c"}},
      {UR"([.\]\\]+)", 0, {U".]\\x"}},
      {UR"([\U00010000-\U0010ffff]+)", 0, {U"a\U0001F600\U00010000b"}},
      {UR"([^\S\n]+)", 0, {U"a \t\nb"}},
      {U"[a-cx-z]+", 0, {U"abxyzd"}},
      {UR"([\s\S]+)", 0, {U"a\nb"}},
      // Anchors.
      {U"^a", 0, {U"ab", U"ba", U"b\na"}},
      {U"a$", 0, {U"ba", U"ba\n", U"ba\n\n", U"ab"}},
      {U"^a", M, {U"b\na", U"a\na"}},
      {U"a$", M, {U"a\nb", U"b\na\n"}},
      {UR"(\Aa)", M, {U"b\na"}},
      {UR"(a\Z)", 0, {U"a\n", U"ba"}},
      {UR"(\bfoo\b)", 0, {U"foo", U"a foo.", U"foobar"}},
      {UR"(\Bo\B)", 0, {U"foo", U"o", U"boob"}},
      {U"$", 0, {U"", U"abc", U"abc\n"}},
      {U"^$", M, {U"a\n\nb", U""}},
      {UR"(\b)", 0, {U"", U"ab cd"}},
      {UR"(\B)", 0, {U"", U"ab"}},
      {UR"(\b\w+\b)", A, {U"caf\u00e9 au lait"}},
      {UR"(\b\w+\b)", 0, {U"caf\u00e9 au lait"}},
      // Groups.
      {U"(a)(b)?", 0, {U"ab", U"a", U"b"}},
      {U"(?:ab)+", 0, {U"ababa"}},
      {U"(?P<x>a)(?P=x)", 0, {U"aa", U"ab"}},
      {UR"((a)\1)", 0, {U"aa", U"a"}},
      {U"(a)|b", 0, {U"b", U"a"}},
      {U"(a)|(b)", 0, {U"b", U"ab"}},
      {U"((a)|b)+", 0, {U"ab", U"ba", U"abab"}},
      {U"(a*)*", 0, {U"aaa", U"b"}},
      {U"(a|b)*c", 0, {U"ababc", U"abab"}},
      {U"(?:(a)|b)*", 0, {U"ab", U"ba", U"bab"}},
      {U"(a)?b", 0, {U"b", U"ab"}},
      {U"(?#comment)a", 0, {U"a"}},
      {U"(a)(?:(b)|c)*", 0, {U"abc", U"acb", U"abcbc"}},
      {U"((a)|(b))*", 0, {U"ab", U"ba", U"aab"}},
      {U"(a(b)?)+", 0, {U"aba", U"aab"}},
      {U"(?P<first>\\w+) (?P<last>\\w+)", 0, {U"Jane Doe"}},
      {U"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)\\11", 0, {U"abcdefghijkk", U"abcdefghijka1"}},
      {U"(a)\\1{2}", 0, {U"aaa", U"aa"}},
      {U"(?:(a)|(b)|(c))+", 0, {U"abc", U"cba", U"cab"}},
      {U"(x)?(?:y|(z))*", 0, {U"yzy", U"xzz"}},
      // Lookaround.
      {U"a(?=b)", 0, {U"ab", U"ac"}},
      {U"a(?!b)", 0, {U"ab", U"ac"}},
      {U"(?<=a)b", 0, {U"ab", U"cb"}},
      {U"(?<!a)b", 0, {U"ab", U"cb"}},
      {U"(?<=ab|cd)e", 0, {U"abe", U"cde", U"ae"}},
      {U"(?<=(a))b", 0, {U"ab"}},
      {UR"((?=(a+))a*b\1)", 0, {U"baaabac"}},
      {UR"((?<=\b)foo)", 0, {U"a foo"}},
      {U"(?!a)\\w", 0, {U"ab"}},
      {U"(?=(a))?a", 0, {U"a"}},
      {U"(?!(a)b)a", 0, {U"ac", U"ab"}},
      {U"(?<=^a)b", M, {U"x\nab"}},
      {U"(?<=a{3})b", 0, {U"aaab", U"aab"}},
      {U"(?<![a-c])d", 0, {U"cd", U"xd"}},
      // Conditionals.
      {U"(a)?(?(1)b|c)", 0, {U"ab", U"c", U"ac"}},
      {U"(?P<q>\")?\\w+(?(q)\")", 0, {U"\"abc\"", U"abc", U"\"abc"}},
      {U"(a)?(?(1)b)", 0, {U"ab", U"x"}},
      {U"(?:(a)|b)(?(1)c|d)", 0, {U"ac", U"bd", U"ad"}},
      // Quantifiers.
      {U"a*", 0, {U"aaab", U"b"}},
      {U"a+", 0, {U"baaab", U"b"}},
      {U"a?", 0, {U"ab", U"b"}},
      {U"a{2}", 0, {U"aaa", U"a"}},
      {U"a{2,}", 0, {U"aaaa", U"a"}},
      {U"a{,2}", 0, {U"aaaa"}},
      {U"a{1,3}", 0, {U"aaaa"}},
      {U"a*?", 0, {U"aaa"}},
      {U"a+?", 0, {U"aaa"}},
      {U"a??", 0, {U"aaa"}},
      {U"a{1,3}?", 0, {U"aaaa"}},
      {U"a{,}", 0, {U"aa"}},
      {U"a{}", 0, {U"a{}"}},
      {U"a{1", 0, {U"a{1"}},
      {U"a{x}", 0, {U"a{x}"}},
      {U"a{1,2", 0, {U"a{1,2"}},
      {U"x*+", 0, {U"xxx"}},
      {U"a++b", 0, {U"aaab", U"aaa"}},
      {U"(?>a+)b", 0, {U"aab"}},
      {U"(?>a+)ab", 0, {U"aaab"}},
      {U"(ab)*+", 0, {U"ababa"}},
      {U"(?:a|ab)*+c", 0, {U"ababc", U"aac"}},
      {U"(a|ab)*c", 0, {U"ababc"}},
      {U"a*+a", 0, {U"aaa"}},
      {U"(?:ab){2,3}?c", 0, {U"abababc"}},
      {U"(a{2})*", 0, {U"aaaaa"}},
      {U"(?:a{0,2}){3}", 0, {U"aaaaaaa"}},
      {U"(a+|b+)*?c", 0, {U"aabbc"}},
      {U".*foo", 0, {U"xfooyfoo"}},
      {U".*?foo", 0, {U"xfooyfoo"}},
      {U"(.*)(\\d+)", 0, {U"abc123"}},
      {U"(.*?)(\\d+)", 0, {U"abc123"}},
      {U"[ab]*?b", 0, {U"aab"}},
      {U"(a?){3}", 0, {U"aa"}},
      {U"(?:a?b?)*c", 0, {U"abbac"}},
      // Flags.
      {U"(?i)abc", 0, {U"ABC", U"aBc"}},
      {U"(?i)[a-z]+", 0, {U"HeLLo"}},
      {U"(?s).+", 0, {U"a\nb"}},
      {U".+", 0, {U"a\nb"}},
      {U"(?x) a b # c\n c", 0, {U"abc", U"a b"}},
      {U"(?x)[ #]a", 0, {U" a", U"#a"}},
      {U"a b", X, {U"ab"}},
      {U"a\\ b", X, {U"a b"}},
      {UR"((?a)\w+)", 0, {U"\u00e9t\u00e9"}},
      {UR"(\w+)", A, {U"\u00e9t\u00e9"}},
      {U"(?i:a)b", 0, {U"Ab", U"AB"}},
      {U"(?-i:a)b", I, {U"aB", U"AB"}},
      {U"(?i)\u00df", 0, {U"\u1e9e", U"SS"}},
      {U"(?i)k", 0, {U"\u212a", U"K"}},
      {U"(?i)[k]", 0, {U"\u212a"}},
      {U"(?i)\u212a", 0, {U"k", U"K"}},
      {U"(?i)\u017f", 0, {U"s", U"S"}},
      {U"(?i)s", 0, {U"\u017f"}},
      {U"(?i)[^s]", 0, {U"\u017f", U"S"}},
      {U"(?i)[\u0130]", 0, {U"i", U"I", U"\u0130"}},
      {U"(?i)\u0130", 0, {U"i"}},
      {U"(?ai)[^k]", 0, {U"\u212a", U"K"}},
      {U"(?ai)k", 0, {U"\u212a"}},
      {U"(?i)[a-z]", 0, {U"\u212a", U"\u017f", U"\u0131"}},
      {U"(?i)[\u00e0-\u00ff]+", 0, {U"\u00c0\u00c9"}},
      {U"(?i)\u03c3", 0, {U"\u03a3", U"\u03c2"}},
      {U"(?i)[\u03c2]", 0, {U"\u03a3", U"\u03c3"}},
      {U"(?i)\U00010400", 0, {U"\U00010428"}},
      {U"(?i)[\U00010400]", 0, {U"\U00010428", U"\U00010400"}},
      {U"(?i)[\U00010400-\U00010410]", 0, {U"\U00010428"}},
      {U"(?i)(a)\\1", 0, {U"aA"}},
      {U"(?ia)(\u00e9)\\1", 0, {U"\u00e9\u00c9"}},
      {U"(?i)(\u00e9)\\1", 0, {U"\u00e9\u00c9"}},
      {U"(?i)\\w+", 0, {U"\u212aelvin"}},
      {U"(?m)(?s)^.$", 0, {U"a\n"}},
      {UR"((?u)\w+)", A, {U"\u00e9"}},
      {UR"((?a:\w+)\w)", 0, {U"ab\u00e9"}},
      {U"(?i)[^a-z]", 0, {U"A", U"1"}},
      // Empty matches and backtracking.
      {U"", 0, {U"", U"ab"}},
      {U"()", 0, {U"ab"}},
      {U"(|a)*", 0, {U"aa"}},
      {U"(a|)*", 0, {U"aa"}},
      {U"(?:a*)*", 0, {U"aab"}},
      {U"(a?)*?b", 0, {U"aab"}},
      {U"(a*)+", 0, {U"aa", U"b"}},
      {U"(a*?)*", 0, {U"aa"}},
      {U"(?:x*)*y", 0, {U"xxy", U"xx"}},
      {U"(a*)*b", 0, {U"aab"}},
      {U"(?:()|a)*", 0, {U"aa"}},
      {U"(a|b)*?(b)", 0, {U"abab"}},
      {U"x*", 0, {U"axxb"}},
      {U"\\b|x", 0, {U"ab x"}},
      {U"(?=a)|a", 0, {U"aa"}},
      {U"a|", 0, {U"bab"}},
      {U"(a)*?", 0, {U"aaa"}},
      {U"(a+)+$", 0, {U"aaaa"}},
      // Searches that skip start positions by their first character.
      {UR"((?:foo|bar|baz)\s)", 0, {U"xx baz foo\tbar", U"fob ba"}},
      {U"(?:(x)|(y))z", 0, {U"axyzxz"}},
      {UR"((?=a)\w+)", 0, {U"b ab a"}},
      {U"(?<=b)a+", 0, {U"aabaa"}},
      {UR"(\b(?:a+|b)c)", 0, {U"xac bc aac"}},
      {U"(?i)hello", 0, {U"say HeLLo"}},
      {U"(?:ab)+c|x", 0, {U"ababxabc"}},
      {U"(?>ab|a)c", 0, {U"aac abc"}},
      {UR"(\d+(?:\.\d+)?)", 0, {U"pi is 3.14, e 2"}},
      {U"[^x]y", 0, {U"xxy ay"}},
      // Unicode classes.
      {UR"(\d+)", 0, {U"x\u0661\u0662\u0663"}},
      {UR"(\d+)", A, {U"\u0661\u0662123"}},
      {UR"(\w+)", 0, {U"h\u00e9llo w\u00f6rld"}},
      {UR"(\s+)", 0, {U"a\u2003\u00a0\x1cx"}},
      {UR"(\s+)", A, {U"a\u2003 \x0b\x1cx"}},
      {UR"(\W+)", 0, {U"ab\u00bd\u2460!"}},
      {UR"([\d\u00bd]+)", 0, {U"1\u00bd\u00b2"}},
      {U"\u00e9+", 0, {U"\u00e9\u00e9"}},
      {U"\U0001F600.", 0, {U"\U0001F600\U0001F601"}},
      {UR"(\D\S\W)", 0, {U"a b", U"x!-"}},
      {U".", 0, {U"\u2028", U"\r"}},
      {U"a$", M, {U"a\u2028"}},
  };
  return *corpus;
}

// Patterns CPython rejects; each must fail with the same exception, message and position.
const std::vector<std::pair<const char32_t*, int>>& ErrorCorpus() {
  static const auto* corpus = new std::vector<std::pair<const char32_t*, int>>{
      {U"(", 0}, {U")", 0}, {U"a)", 0}, {U"(a", 0}, {U"((a)", 0}, {U"[a", 0}, {U"[", 0},
      {U"[^", 0}, {U"[a-", 0}, {U"*", 0}, {U"a**", 0}, {U"a*??", 0}, {U"a{2}{3}", 0},
      {U"^*", 0}, {U"\\b+", 0}, {U"(?:)*", 0}, {U"|*", 0}, {U"(*)", 0}, {UR"(\q)", 0},
      {UR"([\q])", 0}, {UR"(\A+)", 0}, {UR"([\A])", 0}, {UR"([\Z])", 0}, {U"(?<x>a)", 0},
      {U"(?P<1>a)", 0}, {U"(?P<a>x)(?P<a>y)", 0}, {UR"(\3)", 0}, {UR"((a)\2)", 0},
      {U"(?P=zz)", 0}, {U"(?P<>a)", 0}, {U"(?P<a", 0}, {U"(?P=a", 0}, {U"[z-a]", 0},
      {UR"([\d-z])", 0}, {UR"([a-\d])", 0}, {UR"([\x41-\x30])", 0}, {U"(?<=a*)", 0},
      {U"(?<=a|bc)", 0}, {U"(?<!a+)b", 0}, {U"a{3,2}", 0}, {U"a{99999999999}", 0},
      {U"a{4294967295}", 0}, {U"a{1,4294967296}", 0}, {U"(?z)", 0}, {U"(?i", 0},
      {U"(?i-i:a)", 0}, {U"(?-a:x)", 0}, {U"(?au)", 0}, {U"(?L)", 0}, {U"x(?i)", 0},
      {U"a|(?i)b", 0}, {U"(a(?i))", 0}, {U"(?(2)a)", 0}, {U"(?(a)b)", 0}, {U"(?(1)a|b|c)", 0},
      {U"(?(0)a)", 0}, {U"(?(-1)a)", 0}, {U"(?(1a)x)", 0}, {U"(?(1", 0}, {U"(?()a)", 0},
      {UR"(\x4)", 0}, {UR"(\x)", 0}, {UR"(\u12)", 0}, {UR"(\U0011ffff)", 0},
      {UR"(\U00110000)", 0}, {UR"(\777)", 0}, {UR"([\777])", 0}, {UR"([\8])", 0},
      {U"(?#abc", 0}, {U"(?P", 0}, {U"(?Px)", 0}, {U"(?", 0}, {U"(?<", 0}, {U"(?<a", 0},
      {U"\\", 0}, {U"a\\", 0}, {U"[a\\", 0}, {U"(?P=", 0}, {UR"((?<=(a)\1))", 0},
      {UR"((a\1))", 0}, {U"(?P<n>(?P=n))", 0}, {U"(?i-:a)", 0}, {U"(?-:a)", 0},
      {U"(?i-x", 0}, {U"(?i-xq:a)", 0}, {U"(?iq)", 0}, {U"(?i!)", 0}, {U"(?-)", 0},
      {U"(?-1)", 0}, {U"(?t:a)", 0}, {U"(?-t:a)", 0}, {U"(?x", 0}, {U"a*", kTemplate},
      {U"(?t)a+", 0}, {U"a", kAscii | kUnicode}, {U"a", kLocale}, {U"(", kLocale},
      {U"(?a)(?u)a", 0}, {UR"(\N)", 0}, {UR"(\N{)", 0}, {UR"(\N{})", 0},
      {U"(?P<a-b>x)", 0}, {U"(?P<\u00e9>x)(?P=\u00e9\u00e9)", 0}, {U"(?P<a\nb>x)", 0},
      {U"(?<\u00e9)", 0}, {U"(?\u00e9)", 0}, {U"[\u00e9-a]", 0}, {U"(?(\u00e9)a)", 0},
      {U"(?(1)a", 0}, {U"(?(1)a|b", 0}, {U"(?>a", 0}, {U"(?=a", 0}, {U"(?i:a", 0},
      {U"x{2,1}", 0}, {U"(?:", 0}, {U"((((a))))))", 0},
  };
  return *corpus;
}

// Replacement templates for re.sub, on pattern "(a)(?P<name>b)?" and text "xaby a".
const std::vector<const char32_t*>& TemplateCorpus() {
  static const auto* corpus = new std::vector<const char32_t*>{
      UR"([\1])", UR"(\g<1>\g<name>)", UR"(\g<0>)", UR"(x\ny\t\\)", UR"(\g<5>)", UR"(\q)",
      UR"(\g<x)", UR"(\g<unknown>)", UR"(\g<-1>)", UR"(\g<1a>)", UR"(\0)", UR"(\07)",
      UR"(\100)", UR"(\8)", UR"(\-)", UR"(\)", UR"(\g)", UR"(\g<>)", UR"(\g< 1>)",
      UR"(\g<+1>)", UR"(\g<1_0>)", UR"(\2)", UR"(\3)", UR"(\12)", UR"(\400)", UR"(\g<2>)",
      UR"(\g<3>)", UR"(\g<99999999999999999999>)", UR"(\a\b\f\v\r)", U"plain", U"",
      UR"(\é)", UR"(\g<name)", UR"(<\g<name>>)", U"\\g<\u0661>",
  };
  return *corpus;
}

// A random pattern over a small alphabet, recursive up to `depth`.
std::u32string RandomPattern(std::mt19937* rng, int depth) {
  static const std::vector<std::u32string> kAtoms = {
      U"a", U"b", U"c", U".", U"[ab]", U"[^a]", U"[a-c]", UR"(\w)", UR"(\d)", UR"(\s)", U"^",
      U"$", UR"(\b)", UR"(\B)", U"\n", U"(?i:A)", U"A", U"x", UR"(\Z)", UR"(\A)"};
  static const std::vector<std::u32string> kQuantifiers = {
      U"*", U"+", U"?", U"{0,2}", U"{1,}", U"{2}", U"*?", U"+?", U"??", U"{1,2}?", U"*+",
      U"++", U"?+"};
  auto pick = [rng](size_t n) { return static_cast<size_t>((*rng)() % n); };
  std::u32string out;
  size_t items = 1 + pick(3);
  for (size_t i = 0; i < items; ++i) {
    std::u32string atom;
    size_t k = depth > 0 ? pick(14) : 0;
    switch (k) {
      case 0: case 1: case 2: case 3: case 4: atom = kAtoms[pick(kAtoms.size())]; break;
      case 5: atom = U"(" + RandomPattern(rng, depth - 1) + U")"; break;
      case 6: atom = U"(?:" + RandomPattern(rng, depth - 1) + U")"; break;
      case 7: atom = RandomPattern(rng, depth - 1) + U"|" + RandomPattern(rng, depth - 1); break;
      case 8: atom = U"(" + RandomPattern(rng, depth - 1) + U"|" +
                     RandomPattern(rng, depth - 1) + U")"; break;
      case 9: atom = (pick(2) ? U"(?=" : U"(?!") + RandomPattern(rng, depth - 1) + U")"; break;
      case 10: atom = pick(2) ? U"(?<=a)" : U"(?<![bc])"; break;
      case 11: atom = U"\\" + std::u32string(1, U'1' + pick(2)); break;
      case 12: atom = U"(?(1)" + RandomPattern(rng, depth - 1) + U"|" +
                      RandomPattern(rng, depth - 1) + U")"; break;
      default: atom = U"(?>" + RandomPattern(rng, depth - 1) + U")"; break;
    }
    if (pick(3) == 0) atom += kQuantifiers[pick(kQuantifiers.size())];
    out += atom;
  }
  return out;
}

std::vector<Case> BuildCorpus(int* handwritten) {
  std::vector<Case> cases;
  for (const PatternCases& pc : MatchCorpus()) {
    for (const std::u32string& t : pc.texts) {
      for (const char* mode : {"search", "match"}) {
        cases.push_back({mode, pc.flags, pc.pattern, t});
      }
    }
    cases.push_back({"fullmatch", pc.flags, pc.pattern, pc.texts.front()});
    cases.push_back({"finditer", pc.flags, pc.pattern, pc.texts.back()});
  }
  // pos / endpos handling: ^ and lookbehind see text before pos; nothing after endpos exists.
  for (const char32_t* p : {U"^b", U"(?<=a)b", U"b$", UR"(\bb)", U"b\\Z", U"", U"x*", U"$"}) {
    for (auto [pos, endpos] : {std::pair<int64_t, int64_t>{1, 2}, {1, -1}, {3, 1}, {-5, 99},
                               {2, 2}}) {
      for (const char* mode : {"match", "search", "fullmatch", "finditer"}) {
        cases.push_back({mode, 0, p, U"abbc", {}, pos, endpos});
      }
    }
  }
  for (const auto& [pattern, flags] : ErrorCorpus()) {
    cases.push_back({"search", flags, pattern, U"a"});
  }
  for (const char32_t* repl : TemplateCorpus()) {
    cases.push_back({"sub", 0, U"(a)(?P<name>b)?", U"xaby a", repl});
  }
  for (const char32_t* p : {U"", U"x*", U"a|", UR"(\b)", U"(?=a)", U"a*?"}) {
    cases.push_back({"sub", 0, p, U"abaa", U"-"});
  }
  for (const char32_t* p : {U"(a)(?P<n>b)(?:c)(?P<m2>d)?", U"(?x)(?i)a", U"(?a)", U"x", U"(?s)",
                            U"(?L:a)"}) {
    cases.push_back({"info", 0, p, U""});
  }
  cases.push_back({"info", I | M, U"(?m)", U""});
  cases.push_back({"info", A, U"a", U""});
  for (const char32_t* t : {U"a.b*c", U"()[]{}?*+-|^$\\.&~# \t\n\r\v\f", U"\u00e9_1!\"%'/:;<=>@`",
                            U"\0\x7f"}) {
    cases.push_back({"escape", 0, U"", t});
  }
  *handwritten = static_cast<int>(cases.size());

  std::mt19937 rng(20240611);
  static const std::vector<std::u32string> kTexts = {
      U"", U"a", U"ab", U"abc", U"aab", U"bca", U"a\nb", U"abab", U"cab\n", U"aaab", U"a b",
      U"xAa", U"ba1 ", U"acbca"};
  const int kFlags[] = {0, 0, 0, I, M, S, A, I | M};
  const char* kModes[] = {"search", "match", "fullmatch", "finditer"};
  for (int i = 0; i < 2500; ++i) {
    Case c;
    c.pattern = RandomPattern(&rng, 2);
    c.flags = kFlags[rng() % 8];
    c.text = kTexts[rng() % kTexts.size()];
    c.mode = kModes[rng() % 4];
    cases.push_back(std::move(c));
  }
  return cases;
}

struct Reference {
  std::vector<Case> cases;
  std::vector<std::string> expected;
  int handwritten = 0;
  std::string error;
};

const Reference& Ref() {
  static const Reference* ref = [] {
    auto* r = new Reference;
    r->cases = BuildCorpus(&r->handwritten);
    std::string corpus_path = testing::TempDir() + "regex_corpus_XXXXXX";
    std::string script_path = testing::TempDir() + "regex_ref_XXXXXX";
    int cfd = mkstemp(corpus_path.data());
    int sfd = mkstemp(script_path.data());
    if (cfd < 0 || sfd < 0) {
      r->error = "mkstemp failed";
      return r;
    }
    std::string corpus;
    for (const Case& c : r->cases) {
      corpus += c.mode + " " + std::to_string(c.flags) + " " + std::to_string(c.pos) + " " +
                std::to_string(c.endpos < 0 ? static_cast<int64_t>(c.text.size()) : c.endpos) +
                " " + EncodeHex(c.pattern) + " " + EncodeHex(c.text) + " " + EncodeHex(c.repl) +
                "\n";
    }
    std::string script = kReferenceScript;
    bool ok = write(cfd, corpus.data(), corpus.size()) == static_cast<ssize_t>(corpus.size()) &&
              write(sfd, script.data(), script.size()) == static_cast<ssize_t>(script.size());
    close(cfd);
    close(sfd);
    std::string cmd = std::string(kPython) + " " + script_path + " " + corpus_path;
    FILE* pipe = ok ? popen(cmd.c_str(), "r") : nullptr;
    if (pipe == nullptr) {
      r->error = "cannot run " + cmd;
    } else {
      std::string text;
      char buf[1 << 16];
      size_t n;
      while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) text.append(buf, n);
      if (pclose(pipe) != 0) r->error = "reference script failed";
      std::istringstream lines(text);
      std::string line;
      while (std::getline(lines, line)) r->expected.push_back(line);
      if (r->error.empty() && r->expected.size() != r->cases.size()) {
        r->error = "reference produced " + std::to_string(r->expected.size()) + " lines for " +
                   std::to_string(r->cases.size()) + " cases";
      }
    }
    unlink(corpus_path.c_str());
    unlink(script_path.c_str());
    return r;
  }();
  return *ref;
}

void CheckRange(size_t begin, size_t end, int* compared, int* skipped) {
  const Reference& ref = Ref();
  ASSERT_EQ(ref.error, "");
  int failures = 0;
  for (size_t i = begin; i < end; ++i) {
    const Case& c = ref.cases[i];
    const std::string& want = ref.expected[i];
    // A case that backtracks too long for the reference to finish.
    if (want.rfind("E timeout", 0) == 0) {
      ++*skipped;
      std::printf("skipped (CPython: %s): %s\n", want.substr(0, 9).c_str(), Describe(c).c_str());
      continue;
    }
    ++*compared;
    std::string got = Run(c);
    if (got != want) {
      ADD_FAILURE() << Describe(c) << "\n  CPython: " << want << "\n  ours:    " << got;
      if (++failures == 25) return;
    }
  }
}

TEST(Regex, HandwrittenCorpusMatchesCPython) {
  const Reference& ref = Ref();
  ASSERT_EQ(ref.error, "");
  int compared = 0, skipped = 0;
  CheckRange(0, static_cast<size_t>(ref.handwritten), &compared, &skipped);
  EXPECT_GE(compared, 300);
  EXPECT_EQ(skipped, 0);
  std::printf("handwritten cases compared with CPython: %d\n", compared);
}

TEST(Regex, RandomPatternsMatchCPython) {
  const Reference& ref = Ref();
  ASSERT_EQ(ref.error, "");
  int compared = 0, skipped = 0;
  CheckRange(static_cast<size_t>(ref.handwritten), ref.cases.size(), &compared, &skipped);
  std::printf("random cases compared with CPython: %d (skipped %d)\n", compared, skipped);
}

// ---------------------------------------------------------------------------------------------
// Targeted tests.

TEST(Regex, CatastrophicBacktrackingIsAbortedByPoll) {
  CompileError error;
  auto p = Pattern::Compile(U"(a*)*b", 0, &error);
  ASSERT_NE(p, nullptr);
  int polls = 0;
  ExecOptions options;
  options.poll = [&polls] { return ++polls < 200; };
  Match m;
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(p->Exec(std::u32string(30, U'a'), 0, 30, Mode::kSearch, options, &m),
            ExecResult::kAborted);
  EXPECT_EQ(polls, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

TEST(Regex, DeepNestingIsRejectedLikeCPythonWithoutOverflow) {
  CompileError error;
  for (int depth : {494, 495, 100000}) {
    std::u32string pattern = std::u32string(depth, U'(') + std::u32string(depth, U')');
    auto p = Pattern::Compile(pattern, 0, &error);
    if (depth <= 494) {
      EXPECT_NE(p, nullptr) << depth;
    } else {
      EXPECT_EQ(p, nullptr) << depth;
      EXPECT_EQ(error.kind, ErrorKind::kRecursionError);
    }
  }
  // A long flat pattern and a long alternation are fine.
  std::u32string alternation;
  for (int i = 0; i < 20000; ++i) alternation += U"ab|";
  EXPECT_NE(Pattern::Compile(alternation + U"c", 0, &error), nullptr);
}

TEST(Regex, LongInputsBacktrackOnTheHeapNotTheStack) {
  CompileError error;
  auto p = Pattern::Compile(U"(?:a|bc)*c", 0, &error);
  ASSERT_NE(p, nullptr);
  std::u32string text(200000, U'a');
  text += U"c";
  Match m;
  ASSERT_EQ(p->Exec(text, 0, static_cast<int64_t>(text.size()), Mode::kMatch, {}, &m),
            ExecResult::kMatch);
  EXPECT_EQ(m.spans[1], static_cast<int64_t>(text.size()));
  ExecOptions small;
  small.max_state_bytes = 1 << 20;
  EXPECT_EQ(p->Exec(text, 0, static_cast<int64_t>(text.size()), Mode::kMatch, small, &m),
            ExecResult::kOutOfMemory);
}

TEST(Regex, TemplateExpandsGroupsAndEscapes) {
  CompileError error;
  auto p = Pattern::Compile(U"(?P<word>\\w+) (\\w+)?", 0, &error);
  ASSERT_NE(p, nullptr);
  Match m;
  std::u32string text = U"hello ";
  ASSERT_EQ(p->Exec(text, 0, 6, Mode::kMatch, {}, &m), ExecResult::kMatch);
  std::u32string out;
  ASSERT_TRUE(ExpandTemplate(*p, UR"(<\g<word>|\2|\g<0>>\n\-)", text, m, &out, &error));
  EXPECT_EQ(out, U"<hello||hello >\n\\-");
  EXPECT_FALSE(ExpandTemplate(*p, UR"(\g<nope>)", text, m, &out, &error));
  EXPECT_EQ(error.kind, ErrorKind::kIndexError);
  EXPECT_EQ(error.message, "unknown group name 'nope'");
  EXPECT_FALSE(ExpandTemplate(*p, UR"(\3)", text, m, &out, &error));
  EXPECT_EQ(error.message, "invalid group reference 3");
  EXPECT_EQ(error.pos, 1);
}

TEST(Regex, EscapeQuotesSpecialCharacters) {
  EXPECT_EQ(Escape(U"a.b*c\u00e9 "), U"a\\.b\\*c\u00e9\\ ");
}

TEST(Regex, NamedUnicodeEscapesAreReportedAsUnsupported) {
  CompileError error;
  EXPECT_EQ(Pattern::Compile(U"\\N{EM DASH}", 0, &error), nullptr);
  EXPECT_EQ(error.kind, ErrorKind::kUnsupported);
}

TEST(Regex, PatternIsSharedBetweenConcurrentMatches) {
  CompileError error;
  auto p = Pattern::Compile(U"(a|b)+c", 0, &error);
  ASSERT_NE(p, nullptr);
  std::u32string text = U"ababababc";
  std::vector<std::thread> threads;
  std::atomic<int> matches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        Match m;
        if (p->Exec(text, 0, 9, Mode::kSearch, {}, &m) == ExecResult::kMatch && m.spans[2] == 7) {
          ++matches;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(matches.load(), 2000);
}

}  // namespace
}  // namespace edgeflow::script::regex
