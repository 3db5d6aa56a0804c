// Checks every code point of script/unicode.h against CPython: the test runs /usr/bin/python3
// (the interpreter the tables were generated from) and compares with what it reports.
#include "script/unicode.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace edgeflow::script::unicode {
namespace {

constexpr uint32_t kCodePoints = 0x110000;
constexpr const char* kPython = "/usr/bin/python3";

// Prints one line per fact, in hex:
//   P <name> <start> <end> ...    runs [start, end) where the property holds
//   D <cp> <value>                decimal digit values
//   M <kind> <cp> <cp>...         case mappings that differ from the identity
//   S <cp> <lower>                _sre.unicode_tolower where it is not the identity
//   X <lower> <cp>...             re._casefix._EXTRA_CASES
//   T <kind> <in...> | <out...>   whole-string mappings of sample strings
constexpr const char* kReferenceScript = R"PY(
import itertools, operator, random, re, re._casefix, sys, unicodedata, _sre
assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version
N = 0x110000
s = ''.join(map(chr, range(N)))
out = []
def runs(name, bits):
    line = ['P', name]
    for m in re.finditer(b'\x01+', bits):
        line.append('%x %x' % (m.start(), m.end()))
    out.append(' '.join(line))
for name, f in [('alpha', str.isalpha), ('decimal', str.isdecimal), ('digit', str.isdigit),
                ('numeric', str.isnumeric), ('alnum', str.isalnum), ('space', str.isspace),
                ('printable', str.isprintable), ('upper', str.isupper), ('lower', str.islower)]:
    runs(name, bytes(map(f, s)))
# For one character str.istitle() is Py_UNICODE_ISTITLE or Py_UNICODE_ISUPPER; IsTitle is the
# former (category Lt), and no Lt character is uppercase.
not_upper = map(operator.not_, map(str.isupper, s))
runs('title', bytes(map(operator.and_, map(str.istitle, s), not_upper)))
# Composed from C-level calls only (map/itemgetter), which keeps the script near one second.
def mapped(f, prefix='', suffix=''):
    t = s
    if prefix:
        t = map(prefix.__add__, t)
    if suffix:
        t = map(str.__add__, t, itertools.repeat(suffix))
    return map(f, t)
xid_start = bytearray(map(str.isidentifier, s))
xid_start[ord('_')] = 0
runs('xid_start', bytes(xid_start))
runs('xid_continue', bytes(mapped(str.isidentifier, 'a')))
breaks = bytearray(N)
for piece in 'x'.join(s).splitlines(keepends=True)[:-1]:
    breaks[ord(piece[-1])] = 1
runs('linebreak', bytes(breaks))
# The str.title() and final-sigma behaviours that the two case-context properties drive:
# a letter after a cased character is lowered by title(); 'A' c 'Σ' ends in final sigma iff c
# is cased or case-ignorable, 'AΣ' c iff c is case-ignorable or not cased.
last = operator.itemgetter(-1)
runs('cased', bytes(map('a'.__eq__, map(last, mapped(str.title, '', 'a')))))
after = map('\u03c2'.__eq__, map(last, mapped(str.lower, 'A', '\u03a3')))
before = map('\u03c2'.__eq__, map(operator.itemgetter(1), mapped(str.lower, 'A\u03a3')))
runs('case_ignorable', bytes(map(operator.and_, after, before)))
runs('sre_cased', bytes(map(_sre.unicode_iscased, range(N))))
def where(bits):
    return [m.start() for m in re.finditer(b'\x01', bytes(bits))]
for i in where(map(str.isdecimal, s)):
    out.append('D %x %d' % (i, unicodedata.decimal(s[i])))
# Case mappings: only the 256-code-point blocks that a mapping changes are mapped character by
# character. NUL maps to itself and is neither cased nor case-ignorable, so joining a block with
# NULs keeps each character's mapping independent of its neighbours.
for kind, f in [('upper', str.upper), ('lower', str.lower), ('title', str.title),
                ('fold', str.casefold)]:
    for base in range(0, N, 256):
        block = '\0'.join(s[base:base + 256])
        if f(block) == block:
            continue
        for i in range(base, base + 256):
            m = f(s[i])
            if m != s[i]:
                out.append('M %s %x %s' % (kind, i, ' '.join('%x' % ord(x) for x in m)))
lower = list(map(_sre.unicode_tolower, range(N)))
for i in where(map(operator.ne, range(N), lower)):
    out.append('S %x %x' % (i, lower[i]))
for lo, others in re._casefix._EXTRA_CASES.items():
    out.append('X %x %s' % (lo, ' '.join('%x' % o for o in others)))
# Strings that exercise the context rules: final sigma among cased and case-ignorable
# characters, title-casing word boundaries, multi-character mappings.
alphabet = ('\u03a3\u03c3\u03c2aAzZ \'.\u0345\u00ad\u0300\u02b0:\u00df\ufb01\u0130\u0149'
            '\u01c5\u01c4\u01c6\u1f80\u1f88\u00b5\u0131\u017f1_-\u2160\u24b6\U00010400\U0001e900')
rng = random.Random(12345)
samples = ['', '\u03a3', 'A\u03a3', '\u03a3A', 'A\u03a3 B', 'A\u0345\u03a3\u0345', 'hello world',
           "they're bill's friends", '\u00dfen \ufb01sh \u0130stanbul', '\u01c5ungla']
samples += [''.join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12)))
            for _ in range(3000)]
