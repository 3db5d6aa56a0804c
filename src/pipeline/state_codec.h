// StateWriter / StateReader: the little-endian binary encoding of pipeline
// checkpoints. The reader checks every length against what is left, so a
// truncated or corrupt checkpoint is a Corruption error, never a crash.
#ifndef EDGEFLOW_PIPELINE_STATE_CODEC_H_
#define EDGEFLOW_PIPELINE_STATE_CODEC_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "edgeflow/status.h"
#include "pipeline/value.h"

namespace edgeflow::pipeline {

class StateWriter {
 public:
  explicit StateWriter(std::string* out) : out_(out) {}
  void U8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      out_->push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out_->push_back(static_cast<char>(v));
  }
  void I64(int64_t v) { Varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void F64(double v) {
    char b[8];
    std::memcpy(b, &v, 8);
    out_->append(b, 8);
  }
  void Str(std::string_view s) {
    Varint(s.size());
    out_->append(s.data(), s.size());
  }
  void Val(const Value& v) {
    U8(static_cast<uint8_t>(v.kind));
    switch (v.kind) {
      case Value::Kind::kNone: break;
      case Value::Kind::kBool: U8(v.b); break;
      case Value::Kind::kInt: I64(v.i); break;
      case Value::Kind::kFloat: F64(v.f); break;
      case Value::Kind::kStr:
      case Value::Kind::kJson: Str(v.s); break;
    }
  }

 private:
  std::string* out_;
};

class StateReader {
 public:
  explicit StateReader(std::string_view in) : in_(in) {}

  bool ok() const { return ok_; }
  size_t remaining() const { return in_.size() - pos_; }
  // The error to return when !ok(): names the offset where decoding failed.
  Status status(std::string_view what) const {
    return Status::Corruption(std::string(what) + ": truncated or corrupt at byte " + std::to_string(fail_at_));
  }

  uint8_t U8() {
    if (!Need(1)) return 0;
    return static_cast<uint8_t>(in_[pos_++]);
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!Need(1)) return 0;
      uint8_t b = static_cast<uint8_t>(in_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    Fail();
    return 0;
  }
  int64_t I64() {
    uint64_t u = Varint();
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  double F64() {
    if (!Need(8)) return 0;
    double v;
    std::memcpy(&v, in_.data() + pos_, 8);
    pos_ += 8;
    return v;
  }
  std::string Str() {
    uint64_t n = Varint();
    if (!ok_ || n > remaining()) {
      Fail();
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  // A count of items that each take at least `min_item_bytes`: fails if the
  // rest of the input cannot hold that many (guards allocations).
  uint64_t Count(size_t min_item_bytes = 1) {
    uint64_t n = Varint();
    if (ok_ && n > remaining() / (min_item_bytes ? min_item_bytes : 1)) Fail();
    return ok_ ? n : 0;
  }
  Value Val() {
    uint8_t k = U8();
    switch (static_cast<Value::Kind>(k)) {
      case Value::Kind::kNone: return Value::None();
      case Value::Kind::kBool: return Value::Bool(U8() != 0);
      case Value::Kind::kInt: return Value::Int(I64());
      case Value::Kind::kFloat: return Value::Float(F64());
      case Value::Kind::kStr: return Value::Str(Str());
      case Value::Kind::kJson: return Value::Json(Str());
    }
    Fail();
    return Value::None();
  }
  void Fail() {
    if (ok_) fail_at_ = pos_;
    ok_ = false;
    pos_ = in_.size();
  }

 private:
  bool Need(size_t n) {
    if (ok_ && remaining() >= n) return true;
    Fail();
    return false;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
  size_t fail_at_ = 0;
};

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_STATE_CODEC_H_
