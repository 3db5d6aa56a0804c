// The instruction set of the script VM: one list generates the opcode enum, the
// names, the operand kinds the verifier checks and the dispatch table.
//
// An instruction is one 32-bit word: opcode in the low 8 bits, operand A in the
// high 24 bits. Ops marked "+B" are followed by a second word, operand B.
// Stack effects are given as pops -> pushes (see StackEffect in verifier.h).
#ifndef EDGEFLOW_SCRIPT_OPCODES_H_
#define EDGEFLOW_SCRIPT_OPCODES_H_

#include <cstdint>

namespace edgeflow::script {

// Operand kinds (what A must index or mean).
enum class Operand : uint8_t {
  kNone,    // A must be 0
  kConst,   // index into the code's constants
  kLocal,   // local slot
  kCell,    // cell slot (own cells, then free variables)
  kGlobal,  // program global slot
  kName,    // index into the code's names
  kJump,    // absolute instruction index
  kCount,   // item count (bounded by the verifier's stack analysis)
  kSmall,   // a small enumerated flag/kind checked per opcode
};

//  X(name, operand kind, has B word)        stack effect / meaning
#define EF_SCRIPT_OPCODES(X)                                                          \
  X(NOP, kNone, 0)                 /* -                                           */ \
  X(POP_TOP, kNone, 0)             /* x ->                                        */ \
  X(DUP_TOP, kNone, 0)             /* x -> x x                                    */ \
  X(DUP_TOP_TWO, kNone, 0)         /* x y -> x y x y                              */ \
  X(ROT_TWO, kNone, 0)             /* x y -> y x                                  */ \
  X(ROT_THREE, kNone, 0)           /* x y z -> z x y                              */ \
  X(ROT_FOUR, kNone, 0)            /* w x y z -> z w x y                          */ \
  X(LOAD_CONST, kConst, 0)         /* -> consts[A]                                */ \
  X(LOAD_FAST, kLocal, 0)          /* -> locals[A] (UnboundLocalError if unset)   */ \
  X(STORE_FAST, kLocal, 0)         /* x -> ; locals[A] = x                        */ \
  X(DELETE_FAST, kLocal, 0)        /* - ; unset locals[A]                         */ \
  X(LOAD_DEREF, kCell, 0)          /* -> cells[A].value                           */ \
  X(STORE_DEREF, kCell, 0)         /* x -> ; cells[A].value = x                   */ \
  X(DELETE_DEREF, kCell, 0)        /* - ; unset cells[A].value                    */ \
  X(LOAD_CLOSURE, kCell, 0)        /* -> cells[A] (the cell itself)               */ \
  X(LOAD_GLOBAL, kGlobal, 0)       /* -> globals[A], else builtin, else NameError */ \
  X(STORE_GLOBAL, kGlobal, 0)      /* x -> ; globals[A] = x                       */ \
  X(DELETE_GLOBAL, kGlobal, 0)     /* - ; unset globals[A]                        */ \
  X(LOAD_NAME, kName, 0)           /* -> class-body locals, globals, builtins     */ \
  X(STORE_NAME, kName, 0)          /* x -> ; class-body locals[name] = x          */ \
  X(DELETE_NAME, kName, 0)         /* - ; del class-body locals[name]             */ \
  X(LOAD_ATTR, kName, 1)           /* o -> o.name ; B = inline cache slot         */ \
  X(STORE_ATTR, kName, 1)          /* v o -> ; o.name = v                         */ \
  X(DELETE_ATTR, kName, 0)         /* o -> ; del o.name                           */ \
  X(LOAD_METHOD, kName, 1)         /* o -> meth self | unbound attr               */ \
  X(CALL_METHOD, kCount, 0)        /* meth self a1..aA -> result                  */ \
  X(BINARY_OP, kSmall, 0)          /* x y -> x OP y (BinOp)                       */ \
  X(INPLACE_OP, kSmall, 0)         /* x y -> x OP= y                              */ \
  X(BINARY_ADD, kNone, 0)          /* x y -> x + y                                */ \
  X(BINARY_SUB, kNone, 0)          /* x y -> x - y                                */ \
  X(BINARY_MUL, kNone, 0)          /* x y -> x * y                                */ \
  X(UNARY_NEG, kNone, 0)           /* x -> -x                                     */ \
  X(UNARY_POS, kNone, 0)           /* x -> +x                                     */ \
  X(UNARY_NOT, kNone, 0)           /* x -> not x                                  */ \
  X(UNARY_INVERT, kNone, 0)        /* x -> ~x                                     */ \
  X(COMPARE_OP, kSmall, 0)         /* x y -> x CMP y (CmpOp)                      */ \
  X(IS_OP, kSmall, 0)              /* x y -> x is y (A=1: is not)                 */ \
  X(CONTAINS_OP, kSmall, 0)        /* x y -> x in y (A=1: not in)                 */ \
  X(BINARY_SUBSCR, kNone, 0)       /* o k -> o[k]                                 */ \
  X(STORE_SUBSCR, kNone, 0)        /* v o k -> ; o[k] = v                         */ \
  X(DELETE_SUBSCR, kNone, 0)       /* o k -> ; del o[k]                           */ \
  X(BUILD_SLICE, kCount, 0)        /* a b [c] -> slice (A = 2 or 3)               */ \
  X(BUILD_TUPLE, kCount, 0)        /* x1..xA -> tuple                             */ \
  X(BUILD_LIST, kCount, 0)         /* x1..xA -> list                              */ \
  X(BUILD_SET, kCount, 0)          /* x1..xA -> set                               */ \
  X(BUILD_MAP, kCount, 0)          /* k1 v1..kA vA -> dict                        */ \
  X(BUILD_STRING, kCount, 0)       /* s1..sA -> concatenation                     */ \
  X(LIST_APPEND, kCount, 0)        /* x -> ; stack[-A].append(x)                  */ \
  X(SET_ADD, kCount, 0)            /* x -> ; stack[-A].add(x)                     */ \
  X(MAP_ADD, kCount, 0)            /* k v -> ; stack[-A][k] = v                   */ \
  X(LIST_EXTEND, kCount, 0)        /* it -> ; stack[-A].extend(it)                */ \
  X(SET_UPDATE, kCount, 0)         /* it -> ; stack[-A].update(it)                */ \
  X(DICT_UPDATE, kCount, 0)        /* m -> ; stack[-A].update(m)                  */ \
  X(LIST_TO_TUPLE, kNone, 0)       /* list -> tuple                               */ \
  X(FORMAT_VALUE, kSmall, 0)       /* x [spec] -> str ; A = conv | 4 if spec      */ \
  X(UNPACK_SEQUENCE, kCount, 0)    /* seq -> xA..x1                               */ \
  X(UNPACK_EX, kCount, 0)          /* seq -> ... ; A = before | after << 12       */ \
  X(JUMP, kJump, 0)                /* forward jump                                */ \
  X(JUMP_BACKWARD, kJump, 0)       /* backward jump; polls limits                 */ \
  X(POP_JUMP_IF_FALSE, kJump, 0)   /* x -> ; jump if not x                        */ \
  X(POP_JUMP_IF_TRUE, kJump, 0)    /* x -> ; jump if x                            */ \
  X(JUMP_IF_FALSE_OR_POP, kJump, 0) /* x -> x (jump) | -> (fall through)          */ \
  X(JUMP_IF_TRUE_OR_POP, kJump, 0) /* x -> x (jump) | -> (fall through)           */ \
  X(GET_ITER, kNone, 0)            /* o -> iter(o)                                */ \
  X(FOR_ITER, kJump, 0)            /* it -> it next | -> (exhausted: jump)        */ \
  X(CALL, kCount, 0)               /* f a1..aA -> f(...)                          */ \
  X(CALL_KW, kCount, 1)            /* f a1..aA -> ; last len(consts[B]) are kw    */ \
  X(CALL_EX, kSmall, 0)            /* f args [kwargs] -> f(*args, **kwargs)       */ \
  X(MAKE_FUNCTION, kConst, 1)      /* [defs] [kwdefs] [closure] -> function       */ \
  X(BUILD_CLASS, kCount, 0)        /* body name b1..bA -> class                   */ \
  X(RETURN_VALUE, kNone, 0)        /* x -> (returns)                              */ \
  X(YIELD_VALUE, kNone, 0)         /* x -> sent value                             */ \
  X(RAISE, kSmall, 0)              /* [exc [cause]] -> (raises); A = 0..2         */ \
  X(PUSH_EXC_INFO, kNone, 0)       /* exc -> prev exc ; handled = exc             */ \
  X(POP_EXCEPT, kNone, 0)          /* prev -> ; handled = prev                    */ \
  X(CHECK_EXC_MATCH, kNone, 0)     /* exc type -> exc bool                        */ \
  X(RERAISE, kNone, 0)             /* prev exc -> (raises exc; handled = prev)    */ \
  X(LOAD_ASSERTION_ERROR, kNone, 0) /* -> AssertionError                          */ \
  X(IMPORT_NAME, kName, 0)         /* -> module                                   */ \
  X(IMPORT_FROM, kName, 0)         /* m -> m m.name                               */ \
  X(LOAD_FAST_CONST, kLocal, 1)    /* -> locals[A] consts[B]                      */ \
  X(LOAD_FAST_FAST, kLocal, 1)     /* -> locals[A] locals[B]                      */ \
  X(COMPARE_JUMP, kSmall, 1)       /* x y -> ; jump to B unless x CMP y           */ \
  X(FOR_ITER_STORE, kJump, 1)      /* FOR_ITER then STORE_FAST B (fast for ranges) */ \
  X(SEND, kJump, 0)                /* it v -> it sent-result | (returned) -> value, jump */

enum Op : uint8_t {
#define EF_OP_ENUM(name, kind, b) OP_##name,
  EF_SCRIPT_OPCODES(EF_OP_ENUM)
#undef EF_OP_ENUM
  kNumOps
};

// BINARY_OP / INPLACE_OP operands.
enum BinOp : uint8_t {
  kAdd, kSub, kMul, kTrueDiv, kFloorDiv, kMod, kPow, kLShift, kRShift, kBitAnd, kBitOr,
  kBitXor, kMatMul, kNumBinOps
};
// COMPARE_OP operands.
enum CmpOp : uint8_t { kLt, kLe, kEq, kNe, kGt, kGe, kNumCmpOps };

// Code flags.
enum CodeFlags : uint32_t {
  kVarArgs = 1,
  kVarKw = 2,
  kGenerator = 4,
  kClassBody = 8,
  kModuleBody = 16,
  kHasClassCell = 32,  // class body returns its __class__ cell
  kHasDoc = 64,        // the function has a docstring (Code::doc)
};

const char* OpName(int op);
Operand OpOperand(int op);

// 1, or 2 for ops with a B word.
inline constexpr uint8_t kOpWords[] = {
#define EF_OP_WORDS(name, kind, b) 1 + (b),
    EF_SCRIPT_OPCODES(EF_OP_WORDS)
#undef EF_OP_WORDS
};
inline int OpWords(int op) { return op >= 0 && op < kNumOps ? kOpWords[op] : 1; }

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_OPCODES_H_