for t in samples:
    enc = ' '.join('%x' % ord(c) for c in t)
    for kind, f in [('upper', str.upper), ('lower', str.lower), ('title', str.title),
                    ('capitalize', str.capitalize), ('swapcase', str.swapcase),
                    ('fold', str.casefold)]:
        out.append('T %s %s | %s' % (kind, enc, ' '.join('%x' % ord(c) for c in f(t))))
sys.stdout.write('\n'.join(out) + '\n')
)PY";

struct Reference {
  std::map<std::string, std::vector<bool>> props;
  std::vector<int> decimal = std::vector<int>(kCodePoints, -1);
  std::map<std::string, std::map<uint32_t, std::u32string>> mappings;
  std::vector<uint32_t> sre_lower;
  std::map<uint32_t, std::u32string> extra_cases;
  struct Sample {
    std::string kind;
    std::u32string in, out;
  };
  std::vector<Sample> samples;
  std::string error;
};

std::u32string ParseCodePoints(std::istringstream& in) {
  std::u32string s;
  std::string tok;
  while (in >> tok && tok != "|") s.push_back(static_cast<char32_t>(std::stoul(tok, nullptr, 16)));
  return s;
}

Reference LoadReference() {
  Reference ref;
  ref.sre_lower.resize(kCodePoints);
  for (uint32_t cp = 0; cp < kCodePoints; ++cp) ref.sre_lower[cp] = cp;
  std::string path = testing::TempDir() + "unicode_ref_XXXXXX";
  int fd = mkstemp(path.data());
  if (fd < 0) {
    ref.error = "mkstemp failed";
    return ref;
  }
  std::string script = kReferenceScript;
  if (write(fd, script.data(), script.size()) != static_cast<ssize_t>(script.size())) {
    ref.error = "write failed";
  }
  close(fd);
  std::string cmd = std::string(kPython) + " " + path;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) {
    ref.error = "cannot run " + cmd;
    unlink(path.c_str());
    return ref;
  }
  std::string text;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) text.append(buf, n);
  int status = pclose(pipe);
  unlink(path.c_str());
  if (status != 0) {
    ref.error = "reference script failed with status " + std::to_string(status);
    return ref;
  }
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream in(line);
    std::string tag;
    in >> tag;
    if (tag == "P") {
      std::string name;
      in >> name;
      std::vector<bool>& bits = ref.props[name];
      bits.assign(kCodePoints, false);
      std::string a, b;
      while (in >> a >> b) {
        for (uint32_t cp = std::stoul(a, nullptr, 16); cp < std::stoul(b, nullptr, 16); ++cp) {
          bits[cp] = true;
        }
      }
    } else if (tag == "D") {
      std::string cp;
      int value;
      in >> cp >> value;
      ref.decimal[std::stoul(cp, nullptr, 16)] = value;
    } else if (tag == "M") {
      std::string kind, cp;
      in >> kind >> cp;
      ref.mappings[kind][std::stoul(cp, nullptr, 16)] = ParseCodePoints(in);
    } else if (tag == "S") {
      std::string cp, lo;
      in >> cp >> lo;
      ref.sre_lower[std::stoul(cp, nullptr, 16)] = std::stoul(lo, nullptr, 16);
    } else if (tag == "X") {
      std::string lo;
      in >> lo;
      ref.extra_cases[std::stoul(lo, nullptr, 16)] = ParseCodePoints(in);
    } else if (tag == "T") {
      Reference::Sample sample;
      in >> sample.kind;
      sample.in = ParseCodePoints(in);
      sample.out = ParseCodePoints(in);
      ref.samples.push_back(std::move(sample));
    }
  }
  return ref;
}

