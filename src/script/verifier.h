// Bytecode verification: everything the interpreter relies on without checking
// at run time (operand bounds, jump targets, constant types, stack depth at every
// instruction, handler ranges) is proven here once, when code is compiled or
// loaded. Hostile or corrupt bytecode is rejected, never executed.
#ifndef EDGEFLOW_SCRIPT_VERIFIER_H_
#define EDGEFLOW_SCRIPT_VERIFIER_H_

#include "edgeflow/status.h"
#include "script/code.h"

namespace edgeflow::script {

// Stack effect of one instruction: pops, pushes on fall-through, and pushes when
// a jump is taken (for jumping ops). Returns false for an invalid opcode/operand.
bool StackEffect(int op, uint32_t arg, uint32_t b, int* pops, int* push, int* push_jump);

// Computes the maximum stack depth of `code` (all paths), checking that depths
// agree where paths meet and never go negative. Used by the compiler.
Status ComputeStackDepth(const Code& code, int* max_depth);

// Full verification of one code object within its program.
Status VerifyCode(const Code& code, const Program& program);
// Verifies every code object of a program (and cross references).
Status VerifyProgram(const Program& program);

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_VERIFIER_H_
