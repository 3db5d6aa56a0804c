// .efm writer (toolchain): serialises a Graph into the layout of
// efm_format.h, weights 64-byte aligned, checksum last.
#ifndef EDGEFLOW_INFER_EFM_WRITER_H_
#define EDGEFLOW_INFER_EFM_WRITER_H_

#include <string>

#include "infer/graph.h"

namespace edgeflow::infer {

// Validates the graph (ValidateGraph) and returns the file image.
Result<std::string> SerializeEfm(const Graph& g);
// SerializeEfm, then writes `path` atomically (temporary file + rename).
Status WriteEfm(const Graph& g, const std::string& path);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_EFM_WRITER_H_
