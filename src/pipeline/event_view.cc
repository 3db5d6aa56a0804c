// EventView: field access by name and a hand-written scanner for the top-level
// members of the props object (this runs once per event, ~1M events/s, so it
// avoids building a JSON DOM; only nested objects and arrays go to nlohmann).
#include "pipeline/event_view.h"
#include "pipeline/utf8.h"

#include <charconv>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

namespace edgeflow::pipeline {
namespace {

using Kind = Value::Kind;

// Nested values deeper than this make the props malformed: it bounds the
// recursion of nlohmann's dump() on hostile input.
constexpr int kMaxNestedDepth = 256;


int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Scans one JSON object (RFC 8259) and records its members. Any syntax error
// makes Parse() return false; the caller then drops what was recorded.
class PropsScanner {
 public:
  explicit PropsScanner(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool Parse(std::vector<std::pair<std::string, Value>>* members) {
    SkipSpace();
    if (p_ == end_ || *p_ != '{') return false;
    ++p_;
    SkipSpace();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
    } else {
      for (;;) {
        SkipSpace();
        if (p_ == end_ || *p_ != '"') return false;
        auto& m = members->emplace_back();
        if (!ParseString(&m.first)) return false;
        SkipSpace();
        if (p_ == end_ || *p_ != ':') return false;
        ++p_;
        SkipSpace();
        if (!ParseValue(&m.second)) return false;
        SkipSpace();
        if (p_ == end_) return false;
        if (*p_ == ',') {
          ++p_;
          continue;
        }
        if (*p_ != '}') return false;
        ++p_;
        break;
      }
    }
    SkipSpace();
    return p_ == end_;
  }

