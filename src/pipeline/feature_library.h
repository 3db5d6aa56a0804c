// The feature library: named base, statistical and profile/context features
// for e-commerce behaviour streams (docs/features.md, "Feature library"). A
// definition with "op": NAME starts from the library's definition; the fields
// it sets replace the library's.
#ifndef EDGEFLOW_PIPELINE_FEATURE_LIBRARY_H_
#define EDGEFLOW_PIPELINE_FEATURE_LIBRARY_H_

#include <string_view>
#include <vector>

namespace edgeflow::pipeline {

struct LibraryOp {
  std::string_view name;
  std::string_view layer;        // "base", "statistical" or "profile"
  std::string_view definition;   // JSON object: op, filter, value, keyBy, window, params
  std::string_view description;
};

// Every library op, in documentation order.
const std::vector<LibraryOp>& FeatureLibrary();
// The op named `name`, or nullptr.
const LibraryOp* FindLibraryOp(std::string_view name);

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_FEATURE_LIBRARY_H_
