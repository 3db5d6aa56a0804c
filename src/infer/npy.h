// NumPy .npy files, the CLI's tensor format (DESIGN.md): versions 1.0 to 3.0,
// little-endian float32/float64/int64/int32/int8/uint8/bool, C order.
#ifndef EDGEFLOW_INFER_NPY_H_
#define EDGEFLOW_INFER_NPY_H_

#include <string>
#include <string_view>

#include "infer/tensor.h"

namespace edgeflow::infer {

// Parses .npy bytes; errors name `where` and what is wrong (bad magic,
// Fortran order, unsupported dtype, truncated data).
Result<Tensor> ParseNpy(std::string_view bytes, const std::string& where);
Result<Tensor> ReadNpy(const std::string& path);
std::string SerializeNpy(const Tensor& t);
Status WriteNpy(const std::string& path, const Tensor& t);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_NPY_H_