 private:
  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool ParseValue(Value* v) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '"':
        v->kind = Kind::kStr;
        return ParseString(&v->s);
      case 't':
        v->kind = Kind::kBool;
        v->b = true;
        return Literal("true");
      case 'f':
        v->kind = Kind::kBool;
        v->b = false;
        return Literal("false");
      case 'n':
        v->kind = Kind::kNone;
        return Literal("null");
      case '{':
      case '[':
        return ParseNested(v);
      default:
        return ParseNumber(v);
    }
  }

  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  // p_ is at the opening quote. Decodes every JSON escape; \uXXXX pairs that
  // form a surrogate pair become one code point, a lone surrogate is an error.
  bool ParseString(std::string* out) {
    ++p_;
    const char* start = p_;
    while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) ++p_;
    if (p_ == end_) return false;
    out->assign(start, p_ - start);
    for (;;) {
      if (p_ == end_) return false;
      char c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        const char* run = p_;
        while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) ++p_;
        out->append(run, p_ - run);
        continue;
      }
      if (++p_ == end_) return false;
      switch (*p_++) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            if (!Hex4(&lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return false;
      }
    }
  }

  bool Hex4(uint32_t* cp) {
    if (end_ - p_ < 4) return false;
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      int h = HexDigit(p_[k]);
      if (h < 0) return false;
      v = v * 16 + h;
    }
    p_ += 4;
    *cp = v;
    return true;
  }

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? ; integers (no fraction or
  // exponent) in int64 range are kInt, everything else kFloat (as Python's
  // json.loads gives float for 1.0 and 1e2).
  bool ParseNumber(Value* v) {
    const char* start = p_;
    bool neg = false;
    if (*p_ == '-') {
      neg = true;
      ++p_;
    }
    if (p_ == end_ || !IsDigit(*p_)) return false;
    uint64_t mag = 0;  // all mantissa digits, while they fit
    bool overflow = false;
    auto digit = [&] {
      unsigned d = *p_ - '0';
      if (mag > (UINT64_MAX - d) / 10) overflow = true;
      mag = mag * 10 + d;
      ++p_;
    };
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ < end_ && IsDigit(*p_)) digit();
    }
    bool is_float = false;
    int exp10 = 0;  // power of ten of the last mantissa digit
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return false;
      while (p_ < end_ && IsDigit(*p_)) {
        digit();
        --exp10;
      }
      is_float = true;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      bool eneg = false;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) eneg = *p_++ == '-';
      if (p_ == end_ || !IsDigit(*p_)) return false;
      int e = 0;
      while (p_ < end_ && IsDigit(*p_)) {
        if (e < 100000) e = e * 10 + (*p_ - '0');
        ++p_;
      }
      exp10 += eneg ? -e : e;
      is_float = true;
    }
    if (!is_float && !overflow) {
      if (!neg && mag <= static_cast<uint64_t>(INT64_MAX)) {
        v->kind = Kind::kInt;
        v->i = static_cast<int64_t>(mag);
        return true;
      }
      if (neg && mag <= static_cast<uint64_t>(INT64_MAX) + 1) {
        v->kind = Kind::kInt;
        v->i = static_cast<int64_t>(0 - mag);
        return true;
      }
    }
    v->kind = Kind::kFloat;
    // Clinger's fast path: a mantissa below 2^53 and a power of ten up to
    // 10^22 are exact doubles, so one multiplication or division rounds correctly.
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (!overflow && mag <= (uint64_t{1} << 53) && exp10 >= -22 && exp10 <= 22) {
      double m = static_cast<double>(mag);
      double d = exp10 >= 0 ? m * kPow10[exp10] : m / kPow10[-exp10];
      v->f = neg ? -d : d;
      return true;
    }
    auto r = std::from_chars(start, p_, v->f);
    if (r.ec == std::errc::result_out_of_range) {
      // strtod gives +-inf on overflow and the correctly rounded tiny value (or
      // 0) on underflow, as Python's float() does.
      std::string copy(start, p_ - start);
      v->f = std::strtod(copy.c_str(), nullptr);
    } else if (r.ec != std::errc() || r.ptr != p_) {
      return false;
    }
    return true;
  }

  // An object or array member: finds its end (strings and depth aware), then
  // lets nlohmann validate and re-serialise it compactly, in document order.
  bool ParseNested(Value* v) {
    const char* start = p_;
    int depth = 0;
    while (p_ < end_) {
      char c = *p_;
      if (c == '"') {
        ++p_;
        while (p_ < end_ && *p_ != '"') {
          if (*p_ == '\\' && ++p_ == end_) return false;
          ++p_;
        }
        if (p_ == end_) return false;
        ++p_;
        continue;
      }
      ++p_;
      if (c == '{' || c == '[') {
        if (++depth > kMaxNestedDepth) return false;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) break;
      }
    }
    if (depth != 0) return false;
    try {
      auto j = nlohmann::ordered_json::parse(start, p_, nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded()) return false;
      v->kind = Kind::kJson;
      v->s = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    } catch (...) {
      return false;
    }
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

void EventView::ParseProps() const {
  props_parsed_ = true;
  const std::string& text = event_->props;
  if (text.empty()) return;
  props_.reserve(8);
  PropsScanner scanner(text);
  if (!scanner.Parse(&props_)) props_.clear();
}

const Value* EventView::Prop(std::string_view name) const {
  if (!props_parsed_) ParseProps();
  for (size_t k = props_.size(); k-- > 0;) {  // from the back: later duplicates win
    const std::string& key = props_[k].first;
    if (key.size() == name.size() && (name.empty() || (key[0] == name[0] && key == name))) {
      return &props_[k].second;
    }
  }
  return nullptr;
}

Value EventView::Field(std::string_view name) const {
  const Event& e = *event_;
  auto optional = [](const std::string& s) { return s.empty() ? Value::None() : Value::Str(s); };
  if (name == "type") return Value::Str(e.type);
  if (name == "kind") return optional(e.kind);
  if (name == "pageId") return Value::Str(e.page_id);
  if (name == "clickId") return optional(e.click_id);
  if (name == "itemId") return optional(e.item_id);
  if (name == "ts") return Value::Int(e.ts_ms);
  if (name.size() > 6 && name.substr(0, 6) == "props.") {
    const Value* v = Prop(name.substr(6));
    return v ? *v : Value::None();
  }
  return Value::None();
}

}  // namespace edgeflow::pipeline
