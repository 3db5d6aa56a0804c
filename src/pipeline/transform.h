// Transform: the chain of steps in a feature definition's "transform" field
// that turns a feature value into a model input, e.g.
//
//   [{"op":"vocab","vocabulary":["shoes","bags"],"oov":0},
//    {"op":"pad","length":20,"value":0}]
//
// docs/transforms.md specifies every op (input, output, parameters, defaults).
//
//   op         output                       op         output
//   bucketize  int index per element        one_hot    tensor[depth]
//   hash       int bucket per element       multi_hot  tensor[depth]
//   vocab      int id per element           pad        tensor[length] (numeric "value"),
//   min_max    float per element                       list[length] (string/null "value")
//   z_score    float per element            to_tensor  tensor (number, list, map with "keys")
//   log1p      float per element
//   clip       float per element
//
// Element-wise ops keep the container: a scalar gives a scalar, a list a list,
// a tensor a tensor (values stored as float32), a map a map (hash and vocab
// take scalars and lists only).
//
// Thread-safety: a parsed Transform is immutable; Apply may run concurrently.
#ifndef EDGEFLOW_PIPELINE_TRANSFORM_H_
#define EDGEFLOW_PIPELINE_TRANSFORM_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "edgeflow/status.h"
#include "pipeline/feature_value.h"

namespace edgeflow::pipeline {

class Transform {
 public:
  // Returns the bytes of a bundle resource by file name (vocabulary files).
  using ResourceReader = std::function<Result<std::string>(const std::string& name)>;

  // Parses a JSON array of steps. `where` is the JSON path of `chain` and
  // prefixes every error, which names the exact step and field:
  //   "features[3].transform[1].length: must be a positive integer".
  // Rejects unknown ops and fields, missing or invalid parameters, and chains
  // whose steps cannot fit together (e.g. hash after one_hot). read_resource
  // is called during Parse only, for vocab steps that name a file; it may be
  // empty when the chain reads no resource.
  static Result<std::unique_ptr<Transform>> Parse(const nlohmann::json& chain,
                                                  std::string_view where,
                                                  const ResourceReader& read_resource);

  ~Transform();
  Transform(const Transform&) = delete;
  Transform& operator=(const Transform&) = delete;

  // Runs the steps in order. A value a step cannot take (a string into
  // min_max, a map into pad) is kInvalidArgument naming the step, e.g.
  //   "features[3].transform[1] (min_max): expected a number, got str 'abc'".
  Result<FeatureValue> Apply(const FeatureValue& in) const;

  // The length of the output tensor, or -1 when the chain does not end in a
  // tensor whose length the chain alone fixes (one_hot, multi_hot, numeric
  // pad, to_tensor with "keys", or an element-wise op after one of those).
  int64_t output_length() const { return output_length_; }

  // One parsed step; defined in transform.cc.
  class Step;

 private:
  Transform();

  std::vector<std::unique_ptr<const Step>> steps_;
  int64_t output_length_ = -1;
};

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_TRANSFORM_H_
