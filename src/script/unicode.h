// Unicode character properties and case mappings of the script VM, equal to CPython 3.11's
// (Unicode 14.0.0) code point for code point. Tables: unicode_tables.inc, generated from
// CPython by scripts/gen_unicode_tables.py.
//
// Every function takes a code point (0..0x10FFFF; larger values have no properties and map to
// themselves), is pure, allocation-free unless it appends to `out`, and thread-safe.
#ifndef EDGEFLOW_SCRIPT_UNICODE_H_
#define EDGEFLOW_SCRIPT_UNICODE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace edgeflow::script::unicode {

// Single-character str predicates: IsX(cp) == chr(cp).isx() in CPython, except IsTitle, which is
// Py_UNICODE_ISTITLE (chr(cp).istitle() is IsTitle(cp) || IsUpper(cp)).
bool IsAlpha(uint32_t cp);      // categories Lu Ll Lt Lm Lo
bool IsDecimal(uint32_t cp);    // has a decimal digit value (Nd)
bool IsDigit(uint32_t cp);      // has a digit value (superset of IsDecimal: '²', '①')
bool IsNumeric(uint32_t cp);    // has a numeric value (superset of IsDigit: '½', '五')
bool IsAlnum(uint32_t cp);      // IsAlpha || IsDecimal || IsDigit || IsNumeric
bool IsSpace(uint32_t cp);      // bidi class WS, B or S, or category Zs (includes \x1c-\x1f)
bool IsPrintable(uint32_t cp);  // what repr() leaves unescaped: not C*, Z* except ' '
bool IsUpper(uint32_t cp);      // Uppercase property (chr(cp).isupper())
bool IsLower(uint32_t cp);      // Lowercase property
bool IsTitle(uint32_t cp);      // category Lt

// The two properties behind str.lower()'s final-sigma rule and str.title()'s word boundaries.
bool IsCased(uint32_t cp);
bool IsCaseIgnorable(uint32_t cp);

// Identifier characters. str.isidentifier() is true for a non-empty s with
// (IsXidStart(s[0]) || s[0] == '_') and IsXidContinue for every later character. '_' itself is
// XID_Continue but not XID_Start, as in CPython's _PyUnicode_IsXidStart.
bool IsXidStart(uint32_t cp);
bool IsXidContinue(uint32_t cp);

// The line boundaries of str.splitlines(): \n \v \f \r \x1c \x1d \x1e \x85 \u2028 \u2029.
// ("\r\n" counts as one boundary; that pairing is the caller's job.)
bool IsLineBreak(uint32_t cp);

// Value of a decimal digit (IsDecimal), e.g. 3 for '3' and for '٣'; -1 for anything else.
int DecimalValue(uint32_t cp);

// Full case mappings of one character, appended to *out: what chr(cp).upper() etc. return,
// including the multi-character mappings ('ß' -> "SS", 'ﬁ' -> "FI", 'İ'.lower() -> "i̇").
// ToLower maps 'Σ' to 'σ'; the context-dependent final sigma is LowerString's job.
void ToUpper(uint32_t cp, std::u32string* out);
void ToLower(uint32_t cp, std::u32string* out);
void ToTitle(uint32_t cp, std::u32string* out);
void CaseFold(uint32_t cp, std::u32string* out);

// Whole-string mappings with CPython's exact algorithms: str.upper(), str.lower() (final sigma
// rule), str.title() (a letter after a cased character is lowered, otherwise titlecased),
// str.capitalize() (first character titlecased, the rest lowered), str.swapcase() and
// str.casefold(). The result is appended to *out; `s` must not alias *out.
void UpperString(std::u32string_view s, std::u32string* out);
void LowerString(std::u32string_view s, std::u32string* out);
void TitleString(std::u32string_view s, std::u32string* out);
void CapitalizeString(std::u32string_view s, std::u32string* out);
void SwapCaseString(std::u32string_view s, std::u32string* out);
void CaseFoldString(std::u32string_view s, std::u32string* out);

// One-code-point mappings as CPython's Py_UNICODE_TOLOWER / Py_UNICODE_TOUPPER compute them
// (and sre uses them): the first code point of the full mapping, so SimpleUpper('ß') == 'S'.
uint32_t SimpleLower(uint32_t cp);
uint32_t SimpleUpper(uint32_t cp);

// sre's case-insensitive identity: under re.IGNORECASE (Unicode) a pattern character c that
// sre considers cased (SimpleLower(c) != c || SimpleUpper(c) != c) matches text character t
// iff SimpleFold(t) == SimpleFold(c). It is the smallest SimpleLower value among the letters
// that ExtraCaseEquivalents joins, e.g. SimpleFold('ſ') == SimpleFold('S') == 's'.
uint32_t SimpleFold(uint32_t cp);

// The lowercase letters that sre additionally treats as equal to `lower` (a SimpleLower
// value) under IGNORECASE because they share an uppercase form (re._casefix): "ſ" for 's',
// "ı" for 'i', U+0345 U+1FBE for 'ι'. Empty for most code points; views static storage.
std::u32string_view ExtraCaseEquivalents(uint32_t lower);

}  // namespace edgeflow::script::unicode

#endif  // EDGEFLOW_SCRIPT_UNICODE_H_
