// .npy reading and writing.
#include "infer/npy.h"

#include <regex>

#include "edgeflow/env.h"

namespace edgeflow::infer {
namespace {

struct DescrEntry {
  const char* descr;
  DType dtype;
};
constexpr DescrEntry kDescrs[] = {
    {"<f4", DType::kFloat32}, {"<f8", DType::kFloat64}, {"<i8", DType::kInt64}, {"<i4", DType::kInt32},
    {"|i1", DType::kInt8},    {"|u1", DType::kUint8},   {"|b1", DType::kBool},    {"<i2", DType::kInt16},
};

}  // namespace

Result<Tensor> ParseNpy(std::string_view b, const std::string& where) {
  if (b.size() < 10 || b.substr(0, 6) != "\x93NUMPY") return Status::InvalidArgument(where + ": not a .npy file");
  uint8_t major = static_cast<uint8_t>(b[6]);
  size_t header_len, offset;
  if (major == 1) {
    header_len = static_cast<uint8_t>(b[8]) | (static_cast<size_t>(static_cast<uint8_t>(b[9])) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (b.size() < 12) return Status::InvalidArgument(where + ": truncated .npy header");
    header_len = 0;
    for (int i = 0; i < 4; ++i) header_len |= static_cast<size_t>(static_cast<uint8_t>(b[8 + i])) << (8 * i);
    offset = 12;
  } else {
    return Status::Unsupported(where + ": .npy version " + std::to_string(major) + " is not supported");
  }
  if (b.size() < offset + header_len) return Status::InvalidArgument(where + ": truncated .npy header");
  std::string header(b.substr(offset, header_len));
  std::smatch m;
  static const std::regex descr_re(R"('descr'\s*:\s*'([^']*)')");
  static const std::regex order_re(R"('fortran_order'\s*:\s*(True|False))");
  static const std::regex shape_re(R"('shape'\s*:\s*\(([^)]*)\))");
  if (!std::regex_search(header, m, descr_re)) return Status::InvalidArgument(where + ": .npy header has no descr");
  std::string descr = m[1];
  if (descr == "<b1") descr = "|b1";
  const DescrEntry* entry = nullptr;
  for (const auto& e : kDescrs) {
    if (descr == e.descr) entry = &e;
  }
  if (!entry) return Status::Unsupported(where + ": .npy dtype '" + descr + "' is not supported");
  if (!std::regex_search(header, m, order_re) || m[1] == "True") {
    return Status::Unsupported(where + ": Fortran-order .npy arrays are not supported");
  }
  if (!std::regex_search(header, m, shape_re)) return Status::InvalidArgument(where + ": .npy header has no shape");
  std::vector<int64_t> shape;
  std::string dims = m[1];
  size_t pos = 0;
  while (pos < dims.size()) {
    size_t end = dims.find(',', pos);
    std::string d = dims.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    d.erase(0, d.find_first_not_of(" "));
    d.erase(d.find_last_not_of(" ") + 1);
    if (!d.empty()) {
      if (d.find_first_not_of("0123456789") != std::string::npos || d.size() > 12) {
        return Status::InvalidArgument(where + ": bad .npy shape (" + dims + ")");
      }
      shape.push_back(std::stoll(d));
    }
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d != 0 && n > (int64_t{1} << 40) / d) return Status::InvalidArgument(where + ": .npy shape too large");
    n *= d;
  }
  size_t need = static_cast<size_t>(n) * DTypeSize(entry->dtype);
  size_t data_off = offset + header_len;
  if (b.size() - data_off < need) {
    return Status::InvalidArgument(where + ": truncated .npy data (" + std::to_string(b.size() - data_off) +
                                   " of " + std::to_string(need) + " bytes)");
  }
  Tensor t(entry->dtype, shape);
  if (need > 0) std::memcpy(t.raw(), b.data() + data_off, need);
  return t;
}

Result<Tensor> ReadNpy(const std::string& path) {
  EF_ASSIGN_OR_RETURN(std::string bytes, Env::Default()->ReadFile(path));
  return ParseNpy(bytes, path);
}

std::string SerializeNpy(const Tensor& t) {
  const char* descr = "<f4";
  for (const auto& e : kDescrs) {
    if (e.dtype == t.dtype()) descr = e.descr;
  }
  std::string shape;
  for (size_t i = 0; i < t.shape().size(); ++i) {
    if (i) shape += ", ";
    shape += std::to_string(t.shape()[i]);
  }
  if (t.shape().size() == 1) shape += ",";  // Python's one-tuple
  std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(reinterpret_cast<const char*>(t.raw()), t.bytes());
  return out;
}

Status WriteNpy(const std::string& path, const Tensor& t) {
  return Env::Default()->WriteFileAtomic(path, SerializeNpy(t));
}

}  // namespace edgeflow::infer
