// Reads and validates an .efm image (efm_format.h) into a Graph whose
// initializers are views of the image: the weights are never copied. Every
// count, length, offset, shape and name reference is checked, so a corrupt
// or hostile file is an error naming what is wrong, never a crash.
#ifndef EDGEFLOW_INFER_EFM_READER_H_
#define EDGEFLOW_INFER_EFM_READER_H_

#include <string>

#include "infer/graph.h"

namespace edgeflow::infer {

// `data` must be 64-byte aligned and outlive the returned graph (its
// initializers point into it). `where` names the file in messages.
Result<Graph> ParseEfm(const uint8_t* data, size_t bytes, const std::string& where);

// Checks that a graph can run: known ops with accepted attributes, every
// node input defined before use, every graph output produced, weights with
// consistent sizes. The reader calls it; the compiler does too before writing.
Status ValidateGraph(const Graph& g, const std::string& where);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_EFM_READER_H_
