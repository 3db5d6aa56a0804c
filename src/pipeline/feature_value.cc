// FeatureValueToJson: the compact JSON that --dump-features prints, with
// numbers formatted exactly as Python's repr / json.dumps formats them.
#include "pipeline/feature_value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <system_error>

namespace edgeflow::pipeline {
namespace {

// Appends x as Python's repr(float) does: the shortest digits that round-trip
// (for a float, round-trip through float32), positional when the decimal
// exponent is in [-4, 16), with ".0" on integral values; otherwise
// "d[.ddd]e±XX" with at least two exponent digits (1e-05, 1.5e+16, 5e-324).
// Non-finite values have no JSON number and become null.
template <typename F>
void AppendRepr(std::string* out, F x) {
  if (!std::isfinite(x)) {
    out->append("null");
    return;
  }
  char buf[64];
  // Shortest round-trip digits in the form [-]d[.ddd]e(+|-)XX.
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string_view s(buf, static_cast<size_t>(r.ptr - buf));
  if (s.front() == '-') {
    out->push_back('-');
    s.remove_prefix(1);
  }
  const size_t e_pos = s.find('e');
  std::string digits(1, s[0]);
  if (e_pos > 1) digits.append(s.substr(2, e_pos - 2));
  std::string_view exp_text = s.substr(e_pos + 1);
  const bool exp_negative = exp_text.front() == '-';
  exp_text.remove_prefix(1);  // the sign, always present
  int exp = 0;
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  if (exp_negative) exp = -exp;

  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const size_t int_digits = static_cast<size_t>(exp) + 1;
      if (digits.size() <= int_digits) {
        out->append(digits);
        out->append(int_digits - digits.size(), '0');
        out->append(".0");
      } else {
        out->append(digits, 0, int_digits);
        out->push_back('.');
        out->append(digits, int_digits, std::string::npos);
      }
    } else {
      out->append("0.");
      out->append(static_cast<size_t>(-exp - 1), '0');
      out->append(digits);
    }
    return;
  }
  out->push_back(digits[0]);
  if (digits.size() > 1) {
    out->push_back('.');
    out->append(digits, 1, std::string::npos);
  }
  out->push_back('e');
  out->push_back(exp_negative ? '-' : '+');
  const int abs_exp = exp_negative ? -exp : exp;
  if (abs_exp < 10) out->push_back('0');
  out->append(std::to_string(abs_exp));
}

void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid. On
// failure *bad_len is the maximal prefix of a well-formed sequence (at least
// 1), which is what one U+FFFD replaces (Unicode's "maximal subpart" rule, the
// one Python's bytes.decode('utf-8', 'replace') follows).
size_t Utf8SequenceLength(std::string_view s, size_t i, size_t* bad_len) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = b(i);
  size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the first continuation byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
  } else if (lead == 0xE0) {
    need = 2, lo = 0xA0;
  } else if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) {
    need = 2;
  } else if (lead == 0xED) {
    need = 2, hi = 0x9F;  // excludes the UTF-16 surrogates
  } else if (lead == 0xF0) {
    need = 3, lo = 0x90;
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    need = 3;
  } else if (lead == 0xF4) {
    need = 3, hi = 0x8F;  // at most U+10FFFF
  } else {
    *bad_len = 1;
    return 0;
  }
  for (size_t k = 1; k <= need; ++k) {
    const unsigned char min = k == 1 ? lo : 0x80, max = k == 1 ? hi : 0xBF;
    if (i + k >= s.size() || b(i + k) < min || b(i + k) > max) {
      *bad_len = k;
      return 0;
    }
  }
  return need + 1;
}

// A JSON string literal, escaping as Python's json.dumps(ensure_ascii=False)
// does: \" \\ \b \f \n \r \t, other control characters as \u00XX, everything
// else as is. Invalid UTF-8 becomes U+FFFD so that the output is always valid.
void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t bad_len = 0;
      const size_t n = Utf8SequenceLength(s, i, &bad_len);
      if (n == 0) {
        out->append("\xEF\xBF\xBD");
        i += bad_len;
      } else {
        out->append(s, i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

void AppendValue(std::string* out, const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNone:
      out->append("null");
      break;
    case Value::Kind::kBool:
      out->append(v.b ? "true" : "false");
      break;
    case Value::Kind::kInt:
      AppendInt(out, v.i);
      break;
    case Value::Kind::kFloat:
      AppendRepr(out, v.f);
      break;
    case Value::Kind::kStr:
      AppendJsonString(out, v.s);
      break;
    // Already compact JSON text (value.h); an empty one would not be JSON.
    case Value::Kind::kJson:
      out->append(v.s.empty() ? std::string_view("null") : v.s);
      break;
  }
}

}  // namespace

std::string FeatureValueToJson(const FeatureValue& v) {
  std::string out;
  switch (v.kind) {
    case FeatureValue::Kind::kScalar:
      AppendValue(&out, v.scalar);
      break;
    case FeatureValue::Kind::kList:
      out.push_back('[');
      for (size_t i = 0; i < v.list.size(); ++i) {
        if (i) out.push_back(',');
        AppendValue(&out, v.list[i]);
      }
      out.push_back(']');
      break;
    case FeatureValue::Kind::kMap: {
      // The map is kept sorted (feature_value.h); sort a view anyway so that
      // the output never depends on how the producer filled it.
      std::vector<const std::pair<std::string, double>*> entries;
      entries.reserve(v.map.size());
      for (const auto& e : v.map) entries.push_back(&e);
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto* a, const auto* b) { return a->first < b->first; });
      out.push_back('{');
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i) out.push_back(',');
        AppendJsonString(&out, entries[i]->first);
        out.push_back(':');
        AppendRepr(&out, entries[i]->second);
      }
      out.push_back('}');
      break;
    }
    case FeatureValue::Kind::kTensor:
      out.push_back('[');
      for (size_t i = 0; i < v.tensor.size(); ++i) {
        if (i) out.push_back(',');
        AppendRepr(&out, v.tensor[i]);
      }
      out.push_back(']');
      break;
  }
  return out;
}

}  // namespace edgeflow::pipeline
