// AppendUtf8: encodes one Unicode code point as UTF-8, shared by the props
// scanner (event_view.cc) and the expression lexer (expr.cc).
#ifndef EDGEFLOW_PIPELINE_UTF8_H_
#define EDGEFLOW_PIPELINE_UTF8_H_

#include <cstdint>
#include <string>

namespace edgeflow::pipeline {

inline void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_UTF8_H_
