// Custom feature ops as script functions: a feature
//
//   {"name": "engagement", "op": "script", "function": "features.py:engagement",
//    "inputs": ["u_click_count", "u_pv_count"], "keyBy": "user"}
//
// reads as engagement(clicks, views) for the key being read, computed when it
// is read (docs/features.md, "Custom ops"). The functions are pure: they see
// their arguments only (the runtime's host functions, such as features() or
// query(), are not given to them).
//
// Each script file gets one context, made at install (its module body runs
// once, and every named function must exist) and reused by every read. A
// context has an instruction budget and a heap cap; when a call exhausts
// either on a context that already served calls, the context is made afresh
// and the call retried once, so the budget bounds one call, not the bundle's
// lifetime.
#ifndef EDGEFLOW_DEVICE_SCRIPT_FEATURE_OPS_H_
#define EDGEFLOW_DEVICE_SCRIPT_FEATURE_OPS_H_

#include <string>

#include "device/script_task.h"
#include "pipeline/pipeline.h"

namespace edgeflow {

struct ScriptFeatureLimits {
  int64_t max_ticks = 1'000'000;     // per call (loop iterations and calls)
  int64_t memory_bytes = 8ll << 20;  // heap of one file's context
};

// Loads the scripts of the spec's "script" features from `bundle_dir` and
// checks their functions. Returns a null runner when the spec has none.
// Errors name `where` ("bundle/manifest.json"), the feature's JSON path and
// what was wrong.
Result<pipeline::Pipeline::ScriptOpRunner> MakeScriptFeatureOps(const pipeline::PipelineSpec& spec,
                                                                const std::string& bundle_dir,
                                                                const std::string& where,
                                                                const ScriptServices& services,
                                                                ScriptFeatureLimits limits = {});

// The conversions at the boundary (exposed for tests): a feature value as a
// script sees it (scalars as themselves, lists as lists, maps as dicts,
// tensors as lists of floats), and a script result as a feature value (None,
// bool, int, float or str; a list of those; a dict of numbers; a 1-D float
// tensor). Anything else is kInvalidArgument naming what was returned.
ScriptValue FeatureValueToScript(const pipeline::FeatureValue& v);
Result<pipeline::FeatureValue> FeatureValueFromScript(const ScriptValue& v);

}  // namespace edgeflow

#endif  // EDGEFLOW_DEVICE_SCRIPT_FEATURE_OPS_H_