const Reference& Ref() {
  static const Reference* ref = new Reference(LoadReference());
  return *ref;
}

std::string Hex(uint32_t cp) {
  char buf[16];
  snprintf(buf, sizeof(buf), "U+%04X", cp);
  return buf;
}

std::string Hex(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) out += Hex(c) + " ";
  return out;
}

// Compares one predicate over all code points; reports the first few differences only.
void ExpectProperty(const char* name, bool (*fn)(uint32_t)) {
  const Reference& ref = Ref();
  ASSERT_EQ(ref.error, "");
  auto it = ref.props.find(name);
  ASSERT_NE(it, ref.props.end()) << name;
  int failures = 0;
  for (uint32_t cp = 0; cp < kCodePoints; ++cp) {
    if (fn(cp) != it->second[cp]) {
      ADD_FAILURE() << name << " differs at " << Hex(cp) << ": CPython says " << it->second[cp];
      if (++failures == 10) return;
    }
  }
}

TEST(Unicode, PredicatesMatchCPythonOnEveryCodePoint) {
  ExpectProperty("alpha", IsAlpha);
  ExpectProperty("decimal", IsDecimal);
  ExpectProperty("digit", IsDigit);
  ExpectProperty("numeric", IsNumeric);
  ExpectProperty("alnum", IsAlnum);
  ExpectProperty("space", IsSpace);
  ExpectProperty("printable", IsPrintable);
  ExpectProperty("upper", IsUpper);
  ExpectProperty("lower", IsLower);
  ExpectProperty("title", IsTitle);
  ExpectProperty("xid_start", IsXidStart);
  ExpectProperty("xid_continue", IsXidContinue);
  ExpectProperty("linebreak", IsLineBreak);
  ExpectProperty("cased", IsCased);
  ExpectProperty("case_ignorable", IsCaseIgnorable);
}

TEST(Unicode, DecimalValuesMatchCPython) {
  const Reference& ref = Ref();
  ASSERT_EQ(ref.error, "");
  int failures = 0;
  for (uint32_t cp = 0; cp < kCodePoints && failures < 10; ++cp) {
    if (DecimalValue(cp) != ref.decimal[cp]) {
      ADD_FAILURE() << "DecimalValue(" << Hex(cp) << ") = " << DecimalValue(cp) << ", CPython "
                    << ref.decimal[cp];
      ++failures;
    }
  }
}

TEST(Unicode, FullCaseMappingsMatchCPythonOnEveryCodePoint) {
  const Reference& ref = Ref();
  ASSERT_EQ(ref.error, "");
  struct Kind {
    const char* name;
    void (*fn)(uint32_t, std::u32string*);
  };
  for (const Kind& k : {Kind{"upper", ToUpper}, Kind{"lower", ToLower}, Kind{"title", ToTitle},
                        Kind{"fold", CaseFold}}) {
    const auto& expected = ref.mappings.at(k.name);
    int failures = 0;
    std::u32string got;
    for (uint32_t cp = 0; cp < kCodePoints && failures < 10; ++cp) {
      got.clear();
      k.fn(cp, &got);
      auto it = expected.find(cp);
      const std::u32string want = it == expected.end() ? std::u32string(1, cp) : it->second;
      if (got != want) {
        ADD_FAILURE() << k.name << "(" << Hex(cp) << ") = " << Hex(got) << "; CPython "
                      << Hex(want);
        ++failures;
      }
    }
  }
}

