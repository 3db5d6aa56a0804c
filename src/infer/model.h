// Model: a loaded, validated .efm file, immutable and shareable between
// threads (ncnn's Net). It owns the mapping that the graph's weights point
// into; an Interpreter borrows its graph for one or many runs.
#ifndef EDGEFLOW_INFER_MODEL_H_
#define EDGEFLOW_INFER_MODEL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "infer/graph.h"

namespace edgeflow::infer {

class Model {
 public:
  // Maps the file read-only (no copy of the weights) and validates it.
  static Result<std::unique_ptr<Model>> Open(const std::string& path);
  // Copies `bytes` into an aligned buffer and validates it (tests, fuzzing,
  // models that arrive in memory, e.g. decrypted from a bundle).
  static Result<std::unique_ptr<Model>> FromBytes(std::string_view bytes, const std::string& where);

  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const Graph& graph() const { return graph_; }
  size_t file_bytes() const { return bytes_; }

 private:
  Model() = default;

  Graph graph_;
  void* map_ = nullptr;         // mmap'ed file, or null
  std::vector<uint8_t> buffer_; // FromBytes storage (over-allocated for alignment)
  size_t bytes_ = 0;
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_MODEL_H_
