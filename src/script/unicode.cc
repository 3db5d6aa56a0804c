// Lookups over the generated Unicode tables: one binary search over property runs or case runs
// per call (Latin-1 properties come from a direct table).
#include "script/unicode.h"

#include <algorithm>
#include <iterator>

namespace edgeflow::script::unicode {
namespace {

constexpr uint32_t kPropAlpha = 1u << 0;
constexpr uint32_t kPropDecimal = 1u << 1;
constexpr uint32_t kPropDigit = 1u << 2;
constexpr uint32_t kPropNumeric = 1u << 3;
constexpr uint32_t kPropAlnum = 1u << 4;
constexpr uint32_t kPropSpace = 1u << 5;
constexpr uint32_t kPropPrintable = 1u << 6;
constexpr uint32_t kPropUpper = 1u << 7;
constexpr uint32_t kPropLower = 1u << 8;
constexpr uint32_t kPropTitle = 1u << 9;
constexpr uint32_t kPropCased = 1u << 10;
constexpr uint32_t kPropCaseIgnorable = 1u << 11;
constexpr uint32_t kPropXidStart = 1u << 12;
constexpr uint32_t kPropXidContinue = 1u << 13;
constexpr uint32_t kPropLineBreak = 1u << 14;

struct PropRecord {
  uint16_t flags;
  int8_t decimal;  // -1: not a decimal digit
};

// Index of each mapping in CaseRecord::map.
enum CaseKind { kLower = 0, kUpper = 1, kTitle = 2, kFold = 3, kSreFold = 4 };

struct CaseRecord {
  // A code point delta, or for the kinds whose bit is set in seq_mask a reference
  // (offset << 2 | length) into kCaseSeqs. kSreFold is always a delta.
  int32_t map[5];
  uint8_t seq_mask;
};

struct CasePair {
  uint16_t even;  // record of code points at an even offset from the run start
  uint16_t odd;
};

#include "script/unicode_tables.inc"

constexpr uint32_t kMaxCodePoint = 0x10FFFF;
constexpr int kRunShift = 11;  // runs pack start << 11 | record or pair index
constexpr uint32_t kRunIndexMask = (1u << kRunShift) - 1;

// The entry of the run containing cp in a packed run table that starts at code point 0.
inline uint32_t FindRun(const uint32_t* begin, const uint32_t* end, uint32_t cp) {
  const uint32_t key = (cp << kRunShift) | kRunIndexMask;
  return *(std::upper_bound(begin, end, key) - 1);
}

// cp <= kMaxCodePoint.
inline const PropRecord& Props(uint32_t cp) {
  if (cp < 256) return kPropRecords[kLatin1Props[cp]];
  return kPropRecords[FindRun(std::begin(kPropRuns), std::end(kPropRuns), cp) & kRunIndexMask];
}

inline bool Has(uint32_t cp, uint32_t bit) {
  if (cp > kMaxCodePoint) return false;
  return (Props(cp).flags & bit) != 0;
}

inline const CaseRecord& Case(uint32_t cp) {
  if (cp > kMaxCodePoint) return kCaseRecords[0];  // record 0 is the identity (cp 0)
  const uint32_t run = FindRun(std::begin(kCaseRuns), std::end(kCaseRuns), cp);
  const CasePair& pair = kCasePairs[run & kRunIndexMask];
  return kCaseRecords[((cp - (run >> kRunShift)) & 1) ? pair.odd : pair.even];
}

void AppendMapping(uint32_t cp, CaseKind kind, std::u32string* out) {
  const CaseRecord& r = Case(cp);
  const int32_t v = r.map[kind];
  if (r.seq_mask & (1u << kind)) {
    out->append(kCaseSeqs + (v >> 2), static_cast<size_t>(v & 3));
  } else {
    out->push_back(static_cast<char32_t>(static_cast<int64_t>(cp) + v));
  }
}

uint32_t FirstOfMapping(uint32_t cp, CaseKind kind) {
  const CaseRecord& r = Case(cp);
  const int32_t v = r.map[kind];
  if (r.seq_mask & (1u << kind)) return kCaseSeqs[v >> 2];
  return static_cast<uint32_t>(static_cast<int64_t>(cp) + v);
}

// CPython's handle_capital_sigma: s[i] is 'Σ'; final form when a cased letter precedes it and
// none follows, case-ignorable characters being skipped both ways.
char32_t LowerSigma(std::u32string_view s, size_t i) {
  size_t j = i;
  while (j > 0 && IsCaseIgnorable(s[j - 1])) --j;
  bool final_sigma = j > 0 && IsCased(s[j - 1]);
  if (final_sigma) {
    size_t k = i + 1;
    while (k < s.size() && IsCaseIgnorable(s[k])) ++k;
    final_sigma = k == s.size() || !IsCased(s[k]);
  }
  return final_sigma ? U'\u03c2' : U'\u03c3';
}

// One character of str.lower(), in context.
void LowerAt(std::u32string_view s, size_t i, std::u32string* out) {
  if (s[i] == U'\u03a3') {
    out->push_back(LowerSigma(s, i));
  } else {
    ToLower(s[i], out);
  }
}

}  // namespace

bool IsAlpha(uint32_t cp) { return Has(cp, kPropAlpha); }
bool IsDecimal(uint32_t cp) { return Has(cp, kPropDecimal); }
bool IsDigit(uint32_t cp) { return Has(cp, kPropDigit); }
bool IsNumeric(uint32_t cp) { return Has(cp, kPropNumeric); }
bool IsAlnum(uint32_t cp) { return Has(cp, kPropAlnum); }
bool IsSpace(uint32_t cp) { return Has(cp, kPropSpace); }
bool IsPrintable(uint32_t cp) { return Has(cp, kPropPrintable); }
bool IsUpper(uint32_t cp) { return Has(cp, kPropUpper); }
bool IsLower(uint32_t cp) { return Has(cp, kPropLower); }
bool IsTitle(uint32_t cp) { return Has(cp, kPropTitle); }
bool IsCased(uint32_t cp) { return Has(cp, kPropCased); }
bool IsCaseIgnorable(uint32_t cp) { return Has(cp, kPropCaseIgnorable); }
bool IsXidStart(uint32_t cp) { return Has(cp, kPropXidStart); }
bool IsXidContinue(uint32_t cp) { return Has(cp, kPropXidContinue); }
bool IsLineBreak(uint32_t cp) { return Has(cp, kPropLineBreak); }

int DecimalValue(uint32_t cp) {
  if (cp > kMaxCodePoint) return -1;
  return Props(cp).decimal;
}

void ToUpper(uint32_t cp, std::u32string* out) { AppendMapping(cp, kUpper, out); }
void ToLower(uint32_t cp, std::u32string* out) { AppendMapping(cp, kLower, out); }
void ToTitle(uint32_t cp, std::u32string* out) { AppendMapping(cp, kTitle, out); }
void CaseFold(uint32_t cp, std::u32string* out) { AppendMapping(cp, kFold, out); }

uint32_t SimpleLower(uint32_t cp) {
  if (cp < 128) return cp - 'A' < 26 ? cp + 32 : cp;
  return FirstOfMapping(cp, kLower);
}

uint32_t SimpleUpper(uint32_t cp) {
  if (cp < 128) return cp - 'a' < 26 ? cp - 32 : cp;
  return FirstOfMapping(cp, kUpper);
}

uint32_t SimpleFold(uint32_t cp) {
  // The other members of an ASCII letter's class ('ı', 'ſ', 'K' U+212A) all lie above 127,
  // so the smallest lowercase form of the class is the ASCII one.
  if (cp < 128) return cp - 'A' < 26 ? cp + 32 : cp;
  return static_cast<uint32_t>(static_cast<int64_t>(cp) + Case(cp).map[kSreFold]);
}

std::u32string_view ExtraCaseEquivalents(uint32_t lower) {
  const uint32_t* it = std::lower_bound(std::begin(kCaseFixKeys), std::end(kCaseFixKeys), lower);
  if (it == std::end(kCaseFixKeys) || *it != lower) return {};
  const uint16_t ref = kCaseFixRefs[it - std::begin(kCaseFixKeys)];
  return std::u32string_view(kCaseFixPool + (ref >> 2), ref & 3);
}

void UpperString(std::u32string_view s, std::u32string* out) {
  for (char32_t c : s) ToUpper(c, out);
}

void LowerString(std::u32string_view s, std::u32string* out) {
  for (size_t i = 0; i < s.size(); ++i) LowerAt(s, i, out);
}

void TitleString(std::u32string_view s, std::u32string* out) {
  bool previous_is_cased = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (previous_is_cased) {
      LowerAt(s, i, out);
    } else {
      ToTitle(s[i], out);
    }
    previous_is_cased = IsCased(s[i]);
  }
}

void CapitalizeString(std::u32string_view s, std::u32string* out) {
  if (s.empty()) return;
  ToTitle(s[0], out);
  for (size_t i = 1; i < s.size(); ++i) LowerAt(s, i, out);
}

void SwapCaseString(std::u32string_view s, std::u32string* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsUpper(s[i])) {
      LowerAt(s, i, out);
    } else if (IsLower(s[i])) {
      ToUpper(s[i], out);
    } else {
      out->push_back(s[i]);
    }
  }
}

void CaseFoldString(std::u32string_view s, std::u32string* out) {
  for (char32_t c : s) CaseFold(c, out);
}

}  // namespace edgeflow::script::unicode