TEST(Unicode, SimpleMappingsAreWhatSreUses) {
  const Reference& ref = Ref();
  ASSERT_EQ(ref.error, "");
  const std::vector<bool>& sre_cased = ref.props.at("sre_cased");
  int failures = 0;
  for (uint32_t cp = 0; cp < kCodePoints && failures < 10; ++cp) {
    if (SimpleLower(cp) != ref.sre_lower[cp]) {
      ADD_FAILURE() << "SimpleLower(" << Hex(cp) << ") = " << Hex(SimpleLower(cp))
                    << "; _sre.unicode_tolower " << Hex(ref.sre_lower[cp]);
      ++failures;
    }
    // _sre.unicode_iscased is defined through Py_UNICODE_TOUPPER, which checks SimpleUpper.
    bool cased = SimpleLower(cp) != cp || SimpleUpper(cp) != cp;
    if (cased != sre_cased[cp]) {
      ADD_FAILURE() << "sre iscased(" << Hex(cp) << ") differs";
      ++failures;
    }
    auto it = ref.mappings.at("upper").find(cp);
    uint32_t first_upper = it == ref.mappings.at("upper").end() ? cp : it->second[0];
    if (SimpleUpper(cp) != first_upper) {
      ADD_FAILURE() << "SimpleUpper(" << Hex(cp) << ") is not the first code point of upper()";
      ++failures;
    }
  }
}

TEST(Unicode, SimpleFoldIsTheSreIgnoreCaseKey) {
  const Reference& ref = Ref();
  ASSERT_EQ(ref.error, "");
  for (const auto& [lo, others] : ref.extra_cases) {
    EXPECT_EQ(ExtraCaseEquivalents(lo), others) << Hex(lo);
  }
  int failures = 0;
  for (uint32_t cp = 0; cp < kCodePoints && failures < 10; ++cp) {
    uint32_t lo = ref.sre_lower[cp];
    uint32_t key = lo;
    auto it = ref.extra_cases.find(lo);
    if (it != ref.extra_cases.end()) {
      for (char32_t o : it->second) key = std::min<uint32_t>(key, o);
    } else if (!ExtraCaseEquivalents(lo).empty()) {
      ADD_FAILURE() << "ExtraCaseEquivalents(" << Hex(lo) << ") should be empty";
      ++failures;
    }
    if (SimpleFold(cp) != key) {
      ADD_FAILURE() << "SimpleFold(" << Hex(cp) << ") = " << Hex(SimpleFold(cp)) << "; want "
                    << Hex(key);
      ++failures;
    }
  }
}

TEST(Unicode, StringMappingsMatchCPythonIncludingFinalSigmaAndTitleRules) {
  const Reference& ref = Ref();
  ASSERT_EQ(ref.error, "");
  ASSERT_GT(ref.samples.size(), 1000u);
  int failures = 0;
  for (const Reference::Sample& s : ref.samples) {
    std::u32string got;
    if (s.kind == "upper") UpperString(s.in, &got);
    if (s.kind == "lower") LowerString(s.in, &got);
    if (s.kind == "title") TitleString(s.in, &got);
    if (s.kind == "capitalize") CapitalizeString(s.in, &got);
    if (s.kind == "swapcase") SwapCaseString(s.in, &got);
    if (s.kind == "fold") CaseFoldString(s.in, &got);
    if (got != s.out) {
      ADD_FAILURE() << s.kind << "(" << Hex(s.in) << ") = " << Hex(got) << "; CPython "
                    << Hex(s.out);
      if (++failures == 10) return;
    }
  }
}

TEST(Unicode, OutOfRangeValuesHaveNoProperties) {
  for (uint32_t cp : {0x110000u, 0xFFFFFFFFu}) {
    EXPECT_FALSE(IsAlpha(cp));
    EXPECT_FALSE(IsPrintable(cp));
    EXPECT_EQ(DecimalValue(cp), -1);
    EXPECT_EQ(SimpleLower(cp), cp);
    EXPECT_EQ(SimpleUpper(cp), cp);
    EXPECT_EQ(SimpleFold(cp), cp);
    std::u32string out;
    ToUpper(cp, &out);
    EXPECT_EQ(out, std::u32string(1, static_cast<char32_t>(cp)));
  }
}

}  // namespace
}  // namespace edgeflow::script::unicode
