// Limits for running fuzzed script programs: small enough that a generated
// infinite loop or allocation spree ends in milliseconds.
#ifndef EDGEFLOW_FUZZ_SCRIPT_SCRIPT_LIMITS_H_
#define EDGEFLOW_FUZZ_SCRIPT_SCRIPT_LIMITS_H_

#include <memory>

#include "script/code.h"
#include "script/vm.h"

namespace edgeflow::script {

inline void RunUnderTinyLimits(std::shared_ptr<const Program> program) {
  Limits limits;
  limits.memory_bytes = 4 << 20;
  limits.instructions = 20000;
  limits.max_depth = 100;
  VM vm(std::move(program), limits);
  vm.out_cap = 1 << 16;  // output past this is dropped
  (void)vm.RunMain();
}

}  // namespace edgeflow::script

#endif  // EDGEFLOW_FUZZ_SCRIPT_SCRIPT_LIMITS_H_
